//! Who may act on a ticket: write to it, release it, hand it to someone.

use app::protocol::{DepartmentId, Person, UserId};

use super::{Error, Reason, Viewer};

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
}
