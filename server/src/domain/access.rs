//! Who may act on a ticket: write to it, release it, hand it to someone.

use app::protocol::{DepartmentId, EventKind, Person, UserId};

use super::{Error, Reason, StoredEvent, Viewer};

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

/// What an action of staff was decided for, so as to know what arriving meanwhile makes it
/// stale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    /// An answer (send, send and close).
    Reply,
    /// A change of the ticket's parameters.
    Parameters,
    /// Moving the ticket on: transfer, assign, split.
    Move,
}

/// The events among `since` (those after what `actor` had on screen) that make their action
/// stale: a message the member can read written by someone else — the member's new words, or
/// a colleague's answer — and, for a change of parameters, parameters someone else changed
/// (never overwritten unseen). Their own events and notes never do.
pub fn stale_news(since: &[StoredEvent], actor: UserId, intent: Intent) -> Vec<&StoredEvent> {
    since
        .iter()
        .filter(|e| e.author.as_ref().is_none_or(|a| a.id != actor))
        .filter(|e| match &e.kind {
            EventKind::Message { .. } => e.public_seq.is_some(),
            EventKind::ParametersChanged { .. } => intent == Intent::Parameters,
            _ => false,
        })
        .collect()
}

/// What decides whether a take lapsed: when the ticket was taken, and the last messages of
/// its member and of its holder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TakeWait {
    pub taken_at: i64,
    pub member_last: Option<i64>,
    pub holder_last: Option<i64>,
}

impl TakeWait {
    /// Since when the member waits on the holder, or `None` when the holder has answered
    /// everything: from the take, or from her last message if she wrote after it.
    pub fn waiting_since(&self) -> Option<i64> {
        let since = self.taken_at.max(self.member_last.unwrap_or(0));
        match self.holder_last {
            Some(answered) if answered >= since => None,
            _ => Some(since),
        }
    }

    /// Whether the member has waited `timeout_ms` or longer by `now`: the take lapses.
    pub fn lapsed(&self, now: i64, timeout_ms: i64) -> bool {
        self.waiting_since()
            .is_some_and(|since| now - since >= timeout_ms)
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
            reason: Reason::new("invalid-not-in-department").with("name", &to.name),
        });
    }
    if holder.is_some_and(|h| h.id == to.id) {
        return Err(Error::State(Reason::new("state-already-theirs")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fixtures::viewer;
    use app::protocol::Role;

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
    fn only_what_others_wrote_for_the_member_makes_an_action_stale() {
        use crate::domain::fixtures::SCOPE;
        use app::protocol::{ParameterChange, Seq};
        let by = |id: i64, role: Role| Person {
            id: UserId(id),
            name: "x".into(),
            role,
        };
        let event = |seq: i64, public: bool, author: Person, kind: EventKind| StoredEvent {
            scope: SCOPE,
            seq: Seq(seq),
            public_seq: public.then_some(Seq(seq)),
            at: 0,
            author: Some(author),
            kind,
            ref_public_seq: None,
            notified: Vec::new(),
        };
        let message = |body: &str| EventKind::Message {
            body: body.into(),
            client_msg_id: None,
            attachments: Vec::new(),
            mail: None,
        };
        let note = EventKind::Note {
            body: "psst".into(),
            client_msg_id: None,
            attachments: Vec::new(),
        };
        let params = EventKind::ParametersChanged {
            changes: vec![ParameterChange {
                field: "subject".into(),
                from: None,
                to: Some("new".into()),
            }],
        };
        let olga = UserId(20);
        let since = [
            event(5, true, by(10, Role::Member), message("still there?")),
            event(6, false, by(21, Role::Operator), note),
            event(7, true, by(20, Role::Operator), message("mine")),
            event(8, false, by(21, Role::Operator), params),
            event(
                9,
                true,
                by(21, Role::Operator),
                message("a colleague's answer"),
            ),
            event(10, false, by(21, Role::Operator), EventKind::Taken),
        ];
        let seqs = |intent| {
            stale_news(&since, olga, intent)
                .iter()
                .map(|e| e.seq.0)
                .collect::<Vec<_>>()
        };
        assert_eq!(seqs(Intent::Reply), vec![5, 9]);
        assert_eq!(seqs(Intent::Move), vec![5, 9]);
        assert_eq!(seqs(Intent::Parameters), vec![5, 8, 9]);
        assert!(stale_news(&since[2..3], olga, Intent::Parameters).is_empty());
    }

    #[test]
    fn a_take_lapses_when_the_member_waits_too_long_on_its_holder() {
        let wait = |member_last, holder_last| TakeWait {
            taken_at: 1_000,
            member_last,
            holder_last,
        };
        // Taken and never answered: the wait runs from the take.
        assert_eq!(wait(Some(500), None).waiting_since(), Some(1_000));
        assert!(wait(Some(500), None).lapsed(61_000, 60_000));
        assert!(!wait(Some(500), None).lapsed(60_999, 60_000));
        // Answered after the take: nobody waits.
        assert_eq!(wait(Some(500), Some(2_000)).waiting_since(), None);
        // The member wrote again after the answer: the wait runs from her message.
        assert_eq!(wait(Some(3_000), Some(2_000)).waiting_since(), Some(3_000));
        assert!(!wait(Some(3_000), Some(2_000)).lapsed(62_000, 60_000));
        assert!(wait(Some(3_000), Some(2_000)).lapsed(63_000, 60_000));
        // An answer before the take (someone else's, or an earlier take) does not count.
        assert_eq!(wait(None, Some(900)).waiting_since(), Some(1_000));
    }
}
