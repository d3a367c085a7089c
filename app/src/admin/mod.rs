//! The administration page: the desk's configuration as forms. Every change goes through the
//! socket, is validated by the server, and comes back as the whole configuration; a refusal
//! (a taken name, something in use) is shown as the server worded it.

mod imap;
mod mailboxes;
mod members;
mod reasons;
mod relay;
mod server;
mod sites;
mod staff;

use crate::i18n::page_title;
use mailboxes::MailboxesSection;
use members::MembersSection;
use reasons::ReasonsSection;
use relay::RelaySection;
use sites::SitesSection;
use staff::StaffSection;

use leptos::prelude::*;
use leptos_meta::Title;

use crate::i18n::t;
use crate::{
    i18n::{locale, tr},
    live::Live,
    protocol::{
        AdminAction, AdminDepartment, AdminMark, AdminOption, AdminQueue, CannedResponse, Channel,
        Department, DepartmentId, OptionKind, TicketStatus, limits,
    },
};

/// `/admin`: departments, staff, ticket options, rating marks and canned responses.
#[component]
pub fn AdminPage() -> impl IntoView {
    let Some(me) = crate::pages::me() else {
        return view! { <crate::pages::NotFound /> }.into_any();
    };
    let live = Live::for_admin();
    live.me.set(Some(me.clone()));
    provide_context(live);
    Effect::new(move |_| live.connect());
    let state = move || live.admin.get().unwrap_or_default();
    view! {
        <Title text=page_title(tr("admin-title")) />
        <div class="desk admin-page">
            <crate::pages::TopBar me live />
            <main class="admin">
                <h1>{tr("administration")}</h1>
                <p class="muted small">
                    {tr("admin-lead")}
                </p>
                <div class="admin-status">
                    {move || live.notice.get().map(|n| view! { <p class="alert" role="alert">{n}</p> })}
                    <p class="saved small" role="status" aria-label=tr("admin-changes")>
                        {move || (live.admin_saved.get() && live.notice.get().is_none()).then(tr("saved"))}
                    </p>
                </div>
                <Show
                    when=move || live.admin.with(Option::is_some)
                    fallback=|| view! { <p class="muted">{tr("loading")}</p> }
                >
                    <DepartmentsSection live departments=Signal::derive(move || state().departments) />
                    <StaffSection
                        live
                        staff=Signal::derive(move || state().staff)
                        departments=Signal::derive(move || state().departments)
                    />
                    <MembersSection live />
                    <SitesSection
                        live
                        sites=Signal::derive(move || state().sites)
                        revealed=Signal::derive(move || state().revealed)
                    />
                    {OptionKind::ALL
                        .into_iter()
                        .map(|kind| {
                            view! {
                                <OptionsSection
                                    live
                                    kind
                                    options=Signal::derive(move || {
                                        state().options.into_iter().filter(|o| o.option.kind == kind).collect()
                                    })
                                />
                            }
                        })
                        .collect_view()}
                    <QueuesSection live queues=Signal::derive(move || state().queues) />
                    <MailboxesSection
                        live
                        mailboxes=Signal::derive(move || state().mailboxes)
                        departments=Signal::derive(move || state().departments)
                    />
                    <RelaySection
                        live
                        relay=Signal::derive(move || state().relay)
                        settings_relay=Signal::derive(move || state().settings_relay)
                    />
                    <MarksSection live marks=Signal::derive(move || state().rating_marks) />
                    <ReasonsSection live reasons=Signal::derive(move || state().call_end_reasons) />
                    <CannedSection
                        live
                        canned=Signal::derive(move || state().canned)
                        departments=Signal::derive(move || state().departments)
                    />
                </Show>
            </main>
        </div>
    }
    .into_any()
}

fn departments_of(all: &[AdminDepartment]) -> Vec<Department> {
    all.iter()
        .map(|d| Department {
            id: d.id,
            name: d.name.clone(),
        })
        .collect()
}

#[component]
fn DepartmentsSection(live: Live, departments: Signal<Vec<AdminDepartment>>) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let lang = locale();
    let public = RwSignal::new(true);
    view! {
        <section class="admin-section" aria-labelledby="departments-title">
            <h2 id="departments-title">{tr("admin-departments")}</h2>
            <ul class="admin-list" aria-label=tr("admin-departments")>
                <For
                    each=move || departments.get()
                    key=|d| d.clone()
                    children=move |d| {
                        let id = d.id;
                        let name = RwSignal::new(d.name.clone());
                        let public = RwSignal::new(d.public);
                        let tickets = d.tickets;
                        let minutes = |m: Option<i64>| RwSignal::new(m.map(|m| m.to_string()).unwrap_or_default());
                        let first = minutes(d.targets.first_minutes);
                        let next = minutes(d.targets.next_minutes);
                        let read = |s: RwSignal<String>| s.get_untracked().trim().parse::<i64>().ok();
                        view! {
                            <li aria-label=d.name.clone()>
                                {text_input("field-name", name)}
                                <label class="check">
                                    <input type="checkbox" prop:checked=move || public.get() on:change=move |ev| public.set(event_target_checked(&ev)) />
                                    {tr("offered-in-support-centre")}
                                </label>
                                <span class="muted small">{move || t!(lang.get(), "tickets-count", count = tickets)}</span>
                                <button type="button" on:click=move |_| live.administer(AdminAction::UpdateDepartment { id, name: name.get_untracked(), public: public.get_untracked() })>{tr("save")}</button>
                                <DeleteButton on_confirm=move || live.administer(AdminAction::DeleteDepartment { id }) />
                                <span class="targets">
                                    <label class="field inline">
                                        {tr("first-answer-within")}
                                        <input type="number" min="1" inputmode="numeric" prop:value=move || first.get() on:input=move |ev| first.set(event_target_value(&ev)) />
                                    </label>
                                    <label class="field inline">
                                        {tr("next-answer-within")}
                                        <input type="number" min="1" inputmode="numeric" prop:value=move || next.get() on:input=move |ev| next.set(event_target_value(&ev)) />
                                    </label>
                                    <button
                                        type="button"
                                        on:click=move |_| live.administer(AdminAction::SetResponseTargets { id, first_minutes: read(first), next_minutes: read(next) })
                                    >
                                        {tr("save-targets")}
                                    </button>
                                </span>
                            </li>
                        }
                    }
                />
            </ul>
            <form
                class="admin-add"
                aria-label=tr("admin-new-department")
                on:submit=move |ev| {
                    ev.prevent_default();
                    live.administer(AdminAction::CreateDepartment { name: name.get_untracked(), public: public.get_untracked() });
                    name.set(String::new());
                }
            >
                <input aria-label=tr("admin-new-department-name") placeholder=tr("admin-new-department-placeholder") required prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) />
                <label class="check">
                    <input type="checkbox" prop:checked=move || public.get() on:change=move |ev| public.set(event_target_checked(&ev)) />
                    {tr("offered-in-support-centre")}
                </label>
                <button type="submit" class="primary">{tr("admin-add-department")}</button>
            </form>
        </section>
    }
}

/// "Delete", then "Confirm delete": nothing is deleted by one stray click. Esc or leaving
/// the button gives up.
#[component]
pub(super) fn DeleteButton(on_confirm: impl Fn() + 'static) -> impl IntoView {
    let armed = RwSignal::new(false);
    let lang = locale();
    view! {
        <button
            type="button"
            class="danger"
            class:armed=move || armed.get()
            on:click=move |_| {
                if armed.get_untracked() {
                    armed.set(false);
                    on_confirm();
                } else {
                    armed.set(true);
                }
            }
            on:blur=move |_| armed.set(false)
            on:keydown=move |ev| {
                if ev.key() == "Escape" {
                    armed.set(false);
                }
            }
        >
            {move || t!(lang.get(), if armed.get() { "confirm-delete" } else { "delete" })}
        </button>
    }
}

/// "Retire" or "Offer again".
#[component]
fn RetireButton(retired: bool, on_toggle: impl Fn() + 'static) -> impl IntoView {
    view! {
        <button type="button" on:click=move |_| on_toggle()>
            {tr(if retired { "offer-again" } else { "retire" })}
        </button>
    }
}

/// A text field bound to `value`, named for screen readers by the catalogue's `label`.
fn text_input(label: &'static str, value: RwSignal<String>) -> impl IntoView {
    view! {
        <input
            aria-label=tr(label)
            prop:value=move || value.get()
            on:input=move |ev| value.set(event_target_value(&ev))
        />
    }
}

/// Each row with the departments it is shown beside (a row is redrawn when either changes).
fn with_departments<T>(
    rows: Vec<T>,
    departments: Signal<Vec<AdminDepartment>>,
) -> Vec<(T, Vec<AdminDepartment>)> {
    let all = departments.get();
    rows.into_iter().map(|row| (row, all.clone())).collect()
}

fn side_picker(side: RwSignal<Option<TicketStatus>>) -> impl IntoView {
    view! {
        <select aria-label=tr("side") on:change=move |ev| side.set(TicketStatus::parse(&event_target_value(&ev)))>
            <option value="open" selected=move || side.get() == Some(TicketStatus::Open)>{tr("side-open")}</option>
            <option value="closed" selected=move || side.get() == Some(TicketStatus::Closed)>{tr("side-closed")}</option>
        </select>
    }
}

#[component]
fn OptionsSection(
    live: Live,
    kind: OptionKind,
    options: Signal<Vec<AdminOption>>,
) -> impl IntoView {
    let title = tr(match kind {
        OptionKind::Status => "admin-statuses",
        OptionKind::Criticality => "admin-criticality-levels",
        OptionKind::Category => "admin-categories",
        OptionKind::Service => "admin-services",
    });
    let lang = locale();
    let new_label = move || t!(lang.get(), &format!("admin-new-{}", kind.key()));
    let status = kind == OptionKind::Status;
    let label = RwSignal::new(String::new());
    let side = RwSignal::new(status.then_some(TicketStatus::Open));
    view! {
        <section class="admin-section" aria-label=title>
            <h2>{title}</h2>
            <ul class="admin-list" aria-label=title>
                <For
                    each=move || options.get()
                    key=|o| o.clone()
                    children=move |o| {
                        let id = o.option.id;
                        let label = RwSignal::new(o.option.label.clone());
                        let side = RwSignal::new(o.option.side);
                        let retired = o.retired;
                        view! {
                            <li aria-label=o.option.label.clone() class:retired=retired>
                                {text_input("field-label", label)}
                                {status.then(|| side_picker(side))}
                                <span class="muted small">
                                    {move || t!(lang.get(), "tickets-count", count = o.tickets)}
                                    {retired.then(|| view! { " · " {tr("retired")} })}
                                </span>
                                <button type="button" on:click=move |_| live.administer(AdminAction::UpdateOption { id, label: label.get_untracked(), side: side.get_untracked() })>{tr("save")}</button>
                                <RetireButton retired on_toggle=move || live.administer(AdminAction::RetireOption { id, retired: !retired }) />
                                <DeleteButton on_confirm=move || live.administer(AdminAction::DeleteOption { id }) />
                            </li>
                        }
                    }
                />
            </ul>
            <form
                class="admin-add"
                aria-label=new_label
                on:submit=move |ev| {
                    ev.prevent_default();
                    live.administer(AdminAction::CreateOption { kind, label: label.get_untracked(), side: side.get_untracked() });
                    label.set(String::new());
                }
            >
                <input aria-label=new_label placeholder=tr("new-placeholder") required prop:value=move || label.get() on:input=move |ev| label.set(event_target_value(&ev)) />
                {status.then(|| side_picker(side))}
                <button type="submit" class="primary">{tr("add")}</button>
            </form>
        </section>
    }
}

#[component]
fn QueuesSection(live: Live, queues: Signal<Vec<AdminQueue>>) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let lang = locale();
    let channel = RwSignal::new(Channel::Chat);
    view! {
        <section class="admin-section" aria-label=tr("admin-queues")>
            <h2>{tr("admin-queues")}</h2>
            <p class="muted small">
                {tr("admin-queues-lead")}
            </p>
            <ul class="admin-list" aria-label=tr("admin-queues")>
                <For
                    each=move || queues.get()
                    key=|q| q.clone()
                    children=move |q| {
                        let id = q.queue.id;
                        let name = RwSignal::new(q.queue.name.clone());
                        let retired = q.retired;
                        view! {
                            <li aria-label=q.queue.name.clone() class:retired=retired>
                                {text_input("field-name", name)}
                                <span class="muted small">
                                    {tr(channel_key(q.queue.channel))}
                                    " · "
                                    {move || t!(lang.get(), "tickets-count", count = q.tickets)}
                                    {retired.then(|| view! { " · " {tr("retired")} })}
                                </span>
                                <button type="button" on:click=move |_| live.administer(AdminAction::UpdateQueue { id, name: name.get_untracked() })>{tr("save")}</button>
                                <RetireButton retired on_toggle=move || live.administer(AdminAction::RetireQueue { id, retired: !retired }) />
                                <DeleteButton on_confirm=move || live.administer(AdminAction::DeleteQueue { id }) />
                            </li>
                        }
                    }
                />
            </ul>
            <form
                class="admin-add"
                aria-label=tr("admin-new-queue")
                on:submit=move |ev| {
                    ev.prevent_default();
                    live.administer(AdminAction::CreateQueue { name: name.get_untracked(), channel: channel.get_untracked() });
                    name.set(String::new());
                }
            >
                <input aria-label=tr("admin-new-queue-name") placeholder=tr("admin-new-queue-placeholder") required prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) />
                <select aria-label=tr("channel") on:change=move |ev| {
                    if let Some(c) = Channel::parse(&event_target_value(&ev)) {
                        channel.set(c);
                    }
                }>
                    {Channel::ALL
                        .into_iter()
                        .map(|c| view! { <option value=c.as_str() selected=move || channel.get() == c>{tr(channel_key(c))}</option> })
                        .collect_view()}
                </select>
                <button type="submit" class="primary">{tr("admin-add-queue")}</button>
            </form>
        </section>
    }
}

#[component]
fn MarksSection(live: Live, marks: Signal<Vec<AdminMark>>) -> impl IntoView {
    let label = RwSignal::new(String::new());
    view! {
        <section class="admin-section" aria-label=tr("admin-rating-marks")>
            <h2>{tr("admin-rating-marks")}</h2>
            <ul class="admin-list" aria-label=tr("admin-rating-marks")>
                <For
                    each=move || marks.get()
                    key=|m| m.clone()
                    children=move |m| {
                        let id = m.id;
                        let label = RwSignal::new(m.label.clone());
                        let retired = m.retired;
                        view! {
                            <li aria-label=m.label.clone() class:retired=retired>
                                {text_input("field-label", label)}
                                {retired.then(|| view! { <span class="muted small">{tr("retired")}</span> })}
                                <button type="button" on:click=move |_| live.administer(AdminAction::UpdateMark { id, label: label.get_untracked() })>{tr("save")}</button>
                                <RetireButton retired on_toggle=move || live.administer(AdminAction::RetireMark { id, retired: !retired }) />
                            </li>
                        }
                    }
                />
            </ul>
            <form
                class="admin-add"
                aria-label=tr("admin-new-mark")
                on:submit=move |ev| {
                    ev.prevent_default();
                    live.administer(AdminAction::CreateMark { label: label.get_untracked() });
                    label.set(String::new());
                }
            >
                <input aria-label=tr("admin-new-mark") placeholder=tr("admin-new-mark-placeholder") required prop:value=move || label.get() on:input=move |ev| label.set(event_target_value(&ev)) />
                <button type="submit" class="primary">{tr("add")}</button>
            </form>
        </section>
    }
}

fn department_select(all: Vec<Department>, chosen: RwSignal<DepartmentId>) -> impl IntoView {
    view! {
        <select aria-label=tr("department") on:change=move |ev| {
            if let Ok(id) = event_target_value(&ev).parse::<i64>() {
                chosen.set(DepartmentId(id));
            }
        }>
            {all
                .into_iter()
                .map(|d| {
                    let id = d.id;
                    view! { <option value=id.0 selected=move || chosen.get() == id>{d.name}</option> }
                })
                .collect_view()}
        </select>
    }
}

#[component]
fn CannedSection(
    live: Live,
    canned: Signal<Vec<CannedResponse>>,
    departments: Signal<Vec<AdminDepartment>>,
) -> impl IntoView {
    let title = RwSignal::new(String::new());
    let body = RwSignal::new(String::new());
    let department = RwSignal::new(DepartmentId(0));
    Effect::new(move |_| {
        if department.get_untracked().0 == 0
            && let Some(first) = departments.with(|d| d.first().map(|d| d.id))
        {
            department.set(first);
        }
    });
    view! {
        <section class="admin-section" aria-label=tr("admin-canned")>
            <h2>{tr("admin-canned")}</h2>
            <p class="muted small">
                {tr("admin-placeholders")}
            </p>
            <ul class="admin-list canned-list" aria-label=tr("admin-canned")>
                <For
                    each=move || { with_departments(canned.get(), departments) }
                    key=|(c, d)| (c.clone(), d.clone())
                    children=move |(c, all)| {
                        let id = c.id;
                        let title = RwSignal::new(c.title.clone());
                        let body = RwSignal::new(c.body.clone());
                        let department = RwSignal::new(c.department_id);
                        view! {
                            <li aria-label=c.title.clone()>
                                {department_select(departments_of(&all), department)}
                                {text_input("field-title", title)}
                                <textarea aria-label=tr("field-text") rows="2" maxlength=limits::MAX_BODY_CHARS prop:value=move || body.get() on:input=move |ev| body.set(event_target_value(&ev))></textarea>
                                <button type="button" on:click=move |_| live.administer(AdminAction::UpdateCanned { id, department_id: department.get_untracked(), title: title.get_untracked(), body: body.get_untracked() })>{tr("save")}</button>
                                <DeleteButton on_confirm=move || live.administer(AdminAction::DeleteCanned { id }) />
                            </li>
                        }
                    }
                />
            </ul>
            <form
                class="admin-add"
                aria-label=tr("admin-new-canned")
                on:submit=move |ev| {
                    ev.prevent_default();
                    live.administer(AdminAction::CreateCanned { department_id: department.get_untracked(), title: title.get_untracked(), body: body.get_untracked() });
                    title.set(String::new());
                    body.set(String::new());
                }
            >
                {move || department_select(departments_of(&departments.get()), department)}
                <input aria-label=tr("admin-new-canned-title") placeholder=tr("field-title") required prop:value=move || title.get() on:input=move |ev| title.set(event_target_value(&ev)) />
                <textarea aria-label=tr("admin-new-canned-text") placeholder=tr("admin-canned-placeholder") rows="2" required prop:value=move || body.get() on:input=move |ev| body.set(event_target_value(&ev))></textarea>
                <button type="submit" class="primary">{tr("admin-add-canned")}</button>
            </form>
        </section>
    }
}

/// The catalogue's name of a channel.
fn channel_key(channel: Channel) -> &'static str {
    match channel {
        Channel::Chat => "channel-chat",
        Channel::Email => "channel-email",
        Channel::Form => "channel-form",
        Channel::Phone => "channel-phone",
    }
}
