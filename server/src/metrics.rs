//! What the desk counts about itself, and the Prometheus text format it is read in. Each part
//! keeps its own counters (the hub its drops, the store its commits, the desk its sockets,
//! events and commands); `/metrics` gathers them into one page.

use std::{
    fmt::Write,
    sync::atomic::{AtomicI64, AtomicU64, Ordering},
    time::Duration,
};

/// The upper bounds of a latency histogram's buckets, in seconds.
const BOUNDS: [f64; 12] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
];

/// How long something took, counted into buckets (cumulative when written out).
#[derive(Debug, Default)]
pub struct Histogram {
    buckets: [AtomicU64; BOUNDS.len()],
    count: AtomicU64,
    sum_micros: AtomicU64,
}

impl Histogram {
    /// Counts one that took `took`.
    pub fn observe(&self, took: Duration) {
        let seconds = took.as_secs_f64();
        if let Some(i) = BOUNDS.iter().position(|b| seconds <= *b) {
            self.buckets[i].fetch_add(1, Ordering::Relaxed);
        }
        self.count.fetch_add(1, Ordering::Relaxed);
        let micros = u64::try_from(took.as_micros()).unwrap_or(u64::MAX);
        self.sum_micros.fetch_add(micros, Ordering::Relaxed);
    }

    /// How many were counted.
    pub fn count(&self) -> u64 {
        self.count.load(Ordering::Relaxed)
    }
}

/// A number that goes up and down (open sockets).
#[derive(Debug, Default)]
pub struct Gauge(AtomicI64);

impl Gauge {
    /// One more, until the returned guard is dropped.
    pub fn hold(&self) -> GaugeHold<'_> {
        self.0.fetch_add(1, Ordering::Relaxed);
        GaugeHold(self)
    }

    pub fn get(&self) -> i64 {
        self.0.load(Ordering::Relaxed)
    }
}

/// One unit of a [`Gauge`], given back when dropped.
pub struct GaugeHold<'a>(&'a Gauge);

impl Drop for GaugeHold<'_> {
    fn drop(&mut self) {
        (self.0).0.fetch_sub(1, Ordering::Relaxed);
    }
}

/// A number that only goes up.
#[derive(Debug, Default)]
pub struct Counter(AtomicU64);

impl Counter {
    pub fn add(&self, n: u64) {
        self.0.fetch_add(n, Ordering::Relaxed);
    }

    pub fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

/// What the desk counts of its own work: open sockets, events published, how long socket
/// commands took.
#[derive(Debug, Default)]
pub struct Activity {
    pub sockets: Gauge,
    pub events: Counter,
    pub commands: Histogram,
}

/// A page of metrics in the Prometheus text format (version 0.0.4).
#[derive(Debug, Default)]
pub struct Page {
    text: String,
}

impl Page {
    /// The metric's help and type lines.
    fn head(&mut self, name: &str, kind: &str, help: &str) {
        let _ = writeln!(self.text, "# HELP {name} {help}");
        let _ = writeln!(self.text, "# TYPE {name} {kind}");
    }

    pub fn counter(&mut self, name: &str, help: &str, value: u64) {
        self.head(name, "counter", help);
        let _ = writeln!(self.text, "{name} {value}");
    }

    pub fn gauge(&mut self, name: &str, help: &str, value: i64) {
        self.head(name, "gauge", help);
        let _ = writeln!(self.text, "{name} {value}");
    }

    /// A gauge with one line per label value: `(label, value)`.
    pub fn gauges(&mut self, name: &str, help: &str, label: &str, values: &[(&str, i64)]) {
        self.head(name, "gauge", help);
        for (which, value) in values {
            let _ = writeln!(self.text, "{name}{{{label}=\"{which}\"}} {value}");
        }
    }

    pub fn histogram(&mut self, name: &str, help: &str, histogram: &Histogram) {
        self.head(name, "histogram", help);
        let mut running = 0;
        for (bound, bucket) in BOUNDS.iter().zip(&histogram.buckets) {
            running += bucket.load(Ordering::Relaxed);
            let _ = writeln!(self.text, "{name}_bucket{{le=\"{bound}\"}} {running}");
        }
        let count = histogram.count();
        let _ = writeln!(self.text, "{name}_bucket{{le=\"+Inf\"}} {count}");
        let sum = histogram.sum_micros.load(Ordering::Relaxed) as f64 / 1e6;
        let _ = writeln!(self.text, "{name}_sum {sum}");
        let _ = writeln!(self.text, "{name}_count {count}");
    }

    pub fn into_text(self) -> String {
        self.text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_histogram_is_written_cumulative_with_its_sum_and_count() {
        let h = Histogram::default();
        h.observe(Duration::from_micros(800));
        h.observe(Duration::from_millis(20));
        h.observe(Duration::from_secs(9));
        let mut page = Page::default();
        page.histogram("x_seconds", "How long.", &h);
        let text = page.into_text();
        assert!(text.starts_with("# HELP x_seconds How long.\n# TYPE x_seconds histogram\n"));
        assert!(text.contains("x_seconds_bucket{le=\"0.0005\"} 0\n"));
        assert!(text.contains("x_seconds_bucket{le=\"0.001\"} 1\n"));
        assert!(text.contains("x_seconds_bucket{le=\"0.025\"} 2\n"));
        assert!(text.contains("x_seconds_bucket{le=\"2.5\"} 2\n"));
        assert!(text.contains("x_seconds_bucket{le=\"+Inf\"} 3\n"));
        assert!(text.contains("x_seconds_sum 9.0208\n"));
        assert!(text.contains("x_seconds_count 3\n"));
    }

    #[test]
    fn a_gauge_hold_gives_its_unit_back() {
        let g = Gauge::default();
        let one = g.hold();
        let two = g.hold();
        assert_eq!(g.get(), 2);
        drop(one);
        drop(two);
        assert_eq!(g.get(), 0);
    }
}
