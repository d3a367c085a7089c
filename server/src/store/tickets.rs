//! Tickets: opening them, their state (holder, status, department, parameters, reads) and
//! the lists that show them.

use app::protocol::{
    AnswerBy, BoardState, Channel, Department, DepartmentId, FeedbackForm, OptionId, OptionKind,
    OptionRef, Person, Queue, QueueId, Role, Seq, TicketId, TicketOption, TicketParams,
    TicketStatus, TicketSummary, UserId,
};
use sqlx::{Row, any::AnyRow};
use tracing::instrument;

use super::{Error, Result, Store, WriteTx};
use crate::domain::{
    TicketRecord, TicketScope, Viewer,
    audience::{staff_sees_ticket, unread_for_member_sql},
};

/// A ticket query: the columns every ticket read needs, then `$tail`.
macro_rules! ticket_sql {
    ($($tail:expr),+) => {
        concat!("SELECT t.id, t.member_id, t.department_id, t.subject, t.status, \
     t.created_at, t.updated_at, t.last_seq, t.last_public_seq, t.revision, t.member_unread, \
     t.member_revision, t.member_updated_at, \
     t.preview, t.public_preview, t.last_author_role, t.public_author_role, t.archived, \
     t.assignee_id, t.assigned_at, t.lapsed_at, h.name AS assignee_name, h.role AS assignee_role, \
     u.name AS member_name, d.name AS department_name, \
     t.status_option_id, so.label AS status_label, t.criticality_id, cr.label AS criticality_label, \
     t.category_id, ca.label AS category_label, t.service_id, sv.label AS service_label, \
     t.channel, t.queue_id, qu.name AS queue_name, qu.channel AS queue_channel, t.answer_by, \
     t.member_wrote_at, t.first_answer_at \
     FROM tickets t JOIN users u ON u.id = t.member_id JOIN departments d ON d.id = t.department_id \
     LEFT JOIN queues qu ON qu.id = t.queue_id \
     LEFT JOIN users h ON h.id = t.assignee_id \
     LEFT JOIN ticket_options so ON so.id = t.status_option_id \
     LEFT JOIN ticket_options cr ON cr.id = t.criticality_id \
     LEFT JOIN ticket_options ca ON ca.id = t.category_id \
     LEFT JOIN ticket_options sv ON sv.id = t.service_id ",
            $($tail),+
        )
    };
}

pub(super) fn decode_err(what: impl std::fmt::Display) -> Error {
    Error::Backend(sqlx::Error::Decode(what.to_string().into()))
}

pub(super) fn role(raw: Option<String>) -> Result<Option<Role>> {
    raw.map(|r| Role::parse(&r).ok_or_else(|| decode_err(format!("unknown role {r}"))))
        .transpose()
}

fn ticket_record(row: &AnyRow) -> Result<TicketRecord> {
    let scope = TicketScope {
        id: TicketId(row.try_get("id")?),
        member_id: UserId(row.try_get("member_id")?),
        department_id: DepartmentId(row.try_get("department_id")?),
    };
    let status: String = row.try_get("status")?;
    Ok(TicketRecord {
        scope,
        summary: TicketSummary {
            id: scope.id,
            subject: row.try_get("subject")?,
            member: Person {
                id: scope.member_id,
                name: row.try_get("member_name")?,
                role: Role::Member,
            },
            department: Department {
                id: scope.department_id,
                name: row.try_get("department_name")?,
            },
            status: TicketStatus::parse(&status)
                .ok_or_else(|| decode_err(format!("unknown status {status}")))?,
            channel: channel(&row.try_get::<String, _>("channel")?)?,
            created_at: row.try_get("created_at")?,
            updated_at: row.try_get("updated_at")?,
            last_seq: Seq(row.try_get("last_seq")?),
            revision: row.try_get("revision")?,
            preview: row.try_get("preview")?,
            last_author_role: role(row.try_get("last_author_role")?)?,
            unread: 0,
            assignee: match row.try_get::<Option<i64>, _>("assignee_id")? {
                Some(id) => Some(Person {
                    id: UserId(id),
                    name: row.try_get("assignee_name")?,
                    role: role(row.try_get("assignee_role")?)?.unwrap_or(Role::Operator),
                }),
                None => None,
            },
            taken_at: row.try_get("assigned_at")?,
            lapsed_at: row.try_get("lapsed_at")?,
            archived: row.try_get::<i64, _>("archived")? != 0,
            params: TicketParams {
                status: option_ref(row, "status_option_id", "status_label")?,
                criticality: option_ref(row, "criticality_id", "criticality_label")?,
                category: option_ref(row, "category_id", "category_label")?,
                service: option_ref(row, "service_id", "service_label")?,
            },
            queue: match row.try_get::<Option<i64>, _>("queue_id")? {
                Some(id) => Some(Queue {
                    id: QueueId(id),
                    name: row.try_get("queue_name")?,
                    channel: channel(&row.try_get::<String, _>("queue_channel")?)?,
                }),
                None => None,
            },
            answer_by: row
                .try_get::<Option<String>, _>("answer_by")?
                .as_deref()
                .and_then(AnswerBy::parse),
            member_wrote_at: row.try_get("member_wrote_at")?,
            answered: row.try_get::<Option<i64>, _>("first_answer_at")?.is_some(),
            seen_at: None,
        },
        last_public_seq: Seq(row.try_get("last_public_seq")?),
        public_preview: row.try_get("public_preview")?,
        public_author_role: role(row.try_get("public_author_role")?)?,
        member_unread: row.try_get("member_unread")?,
        member_revision: row.try_get("member_revision")?,
        member_updated_at: row.try_get("member_updated_at")?,
    })
}

/// A configured option, from its `id`, `kind`, `label` and `side` columns.
pub(super) fn ticket_option(row: &AnyRow) -> Result<TicketOption> {
    let kind: String = row.try_get("kind")?;
    let side: Option<String> = row.try_get("side")?;
    Ok(TicketOption {
        id: OptionId(row.try_get("id")?),
        kind: OptionKind::parse(&kind)
            .ok_or_else(|| decode_err(format!("unknown option kind {kind}")))?,
        label: row.try_get("label")?,
        side: side.as_deref().and_then(TicketStatus::parse),
    })
}

pub(super) fn channel(raw: &str) -> Result<Channel> {
    Channel::parse(raw).ok_or_else(|| decode_err(format!("unknown channel {raw}")))
}

/// An option a ticket carries, from its id and label columns.
fn option_ref(row: &AnyRow, id: &str, label: &str) -> Result<Option<OptionRef>> {
    Ok(match row.try_get::<Option<i64>, _>(id)? {
        Some(id) => Some(OptionRef {
            id: OptionId(id),
            label: row.try_get(label)?,
        }),
        None => None,
    })
}
impl WriteTx {
    /// Inserts a ticket with an empty log.
    #[instrument(skip_all)]
    pub async fn create_ticket(
        &mut self,
        member: UserId,
        department: DepartmentId,
        subject: &str,
        channel: Channel,
        queue: Option<QueueId>,
        now: i64,
    ) -> Result<TicketId> {
        // A ticket goes to the queue asked for, or to its channel's first offered queue.
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO tickets (member_id, department_id, subject, created_at, updated_at, \
             member_updated_at, channel, queue_id) \
             VALUES ($1, $2, $3, $4, $4, $4, $5, COALESCE($6, \
             (SELECT id FROM queues WHERE channel = $5 AND retired = 0 ORDER BY position, id LIMIT 1))) \
             RETURNING id",
        )
        .bind(member.0)
        .bind(department.0)
        .bind(subject)
        .bind(now)
        .bind(channel.as_str())
        .bind(queue.map(|q| q.0))
        .fetch_one(self.conn())
        .await?;
        self.index_text(TicketId(id), Seq(0), Some(Seq(0)), subject)
            .await?;
        Ok(TicketId(id))
    }

    /// Locks the ticket's row for the rest of the transaction and returns who holds the
    /// ticket and its status. PostgreSQL needs `FOR UPDATE`; SQLite's single writer already
    /// excludes everyone else.
    #[instrument(skip_all, fields(ticket_id = %ticket))]
    pub async fn lock_ticket(
        &mut self,
        ticket: TicketId,
    ) -> Result<(Option<Person>, TicketStatus)> {
        // Lock first, then read the holder in a second statement: after waiting for the lock,
        // PostgreSQL re-reads the locked row but not the rows joined to it.
        let sql = match self.backend {
            super::Backend::Postgres => {
                "SELECT assignee_id, status FROM tickets WHERE id = $1 FOR UPDATE"
            }
            super::Backend::Sqlite => "SELECT assignee_id, status FROM tickets WHERE id = $1",
        };
        let row = sqlx::query(sql)
            .bind(ticket.0)
            .fetch_one(self.conn())
            .await?;
        let status: String = row.try_get("status")?;
        let status = TicketStatus::parse(&status)
            .ok_or_else(|| decode_err(format!("unknown status {status}")))?;
        let Some(holder) = row.try_get::<Option<i64>, _>("assignee_id")? else {
            return Ok((None, status));
        };
        let row = sqlx::query("SELECT name, role FROM users WHERE id = $1")
            .bind(holder)
            .fetch_one(self.conn())
            .await?;
        let holder = Person {
            id: UserId(holder),
            name: row.try_get("name")?,
            role: role(row.try_get("role")?)?.unwrap_or(Role::Operator),
        };
        Ok((Some(holder), status))
    }

    /// The ticket as it stands inside this transaction.
    #[instrument(skip_all, fields(ticket_id = %id))]
    pub async fn ticket(&mut self, id: TicketId) -> Result<TicketRecord> {
        let row = sqlx::query(ticket_sql!("WHERE t.id = $1"))
            .bind(id.0)
            .fetch_one(self.conn())
            .await?;
        ticket_record(&row)
    }

    /// Sets (or clears) who holds the ticket.
    #[instrument(skip_all, fields(ticket_id = %ticket))]
    pub async fn set_assignee(
        &mut self,
        ticket: TicketId,
        holder: Option<UserId>,
        now: i64,
    ) -> Result<()> {
        self.end_hold(ticket, now).await?;
        sqlx::query(
            "UPDATE tickets SET assignee_id = $2, assigned_at = $3, lapsed_at = NULL, \
             revision = revision + 1 WHERE id = $1",
        )
        .bind(ticket.0)
        .bind(holder.map(|h| h.0))
        .bind(holder.map(|_| now))
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// Opens or closes the ticket; reopening also takes it out of the member's archive.
    #[instrument(skip_all, fields(ticket_id = %ticket))]
    pub async fn set_status(&mut self, ticket: TicketId, status: TicketStatus) -> Result<()> {
        sqlx::query(
            "UPDATE tickets SET status = $2, archived = CASE WHEN $2 = 'open' THEN 0 ELSE archived END, \
             revision = revision + 1, member_revision = member_revision + 1 WHERE id = $1",
        )
        .bind(ticket.0)
        .bind(status.as_str())
        .execute(self.conn())
        .await?;
        self.drop_status_of_other_side(ticket, status).await
    }

    /// Moves the ticket to another department.
    #[instrument(skip_all, fields(ticket_id = %ticket))]
    pub async fn set_department(
        &mut self,
        ticket: TicketId,
        department: DepartmentId,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE tickets SET department_id = $2, revision = revision + 1, \
             member_revision = member_revision + 1 WHERE id = $1",
        )
        .bind(ticket.0)
        .bind(department.0)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// Keeps what a feedback form said: how its member wants the answer, and the category
    /// and criticality they chose as the ticket's.
    pub async fn set_form(&mut self, ticket: TicketId, form: &FeedbackForm) -> Result<()> {
        sqlx::query(
            "UPDATE tickets SET answer_by = $2, category_id = $3, criticality_id = $4 WHERE id = $1",
        )
        .bind(ticket.0)
        .bind(form.answer_by.as_str())
        .bind(form.category.as_ref().map(|o| o.id.0))
        .bind(form.criticality.as_ref().map(|o| o.id.0))
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// Sets the ticket's subject and options (the subject's search text with it).
    #[instrument(skip_all, fields(ticket_id = %ticket))]
    pub async fn set_params(
        &mut self,
        ticket: TicketId,
        subject: &str,
        options: [Option<OptionId>; 4],
    ) -> Result<()> {
        let [status, criticality, category, service] = options;
        sqlx::query(
            "UPDATE tickets SET subject = $2, status_option_id = $3, criticality_id = $4, \
             category_id = $5, service_id = $6, revision = revision + 1, \
             member_revision = member_revision + CASE WHEN subject = $2 THEN 0 ELSE 1 END \
             WHERE id = $1",
        )
        .bind(ticket.0)
        .bind(subject)
        .bind(status.map(|o| o.0))
        .bind(criticality.map(|o| o.0))
        .bind(category.map(|o| o.0))
        .bind(service.map(|o| o.0))
        .execute(self.conn())
        .await?;
        self.index_text(ticket, Seq(0), Some(Seq(0)), subject).await
    }

    /// Clears a configured status that belongs to the other side after a close or reopen.
    #[instrument(skip_all, fields(ticket_id = %ticket))]
    pub async fn drop_status_of_other_side(
        &mut self,
        ticket: TicketId,
        side: TicketStatus,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE tickets SET status_option_id = NULL WHERE id = $1 AND status_option_id IN \
             (SELECT id FROM ticket_options WHERE side <> $2)",
        )
        .bind(ticket.0)
        .bind(side.as_str())
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// Puts the ticket in its member's archive.
    #[instrument(skip_all, fields(ticket_id = %ticket))]
    pub async fn set_archived(&mut self, ticket: TicketId) -> Result<()> {
        sqlx::query(
            "UPDATE tickets SET archived = 1, revision = revision + 1, \
             member_revision = member_revision + 1 WHERE id = $1",
        )
        .bind(ticket.0)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// Records that the member has read up to `seq` (in their numbering) and recounts what
    /// is left unread. Returns whether anything changed.
    #[instrument(skip_all, fields(ticket_id = %ticket))]
    pub async fn mark_read(&mut self, ticket: TicketId, seq: Seq) -> Result<bool> {
        let done = sqlx::query(concat!(
            "UPDATE tickets SET member_read_seq = $2, revision = revision + 1, \
             member_revision = member_revision + 1, \
             member_unread = (SELECT COUNT(*) FROM ticket_events e JOIN users a ON a.id = e.author_id \
                WHERE e.ticket_id = $1 AND e.public_seq > $2 AND ",
            unread_for_member_sql!("e", "a"),
            ") WHERE id = $1 AND member_read_seq < $2 AND last_public_seq >= $2"
        ))
        .bind(ticket.0)
        .bind(seq.0)
        .execute(self.conn())
        .await?;
        Ok(done.rows_affected() > 0)
    }
}

impl Store {
    /// The configured ticket options, by kind and position; retired ones only when asked.
    #[instrument(skip_all)]
    pub async fn ticket_options(&self, retired: bool) -> Result<Vec<TicketOption>> {
        let rows = sqlx::query(
            "SELECT id, kind, label, side FROM ticket_options WHERE retired = 0 OR $1 = 1 \
             ORDER BY kind, position, id",
        )
        .bind(i64::from(retired))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(ticket_option).collect()
    }

    /// Sets how the member of `ticket` wants it answered.
    pub async fn set_answer_by(&self, ticket: TicketId, answer_by: AnswerBy) -> Result<()> {
        sqlx::query(
            "UPDATE tickets SET answer_by = $2, revision = revision + 1, \
             member_revision = member_revision + 1 WHERE id = $1",
        )
        .bind(ticket.0)
        .bind(answer_by.as_str())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// A member's tickets, newest first, at most `limit`.
    #[instrument(skip_all)]
    pub async fn member_tickets(&self, member: UserId, limit: i64) -> Result<Vec<TicketRecord>> {
        let rows = sqlx::query(ticket_sql!(
            "WHERE t.member_id = $1 ORDER BY t.created_at DESC, t.id DESC LIMIT $2"
        ))
        .bind(member.0)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(ticket_record).collect()
    }

    /// One ticket; `NotFound` when it does not exist.
    #[instrument(skip_all, fields(ticket_id = %id))]
    pub async fn ticket(&self, id: TicketId) -> Result<TicketRecord> {
        let row = sqlx::query(ticket_sql!("WHERE t.id = $1"))
            .bind(id.0)
            .fetch_one(&self.pool)
            .await?;
        ticket_record(&row)
    }

    /// The tickets a list shows `viewer`: a member's own, newest first; staff the tickets of
    /// their departments (all departments for moderators) in `state`: the open queue oldest
    /// first, the others newest first. At most `limit`.
    #[instrument(skip_all)]
    pub async fn tickets_for(
        &self,
        viewer: &Viewer,
        state: BoardState,
        limit: i64,
    ) -> Result<Vec<TicketRecord>> {
        let rows = if viewer.role == Role::Member {
            sqlx::query(ticket_sql!(
                "WHERE t.member_id = $1 ORDER BY t.member_updated_at DESC, t.id DESC LIMIT $2"
            ))
            .bind(viewer.id.0)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?
        } else {
            // $1: the person; $2: whether they see every department.
            macro_rules! staff_sees {
                () => {
                    staff_sees_ticket!(
                        ticket: "t.id",
                        department: "t.department_id",
                        user: "$1",
                        all: "$2 = 1"
                    )
                };
            }
            let sql = match state {
                BoardState::Queue => ticket_sql!(
                    "WHERE t.status = 'open' AND ",
                    staff_sees!(),
                    " ORDER BY t.created_at, t.id LIMIT $3"
                ),
                BoardState::AwaitingMember => ticket_sql!(
                    "WHERE t.status = 'closed' AND t.archived = 0 AND ",
                    staff_sees!(),
                    " ORDER BY t.updated_at DESC, t.id DESC LIMIT $3"
                ),
                BoardState::WaitingOnMember => ticket_sql!(
                    "WHERE ((t.status = 'open' AND t.last_author_role <> 'member') \
                     OR (t.status = 'closed' AND t.archived = 0)) AND ",
                    staff_sees!(),
                    " ORDER BY t.updated_at DESC, t.id DESC LIMIT $3"
                ),
                BoardState::Archived => ticket_sql!(
                    "WHERE t.archived = 1 AND ",
                    staff_sees!(),
                    " ORDER BY t.updated_at DESC, t.id DESC LIMIT $3"
                ),
                BoardState::All => ticket_sql!(
                    "WHERE ",
                    staff_sees!(),
                    " ORDER BY t.updated_at DESC, t.id DESC LIMIT $3"
                ),
            };
            sqlx::query(sql)
                .bind(viewer.id.0)
                .bind(i64::from(viewer.sees_all_departments()))
                .bind(limit)
                .fetch_all(&self.pool)
                .await?
        };
        rows.iter().map(ticket_record).collect()
    }
}
