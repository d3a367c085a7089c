//! The settings of the peers the desk talks to: the SMTP relay, the telephone exchange, and the
//! DNS and Whois servers of quick diagnostics.

use std::net::SocketAddr;

use serde::{Deserialize, Serialize};

use super::Secret;

/// Quick diagnostics (`[diagnostics]` in the file, `SWITCHBOARD_DIAGNOSTICS__…` in the
/// environment).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct DiagnosticsSettings {
    /// The DNS resolver lookups ask (`192.0.2.53:53`); absent: the system's first
    /// `nameserver` in `/etc/resolv.conf`.
    pub resolver: Option<SocketAddr>,
    /// The Whois server asked first; its `refer:` is followed.
    pub whois_server: String,
    /// The port Whois servers are asked on.
    pub whois_port: u16,
    /// Seconds a lookup may take.
    pub timeout_secs: u64,
}

impl Default for DiagnosticsSettings {
    fn default() -> Self {
        Self {
            resolver: None,
            whois_server: "whois.iana.org".into(),
            whois_port: 43,
            timeout_secs: 5,
        }
    }
}

impl DiagnosticsSettings {
    /// The resolver to ask: the one set, else the system's.
    pub fn resolver(&self) -> Option<SocketAddr> {
        self.resolver.or_else(|| {
            let conf = std::fs::read_to_string("/etc/resolv.conf").ok()?;
            conf.lines().find_map(|line| {
                let ip = line.trim().strip_prefix("nameserver")?.trim();
                ip.parse::<std::net::IpAddr>()
                    .ok()
                    .map(|ip| SocketAddr::new(ip, 53))
            })
        })
    }
}

/// The call centre (`[phone]` in the file, `SWITCHBOARD_PHONE__…` in the environment).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct PhoneSettings {
    /// The department whose requests calls become, by name; absent: the first department.
    pub department: Option<String>,
    /// The Asterisk Manager Interface callbacks are dialled through; without it, agents dial
    /// the number shown.
    pub ami: Option<AmiSettings>,
    /// Most tries to call back a caller who gave up.
    pub callback_tries: i64,
    /// Minutes before a callback not reached (or asked for later) is offered again.
    pub callback_retry_mins: i64,
    /// Minutes after a callback was made in which the same number giving up again makes none.
    pub callback_window_mins: i64,
    /// Seconds an agent has to take a callback offered to them before it goes to another.
    pub callback_offer_secs: i64,
    /// Where the voice menu's FastAGI server listens (`127.0.0.1:4573`); absent: no menu.
    pub agi_addr: Option<SocketAddr>,
    /// The voice menu's sound files: `{prompts}/{en|ru}/{name}` (see the README for names).
    pub prompts: String,
    /// Where a new password chosen in the voice menu is posted (JSON), to reach the member by
    /// SMS or mail; absent: the menu offers no password change.
    pub password_hook: Option<String>,
}

impl Default for PhoneSettings {
    fn default() -> Self {
        Self {
            department: None,
            ami: None,
            callback_tries: 3,
            callback_retry_mins: 10,
            callback_window_mins: 60,
            callback_offer_secs: 60,
            agi_addr: None,
            prompts: "switchboard".into(),
            password_hook: None,
        }
    }
}

/// The Asterisk Manager Interface (`[phone.ami]`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct AmiSettings {
    pub host: String,
    pub port: u16,
    pub user: String,
    /// Never logged.
    pub secret: Secret,
    /// The dialplan context the callee's number is dialled in.
    pub context: String,
    /// The agent's channel, `{extension}` standing for their extension.
    pub channel: String,
    /// The caller id the callee sees, if set.
    pub caller_id: Option<String>,
}

impl Default for AmiSettings {
    fn default() -> Self {
        Self {
            host: "127.0.0.1".into(),
            port: 5038,
            user: String::new(),
            secret: Secret::default(),
            context: "from-internal".into(),
            channel: "PJSIP/{extension}".into(),
            caller_id: None,
        }
    }
}

/// The SMTP relay for mail out (`[smtp]` in the file, `SWITCHBOARD_SMTP__…` in the
/// environment; the password best from the environment).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct SmtpSettings {
    pub host: String,
    /// 587 for STARTTLS, 465 for TLS, 25 for a relay beside the desk.
    pub port: u16,
    /// `starttls` (the default), `tls`, or `none` (a relay on the same machine).
    pub security: app::protocol::MailSecurity,
    /// Who signs in to the relay (`AUTH PLAIN`), if it asks.
    pub user: Option<String>,
    pub password: Option<Secret>,
    /// The name the desk gives itself to the relay; empty means the host part of `from`.
    pub helo: Option<String>,
    /// The address replies come from when a ticket's department has no mailbox, and the
    /// domain of the Message-IDs then.
    pub from: String,
    /// The envelope's return path: where bounces come back (best a mailbox piped or
    /// polled in, so that they are matched to the mail they are about); empty means the
    /// sending address itself.
    pub bounces_to: Option<String>,
    /// Seconds one step of the conversation with the relay may take.
    pub step_timeout_secs: u64,
    /// Seconds a node holds a mail it is sending; a mail held longer by a node that
    /// stopped is sent again (if its data never ended) or counted sent (if it did).
    pub lease_secs: u64,
    /// Most mails to one address in an hour; more wait their turn (a robot answering
    /// every mail never gets a ping-pong going).
    pub per_address_hour: i64,
    /// Seconds a digest of a chat ticket's answers waits for more answers — and for its
    /// member to read them in the widget, when they want mail only when away.
    pub digest_wait_secs: u64,
}

impl Default for SmtpSettings {
    fn default() -> Self {
        Self {
            host: "127.0.0.1".into(),
            port: 587,
            security: app::protocol::MailSecurity::default(),
            user: None,
            password: None,
            helo: None,
            from: String::new(),
            bounces_to: None,
            step_timeout_secs: 60,
            lease_secs: 600,
            per_address_hour: 30,
            digest_wait_secs: 120,
        }
    }
}
