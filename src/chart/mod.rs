//! Balance-history charts: a series of exact amounts in, PNG bytes out.
//!
//! Pure: no I/O, no system fonts, no external program. The only font is Open Sans Regular,
//! compiled into the binary (`assets/fonts/`, Apache-2.0, licence beside it).
//!
//! Every number printed as an amount (axis ticks, the minimum and maximum) is text made from a
//! `Decimal`; `f64` only decides where pixels go. Drawing is tiny-skia (anti-aliased, sub-pixel
//! geometry) and glyphs are ab_glyph outlines, so the picture does not depend on the machine.

use ab_glyph::{Font, FontRef, PxScale, ScaleFont, point};
use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, TimeDelta, TimeZone, Timelike};
use chrono_tz::Tz;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use tiny_skia::{FillRule, LineCap, LineJoin, Paint, PathBuilder, Pixmap, Rect, Stroke, Transform};

/// Width of every chart, in pixels.
pub const WIDTH: u32 = 1280;
/// Height of every chart, in pixels.
pub const HEIGHT: u32 = 720;

/// The colour of the amount line: public so tests elsewhere (a `/history` reply) can check a
/// line was drawn by looking for it in the decoded pixels.
pub const LINE_RGB: [u8; 3] = [0x1a, 0x5f, 0xd0];
/// The colour of the minimum and maximum markers.
pub const MARKER_RGB: [u8; 3] = [0xe8, 0x5d, 0x04];

const BACKGROUND_RGB: [u8; 3] = [0xff, 0xff, 0xff];
const GRID_RGB: [u8; 3] = [0xdd, 0xe1, 0xe6];
const AXIS_RGB: [u8; 3] = [0x8a, 0x91, 0x99];
const TEXT_RGB: [u8; 3] = [0x1f, 0x23, 0x28];
const MUTED_RGB: [u8; 3] = [0x55, 0x5d, 0x66];

static FONT_BYTES: &[u8] = include_bytes!("../../assets/fonts/OpenSans-Regular.ttf");

// Sizes are the font's em in pixels; a 1280-wide picture shows at about a third of that on a
// phone, so nothing a person must read is below 22.
const TITLE_EM: f32 = 40.0;
const TITLE_MIN_EM: f32 = 26.0;
const LABEL_EM: f32 = 27.0;
const SMALL_EM: f32 = 23.0;

const MARGIN: f32 = 28.0;
const PLOT_TOP: f32 = 124.0;
const PLOT_BOTTOM: f32 = HEIGHT as f32 - 84.0;
const PLOT_RIGHT: f32 = WIDTH as f32 - MARGIN;
/// Keeps the end points (and their markers) off the plot's left and right edges.
const PLOT_INSET: f32 = 14.0;
const LINE_WIDTH: f32 = 3.5;
const DOT_RADIUS: f32 = 8.5;
/// A marker label: its box's height, its text's inset, its distance from the dot.
const LABEL_H: f32 = LABEL_EM * 1.5;
const LABEL_PAD: f32 = 12.0;
const LABEL_GAP: f32 = DOT_RADIUS + 10.0;
/// What the axis leaves between an extreme and the plot's edge, so its label fits there.
const LABEL_ROOM: f32 = LABEL_GAP + LABEL_H + 6.0;
/// Points per separately stroked piece of the line (pieces share their end points).
const LINE_PIECE: usize = 128;

/// Most time-axis labels a chart shows: more would be read as noise on a phone.
const MAX_TIME_TICKS: usize = 13;
/// Least room between two time-axis labels.
const TIME_LABEL_GAP: f32 = 26.0;
/// Amounts axis: about this many intervals between gridlines.
const AMOUNT_INTERVALS: i64 = 5;

/// Earliest and latest instants a chart accepts (1900-01-01 and 9999-12-31 UTC): far beyond any
/// balance history, and inside every date range the calendar code handles without overflow.
const MIN_TIME: i64 = -2_208_988_800;
const MAX_TIME: i64 = 253_402_300_799;

/// What to draw: one currency (or the total) over a period.
#[derive(Debug, Clone, Copy)]
pub struct ChartInput<'a> {
    /// The heading, e.g. "BTC, last 30 days" or "Total value (USD), last 7 days".
    pub title: &'a str,
    /// What the amounts are in ("BTC", "USD"); the amount axis and the markers say it.
    pub unit: &'a str,
    /// (Unix seconds, amount) in ascending time order (equal times allowed); at least 2 points.
    pub points: &'a [(i64, Decimal)],
    /// Dates and times on the time axis are wall-clock times in this zone.
    pub tz: Tz,
}

/// Why no chart was drawn; `Display` is a sentence that can be logged or shown as it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChartError {
    #[error("A chart needs at least 2 points; this series has {0}.")]
    TooFewPoints(usize),
    #[error(
        "The points are not in time order: point {index} (counting from 0) is earlier than the one before it."
    )]
    NotInTimeOrder { index: usize },
    #[error("The time {0} (Unix seconds) is outside the years 1900 to 9999 that a chart can show.")]
    TimeOutOfRange(i64),
    #[error("The amounts are too close to the largest exact decimal to fit on an axis.")]
    AmountOutOfRange,
    #[error("The chart could not be drawn: {0}.")]
    Render(String),
}

/// Draws the chart and returns it as a `WIDTH`×`HEIGHT` RGB PNG.
pub fn render_png(input: &ChartInput) -> Result<Vec<u8>, ChartError> {
    let face = Face::new()?;
    let scene = Scene::build(input, &face)?;
    let rgb = paint(&scene, &face)?;
    encode_png(&rgb)
}

// ---------------------------------------------------------------------------------------------
// Text

struct Face {
    font: FontRef<'static>,
    /// ab_glyph scales by ascent-to-descent height; this turns an em size into that.
    em_to_px_scale: f32,
}

impl Face {
    fn new() -> Result<Self, ChartError> {
        let font = FontRef::try_from_slice(FONT_BYTES)
            .map_err(|_| ChartError::Render("the embedded font is unreadable".into()))?;
        let units = font.units_per_em().unwrap_or(1000.0);
        let em_to_px_scale = font.height_unscaled() / units;
        Ok(Self {
            font,
            em_to_px_scale,
        })
    }

    fn scale(&self, em: f32) -> PxScale {
        PxScale::from(em * self.em_to_px_scale)
    }

    fn width(&self, em: f32, text: &str) -> f32 {
        let scaled = self.font.as_scaled(self.scale(em));
        let mut width = 0.0;
        let mut prev = None;
        for c in text.chars() {
            let id = scaled.glyph_id(c);
            if let Some(p) = prev {
                width += scaled.kern(p, id);
            }
            width += scaled.h_advance(id);
            prev = Some(id);
        }
        width
    }

    /// Height of capitals above the baseline: what looks centred for digits and capitals.
    /// Open Sans's is 1462 of its 2048 units (ab_glyph does not read it from the font).
    fn cap_height(&self, em: f32) -> f32 {
        1462.0 / 2048.0 * em
    }

    fn draw(&self, img: &mut Rgb, em: f32, x: f32, baseline: f32, text: &str, color: [u8; 3]) {
        let scale = self.scale(em);
        let scaled = self.font.as_scaled(scale);
        let mut caret = x;
        let mut prev = None;
        for c in text.chars() {
            let id = scaled.glyph_id(c);
            if let Some(p) = prev {
                caret += scaled.kern(p, id);
            }
            prev = Some(id);
            let glyph = id.with_scale_and_position(scale, point(caret, baseline));
            caret += scaled.h_advance(id);
            let Some(outline) = self.font.outline_glyph(glyph) else {
                continue;
            };
            let bounds = outline.px_bounds();
            let (ox, oy) = (bounds.min.x as i64, bounds.min.y as i64);
            outline.draw(|gx, gy, coverage| {
                img.blend(ox + i64::from(gx), oy + i64::from(gy), color, coverage);
            });
        }
    }
}

/// A plain RGB canvas the glyphs are blended into after the shapes are drawn.
struct Rgb {
    data: Vec<u8>,
}

impl Rgb {
    fn blend(&mut self, x: i64, y: i64, color: [u8; 3], coverage: f32) {
        if x < 0 || y < 0 || x >= i64::from(WIDTH) || y >= i64::from(HEIGHT) {
            return;
        }
        let a = coverage.clamp(0.0, 1.0);
        let i = ((y * i64::from(WIDTH) + x) * 3) as usize;
        for (k, c) in color.iter().enumerate() {
            let d = f32::from(self.data[i + k]);
            self.data[i + k] = (d + (f32::from(*c) - d) * a).round() as u8;
        }
    }
}

/// `-1234567.50` → `-1,234,567.50`: separators added to the exact text, no digit changed.
fn group_thousands(text: &str) -> String {
    let (sign, body) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text),
    };
    let (int, frac) = match body.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    let mut out = String::with_capacity(text.len() + int.len() / 3);
    out.push_str(sign);
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

/// The exact text of an amount as the chart shows it.
fn amount_text(v: Decimal) -> String {
    group_thousands(&v.to_string())
}

// ---------------------------------------------------------------------------------------------
// The amount axis, in exact decimals

#[derive(Debug, Clone, PartialEq, Eq)]
struct AmountAxis {
    lo: Decimal,
    hi: Decimal,
    step: Decimal,
}

impl AmountAxis {
    /// Round gridline values around `min..=max`; a flat series gets an axis around its value
    /// instead of a zero-height one. `room` is the share of the axis wanted between the extremes
    /// and its ends, for the markers' labels.
    fn new(min: Decimal, max: Decimal, room: f64) -> Result<Self, ChartError> {
        let overflow = || ChartError::AmountOutOfRange;
        let tiniest = Decimal::new(1, 28);
        let pad = if min == max {
            if min.is_zero() {
                Decimal::ONE
            } else {
                (min.abs() / Decimal::TEN).max(tiniest)
            }
        } else {
            let range = max.checked_sub(min).ok_or_else(overflow)?;
            range
                .checked_mul(Decimal::new(12, 2))
                .ok_or_else(overflow)?
                .max(tiniest)
        };
        // Balances do not change sign: padding must not invent an axis below zero (or above).
        // An empty wallet's flat zero sits on the bottom of a 0..1 axis.
        let flat_zero = min.is_zero() && max.is_zero();
        let keep_above_zero = min >= Decimal::ZERO;
        let keep_below_zero = max <= Decimal::ZERO && !flat_zero;
        let mut a = min.checked_sub(pad).ok_or_else(overflow)?;
        let mut b = max.checked_add(pad).ok_or_else(overflow)?;
        if keep_above_zero && a < Decimal::ZERO {
            a = Decimal::ZERO;
        }
        if keep_below_zero && b > Decimal::ZERO {
            b = Decimal::ZERO;
        }
        let range = b.checked_sub(a).ok_or_else(overflow)?;
        let mut step = nice_step(range / Decimal::from(AMOUNT_INTERVALS)).ok_or_else(overflow)?;
        let on_grid = |v: Decimal, step: Decimal| v.checked_rem(step) == Some(Decimal::ZERO);
        // Near 28 significant digits a multiple of a small step may not be representable and
        // comes back rounded: then a coarser step, so every gridline is exactly what it says.
        let (lo, hi) = loop {
            let lo = a
                .checked_div(step)
                .map(|q| q.floor())
                .and_then(|q| q.checked_mul(step))
                .ok_or_else(overflow)?;
            let hi = b
                .checked_div(step)
                .map(|q| q.ceil())
                .and_then(|q| q.checked_mul(step))
                .ok_or_else(overflow)?;
            if on_grid(lo, step) && on_grid(hi, step) {
                break (lo, hi);
            }
            step = step
                .checked_mul(Decimal::new(101, 2))
                .and_then(nice_step)
                .ok_or_else(overflow)?;
        };
        let mut axis = Self { lo, hi, step };
        axis.span().ok_or_else(overflow)?;
        for _ in 0..4 {
            let span = axis.span().and_then(|s| s.to_f64()).unwrap_or(1.0);
            let share = |d: Option<Decimal>| d.and_then(|d| d.to_f64()).unwrap_or(0.0) / span;
            let mut grew = false;
            if share(axis.hi.checked_sub(max)) < room
                && !(keep_below_zero && axis.hi >= Decimal::ZERO)
            {
                axis.hi = axis.hi.checked_add(step).ok_or_else(overflow)?;
                grew = true;
            }
            if share(min.checked_sub(axis.lo)) < room
                && !(keep_above_zero && axis.lo <= Decimal::ZERO)
            {
                axis.lo = axis.lo.checked_sub(step).ok_or_else(overflow)?;
                grew = true;
            }
            axis.span().ok_or_else(overflow)?;
            if !grew {
                break;
            }
        }
        Ok(axis)
    }

    fn span(&self) -> Option<Decimal> {
        self.hi.checked_sub(self.lo)
    }

    /// Gridline values with their labels, bottom to top; every label has the step's decimals.
    fn ticks(&self) -> Vec<(Decimal, String)> {
        let dp = self.step.normalize().scale() as usize;
        let mut out = Vec::new();
        for i in 0..=(4 * AMOUNT_INTERVALS) {
            let Some(v) = self
                .step
                .checked_mul(Decimal::from(i))
                .and_then(|d| self.lo.checked_add(d))
            else {
                break;
            };
            if v > self.hi {
                break;
            }
            out.push((v, group_thousands(&format!("{v:.dp$}"))));
        }
        out
    }

    /// Where `v` sits between the bottom (0) and the top (1). The difference is taken in
    /// `Decimal` so amounts with more digits than an `f64` holds still spread over the axis.
    fn fraction(&self, v: Decimal) -> f64 {
        let span = self.span().and_then(|s| s.to_f64()).unwrap_or(1.0);
        let off = v
            .checked_sub(self.lo)
            .and_then(|d| d.to_f64())
            .unwrap_or(0.0);
        if span > 0.0 { off / span } else { 0.5 }
    }
}

/// The smallest of 1, 2, 2.5, 5 × 10ⁿ that is at least `raw` (and at least 10⁻²⁸).
fn nice_step(raw: Decimal) -> Option<Decimal> {
    let tiniest = Decimal::new(1, 28);
    let raw = raw.max(tiniest);
    let mut p = Decimal::ONE;
    while p > raw && p > tiniest {
        p /= Decimal::TEN;
    }
    while let Some(next) = p.checked_mul(Decimal::TEN) {
        if next > raw {
            break;
        }
        p = next;
    }
    for m in [
        Decimal::ONE,
        Decimal::TWO,
        Decimal::new(25, 1),
        Decimal::new(5, 0),
    ] {
        let candidate = p.checked_mul(m)?;
        if candidate >= raw {
            return Some(candidate);
        }
    }
    p.checked_mul(Decimal::TEN)
}

// ---------------------------------------------------------------------------------------------
// The time axis, in the reader's zone

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Seconds(u32),
    Minutes(u32),
    Hours(u32),
    Days(u32),
    Weeks(u32),
    Months(u32),
    Years(i32),
}

/// Tried finest first; the first whose labels fit is used. A 7-day chart gets days, 30 days
/// weeks (Mondays), 90 days fortnights, a year months.
const STEPS: [Step; 30] = [
    Step::Seconds(1),
    Step::Seconds(5),
    Step::Seconds(15),
    Step::Seconds(30),
    Step::Minutes(1),
    Step::Minutes(5),
    Step::Minutes(15),
    Step::Minutes(30),
    Step::Hours(1),
    Step::Hours(3),
    Step::Hours(6),
    Step::Hours(12),
    Step::Days(1),
    Step::Days(2),
    Step::Weeks(1),
    Step::Weeks(2),
    Step::Months(1),
    Step::Months(2),
    Step::Months(3),
    Step::Months(6),
    Step::Years(1),
    Step::Years(2),
    Step::Years(5),
    Step::Years(10),
    Step::Years(20),
    Step::Years(50),
    Step::Years(100),
    Step::Years(250),
    Step::Years(500),
    Step::Years(1000),
];

#[derive(Debug, Clone, PartialEq, Eq)]
struct TimeTick {
    at: i64,
    label: String,
    /// Context under the label (the date under times, the year under months), only where it
    /// changes, so the axis stays uncluttered.
    sub: Option<String>,
}

/// The first wall-clock time on the step's grid at or before `local`.
fn align(step: Step, local: NaiveDateTime) -> Option<NaiveDateTime> {
    let date = local.date();
    let day_start = date.and_hms_opt(0, 0, 0)?;
    match step {
        Step::Seconds(n) => date.and_hms_opt(local.hour(), local.minute(), local.second() / n * n),
        Step::Minutes(n) => date.and_hms_opt(local.hour(), local.minute() / n * n, 0),
        Step::Hours(n) => date.and_hms_opt(local.hour() / n * n, 0, 0),
        Step::Days(n) => {
            let back = date.num_days_from_ce().rem_euclid(n as i32);
            day_start.checked_sub_signed(TimeDelta::days(back.into()))
        }
        Step::Weeks(n) => {
            let monday = date.num_days_from_ce() - date.weekday().num_days_from_monday() as i32;
            // Day 1 of the common era was a Monday, so whole weeks from it line fortnights up
            // the same way in every chart.
            let back = (monday - 1).div_euclid(7).rem_euclid(n as i32) * 7
                + date.weekday().num_days_from_monday() as i32;
            day_start.checked_sub_signed(TimeDelta::days(back.into()))
        }
        Step::Months(n) => {
            let m0 = date.month0() / n * n;
            NaiveDate::from_ymd_opt(date.year(), m0 + 1, 1)?.and_hms_opt(0, 0, 0)
        }
        Step::Years(n) => {
            let y = date.year() - date.year().rem_euclid(n);
            NaiveDate::from_ymd_opt(y, 1, 1)?.and_hms_opt(0, 0, 0)
        }
    }
}

fn advance(step: Step, t: NaiveDateTime) -> Option<NaiveDateTime> {
    let add_months = |months: u32| {
        let total = t.year() * 12 + t.month0() as i32 + months as i32;
        NaiveDate::from_ymd_opt(total.div_euclid(12), total.rem_euclid(12) as u32 + 1, 1)?
            .and_hms_opt(0, 0, 0)
    };
    match step {
        Step::Seconds(n) => t.checked_add_signed(TimeDelta::seconds(n.into())),
        Step::Minutes(n) => t.checked_add_signed(TimeDelta::minutes(n.into())),
        Step::Hours(n) => t.checked_add_signed(TimeDelta::hours(n.into())),
        Step::Days(n) => t.checked_add_signed(TimeDelta::days(n.into())),
        Step::Weeks(n) => t.checked_add_signed(TimeDelta::weeks(n.into())),
        Step::Months(n) => add_months(n),
        Step::Years(n) => add_months(n.unsigned_abs() * 12),
    }
}

/// The instant a wall-clock tick stands for. A time repeated when clocks go back is its first
/// occurrence. A time skipped when clocks go forward has no tick if it is a time of day; a
/// skipped midnight (some zones change at 00:00) moves to the first hour that exists, since
/// the label is the date.
fn resolve(tz: Tz, step: Step, local: NaiveDateTime) -> Option<i64> {
    if let Some(t) = tz.from_local_datetime(&local).earliest() {
        return Some(t.timestamp());
    }
    match step {
        Step::Seconds(_) | Step::Minutes(_) | Step::Hours(_) => None,
        _ => (1..=3).find_map(|h| {
            let later = local.checked_add_signed(TimeDelta::hours(h))?;
            tz.from_local_datetime(&later)
                .earliest()
                .map(|t| t.timestamp())
        }),
    }
}

/// Ticks of one step between `t0` and `t1`; `None` when there would be more than `limit`.
fn ticks_for(step: Step, t0: i64, t1: i64, tz: Tz, limit: usize) -> Option<Vec<TimeTick>> {
    let start = DateTime::from_timestamp(t0, 0)?
        .with_timezone(&tz)
        .naive_local();
    let mut local = align(step, start)?;
    let mut out: Vec<TimeTick> = Vec::new();
    let mut prev: Option<NaiveDateTime> = None;
    // Bounded: an aligned start is at most a step or two before `t0`, skipped times are rare.
    for _ in 0..limit + 8 {
        if let Some(at) = resolve(tz, step, local) {
            if at > t1 {
                return Some(out);
            }
            if at >= t0 {
                out.push(label(step, at, local, prev));
                if out.len() > limit {
                    return None;
                }
                prev = Some(local);
            }
        }
        local = advance(step, local)?;
    }
    None
}

fn label(step: Step, at: i64, local: NaiveDateTime, prev: Option<NaiveDateTime>) -> TimeTick {
    let date_changed = prev.is_none_or(|p| p.date() != local.date());
    let year_changed = prev.is_none_or(|p| p.year() != local.year());
    let (label, sub) = match step {
        Step::Seconds(_) => (
            local.format("%H:%M:%S").to_string(),
            date_changed.then(|| local.format("%-d %b").to_string()),
        ),
        Step::Minutes(_) | Step::Hours(_) => (
            local.format("%H:%M").to_string(),
            date_changed.then(|| local.format("%-d %b").to_string()),
        ),
        Step::Days(_) => (
            local.format("%-d %b").to_string(),
            Some(local.format("%a").to_string()),
        ),
        Step::Weeks(_) => (
            local.format("%-d %b").to_string(),
            year_changed.then(|| local.format("%Y").to_string()),
        ),
        Step::Months(_) => (
            local.format("%b").to_string(),
            year_changed.then(|| local.format("%Y").to_string()),
        ),
        Step::Years(_) => (local.format("%Y").to_string(), None),
    };
    TimeTick { at, label, sub }
}

/// The finest step whose labels fit side by side along the axis.
fn time_ticks(
    t0: i64,
    t1: i64,
    tz: Tz,
    x_of: impl Fn(i64) -> f32,
    width_of: impl Fn(&TimeTick) -> f32,
) -> Vec<TimeTick> {
    let fits = |ticks: &[TimeTick]| {
        ticks.windows(2).all(|w| {
            let room = x_of(w[1].at) - x_of(w[0].at);
            room >= (width_of(&w[0]) + width_of(&w[1])) / 2.0 + TIME_LABEL_GAP
        })
    };
    let mut single = None;
    for step in STEPS {
        let Some(ticks) = ticks_for(step, t0, t1, tz, MAX_TIME_TICKS) else {
            continue;
        };
        if !fits(&ticks) {
            continue;
        }
        if ticks.len() >= 2 {
            return ticks;
        }
        if single.is_none() && ticks.len() == 1 {
            single = Some(ticks);
        }
    }
    single.unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// Layout: everything placed, nothing drawn yet

#[derive(Debug, Clone, Copy, PartialEq)]
struct Box2 {
    x: f32,
    y: f32,
    w: f32,
    h: f32,
}

impl Box2 {
    fn overlaps(&self, other: &Box2) -> bool {
        self.x < other.x + other.w
            && other.x < self.x + self.w
            && self.y < other.y + other.h
            && other.y < self.y + self.h
    }

    fn inside(&self, outer: &Box2) -> bool {
        self.x >= outer.x
            && self.y >= outer.y
            && self.x + self.w <= outer.x + outer.w
            && self.y + self.h <= outer.y + outer.h
    }
}

#[derive(Debug, Clone, PartialEq)]
struct Marker {
    dot: (f32, f32),
    text: String,
    label: Box2,
}

#[derive(Debug, Clone, PartialEq)]
struct Scene {
    title: String,
    title_em: f32,
    zone: String,
    unit: String,
    plot: Box2,
    /// Amount gridlines: pixel row and label.
    amount_ticks: Vec<(f32, String)>,
    /// Time gridlines: pixel column and labels.
    time_ticks: Vec<(f32, TimeTick)>,
    /// The line in pixels, thinned to what one pixel column can show.
    line: Vec<(f32, f32)>,
    markers: Vec<Marker>,
}

impl Scene {
    fn build(input: &ChartInput, face: &Face) -> Result<Self, ChartError> {
        let points = input.points;
        if points.len() < 2 {
            return Err(ChartError::TooFewPoints(points.len()));
        }
        for (i, w) in points.windows(2).enumerate() {
            if w[1].0 < w[0].0 {
                return Err(ChartError::NotInTimeOrder { index: i + 1 });
            }
        }
        let (first, last) = (points[0].0, points[points.len() - 1].0);
        for t in [first, last] {
            if !(MIN_TIME..=MAX_TIME).contains(&t) {
                return Err(ChartError::TimeOutOfRange(t));
            }
        }
        // All points at one instant: an hour either side, so the axis has a width and labels.
        let (t0, t1) = if first == last {
            (first - 3600, last + 3600)
        } else {
            (first, last)
        };

        let mut min_i = 0;
        let mut max_i = 0;
        for (i, (_, v)) in points.iter().enumerate() {
            if *v < points[min_i].1 {
                min_i = i;
            }
            if *v > points[max_i].1 {
                max_i = i;
            }
        }
        let (min, max) = (points[min_i].1, points[max_i].1);
        let axis = AmountAxis::new(min, max, f64::from(LABEL_ROOM / (PLOT_BOTTOM - PLOT_TOP)))?;
        let amount_labels = axis.ticks();

        let unit = input.unit.trim().to_string();
        let label_w = amount_labels
            .iter()
            .map(|(_, s)| face.width(LABEL_EM, s))
            .chain([face.width(LABEL_EM, &unit)])
            .fold(0.0_f32, f32::max);
        // The widest amount label decides where the plot starts; past half the picture the
        // labels are long anyway and the line keeps the rest.
        let left = (MARGIN + label_w + 14.0).min(WIDTH as f32 / 2.0);
        let plot = Box2 {
            x: left,
            y: PLOT_TOP,
            w: PLOT_RIGHT - left,
            h: PLOT_BOTTOM - PLOT_TOP,
        };
        let (x0, x1) = (plot.x + PLOT_INSET, plot.x + plot.w - PLOT_INSET);
        let span = (t1 - t0) as f64;
        let x_of = |t: i64| x0 + ((t - t0) as f64 / span) as f32 * (x1 - x0);
        let y_of = |v: Decimal| PLOT_BOTTOM - axis.fraction(v) as f32 * plot.h;

        let amount_ticks = amount_labels
            .into_iter()
            .map(|(v, s)| (y_of(v).round(), s))
            .collect();

        let width_of = |t: &TimeTick| {
            let w = face.width(LABEL_EM, &t.label);
            t.sub.as_ref().map_or(w, |s| w.max(face.width(SMALL_EM, s)))
        };
        let time_ticks = time_ticks(t0, t1, input.tz, x_of, width_of)
            .into_iter()
            .map(|t| (x_of(t.at).round(), t))
            .collect();

        let line = thin(points.iter().map(|(t, v)| (x_of(*t), y_of(*v))));

        let unit_suffix = if unit.is_empty() {
            String::new()
        } else {
            format!(" {unit}")
        };
        let dot_of = |i: usize| (x_of(points[i].0), y_of(points[i].1));
        let dot_box = |(x, y): (f32, f32)| Box2 {
            x: x - DOT_RADIUS - 3.0,
            y: y - DOT_RADIUS - 3.0,
            w: 2.0 * DOT_RADIUS + 6.0,
            h: 2.0 * DOT_RADIUS + 6.0,
        };
        let markers = if min == max {
            let dot = dot_of(0);
            let text = format!("min = max {}{unit_suffix}", amount_text(min));
            let label = place_label(face, dot, &text, true, &plot, &line, &[]);
            vec![Marker { dot, text, label }]
        } else {
            let (hi_dot, lo_dot) = (dot_of(max_i), dot_of(min_i));
            let hi_text = format!("max {}{unit_suffix}", amount_text(max));
            let lo_text = format!("min {}{unit_suffix}", amount_text(min));
            let hi_label = place_label(
                face,
                hi_dot,
                &hi_text,
                true,
                &plot,
                &line,
                &[dot_box(lo_dot)],
            );
            let lo_label = place_label(
                face,
                lo_dot,
                &lo_text,
                false,
                &plot,
                &line,
                &[dot_box(hi_dot), hi_label],
            );
            vec![
                Marker {
                    dot: hi_dot,
                    text: hi_text,
                    label: hi_label,
                },
                Marker {
                    dot: lo_dot,
                    text: lo_text,
                    label: lo_label,
                },
            ]
        };

        let zone = input.tz.name().to_string();
        let title_room = WIDTH as f32 - 2.0 * MARGIN - face.width(SMALL_EM, &zone) - 24.0;
        let (title, title_em) = fit_title(face, input.title.trim(), title_room);

        Ok(Self {
            title,
            title_em,
            zone,
            unit,
            plot,
            amount_ticks,
            time_ticks,
            line,
            markers,
        })
    }
}

/// Several thousand points squeeze into ~1,200 pixel columns: a column with more than two keeps
/// only its lowest and highest, in their order. The line still covers each column from its
/// lowest to its highest point and joins neighbouring columns, so the picture differs from
/// drawing every point by under a pixel, and the stroking time no longer grows with the
/// series. (Keeping each column's first and last points too matches even closer, but measured
/// a third slower on a year of noise.)
fn thin(points: impl Iterator<Item = (f32, f32)>) -> Vec<(f32, f32)> {
    let mut out: Vec<(f32, f32)> = Vec::new();
    let mut column: Vec<(f32, f32)> = Vec::new();
    let mut current: Option<i64> = None;
    let flush = |column: &mut Vec<(f32, f32)>, out: &mut Vec<(f32, f32)>| {
        if column.len() <= 2 {
            out.append(column);
            return;
        }
        let (mut lowest, mut highest) = (0, 0);
        for (i, p) in column.iter().enumerate() {
            if p.1 > column[lowest].1 {
                lowest = i;
            }
            if p.1 < column[highest].1 {
                highest = i;
            }
        }
        out.push(column[lowest.min(highest)]);
        out.push(column[lowest.max(highest)]);
        column.clear();
    };
    for p in points {
        let col = p.0.floor() as i64;
        if current != Some(col) {
            flush(&mut column, &mut out);
            current = Some(col);
        }
        column.push(p);
    }
    flush(&mut column, &mut out);
    out
}

/// A marker label's box: above the dot (the maximum) or below it (the minimum) where that fits,
/// else wherever in the plot it hides the least of the line and nothing of the other marker.
fn place_label(
    face: &Face,
    dot: (f32, f32),
    text: &str,
    above: bool,
    plot: &Box2,
    line: &[(f32, f32)],
    avoid: &[Box2],
) -> Box2 {
    let w = face.width(LABEL_EM, text) + 2.0 * LABEL_PAD;
    let h = LABEL_H;
    let gap = LABEL_GAP;
    let clamp_x = |x: f32| x.clamp(plot.x + 4.0, (plot.x + plot.w - w - 4.0).max(plot.x));
    let clamp_y = |y: f32| y.clamp(plot.y, (plot.y + plot.h - h).max(plot.y));
    let xs = [
        clamp_x(dot.0 - w / 2.0),
        clamp_x(dot.0 - 2.0 * gap),
        clamp_x(dot.0 + 2.0 * gap - w),
    ];
    let over: Vec<Box2> = xs
        .iter()
        .map(|&x| Box2 {
            x,
            y: dot.1 - gap - h,
            w,
            h,
        })
        .collect();
    let under: Vec<Box2> = xs
        .iter()
        .map(|&x| Box2 {
            x,
            y: dot.1 + gap,
            w,
            h,
        })
        .collect();
    // Beside the dot, also a little away from it along the same row: next to a steep line the
    // nearest spot may hide it where one a few label-heights over hides nothing.
    let mut beside = Vec::new();
    for shift in [0.0, 40.0, 80.0, 120.0] {
        for y in [dot.1 - h / 2.0, dot.1 - h, dot.1] {
            for x in [dot.0 + gap + shift, dot.0 - gap - w - shift] {
                let y = clamp_y(y);
                beside.push((Box2 { x, y, w, h }, shift));
            }
        }
    }
    let (first, last) = if above { (over, under) } else { (under, over) };
    let candidates: Vec<(Box2, f32)> = first
        .into_iter()
        .map(|b| (b, 0.0))
        .chain(beside)
        .chain(last.into_iter().map(|b| (b, 0.0)))
        .filter(|(b, _)| b.inside(plot))
        .collect();
    let cost = |b: &Box2, shift: f32| {
        let hidden: f32 = line.windows(2).map(|s| clipped_length(s[0], s[1], b)).sum();
        let clash = avoid.iter().filter(|o| o.overlaps(b)).count() as f32;
        hidden + shift / 2.0 + 10_000.0 * clash
    };
    let mut best: Option<(Box2, f32)> = None;
    for (b, shift) in candidates {
        let c = cost(&b, shift);
        // Earlier candidates win unless a later one hides clearly less.
        if best.is_none_or(|(_, bc)| c + 2.0 < bc) {
            best = Some((b, c));
        }
    }
    best.map(|(b, _)| b).unwrap_or(Box2 {
        x: clamp_x(dot.0 - w / 2.0),
        y: if above { dot.1 - gap - h } else { dot.1 + gap },
        w,
        h,
    })
}

/// How much of the segment `p`–`q` lies inside `b` (Liang–Barsky clipping).
fn clipped_length(p: (f32, f32), q: (f32, f32), b: &Box2) -> f32 {
    let (dx, dy) = (q.0 - p.0, q.1 - p.1);
    let (mut t0, mut t1) = (0.0_f32, 1.0_f32);
    for (den, num) in [
        (-dx, p.0 - b.x),
        (dx, b.x + b.w - p.0),
        (-dy, p.1 - b.y),
        (dy, b.y + b.h - p.1),
    ] {
        if den == 0.0 {
            if num < 0.0 {
                return 0.0;
            }
        } else {
            let t = num / den;
            if den < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    if t1 <= t0 {
        return 0.0;
    }
    (t1 - t0) * (dx * dx + dy * dy).sqrt()
}

/// The title at the largest size that fits; at the smallest size, cut with an ellipsis.
fn fit_title(face: &Face, title: &str, room: f32) -> (String, f32) {
    // No title that fits a line is this long; cutting first keeps the loop below short.
    let title: String = title.chars().take(200).collect();
    let title = title.as_str();
    let mut em = TITLE_EM;
    while em > TITLE_MIN_EM && face.width(em, title) > room {
        em -= 2.0;
    }
    if face.width(em, title) <= room {
        return (title.to_string(), em);
    }
    let mut chars: Vec<char> = title.chars().collect();
    while !chars.is_empty() {
        chars.pop();
        let cut: String = chars.iter().collect::<String>().trim_end().to_string() + "…";
        if face.width(em, &cut) <= room {
            return (cut, em);
        }
    }
    (String::new(), em)
}

// ---------------------------------------------------------------------------------------------
// Drawing

fn paint_of(rgb: [u8; 3], alpha: u8) -> Paint<'static> {
    let mut paint = Paint::default();
    paint.set_color_rgba8(rgb[0], rgb[1], rgb[2], alpha);
    paint.anti_alias = true;
    paint
}

fn fill_rect(pixmap: &mut Pixmap, x: f32, y: f32, w: f32, h: f32, rgb: [u8; 3]) {
    if let Some(rect) = Rect::from_xywh(x, y, w, h) {
        pixmap.fill_rect(rect, &paint_of(rgb, 255), Transform::identity(), None);
    }
}

fn rounded_rect(b: &Box2, r: f32) -> Option<tiny_skia::Path> {
    let mut pb = PathBuilder::new();
    let (x0, y0, x1, y1) = (b.x, b.y, b.x + b.w, b.y + b.h);
    pb.move_to(x0 + r, y0);
    pb.line_to(x1 - r, y0);
    pb.quad_to(x1, y0, x1, y0 + r);
    pb.line_to(x1, y1 - r);
    pb.quad_to(x1, y1, x1 - r, y1);
    pb.line_to(x0 + r, y1);
    pb.quad_to(x0, y1, x0, y1 - r);
    pb.line_to(x0, y0 + r);
    pb.quad_to(x0, y0, x0 + r, y0);
    pb.close();
    pb.finish()
}

fn paint(scene: &Scene, face: &Face) -> Result<Rgb, ChartError> {
    let mut pixmap = Pixmap::new(WIDTH, HEIGHT)
        .ok_or_else(|| ChartError::Render("no room for the picture".into()))?;
    let [r, g, b] = BACKGROUND_RGB;
    pixmap.fill(tiny_skia::Color::from_rgba8(r, g, b, 255));
    let plot = scene.plot;

    // Gridlines on whole pixels, 2 px wide: crisp, and they compress to almost nothing.
    for (y, _) in &scene.amount_ticks {
        fill_rect(&mut pixmap, plot.x, y - 1.0, plot.w, 2.0, GRID_RGB);
    }
    for (x, _) in &scene.time_ticks {
        fill_rect(&mut pixmap, x - 1.0, plot.y, 2.0, plot.h, GRID_RGB);
        fill_rect(&mut pixmap, x - 1.0, PLOT_BOTTOM, 2.0, 10.0, AXIS_RGB);
    }
    fill_rect(
        &mut pixmap,
        plot.x,
        PLOT_BOTTOM - 1.0,
        plot.w,
        2.0,
        AXIS_RGB,
    );

    // Stroked in pieces that share their end points: one path of thousands of tall zigzags (a
    // noisy year) makes every scanline cross thousands of edges at once, about 2.5 times slower.
    // Pieces of 128 points measured fastest: shorter ones spend the time on extra caps.
    let stroke = Stroke {
        width: LINE_WIDTH,
        line_cap: LineCap::Round,
        line_join: LineJoin::Round,
        ..Stroke::default()
    };
    let line_paint = paint_of(LINE_RGB, 255);
    let mut start = 0;
    while start + 1 < scene.line.len() {
        let end = (start + LINE_PIECE).min(scene.line.len() - 1);
        let mut pb = PathBuilder::new();
        pb.move_to(scene.line[start].0, scene.line[start].1);
        for (x, y) in &scene.line[start + 1..=end] {
            pb.line_to(*x, *y);
        }
        if let Some(path) = pb.finish() {
            pixmap.stroke_path(&path, &line_paint, &stroke, Transform::identity(), None);
        }
        start = end;
    }

    for m in &scene.markers {
        for (radius, rgb) in [(DOT_RADIUS + 3.0, BACKGROUND_RGB), (DOT_RADIUS, MARKER_RGB)] {
            if let Some(c) = PathBuilder::from_circle(m.dot.0, m.dot.1, radius) {
                pixmap.fill_path(
                    &c,
                    &paint_of(rgb, 255),
                    FillRule::Winding,
                    Transform::identity(),
                    None,
                );
            }
        }
        if let Some(frame) = rounded_rect(&m.label, 8.0) {
            pixmap.fill_path(
                &frame,
                &paint_of(BACKGROUND_RGB, 235),
                FillRule::Winding,
                Transform::identity(),
                None,
            );
            let border = Stroke {
                width: 2.0,
                ..Stroke::default()
            };
            pixmap.stroke_path(
                &frame,
                &paint_of(MARKER_RGB, 255),
                &border,
                Transform::identity(),
                None,
            );
        }
    }

    // The background is opaque, so premultiplied RGBA is plain RGBA: drop the alpha.
    let mut img = Rgb {
        data: pixmap
            .data()
            .chunks_exact(4)
            .flat_map(|p| [p[0], p[1], p[2]])
            .collect(),
    };

    let title_base = 22.0 + face.cap_height(scene.title_em) + 6.0;
    face.draw(
        &mut img,
        scene.title_em,
        MARGIN,
        title_base,
        &scene.title,
        TEXT_RGB,
    );
    let zone_w = face.width(SMALL_EM, &scene.zone);
    face.draw(
        &mut img,
        SMALL_EM,
        WIDTH as f32 - MARGIN - zone_w,
        title_base,
        &scene.zone,
        MUTED_RGB,
    );

    let right_edge = plot.x - 14.0;
    let label_mid = face.cap_height(LABEL_EM) / 2.0;
    for (y, text) in &scene.amount_ticks {
        let w = face.width(LABEL_EM, text);
        face.draw(
            &mut img,
            LABEL_EM,
            right_edge - w,
            y + label_mid,
            text,
            TEXT_RGB,
        );
    }
    let unit_w = face.width(LABEL_EM, &scene.unit);
    face.draw(
        &mut img,
        LABEL_EM,
        right_edge - unit_w,
        PLOT_TOP - 26.0,
        &scene.unit,
        MUTED_RGB,
    );

    let centred = |w: f32, x: f32| (x - w / 2.0).clamp(4.0, WIDTH as f32 - 4.0 - w);
    for (x, tick) in &scene.time_ticks {
        let w = face.width(LABEL_EM, &tick.label);
        let base = PLOT_BOTTOM + 14.0 + face.cap_height(LABEL_EM) + 8.0;
        face.draw(
            &mut img,
            LABEL_EM,
            centred(w, *x),
            base,
            &tick.label,
            TEXT_RGB,
        );
        if let Some(sub) = &tick.sub {
            let w = face.width(SMALL_EM, sub);
            face.draw(
                &mut img,
                SMALL_EM,
                centred(w, *x),
                base + SMALL_EM * 1.3,
                sub,
                MUTED_RGB,
            );
        }
    }

    for m in &scene.markers {
        let base = m.label.y + m.label.h / 2.0 + face.cap_height(LABEL_EM) / 2.0;
        face.draw(
            &mut img,
            LABEL_EM,
            m.label.x + LABEL_PAD,
            base,
            &m.text,
            TEXT_RGB,
        );
    }
    Ok(img)
}

fn encode_png(img: &Rgb) -> Result<Vec<u8>, ChartError> {
    let fail = |e: png::EncodingError| ChartError::Render(format!("PNG encoding failed ({e})"));
    let mut out = Vec::with_capacity(96 * 1024);
    let mut encoder = png::Encoder::new(&mut out, WIDTH, HEIGHT);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    // Measured on noisy year-long series: the `Up` filter gives the smallest files of the fixed
    // filters, as small as adaptive filtering at two thirds of its time.
    encoder.set_compression(png::Compression::Default);
    encoder.set_filter(png::FilterType::Up);
    let mut writer = encoder.write_header().map_err(fail)?;
    writer.write_image_data(&img.data).map_err(fail)?;
    writer.finish().map_err(fail)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Timelike;
    use proptest::prelude::*;
    use std::str::FromStr;

    /// 2026-01-01T00:00:00Z.
    const END: i64 = 1_767_225_600;
    const DAY: i64 = 86_400;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn berlin() -> Tz {
        "Europe/Berlin".parse().unwrap()
    }

    /// A random walk with deposits and withdrawals, `n` points `every` seconds apart ending at
    /// `END`, amounts with `dp` decimals.
    fn walk(seed: u64, n: usize, every: i64, start: i64, dp: u32) -> Vec<(i64, Decimal)> {
        let mut rng = fastrand::Rng::with_seed(seed);
        let mut v = start;
        (0..n)
            .map(|i| {
                v += rng.i64(-start / 60..=start / 60);
                if rng.u32(0..200) == 0 {
                    v += rng.i64(-start / 4..=start / 3);
                }
                v = v.max(0);
                (END - every * (n - 1 - i) as i64, Decimal::new(v, dp))
            })
            .collect()
    }

    /// Every point independent of the last: the line fills a band, the worst case for size.
    fn white_noise(seed: u64, n: usize, every: i64) -> Vec<(i64, Decimal)> {
        let mut rng = fastrand::Rng::with_seed(seed);
        (0..n)
            .map(|i| {
                let v = rng.i64(100_000_000..=200_000_000);
                (END - every * (n - 1 - i) as i64, Decimal::new(v, 8))
            })
            .collect()
    }

    fn input<'a>(points: &'a [(i64, Decimal)], unit: &'a str, tz: Tz) -> ChartInput<'a> {
        ChartInput {
            title: "BTC, last 30 days",
            unit,
            points,
            tz,
        }
    }

    fn scene(points: &[(i64, Decimal)], unit: &str, tz: Tz) -> Scene {
        Scene::build(&input(points, unit, tz), &Face::new().unwrap()).unwrap()
    }

    struct Decoded {
        width: u32,
        height: u32,
        rgb: Vec<u8>,
    }

    impl Decoded {
        fn pixel(&self, x: u32, y: u32) -> [u8; 3] {
            let i = ((y * self.width + x) * 3) as usize;
            [self.rgb[i], self.rgb[i + 1], self.rgb[i + 2]]
        }

        fn count(&self, color: [u8; 3]) -> usize {
            self.rgb.chunks_exact(3).filter(|p| *p == color).count()
        }

        /// Pixel columns in `from..to` holding at least one pixel of `color`.
        fn columns_with(&self, color: [u8; 3], from: u32, to: u32) -> usize {
            (from..to)
                .filter(|&x| (0..self.height).any(|y| self.pixel(x, y) == color))
                .count()
        }
    }

    fn decode(png_bytes: &[u8]) -> Decoded {
        let decoder = png::Decoder::new(png_bytes);
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut buf).unwrap();
        assert_eq!(info.color_type, png::ColorType::Rgb);
        assert_eq!(info.bit_depth, png::BitDepth::Eight);
        buf.truncate(info.buffer_size());
        Decoded {
            width: info.width,
            height: info.height,
            rgb: buf,
        }
    }

    /// Renders, decodes and checks what every chart must show: the size, a line spread over
    /// the plot's width, and the markers at the minimum's and maximum's points.
    fn render_and_check(points: &[(i64, Decimal)], unit: &str, tz: Tz) -> (Vec<u8>, Decoded) {
        let png_bytes = render_png(&input(points, unit, tz)).unwrap();
        let img = decode(&png_bytes);
        assert_eq!((img.width, img.height), (WIDTH, HEIGHT));
        assert!(png_bytes.len() < 150_000, "{} bytes", png_bytes.len());

        let s = scene(points, unit, tz);
        let (x0, x1) = (s.plot.x + PLOT_INSET, s.plot.x + s.plot.w - PLOT_INSET);
        let (first_t, last_t) = (points[0].0, points[points.len() - 1].0);
        if first_t != last_t {
            let covered = img.columns_with(LINE_RGB, x0.ceil() as u32, x1.floor() as u32);
            let width = (x1.floor() - x0.ceil()) as usize;
            assert!(
                covered * 10 >= width * 9,
                "line in {covered} of {width} columns"
            );
            // A 3.5 px line has at least one whole pixel in a column, usually two or three.
            assert!(img.count(LINE_RGB) * 2 >= 3 * width, "too few line pixels");
        }
        for m in &s.markers {
            let (x, y) = (m.dot.0.round() as u32, m.dot.1.round() as u32);
            assert_eq!(img.pixel(x, y), MARKER_RGB, "no marker at {:?}", m.dot);
        }
        assert!(img.count(MARKER_RGB) >= 150 * s.markers.len());
        (png_bytes, img)
    }

    #[test]
    fn a_month_is_a_1280x720_png_with_a_line_across_the_plot_and_both_markers() {
        let points = walk(2, 30 * 96, 900, 150_000_000, 8);
        let (_, img) = render_and_check(&points, "BTC", berlin());
        // The line is not just a header or a single row: it has height too.
        let rows = (0..img.height)
            .filter(|&y| (0..img.width).any(|x| img.pixel(x, y) == LINE_RGB))
            .count();
        assert!(rows > 200, "line spans only {rows} rows");
        assert_eq!(scene(&points, "BTC", berlin()).markers.len(), 2);
    }

    #[test]
    fn noisy_years_stay_under_150_kb() {
        for points in [
            walk(4, 365 * 24, 3600, 9_876_543_212_345, 2),
            white_noise(6, 365 * 24, 3600),
            white_noise(7, 365 * 96, 900),
        ] {
            render_and_check(&points, "USD", berlin());
        }
    }

    #[test]
    fn marker_labels_are_the_exact_decimals() {
        let points = [
            (END - 3 * DAY, d("98765432123.45")),
            (END - 2 * DAY, d("98765432123.46")),
            (END - DAY, d("98765432123.40")),
            (END, d("98765432123.44")),
        ];
        let s = scene(&points, "USD", berlin());
        let texts: Vec<&str> = s.markers.iter().map(|m| m.text.as_str()).collect();
        assert_eq!(
            texts,
            ["max 98,765,432,123.46 USD", "min 98,765,432,123.40 USD"]
        );
        render_and_check(&points, "USD", berlin());

        // The scale the amounts came with is kept: this is the wallet's own precision.
        let points = [(END - DAY, d("1.50000000")), (END, d("0.00000001"))];
        let s = scene(&points, "BTC", berlin());
        let texts: Vec<&str> = s.markers.iter().map(|m| m.text.as_str()).collect();
        assert_eq!(texts, ["max 1.50000000 BTC", "min 0.00000001 BTC"]);
    }

    #[test]
    fn amount_ticks_are_exact_decimal_text() {
        for (min, max) in [
            ("0.00000001", "0.00000003"),
            ("0.00000001", "0.00000001"),
            ("98765432123.45", "98765432123.46"),
            ("98765432123.45", "98765432123.45"),
            ("-5.5", "3.2"),
            ("-1204.50", "-12.25"),
            ("0", "0"),
            (
                "1234567890123456789012345678",
                "1234567890123456789012345679",
            ),
            (
                "0.0000000000000000000000000001",
                "0.0000000000000000000000000001",
            ),
        ] {
            let axis = AmountAxis::new(d(min), d(max), 0.1).unwrap();
            let ticks = axis.ticks();
            assert!(
                ticks.len() >= 3 && ticks.len() <= 12,
                "{min}..{max}: {ticks:?}"
            );
            assert!(axis.lo < d(min) || (axis.lo == d(min) && d(min) == Decimal::ZERO));
            assert!(axis.hi > d(max), "{min}..{max}: {axis:?}");
            for (v, text) in &ticks {
                assert!(!text.contains(['e', 'E']), "{text}");
                assert_eq!(d(&text.replace(',', "")), *v, "{text}");
                assert!(
                    (*v - axis.lo) % axis.step == Decimal::ZERO,
                    "{min}..{max}: {axis:?} {v}"
                );
            }
            // One number of decimals for the whole axis, so the labels line up.
            let decimals: Vec<usize> = ticks
                .iter()
                .map(|(_, t)| t.split_once('.').map_or(0, |(_, f)| f.len()))
                .collect();
            assert!(decimals.windows(2).all(|w| w[0] == w[1]), "{ticks:?}");
        }
        let axis = AmountAxis::new(d("1.13401463"), d("2.05542721"), 0.1).unwrap();
        let labels: Vec<String> = axis.ticks().into_iter().map(|(_, s)| s).collect();
        assert_eq!(labels, ["1.00", "1.25", "1.50", "1.75", "2.00", "2.25"]);
    }

    #[test]
    fn positive_balances_get_no_axis_below_zero() {
        let axis = AmountAxis::new(d("0.1"), d("10"), 0.1).unwrap();
        assert_eq!(axis.lo, Decimal::ZERO);
        let axis = AmountAxis::new(d("-10"), d("-0.1"), 0.1).unwrap();
        assert_eq!(axis.hi, Decimal::ZERO);
        let axis = AmountAxis::new(Decimal::ZERO, Decimal::ZERO, 0.1).unwrap();
        assert_eq!((axis.lo, axis.hi), (Decimal::ZERO, Decimal::ONE));
        let axis = AmountAxis::new(d("-3.5"), d("-3.5"), 0.1).unwrap();
        assert!(axis.lo < d("-3.5") && axis.hi > d("-3.5") && axis.hi <= Decimal::ZERO);
    }

    #[test]
    fn nice_steps() {
        for (raw, step) in [
            ("0.3", "0.5"),
            ("1", "1"),
            ("1.01", "2"),
            ("2.1", "2.5"),
            ("2.6", "5"),
            ("7", "10"),
            ("1234", "2000"),
            ("0.000000004", "0.000000005"),
            ("0", "0.0000000000000000000000000001"),
        ] {
            assert_eq!(nice_step(d(raw)), Some(d(step)), "{raw}");
        }
        assert_eq!(nice_step(Decimal::MAX), None);
    }

    #[test]
    fn thousands_separators_change_no_digit() {
        for (raw, grouped) in [
            ("0", "0"),
            ("123", "123"),
            ("1234", "1,234"),
            ("-1204.50", "-1,204.50"),
            ("98765432123.45", "98,765,432,123.45"),
            ("100000.000001", "100,000.000001"),
            ("-999", "-999"),
        ] {
            assert_eq!(group_thousands(raw), grouped);
        }
    }

    #[test]
    fn a_flat_series_gets_a_padded_axis_and_one_marker() {
        let points: Vec<(i64, Decimal)> = (0..50)
            .map(|i| (END - 3600 * (49 - i), d("5.00000000")))
            .collect();
        let s = scene(&points, "BTC", berlin());
        assert_eq!(s.markers.len(), 1);
        assert_eq!(s.markers[0].text, "min = max 5.00000000 BTC");
        // The line runs through the middle, not along an edge.
        let y = s.line[0].1;
        assert!(s.line.iter().all(|p| p.1 == y));
        assert!(y > s.plot.y + s.plot.h * 0.25 && y < s.plot.y + s.plot.h * 0.75);
        let (_, img) = render_and_check(&points, "BTC", berlin());
        let row = y.round() as u32;
        let covered = (0..img.width)
            .filter(|&x| img.pixel(x, row) == LINE_RGB)
            .count();
        assert!(covered > 1000, "{covered}");

        for v in ["0", "0.00000001", "98765432123.45", "-3.5"] {
            let points = [(END - DAY, d(v)), (END, d(v))];
            render_and_check(&points, "BTC", berlin());
        }
    }

    #[test]
    fn two_points_tiny_huge_and_negative_amounts_draw() {
        let cases: [&[(i64, Decimal)]; 5] = [
            &[(END - DAY, d("1")), (END, d("2"))],
            &[(END - DAY, d("0.00000001")), (END, d("0.00000002"))],
            &[(END - DAY, d("98765432123.45")), (END, d("98765432123.46"))],
            &[
                (END - 2 * DAY, d("-5.5")),
                (END - DAY, d("3.2")),
                (END, d("-0.75")),
            ],
            &[(END - DAY, d("-1204.50")), (END, d("-1.25"))],
        ];
        for points in cases {
            render_and_check(points, "USD", berlin());
        }
    }

    #[test]
    fn points_at_one_instant_draw() {
        let points = [(END, d("1")), (END, d("2")), (END, d("1.5"))];
        let png_bytes = render_png(&input(&points, "BTC", berlin())).unwrap();
        let img = decode(&png_bytes);
        assert_eq!((img.width, img.height), (WIDTH, HEIGHT));
        assert!(img.count(LINE_RGB) > 0);
        assert!(img.count(MARKER_RGB) > 300);
    }

    #[test]
    fn bad_input_is_an_error_not_a_panic() {
        let one = [(END, d("1"))];
        for points in [&[][..], &one[..]] {
            let err = render_png(&input(points, "BTC", berlin())).unwrap_err();
            assert_eq!(err, ChartError::TooFewPoints(points.len()));
        }
        let unordered = [(END, d("1")), (END - 1, d("2"))];
        assert_eq!(
            render_png(&input(&unordered, "BTC", berlin())).unwrap_err(),
            ChartError::NotInTimeOrder { index: 1 }
        );
        for (first, last, bad) in [
            (i64::MIN, END, i64::MIN),
            (MIN_TIME - 1, END, MIN_TIME - 1),
            (END, MAX_TIME + 1, MAX_TIME + 1),
            (END, i64::MAX, i64::MAX),
        ] {
            let points = [(first, d("1")), (last, d("2"))];
            assert_eq!(
                render_png(&input(&points, "BTC", berlin())).unwrap_err(),
                ChartError::TimeOutOfRange(bad)
            );
        }
        for (a, b) in [
            (Decimal::MIN, Decimal::MAX),
            (Decimal::MAX, Decimal::MAX),
            (Decimal::MIN, Decimal::MIN),
            (Decimal::ZERO, Decimal::MAX),
        ] {
            let points = [(END - DAY, a), (END, b)];
            assert_eq!(
                render_png(&input(&points, "BTC", berlin())).unwrap_err(),
                ChartError::AmountOutOfRange
            );
        }
        let err = ChartError::TooFewPoints(1).to_string();
        assert!(err.starts_with('A') && err.ends_with('.'), "{err}");
    }

    fn local(t: i64, tz: Tz) -> NaiveDateTime {
        DateTime::from_timestamp(t, 0)
            .unwrap()
            .with_timezone(&tz)
            .naive_local()
    }

    fn ticks(points: &[(i64, Decimal)], tz: Tz) -> Vec<TimeTick> {
        scene(points, "BTC", tz)
            .time_ticks
            .into_iter()
            .map(|(_, t)| t)
            .collect()
    }

    fn span(days: i64, every: i64) -> Vec<(i64, Decimal)> {
        let n = (days * DAY / every) as usize + 1;
        walk(9, n, every, 150_000_000, 8)
    }

    #[test]
    fn a_week_has_a_tick_each_local_midnight_with_the_weekday() {
        for tz in [berlin(), "Asia/Tehran".parse().unwrap(), Tz::UTC] {
            let t = ticks(&span(7, 900), tz);
            assert!((6..=8).contains(&t.len()), "{t:?}");
            for tick in &t {
                let l = local(tick.at, tz);
                assert_eq!((l.hour(), l.minute()), (0, 0), "{tz}: {tick:?}");
                assert_eq!(tick.label, l.format("%-d %b").to_string());
                assert_eq!(tick.sub.as_deref(), Some(&*l.format("%a").to_string()));
            }
        }
    }

    #[test]
    fn a_month_has_mondays_a_quarter_fortnights_a_year_months() {
        let tz = berlin();
        let month = ticks(&span(30, 3600), tz);
        assert!((4..=5).contains(&month.len()), "{month:?}");
        for w in month.windows(2) {
            assert_eq!(
                local(w[1].at, tz).date() - local(w[0].at, tz).date(),
                TimeDelta::days(7)
            );
        }
        for tick in &month {
            assert_eq!(local(tick.at, tz).weekday(), chrono::Weekday::Mon);
        }
        assert_eq!(month[0].sub.as_deref(), Some("2025"));

        let quarter = ticks(&span(90, 3600), tz);
        assert!((6..=7).contains(&quarter.len()), "{quarter:?}");
        for w in quarter.windows(2) {
            assert_eq!(
                local(w[1].at, tz).date() - local(w[0].at, tz).date(),
                TimeDelta::days(14)
            );
        }

        let year = ticks(&span(365, 3600), tz);
        assert!((12..=13).contains(&year.len()), "{year:?}");
        let months = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        for tick in &year {
            assert!(months.contains(&tick.label.as_str()), "{tick:?}");
            let l = local(tick.at, tz);
            assert_eq!((l.day(), l.hour(), l.minute()), (1, 0, 0));
        }
        // The year appears under the first month and under January.
        let jan = year.iter().find(|t| t.label == "Jan").unwrap();
        assert_eq!(jan.sub.as_deref(), Some("2026"));
        assert_eq!(year[0].sub.as_deref(), Some("2025"));
    }

    #[test]
    fn hour_ticks_skip_the_missing_hour_and_show_the_repeated_one_once() {
        let tz = berlin();
        // 2025-03-30: 02:00 local does not exist (clocks go from 02:00 to 03:00).
        let spring_start = 1_743_289_200; // 2025-03-29T23:00:00Z = 00:00 CET
        let points: Vec<(i64, Decimal)> = (0..=7 * 4)
            .map(|i| (spring_start + 900 * i, Decimal::from(i)))
            .collect();
        let t = ticks(&points, tz);
        let labels: Vec<&str> = t.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "00:00", "01:00", "03:00", "04:00", "05:00", "06:00", "07:00", "08:00"
            ]
        );
        assert_eq!(t[0].sub.as_deref(), Some("30 Mar"));
        assert!(t[1..].iter().all(|t| t.sub.is_none()));
        render_and_check(&points, "BTC", tz);

        // 2025-10-26: 02:00 local happens twice (03:00 CEST becomes 02:00 CET).
        let fall_start = 1_761_429_600; // 2025-10-25T22:00:00Z = 00:00 CEST
        let points: Vec<(i64, Decimal)> = (0..=7 * 4)
            .map(|i| (fall_start + 900 * i, Decimal::from(i % 5)))
            .collect();
        let t = ticks(&points, tz);
        let labels: Vec<&str> = t.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "00:00", "01:00", "02:00", "03:00", "04:00", "05:00", "06:00"
            ]
        );
        // The first 02:00 (CEST, 00:00Z), then 03:00 CET two real hours later.
        assert_eq!(t[2].at, fall_start + 2 * 3600);
        assert_eq!(t[3].at, fall_start + 4 * 3600);
        assert!(t.windows(2).all(|w| w[0].at < w[1].at));
        render_and_check(&points, "BTC", tz);
    }

    #[test]
    fn days_across_a_clock_change_stay_on_local_midnight() {
        let tz = berlin();
        // A week around 2025-10-26 (25 h day) and one around 2025-03-30 (23 h day).
        for end in [1_761_868_800, 1_743_638_400] {
            let points: Vec<(i64, Decimal)> = (0..=7 * 24)
                .map(|i| (end - 7 * DAY + 3600 * i, Decimal::new(i % 13, 1)))
                .collect();
            let t = ticks(&points, tz);
            assert!(t.len() >= 7, "{t:?}");
            for tick in &t {
                let l = local(tick.at, tz);
                assert_eq!((l.hour(), l.minute()), (0, 0), "{tick:?}");
            }
            let gaps: Vec<i64> = t.windows(2).map(|w| w[1].at - w[0].at).collect();
            assert!(gaps.contains(&(23 * 3600)) || gaps.contains(&(25 * 3600)));
            render_and_check(&points, "BTC", tz);
        }
    }

    #[test]
    fn short_spans_get_time_ticks_and_long_ones_year_ticks() {
        let tz = berlin();
        let two_seconds = [(END, d("1")), (END + 2, d("2"))];
        assert!(!ticks(&two_seconds, tz).is_empty());
        let centuries = [(MIN_TIME, d("1")), (MAX_TIME, d("2"))];
        let t = ticks(&centuries, tz);
        assert!(t.len() >= 2 && t.len() <= MAX_TIME_TICKS, "{t:?}");
        assert!(t.iter().all(|t| t.label.parse::<i32>().is_ok()));
        render_and_check(&centuries, "BTC", tz);
    }

    #[test]
    fn a_long_title_is_shrunk_then_cut_and_empty_texts_are_fine() {
        let face = Face::new().unwrap();
        let (title, em) = fit_title(&face, "BTC, last 30 days", 1000.0);
        assert_eq!((title.as_str(), em), ("BTC, last 30 days", TITLE_EM));
        let long =
            "Total value (USD) of every wallet, including the ones nobody uses, last 365 days";
        let (title, em) = fit_title(&face, long, 800.0);
        assert!(
            title.ends_with('…') && face.width(em, &title) <= 800.0,
            "{title}"
        );
        assert_eq!(em, TITLE_MIN_EM);
        let (title, _) = fit_title(&face, &"x".repeat(100_000), 800.0);
        assert!(title.ends_with('…') && title.chars().count() < 100);

        let points = walk(3, 100, 3600, 1_000, 2);
        let png_bytes = render_png(&ChartInput {
            title: "",
            unit: "",
            points: &points,
            tz: Tz::UTC,
        })
        .unwrap();
        assert_eq!(decode(&png_bytes).width, WIDTH);
    }

    #[test]
    fn a_crowded_column_keeps_its_lowest_and_highest_point_in_order() {
        let column = [(10.1, 50.0), (10.2, 20.0), (10.3, 90.0), (10.4, 60.0)];
        let next = [(11.5, 40.0)];
        let thinned = thin(column.iter().chain(&next).copied());
        // y grows downwards: 90 is the lowest amount, 20 the highest; 20 came first.
        assert_eq!(thinned, [(10.2, 20.0), (10.3, 90.0), (11.5, 40.0)]);
        let sparse = [(1.0, 1.0), (1.5, 2.0), (3.0, 3.0)];
        assert_eq!(thin(sparse.iter().copied()), sparse);
    }

    #[test]
    fn clipping_measures_the_hidden_part_of_a_segment() {
        let b = Box2 {
            x: 0.0,
            y: 0.0,
            w: 10.0,
            h: 10.0,
        };
        assert_eq!(clipped_length((-5.0, 5.0), (15.0, 5.0), &b), 10.0);
        assert_eq!(clipped_length((2.0, 2.0), (2.0, 6.0), &b), 4.0);
        assert_eq!(clipped_length((20.0, 0.0), (30.0, 10.0), &b), 0.0);
        assert_eq!(clipped_length((5.0, 20.0), (5.0, 20.0), &b), 0.0);
    }

    #[test]
    fn the_embedded_font_has_every_character_the_chart_prints() {
        let face = Face::new().unwrap();
        for c in
            "0123456789,.-–…=:() ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz/_".chars()
        {
            assert_ne!(face.font.glyph_id(c).0, 0, "{c:?}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Any amounts at any sorted times: a layout or an error, never a panic, and every
        /// coordinate finite.
        #[test]
        fn any_series_lays_out_or_errs(
            raw in prop::collection::vec(
                (MIN_TIME..=MAX_TIME, any::<i64>(), 0u32..=28, any::<bool>()),
                2..40,
            ),
        ) {
            let mut points: Vec<(i64, Decimal)> = raw
                .iter()
                .map(|(t, m, scale, wide)| {
                    let v = if *wide {
                        Decimal::from_i128_with_scale(i128::from(*m) << 30, *scale)
                    } else {
                        Decimal::new(*m, *scale)
                    };
                    (*t, v)
                })
                .collect();
            points.sort_by_key(|p| p.0);
            let face = Face::new().unwrap();
            match Scene::build(&input(&points, "BTC", berlin()), &face) {
                Ok(s) => {
                    prop_assert!(!s.line.is_empty());
                    for (x, y) in &s.line {
                        prop_assert!(x.is_finite() && y.is_finite());
                        prop_assert!(*x >= s.plot.x && *x <= s.plot.x + s.plot.w);
                        prop_assert!(*y >= s.plot.y - 1.0 && *y <= s.plot.y + s.plot.h + 1.0);
                    }
                    prop_assert!(s.time_ticks.len() <= MAX_TIME_TICKS);
                }
                Err(e) => prop_assert_eq!(e, ChartError::AmountOutOfRange),
            }
        }
    }
}
