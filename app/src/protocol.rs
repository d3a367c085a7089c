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
    /// A queue: where tickets of a channel arrive.
    QueueId
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Hash)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct Department {
    pub id: DepartmentId,
    pub name: String,
}

/// A person as shown beside what they did.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
    /// Staff: the statuses, criticality levels, categories and related services offered.
    #[serde(default)]
    pub options: Vec<TicketOption>,
    /// Staff: the queues tickets arrive in (those still offered).
    #[serde(default)]
    pub queues: Vec<Queue>,
    /// Staff: the people a ticket can be assigned to (colleagues of their departments; all
    /// staff for moderators), with the departments each works in.
    #[serde(default)]
    pub staff: Vec<StaffMember>,
    /// Staff: the reply box starts as a hidden note ("hide and don't notify the member").
    #[serde(default)]
    pub notes_by_default: bool,
    /// What files may be sent.
    #[serde(default)]
    pub file_limits: FileLimits,
}

/// The limits on files the desk is configured with.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct FileLimits {
    /// Largest file, in bytes.
    pub max_file_bytes: u64,
    /// Largest total of the files of one message, in bytes.
    pub max_message_bytes: u64,
}

/// A member of staff, as assignment pickers show them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct StaffMember {
    pub person: Person,
    pub departments: Vec<DepartmentId>,
}

impl StaffMember {
    /// Whether they may work tickets of `department`.
    pub fn works_in(&self, department: DepartmentId) -> bool {
        matches!(self.person.role, Role::Moderator | Role::Administrator)
            || self.departments.contains(&department)
    }
}

/// What administrators see and manage: the desk's whole configuration.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct AdminState {
    pub departments: Vec<AdminDepartment>,
    pub staff: Vec<Employee>,
    /// Every ticket option, retired ones included.
    pub options: Vec<AdminOption>,
    /// Every rating mark, retired ones included.
    pub rating_marks: Vec<AdminMark>,
    pub canned: Vec<CannedResponse>,
    /// Every queue, retired ones included.
    pub queues: Vec<AdminQueue>,
}

/// A queue with its state, as administrators manage it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct AdminQueue {
    #[serde(flatten)]
    pub queue: Queue,
    /// No longer receives new tickets; those in it stay.
    pub retired: bool,
    /// How many tickets it holds; a queue with tickets can be retired, not deleted.
    pub tickets: i64,
}

/// A department as administrators manage it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Hash)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct AdminDepartment {
    pub id: DepartmentId,
    pub name: String,
    /// Offered to members in the support centre (otherwise reachable by transfer only).
    pub public: bool,
    /// How many tickets it holds; a department with tickets cannot be deleted.
    pub tickets: i64,
}

/// A member of staff as administrators manage them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Hash)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct Employee {
    pub id: UserId,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub departments: Vec<DepartmentId>,
}

/// A ticket option with its state, as administrators manage it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Hash)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct AdminOption {
    #[serde(flatten)]
    pub option: TicketOption,
    /// No longer offered; tickets that carry it keep it.
    pub retired: bool,
    /// How many tickets carry it; an option in use can be retired, not deleted.
    pub tickets: i64,
}

/// A rating mark with its state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Hash)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct AdminMark {
    pub id: RatingMarkId,
    pub label: String,
    /// No longer offered to members; ratings given with it keep it.
    pub retired: bool,
}

/// One change administrators make (`POST /api/admin`, the `admin` command).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum AdminAction {
    /// Adds a department.
    CreateDepartment { name: String, public: bool },
    /// Renames a department or changes whether members can choose it.
    UpdateDepartment {
        id: DepartmentId,
        name: String,
        public: bool,
    },
    /// Deletes a department that holds no tickets (its people and canned responses go too).
    DeleteDepartment { id: DepartmentId },
    /// Adds a member of staff who signs in with `password`.
    CreateEmployee {
        email: String,
        name: String,
        role: Role,
        password: String,
        departments: Vec<DepartmentId>,
    },
    /// Changes a member of staff's name, role and departments.
    UpdateEmployee {
        id: UserId,
        name: String,
        role: Role,
        departments: Vec<DepartmentId>,
    },
    /// Adds a status, criticality level, category or related service.
    CreateOption {
        kind: OptionKind,
        label: String,
        #[serde(default)]
        side: Option<TicketStatus>,
    },
    /// Renames an option (and moves a status to another side).
    UpdateOption {
        id: OptionId,
        label: String,
        #[serde(default)]
        side: Option<TicketStatus>,
    },
    /// Stops (or resumes) offering an option; tickets keep it.
    RetireOption { id: OptionId, retired: bool },
    /// Deletes an option no ticket carries.
    DeleteOption { id: OptionId },
    /// Adds a rating mark.
    CreateMark { label: String },
    /// Renames a rating mark.
    UpdateMark { id: RatingMarkId, label: String },
    /// Stops (or resumes) offering a rating mark; ratings given keep it.
    RetireMark { id: RatingMarkId, retired: bool },
    /// Adds a canned response to a department.
    CreateCanned {
        department_id: DepartmentId,
        title: String,
        body: String,
    },
    /// Changes a canned response.
    UpdateCanned {
        id: i64,
        department_id: DepartmentId,
        title: String,
        body: String,
    },
    /// Deletes a canned response.
    DeleteCanned { id: i64 },
    /// Adds a queue for a channel (new tickets of the channel go to its first offered queue).
    CreateQueue { name: String, channel: Channel },
    /// Renames a queue.
    UpdateQueue { id: QueueId, name: String },
    /// Stops (or resumes) sending new tickets to a queue; its tickets stay.
    RetireQueue { id: QueueId, retired: bool },
    /// Deletes a queue that holds no tickets.
    DeleteQueue { id: QueueId },
}

/// What someone with a ticket open is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PresenceMode {
    /// Reading it.
    Viewing,
    /// Writing an answer (the reply box holds a draft).
    Replying,
}

/// Someone with a ticket open, as others see them.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct Present {
    pub person: Person,
    pub mode: PresenceMode,
    /// Typed in the last few seconds.
    pub typing: bool,
}

/// Whether a member of staff can answer now (offline: no screen open).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Availability {
    /// A screen of theirs is open and in use.
    Online,
    /// Their screens are open but idle (or they said they are away).
    Away,
}

/// A member of staff who is online or away.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct StaffStatus {
    pub person: Person,
    pub departments: Vec<DepartmentId>,
    pub availability: Availability,
}

/// Identifies one in-app notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
#[serde(transparent)]
pub struct NotificationId(pub i64);

/// Something happened to a ticket its reader follows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct Notification {
    pub id: NotificationId,
    pub ticket_id: TicketId,
    pub subject: String,
    /// The event, in staff numbering.
    pub seq: Seq,
    pub at: Millis,
    pub author: Option<Person>,
    /// What happened, in one line ("New message: …", "Transferred to Billing").
    pub text: String,
    pub read: bool,
}

/// `GET /api/notifications`: the newest notifications, how many are unread, and the tickets
/// followed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct Notifications {
    pub items: Vec<Notification>,
    pub unread: i64,
    pub following: Vec<TicketId>,
}

/// Identifies a configured ticket option.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
#[serde(transparent)]
pub struct OptionId(pub i64);

impl std::fmt::Display for OptionId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// The lists of values administrators configure for tickets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OptionKind {
    /// A status ("Accepted", "In progress", "Resolved"…) on one side: open or closed.
    Status,
    /// How urgent the ticket is.
    Criticality,
    /// What kind of request it is.
    Category,
    /// The product or service it is about.
    Service,
}

impl OptionKind {
    /// Every kind, in the order forms show them.
    pub const ALL: [OptionKind; 4] = [
        OptionKind::Status,
        OptionKind::Criticality,
        OptionKind::Category,
        OptionKind::Service,
    ];

    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            OptionKind::Status => "status",
            OptionKind::Criticality => "criticality",
            OptionKind::Category => "category",
            OptionKind::Service => "service",
        }
    }

    /// Reads a stored name.
    pub fn parse(raw: &str) -> Option<OptionKind> {
        OptionKind::ALL.into_iter().find(|k| k.as_str() == raw)
    }

    /// The field's name as people read it.
    pub fn label(self) -> &'static str {
        match self {
            OptionKind::Status => "Status",
            OptionKind::Criticality => "Criticality",
            OptionKind::Category => "Category",
            OptionKind::Service => "Related service",
        }
    }
}

/// One configured value of a ticket parameter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Hash)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct TicketOption {
    pub id: OptionId,
    pub kind: OptionKind,
    pub label: String,
    /// Statuses: the side they put the ticket on (open: under review; closed: awaiting member).
    #[serde(default)]
    pub side: Option<TicketStatus>,
}

/// An option as a ticket carries it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct OptionRef {
    pub id: OptionId,
    pub label: String,
}

/// A ticket's configurable parameters. Staff only: members' summaries leave them empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct TicketParams {
    pub status: Option<OptionRef>,
    pub criticality: Option<OptionRef>,
    pub category: Option<OptionRef>,
    pub service: Option<OptionRef>,
}

impl TicketParams {
    /// The value of one parameter.
    pub fn get(&self, kind: OptionKind) -> Option<&OptionRef> {
        match kind {
            OptionKind::Status => self.status.as_ref(),
            OptionKind::Criticality => self.criticality.as_ref(),
            OptionKind::Category => self.category.as_ref(),
            OptionKind::Service => self.service.as_ref(),
        }
    }

    /// Sets one parameter.
    pub fn set(&mut self, kind: OptionKind, value: Option<OptionRef>) {
        match kind {
            OptionKind::Status => self.status = value,
            OptionKind::Criticality => self.criticality = value,
            OptionKind::Category => self.category = value,
            OptionKind::Service => self.service = value,
        }
    }
}

/// Which tickets a board shows, by where they stand on the provider's side.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum BoardState {
    /// Open tickets: under review (the queue).
    #[default]
    Queue,
    /// Closed by support, not yet archived by the member.
    AwaitingMember,
    /// In the member's archive.
    Archived,
    /// Every ticket.
    All,
}

impl BoardState {
    /// Every state, in the order the board offers them.
    pub const ALL: [BoardState; 4] = [
        BoardState::Queue,
        BoardState::AwaitingMember,
        BoardState::Archived,
        BoardState::All,
    ];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            BoardState::Queue => "queue",
            BoardState::AwaitingMember => "awaiting_member",
            BoardState::Archived => "archived",
            BoardState::All => "all",
        }
    }

    /// Reads a wire name.
    pub fn parse(raw: &str) -> Option<BoardState> {
        BoardState::ALL.into_iter().find(|s| s.as_str() == raw)
    }

    /// Whether a ticket in this state belongs here.
    pub fn admits(self, t: &TicketSummary) -> bool {
        match self {
            BoardState::Queue => t.status == TicketStatus::Open,
            BoardState::AwaitingMember => t.status == TicketStatus::Closed && !t.archived,
            BoardState::Archived => t.archived,
            BoardState::All => true,
        }
    }
}

/// Which tickets a staff list shows: a state and any of these parameters. The server applies
/// it to snapshots and `GET /api/tickets`; pages apply it to live changes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema, utoipa::IntoParams))]
pub struct TicketFilter {
    #[serde(default)]
    pub state: BoardState,
    #[serde(default)]
    pub department: Option<DepartmentId>,
    #[serde(default)]
    pub member: Option<UserId>,
    #[serde(default)]
    pub status: Option<OptionId>,
    #[serde(default)]
    pub criticality: Option<OptionId>,
    #[serde(default)]
    pub category: Option<OptionId>,
    #[serde(default)]
    pub service: Option<OptionId>,
    #[serde(default)]
    pub queue: Option<QueueId>,
}

impl TicketFilter {
    /// Whether the ticket passes every part of the filter.
    pub fn admits(&self, t: &TicketSummary) -> bool {
        let matches = |want: Option<OptionId>, kind: OptionKind| {
            want.is_none_or(|id| t.params.get(kind).is_some_and(|o| o.id == id))
        };
        self.state.admits(t)
            && self.department.is_none_or(|d| t.department.id == d)
            && self.member.is_none_or(|m| t.member.id == m)
            && matches(self.status, OptionKind::Status)
            && matches(self.criticality, OptionKind::Criticality)
            && matches(self.category, OptionKind::Category)
            && matches(self.service, OptionKind::Service)
            && self
                .queue
                .is_none_or(|q| t.queue.as_ref().is_some_and(|x| x.id == q))
    }
}

/// A prepared answer of a department, with placeholders such as `{member}` (see `canned`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Hash)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Hash)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// The personal-account chat widget.
    Chat,
    /// Mail to the support address.
    Email,
    /// The feedback form.
    Form,
    /// A call, taken down by an operator.
    Phone,
}

impl Channel {
    /// Every channel.
    pub const ALL: [Channel; 4] = [Channel::Chat, Channel::Email, Channel::Form, Channel::Phone];

    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Chat => "chat",
            Channel::Email => "email",
            Channel::Form => "form",
            Channel::Phone => "phone",
        }
    }

    /// Reads a stored name.
    pub fn parse(raw: &str) -> Option<Self> {
        Channel::ALL.into_iter().find(|c| c.as_str() == raw)
    }

    /// How people call it.
    pub fn label(self) -> &'static str {
        match self {
            Channel::Chat => "Chat",
            Channel::Email => "Email",
            Channel::Form => "Feedback form",
            Channel::Phone => "Phone",
        }
    }
}

/// A queue: tickets of one channel arrive in its first offered queue.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct Queue {
    pub id: QueueId,
    pub name: String,
    pub channel: Channel,
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
    /// Staff only: status, criticality, category and related service.
    #[serde(default)]
    pub params: TicketParams,
    /// Staff only: the queue it arrived in.
    #[serde(default)]
    pub queue: Option<Queue>,
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
        /// Files sent with it (`GET /api/files/{id}`).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        attachments: Vec<UploadedFile>,
    },
    /// A hidden note: staff only, never shown, sent or mailed to the member.
    Note {
        body: String,
        client_msg_id: Option<ClientMsgId>,
        /// Files with it: never served to the member.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        attachments: Vec<UploadedFile>,
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
    /// Handed to `to` (by its holder, or by a moderator): they hold it now.
    Assigned { from: Option<Person>, to: Person },
    /// The member rated support's answer.
    Rated { mark: RatingMark },
    /// Staff split the conversation: from `message_seq` on, it continues in `ticket`, which
    /// holds copies of those messages (and, for staff, notes).
    SplitOff {
        ticket: TicketId,
        message_seq: Seq,
        subject: String,
    },
    /// This ticket continues `ticket`, split off it.
    SplitFrom { ticket: TicketId, subject: String },
    /// Staff saved the ticket's parameters (staff only).
    ParametersChanged { changes: Vec<ParameterChange> },
    /// Staff corrected their message (or note) `message_seq`; `previous` stays in the history.
    Edited {
        message_seq: Seq,
        body: String,
        previous: String,
        /// The edited text is a hidden note (staff only).
        hidden: bool,
    },
}

/// One parameter's change, by label (as it read then).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct ParameterChange {
    /// `subject`, or an option kind's name.
    pub field: String,
    pub from: Option<String>,
    pub to: Option<String>,
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
    /// Staff: their notifications and the tickets they follow.
    Notifications,
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
    /// Staff hand a ticket to a colleague, who then holds it: its holder (or anyone, while
    /// nobody holds it) to someone of the ticket's department; a moderator to anyone.
    Assign {
        command_id: CommandId,
        ticket_id: TicketId,
        user_id: UserId,
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
    /// A member has read a ticket up to `seq`.
    MarkRead { ticket_id: TicketId, seq: Seq },
    /// Staff split a long ticket in two: the messages from `seq` (staff numbering, a message
    /// the member can see) on are copied into a new ticket of the same member and department;
    /// the acknowledgement names the new ticket.
    Split {
        command_id: CommandId,
        ticket_id: TicketId,
        seq: Seq,
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
    /// Longest search query, in characters.
    pub const MAX_QUERY_CHARS: usize = 200;
    /// Most words a search query uses; further words are ignored.
    pub const MAX_QUERY_WORDS: usize = 8;
    /// Most hits one search returns.
    pub const SEARCH_HITS: usize = 50;
    /// Longest file name kept, in characters.
    pub const MAX_FILE_NAME_CHARS: usize = 200;
    /// Most files sent with one message.
    pub const MAX_ATTACHMENTS: usize = 10;
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
    /// Ids of files this person uploaded and has not sent yet.
    #[serde(default)]
    pub attachments: Vec<String>,
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
    /// Ids of files this person uploaded and has not sent yet.
    #[serde(default)]
    pub attachments: Vec<String>,
}

/// An uploaded file (`POST /api/uploads`): its id, the name it was sent with, its size, the
/// type told from its bytes and their SHA-256 (hex). A picture has a preview
/// (`GET /api/files/{id}/preview`, at most 480 pixels a side) and `picture` gives its own size.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct UploadedFile {
    pub id: String,
    pub name: String,
    pub size: u64,
    pub content_type: String,
    pub sha256: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub picture: Option<PictureSize>,
}

/// A picture's width and height in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct PictureSize {
    pub width: u32,
    pub height: u32,
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

/// `PUT /api/tickets/{id}/parameters` (and the `save_parameters` command): the whole set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct ParametersRequest {
    pub subject: String,
    #[serde(default)]
    pub status_id: Option<OptionId>,
    #[serde(default)]
    pub criticality_id: Option<OptionId>,
    #[serde(default)]
    pub category_id: Option<OptionId>,
    #[serde(default)]
    pub service_id: Option<OptionId>,
}

impl ParametersRequest {
    /// The option asked for one parameter.
    pub fn get(&self, kind: OptionKind) -> Option<OptionId> {
        match kind {
            OptionKind::Status => self.status_id,
            OptionKind::Criticality => self.criticality_id,
            OptionKind::Category => self.category_id,
            OptionKind::Service => self.service_id,
        }
    }
}

/// `POST /api/tickets/{id}/split`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct SplitRequest {
    /// The first message of the new ticket, in staff numbering.
    pub seq: Seq,
}

/// `POST /api/tickets/{id}/assign`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct AssignRequest {
    pub user_id: UserId,
}

/// `PUT /api/tickets/{id}/follow`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct FollowRequest {
    pub follow: bool,
}

/// `POST /api/notifications/read`: one ticket's notifications, or all.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct ReadNotificationsRequest {
    #[serde(default)]
    pub ticket_id: Option<TicketId>,
}

/// A person's preferences (`PUT /api/me/preferences`, the `set_preferences` command).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct Preferences {
    /// Staff: the reply box starts as a hidden note.
    pub notes_by_default: bool,
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

/// A piece of a search hit's text; `hit` marks the words that matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct Fragment {
    pub text: String,
    pub hit: bool,
}

/// One search result: a ticket's subject or one of its messages (or, for staff, notes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct SearchHit {
    pub ticket_id: TicketId,
    pub subject: String,
    pub department: Department,
    pub member: Person,
    pub status: TicketStatus,
    pub archived: bool,
    /// The matching message, in the reader's numbering; absent when the subject matched.
    pub seq: Option<Seq>,
    /// A hidden note (staff only).
    pub hidden: bool,
    pub author: Option<Person>,
    pub at: Millis,
    /// The matching passage with its matching words marked.
    pub snippet: Vec<Fragment>,
}

/// `GET /api/search?q=…`: the best matches first, at most [`limits::SEARCH_HITS`].
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct SearchResults {
    pub query: String,
    pub hits: Vec<SearchHit>,
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
                attachments: Vec::new(),
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
                since: Some(Seq(5)),
                filter: None,
            }
        );
    }

    #[test]
    fn a_filter_admits_by_state_and_parameters() {
        let mut t: TicketSummary = serde_json::from_value(serde_json::json!({
            "id": 1, "subject": "s", "member": {"id": 2, "name": "m", "role": "member"},
            "department": {"id": 3, "name": "d"}, "status": "open", "channel": "chat",
            "created_at": 0, "updated_at": 0, "last_seq": 1, "revision": 1, "preview": null,
            "last_author_role": null, "unread": 0, "assignee": null, "archived": false,
            "params": {"criticality": {"id": 7, "label": "High"}}
        }))
        .unwrap();
        let high = TicketFilter {
            criticality: Some(OptionId(7)),
            ..TicketFilter::default()
        };
        assert!(high.admits(&t));
        assert!(
            !TicketFilter {
                criticality: Some(OptionId(8)),
                ..high.clone()
            }
            .admits(&t)
        );
        assert!(
            !TicketFilter {
                department: Some(DepartmentId(4)),
                ..high.clone()
            }
            .admits(&t)
        );
        t.status = TicketStatus::Closed;
        assert!(!high.admits(&t), "the queue holds open tickets");
        let waiting = TicketFilter {
            state: BoardState::AwaitingMember,
            ..high
        };
        assert!(waiting.admits(&t));
        t.archived = true;
        assert!(!waiting.admits(&t));
        assert!(
            TicketFilter {
                state: BoardState::Archived,
                ..TicketFilter::default()
            }
            .admits(&t)
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
                attachments: Vec::new(),
            },
        };
        let json = serde_json::to_value(&ev).unwrap();
        assert_eq!(json["kind"], "message");
        assert_eq!(json["body"], "x");
        assert_eq!(serde_json::from_value::<TicketEvent>(json).unwrap(), ev);
    }
}
