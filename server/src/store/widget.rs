//! The sites that embed the widget, and the identity tokens already used on them.

use app::protocol::{SiteId, UserId, WidgetSite};
use sqlx::{Row, any::AnyRow};
use tracing::instrument;

use super::{Result, Store, WriteTx};

impl WriteTx {
    /// Commits when the statement changed one row; `NotFound` (nothing committed) when none.
    async fn commit_if_one(self, rows: u64) -> Result<()> {
        if rows == 0 {
            return Err(super::Error::NotFound);
        }
        self.commit().await
    }
}

/// The session keys of a widget session: the site it was opened on, and its page's origin.
pub const SITE_KEY: &str = "widget_site";
pub const ORIGIN_KEY: &str = "widget_origin";

/// A site with its sealed secret, as the widget's sign-in reads it.
#[derive(Debug, Clone)]
pub struct SiteRecord {
    pub site: WidgetSite,
    pub sealed_secret: String,
}

fn site_of(row: &AnyRow) -> Result<WidgetSite> {
    let origins: String = row.try_get("origins")?;
    Ok(WidgetSite {
        id: SiteId(row.try_get("id")?),
        key: row.try_get("site_key")?,
        name: row.try_get("name")?,
        origins: origins.lines().map(str::to_owned).collect(),
    })
}

impl Store {
    /// Every site, by name.
    #[instrument(skip_all)]
    pub async fn widget_sites(&self) -> Result<Vec<WidgetSite>> {
        sqlx::query("SELECT id, site_key, name, origins FROM widget_sites ORDER BY name, id")
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(site_of)
            .collect()
    }

    /// The site its snippet names `key`, with its sealed secret.
    #[instrument(skip_all)]
    pub async fn widget_site(&self, key: &str) -> Result<Option<SiteRecord>> {
        let row = sqlx::query(
            "SELECT id, site_key, name, origins, secret FROM widget_sites WHERE site_key = $1",
        )
        .bind(key)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| {
            Ok(SiteRecord {
                site: site_of(&row)?,
                sealed_secret: row.try_get("secret")?,
            })
        })
        .transpose()
    }

    /// The origins of site `id` (none when it is gone).
    #[instrument(skip_all)]
    pub async fn widget_origins(&self, id: SiteId) -> Result<Vec<String>> {
        let origins: Option<String> =
            sqlx::query_scalar("SELECT origins FROM widget_sites WHERE id = $1")
                .bind(id.0)
                .fetch_optional(&self.pool)
                .await?;
        Ok(origins
            .map(|o| o.lines().map(str::to_owned).collect())
            .unwrap_or_default())
    }

    /// Adds a site; its id. `Conflict` when its name or key is taken.
    #[instrument(skip_all)]
    pub async fn create_widget_site(
        &self,
        key: &str,
        name: &str,
        origins: &[String],
        sealed_secret: &str,
        now: i64,
    ) -> Result<SiteId> {
        let mut w = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO widget_sites (site_key, name, origins, secret, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(key)
        .bind(name)
        .bind(origins.join("\n"))
        .bind(sealed_secret)
        .bind(now)
        .fetch_one(w.conn())
        .await?;
        w.commit().await?;
        Ok(SiteId(id))
    }

    /// Renames site `id` and sets its origins; `NotFound` when there is none.
    #[instrument(skip_all)]
    pub async fn update_widget_site(
        &self,
        id: SiteId,
        name: &str,
        origins: &[String],
    ) -> Result<()> {
        let mut w = self.begin_write().await?;
        let done = sqlx::query("UPDATE widget_sites SET name = $2, origins = $3 WHERE id = $1")
            .bind(id.0)
            .bind(name)
            .bind(origins.join("\n"))
            .execute(w.conn())
            .await?;
        w.commit_if_one(done.rows_affected()).await
    }

    /// Gives site `id` a new sealed secret; `NotFound` when there is none.
    #[instrument(skip_all)]
    pub async fn set_widget_secret(&self, id: SiteId, sealed_secret: &str) -> Result<()> {
        let mut w = self.begin_write().await?;
        let done = sqlx::query("UPDATE widget_sites SET secret = $2 WHERE id = $1")
            .bind(id.0)
            .bind(sealed_secret)
            .execute(w.conn())
            .await?;
        w.commit_if_one(done.rows_affected()).await
    }

    /// Removes site `id` and the tokens used on it; `NotFound` when there is none.
    #[instrument(skip_all)]
    pub async fn delete_widget_site(&self, id: SiteId) -> Result<()> {
        let mut w = self.begin_write().await?;
        sqlx::query("DELETE FROM widget_token_uses WHERE site_id = $1")
            .bind(id.0)
            .execute(w.conn())
            .await?;
        let done = sqlx::query("DELETE FROM widget_sites WHERE id = $1")
            .bind(id.0)
            .execute(w.conn())
            .await?;
        w.commit_if_one(done.rows_affected()).await
    }

    /// Ends the widget sessions of `site` whose page's origin is not one of `keep` (all of
    /// them when it is empty); each one's id and member.
    #[instrument(skip_all)]
    pub async fn end_widget_sessions(
        &self,
        site: SiteId,
        keep: &[String],
    ) -> Result<Vec<(String, UserId)>> {
        let mut w = self.begin_write().await?;
        let rows = sqlx::query("SELECT id, data, user_id FROM sessions WHERE data LIKE $1")
            .bind(format!("%\"{SITE_KEY}\":{}%", site.0))
            .fetch_all(w.conn())
            .await?;
        let mut ended = Vec::new();
        for row in rows {
            let data: String = row.try_get("data")?;
            let record: serde_json::Value = serde_json::from_str(&data).unwrap_or_default();
            let fields = &record["data"];
            let origin = fields[ORIGIN_KEY].as_str().unwrap_or_default();
            if fields[SITE_KEY].as_i64() != Some(site.0) || keep.iter().any(|k| k == origin) {
                continue;
            }
            let id: String = row.try_get("id")?;
            sqlx::query("DELETE FROM sessions WHERE id = $1")
                .bind(&id)
                .execute(w.conn())
                .await?;
            let user: Option<i64> = row.try_get("user_id")?;
            if let Some(user) = user {
                ended.push((id, UserId(user)));
            }
        }
        w.commit().await?;
        Ok(ended)
    }

    /// Records that token `token_id` of site `site` was used; `false` when it had been
    /// already (a replay). Kept until `expires_at`, when the token could not be used anyway.
    #[instrument(skip_all)]
    pub async fn spend_widget_token(
        &self,
        site: SiteId,
        token_id: &str,
        expires_at: i64,
    ) -> Result<bool> {
        let mut w = self.begin_write().await?;
        let done = sqlx::query(
            "INSERT INTO widget_token_uses (site_id, token_id, expires_at) VALUES ($1, $2, $3) \
             ON CONFLICT (site_id, token_id) DO NOTHING",
        )
        .bind(site.0)
        .bind(token_id)
        .bind(expires_at)
        .execute(w.conn())
        .await?;
        w.commit().await?;
        Ok(done.rows_affected() == 1)
    }

    /// Forgets the used tokens that expired before `now`.
    #[instrument(skip_all)]
    pub async fn purge_widget_tokens(&self, now: i64) -> Result<u64> {
        let mut w = self.begin_write().await?;
        let done = sqlx::query("DELETE FROM widget_token_uses WHERE expires_at <= $1")
            .bind(now)
            .execute(w.conn())
            .await?;
        w.commit().await?;
        Ok(done.rows_affected())
    }
}
