//! Administration: departments (and whether members may choose them), staff and their
//! departments, ticket options, rating marks and canned responses — validated, refused when
//! in use, and live on every open screen. Over HTTP and WebSocket, on SQLite and PostgreSQL.

mod common;

use app::protocol::{
    AdminAction, AdminState, Command, Department, ErrorCode, Event, Me, OptionKind, Role,
    TicketDetail, TicketStatus, Topic,
};
use common::people::{ADA, ANNA, IVAN, MARIA, MIKE, OLGA};
use common::{Backend, Client, Socket, TestServer};
use reqwest::StatusCode;
use serde_json::json;

on_both_backends! {
    only_administrators_read_or_change_the_configuration => only_administrators;
    departments_and_staff_change_who_sees_what_live => departments_and_staff;
    options_marks_and_canned_responses_are_retired_not_lost => options_marks_canned;
}

async fn administer(client: &Client, action: serde_json::Value) -> common::Reply {
    client.post("/api/admin", action).await
}

/// A change refused with `status`; the reply.
async fn expect_refusal(
    client: &Client,
    action: serde_json::Value,
    status: StatusCode,
) -> common::Reply {
    let reply = administer(client, action.clone()).await;
    assert_eq!(reply.status, status, "{action}: {}", reply.body);
    reply
}

/// Changes the configuration over HTTP; the new state.
async fn change(client: &Client, action: serde_json::Value) -> AdminState {
    let reply = administer(client, action.clone()).await;
    assert_eq!(reply.status, StatusCode::OK, "{action}: {}", reply.body);
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
    let create = json!({"action": "create_department", "name": "Sales", "public": true});
    for email in [ANNA, OLGA, MIKE] {
        let client = server.signed_in(email).await;
        assert_eq!(
            client.get("/api/admin").await.status,
            StatusCode::FORBIDDEN,
            "{email}"
        );
        let reply = administer(&client, create.clone()).await;
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

async fn departments_and_staff(backend: Backend) {
    let server = TestServer::start(backend).await;
    let ada = server.signed_in(ADA).await;
    let anna = server.signed_in(ANNA).await;
    let ivan = server.signed_in(IVAN).await;
    let care = anna.department("Customer care").await;

    // A department not offered in the support centre: staff can transfer to it, members
    // cannot choose it.
    let state = change(
        &ada,
        json!({"action": "create_department", "name": "  Returns ", "public": false}),
    )
    .await;
    let returns = state
        .departments
        .iter()
        .find(|d| d.name == "Returns")
        .expect("created, trimmed")
        .id;
    let offered: Vec<Department> = anna.get("/api/departments").await.json();
    assert!(offered.iter().all(|d| d.id != returns));
    let refused = anna
        .post(
            "/api/tickets",
            json!({"client_msg_id": common::new_msg_id().as_str(), "department_id": returns,
                   "subject": "x", "body": "y"}),
        )
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND, "{}", refused.body);
    let ivans_me: Me = ivan.get("/api/me").await.json();
    assert!(ivans_me.transfer_targets.iter().any(|d| d.id == returns));

    // Offered over the socket: the member's open page hears of it at once.
    let mut annas = anna.socket().await;
    annas.drain().await;
    let mut adas = ada.socket().await;
    let state = change_over(
        &mut adas,
        AdminAction::UpdateDepartment {
            id: returns,
            name: "Returns".into(),
            public: true,
        },
    )
    .await
    .expect("offered");
    assert!(
        state
            .departments
            .iter()
            .any(|d| d.id == returns && d.public)
    );
    let me = me_changed(&mut annas).await;
    assert!(me.departments.iter().any(|d| d.id == returns));
    let returned = anna
        .start_ticket(returns, "return", "I want to return a kettle")
        .await;

    // Names are checked.
    for (action, status) in [
        (
            json!({"action": "create_department", "name": "RETURNS", "public": true}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"action": "create_department", "name": "Returns", "public": true}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"action": "create_department", "name": "   ", "public": true}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"action": "update_department", "id": 999_999, "name": "X", "public": true}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ] {
        let reply = administer(&ada, action.clone()).await;
        assert_eq!(reply.status, status, "{action}: {}", reply.body);
    }

    // A new operator of Returns signs in and sees Returns' tickets, and no other.
    let state = change(
        &ada,
        json!({"action": "create_employee", "email": "Petr@Desk.example", "name": "Petr Ivanov",
               "role": "operator", "password": "switchboard", "departments": [returns]}),
    )
    .await;
    let petr = state
        .staff
        .iter()
        .find(|e| e.email == "petr@desk.example")
        .expect("created, email lowered");
    assert_eq!(petr.departments, [returns]);
    let petr = server.signed_in("petr@desk.example").await;
    let mut board = petr.socket().await;
    let tickets = board.follow_list(Topic::Board).await;
    assert!(tickets.iter().any(|t| t.id == returned));
    assert!(tickets.iter().all(|t| t.department.id == returns));
    for (action, field) in [
        (
            json!({"action": "create_employee", "email": "petr@desk.example", "name": "P", "role": "operator", "password": "switchboard", "departments": []}),
            "email",
        ),
        (
            json!({"action": "create_employee", "email": "not-an-email", "name": "P", "role": "operator", "password": "switchboard", "departments": []}),
            "email",
        ),
        (
            json!({"action": "create_employee", "email": "q@desk.example", "name": "Q", "role": "operator", "password": "short", "departments": []}),
            "password",
        ),
        (
            json!({"action": "create_employee", "email": "q@desk.example", "name": "Q", "role": "member", "password": "switchboard", "departments": []}),
            "role",
        ),
        (
            json!({"action": "create_employee", "email": "q@desk.example", "name": "Q", "role": "operator", "password": "switchboard", "departments": [999_999]}),
            "department_id",
        ),
    ] {
        let reply = administer(&ada, action.clone()).await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{action}: {}",
            reply.body
        );
        assert!(
            reply.body["message"]
                .as_str()
                .unwrap_or("")
                .starts_with(field),
            "{}",
            reply.body
        );
    }

    // Ivan's departments change while he works: his screens follow at once.
    let ivan_id = ivans_me.id;
    let waiting = anna.start_ticket(care, "card", "My card is blocked").await;
    let mut ivans = ivan.socket().await;
    ivans.follow_ticket(waiting, None).await;
    change_over(
        &mut adas,
        AdminAction::UpdateEmployee {
            id: ivan_id,
            name: "Ivan Sokolov".into(),
            role: Role::Operator,
            departments: vec![returns],
        },
    )
    .await
    .expect("moved");
    let (removed, _) = ivans
        .until(|e| match e {
            Event::TicketRemoved { ticket_id } => Some(*ticket_id),
            _ => None,
        })
        .await;
    assert_eq!(removed, waiting);
    let me = me_changed(&mut ivans).await;
    assert_eq!(
        me.departments.iter().map(|d| d.id).collect::<Vec<_>>(),
        [returns]
    );
    assert_eq!(
        ivan.get(&format!("/api/tickets/{waiting}")).await.status,
        StatusCode::NOT_FOUND
    );
    let detail: TicketDetail = ivan.get(&format!("/api/tickets/{returned}")).await.json();
    assert_eq!(detail.ticket.id, returned);

    // An administrator cannot take away their own administration.
    let ada_id: Me = ada.get("/api/me").await.json();
    expect_refusal(&ada, json!({"action": "update_employee", "id": ada_id.id, "name": "Ada", "role": "operator", "departments": []}), StatusCode::CONFLICT).await;

    // A department with tickets is not deleted; an empty one is.
    let reply = expect_refusal(
        &ada,
        json!({"action": "delete_department", "id": returns}),
        StatusCode::CONFLICT,
    )
    .await;
    assert!(
        reply.body["message"]
            .as_str()
            .unwrap_or("")
            .contains("holds 1 tickets")
    );
    let spare = change(
        &ada,
        json!({"action": "create_department", "name": "Spare", "public": false}),
    )
    .await
    .departments
    .into_iter()
    .find(|d| d.name == "Spare")
    .expect("spare")
    .id;
    let state = change(&ada, json!({"action": "delete_department", "id": spare})).await;
    assert!(state.departments.iter().all(|d| d.id != spare));
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
        json!({"action": "create_option", "kind": "status", "label": "On hold"}),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    change(
        &ada,
        json!({"action": "create_option", "kind": "status", "label": "On hold", "side": "open"}),
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
    let saved = olga
        .request(
            reqwest::Method::PUT,
            &format!("/api/tickets/{ticket}/parameters"),
            Some(json!({"subject": "card", "criticality_id": high})),
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let reply = expect_refusal(
        &ada,
        json!({"action": "delete_option", "id": high}),
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
        json!({"action": "retire_option", "id": high, "retired": true}),
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
    let detail: TicketDetail = olga.get(&format!("/api/tickets/{ticket}")).await.json();
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
    let state = change(&ada, json!({"action": "delete_option", "id": on_hold})).await;
    assert!(state.options.iter().all(|o| o.option.id != on_hold));

    // Rating marks: added, renamed, retired; the last one stays.
    let state = change(
        &ada,
        json!({"action": "create_mark", "label": "Very helpful"}),
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
        json!({"action": "update_mark", "id": helpful, "label": "Really helpful"}),
    )
    .await;
    let mut state = change(
        &ada,
        json!({"action": "retire_mark", "id": helpful, "retired": true}),
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
            json!({"action": "retire_mark", "id": id, "retired": true}),
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
        json!({"action": "create_canned", "department_id": care, "title": "Card blocked",
               "body": "Hello {member}, your card is unblocked."}),
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
    expect_refusal(&ada, json!({"action": "update_canned", "id": canned, "department_id": care, "title": "Card blocked", "body": "  "}), StatusCode::UNPROCESSABLE_ENTITY).await;
    change(
        &ada,
        json!({"action": "update_canned", "id": canned, "department_id": care, "title": "Card fixed", "body": "Done, {member}."}),
    )
    .await;
    let state = change(&ada, json!({"action": "delete_canned", "id": canned})).await;
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
        json!({"action": "create_queue", "name": "VIP chat", "channel": "chat"}),
    )
    .await;
    let vip = queue(&state, "VIP chat");
    change(
        &ada,
        json!({"action": "retire_queue", "id": chat, "retired": true}),
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
        json!({"action": "retire_queue", "id": vip, "retired": true}),
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
        json!({"action": "delete_queue", "id": chat}),
        StatusCode::CONFLICT,
    )
    .await;
    expect_refusal(
        &ada,
        json!({"action": "delete_queue", "id": email}),
        StatusCode::CONFLICT,
    )
    .await;
    let state = change(
        &ada,
        json!({"action": "create_queue", "name": "Complaints mail", "channel": "email"}),
    )
    .await;
    let complaints = queue(&state, "Complaints mail");
    let state = change(&ada, json!({"action": "delete_queue", "id": complaints})).await;
    assert!(state.queues.iter().all(|q| q.queue.id != complaints));
    expect_refusal(
        &ada,
        json!({"action": "create_queue", "name": "vip CHAT", "channel": "phone"}),
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
