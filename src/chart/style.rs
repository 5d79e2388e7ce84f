//! The look every chart shares: its size, its colours, its type sizes and where the plot sits.

/// Width of every chart, in pixels.
pub const WIDTH: u32 = 1280;
/// Height of every chart, in pixels.
pub const HEIGHT: u32 = 720;

/// The colour of the amount line and of the bars: public so tests elsewhere (a `/history`
/// reply) can check a series was drawn by looking for it in the decoded pixels.
pub const LINE_RGB: [u8; 3] = [0x1a, 0x5f, 0xd0];
/// The colour of the minimum and maximum markers.
pub const MARKER_RGB: [u8; 3] = [0xe8, 0x5d, 0x04];

pub(super) const BACKGROUND_RGB: [u8; 3] = [0xff, 0xff, 0xff];
pub(super) const GRID_RGB: [u8; 3] = [0xdd, 0xe1, 0xe6];
pub(super) const AXIS_RGB: [u8; 3] = [0x8a, 0x91, 0x99];
pub(super) const TEXT_RGB: [u8; 3] = [0x1f, 0x23, 0x28];
pub(super) const MUTED_RGB: [u8; 3] = [0x55, 0x5d, 0x66];

// Sizes are the font's em in pixels; a 1280-wide picture shows at about a third of that on a
// phone, so nothing a person must read is below 22.
pub(super) const TITLE_EM: f32 = 40.0;
pub(super) const TITLE_MIN_EM: f32 = 26.0;
pub(super) const LABEL_EM: f32 = 27.0;
pub(super) const SMALL_EM: f32 = 23.0;

pub(super) const MARGIN: f32 = 28.0;
pub(super) const PLOT_TOP: f32 = 124.0;
pub(super) const PLOT_BOTTOM: f32 = HEIGHT as f32 - 84.0;
pub(super) const PLOT_RIGHT: f32 = WIDTH as f32 - MARGIN;
/// Keeps the end points (and their markers) off the plot's left and right edges.
pub(super) const PLOT_INSET: f32 = 14.0;
pub(super) const LINE_WIDTH: f32 = 3.5;
pub(super) const DOT_RADIUS: f32 = 8.5;
/// A marker label: its box's height, its text's inset, its distance from the dot.
pub(super) const LABEL_H: f32 = LABEL_EM * 1.5;
pub(super) const LABEL_PAD: f32 = 12.0;
pub(super) const LABEL_GAP: f32 = DOT_RADIUS + 10.0;
/// What the axis leaves between an extreme and the plot's edge, so its label fits there.
pub(super) const LABEL_ROOM: f32 = LABEL_GAP + LABEL_H + 6.0;

/// The share of its period's width a bar fills; the rest is the gap to its neighbour.
pub(super) const BAR_SHARE: f32 = 0.7;
/// Least height of a bar whose amount is not zero, so a small day still shows.
pub(super) const BAR_MIN_H: f32 = 2.0;
