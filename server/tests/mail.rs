//! Mail in: a corpus of real-world-shaped mails (Gmail, Outlook with Thread-Index, Apple
//! Mail, Thunderbird, KOI8-R and windows-1251 clients, a forward, CC and BCC replies, an
//! out-of-office, a bounce, HTML only, an inline image, a list, broken MIME, plus
//! addressing) handed in through the demo's mailboxes, each landing in the ticket — or the
//! Incoming messages — it must; duplicates taken once; Incoming seen by the mailbox's
//! department only; the gateway's permissions; `switchboard ingest-email` and its exit
//! codes. On SQLite and PostgreSQL.

use crate::common;

use app::protocol::{Channel, IncomingMail, IncomingReason, MailTaken, TicketDetail, TicketId};
use common::people::{ADA, ANNA, CHLOE, IVAN, MARIA, OLGA};
use common::{
    Backend, Client, TestServer, hand_in_raw, mail_fixture, mail_gateway, message_bodies,
};
use reqwest::StatusCode;

/// The sender of the corpus's stranger (`15_unknown_sender.eml`).
const NEWCOMER: &str = "stranger@elsewhere.example";

on_both_backends! {
    every_mail_of_the_corpus_lands_where_it_belongs => corpus;
    incoming_messages_are_for_staff_of_the_mailboxes_department => incoming_permissions;
    mail_is_handed_in_with_an_administrators_token_through_a_known_mailbox => gateway;
}

async fn hand_in(gateway: &Client, mailbox: &str, raw: Vec<u8>) -> MailTaken {
    let reply = hand_in_raw(gateway, mailbox, raw).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.json()
}

/// The ticket a mail became or joined (`new`: whether it opened it).
fn ticket_of(taken: &MailTaken, new: bool) -> TicketId {
    match taken {
        MailTaken::Ticket {
            ticket_id,
            new_ticket,
            ..
        } if *new_ticket == new => *ticket_id,
        other => panic!("expected a ticket (new: {new}), got {other:?}"),
    }
}

fn incoming_reason(taken: &MailTaken) -> IncomingReason {
    match taken {
        MailTaken::Incoming { reason, .. } => *reason,
        other => panic!("expected Incoming messages, got {other:?}"),
    }
}

fn last_body(detail: &TicketDetail) -> &str {
    message_bodies(detail).last().copied().unwrap_or_default()
}

/// The files of the ticket's last message.
fn last_files(detail: &TicketDetail) -> Vec<app::protocol::UploadedFile> {
    detail
        .events
        .iter()
        .rev()
        .find_map(|e| match &e.kind {
            app::protocol::EventKind::Message { attachments, .. } => Some(attachments.clone()),
            _ => None,
        })
        .unwrap_or_default()
}

async fn corpus(backend: Backend) {
    let server = TestServer::start(backend).await;
    let gateway = mail_gateway(&server, "Mail gateway").await;
    let olga = server.signed_in(OLGA).await;

    // Gmail: a member's new mail opens an Email ticket in the mailbox's department.
    let first = hand_in(&gateway, "support", mail_fixture("01_gmail_new.eml", None)).await;
    let card = ticket_of(&first, true);
    let detail = olga.detail(card).await;
    assert_eq!(detail.ticket.channel, Channel::Email);
    assert_eq!(detail.ticket.department.name, "Customer care");
    assert_eq!(detail.ticket.member.name, "Anna Ivanova");
    assert_eq!(detail.ticket.subject, "My card was charged twice");
    assert_eq!(
        detail.ticket.queue.as_ref().map(|q| q.channel),
        Some(Channel::Email)
    );
    assert!(last_body(&detail).starts_with("Hello,\n\nMy card was charged twice for order 5521"));
    // Delivered twice: taken once.
    assert_eq!(
        hand_in(&gateway, "support", mail_fixture("01_gmail_new.eml", None)).await,
        MailTaken::Duplicate
    );

    // Threads: the subject's tag (the quoted history cut), In-Reply-To with a new subject,
    // References with another one.
    let tagged = hand_in(
        &gateway,
        "support",
        mail_fixture("02_gmail_reply_tag.eml", Some(card)),
    )
    .await;
    assert_eq!(ticket_of(&tagged, false), card);
    assert_eq!(
        last_body(&olga.detail(card).await),
        "Here is the receipt number: 88-1204."
    );
    let apple = hand_in(
        &gateway,
        "support",
        mail_fixture("05_apple_in_reply_to.eml", None),
    )
    .await;
    assert_eq!(ticket_of(&apple, false), card);
    assert_eq!(
        last_body(&olga.detail(card).await),
        "The second charge has the reference 88-1205 — thank you!"
    );
    let thunderbird = hand_in(
        &gateway,
        "support",
        mail_fixture("06_thunderbird_references.eml", None),
    )
    .await;
    assert_eq!(ticket_of(&thunderbird, false), card);

    // Outlook: the reply carries only Thread-Index (and a changed subject).
    let vat = ticket_of(
        &hand_in(
            &gateway,
            "billing",
            mail_fixture("03_outlook_first.eml", None),
        )
        .await,
        true,
    );
    assert_eq!(olga.detail(vat).await.ticket.department.name, "Billing");
    let outlook = hand_in(
        &gateway,
        "billing",
        mail_fixture("04_outlook_reply_thread_index.eml", None),
    )
    .await;
    assert_eq!(ticket_of(&outlook, false), vat);
    assert_eq!(
        last_body(&olga.detail(vat).await),
        "Also for the receipts of October, please."
    );

    // Russian mail clients: KOI8-R and windows-1251, subjects and bodies.
    let koi8 = ticket_of(
        &hand_in(&gateway, "support", mail_fixture("07_koi8r.eml", None)).await,
        true,
    );
    let detail = olga.detail(koi8).await;
    assert_eq!(detail.ticket.subject, "Не могу войти");
    assert_eq!(detail.ticket.member.name, "Elena Rossi");
    assert!(last_body(&detail).starts_with("Здравствуйте! Не могу войти в личный кабинет"));
    let cp1251 = ticket_of(
        &hand_in(&gateway, "billing", mail_fixture("08_cp1251.eml", None)).await,
        true,
    );
    let detail = olga.detail(cp1251).await;
    assert_eq!(detail.ticket.subject, "Счёт за декабрь");
    assert!(last_body(&detail).starts_with("Добрый день. Прошу выставить счёт на оплату"));

    // Third parties never take a ticket over: a forward with the tag, a CC's reply, a BCC
    // reply — they wait in Incoming messages, naming the ticket; the ticket is unchanged.
    let before = message_bodies(&olga.detail(card).await).len();
    for (name, mailbox, ticket) in [
        ("09_forward_third_party.eml", "support", card),
        ("10_cc_reply.eml", "support", card),
        ("19_bcc_reply.eml", "billing", vat),
    ] {
        let taken = hand_in(&gateway, mailbox, mail_fixture(name, Some(card))).await;
        assert_eq!(
            incoming_reason(&taken),
            IncomingReason::ThirdParty,
            "{name}"
        );
        let listed: Vec<IncomingMail> = olga.get("/api/incoming").await.json();
        let MailTaken::Incoming { id, .. } = taken else {
            unreachable!()
        };
        let entry = listed.iter().find(|m| m.id == id).expect("listed");
        assert_eq!(entry.ticket_id, Some(ticket), "{name}");
    }
    assert_eq!(message_bodies(&olga.detail(card).await).len(), before);

    // Programs: an out-of-office, a bounce, a newsletter.
    for name in [
        "11_out_of_office.eml",
        "12_dsn_bounce.eml",
        "17_mailing_list.eml",
    ] {
        let taken = hand_in(&gateway, "support", mail_fixture(name, None)).await;
        assert_eq!(incoming_reason(&taken), IncomingReason::Automatic, "{name}");
    }

    // HTML only: text, never markup.
    let html = ticket_of(
        &hand_in(&gateway, "support", mail_fixture("13_html_only.eml", None)).await,
        true,
    );
    let body = last_body(&olga.detail(html).await).to_owned();
    assert!(body.contains("12 Rue de la Paix"), "{body}");
    assert!(!body.contains('<'), "{body}");
    // An inline image and a PDF attachment: the text arrives with the files, taken in as
    // uploads are (the type told from the bytes, a preview for the picture).
    let shot = ticket_of(
        &hand_in(
            &gateway,
            "support",
            mail_fixture("14_inline_image.eml", None),
        )
        .await,
        true,
    );
    let detail = olga.detail(shot).await;
    assert!(last_body(&detail).contains("This is what I see:"));
    let files = last_files(&detail);
    assert_eq!(files.len(), 1, "{files:?}");
    assert_eq!(files[0].name, "error.png");
    assert_eq!(files[0].content_type, "image/png");
    let contract = ticket_of(
        &hand_in(
            &gateway,
            "billing",
            mail_fixture("20_attachment_pdf.eml", None),
        )
        .await,
        true,
    );
    let detail = olga.detail(contract).await;
    assert_eq!(last_body(&detail), "The signed contract is attached.");
    let files = last_files(&detail);
    assert_eq!(files.len(), 1, "{files:?}");
    assert_eq!(
        (files[0].name.as_str(), files[0].content_type.as_str()),
        ("contract.pdf", "application/pdf")
    );
    let fetched = olga
        .http
        .get(format!("{}/api/files/{}", olga.base, files[0].id))
        .send()
        .await
        .expect("an answer");
    assert_eq!(fetched.status(), StatusCode::OK);
    let bytes = fetched.bytes().await.expect("the file");
    assert!(bytes.starts_with(b"%PDF-1.4"));
    // Broken MIME is read as far as it goes.
    let broken = ticket_of(
        &hand_in(
            &gateway,
            "support",
            mail_fixture("18_malformed_mime.eml", None),
        )
        .await,
        true,
    );
    assert!(
        last_body(&olga.detail(broken).await).starts_with("The attachment did not come through")
    );

    // Plus-addressing and case: Anna's.
    let plus = ticket_of(
        &hand_in(
            &gateway,
            "support",
            mail_fixture("16_plus_address.eml", None),
        )
        .await,
        true,
    );
    assert_eq!(olga.detail(plus).await.ticket.member.name, "Anna Ivanova");

    // A stranger: waits in Incoming through billing (no new members there); becomes a new
    // member with a ticket through support.
    let stranger = hand_in(
        &gateway,
        "billing",
        mail_fixture("15_unknown_sender.eml", None),
    )
    .await;
    assert_eq!(incoming_reason(&stranger), IncomingReason::UnknownSender);
    let newcomer = ticket_of(
        &hand_in(
            &gateway,
            "support",
            mail_fixture("15_unknown_sender.eml", None),
        )
        .await,
        true,
    );
    assert_eq!(
        olga.detail(newcomer).await.ticket.member.name,
        "Someone New"
    );
    // Made without a password: no password signs them in (until one is given them), and
    // the refusal is the same as for a wrong one.
    let guest = server.client();
    let refused = guest.login_with(NEWCOMER, "").await;
    let wrong = guest.login_with(OLGA, "not her password").await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED, "{}", refused.body);
    assert_eq!(refused.body, wrong.body);
    assert_eq!(
        guest.login_with(NEWCOMER, "!").await.status,
        StatusCode::UNAUTHORIZED
    );

    // What cannot be read as a mail is kept, never lost.
    let garbage = hand_in(&gateway, "support", b"\x00\x01 not a mail at all".to_vec()).await;
    assert_eq!(incoming_reason(&garbage), IncomingReason::Unreadable);
    server.stop().await;
}

async fn incoming_permissions(backend: Backend) {
    let server = TestServer::start(backend).await;
    let gateway = mail_gateway(&server, "Mail gateway").await;
    let support = hand_in(
        &gateway,
        "support",
        mail_fixture("17_mailing_list.eml", None),
    )
    .await;
    let billing = hand_in(
        &gateway,
        "billing",
        mail_fixture("15_unknown_sender.eml", None),
    )
    .await;
    let (MailTaken::Incoming { id: support, .. }, MailTaken::Incoming { id: billing, .. }) =
        (support, billing)
    else {
        panic!("both wait in Incoming messages");
    };
    let ids = |list: Vec<IncomingMail>| list.into_iter().map(|m| m.id).collect::<Vec<_>>();
    // Olga works both departments, Ivan Customer care, Maria Billing; Ada sees everything.
    for (email, expected) in [
        (OLGA, vec![billing, support]),
        (IVAN, vec![support]),
        (MARIA, vec![billing]),
        (ADA, vec![billing, support]),
    ] {
        let who = server.signed_in(email).await;
        let mut seen = ids(who.get("/api/incoming").await.json());
        seen.sort_unstable();
        let mut expected = expected;
        expected.sort_unstable();
        assert_eq!(seen, expected, "{email}");
    }
    // A member sees nothing of it, nor does someone signed out.
    let anna = server.signed_in(ANNA).await;
    assert_eq!(
        anna.get("/api/incoming").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        server.client().get("/api/incoming").await.status,
        StatusCode::UNAUTHORIZED
    );
    server.stop().await;
}

async fn gateway(backend: Backend) {
    let server = TestServer::start(backend).await;
    let gateway = mail_gateway(&server, "Mail gateway").await;
    let olga = server.signed_in(OLGA).await;
    let mail = || mail_fixture("01_gmail_new.eml", None);

    // Only an administrator (or their token) hands mail in, through a mailbox that exists.
    let operator = hand_in_raw(&olga, "support", mail()).await;
    assert_eq!(operator.status, StatusCode::FORBIDDEN, "{}", operator.body);
    let signed_out = hand_in_raw(&server.client(), "support", mail()).await;
    assert_eq!(signed_out.status, StatusCode::UNAUTHORIZED);
    hand_in_raw(&gateway, "nowhere", mail())
        .await
        .assert_invalid("mailbox");
    let huge = vec![b'a'; 41 * 1024 * 1024];
    assert_eq!(
        hand_in_raw(&gateway, "support", huge).await.status,
        StatusCode::PAYLOAD_TOO_LARGE
    );

    // The pipe command: 0 when taken, 75 (try later) when the desk cannot take it now.
    let secret = common::admin_token(&server, "Mail pipe").await;
    let pipe = move |mailbox: &str, url: &str| {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_switchboard"))
            .args(["ingest-email", "--mailbox", mailbox])
            .env("SWITCHBOARD_URL", url)
            .env("SWITCHBOARD_TOKEN", &secret)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("the binary runs");
        use std::io::Write;
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(&mail_fixture("13_html_only.eml", None))
            .expect("piped");
        child.wait().expect("it ends").code()
    };
    let base = server.base.clone();
    let taken = tokio::task::spawn_blocking(move || {
        (
            pipe("support", &base),
            pipe("nowhere", &base),
            pipe("support", "http://127.0.0.1:9"),
        )
    })
    .await
    .expect("the pipes ran");
    assert_eq!(taken, (Some(0), Some(75), Some(75)));
    // Taken once, into Chloe's tickets.
    let chloe = server.signed_in(CHLOE).await;
    let tickets: Vec<app::protocol::TicketSummary> = chloe.get("/api/tickets").await.json();
    let delivered = tickets
        .iter()
        .filter(|t| t.subject == "Delivery address")
        .count();
    assert_eq!(delivered, 1);
    server.stop().await;
}
