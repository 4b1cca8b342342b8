//! Timing helpers shared by the benches (hoso-xml's c14n, hoso-dsig's
//! verify), included with `#[path]`: a warm-up, then timed runs, reporting
//! the median and the best.  Figures are printed, never asserted.
#![allow(dead_code)] // each bench uses a part

use std::time::{Duration, Instant};

/// Timings of one case.
pub struct Stats {
    pub iters: usize,
    pub median: Duration,
    pub best: Duration,
}

/// Warm-up, then timed runs of `f` until `min_time` is spent or `max_iters`
/// runs were made (at least 3).
pub fn measure(min_time: Duration, max_iters: usize, mut f: impl FnMut()) -> Stats {
    let warm = Instant::now();
    let mut n = 0;
    while n < 3 || warm.elapsed() < Duration::from_millis(200) {
        f();
        n += 1;
    }
    let mut samples = Vec::new();
    let mut spent = Duration::ZERO;
    while samples.len() < 3 || (spent < min_time && samples.len() < max_iters) {
        let t = Instant::now();
        f();
        let d = t.elapsed();
        spent += d;
        samples.push(d);
    }
    samples.sort_unstable();
    Stats {
        iters: samples.len(),
        median: samples[samples.len() / 2],
        best: samples[0],
    }
}

pub fn mbps(bytes: usize, d: Duration) -> f64 {
    bytes as f64 / 1e6 / d.as_secs_f64()
}

pub fn human(d: Duration) -> String {
    let us = d.as_secs_f64() * 1e6;
    if us < 1_000.0 {
        format!("{us:.1} µs")
    } else {
        format!("{:.2} ms", us / 1_000.0)
    }
}
