//! The pages: sign-in, the member's account with the support widget, and staff's board;
//! their parts each in a file of its own.

mod board;
mod composer;
mod conversation;
mod frame;
mod history;
mod parameters;
mod time;

#[allow(unused_imports)]
pub(crate) use self::{
    board::*, composer::*, conversation::*, frame::*, history::*, parameters::*, time::*,
};
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
        <Title text=tr("page-not-found-title") />
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
        query.read().get("error").map(|e| {
            let key = match e.as_str() {
                "credentials" => "sign-in-error-credentials",
                "unavailable" => "sign-in-error-unavailable",
                _ => "sign-in-error-form",
            };
            t!(lang.get(), key)
        })
    };
    view! {
        <Title text=tr("sign-in-title") />
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
            </form>
        </main>
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
