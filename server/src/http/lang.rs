//! The language a request is answered in, before anyone has chosen one.

use app::i18n::Lang;
use axum::http::{HeaderMap, header};

use crate::auth;

/// The cookie the language switch sets, for pages rendered before anyone signs in.
pub const LANG_COOKIE: &str = "switchboard_lang";

/// The language a request asks for without a saved choice: the switch's cookie, else the
/// browser's `Accept-Language`, else the desk's own (`fallback`).
pub fn request_lang(headers: &HeaderMap, fallback: Lang) -> Lang {
    auth::cookie(headers, LANG_COOKIE)
        .and_then(Lang::parse)
        .or_else(|| {
            headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(Lang::from_accept_language)
        })
        .unwrap_or(fallback)
}

/// The language `viewer` reads: theirs if they chose one, else the request's.
pub async fn reader_lang(
    state: &crate::state::AppState,
    viewer: &crate::domain::Viewer,
    headers: &HeaderMap,
) -> Lang {
    match state.desk.language(viewer).await.ok().flatten() {
        Some(lang) => lang,
        None => request_lang(headers, state.settings.language),
    }
}
