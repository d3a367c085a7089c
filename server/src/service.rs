//! The use cases: one function per command, shared by HTTP, WebSocket and the CLI.
//!
//! Each checks the rules in `domain`, commits its whole effect through `store` in one
//! transaction, and only then publishes what changed on the `hub`. Callers acknowledge a
//! command only after these functions return, that is, after the commit.

use std::sync::Arc;

use app::protocol::{
    ClientMsgId, DepartmentId, ErrorCode, EventKind, Role, Seq, TicketId, TicketSummary, Written,
};
use tracing::{instrument, warn};

use crate::{
    domain::{self, StoredEvent, TicketRecord, TicketScope, Viewer},
    hub::{Hub, HubMsg, Topic},
    store::{self, EventDraft, Store},
};

/// Largest number of tickets a list returns.
pub const LIST_LIMIT: i64 = 500;
/// Largest number of events returned or replayed in one read.
pub const EVENT_PAGE: i64 = 1000;

/// A use case failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A rule of the desk refused it.
    #[error(transparent)]
    Rule(#[from] domain::Error),
    /// The store failed; nothing was committed.
    #[error(transparent)]
    Store(#[from] store::Error),
}

impl Error {
    /// The protocol code clients branch on.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::Rule(rule) => rule.code(),
            Error::Store(store::Error::NotFound) => ErrorCode::NotFound,
            Error::Store(store::Error::Unavailable(_)) => ErrorCode::Unavailable,
            Error::Store(_) => ErrorCode::Internal,
        }
    }

    /// A message safe to show the client: rules explain themselves; store failures never
    /// reveal their cause (it is logged instead).
    pub fn public_message(&self) -> String {
        match self {
            Error::Rule(rule) => rule.to_string(),
            Error::Store(store::Error::NotFound) => "not found".into(),
            Error::Store(store::Error::Unavailable(_)) => {
                "the database is unavailable; nothing was stored, please retry".into()
            }
            Error::Store(_) => "an internal error occurred; nothing was stored".into(),
        }
    }
}

/// Result of a use case.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Now, in epoch milliseconds.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// The seq a reader knows an event by.
fn seq_for(viewer: &Viewer, seq: Seq, public_seq: Option<Seq>) -> Seq {
    if viewer.role.is_staff() {
        seq
    } else {
        public_seq.unwrap_or(seq)
    }
}

/// A message by `viewer`, carrying the client's id for idempotency.
fn message_draft(viewer: &Viewer, body: String, client_msg_id: &ClientMsgId) -> EventDraft {
    EventDraft {
        author: viewer.person(),
        kind: EventKind::Message {
            body,
            client_msg_id: Some(client_msg_id.clone()),
        },
        client_msg_id: Some(client_msg_id.clone()),
    }
}

/// The desk's use cases over one store and one hub; cheap to clone.
#[derive(Clone)]
pub struct Desk {
    pub store: Store,
    pub hub: Hub,
}

impl Desk {
    /// A ticket `viewer` may see; `TicketNotFound` otherwise, so that nobody learns whether
    /// someone else's ticket exists.
    #[instrument(skip_all, fields(ticket_id = %id))]
    pub async fn visible_ticket(&self, viewer: &Viewer, id: TicketId) -> Result<TicketRecord> {
        match self.store.ticket(id).await {
            Ok(ticket) if domain::can_view(viewer, &ticket.scope) => Ok(ticket),
            Ok(_) | Err(store::Error::NotFound) => Err(domain::Error::TicketNotFound.into()),
            Err(other) => Err(other.into()),
        }
    }

    /// The tickets `viewer`'s list shows (inbox or board).
    #[instrument(skip_all)]
    pub async fn list(&self, viewer: &Viewer) -> Result<Vec<TicketSummary>> {
        let records = self.store.tickets_for(viewer, LIST_LIMIT).await?;
        Ok(records
            .iter()
            .filter_map(|t| domain::summary_for(viewer, t))
            .collect())
    }

    /// Events of a visible ticket after `since`, in `viewer`'s numbering.
    #[instrument(skip_all, fields(ticket_id = %scope.id))]
    pub async fn events_after(
        &self,
        viewer: &Viewer,
        scope: TicketScope,
        since: Seq,
    ) -> Result<Vec<StoredEvent>> {
        Ok(self
            .store
            .events_after(scope, viewer.role.is_staff(), since, EVENT_PAGE)
            .await?)
    }

    /// Where an earlier write with this client id landed, in `viewer`'s numbering.
    async fn earlier_write(&self, viewer: &Viewer, id: &ClientMsgId) -> Result<Option<Written>> {
        let found = self.store.find_client_msg(viewer.id, id).await?;
        Ok(found.map(|(ticket_id, seq, public_seq)| Written {
            ticket_id,
            seq: seq_for(viewer, seq, public_seq),
            duplicate: true,
        }))
    }

    /// A member opens a conversation in `department` with its first message.
    #[instrument(skip_all, fields(user_id = %viewer.id))]
    pub async fn start_ticket(
        &self,
        viewer: &Viewer,
        client_msg_id: ClientMsgId,
        department: DepartmentId,
        subject: &str,
        body: &str,
    ) -> Result<Written> {
        if viewer.role != Role::Member {
            return Err(domain::Error::OnlyMembersStart.into());
        }
        let body = domain::message_body(body)?;
        let subject = domain::subject(subject, &body)?;
        if let Some(earlier) = self.earlier_write(viewer, &client_msg_id).await? {
            return Ok(earlier);
        }
        let department = match self.store.department(department).await {
            Ok(d) => d,
            Err(store::Error::NotFound) => return Err(domain::Error::DepartmentNotFound.into()),
            Err(other) => return Err(other.into()),
        };
        let now = now();
        let written = async {
            let mut w = self.store.begin_write().await?;
            let ticket = w
                .create_ticket(viewer.id, department.id, &subject, now)
                .await?;
            let created = w
                .append_event(
                    ticket,
                    EventDraft {
                        author: viewer.person(),
                        kind: EventKind::Created {
                            subject: subject.clone(),
                            department: department.clone(),
                        },
                        client_msg_id: None,
                    },
                    now,
                )
                .await?;
            let message = w
                .append_event(ticket, message_draft(viewer, body, &client_msg_id), now)
                .await?;
            w.commit().await?;
            Ok::<_, store::Error>(vec![created, message])
        }
        .await;
        self.finish_write(viewer, &client_msg_id, written).await
    }

    /// Posts a message to a ticket `viewer` may see.
    #[instrument(skip_all, fields(user_id = %viewer.id, ticket_id = %ticket))]
    pub async fn post_message(
        &self,
        viewer: &Viewer,
        ticket: TicketId,
        client_msg_id: ClientMsgId,
        body: &str,
    ) -> Result<Written> {
        let record = self.visible_ticket(viewer, ticket).await?;
        let body = domain::message_body(body)?;
        if let Some(earlier) = self.earlier_write(viewer, &client_msg_id).await? {
            return Ok(earlier);
        }
        let written = async {
            let mut w = self.store.begin_write().await?;
            let event = w
                .append_event(
                    record.scope.id,
                    message_draft(viewer, body, &client_msg_id),
                    now(),
                )
                .await?;
            w.commit().await?;
            Ok::<_, store::Error>(vec![event])
        }
        .await;
        self.finish_write(viewer, &client_msg_id, written).await
    }

    /// After a write: publish what committed, or, when a concurrent retry of the same client
    /// id won the race, answer as a duplicate.
    async fn finish_write(
        &self,
        viewer: &Viewer,
        client_msg_id: &ClientMsgId,
        written: store::Result<Vec<StoredEvent>>,
    ) -> Result<Written> {
        let events = match written {
            Ok(events) => events,
            Err(store::Error::Conflict(_)) => {
                return self
                    .earlier_write(viewer, client_msg_id)
                    .await?
                    .ok_or_else(|| store::Error::Conflict("client_msg_id".into()).into());
            }
            Err(other) => return Err(other.into()),
        };
        let Some(last) = events.last() else {
            return Err(store::Error::NotFound.into());
        };
        let answer = Written {
            ticket_id: last.scope.id,
            seq: seq_for(viewer, last.seq, last.public_seq),
            duplicate: false,
        };
        let scope = last.scope;
        for event in events {
            self.hub
                .publish(Topic::Ticket(scope.id), HubMsg::Event(Arc::new(event)));
        }
        self.publish_ticket(scope.id).await;
        Ok(answer)
    }

    /// Tells every list that shows this ticket about its new state.
    async fn publish_ticket(&self, id: TicketId) {
        match self.store.ticket(id).await {
            Ok(record) => {
                let record = Arc::new(record);
                self.hub.publish(
                    Topic::Inbox(record.scope.member_id),
                    HubMsg::Ticket(record.clone()),
                );
                self.hub.publish(
                    Topic::Department(record.scope.department_id),
                    HubMsg::Ticket(record),
                );
            }
            // The change is committed and the ticket topic has it; lists catch up on their
            // next snapshot.
            Err(err) => warn!(ticket_id = %id, error = %err, "could not publish ticket summary"),
        }
    }

    /// A member has read their ticket up to `seq`; staff reads are not tracked.
    #[instrument(skip_all, fields(user_id = %viewer.id, ticket_id = %ticket))]
    pub async fn mark_read(&self, viewer: &Viewer, ticket: TicketId, seq: Seq) -> Result<()> {
        let record = self.visible_ticket(viewer, ticket).await?;
        if viewer.role != Role::Member {
            return Ok(());
        }
        let seq = Seq(seq.0.min(record.last_public_seq.0));
        let mut w = self.store.begin_write().await?;
        let changed = w.mark_read(ticket, seq).await?;
        w.commit().await?;
        if changed {
            self.publish_ticket(ticket).await;
        }
        Ok(())
    }
}
