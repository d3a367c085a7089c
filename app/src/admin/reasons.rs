//! The call-end reasons section of the administration page: why calls end, in the order the
//! call centre's agents are offered them, each saying whether it closes the call's request by
//! default.

use leptos::prelude::*;

use super::{RetireButton, text_input};
use crate::{
    i18n::tr,
    live::Live,
    protocol::{AdminAction, CallEndReason},
};

/// The "closes the request" box bound to `closes`.
fn closes_box(closes: RwSignal<bool>) -> impl IntoView {
    view! {
        <label class="check">
            <input type="checkbox" prop:checked=move || closes.get() on:change=move |ev| closes.set(event_target_checked(&ev)) />
            {tr("reason-closes")}
        </label>
    }
}

#[component]
pub(super) fn ReasonsSection(live: Live, reasons: Signal<Vec<CallEndReason>>) -> impl IntoView {
    let label = RwSignal::new(String::new());
    let closes = RwSignal::new(true);
    view! {
        <section class="admin-section" aria-label=tr("admin-call-end-reasons")>
            <h2>{tr("admin-call-end-reasons")}</h2>
            <p class="muted small">{tr("admin-call-end-reasons-lead")}</p>
            <ul class="admin-list" aria-label=tr("admin-call-end-reasons")>
                <For
                    each=move || reasons.get()
                    key=|r| r.clone()
                    children=move |r| {
                        let id = r.id;
                        let label = RwSignal::new(r.label.clone());
                        let closes = RwSignal::new(r.closes);
                        let retired = r.retired;
                        view! {
                            <li aria-label=r.label.clone() class:retired=retired>
                                {text_input("field-label", label)}
                                {closes_box(closes)}
                                {retired.then(|| view! { <span class="muted small">{tr("retired")}</span> })}
                                <button type="button" on:click=move |_| live.administer(AdminAction::UpdateCallEndReason { id, label: label.get_untracked(), closes: closes.get_untracked() })>{tr("save")}</button>
                                <button type="button" aria-label=tr("move-up") title=tr("move-up") on:click=move |_| live.administer(AdminAction::MoveCallEndReason { id, up: true })>"↑"</button>
                                <button type="button" aria-label=tr("move-down") title=tr("move-down") on:click=move |_| live.administer(AdminAction::MoveCallEndReason { id, up: false })>"↓"</button>
                                <RetireButton retired on_toggle=move || live.administer(AdminAction::RetireCallEndReason { id, retired: !retired }) />
                            </li>
                        }
                    }
                />
            </ul>
            <form
                class="admin-add"
                aria-label=tr("admin-new-reason")
                on:submit=move |ev| {
                    ev.prevent_default();
                    live.administer(AdminAction::CreateCallEndReason { label: label.get_untracked(), closes: closes.get_untracked() });
                    label.set(String::new());
                }
            >
                <input aria-label=tr("admin-new-reason") placeholder=tr("admin-new-reason-placeholder") required prop:value=move || label.get() on:input=move |ev| label.set(event_target_value(&ev)) />
                {closes_box(closes)}
                <button type="submit" class="primary">{tr("add")}</button>
            </form>
        </section>
    }
}
