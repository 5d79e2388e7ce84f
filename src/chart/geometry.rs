//! Boxes and segments in pixels, and how much of a segment a box covers.

/// A box: its top-left corner and its size (y grows downwards).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Box2 {
    pub(super) x: f32,
    pub(super) y: f32,
    pub(super) w: f32,
    pub(super) h: f32,
}

impl Box2 {
    pub(super) fn overlaps(&self, other: &Box2) -> bool {
        self.x < other.x + other.w
            && other.x < self.x + self.w
            && self.y < other.y + other.h
            && other.y < self.y + self.h
    }

    pub(super) fn inside(&self, outer: &Box2) -> bool {
        self.x >= outer.x
            && self.y >= outer.y
            && self.x + self.w <= outer.x + outer.w
            && self.y + self.h <= outer.y + outer.h
    }
}

/// How much of the segment `p`–`q` lies inside `b` (Liang–Barsky clipping).
pub(super) fn clipped_length(p: (f32, f32), q: (f32, f32), b: &Box2) -> f32 {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
