//! Trust under abuse: sessions that end everywhere at once (signing out, a changed or reset
//! password), sign-in guessing slowed by account and address, a bounded password pool,
//! command floods limited, and cookie writes that must say where they come from — over HTTP
//! and the socket, on SQLite and PostgreSQL.

use crate::common;

use std::time::Duration;

use app::protocol::{
    AdminAction, Command, ErrorCode, Event, Me, PasswordRequest, UserId, close_code,
};
use common::people::{ADA, ANNA, OLGA};
use common::{Backend, Client, Options, TestDb, TestServer};
use reqwest::{Method, StatusCode};
use server::service::demo::PASSWORD;

on_both_backends! {
    signing_out_closes_every_socket_of_that_session_at_once => sign_out;
    a_changed_password_ends_every_other_session_and_a_reset_ends_them_all => passwords;
    wrong_passwords_make_the_next_attempt_wait_and_the_right_one_gets_in_after => guessing;
    a_burst_of_sign_ins_beyond_the_password_pool_is_told_to_come_back => busy_pool;
    command_floods_are_refused_with_the_wait_and_the_socket_stays_open => floods;
    cookie_writes_must_come_from_the_desks_own_pages => origin;
    control_and_invisible_characters_are_kept_out_the_same_way_on_both_databases => hostile_text;
    staff_work_the_member_may_not_see_moves_nothing_she_sees => unseen_work;
    a_disabled_account_is_signed_out_everywhere_and_cannot_sign_in => disabled_account;
}

/// A sign-in request of `email` with `password`, headers to be added.
fn login_request(
    http: &reqwest::Client,
    base: &str,
    email: &str,
    password: &str,
) -> reqwest::RequestBuilder {
    http.post(format!("{base}/api/login"))
        .json(&app::protocol::LoginRequest {
            email: email.into(),
            password: password.into(),
        })
}

/// A server whose heartbeat is slow, so a socket closing fast is not the heartbeat's doing.
async fn slow_heartbeat(backend: Backend, options: Options) -> TestServer {
    let db = std::sync::Arc::new(TestDb::new(backend).await);
    TestServer::start_with(
        db,
        Options {
            heartbeat_secs: 30,
            ..options
        },
    )
    .await
}

/// Reads a socket up to its close, which must come well before any heartbeat would.
async fn closes_at_once(socket: &mut common::Socket) -> u16 {
    tokio::time::timeout(Duration::from_secs(5), socket.closed())
        .await
        .expect("closed at once, not at a heartbeat")
        .code
}

/// A socket's answer to a ping: it is open and reading.
async fn answers(socket: &mut common::Socket) {
    socket.send(&Command::Ping { nonce: 7 }).await;
    socket
        .until(|e| matches!(e, Event::Pong { nonce: 7 }).then_some(()))
        .await;
}

async fn sign_out(backend: Backend) {
    let server = slow_heartbeat(backend, Options::default()).await;
    let phone = server.signed_in(ANNA).await;
    let laptop = server.signed_in(ANNA).await;
    let care = phone.department("Customer care").await;
    let ticket = phone.start_ticket(care, "parcel", "Where is it?").await;
    let mut first = phone.socket().await;
    let mut second = phone.socket().await;
    let mut other_session = laptop.socket().await;
    first.follow_ticket(ticket, None).await;

    // HTTP sign-out: both sockets of that session close at once with the documented code,
    // on both transports nothing more is accepted from it; the other session stays.
    let out = phone.act("/api/logout").await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    assert_eq!(closes_at_once(&mut first).await, close_code::SESSION_ENDED);
    assert_eq!(closes_at_once(&mut second).await, close_code::SESSION_ENDED);
    assert_eq!(phone.get("/api/me").await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        phone.say(ticket, "after signing out").await.status,
        StatusCode::UNAUTHORIZED
    );
    let refused = phone
        .socket_with(phone.cookie(), Some(&server.base))
        .await
        .err()
        .expect("no new socket");
    assert_eq!(refused.0, StatusCode::UNAUTHORIZED);
    answers(&mut other_session).await;
    let stored: app::protocol::TicketDetail =
        laptop.get(&format!("/api/tickets/{ticket}")).await.json();
    assert!(
        stored.events.iter().all(|e| !matches!(
            &e.kind,
            app::protocol::EventKind::Message { body, .. } if body == "after signing out"
        )),
        "nothing was stored after the sign-out"
    );

    // The sign-out form does the same.
    let mut socket = laptop.socket().await;
    let res = laptop
        .http
        .post(format!("{}/logout", server.base))
        .form(&[("x", "")])
        .send()
        .await
        .expect("answered");
    assert!(res.status().is_success() || res.status().is_redirection());
    assert_eq!(closes_at_once(&mut socket).await, close_code::SESSION_ENDED);
    assert_eq!(
        closes_at_once(&mut other_session).await,
        close_code::SESSION_ENDED
    );
    server.stop().await;
}

async fn change_password(client: &Client, current: &str, new: &str) -> common::Reply {
    let change = PasswordRequest {
        current_password: current.into(),
        new_password: new.into(),
    };
    client.send(Method::PUT, "/api/me/password", &change).await
}

async fn passwords(backend: Backend) {
    let server = slow_heartbeat(backend, Options::default()).await;
    let here = server.signed_in(OLGA).await;
    let elsewhere = server.signed_in(OLGA).await;
    let mut this_screen = here.socket().await;
    let mut other_screen = elsewhere.socket().await;

    // Refused: a wrong current password, a weak new one — each naming its field.
    for (current, new, field) in [
        ("not it", "a brand new secret", "current_password"),
        (PASSWORD, "password123", "password"),
        (PASSWORD, "olga@desk.example", "password"),
        (PASSWORD, "short", "password"),
    ] {
        let reply = change_password(&here, current, new).await;
        reply.assert_invalid(field);
    }
    answers(&mut other_screen).await;

    // Changed: every other session ends at once, with its sockets; this one stays.
    let reply = change_password(&here, PASSWORD, "a brand new secret").await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT, "{}", reply.body);
    assert_eq!(
        closes_at_once(&mut other_screen).await,
        close_code::SESSION_ENDED
    );
    assert_eq!(
        elsewhere.get("/api/me").await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(here.get("/api/me").await.status, StatusCode::OK);
    answers(&mut this_screen).await;
    let fresh = server.client();
    assert_eq!(
        fresh.login_with(OLGA, PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        fresh.login_with(OLGA, "a brand new secret").await.status,
        StatusCode::OK
    );

    // An administrator resets it: all of her sessions end, over HTTP and the socket alike.
    let ada = server.signed_in(ADA).await;
    let olga_id = fresh.get("/api/me").await.json::<Me>().id;
    let reset = |password: &str| AdminAction::ResetPassword {
        id: olga_id,
        password: password.into(),
    };
    let reply = ada.post("/api/admin", &reset("another good one")).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(
        closes_at_once(&mut this_screen).await,
        close_code::SESSION_ENDED
    );
    for client in [&here, &fresh] {
        assert_eq!(client.get("/api/me").await.status, StatusCode::UNAUTHORIZED);
    }
    let olga = server.client();
    assert_eq!(
        olga.login_with(OLGA, "another good one").await.status,
        StatusCode::OK
    );
    let mut screen = olga.socket().await;
    let mut adas = ada.socket().await;
    let reset_by_socket = adas
        .answered(
            |command_id| Command::Admin {
                command_id,
                action: Some(reset("a third good one")),
            },
            |id, e| {
                matches!(e, Event::AdminState { command_id, .. } if *command_id == id).then_some(())
            },
        )
        .await;
    assert_eq!(reset_by_socket, Ok(()));
    assert_eq!(closes_at_once(&mut screen).await, close_code::SESSION_ENDED);

    // Nobody else may reset a password, and an administrator changes her own with the old one.
    let olga = server.client();
    olga.login_with(OLGA, "a third good one").await;
    let ada_id = ada.get("/api/me").await.json::<Me>().id;
    let by_operator = olga
        .post(
            "/api/admin",
            &AdminAction::ResetPassword {
                id: ada_id,
                password: "taken over!".into(),
            },
        )
        .await;
    assert_eq!(by_operator.status, StatusCode::FORBIDDEN);
    let own = ada
        .post(
            "/api/admin",
            &AdminAction::ResetPassword {
                id: ada_id,
                password: "no old one needed?".into(),
            },
        )
        .await;
    assert_eq!(own.status, StatusCode::CONFLICT, "{}", own.body);
    let nobody = ada
        .post(
            "/api/admin",
            &AdminAction::ResetPassword {
                id: UserId(999_999),
                password: "a good password".into(),
            },
        )
        .await;
    assert_eq!(nobody.status, StatusCode::NOT_FOUND, "{}", nobody.body);
    server.stop().await;
}

/// The wait a refusal asks for, from its `Retry-After`.
fn retry_after(reply: &common::Reply) -> Duration {
    let seconds: u64 = reply
        .headers
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("a Retry-After header: {:?}", reply.headers));
    assert!(
        reply.body["retry_after_ms"].as_u64().is_some(),
        "{}",
        reply.body
    );
    Duration::from_secs(seconds)
}

async fn guessing(backend: Backend) {
    let options = Options {
        limits: server::config::Limits {
            sign_in_free: 3,
            ..Default::default()
        },
        ..Options::default()
    };
    let server = slow_heartbeat(backend, options).await;
    let guesser = server.client();
    for _ in 0..3 {
        let reply = guesser.login_with(ANNA, "guess").await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    }
    // Now every attempt waits; meanwhile even the right password is not checked.
    let waiting = guesser.login_with(ANNA, "guess").await;
    assert_eq!(
        waiting.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        waiting.body
    );
    assert_eq!(waiting.code(), "rate_limited");
    let wait = retry_after(&waiting);
    assert!(wait >= Duration::from_secs(1) && wait <= Duration::from_secs(2));
    assert_eq!(
        guesser.login_with(ANNA, PASSWORD).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
    // Telling another address in X-Forwarded-For changes nothing: no proxy is trusted.
    let spoofed = login_request(&guesser.http, &server.base, ANNA, PASSWORD)
        .header("x-forwarded-for", "203.0.113.9")
        .send()
        .await
        .expect("answered");
    assert_eq!(spoofed.status(), StatusCode::TOO_MANY_REQUESTS);
    // Another account from this address is not held up by Anna's.
    assert_eq!(
        server.client().login_with(OLGA, PASSWORD).await.status,
        StatusCode::OK
    );
    // After the wait the right password gets in: no lockout.
    tokio::time::sleep(wait).await;
    let reply = guesser.login_with(ANNA, PASSWORD).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    // A refusal reads in the asker's language.
    for _ in 0..4 {
        guesser.login_with(ANNA, "guess").await;
    }
    let russian = login_request(&guesser.http, &server.base, ANNA, "guess")
        .header("accept-language", "ru")
        .send()
        .await
        .expect("answered");
    let russian = Client::reply(russian).await;
    assert!(
        russian.body["message"]
            .as_str()
            .unwrap_or("")
            .contains("попыток"),
        "{}",
        russian.body
    );
    // A NUL in the email is a wrong email, the same on both databases.
    let nul = server
        .client()
        .login_with("anna\u{0}@example.com", PASSWORD)
        .await;
    assert_eq!(nul.status, StatusCode::UNAUTHORIZED, "{}", nul.body);
    server.stop().await;

    // Behind a trusted proxy, each forwarded client counts for itself.
    let options = Options {
        limits: server::config::Limits {
            sign_in_free: 2,
            ..Default::default()
        },
        trusted_proxies: vec!["127.0.0.1".into()],
        ..Options::default()
    };
    let server = slow_heartbeat(backend, options).await;
    let from = |client_ip: &'static str, password: &'static str| {
        let http = server.client().http;
        let base = server.base.clone();
        async move {
            let res = login_request(&http, &base, ANNA, password)
                .header("x-forwarded-for", client_ip)
                .send()
                .await
                .expect("answered");
            res.status()
        }
    };
    for _ in 0..2 {
        assert_eq!(from("203.0.113.9", "guess").await, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(
        from("203.0.113.9", "guess").await,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(from("198.51.100.4", PASSWORD).await, StatusCode::OK);
    server.stop().await;
}

async fn busy_pool(backend: Backend) {
    let options = Options {
        limits: server::config::Limits {
            password_workers: 1,
            password_queue: 1,
            ..Default::default()
        },
        ..Options::default()
    };
    let server = slow_heartbeat(backend, options).await;
    let attempts = (0..8).map(|_| {
        let client = server.client();
        async move { (client.login_with(ANNA, PASSWORD).await, client) }
    });
    let replies = futures_util::future::join_all(attempts).await;
    let mut refused = 0;
    for (reply, client) in &replies {
        match reply.status {
            StatusCode::OK => {}
            StatusCode::SERVICE_UNAVAILABLE => {
                refused += 1;
                assert_eq!(reply.code(), "unavailable");
                let wait = retry_after(reply);
                // Told to come back, it gets in.
                tokio::time::sleep(wait).await;
                let again = client.login_with(ANNA, PASSWORD).await;
                assert_eq!(again.status, StatusCode::OK, "{}", again.body);
            }
            other => panic!("{other}: {}", reply.body),
        }
    }
    assert!(refused >= 1, "a full pool refuses at once");
    assert!(refused <= 6, "the pool took what it had room for");
    server.stop().await;
}

async fn floods(backend: Backend) {
    let options = Options {
        limits: server::config::Limits {
            socket_commands_per_sec: 5.0,
            socket_command_burst: 5.0,
            person_commands_per_sec: 2.0,
            person_command_burst: 8.0,
            ..Default::default()
        },
        ..Options::default()
    };
    let server = slow_heartbeat(backend, options).await;
    let anna = server.signed_in(ANNA).await;
    let care = anna.department("Customer care").await;
    let ticket = anna.start_ticket(care, "flood", "first").await;
    let mut socket = anna.socket().await;
    tokio::time::sleep(Duration::from_secs(1)).await;

    // Twenty messages at once: the burst is stored, the rest refused with the wait.
    let mut ids = Vec::new();
    for n in 0..20 {
        let command_id = socket.command_id();
        ids.push(command_id);
        socket
            .send(&Command::SendMessage {
                seen: None,
                command_id,
                ticket_id: ticket,
                client_msg_id: common::new_msg_id(),
                body: format!("flood {n}"),
                hidden: false,
                close: false,
                attachments: Vec::new(),
            })
            .await;
    }
    let mut acked = 0;
    let mut limited = 0;
    while acked + limited < ids.len() {
        match socket.next().await {
            Event::Ack { command_id, .. } if ids.contains(&command_id) => acked += 1,
            Event::Error {
                code: ErrorCode::RateLimited,
                command_id: Some(id),
                retry_after_ms,
                ..
            } if ids.contains(&id) => {
                assert!(retry_after_ms.is_some_and(|ms| ms > 0 && ms <= 1000));
                limited += 1;
            }
            _ => {}
        }
    }
    assert!((5..=6).contains(&acked), "{acked} acknowledged");
    let detail: app::protocol::TicketDetail =
        anna.get(&format!("/api/tickets/{ticket}")).await.json();
    let stored = detail
        .events
        .iter()
        .filter(|e| matches!(&e.kind, app::protocol::EventKind::Message { body, .. } if body.starts_with("flood")))
        .count();
    assert_eq!(stored, acked, "only what was acknowledged is stored");

    // The socket stays open and works again after the wait.
    tokio::time::sleep(Duration::from_secs(1)).await;
    answers(&mut socket).await;

    // HTTP writes share the person's budget: a burst of them is refused with 429.
    let writes = (0..12).map(|n| {
        let anna = anna.clone();
        async move { anna.say(ticket, &format!("http {n}")).await.status }
    });
    let statuses = futures_util::future::join_all(writes).await;
    assert!(statuses.contains(&StatusCode::CREATED));
    let refused = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert!(refused >= 1, "{statuses:?}");
    // Signing out always works.
    let out = anna.act("/api/logout").await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    server.stop().await;
}

async fn origin(backend: Backend) {
    let server = TestServer::start(backend).await;
    let anna = server.signed_in(ANNA).await;
    let care = anna.department("Customer care").await;
    let ticket = anna.start_ticket(care, "origin", "hello").await;
    let cookie = anna.cookie().expect("signed in");
    let bare = reqwest::Client::new();
    let post = |origin: Option<&str>, fetch_site: Option<&'static str>| {
        let origin = origin.map(str::to_owned);
        let mut req = bare
            .post(format!("{}/api/tickets/{ticket}/messages", server.base))
            .header("cookie", cookie.clone())
            .json(&common::said("from where?"));
        if let Some(origin) = origin {
            req = req.header("origin", origin);
        }
        if let Some(site) = fetch_site {
            req = req.header("sec-fetch-site", site);
        }
        async move { Client::reply(req.send().await.expect("answered")).await }
    };
    // A cookie and no word of where it comes from: refused; and from another site.
    let none = post(None, None).await;
    assert_eq!(
        (none.status, none.code()),
        (StatusCode::FORBIDDEN, "forbidden")
    );
    let foreign = post(Some("http://evil.example"), None).await;
    assert_eq!(foreign.status, StatusCode::FORBIDDEN);
    let cross = post(None, Some("cross-site")).await;
    assert_eq!(cross.status, StatusCode::FORBIDDEN);
    // The desk's own page: by Origin, or by Sec-Fetch-Site.
    let own = post(Some(&server.base), None).await;
    assert_eq!(own.status, StatusCode::CREATED, "{}", own.body);
    let same = post(None, Some("same-origin")).await;
    assert_eq!(same.status, StatusCode::CREATED, "{}", same.body);
    // Without a cookie there is nobody's authority to borrow: signing in needs no Origin.
    let login = login_request(&bare, &server.base, ANNA, PASSWORD)
        .send()
        .await
        .expect("answered");
    assert_eq!(login.status(), StatusCode::OK);
    // Reads need nothing of the kind.
    let read = bare
        .get(format!("{}/api/tickets/{ticket}", server.base))
        .header("cookie", cookie.clone())
        .send()
        .await
        .expect("answered");
    assert_eq!(read.status(), StatusCode::OK);
    server.stop().await;
}

async fn hostile_text(backend: Backend) {
    let server = TestServer::start(backend).await;
    let anna = server.signed_in(ANNA).await;
    let care = anna.department("Customer care").await;

    // NUL and other controls never reach the database (PostgreSQL refuses NUL): removed from
    // bodies and subjects, over HTTP and the socket alike.
    let reply = anna
        .post(
            "/api/tickets",
            &common::new_ticket(
                care,
                "Refund\u{0} now\u{202E}",
                "line one\u{0}\r\nline two\u{7}",
            ),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let ticket = reply.json::<app::protocol::Written>().ticket_id;
    let mut socket = anna.socket().await;
    socket
        .send_message(ticket, &common::new_msg_id(), "socket\u{0} too")
        .await
        .expect("stored");
    let detail: app::protocol::TicketDetail =
        anna.get(&format!("/api/tickets/{ticket}")).await.json();
    assert_eq!(detail.ticket.subject, "Refund now");
    let bodies = common::message_bodies(&detail);
    assert_eq!(bodies, ["line one\nline two", "socket too"]);

    // A message of nothing visible is empty, on both transports.
    let invisible = "\u{200B}\u{200D}\u{202E}\u{FEFF}";
    let reply = anna.say(ticket, invisible).await;
    assert_eq!(
        (reply.status, reply.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid")
    );
    let refused = socket
        .send_message(ticket, &common::new_msg_id(), invisible)
        .await;
    assert!(
        matches!(
            refused,
            Err(Event::Error {
                code: ErrorCode::Invalid,
                ..
            })
        ),
        "{refused:?}"
    );

    // A file's name cannot read backwards.
    let res = anna
        .http
        .post(format!(
            "{}/api/uploads?name={}",
            server.base,
            common::urlencoding("invoice\u{202E}fdp.exe")
        ))
        .body(b"plain words".to_vec())
        .send()
        .await
        .expect("answered");
    let stored = Client::reply(res).await;
    assert_eq!(stored.status, StatusCode::CREATED, "{}", stored.body);
    assert_eq!(stored.body["name"], "invoicefdp.exe");

    // A stored file cut short behind the server's back is refused before a byte is sent.
    let id = stored.body["id"].as_str().expect("an id").to_owned();
    let object = server.files.path().join(&id[..2]).join(&id);
    std::fs::OpenOptions::new()
        .write(true)
        .open(&object)
        .and_then(|f| f.set_len(3))
        .expect("truncated");
    let damaged = anna.get(&format!("/api/files/{id}")).await;
    assert_eq!(
        (damaged.status, damaged.code()),
        (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        "{}",
        damaged.body
    );
    assert!(
        damaged.body["message"]
            .as_str()
            .unwrap_or("")
            .contains("damaged")
    );
    server.stop().await;
}

async fn unseen_work(backend: Backend) {
    let server = TestServer::start(backend).await;
    let anna = server.signed_in(ANNA).await;
    let olga = server.signed_in(OLGA).await;
    let care = anna.department("Customer care").await;
    let ticket = anna
        .start_ticket(care, "parcel", "Where is my parcel?")
        .await;
    let mine = |list: Vec<app::protocol::TicketSummary>| {
        list.into_iter()
            .find(|t| t.id == ticket)
            .expect("her ticket")
    };
    let mut inbox = anna.socket().await;
    let before = mine(inbox.follow_list(app::protocol::Topic::Inbox).await);

    // Staff take it, write a hidden note, set an internal parameter: nothing she sees moves.
    assert_eq!(
        olga.act(&format!("/api/tickets/{ticket}/take"))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        olga.message(ticket, &common::note("courier is late"))
            .await
            .status,
        StatusCode::CREATED
    );
    let me: Me = olga.get("/api/me").await.json();
    let high = me
        .options
        .iter()
        .find(|o| o.label == "High")
        .expect("a criticality")
        .id;
    let params = app::protocol::ParametersRequest {
        subject: "parcel".into(),
        criticality_id: Some(high),
        ..Default::default()
    };
    let saved = olga
        .send(
            Method::PUT,
            &format!("/api/tickets/{ticket}/parameters"),
            &params,
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let listed = mine(anna.get("/api/tickets").await.json());
    assert_eq!(
        (listed.revision, listed.updated_at, listed.last_seq),
        (before.revision, before.updated_at, before.last_seq),
        "her list is as it was"
    );

    // An answer she can read is the next thing she hears of the ticket, one revision on.
    let answer = olga.say(ticket, "It ships today").await;
    assert_eq!(answer.status, StatusCode::CREATED);
    let (changed, earlier) = inbox
        .until(|e| match e {
            Event::TicketChanged { ticket: t }
                if t.id == ticket && t.preview.as_deref() == Some("It ships today") =>
            {
                Some(t.clone())
            }
            _ => None,
        })
        .await;
    assert!(
        earlier
            .iter()
            .all(|e| !matches!(e, Event::TicketChanged { ticket: t } if t.id == ticket)),
        "no frame for what she may not see: {earlier:?}"
    );
    assert_eq!(changed.revision, before.revision + 1);
    assert!(changed.updated_at > before.updated_at);
    server.stop().await;
}

async fn disabled_account(backend: Backend) {
    let server = slow_heartbeat(backend, Options::default()).await;
    let ada = server.signed_in(ADA).await;
    let olga = server.signed_in(OLGA).await;
    let anna = server.signed_in(ANNA).await;
    let olga_id = olga.get("/api/me").await.json::<Me>().id;
    let mut board = olga.socket().await;
    let set = |id: UserId, disabled: bool| AdminAction::SetDisabled { id, disabled };

    // Disabled over HTTP: her screens close at once, her session is gone, she cannot sign in,
    // and nobody can hand her a ticket any more.
    let reply = ada.post("/api/admin", &set(olga_id, true)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let state: app::protocol::AdminState = reply.json();
    assert!(state.staff.iter().any(|e| e.id == olga_id && e.disabled));
    assert_eq!(closes_at_once(&mut board).await, close_code::SESSION_ENDED);
    assert_eq!(olga.get("/api/me").await.status, StatusCode::UNAUTHORIZED);
    let again = server.client().login_with(OLGA, PASSWORD).await;
    assert_eq!(again.status, StatusCode::UNAUTHORIZED);
    let adas_me: Me = ada.get("/api/me").await.json();
    assert!(adas_me.staff.iter().all(|m| m.person.id != olga_id));
    let care = anna.department("Customer care").await;
    let ticket = anna.start_ticket(care, "who helps?", "hello").await;
    let assigned = ada
        .post(
            &format!("/api/tickets/{ticket}/assign"),
            &app::protocol::AssignRequest {
                user_id: olga_id,
                seen: None,
            },
        )
        .await;
    assert_eq!(
        assigned.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        assigned.body
    );

    // Enabled again over the socket: she signs in.
    let mut adas = ada.socket().await;
    let enabled = adas
        .answered(
            |command_id| Command::Admin {
                command_id,
                action: Some(set(olga_id, false)),
            },
            |id, e| match e {
                Event::AdminState { command_id, state } if *command_id == id => {
                    Some(state.staff.iter().any(|e| e.id == olga_id && !e.disabled))
                }
                _ => None,
            },
        )
        .await;
    assert_eq!(enabled, Ok(true));
    assert_eq!(
        server.client().login_with(OLGA, PASSWORD).await.status,
        StatusCode::OK
    );

    // Nobody else disables anyone, and nobody disables themselves.
    let ada_id = adas_me.id;
    assert_eq!(
        anna.post("/api/admin", &set(ada_id, true)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        ada.post("/api/admin", &set(ada_id, true)).await.status,
        StatusCode::CONFLICT
    );
    let member = anna.get("/api/me").await.json::<Me>().id;
    assert_eq!(
        ada.post("/api/admin", &set(member, true)).await.status,
        StatusCode::NOT_FOUND,
        "members are not managed here"
    );
    server.stop().await;
}
