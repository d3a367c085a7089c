//! HTTP: the JSON API under `/api/`, the login and logout forms, the server-rendered pages,
//! the browser bundle under `/pkg/`, `/health`, and the socket at `/ws`.

mod api;
mod error;
mod files;
mod pages;

use std::sync::Arc;

use axum::{
    Router,
    body::Body,
    extract::{
        DefaultBodyLimit, FromRef, FromRequest, FromRequestParts, MatchedPath, Request, State,
    },
    http::{HeaderValue, Method, StatusCode, header},
    middleware::{self, Next},
    response::{IntoResponse, Response},
    routing::{delete, get, patch, post, put},
};
use leptos::config::LeptosOptions;
use tower_http::{services::ServeDir, set_header::SetResponseHeaderLayer, trace::TraceLayer};
use tower_sessions::{Expiry, Session, SessionManagerLayer, cookie::SameSite};
use tracing::info_span;

pub use error::ApiError;

use crate::{
    auth::{self, StoreSessions},
    config::Settings,
    domain::Viewer,
    service::Desk,
    store,
};
use app::protocol::limits;

/// Everything a request handler can reach; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub desk: Desk,
    pub files: crate::files::Files,
    pub settings: Arc<Settings>,
    pub leptos: LeptosOptions,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos.clone()
    }
}

/// A JSON body; a malformed or oversized one becomes an [`ApiError`] with a JSON body.
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct ApiJson<T>(pub T);

/// A path parameter; a malformed one becomes an [`ApiError`].
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct ApiPath<T>(pub T);

/// A query string; a malformed one becomes an [`ApiError`].
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct ApiQuery<T>(pub T);

/// The signed-in person; requests without a valid session are refused with 401.
pub struct AuthUser(pub Viewer);

impl FromRequestParts<AppState> for AuthUser {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let session = Session::from_request_parts(parts, state)
            .await
            .map_err(|_| ApiError::Unauthorized)?;
        let user = auth::signed_in(&session)
            .await?
            .ok_or(ApiError::Unauthorized)?;
        match state.desk.store.viewer(user).await {
            Ok(viewer) => Ok(AuthUser(viewer)),
            Err(store::Error::NotFound) => Err(ApiError::Unauthorized),
            Err(err) => Err(err.into()),
        }
    }
}

/// Refuses state-changing requests sent by another site's page. Browsers send `Origin` with
/// every such request; a client without one (curl, the load generator) is not a browser
/// carrying someone's cookie, and the cookie is `SameSite=Lax` besides.
async fn same_origin_writes(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let cross_site = req
        .headers()
        .get("sec-fetch-site")
        .is_some_and(|v| v == "cross-site");
    if !safe && (cross_site || auth::origin_matches(req.headers(), &state.settings) == Some(false))
    {
        return ApiError::Forbidden("cross-origin requests are not allowed").into_response();
    }
    next.run(req).await
}

async fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        Body::from(
            "<!DOCTYPE html><html lang=\"en\"><meta charset=\"utf-8\"><title>Not found · Switchboard</title>\
             <body style=\"font-family:system-ui;margin:4rem auto;max-width:32rem\">\
             <h1>Page not found</h1><p><a href=\"/\">Back to Switchboard</a></p></body></html>",
        ),
    )
        .into_response()
}

async fn api_not_found() -> ApiError {
    ApiError::NotFound
}

/// The whole application.
pub fn router(state: AppState) -> Router {
    let settings = state.settings.clone();
    let sessions = SessionManagerLayer::new(StoreSessions::new(state.desk.store.clone()))
        .with_name("switchboard_session")
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(settings.secure_cookies)
        .with_expiry(Expiry::OnInactivity(time::Duration::days(
            settings.session_days,
        )));

    let api = Router::new()
        .route("/login", post(api::login))
        .route("/logout", post(api::logout))
        .route("/me", get(api::me))
        .route("/departments", get(api::departments))
        .route("/tickets", get(api::list_tickets).post(api::start_ticket))
        .route("/tickets/{id}", get(api::ticket))
        .route("/tickets/{id}/messages", post(api::post_message))
        .route("/tickets/{id}/read", post(api::mark_read))
        .route("/tickets/{id}/take", post(api::take))
        .route("/tickets/{id}/release", post(api::release))
        .route("/tickets/{id}/archive", post(api::archive))
        .route("/tickets/{id}/transfer", post(api::transfer))
        .route("/tickets/{id}/rate", post(api::rate))
        .route("/tickets/{id}/messages/{seq}", patch(api::edit_message))
        .route("/tickets/{id}/parameters", put(api::save_parameters))
        .route("/tickets/{id}/split", post(api::split))
        .route("/tickets/{id}/assign", post(api::assign))
        .route("/tickets/{id}/follow", put(api::follow))
        .route("/notifications", get(api::notifications))
        .route("/notifications/read", post(api::read_notifications))
        .route("/me/preferences", put(api::set_preferences))
        .route("/admin", get(api::admin_state).post(api::administer))
        .route("/search", get(api::search))
        .route(
            "/uploads",
            post(files::upload).layer(DefaultBodyLimit::disable()),
        )
        .route("/uploads/{id}", delete(files::cancel))
        .route("/files/{id}", get(files::download))
        .route("/files/{id}/preview", get(files::preview))
        .route("/openapi.json", get(api::openapi))
        .fallback(api_not_found);

    let pkg = ServeDir::new(settings.site_dir().join("pkg"));
    let pkg = Router::new()
        .fallback_service(pkg)
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ));

    Router::new()
        .route("/ws", get(crate::ws::upgrade))
        .route("/", get(pages::home))
        .route("/login", post(pages::login_form))
        .route("/logout", post(pages::logout_form))
        .nest("/api", api)
        .merge(pages::routes(&state))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            same_origin_writes,
        ))
        .layer(sessions)
        // Added after the session layer: assets and health checks never touch the sessions.
        .route("/health", get(api::health))
        .nest_service("/pkg", pkg)
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(limits::MAX_HTTP_BODY_BYTES))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request| {
            let path = req
                .extensions()
                .get::<MatchedPath>()
                .map_or_else(|| req.uri().path().to_owned(), |p| p.as_str().to_owned());
            info_span!("request", method = %req.method(), path)
        }))
        .with_state(state)
}
