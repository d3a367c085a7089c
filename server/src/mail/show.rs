//! A mail as staff read it: its headers, its whole text, and its HTML made safe to show —
//! sanitised with a library made for it (`ammonia`), links opening apart (`noopener`), and
//! no remote content: pictures come from the mail's own inline parts, and images from the
//! internet only when the reader asks for them.

use std::{
    borrow::Cow,
    collections::HashMap,
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
};

use mail_parser::{MessageParser, MimeHeaders, PartType};

use super::{MAX_PARTS, Unreadable};

/// A mail's headers and text, with its HTML sanitised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    pub from: String,
    pub to: Vec<String>,
    pub cc: Vec<String>,
    /// The date it says it was written, in milliseconds.
    pub sent_at: Option<i64>,
    pub subject: String,
    pub text: String,
    /// The HTML, sanitised (absent when the mail has none of its own).
    pub html: Option<String>,
    /// How many images from the internet the HTML points to.
    pub remote_images: usize,
    pub files: Vec<String>,
}

/// What `show` does with images from the internet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Remote {
    /// Left out (counted).
    Blocked,
    /// Kept: the reader asked for them.
    Shown,
}

/// Names and addresses as a mail's header lists them (`Ann <ann@x.example>`).
fn people(address: Option<&mail_parser::Address<'_>>) -> Vec<String> {
    address
        .map(|a| {
            a.iter()
                .map(|p| match (p.name(), p.address()) {
                    (Some(name), Some(address)) => format!("{name} <{address}>"),
                    (None, Some(address)) => address.to_owned(),
                    (Some(name), None) => name.to_owned(),
                    (None, None) => String::new(),
                })
                .filter(|p| !p.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

fn parse(raw: &[u8]) -> Result<mail_parser::Message<'_>, Unreadable> {
    let message = MessageParser::default()
        .parse(raw)
        .ok_or(Unreadable("not a mail"))?;
    if message.parts.len() > MAX_PARTS {
        return Err(Unreadable("too many parts"));
    }
    Ok(message)
}

/// Whether a part is a picture a browser shows (never SVG: it can carry script).
fn is_picture(part: &mail_parser::MessagePart<'_>) -> bool {
    part.content_type().is_some_and(|ct| {
        ct.ctype().eq_ignore_ascii_case("image")
            && ct.subtype().is_some_and(|s| {
                matches!(
                    s.to_ascii_lowercase().as_str(),
                    "png" | "jpeg" | "jpg" | "gif" | "webp"
                )
            })
    })
}

/// Reads `raw` for showing; `picture` makes the address of its part `n` (an inline picture
/// the HTML refers to by `cid:`).
pub fn show(
    raw: &[u8],
    picture: impl Fn(usize) -> String,
    remote: Remote,
) -> Result<Shown, Unreadable> {
    let message = parse(raw)?;
    let from = people(message.from())
        .into_iter()
        .next()
        .unwrap_or_default();
    let html = message
        .html_part(0)
        .filter(|p| p.is_text_html())
        .and_then(|p| match &p.body {
            PartType::Html(html) => Some(html.as_ref()),
            _ => None,
        });
    let pictures: HashMap<String, String> = message
        .parts
        .iter()
        .enumerate()
        .filter(|(_, part)| is_picture(part))
        .filter_map(|(n, part)| {
            let id = part.content_id()?.trim_matches(['<', '>', ' ']);
            Some((id.to_owned(), picture(n)))
        })
        .collect();
    let remote_images = Arc::new(AtomicUsize::new(0));
    let html = html.map(|html| sanitise(html, pictures, remote, remote_images.clone()));
    let files = message
        .attachments()
        .filter_map(|p| p.attachment_name().map(|n| n.trim().to_owned()))
        .filter(|n| !n.is_empty())
        .collect();
    Ok(Shown {
        from,
        to: people(message.to()),
        cc: people(message.cc()),
        sent_at: message.date().map(|d| d.to_timestamp() * 1000),
        subject: message.subject().unwrap_or_default().trim().to_owned(),
        text: message
            .body_text(0)
            .map(|t| t.replace("\r\n", "\n"))
            .unwrap_or_default(),
        html,
        remote_images: remote_images.load(Ordering::Relaxed),
        files,
    })
}

/// Inline picture `n` of `raw`: its media type and bytes; `None` for any other part.
pub fn picture(raw: &[u8], n: usize) -> Option<(String, Vec<u8>)> {
    let message = parse(raw).ok()?;
    let part = message.parts.get(n).filter(|p| is_picture(p))?;
    let ct = part.content_type()?;
    let media = format!(
        "image/{}",
        ct.subtype().unwrap_or("png").to_ascii_lowercase()
    )
    .replace("image/jpg", "image/jpeg");
    Some((media, part.contents().to_vec()))
}

/// `html` made safe: the tags and attributes a mail needs to read well and nothing that runs
/// or loads by itself; `cid:` pictures pointed at `pictures`; remote images kept only when
/// `remote` says so (counted in `remote_images` either way); links absolute, opening apart.
fn sanitise(
    html: &str,
    pictures: HashMap<String, String>,
    remote: Remote,
    remote_images: Arc<AtomicUsize>,
) -> String {
    let mut builder = ammonia::Builder::default();
    builder
        .url_schemes(["http", "https", "mailto", "cid"].into())
        .link_rel(Some("noopener noreferrer"))
        .set_tag_attribute_value("a", "target", "_blank")
        .url_relative(ammonia::UrlRelative::PassThrough)
        .attribute_filter(move |element, attribute, value| {
            let lower = value.trim().to_ascii_lowercase();
            let web = lower.starts_with("http://") || lower.starts_with("https://");
            match (element, attribute) {
                ("img", "src") => {
                    if lower.starts_with("cid:") {
                        let id = value.trim()[4..].trim_matches(['<', '>', ' ']);
                        let found = pictures.get(id).or_else(|| {
                            pictures
                                .iter()
                                .find(|(k, _)| k.eq_ignore_ascii_case(id))
                                .map(|(_, v)| v)
                        });
                        return found.map(|url| Cow::Owned(url.clone()));
                    }
                    if web {
                        remote_images.fetch_add(1, Ordering::Relaxed);
                        return (remote == Remote::Shown).then_some(Cow::Borrowed(value));
                    }
                    None
                }
                // A link goes somewhere on the web or to a mail address, never into the desk.
                ("a", "href") => {
                    (web || lower.starts_with("mailto:")).then_some(Cow::Borrowed(value))
                }
                _ if lower.starts_with("cid:") || lower.starts_with('/') => None,
                _ => Some(Cow::Borrowed(value)),
            }
        });
    builder.clean(html).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAIL: &str = "From: Ann <ann@x.example>\r\nTo: support@desk.example\r\n\
        Cc: Bob <bob@x.example>\r\nSubject: Look\r\nDate: Mon, 30 Nov 2026 10:00:00 +0000\r\n\
        MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=b\r\n\r\n\
        --b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n\
        <p onclick=\"steal()\">Hi<script>alert(1)</script></p>\
        <img src=\"cid:pic1@x\" alt=\"inline\"><img src=\"https://tracker.example/p.gif\">\
        <a href=\"/admin\">desk</a> <a href=\"https://ok.example/\">web</a>\
        <iframe src=\"https://evil.example\"></iframe><form action=\"/api/x\"><input></form>\r\n\
        --b\r\nContent-Type: image/png\r\nContent-ID: <pic1@x>\r\n\
        Content-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n--b--\r\n";

    #[test]
    fn html_is_shown_without_anything_that_runs_or_loads_by_itself() {
        let shown = show(
            MAIL.as_bytes(),
            |n| format!("/pictures/{n}"),
            Remote::Blocked,
        )
        .expect("readable");
        let html = shown.html.expect("an HTML part");
        for bad in [
            "script",
            "onclick",
            "iframe",
            "<form",
            "tracker.example",
            "/admin",
        ] {
            assert!(!html.contains(bad), "{bad} in {html}");
        }
        assert!(html.contains("src=\"/pictures/2\""), "{html}");
        assert!(html.contains("rel=\"noopener noreferrer\""), "{html}");
        assert!(html.contains("target=\"_blank\""), "{html}");
        assert_eq!(shown.remote_images, 1);
        assert_eq!(shown.from, "Ann <ann@x.example>");
        assert_eq!(shown.cc, vec!["Bob <bob@x.example>".to_owned()]);
        assert_eq!(shown.sent_at, Some(1_796_032_800_000));
        let asked = show(MAIL.as_bytes(), |n| format!("/p/{n}"), Remote::Shown).unwrap();
        assert!(
            asked
                .html
                .unwrap()
                .contains("https://tracker.example/p.gif")
        );
        let (media, bytes) = picture(MAIL.as_bytes(), 2).expect("the inline picture");
        assert_eq!((media.as_str(), bytes.len()), ("image/png", 8));
        assert!(
            picture(MAIL.as_bytes(), 1).is_none(),
            "the HTML is no picture"
        );
    }
}
