//! The real mail servers the test command starts on loopback — OpenSMTPD as the relay,
//! Dovecot filing what it delivers into a Maildir per address — named by
//! `SWITCHBOARD_TEST_SMTP` and `SWITCHBOARD_TEST_MAILDIR`; and a cut-in between the desk
//! and the relay that can hold the end of a mail's data, or the relay's answer to it, while
//! the test stops the desk.

use std::{
    net::SocketAddr,
    path::PathBuf,
    sync::{
        Arc,
        atomic::{AtomicU8, Ordering},
    },
    time::{Duration, Instant},
};

use app::protocol::MailSecurity as Security;
use server::config::SmtpSettings;
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpListener, TcpStream},
    sync::Notify,
};

/// The relay and the Maildirs it fills.
#[derive(Clone)]
pub struct MailServers {
    pub smtp: SocketAddr,
    pub maildir: PathBuf,
}

impl MailServers {
    /// The servers from the environment; `None` when unset, which is told past the output
    /// capture as a skipped test — unless the test command (`SWITCHBOARD_TEST_MAIL_REQUIRED`)
    /// or CI requires them, when it fails instead.
    pub fn from_env() -> Option<MailServers> {
        let smtp = std::env::var("SWITCHBOARD_TEST_SMTP").ok();
        let maildir = std::env::var("SWITCHBOARD_TEST_MAILDIR").ok();
        match (smtp, maildir) {
            (Some(smtp), Some(maildir)) => Some(MailServers {
                smtp: smtp.parse().expect("SWITCHBOARD_TEST_SMTP is host:port"),
                maildir: PathBuf::from(maildir),
            }),
            _ => {
                let required = ["SWITCHBOARD_TEST_MAIL_REQUIRED", "CI"]
                    .iter()
                    .any(|v| std::env::var_os(v).is_some());
                assert!(
                    !required,
                    "the mail servers are required: run `cargo xtask test`, which starts them"
                );
                let _ = std::io::Write::write_all(
                    &mut std::io::stderr(),
                    b"SKIPPED: no mail servers (SWITCHBOARD_TEST_SMTP); `cargo xtask test` starts them\n",
                );
                None
            }
        }
    }

    /// A desk on `backend` that sends its mail through these servers, with them; `None` when
    /// they are not there (see [`MailServers::from_env`]).
    pub async fn with_desk(backend: super::Backend) -> Option<(MailServers, super::TestServer)> {
        let servers = MailServers::from_env()?;
        let options = super::Options {
            smtp: Some(MailServers::settings(servers.smtp)),
            ..super::Options::default()
        };
        let db = std::sync::Arc::new(super::TestDb::new(backend).await);
        let server = super::TestServer::start_with(db, options).await;
        Some((servers, server))
    }

    /// Settings sending through `relay` (the relay itself, or a cut-in before it).
    pub fn settings(relay: SocketAddr) -> SmtpSettings {
        SmtpSettings {
            host: relay.ip().to_string(),
            port: relay.port(),
            security: Security::None,
            from: "desk@desk.example".into(),
            bounces_to: Some("bounces@desk.example".into()),
            step_timeout_secs: 10,
            lease_secs: 2,
            digest_wait_secs: 2,
            ..SmtpSettings::default()
        }
    }

    /// Every mail filed for `address` (its `+tag` dropped), oldest first.
    pub fn mails_for(&self, address: &str) -> Vec<Vec<u8>> {
        let (local, domain) = address.split_once('@').expect("an address");
        let local = local.split('+').next().unwrap_or(local).to_lowercase();
        let dir = self.maildir.join(domain.to_lowercase()).join(local);
        let mut files: Vec<(std::time::SystemTime, PathBuf)> = ["new", "cur"]
            .iter()
            .filter_map(|sub| std::fs::read_dir(dir.join(sub)).ok())
            .flatten()
            .flatten()
            .map(|e| {
                let at = e
                    .metadata()
                    .and_then(|m| m.modified())
                    .unwrap_or(std::time::UNIX_EPOCH);
                (at, e.path())
            })
            .collect();
        files.sort();
        files
            .into_iter()
            .filter_map(|(_, path)| std::fs::read(path).ok())
            .collect()
    }

    /// Waits until `address` has at least `count` mails; returns them all.
    pub async fn wait_for_mails(&self, address: &str, count: usize) -> Vec<Vec<u8>> {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let mails = self.mails_for(address);
            if mails.len() >= count {
                return mails;
            }
            assert!(
                Instant::now() < deadline,
                "{address} got {} mails, not {count}",
                mails.len()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl MailServers {
    /// Waits until `address` has a mail whose bytes name `needle`; returns it.
    pub async fn wait_for_mail_naming(&self, address: &str, needle: &str) -> Vec<u8> {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(found) = self
                .mails_for(address)
                .into_iter()
                .find(|m| String::from_utf8_lossy(m).contains(needle))
            {
                return found;
            }
            assert!(
                Instant::now() < deadline,
                "{address} got no mail naming {needle}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl MailServers {
    /// The mails filed for `address` whose bytes name `needle`.
    pub fn mails_naming(&self, address: &str, needle: &str) -> Vec<Vec<u8>> {
        self.mails_for(address)
            .into_iter()
            .filter(|m| String::from_utf8_lossy(m).contains(needle))
            .collect()
    }
}

/// A unique address at `domain` for one test.
pub fn fresh_address(name: &str, domain: &str) -> String {
    format!("{name}.{}@{domain}", fastrand::u64(..))
}

/// What the cut-in holds back.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Hold {
    /// Nothing: it passes everything.
    Nothing = 0,
    /// The relay's go-ahead for the data (`354`): the desk is stopped before it has written
    /// any, while the mail is still the desk's alone.
    GoAhead = 1,
    /// The relay's answer to the final dot: the relay holds the mail, the desk never hears.
    Answer = 2,
}

/// A cut-in between the desk and the relay: whatever it holds back, the connection to the
/// relay closes once the desk's side does (a stopped desk), the mail unfinished.
pub struct CutIn {
    pub addr: SocketAddr,
    hold: Arc<AtomicU8>,
    /// Rung when it starts holding something back.
    pub holding: Arc<Notify>,
}

impl CutIn {
    /// Listens on a free port, passing to `relay`.
    pub async fn start(relay: SocketAddr) -> CutIn {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
        let addr = listener.local_addr().expect("its address");
        let hold = Arc::new(AtomicU8::new(Hold::Nothing as u8));
        let holding = Arc::new(Notify::new());
        let (h, n) = (hold.clone(), holding.clone());
        tokio::spawn(async move {
            while let Ok((desk, _)) = listener.accept().await {
                let Ok(upstream) = TcpStream::connect(relay).await else {
                    continue;
                };
                tokio::spawn(pass(desk, upstream, h.clone(), n.clone()));
            }
        });
        CutIn {
            addr,
            hold,
            holding,
        }
    }

    /// What to hold back from the next mail on.
    pub fn hold(&self, what: Hold) {
        self.hold.store(what as u8, Ordering::SeqCst);
    }
}

/// Passes bytes both ways, holding back what the test asks for.
async fn pass(desk: TcpStream, relay: TcpStream, hold: Arc<AtomicU8>, holding: Arc<Notify>) {
    let (mut desk_read, mut desk_write) = desk.into_split();
    let (mut relay_read, mut relay_write) = relay.into_split();
    let answer_held = Arc::new(AtomicU8::new(0));
    let held = answer_held.clone();
    let (hold_down, holding_down) = (hold.clone(), holding);
    let up = async move {
        let mut seen: Vec<u8> = Vec::new();
        let mut buf = [0u8; 16384];
        loop {
            let n = match desk_read.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => n,
            };
            seen.extend_from_slice(&buf[..n]);
            let ends = seen.windows(5).any(|w| w == b"\r\n.\r\n");
            if ends && hold.load(Ordering::SeqCst) == Hold::Answer as u8 {
                held.store(1, Ordering::SeqCst);
            }
            if ends {
                seen.clear();
            } else if seen.len() > 8 {
                seen.drain(..seen.len() - 8);
            }
            if relay_write.write_all(&buf[..n]).await.is_err() {
                return;
            }
        }
    };
    let down = async move {
        let mut buf = [0u8; 4096];
        loop {
            let n = match relay_read.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => n,
            };
            let go_ahead = buf[..n].starts_with(b"354")
                && hold_down.load(Ordering::SeqCst) == Hold::GoAhead as u8;
            if go_ahead || answer_held.load(Ordering::SeqCst) == 1 {
                holding_down.notify_one();
                std::future::pending::<()>().await;
            }
            if desk_write.write_all(&buf[..n]).await.is_err() {
                return;
            }
        }
    };
    tokio::select! {
        () = up => {}
        () = down => {}
    }
}
