//! Members' accounts as the host platform syncs them: who they are (by the host's id), their
//! phone numbers, cards (with every change of status), subscriptions and purchases.

use app::protocol::{
    Card, CardStatus, CardUpsert, MailingChannel, MemberAccount, Purchase, PurchaseItem, Role,
    Subscription, UserId,
};
use sqlx::{Row, any::AnyRow};
use tracing::instrument;

use super::{Error, Result, Store, WriteTx};

/// Who a member is, as the host platform sends it (values already checked).
pub struct MemberRecord<'a> {
    pub external_id: &'a str,
    pub name: &'a str,
    pub email: &'a str,
    pub phones: &'a [String],
    pub birth_date: Option<&'a str>,
    pub city: Option<&'a str>,
    /// What is stored as the password of a member made here (they sign in once given one).
    pub no_password: &'a str,
    /// Only the name, the address and the phones given change: the phones are added to the
    /// member's, the birth date and city stay (what an identity token says of a member).
    pub partial: bool,
}

fn purchase(row: &AnyRow) -> Result<Purchase> {
    let items: String = row.try_get("items")?;
    Ok(Purchase {
        id: row.try_get("external_id")?,
        at: row.try_get("at")?,
        point_of_sale: row.try_get("point_of_sale")?,
        items: serde_json::from_str::<Vec<PurchaseItem>>(&items).unwrap_or_default(),
        amount: row.try_get("amount")?,
        points_earned: row.try_get("points_earned")?,
        points_spent: row.try_get("points_spent")?,
    })
}

impl WriteTx {
    /// [`Store::upsert_card`] inside this write.
    pub async fn write_card(
        &mut self,
        id: UserId,
        number: &str,
        card: &CardUpsert,
        author: Option<UserId>,
        now: i64,
    ) -> Result<()> {
        let before = sqlx::query("SELECT user_id, status FROM cards WHERE number = $1")
            .bind(number)
            .fetch_optional(self.conn())
            .await?;
        let changed = match &before {
            Some(row) if row.try_get::<i64, _>("user_id")? != id.0 => {
                return Err(Error::Conflict("number".into()));
            }
            Some(row) => row.try_get::<String, _>("status")? != card.status.as_str(),
            None => true,
        };
        sqlx::query(
            "INSERT INTO cards (number, user_id, status, balance, block_reason, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (number) DO UPDATE SET \
             status = $3, balance = $4, block_reason = $5, updated_at = $6",
        )
        .bind(number)
        .bind(id.0)
        .bind(card.status.as_str())
        .bind(card.balance)
        .bind(card.block_reason.as_deref())
        .bind(now)
        .execute(self.conn())
        .await?;
        if changed {
            sqlx::query(
                "INSERT INTO card_history (number, at, status, reason, author_id) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(number)
            .bind(now)
            .bind(card.status.as_str())
            .bind(card.block_reason.as_deref())
            .bind(author.map(|a| a.0))
            .execute(self.conn())
            .await?;
        }
        Ok(())
    }

    /// [`Store::set_subscriptions`] inside this write.
    pub async fn write_subscriptions(
        &mut self,
        id: UserId,
        subscriptions: &[Subscription],
        now: i64,
    ) -> Result<()> {
        for s in subscriptions {
            sqlx::query(
                "INSERT INTO subscriptions (user_id, channel, topic, subscribed, updated_at) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (user_id, channel, topic) DO UPDATE \
                 SET subscribed = $4, updated_at = $5",
            )
            .bind(id.0)
            .bind(s.channel.as_str())
            .bind(&s.topic)
            .bind(i64::from(s.subscribed))
            .bind(now)
            .execute(self.conn())
            .await?;
        }
        Ok(())
    }

    /// The member `email` names, if it names one; `Conflict("email")` when it names staff.
    async fn member_by_email(&mut self, email: &str) -> Result<Option<UserId>> {
        let row = sqlx::query("SELECT id, role FROM users WHERE lower(email) = lower($1)")
            .bind(email)
            .fetch_optional(self.conn())
            .await?;
        match row {
            Some(row) if row.try_get::<String, _>("role")? == Role::Member.as_str() => {
                Ok(Some(UserId(row.try_get("id")?)))
            }
            Some(_) => Err(Error::Conflict("email".into())),
            None => Ok(None),
        }
    }
}

impl Store {
    /// Creates or updates the member the host knows as `member.external_id`; their id. A
    /// member of the same address not yet synced (made from a mail, say) becomes them.
    /// `Conflict("email")` or `Conflict("phones")` when another person holds one of those.
    #[instrument(skip_all)]
    pub async fn upsert_member(&self, member: &MemberRecord<'_>, now: i64) -> Result<UserId> {
        let mut w = self.begin_write().await?;
        let known: Option<i64> =
            sqlx::query_scalar("SELECT user_id FROM member_accounts WHERE external_id = $1")
                .bind(member.external_id)
                .fetch_optional(w.conn())
                .await?;
        let by_email = w.member_by_email(member.email).await?;
        let id = match (known.map(UserId), by_email) {
            (Some(id), Some(other)) if other != id => return Err(Error::Conflict("email".into())),
            (Some(id), _) => id,
            (None, Some(id)) => {
                let synced: Option<i64> =
                    sqlx::query_scalar("SELECT user_id FROM member_accounts WHERE user_id = $1")
                        .bind(id.0)
                        .fetch_optional(w.conn())
                        .await?;
                if synced.is_some() {
                    return Err(Error::Conflict("email".into()));
                }
                id
            }
            (None, None) => {
                w.insert_employee(
                    member.email,
                    member.name,
                    Role::Member,
                    member.no_password,
                    now,
                )
                .await?
            }
        };
        sqlx::query("UPDATE users SET name = $2, email = $3 WHERE id = $1")
            .bind(id.0)
            .bind(member.name)
            .bind(member.email)
            .execute(w.conn())
            .await?;
        for phone in member.phones {
            let holder: Option<i64> =
                sqlx::query_scalar("SELECT user_id FROM member_phones WHERE phone = $1")
                    .bind(phone)
                    .fetch_optional(w.conn())
                    .await?;
            if holder.is_some_and(|h| h != id.0) {
                return Err(Error::Conflict("phones".into()));
            }
        }
        if !member.partial {
            sqlx::query("DELETE FROM member_phones WHERE user_id = $1")
                .bind(id.0)
                .execute(w.conn())
                .await?;
        }
        for phone in member.phones {
            sqlx::query(
                "INSERT INTO member_phones (phone, user_id) VALUES ($1, $2) \
                 ON CONFLICT (phone) DO NOTHING",
            )
            .bind(phone)
            .bind(id.0)
            .execute(w.conn())
            .await?;
        }
        let account = if member.partial {
            "INSERT INTO member_accounts (user_id, external_id, birth_date, city, updated_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (user_id) DO UPDATE SET \
             external_id = $2, updated_at = $5"
        } else {
            "INSERT INTO member_accounts (user_id, external_id, birth_date, city, updated_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (user_id) DO UPDATE SET \
             external_id = $2, birth_date = $3, city = $4, updated_at = $5"
        };
        sqlx::query(account)
            .bind(id.0)
            .bind(member.external_id)
            .bind(member.birth_date)
            .bind(member.city)
            .bind(now)
            .execute(w.conn())
            .await?;
        w.commit().await?;
        Ok(id)
    }

    /// The member the host knows as `external_id`; `NotFound` when none is synced.
    #[instrument(skip_all)]
    pub async fn member_id(&self, external_id: &str) -> Result<UserId> {
        let id: i64 =
            sqlx::query_scalar("SELECT user_id FROM member_accounts WHERE external_id = $1")
                .bind(external_id)
                .fetch_one(&self.pool)
                .await?;
        Ok(UserId(id))
    }

    /// Member `id`'s account (one not synced yet has an empty `external_id`).
    #[instrument(skip_all)]
    pub async fn member_account(&self, id: UserId) -> Result<MemberAccount> {
        let row = sqlx::query(
            "SELECT u.id, u.name, u.email, COALESCE(a.external_id, '') AS external_id, \
             a.birth_date, a.city, COALESCE(a.updated_at, u.created_at) AS updated_at \
             FROM users u LEFT JOIN member_accounts a ON a.user_id = u.id \
             WHERE u.id = $1 AND u.role = 'member'",
        )
        .bind(id.0)
        .fetch_one(&self.pool)
        .await?;
        let phones: Vec<String> =
            sqlx::query_scalar("SELECT phone FROM member_phones WHERE user_id = $1 ORDER BY phone")
                .bind(id.0)
                .fetch_all(&self.pool)
                .await?;
        let cards = sqlx::query(
            "SELECT number, status, balance, block_reason FROM cards WHERE user_id = $1 \
             ORDER BY number",
        )
        .bind(id.0)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|row| {
            let status: String = row.try_get("status")?;
            Ok(Card {
                number: row.try_get("number")?,
                status: CardStatus::parse(&status).unwrap_or(CardStatus::Blocked),
                balance: row.try_get("balance")?,
                block_reason: row.try_get("block_reason")?,
            })
        })
        .collect::<Result<_>>()?;
        let subscriptions = sqlx::query(
            "SELECT channel, topic, subscribed FROM subscriptions WHERE user_id = $1 \
             ORDER BY topic, channel",
        )
        .bind(id.0)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .filter_map(|row| {
            let channel: String = row.try_get("channel").ok()?;
            Some(Ok(Subscription {
                channel: MailingChannel::parse(&channel)?,
                topic: row.try_get("topic").ok()?,
                subscribed: row.try_get::<i64, _>("subscribed").ok()? != 0,
            }))
        })
        .collect::<Result<_>>()?;
        Ok(MemberAccount {
            id,
            external_id: row.try_get("external_id")?,
            name: row.try_get("name")?,
            email: row.try_get("email")?,
            phones,
            birth_date: row.try_get("birth_date")?,
            city: row.try_get("city")?,
            cards,
            subscriptions,
            services: self.member_services(id).await?,
            updated_at: row.try_get("updated_at")?,
        })
    }

    /// The synced members after external id `after`, at most `limit`, in external id order.
    #[instrument(skip_all)]
    pub async fn member_ids(&self, after: &str, limit: i64) -> Result<Vec<UserId>> {
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT user_id FROM member_accounts WHERE external_id > $1 \
             ORDER BY external_id LIMIT $2",
        )
        .bind(after)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(ids.into_iter().map(UserId).collect())
    }

    /// Sets card `number` of member `id` as `card` says, noting a change of status (by
    /// `author`, or the host when `None`). `Conflict("number")` when another member holds it.
    #[instrument(skip_all)]
    pub async fn upsert_card(
        &self,
        id: UserId,
        number: &str,
        card: &CardUpsert,
        author: Option<UserId>,
        now: i64,
    ) -> Result<()> {
        let mut w = self.begin_write().await?;
        w.write_card(id, number, card, author, now).await?;
        w.commit().await
    }

    /// Sets member `id`'s subscriptions named in `subscriptions` (others stay as they are).
    #[instrument(skip_all)]
    pub async fn set_subscriptions(
        &self,
        id: UserId,
        subscriptions: &[Subscription],
        now: i64,
    ) -> Result<()> {
        let mut w = self.begin_write().await?;
        w.write_subscriptions(id, subscriptions, now).await?;
        w.commit().await
    }

    /// Records (or corrects) purchase `purchase` of member `id`.
    #[instrument(skip_all)]
    pub async fn upsert_purchase(&self, id: UserId, purchase: &Purchase) -> Result<()> {
        let items = serde_json::to_string(&purchase.items).unwrap_or_else(|_| "[]".into());
        let mut w = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO purchases (user_id, external_id, at, point_of_sale, items, amount, \
             points_earned, points_spent) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (user_id, external_id) DO UPDATE SET at = $3, point_of_sale = $4, \
             items = $5, amount = $6, points_earned = $7, points_spent = $8",
        )
        .bind(id.0)
        .bind(&purchase.id)
        .bind(purchase.at)
        .bind(&purchase.point_of_sale)
        .bind(items)
        .bind(purchase.amount)
        .bind(purchase.points_earned)
        .bind(purchase.points_spent)
        .execute(w.conn())
        .await?;
        w.commit().await
    }

    /// Member `id`'s purchases made in `[from, to)`, newest first, before `(at, id)` when
    /// paging on; at most `limit`.
    #[instrument(skip_all)]
    pub async fn purchases(
        &self,
        id: UserId,
        from: i64,
        to: i64,
        before: Option<(i64, &str)>,
        limit: i64,
    ) -> Result<Vec<Purchase>> {
        let (at, key) = before.unwrap_or((i64::MAX, ""));
        let rows = sqlx::query(
            "SELECT external_id, at, point_of_sale, items, amount, points_earned, points_spent \
             FROM purchases WHERE user_id = $1 AND at >= $2 AND at < $3 \
             AND (at < $4 OR (at = $4 AND ($5 = '' OR external_id < $5))) \
             ORDER BY at DESC, external_id DESC LIMIT $6",
        )
        .bind(id.0)
        .bind(from)
        .bind(to)
        .bind(at)
        .bind(key)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(purchase).collect()
    }
}
