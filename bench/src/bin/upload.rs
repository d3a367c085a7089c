//! Upload benchmark: one large file (1 GiB by default) streamed through the real server into
//! each file store — the local directory, and the S3-compatible server named by
//! `SWITCHBOARD_TEST_S3_*` when there is one (`cargo xtask bench upload` starts moto_server on
//! loopback) — next to the same bytes written straight into the same store by this process
//! with the same object-store client and part size (the bare baseline).
//!
//! The server runs with its data segment limited (`prlimit --data`, 256 MiB by default), far
//! below the file's size: a server that held the file in memory would fail. It reports
//! throughput (MiB/s), the ratio to the baseline, and the server's peak resident memory
//! (VmHWM) when idle and after the uploads. The checksum the server answers must match.
//! Server and baseline alternate for `--rounds` rounds (3 by default); medians are reported.
//!
//! Results: one JSON line per store in `bench/results/upload.jsonl`.
//!
//! ```sh
//! cargo xtask bench upload                 # builds the release server, starts moto, runs
//! cargo run --release -p bench --bin upload -- --mib 256 --limit-mib 128
//! ```

use std::{
    process::{Child, Command},
    sync::Arc,
    time::Instant,
};

use bench::{
    append_result, commit, date, free_addr, login, machine, round2, spawn_until, switchboard_bin,
};
use bytes::Bytes;
use futures_util::StreamExt;
use object_store::{ObjectStore, ObjectStoreExt, WriteMultipart, path::Path};
use server::config::{S3Settings, Secret};
use sha2::{Digest, Sha256};

/// Bytes per generated chunk.
const CHUNK: usize = 1024 * 1024;
/// The server's part size and parts in flight (`server::files`), for the baseline.
const PART: usize = 5 * 1024 * 1024;
const IN_FLIGHT: usize = 2;

struct Options {
    mib: usize,
    limit_mib: u64,
    rounds: u64,
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse::<u64>().ok())
    };
    let options = Options {
        mib: value("--mib").unwrap_or(1024) as usize,
        limit_mib: value("--limit-mib").unwrap_or(256),
        rounds: value("--rounds").unwrap_or(3).max(1),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        println!(
            "upload benchmark: {} MiB, server data segment limited to {} MiB, median of {} rounds, {}",
            options.mib,
            options.limit_mib,
            options.rounds,
            machine()
        );
        println!(
            "{:<6} {:>12} {:>12} {:>7} {:>14} {:>14}",
            "store", "server MiB/s", "bare MiB/s", "ratio", "idle peak MiB", "upload peak MiB"
        );
        run("local", None, &options).await;
        match s3_settings() {
            Some(s3) => run("s3", Some(s3), &options).await,
            None => println!("s3     skipped: no SWITCHBOARD_TEST_S3_* store named"),
        }
    });
}

/// The S3 store and bucket named by the environment.
fn s3_settings() -> Option<S3Settings> {
    let var = |name: &str| std::env::var(format!("SWITCHBOARD_TEST_S3_{name}")).ok();
    Some(S3Settings {
        bucket: var("BUCKET")?,
        endpoint: Some(var("ENDPOINT")?),
        region: var("REGION").unwrap_or_else(|| "us-east-1".into()),
        access_key_id: Some(Secret::new(var("ACCESS_KEY_ID")?)),
        secret_access_key: Some(Secret::new(var("SECRET_ACCESS_KEY")?)),
        path_style: true,
    })
}

async fn run(store: &str, s3: Option<S3Settings>, options: &Options) {
    let bytes = options.mib * 1024 * 1024;
    let dir = tempfile::tempdir().expect("a directory");
    let addr = free_addr();
    let mut cmd = Command::new("prlimit");
    cmd.arg(format!("--data={}", options.limit_mib * 1024 * 1024))
        .arg("--")
        .arg(switchboard_bin())
        .args(["serve", "--demo", "--addr", &addr.to_string(), "--data"])
        .arg(dir.path())
        .env("SWITCHBOARD_MAX_FILE_BYTES", (bytes + 1).to_string())
        .env("RUST_LOG", "info");
    if let Some(s3) = &s3 {
        cmd.env("SWITCHBOARD_S3__BUCKET", &s3.bucket)
            .env(
                "SWITCHBOARD_S3__ENDPOINT",
                s3.endpoint.as_deref().unwrap_or_default(),
            )
            .env("SWITCHBOARD_S3__REGION", &s3.region);
        if let (Some(key), Some(secret)) = (&s3.access_key_id, &s3.secret_access_key) {
            cmd.env("SWITCHBOARD_S3__ACCESS_KEY_ID", key.expose())
                .env("SWITCHBOARD_S3__SECRET_ACCESS_KEY", secret.expose());
        }
    }
    let mut child = spawn_until(cmd, "serving Switchboard");
    let cookie = login(addr, "anna@example.com").await;
    let idle = peak_kib(&child);

    // The baseline: the same bytes into the same store, straight from this process.
    let objects: Arc<dyn ObjectStore> = match &s3 {
        Some(s3) => server::files::Files::s3(s3),
        None => server::files::Files::local(&dir.path().join("bare")),
    }
    .expect("the store")
    .object_store();

    // Rounds alternate between the two, so that neither gets the quieter disk or cache.
    let mut server_secs = Vec::new();
    let mut bare_secs = Vec::new();
    for round in 0..options.rounds {
        server_secs.push(through_server(addr, &cookie, bytes, round).await);
        let (body, _) = generated(bytes, 1000 + round);
        let started = Instant::now();
        bare_put(&objects, body).await;
        bare_secs.push(started.elapsed().as_secs_f64());
        let _ = objects.delete(&Path::from("bench/bare.bin")).await;
    }
    let peak = peak_kib(&child);
    let _ = child.kill();
    let _ = child.wait();
    let server_secs = median(&mut server_secs);
    let bare_secs = median(&mut bare_secs);

    let mib = options.mib as f64;
    let line = serde_json::json!({
        "bench": "upload",
        "date": date(),
        "commit": commit(),
        "machine": machine(),
        "store": store,
        "mib": options.mib,
        "server_data_limit_mib": options.limit_mib,
        "rounds": options.rounds,
        "server_mib_s": round2(mib / server_secs),
        "bare_mib_s": round2(mib / bare_secs),
        "ratio": round2(bare_secs / server_secs),
        "idle_peak_rss_mib": round2(idle as f64 / 1024.0),
        "upload_peak_rss_mib": round2(peak as f64 / 1024.0),
    });
    println!(
        "{:<6} {:>12} {:>12} {:>7} {:>14} {:>14}",
        store,
        line["server_mib_s"],
        line["bare_mib_s"],
        line["ratio"],
        line["idle_peak_rss_mib"],
        line["upload_peak_rss_mib"]
    );
    append_result("upload.jsonl", &line).expect("results written");
}

/// Uploads `bytes` of noise through the server, checks the checksum it answers and removes
/// the file again; the seconds it took.
async fn through_server(addr: std::net::SocketAddr, cookie: &str, bytes: usize, round: u64) -> f64 {
    let client = reqwest::Client::new();
    let (body, expected) = generated(bytes, round + 1);
    let started = Instant::now();
    let res = client
        .post(format!("http://{addr}/api/uploads?name=big.bin"))
        .header("cookie", cookie)
        .header("origin", format!("http://{addr}"))
        .header("content-length", bytes.to_string())
        .body(reqwest::Body::wrap_stream(body))
        .send()
        .await
        .expect("the server answers");
    let status = res.status();
    let answer: serde_json::Value = res.json().await.unwrap_or_default();
    let secs = started.elapsed().as_secs_f64();
    assert_eq!(status, reqwest::StatusCode::CREATED, "{answer}");
    let expected = expected.await.expect("the checksum");
    assert_eq!(
        answer["sha256"].as_str(),
        Some(expected.as_str()),
        "the same bytes arrived"
    );
    let id = answer["id"].as_str().unwrap_or_default();
    let gone = client
        .delete(format!("http://{addr}/api/uploads/{id}"))
        .header("cookie", cookie)
        .header("origin", format!("http://{addr}"))
        .send()
        .await
        .expect("the server answers");
    assert!(gone.status().is_success(), "the upload is removed");
    secs
}

fn median(samples: &mut [f64]) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

/// `len` bytes of noise in 1 MiB chunks (generated as they are sent, never held whole), and
/// their SHA-256 once all have been produced.
fn generated(
    len: usize,
    seed: u64,
) -> (
    impl futures_util::Stream<Item = Result<Bytes, std::io::Error>> + Send + 'static,
    tokio::sync::oneshot::Receiver<String>,
) {
    let (done, checksum) = tokio::sync::oneshot::channel();
    let mut rng = bench::Rng::new(seed);
    let mut hasher = Some(Sha256::new());
    let mut done = Some(done);
    let mut left = len;
    let stream = futures_util::stream::poll_fn(move |_| {
        if left == 0 {
            return std::task::Poll::Ready(None);
        }
        let n = left.min(CHUNK);
        left -= n;
        let mut chunk = Vec::with_capacity(n);
        while chunk.len() < n {
            chunk.extend_from_slice(&rng.next_u64().to_le_bytes());
        }
        chunk.truncate(n);
        if let Some(hasher) = hasher.as_mut() {
            hasher.update(&chunk);
        }
        // Told with the last chunk: a client sending a known length stops asking after it.
        if left == 0
            && let (Some(hasher), Some(done)) = (hasher.take(), done.take())
        {
            let _ = done.send(
                hasher
                    .finalize()
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect(),
            );
        }
        std::task::Poll::Ready(Some(Ok(Bytes::from(chunk))))
    });
    (stream, checksum)
}

/// Writes `body` into `objects` as one multipart object, as the server does.
async fn bare_put(
    objects: &Arc<dyn ObjectStore>,
    mut body: impl futures_util::Stream<Item = Result<Bytes, std::io::Error>> + Unpin,
) {
    let upload = objects
        .put_multipart(&Path::from("bench/bare.bin"))
        .await
        .expect("an upload");
    let mut writer = WriteMultipart::new_with_chunk_size(upload, PART);
    while let Some(chunk) = body.next().await {
        writer
            .wait_for_capacity(IN_FLIGHT)
            .await
            .expect("room for a part");
        writer.put(chunk.expect("a chunk"));
    }
    writer.finish().await.expect("stored");
}

/// The process's peak resident memory so far (VmHWM), in KiB.
fn peak_kib(child: &Child) -> u64 {
    std::fs::read_to_string(format!("/proc/{}/status", child.id()))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}
