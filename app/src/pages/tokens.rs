//! The API tokens page: a person's tokens (an administrator's: everyone's), a token made and
//! its secret shown once, and revoking. Plain forms posted to `/tokens`, so it works before
//! hydration; what happened comes back in the address (`?revoked`, `?error=<reason>`).

use crate::i18n::page_title;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{LanguageSwitch, NotFound, ago, me, said};
use crate::i18n::t;
use crate::{
    i18n::{locale, tr},
    protocol::{ApiToken, Role},
    session::page_data,
};

/// The scopes a person may give a token of their own: their role and those below it, on
/// their side (staff or member).
fn scopes_for(role: Role) -> Vec<Role> {
    Role::ALL
        .into_iter()
        .filter(|r| *r <= role && r.is_staff() == role.is_staff())
        .collect()
}

/// What the address says happened, worded: (is it a failure, the words).
fn outcome_key(error: &str) -> &'static str {
    match error {
        "invalid-token-scope" => "invalid-token-scope",
        "invalid-token-count" => "token-too-many",
        "invalid-empty" | "invalid-too-long" => "token-name-invalid",
        "error-administrators-only" => "error-administrators-only",
        "invalid-nothing-to-change" => "token-gone",
        _ => "sign-in-error-unavailable",
    }
}

fn token_row(token: ApiToken, show_owner: bool) -> impl IntoView {
    let lang = locale();
    let created = token.created_at;
    let used = token.last_used_at;
    let name = token.name.clone();
    view! {
        <tr>
            <td>
                <span class="token-name">{token.name.clone()}</span>
                <code class="muted small">{token.hint.clone()}</code>
            </td>
            {show_owner.then(|| view! { <td>{token.owner.name.clone()}</td> })}
            <td>{tr(token.scope.key())}</td>
            <td><time>{move || ago(created, lang.get())}</time></td>
            <td>
                {move || match used {
                    Some(at) => ago(at, lang.get()),
                    None => t!(lang.get(), "token-never-used"),
                }}
            </td>
            <td>
                <form method="post" action=format!("/tokens/{}/revoke", token.id)>
                    <button
                        type="submit"
                        class="ghost danger"
                        aria-label=move || t!(lang.get(), "token-revoke-named", name = name.clone())
                    >
                        {tr("token-revoke")}
                    </button>
                </form>
            </td>
        </tr>
    }
}

/// A person's API tokens.
#[component]
pub fn TokensPage() -> impl IntoView {
    let Some(me) = me() else {
        return view! { <NotFound /> }.into_any();
    };
    let list = page_data().tokens.unwrap_or_default();
    let query = use_query_map();
    let lang = locale();
    let admin = me.role == Role::Administrator;
    let outcome = move || {
        let query = query.read();
        if query.get("revoked").is_some() {
            return Some((false, t!(lang.get(), "token-revoked")));
        }
        query
            .get("error")
            .map(|e| (true, t!(lang.get(), outcome_key(&e))))
    };
    let home = if me.role.is_staff() {
        "/board"
    } else {
        "/account"
    };
    let fresh = list.fresh.clone().map(|made| {
        view! {
            <section class="fresh-token" role="status" aria-labelledby="fresh-token-title">
                <h2 id="fresh-token-title">
                    {move || t!(lang.get(), "token-made", name = made.token.name.clone())}
                </h2>
                <p>{tr("token-copy-now")}</p>
                <label for="fresh-secret">{tr("token-secret")}</label>
                <input id="fresh-secret" type="text" readonly value=made.secret.clone() spellcheck="false" autocomplete="off" />
                <p class="muted small">{tr("token-how-to-use")}</p>
            </section>
        }
    });
    let tokens = list.tokens.clone();
    let owners = list.owners.clone();
    let own_id = me.id;
    let table = if tokens.is_empty() {
        view! { <p class="muted">{tr("no-tokens")}</p> }.into_any()
    } else {
        view! {
            <div class="table-scroll">
                <table class="tokens">
                    <caption class="sr-only">{tr("api-tokens")}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{tr("token-name")}</th>
                            {admin.then(|| view! { <th scope="col">{tr("token-owner")}</th> })}
                            <th scope="col">{tr("token-scope")}</th>
                            <th scope="col">{tr("token-created")}</th>
                            <th scope="col">{tr("token-last-used")}</th>
                            <th scope="col"><span class="sr-only">{tr("actions")}</span></th>
                        </tr>
                    </thead>
                    <tbody>
                        {tokens.into_iter().map(|tk| token_row(tk, admin)).collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <Title text=page_title(tr("api-tokens")) />
        <main class="centered">
            <div class="card wide tokens-page">
                <LanguageSwitch />
                <h1>{tr("api-tokens")}</h1>
                <p class="muted">{tr("api-tokens-lead")}</p>
                {move || outcome().map(said)}
                {fresh}
                {table}
                <h2>{tr("new-token")}</h2>
                <form class="new-token" method="post" action="/tokens">
                    <div>
                        <label for="token-name">{tr("token-name")}</label>
                        <input id="token-name" name="name" type="text" maxlength="80" required autocomplete="off" />
                    </div>
                    <div>
                        <label for="token-scope">{tr("token-scope")}</label>
                        <select id="token-scope" name="scope">
                            {scopes_for(me.role)
                                .into_iter()
                                .rev()
                                .map(|r| view! { <option value=r.as_str()>{tr(r.key())}</option> })
                                .collect_view()}
                        </select>
                    </div>
                    {(!owners.is_empty()).then(|| view! {
                        <div>
                            <label for="token-owner">{tr("token-owner")}</label>
                            <select id="token-owner" name="owner_id">
                                {owners
                                    .into_iter()
                                    .map(|p| {
                                        let selected = p.id == own_id;
                                        view! { <option value=p.id.to_string() selected=selected>{p.name}</option> }
                                    })
                                    .collect_view()}
                            </select>
                        </div>
                    })}
                    <button type="submit" class="primary">{tr("token-create")}</button>
                </form>
                <p class="muted small">{tr("token-scope-rules")}</p>
                <p class="links">
                    <a href="/password">{tr("change-password")}</a>
                    <a href=home>{tr("back-home")}</a>
                </p>
            </div>
        </main>
    }
    .into_any()
}
