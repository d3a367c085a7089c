//! HTTP: the JSON API under `/api/`, the login and logout forms, the server-rendered pages,
//! the browser bundle under `/pkg/`, `/health`, and the socket at `/ws`.

mod accounts;
mod api;
mod calls;
mod drafts;
mod error;
mod extract;
mod files;
pub mod idle;
mod lang;
mod mail;
pub mod metrics;
mod openapi;
mod pages;
mod places;
mod socket;
pub(crate) mod stats;
mod tokens;
mod widget;
mod workspace;

use axum::{
    Router,
    body::Body,
    extract::{DefaultBodyLimit, MatchedPath, Request, State},
    http::{HeaderValue, Method, StatusCode, header},
    middleware::{self, Next},
    response::{IntoResponse, Response},
    routing::{MethodRouter, delete, get, patch, post, put},
};
use tower_http::{
    compression::CompressionLayer, services::ServeDir, set_header::SetResponseHeaderLayer,
    trace::TraceLayer,
};
use tower_sessions::{Expiry, SessionManagerLayer, cookie::SameSite};
use tracing::info_span;

pub use error::{ApiError, ApiResult};
pub use extract::{ApiJson, ApiPath, ApiQuery, AuthUser, ClientAddr, MaybeAuthUser};

use crate::{auth, state::AppState};
use app::{i18n::Lang, protocol::limits};

/// Whether a request of this method may change something (anything but a read).
fn changes_something(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Refuses state-changing requests that a page of another site could have sent with a
/// signed-in person's cookie. Browsers send `Origin` (or `Sec-Fetch-Site`) with every such
/// request, so one carrying a cookie must say it comes from this desk's own pages (or an
/// allowed origin); a request without a cookie has nobody's authority to borrow.
async fn same_origin_writes(State(state): State<AppState>, req: Request, next: Next) -> Response {
    // A host site's page hands in its member's token: cross-site by design, and it carries
    // its own proof (the site's signature and origin), not a cookie's authority.
    let widget_open = req.uri().path().starts_with("/widget/");
    if changes_something(req.method()) && !widget_open {
        let headers = req.headers();
        let fetch_site = headers.get("sec-fetch-site");
        let origin = auth::origin_matches(headers, &state.settings);
        let cross_site = fetch_site.is_some_and(|v| v == "cross-site");
        if cross_site || origin == Some(false) {
            return ApiError::Forbidden("error-cross-origin").into_response();
        }
        let same_site = fetch_site.is_some_and(|v| v == "same-origin");
        // A request with `Authorization` is a token's: the cookie is not read for it.
        let by_cookie =
            headers.contains_key(header::COOKIE) && !headers.contains_key(header::AUTHORIZATION);
        if by_cookie && origin.is_none() && !same_site {
            return ApiError::Forbidden("error-origin").into_response();
        }
    }
    next.run(req).await
}

/// Gives every request but an upload `request_timeout_secs`: a database that stops
/// answering (a link that no longer forwards) turns into `503 unavailable`, not a request
/// that hangs. Dropping the request drops its database connection with it.
async fn deadline(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let upload = req.method() == Method::POST
        && (path == "/api/uploads" || path.starts_with("/api/mailboxes/"));
    if upload {
        return next.run(req).await;
    }
    let lang = lang::request_lang(req.headers(), state.settings.language);
    let budget = std::time::Duration::from_secs(state.settings.request_timeout_secs.max(1));
    match tokio::time::timeout(budget, next.run(req)).await {
        Ok(response) => response,
        Err(_) => error::in_lang(lang, ApiError::TimedOut).await,
    }
}

/// Counts each state-changing request of a signed-in person against their command budget
/// (shared with their sockets): past it, `429` with `Retry-After`. Signing out always works.
async fn person_writes(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    // Signing out always works; a mail gateway hands in what its mail server received.
    let exempt = path == "/logout" || path == "/api/logout" || path.starts_with("/api/mailboxes/");
    if changes_something(req.method()) && !exempt {
        let (mut parts, body) = req.into_parts();
        if let Some(viewer) = extract::asking_person(&mut parts, &state).await
            && let Err(err) = state.desk.person_may_act(viewer.id)
        {
            return ApiError::Service(err).into_response();
        }
        return next.run(Request::from_parts(parts, body)).await;
    }
    next.run(req).await
}

/// A page for an address that has none, in the language the browser asks for.
async fn not_found(State(state): State<AppState>, headers: axum::http::HeaderMap) -> Response {
    let lang = lang::request_lang(&headers, state.settings.language);
    let text = |key| app::i18n::text(lang, key, &[]);
    let back = format!("<a href=\"/\">{}</a>", text("back-home"));
    plain_page(
        lang,
        StatusCode::NOT_FOUND,
        &text("page-not-found-title"),
        &text("page-not-found"),
        &back,
    )
}

/// A page of its own, without the application: a title, a heading and a paragraph of HTML
/// (the caller's, escaped already), in `lang`.
fn plain_page(
    lang: Lang,
    status: StatusCode,
    title: &str,
    heading: &str,
    paragraph: &str,
) -> Response {
    let html = format!(
        "<!DOCTYPE html><html lang=\"{}\"><meta charset=\"utf-8\"><title>{title}</title>\
         <body style=\"font-family:system-ui;margin:4rem auto;max-width:32rem;padding:0 1rem\">\
         <h1>{heading}</h1><p>{paragraph}</p></body></html>",
        lang.code(),
    );
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        Body::from(html),
    )
        .into_response()
}

async fn api_not_found() -> ApiError {
    ApiError::NotFound
}

/// The JSON API under `/api`: every route and its handlers, in the one table that builds
/// the router and that a unit test holds against the OpenAPI document.
fn api_routes() -> Vec<(&'static str, MethodRouter<AppState>)> {
    vec![
        ("/login", post(api::login)),
        ("/logout", post(api::logout)),
        ("/me", get(api::me)),
        ("/departments", get(api::departments)),
        ("/tickets", get(api::list_tickets).post(api::start_ticket)),
        ("/tickets/{id}", get(api::ticket)),
        ("/tickets/{id}/messages", post(api::post_message)),
        ("/tickets/{id}/read", post(api::mark_read)),
        ("/tickets/{id}/answer-by", put(places::answer_by)),
        ("/places", get(places::places)),
        ("/member-profiles/{id}", get(workspace::profile)),
        ("/member-profiles/{id}/comment", put(workspace::comment)),
        ("/tickets/{id}/take", post(api::take)),
        ("/tickets/{id}/release", post(api::release)),
        ("/tickets/{id}/archive", post(api::archive)),
        ("/tickets/{id}/transfer", post(api::transfer)),
        ("/tickets/{id}/rate", post(api::rate)),
        ("/tickets/{id}/messages/{seq}", patch(api::edit_message)),
        ("/tickets/{id}/parameters", put(api::save_parameters)),
        ("/tickets/{id}/split", post(api::split)),
        ("/tickets/{id}/diagnostics", post(workspace::diagnose)),
        ("/tickets/{id}/assign", post(api::assign)),
        ("/tickets/{id}/follow", put(api::follow)),
        (
            "/tickets/{id}/drafts",
            get(drafts::drafts).put(drafts::save_draft),
        ),
        ("/notifications", get(api::notifications)),
        ("/notifications/read", post(api::read_notifications)),
        ("/me/preferences", put(api::set_preferences)),
        ("/me/language", put(api::set_language)),
        ("/me/password", put(api::change_password)),
        ("/tokens", get(tokens::list).post(tokens::make)),
        ("/tokens/{id}", delete(tokens::revoke)),
        ("/admin", get(api::admin_state).post(api::administer)),
        ("/search", get(api::search)),
        ("/stats", get(stats::figures)),
        ("/stats/{table}", get(stats::csv)),
        (
            "/uploads",
            post(files::upload).layer(DefaultBodyLimit::disable()),
        ),
        ("/uploads/{id}", delete(files::cancel)),
        (
            "/mailboxes/{name}/mail",
            post(mail::take_mail).layer(DefaultBodyLimit::disable()),
        ),
        ("/incoming", get(mail::incoming)),
        ("/incoming/{id}", delete(mail::delete_mail)),
        ("/incoming/{id}/ticket", post(mail::ticket_from_mail)),
        ("/incoming/{id}/attach", post(mail::attach_mail)),
        ("/incoming/{id}/spam", post(mail::mark_spam)),
        ("/incoming/{id}/not-spam", post(mail::mark_not_spam)),
        ("/mails/{id}", get(mail::mail_view)),
        ("/mails/{id}/html", get(mail::mail_html)),
        ("/mails/{id}/pictures/{n}", get(mail::mail_picture)),
        ("/mails/{id}/spam", post(mail::judge_spam)),
        ("/mails/{id}/not-spam", post(mail::judge_not_spam)),
        ("/members", get(accounts::list_members)),
        (
            "/members/{external_id}",
            get(accounts::get_member).put(accounts::put_member),
        ),
        (
            "/members/{external_id}/cards/{number}",
            put(accounts::put_card),
        ),
        (
            "/members/{external_id}/subscriptions",
            put(accounts::put_subscriptions),
        ),
        (
            "/members/{external_id}/purchases",
            get(accounts::list_purchases),
        ),
        (
            "/members/{external_id}/services/{id}",
            put(accounts::put_service).delete(accounts::delete_service),
        ),
        (
            "/members/{external_id}/purchases/{id}",
            put(accounts::put_purchase),
        ),
        ("/calls", get(calls::list)),
        ("/calls/events", post(calls::report)),
        ("/calls/{id}/card", get(calls::card)),
        ("/calls/{id}/end", post(calls::end)),
        ("/calls/{id}/account", post(calls::change_account)),
        ("/callbacks", get(calls::callbacks)),
        ("/callbacks/{id}/accept", post(calls::accept_callback)),
        ("/callbacks/{id}/outcome", post(calls::callback_outcome)),
        ("/files/{id}", get(files::download)),
        ("/files/{id}/preview", get(files::preview)),
        ("/openapi.json", get(openapi::openapi)),
    ]
}

/// The whole application.
pub fn router(state: AppState) -> Router {
    let settings = state.settings.clone();
    let sessions = SessionManagerLayer::new(state.desk.sessions())
        .with_name("switchboard_session")
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(settings.secure_cookies)
        .with_expiry(Expiry::OnInactivity(time::Duration::days(
            settings.session_days,
        )));

    let api = api_routes()
        .into_iter()
        .fold(Router::new(), |router, (path, handlers)| {
            router.route(path, handlers)
        })
        .fallback(api_not_found);

    let pkg = bundle(&settings, &state.leptos);

    Router::new()
        .route("/ws", get(socket::upgrade))
        .route("/", get(pages::home))
        .route("/login", post(pages::login_form))
        .route("/logout", post(pages::logout_form))
        .route("/password", post(pages::password_form))
        .route("/signup", post(pages::signup_form))
        .route("/signup/confirm/{token}", get(pages::confirm_sign_up))
        .route("/tokens", post(tokens::make_form))
        .route("/tokens/{id}/revoke", post(tokens::revoke_form))
        .route("/incoming/{id}/{action}", post(mail::sort_form))
        .route(
            "/mail/of/{ticket}/{client_msg_id}",
            get(mail::mail_of_message),
        )
        .route("/mail/{id}/{verdict}", post(mail::judge_form))
        .route("/widget/{site}", post(widget::open))
        .nest("/api", api)
        .merge(pages::routes(&state))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            widget::frame_rules,
        ))
        .layer(middleware::from_fn_with_state(state.clone(), person_writes))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            same_origin_writes,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            error::with_request_lang,
        ))
        .layer(sessions)
        // Outside the sessions: a session read or saved on a stalled database is bounded too.
        .layer(middleware::from_fn_with_state(state.clone(), deadline))
        // Added after the session layer: assets and health checks never touch the sessions.
        .route("/health", get(api::health))
        .route("/ready", get(metrics::ready))
        .route("/metrics", get(metrics::guarded))
        .route("/widget.js", get(widget::script))
        .route("/favicon.svg", get(favicon))
        .nest_service("/pkg", pkg)
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(limits::MAX_HTTP_BODY_BYTES))
        .layer(CompressionLayer::new().compress_when(compressible))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(middleware::from_fn(widget::deny_framing))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request| {
            let path = req
                .extensions()
                .get::<MatchedPath>()
                .map_or_else(|| req.uri().path().to_owned(), |p| p.as_str().to_owned());
            info_span!("request", method = %req.method(), path)
        }))
        .with_state(state)
}

/// The browser bundle under `/pkg/`: by its version (`/pkg/<version>/…`, what pages link
/// to) cached for good, as the name changes with the content; by its bare name revalidated
/// each time. A browser that takes gzip gets the copy the build compressed.
fn bundle(settings: &crate::config::Settings, leptos: &leptos::config::LeptosOptions) -> Router {
    let dir = settings.site_dir().join("pkg");
    let files = || ServeDir::new(&dir).precompressed_gzip();
    let fresh = Router::new()
        .fallback_service(files())
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ));
    // The version read at start-up, which the pages link.
    match leptos.site_pkg_dir.strip_prefix("pkg/") {
        Some(version) => fresh.nest_service(
            &format!("/{version}"),
            Router::new()
                .fallback_service(files())
                .layer(SetResponseHeaderLayer::overriding(
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("public, max-age=31536000, immutable"),
                )),
        ),
        None => fresh,
    }
}

/// Whether a response is worth compressing on the way out: pages, JSON, scripts, styles and
/// text of some size. Files people uploaded and the precompressed bundle go as they are.
fn compressible(
    _: StatusCode,
    _: axum::http::Version,
    headers: &axum::http::HeaderMap,
    _: &axum::http::Extensions,
) -> bool {
    let Some(kind) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let big = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        .is_none_or(|n| n >= 512);
    let text = [
        "text/html",
        "application/json",
        "text/css",
        "text/javascript",
        "application/javascript",
        "image/svg+xml",
    ]
    .iter()
    .any(|t| kind.starts_with(t));
    // Attachments are sent as downloads, whatever their type.
    let download = headers.contains_key(header::CONTENT_DISPOSITION);
    big && text && !download
}

/// `GET /favicon.svg`: the desk's icon (pages draw the count of what waits onto it).
async fn favicon() -> Response {
    (
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        include_str!("../../../style/favicon.svg"),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use utoipa::OpenApi;

    #[test]
    fn every_route_is_documented_and_every_documented_path_is_routed() {
        let mut routed: BTreeSet<String> = super::api_routes()
            .into_iter()
            .map(|(path, _)| format!("/api{path}"))
            .collect();
        // Outside `/api`, beside the pages and the socket.
        routed.insert("/health".into());
        routed.insert("/ready".into());
        let documented: BTreeSet<String> = super::openapi::ApiDoc::openapi()
            .paths
            .paths
            .into_keys()
            .collect();
        assert_eq!(
            routed.difference(&documented).collect::<Vec<_>>(),
            Vec::<&String>::new(),
            "routed but not documented"
        );
        assert_eq!(
            documented.difference(&routed).collect::<Vec<_>>(),
            Vec::<&String>::new(),
            "documented but not routed"
        );
    }
}
