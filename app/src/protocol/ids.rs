//! Identifiers: every id is a newtype, so a ticket id is never taken for a person's.

use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use utoipa::ToSchema;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "ssr", derive(ToSchema))]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// A ticket's number, unique across the desk.
    TicketId
);
id_type!(
    /// A person: member or staff.
    UserId
);
id_type!(
    /// A department (operators belong to one or more).
    DepartmentId
);
id_type!(
    /// A rating mark members rate answers with.
    RatingMarkId
);
id_type!(
    /// A queue: where tickets of a channel arrive.
    QueueId
);
id_type!(
    /// An API token (not its secret).
    TokenId
);
id_type!(
    /// A mailbox mail comes in through.
    MailboxId
);
id_type!(
    /// A host platform's site that embeds the widget.
    SiteId
);
id_type!(
    /// A ticket event's position in that ticket's log, as the reader sees it: 1, 2, 3… with no
    /// holes. Staff and members count in separate sequences, because members never see
    /// staff-only events and must not be able to tell that they exist.
    Seq
);

/// Milliseconds since the Unix epoch (UTC).
pub type Millis = i64;

/// Chosen by the client for every command so that its reply (`ack` or `error`) can be matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
#[serde(transparent)]
pub struct CommandId(pub u64);

/// A client-generated id for a message (or a new conversation). Sending the same id twice
/// stores one message: the second acknowledgement says `duplicate: true`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
#[serde(try_from = "String", into = "String")]
pub struct ClientMsgId(String);

impl ClientMsgId {
    /// The longest id accepted.
    pub const MAX_LEN: usize = 64;

    /// Accepts 1 to 64 characters from `A-Z a-z 0-9 - _`.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let ok_char = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
        if raw.is_empty() || raw.len() > Self::MAX_LEN || !raw.chars().all(ok_char) {
            return Err(format!(
                "client_msg_id must be 1 to {} characters of A-Z, a-z, 0-9, '-' or '_'",
                Self::MAX_LEN
            ));
        }
        Ok(Self(raw.to_owned()))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for ClientMsgId {
    type Error = String;
    fn try_from(raw: String) -> Result<Self, String> {
        Self::parse(&raw)
    }
}

impl From<ClientMsgId> for String {
    fn from(id: ClientMsgId) -> String {
        id.0
    }
}

/// Identifies one in-app notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
#[serde(transparent)]
pub struct NotificationId(pub i64);

/// Identifies a configured ticket option.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
#[serde(transparent)]
pub struct OptionId(pub i64);

impl std::fmt::Display for OptionId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}
