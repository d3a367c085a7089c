//! Who may see what: a ticket, each event of its log and the numbering it is counted in, a
//! list entry, who else has the ticket open, a file, a notification, what counts as unread.
//! Every reader's view passes through here; where the store must filter in SQL, the SQL
//! twin of a rule is written here once, beside the rule, and used by every query.

use app::protocol::{DepartmentId, EventKind, Role, Seq, TicketEvent, TicketSummary, UserId};

use super::{StoredEvent, TicketRecord, TicketScope, Viewer};

/// May `viewer` see this ticket at all? Members: their own. Operators: their departments'.
pub fn can_view(viewer: &Viewer, ticket: &TicketScope) -> bool {
    match viewer.role {
        Role::Member => ticket.member_id == viewer.id,
        Role::Operator => {
            viewer.departments.contains(&ticket.department_id) || viewer.kept.contains(&ticket.id)
        }
        Role::Moderator | Role::Administrator => true,
    }
}

/// SQL: may the staff member `$user` see the ticket `$ticket` of department `$department`?
/// `$all` is true for those who see every department (moderators and administrators). The
/// twin of [`can_view`] for staff; each argument is an SQL expression, as a literal.
macro_rules! staff_sees_ticket {
    (ticket: $ticket:literal, department: $department:literal, user: $user:literal, all: $all:literal) => {
        concat!(
            "(",
            $all,
            " OR ",
            $department,
            " IN (SELECT department_id FROM department_members WHERE user_id = ",
            $user,
            ") OR ",
            $ticket,
            " IN (SELECT ticket_id FROM ticket_guests WHERE user_id = ",
            $user,
            "))"
        )
    };
}
pub(crate) use staff_sees_ticket;

/// SQL: is the stored event `$event` one its member may read? The twin of [`audience`]: an
/// event is numbered for the member exactly when it is for everyone.
macro_rules! member_reads_event {
    ($event:literal) => {
        concat!($event, ".public_seq IS NOT NULL")
    };
}
pub(crate) use member_reads_event;

/// SQL: does the event `$event` by `$author` count as unread for its member? The twin of
/// [`unread_for_member`].
macro_rules! unread_for_member_sql {
    ($event:literal, $author:literal) => {
        concat!(
            $event,
            ".kind = 'message' AND ",
            $author,
            ".role <> 'member'"
        )
    };
}
pub(crate) use unread_for_member_sql;

/// Which numbering a reader counts a ticket's events in. Staff count every event; a member
/// counts only those she may read, so she can never tell that staff-only events exist and
/// still resumes without holes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Numbering {
    Staff,
    Member,
}

impl Numbering {
    /// The numbering `viewer` reads in.
    pub fn of(viewer: &Viewer) -> Self {
        if viewer.role.is_staff() {
            Numbering::Staff
        } else {
            Numbering::Member
        }
    }

    /// An event's position in this numbering; `None` when this reader never sees it.
    pub fn seq(self, seq: Seq, public_seq: Option<Seq>) -> Option<Seq> {
        match self {
            Numbering::Staff => Some(seq),
            Numbering::Member => public_seq,
        }
    }

    /// The last position of a ticket's log in this numbering.
    pub fn last(self, ticket: &TicketRecord) -> Seq {
        match self {
            Numbering::Staff => ticket.summary.last_seq,
            Numbering::Member => ticket.last_public_seq,
        }
    }
}

/// Does an event of `kind` by someone of `author` count as unread for the ticket's member?
/// Support's messages do; her own, notes and changes do not.
pub fn unread_for_member(kind: &EventKind, author: Role) -> bool {
    matches!(kind, EventKind::Message { .. }) && author.is_staff()
}

/// Is `follower`, who follows the ticket, told of an event by `author`? Staff who may see the
/// ticket, never of their own acts; members are never notified here (their inbox is live).
pub fn notified(follower: &Viewer, ticket: &TicketScope, author: UserId) -> bool {
    follower.role.is_staff() && follower.id != author && can_view(follower, ticket)
}

/// Who may read an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// The member and staff.
    Everyone,
    /// Staff only (hidden notes and internal changes).
    Staff,
}

/// Which readers an event of this kind is for.
pub fn audience(kind: &EventKind) -> Audience {
    match kind {
        EventKind::Created { .. }
        | EventKind::Message { .. }
        | EventKind::Closed
        | EventKind::Reopened
        | EventKind::Archived
        | EventKind::Transferred { .. }
        | EventKind::SplitOff { .. }
        | EventKind::SplitFrom { .. }
        | EventKind::Rated { .. } => Audience::Everyone,
        EventKind::Edited { hidden, .. } => {
            if *hidden {
                Audience::Staff
            } else {
                Audience::Everyone
            }
        }
        EventKind::Note { .. }
        | EventKind::Call { .. }
        | EventKind::CallEnded { .. }
        | EventKind::AccountChanged { .. }
        | EventKind::CalledBack { .. }
        | EventKind::Taken
        | EventKind::Released { .. }
        | EventKind::Lapsed { .. }
        | EventKind::Undelivered { .. }
        | EventKind::Assigned { .. }
        | EventKind::ParametersChanged { .. } => Audience::Staff,
    }
}

/// Who `viewer` sees with a ticket open, or `None` when they may not see the ticket: staff
/// see everyone (but themselves); its member sees only staff who are typing.
pub fn presence_for(
    viewer: &Viewer,
    scope: &TicketScope,
    present: &[app::protocol::Present],
) -> Option<Vec<app::protocol::Present>> {
    if !can_view(viewer, scope) {
        return None;
    }
    let staff = viewer.role.is_staff();
    Some(
        present
            .iter()
            .filter(|p| p.person.id != viewer.id)
            .filter(|p| staff || (p.person.role.is_staff() && p.typing))
            .cloned()
            .collect(),
    )
}

/// The event as `viewer` receives it, or `None` when they must not: the only place that
/// decides who sees what. Members get member-visible events numbered in their own sequence,
/// so they cannot tell that staff-only events exist.
pub fn event_for(viewer: &Viewer, event: &StoredEvent) -> Option<TicketEvent> {
    if !can_view(viewer, &event.scope) {
        return None;
    }
    let numbering = Numbering::of(viewer);
    let seq = numbering.seq(event.seq, event.public_seq)?;
    let staff = numbering == Numbering::Staff;
    let mut kind = event.kind.clone();
    if let (
        false,
        EventKind::Edited { message_seq, .. } | EventKind::SplitOff { message_seq, .. },
    ) = (staff, &mut kind)
    {
        // Members know the message referred to by their own numbering.
        *message_seq = event.ref_public_seq?;
    }
    Some(TicketEvent {
        ticket_id: event.scope.id,
        seq,
        at: event.at,
        author: event.author.clone(),
        kind,
    })
}

/// The ticket as `viewer` sees it in a list, or `None` when they may not see it.
pub fn summary_for(viewer: &Viewer, ticket: &TicketRecord) -> Option<TicketSummary> {
    if !can_view(viewer, &ticket.scope) {
        return None;
    }
    let mut summary = ticket.summary.clone();
    let numbering = Numbering::of(viewer);
    summary.last_seq = numbering.last(ticket);
    if numbering == Numbering::Member {
        summary.preview = ticket.public_preview.clone();
        summary.last_author_role = ticket.public_author_role;
        summary.unread = ticket.member_unread;
        summary.revision = ticket.member_revision;
        summary.updated_at = ticket.member_updated_at;
        summary.assignee = None;
        summary.taken_at = None;
        summary.lapsed_at = None;
        summary.params = Default::default();
        summary.queue = None;
        summary.member_wrote_at = None;
        summary.answered = false;
        summary.seen_at = None;
    }
    Some(summary)
}

/// Where a stored file stands, for deciding who may fetch it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileScope {
    pub uploader: UserId,
    /// The ticket whose message carries it, once sent.
    pub ticket: Option<TicketScope>,
    /// Carried by no event its member may read (a hidden note's file, or one not sent yet).
    pub hidden: bool,
}

/// May `viewer` read a mail waiting in Incoming messages of `department`'s mailbox? Staff of
/// that department, moderators and administrators; never a member (a stranger's mail, a
/// third party's words about someone's ticket).
pub fn may_see_incoming(viewer: &Viewer, department: DepartmentId) -> bool {
    viewer.role.is_staff()
        && (viewer.sees_all_departments() || viewer.departments.contains(&department))
}

/// May `viewer` read a mail as it came (its headers, its HTML, its pictures)? Staff only,
/// never a member (even its sender: what the desk shows members is the ticket): staff who
/// may see the ticket it went to (`ticket`), or, for mail not in a ticket, staff of its
/// department.
pub fn may_read_mail(
    viewer: &Viewer,
    department: DepartmentId,
    ticket: Option<&TicketScope>,
) -> bool {
    viewer.role.is_staff()
        && match ticket {
            Some(ticket) => can_view(viewer, ticket),
            None => may_see_incoming(viewer, department),
        }
}

/// May `viewer` write members' accounts (the host platform's sync)? Administrators only —
/// in practice an administrator's API token in the host platform.
pub fn may_sync_accounts(viewer: &Viewer) -> bool {
    viewer.role == Role::Administrator
}

/// May `viewer` read members' accounts (details, cards, subscriptions, purchases)?
/// Moderators and administrators; never a member, not even their own through this API.
pub fn may_read_accounts(viewer: &Viewer) -> bool {
    matches!(viewer.role, Role::Moderator | Role::Administrator)
}

/// May `viewer` open the moderator's wall (every open ticket of every department, the
/// team's availability)? Moderators and administrators.
pub fn may_watch_wall(viewer: &Viewer) -> bool {
    matches!(viewer.role, Role::Moderator | Role::Administrator)
}

/// May `viewer` choose how `ticket` is answered? Only its member.
pub fn may_choose_answer(viewer: &Viewer, ticket: &TicketScope) -> bool {
    viewer.role == Role::Member && ticket.member_id == viewer.id
}

/// May `viewer` report calls (the telephony system's token)? Administrators only — in
/// practice an administrator's API token in the telephony system.
pub fn may_report_calls(viewer: &Viewer) -> bool {
    viewer.role == Role::Administrator
}

/// May `viewer` work calls (`agent`: they have a phone extension)? Staff only.
pub fn may_work_calls(viewer: &Viewer, agent: bool) -> bool {
    agent && viewer.role.is_staff()
}

/// The call as the calls screen of `viewer` (`agent`: they have a phone extension) shows it,
/// or `None` when it must not: a ringing call to every agent who may see its request (its
/// department's); an answered one to its agent alone, until they end it with a reason.
pub fn call_for(
    viewer: &Viewer,
    agent: bool,
    record: &super::calls::CallRecord,
) -> Option<app::protocol::Call> {
    if !may_work_calls(viewer, agent) {
        return None;
    }
    let shown = if record.ringing() {
        can_view(viewer, &record.scope)
    } else {
        record
            .call
            .agent
            .as_ref()
            .is_some_and(|a| a.id == viewer.id)
            && record.call.awaits_end()
    };
    shown.then(|| record.call.clone())
}

/// The callback as the calls screen of `viewer` (`agent`: they have a phone extension) shows
/// it, or `None`: an agent sees the callback offered to them, or the one they are making.
pub fn callback_for(
    viewer: &Viewer,
    agent: bool,
    record: &super::calls::CallbackRecord,
) -> Option<app::protocol::Callback> {
    use app::protocol::CallbackState::{Dialing, Offered};
    let callback = &record.callback;
    let theirs = callback.agent.as_ref().is_some_and(|a| a.id == viewer.id);
    (may_work_calls(viewer, agent) && theirs && matches!(callback.state, Offered | Dialing))
        .then(|| callback.clone())
}

/// May `viewer` be offered a callback of this request? A free agent who may see it.
pub fn may_call_back(viewer: &Viewer, agent: bool, scope: &TicketScope) -> bool {
    may_work_calls(viewer, agent) && can_view(viewer, scope)
}

/// May `viewer` end this call with a reason? The agent who answered it.
pub fn may_end_call(viewer: &Viewer, agent: bool, call: &app::protocol::Call) -> bool {
    may_work_calls(viewer, agent) && call.agent.as_ref().is_some_and(|a| a.id == viewer.id)
}

/// May `viewer` (`agent`: they have a phone extension) read members' accounts? Moderators
/// and administrators; call-centre agents too, to serve callers.
pub fn may_read_accounts_as(viewer: &Viewer, agent: bool) -> bool {
    may_read_accounts(viewer) || may_work_calls(viewer, agent)
}

/// May `viewer` (`None`: someone signed out) fetch this file or its preview? Its uploader
/// until it is sent; then whoever may see its ticket — never a member for a hidden note's file.
pub fn may_fetch_file(viewer: Option<&Viewer>, file: &FileScope) -> bool {
    let Some(viewer) = viewer else {
        return false;
    };
    match &file.ticket {
        None => file.uploader == viewer.id,
        Some(ticket) => can_view(viewer, ticket) && (viewer.role.is_staff() || !file.hidden),
    }
}

#[cfg(test)]
mod tests;

/// May `viewer` read and change what staff know about a member (the profile beside a
/// ticket, its internal comment)? Moderators and administrators about any member; an
/// operator about a member with a ticket they may see (`tickets`: the member's); never a
/// member, not even about themselves.
pub fn may_read_member_profile(viewer: &Viewer, tickets: &[TicketScope]) -> bool {
    match viewer.role {
        Role::Member => false,
        Role::Moderator | Role::Administrator => true,
        Role::Operator => tickets.iter().any(|t| can_view(viewer, t)),
    }
}

/// Whose figures a statistics request may read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatsScope {
    /// The departments counted; `None`: every department.
    pub departments: Option<Vec<DepartmentId>>,
    /// Only this colleague's own work in the colleagues' table.
    pub own: Option<UserId>,
}

/// What statistics `viewer` may read of the departments they asked for (`asked`, empty: every
/// one open to them). Moderators and administrators: every department and everyone's work;
/// operators: the departments they work in and their own work only; members: nothing. A
/// department an operator asked for that is not theirs is refused (not left out silently).
pub fn statistics_scope(
    viewer: &Viewer,
    asked: &[DepartmentId],
) -> Result<StatsScope, super::Error> {
    match viewer.role {
        Role::Member => Err(super::Error::StaffOnly),
        Role::Moderator | Role::Administrator => Ok(StatsScope {
            departments: (!asked.is_empty()).then(|| asked.to_vec()),
            own: None,
        }),
        Role::Operator => {
            if asked.iter().any(|d| !viewer.departments.contains(d)) {
                return Err(super::Error::DepartmentNotFound);
            }
            Ok(StatsScope {
                departments: Some(if asked.is_empty() {
                    viewer.departments.clone()
                } else {
                    asked.to_vec()
                }),
                own: Some(viewer.id),
            })
        }
    }
}

/// May `viewer` run diagnostics from `ticket` (a DNS lookup, a Whois query)? Staff who may
/// see the ticket; never a member.
pub fn may_diagnose(viewer: &Viewer, ticket: &TicketScope) -> bool {
    viewer.role.is_staff() && can_view(viewer, ticket)
}
