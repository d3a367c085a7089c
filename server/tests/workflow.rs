//! The operator's workflow over HTTP and WebSocket, on SQLite and PostgreSQL: taking a
//! ticket (and racing for it), hidden notes, send and close, reopening and the archive.

mod common;

use server::service::demo::people;

use app::protocol::{
    Command, ErrorCode, Event, EventKind, MemberStatus, Seq, TicketDetail, TicketStatus,
    TicketSummary, Topic,
};
use common::{Backend, TestServer, new_msg_id};
use reqwest::StatusCode;

const MEMBER: &str = people::ANNA;
const OLGA: &str = people::OLGA;
const IVAN: &str = people::IVAN;
const MODERATOR: &str = people::MIKE;

on_both_backends! {
    two_operators_racing_to_take_a_ticket_give_one_winner => racing_to_take;
    only_the_holder_writes_until_a_moderator_releases => holder_writes;
    hidden_notes_never_reach_the_member => hidden_notes;
    send_and_close_then_the_member_reads_archives_and_reopens => close_and_reopen;
    a_transfer_moves_the_ticket_between_department_queues_live => transfer;
    members_rate_answers_with_the_configured_marks => rating;
    staff_get_the_canned_responses_of_their_departments => canned_responses;
    staff_edit_their_messages_and_the_previous_text_stays => editing;
    staff_split_a_long_ticket_from_a_message => splitting;
}

async fn editing(backend: Backend) {
    let server = TestServer::start(backend).await;
    let member = server.signed_in(MEMBER).await;
    let olga = server.signed_in(OLGA).await;
    let ivan = server.signed_in(IVAN).await;
    let care = member.department("Customer care").await;
    let ticket = member.start_ticket(care, "Edits", "hello").await;
    let post = |hidden: bool, body: &str| serde_json::json!({"client_msg_id": new_msg_id().as_str(), "body": body, "hidden": hidden});
    let typo = olga
        .message(ticket, post(false, "Teh card is blocked"))
        .await;
    let seq = typo.body["seq"].as_i64().expect("a seq");
    let note = olga.message(ticket, post(true, "secret draft")).await;
    let note_seq = note.body["seq"].as_i64().expect("a seq");

    let mut widget = member.socket().await;
    let seen = widget.follow_ticket(ticket, None).await;
    let public_seq = seen
        .iter()
        .find(|e| matches!(&e.kind, EventKind::Message { body, .. } if body.starts_with("Teh")))
        .expect("the member has the message")
        .seq;
    assert_ne!(
        public_seq.0, seq,
        "the numberings differ (the take is staff-only)"
    );

    let done = olga.edit(ticket, seq, "The card is blocked").await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    let done = olga.edit(ticket, note_seq, "secret, final").await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);

    // The member sees the correction of the message she knows, by her numbering, and nothing of the note.
    let (edited, _) = widget
        .until(|e| match e {
            Event::TicketEvent { event } => match &event.kind {
                EventKind::Edited {
                    message_seq,
                    body,
                    previous,
                    ..
                } => Some((*message_seq, body.clone(), previous.clone())),
                _ => None,
            },
            _ => None,
        })
        .await;
    assert_eq!(
        edited,
        (
            public_seq,
            "The card is blocked".to_owned(),
            "Teh card is blocked".to_owned()
        )
    );
    let rest = serde_json::to_string(&widget.drain().await).expect("serialisable");
    assert!(!rest.contains("secret"), "{rest}");

    // Only its author edits it; members edit nothing; only messages and notes are edited.
    let by_ivan = ivan.edit(ticket, seq, "x").await;
    assert_eq!(by_ivan.status, StatusCode::CONFLICT);
    let by_member = member.edit(ticket, seq, "x").await;
    assert_eq!(by_member.status, StatusCode::FORBIDDEN);
    let not_a_message = olga.edit(ticket, 1, "x").await;
    assert_eq!(
        (not_a_message.status, not_a_message.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid")
    );
    let missing = olga.edit(ticket, 999, "x").await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);

    // A second edit records the first correction as its previous text.
    olga.edit(ticket, seq, "The card is now blocked").await;
    let detail: TicketDetail = olga.get(&format!("/api/tickets/{ticket}")).await.json();
    let last = detail.events.last().expect("events");
    assert!(
        matches!(&last.kind, EventKind::Edited { previous, .. } if previous == "The card is blocked"),
        "{last:?}"
    );
}

async fn canned_responses(backend: Backend) {
    let server = TestServer::start(backend).await;
    let titles = |me: &app::protocol::Me| {
        let mut titles: Vec<String> = me
            .canned
            .iter()
            .map(|c| {
                let department = me.transfer_targets.iter().find(|d| d.id == c.department_id);
                format!(
                    "{}/{}",
                    department.map_or("?", |d| d.name.as_str()),
                    c.title
                )
            })
            .collect();
        titles.sort();
        titles
    };
    let ivan: app::protocol::Me = server.signed_in(IVAN).await.get("/api/me").await.json();
    assert_eq!(
        titles(&ivan),
        vec![
            "Customer care/Card unblocked",
            "Customer care/Closing",
            "Customer care/Greeting"
        ]
    );
    let olga: app::protocol::Me = server.signed_in(OLGA).await.get("/api/me").await.json();
    assert_eq!(olga.canned.len(), 5, "both departments");
    let member: app::protocol::Me = server.signed_in(MEMBER).await.get("/api/me").await.json();
    assert!(
        member.canned.is_empty() && member.transfer_targets.is_empty(),
        "members get none"
    );
}

async fn rating(backend: Backend) {
    let server = TestServer::start(backend).await;
    let member = server.signed_in(MEMBER).await;
    let olga = server.signed_in(OLGA).await;
    let boris = server.signed_in(people::BORIS).await;
    let care = member.department("Customer care").await;
    let ticket = member.start_ticket(care, "Rate me", "question").await;
    let me: app::protocol::Me = member.get("/api/me").await.json();
    let labels: Vec<&str> = me.rating_marks.iter().map(|m| m.label.as_str()).collect();
    assert_eq!(
        labels,
        vec![
            "The answer is fine",
            "Not complete enough",
            "It did not help"
        ]
    );
    let fine = me.rating_marks[0].id;
    let incomplete = me.rating_marks[1].id;
    let path = format!("/api/tickets/{ticket}/rate");

    let early = member
        .post(&path, serde_json::json!({"mark_id": fine}))
        .await;
    assert_eq!(
        (early.status, early.code()),
        (StatusCode::CONFLICT, "conflict"),
        "nothing to rate yet"
    );
    olga.say(ticket, "answer").await;
    let mut staff = olga.socket().await;
    staff.follow_ticket(ticket, None).await;

    let mut widget = member.socket().await;
    let rate = Command::Rate {
        command_id: widget.command_id(),
        ticket_id: ticket,
        mark_id: incomplete,
    };
    widget.command(rate).await.expect("rated");
    let (mark, _) = staff
        .until(|e| match e {
            Event::TicketEvent { event } => match &event.kind {
                EventKind::Rated { mark } => Some(mark.label.clone()),
                _ => None,
            },
            _ => None,
        })
        .await;
    assert_eq!(mark, "Not complete enough");

    let unknown = member
        .post(&path, serde_json::json!({"mark_id": 999}))
        .await;
    assert_eq!(
        (unknown.status, unknown.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid")
    );
    let by_staff = olga.post(&path, serde_json::json!({"mark_id": fine})).await;
    assert_eq!(by_staff.status, StatusCode::CONFLICT);
    let by_other = boris
        .post(&path, serde_json::json!({"mark_id": fine}))
        .await;
    assert_eq!(by_other.status, StatusCode::NOT_FOUND);
    let changed = member
        .post(&path, serde_json::json!({"mark_id": fine}))
        .await;
    assert_eq!(
        changed.status,
        StatusCode::OK,
        "a member may change their mind"
    );
}

async fn transfer(backend: Backend) {
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
            serde_json::json!({"action": "create_employee", "email": "petr@desk.example",
                "name": "Petr Ivanov", "role": "operator", "password": "switchboard",
                "departments": [care]}),
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
        .post(&path, serde_json::json!({"department_id": care}))
        .await;
    assert_eq!(
        (same.status, same.code()),
        (StatusCode::CONFLICT, "conflict")
    );
    let unknown = ivan
        .post(&path, serde_json::json!({"department_id": 4242}))
        .await;
    assert_eq!(
        (unknown.status, unknown.code()),
        (StatusCode::NOT_FOUND, "not_found")
    );
    let reply = member
        .post(&path, serde_json::json!({"department_id": billing}))
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    olga.post(
        &format!("/api/tickets/{ticket}/take"),
        serde_json::json!({}),
    )
    .await;
    let locked = ivan
        .post(&path, serde_json::json!({"department_id": billing}))
        .await;
    assert_eq!(
        (locked.status, locked.code()),
        (StatusCode::CONFLICT, "locked")
    );
    olga.post(
        &format!("/api/tickets/{ticket}/release"),
        serde_json::json!({}),
    )
    .await;

    // Ivan transfers it over the socket.
    let command = Command::Transfer {
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
    let detail: TicketDetail = ivan.get(&format!("/api/tickets/{ticket}")).await.json();
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
    let detail: TicketDetail = member.get(&format!("/api/tickets/{ticket}")).await.json();
    assert_eq!(detail.ticket.department.name, "Billing");
    assert!(detail.events.iter().any(|e| matches!(&e.kind,
        EventKind::Transferred { from, to } if from.name == "Customer care" && to.name == "Billing")));
}

async fn racing_to_take(backend: Backend) {
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
        let (a, b) = tokio::join!(
            olga.post(&path, serde_json::json!({})),
            ivan.post(&path, serde_json::json!({}))
        );
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

async fn holder_writes(backend: Backend) {
    let server = TestServer::start(backend).await;
    let member = server.signed_in(MEMBER).await;
    let olga = server.signed_in(OLGA).await;
    let ivan = server.signed_in(IVAN).await;
    let moderator = server.signed_in(MODERATOR).await;
    let care = member.department("Customer care").await;
    let ticket = member.start_ticket(care, "Locked", "hello").await;
    assert_eq!(
        olga.post(
            &format!("/api/tickets/{ticket}/take"),
            serde_json::json!({})
        )
        .await
        .status,
        StatusCode::OK
    );
    let again = olga
        .post(
            &format!("/api/tickets/{ticket}/take"),
            serde_json::json!({}),
        )
        .await;
    assert_eq!(
        (again.status, &again.body["duplicate"]),
        (StatusCode::OK, &serde_json::json!(true))
    );

    // Ivan can neither write nor release, over HTTP or the socket.
    let message = |hidden: bool| serde_json::json!({"client_msg_id": new_msg_id().as_str(), "body": "me too", "hidden": hidden});
    for hidden in [false, true] {
        let reply = ivan.message(ticket, message(hidden)).await;
        assert_eq!(
            (reply.status, reply.code()),
            (StatusCode::CONFLICT, "locked"),
            "hidden: {hidden}"
        );
    }
    let reply = ivan
        .post(
            &format!("/api/tickets/{ticket}/release"),
            serde_json::json!({}),
        )
        .await;
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
    let reply = olga.message(ticket, message(false)).await;
    assert_eq!(reply.status, StatusCode::CREATED);
    let reply = member.message(ticket, message(false)).await;
    assert_eq!(reply.status, StatusCode::CREATED);
    let reply = member
        .post(
            &format!("/api/tickets/{ticket}/take"),
            serde_json::json!({}),
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::FORBIDDEN,
        "members do not take tickets"
    );

    // A moderator releases it; then Ivan can take it.
    let reply = moderator
        .post(
            &format!("/api/tickets/{ticket}/release"),
            serde_json::json!({}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let reply = moderator
        .post(
            &format!("/api/tickets/{ticket}/release"),
            serde_json::json!({}),
        )
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
    let detail: TicketDetail = ivan.get(&format!("/api/tickets/{ticket}")).await.json();
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

async fn hidden_notes(backend: Backend) {
    let server = TestServer::start(backend).await;
    let member = server.signed_in(MEMBER).await;
    let olga = server.signed_in(OLGA).await;
    let ivan = server.signed_in(IVAN).await;
    let care = member.department("Customer care").await;
    let ticket = member.start_ticket(care, "Notes", "hello").await;

    let mut widget = member.socket().await;
    widget.follow_list(Topic::Inbox).await;
    widget.follow_ticket(ticket, None).await;
    let mut ivan_socket = ivan.socket().await;
    ivan_socket.follow_ticket(ticket, None).await;
    let mut olga_socket = olga.socket().await;

    const SECRET: &str = "Internal: customer is on the watch list";
    let note = Command::SendMessage {
        command_id: olga_socket.command_id(),
        ticket_id: ticket,
        client_msg_id: new_msg_id(),
        body: SECRET.into(),
        hidden: true,
        close: false,
        attachments: Vec::new(),
    };
    olga_socket.command(note).await.expect("the note is stored");
    let reply = olga.say(ticket, "We are on it.").await;
    assert_eq!(reply.status, StatusCode::CREATED);

    // Staff see the note, in its own kind.
    let (note_body, _) = ivan_socket
        .until(|e| match e {
            Event::TicketEvent { event } => match &event.kind {
                EventKind::Note { body, .. } => Some(body.clone()),
                _ => None,
            },
            _ => None,
        })
        .await;
    assert_eq!(note_body, SECRET);

    // The member gets the answer, numbered without holes, and nothing of the note or the lock.
    let (answer, _) = widget
        .until(|e| match e {
            Event::TicketEvent { event } => Some(event.clone()),
            _ => None,
        })
        .await;
    assert_eq!(answer.seq, Seq(3));
    assert!(
        matches!(&answer.kind, EventKind::Message { body, .. } if body == "We are on it."),
        "{answer:?}"
    );
    let rest = widget.drain().await;
    let frames = serde_json::to_string(&rest).expect("serialisable");
    assert!(
        !frames.contains("watch list") && !frames.contains("\"note\"") && !frames.contains("taken"),
        "{frames}"
    );
    let detail: TicketDetail = member.get(&format!("/api/tickets/{ticket}")).await.json();
    let json = serde_json::to_string(&detail).expect("serialisable");
    assert!(
        !json.contains("watch list") && !json.contains("\"taken\""),
        "{json}"
    );
    assert_eq!(
        detail.events.iter().map(|e| e.seq.0).collect::<Vec<_>>(),
        vec![1, 2, 3]
    );
    assert_eq!(
        detail.ticket.assignee, None,
        "members do not see who holds the ticket"
    );
    let inbox: Vec<TicketSummary> = member.get("/api/tickets").await.json();
    let mine = inbox.iter().find(|t| t.id == ticket).expect("listed");
    assert_eq!(mine.preview.as_deref(), Some("We are on it."));

    // Members cannot write notes or close.
    for body in [
        serde_json::json!({"client_msg_id": new_msg_id().as_str(), "body": "x", "hidden": true}),
        serde_json::json!({"client_msg_id": new_msg_id().as_str(), "body": "x", "close": true}),
    ] {
        let reply = member.message(ticket, body).await;
        assert_eq!(
            (reply.status, reply.code()),
            (StatusCode::FORBIDDEN, "forbidden")
        );
    }
}

async fn close_and_reopen(backend: Backend) {
    let server = TestServer::start(backend).await;
    let member = server.signed_in(MEMBER).await;
    let olga = server.signed_in(OLGA).await;
    let care = member.department("Customer care").await;
    let ticket = member.start_ticket(care, "Close me", "hello").await;
    let mut board = olga.socket().await;
    board.follow_list(Topic::Board).await;
    let mut widget = member.socket().await;
    widget.follow_list(Topic::Inbox).await;

    let archive = member
        .post(
            &format!("/api/tickets/{ticket}/archive"),
            serde_json::json!({}),
        )
        .await;
    assert_eq!(
        (archive.status, archive.code()),
        (StatusCode::CONFLICT, "conflict"),
        "an open ticket stays out of the archive"
    );

    let reply = olga
        .message(ticket, serde_json::json!({"client_msg_id": new_msg_id().as_str(), "body": "Done!", "close": true}))
        .await;
    assert_eq!(reply.status, StatusCode::CREATED);
    let (closed, _) = board
        .until(|e| match e {
            Event::TicketChanged { ticket: t }
                if t.id == ticket && t.status == TicketStatus::Closed =>
            {
                Some(t.clone())
            }
            _ => None,
        })
        .await;
    assert_eq!(closed.assignee, None, "closing releases the ticket");
    let list: Vec<TicketSummary> = olga.get("/api/tickets").await.json();
    assert!(
        list.iter().all(|t| t.id != ticket),
        "closed tickets leave the board"
    );

    // The member sees new messages, reads them, archives the ticket.
    let (status, _) = widget
        .until(|e| match e {
            Event::TicketChanged { ticket: t }
                if t.id == ticket && t.status == TicketStatus::Closed =>
            {
                Some(t.member_status())
            }
            _ => None,
        })
        .await;
    assert_eq!(status, MemberStatus::NewMessages);
    let detail: TicketDetail = member.get(&format!("/api/tickets/{ticket}")).await.json();
    let last = detail.events.last().expect("events");
    assert_eq!(last.kind, EventKind::Closed);
    widget
        .send(&Command::MarkRead {
            ticket_id: ticket,
            seq: last.seq,
        })
        .await;
    let (status, _) = widget
        .until(|e| match e {
            Event::TicketChanged { ticket: t } if t.id == ticket && t.unread == 0 => {
                Some(t.member_status())
            }
            _ => None,
        })
        .await;
    assert_eq!(status, MemberStatus::Closed);
    let archive = Command::Archive {
        command_id: widget.command_id(),
        ticket_id: ticket,
    };
    widget.command(archive).await.expect("archived");
    let inbox: Vec<TicketSummary> = member.get("/api/tickets").await.json();
    assert!(
        inbox.iter().any(|t| t.id == ticket && t.archived),
        "the archive keeps it"
    );

    // Writing again reopens it, takes it out of the archive, and puts it back on the board live.
    let reply = member.say(ticket, "One more thing").await;
    assert_eq!(reply.status, StatusCode::CREATED);
    let (reopened, _) = board
        .until(|e| match e {
            Event::TicketChanged { ticket: t }
                if t.id == ticket && t.status == TicketStatus::Open =>
            {
                Some(t.clone())
            }
            _ => None,
        })
        .await;
    assert!(!reopened.archived);
    assert_eq!(reopened.member_status(), MemberStatus::UnderReview);
    let detail: TicketDetail = member.get(&format!("/api/tickets/{ticket}")).await.json();
    let kinds: Vec<&EventKind> = detail
        .events
        .iter()
        .rev()
        .take(2)
        .map(|e| &e.kind)
        .collect();
    assert!(
        matches!(kinds[1], EventKind::Reopened) && matches!(kinds[0], EventKind::Message { .. }),
        "{kinds:?}"
    );
}

async fn splitting(backend: Backend) {
    let server = TestServer::start(backend).await;
    let anna = server.signed_in(MEMBER).await;
    let olga = server.signed_in(OLGA).await;
    let ivan = server.signed_in(IVAN).await;
    let maria = server.signed_in(people::MARIA).await;
    let care = anna.department("Customer care").await;
    let ticket = anna
        .start_ticket(care, "Two problems", "First: my card is blocked")
        .await;
    assert_eq!(
        olga.say(ticket, "Your card is unblocked").await.status,
        StatusCode::CREATED
    );
    assert_eq!(
        anna.say(ticket, "Second: my address changed").await.status,
        StatusCode::CREATED
    );
    let note = serde_json::json!({"client_msg_id": new_msg_id().as_str(), "body": "address team told", "hidden": true});
    assert_eq!(olga.message(ticket, note).await.status, StatusCode::CREATED);
    let staff_view: TicketDetail = olga.get(&format!("/api/tickets/{ticket}")).await.json();
    let seq_of = |text: &str| {
        staff_view
            .events
            .iter()
            .find(|e| matches!(&e.kind, EventKind::Message { body, .. } | EventKind::Note { body, .. } if body == text))
            .map(|e| e.seq)
            .expect("the message")
    };
    let second = seq_of("Second: my address changed");
    let note_seq = seq_of("address team told");
    let mut inbox = anna.socket().await;
    inbox.follow_list(Topic::Inbox).await;

    // Refused: a note, the opening message, a member, someone else's lock, another department.
    let split = |seq: Seq| serde_json::json!({ "seq": seq });
    let path = format!("/api/tickets/{ticket}/split");
    for (who, seq, status) in [
        (&olga, note_seq, StatusCode::UNPROCESSABLE_ENTITY),
        (&olga, Seq(2), StatusCode::CONFLICT),
        (&anna, second, StatusCode::FORBIDDEN),
        (&ivan, second, StatusCode::CONFLICT),
        (&maria, second, StatusCode::NOT_FOUND),
    ] {
        let reply = who.post(&path, split(seq)).await;
        assert_eq!(reply.status, status, "{}", reply.body);
    }
    let mut member_socket = anna.socket().await;
    let refused = member_socket
        .refused(|command_id| Command::Split {
            command_id,
            ticket_id: ticket,
            seq: second,
        })
        .await;
    assert_eq!(refused, ErrorCode::Forbidden);

    // Olga splits over the socket: the acknowledgement names the new ticket.
    let mut socket = olga.socket().await;
    let command_id = socket.command_id();
    socket
        .send(&Command::Split {
            command_id,
            ticket_id: ticket,
            seq: second,
        })
        .await;
    let (new, _) = socket
        .until(|e| match e {
            Event::Ack {
                command_id: c,
                ticket_id,
                ..
            } if *c == command_id => Some(*ticket_id),
            Event::Error { message, .. } => panic!("split refused: {message}"),
            _ => None,
        })
        .await;
    assert_ne!(new, ticket);

    // Staff see the copies with their authors, the note included.
    let copied: TicketDetail = olga.get(&format!("/api/tickets/{new}")).await.json();
    assert_eq!(copied.ticket.subject, "Two problems (continued)");
    assert!(
        matches!(&copied.events[1].kind, EventKind::SplitFrom { ticket: t, .. } if *t == ticket)
    );
    let bodies: Vec<(String, bool)> = copied
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Message { body, .. } => Some((body.clone(), false)),
            EventKind::Note { body, .. } => Some((body.clone(), true)),
            _ => None,
        })
        .collect();
    assert_eq!(
        bodies,
        [
            ("Second: my address changed".to_owned(), false),
            ("address team told".to_owned(), true)
        ]
    );
    let author = copied
        .events
        .iter()
        .find(|e| matches!(e.kind, EventKind::Message { .. }));
    assert_eq!(
        author
            .and_then(|e| e.author.as_ref())
            .map(|a| a.name.as_str()),
        Some("Anna Ivanova")
    );

    // The member gets the new ticket in her inbox live, without the note, and the original
    // tells her where the conversation went, by her own numbering.
    inbox
        .until(|e| matches!(e, Event::TicketChanged { ticket: t } if t.id == new).then_some(()))
        .await;
    let hers: TicketDetail = anna.get(&format!("/api/tickets/{new}")).await.json();
    assert!(
        !hers
            .events
            .iter()
            .any(|e| matches!(e.kind, EventKind::Note { .. }))
    );
    assert!(hers.events.iter().any(|e| matches!(&e.kind, EventKind::Message { body, .. } if body == "Second: my address changed")));
    let original: TicketDetail = anna.get(&format!("/api/tickets/{ticket}")).await.json();
    let her_second = original
        .events
        .iter()
        .find(|e| matches!(&e.kind, EventKind::Message { body, .. } if body == "Second: my address changed"))
        .expect("still in the original")
        .seq;
    assert!(matches!(
        original.events.last().map(|e| &e.kind),
        Some(EventKind::SplitOff { ticket: t, message_seq, .. }) if *t == new && *message_seq == her_second
    ));
    // Search finds the copy too.
    let found: app::protocol::SearchResults = anna.search("address changed").await.json();
    assert!(found.hits.iter().any(|h| h.ticket_id == new));
    server.stop().await;
}
