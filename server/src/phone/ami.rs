//! Asking Asterisk to dial, over its Manager Interface: sign in, `Originate` (the agent's
//! channel first, then the number in the configured context), sign off. Every step is
//! bounded in time; nothing taken from outside reaches a header line with a line break in it.

use std::time::Duration;

use tokio::{
    io::{AsyncBufReadExt, AsyncWriteExt, BufReader},
    net::TcpStream,
    time::timeout,
};

use crate::config::AmiSettings;

/// Longest wait for one step of the conversation.
const STEP: Duration = Duration::from_secs(5);
/// Longest block of lines read for one answer.
const MAX_LINES: usize = 64;

/// Why Asterisk did not take the call.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("the manager interface cannot be reached: {0}")]
    Unreachable(String),
    #[error("the manager interface refused: {0}")]
    Refused(String),
    #[error("the manager interface did not answer in time")]
    Timeout,
}

/// A value made safe for one header line.
fn header(value: &str) -> String {
    value.chars().filter(|c| !c.is_control()).collect()
}

/// One answer's `Response` and `Message`, skipping events that come between.
async fn answer(reader: &mut BufReader<TcpStream>) -> Result<(String, String), Error> {
    loop {
        let mut response = None;
        let mut message = String::new();
        let mut event = false;
        for _ in 0..MAX_LINES {
            let mut line = String::new();
            let read = timeout(STEP, reader.read_line(&mut line))
                .await
                .map_err(|_| Error::Timeout)?
                .map_err(|e| Error::Unreachable(e.to_string()))?;
            if read == 0 {
                return Err(Error::Unreachable("closed".into()));
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            match line.split_once(':') {
                Some(("Response", value)) => response = Some(value.trim().to_owned()),
                Some(("Message", value)) => message = value.trim().to_owned(),
                Some(("Event", _)) => event = true,
                _ => {}
            }
        }
        if let Some(response) = response {
            return Ok((response, message));
        }
        if !event {
            return Err(Error::Refused("an answer without a response".into()));
        }
    }
}

async fn send(reader: &mut BufReader<TcpStream>, lines: &[(&str, String)]) -> Result<(), Error> {
    let mut block = String::new();
    for (name, value) in lines {
        block.push_str(&format!("{name}: {}\r\n", header(value)));
    }
    block.push_str("\r\n");
    timeout(STEP, reader.get_mut().write_all(block.as_bytes()))
        .await
        .map_err(|_| Error::Timeout)?
        .map_err(|e| Error::Unreachable(e.to_string()))
}

async fn expect_success(reader: &mut BufReader<TcpStream>) -> Result<(), Error> {
    let (response, message) = answer(reader).await?;
    if response.eq_ignore_ascii_case("success") {
        Ok(())
    } else {
        Err(Error::Refused(message))
    }
}

/// Asks Asterisk to ring the agent at `extension` and, once they pick up, to dial `number`;
/// `tag` goes with the call as the channel variable `SWITCHBOARD_CALLBACK`.
pub async fn originate(
    settings: &AmiSettings,
    extension: &str,
    number: &str,
    tag: &str,
) -> Result<(), Error> {
    let stream = timeout(
        STEP,
        TcpStream::connect((settings.host.as_str(), settings.port)),
    )
    .await
    .map_err(|_| Error::Timeout)?
    .map_err(|e| Error::Unreachable(e.to_string()))?;
    let mut reader = BufReader::new(stream);
    let mut banner = String::new();
    timeout(STEP, reader.read_line(&mut banner))
        .await
        .map_err(|_| Error::Timeout)?
        .map_err(|e| Error::Unreachable(e.to_string()))?;
    send(
        &mut reader,
        &[
            ("Action", "Login".into()),
            ("ActionID", "switchboard-login".into()),
            ("Username", settings.user.clone()),
            ("Secret", settings.secret.expose().to_owned()),
            ("Events", "off".into()),
        ],
    )
    .await?;
    expect_success(&mut reader).await?;
    let mut originate = vec![
        ("Action", "Originate".to_owned()),
        ("ActionID", format!("switchboard-{tag}")),
        (
            "Channel",
            settings.channel.replace("{extension}", extension),
        ),
        ("Context", settings.context.clone()),
        ("Exten", number.to_owned()),
        ("Priority", "1".into()),
        ("Timeout", "30000".into()),
        ("Async", "true".into()),
        ("Variable", format!("SWITCHBOARD_CALLBACK={tag}")),
    ];
    if let Some(caller_id) = &settings.caller_id {
        originate.push(("CallerID", caller_id.clone()));
    }
    send(&mut reader, &originate).await?;
    let taken = expect_success(&mut reader).await;
    let _ = send(&mut reader, &[("Action", "Logoff".into())]).await;
    taken
}

#[cfg(test)]
mod tests {
    use super::header;

    #[test]
    fn header_values_cannot_break_lines() {
        assert_eq!(header("201\r\nAction: Command"), "201Action: Command");
    }
}
