//! The words people read, in English and Russian, from the Fluent catalogues in `locales/`
//! (`locales/en/*.ftl`, `locales/ru/*.ftl`), compiled into the binary and the browser bundle
//! alike, so the server's render and the hydrated page say the same thing.
//!
//! Plurals follow each language's rules (1 запрос, 2 запроса, 5 запросов); a message missing
//! in one language falls back to English (a unit test keeps the two catalogues the same
//! shape, so it never does).

use std::sync::OnceLock;

use fluent_bundle::{FluentArgs, FluentResource, concurrent::FluentBundle};
use serde::{Deserialize, Serialize};

pub use fluent_bundle::FluentValue;

/// A language of the interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Ru,
}

impl Lang {
    /// Every language, in the order the switch offers them.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Ru];

    /// The language's code (`en`, `ru`), as in `lang=""` and cookies.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ru => "ru",
        }
    }

    /// The language named in its own words, for the switch.
    pub fn own_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Ru => "Русский",
        }
    }

    /// A language tag (`ru`, `ru-RU`, `en-GB`…) as one of ours, if it is.
    pub fn parse(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Lang::En),
            "ru" => Some(Lang::Ru),
            _ => None,
        }
    }

    /// The language a browser prefers among ours, from its `Accept-Language` header
    /// (`ru-RU,ru;q=0.9,en;q=0.8`): the highest `q` wins, the earlier on a tie.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut best: Option<(Lang, f32)> = None;
        for part in header.split(',') {
            let mut pieces = part.split(';');
            let Some(lang) = pieces.next().and_then(Lang::parse) else {
                continue;
            };
            let q = pieces
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            if q > 0.0 && best.is_none_or(|(_, b)| q > b) {
                best = Some((lang, q));
            }
        }
        best.map(|(lang, _)| lang)
    }

    fn sources(self) -> &'static [&'static str] {
        match self {
            Lang::En => &[
                include_str!("../../locales/en/desk.ftl"),
                include_str!("../../locales/en/admin.ftl"),
                include_str!("../../locales/en/errors.ftl"),
            ],
            Lang::Ru => &[
                include_str!("../../locales/ru/desk.ftl"),
                include_str!("../../locales/ru/admin.ftl"),
                include_str!("../../locales/ru/errors.ftl"),
            ],
        }
    }
}

type Bundle = FluentBundle<FluentResource>;

/// The catalogue of `lang`, read once.
fn bundle(lang: Lang) -> &'static Bundle {
    static EN: OnceLock<Bundle> = OnceLock::new();
    static RU: OnceLock<Bundle> = OnceLock::new();
    let cell = match lang {
        Lang::En => &EN,
        Lang::Ru => &RU,
    };
    cell.get_or_init(|| {
        let id = lang.code().parse().unwrap_or_default();
        let mut bundle = FluentBundle::new_concurrent(vec![id]);
        // No Unicode isolation marks around arguments: they would travel into attributes
        // and tests; our arguments are plain names and numbers.
        bundle.set_use_isolating(false);
        for source in lang.sources() {
            // A unit test parses every catalogue cleanly; what parses is kept regardless.
            let resource = FluentResource::try_new((*source).to_owned())
                .unwrap_or_else(|(partial, _)| partial);
            let _ = bundle.add_resource(resource);
        }
        bundle
    })
}

/// Message `key` in `lang` with `args`; English when `lang` lacks it, the key itself when
/// neither has it.
pub fn text(lang: Lang, key: &str, args: &[(&str, FluentValue<'_>)]) -> String {
    let args = (!args.is_empty()).then(|| {
        let mut all = FluentArgs::new();
        for (name, value) in args {
            all.set(*name, value.clone());
        }
        all
    });
    for lang in [lang, Lang::En] {
        let bundle = bundle(lang);
        if let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) {
            let mut errors = Vec::new();
            return bundle
                .format_pattern(pattern, args.as_ref(), &mut errors)
                .into_owned();
        }
    }
    key.to_owned()
}

/// `t!(lang, "key")` or `t!(lang, "key", count = n, name = who)`: a message of the catalogue.
#[macro_export]
macro_rules! t {
    ($lang:expr, $key:expr) => {
        $crate::i18n::text($lang, $key, &[])
    };
    ($lang:expr, $key:expr, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::i18n::text(
            $lang,
            $key,
            &[$((stringify!($name), $crate::i18n::FluentValue::from($value))),+],
        )
    };
}

/// The same macro by this module's path: `use crate::i18n::t;`.
pub use t;

/// A number as `lang` writes it: `1,234.5` / `1 234,5`, with `decimals` digits after the point.
pub fn number(lang: Lang, value: f64, decimals: usize) -> String {
    let text = format!("{value:.decimals$}");
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let (sign, digits) = whole.strip_prefix('-').map_or(("", whole), |d| ("-", d));
    let (group, point) = match lang {
        Lang::En => (",", "."),
        // A no-break space between thousands, a comma before the fraction.
        Lang::Ru => ("\u{a0}", ","),
    };
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push_str(group);
        }
        grouped.push(c);
    }
    if fraction.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}{point}{fraction}")
    }
}

/// A size in bytes as `lang` writes it: "900 B", "12 KB", "25.0 MB" / "25,0 МБ".
pub fn bytes(lang: Lang, size: u64) -> String {
    const KIB: f64 = 1024.0;
    let (key, amount) = match size {
        0..1024 => ("size-b", number(lang, size as f64, 0)),
        1024..1_048_576 => ("size-kb", number(lang, size as f64 / KIB, 0)),
        _ => ("size-mb", number(lang, size as f64 / KIB / KIB, 1)),
    };
    text(lang, key, &[("n", FluentValue::from(amount))])
}

/// The page's language, live: switching it rewrites every word at once (what is typed stays).
/// The server renders the page in it and hands it to the browser with the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PageLang(pub Lang);

/// The page's language signal (provided at the root; a fresh English one outside a page).
pub fn locale() -> leptos::prelude::RwSignal<Lang> {
    use leptos::prelude::*;
    use_context::<RwSignal<Lang>>().unwrap_or_else(|| RwSignal::new(Lang::default()))
}

/// A catalogue message as a live view or attribute value: `{tr("sign-in")}`.
pub fn tr(key: &'static str) -> impl Fn() -> String + Copy + Send + Sync + 'static {
    use leptos::prelude::*;
    let lang = locale();
    move || text(lang.get(), key, &[])
}

/// A page's title from `text`, for `<Title text=…>`. In the browser it follows the language
/// (and whatever else `text` reads) live. On the server it is read once, as the page renders:
/// the title is put into the page only after rendering, on whichever thread then carries the
/// response, where no reactive value may be read any more.
pub fn page_title(text: impl Fn() -> String + Send + Sync + 'static) -> leptos::prelude::TextProp {
    #[cfg(feature = "ssr")]
    {
        leptos::prelude::TextProp::from(text())
    }
    #[cfg(not(feature = "ssr"))]
    {
        leptos::prelude::TextProp::from(text)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use fluent_bundle::FluentResource;
    use fluent_syntax::ast;

    use super::*;

    /// The message ids of a catalogue, with their attributes and the variables they use.
    fn shape(lang: Lang) -> BTreeSet<String> {
        let mut ids = BTreeSet::new();
        for source in lang.sources() {
            let resource = FluentResource::try_new((*source).to_owned())
                .unwrap_or_else(|(_, errors)| panic!("{} catalogue: {errors:?}", lang.code()));
            for entry in resource.entries() {
                if let ast::Entry::Message(message) = entry {
                    assert!(
                        ids.insert(message.id.name.to_owned()),
                        "{} defines {} twice",
                        lang.code(),
                        message.id.name
                    );
                }
            }
        }
        ids
    }

    #[test]
    fn every_message_exists_in_both_languages() {
        let en = shape(Lang::En);
        let ru = shape(Lang::Ru);
        assert_eq!(
            en.difference(&ru).collect::<Vec<_>>(),
            Vec::<&String>::new(),
            "in English, not in Russian"
        );
        assert_eq!(
            ru.difference(&en).collect::<Vec<_>>(),
            Vec::<&String>::new(),
            "in Russian, not in English"
        );
        assert!(en.len() > 100, "{} messages", en.len());
    }

    #[test]
    fn said_lines_count_numbers_but_keep_phone_numbers_as_written() {
        let said = |args: &[(&str, &str)], key: &str| crate::protocol::Said {
            key: key.into(),
            args: args
                .iter()
                .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
                .collect(),
        };
        let taken = said(&[("name", "+79161234501")], "invalid-taken");
        assert_eq!(taken.text(Lang::En), "“+79161234501” is already taken");
        let waiting = said(&[("minutes", "21")], "waiting-minutes");
        assert_eq!(waiting.text(Lang::Ru), "Примерно 21 минута.");
    }

    #[test]
    fn russian_counts_with_its_three_plural_forms() {
        let cases = [
            (1, "1 запрос"),
            (2, "2 запроса"),
            (4, "4 запроса"),
            (5, "5 запросов"),
            (11, "11 запросов"),
            (21, "21 запрос"),
            (22, "22 запроса"),
            (25, "25 запросов"),
            (111, "111 запросов"),
        ];
        for (n, expected) in cases {
            assert_eq!(t!(Lang::Ru, "tickets-count", count = n), expected);
        }
        assert_eq!(t!(Lang::En, "tickets-count", count = 1), "1 ticket");
        assert_eq!(t!(Lang::En, "tickets-count", count = 5), "5 tickets");
    }

    #[test]
    fn numbers_and_sizes_are_written_as_each_language_writes_them() {
        assert_eq!(number(Lang::En, 1234567.25, 1), "1,234,567.2");
        assert_eq!(number(Lang::Ru, 1234567.25, 1), "1\u{a0}234\u{a0}567,2");
        assert_eq!(number(Lang::Ru, -999.0, 0), "-999");
        assert_eq!(bytes(Lang::En, 25 * 1024 * 1024), "25.0 MB");
        assert_eq!(bytes(Lang::Ru, 25 * 1024 * 1024), "25,0 МБ");
        assert_eq!(bytes(Lang::Ru, 512), "512 Б");
        assert_eq!(bytes(Lang::En, 900), "900 B");
        assert_eq!(bytes(Lang::En, 12 * 1024), "12 KB");
    }

    #[test]
    fn the_browser_says_which_language_it_prefers() {
        let cases = [
            ("ru-RU,ru;q=0.9,en-US;q=0.8,en;q=0.7", Some(Lang::Ru)),
            ("en-GB,en;q=0.9", Some(Lang::En)),
            ("de-DE,de;q=0.9,ru;q=0.5,en;q=0.4", Some(Lang::Ru)),
            ("fr, en;q=0", None),
            ("", None),
            ("*", None),
        ];
        for (header, expected) in cases {
            assert_eq!(Lang::from_accept_language(header), expected, "{header}");
        }
    }

    #[test]
    fn a_missing_message_falls_back_to_its_key() {
        assert_eq!(t!(Lang::Ru, "no-such-message"), "no-such-message");
    }
}
