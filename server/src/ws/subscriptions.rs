//! What a socket follows: tickets (replayed from the store, then live, each event once and
//! in order), the member's inbox or staff's board (a snapshot, then live), notifications.

use app::protocol::{Drafts, ErrorCode, Event, Seq, TicketFilter, TicketId, Topic};
use tracing::warn;

use crate::{
    domain::{self},
    hub::{self},
    service,
};

use super::{Conn, Follow, Sent};

impl Conn {
    pub(super) fn unsubscribe(&mut self, topic: Topic) {
        match topic {
            Topic::Notifications => self.notifications = false,
            Topic::Calls => {
                self.hub.unsubscribe(hub::Topic::Calls);
                self.calls = None;
            }
            Topic::Ticket { id } => {
                self.state.desk.leave_ticket(id, self.hub.id());
                // A kept ticket stays followed for the board's sake.
                if !(self.lists && self.viewer.kept.contains(&id)) {
                    self.hub.unsubscribe(hub::Topic::Ticket(id));
                }
                self.tickets.remove(&id);
            }
            Topic::Inbox | Topic::Board => {
                self.unfollow_places();
                self.hub.unsubscribe(hub::Topic::Inbox(self.viewer.id));
                for department in self.viewer.departments.clone() {
                    self.hub.unsubscribe(hub::Topic::Department(department));
                }
                self.lists = false;
            }
        }
    }

    pub(super) async fn subscribe(
        &mut self,
        topic: Topic,
        since: Option<Seq>,
        filter: TicketFilter,
    ) -> Sent {
        match topic {
            Topic::Ticket { id } => self.follow_ticket(id, since).await,
            Topic::Inbox | Topic::Board => self.follow_list(topic, &filter).await,
            Topic::Notifications => self.follow_notifications().await,
            Topic::Calls => self.follow_calls().await,
        }
    }

    /// The calls topic (call-centre agents): follow first, then the snapshot, so that no
    /// call falls between the two.
    pub(super) async fn follow_calls(&mut self) -> Sent {
        match self.state.desk.is_agent(&self.viewer).await {
            Ok(true) => {}
            Ok(false) => {
                return self
                    .service_error(domain::Error::AgentsOnly.into(), None)
                    .await;
            }
            Err(err) => return self.service_error(err, None).await,
        }
        self.hub.subscribe(hub::Topic::Calls);
        match self.state.desk.calls(&self.viewer).await {
            Ok(calls) => {
                self.calls = Some(
                    calls
                        .calls
                        .iter()
                        .map(|c| c.id.clone())
                        .chain(calls.callbacks.iter().map(|c| format!("callback-{}", c.id)))
                        .collect(),
                );
                self.send(&Event::Calls { calls }).await
            }
            Err(err) => self.service_error(err, None).await,
        }
    }

    /// The board hears of the tickets this person passed to other departments and kept
    /// through those tickets' own topics.
    pub(super) fn follow_kept(&mut self) {
        if self.lists && self.viewer.role.is_staff() {
            for id in self.viewer.kept.clone() {
                self.hub.subscribe(hub::Topic::Ticket(id));
            }
        }
    }

    /// The notifications topic: a snapshot, then live notifications (the person's own hub
    /// topic is followed from the start, so nothing falls between the two).
    pub(super) async fn follow_notifications(&mut self) -> Sent {
        match self.state.desk.notifications(&self.viewer).await {
            Ok(notifications) => {
                self.notifications = true;
                self.send(&Event::Notifications { notifications }).await
            }
            Err(err) => self.service_error(err, None).await,
        }
    }

    /// Lists are a snapshot plus a live tail: follow first, then read the snapshot, so that
    /// nothing committed in between is missed (a change seen twice is harmless: summaries
    /// carry a revision and the newest wins).
    pub(super) async fn follow_list(&mut self, topic: Topic, filter: &TicketFilter) -> Sent {
        let staff = self.viewer.role.is_staff();
        match (topic, staff) {
            (Topic::Inbox, false) => self.hub.subscribe(hub::Topic::Inbox(self.viewer.id)),
            (Topic::Board, true) => {
                let departments = if self.viewer.sees_all_departments() {
                    match self.state.desk.all_departments().await {
                        Ok(all) => all,
                        Err(err) => return self.service_error(err, None).await,
                    }
                } else {
                    self.viewer.departments.clone()
                };
                self.viewer.departments = departments.clone();
                for department in departments {
                    self.hub.subscribe(hub::Topic::Department(department));
                }
            }
            (Topic::Inbox, true) => {
                return self
                    .error(
                        ErrorCode::Forbidden,
                        "staff follow the board, not an inbox".into(),
                        None,
                    )
                    .await;
            }
            _ => {
                return self
                    .error(
                        ErrorCode::Forbidden,
                        "members follow their inbox, not the board".into(),
                        None,
                    )
                    .await;
            }
        }
        self.lists = true;
        self.follow_kept();
        match self.state.desk.list(&self.viewer, filter).await {
            Ok(tickets) => {
                self.revisions
                    .extend(tickets.iter().map(|t| (t.id, t.revision)));
                self.send(&Event::Tickets { topic, tickets }).await?;
                if staff {
                    for snapshot in self.state.desk.presence_everywhere() {
                        self.send_presence(&snapshot).await?;
                    }
                    Ok(())
                } else {
                    self.follow_places().await
                }
            }
            Err(err) => self.service_error(err, None).await,
        }
    }

    pub(super) async fn follow_ticket(&mut self, id: TicketId, since: Option<Seq>) -> Sent {
        let record = match self.state.desk.visible_ticket(&self.viewer, id).await {
            Ok(record) => record,
            Err(err) => return self.service_error(err, None).await,
        };
        let Some(summary) = domain::summary_for(&self.viewer, &record) else {
            return self
                .service_error(domain::Error::TicketNotFound.into(), None)
                .await;
        };
        // A client ahead of the store (its data came from a database since replaced) starts over.
        let since = since
            .filter(|s| s.0 >= 0 && s.0 <= summary.last_seq.0)
            .unwrap_or(Seq(0));
        self.hub.subscribe(hub::Topic::Ticket(id));
        self.tickets.insert(
            id,
            Follow {
                scope: record.scope,
                last: since,
            },
        );
        self.send(&Event::TicketOpened { ticket: summary }).await?;
        self.catch_up(id).await?;
        let last = self.tickets.get(&id).map_or(since, |f| f.last);
        self.send(&Event::CaughtUp {
            ticket_id: id,
            seq: last,
        })
        .await?;
        // What this person was writing here, wherever they wrote it.
        match self.state.desk.drafts(&self.viewer, id).await {
            Ok(drafts) if drafts != Drafts::default() => {
                self.send(&Event::Drafts {
                    ticket_id: id,
                    drafts,
                })
                .await?;
            }
            Ok(_) => {}
            Err(err) => warn!(error = %err, "could not read drafts"),
        }
        match self.state.desk.presence_of(id) {
            Some(snapshot) => self.send_presence(&snapshot).await,
            None => Ok(()),
        }
    }

    /// Writes every stored event after the ticket's last written `seq`.
    pub(super) async fn catch_up(&mut self, id: TicketId) -> Sent {
        loop {
            let Some(follow) = self.tickets.get(&id) else {
                return Ok(());
            };
            let (scope, last) = (follow.scope, follow.last);
            let events = match self
                .state
                .desk
                .events_after(&self.viewer, scope, last)
                .await
            {
                Ok(events) => events,
                Err(err) => return self.service_error(err, None).await,
            };
            let page_full = events.len() as i64 >= service::EVENT_PAGE;
            for event in events {
                self.write_event(&event).await?;
            }
            if !page_full {
                return Ok(());
            }
        }
    }

    /// Writes one event if it is the next this reader should see.
    pub(super) async fn write_event(&mut self, event: &domain::StoredEvent) -> Sent {
        let Some(visible) = domain::event_for(&self.viewer, event) else {
            return Ok(());
        };
        let Some(follow) = self.tickets.get_mut(&visible.ticket_id) else {
            return Ok(());
        };
        if visible.seq.0 != follow.last.0 + 1 {
            return Ok(());
        }
        follow.last = visible.seq;
        self.send(&Event::TicketEvent { event: visible }).await
    }
}
