//! Members' accounts as a loyalty platform keeps them — personal details, phone numbers,
//! cards, mailing subscriptions, purchases — synced by the host platform under its own id for
//! each member (`PUT /api/members/{external_id}` and below), for the call centre to work on.

use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use utoipa::ToSchema;

#[allow(unused_imports)]
use super::*;

/// `PUT /api/members/{external_id}`: who the member is. Phone numbers in E.164 (`+79161234567`),
/// each held by one member; a birth date as `YYYY-MM-DD`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct MemberUpsert {
    pub name: String,
    pub email: String,
    #[serde(default)]
    pub phones: Vec<String>,
    #[serde(default)]
    pub birth_date: Option<String>,
    #[serde(default)]
    pub city: Option<String>,
}

/// A member's account: who they are, their cards and subscriptions (purchases are paged apart).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct MemberAccount {
    pub id: UserId,
    /// The host platform's id for them.
    pub external_id: String,
    pub name: String,
    pub email: String,
    pub phones: Vec<String>,
    pub birth_date: Option<String>,
    pub city: Option<String>,
    pub cards: Vec<Card>,
    pub subscriptions: Vec<Subscription>,
    /// The services they have with the provider.
    #[serde(default)]
    pub services: Vec<MemberService>,
    pub updated_at: Millis,
}

/// Where a card stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CardStatus {
    Active,
    Blocked,
    NotActivated,
}

impl CardStatus {
    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            CardStatus::Active => "active",
            CardStatus::Blocked => "blocked",
            CardStatus::NotActivated => "not_activated",
        }
    }

    /// The status a stored name stands for.
    pub fn parse(raw: &str) -> Option<Self> {
        [Self::Active, Self::Blocked, Self::NotActivated]
            .into_iter()
            .find(|s| s.as_str() == raw)
    }
}

/// A loyalty card: its balance in points, and why it is blocked when it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct Card {
    pub number: String,
    pub status: CardStatus,
    pub balance: i64,
    #[serde(default)]
    pub block_reason: Option<String>,
}

/// `PUT /api/members/{external_id}/cards/{number}`: a card as the host platform has it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct CardUpsert {
    pub status: CardStatus,
    pub balance: i64,
    /// Why it is blocked (required for a blocked card, refused for another).
    #[serde(default)]
    pub block_reason: Option<String>,
}

/// How a mailing reaches a member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MailingChannel {
    Email,
    Sms,
    Push,
}

impl MailingChannel {
    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            MailingChannel::Email => "email",
            MailingChannel::Sms => "sms",
            MailingChannel::Push => "push",
        }
    }

    /// The channel a stored name stands for.
    pub fn parse(raw: &str) -> Option<Self> {
        [Self::Email, Self::Sms, Self::Push]
            .into_iter()
            .find(|s| s.as_str() == raw)
    }
}

/// Whether a member gets a topic's mailing by a channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct Subscription {
    pub channel: MailingChannel,
    /// The mailing's topic (`news`, `offers`…).
    pub topic: String,
    pub subscribed: bool,
}

/// One line of a purchase.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct PurchaseItem {
    pub name: String,
    pub quantity: i64,
    /// In minor units (kopecks, cents).
    pub amount: i64,
}

/// A purchase: when, where, what, for how much (minor units), and the points it earned and
/// spent. `PUT /api/members/{external_id}/purchases/{id}` takes it without `id`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct Purchase {
    /// The host platform's id for it.
    #[serde(default)]
    pub id: String,
    pub at: Millis,
    pub point_of_sale: String,
    #[serde(default)]
    pub items: Vec<PurchaseItem>,
    pub amount: i64,
    #[serde(default)]
    pub points_earned: i64,
    #[serde(default)]
    pub points_spent: i64,
}

/// `GET /api/members`: a page of accounts, by external id; `next` asks for the page after.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct MemberPage {
    pub members: Vec<MemberAccount>,
    /// Pass as `after` for the next page; absent on the last.
    pub next: Option<String>,
}

/// `GET /api/members/{external_id}/purchases`: newest first; `next` asks for older ones.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct PurchasePage {
    pub purchases: Vec<Purchase>,
    /// Pass as `before` for the next page; absent on the last.
    pub next: Option<String>,
}

/// Why a call-centre agent blocks a card.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum BlockReason {
    Lost,
    Stolen,
    Damaged,
    Fraud,
    MembersRequest,
}

impl BlockReason {
    /// Every reason, in the order agents are offered them.
    pub const ALL: [BlockReason; 5] = [
        BlockReason::Lost,
        BlockReason::Stolen,
        BlockReason::Damaged,
        BlockReason::Fraud,
        BlockReason::MembersRequest,
    ];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            BlockReason::Lost => "lost",
            BlockReason::Stolen => "stolen",
            BlockReason::Damaged => "damaged",
            BlockReason::Fraud => "fraud",
            BlockReason::MembersRequest => "members_request",
        }
    }

    /// Its message in the catalogues.
    pub fn key(self) -> &'static str {
        match self {
            BlockReason::Lost => "block-lost",
            BlockReason::Stolen => "block-stolen",
            BlockReason::Damaged => "block-damaged",
            BlockReason::Fraud => "block-fraud",
            BlockReason::MembersRequest => "block-members-request",
        }
    }
}

/// What a call-centre agent changes in the caller's account, at the caller's request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum AccountChange {
    /// Who they are: name, birth date (`YYYY-MM-DD`), city (absent or empty: none).
    Details {
        name: String,
        #[serde(default)]
        birth_date: Option<String>,
        #[serde(default)]
        city: Option<String>,
    },
    /// How to reach them: email and phone numbers (E.164, each held by one member).
    Contacts { email: String, phones: Vec<String> },
    /// Blocks one of their cards, for a reason from the list.
    BlockCard { number: String, reason: BlockReason },
    /// Unblocks one of their cards (a blocked one).
    UnblockCard { number: String },
    /// Activates one of their cards not activated yet.
    ActivateCard { number: String },
    /// Subscribes them to (or unsubscribes them from) a topic's mailing by a channel.
    Subscription {
        channel: MailingChannel,
        topic: String,
        subscribed: bool,
    },
}

/// `POST /api/calls/{id}/account`: a change and the client's id for it (the same id again
/// changes nothing).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct AccountChangeRequest {
    pub client_msg_id: ClientMsgId,
    #[serde(flatten)]
    pub change: AccountChange,
}

/// The answer to an account change: where it was written in the call's request, and the
/// account as it now stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct AccountChanged {
    pub written: Written,
    pub account: MemberAccount,
}

/// One entry of a member's history: who changed what in their account, when, and on which
/// call's request (`field` names: `name`, `birth_date`, `city`, `email`, `phones`,
/// `card:NUMBER`, `subscription:TOPIC:CHANNEL`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct MemberChange {
    pub at: Millis,
    pub author: Option<Person>,
    pub ticket_id: Option<TicketId>,
    pub changes: Vec<ParameterChange>,
}

/// Whether a member's service runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ServiceStatus {
    Active,
    Suspended,
    Closed,
}

impl ServiceStatus {
    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            ServiceStatus::Active => "active",
            ServiceStatus::Suspended => "suspended",
            ServiceStatus::Closed => "closed",
        }
    }

    /// Its words in the catalogues (`service-active`…).
    pub fn key(self) -> &'static str {
        match self {
            ServiceStatus::Active => "service-active",
            ServiceStatus::Suspended => "service-suspended",
            ServiceStatus::Closed => "service-closed",
        }
    }

    /// The status a stored name stands for.
    pub fn parse(raw: &str) -> Option<Self> {
        [Self::Active, Self::Suspended, Self::Closed]
            .into_iter()
            .find(|s| s.as_str() == raw)
    }
}

/// `PUT /api/members/{external_id}/services/{id}`: a service the member has with the provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct ServiceUpsert {
    /// What people call it ("Hosting Pro").
    pub name: String,
    /// What kind of service it is ("hosting", "domain", "vps"…).
    pub kind: String,
    /// Its domain or account, when it has one (`example.org`, `u1234`).
    #[serde(default)]
    pub address: Option<String>,
    pub status: ServiceStatus,
}

/// A member's service, under the host platform's id for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct MemberService {
    pub id: String,
    #[serde(flatten)]
    pub service: ServiceUpsert,
}

impl MemberService {
    /// Its name, kind and address in one line: `Hosting Pro (hosting · example.org)`.
    pub fn describe(&self) -> String {
        let s = &self.service;
        match &s.address {
            Some(address) => format!("{} ({} · {address})", s.name, s.kind),
            None => format!("{} ({})", s.name, s.kind),
        }
    }
}
