//! Incoming messages sorted by staff: a stranger's mail made a ticket (its sender a new
//! member), a third party's attached to the member's ticket as a hidden note she never
//! sees, a newsletter deleted — each only by staff of the mailbox's department, once, over
//! the JSON API and the page's forms; on SQLite and PostgreSQL.

use crate::common;

use app::protocol::{AttachMailRequest, IncomingMail, MailTaken, MailTicketRequest};
use common::people::{ANNA, IVAN, MARIA, OLGA};
use common::{
    Backend, Client, TestServer, hand_in_raw, mail_fixture, mail_gateway, message_bodies,
};
use reqwest::{Method, StatusCode};

on_both_backends! {
    staff_sort_incoming_mail_into_tickets_notes_or_away => sorting;
}

/// Hands `raw` in through `mailbox`; the id of the mail waiting in Incoming messages.
async fn waiting(server: &TestServer, mailbox: &str, raw: Vec<u8>) -> i64 {
    let gateway = mail_gateway(server, &format!("gateway {mailbox}")).await;
    match hand_in_raw(&gateway, mailbox, raw)
        .await
        .json::<MailTaken>()
    {
        MailTaken::Incoming { id, .. } => id,
        other => panic!("expected Incoming messages, got {other:?}"),
    }
}

async fn listed(who: &Client) -> Vec<i64> {
    let list: Vec<IncomingMail> = who.get("/api/incoming").await.json();
    list.into_iter().map(|m| m.id).collect()
}

async fn sorting(backend: Backend) {
    let server = TestServer::start(backend).await;
    let olga = server.signed_in(OLGA).await;
    let ivan = server.signed_in(IVAN).await;
    let maria = server.signed_in(MARIA).await;
    let anna = server.signed_in(ANNA).await;
    let billing = olga.department("Billing").await;
    let care = anna.department("Customer care").await;

    // A stranger's mail to billing: Ivan (Customer care) cannot touch it, nor Anna; Maria
    // makes it a ticket, and its sender becomes a member.
    let stranger = waiting(
        &server,
        "billing",
        mail_fixture("15_unknown_sender.eml", None),
    )
    .await;
    let ask = MailTicketRequest {
        department_id: billing,
        member_id: None,
    };
    let path = format!("/api/incoming/{stranger}/ticket");
    ivan.post(&path, &ask).await.assert_invalid("id");
    anna.post(&path, &ask).await.assert_invalid("id");
    let elsewhere = maria
        .post(
            &path,
            &MailTicketRequest {
                department_id: care,
                member_id: None,
            },
        )
        .await;
    assert_eq!(
        elsewhere.status,
        StatusCode::NOT_FOUND,
        "{}",
        elsewhere.body
    );
    let made = maria.post(&path, &ask).await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let ticket: app::protocol::Written = made.json();
    let detail = maria.detail(ticket.ticket_id).await;
    assert_eq!(detail.ticket.member.name, "Someone New");
    assert_eq!(detail.ticket.department.id, billing);
    assert_eq!(message_bodies(&detail), ["Hello, do you ship to Norway?"]);
    assert!(!listed(&maria).await.contains(&stranger));
    // Sorted once: again, it no longer waits.
    maria.post(&path, &ask).await.assert_invalid("id");

    // A third party's forward about Anna's ticket: attached as a hidden note, never hers.
    let card = anna
        .start_ticket(care, "card", "My card was charged twice")
        .await;
    let forward = waiting(
        &server,
        "support",
        mail_fixture("09_forward_third_party.eml", Some(card)),
    )
    .await;
    let attached = olga
        .post(
            &format!("/api/incoming/{forward}/attach"),
            &AttachMailRequest { ticket_id: card },
        )
        .await;
    assert_eq!(attached.status, StatusCode::OK, "{}", attached.body);
    let staff_view = olga.detail(card).await;
    let note = staff_view
        .events
        .iter()
        .find_map(|e| match &e.kind {
            app::protocol::EventKind::Note { body, .. } => Some(body.clone()),
            _ => None,
        })
        .expect("the mail is a note");
    assert!(
        note.starts_with("Pavel Ivanov <husband@family.example>"),
        "{note}"
    );
    assert!(note.contains("please refund to my card instead"), "{note}");
    let hers = anna.detail(card).await;
    assert!(
        hers.events
            .iter()
            .all(|e| !matches!(e.kind, app::protocol::EventKind::Note { .. }))
    );

    // A newsletter deleted from the page's form; deleting again finds nothing.
    let news = waiting(
        &server,
        "support",
        mail_fixture("17_mailing_list.eml", None),
    )
    .await;
    let page = olga
        .http
        .get(format!("{}/incoming", olga.base))
        .send()
        .await
        .expect("a page");
    assert!(
        page.text()
            .await
            .expect("a page")
            .contains("Our December offers")
    );
    let deleted = olga
        .http
        .post(format!("{}/incoming/{news}/delete", olga.base))
        .send()
        .await
        .expect("a page");
    assert!(
        deleted.url().as_str().ends_with("/incoming?deleted"),
        "{}",
        deleted.url()
    );
    assert!(!listed(&olga).await.contains(&news));
    let again = olga
        .request(Method::DELETE, &format!("/api/incoming/{news}"), None)
        .await;
    assert_eq!(
        again.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        again.body
    );
    // Members never reach the page.
    let page = anna
        .http
        .get(format!("{}/incoming", anna.base))
        .send()
        .await
        .expect("a page");
    assert!(page.url().path().ends_with("/account"));
    server.stop().await;
}
