//! The frame of staff's and members' desk: the top bar with notifications and the team,
//! the connection state, and the page that puts list and conversation side by side.

use crate::{
    live::{Link, Live},
    protocol::{DepartmentId, Me, Role, Seq, TicketId, UserId},
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};

#[allow(unused_imports)]
use super::*;

/// Both desks share one layout: a list pane and a detail pane (one at a time on a phone).
pub(crate) fn desk_page(me: Me, staff: bool) -> impl IntoView {
    let live = Live::new(staff);
    live.me.set(Some(me.clone()));
    provide_context(live);
    Effect::new(move |_| live.connect());

    let base = if staff { "/board" } else { "/account" };
    let query = use_query_map();
    let selected = Memo::new(move |_| {
        query
            .read()
            .get("t")
            .and_then(|v| v.parse::<i64>().ok())
            .map(TicketId)
    });
    let composing = Memo::new(move |_| !staff && query.read().get("new").is_some());
    // A message to bring into view (a search hit's), in the reader's numbering.
    let jump = Memo::new(move |_| {
        query
            .read()
            .get("m")
            .and_then(|v| v.parse::<i64>().ok())
            .map(Seq)
    });
    Effect::new(move |_| live.open_ticket(selected.get()));
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(id) = live.started.get() {
            live.started.set(None);
            navigate(&format!("{base}?t={id}"), Default::default());
        }
    });

    let title = if staff {
        "Board · Switchboard"
    } else {
        "Support · Switchboard"
    };
    let list_title = if staff { "Queue" } else { "Your conversations" };
    let departments = me.departments.clone();
    let me_id = me.id;
    let me_role = me.role;
    let targets = me.transfer_targets.clone();
    let marks = me.rating_marks.clone();
    let canned = me.canned.clone();
    let me_name = me.name.clone();
    let options = me.options.clone();
    let filter_departments = me.departments.clone();
    let filter_options = me.options.clone();
    let filter_queues = me.queues.clone();
    view! {
        <Title text=title />
        <div class="desk" class:detail-open=move || selected.get().is_some() || composing.get()>
            <TopBar me=me.clone() live />
            <main class="split">
                <section class="list-pane" aria-labelledby="list-title">
                    <div class="pane-head">
                        <h2 id="list-title">
                            {list_title}
                            <Show when=move || staff>
                                <span class="count" aria-label="tickets shown">
                                    {move || live.tickets.with(Vec::len)}
                                </span>
                            </Show>
                        </h2>
                        <Show when=move || !staff>
                            <a class="button primary" href="/account?new=1">"New conversation"</a>
                        </Show>
                    </div>
                    {staff.then(|| view! { <Team live me_id /> })}
                    {staff
                        .then(|| {
                            view! {
                                <BoardFilters
                                    live
                                    departments=filter_departments.clone()
                                    options=filter_options.clone()
                                    queues=filter_queues.clone()
                                />
                            }
                        })}
                    <TicketList live base selected staff />
                </section>
                <section class="detail-pane" aria-label="Conversation">
                    {move || {
                        if composing.get() {
                            view! { <NewConversation live departments=departments.clone() /> }.into_any()
                        } else if selected.get().is_some() {
                            view! {
                                <Conversation
                                    live
                                    me_id
                                    me_role
                                    base
                                    targets=targets.clone()
                                    marks=marks.clone()
                                    canned=canned.clone()
                                    me_name=me_name.clone()
                                    jump
                                    options=options.clone()
                                />
                            }
                                .into_any()
                        } else {
                            view! {
                                <div class="empty">
                                    <p>
                                        {if staff {
                                            "Pick a ticket from the queue to read and answer it."
                                        } else {
                                            "Pick a conversation, or start a new one: we usually answer within minutes."
                                        }}
                                    </p>
                                </div>
                            }
                                .into_any()
                        }
                    }}
                </section>
            </main>
        </div>
    }
}

/// The bar across the top: brand, connection state, who is signed in, sign out.
#[component]
pub(crate) fn TopBar(me: Me, live: Live) -> impl IntoView {
    let role = match me.role {
        Role::Member => "Member",
        Role::Operator => "Operator",
        Role::Moderator => "Moderator",
        Role::Administrator => "Administrator",
    };
    let staff = me.role.is_staff();
    view! {
        <header class="topbar">
            <a class="brand" href="/">"Switchboard"</a>
            <LinkState live />
            {(me.role == Role::Administrator)
                .then(|| {
                    view! {
                        <nav class="places" aria-label="Places">
                            <a href="/board">"Board"</a>
                            <a href="/admin">"Administration"</a>
                        </nav>
                    }
                })}
            <div class="who">
                {staff
                    .then(|| {
                        view! {
                            <label class="check away" title="Away: members are told nobody is online">
                                <input
                                    type="checkbox"
                                    prop:checked=move || live.away.get()
                                    on:change=move |ev| live.set_away(event_target_checked(&ev))
                                />
                                "Away"
                            </label>
                        }
                    })}
                {staff.then(|| view! { <NotificationsMenu live /> })}
                <span class="name">{me.name.clone()}</span>
                <span class="role">{role}</span>
                <form method="post" action="/logout">
                    <button type="submit" class="ghost">"Sign out"</button>
                </form>
            </div>
        </header>
    }
}

/// Staff's notifications: a button with the unread count opening the newest ones; each
/// opens its ticket at the event. Esc closes the panel.
#[component]
pub(crate) fn NotificationsMenu(live: Live) -> impl IntoView {
    let open = RwSignal::new(false);
    let label = move || match live.unread.get() {
        0 => "Notifications".to_owned(),
        n => format!("Notifications, {n} unread"),
    };
    view! {
        <div
            class="notify"
            on:keydown=move |ev| {
                if ev.key() == "Escape" {
                    open.set(false);
                }
            }
        >
            <button
                type="button"
                class="ghost bell"
                aria-label=label
                aria-expanded=move || open.get().to_string()
                aria-controls="notifications"
                on:click=move |_| open.update(|o| *o = !*o)
            >
                <svg class="icon" viewBox="0 0 24 24" aria-hidden="true" width="18" height="18">
                    <path
                        d="M12 3a6 6 0 0 0-6 6v3.6L4.3 15.4A1 1 0 0 0 5.2 17h13.6a1 1 0 0 0 .9-1.6L18 12.6V9a6 6 0 0 0-6-6Zm-2.2 15.5a2.3 2.3 0 0 0 4.4 0"
                        fill="none"
                        stroke="currentColor"
                        stroke-width="1.8"
                        stroke-linecap="round"
                        stroke-linejoin="round"
                    />
                </svg>
                <Show when=move || { live.unread.get() > 0 }>
                    <span class="badge" aria-hidden="true">{move || live.unread.get()}</span>
                </Show>
            </button>
            <Show when=move || open.get()>
                <section id="notifications" class="notify-panel" aria-label="Notifications">
                    <div class="notify-head">
                        <h2>"Notifications"</h2>
                        <button
                            type="button"
                            class="link"
                            disabled=move || live.unread.get() == 0
                            on:click=move |_| live.read_all_notifications()
                        >
                            "Mark all read"
                        </button>
                    </div>
                    <Show
                        when=move || live.notifications.with(|n| !n.is_empty())
                        fallback=|| view! {
                            <p class="muted small pad">
                                "Nothing yet. Follow a ticket to hear of what happens to it."
                            </p>
                        }
                    >
                        <ul class="notify-list">
                            <For
                                each=move || live.notifications.get()
                                key=|n| (n.id, n.read)
                                children=move |n| {
                                    let href = format!("/board?t={}&m={}", n.ticket_id, n.seq.0);
                                    let who = n.author.as_ref().map(|a| a.name.clone()).unwrap_or_default();
                                    view! {
                                        <li class:unread=!n.read>
                                            <a href=href on:click=move |_| open.set(false)>
                                                <span class="subject">
                                                    {format!("#{} {}", n.ticket_id, n.subject)}
                                                </span>
                                                <span class="text">{n.text.clone()}</span>
                                                <span class="muted small">
                                                    {who} " · " {ago(n.at)}
                                                    {(!n.read).then(|| view! { <span class="sr-only">" · unread"</span> })}
                                                </span>
                                            </a>
                                        </li>
                                    }
                                }
                            />
                        </ul>
                    </Show>
                </section>
            </Show>
        </div>
    }
}

/// Who of staff is online or away, under the board's title.
#[component]
pub(crate) fn Team(live: Live, me_id: UserId) -> impl IntoView {
    let line = move |which: crate::protocol::Availability| {
        live.availability.with(|all| {
            all.iter()
                .filter(|s| s.availability == which && s.person.id != me_id)
                .map(|s| s.person.name.clone())
                .collect::<Vec<_>>()
                .join(", ")
        })
    };
    view! {
        <p class="team muted small" aria-label="Team">
            {move || {
                let online = line(crate::protocol::Availability::Online);
                let away = line(crate::protocol::Availability::Away);
                match (online.is_empty(), away.is_empty()) {
                    (true, true) => "No colleague online".to_owned(),
                    (false, true) => format!("Online: {online}"),
                    (true, false) => format!("Away: {away}"),
                    (false, false) => format!("Online: {online} · Away: {away}"),
                }
            }}
        </p>
    }
}

/// Tells a member whether an operator of `department` can answer now.
pub(crate) fn support_status(
    live: Live,
    department: impl Fn() -> Option<DepartmentId> + Send + Sync + 'static,
) -> impl IntoView {
    let text = move || {
        let online = live.support_online.get()?;
        let department = department()?;
        Some(if online.contains(&department) {
            "An operator is online and will answer soon."
        } else {
            "No operator is online right now: we will answer here as soon as we are back."
        })
    };
    view! { <p class="support-status muted small" role="status" aria-label="Support">{text}</p> }
}

/// The connection's state, announced politely to screen readers when it changes.
#[component]
pub(crate) fn LinkState(live: Live) -> impl IntoView {
    let text = move || match live.link.get() {
        Link::Connecting => "Connecting…",
        Link::Online => "Live",
        Link::Reconnecting => "Reconnecting…",
        Link::SignedOut => "Signed out",
    };
    let class = move || match live.link.get() {
        Link::Online => "linkstate online",
        Link::Connecting | Link::Reconnecting => "linkstate waiting",
        Link::SignedOut => "linkstate off",
    };
    view! {
        <span class=class role="status" aria-live="polite" data-testid="link-state">
            {text}
        </span>
    }
}
