//! What a follower is told of an event, in one line: a message of the catalogues with its
//! arguments, so each reader's page words it in their language.

use app::{
    i18n::Lang,
    protocol::{EventKind, UserId},
};

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

/// What someone is told of an event: a mention (`mention`) of them in a message or note
/// says so; anything else as [`notification`] has it.
pub fn notification_for(kind: &EventKind, mention: bool) -> Option<Reason> {
    match kind {
        EventKind::Message { body, .. } | EventKind::Note { body, .. } if mention => {
            Some(Reason::new("notify-mention").with("text", preview(body, 104)))
        }
        _ => notification(kind),
    }
}

/// The same line in English, for the API's `text` and for logs.
pub fn notification_text(kind: &EventKind) -> Option<String> {
    notification(kind).map(|reason| reason.text(Lang::En))
}

/// The colleagues a message or note calls by name: `@` and a full name of `staff`, or `@`
/// and a first name nobody else of `staff` shares — letter case aside, each once, in the
/// order they are called. An address (`anna@example.com`) calls nobody.
pub fn mentioned(body: &str, staff: &[(UserId, String)]) -> Vec<UserId> {
    let body = body.to_lowercase();
    let names: Vec<(UserId, String)> = staff
        .iter()
        .map(|(id, name)| (*id, name.trim().to_lowercase()))
        .filter(|(_, name)| !name.is_empty())
        .collect();
    let ends_word = |rest: &str| !rest.chars().next().is_some_and(char::is_alphanumeric);
    let mut found = Vec::new();
    for (at, _) in body.match_indices('@') {
        let after_word = body[..at]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric);
        if after_word {
            continue;
        }
        let rest = &body[at + 1..];
        let full = names
            .iter()
            .filter(|(_, name)| rest.starts_with(name.as_str()) && ends_word(&rest[name.len()..]))
            .max_by_key(|(_, name)| name.len())
            .map(|(id, _)| *id);
        let first = || {
            let word: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '-')
                .collect();
            let mut same = names.iter().filter(|(_, name)| {
                !word.is_empty() && name.split_whitespace().next() == Some(word.as_str())
            });
            match (same.next(), same.next()) {
                (Some((id, _)), None) => Some(*id),
                _ => None,
            }
        };
        if let Some(id) = full.or_else(first)
            && !found.contains(&id)
        {
            found.push(id);
        }
    }
    found
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
    fn colleagues_are_mentioned_by_full_or_unshared_first_name() {
        let staff = vec![
            (UserId(1), "Olga Petrova".to_owned()),
            (UserId(2), "Ivan Sokolov".to_owned()),
            (UserId(3), "Ivan Petrov".to_owned()),
            (UserId(4), "Мария Гарсия".to_owned()),
        ];
        assert_eq!(mentioned("@olga please look", &staff), vec![UserId(1)]);
        assert_eq!(
            mentioned("Ask @Ivan Petrov, then @Olga Petrova.", &staff),
            vec![UserId(3), UserId(1)]
        );
        // Two Ivans: the first name alone calls neither.
        assert!(mentioned("@Ivan?", &staff).is_empty());
        assert_eq!(mentioned("@мария, глянь", &staff), vec![UserId(4)]);
        assert_eq!(
            mentioned("@Olga @olga @OLGA PETROVA", &staff),
            vec![UserId(1)]
        );
        assert!(mentioned("write to olga@example.com", &staff).is_empty());
        assert!(mentioned("@Olgastraße", &staff).is_empty());
        assert!(mentioned("no one @ all", &staff).is_empty());
    }

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
