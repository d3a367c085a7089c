//! The rules of the desk as pure functions over values: who may see what (`audience`, the
//! only place that decides it), who may act on a ticket (`access`), what a valid value is
//! (`input`), and how search text is cut and marked (`search`). No I/O here; callers pass in
//! everything, `now` included.

pub mod access;
pub mod audience;
pub mod input;
pub mod notify;
pub mod search;

pub use access::{WriteAccess, may_assign, may_release, write_access};
pub use audience::{
    Audience, FileScope, Numbering, audience, can_view, event_for, may_fetch_file, notified,
    presence_for, summary_for, unread_for_member,
};
pub use input::{
    attachment_ids, email, is_file_id, label, message_body, password, staff_subject, subject,
};
pub use notify::notification_text;
pub use search::{HIT_END, HIT_START, fragments, preview, search_terms, searchable};

use app::protocol::{
    DepartmentId, ErrorCode, EventKind, NotificationId, Person, Role, Seq, TicketId, TicketSummary,
    UserId,
};

/// A rule was broken; each variant says which.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The ticket does not exist or the reader may not know it does.
    #[error("ticket not found")]
    TicketNotFound,
    /// The file does not exist or the reader may not know it does.
    #[error("file not found")]
    FileNotFound,
    /// The department does not exist or is not open to this person.
    #[error("department not found")]
    DepartmentNotFound,
    /// Only members open conversations from the widget.
    #[error("only members can start a conversation")]
    OnlyMembersStart,
    /// Someone else holds the ticket.
    #[error("{by} has taken this ticket; only they can write to it until it is released")]
    TicketLocked { by: String },
    /// A staff action (hidden notes, closing, taking) asked for by a member.
    #[error("only staff can do that")]
    StaffOnly,
    /// Releasing someone else's ticket takes a moderator.
    #[error("only its holder or a moderator can release this ticket")]
    NotHolder,
    /// The action does not fit the ticket's present state.
    #[error("{0}")]
    State(&'static str),
    /// Something is in use and cannot be deleted; says what to do instead.
    #[error("{0}")]
    InUse(String),
    /// Only administrators change the desk's configuration.
    #[error("only administrators can do that")]
    AdministratorsOnly,
    /// A field's value is not acceptable.
    #[error("{field}: {reason}")]
    Invalid { field: &'static str, reason: String },
}

impl Error {
    /// The protocol code for this rule.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::TicketNotFound | Error::FileNotFound | Error::DepartmentNotFound => {
                ErrorCode::NotFound
            }
            Error::OnlyMembersStart
            | Error::StaffOnly
            | Error::NotHolder
            | Error::AdministratorsOnly => ErrorCode::Forbidden,
            Error::TicketLocked { .. } => ErrorCode::Locked,
            Error::State(_) | Error::InUse(_) => ErrorCode::Conflict,
            Error::Invalid { .. } => ErrorCode::Invalid,
        }
    }
}

/// The person a request or socket acts for, with what decides their permissions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Viewer {
    pub id: UserId,
    pub name: String,
    pub role: Role,
    /// The departments whose tickets an operator works.
    pub departments: Vec<DepartmentId>,
    /// Tickets of other departments they passed on there and keep talking in.
    pub kept: Vec<TicketId>,
}

impl Viewer {
    /// Moderators and administrators oversee every department.
    pub fn sees_all_departments(&self) -> bool {
        matches!(self.role, Role::Moderator | Role::Administrator)
    }

    /// How this person appears beside what they wrote.
    pub fn person(&self) -> Person {
        Person {
            id: self.id,
            name: self.name.clone(),
            role: self.role,
        }
    }
}

/// Where a ticket belongs: what every permission check needs to know about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TicketScope {
    pub id: TicketId,
    pub member_id: UserId,
    pub department_id: DepartmentId,
}

/// A stored event with both of its sequence numbers: what the log holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEvent {
    pub scope: TicketScope,
    pub seq: Seq,
    /// The member-visible position; `None` for staff-only events.
    pub public_seq: Option<Seq>,
    pub at: i64,
    pub author: Option<Person>,
    pub kind: EventKind,
    /// The member-visible position of the event this one refers to (an edit's message).
    pub ref_public_seq: Option<Seq>,
    /// The followers notified of it (set only on an event just appended).
    pub notified: Vec<(NotificationId, UserId)>,
}

/// A ticket's row as stored, before it is shaped for one reader.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketRecord {
    pub scope: TicketScope,
    /// Staff view of the ticket; members get the public fields swapped in by [`summary_for`].
    pub summary: TicketSummary,
    pub last_public_seq: Seq,
    pub public_preview: Option<String>,
    pub public_author_role: Option<Role>,
    pub member_unread: i64,
}

/// People and a ticket for the rules' unit tests.
#[cfg(test)]
pub(crate) mod fixtures {
    use super::*;

    pub fn viewer(role: Role, id: i64, departments: &[i64]) -> Viewer {
        Viewer {
            id: UserId(id),
            name: "x".into(),
            role,
            departments: departments.iter().map(|d| DepartmentId(*d)).collect(),
            kept: Vec::new(),
        }
    }

    pub const SCOPE: TicketScope = TicketScope {
        id: TicketId(1),
        member_id: UserId(10),
        department_id: DepartmentId(2),
    };
}
