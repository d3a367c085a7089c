//! The use cases: one function per command, shared by HTTP, WebSocket and the CLI.
//!
//! Each checks the rules in `domain`, commits its whole effect through `store` in one
//! transaction, and only then publishes what changed on the `hub`. Callers acknowledge a
//! command only after these functions return, that is, after the commit.

use std::sync::Arc;

use app::protocol::{
    Channel, ClientMsgId, DepartmentId, ErrorCode, EventKind, FileLimits, Me, Notification,
    Notifications, OptionKind, OptionRef, ParameterChange, ParametersRequest, Person, Preferences,
    RatingMarkId, Role, SearchHit, Seq, TicketFilter, TicketId, TicketParams, TicketStatus,
    TicketSummary, UserId, Written, limits,
};
use tracing::{instrument, warn};

use crate::{
    domain::{self, StoredEvent, TicketRecord, TicketScope, Viewer},
    hub::{Hub, HubMsg, Topic},
    store::{self, EventDraft, Store},
};

/// Largest number of tickets a list returns.
pub const LIST_LIMIT: i64 = 500;
/// Largest number of events returned or replayed in one read.
pub const EVENT_PAGE: i64 = 1000;
/// How many of the newest notifications a reader is shown.
pub const NOTIFICATIONS_SHOWN: i64 = 50;

/// A use case failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A rule of the desk refused it.
    #[error(transparent)]
    Rule(#[from] domain::Error),
    /// The store failed; nothing was committed.
    #[error(transparent)]
    Store(#[from] store::Error),
}

impl Error {
    /// The protocol code clients branch on.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::Rule(rule) => rule.code(),
            Error::Store(store::Error::NotFound) => ErrorCode::NotFound,
            Error::Store(store::Error::Unavailable(_)) => ErrorCode::Unavailable,
            Error::Store(_) => ErrorCode::Internal,
        }
    }

    /// A message safe to show the client: rules explain themselves; store failures never
    /// reveal their cause (it is logged instead).
    pub fn public_message(&self) -> String {
        match self {
            Error::Rule(rule) => rule.to_string(),
            Error::Store(store::Error::NotFound) => "not found".into(),
            Error::Store(store::Error::Unavailable(_)) => {
                "the database is unavailable; nothing was stored, please retry".into()
            }
            Error::Store(_) => "an internal error occurred; nothing was stored".into(),
        }
    }
}

/// Result of a use case.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Now, in epoch milliseconds.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// The seq a reader knows an event by.
fn seq_for(viewer: &Viewer, seq: Seq, public_seq: Option<Seq>) -> Seq {
    if viewer.role.is_staff() {
        seq
    } else {
        public_seq.unwrap_or(seq)
    }
}

/// What one state change does to a ticket.
struct Change {
    /// The new holder, when it changes (`Some(None)` releases).
    holder: Option<Option<UserId>>,
    /// The new department, when the ticket moves.
    department: Option<DepartmentId>,
    /// Put the ticket in its member's archive.
    archive: bool,
    /// The event that records the change.
    event: EventKind,
    /// The member-visible position of the event it refers to (an edit's message).
    refers_to: Option<Seq>,
}

/// An event by `viewer`.
fn draft(viewer: &Viewer, kind: EventKind) -> EventDraft {
    EventDraft {
        author: viewer.person(),
        kind,
        client_msg_id: None,
        ref_public_seq: None,
    }
}

/// A message (or hidden note) by `viewer`, carrying the client's id for idempotency.
fn message_draft(
    viewer: &Viewer,
    body: String,
    client_msg_id: &ClientMsgId,
    hidden: bool,
    attachments: Vec<app::protocol::UploadedFile>,
) -> EventDraft {
    let client_msg_id = Some(client_msg_id.clone());
    let kind = if hidden {
        EventKind::Note {
            body,
            client_msg_id: client_msg_id.clone(),
            attachments,
        }
    } else {
        EventKind::Message {
            body,
            client_msg_id: client_msg_id.clone(),
            attachments,
        }
    };
    EventDraft {
        client_msg_id,
        ..draft(viewer, kind)
    }
}

/// A message to post: what the client sent.
#[derive(Debug, Clone)]
pub struct Post<'a> {
    pub client_msg_id: ClientMsgId,
    pub body: &'a str,
    /// Staff: a hidden note.
    pub hidden: bool,
    /// Staff: close the ticket with it.
    pub close: bool,
    /// Ids of files the author uploaded and has not sent yet.
    pub attachments: &'a [String],
}

/// The desk's use cases over one store and one hub; cheap to clone.
#[derive(Clone)]
pub struct Desk {
    pub store: Store,
    pub hub: Hub,
    pub presence: crate::presence::Presence,
    pub staff: crate::availability::Staff,
    pub file_limits: FileLimits,
}

impl Desk {
    /// Who `viewer` is and what they may do, with the desk's file limits.
    pub async fn me(&self, viewer: &Viewer) -> Result<Me> {
        let mut me = self.store.me(viewer).await?;
        me.file_limits = self.file_limits.clone();
        Ok(me)
    }

    /// A ticket `viewer` may see; `TicketNotFound` otherwise, so that nobody learns whether
    /// someone else's ticket exists.
    #[instrument(skip_all, fields(ticket_id = %id))]
    pub async fn visible_ticket(&self, viewer: &Viewer, id: TicketId) -> Result<TicketRecord> {
        match self.store.ticket(id).await {
            Ok(ticket) if domain::can_view(viewer, &ticket.scope) => Ok(ticket),
            Ok(_) | Err(store::Error::NotFound) => Err(domain::Error::TicketNotFound.into()),
            Err(other) => Err(other.into()),
        }
    }

    /// The tickets `viewer`'s list shows: a member's inbox, or staff's board as `filter`
    /// selects (members' lists ignore it).
    #[instrument(skip_all)]
    pub async fn list(&self, viewer: &Viewer, filter: &TicketFilter) -> Result<Vec<TicketSummary>> {
        let records = self
            .store
            .tickets_for(viewer, filter.state, LIST_LIMIT)
            .await?;
        let staff = viewer.role.is_staff();
        Ok(records
            .iter()
            .filter_map(|t| domain::summary_for(viewer, t))
            .filter(|t| !staff || filter.admits(t))
            .collect())
    }

    /// Staff split a long ticket: the messages and notes from `seq` on (as they read now)
    /// are copied, with their authors and times, into a new ticket of the same member and
    /// department; both tickets say where the conversation went. Answers with the new ticket.
    #[instrument(skip_all, fields(user_id = %viewer.id, ticket_id = %ticket))]
    pub async fn split(&self, viewer: &Viewer, ticket: TicketId, seq: Seq) -> Result<Written> {
        let record = self.visible_ticket(viewer, ticket).await?;
        if !viewer.role.is_staff() {
            return Err(domain::Error::StaffOnly.into());
        }
        let not_a_message = || domain::Error::Invalid {
            field: "seq",
            reason: "a ticket is split at a message the member can see".into(),
        };
        let mut history = self
            .history_after(record.scope, Seq(seq.0 - 1))
            .await?
            .into_iter();
        let first = history
            .next()
            .filter(|e| e.seq == seq)
            .ok_or_else(not_a_message)?;
        if !matches!(first.kind, EventKind::Message { .. }) || first.public_seq.is_none() {
            return Err(not_a_message().into());
        }
        let first_public = first.public_seq;
        if first.seq.0 <= 2 {
            return Err(domain::Error::State("the first message cannot be split off").into());
        }
        // The messages and notes to copy, as last edited, without their client ids.
        let mut copies: Vec<StoredEvent> = Vec::new();
        for event in std::iter::once(first).chain(history) {
            match event.kind.clone() {
                EventKind::Message {
                    body, attachments, ..
                } => copies.push(StoredEvent {
                    kind: EventKind::Message {
                        body,
                        client_msg_id: None,
                        attachments,
                    },
                    ..event
                }),
                EventKind::Note {
                    body, attachments, ..
                } => copies.push(StoredEvent {
                    kind: EventKind::Note {
                        body,
                        client_msg_id: None,
                        attachments,
                    },
                    ..event
                }),
                EventKind::Edited {
                    message_seq, body, ..
                } => {
                    let copy = copies.iter_mut().find(|c| c.seq == message_seq);
                    if let Some(
                        EventKind::Message { body: old, .. } | EventKind::Note { body: old, .. },
                    ) = copy.map(|c| &mut c.kind)
                    {
                        *old = body;
                    }
                }
                _ => {}
            }
        }
        let subject = domain::subject(&format!("{} (continued)", record.summary.subject), "")
            .unwrap_or_else(|_| record.summary.subject.clone());
        let now = now();
        let mut w = self.store.begin_write().await?;
        let (holder, _status) = w.lock_ticket(ticket).await?;
        domain::write_access(viewer, holder.as_ref())?;
        let scope = record.scope;
        let new = w
            .create_ticket(
                scope.member_id,
                scope.department_id,
                &subject,
                record.summary.channel,
                record.summary.queue.as_ref().map(|q| q.id),
                now,
            )
            .await?;
        let department = record.summary.department.clone();
        let mut new_events = vec![
            w.append_event(
                new,
                draft(
                    viewer,
                    EventKind::Created {
                        subject: subject.clone(),
                        department,
                    },
                ),
                now,
            )
            .await?,
            w.append_event(
                new,
                draft(
                    viewer,
                    EventKind::SplitFrom {
                        ticket,
                        subject: record.summary.subject.clone(),
                    },
                ),
                now,
            )
            .await?,
        ];
        for copy in copies {
            let Some(author) = copy.author else { continue };
            let at = copy.at;
            let copied = EventDraft {
                author,
                kind: copy.kind,
                client_msg_id: None,
                ref_public_seq: None,
            };
            new_events.push(w.append_event(new, copied, at).await?);
        }
        let split_off = EventDraft {
            ref_public_seq: first_public,
            ..draft(
                viewer,
                EventKind::SplitOff {
                    ticket: new,
                    message_seq: seq,
                    subject,
                },
            )
        };
        let original = w.append_event(ticket, split_off, now).await?;
        w.commit().await?;
        self.publish(new_events, None).await;
        self.publish(vec![original], None).await;
        Ok(Written {
            ticket_id: new,
            seq: Seq(0),
            duplicate: false,
        })
    }

    /// Staff save a ticket's subject and options; nothing is sent to the member. A status on
    /// the other side closes or reopens the ticket.
    #[instrument(skip_all, fields(user_id = %viewer.id, ticket_id = %ticket))]
    pub async fn save_parameters(
        &self,
        viewer: &Viewer,
        ticket: TicketId,
        req: &ParametersRequest,
    ) -> Result<Written> {
        let record = self.visible_ticket(viewer, ticket).await?;
        if !viewer.role.is_staff() {
            return Err(domain::Error::StaffOnly.into());
        }
        let subject = domain::staff_subject(&req.subject)?;
        let options = self.store.ticket_options(true).await?;
        let mut wanted = TicketParams::default();
        let mut side = None;
        for kind in OptionKind::ALL {
            let Some(id) = req.get(kind) else { continue };
            let option = options
                .iter()
                .find(|o| o.id == id && o.kind == kind)
                .ok_or_else(|| domain::Error::Invalid {
                    field: kind.as_str(),
                    reason: format!("there is no {} {id}", kind.label().to_lowercase()),
                })?;
            if kind == OptionKind::Status {
                side = option.side;
            }
            wanted.set(
                kind,
                Some(OptionRef {
                    id,
                    label: option.label.clone(),
                }),
            );
        }
        let mut w = self.store.begin_write().await?;
        let (holder, status) = w.lock_ticket(ticket).await?;
        domain::write_access(viewer, holder.as_ref())?;
        let current = w.ticket(ticket).await?.summary;
        let mut changes = Vec::new();
        if current.subject != subject {
            changes.push(ParameterChange {
                field: "subject".into(),
                from: Some(current.subject.clone()),
                to: Some(subject.clone()),
            });
        }
        for kind in OptionKind::ALL {
            let (from, to) = (current.params.get(kind), wanted.get(kind));
            if from.map(|o| o.id) != to.map(|o| o.id) {
                changes.push(ParameterChange {
                    field: kind.as_str().into(),
                    from: from.map(|o| o.label.clone()),
                    to: to.map(|o| o.label.clone()),
                });
            }
        }
        if changes.is_empty() {
            return Ok(Written {
                ticket_id: ticket,
                seq: record.summary.last_seq,
                duplicate: true,
            });
        }
        let ids = OptionKind::ALL.map(|k| wanted.get(k).map(|o| o.id));
        w.set_params(ticket, &subject, ids).await?;
        let mut events = vec![
            w.append_event(
                ticket,
                draft(viewer, EventKind::ParametersChanged { changes }),
                now(),
            )
            .await?,
        ];
        if let Some(side) = side.filter(|s| *s != status) {
            w.set_status(ticket, side).await?;
            let kind = match side {
                TicketStatus::Open => EventKind::Reopened,
                TicketStatus::Closed => EventKind::Closed,
            };
            events.push(w.append_event(ticket, draft(viewer, kind), now()).await?);
        }
        w.commit().await?;
        let last = events.last().map_or(record.summary.last_seq, |e| e.seq);
        self.publish(events, None).await;
        Ok(Written {
            ticket_id: ticket,
            seq: last,
            duplicate: false,
        })
    }

    /// Full-text search over the subjects, messages and (for staff) notes `viewer` may see.
    #[instrument(skip_all, fields(user_id = %viewer.id))]
    pub async fn search(&self, viewer: &Viewer, query: &str) -> Result<Vec<SearchHit>> {
        let terms = domain::search_terms(query)?;
        Ok(self
            .store
            .search(viewer, &terms, limits::SEARCH_HITS as i64)
            .await?)
    }

    /// Events of a visible ticket after `since`, in `viewer`'s numbering.
    #[instrument(skip_all, fields(ticket_id = %scope.id))]
    pub async fn events_after(
        &self,
        viewer: &Viewer,
        scope: TicketScope,
        since: Seq,
    ) -> Result<Vec<StoredEvent>> {
        Ok(self
            .store
            .events_after(scope, viewer.role.is_staff(), since, EVENT_PAGE)
            .await?)
    }

    /// Every staff-visible event of a ticket after `since`, read page by page: for the rules
    /// that need a ticket's whole tail (splitting, finding a message's last edit).
    async fn history_after(&self, scope: TicketScope, since: Seq) -> Result<Vec<StoredEvent>> {
        let mut events = Vec::new();
        let mut last = since;
        loop {
            let page = self
                .store
                .events_after(scope, true, last, EVENT_PAGE)
                .await?;
            let full = page.len() as i64 == EVENT_PAGE;
            last = page.last().map_or(last, |e| e.seq);
            events.extend(page);
            if !full {
                return Ok(events);
            }
        }
    }

    /// Where an earlier write with this client id landed, in `viewer`'s numbering. It is
    /// announced again: the node that stored it may have died before telling anyone, and
    /// readers ignore what they already have.
    async fn earlier_write(&self, viewer: &Viewer, id: &ClientMsgId) -> Result<Option<Written>> {
        let Some((ticket_id, seq, public_seq)) = self.store.find_client_msg(viewer.id, id).await?
        else {
            return Ok(None);
        };
        match self.store.event_at(ticket_id, seq).await {
            Ok(event) => self.publish(vec![event], None).await,
            Err(err) => warn!(ticket_id = %ticket_id, error = %err, "could not announce again"),
        }
        Ok(Some(Written {
            ticket_id,
            seq: seq_for(viewer, seq, public_seq),
            duplicate: true,
        }))
    }

    /// A member opens a conversation in `department` with its first message.
    #[instrument(skip_all, fields(user_id = %viewer.id))]
    pub async fn start_ticket(
        &self,
        viewer: &Viewer,
        department: DepartmentId,
        subject: &str,
        first: Post<'_>,
    ) -> Result<Written> {
        if viewer.role != Role::Member {
            return Err(domain::Error::OnlyMembersStart.into());
        }
        let Post {
            client_msg_id,
            body,
            attachments,
            ..
        } = first;
        let attachments = domain::attachment_ids(attachments)?;
        let body = domain::message_body(body)?;
        let subject = domain::subject(subject, &body)?;
        if let Some(earlier) = self.earlier_write(viewer, &client_msg_id).await? {
            return Ok(earlier);
        }
        let department = match self.store.department(department).await {
            Ok(d) => d,
            Err(store::Error::NotFound) => return Err(domain::Error::DepartmentNotFound.into()),
            Err(other) => return Err(other.into()),
        };
        if !self
            .store
            .public_departments()
            .await?
            .contains(&department.id)
        {
            return Err(domain::Error::DepartmentNotFound.into());
        }
        let now = now();
        let written = async {
            let mut w = self.store.begin_write().await?;
            let ticket = w
                .create_ticket(viewer.id, department.id, &subject, Channel::Chat, None, now)
                .await?;
            let created = EventKind::Created {
                subject: subject.clone(),
                department: department.clone(),
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
                    message_draft(viewer, body, &client_msg_id, false, files),
                    now,
                )
                .await?;
            w.place_files(&attachments, ticket, message.seq).await?;
            w.commit().await?;
            Ok::<_, store::Error>(Ok(vec![created, message]))
        }
        .await;
        self.finish_rule_write(viewer, &client_msg_id, written)
            .await
    }

    /// Takes `viewer`'s unsent files `ids` for a message of `ticket`, within the write `w`;
    /// refused when one is unknown, someone else's or already sent, or when together they
    /// pass the per-message limit.
    async fn claim_files(
        &self,
        w: &mut store::WriteTx,
        ids: &[String],
        viewer: &Viewer,
        ticket: TicketId,
    ) -> store::Result<std::result::Result<Vec<app::protocol::UploadedFile>, domain::Error>> {
        let files = w.claim_files(ids, viewer.id, ticket).await?;
        if files.len() != ids.len() {
            return Ok(Err(domain::Error::Invalid {
                field: "attachments",
                reason: "a file is unknown, not yours, or already sent".into(),
            }));
        }
        let total: u64 = files.iter().map(|f| f.size).sum();
        if total > self.file_limits.max_message_bytes {
            return Ok(Err(domain::Error::Invalid {
                field: "attachments",
                reason: format!(
                    "the files of one message are at most {} MB together",
                    self.file_limits.max_message_bytes / (1024 * 1024)
                ),
            }));
        }
        Ok(Ok(files))
    }

    /// Finishes a write that a rule may have refused inside its transaction.
    async fn finish_rule_write(
        &self,
        viewer: &Viewer,
        client_msg_id: &ClientMsgId,
        written: store::Result<std::result::Result<Vec<StoredEvent>, domain::Error>>,
    ) -> Result<Written> {
        match written {
            Ok(Err(rule)) => Err(rule.into()),
            Ok(Ok(events)) => self.finish_write(viewer, client_msg_id, Ok(events)).await,
            Err(err) => self.finish_write(viewer, client_msg_id, Err(err)).await,
        }
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
        } = post;
        let record = self.visible_ticket(viewer, ticket).await?;
        if (hidden || close) && !viewer.role.is_staff() {
            return Err(domain::Error::StaffOnly.into());
        }
        let attachments = domain::attachment_ids(attachments)?;
        let body = if attachments.is_empty() || !body.trim().is_empty() {
            domain::message_body(body)?
        } else {
            String::new()
        };
        if let Some(earlier) = self.earlier_write(viewer, &client_msg_id).await? {
            return Ok(earlier);
        }
        let id = record.scope.id;
        let written = async {
            let now = now();
            let mut w = self.store.begin_write().await?;
            let (holder, status) = w.lock_ticket(id).await?;
            let access = domain::write_access(viewer, holder.as_ref());
            let mut events = Vec::new();
            match access {
                Ok(domain::WriteAccess::Takes) => {
                    w.set_assignee(id, Some(viewer.id)).await?;
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
            let files = match self.claim_files(&mut w, &attachments, viewer, id).await? {
                Ok(files) => files,
                Err(rule) => return Ok(Err(rule)),
            };
            let message = message_draft(viewer, body, &client_msg_id, hidden, files);
            let message = w.append_event(id, message, now).await?;
            w.place_files(&attachments, id, message.seq).await?;
            events.push(message);
            if close {
                w.set_status(id, TicketStatus::Closed).await?;
                w.set_assignee(id, None).await?;
                events.push(
                    w.append_event(id, draft(viewer, EventKind::Closed), now)
                        .await?,
                );
            }
            w.commit().await?;
            Ok::<_, store::Error>(Ok(events))
        }
        .await;
        self.finish_rule_write(viewer, &client_msg_id, written)
            .await
    }

    /// Staff take (lock) a ticket. Taking one's own ticket again changes nothing.
    #[instrument(skip_all, fields(user_id = %viewer.id, ticket_id = %ticket))]
    pub async fn take(&self, viewer: &Viewer, ticket: TicketId) -> Result<Written> {
        let record = self.visible_ticket(viewer, ticket).await?;
        if !viewer.role.is_staff() {
            return Err(domain::Error::StaffOnly.into());
        }
        self.change(
            viewer,
            &record,
            |holder, _status| match domain::write_access(viewer, holder.as_ref())? {
                domain::WriteAccess::Takes => Ok(Some(Change {
                    holder: Some(Some(viewer.id)),
                    department: None,
                    archive: false,
                    event: EventKind::Taken,
                    refers_to: None,
                })),
                _ => Ok(None),
            },
        )
        .await
    }

    /// The holder, or a moderator, releases a ticket.
    #[instrument(skip_all, fields(user_id = %viewer.id, ticket_id = %ticket))]
    pub async fn release(&self, viewer: &Viewer, ticket: TicketId) -> Result<Written> {
        let record = self.visible_ticket(viewer, ticket).await?;
        self.change(viewer, &record, |holder, _status| {
            let Some(holder) = holder else {
                return Err(domain::Error::State("nobody has taken this ticket"));
            };
            domain::may_release(viewer, holder.id)?;
            Ok(Some(Change {
                holder: Some(None),
                department: None,
                archive: false,
                event: EventKind::Released {
                    holder: Some(holder),
                },
                refers_to: None,
            }))
        })
        .await
    }

    /// A member puts a closed ticket in their archive.
    #[instrument(skip_all, fields(user_id = %viewer.id, ticket_id = %ticket))]
    pub async fn archive(&self, viewer: &Viewer, ticket: TicketId) -> Result<Written> {
        let record = self.visible_ticket(viewer, ticket).await?;
        if viewer.role != Role::Member {
            return Err(domain::Error::State("only the member archives their tickets").into());
        }
        if record.summary.archived {
            return Ok(Written {
                ticket_id: ticket,
                seq: record.last_public_seq,
                duplicate: true,
            });
        }
        self.change(viewer, &record, |_holder, status| {
            if status != TicketStatus::Closed {
                return Err(domain::Error::State("only a closed ticket can be archived"));
            }
            Ok(Some(Change {
                holder: None,
                department: None,
                archive: true,
                event: EventKind::Archived,
                refers_to: None,
            }))
        })
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
        let body = domain::message_body(body)?;
        let target = match self.store.event_at(ticket, seq).await {
            Ok(event) => event,
            Err(store::Error::NotFound) => {
                return Err(domain::Error::Invalid {
                    field: "seq",
                    reason: "no such message".into(),
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
                    reason: "only messages and notes can be edited".into(),
                }
                .into());
            }
        };
        if target.author.as_ref().map(|a| a.id) != Some(viewer.id) {
            return Err(domain::Error::State("only its author can edit a message").into());
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

    /// A member rates support's answer on their ticket (again to change their mind).
    #[instrument(skip_all, fields(user_id = %viewer.id, ticket_id = %ticket))]
    pub async fn rate(
        &self,
        viewer: &Viewer,
        ticket: TicketId,
        mark: RatingMarkId,
    ) -> Result<Written> {
        let record = self.visible_ticket(viewer, ticket).await?;
        if viewer.role != Role::Member {
            return Err(domain::Error::State("only the member rates the answer").into());
        }
        let mark = self
            .store
            .rating_marks()
            .await?
            .into_iter()
            .find(|m| m.id == mark)
            .ok_or(domain::Error::Invalid {
                field: "mark_id",
                reason: "no such rating mark".into(),
            })?;
        if !self.store.has_staff_answer(ticket).await? {
            return Err(domain::Error::State("there is no answer to rate yet").into());
        }
        self.change(viewer, &record, |_holder, _status| {
            Ok(Some(Change {
                holder: None,
                department: None,
                archive: false,
                event: EventKind::Rated { mark },
                refers_to: None,
            }))
        })
        .await
    }

    /// Staff move a ticket to another department's queue; it is released there.
    #[instrument(skip_all, fields(user_id = %viewer.id, ticket_id = %ticket))]
    pub async fn transfer(
        &self,
        viewer: &Viewer,
        ticket: TicketId,
        department: DepartmentId,
    ) -> Result<Written> {
        let record = self.visible_ticket(viewer, ticket).await?;
        if !viewer.role.is_staff() {
            return Err(domain::Error::StaffOnly.into());
        }
        let to = match self.store.department(department).await {
            Ok(d) => d,
            Err(store::Error::NotFound) => return Err(domain::Error::DepartmentNotFound.into()),
            Err(other) => return Err(other.into()),
        };
        let from = record.summary.department.clone();
        if from.id == to.id {
            return Err(domain::Error::State("the ticket is already in that department").into());
        }
        self.change(viewer, &record, |holder, _status| {
            domain::write_access(viewer, holder.as_ref())?;
            Ok(Some(Change {
                holder: Some(None),
                department: Some(to.id),
                archive: false,
                event: EventKind::Transferred { from, to },
                refers_to: None,
            }))
        })
        .await
    }

    /// One state change under the ticket's row lock: `decide` sees the holder and status and
    /// says what changes, or `None` when there is nothing to do.
    async fn change(
        &self,
        viewer: &Viewer,
        record: &TicketRecord,
        decide: impl FnOnce(Option<Person>, TicketStatus) -> Result<Option<Change>, domain::Error>,
    ) -> Result<Written> {
        let id = record.scope.id;
        let mut w = self.store.begin_write().await?;
        let (holder, status) = w.lock_ticket(id).await?;
        let Some(Change {
            holder: new_holder,
            department,
            archive,
            event: kind,
            refers_to,
        }) = decide(holder, status)?
        else {
            let seq = if viewer.role.is_staff() {
                record.summary.last_seq
            } else {
                record.last_public_seq
            };
            return Ok(Written {
                ticket_id: id,
                seq,
                duplicate: true,
            });
        };
        let mut now_following = None;
        if let Some(new_holder) = new_holder {
            w.set_assignee(id, new_holder).await?;
            // Whoever holds a ticket follows it.
            if let Some(holder) = new_holder
                && w.follow(id, holder, true, now()).await?
            {
                now_following = Some(holder);
            }
        }
        if archive {
            w.set_archived(id).await?;
        }
        // Whoever passes a ticket to a department they do not work in keeps it, to go on
        // talking with the member there.
        let keeps = department.filter(|d| {
            viewer.role.is_staff()
                && !viewer.sees_all_departments()
                && !viewer.departments.contains(d)
        });
        if let Some(department) = department {
            w.set_department(id, department).await?;
        }
        if keeps.is_some() {
            w.keep_ticket(id, viewer.id).await?;
        }
        let change = EventDraft {
            ref_public_seq: refers_to,
            ..draft(viewer, kind)
        };
        let event = w.append_event(id, change, now()).await?;
        w.commit().await?;
        let answer = Written {
            ticket_id: id,
            seq: seq_for(viewer, event.seq, event.public_seq),
            duplicate: false,
        };
        let moved_from = department.map(|_| record.scope.department_id);
        if keeps.is_some() {
            // Their sockets learn they keep it before they hear that it moved.
            self.hub.publish(Topic::User(viewer.id), HubMsg::MeChanged);
        }
        self.publish(vec![event], moved_from).await;
        if let Some(user) = now_following {
            self.hub
                .publish(Topic::User(user), HubMsg::Following(id, true));
        }
        Ok(answer)
    }

    /// After a write: publish what committed, or, when a concurrent retry of the same client
    /// id won the race, answer as a duplicate.
    async fn finish_write(
        &self,
        viewer: &Viewer,
        client_msg_id: &ClientMsgId,
        written: store::Result<Vec<StoredEvent>>,
    ) -> Result<Written> {
        let events = match written {
            Ok(events) => events,
            Err(store::Error::Conflict(_)) => {
                // The write that won may still be waiting for its group's commit.
                self.store.synced().await?;
                return self
                    .earlier_write(viewer, client_msg_id)
                    .await?
                    .ok_or_else(|| store::Error::Conflict("client_msg_id".into()).into());
            }
            Err(other) => return Err(other.into()),
        };
        let Some(last) = events.last() else {
            return Err(store::Error::NotFound.into());
        };
        let answer = Written {
            ticket_id: last.scope.id,
            seq: seq_for(viewer, last.seq, last.public_seq),
            duplicate: false,
        };
        self.publish(events, None).await;
        Ok(answer)
    }

    /// Publishes committed events of one ticket, then its new state for lists (also to the
    /// department it left, when it moved).
    async fn publish(&self, events: Vec<StoredEvent>, moved_from: Option<DepartmentId>) {
        let Some(id) = events.first().map(|e| e.scope.id) else {
            return;
        };
        let mut notified = Vec::new();
        for event in events {
            let event = Arc::new(event);
            if !event.notified.is_empty() {
                notified.push(event.clone());
            }
            self.hub
                .publish_committed(Topic::Ticket(id), HubMsg::Event(event))
                .await;
        }
        let record = self.publish_ticket(id, moved_from).await;
        if let Some(record) = record {
            for event in notified {
                let text = domain::notification_text(&event.kind).unwrap_or_default();
                for (notification, user) in &event.notified {
                    let notification = Notification {
                        id: *notification,
                        ticket_id: id,
                        subject: record.summary.subject.clone(),
                        seq: event.seq,
                        at: event.at,
                        author: event.author.clone(),
                        text: text.clone(),
                        read: false,
                    };
                    self.hub
                        .publish_committed(
                            Topic::User(*user),
                            HubMsg::Notification(Arc::new(notification)),
                        )
                        .await;
                }
            }
        }
        self.hub.flushed().await;
    }

    /// Tells every list that shows this ticket about its new state.
    async fn publish_ticket(
        &self,
        id: TicketId,
        moved_from: Option<DepartmentId>,
    ) -> Option<Arc<TicketRecord>> {
        match self.store.ticket(id).await {
            Ok(record) => {
                let record = Arc::new(record);
                let mut topics = vec![
                    Topic::Ticket(id),
                    Topic::Inbox(record.scope.member_id),
                    Topic::Department(record.scope.department_id),
                ];
                topics.extend(moved_from.map(Topic::Department));
                for topic in topics {
                    self.hub
                        .publish_committed(topic, HubMsg::Ticket(record.clone()))
                        .await;
                }
                Some(record)
            }
            // The change is committed and the ticket topic has it; lists catch up on their
            // next snapshot.
            Err(err) => {
                warn!(ticket_id = %id, error = %err, "could not publish ticket summary");
                None
            }
        }
    }

    /// Tells the ticket's screens, and its department's boards, who has it open now — here
    /// and on the other nodes.
    pub fn publish_presence(&self, snapshots: Vec<crate::presence::Snapshot>) {
        for snapshot in snapshots {
            let snapshot = Arc::new(snapshot);
            self.hub.publish(
                Topic::Ticket(snapshot.scope.id),
                HubMsg::Presence(snapshot.clone()),
            );
            self.hub.publish_local(
                Topic::Department(snapshot.scope.department_id),
                HubMsg::Presence(snapshot),
            );
        }
    }

    /// Tells every screen, here and on the other nodes, who of staff is available now.
    pub fn publish_availability(&self, changed: Option<Vec<app::protocol::StaffStatus>>) {
        if let Some(all) = changed {
            let local = self.staff.local();
            self.hub.publish(
                Topic::Everyone,
                HubMsg::Availability(Arc::new((all, local))),
            );
        }
    }

    /// The same, on this node only (for what another node said).
    pub fn publish_presence_here(&self, snapshots: Vec<crate::presence::Snapshot>) {
        for snapshot in snapshots {
            let snapshot = Arc::new(snapshot);
            let topics = [
                Topic::Ticket(snapshot.scope.id),
                Topic::Department(snapshot.scope.department_id),
            ];
            for topic in topics {
                self.hub
                    .publish_local(topic, HubMsg::Presence(snapshot.clone()));
            }
        }
    }

    /// A member has read their ticket up to `seq`; staff reads are not tracked.
    #[instrument(skip_all, fields(user_id = %viewer.id, ticket_id = %ticket))]
    pub async fn mark_read(&self, viewer: &Viewer, ticket: TicketId, seq: Seq) -> Result<()> {
        let record = self.visible_ticket(viewer, ticket).await?;
        if viewer.role != Role::Member {
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

    /// Hands a ticket to a colleague (see `domain::may_assign`); they hold and follow it.
    #[instrument(skip_all, fields(user_id = %viewer.id, ticket_id = %ticket))]
    pub async fn assign(&self, viewer: &Viewer, ticket: TicketId, to: UserId) -> Result<Written> {
        let record = self.visible_ticket(viewer, ticket).await?;
        if !viewer.role.is_staff() {
            return Err(domain::Error::StaffOnly.into());
        }
        let to = match self.store.viewer(to).await {
            Ok(to) => to,
            Err(store::Error::NotFound) => {
                return Err(domain::Error::Invalid {
                    field: "user_id",
                    reason: "there is no such person".into(),
                }
                .into());
            }
            Err(other) => return Err(other.into()),
        };
        let department = record.scope.department_id;
        self.change(viewer, &record, |holder, _status| {
            domain::may_assign(viewer, holder.as_ref(), department, &to)?;
            Ok(Some(Change {
                holder: Some(Some(to.id)),
                department: None,
                archive: false,
                event: EventKind::Assigned {
                    from: holder,
                    to: to.person(),
                },
                refers_to: None,
            }))
        })
        .await
    }

    /// Staff follow (or stop following) a ticket they may see.
    #[instrument(skip_all, fields(user_id = %viewer.id, ticket_id = %ticket))]
    pub async fn follow(&self, viewer: &Viewer, ticket: TicketId, follow: bool) -> Result<()> {
        self.visible_ticket(viewer, ticket).await?;
        if !viewer.role.is_staff() {
            return Err(domain::Error::StaffOnly.into());
        }
        let mut w = self.store.begin_write().await?;
        let changed = w.follow(ticket, viewer.id, follow, now()).await?;
        w.commit().await?;
        if changed {
            self.hub
                .publish(Topic::User(viewer.id), HubMsg::Following(ticket, follow));
        }
        Ok(())
    }

    /// Staff's notifications, newest first.
    #[instrument(skip_all, fields(user_id = %viewer.id))]
    pub async fn notifications(&self, viewer: &Viewer) -> Result<Notifications> {
        if !viewer.role.is_staff() {
            return Err(domain::Error::StaffOnly.into());
        }
        Ok(self
            .store
            .notifications(viewer, NOTIFICATIONS_SHOWN)
            .await?)
    }

    /// Marks staff's notifications read: one ticket's, or all.
    #[instrument(skip_all, fields(user_id = %viewer.id))]
    pub async fn read_notifications(
        &self,
        viewer: &Viewer,
        ticket: Option<TicketId>,
    ) -> Result<()> {
        if !viewer.role.is_staff() {
            return Err(domain::Error::StaffOnly.into());
        }
        let mut w = self.store.begin_write().await?;
        let changed = w.read_notifications(viewer.id, ticket).await?;
        w.commit().await?;
        if changed > 0 {
            self.hub
                .publish(Topic::User(viewer.id), HubMsg::NotificationsRead(ticket));
        }
        Ok(())
    }

    /// Stores a person's preferences; every screen of theirs hears of it.
    #[instrument(skip_all, fields(user_id = %viewer.id))]
    pub async fn set_preferences(&self, viewer: &Viewer, preferences: &Preferences) -> Result<()> {
        if !viewer.role.is_staff() {
            return Err(domain::Error::StaffOnly.into());
        }
        self.store.set_preferences(viewer.id, preferences).await?;
        self.hub.publish(Topic::User(viewer.id), HubMsg::MeChanged);
        Ok(())
    }
}
