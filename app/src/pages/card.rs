//! The caller's card on an agent's call: their details, contacts, cards, subscriptions and
//! newest purchases, each changeable at the caller's request; what agents changed before; and
//! the caller's other open requests, each answerable from here.

use leptos::prelude::*;

use super::ago;
use crate::i18n::{locale, t, tr};
use crate::live::Live;
use crate::protocol::{
    AccountChange, BlockReason, CallCard, CardStatus, MailingChannel, MemberAccount,
};

/// A text field of the card's forms.
fn field(label: &'static str, value: RwSignal<String>, kind: &'static str) -> impl IntoView {
    view! {
        <label class="field">
            {tr(label)}
            <input type=kind prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev)) />
        </label>
    }
}

/// Who the caller is, and how to reach them: two forms.
#[component]
fn Details(live: Live, call_id: String, account: MemberAccount) -> impl IntoView {
    // A new caller, known by the number alone: the form makes them a member of their own.
    let new = account.external_id.is_empty() && account.phones.contains(&account.name);
    let name = RwSignal::new(if new {
        String::new()
    } else {
        account.name.clone()
    });
    let birth_date = RwSignal::new(account.birth_date.clone().unwrap_or_default());
    let city = RwSignal::new(account.city.clone().unwrap_or_default());
    let email = RwSignal::new(account.email.clone());
    let phones = RwSignal::new(account.phones.join(", "));
    let details_call = call_id.clone();
    let save_details = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        live.change_account(
            details_call.clone(),
            AccountChange::Details {
                name: name.get_untracked(),
                birth_date: Some(birth_date.get_untracked()),
                city: Some(city.get_untracked()),
            },
        );
    };
    let save_contacts = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let phones = phones
            .get_untracked()
            .split([',', ';'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_owned)
            .collect();
        live.change_account(
            call_id.clone(),
            AccountChange::Contacts {
                email: email.get_untracked(),
                phones,
            },
        );
    };
    let busy = move || live.changing.get().is_some();
    view! {
        <div class="card-forms">
            <form class="card-form" aria-label=tr(if new { "card-new-member" } else { "card-details" }) on:submit=save_details>
                {field("full-name", name, "text")}
                {field("account-birth-date", birth_date, "date")}
                {field("account-city", city, "text")}
                <button type="submit" disabled=busy>{tr(if new { "card-create-member" } else { "card-save-details" })}</button>
            </form>
            <form class="card-form" aria-label=tr("card-contacts") on:submit=save_contacts>
                {field("email", email, "email")}
                {field("account-phones", phones, "text")}
                <button type="submit" disabled=busy>{tr("card-save-contacts")}</button>
            </form>
        </div>
    }
}

/// The caller's cards, each blocked (for a reason from the list) or unblocked here.
#[component]
fn Cards(live: Live, call_id: String, account: MemberAccount) -> impl IntoView {
    let lang = locale();
    view! {
        <table class="account-cards">
            <caption>{tr("account-cards")}</caption>
            <thead><tr>
                <th scope="col">{tr("card-number")}</th>
                <th scope="col">{tr("card-status")}</th>
                <th scope="col">{tr("card-balance")}</th>
                <th scope="col">{tr("card-action")}</th>
            </tr></thead>
            <tbody>
                {account.cards.into_iter().map(|c| {
                    let status = format!("card-{}", c.status.as_str());
                    let reason = c.block_reason.clone().map(|r| format!(" ({r})")).unwrap_or_default();
                    let balance = c.balance;
                    let number = c.number.clone();
                    let shown = c.number.clone();
                    let call = call_id.clone();
                    let action = if c.status == CardStatus::Blocked {
                        let unblock = move |_| live.change_account(call.clone(), AccountChange::UnblockCard { number: number.clone() });
                        view! {
                            <button type="button" on:click=unblock aria-label=move || t!(lang.get(), "card-unblock-one", number = shown.clone())>{tr("card-unblock")}</button>
                        }.into_any()
                    } else {
                        let why = RwSignal::new(BlockReason::Lost);
                        let activate = (c.status == CardStatus::NotActivated).then(|| {
                            let (call, number, shown) = (call.clone(), number.clone(), shown.clone());
                            view! {
                                <button type="button" on:click=move |_| live.change_account(call.clone(), AccountChange::ActivateCard { number: number.clone() }) aria-label=move || t!(lang.get(), "card-activate-one", number = shown.clone())>{tr("card-activate")}</button>
                            }
                        });
                        let block = move |_| live.change_account(call.clone(), AccountChange::BlockCard { number: number.clone(), reason: why.get_untracked() });
                        let label = c.number.clone();
                        view! {
                            <span class="card-block">
                                {activate}
                                <select aria-label=move || t!(lang.get(), "card-block-why", number = label.clone()) on:change=move |ev| {
                                    let raw = event_target_value(&ev);
                                    if let Some(r) = BlockReason::ALL.into_iter().find(|r| r.as_str() == raw) { why.set(r); }
                                }>
                                    {BlockReason::ALL.into_iter().map(|r| view! { <option value=r.as_str()>{tr(r.key())}</option> }).collect_view()}
                                </select>
                                <button type="button" on:click=block aria-label=move || t!(lang.get(), "card-block-one", number = shown.clone())>{tr("card-block")}</button>
                            </span>
                        }.into_any()
                    };
                    view! {
                        <tr>
                            <td>{c.number.clone()}</td>
                            <td>{move || t!(lang.get(), &status)}{reason}</td>
                            <td>{move || t!(lang.get(), "card-points", count = balance)}</td>
                            <td>{action}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// The caller's mailing subscriptions, each switched here.
#[component]
fn Subscriptions(live: Live, call_id: String, account: MemberAccount) -> impl IntoView {
    let lang = locale();
    view! {
        <fieldset class="subscriptions">
            <legend>{tr("account-subscriptions")}</legend>
            {account.subscriptions.into_iter().map(|s| {
                let call = call_id.clone();
                let (channel, topic) = (s.channel, s.topic.clone());
                let channel_word = match channel {
                    MailingChannel::Email => "mailing-email",
                    MailingChannel::Sms => "mailing-sms",
                    MailingChannel::Push => "mailing-push",
                };
                view! {
                    <label class="check">
                        <input type="checkbox" prop:checked=s.subscribed on:change=move |ev| {
                            live.change_account(call.clone(), AccountChange::Subscription { channel, topic: topic.clone(), subscribed: event_target_checked(&ev) });
                        } />
                        {move || t!(lang.get(), "subscription-line", topic = s.topic.clone(), channel = t!(lang.get(), channel_word))}
                    </label>
                }
            }).collect_view()}
        </fieldset>
    }
}

/// A date typed in a date field (`YYYY-MM-DD`) as the first millisecond of that day, in the
/// browser's time zone.
fn day_start(day: &str) -> Option<i64> {
    #[cfg(feature = "hydrate")]
    {
        let at = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(&format!("{day}T00:00:00")));
        let ms = at.get_time();
        (!day.is_empty() && ms.is_finite()).then_some(ms as i64)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = day;
        None
    }
}

/// The caller's purchases, newest first, a page at a time, between two dates if asked.
#[component]
fn Purchases(external_id: String, first: Vec<crate::protocol::Purchase>) -> impl IntoView {
    let lang = locale();
    let list = RwSignal::new(first);
    let next = RwSignal::new(None::<String>);
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let synced = !external_id.is_empty();
    let load = move |before: Option<String>| {
        if !synced {
            return;
        }
        let mut url = format!("/api/members/{external_id}/purchases?limit=10");
        if let Some(from) = day_start(&from.get_untracked()) {
            url.push_str(&format!("&from={from}"));
        }
        if let Some(to) = day_start(&to.get_untracked()) {
            url.push_str(&format!("&to={}", to + 86_400_000));
        }
        let more = before.is_some();
        if let Some(before) = before {
            url.push_str(&format!(
                "&before={}",
                crate::protocol::percent_encode(&before)
            ));
        }
        super::get_json(&url, move |page: Option<crate::protocol::PurchasePage>| {
            if let Some(page) = page {
                if more {
                    list.update(|l| l.extend(page.purchases));
                } else {
                    list.set(page.purchases);
                }
                next.set(page.next);
            }
        });
    };
    let load = StoredValue::new(load);
    Effect::new(move |_| load.with_value(|load| load(None)));
    view! {
        <div class="purchases">
            <form class="card-form purchases-filter" aria-label=tr("purchases-filter") on:submit=move |ev| { ev.prevent_default(); load.with_value(|load| load(None)); }>
                {field("purchases-from", from, "date")}
                {field("purchases-to", to, "date")}
                <button type="submit">{tr("purchases-show")}</button>
            </form>
            <div class="table-scroll">
            <table class="account-purchases">
                <caption>{tr("account-purchases")}</caption>
                <thead><tr><th scope="col">{tr("purchase-when")}</th><th scope="col">{tr("purchase-where")}</th><th scope="col">{tr("purchase-amount")}</th></tr></thead>
                <tbody>
                    <For each=move || list.get() key=|p| p.id.clone() let:p>
                        <tr>
                            <td>{move || ago(p.at, lang.get())}</td>
                            <td>{p.point_of_sale.clone()}</td>
                            <td>{format!("{}.{:02}", p.amount / 100, p.amount % 100)}</td>
                        </tr>
                    </For>
                </tbody>
            </table>
            </div>
            {move || next.get().map(|cursor| view! {
                <button type="button" class="ghost" on:click=move |_| load.with_value(|load| load(Some(cursor.clone())))>{tr("purchases-older")}</button>
            })}
        </div>
    }
}

/// One of the caller's other open requests: its last words, and an answer from here.
#[component]
fn Request(live: Live, request: crate::protocol::TicketSummary) -> impl IntoView {
    let lang = locale();
    let body = RwSignal::new(String::new());
    let id = request.id;
    let subject = request.subject.clone();
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = body.get_untracked();
        if text.trim().is_empty() {
            return;
        }
        live.reply_from_card(id, text);
        body.set(String::new());
    };
    view! {
        <li>
            <a rel="external" href=format!("/board?t={}", id.0)>{format!("#{} {}", id.0, request.subject)}</a>
            " "
            <span class="muted small">{request.preview.clone().unwrap_or_default()}</span>
            <form class="card-reply" on:submit=send>
                <textarea
                    rows="1"
                    aria-label=move || t!(lang.get(), "card-reply-to", subject = subject.clone())
                    prop:value=move || body.get()
                    on:input=move |ev| body.set(event_target_value(&ev))
                ></textarea>
                <button type="submit" disabled=move || live.changing.get().is_some()>{tr("card-reply")}</button>
            </form>
        </li>
    }
}

/// The whole card of a call, with what the agent may change on it.
#[component]
pub(crate) fn CallerCard(live: Live, call_id: String, card: CallCard) -> impl IntoView {
    let lang = locale();
    let Some(account) = card.account else {
        return ().into_any();
    };
    view! {
        <Details live call_id=call_id.clone() account=account.clone() />
        {(!account.services.is_empty()).then(|| view! {
            <section class="card-services" aria-label=tr("account-services")>
                <h4>{tr("account-services")}</h4>
                <ul>
                    {account.services.clone().into_iter().map(|s| {
                        let status = s.service.status.key();
                        let address = s.service.address.clone().map(|a| format!(" · {a}")).unwrap_or_default();
                        view! {
                            <li>
                                <strong>{s.service.name.clone()}</strong>" "
                                <span class="muted small">{format!("({}){address}", s.service.kind)}</span>" "
                                <span class="tag">{tr(status)}</span>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        })}
        {(!account.cards.is_empty()).then(|| view! { <Cards live call_id=call_id.clone() account=account.clone() /> })}
        {(!account.subscriptions.is_empty()).then(|| view! { <Subscriptions live call_id=call_id.clone() account=account.clone() /> })}
        {(!account.external_id.is_empty()).then(|| view! { <Purchases external_id=account.external_id.clone() first=card.purchases /> })}
        {(!card.requests.is_empty()).then(|| view! {
            <section class="card-requests" aria-label=tr("card-requests")>
                <h4>{tr("card-requests")}</h4>
                <ul>
                    {card.requests.into_iter().map(|r| view! { <Request live request=r /> }).collect_view()}
                </ul>
            </section>
        })}
        {(!card.history.is_empty()).then(|| view! {
            <section class="card-history" aria-label=tr("card-history")>
                <h4>{tr("card-history")}</h4>
                <ol>
                    {card.history.into_iter().map(|h| {
                        let who = h.author.map(|a| a.name).unwrap_or_default();
                        view! {
                            <li>
                                <span class="muted small">{move || ago(h.at, lang.get())}</span>" "
                                {move || t!(lang.get(), "card-history-line", who = who.clone(), changes = super::account_changes(lang.get(), &h.changes))}
                            </li>
                        }
                    }).collect_view()}
                </ol>
            </section>
        })}
    }
    .into_any()
}
