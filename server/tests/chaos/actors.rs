//! The chaos test's writers and readers: numbered messages sent with retries, and every stream read back.

#[allow(unused_imports)]
use super::*;

/// Sends numbered messages to one ticket, one at a time, until told to stop; retries each with
/// the same client id until it is acknowledged.
pub(super) async fn writer(
    shared: Arc<Shared>,
    who: String,
    cookie: String,
    ticket: TicketId,
    prefer: usize,
    seed: u64,
) -> Vec<Acked> {
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut ws: Option<Ws> = None;
    let mut acked = Vec::new();
    let mut next_command = 0;
    let mut n = 0;
    while !shared.stop_writing.load(Ordering::Relaxed) {
        n += 1;
        let client_msg_id = format!("chaos-{who}-{}-{n}", ticket.0);
        'retry: loop {
            let socket = match ws.as_mut() {
                Some(socket) => socket,
                None => ws.insert(connect(&shared, &cookie, prefer).await),
            };
            next_command += 1;
            let command_id = CommandId(next_command);
            let command = Command::SendMessage {
                seen: None,
                command_id,
                ticket_id: ticket,
                client_msg_id: ClientMsgId::parse(&client_msg_id).expect("a valid id"),
                body: format!("{who} #{n}"),
                hidden: false,
                close: false,
                attachments: Vec::new(),
            };
            bump(&shared.counts.sent);
            if !send(socket, &command).await {
                ws = None;
                continue;
            }
            if rng.u64(..100) < 3 {
                // Gone before hearing the answer: the retry must neither lose nor double it.
                bump(&shared.counts.dropped_before_ack);
                bump(&shared.counts.sockets_dropped);
                ws = None;
                continue;
            }
            loop {
                let event = match read(socket, Duration::from_secs(10)).await {
                    Read::Event(event) => *event,
                    Read::Quiet | Read::Closed => {
                        ws = None;
                        continue 'retry;
                    }
                };
                match event {
                    Event::Ack {
                        command_id: c,
                        duplicate,
                        ..
                    } if c == command_id => {
                        bump(&shared.counts.acked);
                        if duplicate {
                            bump(&shared.counts.acked_as_duplicate);
                        }
                        acked.push(Acked {
                            ticket,
                            client_msg_id: client_msg_id.clone(),
                        });
                        break 'retry;
                    }
                    Event::Error {
                        command_id: Some(c),
                        code,
                        message,
                        ..
                    } if c == command_id => {
                        assert!(
                            matches!(code, ErrorCode::Unavailable | ErrorCode::Internal),
                            "{who}: only an outage may refuse a message: {code:?} {message}"
                        );
                        bump(&shared.counts.error_events);
                        tokio::time::sleep(Duration::from_millis(100)).await;
                        continue 'retry;
                    }
                    _ => {}
                }
            }
        }
        if rng.u64(..100) < 2 {
            bump(&shared.counts.sockets_dropped);
            ws = None;
        }
    }
    acked
}

pub(super) fn reached(streams: &HashMap<TicketId, Stream>, targets: &Targets) -> bool {
    let targets = targets.lock().unwrap_or_else(|p| p.into_inner());
    targets.as_ref().is_some_and(|targets| {
        targets.iter().all(|(ticket, last)| {
            streams
                .get(ticket)
                .and_then(|s| s.last())
                .is_some_and(|(seq, _)| seq.0 >= last.0)
        })
    })
}

/// Follows `tickets` from the `prefer`red node, resuming after every drop from its last seq,
/// until it has reached its targets (or is told to stop).
pub(super) async fn reader(
    shared: Arc<Shared>,
    cookie: String,
    tickets: Vec<TicketId>,
    prefer: usize,
    seed: u64,
    targets: Targets,
) -> HashMap<TicketId, Stream> {
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut streams: HashMap<TicketId, Stream> = tickets.iter().map(|t| (*t, Vec::new())).collect();
    while !shared.stop_reading.load(Ordering::Relaxed) {
        let mut ws = connect(&shared, &cookie, prefer).await;
        let mut subscribed = true;
        for ticket in &tickets {
            let since = streams[ticket].last().map_or(Seq(0), |(seq, _)| *seq);
            let follow = Command::Subscribe {
                topic: Topic::Ticket { id: *ticket },
                since: Some(since),
                filter: None,
            };
            subscribed &= send(&mut ws, &follow).await;
        }
        if !subscribed {
            continue;
        }
        loop {
            if reached(&streams, &targets) {
                return streams;
            }
            if shared.stop_reading.load(Ordering::Relaxed) {
                break;
            }
            match read(&mut ws, Duration::from_millis(200)).await {
                Read::Event(event) => {
                    let Event::TicketEvent { event } = *event else {
                        continue;
                    };
                    let id = match &event.kind {
                        EventKind::Message { client_msg_id, .. } => {
                            client_msg_id.as_ref().map(|c| c.as_str().to_owned())
                        }
                        _ => None,
                    };
                    if let Some(stream) = streams.get_mut(&event.ticket_id) {
                        stream.push((event.seq, id));
                    }
                    if rng.u64(..1000) < 3 {
                        bump(&shared.counts.sockets_dropped);
                        break;
                    }
                }
                Read::Quiet => {}
                Read::Closed => break,
            }
        }
    }
    streams
}
