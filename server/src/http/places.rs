//! Where members stand: their waiting tickets' places in line, and how a ticket is answered.

use app::protocol::{AnswerByRequest, ErrorBody, QueuePlace, TicketId};
use axum::{Json, extract::State, http::StatusCode};

use super::{ApiJson, ApiPath, ApiResult, AuthUser};
use crate::state::AppState;

/// `GET /api/places`: where the signed-in member's tickets waiting for a first answer stand
/// (staff: none). Live on the socket as `queue_places`.
#[utoipa::path(get, path = "/api/places", responses((status = 200, body = Vec<QueuePlace>),
    (status = 401, body = ErrorBody)))]
pub async fn places(
    State(state): State<AppState>,
    AuthUser(viewer): AuthUser,
) -> ApiResult<Json<Vec<QueuePlace>>> {
    Ok(Json(state.desk.queue_places(&viewer).await?))
}

/// `PUT /api/tickets/{id}/answer-by`: the ticket's member chooses how it is answered
/// (`email`: every answer by mail as well, at once).
#[utoipa::path(put, path = "/api/tickets/{id}/answer-by", params(("id" = i64, Path)),
    request_body = AnswerByRequest, responses((status = 204), (status = 403, body = ErrorBody),
    (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn answer_by(
    State(state): State<AppState>,
    AuthUser(viewer): AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<AnswerByRequest>,
) -> ApiResult<StatusCode> {
    state
        .desk
        .set_answer_by(&viewer, TicketId(id), req.answer_by)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
