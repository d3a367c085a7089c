//! A member's places in line: written after their inbox's snapshot, and again when the
//! lines their tickets wait in move (any change of a ticket in those departments, here or
//! on another node, or of their own tickets) — read at most once a second, written only
//! when they changed, and read again now and then while a ticket waits, as its estimate
//! shrinks with time.

use std::collections::HashSet;
use std::time::Duration;

use app::protocol::{DepartmentId, Event, QueuePlace};
use tokio::time::Instant;
use tracing::warn;

use super::{Conn, Sent};
use crate::hub;

/// Least time between two readings of the places.
const MIN_GAP: Duration = Duration::from_secs(1);
/// How often waiting places are read again though nothing moved (their estimates age).
const REFRESH: Duration = Duration::from_secs(30);
/// How long after a failed reading the next one comes.
const RETRY: Duration = Duration::from_secs(5);

/// What a member's socket knows of their places.
pub(super) struct Places {
    /// As last written (`None`: not yet).
    shown: Option<Vec<QueuePlace>>,
    /// The departments whose lines are followed.
    lines: HashSet<DepartmentId>,
    /// When to read them again (`None`: nothing moved).
    due: Option<Instant>,
    last: Instant,
}

/// Waits until the places are due to be read again (forever when they are not).
pub(super) async fn due(places: Option<&Places>) {
    match places.and_then(|p| p.due) {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

impl Conn {
    /// A member followed their inbox: their places now, and as they move.
    pub(super) async fn follow_places(&mut self) -> Sent {
        self.places = Some(Places {
            shown: None,
            lines: HashSet::new(),
            due: None,
            last: Instant::now(),
        });
        self.write_places().await
    }

    /// No longer following: the lines are let go.
    pub(super) fn unfollow_places(&mut self) {
        if let Some(places) = self.places.take() {
            for line in places.lines {
                self.hub.unsubscribe(hub::Topic::Waiting(line));
            }
        }
    }

    /// A line this member waits in (or one of their tickets) changed: read the places soon.
    pub(super) fn places_moved(&mut self) {
        if let Some(places) = self.places.as_mut() {
            let soonest = (places.last + MIN_GAP).max(Instant::now());
            places.due = Some(places.due.map_or(soonest, |due| due.min(soonest)));
        }
    }

    /// At a heartbeat: places still waiting are read again now and then.
    pub(super) fn places_aging(&mut self) {
        if let Some(places) = self.places.as_mut()
            && places.shown.as_ref().is_some_and(|p| !p.is_empty())
            && places.last.elapsed() >= REFRESH
        {
            places.due.get_or_insert_with(Instant::now);
        }
    }

    /// Reads the places, follows the lines they are in, and writes them if they changed.
    pub(super) async fn write_places(&mut self) -> Sent {
        let Some(mut places) = self.places.take() else {
            return Ok(());
        };
        places.due = None;
        places.last = Instant::now();
        let read = self.state.desk.queue_places(&self.viewer).await;
        let fresh = match read {
            Ok(fresh) => fresh,
            Err(err) => {
                warn!(error = %err, "could not read the places in line");
                places.due = Some(Instant::now() + RETRY);
                self.places = Some(places);
                return Ok(());
            }
        };
        let lines: HashSet<DepartmentId> = fresh.iter().map(|p| p.department_id).collect();
        for line in lines.difference(&places.lines) {
            self.hub.subscribe(hub::Topic::Waiting(*line));
        }
        for line in places.lines.difference(&lines) {
            self.hub.unsubscribe(hub::Topic::Waiting(*line));
        }
        places.lines = lines;
        let changed = places.shown.as_ref() != Some(&fresh);
        if changed {
            places.shown = Some(fresh.clone());
        }
        self.places = Some(places);
        if changed {
            self.send(&Event::QueuePlaces { places: fresh }).await
        } else {
            Ok(())
        }
    }
}
