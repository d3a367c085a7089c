//! Editing a message (the previous text kept) and splitting a long ticket.

#[allow(unused_imports)]
use super::*;

pub(super) async fn editing(backend: Backend) {
    let server = TestServer::start(backend).await;
    let member = server.signed_in(MEMBER).await;
    let olga = server.signed_in(OLGA).await;
    let ivan = server.signed_in(IVAN).await;
    let care = member.department("Customer care").await;
    let ticket = member.start_ticket(care, "Edits", "hello").await;
    let typo = olga
        .message(ticket, &common::said("Teh card is blocked"))
        .await;
    let seq = typo.body["seq"].as_i64().expect("a seq");
    let note = olga.message(ticket, &common::note("secret draft")).await;
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
    let detail = olga.detail(ticket).await;
    let last = detail.events.last().expect("events");
    assert!(
        matches!(&last.kind, EventKind::Edited { previous, .. } if previous == "The card is blocked"),
        "{last:?}"
    );
}

pub(super) async fn splitting(backend: Backend) {
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
    let note = common::note("address team told");
    assert_eq!(
        olga.message(ticket, &note).await.status,
        StatusCode::CREATED
    );
    let staff_view = olga.detail(ticket).await;
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
    let split = |seq: Seq| SplitRequest { seq, seen: None };
    let path = format!("/api/tickets/{ticket}/split");
    for (who, seq, status) in [
        (&olga, note_seq, StatusCode::UNPROCESSABLE_ENTITY),
        (&olga, Seq(2), StatusCode::CONFLICT),
        (&anna, second, StatusCode::FORBIDDEN),
        (&ivan, second, StatusCode::CONFLICT),
        (&maria, second, StatusCode::NOT_FOUND),
    ] {
        let reply = who.post(&path, &split(seq)).await;
        assert_eq!(reply.status, status, "{}", reply.body);
    }
    let mut member_socket = anna.socket().await;
    let refused = member_socket
        .refused(|command_id| Command::Split {
            seen: None,
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
            seen: None,
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
    let original = anna.detail(ticket).await;
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
