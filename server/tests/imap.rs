//! Mail fetched over IMAP from a real server (Dovecot, filled by OpenSMTPD): an administrator
//! connects a mailbox; mail sent to it appears on the operator's board by itself, and each
//! mail is taken once, however often it is looked at; the password is never shown back, and a
//! wrong one is said on the mailbox. On SQLite and PostgreSQL.

use crate::common;

use std::time::{Duration, Instant};

use app::protocol::{
    AdminAction, AdminState, Event, MailSecurity, MailboxId, TicketSummary, Topic,
};
use common::people::{ADA, OLGA};
use common::relay::{MailServers, fresh_address};
use common::{Backend, Client, DEADLINE, TestServer};
use reqwest::Method;
use server::mail::smtp::{self, Relay};

on_both_backends! {
    mail_sent_to_a_connected_mailbox_reaches_the_board => connected_mailbox;
}

/// The IMAP server the test command starts (Dovecot takes any user with this password).
fn imap_port() -> u16 {
    std::env::var("SWITCHBOARD_TEST_IMAP")
        .expect("SWITCHBOARD_TEST_IMAP beside SWITCHBOARD_TEST_SMTP")
        .rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .expect("host:port")
}

const PASSWORD: &str = "letmein";

async fn admin(ada: &Client, action: &AdminAction) -> AdminState {
    let reply = ada.send(Method::POST, "/api/admin", action).await;
    assert!(reply.status.is_success(), "{}", reply.body);
    reply.json()
}

/// Sends a mail through the relay, as a person's mail program would.
async fn send(servers: &MailServers, from: &str, to: &str, subject: &str, body: &str) {
    let relay = Relay {
        host: servers.smtp.ip().to_string(),
        port: servers.smtp.port(),
        security: smtp::Security::None,
        user: None,
        password: None,
        helo: "example.org".into(),
        step_timeout: Duration::from_secs(10),
    };
    let data = format!(
        "From: <{from}>\r\nTo: <{to}>\r\nSubject: {subject}\r\n\
         Message-ID: <imap.{}@example.org>\r\n\r\n{body}\r\n",
        fastrand::u64(..)
    );
    let sent = smtp::deliver(&relay, from, to, data.as_bytes(), || async { true }).await;
    assert_eq!(sent, Ok(smtp::Delivery::Accepted));
}

fn support(state: &AdminState) -> &app::protocol::Mailbox {
    state
        .mailboxes
        .iter()
        .find(|m| m.name == "support")
        .expect("the demo's support mailbox")
}

async fn connected_mailbox(backend: Backend) {
    let Some(servers) = MailServers::from_env() else {
        return;
    };
    let server = TestServer::start(backend).await;
    let ada = server.signed_in(ADA).await;
    let olga = server.signed_in(OLGA).await;
    let state: AdminState = ada.get("/api/admin").await.json();
    let id: MailboxId = support(&state).id;
    // A mailbox of its own on the IMAP server for this test.
    let inbox = fresh_address("support", "desk.example");
    let connect = |password: &str| AdminAction::ConnectMailbox {
        id,
        host: "127.0.0.1".into(),
        port: imap_port(),
        security: MailSecurity::None,
        user: inbox.clone(),
        password: Some(password.into()),
        folder: None,
    };

    // A wrong password is said on the mailbox, and the password never shown.
    let state = admin(&ada, &connect("wrong-password")).await;
    let raw = serde_json::to_string(&state).expect("JSON");
    assert!(
        !raw.contains("wrong-password"),
        "the password is never shown back"
    );
    let deadline = Instant::now() + DEADLINE * 2;
    let problem = loop {
        let state: AdminState = ada.get("/api/admin").await.json();
        if let Some(problem) = support(&state)
            .imap
            .as_ref()
            .and_then(|i| i.problem.clone())
        {
            break problem;
        }
        assert!(Instant::now() < deadline, "no problem reported");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(problem.contains("refused"), "{problem}");

    // Mail waiting before the mailbox is connected, then mail arriving while it is: both
    // reach the board, each once.
    let early = fresh_address("early", "example.org");
    send(&servers, &early, &inbox, "Waiting before", "Sent before.").await;
    let mut socket = olga.socket().await;
    socket.follow_list(Topic::Board).await;
    let state = admin(&ada, &connect(PASSWORD)).await;
    let imap = support(&state).imap.clone().expect("connected");
    assert_eq!(imap.user, inbox);
    assert!(imap.problem.is_none());
    let late = fresh_address("late", "example.org");
    send(&servers, &late, &inbox, "Arriving after", "Sent after.").await;
    let mut seen: Vec<String> = Vec::new();
    while !(seen.iter().any(|s| s == "Waiting before")
        && seen.iter().any(|s| s == "Arriving after"))
    {
        let (ticket, _) = socket
            .until(|e| match e {
                Event::TicketChanged { ticket } => Some(ticket.clone()),
                _ => None,
            })
            .await;
        if !seen.contains(&ticket.subject) {
            seen.push(ticket.subject);
        }
    }
    // Looked at again and again, each mail is one ticket.
    let state = admin(&ada, &connect(PASSWORD)).await;
    assert!(support(&state).imap.is_some());
    let later = fresh_address("later", "example.org");
    send(&servers, &later, &inbox, "A third one", "Third.").await;
    let deadline = Instant::now() + DEADLINE * 2;
    loop {
        let tickets: Vec<TicketSummary> = olga.get("/api/tickets").await.json();
        let count = |subject: &str| tickets.iter().filter(|t| t.subject == subject).count();
        if count("A third one") == 1 {
            assert_eq!(count("Waiting before"), 1);
            assert_eq!(count("Arriving after"), 1);
            break;
        }
        assert!(Instant::now() < deadline, "the third mail never came");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let state: AdminState = ada.get("/api/admin").await.json();
    let imap = support(&state).imap.clone().expect("connected");
    assert!(
        imap.checked_at.is_some() && imap.problem.is_none(),
        "{imap:?}"
    );

    // Disconnected, it is no longer read and its password is forgotten.
    let state = admin(&ada, &AdminAction::DisconnectMailbox { id }).await;
    assert!(support(&state).imap.is_none());
    // Another person cannot connect a mailbox.
    let refused = olga
        .send(Method::POST, "/api/admin", &connect(PASSWORD))
        .await;
    assert_eq!(refused.status, reqwest::StatusCode::FORBIDDEN);
    server.stop().await;
}
