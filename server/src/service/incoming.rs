//! Incoming messages sorted by staff: a waiting mail made into a ticket of a member (the
//! sender, or someone staff choose), attached to an existing ticket as a hidden note, or
//! deleted. Only staff of the mailbox's department (moderators and administrators: all)
//! may touch one; to anyone else it does not exist.

use app::protocol::{Channel, ClientMsgId, DepartmentId, IncomingMail, Role, UserId, Written};
use tracing::instrument;

use super::{Desk, Post, Result, people::NewPerson};
use crate::{
    domain::{self, Reason, Viewer, mail as rules},
    store,
};

/// A waiting mail that is not the asker's to sort, or no longer waits.
pub(super) fn no_such_mail() -> super::Error {
    domain::Error::Invalid {
        field: "id",
        reason: Reason::new("invalid-no-such-mail"),
    }
    .into()
}

/// The client id of what a waiting mail becomes: sorting it twice (two people at once, a
/// retry) writes it once.
fn client_id(id: i64) -> ClientMsgId {
    ClientMsgId::parse(&format!("incoming-{id}")).expect("a client id from digits")
}

impl Desk {
    /// Waiting mail `id` when `viewer` may sort it.
    pub(super) async fn sortable(
        &self,
        viewer: &Viewer,
        id: i64,
    ) -> Result<(IncomingMail, Option<app::protocol::QueueId>)> {
        match self.store.incoming_mail(id).await {
            Ok((mail, queue)) if domain::may_see_incoming(viewer, mail.department_id) => {
                Ok((mail, queue))
            }
            Ok(_) | Err(store::Error::NotFound) => Err(no_such_mail()),
            Err(err) => Err(err.into()),
        }
    }

    /// Makes waiting mail `id` a new Email ticket in `department` for `member` (absent: the
    /// sender, who becomes a member if they are not one).
    #[instrument(skip_all, fields(user_id = %viewer.id))]
    pub async fn ticket_from_mail(
        &self,
        viewer: &Viewer,
        id: i64,
        department: DepartmentId,
        member: Option<UserId>,
    ) -> Result<Written> {
        let (mail, queue) = self.sortable(viewer, id).await?;
        if !viewer.sees_all_departments() && !viewer.departments.contains(&department) {
            return Err(domain::Error::DepartmentNotFound.into());
        }
        let member = match member {
            Some(id) => self.viewer(id).await?,
            None => {
                let key = rules::address_key(&mail.from_address).ok_or_else(no_such_mail)?;
                match self.store.member_by_address(&key).await? {
                    Some(id) => self.viewer(id).await?,
                    None => Some(self.new_member(&key, &mail.from_name).await?),
                }
            }
        };
        let member = member
            .filter(|m| m.role == Role::Member)
            .ok_or(domain::Error::Invalid {
                field: "member_id",
                reason: Reason::new("invalid-no-such-person"),
            })?;
        let (text, by_mail) = rules::message_text(&mail.body, &mail.subject);
        let first = Post {
            client_msg_id: client_id(id),
            body: &text,
            hidden: false,
            close: false,
            attachments: &[],
            seen: None,
            by_mail: Some(by_mail),
        };
        let written = self
            .open_ticket(
                &member,
                department,
                &mail.subject,
                first,
                super::messages::Arrival {
                    channel: Channel::Email,
                    queue,
                    form: None,
                },
            )
            .await?;
        self.settled(id, &written).await?;
        Ok(written)
    }

    /// Attaches waiting mail `id` to a ticket `viewer` may write to, as a hidden note saying
    /// who wrote it: a third party's words never speak for the member.
    #[instrument(skip_all, fields(user_id = %viewer.id))]
    pub async fn attach_mail(
        &self,
        viewer: &Viewer,
        id: i64,
        ticket: app::protocol::TicketId,
    ) -> Result<Written> {
        let (mail, _) = self.sortable(viewer, id).await?;
        let (said, _) = rules::message_text(&mail.body, &mail.subject);
        let note = format!(
            "{} <{}> — {}\n\n{said}",
            mail.from_name, mail.from_address, mail.subject
        );
        let note: String = note
            .chars()
            .take(app::protocol::limits::MAX_BODY_CHARS)
            .collect();
        let post = Post {
            client_msg_id: client_id(id),
            body: &note,
            hidden: true,
            close: false,
            attachments: &[],
            seen: None,
            by_mail: None,
        };
        let written = self.post_message(viewer, ticket, post).await?;
        self.settled(id, &written).await?;
        Ok(written)
    }

    /// Deletes waiting mail `id`; where its raw copy was, for the file store to remove.
    #[instrument(skip_all, fields(user_id = %viewer.id))]
    pub async fn delete_mail(&self, viewer: &Viewer, id: i64) -> Result<Option<String>> {
        self.sortable(viewer, id).await?;
        match self.store.delete_incoming(id).await {
            Ok(raw) => Ok(raw),
            Err(store::Error::NotFound) => Err(no_such_mail()),
            Err(err) => Err(err.into()),
        }
    }

    /// The mail went where `written` says; someone sorting it at the same moment wrote the
    /// same message (same client id), so either way it is sorted.
    async fn settled(&self, id: i64, written: &Written) -> Result<()> {
        match self
            .store
            .settle_mail(id, written.ticket_id, written.seq)
            .await
        {
            Ok(()) | Err(store::Error::NotFound) => Ok(()),
            Err(err) => Err(err.into()),
        }
    }

    /// A new member for address `key` named `name`, without a password (the random one the
    /// form of a person asks for is never stored): they sign in once an administrator gives
    /// them one.
    pub(super) async fn new_member(&self, key: &str, name: &str) -> Result<Viewer> {
        let name: String = name.chars().take(domain::MAX_NAME_CHARS).collect();
        let name = if name.trim().is_empty() {
            key.to_owned()
        } else {
            name
        };
        let password = super::people::unused_password();
        let person = NewPerson::parse(key, &name, Role::Member, &password, Vec::new())?;
        let id = self.create_person_without_password(person).await?;
        Ok(self.viewer(id).await?.ok_or(store::Error::NotFound)?)
    }
}
