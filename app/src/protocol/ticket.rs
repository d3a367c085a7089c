//! Tickets: their options, state, lists and filters, the events of their log and files.

use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use utoipa::ToSchema;

#[allow(unused_imports)]
use super::*;

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

    /// The field's name in message keys of the catalogues (`option-status`, `any-status`…).
    pub fn key(self) -> &'static str {
        match self {
            OptionKind::Status => "status",
            OptionKind::Criticality => "criticality",
            OptionKind::Category => "category",
            OptionKind::Service => "service",
        }
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
    /// The ball is in the member's court: open and answered last by staff, or closed and not
    /// yet archived.
    WaitingOnMember,
    /// In the member's archive.
    Archived,
    /// Every ticket.
    All,
}

impl BoardState {
    /// Every state, in the order the board offers them.
    pub const ALL: [BoardState; 5] = [
        BoardState::Queue,
        BoardState::AwaitingMember,
        BoardState::WaitingOnMember,
        BoardState::Archived,
        BoardState::All,
    ];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            BoardState::Queue => "queue",
            BoardState::AwaitingMember => "awaiting_member",
            BoardState::WaitingOnMember => "waiting_on_member",
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
            BoardState::WaitingOnMember => match t.status {
                TicketStatus::Open => t.last_author_role.is_some_and(Role::is_staff),
                TicketStatus::Closed => !t.archived,
            },
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
    /// Only the tickets this person holds.
    #[serde(default)]
    pub assignee: Option<UserId>,
    /// Only the tickets nobody holds.
    #[serde(default)]
    pub unassigned: bool,
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
            && self
                .assignee
                .is_none_or(|a| t.assignee.as_ref().is_some_and(|x| x.id == a))
            && (!self.unassigned || t.assignee.is_none())
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
    /// Staff only: since when its holder has held it (absent when nobody does).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub taken_at: Option<Millis>,
    /// Staff only: when a take lapsed unanswered and the ticket came back to the queue; gone
    /// once someone takes it again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lapsed_at: Option<Millis>,
    /// The member has put this closed ticket in their archive.
    pub archived: bool,
    /// Staff only: status, criticality, category and related service.
    #[serde(default)]
    pub params: TicketParams,
    /// Staff only: the queue it arrived in.
    #[serde(default)]
    pub queue: Option<Queue>,
    /// How its member asked to be answered (by the feedback form, or since).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer_by: Option<AnswerBy>,
    /// Staff only: when the member last wrote. While the last message is theirs, they have
    /// waited since then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member_wrote_at: Option<Millis>,
    /// Staff only: staff have answered it at least once (the next answer's target applies,
    /// not the first's).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub answered: bool,
    /// Staff's own lists only: when this person last looked at the ticket (`None`: never).
    /// What its member wrote after is new to them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seen_at: Option<Millis>,
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
    /// Staff: since when the member has waited for an answer (open, and theirs is the last
    /// message), or `None`.
    pub fn waiting_since(&self) -> Option<Millis> {
        (self.status == TicketStatus::Open && self.last_author_role == Some(Role::Member))
            .then_some(self.member_wrote_at)
            .flatten()
    }

    /// Staff: whether the member wrote since this person last looked at the ticket.
    pub fn new_to_me(&self) -> bool {
        self.member_wrote_at
            .is_some_and(|wrote| self.seen_at.is_none_or(|seen| wrote > seen))
    }

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
        /// It came by the feedback form: what the member filled in.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        form: Option<FeedbackForm>,
    },
    /// A message visible to the member and to staff.
    Message {
        body: String,
        client_msg_id: Option<ClientMsgId>,
        /// Files sent with it (`GET /api/files/{id}`).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        attachments: Vec<UploadedFile>,
        /// It came by mail (`GET /mail/of/{ticket}/{client_msg_id}` shows staff the mail).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        mail: Option<ByMail>,
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
    /// Its holder (the author) left the member waiting `minutes` unanswered: the ticket went
    /// back to the queue by itself (staff only).
    Lapsed { minutes: i64 },
    /// Message `message_seq`, mailed to `to`, could not be delivered: `reason` is what the
    /// mail system said (staff only).
    Undelivered {
        message_seq: Seq,
        to: String,
        reason: String,
    },
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
    /// The telephony system reported the call `call_id` of this request (staff only): it
    /// rang from `caller` on `line`, was answered (by the author), ended after `seconds`
    /// talking, or was given up by the caller.
    Call {
        call_id: String,
        event: CallEvent,
        caller: String,
        line: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        seconds: Option<i64>,
    },
    /// The agent (the author) ended the call with `reason` (staff only): the request was
    /// closed, or sent to `queue` for the support service.
    CallEnded {
        call_id: String,
        reason: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        queue: Option<Queue>,
    },
    /// A call-centre agent (the author) called back `number`, who had given up waiting
    /// (staff only): try `attempt`, and how it went once they said.
    CalledBack {
        number: String,
        attempt: i64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        outcome: Option<CallbackOutcome>,
    },
    /// A call-centre agent (the author) changed the caller's account (staff only): each
    /// field before → after (see `MemberChange` for the field names).
    AccountChanged { changes: Vec<ParameterChange> },
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
