//! Staff's workspace: what staff know about a member beside a ticket, and each person's
//! own settings of the desk.

use app::protocol::{
    MAX_COMMENT_CHARS, MAX_SAVED_VIEWS, MAX_VIEW_NAME_CHARS, MemberProfile, UserId, Workspace,
};
use tracing::instrument;

use super::{Desk, Result};
use crate::{
    domain::{self, Reason, Viewer},
    store,
};

/// Most of a member's tickets the profile lists (and looks through for one the reader sees).
const PROFILE_TICKETS: i64 = 100;

impl Desk {
    /// What staff know about `member`: their details, staff's comment, services and the
    /// tickets of theirs `viewer` may see. `MemberNotFound` when there is no such member or
    /// `viewer` may not know about them (members never may).
    #[instrument(skip_all, fields(user_id = %viewer.id, member_id = %member))]
    pub async fn member_profile(&self, viewer: &Viewer, member: UserId) -> Result<MemberProfile> {
        let records = self.profile_tickets(viewer, member).await?;
        let (account, notes) = match (
            self.store.member_account(member).await,
            self.store.member_notes(member).await,
        ) {
            (Ok(account), Ok(notes)) => (account, notes),
            (Err(store::Error::NotFound), _) | (_, Err(store::Error::NotFound)) => {
                return Err(domain::Error::MemberNotFound.into());
            }
            (Err(other), _) | (_, Err(other)) => return Err(other.into()),
        };
        // Counted over the reader's departments, as the tickets listed are.
        let departments = (!viewer.sees_all_departments()).then_some(&viewer.departments[..]);
        let (tickets, open, ratings) = self.store.member_figures(member, departments).await?;
        let (cards, purchases) = if domain::may_read_accounts(viewer) {
            let (cards, purchases) = self.store.member_commerce(member).await?;
            (Some(cards), Some(purchases))
        } else {
            (None, None)
        };
        Ok(MemberProfile {
            figures: app::protocol::MemberFigures {
                tickets,
                open,
                ratings,
                cards,
                purchases,
            },
            id: member,
            name: account.name,
            email: account.email,
            phones: account.phones,
            registered_at: notes.registered_at,
            comment: notes.comment,
            services: account.services,
            tickets: records
                .iter()
                .filter_map(|t| domain::summary_for(viewer, t))
                .collect(),
        })
    }

    /// Changes what staff note about `member` (empty: nothing).
    #[instrument(skip_all, fields(user_id = %viewer.id, member_id = %member))]
    pub async fn set_member_comment(
        &self,
        viewer: &Viewer,
        member: UserId,
        comment: &str,
    ) -> Result<()> {
        self.profile_tickets(viewer, member).await?;
        let comment = domain::input::clean_lines(comment);
        let comment = comment.trim();
        if comment.chars().count() > MAX_COMMENT_CHARS {
            return Err(domain::Error::Invalid {
                field: "comment",
                reason: Reason::new("invalid-too-long").with("max", MAX_COMMENT_CHARS),
            }
            .into());
        }
        let mut w = self.store.begin_write().await?;
        match w.set_member_comment(member, comment).await {
            Ok(()) => {}
            Err(store::Error::NotFound) => return Err(domain::Error::MemberNotFound.into()),
            Err(other) => return Err(other.into()),
        }
        w.commit().await?;
        Ok(())
    }

    /// The member's tickets, once `viewer` is known to be allowed to know about the member.
    async fn profile_tickets(
        &self,
        viewer: &Viewer,
        member: UserId,
    ) -> Result<Vec<domain::TicketRecord>> {
        if !viewer.role.is_staff() {
            return Err(domain::Error::MemberNotFound.into());
        }
        let records = self.store.member_tickets(member, PROFILE_TICKETS).await?;
        let scopes: Vec<_> = records.iter().map(|t| t.scope).collect();
        if !domain::may_read_member_profile(viewer, &scopes) {
            return Err(domain::Error::MemberNotFound.into());
        }
        Ok(records)
    }
}

/// A person's settings as kept: saved views named, within the limits.
pub(super) fn checked_workspace(workspace: &Workspace) -> Result<Workspace> {
    if workspace.saved_views.len() > MAX_SAVED_VIEWS {
        return Err(domain::Error::Invalid {
            field: "saved_views",
            reason: Reason::new("invalid-too-many-views").with("max", MAX_SAVED_VIEWS),
        }
        .into());
    }
    let mut kept = workspace.clone();
    for view in &mut kept.saved_views {
        view.name = domain::Label::parse("name", &view.name, MAX_VIEW_NAME_CHARS)?.into_string();
    }
    Ok(kept)
}
