//! Bad input gets a clear error, keeps the connection (or closes it with a documented code),
//! leaves the server healthy and loses nothing already stored.

use crate::common;

use server::service::demo::people;

use app::protocol::{Command, DepartmentId, ErrorCode, Event, limits};
use common::{Backend, TestServer, new_msg_id};
use reqwest::{Method, StatusCode};

const MEMBER: &str = people::ANNA;

on_both_backends! {
    socket_upgrades_need_a_session_and_our_origin => socket_upgrade_checks;
    malformed_frames_get_error_events_and_the_socket_stays_usable => malformed_frames;
    bad_http_bodies_get_json_errors => bad_http_bodies;
}

async fn socket_upgrade_checks(backend: Backend) {
    let server = TestServer::start(backend).await;
    let anonymous = server.client();
    let own = server.base.clone();

    let refused = anonymous
        .socket_with(None, Some(&own))
        .await
        .err()
        .expect("refused");
    assert_eq!(
        refused.0,
        StatusCode::UNAUTHORIZED,
        "no session: {}",
        refused.1
    );
    assert!(
        refused.1.contains("\"code\":\"unauthorized\""),
        "{}",
        refused.1
    );

    let member = server.signed_in(MEMBER).await;
    for origin in [Some("http://evil.example"), Some("null"), None] {
        let refused = member
            .socket_with(member.cookie(), origin)
            .await
            .err()
            .expect("refused");
        assert_eq!(
            refused.0,
            StatusCode::FORBIDDEN,
            "origin {origin:?}: {}",
            refused.1
        );
        assert!(
            refused.1.contains("\"code\":\"forbidden\""),
            "{}",
            refused.1
        );
    }
    let forged = reqwest::header::HeaderValue::from_static("switchboard_session=forged");
    let refused = member
        .socket_with(Some(forged), Some(&own))
        .await
        .err()
        .expect("refused");
    assert_eq!(refused.0, StatusCode::UNAUTHORIZED);

    // A plain GET without the upgrade headers is a JSON error too.
    let plain = member.get("/ws").await;
    assert!(plain.status.is_client_error());
    assert_eq!(plain.code(), "malformed");

    member.socket().await; // and the real thing works
}

async fn malformed_frames(backend: Backend) {
    let server = TestServer::start(backend).await;
    let member = server.signed_in(MEMBER).await;
    let care = member.department("Customer care").await;
    let ticket = member
        .start_ticket(care, "Kept", "stored before the bad frames")
        .await;
    let mut socket = member.socket().await;

    let oversize = format!(
        r#"{{"type":"send_message","command_id":9,"ticket_id":{ticket},"client_msg_id":"big","body":"{}"}}"#,
        "x".repeat(limits::MAX_FRAME_BYTES)
    );
    let long_body = "y".repeat(limits::MAX_BODY_CHARS + 1);
    let cases: Vec<(&str, String, ErrorCode)> = vec![
        ("not JSON", "{this is not json".into(), ErrorCode::Malformed),
        ("JSON but not an object", "[1,2,3]".into(), ErrorCode::Malformed),
        ("unknown command", r#"{"type":"launch_rockets"}"#.into(), ErrorCode::UnknownCommand),
        ("no type", r#"{"ticket_id":1}"#.into(), ErrorCode::Malformed),
        (
            "wrong type for a field",
            format!(r#"{{"type":"send_message","command_id":3,"ticket_id":"{ticket}","client_msg_id":"a","body":"x"}}"#),
            ErrorCode::Malformed,
        ),
        (
            "a client id with forbidden characters",
            format!(r#"{{"type":"send_message","command_id":4,"ticket_id":{ticket},"client_msg_id":"../../etc","body":"x"}}"#),
            ErrorCode::Malformed,
        ),
        (
            "an empty message",
            format!(r#"{{"type":"send_message","command_id":5,"ticket_id":{ticket},"client_msg_id":"e1","body":"   "}}"#),
            ErrorCode::Invalid,
        ),
        (
            "a message over the length limit",
            format!(r#"{{"type":"send_message","command_id":6,"ticket_id":{ticket},"client_msg_id":"e2","body":"{long_body}"}}"#),
            ErrorCode::Invalid,
        ),
        (
            "a ticket that does not exist",
            r#"{"type":"send_message","command_id":7,"ticket_id":987654,"client_msg_id":"e3","body":"x"}"#.into(),
            ErrorCode::NotFound,
        ),
        ("an oversize frame", oversize, ErrorCode::TooLarge),
    ];
    for (description, frame, expected) in cases {
        socket.send_text(&frame).await;
        let code = socket.next_error().await;
        assert_eq!(code, expected, "{description}");
        // Still usable after each.
        socket.send(&Command::Ping { nonce: 1 }).await;
        socket
            .until(|e| matches!(e, Event::Pong { nonce: 1 }).then_some(()))
            .await;
    }
    // The error names the command it belongs to when it can.
    socket
        .send_text(&format!(r#"{{"type":"send_message","command_id":42,"ticket_id":{ticket},"client_msg_id":"a","body":7}}"#))
        .await;
    let (command_id, _) = socket
        .until(|e| match e {
            Event::Error { command_id, .. } => Some(*command_id),
            _ => None,
        })
        .await;
    assert_eq!(command_id, Some(app::protocol::CommandId(42)));

    // Binary frames are refused politely.
    use futures_util::SinkExt;
    socket
        .ws
        .send(tokio_tungstenite::tungstenite::Message::Binary(
            vec![0u8, 1, 2].into(),
        ))
        .await
        .expect("sent");
    let code = socket.next_error().await;
    assert_eq!(code, ErrorCode::Malformed);

    // A frame beyond what the server reads at all closes that socket with 1009, only that one.
    let mut doomed = member.socket().await;
    // The server may cut the connection while the frame is still being written.
    let _ = doomed
        .ws
        .send(tokio_tungstenite::tungstenite::Message::Text(
            "z".repeat(2 * 1024 * 1024).into(),
        ))
        .await;
    let closed = doomed.closed().await;
    assert!(matches!(closed.code, 1009 | 1006), "closed with {closed:?}");

    // Nothing stored was lost, nothing bad was stored, and everyone else is fine.
    let (seq, duplicate) = socket
        .send_message(ticket, &new_msg_id(), "still here")
        .await
        .expect("stored");
    assert!(!duplicate);
    assert_eq!(seq.0, 3);
    let detail = member.detail(ticket).await;
    assert_eq!(detail.events.len(), 3);
    assert_eq!(member.get("/health").await.status, StatusCode::OK);
}

async fn bad_http_bodies(backend: Backend) {
    let server = TestServer::start(backend).await;
    let member = server.signed_in(MEMBER).await;
    let care = member.department("Customer care").await;
    let ticket = member.start_ticket(care, "Kept", "stored").await;
    let url = format!("{}/api/tickets/{ticket}/messages", server.base);

    let raw = |body: Vec<u8>, content_type: &'static str| {
        let member = member.clone();
        let url = url.clone();
        async move {
            let res = member
                .http
                .post(url)
                .header("content-type", content_type)
                .body(body)
                .send()
                .await
                .expect("answered");
            common::Client::reply(res).await
        }
    };
    let cases: Vec<(&str, common::Reply, StatusCode, &str)> = vec![
        (
            "malformed JSON",
            raw(b"{not json".to_vec(), "application/json").await,
            StatusCode::BAD_REQUEST,
            "malformed",
        ),
        (
            "wrong type",
            raw(
                br#"{"client_msg_id":"a","body":12}"#.to_vec(),
                "application/json",
            )
            .await,
            StatusCode::BAD_REQUEST,
            "malformed",
        ),
        (
            "missing field",
            raw(br#"{"body":"x"}"#.to_vec(), "application/json").await,
            StatusCode::BAD_REQUEST,
            "malformed",
        ),
        (
            "not JSON at all",
            raw(b"body=x".to_vec(), "application/x-www-form-urlencoded").await,
            StatusCode::BAD_REQUEST,
            "malformed",
        ),
        (
            "too large",
            raw(
                format!(
                    r#"{{"client_msg_id":"a","body":"{}"}}"#,
                    "x".repeat(limits::MAX_HTTP_BODY_BYTES)
                )
                .into_bytes(),
                "application/json",
            )
            .await,
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
        ),
        (
            "empty message",
            raw(
                br#"{"client_msg_id":"a","body":"  "}"#.to_vec(),
                "application/json",
            )
            .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
        ),
        (
            "unknown department",
            member
                .post(
                    "/api/tickets",
                    &common::new_ticket(DepartmentId(424_242), "", "x"),
                )
                .await,
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            "ticket id not a number",
            member.get("/api/tickets/abc").await,
            StatusCode::BAD_REQUEST,
            "malformed",
        ),
        (
            "no such ticket",
            member.get("/api/tickets/424242").await,
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            "bad since",
            member
                .get(&format!("/api/tickets/{ticket}?since=soon"))
                .await,
            StatusCode::BAD_REQUEST,
            "malformed",
        ),
        (
            "signed out",
            server
                .client()
                .request(Method::GET, "/api/tickets", None)
                .await,
            StatusCode::UNAUTHORIZED,
            "unauthorized",
        ),
        (
            "another site's page",
            {
                let res = member
                    .http
                    .post(&url)
                    .header("origin", "http://evil.example")
                    .json(&common::said("x"))
                    .send()
                    .await
                    .expect("answered");
                common::Client::reply(res).await
            },
            StatusCode::FORBIDDEN,
            "forbidden",
        ),
    ];
    for (description, reply, status, code) in cases {
        assert_eq!(
            (reply.status, reply.code()),
            (status, code),
            "{description}: {}",
            reply.body
        );
        assert!(
            reply.body["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty()),
            "{description} explains itself"
        );
    }
    let detail = member.detail(ticket).await;
    assert_eq!(
        detail.events.len(),
        2,
        "nothing stored by the bad requests, nothing lost"
    );
    assert_eq!(member.get("/health").await.status, StatusCode::OK);
}
