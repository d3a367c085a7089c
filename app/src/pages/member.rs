//! The member beside the ticket (staff only): how to reach them, since when they are a
//! member, what staff note about them, their services and their other tickets.

use leptos::prelude::*;

use crate::i18n::{locale, t, tr};
use crate::live::Live;
use crate::protocol::{BoardState, MemberProfile, TicketFilter, TicketStatus, UserId};

use super::{ago, date, full};

/// The button in the ticket's head that opens or closes the panel.
#[component]
pub(crate) fn MemberPaneToggle(live: Live) -> impl IntoView {
    let open = move || live.member_pane_open();
    view! {
        <button
            type="button"
            class="pane-toggle"
            aria-expanded=move || if open() { "true" } else { "false" }
            aria-controls="member-pane"
            on:click=move |_| live.set_member_pane(!live.member_pane_open())
        >
            {tr("about-member")}
        </button>
    }
}

/// The panel: read when it opens and whenever the open ticket's member changes.
#[component]
pub(crate) fn MemberPane(live: Live) -> impl IntoView {
    let member = Memo::new(move |_| {
        live.open.with(|o| {
            o.as_ref()
                .and_then(|o| o.summary.as_ref())
                .map(|s| s.member.id)
        })
    });
    let open = Memo::new(move |_| live.member_pane_open());
    Effect::new(move |_| {
        if let (Some(id), true) = (member.get(), open.get())
            && live
                .profile
                .with_untracked(|p| p.member != Some(id) || p.profile.is_none())
        {
            live.read_profile(id);
        }
    });
    // What the panel is drawn from: saving and typing redraw nothing (a redraw would put the
    // stored comment back into the box being typed in).
    let shown = Memo::new(move |_| live.profile.with(|p| (p.profile.clone(), p.error.clone())));
    let lang = locale();
    let close = move |_| live.set_member_pane(false);
    view! {
        <Show when=move || open.get() && member.get().is_some()>
            <aside id="member-pane" class="member-pane" aria-labelledby="member-pane-title">
                <div class="pane-title">
                    <h2 id="member-pane-title">{tr("about-member")}</h2>
                    <button type="button" class="link" aria-label=tr("close-member-pane") on:click=close>
                        "×"
                    </button>
                </div>
                {move || {
                    match shown.get() {
                        (Some(profile), error) if Some(profile.id) == member.get() => {
                            view! { <Profile live profile error /> }.into_any()
                        }
                        (_, Some(error)) => view! { <p class="alert" role="alert">{error}</p> }.into_any(),
                        _ => view! { <p class="muted">{t!(lang.get(), "loading")}</p> }.into_any(),
                    }
                }}
                <super::Diagnostics live />
            </aside>
        </Show>
    }
}

#[component]
fn Profile(live: Live, profile: MemberProfile, error: Option<String>) -> impl IntoView {
    let lang = locale();
    let comment = RwSignal::new(profile.comment.clone());
    let saving = move || live.profile.with(|p| p.saving.is_some());
    let saved = move || live.profile.with(|p| p.saved);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        live.save_member_comment(comment.get_untracked());
    };
    let member_id: UserId = profile.id;
    let name = profile.name.clone();
    let registered = profile.registered_at;
    let phones = (!profile.phones.is_empty()).then(|| profile.phones.join(", "));
    let services = profile.services.clone();
    let tickets = profile.tickets.clone();
    let open_ticket = live.open.with_untracked(|o| o.as_ref().map(|o| o.id));
    let figures = profile.figures.clone();
    let ratings = (!figures.ratings.is_empty()).then(|| {
        figures
            .ratings
            .iter()
            .map(|r| format!("{}: {}", r.label.clone().unwrap_or_default(), r.count))
            .collect::<Vec<_>>()
            .join(" · ")
    });
    let (counted, open) = (figures.tickets, figures.open);
    view! {
        <p class="member-name">{profile.name.clone()}</p>
        <dl class="account-details">
            <dt>{tr("email")}</dt>
            <dd><a href=format!("mailto:{}", profile.email)>{profile.email.clone()}</a></dd>
            {phones.map(|p| view! { <dt>{tr("member-phones")}</dt><dd>{p}</dd> })}
            <dt>{tr("member-since")}</dt>
            <dd><time title=move || full(registered, lang.get())>{move || date(registered, lang.get())}</time></dd>
            <dt>{tr("member-ticket-count")}</dt>
            <dd data-testid="member-ticket-count">
                {move || t!(lang.get(), "member-tickets-open", count = counted, open = open)}
            </dd>
            {ratings.map(|r| view! { <dt>{tr("member-ratings")}</dt><dd>{r}</dd> })}
            {figures.cards.map(|n| view! { <dt>{tr("member-cards")}</dt><dd>{n}</dd> })}
            {figures.purchases.map(|n| view! { <dt>{tr("member-purchases")}</dt><dd>{n}</dd> })}
        </dl>
        <form class="member-comment" on:submit=save>
            <label for="member-comment">{tr("internal-comment")}</label>
            <textarea
                id="member-comment"
                rows="3"
                maxlength=crate::protocol::MAX_COMMENT_CHARS
                prop:value=move || comment.get()
                on:input=move |ev| {
                    comment.set(event_target_value(&ev));
                    live.profile.update(|p| p.saved = false);
                }
            ></textarea>
            <div class="row-actions">
                <button type="submit" disabled=saving>{tr("save-comment")}</button>
                <span class="muted small" role="status">
                    {move || saved().then(|| t!(lang.get(), "saved"))}
                </span>
            </div>
            {error.map(|e| view! { <p class="alert" role="alert">{e}</p> })}
        </form>
        {(!services.is_empty())
            .then(|| {
                view! {
                    <h3 class="section">{tr("member-services")}</h3>
                    <ul class="plain">
                        {services.into_iter().map(|s| view! { <li>{s.describe()}</li> }).collect_view()}
                    </ul>
                }
            })}
        <h3 class="section">{tr("member-tickets")}</h3>
        <ul class="plain member-tickets">
            {tickets
                .into_iter()
                .map(|t| {
                    let here = Some(t.id) == open_ticket;
                    let state = tr(if t.status == TicketStatus::Open { "hit-open" } else { "hit-closed" });
                    let at = t.created_at;
                    view! {
                        <li>
                            <a href=format!("/board?t={}", t.id) aria-current=here.then_some("page")>
                                {format!("#{} {}", t.id, t.subject)}
                            </a>
                            <span class="muted small">" · " {state} " · " {move || ago(at, lang.get())}</span>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
        <MemberTicketsButton live member=member_id name />
    }
}

/// "By client": the board shows every ticket of one member, in one click.
#[component]
pub(crate) fn MemberTicketsButton(live: Live, member: UserId, name: String) -> impl IntoView {
    let lang = locale();
    view! {
        <button
            type="button"
            class="link"
            on:click=move |_| {
                live.set_filter(TicketFilter {
                    state: BoardState::All,
                    member: Some(member),
                    ..TicketFilter::default()
                })
            }
        >
            {move || t!(lang.get(), "all-tickets-of", name = name.clone())}
        </button>
    }
}
