//! Fan-out benchmark: how fast a message reaches every socket that follows its ticket, with
//! thousands of sockets open, next to the smallest axum/tokio broadcast server doing the same
//! fan-out without storage (the baseline, started from this same binary).
//!
//! For each configuration (one node on SQLite, two nodes on one PostgreSQL) and each number of
//! sockets, it starts the real `switchboard` release binary, signs in the demo members, opens
//! one ticket per four sockets, has every socket follow its ticket (each message reaches four
//! readers), then measures:
//! - delivery latency, send to each reader's receipt (p50 / p99 / p99.9), at a steady rate;
//! - the highest rate sustained with p99 under 50 ms (rates doubled until it fails);
//! - the same for the baseline, and our highest rate as a share of its highest rate;
//! - resident memory per idle socket, CPU per 1,000 messages (at 500 messages a second);
//! - presence latency (one operator's mode change seen by another, across nodes when two);
//! - the time for a reader that missed 1,000 events to catch up.
//!
//! Results: one JSON line per configuration in `bench/results/fanout.jsonl`.
//!
//! ```sh
//! cargo xtask bench            # builds the release binary, then runs every configuration
//! cargo run --release -p bench --bin fanout -- --connections 1000 --steady 2000
//! ```

use std::{
    collections::HashMap,
    net::SocketAddr,
    process::{Child, Command as Process},
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};

use app::protocol::{
    ClientMsgId, Command, CommandId, Event, PresenceMode, Seq, TicketId, Topic, Written,
};
use bench::{
    Rng, append_result, commit, date, free_addr, login, machine, round2, spawn_until,
    switchboard_bin,
};
use futures_util::{SinkExt, StreamExt, stream::SplitSink};
use sqlx::Connection;
use tokio::{sync::mpsc, task::JoinHandle};
use tokio_tungstenite::tungstenite::Message;

use bench::Ws;
type Sink = SplitSink<Ws, Message>;

use server::service::demo::MEMBERS;
/// Sockets following each ticket.
mod latency;
mod presence;
mod target;
use bench::{open, until};
use latency::{Histogram, now_micros, sent_at};
use presence::{presence_latency, replay_time};
use target::{Kind, Target, unique};

const READERS_PER_TICKET: usize = 4;
/// Sockets the writers send from (commands on one socket are handled in turn).
const WRITERS: usize = 64;
/// The latency a rate must keep its p99 under to count as sustained.
const P99_LIMIT_MS: f64 = 50.0;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    if args.first().map(String::as_str) == Some("baseline-server") {
        let addr = args
            .get(1)
            .expect("an address")
            .parse()
            .expect("an address");
        runtime.block_on(baseline::serve(addr));
        return;
    }
    let options = Options::parse(&args);
    runtime.block_on(run(options));
}

struct Options {
    connections: Vec<usize>,
    /// The steady rate latency is reported at, in messages per second.
    steady: u64,
    /// Seconds each rate runs.
    seconds: u64,
    sqlite: bool,
    postgres: bool,
    /// Skips the baseline (its figures and the ratio are then absent).
    baseline: bool,
}

impl Options {
    fn parse(args: &[String]) -> Options {
        let mut options = Options {
            connections: vec![1_000, 5_000, 10_000, 19_000],
            steady: 2_000,
            seconds: 4,
            sqlite: true,
            postgres: true,
            baseline: true,
        };
        let mut it = args.iter();
        while let Some(arg) = it.next() {
            let mut value = || it.next().expect("a value after the option").clone();
            match arg.as_str() {
                "--connections" => {
                    options.connections = value()
                        .split(',')
                        .map(|n| n.trim().parse().expect("a number of sockets"))
                        .collect();
                }
                "--steady" => options.steady = value().parse().expect("messages per second"),
                "--seconds" => options.seconds = value().parse().expect("seconds"),
                "--sqlite-only" => options.postgres = false,
                "--postgres-only" => options.sqlite = false,
                "--no-baseline" => options.baseline = false,
                other => panic!(
                    "unknown option {other}; options: --connections 1000,5000 --steady 2000 \
                     --seconds 4 --sqlite-only --postgres-only --no-baseline"
                ),
            }
        }
        options
    }
}

async fn run(options: Options) {
    sqlx::any::install_default_drivers();
    println!("fan-out benchmark on {} ({})", machine(), commit());
    println!(
        "each message reaches {READERS_PER_TICKET} readers; {WRITERS} writer sockets; \
         {} s per rate",
        options.seconds
    );
    for &connections in &options.connections {
        let base = if options.baseline {
            let target = Target::baseline().await;
            let measured = measure(&target, connections, &options).await;
            target.stop();
            println!(
                "baseline, {connections} sockets: max {} msg/s with p99 < {P99_LIMIT_MS} ms; at {} msg/s p50 {:.2} / p99 {:.2} ms; {:.1} KiB per idle socket",
                measured.max_rate,
                options.steady,
                measured.steady.p50,
                measured.steady.p99,
                measured.rss_per_conn_kib
            );
            Some(measured)
        } else {
            None
        };
        let mut configs = Vec::new();
        if options.sqlite {
            configs.push((1, "sqlite"));
        }
        if options.postgres {
            configs.push((2, "postgres"));
        }
        for (nodes, backend) in configs {
            let target = Target::switchboard(nodes, backend, connections).await;
            let ours = measure(&target, connections, &options).await;
            let presence = presence_latency(&target).await;
            let replay = replay_time(&target).await;
            target.stop();
            let ratio = base
                .as_ref()
                .map(|base| ours.max_rate as f64 / base.max_rate.max(1) as f64);
            println!(
                "switchboard, {nodes} node(s) on {backend}, {connections} sockets: at {} msg/s p50 {:.2} / p99 {:.2} / p99.9 {:.2} ms; max {} msg/s ({:.0} % of the baseline); {:.1} KiB per idle socket; {:.0} ms CPU per 1k messages; presence p50 {:.2} / p99 {:.2} ms; replay of 1,000 events {:.1} ms",
                options.steady,
                ours.steady.p50,
                ours.steady.p99,
                ours.steady.p999,
                ours.max_rate,
                ratio.unwrap_or(f64::NAN) * 100.0,
                ours.rss_per_conn_kib,
                ours.cpu_ms_per_1k,
                presence.p50,
                presence.p99,
                replay,
            );
            let line = serde_json::json!({
                "nodes": nodes,
                "backend": backend,
                "connections": connections,
                "rate_per_s": options.steady,
                "delivered_per_s": round2(ours.steady.delivered_per_s),
                "p50_ms": round2(ours.steady.p50),
                "p99_ms": round2(ours.steady.p99),
                "p999_ms": round2(ours.steady.p999),
                "max_rate_p99_under_50ms": ours.max_rate,
                "baseline_max_rate": base.as_ref().map(|b| b.max_rate),
                "baseline_p50_ms": base.as_ref().map(|b| round2(b.steady.p50)),
                "baseline_p99_ms": base.as_ref().map(|b| round2(b.steady.p99)),
                "baseline_ratio": ratio.map(round2),
                "rss_per_conn_kib": round2(ours.rss_per_conn_kib),
                "baseline_rss_per_conn_kib": base.as_ref().map(|b| round2(b.rss_per_conn_kib)),
                "cpu_ms_per_1k_msgs": round2(ours.cpu_ms_per_1k),
                "presence_p50_ms": round2(presence.p50),
                "presence_p99_ms": round2(presence.p99),
                "replay_1000_ms": round2(replay),
                "readers_per_message": READERS_PER_TICKET,
                "machine": machine(),
                "date": date(),
                "commit": commit(),
            });
            if let Err(err) = append_result("fanout.jsonl", &line) {
                eprintln!("could not write the result: {err}");
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// The load.

struct Load {
    p50: f64,
    p99: f64,
    p999: f64,
    delivered_per_s: f64,
    /// Share of the expected deliveries that arrived.
    complete: f64,
    acked: u64,
    sent: u64,
}

struct Measured {
    steady: Load,
    max_rate: u64,
    rss_per_conn_kib: f64,
    cpu_ms_per_1k: f64,
}

/// Opens `connections` readers and the writers on `target`, then runs the steady rate and the
/// search for the highest sustained rate.
async fn measure(target: &Target, connections: usize, options: &Options) -> Measured {
    let histogram = Arc::new(Histogram::new());
    let delivered = Arc::new(AtomicU64::new(0));
    let slots = target.slots(connections);
    tokio::time::sleep(Duration::from_millis(500)).await;
    let rss_before = target.rss_kib();
    let opened = Instant::now();
    let mut readers: Vec<JoinHandle<()>> = Vec::with_capacity(connections);
    let mut batch = Vec::new();
    for i in 0..connections {
        let slot = i % slots;
        let addr = target.addr(i);
        let cookie = target.cookie_for(slot).to_owned();
        let follow = target.follow(slot);
        let kind = target.kind;
        batch.push(tokio::spawn(async move {
            let mut ws = open(addr, &cookie).await;
            ws.send(Message::Text(follow.into()))
                .await
                .expect("follows");
            let ready = match kind {
                Kind::Switchboard => "\"caught_up\"",
                Kind::Baseline => "\"subscribed\"",
            };
            until(&mut ws, ready).await;
            ws
        }));
        if batch.len() == 200 || i + 1 == connections {
            for b in batch.drain(..) {
                let ws = b.await.expect("a reader");
                readers.push(tokio::spawn(count_deliveries(
                    ws,
                    target.kind,
                    histogram.clone(),
                    delivered.clone(),
                )));
            }
        }
    }
    println!(
        "  {connections} sockets open and following in {:.1} s",
        opened.elapsed().as_secs_f64()
    );
    tokio::time::sleep(Duration::from_secs(2)).await;
    let rss_per_conn_kib = target.rss_kib().saturating_sub(rss_before) as f64 / connections as f64;

    let writers = Writers::open(target).await;
    run_rate(target, &writers, &histogram, &delivered, slots, 200, 1).await;
    // The highest sustained rate first (doubling from 500 until a rate fails, then once half
    // way back), with a pause between rates; CPU is read over the first, sustainable one.
    let mut max_rate = 0;
    let mut rate = 500;
    let mut refined = false;
    let mut cpu_ms_per_1k = f64::NAN;
    loop {
        tokio::time::sleep(Duration::from_secs(2)).await;
        let cpu_before = target.cpu_ms();
        let load = run_rate(
            target,
            &writers,
            &histogram,
            &delivered,
            slots,
            rate,
            options.seconds,
        )
        .await;
        if rate == 500 {
            cpu_ms_per_1k = (target.cpu_ms() - cpu_before) / load.sent.max(1) as f64 * 1000.0;
        }
        let ok = load.p99 < P99_LIMIT_MS && load.complete > 0.99 && load.acked == load.sent;
        println!(
            "  {rate} msg/s: p50 {:.2} p99 {:.2} ms, {:.0} % delivered, {} of {} acknowledged{}",
            load.p50,
            load.p99,
            load.complete * 100.0,
            load.acked,
            load.sent,
            if ok { "" } else { " — not sustained" }
        );
        if ok {
            max_rate = rate;
        }
        if refined || (ok && rate >= 64_000) {
            break;
        }
        if ok {
            rate *= 2;
        } else if max_rate > 0 {
            refined = true;
            rate = max_rate + max_rate / 2;
        } else {
            break;
        }
    }
    // Then the steady rate the latency figures are quoted at.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let steady = run_rate(
        target,
        &writers,
        &histogram,
        &delivered,
        slots,
        options.steady,
        options.seconds,
    )
    .await;
    println!(
        "  steady {} msg/s: p50 {:.2} p99 {:.2} p99.9 {:.2} ms, {:.0} % delivered, {} of {} acknowledged",
        options.steady,
        steady.p50,
        steady.p99,
        steady.p999,
        steady.complete * 100.0,
        steady.acked,
        steady.sent
    );
    for r in readers {
        r.abort();
    }
    writers.close();
    Measured {
        steady,
        max_rate,
        rss_per_conn_kib,
        cpu_ms_per_1k,
    }
}

/// Records each message's delivery latency as it reaches this reader.
async fn count_deliveries(
    mut ws: Ws,
    kind: Kind,
    histogram: Arc<Histogram>,
    delivered: Arc<AtomicU64>,
) {
    while let Some(Ok(frame)) = ws.next().await {
        // The ticket's new state (its preview) also quotes the body: only the event itself
        // counts as the delivery.
        if let Message::Text(text) = frame
            && (kind == Kind::Baseline || text.as_str().contains("\"ticket_event\""))
            && let Some(sent) = sent_at(text.as_str())
        {
            histogram.record(now_micros().saturating_sub(sent));
            delivered.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// The sockets messages are sent from; each counts its acknowledgements.
struct Writers {
    sinks: Vec<mpsc::UnboundedSender<String>>,
    acked: Arc<AtomicU64>,
    tasks: Vec<JoinHandle<()>>,
}

impl Writers {
    async fn open(target: &Target) -> Writers {
        let acked = Arc::new(AtomicU64::new(0));
        let mut sinks = Vec::new();
        let mut tasks = Vec::new();
        for w in 0..WRITERS {
            // A writer sends for the members of the tickets it is given (slot % WRITERS == w
            // keeps each ticket on one writer, whose session is that ticket's member's).
            let (tx, mut rx) = mpsc::unbounded_channel::<String>();
            let cookie = match target.kind {
                Kind::Switchboard => target.members[w % target.members.len()].clone(),
                Kind::Baseline => String::new(),
            };
            let ws = open(target.addr(w), &cookie).await;
            let (mut sink, mut stream): (Sink, _) = ws.split();
            tasks.push(tokio::spawn(async move {
                while let Some(frame) = rx.recv().await {
                    if sink.send(Message::Text(frame.into())).await.is_err() {
                        return;
                    }
                }
            }));
            let acked = acked.clone();
            tasks.push(tokio::spawn(async move {
                while let Some(Ok(frame)) = stream.next().await {
                    if let Message::Text(text) = frame
                        && text.as_str().contains("\"ack\"")
                    {
                        acked.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }));
            sinks.push(tx);
        }
        Writers {
            sinks,
            acked,
            tasks,
        }
    }

    fn close(self) {
        for t in self.tasks {
            t.abort();
        }
    }
}

/// Sends `rate` messages a second for `seconds` to random tickets, waits for the last
/// deliveries, and reports.
async fn run_rate(
    target: &Target,
    writers: &Writers,
    histogram: &Histogram,
    delivered: &AtomicU64,
    slots: usize,
    rate: u64,
    seconds: u64,
) -> Load {
    histogram.reset();
    delivered.store(0, Ordering::Relaxed);
    let acked_before = writers.acked.load(Ordering::Relaxed);
    let mut rng = Rng::new(rate ^ 0x5eed);
    let total = rate * seconds;
    let started = Instant::now();
    let mut sent = 0u64;
    let mut command = 0u64;
    let mut tick = tokio::time::interval(Duration::from_millis(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
    while sent < total {
        tick.tick().await;
        let due = ((started.elapsed().as_secs_f64() * rate as f64) as u64).min(total);
        while sent < due {
            // A ticket of the writer's member (writer w speaks for member w % 5, and the
            // members opened the tickets in turn, so slot % 5 is the slot's member).
            let w = rng.below(WRITERS);
            let slot = match target.kind {
                Kind::Switchboard => {
                    let member = w % MEMBERS.len();
                    let slot = rng.below(slots.div_ceil(MEMBERS.len())) * MEMBERS.len() + member;
                    if slot < slots { slot } else { member % slots }
                }
                Kind::Baseline => rng.below(slots),
            };
            command += 1;
            let body = format!("sent={} n={command}", now_micros());
            let _ = writers.sinks[w].send(target.publish(slot, command, &body));
            sent += 1;
        }
    }
    let expected = sent * READERS_PER_TICKET as u64;
    let sending = started.elapsed();
    let deadline = Instant::now() + Duration::from_secs(20);
    while (delivered.load(Ordering::Relaxed) < expected
        || writers.acked.load(Ordering::Relaxed) - acked_before < sent)
        && Instant::now() < deadline
    {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let got = delivered.load(Ordering::Relaxed);
    Load {
        p50: histogram.quantile(0.50),
        p99: histogram.quantile(0.99),
        p999: histogram.quantile(0.999),
        delivered_per_s: got as f64 / sending.as_secs_f64(),
        complete: got as f64 / expected.max(1) as f64,
        acked: writers.acked.load(Ordering::Relaxed) - acked_before,
        sent,
    }
}

// ---------------------------------------------------------------------------------------

/// The baseline: the smallest axum/tokio server doing the same fan-out (see the module).
mod baseline;
