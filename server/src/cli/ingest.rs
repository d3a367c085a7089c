//! `switchboard ingest-email`: a mail server pipes one mail in; it is handed to the running
//! desk over HTTP with an API token, and the exit code says what a mail server needs to know
//! (sysexits): 0 taken, 75 try again later (the desk is unreachable or not set up to take
//! it yet — nothing is lost), 65 refused for good (larger than the desk takes).

use std::{io::Read, process::ExitCode, time::Duration};

use tracing::{error, info};

/// The mail was taken (or had been taken before).
const TAKEN: u8 = 0;
/// `EX_DATAERR`: the mail itself is refused; sending it again will not help.
const REFUSED: u8 = 65;
/// `EX_TEMPFAIL`: try again later.
const LATER: u8 = 75;

/// Largest mail read from the standard input (the desk refuses what passes its own limit).
const MAX_READ: u64 = 128 * 1024 * 1024;

/// Hands the mail on the standard input to the desk at `url` through mailbox `mailbox`.
pub async fn ingest(url: &str, mailbox: &str, token: &str) -> ExitCode {
    let mut raw = Vec::new();
    let read = std::io::stdin()
        .lock()
        .take(MAX_READ + 1)
        .read_to_end(&mut raw);
    if let Err(err) = read {
        error!(error = %err, "could not read the mail from the standard input");
        return ExitCode::from(LATER);
    }
    if raw.len() as u64 > MAX_READ {
        error!(bytes = raw.len(), "the mail is too large");
        return ExitCode::from(REFUSED);
    }
    let endpoint = format!(
        "{}/api/mailboxes/{}/mail",
        url.trim_end_matches('/'),
        app::protocol::percent_encode(mailbox)
    );
    // The desk may be behind HTTPS: rustls with ring, as for the object store.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = match s3_client::Client::builder()
        .timeout(Duration::from_secs(120))
        .build()
    {
        Ok(client) => client,
        Err(err) => {
            error!(error = %err, "cannot make an HTTP client");
            return ExitCode::from(LATER);
        }
    };
    let sent = client
        .post(&endpoint)
        .bearer_auth(token)
        .header("content-type", "message/rfc822")
        .body(raw)
        .send()
        .await;
    let response = match sent {
        Ok(response) => response,
        Err(err) => {
            error!(error = %err, "the desk did not answer; try again later");
            return ExitCode::from(LATER);
        }
    };
    let status = response.status();
    let body = response.text().await.unwrap_or_default();
    if status.is_success() {
        info!(answer = %body, "mail taken");
        ExitCode::from(TAKEN)
    } else if status.as_u16() == 413 {
        error!(answer = %body, "the desk refuses a mail this large");
        ExitCode::from(REFUSED)
    } else {
        error!(status = status.as_u16(), answer = %body, "the desk did not take the mail; try again later");
        ExitCode::from(LATER)
    }
}
