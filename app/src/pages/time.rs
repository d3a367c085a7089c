//! Times as people read them: a clock time, or how long ago — in the page's language.

use crate::i18n::t;
use crate::{
    i18n::{Lang, text},
    live::now,
    protocol::Millis,
};

/// A moment in the reader's time zone: the day of the month, the month's name, the year,
/// "HH:MM", and whether it is today (`None` on the server, which does not know the zone).
fn local(at: Millis, lang: Lang) -> Option<(u32, String, u32, String, bool)> {
    #[cfg(feature = "hydrate")]
    {
        let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(at as f64));
        let today = js_sys::Date::new_0();
        Some((
            date.get_date(),
            text(lang, &format!("month-{}", date.get_month() + 1), &[]),
            date.get_full_year(),
            format!("{:02}:{:02}", date.get_hours(), date.get_minutes()),
            date.to_date_string() == today.to_date_string(),
        ))
    }
    #[cfg(not(feature = "hydrate"))]
    {
        // The browser fills it in.
        let _ = (at, lang, text);
        None
    }
}

/// A moment as the reader's clock shows it: "14:05" today, "3 Nov 14:05" / "3 нояб. 14:05"
/// before.
pub(crate) fn clock(at: Millis, lang: Lang) -> String {
    match local(at, lang) {
        Some((_, _, _, time, true)) => time,
        Some((day, month, _, time, false)) => {
            t!(lang, "date-time", day = day, month = month, time = time)
        }
        None => String::new(),
    }
}

/// A day with its year: "3 Nov 2026".
pub(crate) fn date(at: Millis, lang: Lang) -> String {
    local(at, lang).map_or_else(String::new, |(day, month, year, _, _)| {
        t!(lang, "date-day", day = day, month = month, year = year)
    })
}

/// How long ago, in words: "just now", "5 min ago", "3 h ago", "2 d ago".
pub(crate) fn ago(at: Millis, lang: Lang) -> String {
    let minutes = (ticking_now() - at).max(0) / 60_000;
    match minutes {
        0 => t!(lang, "just-now"),
        1..=59 => t!(lang, "minutes-ago", n = minutes),
        60..=1439 => t!(lang, "hours-ago", n = minutes / 60),
        _ => t!(lang, "days-ago", n = minutes / 1440),
    }
}

/// Now, read so that what shows it is drawn again as the page's clock moves.
pub(crate) fn ticking_now() -> Millis {
    if let Some(live) = leptos::prelude::use_context::<crate::live::Live>() {
        live.tick();
    }
    now()
}

/// How long, in short words: "45 s", "12 min", "3 h 5 min", "2 d 4 h".
pub(crate) fn span(ms: Millis, lang: Lang) -> String {
    let minutes = ms.max(0) / 60_000;
    match minutes {
        0 => t!(lang, "span-seconds", n = ms.max(0) / 1000),
        1..=59 => t!(lang, "span-minutes", n = minutes),
        60..=1439 => t!(lang, "span-hours", h = minutes / 60, m = minutes % 60),
        _ => t!(
            lang,
            "span-days",
            d = minutes / 1440,
            h = minutes % 1440 / 60
        ),
    }
}

/// Initials of a name for its avatar: "Anna Ivanova" → "AI", "Boris" → "B".
pub(crate) fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|w| w.chars().find(|c| c.is_alphanumeric()))
        .take(2)
        .flat_map(char::to_uppercase)
        .collect()
}

/// A moment in full, as a tooltip gives it: "30 Nov 2026, 23:43".
pub(crate) fn full(at: Millis, lang: Lang) -> String {
    local(at, lang).map_or_else(String::new, |(day, month, year, time, _)| {
        t!(
            lang,
            "date-full",
            day = day,
            month = month,
            year = year,
            time = time
        )
    })
}

/// The reader's calendar day of a moment (days since the epoch in their time zone; 0 on the
/// server, which never draws days).
pub(crate) fn day_of(at: Millis) -> i64 {
    #[cfg(feature = "hydrate")]
    {
        let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(at as f64));
        let offset = date.get_timezone_offset() as i64 * 60_000;
        (at - offset).div_euclid(86_400_000)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = at;
        0
    }
}

/// A day as the conversation's separator names it: "Today", "Yesterday", "28 Nov 2026".
pub(crate) fn day_label(at: Millis, lang: Lang) -> String {
    match day_of(ticking_now()) - day_of(at) {
        0 => t!(lang, "day-today"),
        1 => t!(lang, "day-yesterday"),
        _ => date(at, lang),
    }
}

/// A moment in a conversation: the clock time, the full date and time on hover.
#[leptos::component]
pub(crate) fn Moment(at: Millis) -> impl leptos::IntoView {
    use leptos::prelude::*;
    let lang = crate::i18n::locale();
    leptos::view! {
        <time title=move || full(at, lang.get())>{move || clock(at, lang.get())}</time>
    }
}
