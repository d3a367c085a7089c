//! The pages: sign-in, the member's account with the support widget, and staff's board.

use leptos::{ev::KeyboardEvent, html, prelude::*};
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::{
    CurrentUser,
    files::{AttachButton, Attachments, Lightbox, UploadList, Uploads},
    live::{Delivery, Link, Live, OpenTicket, Pending, now},
    protocol::{
        BoardState, DepartmentId, EventKind, Me, MemberStatus, Millis, OptionId, OptionKind,
        PresenceMode, Role, Seq, StaffMember, TicketEvent, TicketFilter, TicketId, TicketOption,
        TicketStatus, TicketSummary, UserId, limits,
    },
};

/// Shown for an address that has no page.
#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <Title text="Not found · Switchboard" />
        <main class="centered">
            <div class="card narrow">
                <h1>"Page not found"</h1>
                <p><a href="/">"Back to Switchboard"</a></p>
            </div>
        </main>
    }
}

/// The sign-in form. It posts to `/login` as a plain form, so it works before hydration.
#[component]
pub fn LoginPage() -> impl IntoView {
    let query = use_query_map();
    let error = move || {
        query.read().get("error").map(|e| match e.as_str() {
            "credentials" => "Wrong email or password.",
            "unavailable" => "Signing in is unavailable right now. Please try again shortly.",
            _ => "Please enter your email and password.",
        })
    };
    view! {
        <Title text="Sign in · Switchboard" />
        <main class="centered">
            <form class="card narrow login" method="post" action="/login">
                <h1 class="brand">"Switchboard"</h1>
                <p class="muted">"Sign in to reach support or to work your queue."</p>
                {move || error().map(|e| view! { <p class="alert" role="alert">{e}</p> })}
                <label for="email">"Email"</label>
                <input id="email" name="email" type="email" autocomplete="username" required autofocus />
                <label for="password">"Password"</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required />
                <button type="submit" class="primary">"Sign in"</button>
            </form>
        </main>
    }
}

pub(crate) fn me() -> Option<Me> {
    use_context::<CurrentUser>().and_then(|u| u.0)
}

/// The member's personal account: their conversations and the support widget.
#[component]
pub fn AccountPage() -> impl IntoView {
    let Some(me) = me() else {
        return view! { <NotFound /> }.into_any();
    };
    desk_page(me, false).into_any()
}

/// Staff's board: the queue of open tickets of their departments and the ticket view.
#[component]
pub fn BoardPage() -> impl IntoView {
    let Some(me) = me() else {
        return view! { <NotFound /> }.into_any();
    };
    desk_page(me, true).into_any()
}

/// Both desks share one layout: a list pane and a detail pane (one at a time on a phone).
fn desk_page(me: Me, staff: bool) -> impl IntoView {
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
fn NotificationsMenu(live: Live) -> impl IntoView {
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
fn Team(live: Live, me_id: UserId) -> impl IntoView {
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
fn support_status(
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
fn LinkState(live: Live) -> impl IntoView {
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

/// The inbox or the queue.
#[component]
fn TicketList(
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
fn BoardFilters(
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

/// Staff: the ticket's parameters (status, criticality, category, related service) and the
/// form that saves them with its subject, sending nothing to the member.
#[component]
fn ParametersPanel(
    live: Live,
    id: TicketId,
    me_id: UserId,
    options: Vec<TicketOption>,
) -> impl IntoView {
    let editing = RwSignal::new(false);
    let subject = RwSignal::new(String::new());
    let chosen: [RwSignal<Option<OptionId>>; 4] = std::array::from_fn(|_| RwSignal::new(None));
    let summary = move || {
        live.open
            .with(|o| o.as_ref().and_then(|o| o.summary.clone()))
    };
    let locked = move || summary().is_some_and(|s| s.assignee.is_some_and(|p| p.id != me_id));
    let start = move || {
        if let Some(s) = live
            .open
            .with_untracked(|o| o.as_ref().and_then(|o| o.summary.clone()))
        {
            subject.set(s.subject.clone());
            for (i, kind) in OptionKind::ALL.into_iter().enumerate() {
                chosen[i].set(s.params.get(kind).map(|o| o.id));
            }
            editing.set(true);
        }
    };
    let save = move || {
        let [status_id, criticality_id, category_id, service_id] =
            chosen.map(|c| c.get_untracked());
        live.save_parameters(
            id,
            crate::protocol::ParametersRequest {
                subject: subject.get_untracked(),
                status_id,
                criticality_id,
                category_id,
                service_id,
            },
        );
        editing.set(false);
    };
    let current = move || {
        summary().map(|s| {
            OptionKind::ALL
                .into_iter()
                .filter_map(|kind| {
                    s.params.get(kind).map(|o| {
                        view! {
                            <span class="param-value">
                                <span class="muted">{format!("{}: ", kind.label())}</span>
                                {o.label.clone()}
                            </span>
                        }
                    })
                })
                .collect_view()
        })
    };
    let member = move || summary().map(|s| (s.member.id, s.member.name));
    let fields = OptionKind::ALL.into_iter().enumerate().map(|(i, kind)| {
        let choices: Vec<TicketOption> = options.iter().filter(|o| o.kind == kind).cloned().collect();
        let field_id = format!("param-{}", kind.as_str());
        let selected = chosen[i];
        view! {
            <label for=field_id.clone()>{kind.label()}</label>
            <select
                id=field_id
                on:change=move |ev| {
                    selected.set(event_target_value(&ev).parse::<i64>().ok().map(OptionId))
                }
            >
                <option value="" selected=move || selected.get().is_none()>"—"</option>
                {choices
                    .into_iter()
                    .map(|o| {
                        let oid = o.id;
                        let text = match o.side {
                            Some(TicketStatus::Closed) => format!("{} (closes)", o.label),
                            _ => o.label,
                        };
                        view! { <option value=o.id.0 selected=move || selected.get() == Some(oid)>{text}</option> }
                    })
                    .collect_view()}
            </select>
        }
    }).collect_view();
    view! {
        <div class="params">
            <div class="params-current">
                {current}
                {move || {
                    member()
                        .map(|(member_id, name)| {
                            view! {
                                <button
                                    type="button"
                                    class="link"
                                    on:click=move |_| {
                                        live.set_filter(TicketFilter {
                                            state: BoardState::All,
                                            member: Some(member_id),
                                            ..TicketFilter::default()
                                        })
                                    }
                                >
                                    {format!("All tickets of {name}")}
                                </button>
                            }
                        })
                }}
                <button
                    type="button"
                    class="link"
                    aria-expanded=move || editing.get().to_string()
                    disabled=locked
                    title=move || locked().then_some("Someone else has taken this ticket")
                    on:click=move |_| if editing.get_untracked() { editing.set(false) } else { start() }
                >
                    "Edit parameters"
                </button>
            </div>
            <Show when=move || editing.get()>
                <form
                    class="params-form"
                    aria-label="Ticket parameters"
                    on:submit=move |ev| {
                        ev.prevent_default();
                        save();
                    }
                    on:keydown=move |ev: KeyboardEvent| {
                        if ev.key() == "Escape" {
                            editing.set(false);
                        }
                    }
                >
                    <label for="param-subject">"Subject"</label>
                    <input
                        id="param-subject"
                        type="text"
                        maxlength=limits::MAX_SUBJECT_CHARS
                        prop:value=move || subject.get()
                        on:input=move |ev| subject.set(event_target_value(&ev))
                    />
                    {fields.clone()}
                    <div class="params-buttons">
                        <button type="submit" class="primary">"Save parameters"</button>
                        <button type="button" on:click=move |_| editing.set(false)>"Cancel"</button>
                    </div>
                </form>
            </Show>
        </div>
    }
}

/// What the full-text search found for the text in the filter box: subjects and messages
/// (staff also notes) of every ticket the reader may see, closed and archived ones included.
#[component]
fn SearchResults(live: Live, base: &'static str) -> impl IntoView {
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
fn SearchHitRow(hit: crate::protocol::SearchHit, base: &'static str) -> impl IntoView {
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
fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

#[component]
fn TicketRow(
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
    let holder = t.assignee.as_ref().map(|p| p.name.clone());
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
                    {holder.map(|name| view! { <span class="tag locked">{format!("Taken by {name}")}</span> })}
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

/// One ticket's history and the reply box.
#[component]
fn Conversation(
    live: Live,
    me_id: UserId,
    me_role: Role,
    base: &'static str,
    targets: Vec<crate::protocol::Department>,
    marks: Vec<crate::protocol::RatingMark>,
    canned: Vec<crate::protocol::CannedResponse>,
    me_name: String,
    jump: Memo<Option<Seq>>,
    options: Vec<TicketOption>,
) -> impl IntoView {
    let staff_view = me_role.is_staff();
    let open = move || live.open.get();
    let timeline: NodeRef<html::Ol> = NodeRef::new();
    // Keep the newest message in view as the history grows.
    Effect::new(move |_| {
        let _ = live.open.with(|o| o.as_ref().map(|o| o.events.len()));
        let _ = live.pending.with(Vec::len);
        if let Some(el) = timeline.get() {
            el.set_scroll_top(el.scroll_height());
        }
    });
    // Then bring the message a search hit points at into view, marked, once it is there.
    Effect::new(move |_| {
        let ready = live.open.with(|o| o.as_ref().is_some_and(|o| o.caught_up));
        let (Some(seq), true, Some(list)) = (jump.get(), ready, timeline.get()) else {
            return;
        };
        if let Ok(Some(item)) = list.query_selector(&format!("li[data-seq=\"{}\"]", seq.0)) {
            #[cfg(feature = "hydrate")]
            {
                let options = web_sys::ScrollIntoViewOptions::new();
                options.set_block(web_sys::ScrollLogicalPosition::Center);
                item.scroll_into_view_with_scroll_into_view_options(&options);
            }
            let _ = item.set_attribute("data-found", "");
        }
    });
    let ticket_id = Memo::new(move |_| live.open.with(|o| o.as_ref().map(|o| o.id)));
    view! {
        {move || {
            open()
                .map(|o: OpenTicket| {
                    let subject = o
                        .summary
                        .as_ref()
                        .map(|s| s.subject.clone())
                        .unwrap_or_else(|| format!("Ticket #{}", o.id));
                    let meta = o
                        .summary
                        .as_ref()
                        .map(|s| match &s.queue {
                            Some(q) => format!("#{} · {} · {} · {}", s.id, s.department.name, q.name, s.member.name),
                            None => format!("#{} · {} · {}", s.id, s.department.name, s.member.name),
                        })
                        .unwrap_or_default();
                    let actions = o
                        .summary
                        .clone()
                        .map(|s| {
                            let staff = live.me.with(|m| m.as_ref().map(|m| m.staff.clone()).unwrap_or_default());
                            ticket_actions(live, s, me_id, me_role, &targets, &staff)
                        });
                    view! {
                        <div class="ticket-head">
                            <a class="back" href=base>"← Back"</a>
                            <div class="grow">
                                <h2 class="ticket-subject">{subject}</h2>
                                <p class="muted small">{meta}</p>
                            </div>
                            <div class="actions">{actions}</div>
                        </div>
                        {o.error.clone().map(|e| view! { <p class="alert" role="alert">{e}</p> })}
                        {staff_view.then(|| view! { <PresenceBar live id=o.id staff=true /> })}
                    }
                })
        }}
        {move || {
            ticket_id
                .get()
                .filter(|_| staff_view)
                .map(|id| view! { <ParametersPanel live id me_id options=options.clone() /> })
        }}
        <ol class="timeline" aria-label="Messages" node_ref=timeline>
            <For
                each=move || live.open.with(|o| o.as_ref().map(|o| with_edits(&o.events)).unwrap_or_default())
                key=|(e, edited)| (e.ticket_id, e.seq, edited.clone())
                children=move |(e, edited)| view! { <EventItem e edited me_id live staff_view /> }
            />
            <For
                each=move || {
                    let id = ticket_id.get();
                    live.pending.with(|list| list.iter().filter(|p| Some(p.ticket_id) == id).cloned().collect::<Vec<_>>())
                }
                key=|p| (p.client_msg_id.clone(), p.delivery.clone())
                children=move |p| view! { <PendingItem p live /> }
            />
        </ol>
        <Lightbox lightbox=live.lightbox/>
        {(!me_role.is_staff())
            .then(|| {
                support_status(
                    live,
                    move || {
                        live.open
                            .with(|o| {
                                o.as_ref()
                                    .and_then(|o| o.summary.as_ref())
                                    .map(|s| s.department.id)
                            })
                    },
                )
            })}
        {(!me_role.is_staff()).then(|| rating_bar(live, marks))}
        {move || {
            ticket_id
                .get()
                .filter(|_| !staff_view)
                .map(|id| view! { <PresenceBar live id staff=false /> })
        }}
        {move || live.notice.get().map(|n| view! { <p class="alert notice" role="alert">{n}</p> })}
        {move || {
            ticket_id
                .get()
                .map(|id| {
                    view! {
                        <Composer
                            live
                            id
                            me_id
                            staff=me_role.is_staff()
                            canned=canned.clone()
                            me_name=me_name.clone()
                        />
                    }
                })
        }}
    }
}

/// Who else has the ticket open: staff see everyone, viewing or replying (and typing);
/// members see only support typing.
#[component]
fn PresenceBar(live: Live, id: TicketId, staff: bool) -> impl IntoView {
    let present = move || {
        live.presence
            .with(|all| all.get(&id).cloned().unwrap_or_default())
    };
    view! {
        {move || {
            let present = present();
            if staff {
                (!present.is_empty())
                    .then(|| {
                        view! {
                            <ul class="presence" aria-label="Here now">
                                {present
                                    .into_iter()
                                    .map(|p| {
                                        let replying = p.mode == PresenceMode::Replying;
                                        let doing = match (replying, p.typing) {
                                            (_, true) => "typing…",
                                            (true, false) => "replying",
                                            (false, false) => "viewing",
                                        };
                                        view! {
                                            <li class:replying=replying>
                                                {format!("{} · {doing}", p.person.name)}
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        }
                            .into_any()
                    })
            } else {
                // Always there, so that the line coming and going moves nothing.
                let text = present
                    .first()
                    .map(|p| format!("{} is typing…", p.person.name))
                    .unwrap_or_default();
                Some(view! { <p class="typing muted small" role="status">{text}</p> }.into_any())
            }
        }}
    }
}

/// The ticket's state and what the reader can do about it: take or release it (staff),
/// archive it once closed (member).
fn ticket_actions(
    live: Live,
    s: TicketSummary,
    me_id: UserId,
    me_role: Role,
    targets: &[crate::protocol::Department],
    staff: &[StaffMember],
) -> AnyView {
    let id = s.id;
    if !me_role.is_staff() {
        let closed = s.status == TicketStatus::Closed;
        return view! {
            {status_tag(s.member_status())}
            {(closed && !s.archived)
                .then(|| view! { <button type="button" on:click=move |_| live.archive(id)>"Archive"</button> })}
            {s.archived.then(|| view! { <span class="tag">"Archived"</span> })}
        }
        .into_any();
    }
    let moderator = matches!(me_role, Role::Moderator | Role::Administrator);
    let closed =
        (s.status == TicketStatus::Closed).then(|| view! { <span class="tag">"Closed"</span> });
    let may_write = s.assignee.as_ref().is_none_or(|p| p.id == me_id);
    let current = s.department.id;
    let options: Vec<_> = targets
        .iter()
        .filter(|d| d.id != current)
        .cloned()
        .collect();
    let transfer = (may_write && !options.is_empty()).then(|| {
        view! {
            <select
                class="transfer"
                aria-label="Transfer to department"
                on:change=move |ev| {
                    if let Ok(to) = event_target_value(&ev).parse::<i64>() {
                        live.transfer(id, DepartmentId(to));
                    }
                }
            >
                <option value="" selected>"Transfer to…"</option>
                {options
                    .into_iter()
                    .map(|d| view! { <option value=d.id.0>{d.name}</option> })
                    .collect_view()}
            </select>
        }
    });
    let following = move || live.following.with(|f| f.contains(&id));
    let follow = view! {
        <button
            type="button"
            class="follow"
            aria-pressed=move || following().to_string()
            title="Be notified of what happens to this ticket"
            on:click=move |_| live.follow(id, !following())
        >
            {move || if following() { "Following" } else { "Follow" }}
        </button>
    };
    let holder = s.assignee.as_ref().map(|p| p.id);
    let colleagues: Vec<_> = staff
        .iter()
        .filter(|m| m.works_in(current) && Some(m.person.id) != holder)
        .map(|m| m.person.clone())
        .collect();
    let assign = ((may_write || moderator) && !colleagues.is_empty()).then(|| {
        view! {
            <select
                class="transfer"
                aria-label="Assign to"
                on:change=move |ev| {
                    if let Ok(to) = event_target_value(&ev).parse::<i64>() {
                        live.assign(id, UserId(to));
                    }
                }
            >
                <option value="" selected>"Assign to…"</option>
                {colleagues
                    .into_iter()
                    .map(|p| {
                        let name = if p.id == me_id { format!("{} (you)", p.name) } else { p.name };
                        view! { <option value=p.id.0>{name}</option> }
                    })
                    .collect_view()}
            </select>
        }
    });
    let lock = match s.assignee {
        None => view! {
            <span class="tag">"Nobody has taken it"</span>
            <button type="button" class="primary" on:click=move |_| live.take(id)>"Take"</button>
        }
        .into_any(),
        Some(p) if p.id == me_id => view! {
            <span class="tag mine" data-testid="lock">"Taken by you"</span>
            <button type="button" on:click=move |_| live.release(id)>"Release"</button>
        }
        .into_any(),
        Some(p) => view! {
            <span class="tag locked" data-testid="lock">{format!("Taken by {}", p.name)}</span>
            {moderator.then(|| view! { <button type="button" on:click=move |_| live.release(id)>"Release"</button> })}
        }
        .into_any(),
    };
    // Passed on to a department this operator does not work in: they keep it, and see where
    // it is active now.
    let elsewhere = live
        .me
        .with_untracked(|m| {
            m.as_ref().is_some_and(|m| {
                m.role == Role::Operator && !m.departments.iter().any(|d| d.id == current)
            })
        })
        .then(|| {
            view! { <span class="tag waiting">{format!("Active at {}", s.department.name)}</span> }
        });
    view! { {elsewhere} {closed} {lock} {follow} {assign} {transfer} }.into_any()
}

/// The member's rating of support's answer: shown once there is an answer; the chosen mark
/// is pressed, and choosing another changes it.
fn rating_bar(live: Live, marks: Vec<crate::protocol::RatingMark>) -> impl IntoView {
    let answered = move || {
        live.open.with(|o| {
            o.as_ref().is_some_and(|o| {
                o.events.iter().any(|e| {
                    matches!(e.kind, EventKind::Message { .. })
                        && e.author.as_ref().is_some_and(|a| a.role.is_staff())
                })
            })
        })
    };
    let current = Memo::new(move |_| {
        live.open.with(|o| {
            o.as_ref().and_then(|o| {
                o.events.iter().rev().find_map(|e| match &e.kind {
                    EventKind::Rated { mark } => Some(mark.id),
                    _ => None,
                })
            })
        })
    });
    let ticket = move || live.open.with(|o| o.as_ref().map(|o| o.id));
    view! {
        <Show when=answered>
            <div class="rating" role="group" aria-label="Rate the answer">
                <span class="muted small">"Rate the answer:"</span>
                {marks
                    .iter()
                    .map(|m| {
                        let id = m.id;
                        view! {
                            <button
                                type="button"
                                class="mark"
                                aria-pressed=move || if current.get() == Some(id) { "true" } else { "false" }
                                on:click=move |_| {
                                    if let Some(ticket) = ticket() {
                                        live.rate(ticket, id);
                                    }
                                }
                            >
                                {m.label.clone()}
                            </button>
                        }
                    })
                    .collect_view()}
            </div>
        </Show>
    }
}

/// The member-side state of a ticket, as a tag.
fn status_tag(status: MemberStatus) -> impl IntoView {
    let (class, text) = match status {
        MemberStatus::UnderReview => ("tag review", "Under review"),
        MemberStatus::NewMessages => ("tag new", "New messages"),
        MemberStatus::Viewed => ("tag viewed", "Viewed"),
        MemberStatus::Closed => ("tag", "Closed"),
    };
    view! { <span class=class data-testid="member-status">{text}</span> }
}

#[component]
fn EventItem(
    e: TicketEvent,
    edited: Option<String>,
    me_id: UserId,
    live: Live,
    staff_view: bool,
) -> impl IntoView {
    let author = e.author.clone();
    let who = author
        .as_ref()
        .map_or_else(|| "Someone".to_owned(), |a| a.name.clone());
    let system = |text: String| {
        view! {
            <li class="system">
                {text}
                " · "
                <time>{clock(e.at)}</time>
            </li>
        }
        .into_any()
    };
    let note = matches!(e.kind, EventKind::Note { .. });
    match e.kind {
        EventKind::Created { department, .. } => system(format!(
            "{who} opened this conversation in {}",
            department.name
        )),
        EventKind::Taken => system(format!("{who} took this ticket")),
        EventKind::Released { holder } => match holder {
            Some(h) if Some(h.id) != author.as_ref().map(|a| a.id) => {
                system(format!("{who} released this ticket from {}", h.name))
            }
            _ => system(format!("{who} released this ticket")),
        },
        EventKind::Closed => system(format!("{who} closed this conversation")),
        EventKind::Reopened => system(format!("{who} reopened this conversation")),
        EventKind::Archived => system(format!("{who} archived this conversation")),
        EventKind::Rated { mark } => system(format!("{who} rated the answer: {}", mark.label)),
        EventKind::Edited { previous, .. } => {
            system(format!("{who} edited a message; it read: “{previous}”"))
        }
        EventKind::SplitOff {
            ticket, subject, ..
        } => system(format!(
            "{who} split this conversation: it continues in #{ticket} “{subject}”"
        )),
        EventKind::SplitFrom { ticket, subject } => system(format!(
            "{who} split this conversation off #{ticket} “{subject}”"
        )),
        EventKind::ParametersChanged { changes } => {
            let said: Vec<String> = changes
                .iter()
                .map(|c| {
                    let field = crate::protocol::OptionKind::parse(&c.field)
                        .map_or("subject", |k| k.label())
                        .to_lowercase();
                    let value = |v: &Option<String>| {
                        v.as_ref().map_or("none".to_owned(), |v| format!("“{v}”"))
                    };
                    format!("{field} {} → {}", value(&c.from), value(&c.to))
                })
                .collect();
            system(format!("{who} changed the {}", said.join("; ")))
        }
        EventKind::Transferred { to, .. } => system(format!(
            "{who} transferred this conversation to {}",
            to.name
        )),
        EventKind::Assigned { to, .. } => {
            system(format!("{who} assigned this ticket to {}", to.name))
        }
        EventKind::Message {
            body, attachments, ..
        }
        | EventKind::Note {
            body, attachments, ..
        } => {
            let mine = author.as_ref().is_some_and(|a| a.id == me_id);
            let staff = author.as_ref().is_some_and(|a| a.role.is_staff());
            let edited_mark = edited.is_some();
            let body = edited.unwrap_or(body);
            let quoted = body.clone();
            let seq = e.seq;
            let current = body.clone();
            let edit = (staff_view && mine).then(|| {
                view! {
                    <button
                        type="button"
                        class="link quote"
                        on:click=move |_| live.editing.set(Some((seq, current.clone())))
                    >
                        "Edit"
                    </button>
                }
            });
            let quote = staff_view.then(|| {
                view! {
                    <button
                        type="button"
                        class="link quote"
                        title="Quote the selected passage (or the whole message) in the reply"
                        on:click=move |_| live.quote.set(Some(crate::canned::quote(&selected_or(&quoted))))
                    >
                        "Quote"
                    </button>
                }
            });
            let ticket = e.ticket_id;
            let split = (staff_view && !note && seq.0 > 2).then(|| {
                view! {
                    <button
                        type="button"
                        class="link quote"
                        title="Move the conversation from this message on into a new ticket"
                        on:click=move |_| live.split(ticket, seq)
                    >
                        "Split from here"
                    </button>
                }
            });
            view! {
                <li class="message" class:mine=mine class:staff=staff class:note=note data-seq=e.seq.0>
                    <div class="bubble">
                        <div class="from">
                            <span class="author">{who}</span>
                            {note.then(|| view! { <span class="note-label">"Hidden note"</span> })}
                            <time>{clock(e.at)}</time>
                            {edited_mark.then(|| view! { <span class="edited">"edited"</span> })}
                            {quote}
                            {edit}
                            {split}
                        </div>
                        {(!body.is_empty()).then(|| view! { <p class="body">{body}</p> })}
                        {(!attachments.is_empty()).then(|| view! { <Attachments files=attachments lightbox=live.lightbox/> })}
                        {mine.then(|| view! { <span class="delivery sent">"Sent"</span> })}
                    </div>
                </li>
            }
            .into_any()
        }
    }
}

#[component]
fn PendingItem(p: Pending, live: Live) -> impl IntoView {
    let retry_id = p.client_msg_id.clone();
    let state = match &p.delivery {
        Delivery::Sending => view! { <span class="delivery sending">"Sending…"</span> }.into_any(),
        Delivery::Sent => view! { <span class="delivery sent">"Sent"</span> }.into_any(),
        Delivery::Failed(why) => view! {
            <span class="delivery failed" role="alert">
                {format!("Not sent: {why}")}
                " "
                <button type="button" class="link" on:click=move |_| live.retry(&retry_id)>
                    "Retry"
                </button>
            </span>
        }
        .into_any(),
    };
    let note = p.hidden;
    view! {
        <li class="message mine pending" class:note=note>
            <div class="bubble">
                <div class="from">
                    <span class="author">"You"</span>
                    <time>{clock(p.at)}</time>
                </div>
                {(!p.body.is_empty()).then(|| view! { <p class="body">{p.body.clone()}</p> })}
                {(!p.attachments.is_empty()).then(|| view! { <Attachments files=p.attachments.clone() lightbox=live.lightbox/> })}
                {state}
            </div>
        </li>
    }
}

/// The reply box: Enter sends, Shift+Enter starts a new line, Esc clears. Files are attached
/// with its button, dropped on it or pasted into it, and go with the next message once
/// uploaded. Staff can write a hidden note instead, or send and close; it is disabled while
/// someone else holds the ticket.
#[component]
fn Composer(
    live: Live,
    id: TicketId,
    me_id: UserId,
    staff: bool,
    canned: Vec<crate::protocol::CannedResponse>,
    me_name: String,
) -> impl IntoView {
    let draft = RwSignal::new(String::new());
    let box_ref: NodeRef<html::Textarea> = NodeRef::new();
    let uploads = Uploads::default();
    let limits = file_limits(live);
    let dragging = RwSignal::new(false);
    // A quotation asked for elsewhere (a message's "Quote") joins the draft.
    Effect::new(move |_| {
        if let Some(text) = live.quote.get() {
            live.quote.set(None);
            draft.update(|d| {
                if !d.is_empty() && !d.ends_with('\n') {
                    d.push('\n');
                }
                d.push_str(&text);
            });
            if let Some(el) = box_ref.get() {
                let _ = el.focus();
            }
        }
    });
    // Editing a message: its text fills the box; Enter saves, Esc gives up.
    Effect::new(move |_| {
        if let Some((_, text)) = live.editing.get() {
            draft.set(text);
            if let Some(el) = box_ref.get() {
                let _ = el.focus();
            }
        }
    });
    let department = Memo::new(move |_| {
        live.open.with(|o| {
            o.as_ref()
                .and_then(|o| o.summary.as_ref())
                .map(|s| s.department.id)
        })
    });
    // The canned responses on offer follow the configuration live.
    let canned = Memo::new(move |_| {
        live.me.with(|m| {
            m.as_ref()
                .map_or_else(|| canned.clone(), |m| m.canned.clone())
        })
    });
    let insert_canned = {
        move |response_id: i64| {
            let Some(response) =
                canned.with_untracked(|all| all.iter().find(|c| c.id == response_id).cloned())
            else {
                return;
            };
            let values = live.open.with_untracked(|o| {
                let s = o.as_ref().and_then(|o| o.summary.as_ref());
                crate::canned::Placeholders {
                    member: s.map(|s| s.member.name.clone()).unwrap_or_default(),
                    ticket: id.to_string(),
                    operator: me_name.clone(),
                    department: s.map(|s| s.department.name.clone()).unwrap_or_default(),
                }
            });
            let text = crate::canned::fill(&response.body, &values);
            live.quote.set(Some(text));
        }
    };
    let canned_picker = move || {
        let here: Vec<_> = canned.with(|all| {
            all.iter()
                .filter(|c| Some(c.department_id) == department.get())
                .cloned()
                .collect()
        });
        let insert = insert_canned.clone();
        (staff && !here.is_empty()).then(|| {
            view! {
                <select
                    class="canned"
                    aria-label="Insert canned response"
                    prop:value=""
                    on:change=move |ev| {
                        if let Ok(response) = event_target_value(&ev).parse::<i64>() {
                            insert(response);
                        }
                    }
                >
                    <option value="">"Canned response…"</option>
                    {here
                        .into_iter()
                        .map(|c| view! { <option value=c.id>{c.title}</option> })
                        .collect_view()}
                </select>
            }
        })
    };
    // "Hide and don't notify": each reply starts as the person's default says.
    let notes_by_default = Memo::new(move |_| {
        live.me
            .with(|m| m.as_ref().is_some_and(|m| m.notes_by_default))
    });
    let hidden = RwSignal::new(staff && notes_by_default.get_untracked());
    Effect::new(move |_| hidden.set(staff && notes_by_default.get()));
    let held_by_other = Memo::new(move |_| {
        live.open.with(|o| {
            o.as_ref()
                .and_then(|o| o.summary.as_ref())
                .and_then(|s| s.assignee.as_ref())
                .filter(|p| p.id != me_id)
                .map(|p| p.name.clone())
        })
    });
    let send = move |close: bool| {
        let body = draft.get_untracked();
        let editing = live.editing.get_untracked();
        let files = if editing.is_some() {
            Vec::new()
        } else {
            uploads.ready()
        };
        if (body.trim().is_empty() && files.is_empty())
            || body.chars().count() > limits::MAX_BODY_CHARS
            || held_by_other.get_untracked().is_some()
            || uploads.busy()
        {
            return;
        }
        if let Some((seq, _)) = editing {
            if body.trim().is_empty() {
                return;
            }
            live.edit(id, seq, body.trim().to_owned());
            live.editing.set(None);
        } else {
            live.send_message(
                id,
                body.trim().to_owned(),
                staff && hidden.get_untracked(),
                close,
                files,
            );
            uploads.sent();
        }
        draft.set(String::new());
        live.drafting(true);
    };
    let on_key = enter_sends(
        move || send(false),
        move || {
            live.editing.set(None);
            draft.set(String::new());
        },
    );
    let too_long = move || draft.with(|d| d.chars().count() > limits::MAX_BODY_CHARS);
    let has_files = move || {
        uploads.list.with(|l| {
            l.iter()
                .any(|u| matches!(u.state, crate::files::UploadState::Ready(_)))
        })
    };
    let cannot_send = move || {
        (draft.with(|d| d.trim().is_empty()) && (!has_files() || live.editing.get().is_some()))
            || too_long()
            || held_by_other.get().is_some()
            || uploads.busy()
    };
    let (drop_files, on_paste) = file_handlers(uploads, limits, move || {
        held_by_other.get_untracked().is_none() && live.editing.get_untracked().is_none()
    });
    let on_drop = move |ev: leptos::ev::DragEvent| {
        dragging.set(false);
        drop_files(ev);
    };
    view! {
        <form
            class="composer"
            class:note=move || hidden.get()
            class:dragging=move || dragging.get()
            on:dragover=move |ev| {
                ev.prevent_default();
                dragging.set(true);
            }
            on:dragleave=move |_| dragging.set(false)
            on:drop=on_drop
            on:submit=move |ev| {
                ev.prevent_default();
                send(false);
            }
        >
            {move || live.editing.get().map(|_| view! {
                <p class="muted small held">"Editing your message: Enter saves, Esc cancels. The previous text stays in the history."</p>
            })}
            {move || held_by_other.get().map(|name| view! {
                <p class="muted small held">{format!("{name} has taken this ticket: only they can write to it until it is released.")}</p>
            })}
            <textarea
                node_ref=box_ref
                aria-label="Your message"
                placeholder=move || if hidden.get() { "Hidden note for staff… (Enter saves)" } else { "Write a message… (Enter sends, Shift+Enter for a new line)" }
                rows="2"
                prop:value=move || draft.get()
                prop:disabled=move || held_by_other.get().is_some()
                on:input=move |ev| {
                    let text = event_target_value(&ev);
                    live.drafting(text.trim().is_empty());
                    draft.set(text);
                }
                on:keydown=on_key
                on:paste=on_paste
            ></textarea>
            <UploadList uploads/>
            <div class="send">
                <Show when=move || live.editing.get().is_none() && held_by_other.get().is_none()>
                    <AttachButton uploads limits/>
                </Show>
                <button type="submit" class="primary" disabled=cannot_send>
                    {move || if live.editing.get().is_some() { "Save" } else if uploads.busy() { "Uploading…" } else if hidden.get() { "Add note" } else { "Send" }}
                </button>
                <Show when=move || staff && !hidden.get()>
                    <button type="button" disabled=cannot_send on:click=move |_| send(true)>
                        "Send and close"
                    </button>
                </Show>
            </div>
            <Show when=move || staff>
                <div class="composer-tools">
                <label class="note-toggle">
                    <input
                        type="checkbox"
                        prop:checked=move || hidden.get()
                        on:change=move |ev| hidden.set(event_target_checked(&ev))
                    />
                    "Hidden note (staff only)"
                </label>
                <label class="note-toggle">
                    <input
                        type="checkbox"
                        prop:checked=move || notes_by_default.get()
                        on:change=move |ev| live.set_notes_by_default(event_target_checked(&ev))
                    />
                    "Hidden notes by default"
                </label>
                {canned_picker.clone()}
                </div>
            </Show>
            <Show when=too_long>
                <p class="alert small" role="alert">
                    {format!("A message is at most {} characters.", limits::MAX_BODY_CHARS)}
                </p>
            </Show>
        </form>
    }
}

/// The member's form for a new conversation. Esc cancels.
#[component]
fn NewConversation(live: Live, departments: Vec<crate::protocol::Department>) -> impl IntoView {
    let navigate = use_navigate();
    // The departments on offer follow the configuration live.
    let offered = Memo::new(move |_| {
        live.me.with(|m| {
            m.as_ref()
                .map_or_else(|| departments.clone(), |m| m.departments.clone())
        })
    });
    let first = offered
        .with_untracked(|d| d.first().map(|d| d.id.0))
        .unwrap_or_default();
    let department = RwSignal::new(first);
    let subject = RwSignal::new(String::new());
    let body = RwSignal::new(String::new());
    let uploads = Uploads::default();
    let limits = file_limits(live);
    let submit = move || {
        let text = body.get_untracked();
        if text.trim().is_empty() || uploads.busy() {
            return;
        }
        live.start_ticket(
            DepartmentId(department.get_untracked()),
            subject.get_untracked().trim().to_owned(),
            text.trim().to_owned(),
            uploads.ready(),
        );
        uploads.sent();
    };
    let (on_drop, on_paste) = file_handlers(uploads, limits, || true);
    let cancel = {
        let navigate = navigate.clone();
        move || {
            live.starting.set(None);
            navigate("/account", Default::default());
        }
    };
    let on_key = enter_sends(submit, cancel.clone());
    let on_form_key = {
        let cancel = cancel.clone();
        move |ev: KeyboardEvent| {
            if ev.key() == "Escape" {
                cancel();
            }
        }
    };
    let state = move || {
        live.starting.with(|s| {
            s.as_ref().map(|s| match &s.delivery {
                Delivery::Sending => {
                    view! { <p class="delivery sending">"Starting…"</p> }.into_any()
                }
                Delivery::Sent => view! { <p class="delivery sent">"Sent"</p> }.into_any(),
                Delivery::Failed(why) => {
                    view! { <p class="alert" role="alert">{format!("Not sent: {why}")}</p> }
                        .into_any()
                }
            })
        })
    };
    view! {
        <form
            class="new-conversation"
            aria-labelledby="new-title"
            on:keydown=on_form_key
            on:dragover=move |ev| ev.prevent_default()
            on:drop=on_drop
            on:submit=move |ev| {
                ev.prevent_default();
                submit();
            }
        >
            <div class="ticket-head">
                <a class="back" href="/account">"← Back"</a>
                <h2 id="new-title">"New conversation"</h2>
            </div>
            <label for="department">"Department"</label>
            <select
                id="department"
                on:change=move |ev| department.set(event_target_value(&ev).parse().unwrap_or(first))
            >
                <For
                    each=move || offered.get()
                    key=|d| (d.id, d.name.clone())
                    children=move |d| view! { <option value=d.id.0>{d.name}</option> }
                />
            </select>
            {support_status(live, move || Some(DepartmentId(department.get())))}
            <label for="subject">"Subject"</label>
            <input
                id="subject"
                type="text"
                maxlength=limits::MAX_SUBJECT_CHARS
                placeholder="In a few words (optional)"
                prop:value=move || subject.get()
                on:input=move |ev| subject.set(event_target_value(&ev))
            />
            <label for="first-message">"Message"</label>
            <textarea
                id="first-message"
                rows="5"
                placeholder="How can we help? (Enter sends, Shift+Enter for a new line)"
                prop:value=move || body.get()
                on:input=move |ev| body.set(event_target_value(&ev))
                on:keydown=on_key
                on:paste=on_paste
            ></textarea>
            <UploadList uploads/>
            <div class="attach-row">
                <AttachButton uploads limits/>
                <span class="muted small">"Pictures and documents, up to "{move || crate::files::human_size(limits.get().max_file_bytes)}" each"</span>
            </div>
            {state}
            <div class="actions">
                <button type="button" class="ghost" on:click=move |_| cancel()>"Cancel"</button>
                <button
                    type="submit"
                    class="primary"
                    disabled=move || body.with(|b| b.trim().is_empty()) || uploads.busy() || live.starting.with(|s| s.as_ref().is_some_and(|s| s.delivery == Delivery::Sending))
                >
                    "Start conversation"
                </button>
            </div>
        </form>
    }
}

/// The desk's file limits, as the page learned them.
fn file_limits(live: Live) -> Signal<crate::protocol::FileLimits> {
    Signal::derive(move || {
        live.me.with(|m| {
            m.as_ref()
                .map(|m| m.file_limits.clone())
                .unwrap_or_default()
        })
    })
}

/// Handlers adding files dropped on a form or pasted into its text (a screenshot from the
/// clipboard) to `uploads`, while `open` says files are welcome.
fn file_handlers(
    uploads: Uploads,
    limits: Signal<crate::protocol::FileLimits>,
    open: impl Fn() -> bool + Copy + 'static,
) -> (
    impl Fn(leptos::ev::DragEvent) + Copy + 'static,
    impl Fn(leptos::ev::ClipboardEvent) + Copy + 'static,
) {
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        #[cfg(feature = "hydrate")]
        if open() {
            crate::files::add_all(
                uploads,
                ev.data_transfer().and_then(|d| d.files()),
                &limits.get_untracked(),
            );
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (uploads, limits, open);
    };
    let on_paste = move |ev: leptos::ev::ClipboardEvent| {
        #[cfg(feature = "hydrate")]
        if open()
            && crate::files::add_all(
                uploads,
                ev.clipboard_data().and_then(|d| d.files()),
                &limits.get_untracked(),
            )
        {
            ev.prevent_default();
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, uploads, limits, open);
    };
    (on_drop, on_paste)
}

/// A ticket's events, each message paired with its latest edited text (if it was edited).
fn with_edits(events: &[TicketEvent]) -> Vec<(TicketEvent, Option<String>)> {
    events
        .iter()
        .map(|e| {
            let latest = events.iter().rev().find_map(|later| match &later.kind {
                EventKind::Edited {
                    message_seq, body, ..
                } if *message_seq == e.seq => Some(body.clone()),
                _ => None,
            });
            (e.clone(), latest)
        })
        .collect()
}

/// The text selected on the page when it lies within `message`; otherwise the whole message.
fn selected_or(message: &str) -> String {
    #[cfg(feature = "hydrate")]
    {
        let selected = web_sys::window()
            .and_then(|w| w.get_selection().ok().flatten())
            .map(|s| String::from(s.to_string()))
            .unwrap_or_default();
        let selected = selected.trim();
        if !selected.is_empty() && message.contains(selected) {
            return selected.to_owned();
        }
    }
    message.to_owned()
}

/// The keys of every text box that sends: Enter sends, Shift+Enter is a new line (as is
/// Enter while an input method is composing), Esc cancels.
fn enter_sends(
    send: impl Fn() + 'static,
    cancel: impl Fn() + 'static,
) -> impl Fn(KeyboardEvent) + 'static {
    move |ev: KeyboardEvent| match ev.key().as_str() {
        "Enter" if !ev.shift_key() && !ev.is_composing() => {
            ev.prevent_default();
            send();
        }
        "Escape" => cancel(),
        _ => {}
    }
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// A moment as the reader's clock shows it: "14:05" today, "3 Nov 14:05" before.
fn clock(at: Millis) -> String {
    #[cfg(feature = "hydrate")]
    {
        let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(at as f64));
        let today = js_sys::Date::new_0();
        let time = format!("{:02}:{:02}", date.get_hours(), date.get_minutes());
        if date.to_date_string() == today.to_date_string() {
            time
        } else {
            let month = MONTHS.get(date.get_month() as usize).copied().unwrap_or("");
            format!("{} {month} {time}", date.get_date())
        }
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (at, MONTHS);
        String::new()
    }
}

/// How long ago, in words: "just now", "5 min ago", "3 h ago", "2 d ago".
fn ago(at: Millis) -> String {
    let minutes = (now() - at).max(0) / 60_000;
    match minutes {
        0 => "just now".into(),
        1..=59 => format!("{minutes} min ago"),
        60..=1439 => format!("{} h ago", minutes / 60),
        _ => format!("{} d ago", minutes / 1440),
    }
}
