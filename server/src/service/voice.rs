//! The voice menu: a FastAGI server an Asterisk dialplan hands callers to, around the clock.
//! The caller is recognised by their number, or types a card number; then, by keypad:
//! 1 activates a card, 2 says the balance, 3 blocks a card, 4 unblocks it, 5 sends a new
//! password (through the configured hook, never spoken), 0 reaches an operator (the script
//! sets `SWITCHBOARD_ROUTE`, which the dialplan reads to queue the call). Each input is
//! bounded; three misses in a row go to the operator. Every change is the same audited use
//! case as an agent's, by the caller, in the call's request.

use std::{sync::Arc, time::Duration};

use app::i18n::Lang;
use app::protocol::{AccountChange, BlockReason, CallState, Card, CardStatus, ClientMsgId, UserId};
use tokio::{net::TcpListener, sync::Semaphore};
use tracing::{info, instrument, warn};

use super::Desk;
use crate::{
    domain::{Password, calls as rules, calls::CallRecord},
    phone::agi::{self, Session},
};

/// Most callers in the menu at once.
const SESSIONS: usize = 256;
/// Longest a caller stays in the menu.
const LONGEST: Duration = Duration::from_secs(15 * 60);
/// Tries for a card number, and misses in a row in the menu, before the operator.
const TRIES: usize = 3;
/// Most menu rounds in one call.
const ROUNDS: usize = 20;
/// How long the menu waits for a key, and for a card number.
const KEY_WAIT: Duration = Duration::from_secs(6);
const CARD_WAIT: Duration = Duration::from_secs(15);
/// Longest card number typed.
const CARD_DIGITS: usize = 32;

/// Serves the voice menu on `listener` until the task is stopped.
pub async fn serve(desk: Desk, listener: TcpListener) {
    let slots = Arc::new(Semaphore::new(SESSIONS));
    loop {
        let Ok((stream, peer)) = listener.accept().await else {
            continue;
        };
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            // Full: the call drops out of the script and the dialplan goes on.
            drop(stream);
            continue;
        };
        let desk = desk.clone();
        tokio::spawn(async move {
            let _slot = slot;
            let ended = tokio::time::timeout(LONGEST, async {
                let mut session = Session::start(stream).await?;
                desk.voice_menu(&mut session).await
            })
            .await;
            match ended {
                Ok(Ok(())) | Ok(Err(agi::Error::HungUp)) => {}
                Ok(Err(err)) => warn!(%peer, error = %err, "a voice menu session broke off"),
                Err(_) => warn!(%peer, "a voice menu session ran too long"),
            }
        });
    }
}

/// What the caller chose to do.
enum Choice {
    Activate,
    Balance,
    Block,
    Unblock,
    Password,
    Operator,
}

impl Desk {
    /// The sound file `name` in `lang`'s set.
    fn prompt(&self, lang: Lang, name: &str) -> String {
        format!("{}/{}/{name}", self.phone.prompts, lang.code())
    }

    /// One caller in the menu, from answer to the operator or hanging up.
    #[instrument(skip_all, fields(call_id = session.env.get("uniqueid").map(String::as_str).unwrap_or("")))]
    pub(super) async fn voice_menu(&self, session: &mut Session) -> Result<(), agi::Error> {
        let lang = match session.env.get("language").map(String::as_str) {
            Some(l) if l.starts_with("ru") => Lang::Ru,
            Some(l) if l.starts_with("en") => Lang::En,
            _ => self.language,
        };
        let p = |name: &str| self.prompt(lang, name);
        session.command("ANSWER", Duration::ZERO).await?;
        session.play(&p("welcome")).await?;
        let caller = session
            .env
            .get("callerid")
            .and_then(|raw| rules::caller(raw).ok());
        let mut member = match &caller {
            Some(number) => self.store.member_by_phone(number).await.ok().flatten(),
            None => None,
        };
        for _ in 0..TRIES {
            if member.is_some() {
                break;
            }
            let typed = session
                .digits(&p("enter-card"), CARD_WAIT, CARD_DIGITS)
                .await?;
            member = match typed {
                Some(number) => self.store.card_holder(&number).await.ok().flatten(),
                None => None,
            };
            if member.is_none() {
                session.play(&p("not-found")).await?;
            }
        }
        let Some(member) = member else {
            return self.to_operator(session, lang).await;
        };
        let record = match self.menu_call(session, member, caller.as_deref()).await {
            Ok(record) => record,
            Err(err) => {
                warn!(error = %err, "the voice menu's call could not be recorded");
                return self.to_operator(session, lang).await;
            }
        };
        let mut misses = 0;
        for round in 0..ROUNDS {
            let choice = match session.digits(&p("menu"), KEY_WAIT, 1).await?.as_deref() {
                Some("1") => Choice::Activate,
                Some("2") => Choice::Balance,
                Some("3") => Choice::Block,
                Some("4") => Choice::Unblock,
                Some("5") => Choice::Password,
                Some("0") => Choice::Operator,
                _ => {
                    misses += 1;
                    if misses >= TRIES {
                        return self.to_operator(session, lang).await;
                    }
                    session.play(&p("invalid")).await?;
                    continue;
                }
            };
            misses = 0;
            let said = match choice {
                Choice::Operator => return self.to_operator(session, lang).await,
                Choice::Balance => {
                    let cards = self.cards_of(member).await;
                    match first(&cards, &[CardStatus::Active, CardStatus::Blocked]) {
                        Some(card) => {
                            session.play(&p("balance-is")).await?;
                            session.say_number(card.balance).await?;
                            "points"
                        }
                        None => "no-card",
                    }
                }
                Choice::Password => self.new_password(member, lang).await,
                Choice::Activate | Choice::Block | Choice::Unblock => {
                    let id = client_id(&record, round);
                    self.menu_change(&record, member, choice, &id).await
                }
            };
            session.play(&p(said)).await?;
        }
        self.to_operator(session, lang).await
    }

    /// The call the caller is on, as the telephony system reported it, or recorded now.
    async fn menu_call(
        &self,
        session: &Session,
        member: UserId,
        caller: Option<&str>,
    ) -> super::Result<CallRecord> {
        let id = session
            .env
            .get("uniqueid")
            .and_then(|raw| rules::call_id(raw).ok())
            .unwrap_or_else(|| format!("menu-{}", crate::clock::now()));
        if let Some(record) = self.store.call(&id).await? {
            return Ok(record);
        }
        let line = ["dnid", "extension"]
            .iter()
            .find_map(|name| session.env.get(*name).and_then(|raw| rules::line(raw).ok()))
            .unwrap_or_else(|| "menu".to_owned());
        let number = match caller {
            Some(number) => number.to_owned(),
            None => self
                .store
                .member_account(member)
                .await?
                .phones
                .first()
                .cloned()
                .unwrap_or_else(|| "unknown".to_owned()),
        };
        // Served by the menu: on no agent's screen (a `ring` reported when it reaches the
        // agents' queue, and an `answer`, bring it there).
        let (record, events) = self
            .call_came_in(&id, &line, &number, Some(member), CallState::Ended)
            .await?;
        if !events.is_empty() {
            self.publish(events, None).await;
        }
        Ok(record)
    }

    async fn cards_of(&self, member: UserId) -> Vec<Card> {
        self.store
            .member_account(member)
            .await
            .map(|a| a.cards)
            .unwrap_or_default()
    }

    /// A change of a card the caller asked for by keypad; the prompt that says how it went.
    async fn menu_change(
        &self,
        record: &CallRecord,
        member: UserId,
        choice: Choice,
        id: &ClientMsgId,
    ) -> &'static str {
        let cards = self.cards_of(member).await;
        type Change = fn(String) -> AccountChange;
        let (card, change, done, none): (Option<&Card>, Change, &'static str, &'static str) =
            match choice {
                Choice::Activate => (
                    first(&cards, &[CardStatus::NotActivated]),
                    |number| AccountChange::ActivateCard { number },
                    "card-activated",
                    "nothing-to-activate",
                ),
                Choice::Block => (
                    first(&cards, &[CardStatus::Active]),
                    |number| AccountChange::BlockCard {
                        number,
                        reason: BlockReason::MembersRequest,
                    },
                    "card-blocked",
                    "nothing-to-block",
                ),
                _ => (
                    first(&cards, &[CardStatus::Blocked]),
                    |number| AccountChange::UnblockCard { number },
                    "card-unblocked",
                    "nothing-to-unblock",
                ),
            };
        let Some(card) = card else {
            return none;
        };
        let Ok(Some(caller)) = self.viewer(member).await else {
            return "unavailable";
        };
        match self
            .write_account_change(&caller, record, id, change(card.number.clone()))
            .await
        {
            Ok(_) => done,
            Err(err) => {
                warn!(error = %err, "a voice menu change failed");
                "unavailable"
            }
        }
    }

    /// A new password for the caller, sent through the hook — never spoken.
    async fn new_password(&self, member: UserId, lang: Lang) -> &'static str {
        let Some(hook) = self.phone.password_hook.clone() else {
            return "unavailable";
        };
        let Ok(account) = self.store.member_account(member).await else {
            return "unavailable";
        };
        let raw = fresh_password();
        let Ok(password) = Password::parse_new(&raw, &account.email) else {
            return "unavailable";
        };
        if let Err(err) = self.set_password(member, &password, None).await {
            warn!(error = %err, "a voice menu password could not be set");
            return "unavailable";
        }
        let body = serde_json::json!({
            "event": "password_changed",
            "member": {
                "id": account.id,
                "external_id": account.external_id,
                "name": account.name,
                "email": account.email,
                "phones": account.phones,
            },
            "password": raw,
            "language": lang.code(),
        });
        let sent = s3_client::Client::new()
            .post(&hook)
            .header("content-type", "application/json")
            .body(body.to_string())
            .timeout(Duration::from_secs(10))
            .send()
            .await;
        match sent {
            Ok(reply) if reply.status().is_success() => {
                info!(user_id = %member, "a new password was sent through the hook");
                "password-sent"
            }
            Ok(reply) => {
                warn!(status = %reply.status(), "the password hook refused");
                "unavailable"
            }
            Err(err) => {
                warn!(error = %err.without_url(), "the password hook cannot be reached");
                "unavailable"
            }
        }
    }

    /// Sends the caller to an operator: the dialplan reads `SWITCHBOARD_ROUTE` and queues.
    async fn to_operator(&self, session: &mut Session, lang: Lang) -> Result<(), agi::Error> {
        session.set("SWITCHBOARD_ROUTE", "operator").await?;
        session.play(&self.prompt(lang, "operator")).await
    }
}

/// The first of `cards` in one of `states`, in that order of preference.
fn first<'a>(cards: &'a [Card], states: &[CardStatus]) -> Option<&'a Card> {
    states
        .iter()
        .find_map(|state| cards.iter().find(|c| c.status == *state))
}

/// The client id of round `round` of the menu on `record`'s call: a change retried by the
/// telephony system is made once.
fn client_id(record: &CallRecord, round: usize) -> ClientMsgId {
    let digest = crate::domain::hex(&<sha2::Sha256 as sha2::Digest>::digest(
        format!("{}/{round}", record.call.id).as_bytes(),
    ));
    ClientMsgId::parse(&format!("menu-{}", &digest[..40])).expect("a client id from hex")
}

/// A password of 12 letters and digits, none that read alike.
fn fresh_password() -> String {
    use password_hash::rand_core::{OsRng, RngCore};
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 12];
    OsRng.fill_bytes(&mut bytes);
    bytes
        .iter()
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fresh_passwords_are_long_and_plain() {
        let a = fresh_password();
        assert_eq!(a.len(), 12);
        assert!(
            a.chars()
                .all(|c| c.is_ascii_alphanumeric() && !"0O1lI".contains(c))
        );
        assert_ne!(a, fresh_password());
    }
}
