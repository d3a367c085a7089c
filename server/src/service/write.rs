//! How a write is done: one state change under the ticket's row lock, and the answer to a
//! write, a retried one included (its client id makes it idempotent).

use app::protocol::{
    ClientMsgId, DepartmentId, EventKind, Person, Seq, TicketStatus, UserId, Written,
};
use tracing::warn;

use crate::{
    domain::{self, Numbering, StoredEvent, TicketRecord, Viewer},
    hub::{HubMsg, Topic},
    store::{self, EventDraft},
};

use super::{Desk, Result};
use crate::clock::now;

/// The seq the author of a write knows it by (what they write, they may read).
pub(super) fn seq_for(viewer: &Viewer, seq: Seq, public_seq: Option<Seq>) -> Seq {
    Numbering::of(viewer).seq(seq, public_seq).unwrap_or(seq)
}

/// Most news a `stale` refusal carries (the screen has the rest from the ticket's log).
const MAX_NEWS: i64 = 50;

/// Refuses, inside the write `w` that holds the ticket's lock, an action of staff decided on
/// an old view: one that had seen up to `seen` when something arrived since that makes it
/// stale (see [`domain::stale_news`]). Without `seen` (a script that does not say) or for a
/// member, nothing is checked.
pub(super) async fn check_fresh(
    w: &mut store::WriteTx,
    viewer: &Viewer,
    ticket: app::protocol::TicketId,
    seen: Option<Seq>,
    intent: domain::Intent,
) -> store::Result<std::result::Result<(), domain::Error>> {
    let Some(seen) = seen.filter(|_| viewer.role.is_staff()) else {
        return Ok(Ok(()));
    };
    let since = w.events_since(ticket, seen, MAX_NEWS).await?;
    let news = domain::stale_news(&since, viewer.id, intent);
    if news.is_empty() {
        return Ok(Ok(()));
    }
    let messages = news
        .iter()
        .filter(|e| matches!(e.kind, EventKind::Message { .. }))
        .count();
    let parameters = news
        .iter()
        .any(|e| matches!(e.kind, EventKind::ParametersChanged { .. }));
    Ok(Err(domain::Error::Stale {
        messages,
        parameters,
        news: news
            .into_iter()
            .filter_map(|e| domain::event_for(viewer, e))
            .collect(),
    }))
}

/// What one state change does to a ticket.
pub(super) struct Change {
    /// The new holder, when it changes (`Some(None)` releases).
    pub(super) holder: Option<Option<UserId>>,
    /// The new department, when the ticket moves.
    pub(super) department: Option<DepartmentId>,
    /// Put the ticket in its member's archive.
    pub(super) archive: bool,
    /// The event that records the change.
    pub(super) event: EventKind,
    /// The member-visible position of the event it refers to (an edit's message).
    pub(super) refers_to: Option<Seq>,
}

/// An event by `viewer`.
pub(super) fn draft(viewer: &Viewer, kind: EventKind) -> EventDraft {
    EventDraft {
        author: viewer.person(),
        kind,
        client_msg_id: None,
        ref_public_seq: None,
    }
}

/// A message (or hidden note) by `viewer`, carrying the client's id for idempotency, and
/// what its mail quoted when it came by mail.
pub(super) fn message_draft(
    viewer: &Viewer,
    body: String,
    client_msg_id: &ClientMsgId,
    hidden: bool,
    attachments: Vec<app::protocol::UploadedFile>,
    by_mail: Option<app::protocol::ByMail>,
) -> EventDraft {
    let client_msg_id = Some(client_msg_id.clone());
    let kind = if hidden {
        EventKind::Note {
            body,
            client_msg_id: client_msg_id.clone(),
            attachments,
        }
    } else {
        EventKind::Message {
            body,
            client_msg_id: client_msg_id.clone(),
            attachments,
            mail: by_mail,
        }
    };
    EventDraft {
        client_msg_id,
        ..draft(viewer, kind)
    }
}

impl Desk {
    /// One state change under the ticket's row lock: `decide` sees the holder and status and
    /// says what changes, or `None` when there is nothing to do.
    pub(super) async fn change(
        &self,
        viewer: &Viewer,
        record: &TicketRecord,
        decide: impl FnOnce(Option<Person>, TicketStatus) -> Result<Option<Change>, domain::Error>,
    ) -> Result<Written> {
        self.change_seen(viewer, record, None, decide).await
    }

    /// [`Desk::change`] of an action moving the ticket on, decided having seen up to `seen`:
    /// refused as stale when a message arrived since (see [`check_fresh`]).
    pub(super) async fn change_seen(
        &self,
        viewer: &Viewer,
        record: &TicketRecord,
        seen: Option<Seq>,
        decide: impl FnOnce(Option<Person>, TicketStatus) -> Result<Option<Change>, domain::Error>,
    ) -> Result<Written> {
        let id = record.scope.id;
        let mut w = self.store.begin_write().await?;
        let (holder, status) = w.lock_ticket(id).await?;
        check_fresh(&mut w, viewer, id, seen, domain::Intent::Move).await??;
        let Some(Change {
            holder: new_holder,
            department,
            archive,
            event: kind,
            refers_to,
        }) = decide(holder, status)?
        else {
            let seq = Numbering::of(viewer).last(record);
            return Ok(Written {
                ticket_id: id,
                seq,
                duplicate: true,
            });
        };
        let mut now_following = None;
        if let Some(new_holder) = new_holder {
            w.set_assignee(id, new_holder, now()).await?;
            // Whoever holds a ticket follows it.
            if let Some(holder) = new_holder
                && w.follow(id, holder, true, now()).await?
            {
                now_following = Some(holder);
            }
        }
        if archive {
            w.set_archived(id).await?;
        }
        // Whoever passes a ticket to a department they do not work in keeps it, to go on
        // talking with the member there.
        let keeps = department.filter(|d| {
            viewer.role.is_staff()
                && !viewer.sees_all_departments()
                && !viewer.departments.contains(d)
        });
        if let Some(department) = department {
            w.set_department(id, department).await?;
        }
        if keeps.is_some() {
            w.keep_ticket(id, viewer.id).await?;
        }
        let change = EventDraft {
            ref_public_seq: refers_to,
            ..draft(viewer, kind)
        };
        let event = w.append_event(id, change, now()).await?;
        w.commit().await?;
        let answer = Written {
            ticket_id: id,
            seq: seq_for(viewer, event.seq, event.public_seq),
            duplicate: false,
        };
        let moved_from = department.map(|_| record.scope.department_id);
        if keeps.is_some() {
            // Their sockets learn they keep it before they hear that it moved.
            self.hub.publish(Topic::User(viewer.id), HubMsg::MeChanged);
        }
        self.publish(vec![event], moved_from).await;
        if let Some(user) = now_following {
            self.hub
                .publish(Topic::User(user), HubMsg::Following(id, true));
        }
        Ok(answer)
    }

    /// After a write: publish what committed, or, when a concurrent retry of the same client
    /// id won the race, answer as a duplicate.
    pub(super) async fn finish_write(
        &self,
        viewer: &Viewer,
        client_msg_id: &ClientMsgId,
        written: store::Result<Vec<StoredEvent>>,
    ) -> Result<Written> {
        let events = match written {
            Ok(events) => events,
            Err(store::Error::Conflict(_)) => {
                // The write that won may still be waiting for its group's commit.
                self.store.synced().await?;
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
        self.publish(events, None).await;
        Ok(answer)
    }

    /// Finishes a write that a rule may have refused inside its transaction.
    pub(super) async fn finish_rule_write(
        &self,
        viewer: &Viewer,
        client_msg_id: &ClientMsgId,
        written: store::Result<std::result::Result<Vec<StoredEvent>, domain::Error>>,
    ) -> Result<Written> {
        match written {
            Ok(Err(rule)) => Err(rule.into()),
            Ok(Ok(events)) => self.finish_write(viewer, client_msg_id, Ok(events)).await,
            Err(err) => self.finish_write(viewer, client_msg_id, Err(err)).await,
        }
    }

    /// Where an earlier write with this client id landed, in `viewer`'s numbering. It is
    /// announced again: the node that stored it may have died before telling anyone, and
    /// readers ignore what they already have.
    pub(super) async fn earlier_write(
        &self,
        viewer: &Viewer,
        id: &ClientMsgId,
    ) -> Result<Option<Written>> {
        let Some((ticket_id, seq, public_seq)) = self.store.find_client_msg(viewer.id, id).await?
        else {
            return Ok(None);
        };
        match self.store.event_at(ticket_id, seq).await {
            Ok(event) => self.publish(vec![event], None).await,
            Err(err) => warn!(ticket_id = %ticket_id, error = %err, "could not announce again"),
        }
        Ok(Some(Written {
            ticket_id,
            seq: seq_for(viewer, seq, public_seq),
            duplicate: true,
        }))
    }
}
