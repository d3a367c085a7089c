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
}

/// `GET /api/calls/{id}/card`: what the agent sees of the caller — their account when the
/// host platform synced it (absent: a new caller, known only by the number), and their
/// newest purchases.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct CallCard {
    pub call: Call,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<MemberAccount>,
    #[serde(default)]
    pub purchases: Vec<Purchase>,
}
