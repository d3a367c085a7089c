//! Lists: the member's conversations and staff's board, their filters, rows and search.

use crate::{
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
            fallback=|| view! { <p class="muted pad">"Loading…"</p> }
        >
            <div class="filter">
                <input
                    type="search"
                    aria-label="Filter tickets"
                    placeholder=if staff { "Filter tickets, search messages" } else { "Search your conversations" }
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
                                if !staff {
                                    "No conversations yet."
                                } else if live.filter.with(|f| *f == TicketFilter::default()) {
                                    "The queue is empty."
                                } else {
                                    "No tickets match these filters."
                                }
                            }}
                        </p>
                    }
                }
            >
                <ul class="tickets" aria-label=if staff { "Tickets" } else { "Conversations" }>
                    <For
                        each=move || shown(false)
                        key=|t| (t.id, t.revision)
                        children=move |t| view! { <TicketRow t base selected staff /> }
                    />
                </ul>
                <Show when=move || !shown(true).is_empty()>
                    <h3 class="section">"Archive"</h3>
                    <ul class="tickets archive" aria-label="Archive">
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
    let option_select = move |kind: OptionKind| {
        let choices: Vec<TicketOption> =
            options.iter().filter(|o| o.kind == kind).cloned().collect();
        let label = kind.label();
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
                aria-label=format!("Filter by {}", label.to_lowercase())
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
                <option value="" selected=move || current().is_none()>{format!("Any {}", label.to_lowercase())}</option>
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
        let text = match state {
            BoardState::Queue => "Queue (open)",
            BoardState::AwaitingMember => "Awaiting member",
            BoardState::Archived => "Archived",
            BoardState::All => "All tickets",
        };
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
            .or_else(|| Some(format!("member #{id}")))
    };
    view! {
        <div class="board-filters" role="group" aria-label="Board filters">
            <select
                aria-label="Show tickets"
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
                    aria-label="Filter by department"
                    on:change=move |ev| {
                        let id = parse(&ev).map(DepartmentId);
                        change(&|f: &mut TicketFilter| f.department = id);
                    }
                >
                    <option value="">"Every department"</option>
                    {departments
                        .iter()
                        .map(|d| view! { <option value=d.id.0>{d.name.clone()}</option> })
                        .collect_view()}
                </select>
            </Show>
            <select
                aria-label="Filter by queue"
                on:change=move |ev| {
                    let id = parse(&ev).map(crate::protocol::QueueId);
                    change(&|f: &mut TicketFilter| f.queue = id);
                }
            >
                <option value="">"Every queue"</option>
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
                                {format!("Member: {name}")}
                                <button
                                    type="button"
                                    class="link"
                                    aria-label="Stop filtering by member"
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
    view! {
        {move || {
            live.search
                .get()
                .map(|search| {
                    let status = match (&search.hits, &search.error) {
                        (_, Some(error)) => error.clone(),
                        (None, _) => "Searching…".to_owned(),
                        (Some(hits), _) if hits.is_empty() => {
                            format!("No messages match “{}”.", search.query)
                        }
                        (Some(hits), _) => {
                            format!(
                                "{} found for “{}”",
                                plural(hits.len(), "message", "messages"),
                                search.query,
                            )
                        }
                    };
                    let hits = search.hits.unwrap_or_default();
                    view! {
                        <h3 class="section">"Messages"</h3>
                        <p class="muted small pad-x" role="status" aria-live="polite">
                            {status}
                        </p>
                        <ul class="tickets hits" aria-label="Search results">
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
    let state = if hit.archived {
        "archived"
    } else if hit.status == crate::protocol::TicketStatus::Closed {
        "closed"
    } else {
        "open"
    };
    view! {
        <li>
            <a href=href class="ticket hit" class:note=hit.hidden>
                <span class="ticket-top">
                    <span class="subject">{hit.subject.clone()}</span>
                    {hit.hidden.then(|| view! { <span class="note-label">"Hidden note"</span> })}
                </span>
                <span class="meta">
                    {who}
                    {hit.department.name.clone()}
                    " · #"
                    {hit.ticket_id.0}
                    " · "
                    {state}
                    " · "
                    <time>{ago(hit.at)}</time>
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

/// "1 message", "3 messages".
pub(crate) fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
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
    // The lock and how long it has been held (the moderator's overview shows it on each row).
    let holder = t.assignee.as_ref().map(|p| match t.taken_at {
        Some(at) => format!("Taken by {} · {}", p.name, ago(at)),
        None => format!("Taken by {}", p.name),
    });
    let member_status = t.member_status();
    let live = use_context::<Live>();
    let here = move || {
        let live = live.filter(|_| staff)?;
        live.presence.with(|all| {
            all.get(&id).filter(|p| !p.is_empty()).map(|present| {
                present
                    .iter()
                    .map(|p| {
                        let doing = if p.mode == PresenceMode::Replying {
                            "replying"
                        } else {
                            "viewing"
                        };
                        format!("{} {doing}", p.person.name)
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
                    aria-label=format!("Release #{id} from {}", holder.name)
                    on:click=move |_| live.release(id)
                >
                    "Release"
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
                                    <span class="sr-only">" unread"</span>
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
                    <time>{move || ago(when)}</time>
                </span>
                <span class="tags">
                    {waiting.then(|| view! { <span class="tag waiting">"Awaiting reply"</span> })}
                    {holder.map(|text| view! { <span class="tag locked">{text}</span> })}
                    {staff
                        .then(|| {
                            (t.status == TicketStatus::Closed)
                                .then(|| {
                                    let text = if t.archived { "Archived" } else { "Awaiting member" };
                                    view! { <span class="tag">{text}</span> }
                                })
                        })}
                    {t.params.status.clone().map(|o| view! { <span class="tag param">{o.label}</span> })}
                    {t.params.criticality.clone().map(|o| view! { <span class="tag param crit">{o.label}</span> })}
                    {(!staff).then(|| status_tag(member_status))}
                    {move || here().map(|text| view! { <span class="tag here">{text}</span> })}
                </span>
                {t.preview.clone().map(|p| view! { <span class="preview">{p}</span> })}
            </a>
            {release}
        </li>
    }
}
