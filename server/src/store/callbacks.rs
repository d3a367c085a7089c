//! Callers who gave up waiting, kept to be called back: the list, the offer to one agent at a
//! time (claimed with a conditional update, so that nodes never offer one callback twice),
//! and each try's outcome.

use app::protocol::{Callback, CallbackOutcome, CallbackState, UserId};
use sqlx::{Row, any::AnyRow};

use super::{
    Result, Store, WriteTx,
    calls::{Parties, parties},
    tickets::decode_err,
};
use crate::domain::{TicketScope, calls::CallbackRecord};

/// Every column a callback is read with, then the rest of the query.
macro_rules! callbacks_where {
    ($rest:literal) => {
        concat!(
            "SELECT b.id, b.number, b.member_id, m.name AS member_name, b.ticket_id, \
             b.department_id, b.state, b.attempts, b.agent_id, g.name AS agent_name, \
             g.role AS agent_role, b.created_at, b.due_at, b.dialed, b.outcome \
             FROM callbacks b JOIN users m ON m.id = b.member_id \
             LEFT JOIN users g ON g.id = b.agent_id ",
            $rest
        )
    };
}

fn callback(row: &AnyRow, max_attempts: i64) -> Result<CallbackRecord> {
    let state: String = row.try_get("state")?;
    let state =
        CallbackState::parse(&state).ok_or_else(|| decode_err(format!("callback {state}")))?;
    let Parties {
        agent,
        member,
        scope,
    } = parties(row)?;
    Ok(CallbackRecord {
        scope,
        callback: Callback {
            id: row.try_get("id")?,
            number: row.try_get("number")?,
            member,
            ticket_id: scope.id,
            state,
            attempts: row.try_get("attempts")?,
            max_attempts,
            created_at: row.try_get("created_at")?,
            due_at: row.try_get("due_at")?,
            agent,
            dialed: row.try_get::<i64, _>("dialed")? != 0,
            outcome: row
                .try_get::<Option<String>, _>("outcome")?
                .as_deref()
                .and_then(CallbackOutcome::parse),
        },
    })
}

/// A callback to keep for a caller who gave up.
pub struct NewCallback<'a> {
    pub number: &'a str,
    pub scope: TicketScope,
    pub call_id: &'a str,
    pub at: i64,
}

/// What one try changed.
pub struct CallbackUpdate {
    pub state: CallbackState,
    pub attempts: i64,
    pub due_at: i64,
    pub agent: Option<UserId>,
    pub dialed: bool,
    pub outcome: Option<CallbackOutcome>,
}

impl Store {
    /// Callback `id`, if there is one (tries counted against `max_attempts`).
    pub async fn callback(&self, id: i64, max_attempts: i64) -> Result<Option<CallbackRecord>> {
        sqlx::query(callbacks_where!("WHERE b.id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(|row| callback(row, max_attempts))
            .transpose()
    }

    /// The callbacks offered to agent `agent` or being made by them.
    pub async fn callbacks_of(
        &self,
        agent: UserId,
        max_attempts: i64,
    ) -> Result<Vec<CallbackRecord>> {
        sqlx::query(callbacks_where!(
            "WHERE b.agent_id = $1 AND b.state IN ('offered', 'dialing') ORDER BY b.created_at"
        ))
        .bind(agent.0)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|row| callback(row, max_attempts))
        .collect()
    }

    /// The agents offered a callback or making one.
    pub async fn agents_calling_back(&self) -> Result<Vec<UserId>> {
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT DISTINCT agent_id FROM callbacks WHERE state IN ('offered', 'dialing') \
             AND agent_id IS NOT NULL",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(ids.into_iter().map(UserId).collect())
    }

    /// Callbacks due by `now`, oldest first, at most `limit`.
    pub async fn due_callbacks(
        &self,
        now: i64,
        limit: i64,
        max_attempts: i64,
    ) -> Result<Vec<CallbackRecord>> {
        sqlx::query(callbacks_where!(
            "WHERE b.state = 'waiting' AND b.due_at <= $1 ORDER BY b.created_at, b.id LIMIT $2"
        ))
        .bind(now)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|row| callback(row, max_attempts))
        .collect()
    }

    /// How many callbacks wait (offered ones included: they may come back).
    pub async fn callbacks_waiting(&self) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "SELECT COUNT(*) FROM callbacks WHERE state IN ('waiting', 'offered')",
        )
        .fetch_one(&self.pool)
        .await?)
    }

    /// Whether number `number` has a callback still open, or one made since `since`.
    pub async fn callback_kept(&self, number: &str, since: i64) -> Result<bool> {
        let found: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM callbacks WHERE number = $1 AND (state IN ('waiting', 'offered', \
             'dialing') OR created_at >= $2) LIMIT 1",
        )
        .bind(number)
        .bind(since)
        .fetch_optional(&self.pool)
        .await?;
        Ok(found.is_some())
    }

    /// Offers waiting callback `id` to `agent`; whether this claim won it.
    pub async fn offer_callback(&self, id: i64, agent: UserId, now: i64) -> Result<bool> {
        let mut w = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE callbacks SET state = 'offered', agent_id = $2, offered_at = $3, \
             updated_at = $3 WHERE id = $1 AND state = 'waiting'",
        )
        .bind(id)
        .bind(agent.0)
        .bind(now)
        .execute(w.conn())
        .await?;
        w.commit().await?;
        Ok(done.rows_affected() == 1)
    }

    /// Takes back the offers made before `before` and not taken; their ids.
    pub async fn expire_offers(&self, before: i64, now: i64) -> Result<Vec<i64>> {
        let late: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM callbacks WHERE state = 'offered' AND offered_at < $1",
        )
        .bind(before)
        .fetch_one(&self.pool)
        .await?;
        if late == 0 {
            return Ok(Vec::new());
        }
        let mut w = self.begin_write().await?;
        let ids: Vec<i64> = sqlx::query_scalar(
            "UPDATE callbacks SET state = 'waiting', agent_id = NULL, offered_at = NULL, \
             updated_at = $2 WHERE state = 'offered' AND offered_at < $1 RETURNING id",
        )
        .bind(before)
        .bind(now)
        .fetch_all(w.conn())
        .await?;
        w.commit().await?;
        Ok(ids)
    }
}

impl WriteTx {
    /// Keeps a callback for a caller who gave up; `Conflict` when the call has one already.
    pub async fn insert_callback(&mut self, new: &NewCallback<'_>) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "INSERT INTO callbacks (number, member_id, ticket_id, department_id, call_id, state, \
             created_at, due_at, updated_at) VALUES ($1, $2, $3, $4, $5, 'waiting', $6, $6, $6) \
             RETURNING id",
        )
        .bind(new.number)
        .bind(new.scope.member_id.0)
        .bind(new.scope.id.0)
        .bind(new.scope.department_id.0)
        .bind(new.call_id)
        .bind(new.at)
        .fetch_one(self.conn())
        .await?)
    }

    /// Moves callback `id` on from `from`; whether it was still there.
    pub async fn update_callback(
        &mut self,
        id: i64,
        from: CallbackState,
        to: &CallbackUpdate,
        now: i64,
    ) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE callbacks SET state = $3, attempts = $4, due_at = $5, agent_id = $6, \
             dialed = $7, outcome = $8, updated_at = $9, \
             offered_at = CASE WHEN $3 = 'waiting' THEN NULL ELSE offered_at END \
             WHERE id = $1 AND state = $2",
        )
        .bind(id)
        .bind(from.as_str())
        .bind(to.state.as_str())
        .bind(to.attempts)
        .bind(to.due_at)
        .bind(to.agent.map(|a| a.0))
        .bind(i64::from(to.dialed))
        .bind(to.outcome.map(|o| o.as_str()))
        .bind(now)
        .execute(self.conn())
        .await?;
        Ok(done.rows_affected() == 1)
    }
}
