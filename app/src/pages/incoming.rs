//! Incoming messages: mail that matched no member or ticket (a stranger, a third party, a
//! program, an unreadable one, or everything a mailbox holds), for staff of the mailbox's
//! department to read and sort — into a new ticket, onto an existing one as a hidden note,
//! or away. Plain forms posted to `/incoming/{id}/…`, so it works before hydration.

use crate::i18n::page_title;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{LanguageSwitch, NotFound, ago, me, said};
use crate::i18n::t;
use crate::{
    i18n::{locale, tr},
    protocol::{Department, IncomingMail, IncomingReason},
    session::page_data,
};

/// What the address says happened: (is it a failure, the words).
fn outcome(
    query: &leptos_router::params::ParamsMap,
    lang: crate::i18n::Lang,
) -> Option<(bool, String)> {
    if let Some(id) = query.get("made") {
        return Some((false, t!(lang, "incoming-made", id = id)));
    }
    if let Some(id) = query.get("attached") {
        return Some((false, t!(lang, "incoming-attached", id = id)));
    }
    if query.get("deleted").is_some() {
        return Some((false, t!(lang, "incoming-deleted")));
    }
    if query.get("spam").is_some() {
        return Some((false, t!(lang, "incoming-marked-spam")));
    }
    if query.get("not-spam").is_some() {
        return Some((false, t!(lang, "incoming-marked-not-spam")));
    }
    query.get("error").map(|key| {
        let key = match key.as_str() {
            "invalid-no-such-mail"
            | "invalid-ticket-number"
            | "error-ticket-held"
            | "error-ticket-not-found"
            | "error-department-not-found"
            | "invalid-no-such-person" => key,
            _ => "sign-in-error-unavailable".to_owned(),
        };
        (true, t!(lang, &key))
    })
}

fn mail_item(mail: IncomingMail, departments: Vec<Department>) -> impl IntoView {
    let lang = locale();
    let id = mail.id;
    let at = mail.received_at;
    let from = if mail.from_address.is_empty() {
        t!(lang.get_untracked(), "incoming-no-sender")
    } else {
        format!("{} <{}>", mail.from_name, mail.from_address)
    };
    let subject = if mail.subject.is_empty() {
        t!(lang.get_untracked(), "incoming-no-subject")
    } else {
        mail.subject.clone()
    };
    let heading = format!("incoming-{id}");
    let labelled_by = heading.clone();
    let suggested = mail.ticket_id.map(|t| t.0.to_string()).unwrap_or_default();
    let department = mail.department_id;
    let spam = mail.reason == IncomingReason::Spam;
    let (spam_action, spam_label, spam_class) = if spam {
        ("not-spam", "incoming-not-spam", "")
    } else {
        ("spam", "incoming-mark-spam", "ghost")
    };
    view! {
        <li class="incoming-mail" aria-labelledby=labelled_by>
            <div class="incoming-head">
                <h2 id=heading>{subject}</h2>
                <span class="tag">{tr(mail.reason.key())}</span>
            </div>
            <p class="muted small">
                {from} " · " {mail.mailbox.clone()} " · " <time>{move || ago(at, lang.get())}</time>
                {mail.ticket_id.map(|t| view! { " · " {move || t!(lang.get(), "incoming-answers", id = t.0)} })}
            </p>
            <details>
                <summary>{tr("incoming-read")}</summary>
                <pre class="incoming-body">{mail.body.clone()}</pre>
            </details>
            <a class="small" rel="external" href=format!("/mail/{id}")>{tr("mail-original")}</a>
            <div class="incoming-actions">
                <form method="post" action=format!("/incoming/{id}/{spam_action}")>
                    <button type="submit" class=spam_class>{tr(spam_label)}</button>
                </form>
                {(!spam).then(|| view! {
                <form method="post" action=format!("/incoming/{id}/ticket")>
                    <label class="sr-only" for=format!("department-{id}")>{tr("department")}</label>
                    <select id=format!("department-{id}") name="department_id">
                        {departments
                            .into_iter()
                            .map(|d| view! { <option value=d.id.0 selected=d.id == department>{d.name}</option> })
                            .collect_view()}
                    </select>
                    <button type="submit" class="primary">{tr("incoming-make-ticket")}</button>
                </form>
                <form method="post" action=format!("/incoming/{id}/attach")>
                    <label class="sr-only" for=format!("attach-{id}")>{tr("incoming-ticket-number")}</label>
                    <input id=format!("attach-{id}") name="ticket_id" inputmode="numeric" placeholder="#" value=suggested required />
                    <button type="submit">{tr("incoming-attach")}</button>
                </form>
                })}
                <form method="post" action=format!("/incoming/{id}/delete")>
                    <button type="submit" class="ghost danger">{tr("incoming-delete")}</button>
                </form>
            </div>
        </li>
    }
}

/// Staff's Incoming messages.
#[component]
pub fn IncomingPage() -> impl IntoView {
    let Some(me) = me() else {
        return view! { <NotFound /> }.into_any();
    };
    let page = page_data().incoming.unwrap_or_default();
    let query = use_query_map();
    let lang = locale();
    let (spam, mails): (Vec<IncomingMail>, Vec<IncomingMail>) = page
        .mails
        .into_iter()
        .partition(|m| m.reason == IncomingReason::Spam);
    let departments = page.departments;
    let count = mails.len();
    let spam_count = spam.len();
    let spam_departments = departments.clone();
    view! {
        <Title text=page_title(tr("incoming-title")) />
        <main class="centered">
            <div class="card wide incoming-page">
                <LanguageSwitch />
                <h1>{tr("incoming-title")}</h1>
                <p class="muted">{move || t!(lang.get(), "incoming-lead", count = count)}</p>
                {move || outcome(&query.read(), lang.get()).map(said)}
                <ul class="incoming-list" aria-label=tr("incoming-title")>
                    {mails
                        .into_iter()
                        .map(|m| mail_item(m, departments.clone()))
                        .collect_view()}
                </ul>
                <section aria-labelledby="spam-folder">
                    <h2 id="spam-folder">{tr("incoming-spam-title")}</h2>
                    <p class="muted small">{move || t!(lang.get(), "incoming-spam-lead", count = spam_count)}</p>
                    <ul class="incoming-list" aria-label=tr("incoming-spam-title")>
                        {spam
                            .into_iter()
                            .map(|m| mail_item(m, spam_departments.clone()))
                            .collect_view()}
                    </ul>
                </section>
                <p class="links">
                    <a href=if me.role.is_staff() { "/board" } else { "/account" }>{tr("back-home")}</a>
                </p>
            </div>
        </main>
    }
    .into_any()
}
