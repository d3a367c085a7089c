//! The statistics as tables: what the page draws (each table with its chart) and what the CSV
//! files hold, worded in the reader's language from the same figures.

use crate::i18n::{Lang, t};
use crate::protocol::{Millis, Statistics, Tally, Timing};

/// One table of figures.
#[derive(Debug, Clone, PartialEq)]
pub struct StatTable {
    /// Its name in addresses and file names (`contacts`, `times`, …).
    pub id: &'static str,
    pub title: String,
    /// Column headings: the first names the rows.
    pub columns: Vec<String>,
    pub rows: Vec<StatRow>,
    /// The column (of `cells`) the chart draws.
    pub chart: usize,
}

/// A row: what it is about, then its figures.
#[derive(Debug, Clone, PartialEq)]
pub struct StatRow {
    pub label: String,
    pub cells: Vec<Cell>,
}

/// A figure.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell {
    Count(i64),
    /// A time, when there is one.
    Duration(Option<Millis>),
}

impl Cell {
    /// Its size on a chart.
    pub fn magnitude(self) -> i64 {
        match self {
            Cell::Count(n) => n,
            Cell::Duration(ms) => ms.unwrap_or(0),
        }
    }
}

/// Every table of `stats`, in the page's order.
pub fn tables(stats: &Statistics, lang: Lang) -> Vec<StatTable> {
    let tally = |id: &'static str,
                 head: &str,
                 unit: &str,
                 list: &[Tally],
                 word: &dyn Fn(&Tally) -> String| {
        StatTable {
            id,
            title: t!(lang, &format!("stats-{id}")),
            columns: vec![t!(lang, head), t!(lang, unit)],
            rows: list
                .iter()
                .map(|line| StatRow {
                    label: word(line),
                    cells: vec![Cell::Count(line.count)],
                })
                .collect(),
            chart: 0,
        }
    };
    let named = |line: &Tally| match &line.label {
        Some(label) => label.clone(),
        None => t!(lang, &format!("stats-{}", line.key)),
    };
    let channel = |line: &Tally| t!(lang, &format!("channel-{}", line.key));
    vec![
        tally(
            "contacts",
            "channel",
            "stats-tickets",
            &stats.contacts,
            &channel,
        ),
        tally(
            "call_reasons",
            "stats-reason",
            "stats-calls",
            &stats.call_reasons,
            &named,
        ),
        tally(
            "categories",
            "option-category",
            "stats-tickets",
            &stats.categories,
            &named,
        ),
        tally(
            "criticality",
            "option-criticality",
            "stats-tickets",
            &stats.criticality,
            &named,
        ),
        times(&stats.times, lang),
        operators(stats, lang),
        tally(
            "ratings",
            "stats-mark",
            "stats-ratings-count",
            &stats.ratings,
            &named,
        ),
        tally(
            "open_by_age",
            "stats-age",
            "stats-tickets",
            &stats.open_by_age,
            &named,
        ),
    ]
}

fn times(times: &[Timing], lang: Lang) -> StatTable {
    StatTable {
        id: "times",
        title: t!(lang, "stats-times"),
        columns: [
            "stats-measure",
            "stats-tickets",
            "stats-median",
            "stats-p90",
        ]
        .map(|k| t!(lang, k))
        .to_vec(),
        rows: times
            .iter()
            .map(|time| StatRow {
                label: t!(lang, &format!("stats-{}", time.key)),
                cells: vec![
                    Cell::Count(time.count),
                    Cell::Duration(time.median_ms),
                    Cell::Duration(time.p90_ms),
                ],
            })
            .collect(),
        chart: 1,
    }
}

fn operators(stats: &Statistics, lang: Lang) -> StatTable {
    StatTable {
        id: "operators",
        title: t!(lang, "stats-operators"),
        columns: [
            "stats-colleague",
            "stats-taken",
            "stats-messages",
            "stats-notes",
            "stats-held",
            "stats-ratings-count",
        ]
        .map(|k| t!(lang, k))
        .to_vec(),
        rows: stats
            .operators
            .iter()
            .map(|o| StatRow {
                label: o.person.name.clone(),
                cells: vec![
                    Cell::Count(o.taken),
                    Cell::Count(o.messages),
                    Cell::Count(o.notes),
                    Cell::Duration(Some(o.held_ms)),
                    Cell::Count(o.ratings),
                ],
            })
            .collect(),
        chart: 1,
    }
}

/// `table` as a CSV file for spreadsheets: UTF-8 with a byte-order mark (so Excel reads it
/// as UTF-8), CRLF line ends, times in whole seconds. A text cell that a spreadsheet would
/// take for a formula (starting `=`, `+`, `-`, `@`, a tab or a carriage return) is quoted
/// and led by an apostrophe, so it stays text.
pub fn to_csv(table: &StatTable, lang: Lang) -> String {
    let mut out = String::from('\u{feff}');
    let head: Vec<String> = table
        .columns
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let timed = i > 0
                && table
                    .rows
                    .first()
                    .is_some_and(|r| matches!(r.cells.get(i - 1), Some(Cell::Duration(_))));
            let name = if timed {
                t!(lang, "stats-in-seconds", column = name.clone())
            } else {
                name.clone()
            };
            csv_text(&name)
        })
        .collect();
    out.push_str(&head.join(","));
    out.push_str("\r\n");
    for row in &table.rows {
        let mut line = vec![csv_text(&row.label)];
        line.extend(row.cells.iter().map(|cell| match cell {
            Cell::Count(n) => n.to_string(),
            Cell::Duration(Some(ms)) => (ms / 1000).to_string(),
            Cell::Duration(None) => String::new(),
        }));
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}

/// A text cell of a CSV file.
pub fn csv_text(text: &str) -> String {
    let formula = text.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let text = if formula {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if formula || text.contains([',', '"', '\n', '\r', ';']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_a_spreadsheet_would_run_stays_text() {
        assert_eq!(csv_text("=1+2"), "\"'=1+2\"");
        assert_eq!(csv_text("+7 900"), "\"'+7 900\"");
        assert_eq!(csv_text("-cmd"), "\"'-cmd\"");
        assert_eq!(csv_text("@SUM(A1)"), "\"'@SUM(A1)\"");
        assert_eq!(csv_text("\t=x"), "\"'\t=x\"");
        assert_eq!(
            csv_text("Olga \"the best\", L2"),
            "\"Olga \"\"the best\"\", L2\""
        );
        assert_eq!(csv_text("Оплата"), "Оплата");
        assert_eq!(csv_text("a=b"), "a=b");
    }

    #[test]
    fn a_csv_file_starts_with_the_byte_order_mark_and_gives_times_in_seconds() {
        let stats = Statistics {
            times: vec![Timing {
                key: "first_response".into(),
                count: 3,
                median_ms: Some(90_500),
                p90_ms: None,
            }],
            ..Statistics::default()
        };
        let all = tables(&stats, Lang::En);
        let times = all.iter().find(|t| t.id == "times").unwrap();
        let csv = to_csv(times, Lang::En);
        assert!(csv.starts_with('\u{feff}'));
        let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').split("\r\n").collect();
        assert_eq!(lines[0], "Measure,Tickets,Median (s),90th percentile (s)");
        assert_eq!(lines[1], "First response,3,90,");
        let ru = tables(&stats, Lang::Ru);
        let ru = to_csv(ru.iter().find(|t| t.id == "times").unwrap(), Lang::Ru);
        assert!(ru.contains("Медиана (с)"), "{ru}");
        assert!(ru.contains("Первый ответ,3,90,"), "{ru}");
    }
}
