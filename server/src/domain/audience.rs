//! Who may see what: a ticket, each event of its log (and in which numbering), a list
//! entry, who else has the ticket open. Every reader's view passes through here.

use app::protocol::{EventKind, Role, TicketEvent, TicketSummary, UserId};

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
        summary.taken_at = None;
        summary.params = Default::default();
        summary.queue = None;
    }
    Some(summary)
}

/// Where a stored file stands, for deciding who may fetch it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileScope {
    pub uploader: UserId,
    /// The ticket whose message carries it, once sent.
    pub ticket: Option<TicketScope>,
    /// Carried by nothing a member may see (a hidden note, or not sent yet).
    pub hidden: bool,
}

/// May `viewer` fetch this file or its preview? Its uploader until it is sent; then whoever
/// may see its ticket — never a member for a hidden note's file.
pub fn may_fetch_file(viewer: &Viewer, file: &FileScope) -> bool {
    match &file.ticket {
        None => file.uploader == viewer.id,
        Some(ticket) => can_view(viewer, ticket) && (viewer.role.is_staff() || !file.hidden),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fixtures::{SCOPE, viewer};
    use app::protocol::{Channel, Department, DepartmentId, Person, Seq, TicketStatus, UserId};

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
                taken_at: Some(5),
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
        assert_eq!(seen.taken_at, None, "nor since when");
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
}
