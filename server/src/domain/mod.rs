//! The rules of the desk as pure functions over values: who may see what (`audience`, the
//! only place that decides it), who may act on a ticket (`access`), what a valid value is
//! (`input`), and how search text is cut and marked (`search`). No I/O here; callers pass in
//! everything, `now` included.

pub mod access;
pub mod accounts;
pub mod audience;
pub mod calls;
pub mod input;
pub mod mail;
pub mod notify;
pub mod places;
pub mod search;
pub mod spam;
pub mod throttle;
pub mod tokens;
pub mod widget;

pub use access::{
    Intent, TakeWait, WriteAccess, may_assign, may_release, stale_news, write_access,
};
pub use audience::{
    Audience, FileScope, Numbering, StatsScope, audience, call_for, callback_for, can_view,
    event_for, may_call_back, may_diagnose, may_end_call, may_fetch_file, may_read_accounts,
    may_read_accounts_as, may_read_mail, may_read_member_profile, may_report_calls,
    may_see_incoming, may_sync_accounts, may_watch_wall, may_work_calls, notified, presence_for,
    statistics_scope, summary_for, unread_for_member,
};
pub use input::{
    DomainName, Email, FileId, Label, MAX_NAME_CHARS, MessageBody, Password, Subject,
    attachment_ids, file_name, is_file_id,
};
pub use notify::{mentioned, notification, notification_for, notification_text};
pub use search::{HIT_END, HIT_START, fragments, preview, search_terms, searchable};

use app::i18n::{self, Lang};
use app::protocol::{
    DepartmentId, ErrorCode, EventKind, Millis, NotificationId, Person, Role, Seq, TicketId,
    TicketSummary, UserId,
};

/// `bytes` in lower-case hex (digests, random ids).
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Why something was refused, as a message of the catalogues (`locales/*/errors.ftl`): its
/// key and arguments, worded in the reader's language when it is shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    pub key: &'static str,
    pub args: Vec<(&'static str, String)>,
}

impl Reason {
    /// The message `key` of the catalogues.
    pub fn new(key: &'static str) -> Self {
        Reason {
            key,
            args: Vec::new(),
        }
    }

    /// With the argument `name` set to `value`.
    pub fn with(mut self, name: &'static str, value: impl ToString) -> Self {
        self.args.push((name, value.to_string()));
        self
    }

    /// The reason in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        // Worded as pages word it (a count is a number, for the plural form).
        app::protocol::Said::from(self.clone()).text(lang)
    }
}

/// A rule was broken; each variant says which. [`Error::message`] words it in a language;
/// `Display` words it in English, for logs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message(Lang::En))]
pub enum Error {
    /// The ticket does not exist or the reader may not know it does.
    TicketNotFound,
    /// The file does not exist or the reader may not know it does.
    FileNotFound,
    /// The department does not exist or is not open to this person.
    DepartmentNotFound,
    /// The member does not exist or the reader may not know about them.
    MemberNotFound,
    /// Only members open conversations from the widget.
    OnlyMembersStart,
    /// Someone else holds the ticket.
    TicketLocked { by: String },
    /// A staff action (hidden notes, closing, taking) asked for by a member.
    StaffOnly,
    /// Releasing someone else's ticket takes a moderator.
    NotHolder,
    /// The action does not fit the ticket's present state.
    State(Reason),
    /// Something is in use and cannot be deleted; says what to do instead.
    InUse(Reason),
    /// Only administrators change the desk's configuration.
    AdministratorsOnly,
    /// Only call-centre agents (staff with a phone extension) work calls.
    AgentsOnly,
    /// Only the ticket's member chooses that.
    MemberOnly,
    /// A field's value is not acceptable.
    Invalid { field: &'static str, reason: Reason },
    /// The action was decided on an old view: `news` arrived since (as the actor reads
    /// them), of which `messages` are messages and `parameters` says whether someone else
    /// changed the parameters.
    Stale {
        messages: usize,
        parameters: bool,
        news: Vec<app::protocol::TicketEvent>,
    },
}

impl Error {
    /// The protocol code for this rule.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::TicketNotFound
            | Error::FileNotFound
            | Error::DepartmentNotFound
            | Error::MemberNotFound => ErrorCode::NotFound,
            Error::OnlyMembersStart
            | Error::StaffOnly
            | Error::NotHolder
            | Error::AdministratorsOnly
            | Error::AgentsOnly
            | Error::MemberOnly => ErrorCode::Forbidden,
            Error::TicketLocked { .. } => ErrorCode::Locked,
            Error::State(_) | Error::InUse(_) => ErrorCode::Conflict,
            Error::Invalid { .. } => ErrorCode::Invalid,
            Error::Stale { .. } => ErrorCode::Stale,
        }
    }

    /// The rule, as people read it in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        let plain = |key| i18n::text(lang, key, &[]);
        match self {
            Error::TicketNotFound => plain("error-ticket-not-found"),
            Error::FileNotFound => plain("error-file-not-found"),
            Error::DepartmentNotFound => plain("error-department-not-found"),
            Error::MemberNotFound => plain("error-member-not-found"),
            Error::OnlyMembersStart => plain("error-only-members-start"),
            Error::TicketLocked { by } => app::t!(lang, "error-ticket-locked", by = by.as_str()),
            Error::StaffOnly => plain("error-staff-only"),
            Error::NotHolder => plain("error-not-holder"),
            Error::State(reason) | Error::InUse(reason) => reason.text(lang),
            Error::AdministratorsOnly => plain("error-administrators-only"),
            Error::AgentsOnly => plain("error-agents-only"),
            Error::MemberOnly => plain("error-member-only"),
            Error::Invalid { field, reason } => app::t!(
                lang,
                "error-invalid",
                field = *field,
                reason = reason.text(lang)
            ),
            Error::Stale {
                messages,
                parameters,
                ..
            } => match (*messages, *parameters) {
                (0, _) => plain("error-stale-parameters"),
                (n, false) => app::t!(lang, "error-stale", count = n),
                (n, true) => app::t!(lang, "error-stale-both", count = n),
            },
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
    /// The people notified of it (set only on an event just appended).
    pub notified: Vec<Notified>,
}

/// Someone notified of an event: a follower of its ticket, or a colleague it mentions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Notified {
    pub id: NotificationId,
    pub user: UserId,
    /// Called by name (`@Name`) in the message or note.
    pub mention: bool,
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
    /// The revision and last change the member sees: moved only by what they may see.
    pub member_revision: i64,
    pub member_updated_at: Millis,
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
