//! The WebSocket endpoint `/ws`: checks the Origin and the session on upgrade, then reads
//! commands and writes events until either side leaves.
//!
//! A ticket subscription replays from the store everything after the client's last `seq`,
//! then follows the hub; every event passes `domain::event_for` before it is written, and its
//! `seq` must be the next one: a hole (events published out of commit order by concurrent
//! writers) is filled from the store, a repeat is dropped. The reader therefore sees each
//! event exactly once, in order, whatever the timing.

use std::{
    collections::HashMap,
    time::{Duration, Instant},
};

use app::protocol::{
    Command, CommandId, ErrorBody, ErrorCode, Event, Seq, TicketFilter, TicketId, Topic,
    close_code, limits,
};
use axum::{
    Json,
    extract::{
        State,
        ws::{
            CloseFrame, Message, Utf8Bytes, WebSocket, WebSocketUpgrade,
            rejection::WebSocketUpgradeRejection,
        },
    },
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use futures_util::{SinkExt, StreamExt, stream::SplitSink};
use tower_sessions::Session;
use tracing::{Instrument, debug, info_span, warn};

use crate::{
    auth,
    domain::{self, TicketScope, Viewer},
    http::AppState,
    hub::{self, Connection, HubMsg},
    service, store,
};

/// Frames larger than this are refused by the WebSocket layer itself (close code 1009);
/// between [`limits::MAX_FRAME_BYTES`] and this, the server answers with an error event.
const HARD_FRAME_LIMIT: usize = 1024 * 1024;
/// Most hub messages written to a socket before it is flushed.
const BURST: usize = 64;
/// Each socket's read and write buffers (the defaults, 128 KiB each, would make an idle
/// socket cost more than a hundred kilobytes; frames are small and every write is flushed).
const SOCKET_BUFFER: usize = 8 * 1024;

fn refuse(status: StatusCode, code: ErrorCode, message: &str) -> Response {
    (
        status,
        Json(ErrorBody {
            code,
            message: message.into(),
        }),
    )
        .into_response()
}

/// `GET /ws`: upgrades a signed-in browser (or client) from an allowed Origin.
pub async fn upgrade(
    State(state): State<AppState>,
    headers: HeaderMap,
    session: Session,
    ws: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Response {
    let ws = match ws {
        Ok(ws) => ws,
        Err(rejection) => {
            return refuse(
                rejection.status(),
                ErrorCode::Malformed,
                &rejection.body_text(),
            );
        }
    };
    if auth::origin_matches(&headers, &state.settings) != Some(true) {
        return refuse(
            StatusCode::FORBIDDEN,
            ErrorCode::Forbidden,
            "the Origin header is missing or not allowed",
        );
    }
    let user = match auth::signed_in(&session).await {
        Ok(Some(user)) => user,
        Ok(None) => {
            return refuse(
                StatusCode::UNAUTHORIZED,
                ErrorCode::Unauthorized,
                "sign in first",
            );
        }
        Err(err) => {
            warn!(error = %err, "session lookup failed");
            return refuse(
                StatusCode::SERVICE_UNAVAILABLE,
                ErrorCode::Unavailable,
                "sessions are unavailable, retry later",
            );
        }
    };
    let viewer = match state.desk.store.viewer(user).await {
        Ok(viewer) => viewer,
        Err(store::Error::NotFound) => {
            return refuse(
                StatusCode::UNAUTHORIZED,
                ErrorCode::Unauthorized,
                "sign in first",
            );
        }
        Err(err) => {
            warn!(error = %err, "viewer lookup failed");
            return refuse(
                StatusCode::SERVICE_UNAVAILABLE,
                ErrorCode::Unavailable,
                "the database is unavailable, retry later",
            );
        }
    };
    let span = info_span!("socket", user_id = %viewer.id, role = viewer.role.as_str());
    ws.max_message_size(HARD_FRAME_LIMIT)
        .max_frame_size(HARD_FRAME_LIMIT)
        .read_buffer_size(SOCKET_BUFFER)
        .write_buffer_size(SOCKET_BUFFER)
        .on_upgrade(move |socket| run(socket, state, viewer, session).instrument(span))
}

/// A followed ticket: where it belongs, and the last `seq` written to this socket.
struct Follow {
    scope: TicketScope,
    last: Seq,
}

/// Why the loop ended.
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
    /// The availability last written (staff: everyone's; members: departments online).
    availability_shown: Option<Event>,
    /// The presence last written for each ticket: only changes are written.
    presence_shown: HashMap<TicketId, Vec<app::protocol::Present>>,
    /// The revision of each ticket summary already written: a change arriving through two
    /// followed topics (a ticket and its list) is written once.
    revisions: HashMap<TicketId, i64>,
}

async fn run(socket: WebSocket, state: AppState, viewer: Viewer, session: Session) {
    let heartbeat = Duration::from_secs(state.settings.heartbeat_secs.max(1));
    let (sink, mut stream) = socket.split();
    let (hub, mut inbox) = state.desk.hub.connect(state.settings.socket_queue);
    let lagged = hub.lag_signal();
    let mut conn = Conn {
        state: state.clone(),
        viewer,
        sink,
        hub,
        tickets: HashMap::new(),
        lists: false,
        notifications: false,
        presence_shown: HashMap::new(),
        availability_shown: None,
        revisions: HashMap::new(),
    };
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
        let hello = Event::Hello {
            me,
            heartbeat_ms: u64::try_from(heartbeat.as_millis()).unwrap_or(u64::MAX),
        };
        if conn.send(&hello).await.is_err() {
            return End::Gone;
        }
        if conn.viewer.role.is_staff() {
            let joined = state.desk.staff.connect(
                conn.hub.id(),
                conn.viewer.person(),
                conn.viewer.departments.clone(),
            );
            state.desk.publish_availability(joined);
        }
        let everyone = state.desk.staff.all();
        if conn.send_availability(&everyone).await.is_err() {
            return End::Gone;
        }
        let mut ticks = tokio::time::interval(heartbeat);
        ticks.tick().await;
        let mut last_heard = Instant::now();
        loop {
            if conn.sink.flush().await.is_err() {
                return End::Gone;
            }
            tokio::select! {
                // Committed events first: a client that sees the reply to its command has also
                // seen every event published before that command was read.
                biased;
                () = lagged.notified() => {
                    return End::Close(close_code::LAGGED, "fell behind: resume from your last seq");
                }
                msg = inbox.recv() => {
                    let Some(msg) = msg else { return End::Gone };
                    if conn.on_hub(msg).await.is_err() {
                        return End::Gone;
                    }
                    // What else is already waiting goes out with it.
                    for _ in 0..BURST {
                        let Ok(msg) = inbox.try_recv() else { break };
                        if conn.on_hub(msg).await.is_err() {
                            return End::Gone;
                        }
                    }
                }
                frame = stream.next() => {
                    last_heard = Instant::now();
                    let result = match frame {
                        None | Some(Ok(Message::Close(_))) => return End::Gone,
                        Some(Err(err)) => {
                            debug!(error = %err, "socket read failed");
                            return End::Close(1009, "frame too large or broken");
                        }
                        Some(Ok(Message::Text(text))) => conn.on_text(text.as_str()).await,
                        Some(Ok(Message::Binary(_))) => {
                            conn.error(ErrorCode::Malformed, "frames must be JSON text".into(), None).await
                        }
                        Some(Ok(Message::Ping(_) | Message::Pong(_))) => Ok(()),
                    };
                    if result.is_err() {
                        return End::Gone;
                    }
                }
                _ = ticks.tick() => {
                    if last_heard.elapsed() > heartbeat * 3 {
                        return End::Close(close_code::HEARTBEAT_TIMEOUT, "no heartbeat");
                    }
                    if !session_alive(&state, &session).await {
                        return End::Close(close_code::SESSION_ENDED, "the session has ended");
                    }
                    if conn.sink.send(Message::Ping(Default::default())).await.is_err() {
                        return End::Gone;
                    }
                }
            }
        }
    }
    .await;
    // Whatever the reason, this screen has left every ticket it had open, and its person
    // may be offline now.
    state
        .desk
        .publish_availability(state.desk.staff.leave(conn.hub.id()));
    let left = state.desk.presence.leave_all(conn.hub.id(), service::now());
    state.desk.publish_presence(left);
    if let End::Close(code, reason) = end {
        let frame = CloseFrame {
            code,
            reason: Utf8Bytes::from_static(reason),
        };
        let _ = conn.sink.send(Message::Close(Some(frame))).await;
    }
    debug!("socket closed");
}

/// Whether the socket's session still exists (a logout elsewhere ends it).
async fn session_alive(state: &AppState, session: &Session) -> bool {
    let Some(id) = session.id() else {
        return false;
    };
    match state
        .desk
        .store
        .session_load(&id.to_string(), service::now())
        .await
    {
        Ok(found) => found.is_some(),
        // A database hiccup is not a logout; the next tick checks again.
        Err(_) => true,
    }
}

type Sent = Result<(), axum::Error>;

impl Conn {
    /// Queues an event on the socket; the loop flushes once it has nothing more at hand, so
    /// a burst (a replay, an event and its ticket's new state) leaves in few writes.
    async fn send(&mut self, event: &Event) -> Sent {
        let text = serde_json::to_string(event).map_err(axum::Error::new)?;
        self.sink.feed(Message::Text(text.into())).await
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
        })
        .await
    }

    async fn service_error(&mut self, err: service::Error, command_id: Option<CommandId>) -> Sent {
        if matches!(err.code(), ErrorCode::Internal | ErrorCode::Unavailable) {
            warn!(error = %err, "command failed");
        }
        self.error(err.code(), err.public_message(), command_id)
            .await
    }

    async fn on_text(&mut self, text: &str) -> Sent {
        if text.len() > limits::MAX_FRAME_BYTES {
            let message = format!("frames are at most {} bytes", limits::MAX_FRAME_BYTES);
            return self.error(ErrorCode::TooLarge, message, None).await;
        }
        let value: serde_json::Value = match serde_json::from_str(text) {
            Ok(value) => value,
            Err(err) => {
                return self
                    .error(
                        ErrorCode::Malformed,
                        format!("the frame is not JSON: {err}"),
                        None,
                    )
                    .await;
            }
        };
        let command_id = value
            .get("command_id")
            .and_then(serde_json::Value::as_u64)
            .map(CommandId);
        let command = match serde_json::from_value::<Command>(value) {
            Ok(command) => command,
            Err(err) => {
                let text = err.to_string();
                let code = if text.starts_with("unknown variant") {
                    ErrorCode::UnknownCommand
                } else {
                    ErrorCode::Malformed
                };
                return self.error(code, text, command_id).await;
            }
        };
        self.on_command(command).await
    }

    async fn on_command(&mut self, command: Command) -> Sent {
        let desk = self.state.desk.clone();
        match command {
            Command::Ping { nonce } => self.send(&Event::Pong { nonce }).await,
            Command::SetAway { away } => {
                if !self.viewer.role.is_staff() {
                    let message = "only staff are online or away".into();
                    return self.error(ErrorCode::Forbidden, message, None).await;
                }
                desk.publish_availability(desk.staff.set_away(self.hub.id(), away));
                Ok(())
            }
            Command::Presence {
                ticket_id,
                mode,
                typing,
            } => {
                let Some(follow) = self.tickets.get(&ticket_id) else {
                    let message = "subscribe to the ticket before saying you are on it".into();
                    return self.error(ErrorCode::Conflict, message, None).await;
                };
                let changed = desk.presence.update(
                    follow.scope,
                    self.hub.id(),
                    self.viewer.person(),
                    mode,
                    typing,
                    service::now(),
                );
                desk.publish_presence(changed.into_iter().collect());
                Ok(())
            }
            Command::Subscribe {
                topic,
                since,
                filter,
            } => {
                self.subscribe(topic, since, filter.unwrap_or_default())
                    .await
            }
            Command::Unsubscribe { topic } => {
                self.unsubscribe(topic);
                Ok(())
            }
            Command::StartTicket {
                command_id,
                client_msg_id,
                department_id,
                subject,
                body,
                attachments,
            } => {
                let first = service::Post {
                    client_msg_id,
                    body: &body,
                    hidden: false,
                    close: false,
                    attachments: &attachments,
                };
                let result = desk
                    .start_ticket(&self.viewer, department_id, &subject, first)
                    .await;
                self.ack(command_id, result).await
            }
            Command::SendMessage {
                command_id,
                ticket_id,
                client_msg_id,
                body,
                hidden,
                close,
                attachments,
            } => {
                let post = service::Post {
                    client_msg_id,
                    body: &body,
                    hidden,
                    close,
                    attachments: &attachments,
                };
                let result = desk.post_message(&self.viewer, ticket_id, post).await;
                self.ack(command_id, result).await
            }
            Command::Take {
                command_id,
                ticket_id,
            } => {
                let result = desk.take(&self.viewer, ticket_id).await;
                self.ack(command_id, result).await
            }
            Command::Release {
                command_id,
                ticket_id,
            } => {
                let result = desk.release(&self.viewer, ticket_id).await;
                self.ack(command_id, result).await
            }
            Command::Archive {
                command_id,
                ticket_id,
            } => {
                let result = desk.archive(&self.viewer, ticket_id).await;
                self.ack(command_id, result).await
            }
            Command::EditMessage {
                command_id,
                ticket_id,
                seq,
                body,
            } => {
                let result = desk.edit_message(&self.viewer, ticket_id, seq, &body).await;
                self.ack(command_id, result).await
            }
            Command::Rate {
                command_id,
                ticket_id,
                mark_id,
            } => {
                let result = desk.rate(&self.viewer, ticket_id, mark_id).await;
                self.ack(command_id, result).await
            }
            Command::Transfer {
                command_id,
                ticket_id,
                department_id,
            } => {
                let result = desk.transfer(&self.viewer, ticket_id, department_id).await;
                self.ack(command_id, result).await
            }
            Command::SaveParameters {
                command_id,
                ticket_id,
                params,
            } => {
                let result = desk.save_parameters(&self.viewer, ticket_id, &params).await;
                self.ack(command_id, result).await
            }
            Command::Split {
                command_id,
                ticket_id,
                seq,
            } => {
                let result = desk.split(&self.viewer, ticket_id, seq).await;
                self.ack(command_id, result).await
            }
            Command::Search { command_id, query } => {
                match desk.search(&self.viewer, &query).await {
                    Ok(hits) => {
                        self.send(&Event::SearchResults {
                            command_id,
                            query,
                            hits,
                        })
                        .await
                    }
                    Err(err) => self.service_error(err, Some(command_id)).await,
                }
            }
            Command::Assign {
                command_id,
                ticket_id,
                user_id,
            } => {
                let result = desk.assign(&self.viewer, ticket_id, user_id).await;
                self.ack(command_id, result).await
            }
            Command::Follow {
                command_id,
                ticket_id,
                follow,
            } => {
                let result = desk.follow(&self.viewer, ticket_id, follow).await;
                self.done(command_id, result).await
            }
            Command::ReadNotifications {
                command_id,
                ticket_id,
            } => {
                let result = desk.read_notifications(&self.viewer, ticket_id).await;
                self.done(command_id, result).await
            }
            Command::Admin { command_id, action } => {
                let result = match action {
                    Some(action) => desk.administer(&self.viewer, action).await,
                    None => desk.admin_state(&self.viewer).await,
                };
                match result {
                    Ok(state) => self.send(&Event::AdminState { command_id, state }).await,
                    Err(err) => self.service_error(err, Some(command_id)).await,
                }
            }
            Command::SetPreferences {
                command_id,
                preferences,
            } => {
                let result = desk.set_preferences(&self.viewer, &preferences).await;
                self.done(command_id, result).await
            }
            Command::MarkRead { ticket_id, seq } => {
                match desk.mark_read(&self.viewer, ticket_id, seq).await {
                    Ok(()) => Ok(()),
                    Err(err) => self.service_error(err, None).await,
                }
            }
        }
    }

    async fn ack(
        &mut self,
        command_id: CommandId,
        result: service::Result<app::protocol::Written>,
    ) -> Sent {
        match result {
            Ok(written) => {
                self.send(&Event::Ack {
                    command_id,
                    ticket_id: written.ticket_id,
                    seq: written.seq,
                    duplicate: written.duplicate,
                })
                .await
            }
            Err(err) => self.service_error(err, Some(command_id)).await,
        }
    }

    async fn done(&mut self, command_id: CommandId, result: service::Result<()>) -> Sent {
        match result {
            Ok(()) => self.send(&Event::Done { command_id }).await,
            Err(err) => self.service_error(err, Some(command_id)).await,
        }
    }

    fn unsubscribe(&mut self, topic: Topic) {
        match topic {
            Topic::Notifications => self.notifications = false,
            Topic::Ticket { id } => {
                let left = self
                    .state
                    .desk
                    .presence
                    .leave(id, self.hub.id(), service::now());
                self.state.desk.publish_presence(left.into_iter().collect());
                // A kept ticket stays followed for the board's sake.
                if !(self.lists && self.viewer.kept.contains(&id)) {
                    self.hub.unsubscribe(hub::Topic::Ticket(id));
                }
                self.tickets.remove(&id);
            }
            Topic::Inbox | Topic::Board => {
                self.hub.unsubscribe(hub::Topic::Inbox(self.viewer.id));
                for department in self.viewer.departments.clone() {
                    self.hub.unsubscribe(hub::Topic::Department(department));
                }
                self.lists = false;
            }
        }
    }

    async fn subscribe(&mut self, topic: Topic, since: Option<Seq>, filter: TicketFilter) -> Sent {
        match topic {
            Topic::Ticket { id } => self.follow_ticket(id, since).await,
            Topic::Inbox | Topic::Board => self.follow_list(topic, &filter).await,
            Topic::Notifications => self.follow_notifications().await,
        }
    }

    /// The board hears of the tickets this person passed to other departments and kept
    /// through those tickets' own topics.
    fn follow_kept(&mut self) {
        if self.lists && self.viewer.role.is_staff() {
            for id in self.viewer.kept.clone() {
                self.hub.subscribe(hub::Topic::Ticket(id));
            }
        }
    }

    /// The notifications topic: a snapshot, then live notifications (the person's own hub
    /// topic is followed from the start, so nothing falls between the two).
    async fn follow_notifications(&mut self) -> Sent {
        match self.state.desk.notifications(&self.viewer).await {
            Ok(notifications) => {
                self.notifications = true;
                self.send(&Event::Notifications { notifications }).await
            }
            Err(err) => self.service_error(err, None).await,
        }
    }

    /// The person or the desk's configuration changed: read both again, drop what they may no
    /// longer see, and tell the page.
    async fn reload_me(&mut self) -> Sent {
        let store = &self.state.desk.store;
        let viewer = match store.viewer(self.viewer.id).await {
            Ok(viewer) => viewer,
            Err(err) => return self.service_error(err.into(), None).await,
        };
        let me = match self.state.desk.me(&viewer).await {
            Ok(me) => me,
            Err(err) => return self.service_error(err, None).await,
        };
        if !viewer.sees_all_departments() {
            for gone in self
                .viewer
                .departments
                .iter()
                .filter(|d| !viewer.departments.contains(d))
            {
                self.hub.unsubscribe(hub::Topic::Department(*gone));
            }
            self.viewer.departments = viewer.departments.clone();
            let hidden: Vec<TicketId> = self
                .tickets
                .iter()
                .filter(|(_, f)| !domain::can_view(&viewer, &f.scope))
                .map(|(id, _)| *id)
                .collect();
            for id in hidden {
                self.unsubscribe(Topic::Ticket { id });
                self.send(&Event::TicketRemoved { ticket_id: id }).await?;
            }
        }
        // Availability counts the departments one belongs to, not all that a moderator sees.
        let memberships = viewer.departments.clone();
        let departments = std::mem::take(&mut self.viewer.departments);
        self.viewer = Viewer {
            departments: if viewer.sees_all_departments() {
                departments
            } else {
                viewer.departments.clone()
            },
            ..viewer
        };
        self.follow_kept();
        if self.viewer.role.is_staff() {
            let moved =
                self.state
                    .desk
                    .staff
                    .connect(self.hub.id(), self.viewer.person(), memberships);
            self.state.desk.publish_availability(moved);
        }
        self.send(&Event::MeChanged { me }).await
    }

    /// Lists are a snapshot plus a live tail: follow first, then read the snapshot, so that
    /// nothing committed in between is missed (a change seen twice is harmless: summaries
    /// carry a revision and the newest wins).
    async fn follow_list(&mut self, topic: Topic, filter: &TicketFilter) -> Sent {
        let staff = self.viewer.role.is_staff();
        match (topic, staff) {
            (Topic::Inbox, false) => self.hub.subscribe(hub::Topic::Inbox(self.viewer.id)),
            (Topic::Board, true) => {
                let departments = if self.viewer.sees_all_departments() {
                    match self.state.desk.store.departments().await {
                        Ok(all) => all.into_iter().map(|d| d.id).collect(),
                        Err(err) => return self.service_error(err.into(), None).await,
                    }
                } else {
                    self.viewer.departments.clone()
                };
                self.viewer.departments = departments.clone();
                for department in departments {
                    self.hub.subscribe(hub::Topic::Department(department));
                }
            }
            (Topic::Inbox, true) => {
                return self
                    .error(
                        ErrorCode::Forbidden,
                        "staff follow the board, not an inbox".into(),
                        None,
                    )
                    .await;
            }
            _ => {
                return self
                    .error(
                        ErrorCode::Forbidden,
                        "members follow their inbox, not the board".into(),
                        None,
                    )
                    .await;
            }
        }
        self.lists = true;
        self.follow_kept();
        match self.state.desk.list(&self.viewer, filter).await {
            Ok(tickets) => {
                self.revisions
                    .extend(tickets.iter().map(|t| (t.id, t.revision)));
                self.send(&Event::Tickets { topic, tickets }).await?;
                if staff {
                    for snapshot in self.state.desk.presence.all(service::now()) {
                        self.send_presence(&snapshot).await?;
                    }
                }
                Ok(())
            }
            Err(err) => self.service_error(err, None).await,
        }
    }

    async fn follow_ticket(&mut self, id: TicketId, since: Option<Seq>) -> Sent {
        let record = match self.state.desk.visible_ticket(&self.viewer, id).await {
            Ok(record) => record,
            Err(err) => return self.service_error(err, None).await,
        };
        let Some(summary) = domain::summary_for(&self.viewer, &record) else {
            return self
                .service_error(domain::Error::TicketNotFound.into(), None)
                .await;
        };
        // A client ahead of the store (its data came from a database since replaced) starts over.
        let since = since
            .filter(|s| s.0 >= 0 && s.0 <= summary.last_seq.0)
            .unwrap_or(Seq(0));
        self.hub.subscribe(hub::Topic::Ticket(id));
        self.tickets.insert(
            id,
            Follow {
                scope: record.scope,
                last: since,
            },
        );
        self.send(&Event::TicketOpened { ticket: summary }).await?;
        self.catch_up(id).await?;
        let last = self.tickets.get(&id).map_or(since, |f| f.last);
        self.send(&Event::CaughtUp {
            ticket_id: id,
            seq: last,
        })
        .await?;
        match self.state.desk.presence.of(id, service::now()) {
            Some(snapshot) => self.send_presence(&snapshot).await,
            None => Ok(()),
        }
    }

    /// Writes who of staff is available, as this reader may know it (staff: everyone; a
    /// member: only the departments with an operator online), when it changed.
    async fn send_availability(&mut self, all: &[app::protocol::StaffStatus]) -> Sent {
        let event = if self.viewer.role.is_staff() {
            Event::Availability {
                staff: all.to_vec(),
            }
        } else {
            let mut departments: Vec<_> = all
                .iter()
                .filter(|s| s.availability == app::protocol::Availability::Online)
                .flat_map(|s| s.departments.iter().copied())
                .collect();
            departments.sort();
            departments.dedup();
            Event::SupportOnline { departments }
        };
        if self.availability_shown.as_ref() == Some(&event) {
            return Ok(());
        }
        self.availability_shown = Some(event.clone());
        self.send(&event).await
    }

    /// Writes who has a ticket open, as this reader may see it.
    async fn send_presence(&mut self, snapshot: &crate::presence::Snapshot) -> Sent {
        match domain::presence_for(&self.viewer, &snapshot.scope, &snapshot.present) {
            Some(present) => {
                let id = snapshot.scope.id;
                let before = self.presence_shown.get(&id).map_or(&[][..], Vec::as_slice);
                if before == present.as_slice() {
                    return Ok(());
                }
                if present.is_empty() {
                    self.presence_shown.remove(&id);
                } else {
                    self.presence_shown.insert(id, present.clone());
                }
                self.send(&Event::Presence {
                    ticket_id: snapshot.scope.id,
                    present,
                })
                .await
            }
            None => Ok(()),
        }
    }

    /// Writes every stored event after the ticket's last written `seq`.
    async fn catch_up(&mut self, id: TicketId) -> Sent {
        loop {
            let Some(follow) = self.tickets.get(&id) else {
                return Ok(());
            };
            let (scope, last) = (follow.scope, follow.last);
            let events = match self
                .state
                .desk
                .events_after(&self.viewer, scope, last)
                .await
            {
                Ok(events) => events,
                Err(err) => return self.service_error(err, None).await,
            };
            let page_full = events.len() as i64 >= service::EVENT_PAGE;
            for event in events {
                self.write_event(&event).await?;
            }
            if !page_full {
                return Ok(());
            }
        }
    }

    /// Writes one event if it is the next this reader should see.
    async fn write_event(&mut self, event: &domain::StoredEvent) -> Sent {
        let Some(visible) = domain::event_for(&self.viewer, event) else {
            return Ok(());
        };
        let Some(follow) = self.tickets.get_mut(&visible.ticket_id) else {
            return Ok(());
        };
        if visible.seq.0 != follow.last.0 + 1 {
            return Ok(());
        }
        follow.last = visible.seq;
        self.send(&Event::TicketEvent { event: visible }).await
    }

    async fn on_hub(&mut self, msg: HubMsg) -> Sent {
        match msg {
            HubMsg::Event(event) => {
                let id = event.scope.id;
                let Some(visible) = domain::event_for(&self.viewer, &event) else {
                    return Ok(());
                };
                let Some(follow) = self.tickets.get(&id) else {
                    return Ok(());
                };
                if visible.seq.0 > follow.last.0 + 1 {
                    // An earlier event's publication is still on its way; the store has it.
                    self.catch_up(id).await
                } else {
                    self.write_event(&event).await
                }
            }
            HubMsg::Notification(notification) => {
                if !self.notifications {
                    return Ok(());
                }
                self.send(&Event::Notification {
                    notification: (*notification).clone(),
                })
                .await
            }
            HubMsg::Following(ticket_id, following) => {
                if !self.notifications {
                    return Ok(());
                }
                self.send(&Event::Following {
                    ticket_id,
                    following,
                })
                .await
            }
            HubMsg::NotificationsRead(ticket_id) => {
                if !self.notifications {
                    return Ok(());
                }
                self.send(&Event::NotificationsRead { ticket_id }).await
            }
            HubMsg::MeChanged => self.reload_me().await,
            HubMsg::Availability(both) => self.send_availability(&both.0).await,
            HubMsg::Presence(snapshot) => {
                let id = snapshot.scope.id;
                if self.tickets.contains_key(&id) || (self.lists && self.viewer.role.is_staff()) {
                    self.send_presence(&snapshot).await
                } else {
                    Ok(())
                }
            }
            HubMsg::Ticket(record) => {
                let id = record.scope.id;
                let follows_ticket = self.tickets.contains_key(&id);
                if !self.lists && !follows_ticket {
                    return Ok(());
                }
                match domain::summary_for(&self.viewer, &record) {
                    Some(ticket) => {
                        if self
                            .revisions
                            .get(&id)
                            .is_some_and(|r| *r >= ticket.revision)
                        {
                            return Ok(());
                        }
                        self.revisions.insert(id, ticket.revision);
                        self.send(&Event::TicketChanged { ticket }).await
                    }
                    // Only staff lists and followers of the ticket hear of it, and they knew it.
                    None => {
                        self.revisions.remove(&id);
                        if follows_ticket {
                            self.unsubscribe(Topic::Ticket { id });
                        }
                        self.send(&Event::TicketRemoved { ticket_id: id }).await
                    }
                }
            }
        }
    }
}
