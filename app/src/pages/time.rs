//! Times as people read them: a clock time, or how long ago.

use crate::{live::now, protocol::Millis};

#[allow(unused_imports)]
use super::*;

pub(crate) const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// A moment as the reader's clock shows it: "14:05" today, "3 Nov 14:05" before.
pub(crate) fn clock(at: Millis) -> String {
    #[cfg(feature = "hydrate")]
    {
        let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(at as f64));
        let today = js_sys::Date::new_0();
        let time = format!("{:02}:{:02}", date.get_hours(), date.get_minutes());
        if date.to_date_string() == today.to_date_string() {
            time
        } else {
            let month = MONTHS.get(date.get_month() as usize).copied().unwrap_or("");
            format!("{} {month} {time}", date.get_date())
        }
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (at, MONTHS);
        String::new()
    }
}

/// How long ago, in words: "just now", "5 min ago", "3 h ago", "2 d ago".
pub(crate) fn ago(at: Millis) -> String {
    let minutes = (now() - at).max(0) / 60_000;
    match minutes {
        0 => "just now".into(),
        1..=59 => format!("{minutes} min ago"),
        60..=1439 => format!("{} h ago", minutes / 60),
        _ => format!("{} d ago", minutes / 1440),
    }
}
