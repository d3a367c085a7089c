//! Live presence: who has which ticket open, and whether they are viewing, replying or
//! typing. Kept in memory per node; every screen refreshes its presence every few seconds,
//! and one that falls silent longer than the time-to-live (a closed laptop, a lost network,
//! a killed process) is swept away. A closed socket leaves at once.
//!
//! With several nodes, each node also holds what the others last said of their own screens
//! (`remote`, by node); a node re-says its screens every few seconds, so a node that dies
//! is forgotten after the same time-to-live.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex, MutexGuard},
};

use app::protocol::{Person, PresenceMode, Present, TicketId};

use crate::domain::TicketScope;

/// How long a typing signal shows, in milliseconds.
pub const TYPING_MS: i64 = 4_000;

/// One ticket's presence as it now stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    pub scope: TicketScope,
    /// Everyone, on every node.
    pub present: Vec<Present>,
    /// This node's screens only: what it tells the other nodes.
    pub local: Vec<Present>,
}

#[derive(Debug, Clone)]
struct Entry {
    person: Person,
    mode: PresenceMode,
    typing_until: i64,
    seen: i64,
}

#[derive(Debug)]
struct Ticket {
    scope: TicketScope,
    /// By connection: one person may have the ticket open on several screens.
    entries: HashMap<u64, Entry>,
    /// What other nodes last said of their screens, by node, and when.
    remote: HashMap<u64, (Vec<Present>, i64)>,
    /// What was last announced, to announce only changes.
    shown: Vec<Present>,
}

impl Ticket {
    fn new(scope: TicketScope) -> Self {
        Ticket {
            scope,
            entries: HashMap::new(),
            remote: HashMap::new(),
            shown: Vec::new(),
        }
    }

    /// This node's screens, one line per person: replying wins over viewing, typing
    /// anywhere is typing.
    fn local(&self, now: i64) -> Vec<Present> {
        merge(self.entries.values().map(|entry| Present {
            person: entry.person.clone(),
            mode: entry.mode,
            typing: entry.typing_until > now,
        }))
    }

    /// Everyone, on every node.
    fn present(&self, now: i64) -> Vec<Present> {
        merge(
            self.local(now)
                .into_iter()
                .chain(self.remote.values().flat_map(|(p, _)| p.iter().cloned())),
        )
    }

    fn is_empty(&self) -> bool {
        self.entries.is_empty() && self.remote.is_empty()
    }

    fn snapshot(&self, now: i64) -> Snapshot {
        Snapshot {
            scope: self.scope,
            present: self.present(now),
            local: self.local(now),
        }
    }

    /// The snapshot, if it differs from the one last shown.
    fn changed(&mut self, now: i64) -> Option<Snapshot> {
        let snapshot = self.snapshot(now);
        if snapshot.present == self.shown {
            return None;
        }
        self.shown = snapshot.present.clone();
        Some(snapshot)
    }
}

/// One line per person, by name.
fn merge(all: impl Iterator<Item = Present>) -> Vec<Present> {
    let mut by_person: Vec<Present> = Vec::new();
    for one in all {
        match by_person.iter_mut().find(|p| p.person.id == one.person.id) {
            Some(p) => {
                p.mode = p.mode.max(one.mode);
                p.typing |= one.typing;
            }
            None => by_person.push(one),
        }
    }
    by_person.sort_by(|a, b| (&a.person.name, a.person.id).cmp(&(&b.person.name, b.person.id)));
    by_person
}

/// The presence registry; cheap to clone.
#[derive(Clone, Default)]
pub struct Presence {
    tickets: Arc<Mutex<HashMap<TicketId, Ticket>>>,
}

impl Presence {
    fn lock(&self) -> MutexGuard<'_, HashMap<TicketId, Ticket>> {
        // Every change is a single insert or remove: a poisoned lock is still sound.
        self.tickets.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Connection `conn` of `person` has `scope` open in `mode`; the new snapshot when what
    /// others see changed.
    pub fn update(
        &self,
        scope: TicketScope,
        conn: u64,
        person: Person,
        mode: PresenceMode,
        typing: bool,
        now: i64,
    ) -> Option<Snapshot> {
        let mut tickets = self.lock();
        let ticket = tickets
            .entry(scope.id)
            .or_insert_with(|| Ticket::new(scope));
        ticket.scope = scope;
        let entry = ticket.entries.entry(conn).or_insert(Entry {
            person,
            mode,
            typing_until: 0,
            seen: now,
        });
        entry.mode = mode;
        entry.seen = now;
        if typing {
            entry.typing_until = now + TYPING_MS;
        } else if mode == PresenceMode::Viewing {
            entry.typing_until = 0;
        }
        ticket.changed(now)
    }

    /// Connection `conn` closed ticket `id`.
    pub fn leave(&self, id: TicketId, conn: u64, now: i64) -> Option<Snapshot> {
        let mut tickets = self.lock();
        let ticket = tickets.get_mut(&id)?;
        ticket.entries.remove(&conn)?;
        let changed = ticket.changed(now);
        if ticket.is_empty() {
            tickets.remove(&id);
        }
        changed
    }

    /// Node `node` said what its screens do on a ticket (an empty list: none any more); the
    /// merged snapshot when it changed.
    pub fn remote(
        &self,
        scope: TicketScope,
        node: u64,
        present: Vec<Present>,
        now: i64,
    ) -> Option<Snapshot> {
        let mut tickets = self.lock();
        let ticket = tickets
            .entry(scope.id)
            .or_insert_with(|| Ticket::new(scope));
        if present.is_empty() {
            ticket.remote.remove(&node);
        } else {
            ticket.remote.insert(node, (present, now));
        }
        let changed = ticket.changed(now);
        if ticket.is_empty() {
            tickets.remove(&scope.id);
        }
        changed
    }

    /// This node's screens on every ticket, for re-saying them to the other nodes.
    pub fn local_all(&self, now: i64) -> Vec<Snapshot> {
        self.lock()
            .values()
            .filter(|t| !t.entries.is_empty())
            .map(|t| t.snapshot(now))
            .collect()
    }

    /// Connection `conn` is gone: it leaves every ticket.
    pub fn leave_all(&self, conn: u64, now: i64) -> Vec<Snapshot> {
        let ids: Vec<TicketId> = self
            .lock()
            .iter()
            .filter(|(_, t)| t.entries.contains_key(&conn))
            .map(|(id, _)| *id)
            .collect();
        ids.into_iter()
            .filter_map(|id| self.leave(id, conn, now))
            .collect()
    }

    /// Drops screens silent for longer than `ttl_ms` and typing signals that ran out; the
    /// snapshots that changed.
    pub fn sweep(&self, now: i64, ttl_ms: i64) -> Vec<Snapshot> {
        let mut tickets = self.lock();
        let mut changed = Vec::new();
        tickets.retain(|_, ticket| {
            ticket.entries.retain(|_, e| now - e.seen <= ttl_ms);
            ticket.remote.retain(|_, (_, seen)| now - *seen <= ttl_ms);
            changed.extend(ticket.changed(now));
            !ticket.is_empty()
        });
        changed
    }

    /// The present snapshot of one ticket.
    pub fn of(&self, id: TicketId, now: i64) -> Option<Snapshot> {
        self.lock().get(&id).map(|t| t.snapshot(now))
    }

    /// Every ticket someone has open.
    pub fn all(&self, now: i64) -> Vec<Snapshot> {
        self.lock().values().map(|t| t.snapshot(now)).collect()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use app::protocol::{DepartmentId, Role, UserId};

    const SCOPE: TicketScope = TicketScope {
        id: TicketId(1),
        member_id: UserId(9),
        department_id: DepartmentId(2),
    };

    /// An operator, for the tests here and of `availability`.
    pub(crate) fn olga() -> Person {
        Person {
            id: UserId(3),
            name: "Olga".into(),
            role: Role::Operator,
        }
    }

    #[test]
    fn two_screens_of_one_person_show_once_and_leave_separately() {
        let p = Presence::default();
        let first = p.update(SCOPE, 1, olga(), PresenceMode::Viewing, false, 0);
        assert_eq!(first.map(|s| s.present.len()), Some(1));
        // A second tab replying: one line, replying.
        let second = p
            .update(SCOPE, 2, olga(), PresenceMode::Replying, true, 10)
            .expect("changed");
        assert_eq!(second.present.len(), 1);
        assert_eq!(second.present[0].mode, PresenceMode::Replying);
        assert!(second.present[0].typing);
        // A refresh that changes nothing announces nothing.
        assert_eq!(
            p.update(SCOPE, 1, olga(), PresenceMode::Viewing, false, 20),
            None
        );
        // Typing runs out; the replying tab closes; then the last one.
        let quiet = p.sweep(10 + TYPING_MS + 1, 60_000);
        assert!(!quiet[0].present[0].typing);
        let left = p.leave(SCOPE.id, 2, 30).expect("changed");
        assert_eq!(left.present[0].mode, PresenceMode::Viewing);
        let gone = p.leave_all(1, 40);
        assert_eq!(gone[0].present, Vec::new());
        assert!(p.all(50).is_empty());
    }

    #[test]
    fn a_silent_screen_is_swept_away() {
        let p = Presence::default();
        p.update(SCOPE, 1, olga(), PresenceMode::Viewing, false, 0);
        assert!(p.sweep(5_000, 10_000).is_empty());
        let swept = p.sweep(10_001, 10_000);
        assert_eq!(swept.len(), 1);
        assert!(swept[0].present.is_empty());
        assert!(p.of(SCOPE.id, 10_002).is_none());
    }
}
