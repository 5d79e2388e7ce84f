//! Layout: everything placed, nothing drawn yet. A [`Scene`] holds the picture as values: the
//! plot's box, gridline rows and columns with their labels, the series in pixels (a thinned line
//! or one box per bar), the markers with their labels, the title and the zone.

use rust_decimal::Decimal;

use super::amount_axis::{AmountAxis, amount_text};
use super::geometry::{Box2, clipped_length};
use super::labels::{fit_title, place_label};
use super::style::{
    BAR_MIN_H, BAR_SHARE, DOT_RADIUS, LABEL_EM, LABEL_ROOM, MARGIN, PLOT_BOTTOM, PLOT_INSET,
    PLOT_RIGHT, PLOT_TOP, SMALL_EM, WIDTH,
};
use super::text::Face;
use super::time_axis::{MAX_TIME, MIN_TIME, TimeTick, time_ticks};
use super::{ChartError, ChartInput, Kind, Labels};

/// The longest period one bar may stand for: a year and a day.
pub(super) const MAX_BAR_PERIOD: i64 = 366 * 86_400;

#[derive(Debug, Clone, PartialEq)]
pub(super) struct Marker {
    pub(super) dot: (f32, f32),
    pub(super) text: String,
    pub(super) label: Box2,
}

/// The series in pixels.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Shape {
    /// The line's points, thinned to what one pixel column can show.
    Line(Vec<(f32, f32)>),
    /// One box per point, on whole pixels, from the zero row to the amount (empty for zero).
    Bars(Vec<Box2>),
}

impl Shape {
    /// How much of the series `b` would cover: the length of line, or of bar outline, inside it.
    pub(super) fn hidden_under(&self, b: &Box2) -> f32 {
        match self {
            Shape::Line(line) => line.windows(2).map(|s| clipped_length(s[0], s[1], b)).sum(),
            Shape::Bars(bars) => bars
                .iter()
                .map(|r| {
                    let (x0, y0, x1, y1) = (r.x, r.y, r.x + r.w, r.y + r.h);
                    clipped_length((x0, y1), (x0, y0), b)
                        + clipped_length((x0, y0), (x1, y0), b)
                        + clipped_length((x1, y0), (x1, y1), b)
                        + clipped_length((x1, y1), (x0, y1), b)
                })
                .sum(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(super) struct Scene {
    pub(super) title: String,
    pub(super) title_em: f32,
    pub(super) zone: String,
    pub(super) unit: String,
    pub(super) plot: Box2,
    /// Amount gridlines: pixel row and label.
    pub(super) amount_ticks: Vec<(f32, String)>,
    /// Time gridlines: pixel column and labels.
    pub(super) time_ticks: Vec<(f32, TimeTick)>,
    pub(super) shape: Shape,
    pub(super) markers: Vec<Marker>,
}

/// Where instants and amounts land in pixels.
struct Scales {
    plot: Box2,
    axis: AmountAxis,
    t0: i64,
    span: f64,
    x0: f32,
    x1: f32,
}

impl Scales {
    /// `t0..=t1` spread over the plot's width, less [`PLOT_INSET`] at each end.
    fn new(plot: Box2, axis: AmountAxis, t0: i64, t1: i64) -> Self {
        let (x0, x1) = (plot.x + PLOT_INSET, plot.x + plot.w - PLOT_INSET);
        let span = (t1 - t0) as f64;
        Self {
            plot,
            axis,
            t0,
            span,
            x0,
            x1,
        }
    }

    fn x(&self, t: i64) -> f32 {
        self.x0 + ((t - self.t0) as f64 / self.span) as f32 * (self.x1 - self.x0)
    }

    fn y(&self, v: Decimal) -> f32 {
        PLOT_BOTTOM - self.axis.fraction(v) as f32 * self.plot.h
    }
}

/// The series, its time ticks and its markers, laid out for one kind of chart.
type Laid = (Shape, Vec<(f32, TimeTick)>, Vec<Marker>);

impl Scene {
    /// Lays out `input` drawn as `kind` with English labels.
    #[cfg(test)]
    pub(super) fn build(input: &ChartInput, kind: Kind, face: &Face) -> Result<Self, ChartError> {
        Self::build_in(input, kind, face, &Labels::default())
    }

    /// Lays out `input` drawn as `kind`, worded by `labels`; the error says why it cannot be
    /// drawn.
    pub(super) fn build_in(
        input: &ChartInput,
        kind: Kind,
        face: &Face,
        labels: &Labels,
    ) -> Result<Self, ChartError> {
        let points = input.points;
        let (t0, t1) = time_range(points, kind)?;
        let (min_i, max_i) = extremes(points);
        let (min, max) = (points[min_i].1, points[max_i].1);
        let room = f64::from(LABEL_ROOM / (PLOT_BOTTOM - PLOT_TOP));
        let axis = match kind {
            Kind::Line => AmountAxis::new(min, max, room)?,
            // Bars stand on zero: the axis always shows it.
            Kind::Bars { .. } => {
                AmountAxis::new(min.min(Decimal::ZERO), max.max(Decimal::ZERO), room)?
            }
        };
        let amount_labels = axis.ticks();
        let unit = input.unit.trim().to_string();
        let plot = plot_box(face, &amount_labels, &unit);
        let scales = Scales::new(plot, axis, t0, t1);
        let amount_ticks = amount_labels
            .into_iter()
            .map(|(v, s)| (scales.y(v).round(), s))
            .collect();
        let unit_suffix = if unit.is_empty() {
            String::new()
        } else {
            format!(" {unit}")
        };
        let (shape, time_ticks, markers) = match kind {
            Kind::Line => {
                let extremes = (min_i, max_i);
                lay_line(
                    input,
                    face,
                    labels,
                    &scales,
                    (t0, t1),
                    extremes,
                    &unit_suffix,
                )
            }
            Kind::Bars { period_secs } => lay_bars(
                input,
                face,
                labels,
                &scales,
                period_secs,
                max_i,
                &unit_suffix,
            ),
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
            shape,
            markers,
        })
    }
}

/// Checks the points for `kind` and gives the instants the time axis runs between.
fn time_range(points: &[(i64, Decimal)], kind: Kind) -> Result<(i64, i64), ChartError> {
    match kind {
        Kind::Line if points.len() < 2 => return Err(ChartError::TooFewPoints(points.len())),
        Kind::Bars { .. } if points.is_empty() => return Err(ChartError::NoBars),
        _ => {}
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
    match kind {
        Kind::Bars { period_secs } if !(1..=MAX_BAR_PERIOD).contains(&period_secs) => {
            Err(ChartError::BarPeriod(period_secs))
        }
        // The last bar stands for the period that starts at its time.
        Kind::Bars { period_secs } => Ok((first, last + period_secs)),
        // All points at one instant: an hour either side, so the axis has a width and labels.
        Kind::Line if first == last => Ok((first - 3600, last + 3600)),
        Kind::Line => Ok((first, last)),
    }
}

/// The indexes of the first lowest and the first highest amount.
fn extremes(points: &[(i64, Decimal)]) -> (usize, usize) {
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
    (min_i, max_i)
}

/// The plot's box: the widest amount label (or the unit above them) decides where it starts;
/// past half the picture the labels are long anyway and the series keeps the rest.
fn plot_box(face: &Face, amount_labels: &[(Decimal, String)], unit: &str) -> Box2 {
    let label_w = amount_labels
        .iter()
        .map(|(_, s)| face.width(LABEL_EM, s))
        .chain([face.width(LABEL_EM, unit)])
        .fold(0.0_f32, f32::max);
    let left = (MARGIN + label_w + 14.0).min(WIDTH as f32 / 2.0);
    Box2 {
        x: left,
        y: PLOT_TOP,
        w: PLOT_RIGHT - left,
        h: PLOT_BOTTOM - PLOT_TOP,
    }
}

/// How much room a time tick's texts take along the axis.
fn tick_width(face: &Face, t: &TimeTick) -> f32 {
    let w = face.width(LABEL_EM, &t.label);
    t.sub.as_ref().map_or(w, |s| w.max(face.width(SMALL_EM, s)))
}

/// The line through every point (thinned), ticks on its instants, markers at both extremes.
fn lay_line(
    input: &ChartInput,
    face: &Face,
    labels: &Labels,
    scales: &Scales,
    (t0, t1): (i64, i64),
    (min_i, max_i): (usize, usize),
    unit_suffix: &str,
) -> Laid {
    let points = input.points;
    let width_of = |t: &TimeTick| tick_width(face, t);
    let time_ticks = time_ticks(t0, t1, input.tz, 0, labels, |t| scales.x(t), width_of)
        .into_iter()
        .map(|t| (scales.x(t.at).round(), t))
        .collect();
    let shape = Shape::Line(thin(
        points.iter().map(|(t, v)| (scales.x(*t), scales.y(*v))),
    ));
    let plot = &scales.plot;
    let hidden = &|b: &Box2| shape.hidden_under(b);
    let (min, max) = (points[min_i].1, points[max_i].1);
    let dot_of = |i: usize| (scales.x(points[i].0), scales.y(points[i].1));
    if min == max {
        let dot = dot_of(0);
        let text = format!("{} {}{unit_suffix}", labels.min_max, amount_text(min));
        let label = place_label(face, dot, &text, true, plot, hidden, &[]);
        return (shape, time_ticks, vec![Marker { dot, text, label }]);
    }
    let (hi_dot, lo_dot) = (dot_of(max_i), dot_of(min_i));
    let hi_text = format!("{} {}{unit_suffix}", labels.max, amount_text(max));
    let lo_text = format!("{} {}{unit_suffix}", labels.min, amount_text(min));
    let hi_label = place_label(
        face,
        hi_dot,
        &hi_text,
        true,
        plot,
        hidden,
        &[dot_box(lo_dot)],
    );
    let avoid = [dot_box(hi_dot), hi_label];
    let lo_label = place_label(face, lo_dot, &lo_text, false, plot, hidden, &avoid);
    let markers = vec![
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
    ];
    (shape, time_ticks, markers)
}

/// A marker's dot with a little room around it, for the other marker's label to keep off.
fn dot_box((x, y): (f32, f32)) -> Box2 {
    Box2 {
        x: x - DOT_RADIUS - 3.0,
        y: y - DOT_RADIUS - 3.0,
        w: 2.0 * DOT_RADIUS + 6.0,
        h: 2.0 * DOT_RADIUS + 6.0,
    }
}

/// One bar per point over the period it starts, ticks centred under the bars they name, and a
/// marker on the highest bar.
fn lay_bars(
    input: &ChartInput,
    face: &Face,
    labels: &Labels,
    scales: &Scales,
    period: i64,
    max_i: usize,
    unit_suffix: &str,
) -> Laid {
    let points = input.points;
    let (first, last) = (points[0].0, points[points.len() - 1].0);
    let slot = scales.x(first + period) - scales.x(first);
    let w = (slot * BAR_SHARE).round().max(1.0);
    let zero = scales.y(Decimal::ZERO).round();
    let bars: Vec<Box2> = points
        .iter()
        .map(|&(t, v)| {
            let x = (scales.x(t) + slot / 2.0 - w / 2.0).round();
            let mut end = scales.y(v).round();
            if !v.is_zero() && (end - zero).abs() < BAR_MIN_H {
                end = if v > Decimal::ZERO {
                    zero - BAR_MIN_H
                } else {
                    zero + BAR_MIN_H
                };
            }
            let (y, h) = (end.min(zero), (end - zero).abs());
            Box2 { x, y, w, h }
        })
        .collect();
    let width_of = |t: &TimeTick| tick_width(face, t);
    let time_ticks = time_ticks(
        first,
        last,
        input.tz,
        period,
        labels,
        |t| scales.x(t),
        width_of,
    )
    .into_iter()
    .map(|t| ((scales.x(t.at) + slot / 2.0).round(), t))
    .collect();

    let (bar, max) = (bars[max_i], points[max_i].1);
    let up = max >= Decimal::ZERO;
    let dot = (bar.x + bar.w / 2.0, if up { bar.y } else { bar.y + bar.h });
    let text = format!("{} {}{unit_suffix}", labels.max, amount_text(max));
    let shape = Shape::Bars(bars);
    let hidden = &|b: &Box2| shape.hidden_under(b);
    let label = place_label(face, dot, &text, up, &scales.plot, hidden, &[]);
    (shape, time_ticks, vec![Marker { dot, text, label }])
}

/// Several thousand points squeeze into ~1,200 pixel columns: a column with more than two keeps
/// only its lowest and highest, in their order. The line still covers each column from its
/// lowest to its highest point and joins neighbouring columns, so the picture differs from
/// drawing every point by under a pixel, and the stroking time no longer grows with the
/// series. (Keeping each column's first and last points too matches even closer, but measured
/// a third slower on a year of noise.)
pub(super) fn thin(points: impl Iterator<Item = (f32, f32)>) -> Vec<(f32, f32)> {
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
