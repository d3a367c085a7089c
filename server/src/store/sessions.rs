//! Login sessions, so that a restart does not sign everyone out.

use tracing::instrument;

use super::{Result, Store};

impl Store {
    /// Stores a new session; `false` when the id is already taken.
    #[instrument(skip_all)]
    pub async fn session_create(&self, id: &str, data: &str, expires_at: i64) -> Result<bool> {
        let mut w = self.begin_write().await?;
        let done = sqlx::query(
            "INSERT INTO sessions (id, data, expires_at) VALUES ($1, $2, $3) \
             ON CONFLICT (id) DO NOTHING",
        )
        .bind(id)
        .bind(data)
        .bind(expires_at)
        .execute(w.conn())
        .await?;
        w.commit().await?;
        Ok(done.rows_affected() == 1)
    }

    /// Creates or replaces a session.
    #[instrument(skip_all)]
    pub async fn session_save(&self, id: &str, data: &str, expires_at: i64) -> Result<()> {
        let mut w = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO sessions (id, data, expires_at) VALUES ($1, $2, $3) \
             ON CONFLICT (id) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at",
        )
        .bind(id)
        .bind(data)
        .bind(expires_at)
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
