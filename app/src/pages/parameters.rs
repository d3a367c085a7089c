//! A ticket's parameters, as staff save them without writing to the member.

use crate::i18n::t;
use crate::{
    i18n::{locale, tr},
    live::Live,
    protocol::{OptionId, OptionKind, TicketId, TicketOption, TicketStatus, UserId, limits},
};
use leptos::{ev::KeyboardEvent, prelude::*};

#[allow(unused_imports)]
use super::*;

/// Staff: the ticket's parameters (status, criticality, category, related service) and the
/// form that saves them with its subject, sending nothing to the member.
#[component]
pub(crate) fn ParametersPanel(
    live: Live,
    id: TicketId,
    me_id: UserId,
    options: Vec<TicketOption>,
) -> impl IntoView {
    let editing = RwSignal::new(false);
    // The last event on screen when editing began: someone else's change after it is
    // never overwritten unseen.
    let began = RwSignal::new(None);
    let lang = locale();
    let subject = RwSignal::new(String::new());
    let chosen: [RwSignal<Option<OptionId>>; 4] = std::array::from_fn(|_| RwSignal::new(None));
    let summary = move || {
        live.open
            .with(|o| o.as_ref().and_then(|o| o.summary.clone()))
    };
    let locked = move || summary().is_some_and(|s| s.assignee.is_some_and(|p| p.id != me_id));
    let start = move || {
        if let Some(s) = live
            .open
            .with_untracked(|o| o.as_ref().and_then(|o| o.summary.clone()))
        {
            subject.set(s.subject.clone());
            for (i, kind) in OptionKind::ALL.into_iter().enumerate() {
                chosen[i].set(s.params.get(kind).map(|o| o.id));
            }
            began.set(live.seen_now(id));
            editing.set(true);
        }
    };
    let save = move || {
        let [status_id, criticality_id, category_id, service_id] =
            chosen.map(|c| c.get_untracked());
        live.save_parameters(
            id,
            crate::protocol::ParametersRequest {
                subject: subject.get_untracked(),
                status_id,
                criticality_id,
                category_id,
                service_id,
                seen: began.get_untracked(),
            },
        );
        editing.set(false);
    };
    let current = move || {
        summary().map(|s| {
            OptionKind::ALL
                .into_iter()
                .filter_map(|kind| {
                    s.params.get(kind).map(|o| {
                        view! {
                            <span class="param-value">
                                <span class="muted">{tr(option_key(kind))} ": "</span>
                                {o.label.clone()}
                            </span>
                        }
                    })
                })
                .collect_view()
        })
    };
    let member = move || summary().map(|s| (s.member.id, s.member.name));
    let fields = OptionKind::ALL.into_iter().enumerate().map(|(i, kind)| {
        let choices: Vec<TicketOption> = options.iter().filter(|o| o.kind == kind).cloned().collect();
        let field_id = format!("param-{}", kind.as_str());
        let selected = chosen[i];
        view! {
            <label for=field_id.clone()>{tr(option_key(kind))}</label>
            <select
                id=field_id
                on:change=move |ev| {
                    selected.set(event_target_value(&ev).parse::<i64>().ok().map(OptionId))
                }
            >
                <option value="" selected=move || selected.get().is_none()>"—"</option>
                {choices
                    .into_iter()
                    .map(|o| {
                        let oid = o.id;
                        let closes = o.side == Some(TicketStatus::Closed);
                        let label = o.label;
                        let text = move || {
                            if closes {
                                t!(lang.get(), "option-closes", label = label.clone())
                            } else {
                                label.clone()
                            }
                        };
                        view! { <option value=o.id.0 selected=move || selected.get() == Some(oid)>{text}</option> }
                    })
                    .collect_view()}
            </select>
        }
    }).collect_view();
    view! {
        <div class="params">
            <div class="params-current">
                {current}
                {move || {
                    member()
                        .map(|(member, name)| view! { <MemberTicketsButton live member name /> })
                }}
                <button
                    type="button"
                    class="link"
                    aria-expanded=move || editing.get().to_string()
                    disabled=locked
                    title=move || locked().then(|| t!(lang.get(), "someone-else-has-it"))
                    on:click=move |_| if editing.get_untracked() { editing.set(false) } else { start() }
                >
                    {tr("edit-parameters")}
                </button>
            </div>
            <Show when=move || editing.get()>
                <form
                    class="params-form"
                    aria-label=tr("ticket-parameters")
                    on:submit=move |ev| {
                        ev.prevent_default();
                        save();
                    }
                    on:keydown=move |ev: KeyboardEvent| {
                        if ev.key() == "Escape" {
                            editing.set(false);
                        }
                    }
                >
                    <label for="param-subject">{tr("subject")}</label>
                    <input
                        id="param-subject"
                        type="text"
                        maxlength=limits::MAX_SUBJECT_CHARS
                        prop:value=move || subject.get()
                        on:input=move |ev| subject.set(event_target_value(&ev))
                    />
                    {fields.clone()}
                    <div class="params-buttons">
                        <button type="submit" class="primary">{tr("save-parameters")}</button>
                        <button type="button" on:click=move |_| editing.set(false)>{tr("cancel")}</button>
                    </div>
                </form>
            </Show>
        </div>
    }
}

/// The catalogue's name of a ticket parameter.
fn option_key(kind: OptionKind) -> &'static str {
    match kind {
        OptionKind::Status => "option-status",
        OptionKind::Criticality => "option-criticality",
        OptionKind::Category => "option-category",
        OptionKind::Service => "option-service",
    }
}
