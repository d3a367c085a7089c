//! Reading mail: raw MIME into what the desk needs of it, with a library made for it
//! (`mail-parser`: RFC 5322 and MIME, encoded words, and the single-byte charsets Russian
//! mail comes in — KOI8-R, windows-1251, ISO-8859-5), bounded in size and parts.

use base64::Engine;
use mail_parser::{HeaderValue, MessageParser, MimeHeaders};
use sha2::{Digest, Sha256};

use crate::domain::{hex, mail as rules};

pub mod compose;
pub mod imap;
pub mod show;
pub mod smtp;

/// Most MIME parts a mail may have; beyond, it is kept unread.
pub const MAX_PARTS: usize = 500;

/// What the desk takes from a mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inbound {
    /// Its Message-ID without angle brackets (one made from its bytes when it has none).
    pub message_id: String,
    /// The Message-IDs it answers, nearest first: `In-Reply-To`, then `References` from
    /// the end.
    pub answers: Vec<String>,
    /// Outlook's conversation (the first 22 bytes of `Thread-Index`), in hex.
    pub thread_root: Option<String>,
    /// The sender's address as written, and their name (or the address's local part).
    pub from_address: String,
    pub from_name: String,
    pub subject: String,
    /// The text: the plain part, or the HTML part turned to text; never markup.
    pub text: String,
    /// Sent by a program (RFC 3834 and the conventions around it).
    pub robot: bool,
    /// A delivery status report (RFC 3464) saying a mail could not be delivered.
    pub bounce: Option<Bounce>,
    /// The files it carries: attachments and inline pictures, at most [`MAX_FILES`].
    pub files: Vec<MailFile>,
}

/// Most files taken from one mail (the raw copy keeps the rest).
pub const MAX_FILES: usize = 50;

/// A file a mail carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailFile {
    /// Its name as the mail gives it (made up for a picture that has none).
    pub name: String,
    pub bytes: Vec<u8>,
}

/// The files of `message`: its attachments and inline parts that are not its text.
fn files(message: &mail_parser::Message<'_>) -> Vec<MailFile> {
    message
        .attachments()
        .filter(|part| !part.is_message())
        .take(MAX_FILES)
        .enumerate()
        .map(|(i, part)| {
            let subtype = part
                .content_type()
                .and_then(|ct| ct.subtype())
                .unwrap_or("bin")
                .to_ascii_lowercase();
            let name = part
                .attachment_name()
                .map(|n| n.trim().to_owned())
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| format!("attachment-{}.{subtype}", i + 1));
            MailFile {
                name: crate::domain::file_name(&name)
                    .unwrap_or_else(|| format!("attachment-{}.{subtype}", i + 1)),
                bytes: part.contents().to_vec(),
            }
        })
        .filter(|f| !f.bytes.is_empty())
        .collect()
}

/// What a bounce says: which of our mails failed, to whom, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bounce {
    /// The Message-ID of the mail that failed, from the headers the report returns.
    pub original: Option<String>,
    pub recipient: Option<String>,
    /// The status (`5.1.1`) and the remote server's words, when given.
    pub status: String,
    pub diagnostic: String,
}

/// The first `Name: value` line of `text` (folded lines joined), case-insensitively.
fn field(text: &str, name: &str) -> Option<String> {
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        if !key.trim().eq_ignore_ascii_case(name) || key.starts_with([' ', '\t']) {
            continue;
        }
        let mut value = value.trim().to_owned();
        while let Some(next) = lines.peek().filter(|l| l.starts_with([' ', '\t'])) {
            value.push(' ');
            value.push_str(next.trim());
            lines.next();
        }
        return Some(value);
    }
    None
}

/// The failure a delivery report (RFC 3464: a `message/delivery-status` part, in a
/// `multipart/report` or, as some servers send it, a `multipart/mixed`) tells of; `None` for
/// any other mail, or a report of success or delay.
fn bounce(message: &mail_parser::Message<'_>) -> Option<Bounce> {
    let mut found = Bounce {
        original: None,
        recipient: None,
        status: String::new(),
        diagnostic: String::new(),
    };
    let mut failed = false;
    for part in message.parts.iter().skip(1) {
        let kind = part
            .content_type()
            .map(|ct| {
                format!("{}/{}", ct.ctype(), ct.subtype().unwrap_or_default()).to_ascii_lowercase()
            })
            .unwrap_or_default();
        let text = String::from_utf8_lossy(part.contents());
        match kind.as_str() {
            "message/delivery-status" | "message/global-delivery-status" => {
                failed |= field(&text, "Action").is_some_and(|a| a.eq_ignore_ascii_case("failed"));
                found.recipient = field(&text, "Final-Recipient")
                    .or_else(|| field(&text, "Original-Recipient"))
                    .map(|r| r.rsplit(';').next().unwrap_or_default().trim().to_owned());
                found.status = field(&text, "Status").unwrap_or_default();
                found.diagnostic = field(&text, "Diagnostic-Code")
                    .map(|d| {
                        d.split_once(';')
                            .map_or(d.clone(), |(_, w)| w.trim().to_owned())
                    })
                    .unwrap_or_default();
            }
            "message/rfc822" | "text/rfc822-headers" | "message/global-headers" => {
                found.original = field(&text, "Message-ID")
                    .map(|id| {
                        id.trim_matches(|c: char| c == '<' || c == '>' || c.is_whitespace())
                            .to_owned()
                    })
                    .filter(|id| !id.is_empty());
            }
            _ => {}
        }
    }
    failed.then_some(found)
}

/// Why a mail could not be read (its raw bytes are kept all the same).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable(pub &'static str);

/// Ids as headers write them, without brackets, each once.
fn ids(value: &HeaderValue<'_>) -> Vec<String> {
    let raw: Vec<&str> = match value {
        HeaderValue::Text(t) => vec![t.as_ref()],
        HeaderValue::TextList(list) => list.iter().map(|t| t.as_ref()).collect(),
        _ => Vec::new(),
    };
    raw.into_iter()
        .flat_map(|t| t.split_whitespace())
        .map(|id| id.trim_matches(|c| c == '<' || c == '>').to_owned())
        .filter(|id| !id.is_empty())
        .collect()
}

/// Outlook's conversation root: the first 22 bytes of the base64 `Thread-Index`.
fn thread_root(raw: &str) -> Option<String> {
    let compact: String = raw.split_whitespace().collect();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(compact)
        .ok()?;
    (bytes.len() >= 22).then(|| hex(&bytes[..22]))
}

/// An id made from a mail's bytes, for a mail that has none (or cannot be read).
fn made_id(raw: &[u8], domain: &str) -> String {
    format!("{}@{domain}", hex(&Sha256::digest(raw)[..16]))
}

impl Inbound {
    /// What is kept of a mail that cannot be read: its id made from its bytes, and why as
    /// its text.
    pub fn unreadable(raw: &[u8], Unreadable(why): Unreadable) -> Self {
        Inbound {
            message_id: made_id(raw, "unreadable"),
            answers: Vec::new(),
            thread_root: None,
            from_address: String::new(),
            from_name: String::new(),
            subject: String::new(),
            text: why.to_owned(),
            robot: false,
            bounce: None,
            files: Vec::new(),
        }
    }
}

/// Reads `raw`.
pub fn read(raw: &[u8]) -> Result<Inbound, Unreadable> {
    let message = MessageParser::default()
        .parse(raw)
        .ok_or(Unreadable("not a mail"))?;
    if message.parts.len() > MAX_PARTS {
        return Err(Unreadable("too many parts"));
    }
    let from = message
        .from()
        .and_then(|a| a.first())
        .ok_or(Unreadable("no sender"))?;
    let from_address = from
        .address()
        .map(str::to_owned)
        .filter(|a| rules::address_key(a).is_some())
        .ok_or(Unreadable("no sender address"))?;
    let from_name = from
        .name()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map_or_else(
            || {
                from_address
                    .split('@')
                    .next()
                    .unwrap_or_default()
                    .to_owned()
            },
            str::to_owned,
        );
    let message_id = match message.message_id() {
        Some(id) if !id.trim().is_empty() => id.trim_matches(|c| c == '<' || c == '>').to_owned(),
        _ => made_id(raw, "made.switchboard"),
    };
    let mut answers = ids(message.in_reply_to());
    for id in ids(message.references()).into_iter().rev() {
        if !answers.contains(&id) {
            answers.push(id);
        }
    }
    let header_text = |name: &'static str| message.header_raw(name).map(str::trim);
    let return_path_empty = header_text("Return-Path").is_some_and(|v| v == "<>");
    let report = message.content_type().is_some_and(|ct| {
        ct.ctype().eq_ignore_ascii_case("multipart")
            && ct
                .subtype()
                .is_some_and(|s| s.eq_ignore_ascii_case("report"))
    });
    let robot = rules::sent_by_a_robot(&rules::RobotSigns {
        auto_submitted: header_text("Auto-Submitted"),
        precedence: header_text("Precedence"),
        x_autoreply: header_text("X-Autoreply").is_some(),
        x_autorespond: header_text("X-Autorespond").is_some(),
        return_path_empty,
        from: Some(&from_address),
        content_type_report: report,
    });
    let text = message
        .body_text(0)
        .map(|t| t.replace("\r\n", "\n"))
        .unwrap_or_default();
    Ok(Inbound {
        message_id,
        answers,
        thread_root: header_text("Thread-Index").and_then(thread_root),
        from_address,
        from_name,
        subject: message.subject().unwrap_or_default().trim().to_owned(),
        text,
        robot,
        bounce: bounce(&message),
        files: files(&message),
    })
}
