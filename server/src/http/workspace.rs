//! What staff know about a member beside a ticket: the profile and its internal comment.

use app::protocol::{
    CommentRequest, Diagnosis, DiagnosisRequest, ErrorBody, MemberProfile, TicketId, UserId,
};
use axum::{
    Json,
    extract::State,
    http::{HeaderMap, StatusCode},
};

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

/// `POST /api/tickets/{id}/diagnostics`: a DNS lookup (`{"kind":"dns","domain":"shop.example",
/// "record":"MX"}`) or a Whois query (`{"kind":"whois","domain":"shop.example"}`) from the
/// ticket, for staff who may see it (`404` for anyone else, members included). A lookup that
/// finds nothing answers `200` with `failed` and why; `422` for something that is not a
/// domain name.
#[utoipa::path(post, path = "/api/tickets/{id}/diagnostics", params(("id" = i64, Path)),
    request_body = DiagnosisRequest, responses((status = 200, body = Diagnosis),
    (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
    (status = 422, body = ErrorBody)))]
pub async fn diagnose(
    State(state): State<AppState>,
    AuthUser(viewer): AuthUser,
    ApiPath(id): ApiPath<i64>,
    headers: HeaderMap,
    ApiJson(req): ApiJson<DiagnosisRequest>,
) -> ApiResult<Json<Diagnosis>> {
    let lang = super::lang::reader_lang(&state, &viewer, &headers).await;
    Ok(Json(
        state
            .desk
            .diagnose(&viewer, TicketId(id), &req, lang)
            .await?,
    ))
}
