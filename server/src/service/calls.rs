//! The call centre: the telephony system reports calls (`ring`, `answer`, `hangup`,
//! `abandon`, each taken once); every call is a request in the Phone queue of its caller (a
//! member made for an unknown number); agents see calls ringing live and their own until
//! they end them with a reason, which closes the request or sends it to a queue.

use std::sync::Arc;

use app::i18n;
use app::protocol::{
    Call, CallEnd, CallEvent, CallReport, CallState, CallTaken, Calls, Channel, EventKind, Queue,
    Role, TicketId, TicketStatus, UserId, Written,
};
use tracing::instrument;

use super::{Desk, Result, write::draft};
use crate::{
    clock::now,
    domain::{self, Reason, StoredEvent, Viewer, calls as rules, calls::CallRecord},
    hub::{HubMsg, Topic},
    store::{self, NewCall},
};

fn invalid(field: &'static str, reason: Reason) -> super::Error {
    domain::Error::Invalid { field, reason }.into()
}

fn refused(key: &'static str) -> super::Error {
    domain::Error::State(Reason::new(key)).into()
}

/// What one report changed.
struct Reported {
    events: Vec<StoredEvent>,
}

impl Desk {
    /// Whether `viewer` is a call-centre agent: staff with a phone extension.
    pub async fn is_agent(&self, viewer: &Viewer) -> Result<bool> {
        Ok(viewer.role.is_staff() && self.store.extension_of(viewer.id).await?.is_some())
    }

    /// Refuses anyone but a call-centre agent.
    pub(super) async fn require_agent(&self, viewer: &Viewer) -> Result<()> {
        let agent = self.is_agent(viewer).await?;
        if domain::may_work_calls(viewer, agent) {
            Ok(())
        } else {
            Err(domain::Error::AgentsOnly.into())
        }
    }

    /// Takes in one event of a call from the telephony system (`viewer`: an administrator's
    /// token in practice). The same (call id, event) again changes nothing.
    #[instrument(skip_all, fields(call_id = %report.call_id, event = report.event.as_str()))]
    pub async fn report_call(&self, viewer: &Viewer, report: CallReport) -> Result<CallTaken> {
        if !domain::may_report_calls(viewer) {
            return Err(domain::Error::AdministratorsOnly.into());
        }
        let id = rules::call_id(&report.call_id)?;
        let line = rules::line(&report.line)?;
        let caller = rules::caller(&report.caller)?;
        let agent = match (report.event, report.agent.as_deref()) {
            (CallEvent::Answer, Some(raw)) => Some(self.agent_named(raw).await?),
            (CallEvent::Answer, None) => {
                return Err(invalid("agent", Reason::new("invalid-extension")));
            }
            _ => None,
        };
        let (record, created) = match self.store.call(&id).await? {
            Some(record) => (record, Vec::new()),
            None => {
                self.call_came_in(&id, &line, &caller, None, CallState::Ringing)
                    .await?
            }
        };
        let fresh = !created.is_empty();
        let changed = self.apply(&record, report.event, agent.as_ref()).await?;
        let duplicate = !fresh && changed.events.is_empty();
        let mut events = created;
        events.extend(changed.events);
        if !events.is_empty() {
            self.publish(events, None).await;
        }
        let record = self.store.call(&id).await?.ok_or(store::Error::NotFound)?;
        if !duplicate {
            self.publish_call(&record);
            if record.call.state == CallState::Abandoned && record.call.ended_at.is_some() {
                self.keep_callback(&record).await?;
            }
        }
        Ok(CallTaken {
            call: record.call,
            duplicate,
        })
    }

    /// The agent whose extension is `raw`.
    async fn agent_named(&self, raw: &str) -> Result<Viewer> {
        let extension = rules::extension(raw)
            .map_err(|_| invalid("agent", Reason::new("invalid-extension")))?;
        let no_one = || {
            invalid(
                "agent",
                Reason::new("invalid-no-such-agent").with("extension", &extension),
            )
        };
        let id = self
            .store
            .agent_by_extension(&extension)
            .await?
            .ok_or_else(no_one)?;
        self.viewer(id).await?.ok_or_else(no_one)
    }

    /// A call not seen before: its caller (`member`, or the one who holds the number, or a
    /// member made for an unknown number), its request in the Phone queue, and the call
    /// itself — one transaction. A report of the same call racing this one wins or loses
    /// whole.
    pub(super) async fn call_came_in(
        &self,
        id: &str,
        line: &str,
        caller: &str,
        member: Option<UserId>,
        state: CallState,
    ) -> Result<(CallRecord, Vec<StoredEvent>)> {
        let department = self.phone_department().await?;
        let known = match member {
            Some(member) => Some(member),
            None => self.store.member_by_phone(caller).await?,
        };
        let subject = i18n::text(self.language, "call-subject", &[("caller", caller.into())]);
        let now = now();
        let written = async {
            let mut w = self.store.begin_write().await?;
            let member = match known {
                Some(member) => member,
                None => {
                    let member = w
                        .insert_employee(
                            &rules::phone_address(caller),
                            caller,
                            Role::Member,
                            crate::passwords::NO_PASSWORD,
                            now,
                        )
                        .await?;
                    w.claim_phone(member, caller).await?;
                    member
                }
            };
            let ticket = w
                .create_ticket(member, department.id, &subject, Channel::Phone, None, now)
                .await?;
            w.insert_call(&NewCall {
                id,
                line,
                caller,
                member,
                ticket,
                state,
                at: now,
            })
            .await?;
            let person = app::protocol::Person {
                id: member,
                name: caller.to_owned(),
                role: Role::Member,
            };
            let created = EventKind::Created {
                subject: subject.clone(),
                department: department.clone(),
                form: None,
            };
            let rang = EventKind::Call {
                call_id: id.to_owned(),
                event: CallEvent::Ring,
                caller: caller.to_owned(),
                line: line.to_owned(),
                seconds: None,
            };
            let mut events = Vec::new();
            for kind in [created, rang] {
                events.push(w.append_event(ticket, draft_by(&person, kind), now).await?);
            }
            w.commit().await?;
            Ok::<_, store::Error>(events)
        }
        .await;
        let events = match written {
            Ok(events) => events,
            // The same call reported at the same moment: the other report made it.
            Err(store::Error::Conflict(_)) => Vec::new(),
            Err(err) => return Err(err.into()),
        };
        let record = self.store.call(id).await?.ok_or(store::Error::NotFound)?;
        Ok((record, events))
    }

    /// The department calls' requests belong to: the one the settings name, else the first.
    async fn phone_department(&self) -> Result<app::protocol::Department> {
        let all = self.store.departments().await?;
        let named = self
            .phone
            .department
            .as_deref()
            .and_then(|name| all.iter().find(|d| d.name == name).cloned());
        let mut by_id = all.clone();
        by_id.sort_by_key(|d| d.id.0);
        named
            .or_else(|| by_id.into_iter().next())
            .ok_or_else(|| domain::Error::DepartmentNotFound.into())
    }

    /// What `event` does to the call: each is taken once, whatever came before it.
    async fn apply(
        &self,
        record: &CallRecord,
        event: CallEvent,
        agent: Option<&Viewer>,
    ) -> Result<Reported> {
        let call = &record.call;
        let ticket = record.scope.id;
        let now = now();
        let mut w = self.store.begin_write().await?;
        let mut events = Vec::new();
        let said = |event, seconds| EventKind::Call {
            call_id: call.id.clone(),
            event,
            caller: call.caller.clone(),
            line: call.line.clone(),
            seconds,
        };
        match (event, agent) {
            // A call the voice menu served reaches the agents' queue.
            (CallEvent::Ring, _) => {
                if w.ring_again(&call.id).await? {
                    w.lock_ticket(ticket).await?;
                    let caller = &call.member;
                    events.push(
                        w.append_event(ticket, draft_by(caller, said(CallEvent::Ring, None)), now)
                            .await?,
                    );
                }
            }
            (CallEvent::Answer, Some(agent)) => {
                if w.answer_call(&call.id, agent.id, now).await? {
                    let (holder, _) = w.lock_ticket(ticket).await?;
                    events.push(
                        w.append_event(ticket, draft(agent, said(CallEvent::Answer, None)), now)
                            .await?,
                    );
                    // The agent on the call holds its request, as one who took it.
                    if holder.is_none() {
                        w.set_assignee(ticket, Some(agent.id), now).await?;
                        w.follow(ticket, agent.id, true, now).await?;
                        events.push(
                            w.append_event(ticket, draft(agent, EventKind::Taken), now)
                                .await?,
                        );
                    }
                }
            }
            (CallEvent::Answer, None) => {}
            (CallEvent::Hangup | CallEvent::Abandon, _) => {
                // A call nobody answered was given up, whichever word the system used.
                let answered = call.answered_at.is_some();
                let (state, said_event, seconds) = if answered {
                    let talked = (now - call.answered_at.unwrap_or(now)).max(0) / 1000;
                    (CallState::Ended, CallEvent::Hangup, Some(talked))
                } else {
                    (CallState::Abandoned, CallEvent::Abandon, None)
                };
                if w.end_call(&call.id, state, now).await? {
                    w.lock_ticket(ticket).await?;
                    let caller = &call.member;
                    events.push(
                        w.append_event(ticket, draft_by(caller, said(said_event, seconds)), now)
                            .await?,
                    );
                }
            }
        }
        w.commit().await?;
        Ok(Reported { events })
    }

    /// Tells every calls screen, on every node, that a call changed.
    fn publish_call(&self, record: &CallRecord) {
        self.hub
            .publish(Topic::Calls, HubMsg::Call(Arc::new(record.clone())));
    }

    /// The calls `viewer` (an agent) has on their screen: ringing ones they may answer,
    /// their own until they end them.
    #[instrument(skip_all, fields(user_id = %viewer.id))]
    pub async fn calls(&self, viewer: &Viewer) -> Result<Calls> {
        self.require_agent(viewer).await?;
        let calls = self
            .store
            .open_calls()
            .await?
            .iter()
            .filter_map(|record| domain::call_for(viewer, true, record))
            .collect();
        let reasons = self
            .store
            .call_end_reasons()
            .await?
            .into_iter()
            .filter(|r| !r.retired)
            .collect();
        let queues = self.store.queues().await?;
        let (callbacks, callbacks_waiting) = self.callbacks_of(viewer).await?;
        Ok(Calls {
            calls,
            reasons,
            queues,
            callbacks,
            callbacks_waiting,
        })
    }

    /// Call `id` as `viewer` may see it on their calls screen.
    pub async fn call(&self, viewer: &Viewer, id: &str) -> Result<Call> {
        self.require_agent(viewer).await?;
        self.store
            .call(id)
            .await?
            .and_then(|record| domain::call_for(viewer, true, &record))
            .ok_or_else(|| store::Error::NotFound.into())
    }

    /// The agent who answered call `id` ends it: why, a description kept as a hidden note,
    /// and the request closed or sent to a queue for the support service. Ending it again
    /// with the same reason changes nothing.
    #[instrument(skip_all, fields(user_id = %viewer.id, call_id = %id))]
    pub async fn end_call(&self, viewer: &Viewer, id: &str, end: CallEnd) -> Result<Written> {
        self.require_agent(viewer).await?;
        let record = self
            .store
            .call(&rules::call_id(id)?)
            .await?
            .ok_or(store::Error::NotFound)?;
        if record.call.agent.is_none() {
            return Err(refused("state-call-not-answered"));
        }
        if !domain::may_end_call(viewer, true, &record.call) {
            return Err(refused("state-not-your-call"));
        }
        let reason = self
            .store
            .call_end_reason(end.reason_id)
            .await?
            .filter(|r| !r.retired)
            .ok_or_else(|| invalid("reason_id", Reason::new("invalid-no-such-reason")))?;
        let description = rules::description(&end.description)?;
        let queue = if end.close {
            None
        } else {
            let wanted = end.queue_id;
            let queue = self
                .store
                .queues()
                .await?
                .into_iter()
                .find(|q| Some(q.id) == wanted)
                .ok_or_else(|| invalid("queue_id", Reason::new("invalid-queue-required")))?;
            Some(queue)
        };
        let ticket = record.scope.id;
        if let Some(ended) = &record.call.reason {
            return if *ended == reason.label {
                self.last_written(viewer, ticket).await
            } else {
                Err(refused("state-call-ended"))
            };
        }
        let events = self
            .wrap_up(viewer, &record, &reason, queue, &description)
            .await?;
        let Some(events) = events else {
            // Ended at the same moment on another screen.
            return self.last_written(viewer, ticket).await;
        };
        let last = events.last().map_or(app::protocol::Seq(0), |e| e.seq);
        self.publish(events, None).await;
        if let Some(record) = self.store.call(&record.call.id).await? {
            self.publish_call(&record);
        }
        // The agent is free again: a callback may be theirs.
        self.offer_callbacks(false).await?;
        Ok(Written {
            ticket_id: ticket,
            seq: last,
            duplicate: false,
        })
    }

    /// The answer to a write that wrote nothing: the ticket's last event, as a duplicate.
    pub(super) async fn last_written(&self, viewer: &Viewer, ticket: TicketId) -> Result<Written> {
        let record = self.store.ticket(ticket).await?;
        Ok(Written {
            ticket_id: ticket,
            seq: domain::Numbering::of(viewer).last(&record),
            duplicate: true,
        })
    }

    /// Ends the call in one transaction; `None` when someone ended it first.
    async fn wrap_up(
        &self,
        viewer: &Viewer,
        record: &CallRecord,
        reason: &app::protocol::CallEndReason,
        queue: Option<Queue>,
        description: &str,
    ) -> Result<Option<Vec<StoredEvent>>> {
        let ticket = record.scope.id;
        let now = now();
        let mut w = self.store.begin_write().await?;
        if !w.wrap_call(&record.call.id, reason.id, now).await? {
            return Ok(None);
        }
        let (holder, status) = w.lock_ticket(ticket).await?;
        let mut events = Vec::new();
        let ended = EventKind::CallEnded {
            call_id: record.call.id.clone(),
            reason: reason.label.clone(),
            queue: queue.clone(),
        };
        events.push(w.append_event(ticket, draft(viewer, ended), now).await?);
        if !description.is_empty() {
            let note = EventKind::Note {
                body: description.to_owned(),
                client_msg_id: None,
                attachments: Vec::new(),
            };
            events.push(w.append_event(ticket, draft(viewer, note), now).await?);
        }
        match queue {
            None if status == TicketStatus::Open => {
                w.set_status(ticket, TicketStatus::Closed).await?;
                events.push(
                    w.append_event(ticket, draft(viewer, EventKind::Closed), now)
                        .await?,
                );
            }
            None => {}
            Some(queue) => {
                w.set_queue(ticket, queue.id).await?;
                // The support service picks it up from the queue: nobody holds it now.
                if holder.is_some() {
                    w.set_assignee(ticket, None, now).await?;
                    let released = EventKind::Released { holder: None };
                    events.push(w.append_event(ticket, draft(viewer, released), now).await?);
                }
            }
        }
        w.commit().await?;
        Ok(Some(events))
    }
}

/// An event by `person` (the caller, for what the telephony system says they did).
fn draft_by(person: &app::protocol::Person, kind: EventKind) -> store::EventDraft {
    store::EventDraft {
        author: person.clone(),
        kind,
        client_msg_id: None,
        ref_public_seq: None,
    }
}

/// Newest purchases a call's card shows.
const CARD_PURCHASES: i64 = 10;
/// Most changes of the account a call's card shows.
const CARD_HISTORY: i64 = 20;
/// Most of the caller's other open requests a call's card shows.
const CARD_REQUESTS: usize = 5;

impl Desk {
    /// The card of call `id`, as `viewer` (an agent who sees the call) reads it.
    #[instrument(skip_all, fields(user_id = %viewer.id, call_id = %id))]
    pub async fn call_card(&self, viewer: &Viewer, id: &str) -> Result<app::protocol::CallCard> {
        let call = self.call(viewer, id).await?;
        let member = call.member.id;
        let mut account = self.store.member_account(member).await?;
        if !rules::deliverable(&account.email) {
            account.email = String::new();
        }
        let purchases = self
            .store
            .purchases(member, i64::MIN, i64::MAX, None, CARD_PURCHASES)
            .await?;
        let history = self.store.member_history(member, CARD_HISTORY).await?;
        let filter = app::protocol::TicketFilter {
            member: Some(member),
            ..Default::default()
        };
        let requests = self
            .list(viewer, &filter)
            .await?
            .into_iter()
            .filter(|t| t.id != call.ticket_id)
            .take(CARD_REQUESTS)
            .collect();
        Ok(app::protocol::CallCard {
            call,
            account: Some(account),
            purchases,
            history,
            requests,
        })
    }
}
