//! Taking a ticket, racing for it, only its holder writing, and moving it between departments.

#[allow(unused_imports)]
use super::*;

pub(super) async fn racing_to_take(backend: Backend) {
    let server = TestServer::start(backend).await;
    let member = server.signed_in(MEMBER).await;
    let olga = server.signed_in(OLGA).await;
    let ivan = server.signed_in(IVAN).await;
    let care = member.department("Customer care").await;
    let mut ivan_board = ivan.socket().await;
    ivan_board.follow_list(Topic::Board).await;

    for round in 0..6 {
        let ticket = member
            .start_ticket(care, &format!("Race {round}"), "who answers?")
            .await;
        let path = format!("/api/tickets/{ticket}/take");
        let (a, b) = tokio::join!(olga.act(&path), ivan.act(&path));
        let mut statuses = [a.status, b.status];
        statuses.sort();
        assert_eq!(
            statuses,
            [StatusCode::OK, StatusCode::CONFLICT],
            "round {round}: {} / {}",
            a.body,
            b.body
        );
        let (winner, loser) = if a.status == StatusCode::OK {
            ("Olga Petrova", &b)
        } else {
            ("Ivan Sokolov", &a)
        };
        assert_eq!(loser.code(), "locked");
        assert!(
            loser.body["message"]
                .as_str()
                .is_some_and(|m| m.contains(winner)),
            "{}",
            loser.body
        );

        // Everyone on the board sees the winner live.
        let (holder, _) = ivan_board
            .until(|e| match e {
                Event::TicketChanged { ticket: t } if t.id == ticket && t.assignee.is_some() => {
                    t.assignee.as_ref().map(|p| p.name.clone())
                }
                _ => None,
            })
            .await;
        assert_eq!(holder, winner);
    }

    // Over the socket, the same race has the same outcome.
    let ticket = member.start_ticket(care, "Socket race", "again").await;
    let mut olga_socket = olga.socket().await;
    let mut ivan_socket = ivan.socket().await;
    let take = |socket: &mut common::Socket| Command::Take {
        command_id: socket.command_id(),
        ticket_id: ticket,
    };
    let (olga_take, ivan_take) = (take(&mut olga_socket), take(&mut ivan_socket));
    let (a, b) = tokio::join!(
        olga_socket.command(olga_take),
        ivan_socket.command(ivan_take)
    );
    let codes: Vec<Option<ErrorCode>> = [&a, &b]
        .iter()
        .map(|r| match r {
            Ok(_) => None,
            Err(Event::Error { code, .. }) => Some(*code),
            Err(other) => panic!("{other:?}"),
        })
        .collect();
    assert!(
        codes.contains(&None) && codes.contains(&Some(ErrorCode::Locked)),
        "{codes:?}"
    );
}

pub(super) async fn holder_writes(backend: Backend) {
    let server = TestServer::start(backend).await;
    let member = server.signed_in(MEMBER).await;
    let olga = server.signed_in(OLGA).await;
    let ivan = server.signed_in(IVAN).await;
    let moderator = server.signed_in(MODERATOR).await;
    let care = member.department("Customer care").await;
    let ticket = member.start_ticket(care, "Locked", "hello").await;
    assert_eq!(
        olga.act(&format!("/api/tickets/{ticket}/take"))
            .await
            .status,
        StatusCode::OK
    );
    let again = olga.act(&format!("/api/tickets/{ticket}/take")).await;
    assert_eq!(
        (again.status, &again.body["duplicate"]),
        (StatusCode::OK, &serde_json::json!(true))
    );

    // Ivan can neither write nor release, over HTTP or the socket.
    let message = |hidden: bool| NewMessageRequest {
        hidden,
        ..common::said("me too")
    };
    for hidden in [false, true] {
        let reply = ivan.message(ticket, &message(hidden)).await;
        assert_eq!(
            (reply.status, reply.code()),
            (StatusCode::CONFLICT, "locked"),
            "hidden: {hidden}"
        );
    }
    let reply = ivan.act(&format!("/api/tickets/{ticket}/release")).await;
    assert_eq!(
        (reply.status, reply.code()),
        (StatusCode::FORBIDDEN, "forbidden")
    );
    let mut ivan_socket = ivan.socket().await;
    let refused = ivan_socket
        .send_message(ticket, &new_msg_id(), "me too")
        .await;
    assert!(
        matches!(
            refused,
            Err(Event::Error {
                code: ErrorCode::Locked,
                ..
            })
        ),
        "{refused:?}"
    );
    let release = Command::Release {
        command_id: ivan_socket.command_id(),
        ticket_id: ticket,
    };
    assert!(matches!(
        ivan_socket.command(release).await,
        Err(Event::Error {
            code: ErrorCode::Forbidden,
            ..
        })
    ));

    // The holder and the member write freely.
    let reply = olga.message(ticket, &message(false)).await;
    assert_eq!(reply.status, StatusCode::CREATED);
    let reply = member.message(ticket, &message(false)).await;
    assert_eq!(reply.status, StatusCode::CREATED);
    let reply = member.act(&format!("/api/tickets/{ticket}/take")).await;
    assert_eq!(
        reply.status,
        StatusCode::FORBIDDEN,
        "members do not take tickets"
    );

    // A moderator releases it; then Ivan can take it.
    let reply = moderator
        .act(&format!("/api/tickets/{ticket}/release"))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let reply = moderator
        .act(&format!("/api/tickets/{ticket}/release"))
        .await;
    assert_eq!(
        (reply.status, reply.code()),
        (StatusCode::CONFLICT, "conflict"),
        "nothing left to release"
    );
    let (seq, _) = ivan_socket
        .send_message(ticket, &new_msg_id(), "my turn")
        .await
        .expect("writing takes a free ticket");
    let detail = ivan.detail(ticket).await;
    assert_eq!(
        detail.ticket.assignee.map(|p| p.name).as_deref(),
        Some("Ivan Sokolov")
    );
    let kinds: Vec<&EventKind> = detail.events.iter().map(|e| &e.kind).collect();
    assert!(matches!(kinds[kinds.len() - 2], EventKind::Taken));
    assert!(
        matches!(kinds[kinds.len() - 3], EventKind::Released { holder: Some(p) } if p.name == "Olga Petrova")
    );
    assert_eq!(detail.events.last().map(|e| e.seq), Some(seq));
}

pub(super) async fn transfer(backend: Backend) {
    let server = TestServer::start(backend).await;
    let member = server.signed_in(MEMBER).await;
    let ivan = server.signed_in(IVAN).await;
    let maria = server.signed_in(people::MARIA).await;
    let olga = server.signed_in(OLGA).await;
    let care = member.department("Customer care").await;
    let billing = member.department("Billing").await;
    let ada = server.signed_in(people::ADA).await;
    let added = ada
        .post(
            "/api/admin",
            &AdminAction::CreateEmployee {
                email: "petr@desk.example".into(),
                name: "Petr Ivanov".into(),
                role: Role::Operator,
                password: "switchboard".into(),
                departments: vec![care],
            },
        )
        .await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.body);
    let petr = server.signed_in("petr@desk.example").await;
    let ticket = member
        .start_ticket(care, "Wrong department", "this is about my invoice")
        .await;

    let mut ivan_socket = ivan.socket().await;
    ivan_socket.follow_list(Topic::Board).await;
    ivan_socket.follow_ticket(ticket, None).await;
    let mut maria_board = maria.socket().await;
    let before = maria_board.follow_list(Topic::Board).await;
    assert!(before.iter().all(|t| t.id != ticket));

    // Refusals first: same department, unknown department, someone else holding it.
    let path = format!("/api/tickets/{ticket}/transfer");
    let same = ivan
        .post(
            &path,
            &TransferRequest {
                seen: None,
                department_id: care,
            },
        )
        .await;
    assert_eq!(
        (same.status, same.code()),
        (StatusCode::CONFLICT, "conflict")
    );
    let unknown = ivan
        .post(
            &path,
            &TransferRequest {
                seen: None,
                department_id: DepartmentId(4242),
            },
        )
        .await;
    assert_eq!(
        (unknown.status, unknown.code()),
        (StatusCode::NOT_FOUND, "not_found")
    );
    let reply = member
        .post(
            &path,
            &TransferRequest {
                seen: None,
                department_id: billing,
            },
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    olga.act(&format!("/api/tickets/{ticket}/take")).await;
    let locked = ivan
        .post(
            &path,
            &TransferRequest {
                seen: None,
                department_id: billing,
            },
        )
        .await;
    assert_eq!(
        (locked.status, locked.code()),
        (StatusCode::CONFLICT, "locked")
    );
    olga.act(&format!("/api/tickets/{ticket}/release")).await;

    // Ivan transfers it over the socket.
    let command = Command::Transfer {
        seen: None,
        command_id: ivan_socket.command_id(),
        ticket_id: ticket,
        department_id: billing,
    };
    ivan_socket.command(command).await.expect("transferred");
    let (moved, _) = maria_board
        .until(|e| match e {
            Event::TicketChanged { ticket: t } if t.id == ticket => Some(t.clone()),
            _ => None,
        })
        .await;
    assert_eq!(moved.department.name, "Billing");
    assert_eq!(moved.assignee, None);
    // Ivan passed it on but keeps it: his board shows it active at Billing, and he goes on
    // talking with the member there; Petr, of Customer care only, loses it.
    let (kept, seen) = ivan_socket
        .until(|e| match e {
            Event::TicketChanged { ticket: t } if t.id == ticket => Some(t.department.clone()),
            _ => None,
        })
        .await;
    assert_eq!(kept.name, "Billing");
    assert!(
        !seen
            .iter()
            .any(|e| matches!(e, Event::TicketRemoved { ticket_id } if *ticket_id == ticket)),
        "{seen:?}"
    );
    let detail = ivan.detail(ticket).await;
    assert_eq!(detail.ticket.department.name, "Billing");
    let said = ivan
        .say(ticket, "I asked Billing; I will stay with you")
        .await;
    assert_eq!(said.status, StatusCode::CREATED, "{}", said.body);
    let mut petr_board = petr.socket().await;
    let petrs = petr_board.follow_list(Topic::Board).await;
    assert!(petrs.iter().all(|t| t.id != ticket));
    assert_eq!(
        petr.get(&format!("/api/tickets/{ticket}")).await.status,
        StatusCode::NOT_FOUND
    );
    let ivans = ivan_socket.follow_list(Topic::Board).await;
    assert!(ivans.iter().any(|t| t.id == ticket));
    let found = ivan.search("stay with you").await;
    assert_eq!(found.status, StatusCode::OK, "{}", found.body);
    assert_eq!(found.body["hits"].as_array().map(Vec::len), Some(1));

    // The member sees where it went.
    let detail = member.detail(ticket).await;
    assert_eq!(detail.ticket.department.name, "Billing");
    assert!(detail.events.iter().any(|e| matches!(&e.kind,
        EventKind::Transferred { from, to } if from.name == "Customer care" && to.name == "Billing")));
}
