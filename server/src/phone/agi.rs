//! FastAGI, the protocol Asterisk speaks to a script over TCP (`AGI(agi://host:4573/menu)`):
//! first the `agi_*` environment, one `name: value` line each, ending with an empty line; then
//! the script's commands, each answered `200 result=…`. A caller hanging up shows as a
//! `HANGUP` line, a `result=-1`, or the connection closing. Every read is bounded in length
//! and time; nothing read reaches a command unchecked.

use std::{collections::HashMap, time::Duration};

use tokio::{
    io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader},
    net::TcpStream,
    time::timeout,
};

/// Longest line read.
const MAX_LINE: usize = 1024;
/// Most environment lines read.
const MAX_ENV: usize = 64;
/// Longest wait for Asterisk to answer a command, beyond the command's own wait.
const ANSWER_WAIT: Duration = Duration::from_secs(10);

/// Why a session ended before the script did.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("the caller hung up")]
    HungUp,
    #[error("the telephony system did not answer in time")]
    Timeout,
    #[error("the telephony system said something unreadable: {0}")]
    Garbled(String),
    #[error("the connection failed: {0}")]
    Io(#[from] std::io::Error),
}

/// One FastAGI session: the channel's environment and its connection.
pub struct Session {
    stream: BufReader<TcpStream>,
    /// The `agi_*` variables, by name without the prefix (`callerid`, `uniqueid`…).
    pub env: HashMap<String, String>,
}

impl Session {
    /// Reads the environment Asterisk sends first.
    pub async fn start(stream: TcpStream) -> Result<Session, Error> {
        let mut session = Session {
            stream: BufReader::new(stream),
            env: HashMap::new(),
        };
        for _ in 0..MAX_ENV {
            let line = session.line(ANSWER_WAIT).await?;
            if line.is_empty() {
                return Ok(session);
            }
            let Some((name, value)) = line.split_once(':') else {
                return Err(Error::Garbled("an environment line without a colon".into()));
            };
            let Some(name) = name.trim().strip_prefix("agi_") else {
                return Err(Error::Garbled("an environment line not agi_".into()));
            };
            session.env.insert(name.to_owned(), value.trim().to_owned());
        }
        Err(Error::Garbled("an environment without its end".into()))
    }

    /// One line, without its end, at most [`MAX_LINE`] bytes.
    async fn line(&mut self, wait: Duration) -> Result<String, Error> {
        let mut raw = Vec::new();
        let read = timeout(
            wait,
            (&mut self.stream)
                .take(MAX_LINE as u64 + 1)
                .read_until(b'\n', &mut raw),
        )
        .await
        .map_err(|_| Error::Timeout)??;
        if read == 0 {
            return Err(Error::HungUp);
        }
        if raw.len() > MAX_LINE {
            return Err(Error::Garbled("a line too long".into()));
        }
        let line = String::from_utf8_lossy(&raw);
        Ok(line.trim_end_matches(['\r', '\n']).to_owned())
    }

    /// Sends `command` and reads its `result` (what follows `result=`, up to a space), waiting
    /// `wait` more than usual (for a prompt that plays, digits typed).
    pub async fn command(&mut self, command: &str, wait: Duration) -> Result<String, Error> {
        let line: String = command.chars().filter(|c| !c.is_control()).collect();
        self.stream
            .get_mut()
            .write_all(format!("{line}\n").as_bytes())
            .await?;
        loop {
            let answer = self.line(wait + ANSWER_WAIT).await?;
            // Asterisk says a hangup on a line of its own before answering.
            if answer == "HANGUP" {
                continue;
            }
            let Some(rest) = answer.strip_prefix("200 result=") else {
                if answer.starts_with("511") {
                    return Err(Error::HungUp);
                }
                return Err(Error::Garbled(format!("an answer not 200: {answer:.40}")));
            };
            let result = rest.split(' ').next().unwrap_or("").to_owned();
            if result == "-1" {
                return Err(Error::HungUp);
            }
            return Ok(result);
        }
    }

    /// Plays a sound file.
    pub async fn play(&mut self, file: &str) -> Result<(), Error> {
        self.command(
            &format!("STREAM FILE {} \"\"", quoted(file)),
            Duration::from_secs(60),
        )
        .await
        .map(|_| ())
    }

    /// Plays `prompt` and reads up to `max` keypad digits (ending early on `#`), waiting
    /// `wait` for them; `None` when none were typed.
    pub async fn digits(
        &mut self,
        prompt: &str,
        wait: Duration,
        max: usize,
    ) -> Result<Option<String>, Error> {
        let result = self
            .command(
                &format!("GET DATA {} {} {max}", quoted(prompt), wait.as_millis()),
                wait + Duration::from_secs(60),
            )
            .await?;
        let digits: String = result.chars().filter(char::is_ascii_digit).collect();
        Ok((!digits.is_empty()).then_some(digits.chars().take(max).collect()))
    }

    /// Says a number aloud.
    pub async fn say_number(&mut self, number: i64) -> Result<(), Error> {
        self.command(
            &format!("SAY NUMBER {number} \"\""),
            Duration::from_secs(30),
        )
        .await
        .map(|_| ())
    }

    /// Sets a channel variable the dialplan reads after the script.
    pub async fn set(&mut self, name: &str, value: &str) -> Result<(), Error> {
        self.command(
            &format!("SET VARIABLE {} {}", quoted(name), quoted(value)),
            Duration::ZERO,
        )
        .await
        .map(|_| ())
    }
}

/// A word made safe as one argument: only letters, digits and `/ _ - .`.
fn quoted(word: &str) -> String {
    word.chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '_' | '-' | '.'))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::quoted;

    #[test]
    fn arguments_cannot_carry_other_commands() {
        assert_eq!(quoted("switchboard/en/menu"), "switchboard/en/menu");
        assert_eq!(quoted("x\nHANGUP"), "xHANGUP");
        assert_eq!(quoted("a b\"c"), "abc");
    }
}
