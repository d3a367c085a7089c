//! The outbox: mail the desk sends, written with the reply it carries, then claimed, sent
//! and settled by the sender (see the migration for the states).

use app::{
    i18n::Lang,
    protocol::{DepartmentId, Seq, TicketId, UploadedFile},
};
use sqlx::{Row, any::AnyRow};
use tracing::instrument;

use super::{Result, Store, WriteTx, tickets::decode_err};

/// A mail to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutMail {
    pub ticket: TicketId,
    /// The message it carries (staff numbering).
    pub seq: Seq,
    pub message_id: String,
    pub in_reply_to: Option<String>,
    /// Oldest first.
    pub references: Vec<String>,
    pub from_address: String,
    pub from_name: String,
    pub to_address: String,
    pub to_name: String,
    pub subject: String,
    pub body: String,
    pub files: Vec<UploadedFile>,
    pub language: Lang,
    pub automatic: bool,
    /// A digest of a chat ticket's answers, its text made when it goes (`seq`: the last
    /// member-visible position it carried), rather than one answer's own mail.
    pub digest: bool,
}

/// A claimed mail: this node may send it until its lease ends.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub id: i64,
    pub attempts: i64,
    pub mail: OutMail,
}

/// What a mail of ours that bounced was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentMail {
    pub id: i64,
    pub ticket: TicketId,
    /// The message it carried (a digest: the last answer in it, in the member's numbering).
    pub seq: Seq,
    pub digest: bool,
    pub to_address: String,
    pub state: String,
}

fn claimed(row: &AnyRow) -> Result<Claimed> {
    let refs: String = row.try_get("refs")?;
    let files: String = row.try_get("files")?;
    let language: String = row.try_get("language")?;
    Ok(Claimed {
        id: row.try_get("id")?,
        attempts: row.try_get("attempts")?,
        mail: OutMail {
            ticket: TicketId(row.try_get("ticket_id")?),
            seq: Seq(row.try_get("seq")?),
            message_id: row.try_get("message_id")?,
            in_reply_to: row.try_get("in_reply_to")?,
            references: refs.split_whitespace().map(str::to_owned).collect(),
            from_address: row.try_get("from_address")?,
            from_name: row.try_get("from_name")?,
            to_address: row.try_get("to_address")?,
            to_name: row.try_get("to_name")?,
            subject: row.try_get("subject")?,
            body: row.try_get("body")?,
            files: serde_json::from_str(&files).map_err(|e| decode_err(e.to_string()))?,
            language: Lang::parse(&language).unwrap_or_default(),
            automatic: row.try_get::<i64, _>("automatic")? != 0,
            digest: row.try_get::<String, _>("kind")? == "digest",
        },
    })
}

/// An outbox row's columns from a mail and its times.
macro_rules! outbox_insert {
    ($tail:literal) => {
        concat!(
            "INSERT INTO outbox (ticket_id, seq, message_id, in_reply_to, refs, from_address, \
             from_name, to_address, to_name, subject, body, files, language, automatic, state, \
             next_at, created_at, kind) SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, \
             $12, $13, $14, 'queued', $15, $16, $17 ",
            $tail
        )
    };
}

impl WriteTx {
    /// Puts `mail` in the outbox, due at `due`: part of the write that made its message. A
    /// digest is not queued when one of its ticket waits already (it will carry this answer
    /// too).
    pub async fn enqueue_mail(&mut self, mail: &OutMail, due: i64, now: i64) -> Result<()> {
        let files = serde_json::to_string(&mail.files).map_err(|e| decode_err(e.to_string()))?;
        sqlx::query(outbox_insert!(
            "WHERE $17 = 'reply' OR NOT EXISTS (SELECT 1 FROM outbox WHERE ticket_id = $1 \
             AND kind = 'digest' AND state = 'queued')"
        ))
        .bind(mail.ticket.0)
        .bind(mail.seq.0)
        .bind(&mail.message_id)
        .bind(&mail.in_reply_to)
        .bind(mail.references.join(" "))
        .bind(&mail.from_address)
        .bind(&mail.from_name)
        .bind(&mail.to_address)
        .bind(&mail.to_name)
        .bind(&mail.subject)
        .bind(&mail.body)
        .bind(files)
        .bind(mail.language.code())
        .bind(i64::from(mail.automatic))
        .bind(due)
        .bind(now)
        .bind(if mail.digest { "digest" } else { "reply" })
        .execute(self.conn())
        .await?;
        Ok(())
    }
}

impl Store {
    /// The Message-IDs of a ticket's mail, in and out, oldest first; with the newest one its
    /// member sent, if any.
    #[instrument(skip_all)]
    pub async fn mail_ids(&self, ticket: TicketId) -> Result<(Vec<String>, Option<String>)> {
        let rows = sqlx::query(
            "SELECT message_id, at, mine FROM (\
               SELECT message_id, received_at AS at, 0 AS mine FROM mails \
                 WHERE ticket_id = $1 AND incoming = 0 AND reason IS NULL \
               UNION ALL \
               SELECT message_id, created_at AS at, 1 AS mine FROM outbox WHERE ticket_id = $1\
             ) ids ORDER BY at, message_id",
        )
        .bind(ticket.0)
        .fetch_all(&self.pool)
        .await?;
        let mut ids = Vec::with_capacity(rows.len());
        let mut theirs = None;
        for row in rows {
            let id: String = row.try_get("message_id")?;
            if row.try_get::<i64, _>("mine")? == 0 {
                theirs = Some(id.clone());
            }
            ids.push(id);
        }
        Ok((ids, theirs))
    }

    /// The address replies of `ticket` go out from: the mailbox its mail came through, else
    /// its department's first mailbox.
    #[instrument(skip_all)]
    pub async fn reply_address(&self, ticket: TicketId) -> Result<Option<String>> {
        let found: Option<String> = sqlx::query_scalar(
            "SELECT address FROM (\
               SELECT mb.address, 0 AS rank, m.id AS k FROM mails m \
                 JOIN mailboxes mb ON mb.id = m.mailbox_id WHERE m.ticket_id = $1 \
               UNION ALL \
               SELECT mb.address, 1 AS rank, mb.id AS k FROM mailboxes mb \
                 JOIN tickets t ON t.department_id = mb.department_id WHERE t.id = $1\
             ) a ORDER BY rank, k LIMIT 1",
        )
        .bind(ticket.0)
        .fetch_optional(&self.pool)
        .await?;
        Ok(found)
    }

    /// The address a department's mail goes out from: its first mailbox, if it has one.
    #[instrument(skip_all)]
    pub async fn department_address(&self, department: DepartmentId) -> Result<Option<String>> {
        let found: Option<String> = sqlx::query_scalar(
            "SELECT address FROM mailboxes WHERE department_id = $1 ORDER BY id LIMIT 1",
        )
        .bind(department.0)
        .fetch_optional(&self.pool)
        .await?;
        Ok(found)
    }

    /// Whether any mail is due, or held by a node past its lease (a read: the sender's idle
    /// look costs no write).
    #[instrument(skip_all)]
    pub async fn mail_waiting(&self, now: i64) -> Result<bool> {
        let found: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM outbox WHERE (state = 'queued' AND next_at <= $1) \
             OR (state IN ('sending', 'committing') AND lease_until <= $1) LIMIT 1",
        )
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        Ok(found.is_some())
    }

    /// Claims the mail due longest for this node until `lease_until`; `None` when none is due.
    #[instrument(skip_all)]
    pub async fn claim_mail(&self, now: i64, lease_until: i64) -> Result<Option<Claimed>> {
        let mut w = self.begin_write().await?;
        let row = sqlx::query(concat!(
            "UPDATE outbox SET state = 'sending', lease_until = $1, attempts = attempts + 1 \
             WHERE state = 'queued' AND id = (SELECT id FROM outbox WHERE state = 'queued' \
             AND next_at <= $2 ORDER BY next_at, id LIMIT 1) RETURNING ",
            "id, attempts, ticket_id, seq, message_id, in_reply_to, refs, \
             from_address, from_name, to_address, to_name, subject, body, files, language, automatic, \
             kind"
        ))
        .bind(lease_until)
        .bind(now)
        .fetch_optional(w.conn())
        .await?;
        w.commit().await?;
        row.as_ref().map(claimed).transpose()
    }

    /// The relay is about to hold mail `id`: from here on it counts as sent. `false` when this
    /// node's lease ran out meanwhile (another may have claimed it): then the data must not end.
    #[instrument(skip_all)]
    pub async fn mark_committing(&self, id: i64, now: i64) -> Result<bool> {
        self.outbox_update(
            "UPDATE outbox SET state = 'committing' \
             WHERE id = $1 AND state = 'sending' AND lease_until > $2",
            id,
            now,
            None,
        )
        .await
    }

    /// How far the member of `ticket` has read it (member-visible positions).
    #[instrument(skip_all)]
    pub async fn member_read(&self, ticket: TicketId) -> Result<Seq> {
        let read: i64 = sqlx::query_scalar("SELECT member_read_seq FROM tickets WHERE id = $1")
            .bind(ticket.0)
            .fetch_one(&self.pool)
            .await?;
        Ok(Seq(read))
    }

    /// Where the next digest of `ticket` starts: after what the last one carried.
    #[instrument(skip_all)]
    pub async fn digested_to(&self, ticket: TicketId) -> Result<Seq> {
        let last: Option<i64> = sqlx::query_scalar(
            "SELECT MAX(seq) FROM outbox WHERE ticket_id = $1 AND kind = 'digest' \
             AND state IN ('sending', 'committing', 'sent')",
        )
        .bind(ticket.0)
        .fetch_one(&self.pool)
        .await?;
        Ok(Seq(last.unwrap_or(0)))
    }

    /// Digest `id` carries `body` and `files`, up to the member's position `seq`.
    #[instrument(skip_all)]
    pub async fn fill_digest(
        &self,
        id: i64,
        body: &str,
        files: &[UploadedFile],
        seq: Seq,
    ) -> Result<()> {
        let files = serde_json::to_string(files).map_err(|e| decode_err(e.to_string()))?;
        let mut w = self.begin_write().await?;
        sqlx::query("UPDATE outbox SET body = $2, files = $3, seq = $4 WHERE id = $1")
            .bind(id)
            .bind(body)
            .bind(files)
            .bind(seq.0)
            .execute(w.conn())
            .await?;
        w.commit().await?;
        Ok(())
    }

    /// Mail `id` is out: the relay took it (`note` says so when unconfirmed).
    #[instrument(skip_all)]
    pub async fn mark_sent(&self, id: i64, now: i64, note: Option<&str>) -> Result<bool> {
        self.outbox_update(
            "UPDATE outbox SET state = 'sent', sent_at = $2, lease_until = NULL, last_error = $3 \
             WHERE id = $1 AND state IN ('sending', 'committing')",
            id,
            now,
            note,
        )
        .await
    }

    /// Mail `id` waits until `next_at` after a temporary failure.
    #[instrument(skip_all)]
    pub async fn postpone_mail(&self, id: i64, next_at: i64, error: &str) -> Result<bool> {
        self.outbox_update(
            "UPDATE outbox SET state = 'queued', next_at = $2, lease_until = NULL, \
             last_error = $3 WHERE id = $1 AND state = 'sending'",
            id,
            next_at,
            Some(error),
        )
        .await
    }

    /// Mail `id` can never be delivered (`error` says why); `false` when it was settled before.
    #[instrument(skip_all)]
    pub async fn fail_mail(&self, id: i64, now: i64, error: &str) -> Result<bool> {
        self.outbox_update(
            "UPDATE outbox SET state = 'failed', sent_at = $2, lease_until = NULL, \
             last_error = $3 WHERE id = $1 AND state <> 'failed'",
            id,
            now,
            Some(error),
        )
        .await
    }

    async fn outbox_update(
        &self,
        sql: &'static str,
        id: i64,
        at: i64,
        text: Option<&str>,
    ) -> Result<bool> {
        let mut w = self.begin_write().await?;
        let done = sqlx::query(sql)
            .bind(id)
            .bind(at)
            .bind(text)
            .execute(w.conn())
            .await?;
        w.commit().await?;
        Ok(done.rows_affected() == 1)
    }

    /// Mail whose node stopped holding it (its lease ran out before `now`): what never reached
    /// the data's end is queued again; what did counts as sent, unconfirmed, never twice.
    /// Returns how many of each.
    #[instrument(skip_all)]
    pub async fn recover_mail(&self, now: i64) -> Result<(u64, u64)> {
        let mut w = self.begin_write().await?;
        let again = sqlx::query(
            "UPDATE outbox SET state = 'queued', lease_until = NULL, next_at = $1, \
             last_error = 'interrupted before the end of the data' \
             WHERE state = 'sending' AND lease_until <= $1",
        )
        .bind(now)
        .execute(w.conn())
        .await?
        .rows_affected();
        let settled = sqlx::query(
            "UPDATE outbox SET state = 'sent', sent_at = $1, lease_until = NULL, \
             last_error = 'unconfirmed: interrupted after the end of the data' \
             WHERE state = 'committing' AND lease_until <= $1",
        )
        .bind(now)
        .execute(w.conn())
        .await?
        .rows_affected();
        w.commit().await?;
        Ok((again, settled))
    }

    /// How many mails went (or are going) to `address` since `since`.
    #[instrument(skip_all)]
    pub async fn mail_to_since(&self, address: &str, since: i64) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "SELECT COUNT(*) FROM outbox WHERE to_address = $1 AND created_at >= $2 \
             AND state IN ('sent', 'committing', 'sending')",
        )
        .bind(address)
        .bind(since)
        .fetch_one(&self.pool)
        .await?)
    }

    /// Our mail with Message-ID `message_id`, if we sent one.
    #[instrument(skip_all)]
    pub async fn sent_mail(&self, message_id: &str) -> Result<Option<SentMail>> {
        let row = sqlx::query(
            "SELECT id, ticket_id, seq, kind, to_address, state FROM outbox WHERE message_id = $1",
        )
        .bind(message_id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| {
            Ok(SentMail {
                id: row.try_get("id")?,
                ticket: TicketId(row.try_get("ticket_id")?),
                seq: Seq(row.try_get("seq")?),
                digest: row.try_get::<String, _>("kind")? == "digest",
                to_address: row.try_get("to_address")?,
                state: row.try_get("state")?,
            })
        })
        .transpose()
    }

    /// The staff's number of the event members know as `public` on `ticket`.
    #[instrument(skip_all)]
    pub async fn staff_seq(&self, ticket: TicketId, public: Seq) -> Result<Option<Seq>> {
        let seq: Option<i64> = sqlx::query_scalar(
            "SELECT seq FROM ticket_events WHERE ticket_id = $1 AND public_seq = $2",
        )
        .bind(ticket.0)
        .bind(public.0)
        .fetch_optional(&self.pool)
        .await?;
        Ok(seq.map(Seq))
    }
}

impl Store {
    /// Mails not yet handed to the relay for good: queued, being sent, or committing.
    pub async fn outbox_backlog(&self) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "SELECT COUNT(*) FROM outbox WHERE state IN ('queued', 'sending', 'committing')",
        )
        .fetch_one(&self.pool)
        .await?)
    }
}
