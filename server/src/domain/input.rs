//! What a valid value is, parsed once at the edge of the rules: message bodies, subjects,
//! names and labels, emails, passwords, file ids. Each type holds only valid values (its
//! field is private; `parse` is the one way in) and says why it refused in a typed error.

use std::fmt;

use app::protocol::limits;

use super::{Error, Reason, search::preview};

/// Longest name of a person, in characters.
pub const MAX_NAME_CHARS: usize = 120;

fn invalid(field: &'static str, reason: Reason) -> Error {
    Error::Invalid { field, reason }
}

/// Whether `id` has the shape of a file id: 32 lower-case hex digits, 128 random bits (and so
/// it can name no other path in the file store).
pub fn is_file_id(id: &str) -> bool {
    id.len() == 32
        && id
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// A file's id, as the file store names it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FileId(String);

impl FileId {
    /// A file id, or `invalid` on `attachments` (a made-up one is told no more than an
    /// unknown one).
    pub fn parse(raw: &str) -> Result<Self, Error> {
        if is_file_id(raw) {
            Ok(FileId(raw.to_owned()))
        } else {
            Err(invalid("attachments", Reason::new("invalid-file-unknown")))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The files a message carries: at most `MAX_ATTACHMENTS`, each a file id, each once.
pub fn attachment_ids(ids: &[String]) -> Result<Vec<FileId>, Error> {
    if ids.len() > limits::MAX_ATTACHMENTS {
        return Err(invalid(
            "attachments",
            Reason::new("invalid-too-many-files").with("max", limits::MAX_ATTACHMENTS),
        ));
    }
    let mut unique: Vec<FileId> = Vec::with_capacity(ids.len());
    for id in ids {
        let id = FileId::parse(id)?;
        if !unique.contains(&id) {
            unique.push(id);
        }
    }
    Ok(unique)
}

/// A message's text: trimmed, not empty (unless files alone are sent), at most
/// `MAX_BODY_CHARS` characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageBody(String);

impl MessageBody {
    pub fn parse(raw: &str) -> Result<Self, Error> {
        let body = raw.trim();
        if body.is_empty() {
            return Err(invalid("body", Reason::new("invalid-empty-message")));
        }
        if body.chars().count() > limits::MAX_BODY_CHARS {
            return Err(invalid(
                "body",
                Reason::new("invalid-message-too-long").with("max", limits::MAX_BODY_CHARS),
            ));
        }
        Ok(MessageBody(body.to_owned()))
    }

    /// The text of a message that carries files only.
    pub fn none() -> Self {
        MessageBody(String::new())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

/// A ticket's subject: trimmed, at most `MAX_SUBJECT_CHARS` characters, never empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject(String);

impl Subject {
    /// A member's subject; an empty one is made from the first line of her message.
    pub fn parse(raw: &str, body: &MessageBody) -> Result<Self, Error> {
        let subject = raw.trim();
        if subject.chars().count() > limits::MAX_SUBJECT_CHARS {
            return Err(invalid(
                "subject",
                Reason::new("invalid-subject-too-long").with("max", limits::MAX_SUBJECT_CHARS),
            ));
        }
        if !subject.is_empty() {
            return Ok(Subject(subject.to_owned()));
        }
        let first_line = body.as_str().lines().next().unwrap_or_default();
        Ok(Subject(preview(first_line, 60)))
    }

    /// A subject staff set: it cannot be empty.
    pub fn parse_staff(raw: &str) -> Result<Self, Error> {
        if raw.trim().is_empty() {
            return Err(invalid("subject", Reason::new("invalid-empty-subject")));
        }
        Self::parse(raw, &MessageBody::none())
    }

    /// A subject the desk makes itself (a split ticket's), cut to fit.
    pub fn made(text: &str) -> Self {
        Subject(preview(text, limits::MAX_SUBJECT_CHARS))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

/// A name or label an administrator gives (a department, an option, a person…): spaces
/// folded, not empty, at most the field's length.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label(String);

impl Label {
    pub fn parse(field: &'static str, raw: &str, max: usize) -> Result<Self, Error> {
        let label = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        if label.is_empty() {
            return Err(invalid(field, Reason::new("invalid-empty")));
        }
        if label.chars().count() > max {
            return Err(invalid(
                field,
                Reason::new("invalid-too-long").with("max", max),
            ));
        }
        Ok(Label(label))
    }

    /// A person's name, as people see it beside what they wrote.
    pub fn person_name(raw: &str) -> Result<Self, Error> {
        Self::parse("name", raw, MAX_NAME_CHARS)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

/// An email address, trimmed and lower-cased: something@somewhere, no spaces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, Error> {
        let email = raw.trim().to_lowercase();
        let valid = email.len() <= 254
            && !email.contains(char::is_whitespace)
            && email.split_once('@').is_some_and(|(user, host)| {
                !user.is_empty() && host.contains('.') && !host.ends_with('.')
            });
        if valid {
            Ok(Email(email))
        } else {
            Err(invalid("email", Reason::new("invalid-email")))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A new password: 8 to 200 characters. Never printed, not even by `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    pub fn parse(raw: &str) -> Result<Self, Error> {
        match raw.chars().count() {
            8..=200 => Ok(Password(raw.to_owned())),
            _ => Err(invalid("password", Reason::new("invalid-password-length"))),
        }
    }

    /// The password itself, for hashing.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(…)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::search::preview;

    #[test]
    fn message_bodies_are_trimmed_and_bounded() {
        assert_eq!(MessageBody::parse("  hi \n").unwrap().as_str(), "hi");
        assert!(MessageBody::parse("   ").is_err());
        assert!(MessageBody::parse(&"a".repeat(limits::MAX_BODY_CHARS + 1)).is_err());
        assert!(MessageBody::parse(&"я".repeat(limits::MAX_BODY_CHARS)).is_ok());
    }

    #[test]
    fn an_empty_subject_comes_from_the_first_line() {
        let body = MessageBody::parse("Card blocked\nplease help").unwrap();
        assert_eq!(Subject::parse("", &body).unwrap().as_str(), "Card blocked");
        assert_eq!(
            Subject::parse(" Refund ", &body).unwrap().as_str(),
            "Refund"
        );
        assert!(Subject::parse(&"s".repeat(201), &body).is_err());
        assert!(Subject::parse_staff("  ").is_err());
        assert_eq!(preview("a  b\nc", 10), "a b c");
        assert_eq!(preview("abcdefghijkl", 5), "abcd…");
    }

    #[test]
    fn values_are_refused_with_the_field_and_the_reason() {
        let cases: [(&str, Result<(), Error>, &str, &str); 6] = [
            (
                "an email without a host",
                Email::parse("anna@").map(drop),
                "email",
                "invalid-email",
            ),
            (
                "a short password",
                Password::parse("short").map(drop),
                "password",
                "invalid-password-length",
            ),
            (
                "an empty name",
                Label::person_name("   ").map(drop),
                "name",
                "invalid-empty",
            ),
            (
                "a made-up file id",
                FileId::parse("../etc/passwd").map(drop),
                "attachments",
                "invalid-file-unknown",
            ),
            (
                "eleven files",
                attachment_ids(&vec!["0".repeat(32); 11]).map(drop),
                "attachments",
                "invalid-too-many-files",
            ),
            (
                "a label too long",
                Label::parse("label", &"x".repeat(81), 80).map(drop),
                "label",
                "invalid-too-long",
            ),
        ];
        for (description, result, field, key) in cases {
            match result {
                Err(Error::Invalid { field: f, reason }) => {
                    assert_eq!((f, reason.key), (field, key), "{description}");
                }
                other => panic!("{description}: {other:?}"),
            }
        }
        assert_eq!(
            Email::parse(" Anna@Example.COM ").unwrap().as_str(),
            "anna@example.com"
        );
        assert_eq!(
            format!("{:?}", Password::parse("secret-secret").unwrap()),
            "Password(…)"
        );
        let same = "a".repeat(32);
        assert_eq!(
            attachment_ids(&[same.clone(), same]).unwrap().len(),
            1,
            "each file once"
        );
    }
}
