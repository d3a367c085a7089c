//! Staff following tickets, their notifications, and their preferences.

use app::{
    i18n::Lang,
    protocol::{Notifications, Preferences, TicketId},
};
use tracing::instrument;

use crate::{
    domain::{self, Viewer},
    hub::{HubMsg, Topic},
};

use super::{Desk, NOTIFICATIONS_SHOWN, Result};
use crate::clock::now;

impl Desk {
    /// Staff follow (or stop following) a ticket they may see.
    #[instrument(skip_all, fields(user_id = %viewer.id, ticket_id = %ticket))]
    pub async fn follow(&self, viewer: &Viewer, ticket: TicketId, follow: bool) -> Result<()> {
        self.visible_ticket(viewer, ticket).await?;
        if !viewer.role.is_staff() {
            return Err(domain::Error::StaffOnly.into());
        }
        let mut w = self.store.begin_write().await?;
        let changed = w.follow(ticket, viewer.id, follow, now()).await?;
        w.commit().await?;
        if changed {
            self.hub
                .publish(Topic::User(viewer.id), HubMsg::Following(ticket, follow));
        }
        Ok(())
    }

    /// Staff's notifications, newest first.
    #[instrument(skip_all, fields(user_id = %viewer.id))]
    pub async fn notifications(&self, viewer: &Viewer) -> Result<Notifications> {
        if !viewer.role.is_staff() {
            return Err(domain::Error::StaffOnly.into());
        }
        Ok(self
            .store
            .notifications(viewer, NOTIFICATIONS_SHOWN)
            .await?)
    }

    /// Marks staff's notifications read: one ticket's, or all.
    #[instrument(skip_all, fields(user_id = %viewer.id))]
    pub async fn read_notifications(
        &self,
        viewer: &Viewer,
        ticket: Option<TicketId>,
    ) -> Result<()> {
        if !viewer.role.is_staff() {
            return Err(domain::Error::StaffOnly.into());
        }
        let mut w = self.store.begin_write().await?;
        let changed = w.read_notifications(viewer.id, ticket).await?;
        w.commit().await?;
        if changed > 0 {
            self.hub
                .publish(Topic::User(viewer.id), HubMsg::NotificationsRead(ticket));
        }
        Ok(())
    }

    /// Stores the language a person chose; every screen of theirs hears of it.
    #[instrument(skip_all, fields(user_id = %viewer.id))]
    pub async fn set_language(&self, viewer: &Viewer, language: Lang) -> Result<()> {
        self.store.set_language(viewer.id, language).await?;
        self.hub.publish(Topic::User(viewer.id), HubMsg::MeChanged);
        Ok(())
    }

    /// Stores a person's preferences; every screen of theirs hears of it.
    #[instrument(skip_all, fields(user_id = %viewer.id))]
    pub async fn set_preferences(&self, viewer: &Viewer, preferences: &Preferences) -> Result<()> {
        // Staff's settings are staff's; a member has only when answers reach them by mail.
        if !viewer.role.is_staff() && preferences.notes_by_default {
            return Err(domain::Error::StaffOnly.into());
        }
        let workspace = preferences
            .workspace
            .as_ref()
            .map(super::workspace::checked_workspace)
            .transpose()?;
        self.store
            .set_preferences(viewer.id, viewer.role, preferences, workspace.as_ref())
            .await?;
        self.hub.publish(Topic::User(viewer.id), HubMsg::MeChanged);
        Ok(())
    }
}
