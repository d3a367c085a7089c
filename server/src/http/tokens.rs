//! API tokens over HTTP: the JSON API (`/api/tokens`) and the tokens page's forms
//! (`/tokens`). Only a person signed in with a session manages tokens: a token cannot make
//! or revoke tokens.

use app::protocol::{ErrorBody, NewToken, NewTokenRequest, Role, TokenId, TokenList, UserId};
use axum::{
    Form, Json,
    extract::{Path, State, rejection::FormRejection},
    http::StatusCode,
    response::Redirect,
};
use serde::Deserialize;
use tower_sessions::Session;
use tracing::warn;

use super::{ApiError, ApiJson, ApiPath, error::form_refusal, extract::SessionUser};
use crate::{service, state::AppState};

/// Where the tokens page keeps a token just made until the page has shown it, once.
pub const FRESH_TOKEN_KEY: &str = "fresh_token";

/// `GET /api/tokens`: the asker's tokens (administrators: everyone's), never their secrets.
#[utoipa::path(get, path = "/api/tokens", responses(
    (status = 200, body = TokenList), (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody, description = "asked with a token")))]
pub async fn list(
    State(state): State<AppState>,
    SessionUser(viewer): SessionUser,
) -> Result<Json<TokenList>, ApiError> {
    Ok(Json(state.desk.tokens(&viewer).await?))
}

/// `POST /api/tokens`: makes a token; the answer holds its secret, shown this once.
#[utoipa::path(post, path = "/api/tokens", request_body = NewTokenRequest, responses(
    (status = 201, body = NewToken), (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody, description = "for someone else and not an administrator, or asked with a token"),
    (status = 422, body = ErrorBody, description = "`name` empty or too long, `scope` above the owner's role")))]
pub async fn make(
    State(state): State<AppState>,
    SessionUser(viewer): SessionUser,
    ApiJson(req): ApiJson<NewTokenRequest>,
) -> Result<(StatusCode, Json<NewToken>), ApiError> {
    let made = state.desk.make_token(&viewer, req).await?;
    Ok((StatusCode::CREATED, Json(made)))
}

/// `DELETE /api/tokens/{id}`: revokes a token (one's own; administrators: anyone's); it
/// stops working at once.
#[utoipa::path(delete, path = "/api/tokens/{id}", params(("id" = i64, Path)), responses(
    (status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
    (status = 422, body = ErrorBody, description = "no such token of the asker's")))]
pub async fn revoke(
    State(state): State<AppState>,
    SessionUser(viewer): SessionUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    state.desk.revoke_token(&viewer, TokenId(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The tokens page's form for a new token.
#[derive(Deserialize)]
pub struct TokenForm {
    name: String,
    scope: String,
    #[serde(default)]
    owner_id: Option<String>,
}

/// Back to the tokens page saying why the form was refused.
fn refused(err: &service::Error) -> Redirect {
    Redirect::to(&format!("/tokens?error={}", form_refusal(err)))
}

/// `POST /tokens` (form): makes a token and shows the page with its secret, once.
pub async fn make_form(
    State(state): State<AppState>,
    viewer: Result<SessionUser, ApiError>,
    session: Session,
    form: Result<Form<TokenForm>, FormRejection>,
) -> Redirect {
    let Ok(SessionUser(viewer)) = viewer else {
        return Redirect::to("/login");
    };
    let Ok(Form(form)) = form else {
        return Redirect::to("/tokens?error=form");
    };
    let Some(scope) = Role::parse(&form.scope) else {
        return Redirect::to("/tokens?error=invalid-token-scope");
    };
    let owner_id = form
        .owner_id
        .as_deref()
        .and_then(|raw| raw.parse().ok())
        .map(UserId);
    let req = NewTokenRequest {
        name: form.name,
        scope,
        owner_id,
    };
    match state.desk.make_token(&viewer, req).await {
        Ok(made) => match session.insert(FRESH_TOKEN_KEY, made).await {
            Ok(()) => Redirect::to("/tokens"),
            Err(err) => {
                warn!(error = %err, "could not keep a new token for its page");
                Redirect::to("/tokens?error=unavailable")
            }
        },
        Err(err) => refused(&err),
    }
}

/// `POST /tokens/{id}/revoke` (form): revokes a token and shows the page again.
pub async fn revoke_form(
    State(state): State<AppState>,
    viewer: Result<SessionUser, ApiError>,
    Path(id): Path<i64>,
) -> Redirect {
    let Ok(SessionUser(viewer)) = viewer else {
        return Redirect::to("/login");
    };
    match state.desk.revoke_token(&viewer, TokenId(id)).await {
        Ok(()) => Redirect::to("/tokens?revoked"),
        Err(err) => refused(&err),
    }
}
