//! Text: the embedded font, measuring a string and drawing it.
//!
//! Everything the chart writes goes through [`Face::width`] and [`Face::draw`], and both go
//! through one function, [`Face::layout`], that turns characters into positioned glyphs. Today
//! that is one glyph per character, left to right, with the font's kerning. Scripts that need
//! shaping (Arabic letters joined by position, runs read right to left) change only `layout`
//! and the font it reads: measuring and drawing follow it.

use ab_glyph::{Font, FontRef, GlyphId, PxScale, ScaleFont, point};

use super::ChartError;

/// Open Sans Regular (Apache-2.0, licence beside it in `assets/fonts/`).
static FONT_BYTES: &[u8] = include_bytes!("../../assets/fonts/OpenSans-Regular.ttf");

/// The chart's font, ready to measure and draw at any size.
pub(super) struct Face {
    font: FontRef<'static>,
    /// ab_glyph scales by ascent-to-descent height; this turns an em size into that.
    em_to_px_scale: f32,
}

/// A string laid out on one line: its glyphs with their pen positions, and where the pen ends.
struct Run {
    glyphs: Vec<(GlyphId, f32)>,
    end: f32,
}

impl Face {
    pub(super) fn new() -> Result<Self, ChartError> {
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

    /// `text` at `em` with the pen starting at `x`: each character's glyph where the pen stands
    /// (after kerning against the glyph before it), the pen moving on by the glyph's advance.
    fn layout(&self, em: f32, x: f32, text: &str) -> Run {
        let scaled = self.font.as_scaled(self.scale(em));
        let mut glyphs = Vec::with_capacity(text.len());
        let mut caret = x;
        let mut prev = None;
        for c in text.chars() {
            let id = scaled.glyph_id(c);
            if let Some(p) = prev {
                caret += scaled.kern(p, id);
            }
            prev = Some(id);
            glyphs.push((id, caret));
            caret += scaled.h_advance(id);
        }
        Run { glyphs, end: caret }
    }

    /// How wide `text` is at `em`, in pixels.
    pub(super) fn width(&self, em: f32, text: &str) -> f32 {
        self.layout(em, 0.0, text).end
    }

    /// Height of capitals above the baseline: what looks centred for digits and capitals.
    /// Open Sans's is 1462 of its 2048 units (ab_glyph does not read it from the font).
    pub(super) fn cap_height(&self, em: f32) -> f32 {
        1462.0 / 2048.0 * em
    }

    /// Draws `text` at `em` from `x` on the `baseline`, handing every pixel a glyph touches to
    /// `plot` with its coverage (0 to 1).
    pub(super) fn draw(
        &self,
        em: f32,
        x: f32,
        baseline: f32,
        text: &str,
        mut plot: impl FnMut(i64, i64, f32),
    ) {
        let scale = self.scale(em);
        for (id, caret) in self.layout(em, x, text).glyphs {
            let glyph = id.with_scale_and_position(scale, point(caret, baseline));
            let Some(outline) = self.font.outline_glyph(glyph) else {
                continue;
            };
            let bounds = outline.px_bounds();
            let (ox, oy) = (bounds.min.x as i64, bounds.min.y as i64);
            outline.draw(|gx, gy, coverage| plot(ox + i64::from(gx), oy + i64::from(gy), coverage));
        }
    }

    /// The characters of `text` the font has no glyph for (drawn as nothing, or a box).
    #[cfg(test)]
    pub(super) fn missing(&self, text: &str) -> Vec<char> {
        text.chars()
            .filter(|&c| self.font.glyph_id(c).0 == 0)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_font_has_every_character_the_chart_prints() {
        let face = Face::new().unwrap();
        let printed = "0123456789,.-–…=:() ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz/_";
        assert_eq!(face.missing(printed), Vec::<char>::new());
    }

    #[test]
    fn a_width_is_where_the_drawn_text_ends() {
        let face = Face::new().unwrap();
        assert_eq!(face.width(27.0, ""), 0.0);
        let (one, two) = (face.width(27.0, "1"), face.width(27.0, "11"));
        assert!(one > 0.0 && two > one);
        let mut right = f32::MIN;
        face.draw(27.0, 100.0, 50.0, "1,234.50", |x, _, c| {
            if c > 0.0 {
                right = right.max(x as f32);
            }
        });
        let w = face.width(27.0, "1,234.50");
        assert!(
            right <= 100.0 + w + 1.0 && right > 100.0 + w - 6.0,
            "{right} {w}"
        );
    }
}
