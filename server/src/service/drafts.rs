//! Drafts: what someone is writing in a ticket, kept on the server as they type (the page
//! saves it a moment after they stop), restored wherever they open the ticket again, and
//! forgotten when it is sent.

use app::protocol::{Drafts, TicketId, limits};
use tracing::instrument;

use super::{Desk, Result};
use crate::{
    clock::now,
    domain::{self, Reason, Viewer},
};

impl Desk {
    /// Keeps `body` as `viewer`'s draft (a hidden note's when `note`, staff only) in a
    /// ticket they may see; an empty or blank one is forgotten. Control characters are
    /// removed as from a message; it is not trimmed (it is still being written).
    #[instrument(skip_all, fields(user_id = %viewer.id, ticket_id = %ticket))]
    pub async fn save_draft(
        &self,
        viewer: &Viewer,
        ticket: TicketId,
        note: bool,
        body: &str,
    ) -> Result<()> {
        self.visible_ticket(viewer, ticket).await?;
        if note && !viewer.role.is_staff() {
            return Err(domain::Error::StaffOnly.into());
        }
        let body = domain::input::clean_lines(body);
        if body.chars().count() > limits::MAX_BODY_CHARS {
            return Err(domain::Error::Invalid {
                field: "body",
                reason: Reason::new("invalid-message-too-long").with("max", limits::MAX_BODY_CHARS),
            }
            .into());
        }
        let body = if domain::input::shows_nothing(&body) {
            ""
        } else {
            &body
        };
        self.store
            .save_draft(viewer.id, ticket, note, body, now())
            .await?;
        Ok(())
    }

    /// `viewer`'s drafts in a ticket they may see.
    #[instrument(skip_all, fields(user_id = %viewer.id, ticket_id = %ticket))]
    pub async fn drafts(&self, viewer: &Viewer, ticket: TicketId) -> Result<Drafts> {
        self.visible_ticket(viewer, ticket).await?;
        Ok(self.store.drafts(viewer.id, ticket).await?)
    }
}
