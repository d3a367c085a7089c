//! What the server says: each event applied to the page's state.

use crate::protocol::{
    ClientMsgId, Command, CommandId, ErrorCode, Notification, Seq, TicketEvent, TicketId,
    TicketSummary, Topic,
};
use leptos::prelude::*;
use std::collections::HashMap;

#[allow(unused_imports)]
use super::*;

impl Live {
    /// Applies one event from the server.
    pub fn apply(self, event: crate::protocol::Event) {
        use crate::protocol::Event;
        match event {
            Event::Hello { me, .. } => {
                self.me.set(Some(me));
                self.on_hello();
            }
            Event::Tickets { tickets, .. } => {
                self.tickets.set(tickets);
                self.tickets_loaded.set(true);
            }
            Event::TicketRemoved { ticket_id } => {
                self.tickets
                    .update(|list| list.retain(|t| t.id != ticket_id));
                self.open.update(|open| {
                    if let Some(open) = open.as_mut().filter(|o| o.id == ticket_id) {
                        open.error = Some(crate::i18n::t!(
                            self.lang.get_untracked(),
                            "ticket-moved-away"
                        ));
                    }
                });
            }
            Event::TicketChanged { ticket } => {
                self.on_ticket_changed(ticket);
                // Unread counts arrive after the events they count.
                self.mark_read_if_needed();
            }
            Event::TicketOpened { ticket } => self.open.update(|open| {
                if let Some(open) = open.as_mut().filter(|o| o.id == ticket.id) {
                    if ticket.last_seq < open.last_seq {
                        // The server's log is behind what we hold: start over from it.
                        open.events.clear();
                        open.last_seq = Seq(0);
                    }
                    open.summary = Some(ticket);
                    open.error = None;
                }
            }),
            Event::TicketEvent { event } => self.on_ticket_event(event),
            Event::CaughtUp { ticket_id, .. } => {
                self.open.update(|open| {
                    if let Some(open) = open.as_mut().filter(|o| o.id == ticket_id) {
                        open.caught_up = true;
                    }
                });
                self.mark_read_if_needed();
            }
            Event::Drafts { ticket_id, drafts } => {
                self.drafts.set(Some((ticket_id, drafts)));
            }
            Event::Ack {
                command_id,
                ticket_id,
                ..
            } => self.on_ack(command_id, ticket_id),
            Event::Error {
                code,
                message,
                command_id,
                field,
                ..
            } => self.on_error(code, message, command_id, field),
            Event::SearchResults {
                command_id, hits, ..
            } => self.search.update(|s| {
                if let Some(s) = s.as_mut().filter(|s| s.command_id == Some(command_id)) {
                    s.hits = Some(hits);
                }
            }),
            Event::MemberProfile {
                command_id,
                profile,
            } => self.on_profile(command_id, *profile),
            // The statistics page has its figures with the page; nothing here asks.
            Event::Statistics { .. } => {}
            Event::Diagnosis {
                command_id,
                diagnosis,
            } => {
                self.on_diagnosis(command_id, Ok(diagnosis));
            }
            Event::Done { command_id } => {
                self.on_profile_answer(command_id, None);
            }
            Event::Pong { .. } => {}
            Event::Availability { staff } => self.availability.set(staff),
            Event::SupportOnline { departments } => self.support_online.set(Some(departments)),
            Event::QueuePlaces { places } => self.places.set(places),
            Event::Presence { ticket_id, present } => self.presence.update(|all| {
                if present.is_empty() {
                    all.remove(&ticket_id);
                } else {
                    all.insert(ticket_id, present);
                }
            }),
            Event::AdminState { state, .. } => {
                self.admin.set(Some(state));
                self.notice.set(None);
                self.admin_saved.set(self.admin_changing.get_untracked());
                self.admin_changing.set(false);
            }
            Event::Calls { calls } => self.calls.set(Some(calls)),
            Event::CallChanged { call } => self.on_call_changed(call),
            Event::CallGone { call_id } => self.on_call_gone(&call_id),
            Event::CallbackChanged { callback } => self.on_callback_changed(callback),
            Event::CallbackGone { callback_id } => self.on_callback_gone(callback_id),
            Event::CallbacksWaiting { count } => self.calls.update(|calls| {
                if let Some(calls) = calls.as_mut() {
                    calls.callbacks_waiting = count;
                }
            }),
            Event::Notifications { notifications } => {
                self.notifications.set(notifications.items);
                self.unread.set(notifications.unread);
                self.following
                    .set(notifications.following.into_iter().collect());
                if let Some(id) = self.open.with_untracked(|o| o.as_ref().map(|o| o.id)) {
                    self.read_notifications_of(id);
                }
            }
            Event::Notification { notification } => self.on_notification(notification),
            Event::NotificationsRead { ticket_id } => self.on_notifications_read(ticket_id),
            Event::Following {
                ticket_id,
                following,
            } => self.following.update(|set| {
                if following {
                    set.insert(ticket_id);
                } else {
                    set.remove(&ticket_id);
                }
            }),
            Event::MeChanged { me } => {
                let moved = self.me.with_untracked(|old| {
                    old.as_ref()
                        .is_none_or(|old| old.departments != me.departments)
                });
                self.me.set(Some(me));
                // New departments bring their tickets: read the list again.
                if moved && !self.administering {
                    self.subscribe_list();
                }
            }
        }
    }

    pub(super) fn on_hello(self) {
        #[cfg(feature = "hydrate")]
        self.reset_backoff();
        self.link.set(Link::Online);
        if self.administering {
            self.act(|command_id| Command::Admin {
                command_id,
                action: None,
            });
            return;
        }
        if self.calling {
            self.ending.set(None);
            self.command(&Command::Subscribe {
                topic: Topic::Calls,
                since: None,
                filter: None,
            });
            self.command(&Command::Subscribe {
                topic: Topic::Notifications,
                since: None,
                filter: None,
            });
            return;
        }
        self.subscribe_list();
        if self.staff {
            self.command(&Command::Subscribe {
                topic: Topic::Notifications,
                since: None,
                filter: None,
            });
        }
        // An agent's every page reminds them of a call they have not ended.
        if self.staff && self.is_agent() {
            self.command(&Command::Subscribe {
                topic: Topic::Calls,
                since: None,
                filter: None,
            });
        }
        // Presence is told afresh by the snapshots that follow; a new socket starts online.
        self.presence.set(HashMap::new());
        if self.away.get_untracked() {
            self.command(&Command::SetAway { away: true });
        }
        if let Some((id, last)) = self
            .open
            .with_untracked(|o| o.as_ref().map(|o| (o.id, o.last_seq)))
        {
            self.command_subscribe_ticket(id, Some(last));
            self.say_presence(false);
        }
        let unsent: Vec<ClientMsgId> = self.pending.with_untracked(|list| {
            list.iter()
                .filter(|p| p.delivery == Delivery::Sending)
                .map(|p| p.client_msg_id.clone())
                .collect()
        });
        for id in unsent {
            self.transmit_pending(&id);
        }
        if self
            .starting
            .with_untracked(|s| s.as_ref().is_some_and(|s| s.delivery == Delivery::Sending))
        {
            self.transmit_start();
        }
        // A search whose answer the lost connection took: ask again.
        if let Some(query) = self.search.with_untracked(|s| {
            s.as_ref()
                .filter(|s| s.hits.is_none())
                .map(|s| s.query.clone())
        }) {
            self.search.set(None);
            self.search_for(&query);
        }
    }

    pub(super) fn on_ticket_changed(self, ticket: TicketSummary) {
        self.open
            .update(|open| state::summary_changed(open, &ticket));
        let (staff, filter) = (self.staff, self.filter.get_untracked());
        let known = !self.tickets_loaded.get_untracked()
            || self
                .tickets
                .with_untracked(|list| list.iter().any(|t| t.id == ticket.id));
        if !known {
            self.on_new_ticket(&ticket);
        }
        self.tickets
            .update(|list| state::list_changed(list, ticket, staff, &filter));
    }

    pub(super) fn on_ticket_event(self, event: TicketEvent) {
        let mut accepted = None;
        self.open
            .update(|open| accepted = state::log_event(open, event));
        if let Some(id) = accepted {
            // Our own message is back from the log: it is no longer pending.
            self.pending
                .update(|list| list.retain(|p| p.client_msg_id != id));
        }
        self.mark_read_if_needed();
    }

    pub(super) fn on_ack(self, command_id: CommandId, ticket_id: TicketId) {
        if self.ending.get_untracked() == Some(command_id) {
            self.ending.set(None);
        }
        if self.changing.get_untracked() == Some(command_id) {
            self.changing.set(None);
            self.account_version.update(|v| *v += 1);
        }
        self.pending.update(|list| {
            if let Some(p) = list.iter_mut().find(|p| p.command_id == command_id) {
                p.delivery = Delivery::Sent;
            }
        });
        let started = self
            .starting
            .with_untracked(|s| s.as_ref().is_some_and(|s| s.command_id == command_id));
        if started {
            self.starting.set(None);
            self.started.set(Some(ticket_id));
        }
        if self.splitting.get_untracked() == Some(command_id) {
            self.splitting.set(None);
            self.started.set(Some(ticket_id));
        }
    }

    pub(super) fn on_error(
        self,
        code: ErrorCode,
        message: String,
        command_id: Option<CommandId>,
        field: Option<String>,
    ) {
        if command_id.is_some() && self.ending.get_untracked() == command_id {
            self.ending.set(None);
        }
        if command_id.is_some() && self.changing.get_untracked() == command_id {
            self.changing.set(None);
        }
        if let Some(id) = command_id
            && (self.on_profile_answer(id, Some(&message))
                || self.on_diagnosis(id, Err(message.clone())))
        {
            return;
        }
        let searching = command_id.is_some()
            && self
                .search
                .with_untracked(|s| s.as_ref().is_some_and(|s| s.command_id == command_id));
        if searching {
            self.search.update(|s| {
                if let Some(s) = s.as_mut() {
                    s.hits = Some(Vec::new());
                    s.error = Some(message);
                }
            });
            return;
        }
        if let Some(command_id) = command_id {
            let known = self
                .pending
                .with_untracked(|list| list.iter().any(|p| p.command_id == command_id))
                || self
                    .starting
                    .with_untracked(|s| s.as_ref().is_some_and(|s| s.command_id == command_id));
            if !known {
                // A refused action (take, release, archive): say why beside the ticket.
                self.notice.set(Some(message));
                return;
            }
            self.pending.update(|list| {
                if let Some(p) = list.iter_mut().find(|p| p.command_id == command_id) {
                    p.delivery = if code == ErrorCode::Stale {
                        Delivery::Stale(message.clone())
                    } else {
                        Delivery::Failed(message.clone())
                    };
                }
            });
            self.starting.update(|s| {
                if let Some(s) = s.as_mut().filter(|s| s.command_id == command_id) {
                    s.delivery = Delivery::Failed(message.clone());
                    s.field = field;
                }
            });
            return;
        }
        if matches!(code, ErrorCode::NotFound | ErrorCode::Forbidden) {
            self.open.update(|open| {
                if let Some(open) = open.as_mut().filter(|o| o.summary.is_none()) {
                    open.error = Some(crate::i18n::t!(
                        self.lang.get_untracked(),
                        "conversation-not-found"
                    ));
                }
            });
        }
    }

    pub(super) fn on_notification(self, notification: Notification) {
        let on_screen = self
            .open
            .with_untracked(|o| o.as_ref().is_some_and(|o| o.id == notification.ticket_id));
        let ticket_id = notification.ticket_id;
        let fresh = !self
            .notifications
            .with_untracked(|list| list.iter().any(|n| n.id == notification.id));
        if !fresh {
            return;
        }
        if !notification.read {
            self.unread.update(|u| *u += 1);
            if !on_screen {
                let lang = self.lang.get_untracked();
                let line = notification
                    .said
                    .as_ref()
                    .map_or_else(|| notification.text.clone(), |s| s.text(lang));
                self.alert(super::alerts::Alert {
                    title: format!("{}: {line}", notification.subject),
                    ticket: ticket_id,
                });
            }
        }
        self.notifications.update(|list| {
            list.insert(0, notification);
            list.truncate(NOTIFICATIONS_KEPT);
        });
        if on_screen {
            self.read_notifications_of(ticket_id);
        }
    }

    pub(super) fn on_notifications_read(self, ticket_id: Option<TicketId>) {
        let mut newly_read = 0;
        self.notifications.update(|list| {
            for n in list
                .iter_mut()
                .filter(|n| !n.read && ticket_id.is_none_or(|t| t == n.ticket_id))
            {
                n.read = true;
                newly_read += 1;
            }
        });
        match ticket_id {
            None => self.unread.set(0),
            Some(_) => self.unread.update(|u| *u = (*u - newly_read).max(0)),
        }
    }

    /// A member who sees new staff messages on screen has read them; staff who see what a
    /// member wrote have looked at the ticket.
    pub(crate) fn mark_read_if_needed(self) {
        if !self.shown.get_untracked() {
            return;
        }
        let Some((id, seq)) = self.open.with_untracked(|o| {
            o.as_ref()
                .filter(|o| o.caught_up)
                .map(|o| (o.id, o.last_seq))
        }) else {
            return;
        };
        if self.staff {
            let mut new = false;
            self.tickets.update(|list| {
                if let Some(t) = list.iter_mut().find(|t| t.id == id && t.new_to_me()) {
                    t.seen_at = t.member_wrote_at;
                    new = true;
                }
            });
            if new {
                self.command(&crate::protocol::Command::MarkRead { ticket_id: id, seq });
            }
            return;
        }
        let unread = self
            .tickets
            .with_untracked(|list| list.iter().any(|t| t.id == id && t.unread > 0));
        if unread {
            self.command(&crate::protocol::Command::MarkRead { ticket_id: id, seq });
        }
    }

    pub(super) fn transmit_pending(self, client_msg_id: &ClientMsgId) {
        let command_id = self.next_command_id();
        let mut frame = None;
        self.pending.update(|list| {
            if let Some(p) = list.iter_mut().find(|p| &p.client_msg_id == client_msg_id) {
                p.command_id = command_id;
                frame = Some(crate::protocol::Command::SendMessage {
                    command_id,
                    ticket_id: p.ticket_id,
                    client_msg_id: p.client_msg_id.clone(),
                    body: p.body.clone(),
                    hidden: p.hidden,
                    close: p.close,
                    attachments: p.attachments.iter().map(|f| f.id.clone()).collect(),
                    seen: p.seen,
                });
            }
        });
        if let Some(frame) = frame {
            self.command(&frame);
        }
    }

    pub(super) fn transmit_start(self) {
        let command_id = self.next_command_id();
        let mut frame = None;
        self.starting.update(|s| {
            if let Some(s) = s.as_mut() {
                s.command_id = command_id;
                s.delivery = Delivery::Sending;
                frame = Some(crate::protocol::Command::StartTicket {
                    command_id,
                    client_msg_id: s.client_msg_id.clone(),
                    department_id: s.department_id,
                    subject: s.subject.clone(),
                    body: s.body.clone(),
                    attachments: s.attachments.iter().map(|f| f.id.clone()).collect(),
                    form: s.form.clone(),
                });
            }
        });
        if let Some(frame) = frame {
            self.command(&frame);
        }
    }
}
