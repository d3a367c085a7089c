//! Staff's workspace: the departments' response targets, each person's settings of the desk,
//! and what staff note about a member.

use std::collections::HashMap;

use app::protocol::{DepartmentId, Millis, ResponseTargets, TicketId, UserId, Workspace};
use sqlx::Row;
use tracing::instrument;

use super::{Result, Store, WriteTx, sql::Sql, tickets::decode_err};

/// What the profile shows of a member beside their account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberNotes {
    pub registered_at: i64,
    pub comment: String,
}

impl Store {
    /// Every department's response targets (those that set none too).
    #[instrument(skip_all)]
    pub async fn response_targets(&self) -> Result<Vec<ResponseTargets>> {
        let rows = sqlx::query(
            "SELECT id, first_response_minutes, next_response_minutes FROM departments ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(ResponseTargets {
                    department_id: DepartmentId(row.try_get("id")?),
                    first_minutes: row.try_get("first_response_minutes")?,
                    next_minutes: row.try_get("next_response_minutes")?,
                })
            })
            .collect()
    }

    /// A person's settings of the desk (the defaults when they never saved any).
    #[instrument(skip_all)]
    pub async fn workspace(&self, user: UserId) -> Result<Workspace> {
        let raw: Option<String> = sqlx::query_scalar("SELECT preferences FROM users WHERE id = $1")
            .bind(user.0)
            .fetch_one(&self.pool)
            .await?;
        // Settings saved by another version of the desk that no longer read fall back to
        // the defaults rather than locking the person out of their desk.
        Ok(raw
            .and_then(|raw| serde_json::from_str(&raw).ok())
            .unwrap_or_default())
    }

    /// A member's registration date and staff's comment; `NotFound` for anyone else.
    #[instrument(skip_all)]
    pub async fn member_notes(&self, member: UserId) -> Result<MemberNotes> {
        let row = sqlx::query(
            "SELECT created_at, staff_comment FROM users WHERE id = $1 AND role = 'member'",
        )
        .bind(member.0)
        .fetch_one(&self.pool)
        .await?;
        Ok(MemberNotes {
            registered_at: row.try_get("created_at")?,
            comment: row
                .try_get::<Option<String>, _>("staff_comment")?
                .unwrap_or_default(),
        })
    }
}

impl Store {
    /// When `user` (staff) last looked at each of `tickets` they have opened.
    #[instrument(skip_all)]
    pub async fn staff_reads(
        &self,
        user: UserId,
        tickets: &[TicketId],
    ) -> Result<HashMap<TicketId, Millis>> {
        let mut seen = HashMap::new();
        // A list holds at most a few hundred tickets: well within a statement's parameters.
        for chunk in tickets.chunks(500) {
            let ids: Vec<i64> = chunk.iter().map(|id| id.0).collect();
            let rows = Sql::new("SELECT ticket_id, read_at FROM staff_reads WHERE user_id = ")
                .int(user.0)
                .within("ticket_id", Some(&ids))
                .fetch(self)
                .await?;
            for row in rows {
                seen.insert(TicketId(row.try_get("ticket_id")?), row.try_get("read_at")?);
            }
        }
        Ok(seen)
    }
}

impl WriteTx {
    /// `user` (staff) has looked at `ticket` at `at`.
    pub async fn mark_staff_read(
        &mut self,
        user: UserId,
        ticket: TicketId,
        at: Millis,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO staff_reads (user_id, ticket_id, read_at) VALUES ($1, $2, $3) \
             ON CONFLICT (user_id, ticket_id) DO UPDATE SET read_at = excluded.read_at",
        )
        .bind(user.0)
        .bind(ticket.0)
        .bind(at)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// Sets a department's response targets; `NotFound` when there is no such department.
    pub async fn set_response_targets(&mut self, targets: &ResponseTargets) -> Result<()> {
        let done = sqlx::query(
            "UPDATE departments SET first_response_minutes = $2, next_response_minutes = $3 \
             WHERE id = $1",
        )
        .bind(targets.department_id.0)
        .bind(targets.first_minutes)
        .bind(targets.next_minutes)
        .execute(self.conn())
        .await?;
        if done.rows_affected() == 0 {
            return Err(super::Error::NotFound);
        }
        Ok(())
    }

    /// Stores a person's settings of the desk.
    pub async fn set_workspace(&mut self, user: UserId, workspace: &Workspace) -> Result<()> {
        let raw = serde_json::to_string(workspace).map_err(decode_err)?;
        sqlx::query("UPDATE users SET preferences = $2 WHERE id = $1")
            .bind(user.0)
            .bind(raw)
            .execute(self.conn())
            .await?;
        Ok(())
    }

    /// Sets staff's comment about a member; `NotFound` for anyone else.
    pub async fn set_member_comment(&mut self, member: UserId, comment: &str) -> Result<()> {
        let done =
            sqlx::query("UPDATE users SET staff_comment = $2 WHERE id = $1 AND role = 'member'")
                .bind(member.0)
                .bind((!comment.is_empty()).then_some(comment))
                .execute(self.conn())
                .await?;
        if done.rows_affected() == 0 {
            return Err(super::Error::NotFound);
        }
        Ok(())
    }
}
