//! Sockets at the edges: a reader that never reads is cut and resumes without loss, the
//! server going away says so (`1001`), and frames that are not WebSocket as it should be are
//! closed with their own codes (`1007`, `1002`) — on SQLite and PostgreSQL.

use crate::common;

use app::protocol::{EventKind, Seq, close_code, limits};
use common::people::{ANNA, OLGA};
use common::{Backend, DEADLINE, Options, TestDb, TestServer};
use futures_util::{SinkExt, StreamExt};
use tokio_tungstenite::tungstenite::{
    Message,
    protocol::frame::{
        Frame,
        coding::{Data, OpCode},
    },
};

on_both_backends! {
    a_reader_that_never_reads_is_cut_and_resumes_without_loss => never_reads;
    a_server_going_away_closes_every_socket_with_1001 => going_away;
    broken_frames_close_with_their_own_codes => broken_frames;
    quiet_and_half_open_connections_are_let_go_while_a_quiet_socket_lives_on => quiet_connections;
}

async fn never_reads(backend: Backend) {
    let db = std::sync::Arc::new(TestDb::new(backend).await);
    let server = TestServer::start_with(
        db,
        Options {
            // A queue far longer than what is sent: only the unsent bytes and the stalled
            // writes can tell that this reader does not read.
            socket_queue: 100_000,
            limits: common::flood_limits(),
            ..Options::default()
        },
    )
    .await;
    let anna = server.signed_in(ANNA).await;
    let olga = server.signed_in(OLGA).await;
    let care = anna.department("Customer care").await;
    let ticket = anna.start_ticket(care, "big", "start").await;
    let mut stalled = anna.stalled_socket().await;
    let opened = stalled.follow_ticket(ticket, None).await;
    let mut writer = olga.socket().await;
    writer.follow_ticket(ticket, None).await;

    // Far more than the network buffers hold, while it reads nothing; the writer is never
    // held back.
    let big = "x".repeat(limits::MAX_BODY_CHARS - 10);
    const SENT: usize = 200;
    for n in 0..SENT {
        writer
            .send_message(ticket, &common::new_msg_id(), &format!("{n} {big}"))
            .await
            .expect("stored");
    }

    // It is cut: reading what did arrive ends in the resync code, well before everything was
    // delivered.
    let mut last = opened.last().map_or(Seq(0), |e| e.seq);
    let mut got = 0;
    let closed = loop {
        match tokio::time::timeout(DEADLINE, stalled.next_or_close())
            .await
            .expect("the socket ends")
        {
            Ok(app::protocol::Event::TicketEvent { event }) => {
                assert!(event.seq > last, "in order");
                last = event.seq;
                if matches!(event.kind, EventKind::Message { .. }) {
                    got += 1;
                }
            }
            Ok(_) => {}
            Err(closed) => break closed,
        }
    };
    assert_eq!(closed.code, close_code::LAGGED, "{closed:?}");
    assert!(got < SENT, "it was cut before everything was sent ({got})");

    // Resuming from the last seq it has, it gets the rest, each once, in order.
    let mut again = anna.socket().await;
    let rest = again.follow_ticket(ticket, Some(last)).await;
    let resumed = rest
        .iter()
        .filter(|e| matches!(e.kind, EventKind::Message { .. }))
        .count();
    assert_eq!(got + resumed, SENT, "everything, once");
    server.stop().await;
}

async fn going_away(backend: Backend) {
    let server = TestServer::start(backend).await;
    let anna = server.signed_in(ANNA).await;
    let olga = server.signed_in(OLGA).await;
    let mut sockets = vec![anna.socket().await, olga.socket().await];
    server.stop().await;
    for socket in &mut sockets {
        assert_eq!(socket.closed().await.code, 1001);
    }
}

async fn broken_frames(backend: Backend) {
    let server = TestServer::start(backend).await;
    let anna = server.signed_in(ANNA).await;

    let mut socket = anna.socket().await;
    let not_utf8 = Frame::message(vec![0xff, 0xfe, b'{'], OpCode::Data(Data::Text), true);
    socket
        .ws
        .send(Message::Frame(not_utf8))
        .await
        .expect("sent");
    assert_eq!(socket.closed().await.code, 1007);

    let mut socket = anna.socket().await;
    let nothing_to_continue = Frame::message(b"x".to_vec(), OpCode::Data(Data::Continue), true);
    socket
        .ws
        .send(Message::Frame(nothing_to_continue))
        .await
        .expect("sent");
    assert_eq!(socket.closed().await.code, 1002);
    server.stop().await;
}

/// Reads until the server closes the connection; how long that took.
async fn closed_by_server(stream: &mut tokio::net::TcpStream) -> std::time::Duration {
    use tokio::io::AsyncReadExt;
    let started = std::time::Instant::now();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        match tokio::time::timeout(DEADLINE, stream.read(&mut buf))
            .await
            .expect("closed within the deadline")
        {
            Ok(0) | Err(_) => return started.elapsed(),
            Ok(_) => {}
        }
    }
}

async fn quiet_connections(backend: Backend) {
    use tokio::io::AsyncWriteExt;
    let db = std::sync::Arc::new(TestDb::new(backend).await);
    let server = TestServer::start_with(
        db,
        Options {
            heartbeat_secs: 1,
            idle_timeout_secs: 2,
            ..Options::default()
        },
    )
    .await;
    // The limit is four heartbeats here: 4 s.
    let quiet = std::time::Duration::from_secs(4);
    let connect = || tokio::net::TcpStream::connect(server.addr);

    // Nothing sent at all; stopped in the middle of a request's head; kept alive and left
    // idle after its answer — each closed by the server once quiet that long.
    let mut silent = connect().await.expect("connects");
    let mut halfway = connect().await.expect("connects");
    halfway
        .write_all(b"GET /health HTTP/1.1\r\nHost: x\r\n")
        .await
        .expect("written");
    let mut kept = connect().await.expect("connects");
    kept.write_all(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .expect("written");
    let (silent, halfway, kept) = tokio::join!(
        closed_by_server(&mut silent),
        closed_by_server(&mut halfway),
        closed_by_server(&mut kept)
    );
    for took in [silent, halfway, kept] {
        assert!(
            took >= quiet - std::time::Duration::from_millis(500),
            "{took:?}"
        );
    }

    // A socket whose reader is quiet lives on: the heartbeat speaks for it.
    let anna = server.signed_in(ANNA).await;
    let mut socket = anna.socket().await;
    // Reading (and so answering the server's pings) but saying nothing of its own, for twice
    // the quiet limit.
    let until = tokio::time::Instant::now() + quiet * 2;
    while let Ok(Some(frame)) = tokio::time::timeout_at(until, socket.ws.next()).await {
        assert!(frame.is_ok(), "the socket stays open: {frame:?}");
    }
    socket
        .send(&app::protocol::Command::Ping { nonce: 3 })
        .await;
    socket
        .until(|e| matches!(e, app::protocol::Event::Pong { nonce: 3 }).then_some(()))
        .await;
    server.stop().await;
}
