//! Writing mail: a reply as MIME (RFC 5322, 2045–2047, 2231) — UTF-8 headers as encoded
//! words, the text as plain and HTML alternatives, files as attachments, the thread's ids.

use base64::Engine;
use sha2::{Digest, Sha256};

use crate::domain::hex;

/// Longest line of base64 in a body.
const LINE: usize = 76;
/// Most bytes of UTF-8 one encoded word carries (so it stays within 75 characters).
const WORD_BYTES: usize = 45;

/// A file sent with a mail.
#[derive(Debug, Clone)]
pub struct Attachment {
    pub name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// A mail to write.
#[derive(Debug, Clone)]
pub struct Outgoing<'a> {
    pub from_name: &'a str,
    pub from_address: &'a str,
    pub to_name: &'a str,
    pub to_address: &'a str,
    pub subject: &'a str,
    /// Without angle brackets, as every id here.
    pub message_id: &'a str,
    pub in_reply_to: Option<&'a str>,
    /// Oldest first.
    pub references: &'a [String],
    /// Milliseconds since the epoch.
    pub date_ms: i64,
    pub text: &'a str,
    pub html: &'a str,
    /// Sent by the desk by itself (RFC 3834 `Auto-Submitted: auto-generated`), not a reply
    /// a person wrote.
    pub automatic: bool,
    pub attachments: &'a [Attachment],
}

/// The mail's bytes, lines ending in CRLF.
pub fn compose(mail: &Outgoing<'_>) -> Vec<u8> {
    let boundary = |what: &str| {
        let digest = Sha256::digest(format!("{what}{}", mail.message_id).as_bytes());
        format!("=_sb_{what}_{}", hex(&digest[..12]))
    };
    let mut out = String::new();
    let mut header = |name: &str, value: &str| {
        out.push_str(name);
        out.push_str(": ");
        out.push_str(value);
        out.push_str("\r\n");
    };
    header("Date", &rfc5322_date(mail.date_ms));
    header("From", &mailbox(mail.from_name, mail.from_address));
    header("To", &mailbox(mail.to_name, mail.to_address));
    header("Subject", &unstructured(mail.subject));
    header("Message-ID", &format!("<{}>", mail.message_id));
    if let Some(parent) = mail.in_reply_to {
        header("In-Reply-To", &format!("<{parent}>"));
    }
    if !mail.references.is_empty() {
        let refs: Vec<String> = mail.references.iter().map(|r| format!("<{r}>")).collect();
        header("References", &refs.join("\r\n "));
    }
    header("MIME-Version", "1.0");
    if mail.automatic {
        header("Auto-Submitted", "auto-generated");
        header("X-Auto-Response-Suppress", "All");
    }
    let alternative = boundary("alt");
    let body = {
        let mut alt = String::new();
        alt.push_str(&format!(
            "Content-Type: multipart/alternative; boundary=\"{alternative}\"\r\n\r\n"
        ));
        for (subtype, content) in [("plain", mail.text), ("html", mail.html)] {
            alt.push_str(&format!("--{alternative}\r\n"));
            alt.push_str(&format!(
                "Content-Type: text/{subtype}; charset=utf-8\r\n\
                 Content-Transfer-Encoding: base64\r\n\r\n"
            ));
            alt.push_str(&base64_lines(content.as_bytes()));
        }
        alt.push_str(&format!("--{alternative}--\r\n"));
        alt
    };
    if mail.attachments.is_empty() {
        out.push_str(&body);
    } else {
        let mixed = boundary("mix");
        out.push_str(&format!(
            "Content-Type: multipart/mixed; boundary=\"{mixed}\"\r\n\r\n"
        ));
        out.push_str(&format!("--{mixed}\r\n{body}"));
        for file in mail.attachments {
            out.push_str(&format!("--{mixed}\r\n"));
            out.push_str(&format!(
                "Content-Type: {}\r\nContent-Transfer-Encoding: base64\r\n\
                 Content-Disposition: attachment; {}\r\n\r\n",
                media_type(&file.content_type),
                file_name(&file.name)
            ));
            out.push_str(&base64_lines(&file.bytes));
        }
        out.push_str(&format!("--{mixed}--\r\n"));
    }
    out.into_bytes()
}

/// A date as mail writes it, in UTC: `Mon, 30 Nov 2026 16:10:00 +0000`.
fn rfc5322_date(ms: i64) -> String {
    let at = time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000))
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    let day = &at.weekday().to_string()[..3];
    let month = &at.month().to_string()[..3];
    format!(
        "{day}, {:02} {month} {} {:02}:{:02}:{:02} +0000",
        at.day(),
        at.year(),
        at.hour(),
        at.minute(),
        at.second()
    )
}

/// `Name <address>`, the name quoted or encoded as it needs; the address alone without one.
fn mailbox(name: &str, address: &str) -> String {
    let name = clean(name);
    if name.is_empty() {
        return format!("<{address}>");
    }
    let phrase = if name.is_ascii() {
        format!("\"{}\"", name.replace('\\', "\\\\").replace('"', "\\\""))
    } else {
        encoded_words(&name)
    };
    format!("{phrase} <{address}>")
}

/// A free-text header's value: as it is in ASCII, else as encoded words.
fn unstructured(value: &str) -> String {
    let value = clean(value);
    if value.is_ascii() && value.len() <= 900 {
        value
    } else {
        encoded_words(&value)
    }
}

/// Control characters and line breaks never reach a header.
fn clean(value: &str) -> String {
    value
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_owned()
}

/// `=?UTF-8?B?…?=` words of at most 75 characters, folded onto lines of their own, never
/// splitting a character.
fn encoded_words(value: &str) -> String {
    let mut words = Vec::new();
    let mut start = 0;
    while start < value.len() {
        let mut end = (start + WORD_BYTES).min(value.len());
        while !value.is_char_boundary(end) {
            end -= 1;
        }
        words.push(format!(
            "=?UTF-8?B?{}?=",
            base64::engine::general_purpose::STANDARD.encode(&value.as_bytes()[start..end])
        ));
        start = end;
    }
    words.join("\r\n ")
}

/// A content type safe to write: the stored one when it is a plain `type/subtype`.
fn media_type(content_type: &str) -> &str {
    let plain = content_type.split_once('/').is_some_and(|(t, s)| {
        let token = |p: &str| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
        };
        token(t) && token(s)
    });
    if plain {
        content_type
    } else {
        "application/octet-stream"
    }
}

/// A file name for `Content-Disposition`: an ASCII fallback, and the name itself in UTF-8
/// (RFC 2231) when it is not plain ASCII.
fn file_name(name: &str) -> String {
    let fallback: String = clean(name)
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || " ._-()".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let fallback = if fallback.trim().is_empty() {
        "file".to_owned()
    } else {
        fallback
    };
    if clean(name) == fallback {
        return format!("filename=\"{fallback}\"");
    }
    let encoded: String = clean(name)
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"._-".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("filename*=UTF-8''{encoded};\r\n filename=\"{fallback}\"")
}

/// Base64 in lines of 76 characters, each ending in CRLF.
fn base64_lines(bytes: &[u8]) -> String {
    let encoded = base64::engine::general_purpose::STANDARD.encode(bytes);
    let mut out = String::with_capacity(encoded.len() + encoded.len() / LINE * 2 + 2);
    for chunk in encoded.as_bytes().chunks(LINE) {
        out.push_str(std::str::from_utf8(chunk).unwrap_or_default());
        out.push_str("\r\n");
    }
    out
}

/// Text made safe inside HTML.
pub fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Text as HTML: escaped, paragraphs kept, line breaks as `<br>`.
pub fn html_of(text: &str, footer: &str) -> String {
    let escape = escape_html;
    let paragraphs: String = text
        .split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .map(|p| format!("<p>{}</p>", escape(p.trim()).replace('\n', "<br>\n")))
        .collect();
    format!(
        "<!doctype html>\n<html><body style=\"font-family: sans-serif; line-height: 1.5; \
         color: #1f2328\">\n{paragraphs}\n<p style=\"color: #6e7781; font-size: 90%\">{}</p>\n\
         </body></html>\n",
        escape(footer)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample<'a>(attachments: &'a [Attachment], refs: &'a [String]) -> Outgoing<'a> {
        Outgoing {
            from_name: "Служба поддержки",
            from_address: "support@desk.example",
            to_name: "Anna \"A\" Petrova",
            to_address: "anna@example.com",
            subject: "Re: Не проходит оплата [#42]",
            message_id: "sb.42.7.abc@desk.example",
            in_reply_to: Some("CAF=1@mail.gmail.com"),
            references: refs,
            date_ms: 1_796_040_000_000,
            text: "Здравствуйте!\n\nПроверили платёж.",
            html: "<p>Здравствуйте!</p>",
            automatic: false,
            attachments,
        }
    }

    #[test]
    fn a_reply_reads_back_as_written() {
        let files = [Attachment {
            name: "счёт \"март\".pdf".into(),
            content_type: "application/pdf".into(),
            bytes: b"%PDF-1.4 test".to_vec(),
        }];
        let refs = vec![
            "CAF=0@mail.gmail.com".to_owned(),
            "CAF=1@mail.gmail.com".to_owned(),
        ];
        let raw = compose(&sample(&files, &refs));
        let text = String::from_utf8(raw.clone()).expect("ASCII");
        assert!(text.lines().all(|l| l.len() <= 998), "no line too long");
        assert!(text.is_ascii(), "7-bit clean");
        let parsed = mail_parser::MessageParser::default()
            .parse(&raw)
            .expect("it parses");
        assert_eq!(parsed.subject(), Some("Re: Не проходит оплата [#42]"));
        assert_eq!(parsed.message_id(), Some("sb.42.7.abc@desk.example"));
        assert_eq!(
            parsed.from().and_then(|a| a.first()).and_then(|a| a.name()),
            Some("Служба поддержки")
        );
        assert_eq!(
            parsed.to().and_then(|a| a.first()).and_then(|a| a.name()),
            Some("Anna \"A\" Petrova")
        );
        assert_eq!(
            parsed.body_text(0).as_deref(),
            Some("Здравствуйте!\n\nПроверили платёж.")
        );
        assert_eq!(parsed.body_html(0).as_deref(), Some("<p>Здравствуйте!</p>"));
        let attachment = parsed.attachment(0).expect("the file");
        assert_eq!(attachment.contents(), b"%PDF-1.4 test");
        assert_eq!(
            mail_parser::MimeHeaders::attachment_name(attachment),
            Some("счёт \"март\".pdf")
        );
        assert!(text.contains("In-Reply-To: <CAF=1@mail.gmail.com>"));
        assert!(text.contains("References: <CAF=0@mail.gmail.com>\r\n <CAF=1@mail.gmail.com>"));
        assert!(!text.contains("Auto-Submitted"), "a person's reply");
        assert!(text.starts_with("Date: "));
    }

    #[test]
    fn headers_never_carry_a_line_break_and_automatic_mail_says_so() {
        let mut mail = sample(&[], &[]);
        mail.subject = "Hi\r\nBcc: victim@example.com";
        mail.automatic = true;
        let text = String::from_utf8(compose(&mail)).expect("ASCII");
        assert!(!text.contains("\r\nBcc:"));
        assert!(text.contains("Subject: Hi  Bcc: victim@example.com\r\n"));
        assert!(text.contains("Auto-Submitted: auto-generated\r\n"));
    }

    #[test]
    fn dates_are_written_in_utc() {
        assert_eq!(rfc5322_date(0), "Thu, 01 Jan 1970 00:00:00 +0000");
        assert_eq!(
            rfc5322_date(1_796_040_000_000),
            "Mon, 30 Nov 2026 12:00:00 +0000"
        );
    }

    #[test]
    fn html_is_escaped() {
        let html = html_of("<b>1 & 2</b>\nnext\n\nsecond", "Ticket #1");
        assert!(html.contains("<p>&lt;b&gt;1 &amp; 2&lt;/b&gt;<br>\nnext</p><p>second</p>"));
    }
}
