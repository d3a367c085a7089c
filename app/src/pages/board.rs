//! Lists: the member's conversations and staff's board, their filters, rows and search.

use crate::i18n::t;
use crate::{
    i18n::{locale, tr},
    live::Live,
    protocol::{OptionKind, Role, Sla, TicketFilter, TicketId, TicketStatus, TicketSummary},
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
        let list = live.tickets.with(|list| {
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
        });
        if staff {
            let mut list = list;
            let levels = live.me.with(|me| {
                me.as_ref()
                    .map(|me| {
                        me.options
                            .iter()
                            .filter(|o| o.kind == OptionKind::Criticality)
                            .map(|o| o.id)
                            .collect::<Vec<_>>()
                    })
                    .unwrap_or_default()
            });
            live.with_workspace(|w| w.sort).sort(&mut list, |id| {
                levels.iter().position(|l| *l == id).unwrap_or(0)
            });
            list
        } else {
            list
        }
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
                        key=|t| (t.id, t.revision, t.seen_at)
                        children=move |t| view! { <TicketRow t base selected staff /> }
                    />
                </ul>
                <Show when=move || !shown(true).is_empty()>
                    <h3 class="section">{tr("archive")}</h3>
                    <ul class="tickets archive" aria-label=tr("archive")>
                        <For
                            each=move || shown(true)
                            key=|t| (t.id, t.revision, t.seen_at)
                            children=move |t| view! { <TicketRow t base selected staff /> }
                        />
                    </ul>
                </Show>
            </Show>
            <SearchResults live base />
        </Show>
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
    let waiting_since = t.waiting_since().filter(|_| staff);
    let waiting_legacy =
        staff && waiting_since.is_none() && t.last_author_role == Some(Role::Member);
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
                    .map(|p| p.describe(lang))
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
        .map(|(live, holder)| view! { <ReleaseFrom live id holder /> });
    view! {
        <li class="row">
            <a
                href=href
                class="ticket"
                class:with-avatar=staff
                class:selected=move || selected.get() == Some(id)
                aria-current=move || (selected.get() == Some(id)).then_some("page")
            >
                {staff.then(|| view! { <span class="avatar" aria-hidden="true">{initials(&t.member.name)}</span> })}
                <span class="ticket-top">
                    <span class="subject">{t.subject.clone()}</span>
                    {(staff && t.new_to_me())
                        .then(|| {
                            view! {
                                <span class="badge new" data-testid="new-to-me">
                                    {tr("new-to-me")}
                                </span>
                            }
                        })}
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
                    {waiting_legacy.then(|| view! { <span class="tag waits">{tr("awaiting-reply")}</span> })}
                    {waiting_since.map(|since| view! { <WaitingTag live=live since summary=t.clone() /> })}
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

/// How long the member has waited since their last message, moving as the clock does, and
/// coloured against the department's target: near it, then past it.
#[component]
fn WaitingTag(
    live: Option<Live>,
    since: crate::protocol::Millis,
    summary: TicketSummary,
) -> impl IntoView {
    let lang = locale();
    let targets = live.and_then(|live| {
        live.me.with_untracked(|me| {
            me.as_ref().and_then(|me| {
                me.response_targets
                    .iter()
                    .find(|r| r.department_id == summary.department.id)
                    .copied()
            })
        })
    });
    let target = targets.and_then(|r| r.target_ms(&summary));

    let summary = StoredValue::new(summary);
    let state = move || {
        let now = ticking_now();
        targets.map_or(Sla::None, |r| summary.with_value(|s| r.sla(s, now)))
    };
    let text = move || {
        let lang = lang.get();
        let waited = span(ticking_now() - since, lang);
        match state() {
            Sla::Breached => t!(lang, "waiting-past-target", waited = waited),
            _ => t!(lang, "waiting-for", waited = waited),
        }
    };
    let title =
        move || target.map(|ms| t!(lang.get(), "response-target", target = span(ms, lang.get())));
    view! {
        <span
            class=move || format!("tag waits sla-{}", state().as_str())
            data-testid="waiting"
            title=title
        >
            {text}
        </span>
    }
}

/// A moderator releases a ticket from its holder, from a row of a list or of the wall.
#[component]
pub(crate) fn ReleaseFrom(
    live: Live,
    id: TicketId,
    holder: crate::protocol::Person,
) -> impl IntoView {
    let lang = locale();
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
}
