//! The chart as a whole: rendered PNGs decoded and checked pixel by pixel, the layout's values
//! for lines and bars, bad input, and known charts against their recorded bytes.

use std::str::FromStr;

use chrono::{DateTime, Datelike, NaiveDateTime, TimeDelta, Timelike};
use proptest::prelude::*;

use chrono::TimeZone;

use super::geometry::Box2;
use super::scene::{MAX_BAR_PERIOD, Scene, Shape, thin};
use super::style::{AXIS_RGB, BAR_MIN_H, DOT_RADIUS, GRID_RGB, PLOT_BOTTOM, PLOT_INSET};
use super::time_axis::{MAX_TIME, MAX_TIME_TICKS, MIN_TIME, TimeTick};
use super::*;

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
    Scene::build(&input(points, unit, tz), Kind::Line, &Face::new().unwrap()).unwrap()
}

fn line(s: &Scene) -> &[(f32, f32)] {
    match &s.shape {
        Shape::Line(line) => line,
        Shape::Bars(_) => panic!("bars, not a line"),
    }
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
fn a_flat_series_gets_a_padded_axis_and_one_marker() {
    let points: Vec<(i64, Decimal)> = (0..50)
        .map(|i| (END - 3600 * (49 - i), d("5.00000000")))
        .collect();
    let s = scene(&points, "BTC", berlin());
    assert_eq!(s.markers.len(), 1);
    assert_eq!(s.markers[0].text, "min = max 5.00000000 BTC");
    // The line runs through the middle, not along an edge.
    let y = line(&s)[0].1;
    assert!(line(&s).iter().all(|p| p.1 == y));
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
fn empty_title_and_unit_are_fine() {
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
        match Scene::build(&input(&points, "BTC", berlin()), Kind::Line, &face) {
            Ok(s) => {
                prop_assert!(!line(&s).is_empty());
                for (x, y) in line(&s) {
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

/// A named chart: title, unit, points, zone.
type Known = (
    &'static str,
    &'static str,
    &'static str,
    Vec<(i64, Decimal)>,
    Tz,
);

/// Charts of every kind of line series the tests above draw, named.
fn known_lines() -> Vec<Known> {
    let tehran: Tz = "Asia/Tehran".parse().unwrap();
    let fall_start = 1_761_429_600; // 2025-10-25T22:00:00Z = 00:00 CEST
    let dst = (0..=7 * 4)
        .map(|i| (fall_start + 900 * i, Decimal::from(i % 5)))
        .collect();
    let flat = (0..50)
        .map(|i| (END - 3600 * (49 - i), d("5.00000000")))
        .collect();
    let negative = vec![
        (END - 2 * DAY, d("-5.5")),
        (END - DAY, d("3.2")),
        (END, d("-0.75")),
    ];
    let huge = vec![
        (END - 3 * DAY, d("98765432123.45")),
        (END - 2 * DAY, d("98765432123.46")),
        (END - DAY, d("98765432123.40")),
        (END, d("98765432123.44")),
    ];
    let long_title = "Total value (USD) of every wallet, including the ones nobody uses, and more, last 365 days";
    let month = walk(2, 30 * 96, 900, 150_000_000, 8);
    vec![
        ("month", "BTC, last 30 days", "BTC", month, berlin()),
        (
            "week",
            "BTC, last 7 days",
            "BTC",
            walk(1, 7 * 96, 900, 150_000_000, 8),
            tehran,
        ),
        ("flat", "BTC, last 2 days", "BTC", flat, berlin()),
        ("neg", "USD", "USD", negative, berlin()),
        ("dst", "BTC, a fall night", "BTC", dst, berlin()),
        (
            "centuries",
            "BTC",
            "BTC",
            vec![(MIN_TIME, d("1")), (MAX_TIME, d("2"))],
            Tz::UTC,
        ),
        (
            "instant",
            "BTC",
            "BTC",
            vec![(END, d("1")), (END, d("2")), (END, d("1.5"))],
            berlin(),
        ),
        ("empty", "", "", walk(3, 100, 3600, 1_000, 2), Tz::UTC),
        (
            "long",
            long_title,
            "USD",
            walk(5, 500, 3600, 1_000_000, 2),
            tehran,
        ),
        ("huge", "USD", "USD", huge, berlin()),
    ]
}

/// FNV-1a, 64 bits: enough to tell two PNGs apart.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The known line charts come out byte for byte as recorded: a change in layout, text or
/// drawing that moves one pixel shows here. When a change is meant to, look at the pictures
/// (`CHART_DUMP=<folder>` writes them there) and record the new hashes. Recorded on x86_64,
/// where tiny-skia's SIMD paths are the ones built; another architecture may round differently.
#[cfg(target_arch = "x86_64")]
#[test]
fn known_charts_render_to_the_recorded_bytes() {
    let recorded: [(&str, u64, usize); 10] = [
        ("month", 0x6fec_9ec3_f8aa_9430, 62441),
        ("week", 0x4549_7b68_f18c_2ff2, 71354),
        ("flat", 0x9477_cf39_f8b0_a24f, 40882),
        ("neg", 0x4f27_bc05_920c_fc9a, 45578),
        ("dst", 0x915b_9ee6_447e_1dc5, 54159),
        ("centuries", 0xdf97_bd2e_ad60_6c9f, 42325),
        ("instant", 0x92d5_b34a_a338_29e0, 34523),
        ("empty", 0x07fd_3851_9ddf_4812, 45107),
        ("long", 0x0d40_a420_9bf3_7e57, 78904),
        ("huge", 0x3006_cdd7_3e47_e696, 83668),
    ];
    let dump = std::env::var("CHART_DUMP").ok();
    let mut got = Vec::new();
    for (name, title, unit, points, tz) in known_lines() {
        let png_bytes = render_png(&ChartInput {
            title,
            unit,
            points: &points,
            tz,
        })
        .unwrap();
        if let Some(dir) = &dump {
            std::fs::create_dir_all(dir).unwrap();
            std::fs::write(format!("{dir}/{name}.png"), &png_bytes).unwrap();
        }
        got.push((name, fnv1a(&png_bytes), png_bytes.len()));
    }
    assert_eq!(got, recorded);
}

// ---------------------------------------------------------------------------------------------
// Bars

/// Local midnights in `tz` from `y-m-d` on, one per amount.
fn daily(tz: Tz, (y, m, d0): (i32, u32, u32), amounts: &[&str]) -> Vec<(i64, Decimal)> {
    let first = tz
        .with_ymd_and_hms(y, m, d0, 0, 0, 0)
        .earliest()
        .unwrap()
        .date_naive();
    amounts
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let day = first + TimeDelta::days(i as i64);
            let midnight = tz.from_local_datetime(&day.and_hms_opt(0, 0, 0).unwrap());
            (midnight.earliest().unwrap().timestamp(), d(a))
        })
        .collect()
}

fn bar_input<'a>(points: &'a [(i64, Decimal)], tz: Tz) -> ChartInput<'a> {
    ChartInput {
        title: "Received (USD), last 7 days",
        unit: "USD",
        points,
        tz,
    }
}

const DAILY: Kind = Kind::Bars { period_secs: DAY };

fn bar_scene(points: &[(i64, Decimal)], tz: Tz) -> Scene {
    Scene::build(&bar_input(points, tz), DAILY, &Face::new().unwrap()).unwrap()
}

fn bars(s: &Scene) -> &[Box2] {
    match &s.shape {
        Shape::Bars(bars) => bars,
        Shape::Line(_) => panic!("a line, not bars"),
    }
}

/// Rows `from..to` of column `x` holding `color`.
fn rows_with(img: &Decoded, color: [u8; 3], x: u32, from: f32, to: f32) -> usize {
    (from as u32..to as u32)
        .filter(|&y| img.pixel(x, y) == color)
        .count()
}

#[test]
fn a_week_of_daily_bars_stands_on_zero_one_bar_a_day() {
    let tz = berlin();
    let amounts = ["120.50", "0", "75.25", "1234.50", "0.01", "980", "310"];
    let points = daily(tz, (2025, 12, 25), &amounts);
    let s = bar_scene(&points, tz);
    let b = bars(&s);
    assert_eq!(b.len(), 7);
    let zero = b[0].y + b[0].h;
    assert_eq!(
        zero, PLOT_BOTTOM,
        "a positive series has zero at the bottom"
    );
    for bar in b {
        assert_eq!(bar.y + bar.h, zero, "{bar:?}");
        assert_eq!(bar.w, b[0].w);
        assert_eq!(
            (bar.x.fract(), bar.y.fract(), bar.w.fract()),
            (0.0, 0.0, 0.0)
        );
    }
    assert_eq!(b[1].h, 0.0, "nothing is drawn for a day with nothing");
    assert_eq!(b[4].h, BAR_MIN_H, "a day with a cent still shows");
    let mut by_height: Vec<usize> = (0..7).collect();
    by_height.sort_by(|&i, &j| b[i].h.total_cmp(&b[j].h));
    assert_eq!(by_height, [1, 4, 2, 0, 6, 5, 3]);
    // Gaps between neighbours: bars never touch.
    for w in b.windows(2) {
        assert!(w[1].x > w[0].x + w[0].w + 10.0, "{w:?}");
    }

    let png_bytes = render_png_as(&bar_input(&points, tz), DAILY).unwrap();
    let img = decode(&png_bytes);
    assert_eq!((img.width, img.height), (WIDTH, HEIGHT));
    for (i, bar) in b.iter().enumerate() {
        let centre = (bar.x + bar.w / 2.0) as u32;
        let filled = rows_with(&img, LINE_RGB, centre, s.plot.y, s.plot.y + s.plot.h);
        if i == 3 {
            // The marker's dot covers the top of the highest bar.
            assert!(
                filled as f32 >= bar.h - 2.0 * DOT_RADIUS,
                "bar {i}: {filled}"
            );
        } else {
            assert_eq!(filled as f32, bar.h, "bar {i}");
        }
        // Edges are whole pixels: the bar's first and last columns are all bar colour.
        for x in [bar.x as u32, (bar.x + bar.w) as u32 - 1] {
            let y = (bar.y + bar.h / 2.0) as u32;
            assert_eq!(img.pixel(x, y) == LINE_RGB, bar.h > 0.0, "bar {i} at {x}");
        }
        let gap_x = (bar.x + bar.w) as u32 + 4;
        assert_eq!(rows_with(&img, LINE_RGB, gap_x, 0.0, HEIGHT as f32), 0);
    }
    let bar_columns = img.columns_with(LINE_RGB, 0, WIDTH);
    assert_eq!(
        bar_columns as f32,
        6.0 * b[0].w,
        "six bars, none for the empty day"
    );

    assert_eq!(s.markers.len(), 1);
    let m = &s.markers[0];
    assert_eq!(m.text, "max 1,234.50 USD");
    assert_eq!(m.dot, (b[3].x + b[3].w / 2.0, b[3].y));
    assert_eq!(img.pixel(m.dot.0 as u32, m.dot.1 as u32), MARKER_RGB);
    assert!(
        m.label.y + m.label.h <= m.dot.1,
        "the label sits above the highest bar"
    );
}

#[test]
fn daily_bars_are_named_by_their_dates_without_gridlines_through_them() {
    let tz = berlin();
    let points = daily(tz, (2025, 12, 25), &["1", "2", "3", "4", "5", "6", "7"]);
    let s = bar_scene(&points, tz);
    let b = bars(&s);
    let labels: Vec<(&str, Option<&str>)> = s
        .time_ticks
        .iter()
        .map(|(_, t)| (t.label.as_str(), t.sub.as_deref()))
        .collect();
    assert_eq!(
        labels,
        [
            ("25 Dec", Some("Thu")),
            ("26 Dec", Some("Fri")),
            ("27 Dec", Some("Sat")),
            ("28 Dec", Some("Sun")),
            ("29 Dec", Some("Mon")),
            ("30 Dec", Some("Tue")),
            ("31 Dec", Some("Wed")),
        ]
    );
    for ((x, _), bar) in s.time_ticks.iter().zip(b) {
        assert!((x - (bar.x + bar.w / 2.0)).abs() <= 1.0, "{x} {bar:?}");
    }
    let img = decode(&render_png_as(&bar_input(&points, tz), DAILY).unwrap());
    // A line chart's time gridline runs the plot's height; above a bar there is none.
    let (x, _) = s.time_ticks[0];
    let grid = rows_with(&img, GRID_RGB, x as u32, s.plot.y, b[0].y);
    assert!(
        grid <= 2 * s.amount_ticks.len(),
        "{grid} grid pixels above the bar"
    );
    let below = rows_with(
        &img,
        AXIS_RGB,
        x as u32,
        PLOT_BOTTOM + 1.0,
        PLOT_BOTTOM + 10.0,
    );
    assert_eq!(below, 9, "the tick under the axis");
}

#[test]
fn bars_across_a_clock_change_keep_their_dates_under_them() {
    let tz = berlin();
    let amounts = ["5", "1", "4", "2", "3", "6", "0", "2", "8", "1"];
    // 2025-10-26 has 25 hours in Berlin.
    let points = daily(tz, (2025, 10, 22), &amounts);
    assert_eq!(points[5].0 - points[4].0, 25 * 3600);
    let s = bar_scene(&points, tz);
    let b = bars(&s);
    assert!(s.time_ticks.len() >= 5, "{:?}", s.time_ticks);
    for (x, tick) in &s.time_ticks {
        let i = points
            .iter()
            .position(|p| p.0 == tick.at)
            .expect("a tick names a bar");
        assert!((x - (b[i].x + b[i].w / 2.0)).abs() <= 1.0, "{tick:?}");
    }
    render_png_as(&bar_input(&points, tz), DAILY).unwrap();
}

#[test]
fn negative_single_and_empty_bars_draw() {
    let tz = berlin();
    let points = daily(tz, (2025, 12, 29), &["-50", "100", "-25"]);
    let s = bar_scene(&points, tz);
    let b = bars(&s);
    let zero = b[1].y + b[1].h;
    assert!(
        zero > s.plot.y && zero < PLOT_BOTTOM,
        "zero inside the plot: {zero}"
    );
    assert_eq!((b[0].y, b[2].y), (zero, zero), "losses hang below zero");
    assert!(b[0].h > b[2].h && b[1].h > b[0].h);
    assert_eq!(s.markers[0].text, "max 100 USD");
    let img = decode(&render_png_as(&bar_input(&points, tz), DAILY).unwrap());
    let below = (b[0].x + b[0].w / 2.0) as u32;
    assert_eq!(
        rows_with(&img, LINE_RGB, below, zero, zero + b[0].h),
        b[0].h as usize
    );

    let one = daily(tz, (2025, 12, 31), &["42.00"]);
    let s = bar_scene(&one, tz);
    assert_eq!(s.markers[0].text, "max 42.00 USD");
    let ticks: Vec<&str> = s.time_ticks.iter().map(|(_, t)| t.label.as_str()).collect();
    assert_eq!(ticks, ["31 Dec"]);
    let img = decode(&render_png_as(&bar_input(&one, tz), DAILY).unwrap());
    assert!(img.count(LINE_RGB) > 1000);

    let nothing = daily(tz, (2025, 12, 29), &["0", "0", "0"]);
    let s = bar_scene(&nothing, tz);
    assert_eq!(s.markers[0].text, "max 0 USD");
    let img = decode(&render_png_as(&bar_input(&nothing, tz), DAILY).unwrap());
    assert_eq!(img.count(LINE_RGB), 0, "no bar for nothing");
    assert!(img.count(MARKER_RGB) > 150);
}

#[test]
fn bad_bars_are_an_error_not_a_panic() {
    let tz = berlin();
    let render = |points: &[(i64, Decimal)], kind| render_png_as(&bar_input(points, tz), kind);
    assert_eq!(render(&[], DAILY).unwrap_err(), ChartError::NoBars);
    let week = daily(tz, (2025, 12, 25), &["1", "2", "3"]);
    for period_secs in [0, -1, i64::MIN, MAX_BAR_PERIOD + 1, i64::MAX] {
        assert_eq!(
            render(&week, Kind::Bars { period_secs }).unwrap_err(),
            ChartError::BarPeriod(period_secs)
        );
    }
    let unordered = [(END, d("1")), (END - DAY, d("2"))];
    assert_eq!(
        render(&unordered, DAILY).unwrap_err(),
        ChartError::NotInTimeOrder { index: 1 }
    );
    assert_eq!(
        render(&[(MAX_TIME + 1, d("1"))], DAILY).unwrap_err(),
        ChartError::TimeOutOfRange(MAX_TIME + 1)
    );
    assert_eq!(
        render(&[(END, Decimal::MAX)], DAILY).unwrap_err(),
        ChartError::AmountOutOfRange
    );
    let year = Kind::Bars {
        period_secs: MAX_BAR_PERIOD,
    };
    render(&[(MAX_TIME, d("1"))], year).unwrap();
    for err in [ChartError::NoBars, ChartError::BarPeriod(0)] {
        let text = err.to_string();
        assert!(text.starts_with('A') && text.ends_with('.'), "{text}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]


    /// Any amounts at any sorted times, any period: bars or an error, never a panic, every bar
    /// inside the plot.
    #[test]
    fn any_bars_lay_out_or_err(
        raw in prop::collection::vec((MIN_TIME..=MAX_TIME, any::<i64>(), 0u32..=28), 1..40),
        period_secs in 1..=MAX_BAR_PERIOD,
    ) {
        let mut points: Vec<(i64, Decimal)> = raw
            .iter()
            .map(|(t, m, scale)| (*t, Decimal::new(*m, *scale)))
            .collect();
        points.sort_by_key(|p| p.0);
        let face = Face::new().unwrap();
        let kind = Kind::Bars { period_secs };
        match Scene::build(&input(&points, "BTC", berlin()), kind, &face) {
            Ok(s) => {
                prop_assert_eq!(bars(&s).len(), points.len());
                let p = s.plot;
                for b in bars(&s) {
                    prop_assert!(b.x >= p.x && b.x + b.w <= p.x + p.w, "{:?} {:?}", b, p);
                    prop_assert!(b.y >= p.y - BAR_MIN_H && b.y + b.h <= p.y + p.h + BAR_MIN_H);
                }
                prop_assert!(s.time_ticks.len() <= MAX_TIME_TICKS);
            }
            Err(e) => prop_assert_eq!(e, ChartError::AmountOutOfRange),
        }
    }
}
