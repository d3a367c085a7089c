//! The desk's configuration as administrators manage it: departments, staff, ticket options,
//! rating marks and canned responses. Each change is one transaction.

use std::collections::HashMap;

use app::protocol::{
    AdminDepartment, AdminMark, AdminOption, AdminQueue, AdminState, CallEndReason, Channel,
    DepartmentId, Employee, OptionId, OptionKind, Queue, QueueId, RatingMarkId, Role, TicketStatus,
    UserId,
};
use sqlx::Row;
use tracing::instrument;

use super::{
    Result, Store, WriteTx,
    tickets::{channel, decode_err, ticket_option},
};

impl Store {
    /// The whole configuration, with what uses each part.
    #[instrument(skip_all)]
    pub async fn admin_state(&self) -> Result<AdminState> {
        let rows = sqlx::query(
            "SELECT d.id, d.name, d.public, d.first_response_minutes, d.next_response_minutes, \
             (SELECT COUNT(*) FROM tickets t WHERE t.department_id = d.id) AS tickets \
             FROM departments d ORDER BY d.name",
        )
        .fetch_all(&self.pool)
        .await?;
        let departments = rows
            .iter()
            .map(|row| {
                Ok(AdminDepartment {
                    id: DepartmentId(row.try_get("id")?),
                    name: row.try_get("name")?,
                    public: row.try_get::<i64, _>("public")? != 0,
                    tickets: row.try_get("tickets")?,
                    targets: app::protocol::ResponseTargets {
                        department_id: DepartmentId(row.try_get("id")?),
                        first_minutes: row.try_get("first_response_minutes")?,
                        next_minutes: row.try_get("next_response_minutes")?,
                    },
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let accounts: HashMap<i64, (String, bool, Option<String>)> = sqlx::query(
            "SELECT id, email, disabled_at, extension FROM users WHERE role <> 'member'",
        )
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|row| {
            let disabled = row.try_get::<Option<i64>, _>("disabled_at")?.is_some();
            let extension: Option<String> = row.try_get("extension")?;
            Ok((
                row.try_get("id")?,
                (row.try_get("email")?, disabled, extension),
            ))
        })
        .collect::<Result<_>>()?;
        let staff = self
            .all_staff()
            .await?
            .into_iter()
            .map(|m| {
                let (email, disabled, extension) =
                    accounts.get(&m.person.id.0).cloned().unwrap_or_default();
                Employee {
                    email,
                    id: m.person.id,
                    name: m.person.name,
                    role: m.person.role,
                    departments: m.departments,
                    disabled,
                    extension,
                }
            })
            .collect();
        // Every option with how many tickets carry it, in one pass over the tickets (option
        // ids are unique across kinds).
        let options = sqlx::query(
            "SELECT o.id, o.kind, o.label, o.side, o.retired, COALESCE(u.n, 0) AS tickets \
             FROM ticket_options o LEFT JOIN (SELECT used.id, COUNT(*) AS n FROM ( \
               SELECT status_option_id AS id FROM tickets UNION ALL \
               SELECT criticality_id FROM tickets UNION ALL \
               SELECT category_id FROM tickets UNION ALL \
               SELECT service_id FROM tickets) used \
             WHERE used.id IS NOT NULL GROUP BY used.id) u ON u.id = o.id \
             ORDER BY o.kind, o.position, o.id",
        )
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|row| {
            Ok(AdminOption {
                option: ticket_option(row)?,
                retired: row.try_get::<i64, _>("retired")? != 0,
                tickets: row.try_get("tickets")?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
        let rating_marks =
            sqlx::query("SELECT id, label, retired FROM rating_marks ORDER BY position, id")
                .fetch_all(&self.pool)
                .await?
                .iter()
                .map(|row| {
                    Ok(AdminMark {
                        id: RatingMarkId(row.try_get("id")?),
                        label: row.try_get("label")?,
                        retired: row.try_get::<i64, _>("retired")? != 0,
                    })
                })
                .collect::<Result<_>>()?;
        let queues = sqlx::query(
            "SELECT q.id, q.name, q.channel, q.retired, \
             (SELECT COUNT(*) FROM tickets t WHERE t.queue_id = q.id) AS tickets \
             FROM queues q ORDER BY q.position, q.id",
        )
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|row| {
            Ok(AdminQueue {
                queue: queue(row)?,
                retired: row.try_get::<i64, _>("retired")? != 0,
                tickets: row.try_get("tickets")?,
            })
        })
        .collect::<Result<_>>()?;
        Ok(AdminState {
            departments,
            staff,
            options,
            rating_marks,
            canned: self.canned_responses().await?,
            queues,
            mailboxes: self.mailboxes().await?,
            relay: self.mail_relay().await?.map(|(relay, _)| relay),
            settings_relay: None,
            call_end_reasons: self.call_end_reasons().await?,
            sites: self.widget_sites().await?,
            sign_up_open: self.sign_up_open().await?,
            revealed: None,
        })
    }

    /// Every call-end reason, in order, retired ones included.
    #[instrument(skip_all)]
    pub async fn call_end_reasons(&self) -> Result<Vec<CallEndReason>> {
        sqlx::query("SELECT id, label, closes, retired FROM call_end_reasons ORDER BY position, id")
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|row| {
                Ok(CallEndReason {
                    id: row.try_get("id")?,
                    label: row.try_get("label")?,
                    closes: row.try_get::<i64, _>("closes")? != 0,
                    retired: row.try_get::<i64, _>("retired")? != 0,
                })
            })
            .collect()
    }

    /// The queues still offered, in order.
    #[instrument(skip_all)]
    pub async fn queues(&self) -> Result<Vec<Queue>> {
        sqlx::query("SELECT id, name, channel FROM queues WHERE retired = 0 ORDER BY position, id")
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(queue)
            .collect()
    }

    /// The departments members can choose, by name.
    #[instrument(skip_all)]
    pub async fn public_departments(&self) -> Result<Vec<DepartmentId>> {
        let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM departments WHERE public = 1")
            .fetch_all(&self.pool)
            .await?;
        Ok(ids.into_iter().map(DepartmentId).collect())
    }
}

fn queue(row: &sqlx::any::AnyRow) -> Result<Queue> {
    Ok(Queue {
        id: QueueId(row.try_get("id")?),
        name: row.try_get("name")?,
        channel: channel(&row.try_get::<String, _>("channel")?)?,
    })
}

impl WriteTx {
    /// Adds a queue at the end; `Conflict` when the name is taken.
    pub async fn insert_queue(&mut self, name: &str, channel: Channel) -> Result<()> {
        sqlx::query(
            "INSERT INTO queues (name, channel, position) \
             VALUES ($1, $2, (SELECT COALESCE(MAX(position), 0) + 1 FROM queues))",
        )
        .bind(name)
        .bind(channel.as_str())
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// Renames a queue.
    pub async fn update_queue(&mut self, id: QueueId, name: &str) -> Result<()> {
        let done = sqlx::query("UPDATE queues SET name = $2 WHERE id = $1")
            .bind(id.0)
            .bind(name)
            .execute(self.conn())
            .await?;
        found(done.rows_affected())
    }

    /// Stops or resumes sending new tickets to a queue.
    pub async fn retire_queue(&mut self, id: QueueId, retired: bool) -> Result<()> {
        let done = sqlx::query("UPDATE queues SET retired = $2 WHERE id = $1")
            .bind(id.0)
            .bind(i64::from(retired))
            .execute(self.conn())
            .await?;
        found(done.rows_affected())
    }

    /// Deletes a queue (the caller has made sure it holds no tickets).
    pub async fn delete_queue(&mut self, id: QueueId) -> Result<()> {
        let done = sqlx::query("DELETE FROM queues WHERE id = $1")
            .bind(id.0)
            .execute(self.conn())
            .await?;
        found(done.rows_affected())
    }

    /// Adds a department; `Conflict` when the name is taken.
    pub async fn insert_department(&mut self, name: &str, public: bool, now: i64) -> Result<()> {
        sqlx::query("INSERT INTO departments (name, public, created_at) VALUES ($1, $2, $3)")
            .bind(name)
            .bind(i64::from(public))
            .bind(now)
            .execute(self.conn())
            .await?;
        Ok(())
    }

    /// Renames a department or changes whether members can choose it; `NotFound`, `Conflict`.
    pub async fn update_department(
        &mut self,
        id: DepartmentId,
        name: &str,
        public: bool,
    ) -> Result<()> {
        let done = sqlx::query("UPDATE departments SET name = $2, public = $3 WHERE id = $1")
            .bind(id.0)
            .bind(name)
            .bind(i64::from(public))
            .execute(self.conn())
            .await?;
        found(done.rows_affected())
    }

    /// Deletes a department with its memberships and canned responses (the caller has made
    /// sure it holds no tickets; the foreign key refuses otherwise).
    pub async fn delete_department(&mut self, id: DepartmentId) -> Result<()> {
        for sql in [
            "DELETE FROM department_members WHERE department_id = $1",
            "DELETE FROM canned_responses WHERE department_id = $1",
        ] {
            sqlx::query(sql).bind(id.0).execute(self.conn()).await?;
        }
        let done = sqlx::query("DELETE FROM departments WHERE id = $1")
            .bind(id.0)
            .execute(self.conn())
            .await?;
        found(done.rows_affected())
    }

    /// Adds a member of staff; `Conflict` when the email is taken.
    pub async fn insert_employee(
        &mut self,
        email: &str,
        name: &str,
        role: Role,
        password_hash: &str,
        now: i64,
    ) -> Result<UserId> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO users (email, name, role, password_hash, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(email)
        .bind(name)
        .bind(role.as_str())
        .bind(password_hash)
        .bind(now)
        .fetch_one(self.conn())
        .await?;
        Ok(UserId(id))
    }

    /// Sets (or clears) a member of staff's phone extension; `Conflict` when another holds
    /// it, `NotFound` for anyone but staff.
    pub async fn set_extension(&mut self, id: UserId, extension: Option<&str>) -> Result<()> {
        let done =
            sqlx::query("UPDATE users SET extension = $2 WHERE id = $1 AND role <> 'member'")
                .bind(id.0)
                .bind(extension)
                .execute(self.conn())
                .await?;
        if done.rows_affected() == 0 {
            return Err(super::Error::NotFound);
        }
        Ok(())
    }

    /// Changes a member of staff's name and role; `NotFound` for anyone else.
    pub async fn update_employee(&mut self, id: UserId, name: &str, role: Role) -> Result<()> {
        let done =
            sqlx::query("UPDATE users SET name = $2, role = $3 WHERE id = $1 AND role <> 'member'")
                .bind(id.0)
                .bind(name)
                .bind(role.as_str())
                .execute(self.conn())
                .await?;
        found(done.rows_affected())
    }

    /// Disables a member of staff's account (`at`), or enables it again (`None`); `NotFound`
    /// for anyone else.
    pub async fn set_disabled(&mut self, id: UserId, at: Option<i64>) -> Result<()> {
        let done =
            sqlx::query("UPDATE users SET disabled_at = $2 WHERE id = $1 AND role <> 'member'")
                .bind(id.0)
                .bind(at)
                .execute(self.conn())
                .await?;
        found(done.rows_affected())
    }

    /// Sets the departments a person works in.
    pub async fn set_departments(
        &mut self,
        id: UserId,
        departments: &[DepartmentId],
    ) -> Result<()> {
        sqlx::query("DELETE FROM department_members WHERE user_id = $1")
            .bind(id.0)
            .execute(self.conn())
            .await?;
        for department in departments {
            sqlx::query("INSERT INTO department_members (department_id, user_id) VALUES ($1, $2)")
                .bind(department.0)
                .bind(id.0)
                .execute(self.conn())
                .await?;
        }
        Ok(())
    }

    /// Adds an option at the end of its list; `Conflict` when its kind has that label.
    pub async fn insert_option(
        &mut self,
        kind: OptionKind,
        label: &str,
        side: Option<TicketStatus>,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO ticket_options (kind, label, side, position) VALUES ($1, $2, $3, \
             (SELECT COALESCE(MAX(position), 0) + 1 FROM ticket_options WHERE kind = $1))",
        )
        .bind(kind.as_str())
        .bind(label)
        .bind(side.map(TicketStatus::as_str))
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// The kind of an option; `NotFound`.
    pub async fn option_kind(&mut self, id: OptionId) -> Result<OptionKind> {
        let kind: String = sqlx::query_scalar("SELECT kind FROM ticket_options WHERE id = $1")
            .bind(id.0)
            .fetch_one(self.conn())
            .await?;
        OptionKind::parse(&kind).ok_or_else(|| decode_err(format!("unknown option kind {kind}")))
    }

    /// Renames an option and sets its side.
    pub async fn update_option(
        &mut self,
        id: OptionId,
        label: &str,
        side: Option<TicketStatus>,
    ) -> Result<()> {
        let done = sqlx::query("UPDATE ticket_options SET label = $2, side = $3 WHERE id = $1")
            .bind(id.0)
            .bind(label)
            .bind(side.map(TicketStatus::as_str))
            .execute(self.conn())
            .await?;
        found(done.rows_affected())
    }

    /// Stops or resumes offering an option.
    pub async fn retire_option(&mut self, id: OptionId, retired: bool) -> Result<()> {
        let done = sqlx::query("UPDATE ticket_options SET retired = $2 WHERE id = $1")
            .bind(id.0)
            .bind(i64::from(retired))
            .execute(self.conn())
            .await?;
        found(done.rows_affected())
    }

    /// Deletes an option (the caller has made sure no ticket carries it).
    pub async fn delete_option(&mut self, id: OptionId) -> Result<()> {
        let done = sqlx::query("DELETE FROM ticket_options WHERE id = $1")
            .bind(id.0)
            .execute(self.conn())
            .await?;
        found(done.rows_affected())
    }

    /// Adds a rating mark at the end; `Conflict` when the label is taken.
    pub async fn insert_mark(&mut self, label: &str) -> Result<()> {
        sqlx::query(
            "INSERT INTO rating_marks (label, position) \
             VALUES ($1, (SELECT COALESCE(MAX(position), 0) + 1 FROM rating_marks))",
        )
        .bind(label)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// Renames a rating mark.
    pub async fn update_mark(&mut self, id: RatingMarkId, label: &str) -> Result<()> {
        let done = sqlx::query("UPDATE rating_marks SET label = $2 WHERE id = $1")
            .bind(id.0)
            .bind(label)
            .execute(self.conn())
            .await?;
        found(done.rows_affected())
    }

    /// Stops or resumes offering a rating mark.
    pub async fn retire_mark(&mut self, id: RatingMarkId, retired: bool) -> Result<()> {
        let done = sqlx::query("UPDATE rating_marks SET retired = $2 WHERE id = $1")
            .bind(id.0)
            .bind(i64::from(retired))
            .execute(self.conn())
            .await?;
        found(done.rows_affected())
    }

    /// Adds a call-end reason at the end of the list; `Conflict` when the label is taken.
    pub async fn insert_call_end_reason(&mut self, label: &str, closes: bool) -> Result<()> {
        sqlx::query(
            "INSERT INTO call_end_reasons (label, closes, position) \
             VALUES ($1, $2, (SELECT COALESCE(MAX(position), 0) + 1 FROM call_end_reasons))",
        )
        .bind(label)
        .bind(i64::from(closes))
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// Renames a call-end reason and sets whether it closes by default.
    pub async fn update_call_end_reason(
        &mut self,
        id: i64,
        label: &str,
        closes: bool,
    ) -> Result<()> {
        let done = sqlx::query("UPDATE call_end_reasons SET label = $2, closes = $3 WHERE id = $1")
            .bind(id)
            .bind(label)
            .bind(i64::from(closes))
            .execute(self.conn())
            .await?;
        found(done.rows_affected())
    }

    /// Swaps the places of two call-end reasons; `NotFound` when either is not there.
    pub async fn swap_call_end_reasons(&mut self, a: i64, b: i64) -> Result<()> {
        let mut places = Vec::new();
        for id in [a, b] {
            let place: i64 =
                sqlx::query_scalar("SELECT position FROM call_end_reasons WHERE id = $1")
                    .bind(id)
                    .fetch_one(self.conn())
                    .await?;
            places.push(place);
        }
        for (id, place) in [(a, places[1]), (b, places[0])] {
            sqlx::query("UPDATE call_end_reasons SET position = $2 WHERE id = $1")
                .bind(id)
                .bind(place)
                .execute(self.conn())
                .await?;
        }
        Ok(())
    }

    /// Stops or resumes offering a call-end reason.
    pub async fn retire_call_end_reason(&mut self, id: i64, retired: bool) -> Result<()> {
        let done = sqlx::query("UPDATE call_end_reasons SET retired = $2 WHERE id = $1")
            .bind(id)
            .bind(i64::from(retired))
            .execute(self.conn())
            .await?;
        found(done.rows_affected())
    }

    /// Adds a canned response; `Conflict` when its department has that title.
    pub async fn insert_canned(
        &mut self,
        department: DepartmentId,
        title: &str,
        body: &str,
        now: i64,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO canned_responses (department_id, title, body, created_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(department.0)
        .bind(title)
        .bind(body)
        .bind(now)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// Changes a canned response.
    pub async fn update_canned(
        &mut self,
        id: i64,
        department: DepartmentId,
        title: &str,
        body: &str,
    ) -> Result<()> {
        let done = sqlx::query(
            "UPDATE canned_responses SET department_id = $2, title = $3, body = $4 WHERE id = $1",
        )
        .bind(id)
        .bind(department.0)
        .bind(title)
        .bind(body)
        .execute(self.conn())
        .await?;
        found(done.rows_affected())
    }

    /// Deletes a canned response.
    pub async fn delete_canned(&mut self, id: i64) -> Result<()> {
        let done = sqlx::query("DELETE FROM canned_responses WHERE id = $1")
            .bind(id)
            .execute(self.conn())
            .await?;
        found(done.rows_affected())
    }
}

/// `NotFound` when a change touched no row.
fn found(rows: u64) -> Result<()> {
    if rows == 0 {
        Err(super::Error::NotFound)
    } else {
        Ok(())
    }
}
