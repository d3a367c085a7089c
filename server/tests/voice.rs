//! The voice menu over FastAGI. Asterisk cannot be installed from the registries here, so
//! these tests drive the server with a client speaking the AGI protocol exactly as Asterisk
//! does: it connects, sends the channel's `agi_*` environment and an empty line, answers each
//! command `200 result=…` (the digits a caller types, for `GET DATA`), and says `HANGUP` when
//! the caller hangs up. On SQLite and PostgreSQL.

use crate::common;

use std::sync::{Arc, Mutex};

use app::protocol::{CardStatus, EventKind, MemberAccount, TicketDetail, TicketSummary};
use common::people::{ANNA, OLGA};
use common::{Backend, Client, Options, TestDb, TestServer, mail_gateway};
use reqwest::StatusCode;
use server::config::PhoneSettings;
use tokio::{
    io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader},
    net::TcpStream,
};

on_both_backends! {
    callers_serve_themselves_in_the_voice_menu_and_reach_an_operator => menu;
}

/// A free port on loopback for the menu to listen on.
fn free_port() -> std::net::SocketAddr {
    let probe = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    probe.local_addr().expect("its address")
}

/// One call through the menu, as Asterisk makes it: what the script asked, in order. `keys`
/// are what the caller types at each `GET DATA` (`None`: nothing before the timeout); when
/// they run out, the caller hangs up.
async fn call(
    addr: std::net::SocketAddr,
    env: &[(&str, &str)],
    keys: &[Option<&str>],
) -> Vec<String> {
    let stream = TcpStream::connect(addr).await.expect("the menu listens");
    let mut stream = BufReader::new(stream);
    let mut block = String::new();
    for (name, value) in env {
        block.push_str(&format!("agi_{name}: {value}\n"));
    }
    block.push('\n');
    stream.get_mut().write_all(block.as_bytes()).await.unwrap();
    let mut keys = keys.iter();
    let mut heard = Vec::new();
    loop {
        let mut line = String::new();
        let read = tokio::time::timeout(common::DEADLINE, stream.read_line(&mut line))
            .await
            .expect("the menu goes on or ends");
        if read.unwrap_or(0) == 0 {
            return heard;
        }
        let command = line.trim_end().to_owned();
        let answer = match command.split(' ').next().unwrap_or("") {
            "ANSWER" => "200 result=0".to_owned(),
            "STREAM" => "200 result=0 endpos=8000".to_owned(),
            "SAY" => "200 result=0".to_owned(),
            "SET" => "200 result=1".to_owned(),
            "GET" => match keys.next() {
                Some(Some(digits)) => format!("200 result={digits}"),
                Some(None) => "200 result= (timeout)".to_owned(),
                None => {
                    // The caller hangs up, as Asterisk tells a FastAGI script.
                    heard.push(command);
                    let _ = stream.get_mut().write_all(b"HANGUP\n200 result=-1\n").await;
                    let mut rest = Vec::new();
                    let _ = stream.read_to_end(&mut rest).await;
                    return heard;
                }
            },
            _ => "510 Invalid or unknown command".to_owned(),
        };
        heard.push(command);
        stream
            .get_mut()
            .write_all(format!("{answer}\n").as_bytes())
            .await
            .unwrap();
    }
}

fn env<'a>(callerid: &'a str, uniqueid: &'a str, language: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("network", "yes"),
        ("network_script", "menu"),
        ("request", "agi://127.0.0.1:4573/menu"),
        ("channel", "PJSIP/trunk-00000001"),
        ("language", language),
        ("type", "PJSIP"),
        ("uniqueid", uniqueid),
        ("version", "20.5.0"),
        ("callerid", callerid),
        ("calleridname", "unknown"),
        ("dnid", "88005553535"),
        ("context", "from-trunk"),
        ("extension", "88005553535"),
        ("priority", "2"),
    ]
}

async fn card(host: &Client, external_id: &str, number: &str) -> (CardStatus, Option<String>) {
    let account: MemberAccount = host
        .get(&format!("/api/members/{external_id}"))
        .await
        .json();
    let card = account
        .cards
        .into_iter()
        .find(|c| c.number == number)
        .expect("the card");
    (card.status, card.block_reason)
}

/// A password hook on loopback: keeps the bodies posted to it, answers 200.
async fn password_hook() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/password", listener.local_addr().unwrap());
    let bodies: Arc<Mutex<Vec<String>>> = Arc::default();
    let kept = bodies.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let mut stream = BufReader::new(stream);
            let mut length = 0;
            loop {
                let mut line = String::new();
                if stream.read_line(&mut line).await.unwrap_or(0) == 0 {
                    break;
                }
                if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = value.trim().parse().unwrap_or(0);
                }
                if line == "\r\n" {
                    break;
                }
            }
            let mut body = vec![0; length];
            let _ = stream.read_exact(&mut body).await;
            kept.lock()
                .unwrap()
                .push(String::from_utf8_lossy(&body).into_owned());
            let _ = stream
                .get_mut()
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
                .await;
        }
    });
    (url, bodies)
}

async fn menu(backend: Backend) {
    let addr = free_port();
    let (hook, bodies) = password_hook().await;
    let server = TestServer::start_with(
        std::sync::Arc::new(TestDb::new(backend).await),
        Options {
            phone: PhoneSettings {
                agi_addr: Some(addr),
                password_hook: Some(hook),
                ..PhoneSettings::default()
            },
            ..Options::default()
        },
    )
    .await;
    let host = mail_gateway(&server, "host platform").await;
    let anna_card = "2700000000001001";
    let before: MemberAccount = host.get("/api/members/lp-1001").await.json();
    let balance = before.cards[0].balance;

    // Anna, known by her number: hears her balance, blocks her card, asks for an operator.
    let heard = call(
        addr,
        &env("79161234501", "menu-1", "en"),
        &[Some("2"), Some("3"), Some("0")],
    )
    .await;
    assert_eq!(heard[0], "ANSWER");
    assert!(
        heard.contains(&"STREAM FILE switchboard/en/welcome \"\"".to_owned()),
        "{heard:?}"
    );
    assert!(
        heard.contains(&format!("SAY NUMBER {balance} \"\"")),
        "{heard:?}"
    );
    assert!(
        heard.contains(&"STREAM FILE switchboard/en/card-blocked \"\"".to_owned()),
        "{heard:?}"
    );
    assert!(
        heard.contains(&"SET VARIABLE SWITCHBOARD_ROUTE operator".to_owned()),
        "{heard:?}"
    );
    assert_eq!(
        card(&host, "lp-1001", anna_card).await,
        (CardStatus::Blocked, Some("At the member's request".into()))
    );

    // The change is in the call's request, by Anna, and in her history; the call is on no
    // agent's screen until the telephony says it reached the queue.
    let olga = server.signed_in(OLGA).await;
    let anna = server.signed_in(ANNA).await;
    let anna_id = anna.get("/api/me").await.json::<app::protocol::Me>().id;
    let hers: Vec<TicketSummary> = olga
        .get(&format!("/api/tickets?state=all&member={}", anna_id.0))
        .await
        .json();
    let request = hers
        .iter()
        .find(|t| t.subject == "Call from +79161234501")
        .expect("the call's request");
    let detail: TicketDetail = olga
        .get(&format!("/api/tickets/{}", request.id))
        .await
        .json();
    assert!(
        detail
            .events
            .iter()
            .any(|e| matches!(e.kind, EventKind::AccountChanged { .. })
                && e.author.as_ref().is_some_and(|a| a.id == anna_id))
    );
    let calls: app::protocol::Calls = olga.get("/api/calls").await.json();
    assert!(calls.calls.is_empty(), "{calls:?}");
    let pbx = mail_gateway(&server, "telephony").await;
    common::phone::report(&pbx, "menu-1", "ring", "+79161234501", None).await;
    let calls: app::protocol::Calls = olga.get("/api/calls").await.json();
    assert_eq!(calls.calls.len(), 1, "in the agents' queue now");

    // A number nobody has, in Russian: a wrong card number, then Boris's new card, activated;
    // three misses in a row reach an operator.
    let boris_new = "2700000099991002";
    let heard = call(
        addr,
        &env("79990000000", "menu-2", "ru"),
        &[
            Some("123"),
            Some(boris_new),
            Some("1"),
            Some("9"),
            None,
            Some("7"),
        ],
    )
    .await;
    assert!(
        heard.contains(&"STREAM FILE switchboard/ru/not-found \"\"".to_owned()),
        "{heard:?}"
    );
    assert!(
        heard.contains(&"STREAM FILE switchboard/ru/card-activated \"\"".to_owned()),
        "{heard:?}"
    );
    assert_eq!(
        heard.last().map(String::as_str),
        Some("STREAM FILE switchboard/ru/operator \"\"")
    );
    assert_eq!(
        card(&host, "lp-1002", boris_new).await.0,
        CardStatus::Active
    );

    // Three wrong card numbers: the operator, no menu.
    let heard = call(
        addr,
        &env("", "menu-3", "en"),
        &[Some("1"), None, Some("42")],
    )
    .await;
    assert!(!heard.iter().any(|c| c.contains("menu")), "{heard:?}");
    assert!(heard.contains(&"SET VARIABLE SWITCHBOARD_ROUTE operator".to_owned()));

    // A new password goes through the hook, never spoken; it signs Anna in.
    let heard = call(addr, &env("+79161234501", "menu-4", "en"), &[Some("5")]).await;
    assert!(
        heard.contains(&"STREAM FILE switchboard/en/password-sent \"\"".to_owned()),
        "{heard:?}"
    );
    assert!(
        !heard.iter().any(|c| c.starts_with("SAY")),
        "never spoken: {heard:?}"
    );
    let posted: serde_json::Value =
        serde_json::from_str(&bodies.lock().unwrap()[0]).expect("JSON to the hook");
    assert_eq!(posted["member"]["external_id"], "lp-1001");
    let password = posted["password"]
        .as_str()
        .expect("the password")
        .to_owned();
    assert_eq!(
        server.client().login_with(ANNA, &password).await.status,
        StatusCode::OK
    );

    // Broken or hostile sessions end alone; the menu serves the next caller.
    for junk in [&b"not an environment\n\n"[..], &vec![b'a'; 5000][..]] {
        let mut stream = TcpStream::connect(addr).await.unwrap();
        stream.write_all(junk).await.unwrap();
        let mut rest = Vec::new();
        let closed = tokio::time::timeout(common::DEADLINE, stream.read_to_end(&mut rest)).await;
        assert!(closed.is_ok(), "closed by the menu");
    }
    let heard = call(addr, &env("79161234501", "menu-5", "en"), &[]).await;
    assert_eq!(heard.last().map(|c| c.starts_with("GET DATA")), Some(true));
}
