//! The moderator's wall: every open ticket of every department at a glance — who has each
//! open or is answering, who holds it and for how long, how long the member has waited
//! against the department's target — with release and reassign in place, and the team's
//! counts on top. Everything moves live.

use crate::i18n::page_title;
use crate::i18n::t;
use crate::{
    i18n::{locale, tr},
    live::Live,
    protocol::{
        Availability, BoardSort, Department, DepartmentId, PresenceMode, Sla, StaffMember,
        TicketFilter, TicketSummary, UserId,
    },
};
use leptos::prelude::*;
use leptos_meta::Title;

#[allow(unused_imports)]
use super::*;

/// `/wall`, for moderators and administrators (the server sends anyone else home).
#[component]
pub fn WallPage() -> impl IntoView {
    let Some(me) = me() else {
        return view! { <NotFound /> }.into_any();
    };
    let live = Live::new(true);
    live.me.set(Some(me.clone()));
    // Every open ticket the moderator may see: of every department.
    live.filter.set(TicketFilter::default());
    provide_context(live);
    Effect::new(move |_| live.connect());
    let lang = locale();
    let summary = move || {
        let now = live.tick();
        let lang = lang.get();
        let (open, unassigned) = live.tickets.with(|list| {
            let unassigned = list.iter().filter(|t| t.assignee.is_none()).count();
            (list.len(), unassigned)
        });
        [
            t!(lang, "wall-open", count = open),
            t!(lang, "wall-unassigned", count = unassigned),
            t!(lang, "past-target", count = live.breaches(now, |_| true)),
        ]
        .join(" · ")
    };
    let departments = StoredValue::new(me.departments.clone());
    let staff = StoredValue::new(me.staff.clone());
    let grouped = Memo::new(move |_| groups(live, &departments.get_value()));
    view! {
        <Title text=page_title(tr("wall-title")) />
        <div class="desk wall-page">
            <SkipLink />
            <TopBar me=me.clone() live />
            <main class="wall">
                <div class="wall-head">
                    <h1 id="list-title" tabindex="-1">{tr("wall-title")}</h1>
                    <p class="muted" role="status" data-testid="wall-summary">{summary}</p>
                </div>
                <Show
                    when=move || live.tickets_loaded.get()
                    fallback=|| view! { <p class="muted">{tr("loading")}</p> }
                >
                    <div class="wall-counts">
                        <DepartmentCounts live departments />
                        <OperatorCounts live staff />
                    </div>
                    <For
                        each=move || grouped.with(|g| g.iter().map(|(d, _)| d.clone()).collect::<Vec<_>>())
                        key=|department| department.id
                        children=move |department| {
                            let id = department.id;
                            let tickets = Signal::derive(move || {
                                grouped.with(|g| {
                                    g.iter().find(|(d, _)| d.id == id).map(|(_, t)| t.clone()).unwrap_or_default()
                                })
                            });
                            view! { <DepartmentWall live department tickets staff /> }
                        }
                    />
                    <Show when=move || live.tickets.with(Vec::is_empty)>
                        <p class="muted">{tr("wall-empty")}</p>
                    </Show>
                </Show>
            </main>
        </div>
    }
    .into_any()
}

/// The departments with open tickets, in the desk's order (then any the desk did not list),
/// each with its tickets, longest waiting first.
fn groups(live: Live, known: &[Department]) -> Vec<(Department, Vec<TicketSummary>)> {
    let mut out: Vec<(Department, Vec<TicketSummary>)> =
        known.iter().map(|d| (d.clone(), Vec::new())).collect();
    live.tickets.with(|list| {
        for t in list {
            match out.iter_mut().find(|(d, _)| d.id == t.department.id) {
                Some((_, here)) => here.push(t.clone()),
                None => out.push((t.department.clone(), vec![t.clone()])),
            }
        }
    });
    out.retain(|(_, here)| !here.is_empty());
    for (_, here) in &mut out {
        BoardSort::LongestWaiting.sort(here, |_| 0);
    }
    out
}

/// Whether a colleague is online, away or offline now.
fn availability_of(live: Live, id: UserId) -> Option<Availability> {
    live.availability.with(|all| {
        all.iter()
            .find(|s| s.person.id == id)
            .map(|s| s.availability)
    })
}

/// Per department: open, unassigned, past the target, colleagues online.
#[component]
fn DepartmentCounts(live: Live, departments: StoredValue<Vec<Department>>) -> impl IntoView {
    let rows = move || {
        let now = live.tick();
        let online = live.availability.get();
        departments.with_value(|all| {
            live.tickets.with(|list| {
                all.iter()
                    .map(|d| {
                        let here = list.iter().filter(|t| t.department.id == d.id);
                        let open = here.clone().count();
                        let unassigned = here.filter(|t| t.assignee.is_none()).count();
                        let late = live.breaches(now, |t| t.department.id == d.id);
                        let working = online
                            .iter()
                            .filter(|s| s.availability == Availability::Online && s.works_in(d.id))
                            .count();
                        (d.name.clone(), open, unassigned, late, working)
                    })
                    .collect::<Vec<_>>()
            })
        })
    };
    view! {
        <table class="wall-table counts" aria-labelledby="wall-departments">
            <caption id="wall-departments">{tr("wall-departments")}</caption>
            <thead>
                <tr>
                    <th scope="col">{tr("wall-department")}</th>
                    <th scope="col" class="num">{tr("wall-open-head")}</th>
                    <th scope="col" class="num">{tr("wall-unassigned-head")}</th>
                    <th scope="col" class="num">{tr("wall-late-head")}</th>
                    <th scope="col" class="num">{tr("wall-online-head")}</th>
                </tr>
            </thead>
            <tbody>
                {move || {
                    rows()
                        .into_iter()
                        .map(|(name, open, unassigned, late, working)| {
                            view! {
                                <tr>
                                    <th scope="row">{name}</th>
                                    <td class="num">{open}</td>
                                    <td class="num">{unassigned}</td>
                                    <td class="num" class:late={late > 0}>{late}</td>
                                    <td class="num">{working}</td>
                                </tr>
                            }
                        })
                        .collect_view()
                }}
            </tbody>
        </table>
    }
}

/// Per colleague: online, away or offline, and how many tickets they hold.
#[component]
fn OperatorCounts(live: Live, staff: StoredValue<Vec<StaffMember>>) -> impl IntoView {
    let rows = move || {
        let mut rows: Vec<(String, Option<Availability>, usize)> = staff.with_value(|all| {
            all.iter()
                .map(|m| {
                    let held = live.tickets.with(|list| {
                        list.iter()
                            .filter(|t| t.assignee.as_ref().is_some_and(|a| a.id == m.person.id))
                            .count()
                    });
                    (
                        m.person.name.clone(),
                        availability_of(live, m.person.id),
                        held,
                    )
                })
                .collect()
        });
        // Online first, then away, then offline; by name within each.
        rows.sort_by(|a, b| {
            let rank = |s: &Option<Availability>| match s {
                Some(Availability::Online) => 0,
                Some(Availability::Away) => 1,
                None => 2,
            };
            (rank(&a.1), &a.0).cmp(&(rank(&b.1), &b.0))
        });
        rows
    };
    view! {
        <table class="wall-table counts" aria-labelledby="wall-operators">
            <caption id="wall-operators">{tr("wall-operators")}</caption>
            <thead>
                <tr>
                    <th scope="col">{tr("wall-operator")}</th>
                    <th scope="col">{tr("wall-availability")}</th>
                    <th scope="col" class="num">{tr("wall-held-head")}</th>
                </tr>
            </thead>
            <tbody>
                {move || {
                    rows()
                        .into_iter()
                        .map(|(name, status, held)| {
                            let (class, key) = match status {
                                Some(Availability::Online) => ("online", "status-online"),
                                Some(Availability::Away) => ("away", "status-away"),
                                None => ("offline", "status-offline"),
                            };
                            view! {
                                <tr>
                                    <th scope="row">{name}</th>
                                    <td><span class=format!("dot {class}") aria-hidden="true"></span>{tr(key)}</td>
                                    <td class="num">{held}</td>
                                </tr>
                            }
                        })
                        .collect_view()
                }}
            </tbody>
        </table>
    }
}

/// One department's open tickets, longest waiting first.
#[component]
fn DepartmentWall(
    live: Live,
    department: Department,
    tickets: Signal<Vec<TicketSummary>>,
    staff: StoredValue<Vec<StaffMember>>,
) -> impl IntoView {
    let id = department.id;
    let heading = format!("wall-dept-{}", id.0);
    let labelled_by = heading.clone();
    let count = move || tickets.with(Vec::len);
    view! {
        <section class="wall-department" aria-labelledby=labelled_by>
            <h2 id=heading>{department.name.clone()} <span class="count">{count}</span></h2>
            <div class="table-scroll">
                <table class="wall-table tickets">
                    <thead>
                        <tr>
                            <th scope="col">{tr("wall-ticket")}</th>
                            <th scope="col">{tr("wall-waiting")}</th>
                            <th scope="col">{tr("wall-target")}</th>
                            <th scope="col">{tr("wall-holder")}</th>
                            <th scope="col">{tr("wall-here")}</th>
                            <th scope="col">{tr("wall-actions")}</th>
                        </tr>
                    </thead>
                    <tbody>
                        <For
                            each=move || tickets.get()
                            key=|t| (t.id, t.revision)
                            children=move |t| view! { <WallRow live t department=id staff /> }
                        />
                    </tbody>
                </table>
            </div>
        </section>
    }
}

/// A ticket on the wall.
#[component]
fn WallRow(
    live: Live,
    t: TicketSummary,
    department: DepartmentId,
    staff: StoredValue<Vec<StaffMember>>,
) -> impl IntoView {
    let lang = locale();
    let id = t.id;
    let since = t.waiting_since();
    let summary = StoredValue::new(t.clone());
    let sla = move || summary.with_value(|s| live.sla_of(s, live.tick()));
    let waiting = move || since.map(|since| span(live.tick() - since, lang.get()));
    let target = move || {
        let key = match sla() {
            Sla::None => "sla-none",
            Sla::Within => "sla-within",
            Sla::Near => "sla-near",
            Sla::Breached => "sla-breached",
        };
        t!(lang.get(), key)
    };
    let holder = t.assignee.clone();
    let taken_at = t.taken_at;
    let held = holder.clone().map(|p| {
        move || match taken_at {
            Some(at) => t!(
                lang.get(),
                "wall-held-for",
                name = p.name.clone(),
                held = span(live.tick() - at, lang.get())
            ),
            None => p.name.clone(),
        }
    });
    let here = move || {
        live.presence.with(|all| {
            all.get(&id).map(|present| {
                present
                    .iter()
                    .map(|p| {
                        let replying = p.mode == PresenceMode::Replying;
                        view! {
                            <span class="tag here" class:replying=replying>{p.describe(lang.get())}</span>
                        }
                    })
                    .collect_view()
            })
        })
    };
    let holder_id = holder.as_ref().map(|p| p.id);
    let release = holder
        .clone()
        .map(|holder| view! { <ReleaseFrom live id holder /> });
    let choices: Vec<_> = staff.with_value(|all| {
        all.iter()
            .filter(|m| m.works_in(department) && Some(m.person.id) != holder_id)
            .map(|m| m.person.clone())
            .collect()
    });
    let reassign = (!choices.is_empty()).then(|| {
        view! {
            <select
                class="reassign"
                aria-label=move || t!(lang.get(), "reassign", id = id.0)
                on:change=move |ev| {
                    if let Ok(to) = event_target_value(&ev).parse::<i64>() {
                        live.assign(id, UserId(to));
                    }
                }
            >
                <option value="" selected>{tr("assign-to-choose")}</option>
                {choices
                    .into_iter()
                    .map(|p| view! { <option value=p.id.0>{p.name}</option> })
                    .collect_view()}
            </select>
        }
    });
    view! {
        <tr data-testid="wall-row" data-ticket=id.0>
            <th scope="row">
                <a href=format!("/board?t={id}") rel="external">"#" {id.0} " " {t.subject.clone()}</a>
                <span class="small muted">{t.member.name.clone()}</span>
            </th>
            <td data-label=tr("wall-waiting")>
                {move || match waiting() {
                    Some(w) => view! { <span data-testid="wall-waiting">{w}</span> }.into_any(),
                    None => view! { <span class="muted">{tr("wall-answered")}</span> }.into_any(),
                }}
            </td>
            <td data-label=tr("wall-target")>
                <span class=move || format!("tag waits sla-{}", sla().as_str()) data-testid="wall-sla">
                    {target}
                </span>
            </td>
            <td data-label=tr("wall-holder")>
                {match held {
                    Some(text) => view! { <span class="tag locked">{text}</span> }.into_any(),
                    None => view! { <span class="muted">{tr("nobody-has-it")}</span> }.into_any(),
                }}
            </td>
            <td class="here-cell" data-label=tr("wall-here")>{here}</td>
            <td class="actions">{release} {reassign}</td>
        </tr>
    }
}
