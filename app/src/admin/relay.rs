//! The relay section of the administration page: the SMTP server mail to members leaves
//! through (in place of the settings file's), and the address it comes from when a
//! department has no mailbox. The password is sent, never shown back.

use leptos::prelude::*;

use super::server::ServerFields;
use crate::{
    i18n::tr,
    live::Live,
    protocol::{AdminAction, MailRelay, MailSecurity},
};

#[component]
pub(super) fn RelaySection(
    live: Live,
    relay: Signal<Option<MailRelay>>,
    settings_relay: Signal<Option<String>>,
) -> impl IntoView {
    let now = relay.get_untracked();
    let host = RwSignal::new(now.as_ref().map(|r| r.host.clone()).unwrap_or_default());
    let port = RwSignal::new(now.as_ref().map_or(587, |r| r.port));
    let security = RwSignal::new(now.as_ref().map_or(MailSecurity::Starttls, |r| r.security));
    let user = RwSignal::new(
        now.as_ref()
            .and_then(|r| r.user.clone())
            .unwrap_or_default(),
    );
    let password = RwSignal::new(String::new());
    let from = RwSignal::new(now.as_ref().map(|r| r.from.clone()).unwrap_or_default());
    let bounces_to = RwSignal::new(
        now.as_ref()
            .and_then(|r| r.bounces_to.clone())
            .unwrap_or_default(),
    );
    let has_password = move || relay.with(|r| r.as_ref().is_some_and(|r| r.has_password));
    let status = move || match (relay.get(), settings_relay.get()) {
        (Some(r), _) => format!(
            "{} {}:{} · {}",
            tr("relay-through")(),
            r.host,
            r.port,
            r.user.unwrap_or_else(|| tr("relay-no-sign-in")())
        ),
        (None, Some(file)) => format!("{} {file}", tr("relay-from-settings")()),
        (None, None) => tr("relay-none")(),
    };
    let optional = |s: String| {
        let s = s.trim().to_owned();
        (!s.is_empty()).then_some(s)
    };
    view! {
        <section class="admin-section" aria-label=tr("admin-relay")>
            <h2>{tr("admin-relay")}</h2>
            <p class="muted small">{tr("admin-relay-lead")}</p>
            <p class="small" role="status" aria-label=tr("relay-state")>{status}</p>
            <form
                class="admin-add"
                aria-label=tr("admin-relay")
                on:submit=move |ev| {
                    ev.prevent_default();
                    live.administer(AdminAction::SetRelay {
                        host: host.get_untracked(),
                        port: port.get_untracked(),
                        security: security.get_untracked(),
                        user: optional(user.get_untracked()),
                        password: optional(password.get_untracked()),
                        from: from.get_untracked(),
                        bounces_to: optional(bounces_to.get_untracked()),
                    });
                    password.set(String::new());
                }
            >
                <ServerFields
                    host_label="relay-host"
                    placeholder="smtp.example.com"
                    host
                    port
                    security
                    choices=[(MailSecurity::Starttls, "relay-starttls"), (MailSecurity::Tls, "relay-tls"), (MailSecurity::None, "imap-plain")]
                />
                <label class="field">{tr("relay-user")}
                    <input autocomplete="off" prop:value=move || user.get() on:input=move |ev| user.set(event_target_value(&ev)) />
                </label>
                <label class="field">{tr("imap-password")}
                    <input type="password" autocomplete="new-password"
                        placeholder=move || if has_password() { tr("imap-password-kept")() } else { String::new() }
                        prop:value=move || password.get() on:input=move |ev| password.set(event_target_value(&ev)) />
                </label>
                <label class="field">{tr("relay-from")}
                    <input type="email" placeholder="support@example.com" required prop:value=move || from.get() on:input=move |ev| from.set(event_target_value(&ev)) />
                </label>
                <label class="field">{tr("relay-bounces")}
                    <input type="email" prop:value=move || bounces_to.get() on:input=move |ev| bounces_to.set(event_target_value(&ev)) />
                </label>
                <button type="submit" class="primary">{tr("relay-save")}</button>
                {move || relay.with(Option::is_some).then(|| view! {
                    <button type="button" on:click=move |_| live.administer(AdminAction::RemoveRelay)>{tr("relay-remove")}</button>
                })}
            </form>
        </section>
    }
}
