//! Live delivery both ways: exactly once, in order, through reconnects, resends, concurrent writers and slow readers.

#[allow(unused_imports)]
use super::*;

pub(super) async fn member_and_operator_chat_live(backend: Backend) {
    let server = TestServer::start(backend).await;
    let member = server.signed_in(MEMBER).await;
    let operator = server.signed_in(CARE_OPERATOR).await;
    let care = member.department("Customer care").await;

    let mut board = operator.socket().await;
    let before = board.follow_list(Topic::Board).await;
    assert!(
        before.iter().all(|t| t.department.id == care),
        "the board shows only the operator's departments"
    );
    assert!(
        before
            .windows(2)
            .all(|w| w[0].created_at <= w[1].created_at),
        "oldest first"
    );

    let mut widget = member.socket().await;
    let inbox = widget.follow_list(Topic::Inbox).await;
    assert!(
        inbox.iter().all(|t| t.member.name == "Anna Ivanova"),
        "the inbox holds only her tickets"
    );

    // The member starts a conversation over the socket.
    let command_id = widget.command_id();
    widget
        .send(&Command::StartTicket {
            command_id,
            client_msg_id: new_msg_id(),
            department_id: care,
            subject: "Lost card".into(),
            body: "My card is lost".into(),
            attachments: Vec::new(),
            form: None,
        })
        .await;
    let (ticket_id, _) = widget
        .until(|e| match e {
            Event::Ack {
                command_id: c,
                ticket_id,
                duplicate: false,
                ..
            } if *c == command_id => Some(*ticket_id),
            _ => None,
        })
        .await;

    // The board learns of it live.
    let (summary, _) = board
        .until(|e| match e {
            Event::TicketChanged { ticket } if ticket.id == ticket_id => Some(ticket.clone()),
            _ => None,
        })
        .await;
    assert_eq!(summary.subject, "Lost card");
    assert_eq!(summary.preview.as_deref(), Some("My card is lost"));

    // The operator opens it and sees the whole history.
    let history = board.follow_ticket(ticket_id, None).await;
    assert_eq!(
        history.iter().map(|e| e.seq.0).collect::<Vec<_>>(),
        vec![1, 2]
    );
    assert_eq!(message_body(&history[1]), Some("My card is lost"));

    // The member follows the conversation; the operator replies; it arrives live.
    let mine = widget.follow_ticket(ticket_id, None).await;
    assert_eq!(mine.len(), 2);
    let (seq, duplicate) = board
        .send_message(
            ticket_id,
            &new_msg_id(),
            "Blocked. A new card is on its way.",
        )
        .await
        .expect("the reply is stored");
    // Replying took the ticket (a staff-only event), so staff count 4 where the member counts 3.
    assert_eq!((seq, duplicate), (Seq(4), false));
    let (event, _) = widget
        .until(|e| match e {
            Event::TicketEvent { event } if event.ticket_id == ticket_id => Some(event.clone()),
            _ => None,
        })
        .await;
    assert_eq!(event.seq, Seq(3), "the member's numbering has no hole");
    assert_eq!(
        message_body(&event),
        Some("Blocked. A new card is on its way.")
    );
    assert_eq!(
        event.author.as_ref().map(|a| a.name.as_str()),
        Some("Ivan Sokolov")
    );

    // Her inbox shows one unread message; reading it clears the badge, live.
    let (unread, _) = widget
        .until(|e| match e {
            Event::TicketChanged { ticket } if ticket.id == ticket_id && ticket.unread > 0 => {
                Some(ticket.unread)
            }
            _ => None,
        })
        .await;
    assert_eq!(unread, 1);
    widget
        .send(&Command::MarkRead {
            ticket_id,
            seq: Seq(3),
        })
        .await;
    widget
        .until(|e| matches!(e, Event::TicketChanged { ticket } if ticket.id == ticket_id && ticket.unread == 0).then_some(()))
        .await;

    // The same history over HTTP, for both of them.
    let detail: TicketDetail = member
        .get(&format!("/api/tickets/{ticket_id}"))
        .await
        .json();
    assert_eq!(detail.events.len(), 3);
    assert_eq!(detail.ticket.unread, 0);
    let list: Vec<TicketSummary> = operator.get("/api/tickets").await.json();
    assert!(list.iter().any(|t| t.id == ticket_id));
}

pub(super) async fn reconnect_replays_exactly(backend: Backend) {
    let server = TestServer::start(backend).await;
    let member = server.signed_in(MEMBER).await;
    let operator = server.signed_in(CARE_OPERATOR).await;
    let care = member.department("Customer care").await;
    let ticket = member.start_ticket(care, "Replay", "first").await;

    let mut widget = member.socket().await;
    let seen = widget.follow_ticket(ticket, None).await;
    let last = seen.last().expect("events").seq;
    drop(widget); // the network goes away

    // While she is gone, both sides write.
    let mut staff = operator.socket().await;
    staff.follow_ticket(ticket, None).await;
    for n in 0..5 {
        staff
            .send_message(ticket, &new_msg_id(), &format!("reply {n}"))
            .await
            .expect("stored");
    }
    let reply = member.say(ticket, "over http").await;
    assert_eq!(reply.status, StatusCode::CREATED);

    // She comes back and resumes from the last seq she saw.
    let mut widget = member.socket().await;
    let missed = widget.follow_ticket(ticket, Some(last)).await;
    let seqs: Vec<i64> = missed.iter().map(|e| e.seq.0).collect();
    let expected: Vec<i64> = (last.0 + 1..=last.0 + 6).collect();
    assert_eq!(seqs, expected, "exactly the missed events, in order");
    assert_eq!(message_body(&missed[5]), Some("over http"));

    // And then live, continuing the same numbering.
    staff
        .send_message(ticket, &new_msg_id(), "live again")
        .await
        .expect("stored");
    let (event, _) = widget
        .until(|e| match e {
            Event::TicketEvent { event } => Some(event.clone()),
            _ => None,
        })
        .await;
    assert_eq!(event.seq.0, last.0 + 7);
    assert!(
        widget
            .drain()
            .await
            .iter()
            .all(|e| !matches!(e, Event::TicketEvent { .. })),
        "no duplicate follows"
    );

    // HTTP reads resume the same way.
    let detail: TicketDetail = member
        .get(&format!("/api/tickets/{ticket}?since={}", last.0 + 5))
        .await
        .json();
    assert_eq!(
        detail.events.iter().map(|e| e.seq.0).collect::<Vec<_>>(),
        vec![last.0 + 6, last.0 + 7]
    );
}

pub(super) async fn resend_is_idempotent(backend: Backend) {
    let server = TestServer::start(backend).await;
    let member = server.signed_in(MEMBER).await;
    let care = member.department("Customer care").await;
    let ticket = member.start_ticket(care, "Twice", "hello").await;
    let mut widget = member.socket().await;
    widget.follow_ticket(ticket, None).await;

    let id = new_msg_id();
    let first = widget
        .send_message(ticket, &id, "only once")
        .await
        .expect("stored");
    let second = widget
        .send_message(ticket, &id, "only once")
        .await
        .expect("acknowledged");
    assert_eq!(first, (Seq(3), false));
    assert_eq!(
        second,
        (Seq(3), true),
        "the second ack says it was a duplicate"
    );

    // The same id over HTTP is the same message too.
    let reply = member
        .message(
            ticket,
            &NewMessageRequest {
                client_msg_id: id.clone(),
                ..common::said("only once")
            },
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body["duplicate"], true);
    assert_eq!(reply.body["seq"], 3);

    // A retried new conversation is one ticket.
    let start = common::new_ticket(care, "s", "b");
    let a = member.post("/api/tickets", &start).await;
    let b = member.post("/api/tickets", &start).await;
    assert_eq!((a.status, b.status), (StatusCode::CREATED, StatusCode::OK));
    assert_eq!(a.body["ticket_id"], b.body["ticket_id"]);

    // Concurrent retries of one id: one message.
    let racing = new_msg_id();
    let sends = (0..8).map(|_| {
        let member = member.clone();
        let message = NewMessageRequest {
            client_msg_id: racing.clone(),
            ..common::said("raced")
        };
        async move { member.message(ticket, &message).await }
    });
    let replies = futures_util::future::join_all(sends).await;
    assert_eq!(
        replies
            .iter()
            .filter(|r| r.status == StatusCode::CREATED)
            .count(),
        1,
        "one stored"
    );
    assert!(
        replies
            .iter()
            .all(|r| r.body["seq"] == replies[0].body["seq"]),
        "all point at it"
    );

    let detail = member.detail(ticket).await;
    let bodies: Vec<&str> = detail.events.iter().filter_map(message_body).collect();
    assert_eq!(bodies, vec!["hello", "only once", "raced"]);
}

pub(super) async fn concurrent_writers_are_ordered(backend: Backend) {
    let server = TestServer::start(backend).await;
    let member = server.signed_in(MEMBER).await;
    let operator = server.signed_in(people::OLGA).await;
    let care = member.department("Customer care").await;
    let ticket = member.start_ticket(care, "Busy", "start").await;

    let mut readers = Vec::new();
    for client in [&member, &operator] {
        let mut socket = client.socket().await;
        socket.follow_ticket(ticket, None).await;
        readers.push(socket);
    }
    const EACH: usize = 20;
    let writers = [
        member.clone(),
        operator.clone(),
        member.clone(),
        operator.clone(),
    ];
    let tasks = writers.into_iter().enumerate().map(|(w, client)| {
        tokio::spawn(async move {
            for n in 0..EACH {
                let reply = client.say(ticket, &format!("w{w}-{n}")).await;
                assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
            }
        })
    });
    for task in futures_util::future::join_all(tasks).await {
        task.expect("a writer finished");
    }
    // The member counts the messages; staff also count the operator's taking of the ticket.
    for (reader, total) in readers
        .iter_mut()
        .zip([2 + 4 * EACH as i64, 3 + 4 * EACH as i64])
    {
        let mut seqs = vec![1, 2];
        let mut bodies = HashSet::new();
        while seqs.len() < total as usize {
            if let Event::TicketEvent { event } = reader.next().await {
                seqs.push(event.seq.0);
                if let Some(body) = message_body(&event) {
                    assert!(bodies.insert(body.to_owned()), "no duplicate");
                }
            }
        }
        assert_eq!(
            seqs,
            (1..=total).collect::<Vec<_>>(),
            "every event once, in order"
        );
    }
}

pub(super) async fn slow_reader_resumes(backend: Backend) {
    let db = Arc::new(TestDb::new(backend).await);
    let server = TestServer::start_with(
        db,
        Options {
            socket_queue: 4,
            // One socket writes far faster than a person may; the limits on abuse are
            // tested on their own.
            limits: common::flood_limits(),
            ..Options::default()
        },
    )
    .await;
    let member = server.signed_in(MEMBER).await;
    let operator = server.signed_in(CARE_OPERATOR).await;
    let care = member.department("Customer care").await;
    let ticket = member.start_ticket(care, "Flood", "start").await;

    let mut slow = member.stalled_socket().await;
    slow.follow_ticket(ticket, None).await;
    let mut fast = operator.socket().await;
    fast.follow_ticket(ticket, None).await;
    // The slow reader reads nothing while far more is published than the network buffers
    // hold; the writer is never held back.
    let big = "x".repeat(limits::MAX_BODY_CHARS - 10);
    const SENT: i64 = 300;
    for n in 0..SENT {
        fast.send_message(ticket, &new_msg_id(), &format!("{n} {big}"))
            .await
            .expect("stored");
    }
    // Then it reads: what it gets is in order, and it is told to resume.
    let mut last = Seq(2);
    let closed = loop {
        match slow.next_or_close().await {
            Ok(Event::TicketEvent { event }) => {
                assert_eq!(event.seq.0, last.0 + 1, "in order until dropped");
                last = event.seq;
            }
            Ok(_) => {}
            Err(closed) => break closed,
        }
    };
    assert_eq!(closed.code, close_code::LAGGED);
    let mut again = member.socket().await;
    let rest = again.follow_ticket(ticket, Some(last)).await;
    let seqs: Vec<i64> = rest.iter().map(|e| e.seq.0).collect();
    assert_eq!(
        seqs,
        (last.0 + 1..=SENT + 2).collect::<Vec<_>>(),
        "the rest, once each"
    );
}
