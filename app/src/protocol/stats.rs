//! Statistics: what the desk did over a range of days — contacts, times, each colleague's
//! work, ratings — and the tickets open now, as the statistics page and its CSV files show.

use serde::{Deserialize, Serialize};
#[cfg(feature = "ssr")]
use utoipa::ToSchema;

use super::{Channel, DepartmentId, Millis, Person};

/// Longest range, in days (a little over a year).
pub const MAX_STATS_DAYS: i64 = 400;

/// The figures asked for: a range of days in the asker's time zone, departments, channels.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct StatsRange {
    /// The first day, `YYYY-MM-DD`.
    pub from: String,
    /// The last day, included, `YYYY-MM-DD`.
    pub to: String,
    /// Minutes east of UTC of the days' zone (Moscow: 180).
    #[serde(default)]
    pub offset: i32,
    /// Departments counted; none: every one the asker may see.
    #[serde(default)]
    pub departments: Vec<DepartmentId>,
    /// Channels counted in the ticket figures; none: every channel.
    #[serde(default)]
    pub channels: Vec<Channel>,
}

impl StatsRange {
    /// The last `days` days up to `now`'s day, in the zone `offset` minutes east of UTC.
    pub fn last_days(now: Millis, days: i64, offset: i32) -> StatsRange {
        let today = (now + i64::from(offset) * 60_000).div_euclid(DAY_MS);
        StatsRange {
            from: date_of_day(today - days + 1),
            to: date_of_day(today),
            offset,
            departments: Vec::new(),
            channels: Vec::new(),
        }
    }

    /// Where the range starts and where it ends (exclusive), in milliseconds since the epoch;
    /// `None` for an unreadable day, a start after the end, or a range over
    /// [`MAX_STATS_DAYS`].
    pub fn bounds(&self) -> Option<(Millis, Millis)> {
        let from = day_of_date(&self.from)?;
        let to = day_of_date(&self.to)? + 1;
        if to <= from || to - from > MAX_STATS_DAYS || self.offset.abs() > 14 * 60 {
            return None;
        }
        let shift = i64::from(self.offset) * 60_000;
        Some((from * DAY_MS - shift, to * DAY_MS - shift))
    }

    /// The range as a query string (`from=…&to=…&offset=…&department=…&channel=…`), which
    /// the page's form sends and the API reads.
    pub fn to_query(&self) -> String {
        let mut parts = vec![
            format!("from={}", self.from),
            format!("to={}", self.to),
            format!("offset={}", self.offset),
        ];
        parts.extend(
            self.departments
                .iter()
                .map(|d| format!("department={}", d.0)),
        );
        parts.extend(
            self.channels
                .iter()
                .map(|c| format!("channel={}", c.as_str())),
        );
        parts.join("&")
    }

    /// Reads a range from query pairs (repeated `department` and `channel` add up); what is
    /// missing is taken from `default`.
    pub fn from_pairs<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
        default: StatsRange,
    ) -> StatsRange {
        let mut range = default;
        let (mut departments, mut channels) = (Vec::new(), Vec::new());
        for (key, value) in pairs {
            match key {
                "from" if !value.is_empty() => range.from = value.to_owned(),
                "to" if !value.is_empty() => range.to = value.to_owned(),
                "offset" => range.offset = value.parse().unwrap_or(range.offset),
                "department" => departments.extend(value.parse().ok().map(DepartmentId)),
                "channel" => channels.extend(Channel::parse(value)),
                _ => {}
            }
        }
        departments.sort();
        departments.dedup();
        channels.sort_by_key(|c| c.as_str());
        channels.dedup();
        range.departments = departments;
        range.channels = channels;
        range
    }
}

const DAY_MS: i64 = 86_400_000;

/// The day number (days since 1970-01-01) of `YYYY-MM-DD`.
pub fn day_of_date(date: &str) -> Option<i64> {
    let mut parts = date.splitn(3, '-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let (y, m, d): (i64, i64, i64) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    if !(1970..=9999).contains(&y) || !(1..=12).contains(&m) || d < 1 || d > days_in(y, m) {
        return None;
    }
    // Days from civil (proleptic Gregorian), with years starting in March.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// `YYYY-MM-DD` of a day number.
pub fn date_of_day(day: i64) -> String {
    let z = day + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

fn days_in(year: i64, month: i64) -> i64 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// One line of a count: what (`key`: a channel's wire name, an option's id, a fixed word;
/// `label`: a name people gave it, when it has one) and how many.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct Tally {
    pub key: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    pub count: i64,
}

/// How long something took, over the tickets it happened to: nearest-rank median and 90th
/// percentile, in milliseconds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct Timing {
    /// `first_response`, `resolution` or `queue_wait`.
    pub key: String,
    /// Tickets it is measured over.
    pub count: i64,
    pub median_ms: Option<Millis>,
    pub p90_ms: Option<Millis>,
}

/// One colleague's work over the range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct OperatorLoad {
    pub person: Person,
    /// Tickets they took or were handed.
    pub taken: i64,
    pub messages: i64,
    pub notes: i64,
    /// How long they held tickets (holds that ended in the range).
    pub held_ms: Millis,
    /// Ratings of answers they gave last before the rating.
    pub ratings: i64,
}

/// The figures of a range.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct Statistics {
    /// The range they are for, as the server read it.
    pub range: StatsRange,
    /// The departments the asker may choose among.
    pub departments: Vec<super::Department>,
    /// Tickets created, by channel.
    pub contacts: Vec<Tally>,
    /// Calls that rang, by how they ended (`abandoned`: the caller gave up; `none`: no
    /// reason yet).
    pub call_reasons: Vec<Tally>,
    /// Tickets created, by category (`none`: without one).
    pub categories: Vec<Tally>,
    /// Tickets created, by criticality (`none`: without one).
    pub criticality: Vec<Tally>,
    /// Of the tickets created: to the first answer, to the first close, to the first take.
    pub times: Vec<Timing>,
    /// Each colleague's work, busiest first (an operator sees only their own).
    pub operators: Vec<OperatorLoad>,
    /// Ratings given, by mark.
    pub ratings: Vec<Tally>,
    /// Tickets open now, by how long ago they were created (`hour`, `day`, `days3`,
    /// `week`, `older`).
    pub open_by_age: Vec<Tally>,
    /// Only the asker's own line is in `operators`.
    pub own_only: bool,
}

/// The statistics page as the server hands it over: the range asked for, and its figures or
/// why there are none.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct StatsPage {
    pub range: StatsRange,
    #[serde(default)]
    pub figures: Option<Statistics>,
    /// The refusal, worded for the reader.
    #[serde(default)]
    pub error: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_and_dates_agree() {
        assert_eq!(day_of_date("1970-01-01"), Some(0));
        assert_eq!(day_of_date("2025-03-10"), Some(20_157));
        assert_eq!(date_of_day(20_157), "2025-03-10");
        assert_eq!(
            day_of_date("2024-02-29").map(date_of_day).as_deref(),
            Some("2024-02-29")
        );
        for bad in [
            "2025-02-29",
            "2025-13-01",
            "2025-3-1",
            "x",
            "2025-03-10T00",
            "",
        ] {
            assert_eq!(day_of_date(bad), None, "{bad}");
        }
        for day in (0..30_000).step_by(97) {
            assert_eq!(day_of_date(&date_of_day(day)), Some(day));
        }
    }

    #[test]
    fn a_range_is_days_in_the_readers_zone() {
        let range = StatsRange {
            from: "2025-03-10".into(),
            to: "2025-03-11".into(),
            offset: 180,
            ..StatsRange::default()
        };
        // 10 March 00:00 in Moscow is 9 March 21:00 UTC; two whole days.
        assert_eq!(range.bounds(), Some((1_741_554_000_000, 1_741_726_800_000)));
        let backwards = StatsRange {
            from: "2025-03-12".into(),
            ..range.clone()
        };
        assert_eq!(backwards.bounds(), None);
        let read = StatsRange::from_pairs(
            [
                ("from", "2025-03-10"),
                ("department", "2"),
                ("channel", "form"),
                ("department", "1"),
                ("channel", "fax"),
            ],
            range.clone(),
        );
        assert_eq!(read.departments, [DepartmentId(1), DepartmentId(2)]);
        assert_eq!(read.channels, [Channel::Form]);
        assert_eq!(
            StatsRange::from_pairs(
                read.to_query().split('&').filter_map(|p| p.split_once('=')),
                StatsRange::default()
            ),
            read
        );
        let last = StatsRange::last_days(1_741_554_000_000, 7, 180);
        assert_eq!(
            (last.from.as_str(), last.to.as_str()),
            ("2025-03-04", "2025-03-10")
        );
    }
}
