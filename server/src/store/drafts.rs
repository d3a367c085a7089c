//! Drafts: what a person has written in a ticket's reply box and not sent, per kind (a reply
//! or a hidden note), kept so that it survives a reload, another device and a restart.

use app::protocol::{Drafts, TicketId, UserId};
use sqlx::Row;
use tracing::instrument;

use super::{Result, Store, WriteTx};

impl Store {
    /// Keeps `body` as `user`'s draft of kind `note` in `ticket`; an empty one is forgotten.
    #[instrument(skip_all, fields(ticket_id = %ticket))]
    pub async fn save_draft(
        &self,
        user: UserId,
        ticket: TicketId,
        note: bool,
        body: &str,
        now: i64,
    ) -> Result<()> {
        let mut w = self.begin_write().await?;
        if body.is_empty() {
            w.forget_draft(user, ticket, note).await?;
        } else {
            sqlx::query(
                "INSERT INTO drafts (user_id, ticket_id, note, body, updated_at) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (user_id, ticket_id, note) \
                 DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at",
            )
            .bind(user.0)
            .bind(ticket.0)
            .bind(i64::from(note))
            .bind(body)
            .bind(now)
            .execute(w.conn())
            .await?;
        }
        w.commit().await
    }

    /// `user`'s drafts in `ticket` (empty strings where there is none).
    #[instrument(skip_all, fields(ticket_id = %ticket))]
    pub async fn drafts(&self, user: UserId, ticket: TicketId) -> Result<Drafts> {
        let rows =
            sqlx::query("SELECT note, body FROM drafts WHERE user_id = $1 AND ticket_id = $2")
                .bind(user.0)
                .bind(ticket.0)
                .fetch_all(&self.pool)
                .await?;
        let mut drafts = Drafts::default();
        for row in rows {
            let body: String = row.try_get("body")?;
            if row.try_get::<i64, _>("note")? != 0 {
                drafts.note = body;
            } else {
                drafts.reply = body;
            }
        }
        Ok(drafts)
    }
}

impl WriteTx {
    /// Forgets `user`'s draft of kind `note` in `ticket` (it was sent, or emptied).
    pub async fn forget_draft(&mut self, user: UserId, ticket: TicketId, note: bool) -> Result<()> {
        sqlx::query("DELETE FROM drafts WHERE user_id = $1 AND ticket_id = $2 AND note = $3")
            .bind(user.0)
            .bind(ticket.0)
            .bind(i64::from(note))
            .execute(self.conn())
            .await?;
        Ok(())
    }
}
