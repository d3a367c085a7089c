//! The call centre: what the telephony system reports of a call, the call as agents see it
//! live, and how an agent ends it.

use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use utoipa::ToSchema;

#[allow(unused_imports)]
use super::*;

/// What happened to a call, as the telephony system reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CallEvent {
    /// The call came in and waits for an agent.
    Ring,
    /// An agent (`agent`: their extension) picked it up.
    Answer,
    /// It ended after it was answered.
    Hangup,
    /// The caller hung up before anyone answered.
    Abandon,
}

impl CallEvent {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            CallEvent::Ring => "ring",
            CallEvent::Answer => "answer",
            CallEvent::Hangup => "hangup",
            CallEvent::Abandon => "abandon",
        }
    }
}

/// `POST /api/calls/events`: one event of a call. Sending the same (call id, event) again
/// changes nothing; events may come out of order (an `answer` with no `ring` before it
/// still makes the call).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct CallReport {
    /// The telephony system's id of the call (Asterisk's `Uniqueid`, say).
    pub call_id: String,
    pub event: CallEvent,
    /// The caller's number (E.164, or as the network gave it).
    pub caller: String,
    /// The number they dialled.
    pub line: String,
    /// `answer`: the extension of the agent who picked up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<String>,
}

/// Where a call stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CallState {
    /// Waiting for an agent.
    Ringing,
    /// An agent is on it.
    Answered,
    /// Over, after an agent answered.
    Ended,
    /// The caller gave up before anyone answered.
    Abandoned,
}

impl CallState {
    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            CallState::Ringing => "ringing",
            CallState::Answered => "answered",
            CallState::Ended => "ended",
            CallState::Abandoned => "abandoned",
        }
    }

    /// The state a stored name stands for.
    pub fn parse(raw: &str) -> Option<Self> {
        [Self::Ringing, Self::Answered, Self::Ended, Self::Abandoned]
            .into_iter()
            .find(|s| s.as_str() == raw)
    }
}

/// A call as the call centre sees it: who calls, on which line, who answered, and whether
/// the agent has ended it with a reason yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct Call {
    pub id: String,
    pub line: String,
    pub caller: String,
    /// The member the number belongs to (made for the number when it was unknown).
    pub member: Person,
    /// The host platform's id of the member, when the account is synced (else the caller is
    /// new: the agent fills in who they are).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    /// The call's request.
    pub ticket_id: TicketId,
    pub state: CallState,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<Person>,
    pub rang_at: Millis,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answered_at: Option<Millis>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_at: Option<Millis>,
    /// The agent ended it with a reason (absent: it still waits on their screen).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl Call {
    /// Answered and not yet ended with a reason by its agent.
    pub fn awaits_end(&self) -> bool {
        self.agent.is_some() && self.reason.is_none()
    }

    /// Over on the line, and still to be ended with a reason by its agent.
    pub fn to_end(&self) -> bool {
        self.awaits_end() && self.state != CallState::Answered
    }

    /// The caller is known by their number alone (no name yet).
    pub fn unknown_caller(&self) -> bool {
        self.external_id.is_none() && self.member.name == self.caller
    }
}

/// `POST /api/calls/events`: the call after the event; `duplicate` when this event had
/// been reported already.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct CallTaken {
    pub call: Call,
    pub duplicate: bool,
}

/// `POST /api/calls/{id}/end`, the `end_call` command: why the call ended, and whether that
/// closes its request or sends it to a queue for the support service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct CallEnd {
    pub reason_id: i64,
    /// Close the request (preset by the reason; the agent may change it).
    pub close: bool,
    /// Where the request goes when it is not closed (required then).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queue_id: Option<QueueId>,
    /// What the call was about, kept as a hidden note of the request.
    #[serde(default)]
    pub description: String,
}

/// `GET /api/calls`, the `calls` snapshot: the calls ringing that this agent may answer,
/// their own calls not yet ended with a reason, and what ending one offers.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct Calls {
    pub calls: Vec<Call>,
    /// The reasons offered, in order (retired ones left out).
    pub reasons: Vec<CallEndReason>,
    /// The queues a request can be sent to (retired ones left out).
    pub queues: Vec<Queue>,
    /// The callback offered to this agent, or the one they are making.
    #[serde(default)]
    pub callbacks: Vec<Callback>,
    /// How many callers wait to be called back.
    #[serde(default)]
    pub callbacks_waiting: i64,
}

/// `GET /api/calls/{id}/card`: what the agent sees of the caller — their account (for a new
/// caller, known only by the number: no `external_id`, no email), their newest purchases,
/// what agents changed in it, and their other open requests.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct CallCard {
    pub call: Call,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<MemberAccount>,
    #[serde(default)]
    pub purchases: Vec<Purchase>,
    /// What agents changed in the account, newest first.
    #[serde(default)]
    pub history: Vec<MemberChange>,
    /// The caller's other requests still open, newest first, each with its last words.
    #[serde(default)]
    pub requests: Vec<TicketSummary>,
}

/// Where a callback stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CallbackState {
    /// In the list, for the next free agent (from `due_at` on).
    Waiting,
    /// Offered to an agent, who has a minute to take it.
    Offered,
    /// The agent took it: the number is being dialled.
    Dialing,
    /// Reached.
    Done,
    /// Given up (by the agent, or after the last try).
    GivenUp,
}

impl CallbackState {
    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            CallbackState::Waiting => "waiting",
            CallbackState::Offered => "offered",
            CallbackState::Dialing => "dialing",
            CallbackState::Done => "done",
            CallbackState::GivenUp => "given_up",
        }
    }

    /// The state a stored name stands for.
    pub fn parse(raw: &str) -> Option<Self> {
        [
            Self::Waiting,
            Self::Offered,
            Self::Dialing,
            Self::Done,
            Self::GivenUp,
        ]
        .into_iter()
        .find(|s| s.as_str() == raw)
    }
}

/// How calling back went, as the agent says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CallbackOutcome {
    /// They spoke with the caller.
    Reached,
    /// Nobody picked up: tried again later, up to the last try.
    NoAnswer,
    /// The caller asked to be called later.
    RetryLater,
    /// Not to be called again.
    GiveUp,
}

impl CallbackOutcome {
    /// Every outcome, in the order agents are offered them.
    pub const ALL: [CallbackOutcome; 4] = [
        CallbackOutcome::Reached,
        CallbackOutcome::NoAnswer,
        CallbackOutcome::RetryLater,
        CallbackOutcome::GiveUp,
    ];

    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            CallbackOutcome::Reached => "reached",
            CallbackOutcome::NoAnswer => "no_answer",
            CallbackOutcome::RetryLater => "retry_later",
            CallbackOutcome::GiveUp => "give_up",
        }
    }

    /// The outcome a stored name stands for.
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }
}

/// A caller who gave up waiting, to be called back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct Callback {
    pub id: i64,
    /// The number to call.
    pub number: String,
    pub member: Person,
    /// The request of the call they gave up on.
    pub ticket_id: TicketId,
    pub state: CallbackState,
    /// Tries made so far.
    pub attempts: i64,
    /// Most tries before it is given up.
    pub max_attempts: i64,
    /// When they gave up waiting.
    pub created_at: Millis,
    /// Not offered before this.
    pub due_at: Millis,
    /// The agent it is offered to, or who is calling.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<Person>,
    /// The telephony system was asked to dial (else the agent dials the number by hand).
    #[serde(default)]
    pub dialed: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<CallbackOutcome>,
}

/// `GET /api/callbacks`: the callback offered to (or being made by) this agent, and how many
/// wait.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct Callbacks {
    pub mine: Vec<Callback>,
    pub waiting: i64,
}

/// `POST /api/callbacks/{id}/outcome`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct CallbackResult {
    pub outcome: CallbackOutcome,
}
