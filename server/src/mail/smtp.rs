//! Mail out over SMTP (RFC 5321): one conversation with the relay per mail — plain TCP,
//! STARTTLS, or TLS from the first byte, `AUTH PLAIN` when a user is set. The caller is asked
//! once more just before the data's final dot: before it, the relay drops the mail if the
//! conversation breaks; after it, the relay holds the mail. That moment is what lets the
//! outbox send every mail exactly once.

use std::{
    future::Future,
    pin::Pin,
    sync::Arc,
    task::{Context, Poll},
    time::Duration,
};

use base64::Engine;
use tokio::{
    io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader, ReadBuf},
    net::TcpStream,
    time::timeout,
};

pub use app::protocol::MailSecurity as Security;

use crate::config::Secret;

/// Longest reply line read from a relay.
const REPLY_LINE: u64 = 2048;
/// Most lines of one reply.
const REPLY_LINES: usize = 100;

/// Where and how mail leaves.
#[derive(Debug, Clone)]
pub struct Relay {
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub user: Option<String>,
    pub password: Option<Secret>,
    /// The name this desk gives itself in `EHLO`.
    pub helo: String,
    /// Longest wait for any one step.
    pub step_timeout: Duration,
}

/// How a delivery went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    /// The relay took the mail.
    Accepted,
    /// The caller declined at the last moment: the data never ended, the relay drops it.
    Withheld,
}

/// Why a mail did not go.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Failure {
    /// Worth trying later: the relay said 4xx, or could not be reached or understood.
    #[error("temporary: {0}")]
    Temporary(String),
    /// Never deliverable as it is: the relay said 5xx (an unknown mailbox, say).
    #[error("permanent: {0}")]
    Permanent(String),
    /// The data's end was written but the relay's answer never came: it most likely holds
    /// the mail; sending again could deliver it twice.
    #[error("unconfirmed: {0}")]
    Unconfirmed(String),
}

/// A connection, plain or protected.
pub(crate) trait Io: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Io for T {}

/// A relay's reply: its code and its text, lines joined.
struct Reply {
    code: u16,
    text: String,
}

impl Reply {
    fn failure(&self, step: &str) -> Failure {
        let said = format!("{step}: {} {}", self.code, self.text);
        if (500..600).contains(&self.code) {
            Failure::Permanent(said)
        } else {
            Failure::Temporary(said)
        }
    }
}

struct Conversation {
    io: BufReader<Box<dyn Io>>,
    step_timeout: Duration,
}

impl Conversation {
    async fn read_reply(&mut self) -> Result<Reply, Failure> {
        let mut text = Vec::new();
        for _ in 0..REPLY_LINES {
            let mut line = String::new();
            let read = timeout(
                self.step_timeout,
                (&mut self.io).take(REPLY_LINE).read_line(&mut line),
            )
            .await
            .map_err(|_| Failure::Temporary("the relay did not answer in time".into()))?
            .map_err(|e| Failure::Temporary(format!("reading the relay's answer: {e}")))?;
            if read == 0 {
                return Err(Failure::Temporary("the relay closed the connection".into()));
            }
            let line = line.trim_end();
            let code = line
                .get(..3)
                .and_then(|c| c.parse::<u16>().ok())
                .ok_or_else(|| Failure::Temporary("the relay's answer is not SMTP".into()))?;
            text.push(line.get(4..).unwrap_or_default().to_owned());
            if line.as_bytes().get(3) != Some(&b'-') {
                return Ok(Reply {
                    code,
                    text: text.join(" "),
                });
            }
        }
        Err(Failure::Temporary("the relay's answer is too long".into()))
    }

    async fn write(&mut self, bytes: &[u8]) -> Result<(), Failure> {
        let io = self.io.get_mut();
        timeout(self.step_timeout, async {
            io.write_all(bytes).await?;
            io.flush().await
        })
        .await
        .map_err(|_| Failure::Temporary("the relay did not read in time".into()))?
        .map_err(|e| Failure::Temporary(format!("writing to the relay: {e}")))
    }

    /// Sends `line` and expects a reply in `2xx`/`3xx` (`want` is its first digit).
    async fn command(&mut self, line: &str, want: u16, step: &str) -> Result<Reply, Failure> {
        self.write(format!("{line}\r\n").as_bytes()).await?;
        let reply = self.read_reply().await?;
        if reply.code / 100 == want {
            Ok(reply)
        } else {
            Err(reply.failure(step))
        }
    }
}

fn tls_config() -> Result<Arc<rustls::ClientConfig>, Failure> {
    use rustls_platform_verifier::BuilderVerifierExt;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .and_then(|b| b.with_platform_verifier())
        .map_err(|e| Failure::Temporary(format!("TLS: {e}")))?
        .with_no_client_auth();
    Ok(Arc::new(config))
}

/// `io` protected with TLS, the server's certificate checked for `host` the way the system
/// checks certificates.
pub(crate) async fn tls(
    host: &str,
    step_timeout: Duration,
    io: Box<dyn Io>,
) -> Result<Box<dyn Io>, Failure> {
    let name = rustls::pki_types::ServerName::try_from(host.to_owned())
        .map_err(|e| Failure::Permanent(format!("TLS: the server's name: {e}")))?;
    let connector = tokio_rustls::TlsConnector::from(tls_config()?);
    let stream = timeout(step_timeout, connector.connect(name, io))
        .await
        .map_err(|_| Failure::Temporary("TLS: no handshake in time".into()))?
        .map_err(|e| Failure::Temporary(format!("TLS: {e}")))?;
    Ok(Box::new(stream))
}

/// The data as SMTP carries it: lines ending in CRLF, a leading dot doubled, without the
/// final dot.
fn stuffed(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + 64);
    let mut at_line_start = true;
    let mut previous = 0u8;
    for &b in data {
        if b == b'\n' && previous != b'\r' {
            out.push(b'\r');
        }
        if at_line_start && b == b'.' {
            out.push(b'.');
        }
        out.push(b);
        at_line_start = b == b'\n';
        previous = b;
    }
    if !out.ends_with(b"\r\n") {
        out.extend_from_slice(b"\r\n");
    }
    out
}

/// Delivers `data` from `sender` (the envelope's return path: bounces come back to it) to
/// `recipient` through `relay`. `commit` is awaited just before the final dot; when it says
/// no, the data is not ended and the relay drops the mail.
pub async fn deliver<F, Fut>(
    relay: &Relay,
    sender: &str,
    recipient: &str,
    data: &[u8],
    commit: F,
) -> Result<Delivery, Failure>
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = bool>,
{
    if [sender, recipient]
        .iter()
        .any(|a| a.contains(['<', '>', '\r', '\n', ' ']))
    {
        return Err(Failure::Permanent("an address SMTP cannot carry".into()));
    }
    let tcp = timeout(
        relay.step_timeout,
        TcpStream::connect((relay.host.as_str(), relay.port)),
    )
    .await
    .map_err(|_| Failure::Temporary("the relay did not accept a connection in time".into()))?
    .map_err(|e| Failure::Temporary(format!("connecting to the relay: {e}")))?;
    let mut io: Box<dyn Io> = Box::new(tcp);
    if relay.security == Security::Tls {
        io = tls(&relay.host, relay.step_timeout, io).await?;
    }
    let mut talk = Conversation {
        io: BufReader::new(io),
        step_timeout: relay.step_timeout,
    };
    let greeting = talk.read_reply().await?;
    if greeting.code != 220 {
        return Err(greeting.failure("greeting"));
    }
    let ehlo = format!("EHLO {}", relay.helo);
    let offered = talk.command(&ehlo, 2, "EHLO").await?;
    if relay.security == Security::Starttls {
        if !offered.text.to_ascii_uppercase().contains("STARTTLS") {
            return Err(Failure::Temporary(
                "the relay does not offer STARTTLS".into(),
            ));
        }
        talk.command("STARTTLS", 2, "STARTTLS").await?;
        let plain = std::mem::replace(&mut talk.io, BufReader::new(Box::new(Empty)));
        talk.io = BufReader::new(tls(&relay.host, relay.step_timeout, plain.into_inner()).await?);
        talk.command(&ehlo, 2, "EHLO").await?;
    }
    if let (Some(user), Some(password)) = (&relay.user, &relay.password) {
        let token = base64::engine::general_purpose::STANDARD
            .encode(format!("\0{user}\0{}", password.expose()));
        talk.command(&format!("AUTH PLAIN {token}"), 2, "AUTH")
            .await?;
    }
    talk.command(&format!("MAIL FROM:<{sender}>"), 2, "MAIL FROM")
        .await?;
    talk.command(&format!("RCPT TO:<{recipient}>"), 2, "RCPT TO")
        .await?;
    talk.command("DATA", 3, "DATA").await?;
    talk.write(&stuffed(data)).await?;
    if !commit().await {
        return Ok(Delivery::Withheld);
    }
    let ended = talk.write(b".\r\n").await;
    let reply = match ended {
        Ok(()) => talk.read_reply().await,
        Err(e) => Err(e),
    };
    match reply {
        Ok(reply) if reply.code / 100 == 2 => {
            let _ = talk.command("QUIT", 2, "QUIT").await;
            Ok(Delivery::Accepted)
        }
        Ok(reply) => Err(reply.failure("end of data")),
        Err(lost) => Err(Failure::Unconfirmed(lost.to_string())),
    }
}

/// A stream that reads nothing and swallows writes: what stands in for a connection while
/// it is being upgraded.
pub(crate) struct Empty;

impl AsyncRead for Empty {
    fn poll_read(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
        _: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

impl AsyncWrite for Empty {
    fn poll_write(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Poll::Ready(Ok(buf.len()))
    }
    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_is_stuffed_and_ends_in_crlf() {
        assert_eq!(stuffed(b".hidden\r\nok\n.\n"), b"..hidden\r\nok\r\n..\r\n");
        assert_eq!(stuffed(b"no end"), b"no end\r\n");
    }
}
