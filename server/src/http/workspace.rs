//! What staff know about a member beside a ticket: the profile and its internal comment.

use app::protocol::{CommentRequest, ErrorBody, MemberProfile, UserId};
use axum::{Json, extract::State, http::StatusCode};

use super::{ApiJson, ApiPath, ApiResult, AuthUser};
use crate::state::AppState;

/// `GET /api/member-profiles/{id}`: a member's details, staff's internal comment, services
/// and tickets (those the reader may see). Staff only; `404` for a member the reader may not
/// know about, and for every member asking.
#[utoipa::path(get, path = "/api/member-profiles/{id}", params(("id" = i64, Path)),
    responses((status = 200, body = MemberProfile), (status = 401, body = ErrorBody),
    (status = 404, body = ErrorBody)))]
pub async fn profile(
    State(state): State<AppState>,
    AuthUser(viewer): AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<MemberProfile>> {
    Ok(Json(state.desk.member_profile(&viewer, UserId(id)).await?))
}

/// `PUT /api/member-profiles/{id}/comment`: changes staff's internal comment about a member
/// (empty removes it). Never shown to the member.
#[utoipa::path(put, path = "/api/member-profiles/{id}/comment", params(("id" = i64, Path)),
    request_body = CommentRequest, responses((status = 204), (status = 401, body = ErrorBody),
    (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn comment(
    State(state): State<AppState>,
    AuthUser(viewer): AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<CommentRequest>,
) -> ApiResult<StatusCode> {
    state
        .desk
        .set_member_comment(&viewer, UserId(id), &req.comment)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
