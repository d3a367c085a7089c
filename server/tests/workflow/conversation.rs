//! Hidden notes, send and close, reading, the archive, reopening, ratings and canned responses.

#[allow(unused_imports)]
use super::*;

pub(super) async fn hidden_notes(backend: Backend) {
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
        seen: None,
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
    let detail = member.detail(ticket).await;
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
    for message in [
        NewMessageRequest {
            hidden: true,
            ..common::said("x")
        },
        NewMessageRequest {
            close: true,
            ..common::said("x")
        },
    ] {
        let reply = member.message(ticket, &message).await;
        assert_eq!(
            (reply.status, reply.code()),
            (StatusCode::FORBIDDEN, "forbidden")
        );
    }
}

pub(super) async fn close_and_reopen(backend: Backend) {
    let server = TestServer::start(backend).await;
    let member = server.signed_in(MEMBER).await;
    let olga = server.signed_in(OLGA).await;
    let care = member.department("Customer care").await;
    let ticket = member.start_ticket(care, "Close me", "hello").await;
    let mut board = olga.socket().await;
    board.follow_list(Topic::Board).await;
    let mut widget = member.socket().await;
    widget.follow_list(Topic::Inbox).await;

    let archive = member.act(&format!("/api/tickets/{ticket}/archive")).await;
    assert_eq!(
        (archive.status, archive.code()),
        (StatusCode::CONFLICT, "conflict"),
        "an open ticket stays out of the archive"
    );

    let reply = olga
        .message(
            ticket,
            &NewMessageRequest {
                close: true,
                ..common::said("Done!")
            },
        )
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
    let detail = member.detail(ticket).await;
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
    let detail = member.detail(ticket).await;
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

pub(super) async fn rating(backend: Backend) {
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

    let early = member.post(&path, &RateRequest { mark_id: fine }).await;
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
        .post(
            &path,
            &RateRequest {
                mark_id: RatingMarkId(999),
            },
        )
        .await;
    assert_eq!(
        (unknown.status, unknown.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid")
    );
    let by_staff = olga.post(&path, &RateRequest { mark_id: fine }).await;
    assert_eq!(by_staff.status, StatusCode::CONFLICT);
    let by_other = boris.post(&path, &RateRequest { mark_id: fine }).await;
    assert_eq!(by_other.status, StatusCode::NOT_FOUND);
    let changed = member.post(&path, &RateRequest { mark_id: fine }).await;
    assert_eq!(
        changed.status,
        StatusCode::OK,
        "a member may change their mind"
    );
}

pub(super) async fn canned_responses(backend: Backend) {
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
