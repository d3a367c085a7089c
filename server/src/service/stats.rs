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
        let contacts = self.store.stats_contacts(&q).await?;
        let mut departments = self.store.me(viewer).await?.departments;
        if !viewer.sees_all_departments() {
            departments.retain(|d| viewer.departments.contains(&d.id));
        }
        Ok(Statistics {
            range: range.clone(),
            departments,
            contacts: contacts.channels,
            call_reasons: self.store.stats_call_reasons(&q).await?,
            categories: contacts.categories,
            criticality: contacts.criticality,
            times: self.store.stats_times(&q).await?,
            operators: self.store.stats_operators(&q).await?,
            ratings: self.store.stats_ratings(&q).await?,
            open_by_age: self.store.stats_open_by_age(&q, now()).await?,
            own_only: scope.own.is_some(),
        })
    }
}
