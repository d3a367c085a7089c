//! Mail over HTTP: a mail gateway (`switchboard ingest-email`, or any program with an
//! administrator's API token) hands in raw mail, and staff list Incoming messages.

use app::protocol::{ErrorBody, IncomingMail, MailTaken, Role};
use axum::{
    Json,
    body::{Body, Bytes},
    extract::State,
};
use futures_util::stream;

use super::{ApiError, ApiPath, AuthUser};
use crate::{domain, state::AppState};

/// `POST /api/mailboxes/{name}/mail`: one raw mail (`message/rfc822`), handed in through
/// mailbox `name` by an administrator (in practice their API token in a mail gateway). Its
/// raw bytes are kept in the file store first, so that nothing is lost whatever becomes of
/// it; the answer says where it went.
#[utoipa::path(post, path = "/api/mailboxes/{name}/mail", params(("name" = String, Path)),
    request_body(content = String, content_type = "message/rfc822"), responses(
    (status = 200, body = MailTaken), (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody), (status = 413, body = ErrorBody),
    (status = 422, body = ErrorBody, description = "no mailbox of that name")))]
pub async fn take_mail(
    State(state): State<AppState>,
    AuthUser(viewer): AuthUser,
    ApiPath(name): ApiPath<String>,
    body: Body,
) -> Result<Json<MailTaken>, ApiError> {
    if viewer.role != Role::Administrator {
        return Err(ApiError::Service(domain::Error::AdministratorsOnly.into()));
    }
    let max = state.settings.max_mail_bytes;
    let raw = axum::body::to_bytes(body, usize::try_from(max).unwrap_or(usize::MAX))
        .await
        .map_err(|_| ApiError::TooLarge)?;
    let mut chunks = stream::iter([Ok::<Bytes, std::convert::Infallible>(raw.clone())]);
    let kept = state.files.put(&mut chunks, max, |_| true).await?;
    let taken = state
        .desk
        .take_mail(&viewer, &name, &raw, Some(&kept.id))
        .await;
    if taken.is_err() {
        // Refused before it was taken in (no such mailbox, the database down): the gateway
        // keeps it and tries again, so the copy here is not needed.
        let _ = state.files.delete(&kept.id).await;
    }
    Ok(Json(taken?))
}

/// `GET /api/incoming`: mail waiting in Incoming messages that the asker may read — staff
/// of the mailboxes' departments, moderators and administrators all — newest first.
#[utoipa::path(get, path = "/api/incoming", responses(
    (status = 200, body = Vec<IncomingMail>), (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody, description = "members")))]
pub async fn incoming(
    State(state): State<AppState>,
    AuthUser(viewer): AuthUser,
) -> Result<Json<Vec<IncomingMail>>, ApiError> {
    Ok(Json(state.desk.incoming(&viewer).await?))
}
