//! Where members' new tickets stand in their department's line, and how long first answers
//! took lately.

use app::protocol::{DepartmentId, TicketId, UserId};
use sqlx::Row;
use tracing::instrument;

use super::{Result, Store};

/// A ticket waiting for its first answer: open, unanswered, held by nobody (and no call,
/// which the call centre answers as it rings).
macro_rules! waiting {
    ($t:literal) => {
        concat!(
            $t,
            ".status = 'open' AND ",
            $t,
            ".first_answer_at IS NULL AND ",
            $t,
            ".assignee_id IS NULL AND ",
            $t,
            ".channel <> 'phone'"
        )
    };
}

/// One of a member's tickets that waits for its first answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiting {
    pub ticket: TicketId,
    pub department: DepartmentId,
    pub created_at: i64,
    /// 1: the oldest waiting in its department. 0: someone holds it and is on it.
    pub place: i64,
}

impl Store {
    /// Member `id`'s tickets from the widget (chat and form) that have no answer yet, each
    /// with its place among its department's waiting tickets, oldest first.
    #[instrument(skip_all)]
    pub async fn waiting_of(&self, id: UserId) -> Result<Vec<Waiting>> {
        let rows = sqlx::query(concat!(
            "SELECT t.id, t.department_id, t.created_at, t.assignee_id, \
             (SELECT COUNT(*) FROM tickets w WHERE w.department_id = t.department_id AND ",
            waiting!("w"),
            " AND (w.created_at < t.created_at OR (w.created_at = t.created_at AND w.id <= t.id))) \
             AS place FROM tickets t WHERE t.member_id = $1 AND t.status = 'open' \
             AND t.first_answer_at IS NULL AND t.channel IN ('chat', 'form') \
             ORDER BY t.created_at, t.id"
        ))
        .bind(id.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let held = row.try_get::<Option<i64>, _>("assignee_id")?.is_some();
                Ok(Waiting {
                    ticket: TicketId(row.try_get("id")?),
                    department: DepartmentId(row.try_get("department_id")?),
                    created_at: row.try_get("created_at")?,
                    place: if held { 0 } else { row.try_get("place")? },
                })
            })
            .collect()
    }

    /// How long the newest first answers of `department` since `since` took (milliseconds
    /// from the ticket's opening), at most `limit` of them.
    #[instrument(skip_all)]
    pub async fn first_answer_times(
        &self,
        department: DepartmentId,
        since: i64,
        limit: i64,
    ) -> Result<Vec<i64>> {
        let rows = sqlx::query(
            "SELECT first_answer_at - created_at AS took FROM tickets \
             WHERE department_id = $1 AND first_answer_at >= $2 AND channel <> 'phone' \
             ORDER BY first_answer_at DESC LIMIT $3",
        )
        .bind(department.0)
        .bind(since)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| Ok(row.try_get::<i64, _>("took")?))
            .collect()
    }
}
