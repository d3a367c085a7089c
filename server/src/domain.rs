//! The rules of the desk as pure functions over values: who may see a ticket, which events a
//! reader receives (the one place that decides it), what a valid subject or message is.
//! No I/O here; callers pass in everything, `now` included.

use app::protocol::{
    DepartmentId, ErrorCode, EventKind, Fragment, NotificationId, Person, Role, Seq, TicketEvent,
    TicketId, TicketSummary, UserId, limits,
};

/// A rule was broken; each variant says which.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The ticket does not exist or the reader may not know it does.
    #[error("ticket not found")]
    TicketNotFound,
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
            Error::TicketNotFound | Error::DepartmentNotFound => ErrorCode::NotFound,
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
        | EventKind::Taken
        | EventKind::Released { .. }
        | EventKind::Assigned { .. }
        | EventKind::ParametersChanged { .. } => Audience::Staff,
    }
}

/// How a person may write to a ticket held by `holder`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteAccess {
    /// The ticket's member.
    Member,
    /// Staff who already hold the ticket.
    Holder,
    /// Staff writing to a ticket nobody holds: writing takes it, so two people never
    /// answer at once.
    Takes,
}

/// Whether `viewer` (who may see the ticket) may write to it now that `holder` holds it.
pub fn write_access(viewer: &Viewer, holder: Option<&Person>) -> Result<WriteAccess, Error> {
    if !viewer.role.is_staff() {
        return Ok(WriteAccess::Member);
    }
    match holder {
        None => Ok(WriteAccess::Takes),
        Some(p) if p.id == viewer.id => Ok(WriteAccess::Holder),
        Some(p) => Err(Error::TicketLocked { by: p.name.clone() }),
    }
}

/// Whether `viewer` may release a ticket held by `holder`.
pub fn may_release(viewer: &Viewer, holder: UserId) -> Result<(), Error> {
    if !viewer.role.is_staff() {
        Err(Error::StaffOnly)
    } else if holder == viewer.id || viewer.sees_all_departments() {
        Ok(())
    } else {
        Err(Error::NotHolder)
    }
}

/// Whether `viewer` may hand a ticket held by `holder`, of `department`, to `to`: a
/// moderator always; other staff when they may write to it (they hold it, or nobody does).
/// The new holder must be staff who work in the ticket's department.
pub fn may_assign(
    viewer: &Viewer,
    holder: Option<&Person>,
    department: DepartmentId,
    to: &Viewer,
) -> Result<(), Error> {
    if !viewer.role.is_staff() {
        return Err(Error::StaffOnly);
    }
    if !viewer.sees_all_departments() {
        write_access(viewer, holder)?;
    }
    let works_there =
        to.role.is_staff() && (to.sees_all_departments() || to.departments.contains(&department));
    if !works_there {
        return Err(Error::Invalid {
            field: "user_id",
            reason: format!("{} does not work in this ticket's department", to.name),
        });
    }
    if holder.is_some_and(|h| h.id == to.id) {
        return Err(Error::State("the ticket is already theirs"));
    }
    Ok(())
}

/// What a follower is told about an event, in one line; `None` for events that notify
/// nobody (the ticket's opening, locks taken, edits, reads).
pub fn notification_text(kind: &EventKind) -> Option<String> {
    const CHARS: usize = 120;
    Some(match kind {
        EventKind::Message { body, .. } => preview(&format!("New message: {body}"), CHARS),
        EventKind::Note { body, .. } => preview(&format!("Hidden note: {body}"), CHARS),
        EventKind::Closed => "Closed".into(),
        EventKind::Reopened => "Reopened".into(),
        EventKind::Archived => "Archived by the member".into(),
        EventKind::Transferred { to, .. } => format!("Transferred to {}", to.name),
        EventKind::Assigned { to, .. } => format!("Assigned to {}", to.name),
        EventKind::Released { .. } => "Released".into(),
        EventKind::Rated { mark } => format!("Rated: {}", mark.label),
        EventKind::SplitOff { ticket, .. } => format!("Split: continued in #{ticket}"),
        EventKind::ParametersChanged { changes } => preview(
            &format!(
                "Parameters: {}",
                changes
                    .iter()
                    .map(|c| format!("{} → {}", c.field, c.to.as_deref().unwrap_or("none")))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            CHARS,
        ),
        EventKind::Created { .. }
        | EventKind::Taken
        | EventKind::Edited { .. }
        | EventKind::SplitFrom { .. } => return None,
    })
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

/// The event as `viewer` receives it, or `None` when they must not: the only place that
/// decides who sees what. Members get member-visible events numbered in their own sequence,
/// so they cannot tell that staff-only events exist.
pub fn event_for(viewer: &Viewer, event: &StoredEvent) -> Option<TicketEvent> {
    if !can_view(viewer, &event.scope) {
        return None;
    }
    let staff = viewer.role.is_staff();
    let seq = if staff { event.seq } else { event.public_seq? };
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

/// The ticket as `viewer` sees it in a list, or `None` when they may not see it.
pub fn summary_for(viewer: &Viewer, ticket: &TicketRecord) -> Option<TicketSummary> {
    if !can_view(viewer, &ticket.scope) {
        return None;
    }
    let mut summary = ticket.summary.clone();
    if !viewer.role.is_staff() {
        summary.last_seq = ticket.last_public_seq;
        summary.preview = ticket.public_preview.clone();
        summary.last_author_role = ticket.public_author_role;
        summary.unread = ticket.member_unread;
        summary.assignee = None;
        summary.params = Default::default();
        summary.queue = None;
    }
    Some(summary)
}

/// The files a message carries: at most `MAX_ATTACHMENTS`, each a file id, each once.
pub fn attachment_ids(ids: &[String]) -> Result<Vec<String>, Error> {
    if ids.len() > limits::MAX_ATTACHMENTS {
        return Err(Error::Invalid {
            field: "attachments",
            reason: format!(
                "a message carries at most {} files",
                limits::MAX_ATTACHMENTS
            ),
        });
    }
    let mut unique: Vec<String> = Vec::with_capacity(ids.len());
    for id in ids {
        if !crate::files::is_id(id) {
            return Err(Error::Invalid {
                field: "attachments",
                reason: "a file is unknown, not yours, or already sent".into(),
            });
        }
        if !unique.contains(id) {
            unique.push(id.clone());
        }
    }
    Ok(unique)
}

/// Checks and trims a message body.
pub fn message_body(raw: &str) -> Result<String, Error> {
    let body = raw.trim();
    if body.is_empty() {
        return Err(Error::Invalid {
            field: "body",
            reason: "a message cannot be empty".into(),
        });
    }
    if body.chars().count() > limits::MAX_BODY_CHARS {
        return Err(Error::Invalid {
            field: "body",
            reason: format!("a message is at most {} characters", limits::MAX_BODY_CHARS),
        });
    }
    Ok(body.to_owned())
}

/// Checks and trims a name or label an administrator gives (a department, an option…).
pub fn label(field: &'static str, raw: &str, max: usize) -> Result<String, Error> {
    let label = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if label.is_empty() {
        return Err(Error::Invalid {
            field,
            reason: "cannot be empty".into(),
        });
    }
    if label.chars().count() > max {
        return Err(Error::Invalid {
            field,
            reason: format!("at most {max} characters"),
        });
    }
    Ok(label)
}

/// Checks and trims an email address: something@somewhere, no spaces.
pub fn email(raw: &str) -> Result<String, Error> {
    let email = raw.trim().to_lowercase();
    let valid = email.len() <= 254
        && !email.contains(char::is_whitespace)
        && email.split_once('@').is_some_and(|(user, host)| {
            !user.is_empty() && host.contains('.') && !host.ends_with('.')
        });
    if valid {
        Ok(email)
    } else {
        Err(Error::Invalid {
            field: "email",
            reason: "not an email address".into(),
        })
    }
}

/// Checks a new password: at least 8 characters, at most 200.
pub fn password(raw: &str) -> Result<&str, Error> {
    match raw.chars().count() {
        8..=200 => Ok(raw),
        _ => Err(Error::Invalid {
            field: "password",
            reason: "a password has 8 to 200 characters".into(),
        }),
    }
}

/// Checks and trims a subject; an empty one is made from the message's first line.
pub fn subject(raw: &str, body: &str) -> Result<String, Error> {
    let subject = raw.trim();
    if subject.chars().count() > limits::MAX_SUBJECT_CHARS {
        return Err(Error::Invalid {
            field: "subject",
            reason: format!(
                "a subject is at most {} characters",
                limits::MAX_SUBJECT_CHARS
            ),
        });
    }
    if !subject.is_empty() {
        return Ok(subject.to_owned());
    }
    let first_line = body.lines().next().unwrap_or_default();
    Ok(preview(first_line, 60))
}

/// Checks and trims a subject that staff set: it cannot be empty.
pub fn staff_subject(raw: &str) -> Result<String, Error> {
    if raw.trim().is_empty() {
        return Err(Error::Invalid {
            field: "subject",
            reason: "a subject cannot be empty".into(),
        });
    }
    subject(raw, "")
}

/// The start of a text for lists: one line, at most `max` characters, with an ellipsis.
pub fn preview(text: &str, max: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        return flat;
    }
    let mut cut: String = flat.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// Marks the start of a matching word in a snippet the store returns (a private-use
/// character, removed from every indexed text, so that no text can forge a mark).
pub const HIT_START: char = '\u{E000}';
/// Marks the end of a matching word in a snippet.
pub const HIT_END: char = '\u{E001}';

/// The text to index: the snippet markers cannot occur in it.
pub fn searchable(text: &str) -> String {
    text.replace([HIT_START, HIT_END], "")
}

/// The words of a search query: letters and digits in any script, lower-cased, at most
/// [`limits::MAX_QUERY_WORDS`]. The last word also matches as a prefix (search as you type).
pub fn search_terms(query: &str) -> Result<Vec<String>, Error> {
    if query.chars().count() > limits::MAX_QUERY_CHARS {
        return Err(Error::Invalid {
            field: "query",
            reason: format!("a search is at most {} characters", limits::MAX_QUERY_CHARS),
        });
    }
    let terms: Vec<String> = query
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(limits::MAX_QUERY_WORDS)
        .map(str::to_lowercase)
        .collect();
    if terms.is_empty() {
        return Err(Error::Invalid {
            field: "query",
            reason: "type at least one word to search for".into(),
        });
    }
    Ok(terms)
}

/// Splits a snippet with [`HIT_START`]/[`HIT_END`] marks into plain and matching pieces.
pub fn fragments(snippet: &str) -> Vec<Fragment> {
    let mut out: Vec<Fragment> = Vec::new();
    let mut hit = false;
    let mut text = String::new();
    let flush = |text: &mut String, hit: bool, out: &mut Vec<Fragment>| {
        if !text.is_empty() {
            out.push(Fragment {
                text: std::mem::take(text),
                hit,
            });
        }
    };
    for c in snippet.chars() {
        match c {
            HIT_START => {
                flush(&mut text, hit, &mut out);
                hit = true;
            }
            HIT_END => {
                flush(&mut text, hit, &mut out);
                hit = false;
            }
            c => text.push(c),
        }
    }
    flush(&mut text, hit, &mut out);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn search_terms_keep_words_of_any_script() {
        assert_eq!(
            super::search_terms("  Refund: ВОЗВРАТ денег, order#42! ").unwrap(),
            ["refund", "возврат", "денег", "order", "42"]
        );
        assert!(super::search_terms(" ?! ").is_err());
        assert!(super::search_terms(&"a".repeat(201)).is_err());
        assert_eq!(super::search_terms(&"w ".repeat(20)).unwrap().len(), 8);
    }

    #[test]
    fn fragments_split_marked_words() {
        let f = super::fragments("the \u{E000}refund\u{E001} is \u{E000}late\u{E001}…");
        let hits: Vec<_> = f
            .iter()
            .filter(|f| f.hit)
            .map(|f| f.text.as_str())
            .collect();
        assert_eq!(hits, ["refund", "late"]);
        let text: String = f.iter().map(|f| f.text.as_str()).collect();
        assert_eq!(text, "the refund is late…");
        assert_eq!(super::searchable("a\u{E000}b\u{E001}c"), "abc");
    }

    use super::*;
    use app::protocol::{Channel, Department, TicketStatus};

    fn viewer(role: Role, id: i64, departments: &[i64]) -> Viewer {
        Viewer {
            id: UserId(id),
            name: "x".into(),
            role,
            departments: departments.iter().map(|d| DepartmentId(*d)).collect(),
            kept: Vec::new(),
        }
    }

    const SCOPE: TicketScope = TicketScope {
        id: TicketId(1),
        member_id: UserId(10),
        department_id: DepartmentId(2),
    };

    #[test]
    fn who_can_view_a_ticket() {
        let cases = [
            (viewer(Role::Member, 10, &[]), true, "its member"),
            (viewer(Role::Member, 11, &[]), false, "another member"),
            (
                viewer(Role::Operator, 20, &[2]),
                true,
                "an operator of its department",
            ),
            (
                viewer(Role::Operator, 21, &[1, 3]),
                false,
                "an operator of other departments",
            ),
            (
                Viewer {
                    kept: vec![SCOPE.id],
                    ..viewer(Role::Operator, 22, &[1])
                },
                true,
                "an operator who passed it on to its department",
            ),
            (
                Viewer {
                    kept: vec![SCOPE.id],
                    ..viewer(Role::Member, 11, &[])
                },
                false,
                "a member, whatever the list says",
            ),
            (viewer(Role::Moderator, 30, &[]), true, "a moderator"),
            (
                viewer(Role::Administrator, 40, &[]),
                true,
                "an administrator",
            ),
        ];
        for (who, expected, description) in cases {
            assert_eq!(can_view(&who, &SCOPE), expected, "{description}");
        }
    }

    #[test]
    fn members_get_public_numbering_and_never_staff_events() {
        let message = EventKind::Message {
            body: "hello".into(),
            client_msg_id: None,
            attachments: Vec::new(),
        };
        let public = StoredEvent {
            scope: SCOPE,
            seq: Seq(5),
            public_seq: Some(Seq(3)),
            at: 0,
            author: None,
            kind: message.clone(),
            ref_public_seq: None,
            notified: Vec::new(),
        };
        let staff_only = StoredEvent {
            public_seq: None,
            ..public.clone()
        };
        let member = viewer(Role::Member, 10, &[]);
        let operator = viewer(Role::Operator, 20, &[2]);
        assert_eq!(event_for(&member, &public).unwrap().seq, Seq(3));
        assert_eq!(event_for(&operator, &public).unwrap().seq, Seq(5));
        assert_eq!(event_for(&member, &staff_only), None);
        assert!(event_for(&operator, &staff_only).is_some());
        assert_eq!(event_for(&viewer(Role::Member, 11, &[]), &public), None);
    }

    #[test]
    fn members_see_public_fields_of_a_summary() {
        let record = TicketRecord {
            scope: SCOPE,
            summary: TicketSummary {
                id: SCOPE.id,
                subject: "s".into(),
                member: Person {
                    id: UserId(10),
                    name: "m".into(),
                    role: Role::Member,
                },
                department: Department {
                    id: DepartmentId(2),
                    name: "d".into(),
                },
                status: TicketStatus::Open,
                channel: Channel::Chat,
                created_at: 0,
                updated_at: 0,
                last_seq: Seq(9),
                revision: 1,
                preview: Some("internal".into()),
                last_author_role: Some(Role::Operator),
                unread: 0,
                assignee: Some(Person {
                    id: UserId(20),
                    name: "o".into(),
                    role: Role::Operator,
                }),
                archived: false,
                params: app::protocol::TicketParams {
                    criticality: Some(app::protocol::OptionRef {
                        id: app::protocol::OptionId(3),
                        label: "High".into(),
                    }),
                    ..Default::default()
                },
                queue: None,
            },
            last_public_seq: Seq(4),
            public_preview: Some("public".into()),
            public_author_role: Some(Role::Member),
            member_unread: 2,
        };
        let seen = summary_for(&viewer(Role::Member, 10, &[]), &record).unwrap();
        assert_eq!(
            (seen.last_seq, seen.preview.as_deref(), seen.unread),
            (Seq(4), Some("public"), 2)
        );
        assert_eq!(
            seen.assignee, None,
            "members do not see who holds the ticket"
        );
        assert_eq!(
            seen.params,
            Default::default(),
            "nor its internal parameters"
        );
        let staff = summary_for(&viewer(Role::Operator, 20, &[2]), &record).unwrap();
        assert_eq!(staff.preview.as_deref(), Some("internal"));
        assert!(summary_for(&viewer(Role::Operator, 21, &[3]), &record).is_none());
    }

    #[test]
    fn only_the_holder_writes_and_writing_takes_a_free_ticket() {
        let member = viewer(Role::Member, 10, &[]);
        let olga = viewer(Role::Operator, 20, &[2]);
        let ivan = Person {
            id: UserId(21),
            name: "Ivan".into(),
            role: Role::Operator,
        };
        assert_eq!(write_access(&member, Some(&ivan)), Ok(WriteAccess::Member));
        assert_eq!(write_access(&olga, None), Ok(WriteAccess::Takes));
        assert_eq!(
            write_access(&olga, Some(&olga.person())),
            Ok(WriteAccess::Holder)
        );
        assert_eq!(
            write_access(&olga, Some(&ivan)),
            Err(Error::TicketLocked { by: "Ivan".into() })
        );
        assert_eq!(may_release(&olga, UserId(20)), Ok(()));
        assert_eq!(may_release(&olga, UserId(21)), Err(Error::NotHolder));
        assert_eq!(
            may_release(&viewer(Role::Moderator, 30, &[]), UserId(21)),
            Ok(())
        );
        assert_eq!(may_release(&member, UserId(21)), Err(Error::StaffOnly));
    }

    #[test]
    fn hidden_notes_and_locks_are_for_staff_only() {
        let note = EventKind::Note {
            body: "x".into(),
            client_msg_id: None,
            attachments: Vec::new(),
        };
        assert_eq!(audience(&note), Audience::Staff);
        assert_eq!(audience(&EventKind::Taken), Audience::Staff);
        assert_eq!(audience(&EventKind::Closed), Audience::Everyone);
    }

    #[test]
    fn message_bodies_are_trimmed_and_bounded() {
        assert_eq!(message_body("  hi \n").unwrap(), "hi");
        assert!(message_body("   ").is_err());
        assert!(message_body(&"a".repeat(limits::MAX_BODY_CHARS + 1)).is_err());
        assert!(message_body(&"я".repeat(limits::MAX_BODY_CHARS)).is_ok());
    }

    #[test]
    fn an_empty_subject_comes_from_the_first_line() {
        assert_eq!(
            subject("", "Card blocked\nplease help").unwrap(),
            "Card blocked"
        );
        assert_eq!(subject(" Refund ", "x").unwrap(), "Refund");
        assert!(subject(&"s".repeat(201), "x").is_err());
        assert_eq!(preview("a  b\nc", 10), "a b c");
        assert_eq!(preview("abcdefghijkl", 5), "abcd…");
    }
}
