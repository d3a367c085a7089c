//! The spam filter learns: it starts neutral (a spammy mail still opens a ticket), learns good
//! mail from what reaches tickets and spam from what staff mark, then sends the next spammy
//! mail to the Spam folder instead of a queue; "not spam" takes a mail out again; only staff
//! of the mailbox's department mark it — over the API and the page's forms. On SQLite and
//! PostgreSQL.

use crate::common;

use app::protocol::{IncomingMail, IncomingReason, MailTaken};
use common::people::{IVAN, MARIA, OLGA};
use common::{Backend, Client, TestServer, hand_in_raw, mail_gateway};
use reqwest::StatusCode;

on_both_backends! {
    the_filter_learns_from_what_staff_mark => learning;
}

const SPAMMY: &str = "Cheap pills! Viagra casino jackpot, click now to claim your prize, \
     crypto bonus, limited offer, unsubscribe never.";

fn mail(from: &str, to: &str, subject: &str, body: &str) -> Vec<u8> {
    format!(
        "From: <{from}>\r\nTo: {to}\r\nSubject: {subject}\r\nMessage-ID: <{}@spam.test>\r\n\r\n{body}\r\n",
        fastrand::u64(..)
    )
    .into_bytes()
}

async fn taken(gateway: &Client, mailbox: &str, raw: Vec<u8>) -> MailTaken {
    let reply = hand_in_raw(gateway, mailbox, raw).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.json()
}

async fn learning(backend: Backend) {
    let server = TestServer::start(backend).await;
    let gateway = mail_gateway(&server, "gateway").await;
    let olga = server.signed_in(OLGA).await;
    let ivan = server.signed_in(IVAN).await;
    let maria = server.signed_in(MARIA).await;

    // Neutral at first: a spammy mail from a stranger opens a ticket like any other.
    let first = taken(
        &gateway,
        "support",
        mail(
            "lucky@casino.example",
            "support@desk.example",
            "You won",
            SPAMMY,
        ),
    )
    .await;
    assert!(
        matches!(
            first,
            MailTaken::Ticket {
                new_ticket: true,
                ..
            }
        ),
        "{first:?}"
    );

    // Good mail reaches tickets (learned as good); staff mark spam that waits in billing's
    // Incoming (no new members there) — Ivan, of Customer care, may not.
    for i in 0..5 {
        let good = taken(
            &gateway,
            "support",
            mail(
                &format!("customer{i}@example.org"),
                "support@desk.example",
                &format!("Order {i} late"),
                "My order has not arrived yet, could you check the delivery status please?",
            ),
        )
        .await;
        assert!(matches!(good, MailTaken::Ticket { .. }), "{good:?}");
        let waiting = taken(
            &gateway,
            "billing",
            mail(
                &format!("promo{i}@casino.example"),
                "billing@desk.example",
                "Claim your prize",
                SPAMMY,
            ),
        )
        .await;
        let MailTaken::Incoming { id, reason } = waiting else {
            panic!("expected Incoming, got {waiting:?}");
        };
        assert_eq!(reason, IncomingReason::UnknownSender);
        if i == 0 {
            let refused = ivan.act(&format!("/api/incoming/{id}/spam")).await;
            refused.assert_invalid("id");
        }
        let marked = maria.act(&format!("/api/incoming/{id}/spam")).await;
        assert_eq!(marked.status, StatusCode::NO_CONTENT, "{}", marked.body);
    }

    // Now the next spammy mail goes to the Spam folder, never to a queue.
    let judged = taken(
        &gateway,
        "support",
        mail(
            "winner@casino.example",
            "support@desk.example",
            "Jackpot",
            SPAMMY,
        ),
    )
    .await;
    let MailTaken::Incoming { id: spam, reason } = judged else {
        panic!("expected the Spam folder, got {judged:?}");
    };
    assert_eq!(reason, IncomingReason::Spam);
    let listed: Vec<IncomingMail> = olga.get("/api/incoming").await.json();
    let entry = listed.iter().find(|m| m.id == spam).expect("listed");
    assert_eq!(entry.reason, IncomingReason::Spam);
    // Ordinary mail still goes through.
    let fine = taken(
        &gateway,
        "support",
        mail(
            "someone@example.org",
            "support@desk.example",
            "Delivery question",
            "Could you check the delivery status of my order?",
        ),
    )
    .await;
    assert!(matches!(fine, MailTaken::Ticket { .. }), "{fine:?}");

    // Not spam, from the page's form: it waits to be sorted.
    let res = olga.submit(&format!("/incoming/{spam}/not-spam")).await;
    // Sent back to the page, saying so.
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.url().query(), Some("not-spam"));
    let listed: Vec<IncomingMail> = olga.get("/api/incoming").await.json();
    let entry = listed.iter().find(|m| m.id == spam).expect("still listed");
    assert_eq!(entry.reason, IncomingReason::Held);
    server.stop().await;
}
