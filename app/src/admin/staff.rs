//! The staff section of the administration page: people, their roles and departments, their
//! passwords and whether their accounts may sign in.

use leptos::prelude::*;

use super::{departments_of, text_input, with_departments};
use crate::i18n::t;
use crate::{
    i18n::{locale, tr},
    live::Live,
    protocol::{AdminAction, AdminDepartment, Department, DepartmentId, Employee, Role, UserId},
};

/// Checkboxes choosing departments.
fn department_picker(
    all: Vec<Department>,
    chosen: RwSignal<Vec<DepartmentId>>,
    whose: String,
) -> impl IntoView {
    let lang = locale();
    view! {
        <fieldset class="picker">
            <legend class="sr-only">{move || t!(lang.get(), "departments-of", whose = whose.clone())}</legend>
            {all
                .into_iter()
                .map(|d| {
                    let id = d.id;
                    view! {
                        <label class="check">
                            <input
                                type="checkbox"
                                prop:checked=move || chosen.with(|c| c.contains(&id))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    chosen.update(|c| {
                                        c.retain(|x| *x != id);
                                        if on {
                                            c.push(id);
                                        }
                                    });
                                }
                            />
                            {d.name}
                        </label>
                    }
                })
                .collect_view()}
        </fieldset>
    }
}

fn role_picker(role: RwSignal<Role>) -> impl IntoView {
    view! {
        <select aria-label=tr("role") on:change=move |ev| {
            if let Some(r) = Role::parse(&event_target_value(&ev)) {
                role.set(r);
            }
        }>
            {[Role::Operator, Role::Moderator, Role::Administrator]
                .into_iter()
                .map(|r| view! { <option value=r.as_str() selected=move || role.get() == r>{tr(r.key())}</option> })
                .collect_view()}
        </select>
    }
}

#[component]
pub(super) fn StaffSection(
    live: Live,
    staff: Signal<Vec<Employee>>,
    departments: Signal<Vec<AdminDepartment>>,
) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let role = RwSignal::new(Role::Operator);
    let chosen = RwSignal::new(Vec::new());
    let lang = locale();
    let own_id = crate::pages::me().map(|me| me.id);
    view! {
        <section class="admin-section" aria-labelledby="staff-title">
            <h2 id="staff-title">{tr("admin-staff")}</h2>
            <ul class="admin-list" aria-label=tr("admin-staff")>
                <For
                    each=move || { with_departments(staff.get(), departments) }
                    key=|(e, d)| (e.clone(), d.clone())
                    children=move |(e, all)| {
                        let id = e.id;
                        let name = RwSignal::new(e.name.clone());
                        let role = RwSignal::new(e.role);
                        let chosen = RwSignal::new(e.departments.clone());
                        view! {
                            <li aria-label=e.name.clone()>
                                {text_input("field-name", name)}
                                <span class="muted small">{e.email.clone()}</span>
                                {role_picker(role)}
                                {department_picker(departments_of(&all), chosen, e.name.clone())}
                                <button type="button" on:click=move |_| live.administer(AdminAction::UpdateEmployee { id, name: name.get_untracked(), role: role.get_untracked(), departments: chosen.get_untracked() })>{tr("save")}</button>
                                {e.disabled.then(|| view! { <span class="tag">{tr("account-disabled")}</span> })}
                                {(own_id != Some(id)).then(|| account_switch(live, id, e.disabled))}
                                {(own_id != Some(id)).then(|| reset_password(live, id, e.name.clone()))}
                                {phone_extension(live, id, e.name.clone(), e.extension.clone())}
                            </li>
                        }
                    }
                />
            </ul>
            <form
                class="admin-add"
                aria-label=tr("admin-new-staff")
                on:submit=move |ev| {
                    ev.prevent_default();
                    live.administer(AdminAction::CreateEmployee {
                        email: email.get_untracked(),
                        name: name.get_untracked(),
                        role: role.get_untracked(),
                        password: password.get_untracked(),
                        departments: chosen.get_untracked(),
                    });
                    password.set(String::new());
                }
            >
                <input aria-label=tr("full-name") placeholder=tr("full-name") required prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) />
                <input aria-label=tr("email") type="email" placeholder=tr("email") required prop:value=move || email.get() on:input=move |ev| email.set(event_target_value(&ev)) />
                <input aria-label=tr("password") type="password" placeholder=tr("password-placeholder") minlength="8" required autocomplete="new-password" prop:value=move || password.get() on:input=move |ev| password.set(event_target_value(&ev)) />
                {role_picker(role)}
                {move || department_picker(departments_of(&departments.get()), chosen, t!(lang.get(), "new-staff-whose"))}
                <button type="submit" class="primary">{tr("admin-add-staff")}</button>
            </form>
        </section>
    }
}

/// Disables an account (its sessions end at once; it cannot sign in), or enables it again.
fn account_switch(live: Live, id: UserId, disabled: bool) -> impl IntoView {
    let label = if disabled {
        "enable-account"
    } else {
        "disable-account"
    };
    view! {
        <button
            type="button"
            on:click=move |_| live.administer(AdminAction::SetDisabled { id, disabled: !disabled })
        >
            {tr(label)}
        </button>
    }
}

/// Gives someone a new password; every session of theirs ends at once.
fn reset_password(live: Live, id: UserId, name: String) -> impl IntoView {
    let password = RwSignal::new(String::new());
    let lang = locale();
    let label = move || t!(lang.get(), "reset-password-for", name = name.clone());
    view! {
        <details class="reset-password">
            <summary>{tr("reset-password")}</summary>
            <form on:submit=move |ev| {
                ev.prevent_default();
                live.administer(AdminAction::ResetPassword { id, password: password.get_untracked() });
                password.set(String::new());
            }>
                <input
                    type="password"
                    aria-label=label
                    placeholder=tr("password-placeholder")
                    minlength="8"
                    required
                    autocomplete="new-password"
                    prop:value=move || password.get()
                    on:input=move |ev| password.set(event_target_value(&ev))
                />
                <button type="submit">{tr("reset-password-set")}</button>
                <p class="muted small">{tr("reset-password-hint")}</p>
            </form>
        </details>
    }
}

/// Makes someone a call-centre agent with a phone extension, or no longer one (empty).
fn phone_extension(
    live: Live,
    id: UserId,
    name: String,
    extension: Option<String>,
) -> impl IntoView {
    let value = RwSignal::new(extension.clone().unwrap_or_default());
    let lang = locale();
    let label = move || t!(lang.get(), "extension-for", name = name.clone());
    let summary = match extension {
        Some(extension) => view! { <summary>{move || t!(lang.get(), "extension-is", extension = extension.clone())}</summary> }.into_any(),
        None => view! { <summary>{tr("extension-set")}</summary> }.into_any(),
    };
    view! {
        <details class="phone-extension">
            {summary}
            <form on:submit=move |ev| {
                ev.prevent_default();
                let extension = Some(value.get_untracked()).filter(|e| !e.trim().is_empty());
                live.administer(AdminAction::SetExtension { id, extension });
            }>
                <input
                    aria-label=label
                    placeholder=tr("extension-placeholder")
                    inputmode="numeric"
                    maxlength="16"
                    prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev))
                />
                <button type="submit">{tr("save")}</button>
                <p class="muted small">{tr("extension-hint")}</p>
            </form>
        </details>
    }
}
