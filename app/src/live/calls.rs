//! The calls page's part of the live state: calls ringing and the agent's own, as the
//! server says them, and ending a call.

use crate::protocol::{AccountChange, Call, CallEnd, Callback, CallbackOutcome, Command};
use leptos::prelude::*;

#[allow(unused_imports)]
use super::*;

impl Live {
    /// State for the calls page (call-centre agents).
    pub fn for_calls() -> Self {
        Self {
            calling: true,
            ..Self::new(true)
        }
    }

    /// Whether the signed-in person is a call-centre agent.
    pub fn is_agent(self) -> bool {
        self.me
            .with_untracked(|me| me.as_ref().is_some_and(|me| me.extension.is_some()))
    }

    /// How many of this agent's calls are over on the line and wait to be ended with a reason.
    pub fn calls_to_end(self) -> usize {
        let me = self.me.with(|me| me.as_ref().map(|me| me.id));
        self.calls.with(|calls| {
            calls.as_ref().map_or(0, |calls| {
                calls
                    .calls
                    .iter()
                    .filter(|c| c.to_end() && c.agent.as_ref().map(|a| a.id) == me)
                    .count()
            })
        })
    }

    /// A call came in, was answered or ended: it replaces the one held, or joins the list
    /// in the order calls came in.
    pub(super) fn on_call_changed(self, call: Call) {
        self.calls.update(|calls| {
            let Some(calls) = calls.as_mut() else {
                return;
            };
            match calls.calls.iter_mut().find(|c| c.id == call.id) {
                Some(held) => *held = call,
                None => {
                    calls.calls.push(call);
                    calls
                        .calls
                        .sort_by(|a, b| (a.rang_at, &a.id).cmp(&(b.rang_at, &b.id)));
                }
            }
        });
    }

    /// A call left this screen (answered by someone else, given up, or ended here).
    pub(super) fn on_call_gone(self, id: &str) {
        self.calls.update(|calls| {
            if let Some(calls) = calls.as_mut() {
                calls.calls.retain(|c| c.id != id);
            }
        });
    }

    /// Ends call `call_id` as `end` says; the call leaves the screen once it is stored, and
    /// a refusal is told in `notice`.
    pub fn end_call(self, call_id: String, end: CallEnd) {
        let command_id = self.next_command_id();
        self.notice.set(None);
        self.ending.set(Some(command_id));
        self.command(&Command::EndCall {
            command_id,
            call_id,
            end,
        });
    }

    /// Changes the account of the caller on call `call_id`; the card reads it again once it
    /// is stored, and a refusal is told in `notice`.
    pub fn change_account(self, call_id: String, change: AccountChange) {
        let command_id = self.next_command_id();
        self.notice.set(None);
        self.changing.set(Some(command_id));
        self.command(&Command::ChangeAccount {
            command_id,
            call_id,
            client_msg_id: super::new_client_msg_id(),
            change,
        });
    }

    /// Answers one of the caller's requests from their card; the card reads it again once the
    /// answer is stored.
    pub fn reply_from_card(self, ticket_id: crate::protocol::TicketId, body: String) {
        let command_id = self.next_command_id();
        self.notice.set(None);
        self.changing.set(Some(command_id));
        self.command(&Command::SendMessage {
            command_id,
            ticket_id,
            client_msg_id: super::new_client_msg_id(),
            body,
            hidden: false,
            close: false,
            attachments: Vec::new(),
            seen: None,
        });
    }

    /// A callback offered to this agent (or being made by them) changed.
    pub(super) fn on_callback_changed(self, callback: Callback) {
        self.calls.update(|calls| {
            let Some(calls) = calls.as_mut() else {
                return;
            };
            match calls.callbacks.iter_mut().find(|c| c.id == callback.id) {
                Some(held) => *held = callback,
                None => calls.callbacks.push(callback),
            }
        });
    }

    /// A callback left this agent's screen.
    pub(super) fn on_callback_gone(self, id: i64) {
        self.calls.update(|calls| {
            if let Some(calls) = calls.as_mut() {
                calls.callbacks.retain(|c| c.id != id);
            }
        });
    }

    /// Takes the callback offered: the telephony system dials, or the number shows to dial.
    pub fn accept_callback(self, callback_id: i64) {
        self.act(|command_id| Command::AcceptCallback {
            command_id,
            callback_id,
        });
    }

    /// Says how calling back went.
    pub fn record_callback(self, callback_id: i64, outcome: CallbackOutcome) {
        self.act(|command_id| Command::RecordCallback {
            command_id,
            callback_id,
            outcome,
        });
    }
}
