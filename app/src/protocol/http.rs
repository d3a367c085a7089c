//! Bodies of the HTTP API's requests and answers.

use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use utoipa::ToSchema;

#[allow(unused_imports)]
use super::*;

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
    /// The feedback form's fields: the ticket comes by the form rather than the chat.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form: Option<FeedbackFields>,
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
    /// Staff: the last event (staff numbering) on their screen when they began; refused as
    /// `stale` when something they have not seen arrived since. Absent: not checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seen: Option<Seq>,
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
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
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
    /// Staff: the last event (staff numbering) on their screen when they began; refused as
    /// `stale` when something they have not seen arrived since. Absent: not checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seen: Option<Seq>,
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
    /// Staff: the last event (staff numbering) on their screen when they began; refused as
    /// `stale` when something they have not seen arrived since. Absent: not checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seen: Option<Seq>,
}

/// `POST /api/tickets/{id}/assign`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct AssignRequest {
    pub user_id: UserId,
    /// Staff: the last event (staff numbering) on their screen when they began; refused as
    /// `stale` when something they have not seen arrived since. Absent: not checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seen: Option<Seq>,
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
    /// Staff: the last event (staff numbering) on their screen when they began; refused as
    /// `stale` when something they have not seen arrived since. Absent: not checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seen: Option<Seq>,
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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

/// `GET /health`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct Health {
    pub version: String,
    pub database: bool,
}

/// `GET /ready`: whether this node can serve (`200`) or not (`503`), and what is missing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct Readiness {
    pub ready: bool,
    /// The database answers.
    pub database: bool,
    /// Every migration of this build is applied.
    pub migrations: bool,
    /// A file can be written to (and removed from) the file store.
    pub files: bool,
}

/// `PUT /api/tickets/{id}/drafts` (and the `save_draft` command): what one is writing in a
/// ticket, kept until sent; an empty body forgets it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct DraftRequest {
    /// The hidden note's draft (staff) instead of the reply's.
    #[serde(default)]
    pub note: bool,
    pub body: String,
}

/// `GET /api/tickets/{id}/drafts` (and the `drafts` event): one's own drafts in a ticket,
/// empty where there is none.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct Drafts {
    pub reply: String,
    pub note: String,
}
