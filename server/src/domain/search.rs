//! Search text: what is indexed, the words of a query, and the marked snippets of hits.

use app::protocol::{Fragment, limits};

use super::{Error, Reason};

/// The start of a text for lists: one line, at most `max` characters, with an ellipsis.
pub fn preview(text: &str, max: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        return flat;
    }
    let mut cut: String = flat.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// Marks the start of a matching word in a snippet the store returns (a private-use
/// character, removed from every indexed text, so that no text can forge a mark).
pub const HIT_START: char = '\u{E000}';

/// Marks the end of a matching word in a snippet.
pub const HIT_END: char = '\u{E001}';

/// The text to index: the snippet markers cannot occur in it.
pub fn searchable(text: &str) -> String {
    text.replace([HIT_START, HIT_END], "")
}

/// The words of a search query: letters and digits in any script, lower-cased, at most
/// [`limits::MAX_QUERY_WORDS`]. The last word also matches as a prefix (search as you type).
pub fn search_terms(query: &str) -> Result<Vec<String>, Error> {
    if query.chars().count() > limits::MAX_QUERY_CHARS {
        return Err(Error::Invalid {
            field: "query",
            reason: Reason::new("invalid-search-too-long").with("max", limits::MAX_QUERY_CHARS),
        });
    }
    let terms: Vec<String> = query
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(limits::MAX_QUERY_WORDS)
        .map(str::to_lowercase)
        .collect();
    if terms.is_empty() {
        return Err(Error::Invalid {
            field: "query",
            reason: Reason::new("invalid-no-search-words"),
        });
    }
    Ok(terms)
}

/// Splits a snippet with [`HIT_START`]/[`HIT_END`] marks into plain and matching pieces.
pub fn fragments(snippet: &str) -> Vec<Fragment> {
    let mut out: Vec<Fragment> = Vec::new();
    let mut hit = false;
    let mut text = String::new();
    let flush = |text: &mut String, hit: bool, out: &mut Vec<Fragment>| {
        if !text.is_empty() {
            out.push(Fragment {
                text: std::mem::take(text),
                hit,
            });
        }
    };
    for c in snippet.chars() {
        match c {
            HIT_START => {
                flush(&mut text, hit, &mut out);
                hit = true;
            }
            HIT_END => {
                flush(&mut text, hit, &mut out);
                hit = false;
            }
            c => text.push(c),
        }
    }
    flush(&mut text, hit, &mut out);
    out
}

#[cfg(test)]
mod tests {

    #[test]
    fn search_terms_keep_words_of_any_script() {
        assert_eq!(
            super::search_terms("  Refund: ВОЗВРАТ денег, order#42! ").unwrap(),
            ["refund", "возврат", "денег", "order", "42"]
        );
        assert!(super::search_terms(" ?! ").is_err());
        assert!(super::search_terms(&"a".repeat(201)).is_err());
        assert_eq!(super::search_terms(&"w ".repeat(20)).unwrap().len(), 8);
    }

    #[test]
    fn fragments_split_marked_words() {
        let f = super::fragments("the \u{E000}refund\u{E001} is \u{E000}late\u{E001}…");
        let hits: Vec<_> = f
            .iter()
            .filter(|f| f.hit)
            .map(|f| f.text.as_str())
            .collect();
        assert_eq!(hits, ["refund", "late"]);
        let text: String = f.iter().map(|f| f.text.as_str()).collect();
        assert_eq!(text, "the refund is late…");
        assert_eq!(super::searchable("a\u{E000}b\u{E001}c"), "abc");
    }
}
