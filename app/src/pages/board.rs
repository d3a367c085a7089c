//! Lists: the member's conversations and staff's board, their filters, rows and search.

use crate::i18n::t;
use crate::{
    i18n::{locale, tr},
    live::Live,
    protocol::{
        BoardState, DepartmentId, OptionId, OptionKind, PresenceMode, Role, TicketFilter, TicketId,
        TicketOption, TicketStatus, TicketSummary,
    },
};
use leptos::{ev::KeyboardEvent, prelude::*};

#[allow(unused_imports)]
use super::*;

/// The inbox or the queue.
#[component]
pub(crate) fn TicketList(
    live: Live,
    base: &'static str,
    selected: Memo<Option<TicketId>>,
    staff: bool,
) -> impl IntoView {
    let filter = RwSignal::new(String::new());
    let lang = locale();
    // Tickets in `archived` state that match the filter (subject, member, department, #number).
    let shown = move |archived: bool| {
        let needle = filter.with(|f| f.trim().to_lowercase());
        live.tickets.with(|list| {
            list.iter()
                .filter(|t| t.archived == archived)
                .filter(|t| {
                    needle.is_empty()
                        || t.subject.to_lowercase().contains(&needle)
                        || t.member.name.to_lowercase().contains(&needle)
                        || t.department.name.to_lowercase().contains(&needle)
                        || format!("#{}", t.id).contains(&needle)
                })
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    view! {
        <Show
            when=move || live.tickets_loaded.get()
            fallback=|| view! { <p class="muted pad">{tr("loading")}</p> }
        >
            <div class="filter">
                <input
                    type="search"
                    aria-label=tr("filter-tickets")
                    placeholder=tr(if staff { "filter-placeholder-staff" } else { "filter-placeholder-member" })
                    prop:value=move || filter.get()
                    on:input=move |ev| {
                        let text = event_target_value(&ev);
                        live.search_for(&text);
                        filter.set(text);
                    }
                    on:keydown=move |ev: KeyboardEvent| {
                        if ev.key() == "Escape" {
                            filter.set(String::new());
                            live.search_for("");
                        }
                    }
                />
            </div>
            <Show
                when=move || live.tickets.with(|t| !t.is_empty())
                fallback=move || {
                    view! {
                        <p class="muted pad">
                            {move || {
                                let key = if !staff {
                                    "no-conversations"
                                } else if live.filter.with(|f| *f == TicketFilter::default()) {
                                    "queue-empty"
                                } else {
                                    "no-match"
                                };
                                t!(lang.get(), key)
                            }}
                        </p>
                    }
                }
            >
                <ul class="tickets" aria-label=tr(if staff { "tickets" } else { "conversations" })>
                    <For
                        each=move || shown(false)
                        key=|t| (t.id, t.revision)
                        children=move |t| view! { <TicketRow t base selected staff /> }
                    />
                </ul>
                <Show when=move || !shown(true).is_empty()>
                    <h3 class="section">{tr("archive")}</h3>
                    <ul class="tickets archive" aria-label=tr("archive")>
                        <For
                            each=move || shown(true)
                            key=|t| (t.id, t.revision)
                            children=move |t| view! { <TicketRow t base selected staff /> }
                        />
                    </ul>
                </Show>
            </Show>
            <SearchResults live base />
        </Show>
    }
}

/// Staff's filters over the board: which state, department and parameters it shows. The
/// server sends the matching snapshot; live changes are filtered the same way here.
#[component]
pub(crate) fn BoardFilters(
    live: Live,
    departments: Vec<crate::protocol::Department>,
    options: Vec<TicketOption>,
    queues: Vec<crate::protocol::Queue>,
) -> impl IntoView {
    let change = move |edit: &dyn Fn(&mut TicketFilter)| {
        let mut filter = live.filter.get_untracked();
        edit(&mut filter);
        live.set_filter(filter);
    };
    let parse = |ev: &leptos::ev::Event| event_target_value(ev).parse::<i64>().ok();
    let lang = locale();
    let option_select = move |kind: OptionKind| {
        let choices: Vec<TicketOption> =
            options.iter().filter(|o| o.kind == kind).cloned().collect();
        let current = move || {
            live.filter.with(|f| match kind {
                OptionKind::Status => f.status,
                OptionKind::Criticality => f.criticality,
                OptionKind::Category => f.category,
                OptionKind::Service => f.service,
            })
        };
        view! {
            <select
                aria-label=move || t!(lang.get(), &format!("filter-by-{}", kind.key()))
                on:change=move |ev| {
                    let id = parse(&ev).map(OptionId);
                    change(&|f: &mut TicketFilter| match kind {
                        OptionKind::Status => f.status = id,
                        OptionKind::Criticality => f.criticality = id,
                        OptionKind::Category => f.category = id,
                        OptionKind::Service => f.service = id,
                    });
                }
            >
                <option value="" selected=move || current().is_none()>{move || t!(lang.get(), &format!("any-{}", kind.key()))}</option>
                {choices
                    .into_iter()
                    .map(|o| {
                        let id = o.id;
                        view! { <option value=o.id.0 selected=move || current() == Some(id)>{o.label}</option> }
                    })
                    .collect_view()}
            </select>
        }
    };
    let states = BoardState::ALL.map(|state| {
        let text = tr(match state {
            BoardState::Queue => "state-queue",
            BoardState::AwaitingMember => "state-awaiting",
            BoardState::Archived => "state-archived",
            BoardState::All => "state-all",
        });
        view! {
            <option value=state.as_str() selected=move || live.filter.with(|f| f.state == state)>
                {text}
            </option>
        }
    });
    let several_departments = departments.len() > 1;
    let member_name = move || {
        let id = live.filter.with(|f| f.member)?;
        live.tickets
            .with(|list| {
                list.iter()
                    .find(|t| t.member.id == id)
                    .map(|t| t.member.name.clone())
            })
            .or_else(|| Some(t!(lang.get(), "member-number", id = id.0)))
    };
    view! {
        <div class="board-filters" role="group" aria-label=tr("board-filters")>
            <select
                aria-label=tr("show-tickets")
                on:change=move |ev| {
                    if let Some(state) = BoardState::parse(&event_target_value(&ev)) {
                        change(&|f: &mut TicketFilter| f.state = state);
                    }
                }
            >
                {states}
            </select>
            <Show when=move || { several_departments }>
                <select
                    aria-label=tr("filter-by-department")
                    on:change=move |ev| {
                        let id = parse(&ev).map(DepartmentId);
                        change(&|f: &mut TicketFilter| f.department = id);
                    }
                >
                    <option value="">{tr("every-department")}</option>
                    {departments
                        .iter()
                        .map(|d| view! { <option value=d.id.0>{d.name.clone()}</option> })
                        .collect_view()}
                </select>
            </Show>
            <select
                aria-label=tr("filter-by-queue")
                on:change=move |ev| {
                    let id = parse(&ev).map(crate::protocol::QueueId);
                    change(&|f: &mut TicketFilter| f.queue = id);
                }
            >
                <option value="">{tr("every-queue")}</option>
                {queues
                    .iter()
                    .map(|q| view! { <option value=q.id.0>{q.name.clone()}</option> })
                    .collect_view()}
            </select>
            {option_select(OptionKind::Status)}
            {option_select(OptionKind::Criticality)}
            {option_select(OptionKind::Category)}
            {option_select(OptionKind::Service)}
            {move || {
                member_name()
                    .map(|name| {
                        view! {
                            <span class="chip">
                                {t!(lang.get(), "member-chip", name = name)}
                                <button
                                    type="button"
                                    class="link"
                                    aria-label=tr("stop-member-filter")
                                    on:click=move |_| change(&|f: &mut TicketFilter| f.member = None)
                                >
                                    "×"
                                </button>
                            </span>
                        }
                    })
            }}
        </div>
    }
}

/// What the full-text search found for the text in the filter box: subjects and messages
/// (staff also notes) of every ticket the reader may see, closed and archived ones included.
#[component]
pub(crate) fn SearchResults(live: Live, base: &'static str) -> impl IntoView {
    let lang = locale();
    view! {
        {move || {
            live.search
                .get()
                .map(|search| {
                    let lang = lang.get();
                    let status = match (&search.hits, &search.error) {
                        (_, Some(error)) => error.clone(),
                        (None, _) => t!(lang, "searching"),
                        (Some(hits), _) if hits.is_empty() => {
                            t!(lang, "no-messages-match", query = search.query.clone())
                        }
                        (Some(hits), _) => t!(
                            lang,
                            "messages-found",
                            count = hits.len(),
                            query = search.query.clone()
                        ),
                    };
                    let hits = search.hits.unwrap_or_default();
                    view! {
                        <h3 class="section">{tr("messages")}</h3>
                        <p class="muted small pad-x" role="status" aria-live="polite">
                            {status}
                        </p>
                        <ul class="tickets hits" aria-label=tr("search-results")>
                            {hits
                                .into_iter()
                                .map(|hit| view! { <SearchHitRow hit base /> })
                                .collect_view()}
                        </ul>
                    }
                })
        }}
    }
}

#[component]
pub(crate) fn SearchHitRow(hit: crate::protocol::SearchHit, base: &'static str) -> impl IntoView {
    let href = match hit.seq {
        Some(seq) => format!("{base}?t={}&m={seq}", hit.ticket_id),
        None => format!("{base}?t={}", hit.ticket_id),
    };
    let who = hit.author.as_ref().map(|a| format!("{} · ", a.name));
    let state = tr(if hit.archived {
        "hit-archived"
    } else if hit.status == crate::protocol::TicketStatus::Closed {
        "hit-closed"
    } else {
        "hit-open"
    });
    let lang = locale();
    view! {
        <li>
            <a href=href class="ticket hit" class:note=hit.hidden>
                <span class="ticket-top">
                    <span class="subject">{hit.subject.clone()}</span>
                    {hit.hidden.then(|| view! { <span class="note-label">{tr("hidden-note")}</span> })}
                </span>
                <span class="meta">
                    {who}
                    {hit.department.name.clone()}
                    " · #"
                    {hit.ticket_id.0}
                    " · "
                    {state}
                    " · "
                    <time>{move || ago(hit.at, lang.get())}</time>
                </span>
                <span class="snippet">
                    {hit
                        .snippet
                        .into_iter()
                        .map(|f| {
                            if f.hit {
                                view! { <mark>{f.text}</mark> }.into_any()
                            } else {
                                f.text.into_any()
                            }
                        })
                        .collect_view()}
                </span>
            </a>
        </li>
    }
}

#[component]
pub(crate) fn TicketRow(
    t: TicketSummary,
    base: &'static str,
    selected: Memo<Option<TicketId>>,
    staff: bool,
) -> impl IntoView {
    let id = t.id;
    let href = format!("{base}?t={id}");
    let waiting = staff && t.last_author_role == Some(Role::Member);
    let unread = t.unread;
    let when = if staff { t.created_at } else { t.updated_at };
    let lang = locale();
    // The lock and how long it has been held (the moderator's overview shows it on each row).
    let holder = t.assignee.as_ref().map(|p| {
        let (name, taken_at) = (p.name.clone(), t.taken_at);
        move || {
            let lang = lang.get();
            match taken_at {
                Some(at) => t!(
                    lang,
                    "taken-by-since",
                    name = name.clone(),
                    since = ago(at, lang)
                ),
                None => t!(lang, "taken-by", name = name.clone()),
            }
        }
    });
    let member_status = t.member_status();
    let live = use_context::<Live>();
    // Members: the ticket's place in line while it waits for its first answer.
    let in_line = move || {
        let live = live.filter(|_| !staff)?;
        let place = live
            .places
            .with(|p| p.iter().find(|p| p.ticket_id == id).map(|p| p.place))?;
        Some(if place == 0 {
            t!(lang.get(), "in-line-taken")
        } else {
            t!(lang.get(), "in-line", place = place)
        })
    };
    let here = move || {
        let live = live.filter(|_| staff)?;
        let lang = lang.get();
        live.presence.with(|all| {
            all.get(&id).filter(|p| !p.is_empty()).map(|present| {
                present
                    .iter()
                    .map(|p| {
                        let key = if p.mode == PresenceMode::Replying {
                            "someone-replying"
                        } else {
                            "someone-viewing"
                        };
                        t!(lang, key, name = p.person.name.clone())
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            })
        })
    };
    // The moderator's overview: a lock can be released from the row itself.
    let moderator = live.is_some_and(|live| {
        live.me.with_untracked(|m| {
            m.as_ref()
                .is_some_and(|m| matches!(m.role, Role::Moderator | Role::Administrator))
        })
    });
    let release = live
        .filter(|_| staff && moderator)
        .zip(t.assignee.clone())
        .map(|(live, holder)| {
            view! {
                <button
                    type="button"
                    class="row-action"
                    aria-label=move || t!(lang.get(), "release-from", id = id.0, name = holder.name.clone())
                    on:click=move |_| live.release(id)
                >
                    {tr("release")}
                </button>
            }
        });
    view! {
        <li class="row">
            <a
                href=href
                class="ticket"
                class:selected=move || selected.get() == Some(id)
                aria-current=move || (selected.get() == Some(id)).then_some("page")
            >
                <span class="ticket-top">
                    <span class="subject">{t.subject.clone()}</span>
                    {(unread > 0)
                        .then(|| {
                            view! {
                                <span class="badge" data-testid="unread">
                                    {unread}
                                    <span class="sr-only">" " {tr("unread")}</span>
                                </span>
                            }
                        })}
                </span>
                <span class="meta">
                    {staff.then(|| format!("{} · ", t.member.name))}
                    {t.department.name.clone()}
                    " · #"
                    {id.0}
                    " · "
                    <time>{move || ago(when, lang.get())}</time>
                </span>
                <span class="tags">
                    {waiting.then(|| view! { <span class="tag waiting">{tr("awaiting-reply")}</span> })}
                    {holder.map(|text| view! { <span class="tag locked">{text}</span> })}
                    {(staff && t.lapsed_at.is_some())
                        .then(|| view! { <span class="tag lapsed" data-testid="lapsed">{tr("take-lapsed")}</span> })}
                    {staff
                        .then(|| {
                            (t.status == TicketStatus::Closed)
                                .then(|| {
                                    let text = tr(if t.archived { "archived" } else { "awaiting-member" });
                                    view! { <span class="tag">{text}</span> }
                                })
                        })}
                    {t.params.status.clone().map(|o| view! { <span class="tag param">{o.label}</span> })}
                    {t.params.criticality.clone().map(|o| view! { <span class="tag param crit">{o.label}</span> })}
                    {(!staff).then(|| status_tag(member_status))}
                    {move || in_line().map(|text| view! { <span class="tag in-line">{text}</span> })}
                    {move || here().map(|text| view! { <span class="tag here">{text}</span> })}
                </span>
                {t.preview.clone().map(|p| view! { <span class="preview">{p}</span> })}
            </a>
            {release}
        </li>
    }
}
