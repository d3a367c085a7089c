//! What a valid value is: message bodies, subjects, names, emails, passwords, file ids.

use app::protocol::limits;

use super::{Error, Reason, search::preview};

/// Whether `id` has the shape of a file id: 32 lower-case hex digits, 128 random bits (and so
/// it can name no other path in the file store).
pub fn is_file_id(id: &str) -> bool {
    id.len() == 32
        && id
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// The files a message carries: at most `MAX_ATTACHMENTS`, each a file id, each once.
pub fn attachment_ids(ids: &[String]) -> Result<Vec<String>, Error> {
    if ids.len() > limits::MAX_ATTACHMENTS {
        return Err(Error::Invalid {
            field: "attachments",
            reason: Reason::new("invalid-too-many-files").with("max", limits::MAX_ATTACHMENTS),
        });
    }
    let mut unique: Vec<String> = Vec::with_capacity(ids.len());
    for id in ids {
        if !is_file_id(id) {
            return Err(Error::Invalid {
                field: "attachments",
                reason: Reason::new("invalid-file-unknown"),
            });
        }
        if !unique.contains(id) {
            unique.push(id.clone());
        }
    }
    Ok(unique)
}

/// Checks and trims a message body.
pub fn message_body(raw: &str) -> Result<String, Error> {
    let body = raw.trim();
    if body.is_empty() {
        return Err(Error::Invalid {
            field: "body",
            reason: Reason::new("invalid-empty-message"),
        });
    }
    if body.chars().count() > limits::MAX_BODY_CHARS {
        return Err(Error::Invalid {
            field: "body",
            reason: Reason::new("invalid-message-too-long").with("max", limits::MAX_BODY_CHARS),
        });
    }
    Ok(body.to_owned())
}

/// Checks and trims a name or label an administrator gives (a department, an option…).
pub fn label(field: &'static str, raw: &str, max: usize) -> Result<String, Error> {
    let label = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if label.is_empty() {
        return Err(Error::Invalid {
            field,
            reason: Reason::new("invalid-empty"),
        });
    }
    if label.chars().count() > max {
        return Err(Error::Invalid {
            field,
            reason: Reason::new("invalid-too-long").with("max", max),
        });
    }
    Ok(label)
}

/// Checks and trims an email address: something@somewhere, no spaces.
pub fn email(raw: &str) -> Result<String, Error> {
    let email = raw.trim().to_lowercase();
    let valid = email.len() <= 254
        && !email.contains(char::is_whitespace)
        && email.split_once('@').is_some_and(|(user, host)| {
            !user.is_empty() && host.contains('.') && !host.ends_with('.')
        });
    if valid {
        Ok(email)
    } else {
        Err(Error::Invalid {
            field: "email",
            reason: Reason::new("invalid-email"),
        })
    }
}

/// Checks a new password: at least 8 characters, at most 200.
pub fn password(raw: &str) -> Result<&str, Error> {
    match raw.chars().count() {
        8..=200 => Ok(raw),
        _ => Err(Error::Invalid {
            field: "password",
            reason: Reason::new("invalid-password-length"),
        }),
    }
}

/// Checks and trims a subject; an empty one is made from the message's first line.
pub fn subject(raw: &str, body: &str) -> Result<String, Error> {
    let subject = raw.trim();
    if subject.chars().count() > limits::MAX_SUBJECT_CHARS {
        return Err(Error::Invalid {
            field: "subject",
            reason: Reason::new("invalid-subject-too-long").with("max", limits::MAX_SUBJECT_CHARS),
        });
    }
    if !subject.is_empty() {
        return Ok(subject.to_owned());
    }
    let first_line = body.lines().next().unwrap_or_default();
    Ok(preview(first_line, 60))
}

/// Checks and trims a subject that staff set: it cannot be empty.
pub fn staff_subject(raw: &str) -> Result<String, Error> {
    if raw.trim().is_empty() {
        return Err(Error::Invalid {
            field: "subject",
            reason: Reason::new("invalid-empty-subject"),
        });
    }
    subject(raw, "")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::search::preview;

    #[test]
    fn message_bodies_are_trimmed_and_bounded() {
        assert_eq!(message_body("  hi \n").unwrap(), "hi");
        assert!(message_body("   ").is_err());
        assert!(message_body(&"a".repeat(limits::MAX_BODY_CHARS + 1)).is_err());
        assert!(message_body(&"я".repeat(limits::MAX_BODY_CHARS)).is_ok());
    }

    #[test]
    fn an_empty_subject_comes_from_the_first_line() {
        assert_eq!(
            subject("", "Card blocked\nplease help").unwrap(),
            "Card blocked"
        );
        assert_eq!(subject(" Refund ", "x").unwrap(), "Refund");
        assert!(subject(&"s".repeat(201), "x").is_err());
        assert_eq!(preview("a  b\nc", 10), "a b c");
        assert_eq!(preview("abcdefghijkl", 5), "abcd…");
    }
}
