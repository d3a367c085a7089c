//! The call centre over HTTP: the telephony system reports calls (an administrator's API
//! token), agents read their calls and a caller's card and end calls with a reason.

use app::protocol::{
    AccountChangeRequest, AccountChanged, CallCard, CallEnd, CallReport, CallTaken, Callback,
    CallbackResult, Callbacks, Calls, ErrorBody, Written,
};
use axum::{Json, extract::State};

use super::{ApiJson, ApiPath, ApiResult, AuthUser};
use crate::state::AppState;

/// `POST /api/calls/events`: one event of a call (`ring`, `answer`, `hangup`, `abandon`);
/// the same (call id, event) again changes nothing (`duplicate`).
#[utoipa::path(post, path = "/api/calls/events", request_body = CallReport, responses(
    (status = 200, body = CallTaken), (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody, description = "not an administrator"),
    (status = 422, body = ErrorBody, description = "a value refused, by field; an unknown agent extension")))]
pub async fn report(
    State(state): State<AppState>,
    AuthUser(viewer): AuthUser,
    ApiJson(report): ApiJson<CallReport>,
) -> ApiResult<Json<CallTaken>> {
    Ok(Json(state.desk.report_call(&viewer, report).await?))
}

/// `GET /api/calls`: calls ringing that this agent may answer, and their own calls not yet
/// ended with a reason, oldest first.
#[utoipa::path(get, path = "/api/calls", responses(
    (status = 200, body = Calls), (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody, description = "not a call-centre agent")))]
pub async fn list(
    State(state): State<AppState>,
    AuthUser(viewer): AuthUser,
) -> ApiResult<Json<Calls>> {
    Ok(Json(state.desk.calls(&viewer).await?))
}

/// `GET /api/calls/{id}/card`: the caller's card for a call on this agent's screen.
#[utoipa::path(get, path = "/api/calls/{id}/card", params(("id" = String, Path)), responses(
    (status = 200, body = CallCard), (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn card(
    State(state): State<AppState>,
    AuthUser(viewer): AuthUser,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<CallCard>> {
    Ok(Json(state.desk.call_card(&viewer, &id).await?))
}

/// `POST /api/calls/{id}/end`: the agent who answered ends the call with a reason; its
/// request is closed, or sent to `queue_id`. Again with the same reason: `duplicate`.
#[utoipa::path(post, path = "/api/calls/{id}/end", params(("id" = String, Path)),
    request_body = CallEnd, responses(
    (status = 200, body = Written), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
    (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "not this agent's call, not answered, or ended with another reason"),
    (status = 422, body = ErrorBody)))]
pub async fn end(
    State(state): State<AppState>,
    AuthUser(viewer): AuthUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(end): ApiJson<CallEnd>,
) -> ApiResult<Json<Written>> {
    Ok(Json(state.desk.end_call(&viewer, &id, end).await?))
}

/// `POST /api/calls/{id}/account`: the agent on the call changes the caller's account — details,
/// contacts, a card blocked or unblocked, a subscription — written in the call's request and
/// the member's history; the same `client_msg_id` again changes nothing.
#[utoipa::path(post, path = "/api/calls/{id}/account", params(("id" = String, Path)),
    request_body = AccountChangeRequest, responses(
    (status = 200, body = AccountChanged), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
    (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "not this agent's call, or ended"),
    (status = 422, body = ErrorBody, description = "a value refused, by field; an email or phone another member holds (`invalid-held-by`, naming them)")))]
pub async fn change_account(
    State(state): State<AppState>,
    AuthUser(viewer): AuthUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(request): ApiJson<AccountChangeRequest>,
) -> ApiResult<Json<AccountChanged>> {
    Ok(Json(
        state
            .desk
            .change_account(&viewer, &id, &request.client_msg_id, request.change)
            .await?,
    ))
}

/// `GET /api/callbacks`: the callback offered to this agent (or the one they are making), and
/// how many callers wait to be called back.
#[utoipa::path(get, path = "/api/callbacks", responses(
    (status = 200, body = Callbacks), (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody, description = "not a call-centre agent")))]
pub async fn callbacks(
    State(state): State<AppState>,
    AuthUser(viewer): AuthUser,
) -> ApiResult<Json<Callbacks>> {
    let calls = state.desk.calls(&viewer).await?;
    Ok(Json(Callbacks {
        mine: calls.callbacks,
        waiting: calls.callbacks_waiting,
    }))
}

/// `POST /api/callbacks/{id}/accept`: the agent takes the callback offered to them; the
/// telephony system is asked to dial (`dialed`), else they dial `number` themselves.
#[utoipa::path(post, path = "/api/callbacks/{id}/accept", params(("id" = i64, Path)), responses(
    (status = 200, body = Callback), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
    (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "not offered to this agent, or taken back")))]
pub async fn accept_callback(
    State(state): State<AppState>,
    AuthUser(viewer): AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Callback>> {
    Ok(Json(state.desk.accept_callback(&viewer, id).await?))
}

/// `POST /api/callbacks/{id}/outcome`: how calling back went.
#[utoipa::path(post, path = "/api/callbacks/{id}/outcome", params(("id" = i64, Path)),
    request_body = CallbackResult, responses(
    (status = 200, body = Callback), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
    (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "not this agent's callback, or not being made")))]
pub async fn callback_outcome(
    State(state): State<AppState>,
    AuthUser(viewer): AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(result): ApiJson<CallbackResult>,
) -> ApiResult<Json<Callback>> {
    Ok(Json(
        state
            .desk
            .record_callback(&viewer, id, result.outcome)
            .await?,
    ))
}
