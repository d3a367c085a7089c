//! Mail out through a real relay (OpenSMTPD, delivering into Dovecot's Maildirs): an
//! operator's answer to a ticket that came by mail reaches its member with the thread's
//! headers and the ticket's tag, and the member's answer by mail threads back; hidden notes
//! never leave; an address the relay refuses, and a bounce that comes back later, show on the
//! ticket for staff only; a desk killed in the middle of sending — before it has written the
//! data, and after the data's end but before the relay's answer — neither loses the mail nor
//! sends it twice; a relay set by an administrator in `/admin` (its password sealed, never
//! shown back) carries the answers of a desk whose settings name none. On SQLite and
//! PostgreSQL.

use crate::common;

use std::sync::Arc;

use app::protocol::{EventKind, MailTaken, TicketId};
use common::node::Node;
use common::people::{ADA, ANNA, OLGA};
use common::relay::{CutIn, Hold, MailServers, fresh_address};
use common::{
    Backend, Client, Options, TestDb, TestServer, hand_in_raw, mail_gateway, message_bodies, note,
    said, token_of,
};
use mail_parser::MessageParser;

on_both_backends! {
    answers_go_out_by_mail_and_come_back_threaded => answers_by_mail;
    refusals_and_bounces_show_on_the_ticket => refusals_and_bounces;
    a_desk_killed_mid_send_sends_each_mail_once => killed_mid_send;
    chat_answers_reach_a_member_as_one_digest_when_away => digests;
    a_relay_set_in_admin_carries_the_answers => relay_set_in_admin;
}

/// A member's first mail to the support mailbox, from `from`.
fn first_mail(from: &str, subject: &str, body: &str) -> Vec<u8> {
    format!(
        "From: Test Member <{from}>\r\nTo: support@desk.example\r\nSubject: {subject}\r\n\
         Message-ID: <first.{}@example.org>\r\nDate: Mon, 30 Nov 2026 10:00:00 +0000\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n",
        fastrand::u64(..)
    )
    .into_bytes()
}

async fn desk_with_relay(backend: Backend, relay: std::net::SocketAddr) -> TestServer {
    let options = Options {
        smtp: Some(MailServers::settings(relay)),
        ..Options::default()
    };
    TestServer::start_with(Arc::new(TestDb::new(backend).await), options).await
}

/// A new ticket made of `from`'s first mail; its id.
async fn mailed_ticket(gateway: &Client, from: &str, subject: &str) -> TicketId {
    let taken = hand_in_raw(
        gateway,
        "support",
        first_mail(from, subject, "Help, please."),
    )
    .await
    .json::<MailTaken>();
    match taken {
        MailTaken::Ticket { ticket_id, .. } => ticket_id,
        other => panic!("expected a new ticket, got {other:?}"),
    }
}

fn header<'a>(mail: &'a mail_parser::Message<'a>, name: &'a str) -> Option<&'a str> {
    mail.header_raw(name).map(str::trim)
}

async fn answers_by_mail(backend: Backend) {
    let Some(servers) = MailServers::from_env() else {
        return;
    };
    let server = desk_with_relay(backend, servers.smtp).await;
    let gateway = mail_gateway(&server, "gateway").await;
    let olga = server.signed_in(OLGA).await;
    let member = fresh_address("anna", "example.org");
    let ticket = mailed_ticket(&gateway, &member, "Не проходит оплата").await;

    // A hidden note, then the answer: one mail, with the answer and never the note.
    let noted = olga
        .message(ticket, &note("SECRET-NOTE: refund approved internally"))
        .await;
    assert!(noted.status.is_success(), "{}", noted.body);
    let answered = olga
        .message(
            ticket,
            &said("Здравствуйте! Платёж прошёл, проверьте ещё раз."),
        )
        .await;
    assert!(answered.status.is_success(), "{}", answered.body);
    let mails = servers.wait_for_mails(&member, 1).await;
    let raw = &mails[0];
    let mail = MessageParser::default().parse(raw).expect("a mail");
    let subject = mail.subject().expect("a subject");
    assert_eq!(subject, format!("Re: Не проходит оплата [#{}]", ticket.0));
    assert_eq!(
        mail.from()
            .and_then(|f| f.first())
            .and_then(|a| a.address()),
        Some("support@desk.example"),
        "from the mailbox the ticket came through"
    );
    let text = mail.body_text(0).expect("a text part");
    assert!(text.contains("Платёж прошёл"), "{text}");
    assert!(
        mail.body_html(0)
            .is_some_and(|h| h.contains("Платёж прошёл"))
    );
    let first_id = header(&mail, "In-Reply-To")
        .expect("In-Reply-To")
        .to_owned();
    assert!(
        first_id.starts_with("<first."),
        "answers the member's mail: {first_id}"
    );
    assert!(header(&mail, "References").is_some_and(|r| r.contains(&first_id)));
    assert!(
        header(&mail, "Auto-Submitted").is_none(),
        "a person's answer"
    );
    let ours = mail.message_id().expect("a Message-ID").to_owned();
    assert!(
        !String::from_utf8_lossy(raw).contains("SECRET-NOTE"),
        "a hidden note never leaves"
    );

    // The member answers by mail under another subject: it threads by In-Reply-To.
    let answer = format!(
        "From: <{member}>\r\nTo: support@desk.example\r\nSubject: still broken\r\n\
         Message-ID: <second.{}@example.org>\r\nIn-Reply-To: <{ours}>\r\n\r\nStill broken.\r\n",
        fastrand::u64(..)
    );
    match hand_in_raw(&gateway, "support", answer.into_bytes())
        .await
        .json::<MailTaken>()
    {
        MailTaken::Ticket {
            ticket_id,
            new_ticket,
            ..
        } => {
            assert_eq!(ticket_id, ticket);
            assert!(!new_ticket);
        }
        other => panic!("expected the same ticket, got {other:?}"),
    }
    let detail = olga.detail(ticket).await;
    assert!(message_bodies(&detail).contains(&"Still broken."));

    // Olga answers again: it answers the member's newest mail, and nothing else went out.
    olga.message(ticket, &said("Fixed now.")).await;
    let mails = servers.wait_for_mails(&member, 2).await;
    let second = MessageParser::default().parse(&mails[1]).expect("a mail");
    assert!(
        header(&second, "In-Reply-To").is_some_and(|r| r.starts_with("<second.")),
        "answers the newest mail"
    );
    assert!(header(&second, "References").is_some_and(|r| r.contains(&ours)));
    assert!(
        mails
            .iter()
            .all(|m| !String::from_utf8_lossy(m).contains("SECRET-NOTE"))
    );
    server.stop().await;
}

/// The "not delivered" events of `ticket` that `who` sees.
async fn undelivered(who: &Client, ticket: TicketId) -> Vec<(String, String)> {
    who.detail(ticket)
        .await
        .events
        .into_iter()
        .filter_map(|e| match e.kind {
            EventKind::Undelivered { to, reason, .. } => Some((to, reason)),
            _ => None,
        })
        .collect()
}

async fn wait_undelivered(who: &Client, ticket: TicketId) -> Vec<(String, String)> {
    let deadline = std::time::Instant::now() + common::DEADLINE * 2;
    loop {
        let found = undelivered(who, ticket).await;
        if !found.is_empty() || std::time::Instant::now() > deadline {
            return found;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

async fn refusals_and_bounces(backend: Backend) {
    let Some(servers) = MailServers::from_env() else {
        return;
    };
    let server = desk_with_relay(backend, servers.smtp).await;
    let gateway = mail_gateway(&server, "gateway").await;
    let olga = server.signed_in(OLGA).await;

    // The relay refuses the address at once.
    let refused = fresh_address("ghost", "nowhere.example");
    let ticket = mailed_ticket(&gateway, &refused, "Refused").await;
    olga.message(ticket, &said("An answer nobody gets.")).await;
    let shown = wait_undelivered(&olga, ticket).await;
    assert_eq!(shown.len(), 1, "{shown:?}");
    assert_eq!(shown[0].0, refused);
    assert!(
        shown[0].1.contains("550"),
        "the relay's words: {}",
        shown[0].1
    );

    // The relay takes it, then bounces it: the report comes back to the bounce address and,
    // handed in like any mail, is matched to the answer it is about.
    let gone = fresh_address("ghost", "gone.example");
    let ticket = mailed_ticket(&gateway, &gone, "Bounced").await;
    olga.message(ticket, &said("An answer that bounces.")).await;
    let report = servers
        .wait_for_mail_naming("bounces@desk.example", &gone)
        .await;
    match hand_in_raw(&gateway, "support", report)
        .await
        .json::<MailTaken>()
    {
        MailTaken::Bounce { ticket_id, .. } => assert_eq!(ticket_id, ticket),
        other => panic!("expected the bounce matched, got {other:?}"),
    }
    let shown = undelivered(&olga, ticket).await;
    assert_eq!(shown.len(), 1, "{shown:?}");
    assert_eq!(shown[0].0, gone);
    server.stop().await;
}

/// An API token of the demo administrator on the desk at `addr`: its mail gateway.
async fn gateway_at(addr: std::net::SocketAddr) -> Client {
    let ada = Client::for_addr(addr);
    ada.login(ADA).await;
    Client::for_addr(addr).bearer(&token_of(&ada, "gateway").await)
}

/// Kills the desk (SIGKILL) while the cut-in holds `what` of an answer's mail, starts it
/// again on the same database, and checks the member got that mail exactly once.
async fn kill_while_holding(backend: Backend, servers: &MailServers, what: Hold) {
    let cut_in = CutIn::start(servers.smtp).await;
    let db = TestDb::new(backend).await;
    let port = cut_in.addr.port().to_string();
    let env = [
        ("SWITCHBOARD_SMTP__HOST", "127.0.0.1"),
        ("SWITCHBOARD_SMTP__PORT", port.as_str()),
        ("SWITCHBOARD_SMTP__SECURITY", "none"),
        ("SWITCHBOARD_SMTP__FROM", "desk@desk.example"),
        ("SWITCHBOARD_SMTP__LEASE_SECS", "2"),
        ("SWITCHBOARD_SMTP__STEP_TIMEOUT_SECS", "30"),
    ];
    let mut node = Node::new(&db.url, &env);
    node.start(true).await;
    let gateway = gateway_at(node.addr).await;
    let olga = Client::for_addr(node.addr);
    olga.login(OLGA).await;
    let member = fresh_address("kill", "example.org");
    let ticket = mailed_ticket(&gateway, &member, &format!("Killed {what:?}")).await;
    cut_in.hold(what);
    let holding = cut_in.holding.notified();
    olga.message(ticket, &said("The answer that must arrive once."))
        .await;
    tokio::time::timeout(common::DEADLINE, holding)
        .await
        .expect("the mail reached the point held");
    node.kill();
    cut_in.hold(Hold::Nothing);

    // Started again: once the killed node's lease has run out, the mail is sent again if the
    // relay never had it, and counted sent if it did.
    node.start(false).await;
    let mails = servers.wait_for_mails(&member, 1).await;
    assert_eq!(mails.len(), 1);
    // A later answer is queued once the lease (2 s) is over and the first mail settled; it
    // goes after it, so once it is in, no copy of the first can still be on its way.
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    let olga = Client::for_addr(node.addr);
    olga.login(OLGA).await;
    olga.message(ticket, &said("A later answer.")).await;
    let mails = servers.wait_for_mails(&member, 2).await;
    let ids: Vec<String> = mails
        .iter()
        .map(|m| {
            MessageParser::default()
                .parse(m)
                .and_then(|m| m.message_id().map(str::to_owned))
                .expect("an id")
        })
        .collect();
    assert_eq!(ids.len(), 2, "{what:?}: each answer exactly once: {ids:?}");
    assert_ne!(ids[0], ids[1]);
}

async fn killed_mid_send(backend: Backend) {
    let Some(servers) = MailServers::from_env() else {
        return;
    };
    kill_while_holding(backend, &servers, Hold::GoAhead).await;
    kill_while_holding(backend, &servers, Hold::Answer).await;
}

/// The text of a mail's plain part.
fn text_of(raw: &[u8]) -> String {
    MessageParser::default()
        .parse(raw)
        .and_then(|m| m.body_text(0).map(|t| t.into_owned()))
        .unwrap_or_default()
}

async fn digests(backend: Backend) {
    let Some(servers) = MailServers::from_env() else {
        return;
    };
    let server = desk_with_relay(backend, servers.smtp).await;
    let olga = server.signed_in(OLGA).await;
    let anna = server.signed_in(ANNA).await;
    let care = anna.department("Customer care").await;
    let token = format!("digest{}", fastrand::u64(..));
    let ticket = anna
        .start_ticket(care, &format!("Parcel {token}"), "Where is my parcel?")
        .await;

    // A burst of answers (and a note) while Anna is away: one mail, all the answers, no note.
    for line in [
        "Hello Anna,",
        "we are checking with the courier.",
        "It left today.",
    ] {
        olga.message(ticket, &said(line)).await;
    }
    olga.message(ticket, &note("SECRET-NOTE: courier is late again"))
        .await;
    let first = servers.wait_for_mail_naming(ANNA, &token).await;
    let text = text_of(&first);
    for line in [
        "Hello Anna,",
        "we are checking with the courier.",
        "It left today.",
    ] {
        assert!(text.contains(line), "{text}");
    }
    assert!(text.contains("Olga Petrova:"), "{text}");
    assert!(!String::from_utf8_lossy(&first).contains("SECRET-NOTE"));
    assert!(String::from_utf8_lossy(&first).contains("Auto-Submitted: auto-generated"));

    // An answer she reads in the widget before the wait is over is not mailed.
    olga.message(ticket, &said("Read me here.")).await;
    let detail = anna.detail(ticket).await;
    let read = anna
        .post(
            &format!("/api/tickets/{}/read", ticket.0),
            &app::protocol::MarkReadRequest {
                seq: detail.ticket.last_seq,
            },
        )
        .await;
    assert!(read.status.is_success(), "{}", read.body);
    // Once she asks for no mail, none comes either.
    let never = anna
        .send(
            reqwest::Method::PUT,
            "/api/me/preferences",
            &app::protocol::Preferences {
                mail_replies: Some(app::protocol::MailReplies::Never),
                ..Default::default()
            },
        )
        .await;
    assert!(never.status.is_success(), "{}", never.body);
    olga.message(ticket, &said("Not by mail.")).await;
    // A digest waits 2 s: twice that, and nothing more has come.
    tokio::time::sleep(std::time::Duration::from_secs(4)).await;
    let mails = servers.mails_naming(ANNA, &token);
    assert_eq!(mails.len(), 1, "only the first digest");
    server.stop().await;
}

/// Changes the configuration as `who`, over HTTP.
async fn administer(who: &Client, action: &app::protocol::AdminAction) -> common::Reply {
    who.send(reqwest::Method::POST, "/api/admin", action).await
}

async fn relay_set_in_admin(backend: Backend) {
    use app::protocol::{AdminAction, AdminState, Command, ErrorCode, Event, MailSecurity};
    let Some(servers) = MailServers::from_env() else {
        return;
    };
    // No relay in the settings: no mail leaves until an administrator sets one.
    let server = TestServer::start(backend).await;
    let gateway = mail_gateway(&server, "gateway").await;
    let ada = server.signed_in(ADA).await;
    let olga = server.signed_in(OLGA).await;
    let state: AdminState = ada.get("/api/admin").await.json();
    assert_eq!((state.relay, state.settings_relay), (None, None));
    let set = |user: Option<&str>, password: Option<&str>| AdminAction::SetRelay {
        host: servers.smtp.ip().to_string(),
        port: servers.smtp.port(),
        security: MailSecurity::None,
        user: user.map(str::to_owned),
        password: password.map(str::to_owned),
        from: "desk@desk.example".into(),
        bounces_to: Some("bounces@desk.example".into()),
    };

    // Only an administrator sets it, over HTTP as over the socket.
    let refused = administer(&olga, &set(None, None)).await;
    assert_eq!(refused.status, reqwest::StatusCode::FORBIDDEN);
    let mut socket = olga.socket().await;
    let refused = socket
        .answered(
            |command_id| Command::Admin {
                command_id,
                action: Some(set(None, None)),
            },
            |id, e| match e {
                Event::AdminState { command_id, state } if *command_id == id => Some(state.clone()),
                _ => None,
            },
        )
        .await;
    assert_eq!(refused.err(), Some(ErrorCode::Forbidden));

    // A password is sealed and never shown back; saving again without it keeps it; a new
    // user needs their own.
    let reply = administer(&ada, &set(Some("desk"), Some("relay-password-1"))).await;
    assert_eq!(reply.status, reqwest::StatusCode::OK, "{}", reply.body);
    assert!(!reply.body.to_string().contains("relay-password-1"));
    let state: AdminState = reply.json();
    let relay = state.relay.expect("the relay set");
    assert_eq!(
        (relay.user.as_deref(), relay.has_password),
        (Some("desk"), true)
    );
    let kept: AdminState = administer(&ada, &set(Some("desk"), None)).await.json();
    assert!(kept.relay.is_some_and(|r| r.has_password));
    administer(&ada, &set(Some("someone-else"), None))
        .await
        .assert_invalid("password");
    let mut wrong = set(None, None);
    if let AdminAction::SetRelay { from, .. } = &mut wrong {
        *from = "not an address".into();
    }
    let reply = administer(&ada, &wrong).await;
    assert_eq!(reply.status, reqwest::StatusCode::UNPROCESSABLE_ENTITY);

    // Set without signing in (the test relay takes mail from loopback): answers go out.
    let state: AdminState = administer(&ada, &set(None, None)).await.json();
    let relay = state.relay.expect("the relay set");
    assert_eq!((relay.user, relay.has_password), (None, false));
    let member = fresh_address("relayed", "example.org");
    let ticket = mailed_ticket(&gateway, &member, "Through the relay set in admin").await;
    let answered = olga
        .message(ticket, &said("Sent through the new relay."))
        .await;
    assert!(answered.status.is_success(), "{}", answered.body);
    let mails = servers.wait_for_mails(&member, 1).await;
    let mail = MessageParser::default().parse(&mails[0]).expect("a mail");
    assert!(
        mail.body_text(0)
            .is_some_and(|t| t.contains("Sent through the new relay."))
    );

    // Forgotten: the page says no mail leaves.
    let state: AdminState = administer(&ada, &AdminAction::RemoveRelay).await.json();
    assert_eq!(state.relay, None);
    server.stop().await;
}
