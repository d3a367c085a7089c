//! Writing: the reply box (messages, hidden notes, canned responses, files) and the
//! member's new-conversation form.

use crate::i18n::t;
use crate::{
    files::{AttachButton, UploadList, Uploads},
    i18n::{locale, tr},
    live::{Delivery, Live},
    protocol::{DepartmentId, TicketId, UserId, limits},
};
use leptos::{ev::KeyboardEvent, html, prelude::*};
use leptos_router::hooks::use_navigate;

#[allow(unused_imports)]
use super::*;

/// The reply box: Enter sends, Shift+Enter starts a new line, Esc clears. Files are attached
/// with its button, dropped on it or pasted into it, and go with the next message once
/// uploaded. Staff can write a hidden note instead, or send and close; it is disabled while
/// someone else holds the ticket.
#[component]
pub(crate) fn Composer(
    live: Live,
    id: TicketId,
    me_id: UserId,
    staff: bool,
    canned: Vec<crate::protocol::CannedResponse>,
    me_name: String,
) -> impl IntoView {
    let draft = RwSignal::new(String::new());
    let lang = locale();
    let box_ref: NodeRef<html::Textarea> = NodeRef::new();
    let uploads = Uploads::default();
    let limits = file_limits(live);
    let dragging = RwSignal::new(false);
    // "Hide and don't notify": each reply starts as the person's default says.
    let notes_by_default = Memo::new(move |_| {
        live.me
            .with(|m| m.as_ref().is_some_and(|m| m.notes_by_default))
    });
    let hidden = RwSignal::new(staff && notes_by_default.get_untracked());
    Effect::new(move |_| hidden.set(staff && notes_by_default.get()));
    let keeper = DraftKeeper::new(live, id, draft, hidden);
    // A quotation asked for elsewhere (a message's "Quote") joins the draft.
    Effect::new(move |_| {
        if let Some(text) = live.quote.get() {
            live.quote.set(None);
            draft.update(|d| {
                if !d.is_empty() && !d.ends_with('\n') {
                    d.push('\n');
                }
                d.push_str(&text);
            });
            live.drafting(false);
            keeper.changed();
            if let Some(el) = box_ref.get() {
                let _ = el.focus();
            }
        }
    });
    // Editing a message: its text fills the box; Enter saves, Esc gives up.
    Effect::new(move |_| {
        if let Some((_, text)) = live.editing.get() {
            draft.set(text);
            if let Some(el) = box_ref.get() {
                let _ = el.focus();
            }
        }
    });
    let department = Memo::new(move |_| {
        live.open.with(|o| {
            o.as_ref()
                .and_then(|o| o.summary.as_ref())
                .map(|s| s.department.id)
        })
    });
    // The canned responses on offer follow the configuration live.
    let canned = Memo::new(move |_| {
        live.me.with(|m| {
            m.as_ref()
                .map_or_else(|| canned.clone(), |m| m.canned.clone())
        })
    });
    let insert_canned = {
        move |response_id: i64| {
            let Some(response) =
                canned.with_untracked(|all| all.iter().find(|c| c.id == response_id).cloned())
            else {
                return;
            };
            let values = live.open.with_untracked(|o| {
                let s = o.as_ref().and_then(|o| o.summary.as_ref());
                crate::canned::Placeholders {
                    member: s.map(|s| s.member.name.clone()).unwrap_or_default(),
                    ticket: id.to_string(),
                    operator: me_name.clone(),
                    department: s.map(|s| s.department.name.clone()).unwrap_or_default(),
                }
            });
            let text = crate::canned::fill(&response.body, &values);
            live.quote.set(Some(text));
        }
    };
    // The department's responses, for the picker and for `/` in the box.
    let canned_here = Memo::new(move |_| {
        canned.with(|all| {
            all.iter()
                .filter(|c| Some(c.department_id) == department.get())
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    let slash = Slash::new(draft, canned_here);
    let slash_list = format!("canned-{id}");
    let take_slash = {
        let insert = insert_canned.clone();
        move |response: i64| {
            draft.set(String::new());
            insert(response);
        }
    };
    let canned_picker = move || {
        let here = canned_here.get();
        let insert = insert_canned.clone();
        (staff && !here.is_empty()).then(|| {
            view! {
                <select
                    class="canned"
                    aria-label=tr("insert-canned")
                    prop:value=""
                    on:change=move |ev| {
                        if let Ok(response) = event_target_value(&ev).parse::<i64>() {
                            insert(response);
                        }
                    }
                >
                    <option value="">{tr("canned-choose")}</option>
                    {here
                        .into_iter()
                        .map(|c| view! { <option value=c.id>{c.title}</option> })
                        .collect_view()}
                </select>
            }
        })
    };
    let held_by_other = Memo::new(move |_| {
        live.open.with(|o| {
            o.as_ref()
                .and_then(|o| o.summary.as_ref())
                .and_then(|s| s.assignee.as_ref())
                .filter(|p| p.id != me_id)
                .map(|p| p.name.clone())
        })
    });
    let send = move |close: bool| {
        let body = draft.get_untracked();
        let editing = live.editing.get_untracked();
        let files = if editing.is_some() {
            Vec::new()
        } else {
            uploads.ready()
        };
        if (body.trim().is_empty() && files.is_empty())
            || body.chars().count() > limits::MAX_BODY_CHARS
            || held_by_other.get_untracked().is_some()
            || uploads.busy()
        {
            return;
        }
        if let Some((seq, _)) = editing {
            if body.trim().is_empty() {
                return;
            }
            live.edit(id, seq, body.trim().to_owned());
            live.editing.set(None);
        } else {
            live.send_message(
                id,
                body.trim().to_owned(),
                staff && hidden.get_untracked(),
                close,
                files,
            );
            uploads.sent();
        }
        draft.set(String::new());
        keeper.sent();
        live.drafting(true);
        // Back to the reply box, whatever sent it, for the next line.
        if let Some(reply) = box_ref.get_untracked() {
            let _ = reply.focus();
        }
    };
    let on_key = enter_sends(
        move || send(false),
        move || {
            live.editing.set(None);
            draft.set(String::new());
            live.drafting(true);
            keeper.changed();
        },
    );
    let too_long = move || draft.with(|d| d.chars().count() > limits::MAX_BODY_CHARS);
    let has_files = move || {
        uploads.list.with(|l| {
            l.iter()
                .any(|u| matches!(u.state, crate::files::UploadState::Ready(_)))
        })
    };
    let cannot_send = move || {
        (draft.with(|d| d.trim().is_empty()) && (!has_files() || live.editing.get().is_some()))
            || too_long()
            || held_by_other.get().is_some()
            || uploads.busy()
    };
    let (drop_files, on_paste) = file_handlers(uploads, limits, move || {
        held_by_other.get_untracked().is_none() && live.editing.get_untracked().is_none()
    });
    let on_drop = move |ev: leptos::ev::DragEvent| {
        dragging.set(false);
        drop_files(ev);
    };
    view! {
        <form
            class="composer"
            class:note=move || hidden.get()
            class:dragging=move || dragging.get()
            on:dragover=move |ev| {
                ev.prevent_default();
                dragging.set(true);
            }
            on:dragleave=move |_| dragging.set(false)
            on:drop=on_drop
            on:submit=move |ev| {
                ev.prevent_default();
                send(false);
            }
        >
            {move || live.editing.get().map(|_| view! {
                <p class="muted small held">{tr("editing-hint")}</p>
            })}
            {move || held_by_other.get().map(|name| view! {
                <p class="muted small held">{move || t!(lang.get(), "held-by-other", name = name.clone())}</p>
            })}
            <textarea
                node_ref=box_ref
                aria-label=tr("your-message")
                placeholder=move || t!(lang.get(), if hidden.get() { "note-placeholder" } else if touch_screen() { "message-placeholder-touch" } else { "message-placeholder" })
                rows="2"
                prop:value=move || draft.get()
                prop:disabled=move || held_by_other.get().is_some()
                on:input=move |ev| {
                    let text = event_target_value(&ev);
                    live.drafting(text.trim().is_empty());
                    draft.set(text);
                    keeper.changed();
                }
                on:keydown={
                    let take = take_slash.clone();
                    move |ev: leptos::ev::KeyboardEvent| {
                        if staff && slash.key(&ev, &take) {
                            return;
                        }
                        on_key(ev);
                    }
                }
                on:paste=on_paste
                aria-controls={
                    let list = slash_list.clone();
                    move || (staff && slash.open()).then(|| list.clone())
                }
                aria-activedescendant={
                    let list = slash_list.clone();
                    move || slash.active_option(&list)
                }
            ></textarea>
            {staff.then(|| view! { <SlashList slash list_id=slash_list.clone() take=take_slash.clone() /> })}
            <UploadList uploads/>
            <div class="send">
                <Show when=move || live.editing.get().is_none() && held_by_other.get().is_none()>
                    <AttachButton uploads limits/>
                </Show>
                <button type="submit" class="primary" disabled=cannot_send>
                    {move || {
                        let key = if live.editing.get().is_some() {
                            "save"
                        } else if uploads.busy() {
                            "uploading"
                        } else if hidden.get() {
                            "add-note"
                        } else {
                            "send"
                        };
                        t!(lang.get(), key)
                    }}
                </button>
                <Show when=move || staff && !hidden.get()>
                    <button type="button" disabled=cannot_send on:click=move |_| send(true)>
                        {tr("send-and-close")}
                    </button>
                </Show>
            </div>
            <Show when=move || staff>
                <div class="composer-tools">
                <label class="note-toggle">
                    <input
                        type="checkbox"
                        prop:checked=move || hidden.get()
                        on:change=move |ev| hidden.set(event_target_checked(&ev))
                    />
                    {tr("hidden-note-toggle")}
                </label>
                <label class="note-toggle">
                    <input
                        type="checkbox"
                        prop:checked=move || notes_by_default.get()
                        on:change=move |ev| live.set_notes_by_default(event_target_checked(&ev))
                    />
                    {tr("notes-by-default")}
                </label>
                {canned_picker.clone()}
                </div>
            </Show>
            <Show when=too_long>
                <p class="alert small" role="alert">
                    {move || t!(lang.get(), "message-too-long", max = limits::MAX_BODY_CHARS)}
                </p>
            </Show>
        </form>
    }
}

/// The member's form for a new conversation. Esc cancels.
#[component]
pub(crate) fn NewConversation(
    live: Live,
    departments: Vec<crate::protocol::Department>,
) -> impl IntoView {
    let navigate = use_navigate();
    let lang = locale();
    let department = RwSignal::new(0);
    let subject = RwSignal::new(String::new());
    // A subject the address brings (the host page's widget asking for one) fills the field.
    let query = use_query_map();
    Effect::new(move |_| {
        if let Some(asked) = query.read().get("subject") {
            subject.set(asked.chars().take(200).collect());
        }
    });
    let body = RwSignal::new(String::new());
    let uploads = Uploads::default();
    let limits = file_limits(live);
    let submit = move || {
        let text = body.get_untracked();
        if text.trim().is_empty() || uploads.busy() {
            return;
        }
        live.start_ticket(
            DepartmentId(department.get_untracked()),
            subject.get_untracked().trim().to_owned(),
            text.trim().to_owned(),
            uploads.ready(),
            None,
        );
        uploads.sent();
    };
    let (on_drop, on_paste) = file_handlers(uploads, limits, || true);
    let cancel = {
        let navigate = navigate.clone();
        move || {
            live.starting.set(None);
            navigate("/account", Default::default());
        }
    };
    let on_key = enter_sends(submit, cancel.clone());
    let on_form_key = {
        let cancel = cancel.clone();
        move |ev: KeyboardEvent| {
            if ev.key() == "Escape" {
                cancel();
            }
        }
    };
    let state = move || {
        live.starting.with(|s| {
            s.as_ref().map(|s| match &s.delivery {
                Delivery::Sending => {
                    view! { <p class="delivery sending">{tr("starting")}</p> }.into_any()
                }
                Delivery::Sent => view! { <p class="delivery sent">{tr("sent")}</p> }.into_any(),
                Delivery::Failed(why) | Delivery::Stale(why) => {
                    view! { <p class="alert" role="alert">{t!(lang.get_untracked(), "not-sent", why = why)}</p> }
                        .into_any()
                }
            })
        })
    };
    view! {
        <form
            class="new-conversation"
            aria-labelledby="new-title"
            on:keydown=on_form_key
            on:dragover=move |ev| ev.prevent_default()
            on:drop=on_drop
            on:submit=move |ev| {
                ev.prevent_default();
                submit();
            }
        >
            <div class="ticket-head">
                <a class="back" href="/account">"← " {tr("back")}</a>
                <h2 id="new-title">{tr("new-conversation")}</h2>
            </div>
            <DepartmentChoice live departments department id="department" />
            <label for="subject">{tr("subject")}</label>
            <input
                id="subject"
                type="text"
                maxlength=limits::MAX_SUBJECT_CHARS
                placeholder=tr("subject-placeholder")
                prop:value=move || subject.get()
                on:input=move |ev| subject.set(event_target_value(&ev))
            />
            <label for="first-message">{tr("message")}</label>
            <textarea
                id="first-message"
                rows="5"
                placeholder=move || t!(lang.get(), if touch_screen() { "first-message-placeholder-touch" } else { "first-message-placeholder" })
                prop:value=move || body.get()
                on:input=move |ev| body.set(event_target_value(&ev))
                on:keydown=on_key
                on:paste=on_paste
            ></textarea>
            <UploadList uploads/>
            <div class="attach-row">
                <AttachButton uploads limits/>
                <span class="muted small">{move || {
                    let lang = lang.get();
                    t!(lang, "files-up-to", size = crate::i18n::bytes(lang, limits.get().max_file_bytes))
                }}</span>
            </div>
            {state}
            <div class="actions">
                <button type="button" class="ghost" on:click=move |_| cancel()>{tr("cancel")}</button>
                <button
                    type="submit"
                    class="primary"
                    disabled=move || body.with(|b| b.trim().is_empty()) || uploads.busy() || live.starting.with(|s| s.as_ref().is_some_and(|s| s.delivery == Delivery::Sending))
                >
                    {tr("start-conversation")}
                </button>
            </div>
        </form>
    }
}

/// The departments a member may write to (following the configuration live), the first
/// chosen at the start, and whether someone of the chosen one is online.
#[component]
pub(crate) fn DepartmentChoice(
    live: Live,
    departments: Vec<crate::protocol::Department>,
    department: RwSignal<i64>,
    id: &'static str,
) -> impl IntoView {
    let offered = Memo::new(move |_| {
        live.me.with(|m| {
            m.as_ref()
                .map_or_else(|| departments.clone(), |m| m.departments.clone())
        })
    });
    let first = offered
        .with_untracked(|d| d.first().map(|d| d.id.0))
        .unwrap_or_default();
    department.set(first);
    view! {
        <label for=id>{tr("department")}</label>
        <select
            id=id
            on:change=move |ev| department.set(event_target_value(&ev).parse().unwrap_or(first))
        >
            <For
                each=move || offered.get()
                key=|d| (d.id, d.name.clone())
                children=move |d| view! { <option value=d.id.0>{d.name}</option> }
            />
        </select>
        {support_status(live, move || Some(DepartmentId(department.get())))}
    }
}

/// The desk's file limits, as the page learned them.
pub(crate) fn file_limits(live: Live) -> Signal<crate::protocol::FileLimits> {
    Signal::derive(move || {
        live.me.with(|m| {
            m.as_ref()
                .map(|m| m.file_limits.clone())
                .unwrap_or_default()
        })
    })
}

/// Handlers adding files dropped on a form or pasted into its text (a screenshot from the
/// clipboard) to `uploads`, while `open` says files are welcome.
pub(crate) fn file_handlers(
    uploads: Uploads,
    limits: Signal<crate::protocol::FileLimits>,
    open: impl Fn() -> bool + Copy + 'static,
) -> (
    impl Fn(leptos::ev::DragEvent) + Copy + 'static,
    impl Fn(leptos::ev::ClipboardEvent) + Copy + 'static,
) {
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        #[cfg(feature = "hydrate")]
        if open() {
            crate::files::add_all(
                uploads,
                ev.data_transfer().and_then(|d| d.files()),
                &limits.get_untracked(),
            );
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (uploads, limits, open);
    };
    let on_paste = move |ev: leptos::ev::ClipboardEvent| {
        #[cfg(feature = "hydrate")]
        if open()
            && crate::files::add_all(
                uploads,
                ev.clipboard_data().and_then(|d| d.files()),
                &limits.get_untracked(),
            )
        {
            ev.prevent_default();
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, uploads, limits, open);
    };
    (on_drop, on_paste)
}

/// The text selected on the page when it lies within `message`; otherwise the whole message.
pub(crate) fn selected_or(message: &str) -> String {
    #[cfg(feature = "hydrate")]
    {
        let selected = web_sys::window()
            .and_then(|w| w.get_selection().ok().flatten())
            .map(|s| String::from(s.to_string()))
            .unwrap_or_default();
        let selected = selected.trim();
        if !selected.is_empty() && message.contains(selected) {
            return selected.to_owned();
        }
    }
    message.to_owned()
}

/// Whether the page is used with a finger rather than a mouse (its main pointer is coarse).
pub(crate) fn touch_screen() -> bool {
    crate::live::media("(pointer: coarse)")
}

/// The keys of every text box that sends: Enter sends, Shift+Enter is a new line (as is
/// Enter while an input method is composing), Esc cancels.
pub(crate) fn enter_sends(
    send: impl Fn() + 'static,
    cancel: impl Fn() + 'static,
) -> impl Fn(KeyboardEvent) + 'static {
    move |ev: KeyboardEvent| match ev.key().as_str() {
        // On a touch screen Enter adds a line; the Send button sends.
        "Enter" if !ev.shift_key() && !ev.is_composing() && !touch_screen() => {
            ev.prevent_default();
            send();
        }
        "Escape" => cancel(),
        _ => {}
    }
}
