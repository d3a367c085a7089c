//! The relay mail leaves through, as an administrator set it: one row, its password sealed.

use app::protocol::{MailRelay, MailSecurity};
use sqlx::Row;
use tracing::instrument;

use super::{Result, Store};

impl Store {
    /// The relay set in `/admin`, with its sealed password; `None` when none is.
    #[instrument(skip_all)]
    pub async fn mail_relay(&self) -> Result<Option<(MailRelay, Option<String>)>> {
        let Some(row) = sqlx::query(
            "SELECT host, port, security, user_name, secret, from_address, bounces_to \
             FROM mail_relay WHERE id = 1",
        )
        .fetch_optional(&self.pool)
        .await?
        else {
            return Ok(None);
        };
        let security: String = row.try_get("security")?;
        let sealed: Option<String> = row.try_get("secret")?;
        let relay = MailRelay {
            host: row.try_get("host")?,
            port: u16::try_from(row.try_get::<i64, _>("port")?).unwrap_or(587),
            security: MailSecurity::parse(&security).unwrap_or_default(),
            user: row.try_get("user_name")?,
            has_password: sealed.is_some(),
            from: row.try_get("from_address")?,
            bounces_to: row.try_get("bounces_to")?,
        };
        Ok(Some((relay, sealed)))
    }

    /// Sets the relay to `relay`, its password `sealed` (`None`: the one it has, if its user
    /// is the same; no user, no password).
    #[instrument(skip_all)]
    pub async fn set_mail_relay(
        &self,
        relay: &MailRelay,
        sealed: Option<&str>,
        now: i64,
    ) -> Result<()> {
        let mut w = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO mail_relay (id, host, port, security, user_name, secret, from_address, \
             bounces_to, updated_at) VALUES (1, $1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (id) DO UPDATE SET host = $1, port = $2, security = $3, \
             secret = CASE WHEN $4 IS NULL THEN NULL \
               WHEN $5 IS NOT NULL THEN $5 \
               WHEN mail_relay.user_name = $4 THEN mail_relay.secret ELSE NULL END, \
             user_name = $4, from_address = $6, bounces_to = $7, updated_at = $8",
        )
        .bind(&relay.host)
        .bind(i64::from(relay.port))
        .bind(relay.security.as_str())
        .bind(relay.user.as_deref())
        .bind(sealed)
        .bind(&relay.from)
        .bind(relay.bounces_to.as_deref())
        .bind(now)
        .execute(w.conn())
        .await?;
        w.commit().await
    }

    /// Forgets the relay set in `/admin`.
    #[instrument(skip_all)]
    pub async fn remove_mail_relay(&self) -> Result<()> {
        let mut w = self.begin_write().await?;
        sqlx::query("DELETE FROM mail_relay WHERE id = 1")
            .execute(w.conn())
            .await?;
        w.commit().await
    }
}
