//! Mailboxes and the mails taken in through them.

use app::protocol::{
    DepartmentId, IncomingMail, IncomingReason, Mailbox, MailboxId, QueueId, Seq, TicketId, UserId,
};
use sqlx::{Row, any::AnyRow};
use tracing::instrument;

use super::{Error, Result, Store};

/// Mails waiting in Incoming messages with their mailboxes, then `$tail`.
macro_rules! incoming_sql {
    ($tail:literal) => {
        concat!(
            "SELECT m.id, b.name AS mailbox, b.queue_id, m.department_id, m.from_address, \
             m.from_name, m.subject, m.body, m.received_at, m.reason, m.ticket_id FROM mails m \
             JOIN mailboxes b ON b.id = m.mailbox_id WHERE m.incoming = 1 ",
            $tail
        )
    };
}

/// Why a mail waits in Incoming messages, as stored (`held` when unknown).
fn reason_of(row: &AnyRow) -> Result<IncomingReason> {
    let reason: Option<String> = row.try_get("reason")?;
    Ok(reason
        .as_deref()
        .and_then(IncomingReason::parse)
        .unwrap_or(IncomingReason::Held))
}

fn incoming(row: &AnyRow) -> Result<IncomingMail> {
    Ok(IncomingMail {
        id: row.try_get("id")?,
        mailbox: row.try_get("mailbox")?,
        department_id: DepartmentId(row.try_get("department_id")?),
        from_address: row.try_get("from_address")?,
        from_name: row.try_get("from_name")?,
        subject: row.try_get("subject")?,
        body: row.try_get("body")?,
        received_at: row.try_get("received_at")?,
        reason: reason_of(row)?,
        ticket_id: row.try_get::<Option<i64>, _>("ticket_id")?.map(TicketId),
    })
}

pub(super) fn mailbox(row: &AnyRow) -> Result<Mailbox> {
    Ok(Mailbox {
        id: MailboxId(row.try_get("id")?),
        name: row.try_get("name")?,
        address: row.try_get("address")?,
        department_id: DepartmentId(row.try_get("department_id")?),
        queue_id: row.try_get::<Option<i64>, _>("queue_id")?.map(QueueId),
        allow_new_members: row.try_get::<i64, _>("allow_new_members")? != 0,
        hold_all: row.try_get::<i64, _>("hold_all")? != 0,
        imap: super::imap::settings(row)?,
    })
}

/// Where a mail is and what it says, for showing it to staff who may see it there.
#[derive(Debug, Clone)]
pub struct MailPlace {
    pub id: i64,
    pub department_id: DepartmentId,
    pub ticket_id: Option<TicketId>,
    /// Why it waits in Incoming messages, when it waits there.
    pub reason: Option<IncomingReason>,
    pub raw_file: Option<String>,
    pub received_at: i64,
    pub from_address: String,
    pub from_name: String,
    pub subject: String,
    pub body: String,
    /// How the spam filter learned it, if it did.
    pub learned: Option<super::Learned>,
}

impl MailPlace {
    /// The ticket it went to; `None` while it waits in Incoming messages (where a third
    /// party's mail still names the ticket it answers).
    pub fn in_ticket(&self) -> Option<TicketId> {
        self.ticket_id.filter(|_| self.reason.is_none())
    }
}

/// A mailbox's columns, then `$tail`.
macro_rules! mailbox_sql {
    ($tail:literal) => {
        concat!(
            "SELECT id, name, address, department_id, queue_id, allow_new_members, hold_all, \
             imap_host, imap_port, imap_security, imap_user, imap_folder, imap_problem, \
             imap_checked_at FROM mailboxes ",
            $tail
        )
    };
}

/// A mail as it is recorded once taken in.
pub struct MailRecord<'a> {
    pub mailbox: MailboxId,
    pub message_id: &'a str,
    pub thread_root: Option<&'a str>,
    pub from_address: &'a str,
    pub from_name: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
    pub raw_file: Option<&'a str>,
    pub raw_size: i64,
    pub department: DepartmentId,
    /// Where it went: a ticket's message, or Incoming messages with the reason.
    pub placed: Placed<'a>,
    pub now: i64,
}

/// Where a mail went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placed<'a> {
    Ticket {
        ticket: TicketId,
        seq: app::protocol::Seq,
    },
    Incoming {
        reason: &'a str,
        ticket: Option<TicketId>,
    },
    /// A delivery report about mail of `ticket`: noted there, never a message.
    Report { ticket: TicketId },
}

impl Store {
    /// Every mailbox, by name.
    #[instrument(skip_all)]
    pub async fn mailboxes(&self) -> Result<Vec<Mailbox>> {
        let rows = sqlx::query(mailbox_sql!("ORDER BY name"))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(mailbox).collect()
    }

    /// The mailbox named `name`.
    #[instrument(skip_all)]
    pub async fn mailbox_named(&self, name: &str) -> Result<Mailbox> {
        let row = sqlx::query(mailbox_sql!("WHERE lower(name) = lower($1)"))
            .bind(name)
            .fetch_one(&self.pool)
            .await?;
        mailbox(&row)
    }

    /// Adds a mailbox; `Conflict` when the name is taken.
    #[instrument(skip_all)]
    pub async fn create_mailbox(&self, new: &Mailbox, now: i64) -> Result<MailboxId> {
        let mut w = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO mailboxes (name, address, department_id, queue_id, allow_new_members, \
             hold_all, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(&new.name)
        .bind(&new.address)
        .bind(new.department_id.0)
        .bind(new.queue_id.map(|q| q.0))
        .bind(i64::from(new.allow_new_members))
        .bind(i64::from(new.hold_all))
        .bind(now)
        .fetch_one(w.conn())
        .await?;
        w.commit().await?;
        Ok(MailboxId(id))
    }

    /// Whether a mail with this Message-ID was taken in through `mailbox` already.
    #[instrument(skip_all)]
    pub async fn mail_taken(&self, mailbox: MailboxId, message_id: &str) -> Result<bool> {
        let found: Option<i64> =
            sqlx::query_scalar("SELECT id FROM mails WHERE mailbox_id = $1 AND message_id = $2")
                .bind(mailbox.0)
                .bind(message_id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(found.is_some())
    }

    /// The ticket of the most recent mail among `message_ids` (tried in order), or else of
    /// Outlook's conversation `thread_root`, that names a ticket.
    #[instrument(skip_all)]
    pub async fn mail_thread(
        &self,
        message_ids: &[String],
        thread_root: Option<&str>,
    ) -> Result<Option<TicketId>> {
        const BY_ID: &str = "SELECT ticket_id FROM mails WHERE message_id = $1 \
             AND ticket_id IS NOT NULL ORDER BY id DESC LIMIT 1";
        const BY_OURS: &str = "SELECT ticket_id FROM outbox WHERE message_id = $1";
        const BY_ROOT: &str = "SELECT ticket_id FROM mails WHERE thread_root = $1 \
             AND ticket_id IS NOT NULL ORDER BY id DESC LIMIT 1";
        let keys = message_ids
            .iter()
            .flat_map(|id| [(BY_ID, id.as_str()), (BY_OURS, id.as_str())])
            .chain(thread_root.map(|root| (BY_ROOT, root)));
        for (sql, key) in keys {
            let found: Option<Option<i64>> = sqlx::query_scalar(sql)
                .bind(key)
                .fetch_optional(&self.pool)
                .await?;
            if let Some(Some(ticket)) = found {
                return Ok(Some(TicketId(ticket)));
            }
        }
        Ok(None)
    }

    /// Records a mail taken in; `Conflict` when its Message-ID was taken in through the same
    /// mailbox already.
    #[instrument(skip_all)]
    pub async fn record_mail(&self, mail: MailRecord<'_>) -> Result<i64> {
        let (ticket, seq, incoming, reason) = match mail.placed {
            Placed::Ticket { ticket, seq } => (Some(ticket.0), Some(seq.0), 0i64, None),
            Placed::Incoming { reason, ticket } => (ticket.map(|t| t.0), None, 1, Some(reason)),
            Placed::Report { ticket } => (Some(ticket.0), None, 0, Some("report")),
        };
        let mut w = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO mails (mailbox_id, message_id, thread_root, from_address, from_name, \
             subject, body, received_at, raw_file, raw_size, ticket_id, seq, incoming, reason, \
             department_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, \
             $15) RETURNING id",
        )
        .bind(mail.mailbox.0)
        .bind(mail.message_id)
        .bind(mail.thread_root)
        .bind(mail.from_address)
        .bind(mail.from_name)
        .bind(mail.subject)
        .bind(mail.body)
        .bind(mail.now)
        .bind(mail.raw_file)
        .bind(mail.raw_size)
        .bind(ticket)
        .bind(seq)
        .bind(incoming)
        .bind(reason)
        .bind(mail.department.0)
        .fetch_one(w.conn())
        .await?;
        w.commit().await?;
        Ok(id)
    }

    /// Deletes a mailbox; `NotFound` when there is none.
    #[instrument(skip_all)]
    pub async fn delete_mailbox(&self, id: MailboxId) -> Result<()> {
        self.change_by_id("DELETE FROM mailboxes WHERE id = $1", id.0)
            .await
    }

    /// Waiting mail `id` waits for another `reason` now; `NotFound` when it waits no more.
    #[instrument(skip_all)]
    pub async fn set_incoming_reason(&self, id: i64, reason: &str) -> Result<()> {
        let mut w = self.begin_write().await?;
        let done = sqlx::query("UPDATE mails SET reason = $2 WHERE id = $1 AND incoming = 1")
            .bind(id)
            .bind(reason)
            .execute(w.conn())
            .await?;
        w.commit().await?;
        if done.rows_affected() == 0 {
            return Err(Error::NotFound);
        }
        Ok(())
    }

    /// Spam received before `before`, removed; where their raw copies were.
    #[instrument(skip_all)]
    pub async fn remove_old_spam(&self, before: i64) -> Result<Vec<String>> {
        let mut w = self.begin_write().await?;
        let raw: Vec<Option<String>> = sqlx::query_scalar(
            "DELETE FROM mails WHERE incoming = 1 AND reason = 'spam' AND received_at < $1 \
             RETURNING raw_file",
        )
        .bind(before)
        .fetch_all(w.conn())
        .await?;
        w.commit().await?;
        Ok(raw.into_iter().flatten().collect())
    }

    /// The member whose address is `key` (lower case, without a `+tag`), if any.
    #[instrument(skip_all)]
    pub async fn member_by_address(&self, key: &str) -> Result<Option<UserId>> {
        let found: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM users WHERE role = 'member' AND lower(email) = $1 \
             AND disabled_at IS NULL",
        )
        .bind(key)
        .fetch_optional(&self.pool)
        .await?;
        Ok(found.map(UserId))
    }

    /// The newest mails waiting in Incoming messages of `departments` (every department:
    /// `None`), at most `limit`.
    #[instrument(skip_all)]
    pub async fn incoming(
        &self,
        departments: Option<&[DepartmentId]>,
        limit: i64,
    ) -> Result<Vec<IncomingMail>> {
        let Some(departments) = departments else {
            let rows = sqlx::query(incoming_sql!(
                "ORDER BY m.received_at DESC, m.id DESC LIMIT $1"
            ))
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
            return rows.iter().map(incoming).collect();
        };
        // An operator works a few departments: each read on its index, the newest kept.
        let mut mails = Vec::new();
        for department in departments {
            let rows = sqlx::query(incoming_sql!(
                "AND m.department_id = $1 ORDER BY m.received_at DESC, m.id DESC LIMIT $2"
            ))
            .bind(department.0)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
            for row in &rows {
                mails.push(incoming(row)?);
            }
        }
        mails.sort_by_key(|m| std::cmp::Reverse((m.received_at, m.id)));
        mails.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
        Ok(mails)
    }

    /// One mail waiting in Incoming messages, with its mailbox's queue; `NotFound` when it
    /// is not (or no longer) waiting.
    #[instrument(skip_all)]
    pub async fn incoming_mail(&self, id: i64) -> Result<(IncomingMail, Option<QueueId>)> {
        let row = sqlx::query(incoming_sql!("AND m.id = $1"))
            .bind(id)
            .fetch_one(&self.pool)
            .await?;
        let queue = row.try_get::<Option<i64>, _>("queue_id")?.map(QueueId);
        Ok((incoming(&row)?, queue))
    }

    /// A waiting mail went to `ticket` (as its message or note `seq`): it leaves Incoming
    /// messages. `NotFound` when someone else sorted it first.
    #[instrument(skip_all)]
    pub async fn settle_mail(&self, id: i64, ticket: TicketId, seq: Seq) -> Result<()> {
        let mut w = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE mails SET incoming = 0, reason = NULL, ticket_id = $2, seq = $3 \
             WHERE id = $1 AND incoming = 1",
        )
        .bind(id)
        .bind(ticket.0)
        .bind(seq.0)
        .execute(w.conn())
        .await?;
        if done.rows_affected() == 0 {
            return Err(Error::NotFound);
        }
        w.commit().await
    }

    /// Mail `id`, wherever it went.
    #[instrument(skip_all)]
    pub async fn mail_place(&self, id: i64) -> Result<MailPlace> {
        let row = sqlx::query(
            "SELECT id, department_id, ticket_id, incoming, reason, raw_file, received_at, \
             from_address, from_name, subject, body, learned FROM mails WHERE id = $1",
        )
        .bind(id)
        .fetch_one(&self.pool)
        .await?;
        let incoming = row.try_get::<i64, _>("incoming")? != 0;
        Ok(MailPlace {
            id: row.try_get("id")?,
            department_id: DepartmentId(row.try_get("department_id")?),
            ticket_id: row.try_get::<Option<i64>, _>("ticket_id")?.map(TicketId),
            reason: if incoming {
                Some(reason_of(&row)?)
            } else {
                None
            },
            raw_file: row.try_get("raw_file")?,
            received_at: row.try_get("received_at")?,
            from_address: row.try_get("from_address")?,
            from_name: row.try_get("from_name")?,
            subject: row.try_get("subject")?,
            body: row.try_get("body")?,
            learned: row
                .try_get::<Option<String>, _>("learned")?
                .as_deref()
                .and_then(super::Learned::parse),
        })
    }

    /// The mails that went to `ticket` (not waiting in Incoming): their ids and Message-IDs.
    #[instrument(skip_all)]
    pub async fn ticket_mails(&self, ticket: TicketId) -> Result<Vec<(i64, String)>> {
        let rows = sqlx::query(
            "SELECT id, message_id FROM mails WHERE ticket_id = $1 AND incoming = 0 ORDER BY id",
        )
        .bind(ticket.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| Ok((row.try_get("id")?, row.try_get("message_id")?)))
            .collect()
    }

    /// Deletes a waiting mail; where its raw copy is, for the file store to remove.
    /// `NotFound` when it is not waiting.
    #[instrument(skip_all)]
    pub async fn delete_incoming(&self, id: i64) -> Result<Option<String>> {
        let mut w = self.begin_write().await?;
        let raw: Option<Option<String>> = sqlx::query_scalar(
            "DELETE FROM mails WHERE id = $1 AND incoming = 1 RETURNING raw_file",
        )
        .bind(id)
        .fetch_optional(w.conn())
        .await?;
        let Some(raw) = raw else {
            return Err(Error::NotFound);
        };
        w.commit().await?;
        Ok(raw)
    }
}
