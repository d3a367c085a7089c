//! Mail in over IMAP (RFC 9051, and the IMAP4rev1 servers still everywhere): the few
//! commands a desk needs — `LOGIN`, `SELECT`, `UID SEARCH`, `UID FETCH`, `UID STORE`, `IDLE`
//! (RFC 2177) — over TLS, STARTTLS or, for a server beside the desk, plain TCP. Every read is
//! bounded: a line, the number of lines of a response, and a literal's size.

use std::time::Duration;

use tokio::{
    io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader},
    net::TcpStream,
    time::timeout,
};

use super::smtp::Security;
use super::smtp::{Io, tls};
use crate::config::Secret;

/// Longest line read (but a literal).
const LINE: u64 = 64 * 1024;
/// Most lines (with their literals) of one response.
const LINES: usize = 100_000;

/// Where a mailbox's mail is, and who may read it.
#[derive(Debug, Clone)]
pub struct Account {
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub user: String,
    pub password: Secret,
    pub folder: String,
    pub step_timeout: Duration,
}

/// Why talking to the server failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImapError {
    /// The connection failed or the server said something we cannot use: try later.
    #[error("{0}")]
    Broken(String),
    /// The server refused: wrong user or password, no such folder.
    #[error("refused: {0}")]
    Refused(String),
}

fn broken(what: impl std::fmt::Display) -> ImapError {
    ImapError::Broken(what.to_string())
}

/// One line of a response, with the literals it carried (`{n}` then n bytes), in order.
#[derive(Debug, Default)]
struct Line {
    text: String,
    literals: Vec<Vec<u8>>,
}

/// The folder as selected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Selected {
    pub uid_validity: u32,
    pub exists: u32,
}

/// A signed-in session.
pub struct Session {
    io: BufReader<Box<dyn Io>>,
    tag: u32,
    step_timeout: Duration,
    capabilities: String,
    /// The server said mail arrived (an untagged `EXISTS` in some response) since the last
    /// wait.
    news: bool,
}

/// An IMAP quoted string, or `None` for what one cannot carry (line breaks, NUL).
fn quoted(value: &str) -> Option<String> {
    if value.contains(['\r', '\n', '\0']) {
        return None;
    }
    Some(format!(
        "\"{}\"",
        value.replace('\\', "\\\\").replace('"', "\\\"")
    ))
}

/// The number after `key` in `text` (`UIDVALIDITY 3857529045`).
fn number_after(text: &str, key: &str) -> Option<u32> {
    let upper = text.to_ascii_uppercase();
    let at = upper.find(key)? + key.len();
    text[at..]
        .trim_start()
        .split(|c: char| !c.is_ascii_digit())
        .next()?
        .parse()
        .ok()
}

impl Session {
    /// Connects, protects the connection as `account` says, and signs in.
    pub async fn open(account: &Account) -> Result<Session, ImapError> {
        let tcp = timeout(
            account.step_timeout,
            TcpStream::connect((account.host.as_str(), account.port)),
        )
        .await
        .map_err(|_| broken("the IMAP server did not accept a connection in time"))?
        .map_err(|e| broken(format!("connecting to the IMAP server: {e}")))?;
        let mut io: Box<dyn Io> = Box::new(tcp);
        let failure = |e: super::smtp::Failure| broken(e.to_string());
        if account.security == Security::Tls {
            io = tls(&account.host, account.step_timeout, io)
                .await
                .map_err(failure)?;
        }
        let mut session = Session {
            io: BufReader::new(io),
            tag: 0,
            step_timeout: account.step_timeout,
            capabilities: String::new(),
            news: false,
        };
        let greeting = session.read_line(0).await?;
        if !greeting.text.starts_with("* OK") && !greeting.text.starts_with("* PREAUTH") {
            return Err(broken(format!(
                "the IMAP server greeted: {}",
                greeting.text
            )));
        }
        if account.security == Security::Starttls {
            session.command("STARTTLS").await?;
            let plain = std::mem::replace(
                &mut session.io,
                BufReader::new(Box::new(super::smtp::Empty)),
            );
            let upgraded = tls(&account.host, account.step_timeout, plain.into_inner())
                .await
                .map_err(failure)?;
            session.io = BufReader::new(upgraded);
        }
        let (user, password) = match (quoted(&account.user), quoted(account.password.expose())) {
            (Some(u), Some(p)) => (u, p),
            _ => {
                return Err(ImapError::Refused(
                    "the user or password cannot be sent".into(),
                ));
            }
        };
        let done = session
            .command(&format!("LOGIN {user} {password}"))
            .await
            .map_err(|e| match e {
                ImapError::Refused(_) => {
                    ImapError::Refused("the server refused the sign-in".into())
                }
                other => other,
            })?;
        session.capabilities = done
            .iter()
            .map(|l| l.text.as_str())
            .find(|l| l.to_ascii_uppercase().contains("CAPABILITY"))
            .unwrap_or_default()
            .to_owned();
        if session.capabilities.is_empty() {
            let said = session.command("CAPABILITY").await?;
            session.capabilities = said
                .iter()
                .map(|l| l.text.as_str())
                .find(|l| l.starts_with("* CAPABILITY"))
                .unwrap_or_default()
                .to_owned();
        }
        Ok(session)
    }

    /// Whether the server offers `IDLE`.
    pub fn can_idle(&self) -> bool {
        self.capabilities
            .to_ascii_uppercase()
            .split_whitespace()
            .any(|c| c == "IDLE")
    }

    async fn read_line(&mut self, max_literal: u64) -> Result<Line, ImapError> {
        let mut line = Line::default();
        loop {
            let mut raw = Vec::new();
            let read = timeout(
                self.step_timeout,
                (&mut self.io).take(LINE).read_until(b'\n', &mut raw),
            )
            .await
            .map_err(|_| broken("the IMAP server did not answer in time"))?
            .map_err(|e| broken(format!("reading from the IMAP server: {e}")))?;
            if read == 0 {
                return Err(broken("the IMAP server closed the connection"));
            }
            let text = String::from_utf8_lossy(&raw);
            let text = text.trim_end_matches(['\r', '\n']);
            line.text.push_str(text);
            // A literal follows: `{n}` (or `{n+}`) at the end of the line.
            let literal = text
                .strip_suffix('}')
                .and_then(|t| t.rsplit_once('{'))
                .and_then(|(_, n)| n.trim_end_matches('+').parse::<u64>().ok());
            let Some(size) = literal else {
                return Ok(line);
            };
            if size > max_literal {
                return Err(broken(format!(
                    "the IMAP server sent {size} bytes where at most {max_literal} were asked for"
                )));
            }
            let mut bytes = vec![0u8; usize::try_from(size).unwrap_or(0)];
            timeout(self.step_timeout, self.io.read_exact(&mut bytes))
                .await
                .map_err(|_| broken("the IMAP server did not send in time"))?
                .map_err(|e| broken(format!("reading from the IMAP server: {e}")))?;
            line.literals.push(bytes);
        }
    }

    async fn send(&mut self, line: &str) -> Result<String, ImapError> {
        self.tag += 1;
        let tag = format!("a{}", self.tag);
        let io = self.io.get_mut();
        timeout(self.step_timeout, async {
            io.write_all(format!("{tag} {line}\r\n").as_bytes()).await?;
            io.flush().await
        })
        .await
        .map_err(|_| broken("the IMAP server did not read in time"))?
        .map_err(|e| broken(format!("writing to the IMAP server: {e}")))?;
        Ok(tag)
    }

    /// Sends `line` and reads its response: the untagged lines, once the server said `OK`.
    async fn command(&mut self, line: &str) -> Result<Vec<Line>, ImapError> {
        self.command_with(line, 0).await
    }

    async fn command_with(&mut self, line: &str, max_literal: u64) -> Result<Vec<Line>, ImapError> {
        let tag = self.send(line).await?;
        let mut lines = Vec::new();
        for _ in 0..LINES {
            let read = self.read_line(max_literal).await?;
            if read.text.starts_with("* ") && read.text.to_ascii_uppercase().ends_with(" EXISTS") {
                self.news = true;
            }
            if let Some(status) = read.text.strip_prefix(&format!("{tag} ")) {
                let verb = line.split_whitespace().next().unwrap_or_default();
                return if status.to_ascii_uppercase().starts_with("OK") {
                    lines.push(read);
                    Ok(lines)
                } else if status.to_ascii_uppercase().starts_with("NO") {
                    Err(ImapError::Refused(format!("{verb}: {status}")))
                } else {
                    Err(broken(format!("{verb}: {status}")))
                };
            }
            lines.push(read);
        }
        Err(broken("the IMAP server's response is too long"))
    }

    /// Opens `folder` for reading and writing flags.
    pub async fn select(&mut self, folder: &str) -> Result<Selected, ImapError> {
        let name = quoted(folder).ok_or_else(|| ImapError::Refused("no such folder".into()))?;
        let lines = self.command(&format!("SELECT {name}")).await?;
        let mut selected = Selected {
            uid_validity: 0,
            exists: 0,
        };
        for line in &lines {
            if let Some(v) = number_after(&line.text, "UIDVALIDITY") {
                selected.uid_validity = v;
            }
            if line.text.to_ascii_uppercase().ends_with(" EXISTS") {
                selected.exists = number_after(&line.text, "* ").unwrap_or(0);
            }
        }
        Ok(selected)
    }

    /// The UIDs `UID SEARCH criteria` finds above `above`, lowest first, each once.
    async fn search(&mut self, criteria: &str, above: u32) -> Result<Vec<u32>, ImapError> {
        let lines = self.command(&format!("UID SEARCH {criteria}")).await?;
        let mut uids: Vec<u32> = lines
            .iter()
            .filter_map(|l| l.text.strip_prefix("* SEARCH"))
            .flat_map(|rest| rest.split_whitespace().filter_map(|n| n.parse().ok()))
            .filter(|uid| *uid > above)
            .collect();
        uids.sort_unstable();
        uids.dedup();
        Ok(uids)
    }

    /// The UIDs above `last`, lowest first (`n:*` names the last message even when its UID
    /// is below n: it is left out).
    pub async fn uids_after(&mut self, last: u32) -> Result<Vec<u32>, ImapError> {
        let from = last.saturating_add(1);
        self.search(&format!("UID {from}:*"), last).await
    }

    /// The UIDs of the mail not seen yet, lowest first.
    pub async fn unseen(&mut self) -> Result<Vec<u32>, ImapError> {
        self.search("UNSEEN", 0).await
    }

    /// The raw mail `uid` and its size, not marking it seen; `None` when it is gone. A mail
    /// over `max` bytes comes as its first `max` bytes, with its whole size.
    pub async fn fetch(&mut self, uid: u32, max: u64) -> Result<Option<(Vec<u8>, u64)>, ImapError> {
        let lines = self
            .command_with(
                &format!("UID FETCH {uid} (RFC822.SIZE BODY.PEEK[]<0.{max}>)"),
                max,
            )
            .await?;
        for line in lines {
            if !line.text.starts_with("* ") || !line.text.to_ascii_uppercase().contains("FETCH") {
                continue;
            }
            let size = number_after(&line.text, "RFC822.SIZE").map_or(0, u64::from);
            if let Some(body) = line.literals.into_iter().next() {
                let size = size.max(body.len() as u64);
                return Ok(Some((body, size)));
            }
        }
        Ok(None)
    }

    /// Marks mail `uid` seen.
    pub async fn mark_seen(&mut self, uid: u32) -> Result<(), ImapError> {
        self.command(&format!("UID STORE {uid} +FLAGS.SILENT (\\Seen)"))
            .await
            .map(|_| ())
    }

    /// Waits up to `wait` for the server to say mail arrived (`IDLE`); whether it did.
    pub async fn idle(&mut self, wait: Duration) -> Result<bool, ImapError> {
        // Mail announced in passing is news already: no need to wait for it.
        if std::mem::take(&mut self.news) {
            return Ok(true);
        }
        let tag = self.send("IDLE").await?;
        let go_ahead = self.read_line(0).await?;
        if !go_ahead.text.starts_with('+') {
            return Err(broken(format!("IDLE: {}", go_ahead.text)));
        }
        let step = self.step_timeout;
        // Untagged news may come at any time: read lines until one says mail arrived.
        self.step_timeout = wait;
        let mut arrived = false;
        loop {
            match self.read_line(0).await {
                Ok(line) if line.text.to_ascii_uppercase().ends_with(" EXISTS") => {
                    arrived = true;
                    break;
                }
                Ok(_) => continue,
                Err(ImapError::Broken(why)) if why.contains("in time") => break,
                Err(other) => {
                    self.step_timeout = step;
                    return Err(other);
                }
            }
        }
        self.step_timeout = step;
        let io = self.io.get_mut();
        timeout(step, async {
            io.write_all(b"DONE\r\n").await?;
            io.flush().await
        })
        .await
        .map_err(|_| broken("the IMAP server did not read in time"))?
        .map_err(|e| broken(format!("writing to the IMAP server: {e}")))?;
        for _ in 0..LINES {
            let line = self.read_line(0).await?;
            if line.text.starts_with(&format!("{tag} ")) {
                return Ok(arrived);
            }
            if line.text.to_ascii_uppercase().ends_with(" EXISTS") {
                arrived = true;
            }
        }
        Err(broken("the IMAP server's response is too long"))
    }

    /// Signs out (best effort).
    pub async fn close(mut self) {
        let _ = self.command("LOGOUT").await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_quoted_or_refused() {
        assert_eq!(quoted("a\"b\\c").as_deref(), Some("\"a\\\"b\\\\c\""));
        assert_eq!(quoted("two\r\nlines"), None);
    }

    #[test]
    fn numbers_are_found_after_their_key() {
        assert_eq!(
            number_after("* OK [UIDVALIDITY 3857529045] UIDs valid", "UIDVALIDITY"),
            Some(3_857_529_045)
        );
        assert_eq!(number_after("* 23 EXISTS", "* "), Some(23));
        assert_eq!(
            number_after(
                "* 1 FETCH (UID 7 RFC822.SIZE 2048 BODY[]<0> {2048}",
                "RFC822.SIZE"
            ),
            Some(2048)
        );
    }
}
