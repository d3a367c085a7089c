//! The widget a host platform embeds in its personal account: administering its sites (their
//! origins, their secret sealed with the desk's key and shown once), and taking a member in
//! from the identity token the host's backend signed for them.

use app::protocol::{AdminAction, AdminState, SiteId, SiteSecret, UserId};
use ring::rand::{SecureRandom, SystemRandom};
use tracing::{info, instrument};

use super::admin::{MAX_NAME_CHARS, nothing_to_change, taken};
use crate::{
    clock::now,
    domain::{
        self, Email, Reason, accounts as rules,
        widget::{self as rule, TokenFault},
    },
    hub::Ended,
    service::{Desk, Result},
    store::{MemberRecord, SiteRecord},
};

/// What a site's sealed secret is bound to.
fn sealed_for(id: SiteId) -> String {
    format!("widget-site:{}", id.0)
}

/// `bytes` random bytes, as lower-case hex.
fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    SystemRandom::new()
        .fill(&mut buf)
        .expect("the system's random source failed");
    domain::hex(&buf)
}

/// Why the widget did not open for a page. Only the status reaches the page; the log says
/// which, for the host's developers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// No site has that key.
    NoSite,
    /// The page's origin is not one of the site's (or it sent none).
    Origin,
    /// The token is not a valid one of the site's.
    Token(TokenFault),
    /// The token was used already.
    Replayed,
    /// The token's claims are not a member the desk can have (an address or phone number of
    /// someone else's, a name too long…).
    Claims(String),
}

impl Refusal {
    /// What the log calls it.
    pub fn as_str(&self) -> &str {
        match self {
            Refusal::NoSite => "no such site",
            Refusal::Origin => "origin not allowed",
            Refusal::Token(fault) => fault.as_str(),
            Refusal::Replayed => "token used before",
            Refusal::Claims(why) => why,
        }
    }
}

/// A member let in through a site's widget.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WidgetEntry {
    pub member: UserId,
    pub site: SiteId,
    /// The page's origin, the only one the widget talks to.
    pub origin: String,
}

impl Desk {
    /// Applies a site action of an administrator's (already checked to be one).
    #[instrument(skip_all)]
    pub(super) async fn administer_site(&self, action: AdminAction) -> Result<AdminState> {
        let revealed = match action {
            AdminAction::CreateSite { name, origins } => {
                let name = domain::Label::parse("name", &name, MAX_NAME_CHARS)?.into_string();
                let origins = rule::origins(&origins)?;
                let sealer = self
                    .sealer
                    .as_ref()
                    .ok_or_else(|| domain::Error::State(Reason::new("state-no-secret-key")))?;
                let key = random_hex(8);
                // Sealed under a placeholder first: the id it is bound to is known after.
                let id = self
                    .store
                    .create_widget_site(&key, &name, &origins, "", now())
                    .await
                    .map_err(taken("name", &name))?;
                let secret = random_hex(32);
                self.store
                    .set_widget_secret(id, &sealer.seal(&secret, &sealed_for(id)))
                    .await?;
                Some(SiteSecret {
                    site_id: id,
                    secret,
                })
            }
            AdminAction::UpdateSite { id, name, origins } => {
                let name = domain::Label::parse("name", &name, MAX_NAME_CHARS)?.into_string();
                let origins = rule::origins(&origins)?;
                self.store
                    .update_widget_site(id, &name, &origins)
                    .await
                    .map_err(taken("name", &name))?;
                self.end_site_sessions(id, &origins).await?;
                None
            }
            AdminAction::RotateSiteSecret { id } => {
                let sealer = self
                    .sealer
                    .as_ref()
                    .ok_or_else(|| domain::Error::State(Reason::new("state-no-secret-key")))?;
                let secret = random_hex(32);
                self.store
                    .set_widget_secret(id, &sealer.seal(&secret, &sealed_for(id)))
                    .await
                    .map_err(|_| nothing_to_change())?;
                Some(SiteSecret {
                    site_id: id,
                    secret,
                })
            }
            AdminAction::DeleteSite { id } => {
                self.store
                    .delete_widget_site(id)
                    .await
                    .map_err(|_| nothing_to_change())?;
                self.end_site_sessions(id, &[]).await?;
                None
            }
            _ => return Err(nothing_to_change()),
        };
        let mut state = self.store.admin_state().await?;
        state.revealed = revealed;
        Ok(state)
    }

    /// Ends the sessions opened through site `id` from pages of origins no longer in `keep`:
    /// at once, on every node, their sockets with them.
    async fn end_site_sessions(&self, id: SiteId, keep: &[String]) -> Result<()> {
        for (session, member) in self.store.end_widget_sessions(id, keep).await? {
            self.sessions_ended(member, Ended::Only(session)).await;
        }
        Ok(())
    }

    /// The origins that may frame the widget of site `id` (none when it is gone).
    pub async fn widget_origins(&self, id: SiteId) -> Result<Vec<String>> {
        Ok(self.store.widget_origins(id).await?)
    }

    /// Lets in the member a page of site `key`, from `origin`, names with `token`: the token
    /// checked against the site's secret, spent (a second use is refused), and the member
    /// made or brought up to date from its claims.
    #[instrument(skip_all, fields(site = %key))]
    pub async fn widget_sign_in(
        &self,
        key: &str,
        token: &str,
        origin: Option<&str>,
    ) -> Result<std::result::Result<WidgetEntry, Refusal>> {
        let Some(SiteRecord {
            site,
            sealed_secret,
        }) = self.store.widget_site(key).await?
        else {
            return Ok(Err(Refusal::NoSite));
        };
        let Some(origin) = origin
            .and_then(|o| rule::origin(o).ok())
            .filter(|o| site.origins.contains(o))
        else {
            return Ok(Err(Refusal::Origin));
        };
        let Some(sealer) = &self.sealer else {
            return Err(domain::Error::State(Reason::new("state-no-secret-key")).into());
        };
        let secret = sealer
            .open(&sealed_secret, &sealed_for(site.id))
            .map_err(|_| domain::Error::State(Reason::new("state-no-secret-key")))?;
        let at = now();
        let claims = match rule::verify(token, secret.expose().as_bytes(), at / 1000) {
            Ok(claims) => claims,
            Err(fault) => return Ok(Err(Refusal::Token(fault))),
        };
        if !self
            .store
            .spend_widget_token(site.id, &claims.jti, claims.exp.saturating_mul(1000))
            .await?
        {
            return Ok(Err(Refusal::Replayed));
        }
        let member = match self.member_of_claims(&claims).await {
            Ok(member) => member,
            Err(super::Error::Rule(rule)) => {
                return Ok(Err(Refusal::Claims(format!("claims refused: {rule}"))));
            }
            Err(other) => return Err(other),
        };
        info!(user_id = %member, "member let in through the widget");
        Ok(Ok(WidgetEntry {
            member,
            site: site.id,
            origin,
        }))
    }

    /// The member a token's claims name, made or brought up to date: their name and address
    /// as the host says, the phone added when no one else has it.
    async fn member_of_claims(&self, claims: &rule::Claims) -> Result<UserId> {
        let external_id = rules::external_id("sub", &claims.sub)?;
        let name = domain::Label::person_name(&claims.name)?.into_string();
        let email = Email::parse(&claims.email)?;
        let phone = claims
            .phone
            .as_deref()
            .filter(|p| !p.trim().is_empty())
            .map(rules::phone)
            .transpose()?;
        let known = self.store.member_id(&external_id).await.ok();
        let phones = match phone {
            Some(phone) => match self.store.member_by_phone(&phone).await? {
                Some(holder) if Some(holder) != known => Vec::new(),
                _ => vec![phone],
            },
            None => Vec::new(),
        };
        let record = MemberRecord {
            external_id: &external_id,
            name: &name,
            email: email.as_str(),
            phones: &phones,
            birth_date: None,
            city: None,
            no_password: crate::passwords::NO_PASSWORD,
            partial: true,
        };
        self.store
            .upsert_member(&record, now())
            .await
            .map_err(|err| match err {
                crate::store::Error::Conflict(_) => domain::Error::Invalid {
                    field: "email",
                    reason: Reason::new("invalid-held-by-another"),
                }
                .into(),
                other => other.into(),
            })
    }
}
