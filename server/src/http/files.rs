//! Uploads and downloads: bytes stream between the socket and the file store, never held
//! whole; what a file is comes from its bytes, and it is served so that no browser runs it.

use app::protocol::{ErrorBody, UploadedFile};
use axum::{
    body::Body,
    extract::State,
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde::Deserialize;

use super::{ApiError, ApiPath, ApiQuery, AuthUser, MaybeAuthUser};
use crate::{files, state::AppState};

/// `?name=` of an upload.
#[derive(Debug, Deserialize)]
pub struct UploadQuery {
    name: String,
}

/// Types a browser may show inline: images it decodes itself, never runs.
const INLINE: [&str; 4] = ["image/png", "image/jpeg", "image/gif", "image/webp"];

/// `POST /api/uploads?name=…`: the body is the file's bytes. Answers `201` with the stored
/// file; `413` over the size limit, `415` for a type not accepted, `422` when empty.
#[utoipa::path(post, path = "/api/uploads", params(("name" = String, Query, description = "the file's name")),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"), responses(
    (status = 201, body = UploadedFile), (status = 413, body = ErrorBody),
    (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn upload(
    State(state): State<AppState>,
    AuthUser(viewer): AuthUser,
    ApiQuery(query): ApiQuery<UploadQuery>,
    headers: HeaderMap,
    body: Body,
) -> Result<(StatusCode, axum::Json<UploadedFile>), ApiError> {
    let name = file_name(&query.name)?;
    let max = state.settings.max_file_bytes;
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let mut body = body.into_data_stream();
    if declared.is_some_and(|len| len > max) {
        return Err(refuse(files::Error::TooLarge(max), &mut body, declared).await);
    }
    let settings = state.settings.clone();
    let stored = match state
        .files
        .put(&mut body, max, |t| settings.accepts_file_type(t))
        .await
    {
        Ok(stored) => stored,
        Err(err) => return Err(refuse(err, &mut body, declared).await),
    };
    let picture = match state.files.make_preview(&stored).await {
        Ok(picture) => picture,
        Err(err) => {
            let _ = state.files.delete(&stored.id).await;
            return Err(err.into());
        }
    };
    let file = UploadedFile {
        id: stored.id,
        name,
        size: stored.size,
        content_type: stored.content_type.into(),
        sha256: stored.sha256,
        picture,
    };
    if let Err(err) = state.desk.record_upload(&viewer, &file).await {
        let _ = state.files.delete(&file.id).await;
        return Err(err.into());
    }
    Ok((StatusCode::CREATED, axum::Json(file)))
}

/// A refused upload's remaining bytes are read (and dropped) so that its client hears the
/// answer on a connection it can go on using: all of them when it declared at most twice
/// this, this much when it declared nothing; beyond that the connection is closed.
const DRAIN_BYTES: u64 = 16 * 1024 * 1024;

/// Reads what is left of a refused upload, within reason, and returns the refusal.
async fn refuse(
    err: files::Error,
    body: &mut axum::body::BodyDataStream,
    declared: Option<u64>,
) -> ApiError {
    use futures_util::StreamExt;
    if declared.is_none_or(|len| len <= DRAIN_BYTES * 2) {
        let cap = declared.unwrap_or(DRAIN_BYTES);
        let mut drained = 0u64;
        while let Some(Ok(chunk)) = body.next().await {
            drained += chunk.len() as u64;
            if drained >= cap {
                break;
            }
        }
    }
    err.into()
}

/// `DELETE /api/uploads/{id}`: the uploader cancels a file not attached to anything.
#[utoipa::path(delete, path = "/api/uploads/{id}", params(("id" = String, Path)), responses(
    (status = 204), (status = 404, body = ErrorBody)))]
pub async fn cancel(
    State(state): State<AppState>,
    AuthUser(viewer): AuthUser,
    ApiPath(id): ApiPath<String>,
) -> Result<StatusCode, ApiError> {
    state.desk.cancel_upload(&viewer, &id).await?;
    state.files.delete(&id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /api/files/{id}`: the file's bytes, for whoever may see it (anyone else: 404, which
/// does not confirm it exists): its uploader until it is sent, then whoever may see its
/// ticket — never a member for a hidden note's file. Images are shown inline; everything
/// else is a download.
#[utoipa::path(get, path = "/api/files/{id}", params(("id" = String, Path)), responses(
    (status = 200, description = "the file's bytes, under its name"), (status = 404, body = ErrorBody)))]
pub async fn download(
    State(state): State<AppState>,
    MaybeAuthUser(viewer): MaybeAuthUser,
    ApiPath(id): ApiPath<String>,
) -> Result<Response, ApiError> {
    let record = state.desk.readable_file(viewer.as_ref(), &id).await?;
    let file = record.file;
    let bytes = state.files.get(&id, file.size).await?;
    let inline = INLINE.contains(&file.content_type.as_str());
    let content_type = if inline || file.content_type == "application/pdf" {
        file.content_type.clone()
    } else if file.content_type == "text/plain" {
        "text/plain; charset=utf-8".into()
    } else {
        "application/octet-stream".into()
    };
    let disposition = format!(
        "{}; filename=\"{}\"; filename*=UTF-8''{}",
        if inline { "inline" } else { "attachment" },
        ascii_fallback(&file.name),
        app::protocol::percent_encode(&file.name)
    );
    let mut response = Body::from_stream(bytes).into_response();
    let headers = response.headers_mut();
    let value = |v: &str| HeaderValue::from_str(v).unwrap_or(HeaderValue::from_static(""));
    headers.insert(header::CONTENT_TYPE, value(&content_type));
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(file.size));
    headers.insert(header::CONTENT_DISPOSITION, value(&disposition));
    safe_headers(headers, &file.sha256);
    Ok(response)
}

/// `GET /api/files/{id}/preview`: a picture's preview (at most 480 pixels a side), for
/// whoever may see the picture.
#[utoipa::path(get, path = "/api/files/{id}/preview", params(("id" = String, Path)), responses(
    (status = 200, description = "a JPEG or PNG at most 480 pixels a side"), (status = 404, body = ErrorBody)))]
pub async fn preview(
    State(state): State<AppState>,
    MaybeAuthUser(viewer): MaybeAuthUser,
    ApiPath(id): ApiPath<String>,
) -> Result<Response, ApiError> {
    let record = state.desk.readable_file(viewer.as_ref(), &id).await?;
    if record.file.picture.is_none() {
        return Err(ApiError::NotFound);
    }
    let bytes = state.files.get_preview(&id).await?;
    let content_type = crate::files::preview::content_type(&bytes);
    let mut response = Body::from(bytes).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    safe_headers(headers, &record.file.sha256);
    Ok(response)
}

/// Headers every served file carries: never sniffed, never run, cached privately.
fn safe_headers(headers: &mut HeaderMap, sha256: &str) {
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; img-src 'self'; sandbox"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=86400"),
    );
    if let Ok(etag) = HeaderValue::from_str(&format!("\"{sha256}\"")) {
        headers.insert(header::ETAG, etag);
    }
}

/// The name kept for a file (see `domain::file_name`).
fn file_name(raw: &str) -> Result<String, ApiError> {
    crate::domain::file_name(raw).ok_or_else(|| ApiError::Malformed("a file needs a name".into()))
}

/// The name in plain ASCII for old clients (`filename=`), quotes and backslashes replaced.
fn ascii_fallback(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_for_old_clients_are_plain_ascii() {
        assert!(file_name("  ").is_err());
        assert_eq!(ascii_fallback("Отчёт \"1\".pdf"), "_____ _1_.pdf");
        assert_eq!(app::protocol::percent_encode("a b.pdf"), "a%20b.pdf");
    }
}
