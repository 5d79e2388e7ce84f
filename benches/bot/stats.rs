//! Percentiles and number formatting.

use std::time::Duration;

#[derive(Debug, Clone, Copy, Default)]
pub struct Stats {
    pub n: usize,
    pub p50: Duration,
    pub p90: Duration,
    pub p99: Duration,
    pub max: Duration,
    pub mean: Duration,
}

pub fn stats(samples: &[Duration]) -> Stats {
    if samples.is_empty() {
        return Stats::default();
    }
    let mut s = samples.to_vec();
    s.sort();
    // Nearest rank.
    let rank = |p: f64| s[((p * s.len() as f64).ceil() as usize).clamp(1, s.len()) - 1];
    Stats {
        n: s.len(),
        p50: rank(0.50),
        p90: rank(0.90),
        p99: rank(0.99),
        max: *s.last().unwrap(),
        mean: s.iter().sum::<Duration>() / s.len() as u32,
    }
}

pub fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1e3)
}

pub fn mb(kb: u64) -> String {
    format!("{:.1}", kb as f64 / 1024.0)
}

pub fn median_pair(v: &[(Duration, Duration)]) -> (Duration, Duration) {
    let mut v = v.to_vec();
    v.sort_by_key(|p| p.1);
    v[v.len() / 2]
}
