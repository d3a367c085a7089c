//! Members' accounts kept in sync by the host platform (an administrator's API token in
//! practice): who each member is under the host's id, their phone numbers, cards,
//! subscriptions and purchases; read by moderators, administrators and call-centre agents. Every write is
//! idempotent: sending the same again changes nothing.

use app::protocol::{
    CardUpsert, MemberAccount, MemberPage, MemberUpsert, Purchase, PurchasePage, ServiceUpsert,
    Subscription, UserId,
};
use tracing::instrument;

use super::{Desk, Result};
use crate::{
    clock::now,
    domain::{self, Email, Reason, Viewer, accounts as rules},
    store::{self, MemberRecord},
};

/// Most accounts or purchases on one page.
pub const MAX_PAGE: i64 = 100;

/// "No member with that id" (to whoever may ask).
fn no_such_member() -> super::Error {
    domain::Error::Invalid {
        field: "external_id",
        reason: Reason::new("invalid-no-such-person"),
    }
    .into()
}

/// A uniqueness refusal of the store, named by the field that holds it.
fn held(err: store::Error) -> super::Error {
    match err {
        store::Error::Conflict(field) => {
            let field = match field.as_str() {
                "email" => "email",
                "phones" => "phones",
                _ => "number",
            };
            domain::Error::Invalid {
                field,
                reason: Reason::new("invalid-held-by-another"),
            }
            .into()
        }
        store::Error::NotFound => no_such_member(),
        other => other.into(),
    }
}

impl Desk {
    fn check_sync(viewer: &Viewer) -> Result<()> {
        if domain::may_sync_accounts(viewer) {
            Ok(())
        } else {
            Err(domain::Error::AdministratorsOnly.into())
        }
    }

    async fn check_read(&self, viewer: &Viewer) -> Result<()> {
        let agent = self.is_agent(viewer).await?;
        if domain::may_read_accounts_as(viewer, agent) {
            Ok(())
        } else {
            Err(domain::Error::StaffOnly.into())
        }
    }

    /// The member the host knows as `external_id`.
    async fn synced_member(&self, external_id: &str) -> Result<UserId> {
        let external_id = rules::external_id("external_id", external_id)?;
        self.store.member_id(&external_id).await.map_err(held)
    }

    /// Creates or updates the member the host knows as `external_id`; their account.
    #[instrument(skip_all, fields(user_id = %viewer.id))]
    pub async fn sync_member(
        &self,
        viewer: &Viewer,
        external_id: &str,
        member: MemberUpsert,
    ) -> Result<MemberAccount> {
        Self::check_sync(viewer)?;
        let external_id = rules::external_id("external_id", external_id)?;
        let name = domain::Label::person_name(&member.name)?.into_string();
        let email = Email::parse(&member.email)?;
        if member.phones.len() > rules::MAX_PHONES {
            return Err(domain::Error::Invalid {
                field: "phones",
                reason: Reason::new("invalid-too-many-phones").with("max", rules::MAX_PHONES),
            }
            .into());
        }
        let mut phones = member
            .phones
            .iter()
            .map(|p| rules::phone(p))
            .collect::<Result<Vec<_>, _>>()?;
        phones.sort();
        phones.dedup();
        let birth_date = member
            .birth_date
            .as_deref()
            .filter(|d| !d.trim().is_empty())
            .map(rules::birth_date)
            .transpose()?;
        let city = member
            .city
            .as_deref()
            .filter(|c| !c.trim().is_empty())
            .map(|c| rules::text("city", c))
            .transpose()?;
        let record = MemberRecord {
            external_id: &external_id,
            name: &name,
            email: email.as_str(),
            phones: &phones,
            birth_date: birth_date.as_deref(),
            city: city.as_deref(),
            no_password: crate::passwords::NO_PASSWORD,
            partial: false,
        };
        let id = self
            .store
            .upsert_member(&record, now())
            .await
            .map_err(held)?;
        Ok(self.store.member_account(id).await?)
    }

    /// The account of the member the host knows as `external_id`.
    #[instrument(skip_all, fields(user_id = %viewer.id))]
    pub async fn member_account(
        &self,
        viewer: &Viewer,
        external_id: &str,
    ) -> Result<MemberAccount> {
        self.check_read(viewer).await?;
        let id = self.synced_member(external_id).await?;
        Ok(self.store.member_account(id).await?)
    }

    /// A page of accounts, by external id, after `after`.
    #[instrument(skip_all, fields(user_id = %viewer.id))]
    pub async fn member_accounts(
        &self,
        viewer: &Viewer,
        after: Option<&str>,
        limit: Option<i64>,
    ) -> Result<MemberPage> {
        self.check_read(viewer).await?;
        let limit = limit.unwrap_or(50).clamp(1, MAX_PAGE);
        let ids = self
            .store
            .member_ids(after.unwrap_or(""), limit + 1)
            .await?;
        let more = ids.len() as i64 > limit;
        let mut members = Vec::new();
        for id in ids.into_iter().take(usize::try_from(limit).unwrap_or(0)) {
            members.push(self.store.member_account(id).await?);
        }
        let next = more
            .then(|| members.last().map(|m| m.external_id.clone()))
            .flatten();
        Ok(MemberPage { members, next })
    }

    /// Sets card `number` of the member the host knows as `external_id`; their account.
    #[instrument(skip_all, fields(user_id = %viewer.id))]
    pub async fn sync_card(
        &self,
        viewer: &Viewer,
        external_id: &str,
        number: &str,
        card: CardUpsert,
    ) -> Result<MemberAccount> {
        Self::check_sync(viewer)?;
        let id = self.synced_member(external_id).await?;
        let number = rules::card_number(number)?;
        let card = rules::card(card)?;
        self.store
            .upsert_card(id, &number, &card, None, now())
            .await
            .map_err(held)?;
        Ok(self.store.member_account(id).await?)
    }

    /// Sets the subscriptions named (others stay); the member's account.
    #[instrument(skip_all, fields(user_id = %viewer.id))]
    pub async fn sync_subscriptions(
        &self,
        viewer: &Viewer,
        external_id: &str,
        subscriptions: Vec<Subscription>,
    ) -> Result<MemberAccount> {
        Self::check_sync(viewer)?;
        let id = self.synced_member(external_id).await?;
        let subscriptions = subscriptions
            .into_iter()
            .map(|s| {
                Ok(Subscription {
                    topic: rules::text("topic", &s.topic)?,
                    ..s
                })
            })
            .collect::<Result<Vec<_>, domain::Error>>()?;
        self.store
            .set_subscriptions(id, &subscriptions, now())
            .await?;
        Ok(self.store.member_account(id).await?)
    }

    /// Sets service `service_id` of the member the host knows as `external_id`; their account.
    #[instrument(skip_all, fields(user_id = %viewer.id))]
    pub async fn sync_service(
        &self,
        viewer: &Viewer,
        external_id: &str,
        service_id: &str,
        service: ServiceUpsert,
    ) -> Result<MemberAccount> {
        Self::check_sync(viewer)?;
        let id = self.synced_member(external_id).await?;
        let service_id = rules::external_id("id", service_id)?;
        let service = ServiceUpsert {
            name: rules::text("name", &service.name)?,
            kind: rules::text("kind", &service.kind)?,
            address: service
                .address
                .as_deref()
                .filter(|a| !a.trim().is_empty())
                .map(|a| rules::text("address", a))
                .transpose()?,
            status: service.status,
        };
        self.store
            .upsert_service(id, &service_id, &service, now())
            .await?;
        Ok(self.store.member_account(id).await?)
    }

    /// Removes service `service_id` of the member the host knows as `external_id` (removing
    /// it again changes nothing); their account.
    #[instrument(skip_all, fields(user_id = %viewer.id))]
    pub async fn remove_service(
        &self,
        viewer: &Viewer,
        external_id: &str,
        service_id: &str,
    ) -> Result<MemberAccount> {
        Self::check_sync(viewer)?;
        let id = self.synced_member(external_id).await?;
        let service_id = rules::external_id("id", service_id)?;
        self.store.remove_service(id, &service_id).await?;
        Ok(self.store.member_account(id).await?)
    }

    /// Records (or corrects) purchase `purchase_id`; the purchase as kept.
    #[instrument(skip_all, fields(user_id = %viewer.id))]
    pub async fn sync_purchase(
        &self,
        viewer: &Viewer,
        external_id: &str,
        purchase_id: &str,
        purchase: Purchase,
    ) -> Result<Purchase> {
        Self::check_sync(viewer)?;
        let id = self.synced_member(external_id).await?;
        let purchase = rules::purchase(purchase_id, purchase)?;
        self.store.upsert_purchase(id, &purchase).await?;
        Ok(purchase)
    }

    /// The member's purchases in `[from, to)` (milliseconds; open ends when absent), newest
    /// first, a page at a time (`before`: the `next` of the page before).
    #[instrument(skip_all, fields(user_id = %viewer.id))]
    pub async fn member_purchases(
        &self,
        viewer: &Viewer,
        external_id: &str,
        window: (Option<i64>, Option<i64>),
        before: Option<&str>,
        limit: Option<i64>,
    ) -> Result<PurchasePage> {
        self.check_read(viewer).await?;
        let id = self.synced_member(external_id).await?;
        let limit = limit.unwrap_or(50).clamp(1, MAX_PAGE);
        let before = match before {
            Some(cursor) => {
                let parsed = cursor
                    .split_once(':')
                    .and_then(|(at, key)| Some((at.parse::<i64>().ok()?, key)))
                    .filter(|(_, key)| !key.is_empty());
                Some(parsed.ok_or(domain::Error::Invalid {
                    field: "before",
                    reason: Reason::new("invalid-cursor"),
                })?)
            }
            None => None,
        };
        let (from, to) = (window.0.unwrap_or(0), window.1.unwrap_or(i64::MAX));
        let mut purchases = self
            .store
            .purchases(id, from, to, before, limit + 1)
            .await?;
        let more = purchases.len() as i64 > limit;
        purchases.truncate(usize::try_from(limit).unwrap_or(0));
        let next = more
            .then(|| purchases.last().map(|p| format!("{}:{}", p.at, p.id)))
            .flatten();
        Ok(PurchasePage { purchases, next })
    }
}
