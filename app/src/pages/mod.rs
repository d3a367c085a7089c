//! The pages: sign-in, the member's account with the support widget, and staff's board;
//! their parts each in a file of its own.

mod board;
mod calls;
mod card;
mod composer;
mod confirm;
mod conversation;
mod diagnostics;
mod drafts;
mod feedback;
mod frame;
mod history;
mod incoming;
mod keys;
mod mailview;
mod member;
mod parameters;
mod places;
mod settings;
mod signup;
mod slash;
mod stats;
mod text;
mod time;
mod tokens;
mod views;
mod wall;
mod widget;

#[allow(unused_imports)]
pub(crate) use self::{
    board::*, calls::*, card::*, composer::*, confirm::*, conversation::*, diagnostics::*,
    drafts::*, feedback::*, frame::*, history::*, incoming::*, keys::*, mailview::*, member::*,
    parameters::*, places::*, settings::*, signup::*, slash::*, stats::*, text::*, time::*,
    tokens::*, views::*, wall::*, widget::*,
};
use crate::i18n::page_title;
use crate::i18n::t;
use crate::{
    i18n::{locale, tr},
    protocol::Me,
    session::CurrentUser,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// Shown for an address that has no page.
#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <Title text=page_title(tr("page-not-found-title")) />
        <main class="centered">
            <div class="card narrow">
                <LanguageSwitch />
                <h1>{tr("page-not-found")}</h1>
                <p><a href="/">{tr("back-home")}</a></p>
            </div>
        </main>
    }
}

/// The sign-in form. It posts to `/login` as a plain form, so it works before hydration.
#[component]
pub fn LoginPage() -> impl IntoView {
    let query = use_query_map();
    let lang = locale();
    let error = move || {
        let query = query.read();
        query.get("error").map(|e| {
            let key = match e.as_str() {
                "credentials" => "sign-in-error-credentials",
                "unavailable" => "sign-in-error-unavailable",
                "wait" => {
                    let seconds: u64 = query
                        .get("seconds")
                        .and_then(|s| s.parse().ok())
                        .unwrap_or(1);
                    return t!(lang.get(), "sign-in-error-wait", seconds = seconds);
                }
                _ => "sign-in-error-form",
            };
            t!(lang.get(), key)
        })
    };
    view! {
        <Title text=page_title(tr("sign-in-title")) />
        <main class="centered">
            <form class="card narrow login" method="post" action="/login">
                <LanguageSwitch />
                <h1 class="brand">"Switchboard"</h1>
                <p class="muted">{tr("sign-in-lead")}</p>
                {move || error().map(|e| view! { <p class="alert" role="alert">{e}</p> })}
                <label for="email">{tr("email")}</label>
                <input id="email" name="email" type="email" autocomplete="username" required autofocus />
                <label for="password">{tr("password")}</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required />
                <button type="submit" class="primary">{tr("sign-in")}</button>
                {crate::session::page_data()
                    .sign_up_open
                    .then(|| view! { <a href="/signup">{tr("sign-in-create-account")}</a> })}
            </form>
        </main>
    }
}

/// A person changes their own password. A plain form posted to `/password`, so it works
/// before hydration; the answer comes back in the address (`?done`, `?error=<reason>`).
#[component]
pub fn PasswordPage() -> impl IntoView {
    let Some(me) = me() else {
        return view! { <NotFound /> }.into_any();
    };
    let query = use_query_map();
    let lang = locale();
    let outcome = move || {
        let query = query.read();
        if query.get("done").is_some() {
            return Some((false, t!(lang.get(), "password-changed")));
        }
        query.get("error").map(|e| {
            let key = match e.as_str() {
                "invalid-current-password"
                | "invalid-password-length"
                | "invalid-password-common"
                | "invalid-password-email" => e.clone(),
                "mismatch" => "password-mismatch".into(),
                "wait" => "password-busy".into(),
                _ => "sign-in-error-unavailable".into(),
            };
            (true, t!(lang.get(), &key))
        })
    };
    let home = if me.role.is_staff() {
        "/board"
    } else {
        "/account"
    };
    view! {
        <Title text=page_title(tr("change-password")) />
        <main class="centered">
            <form class="card narrow login" method="post" action="/password">
                <LanguageSwitch />
                <h1>{tr("change-password")}</h1>
                <p class="muted">{tr("change-password-lead")}</p>
                {move || outcome().map(said)}
                <input type="hidden" name="username" autocomplete="username" value=me.email.clone() />
                <label for="current_password">{tr("current-password")}</label>
                <input id="current_password" name="current_password" type="password" autocomplete="current-password" required autofocus />
                <label for="new_password">{tr("new-password")}</label>
                <input id="new_password" name="new_password" type="password" autocomplete="new-password" minlength="8" required />
                <label for="repeat_password">{tr("repeat-password")}</label>
                <input id="repeat_password" name="repeat_password" type="password" autocomplete="new-password" minlength="8" required />
                <p class="muted small">{tr("new-password-rules")}</p>
                <button type="submit" class="primary">{tr("change-password")}</button>
                <a href="/tokens" rel="external">{tr("api-tokens")}</a>
                <a href=home>{tr("back-home")}</a>
            </form>
        </main>
    }
    .into_any()
}

/// What a form's answer says, under the form's heading: a failure as an alert, anything
/// else as a status.
pub(crate) fn said((failed, text): (bool, String)) -> impl IntoView {
    if failed {
        view! { <p class="alert" role="alert">{text}</p> }.into_any()
    } else {
        view! { <p class="notice" role="status">{text}</p> }.into_any()
    }
}

pub(crate) fn me() -> Option<Me> {
    use_context::<CurrentUser>().and_then(|u| u.0)
}

/// The member's personal account: their conversations and the support widget.
#[component]
pub fn AccountPage() -> impl IntoView {
    let Some(me) = me() else {
        return view! { <NotFound /> }.into_any();
    };
    desk_page(me, false).into_any()
}

/// Staff's board: the queue of open tickets of their departments and the ticket view.
#[component]
pub fn BoardPage() -> impl IntoView {
    let Some(me) = me() else {
        return view! { <NotFound /> }.into_any();
    };
    desk_page(me, true).into_any()
}
