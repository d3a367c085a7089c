//! Chaos: members and an operator send numbered messages through two `switchboard` processes
//! sharing one PostgreSQL database, while the harness kills a node with SIGKILL and starts it
//! again, drops sockets (some right after sending, before the acknowledgement), and cuts every
//! database connection. At the end each reader's stream of each ticket is checked — no gap,
//! no duplicate, every acknowledged message exactly once, each writer's messages in order —
//! and the counts are printed.
//!
//! Short by default (part of the test command). Longer by hand, optionally restarting the
//! real PostgreSQL server in the middle:
//!
//! ```sh
//! SWITCHBOARD_CHAOS_SECS=300 \
//! SWITCHBOARD_CHAOS_RESTART_PG='pg_ctlcluster --skip-systemctl-redirect 15 main restart' \
//!   cargo test -p server --test chaos -- --nocapture
//! ```

mod actors;
use crate::common;

use actors::{reader, writer};

use server::service::demo::people;

use std::{
    collections::HashMap,
    net::SocketAddr,
    process::Command as Process,
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use app::protocol::{
    ClientMsgId, Command, CommandId, ErrorCode, Event, EventKind, Seq, TicketDetail, TicketId,
    Topic, Written,
};
use common::{Backend, TestDb, node::Node};
use futures_util::{SinkExt, StreamExt};
use sqlx::Connection;
use tokio::net::TcpStream;
use tokio_tungstenite::{
    MaybeTlsStream, WebSocketStream,
    tungstenite::{Message, client::IntoClientRequest, http::HeaderValue},
};

use server::service::demo::MEMBERS;
const WRITING_OPERATOR: &str = people::OLGA;
const READING_STAFF: [&str; 2] = [people::IVAN, people::MIKE];

type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// What the harness counts.
#[derive(Default)]
struct Counts {
    sent: AtomicU64,
    acked: AtomicU64,
    acked_as_duplicate: AtomicU64,
    error_events: AtomicU64,
    dropped_before_ack: AtomicU64,
    sockets_dropped: AtomicU64,
    reconnects: AtomicU64,
    connect_failures: AtomicU64,
}

fn bump(counter: &AtomicU64) {
    counter.fetch_add(1, Ordering::Relaxed);
}

struct Shared {
    nodes: Vec<SocketAddr>,
    counts: Counts,
    /// Writers send no new message once set.
    stop_writing: AtomicBool,
    /// Readers stop once set.
    stop_reading: AtomicBool,
}

/// Signs `email` in on `addr`; the session's cookie header.
async fn login(addr: SocketAddr, email: &str) -> String {
    let client = common::Client::for_addr(addr);
    client.login(email).await;
    let cookie = client.cookie().expect("a session cookie");
    cookie.to_str().expect("a readable cookie").to_owned()
}

/// Opens a socket on `addr`, up to its hello.
async fn open(addr: SocketAddr, cookie: &str) -> Option<Ws> {
    let mut req = format!("ws://{addr}/ws").into_client_request().ok()?;
    req.headers_mut()
        .insert("cookie", HeaderValue::from_str(cookie).ok()?);
    req.headers_mut().insert(
        "origin",
        HeaderValue::from_str(&format!("http://{addr}")).ok()?,
    );
    let (mut ws, _) = tokio::time::timeout(
        Duration::from_secs(5),
        tokio_tungstenite::connect_async(req),
    )
    .await
    .ok()?
    .ok()?;
    match read(&mut ws, Duration::from_secs(5)).await {
        Read::Event(event) if matches!(*event, Event::Hello { .. }) => Some(ws),
        _ => None,
    }
}

/// Opens a socket on the preferred node, or else the other, until one answers.
async fn connect(shared: &Shared, cookie: &str, prefer: usize) -> Ws {
    let deadline = Instant::now() + Duration::from_secs(90);
    let mut attempt = 0;
    loop {
        let addr = shared.nodes[(prefer + attempt) % shared.nodes.len()];
        if let Some(ws) = open(addr, cookie).await {
            bump(&shared.counts.reconnects);
            return ws;
        }
        bump(&shared.counts.connect_failures);
        assert!(Instant::now() < deadline, "no node answers for 90 s");
        attempt += 1;
        tokio::time::sleep(Duration::from_millis(50 * attempt.min(10) as u64)).await;
    }
}

enum Read {
    Event(Box<Event>),
    Quiet,
    Closed,
}

async fn read(ws: &mut Ws, wait: Duration) -> Read {
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        match tokio::time::timeout_at(deadline, ws.next()).await {
            Err(_) => return Read::Quiet,
            Ok(Some(Ok(Message::Text(text)))) => {
                return match serde_json::from_str(text.as_str()) {
                    Ok(event) => Read::Event(Box::new(event)),
                    Err(e) => panic!("unreadable event {text}: {e}"),
                };
            }
            Ok(Some(Ok(Message::Close(_))) | Some(Err(_)) | None) => return Read::Closed,
            Ok(Some(Ok(_))) => {}
        }
    }
}

async fn send(ws: &mut Ws, command: &Command) -> bool {
    let text = serde_json::to_string(command).expect("serialisable");
    ws.send(Message::Text(text.into())).await.is_ok()
}

/// One acknowledged message.
#[derive(Debug, Clone)]
struct Acked {
    ticket: TicketId,
    client_msg_id: String,
}

/// What one reader saw of one ticket: each event's seq and, for messages, the client id.
type Stream = Vec<(Seq, Option<String>)>;

/// What a reader must reach before it stops: each ticket's last seq in its view.
type Targets = Arc<Mutex<Option<HashMap<TicketId, Seq>>>>;

/// Cuts every connection to the test database (as a PostgreSQL restart would), or restarts
/// the server itself when a command is given.
async fn cut_database(database: &str) {
    if let Ok(command) = std::env::var("SWITCHBOARD_CHAOS_RESTART_PG") {
        let status = Process::new("sh")
            .args(["-c", &command])
            .status()
            .expect("the restart command runs");
        assert!(status.success(), "{command} failed");
        return;
    }
    let mut conn = sqlx::AnyConnection::connect(&common::postgres_admin_url())
        .await
        .expect("PostgreSQL answers");
    sqlx::query(
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity \
         WHERE datname = $1 AND pid <> pg_backend_pid()",
    )
    .bind(database)
    .execute(&mut conn)
    .await
    .expect("connections are cut");
    let _ = conn.close().await;
}

/// What a reader should end with: its own view of each ticket's last seq.
async fn last_seq(addr: SocketAddr, cookie: &str, ticket: TicketId) -> Seq {
    let res = reqwest::Client::new()
        .get(format!(
            "http://{addr}/api/tickets/{}?since=1000000000",
            ticket.0
        ))
        .header("cookie", cookie)
        .send()
        .await
        .expect("the ticket answers");
    let detail: TicketDetail = res.json().await.expect("a ticket");
    detail.ticket.last_seq
}

/// The checks over one reader's stream of one ticket.
#[derive(Debug, Default, PartialEq, Eq)]
struct Faults {
    gaps: u64,
    duplicates: u64,
    lost: u64,
    doubled: u64,
    unknown: u64,
    out_of_order: u64,
}

fn check(stream: &Stream, acked: &[Acked], ticket: TicketId, last: Seq) -> Faults {
    let mut faults = Faults::default();
    let mut previous = 0;
    for (seq, _) in stream {
        if seq.0 <= previous {
            faults.duplicates += 1;
            continue;
        }
        faults.gaps += (seq.0 - previous - 1) as u64;
        previous = seq.0;
    }
    faults.gaps += last.0.saturating_sub(previous) as u64;
    let mut seen: HashMap<&str, u64> = HashMap::new();
    let mut last_number: HashMap<&str, u64> = HashMap::new();
    for id in stream.iter().filter_map(|(_, id)| id.as_deref()) {
        *seen.entry(id).or_default() += 1;
        // chaos-{who}-{ticket}-{n}: each writer's numbers only grow.
        if let Some((writer, n)) = id.strip_prefix("chaos-").and_then(|w| w.rsplit_once('-'))
            && let Ok(n) = n.parse::<u64>()
            && last_number
                .insert(writer, n)
                .is_some_and(|before| n <= before)
        {
            faults.out_of_order += 1;
        }
    }
    let mine: Vec<&Acked> = acked.iter().filter(|a| a.ticket == ticket).collect();
    for a in &mine {
        match seen.get(a.client_msg_id.as_str()).copied().unwrap_or(0) {
            0 => faults.lost += 1,
            1 => {}
            _ => faults.doubled += 1,
        }
    }
    faults.unknown = seen
        .keys()
        .filter(|id| id.starts_with("chaos-"))
        .filter(|id| !mine.iter().any(|a| a.client_msg_id == **id))
        .count() as u64;
    faults
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_messages_reach_every_reader_once_in_order_through_kills_and_outages() {
    let seconds: u64 = std::env::var("SWITCHBOARD_CHAOS_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(12);
    let db = TestDb::new(Backend::Postgres).await;
    let database = db.url.rsplit('/').next().expect("a name").to_owned();
    // Delivery through restarts is tested here; the actors write faster than people do, which
    // the limits on abuse (tested on their own) would slow.
    let unlimited = [
        ("SWITCHBOARD_LIMITS__SOCKET_COMMANDS_PER_SEC", "100000"),
        ("SWITCHBOARD_LIMITS__PERSON_COMMANDS_PER_SEC", "100000"),
    ];
    let mut nodes = [
        Node::new(&db.url, &unlimited),
        Node::new(&db.url, &unlimited),
    ];
    nodes[0].start(true).await;
    nodes[1].start(false).await;
    let shared = Arc::new(Shared {
        nodes: nodes.iter().map(|n| n.addr).collect(),
        counts: Counts::default(),
        stop_writing: AtomicBool::new(false),
        stop_reading: AtomicBool::new(false),
    });
    let first = shared.nodes[0];

    // Each member opens a conversation; the operator answers in all of them.
    let care = {
        let anna = common::Client::for_addr(first);
        anna.login(MEMBERS[0]).await;
        anna.department("Customer care").await
    };
    let mut members = Vec::new();
    for (i, email) in MEMBERS.iter().enumerate() {
        let cookie = login(shared.nodes[i % 2], email).await;
        let res = reqwest::Client::new()
            .post(format!("http://{first}/api/tickets"))
            .header("cookie", &cookie)
            .header("origin", format!("http://{first}"))
            .json(&common::new_ticket(
                care,
                "Numbered messages",
                "Counting from here.",
            ))
            .send()
            .await
            .expect("the ticket opens");
        let written: Written = res.json().await.expect("written");
        members.push((
            email.split('@').next().expect("a name").to_owned(),
            cookie,
            written.ticket_id,
        ));
    }
    let tickets: Vec<TicketId> = members.iter().map(|(_, _, t)| *t).collect();
    let operator = login(shared.nodes[1], WRITING_OPERATOR).await;

    let mut writers = Vec::new();
    let mut readers = Vec::new();
    for (i, (name, cookie, ticket)) in members.iter().enumerate() {
        let seed = 1 + i as u64;
        writers.push(tokio::spawn(writer(
            shared.clone(),
            name.clone(),
            cookie.clone(),
            *ticket,
            i % 2,
            seed,
        )));
        writers.push(tokio::spawn(writer(
            shared.clone(),
            "olga".into(),
            operator.clone(),
            *ticket,
            (i + 1) % 2,
            seed * 31,
        )));
        let targets = Targets::default();
        let handle = tokio::spawn(reader(
            shared.clone(),
            cookie.clone(),
            vec![*ticket],
            (i + 1) % 2,
            seed * 7,
            targets.clone(),
        ));
        readers.push((cookie.clone(), vec![*ticket], targets, handle));
    }
    for (i, email) in READING_STAFF.iter().enumerate() {
        let cookie = login(shared.nodes[i], email).await;
        let targets = Targets::default();
        let handle = tokio::spawn(reader(
            shared.clone(),
            cookie.clone(),
            tickets.clone(),
            i,
            101 + i as u64,
            targets.clone(),
        ));
        readers.push((cookie, tickets.clone(), targets, handle));
    }

    // Chaos: kill a node (alternately) every few seconds and bring it back; cut the
    // database's connections once, half way.
    let started = Instant::now();
    let mut kills = 0;
    let mut cut = false;
    let mut victim = 1;
    while started.elapsed() < Duration::from_secs(seconds) {
        tokio::time::sleep(Duration::from_millis(2_500)).await;
        nodes[victim].kill();
        kills += 1;
        tokio::time::sleep(Duration::from_millis(700)).await;
        nodes[victim].start(false).await;
        victim = 1 - victim;
        if !cut && started.elapsed() >= Duration::from_secs(seconds / 2) {
            cut_database(&database).await;
            cut = true;
        }
    }
    if !cut {
        cut_database(&database).await;
    }

    shared.stop_writing.store(true, Ordering::Relaxed);
    let mut acked = Vec::new();
    for writer in writers {
        acked.extend(
            tokio::time::timeout(Duration::from_secs(120), writer)
                .await
                .expect("writers finish")
                .expect("a writer"),
        );
    }

    // Every reader must reach its view's last seq, live or by resuming after a drop.
    let mut finals = Vec::new();
    for (cookie, tickets, targets, _) in &readers {
        let mut lasts = HashMap::new();
        for ticket in tickets {
            lasts.insert(*ticket, last_seq(first, cookie, *ticket).await);
        }
        *targets.lock().expect("targets") = Some(lasts.clone());
        finals.push(lasts);
    }
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    let mut total = Faults::default();
    let mut events_read = 0;
    for ((_, tickets, _, mut handle), lasts) in readers.into_iter().zip(finals) {
        let streams = match tokio::time::timeout_at(deadline, &mut handle).await {
            Ok(streams) => streams.expect("a reader"),
            Err(_) => {
                // What it has is checked: the missing tail counts as a gap.
                shared.stop_reading.store(true, Ordering::Relaxed);
                handle.await.expect("a reader")
            }
        };
        for ticket in tickets {
            let stream = &streams[&ticket];
            events_read += stream.len() as u64;
            let f = check(stream, &acked, ticket, lasts[&ticket]);
            total.gaps += f.gaps;
            total.duplicates += f.duplicates;
            total.lost += f.lost;
            total.doubled += f.doubled;
            total.unknown += f.unknown;
            total.out_of_order += f.out_of_order;
        }
    }

    let c = &shared.counts;
    let load = |a: &AtomicU64| a.load(Ordering::Relaxed);
    println!(
        "chaos: {seconds} s, 2 nodes, {} writers, 7 readers; node kills {kills}, database cut 1; \
         messages acknowledged {} (of which already stored on a retry {}), sends {} \
         (dropped before the answer {}), error events {}, sockets dropped {}, connections {} \
         (failed {}); events read {events_read}; faults {total:?}",
        10,
        load(&c.acked),
        load(&c.acked_as_duplicate),
        load(&c.sent),
        load(&c.dropped_before_ack),
        load(&c.error_events),
        load(&c.sockets_dropped),
        load(&c.reconnects),
        load(&c.connect_failures),
    );
    assert!(load(&c.acked) > 0, "messages were acknowledged");
    assert_eq!(
        total,
        Faults::default(),
        "every reader has every message once, in order"
    );
}
