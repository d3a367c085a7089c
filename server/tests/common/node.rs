//! A `switchboard serve` process of its own, killed with SIGKILL when the test says (or
//! when dropped): what a crash does to the desk, not what a clean stop does.

use std::{
    io::{BufRead, BufReader},
    net::SocketAddr,
    process::{Child, Command as Process, Stdio},
    time::Duration,
};

const BIN: &str = env!("CARGO_BIN_EXE_switchboard");

/// One `switchboard serve` process; killed when dropped.
pub struct Node {
    pub addr: SocketAddr,
    database_url: String,
    data: tempfile::TempDir,
    env: Vec<(String, String)>,
    child: Option<Child>,
}

impl Node {
    /// A node on a free port over `database_url`, with `env` besides.
    pub fn new(database_url: &str, env: &[(&str, &str)]) -> Node {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
        let addr = probe.local_addr().expect("its address");
        drop(probe);
        Node {
            addr,
            database_url: database_url.to_owned(),
            data: tempfile::tempdir().expect("a directory"),
            env: env
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            child: None,
        }
    }

    /// Starts the process and returns once it says it is serving.
    pub async fn start(&mut self, demo: bool) {
        let mut args = vec![
            "serve".to_owned(),
            "--addr".into(),
            self.addr.to_string(),
            "--data".into(),
            self.data.path().display().to_string(),
        ];
        if demo {
            args.push("--demo".into());
        }
        let mut child = Process::new(BIN)
            .args(&args)
            .env("SWITCHBOARD_DATABASE_URL", &self.database_url)
            .env("RUST_LOG", "info,sqlx=error,tower_http=error")
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .expect("the node starts");
        let stderr = child.stderr.take().expect("its log");
        self.child = Some(child);
        let (ready_tx, ready_rx) = tokio::sync::oneshot::channel();
        // Reads the whole log, so that a full pipe never blocks the node.
        std::thread::spawn(move || {
            let mut ready = Some(ready_tx);
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if line.contains("serving Switchboard")
                    && let Some(ready) = ready.take()
                {
                    let _ = ready.send(());
                }
            }
        });
        tokio::time::timeout(Duration::from_secs(60), ready_rx)
            .await
            .expect("the node serves within a minute")
            .expect("the node says it serves");
    }

    /// SIGKILL: no goodbye to sockets, database or bus.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        self.kill();
    }
}
