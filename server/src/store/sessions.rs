//! Login sessions (so that a restart does not sign everyone out) and the passwords that open
//! them.

use app::protocol::UserId;
use tracing::instrument;

use super::{Result, Store, WriteTx};

impl Store {
    /// Stores a new session; `false` when the id is already taken.
    #[instrument(skip_all)]
    pub async fn session_create(
        &self,
        id: &str,
        data: &str,
        expires_at: i64,
        user: Option<UserId>,
    ) -> Result<bool> {
        let mut w = self.begin_write().await?;
        let done = sqlx::query(
            "INSERT INTO sessions (id, data, expires_at, user_id) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (id) DO NOTHING",
        )
        .bind(id)
        .bind(data)
        .bind(expires_at)
        .bind(user.map(|u| u.0))
        .execute(w.conn())
        .await?;
        w.commit().await?;
        Ok(done.rows_affected() == 1)
    }

    /// Creates or replaces a session.
    #[instrument(skip_all)]
    pub async fn session_save(
        &self,
        id: &str,
        data: &str,
        expires_at: i64,
        user: Option<UserId>,
    ) -> Result<()> {
        let mut w = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO sessions (id, data, expires_at, user_id) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (id) DO UPDATE SET data = excluded.data, \
             expires_at = excluded.expires_at, user_id = excluded.user_id",
        )
        .bind(id)
        .bind(data)
        .bind(expires_at)
        .bind(user.map(|u| u.0))
        .execute(w.conn())
        .await?;
        w.commit().await
    }

    /// A session that has not expired by `now`.
    #[instrument(skip_all)]
    pub async fn session_load(&self, id: &str, now: i64) -> Result<Option<String>> {
        Ok(
            sqlx::query_scalar("SELECT data FROM sessions WHERE id = $1 AND expires_at > $2")
                .bind(id)
                .bind(now)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// Ends a session.
    #[instrument(skip_all)]
    pub async fn session_delete(&self, id: &str) -> Result<()> {
        let mut w = self.begin_write().await?;
        sqlx::query("DELETE FROM sessions WHERE id = $1")
            .bind(id)
            .execute(w.conn())
            .await?;
        w.commit().await
    }

    /// Removes sessions that expired before `now`; returns how many.
    #[instrument(skip_all)]
    pub async fn session_purge(&self, now: i64) -> Result<u64> {
        let mut w = self.begin_write().await?;
        let done = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(now)
            .execute(w.conn())
            .await?;
        w.commit().await?;
        Ok(done.rows_affected())
    }
}

impl WriteTx {
    /// Ends every session of `user` but `keep` (all of them when `None`), with the write.
    pub async fn end_sessions(&mut self, user: UserId, keep: Option<&str>) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id <> $2")
            .bind(user.0)
            .bind(keep.unwrap_or(""))
            .execute(self.conn())
            .await?;
        Ok(())
    }

    /// Sets a person's password hash; `NotFound` when there is no such person.
    pub async fn set_password(&mut self, user: UserId, hash: &str) -> Result<()> {
        let done = sqlx::query("UPDATE users SET password_hash = $2 WHERE id = $1")
            .bind(user.0)
            .bind(hash)
            .execute(self.conn())
            .await?;
        if done.rows_affected() == 0 {
            return Err(super::Error::NotFound);
        }
        Ok(())
    }
}
