//! A WebSocket, once `http` has upgraded it for a signed-in person: reads commands
//! (`reader`, `dispatch`) and writes events (`subscriptions`, `events`) until either side
//! leaves.
//!
//! A ticket subscription replays from the store everything after the client's last `seq`,
//! then follows the hub; every event passes `domain::event_for` before it is written, and its
//! `seq` must be the next one: a hole (events published out of commit order by concurrent
//! writers) is filled from the store, a repeat is dropped. The reader therefore sees each
//! event exactly once, in order, whatever the timing.

mod dispatch;
mod events;
mod places;
pub mod reader;
mod subscriptions;

use std::{
    collections::HashMap,
    time::{Duration, Instant},
};

use app::i18n::Lang;
use app::protocol::{CommandId, ErrorCode, Event, Seq, TicketId, close_code};
use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket, WebSocketUpgrade};
use futures_util::{SinkExt, StreamExt, stream::SplitSink};
use tracing::{debug, warn};

use crate::{
    domain::{TicketScope, Viewer},
    hub::{self, Connection},
    service,
    state::AppState,
};

/// Frames larger than this are refused by the WebSocket layer itself (close code 1009);
/// between [`limits::MAX_FRAME_BYTES`] and this, the server answers with an error event.
const HARD_FRAME_LIMIT: usize = 1024 * 1024;
/// Most hub messages written to a socket before it is flushed.
const BURST: usize = 64;
/// Each socket's read and write buffers (the defaults, 128 KiB each, would make an idle
/// socket cost more than a hundred kilobytes; frames are small and every write is flushed).
const SOCKET_BUFFER: usize = 8 * 1024;
/// Most bytes a socket may have written and not yet sent: past it, the reader is too slow.
const MAX_UNSENT: usize = 1024 * 1024;
/// Most bytes of live events written to a socket since its reader was last heard from
/// (every reader answers pings as it reads them): past it, the reader is taken as not
/// reading. What the network's buffers hold for it can therefore never grow much past this.
/// (Answers to a command — a replay — are bounded by `WRITE_TIMEOUT` instead: the reader
/// cannot answer while they are written.)
const MAX_UNREAD: usize = 2 * 1024 * 1024;
/// A ping goes out after this many bytes, so a reader that reads answers well before
/// `MAX_UNREAD`.
const PING_EVERY: usize = 256 * 1024;
/// Longest a write to a socket may wait for its reader: past it, the reader is too slow.
const WRITE_TIMEOUT: Duration = Duration::from_secs(5);
/// Longest the last words (the close frame) may wait for a reader that reads late; past it
/// the connection is let go.
const LINGER: Duration = Duration::from_secs(30);
/// Why a too-slow reader is closed.
const TOO_SLOW: End = End::Close(close_code::LAGGED, "fell behind: resume from your last seq");

/// The socket's limits, set on the upgrade.
pub fn configure(upgrade: WebSocketUpgrade) -> WebSocketUpgrade {
    upgrade
        .max_message_size(HARD_FRAME_LIMIT)
        .max_frame_size(HARD_FRAME_LIMIT)
        .read_buffer_size(SOCKET_BUFFER)
        .write_buffer_size(SOCKET_BUFFER)
        .max_write_buffer_size(MAX_UNSENT)
}

/// A socket about to run: for whom, under which session.
pub struct Socket {
    pub state: AppState,
    pub viewer: Viewer,
    /// Checked at every heartbeat: a logout anywhere ends the socket.
    pub session_id: String,
    /// The language the upgrade asked for; the person's own choice, when they made one, wins.
    pub lang: Lang,
}

impl Socket {
    /// Runs the socket until either side leaves.
    pub async fn run(self, stream: WebSocket) {
        run(stream, self.state, self.viewer, self.session_id, self.lang).await;
    }
}

/// A followed ticket: where it belongs, and the last `seq` written to this socket.
struct Follow {
    scope: TicketScope,
    last: Seq,
}

/// Why the loop ended.
#[derive(Clone, Copy)]
enum End {
    /// The peer left or the connection broke.
    Gone,
    /// Close with this code and reason.
    Close(u16, &'static str),
}

struct Conn {
    state: AppState,
    viewer: Viewer,
    sink: SplitSink<WebSocket, Message>,
    hub: Connection,
    tickets: HashMap<TicketId, Follow>,
    lists: bool,
    /// Follows the notifications topic.
    notifications: bool,
    /// Follows the calls topic (a call-centre agent): the calls on their screen.
    calls: Option<std::collections::HashSet<String>>,
    /// The availability last written (staff: everyone's; members: departments online).
    availability_shown: Option<Event>,
    /// The presence last written for each ticket: only changes are written.
    presence_shown: HashMap<TicketId, Vec<app::protocol::Present>>,
    /// The revision of each ticket summary already written: a change arriving through two
    /// followed topics (a ticket and its list) is written once.
    revisions: HashMap<TicketId, i64>,
    /// Members following their inbox: where their waiting tickets stand.
    places: Option<places::Places>,
    /// The language refusals are worded in.
    lang: Lang,
    /// The session the socket was opened under.
    session_id: String,
    /// That session has ended: close now.
    ended: bool,
    /// What this socket may still send before it must wait.
    rate: service::SocketRate,
    /// A write waited too long for the reader, or too much piled up unsent.
    stalled: bool,
    /// Bytes of live events written since the reader was last heard from.
    unread: usize,
    /// Bytes of text written in all.
    written: usize,
}

async fn run(socket: WebSocket, state: AppState, viewer: Viewer, session_id: String, lang: Lang) {
    let heartbeat = Duration::from_secs(state.settings.heartbeat_secs.max(1));
    let (sink, mut stream) = socket.split();
    let (hub, mut inbox) = state.desk.connect(state.settings.socket_queue);
    let lagged = hub.lag_signal();
    let mut conn = Conn {
        state: state.clone(),
        viewer,
        sink,
        hub,
        tickets: HashMap::new(),
        lists: false,
        notifications: false,
        calls: None,
        presence_shown: HashMap::new(),
        availability_shown: None,
        revisions: HashMap::new(),
        places: None,
        lang,
        session_id: session_id.clone(),
        ended: false,
        rate: state.desk.socket_rate(),
        stalled: false,
        unread: 0,
        written: 0,
    };
    let _open = state.desk.activity().sockets.hold();
    let mut going_away = state.going_away.subscribe();
    conn.hub.subscribe(hub::Topic::User(conn.viewer.id));
    conn.hub.subscribe(hub::Topic::Everyone);
    debug!("socket open");
    let end = async {
        let me = match state.desk.me(&conn.viewer).await {
            Ok(me) => me,
            Err(err) => {
                warn!(error = %err, "could not load the signed-in person");
                return End::Close(1011, "the database is unavailable");
            }
        };
        conn.lang = me.language.unwrap_or(conn.lang);
        let hello = Event::Hello {
            me,
            heartbeat_ms: u64::try_from(heartbeat.as_millis()).unwrap_or(u64::MAX),
        };
        if conn.send(&hello).await.is_err() {
            return End::Gone;
        }
        state
            .desk
            .screen_opened(conn.hub.id(), &conn.viewer, conn.viewer.departments.clone());
        let everyone = state.desk.staff_statuses();
        if conn.send_availability(&everyone).await.is_err() {
            return End::Gone;
        }
        let mut ticks = tokio::time::interval(heartbeat);
        ticks.tick().await;
        let mut last_heard = Instant::now();
        loop {
            if conn.flush().await.is_err() {
                return conn.gone();
            }
            tokio::select! {
                // Committed events first: a client that sees the reply to its command has also
                // seen every event published before that command was read.
                biased;
                () = server_stopping(&mut going_away) => {
                    return End::Close(1001, "the server is going away: reconnect");
                }
                () = lagged.notified() => return TOO_SLOW,
                msg = inbox.recv() => {
                    let Some(msg) = msg else { return End::Gone };
                    if conn.on_hub_counted(msg).await.is_err() {
                        return conn.gone();
                    }
                    // What else is already waiting goes out with it.
                    for _ in 0..BURST {
                        if conn.ended {
                            break;
                        }
                        let Ok(msg) = inbox.try_recv() else { break };
                        if conn.on_hub_counted(msg).await.is_err() {
                            return conn.gone();
                        }
                    }
                    if conn.ended {
                        return End::Close(close_code::SESSION_ENDED, "the session has ended");
                    }
                }
                frame = stream.next() => {
                    last_heard = Instant::now();
                    conn.unread = 0;
                    let result = match frame {
                        None | Some(Ok(Message::Close(_))) => return End::Gone,
                        Some(Err(err)) => {
                            debug!(error = %err, "socket read failed");
                            return read_failed(err);
                        }
                        Some(Ok(Message::Text(text))) => conn.on_text(text.as_str()).await,
                        Some(Ok(Message::Binary(_))) => {
                            conn.error(ErrorCode::Malformed, "frames must be JSON text".into(), None).await
                        }
                        Some(Ok(Message::Ping(_) | Message::Pong(_))) => Ok(()),
                    };
                    if result.is_err() {
                        return conn.gone();
                    }
                }
                () = places::due(conn.places.as_ref()) => {
                    if conn.write_places().await.is_err() {
                        return conn.gone();
                    }
                }
                _ = ticks.tick() => {
                    conn.places_aging();
                    if last_heard.elapsed() > heartbeat * 3 {
                        return End::Close(close_code::HEARTBEAT_TIMEOUT, "no heartbeat");
                    }
                    if !session_alive(&state, &session_id).await {
                        return End::Close(close_code::SESSION_ENDED, "the session has ended");
                    }
                    if conn.write(Message::Ping(Default::default())).await.is_err() {
                        return conn.gone();
                    }
                }
            }
        }
    }
    .await;
    // Whatever the reason, this screen has left every ticket it had open, and its person
    // may be offline now.
    state.desk.screen_closed(conn.hub.id());
    if let End::Close(code, reason) = end {
        let frame = CloseFrame {
            code,
            reason: Utf8Bytes::from_static(reason),
        };
        // A reader that reads late still hears why (after what it had not read yet); one
        // that never reads is let go after `LINGER`, and all it held with it.
        let mut sink = conn.sink;
        tokio::spawn(tokio::time::timeout(LINGER, async move {
            let sent = sink.send(Message::Close(Some(frame))).await;
            // A server stopping waits for this: the close frame is out.
            drop(going_away);
            if sent.is_ok() {
                // The closing handshake: what the peer still sends (answers to pings among
                // it) is read and dropped until its close answers ours, so the connection
                // ends cleanly rather than reset under the frames it has not read yet.
                while let Some(Ok(message)) = stream.next().await {
                    if matches!(message, Message::Close(_)) {
                        break;
                    }
                }
            }
        }));
    }
    debug!("socket closed");
}

/// Returns once the server is stopping (or its state is gone, which means the same).
async fn server_stopping(going_away: &mut tokio::sync::watch::Receiver<bool>) {
    let _ = going_away.wait_for(|going| *going).await;
}

/// How a socket whose frame could not be read is closed: `1007` for text that is not UTF-8,
/// `1002` for a protocol error, `1009` for a frame over the limit.
fn read_failed(err: axum::Error) -> End {
    let cause = err.into_inner();
    match cause.downcast_ref::<tungstenite::Error>() {
        Some(tungstenite::Error::Utf8(_)) => End::Close(1007, "text frames must be UTF-8"),
        Some(tungstenite::Error::Capacity(_)) => End::Close(1009, "frame too large"),
        Some(tungstenite::Error::Protocol(_)) => End::Close(1002, "WebSocket protocol error"),
        _ => End::Gone,
    }
}

/// Whether the socket's session still exists (a logout elsewhere ends it).
async fn session_alive(state: &AppState, session_id: &str) -> bool {
    // A database hiccup is not a logout; the next tick checks again.
    state.desk.session_exists(session_id).await.unwrap_or(true)
}

type Sent = Result<(), axum::Error>;

impl Conn {
    /// Queues an event on the socket; the loop flushes once it has nothing more at hand, so
    /// a burst (a replay, an event and its ticket's new state) leaves in few writes.
    async fn send(&mut self, event: &Event) -> Sent {
        let text = serde_json::to_string(event).map_err(axum::Error::new)?;
        self.write(Message::Text(text.into())).await
    }

    /// Writes what the hub brought, counting it against what the reader has not answered.
    async fn on_hub_counted(&mut self, msg: hub::HubMsg) -> Sent {
        let before = self.unread;
        let written = self.written;
        let sent = self.on_hub(msg).await;
        self.unread += self.written - written;
        if self.unread > MAX_UNREAD {
            // Nothing heard from the reader while this much was written: it does not read.
            self.stalled = true;
            return Err(axum::Error::new(std::io::Error::other(
                "the reader does not read",
            )));
        }
        if sent.is_ok() && before / PING_EVERY != self.unread / PING_EVERY {
            return self.write(Message::Ping(Default::default())).await;
        }
        sent
    }

    /// Queues a frame, waiting at most `WRITE_TIMEOUT` for room.
    async fn write(&mut self, message: Message) -> Sent {
        if let Message::Text(text) = &message {
            self.written += text.len();
        }
        let fed = tokio::time::timeout(WRITE_TIMEOUT, self.sink.feed(message)).await;
        self.written(fed)
    }

    /// Sends what is queued, waiting at most `WRITE_TIMEOUT` for the reader.
    async fn flush(&mut self) -> Sent {
        let flushed = tokio::time::timeout(WRITE_TIMEOUT, self.sink.flush()).await;
        self.written(flushed)
    }

    /// A write's outcome; one that waited too long, or found too much unsent, marks the
    /// reader as too slow.
    fn written(&mut self, outcome: Result<Sent, tokio::time::error::Elapsed>) -> Sent {
        match outcome {
            Ok(Ok(())) => Ok(()),
            Ok(Err(err)) => {
                let full = std::error::Error::source(&err)
                    .and_then(|e| e.downcast_ref::<tungstenite::Error>())
                    .is_some_and(|e| matches!(e, tungstenite::Error::WriteBufferFull(_)));
                self.stalled |= full;
                Err(err)
            }
            Err(elapsed) => {
                self.stalled = true;
                Err(axum::Error::new(elapsed))
            }
        }
    }

    /// How the loop ends after a failed write: a reader too slow is told to resume.
    fn gone(&self) -> End {
        if self.stalled { TOO_SLOW } else { End::Gone }
    }

    async fn error(
        &mut self,
        code: ErrorCode,
        message: String,
        command_id: Option<CommandId>,
    ) -> Sent {
        self.send(&Event::Error {
            code,
            message,
            command_id,
            retry_after_ms: None,
            news: Vec::new(),
            field: None,
        })
        .await
    }

    async fn service_error(&mut self, err: service::Error, command_id: Option<CommandId>) -> Sent {
        let retry_after_ms = err.retry_after_ms();
        if matches!(err.code(), ErrorCode::Internal | ErrorCode::Unavailable)
            && retry_after_ms.is_none()
        {
            warn!(error = %err, "command failed");
        }
        self.send(&Event::Error {
            code: err.code(),
            message: err.public_message(self.lang),
            command_id,
            retry_after_ms,
            news: err.news(),
            field: err.field(),
        })
        .await
    }
}
