//! What handlers take from a request, each refusing with an [`ApiError`] (a JSON body):
//! bodies, paths and queries, who is asking — resolved one way, required or optional — and
//! from which address.

use std::net::IpAddr;

use app::protocol::TokenId;
use axum::{
    extract::{ConnectInfo, FromRequest, FromRequestParts},
    http::{HeaderMap, header},
};
use tower_sessions::Session;

use super::{ApiError, idle::Peer};
use crate::{auth, config::Cidr, domain::Viewer, state::AppState};

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

/// How the asker showed who they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential {
    /// The browser session's cookie.
    Session,
    /// `Authorization: Bearer <secret>` with this API token.
    Token(TokenId),
    /// The session of a host site's embedded widget (its own cookie, in the site's frame),
    /// with the site's origins as they were read to let it in.
    Widget {
        session: auth::WidgetSession,
        origins: Vec<String>,
    },
}

/// Who is asking, resolved once per request and kept in its extensions.
#[derive(Clone)]
struct Asker(Option<(Viewer, Credential)>);

/// Who is asking: a request with an `Authorization` header is the token's (never the
/// cookie's, so a script's request cannot borrow a browser session); otherwise the
/// session's. A token that is no token is refused (`401`), a store that cannot answer too
/// (`503`) — never taken for signed out.
async fn asker(
    parts: &mut axum::http::request::Parts,
    state: &AppState,
) -> Result<Option<(Viewer, Credential)>, ApiError> {
    if let Some(Asker(known)) = parts.extensions.get::<Asker>() {
        return Ok(known.clone());
    }
    let resolved = if let Some(value) = parts.headers.get(header::AUTHORIZATION) {
        let secret = value
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .ok_or(ApiError::Unauthorized)?;
        let (viewer, token) = state
            .desk
            .token_viewer(secret)
            .await?
            .ok_or(ApiError::Unauthorized)?;
        Some((viewer, Credential::Token(token)))
    } else {
        let signed_in = match Session::from_request_parts(parts, state).await {
            Ok(session) => auth::signed_in(&session).await?,
            Err(_) => None,
        };
        match signed_in {
            Some(user) => state
                .desk
                .viewer(user)
                .await?
                .map(|viewer| (viewer, Credential::Session)),
            None => widget_asker(&parts.headers, state).await?,
        }
    };
    parts.extensions.insert(Asker(resolved.clone()));
    Ok(resolved)
}

/// The member of a widget session the request's widget cookie names, while the session
/// lasts and its site still lets its page's origin in.
async fn widget_asker(
    headers: &HeaderMap,
    state: &AppState,
) -> Result<Option<(Viewer, Credential)>, ApiError> {
    let Some(id) = auth::cookie(headers, auth::WIDGET_COOKIE) else {
        return Ok(None);
    };
    let Some(widget) = auth::widget_session(&state.desk.sessions(), id).await? else {
        return Ok(None);
    };
    let origins = state.desk.widget_origins(widget.site).await?;
    if !origins.contains(&widget.origin) {
        return Ok(None);
    }
    Ok(state
        .desk
        .viewer(widget.member)
        .await?
        .filter(|viewer| viewer.role == app::protocol::Role::Member)
        .map(|viewer| {
            let credential = Credential::Widget {
                session: widget,
                origins,
            };
            (viewer, credential)
        }))
}

/// The widget session a request was made with, once who is asking was resolved for it
/// (by an extractor or [`asking_person`]).
pub fn widget_of(extensions: &axum::http::Extensions) -> Option<auth::WidgetSession> {
    match extensions.get::<Asker>() {
        Some(Asker(Some((_, Credential::Widget { session, .. })))) => Some(session.clone()),
        _ => None,
    }
}

/// The origins that may frame what a widget session's request is answered, as they were
/// read to let it in (no second read of the site).
pub fn widget_origins_of(extensions: &axum::http::Extensions) -> Option<Vec<String>> {
    match extensions.get::<Asker>() {
        Some(Asker(Some((_, Credential::Widget { origins, .. })))) => Some(origins.clone()),
        _ => None,
    }
}

/// Who is asking, if anyone: the person as permissions see them now. Signed out, or signed
/// in as someone since removed, is `None`.
pub struct MaybeAuthUser(pub Option<Viewer>);

impl FromRequestParts<AppState> for MaybeAuthUser {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(MaybeAuthUser(asker(parts, state).await?.map(|(v, _)| v)))
    }
}

/// Who is asking and, when through a site's widget, its session: what a socket needs to
/// end when that session ends.
pub struct Asking {
    pub viewer: Option<Viewer>,
    pub widget: Option<auth::WidgetSession>,
}

impl FromRequestParts<AppState> for Asking {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let asker = asker(parts, state).await?;
        Ok(Asking {
            widget: widget_of(&parts.extensions),
            viewer: asker.map(|(viewer, _)| viewer),
        })
    }
}

/// The signed-in person; a request without a valid session or token is refused with `401`.
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

/// The person at their own screen, signed in with a session: what a token must never do
/// (make more tokens, change the password) asks for this; a token is refused with `403`.
pub struct SessionUser(pub Viewer);

impl FromRequestParts<AppState> for SessionUser {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match asker(parts, state).await? {
            Some((viewer, Credential::Session)) => Ok(SessionUser(viewer)),
            Some((_, Credential::Token(_) | Credential::Widget { .. })) => {
                Err(ApiError::Forbidden("error-token-not-here"))
            }
            None => Err(ApiError::Unauthorized),
        }
    }
}

/// Who is asking, for middleware that runs before the handler (the same answer the handler
/// then gets, resolved once); `None` when signed out or not resolvable now.
pub async fn asking_person(
    parts: &mut axum::http::request::Parts,
    state: &AppState,
) -> Option<Viewer> {
    asker(parts, state).await.ok().flatten().map(|(v, _)| v)
}

/// The client's address: the connection's peer, or — when the peer is a trusted proxy — the
/// last address in `X-Forwarded-For` that is not one of the trusted proxies.
pub struct ClientAddr(pub IpAddr);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<Peer>>()
            .map_or(IpAddr::from([0, 0, 0, 0]), |info| info.0.0.ip());
        Ok(ClientAddr(client_addr(
            peer,
            &parts.headers,
            &state.proxies,
        )))
    }
}

/// Who the client is, given the peer and the proxies trusted to say so.
fn client_addr(peer: IpAddr, headers: &HeaderMap, proxies: &[Cidr]) -> IpAddr {
    let trusted = |ip: IpAddr| proxies.iter().any(|p| p.contains(ip));
    if !trusted(peer) {
        return peer;
    }
    let forwarded = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect::<Vec<_>>();
    let mut client = peer;
    for hop in forwarded.into_iter().rev() {
        let Ok(ip) = hop.parse::<IpAddr>() else {
            // What a proxy cannot have written: stop at the last address it did vouch for.
            break;
        };
        client = ip;
        if !trusted(ip) {
            break;
        }
    }
    client
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forwarded_addresses_are_believed_from_trusted_proxies_only() {
        let proxies = [Cidr::parse("10.0.0.0/8").unwrap()];
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            "6.6.6.6, 203.0.113.7, 10.0.0.2".parse().unwrap(),
        );
        let proxy: IpAddr = "10.0.0.1".parse().unwrap();
        let stranger: IpAddr = "198.51.100.1".parse().unwrap();
        // Through the proxies: the first address no proxy of ours added (a client's own
        // header, 6.6.6.6, is not believed).
        assert_eq!(
            client_addr(proxy, &headers, &proxies),
            "203.0.113.7".parse::<IpAddr>().unwrap()
        );
        // From anyone else the header is ignored.
        assert_eq!(client_addr(stranger, &headers, &proxies), stranger);
        assert_eq!(client_addr(proxy, &headers, &[]), proxy);
        // Garbage stops the walk at what the proxies vouched for.
        headers.insert("x-forwarded-for", "203.0.113.7, junk".parse().unwrap());
        assert_eq!(client_addr(proxy, &headers, &proxies), proxy);
    }
}
