//! Members added by hand on the administration page: someone who calls or writes before the
//! host platform has made them an account.

use leptos::prelude::*;

use crate::{i18n::tr, live::Live, protocol::AdminAction};

/// A member's email, name and (optionally) phone number; the fields empty again once added.
#[component]
pub(super) fn MembersSection(live: Live) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let sent = RwSignal::new(false);
    // Added: the form is ready for the next one. Refused: it keeps what was typed.
    Effect::new(move |_| {
        if live.notice.with(Option::is_some) {
            sent.set(false);
        } else if sent.get() && live.admin_saved.get() {
            sent.set(false);
            for field in [name, email, phone] {
                field.set(String::new());
            }
        }
    });
    view! {
        <section class="admin-section" aria-labelledby="members-title">
            <h2 id="members-title">{tr("admin-members")}</h2>
            <p class="muted small">{tr("admin-members-lead")}</p>
            <label class="check">
                <input
                    type="checkbox"
                    prop:checked=move || live.admin.with(|s| s.as_ref().is_some_and(|s| s.sign_up_open))
                    on:change=move |ev| live.administer(AdminAction::SetSignUp { open: event_target_checked(&ev) })
                />
                {tr("admin-sign-up")}
            </label>
            <form
                class="admin-add"
                aria-label=tr("admin-new-member")
                on:submit=move |ev| {
                    ev.prevent_default();
                    sent.set(true);
                    live.administer(AdminAction::CreateMember {
                        email: email.get_untracked(),
                        name: name.get_untracked(),
                        phone: Some(phone.get_untracked()).filter(|p| !p.trim().is_empty()),
                    });
                }
            >
                <input aria-label=tr("full-name") placeholder=tr("full-name") required prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) />
                <input aria-label=tr("email") type="email" placeholder=tr("email") required prop:value=move || email.get() on:input=move |ev| email.set(event_target_value(&ev)) />
                <input aria-label=tr("member-phone") type="tel" placeholder=tr("member-phone") prop:value=move || phone.get() on:input=move |ev| phone.set(event_target_value(&ev)) />
                <button type="submit" class="primary">{tr("admin-add-member")}</button>
            </form>
        </section>
    }
}
