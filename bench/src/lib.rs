//! What every benchmark shares: percentiles, the run's identity, the results files, and
//! starting and signing in to the real server.

use std::{
    io::{BufRead, BufReader, Write},
    net::SocketAddr,
    path::PathBuf,
    process::{Child, Command, Stdio},
    time::Duration,
};

/// Latency percentiles of a set of samples, in milliseconds.
#[derive(Debug, Clone, Copy)]
pub struct Percentiles {
    pub p50: f64,
    pub p95: f64,
    pub p99: f64,
    pub max: f64,
}

impl Percentiles {
    /// Nearest-rank percentiles of `samples` (which it sorts); `None` when empty.
    pub fn of(samples: &mut [Duration]) -> Option<Self> {
        if samples.is_empty() {
            return None;
        }
        samples.sort_unstable();
        let at = |q: f64| {
            let rank = ((q * samples.len() as f64).ceil() as usize).clamp(1, samples.len());
            samples[rank - 1].as_secs_f64() * 1000.0
        };
        Some(Self {
            p50: at(0.50),
            p95: at(0.95),
            p99: at(0.99),
            max: at(1.0),
        })
    }
}

/// Rounds to hundredths, for readable JSON.
pub fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// The commit benchmarked (short hash), or "unknown" outside a git checkout.
pub fn commit() -> String {
    command_output("git", &["rev-parse", "--short", "HEAD"]).unwrap_or_else(|| "unknown".into())
}

/// Today's date (UTC), `YYYY-MM-DD`.
pub fn date() -> String {
    command_output("date", &["-u", "+%F"]).unwrap_or_else(|| "unknown".into())
}

/// The machine, as results quote it: CPU count and memory.
pub fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let mem_gib = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .find(|l| l.starts_with("MemTotal:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kib| kib / 1024.0 / 1024.0);
    format!("{cores} cores, {mem_gib:.0} GiB")
}

fn command_output(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// `bench/results/<name>`, wherever the benchmark is run from inside the workspace.
pub fn results_file(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("results")
        .join(name)
}

/// Appends one JSON object as a line to `bench/results/<name>`.
pub fn append_result(name: &str, line: &serde_json::Value) -> std::io::Result<()> {
    let path = results_file(name);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    writeln!(file, "{line}")
}

/// A small deterministic random generator (xorshift64*): the same seed gives the same data.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed.max(1))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// The number given as `--name N` on the command line (at least 1), else `default`.
pub fn count_arg(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().skip(1).collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(default)
        .max(1)
}

/// A runtime on every core, for a benchmark's client side.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime")
}

/// A free port on loopback.
pub fn free_addr() -> SocketAddr {
    let probe = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    probe.local_addr().expect("its address")
}

/// Starts `cmd` and returns once its log says `ready`.
pub fn spawn_until(mut cmd: Command, ready: &'static str) -> Child {
    let mut child = cmd
        .stderr(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("the server starts");
    let (tx, rx) = std::sync::mpsc::channel();
    for pipe in [
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn std::io::Read + Send>),
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn std::io::Read + Send>),
    ]
    .into_iter()
    .flatten()
    {
        let tx = tx.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                if line.contains(ready) {
                    let _ = tx.send(());
                }
            }
        });
    }
    rx.recv_timeout(Duration::from_secs(120))
        .expect("the server says it is ready");
    child
}

/// The release server binary (or `SWITCHBOARD_BIN`).
pub fn switchboard_bin() -> PathBuf {
    std::env::var_os("SWITCHBOARD_BIN").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/release/switchboard"),
        PathBuf::from,
    )
}

/// Adds `count` members `member<i>@<domain>` sharing the password hash `hash`; their ids and
/// emails.
pub async fn add_members(
    store: &server::store::Store,
    count: usize,
    domain: &str,
    hash: &str,
) -> Vec<(app::protocol::UserId, String)> {
    let now = server::clock::now();
    let mut members = Vec::with_capacity(count);
    for i in 0..count {
        let email = format!("member{i}@{domain}");
        let id = store
            .create_user(
                &email,
                &format!("Member {i}"),
                app::protocol::Role::Member,
                hash,
                &[],
                now,
            )
            .await
            .expect("a member");
        members.push((id, email));
    }
    members
}

/// A socket to the desk.
pub type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Opens a socket to the desk at `addr` with session `cookie` (and the desk's own Origin).
pub async fn open(addr: SocketAddr, cookie: &str) -> Ws {
    use tokio_tungstenite::tungstenite::{client::IntoClientRequest, http::HeaderValue};
    let mut req = format!("ws://{addr}/ws")
        .into_client_request()
        .expect("a request");
    if !cookie.is_empty() {
        req.headers_mut()
            .insert("cookie", HeaderValue::from_str(cookie).expect("a cookie"));
    }
    req.headers_mut().insert(
        "origin",
        HeaderValue::from_str(&format!("http://{addr}")).expect("an origin"),
    );
    let (ws, _) = tokio_tungstenite::connect_async(req)
        .await
        .expect("the socket opens");
    ws
}

/// Reads text frames until one contains `needle`.
pub async fn until(ws: &mut Ws, needle: &str) -> String {
    use futures_util::StreamExt;
    use tokio_tungstenite::tungstenite::Message;
    loop {
        match tokio::time::timeout(Duration::from_secs(60), ws.next()).await {
            Ok(Some(Ok(Message::Text(text)))) if text.as_str().contains(needle) => {
                return text.as_str().to_owned();
            }
            Ok(Some(Ok(_))) => {}
            other => panic!("waiting for {needle}: {other:?}"),
        }
    }
}

/// Signs `email` in (demo password); the session cookie.
pub async fn login(addr: SocketAddr, email: &str) -> String {
    let res = reqwest::Client::new()
        .post(format!("http://{addr}/api/login"))
        .json(&app::protocol::LoginRequest {
            email: email.into(),
            password: server::service::demo::PASSWORD.into(),
        })
        .send()
        .await
        .expect("login answers");
    assert!(res.status().is_success(), "login of {email}");
    res.headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .collect::<Vec<_>>()
        .join("; ")
}

/// The benchmark's command line, as `(--option, value)` pairs.
pub fn options() -> impl Iterator<Item = (String, String)> {
    let mut args = std::env::args().skip(1);
    std::iter::from_fn(move || {
        let option = args.next()?;
        Some((option, args.next().unwrap_or_default()))
    })
}

/// The databases `--backend` names: `sqlite`, `postgres`, or (anything else) both.
pub fn backends(value: &str) -> Vec<&'static str> {
    match value {
        "sqlite" => vec!["sqlite"],
        "postgres" => vec!["postgres"],
        _ => vec!["sqlite", "postgres"],
    }
}

/// A scratch database of one benchmark, removed again by [`Scratch::remove`]: a desk of
/// half a million tickets takes gigabytes, and nothing should keep them after the figures.
pub struct Scratch {
    pub url: String,
    dir: PathBuf,
    /// The PostgreSQL database's name, beside [`postgres_admin`].
    postgres: Option<String>,
}

/// The PostgreSQL server benchmarks make their databases beside (`SWITCHBOARD_BENCH_POSTGRES`,
/// by default the machine's `test` database).
fn postgres_admin() -> String {
    std::env::var("SWITCHBOARD_BENCH_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

async fn postgres_run(admin: &str, statements: &[String]) {
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(admin)
        .await
        .expect("PostgreSQL answers (set SWITCHBOARD_BENCH_POSTGRES)");
    for sql in statements {
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql.clone()))
            .execute(&mut conn)
            .await
            .expect("a scratch database");
    }
}

/// A fresh, empty database of the given kind for benchmark `name`, with the directory its
/// files go to (`files`).
pub async fn fresh_database(backend: &str, name: &str) -> Scratch {
    let dir = std::env::temp_dir().join(format!("switchboard-bench-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a scratch directory");
    match backend {
        "sqlite" => Scratch {
            url: format!("sqlite://{}?mode=rwc", dir.join("bench.db").display()),
            dir,
            postgres: None,
        },
        _ => {
            let admin = postgres_admin();
            let database = format!("switchboard_bench_{name}");
            postgres_run(
                &admin,
                &[
                    format!("DROP DATABASE IF EXISTS {database} WITH (FORCE)"),
                    format!("CREATE DATABASE {database}"),
                ],
            )
            .await;
            let (base, _) = admin.rsplit_once('/').expect("a database URL");
            Scratch {
                url: format!("{base}/{database}"),
                dir,
                postgres: Some(database),
            }
        }
    }
}

impl Scratch {
    /// Where the desk under test keeps its files.
    pub fn files(&self) -> PathBuf {
        self.dir.join("files")
    }

    /// Removes the database and its files.
    pub async fn remove(self) {
        if let Some(database) = &self.postgres {
            postgres_run(
                &postgres_admin(),
                &[format!("DROP DATABASE IF EXISTS {database} WITH (FORCE)")],
            )
            .await;
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Gathers the planner's statistics of the database at `url`, as a running desk has them
/// (PostgreSQL's autovacuum analyses a table soon after a load like a benchmark's); and
/// PostgreSQL reads an index alone only for pages its visibility map marks all-visible.
pub async fn analyze(url: &str) {
    let pool = sqlx::any::AnyPoolOptions::new()
        .max_connections(1)
        .connect(url)
        .await
        .expect("the database opens");
    let analyze = if url.starts_with("postgres") {
        "VACUUM ANALYZE"
    } else {
        "ANALYZE"
    };
    sqlx::query(analyze)
        .execute(&pool)
        .await
        .expect("the planner's statistics");
    pool.close().await;
}

/// An HTTP client signed in to the desk at `base` as `email`, keeping its session cookie.
pub async fn signed_in(base: &str, email: &str, password: &str) -> reqwest::Client {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .expect("an HTTP client");
    let res = client
        .post(format!("{base}/api/login"))
        .json(&app::protocol::LoginRequest {
            email: email.into(),
            password: password.into(),
        })
        .send()
        .await
        .expect("login answers");
    assert!(res.status().is_success(), "login failed: {}", res.status());
    client
}

/// The desk served in this process on a loopback port: its base URL and the means to stop it.
pub struct InProcess {
    pub base: String,
    stop: tokio::sync::oneshot::Sender<()>,
    serving: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl InProcess {
    /// Prepares the desk with `settings` (migrating its database) and serves it.
    pub async fn start(settings: server::config::Settings) -> Self {
        let state = server::prepare(settings)
            .await
            .expect("the server prepares");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a port");
        let base = format!("http://{}", listener.local_addr().expect("an address"));
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let serving = tokio::spawn(server::serve(listener, state, async {
            let _ = stopped.await;
        }));
        Self {
            base,
            stop,
            serving,
        }
    }

    /// Stops serving and waits until it has.
    pub async fn stop(self) {
        let _ = self.stop.send(());
        let _ = self.serving.await;
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::Percentiles;

    #[test]
    fn percentiles_use_the_nearest_rank() {
        let mut samples: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
        let p = Percentiles::of(&mut samples).expect("samples");
        assert_eq!((p.p50, p.p95, p.p99, p.max), (50.0, 95.0, 99.0, 100.0));
        assert!(Percentiles::of(&mut []).is_none());
    }
}
