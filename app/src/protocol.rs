//! The wire protocol: every WebSocket command and event and every HTTP API body.
//!
//! The server, the browser UI, the integration tests and the load generator all use these
//! types, so nothing on the wire is described twice. Frames are JSON objects tagged by a
//! `type` field in `snake_case`.

use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use utoipa::ToSchema;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "ssr", derive(ToSchema))]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// A ticket's number, unique across the desk.
    TicketId
);
id_type!(
    /// A person: member or staff.
    UserId
);
id_type!(
    /// A department (operators belong to one or more).
    DepartmentId
);
id_type!(
    /// A rating mark members rate answers with.
    RatingMarkId
);
id_type!(
    /// A ticket event's position in that ticket's log, as the reader sees it: 1, 2, 3… with no
    /// holes. Staff and members count in separate sequences, because members never see
    /// staff-only events and must not be able to tell that they exist.
    Seq
);

/// Milliseconds since the Unix epoch (UTC).
pub type Millis = i64;

/// Chosen by the client for every command so that its reply (`ack` or `error`) can be matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
#[serde(transparent)]
pub struct CommandId(pub u64);

/// A client-generated id for a message (or a new conversation). Sending the same id twice
/// stores one message: the second acknowledgement says `duplicate: true`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
#[serde(try_from = "String", into = "String")]
pub struct ClientMsgId(String);

impl ClientMsgId {
    /// The longest id accepted.
    pub const MAX_LEN: usize = 64;

    /// Accepts 1 to 64 characters from `A-Z a-z 0-9 - _`.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let ok_char = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
        if raw.is_empty() || raw.len() > Self::MAX_LEN || !raw.chars().all(ok_char) {
            return Err(format!(
                "client_msg_id must be 1 to {} characters of A-Z, a-z, 0-9, '-' or '_'",
                Self::MAX_LEN
            ));
        }
        Ok(Self(raw.to_owned()))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for ClientMsgId {
    type Error = String;
    fn try_from(raw: String) -> Result<Self, String> {
        Self::parse(&raw)
    }
}

impl From<ClientMsgId> for String {
    fn from(id: ClientMsgId) -> String {
        id.0
    }
}

/// What a person may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A customer: sees only their own tickets.
    Member,
    /// Works the tickets of their departments.
    Operator,
    /// An operator who also oversees every department.
    Moderator,
    /// Manages the desk; sees every department.
    Administrator,
}

impl Role {
    /// Every role, in order of power.
    pub const ALL: [Role; 4] = [
        Role::Member,
        Role::Operator,
        Role::Moderator,
        Role::Administrator,
    ];

    /// Staff answer tickets; members open them.
    pub fn is_staff(self) -> bool {
        !matches!(self, Role::Member)
    }

    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Member => "member",
            Role::Operator => "operator",
            Role::Moderator => "moderator",
            Role::Administrator => "administrator",
        }
    }

    /// Reads a stored or typed role name.
    pub fn parse(raw: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == raw)
    }
}

/// A department as shown in lists and forms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct Department {
    pub id: DepartmentId,
    pub name: String,
}

/// A person as shown beside what they did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct Person {
    pub id: UserId,
    pub name: String,
    pub role: Role,
}

/// The signed-in person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct Me {
    pub id: UserId,
    pub name: String,
    pub email: String,
    pub role: Role,
    /// Staff: the departments whose tickets they see. Members: the departments they can write to.
    pub departments: Vec<Department>,
    /// Staff: every department, where a ticket can be transferred. Members: empty.
    #[serde(default)]
    pub transfer_targets: Vec<Department>,
    /// The marks answers can be rated with, in order.
    #[serde(default)]
    pub rating_marks: Vec<RatingMark>,
    /// Staff: the canned responses of their departments.
    #[serde(default)]
    pub canned: Vec<CannedResponse>,
}

/// A prepared answer of a department, with placeholders such as `{member}` (see `canned`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct CannedResponse {
    pub id: i64,
    pub department_id: DepartmentId,
    pub title: String,
    pub body: String,
}

/// A mark to rate an answer with ("The answer is fine", "Not complete enough"…).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct RatingMark {
    pub id: RatingMarkId,
    pub label: String,
}

/// Where a ticket stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TicketStatus {
    /// In a queue, being worked.
    Open,
    /// Closed on the provider side.
    Closed,
}

impl TicketStatus {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            TicketStatus::Open => "open",
            TicketStatus::Closed => "closed",
        }
    }

    /// Reads a stored name.
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "open" => Some(TicketStatus::Open),
            "closed" => Some(TicketStatus::Closed),
            _ => None,
        }
    }
}

/// Where a ticket came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// The personal-account chat widget.
    Chat,
}

/// One ticket as a list (inbox or board) shows it, seen by one reader.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct TicketSummary {
    pub id: TicketId,
    pub subject: String,
    pub member: Person,
    pub department: Department,
    pub status: TicketStatus,
    pub channel: Channel,
    pub created_at: Millis,
    pub updated_at: Millis,
    /// The last event this reader can see.
    pub last_seq: Seq,
    /// Grows with every change of the ticket; a list keeps the summary with the highest one.
    pub revision: i64,
    /// The start of the last message this reader can see.
    pub preview: Option<String>,
    /// Who wrote last: a member's message waiting for an answer, or staff's answer.
    pub last_author_role: Option<Role>,
    /// For a member: staff messages not yet read. For staff: 0.
    pub unread: i64,
    /// Staff only: who has taken (locked) the ticket; nobody else may write to it.
    pub assignee: Option<Person>,
    /// The member has put this closed ticket in their archive.
    pub archived: bool,
}

/// Where a ticket stands for its member, as the widget shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MemberStatus {
    /// Waiting for support's answer.
    UnderReview,
    /// Support has answered and the member has not read it yet.
    NewMessages,
    /// Answered and read.
    Viewed,
    /// Closed by support (the member may archive it, or write again to reopen it).
    Closed,
}

impl TicketSummary {
    /// The ticket's state as its member sees it.
    pub fn member_status(&self) -> MemberStatus {
        if self.unread > 0 {
            MemberStatus::NewMessages
        } else if self.status == TicketStatus::Closed {
            MemberStatus::Closed
        } else if self.last_author_role.is_some_and(Role::is_staff) {
            MemberStatus::Viewed
        } else {
            MemberStatus::UnderReview
        }
    }
}

/// What happened to a ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EventKind {
    /// The ticket was opened.
    Created {
        subject: String,
        department: Department,
    },
    /// A message visible to the member and to staff.
    Message {
        body: String,
        client_msg_id: Option<ClientMsgId>,
    },
    /// A hidden note: staff only, never shown, sent or mailed to the member.
    Note {
        body: String,
        client_msg_id: Option<ClientMsgId>,
    },
    /// The author took the ticket: nobody else may write to it until it is released.
    Taken,
    /// The ticket was released (by its holder, or by a moderator for `holder`).
    Released { holder: Option<Person> },
    /// Closed on the provider side.
    Closed,
    /// Opened again (by a member's new message).
    Reopened,
    /// The member put the closed ticket in their archive.
    Archived,
    /// Moved to another department's queue.
    Transferred { from: Department, to: Department },
    /// The member rated support's answer.
    Rated { mark: RatingMark },
    /// Staff corrected their message (or note) `message_seq`; `previous` stays in the history.
    Edited {
        message_seq: Seq,
        body: String,
        previous: String,
        /// The edited text is a hidden note (staff only).
        hidden: bool,
    },
}

/// One entry of a ticket's log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct TicketEvent {
    pub ticket_id: TicketId,
    pub seq: Seq,
    pub at: Millis,
    pub author: Option<Person>,
    #[serde(flatten)]
    pub kind: EventKind,
}

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
    },
    /// A member has read a ticket up to `seq`.
    MarkRead { ticket_id: TicketId, seq: Seq },
    /// Application-level heartbeat; answered by `pong`.
    Ping {
        #[serde(default)]
        nonce: u64,
    },
}

/// Why a command or request failed. Clients branch on this, never on the message text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// Not signed in, or the session has ended.
    Unauthorized,
    /// Signed in but not allowed.
    Forbidden,
    /// No such thing, or not yours to see.
    NotFound,
    /// A field has a wrong value.
    Invalid,
    /// Someone else has taken the ticket; the message names them.
    Locked,
    /// Not possible in the ticket's present state (e.g. archiving an open ticket).
    Conflict,
    /// The request or frame could not be read.
    Malformed,
    /// The frame's `type` is not a known command.
    UnknownCommand,
    /// Over a size limit.
    TooLarge,
    /// The database is unreachable: retry later, nothing was stored.
    Unavailable,
    /// An unexpected failure: nothing was stored.
    Internal,
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
    },
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

/// Limits enforced by the server (and checked early by the UI).
pub mod limits {
    /// Longest message body, in characters.
    pub const MAX_BODY_CHARS: usize = 20_000;
    /// Longest subject, in characters.
    pub const MAX_SUBJECT_CHARS: usize = 200;
    /// Largest WebSocket frame the server reads and answers with an error event, in bytes.
    pub const MAX_FRAME_BYTES: usize = 128 * 1024;
    /// Largest HTTP JSON body, in bytes.
    pub const MAX_HTTP_BODY_BYTES: usize = 128 * 1024;
}

// ---- HTTP bodies ----

/// `POST /api/login`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

/// `POST /api/tickets`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct NewTicketRequest {
    pub client_msg_id: ClientMsgId,
    pub department_id: DepartmentId,
    pub subject: String,
    pub body: String,
}

/// `POST /api/tickets/{id}/messages`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct NewMessageRequest {
    pub client_msg_id: ClientMsgId,
    pub body: String,
    /// Staff: a hidden note instead of a message.
    #[serde(default)]
    pub hidden: bool,
    /// Staff: close the ticket with this message.
    #[serde(default)]
    pub close: bool,
}

/// `POST /api/tickets/{id}/read`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct MarkReadRequest {
    pub seq: Seq,
}

/// `PATCH /api/tickets/{id}/messages/{seq}`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct EditRequest {
    pub body: String,
}

/// `POST /api/tickets/{id}/rate`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct RateRequest {
    pub mark_id: RatingMarkId,
}

/// `POST /api/tickets/{id}/transfer`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct TransferRequest {
    pub department_id: DepartmentId,
}

/// The result of a stored write (`POST /api/tickets`, `POST /api/tickets/{id}/messages`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct Written {
    pub ticket_id: TicketId,
    pub seq: Seq,
    pub duplicate: bool,
}

/// `GET /api/tickets/{id}`: a ticket and its events after `since`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct TicketDetail {
    pub ticket: TicketSummary,
    pub events: Vec<TicketEvent>,
}

/// Every error body: `{code, message}`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct ErrorBody {
    pub code: ErrorCode,
    pub message: String,
}

/// `GET /health`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct Health {
    pub version: String,
    pub database: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_read_as_documented() {
        let cmd: Command = serde_json::from_str(
            r#"{"type":"send_message","command_id":7,"ticket_id":3,"client_msg_id":"a-1","body":"hi"}"#,
        )
        .unwrap();
        assert_eq!(
            cmd,
            Command::SendMessage {
                command_id: CommandId(7),
                ticket_id: TicketId(3),
                client_msg_id: ClientMsgId::parse("a-1").unwrap(),
                body: "hi".into(),
                hidden: false,
                close: false,
            }
        );
        let sub: Command = serde_json::from_str(
            r#"{"type":"subscribe","topic":{"kind":"ticket","id":3},"since":5}"#,
        )
        .unwrap();
        assert_eq!(
            sub,
            Command::Subscribe {
                topic: Topic::Ticket { id: TicketId(3) },
                since: Some(Seq(5))
            }
        );
    }

    #[test]
    fn client_msg_id_rejects_bad_text() {
        for bad in ["", "has space", "ünïcode", &"x".repeat(65)] {
            assert!(
                ClientMsgId::parse(bad).is_err(),
                "{bad:?} should be refused"
            );
        }
        assert!(serde_json::from_str::<ClientMsgId>(r#""../etc""#).is_err());
    }

    #[test]
    fn ticket_event_flattens_its_kind() {
        let ev = TicketEvent {
            ticket_id: TicketId(1),
            seq: Seq(2),
            at: 0,
            author: None,
            kind: EventKind::Message {
                body: "x".into(),
                client_msg_id: None,
            },
        };
        let json = serde_json::to_value(&ev).unwrap();
        assert_eq!(json["kind"], "message");
        assert_eq!(json["body"], "x");
        assert_eq!(serde_json::from_value::<TicketEvent>(json).unwrap(), ev);
    }
}
