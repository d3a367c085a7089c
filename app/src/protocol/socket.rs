//! The WebSocket: what a client subscribes to, the commands it sends and the events it
//! receives.

use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use utoipa::ToSchema;

#[allow(unused_imports)]
use super::*;

/// What a socket can follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Topic {
    /// A member's own tickets, newest first.
    Inbox,
    /// Staff: the open tickets of every department they belong to, oldest first.
    Board,
    /// One ticket's log.
    Ticket { id: TicketId },
    /// Staff: their notifications and the tickets they follow.
    Notifications,
    /// Call-centre agents: calls ringing that they may answer, and their own calls until
    /// they end them (a `calls` snapshot, then live `call_changed`).
    Calls,
}

/// A frame from client to server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Command {
    /// Follow a topic. For a ticket, `since` is the last sequence already seen: the server
    /// replays everything after it, says `caught_up`, then sends live events. For a list, the
    /// server sends a `tickets` snapshot, then live `ticket_changed` events.
    Subscribe {
        topic: Topic,
        #[serde(default)]
        since: Option<Seq>,
        /// The board: which tickets its snapshot holds (the open queue by default).
        #[serde(default)]
        filter: Option<TicketFilter>,
    },
    /// Staff save a ticket's parameters: its subject and options (absent: none). Nothing is
    /// sent to the member; a status on the other side closes or reopens the ticket.
    SaveParameters {
        command_id: CommandId,
        ticket_id: TicketId,
        #[serde(flatten)]
        params: ParametersRequest,
    },
    /// Stop following a topic.
    Unsubscribe { topic: Topic },
    /// A member opens a new conversation with its first message.
    StartTicket {
        command_id: CommandId,
        client_msg_id: ClientMsgId,
        department_id: DepartmentId,
        subject: String,
        body: String,
        /// Ids of files this person uploaded and has not sent yet, sent with the first message.
        #[serde(default)]
        attachments: Vec<String>,
        /// The feedback form's fields: the ticket comes by the form rather than the chat.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        form: Option<FeedbackFields>,
    },
    /// A member chooses how their ticket is answered (`email`: every answer by mail too, at
    /// once). Answered by `done`.
    SetAnswerBy {
        command_id: CommandId,
        ticket_id: TicketId,
        answer_by: AnswerBy,
    },
    /// Post a message to a ticket. Staff may post it as a hidden note, and may close the
    /// ticket with it ("send and close"); staff writing to a ticket nobody holds take it.
    SendMessage {
        command_id: CommandId,
        ticket_id: TicketId,
        client_msg_id: ClientMsgId,
        body: String,
        #[serde(default)]
        hidden: bool,
        #[serde(default)]
        close: bool,
        /// Ids of files this person uploaded (`POST /api/uploads`) and has not sent yet.
        #[serde(default)]
        attachments: Vec<String>,
        /// Staff: the last event (staff numbering) on their screen when they began; refused
        /// as `stale` when a message they have not seen arrived since.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        seen: Option<Seq>,
    },
    /// Keeps what one is writing in a ticket (a reply, or — staff — a hidden note) on the
    /// server; an empty body forgets it. Answered by `done`.
    SaveDraft {
        command_id: CommandId,
        ticket_id: TicketId,
        #[serde(default)]
        note: bool,
        body: String,
    },
    /// Staff take (lock) a ticket to answer it.
    Take {
        command_id: CommandId,
        ticket_id: TicketId,
    },
    /// The holder (or a moderator) releases a ticket.
    Release {
        command_id: CommandId,
        ticket_id: TicketId,
    },
    /// A member archives a closed ticket.
    Archive {
        command_id: CommandId,
        ticket_id: TicketId,
    },
    /// Staff correct their own message or note (`seq` in staff numbering).
    EditMessage {
        command_id: CommandId,
        ticket_id: TicketId,
        seq: Seq,
        body: String,
    },
    /// A member rates support's answer on their ticket.
    Rate {
        command_id: CommandId,
        ticket_id: TicketId,
        mark_id: RatingMarkId,
    },
    /// Staff move a ticket to another department's queue (releasing it).
    Transfer {
        command_id: CommandId,
        ticket_id: TicketId,
        department_id: DepartmentId,
        /// Staff: the last event (staff numbering) on their screen when they began; refused
        /// as `stale` when a message they have not seen arrived since.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        seen: Option<Seq>,
    },
    /// Staff hand a ticket to a colleague, who then holds it: its holder (or anyone, while
    /// nobody holds it) to someone of the ticket's department; a moderator to anyone.
    Assign {
        command_id: CommandId,
        ticket_id: TicketId,
        user_id: UserId,
        /// Staff: the last event (staff numbering) on their screen when they began; refused
        /// as `stale` when a message they have not seen arrived since.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        seen: Option<Seq>,
    },
    /// Staff follow (or stop following) a ticket: they are notified of what happens to it.
    Follow {
        command_id: CommandId,
        ticket_id: TicketId,
        follow: bool,
    },
    /// Staff mark their notifications read: one ticket's, or all of them.
    ReadNotifications {
        command_id: CommandId,
        #[serde(default)]
        ticket_id: Option<TicketId>,
    },
    /// Administrators read the configuration (`action` absent) or change it; answered by
    /// `admin_state` with the configuration as it now stands.
    Admin {
        command_id: CommandId,
        #[serde(default)]
        action: Option<AdminAction>,
    },
    /// Staff set their preferences; answered by `done`, then `me_changed` on every socket.
    SetPreferences {
        command_id: CommandId,
        #[serde(flatten)]
        preferences: Preferences,
    },
    /// A member has read a ticket up to `seq`; staff have looked at it (its member's
    /// messages so far are no longer new to them).
    MarkRead { ticket_id: TicketId, seq: Seq },
    /// Staff split a long ticket in two: the messages from `seq` (staff numbering, a message
    /// the member can see) on are copied into a new ticket of the same member and department;
    /// the acknowledgement names the new ticket.
    Split {
        command_id: CommandId,
        ticket_id: TicketId,
        seq: Seq,
        /// Staff: the last event (staff numbering) on their screen when they began; refused
        /// as `stale` when a message they have not seen arrived since.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        seen: Option<Seq>,
    },
    /// Staff: what staff know about a member (never sent to a member); answered by
    /// `member_profile` carrying the same `command_id`.
    MemberProfile {
        command_id: CommandId,
        member_id: UserId,
    },
    /// Staff: the statistics of a range (see `GET /api/stats`); answered by `statistics`
    /// carrying the same `command_id`.
    Statistics {
        command_id: CommandId,
        range: crate::protocol::StatsRange,
    },
    /// Staff: a DNS lookup or a Whois query from a ticket; answered by `diagnosis`
    /// carrying the same `command_id`.
    Diagnose {
        command_id: CommandId,
        ticket_id: TicketId,
        request: crate::protocol::DiagnosisRequest,
    },
    /// Staff: changes what staff note about a member; answered by `done`.
    SetMemberComment {
        command_id: CommandId,
        member_id: UserId,
        comment: String,
    },
    /// Full-text search over the subjects and messages the reader may see; answered by
    /// `search_results` carrying the same `command_id`.
    Search {
        command_id: CommandId,
        query: String,
    },
    /// Says what this screen does with a ticket it follows: viewing, or replying (and
    /// typing). Sent on opening, on changes, and every few seconds to stay present; a screen
    /// silent for longer than the presence time-to-live is taken as gone. Not answered.
    Presence {
        ticket_id: TicketId,
        mode: PresenceMode,
        #[serde(default)]
        typing: bool,
    },
    /// Staff say they are away (after a while without input the browser says it by itself)
    /// or back. Not answered; everyone hears the new availability.
    SetAway { away: bool },
    /// A call-centre agent ends their call with a reason: its request is closed or sent to
    /// a queue. Answered by `ack` (the request's last event).
    EndCall {
        command_id: CommandId,
        call_id: String,
        #[serde(flatten)]
        end: CallEnd,
    },
    /// A call-centre agent changes their caller's account; written in the call's request and
    /// the member's history. Answered by `ack`; the same `client_msg_id` again changes nothing.
    ChangeAccount {
        command_id: CommandId,
        call_id: String,
        client_msg_id: ClientMsgId,
        #[serde(flatten)]
        change: AccountChange,
    },
    /// A call-centre agent takes the callback offered to them: the telephony system is asked
    /// to dial (else they dial the number shown). Answered by `done`.
    AcceptCallback {
        command_id: CommandId,
        callback_id: i64,
    },
    /// The agent says how calling back went. Answered by `done`.
    RecordCallback {
        command_id: CommandId,
        callback_id: i64,
        outcome: CallbackOutcome,
    },
    /// Application-level heartbeat; answered by `pong`.
    Ping {
        #[serde(default)]
        nonce: u64,
    },
}

impl Command {
    /// The id the answer to this command carries, for the commands that are answered by one.
    pub fn command_id(&self) -> Option<CommandId> {
        match self {
            Command::SaveParameters { command_id, .. }
            | Command::StartTicket { command_id, .. }
            | Command::SendMessage { command_id, .. }
            | Command::Take { command_id, .. }
            | Command::Release { command_id, .. }
            | Command::Archive { command_id, .. }
            | Command::EditMessage { command_id, .. }
            | Command::Rate { command_id, .. }
            | Command::Transfer { command_id, .. }
            | Command::Assign { command_id, .. }
            | Command::Follow { command_id, .. }
            | Command::SaveDraft { command_id, .. }
            | Command::ReadNotifications { command_id, .. }
            | Command::Admin { command_id, .. }
            | Command::SetPreferences { command_id, .. }
            | Command::Split { command_id, .. }
            | Command::Search { command_id, .. }
            | Command::MemberProfile { command_id, .. }
            | Command::Statistics { command_id, .. }
            | Command::Diagnose { command_id, .. }
            | Command::SetMemberComment { command_id, .. }
            | Command::EndCall { command_id, .. }
            | Command::ChangeAccount { command_id, .. }
            | Command::AcceptCallback { command_id, .. }
            | Command::RecordCallback { command_id, .. }
            | Command::SetAnswerBy { command_id, .. } => Some(*command_id),
            Command::Subscribe { .. }
            | Command::Unsubscribe { .. }
            | Command::MarkRead { .. }
            | Command::Presence { .. }
            | Command::SetAway { .. }
            | Command::Ping { .. } => None,
        }
    }
}

/// A frame from server to client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    /// First frame on a new socket.
    Hello { me: Me, heartbeat_ms: u64 },
    /// Snapshot of a list topic (inbox or board); live `ticket_changed` events follow.
    Tickets {
        topic: Topic,
        tickets: Vec<TicketSummary>,
    },
    /// A ticket in a followed list changed (or appeared).
    TicketChanged { ticket: TicketSummary },
    /// Snapshot of the calls topic; live `call_changed` events follow.
    Calls {
        #[serde(flatten)]
        calls: Calls,
    },
    /// A call of the calls topic changed (or came in); one this reader may no longer see
    /// (another agent answered it) comes as `call_gone`.
    CallChanged { call: Call },
    /// A call left this reader's screen.
    CallGone { call_id: String },
    /// A callback offered to this agent (or being made by them) changed.
    CallbackChanged { callback: Callback },
    /// A callback left this agent's screen (taken back, done, given up).
    CallbackGone { callback_id: i64 },
    /// How many callers now wait to be called back.
    CallbacksWaiting { count: i64 },
    /// A ticket left what this reader may see (transferred to a department they do not work).
    TicketRemoved { ticket_id: TicketId },
    /// Answer to subscribing to a ticket: its summary; its replayed events follow.
    TicketOpened { ticket: TicketSummary },
    /// One event of a followed ticket, replayed or live; `seq` grows by one each time.
    TicketEvent { event: TicketEvent },
    /// Everything up to `seq` has been replayed; what follows is live.
    CaughtUp { ticket_id: TicketId, seq: Seq },
    /// A command was committed.
    Ack {
        command_id: CommandId,
        ticket_id: TicketId,
        seq: Seq,
        /// True when this `client_msg_id` had already been stored: nothing new was written.
        duplicate: bool,
    },
    /// A command or frame failed; the socket stays open.
    Error {
        code: ErrorCode,
        message: String,
        command_id: Option<CommandId>,
        /// `rate_limited` and a busy `unavailable`: how long to wait before trying again.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        retry_after_ms: Option<u64>,
        /// `stale`: what arrived since the event the action said it had seen.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        news: Vec<TicketEvent>,
        /// `invalid`: the field whose value was refused.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        field: Option<String>,
    },
    /// Members: where their tickets waiting for a first answer stand, after the inbox's
    /// snapshot and again whenever it changes (empty: none waits).
    QueuePlaces { places: Vec<QueuePlace> },
    /// One's own drafts in a ticket just opened (after `caught_up`), when there are any.
    Drafts { ticket_id: TicketId, drafts: Drafts },
    /// Answer to `admin`: the configuration after the change.
    AdminState {
        command_id: CommandId,
        state: AdminState,
    },
    /// A command that writes no ticket event was committed.
    Done { command_id: CommandId },
    /// Snapshot of the notifications topic; live `notification`, `notifications_read` and
    /// `following` events follow.
    Notifications {
        #[serde(flatten)]
        notifications: Notifications,
    },
    /// A ticket this reader follows changed.
    Notification { notification: Notification },
    /// Notifications were marked read (of one ticket, or all), here or on another screen.
    NotificationsRead { ticket_id: Option<TicketId> },
    /// This reader now follows (or no longer follows) a ticket.
    Following {
        ticket_id: TicketId,
        following: bool,
    },
    /// The signed-in person's settings, departments or the desk's configuration changed.
    MeChanged { me: Me },
    /// Answer to `member_profile`.
    MemberProfile {
        command_id: CommandId,
        profile: Box<crate::protocol::MemberProfile>,
    },
    /// Answer to `diagnose`.
    Diagnosis {
        command_id: CommandId,
        diagnosis: crate::protocol::Diagnosis,
    },
    /// Answer to `statistics`.
    Statistics {
        command_id: CommandId,
        statistics: Box<crate::protocol::Statistics>,
    },
    /// Answer to `search`: the best matches first.
    SearchResults {
        command_id: CommandId,
        query: String,
        hits: Vec<SearchHit>,
    },
    /// Who has a ticket open and what they do (members see only staff who are typing).
    Presence {
        ticket_id: TicketId,
        present: Vec<Present>,
    },
    /// Staff: who is online or away (absent: offline); sent on connecting and on changes.
    Availability { staff: Vec<StaffStatus> },
    /// Members: the departments with an operator online now; sent on connecting and on
    /// changes.
    SupportOnline { departments: Vec<DepartmentId> },
    /// Answer to `ping`.
    Pong { nonce: u64 },
}

/// WebSocket close codes the server uses (besides the standard 1000/1001/1009/1011).
pub mod close_code {
    /// The client fell behind and its queue overflowed: reconnect and resume from the last `seq`.
    pub const LAGGED: u16 = 4000;
    /// The session ended (logged out or expired): sign in again.
    pub const SESSION_ENDED: u16 = 4001;
    /// No heartbeat answer in time.
    pub const HEARTBEAT_TIMEOUT: u16 = 4002;
}
