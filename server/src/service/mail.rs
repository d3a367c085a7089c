//! Mail in: a mail handed in through a mailbox becomes a message of the ticket it answers,
//! a new ticket in the mailbox's department, or — from a stranger, a third party, a program,
//! or when it cannot be read — a mail waiting in Incoming messages. Taken in once: the same
//! Message-ID through the same mailbox again changes nothing.

use app::protocol::{
    Channel, ClientMsgId, IncomingMail, IncomingReason, MailTaken, Mailbox, Role, TicketId,
};
use bytes::Bytes;
use futures_util::stream;
use sha2::{Digest, Sha256};
use tracing::instrument;

use super::{Desk, Post, Result};
use crate::{
    clock::now,
    domain::{self, Reason, Viewer, hex, mail as rules},
    files::Files,
    mail::{self, Inbound},
    store::{self, MailRecord, Placed},
};

/// Most mails Incoming messages lists at once, newest first.
const INCOMING_LISTED: i64 = 200;

/// Where a readable mail goes.
enum Route {
    Message {
        ticket: TicketId,
        member: Viewer,
    },
    NewTicket {
        member: Viewer,
    },
    Incoming {
        reason: IncomingReason,
        ticket: Option<TicketId>,
    },
}

/// What a bounce says went wrong, in the words of the mail system that refused.
fn bounce_reason(bounce: &mail::Bounce) -> String {
    let mut why = bounce.diagnostic.trim().to_owned();
    if why.is_empty() {
        why = format!("status {}", bounce.status.trim());
    }
    why
}

/// The client id a mail's message is stored under: the same mail delivered twice is one
/// message, however the two deliveries race.
pub(super) fn client_id(message_id: &str) -> ClientMsgId {
    let digest = hex(&Sha256::digest(message_id.as_bytes()));
    ClientMsgId::parse(&format!("mail-{}", &digest[..40])).expect("a client id from hex")
}

impl Desk {
    /// The mailboxes, for administrators.
    pub async fn mailboxes(&self) -> Result<Vec<Mailbox>> {
        Ok(self.store.mailboxes().await?)
    }

    /// Takes in one mail handed in through mailbox `name` by `viewer` (an administrator, or
    /// a token of one: the mail gateway).
    #[instrument(skip_all, fields(mailbox = %name))]
    pub async fn hand_in_mail(
        &self,
        viewer: &Viewer,
        files: &Files,
        name: &str,
        raw: Bytes,
    ) -> Result<MailTaken> {
        if viewer.role != Role::Administrator {
            return Err(domain::Error::AdministratorsOnly.into());
        }
        self.hand_in(files, name, raw, None).await
    }

    /// Takes in one raw mail through mailbox `name`, its bytes kept in the file store first
    /// so that nothing is lost whatever becomes of it; `cut` says why it cannot be read
    /// (it was cut at the size limit, say).
    pub(super) async fn hand_in(
        &self,
        files: &Files,
        name: &str,
        raw: Bytes,
        cut: Option<&'static str>,
    ) -> Result<MailTaken> {
        let size = raw.len() as u64;
        let mut chunks = stream::iter([Ok::<Bytes, std::convert::Infallible>(raw.clone())]);
        let kept = files.put(&mut chunks, size.max(1), |_| true).await?;
        let taken = self.take_mail(files, name, &raw, Some(&kept.id), cut).await;
        if matches!(taken, Err(_) | Ok(MailTaken::Duplicate)) {
            // Refused before it was taken in (no such mailbox, the database down: the sender
            // keeps it and tries again), or taken before with its own copy.
            let _ = files.delete(&kept.id).await;
        }
        taken
    }

    /// Takes in `raw` through mailbox `name`; `raw_file` is where its bytes are kept.
    async fn take_mail(
        &self,
        files: &Files,
        name: &str,
        raw: &[u8],
        raw_file: Option<&str>,
        cut: Option<&'static str>,
    ) -> Result<MailTaken> {
        let mailbox = match self.store.mailbox_named(name).await {
            Ok(mailbox) => mailbox,
            Err(store::Error::NotFound) => {
                return Err(domain::Error::Invalid {
                    field: "mailbox",
                    reason: Reason::new("invalid-no-such-mailbox").with("name", name),
                }
                .into());
            }
            Err(err) => return Err(err.into()),
        };
        let raw_size = i64::try_from(raw.len()).unwrap_or(i64::MAX);
        // What cannot be read is kept all the same, to wait in Incoming with the reason.
        let read = match cut {
            Some(why) => Err(mail::Unreadable(why)),
            None => mail::read(raw),
        };
        let (inbound, readable) = match read {
            Ok(inbound) => (inbound, true),
            Err(unreadable) => (Inbound::unreadable(raw, unreadable), false),
        };
        if self
            .store
            .mail_taken(mailbox.id, &inbound.message_id)
            .await?
        {
            return Ok(MailTaken::Duplicate);
        }
        let record = |placed| MailRecord {
            mailbox: mailbox.id,
            message_id: &inbound.message_id,
            thread_root: inbound.thread_root.as_deref(),
            from_address: &inbound.from_address,
            from_name: &inbound.from_name,
            subject: &inbound.subject,
            body: &inbound.text,
            raw_file,
            raw_size,
            department: mailbox.department_id,
            placed,
            now: now(),
        };
        let bounced = match inbound.bounce.as_ref().and_then(|b| b.original.as_deref()) {
            Some(original) => self.store.sent_mail(original).await?,
            None => None,
        };
        if let (Some(sent), Some(bounce)) = (bounced, &inbound.bounce) {
            let why = bounce_reason(bounce);
            let seq = if self.store.fail_mail(sent.id, now(), &why).await? {
                self.note_undelivered(sent.ticket, sent.seq, sent.digest, &sent.to_address, &why)
                    .await?
            } else {
                sent.seq
            };
            let placed = Placed::Report {
                ticket: sent.ticket,
            };
            return match self.store.record_mail(record(placed)).await {
                Ok(_) => Ok(MailTaken::Bounce {
                    ticket_id: sent.ticket,
                    seq,
                }),
                Err(store::Error::Conflict(_)) => Ok(MailTaken::Duplicate),
                Err(err) => Err(err.into()),
            };
        }
        let route = if readable {
            let route = self.route(&mailbox, &inbound).await?;
            // What would open a ticket, or wait as a stranger's, may be spam; answers in a
            // thread of ours and mail from programs are not judged.
            let judged = matches!(
                route,
                Route::NewTicket { .. }
                    | Route::Incoming {
                        reason: IncomingReason::UnknownSender | IncomingReason::Held,
                        ..
                    }
            );
            if judged && self.is_spam(&inbound).await? {
                Route::Incoming {
                    reason: IncomingReason::Spam,
                    ticket: None,
                }
            } else {
                route
            }
        } else {
            Route::Incoming {
                reason: IncomingReason::Unreadable,
                ticket: None,
            }
        };
        // The ticket it answers (none: a new one) and its member.
        let (answers, member) = match route {
            Route::Incoming { reason, ticket } => {
                let placed = Placed::Incoming {
                    reason: reason.as_str(),
                    ticket,
                };
                let id = self.store.record_mail(record(placed)).await?;
                return Ok(MailTaken::Incoming { id, reason });
            }
            Route::Message { ticket, member } => (Some(ticket), member),
            Route::NewTicket { member } => (None, member),
        };
        // Its files go in as the member's uploads; what cannot is named in the message.
        let (attachments, left) = self
            .keep_mail_files(files, &member, &inbound.files, self.language)
            .await?;
        let (mut text, by_mail) = rules::message_text(&inbound.text, &inbound.subject);
        if !left.is_empty() {
            text = format!("{text}\n\n{}", left.join("\n"));
        }
        let post = Post {
            client_msg_id: client_id(&inbound.message_id),
            body: &text,
            hidden: false,
            close: false,
            attachments: &attachments,
            seen: None,
            by_mail: Some(by_mail),
        };
        let (written, new_ticket) = match answers {
            Some(ticket) => (self.post_message(&member, ticket, post).await?, false),
            None => {
                let queue = match mailbox.queue_id {
                    Some(queue) => Some(queue),
                    None => self
                        .store
                        .queues()
                        .await?
                        .into_iter()
                        .find(|q| q.channel == Channel::Email)
                        .map(|q| q.id),
                };
                let written = self
                    .open_ticket(
                        &member,
                        mailbox.department_id,
                        &inbound.subject,
                        post,
                        super::messages::Arrival {
                            channel: Channel::Email,
                            queue,
                            form: None,
                        },
                    )
                    .await?;
                let new_ticket = !written.duplicate;
                (written, new_ticket)
            }
        };
        let placed = Placed::Ticket {
            ticket: written.ticket_id,
            seq: written.seq,
        };
        match self.store.record_mail(record(placed)).await {
            // Mail that reached a ticket is good mail to the spam filter.
            Ok(id) => self.learn_good(id, &inbound).await?,
            // A delivery racing this one recorded it first: one message all the same.
            Err(store::Error::Conflict(_)) => {}
            Err(err) => return Err(err.into()),
        }
        Ok(MailTaken::Ticket {
            ticket_id: written.ticket_id,
            seq: written.seq,
            new_ticket,
        })
    }

    /// Where a readable mail goes: the ticket it answers (by the subject's tag, then the
    /// Message-IDs it answers, then Outlook's conversation) when its member wrote it; a new
    /// ticket for a member (or a new member, where the mailbox makes them); Incoming
    /// messages for everything else.
    async fn route(&self, mailbox: &Mailbox, inbound: &Inbound) -> Result<Route> {
        let tagged = match rules::ticket_in_subject(&inbound.subject) {
            Some(id) => match self.store.ticket(id).await {
                Ok(record) => Some(record),
                Err(store::Error::NotFound) => None,
                Err(err) => return Err(err.into()),
            },
            None => None,
        };
        let ticket = match tagged {
            Some(record) => Some(record),
            None => match self
                .store
                .mail_thread(&inbound.answers, inbound.thread_root.as_deref())
                .await?
            {
                Some(id) => Some(self.store.ticket(id).await?),
                None => None,
            },
        };
        if inbound.robot {
            return Ok(Route::Incoming {
                reason: IncomingReason::Automatic,
                ticket: ticket.map(|t| t.scope.id),
            });
        }
        let key = rules::address_key(&inbound.from_address).unwrap_or_default();
        let member = self.store.member_by_address(&key).await?;
        if let Some(record) = ticket {
            return Ok(match member {
                Some(id) if id == record.scope.member_id => match self.viewer(id).await? {
                    Some(member) => Route::Message {
                        ticket: record.scope.id,
                        member,
                    },
                    None => Route::Incoming {
                        reason: IncomingReason::UnknownSender,
                        ticket: Some(record.scope.id),
                    },
                },
                _ => Route::Incoming {
                    reason: IncomingReason::ThirdParty,
                    ticket: Some(record.scope.id),
                },
            });
        }
        if mailbox.hold_all {
            return Ok(Route::Incoming {
                reason: IncomingReason::Held,
                ticket: None,
            });
        }
        let member = match member {
            Some(id) => self.viewer(id).await?,
            None if mailbox.allow_new_members => {
                Some(self.new_member(&key, &inbound.from_name).await?)
            }
            None => None,
        };
        Ok(match member {
            Some(member) => Route::NewTicket { member },
            None => Route::Incoming {
                reason: IncomingReason::UnknownSender,
                ticket: None,
            },
        })
    }

    /// Incoming messages `viewer` may see: staff, of the mailboxes of their departments
    /// (moderators and administrators: all), newest first.
    #[instrument(skip_all, fields(user_id = %viewer.id))]
    pub async fn incoming(&self, viewer: &Viewer) -> Result<Vec<IncomingMail>> {
        if !viewer.role.is_staff() {
            return Err(domain::Error::StaffOnly.into());
        }
        let departments = (!viewer.sees_all_departments()).then_some(&viewer.departments[..]);
        Ok(self
            .store
            .incoming(departments, INCOMING_LISTED)
            .await?
            .into_iter()
            .filter(|m| domain::may_see_incoming(viewer, m.department_id))
            .collect())
    }
}
