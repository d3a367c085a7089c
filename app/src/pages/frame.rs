//! The frame of staff's and members' desk: the top bar with notifications and the team,
//! the connection state, and the page that puts list and conversation side by side.

use crate::i18n::page_title;
use crate::i18n::t;
use crate::{
    i18n::{Lang, locale, tr},
    live::{Link, Live},
    protocol::{DepartmentId, MailReplies, Me, Role, Seq, TicketId, UserId},
    session::CurrentUser,
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
    let widget = (!staff)
        .then(crate::session::page_data)
        .and_then(|page| page.widget);
    let embedded = widget.is_some();
    let query = use_query_map();
    let selected = Memo::new(move |_| {
        query
            .read()
            .get("t")
            .and_then(|v| v.parse::<i64>().ok())
            .map(TicketId)
    });
    let composing = Memo::new(move |_| !staff && query.read().get("new").is_some());
    let writing_form = Memo::new(move |_| !staff && query.read().get("form").is_some());
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

    let title = tr(if staff {
        "board-title"
    } else {
        "support-title"
    });
    let list_title = tr(if staff { "queue" } else { "your-conversations" });
    // A language chosen on another screen of theirs reaches this one too.
    let lang = locale();
    Effect::new(move |_| {
        if let Some(chosen) = live.me.with(|me| me.as_ref().and_then(|me| me.language))
            && chosen != lang.get_untracked()
        {
            lang.set(chosen);
        }
    });
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
    // What waits, counted in the tab's title as the person chose.
    let title = move || {
        let title = title();
        match live.unread_count() {
            n if n > 0 && live.with_workspace(|w| w.title_count) => format!("({n}) {title}"),
            _ => title,
        }
    };
    view! {
        <Title text=page_title(title) />
        <div class="desk" class:embedded=embedded class:detail-open=move || selected.get().is_some() || composing.get() || writing_form.get()>
            <SkipLink />
            <TopBar me=me.clone() live embedded />
            <DeskKeys live staff />
            {widget.map(|frame| view! { <WidgetBridge live frame /> })}
            <main class="split" class:with-aside=move || staff && selected.get().is_some() && live.member_pane_open()>
                <section class="list-pane" aria-labelledby="list-title">
                    <div class="pane-head">
                        <h1 id="list-title" tabindex="-1">
                            {list_title}
                            <Show when=move || staff>
                                <span class="count" aria-label=tr("tickets-shown")>
                                    {move || live.tickets.with(Vec::len)}
                                </span>
                            </Show>
                        </h1>
                        <Show when=move || !staff>
                            <div class="pane-actions">
                                <a class="button" href="/account?form=1">{tr("feedback-form")}</a>
                                <a class="button primary" href="/account?new=1">{tr("new-conversation")}</a>
                            </div>
                        </Show>
                    </div>
                    {staff.then(|| view! { <Team live me_id /> })}
                    {staff
                        .then(|| {
                            view! {
                                <BoardHead
                                    live
                                    me_id
                                    departments=filter_departments.clone()
                                    options=filter_options.clone()
                                    queues=filter_queues.clone()
                                />
                            }
                        })}
                    <TicketList live base selected staff />
                    {(!staff).then(|| view! { <MailRepliesChoice live /> })}
                </section>
                <section class="detail-pane" aria-label=tr("conversation")>
                    {move || {
                        if composing.get() {
                            view! { <NewConversation live departments=departments.clone() /> }.into_any()
                        } else if writing_form.get() {
                            view! { <FeedbackForm live departments=departments.clone() /> }.into_any()
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
                                        {tr(if staff { "pick-ticket" } else { "pick-conversation" })}
                                    </p>
                                </div>
                            }
                                .into_any()
                        }
                    }}
                </section>
                {staff.then(|| view! { <MemberPane live /> })}
            </main>
        </div>
    }
}

/// A member's choice of when their answers reach them by mail too.
#[component]
fn MailRepliesChoice(live: Live) -> impl IntoView {
    let current = move || {
        live.me
            .with(|me| me.as_ref().map(|me| me.mail_replies))
            .unwrap_or_default()
    };
    view! {
        <label class="mail-replies small muted">
            {tr("mail-replies")}
            <select on:change=move |ev| {
                if let Some(choice) = MailReplies::parse(&event_target_value(&ev)) {
                    live.set_mail_replies(choice);
                }
            }>
                {[
                    (MailReplies::Away, "mail-replies-away"),
                    (MailReplies::Always, "mail-replies-always"),
                    (MailReplies::Never, "mail-replies-never"),
                ]
                    .into_iter()
                    .map(|(choice, key)| view! {
                        <option value=choice.as_str() selected=move || current() == choice>{tr(key)}</option>
                    })
                    .collect_view()}
            </select>
        </label>
    }
}

/// The bar across the top: brand, connection state, who is signed in, sign out. Inside a
/// host site's widget (`embedded`) the host signs people in and out: no password or sign-out.
#[component]
pub(crate) fn TopBar(me: Me, live: Live, #[prop(optional)] embedded: bool) -> impl IntoView {
    let role = tr(me.role.key());
    let staff = me.role.is_staff();
    view! {
        <header class="topbar">
            <a class="brand" href="/">"Switchboard"</a>
            <LinkState live />
            {staff
                .then(|| {
                    view! {
                        <nav class="places" aria-label=tr("places")>
                            <a href="/board" rel="external">{tr("board")}</a>
                            <a href="/incoming" rel="external">{tr("incoming-title")}</a>
                            {me.extension.is_some().then(|| view! { <CallsLink live /> })}
                            {matches!(me.role, Role::Moderator | Role::Administrator)
                                .then(|| view! { <a href="/wall" rel="external">{tr("wall")}</a> })}
                            <a href="/stats" rel="external">{tr("stats")}</a>
                            {(me.role == Role::Administrator)
                                .then(|| view! { <a href="/admin" rel="external">{tr("administration")}</a> })}
                        </nav>
                    }
                })}
            <div class="who">
                {staff
                    .then(|| {
                        view! {
                            <label class="check away" title=tr("away-hint")>
                                <input
                                    type="checkbox"
                                    prop:checked=move || live.away.get()
                                    on:change=move |ev| live.set_away(event_target_checked(&ev))
                                />
                                {tr("away")}
                            </label>
                        }
                    })}
                {staff.then(|| view! { <NotificationsMenu live /> })}
                <SettingsMenu live staff />
                <span class="name">{me.name.clone()}</span>
                <span class="role">{role}</span>
                <LanguageSwitch />
                {(!embedded)
                    .then(|| {
                        view! {
                            <a class="button ghost account" href="/password">{tr("change-password")}</a>
                            <form method="post" action="/logout">
                                <button type="submit" class="ghost">{tr("sign-out")}</button>
                            </form>
                        }
                    })}
            </div>
        </header>
    }
}

/// An agent's way to the calls page, saying how many of their calls wait to be ended.
#[component]
fn CallsLink(live: Live) -> impl IntoView {
    let lang = locale();
    view! {
        <a href="/calls" rel="external" class=move || { if live.calls_to_end() > 0 { "attention" } else { "" } }>
            {move || match live.calls_to_end() {
                0 => t!(lang.get(), "calls-title"),
                n => t!(lang.get(), "calls-title-to-end", count = n as i64),
            }}
        </a>
    }
}

/// Staff's notifications: a button with the unread count opening the newest ones; each
/// opens its ticket at the event. Esc closes the panel.
#[component]
pub(crate) fn NotificationsMenu(live: Live) -> impl IntoView {
    let open = RwSignal::new(false);
    let lang = locale();
    let label = move || match live.unread.get() {
        0 => t!(lang.get(), "notifications"),
        n => t!(lang.get(), "notifications-unread", count = n),
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
                <section id="notifications" class="notify-panel" aria-label=tr("notifications")>
                    <div class="notify-head">
                        <h2>{tr("notifications")}</h2>
                        <button
                            type="button"
                            class="link"
                            disabled=move || live.unread.get() == 0
                            on:click=move |_| live.read_all_notifications()
                        >
                            {tr("mark-all-read")}
                        </button>
                    </div>
                    <Show
                        when=move || live.notifications.with(|n| !n.is_empty())
                        fallback=|| view! {
                            <p class="muted small pad">{tr("notifications-empty")}</p>
                        }
                    >
                        <ul class="notify-list">
                            <For
                                each=move || live.notifications.get()
                                key=|n| (n.id, n.read)
                                children=move |n| {
                                    let href = format!("/board?t={}&m={}", n.ticket_id, n.seq.0);
                                    let who = n.author.as_ref().map(|a| a.name.clone()).unwrap_or_default();
                                    let (said, text) = (n.said.clone(), n.text.clone());
                                    view! {
                                        <li class:unread=!n.read>
                                            <a href=href on:click=move |_| open.set(false)>
                                                <span class="subject">
                                                    {format!("#{} {}", n.ticket_id, n.subject)}
                                                </span>
                                                <span class="text">{move || match &said {
                                                    Some(said) => said.text(lang.get()),
                                                    None => text.clone(),
                                                }}</span>
                                                <span class="muted small">
                                                    {who} " · " {move || ago(n.at, lang.get())}
                                                    {(!n.read).then(|| view! { <span class="sr-only">" " {tr("unread-mark")}</span> })}
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
    let lang = locale();
    view! {
        <p class="team muted small" aria-label=tr("team")>
            {move || {
                let online = line(crate::protocol::Availability::Online);
                let away = line(crate::protocol::Availability::Away);
                let lang = lang.get();
                match (online.is_empty(), away.is_empty()) {
                    (true, true) => t!(lang, "team-nobody"),
                    (false, true) => t!(lang, "team-online", names = online),
                    (true, false) => t!(lang, "team-away", names = away),
                    (false, false) => t!(lang, "team-both", online = online, away = away),
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
    let lang = locale();
    let text = move || {
        let online = live.support_online.get()?;
        let department = department()?;
        Some(t!(
            lang.get(),
            if online.contains(&department) {
                "support-online"
            } else {
                "support-offline"
            }
        ))
    };
    view! { <p class="support-status muted small" role="status" aria-label=tr("support")>{text}</p> }
}

/// The connection's state, announced politely to screen readers when it changes.
#[component]
pub(crate) fn LinkState(live: Live) -> impl IntoView {
    let lang = locale();
    let text = move || {
        let key = match live.link.get() {
            Link::Connecting => "link-connecting",
            Link::Online => "link-live",
            Link::Reconnecting => "link-reconnecting",
            Link::SignedOut => "link-signed-out",
        };
        t!(lang.get(), key)
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

/// The language switch on every page: the page speaks the chosen language at once (what is
/// typed stays), the browser remembers it for the pages it opens before signing in, and a
/// signed-in person's choice is kept on the server — for their other screens, which switch
/// too, and their next sign-in anywhere.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let lang = locale();
    let signed_in = use_context::<CurrentUser>().is_some_and(|user| user.0.is_some());
    let choose = move |ev| {
        let Some(chosen) = Lang::parse(&event_target_value(&ev)) else {
            return;
        };
        lang.set(chosen);
        remember_language(chosen, signed_in);
    };
    view! {
        <select
            class="language"
            aria-label=tr("language")
            prop:value=move || lang.get().code()
            on:change=choose
        >
            {Lang::ALL
                .into_iter()
                .map(|l| {
                    view! {
                        <option value=l.code() lang=l.code() selected=move || lang.get() == l>
                            {l.own_name()}
                        </option>
                    }
                })
                .collect_view()}
        </select>
    }
}

/// Keeps the chosen language: a year-long cookie for this browser and, signed in, the
/// person's own setting on the server.
fn remember_language(lang: Lang, signed_in: bool) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        if let Some(document) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok())
        {
            let _ = document.set_cookie(&format!(
                "switchboard_lang={}; path=/; max-age=31536000; SameSite=Lax",
                lang.code()
            ));
        }
        if signed_in && let Ok(request) = web_sys::XmlHttpRequest::new() {
            let body = serde_json::to_string(&crate::protocol::LanguageRequest { language: lang })
                .unwrap_or_default();
            let _ = request.open("PUT", "/api/me/language");
            let _ = request.set_request_header("content-type", "application/json");
            let _ = request.send_with_opt_str(Some(&body));
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (lang, signed_in);
}
