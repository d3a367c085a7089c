//! The hub: in-process publish/subscribe by topic, for events committed to the store.
//!
//! Each connection owns one bounded queue fed by every topic it follows. Publishing never
//! waits: when a connection's queue is full it is marked lagged and its socket closes with a
//! resync reason; the client resumes from its last sequence out of the store, so falling
//! behind loses nothing and slows no one else. The hub knows nothing of sockets or audiences:
//! readers filter what they receive through `domain`.

use std::{
    collections::{HashMap, HashSet},
    sync::{
        Arc, Mutex, MutexGuard, OnceLock,
        atomic::{AtomicU64, Ordering},
    },
};

use app::protocol::{DepartmentId, Notification, TicketId, UserId};
use tokio::sync::{Notify, mpsc, oneshot};

pub mod availability;
pub mod bus;
pub mod presence;

use crate::{
    domain::{StoredEvent, TicketRecord},
    metrics::Counter,
};

/// What can be followed on the hub.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(tag = "t", content = "id", rename_all = "snake_case")]
pub enum Topic {
    /// One ticket's log.
    Ticket(TicketId),
    /// Changes to one member's tickets.
    Inbox(UserId),
    /// Changes to the tickets of one department.
    Department(DepartmentId),
    /// The same changes, for members whose tickets wait in the department's line: they
    /// learn only that the line may have moved.
    Waiting(DepartmentId),
    /// What concerns one person: their notifications, follows and settings.
    User(UserId),
    /// What concerns every connection (a change of the desk's configuration).
    Everyone,
    /// Calls as they come in, are answered and end (for the call centre's screens).
    Calls,
}

/// What the hub hands the bus for the other nodes.
#[derive(Debug)]
pub enum Outgoing {
    /// A message for a topic.
    Msg(Topic, HubMsg),
    /// Answer once everything queued before it has been sent (or could not be).
    Flush(oneshot::Sender<()>),
}

/// What travels on the hub: committed facts, shaped for a reader only at the socket.
#[derive(Debug, Clone)]
pub enum HubMsg {
    /// An event appended to a ticket's log.
    Event(Arc<StoredEvent>),
    /// A ticket's new state, for lists.
    Ticket(Arc<TicketRecord>),
    /// A notification for the topic's person.
    Notification(Arc<Notification>),
    /// The topic's person follows (or stopped following) a ticket.
    Following(TicketId, bool),
    /// The topic's person read their notifications (of one ticket, or all).
    NotificationsRead(Option<TicketId>),
    /// The topic's person (or, on every person's topic, the configuration) changed: reload.
    MeChanged,
    /// Who has a ticket open now.
    Presence(Arc<crate::hub::presence::Snapshot>),
    /// A call changed (came in, was answered, ended, was ended with a reason).
    Call(Arc<crate::domain::calls::CallRecord>),
    /// A callback changed (kept, offered, taken, tried).
    Callback(Arc<crate::domain::calls::CallbackRecord>),
    /// How many callers wait to be called back.
    CallbacksWaiting(i64),
    /// Sessions of the topic's person ended: their sockets close at once.
    SessionsEnded(Ended),
    /// Who of staff is online or away: everyone, and this node's own (for the other nodes).
    Availability(
        Arc<(
            Vec<app::protocol::StaffStatus>,
            Vec<app::protocol::StaffStatus>,
        )>,
    ),
}

/// Which of a person's sessions ended.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "t", content = "id", rename_all = "snake_case")]
pub enum Ended {
    /// This one (signed out).
    Only(String),
    /// All but this one (the person changed their password here).
    AllBut(String),
    /// Every one (an administrator reset the password).
    All,
}

impl Ended {
    /// Whether the session `id` is among those that ended.
    pub fn includes(&self, id: &str) -> bool {
        match self {
            Ended::Only(ended) => ended == id,
            Ended::AllBut(kept) => kept != id,
            Ended::All => true,
        }
    }
}

struct Mailbox {
    tx: mpsc::Sender<HubMsg>,
    lagged: Arc<Notify>,
}

#[derive(Default)]
struct Inner {
    topics: HashMap<Topic, HashMap<u64, Arc<Mailbox>>>,
    next_id: u64,
}

/// The topic registry; cheap to clone.
#[derive(Clone)]
pub struct Hub {
    inner: Arc<Mutex<Inner>>,
    /// This node, among the nodes sharing a database.
    node: u64,
    /// Where what is published here also goes, to reach the other nodes (see `bus`).
    remote: Arc<OnceLock<mpsc::Sender<Outgoing>>>,
    /// Messages not handed to a connection whose queue was full.
    dropped: Arc<Counter>,
    /// Connections sent back to the store to resume.
    resyncs: Arc<Counter>,
}

impl Default for Hub {
    fn default() -> Self {
        Self::new()
    }
}

impl Hub {
    /// A new, empty hub with a node number of its own.
    pub fn new() -> Self {
        static NODES: AtomicU64 = AtomicU64::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        let node = (u64::from(std::process::id()) << 32)
            ^ nanos
            ^ NODES.fetch_add(1, Ordering::Relaxed).rotate_left(48);
        Self {
            inner: Arc::default(),
            node,
            remote: Arc::default(),
            dropped: Arc::default(),
            resyncs: Arc::default(),
        }
    }

    /// Messages dropped at full queues, and connections sent to resume from the store, so far.
    pub fn losses(&self) -> (u64, u64) {
        (self.dropped.get(), self.resyncs.get())
    }

    /// This node's number.
    pub fn node(&self) -> u64 {
        self.node
    }

    /// From now on, everything published here is also queued (at most `capacity` waiting)
    /// for the other nodes; the receiver is the bus's.
    pub fn connect_remote(&self, capacity: usize) -> mpsc::Receiver<Outgoing> {
        let (tx, rx) = mpsc::channel(capacity.max(1));
        let _ = self.remote.set(tx);
        rx
    }

    /// Queues `msg` for the other nodes only.
    pub fn publish_remote(&self, topic: Topic, msg: HubMsg) {
        if let Some(tx) = self.remote.get()
            && tx.try_send(Outgoing::Msg(topic, msg)).is_err()
        {
            // The other nodes' sockets fill the gap from the store on their next event.
            tracing::warn!("the bus is behind; a message to the other nodes is dropped");
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic while holding this lock cannot leave the maps half-changed (every change is
        // a single insert or remove), so a poisoned lock is still sound to use.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Registers a connection whose queue holds at most `capacity` messages.
    pub fn connect(&self, capacity: usize) -> (Connection, mpsc::Receiver<HubMsg>) {
        let (tx, rx) = mpsc::channel(capacity.max(1));
        let id = {
            let mut inner = self.lock();
            inner.next_id += 1;
            inner.next_id
        };
        let connection = Connection {
            id,
            hub: self.clone(),
            mailbox: Arc::new(Mailbox {
                tx,
                lagged: Arc::new(Notify::new()),
            }),
            topics: HashSet::new(),
        };
        (connection, rx)
    }

    /// Hands `msg` to every follower of `topic`, here and on the other nodes, without
    /// waiting for any of them.
    pub fn publish(&self, topic: Topic, msg: HubMsg) {
        if self.remote.get().is_some() {
            self.publish_remote(topic, msg.clone());
        }
        self.publish_local(topic, msg);
    }

    /// Hands a committed fact to every follower, here and on the other nodes; when the bus
    /// is behind, waits for room rather than dropping it.
    pub async fn publish_committed(&self, topic: Topic, msg: HubMsg) {
        if let Some(tx) = self.remote.get() {
            let _ = tx.send(Outgoing::Msg(topic, msg.clone())).await;
        }
        self.publish_local(topic, msg);
    }

    /// Returns once the other nodes have been told everything published before (or the bus
    /// gave up, in which case their listeners resync when they reconnect): whoever is
    /// acknowledged after this knows every reader, on every node, will hear of it.
    pub async fn flushed(&self) {
        if let Some(tx) = self.remote.get() {
            let (done, told) = oneshot::channel();
            if tx.send(Outgoing::Flush(done)).await.is_ok() {
                let _ = told.await;
            }
        }
    }

    /// Sends every connection back to the store to resume (as when it falls behind): used
    /// when this node may have missed what the other nodes said.
    pub fn resync_all(&self) {
        let inner = self.lock();
        if let Some(everyone) = inner.topics.get(&Topic::Everyone) {
            for mailbox in everyone.values() {
                mailbox.lagged.notify_one();
            }
            self.resyncs.add(everyone.len() as u64);
        }
    }

    /// Hands `msg` to every follower of `topic` on this node only.
    pub fn publish_local(&self, topic: Topic, msg: HubMsg) {
        let mut inner = self.lock();
        let Some(followers) = inner.topics.get_mut(&topic) else {
            return;
        };
        followers.retain(|_, mailbox| match mailbox.tx.try_send(msg.clone()) {
            Ok(()) => true,
            Err(mpsc::error::TrySendError::Full(_)) => {
                mailbox.lagged.notify_one();
                self.dropped.add(1);
                self.resyncs.add(1);
                // It will resume from the store; sending it more now would only be dropped.
                false
            }
            Err(mpsc::error::TrySendError::Closed(_)) => false,
        });
        if followers.is_empty() {
            inner.topics.remove(&topic);
        }
    }

    /// How many connections follow `topic`.
    pub fn followers(&self, topic: Topic) -> usize {
        self.lock().topics.get(&topic).map_or(0, HashMap::len)
    }
}

/// One connection's membership in the hub; dropping it unsubscribes from everything.
pub struct Connection {
    id: u64,
    hub: Hub,
    mailbox: Arc<Mailbox>,
    topics: HashSet<Topic>,
}

impl Connection {
    /// Starts receiving what is published on `topic`.
    pub fn subscribe(&mut self, topic: Topic) {
        if self.topics.insert(topic) {
            self.hub
                .lock()
                .topics
                .entry(topic)
                .or_default()
                .insert(self.id, self.mailbox.clone());
        }
    }

    /// Stops receiving `topic`.
    pub fn unsubscribe(&mut self, topic: Topic) {
        if self.topics.remove(&topic) {
            let mut inner = self.hub.lock();
            if let Some(followers) = inner.topics.get_mut(&topic) {
                followers.remove(&self.id);
                if followers.is_empty() {
                    inner.topics.remove(&topic);
                }
            }
        }
    }

    /// This connection's number, unique in this hub.
    pub fn id(&self) -> u64 {
        self.id
    }

    /// Whether this connection follows `topic`.
    pub fn follows(&self, topic: Topic) -> bool {
        self.topics.contains(&topic)
    }

    /// Signalled when the hub finds this connection's queue full. A signal sent while nobody
    /// waits is kept for the next `notified()`.
    pub fn lag_signal(&self) -> Arc<Notify> {
        self.mailbox.lagged.clone()
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        let mut inner = self.hub.lock();
        for topic in self.topics.drain() {
            if let Some(followers) = inner.topics.get_mut(&topic) {
                followers.remove(&self.id);
                if followers.is_empty() {
                    inner.topics.remove(&topic);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::TicketScope;
    use app::protocol::{EventKind, Seq};
    use std::time::Duration;

    fn event(seq: i64) -> HubMsg {
        HubMsg::Event(Arc::new(StoredEvent {
            scope: TicketScope {
                id: TicketId(1),
                member_id: UserId(1),
                department_id: DepartmentId(1),
            },
            seq: Seq(seq),
            public_seq: Some(Seq(seq)),
            at: 0,
            author: None,
            kind: EventKind::Message {
                body: "x".into(),
                client_msg_id: None,
                attachments: Vec::new(),
                mail: None,
            },
            ref_public_seq: None,
            notified: Vec::new(),
        }))
    }

    #[tokio::test]
    async fn a_full_queue_marks_only_that_connection_lagged() {
        let hub = Hub::new();
        let topic = Topic::Ticket(TicketId(1));
        let (mut slow, _slow_rx) = hub.connect(2);
        let (mut fast, mut fast_rx) = hub.connect(16);
        slow.subscribe(topic);
        fast.subscribe(topic);
        for seq in 1..=3 {
            hub.publish(topic, event(seq));
        }
        tokio::time::timeout(Duration::from_secs(1), slow.lag_signal().notified())
            .await
            .expect("the slow connection is told it lagged");
        assert_eq!(
            hub.followers(topic),
            1,
            "the slow connection was dropped from the topic"
        );
        for seq in 1..=3 {
            match fast_rx.recv().await {
                Some(HubMsg::Event(ev)) => assert_eq!(ev.seq, Seq(seq)),
                other => panic!("expected event {seq}, got {other:?}"),
            }
        }
    }

    #[test]
    fn dropping_a_connection_unsubscribes_it() {
        let hub = Hub::new();
        let topic = Topic::Inbox(UserId(3));
        let (mut conn, _rx) = hub.connect(4);
        conn.subscribe(topic);
        assert!(conn.follows(topic));
        assert_eq!(hub.followers(topic), 1);
        drop(conn);
        assert_eq!(hub.followers(topic), 0);
    }
}
