//! What a follower is told of an event, in one line.

use app::protocol::EventKind;

use super::search::preview;

/// What a follower is told about an event, in one line; `None` for events that notify
/// nobody (the ticket's opening, locks taken, edits, reads).
pub fn notification_text(kind: &EventKind) -> Option<String> {
    const CHARS: usize = 120;
    Some(match kind {
        EventKind::Message { body, .. } => preview(&format!("New message: {body}"), CHARS),
        EventKind::Note { body, .. } => preview(&format!("Hidden note: {body}"), CHARS),
        EventKind::Closed => "Closed".into(),
        EventKind::Reopened => "Reopened".into(),
        EventKind::Archived => "Archived by the member".into(),
        EventKind::Transferred { to, .. } => format!("Transferred to {}", to.name),
        EventKind::Assigned { to, .. } => format!("Assigned to {}", to.name),
        EventKind::Released { .. } => "Released".into(),
        EventKind::Rated { mark } => format!("Rated: {}", mark.label),
        EventKind::SplitOff { ticket, .. } => format!("Split: continued in #{ticket}"),
        EventKind::ParametersChanged { changes } => preview(
            &format!(
                "Parameters: {}",
                changes
                    .iter()
                    .map(|c| format!("{} → {}", c.field, c.to.as_deref().unwrap_or("none")))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            CHARS,
        ),
        EventKind::Created { .. }
        | EventKind::Taken
        | EventKind::Edited { .. }
        | EventKind::SplitFrom { .. } => return None,
    })
}
