//! Text: the embedded fonts, measuring a string and drawing it.
//!
//! Everything the chart writes goes through [`Face::width`] and [`Face::draw`], and both go
//! through one function, [`Face::layout`], that turns characters into positioned glyphs. Text
//! without Arabic script is one Open Sans glyph per character, left to right, with the font's
//! kerning. Text with Arabic script (Arabic, Persian) is split into runs in reading order by the
//! Unicode bidirectional algorithm (the paragraph's direction from its first strong letter);
//! Arabic letters are shaped by rustybuzz with Noto Sans Arabic (joined forms by position,
//! ligatures, marks) and the runs read right to left are laid from the right, with mirrored
//! brackets; digits and Latin words inside stay left to right.

use std::ops::Range;

use ab_glyph::{Font, FontRef, GlyphId, PxScale, ScaleFont, point};
use unicode_bidi::BidiInfo;

use super::ChartError;

/// Open Sans Regular (Apache-2.0, licence beside it in `assets/fonts/`).
static FONT_BYTES: &[u8] = include_bytes!("../../assets/fonts/OpenSans-Regular.ttf");
/// Noto Sans Arabic Regular, cut to the Arabic block (OFL-1.1, licence beside it).
static ARABIC_BYTES: &[u8] = include_bytes!("../../assets/fonts/NotoSansArabic-Regular.ttf");

/// Which font a glyph comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Script {
    Latin,
    Arabic,
}

/// Characters drawn with the Arabic font: the Arabic block and the joiners shaping needs.
fn is_arabic(c: char) -> bool {
    matches!(c, '\u{0600}'..='\u{06FF}' | '\u{200C}' | '\u{200D}')
}

/// The chart's fonts, ready to measure and draw at any size.
pub(super) struct Face {
    font: FontRef<'static>,
    /// ab_glyph scales by ascent-to-descent height; this turns an em size into that.
    em_to_px_scale: f32,
    arabic: FontRef<'static>,
    arabic_em_to_px_scale: f32,
    shaper: rustybuzz::Face<'static>,
}

/// A glyph placed on the line: its font, id, pen position and vertical offset (pixels).
#[derive(Debug, Clone, Copy)]
struct Placed {
    script: Script,
    id: GlyphId,
    x: f32,
    dy: f32,
}

/// A string laid out on one line: its glyphs with their pen positions, and where the pen ends.
struct Run {
    glyphs: Vec<Placed>,
    end: f32,
}

impl Face {
    pub(super) fn new() -> Result<Self, ChartError> {
        let unreadable = |_| ChartError::Render("an embedded font is unreadable".into());
        let font = FontRef::try_from_slice(FONT_BYTES).map_err(unreadable)?;
        let arabic = FontRef::try_from_slice(ARABIC_BYTES).map_err(unreadable)?;
        let shaper = rustybuzz::Face::from_slice(ARABIC_BYTES, 0)
            .ok_or_else(|| ChartError::Render("the Arabic font cannot be shaped".into()))?;
        let ratio = |f: &FontRef| f.height_unscaled() / f.units_per_em().unwrap_or(1000.0);
        Ok(Self {
            em_to_px_scale: ratio(&font),
            arabic_em_to_px_scale: ratio(&arabic),
            font,
            arabic,
            shaper,
        })
    }

    fn scale(&self, script: Script, em: f32) -> PxScale {
        match script {
            Script::Latin => PxScale::from(em * self.em_to_px_scale),
            Script::Arabic => PxScale::from(em * self.arabic_em_to_px_scale),
        }
    }

    fn font(&self, script: Script) -> &FontRef<'static> {
        match script {
            Script::Latin => &self.font,
            Script::Arabic => &self.arabic,
        }
    }

    /// `text` at `em` with the pen starting at `x`, glyphs left to right as they are seen.
    fn layout(&self, em: f32, x: f32, text: &str) -> Run {
        let mut run = Run {
            glyphs: Vec::with_capacity(text.len()),
            end: x,
        };
        if !text.chars().any(is_arabic) {
            self.latin(em, text.chars(), &mut run);
            return run;
        }
        let bidi = BidiInfo::new(text, None);
        for para in &bidi.paragraphs {
            let (levels, runs) = bidi.visual_runs(para, para.range.clone());
            for range in runs {
                let rtl = levels[range.start].is_rtl();
                self.bidi_run(em, &text[range.clone()], rtl, &mut run);
            }
        }
        run
    }

    /// One run of one direction: its pieces in one font each, from the left.
    fn bidi_run(&self, em: f32, text: &str, rtl: bool, run: &mut Run) {
        let mut pieces = pieces(text);
        if rtl {
            pieces.reverse();
        }
        for (script, range) in pieces {
            let piece = &text[range];
            match (script, rtl) {
                (Script::Arabic, _) => self.shaped(em, piece, rtl, run),
                (Script::Latin, false) => self.latin(em, piece.chars(), run),
                (Script::Latin, true) => self.latin(em, piece.chars().rev().map(mirrored), run),
            }
        }
    }

    /// Open Sans glyphs, one per character, with kerning between neighbours.
    fn latin(&self, em: f32, chars: impl Iterator<Item = char>, run: &mut Run) {
        let scaled = self.font.as_scaled(self.scale(Script::Latin, em));
        let mut prev = None;
        for c in chars {
            let id = scaled.glyph_id(c);
            if let Some(p) = prev {
                run.end += scaled.kern(p, id);
            }
            prev = Some(id);
            run.glyphs.push(Placed {
                script: Script::Latin,
                id,
                x: run.end,
                dy: 0.0,
            });
            run.end += scaled.h_advance(id);
        }
    }

    /// Arabic script shaped by rustybuzz; its glyphs come out in the order they are seen.
    fn shaped(&self, em: f32, text: &str, rtl: bool, run: &mut Run) {
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.set_direction(if rtl {
            rustybuzz::Direction::RightToLeft
        } else {
            rustybuzz::Direction::LeftToRight
        });
        let shaped = rustybuzz::shape(&self.shaper, &[], buffer);
        let px = em / self.shaper.units_per_em() as f32;
        for (info, pos) in shaped.glyph_infos().iter().zip(shaped.glyph_positions()) {
            run.glyphs.push(Placed {
                script: Script::Arabic,
                id: GlyphId(info.glyph_id as u16),
                x: run.end + pos.x_offset as f32 * px,
                dy: -(pos.y_offset as f32) * px,
            });
            run.end += pos.x_advance as f32 * px;
        }
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

    /// Whether `text` reads right to left (its first strong letter is Arabic script).
    pub(super) fn is_rtl(&self, text: &str) -> bool {
        text.chars().any(is_arabic)
            && BidiInfo::new(text, None)
                .paragraphs
                .first()
                .is_some_and(|p| p.level.is_rtl())
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
        for g in self.layout(em, x, text).glyphs {
            let scale = self.scale(g.script, em);
            let glyph =
                g.id.with_scale_and_position(scale, point(g.x, baseline + g.dy));
            let Some(outline) = self.font(g.script).outline_glyph(glyph) else {
                continue;
            };
            let bounds = outline.px_bounds();
            let (ox, oy) = (bounds.min.x as i64, bounds.min.y as i64);
            outline.draw(|gx, gy, coverage| plot(ox + i64::from(gx), oy + i64::from(gy), coverage));
        }
    }

    /// The characters of `text` its font has no glyph for (drawn as nothing, or a box).
    #[cfg(test)]
    pub(super) fn missing(&self, text: &str) -> Vec<char> {
        text.chars()
            .filter(|&c| {
                let font = if is_arabic(c) {
                    &self.arabic
                } else {
                    &self.font
                };
                font.glyph_id(c).0 == 0
            })
            .collect()
    }

    /// The glyph ids `text` is drawn with (0 is the missing-glyph box).
    #[cfg(test)]
    pub(super) fn glyph_ids(&self, text: &str) -> Vec<u16> {
        self.layout(30.0, 0.0, text)
            .glyphs
            .iter()
            .map(|g| g.id.0)
            .collect()
    }
}

/// `text` cut where it changes font, in reading order.
fn pieces(text: &str) -> Vec<(Script, Range<usize>)> {
    let mut out: Vec<(Script, Range<usize>)> = Vec::new();
    for (i, c) in text.char_indices() {
        let script = if is_arabic(c) {
            Script::Arabic
        } else {
            Script::Latin
        };
        let end = i + c.len_utf8();
        match out.last_mut() {
            Some((s, range)) if *s == script => range.end = end,
            _ => out.push((script, i..end)),
        }
    }
    out
}

/// A bracket in a right-to-left run is drawn as its mirror image.
fn mirrored(c: char) -> char {
    match c {
        '(' => ')',
        ')' => '(',
        '[' => ']',
        ']' => '[',
        '{' => '}',
        '}' => '{',
        '<' => '>',
        '>' => '<',
        '«' => '»',
        '»' => '«',
        c => c,
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
    fn cyrillic_and_arabic_script_have_glyphs_and_arabic_is_shaped() {
        let face = Face::new().unwrap();
        let russian = "Общая стоимость (USD), последние 30 дней: мин, макс, янв фев мар";
        assert_eq!(face.missing(russian), Vec::<char>::new());
        assert!(face.glyph_ids(russian).iter().all(|&g| g != 0));
        for text in [
            "ارزش کل (USD)، ۳۰ روز گذشته",
            "القيمة الإجمالية (USD)، آخر 30 يومًا",
            "کمینه بیشینه ژانویه فوریه مارس آوریل مه ژوئن ژوئیه اوت سپتامبر اکتبر نوامبر دسامبر",
            "الحد الأدنى يناير فبراير مارس أبريل مايو يونيو يوليو أغسطس سبتمبر أكتوبر نوفمبر ديسمبر",
        ] {
            assert_eq!(face.missing(text), Vec::<char>::new(), "{text}");
            assert!(face.glyph_ids(text).iter().all(|&g| g != 0), "{text}");
            assert!(face.is_rtl(text), "{text}");
        }
        // Joined forms: a word's letters are not drawn with their isolated glyphs.
        let word = "سلام";
        let isolated: Vec<u16> = word.chars().map(|c| face.arabic.glyph_id(c).0).collect();
        let mut shaped = face.glyph_ids(word);
        shaped.reverse();
        assert_ne!(shaped, isolated, "letters are joined");
        assert!(!face.is_rtl("BTC, last 30 days"));
    }

    #[test]
    fn a_right_to_left_line_starts_with_its_first_word_on_the_right() {
        let face = Face::new().unwrap();
        // "ارزش" then "12": the number sits left of the word, read after it.
        let run = face.layout(30.0, 0.0, "ارزش 12");
        let first_latin = run
            .glyphs
            .iter()
            .position(|g| g.script == Script::Latin)
            .unwrap();
        assert_eq!(first_latin, 0, "the digits are drawn first, on the left");
        let digits: Vec<f32> = run.glyphs[..2].iter().map(|g| g.x).collect();
        assert!(digits[0] < digits[1], "digits stay left to right");
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
