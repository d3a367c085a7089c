//! Calls as the telephony system reported them, each with its request (a ticket of the
//! Phone queue), and the call-centre agents who answer them by extension.

use app::protocol::{
    Call, CallEndReason, CallState, DepartmentId, Person, QueueId, Role, TicketId, UserId,
};
use sqlx::{Row, any::AnyRow};
use tracing::instrument;

use super::{Result, Store, WriteTx, tickets::decode_err, users::role};
use crate::domain::{TicketScope, calls::CallRecord};

/// Every column a call is read with, then the rest of the query.
macro_rules! calls_where {
    ($rest:literal) => {
        concat!(
            "SELECT c.id, c.line, c.caller, c.member_id, m.name AS member_name, \
     a.external_id, c.ticket_id, t.department_id, c.state, c.agent_id, g.name AS agent_name, \
     g.role AS agent_role, c.rang_at, c.answered_at, c.ended_at, r.label AS reason \
     FROM calls c JOIN users m ON m.id = c.member_id JOIN tickets t ON t.id = c.ticket_id \
     LEFT JOIN member_accounts a ON a.user_id = c.member_id \
     LEFT JOIN users g ON g.id = c.agent_id \
     LEFT JOIN call_end_reasons r ON r.id = c.reason_id AND c.wrapped_at IS NOT NULL ",
            $rest
        )
    };
}

/// Most calls the calls screen lists at once (ringing and waiting to be ended).
const OPEN_LISTED: i64 = 200;

/// What a call and a callback are read with alike: their agent, their caller, and the scope
/// of their request (columns `agent_id`, `agent_name`, `agent_role`, `member_id`,
/// `member_name`, `ticket_id`, `department_id`).
pub(super) struct Parties {
    pub agent: Option<Person>,
    pub member: Person,
    pub scope: TicketScope,
}

pub(super) fn parties(row: &AnyRow) -> Result<Parties> {
    let agent = match row.try_get::<Option<i64>, _>("agent_id")? {
        Some(id) => Some(Person {
            id: UserId(id),
            name: row.try_get("agent_name")?,
            role: role(&row.try_get::<String, _>("agent_role")?)?,
        }),
        None => None,
    };
    let member = UserId(row.try_get("member_id")?);
    Ok(Parties {
        agent,
        member: Person {
            id: member,
            name: row.try_get("member_name")?,
            role: Role::Member,
        },
        scope: TicketScope {
            id: TicketId(row.try_get("ticket_id")?),
            member_id: member,
            department_id: DepartmentId(row.try_get("department_id")?),
        },
    })
}

fn call(row: &AnyRow) -> Result<CallRecord> {
    let state: String = row.try_get("state")?;
    let state = CallState::parse(&state).ok_or_else(|| decode_err(format!("call {state}")))?;
    let Parties {
        agent,
        member,
        scope,
    } = parties(row)?;
    Ok(CallRecord {
        scope,
        call: Call {
            id: row.try_get("id")?,
            line: row.try_get("line")?,
            caller: row.try_get("caller")?,
            member,
            external_id: row.try_get("external_id")?,
            ticket_id: scope.id,
            state,
            agent,
            rang_at: row.try_get("rang_at")?,
            answered_at: row.try_get("answered_at")?,
            ended_at: row.try_get("ended_at")?,
            reason: row.try_get("reason")?,
        },
    })
}

/// A call as it comes in, before it is stored.
pub struct NewCall<'a> {
    pub id: &'a str,
    pub line: &'a str,
    pub caller: &'a str,
    pub member: UserId,
    pub ticket: TicketId,
    pub state: CallState,
    pub at: i64,
}

impl Store {
    /// Call `id`, if it was reported.
    #[instrument(skip_all)]
    pub async fn call(&self, id: &str) -> Result<Option<CallRecord>> {
        sqlx::query(calls_where!("WHERE c.id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(call)
            .transpose()
    }

    /// Calls still on some agent's screen: ringing, or answered and not yet ended with a
    /// reason; oldest first.
    #[instrument(skip_all)]
    pub async fn open_calls(&self) -> Result<Vec<CallRecord>> {
        sqlx::query(calls_where!(
            "WHERE c.state = 'ringing' OR (c.agent_id IS NOT NULL AND c.wrapped_at IS NULL) \
             ORDER BY c.rang_at, c.id LIMIT $1"
        ))
        .bind(OPEN_LISTED)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(call)
        .collect()
    }

    /// The member who holds phone number `phone`, if one does.
    pub async fn member_by_phone(&self, phone: &str) -> Result<Option<UserId>> {
        let id: Option<i64> =
            sqlx::query_scalar("SELECT user_id FROM member_phones WHERE phone = $1")
                .bind(phone)
                .fetch_optional(&self.pool)
                .await?;
        Ok(id.map(UserId))
    }

    /// The member who holds card `number`, if one does.
    pub async fn card_holder(&self, number: &str) -> Result<Option<UserId>> {
        let id: Option<i64> = sqlx::query_scalar("SELECT user_id FROM cards WHERE number = $1")
            .bind(number)
            .fetch_optional(&self.pool)
            .await?;
        Ok(id.map(UserId))
    }

    /// The staff member (not disabled) whose phone extension is `extension`.
    pub async fn agent_by_extension(&self, extension: &str) -> Result<Option<UserId>> {
        let id: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM users WHERE extension = $1 AND role <> 'member' AND disabled_at IS NULL",
        )
        .bind(extension)
        .fetch_optional(&self.pool)
        .await?;
        Ok(id.map(UserId))
    }

    /// Every call-centre agent (staff with an extension, not disabled).
    pub async fn agents(&self) -> Result<Vec<UserId>> {
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM users WHERE extension IS NOT NULL AND role <> 'member' \
             AND disabled_at IS NULL ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(ids.into_iter().map(UserId).collect())
    }

    /// Person `id`'s phone extension: set only for call-centre agents.
    pub async fn extension_of(&self, id: UserId) -> Result<Option<String>> {
        let extension: Option<Option<String>> =
            sqlx::query_scalar("SELECT extension FROM users WHERE id = $1")
                .bind(id.0)
                .fetch_optional(&self.pool)
                .await?;
        Ok(extension.flatten())
    }

    /// A call-end reason by id, retired ones included.
    pub async fn call_end_reason(&self, id: i64) -> Result<Option<CallEndReason>> {
        Ok(self
            .call_end_reasons()
            .await?
            .into_iter()
            .find(|r| r.id == id))
    }
}

impl WriteTx {
    /// Records a call that came in; `Conflict` when the same call id is there already.
    pub async fn insert_call(&mut self, new: &NewCall<'_>) -> Result<()> {
        sqlx::query(
            "INSERT INTO calls (id, line, caller, member_id, ticket_id, state, rang_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(new.id)
        .bind(new.line)
        .bind(new.caller)
        .bind(new.member.0)
        .bind(new.ticket.0)
        .bind(new.state.as_str())
        .bind(new.at)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// Puts a call the voice menu served (on no screen, never answered nor hung up) in the
    /// agents' queue; whether it was one.
    pub async fn ring_again(&mut self, id: &str) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE calls SET state = 'ringing' WHERE id = $1 AND state = 'ended' \
             AND agent_id IS NULL AND ended_at IS NULL",
        )
        .bind(id)
        .execute(self.conn())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Records that `agent` answered call `id` (the first answer counts); whether it did.
    pub async fn answer_call(&mut self, id: &str, agent: UserId, at: i64) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE calls SET agent_id = $2, answered_at = $3, \
             state = CASE WHEN state = 'ringing' THEN 'answered' ELSE state END \
             WHERE id = $1 AND answered_at IS NULL",
        )
        .bind(id)
        .bind(agent.0)
        .bind(at)
        .execute(self.conn())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Records that call `id` ended in `state` (the first end counts); whether it did.
    pub async fn end_call(&mut self, id: &str, state: CallState, at: i64) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE calls SET state = $2, ended_at = $3 WHERE id = $1 AND ended_at IS NULL",
        )
        .bind(id)
        .bind(state.as_str())
        .bind(at)
        .execute(self.conn())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Records that the agent ended call `id` with `reason`; whether it was not ended so.
    pub async fn wrap_call(&mut self, id: &str, reason: i64, at: i64) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE calls SET reason_id = $2, wrapped_at = $3 WHERE id = $1 AND wrapped_at IS NULL",
        )
        .bind(id)
        .bind(reason)
        .bind(at)
        .execute(self.conn())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Puts `ticket` in `queue`.
    pub async fn set_queue(&mut self, ticket: TicketId, queue: QueueId) -> Result<()> {
        sqlx::query("UPDATE tickets SET queue_id = $2, revision = revision + 1 WHERE id = $1")
            .bind(ticket.0)
            .bind(queue.0)
            .execute(self.conn())
            .await?;
        Ok(())
    }

    /// Gives member `member` phone number `phone`, unless someone holds it.
    pub async fn claim_phone(&mut self, member: UserId, phone: &str) -> Result<()> {
        sqlx::query(
            "INSERT INTO member_phones (phone, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )
        .bind(phone)
        .bind(member.0)
        .execute(self.conn())
        .await?;
        Ok(())
    }
}
