//! People and departments.

use app::i18n::Lang;
use app::protocol::{
    CannedResponse, Department, DepartmentId, MailReplies, Me, OptionKind, Person, Preferences,
    RatingMark, RatingMarkId, Role, StaffMember, TicketId, UserId,
};
use sqlx::{Row, any::AnyRow};
use tracing::instrument;

use super::{Error, Result, Store};
use crate::domain::Viewer;

/// What login needs to check a password.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub id: UserId,
    pub email: String,
    pub password_hash: String,
}

fn department(row: &AnyRow) -> Result<Department> {
    Ok(Department {
        id: DepartmentId(row.try_get("id")?),
        name: row.try_get("name")?,
    })
}

pub(super) fn role(raw: &str) -> Result<Role> {
    Role::parse(raw)
        .ok_or_else(|| Error::Backend(sqlx::Error::Decode(format!("unknown role {raw}").into())))
}

impl Store {
    /// Adds a department; `Conflict` when the name is taken.
    #[instrument(skip_all)]
    pub async fn create_department(&self, name: &str, now: i64) -> Result<DepartmentId> {
        let mut w = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO departments (name, created_at) VALUES ($1, $2) RETURNING id",
        )
        .bind(name)
        .bind(now)
        .fetch_one(w.conn())
        .await?;
        w.commit().await?;
        Ok(DepartmentId(id))
    }

    /// Every department, by name.
    #[instrument(skip_all)]
    pub async fn departments(&self) -> Result<Vec<Department>> {
        let rows = sqlx::query("SELECT id, name FROM departments ORDER BY name")
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(department).collect()
    }

    /// One department by id.
    #[instrument(skip_all)]
    pub async fn department(&self, id: DepartmentId) -> Result<Department> {
        let row = sqlx::query("SELECT id, name FROM departments WHERE id = $1")
            .bind(id.0)
            .fetch_one(&self.pool)
            .await?;
        department(&row)
    }

    /// Adds a person with their departments; `Conflict` when the email is taken.
    #[instrument(skip_all)]
    pub async fn create_user(
        &self,
        email: &str,
        name: &str,
        role: Role,
        password_hash: &str,
        departments: &[DepartmentId],
        now: i64,
    ) -> Result<UserId> {
        let mut w = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO users (email, name, role, password_hash, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(email)
        .bind(name)
        .bind(role.as_str())
        .bind(password_hash)
        .bind(now)
        .fetch_one(w.conn())
        .await?;
        for department in departments {
            sqlx::query("INSERT INTO department_members (department_id, user_id) VALUES ($1, $2)")
                .bind(department.0)
                .bind(id)
                .execute(w.conn())
                .await?;
        }
        w.commit().await?;
        Ok(UserId(id))
    }

    /// The stored password hash for an email (compared case-insensitively).
    #[instrument(skip_all)]
    pub async fn credentials(&self, email: &str) -> Result<Option<Credentials>> {
        let row = sqlx::query("SELECT id, email, password_hash FROM users WHERE lower(email) = lower($1) AND disabled_at IS NULL")
            .bind(email.trim())
            .fetch_optional(&self.pool)
            .await?;
        row.map(|row| {
            Ok(Credentials {
                id: UserId(row.try_get("id")?),
                email: row.try_get("email")?,
                password_hash: row.try_get("password_hash")?,
            })
        })
        .transpose()
    }

    /// A person's email and stored password hash.
    #[instrument(skip_all)]
    pub async fn account(&self, id: UserId) -> Result<Credentials> {
        let row = sqlx::query("SELECT email, password_hash FROM users WHERE id = $1")
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(Error::NotFound)?;
        Ok(Credentials {
            id,
            email: row.try_get("email")?,
            password_hash: row.try_get("password_hash")?,
        })
    }

    /// The person behind a session, with what decides their permissions.
    #[instrument(skip_all)]
    pub async fn viewer(&self, id: UserId) -> Result<Viewer> {
        let row =
            sqlx::query("SELECT id, name, role FROM users WHERE id = $1 AND disabled_at IS NULL")
                .bind(id.0)
                .fetch_one(&self.pool)
                .await?;
        let departments: Vec<i64> = sqlx::query_scalar(
            "SELECT department_id FROM department_members WHERE user_id = $1 ORDER BY department_id",
        )
        .bind(id.0)
        .fetch_all(&self.pool)
        .await?;
        let kept: Vec<i64> = sqlx::query_scalar(
            "SELECT ticket_id FROM ticket_guests WHERE user_id = $1 ORDER BY ticket_id",
        )
        .bind(id.0)
        .fetch_all(&self.pool)
        .await?;
        Ok(Viewer {
            id,
            name: row.try_get("name")?,
            role: role(&row.try_get::<String, _>("role")?)?,
            departments: departments.into_iter().map(DepartmentId).collect(),
            kept: kept.into_iter().map(TicketId).collect(),
        })
    }

    /// Where and how to write to person `id` by mail: their address, name, language, and
    /// when they want their chat answers by mail.
    #[instrument(skip_all)]
    pub async fn mail_contact(
        &self,
        id: UserId,
    ) -> Result<(String, String, Option<Lang>, MailReplies)> {
        let row =
            sqlx::query("SELECT email, name, language, mail_replies FROM users WHERE id = $1")
                .bind(id.0)
                .fetch_one(&self.pool)
                .await?;
        let language = row
            .try_get::<Option<String>, _>("language")?
            .as_deref()
            .and_then(Lang::parse);
        let prefers =
            MailReplies::parse(&row.try_get::<String, _>("mail_replies")?).unwrap_or_default();
        Ok((
            row.try_get("email")?,
            row.try_get("name")?,
            language,
            prefers,
        ))
    }

    /// The signed-in person as the UI shows them.
    #[instrument(skip_all)]
    pub async fn me(&self, viewer: &Viewer) -> Result<Me> {
        let row = sqlx::query(
            "SELECT email, notes_by_default, language, mail_replies, extension FROM users WHERE id = $1",
        )
        .bind(viewer.id.0)
        .fetch_one(&self.pool)
        .await?;
        let email: String = row.try_get("email")?;
        let extension = row
            .try_get::<Option<String>, _>("extension")?
            .filter(|_| viewer.role.is_staff());
        let notes_by_default = row.try_get::<i64, _>("notes_by_default")? != 0;
        let mail_replies =
            MailReplies::parse(&row.try_get::<String, _>("mail_replies")?).unwrap_or_default();
        let language = row
            .try_get::<Option<String>, _>("language")?
            .as_deref()
            .and_then(Lang::parse);
        let all = self.departments().await?;
        let departments = match viewer.role {
            Role::Operator => all
                .iter()
                .filter(|d| viewer.departments.contains(&d.id))
                .cloned()
                .collect(),
            // Members choose among the departments offered in the support centre.
            Role::Member => {
                let public = self.public_departments().await?;
                all.iter()
                    .filter(|d| public.contains(&d.id))
                    .cloned()
                    .collect()
            }
            Role::Moderator | Role::Administrator => all.clone(),
        };
        let transfer_targets = if viewer.role.is_staff() {
            all
        } else {
            Vec::new()
        };
        let rating_marks = self.rating_marks().await?;
        let canned = if viewer.role.is_staff() {
            let visible: Vec<DepartmentId> =
                departments.iter().map(|d: &Department| d.id).collect();
            self.canned_responses()
                .await?
                .into_iter()
                .filter(|c| visible.contains(&c.department_id))
                .collect()
        } else {
            Vec::new()
        };
        let mut options = self.ticket_options(false).await?;
        // Members' feedback form offers a category and a criticality; their related service
        // is one of their own.
        let services = if viewer.role.is_staff() {
            Vec::new()
        } else {
            options.retain(|o| matches!(o.kind, OptionKind::Category | OptionKind::Criticality));
            self.member_services(viewer.id).await?
        };
        let (staff, queues, response_targets) = if viewer.role.is_staff() {
            (
                self.staff().await?,
                self.queues().await?,
                self.response_targets().await?,
            )
        } else {
            (Vec::new(), Vec::new(), Vec::new())
        };
        let workspace = self.workspace(viewer.id).await?;
        Ok(Me {
            file_limits: Default::default(),
            options,
            services,
            staff,
            queues,
            notes_by_default: notes_by_default && viewer.role.is_staff(),
            mail_replies,
            language,
            id: viewer.id,
            name: viewer.name.clone(),
            email,
            role: viewer.role,
            departments,
            transfer_targets,
            rating_marks,
            canned,
            extension,
            response_targets,
            workspace,
        })
    }

    /// Every member of staff with their departments, by name.
    #[instrument(skip_all)]
    pub async fn staff(&self) -> Result<Vec<StaffMember>> {
        self.staff_of("role <> 'member' AND disabled_at IS NULL")
            .await
    }

    /// Staff, disabled accounts included (administrators manage them).
    pub(super) async fn all_staff(&self) -> Result<Vec<StaffMember>> {
        self.staff_of("role <> 'member'").await
    }

    async fn staff_of(&self, filter: &'static str) -> Result<Vec<StaffMember>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT id, name, role FROM users WHERE {filter} ORDER BY name, id"
        )))
        .fetch_all(&self.pool)
        .await?;
        let links = sqlx::query(
            "SELECT m.user_id, m.department_id FROM department_members m \
             JOIN users u ON u.id = m.user_id WHERE u.role <> 'member' \
             ORDER BY m.user_id, m.department_id",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut departments: std::collections::HashMap<i64, Vec<DepartmentId>> =
            std::collections::HashMap::new();
        for link in &links {
            departments
                .entry(link.try_get("user_id")?)
                .or_default()
                .push(DepartmentId(link.try_get("department_id")?));
        }
        rows.iter()
            .map(|row| {
                let id: i64 = row.try_get("id")?;
                Ok(StaffMember {
                    person: Person {
                        id: UserId(id),
                        name: row.try_get("name")?,
                        role: role(&row.try_get::<String, _>("role")?)?,
                    },
                    departments: departments.remove(&id).unwrap_or_default(),
                })
            })
            .collect()
    }

    /// The language a person chose, if they chose one.
    #[instrument(skip_all)]
    pub async fn language(&self, user: UserId) -> Result<Option<Lang>> {
        let code: Option<Option<String>> =
            sqlx::query_scalar("SELECT language FROM users WHERE id = $1")
                .bind(user.0)
                .fetch_optional(&self.pool)
                .await?;
        Ok(code.flatten().as_deref().and_then(Lang::parse))
    }

    /// Stores the language a person chose.
    #[instrument(skip_all)]
    pub async fn set_language(&self, user: UserId, language: Lang) -> Result<()> {
        let mut w = self.begin_write().await?;
        sqlx::query("UPDATE users SET language = $2 WHERE id = $1")
            .bind(user.0)
            .bind(language.code())
            .execute(w.conn())
            .await?;
        w.commit().await?;
        Ok(())
    }

    /// Stores a person's preferences.
    #[instrument(skip_all)]
    pub async fn set_preferences(
        &self,
        user: UserId,
        role: Role,
        preferences: &Preferences,
        workspace: Option<&app::protocol::Workspace>,
    ) -> Result<()> {
        let mut w = self.begin_write().await?;
        if let Some(workspace) = workspace {
            w.set_workspace(user, workspace).await?;
        }
        if role.is_staff() {
            sqlx::query("UPDATE users SET notes_by_default = $2 WHERE id = $1")
                .bind(user.0)
                .bind(i64::from(preferences.notes_by_default))
                .execute(w.conn())
                .await?;
        } else if let Some(mail_replies) = preferences.mail_replies {
            sqlx::query("UPDATE users SET mail_replies = $2 WHERE id = $1")
                .bind(user.0)
                .bind(mail_replies.as_str())
                .execute(w.conn())
                .await?;
        }
        w.commit().await?;
        Ok(())
    }

    /// The rating marks in use, in order.
    #[instrument(skip_all)]
    pub async fn rating_marks(&self) -> Result<Vec<RatingMark>> {
        let rows = sqlx::query(
            "SELECT id, label FROM rating_marks WHERE retired = 0 ORDER BY position, id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(RatingMark {
                    id: RatingMarkId(row.try_get("id")?),
                    label: row.try_get("label")?,
                })
            })
            .collect()
    }

    /// Every canned response, by department and title.
    #[instrument(skip_all)]
    pub async fn canned_responses(&self) -> Result<Vec<CannedResponse>> {
        let rows = sqlx::query(
            "SELECT id, department_id, title, body FROM canned_responses ORDER BY department_id, title",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(CannedResponse {
                    id: row.try_get("id")?,
                    department_id: DepartmentId(row.try_get("department_id")?),
                    title: row.try_get("title")?,
                    body: row.try_get("body")?,
                })
            })
            .collect()
    }

    /// Adds a canned response to a department; `Conflict` when the title is taken there.
    #[instrument(skip_all)]
    pub async fn create_canned_response(
        &self,
        department: DepartmentId,
        title: &str,
        body: &str,
        now: i64,
    ) -> Result<i64> {
        let mut w = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO canned_responses (department_id, title, body, created_at) \
             VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(department.0)
        .bind(title)
        .bind(body)
        .bind(now)
        .fetch_one(w.conn())
        .await?;
        w.commit().await?;
        Ok(id)
    }

    /// Whether any person exists (a fresh database has none).
    #[instrument(skip_all)]
    pub async fn has_users(&self) -> Result<bool> {
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
            .fetch_one(&self.pool)
            .await?;
        Ok(count > 0)
    }
}
