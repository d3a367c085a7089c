//! Mail over HTTP: a mail gateway (`switchboard ingest-email`, or any program with an
//! administrator's API token) hands in raw mail, staff list Incoming messages, and staff
//! read a mail as it came, made safe.

use app::protocol::{
    AttachMailRequest, ClientMsgId, DepartmentId, ErrorBody, IncomingMail, MailTaken,
    MailTicketRequest, MailView, Role, TicketId, Written,
};
use axum::{
    Form, Json,
    body::{Body, Bytes},
    extract::{Path, Query, State, rejection::FormRejection},
    http::{StatusCode, header},
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;

use super::{ApiError, ApiJson, ApiPath, AuthUser, error::form_refusal};
use crate::{domain, mail::show::Remote, state::AppState};

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
    let raw = read_bounded(body, state.settings.max_mail_bytes).await?;
    Ok(Json(
        state
            .desk
            .hand_in_mail(&viewer, &state.files, &name, raw)
            .await?,
    ))
}

/// How much of a mail past the limit is still read (and dropped) so that the sender hears
/// `413` rather than a connection cut under it.
const DRAIN_BYTES: u64 = 8 * 1024 * 1024;

/// The whole body, or `413` once it passes `max` bytes (the rest read and dropped up to
/// [`DRAIN_BYTES`] more).
async fn read_bounded(body: Body, max: u64) -> Result<Bytes, ApiError> {
    use futures_util::StreamExt;
    let mut stream = body.into_data_stream();
    let mut kept = Vec::new();
    let mut read = 0u64;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| ApiError::Malformed(e.to_string()))?;
        read += chunk.len() as u64;
        if read > max {
            while read <= max + DRAIN_BYTES {
                match stream.next().await {
                    Some(Ok(chunk)) => read += chunk.len() as u64,
                    _ => break,
                }
            }
            return Err(ApiError::TooLarge);
        }
        kept.extend_from_slice(&chunk);
    }
    Ok(Bytes::from(kept))
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

/// `POST /api/incoming/{id}/ticket`: a waiting mail becomes a new Email ticket.
#[utoipa::path(post, path = "/api/incoming/{id}/ticket", params(("id" = i64, Path)),
    request_body = MailTicketRequest, responses(
    (status = 201, body = Written), (status = 403, body = ErrorBody),
    (status = 404, body = ErrorBody, description = "a department the asker does not work in"),
    (status = 422, body = ErrorBody, description = "no such waiting mail of the asker's, or `member_id` no member")))]
pub async fn ticket_from_mail(
    State(state): State<AppState>,
    AuthUser(viewer): AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<MailTicketRequest>,
) -> Result<(StatusCode, Json<Written>), ApiError> {
    let written = state
        .desk
        .ticket_from_mail(&viewer, id, req.department_id, req.member_id)
        .await?;
    Ok((StatusCode::CREATED, Json(written)))
}

/// `POST /api/incoming/{id}/attach`: a waiting mail joins a ticket as a hidden note.
#[utoipa::path(post, path = "/api/incoming/{id}/attach", params(("id" = i64, Path)),
    request_body = AttachMailRequest, responses(
    (status = 200, body = Written), (status = 404, body = ErrorBody),
    (status = 409, body = ErrorBody, description = "someone else holds the ticket"),
    (status = 422, body = ErrorBody)))]
pub async fn attach_mail(
    State(state): State<AppState>,
    AuthUser(viewer): AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<AttachMailRequest>,
) -> Result<Json<Written>, ApiError> {
    Ok(Json(
        state.desk.attach_mail(&viewer, id, req.ticket_id).await?,
    ))
}

/// `DELETE /api/incoming/{id}`: a waiting mail is deleted, its raw copy with it.
#[utoipa::path(delete, path = "/api/incoming/{id}", params(("id" = i64, Path)), responses(
    (status = 204), (status = 422, body = ErrorBody)))]
pub async fn delete_mail(
    State(state): State<AppState>,
    AuthUser(viewer): AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    forget(&state, &viewer, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /api/incoming/{id}/spam`: staff mark a waiting mail spam; the filter learns it.
#[utoipa::path(post, path = "/api/incoming/{id}/spam", params(("id" = i64, Path)), responses(
    (status = 204), (status = 422, body = ErrorBody)))]
pub async fn mark_spam(
    State(state): State<AppState>,
    AuthUser(viewer): AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    state.desk.mark_spam(&viewer, id, true).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /api/incoming/{id}/not-spam`: staff take a mail out of the Spam folder (it waits
/// to be sorted); the filter learns it is not spam.
#[utoipa::path(post, path = "/api/incoming/{id}/not-spam", params(("id" = i64, Path)), responses(
    (status = 204), (status = 422, body = ErrorBody)))]
pub async fn mark_not_spam(
    State(state): State<AppState>,
    AuthUser(viewer): AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    state.desk.mark_spam(&viewer, id, false).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Deletes waiting mail `id` and its raw copy.
async fn forget(state: &AppState, viewer: &crate::domain::Viewer, id: i64) -> Result<(), ApiError> {
    if let Some(raw) = state.desk.delete_mail(viewer, id).await? {
        let _ = state.files.delete(&raw).await;
    }
    Ok(())
}

/// The Incoming messages page's forms (deleting sends nothing).
#[derive(Deserialize, Default)]
pub struct SortForm {
    #[serde(default)]
    department_id: Option<i64>,
    #[serde(default)]
    ticket_id: Option<String>,
}

/// `POST /incoming/{id}/{action}` (form: `ticket`, `attach`, `delete`): sorts a waiting
/// mail and shows the page again saying how it went.
pub async fn sort_form(
    State(state): State<AppState>,
    viewer: Result<AuthUser, ApiError>,
    Path((id, action)): Path<(i64, String)>,
    form: Result<Form<SortForm>, FormRejection>,
) -> Redirect {
    let Ok(AuthUser(viewer)) = viewer else {
        return Redirect::to("/login");
    };
    let form = form.map(|Form(form)| form).unwrap_or_default();
    let done = match action.as_str() {
        "ticket" => match form.department_id {
            Some(department) => state
                .desk
                .ticket_from_mail(&viewer, id, DepartmentId(department), None)
                .await
                .map(|w| format!("/incoming?made={}", w.ticket_id)),
            None => return Redirect::to("/incoming?error=form"),
        },
        "attach" => {
            let ticket = form
                .ticket_id
                .as_deref()
                .map(|t| t.trim().trim_start_matches('#'))
                .and_then(|t| t.parse().ok())
                .map(TicketId);
            match ticket {
                Some(ticket) => state
                    .desk
                    .attach_mail(&viewer, id, ticket)
                    .await
                    .map(|w| format!("/incoming?attached={}", w.ticket_id)),
                None => return Redirect::to("/incoming?error=invalid-ticket-number"),
            }
        }
        "spam" | "not-spam" => state
            .desk
            .mark_spam(&viewer, id, action == "spam")
            .await
            .map(|()| format!("/incoming?{action}")),
        "delete" => match forget(&state, &viewer, id).await {
            Ok(()) => Ok("/incoming?deleted".to_owned()),
            Err(ApiError::Service(err)) => Err(err),
            Err(_) => return Redirect::to("/incoming?error=unavailable"),
        },
        _ => return Redirect::to("/incoming?error=form"),
    };
    match done {
        Ok(to) => Redirect::to(&to),
        Err(err) => Redirect::to(&format!("/incoming?error={}", form_refusal(&err))),
    }
}

/// `GET /api/mails/{id}`: a mail as it came — headers, whole text, whether it has HTML —
/// for staff who may see where it went (the ticket's audience, or the department of mail
/// waiting in Incoming). Anyone else hears it does not exist.
#[utoipa::path(get, path = "/api/mails/{id}", params(("id" = i64, Path)), responses(
    (status = 200, body = MailView), (status = 401, body = ErrorBody),
    (status = 422, body = ErrorBody, description = "no such mail for the asker")))]
pub async fn mail_view(
    State(state): State<AppState>,
    AuthUser(viewer): AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<MailView>, ApiError> {
    Ok(Json(state.desk.mail_view(&viewer, &state.files, id).await?))
}

#[derive(Debug, Default, Deserialize)]
pub struct HtmlQuery {
    /// `1`: images from the internet are shown too.
    #[serde(default)]
    remote: Option<u8>,
}

/// `GET /api/mails/{id}/html[?remote=1]`: the mail's HTML, sanitised, as a document for a
/// sandboxed frame of the desk's own pages: no script, no form, nothing loaded from
/// elsewhere (its content security policy says so too) — images from the internet only with
/// `remote=1`.
#[utoipa::path(get, path = "/api/mails/{id}/html", params(("id" = i64, Path),
    ("remote" = Option<u8>, Query)), responses(
    (status = 200, content_type = "text/html"), (status = 401, body = ErrorBody),
    (status = 422, body = ErrorBody, description = "no such mail for the asker")))]
pub async fn mail_html(
    State(state): State<AppState>,
    AuthUser(viewer): AuthUser,
    ApiPath(id): ApiPath<i64>,
    Query(query): Query<HtmlQuery>,
) -> Result<Response, ApiError> {
    let remote = if query.remote == Some(1) {
        Remote::Shown
    } else {
        Remote::Blocked
    };
    let html = state
        .desk
        .mail_html(&viewer, &state.files, id, remote)
        .await?;
    let images = match remote {
        Remote::Shown => "img-src 'self' data: https: http:",
        Remote::Blocked => "img-src 'self' data:",
    };
    let policy = format!(
        "default-src 'none'; {images}; style-src 'unsafe-inline'; frame-ancestors 'self'; \
         base-uri 'none'; form-action 'none'; sandbox allow-popups \
         allow-popups-to-escape-sandbox"
    );
    let document = format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\">\
         <meta name=\"referrer\" content=\"no-referrer\"></head>\
         <body style=\"font-family:system-ui,sans-serif;line-height:1.5;margin:1rem\">\
         {html}</body></html>"
    );
    Ok((
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8".to_owned()),
            (header::CONTENT_SECURITY_POLICY, policy),
            (header::X_FRAME_OPTIONS, "SAMEORIGIN".to_owned()),
            (header::REFERRER_POLICY, "no-referrer".to_owned()),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        document,
    )
        .into_response())
}

/// `GET /api/mails/{id}/pictures/{n}`: a picture mail `id` carries inline (its MIME part
/// `n`), for its HTML; PNG, JPEG, GIF and WebP only.
#[utoipa::path(get, path = "/api/mails/{id}/pictures/{n}",
    params(("id" = i64, Path), ("n" = usize, Path)), responses(
    (status = 200, content_type = "image/png"), (status = 401, body = ErrorBody),
    (status = 422, body = ErrorBody, description = "no such picture for the asker")))]
pub async fn mail_picture(
    State(state): State<AppState>,
    AuthUser(viewer): AuthUser,
    ApiPath((id, n)): ApiPath<(i64, usize)>,
) -> Result<Response, ApiError> {
    let (media, bytes) = state
        .desk
        .mail_picture(&viewer, &state.files, id, n)
        .await?;
    Ok((
        [
            (header::CONTENT_TYPE, media),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; sandbox".to_owned(),
            ),
            (header::CACHE_CONTROL, "private, max-age=3600".to_owned()),
        ],
        bytes,
    )
        .into_response())
}

/// `GET /mail/of/{ticket}/{client_msg_id}`: the page of the mail a ticket's message came as.
pub async fn mail_of_message(
    State(state): State<AppState>,
    viewer: Result<AuthUser, ApiError>,
    Path((ticket, client_msg_id)): Path<(i64, String)>,
) -> Response {
    let Ok(AuthUser(viewer)) = viewer else {
        return Redirect::to("/login").into_response();
    };
    let Ok(client_msg_id) = ClientMsgId::parse(&client_msg_id) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match state
        .desk
        .mail_of_message(&viewer, TicketId(ticket), &client_msg_id)
        .await
    {
        Ok(id) => Redirect::to(&format!("/mail/{id}")).into_response(),
        Err(_) => Redirect::to("/mail/0").into_response(),
    }
}

/// `POST /api/mails/{id}/spam`: staff mark a mail spam — one waiting in Incoming or one that
/// went to a ticket they may see; the filter learns it at once.
#[utoipa::path(post, path = "/api/mails/{id}/spam", params(("id" = i64, Path)), responses(
    (status = 204), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn judge_spam(
    State(state): State<AppState>,
    AuthUser(viewer): AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    state.desk.judge_mail(&viewer, id, true).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /api/mails/{id}/not-spam`: staff say a mail is not spam; the filter learns it.
#[utoipa::path(post, path = "/api/mails/{id}/not-spam", params(("id" = i64, Path)), responses(
    (status = 204), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn judge_not_spam(
    State(state): State<AppState>,
    AuthUser(viewer): AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    state.desk.judge_mail(&viewer, id, false).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /mail/{id}/{verdict}` (`spam`, `not-spam`): the mail page's form; shows the page
/// again saying how it went.
pub async fn judge_form(
    State(state): State<AppState>,
    viewer: Result<AuthUser, ApiError>,
    Path((id, verdict)): Path<(i64, String)>,
) -> Redirect {
    let Ok(AuthUser(viewer)) = viewer else {
        return Redirect::to("/login");
    };
    let is_spam = match verdict.as_str() {
        "spam" => true,
        "not-spam" => false,
        _ => return Redirect::to(&format!("/mail/{id}?error=form")),
    };
    match state.desk.judge_mail(&viewer, id, is_spam).await {
        Ok(()) => Redirect::to(&format!("/mail/{id}?{verdict}")),
        Err(err) => Redirect::to(&format!("/mail/{id}?error={}", form_refusal(&err))),
    }
}
