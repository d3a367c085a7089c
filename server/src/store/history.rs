//! What call-centre agents change in a member's account — details, contacts — and the
//! member's history of those changes.

use app::protocol::{MemberChange, ParameterChange, Person, TicketId, UserId};
use sqlx::Row;
use tracing::instrument;

use super::{Result, Store, WriteTx, users::role};

/// Who holds a value another member asked for: the field and their name.
pub type Held = (&'static str, String);

impl WriteTx {
    /// Gives member `id` a row of their own account when they have none yet (a member made
    /// here, known by the desk's id for them: `desk-ID`), and marks it changed.
    async fn touch_account(&mut self, id: UserId, now: i64) -> Result<()> {
        sqlx::query(
            "INSERT INTO member_accounts (user_id, external_id, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (user_id) DO UPDATE SET updated_at = $3",
        )
        .bind(id.0)
        .bind(format!("desk-{}", id.0))
        .bind(now)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// Sets member `id`'s name, birth date and city.
    pub async fn write_member_details(
        &mut self,
        id: UserId,
        name: &str,
        birth_date: Option<&str>,
        city: Option<&str>,
        now: i64,
    ) -> Result<()> {
        self.touch_account(id, now).await?;
        sqlx::query("UPDATE users SET name = $2 WHERE id = $1")
            .bind(id.0)
            .bind(name)
            .execute(self.conn())
            .await?;
        sqlx::query("UPDATE member_accounts SET birth_date = $2, city = $3 WHERE user_id = $1")
            .bind(id.0)
            .bind(birth_date)
            .bind(city)
            .execute(self.conn())
            .await?;
        Ok(())
    }

    /// Sets member `id`'s email and phone numbers, unless someone else holds one of them:
    /// then nothing is written and the answer says who holds what.
    pub async fn write_member_contacts(
        &mut self,
        id: UserId,
        email: &str,
        phones: &[String],
        now: i64,
    ) -> Result<Option<Held>> {
        let holder: Option<String> = sqlx::query_scalar(
            "SELECT name FROM users WHERE lower(email) = lower($1) AND id <> $2",
        )
        .bind(email)
        .bind(id.0)
        .fetch_optional(self.conn())
        .await?;
        if let Some(name) = holder {
            return Ok(Some(("email", name)));
        }
        for phone in phones {
            let holder: Option<String> = sqlx::query_scalar(
                "SELECT u.name FROM member_phones p JOIN users u ON u.id = p.user_id \
                 WHERE p.phone = $1 AND p.user_id <> $2",
            )
            .bind(phone)
            .bind(id.0)
            .fetch_optional(self.conn())
            .await?;
            if let Some(name) = holder {
                return Ok(Some(("phones", name)));
            }
        }
        self.touch_account(id, now).await?;
        sqlx::query("UPDATE users SET email = $2 WHERE id = $1")
            .bind(id.0)
            .bind(email)
            .execute(self.conn())
            .await?;
        sqlx::query("DELETE FROM member_phones WHERE user_id = $1")
            .bind(id.0)
            .execute(self.conn())
            .await?;
        for phone in phones {
            self.claim_phone(id, phone).await?;
        }
        Ok(None)
    }

    /// Adds an entry to member `member`'s history.
    pub async fn add_member_history(
        &mut self,
        member: UserId,
        at: i64,
        author: UserId,
        ticket: TicketId,
        changes: &[ParameterChange],
    ) -> Result<()> {
        let changes = serde_json::to_string(changes).unwrap_or_else(|_| "[]".into());
        sqlx::query(
            "INSERT INTO member_history (user_id, at, author_id, ticket_id, changes) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(member.0)
        .bind(at)
        .bind(author.0)
        .bind(ticket.0)
        .bind(changes)
        .execute(self.conn())
        .await?;
        Ok(())
    }
}

impl Store {
    /// The newest `limit` entries of member `member`'s history, newest first.
    #[instrument(skip_all)]
    pub async fn member_history(&self, member: UserId, limit: i64) -> Result<Vec<MemberChange>> {
        let rows = sqlx::query(
            "SELECT h.at, h.ticket_id, h.changes, h.author_id, u.name AS author_name, \
             u.role AS author_role FROM member_history h LEFT JOIN users u ON u.id = h.author_id \
             WHERE h.user_id = $1 ORDER BY h.at DESC, h.id DESC LIMIT $2",
        )
        .bind(member.0)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let author = match row.try_get::<Option<i64>, _>("author_id")? {
                    Some(id) => Some(Person {
                        id: UserId(id),
                        name: row.try_get("author_name")?,
                        role: role(&row.try_get::<String, _>("author_role")?)?,
                    }),
                    None => None,
                };
                let changes: String = row.try_get("changes")?;
                Ok(MemberChange {
                    at: row.try_get("at")?,
                    author,
                    ticket_id: row.try_get::<Option<i64>, _>("ticket_id")?.map(TicketId),
                    changes: serde_json::from_str(&changes).unwrap_or_default(),
                })
            })
            .collect()
    }
}
