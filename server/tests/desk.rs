//! The desk through its real transports: a member and staff talking over HTTP and WebSocket
//! to a server on an ephemeral port, on SQLite and on PostgreSQL.

mod common;

use server::service::demo::people;

use std::{collections::HashSet, sync::Arc};

use app::protocol::{
    Command, ErrorCode, Event, EventKind, Seq, TicketDetail, TicketSummary, Topic, close_code,
    limits,
};
use common::{Backend, Options, TestDb, TestServer, new_msg_id};
use reqwest::StatusCode;

const MEMBER: &str = people::ANNA;
const OTHER_MEMBER: &str = people::BORIS;
/// Works "Customer care" only.
const CARE_OPERATOR: &str = people::IVAN;
/// Works "Billing" only.
const BILLING_OPERATOR: &str = people::MARIA;
const MODERATOR: &str = people::MIKE;

fn message_body(event: &app::protocol::TicketEvent) -> Option<&str> {
    match &event.kind {
        EventKind::Message { body, .. } | EventKind::Note { body, .. } => Some(body),
        _ => None,
    }
}

on_both_backends! {
    a_member_message_reaches_the_board_live_and_the_reply_comes_back_live => member_and_operator_chat_live;
    a_reconnect_replays_what_was_missed_without_gap_or_duplicate => reconnect_replays_exactly;
    a_resent_message_is_stored_once => resend_is_idempotent;
    concurrent_writers_give_every_reader_one_gapless_order => concurrent_writers_are_ordered;
    an_operator_of_another_department_sees_nothing_of_a_ticket => other_department_sees_nothing;
    a_member_never_sees_another_members_ticket => other_member_sees_nothing;
    sessions_survive_a_restart_and_logout_ends_the_socket => sessions_persist_and_end;
    a_slow_reader_is_dropped_and_resumes_without_loss => slow_reader_resumes;
    a_dead_database_gets_clear_errors_and_loses_nothing => dead_database;
    signing_in_answers_with_the_desks_file_limits => sign_in_tells_file_limits;
    staff_see_since_when_a_ticket_is_held_and_members_nothing_of_it => lock_time_for_staff_only;
}

async fn sign_in_tells_file_limits(backend: Backend) {
    let server = TestServer::start(backend).await;
    let me = server.client().login(MEMBER).await;
    let settings = &server.state.settings;
    assert_eq!(
        (
            me.file_limits.max_file_bytes,
            me.file_limits.max_message_bytes
        ),
        (settings.max_file_bytes, settings.max_message_bytes),
        "the answer to signing in carries the limits the server applies"
    );
    assert!(me.file_limits.max_file_bytes > 0);
}

async fn lock_time_for_staff_only(backend: Backend) {
    let server = TestServer::start(backend).await;
    let member = server.signed_in(MEMBER).await;
    let operator = server.signed_in(CARE_OPERATOR).await;
    let moderator = server.signed_in(MODERATOR).await;
    let care = member.department("Customer care").await;
    let ticket = member.start_ticket(care, "Held", "who has it?").await;
    let row = |list: Vec<TicketSummary>| {
        list.into_iter()
            .find(|t| t.id == ticket)
            .expect("the ticket is listed")
    };

    let mut board = moderator.socket().await;
    assert_eq!(row(board.follow_list(Topic::Board).await).taken_at, None);
    let before = server::clock::now();
    let took = operator
        .post(
            &format!("/api/tickets/{ticket}/take"),
            serde_json::json!({}),
        )
        .await;
    assert_eq!(took.status, StatusCode::OK, "{}", took.body);
    let (held, _) = board
        .until(|e| match e {
            Event::TicketChanged { ticket: t } if t.id == ticket && t.assignee.is_some() => {
                Some(t.clone())
            }
            _ => None,
        })
        .await;
    let since = held
        .taken_at
        .expect("the moderator's board says since when");
    assert!(since >= before && since <= server::clock::now(), "{since}");

    let inbox: Vec<TicketSummary> = member.get("/api/tickets").await.json();
    assert_eq!(
        row(inbox).taken_at,
        None,
        "the member is told nothing of the lock"
    );

    let released = operator
        .post(
            &format!("/api/tickets/{ticket}/release"),
            serde_json::json!({}),
        )
        .await;
    assert_eq!(released.status, StatusCode::OK, "{}", released.body);
    let list: Vec<TicketSummary> = moderator.get("/api/tickets").await.json();
    assert_eq!(
        row(list).taken_at,
        None,
        "a released ticket is held by nobody"
    );
}

async fn member_and_operator_chat_live(backend: Backend) {
    let server = TestServer::start(backend).await;
    let member = server.signed_in(MEMBER).await;
    let operator = server.signed_in(CARE_OPERATOR).await;
    let care = member.department("Customer care").await;

    let mut board = operator.socket().await;
    let before = board.follow_list(Topic::Board).await;
    assert!(
        before.iter().all(|t| t.department.id == care),
        "the board shows only the operator's departments"
    );
    assert!(
        before
            .windows(2)
            .all(|w| w[0].created_at <= w[1].created_at),
        "oldest first"
    );

    let mut widget = member.socket().await;
    let inbox = widget.follow_list(Topic::Inbox).await;
    assert!(
        inbox.iter().all(|t| t.member.name == "Anna Ivanova"),
        "the inbox holds only her tickets"
    );

    // The member starts a conversation over the socket.
    let command_id = widget.command_id();
    widget
        .send(&Command::StartTicket {
            command_id,
            client_msg_id: new_msg_id(),
            department_id: care,
            subject: "Lost card".into(),
            body: "My card is lost".into(),
            attachments: Vec::new(),
        })
        .await;
    let (ticket_id, _) = widget
        .until(|e| match e {
            Event::Ack {
                command_id: c,
                ticket_id,
                duplicate: false,
                ..
            } if *c == command_id => Some(*ticket_id),
            _ => None,
        })
        .await;

    // The board learns of it live.
    let (summary, _) = board
        .until(|e| match e {
            Event::TicketChanged { ticket } if ticket.id == ticket_id => Some(ticket.clone()),
            _ => None,
        })
        .await;
    assert_eq!(summary.subject, "Lost card");
    assert_eq!(summary.preview.as_deref(), Some("My card is lost"));

    // The operator opens it and sees the whole history.
    let history = board.follow_ticket(ticket_id, None).await;
    assert_eq!(
        history.iter().map(|e| e.seq.0).collect::<Vec<_>>(),
        vec![1, 2]
    );
    assert_eq!(message_body(&history[1]), Some("My card is lost"));

    // The member follows the conversation; the operator replies; it arrives live.
    let mine = widget.follow_ticket(ticket_id, None).await;
    assert_eq!(mine.len(), 2);
    let (seq, duplicate) = board
        .send_message(
            ticket_id,
            &new_msg_id(),
            "Blocked. A new card is on its way.",
        )
        .await
        .expect("the reply is stored");
    // Replying took the ticket (a staff-only event), so staff count 4 where the member counts 3.
    assert_eq!((seq, duplicate), (Seq(4), false));
    let (event, _) = widget
        .until(|e| match e {
            Event::TicketEvent { event } if event.ticket_id == ticket_id => Some(event.clone()),
            _ => None,
        })
        .await;
    assert_eq!(event.seq, Seq(3), "the member's numbering has no hole");
    assert_eq!(
        message_body(&event),
        Some("Blocked. A new card is on its way.")
    );
    assert_eq!(
        event.author.as_ref().map(|a| a.name.as_str()),
        Some("Ivan Sokolov")
    );

    // Her inbox shows one unread message; reading it clears the badge, live.
    let (unread, _) = widget
        .until(|e| match e {
            Event::TicketChanged { ticket } if ticket.id == ticket_id && ticket.unread > 0 => {
                Some(ticket.unread)
            }
            _ => None,
        })
        .await;
    assert_eq!(unread, 1);
    widget
        .send(&Command::MarkRead {
            ticket_id,
            seq: Seq(3),
        })
        .await;
    widget
        .until(|e| matches!(e, Event::TicketChanged { ticket } if ticket.id == ticket_id && ticket.unread == 0).then_some(()))
        .await;

    // The same history over HTTP, for both of them.
    let detail: TicketDetail = member
        .get(&format!("/api/tickets/{ticket_id}"))
        .await
        .json();
    assert_eq!(detail.events.len(), 3);
    assert_eq!(detail.ticket.unread, 0);
    let list: Vec<TicketSummary> = operator.get("/api/tickets").await.json();
    assert!(list.iter().any(|t| t.id == ticket_id));
}

async fn reconnect_replays_exactly(backend: Backend) {
    let server = TestServer::start(backend).await;
    let member = server.signed_in(MEMBER).await;
    let operator = server.signed_in(CARE_OPERATOR).await;
    let care = member.department("Customer care").await;
    let ticket = member.start_ticket(care, "Replay", "first").await;

    let mut widget = member.socket().await;
    let seen = widget.follow_ticket(ticket, None).await;
    let last = seen.last().expect("events").seq;
    drop(widget); // the network goes away

    // While she is gone, both sides write.
    let mut staff = operator.socket().await;
    staff.follow_ticket(ticket, None).await;
    for n in 0..5 {
        staff
            .send_message(ticket, &new_msg_id(), &format!("reply {n}"))
            .await
            .expect("stored");
    }
    let reply = member.say(ticket, "over http").await;
    assert_eq!(reply.status, StatusCode::CREATED);

    // She comes back and resumes from the last seq she saw.
    let mut widget = member.socket().await;
    let missed = widget.follow_ticket(ticket, Some(last)).await;
    let seqs: Vec<i64> = missed.iter().map(|e| e.seq.0).collect();
    let expected: Vec<i64> = (last.0 + 1..=last.0 + 6).collect();
    assert_eq!(seqs, expected, "exactly the missed events, in order");
    assert_eq!(message_body(&missed[5]), Some("over http"));

    // And then live, continuing the same numbering.
    staff
        .send_message(ticket, &new_msg_id(), "live again")
        .await
        .expect("stored");
    let (event, _) = widget
        .until(|e| match e {
            Event::TicketEvent { event } => Some(event.clone()),
            _ => None,
        })
        .await;
    assert_eq!(event.seq.0, last.0 + 7);
    assert!(
        widget
            .drain()
            .await
            .iter()
            .all(|e| !matches!(e, Event::TicketEvent { .. })),
        "no duplicate follows"
    );

    // HTTP reads resume the same way.
    let detail: TicketDetail = member
        .get(&format!("/api/tickets/{ticket}?since={}", last.0 + 5))
        .await
        .json();
    assert_eq!(
        detail.events.iter().map(|e| e.seq.0).collect::<Vec<_>>(),
        vec![last.0 + 6, last.0 + 7]
    );
}

async fn resend_is_idempotent(backend: Backend) {
    let server = TestServer::start(backend).await;
    let member = server.signed_in(MEMBER).await;
    let care = member.department("Customer care").await;
    let ticket = member.start_ticket(care, "Twice", "hello").await;
    let mut widget = member.socket().await;
    widget.follow_ticket(ticket, None).await;

    let id = new_msg_id();
    let first = widget
        .send_message(ticket, &id, "only once")
        .await
        .expect("stored");
    let second = widget
        .send_message(ticket, &id, "only once")
        .await
        .expect("acknowledged");
    assert_eq!(first, (Seq(3), false));
    assert_eq!(
        second,
        (Seq(3), true),
        "the second ack says it was a duplicate"
    );

    // The same id over HTTP is the same message too.
    let reply = member
        .message(
            ticket,
            serde_json::json!({"client_msg_id": id.as_str(), "body": "only once"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body["duplicate"], true);
    assert_eq!(reply.body["seq"], 3);

    // A retried new conversation is one ticket.
    let start = serde_json::json!({"client_msg_id": "start-once", "department_id": care, "subject": "s", "body": "b"});
    let a = member.post("/api/tickets", start.clone()).await;
    let b = member.post("/api/tickets", start).await;
    assert_eq!((a.status, b.status), (StatusCode::CREATED, StatusCode::OK));
    assert_eq!(a.body["ticket_id"], b.body["ticket_id"]);

    // Concurrent retries of one id: one message.
    let racing = new_msg_id();
    let sends = (0..8).map(|_| {
        let member = member.clone();
        let body = serde_json::json!({"client_msg_id": racing.as_str(), "body": "raced"});
        async move { member.message(ticket, body).await }
    });
    let replies = futures_util::future::join_all(sends).await;
    assert_eq!(
        replies
            .iter()
            .filter(|r| r.status == StatusCode::CREATED)
            .count(),
        1,
        "one stored"
    );
    assert!(
        replies
            .iter()
            .all(|r| r.body["seq"] == replies[0].body["seq"]),
        "all point at it"
    );

    let detail: TicketDetail = member.get(&format!("/api/tickets/{ticket}")).await.json();
    let bodies: Vec<&str> = detail.events.iter().filter_map(message_body).collect();
    assert_eq!(bodies, vec!["hello", "only once", "raced"]);
}

async fn concurrent_writers_are_ordered(backend: Backend) {
    let server = TestServer::start(backend).await;
    let member = server.signed_in(MEMBER).await;
    let operator = server.signed_in(people::OLGA).await;
    let care = member.department("Customer care").await;
    let ticket = member.start_ticket(care, "Busy", "start").await;

    let mut readers = Vec::new();
    for client in [&member, &operator] {
        let mut socket = client.socket().await;
        socket.follow_ticket(ticket, None).await;
        readers.push(socket);
    }
    const EACH: usize = 20;
    let writers = [
        member.clone(),
        operator.clone(),
        member.clone(),
        operator.clone(),
    ];
    let tasks = writers.into_iter().enumerate().map(|(w, client)| {
        tokio::spawn(async move {
            for n in 0..EACH {
                let body = serde_json::json!({"client_msg_id": new_msg_id().as_str(), "body": format!("w{w}-{n}")});
                let reply = client.message(ticket, body).await;
                assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
            }
        })
    });
    for task in futures_util::future::join_all(tasks).await {
        task.expect("a writer finished");
    }
    // The member counts the messages; staff also count the operator's taking of the ticket.
    for (reader, total) in readers
        .iter_mut()
        .zip([2 + 4 * EACH as i64, 3 + 4 * EACH as i64])
    {
        let mut seqs = vec![1, 2];
        let mut bodies = HashSet::new();
        while seqs.len() < total as usize {
            if let Event::TicketEvent { event } = reader.next().await {
                seqs.push(event.seq.0);
                if let Some(body) = message_body(&event) {
                    assert!(bodies.insert(body.to_owned()), "no duplicate");
                }
            }
        }
        assert_eq!(
            seqs,
            (1..=total).collect::<Vec<_>>(),
            "every event once, in order"
        );
    }
}

async fn other_department_sees_nothing(backend: Backend) {
    let server = TestServer::start(backend).await;
    let member = server.signed_in(MEMBER).await;
    let outsider = server.signed_in(BILLING_OPERATOR).await;
    let moderator = server.signed_in(MODERATOR).await;
    let care = member.department("Customer care").await;

    let mut outsider_board = outsider.socket().await;
    outsider_board.follow_list(Topic::Board).await;
    let mut moderator_board = moderator.socket().await;
    moderator_board.follow_list(Topic::Board).await;

    let ticket = member
        .start_ticket(care, "Care only", "secret to care")
        .await;

    // HTTP: not found, exactly as for a ticket that does not exist.
    for path in [
        format!("/api/tickets/{ticket}"),
        "/api/tickets/999999".into(),
    ] {
        let reply = outsider.get(&path).await;
        assert_eq!(
            (reply.status, reply.code()),
            (StatusCode::NOT_FOUND, "not_found"),
            "{path}"
        );
    }
    let reply = outsider
        .message(
            ticket,
            serde_json::json!({"client_msg_id": "x1", "body": "hi"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    let list: Vec<TicketSummary> = outsider.get("/api/tickets").await.json();
    assert!(list.iter().all(|t| t.id != ticket));

    // WebSocket: subscribing and writing are refused the same way; no event ever arrives.
    outsider_board
        .send(&Command::Subscribe {
            topic: Topic::Ticket { id: ticket },
            since: None,
            filter: None,
        })
        .await;
    let code = outsider_board.next_error().await;
    assert_eq!(code, ErrorCode::NotFound);
    let refused = outsider_board
        .send_message(ticket, &new_msg_id(), "let me in")
        .await;
    assert!(matches!(
        refused,
        Err(Event::Error {
            code: ErrorCode::NotFound,
            ..
        })
    ));
    member.say(ticket, "more").await;
    // The moderator sees it live; by then the outsider would have too.
    moderator_board
        .until(|e| matches!(e, Event::TicketChanged { ticket: t } if t.id == ticket && t.preview.as_deref() == Some("more")).then_some(()))
        .await;
    let seen = outsider_board.drain().await;
    assert!(
        seen.iter()
            .all(|e| !matches!(e, Event::TicketChanged { .. } | Event::TicketEvent { .. })),
        "the outsider received {seen:?}"
    );
}

async fn other_member_sees_nothing(backend: Backend) {
    let server = TestServer::start(backend).await;
    let anna = server.signed_in(MEMBER).await;
    let boris = server.signed_in(OTHER_MEMBER).await;
    let care = anna.department("Customer care").await;
    let mut boris_inbox = boris.socket().await;
    let boris_tickets = boris_inbox.follow_list(Topic::Inbox).await;
    assert!(
        boris_tickets
            .iter()
            .all(|t| t.member.name == "Boris Kuznetsov")
    );

    let ticket = anna.start_ticket(care, "Mine", "private").await;
    let reply = boris.get(&format!("/api/tickets/{ticket}")).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    let reply = boris
        .post(
            &format!("/api/tickets/{ticket}/read"),
            serde_json::json!({"seq": 1}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    let list: Vec<TicketSummary> = boris.get("/api/tickets").await.json();
    assert!(list.iter().all(|t| t.id != ticket));

    boris_inbox
        .send(&Command::Subscribe {
            topic: Topic::Ticket { id: ticket },
            since: None,
            filter: None,
        })
        .await;
    let code = boris_inbox.next_error().await;
    assert_eq!(code, ErrorCode::NotFound);
    // Members cannot follow the board, and staff cannot open conversations.
    boris_inbox
        .send(&Command::Subscribe {
            topic: Topic::Board,
            since: None,
            filter: None,
        })
        .await;
    let code = boris_inbox.next_error().await;
    assert_eq!(code, ErrorCode::Forbidden);
    anna.say(ticket, "still private").await;
    let seen = boris_inbox.drain().await;
    assert!(
        seen.iter()
            .all(|e| !matches!(e, Event::TicketChanged { .. } | Event::TicketEvent { .. })),
        "{seen:?}"
    );

    let staff = server.signed_in(CARE_OPERATOR).await;
    let reply = staff
        .post("/api/tickets", serde_json::json!({"client_msg_id": "staff-1", "department_id": care, "subject": "", "body": "x"}))
        .await;
    assert_eq!(
        (reply.status, reply.code()),
        (StatusCode::FORBIDDEN, "forbidden")
    );
}

async fn sessions_persist_and_end(backend: Backend) {
    let db = Arc::new(TestDb::new(backend).await);
    let server = TestServer::start_with(
        db.clone(),
        Options {
            heartbeat_secs: 1,
            ..Options::default()
        },
    )
    .await;
    let client = server.client();
    // No session, no access.
    assert_eq!(client.get("/api/me").await.status, StatusCode::UNAUTHORIZED);
    let wrong = client
        .post(
            "/api/login",
            serde_json::json!({"email": MEMBER, "password": "nope"}),
        )
        .await;
    assert_eq!(
        (wrong.status, wrong.code()),
        (StatusCode::UNAUTHORIZED, "unauthorized")
    );
    assert!(!wrong.body.to_string().contains("nope"));

    // The session id changes at login; the cookie is HttpOnly and SameSite=Lax.
    let res = client
        .http
        .post(format!("{}/api/login", client.base))
        .json(&serde_json::json!({"email": MEMBER, "password": server::service::demo::PASSWORD}))
        .send()
        .await
        .expect("answered");
    let set_cookie = res.headers()["set-cookie"]
        .to_str()
        .expect("text")
        .to_owned();
    assert!(set_cookie.contains("HttpOnly"), "{set_cookie}");
    assert!(set_cookie.contains("SameSite=Lax"), "{set_cookie}");
    let first = client.cookie();
    client.login(MEMBER).await;
    assert_ne!(first, client.cookie(), "a new session id at each login");

    // A restart signs nobody out.
    server.stop().await;
    let server = TestServer::start_with(
        db.clone(),
        Options {
            heartbeat_secs: 1,
            demo: false,
            ..Options::default()
        },
    )
    .await;
    let client = client.to_server(&server);
    let me = client.get("/api/me").await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.body);
    assert_eq!(me.body["email"], MEMBER);

    // Logging out elsewhere ends the socket with the documented code.
    let mut socket = client
        .socket_with(client.cookie(), Some(&server.base))
        .await
        .expect("opens");
    let reply = client
        .http
        .post(format!("{}/api/logout", server.base))
        .send()
        .await
        .expect("answered");
    assert_eq!(reply.status(), StatusCode::NO_CONTENT);
    assert_eq!(socket.closed().await.code, close_code::SESSION_ENDED);
    assert_eq!(client.get("/api/me").await.status, StatusCode::UNAUTHORIZED);
}

async fn slow_reader_resumes(backend: Backend) {
    let db = Arc::new(TestDb::new(backend).await);
    let server = TestServer::start_with(
        db,
        Options {
            socket_queue: 4,
            ..Options::default()
        },
    )
    .await;
    let member = server.signed_in(MEMBER).await;
    let operator = server.signed_in(CARE_OPERATOR).await;
    let care = member.department("Customer care").await;
    let ticket = member.start_ticket(care, "Flood", "start").await;

    let mut slow = member.stalled_socket().await;
    slow.follow_ticket(ticket, None).await;
    let mut fast = operator.socket().await;
    fast.follow_ticket(ticket, None).await;
    // The slow reader reads nothing while far more is published than the network buffers
    // hold; the writer is never held back.
    let big = "x".repeat(limits::MAX_BODY_CHARS - 10);
    const SENT: i64 = 300;
    for n in 0..SENT {
        fast.send_message(ticket, &new_msg_id(), &format!("{n} {big}"))
            .await
            .expect("stored");
    }
    // Then it reads: what it gets is in order, and it is told to resume.
    let mut last = Seq(2);
    let closed = loop {
        match slow.next_or_close().await {
            Ok(Event::TicketEvent { event }) => {
                assert_eq!(event.seq.0, last.0 + 1, "in order until dropped");
                last = event.seq;
            }
            Ok(_) => {}
            Err(closed) => break closed,
        }
    };
    assert_eq!(closed.code, close_code::LAGGED);
    let mut again = member.socket().await;
    let rest = again.follow_ticket(ticket, Some(last)).await;
    let seqs: Vec<i64> = rest.iter().map(|e| e.seq.0).collect();
    assert_eq!(
        seqs,
        (last.0 + 1..=SENT + 2).collect::<Vec<_>>(),
        "the rest, once each"
    );
}

async fn dead_database(backend: Backend) {
    let server = TestServer::start(backend).await;
    let member = server.signed_in(MEMBER).await;
    let care = member.department("Customer care").await;
    let ticket = member.start_ticket(care, "Before", "kept").await;
    let mut socket = member.socket().await;
    socket.follow_ticket(ticket, None).await;
    assert_eq!(member.get("/health").await.status, StatusCode::OK);

    // The database goes away under the running server.
    match backend {
        Backend::Postgres => server.db.kill().await,
        Backend::Sqlite => server.state.desk.close().await,
    }
    let health = member.get("/health").await;
    assert_eq!(health.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(health.body["database"], false);

    let reply = member.say(ticket, "lost?").await;
    assert!(reply.status.is_server_error(), "{}", reply.status);
    assert!(
        ["unavailable", "internal"].contains(&reply.code()),
        "{}",
        reply.body
    );
    let text = reply.body.to_string();
    assert!(
        !text.contains("postgres://") && !text.contains("sqlite://"),
        "no connection details: {text}"
    );

    // The socket gets an error event for the failed command and stays open.
    let failed = socket
        .send_message(ticket, &new_msg_id(), "also lost?")
        .await;
    match failed {
        Err(Event::Error { code, .. }) => assert!(matches!(
            code,
            ErrorCode::Unavailable | ErrorCode::Internal | ErrorCode::NotFound
        )),
        other => panic!("expected an error event, got {other:?}"),
    }
    socket.send(&Command::Ping { nonce: 7 }).await;
    socket
        .until(|e| matches!(e, Event::Pong { nonce: 7 }).then_some(()))
        .await;
}

#[tokio::test]
async fn openapi_documents_every_route() {
    let server = TestServer::start(Backend::Sqlite).await;
    let doc = server.client().get("/api/openapi.json").await;
    assert_eq!(doc.status, StatusCode::OK);
    for path in [
        "/health",
        "/api/login",
        "/api/logout",
        "/api/me",
        "/api/departments",
        "/api/tickets",
        "/api/tickets/{id}",
        "/api/tickets/{id}/messages",
        "/api/tickets/{id}/read",
    ] {
        assert!(doc.body["paths"][path].is_object(), "{path} is documented");
    }
    assert!(doc.body["components"]["schemas"]["Command"].is_object());
    assert!(doc.body["components"]["schemas"]["Event"].is_object());
}

#[tokio::test]
async fn pages_send_people_to_their_desk() {
    let server = TestServer::start(Backend::Sqlite).await;
    let no_redirects = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let location = |res: &reqwest::Response| {
        res.headers()
            .get("location")
            .map(|v| v.to_str().unwrap_or("").to_owned())
    };
    let res = no_redirects
        .get(format!("{}/board", server.base))
        .send()
        .await
        .expect("answered");
    assert_eq!(
        (res.status(), location(&res).as_deref()),
        (StatusCode::SEE_OTHER, Some("/login"))
    );
    let res = no_redirects
        .get(format!("{}/login", server.base))
        .send()
        .await
        .expect("answered");
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.expect("html");
    assert!(html.contains("<form") && html.contains("name=\"password\""));

    // The login form signs in and lands the member on her account page.
    let res = no_redirects
        .post(format!("{}/login", server.base))
        .header("origin", &server.base)
        .form(&[
            ("email", MEMBER),
            ("password", server::service::demo::PASSWORD),
        ])
        .send()
        .await
        .expect("answered");
    assert_eq!(
        (res.status(), location(&res).as_deref()),
        (StatusCode::SEE_OTHER, Some("/account"))
    );
    let res = no_redirects
        .post(format!("{}/login", server.base))
        .form(&[("email", MEMBER), ("password", "wrong")])
        .send()
        .await
        .expect("answered");
    assert_eq!(location(&res).as_deref(), Some("/login?error=credentials"));

    // Another site's page cannot post the form.
    let res = no_redirects
        .post(format!("{}/login", server.base))
        .header("origin", "http://evil.example")
        .form(&[
            ("email", MEMBER),
            ("password", server::service::demo::PASSWORD),
        ])
        .send()
        .await
        .expect("answered");
    assert_eq!(res.status(), StatusCode::FORBIDDEN);

    let unknown = server.client().get("/api/nothing-here").await;
    assert_eq!(
        (unknown.status, unknown.code()),
        (StatusCode::NOT_FOUND, "not_found")
    );
}
