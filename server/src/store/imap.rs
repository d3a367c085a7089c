//! Mailboxes read over IMAP: their account (the password sealed), how far each has been
//! read, and which node reads it until when.

use app::protocol::{MailSecurity, MailboxId, MailboxImap};
use sqlx::{Row, any::AnyRow};
use tracing::instrument;

use super::{Result, Store};

/// A mailbox's IMAP settings as shown (never the password), from a row of `mailboxes` with
/// its `imap_…` columns; `None` when it is not read over IMAP.
pub(super) fn settings(row: &AnyRow) -> Result<Option<MailboxImap>> {
    let Some(host) = row.try_get::<Option<String>, _>("imap_host")? else {
        return Ok(None);
    };
    let security: String = row.try_get("imap_security")?;
    Ok(Some(MailboxImap {
        host,
        port: u16::try_from(row.try_get::<i64, _>("imap_port")?).unwrap_or(993),
        security: MailSecurity::parse(&security).unwrap_or(MailSecurity::Tls),
        user: row
            .try_get::<Option<String>, _>("imap_user")?
            .unwrap_or_default(),
        folder: row.try_get("imap_folder")?,
        problem: row.try_get("imap_problem")?,
        checked_at: row.try_get("imap_checked_at")?,
    }))
}

/// What reading a mailbox over IMAP needs: its name, settings, sealed password, and where
/// reading stopped.
#[derive(Debug, Clone)]
pub struct ImapAccount {
    pub name: String,
    pub settings: MailboxImap,
    pub sealed: String,
    pub uid_validity: Option<i64>,
    pub last_uid: i64,
}

impl Store {
    /// Reads mailbox `id`'s mail from now on over IMAP as `imap` says, with `sealed`
    /// password (`None`: the one it has). Another server, account or folder starts reading
    /// afresh; `NotFound` when there is no such mailbox.
    #[instrument(skip_all)]
    pub async fn connect_mailbox(
        &self,
        id: MailboxId,
        imap: &MailboxImap,
        sealed: Option<&str>,
    ) -> Result<()> {
        let mut w = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE mailboxes SET \
             imap_uid_validity = CASE WHEN imap_host = $2 AND imap_user = $5 \
               AND imap_folder = $6 THEN imap_uid_validity ELSE NULL END, \
             imap_last_uid = CASE WHEN imap_host = $2 AND imap_user = $5 \
               AND imap_folder = $6 THEN imap_last_uid ELSE 0 END, \
             imap_host = $2, imap_port = $3, imap_security = $4, imap_user = $5, \
             imap_folder = $6, imap_secret = COALESCE($7, imap_secret), imap_problem = NULL, \
             imap_lease_until = NULL WHERE id = $1",
        )
        .bind(id.0)
        .bind(&imap.host)
        .bind(i64::from(imap.port))
        .bind(imap.security.as_str())
        .bind(&imap.user)
        .bind(&imap.folder)
        .bind(sealed)
        .execute(w.conn())
        .await?;
        w.commit().await?;
        if done.rows_affected() == 0 {
            return Err(super::Error::NotFound);
        }
        Ok(())
    }

    /// Mailbox `id` is no longer read over IMAP; its password is forgotten.
    #[instrument(skip_all)]
    pub async fn disconnect_mailbox(&self, id: MailboxId) -> Result<()> {
        self.change_by_id(
            "UPDATE mailboxes SET imap_host = NULL, imap_user = NULL, imap_secret = NULL, \
             imap_uid_validity = NULL, imap_last_uid = 0, imap_lease_until = NULL, \
             imap_problem = NULL, imap_checked_at = NULL WHERE id = $1",
            id.0,
        )
        .await
    }

    /// Mailboxes read over IMAP that no node reads now (their lease ended before `now`).
    #[instrument(skip_all)]
    pub async fn unread_imap_mailboxes(&self, now: i64) -> Result<Vec<MailboxId>> {
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM mailboxes WHERE imap_host IS NOT NULL AND imap_secret IS NOT NULL \
             AND (imap_lease_until IS NULL OR imap_lease_until <= $1) ORDER BY id",
        )
        .bind(now)
        .fetch_all(&self.pool)
        .await?;
        Ok(ids.into_iter().map(MailboxId).collect())
    }

    /// This node reads mailbox `id` until `until` — when no node does, or to renew its own
    /// lease (`held` is the lease it holds). The lease it holds now, or `None` when another
    /// node has it, or it is no longer read over IMAP.
    #[instrument(skip_all)]
    pub async fn lease_imap(
        &self,
        id: MailboxId,
        now: i64,
        held: Option<i64>,
        until: i64,
    ) -> Result<Option<i64>> {
        let mut w = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE mailboxes SET imap_lease_until = $3 WHERE id = $1 \
             AND imap_host IS NOT NULL AND imap_secret IS NOT NULL \
             AND (imap_lease_until IS NULL OR imap_lease_until <= $2 OR imap_lease_until = $4)",
        )
        .bind(id.0)
        .bind(now)
        .bind(until)
        .bind(held.unwrap_or(-1))
        .execute(w.conn())
        .await?;
        w.commit().await?;
        Ok((done.rows_affected() == 1).then_some(until))
    }

    /// This node stops reading mailbox `id` (holding lease `held`).
    #[instrument(skip_all)]
    pub async fn release_imap(&self, id: MailboxId, held: i64) -> Result<()> {
        let mut w = self.begin_write().await?;
        sqlx::query(
            "UPDATE mailboxes SET imap_lease_until = NULL WHERE id = $1 AND imap_lease_until = $2",
        )
        .bind(id.0)
        .bind(held)
        .execute(w.conn())
        .await?;
        w.commit().await?;
        Ok(())
    }

    /// What reading mailbox `id` over IMAP needs; `None` when it is not read so.
    #[instrument(skip_all)]
    pub async fn imap_account(&self, id: MailboxId) -> Result<Option<ImapAccount>> {
        let row = sqlx::query(
            "SELECT name, imap_host, imap_port, imap_security, imap_user, imap_folder, \
             imap_problem, imap_checked_at, imap_secret, imap_uid_validity, imap_last_uid \
             FROM mailboxes WHERE id = $1 AND imap_host IS NOT NULL AND imap_secret IS NOT NULL",
        )
        .bind(id.0)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let Some(settings) = settings(&row)? else {
            return Ok(None);
        };
        Ok(Some(ImapAccount {
            name: row.try_get("name")?,
            settings,
            sealed: row.try_get("imap_secret")?,
            uid_validity: row.try_get("imap_uid_validity")?,
            last_uid: row.try_get("imap_last_uid")?,
        }))
    }

    /// Mailbox `id` has been read up to `last_uid` of folder validity `uid_validity`.
    #[instrument(skip_all)]
    pub async fn imap_read_to(
        &self,
        id: MailboxId,
        uid_validity: i64,
        last_uid: i64,
    ) -> Result<()> {
        let mut w = self.begin_write().await?;
        sqlx::query(
            "UPDATE mailboxes SET imap_uid_validity = $2, imap_last_uid = $3 WHERE id = $1",
        )
        .bind(id.0)
        .bind(uid_validity)
        .bind(last_uid)
        .execute(w.conn())
        .await?;
        w.commit().await?;
        Ok(())
    }

    /// How the last try to read mailbox `id` went (`problem`: `None` when well).
    #[instrument(skip_all)]
    pub async fn imap_checked(&self, id: MailboxId, now: i64, problem: Option<&str>) -> Result<()> {
        let mut w = self.begin_write().await?;
        sqlx::query("UPDATE mailboxes SET imap_checked_at = $2, imap_problem = $3 WHERE id = $1")
            .bind(id.0)
            .bind(now)
            .bind(problem)
            .execute(w.conn())
            .await?;
        w.commit().await?;
        Ok(())
    }
}
