//! A ticket's event log: appending an event (its numbering in both sequences, the search
//! index, the followers to notify) and reading it back in either numbering.

use app::protocol::{ClientMsgId, DepartmentId, EventKind, Person, Role, Seq, TicketId, UserId};
use sqlx::{Row, any::AnyRow};
use tracing::instrument;

use super::{
    Result, Store, WriteTx,
    tickets::{decode_err, role},
};
use crate::domain::{self, Audience, Numbering, StoredEvent, TicketScope};

/// Longest preview kept for lists, in characters.
const PREVIEW_CHARS: usize = 140;

/// An event about to be appended to a ticket's log.
#[derive(Debug, Clone)]
pub struct EventDraft {
    pub author: Person,
    pub kind: EventKind,
    pub client_msg_id: Option<ClientMsgId>,
    /// The member-visible position of the event this one refers to.
    pub ref_public_seq: Option<Seq>,
}

/// An event query: the columns every event read needs, then `$tail`.
macro_rules! event_sql {
    ($tail:literal) => {
        concat!(
            "SELECT e.ticket_id, e.seq, e.public_seq, e.at, e.author_id, e.data, e.ref_public_seq, \
     a.name AS author_name, a.role AS author_role, t.member_id, t.department_id \
     FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id \
     LEFT JOIN users a ON a.id = e.author_id ",
            $tail
        )
    };
}

fn stored_event(row: &AnyRow) -> Result<StoredEvent> {
    let data: String = row.try_get("data")?;
    let kind: EventKind = serde_json::from_str(&data).map_err(decode_err)?;
    let author = match row.try_get::<Option<i64>, _>("author_id")? {
        Some(id) => Some(Person {
            id: UserId(id),
            name: row.try_get("author_name")?,
            role: role(row.try_get("author_role")?)?.unwrap_or(Role::Member),
        }),
        None => None,
    };
    Ok(StoredEvent {
        scope: TicketScope {
            id: TicketId(row.try_get("ticket_id")?),
            member_id: UserId(row.try_get("member_id")?),
            department_id: DepartmentId(row.try_get("department_id")?),
        },
        seq: Seq(row.try_get("seq")?),
        public_seq: row.try_get::<Option<i64>, _>("public_seq")?.map(Seq),
        at: row.try_get("at")?,
        author,
        kind,
        ref_public_seq: row.try_get::<Option<i64>, _>("ref_public_seq")?.map(Seq),
        notified: Vec::new(),
    })
}

impl Store {
    /// Staff's messages on `ticket` after its member's position `after`, oldest first.
    #[instrument(skip_all)]
    pub async fn answers_after(&self, ticket: TicketId, after: Seq) -> Result<Vec<StoredEvent>> {
        let rows = sqlx::query(event_sql!(
            "WHERE e.ticket_id = $1 AND e.kind = 'message' AND e.public_seq > $2 \
             AND a.role <> 'member' ORDER BY e.seq LIMIT 200"
        ))
        .bind(ticket.0)
        .bind(after.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(stored_event).collect()
    }
}

fn kind_name(kind: &EventKind) -> &'static str {
    match kind {
        EventKind::Created { .. } => "created",
        EventKind::Message { .. } => "message",
        EventKind::Note { .. } => "note",
        EventKind::Taken => "taken",
        EventKind::Released { .. } => "released",
        EventKind::Lapsed { .. } => "lapsed",
        EventKind::Undelivered { .. } => "undelivered",
        EventKind::Closed => "closed",
        EventKind::Reopened => "reopened",
        EventKind::Archived => "archived",
        EventKind::Transferred { .. } => "transferred",
        EventKind::Assigned { .. } => "assigned",
        EventKind::Rated { .. } => "rated",
        EventKind::Edited { .. } => "edited",
        EventKind::ParametersChanged { .. } => "parameters",
        EventKind::SplitOff { .. } => "split_off",
        EventKind::SplitFrom { .. } => "split_from",
        EventKind::Call { .. } => "call",
        EventKind::CallEnded { .. } => "call_ended",
        EventKind::AccountChanged { .. } => "account_changed",
        EventKind::CalledBack { .. } => "called_back",
    }
}

impl WriteTx {
    /// The ticket's events after `since` (staff numbering), at most `limit`, read inside this
    /// write: once the ticket's row is locked nothing can slip in between.
    #[instrument(skip_all, fields(ticket_id = %ticket))]
    pub async fn events_since(
        &mut self,
        ticket: TicketId,
        since: Seq,
        limit: i64,
    ) -> Result<Vec<StoredEvent>> {
        let rows = sqlx::query(event_sql!(
            "WHERE e.ticket_id = $1 AND e.seq > $2 ORDER BY e.seq LIMIT $3"
        ))
        .bind(ticket.0)
        .bind(since.0)
        .bind(limit)
        .fetch_all(self.conn())
        .await?;
        rows.iter().map(stored_event).collect()
    }

    /// Adds a text to the search index (the subject is seq 0), or replaces it.
    pub(super) async fn index_text(
        &mut self,
        ticket: TicketId,
        seq: Seq,
        public_seq: Option<Seq>,
        text: &str,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO search_docs (ticket_id, seq, public_seq, body) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (ticket_id, seq) DO UPDATE SET body = excluded.body",
        )
        .bind(ticket.0)
        .bind(seq.0)
        .bind(public_seq.map(|s| s.0))
        .bind(domain::searchable(text))
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// Appends an event to a ticket's log, numbering it under the ticket row's write lock:
    /// a later sequence number can only commit after an earlier one.
    #[instrument(skip_all, fields(ticket_id = %ticket))]
    pub async fn append_event(
        &mut self,
        ticket: TicketId,
        draft: EventDraft,
        now: i64,
    ) -> Result<StoredEvent> {
        self.append(ticket, draft, now, true).await
    }

    /// Appends a copy of an event of another ticket (a split's messages and notes, at the
    /// time they were written): the same as [`append_event`](Self::append_event), but the
    /// work was counted once already and the statistics do not count it again.
    pub async fn append_copy(
        &mut self,
        ticket: TicketId,
        draft: EventDraft,
        at: i64,
    ) -> Result<StoredEvent> {
        self.append(ticket, draft, at, false).await
    }

    async fn append(
        &mut self,
        ticket: TicketId,
        draft: EventDraft,
        now: i64,
        counted: bool,
    ) -> Result<StoredEvent> {
        let public = domain::audience(&draft.kind) == Audience::Everyone;
        // What lists show: the last message for everyone; staff also see the last note (which
        // is not an answer, so it leaves "who wrote last" alone).
        let (preview, author_role) = match &draft.kind {
            EventKind::Message { body, .. } => (
                Some(domain::preview(body, PREVIEW_CHARS)),
                Some(draft.author.role.as_str()),
            ),
            EventKind::Note { body, .. } => (
                Some(domain::preview(&format!("Note: {body}"), PREVIEW_CHARS)),
                None,
            ),
            _ => (None, None),
        };
        let public_preview = if public { preview.clone() } else { None };
        let public_role = if public { author_role } else { None };
        let unread_for_member =
            i64::from(domain::unread_for_member(&draft.kind, draft.author.role));
        // Staff's message is an answer: the first one ends the ticket's wait in line.
        let answers =
            matches!(draft.kind, EventKind::Message { .. }) && draft.author.role.is_staff();
        let member_writes =
            matches!(draft.kind, EventKind::Message { .. }) && draft.author.role == Role::Member;
        let taken = matches!(draft.kind, EventKind::Taken | EventKind::Assigned { .. });
        let closed = matches!(draft.kind, EventKind::Closed);
        let row = sqlx::query(
            "UPDATE tickets SET last_seq = last_seq + 1, last_public_seq = last_public_seq + $2, \
             revision = revision + 1, updated_at = $3, member_revision = member_revision + $2, \
             member_updated_at = CASE WHEN $2 = 1 THEN $3 ELSE member_updated_at END, \
             preview = COALESCE($4, preview), last_author_role = COALESCE($5, last_author_role), \
             public_preview = COALESCE($6, public_preview), \
             public_author_role = COALESCE($7, public_author_role), \
             member_unread = member_unread + $8, \
             first_answer_at = CASE WHEN $9 = 1 THEN COALESCE(first_answer_at, $3) \
             ELSE first_answer_at END, \
             member_wrote_at = CASE WHEN $10 = 1 THEN $3 ELSE member_wrote_at END, \
             first_taken_at = CASE WHEN $11 = 1 THEN COALESCE(first_taken_at, $3) \
             ELSE first_taken_at END, \
             resolved_at = CASE WHEN $12 = 1 THEN COALESCE(resolved_at, $3) ELSE resolved_at END \
             WHERE id = $1 RETURNING last_seq, last_public_seq, member_id, department_id",
        )
        .bind(ticket.0)
        .bind(i64::from(public))
        .bind(now)
        .bind(preview)
        .bind(author_role)
        .bind(public_preview)
        .bind(public_role)
        .bind(unread_for_member)
        .bind(i64::from(answers))
        .bind(i64::from(member_writes))
        .bind(i64::from(taken))
        .bind(i64::from(closed))
        .fetch_one(self.conn())
        .await?;
        let seq = Seq(row.try_get("last_seq")?);
        let public_seq = public
            .then(|| row.try_get("last_public_seq").map(Seq))
            .transpose()?;
        let data = serde_json::to_string(&draft.kind).map_err(decode_err)?;
        sqlx::query(
            "INSERT INTO ticket_events (ticket_id, seq, public_seq, at, author_id, kind, data, client_msg_id, ref_public_seq) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(ticket.0)
        .bind(seq.0)
        .bind(public_seq.map(|s| s.0))
        .bind(now)
        .bind(draft.author.id.0)
        .bind(kind_name(&draft.kind))
        .bind(data)
        .bind(draft.client_msg_id.as_ref().map(|id| id.as_str().to_owned()))
        .bind(draft.ref_public_seq.map(|s| s.0))
        .execute(self.conn())
        .await?;
        match &draft.kind {
            EventKind::Message { body, .. } | EventKind::Note { body, .. } => {
                self.index_text(ticket, seq, public_seq, body).await?;
            }
            EventKind::Edited {
                message_seq, body, ..
            } => {
                sqlx::query("UPDATE search_docs SET body = $3 WHERE ticket_id = $1 AND seq = $2")
                    .bind(ticket.0)
                    .bind(message_seq.0)
                    .bind(domain::searchable(body))
                    .execute(self.conn())
                    .await?;
            }
            _ => {}
        }
        let department_id = DepartmentId(row.try_get("department_id")?);
        if counted {
            self.count_for_statistics(ticket, seq, department_id, &draft, now)
                .await?;
        }
        let mut notified = if domain::notification(&draft.kind).is_some() {
            self.notify_followers(ticket, seq, draft.author.id, department_id)
                .await?
        } else {
            Vec::new()
        };
        if let EventKind::Message { body, .. } | EventKind::Note { body, .. } = &draft.kind
            && draft.author.role.is_staff()
        {
            let mentioned = self
                .notify_mentioned(ticket, seq, draft.author.id, department_id, body, &notified)
                .await?;
            notified.extend(mentioned);
        }
        Ok(StoredEvent {
            scope: TicketScope {
                id: ticket,
                member_id: UserId(row.try_get("member_id")?),
                department_id,
            },
            seq,
            public_seq,
            at: now,
            author: Some(draft.author),
            kind: draft.kind,
            ref_public_seq: draft.ref_public_seq,
            notified,
        })
    }
}

impl Store {
    /// One event of a ticket, by its staff sequence number.
    #[instrument(skip_all, fields(ticket_id = %ticket))]
    pub async fn event_at(&self, ticket: TicketId, seq: Seq) -> Result<StoredEvent> {
        let row = sqlx::query(event_sql!("WHERE e.ticket_id = $1 AND e.seq = $2"))
            .bind(ticket.0)
            .bind(seq.0)
            .fetch_one(&self.pool)
            .await?;
        stored_event(&row)
    }

    /// Whether staff have answered the member on this ticket (a message they can see).
    #[instrument(skip_all, fields(ticket_id = %ticket))]
    pub async fn has_staff_answer(&self, ticket: TicketId) -> Result<bool> {
        let answers: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM ticket_events e JOIN users a ON a.id = e.author_id \
             WHERE e.ticket_id = $1 AND e.kind = 'message' AND a.role <> 'member'",
        )
        .bind(ticket.0)
        .fetch_one(&self.pool)
        .await?;
        Ok(answers > 0)
    }

    /// Where an earlier write with this client id landed: `(ticket, seq, public seq)`.
    #[instrument(skip_all)]
    pub async fn find_client_msg(
        &self,
        author: UserId,
        id: &ClientMsgId,
    ) -> Result<Option<(TicketId, Seq, Option<Seq>)>> {
        let row = sqlx::query(
            "SELECT ticket_id, seq, public_seq FROM ticket_events \
             WHERE author_id = $1 AND client_msg_id = $2",
        )
        .bind(author.0)
        .bind(id.as_str())
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| {
            Ok((
                TicketId(row.try_get("ticket_id")?),
                Seq(row.try_get("seq")?),
                row.try_get::<Option<i64>, _>("public_seq")?.map(Seq),
            ))
        })
        .transpose()
    }

    /// Events after `since` in the reader's numbering (staff: every event; members: the
    /// member-visible ones), in order, at most `limit`.
    #[instrument(skip_all, fields(ticket_id = %scope.id))]
    pub async fn events_after(
        &self,
        scope: TicketScope,
        numbering: Numbering,
        since: Seq,
        limit: i64,
    ) -> Result<Vec<StoredEvent>> {
        let sql = match numbering {
            Numbering::Staff => {
                event_sql!("WHERE e.ticket_id = $1 AND e.seq > $2 ORDER BY e.seq LIMIT $3")
            }
            Numbering::Member => event_sql!(
                "WHERE e.ticket_id = $1 AND e.public_seq > $2 ORDER BY e.public_seq LIMIT $3"
            ),
        };
        let rows = sqlx::query(sql)
            .bind(scope.id.0)
            .bind(since.0)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(stored_event).collect()
    }
}
