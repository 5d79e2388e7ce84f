//! The amount axis, in exact decimals: round gridline values around the series, their labels
//! as exact text, and where an amount sits between the bottom and the top.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::ChartError;

/// About this many intervals between gridlines.
const AMOUNT_INTERVALS: i64 = 5;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct AmountAxis {
    pub(super) lo: Decimal,
    pub(super) hi: Decimal,
    pub(super) step: Decimal,
}

/// Which side of zero the axis must not cross: balances do not change sign, so padding must
/// not invent an axis below zero (or above it).
#[derive(Debug, Clone, Copy)]
struct Keep {
    above_zero: bool,
    below_zero: bool,
}

fn overflow() -> ChartError {
    ChartError::AmountOutOfRange
}

impl AmountAxis {
    /// Round gridline values around `min..=max`; a flat series gets an axis around its value
    /// instead of a zero-height one. `room` is the share of the axis wanted between the extremes
    /// and its ends, for the markers' labels.
    pub(super) fn new(min: Decimal, max: Decimal, room: f64) -> Result<Self, ChartError> {
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
        // An empty wallet's flat zero sits on the bottom of a 0..1 axis.
        let flat_zero = min.is_zero() && max.is_zero();
        let keep = Keep {
            above_zero: min >= Decimal::ZERO,
            below_zero: max <= Decimal::ZERO && !flat_zero,
        };
        let mut a = min.checked_sub(pad).ok_or_else(overflow)?;
        let mut b = max.checked_add(pad).ok_or_else(overflow)?;
        if keep.above_zero && a < Decimal::ZERO {
            a = Decimal::ZERO;
        }
        if keep.below_zero && b > Decimal::ZERO {
            b = Decimal::ZERO;
        }
        let mut axis = Self::on_grid(a, b)?;
        axis.span().ok_or_else(overflow)?;
        axis.make_room(min, max, room, keep)?;
        Ok(axis)
    }

    /// The gridline values just outside `a..=b`, about [`AMOUNT_INTERVALS`] steps apart.
    fn on_grid(a: Decimal, b: Decimal) -> Result<Self, ChartError> {
        let range = b.checked_sub(a).ok_or_else(overflow)?;
        let mut step = nice_step(range / Decimal::from(AMOUNT_INTERVALS)).ok_or_else(overflow)?;
        let on_grid = |v: Decimal, step: Decimal| v.checked_rem(step) == Some(Decimal::ZERO);
        // Near 28 significant digits a multiple of a small step may not be representable and
        // comes back rounded: then a coarser step, so every gridline is exactly what it says.
        loop {
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
                return Ok(Self { lo, hi, step });
            }
            step = step
                .checked_mul(Decimal::new(101, 2))
                .and_then(nice_step)
                .ok_or_else(overflow)?;
        }
    }

    /// Adds a step at an end (a few times at most) while the extreme there is closer to it than
    /// `room` of the axis, unless that would take the axis across zero.
    fn make_room(
        &mut self,
        min: Decimal,
        max: Decimal,
        room: f64,
        keep: Keep,
    ) -> Result<(), ChartError> {
        let step = self.step;
        for _ in 0..4 {
            let span = self.span().and_then(|s| s.to_f64()).unwrap_or(1.0);
            let share = |d: Option<Decimal>| d.and_then(|d| d.to_f64()).unwrap_or(0.0) / span;
            let mut grew = false;
            if share(self.hi.checked_sub(max)) < room
                && !(keep.below_zero && self.hi >= Decimal::ZERO)
            {
                self.hi = self.hi.checked_add(step).ok_or_else(overflow)?;
                grew = true;
            }
            if share(min.checked_sub(self.lo)) < room
                && !(keep.above_zero && self.lo <= Decimal::ZERO)
            {
                self.lo = self.lo.checked_sub(step).ok_or_else(overflow)?;
                grew = true;
            }
            self.span().ok_or_else(overflow)?;
            if !grew {
                break;
            }
        }
        Ok(())
    }

    fn span(&self) -> Option<Decimal> {
        self.hi.checked_sub(self.lo)
    }

    /// Gridline values with their labels, bottom to top; every label has the step's decimals.
    pub(super) fn ticks(&self) -> Vec<(Decimal, String)> {
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
    pub(super) fn fraction(&self, v: Decimal) -> f64 {
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
pub(super) fn amount_text(v: Decimal) -> String {
    group_thousands(&v.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
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
}
