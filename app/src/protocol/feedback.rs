//! The feedback form: what a member fills in beyond department, subject and description, and
//! how they want the answer.

use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use utoipa::ToSchema;

#[allow(unused_imports)]
use super::*;

/// How the author of a feedback form wants the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AnswerBy {
    /// In the personal account's chat (and by mail as their mail setting says).
    #[default]
    Here,
    /// In the chat, with a mail at once confirming the request was received.
    Confirmation,
    /// Every answer by mail as well, at once.
    Email,
}

impl AnswerBy {
    /// Every choice, in the order the form offers them.
    pub const ALL: [AnswerBy; 3] = [AnswerBy::Here, AnswerBy::Confirmation, AnswerBy::Email];

    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            AnswerBy::Here => "here",
            AnswerBy::Confirmation => "confirmation",
            AnswerBy::Email => "email",
        }
    }

    /// Reads a stored name.
    pub fn parse(raw: &str) -> Option<Self> {
        AnswerBy::ALL.into_iter().find(|a| a.as_str() == raw)
    }

    /// Its words in the catalogues (`answer-by-email`…).
    pub fn key(self) -> &'static str {
        match self {
            AnswerBy::Here => "answer-by-here",
            AnswerBy::Confirmation => "answer-by-confirmation",
            AnswerBy::Email => "answer-by-email",
        }
    }

    /// Whether it needs an address the member can be mailed at.
    pub fn mails(self) -> bool {
        self != AnswerBy::Here
    }
}

/// The feedback form's own fields, sent with `POST /api/tickets` (or `start_ticket`) as
/// `form`: the ticket arrives in the Feedback-form channel's queue.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct FeedbackFields {
    /// One of the member's own services (its id, as `Me.services` gives it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    /// One of the offered categories.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<OptionId>,
    /// One of the offered criticality levels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub criticality: Option<OptionId>,
    #[serde(default)]
    pub answer_by: AnswerBy,
}

/// The form as its member sent it, kept with the ticket's `created` event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct FeedbackForm {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<MemberService>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<OptionRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub criticality: Option<OptionRef>,
    pub answer_by: AnswerBy,
}

/// `PUT /api/tickets/{id}/answer-by` (and the `set_answer_by` command): how the member wants
/// their ticket answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct AnswerByRequest {
    pub answer_by: AnswerBy,
}

/// Where a member's ticket waiting for its first answer stands (`GET /api/places`, and the
/// `queue_places` event, live as the line moves).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct QueuePlace {
    pub ticket_id: TicketId,
    pub department_id: DepartmentId,
    /// 1: next to be answered in its department. 0: an operator has taken it.
    pub place: i64,
    /// About how many minutes until the first answer: the department's recent median time
    /// to a first answer, less what the ticket has waited. Absent when too few tickets were
    /// answered lately to tell.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimate_mins: Option<i64>,
}
