//! Telling people what needs them when they are looking elsewhere: the count in the tab's
//! title and icon, a short sound, a desktop notification — each as they chose, never for
//! their own acts, a burst of news told once.

use leptos::prelude::*;

use super::Live;
use crate::protocol::{TicketId, TicketSummary};

/// How long news gathers before it is told, in one go (ms).
#[cfg(feature = "hydrate")]
const BURST_MS: u64 = 1_500;

/// Something that needs the person: a line for a notification, and where it leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alert {
    pub title: String,
    pub ticket: TicketId,
}

impl Live {
    /// What the tab shows as waiting: staff's unread notifications, a member's unread
    /// answers.
    pub fn unread_count(self) -> i64 {
        if self.staff {
            self.unread.get()
        } else {
            self.tickets
                .with(|list| list.iter().map(|t| t.unread).sum())
        }
    }

    /// A ticket came in that this board did not hold: a new one in the person's queues is
    /// news (an old one moving in by a filter change or a transfer is not).
    pub(super) fn on_new_ticket(self, ticket: &TicketSummary) {
        if !self.staff || ticket.status != crate::protocol::TicketStatus::Open {
            return;
        }
        if super::now() - ticket.created_at > 60_000 || ticket.assignee.is_some() {
            return;
        }
        let lang = self.lang.get_untracked();
        let title = crate::i18n::t!(lang, "alert-new-ticket", subject = ticket.subject.clone());
        self.alert(Alert {
            title,
            ticket: ticket.id,
        });
    }

    /// Gathers `alert` into the burst being told.
    pub(super) fn alert(self, alert: Alert) {
        let workspace = untrack(|| self.workspace());
        if !(workspace.sound || workspace.desktop) {
            return;
        }
        let first = self.alerts.with_value(|list| list.is_empty());
        self.alerts.update_value(|list| list.push(alert));
        if first {
            #[cfg(feature = "hydrate")]
            set_timeout(
                move || self.tell_alerts(),
                std::time::Duration::from_millis(BURST_MS),
            );
        }
    }

    /// Tells the gathered burst: one sound, one notification.
    #[cfg(feature = "hydrate")]
    fn tell_alerts(self) {
        let burst = self.alerts.with_value(|list| list.clone());
        self.alerts.update_value(Vec::clear);
        let Some(last) = burst.last().cloned() else {
            return;
        };
        let workspace = untrack(|| self.workspace());
        let looking = web_sys::window()
            .and_then(|w| w.document())
            .is_some_and(|d| d.has_focus().unwrap_or(false) && !d.hidden());
        if workspace.sound {
            chime();
        }
        if workspace.desktop && !looking {
            let lang = self.lang.get_untracked();
            let (title, body) = if burst.len() == 1 {
                (last.title, String::new())
            } else {
                (
                    crate::i18n::t!(lang, "alert-burst", count = burst.len()),
                    burst
                        .iter()
                        .map(|a| a.title.as_str())
                        .collect::<Vec<_>>()
                        .join("\n"),
                )
            };
            notify(&title, &body, last.ticket);
        }
    }
}

/// Whether the browser lets the desk show desktop notifications: `Some(true)` granted,
/// `Some(false)` refused, `None` not asked yet (or not available).
pub fn desktop_permission() -> Option<bool> {
    #[cfg(feature = "hydrate")]
    {
        use web_sys::NotificationPermission as P;
        match web_sys::Notification::permission() {
            P::Granted => Some(true),
            P::Denied => Some(false),
            _ => None,
        }
    }
    #[cfg(not(feature = "hydrate"))]
    None
}

/// Asks the browser for desktop notifications (only ever on the person's click); `done`
/// hears whether they were granted.
pub fn ask_desktop_permission(done: impl Fn(bool) + 'static) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::closure::Closure;
        let Ok(promise) = web_sys::Notification::request_permission() else {
            done(false);
            return;
        };
        let answer = Closure::once(move |value: wasm_bindgen::JsValue| {
            done(value.as_string().as_deref() == Some("granted"));
        });
        let _ = promise.then(&answer);
        answer.forget();
    }
    #[cfg(not(feature = "hydrate"))]
    done(false);
}

/// A desktop notification that opens the ticket when clicked.
#[cfg(feature = "hydrate")]
fn notify(title: &str, body: &str, ticket: TicketId) {
    use wasm_bindgen::{JsCast, closure::Closure};
    let options = web_sys::NotificationOptions::new();
    options.set_body(body);
    options.set_tag("switchboard");
    options.set_icon("/favicon.svg");
    let Ok(notification) = web_sys::Notification::new_with_options(title, &options) else {
        return;
    };
    let open = Closure::<dyn Fn()>::new(move || {
        if let Some(window) = web_sys::window() {
            let _ = window.focus();
            let _ = window.location().set_href(&format!("/board?t={ticket}"));
        }
    });
    notification.set_onclick(Some(open.as_ref().unchecked_ref()));
    open.forget();
}

/// A short, soft two-note chime.
#[cfg(feature = "hydrate")]
fn chime() {
    let Ok(context) = web_sys::AudioContext::new() else {
        return;
    };
    let start = context.current_time();
    for (i, frequency) in [880.0_f32, 1_318.5].into_iter().enumerate() {
        let (Ok(tone), Ok(gain)) = (context.create_oscillator(), context.create_gain()) else {
            return;
        };
        let at = start + i as f64 * 0.12;
        tone.frequency().set_value(frequency);
        gain.gain().set_value(0.0);
        let _ = gain.gain().linear_ramp_to_value_at_time(0.08, at + 0.01);
        let _ = gain.gain().linear_ramp_to_value_at_time(0.0, at + 0.25);
        let _ = tone.connect_with_audio_node(&gain);
        let _ = gain.connect_with_audio_node(&context.destination());
        let _ = tone.start_with_when(at);
        let _ = tone.stop_with_when(at + 0.3);
    }
}
