//! Whether members may sign themselves up, and the sign-ups waiting for their address to be
//! confirmed.

use sqlx::Row;
use tracing::instrument;

use super::{Result, Store};

/// The switch that lets members sign themselves up.
const SIGN_UP: &str = "sign_up";

/// A sign-up waiting for its link to be followed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingSignUp {
    pub email: String,
    pub name: String,
    pub password_hash: String,
    pub language: Option<String>,
}

impl Store {
    /// Whether members may sign themselves up (off until an administrator allows it).
    #[instrument(skip_all)]
    pub async fn sign_up_open(&self) -> Result<bool> {
        let enabled: Option<i64> =
            sqlx::query_scalar("SELECT enabled FROM desk_switches WHERE name = $1")
                .bind(SIGN_UP)
                .fetch_optional(&self.pool)
                .await?;
        Ok(enabled.is_some_and(|e| e != 0))
    }

    /// Lets members sign themselves up, or no longer.
    #[instrument(skip_all)]
    pub async fn set_sign_up_open(&self, open: bool) -> Result<()> {
        let mut w = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO desk_switches (name, enabled) VALUES ($1, $2) \
             ON CONFLICT (name) DO UPDATE SET enabled = $2",
        )
        .bind(SIGN_UP)
        .bind(i64::from(open))
        .execute(w.conn())
        .await?;
        w.commit().await
    }

    /// Keeps a sign-up until `expires_at`, in place of any earlier one for the same address.
    #[instrument(skip_all)]
    pub async fn add_sign_up(
        &self,
        token_hash: &str,
        pending: &PendingSignUp,
        now: i64,
        expires_at: i64,
    ) -> Result<()> {
        let mut w = self.begin_write().await?;
        sqlx::query("DELETE FROM sign_ups WHERE lower(email) = lower($1)")
            .bind(&pending.email)
            .execute(w.conn())
            .await?;
        sqlx::query(
            "INSERT INTO sign_ups (token_hash, email, name, password_hash, language, \
             created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(token_hash)
        .bind(&pending.email)
        .bind(&pending.name)
        .bind(&pending.password_hash)
        .bind(pending.language.as_deref())
        .bind(now)
        .bind(expires_at)
        .execute(w.conn())
        .await?;
        w.commit().await
    }

    /// When the last sign-up for `email` was asked for, if one waits.
    #[instrument(skip_all)]
    pub async fn last_sign_up(&self, email: &str) -> Result<Option<i64>> {
        Ok(sqlx::query_scalar(
            "SELECT max(created_at) FROM sign_ups WHERE lower(email) = lower($1)",
        )
        .bind(email)
        .fetch_one(&self.pool)
        .await?)
    }

    /// The sign-up whose token hashes to `token_hash`, taken (it works once) while it lasts.
    #[instrument(skip_all)]
    pub async fn take_sign_up(&self, token_hash: &str, now: i64) -> Result<Option<PendingSignUp>> {
        let mut w = self.begin_write().await?;
        let row = sqlx::query(
            "DELETE FROM sign_ups WHERE token_hash = $1 \
             RETURNING email, name, password_hash, language, expires_at",
        )
        .bind(token_hash)
        .fetch_optional(w.conn())
        .await?;
        w.commit().await?;
        let Some(row) = row else {
            return Ok(None);
        };
        if row.try_get::<i64, _>("expires_at")? <= now {
            return Ok(None);
        }
        Ok(Some(PendingSignUp {
            email: row.try_get("email")?,
            name: row.try_get("name")?,
            password_hash: row.try_get("password_hash")?,
            language: row.try_get("language")?,
        }))
    }

    /// Forgets the sign-ups not confirmed by `now`.
    #[instrument(skip_all)]
    pub async fn purge_sign_ups(&self, now: i64) -> Result<u64> {
        let mut w = self.begin_write().await?;
        let done = sqlx::query("DELETE FROM sign_ups WHERE expires_at <= $1")
            .bind(now)
            .execute(w.conn())
            .await?;
        w.commit().await?;
        Ok(done.rows_affected())
    }
}
