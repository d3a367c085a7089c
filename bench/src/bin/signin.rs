//! Sign-in benchmark: what a burst of sign-ins costs the release server's memory, and how
//! long people wait, next to the bare cost of the same password checks.
//!
//! The desk is filled with `--people` members (100 by default) who share one password hash;
//! then the release server is started on it and, for each shape,
//! - **burst**: every member signs in at once;
//! - **waves**: ten sign in one after another, then six waves of eight at once;
//!
//! every right password must be accepted (a `503` is retried after its `Retry-After`, and
//! counted). Reported: the server's resident memory idle, at its peak during the shape
//! (sampled every 10 ms), and settled 5 s after; sign-in latency percentiles; and the bare
//! baseline — the same argon2id checks in the same waves on as many threads as the machine
//! has cores, in this process — with the ratio of the wall times.
//!
//! Results: one JSON line per shape in `bench/results/signin.jsonl`.
//!
//! ```sh
//! cargo xtask bench signin
//! cargo run --release -p bench --bin signin -- --people 200
//! ```

use std::{
    process::Command,
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use bench::{
    Percentiles, append_result, commit, date, free_addr, machine, round2, spawn_until,
    switchboard_bin,
};
use server::{passwords::Passwords, store::Store};

const PASSWORD: &str = "bench sign-in password";

fn main() {
    let people = bench::count_arg("--people", 100);
    bench::runtime().block_on(run(people));
}

async fn run(people: usize) {
    let data = tempfile::tempdir().expect("a data directory");
    let url = format!(
        "sqlite://{}?mode=rwc",
        data.path().join("switchboard.db").display()
    );
    let emails = fill(&url, people).await;
    println!(
        "sign-in benchmark: {people} members, release server, {}",
        machine()
    );
    println!(
        "{:<6} {:>9} {:>9} {:>11} {:>9} {:>9} {:>9} {:>8} {:>10} {:>7}",
        "shape",
        "idle MiB",
        "peak MiB",
        "settled MiB",
        "p50 ms",
        "p95 ms",
        "max ms",
        "retries",
        "bare ms",
        "ratio"
    );
    for shape in [Shape::Burst, Shape::Waves] {
        let addr = free_addr();
        let mut cmd = Command::new(switchboard_bin());
        cmd.args(["serve", "--addr", &addr.to_string(), "--data"])
            .arg(data.path())
            .env("RUST_LOG", "warn,server=info")
            .env("SWITCHBOARD_DATABASE_URL", &url);
        let mut child = spawn_until(cmd, "serving Switchboard");
        let pid = child.id();
        tokio::time::sleep(Duration::from_secs(1)).await;
        let idle = rss_kib(pid);

        let peak = Arc::new(AtomicU64::new(idle));
        let sampling = Arc::new(AtomicBool::new(true));
        let sampler = {
            let (peak, sampling) = (peak.clone(), sampling.clone());
            tokio::spawn(async move {
                while sampling.load(Ordering::Relaxed) {
                    peak.fetch_max(rss_kib(pid), Ordering::Relaxed);
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
            })
        };
        let started = Instant::now();
        let (mut latencies, retries) = shape.run(addr, &emails).await;
        let wall = started.elapsed();
        sampling.store(false, Ordering::Relaxed);
        let _ = sampler.await;
        tokio::time::sleep(Duration::from_secs(5)).await;
        let settled = rss_kib(pid);
        let _ = child.kill();
        let _ = child.wait();

        let signed_in = latencies.len();
        assert_eq!(
            signed_in,
            shape.count(emails.len()),
            "every right password accepted"
        );
        let bare = bare_checks(&shape.waves(emails.len())).await;
        let p = Percentiles::of(&mut latencies).expect("sign-ins");
        let mib = |kib: u64| round2(kib as f64 / 1024.0);
        let ratio = wall.as_secs_f64() / bare.as_secs_f64();
        println!(
            "{:<6} {:>9.1} {:>9.1} {:>11.1} {:>9.0} {:>9.0} {:>9.0} {:>8} {:>10.0} {:>7.2}",
            shape.name(),
            mib(idle),
            mib(peak.load(Ordering::Relaxed)),
            mib(settled),
            p.p50,
            p.p95,
            p.max,
            retries,
            bare.as_secs_f64() * 1000.0,
            ratio
        );
        let line = serde_json::json!({
            "date": date(),
            "commit": commit(),
            "machine": machine(),
            "shape": shape.name(),
            "sign_ins": signed_in,
            "accepted": signed_in,
            "retried_after_503": retries,
            "rss_idle_mib": mib(idle),
            "rss_peak_mib": mib(peak.load(Ordering::Relaxed)),
            "rss_settled_mib": mib(settled),
            "latency_ms": {"p50": round2(p.p50), "p95": round2(p.p95), "p99": round2(p.p99), "max": round2(p.max)},
            "wall_ms": round2(wall.as_secs_f64() * 1000.0),
            "bare_wall_ms": round2(bare.as_secs_f64() * 1000.0),
            "ratio_to_bare": round2(ratio),
        });
        if let Err(err) = append_result("signin.jsonl", &line) {
            eprintln!("could not record the result: {err}");
        }
    }
}

#[derive(Clone, Copy)]
enum Shape {
    /// Everyone at once.
    Burst,
    /// Ten one after another, then six waves of eight at once.
    Waves,
}

impl Shape {
    fn name(self) -> &'static str {
        match self {
            Shape::Burst => "burst",
            Shape::Waves => "waves",
        }
    }

    fn count(self, people: usize) -> usize {
        self.waves(people).iter().sum()
    }

    /// How many sign in at once, wave after wave.
    fn waves(self, people: usize) -> Vec<usize> {
        match self {
            Shape::Burst => vec![people],
            Shape::Waves => [1; 10].into_iter().chain([8; 6]).collect(),
        }
    }

    /// Signs the shape's people in; each sign-in's latency (retries included) and how many
    /// `503`s were retried.
    async fn run(self, addr: std::net::SocketAddr, emails: &[String]) -> (Vec<Duration>, usize) {
        let mut latencies = Vec::new();
        let mut retries = 0;
        let mut next = emails.iter().cycle();
        for size in self.waves(emails.len()) {
            let wave: Vec<String> = next.by_ref().take(size).cloned().collect();
            let results =
                futures_util::future::join_all(wave.into_iter().map(|email| sign_in(addr, email)))
                    .await;
            for (latency, retried) in results {
                latencies.push(latency);
                retries += retried;
            }
        }
        (latencies, retries)
    }
}

/// Signs one person in, retrying after a `503`'s `Retry-After`; the time it took and how many
/// retries.
async fn sign_in(addr: std::net::SocketAddr, email: String) -> (Duration, usize) {
    let client = reqwest::Client::new();
    let started = Instant::now();
    let mut retries = 0;
    loop {
        let res = client
            .post(format!("http://{addr}/api/login"))
            .json(&app::protocol::LoginRequest {
                email: email.clone(),
                password: PASSWORD.into(),
            })
            .send()
            .await
            .expect("the server answers");
        match res.status() {
            reqwest::StatusCode::OK => return (started.elapsed(), retries),
            reqwest::StatusCode::SERVICE_UNAVAILABLE => {
                let wait = res
                    .headers()
                    .get("retry-after")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.parse::<u64>().ok())
                    .expect("a 503 says when to come back");
                retries += 1;
                tokio::time::sleep(Duration::from_secs(wait)).await;
            }
            other => panic!("sign-in of {email} answered {other}"),
        }
    }
}

/// Adds `people` members sharing one password hash; their emails.
async fn fill(url: &str, people: usize) -> Vec<String> {
    let store = Store::connect(url, 2).await.expect("the database opens");
    store.migrate().await.expect("the schema");
    let hash = server::passwords::hash_password(PASSWORD).expect("a hash");
    let emails = bench::add_members(&store, people, "signin.example", &hash)
        .await
        .into_iter()
        .map(|(_, email)| email)
        .collect();
    store.close().await;
    emails
}

/// The same password checks in the same waves with nothing around them: one thread per
/// core, in this process; the wall time.
async fn bare_checks(waves: &[usize]) -> Duration {
    let pool = Passwords::new(0, waves.iter().copied().max().unwrap_or(1));
    let hash = server::passwords::hash_password(PASSWORD).expect("a hash");
    let started = Instant::now();
    for &size in waves {
        let checks = (0..size).map(|_| pool.verify(hash.clone(), PASSWORD.into()));
        for matched in futures_util::future::join_all(checks).await {
            assert_eq!(matched, Ok(true));
        }
    }
    started.elapsed()
}

/// The resident memory of process `pid`, in KiB (0 once it is gone).
fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}
