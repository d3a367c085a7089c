//! Notifications of what happens to followed tickets, and lines worded from the catalogues.

use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use utoipa::ToSchema;

#[allow(unused_imports)]
use super::*;

/// Something happened to a ticket its reader follows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct Notification {
    pub id: NotificationId,
    pub ticket_id: TicketId,
    pub subject: String,
    /// The event, in staff numbering.
    pub seq: Seq,
    pub at: Millis,
    pub author: Option<Person>,
    /// What happened, in one line, in English ("New message: …", "Transferred to Billing").
    pub text: String,
    /// The same line as a message of the catalogues, for pages to word in their language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub said: Option<Said>,
    pub read: bool,
}

/// A line as a message of the catalogues (`locales/*/*.ftl`): its key and its arguments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct Said {
    pub key: String,
    pub args: Vec<(String, String)>,
}

impl Said {
    /// The line in `lang` (a number argument counts as a number, for plural forms; a phone
    /// number such as `+79161234501` stays as written).
    pub fn text(&self, lang: crate::i18n::Lang) -> String {
        let args: Vec<_> = self
            .args
            .iter()
            .map(|(name, value)| {
                let number = value
                    .parse::<i64>()
                    .ok()
                    .filter(|_| !value.starts_with('+'));
                let value = number.map_or_else(
                    || crate::i18n::FluentValue::from(value.as_str()),
                    crate::i18n::FluentValue::from,
                );
                (name.as_str(), value)
            })
            .collect();
        crate::i18n::text(lang, &self.key, &args)
    }
}

/// `GET /api/notifications`: the newest notifications, how many are unread, and the tickets
/// followed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct Notifications {
    pub items: Vec<Notification>,
    pub unread: i64,
    pub following: Vec<TicketId>,
}
