//! The desk reporting on itself: `/ready` says what is missing, `/metrics` is for the
//! scraper's token (or an address of its own) and moves as messages flow.

use std::sync::Arc;

use reqwest::StatusCode;

use super::{CARE_OPERATOR, MEMBER};
use crate::common::{Backend, Options, TestDb, TestServer, said};

const TOKEN: &str = "scrape-me-7f3a9c";

/// A value of the metrics page: the line `name value`.
fn value(page: &str, name: &str) -> f64 {
    page.lines()
        .find_map(|line| line.strip_prefix(name)?.strip_prefix(' '))
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no {name} in\n{page}"))
}

async fn scrape(http: &reqwest::Client, url: &str, token: Option<&str>) -> (StatusCode, String) {
    let mut request = http.get(url);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let reply = request.send().await.expect("an answer");
    (reply.status(), reply.text().await.expect("a body"))
}

pub async fn ready_and_metrics(backend: Backend) {
    // An address of its own for the metrics, besides the token on the desk's address.
    let apart = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port");
    let server = TestServer::start_with(
        Arc::new(TestDb::new(backend).await),
        Options {
            metrics_token: Some(TOKEN.into()),
            metrics_addr: Some(apart),
            ..Options::default()
        },
    )
    .await;
    let http = reqwest::Client::new();
    let ready = server.client().get("/ready").await;
    assert_eq!(ready.status, StatusCode::OK, "{}", ready.body);
    assert_eq!(
        ready.body,
        serde_json::json!({"ready": true, "database": true, "migrations": true, "files": true})
    );

    // The token, and nothing less.
    let url = format!("{}/metrics", server.base);
    assert_eq!(scrape(&http, &url, None).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(
        scrape(&http, &url, Some("scrape-me")).await.0,
        StatusCode::UNAUTHORIZED
    );
    let (status, before) = scrape(&http, &url, Some(TOKEN)).await;
    assert_eq!(status, StatusCode::OK, "{before}");
    assert!(
        before.contains("# TYPE switchboard_commit_seconds histogram"),
        "{before}"
    );
    assert!(!before.contains(TOKEN), "no secret on the page");

    // Messages flow: a socket opens, commands are answered, events are committed.
    let anna = server.signed_in(MEMBER).await;
    let ivan = server.signed_in(CARE_OPERATOR).await;
    let care = anna.department("Customer care").await;
    let ticket = anna.start_ticket(care, "Metrics", "Count me").await;
    let mut socket = ivan.socket().await;
    socket.follow_ticket(ticket, None).await;
    for n in 0..3 {
        assert!(
            anna.message(ticket, &said(&format!("more {n}")))
                .await
                .status
                .is_success()
        );
    }
    let (_, after) = scrape(&http, &format!("http://{apart}/metrics"), None).await;
    assert!(value(&after, "switchboard_sockets_open") >= 1.0, "{after}");
    assert!(
        value(&after, "switchboard_events_total")
            >= value(&before, "switchboard_events_total") + 4.0,
        "a ticket created and three messages"
    );
    assert!(
        value(&after, "switchboard_commit_seconds_count")
            >= value(&before, "switchboard_commit_seconds_count") + 4.0
    );
    assert!(
        value(&after, "switchboard_command_seconds_count")
            > value(&before, "switchboard_command_seconds_count"),
        "the socket's subscription is a command"
    );
    assert_eq!(value(&after, "switchboard_outbox_backlog"), 0.0);
    assert!(
        after.contains("switchboard_db_connections{state=\"max\"} 8\n"),
        "{after}"
    );
    drop(socket);

    // The file store stops taking files: not ready, and it says so.
    let dir = server.files.path().to_owned();
    std::fs::remove_dir_all(&dir).expect("the files go");
    std::fs::write(&dir, b"not a directory").expect("a file in its place");
    let ready = server.client().get("/ready").await;
    assert_eq!(ready.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(ready.body["files"], false);
    assert_eq!(ready.body["database"], true);
    std::fs::remove_file(&dir).expect("the file goes");
    std::fs::create_dir(&dir).expect("the directory is back");
    if backend == Backend::Postgres {
        server.db.kill().await;
        let ready = server.client().get("/ready").await;
        assert_eq!(ready.status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(ready.body["database"], false);
        assert_eq!(ready.body["migrations"], false);
    }
}

/// Without a token set, `/metrics` is not served on the desk's address.
pub async fn no_token_no_metrics(backend: Backend) {
    let server = TestServer::start(backend).await;
    let (status, _) = scrape(
        &reqwest::Client::new(),
        &format!("{}/metrics", server.base),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
