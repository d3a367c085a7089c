//! Statistics over a range of days, for the page, its CSV files, the API and the socket.

use app::protocol::{Statistics, StatsRange};
use tracing::instrument;

use super::{Desk, Result};
use crate::{
    clock::now,
    domain::{self, Reason, Viewer},
    store::StatsQuery,
};

/// A part of the statistics, read on its own: a CSV file of one table reads only its part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// Contacts by channel, category and criticality.
    Contacts,
    CallReasons,
    Times,
    Operators,
    Ratings,
    OpenByAge,
}

impl Part {
    pub const ALL: [Part; 6] = [
        Part::Contacts,
        Part::CallReasons,
        Part::Times,
        Part::Operators,
        Part::Ratings,
        Part::OpenByAge,
    ];

    /// The part a table of [`app::stats::tables`] is drawn from, by its id.
    pub fn of_table(id: &str) -> Option<Part> {
        Some(match id {
            "contacts" | "categories" | "criticality" => Part::Contacts,
            "call_reasons" => Part::CallReasons,
            "times" => Part::Times,
            "operators" => Part::Operators,
            "ratings" => Part::Ratings,
            "open_by_age" => Part::OpenByAge,
            _ => return None,
        })
    }
}

/// `read`'s figures when they are `wanted`; nothing (and no query) otherwise.
async fn read_if<T: Default, E>(
    wanted: bool,
    read: impl Future<Output = Result<T, E>>,
) -> Result<T, E> {
    if wanted { read.await } else { Ok(T::default()) }
}

impl Desk {
    /// The figures of `range` that `viewer` may read (see [`domain::statistics_scope`]).
    pub async fn statistics(&self, viewer: &Viewer, range: &StatsRange) -> Result<Statistics> {
        self.statistics_of(viewer, range, &Part::ALL).await
    }

    /// The `parts` of the figures of `range` that `viewer` may read; the others are empty.
    #[instrument(skip_all, fields(user_id = %viewer.id))]
    pub async fn statistics_of(
        &self,
        viewer: &Viewer,
        range: &StatsRange,
        parts: &[Part],
    ) -> Result<Statistics> {
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
        let wants = |part| parts.contains(&part);
        let (contacts, call_reasons, times, operators, ratings, open_by_age, mut departments) = tokio::try_join!(
            read_if(wants(Part::Contacts), store.stats_contacts(&q)),
            read_if(wants(Part::CallReasons), store.stats_call_reasons(&q)),
            read_if(wants(Part::Times), store.stats_times(&q)),
            read_if(wants(Part::Operators), store.stats_operators(&q)),
            read_if(wants(Part::Ratings), store.stats_ratings(&q)),
            read_if(wants(Part::OpenByAge), store.stats_open_by_age(&q, now())),
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

#[cfg(test)]
mod tests {
    use app::{i18n::Lang, protocol::Statistics, stats};

    use super::Part;

    #[test]
    fn every_table_is_read_by_a_part() {
        for table in stats::tables(&Statistics::default(), Lang::En) {
            assert!(Part::of_table(table.id).is_some(), "{}", table.id);
        }
        assert_eq!(Part::of_table("nothing"), None);
    }
}
