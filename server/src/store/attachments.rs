//! What the store knows of uploaded files: who uploaded them, their name, size, sniffed type
//! and checksum, and (once attached) the ticket message carrying them. The bytes live in the
//! file store (`files`).

use app::protocol::{UploadedFile, UserId};
use sqlx::Row;
use tracing::instrument;

use super::{Result, Store};

/// An uploaded file as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRecord {
    pub file: UploadedFile,
    pub uploader: UserId,
    /// The ticket whose message carries it, once attached.
    pub ticket: Option<app::protocol::TicketId>,
}

impl Store {
    /// Records an upload whose bytes are stored.
    #[instrument(skip_all)]
    pub async fn record_upload(
        &self,
        file: &UploadedFile,
        uploader: UserId,
        now: i64,
    ) -> Result<()> {
        let mut w = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO attachments (id, uploader_id, name, size, content_type, sha256, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&file.id)
        .bind(uploader.0)
        .bind(&file.name)
        .bind(file.size as i64)
        .bind(&file.content_type)
        .bind(&file.sha256)
        .bind(now)
        .execute(w.conn())
        .await?;
        w.commit().await
    }

    /// An uploaded file by id.
    #[instrument(skip_all)]
    pub async fn file(&self, id: &str) -> Result<FileRecord> {
        let row = sqlx::query(
            "SELECT id, uploader_id, name, size, content_type, sha256, ticket_id \
             FROM attachments WHERE id = $1",
        )
        .bind(id)
        .fetch_one(&self.pool)
        .await?;
        Ok(FileRecord {
            file: UploadedFile {
                id: row.try_get("id")?,
                name: row.try_get("name")?,
                size: row.try_get::<i64, _>("size")? as u64,
                content_type: row.try_get("content_type")?,
                sha256: row.try_get("sha256")?,
            },
            uploader: UserId(row.try_get("uploader_id")?),
            ticket: row
                .try_get::<Option<i64>, _>("ticket_id")?
                .map(app::protocol::TicketId),
        })
    }

    /// Forgets an upload not attached to anything; whether there was one.
    #[instrument(skip_all)]
    pub async fn forget_upload(&self, id: &str, uploader: UserId) -> Result<bool> {
        let mut w = self.begin_write().await?;
        let done = sqlx::query(
            "DELETE FROM attachments WHERE id = $1 AND uploader_id = $2 AND ticket_id IS NULL",
        )
        .bind(id)
        .bind(uploader.0)
        .execute(w.conn())
        .await?;
        w.commit().await?;
        Ok(done.rows_affected() == 1)
    }

    /// Forgets the uploads never attached and made before `cutoff`; their ids, whose bytes
    /// are to be removed.
    #[instrument(skip_all)]
    pub async fn forget_stale_uploads(&self, cutoff: i64) -> Result<Vec<String>> {
        let mut w = self.begin_write().await?;
        let ids: Vec<String> = sqlx::query_scalar(
            "DELETE FROM attachments WHERE ticket_id IS NULL AND created_at < $1 RETURNING id",
        )
        .bind(cutoff)
        .fetch_all(w.conn())
        .await?;
        w.commit().await?;
        Ok(ids)
    }
}
