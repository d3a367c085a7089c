//! What the store knows of uploaded files: who uploaded them, their name, size, sniffed type
//! and checksum, and (once attached) the ticket message carrying them. The bytes live in the
//! file store (`files`).

use app::protocol::{PictureSize, Seq, TicketId, UploadedFile, UserId};
use sqlx::{Row, any::AnyRow};
use tracing::instrument;

use super::{Result, Store, WriteTx};
use crate::domain::FileId;

/// An uploaded file as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRecord {
    pub file: UploadedFile,
    pub uploader: UserId,
    /// The ticket whose message carries it, once attached.
    pub ticket: Option<TicketId>,
    /// Not carried by a message a member may see (a hidden note, or not sent yet).
    pub hidden: bool,
}

fn uploaded_file(row: &AnyRow) -> Result<UploadedFile> {
    Ok(UploadedFile {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        size: row.try_get::<i64, _>("size")? as u64,
        content_type: row.try_get("content_type")?,
        sha256: row.try_get("sha256")?,
        picture: match (
            row.try_get::<Option<i64>, _>("width")?,
            row.try_get::<Option<i64>, _>("height")?,
        ) {
            (Some(width), Some(height)) => Some(PictureSize {
                width: width as u32,
                height: height as u32,
            }),
            _ => None,
        },
    })
}

impl WriteTx {
    /// Takes `uploader`'s unsent files `ids` for a message of `ticket`; those found (a file
    /// that is unknown, someone else's or already sent is left out).
    pub async fn claim_files(
        &mut self,
        ids: &[FileId],
        uploader: UserId,
        ticket: TicketId,
    ) -> Result<Vec<UploadedFile>> {
        let mut files = Vec::with_capacity(ids.len());
        for id in ids {
            let row = sqlx::query(
                "UPDATE attachments SET ticket_id = $1 \
                 WHERE id = $2 AND uploader_id = $3 AND ticket_id IS NULL \
                 RETURNING id, name, size, content_type, sha256, width, height",
            )
            .bind(ticket.0)
            .bind(id.as_str())
            .bind(uploader.0)
            .fetch_optional(self.conn())
            .await?;
            if let Some(row) = row {
                files.push(uploaded_file(&row)?);
            }
        }
        Ok(files)
    }

    /// Records which event of `ticket` carries the files `ids`.
    pub async fn place_files(&mut self, ids: &[FileId], ticket: TicketId, seq: Seq) -> Result<()> {
        for id in ids {
            sqlx::query("UPDATE attachments SET seq = $1 WHERE id = $2 AND ticket_id = $3")
                .bind(seq.0)
                .bind(id.as_str())
                .bind(ticket.0)
                .execute(self.conn())
                .await?;
        }
        Ok(())
    }
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
            "INSERT INTO attachments \
             (id, uploader_id, name, size, content_type, sha256, created_at, width, height) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(&file.id)
        .bind(uploader.0)
        .bind(&file.name)
        .bind(file.size as i64)
        .bind(&file.content_type)
        .bind(&file.sha256)
        .bind(now)
        .bind(file.picture.map(|p| i64::from(p.width)))
        .bind(file.picture.map(|p| i64::from(p.height)))
        .execute(w.conn())
        .await?;
        w.commit().await
    }

    /// An uploaded file by id.
    #[instrument(skip_all)]
    pub async fn file(&self, id: &str) -> Result<FileRecord> {
        let row = sqlx::query(
            "SELECT f.id, f.uploader_id, f.name, f.size, f.content_type, f.sha256, f.width, \
             f.height, f.ticket_id, e.public_seq FROM attachments f \
             LEFT JOIN ticket_events e ON e.ticket_id = f.ticket_id AND e.seq = f.seq \
             WHERE f.id = $1",
        )
        .bind(id)
        .fetch_one(&self.pool)
        .await?;
        Ok(FileRecord {
            file: uploaded_file(&row)?,
            uploader: UserId(row.try_get("uploader_id")?),
            ticket: row.try_get::<Option<i64>, _>("ticket_id")?.map(TicketId),
            // A file is the member's exactly when the event carrying it is (not a note's, and
            // not one that is not sent yet).
            hidden: row.try_get::<Option<i64>, _>("public_seq")?.is_none(),
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
