//! The statistics page: for a range of days, departments and channels — contacts, call-end
//! reasons, categories and criticality, response and resolution times, each colleague's
//! work, ratings, the tickets open now by age. Each table has its chart and its CSV file.

use crate::i18n::page_title;
use leptos::prelude::*;
use leptos_meta::Title;

use super::{NotFound, TopBar, me, span};
use crate::{
    i18n::{Lang, locale, t, tr},
    live::Live,
    protocol::{Channel, StatsPage, StatsRange},
    session::page_data,
    stats::{Cell, StatTable, tables},
};

/// `/stats`, for staff (the server sends members home).
#[component]
pub fn StatisticsPage() -> impl IntoView {
    let Some(me) = me() else {
        return view! { <NotFound /> }.into_any();
    };
    let live = Live::new(true);
    live.me.set(Some(me.clone()));
    provide_context(live);
    Effect::new(move |_| live.connect());
    let StatsPage {
        range,
        figures,
        error,
    } = page_data().stats.unwrap_or_default();
    let lang = locale();
    // The browser's zone, which the form sends so the days are the reader's days.
    let offset = RwSignal::new(range.offset);
    Effect::new(move |_| offset.set(browser_offset()));
    let departments = figures
        .as_ref()
        .map(|f| f.departments.clone())
        .unwrap_or_else(|| me.departments.clone());
    let own_only = figures.as_ref().is_some_and(|f| f.own_only);
    let query = range.to_query();
    let shown = figures.clone();
    let body = move || {
        let lang = lang.get();
        shown.as_ref().map(|figures| {
            tables(figures, lang)
                .into_iter()
                .map(|table| view! { <StatSection table lang query=query.clone() /> })
                .collect_view()
        })
    };
    view! {
        <Title text=page_title(tr("stats-title")) />
        <div class="desk stats-page">
            <TopBar me=me.clone() live />
            <main class="stats">
                <div class="stats-head">
                    <h1>{tr("stats-title")}</h1>
                    <p class="muted small">{tr("stats-lead")}</p>
                </div>
                <RangeForm range=range.clone() departments offset />
                {error.map(|e| view! { <p class="alert" role="alert">{e}</p> })}
                {own_only.then(|| view! { <p class="muted small">{tr("stats-own-only")}</p> })}
                <div class="stats-grid">{body}</div>
            </main>
        </div>
    }
    .into_any()
}

/// Minutes east of UTC in this browser, now.
fn browser_offset() -> i32 {
    #[cfg(feature = "hydrate")]
    {
        -(js_sys::Date::new_0().get_timezone_offset() as i32)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        0
    }
}

/// The range: first and last day, departments, channels; quick choices of the last days.
#[component]
fn RangeForm(
    range: StatsRange,
    departments: Vec<crate::protocol::Department>,
    offset: RwSignal<i32>,
) -> impl IntoView {
    let lang = locale();
    let (kept_departments, kept_channels) = (range.departments.clone(), range.channels.clone());
    let quick = move |days: i64| {
        let mut last = StatsRange::last_days(super::ticking_now(), days, offset.get());
        last.departments = kept_departments.clone();
        last.channels = kept_channels.clone();
        format!("/stats?{}", last.to_query())
    };
    let (r7, r30) = (quick.clone(), quick.clone());
    let (r7, r30, r365) = (move || r7(7), move || r30(30), move || quick(365));
    let zone = move || {
        let minutes = offset.get();
        let sign = if minutes < 0 { '-' } else { '+' };
        format!(
            "UTC{sign}{:02}:{:02}",
            minutes.abs() / 60,
            minutes.abs() % 60
        )
    };
    let chosen_departments = range.departments.clone();
    let chosen_channels = range.channels.clone();
    view! {
        <form class="stats-range" method="get" action="/stats" aria-label=tr("stats-range")>
            <div class="field-row">
                <label>
                    {tr("stats-from")}
                    <input type="date" name="from" value=range.from.clone() required />
                </label>
                <label>
                    {tr("stats-to")}
                    <input type="date" name="to" value=range.to.clone() required />
                </label>
                <span class="muted small" data-testid="stats-zone">{zone}</span>
                <input type="hidden" name="offset" prop:value=move || offset.get().to_string() />
            </div>
            <fieldset class="choices">
                <legend>{tr("stats-departments")}</legend>
                {departments
                    .into_iter()
                    .map(|d| {
                        let checked = chosen_departments.contains(&d.id);
                        view! {
                            <label class="check">
                                <input type="checkbox" name="department" value=d.id.0 checked=checked />
                                {d.name}
                            </label>
                        }
                    })
                    .collect_view()}
                <span class="muted small">{tr("stats-all-departments")}</span>
            </fieldset>
            <fieldset class="choices">
                <legend>{tr("stats-channels")}</legend>
                {Channel::ALL
                    .into_iter()
                    .map(|c| {
                        let checked = chosen_channels.contains(&c);
                        view! {
                            <label class="check">
                                <input type="checkbox" name="channel" value=c.as_str() checked=checked />
                                {move || t!(lang.get(), &format!("channel-{}", c.as_str()))}
                            </label>
                        }
                    })
                    .collect_view()}
                <span class="muted small">{tr("stats-all-channels")}</span>
            </fieldset>
            <div class="field-row">
                <button type="submit" class="primary">{tr("stats-show")}</button>
                <a href=r7 rel="external">{tr("stats-last-7")}</a>
                <a href=r30 rel="external">{tr("stats-last-30")}</a>
                <a href=r365 rel="external">{tr("stats-last-365")}</a>
            </div>
        </form>
    }
}

/// One table with its chart and its CSV file.
#[component]
fn StatSection(table: StatTable, lang: Lang, query: String) -> impl IntoView {
    let heading = format!("stats-{}", table.id);
    let (labelled_by, test_id) = (heading.clone(), heading.clone());
    let csv = format!("/api/stats/{}.csv?{query}", table.id);
    let csv_name = t!(lang, "stats-csv-of", table = table.title.clone());
    let empty = table
        .rows
        .iter()
        .all(|r| r.cells.iter().all(|c| c.magnitude() == 0));
    view! {
        <section class="stats-section" aria-labelledby=labelled_by data-testid=test_id>
            <div class="stats-section-head">
                <h2 id=heading>{table.title.clone()}</h2>
                <a class="csv" href=csv download aria-label=csv_name rel="external">
                    {tr("stats-csv")}
                </a>
            </div>
            {if empty {
                view! { <p class="muted">{tr("stats-nothing")}</p> }.into_any()
            } else {
                view! {
                    <Chart table=table.clone() lang />
                    <Figures table lang />
                }
                    .into_any()
            }}
        </section>
    }
}

/// A figure as people read it.
fn shown(cell: Cell, lang: Lang) -> String {
    match cell {
        Cell::Count(n) => n.to_string(),
        Cell::Duration(Some(ms)) => span(ms, lang),
        Cell::Duration(None) => "—".to_owned(),
    }
}

/// The table itself: what the chart draws, for everyone and for screen readers.
#[component]
fn Figures(table: StatTable, lang: Lang) -> impl IntoView {
    view! {
        <div class="table-scroll">
            <table class="stats-table">
                <thead>
                    <tr>
                        {table
                            .columns
                            .iter()
                            .enumerate()
                            .map(|(i, c)| {
                                let num = i > 0;
                                view! { <th scope="col" class:num=num>{c.clone()}</th> }
                            })
                            .collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {table
                        .rows
                        .into_iter()
                        .map(|row| {
                            view! {
                                <tr>
                                    <th scope="row">{row.label}</th>
                                    {row
                                        .cells
                                        .into_iter()
                                        .map(|c| view! { <td class="num">{shown(c, lang)}</td> })
                                        .collect_view()}
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// Bars of the table's chart column, drawn on the server as SVG (lengths in per cent of the
/// width, so words keep their size at any width); the table beside it says the same.
#[component]
fn Chart(table: StatTable, lang: Lang) -> impl IntoView {
    // Each line: its words, and under them its bar (the longest 80 % of the width).
    const ROW: i64 = 34;
    const BARS: i64 = 80;
    let column = table.chart;
    let values: Vec<(String, Cell)> = table
        .rows
        .iter()
        .filter_map(|r| r.cells.get(column).map(|c| (r.label.clone(), *c)))
        .collect();
    let max = values
        .iter()
        .map(|(_, c)| c.magnitude())
        .max()
        .unwrap_or(0)
        .max(1);
    let height = ROW * values.len() as i64 + 4;
    let measured = table.columns.get(column + 1).cloned().unwrap_or_default();
    let name = t!(
        lang,
        "stats-chart-of",
        table = format!("{} — {measured}", table.title)
    );
    view! {
        <svg class="chart" role="img" aria-label=name width="100%" height=height>
            {values
                .into_iter()
                .enumerate()
                .map(|(i, (label, cell))| {
                    let y = i as i64 * ROW + 2;
                    // Per mille of the width, so short bars still show.
                    let length = cell.magnitude() * BARS * 10 / max;
                    let length = if cell.magnitude() > 0 { length.max(4) } else { 0 };
                    let short: String = if label.chars().count() > 60 {
                        label.chars().take(59).chain(['…']).collect()
                    } else {
                        label.clone()
                    };
                    let at = |per_mille: i64| format!("{}.{}%", per_mille / 10, per_mille % 10);
                    view! {
                        <g>
                            <title>{format!("{label}: {}", shown(cell, lang))}</title>
                            <text x="0" y=y + 11 class="chart-label">{short}</text>
                            <rect x="0" y=y + 15 width=at(length) height="12" rx="3" class="chart-bar" />
                            <text x=at(length + 10) y=y + 26 class="chart-value">
                                {shown(cell, lang)}
                            </text>
                        </g>
                    }
                })
                .collect_view()}
        </svg>
    }
}
