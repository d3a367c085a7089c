//! The calls page of a call-centre agent: who is calling now (live, on every agent of the
//! line), and their own call with the caller's card — details, cards, subscriptions, newest
//! purchases — until they end it with a reason, which closes the request or sends it to a
//! queue for the support service.

use crate::i18n::page_title;
use leptos::prelude::*;
use leptos_meta::Title;

use super::{NotFound, TopBar, clock, me};
use crate::i18n::{Lang, locale, t, tr};
use crate::live::Live;
use crate::protocol::{Call, CallCard, CallEnd, CallState, Calls, ParameterChange, QueueId};

/// Reads `url` as JSON in the browser and hands the answer (or `None`) to `done`.
pub(crate) fn get_json<T: serde::de::DeserializeOwned + 'static>(
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

/// A field of a member's account as people read it (see `MemberChange` for the names).
fn account_field(lang: Lang, field: &str) -> String {
    let mut parts = field.splitn(3, ':');
    match (parts.next(), parts.next(), parts.next()) {
        (Some("card"), Some(number), None) => t!(lang, "account-field-card", number = number),
        (Some("subscription"), Some(topic), Some(channel)) => t!(
            lang,
            "account-field-subscription",
            topic = topic,
            channel = t!(lang, &format!("mailing-{channel}"))
        ),
        (Some(name), None, None) => t!(lang, &format!("account-field-{}", name.replace('_', "-"))),
        _ => field.to_owned(),
    }
}

/// A value of a member's account as people read it: a card's status and a subscription in
/// words, the rest quoted.
fn account_value(lang: Lang, value: &Option<String>) -> String {
    let Some(value) = value else {
        return t!(lang, "value-none");
    };
    let (word, rest) = value.split_once(' ').unwrap_or((value, ""));
    match word {
        "active" | "blocked" | "not_activated" => format!(
            "{}{}",
            t!(lang, &format!("card-{word}")),
            if rest.is_empty() {
                String::new()
            } else {
                format!(" {rest}")
            }
        ),
        "subscribed" | "unsubscribed" => t!(lang, &format!("account-{word}")),
        _ => t!(lang, "quoted", text = value.clone()),
    }
}

/// Changes of a member's account in one line.
pub(crate) fn account_changes(lang: Lang, changes: &[ParameterChange]) -> String {
    changes
        .iter()
        .map(|c| {
            t!(
                lang,
                "parameter-change",
                field = account_field(lang, &c.field),
                from = account_value(lang, &c.from),
                to = account_value(lang, &c.to)
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
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
        <Title text=page_title(tr("calls-title")) />
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
                    <CallBacks live />
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

/// Callers who gave up waiting: the callback offered to this agent (take it, then say how it
/// went), and how many wait.
#[component]
fn CallBacks(live: Live) -> impl IntoView {
    let lang = locale();
    let calls = move || live.calls.get().unwrap_or_default();
    view! {
        <section class="calls-back" aria-labelledby="calls-back-title">
            <h2 id="calls-back-title">{tr("callbacks-title")}</h2>
            <p class="muted small" role="status">
                {move || t!(lang.get(), "callbacks-waiting", count = calls().callbacks_waiting)}
            </p>
            <For each=move || calls().callbacks key=|c| (c.id, c.state, c.dialed) let:callback>
                <CallBack live callback />
            </For>
        </section>
    }
}

/// One callback on the agent's screen.
#[component]
fn CallBack(live: Live, callback: crate::protocol::Callback) -> impl IntoView {
    use crate::protocol::{CallbackOutcome, CallbackState};
    let lang = locale();
    let id = callback.id;
    let heading = format!("callback-{id}");
    let labelled = heading.clone();
    let who = if callback.member.name == callback.number {
        callback.number.clone()
    } else {
        format!("{} · {}", callback.member.name, callback.number)
    };
    let gave_up = callback.created_at;
    let (attempt, max) = (callback.attempts.max(1), callback.max_attempts);
    let body = match callback.state {
        CallbackState::Offered => view! {
            <p class="small">{move || t!(lang.get(), "callback-offered", at = clock(gave_up, lang.get()), attempt = callback.attempts + 1, max = max)}</p>
            <button type="button" class="primary" on:click=move |_| live.accept_callback(id)>{tr("callback-accept")}</button>
        }
        .into_any(),
        _ => {
            let number = callback.number.clone();
            let dialing = if callback.dialed {
                view! { <p class="small">{move || t!(lang.get(), "callback-dialing", attempt = attempt, max = max)}</p> }.into_any()
            } else {
                view! { <p class="callback-dial">{tr("callback-dial-yourself")} " " <a href=format!("tel:{number}")>{number.clone()}</a></p> }.into_any()
            };
            view! {
                {dialing}
                <div class="actions" role="group" aria-label=tr("callback-how")>
                    {CallbackOutcome::ALL.into_iter().map(|outcome| view! {
                        <button type="button" on:click=move |_| live.record_callback(id, outcome)>{move || t!(lang.get(), &format!("callback-say-{}", outcome.as_str()))}</button>
                    }).collect_view()}
                </div>
            }
            .into_any()
        }
    };
    view! {
        <article class="call-card callback" aria-labelledby=labelled>
            <header class="call-head">
                <h3 id=heading>{move || t!(lang.get(), "callback-to", who = who.clone())}</h3>
                <a rel="external" class="small" href=format!("/board?t={}", callback.ticket_id.0)>{move || t!(lang.get(), "call-request", id = callback.ticket_id.0)}</a>
            </header>
            {body}
        </article>
    }
}

/// One of the agent's calls: the caller's card, then *End a call*.
#[component]
fn CallOnScreen(live: Live, call: Call, reasons: Signal<Calls>) -> impl IntoView {
    let lang = locale();
    let card = RwSignal::new(None::<CallCard>);
    let url = format!("/api/calls/{}/card", call.id);
    // Read again whenever a change of the account is stored.
    Effect::new(move |_| {
        live.account_version.track();
        let url = url.clone();
        get_json(&url, move |answer: Option<CallCard>| {
            if answer.is_some() {
                card.set(answer);
            }
        });
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
    let card_call = call.id.clone();
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
            {move || card.get().map(|card| view! { <super::CallerCard live call_id=card_call.clone() card /> })}
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
