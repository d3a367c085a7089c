//! A ticket's history as people read it: messages and notes with their files, the lines of
//! what happened, and messages still on their way.

use crate::i18n::t;
use crate::{
    files::Attachments,
    i18n::{Lang, locale, tr},
    live::{Delivery, Live, Pending},
    protocol::{EventKind, TicketEvent, UserId},
};
use leptos::prelude::*;

#[allow(unused_imports)]
use super::*;

#[component]
pub(crate) fn EventItem(
    e: TicketEvent,
    edited: Option<String>,
    me_id: UserId,
    live: Live,
    staff_view: bool,
) -> impl IntoView {
    let author = e.author.clone();
    let lang = locale();
    let who = author.as_ref().map(|a| a.name.clone());
    let at = e.at;
    // A line of the history, in the page's language (it follows the switch).
    let system = move |text: Box<dyn Fn(Lang, String) -> String + Send + Sync>| {
        let who = who.clone();
        view! {
            <li class="system">
                {move || {
                    let lang = lang.get();
                    let who = who.clone().unwrap_or_else(|| t!(lang, "someone"));
                    text(lang, who)
                }}
                " · "
                <Moment at />
            </li>
        }
        .into_any()
    };
    let who = author
        .as_ref()
        .map_or_else(|| t!(lang.get_untracked(), "someone"), |a| a.name.clone());
    let note = matches!(e.kind, EventKind::Note { .. });
    let by_mail = match &e.kind {
        EventKind::Message { mail, .. } => mail.clone(),
        _ => None,
    };
    match e.kind {
        EventKind::Created {
            department,
            form: Some(form),
            ..
        } => {
            let opened = system(Box::new(move |l, who| {
                t!(
                    l,
                    "event-form-sent",
                    who = who,
                    department = department.name.clone()
                )
            }));
            view! { {opened} <FormFields form /> }.into_any()
        }
        EventKind::Created { department, .. } => system(Box::new(move |l, who| {
            t!(
                l,
                "event-opened",
                who = who,
                department = department.name.clone()
            )
        })),
        EventKind::Taken => system(Box::new(|l, who| t!(l, "event-taken", who = who))),
        EventKind::Released { holder } => match holder {
            Some(h) if Some(h.id) != author.as_ref().map(|a| a.id) => {
                system(Box::new(move |l, who| {
                    t!(l, "event-released-from", who = who, holder = h.name.clone())
                }))
            }
            _ => system(Box::new(|l, who| t!(l, "event-released", who = who))),
        },
        EventKind::Lapsed { minutes } => system(Box::new(move |l, who| {
            t!(l, "event-lapsed", who = who, minutes = minutes)
        })),
        EventKind::Undelivered { to, reason, .. } => system(Box::new(move |l, _| {
            t!(
                l,
                "event-undelivered",
                to = to.clone(),
                reason = reason.clone()
            )
        })),
        EventKind::Call {
            event,
            caller,
            line,
            seconds,
            ..
        } => system(Box::new(move |l, who| {
            let talked = seconds.map_or_else(String::new, |s| format!("{}:{:02}", s / 60, s % 60));
            t!(
                l,
                &format!("event-call-{}", event.as_str()),
                who = who,
                caller = caller.clone(),
                line = line.clone(),
                duration = talked
            )
        })),
        EventKind::CallEnded { reason, queue, .. } => {
            system(Box::new(move |l, who| match &queue {
                Some(queue) => t!(
                    l,
                    "event-call-ended-queue",
                    who = who,
                    reason = reason.clone(),
                    queue = queue.name.clone()
                ),
                None => t!(l, "event-call-ended", who = who, reason = reason.clone()),
            }))
        }
        EventKind::Closed => system(Box::new(|l, who| t!(l, "event-closed", who = who))),
        EventKind::Reopened => system(Box::new(|l, who| t!(l, "event-reopened", who = who))),
        EventKind::Archived => system(Box::new(|l, who| t!(l, "event-archived", who = who))),
        EventKind::Rated { mark } => system(Box::new(move |l, who| {
            t!(l, "event-rated", who = who, mark = mark.label.clone())
        })),
        EventKind::Edited { previous, .. } => system(Box::new(move |l, who| {
            t!(l, "event-edited", who = who, previous = previous.clone())
        })),
        EventKind::SplitOff {
            ticket, subject, ..
        } => system(Box::new(move |l, who| {
            t!(
                l,
                "event-split-off",
                who = who,
                ticket = ticket.0,
                subject = subject.clone()
            )
        })),
        EventKind::SplitFrom { ticket, subject } => system(Box::new(move |l, who| {
            t!(
                l,
                "event-split-from",
                who = who,
                ticket = ticket.0,
                subject = subject.clone()
            )
        })),
        EventKind::ParametersChanged { changes } => system(Box::new(move |l, who| {
            let said: Vec<String> = changes
                .iter()
                .map(|c| {
                    let field = match crate::protocol::OptionKind::parse(&c.field) {
                        Some(kind) => t!(l, &format!("field-{}", kind.key())),
                        None => t!(l, "field-subject"),
                    };
                    let value = |v: &Option<String>| match v {
                        Some(v) => t!(l, "quoted", text = v.clone()),
                        None => t!(l, "value-none"),
                    };
                    t!(
                        l,
                        "parameter-change",
                        field = field,
                        from = value(&c.from),
                        to = value(&c.to)
                    )
                })
                .collect();
            t!(l, "event-parameters", who = who, changes = said.join("; "))
        })),
        EventKind::CalledBack {
            number,
            attempt,
            outcome,
        } => system(Box::new(move |l, who| match outcome {
            Some(outcome) => t!(
                l,
                "event-called-back",
                who = who,
                number = number.clone(),
                attempt = attempt,
                outcome = t!(l, &format!("callback-{}", outcome.as_str()))
            ),
            None => t!(
                l,
                "event-calling-back",
                who = who,
                number = number.clone(),
                attempt = attempt
            ),
        })),
        EventKind::AccountChanged { changes } => system(Box::new(move |l, who| {
            t!(
                l,
                "event-account-changed",
                who = who,
                changes = super::account_changes(l, &changes)
            )
        })),
        EventKind::Transferred { to, .. } => system(Box::new(move |l, who| {
            t!(
                l,
                "event-transferred",
                who = who,
                department = to.name.clone()
            )
        })),
        EventKind::Assigned { to, .. } => system(Box::new(move |l, who| {
            t!(l, "event-assigned", who = who, to = to.name.clone())
        })),
        EventKind::Message {
            body,
            attachments,
            client_msg_id,
            ..
        }
        | EventKind::Note {
            body,
            attachments,
            client_msg_id,
        } => {
            let mine = author.as_ref().is_some_and(|a| a.id == me_id);
            let staff = author.as_ref().is_some_and(|a| a.role.is_staff());
            let edited_mark = edited.is_some();
            let body = edited.unwrap_or(body);
            let quoted = body.clone();
            let seq = e.seq;
            let current = body.clone();
            let edit = (staff_view && mine).then(|| {
                view! {
                    <button
                        type="button"
                        class="link quote"
                        on:click=move |_| live.editing.set(Some((seq, current.clone())))
                    >
                        {tr("edit")}
                    </button>
                }
            });
            let quote = staff_view.then(|| {
                view! {
                    <button
                        type="button"
                        class="link quote"
                        title=tr("quote-hint")
                        on:click=move |_| live.quote.set(Some(crate::canned::quote(&selected_or(&quoted))))
                    >
                        {tr("quote")}
                    </button>
                }
            });
            let ticket = e.ticket_id;
            let split =
                (staff_view && !note && seq.0 > 2).then(|| view! { <SplitHere live ticket seq /> });
            // A mail's quoted history, folded; staff may open the mail as it came.
            let original = by_mail.as_ref().filter(|_| staff_view).and_then(|_| {
                client_msg_id.map(|id| {
                    view! {
                        <a class="link quote" target="_blank" rel="noopener" href=format!("/mail/of/{}/{}", ticket.0, id.as_str())>
                            {tr("mail-original")}
                        </a>
                    }
                })
            });
            let quoted = by_mail.filter(|m| !m.quoted.is_empty()).map(|m| {
                view! {
                    <details class="quoted">
                        <summary>{tr("mail-quoted")}</summary>
                        <p class="body">{m.quoted}</p>
                    </details>
                }
            });
            view! {
                <li class="message" class:mine=mine class:staff=staff class:note=note data-seq=e.seq.0>
                    <div class="bubble">
                        <div class="from">
                            <span class="author">{who}</span>
                            {note.then(|| view! { <span class="note-label">{tr("hidden-note")}</span> })}
                            <Moment at />
                            {edited_mark.then(|| view! { <span class="edited">{tr("edited")}</span> })}
                            {quote}
                            {edit}
                            {split}
                            {original}
                        </div>
                        {(!body.is_empty()).then(|| view! { <MessageText text=body /> })}
                        {quoted}
                        {(!attachments.is_empty()).then(|| view! { <Attachments files=attachments lightbox=live.lightbox/> })}
                        {mine.then(|| view! { <span class="delivery sent">{tr("sent")}</span> })}
                    </div>
                </li>
            }
            .into_any()
        }
    }
}

#[component]
pub(crate) fn PendingItem(p: Pending, live: Live) -> impl IntoView {
    let retry_id = p.client_msg_id.clone();
    let lang = locale();
    let state = match &p.delivery {
        Delivery::Sending => {
            view! { <span class="delivery sending">{tr("sending")}</span> }.into_any()
        }
        Delivery::Sent => view! { <span class="delivery sent">{tr("sent")}</span> }.into_any(),
        Delivery::Failed(why) => view! {
            <span class="delivery failed" role="alert">
                {t!(lang.get_untracked(), "not-sent", why = why.clone())}
                " "
                <button type="button" class="link" on:click=move |_| live.retry(&retry_id)>
                    {tr("retry")}
                </button>
            </span>
        }
        .into_any(),
        Delivery::Stale(why) => {
            let again = p.client_msg_id.clone();
            view! {
                <span class="delivery stale" role="alert">
                    {why.clone()}
                    " "
                    <button type="button" class="link" on:click=move |_| live.send_anyway(&again)>
                        {tr("send-anyway")}
                    </button>
                </span>
            }
            .into_any()
        }
    };
    let note = p.hidden;
    view! {
        <li class="message mine pending" class:note=note>
            <div class="bubble">
                <div class="from">
                    <span class="author">{tr("you")}</span>
                    <Moment at=p.at />
                </div>
                {(!p.body.is_empty()).then(|| view! { <p class="body">{p.body.clone()}</p> })}
                {(!p.attachments.is_empty()).then(|| view! { <Attachments files=p.attachments.clone() lightbox=live.lightbox/> })}
                {state}
            </div>
        </li>
    }
}

/// A ticket's events, each message paired with its latest edited text (if it was edited).
pub(crate) fn with_edits(events: &[TicketEvent]) -> Vec<(TicketEvent, Option<String>)> {
    events
        .iter()
        .map(|e| {
            let latest = events.iter().rev().find_map(|later| match &later.kind {
                EventKind::Edited {
                    message_seq, body, ..
                } if *message_seq == e.seq => Some(body.clone()),
                _ => None,
            });
            (e.clone(), latest)
        })
        .collect()
}

/// What a feedback form said beyond its subject and text: the related service, category,
/// criticality and how its author wants the answer.
#[component]
fn FormFields(form: crate::protocol::FeedbackForm) -> impl IntoView {
    let service = form.service.map(|s| {
        view! {
            <dt>{tr("option-service")}</dt>
            <dd>{s.describe()} " · " {tr(s.service.status.key())}</dd>
        }
    });
    let option = |key: &'static str, value: Option<crate::protocol::OptionRef>| {
        value.map(|o| view! { <dt>{tr(key)}</dt> <dd>{o.label}</dd> })
    };
    let answer = form.answer_by.key();
    view! {
        <li class="form-fields">
            <dl>
                {service}
                {option("option-category", form.category)}
                {option("option-criticality", form.criticality)}
                <dt>{tr("answer-by")}</dt>
                <dd>{tr(answer)}</dd>
            </dl>
        </li>
    }
}

/// Staff split the conversation from a message on into a new ticket, once they confirm.
#[component]
fn SplitHere(
    live: Live,
    ticket: crate::protocol::TicketId,
    seq: crate::protocol::Seq,
) -> impl IntoView {
    let lang = locale();
    let asking = RwSignal::new(false);
    let button: NodeRef<leptos::html::Button> = NodeRef::new();
    move || {
        if asking.get() {
            view! {
                <Confirm
                    question=t!(lang.get(), "split-confirm")
                    act=t!(lang.get(), "split")
                    on_confirm=move || {
                        asking.set(false);
                        live.split(ticket, seq);
                    }
                    on_cancel=move || {
                        asking.set(false);
                        request_animation_frame(move || {
                            if let Some(button) = button.get_untracked() {
                                let _ = button.focus();
                            }
                        });
                    }
                />
            }
            .into_any()
        } else {
            view! {
                <button
                    type="button"
                    class="link quote"
                    title=tr("split-hint")
                    node_ref=button
                    on:click=move |_| asking.set(true)
                >
                    {tr("split-here")}
                </button>
            }
            .into_any()
        }
    }
}
