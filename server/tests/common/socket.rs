//! A real WebSocket client speaking the protocol's types, with waits by condition.

#![allow(dead_code)]

use std::{sync::atomic::Ordering, time::Instant};

use app::protocol::{ClientMsgId, Command, CommandId, Event, Seq, TicketEvent, TicketId, Topic};
use futures_util::{SinkExt, StreamExt};
use tokio::net::TcpStream;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream, tungstenite::Message};

use super::*;

/// A connected socket speaking the protocol.
pub struct Socket {
    pub ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
    next_command: u64,
}

/// How a socket ended.
#[derive(Debug, PartialEq, Eq)]
pub struct Closed {
    pub code: u16,
    pub reason: String,
}

impl Socket {
    /// A socket over an open connection, before its `hello`.
    pub fn new(ws: WebSocketStream<MaybeTlsStream<TcpStream>>) -> Self {
        Socket {
            ws,
            next_command: 0,
        }
    }

    /// Sends a command.
    pub async fn send(&mut self, command: &Command) {
        let text = serde_json::to_string(command).expect("serialisable");
        self.send_text(&text).await;
    }

    /// Sends a raw text frame.
    pub async fn send_text(&mut self, text: &str) {
        self.ws
            .send(Message::Text(text.into()))
            .await
            .expect("the frame is sent");
    }

    /// A new command id.
    pub fn command_id(&mut self) -> CommandId {
        self.next_command += 1;
        CommandId(self.next_command)
    }

    /// The next event (or the close), skipping WebSocket pings.
    pub async fn next_or_close(&mut self) -> Result<Event, Closed> {
        let deadline = tokio::time::Instant::now() + DEADLINE;
        loop {
            let frame = tokio::time::timeout_at(deadline, self.ws.next())
                .await
                .expect("an event within the deadline");
            match frame {
                Some(Ok(Message::Text(text))) => {
                    return Ok(serde_json::from_str(text.as_str())
                        .unwrap_or_else(|e| panic!("unreadable event {text}: {e}")));
                }
                Some(Ok(Message::Close(frame))) => {
                    return Err(frame.map_or(
                        Closed {
                            code: 1005,
                            reason: String::new(),
                        },
                        |f| Closed {
                            code: f.code.into(),
                            reason: f.reason.to_string(),
                        },
                    ));
                }
                Some(Ok(_)) => continue,
                Some(Err(e)) => {
                    return Err(Closed {
                        code: 1006,
                        reason: e.to_string(),
                    });
                }
                None => {
                    return Err(Closed {
                        code: 1006,
                        reason: "ended".into(),
                    });
                }
            }
        }
    }

    /// The next event; panics if the socket closes.
    pub async fn next(&mut self) -> Event {
        self.next_or_close()
            .await
            .unwrap_or_else(|c| panic!("socket closed: {c:?}"))
    }

    /// Reads events until `pick` returns a value; the events passed over are returned too.
    pub async fn until<T>(&mut self, mut pick: impl FnMut(&Event) -> Option<T>) -> (T, Vec<Event>) {
        let started = Instant::now();
        let mut seen = Vec::new();
        loop {
            assert!(
                started.elapsed() < DEADLINE,
                "condition not met; saw {seen:?}"
            );
            let event = self.next().await;
            if let Some(found) = pick(&event) {
                return (found, seen);
            }
            seen.push(event);
        }
    }

    /// The code of the next error event.
    pub async fn next_error(&mut self) -> app::protocol::ErrorCode {
        self.until(|e| match e {
            Event::Error { code, .. } => Some(*code),
            _ => None,
        })
        .await
        .0
    }

    /// Every event the server had for this socket before now: ping, then read to the pong.
    pub async fn drain(&mut self) -> Vec<Event> {
        let nonce = COUNTER.fetch_add(1, Ordering::Relaxed) + 1_000_000;
        self.send(&Command::Ping { nonce }).await;
        let ((), seen) = self
            .until(|e| matches!(e, Event::Pong { nonce: n } if *n == nonce).then_some(()))
            .await;
        seen
    }

    /// Subscribes to a list topic; its snapshot.
    pub async fn follow_list(&mut self, topic: Topic) -> Vec<app::protocol::TicketSummary> {
        self.follow_filtered(topic, None).await
    }

    /// Subscribes to a list topic with a board filter; its snapshot.
    pub async fn follow_filtered(
        &mut self,
        topic: Topic,
        filter: Option<app::protocol::TicketFilter>,
    ) -> Vec<app::protocol::TicketSummary> {
        self.send(&Command::Subscribe {
            topic,
            since: None,
            filter,
        })
        .await;
        let (tickets, _) = self
            .until(|e| match e {
                Event::Tickets { tickets, .. } => Some(tickets.clone()),
                Event::Error { message, .. } => panic!("subscribe failed: {message}"),
                _ => None,
            })
            .await;
        tickets
    }

    /// Subscribes to a ticket from `since`; the replayed events, up to `caught_up`.
    pub async fn follow_ticket(&mut self, id: TicketId, since: Option<Seq>) -> Vec<TicketEvent> {
        self.send(&Command::Subscribe {
            topic: Topic::Ticket { id },
            since,
            filter: None,
        })
        .await;
        let mut events = Vec::new();
        loop {
            match self.next().await {
                Event::TicketEvent { event } if event.ticket_id == id => events.push(event),
                Event::CaughtUp { ticket_id, .. } if ticket_id == id => return events,
                Event::Error { message, .. } => panic!("subscribe failed: {message}"),
                _ => {}
            }
        }
    }

    /// Sends a message; the acknowledgement's `(seq, duplicate)` or the error event.
    pub async fn send_message(
        &mut self,
        ticket_id: TicketId,
        client_msg_id: &ClientMsgId,
        body: &str,
    ) -> Result<(Seq, bool), Event> {
        let command_id = self.command_id();
        self.command(Command::SendMessage {
            seen: None,
            command_id,
            ticket_id,
            client_msg_id: client_msg_id.clone(),
            body: body.into(),
            hidden: false,
            close: false,
            attachments: Vec::new(),
        })
        .await
    }

    /// Sends a command carrying `command_id`; its acknowledgement's `(seq, duplicate)` or the
    /// error event.
    pub async fn command(&mut self, command: Command) -> Result<(Seq, bool), Event> {
        let command_id = command
            .command_id()
            .unwrap_or_else(|| panic!("{command:?} has no command id"));
        self.send(&command).await;
        let (result, _) = self
            .until(|e| match e {
                Event::Ack {
                    command_id: c,
                    seq,
                    duplicate,
                    ..
                } if *c == command_id => Some(Ok((*seq, *duplicate))),
                Event::Error {
                    command_id: Some(c),
                    ..
                } if *c == command_id => Some(Err(e.clone())),
                _ => None,
            })
            .await;
        result
    }

    /// Sends a command built around a fresh id; the code of its refusal (panics if accepted).
    pub async fn refused(
        &mut self,
        make: impl FnOnce(CommandId) -> Command,
    ) -> app::protocol::ErrorCode {
        let command_id = self.command_id();
        match self.command(make(command_id)).await {
            Err(Event::Error { code, .. }) => code,
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    /// Sends the command `make` builds around a fresh id; what `answer` picks from the reply
    /// carrying that id, or the error's code.
    pub async fn answered<T>(
        &mut self,
        make: impl FnOnce(CommandId) -> Command,
        mut answer: impl FnMut(CommandId, &Event) -> Option<T>,
    ) -> Result<T, app::protocol::ErrorCode> {
        let command_id = self.command_id();
        self.send(&make(command_id)).await;
        let (result, _) = self
            .until(|e| match e {
                Event::Error {
                    command_id: Some(c),
                    code,
                    ..
                } if *c == command_id => Some(Err(*code)),
                other => answer(command_id, other).map(Ok),
            })
            .await;
        result
    }

    /// Sends a command answered by `done`; `Ok` or the error's code.
    pub async fn done(
        &mut self,
        make: impl FnOnce(CommandId) -> Command,
    ) -> Result<(), app::protocol::ErrorCode> {
        self.answered(make, |id, e| {
            matches!(e, Event::Done { command_id } if *command_id == id).then_some(())
        })
        .await
    }

    /// Searches over the socket: the hits, or the error's code.
    pub async fn search(
        &mut self,
        query: &str,
    ) -> Result<Vec<app::protocol::SearchHit>, app::protocol::ErrorCode> {
        let query = query.to_owned();
        self.answered(
            |command_id| Command::Search { command_id, query },
            |id, e| match e {
                Event::SearchResults {
                    command_id, hits, ..
                } if *command_id == id => Some(hits.clone()),
                _ => None,
            },
        )
        .await
    }

    /// The next presence of `ticket` that `pick` accepts.
    pub async fn presence_until(
        &mut self,
        ticket: TicketId,
        pick: impl Fn(&[app::protocol::Present]) -> bool,
    ) -> Vec<app::protocol::Present> {
        self.until(|e| match e {
            Event::Presence { ticket_id, present } if *ticket_id == ticket && pick(present) => {
                Some(present.clone())
            }
            _ => None,
        })
        .await
        .0
    }

    /// Reads to the close frame; its code.
    pub async fn closed(&mut self) -> Closed {
        loop {
            if let Err(closed) = self.next_or_close().await {
                return closed;
            }
        }
    }
}
