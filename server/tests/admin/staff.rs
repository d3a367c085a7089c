//! Departments and staff as administrators change them, heard live on every screen.

#[allow(unused_imports)]
use super::*;

pub(super) async fn departments_and_staff(backend: Backend) {
    let server = TestServer::start(backend).await;
    let ada = server.signed_in(ADA).await;
    let anna = server.signed_in(ANNA).await;
    let ivan = server.signed_in(IVAN).await;
    let care = anna.department("Customer care").await;

    // A department not offered in the support centre: staff can transfer to it, members
    // cannot choose it.
    let state = change(
        &ada,
        AdminAction::CreateDepartment {
            name: "  Returns ".into(),
            public: false,
        },
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
        .post("/api/tickets", &common::new_ticket(returns, "x", "y"))
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
            AdminAction::CreateDepartment {
                name: "RETURNS".into(),
                public: true,
            },
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            AdminAction::CreateDepartment {
                name: "Returns".into(),
                public: true,
            },
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            AdminAction::CreateDepartment {
                name: "   ".into(),
                public: true,
            },
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            AdminAction::UpdateDepartment {
                id: DepartmentId(999_999),
                name: "X".into(),
                public: true,
            },
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ] {
        let reply = administer(&ada, &action).await;
        assert_eq!(reply.status, status, "{action:?}: {}", reply.body);
    }

    // A new operator of Returns signs in and sees Returns' tickets, and no other.
    let state = change(
        &ada,
        AdminAction::CreateEmployee {
            email: "Petr@Desk.example".into(),
            name: "Petr Ivanov".into(),
            role: Role::Operator,
            password: "switchboard".into(),
            departments: vec![returns],
        },
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
    let employee = |email: &str, role: Role, password: &str, departments: Vec<DepartmentId>| {
        AdminAction::CreateEmployee {
            email: email.into(),
            name: "Q".into(),
            role,
            password: password.into(),
            departments,
        }
    };
    for (action, field) in [
        (
            employee("petr@desk.example", Role::Operator, "switchboard", vec![]),
            "email",
        ),
        (
            employee("not-an-email", Role::Operator, "switchboard", vec![]),
            "email",
        ),
        (
            employee("q@desk.example", Role::Operator, "short", vec![]),
            "password",
        ),
        (
            employee("q@desk.example", Role::Member, "switchboard", vec![]),
            "role",
        ),
        (
            employee(
                "q@desk.example",
                Role::Operator,
                "switchboard",
                vec![DepartmentId(999_999)],
            ),
            "department_id",
        ),
    ] {
        let reply = administer(&ada, &action).await;
        reply.assert_invalid(field);
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
    expect_refusal(
        &ada,
        AdminAction::UpdateEmployee {
            id: ada_id.id,
            name: "Ada".into(),
            role: Role::Operator,
            departments: vec![],
        },
        StatusCode::CONFLICT,
    )
    .await;

    // A department with tickets is not deleted; an empty one is.
    let reply = expect_refusal(
        &ada,
        AdminAction::DeleteDepartment { id: returns },
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
        AdminAction::CreateDepartment {
            name: "Spare".into(),
            public: false,
        },
    )
    .await
    .departments
    .into_iter()
    .find(|d| d.name == "Spare")
    .expect("spare")
    .id;
    let state = change(&ada, AdminAction::DeleteDepartment { id: spare }).await;
    assert!(state.departments.iter().all(|d| d.id != spare));
    server.stop().await;
}
