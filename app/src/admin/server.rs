//! Where a mail server is, as the IMAP and relay forms both ask it: host, port, protection.

use leptos::prelude::*;

use crate::{i18n::tr, protocol::MailSecurity};

/// Where a mail server is: its host, port and protection (`choices`, each with its label).
#[component]
pub(super) fn ServerFields(
    host_label: &'static str,
    placeholder: &'static str,
    host: RwSignal<String>,
    port: RwSignal<u16>,
    security: RwSignal<MailSecurity>,
    choices: [(MailSecurity, &'static str); 3],
) -> impl IntoView {
    view! {
        <label class="field">{tr(host_label)}
            <input placeholder=placeholder required prop:value=move || host.get() on:input=move |ev| host.set(event_target_value(&ev)) />
        </label>
        <label class="field narrow">{tr("imap-port")}
            <input type="number" min="1" max="65535" required prop:value=move || port.get().to_string() on:input=move |ev| {
                if let Ok(p) = event_target_value(&ev).parse() { port.set(p) }
            } />
        </label>
        <label class="field">{tr("imap-security")}
        <select aria-label=tr("imap-security") on:change=move |ev| {
            if let Some(s) = MailSecurity::parse(&event_target_value(&ev)) { security.set(s) }
        }>
            {choices
                .into_iter()
                .map(|(s, key)| view! { <option value=s.as_str() selected=move || security.get() == s>{tr(key)}</option> })
                .collect_view()}
        </select>
        </label>
    }
}
