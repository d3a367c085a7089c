//! What a call-centre agent does on the caller's card, at the caller's request: edit their
//! details, phone numbers and email, block or unblock a card, change a subscription. Each
//! change is checked, idempotent on the client's id, and written — who, when, before → after —
//! both in the call's request and in the member's history, in one transaction.

use app::protocol::{
    AccountChange, AccountChanged, CardStatus, CardUpsert, ClientMsgId, EventKind, MemberAccount,
    ParameterChange,
};
use tracing::instrument;

use super::{Desk, Result, write::draft};
use crate::{
    clock::now,
    domain::{self, Email, Reason, Viewer, accounts as rules, calls},
    store::{self, EventDraft},
};

/// The change to write: what it sets, worked out and checked before the write begins.
enum Apply {
    Details {
        name: String,
        birth_date: Option<String>,
        city: Option<String>,
    },
    Contacts {
        email: String,
        phones: Vec<String>,
    },
    Card {
        number: String,
        card: CardUpsert,
    },
    Subscription(app::protocol::Subscription),
}

/// Which way a card moves to active.
enum CardMove {
    Unblock,
    Activate,
}

/// A field's change, when it changes.
fn changed(field: &str, from: Option<&str>, to: Option<&str>) -> Option<ParameterChange> {
    (from != to).then(|| ParameterChange {
        field: field.to_owned(),
        from: from.map(str::to_owned),
        to: to.map(str::to_owned),
    })
}

/// An address as the history shows it: none for one that never receives mail.
fn shown_address(address: &str) -> Option<&str> {
    (calls::deliverable(address) && !address.is_empty()).then_some(address)
}

/// An optional text as sent: absent or blank is none.
fn given(raw: Option<&str>) -> Option<&str> {
    raw.filter(|v| !v.trim().is_empty())
}

impl Desk {
    /// Changes the account of the caller on call `call_id`, by its agent.
    #[instrument(skip_all, fields(user_id = %viewer.id, call_id = %call_id))]
    pub async fn change_account(
        &self,
        viewer: &Viewer,
        call_id: &str,
        client_msg_id: &ClientMsgId,
        change: AccountChange,
    ) -> Result<AccountChanged> {
        self.require_agent(viewer).await?;
        let record = self
            .store
            .call(&calls::call_id(call_id)?)
            .await?
            .ok_or(store::Error::NotFound)?;
        if !domain::may_end_call(viewer, true, &record.call) {
            return Err(domain::Error::State(Reason::new("state-not-your-call")).into());
        }
        if !record.call.awaits_end() {
            return Err(domain::Error::State(Reason::new("state-call-ended")).into());
        }
        self.write_account_change(viewer, &record, client_msg_id, change)
            .await
    }

    /// Writes `change` of the account of `record`'s caller by `actor` (the agent on the call,
    /// or the caller themselves in the voice menu): in the call's request and the member's
    /// history, in one transaction; the same client id again changes nothing.
    pub(super) async fn write_account_change(
        &self,
        viewer: &Viewer,
        record: &calls::CallRecord,
        client_msg_id: &ClientMsgId,
        change: AccountChange,
    ) -> Result<AccountChanged> {
        let member = record.call.member.id;
        if let Some(written) = self.earlier_write(viewer, client_msg_id).await? {
            let account = self.store.member_account(member).await?;
            return Ok(AccountChanged { written, account });
        }
        let before = self.store.member_account(member).await?;
        let (apply, changes) = self.plan(&before, change)?;
        let ticket = record.scope.id;
        if changes.is_empty() {
            // Nothing to change: the account already reads so.
            let written = self.last_written(viewer, ticket).await?;
            return Ok(AccountChanged {
                written,
                account: before,
            });
        }
        let now = now();
        let written = async {
            let mut w = self.store.begin_write().await?;
            w.lock_ticket(ticket).await?;
            match &apply {
                Apply::Details {
                    name,
                    birth_date,
                    city,
                } => {
                    w.write_member_details(
                        member,
                        name,
                        birth_date.as_deref(),
                        city.as_deref(),
                        now,
                    )
                    .await?;
                }
                Apply::Contacts { email, phones } => {
                    if let Some((field, holder)) =
                        w.write_member_contacts(member, email, phones, now).await?
                    {
                        return Ok(Err(domain::Error::Invalid {
                            field,
                            reason: Reason::new("invalid-held-by").with("name", holder),
                        }));
                    }
                }
                Apply::Card { number, card } => {
                    w.write_card(member, number, card, Some(viewer.id), now)
                        .await?;
                }
                Apply::Subscription(subscription) => {
                    w.write_subscriptions(member, std::slice::from_ref(subscription), now)
                        .await?;
                }
            }
            w.add_member_history(member, now, viewer.id, ticket, &changes)
                .await?;
            let event = EventDraft {
                client_msg_id: Some(client_msg_id.clone()),
                ..draft(viewer, EventKind::AccountChanged { changes })
            };
            let event = w.append_event(ticket, event, now).await?;
            w.commit().await?;
            Ok::<_, store::Error>(Ok(vec![event]))
        }
        .await;
        let written = self
            .finish_rule_write(viewer, client_msg_id, written)
            .await?;
        let account = self.store.member_account(member).await?;
        Ok(AccountChanged { written, account })
    }

    /// What `change` writes and how the account reads before → after; refusals by field.
    fn plan(
        &self,
        before: &MemberAccount,
        change: AccountChange,
    ) -> Result<(Apply, Vec<ParameterChange>)> {
        let change_kind = match change {
            AccountChange::ActivateCard { .. } => CardMove::Activate,
            _ => CardMove::Unblock,
        };
        Ok(match change {
            AccountChange::Details {
                name,
                birth_date,
                city,
            } => {
                let name = domain::Label::person_name(&name)?.into_string();
                let birth_date = given(birth_date.as_deref())
                    .map(rules::birth_date)
                    .transpose()?;
                let city = given(city.as_deref())
                    .map(|c| rules::text("city", c))
                    .transpose()?;
                let changes = [
                    changed("name", Some(&before.name), Some(&name)),
                    changed(
                        "birth_date",
                        before.birth_date.as_deref(),
                        birth_date.as_deref(),
                    ),
                    changed("city", before.city.as_deref(), city.as_deref()),
                ]
                .into_iter()
                .flatten()
                .collect();
                (
                    Apply::Details {
                        name,
                        birth_date,
                        city,
                    },
                    changes,
                )
            }
            AccountChange::Contacts { email, phones } => {
                let email = Email::parse(&email)?.as_str().to_owned();
                if phones.len() > rules::MAX_PHONES {
                    return Err(domain::Error::Invalid {
                        field: "phones",
                        reason: Reason::new("invalid-too-many-phones")
                            .with("max", rules::MAX_PHONES),
                    }
                    .into());
                }
                let mut phones = phones
                    .iter()
                    .map(|p| rules::phone(p))
                    .collect::<Result<Vec<_>, _>>()?;
                phones.sort();
                phones.dedup();
                let changes = [
                    changed("email", shown_address(&before.email), Some(&email)),
                    changed(
                        "phones",
                        Some(&before.phones.join(", "))
                            .filter(|p| !p.is_empty())
                            .map(|p| p.as_str()),
                        Some(&phones.join(", "))
                            .filter(|p| !p.is_empty())
                            .map(|p| p.as_str()),
                    ),
                ]
                .into_iter()
                .flatten()
                .collect();
                (Apply::Contacts { email, phones }, changes)
            }
            AccountChange::BlockCard { number, reason } => {
                let card = card_of(before, &number)?;
                let why = app::i18n::text(self.language, reason.key(), &[]);
                let after = CardUpsert {
                    status: CardStatus::Blocked,
                    balance: card.balance,
                    block_reason: Some(why),
                };
                card_change(card, after)
            }
            AccountChange::UnblockCard { number } | AccountChange::ActivateCard { number } => {
                let card = card_of(before, &number)?;
                // Unblocking takes a blocked card, activating one not activated yet.
                let from = match change_kind {
                    CardMove::Unblock => CardStatus::Blocked,
                    CardMove::Activate => CardStatus::NotActivated,
                };
                let status = if card.status == from {
                    CardStatus::Active
                } else {
                    card.status
                };
                let after = CardUpsert {
                    status,
                    balance: card.balance,
                    block_reason: card
                        .block_reason
                        .clone()
                        .filter(|_| status == CardStatus::Blocked),
                };
                card_change(card, after)
            }
            AccountChange::Subscription {
                channel,
                topic,
                subscribed,
            } => {
                let topic = rules::text("topic", &topic)?;
                let was = before
                    .subscriptions
                    .iter()
                    .find(|s| s.channel == channel && s.topic == topic)
                    .is_some_and(|s| s.subscribed);
                let word = |on: bool| if on { "subscribed" } else { "unsubscribed" };
                let field = format!("subscription:{topic}:{}", channel.as_str());
                let changes = changed(&field, Some(word(was)), Some(word(subscribed)))
                    .into_iter()
                    .collect();
                let subscription = app::protocol::Subscription {
                    channel,
                    topic,
                    subscribed,
                };
                (Apply::Subscription(subscription), changes)
            }
        })
    }
}

/// The member's card `number` (refused by field when it is not theirs).
fn card_of<'a>(account: &'a MemberAccount, number: &str) -> Result<&'a app::protocol::Card> {
    let number = rules::card_number(number)?;
    account
        .cards
        .iter()
        .find(|c| c.number == number)
        .ok_or_else(|| {
            domain::Error::Invalid {
                field: "number",
                reason: Reason::new("invalid-not-their-card"),
            }
            .into()
        })
}

/// A card's change of status, before → after.
fn card_change(card: &app::protocol::Card, after: CardUpsert) -> (Apply, Vec<ParameterChange>) {
    let said = |status: CardStatus, reason: Option<&str>| match reason {
        Some(reason) => format!("{} ({reason})", status.as_str()),
        None => status.as_str().to_owned(),
    };
    let from = said(card.status, card.block_reason.as_deref());
    let to = said(after.status, after.block_reason.as_deref());
    let field = format!("card:{}", card.number);
    let changes = if card.status == after.status {
        Vec::new()
    } else {
        changed(&field, Some(&from), Some(&to))
            .into_iter()
            .collect()
    };
    (
        Apply::Card {
            number: card.number.clone(),
            card: after,
        },
        changes,
    )
}
