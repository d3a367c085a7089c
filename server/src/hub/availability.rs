//! Staff availability: online while a screen of theirs is connected and in use, away when
//! they say so (the browser says it by itself after a while without input), offline with no
//! screen left. Kept per node like presence; with several nodes each re-says its own staff
//! every few seconds, and a silent node's are forgotten after the time-to-live.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex, MutexGuard},
};

use app::protocol::{Availability, DepartmentId, Person, StaffStatus};

#[derive(Debug, Clone)]
struct Screen {
    person: Person,
    departments: Vec<DepartmentId>,
    away: bool,
}

#[derive(Default)]
struct Inner {
    local: HashMap<u64, Screen>,
    remote: HashMap<u64, (Vec<StaffStatus>, i64)>,
    shown: Vec<StaffStatus>,
}

impl Inner {
    fn local(&self) -> Vec<StaffStatus> {
        merge(self.local.values().map(|s| StaffStatus {
            person: s.person.clone(),
            departments: s.departments.clone(),
            availability: if s.away {
                Availability::Away
            } else {
                Availability::Online
            },
        }))
    }

    fn all(&self) -> Vec<StaffStatus> {
        merge(
            self.local()
                .into_iter()
                .chain(self.remote.values().flat_map(|(s, _)| s.iter().cloned())),
        )
    }

    fn changed(&mut self) -> Option<Vec<StaffStatus>> {
        let all = self.all();
        if all == self.shown {
            return None;
        }
        self.shown = all.clone();
        Some(all)
    }
}

/// One line per person, by name: online on any screen is online.
fn merge(all: impl Iterator<Item = StaffStatus>) -> Vec<StaffStatus> {
    let mut by_person: Vec<StaffStatus> = Vec::new();
    for one in all {
        match by_person.iter_mut().find(|s| s.person.id == one.person.id) {
            Some(s) => s.availability = s.availability.min(one.availability),
            None => by_person.push(one),
        }
    }
    by_person.sort_by(|a, b| (&a.person.name, a.person.id).cmp(&(&b.person.name, b.person.id)));
    by_person
}

/// The availability registry; cheap to clone.
#[derive(Clone, Default)]
pub struct Staff {
    inner: Arc<Mutex<Inner>>,
}

impl Staff {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A screen of staff opened (or changed departments); the new list when it changed.
    pub fn connect(
        &self,
        conn: u64,
        person: Person,
        departments: Vec<DepartmentId>,
    ) -> Option<Vec<StaffStatus>> {
        let mut inner = self.lock();
        let away = inner.local.get(&conn).is_some_and(|s| s.away);
        inner.local.insert(
            conn,
            Screen {
                person,
                departments,
                away,
            },
        );
        inner.changed()
    }

    /// A screen says its person is away (or back).
    pub fn set_away(&self, conn: u64, away: bool) -> Option<Vec<StaffStatus>> {
        let mut inner = self.lock();
        inner.local.get_mut(&conn)?.away = away;
        inner.changed()
    }

    /// A screen closed.
    pub fn leave(&self, conn: u64) -> Option<Vec<StaffStatus>> {
        let mut inner = self.lock();
        inner.local.remove(&conn)?;
        inner.changed()
    }

    /// What another node said of its staff.
    pub fn remote(&self, node: u64, staff: Vec<StaffStatus>, now: i64) -> Option<Vec<StaffStatus>> {
        let mut inner = self.lock();
        if staff.is_empty() {
            inner.remote.remove(&node);
        } else {
            inner.remote.insert(node, (staff, now));
        }
        inner.changed()
    }

    /// Forgets nodes silent for longer than `ttl_ms`.
    pub fn sweep(&self, now: i64, ttl_ms: i64) -> Option<Vec<StaffStatus>> {
        let mut inner = self.lock();
        inner.remote.retain(|_, (_, seen)| now - *seen <= ttl_ms);
        inner.changed()
    }

    /// Everyone available now, on every node.
    pub fn all(&self) -> Vec<StaffStatus> {
        self.lock().all()
    }

    /// This node's staff, for re-saying them to the other nodes.
    pub fn local(&self) -> Vec<StaffStatus> {
        self.lock().local()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hub::presence::tests::olga;

    #[test]
    fn online_on_any_screen_away_on_all_offline_on_none() {
        let staff = Staff::default();
        let list = staff
            .connect(1, olga(), vec![DepartmentId(1)])
            .expect("changed");
        assert_eq!(list[0].availability, Availability::Online);
        assert!(staff.connect(2, olga(), vec![DepartmentId(1)]).is_none());
        assert!(
            staff.set_away(1, true).is_none(),
            "still online on screen 2"
        );
        let list = staff.set_away(2, true).expect("changed");
        assert_eq!(list[0].availability, Availability::Away);
        assert!(staff.leave(1).is_none());
        assert_eq!(staff.leave(2), Some(Vec::new()));
    }

    #[test]
    fn another_nodes_staff_count_until_it_falls_silent() {
        let staff = Staff::default();
        let theirs = vec![StaffStatus {
            person: olga(),
            departments: vec![DepartmentId(1)],
            availability: Availability::Online,
        }];
        assert!(staff.remote(7, theirs, 0).is_some());
        assert_eq!(staff.all().len(), 1);
        assert!(staff.sweep(10_000, 15_000).is_none());
        assert_eq!(staff.sweep(15_001, 15_000), Some(Vec::new()));
    }
}
