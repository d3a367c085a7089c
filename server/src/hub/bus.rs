//! The bus between nodes that share one PostgreSQL database: what one node publishes on its
//! hub reaches the hubs of the others through `LISTEN`/`NOTIFY`.
//!
//! Payloads stay small (PostgreSQL refuses a notification over 8000 bytes): a committed event
//! or a ticket's new state travels as a reference that the receiving node reads back from
//! the database; small facts (a notification, a follow, a presence list) travel whole. The
//! sender notifies from its own connection after the commit, many items to a notification.
//! A command is acknowledged only once its notification is out, and a receiver whose
//! connection dropped (it may have missed some) sends every socket of its node back to the
//! store to resume, so nothing committed and acknowledged escapes a reader on any node.
//! With SQLite there is one node and no bus.

use std::{collections::HashMap, sync::Arc, time::Duration};

use app::protocol::{DepartmentId, Notification, Present, Seq, StaffStatus, TicketId, UserId};
use serde::{Deserialize, Serialize};
use sqlx::{
    Connection,
    postgres::{PgConnection, PgListener},
};
use tokio::{sync::mpsc, task::JoinHandle};
use tracing::{debug, warn};

use crate::{
    clock::now,
    domain::TicketScope,
    hub::{Ended, Hub, HubMsg, Outgoing, Topic, availability::Staff, presence::Presence},
    store::Store,
};

/// What the bus reaches on its node: the hub it carries, the registries it keeps up to date
/// with the other nodes, and the store it reads references back from.
#[derive(Clone)]
pub struct Node {
    pub hub: Hub,
    pub presence: Presence,
    pub staff: Staff,
    pub store: Store,
}

/// The notification channel.
const CHANNEL: &str = "switchboard";
/// Largest payload sent in one notification, in bytes (PostgreSQL's limit is 8000).
const MAX_PAYLOAD: usize = 7_800;
/// Most items read from the hub before notifying.
const MAX_BATCH: usize = 512;

/// One thing published on a hub, as it crosses to the other nodes.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "k", rename_all = "snake_case")]
enum Wire {
    /// Event `seq` of a ticket was committed: read it back.
    Event {
        ticket: TicketId,
        seq: Seq,
    },
    /// A ticket changed: read its state back and tell `topic`.
    Ticket {
        ticket: TicketId,
        topic: Topic,
    },
    Notification {
        topic: Topic,
        notification: Notification,
    },
    Following {
        topic: Topic,
        ticket: TicketId,
        following: bool,
    },
    NotificationsRead {
        topic: Topic,
        ticket: Option<TicketId>,
    },
    MeChanged {
        topic: Topic,
    },
    SessionsEnded {
        topic: Topic,
        ended: Ended,
    },
    /// The sending node's own staff who are online or away.
    Availability {
        staff: Vec<StaffStatus>,
    },
    /// A call changed: read it back and tell the calls topic.
    Call {
        id: String,
    },
    /// A callback changed: tell the calls topic.
    Callback {
        callback: app::protocol::Callback,
        department: DepartmentId,
    },
    /// How many callers wait to be called back.
    CallbacksWaiting {
        count: i64,
    },
    /// The sending node's own screens on a ticket.
    Presence {
        ticket: TicketId,
        member: UserId,
        department: DepartmentId,
        present: Vec<Present>,
    },
}

/// What one notification carries.
#[derive(Debug, Serialize, Deserialize)]
struct Batch {
    node: u64,
    items: Vec<Wire>,
}

impl Wire {
    /// How a hub message crosses, if it does (presence crosses once, on its ticket's topic).
    fn of(topic: Topic, msg: &HubMsg) -> Option<Wire> {
        Some(match msg {
            HubMsg::Event(event) => Wire::Event {
                ticket: event.scope.id,
                seq: event.seq,
            },
            HubMsg::Ticket(record) => Wire::Ticket {
                ticket: record.scope.id,
                topic,
            },
            HubMsg::Notification(notification) => Wire::Notification {
                topic,
                notification: (**notification).clone(),
            },
            HubMsg::Following(ticket, following) => Wire::Following {
                topic,
                ticket: *ticket,
                following: *following,
            },
            HubMsg::NotificationsRead(ticket) => Wire::NotificationsRead {
                topic,
                ticket: *ticket,
            },
            HubMsg::MeChanged => Wire::MeChanged { topic },
            HubMsg::SessionsEnded(ended) => Wire::SessionsEnded {
                topic,
                ended: ended.clone(),
            },
            HubMsg::Presence(snapshot) if matches!(topic, Topic::Ticket(_)) => Wire::Presence {
                ticket: snapshot.scope.id,
                member: snapshot.scope.member_id,
                department: snapshot.scope.department_id,
                present: snapshot.local.clone(),
            },
            HubMsg::Presence(_) => return None,
            HubMsg::Call(record) => Wire::Call {
                id: record.call.id.clone(),
            },
            HubMsg::Callback(record) => Wire::Callback {
                callback: record.callback.clone(),
                department: record.scope.department_id,
            },
            HubMsg::CallbacksWaiting(count) => Wire::CallbacksWaiting { count: *count },
            HubMsg::Availability(both) => Wire::Availability {
                staff: both.1.clone(),
            },
        })
    }
}

/// Starts the bus of `node` on the PostgreSQL database at `url`: one task sends what this
/// node publishes, one listens for the others. Abort both to stop.
pub fn start(node: Node, url: String) -> Vec<JoinHandle<()>> {
    let outgoing = node.hub.connect_remote(65_536);
    vec![
        tokio::spawn(send(node.hub.node(), outgoing, url.clone())),
        tokio::spawn(listen(node, url)),
    ]
}

/// Sends what this node publishes, batched, from a connection of its own; answers each
/// flush once what was queued before it has been notified (or given up on).
async fn send(node: u64, mut outgoing: mpsc::Receiver<Outgoing>, url: String) {
    let mut conn: Option<PgConnection> = None;
    while let Some(first) = outgoing.recv().await {
        let mut items = Vec::new();
        let mut flushes = Vec::new();
        let mut next = Some(first);
        while let Some(out) = next {
            match out {
                Outgoing::Msg(topic, msg) => items.extend(Wire::of(topic, &msg)),
                Outgoing::Flush(done) => flushes.push(done),
            }
            next = if items.len() < MAX_BATCH {
                outgoing.try_recv().ok()
            } else {
                None
            };
        }
        for payload in payloads(node, items) {
            notify(&mut conn, &url, &payload).await;
        }
        for done in flushes {
            let _ = done.send(());
        }
    }
}

/// Sends one payload, reconnecting a few times before giving up on it (the other nodes'
/// listeners, cut off from the database too, resync when they are back).
async fn notify(conn: &mut Option<PgConnection>, url: &str, payload: &str) {
    for attempt in 0..4 {
        if attempt > 0 {
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        if conn.is_none() {
            *conn = PgConnection::connect(url).await.ok();
        }
        let Some(c) = conn.as_mut() else { continue };
        match sqlx::query("SELECT pg_notify($1, $2)")
            .bind(CHANNEL)
            .bind(payload)
            .execute(&mut *c)
            .await
        {
            Ok(_) => return,
            Err(err) => {
                warn!(error = %err, "notify failed; reconnecting");
                *conn = None;
            }
        }
    }
    warn!("the bus cannot reach the database; a batch is dropped");
}

/// Packs items into payloads under the size limit (an item too large alone is dropped).
fn payloads(node: u64, items: Vec<Wire>) -> Vec<String> {
    let mut out = Vec::new();
    let mut chunk: Vec<String> = Vec::new();
    let mut size = 0;
    let overhead = 32;
    for item in items {
        let Ok(text) = serde_json::to_string(&item) else {
            continue;
        };
        if text.len() + overhead > MAX_PAYLOAD {
            warn!(bytes = text.len(), "a bus item is too large to send");
            continue;
        }
        if size + text.len() + 1 + overhead > MAX_PAYLOAD {
            out.push(pack(node, &chunk));
            chunk.clear();
            size = 0;
        }
        size += text.len() + 1;
        chunk.push(text);
    }
    if !chunk.is_empty() {
        out.push(pack(node, &chunk));
    }
    out
}

fn pack(node: u64, items: &[String]) -> String {
    format!("{{\"node\":{node},\"items\":[{}]}}", items.join(","))
}

/// Listens for the other nodes and publishes what they say on this node's hub. After its
/// connection was lost, once listening again, every socket of this node resumes from the
/// store, so that nothing said meanwhile is missed.
async fn listen(desk: Node, url: String) {
    let mut resync = false;
    loop {
        let mut listener = match PgListener::connect(&url).await {
            Ok(listener) => listener,
            Err(err) => {
                warn!(error = %err, "the bus cannot listen; retrying");
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            }
        };
        if let Err(err) = listener.listen(CHANNEL).await {
            warn!(error = %err, "the bus cannot listen; retrying");
            tokio::time::sleep(Duration::from_secs(1)).await;
            continue;
        }
        if std::mem::replace(&mut resync, true) {
            warn!("the bus listens again; every socket resumes from the store");
            desk.hub.resync_all();
        }
        loop {
            match listener.try_recv().await {
                Ok(Some(notification)) => receive(&desk, notification.payload()).await,
                Ok(None) => {
                    debug!("the bus lost its connection; listening again");
                    break;
                }
                Err(err) => {
                    warn!(error = %err, "the bus stopped listening; retrying");
                    tokio::time::sleep(Duration::from_millis(500)).await;
                    break;
                }
            }
        }
    }
}

/// Publishes one notification's items on this node's hub (its own are ignored).
async fn receive(desk: &Node, payload: &str) {
    let batch: Batch = match serde_json::from_str(payload) {
        Ok(batch) => batch,
        Err(err) => {
            warn!(error = %err, "an unreadable bus notification");
            return;
        }
    };
    if batch.node == desk.hub.node() {
        return;
    }
    let hub = &desk.hub;
    let mut records = HashMap::new();
    for item in batch.items {
        match item {
            Wire::Event { ticket, seq } => match desk.store.event_at(ticket, seq).await {
                Ok(event) => {
                    hub.publish_local(Topic::Ticket(ticket), HubMsg::Event(Arc::new(event)));
                }
                Err(err) => warn!(error = %err, "a bus event could not be read"),
            },
            Wire::Ticket { ticket, topic } => {
                let record = match records.get(&ticket) {
                    Some(record) => Arc::clone(record),
                    None => match desk.store.ticket(ticket).await {
                        Ok(record) => {
                            let record = Arc::new(record);
                            records.insert(ticket, Arc::clone(&record));
                            record
                        }
                        Err(err) => {
                            warn!(error = %err, "a bus ticket could not be read");
                            continue;
                        }
                    },
                };
                hub.publish_local(topic, HubMsg::Ticket(record));
            }
            Wire::Call { id } => match desk.store.call(&id).await {
                Ok(Some(record)) => hub.publish_local(Topic::Calls, HubMsg::Call(Arc::new(record))),
                Ok(None) => {}
                Err(err) => warn!(error = %err, "a bus call could not be read"),
            },
            Wire::Callback {
                callback,
                department,
            } => {
                let scope = crate::domain::TicketScope {
                    id: callback.ticket_id,
                    member_id: callback.member.id,
                    department_id: department,
                };
                let record = crate::domain::calls::CallbackRecord { callback, scope };
                hub.publish_local(Topic::Calls, HubMsg::Callback(Arc::new(record)));
            }
            Wire::CallbacksWaiting { count } => {
                hub.publish_local(Topic::Calls, HubMsg::CallbacksWaiting(count));
            }
            Wire::Notification {
                topic,
                notification,
            } => hub.publish_local(topic, HubMsg::Notification(Arc::new(notification))),
            Wire::Following {
                topic,
                ticket,
                following,
            } => hub.publish_local(topic, HubMsg::Following(ticket, following)),
            Wire::NotificationsRead { topic, ticket } => {
                hub.publish_local(topic, HubMsg::NotificationsRead(ticket));
            }
            Wire::MeChanged { topic } => hub.publish_local(topic, HubMsg::MeChanged),
            Wire::SessionsEnded { topic, ended } => {
                hub.publish_local(topic, HubMsg::SessionsEnded(ended));
            }
            Wire::Availability { staff } => {
                let changed = desk.staff.remote(batch.node, staff, now());
                if let Some(all) = changed {
                    let local = desk.staff.local();
                    hub.publish_local(
                        Topic::Everyone,
                        HubMsg::Availability(Arc::new((all, local))),
                    );
                }
            }
            Wire::Presence {
                ticket,
                member,
                department,
                present,
            } => {
                let scope = TicketScope {
                    id: ticket,
                    member_id: member,
                    department_id: department,
                };
                let changed = desk.presence.remote(scope, batch.node, present, now());
                if let Some(snapshot) = changed {
                    let snapshot = Arc::new(snapshot);
                    let topics = [
                        Topic::Ticket(snapshot.scope.id),
                        Topic::Department(snapshot.scope.department_id),
                    ];
                    for topic in topics {
                        hub.publish_local(topic, HubMsg::Presence(snapshot.clone()));
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payloads_stay_under_the_limit_and_keep_every_item() {
        let items: Vec<Wire> = (0..2_000)
            .map(|i| Wire::Event {
                ticket: TicketId(i),
                seq: Seq(i * 7),
            })
            .collect();
        let payloads = payloads(9, items);
        assert!(payloads.len() > 1);
        let mut seen = 0;
        for payload in &payloads {
            assert!(payload.len() <= MAX_PAYLOAD, "{}", payload.len());
            let batch: Batch = serde_json::from_str(payload).expect("readable");
            assert_eq!(batch.node, 9);
            seen += batch.items.len();
        }
        assert_eq!(seen, 2_000);
    }
}
