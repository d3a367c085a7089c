//! The signed-in person as their pages know them, with their preferences and the limits
//! that apply to them.

use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use utoipa::ToSchema;

#[allow(unused_imports)]
use super::*;

/// The signed-in person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct Me {
    pub id: UserId,
    pub name: String,
    pub email: String,
    pub role: Role,
    /// Staff: the departments whose tickets they see. Members: the departments they can write to.
    pub departments: Vec<Department>,
    /// Staff: every department, where a ticket can be transferred. Members: empty.
    #[serde(default)]
    pub transfer_targets: Vec<Department>,
    /// The marks answers can be rated with, in order.
    #[serde(default)]
    pub rating_marks: Vec<RatingMark>,
    /// Staff: the canned responses of their departments.
    #[serde(default)]
    pub canned: Vec<CannedResponse>,
    /// Staff: the statuses, criticality levels, categories and related services offered.
    /// Members: the categories and criticality levels their feedback form offers.
    #[serde(default)]
    pub options: Vec<TicketOption>,
    /// Members: their services with the provider, for the form's *related service*.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<MemberService>,
    /// Staff: the queues tickets arrive in (those still offered).
    #[serde(default)]
    pub queues: Vec<Queue>,
    /// Staff: the people a ticket can be assigned to (colleagues of their departments; all
    /// staff for moderators), with the departments each works in.
    #[serde(default)]
    pub staff: Vec<StaffMember>,
    /// Staff: the reply box starts as a hidden note ("hide and don't notify the member").
    #[serde(default)]
    pub notes_by_default: bool,
    /// What files may be sent.
    #[serde(default)]
    pub file_limits: FileLimits,
    /// The language they chose for the interface; `None`: their browser's.
    #[serde(default)]
    pub language: Option<crate::i18n::Lang>,
    /// Members: when their chat answers reach them by mail too.
    #[serde(default)]
    pub mail_replies: MailReplies,
    /// Staff: their phone extension, when they are a call-centre agent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension: Option<String>,
    /// Staff: each department's response targets.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub response_targets: Vec<crate::protocol::ResponseTargets>,
    /// Their own settings of the desk.
    #[serde(default)]
    pub workspace: crate::protocol::Workspace,
}

/// The limits on files the desk is configured with.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct FileLimits {
    /// Largest file, in bytes.
    pub max_file_bytes: u64,
    /// Largest total of the files of one message, in bytes.
    pub max_message_bytes: u64,
}

/// The language a person chooses for the interface (`PUT /api/me/language`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct LanguageRequest {
    pub language: crate::i18n::Lang,
}

/// A person changes their own password (`PUT /api/me/password`): the current one is
/// required; every other session of theirs ends.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct PasswordRequest {
    pub current_password: String,
    pub new_password: String,
}

impl std::fmt::Debug for PasswordRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordRequest(…)")
    }
}

/// A person's preferences (`PUT /api/me/preferences`, the `set_preferences` command).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct Preferences {
    /// Staff: the reply box starts as a hidden note.
    #[serde(default)]
    pub notes_by_default: bool,
    /// Members: when answers on their chat tickets reach them by mail too (absent: as
    /// before).
    #[serde(default)]
    pub mail_replies: Option<MailReplies>,
    /// Their own settings of the desk (absent: as before).
    #[serde(default)]
    pub workspace: Option<crate::protocol::Workspace>,
}

/// When a member's chat answers reach them by mail too — one mail per ticket for a burst of
/// answers, never one per line. Answers on tickets that came by mail always go by mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MailReplies {
    /// When answers are still unread a couple of minutes after they came.
    #[default]
    Away,
    /// Every answer, a couple of minutes after it came (with the ones after it).
    Always,
    /// Never.
    Never,
}

impl MailReplies {
    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            MailReplies::Away => "away",
            MailReplies::Always => "always",
            MailReplies::Never => "never",
        }
    }

    /// The value a stored or posted name stands for.
    pub fn parse(raw: &str) -> Option<Self> {
        [Self::Away, Self::Always, Self::Never]
            .into_iter()
            .find(|m| m.as_str() == raw)
    }
}
