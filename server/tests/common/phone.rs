//! The call centre's side of the tests: reporting calls as a telephony system does, an
//! agent's socket on the calls topic, and — since Asterisk cannot be installed from the
//! registries here — a listener speaking Asterisk's Manager Interface as Asterisk does
//! (banner, `Login`, `Originate`, `Logoff`, each answered `Response: Success`), which keeps
//! every action it was sent.

use std::sync::{Arc, Mutex};

use app::protocol::{Call, CallState, CallTaken, Calls, Command, Event, Topic};
use reqwest::StatusCode;
use serde_json::json;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

use super::{Client, Socket};

/// Anna's number in the demo accounts (`lp-1001`).
pub const ANNAS_PHONE: &str = "+79161234501";

pub async fn report(
    pbx: &Client,
    call: &str,
    event: &str,
    caller: &str,
    agent: Option<&str>,
) -> CallTaken {
    let mut body =
        json!({"call_id": call, "event": event, "caller": caller, "line": "88005553535"});
    if let Some(agent) = agent {
        body["agent"] = json!(agent);
    }
    let reply = pbx.post("/api/calls/events", &body).await;
    assert_eq!(reply.status, StatusCode::OK, "{event}: {}", reply.body);
    reply.json()
}

/// Asks `socket` to follow the calls topic.
pub async fn follow_calls(socket: &mut Socket) {
    socket
        .send(&Command::Subscribe {
            topic: Topic::Calls,
            since: None,
            filter: None,
        })
        .await;
}

/// A socket following the calls topic, and its snapshot.
pub async fn calls_socket(client: &Client) -> (Socket, Calls) {
    let mut socket = client.socket().await;
    follow_calls(&mut socket).await;
    let (calls, _) = socket
        .until(|e| match e {
            Event::Calls { calls } => Some(calls.clone()),
            _ => None,
        })
        .await;
    (socket, calls)
}

pub async fn changed(socket: &mut Socket, id: &str, state: CallState) -> Call {
    socket
        .until(|e| match e {
            Event::CallChanged { call } if call.id == id && call.state == state => {
                Some(call.clone())
            }
            _ => None,
        })
        .await
        .0
}

pub async fn gone(socket: &mut Socket, id: &str) {
    socket
        .until(|e| matches!(e, Event::CallGone { call_id } if call_id == id).then_some(()))
        .await;
}

/// One action the fake Manager Interface received: its headers, in order.
pub type AmiAction = Vec<(String, String)>;

/// A fake Asterisk Manager Interface on loopback: its port and the actions it received.
pub async fn fake_ami(secret: &'static str) -> (u16, Arc<Mutex<Vec<AmiAction>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a port");
    let port = listener.local_addr().expect("its address").port();
    let seen: Arc<Mutex<Vec<AmiAction>>> = Arc::default();
    let kept = seen.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let kept = kept.clone();
            tokio::spawn(async move {
                let mut reader = BufReader::new(stream);
                let _ = reader
                    .get_mut()
                    .write_all(b"Asterisk Call Manager/7.0.3\r\n")
                    .await;
                let mut action: AmiAction = Vec::new();
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).await.unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end().to_owned();
                    if !line.is_empty() {
                        if let Some((name, value)) = line.split_once(':') {
                            action.push((name.trim().to_owned(), value.trim().to_owned()));
                        }
                        continue;
                    }
                    let get = |name: &str| {
                        action
                            .iter()
                            .find(|(n, _)| n == name)
                            .map(|(_, v)| v.clone())
                            .unwrap_or_default()
                    };
                    let answer = match get("Action").as_str() {
                        "Login" if get("Secret") == secret => "Response: Success\r\nMessage: Authentication accepted\r\n\r\n".to_owned(),
                        "Login" => "Response: Error\r\nMessage: Authentication failed\r\n\r\n".to_owned(),
                        // An event may come before an answer, as it does from Asterisk.
                        "Originate" => "Event: FullyBooted\r\nStatus: Fully Booted\r\n\r\nResponse: Success\r\nMessage: Originate successfully queued\r\n\r\n".to_owned(),
                        "Logoff" => "Response: Goodbye\r\nMessage: Thanks for all the fish.\r\n\r\n".to_owned(),
                        other => format!("Response: Error\r\nMessage: Invalid/unknown command: {other}\r\n\r\n"),
                    };
                    kept.lock().unwrap().push(std::mem::take(&mut action));
                    if reader.get_mut().write_all(answer.as_bytes()).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    (port, seen)
}
