//! Ticket parameters (subject, status, criticality, category, related service) and the
//! filtered board, over HTTP and WebSocket, on SQLite and PostgreSQL.

use crate::common;

use app::protocol::{
    BoardState, Command, ErrorCode, Event, EventKind, Me, OptionId, OptionKind, ParametersRequest,
    TicketFilter, TicketStatus, TicketSummary, Topic,
};
use common::people::{ANNA, IVAN, MARIA, OLGA};
use common::{Backend, Client, TestServer};
use reqwest::{Method, StatusCode};
use serde_json::json;

on_both_backends! {
    saving_parameters_changes_the_ticket_and_tells_staff_only => saving;
    only_the_holder_saves_parameters_and_values_are_checked => refusals;
    the_board_filters_by_state_department_member_and_parameters => filters;
}

/// The id of the option `label` of `kind`, as the desk offers it to staff.
async fn option(client: &Client, kind: OptionKind, label: &str) -> OptionId {
    let me: Me = client.get("/api/me").await.json();
    me.options
        .iter()
        .find(|o| o.kind == kind && o.label == label)
        .unwrap_or_else(|| panic!("no {label} in {:?}", me.options))
        .id
}

async fn put_parameters(
    client: &Client,
    ticket: app::protocol::TicketId,
    params: &impl serde::Serialize,
) -> common::Reply {
    client
        .send(
            Method::PUT,
            &format!("/api/tickets/{ticket}/parameters"),
            params,
        )
        .await
}

async fn saving(backend: Backend) {
    let server = TestServer::start(backend).await;
    let anna = server.signed_in(ANNA).await;
    let olga = server.signed_in(OLGA).await;
    let ivan = server.signed_in(IVAN).await;
    let care = anna.department("Customer care").await;
    let ticket = anna.start_ticket(care, "card", "My card is blocked").await;
    let taken = olga.act(&format!("/api/tickets/{ticket}/take")).await;
    assert_eq!(taken.status, StatusCode::OK, "{}", taken.body);

    let mut board = ivan.socket().await;
    board.follow_list(Topic::Board).await;
    let mut widget = anna.socket().await;
    widget.follow_ticket(ticket, None).await;

    let high = option(&olga, OptionKind::Criticality, "High").await;
    let progress = option(&olga, OptionKind::Status, "In progress").await;
    let payments = option(&olga, OptionKind::Service, "Payments").await;
    let blocked = ParametersRequest {
        seen: None,
        subject: "Card blocked after a payment".into(),
        status_id: Some(progress),
        criticality_id: Some(high),
        service_id: Some(payments),
        category_id: None,
    };
    let done = put_parameters(&olga, ticket, &blocked).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);

    // Another operator's board shows the new subject and parameters live.
    let (changed, _) = board
        .until(|e| match e {
            Event::TicketChanged { ticket: t }
                if t.id == ticket && t.params.criticality.is_some() =>
            {
                Some(t.clone())
            }
            _ => None,
        })
        .await;
    assert_eq!(changed.subject, "Card blocked after a payment");
    assert_eq!(
        changed.params.criticality.map(|o| o.label).as_deref(),
        Some("High")
    );
    assert_eq!(
        changed.params.status.map(|o| o.label).as_deref(),
        Some("In progress")
    );
    assert_eq!(
        changed.params.service.map(|o| o.label).as_deref(),
        Some("Payments")
    );
    assert_eq!(changed.status, TicketStatus::Open);

    // Staff read the change in the history, by label, from and to.
    let detail = olga.detail(ticket).await;
    let changes = detail
        .events
        .iter()
        .find_map(|e| match &e.kind {
            EventKind::ParametersChanged { changes } => Some(changes.clone()),
            _ => None,
        })
        .expect("a parameters event");
    let subject = changes
        .iter()
        .find(|c| c.field == "subject")
        .expect("the subject");
    assert_eq!(
        (subject.from.as_deref(), subject.to.as_deref()),
        (Some("card"), Some("Card blocked after a payment"))
    );
    assert!(
        changes
            .iter()
            .any(|c| c.field == "criticality" && c.to.as_deref() == Some("High"))
    );

    // The member sees the new subject, not the internal parameters nor their history.
    let seen = anna.detail(ticket).await;
    assert_eq!(seen.ticket.subject, "Card blocked after a payment");
    assert_eq!(seen.ticket.params, Default::default());
    assert!(
        !seen
            .events
            .iter()
            .any(|e| matches!(e.kind, EventKind::ParametersChanged { .. }))
    );
    assert!(!widget.drain().await.iter().any(|e| matches!(
        e,
        Event::TicketEvent { event } if matches!(event.kind, EventKind::ParametersChanged { .. })
    )));

    // Saving the same values again changes nothing.
    let again = put_parameters(&olga, ticket, &blocked).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.body["duplicate"], true);

    // A status on the closed side closes the ticket: the member is told, over the socket.
    let resolved = option(&olga, OptionKind::Status, "Resolved").await;
    let mut olga_socket = olga.socket().await;
    let command_id = olga_socket.command_id();
    olga_socket
        .command(Command::SaveParameters {
            command_id,
            ticket_id: ticket,
            params: ParametersRequest {
                seen: None,
                subject: "Card blocked after a payment".into(),
                status_id: Some(resolved),
                criticality_id: Some(high),
                category_id: None,
                service_id: Some(payments),
            },
        })
        .await
        .expect("saved over the socket");
    widget
        .until(|e| match e {
            Event::TicketEvent { event } if event.kind == EventKind::Closed => Some(()),
            _ => None,
        })
        .await;
    let list: Vec<TicketSummary> = anna.get("/api/tickets").await.json();
    let mine = list.iter().find(|t| t.id == ticket).expect("her ticket");
    assert_eq!(mine.status, TicketStatus::Closed);

    // The member writes again: reopened, and the closed-side status no longer applies.
    let reply = anna.say(ticket, "Still blocked!").await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let detail = olga.detail(ticket).await;
    assert_eq!(detail.ticket.status, TicketStatus::Open);
    assert_eq!(detail.ticket.params.status, None);
    assert_eq!(
        detail.ticket.params.criticality.map(|o| o.label).as_deref(),
        Some("High")
    );
    server.stop().await;
}

async fn refusals(backend: Backend) {
    let server = TestServer::start(backend).await;
    let anna = server.signed_in(ANNA).await;
    let olga = server.signed_in(OLGA).await;
    let ivan = server.signed_in(IVAN).await;
    let maria = server.signed_in(MARIA).await;
    let care = anna.department("Customer care").await;
    let ticket = anna.start_ticket(care, "refusals", "hello").await;
    let taken = olga.act(&format!("/api/tickets/{ticket}/take")).await;
    assert_eq!(taken.status, StatusCode::OK);
    let high = option(&olga, OptionKind::Criticality, "High").await;
    let problem = option(&olga, OptionKind::Category, "Problem").await;
    let params = ParametersRequest {
        subject: "changed".into(),
        criticality_id: Some(high),
        ..ParametersRequest::default()
    };

    // Someone else holds it: locked, naming the holder. A member may not; an operator of
    // another department does not even see the ticket. Over HTTP and the socket alike.
    let reply = put_parameters(&ivan, ticket, &params).await;
    assert!(
        reply.body["message"]
            .as_str()
            .unwrap_or("")
            .contains("Olga"),
        "{}",
        reply.body
    );
    for (who, status, code) in [
        (&ivan, StatusCode::CONFLICT, ErrorCode::Locked),
        (&anna, StatusCode::FORBIDDEN, ErrorCode::Forbidden),
        (&maria, StatusCode::NOT_FOUND, ErrorCode::NotFound),
    ] {
        let reply = put_parameters(who, ticket, &params).await;
        assert_eq!(reply.status, status, "{}", reply.body);
        let mut socket = who.socket().await;
        let command_id = socket.command_id();
        let refused = socket
            .command(Command::SaveParameters {
                command_id,
                ticket_id: ticket,
                params: params.clone(),
            })
            .await;
        assert!(
            matches!(refused, Err(Event::Error { code: c, .. }) if c == code),
            "{refused:?}"
        );
    }

    // Values are checked: an option of another kind, an unknown one, an empty subject, a wrong type.
    let subject = |subject: &str| ParametersRequest {
        subject: subject.into(),
        ..ParametersRequest::default()
    };
    for (params, field) in [
        (
            ParametersRequest {
                criticality_id: Some(problem),
                ..subject("x")
            },
            "criticality",
        ),
        (
            ParametersRequest {
                service_id: Some(OptionId(999_999)),
                ..subject("x")
            },
            "service",
        ),
        (subject("   "), "subject"),
    ] {
        let reply = put_parameters(&olga, ticket, &params).await;
        reply.assert_invalid(field);
    }
    let reply = put_parameters(&olga, ticket, &json!({"subject": "x", "status_id": "high"})).await;
    assert_eq!(reply.status.as_u16() / 100, 4, "{}", reply.body);
    // Nothing of the refused requests was stored.
    let detail = olga.detail(ticket).await;
    assert_eq!(detail.ticket.subject, "refusals");
    assert_eq!(detail.ticket.params, Default::default());
    server.stop().await;
}

async fn filters(backend: Backend) {
    let server = TestServer::start(backend).await;
    let anna = server.signed_in(ANNA).await;
    let olga = server.signed_in(OLGA).await;
    let maria = server.signed_in(MARIA).await;
    let care = anna.department("Customer care").await;
    let urgent = anna.start_ticket(care, "urgent one", "help").await;
    let calm = anna.start_ticket(care, "calm one", "whenever").await;
    let critical = option(&olga, OptionKind::Criticality, "Critical").await;
    let done = put_parameters(
        &olga,
        urgent,
        &ParametersRequest {
            subject: "urgent one".into(),
            criticality_id: Some(critical),
            ..ParametersRequest::default()
        },
    )
    .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);

    // HTTP: by criticality, the queue holds just the critical ticket.
    let list: Vec<TicketSummary> = olga
        .get(&format!("/api/tickets?criticality={critical}"))
        .await
        .json();
    assert_eq!(list.iter().map(|t| t.id).collect::<Vec<_>>(), [urgent]);
    // By state: the closed demo tickets await their members; the queue has none of them.
    let queue: Vec<TicketSummary> = olga.get("/api/tickets").await.json();
    assert!(queue.iter().all(|t| t.status == TicketStatus::Open));
    assert!(queue.iter().any(|t| t.id == calm));
    let waiting: Vec<TicketSummary> = olga.get("/api/tickets?state=awaiting_member").await.json();
    assert!(!waiting.is_empty());
    assert!(
        waiting
            .iter()
            .all(|t| t.status == TicketStatus::Closed && !t.archived)
    );

    // WebSocket: every ticket of one member, whatever its state.
    let anna_id = anna.get("/api/me").await.json::<Me>().id;
    let snapshot = olga
        .socket()
        .await
        .follow_filtered(
            Topic::Board,
            Some(TicketFilter {
                state: BoardState::All,
                member: Some(anna_id),
                ..TicketFilter::default()
            }),
        )
        .await;
    assert!(snapshot.iter().all(|t| t.member.id == anna_id));
    assert!(snapshot.iter().any(|t| t.id == urgent) && snapshot.iter().any(|t| t.id == calm));

    // A filter never widens what one may see: Maria works Billing only.
    let list: Vec<TicketSummary> = maria
        .get(&format!("/api/tickets?state=all&department={care}"))
        .await
        .json();
    assert!(list.is_empty(), "{list:?}");
    let snapshot = maria
        .socket()
        .await
        .follow_filtered(
            Topic::Board,
            Some(TicketFilter {
                state: BoardState::All,
                department: Some(care),
                ..TicketFilter::default()
            }),
        )
        .await;
    assert!(snapshot.is_empty());

    // Bad filters are refused with a reason.
    let reply = olga.get("/api/tickets?state=bogus").await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    let reply = olga.get("/api/tickets?criticality=high").await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    server.stop().await;
}
