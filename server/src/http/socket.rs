//! `GET /ws`: the upgrade to a WebSocket, for a signed-in person from an allowed Origin;
//! the socket itself is `ws`'s.

use axum::{
    extract::{
        State,
        ws::{WebSocketUpgrade, rejection::WebSocketUpgradeRejection},
    },
    http::HeaderMap,
    response::{IntoResponse, Response},
};
use tower_sessions::Session;
use tracing::{Instrument, info_span};

use super::{ApiError, extract::Asking};
use crate::{auth, state::AppState, ws};

/// Upgrades a signed-in browser (or client) from an allowed Origin; refuses anything else with
/// a JSON error, like every other route.
pub async fn upgrade(
    State(state): State<AppState>,
    headers: HeaderMap,
    session: Session,
    asking: Result<Asking, ApiError>,
    upgrade: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Result<Response, ApiError> {
    let upgrade = upgrade.map_err(|rejection| ApiError::Malformed(rejection.body_text()))?;
    if auth::origin_matches(&headers, &state.settings) != Some(true) {
        return Err(ApiError::Forbidden("error-origin"));
    }
    let Asking { viewer, widget } = asking?;
    // A widget's socket ends with its widget session; any other with the browser's.
    let session_id = match widget {
        Some(widget) => Some(widget.id),
        None => session.id().map(|id| id.to_string()),
    };
    let (Some(viewer), Some(session_id)) = (viewer, session_id) else {
        return Err(ApiError::Unauthorized);
    };
    let span = info_span!("socket", user_id = %viewer.id, role = viewer.role.as_str());
    let lang = super::lang::request_lang(&headers, state.settings.language);
    let socket = ws::Socket {
        state,
        viewer,
        session_id,
        lang,
    };
    Ok(ws::configure(upgrade)
        .on_upgrade(move |stream| socket.run(stream).instrument(span))
        .into_response())
}
