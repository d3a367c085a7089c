//! Following tickets, and the in-app notifications followers get.

use app::protocol::{
    DepartmentId, EventKind, Notification, NotificationId, Notifications, Person, Role, Seq,
    TicketId, UserId,
};
use sqlx::Row;
use tracing::instrument;

use super::{Result, Store, WriteTx, tickets::decode_err};
use crate::domain::{self, TicketScope, Viewer, audience::staff_sees_ticket};

impl WriteTx {
    /// Notifies the ticket's followers (but its author) who still work in its department of
    /// event `seq`, in the event's own transaction.
    pub(super) async fn notify_followers(
        &mut self,
        ticket: TicketId,
        seq: Seq,
        author: UserId,
        department: DepartmentId,
    ) -> Result<Vec<domain::Notified>> {
        // The SQL twin of `domain::notified`: staff followers who may see the ticket, not
        // its author.
        let rows = sqlx::query(concat!(
            "INSERT INTO notifications (user_id, ticket_id, seq) \
             SELECT f.user_id, f.ticket_id, $2 FROM ticket_followers f \
             JOIN users u ON u.id = f.user_id \
             WHERE f.ticket_id = $1 AND f.user_id <> $3 AND u.role <> 'member' AND ",
            staff_sees_ticket!(
                ticket: "$1",
                department: "$4",
                user: "f.user_id",
                all: "u.role IN ('moderator', 'administrator')"
            ),
            " RETURNING id, user_id"
        ))
        .bind(ticket.0)
        .bind(seq.0)
        .bind(author.0)
        .bind(department.0)
        .fetch_all(self.conn())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(domain::Notified {
                    id: NotificationId(row.try_get("id")?),
                    user: UserId(row.try_get("user_id")?),
                    mention: false,
                })
            })
            .collect()
    }

    /// Notifies the colleagues `body` calls by name (`@Name`) — staff who may see the ticket,
    /// not its author, not those already told as followers — of event `seq`.
    pub(super) async fn notify_mentioned(
        &mut self,
        ticket: TicketId,
        seq: Seq,
        author: UserId,
        department: DepartmentId,
        body: &str,
        already: &[domain::Notified],
    ) -> Result<Vec<domain::Notified>> {
        if !body.contains('@') {
            return Ok(Vec::new());
        }
        let rows = sqlx::query("SELECT id, name FROM users WHERE role <> 'member'")
            .fetch_all(self.conn())
            .await?;
        let staff = rows
            .iter()
            .map(|row| Ok((UserId(row.try_get("id")?), row.try_get("name")?)))
            .collect::<Result<Vec<(UserId, String)>>>()?;
        let mut told = Vec::new();
        for user in domain::mentioned(body, &staff) {
            if user == author || already.iter().any(|n| n.user == user) {
                continue;
            }
            // The SQL twin of `domain::notified`, for one colleague.
            let id: Option<i64> = sqlx::query_scalar(concat!(
                "INSERT INTO notifications (user_id, ticket_id, seq, mention) \
                 SELECT u.id, $2, $3, 1 FROM users u \
                 WHERE u.id = $1 AND u.role <> 'member' AND ",
                staff_sees_ticket!(
                    ticket: "$2",
                    department: "$4",
                    user: "u.id",
                    all: "u.role IN ('moderator', 'administrator')"
                ),
                " RETURNING id"
            ))
            .bind(user.0)
            .bind(ticket.0)
            .bind(seq.0)
            .bind(department.0)
            .fetch_optional(self.conn())
            .await?;
            if let Some(id) = id {
                told.push(domain::Notified {
                    id: NotificationId(id),
                    user,
                    mention: true,
                });
            }
        }
        Ok(told)
    }

    /// Lets `user` keep a ticket they passed on to a department they do not work in.
    pub async fn keep_ticket(&mut self, ticket: TicketId, user: UserId) -> Result<()> {
        sqlx::query(
            "INSERT INTO ticket_guests (ticket_id, user_id) VALUES ($1, $2) \
             ON CONFLICT (ticket_id, user_id) DO NOTHING",
        )
        .bind(ticket.0)
        .bind(user.0)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// Starts (or stops) `user` following a ticket; whether anything changed.
    #[instrument(skip_all, fields(ticket_id = %ticket))]
    pub async fn follow(
        &mut self,
        ticket: TicketId,
        user: UserId,
        follow: bool,
        now: i64,
    ) -> Result<bool> {
        let done = if follow {
            sqlx::query(
                "INSERT INTO ticket_followers (ticket_id, user_id, created_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (ticket_id, user_id) DO NOTHING",
            )
            .bind(ticket.0)
            .bind(user.0)
            .bind(now)
            .execute(self.conn())
            .await?
        } else {
            sqlx::query("DELETE FROM ticket_followers WHERE ticket_id = $1 AND user_id = $2")
                .bind(ticket.0)
                .bind(user.0)
                .execute(self.conn())
                .await?
        };
        Ok(done.rows_affected() > 0)
    }

    /// Marks `user`'s notifications read (of one ticket, or all); how many changed.
    #[instrument(skip_all)]
    pub async fn read_notifications(
        &mut self,
        user: UserId,
        ticket: Option<TicketId>,
    ) -> Result<u64> {
        let done = sqlx::query(
            "UPDATE notifications SET is_read = 1 WHERE user_id = $1 AND is_read = 0 \
             AND ($2 IS NULL OR ticket_id = $2)",
        )
        .bind(user.0)
        .bind(ticket.map(|t| t.0))
        .execute(self.conn())
        .await?;
        Ok(done.rows_affected())
    }
}

impl Store {
    /// `viewer`'s newest notifications (of tickets they may still see), how many are unread,
    /// and the tickets they follow.
    #[instrument(skip_all)]
    pub async fn notifications(&self, viewer: &Viewer, limit: i64) -> Result<Notifications> {
        let rows = sqlx::query(
            "SELECT n.id, n.ticket_id, n.seq, n.is_read, n.mention, e.at, e.data, e.author_id, \
             a.name AS author_name, a.role AS author_role, t.subject, t.member_id, t.department_id \
             FROM notifications n \
             JOIN ticket_events e ON e.ticket_id = n.ticket_id AND e.seq = n.seq \
             JOIN tickets t ON t.id = n.ticket_id \
             LEFT JOIN users a ON a.id = e.author_id \
             WHERE n.user_id = $1 ORDER BY n.id DESC LIMIT $2",
        )
        .bind(viewer.id.0)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        let mut items = Vec::with_capacity(rows.len());
        for row in &rows {
            let scope = TicketScope {
                id: TicketId(row.try_get("ticket_id")?),
                member_id: UserId(row.try_get("member_id")?),
                department_id: DepartmentId(row.try_get("department_id")?),
            };
            if !domain::can_view(viewer, &scope) {
                continue;
            }
            let data: String = row.try_get("data")?;
            let kind: EventKind = serde_json::from_str(&data).map_err(decode_err)?;
            let mention = row.try_get::<i64, _>("mention")? != 0;
            let author = match row.try_get::<Option<i64>, _>("author_id")? {
                Some(id) => {
                    let role: String = row.try_get("author_role")?;
                    Some(Person {
                        id: UserId(id),
                        name: row.try_get("author_name")?,
                        role: Role::parse(&role).unwrap_or(Role::Member),
                    })
                }
                None => None,
            };
            items.push(Notification {
                id: NotificationId(row.try_get("id")?),
                ticket_id: scope.id,
                subject: row.try_get("subject")?,
                seq: Seq(row.try_get("seq")?),
                at: row.try_get("at")?,
                author,
                text: domain::notification_for(&kind, mention)
                    .map(|reason| reason.text(app::i18n::Lang::En))
                    .unwrap_or_default(),
                said: domain::notification_for(&kind, mention).map(Into::into),
                read: row.try_get::<i64, _>("is_read")? != 0,
            });
        }
        let unread: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND is_read = 0",
        )
        .bind(viewer.id.0)
        .fetch_one(&self.pool)
        .await?;
        let following: Vec<i64> = sqlx::query_scalar(
            "SELECT ticket_id FROM ticket_followers WHERE user_id = $1 ORDER BY ticket_id",
        )
        .bind(viewer.id.0)
        .fetch_all(&self.pool)
        .await?;
        Ok(Notifications {
            items,
            unread,
            following: following.into_iter().map(TicketId).collect(),
        })
    }
}
