//! The relay mail leaves through, set by an administrator in `/admin` in place of the
//! settings file's: its password sealed before it is stored and never shown back; every node
//! takes the change up within seconds (this one at once).

use app::protocol::{AdminAction, AdminState, MailRelay};
use tracing::instrument;

use super::admin::nothing_to_change;
use super::mailboxes::setting;
use crate::{
    clock::now,
    domain::{self, Reason},
    hub::{HubMsg, Topic},
    service::{Desk, Result},
};

/// What the relay's sealed password is bound to.
pub(super) const SEALED_FOR: &str = "relay";

impl Desk {
    /// Applies a relay action of an administrator's (already checked to be one).
    #[instrument(skip_all)]
    pub(super) async fn administer_relay(
        &self,
        state: &AdminState,
        action: AdminAction,
    ) -> Result<AdminState> {
        match action {
            AdminAction::SetRelay {
                host,
                port,
                security,
                user,
                password,
                from,
                bounces_to,
            } => {
                if port == 0 {
                    return Err(domain::Error::Invalid {
                        field: "port",
                        reason: Reason::new("invalid-setting"),
                    }
                    .into());
                }
                let user = match user.as_deref().map(str::trim) {
                    Some(user) if !user.is_empty() => Some(setting("user", user)?),
                    _ => None,
                };
                let bounces_to = match bounces_to.as_deref().map(str::trim) {
                    Some(b) if !b.is_empty() => Some(domain::Email::parse(b)?.as_str().to_owned()),
                    _ => None,
                };
                let relay = MailRelay {
                    host: setting("host", &host)?,
                    port,
                    security,
                    has_password: false,
                    from: domain::Email::parse(&from)?.as_str().to_owned(),
                    bounces_to,
                    user,
                };
                let password = password.filter(|p| !p.is_empty());
                let sealed = match (&relay.user, password) {
                    (Some(_), Some(password)) => {
                        let password = setting("password", &password)?;
                        let Some(sealer) = &self.sealer else {
                            return Err(
                                domain::Error::State(Reason::new("state-no-secret-key")).into()
                            );
                        };
                        Some(sealer.seal(&password, SEALED_FOR))
                    }
                    // A user whose password was not given keeps the one kept for them.
                    (Some(user), None)
                        if state
                            .relay
                            .as_ref()
                            .is_some_and(|r| r.has_password && r.user.as_ref() == Some(user)) =>
                    {
                        None
                    }
                    (Some(_), None) => {
                        return Err(domain::Error::Invalid {
                            field: "password",
                            reason: Reason::new("invalid-setting"),
                        }
                        .into());
                    }
                    (None, _) => None,
                };
                self.store
                    .set_mail_relay(&relay, sealed.as_deref(), now())
                    .await?;
            }
            AdminAction::RemoveRelay => {
                if state.relay.is_none() {
                    return Err(nothing_to_change());
                }
                self.store.remove_mail_relay().await?;
            }
            _ => return Err(nothing_to_change()),
        }
        self.reroute().await?;
        self.hub.publish(Topic::Everyone, HubMsg::MeChanged);
        Ok(self.store.admin_state().await?)
    }

    /// The settings file's relay (`host:port`), for the administrators' page.
    pub(super) fn settings_relay(&self) -> Option<String> {
        self.mail_out.as_ref().and_then(|out| out.configured())
    }
}
