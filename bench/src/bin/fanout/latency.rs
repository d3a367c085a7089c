//! Latency: a histogram every reader adds to, and the send time each message carries.

use std::{
    sync::atomic::{AtomicU64, Ordering},
    time::{SystemTime, UNIX_EPOCH},
};

/// Delivery latencies in 10 µs buckets up to 10 s.
pub(crate) struct Histogram {
    buckets: Vec<AtomicU64>,
    count: AtomicU64,
}

pub(crate) const BUCKET_US: u64 = 10;
pub(crate) const BUCKETS: usize = 1_000_000;

impl Histogram {
    pub(crate) fn new() -> Self {
        Self {
            buckets: (0..BUCKETS).map(|_| AtomicU64::new(0)).collect(),
            count: AtomicU64::new(0),
        }
    }

    pub(crate) fn record(&self, micros: u64) {
        let i = ((micros / BUCKET_US) as usize).min(BUCKETS - 1);
        self.buckets[i].fetch_add(1, Ordering::Relaxed);
        self.count.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn reset(&self) {
        for b in &self.buckets {
            b.store(0, Ordering::Relaxed);
        }
        self.count.store(0, Ordering::Relaxed);
    }

    /// The `q` quantile, in milliseconds.
    pub(crate) fn quantile(&self, q: f64) -> f64 {
        let total = self.count.load(Ordering::Relaxed);
        if total == 0 {
            return f64::NAN;
        }
        let rank = ((q * total as f64).ceil() as u64).max(1);
        let mut seen = 0;
        for (i, b) in self.buckets.iter().enumerate() {
            seen += b.load(Ordering::Relaxed);
            if seen >= rank {
                return ((i as u64 + 1) * BUCKET_US) as f64 / 1000.0;
            }
        }
        (BUCKETS as u64 * BUCKET_US) as f64 / 1000.0
    }
}

pub(crate) fn now_micros() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_micros() as u64)
}

/// The send time a message body carries (`sent=<µs> …`), wherever it sits in the frame.
pub(crate) fn sent_at(frame: &str) -> Option<u64> {
    let at = frame.find("sent=")? + 5;
    let digits: &str = &frame[at..];
    let end = digits
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(digits.len());
    digits[..end].parse().ok()
}
