//! Writing in a ticket: a member's first message, messages and hidden notes, edits, reads.

use app::protocol::{
    Channel, DepartmentId, EventKind, FeedbackFields, FeedbackForm, QueueId, Role, Seq, TicketId,
    TicketStatus, Written,
};
use tracing::instrument;

use crate::domain::{FileId, MessageBody, Subject};
use crate::{
    domain::{self, Reason, Viewer},
    store::{self, OutMail},
};

use super::write::{Change, check_fresh, draft, message_draft};
use super::{Desk, Post, Result};
use crate::clock::now;

/// How a new ticket arrives: by which channel, into which queue (else the channel's first
/// offered one), with which feedback form.
pub(super) struct Arrival {
    pub channel: Channel,
    pub queue: Option<QueueId>,
    pub form: Option<FeedbackForm>,
}

impl Desk {
    /// A member opens a conversation in `department` with its first message, from the
    /// widget — or, with `form`, sends the feedback form: only departments offered to
    /// members.
    #[instrument(skip_all, fields(user_id = %viewer.id))]
    pub async fn start_ticket(
        &self,
        viewer: &Viewer,
        department: DepartmentId,
        subject: &str,
        first: Post<'_>,
        form: Option<&FeedbackFields>,
    ) -> Result<Written> {
        let arrival = match form {
            None => Arrival {
                channel: Channel::Chat,
                queue: None,
                form: None,
            },
            Some(fields) => {
                if viewer.role != Role::Member {
                    return Err(domain::Error::OnlyMembersStart.into());
                }
                // A form names what it is about: its subject is not made from its text.
                if subject.trim().is_empty() {
                    return Err(domain::Error::Invalid {
                        field: "subject",
                        reason: Reason::new("invalid-empty-subject"),
                    }
                    .into());
                }
                Arrival {
                    channel: Channel::Form,
                    queue: None,
                    form: Some(self.feedback_form(viewer.id, fields).await?),
                }
            }
        };
        self.open_ticket(viewer, department, subject, first, arrival)
            .await
    }

    /// A member's new ticket in `department` with its first message, arriving as `arrival`
    /// says. From the widget (the chat and the form) only departments offered to members;
    /// mail goes where its mailbox says.
    pub(super) async fn open_ticket(
        &self,
        viewer: &Viewer,
        department: DepartmentId,
        subject: &str,
        first: Post<'_>,
        arrival: Arrival,
    ) -> Result<Written> {
        if viewer.role != Role::Member {
            return Err(domain::Error::OnlyMembersStart.into());
        }
        let Arrival {
            channel,
            queue,
            form,
        } = arrival;
        let Post {
            client_msg_id,
            body,
            attachments,
            by_mail,
            ..
        } = first;
        let attachments = domain::attachment_ids(attachments)?;
        let body = MessageBody::parse(body)?;
        let subject = Subject::parse(subject, &body)?;
        if let Some(earlier) = self.earlier_write(viewer, &client_msg_id).await? {
            return Ok(earlier);
        }
        let department = match self.store.department(department).await {
            Ok(d) => d,
            Err(store::Error::NotFound) => return Err(domain::Error::DepartmentNotFound.into()),
            Err(other) => return Err(other.into()),
        };
        if matches!(channel, Channel::Chat | Channel::Form)
            && !self
                .store
                .public_departments()
                .await?
                .contains(&department.id)
        {
            return Err(domain::Error::DepartmentNotFound.into());
        }
        let confirmation = match &form {
            Some(f) if f.answer_by.mails() => self.confirmation(viewer.id, department.id).await?,
            _ => None,
        };
        let now = now();
        let written = async {
            let mut w = self.store.begin_write().await?;
            let ticket = w
                .create_ticket(
                    viewer.id,
                    department.id,
                    subject.as_str(),
                    channel,
                    queue,
                    now,
                )
                .await?;
            if let Some(form) = &form {
                w.set_form(ticket, form).await?;
            }
            let created = EventKind::Created {
                subject: subject.as_str().to_owned(),
                department: department.clone(),
                form: form.clone(),
            };
            let created = w.append_event(ticket, draft(viewer, created), now).await?;
            let files = match self
                .claim_files(&mut w, &attachments, viewer, ticket)
                .await?
            {
                Ok(files) => files,
                Err(rule) => return Ok(Err(rule)),
            };
            let message = w
                .append_event(
                    ticket,
                    message_draft(
                        viewer,
                        body.into_string(),
                        &client_msg_id,
                        false,
                        files,
                        by_mail,
                    ),
                    now,
                )
                .await?;
            w.place_files(&attachments, ticket, message.seq).await?;
            // The form's confirmation is written with it: both or neither.
            if let (Some(to), Some(form)) = (confirmation, &form) {
                let mail = to.mail(
                    ticket,
                    message.seq,
                    subject.as_str(),
                    &department.name,
                    form.answer_by,
                );
                w.enqueue_mail(&mail, now, now).await?;
            }
            w.commit().await?;
            Ok::<_, store::Error>(Ok(vec![created, message]))
        }
        .await;
        if matches!(written, Ok(Ok(_))) && form.as_ref().is_some_and(|f| f.answer_by.mails()) {
            self.mail_queued();
        }
        self.finish_rule_write(viewer, &client_msg_id, written)
            .await
    }

    /// Posts a message (or, for staff, a hidden note) to a ticket `viewer` may see, taking it
    /// when staff write to a ticket nobody holds, reopening it when its member writes to it
    /// closed, and closing it afterwards when asked ("send and close").
    #[instrument(skip_all, fields(user_id = %viewer.id, ticket_id = %ticket))]
    pub async fn post_message(
        &self,
        viewer: &Viewer,
        ticket: TicketId,
        post: Post<'_>,
    ) -> Result<Written> {
        let Post {
            client_msg_id,
            body,
            hidden,
            close,
            attachments,
            seen,
            by_mail,
        } = post;
        let record = self.visible_ticket(viewer, ticket).await?;
        if (hidden || close) && !viewer.role.is_staff() {
            return Err(domain::Error::StaffOnly.into());
        }
        let attachments = domain::attachment_ids(attachments)?;
        let body = if attachments.is_empty() || !body.trim().is_empty() {
            MessageBody::parse(body)?
        } else {
            MessageBody::none()
        };
        if let Some(earlier) = self.earlier_write(viewer, &client_msg_id).await? {
            return Ok(earlier);
        }
        let mail = self.reply_mail(&record, viewer, hidden).await?;
        let id = record.scope.id;
        let written = async {
            let now = now();
            let mut w = self.store.begin_write().await?;
            let (holder, status) = w.lock_ticket(id).await?;
            let access = domain::write_access(viewer, holder.as_ref());
            let mut events = Vec::new();
            match access {
                Ok(domain::WriteAccess::Takes) => {
                    w.set_assignee(id, Some(viewer.id), now).await?;
                    w.follow(id, viewer.id, true, now).await?;
                    events.push(
                        w.append_event(id, draft(viewer, EventKind::Taken), now)
                            .await?,
                    );
                }
                Ok(domain::WriteAccess::Member) if status == TicketStatus::Closed => {
                    w.set_status(id, TicketStatus::Open).await?;
                    events.push(
                        w.append_event(id, draft(viewer, EventKind::Reopened), now)
                            .await?,
                    );
                }
                Ok(_) => {}
                Err(rule) => return Ok(Err(rule)),
            }
            // An answer is not sent over words it has not seen (a note is no answer).
            let seen = seen.filter(|_| !hidden);
            if let Err(rule) = check_fresh(&mut w, viewer, id, seen, domain::Intent::Reply).await? {
                return Ok(Err(rule));
            }
            let files = match self.claim_files(&mut w, &attachments, viewer, id).await? {
                Ok(files) => files,
                Err(rule) => return Ok(Err(rule)),
            };
            let text = body.into_string();
            let mailed = mail.map(|mail| OutMail {
                body: text.clone(),
                files: files.clone(),
                ..mail
            });
            let message = message_draft(viewer, text, &client_msg_id, hidden, files, by_mail);
            let message = w.append_event(id, message, now).await?;
            // The mail to the member is written with its message: both or neither.
            if let Some(mail) = mailed {
                // A digest's position is set when it is made; an answer's is its message.
                let seq = if mail.digest { Seq(0) } else { message.seq };
                let mail = OutMail { seq, ..mail };
                w.enqueue_mail(&mail, self.mail_due(&mail, now), now)
                    .await?;
            }
            // What was being written is sent: its draft goes with it.
            w.forget_draft(viewer.id, id, hidden).await?;
            w.place_files(&attachments, id, message.seq).await?;
            events.push(message);
            if close {
                w.set_status(id, TicketStatus::Closed).await?;
                w.set_assignee(id, None, now).await?;
                events.push(
                    w.append_event(id, draft(viewer, EventKind::Closed), now)
                        .await?,
                );
            }
            w.commit().await?;
            Ok::<_, store::Error>(Ok(events))
        }
        .await;
        if matches!(written, Ok(Ok(_))) {
            self.mail_queued();
        }
        self.finish_rule_write(viewer, &client_msg_id, written)
            .await
    }

    /// Staff correct their own message or note; the previous text stays in the history.
    #[instrument(skip_all, fields(user_id = %viewer.id, ticket_id = %ticket))]
    pub async fn edit_message(
        &self,
        viewer: &Viewer,
        ticket: TicketId,
        seq: Seq,
        body: &str,
    ) -> Result<Written> {
        let record = self.visible_ticket(viewer, ticket).await?;
        if !viewer.role.is_staff() {
            return Err(domain::Error::StaffOnly.into());
        }
        let body = MessageBody::parse(body)?.into_string();
        let target = match self.store.event_at(ticket, seq).await {
            Ok(event) => event,
            Err(store::Error::NotFound) => {
                return Err(domain::Error::Invalid {
                    field: "seq",
                    reason: Reason::new("invalid-no-such-message"),
                }
                .into());
            }
            Err(other) => return Err(other.into()),
        };
        // The text as it reads now: the last edit's, or the original.
        let (hidden, original) = match &target.kind {
            EventKind::Message { body, .. } => (false, body.clone()),
            EventKind::Note { body, .. } => (true, body.clone()),
            _ => {
                return Err(domain::Error::Invalid {
                    field: "seq",
                    reason: Reason::new("invalid-only-messages-edited"),
                }
                .into());
            }
        };
        if target.author.as_ref().map(|a| a.id) != Some(viewer.id) {
            return Err(domain::Error::State(Reason::new("state-only-author-edits")).into());
        }
        let previous = self
            .history_after(record.scope, seq)
            .await?
            .into_iter()
            .rev()
            .find_map(|e| match e.kind {
                EventKind::Edited {
                    message_seq, body, ..
                } if message_seq == seq => Some(body),
                _ => None,
            })
            .unwrap_or(original);
        let kind = EventKind::Edited {
            message_seq: seq,
            body,
            previous,
            hidden,
        };
        let ref_public_seq = target.public_seq;
        self.change(viewer, &record, |holder, _status| {
            domain::write_access(viewer, holder.as_ref())?;
            Ok(Some(Change {
                holder: None,
                department: None,
                archive: false,
                event: kind,
                refers_to: ref_public_seq,
            }))
        })
        .await
    }

    /// A member has read their ticket up to `seq`; staff have looked at it now (what its
    /// member wrote before is no longer new to them).
    #[instrument(skip_all, fields(user_id = %viewer.id, ticket_id = %ticket))]
    pub async fn mark_read(&self, viewer: &Viewer, ticket: TicketId, seq: Seq) -> Result<()> {
        let record = self.visible_ticket(viewer, ticket).await?;
        if viewer.role != Role::Member {
            let mut w = self.store.begin_write().await?;
            w.mark_staff_read(viewer.id, ticket, now()).await?;
            w.commit().await?;
            return Ok(());
        }
        let seq = Seq(seq.0.min(record.last_public_seq.0));
        let mut w = self.store.begin_write().await?;
        let changed = w.mark_read(ticket, seq).await?;
        w.commit().await?;
        if changed {
            self.publish_ticket(ticket, None).await;
        }
        Ok(())
    }

    /// Takes `viewer`'s unsent files `ids` for a message of `ticket`, within the write `w`;
    /// refused when one is unknown, someone else's or already sent, or when together they
    /// pass the per-message limit.
    pub(super) async fn claim_files(
        &self,
        w: &mut store::WriteTx,
        ids: &[FileId],
        viewer: &Viewer,
        ticket: TicketId,
    ) -> store::Result<std::result::Result<Vec<app::protocol::UploadedFile>, domain::Error>> {
        let files = w.claim_files(ids, viewer.id, ticket).await?;
        if files.len() != ids.len() {
            return Ok(Err(domain::Error::Invalid {
                field: "attachments",
                reason: Reason::new("invalid-file-unknown"),
            }));
        }
        let total: u64 = files.iter().map(|f| f.size).sum();
        if total > self.file_limits.max_message_bytes {
            return Ok(Err(domain::Error::Invalid {
                field: "attachments",
                reason: Reason::new("invalid-message-files-too-large")
                    .with("mb", self.file_limits.max_message_bytes / (1024 * 1024)),
            }));
        }
        Ok(Ok(files))
    }
}
