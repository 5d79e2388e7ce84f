//! Where texts go that must not cover the series: the markers' labels and the title.

use super::geometry::Box2;
use super::style::{LABEL_EM, LABEL_GAP, LABEL_H, LABEL_PAD, TITLE_EM, TITLE_MIN_EM};
use super::text::Face;

/// A marker label's box: above the dot (the maximum) or below it (the minimum) where that fits,
/// else wherever in the plot it hides the least of the series (`hidden`: how much of it a box
/// covers) and nothing of the boxes in `avoid` (the other marker).
pub(super) fn place_label(
    face: &Face,
    dot: (f32, f32),
    text: &str,
    above: bool,
    plot: &Box2,
    hidden: &dyn Fn(&Box2) -> f32,
    avoid: &[Box2],
) -> Box2 {
    let w = face.width(LABEL_EM, text) + 2.0 * LABEL_PAD;
    let cost = |b: &Box2, shift: f32| {
        let hidden = hidden(b);
        let clash = avoid.iter().filter(|o| o.overlaps(b)).count() as f32;
        hidden + shift / 2.0 + 10_000.0 * clash
    };
    let mut best: Option<(Box2, f32)> = None;
    for (b, shift) in candidates(dot, w, above, plot) {
        let c = cost(&b, shift);
        // Earlier candidates win unless a later one hides clearly less.
        if best.is_none_or(|(_, bc)| c + 2.0 < bc) {
            best = Some((b, c));
        }
    }
    best.map(|(b, _)| b).unwrap_or(Box2 {
        x: clamp_x(dot.0 - w / 2.0, w, plot),
        y: if above {
            dot.1 - LABEL_GAP - LABEL_H
        } else {
            dot.1 + LABEL_GAP
        },
        w,
        h: LABEL_H,
    })
}

fn clamp_x(x: f32, w: f32, plot: &Box2) -> f32 {
    x.clamp(plot.x + 4.0, (plot.x + plot.w - w - 4.0).max(plot.x))
}

/// The places a label `w` wide may go, best first, each with how far it was moved sideways
/// (a cost): over or under the dot as asked, beside it, then on its other side; only those
/// inside the plot.
fn candidates(dot: (f32, f32), w: f32, above: bool, plot: &Box2) -> Vec<(Box2, f32)> {
    let h = LABEL_H;
    let gap = LABEL_GAP;
    let clamp_y = |y: f32| y.clamp(plot.y, (plot.y + plot.h - h).max(plot.y));
    let xs = [
        clamp_x(dot.0 - w / 2.0, w, plot),
        clamp_x(dot.0 - 2.0 * gap, w, plot),
        clamp_x(dot.0 + 2.0 * gap - w, w, plot),
    ];
    let row = |y: f32| -> Vec<Box2> { xs.iter().map(|&x| Box2 { x, y, w, h }).collect() };
    let over = row(dot.1 - gap - h);
    let under = row(dot.1 + gap);
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
    first
        .into_iter()
        .map(|b| (b, 0.0))
        .chain(beside)
        .chain(last.into_iter().map(|b| (b, 0.0)))
        .filter(|(b, _)| b.inside(plot))
        .collect()
}

/// The title at the largest size that fits; at the smallest size, cut with an ellipsis.
pub(super) fn fit_title(face: &Face, title: &str, room: f32) -> (String, f32) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_title_is_shrunk_then_cut() {
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
    }
}
