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

use app::protocol::{SiteId, UserId};

use crate::{
    config::Settings,
    service::WidgetEntry,
    store::{Store, WIDGET_ORIGIN_KEY, WIDGET_SITE_KEY},
};

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

/// The cookie of a session opened through the embedded widget. Browsers keep it apart for
/// each site that embeds the desk (`Partitioned`), so it works inside the host's page where
/// third-party cookies are blocked, and never leaves that page's frame.
pub const WIDGET_COOKIE: &str = "switchboard_widget";

/// A session opened through a site's widget.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WidgetSession {
    pub id: String,
    pub member: UserId,
    pub site: SiteId,
    /// The host page's origin, the only one the widget talks to.
    pub origin: String,
}

/// The value of cookie `name` in a request's headers.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, value)| value)
}

/// The widget session `id` names, while it lasts.
pub async fn widget_session(
    sessions: &StoreSessions,
    id: &str,
) -> session_store::Result<Option<WidgetSession>> {
    let Ok(parsed) = id.parse::<Id>() else {
        return Ok(None);
    };
    let Some(record) = sessions.load(&parsed).await? else {
        return Ok(None);
    };
    let site = record
        .data
        .get(WIDGET_SITE_KEY)
        .and_then(serde_json::Value::as_i64);
    let origin = record
        .data
        .get(WIDGET_ORIGIN_KEY)
        .and_then(serde_json::Value::as_str);
    Ok(match (owner(&record), site, origin) {
        (Some(member), Some(site), Some(origin)) => Some(WidgetSession {
            id: id.to_owned(),
            member,
            site: SiteId(site),
            origin: origin.to_owned(),
        }),
        _ => None,
    })
}

/// A widget session for `entry` lasting `days`: the one `current` names when it is the same
/// member's on the same site (renewed), else a new one (and `current`, someone else's,
/// ended). Its id, for [`WIDGET_COOKIE`].
pub async fn open_widget_session(
    sessions: &StoreSessions,
    current: Option<&str>,
    entry: &WidgetEntry,
    days: i64,
) -> session_store::Result<String> {
    let expiry_date = time::OffsetDateTime::now_utc() + time::Duration::days(days.max(1));
    let mut data = std::collections::HashMap::new();
    data.insert(USER_KEY.to_owned(), serde_json::json!(entry.member.0));
    data.insert(WIDGET_SITE_KEY.to_owned(), serde_json::json!(entry.site.0));
    data.insert(
        WIDGET_ORIGIN_KEY.to_owned(),
        serde_json::json!(entry.origin),
    );
    if let Some(current) = current
        && let Some(known) = widget_session(sessions, current).await?
    {
        let id: Id = current
            .parse()
            .map_err(|_| session_store::Error::Decode(current.into()))?;
        if known.member == entry.member && known.site == entry.site {
            sessions
                .save(&Record {
                    id,
                    data,
                    expiry_date,
                })
                .await?;
            return Ok(known.id);
        }
        sessions.delete(&id).await?;
    }
    let mut record = Record {
        id: Id::default(),
        data,
        expiry_date,
    };
    sessions.create(&mut record).await?;
    Ok(record.id.to_string())
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
