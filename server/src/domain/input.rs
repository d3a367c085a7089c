//! What a valid value is, parsed once at the edge of the rules: message bodies, subjects,
//! names and labels, emails, passwords, file ids. Each type holds only valid values (its
//! field is private; `parse` is the one way in) and says why it refused in a typed error.

use std::fmt;

use app::protocol::limits;

use super::{Error, Reason, search::preview};

/// Longest name of a person, in characters.
pub const MAX_NAME_CHARS: usize = 120;

/// Whether `c` changes the direction text around it is shown in without being seen itself:
/// bidi marks, embeddings, overrides and isolates (`invoice\u{202E}txt.exe` shows as
/// `invoiceexe.txt`).
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Whether `c` shows nothing at all: bidi controls, zero-width spaces and joiners, word
/// joiners, the byte-order mark, the soft hyphen, Hangul fillers.
pub fn is_invisible(c: char) -> bool {
    is_bidi_control(c)
        || matches!(
            c,
            '\u{00AD}'
                | '\u{034F}'
                | '\u{115F}'
                | '\u{1160}'
                | '\u{180E}'
                | '\u{200B}'..='\u{200D}'
                | '\u{2060}'..='\u{2064}'
                | '\u{3164}'
                | '\u{FEFF}'
                | '\u{FFA0}'
        )
}

/// Whether text shows nothing: only spaces and invisible characters.
pub fn shows_nothing(text: &str) -> bool {
    text.chars().all(|c| c.is_whitespace() || is_invisible(c))
}

/// Text of many lines as kept: line ends made `\n`, other control characters (NUL among
/// them) removed, tabs kept. The same on every database.
pub fn clean_lines(raw: &str) -> String {
    raw.replace("\r\n", "\n")
        .chars()
        .map(|c| if c == '\r' { '\n' } else { c })
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .collect()
}

/// Text of one line as kept: bidi controls removed, control characters (line ends and tabs
/// among them) and runs of spaces made one space.
fn clean_line(raw: &str) -> String {
    let spaced: String = raw
        .chars()
        .filter(|c| !is_bidi_control(*c))
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

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

/// A message's text: control characters but newlines and tabs removed, trimmed, not empty
/// and not only invisible characters (unless files alone are sent), at most `MAX_BODY_CHARS`
/// characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageBody(String);

impl MessageBody {
    pub fn parse(raw: &str) -> Result<Self, Error> {
        let cleaned = clean_lines(raw);
        let body = cleaned.trim();
        if shows_nothing(body) {
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

/// A ticket's subject: one line, without control or bidi characters, trimmed, at most
/// `MAX_SUBJECT_CHARS` characters, never empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject(String);

impl Subject {
    /// A member's subject; an empty one is made from the first line of her message.
    pub fn parse(raw: &str, body: &MessageBody) -> Result<Self, Error> {
        let cleaned = clean_line(raw);
        let subject = if shows_nothing(&cleaned) {
            ""
        } else {
            cleaned.trim()
        };
        if subject.chars().count() > limits::MAX_SUBJECT_CHARS {
            return Err(invalid(
                "subject",
                Reason::new("invalid-subject-too-long").with("max", limits::MAX_SUBJECT_CHARS),
            ));
        }
        if !subject.is_empty() {
            return Ok(Subject(subject.to_owned()));
        }
        let first_line = clean_line(body.as_str().lines().next().unwrap_or_default());
        Ok(Subject(preview(&first_line, 60)))
    }

    /// A subject staff set: it cannot be empty.
    pub fn parse_staff(raw: &str) -> Result<Self, Error> {
        if shows_nothing(&clean_line(raw)) {
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
        let label = clean_line(raw);
        if shows_nothing(&label) {
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
            && !email.contains(|c: char| c.is_whitespace() || c.is_control() || is_invisible(c))
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

/// A domain name to look up: letters, digits and hyphens in dot-separated labels of at most
/// 63, at most 253 in all, lower-cased, without the final dot; an address (`http://…/`) or
/// anything else is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainName(String);

impl DomainName {
    pub fn parse(raw: &str) -> Result<Self, Error> {
        let name = raw.trim().trim_end_matches('.').to_ascii_lowercase();
        let valid = !name.is_empty()
            && name.len() <= 253
            && name.split('.').all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            });
        if valid {
            Ok(DomainName(name))
        } else {
            Err(invalid("domain", Reason::new("invalid-domain")))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Passwords so common that guessing starts with them (lower-cased).
const COMMON_PASSWORDS: &[&str] = &[
    "password",
    "password1",
    "password123",
    "passw0rd",
    "12345678",
    "123456789",
    "1234567890",
    "87654321",
    "11111111",
    "00000000",
    "qwertyui",
    "qwerty123",
    "qwertyuiop",
    "1q2w3e4r",
    "1qaz2wsx",
    "zaq12wsx",
    "asdfghjk",
    "iloveyou",
    "sunshine",
    "princess",
    "football",
    "baseball",
    "welcome1",
    "letmein1",
    "abcd1234",
    "abc12345",
    "admin123",
    "administrator",
    "trustno1",
    "superman",
    "starwars",
    "whatever",
    "changeme",
    "pa$$word",
    "йцукенгш",
    "пароль123",
    "qwerty12",
    "q1w2e3r4",
    "aa123456",
    "123qweasd",
];

/// A file's name as kept: its last path segment, without control, bidi or invisible
/// characters, trimmed, at most `MAX_FILE_NAME_CHARS` characters; `None` when nothing is left.
pub fn file_name(raw: &str) -> Option<String> {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let clean: String = last
        .chars()
        .filter(|c| !c.is_control() && !is_invisible(*c))
        .collect();
    let clean = clean.trim();
    if clean.is_empty() || clean == "." || clean == ".." {
        return None;
    }
    Some(clean.chars().take(limits::MAX_FILE_NAME_CHARS).collect())
}

/// A new password: 8 to 200 characters, not one of the most common, not one character
/// repeated, not the account's own email. Never printed, not even by `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    /// A new password for the account `email`.
    pub fn parse_new(raw: &str, email: &str) -> Result<Self, Error> {
        if !(8..=200).contains(&raw.chars().count()) {
            return Err(invalid("password", Reason::new("invalid-password-length")));
        }
        let lower = raw.to_lowercase();
        let mut chars = lower.chars();
        let first = chars.next();
        let one_repeated = chars.all(|c| Some(c) == first);
        let sequence =
            "0123456789".contains(&lower) || "abcdefghijklmnopqrstuvwxyz".contains(&lower);
        if one_repeated || sequence || COMMON_PASSWORDS.contains(&lower.as_str()) {
            return Err(invalid("password", Reason::new("invalid-password-common")));
        }
        let email = email.trim().to_lowercase();
        let local = email.split('@').next().unwrap_or_default();
        if lower == email || (local.chars().count() >= 4 && lower.contains(local)) {
            return Err(invalid("password", Reason::new("invalid-password-email")));
        }
        Ok(Password(raw.to_owned()))
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
    fn control_and_invisible_characters_are_kept_out_the_same_way_everywhere() {
        assert_eq!(
            MessageBody::parse("a\u{0}b\r\nc\td\u{7}").unwrap().as_str(),
            "ab\nc\td"
        );
        for nothing in [
            "\u{200B}\u{200D}",
            " \u{202E}\u{2066} ",
            "\u{FEFF}\n\u{00AD}",
            "\u{0}",
        ] {
            assert!(
                MessageBody::parse(nothing).is_err(),
                "{nothing:?} shows nothing"
            );
        }
        assert_eq!(
            MessageBody::parse("👨\u{200D}👩\u{200D}👧")
                .unwrap()
                .as_str(),
            "👨\u{200D}👩\u{200D}👧",
            "joiners inside text stay"
        );
        let body = MessageBody::parse("x").unwrap();
        assert_eq!(
            Subject::parse("Refund\u{0}\nnow\u{202E}", &body)
                .unwrap()
                .as_str(),
            "Refund now"
        );
        assert!(Subject::parse_staff("\u{200B}").is_err());
        assert_eq!(
            Label::person_name("Anna\u{0}\u{202E} Petrova")
                .unwrap()
                .as_str(),
            "Anna Petrova"
        );
        assert!(Email::parse("anna\u{0}@x.example").is_err());
        assert_eq!(
            file_name("invoice\u{202E}txt.exe").as_deref(),
            Some("invoicetxt.exe"),
            "no name that reads backwards"
        );
        assert_eq!(
            file_name("C:\\Users\\anna\\Отчёт.pdf").as_deref(),
            Some("Отчёт.pdf")
        );
        assert_eq!(file_name("../../etc/passwd").as_deref(), Some("passwd"));
        assert_eq!(file_name("a\u{0}b\n.txt").as_deref(), Some("ab.txt"));
        assert!(file_name("  ").is_none() && file_name("dir/..").is_none());
        assert!(file_name("\u{200B}").is_none());
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
                Password::parse_new("short", "anna@x.example").map(drop),
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
            format!(
                "{:?}",
                Password::parse_new("secret-secret", "anna@x.example").unwrap()
            ),
            "Password(…)"
        );
        for (weak, key) in [
            ("Password123", "invalid-password-common"),
            ("aaaaaaaaaa", "invalid-password-common"),
            ("12345678", "invalid-password-common"),
            ("anna.petrova!", "invalid-password-email"),
            ("Anna.Petrova@X.example", "invalid-password-email"),
        ] {
            match Password::parse_new(weak, "anna.petrova@x.example") {
                Err(Error::Invalid { field, reason }) => {
                    assert_eq!((field, reason.key), ("password", key), "{weak}");
                }
                other => panic!("{weak}: {other:?}"),
            }
        }
        assert!(Password::parse_new("switchboard", "olga@desk.example").is_ok());
        let same = "a".repeat(32);
        assert_eq!(
            attachment_ids(&[same.clone(), same]).unwrap().len(),
            1,
            "each file once"
        );
    }
}
