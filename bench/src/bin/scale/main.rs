//! A desk after years of work: statistics, the board, search and take over 500,000 tickets
//! and 3,000,000 messages, on SQLite and PostgreSQL.
//!
//! Fills a fresh database with about two years of history (see `fill.rs`: a window of
//! conversations written through the store, then copied back in time inside the database,
//! and the open queue of the last two weeks written through the store again), starts the real
//! server on a loopback port, signs a moderator and an operator in, and times each request,
//! one at a time, over HTTP:
//!
//! - statistics over the last 365 days, as JSON and as the page, for the moderator (every
//!   department) and for an operator (their department, their own work);
//! - the board (the open tickets; the closed ones awaiting their member; every ticket), a
//!   ticket opened, search (a frequent word and an order number), and take (each timed take
//!   of an open ticket is followed by a release).
//!
//! `cargo run --release -p bench --bin scale -- [--tickets N] [--requests N] [--backend sqlite|postgres|both] [--keep yes]`
//! prints a table and appends one JSON line per backend and request to
//! `bench/results/scale.jsonl`. The targets: p95 under 300 ms for statistics over a year,
//! under 100 ms for the rest.

use std::time::{Duration, Instant};

use app::protocol::{SearchResults, StatsRange, TicketSummary};
use bench::{Percentiles, Rng, round2};
use server::config::{Limits, Secret, Settings};

mod fill;
#[path = "../search/words.rs"]
mod words;

/// Everyone's password in the benchmark's desk.
pub const PASSWORD: &str = "bench";

struct Options {
    tickets: usize,
    requests: usize,
    backends: Vec<&'static str>,
    /// Leave the filled databases behind, to look into (`--keep yes`).
    keep: bool,
}

fn options() -> Options {
    let mut options = Options {
        tickets: 500_000,
        requests: 200,
        backends: bench::backends("both"),
        keep: false,
    };
    for (option, value) in bench::options() {
        match option.as_str() {
            "--tickets" => options.tickets = value.parse().expect("--tickets N"),
            "--requests" => options.requests = value.parse().expect("--requests N"),
            "--backend" => options.backends = bench::backends(&value),
            "--keep" => options.keep = value == "yes",
            other => panic!("unknown option {other}; see the file's header"),
        }
    }
    options
}

/// One kind of request and how it is timed.
struct Shape {
    name: &'static str,
    target_ms: f64,
    samples: Vec<Duration>,
}

/// Times `GET url` once; the body, checked to be a success.
async fn get(client: &reqwest::Client, url: &str) -> (Duration, bytes::Bytes) {
    let started = Instant::now();
    let res = client.get(url).send().await.expect("the desk answers");
    let status = res.status();
    let body = res.bytes().await.expect("a body");
    let took = started.elapsed();
    assert!(status.is_success(), "GET {url}: {status}");
    (took, body)
}

/// Times `POST url` once, as the desk's own page sends it (with its `Origin`).
async fn post(client: &reqwest::Client, base: &str, path: &str) -> Duration {
    let url = format!("{base}{path}");
    let started = Instant::now();
    let res = client
        .post(&url)
        .header(reqwest::header::ORIGIN, base)
        .send()
        .await
        .expect("the desk answers");
    let status = res.status();
    let _ = res.bytes().await;
    let took = started.elapsed();
    assert!(status.is_success(), "POST {url}: {status}");
    took
}

/// Runs every shape `n` times (statistics a quarter as often: each reads a year).
async fn run_shapes(base: &str, n: usize, tickets: i64) -> Vec<Shape> {
    let moderator = bench::signed_in(base, "moderator@bench.example", PASSWORD).await;
    let operator = bench::signed_in(base, "operator0@bench.example", PASSWORD).await;
    let year = StatsRange::last_days(server::clock::now(), 365, 0).to_query();
    let stats_n = (n / 4).max(20);
    let mut shapes = Vec::new();
    let mut timed = |name, target_ms, samples| {
        shapes.push(Shape {
            name,
            target_ms,
            samples,
        })
    };
    let repeat = async |client: &reqwest::Client, url: String, times: usize| {
        get(client, &url).await;
        let mut samples = Vec::with_capacity(times);
        for _ in 0..times {
            samples.push(get(client, &url).await.0);
        }
        samples
    };
    let api_stats = format!("{base}/api/stats?{year}");
    timed(
        "statistics, a year, JSON (moderator)",
        300.0,
        repeat(&moderator, api_stats.clone(), stats_n).await,
    );
    timed(
        "statistics, a year, page (moderator)",
        300.0,
        repeat(&moderator, format!("{base}/stats?{year}"), stats_n).await,
    );
    timed(
        "statistics, a year, JSON (operator)",
        300.0,
        repeat(&operator, api_stats, stats_n).await,
    );
    timed(
        "statistics, a year, CSV of one table",
        300.0,
        repeat(
            &moderator,
            format!("{base}/api/stats/times.csv?{year}"),
            stats_n,
        )
        .await,
    );
    timed(
        "board (operator)",
        100.0,
        repeat(&operator, format!("{base}/api/tickets"), n).await,
    );
    timed(
        "board, every department (moderator)",
        100.0,
        repeat(&moderator, format!("{base}/api/tickets"), n).await,
    );
    timed(
        "board, closed awaiting the member (operator)",
        100.0,
        repeat(
            &operator,
            format!("{base}/api/tickets?state=awaiting_member"),
            n,
        )
        .await,
    );
    timed(
        "board, every ticket (moderator)",
        100.0,
        repeat(&moderator, format!("{base}/api/tickets?state=all"), n).await,
    );
    // Tickets from anywhere in the history, opened by the moderator.
    let mut rng = Rng::new(5);
    let mut samples = Vec::with_capacity(n);
    for _ in 0..n {
        let id = 1 + rng.below(tickets as usize);
        samples.push(get(&moderator, &format!("{base}/api/tickets/{id}")).await.0);
    }
    timed("a ticket opened (moderator)", 100.0, samples);
    for (name, words) in [
        ("search, a frequent word (operator)", &words::ENGLISH[..10]),
        ("search, an order number (operator)", &[][..]),
    ] {
        let mut samples = Vec::with_capacity(n);
        for i in 0..n {
            let q = match words.get(i % words.len().max(1)) {
                Some(word) => (*word).to_owned(),
                None => format!("A{}", 100_000 + rng.below(900_000)),
            };
            let url = reqwest::Url::parse_with_params(&format!("{base}/api/search"), [("q", q)])
                .expect("a URL");
            let (took, body) = get(&operator, url.as_str()).await;
            serde_json::from_slice::<SearchResults>(&body).expect("search results");
            samples.push(took);
        }
        timed(name, 100.0, samples);
    }
    // Take: the operator takes each waiting ticket of their department (and lets it go again).
    let (_, body) = get(&operator, &format!("{base}/api/tickets?unassigned=true")).await;
    let waiting: Vec<TicketSummary> = serde_json::from_slice(&body).expect("the board");
    assert!(!waiting.is_empty(), "tickets waiting to be taken");
    let mut samples = Vec::with_capacity(n);
    for i in 0..n {
        let id = waiting[i % waiting.len()].id;
        samples.push(post(&operator, base, &format!("/api/tickets/{id}/take")).await);
        post(&operator, base, &format!("/api/tickets/{id}/release")).await;
    }
    timed("take (operator)", 100.0, samples);
    shapes
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let options = options();
    let machine = bench::machine();
    let (date, commit) = (bench::date(), bench::commit());
    println!(
        "scale benchmark: {} tickets, {} requests per shape, {machine}",
        options.tickets, options.requests
    );
    let words: Vec<&str> = words::ENGLISH
        .iter()
        .chain(words::RUSSIAN.iter())
        .copied()
        .collect();
    for backend in &options.backends {
        println!("{backend}:");
        let scratch = bench::fresh_database(backend, "scale").await;
        let filled = fill::fill(&scratch.url, options.tickets, &words).await;
        println!(
            "  filled {} tickets, {} messages, {} events in {:.0} s",
            filled.tickets, filled.messages, filled.events, filled.seconds
        );
        let settings = Settings {
            addr: "127.0.0.1:0".parse().expect("an address"),
            database_url: Some(Secret::new(scratch.url.clone())),
            database_max_connections: 8,
            files_dir: Some(scratch.files()),
            // One operator takes and releases hundreds of tickets as fast as the desk answers:
            // the flood limit is not what is measured here.
            limits: Limits {
                person_commands_per_sec: 10_000.0,
                person_command_burst: 10_000.0,
                socket_commands_per_sec: 10_000.0,
                socket_command_burst: 10_000.0,
                ..Limits::default()
            },
            ..Settings::default()
        };
        let served = bench::InProcess::start(settings).await;
        let shapes = run_shapes(&served.base, options.requests, filled.tickets).await;
        served.stop().await;
        if options.keep {
            println!("  kept: {}", scratch.url);
        } else {
            scratch.remove().await;
        }
        println!(
            "  {:<40} {:>9} {:>9} {:>9} {:>8}",
            "request", "p50 ms", "p95 ms", "p99 ms", "target"
        );
        for mut shape in shapes {
            let count = shape.samples.len();
            let p = Percentiles::of(&mut shape.samples).expect("samples");
            println!(
                "  {:<40} {:>9.1} {:>9.1} {:>9.1} {:>8}",
                shape.name, p.p50, p.p95, p.p99, shape.target_ms
            );
            let line = serde_json::json!({
                "bench": "scale",
                "backend": backend,
                "tickets": filled.tickets,
                "messages": filled.messages,
                "events": filled.events,
                "fill_s": round2(filled.seconds),
                "request": shape.name,
                "requests": count,
                "p50_ms": round2(p.p50),
                "p95_ms": round2(p.p95),
                "p99_ms": round2(p.p99),
                "target_p95_ms": shape.target_ms,
                "machine": machine,
                "date": date,
                "commit": commit,
            });
            bench::append_result("scale.jsonl", &line).expect("results written");
        }
    }
    println!(
        "results appended to {}",
        bench::results_file("scale.jsonl").display()
    );
}
