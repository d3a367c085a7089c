//! Settings: embedded defaults, then an optional TOML file, then `SWITCHBOARD_…` environment
//! variables (`__` separates nested keys), then command-line flags. Parsed once at start-up
//! and passed down; nothing reads the environment later.

use std::{
    fmt,
    net::{IpAddr, SocketAddr},
    path::PathBuf,
};

use figment::{
    Figment,
    providers::{Env, Format, Serialized, Toml},
};
use serde::{Deserialize, Serialize};

mod peers;

pub use peers::{AmiSettings, DiagnosticsSettings, PhoneSettings, SmtpSettings};

/// A value that must never reach a log or an error body.
#[derive(Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret itself, for the one place that needs it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// Everything the server can be told.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Address to listen on.
    pub addr: SocketAddr,
    /// Directory for the SQLite database and local files.
    pub data_dir: PathBuf,
    /// `sqlite://…` or `postgres://…`; empty means `sqlite://<data_dir>/switchboard.db`.
    pub database_url: Option<Secret>,
    /// Largest number of pooled database connections.
    pub database_max_connections: u32,
    /// Directory holding the built browser bundle (`pkg/`). Empty means beside the binary
    /// (`<binary dir>/../site`, where the build puts it).
    pub site_dir: Option<PathBuf>,
    /// Browser origins, besides the server's own, allowed to open sockets and post forms
    /// (for a desk served under another name through a proxy).
    pub allowed_origins: Vec<String>,
    /// Mark the session cookie `Secure` (serve over HTTPS, directly or behind a proxy).
    pub secure_cookies: bool,
    /// Days a session lasts after signing in.
    pub session_days: i64,
    /// Events queued for one socket before it is dropped as too slow (it then resumes).
    pub socket_queue: usize,
    /// Seconds between server heartbeats on a socket.
    pub heartbeat_secs: u64,
    /// Seconds a request (but an upload) or a socket command may take; past it, `503
    /// unavailable` — a database that stops answering holds nobody for long.
    pub request_timeout_secs: u64,
    /// Seconds a connection may stay quiet — not a byte either way: an idle keep-alive, a
    /// client that stopped in the middle of a request, a half-open peer — before it is closed
    /// (at least four heartbeats, so quiet sockets are never cut).
    pub idle_timeout_secs: u64,
    /// Seconds a screen stays present on a ticket without refreshing its presence (browsers
    /// refresh every 5 s).
    pub presence_ttl_secs: u64,
    /// Seconds a member may wait on a taken ticket — since the take or her last message —
    /// before it returns to the queue unanswered, flagged for moderators; 0: never.
    pub take_timeout_secs: u64,
    /// Directory of the local file store; empty means `<data_dir>/files`. Unused when `s3`
    /// names a bucket.
    pub files_dir: Option<PathBuf>,
    /// An S3-compatible object store for files (AWS S3, Garage, MinIO, R2…) instead of the
    /// local directory.
    pub s3: Option<S3Settings>,
    /// Largest file accepted, in bytes.
    pub max_file_bytes: u64,
    /// Largest mail handed in through a mailbox, raw, in bytes.
    pub max_mail_bytes: u64,
    /// Largest total of the files sent with one message, in bytes.
    pub max_message_bytes: u64,
    /// File types accepted, as told from the bytes (`image/png`, `text/plain`…). Markup a
    /// browser would run (`text/html`, `image/svg+xml`, `application/xml`) is never accepted.
    pub file_types: Vec<String>,
    /// Hours an upload may wait to be attached to a message before it is removed.
    pub upload_ttl_hours: u64,
    /// The desk's own language (`en`, `ru`): what people read when neither their choice nor
    /// their browser says, and the language the demo data is written in.
    pub language: app::i18n::Lang,
    /// Reverse proxies (`127.0.0.1`, `10.0.0.0/8`, `::1`) whose `X-Forwarded-For` tells the
    /// client's address. From anyone else the header is ignored: the client is the peer.
    pub trusted_proxies: Vec<String>,
    /// Limits on abuse: password checks, sign-in attempts, commands.
    pub limits: Limits,
    /// The relay outgoing mail leaves through; without it, no mail is sent.
    pub smtp: Option<SmtpSettings>,
    /// The key sealing the secrets kept in the database (mailboxes' IMAP passwords): base64
    /// of 32 bytes, the same on every node. Empty: `<data_dir>/secret.key`, made once.
    pub secret_key: Option<Secret>,
    /// The call centre (`[phone]`).
    pub phone: PhoneSettings,
    /// The token a Prometheus scraper shows (`Authorization: Bearer …`) to read `/metrics`;
    /// without one (and without `metrics_addr`), `/metrics` is not served.
    pub metrics_token: Option<Secret>,
    /// A separate address serving `/metrics` without a token (keep it off the public
    /// network: `127.0.0.1:9464`, or an internal interface).
    pub metrics_addr: Option<SocketAddr>,
    /// `text` (the default) or `json`: one JSON object per log line, for log collectors.
    pub log_format: LogFormat,
    /// Quick diagnostics from a ticket (`[diagnostics]`).
    pub diagnostics: DiagnosticsSettings,
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

/// Limits on abuse (`[limits]` in the file, `SWITCHBOARD_LIMITS__…` in the environment).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Limits {
    /// Password checks run at once (each takes ~19 MiB for ~50 ms); 0: one per core.
    pub password_workers: usize,
    /// Password checks that may wait their turn; past it, sign-ins are refused with `503`
    /// and `Retry-After` until the queue drains.
    pub password_queue: usize,
    /// Wrong passwords in a row for one account from one address before each next attempt
    /// waits (1 s, then doubling up to `sign_in_max_wait_secs`).
    pub sign_in_free: u32,
    /// Wrong passwords for one account from any addresses before attempts wait (at most
    /// `sign_in_account_wait_secs`: what a stranger can make an account's owner wait).
    pub sign_in_account_free: u32,
    /// Wrong passwords from one address, whatever the accounts, before attempts wait.
    pub sign_in_address_free: u32,
    /// Longest wait for an address, in seconds.
    pub sign_in_max_wait_secs: u64,
    /// Longest wait for an account tried from many addresses, in seconds.
    pub sign_in_account_wait_secs: u64,
    /// Commands one socket may send a second on average…
    pub socket_commands_per_sec: f64,
    /// …and at once.
    pub socket_command_burst: f64,
    /// Commands and HTTP writes one person may send a second, over all their screens…
    pub person_commands_per_sec: f64,
    /// …and at once.
    pub person_command_burst: f64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            password_workers: 0,
            password_queue: 256,
            sign_in_free: 5,
            sign_in_account_free: 20,
            sign_in_address_free: 50,
            sign_in_max_wait_secs: 15 * 60,
            sign_in_account_wait_secs: 60,
            socket_commands_per_sec: 20.0,
            socket_command_burst: 60.0,
            person_commands_per_sec: 40.0,
            person_command_burst: 120.0,
        }
    }
}

/// A block of addresses: `10.0.0.0/8`, `::1/128`, or one address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    network: IpAddr,
    prefix: u8,
}

impl Cidr {
    /// Reads `ip` or `ip/prefix`.
    pub fn parse(raw: &str) -> Option<Self> {
        let (ip, prefix) = match raw.trim().split_once('/') {
            Some((ip, prefix)) => (ip.parse::<IpAddr>().ok()?, Some(prefix.parse::<u8>().ok()?)),
            None => (raw.trim().parse::<IpAddr>().ok()?, None),
        };
        let bits = if ip.is_ipv4() { 32 } else { 128 };
        let prefix = prefix.unwrap_or(bits);
        (prefix <= bits).then_some(Cidr {
            network: ip,
            prefix,
        })
    }

    /// Whether `ip` is in the block (an IPv4 address mapped into IPv6 counts as IPv4).
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
            v4 => v4,
        };
        let (net, ip, bits) = match (self.network, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                (u128::from(net.to_bits()), u128::from(ip.to_bits()), 32)
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => (net.to_bits(), ip.to_bits(), 128),
            _ => return false,
        };
        let host_bits = bits - u32::from(self.prefix);
        if host_bits >= 128 {
            return true;
        }
        (net >> host_bits) == (ip >> host_bits)
    }
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            addr: SocketAddr::from(([127, 0, 0, 1], 3000)),
            data_dir: PathBuf::from("data"),
            database_url: None,
            database_max_connections: 16,
            site_dir: None,
            allowed_origins: Vec::new(),
            secure_cookies: false,
            session_days: 14,
            socket_queue: 1024,
            heartbeat_secs: 20,
            request_timeout_secs: 8,
            idle_timeout_secs: 75,
            presence_ttl_secs: 15,
            take_timeout_secs: 0,
            files_dir: None,
            s3: None,
            max_file_bytes: 25 * 1024 * 1024,
            max_mail_bytes: 40 * 1024 * 1024,
            max_message_bytes: 50 * 1024 * 1024,
            file_types: [
                "image/png",
                "image/jpeg",
                "image/gif",
                "image/webp",
                "application/pdf",
                "text/plain",
                "application/zip",
                "application/gzip",
                "application/octet-stream",
            ]
            .map(String::from)
            .to_vec(),
            upload_ttl_hours: 24,
            language: app::i18n::Lang::En,
            trusted_proxies: Vec::new(),
            limits: Limits::default(),
            metrics_token: None,
            metrics_addr: None,
            log_format: LogFormat::Text,
            diagnostics: DiagnosticsSettings::default(),
            smtp: None,
            secret_key: None,
            phone: PhoneSettings::default(),
        }
    }
}

/// Where in an S3-compatible store files live (`[s3]` in the file, `SWITCHBOARD_S3__…` in
/// the environment).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct S3Settings {
    /// The bucket (it must exist).
    pub bucket: String,
    /// The region; stores that ignore regions accept the default.
    pub region: String,
    /// The service's address (`https://s3.example.com`, `http://127.0.0.1:3900`); empty means
    /// AWS itself. An `http://` address is allowed as given.
    pub endpoint: Option<String>,
    /// Access key; empty means the standard `AWS_…` variables or the instance's role.
    pub access_key_id: Option<Secret>,
    pub secret_access_key: Option<Secret>,
    /// Address the bucket in the path (`endpoint/bucket/key`), as most self-hosted stores
    /// expect; `false` puts it in the host name (`bucket.endpoint/key`).
    pub path_style: bool,
}

impl Default for S3Settings {
    fn default() -> Self {
        Self {
            bucket: String::new(),
            region: "us-east-1".into(),
            endpoint: None,
            access_key_id: None,
            secret_access_key: None,
            path_style: true,
        }
    }
}

/// Whether a file of `content_type` (told from its bytes) is accepted among `types`: markup
/// a browser would run never is.
pub fn accepts_file_type(types: &[String], content_type: &str) -> bool {
    !matches!(
        content_type,
        "text/html" | "image/svg+xml" | "application/xml"
    ) && types.iter().any(|t| t == content_type)
}

/// Reading the settings failed.
#[derive(Debug, thiserror::Error)]
#[error("configuration: {0}")]
pub struct ConfigError(#[from] Box<figment::Error>);

impl Settings {
    /// Defaults, then `file` (or `switchboard.toml` when present), then the environment.
    pub fn load(file: Option<&std::path::Path>) -> Result<Self, ConfigError> {
        let mut figment = Figment::from(Serialized::defaults(Settings::default()));
        match file {
            Some(path) => figment = figment.merge(Toml::file_exact(path)),
            None => figment = figment.merge(Toml::file("switchboard.toml")),
        }
        let figment = figment
            .merge(Env::prefixed("SWITCHBOARD_").split("__"))
            // The conventional name, honoured for deployments that already set it.
            .merge(
                Env::raw()
                    .only(&["DATABASE_URL"])
                    .map(|_| "database_url".into()),
            );
        figment.extract().map_err(|e| ConfigError(Box::new(e)))
    }

    /// The database to use.
    pub fn database_url(&self) -> Secret {
        match &self.database_url {
            Some(url) if !url.expose().is_empty() => url.clone(),
            _ => Secret::new(format!(
                "sqlite://{}?mode=rwc",
                self.data_dir.join("switchboard.db").display()
            )),
        }
    }

    /// Where the browser bundle is served from.
    pub fn site_dir(&self) -> PathBuf {
        if let Some(dir) = &self.site_dir {
            return dir.clone();
        }
        std::env::current_exe()
            .ok()
            .and_then(|exe| exe.parent().map(|dir| dir.join("../site")))
            .unwrap_or_else(|| PathBuf::from("target/site"))
    }

    /// The browser bundle's version (`pkg/version`, its content's fingerprint written by the
    /// build): its files are served under `/pkg/<version>/`, cached for good. `None` for a
    /// bundle built without one.
    pub fn bundle_version(&self) -> Option<String> {
        let raw = std::fs::read_to_string(self.site_dir().join("pkg/version")).ok()?;
        let version = raw.trim();
        (!version.is_empty()
            && version.len() <= 64
            && version.bytes().all(|b| b.is_ascii_alphanumeric()))
        .then(|| version.to_owned())
    }

    /// The trusted proxies, read; the first entry that is not an address or a block.
    pub fn trusted_proxies(&self) -> Result<Vec<Cidr>, String> {
        self.trusted_proxies
            .iter()
            .map(|raw| Cidr::parse(raw).ok_or_else(|| raw.clone()))
            .collect()
    }

    /// Where the local file store keeps files.
    pub fn files_dir(&self) -> PathBuf {
        self.files_dir
            .clone()
            .unwrap_or_else(|| self.data_dir.join("files"))
    }

    /// Whether files of (sniffed) type `content_type` are accepted. Markup a browser would
    /// run is refused whatever the list says.
    pub fn accepts_file_type(&self, content_type: &str) -> bool {
        accepts_file_type(&self.file_types, content_type)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_stay_out_of_debug_output() {
        let settings = Settings {
            database_url: Some(Secret::new("postgres://u:hunter2@db/x")),
            ..Settings::default()
        };
        assert!(!format!("{settings:?}").contains("hunter2"));
    }

    #[test]
    fn proxy_blocks_contain_their_addresses_only() {
        let block = Cidr::parse("10.1.0.0/16").expect("a block");
        assert!(block.contains("10.1.200.3".parse().unwrap()));
        assert!(!block.contains("10.2.0.1".parse().unwrap()));
        assert!(
            block.contains("::ffff:10.1.0.9".parse().unwrap()),
            "mapped IPv4"
        );
        let one = Cidr::parse("::1").expect("one address");
        assert!(one.contains("::1".parse().unwrap()));
        assert!(!one.contains("::2".parse().unwrap()));
        assert!(
            Cidr::parse("0.0.0.0/0")
                .unwrap()
                .contains("8.8.8.8".parse().unwrap())
        );
        assert_eq!(Cidr::parse("10.0.0.0/33"), None);
        assert_eq!(Cidr::parse("proxy.example"), None);
    }

    #[test]
    fn default_database_is_sqlite_under_the_data_dir() {
        let url = Settings::default().database_url();
        assert!(url.expose().starts_with("sqlite://data/switchboard.db"));
    }
}
