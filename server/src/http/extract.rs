//! What handlers take from a request, each refusing with an [`ApiError`] (a JSON body):
//! bodies, paths and queries, and who is asking — resolved one way, required or optional.

use axum::extract::{FromRequest, FromRequestParts};
use tower_sessions::Session;

use super::ApiError;
use crate::{auth, domain::Viewer, state::AppState};

/// A JSON body; a malformed or oversized one becomes an [`ApiError`] with a JSON body.
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct ApiJson<T>(pub T);

/// A path parameter; a malformed one becomes an [`ApiError`].
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct ApiPath<T>(pub T);

/// A query string; a malformed one becomes an [`ApiError`].
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct ApiQuery<T>(pub T);

/// Who is asking, if anyone: the session's person as permissions see them now. Signed out,
/// or signed in as someone since removed, is `None`; a store that cannot answer is refused
/// (`503`), never taken for signed out.
pub struct MaybeAuthUser(pub Option<Viewer>);

impl FromRequestParts<AppState> for MaybeAuthUser {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Ok(session) = Session::from_request_parts(parts, state).await else {
            return Ok(MaybeAuthUser(None));
        };
        let Some(user) = auth::signed_in(&session).await? else {
            return Ok(MaybeAuthUser(None));
        };
        Ok(MaybeAuthUser(state.desk.viewer(user).await?))
    }
}

/// The signed-in person; a request without a valid session is refused with `401`.
pub struct AuthUser(pub Viewer);

impl FromRequestParts<AppState> for AuthUser {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let MaybeAuthUser(viewer) = MaybeAuthUser::from_request_parts(parts, state).await?;
        viewer.map(AuthUser).ok_or(ApiError::Unauthorized)
    }
}
