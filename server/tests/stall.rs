//! A database that stalls or vanishes, behind a TCP proxy in the test that can stop
//! forwarding (no reset: the peer just stops answering) or refuse connections: every caller
//! hears `503 unavailable` (or the socket's `unavailable` error) within a few seconds,
//! nothing is acknowledged that was not stored, and everything recovers by itself. PostgreSQL
//! only: SQLite has no link to cut.

use crate::common;

use std::{
    net::SocketAddr,
    sync::{
        Arc, Mutex,
        atomic::{AtomicU8, Ordering},
    },
    time::{Duration, Instant},
};

use app::protocol::{ErrorCode, Event};
use common::people::ANNA;
use common::{Backend, DEADLINE, Options, TestDb, TestServer};
use reqwest::StatusCode;
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpListener, TcpStream},
    task::JoinHandle,
};

/// What the proxy does with traffic.
const FORWARD: u8 = 0;
const STALL: u8 = 1;
const REFUSE: u8 = 2;

/// A TCP proxy to PostgreSQL whose link can be stalled or cut.
struct Proxy {
    addr: SocketAddr,
    mode: Arc<AtomicU8>,
    links: Arc<Mutex<Vec<JoinHandle<()>>>>,
    accept: JoinHandle<()>,
}

impl Proxy {
    async fn start(target: SocketAddr) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
        let addr = listener.local_addr().expect("its address");
        let mode = Arc::new(AtomicU8::new(FORWARD));
        let links: Arc<Mutex<Vec<JoinHandle<()>>>> = Arc::default();
        let accept = {
            let (mode, links) = (mode.clone(), links.clone());
            tokio::spawn(async move {
                loop {
                    let Ok((client, _)) = listener.accept().await else {
                        return;
                    };
                    if mode.load(Ordering::SeqCst) == REFUSE {
                        drop(client);
                        continue;
                    }
                    let mode = mode.clone();
                    let link = tokio::spawn(async move {
                        if let Ok(server) = TcpStream::connect(target).await {
                            pump(client, server, mode).await;
                        }
                    });
                    links.lock().expect("links").push(link);
                }
            })
        };
        Proxy {
            addr,
            mode,
            links,
            accept,
        }
    }

    /// Stops forwarding: bytes are held, nothing is closed.
    fn stall(&self) {
        self.mode.store(STALL, Ordering::SeqCst);
    }

    /// Cuts every link and refuses new ones (the database is gone).
    fn refuse(&self) {
        self.mode.store(REFUSE, Ordering::SeqCst);
        for link in self.links.lock().expect("links").drain(..) {
            link.abort();
        }
    }

    /// Forwards again; links stalled meanwhile are cut (whoever used them gave up).
    fn resume(&self) {
        for link in self.links.lock().expect("links").drain(..) {
            link.abort();
        }
        self.mode.store(FORWARD, Ordering::SeqCst);
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.accept.abort();
        self.refuse();
    }
}

/// Copies both ways while forwarding; holds everything while stalled.
async fn pump(client: TcpStream, server: TcpStream, mode: Arc<AtomicU8>) {
    let (client_read, client_write) = client.into_split();
    let (server_read, server_write) = server.into_split();
    tokio::select! {
        () = one_way(client_read, server_write, mode.clone()) => {}
        () = one_way(server_read, client_write, mode) => {}
    }
}

async fn one_way(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    mode: Arc<AtomicU8>,
) {
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        let Ok(n) = from.read(&mut buf).await else {
            return;
        };
        if n == 0 {
            return;
        }
        while mode.load(Ordering::SeqCst) == STALL {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        if to.write_all(&buf[..n]).await.is_err() {
            return;
        }
    }
}

/// How long a request may take here.
const BUDGET: Duration = Duration::from_secs(3);

/// Repeats `attempt` until it says yes, for at most the test deadline.
async fn eventually<F: std::future::Future<Output = bool>>(mut attempt: impl FnMut() -> F) {
    let until = Instant::now() + DEADLINE;
    while !attempt().await {
        assert!(Instant::now() < until, "did not recover in time");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stalled_or_vanished_database_answers_unavailable_quickly_and_recovers_by_itself() {
    let db = Arc::new(TestDb::new(Backend::Postgres).await);
    let target: SocketAddr = {
        let url = url::Url::parse(&db.url).expect("a URL");
        let host = url.host_str().expect("a host");
        let port = url.port().unwrap_or(5432);
        tokio::net::lookup_host((host, port))
            .await
            .expect("PostgreSQL's address")
            .next()
            .expect("an address")
    };
    let proxy = Proxy::start(target).await;
    let mut through = url::Url::parse(&db.url).expect("a URL");
    through.set_host(Some("127.0.0.1")).expect("a host");
    through.set_port(Some(proxy.addr.port())).expect("a port");
    let server = TestServer::start_with(
        db.clone(),
        Options {
            database_url: Some(through.to_string()),
            request_timeout_secs: BUDGET.as_secs(),
            ..Options::default()
        },
    )
    .await;
    let anna = server.signed_in(ANNA).await;
    let care = anna.department("Customer care").await;
    let ticket = anna.start_ticket(care, "stall", "before the stall").await;
    let mut socket = anna.socket().await;
    socket.follow_ticket(ticket, None).await;
    assert_eq!(
        anna.say(ticket, "acknowledged").await.status,
        StatusCode::CREATED
    );

    // The link stops forwarding: every caller hears 503 within its budget, none hangs.
    proxy.stall();
    let started = Instant::now();
    let stranger = server.client();
    let answers = async {
        tokio::join!(
            anna.say(ticket, "during the stall"),
            anna.get("/api/tickets"),
            anna.get("/health"),
            stranger.login_with(ANNA, server::service::demo::PASSWORD),
        )
    };
    let (said, listed, health, login) = tokio::time::timeout(DEADLINE, answers)
        .await
        .expect("every caller is answered, none hangs");
    for (what, reply) in [("message", &said), ("list", &listed), ("sign-in", &login)] {
        assert_eq!(
            (reply.status, reply.code()),
            (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
            "{what}: {}",
            reply.body
        );
    }
    assert_eq!(health.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(health.body["database"], false);
    assert!(
        started.elapsed() < BUDGET + Duration::from_secs(2),
        "answered in {:?}",
        started.elapsed()
    );
    let started = Instant::now();
    let sent = tokio::time::timeout(
        DEADLINE,
        socket.send_message(ticket, &common::new_msg_id(), "socket during the stall"),
    )
    .await
    .expect("the command is answered");
    assert!(
        matches!(
            sent,
            Err(Event::Error {
                code: ErrorCode::Unavailable,
                ..
            })
        ),
        "{sent:?}"
    );
    assert!(started.elapsed() < BUDGET + Duration::from_secs(2));

    // The link comes back: everything works again without a restart.
    proxy.resume();
    eventually(|| async { anna.get("/health").await.status == StatusCode::OK }).await;
    eventually(|| async {
        anna.say(ticket, "after the stall").await.status == StatusCode::CREATED
    })
    .await;

    // The database is gone (connections cut and refused): 503, never 500 — `/api/me` too.
    proxy.refuse();
    for path in ["/api/me", "/api/tickets", "/health"] {
        let reply = anna.get(path).await;
        assert_eq!(
            reply.status,
            StatusCode::SERVICE_UNAVAILABLE,
            "{path}: {}",
            reply.body
        );
    }
    proxy.resume();
    eventually(|| async { anna.get("/api/me").await.status == StatusCode::OK }).await;

    // Nothing acknowledged was lost; what was refused may or may not have been stored, and
    // is never stored twice.
    let detail = anna.detail(ticket).await;
    let bodies = common::message_bodies(&detail);
    for kept in ["before the stall", "acknowledged", "after the stall"] {
        assert_eq!(
            bodies.iter().filter(|b| **b == kept).count(),
            1,
            "{kept}: {bodies:?}"
        );
    }
    server.stop().await;
}
