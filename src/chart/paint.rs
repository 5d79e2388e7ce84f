//! Drawing a [`Scene`]: shapes with tiny-skia (anti-aliased, sub-pixel geometry) into an RGBA
//! pixmap, then the texts blended into its RGB pixels, then the PNG.

use tiny_skia::{FillRule, LineCap, LineJoin, Paint, PathBuilder, Pixmap, Rect, Stroke, Transform};

use super::ChartError;
use super::geometry::Box2;
use super::scene::{Scene, Shape};
use super::style::{
    AXIS_RGB, BACKGROUND_RGB, DOT_RADIUS, GRID_RGB, HEIGHT, LABEL_EM, LABEL_PAD, LINE_RGB,
    LINE_WIDTH, MARGIN, MARKER_RGB, MUTED_RGB, PLOT_BOTTOM, PLOT_TOP, SMALL_EM, TEXT_RGB, WIDTH,
};
use super::text::Face;

/// Points per separately stroked piece of the line (pieces share their end points).
const LINE_PIECE: usize = 128;

/// A plain RGB canvas the glyphs are blended into after the shapes are drawn.
pub(super) struct Rgb {
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

    /// Writes `text` in `color` from `x` on the `baseline`.
    fn text(
        &mut self,
        face: &Face,
        em: f32,
        (x, baseline): (f32, f32),
        text: &str,
        color: [u8; 3],
    ) {
        face.draw(em, x, baseline, text, |px, py, coverage| {
            self.blend(px, py, color, coverage)
        });
    }
}

/// The whole picture: shapes first, then the texts over them.
pub(super) fn paint(scene: &Scene, face: &Face) -> Result<Rgb, ChartError> {
    let mut pixmap = Pixmap::new(WIDTH, HEIGHT)
        .ok_or_else(|| ChartError::Render("no room for the picture".into()))?;
    let [r, g, b] = BACKGROUND_RGB;
    pixmap.fill(tiny_skia::Color::from_rgba8(r, g, b, 255));
    grid(&mut pixmap, scene);
    match &scene.shape {
        Shape::Line(line) => stroke_line(&mut pixmap, line),
        Shape::Bars(bars) => {
            for bar in bars {
                fill_rect(&mut pixmap, bar.x, bar.y, bar.w, bar.h, LINE_RGB);
            }
        }
    }
    markers(&mut pixmap, scene);

    // The background is opaque, so premultiplied RGBA is plain RGBA: drop the alpha.
    let mut img = Rgb {
        data: pixmap
            .data()
            .chunks_exact(4)
            .flat_map(|p| [p[0], p[1], p[2]])
            .collect(),
    };
    heading(&mut img, scene, face);
    amount_labels(&mut img, scene, face);
    time_labels(&mut img, scene, face);
    for m in &scene.markers {
        let base = m.label.y + m.label.h / 2.0 + face.cap_height(LABEL_EM) / 2.0;
        let at = (m.label.x + LABEL_PAD, base);
        img.text(face, LABEL_EM, at, &m.text, TEXT_RGB);
    }
    Ok(img)
}

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

/// Gridlines on whole pixels, 2 px wide: crisp, and they compress to almost nothing. Bars get
/// no vertical gridlines (the ticks under the axis name them), a line does.
fn grid(pixmap: &mut Pixmap, scene: &Scene) {
    let plot = scene.plot;
    for (y, _) in &scene.amount_ticks {
        fill_rect(pixmap, plot.x, y - 1.0, plot.w, 2.0, GRID_RGB);
    }
    let columns = matches!(scene.shape, Shape::Line(_));
    for (x, _) in &scene.time_ticks {
        if columns {
            fill_rect(pixmap, x - 1.0, plot.y, 2.0, plot.h, GRID_RGB);
        }
        fill_rect(pixmap, x - 1.0, PLOT_BOTTOM, 2.0, 10.0, AXIS_RGB);
    }
    fill_rect(pixmap, plot.x, PLOT_BOTTOM - 1.0, plot.w, 2.0, AXIS_RGB);
}

/// Stroked in pieces that share their end points: one path of thousands of tall zigzags (a
/// noisy year) makes every scanline cross thousands of edges at once, about 2.5 times slower.
/// Pieces of 128 points measured fastest: shorter ones spend the time on extra caps.
fn stroke_line(pixmap: &mut Pixmap, line: &[(f32, f32)]) {
    let stroke = Stroke {
        width: LINE_WIDTH,
        line_cap: LineCap::Round,
        line_join: LineJoin::Round,
        ..Stroke::default()
    };
    let line_paint = paint_of(LINE_RGB, 255);
    let mut start = 0;
    while start + 1 < line.len() {
        let end = (start + LINE_PIECE).min(line.len() - 1);
        let mut pb = PathBuilder::new();
        pb.move_to(line[start].0, line[start].1);
        for (x, y) in &line[start + 1..=end] {
            pb.line_to(*x, *y);
        }
        if let Some(path) = pb.finish() {
            pixmap.stroke_path(&path, &line_paint, &stroke, Transform::identity(), None);
        }
        start = end;
    }
}

/// Each marker's dot (ringed in the background colour) and its label's frame.
fn markers(pixmap: &mut Pixmap, scene: &Scene) {
    let fill = |pixmap: &mut Pixmap, path: &tiny_skia::Path, rgb: [u8; 3], alpha: u8| {
        let paint = paint_of(rgb, alpha);
        pixmap.fill_path(path, &paint, FillRule::Winding, Transform::identity(), None);
    };
    for m in &scene.markers {
        for (radius, rgb) in [(DOT_RADIUS + 3.0, BACKGROUND_RGB), (DOT_RADIUS, MARKER_RGB)] {
            if let Some(c) = PathBuilder::from_circle(m.dot.0, m.dot.1, radius) {
                fill(pixmap, &c, rgb, 255);
            }
        }
        if let Some(frame) = rounded_rect(&m.label, 8.0) {
            fill(pixmap, &frame, BACKGROUND_RGB, 235);
            let border = Stroke {
                width: 2.0,
                ..Stroke::default()
            };
            let paint = paint_of(MARKER_RGB, 255);
            pixmap.stroke_path(&frame, &paint, &border, Transform::identity(), None);
        }
    }
}

/// The title on the left, the zone on the right, on one baseline; a title read right to left
/// starts at the right and the zone goes left.
fn heading(img: &mut Rgb, scene: &Scene, face: &Face) {
    let title_base = 22.0 + face.cap_height(scene.title_em) + 6.0;
    let zone_w = face.width(SMALL_EM, &scene.zone);
    let (title_x, zone_x) = if face.is_rtl(&scene.title) {
        let title_w = face.width(scene.title_em, &scene.title);
        (WIDTH as f32 - MARGIN - title_w, MARGIN)
    } else {
        (MARGIN, WIDTH as f32 - MARGIN - zone_w)
    };
    img.text(
        face,
        scene.title_em,
        (title_x, title_base),
        &scene.title,
        TEXT_RGB,
    );
    img.text(face, SMALL_EM, (zone_x, title_base), &scene.zone, MUTED_RGB);
}

/// The amounts right-aligned beside their gridlines, the unit above them.
fn amount_labels(img: &mut Rgb, scene: &Scene, face: &Face) {
    let right_edge = scene.plot.x - 14.0;
    let label_mid = face.cap_height(LABEL_EM) / 2.0;
    for (y, text) in &scene.amount_ticks {
        let w = face.width(LABEL_EM, text);
        img.text(
            face,
            LABEL_EM,
            (right_edge - w, y + label_mid),
            text,
            TEXT_RGB,
        );
    }
    let unit_w = face.width(LABEL_EM, &scene.unit);
    let at = (right_edge - unit_w, PLOT_TOP - 26.0);
    img.text(face, LABEL_EM, at, &scene.unit, MUTED_RGB);
}

/// Each time tick's label centred under it (kept inside the picture), its context below.
fn time_labels(img: &mut Rgb, scene: &Scene, face: &Face) {
    let centred = |w: f32, x: f32| (x - w / 2.0).clamp(4.0, WIDTH as f32 - 4.0 - w);
    for (x, tick) in &scene.time_ticks {
        let w = face.width(LABEL_EM, &tick.label);
        let base = PLOT_BOTTOM + 14.0 + face.cap_height(LABEL_EM) + 8.0;
        img.text(
            face,
            LABEL_EM,
            (centred(w, *x), base),
            &tick.label,
            TEXT_RGB,
        );
        if let Some(sub) = &tick.sub {
            let w = face.width(SMALL_EM, sub);
            let at = (centred(w, *x), base + SMALL_EM * 1.3);
            img.text(face, SMALL_EM, at, sub, MUTED_RGB);
        }
    }
}

pub(super) fn encode_png(img: &Rgb) -> Result<Vec<u8>, ChartError> {
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
