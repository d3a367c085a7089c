//! The member's feedback form: department, subject, related service, category,
//! criticality, how they want the answer, description and files. Each refused field says
//! why beside it.

use crate::i18n::t;
use crate::{
    files::{AttachButton, UploadList, Uploads},
    i18n::{locale, tr},
    live::{Delivery, Live},
    protocol::{AnswerBy, Department, DepartmentId, FeedbackFields, OptionId, OptionKind, limits},
};
use leptos::{ev::KeyboardEvent, prelude::*};
use leptos_router::hooks::use_navigate;

#[allow(unused_imports)]
use super::*;

/// The form. Sending it opens a ticket in the Feedback-form queue, shown at once in the
/// member's conversations.
#[component]
pub(crate) fn FeedbackForm(live: Live, departments: Vec<Department>) -> impl IntoView {
    let navigate = use_navigate();
    let lang = locale();
    let department = RwSignal::new(0);
    let subject = RwSignal::new(String::new());
    let body = RwSignal::new(String::new());
    let service = RwSignal::new(String::new());
    let category = RwSignal::new(String::new());
    let criticality = RwSignal::new(String::new());
    let answer_by = RwSignal::new(AnswerBy::Here);
    // A field found wanting here, before anything is sent: its name and the words to show.
    let local = RwSignal::new(None::<(&'static str, &'static str)>);
    let uploads = Uploads::default();
    let limits = file_limits(live);
    let services = Memo::new(move |_| {
        live.me
            .with(|m| m.as_ref().map(|m| m.services.clone()).unwrap_or_default())
    });
    let options = move |kind: OptionKind| {
        live.me.with(|m| {
            m.as_ref()
                .map(|m| {
                    m.options
                        .iter()
                        .filter(|o| o.kind == kind)
                        .cloned()
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    let submit = move || {
        if uploads.busy() {
            return;
        }
        let problem = if subject.with_untracked(|s| s.trim().is_empty()) {
            Some(("subject", "form-subject-required"))
        } else if body.with_untracked(|b| b.trim().is_empty()) {
            Some(("body", "form-description-required"))
        } else {
            None
        };
        local.set(problem);
        if problem.is_some() {
            return;
        }
        let option = |value: RwSignal<String>| value.get_untracked().parse().ok().map(OptionId);
        let form = FeedbackFields {
            service: Some(service.get_untracked()).filter(|s| !s.is_empty()),
            category: option(category),
            criticality: option(criticality),
            answer_by: answer_by.get_untracked(),
        };
        live.start_ticket(
            DepartmentId(department.get_untracked()),
            subject.get_untracked().trim().to_owned(),
            body.get_untracked().trim().to_owned(),
            uploads.ready(),
            Some(form),
        );
        uploads.sent();
    };
    let (on_drop, on_paste) = file_handlers(uploads, limits, || true);
    let cancel = move || {
        live.starting.set(None);
        navigate("/account", Default::default());
    };
    let on_escape = {
        let cancel = cancel.clone();
        move |ev: KeyboardEvent| {
            if ev.key() == "Escape" {
                cancel();
            }
        }
    };
    let sending = move || {
        live.starting
            .with(|s| s.as_ref().is_some_and(|s| s.delivery == Delivery::Sending))
    };
    // The refusal of `field`: found here, or said by the server.
    let error_of = move |field: &'static str| {
        move || {
            if let Some((name, key)) = local.get() {
                return (name == field).then(|| t!(lang.get(), key));
            }
            live.starting.with(|s| {
                let s = s.as_ref()?;
                match (&s.delivery, &s.field) {
                    (Delivery::Failed(why), Some(f)) if f == field => Some(why.clone()),
                    _ => None,
                }
            })
        }
    };
    let field_error = move |field: &'static str| {
        let text = error_of(field);
        view! {
            <p class="field-error" id=format!("form-{field}-error") role="alert">{text}</p>
        }
    };
    // A refusal that names no field of the form shows at its foot.
    let general = move || {
        live.starting.with(|s| {
            s.as_ref().and_then(|s| match &s.delivery {
                Delivery::Failed(why) | Delivery::Stale(why) if s.field.is_none() => Some(
                    view! { <p class="alert" role="alert">{t!(lang.get_untracked(), "not-sent", why = why)}</p> },
                ),
                _ => None,
            })
        })
    };
    let invalid = move |field: &'static str| move || error_of(field)().is_some();
    let select_options = move |kind: OptionKind| {
        view! {
            <option value="">{tr("option-none")}</option>
            <For
                each=move || options(kind)
                key=|o| (o.id, o.label.clone())
                children=move |o| view! { <option value=o.id.0>{o.label}</option> }
            />
        }
    };
    // A choice among the offered options of `kind` (its field named as the server names it).
    let option_field = move |kind: OptionKind, value: RwSignal<String>| {
        let field = kind.key();
        view! {
            <div>
                <label for=format!("form-{field}")>
                    {move || t!(lang.get(), &format!("option-{field}"))}
                </label>
                <select
                    id=format!("form-{field}")
                    aria-invalid=move || invalid(field)().to_string()
                    aria-describedby=format!("form-{field}-error")
                    on:change=move |ev| value.set(event_target_value(&ev))
                >
                    {select_options(kind)}
                </select>
                {field_error(field)}
            </div>
        }
    };
    view! {
        <form
            class="new-conversation feedback"
            aria-labelledby="feedback-title"
            novalidate
            on:keydown=on_escape
            on:dragover=move |ev| ev.prevent_default()
            on:drop=on_drop
            on:submit=move |ev| {
                ev.prevent_default();
                submit();
            }
        >
            <div class="ticket-head">
                <a class="back" href="/account">"← " {tr("back")}</a>
                <h2 id="feedback-title">{tr("feedback-form")}</h2>
            </div>
            <p class="muted small">{tr("feedback-lead")}</p>
            <DepartmentChoice live departments department id="form-department" />
            <label for="form-subject">{tr("subject")}</label>
            <input
                id="form-subject"
                type="text"
                required
                maxlength=limits::MAX_SUBJECT_CHARS
                placeholder=tr("feedback-subject-placeholder")
                aria-invalid=move || invalid("subject")().to_string()
                aria-describedby="form-subject-error"
                prop:value=move || subject.get()
                on:input=move |ev| subject.set(event_target_value(&ev))
            />
            {field_error("subject")}
            <Show when=move || services.with(|s| !s.is_empty())>
                <label for="form-service">{tr("option-service")}</label>
                <select
                    id="form-service"
                    aria-invalid=move || invalid("service")().to_string()
                    aria-describedby="form-service-error"
                    on:change=move |ev| service.set(event_target_value(&ev))
                >
                    <option value="">{tr("service-none")}</option>
                    <For
                        each=move || services.get()
                        key=|s| (s.id.clone(), s.describe(), s.service.status)
                        children=move |s| {
                            let status = s.service.status.key();
                            view! {
                                <option value=s.id.clone()>
                                    {s.describe()} " — " {tr(status)}
                                </option>
                            }
                        }
                    />
                </select>
                {field_error("service")}
            </Show>
            <div class="form-pair">
                {option_field(OptionKind::Category, category)}
                {option_field(OptionKind::Criticality, criticality)}
            </div>
            <fieldset class="answer-by" aria-describedby="form-answer_by-error">
                <legend>{tr("answer-by-legend")}</legend>
                {AnswerBy::ALL
                    .into_iter()
                    .map(|choice| {
                        view! {
                            <label class="choice">
                                <input
                                    type="radio"
                                    name="answer-by"
                                    value=choice.as_str()
                                    prop:checked=move || answer_by.get() == choice
                                    on:change=move |_| answer_by.set(choice)
                                />
                                {tr(choice.key())}
                            </label>
                        }
                    })
                    .collect_view()}
            </fieldset>
            {field_error("answer_by")}
            <label for="form-description">{tr("description")}</label>
            <textarea
                id="form-description"
                rows="6"
                required
                maxlength=limits::MAX_BODY_CHARS
                placeholder=tr("description-placeholder")
                aria-invalid=move || invalid("body")().to_string()
                aria-describedby="form-body-error"
                prop:value=move || body.get()
                on:input=move |ev| body.set(event_target_value(&ev))
                on:paste=on_paste
            ></textarea>
            {field_error("body")}
            <UploadList uploads/>
            <div class="attach-row">
                <AttachButton uploads limits/>
                <span class="muted small">{move || {
                    let lang = lang.get();
                    t!(lang, "files-up-to", size = crate::i18n::bytes(lang, limits.get().max_file_bytes))
                }}</span>
            </div>
            {general}
            <Show when=sending>
                <p class="delivery sending">{tr("sending-form")}</p>
            </Show>
            <div class="actions">
                <button type="button" class="ghost" on:click=move |_| cancel()>{tr("cancel")}</button>
                <button type="submit" class="primary" disabled=move || uploads.busy() || sending()>
                    {tr("send-form")}
                </button>
            </div>
        </form>
    }
}
