//! The use cases: one function per command, shared by HTTP, WebSocket and the CLI.
//!
//! Each checks the rules in `domain`, commits its whole effect through `store` in one
//! transaction, and only then publishes what changed on the `hub`. Callers acknowledge a
//! command only after these functions return, that is, after the commit.

pub mod admin;
mod background;
pub mod demo;
mod files;
mod follows;
mod messages;
mod people;
pub use people::NewPerson;
mod publish;
mod reads;
mod screens;
mod tickets;
mod write;

use app::i18n::{self, Lang};
use app::protocol::{ClientMsgId, ErrorCode, FileLimits};

use crate::{
    domain::{self},
    hub::{Hub, availability::Staff, presence::Presence},
    store::{self, Store},
};

/// Largest number of tickets a list returns.
pub const LIST_LIMIT: i64 = 500;
/// Largest number of events returned or replayed in one read.
pub const EVENT_PAGE: i64 = 1000;
/// How many of the newest notifications a reader is shown.
pub const NOTIFICATIONS_SHOWN: i64 = 50;

/// A use case failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A rule of the desk refused it.
    #[error(transparent)]
    Rule(#[from] domain::Error),
    /// The store failed; nothing was committed.
    #[error(transparent)]
    Store(#[from] store::Error),
}

impl Error {
    /// The protocol code clients branch on.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::Rule(rule) => rule.code(),
            Error::Store(store::Error::NotFound) => ErrorCode::NotFound,
            Error::Store(store::Error::Unavailable(_)) => ErrorCode::Unavailable,
            Error::Store(_) => ErrorCode::Internal,
        }
    }

    /// A message safe to show the client, in `lang`: rules explain themselves; store
    /// failures never reveal their cause (it is logged instead).
    pub fn public_message(&self, lang: Lang) -> String {
        let key = match self {
            Error::Rule(rule) => return rule.message(lang),
            Error::Store(store::Error::NotFound) => "error-not-found",
            Error::Store(store::Error::Unavailable(_)) => "error-unavailable",
            Error::Store(_) => "error-internal",
        };
        i18n::text(lang, key, &[])
    }
}

/// Result of a use case.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A message to post: what the client sent.
#[derive(Debug, Clone)]
pub struct Post<'a> {
    pub client_msg_id: ClientMsgId,
    pub body: &'a str,
    /// Staff: a hidden note.
    pub hidden: bool,
    /// Staff: close the ticket with it.
    pub close: bool,
    /// Ids of files the author uploaded and has not sent yet.
    pub attachments: &'a [String],
}

/// The desk's use cases over one store and one hub; cheap to clone. Its parts are private:
/// a transport can only call a use case.
#[derive(Clone)]
pub struct Desk {
    store: Store,
    hub: Hub,
    presence: Presence,
    staff: Staff,
    file_limits: FileLimits,
}

impl Desk {
    /// The desk over `store`, with a hub and registries of its own.
    pub fn new(store: Store, file_limits: FileLimits) -> Self {
        Self {
            store,
            hub: Hub::new(),
            presence: Presence::default(),
            staff: Staff::default(),
            file_limits,
        }
    }
}
