//! Mail: the mailboxes mail comes in through, what happened to a mail taken in, and
//! Incoming messages — mail that matched no member or ticket, for staff to sort.

use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use utoipa::ToSchema;

#[allow(unused_imports)]
use super::*;

/// A mailbox: mail to `address` becomes tickets of `department_id` (in `queue_id`, or the
/// first Email queue).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct Mailbox {
    pub id: MailboxId,
    /// What a mail server names it by (`switchboard ingest-email --mailbox NAME`).
    pub name: String,
    /// The address its mail is sent to (`support@desk.example`).
    pub address: String,
    pub department_id: DepartmentId,
    #[serde(default)]
    pub queue_id: Option<QueueId>,
    /// Mail from an address no member has makes a new member (otherwise it waits in
    /// Incoming messages).
    #[serde(default)]
    pub allow_new_members: bool,
    /// Every mail waits in Incoming messages for staff to sort.
    #[serde(default)]
    pub hold_all: bool,
    /// Where its mail is fetched from over IMAP, if it is (otherwise a mail server pipes
    /// it in).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub imap: Option<MailboxImap>,
}

/// How a mailbox's mail is fetched over IMAP. Its password is never shown back.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct MailboxImap {
    pub host: String,
    pub port: u16,
    pub security: MailSecurity,
    pub user: String,
    /// The folder read (`INBOX`).
    pub folder: String,
    /// What went wrong at the last try, if it did.
    #[serde(default)]
    pub problem: Option<String>,
    /// When mail was last looked for.
    #[serde(default)]
    pub checked_at: Option<Millis>,
}

/// The relay mail leaves through, as an administrator set it in `/admin` (it takes the place
/// of the settings file's `[smtp]` relay). Its password is never shown back.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct MailRelay {
    pub host: String,
    pub port: u16,
    pub security: MailSecurity,
    /// Who signs in to the relay, if it asks.
    #[serde(default)]
    pub user: Option<String>,
    /// A password is kept for `user`.
    #[serde(default)]
    pub has_password: bool,
    /// The address answers come from when a ticket's department has no mailbox.
    pub from: String,
    /// Where bounces come back (best a mailbox of the desk's); absent: the sending address.
    #[serde(default)]
    pub bounces_to: Option<String>,
}

/// How a connection to a mail server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum MailSecurity {
    /// TLS from the first byte (IMAP 993, SMTP 465).
    Tls,
    /// Plain TCP upgraded with `STARTTLS` (IMAP 143, SMTP 587); refused if the server
    /// cannot.
    #[default]
    Starttls,
    /// Plain TCP: only for a server on the same machine or a private network.
    None,
}

impl MailSecurity {
    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            MailSecurity::Tls => "tls",
            MailSecurity::Starttls => "starttls",
            MailSecurity::None => "none",
        }
    }

    /// The value a stored or posted name stands for.
    pub fn parse(raw: &str) -> Option<Self> {
        [Self::Tls, Self::Starttls, Self::None]
            .into_iter()
            .find(|s| s.as_str() == raw)
    }
}

/// Why a mail waits in Incoming messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum IncomingReason {
    /// From an address no member has, and the mailbox makes no new members.
    UnknownSender,
    /// It answers a ticket, but comes from someone other than the ticket's member (a CC, a
    /// forward, a BCC reply): it never takes the ticket over.
    ThirdParty,
    /// Sent by a program (an out-of-office, a bounce, a list); nothing is mailed back.
    Automatic,
    /// The mailbox holds every mail for staff to sort.
    Held,
    /// It could not be read as a mail; its raw bytes are kept.
    Unreadable,
    /// The spam filter took it for spam, or staff marked it so: in the Spam folder, kept 30
    /// days, never in a queue.
    Spam,
}

impl IncomingReason {
    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            IncomingReason::UnknownSender => "unknown_sender",
            IncomingReason::ThirdParty => "third_party",
            IncomingReason::Automatic => "automatic",
            IncomingReason::Held => "held",
            IncomingReason::Unreadable => "unreadable",
            IncomingReason::Spam => "spam",
        }
    }

    /// Reads a stored name.
    pub fn parse(raw: &str) -> Option<Self> {
        [
            IncomingReason::UnknownSender,
            IncomingReason::ThirdParty,
            IncomingReason::Automatic,
            IncomingReason::Held,
            IncomingReason::Unreadable,
            IncomingReason::Spam,
        ]
        .into_iter()
        .find(|r| r.as_str() == raw)
    }

    /// The catalogue key of its explanation.
    pub fn key(self) -> &'static str {
        match self {
            IncomingReason::UnknownSender => "incoming-unknown-sender",
            IncomingReason::ThirdParty => "incoming-third-party",
            IncomingReason::Automatic => "incoming-automatic",
            IncomingReason::Held => "incoming-held",
            IncomingReason::Unreadable => "incoming-unreadable",
            IncomingReason::Spam => "incoming-spam",
        }
    }
}

/// A mail waiting in Incoming messages, as staff of its department read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct IncomingMail {
    pub id: i64,
    pub mailbox: String,
    pub department_id: DepartmentId,
    pub from_address: String,
    pub from_name: String,
    pub subject: String,
    /// Its text (HTML mail turned to text; never markup).
    pub body: String,
    pub received_at: Millis,
    pub reason: IncomingReason,
    /// The ticket it answers, when it answers one (a third party's mail).
    #[serde(default)]
    pub ticket_id: Option<TicketId>,
}

/// What became of a mail handed in (`POST /api/mailboxes/{name}/mail`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum MailTaken {
    /// A message of `ticket_id` (a new ticket when `new_ticket`).
    Ticket {
        ticket_id: TicketId,
        seq: Seq,
        new_ticket: bool,
    },
    /// Waiting in Incoming messages.
    Incoming { id: i64, reason: IncomingReason },
    /// A delivery report about mail we sent to `ticket_id`: noted there as not delivered
    /// (event `seq`).
    Bounce { ticket_id: TicketId, seq: Seq },
    /// Taken in before (the same Message-ID through the same mailbox): nothing new.
    Duplicate,
}

/// `POST /api/incoming/{id}/ticket`: a waiting mail becomes a ticket of `department_id` for
/// `member_id` (absent: its sender, made a member if need be).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct MailTicketRequest {
    pub department_id: DepartmentId,
    #[serde(default)]
    pub member_id: Option<UserId>,
}

/// `POST /api/incoming/{id}/attach`: a waiting mail joins `ticket_id` as a hidden note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct AttachMailRequest {
    pub ticket_id: TicketId,
}

/// The Incoming messages page: what waits for the asker to sort, and where it can go.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct IncomingPage {
    pub mails: Vec<IncomingMail>,
    pub departments: Vec<Department>,
}

/// What a message that came by mail carries besides its new words.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct ByMail {
    /// The history the mail quoted below its new words (empty: none), folded on screen.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub quoted: String,
}

/// One mail as it came, for staff to read safely (`GET /api/mails/{id}`): its headers, its
/// whole text, and whether it has an HTML version (`GET /api/mails/{id}/html`, sanitised,
/// remote images left out unless asked for).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct MailView {
    pub id: i64,
    pub from: String,
    pub to: Vec<String>,
    pub cc: Vec<String>,
    /// The date the mail says it was written (absent when it says none).
    pub sent_at: Option<Millis>,
    pub received_at: Millis,
    pub subject: String,
    /// The whole text, quoted history included.
    pub text: String,
    pub has_html: bool,
    /// How many remote images its HTML points to (shown only on request).
    pub remote_images: usize,
    /// The names of the files it carries.
    pub files: Vec<String>,
    /// The ticket it went to, when it went to one.
    pub ticket_id: Option<TicketId>,
    /// Why it waits in Incoming messages, when it waits there.
    pub reason: Option<IncomingReason>,
    /// Staff marked it spam (the filter learned it so).
    pub spam: bool,
}
