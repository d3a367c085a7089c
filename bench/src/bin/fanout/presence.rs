//! Presence and replay, timed on the real server only.

#[allow(unused_imports)]
use super::*;

/// One operator changes mode on a ticket; another, on the other node when there are two,
/// sees it. 200 changes.
pub(crate) async fn presence_latency(target: &Target) -> bench::Percentiles {
    let first = target.addr(0);
    let last = target.addr(target.nodes.len() - 1);
    let olga = login(first, "olga@desk.example").await;
    let ivan = login(last, "ivan@desk.example").await;
    let ticket = target.tickets[0].0;
    let follow = serde_json::to_string(&Command::Subscribe {
        topic: Topic::Ticket { id: ticket },
        since: None,
        filter: None,
    })
    .expect("a frame");
    let mut speaker = open(first, &olga).await;
    let mut watcher = open(last, &ivan).await;
    for ws in [&mut speaker, &mut watcher] {
        ws.send(Message::Text(follow.clone().into()))
            .await
            .expect("follows");
        until(ws, "\"caught_up\"").await;
    }
    let mut samples = Vec::new();
    for i in 0..200 {
        let mode = if i % 2 == 0 {
            PresenceMode::Replying
        } else {
            PresenceMode::Viewing
        };
        let frame = serde_json::to_string(&Command::Presence {
            ticket_id: ticket,
            mode,
            typing: false,
        })
        .expect("a frame");
        let started = Instant::now();
        speaker
            .send(Message::Text(frame.into()))
            .await
            .expect("sent");
        loop {
            let text = until(&mut watcher, "\"presence\"").await;
            let Ok(Event::Presence { present, .. }) = serde_json::from_str::<Event>(&text) else {
                continue;
            };
            if present
                .iter()
                .any(|p| p.person.name.starts_with("Olga") && p.mode == mode)
            {
                break;
            }
        }
        samples.push(started.elapsed());
    }
    bench::Percentiles::of(&mut samples).expect("samples")
}

/// A reader misses 1,000 events of its ticket, then resumes: milliseconds from asking to
/// having them all (median of three).
pub(crate) async fn replay_time(target: &Target) -> f64 {
    let (ticket, member) = target.tickets[target.tickets.len() - 1];
    let cookie = &target.members[member];
    let addr = target.addr(target.nodes.len() - 1);
    let mut times = Vec::new();
    for round in 0..3 {
        let mut reader = open(addr, cookie).await;
        let follow = |since: Option<Seq>| {
            serde_json::to_string(&Command::Subscribe {
                topic: Topic::Ticket { id: ticket },
                since,
                filter: None,
            })
            .expect("a frame")
        };
        reader
            .send(Message::Text(follow(None).into()))
            .await
            .expect("follows");
        let caught: Event =
            serde_json::from_str(&until(&mut reader, "\"caught_up\"").await).expect("an event");
        let Event::CaughtUp { seq: last, .. } = caught else {
            unreachable!("caught_up")
        };
        drop(reader);
        // 1,000 messages while it is away, from one socket of the ticket's member.
        let mut writer = open(target.addr(0), cookie).await;
        for n in 0..1_000u64 {
            let frame = serde_json::to_string(&Command::SendMessage {
                seen: None,
                command_id: CommandId(n + 1),
                ticket_id: ticket,
                client_msg_id: ClientMsgId::parse(&format!("replay-{round}-{n}-{}", unique()))
                    .expect("an id"),
                body: format!("missed {n}"),
                hidden: false,
                close: false,
                attachments: Vec::new(),
            })
            .expect("a frame");
            writer
                .send(Message::Text(frame.into()))
                .await
                .expect("sent");
        }
        let mut acks = 0;
        while acks < 1_000 {
            until(&mut writer, "\"ack\"").await;
            acks += 1;
        }
        let mut reader = open(addr, cookie).await;
        let started = Instant::now();
        reader
            .send(Message::Text(follow(Some(last)).into()))
            .await
            .expect("follows");
        let mut events = 0;
        loop {
            let text = until(&mut reader, "\"type\"").await;
            if text.contains("\"caught_up\"") {
                break;
            }
            if text.contains("\"ticket_event\"") {
                events += 1;
            }
        }
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        assert!(
            events >= 1_000,
            "the reader got the {events} events it missed"
        );
    }
    times.sort_by(f64::total_cmp);
    times[1]
}
