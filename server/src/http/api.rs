//! The JSON API handlers. Each is a thin adapter over a `service` use case.

use app::protocol::{
    AdminAction, AdminState, AssignRequest, Department, EditRequest, ErrorBody, FollowRequest,
    Health, LanguageRequest, LoginRequest, MarkReadRequest, Me, NewMessageRequest,
    NewTicketRequest, Notifications, ParametersRequest, PasswordRequest, Preferences, RateRequest,
    ReadNotificationsRequest, SearchResults, Seq, SplitRequest, TicketDetail, TicketFilter,
    TicketId, TicketSummary, TransferRequest, Written,
};
use axum::{
    Json,
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use serde::Deserialize;
use tower_sessions::Session;

use super::{
    ApiError, ApiJson, ApiPath, ApiQuery, ApiResult, AuthUser, ClientAddr, extract::SessionUser,
};
use crate::{auth, domain, state::AppState};

/// `GET /health`: 200 when the database answers, 503 when it does not.
#[utoipa::path(get, path = "/health", responses(
    (status = 200, body = Health), (status = 503, body = Health)))]
pub async fn health(State(state): State<AppState>) -> Response {
    let database = state.desk.healthy().await;
    let status = if database {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let body = Health {
        version: env!("CARGO_PKG_VERSION").into(),
        database,
    };
    (status, Json(body)).into_response()
}

/// `POST /api/login`: signs in and sets the session cookie.
///
/// Wrong passwords make the next attempt for that account and address wait (`429` with
/// `Retry-After`, the password not checked); too many sign-ins at once are refused with `503`
/// and `Retry-After`.
#[utoipa::path(post, path = "/api/login", request_body = LoginRequest, responses(
    (status = 200, body = Me), (status = 401, body = ErrorBody), (status = 429, body = ErrorBody),
    (status = 503, body = ErrorBody)))]
pub async fn login(
    State(state): State<AppState>,
    ClientAddr(address): ClientAddr,
    session: Session,
    ApiJson(req): ApiJson<LoginRequest>,
) -> ApiResult<Json<Me>> {
    let user = state
        .desk
        .sign_in(&req.email, &req.password, address)
        .await?
        .ok_or(ApiError::BadCredentials)?;
    auth::sign_in(&session, user).await?;
    let viewer = state
        .desk
        .viewer(user)
        .await?
        .ok_or(ApiError::Unauthorized)?;
    Ok(Json(state.desk.me(&viewer).await?))
}

/// `POST /api/logout`: ends the session; its open sockets, on every node, close before the
/// answer.
#[utoipa::path(post, path = "/api/logout", responses((status = 204)))]
pub async fn logout(State(state): State<AppState>, session: Session) -> ApiResult<StatusCode> {
    let (id, user) = (session.id(), auth::signed_in(&session).await?);
    auth::sign_out(&session).await?;
    if let (Some(user), Some(id)) = (user, id) {
        state.desk.signed_out(user, &id.to_string()).await;
    }
    Ok(StatusCode::NO_CONTENT)
}

/// `PUT /api/me/password`: changes the signed-in person's password. Every other session of
/// theirs ends, with its sockets; this one stays. Wrong current passwords count like wrong
/// sign-ins (`429` with `Retry-After` once they must wait).
#[utoipa::path(put, path = "/api/me/password", request_body = PasswordRequest, responses(
    (status = 204), (status = 401, body = ErrorBody),
    (status = 422, body = ErrorBody, description = "`current_password` wrong, or `password` too weak"),
    (status = 429, body = ErrorBody)))]
pub async fn change_password(
    State(state): State<AppState>,
    SessionUser(viewer): SessionUser,
    ClientAddr(address): ClientAddr,
    session: Session,
    ApiJson(req): ApiJson<PasswordRequest>,
) -> ApiResult<StatusCode> {
    let id = session.id().ok_or(ApiError::Unauthorized)?.to_string();
    state
        .desk
        .change_password(
            &viewer,
            &id,
            address,
            &req.current_password,
            &req.new_password,
        )
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /api/me`: the signed-in person.
#[utoipa::path(get, path = "/api/me", responses(
    (status = 200, body = Me), (status = 401, body = ErrorBody)))]
pub async fn me(State(state): State<AppState>, AuthUser(viewer): AuthUser) -> ApiResult<Json<Me>> {
    Ok(Json(state.desk.me(&viewer).await?))
}

/// `GET /api/departments`: the departments the signed-in person works or can write to.
#[utoipa::path(get, path = "/api/departments", responses(
    (status = 200, body = Vec<Department>), (status = 401, body = ErrorBody)))]
pub async fn departments(
    State(state): State<AppState>,
    AuthUser(viewer): AuthUser,
) -> ApiResult<Json<Vec<Department>>> {
    Ok(Json(state.desk.me(&viewer).await?.departments))
}

/// `GET /api/tickets`: a member's tickets (newest first), or staff's board as filtered
/// (by default the open queue, oldest first; other states newest first).
#[utoipa::path(get, path = "/api/tickets", params(TicketFilter), responses(
    (status = 200, body = Vec<TicketSummary>), (status = 400, body = ErrorBody),
    (status = 401, body = ErrorBody)))]
pub async fn list_tickets(
    State(state): State<AppState>,
    AuthUser(viewer): AuthUser,
    ApiQuery(filter): ApiQuery<TicketFilter>,
) -> ApiResult<Json<Vec<TicketSummary>>> {
    Ok(Json(state.desk.list(&viewer, &filter).await?))
}

/// `PUT /api/tickets/{id}/parameters`: staff save the subject and options.
#[utoipa::path(put, path = "/api/tickets/{id}/parameters", params(("id" = i64, Path)),
    request_body = ParametersRequest, responses(
    (status = 200, body = Written), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn save_parameters(
    State(state): State<AppState>,
    AuthUser(viewer): AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<ParametersRequest>,
) -> ApiResult<Json<Written>> {
    Ok(Json(
        state
            .desk
            .save_parameters(&viewer, TicketId(id), &req)
            .await?,
    ))
}

fn written(written: Written) -> Response {
    let status = if written.duplicate {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    (status, Json(written)).into_response()
}

/// `POST /api/tickets`: a member opens a conversation.
#[utoipa::path(post, path = "/api/tickets", request_body = NewTicketRequest, responses(
    (status = 201, body = Written, description = "stored"),
    (status = 200, body = Written, description = "already stored under this client_msg_id"),
    (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
    (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn start_ticket(
    State(state): State<AppState>,
    AuthUser(viewer): AuthUser,
    ApiJson(req): ApiJson<NewTicketRequest>,
) -> ApiResult<Response> {
    let done = state
        .desk
        .start_ticket(
            &viewer,
            req.department_id,
            &req.subject,
            crate::service::Post {
                client_msg_id: req.client_msg_id,
                body: &req.body,
                hidden: false,
                close: false,
                attachments: &req.attachments,
                seen: None,
                by_mail: None,
            },
            req.form.as_ref(),
        )
        .await?;
    Ok(written(done))
}

/// Query of `GET /api/tickets/{id}`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct SinceQuery {
    /// Return only events after this sequence number.
    #[serde(default)]
    since: Option<i64>,
}

/// `GET /api/tickets/{id}`: a ticket with its events (after `since`, at most 1000).
#[utoipa::path(get, path = "/api/tickets/{id}", params(("id" = i64, Path), SinceQuery), responses(
    (status = 200, body = TicketDetail), (status = 404, body = ErrorBody)))]
pub async fn ticket(
    State(state): State<AppState>,
    AuthUser(viewer): AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(query): ApiQuery<SinceQuery>,
) -> ApiResult<Json<TicketDetail>> {
    let record = state.desk.visible_ticket(&viewer, TicketId(id)).await?;
    let ticket = domain::summary_for(&viewer, &record).ok_or(ApiError::NotFound)?;
    let since = Seq(query.since.unwrap_or(0).max(0));
    let events = state
        .desk
        .events_after(&viewer, record.scope, since)
        .await?
        .iter()
        .filter_map(|e| domain::event_for(&viewer, e))
        .collect();
    Ok(Json(TicketDetail { ticket, events }))
}

/// `POST /api/tickets/{id}/messages`: posts a message.
#[utoipa::path(post, path = "/api/tickets/{id}/messages", params(("id" = i64, Path)),
    request_body = NewMessageRequest, responses(
    (status = 201, body = Written, description = "stored"),
    (status = 200, body = Written, description = "already stored under this client_msg_id"),
    (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
    (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn post_message(
    State(state): State<AppState>,
    AuthUser(viewer): AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<NewMessageRequest>,
) -> ApiResult<Response> {
    let post = crate::service::Post {
        client_msg_id: req.client_msg_id,
        body: &req.body,
        hidden: req.hidden,
        close: req.close,
        attachments: &req.attachments,
        seen: req.seen,
        by_mail: None,
    };
    let done = state.desk.post_message(&viewer, TicketId(id), post).await?;
    Ok(written(done))
}

/// `POST /api/tickets/{id}/take`: staff take (lock) a ticket.
#[utoipa::path(post, path = "/api/tickets/{id}/take", params(("id" = i64, Path)), responses(
    (status = 200, body = Written), (status = 404, body = ErrorBody),
    (status = 409, body = ErrorBody, description = "someone else holds it (code locked)")))]
pub async fn take(
    State(state): State<AppState>,
    AuthUser(viewer): AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Written>> {
    Ok(Json(state.desk.take(&viewer, TicketId(id)).await?))
}

/// `POST /api/tickets/{id}/release`: the holder or a moderator releases a ticket.
#[utoipa::path(post, path = "/api/tickets/{id}/release", params(("id" = i64, Path)), responses(
    (status = 200, body = Written), (status = 403, body = ErrorBody),
    (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn release(
    State(state): State<AppState>,
    AuthUser(viewer): AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Written>> {
    Ok(Json(state.desk.release(&viewer, TicketId(id)).await?))
}

/// `PATCH /api/tickets/{id}/messages/{seq}`: staff correct their own message or note.
#[utoipa::path(patch, path = "/api/tickets/{id}/messages/{seq}",
    params(("id" = i64, Path), ("seq" = i64, Path)), request_body = EditRequest, responses(
    (status = 200, body = Written), (status = 404, body = ErrorBody),
    (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn edit_message(
    State(state): State<AppState>,
    AuthUser(viewer): AuthUser,
    ApiPath((id, seq)): ApiPath<(i64, i64)>,
    ApiJson(req): ApiJson<EditRequest>,
) -> ApiResult<Json<Written>> {
    Ok(Json(
        state
            .desk
            .edit_message(&viewer, TicketId(id), Seq(seq), &req.body)
            .await?,
    ))
}

/// `POST /api/tickets/{id}/rate`: a member rates support's answer.
#[utoipa::path(post, path = "/api/tickets/{id}/rate", params(("id" = i64, Path)),
    request_body = RateRequest, responses(
    (status = 200, body = Written), (status = 404, body = ErrorBody),
    (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn rate(
    State(state): State<AppState>,
    AuthUser(viewer): AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<RateRequest>,
) -> ApiResult<Json<Written>> {
    Ok(Json(
        state.desk.rate(&viewer, TicketId(id), req.mark_id).await?,
    ))
}

/// `POST /api/tickets/{id}/transfer`: staff move a ticket to another department.
#[utoipa::path(post, path = "/api/tickets/{id}/transfer", params(("id" = i64, Path)),
    request_body = TransferRequest, responses(
    (status = 200, body = Written), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn transfer(
    State(state): State<AppState>,
    AuthUser(viewer): AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<TransferRequest>,
) -> ApiResult<Json<Written>> {
    Ok(Json(
        state
            .desk
            .transfer(&viewer, TicketId(id), req.department_id, req.seen)
            .await?,
    ))
}

/// `POST /api/tickets/{id}/archive`: a member archives a closed ticket.
#[utoipa::path(post, path = "/api/tickets/{id}/archive", params(("id" = i64, Path)), responses(
    (status = 200, body = Written), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn archive(
    State(state): State<AppState>,
    AuthUser(viewer): AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Written>> {
    Ok(Json(state.desk.archive(&viewer, TicketId(id)).await?))
}

/// `POST /api/tickets/{id}/read`: a member has read up to `seq`; staff have looked at the
/// ticket (their board no longer marks what its member wrote so far as new).
#[utoipa::path(post, path = "/api/tickets/{id}/read", params(("id" = i64, Path)),
    request_body = MarkReadRequest, responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn mark_read(
    State(state): State<AppState>,
    AuthUser(viewer): AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<MarkReadRequest>,
) -> ApiResult<StatusCode> {
    state.desk.mark_read(&viewer, TicketId(id), req.seq).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /api/tickets/{id}/split`: staff split a ticket from a message into a new ticket.
#[utoipa::path(post, path = "/api/tickets/{id}/split", params(("id" = i64, Path)),
    request_body = SplitRequest, responses(
    (status = 201, body = Written, description = "the new ticket"), (status = 403, body = ErrorBody),
    (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn split(
    State(state): State<AppState>,
    AuthUser(viewer): AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<SplitRequest>,
) -> ApiResult<Response> {
    let done = state
        .desk
        .split(&viewer, TicketId(id), req.seq, req.seen)
        .await?;
    Ok(written(done))
}

/// Query of `GET /api/search`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct SearchQuery {
    /// The words to find (any language); the last one also matches as a prefix.
    q: String,
}

/// `GET /api/search?q=…`: full-text search over the subjects and messages (and, for staff,
/// hidden notes) of the tickets the signed-in person may see; best matches first.
#[utoipa::path(get, path = "/api/search", params(SearchQuery), responses(
    (status = 200, body = SearchResults), (status = 401, body = ErrorBody),
    (status = 422, body = ErrorBody)))]
pub async fn search(
    State(state): State<AppState>,
    AuthUser(viewer): AuthUser,
    ApiQuery(query): ApiQuery<SearchQuery>,
) -> ApiResult<Json<SearchResults>> {
    let hits = state.desk.search(&viewer, &query.q).await?;
    Ok(Json(SearchResults {
        query: query.q,
        hits,
    }))
}

/// `POST /api/tickets/{id}/assign`: hand a ticket to a colleague (its holder, or a
/// moderator), who then holds and follows it.
#[utoipa::path(post, path = "/api/tickets/{id}/assign", params(("id" = i64, Path)),
    request_body = AssignRequest, responses(
    (status = 200, body = Written), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    (status = 409, body = ErrorBody, description = "someone else holds it (code locked)"),
    (status = 422, body = ErrorBody)))]
pub async fn assign(
    State(state): State<AppState>,
    AuthUser(viewer): AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<AssignRequest>,
) -> ApiResult<Json<Written>> {
    Ok(Json(
        state
            .desk
            .assign(&viewer, TicketId(id), req.user_id, req.seen)
            .await?,
    ))
}

/// `PUT /api/tickets/{id}/follow`: staff follow (or stop following) a ticket.
#[utoipa::path(put, path = "/api/tickets/{id}/follow", params(("id" = i64, Path)),
    request_body = FollowRequest, responses(
    (status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn follow(
    State(state): State<AppState>,
    AuthUser(viewer): AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<FollowRequest>,
) -> ApiResult<StatusCode> {
    state.desk.follow(&viewer, TicketId(id), req.follow).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /api/notifications`: staff's newest notifications, the unread count and the tickets
/// they follow.
#[utoipa::path(get, path = "/api/notifications", responses(
    (status = 200, body = Notifications), (status = 403, body = ErrorBody)))]
pub async fn notifications(
    State(state): State<AppState>,
    AuthUser(viewer): AuthUser,
) -> ApiResult<Json<Notifications>> {
    Ok(Json(state.desk.notifications(&viewer).await?))
}

/// `POST /api/notifications/read`: marks one ticket's notifications (or all) read.
#[utoipa::path(post, path = "/api/notifications/read", request_body = ReadNotificationsRequest,
    responses((status = 204), (status = 403, body = ErrorBody)))]
pub async fn read_notifications(
    State(state): State<AppState>,
    AuthUser(viewer): AuthUser,
    ApiJson(req): ApiJson<ReadNotificationsRequest>,
) -> ApiResult<StatusCode> {
    state
        .desk
        .read_notifications(&viewer, req.ticket_id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `PUT /api/me/preferences`: staff's preferences ("hide and don't notify" by default).
#[utoipa::path(put, path = "/api/me/preferences", request_body = Preferences, responses(
    (status = 204), (status = 403, body = ErrorBody)))]
pub async fn set_preferences(
    State(state): State<AppState>,
    AuthUser(viewer): AuthUser,
    ApiJson(req): ApiJson<Preferences>,
) -> ApiResult<StatusCode> {
    state.desk.set_preferences(&viewer, &req).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `PUT /api/me/language`: the language the signed-in person reads the desk in, kept for
/// their next sign-in anywhere; every screen of theirs switches.
#[utoipa::path(put, path = "/api/me/language", request_body = LanguageRequest, responses(
    (status = 204), (status = 401, body = ErrorBody)))]
pub async fn set_language(
    State(state): State<AppState>,
    AuthUser(viewer): AuthUser,
    ApiJson(req): ApiJson<LanguageRequest>,
) -> ApiResult<StatusCode> {
    state.desk.set_language(&viewer, req.language).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /api/admin`: the desk's configuration (administrators).
#[utoipa::path(get, path = "/api/admin", responses(
    (status = 200, body = AdminState), (status = 403, body = ErrorBody)))]
pub async fn admin_state(
    State(state): State<AppState>,
    AuthUser(viewer): AuthUser,
) -> ApiResult<Json<AdminState>> {
    Ok(Json(state.desk.admin_state(&viewer).await?))
}

/// `POST /api/admin`: one change of the configuration (administrators); the configuration
/// as it now stands.
#[utoipa::path(post, path = "/api/admin", request_body = AdminAction, responses(
    (status = 200, body = AdminState), (status = 403, body = ErrorBody),
    (status = 409, body = ErrorBody, description = "in use: the message says what to do instead"),
    (status = 422, body = ErrorBody)))]
pub async fn administer(
    State(state): State<AppState>,
    AuthUser(viewer): AuthUser,
    ApiJson(action): ApiJson<AdminAction>,
) -> ApiResult<Json<AdminState>> {
    Ok(Json(state.desk.administer(&viewer, action).await?))
}
