//! A message's text as people read it: line breaks kept (by the stylesheet), web addresses
//! made links that open apart from the desk and send it no referrer; nothing is fetched from
//! them.

use leptos::prelude::*;

/// A run of a message's text: words, or a web address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Text(String),
    Link { href: String, text: String },
}

/// `text` cut into words and the `http://`, `https://` and `www.` addresses in it (the
/// punctuation that ends a sentence is not part of an address).
pub fn pieces(text: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = next_address(rest) {
        let (before, from) = rest.split_at(start);
        let end = from
            .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '«' | '»'))
            .unwrap_or(from.len());
        let mut address = &from[..end];
        // A closing bracket belongs to the address only when it opened one too.
        while let Some(last) = address.chars().last() {
            let unmatched =
                last == ')' && address.matches('(').count() < address.matches(')').count();
            if matches!(last, '.' | ',' | ';' | ':' | '!' | '?' | '\'') || unmatched {
                address = &address[..address.len() - last.len_utf8()];
            } else {
                break;
            }
        }
        if !before.is_empty() {
            out.push(Piece::Text(before.to_owned()));
        }
        let href = if address.starts_with("www.") {
            format!("https://{address}")
        } else {
            address.to_owned()
        };
        out.push(Piece::Link {
            href,
            text: address.to_owned(),
        });
        rest = &from[address.len()..];
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest.to_owned()));
    }
    out
}

/// Where the next address starts: a scheme or `www.` at the start of a word, followed by
/// something.
fn next_address(text: &str) -> Option<usize> {
    let lower = text.to_ascii_lowercase();
    let mut from = 0;
    loop {
        let found = ["https://", "http://", "www."]
            .iter()
            .filter_map(|p| lower[from..].find(p).map(|i| (from + i, p.len())))
            .min()?;
        let (at, len) = found;
        let starts_word = text[..at]
            .chars()
            .last()
            .is_none_or(|c| c.is_whitespace() || matches!(c, '(' | '<' | '"' | '«' | '\''));
        let followed = text[at + len..]
            .chars()
            .next()
            .is_some_and(|c| !c.is_whitespace() && c != '.');
        if starts_word && followed {
            return Some(at);
        }
        from = at + len;
    }
}

/// A message's text with its addresses as links.
#[component]
pub(crate) fn MessageText(text: String) -> impl IntoView {
    view! {
        <p class="body">
            {pieces(&text)
                .into_iter()
                .map(|piece| match piece {
                    Piece::Text(text) => text.into_any(),
                    Piece::Link { href, text } => {
                        view! {
                            <a href=href target="_blank" rel="noopener noreferrer nofollow">{text}</a>
                        }
                            .into_any()
                    }
                })
                .collect_view()}
        </p>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links(text: &str) -> Vec<String> {
        pieces(text)
            .into_iter()
            .filter_map(|p| match p {
                Piece::Link { href, .. } => Some(href),
                Piece::Text(_) => None,
            })
            .collect()
    }

    #[test]
    fn addresses_become_links_and_the_rest_stays_words() {
        assert_eq!(
            pieces("See https://example.com/a?b=1, then call."),
            vec![
                Piece::Text("See ".into()),
                Piece::Link {
                    href: "https://example.com/a?b=1".into(),
                    text: "https://example.com/a?b=1".into()
                },
                Piece::Text(", then call.".into()),
            ]
        );
        assert_eq!(links("(www.example.org)"), ["https://www.example.org"]);
        assert_eq!(
            links("wiki https://en.wikipedia.org/wiki/Rust_(language)."),
            ["https://en.wikipedia.org/wiki/Rust_(language)"]
        );
        assert_eq!(
            links("two:\nhttp://a.example\nhttp://b.example!"),
            ["http://a.example", "http://b.example"]
        );
    }

    #[test]
    fn only_web_addresses_at_the_start_of_a_word_are_links() {
        assert!(links("javascript:alert(1) data:text/html,x mailto:a@b.c").is_empty());
        assert!(links("xhttps://example.com and https:// and www. alone").is_empty());
        assert_eq!(
            pieces("no links here"),
            vec![Piece::Text("no links here".into())]
        );
        assert_eq!(pieces(""), Vec::<Piece>::new());
        assert_eq!(
            links("«https://пример.рф/путь»"),
            ["https://пример.рф/путь"]
        );
    }
}
