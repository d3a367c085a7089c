//! What is measured against: the real server (one node on SQLite, or two on PostgreSQL), or
//! the baseline; and the sockets the load opens on it.

#[allow(unused_imports)]
use super::*;

/// The server(s) under load.
pub(crate) struct Target {
    pub(crate) kind: Kind,
    pub(crate) nodes: Vec<(SocketAddr, Child)>,
    /// Sessions (cookie headers) of the demo members, and the tickets each socket follows.
    pub(crate) members: Vec<String>,
    pub(crate) tickets: Vec<(TicketId, usize)>,
    pub(crate) database: Option<String>,
    pub(crate) _data: Vec<tempfile::TempDir>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Switchboard,
    Baseline,
}

impl Target {
    pub(crate) async fn baseline() -> Target {
        let addr = free_addr();
        let mut cmd = Process::new(std::env::current_exe().expect("this binary"));
        cmd.args(["baseline-server", &addr.to_string()]);
        let child = spawn_until(cmd, "baseline serving");
        Target {
            kind: Kind::Baseline,
            nodes: vec![(addr, child)],
            members: Vec::new(),
            tickets: Vec::new(),
            database: None,
            _data: Vec::new(),
        }
    }

    pub(crate) async fn switchboard(nodes: usize, backend: &str, connections: usize) -> Target {
        let bin = switchboard_bin();
        assert!(
            bin.exists(),
            "{} is missing: cargo build --release -p server",
            bin.display()
        );
        let database =
            (backend == "postgres").then(|| format!("bench_fanout_{}", std::process::id()));
        let admin = std::env::var("SWITCHBOARD_TEST_POSTGRES")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
        let url = database.as_ref().map(|name| {
            let mut url = url::Url::parse(&admin).expect("a PostgreSQL URL");
            url.set_path(name);
            url.to_string()
        });
        if let Some(name) = &database {
            drop_database(&admin, name).await;
            let mut conn = sqlx::AnyConnection::connect(&admin)
                .await
                .expect("PostgreSQL");
            sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .execute(&mut conn)
                .await
                .expect("a database");
        }
        let mut started = Vec::new();
        let mut data = Vec::new();
        for node in 0..nodes {
            let dir = tempfile::tempdir().expect("a directory");
            let addr = free_addr();
            let mut cmd = Process::new(&bin);
            cmd.args(["serve", "--addr", &addr.to_string()])
                .arg("--data")
                .arg(dir.path())
                .env("RUST_LOG", "warn,server=info")
                .env("SWITCHBOARD_SOCKET_QUEUE", "4096")
                // Delivery is measured here, not the limits on abuse: publishers send far
                // more than a person would.
                .env("SWITCHBOARD_LIMITS__SOCKET_COMMANDS_PER_SEC", "1000000")
                .env("SWITCHBOARD_LIMITS__SOCKET_COMMAND_BURST", "1000000")
                .env("SWITCHBOARD_LIMITS__PERSON_COMMANDS_PER_SEC", "1000000")
                .env("SWITCHBOARD_LIMITS__PERSON_COMMAND_BURST", "1000000");
            if node == 0 {
                cmd.arg("--demo");
            }
            if let Some(url) = &url {
                cmd.env("SWITCHBOARD_DATABASE_URL", url);
            }
            started.push((addr, spawn_until(cmd, "serving Switchboard")));
            data.push(dir);
        }
        let first = started[0].0;
        let mut members = Vec::new();
        for email in MEMBERS {
            members.push(login(first, email).await);
        }
        let department = {
            let res = reqwest::Client::new()
                .get(format!("http://{first}/api/departments"))
                .header("cookie", &members[0])
                .send()
                .await
                .expect("departments");
            let all: Vec<app::protocol::Department> = res.json().await.expect("departments");
            all.into_iter()
                .find(|d| d.name == "Customer care")
                .expect("the demo department")
                .id
        };
        // One ticket per four sockets, opened by the members in turn, 16 at a time.
        let count = connections.div_ceil(READERS_PER_TICKET).max(1);
        let http = reqwest::Client::new();
        let mut tickets = Vec::with_capacity(count);
        let mut pending = Vec::new();
        for i in 0..count {
            let member = i % members.len();
            let req = http
                .post(format!("http://{first}/api/tickets"))
                .header("cookie", &members[member])
                .header("origin", format!("http://{first}"))
                .json(&app::protocol::NewTicketRequest {
                    client_msg_id: app::protocol::ClientMsgId::parse(&format!("bench-open-{i}"))
                        .expect("a valid id"),
                    department_id: department,
                    subject: format!("Load {i}"),
                    body: "Opening the conversation.".into(),
                    attachments: Vec::new(),
                    form: None,
                });
            pending.push(tokio::spawn(async move {
                let res = req.send().await.expect("the ticket opens");
                let written: Written = res.json().await.expect("written");
                (written.ticket_id, member)
            }));
            if pending.len() == 16 || i + 1 == count {
                for p in pending.drain(..) {
                    tickets.push(p.await.expect("a ticket"));
                }
            }
        }
        Target {
            kind: Kind::Switchboard,
            nodes: started,
            members,
            tickets,
            database,
            _data: data,
        }
    }

    pub(crate) fn stop(mut self) {
        for (_, child) in &mut self.nodes {
            let _ = child.kill();
            let _ = child.wait();
        }
        if let Some(name) = self.database.take() {
            let admin = std::env::var("SWITCHBOARD_TEST_POSTGRES")
                .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
            let runtime = tokio::runtime::Handle::current();
            std::thread::spawn(move || runtime.block_on(drop_database(&admin, &name)))
                .join()
                .ok();
        }
    }

    pub(crate) fn addr(&self, i: usize) -> SocketAddr {
        self.nodes[i % self.nodes.len()].0
    }

    /// The server processes' resident memory, in KiB.
    pub(crate) fn rss_kib(&self) -> u64 {
        self.nodes
            .iter()
            .filter_map(|(_, c)| std::fs::read_to_string(format!("/proc/{}/status", c.id())).ok())
            .filter_map(|s| {
                s.lines()
                    .find(|l| l.starts_with("VmRSS:"))
                    .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
            })
            .sum()
    }

    /// The server processes' CPU time so far (user + system), in milliseconds.
    pub(crate) fn cpu_ms(&self) -> f64 {
        let ticks: u64 = self
            .nodes
            .iter()
            .filter_map(|(_, c)| std::fs::read_to_string(format!("/proc/{}/stat", c.id())).ok())
            .filter_map(|s| {
                let after = s.rsplit_once(')')?.1;
                let fields: Vec<&str> = after.split_whitespace().collect();
                Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
            })
            .sum();
        ticks as f64 * 10.0
    }

    /// The frame that follows ticket slot `slot`.
    pub(crate) fn follow(&self, slot: usize) -> String {
        match self.kind {
            Kind::Switchboard => serde_json::to_string(&Command::Subscribe {
                topic: Topic::Ticket {
                    id: self.tickets[slot].0,
                },
                since: None,
                filter: None,
            })
            .expect("a frame"),
            Kind::Baseline => format!("{{\"sub\":{slot}}}"),
        }
    }

    /// The frame that sends `body` to ticket slot `slot`.
    pub(crate) fn publish(&self, slot: usize, command: u64, body: &str) -> String {
        match self.kind {
            Kind::Switchboard => serde_json::to_string(&Command::SendMessage {
                seen: None,
                command_id: CommandId(command),
                ticket_id: self.tickets[slot].0,
                client_msg_id: ClientMsgId::parse(&format!("b-{command}-{}", unique()))
                    .expect("an id"),
                body: body.to_owned(),
                hidden: false,
                close: false,
                attachments: Vec::new(),
            })
            .expect("a frame"),
            Kind::Baseline => serde_json::json!({"pub": slot, "body": body}).to_string(),
        }
    }

    /// The session a socket for ticket slot `slot` uses.
    pub(crate) fn cookie_for(&self, slot: usize) -> &str {
        match self.kind {
            Kind::Switchboard => &self.members[self.tickets[slot].1],
            Kind::Baseline => "",
        }
    }

    pub(crate) fn slots(&self, connections: usize) -> usize {
        match self.kind {
            Kind::Switchboard => self.tickets.len(),
            Kind::Baseline => connections.div_ceil(READERS_PER_TICKET).max(1),
        }
    }
}

pub(crate) async fn drop_database(admin: &str, name: &str) {
    if let Ok(mut conn) = sqlx::AnyConnection::connect(admin).await {
        let _ = sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
        )))
        .execute(&mut conn)
        .await;
    }
}

pub(crate) fn unique() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    nanos ^ NEXT.fetch_add(1, Ordering::Relaxed)
}
