//! The use cases: one function per command, shared by HTTP, WebSocket and the CLI.
//!
//! Each checks the rules in `domain`, commits its whole effect through `store` in one
//! transaction, and only then publishes what changed on the `hub`. Callers acknowledge a
//! command only after these functions return, that is, after the commit.

mod accounts;
pub mod admin;
mod agent;
mod background;
mod callbacks;
mod calls;
pub mod demo;
mod diagnostics;
mod drafts;
mod feedback;
mod files;
mod follows;
mod guard;
mod health;
mod imap;
mod incoming;
mod lapses;
mod mail;
mod mailboxes;
mod mailfiles;
mod mailview;
pub use guard::SocketRate;
mod messages;
mod outbox;
pub use outbox::MailOut;
mod people;
mod places;
pub use people::NewPerson;
mod publish;
mod reads;
mod relay;
mod screens;
mod signup;
pub use signup::{CONFIRM_PATH, SignUp};
mod spam;
mod stats;
pub use stats::Part;
mod tickets;
mod tokens;
mod voice;
mod widget;
mod workspace;
pub use widget::{Refusal, WidgetEntry};
mod write;

use std::{sync::Arc, time::Duration};

use app::i18n::{self, Lang};
use app::protocol::{ClientMsgId, ErrorCode, FileLimits, Seq, TicketEvent};

use crate::{
    config::Limits,
    domain::{self},
    hub::{Hub, availability::Staff, presence::Presence},
    passwords::Passwords,
    secrets::Sealer,
    store::{self, Store},
};
use guard::Guard;

/// Largest number of tickets a list returns.
pub const LIST_LIMIT: i64 = 500;
/// Largest number of events returned or replayed in one read.
pub const EVENT_PAGE: i64 = 1000;
/// How many of the newest notifications a reader is shown.
pub const NOTIFICATIONS_SHOWN: i64 = 50;
/// Quick diagnostics running at once, over the whole desk.
const MAX_LOOKUPS: usize = 4;

/// A use case failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A rule of the desk refused it.
    #[error(transparent)]
    Rule(#[from] domain::Error),
    /// The store failed; nothing was committed.
    #[error(transparent)]
    Store(#[from] store::Error),
    /// Too much is waiting already (password checks): nothing was done, retry after this.
    #[error("busy, retry in {0:?}")]
    Busy(Duration),
    /// Too many attempts or commands from this person or address: retry after this.
    #[error("rate limited, retry in {0:?}")]
    Throttled(Duration),
    /// The file store failed; nothing was taken.
    #[error(transparent)]
    Files(#[from] crate::files::Error),
}

impl Error {
    /// The protocol code clients branch on.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::Rule(rule) => rule.code(),
            Error::Store(store::Error::NotFound) => ErrorCode::NotFound,
            Error::Store(store::Error::Unavailable(_)) => ErrorCode::Unavailable,
            Error::Store(_) => ErrorCode::Internal,
            Error::Busy(_) => ErrorCode::Unavailable,
            Error::Throttled(_) => ErrorCode::RateLimited,
            Error::Files(_) => ErrorCode::Unavailable,
        }
    }

    /// How long the client should wait before trying again, when that is known.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::Busy(wait) | Error::Throttled(wait) => Some(*wait),
            _ => None,
        }
    }

    /// The same in milliseconds, as error bodies and events carry it.
    pub fn retry_after_ms(&self) -> Option<u64> {
        self.retry_after()
            .map(|wait| u64::try_from(wait.as_millis()).unwrap_or(u64::MAX))
    }

    /// What a `stale` refusal says arrived meanwhile (nothing for any other error).
    pub fn news(&self) -> Vec<TicketEvent> {
        match self {
            Error::Rule(domain::Error::Stale { news, .. }) => news.clone(),
            _ => Vec::new(),
        }
    }

    /// The field an `invalid` refusal names.
    pub fn field(&self) -> Option<String> {
        match self {
            Error::Rule(domain::Error::Invalid { field, .. }) => Some((*field).to_owned()),
            _ => None,
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
            Error::Busy(wait) => return waiting("error-busy", *wait, lang),
            Error::Throttled(wait) => return waiting("error-rate-limited", *wait, lang),
            Error::Files(_) => "error-unavailable",
        };
        i18n::text(lang, key, &[])
    }
}

/// A wait in whole seconds, as people and `Retry-After` are told it: rounded up, at least one.
pub fn seconds_to_wait(wait: Duration) -> u128 {
    wait.as_millis().div_ceil(1000).max(1)
}

/// A refusal that says how many seconds to wait.
fn waiting(key: &'static str, wait: Duration, lang: Lang) -> String {
    domain::Reason::new(key)
        .with("seconds", seconds_to_wait(wait))
        .text(lang)
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
    /// Staff: the last event on their screen when they began (see [`write::check_fresh`]).
    pub seen: Option<Seq>,
    /// It came by mail, with what the mail quoted.
    pub by_mail: Option<app::protocol::ByMail>,
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
    passwords: Passwords,
    guard: Arc<Guard>,
    /// How mail leaves, when a relay is set up.
    mail_out: Option<Arc<MailOut>>,
    /// The key sealing the secrets kept in the store (IMAP passwords).
    sealer: Option<Sealer>,
    /// File types accepted (told from the bytes), for files that come by mail.
    file_types: Arc<Vec<String>>,
    /// The desk's own language: what it writes in where no reader's is known.
    language: Lang,
    /// The call centre's settings: where calls' requests go, callbacks, the PBX to dial through.
    phone: Arc<crate::config::PhoneSettings>,
    /// Moves on when a mailbox was connected to an IMAP server or disconnected.
    imap_changes: Arc<tokio::sync::watch::Sender<u64>>,
    /// What it counts of its own work (`/metrics`).
    activity: Arc<crate::metrics::Activity>,
    /// Where quick diagnostics ask, and how long they wait.
    diagnostics: Arc<crate::config::DiagnosticsSettings>,
    /// Diagnostics running at once.
    lookups: Arc<tokio::sync::Semaphore>,
}

impl Desk {
    /// What the desk counts of its own work.
    pub fn activity(&self) -> &crate::metrics::Activity {
        &self.activity
    }

    /// The hub's losses: messages dropped at full queues, connections sent to resume.
    pub fn hub_losses(&self) -> (u64, u64) {
        self.hub.losses()
    }

    /// The desk over `store`, with a hub, registries and limits of its own.
    pub fn new(store: Store, file_limits: FileLimits, limits: &Limits) -> Self {
        Self {
            store,
            hub: Hub::new(),
            presence: Presence::default(),
            staff: Staff::default(),
            file_limits,
            passwords: Passwords::new(limits.password_workers, limits.password_queue),
            guard: Arc::new(Guard::new(limits)),
            mail_out: None,
            sealer: None,
            file_types: Arc::new(crate::config::Settings::default().file_types),
            language: Lang::default(),
            imap_changes: Arc::new(tokio::sync::watch::Sender::new(0)),
            phone: Arc::default(),
            activity: Arc::default(),
            diagnostics: Arc::default(),
            lookups: Arc::new(tokio::sync::Semaphore::new(MAX_LOOKUPS)),
        }
    }

    /// The same desk accepting files of `types` by mail, writing in `language`.
    pub fn with_house_rules(mut self, types: Vec<String>, language: Lang) -> Self {
        self.file_types = Arc::new(types);
        self.language = language;
        self
    }

    /// The same desk running quick diagnostics as `settings` say.
    pub fn with_diagnostics(mut self, settings: crate::config::DiagnosticsSettings) -> Self {
        self.diagnostics = Arc::new(settings);
        self
    }

    /// The same desk sealing its stored secrets with `sealer`.
    pub fn with_sealer(mut self, sealer: Sealer) -> Self {
        self.sealer = Some(sealer);
        self
    }

    /// The same desk running its call centre as `phone` says.
    pub fn with_phone(mut self, phone: crate::config::PhoneSettings) -> Self {
        self.phone = Arc::new(phone);
        self
    }

    /// The same desk sending mail through `out`.
    pub fn with_mail_out(mut self, out: Arc<MailOut>) -> Self {
        self.mail_out = Some(out);
        self
    }
}
