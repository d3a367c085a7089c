//! Who is asking: login sessions kept in the store (so a restart signs nobody out, and
//! every session of a person can be ended at once), and the Origin check that stops other
//! sites from acting with a signed-in person's cookie. Password hashes are `passwords`'.

use async_trait::async_trait;
use axum::http::{HeaderMap, header};
use tower_sessions::{
    Session, SessionStore,
    session::{Id, Record},
    session_store,
};

use app::protocol::UserId;

use crate::{config::Settings, store::Store};

/// A session could not be read or written.
pub use tower_sessions::session::Error as SessionError;

/// The session key holding the signed-in person's id.
const USER_KEY: &str = "user_id";

/// Signs `user` in on this session, with a new session id (no fixation).
pub async fn sign_in(session: &Session, user: UserId) -> Result<(), SessionError> {
    session.cycle_id().await?;
    session.insert(USER_KEY, user.0).await
}

/// Ends the session everywhere.
pub async fn sign_out(session: &Session) -> Result<(), SessionError> {
    session.flush().await
}

/// The person signed in on this session, if any.
pub async fn signed_in(session: &Session) -> Result<Option<UserId>, SessionError> {
    Ok(session.get::<i64>(USER_KEY).await?.map(UserId))
}

/// Whether a request's `Origin` is this server's own (by its `Host`) or an allowed one.
/// `None` when there is no `Origin` header at all.
pub fn origin_matches(headers: &HeaderMap, settings: &Settings) -> Option<bool> {
    let origin = headers.get(header::ORIGIN)?.to_str().ok()?;
    if settings.allowed_origins.iter().any(|o| o == origin) {
        return Some(true);
    }
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let own = host.is_some_and(|host| {
        origin
            .strip_prefix("http://")
            .or_else(|| origin.strip_prefix("https://"))
            == Some(host)
    });
    Some(own)
}

/// Sessions in the store, as tower-sessions wants them.
#[derive(Debug, Clone)]
pub struct StoreSessions {
    store: Store,
}

impl StoreSessions {
    /// Sessions kept in `store`.
    pub fn new(store: Store) -> Self {
        Self { store }
    }
}

fn backend(err: crate::store::Error) -> session_store::Error {
    session_store::Error::Backend(err.to_string())
}

fn expires_at(record: &Record) -> i64 {
    i64::try_from(record.expiry_date.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}

/// Whose session this is, once someone signed in on it.
fn owner(record: &Record) -> Option<UserId> {
    record
        .data
        .get(USER_KEY)
        .and_then(serde_json::Value::as_i64)
        .map(UserId)
}

fn encode(record: &Record) -> session_store::Result<String> {
    serde_json::to_string(record).map_err(|e| session_store::Error::Encode(e.to_string()))
}

#[async_trait]
impl SessionStore for StoreSessions {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        // Ids are 128 random bits; a collision is astronomically unlikely but cheap to rule out.
        loop {
            let stored = self
                .store
                .session_create(
                    &record.id.to_string(),
                    &encode(record)?,
                    expires_at(record),
                    owner(record),
                )
                .await
                .map_err(backend)?;
            if stored {
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let saved = self
            .store
            .session_save(
                &record.id.to_string(),
                &encode(record)?,
                expires_at(record),
                owner(record),
            )
            .await;
        match saved {
            // Only the session's expiry moves on a save (who it is for is written when it is
            // created): with the database unreachable the session simply keeps its old
            // expiry, and the request answers for itself (`503`), not as a bare `500`.
            Err(crate::store::Error::Unavailable(err)) => {
                tracing::warn!(error = %err, "could not extend a session");
                Ok(())
            }
            other => other.map_err(backend),
        }
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let data = self
            .store
            .session_load(&id.to_string(), crate::clock::now())
            .await
            .map_err(backend)?;
        data.map(|data| {
            serde_json::from_str(&data).map_err(|e| session_store::Error::Decode(e.to_string()))
        })
        .transpose()
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        self.store
            .session_delete(&id.to_string())
            .await
            .map_err(backend)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn origin_must_be_the_servers_own_or_allowed() {
        let settings = Settings {
            allowed_origins: vec!["https://desk.example".into()],
            ..Settings::default()
        };
        let headers = |origin: Option<&'static str>| {
            let mut h = HeaderMap::new();
            h.insert(header::HOST, HeaderValue::from_static("127.0.0.1:3000"));
            if let Some(o) = origin {
                h.insert(header::ORIGIN, HeaderValue::from_static(o));
            }
            h
        };
        let cases = [
            (Some("http://127.0.0.1:3000"), Some(true), "own origin"),
            (
                Some("https://desk.example"),
                Some(true),
                "configured origin",
            ),
            (Some("http://evil.example"), Some(false), "foreign origin"),
            (Some("http://127.0.0.1:3001"), Some(false), "another port"),
            (Some("null"), Some(false), "opaque origin"),
            (None, None, "no origin"),
        ];
        for (origin, expected, description) in cases {
            assert_eq!(
                origin_matches(&headers(origin), &settings),
                expected,
                "{description}"
            );
        }
    }
}
