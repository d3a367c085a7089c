//! Drafts over HTTP: what one is writing in a ticket, kept on the server until sent.

use app::protocol::{DraftRequest, Drafts, ErrorBody, TicketId};
use axum::{Json, extract::State, http::StatusCode};

use super::{ApiError, ApiJson, ApiPath, AuthUser};
use crate::state::AppState;

/// `GET /api/tickets/{id}/drafts`: one's own drafts in a ticket one may see.
#[utoipa::path(get, path = "/api/tickets/{id}/drafts", params(("id" = i64, Path)), responses(
    (status = 200, body = Drafts), (status = 401, body = ErrorBody),
    (status = 404, body = ErrorBody)))]
pub async fn drafts(
    State(state): State<AppState>,
    AuthUser(viewer): AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Drafts>, ApiError> {
    Ok(Json(state.desk.drafts(&viewer, TicketId(id)).await?))
}

/// `PUT /api/tickets/{id}/drafts`: keeps a draft (a reply's, or — staff — a hidden note's);
/// an empty or blank body forgets it. Sending the message forgets it too.
#[utoipa::path(put, path = "/api/tickets/{id}/drafts", params(("id" = i64, Path)),
    request_body = DraftRequest, responses(
    (status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody,
    description = "a member's note"), (status = 404, body = ErrorBody),
    (status = 422, body = ErrorBody, description = "`body` longer than a message may be")))]
pub async fn save_draft(
    State(state): State<AppState>,
    AuthUser(viewer): AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<DraftRequest>,
) -> Result<StatusCode, ApiError> {
    state
        .desk
        .save_draft(&viewer, TicketId(id), req.note, &req.body)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
