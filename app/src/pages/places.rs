//! Where a member's new ticket stands while it waits for its first answer: its place in
//! the department's line and about how long, live; with nobody online, the offer to be
//! answered by mail as well.

use crate::i18n::t;
use crate::{
    i18n::{Lang, locale, tr},
    live::Live,
    protocol::{AnswerBy, QueuePlace},
};
use leptos::prelude::*;

#[allow(unused_imports)]
use super::*;

/// The place and the estimate in words.
fn where_it_stands(lang: Lang, place: &QueuePlace) -> String {
    if place.place == 0 {
        return t!(lang, "waiting-taken");
    }
    let line = t!(lang, "waiting-place", place = place.place);
    match place.estimate_mins {
        Some(minutes) if minutes >= 90 => {
            let hours = (minutes + 30) / 60;
            format!("{line} {}", t!(lang, "waiting-hours", hours = hours))
        }
        Some(minutes) => format!("{line} {}", t!(lang, "waiting-minutes", minutes = minutes)),
        None => line,
    }
}

/// Shown under the open conversation while it waits for its first answer.
#[component]
pub(crate) fn WaitingLine(live: Live) -> impl IntoView {
    let lang = locale();
    let waiting = Memo::new(move |_| {
        let (id, answer_by) = live.open.with(|o| {
            o.as_ref()
                .and_then(|o| o.summary.as_ref().map(|s| (s.id, s.answer_by)))
        })?;
        let place = live
            .places
            .with(|p| p.iter().find(|p| p.ticket_id == id).cloned())?;
        Some((place, answer_by))
    });
    move || {
        waiting.get().map(|(place, answer_by)| {
            let ticket = place.ticket_id;
            let department = place.department_id;
            let offline = move || {
                live.support_online
                    .with(|o| o.as_ref().is_some_and(|o| !o.contains(&department)))
            };
            let by_mail = answer_by == Some(AnswerBy::Email);
            let place_text = place.clone();
            view! {
                <div class="waiting" role="status" aria-live="polite">
                    <p class="waiting-line">{move || where_it_stands(lang.get(), &place_text)}</p>
                    {by_mail
                        .then(|| view! { <p class="muted small">{tr("waiting-by-email")}</p> })}
                    <Show when=move || offline() && !by_mail>
                        <button
                            type="button"
                            class="ghost small"
                            on:click=move |_| live.set_answer_by(ticket, AnswerBy::Email)
                        >
                            {tr("waiting-answer-by-email")}
                        </button>
                    </Show>
                </div>
            }
        })
    }
}
