//! Administering mailboxes: adding and removing them, and connecting them to an IMAP
//! server (the password sealed before it is stored, never shown back).

use app::protocol::{AdminAction, AdminState, Mailbox, MailboxId, MailboxImap};
use tracing::instrument;

use super::admin::{MAX_NAME_CHARS, nothing_to_change, taken};
use super::people::unknown_department;
use crate::{
    clock::now,
    domain::{self, Reason},
    hub::{HubMsg, Topic},
    service::{Desk, Result},
};

/// Longest host name, user name, folder or password taken.
const MAX_FIELD_CHARS: usize = 255;

/// `value` as a one-line setting of at most [`MAX_FIELD_CHARS`], or refused as `field`.
pub(super) fn setting(field: &'static str, value: &str) -> Result<String> {
    let value = value.trim();
    if value.is_empty()
        || value.chars().count() > MAX_FIELD_CHARS
        || value.contains(char::is_control)
    {
        return Err(domain::Error::Invalid {
            field,
            reason: Reason::new("invalid-setting"),
        }
        .into());
    }
    Ok(value.to_owned())
}

/// What a sealed password is bound to: its mailbox.
pub(super) fn sealed_for(id: MailboxId) -> String {
    format!("mailbox:{}", id.0)
}

impl Desk {
    /// Applies a mailbox action of an administrator's (already checked to be one).
    #[instrument(skip_all)]
    pub(super) async fn administer_mailbox(
        &self,
        state: &AdminState,
        action: AdminAction,
    ) -> Result<AdminState> {
        match action {
            AdminAction::CreateMailbox {
                name,
                address,
                department_id,
                queue_id,
                allow_new_members,
                hold_all,
            } => {
                let name = domain::Label::parse("name", &name, MAX_NAME_CHARS)?.into_string();
                let address = domain::Email::parse(&address)?.as_str().to_owned();
                if !state.departments.iter().any(|d| d.id == department_id) {
                    return Err(unknown_department(department_id));
                }
                if let Some(queue) = queue_id
                    && !state.queues.iter().any(|q| q.queue.id == queue)
                {
                    return Err(domain::Error::Invalid {
                        field: "queue_id",
                        reason: Reason::new("invalid-nothing-to-change"),
                    }
                    .into());
                }
                let mailbox = Mailbox {
                    id: MailboxId(0),
                    name: name.clone(),
                    address,
                    department_id,
                    queue_id,
                    allow_new_members,
                    hold_all,
                    imap: None,
                };
                self.store
                    .create_mailbox(&mailbox, now())
                    .await
                    .map_err(taken("name", &name))?;
            }
            AdminAction::DeleteMailbox { id } => {
                self.store
                    .delete_mailbox(id)
                    .await
                    .map_err(taken("id", "that mailbox"))?;
            }
            AdminAction::ConnectMailbox {
                id,
                host,
                port,
                security,
                user,
                password,
                folder,
            } => {
                let Some(known) = state.mailboxes.iter().find(|m| m.id == id) else {
                    return Err(nothing_to_change());
                };
                if port == 0 {
                    return Err(domain::Error::Invalid {
                        field: "port",
                        reason: Reason::new("invalid-setting"),
                    }
                    .into());
                }
                let imap = MailboxImap {
                    host: setting("host", &host)?,
                    port,
                    security,
                    user: setting("user", &user)?,
                    folder: setting("folder", folder.as_deref().unwrap_or("INBOX"))?,
                    problem: None,
                    checked_at: None,
                };
                let password = password.filter(|p| !p.is_empty());
                let sealed = match password {
                    Some(password) => {
                        let password = setting("password", &password)?;
                        let Some(sealer) = &self.sealer else {
                            return Err(
                                domain::Error::State(Reason::new("state-no-secret-key")).into()
                            );
                        };
                        Some(sealer.seal(&password, &sealed_for(id)))
                    }
                    // Keeping the password it has: it must have one.
                    None if known.imap.is_some() => None,
                    None => {
                        return Err(domain::Error::Invalid {
                            field: "password",
                            reason: Reason::new("invalid-setting"),
                        }
                        .into());
                    }
                };
                self.store
                    .connect_mailbox(id, &imap, sealed.as_deref())
                    .await
                    .map_err(taken("id", "that mailbox"))?;
                self.imap_changed();
            }
            AdminAction::DisconnectMailbox { id } => {
                self.store
                    .disconnect_mailbox(id)
                    .await
                    .map_err(taken("id", "that mailbox"))?;
                self.imap_changed();
            }
            _ => return Err(nothing_to_change()),
        }
        self.hub.publish(Topic::Everyone, HubMsg::MeChanged);
        Ok(self.store.admin_state().await?)
    }
}
