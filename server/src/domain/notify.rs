//! What a follower is told of an event, in one line: a message of the catalogues with its
//! arguments, so each reader's page words it in their language.

use app::{i18n::Lang, protocol::EventKind};

use super::{Reason, search::preview};

/// What a follower is told about an event; `None` for events that notify nobody (the
/// ticket's opening, locks taken, edits, reads).
pub fn notification(kind: &EventKind) -> Option<Reason> {
    // A line of at most 120 characters in English: the words before the text take 12 or 13.
    Some(match kind {
        EventKind::Message { body, .. } => {
            Reason::new("notify-message").with("text", preview(body, 107))
        }
        EventKind::Note { body, .. } => Reason::new("notify-note").with("text", preview(body, 107)),
        EventKind::Closed => Reason::new("notify-closed"),
        EventKind::Reopened => Reason::new("notify-reopened"),
        EventKind::Archived => Reason::new("notify-archived"),
        EventKind::Transferred { to, .. } => {
            Reason::new("notify-transferred").with("department", &to.name)
        }
        EventKind::Assigned { to, .. } => Reason::new("notify-assigned").with("name", &to.name),
        EventKind::Released { .. } => Reason::new("notify-released"),
        EventKind::Lapsed { minutes } => Reason::new("notify-lapsed").with("minutes", minutes),
        EventKind::Undelivered { to, .. } => Reason::new("notify-undelivered").with("to", to),
        EventKind::Rated { mark } => Reason::new("notify-rated").with("mark", &mark.label),
        EventKind::SplitOff { ticket, .. } => Reason::new("notify-split").with("ticket", ticket),
        EventKind::ParametersChanged { changes } => {
            let changes = changes
                .iter()
                .map(|c| format!("{} → {}", c.field, c.to.as_deref().unwrap_or("—")))
                .collect::<Vec<_>>()
                .join(", ");
            Reason::new("notify-parameters").with("changes", preview(&changes, 108))
        }
        EventKind::CallEnded { reason, .. } => {
            Reason::new("notify-call-ended").with("reason", preview(reason, 100))
        }
        EventKind::Created { .. }
        | EventKind::Call { .. }
        | EventKind::AccountChanged { .. }
        | EventKind::CalledBack { .. }
        | EventKind::Taken
        | EventKind::Edited { .. }
        | EventKind::SplitFrom { .. } => return None,
    })
}

/// The same line in English, for the API's `text` and for logs.
pub fn notification_text(kind: &EventKind) -> Option<String> {
    notification(kind).map(|reason| reason.text(Lang::En))
}

impl From<Reason> for app::protocol::Said {
    fn from(reason: Reason) -> Self {
        app::protocol::Said {
            key: reason.key.to_owned(),
            args: reason
                .args
                .into_iter()
                .map(|(name, value)| (name.to_owned(), value))
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_notification_reads_in_each_language_and_stays_one_line() {
        let message = EventKind::Message {
            body: format!("Where are my points?\n{}", "x".repeat(300)),
            client_msg_id: None,
            attachments: Vec::new(),
            mail: None,
        };
        let said = notification(&message).expect("a message notifies");
        let english = said.text(Lang::En);
        assert!(
            english.starts_with("New message: Where are my points? xxx"),
            "{english}"
        );
        assert_eq!(english.chars().count(), 120, "{english}");
        assert!(
            said.text(Lang::Ru)
                .starts_with("Новое сообщение: Where are my points?")
        );
        let wire: app::protocol::Said = said.into();
        assert_eq!(
            wire.text(Lang::En),
            english,
            "pages word it as the server does"
        );
        assert_eq!(
            notification(&EventKind::Taken),
            None,
            "taking notifies nobody"
        );
    }
}
