//! Nobody answers stale: an operator's answer, transfer, assignment, split or change of
//! parameters says the last event it was decided on; if a message the member can read (or,
//! for parameters, someone else's change) arrived since, it is refused with `stale` listing
//! what is new, nothing is done, and the same action with the newer `seen` goes through —
//! over HTTP and the socket, on SQLite and PostgreSQL.

use crate::common;

use app::protocol::{
    AssignRequest, Command, ErrorBody, ErrorCode, Event, EventKind, OptionKind, ParametersRequest,
    Seq, SplitRequest, TicketId, TransferRequest,
};
use common::people::{ANNA, IVAN, OLGA};
use common::{Backend, Client, TestServer, message_bodies, new_msg_id, note, said};
use reqwest::{Method, StatusCode};

on_both_backends! {
    an_answer_over_unseen_messages_is_refused_with_them_and_goes_through_when_sent_again => answers;
    moving_a_ticket_over_unseen_messages_is_refused_on_the_socket_too => moves;
    parameters_someone_else_changed_are_never_overwritten_unseen => parameters;
}

/// The last event of `ticket` as `who` (staff) sees it.
async fn last_seq(who: &Client, ticket: TicketId) -> Seq {
    let detail = who.detail(ticket).await;
    detail.events.last().expect("a ticket has events").seq
}

/// The bodies of a stale refusal's news.
fn news_bodies(news: &[app::protocol::TicketEvent]) -> Vec<&str> {
    news.iter()
        .filter_map(|e| match &e.kind {
            EventKind::Message { body, .. } => Some(body.as_str()),
            _ => None,
        })
        .collect()
}

async fn answers(backend: Backend) {
    let server = TestServer::start(backend).await;
    let anna = server.signed_in(ANNA).await;
    let olga = server.signed_in(OLGA).await;
    let care = anna.department("Customer care").await;
    let ticket = anna.start_ticket(care, "card", "My card is blocked").await;
    let began = last_seq(&olga, ticket).await;

    // While Olga writes, Anna adds two messages.
    anna.say(ticket, "It says 'blocked by bank'").await;
    anna.say(ticket, "Oh, and I moved house").await;
    let answer = app::protocol::NewMessageRequest {
        seen: Some(began),
        ..said("Unblocked it, all good.")
    };
    let refused = olga.message(ticket, &answer).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
    let body: ErrorBody = refused.json();
    assert_eq!(body.code, ErrorCode::Stale);
    assert_eq!(
        news_bodies(&body.news),
        ["It says 'blocked by bank'", "Oh, and I moved house"]
    );
    assert!(
        body.message.starts_with("2 new messages arrived"),
        "{}",
        body.message
    );
    // Nothing was sent, and the ticket was not taken by the refused answer.
    let seen_by_anna = anna.detail(ticket).await;
    assert!(!message_bodies(&seen_by_anna).contains(&"Unblocked it, all good."));
    assert!(seen_by_anna.ticket.assignee.is_none());

    // In Russian, with the right plural.
    let russian = olga
        .http
        .post(format!("{}/api/tickets/{ticket}/messages", olga.base))
        .header("accept-language", "ru")
        .json(&answer)
        .send()
        .await
        .expect("an answer");
    let russian: ErrorBody = russian.json().await.expect("a body");
    assert!(
        russian.message.contains("2 новых сообщения"),
        "{}",
        russian.message
    );

    // A hidden note is no answer: it is never stale.
    let aside = app::protocol::NewMessageRequest {
        seen: Some(began),
        ..note("She moved, check the address")
    };
    let noted = olga.message(ticket, &aside).await;
    assert!(noted.status.is_success(), "{}", noted.body);

    // Pressed again having read them: the same answer (same client id) goes through once.
    let now_seen = last_seq(&olga, ticket).await;
    let again = app::protocol::NewMessageRequest {
        seen: Some(now_seen),
        ..answer.clone()
    };
    let sent = olga.message(ticket, &again).await;
    assert!(sent.status.is_success(), "{}", sent.body);
    let seen_by_anna = anna.detail(ticket).await;
    let answers = message_bodies(&seen_by_anna)
        .into_iter()
        .filter(|b| *b == "Unblocked it, all good.")
        .count();
    assert_eq!(answers, 1);

    // Her own words never make her stale; without `seen` (a script) nothing is checked.
    let own = app::protocol::NewMessageRequest {
        seen: Some(now_seen),
        ..said("Anything else?")
    };
    assert!(olga.message(ticket, &own).await.status.is_success());
    anna.say(ticket, "No, thanks!").await;
    assert!(
        olga.message(ticket, &said("Bye!"))
            .await
            .status
            .is_success()
    );

    // Over the socket: the refusal is an error event with the news; the socket stays.
    anna.say(ticket, "Wait, one more thing").await;
    let mut socket = olga.socket().await;
    let id = new_msg_id();
    let send = |command_id, seen| Command::SendMessage {
        command_id,
        ticket_id: ticket,
        client_msg_id: id.clone(),
        body: "Sure, go on.".into(),
        hidden: false,
        close: true,
        attachments: Vec::new(),
        seen: Some(seen),
    };
    let command_id = socket.command_id();
    match socket.command(send(command_id, now_seen)).await {
        Err(Event::Error { code, news, .. }) => {
            assert_eq!(code, ErrorCode::Stale);
            assert_eq!(news_bodies(&news), ["No, thanks!", "Wait, one more thing"]);
        }
        other => panic!("expected stale, got {other:?}"),
    }
    let latest = last_seq(&olga, ticket).await;
    let command_id = socket.command_id();
    socket
        .command(send(command_id, latest))
        .await
        .expect("sent once the news is on screen");
    let closed = anna.detail(ticket).await;
    assert_eq!(closed.ticket.status, app::protocol::TicketStatus::Closed);
    server.stop().await;
}

async fn moves(backend: Backend) {
    let server = TestServer::start(backend).await;
    let anna = server.signed_in(ANNA).await;
    let olga = server.signed_in(OLGA).await;
    let ivan = server.signed_in(IVAN).await;
    let care = anna.department("Customer care").await;
    let billing = olga.department("Billing").await;
    let ticket = anna.start_ticket(care, "refund", "I want a refund").await;
    let took = olga.act(&format!("/api/tickets/{ticket}/take")).await;
    assert_eq!(took.status, StatusCode::OK, "{}", took.body);
    anna.say(ticket, "And a second question").await;
    let began = last_seq(&olga, ticket).await;
    anna.say(ticket, "Actually, it's about my card").await;
    let ivan_id = olga.staff_id("Ivan Sokolov").await;

    // Over HTTP: transfer, assignment and split decided before her message are refused.
    let transfer = olga
        .post(
            &format!("/api/tickets/{ticket}/transfer"),
            &TransferRequest {
                department_id: billing,
                seen: Some(began),
            },
        )
        .await;
    assert_eq!(transfer.status, StatusCode::CONFLICT, "{}", transfer.body);
    assert_eq!(transfer.code(), "stale");
    let assign = olga
        .post(
            &format!("/api/tickets/{ticket}/assign"),
            &AssignRequest {
                user_id: ivan_id,
                seen: Some(began),
            },
        )
        .await;
    assert_eq!(assign.code(), "stale", "{}", assign.body);
    let split = olga
        .post(
            &format!("/api/tickets/{ticket}/split"),
            &SplitRequest {
                seq: began,
                seen: Some(began),
            },
        )
        .await;
    assert_eq!(split.code(), "stale", "{}", split.body);
    let detail = olga.detail(ticket).await;
    assert_eq!(detail.ticket.department.id, care);
    let olga_id = olga.get("/api/me").await.json::<app::protocol::Me>().id;
    assert_eq!(detail.ticket.assignee.map(|p| p.id), Some(olga_id));

    // Over the socket the same, and with what she has now seen it goes through.
    let mut socket = olga.socket().await;
    let refused = socket
        .refused(|command_id| Command::Assign {
            command_id,
            ticket_id: ticket,
            user_id: ivan_id,
            seen: Some(began),
        })
        .await;
    assert_eq!(refused, ErrorCode::Stale);
    let refused = socket
        .refused(|command_id| Command::Transfer {
            command_id,
            ticket_id: ticket,
            department_id: billing,
            seen: Some(began),
        })
        .await;
    assert_eq!(refused, ErrorCode::Stale);
    let latest = last_seq(&olga, ticket).await;
    let command_id = socket.command_id();
    socket
        .command(Command::Assign {
            command_id,
            ticket_id: ticket,
            user_id: ivan_id,
            seen: Some(latest),
        })
        .await
        .expect("assigned once seen");
    let detail = ivan.detail(ticket).await;
    assert_eq!(detail.ticket.assignee.map(|p| p.id), Some(ivan_id));
    server.stop().await;
}

async fn parameters(backend: Backend) {
    let server = TestServer::start(backend).await;
    let anna = server.signed_in(ANNA).await;
    let olga = server.signed_in(OLGA).await;
    let ivan = server.signed_in(IVAN).await;
    let care = anna.department("Customer care").await;
    let ticket = anna.start_ticket(care, "card", "My card is blocked").await;
    let me: app::protocol::Me = olga.get("/api/me").await.json();
    let option = |label: &str| {
        me.options
            .iter()
            .find(|o| o.kind == OptionKind::Criticality && o.label == label)
            .map(|o| o.id)
    };
    let put = |who: &Client, params: ParametersRequest| {
        let who = who.clone();
        async move {
            who.send(
                Method::PUT,
                &format!("/api/tickets/{ticket}/parameters"),
                &params,
            )
            .await
        }
    };

    // Olga opens the parameters; meanwhile Ivan sets the criticality to High.
    let began = last_seq(&olga, ticket).await;
    let ivans = put(
        &ivan,
        ParametersRequest {
            subject: "card".into(),
            criticality_id: option("High"),
            seen: Some(began),
            ..ParametersRequest::default()
        },
    )
    .await;
    assert!(ivans.status.is_success(), "{}", ivans.body);

    // Her save, decided on the old values, would wipe his: refused, his change kept.
    let hers = ParametersRequest {
        subject: "Card blocked abroad".into(),
        criticality_id: None,
        seen: Some(began),
        ..ParametersRequest::default()
    };
    let refused = put(&olga, hers.clone()).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
    let body: ErrorBody = refused.json();
    assert_eq!(body.code, ErrorCode::Stale);
    assert!(
        body.news
            .iter()
            .any(|e| matches!(e.kind, EventKind::ParametersChanged { .. }))
    );
    let detail = olga.detail(ticket).await;
    assert_eq!(detail.ticket.subject, "card");
    assert_eq!(
        detail
            .ticket
            .params
            .get(OptionKind::Criticality)
            .map(|o| o.id),
        option("High")
    );

    // Having seen it, she saves again on purpose.
    let now_seen = last_seq(&olga, ticket).await;
    let saved = put(
        &olga,
        ParametersRequest {
            seen: Some(now_seen),
            ..hers
        },
    )
    .await;
    assert!(saved.status.is_success(), "{}", saved.body);
    let detail = anna.detail(ticket).await;
    assert_eq!(detail.ticket.subject, "Card blocked abroad");
    server.stop().await;
}
