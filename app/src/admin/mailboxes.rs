//! The mailboxes section of the administration page: where mail comes in, and the
//! department its tickets go to.

use leptos::prelude::*;

use super::{DeleteButton, imap::MailboxImap};
use crate::{
    i18n::tr,
    live::Live,
    protocol::{AdminAction, AdminDepartment, DepartmentId, Mailbox},
};

#[component]
pub(super) fn MailboxesSection(
    live: Live,
    mailboxes: Signal<Vec<Mailbox>>,
    departments: Signal<Vec<AdminDepartment>>,
) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let address = RwSignal::new(String::new());
    let department = RwSignal::new(None::<DepartmentId>);
    let allow_new_members = RwSignal::new(false);
    let hold_all = RwSignal::new(false);
    let department_name = move |id: DepartmentId| {
        departments.with(|all| {
            all.iter()
                .find(|d| d.id == id)
                .map(|d| d.name.clone())
                .unwrap_or_default()
        })
    };
    view! {
        <section class="admin-section" aria-label=tr("admin-mailboxes")>
            <h2>{tr("admin-mailboxes")}</h2>
            <p class="muted small">{tr("admin-mailboxes-lead")}</p>
            <ul class="admin-list" aria-label=tr("admin-mailboxes")>
                <For
                    each=move || mailboxes.get()
                    key=|m| m.clone()
                    children=move |m| {
                        let id = m.id;
                        let goes_to = department_name(m.department_id);
                        let imap = m.clone();
                        view! {
                            <li aria-label=m.name.clone()>
                                <strong>{m.name.clone()}</strong>
                                <span>{m.address.clone()}</span>
                                <span class="muted small">
                                    "→ " {goes_to}
                                    {m.allow_new_members.then(|| view! { " · " {tr("mailbox-new-members")} })}
                                    {m.hold_all.then(|| view! { " · " {tr("mailbox-hold-all")} })}
                                </span>
                                <DeleteButton on_confirm=move || live.administer(AdminAction::DeleteMailbox { id }) />
                                <MailboxImap live=live m=imap />
                            </li>
                        }
                    }
                />
            </ul>
            <form
                class="admin-add"
                aria-label=tr("admin-new-mailbox")
                on:submit=move |ev| {
                    ev.prevent_default();
                    let chosen = department
                        .get_untracked()
                        .or_else(|| departments.with_untracked(|d| d.first().map(|d| d.id)));
                    let Some(department_id) = chosen else { return };
                    live.administer(AdminAction::CreateMailbox {
                        name: name.get_untracked(),
                        address: address.get_untracked(),
                        department_id,
                        queue_id: None,
                        allow_new_members: allow_new_members.get_untracked(),
                        hold_all: hold_all.get_untracked(),
                    });
                    name.set(String::new());
                    address.set(String::new());
                }
            >
                <input aria-label=tr("mailbox-name") placeholder=tr("mailbox-name-placeholder") required prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) />
                <input type="email" aria-label=tr("mailbox-address") placeholder="support@example.com" required prop:value=move || address.get() on:input=move |ev| address.set(event_target_value(&ev)) />
                <select aria-label=tr("department") on:change=move |ev| {
                    department.set(event_target_value(&ev).parse().ok().map(DepartmentId));
                }>
                    {move || departments
                        .get()
                        .into_iter()
                        .map(|d| view! { <option value=d.id.0 selected=move || department.get() == Some(d.id)>{d.name}</option> })
                        .collect_view()}
                </select>
                <label class="check">
                    <input type="checkbox" prop:checked=move || allow_new_members.get() on:change=move |ev| allow_new_members.set(event_target_checked(&ev)) />
                    {tr("mailbox-new-members")}
                </label>
                <label class="check">
                    <input type="checkbox" prop:checked=move || hold_all.get() on:change=move |ev| hold_all.set(event_target_checked(&ev)) />
                    {tr("mailbox-hold-all")}
                </label>
                <button type="submit" class="primary">{tr("admin-add-mailbox")}</button>
            </form>
        </section>
    }
}
