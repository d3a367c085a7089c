//! After a commit: what changed goes on the hub, to every reader's socket (and the other
//! nodes).

use std::sync::Arc;

use app::protocol::{DepartmentId, Notification, TicketId};
use tracing::warn;

use crate::{
    domain::{self, StoredEvent, TicketRecord},
    hub::{HubMsg, Topic},
};

use super::Desk;

impl Desk {
    /// Publishes committed events of one ticket, then its new state for lists (also to the
    /// department it left, when it moved).
    pub(super) async fn publish(&self, events: Vec<StoredEvent>, moved_from: Option<DepartmentId>) {
        let Some(id) = events.first().map(|e| e.scope.id) else {
            return;
        };
        let mut notified = Vec::new();
        self.activity.events.add(events.len() as u64);
        for event in events {
            let event = Arc::new(event);
            if !event.notified.is_empty() {
                notified.push(event.clone());
            }
            self.hub
                .publish_committed(Topic::Ticket(id), HubMsg::Event(event))
                .await;
        }
        let record = self.publish_ticket(id, moved_from).await;
        if let Some(record) = record {
            for event in notified {
                for told in &event.notified {
                    let said = domain::notification_for(&event.kind, told.mention);
                    let text = said
                        .as_ref()
                        .map(|reason| reason.text(app::i18n::Lang::En))
                        .unwrap_or_default();
                    let said = said.map(app::protocol::Said::from);
                    let notification = Notification {
                        id: told.id,
                        ticket_id: id,
                        subject: record.summary.subject.clone(),
                        seq: event.seq,
                        at: event.at,
                        author: event.author.clone(),
                        text,
                        said,
                        read: false,
                    };
                    self.hub
                        .publish_committed(
                            Topic::User(told.user),
                            HubMsg::Notification(Arc::new(notification)),
                        )
                        .await;
                }
            }
        }
        self.hub.flushed().await;
    }

    /// Tells every list that shows this ticket about its new state.
    pub(super) async fn publish_ticket(
        &self,
        id: TicketId,
        moved_from: Option<DepartmentId>,
    ) -> Option<Arc<TicketRecord>> {
        match self.store.ticket(id).await {
            Ok(record) => {
                let record = Arc::new(record);
                let department = record.scope.department_id;
                let mut topics = vec![
                    Topic::Ticket(id),
                    Topic::Inbox(record.scope.member_id),
                    Topic::Department(department),
                    Topic::Waiting(department),
                ];
                topics.extend(moved_from.map(Topic::Department));
                topics.extend(moved_from.map(Topic::Waiting));
                for topic in topics {
                    self.hub
                        .publish_committed(topic, HubMsg::Ticket(record.clone()))
                        .await;
                }
                Some(record)
            }
            // The change is committed and the ticket topic has it; lists catch up on their
            // next snapshot.
            Err(err) => {
                warn!(ticket_id = %id, error = %err, "could not publish ticket summary");
                None
            }
        }
    }

    /// Tells the ticket's screens, and its department's boards, who has it open now — here
    /// and on the other nodes.
    pub fn publish_presence(&self, snapshots: Vec<crate::hub::presence::Snapshot>) {
        for snapshot in snapshots {
            let snapshot = Arc::new(snapshot);
            self.hub.publish(
                Topic::Ticket(snapshot.scope.id),
                HubMsg::Presence(snapshot.clone()),
            );
            self.hub.publish_local(
                Topic::Department(snapshot.scope.department_id),
                HubMsg::Presence(snapshot),
            );
        }
    }

    /// Tells every screen, here and on the other nodes, who of staff is available now.
    pub fn publish_availability(&self, changed: Option<Vec<app::protocol::StaffStatus>>) {
        if let Some(all) = changed {
            let local = self.staff.local();
            self.hub.publish(
                Topic::Everyone,
                HubMsg::Availability(Arc::new((all, local))),
            );
        }
    }
}
