//! One ticket's conversation: its presence bar, actions, events and messages on their way.

use crate::i18n::t;
use crate::{
    files::Lightbox,
    i18n::{locale, tr},
    live::{Live, OpenTicket},
    protocol::{
        EventKind, MemberStatus, PresenceMode, Role, Seq, StaffMember, TicketId, TicketOption,
        TicketStatus, TicketSummary, UserId,
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
    let lang = locale();
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
                        .unwrap_or_else(|| t!(lang.get(), "ticket-number", id = o.id.0));
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
                            <a class="back" href=base>"← " {tr("back")}</a>
                            <div class="grow">
                                <h2 class="ticket-subject">{subject}</h2>
                                <p class="muted small">{meta}</p>
                            </div>
                            <div class="actions">
                                {staff_view.then(|| view! { <MemberPaneToggle live /> })}
                                {actions}
                            </div>
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
        <ol class="timeline" aria-label=tr("messages") node_ref=timeline>
            <For
                each=move || {
                    let events = live.open.with(|o| o.as_ref().map(|o| with_edits(&o.events)).unwrap_or_default());
                    // The first event of each day is preceded by the day's name.
                    let mut day = None;
                    events
                        .into_iter()
                        .map(|(e, edited)| {
                            let today = day_of(e.at);
                            let first = day.replace(today) != Some(today);
                            (e, edited, first)
                        })
                        .collect::<Vec<_>>()
                }
                key=|(e, edited, first)| (e.ticket_id, e.seq, edited.clone(), *first)
                children=move |(e, edited, first)| {
                    let at = e.at;
                    view! {
                        {first.then(|| view! { <li class="day"><span>{move || day_label(at, lang.get())}</span></li> })}
                        <EventItem e edited me_id live staff_view />
                    }
                }
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
        {(!me_role.is_staff()).then(|| view! { <WaitingLine live /> })}
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
    let lang = locale();
    let present = move || {
        live.presence
            .with(|all| all.get(&id).cloned().unwrap_or_default())
    };
    view! {
        {move || {
            let present = present();
            let lang = lang.get();
            if staff {
                (!present.is_empty())
                    .then(|| {
                        view! {
                            <ul class="presence" aria-label=t!(lang, "here-now")>
                                {present
                                    .into_iter()
                                    .map(|p| {
                                        let replying = p.mode == PresenceMode::Replying;
                                        let doing = match (replying, p.typing) {
                                            (_, true) => "presence-typing",
                                            (true, false) => "presence-replying",
                                            (false, false) => "presence-viewing",
                                        };
                                        view! {
                                            <li class:replying=replying>
                                                {t!(lang, doing, name = p.person.name.clone())}
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
                    .map(|p| t!(lang, "is-typing", name = p.person.name.clone()))
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
    let lang = locale();
    if !me_role.is_staff() {
        let closed = s.status == TicketStatus::Closed;
        return view! {
            {status_tag(s.member_status())}
            {(closed && !s.archived)
                .then(|| view! { <button type="button" on:click=move |_| live.archive(id)>{tr("archive-it")}</button> })}
            {s.archived.then(|| view! { <span class="tag">{tr("archived")}</span> })}
        }
        .into_any();
    }
    let moderator = matches!(me_role, Role::Moderator | Role::Administrator);
    let closed = (s.status == TicketStatus::Closed)
        .then(|| view! { <span class="tag">{tr("status-closed")}</span> });
    let may_write = s.assignee.as_ref().is_none_or(|p| p.id == me_id);
    let current = s.department.id;
    let options: Vec<_> = targets
        .iter()
        .filter(|d| d.id != current)
        .cloned()
        .collect();
    let transfer =
        (may_write && !options.is_empty()).then(|| view! { <TransferControl live id options /> });
    let following = move || live.following.with(|f| f.contains(&id));
    let follow = view! {
        <button
            type="button"
            class="follow"
            aria-pressed=move || following().to_string()
            title=tr("follow-hint")
            on:click=move |_| live.follow(id, !following())
        >
            {move || t!(lang.get(), if following() { "following" } else { "follow" })}
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
                aria-label=tr("assign-to")
                on:change=move |ev| {
                    if let Ok(to) = event_target_value(&ev).parse::<i64>() {
                        live.assign(id, UserId(to));
                    }
                }
            >
                <option value="" selected>{tr("assign-to-choose")}</option>
                {colleagues
                    .into_iter()
                    .map(|p| {
                        let mine = p.id == me_id;
                        let name = move || {
                            if mine {
                                t!(lang.get(), "name-you", name = p.name.clone())
                            } else {
                                p.name.clone()
                            }
                        };
                        view! { <option value=p.id.0>{name}</option> }
                    })
                    .collect_view()}
            </select>
        }
    });
    let lock = match s.assignee {
        None => view! {
            <span class="tag">{tr("nobody-has-it")}</span>
            <button type="button" class="primary" on:click=move |_| live.take(id)>{tr("take")}</button>
        }
        .into_any(),
        Some(p) if p.id == me_id => view! {
            <span class="tag mine" data-testid="lock">{tr("taken-by-you")}</span>
            <button type="button" on:click=move |_| live.release(id)>{tr("release")}</button>
        }
        .into_any(),
        Some(p) => view! {
            <span class="tag locked" data-testid="lock">{move || t!(lang.get(), "taken-by", name = p.name.clone())}</span>
            {moderator.then(|| view! { <button type="button" on:click=move |_| live.release(id)>{tr("release")}</button> })}
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
            let department = s.department.name.clone();
            view! { <span class="tag waits">{move || t!(lang.get(), "active-at", department = department.clone())}</span> }
        });
    view! { {elsewhere} {closed} {lock} {follow} {assign} {transfer} }.into_any()
}

/// The member's rating of support's answer: asked once support has closed the ticket (and
/// kept while a mark is given); the chosen mark is pressed, and choosing another changes it.
pub(crate) fn rating_bar(live: Live, marks: Vec<crate::protocol::RatingMark>) -> impl IntoView {
    let answered = move || {
        live.open.with(|o| {
            o.as_ref().is_some_and(|o| {
                let closed = o
                    .summary
                    .as_ref()
                    .is_some_and(|s| s.status == TicketStatus::Closed);
                closed
                    || o.events
                        .iter()
                        .any(|e| matches!(e.kind, EventKind::Rated { .. }))
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
            <div class="rating" role="group" aria-label=tr("rate-answer")>
                <span class="muted small">{tr("rate-answer-lead")}</span>
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
    let (class, key) = match status {
        MemberStatus::UnderReview => ("tag review", "status-under-review"),
        MemberStatus::NewMessages => ("tag new", "status-new-messages"),
        MemberStatus::Viewed => ("tag viewed", "status-viewed"),
        MemberStatus::Closed => ("tag", "status-closed"),
    };
    view! { <span class=class data-testid="member-status">{tr(key)}</span> }
}

/// Transfer to another department: choosing one asks first ("Transfer #12 to Billing?");
/// until confirmed nothing moves, and cancelling shows no department as chosen again.
#[component]
fn TransferControl(
    live: Live,
    id: crate::protocol::TicketId,
    options: Vec<crate::protocol::Department>,
) -> impl IntoView {
    let lang = locale();
    let chosen = RwSignal::new(None::<crate::protocol::Department>);
    let select: NodeRef<html::Select> = NodeRef::new();
    let names = options.clone();
    let cancel = move || {
        chosen.set(None);
        if let Some(select) = select.get() {
            select.set_value("");
            let _ = select.focus();
        }
    };
    view! {
        <select
            class="transfer"
            aria-label=tr("transfer-to-department")
            node_ref=select
            on:change=move |ev| {
                let picked = event_target_value(&ev).parse::<i64>().ok();
                chosen.set(picked.and_then(|to| names.iter().find(|d| d.id.0 == to).cloned()));
            }
        >
            <option value="" selected=move || chosen.with(Option::is_none)>{tr("transfer-to")}</option>
            {options
                .into_iter()
                .map(|d| {
                    let did = d.id;
                    view! {
                        <option value=d.id.0 selected=move || chosen.with(|c| c.as_ref().map(|c| c.id) == Some(did))>
                            {d.name}
                        </option>
                    }
                })
                .collect_view()}
        </select>
        {move || {
            chosen
                .get()
                .map(|to| {
                    let question = t!(lang.get(), "transfer-confirm", id = id.0, department = to.name.clone());
                    view! {
                        <Confirm
                            question
                            act=t!(lang.get(), "transfer")
                            on_confirm=move || {
                                live.transfer(id, to.id);
                                chosen.set(None);
                            }
                            on_cancel=move || cancel()
                        />
                    }
                })
        }}
    }
}
