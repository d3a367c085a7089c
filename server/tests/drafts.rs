//! Drafts kept on the server: per person, ticket and kind (reply or hidden note), restored on
//! another screen, after a transfer and after a restart, private to their writer, bounded,
//! and forgotten when sent — over HTTP and the socket, on SQLite and PostgreSQL.

use crate::common;

use app::protocol::{Command, DraftRequest, Drafts, Event, TicketId, TransferRequest};
use common::people::{ANNA, IVAN, OLGA};
use common::{Backend, Client, Socket, TestServer, note, said};
use reqwest::{Method, StatusCode};

on_both_backends! {
    drafts_are_restored_everywhere_and_forgotten_when_sent => restored;
    drafts_are_their_writers_alone_and_bounded => private;
}

async fn put_draft(who: &Client, ticket: TicketId, note: bool, body: &str) -> common::Reply {
    who.send(
        Method::PUT,
        &format!("/api/tickets/{ticket}/drafts"),
        &DraftRequest {
            note,
            body: body.into(),
        },
    )
    .await
}

async fn drafts(who: &Client, ticket: TicketId) -> Drafts {
    let reply = who.get(&format!("/api/tickets/{ticket}/drafts")).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.json()
}

/// The drafts a socket is handed when it opens `ticket`.
async fn drafts_on_open(socket: &mut Socket, ticket: TicketId) -> Drafts {
    socket
        .send(&Command::Subscribe {
            topic: app::protocol::Topic::Ticket { id: ticket },
            since: None,
            filter: None,
        })
        .await;
    socket
        .until(|e| match e {
            Event::Drafts { ticket_id, drafts } if *ticket_id == ticket => Some(drafts.clone()),
            _ => None,
        })
        .await
        .0
}

async fn restored(backend: Backend) {
    let db = std::sync::Arc::new(common::TestDb::new(backend).await);
    let server = TestServer::start_with(db.clone(), common::Options::default()).await;
    let anna = server.signed_in(ANNA).await;
    let olga = server.signed_in(OLGA).await;
    let care = anna.department("Customer care").await;
    let billing = olga.department("Billing").await;
    let ticket = anna
        .start_ticket(care, "refund", "Where is my refund?")
        .await;

    // Written on one screen over the socket, a reply and a note side by side.
    let mut laptop = olga.socket().await;
    for (note, body) in [
        (false, "Dear Anna,\nyour refund"),
        (true, "Check the bank first"),
    ] {
        laptop
            .done(|command_id| Command::SaveDraft {
                command_id,
                ticket_id: ticket,
                note,
                body: body.into(),
            })
            .await
            .expect("saved");
    }
    // Another screen opening the ticket is handed both.
    let mut phone = olga.socket().await;
    let handed = drafts_on_open(&mut phone, ticket).await;
    assert_eq!(handed.reply, "Dear Anna,\nyour refund");
    assert_eq!(handed.note, "Check the bank first");

    // A transfer and a restart keep them.
    let moved = olga
        .post(
            &format!("/api/tickets/{ticket}/transfer"),
            &TransferRequest {
                department_id: billing,
                seen: None,
            },
        )
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    drop((laptop, phone));
    server.stop().await;
    let server = TestServer::start_with(db, common::Options::default()).await;
    let olga = olga.to_server(&server);
    let kept = drafts(&olga, ticket).await;
    assert_eq!(kept.reply, "Dear Anna,\nyour refund");
    assert_eq!(kept.note, "Check the bank first");

    // Sending the reply forgets the reply's draft, not the note's; a note forgets its own.
    assert!(
        olga.message(ticket, &said("Your refund is on its way."))
            .await
            .status
            .is_success()
    );
    let left = drafts(&olga, ticket).await;
    assert_eq!(
        (left.reply.as_str(), left.note.as_str()),
        ("", "Check the bank first")
    );
    assert!(
        olga.message(ticket, &note("Bank confirmed"))
            .await
            .status
            .is_success()
    );
    assert_eq!(drafts(&olga, ticket).await, Drafts::default());

    // Emptied (or blank) is forgotten too.
    assert_eq!(
        put_draft(&olga, ticket, false, "Hello").await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        put_draft(&olga, ticket, false, "  \n ").await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(drafts(&olga, ticket).await, Drafts::default());
    server.stop().await;
}

async fn private(backend: Backend) {
    let server = TestServer::start(backend).await;
    let anna = server.signed_in(ANNA).await;
    let olga = server.signed_in(OLGA).await;
    let ivan = server.signed_in(IVAN).await;
    let maria = server.signed_in(common::people::MARIA).await;
    let care = anna.department("Customer care").await;
    let ticket = anna.start_ticket(care, "card", "My card is blocked").await;

    assert_eq!(
        put_draft(&olga, ticket, false, "Olga's words").await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        put_draft(&anna, ticket, false, "Anna's words").await.status,
        StatusCode::NO_CONTENT
    );
    // Each sees their own only; the member's draft holds no staff words.
    assert_eq!(drafts(&ivan, ticket).await, Drafts::default());
    assert_eq!(drafts(&anna, ticket).await.reply, "Anna's words");
    assert_eq!(drafts(&olga, ticket).await.reply, "Olga's words");

    // A member has no notes; a ticket one may not see is not found, over HTTP and the socket.
    let member_note = put_draft(&anna, ticket, true, "psst").await;
    assert_eq!(
        member_note.status,
        StatusCode::FORBIDDEN,
        "{}",
        member_note.body
    );
    assert_eq!(
        put_draft(&maria, ticket, false, "hi").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        maria
            .get(&format!("/api/tickets/{ticket}/drafts"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let mut socket = maria.socket().await;
    let refused = socket
        .done(|command_id| Command::SaveDraft {
            command_id,
            ticket_id: ticket,
            note: false,
            body: "hi".into(),
        })
        .await;
    assert_eq!(refused, Err(app::protocol::ErrorCode::NotFound));

    // Bounded like a message; NUL and control characters removed like a message's.
    let huge = "x".repeat(app::protocol::limits::MAX_BODY_CHARS + 1);
    put_draft(&olga, ticket, false, &huge)
        .await
        .assert_invalid("body");
    assert_eq!(
        put_draft(&olga, ticket, false, "a\u{0}b\u{7}c\nd")
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(drafts(&olga, ticket).await.reply, "abc\nd");
    server.stop().await;
}
