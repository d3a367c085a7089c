//! Who sees nothing: other departments and other members; sessions across restarts and logouts; a dead database.

#[allow(unused_imports)]
use super::*;

pub(super) async fn other_department_sees_nothing(backend: Backend) {
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
    let reply = outsider.say(ticket, "hi").await;
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

pub(super) async fn other_member_sees_nothing(backend: Backend) {
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
            &MarkReadRequest { seq: Seq(1) },
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
        .post("/api/tickets", &common::new_ticket(care, "", "x"))
        .await;
    assert_eq!(
        (reply.status, reply.code()),
        (StatusCode::FORBIDDEN, "forbidden")
    );
}

pub(super) async fn sessions_persist_and_end(backend: Backend) {
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
    let wrong = client.login_with(MEMBER, "nope").await;
    assert_eq!(
        (wrong.status, wrong.code()),
        (StatusCode::UNAUTHORIZED, "unauthorized")
    );
    assert!(!wrong.body.to_string().contains("nope"));

    // The session id changes at login; the cookie is HttpOnly and SameSite=Lax.
    let res = client
        .http
        .post(format!("{}/api/login", client.base))
        .json(&LoginRequest {
            email: MEMBER.into(),
            password: server::service::demo::PASSWORD.into(),
        })
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

pub(super) async fn dead_database(backend: Backend) {
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
