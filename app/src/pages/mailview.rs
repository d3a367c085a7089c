//! A mail as it came, for staff: its headers, its HTML in a sandboxed frame (sanitised by
//! the server, nothing loaded from elsewhere unless asked for) and its whole text, quoted
//! history included.

use crate::i18n::page_title;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{LanguageSwitch, NotFound, clock, said};
use crate::i18n::t;
use crate::{
    i18n::{locale, tr},
    protocol::MailView,
    session::page_data,
};

/// One header line: its name and what it says (nothing when it says nothing).
fn header_row(name: &'static str, value: String) -> impl IntoView {
    (!value.is_empty()).then(|| {
        view! {
            <dt>{tr(name)}</dt>
            <dd>{value}</dd>
        }
    })
}

/// What the address says happened to the verdict asked for: (is it a failure, the words).
fn outcome(
    query: &leptos_router::params::ParamsMap,
    lang: crate::i18n::Lang,
) -> Option<(bool, String)> {
    if query.get("spam").is_some() {
        return Some((false, t!(lang, "incoming-marked-spam")));
    }
    if query.get("not-spam").is_some() {
        return Some((false, t!(lang, "mail-marked-not-spam")));
    }
    query.get("error").map(|key| {
        let key = match key.as_str() {
            "invalid-no-such-mail" => key,
            _ => "sign-in-error-unavailable".to_owned(),
        };
        (true, t!(lang, &key))
    })
}

/// Staff's page of one mail (`/mail/{id}`; `?remote=1` shows images from the internet).
#[component]
pub fn MailPage() -> impl IntoView {
    let Some(mail) = page_data().mail else {
        return view! { <NotFound /> }.into_any();
    };
    let MailView {
        id,
        from,
        to,
        cc,
        sent_at,
        received_at,
        subject,
        text,
        has_html,
        remote_images,
        files,
        ticket_id,
        reason,
        spam,
    } = mail;
    let (verdict, verdict_label) = if spam {
        ("not-spam", "incoming-not-spam")
    } else {
        ("spam", "incoming-mark-spam")
    };
    let lang = locale();
    let query = use_query_map();
    let remote = query.read_untracked().get("remote").as_deref() == Some("1");
    let title = subject.clone();
    let frame = if remote {
        format!("/api/mails/{id}/html?remote=1")
    } else {
        format!("/api/mails/{id}/html")
    };
    let back = if ticket_id.is_some() {
        view! { <a rel="external" href="/board">{tr("back-home")}</a> }.into_any()
    } else {
        view! { <a rel="external" href="/incoming">{tr("mail-back-incoming")}</a> }.into_any()
    };
    view! {
        <Title text=page_title(move || t!(lang.get(), "mail-title", subject = title.clone())) />
        <main class="centered">
            <div class="card wide mail-page">
                <LanguageSwitch />
                <h1>{subject.clone()}</h1>
                {move || outcome(&query.read(), lang.get()).map(said)}
                {reason.map(|r| view! { <p><span class="tag">{tr(r.key())}</span></p> })}
                {ticket_id.map(|ticket| view! {
                    <p>
                        <a rel="external" href=format!("/board?t={}", ticket.0)>
                            {move || t!(lang.get(), "mail-ticket", id = ticket.0.to_string())}
                        </a>
                    </p>
                })}
                <dl class="mail-headers">
                    {header_row("mail-from", from)}
                    {header_row("mail-to", to.join(", "))}
                    {header_row("mail-cc", cc.join(", "))}
                    {sent_at.map(|at| view! {
                        <dt>{tr("mail-written")}</dt>
                        <dd><time>{move || clock(at, lang.get())}</time></dd>
                    })}
                    <dt>{tr("mail-received")}</dt>
                    <dd><time>{move || clock(received_at, lang.get())}</time></dd>
                    {header_row("mail-files", files.join(", "))}
                </dl>
                {(has_html && remote_images > 0 && !remote).then(|| view! {
                    <p class="notice remote-images">
                        {move || t!(lang.get(), "mail-remote-images", count = remote_images)}
                        " "
                        <a rel="external" href=format!("/mail/{id}?remote=1")>{tr("mail-show-remote")}</a>
                    </p>
                })}
                {has_html.then(|| view! {
                    <iframe
                        class="mail-html"
                        title=tr("mail-formatted")
                        src=frame
                        sandbox="allow-popups allow-popups-to-escape-sandbox"
                        referrerpolicy="no-referrer"
                    ></iframe>
                })}
                <details class="mail-text" open=!has_html>
                    <summary>{tr("mail-text")}</summary>
                    <pre class="incoming-body">{text}</pre>
                </details>
                <div class="incoming-actions">
                    <form method="post" action=format!("/mail/{id}/{verdict}")>
                        <button type="submit" class="ghost">{tr(verdict_label)}</button>
                    </form>
                    {spam.then(|| view! { <span class="tag">{tr("incoming-spam")}</span> })}
                </div>
                <p class="links">{back}</p>
            </div>
        </main>
    }
    .into_any()
}
