//! Statistics over a range of days, for the page, its CSV files, the API and the socket.

use app::protocol::{Statistics, StatsRange};
use tracing::instrument;

use super::{Desk, Result};
use crate::{
    clock::now,
    domain::{self, Reason, Viewer},
    store::StatsQuery,
};

impl Desk {
    /// The figures of `range` that `viewer` may read (see [`domain::statistics_scope`]).
    #[instrument(skip_all, fields(user_id = %viewer.id))]
    pub async fn statistics(&self, viewer: &Viewer, range: &StatsRange) -> Result<Statistics> {
        let scope = domain::statistics_scope(viewer, &range.departments)?;
        let Some((from, to)) = range.bounds() else {
            return Err(domain::Error::Invalid {
                field: "range",
                reason: Reason::new("invalid-stats-range"),
            }
            .into());
        };
        let q = StatsQuery {
            from,
            to,
            scope: &scope,
            channels: &range.channels,
        };
        // Each figure is its own read: they run side by side on the pool's connections.
        let store = &self.store;
        let (contacts, call_reasons, times, operators, ratings, open_by_age, mut departments) = tokio::try_join!(
            store.stats_contacts(&q),
            store.stats_call_reasons(&q),
            store.stats_times(&q),
            store.stats_operators(&q),
            store.stats_ratings(&q),
            store.stats_open_by_age(&q, now()),
            store.departments(),
        )?;
        if !viewer.sees_all_departments() {
            departments.retain(|d| viewer.departments.contains(&d.id));
        }
        Ok(Statistics {
            range: range.clone(),
            departments,
            contacts: contacts.channels,
            call_reasons,
            categories: contacts.categories,
            criticality: contacts.criticality,
            times,
            operators,
            ratings,
            open_by_age,
            own_only: scope.own.is_some(),
        })
    }
}
