//! Takes that lapse: tickets held while their member waits unanswered.

use app::protocol::{TicketId, UserId};
use sqlx::{Row, any::AnyRow};
use tracing::instrument;

use super::{Result, Store, WriteTx};
use crate::domain::TakeWait;

/// A held open ticket with what decides whether its take lapsed: since when it is held,
/// the member's last message and the holder's last message.
macro_rules! held_sql {
    ($tail:literal) => {
        concat!(
            "SELECT t.id, t.assignee_id, t.assigned_at, \
             (SELECT MAX(e.at) FROM ticket_events e WHERE e.ticket_id = t.id \
               AND e.kind = 'message' AND e.author_id = t.member_id) AS member_last, \
             (SELECT MAX(e.at) FROM ticket_events e WHERE e.ticket_id = t.id \
               AND e.kind = 'message' AND e.author_id = t.assignee_id) AS holder_last \
             FROM tickets t WHERE t.assignee_id IS NOT NULL AND t.status = 'open' ",
            $tail
        )
    };
}

fn held(row: &AnyRow) -> Result<(TicketId, UserId, TakeWait)> {
    Ok((
        TicketId(row.try_get("id")?),
        UserId(row.try_get("assignee_id")?),
        TakeWait {
            taken_at: row.try_get::<Option<i64>, _>("assigned_at")?.unwrap_or(0),
            member_last: row.try_get("member_last")?,
            holder_last: row.try_get("holder_last")?,
        },
    ))
}

impl Store {
    /// Held open tickets taken before `taken_before`, with what decides whether their take
    /// lapsed; at most `limit`, the longest held first.
    #[instrument(skip_all)]
    pub async fn held_since(
        &self,
        taken_before: i64,
        limit: i64,
    ) -> Result<Vec<(TicketId, UserId, TakeWait)>> {
        let rows = sqlx::query(held_sql!(
            "AND t.assigned_at < $1 ORDER BY t.assigned_at LIMIT $2"
        ))
        .bind(taken_before)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(held).collect()
    }
}

impl WriteTx {
    /// The same for one ticket, read under its lock; `None` when nobody holds it now.
    pub async fn held(&mut self, ticket: TicketId) -> Result<Option<(UserId, TakeWait)>> {
        let row = sqlx::query(held_sql!("AND t.id = $1"))
            .bind(ticket.0)
            .fetch_optional(self.conn())
            .await?;
        row.map(|row| held(&row).map(|(_, holder, wait)| (holder, wait)))
            .transpose()
    }

    /// The take lapsed: nobody holds the ticket, and it says since when it is back.
    pub async fn set_lapsed(&mut self, ticket: TicketId, now: i64) -> Result<()> {
        self.end_hold(ticket, now).await?;
        sqlx::query(
            "UPDATE tickets SET assignee_id = NULL, assigned_at = NULL, lapsed_at = $2, \
             revision = revision + 1 WHERE id = $1",
        )
        .bind(ticket.0)
        .bind(now)
        .execute(self.conn())
        .await?;
        Ok(())
    }
}
