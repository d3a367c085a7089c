//! Members signing themselves up, where an administrator allows it: name, address and
//! password, then a link mailed to the address; the member is made when it is followed.
//! Whether an address has an account is never told to the page: the mail tells its owner.

use std::net::IpAddr;

use app::{
    i18n::{self, Lang},
    protocol::{Role, UserId},
};
use password_hash::rand_core::{OsRng, RngCore};
use tracing::{info, instrument, warn};

use super::{Desk, NewPerson, Result};
use crate::{
    clock::now,
    domain::{self, Reason, hex, tokens::secret_hash},
    mail::compose::{Outgoing, html_of},
    passwords::NO_PASSWORD,
    store::PendingSignUp,
};

/// How long a sign-up's link works: a day.
const LINK_LIFETIME_MS: i64 = 24 * 3_600_000;
/// A second sign-up for the same address within this long sends no second mail.
const RESEND_AFTER_MS: i64 = 60_000;

/// Where the link of a sign-up goes, under the desk's address.
pub const CONFIRM_PATH: &str = "/signup/confirm/";

/// What a sign-up form gave.
#[derive(Debug, Clone)]
pub struct SignUp<'a> {
    pub name: &'a str,
    pub email: &'a str,
    pub password: &'a str,
    pub lang: Lang,
    /// The desk's address as the person's browser reached it (`https://desk.example`).
    pub desk: &'a str,
    pub address: IpAddr,
}

fn refused(key: &'static str) -> super::Error {
    domain::Error::State(Reason::new(key)).into()
}

impl Desk {
    /// Whether members may sign themselves up.
    pub async fn sign_up_open(&self) -> Result<bool> {
        Ok(self.store.sign_up_open().await?)
    }

    /// Takes a sign-up: checked like any new member (a password of 8 or more that is not
    /// common nor the address), then a link mailed to the address — or, when the address has
    /// an account already, a mail saying so. The same for the page either way.
    #[instrument(skip_all)]
    pub async fn sign_up(&self, form: SignUp<'_>) -> Result<()> {
        if !self.store.sign_up_open().await? {
            return Err(refused("state-sign-up-closed"));
        }
        let person = NewPerson::parse(
            form.email,
            form.name,
            Role::Member,
            form.password,
            Vec::new(),
        )?;
        let Some(route) = self.mail_out.as_ref().and_then(|out| out.route()) else {
            return Err(refused("state-no-mail-out"));
        };
        // Counted where a mail (and a password hash) would follow.
        self.address_may_sign_up(form.address)?;
        let email = person.email.as_str().to_owned();
        let at = now();
        if self
            .store
            .last_sign_up(&email)
            .await?
            .is_some_and(|last| at - last < RESEND_AFTER_MS)
        {
            // Asked again at once (a double click): the first mail is on its way.
            return Ok(());
        }
        let known = self.store.credentials(&email).await?;
        let claimable = match &known {
            None => true,
            Some(c) => c.password_hash == NO_PASSWORD && self.is_member(c.id).await?,
        };
        let text =
            |key: &str, args: &[(&str, i18n::FluentValue<'_>)]| i18n::text(form.lang, key, args);
        let (subject, body) = if claimable {
            let hash = self.hash(&person.password).await?;
            let mut token = [0u8; 32];
            OsRng.fill_bytes(&mut token);
            let token = hex(&token);
            let pending = PendingSignUp {
                email: email.clone(),
                name: person.name.as_str().to_owned(),
                password_hash: hash,
                language: Some(form.lang.code().to_owned()),
            };
            self.store
                .add_sign_up(&secret_hash(&token), &pending, at, at + LINK_LIFETIME_MS)
                .await?;
            let link = format!("{}{CONFIRM_PATH}{token}", form.desk);
            (
                text("mail-sign-up-subject", &[]),
                text(
                    "mail-sign-up",
                    &[("name", person.name.as_str().into()), ("link", link.into())],
                ),
            )
        } else {
            let link = format!("{}/login", form.desk);
            (
                text("mail-sign-up-subject", &[]),
                text("mail-sign-up-known", &[("link", link.into())]),
            )
        };
        let mut random = [0u8; 12];
        OsRng.fill_bytes(&mut random);
        let domain = route
            .from
            .rsplit_once('@')
            .map_or("switchboard.invalid", |(_, d)| d);
        let message_id = format!("sb.signup.{}@{domain}", hex(&random));
        let mail = Outgoing {
            from_name: "Switchboard",
            from_address: &route.from,
            to_name: person.name.as_str(),
            to_address: &email,
            subject: &subject,
            message_id: &message_id,
            in_reply_to: None,
            references: &[],
            date_ms: at,
            text: &body,
            html: &html_of(&body, ""),
            automatic: true,
            attachments: &[],
        };
        if let Err(why) = route.send_now(&email, &mail).await {
            warn!(%why, "a sign-up's mail was not taken by the relay");
            return Err(refused("state-mail-not-sent"));
        }
        info!(new = claimable, "sign-up mail sent");
        Ok(())
    }

    /// Follows a sign-up's link: the member it makes (or the member without a password the
    /// address already had, now with the one chosen), or `None` for a link that is not one,
    /// is used or has expired. An address that meanwhile has an account with a password is
    /// left as it is (`None`).
    #[instrument(skip_all)]
    pub async fn confirm_sign_up(&self, token: &str) -> Result<Option<UserId>> {
        let token = token.trim();
        if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(None);
        }
        let Some(pending) = self.store.take_sign_up(&secret_hash(token), now()).await? else {
            return Ok(None);
        };
        let id = match self.store.credentials(&pending.email).await? {
            Some(c) if c.password_hash == NO_PASSWORD && self.is_member(c.id).await? => {
                let mut w = self.store.begin_write().await?;
                w.set_password(c.id, &pending.password_hash).await?;
                w.commit().await?;
                c.id
            }
            Some(_) => return Ok(None),
            None => {
                let person = NewPerson::parse(
                    &pending.email,
                    &pending.name,
                    Role::Member,
                    &super::people::unused_password(),
                    Vec::new(),
                )?;
                self.create_person_with_hash(person, &pending.password_hash)
                    .await?
            }
        };
        if let Some(lang) = pending.language.as_deref().and_then(Lang::parse) {
            self.store.set_language(id, lang).await?;
        }
        info!(user_id = %id, "member signed up");
        Ok(Some(id))
    }

    async fn is_member(&self, id: UserId) -> Result<bool> {
        Ok(self
            .viewer(id)
            .await?
            .is_some_and(|v| v.role == Role::Member))
    }
}
