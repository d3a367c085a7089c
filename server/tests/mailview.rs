//! Reading a mail safely: a member's HTML mail with an inline picture, an image from the
//! internet and a quoted history becomes a message that shows the new words with the quote
//! folded below; staff who may see the ticket open the mail as it came — its HTML sanitised
//! (no script, no form, links opening apart), served with a policy that loads nothing from
//! elsewhere, the inline picture from the mail itself, the remote image only when asked —
//! and mark it spam, which the filter learns. Members, and operators of other departments,
//! hear that no such mail exists. On SQLite and PostgreSQL.

use crate::common;

use app::protocol::{EventKind, MailTaken, MailView, TicketDetail};
use common::people::{ANNA, BORIS, IVAN, MARIA};
use common::{Backend, TestServer, hand_in_raw, mail_gateway};
use reqwest::StatusCode;

on_both_backends! {
    a_mail_is_read_safely_by_whom_may_see_it => reading;
}

/// A reply from Anna's mail client: HTML with an inline picture, a tracking image, hostile
/// markup, and the history it quotes.
fn anna_mail() -> Vec<u8> {
    concat!(
        "From: Anna Ivanova <anna@example.com>\r\n",
        "To: support@desk.example\r\n",
        "Cc: Boris <boris@example.com>\r\n",
        "Subject: My card is blocked\r\n",
        "Date: Mon, 30 Nov 2026 10:00:00 +0000\r\n",
        "Message-ID: <card-1@mail.example.com>\r\n",
        "MIME-Version: 1.0\r\n",
        "Content-Type: multipart/related; boundary=\"rel\"\r\n\r\n",
        "--rel\r\n",
        "Content-Type: multipart/alternative; boundary=\"alt\"\r\n\r\n",
        "--alt\r\n",
        "Content-Type: text/plain; charset=utf-8\r\n\r\n",
        "The card still says blocked, see the picture.\r\n\r\n",
        "On Sun, 29 Nov 2026 at 18:00, Support <support@desk.example> wrote:\r\n",
        "> Please try again tomorrow.\r\n",
        "--alt\r\n",
        "Content-Type: text/html; charset=utf-8\r\n\r\n",
        "<p onmouseover=\"steal()\">The card still says <b>blocked</b>, see the picture.</p>",
        "<script>fetch('/api/me')</script>",
        "<img src=\"cid:shot@mail.example.com\" alt=\"screenshot\">",
        "<img src=\"https://tracker.example/open.gif\" alt=\"\">",
        "<a href=\"/api/logout\">desk</a> <a href=\"https://bank.example/help\">help</a>",
        "<form action=\"/api/tickets\"><input name=\"x\"></form>",
        "<blockquote>Please try again tomorrow.</blockquote>\r\n",
        "--alt--\r\n",
        "--rel\r\n",
        "Content-Type: image/png\r\n",
        "Content-ID: <shot@mail.example.com>\r\n",
        "Content-Transfer-Encoding: base64\r\n\r\n",
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==\r\n",
        "--rel--\r\n",
    )
    .as_bytes()
    .to_vec()
}

async fn reading(backend: Backend) {
    let server = TestServer::start(backend).await;
    let gateway = mail_gateway(&server, "gateway").await;
    let ivan = server.signed_in(IVAN).await;
    let maria = server.signed_in(MARIA).await;
    let anna = server.signed_in(ANNA).await;
    let boris = server.signed_in(BORIS).await;

    let reply = hand_in_raw(&gateway, "support", anna_mail()).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let MailTaken::Ticket { ticket_id, .. } = reply.json() else {
        panic!("expected a ticket: {}", reply.body);
    };

    // The message says what is new; the quote is folded below it, for her and for staff.
    for reader in [&ivan, &anna] {
        let detail: TicketDetail = reader
            .get(&format!("/api/tickets/{ticket_id}"))
            .await
            .json();
        let (body, mail) = detail
            .events
            .iter()
            .find_map(|e| match &e.kind {
                EventKind::Message { body, mail, .. } => Some((body.clone(), mail.clone())),
                _ => None,
            })
            .expect("the mail's message");
        assert_eq!(body, "The card still says blocked, see the picture.");
        let quoted = mail.expect("marked as by mail").quoted;
        assert!(quoted.starts_with("On Sun, 29 Nov 2026"), "{quoted}");
        assert!(quoted.ends_with("> Please try again tomorrow."), "{quoted}");
    }

    // Staff go from the message to the mail as it came.
    let detail: TicketDetail = ivan.get(&format!("/api/tickets/{ticket_id}")).await.json();
    let client_msg_id = detail
        .events
        .iter()
        .find_map(|e| match &e.kind {
            EventKind::Message { client_msg_id, .. } => client_msg_id.clone(),
            _ => None,
        })
        .expect("a client id");
    let page = ivan
        .http
        .get(format!(
            "{}/mail/of/{ticket_id}/{}",
            ivan.base,
            client_msg_id.as_str()
        ))
        .send()
        .await
        .expect("an answer");
    assert_eq!(page.status(), StatusCode::OK);
    let id: i64 = page
        .url()
        .path()
        .strip_prefix("/mail/")
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("sent to the mail's page, not {}", page.url()));
    let html_page = page.text().await.expect("the page");
    assert!(
        html_page.contains("My card is blocked"),
        "the page shows it"
    );

    let view: MailView = ivan.get(&format!("/api/mails/{id}")).await.json();
    assert_eq!(view.from, "Anna Ivanova <anna@example.com>");
    assert_eq!(view.cc, vec!["Boris <boris@example.com>".to_owned()]);
    assert_eq!(view.sent_at, Some(1_796_032_800_000));
    assert!(view.has_html);
    assert_eq!(view.remote_images, 1);
    assert!(view.text.contains("> Please try again tomorrow."));
    assert_eq!(view.ticket_id, Some(ticket_id));
    assert!(!view.spam);

    // Its HTML: nothing that runs, posts or loads from elsewhere; a policy that says so.
    let res = ivan
        .http
        .get(format!("{}/api/mails/{id}/html", ivan.base))
        .send()
        .await
        .expect("an answer");
    assert_eq!(res.status(), StatusCode::OK);
    let policy = res.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(policy.contains("default-src 'none'"), "{policy}");
    assert!(policy.contains("sandbox"), "{policy}");
    assert!(!policy.contains("https:"), "{policy}");
    assert_eq!(res.headers()["x-frame-options"], "SAMEORIGIN");
    let html = res.text().await.expect("the HTML");
    for hostile in [
        "<script",
        "onmouseover",
        "<form",
        "/api/logout",
        "tracker.example",
    ] {
        assert!(!html.contains(hostile), "{hostile} in {html}");
    }
    assert!(html.contains("<b>blocked</b>"), "{html}");
    assert!(html.contains("https://bank.example/help"), "{html}");
    assert!(html.contains("noopener"), "{html}");
    let picture = html
        .split("src=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("the inline picture's address")
        .to_owned();
    assert!(
        picture.starts_with(&format!("/api/mails/{id}/pictures/")),
        "{picture}"
    );
    let res = ivan
        .http
        .get(format!("{}{picture}", ivan.base))
        .send()
        .await
        .expect("an answer");
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "image/png");
    assert_eq!(&res.bytes().await.unwrap()[..4], b"\x89PNG");
    // Remote images only on request.
    let asked = ivan
        .http
        .get(format!("{}/api/mails/{id}/html?remote=1", ivan.base))
        .send()
        .await
        .expect("an answer");
    assert!(
        asked.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("https:")
    );
    assert!(asked.text().await.unwrap().contains("tracker.example"));

    // Nobody else reads it: not its sender, not another member, not another department —
    // and nobody hears whether it exists.
    for (who, client) in [("Anna", &anna), ("Boris", &boris), ("Maria", &maria)] {
        for path in [
            format!("/api/mails/{id}"),
            format!("/api/mails/{id}/html"),
            format!("/api/mails/{id}/pictures/4"),
        ] {
            let refused = client.get(&path).await;
            assert_eq!(
                refused.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{who} {path}: {}",
                refused.body
            );
        }
        let refused = client.act(&format!("/api/mails/{id}/spam")).await;
        refused.assert_invalid("id");
        let missing = client.get(&format!("/api/mails/{}", id + 1000)).await;
        assert_eq!(
            missing.body,
            client.get(&format!("/api/mails/{id}")).await.body
        );
    }
    let res = server
        .client()
        .http
        .get(format!("{}/api/mails/{id}", ivan.base))
        .send()
        .await
        .expect("an answer");
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);

    // Staff mark it spam from a ticket: the filter learns it; and take it back.
    let marked = ivan.act(&format!("/api/mails/{id}/spam")).await;
    assert_eq!(marked.status, StatusCode::NO_CONTENT, "{}", marked.body);
    let view: MailView = ivan.get(&format!("/api/mails/{id}")).await.json();
    assert!(view.spam);
    let res = ivan.submit(&format!("/mail/{id}/not-spam")).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.url().query(), Some("not-spam"));
    let view: MailView = ivan.get(&format!("/api/mails/{id}")).await.json();
    assert!(!view.spam);
    server.stop().await;
}
