//! The calls page of a call-centre agent: who is calling now (live, on every agent of the
//! line), and their own call with the caller's card — details, cards, subscriptions, newest
//! purchases — until they end it with a reason, which closes the request or sends it to a
//! queue for the support service.

use leptos::prelude::*;
use leptos_meta::Title;

use super::{NotFound, TopBar, clock, me};
use crate::i18n::{locale, t, tr};
use crate::live::Live;
use crate::protocol::{Call, CallCard, CallEnd, CallState, Calls, QueueId};

/// Reads `url` as JSON in the browser and hands the answer (or `None`) to `done`.
fn get_json<T: serde::de::DeserializeOwned + 'static>(
    url: &str,
    done: impl FnOnce(Option<T>) + 'static,
) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::{JsCast, closure::Closure};
        let Ok(request) = web_sys::XmlHttpRequest::new() else {
            return done(None);
        };
        if request.open("GET", url).is_err() {
            return done(None);
        }
        let reader = request.clone();
        let mut done = Some(done);
        let finished = Closure::<dyn FnMut()>::new(move || {
            let answer = (reader.status().ok() == Some(200))
                .then(|| reader.response_text().ok().flatten())
                .flatten()
                .and_then(|text| serde_json::from_str(&text).ok());
            if let Some(done) = done.take() {
                done(answer);
            }
        });
        request.set_onloadend(Some(finished.as_ref().unchecked_ref()));
        finished.forget();
        let _ = request.send();
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = url;
        done(None);
    }
}

/// The calls page.
#[component]
pub fn CallsPage() -> impl IntoView {
    let Some(me) = me() else {
        return view! { <NotFound /> }.into_any();
    };
    let agent = me.role.is_staff() && me.extension.is_some();
    let live = Live::for_calls();
    live.me.set(Some(me.clone()));
    provide_context(live);
    if agent {
        Effect::new(move |_| live.connect());
    }
    let my_id = me.id;
    let calls = move || live.calls.get().unwrap_or_default();
    let mine = move || {
        calls()
            .calls
            .into_iter()
            .filter(|c| c.agent.as_ref().is_some_and(|a| a.id == my_id))
            .collect::<Vec<_>>()
    };
    let ringing = move || {
        calls()
            .calls
            .into_iter()
            .filter(|c| c.state == CallState::Ringing)
            .collect::<Vec<_>>()
    };
    let lang = locale();
    view! {
        <Title text=tr("calls-title") />
        <div class="desk calls-page">
            <TopBar me live />
            <main class="calls">
                <h1>{tr("calls-title")}</h1>
                {(!agent).then(|| view! { <p class="muted">{tr("calls-not-agent")}</p> })}
                {move || live.notice.get().map(|n| view! { <p class="alert" role="alert">{n}</p> })}
                <Show when=move || agent && live.calls.with(Option::is_some) fallback=move || agent.then(|| view! { <p class="muted">{tr("loading")}</p> })>
                    <p class="calls-reminder" role="status">
                        {move || match live.calls_to_end() {
                            0 => String::new(),
                            n => t!(lang.get(), "calls-to-end", count = n as i64),
                        }}
                    </p>
                    <section class="calls-mine" aria-labelledby="calls-mine-title">
                        <h2 id="calls-mine-title">{tr("calls-mine")}</h2>
                        <Show when=move || !mine().is_empty() fallback=|| view! { <p class="muted">{tr("calls-none-mine")}</p> }>
                            <For each=mine key=|c| (c.id.clone(), c.state, c.ended_at) let:call>
                                <CallOnScreen live call reasons=Signal::derive(calls) />
                            </For>
                        </Show>
                    </section>
                    <section class="calls-ringing" aria-labelledby="calls-ringing-title">
                        <h2 id="calls-ringing-title">{tr("calls-ringing")}</h2>
                        <Show when=move || !ringing().is_empty() fallback=|| view! { <p class="muted">{tr("calls-none-ringing")}</p> }>
                            <ul class="ringing-list" aria-label=tr("calls-ringing")>
                                <For each=ringing key=|c| c.id.clone() let:call>
                                    <li class="ringing">
                                        {if call.unknown_caller() {
                                            view! { <strong>{call.caller.clone()}</strong> <span class="tag">{tr("call-new")}</span> }.into_any()
                                        } else {
                                            view! { <strong>{call.member.name.clone()}</strong> " " <span class="muted">{call.caller.clone()}</span> }.into_any()
                                        }}
                                        <span class="small muted">
                                            {move || t!(lang.get(), "call-line", line = call.line.clone(), at = clock(call.rang_at, lang.get()))}
                                        </span>
                                    </li>
                                </For>
                            </ul>
                        </Show>
                    </section>
                </Show>
            </main>
        </div>
    }
    .into_any()
}

/// One of the agent's calls: the caller's card, then *End a call*.
#[component]
fn CallOnScreen(live: Live, call: Call, reasons: Signal<Calls>) -> impl IntoView {
    let lang = locale();
    let card = RwSignal::new(None::<CallCard>);
    let url = format!("/api/calls/{}/card", call.id);
    Effect::new(move |_| {
        let url = url.clone();
        get_json(&url, move |answer: Option<CallCard>| card.set(answer));
    });
    let ending = RwSignal::new(false);
    let heading = format!("call-{}", call.ticket_id.0);
    let labelled = heading.clone();
    let state = match call.state {
        CallState::Answered => "call-on-line",
        _ => "call-over",
    };
    let since = call.answered_at.unwrap_or(call.rang_at);
    let ticket = call.ticket_id;
    let id = call.id.clone();
    let name = call.member.name.clone();
    let known = !call.unknown_caller();
    view! {
        <article class="call-card" aria-labelledby=labelled>
            <header class="call-head">
                <h3 id=heading>{name}</h3>
                <span class="tag">{move || t!(lang.get(), state, at = clock(since, lang.get()))}</span>
            </header>
            <p class="small">
                {call.caller.clone()} " · " {move || t!(lang.get(), "call-on", line = call.line.clone())} " · "
                <a rel="external" href=format!("/board?t={}", ticket.0)>{move || t!(lang.get(), "call-request", id = ticket.0)}</a>
            </p>
            {(!known).then(|| view! { <p class="muted">{tr("call-new-caller")}</p> })}
            {move || card.get().and_then(|c| c.account.map(|a| (a, c.purchases))).map(|(account, purchases)| view! { <Account account purchases /> })}
            <Show
                when=move || ending.get()
                fallback=move || view! {
                    <button type="button" class="primary" on:click=move |_| ending.set(true)>{tr("call-end")}</button>
                }
            >
                <EndCall live call_id=id.clone() reasons close=move || ending.set(false) />
            </Show>
        </article>
    }
}

/// The caller's account as the host platform keeps it.
#[component]
fn Account(
    account: crate::protocol::MemberAccount,
    purchases: Vec<crate::protocol::Purchase>,
) -> impl IntoView {
    let lang = locale();
    let dash = || "—".to_owned();
    view! {
        <dl class="account-details">
            <dt>{tr("email")}</dt><dd>{account.email.clone()}</dd>
            <dt>{tr("account-phones")}</dt><dd>{account.phones.join(", ")}</dd>
            <dt>{tr("account-birth-date")}</dt><dd>{account.birth_date.clone().unwrap_or_else(dash)}</dd>
            <dt>{tr("account-city")}</dt><dd>{account.city.clone().unwrap_or_else(dash)}</dd>
        </dl>
        <table class="account-cards">
            <caption>{tr("account-cards")}</caption>
            <thead><tr><th scope="col">{tr("card-number")}</th><th scope="col">{tr("card-status")}</th><th scope="col">{tr("card-balance")}</th></tr></thead>
            <tbody>
                {account.cards.into_iter().map(|c| {
                    let status = format!("card-{}", c.status.as_str());
                    let reason = c.block_reason.clone().map(|r| format!(" ({r})")).unwrap_or_default();
                    let balance = c.balance;
                    view! {
                        <tr>
                            <td>{c.number}</td>
                            <td>{move || t!(lang.get(), &status)}{reason}</td>
                            <td>{move || t!(lang.get(), "card-points", count = balance)}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        <p class="small">
            <strong>{tr("account-subscriptions")}</strong> " "
            {account.subscriptions.iter().filter(|s| s.subscribed).map(|s| format!("{} ({})", s.topic, s.channel.as_str())).collect::<Vec<_>>().join(", ")}
        </p>
        <table class="account-purchases">
            <caption>{tr("account-purchases")}</caption>
            <thead><tr><th scope="col">{tr("purchase-when")}</th><th scope="col">{tr("purchase-where")}</th><th scope="col">{tr("purchase-amount")}</th></tr></thead>
            <tbody>
                {purchases.into_iter().map(|p| view! {
                    <tr>
                        <td>{move || crate::pages::ago(p.at, lang.get())}</td>
                        <td>{p.point_of_sale.clone()}</td>
                        <td>{format!("{}.{:02}", p.amount / 100, p.amount % 100)}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// The *Call end* dialog: a reason, *Close the request* preset by it, a queue when the
/// request is not closed, a description.
#[component]
fn EndCall(
    live: Live,
    call_id: String,
    reasons: Signal<Calls>,
    close: impl Fn() + Copy + 'static,
) -> impl IntoView {
    let lang = locale();
    let reason = RwSignal::new(None::<i64>);
    let closes = RwSignal::new(true);
    let queue = RwSignal::new(None::<QueueId>);
    let description = RwSignal::new(String::new());
    let heading = format!("end-{call_id}");
    let labelled = heading.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(reason_id) = reason.get_untracked() else {
            live.notice
                .set(Some(t!(lang.get_untracked(), "call-choose-reason")));
            return;
        };
        live.end_call(
            call_id.clone(),
            CallEnd {
                reason_id,
                close: closes.get_untracked(),
                queue_id: queue.get_untracked().filter(|_| !closes.get_untracked()),
                description: description.get_untracked(),
            },
        );
    };
    view! {
        <form class="end-call" role="dialog" aria-labelledby=labelled on:submit=submit>
            <h4 id=heading>{tr("call-end-title")}</h4>
            <label class="field">
                {tr("call-reason")}
                <select required on:change=move |ev| {
                    let id = event_target_value(&ev).parse::<i64>().ok();
                    reason.set(id);
                    if let Some(r) = reasons.get_untracked().reasons.iter().find(|r| Some(r.id) == id) {
                        closes.set(r.closes);
                    }
                }>
                    <option value="" selected>{tr("call-choose-reason")}</option>
                    {move || reasons.get().reasons.into_iter().map(|r| view! { <option value=r.id.to_string()>{r.label}</option> }).collect_view()}
                </select>
            </label>
            <label class="check">
                <input type="checkbox" prop:checked=move || closes.get() on:change=move |ev| closes.set(event_target_checked(&ev)) />
                {tr("call-close-request")}
            </label>
            <Show when=move || !closes.get()>
                <label class="field">
                    {tr("call-queue")}
                    <select required on:change=move |ev| queue.set(event_target_value(&ev).parse::<i64>().ok().map(QueueId))>
                        <option value="" selected>{tr("call-choose-queue")}</option>
                        {move || reasons.get().queues.into_iter().map(|q| view! { <option value=q.id.0.to_string()>{q.name}</option> }).collect_view()}
                    </select>
                </label>
            </Show>
            <label class="field">
                {tr("call-description")}
                <textarea rows="3" prop:value=move || description.get() on:input=move |ev| description.set(event_target_value(&ev))></textarea>
            </label>
            <div class="actions">
                <button type="submit" class="primary" disabled=move || live.ending.get().is_some()>
                    {move || if live.ending.get().is_some() { t!(lang.get(), "saving") } else { t!(lang.get(), "save") }}
                </button>
                <button type="button" class="ghost" on:click=move |_| close()>{tr("cancel")}</button>
            </div>
        </form>
    }
}
