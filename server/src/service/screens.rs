//! Open screens: who of staff is online or away, and who has which ticket open (viewing,
//! replying, typing). Memory only, shared with the other nodes; never used for permissions.

use app::protocol::{DepartmentId, PresenceMode, StaffStatus, TicketId};
use tokio::sync::mpsc;

use super::{Desk, Result};
use crate::{
    clock::now,
    domain::{self, TicketScope, Viewer},
    hub::{Connection, HubMsg, presence::Snapshot},
};

impl Desk {
    /// A new screen's connection to the hub, with room for `queue` messages.
    pub fn connect(&self, queue: usize) -> (Connection, mpsc::Receiver<HubMsg>) {
        self.hub.connect(queue)
    }

    /// A staff screen opened (or its person's departments changed): they count as online
    /// in `memberships`, and everyone hears of it.
    pub fn screen_opened(&self, screen: u64, viewer: &Viewer, memberships: Vec<DepartmentId>) {
        if viewer.role.is_staff() {
            let changed = self.staff.connect(screen, viewer.person(), memberships);
            self.publish_availability(changed);
        }
    }

    /// A screen closed: it leaves every ticket it had open, and its person may be offline.
    pub fn screen_closed(&self, screen: u64) {
        self.publish_availability(self.staff.leave(screen));
        self.publish_presence(self.presence.leave_all(screen, now()));
    }

    /// Staff say they are away, or back.
    pub fn set_away(&self, viewer: &Viewer, screen: u64, away: bool) -> Result<()> {
        if !viewer.role.is_staff() {
            return Err(domain::Error::StaffOnly.into());
        }
        self.publish_availability(self.staff.set_away(screen, away));
        Ok(())
    }

    /// Who of staff is online or away now.
    pub fn staff_statuses(&self) -> Vec<StaffStatus> {
        self.staff.all()
    }

    /// A screen says what it does with a ticket it follows.
    pub fn say_presence(
        &self,
        viewer: &Viewer,
        scope: TicketScope,
        screen: u64,
        mode: PresenceMode,
        typing: bool,
    ) {
        let changed = self
            .presence
            .update(scope, screen, viewer.person(), mode, typing, now());
        self.publish_presence(changed.into_iter().collect());
    }

    /// A screen closed a ticket.
    pub fn leave_ticket(&self, ticket: TicketId, screen: u64) {
        let left = self.presence.leave(ticket, screen, now());
        self.publish_presence(left.into_iter().collect());
    }

    /// Who has `ticket` open, if anyone.
    pub fn presence_of(&self, ticket: TicketId) -> Option<Snapshot> {
        self.presence.of(ticket, now())
    }

    /// Who has each ticket open, for a board's first view.
    pub fn presence_everywhere(&self) -> Vec<Snapshot> {
        self.presence.all(now())
    }
}
