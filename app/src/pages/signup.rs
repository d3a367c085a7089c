//! Members signing themselves up, where the desk allows it: a plain form posted to
//! `/signup`, so it works before hydration; the answer comes back in the address (`?sent`,
//! `?error=<reason>`), and the mailed link finishes it.

use crate::i18n::page_title;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{LanguageSwitch, said};
use crate::i18n::{locale, t, tr};

#[component]
pub fn SignUpPage() -> impl IntoView {
    let open = crate::session::page_data().sign_up_open;
    let query = use_query_map();
    let lang = locale();
    let outcome = move || {
        let query = query.read();
        if query.get("sent").is_some() {
            return Some((false, t!(lang.get(), "sign-up-sent")));
        }
        query.get("error").map(|e| {
            let key = match e.as_str() {
                "mismatch" => "password-mismatch",
                "link" => "sign-up-link-used",
                "wait" => "sign-up-wait",
                "invalid-password-length"
                | "invalid-password-common"
                | "invalid-password-email" => e.as_str(),
                "invalid-email" | "invalid-empty" | "invalid-too-long" => "sign-up-check-fields",
                "state-sign-up-closed" => "sign-up-closed",
                "state-no-mail-out" => "sign-up-no-mail",
                "state-mail-not-sent" => "sign-up-mail-failed",
                _ => "sign-in-error-unavailable",
            };
            (true, t!(lang.get(), key))
        })
    };
    let sent = move || query.read().get("sent").is_some();
    view! {
        <Title text=page_title(tr("sign-up-title")) />
        <main class="centered">
            <form class="card narrow login" method="post" action="/signup" aria-labelledby="sign-up-heading">
                <LanguageSwitch />
                <h1 id="sign-up-heading">{tr("sign-up-title")}</h1>
                {move || outcome().map(said)}
                {if open {
                    view! {
                        <Show when=move || !sent()>
                            <p class="muted">{tr("sign-up-lead")}</p>
                            <label for="name">{tr("full-name")}</label>
                            <input id="name" name="name" autocomplete="name" required autofocus />
                            <label for="email">{tr("email")}</label>
                            <input id="email" name="email" type="email" autocomplete="email" required />
                            <label for="password">{tr("password")}</label>
                            <input id="password" name="password" type="password" autocomplete="new-password" minlength="8" required />
                            <label for="repeat_password">{tr("repeat-password")}</label>
                            <input id="repeat_password" name="repeat_password" type="password" autocomplete="new-password" minlength="8" required />
                            <p class="muted small">{tr("new-password-rules")}</p>
                            <button type="submit" class="primary">{tr("sign-up")}</button>
                        </Show>
                    }
                    .into_any()
                } else {
                    view! { <p class="muted">{tr("sign-up-closed")}</p> }.into_any()
                }}
                <a href="/login">{tr("sign-up-have-account")}</a>
            </form>
        </main>
    }
}
