//! The one error type of the HTTP API: every failure becomes a status and a JSON body
//! `{code, message}`. Internal causes are logged here, once, and never sent.

use app::i18n::{self, Lang};
use app::protocol::{ErrorBody, ErrorCode};
use axum::{
    Json,
    extract::rejection::{JsonRejection, PathRejection, QueryRejection},
    http::StatusCode,
    response::{IntoResponse, Response},
};
use axum::{
    extract::{Request, State},
    middleware::Next,
};

use crate::state::AppState;
use tracing::error;

use crate::{service, store};

/// What an API handler answers: its body, or why not.
pub type ApiResult<T> = Result<T, ApiError>;

/// An HTTP API failure.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// No valid session.
    #[error("sign in first")]
    Unauthorized,
    /// Wrong email or password.
    #[error("wrong email or password")]
    BadCredentials,
    /// Signed in, not allowed; the catalogue's key of the reason.
    #[error("{}", i18n::text(Lang::En, .0, &[]))]
    Forbidden(&'static str),
    /// No such route or resource (or not yours).
    #[error("not found")]
    NotFound,
    /// The body or a parameter could not be read.
    #[error("{0}")]
    Malformed(String),
    /// The body is over the size limit.
    #[error("the request body is too large")]
    TooLarge,
    /// A use case failed.
    #[error(transparent)]
    Service(#[from] service::Error),
    /// An upload or a download failed.
    #[error(transparent)]
    File(#[from] crate::files::Error),
    /// The request took longer than it may (the database stopped answering).
    #[error("the request took too long")]
    TimedOut,
}

impl ApiError {
    fn status_and_code(&self) -> (StatusCode, ErrorCode) {
        match self {
            ApiError::Unauthorized | ApiError::BadCredentials => {
                (StatusCode::UNAUTHORIZED, ErrorCode::Unauthorized)
            }
            ApiError::Forbidden(_) => (StatusCode::FORBIDDEN, ErrorCode::Forbidden),
            ApiError::NotFound => (StatusCode::NOT_FOUND, ErrorCode::NotFound),
            ApiError::Malformed(_) => (StatusCode::BAD_REQUEST, ErrorCode::Malformed),
            ApiError::TooLarge => (StatusCode::PAYLOAD_TOO_LARGE, ErrorCode::TooLarge),
            ApiError::TimedOut => (StatusCode::SERVICE_UNAVAILABLE, ErrorCode::Unavailable),
            ApiError::File(err) => {
                use crate::files::Error as E;
                match err {
                    E::TooLarge(_) => (StatusCode::PAYLOAD_TOO_LARGE, ErrorCode::TooLarge),
                    E::Empty | E::Picture(_) => {
                        (StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::Invalid)
                    }
                    E::Refused(_) => (StatusCode::UNSUPPORTED_MEDIA_TYPE, ErrorCode::Invalid),
                    E::Broken(_) => (StatusCode::BAD_REQUEST, ErrorCode::Malformed),
                    E::NotFound => (StatusCode::NOT_FOUND, ErrorCode::NotFound),
                    E::Store(_) => (StatusCode::SERVICE_UNAVAILABLE, ErrorCode::Unavailable),
                    E::Damaged { .. } => (StatusCode::INTERNAL_SERVER_ERROR, ErrorCode::Internal),
                }
            }
            ApiError::Service(err) => {
                let code = err.code();
                let status = match code {
                    ErrorCode::NotFound => StatusCode::NOT_FOUND,
                    ErrorCode::Forbidden => StatusCode::FORBIDDEN,
                    ErrorCode::Invalid => StatusCode::UNPROCESSABLE_ENTITY,
                    ErrorCode::Locked | ErrorCode::Conflict | ErrorCode::Stale => {
                        StatusCode::CONFLICT
                    }
                    ErrorCode::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
                    ErrorCode::RateLimited => StatusCode::TOO_MANY_REQUESTS,
                    _ => StatusCode::INTERNAL_SERVER_ERROR,
                };
                (status, code)
            }
        }
    }
}

impl From<store::Error> for ApiError {
    fn from(err: store::Error) -> Self {
        ApiError::Service(err.into())
    }
}

impl From<crate::auth::SessionError> for ApiError {
    fn from(err: crate::auth::SessionError) -> Self {
        // The sessions live in the store: failing to read one is the database failing.
        ApiError::Service(service::Error::Store(store::Error::Unavailable(
            sqlx::Error::Protocol(err.to_string()),
        )))
    }
}

impl From<tower_sessions::session_store::Error> for ApiError {
    fn from(err: tower_sessions::session_store::Error) -> Self {
        ApiError::Service(service::Error::Store(store::Error::Unavailable(
            sqlx::Error::Protocol(err.to_string()),
        )))
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::TooLarge
        } else {
            ApiError::Malformed(rejection.body_text())
        }
    }
}

impl From<PathRejection> for ApiError {
    fn from(rejection: PathRejection) -> Self {
        ApiError::Malformed(rejection.body_text())
    }
}

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> Self {
        ApiError::Malformed(rejection.body_text())
    }
}

tokio::task_local! {
    /// The language of the request being answered (set by [`with_request_lang`]).
    static REQUEST_LANG: Lang;
}

/// Answers the request in the language it asks for: the language switch's cookie, else the
/// browser's `Accept-Language`, else English. Error bodies are worded in it.
pub async fn with_request_lang(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    let lang = super::lang::request_lang(req.headers(), state.settings.language);
    REQUEST_LANG.scope(lang, next.run(req)).await
}

/// `err` answered in `lang`, outside any request's own language scope.
pub async fn in_lang(lang: Lang, err: ApiError) -> Response {
    REQUEST_LANG
        .scope(lang, async move { err.into_response() })
        .await
}

impl ApiError {
    /// The message people read, in `lang`.
    fn message(&self, lang: Lang, status: StatusCode) -> String {
        let plain = |key| i18n::text(lang, key, &[]);
        match self {
            ApiError::Service(err) => {
                if status.is_server_error() && err.retry_after().is_none() {
                    error!(error = %err, "request failed");
                }
                err.public_message(lang)
            }
            ApiError::File(crate::files::Error::Store(err)) => {
                error!(error = %err, "the file store failed");
                plain("error-file-store")
            }
            ApiError::File(err @ crate::files::Error::Damaged { .. }) => {
                error!(error = %err, "a stored file is damaged");
                plain("error-file-damaged")
            }
            ApiError::Unauthorized => plain("error-sign-in-first"),
            ApiError::BadCredentials => plain("error-bad-credentials"),
            ApiError::Forbidden(key) => plain(key),
            ApiError::NotFound => plain("error-not-found"),
            ApiError::TooLarge => plain("error-too-large"),
            ApiError::TimedOut => {
                error!("a request ran out of time; is the database answering?");
                plain("error-unavailable")
            }
            // What the request's parser or the file store said, as it said it.
            ApiError::Malformed(_) | ApiError::File(_) => self.to_string(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        let lang = REQUEST_LANG.try_with(|lang| *lang).unwrap_or_default();
        let message = self.message(lang, status);
        let (wait, retry_after_ms, news, field) = match &self {
            ApiError::Service(err) => (
                err.retry_after(),
                err.retry_after_ms(),
                err.news(),
                err.field(),
            ),
            _ => (None, None, Vec::new(), None),
        };
        let body = Json(ErrorBody {
            code,
            message,
            retry_after_ms,
            news,
            field,
        });
        match wait {
            Some(wait) => {
                let seconds = service::seconds_to_wait(wait).to_string();
                (status, [(axum::http::header::RETRY_AFTER, seconds)], body).into_response()
            }
            None => (status, body).into_response(),
        }
    }
}

/// Why a page's plain form was refused, as the page names it in its address
/// (`?error=<key>`): a rule's catalogue key, `wait` when the asker must come back later,
/// `unavailable` for anything else (logged, never shown).
pub fn form_refusal(err: &service::Error) -> &'static str {
    use crate::domain::Error as Rule;
    match err {
        service::Error::Rule(Rule::Invalid { reason, .. } | Rule::State(reason)) => reason.key,
        service::Error::Rule(Rule::AdministratorsOnly) => "error-administrators-only",
        service::Error::Rule(Rule::TicketNotFound) => "error-ticket-not-found",
        service::Error::Rule(Rule::DepartmentNotFound) => "error-department-not-found",
        service::Error::Rule(Rule::TicketLocked { .. }) => "error-ticket-held",
        service::Error::Busy(_) | service::Error::Throttled(_) => "wait",
        other => {
            tracing::warn!(error = %other, "a form was refused");
            "unavailable"
        }
    }
}
