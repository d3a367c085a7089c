//! Mail-in benchmark: how long a mail takes to be on the operator's board, next to the bare
//! path of the same board — a member opening a chat ticket — in the same run.
//!
//! The release server is started on a fresh SQLite database with the demo desk; Olga's socket
//! follows her board. Shapes, one mail (or ticket) at a time, each a new ticket:
//! - **chat** (the baseline): a member's `POST /api/tickets` → `ticket_changed` on Olga's socket;
//! - **pipe**: a raw mail `POST`ed to `/api/mailboxes/support/mail` with a gateway's token —
//!   what `switchboard ingest-email` does — → the same event;
//! - **imap** (when the mail servers are there: `cargo xtask bench mail` starts them): the
//!   mailbox connected to Dovecot over IMAP, a mail sent through OpenSMTPD; from the relay's
//!   `250` to the event — delivery into the Maildir, Dovecot's `IDLE` news, the fetch and the
//!   take.
//!
//! Results: one JSON line per shape in `bench/results/mailin.jsonl`, with the ratio of each
//! shape's median to the chat baseline's.
//!
//! ```sh
//! cargo xtask bench mail
//! cargo run --release -p bench --bin mailin -- --mails 200
//! ```

use std::{
    process::Command,
    time::{Duration, Instant},
};

use app::protocol::{AdminAction, AdminState, MailSecurity, NewTicketRequest, Topic};
use bench::{
    Percentiles, Ws, append_result, commit, date, free_addr, login, machine, open, round2,
    spawn_until, switchboard_bin, until,
};
use futures_util::SinkExt;
use server::mail::smtp::{self, Relay};
use tokio_tungstenite::tungstenite::Message;

fn main() {
    let mails = bench::count_arg("--mails", 100);
    bench::runtime().block_on(run(mails));
}

/// Where the desk is, and who is asking.
struct Desk {
    addr: std::net::SocketAddr,
    http: reqwest::Client,
    olga: Ws,
    anna: String,
    ada: String,
    gateway: String,
}

impl Desk {
    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Waits for the board to show a ticket of `subject`; how long since `from`.
    async fn on_board(&mut self, subject: &str, from: Instant) -> Duration {
        until(&mut self.olga, subject).await;
        from.elapsed()
    }
}

async fn run(mails: usize) {
    let data = tempfile::tempdir().expect("a data directory");
    let addr = free_addr();
    let mut cmd = Command::new(switchboard_bin());
    cmd.args(["serve", "--demo", "--addr", &addr.to_string(), "--data"])
        .arg(data.path())
        .env("RUST_LOG", "warn,server=info")
        // One member opens every baseline ticket: no limit on abuse is what is measured.
        .env("SWITCHBOARD_LIMITS__PERSON_COMMANDS_PER_SEC", "100000")
        .env("SWITCHBOARD_LIMITS__PERSON_COMMAND_BURST", "100000");
    let mut child = spawn_until(cmd, "serving Switchboard");
    let olga_cookie = login(addr, "olga@desk.example").await;
    let mut olga = open(addr, &olga_cookie).await;
    let follow = serde_json::to_string(&app::protocol::Command::Subscribe {
        topic: Topic::Board,
        since: None,
        filter: None,
    })
    .expect("JSON");
    olga.send(Message::Text(follow.into()))
        .await
        .expect("subscribed");
    until(&mut olga, "\"tickets\"").await;
    let http = reqwest::Client::new();
    let ada = login(addr, "ada@desk.example").await;
    let made: serde_json::Value = http
        .post(format!("http://{addr}/api/tokens"))
        .header("cookie", &ada)
        .header("origin", format!("http://{addr}"))
        .json(&serde_json::json!({"name": "bench gateway", "scope": "administrator"}))
        .send()
        .await
        .expect("a token")
        .json()
        .await
        .expect("its secret");
    let mut desk = Desk {
        addr,
        http,
        olga,
        anna: login(addr, "anna@example.com").await,
        ada,
        gateway: made["secret"].as_str().expect("a secret").to_owned(),
    };
    println!(
        "mail-in benchmark: {mails} of each, release server, {}",
        machine()
    );
    println!(
        "{:<6} {:>7} {:>8} {:>8} {:>8} {:>8} {:>7}",
        "shape", "count", "p50 ms", "p95 ms", "p99 ms", "max ms", "ratio"
    );
    let mut baseline = None;
    for shape in ["chat", "pipe", "imap"] {
        let mut latencies = match shape {
            "chat" => chat(&mut desk, mails).await,
            "pipe" => pipe(&mut desk, mails).await,
            _ => match imap(&mut desk, mails.min(50)).await {
                Some(latencies) => latencies,
                None => {
                    println!(
                        "imap   skipped: no mail servers (`cargo xtask bench mail` starts them)"
                    );
                    continue;
                }
            },
        };
        let count = latencies.len();
        let p = Percentiles::of(&mut latencies).expect("samples");
        let base = *baseline.get_or_insert(p.p50);
        let ratio = round2(p.p50 / base.max(0.001));
        println!(
            "{shape:<6} {count:>7} {:>8.2} {:>8.2} {:>8.2} {:>8.2} {ratio:>6.2}×",
            p.p50, p.p95, p.p99, p.max
        );
        let line = serde_json::json!({
            "benchmark": "mailin",
            "shape": shape,
            "count": count,
            "latency_ms": {"p50": p.p50, "p95": p.p95, "p99": p.p99, "max": p.max},
            "baseline": "chat",
            "ratio_p50": ratio,
            "commit": commit(),
            "date": date(),
            "machine": machine(),
        });
        append_result("mailin.jsonl", &line).expect("results written");
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// The baseline: a member opens tickets in the widget.
async fn chat(desk: &mut Desk, count: usize) -> Vec<Duration> {
    let mut latencies = Vec::with_capacity(count);
    for i in 0..count {
        let subject = format!("Chat question {i}");
        let started = Instant::now();
        let res = desk
            .http
            .post(desk.url("/api/tickets"))
            .header("cookie", &desk.anna)
            .header("origin", desk.url(""))
            .json(&NewTicketRequest {
                department_id: app::protocol::DepartmentId(1),
                subject: subject.clone(),
                body: "Where is my parcel?".into(),
                client_msg_id: app::protocol::ClientMsgId::parse(&format!("bench-chat-{i}"))
                    .expect("an id"),
                attachments: Vec::new(),
                form: None,
            })
            .send()
            .await
            .expect("an answer");
        assert!(res.status().is_success(), "{}", res.status());
        latencies.push(desk.on_board(&subject, started).await);
    }
    latencies
}

fn raw_mail(from: &str, to: &str, subject: &str) -> String {
    format!(
        "From: <{from}>\r\nTo: <{to}>\r\nSubject: {subject}\r\nMessage-ID: <{}.{}@bench.example>\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\r\nWhere is my parcel?\r\n",
        subject.replace(' ', "-"),
        std::process::id()
    )
}

/// Mail piped in, as a mail server's `ingest-email` hands it over.
async fn pipe(desk: &mut Desk, count: usize) -> Vec<Duration> {
    let mut latencies = Vec::with_capacity(count);
    for i in 0..count {
        let subject = format!("Piped question {i}");
        let raw = raw_mail(
            &format!("piped{i}@example.org"),
            "support@desk.example",
            &subject,
        );
        let started = Instant::now();
        let res = desk
            .http
            .post(desk.url("/api/mailboxes/support/mail"))
            .bearer_auth(&desk.gateway)
            .header("content-type", "message/rfc822")
            .body(raw)
            .send()
            .await
            .expect("an answer");
        assert!(res.status().is_success(), "{}", res.status());
        latencies.push(desk.on_board(&subject, started).await);
    }
    latencies
}

/// Mail through a real relay into a real IMAP server the desk reads; `None` without them.
async fn imap(desk: &mut Desk, count: usize) -> Option<Vec<Duration>> {
    let smtp_addr: std::net::SocketAddr =
        std::env::var("SWITCHBOARD_TEST_SMTP").ok()?.parse().ok()?;
    let imap_port: u16 = std::env::var("SWITCHBOARD_TEST_IMAP")
        .ok()?
        .rsplit(':')
        .next()?
        .parse()
        .ok()?;
    let inbox = format!("bench.{}@desk.example", std::process::id());
    let state: AdminState = desk
        .http
        .get(desk.url("/api/admin"))
        .header("cookie", &desk.ada)
        .send()
        .await
        .ok()?
        .json()
        .await
        .ok()?;
    let support = state.mailboxes.iter().find(|m| m.name == "support")?.id;
    let connected = desk
        .http
        .post(desk.url("/api/admin"))
        .header("cookie", &desk.ada)
        .header("origin", desk.url(""))
        .json(&AdminAction::ConnectMailbox {
            id: support,
            host: "127.0.0.1".into(),
            port: imap_port,
            security: MailSecurity::None,
            user: inbox.clone(),
            password: Some("letmein".into()),
            folder: None,
        })
        .send()
        .await
        .ok()?;
    assert!(connected.status().is_success(), "{}", connected.status());
    let relay = Relay {
        host: smtp_addr.ip().to_string(),
        port: smtp_addr.port(),
        security: smtp::Security::None,
        user: None,
        password: None,
        helo: "bench.example".into(),
        step_timeout: Duration::from_secs(10),
    };
    let mut latencies = Vec::with_capacity(count);
    for i in 0..count {
        let subject = format!("Mailed question {i}");
        let from = format!("mailed{i}@example.org");
        let raw = raw_mail(&from, &inbox, &subject);
        let sent = smtp::deliver(&relay, &from, &inbox, raw.as_bytes(), || async { true }).await;
        // Timed from the relay's acceptance: the moment a person's mail program is done.
        let started = Instant::now();
        assert_eq!(sent, Ok(smtp::Delivery::Accepted));
        latencies.push(desk.on_board(&subject, started).await);
    }
    Some(latencies)
}
