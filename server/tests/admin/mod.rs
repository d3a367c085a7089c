//! Administration: departments (and whether members may choose them), staff and their
//! departments, members added by hand, ticket options, rating marks, call-end reasons and
//! canned responses — validated, refused when in use, and live on every open screen. Over
//! HTTP and WebSocket, on SQLite and PostgreSQL.

use crate::common;
mod members;
mod reasons;
mod staff;

use app::protocol::{
    AdminAction, AdminState, Channel, Command, Department, DepartmentId, ErrorCode, Event, Me,
    OptionKind, ParametersRequest, Role, TicketDetail, TicketStatus, Topic,
};
use common::people::{ADA, ANNA, IVAN, MARIA, MIKE, OLGA};
use common::{Backend, Client, Socket, TestServer};
use reqwest::{Method, StatusCode};
use serde::Serialize;
use serde_json::json;
use std::fmt::Debug;

on_both_backends! {
    only_administrators_read_or_change_the_configuration => only_administrators;
    departments_and_staff_change_who_sees_what_live => staff::departments_and_staff;
    options_marks_and_canned_responses_are_retired_not_lost => options_marks_canned;
    call_end_reasons_are_kept_by_administrators => reasons::call_end_reasons;
    members_are_added_by_hand_and_found_by_their_number => members::members_added_by_hand;
}

/// Sends one administrative action: an `AdminAction` (or, to test refusals of what is not
/// one, any JSON).
async fn administer(client: &Client, action: &(impl Serialize + Debug)) -> common::Reply {
    client.send(Method::POST, "/api/admin", action).await
}

/// A change refused with `status`; the reply.
async fn expect_refusal(
    client: &Client,
    action: impl Serialize + Debug,
    status: StatusCode,
) -> common::Reply {
    let reply = administer(client, &action).await;
    assert_eq!(reply.status, status, "{action:?}: {}", reply.body);
    reply
}

/// Changes the configuration over HTTP; the new state.
async fn change(client: &Client, action: impl Serialize + Debug) -> AdminState {
    let reply = administer(client, &action).await;
    assert_eq!(reply.status, StatusCode::OK, "{action:?}: {}", reply.body);
    reply.json()
}

/// Changes the configuration over the socket; the new state or the error's code.
async fn change_over(socket: &mut Socket, action: AdminAction) -> Result<AdminState, ErrorCode> {
    socket
        .answered(
            |command_id| Command::Admin {
                command_id,
                action: Some(action),
            },
            |id, e| match e {
                Event::AdminState { command_id, state } if *command_id == id => Some(state.clone()),
                _ => None,
            },
        )
        .await
}

async fn me_changed(socket: &mut Socket) -> Me {
    socket
        .until(|e| match e {
            Event::MeChanged { me } => Some(me.clone()),
            _ => None,
        })
        .await
        .0
}

async fn only_administrators(backend: Backend) {
    let server = TestServer::start(backend).await;
    let create = AdminAction::CreateDepartment {
        name: "Sales".into(),
        public: true,
    };
    for email in [ANNA, OLGA, MIKE] {
        let client = server.signed_in(email).await;
        assert_eq!(
            client.get("/api/admin").await.status,
            StatusCode::FORBIDDEN,
            "{email}"
        );
        let reply = administer(&client, &create).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{email}");
        let mut socket = client.socket().await;
        let refused = change_over(
            &mut socket,
            AdminAction::CreateDepartment {
                name: "Sales".into(),
                public: true,
            },
        )
        .await;
        assert_eq!(refused.err(), Some(ErrorCode::Forbidden), "{email}");
    }
    let ada = server.signed_in(ADA).await;
    let state: AdminState = ada.get("/api/admin").await.json();
    assert!(state.departments.iter().all(|d| d.name != "Sales"));
    let care = state
        .departments
        .iter()
        .find(|d| d.name == "Customer care")
        .expect("care");
    assert!(care.public && care.tickets > 0);
    assert!(
        state
            .staff
            .iter()
            .any(|e| e.email == OLGA && e.role == Role::Operator)
    );
    assert!(
        state.staff.iter().all(|e| e.role.is_staff()),
        "members are not staff"
    );
    // Malformed actions are refused, over both transports.
    let reply = expect_refusal(
        &ada,
        json!({"action": "drop_everything"}),
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert_eq!(reply.code(), "malformed");
    let mut socket = ada.socket().await;
    socket
        .send_text(
            r#"{"type":"admin","command_id":5,"action":{"action":"create_department","name":7}}"#,
        )
        .await;
    assert_eq!(socket.next_error().await, ErrorCode::Malformed);
    server.stop().await;
}

async fn options_marks_canned(backend: Backend) {
    let server = TestServer::start(backend).await;
    let ada = server.signed_in(ADA).await;
    let anna = server.signed_in(ANNA).await;
    let olga = server.signed_in(OLGA).await;
    let maria = server.signed_in(MARIA).await;
    let care = anna.department("Customer care").await;
    let ticket = anna.start_ticket(care, "card", "My card is blocked").await;

    // A status needs its side; then operators are offered it, live.
    let mut olgas = olga.socket().await;
    olgas.drain().await;
    expect_refusal(
        &ada,
        AdminAction::CreateOption {
            kind: OptionKind::Status,
            label: "On hold".into(),
            side: None,
        },
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    change(
        &ada,
        AdminAction::CreateOption {
            kind: OptionKind::Status,
            label: "On hold".into(),
            side: Some(TicketStatus::Open),
        },
    )
    .await;
    let me = me_changed(&mut olgas).await;
    assert!(me.options.iter().any(|o| o.label == "On hold"
        && o.kind == OptionKind::Status
        && o.side == Some(TicketStatus::Open)));

    // An option set on a ticket is retired, not deleted: the ticket keeps it.
    let high = me
        .options
        .iter()
        .find(|o| o.kind == OptionKind::Criticality && o.label == "High")
        .expect("high")
        .id;
    let parameters = ParametersRequest {
        subject: "card".into(),
        criticality_id: Some(high),
        ..ParametersRequest::default()
    };
    let saved = olga
        .send(
            Method::PUT,
            &format!("/api/tickets/{ticket}/parameters"),
            &parameters,
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let reply = expect_refusal(
        &ada,
        AdminAction::DeleteOption { id: high },
        StatusCode::CONFLICT,
    )
    .await;
    assert!(
        reply.body["message"]
            .as_str()
            .unwrap_or("")
            .contains("retire it instead")
    );
    let state = change(
        &ada,
        AdminAction::RetireOption {
            id: high,
            retired: true,
        },
    )
    .await;
    assert!(
        state
            .options
            .iter()
            .any(|o| o.option.id == high && o.retired && o.tickets == 1)
    );
    let me = me_changed(&mut olgas).await;
    assert!(me.options.iter().all(|o| o.id != high), "no longer offered");
    let detail = olga.detail(ticket).await;
    assert_eq!(
        detail.ticket.params.criticality.map(|o| o.label).as_deref(),
        Some("High")
    );
    let on_hold = state
        .options
        .iter()
        .find(|o| o.option.label == "On hold")
        .expect("on hold")
        .option
        .id;
    let state = change(&ada, AdminAction::DeleteOption { id: on_hold }).await;
    assert!(state.options.iter().all(|o| o.option.id != on_hold));

    // Rating marks: added, renamed, retired; the last one stays.
    let state = change(
        &ada,
        AdminAction::CreateMark {
            label: "Very helpful".into(),
        },
    )
    .await;
    let helpful = state
        .rating_marks
        .iter()
        .find(|m| m.label == "Very helpful")
        .expect("mark")
        .id;
    let marks: Me = anna.get("/api/me").await.json();
    assert!(marks.rating_marks.iter().any(|m| m.id == helpful));
    change(
        &ada,
        AdminAction::UpdateMark {
            id: helpful,
            label: "Really helpful".into(),
        },
    )
    .await;
    let mut state = change(
        &ada,
        AdminAction::RetireMark {
            id: helpful,
            retired: true,
        },
    )
    .await;
    let marks: Me = anna.get("/api/me").await.json();
    assert!(marks.rating_marks.iter().all(|m| m.id != helpful));
    let live: Vec<_> = state
        .rating_marks
        .iter()
        .filter(|m| !m.retired)
        .map(|m| m.id)
        .collect();
    for (i, id) in live.iter().enumerate() {
        let reply = administer(
            &ada,
            &AdminAction::RetireMark {
                id: *id,
                retired: true,
            },
        )
        .await;
        if i + 1 < live.len() {
            assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
            state = reply.json();
        } else {
            assert_eq!(reply.status, StatusCode::CONFLICT, "{}", reply.body);
        }
    }
    assert_eq!(state.rating_marks.iter().filter(|m| !m.retired).count(), 1);

    // Canned responses belong to a department: its operators get them, others do not.
    let state = change(
        &ada,
        AdminAction::CreateCanned {
            department_id: care,
            title: "Card blocked".into(),
            body: "Hello {member}, your card is unblocked.".into(),
        },
    )
    .await;
    let canned = state
        .canned
        .iter()
        .find(|c| c.title == "Card blocked")
        .expect("canned")
        .id;
    let olgas_me: Me = olga.get("/api/me").await.json();
    assert!(olgas_me.canned.iter().any(|c| c.id == canned));
    let marias: Me = maria.get("/api/me").await.json();
    assert!(marias.canned.iter().all(|c| c.id != canned));
    expect_refusal(
        &ada,
        AdminAction::UpdateCanned {
            id: canned,
            department_id: care,
            title: "Card blocked".into(),
            body: "  ".into(),
        },
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    change(
        &ada,
        AdminAction::UpdateCanned {
            id: canned,
            department_id: care,
            title: "Card fixed".into(),
            body: "Done, {member}.".into(),
        },
    )
    .await;
    let state = change(&ada, AdminAction::DeleteCanned { id: canned }).await;
    assert!(state.canned.iter().all(|c| c.id != canned));
    server.stop().await;
}

on_both_backends! {
    queues_take_new_tickets_of_their_channel_and_filter_the_board => queues;
}

async fn queues(backend: Backend) {
    let server = TestServer::start(backend).await;
    let ada = server.signed_in(ADA).await;
    let anna = server.signed_in(ANNA).await;
    let olga = server.signed_in(OLGA).await;
    let care = anna.department("Customer care").await;
    let state: AdminState = ada.get("/api/admin").await.json();
    let queue = |state: &AdminState, name: &str| {
        state
            .queues
            .iter()
            .find(|q| q.queue.name == name)
            .unwrap_or_else(|| panic!("no queue {name}"))
            .queue
            .id
    };
    let chat = queue(&state, "Chat");
    let email = queue(&state, "Email");

    // One queue per channel by default; a chat ticket arrives in Chat.
    let first = anna.start_ticket(care, "one", "First").await;
    let detail: TicketDetail = olga.get(&format!("/api/tickets/{first}")).await.json();
    assert_eq!(detail.ticket.queue.map(|q| q.id), Some(chat));
    let theirs: TicketDetail = anna.get(&format!("/api/tickets/{first}")).await.json();
    assert_eq!(theirs.ticket.queue, None, "the queue is staff's business");

    // A second chat queue takes new tickets once the first is retired.
    let state = change(
        &ada,
        AdminAction::CreateQueue {
            name: "VIP chat".into(),
            channel: Channel::Chat,
        },
    )
    .await;
    let vip = queue(&state, "VIP chat");
    change(
        &ada,
        AdminAction::RetireQueue {
            id: chat,
            retired: true,
        },
    )
    .await;
    let second = anna.start_ticket(care, "two", "Second").await;
    let me: Me = olga.get("/api/me").await.json();
    assert!(
        me.queues.iter().all(|q| q.id != chat),
        "a retired queue is not offered"
    );
    assert!(me.queues.iter().any(|q| q.id == vip));

    // The board filters by queue, over HTTP and the socket.
    let listed: Vec<app::protocol::TicketSummary> = olga
        .get(&format!("/api/tickets?state=all&queue={vip}"))
        .await
        .json();
    assert_eq!(listed.iter().map(|t| t.id).collect::<Vec<_>>(), [second]);
    let mut board = olga.socket().await;
    let filtered = board
        .follow_filtered(
            Topic::Board,
            Some(app::protocol::TicketFilter {
                queue: Some(chat),
                ..Default::default()
            }),
        )
        .await;
    assert!(filtered.iter().any(|t| t.id == first));
    assert!(filtered.iter().all(|t| t.id != second));

    // A channel keeps one offered queue; a queue with tickets is retired, not deleted.
    let reply = expect_refusal(
        &ada,
        AdminAction::RetireQueue {
            id: vip,
            retired: true,
        },
        StatusCode::CONFLICT,
    )
    .await;
    assert!(
        reply.body["message"]
            .as_str()
            .unwrap_or("")
            .contains("last queue of the chat channel")
    );
    expect_refusal(
        &ada,
        AdminAction::DeleteQueue { id: chat },
        StatusCode::CONFLICT,
    )
    .await;
    expect_refusal(
        &ada,
        AdminAction::DeleteQueue { id: email },
        StatusCode::CONFLICT,
    )
    .await;
    let state = change(
        &ada,
        AdminAction::CreateQueue {
            name: "Complaints mail".into(),
            channel: Channel::Email,
        },
    )
    .await;
    let complaints = queue(&state, "Complaints mail");
    let state = change(&ada, AdminAction::DeleteQueue { id: complaints }).await;
    assert!(state.queues.iter().all(|q| q.queue.id != complaints));
    expect_refusal(
        &ada,
        AdminAction::CreateQueue {
            name: "vip CHAT".into(),
            channel: Channel::Phone,
        },
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    expect_refusal(
        &ada,
        json!({"action": "create_queue", "name": "Fax", "channel": "fax"}),
        StatusCode::BAD_REQUEST,
    )
    .await;
    server.stop().await;
}
