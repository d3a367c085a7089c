//! One ticket's conversation: its presence bar, actions, events and messages on their way.

use crate::{
    files::{Attachments, Lightbox},
    live::{Delivery, Live, OpenTicket, Pending},
    protocol::{
        DepartmentId, EventKind, MemberStatus, PresenceMode, Role, Seq, StaffMember, TicketEvent,
        TicketId, TicketOption, TicketStatus, TicketSummary, UserId,
    },
};
use leptos::{html, prelude::*};

#[allow(unused_imports)]
use super::*;

/// One ticket's history and the reply box.
#[component]
pub(crate) fn Conversation(
    live: Live,
    me_id: UserId,
    me_role: Role,
    base: &'static str,
    targets: Vec<crate::protocol::Department>,
    marks: Vec<crate::protocol::RatingMark>,
    canned: Vec<crate::protocol::CannedResponse>,
    me_name: String,
    jump: Memo<Option<Seq>>,
    options: Vec<TicketOption>,
) -> impl IntoView {
    let staff_view = me_role.is_staff();
    let open = move || live.open.get();
    let timeline: NodeRef<html::Ol> = NodeRef::new();
    // Keep the newest message in view as the history grows.
    Effect::new(move |_| {
        let _ = live.open.with(|o| o.as_ref().map(|o| o.events.len()));
        let _ = live.pending.with(Vec::len);
        if let Some(el) = timeline.get() {
            el.set_scroll_top(el.scroll_height());
        }
    });
    // Then bring the message a search hit points at into view, marked, once it is there.
    Effect::new(move |_| {
        let ready = live.open.with(|o| o.as_ref().is_some_and(|o| o.caught_up));
        let (Some(seq), true, Some(list)) = (jump.get(), ready, timeline.get()) else {
            return;
        };
        if let Ok(Some(item)) = list.query_selector(&format!("li[data-seq=\"{}\"]", seq.0)) {
            #[cfg(feature = "hydrate")]
            {
                let options = web_sys::ScrollIntoViewOptions::new();
                options.set_block(web_sys::ScrollLogicalPosition::Center);
                item.scroll_into_view_with_scroll_into_view_options(&options);
            }
            let _ = item.set_attribute("data-found", "");
        }
    });
    let ticket_id = Memo::new(move |_| live.open.with(|o| o.as_ref().map(|o| o.id)));
    view! {
        {move || {
            open()
                .map(|o: OpenTicket| {
                    let subject = o
                        .summary
                        .as_ref()
                        .map(|s| s.subject.clone())
                        .unwrap_or_else(|| format!("Ticket #{}", o.id));
                    let meta = o
                        .summary
                        .as_ref()
                        .map(|s| match &s.queue {
                            Some(q) => format!("#{} · {} · {} · {}", s.id, s.department.name, q.name, s.member.name),
                            None => format!("#{} · {} · {}", s.id, s.department.name, s.member.name),
                        })
                        .unwrap_or_default();
                    let actions = o
                        .summary
                        .clone()
                        .map(|s| {
                            let staff = live.me.with(|m| m.as_ref().map(|m| m.staff.clone()).unwrap_or_default());
                            ticket_actions(live, s, me_id, me_role, &targets, &staff)
                        });
                    view! {
                        <div class="ticket-head">
                            <a class="back" href=base>"← Back"</a>
                            <div class="grow">
                                <h2 class="ticket-subject">{subject}</h2>
                                <p class="muted small">{meta}</p>
                            </div>
                            <div class="actions">{actions}</div>
                        </div>
                        {o.error.clone().map(|e| view! { <p class="alert" role="alert">{e}</p> })}
                        {staff_view.then(|| view! { <PresenceBar live id=o.id staff=true /> })}
                    }
                })
        }}
        {move || {
            ticket_id
                .get()
                .filter(|_| staff_view)
                .map(|id| view! { <ParametersPanel live id me_id options=options.clone() /> })
        }}
        <ol class="timeline" aria-label="Messages" node_ref=timeline>
            <For
                each=move || live.open.with(|o| o.as_ref().map(|o| with_edits(&o.events)).unwrap_or_default())
                key=|(e, edited)| (e.ticket_id, e.seq, edited.clone())
                children=move |(e, edited)| view! { <EventItem e edited me_id live staff_view /> }
            />
            <For
                each=move || {
                    let id = ticket_id.get();
                    live.pending.with(|list| list.iter().filter(|p| Some(p.ticket_id) == id).cloned().collect::<Vec<_>>())
                }
                key=|p| (p.client_msg_id.clone(), p.delivery.clone())
                children=move |p| view! { <PendingItem p live /> }
            />
        </ol>
        <Lightbox lightbox=live.lightbox/>
        {(!me_role.is_staff())
            .then(|| {
                support_status(
                    live,
                    move || {
                        live.open
                            .with(|o| {
                                o.as_ref()
                                    .and_then(|o| o.summary.as_ref())
                                    .map(|s| s.department.id)
                            })
                    },
                )
            })}
        {(!me_role.is_staff()).then(|| rating_bar(live, marks))}
        {move || {
            ticket_id
                .get()
                .filter(|_| !staff_view)
                .map(|id| view! { <PresenceBar live id staff=false /> })
        }}
        {move || live.notice.get().map(|n| view! { <p class="alert notice" role="alert">{n}</p> })}
        {move || {
            ticket_id
                .get()
                .map(|id| {
                    view! {
                        <Composer
                            live
                            id
                            me_id
                            staff=me_role.is_staff()
                            canned=canned.clone()
                            me_name=me_name.clone()
                        />
                    }
                })
        }}
    }
}

/// Who else has the ticket open: staff see everyone, viewing or replying (and typing);
/// members see only support typing.
#[component]
pub(crate) fn PresenceBar(live: Live, id: TicketId, staff: bool) -> impl IntoView {
    let present = move || {
        live.presence
            .with(|all| all.get(&id).cloned().unwrap_or_default())
    };
    view! {
        {move || {
            let present = present();
            if staff {
                (!present.is_empty())
                    .then(|| {
                        view! {
                            <ul class="presence" aria-label="Here now">
                                {present
                                    .into_iter()
                                    .map(|p| {
                                        let replying = p.mode == PresenceMode::Replying;
                                        let doing = match (replying, p.typing) {
                                            (_, true) => "typing…",
                                            (true, false) => "replying",
                                            (false, false) => "viewing",
                                        };
                                        view! {
                                            <li class:replying=replying>
                                                {format!("{} · {doing}", p.person.name)}
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        }
                            .into_any()
                    })
            } else {
                // Always there, so that the line coming and going moves nothing.
                let text = present
                    .first()
                    .map(|p| format!("{} is typing…", p.person.name))
                    .unwrap_or_default();
                Some(view! { <p class="typing muted small" role="status">{text}</p> }.into_any())
            }
        }}
    }
}

/// The ticket's state and what the reader can do about it: take or release it (staff),
/// archive it once closed (member).
pub(crate) fn ticket_actions(
    live: Live,
    s: TicketSummary,
    me_id: UserId,
    me_role: Role,
    targets: &[crate::protocol::Department],
    staff: &[StaffMember],
) -> AnyView {
    let id = s.id;
    if !me_role.is_staff() {
        let closed = s.status == TicketStatus::Closed;
        return view! {
            {status_tag(s.member_status())}
            {(closed && !s.archived)
                .then(|| view! { <button type="button" on:click=move |_| live.archive(id)>"Archive"</button> })}
            {s.archived.then(|| view! { <span class="tag">"Archived"</span> })}
        }
        .into_any();
    }
    let moderator = matches!(me_role, Role::Moderator | Role::Administrator);
    let closed =
        (s.status == TicketStatus::Closed).then(|| view! { <span class="tag">"Closed"</span> });
    let may_write = s.assignee.as_ref().is_none_or(|p| p.id == me_id);
    let current = s.department.id;
    let options: Vec<_> = targets
        .iter()
        .filter(|d| d.id != current)
        .cloned()
        .collect();
    let transfer = (may_write && !options.is_empty()).then(|| {
        view! {
            <select
                class="transfer"
                aria-label="Transfer to department"
                on:change=move |ev| {
                    if let Ok(to) = event_target_value(&ev).parse::<i64>() {
                        live.transfer(id, DepartmentId(to));
                    }
                }
            >
                <option value="" selected>"Transfer to…"</option>
                {options
                    .into_iter()
                    .map(|d| view! { <option value=d.id.0>{d.name}</option> })
                    .collect_view()}
            </select>
        }
    });
    let following = move || live.following.with(|f| f.contains(&id));
    let follow = view! {
        <button
            type="button"
            class="follow"
            aria-pressed=move || following().to_string()
            title="Be notified of what happens to this ticket"
            on:click=move |_| live.follow(id, !following())
        >
            {move || if following() { "Following" } else { "Follow" }}
        </button>
    };
    let holder = s.assignee.as_ref().map(|p| p.id);
    let colleagues: Vec<_> = staff
        .iter()
        .filter(|m| m.works_in(current) && Some(m.person.id) != holder)
        .map(|m| m.person.clone())
        .collect();
    let assign = ((may_write || moderator) && !colleagues.is_empty()).then(|| {
        view! {
            <select
                class="transfer"
                aria-label="Assign to"
                on:change=move |ev| {
                    if let Ok(to) = event_target_value(&ev).parse::<i64>() {
                        live.assign(id, UserId(to));
                    }
                }
            >
                <option value="" selected>"Assign to…"</option>
                {colleagues
                    .into_iter()
                    .map(|p| {
                        let name = if p.id == me_id { format!("{} (you)", p.name) } else { p.name };
                        view! { <option value=p.id.0>{name}</option> }
                    })
                    .collect_view()}
            </select>
        }
    });
    let lock = match s.assignee {
        None => view! {
            <span class="tag">"Nobody has taken it"</span>
            <button type="button" class="primary" on:click=move |_| live.take(id)>"Take"</button>
        }
        .into_any(),
        Some(p) if p.id == me_id => view! {
            <span class="tag mine" data-testid="lock">"Taken by you"</span>
            <button type="button" on:click=move |_| live.release(id)>"Release"</button>
        }
        .into_any(),
        Some(p) => view! {
            <span class="tag locked" data-testid="lock">{format!("Taken by {}", p.name)}</span>
            {moderator.then(|| view! { <button type="button" on:click=move |_| live.release(id)>"Release"</button> })}
        }
        .into_any(),
    };
    // Passed on to a department this operator does not work in: they keep it, and see where
    // it is active now.
    let elsewhere = live
        .me
        .with_untracked(|m| {
            m.as_ref().is_some_and(|m| {
                m.role == Role::Operator && !m.departments.iter().any(|d| d.id == current)
            })
        })
        .then(|| {
            view! { <span class="tag waiting">{format!("Active at {}", s.department.name)}</span> }
        });
    view! { {elsewhere} {closed} {lock} {follow} {assign} {transfer} }.into_any()
}

/// The member's rating of support's answer: shown once there is an answer; the chosen mark
/// is pressed, and choosing another changes it.
pub(crate) fn rating_bar(live: Live, marks: Vec<crate::protocol::RatingMark>) -> impl IntoView {
    let answered = move || {
        live.open.with(|o| {
            o.as_ref().is_some_and(|o| {
                o.events.iter().any(|e| {
                    matches!(e.kind, EventKind::Message { .. })
                        && e.author.as_ref().is_some_and(|a| a.role.is_staff())
                })
            })
        })
    };
    let current = Memo::new(move |_| {
        live.open.with(|o| {
            o.as_ref().and_then(|o| {
                o.events.iter().rev().find_map(|e| match &e.kind {
                    EventKind::Rated { mark } => Some(mark.id),
                    _ => None,
                })
            })
        })
    });
    let ticket = move || live.open.with(|o| o.as_ref().map(|o| o.id));
    view! {
        <Show when=answered>
            <div class="rating" role="group" aria-label="Rate the answer">
                <span class="muted small">"Rate the answer:"</span>
                {marks
                    .iter()
                    .map(|m| {
                        let id = m.id;
                        view! {
                            <button
                                type="button"
                                class="mark"
                                aria-pressed=move || if current.get() == Some(id) { "true" } else { "false" }
                                on:click=move |_| {
                                    if let Some(ticket) = ticket() {
                                        live.rate(ticket, id);
                                    }
                                }
                            >
                                {m.label.clone()}
                            </button>
                        }
                    })
                    .collect_view()}
            </div>
        </Show>
    }
}

/// The member-side state of a ticket, as a tag.
pub(crate) fn status_tag(status: MemberStatus) -> impl IntoView {
    let (class, text) = match status {
        MemberStatus::UnderReview => ("tag review", "Under review"),
        MemberStatus::NewMessages => ("tag new", "New messages"),
        MemberStatus::Viewed => ("tag viewed", "Viewed"),
        MemberStatus::Closed => ("tag", "Closed"),
    };
    view! { <span class=class data-testid="member-status">{text}</span> }
}

#[component]
pub(crate) fn EventItem(
    e: TicketEvent,
    edited: Option<String>,
    me_id: UserId,
    live: Live,
    staff_view: bool,
) -> impl IntoView {
    let author = e.author.clone();
    let who = author
        .as_ref()
        .map_or_else(|| "Someone".to_owned(), |a| a.name.clone());
    let system = |text: String| {
        view! {
            <li class="system">
                {text}
                " · "
                <time>{clock(e.at)}</time>
            </li>
        }
        .into_any()
    };
    let note = matches!(e.kind, EventKind::Note { .. });
    match e.kind {
        EventKind::Created { department, .. } => system(format!(
            "{who} opened this conversation in {}",
            department.name
        )),
        EventKind::Taken => system(format!("{who} took this ticket")),
        EventKind::Released { holder } => match holder {
            Some(h) if Some(h.id) != author.as_ref().map(|a| a.id) => {
                system(format!("{who} released this ticket from {}", h.name))
            }
            _ => system(format!("{who} released this ticket")),
        },
        EventKind::Closed => system(format!("{who} closed this conversation")),
        EventKind::Reopened => system(format!("{who} reopened this conversation")),
        EventKind::Archived => system(format!("{who} archived this conversation")),
        EventKind::Rated { mark } => system(format!("{who} rated the answer: {}", mark.label)),
        EventKind::Edited { previous, .. } => {
            system(format!("{who} edited a message; it read: “{previous}”"))
        }
        EventKind::SplitOff {
            ticket, subject, ..
        } => system(format!(
            "{who} split this conversation: it continues in #{ticket} “{subject}”"
        )),
        EventKind::SplitFrom { ticket, subject } => system(format!(
            "{who} split this conversation off #{ticket} “{subject}”"
        )),
        EventKind::ParametersChanged { changes } => {
            let said: Vec<String> = changes
                .iter()
                .map(|c| {
                    let field = crate::protocol::OptionKind::parse(&c.field)
                        .map_or("subject", |k| k.label())
                        .to_lowercase();
                    let value = |v: &Option<String>| {
                        v.as_ref().map_or("none".to_owned(), |v| format!("“{v}”"))
                    };
                    format!("{field} {} → {}", value(&c.from), value(&c.to))
                })
                .collect();
            system(format!("{who} changed the {}", said.join("; ")))
        }
        EventKind::Transferred { to, .. } => system(format!(
            "{who} transferred this conversation to {}",
            to.name
        )),
        EventKind::Assigned { to, .. } => {
            system(format!("{who} assigned this ticket to {}", to.name))
        }
        EventKind::Message {
            body, attachments, ..
        }
        | EventKind::Note {
            body, attachments, ..
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
                        "Edit"
                    </button>
                }
            });
            let quote = staff_view.then(|| {
                view! {
                    <button
                        type="button"
                        class="link quote"
                        title="Quote the selected passage (or the whole message) in the reply"
                        on:click=move |_| live.quote.set(Some(crate::canned::quote(&selected_or(&quoted))))
                    >
                        "Quote"
                    </button>
                }
            });
            let ticket = e.ticket_id;
            let split = (staff_view && !note && seq.0 > 2).then(|| {
                view! {
                    <button
                        type="button"
                        class="link quote"
                        title="Move the conversation from this message on into a new ticket"
                        on:click=move |_| live.split(ticket, seq)
                    >
                        "Split from here"
                    </button>
                }
            });
            view! {
                <li class="message" class:mine=mine class:staff=staff class:note=note data-seq=e.seq.0>
                    <div class="bubble">
                        <div class="from">
                            <span class="author">{who}</span>
                            {note.then(|| view! { <span class="note-label">"Hidden note"</span> })}
                            <time>{clock(e.at)}</time>
                            {edited_mark.then(|| view! { <span class="edited">"edited"</span> })}
                            {quote}
                            {edit}
                            {split}
                        </div>
                        {(!body.is_empty()).then(|| view! { <p class="body">{body}</p> })}
                        {(!attachments.is_empty()).then(|| view! { <Attachments files=attachments lightbox=live.lightbox/> })}
                        {mine.then(|| view! { <span class="delivery sent">"Sent"</span> })}
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
    let state = match &p.delivery {
        Delivery::Sending => view! { <span class="delivery sending">"Sending…"</span> }.into_any(),
        Delivery::Sent => view! { <span class="delivery sent">"Sent"</span> }.into_any(),
        Delivery::Failed(why) => view! {
            <span class="delivery failed" role="alert">
                {format!("Not sent: {why}")}
                " "
                <button type="button" class="link" on:click=move |_| live.retry(&retry_id)>
                    "Retry"
                </button>
            </span>
        }
        .into_any(),
    };
    let note = p.hidden;
    view! {
        <li class="message mine pending" class:note=note>
            <div class="bubble">
                <div class="from">
                    <span class="author">"You"</span>
                    <time>{clock(p.at)}</time>
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
