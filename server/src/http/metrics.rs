//! The desk reporting on itself: `/ready` for load balancers and orchestrators, `/metrics`
//! for Prometheus (behind a token, or on an address of its own).

use std::net::SocketAddr;

use app::protocol::Readiness;
use axum::{
    Json, Router,
    extract::State,
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
    routing::get,
};
use tokio::net::TcpListener;
use tracing::{info, warn};

use crate::state::AppState;

/// `GET /ready`: `200` when the database answers, its schema is this build's and the file
/// store takes a file; `503` otherwise, saying which is missing.
#[utoipa::path(get, path = "/ready", responses(
    (status = 200, body = Readiness), (status = 503, body = Readiness)))]
pub async fn ready(State(state): State<AppState>) -> Response {
    let readiness = state.desk.readiness(&state.files).await;
    let status = if readiness.ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, Json(readiness)).into_response()
}

/// `GET /metrics` on the desk's own address: the metrics page for whoever shows the metrics
/// token (`Authorization: Bearer …`); `404` when no token is set, `401` for a wrong one.
pub async fn guarded(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some(token) = &state.settings.metrics_token else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let shown = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    if !same(shown.as_bytes(), token.expose().as_bytes()) {
        return (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"))],
        )
            .into_response();
    }
    page(&state).await
}

/// The metrics page, as the Prometheus text format names its type.
async fn page(state: &AppState) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
        )],
        state.desk.metrics_page().await,
    )
        .into_response()
}

/// Compares in time that does not depend on where the bytes differ.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |diff, (x, y)| diff | (x ^ y)) == 0
}

/// Serves `/metrics` (and nothing else, without a token) on `addr`, until the task is
/// stopped.
pub async fn serve_apart(addr: SocketAddr, state: AppState) {
    let listener = match TcpListener::bind(addr).await {
        Ok(listener) => listener,
        Err(err) => {
            warn!(%addr, error = %err, "cannot listen for metrics");
            return;
        }
    };
    info!(%addr, "serving metrics");
    let app = Router::new()
        .route(
            "/metrics",
            get(|State(state): State<AppState>| async move { page(&state).await }),
        )
        .with_state(state);
    if let Err(err) = axum::serve(listener, app).await {
        warn!(error = %err, "the metrics listener stopped");
    }
}
