//! Why something failed: a code clients branch on, and a message people read.

use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use utoipa::ToSchema;

#[allow(unused_imports)]
use super::*;

/// Why a command or request failed. Clients branch on this, never on the message text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// Not signed in, or the session has ended.
    Unauthorized,
    /// Signed in but not allowed.
    Forbidden,
    /// No such thing, or not yours to see.
    NotFound,
    /// A field has a wrong value.
    Invalid,
    /// Someone else has taken the ticket; the message names them.
    Locked,
    /// Not possible in the ticket's present state (e.g. archiving an open ticket).
    Conflict,
    /// The request or frame could not be read.
    Malformed,
    /// The frame's `type` is not a known command.
    UnknownCommand,
    /// Over a size limit.
    TooLarge,
    /// The database is unreachable, or the server is too busy for this now: retry later
    /// (after `retry_after_ms` when given), nothing was stored.
    Unavailable,
    /// Too many attempts or commands: wait `retry_after_ms`, then try again. A socket stays
    /// open.
    RateLimited,
    /// The action was decided on an old view of the ticket: something arrived since the
    /// event it said it had seen (listed in `news`). Nothing was done; sending again with
    /// the newer `seen` does it.
    Stale,
    /// An unexpected failure: nothing was stored.
    Internal,
}

/// Every error body: `{code, message}`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct ErrorBody {
    pub code: ErrorCode,
    pub message: String,
    /// How long to wait before trying again (also sent as `Retry-After`, in seconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after_ms: Option<u64>,
    /// `stale`: what arrived since the event the action said it had seen.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub news: Vec<TicketEvent>,
    /// `invalid`: the field whose value was refused (`subject`, `service`, `answer_by`…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}
