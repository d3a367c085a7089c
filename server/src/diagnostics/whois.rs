//! A Whois query (RFC 3912): the domain asked of IANA's server, then of the registry it
//! refers to. What comes back is bounded, cleaned of control bytes, and a silent server
//! times out.

use std::time::Duration;

use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};

use super::Error;

/// Most bytes read from one server.
pub const MAX_BYTES: usize = 64 * 1024;

/// Asks `server` (IANA's) about `domain`, then the server it refers to (on the same port);
/// both answers, each under the name of the server that gave it.
pub async fn query(
    server: &str,
    port: u16,
    domain: &str,
    timeout: Duration,
) -> Result<String, Error> {
    let first = ask(server, port, domain, timeout).await?;
    let mut out = format!("% {server}\n{first}");
    if let Some(refer) = referral(&first).filter(|r| !r.eq_ignore_ascii_case(server)) {
        out.push_str(&format!("\n% {refer}\n"));
        match ask(&refer, port, domain, timeout).await {
            Ok(answer) => out.push_str(&answer),
            Err(err) => out.push_str(&format!("% {err}\n")),
        }
    }
    Ok(out)
}

/// The server an answer refers to (`refer:` from IANA, `whois:` from some registries), when
/// it is a host name or an address.
pub fn referral(answer: &str) -> Option<String> {
    answer.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        let key = key.trim().to_ascii_lowercase();
        if key != "refer" && key != "whois" {
            return None;
        }
        let host = value.trim();
        let plausible = !host.is_empty()
            && host.len() <= 253
            && host
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-');
        plausible.then(|| host.to_ascii_lowercase())
    })
}

/// One server's answer: at most [`MAX_BYTES`], control bytes but line ends and tabs dropped.
async fn ask(server: &str, port: u16, domain: &str, timeout: Duration) -> Result<String, Error> {
    let talk = async {
        let mut stream = TcpStream::connect((server, port))
            .await
            .map_err(Error::network)?;
        stream
            .write_all(format!("{domain}\r\n").as_bytes())
            .await
            .map_err(Error::network)?;
        let mut read = Vec::new();
        let mut chunk = [0u8; 8192];
        let mut cut = false;
        loop {
            let n = stream.read(&mut chunk).await.map_err(Error::network)?;
            if n == 0 {
                break;
            }
            let room = MAX_BYTES - read.len();
            read.extend_from_slice(&chunk[..n.min(room)]);
            if n > room || read.len() == MAX_BYTES {
                cut = true;
                break;
            }
        }
        Ok::<_, Error>((read, cut))
    };
    let (read, cut) = tokio::time::timeout(timeout, talk)
        .await
        .map_err(|_| Error::Silent)??;
    let text: String = String::from_utf8_lossy(&read)
        .chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .collect();
    let mut text = text.trim_end().to_owned();
    text.push('\n');
    if cut {
        text.push_str(&format!("% cut at {MAX_BYTES} bytes\n"));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_referral_is_a_host_and_nothing_else() {
        assert_eq!(
            referral("domain: TEST\nrefer:        whois.nic.test\n").as_deref(),
            Some("whois.nic.test")
        );
        assert_eq!(referral("Whois: 127.0.0.1").as_deref(), Some("127.0.0.1"));
        assert_eq!(
            referral("refer: evil.test\r\nx").as_deref(),
            Some("evil.test")
        );
        assert_eq!(referral("refer: evil.test\u{0}x").as_deref(), None);
        assert_eq!(referral("refer: a b").as_deref(), None);
        assert_eq!(referral("nothing here"), None);
    }
}
