//! The widget a host platform embeds: `GET /widget.js` (the launcher and its frame), `POST
//! /widget/{site}` (a page of the site hands in its member's identity token; the frame gets
//! a widget session and the member's desk), and the framing rule: a page shown to a widget
//! session may be framed by its site's origins only, every other page by no one.

use app::i18n::Lang;
use axum::{
    Form,
    extract::{Path, Request, State, rejection::FormRejection},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use serde::Deserialize;
use tracing::{info, warn};

use super::{ApiError, extract};
use crate::{
    auth,
    domain::widget::frame_ancestors,
    service::{Refusal, WidgetEntry},
    state::AppState,
};

/// The script, its words filled in per request.
const SCRIPT: &str = include_str!("widget.js");

/// `GET /widget.js`: the launcher, its panel and the frame, with its words in both languages
/// (it picks the host page's).
pub async fn script() -> Response {
    let words = |lang| {
        let text = |key| app::i18n::text(lang, key, &[]);
        serde_json::json!({
            "launcher": text("widget-launcher"),
            "title": text("widget-title"),
            "close": text("widget-close"),
        })
    };
    let strings = serde_json::json!({ "en": words(Lang::En), "ru": words(Lang::Ru) });
    let body = SCRIPT.replace("__STRINGS__", &strings.to_string());
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=300"),
        ],
        body,
    )
        .into_response()
}

/// What the script posts into the frame.
#[derive(Deserialize)]
pub struct WidgetForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    lang: Option<String>,
}

/// `POST /widget/{site}`: a page of site `site` hands in its member's identity token. Taken,
/// the member is made or brought up to date from its claims, the frame gets a widget session
/// (its own cookie) and goes on to the member's desk. Refused, the frame says so — a forged,
/// expired or used token `401`, a page of another origin `403`, no such site `404` — and the
/// log says why.
pub async fn open(
    State(state): State<AppState>,
    Path(site): Path<String>,
    headers: HeaderMap,
    form: Result<Form<WidgetForm>, FormRejection>,
) -> Response {
    let form = form.ok();
    let asked = form
        .as_ref()
        .and_then(|Form(f)| f.lang.as_deref())
        .and_then(Lang::parse);
    let lang =
        asked.unwrap_or_else(|| super::lang::request_lang(&headers, state.settings.language));
    let token = form.map(|Form(f)| f.token).unwrap_or_default();
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
    let entry = match state.desk.widget_sign_in(&site, &token, origin).await {
        Ok(Ok(entry)) => entry,
        Ok(Err(refusal)) => {
            info!(site = %site, why = refusal.as_str(), "widget refused");
            let status = match refusal {
                Refusal::NoSite => StatusCode::NOT_FOUND,
                Refusal::Origin => StatusCode::FORBIDDEN,
                _ => StatusCode::UNAUTHORIZED,
            };
            return refused(lang, status);
        }
        Err(err) => return super::error::in_lang(lang, ApiError::Service(err)).await,
    };
    match session_for(&state, &headers, &entry, asked).await {
        Ok(id) => {
            let cookie = widget_cookie(&id, state.settings.session_days);
            let mut response =
                (StatusCode::SEE_OTHER, [(header::LOCATION, "/account")]).into_response();
            if let Ok(value) = HeaderValue::from_str(&cookie) {
                response.headers_mut().insert(header::SET_COOKIE, value);
            }
            response
        }
        Err(err) => super::error::in_lang(lang, err).await,
    }
}

/// The widget session of `entry` (the frame's own when it is the same member's), with the
/// member's language set to the host page's.
async fn session_for(
    state: &AppState,
    headers: &HeaderMap,
    entry: &WidgetEntry,
    lang: Option<Lang>,
) -> Result<String, ApiError> {
    let current = auth::cookie(headers, auth::WIDGET_COOKIE);
    let id = auth::open_widget_session(
        &state.desk.sessions(),
        current,
        entry,
        state.settings.session_days,
    )
    .await?;
    if let Some(lang) = lang
        && let Some(viewer) = state.desk.viewer(entry.member).await?
        && let Err(err) = state.desk.set_language(&viewer, lang).await
    {
        warn!(error = %err, "could not keep the host page's language");
    }
    Ok(id)
}

/// The widget session's cookie: kept for the embedding site alone (`Partitioned`), sent in
/// its frame (`SameSite=None`, which browsers take only with `Secure`; they take `Secure`
/// from `http://localhost` too).
fn widget_cookie(id: &str, days: i64) -> String {
    format!(
        "{}={id}; Path=/; Max-Age={}; HttpOnly; Secure; SameSite=None; Partitioned",
        auth::WIDGET_COOKIE,
        days.max(1) * 24 * 60 * 60
    )
}

/// The frame's page when the widget could not open, in the page's language.
fn refused(lang: Lang, status: StatusCode) -> Response {
    let text = |key| app::i18n::text(lang, key, &[]);
    super::plain_page(
        lang,
        status,
        &text("widget-title"),
        &text("widget-refused-title"),
        &text("widget-refused"),
    )
}

/// Who may frame what is answered: a widget session's pages its site's origins (the site as
/// it is now), and nothing else anyone.
pub async fn frame_rules(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let (mut parts, body) = req.into_parts();
    let _ = extract::asking_person(&mut parts, &state).await;
    let origins = extract::widget_origins_of(&parts.extensions);
    let mut response = next.run(Request::from_parts(parts, body)).await;
    let headers = response.headers_mut();
    if let Some(origins) = origins
        && !headers.contains_key(header::CONTENT_SECURITY_POLICY)
        && let Ok(policy) = HeaderValue::from_str(&frame_ancestors(&origins))
    {
        headers.insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    response
}

/// `X-Frame-Options: DENY` on every answer that does not say who may frame it.
pub async fn deny_framing(req: Request, next: Next) -> Response {
    let mut response = next.run(req).await;
    let says = response
        .headers()
        .get(header::CONTENT_SECURITY_POLICY)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("frame-ancestors"));
    if !says {
        response
            .headers_mut()
            .insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
    response
}
