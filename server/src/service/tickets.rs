//! What staff and members do to a ticket besides writing in it: take, release, archive,
//! rate, transfer, assign, split, save its parameters.

use app::protocol::{
    DepartmentId, EventKind, OptionKind, OptionRef, ParameterChange, ParametersRequest,
    RatingMarkId, Role, Seq, TicketId, TicketParams, TicketStatus, UserId, Written,
};
use tracing::instrument;

use crate::domain::Subject;
use crate::{
    domain::{self, Reason, StoredEvent, Viewer},
    store::{self, EventDraft},
};

use super::write::{Change, check_fresh, draft};
use super::{Desk, Result};
use crate::clock::now;

impl Desk {
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
                return Err(domain::Error::State(Reason::new("state-nobody-has-it")));
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
            return Err(domain::Error::State(Reason::new("state-only-member-archives")).into());
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
                return Err(domain::Error::State(Reason::new(
                    "state-only-closed-archived",
                )));
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
            return Err(domain::Error::State(Reason::new("state-only-member-rates")).into());
        }
        let mark = self
            .store
            .rating_marks()
            .await?
            .into_iter()
            .find(|m| m.id == mark)
            .ok_or(domain::Error::Invalid {
                field: "mark_id",
                reason: Reason::new("invalid-no-such-mark"),
            })?;
        if !self.store.has_staff_answer(ticket).await? {
            return Err(domain::Error::State(Reason::new("state-no-answer-yet")).into());
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
        seen: Option<Seq>,
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
            return Err(domain::Error::State(Reason::new("state-already-there")).into());
        }
        self.change_seen(viewer, &record, seen, |holder, _status| {
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

    /// Hands a ticket to a colleague (see `domain::may_assign`); they hold and follow it.
    #[instrument(skip_all, fields(user_id = %viewer.id, ticket_id = %ticket))]
    pub async fn assign(
        &self,
        viewer: &Viewer,
        ticket: TicketId,
        to: UserId,
        seen: Option<Seq>,
    ) -> Result<Written> {
        let record = self.visible_ticket(viewer, ticket).await?;
        if !viewer.role.is_staff() {
            return Err(domain::Error::StaffOnly.into());
        }
        let to = match self.store.viewer(to).await {
            Ok(to) => to,
            Err(store::Error::NotFound) => {
                return Err(domain::Error::Invalid {
                    field: "user_id",
                    reason: Reason::new("invalid-no-such-person"),
                }
                .into());
            }
            Err(other) => return Err(other.into()),
        };
        let department = record.scope.department_id;
        self.change_seen(viewer, &record, seen, |holder, _status| {
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

    /// Staff split a long ticket: the messages and notes from `seq` on (as they read now)
    /// are copied, with their authors and times, into a new ticket of the same member and
    /// department; both tickets say where the conversation went. Answers with the new ticket.
    #[instrument(skip_all, fields(user_id = %viewer.id, ticket_id = %ticket))]
    pub async fn split(
        &self,
        viewer: &Viewer,
        ticket: TicketId,
        seq: Seq,
        seen: Option<Seq>,
    ) -> Result<Written> {
        let record = self.visible_ticket(viewer, ticket).await?;
        if !viewer.role.is_staff() {
            return Err(domain::Error::StaffOnly.into());
        }
        let not_a_message = || domain::Error::Invalid {
            field: "seq",
            reason: Reason::new("invalid-split-at-message"),
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
            return Err(domain::Error::State(Reason::new("state-first-message-stays")).into());
        }
        // The messages and notes to copy, as last edited, without their client ids.
        let mut copies: Vec<StoredEvent> = Vec::new();
        for event in std::iter::once(first).chain(history) {
            match event.kind.clone() {
                EventKind::Message {
                    body,
                    attachments,
                    mail,
                    ..
                } => copies.push(StoredEvent {
                    kind: EventKind::Message {
                        body,
                        client_msg_id: None,
                        attachments,
                        mail,
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
        let subject =
            Subject::made(&format!("{} (continued)", record.summary.subject)).into_string();
        let now = now();
        let mut w = self.store.begin_write().await?;
        let (holder, _status) = w.lock_ticket(ticket).await?;
        domain::write_access(viewer, holder.as_ref())?;
        check_fresh(&mut w, viewer, ticket, seen, domain::Intent::Move).await??;
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
                        form: None,
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
            new_events.push(w.append_copy(new, copied, at).await?);
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
        let subject = Subject::parse_staff(&req.subject)?.into_string();
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
                    reason: Reason::new("invalid-no-such-option")
                        .with("kind", kind.key())
                        .with("id", id),
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
        let intent = domain::Intent::Parameters;
        check_fresh(&mut w, viewer, ticket, req.seen, intent).await??;
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
}
