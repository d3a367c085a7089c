//! A mailbox's IMAP connection in the administration page: how its mail is fetched, how the
//! last look went, and a form to connect it (the password is sent, never shown back).

use leptos::prelude::*;

use super::server::ServerFields;

use crate::{
    i18n::{locale, tr},
    live::Live,
    pages::ago,
    protocol::{AdminAction, MailSecurity, Mailbox},
};

/// The IMAP state and settings of mailbox `m`.
#[component]
pub(super) fn MailboxImap(live: Live, m: Mailbox) -> impl IntoView {
    let lang = locale();
    let id = m.id;
    let now = m.imap.clone();
    let host = RwSignal::new(now.as_ref().map(|i| i.host.clone()).unwrap_or_default());
    let port = RwSignal::new(now.as_ref().map_or(993, |i| i.port));
    let security = RwSignal::new(now.as_ref().map_or(MailSecurity::Tls, |i| i.security));
    let user = RwSignal::new(
        now.as_ref()
            .map(|i| i.user.clone())
            .unwrap_or_else(|| m.address.clone()),
    );
    let password = RwSignal::new(String::new());
    let folder = RwSignal::new(
        now.as_ref()
            .map_or_else(|| "INBOX".to_owned(), |i| i.folder.clone()),
    );
    let connected = now.is_some();
    let status = now.clone().map(|i| {
        let checked = i.checked_at.map(|at| move || ago(at, lang.get()));
        view! {
            <span class="muted small" role="status">
                {tr("imap-from")} " " {i.user.clone()} " @ " {i.host.clone()}
                {checked.map(|c| view! { " · " {tr("imap-checked")} " " <time>{c}</time> })}
            </span>
            {i.problem.clone().map(|p| view! { <span class="error small" role="alert">{tr("imap-problem")} " " {p}</span> })}
        }
    });
    let label = m.name.clone();
    view! {
        {status}
        <details class="imap">
            <summary>{move || if connected { tr("imap-settings")() } else { tr("imap-connect")() }}</summary>
            <form
                class="admin-add"
                aria-label=move || format!("{} {}", tr("imap-settings")(), label)
                on:submit=move |ev| {
                    ev.prevent_default();
                    let typed = password.get_untracked();
                    live.administer(AdminAction::ConnectMailbox {
                        id,
                        host: host.get_untracked(),
                        port: port.get_untracked(),
                        security: security.get_untracked(),
                        user: user.get_untracked(),
                        password: (!typed.is_empty()).then_some(typed),
                        folder: Some(folder.get_untracked()),
                    });
                    password.set(String::new());
                }
            >
                <ServerFields
                    host_label="imap-host"
                    placeholder="imap.example.com"
                    host
                    port
                    security
                    choices=[(MailSecurity::Tls, "imap-tls"), (MailSecurity::Starttls, "imap-starttls"), (MailSecurity::None, "imap-plain")]
                />
                <label class="field">{tr("imap-user")}
                    <input autocomplete="off" required prop:value=move || user.get() on:input=move |ev| user.set(event_target_value(&ev)) />
                </label>
                <label class="field">{tr("imap-password")}
                    <input type="password" autocomplete="new-password"
                        placeholder=move || if connected { tr("imap-password-kept")() } else { String::new() }
                        required=!connected prop:value=move || password.get() on:input=move |ev| password.set(event_target_value(&ev)) />
                </label>
                <label class="field narrow">{tr("imap-folder")}
                    <input required prop:value=move || folder.get() on:input=move |ev| folder.set(event_target_value(&ev)) />
                </label>
                <button type="submit" class="primary">{tr("imap-save")}</button>
                {connected.then(|| view! {
                    <button type="button" on:click=move |_| live.administer(AdminAction::DisconnectMailbox { id })>{tr("imap-disconnect")}</button>
                })}
            </form>
        </details>
    }
}
