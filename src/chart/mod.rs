//! Balance-history charts: a series of exact amounts in, PNG bytes out, drawn as a line (a
//! balance over time) or as bars (an amount per day, such as what was received).
//!
//! Pure: no I/O, no system fonts, no external program. The fonts are compiled into the binary
//! (`assets/fonts/`, licences beside them): Open Sans Regular for Latin and Cyrillic, Noto Sans
//! Arabic for Arabic and Persian, shaped (joined letter forms) and laid right to left.
//!
//! Every number printed as an amount (axis ticks, the markers) is text made from a `Decimal`;
//! `f64` only decides where pixels go. Drawing is tiny-skia (anti-aliased, sub-pixel geometry)
//! and glyphs are ab_glyph outlines, so the picture does not depend on the machine.
//!
//! The parts, in the order a chart is made:
//! - `amount_axis` and `time_axis`: gridline values and their labels, exact amounts and
//!   wall-clock times in the reader's zone;
//! - `scene` (with `labels`, on `geometry`): the whole picture laid out as values, nothing
//!   drawn;
//! - `paint`: the scene drawn, then encoded as PNG;
//! - `text`: the fonts; every text is measured and drawn there, the one place that turns
//!   characters into glyphs (runs in reading order, Arabic script shaped);
//! - `style`: the sizes and colours they share.

mod amount_axis;
mod geometry;
mod labels;
mod paint;
mod scene;
mod style;
mod text;
mod time_axis;

#[cfg(test)]
mod tests;

use chrono_tz::Tz;
use rust_decimal::Decimal;

pub use style::{HEIGHT, LINE_RGB, MARKER_RGB, WIDTH};

use scene::Scene;
use text::Face;

/// What to draw: one currency (or the total) over a period.
#[derive(Debug, Clone, Copy)]
pub struct ChartInput<'a> {
    /// The heading, e.g. "BTC, last 30 days" or "Total value (USD), last 7 days".
    pub title: &'a str,
    /// What the amounts are in ("BTC", "USD"); the amount axis and the markers say it.
    pub unit: &'a str,
    /// (Unix seconds, amount) in ascending time order (equal times allowed); at least 2 points
    /// for a line, 1 for bars.
    pub points: &'a [(i64, Decimal)],
    /// Dates and times on the time axis are wall-clock times in this zone.
    pub tz: Tz,
}

/// The words a chart draws besides its title and unit, in the reader's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Labels {
    /// The markers: "min", "max", and "min = max" for a flat series.
    pub min: String,
    pub max: String,
    pub min_max: String,
    /// Short month names, January first.
    pub months: [String; 12],
    /// Short weekday names, Monday first.
    pub weekdays: [String; 7],
}

impl Default for Labels {
    /// English.
    fn default() -> Self {
        let words = |list: &[&str]| list.iter().map(|w| (*w).to_owned()).collect::<Vec<_>>();
        let months = words(&[
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ]);
        let weekdays = words(&["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]);
        Self {
            min: "min".into(),
            max: "max".into(),
            min_max: "min = max".into(),
            months: std::array::from_fn(|i| months[i].clone()),
            weekdays: std::array::from_fn(|i| weekdays[i].clone()),
        }
    }
}

/// How the series is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A line through every point, with markers at the lowest and the highest.
    Line,
    /// One bar per point, standing on zero, for the `period_secs` (1 second to 366 days) that
    /// starts at the point's time: daily amounts are points at the zone's midnights with a
    /// period of 86,400. The time axis names the bars; the highest has a marker. Amounts for
    /// one period belong in one point: bars at the same time are drawn over each other.
    Bars { period_secs: i64 },
}

/// Why no chart was drawn; `Display` is a sentence that can be logged or shown as it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChartError {
    #[error("A chart needs at least 2 points; this series has {0}.")]
    TooFewPoints(usize),
    #[error("A bar chart needs at least 1 point; this series has none.")]
    NoBars,
    #[error(
        "The points are not in time order: point {index} (counting from 0) is earlier than the one before it."
    )]
    NotInTimeOrder { index: usize },
    #[error("The time {0} (Unix seconds) is outside the years 1900 to 9999 that a chart can show.")]
    TimeOutOfRange(i64),
    #[error(
        "A bar stands for 1 second to 366 days (31,622,400 seconds); {0} seconds is outside that."
    )]
    BarPeriod(i64),
    #[error("The amounts are too close to the largest exact decimal to fit on an axis.")]
    AmountOutOfRange,
    #[error("The chart could not be drawn: {0}.")]
    Render(String),
}

/// The glyph ids the chart's fonts draw `text` with, in the order drawn (0 is the missing-glyph
/// box): for tests that check every word a chart may print in a language.
#[cfg(test)]
pub fn glyph_ids(text: &str) -> Vec<u16> {
    Face::new().expect("the embedded fonts").glyph_ids(text)
}

/// Draws the series as a line and returns the chart as a `WIDTH`×`HEIGHT` RGB PNG.
pub fn render_png(input: &ChartInput) -> Result<Vec<u8>, ChartError> {
    render_png_as(input, Kind::Line)
}

/// Draws the series as `kind` and returns the chart as a `WIDTH`×`HEIGHT` RGB PNG.
pub fn render_png_as(input: &ChartInput, kind: Kind) -> Result<Vec<u8>, ChartError> {
    render_png_in(input, kind, &Labels::default())
}

/// Draws the series as `kind` with the markers and the time axis worded by `labels`.
pub fn render_png_in(
    input: &ChartInput,
    kind: Kind,
    labels: &Labels,
) -> Result<Vec<u8>, ChartError> {
    let face = Face::new()?;
    let scene = Scene::build_in(input, kind, &face, labels)?;
    let rgb = paint::paint(&scene, &face)?;
    paint::encode_png(&rgb)
}
