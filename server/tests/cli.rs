//! The `switchboard` binary itself: its commands, and serving from anywhere.

use std::{
    io::{BufRead, BufReader},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

const BIN: &str = env!("CARGO_BIN_EXE_switchboard");

fn run(args: &[&str]) -> (bool, String) {
    let out = Command::new(BIN)
        .args(args)
        .env("RUST_LOG", "info")
        .output()
        .expect("the binary runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// Kills the server when the test ends, however it ends.
struct Served(Child);

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `switchboard serve` with `args` from another working directory on a free port and
/// waits until it says it is serving; its address, and the server (killed when dropped).
fn serve(args: &[&str]) -> (String, Served, tempfile::TempDir) {
    let port = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
        probe.local_addr().expect("its address").port()
    };
    let addr = format!("127.0.0.1:{port}");
    let elsewhere = tempfile::tempdir().expect("a directory");
    let mut child = Command::new(BIN)
        .args(["serve", "--addr", &addr])
        .args(args)
        .current_dir(elsewhere.path())
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("serves");
    let stderr = child.stderr.take().expect("its log");
    let served = Served(child);
    // Wait for the log line that says it listens (no sleeping, no polling the port). A
    // thread reads the log, so that a full pipe never blocks the server.
    let (lines_tx, lines_rx) = std::sync::mpsc::channel::<String>();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = lines_tx.send(line);
        }
    });
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = lines_rx
            .recv_timeout(left)
            .expect("the server says it is serving");
        if line.contains("serving Switchboard") {
            break;
        }
    }
    (addr, served, elsewhere)
}

/// Signs in at the desk at `addr` as `email` with `password`; the answer.
async fn sign_in(
    client: &reqwest::Client,
    addr: &str,
    email: &str,
    password: &str,
) -> reqwest::Response {
    client
        .post(format!("http://{addr}/api/login"))
        .json(&app::protocol::LoginRequest {
            email: email.into(),
            password: password.into(),
        })
        .send()
        .await
        .expect("answers")
}

/// A client signed in at the desk at `addr` as `email`, keeping its session cookie.
async fn signed_in(addr: &str, email: &str, password: &str) -> reqwest::Client {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .expect("a client");
    let login = sign_in(&client, addr, email, password).await;
    assert_eq!(login.status(), reqwest::StatusCode::OK, "{email} signs in");
    client
}

/// What `client` reads at `path` of the desk at `addr`, as JSON.
async fn read<T: serde::de::DeserializeOwned>(
    client: &reqwest::Client,
    addr: &str,
    path: &str,
) -> T {
    client
        .get(format!("http://{addr}{path}"))
        .send()
        .await
        .expect("answers")
        .json()
        .await
        .expect("JSON")
}

#[test]
fn help_lists_every_command_and_each_has_its_own_help() {
    let (ok, text) = run(&["--help"]);
    assert!(ok, "{text}");
    for command in ["serve", "migrate", "demo", "create-user"] {
        assert!(text.contains(command), "--help lists {command}: {text}");
        let (ok, sub) = run(&[command, "--help"]);
        assert!(ok && sub.contains("Usage"), "{command} --help: {sub}");
    }
    let (ok, sub) = run(&["create-user", "--help"]);
    assert!(ok && sub.contains("--role"), "{sub}");
    let (ok, _) = run(&["no-such-command"]);
    assert!(!ok);
}

#[test]
fn create_user_then_sign_in_on_a_server_started_from_elsewhere() {
    let data = tempfile::tempdir().expect("a directory");
    let data_arg = data.path().to_str().expect("utf-8 path");
    let (ok, text) = run(&["migrate", "--data", data_arg]);
    assert!(ok, "{text}");
    let (ok, text) = run(&["migrate", "--data", data_arg]);
    assert!(ok, "migrating twice is harmless: {text}");
    let (ok, text) = run(&["demo", "--data", data_arg]);
    assert!(ok, "{text}");
    let (ok, text) = run(&[
        "create-user",
        "--data",
        data_arg,
        "--email",
        "new@desk.example",
        "--name",
        "New Operator",
        "--role",
        "operator",
        "--password",
        "long enough",
        "--department",
        "Billing",
    ]);
    assert!(ok, "{text}");
    assert!(!text.contains("long enough"), "the password is not logged");
    let (ok, text) = run(&[
        "create-user",
        "--data",
        data_arg,
        "--email",
        "new@desk.example",
        "--name",
        "Again",
        "--role",
        "operator",
        "--password",
        "long enough",
    ]);
    assert!(!ok && text.contains("already has an account"), "{text}");
    let (ok, text) = run(&[
        "create-user",
        "--data",
        data_arg,
        "--email",
        "x@desk.example",
        "--name",
        "X",
        "--role",
        "king",
        "--password",
        "long enough",
    ]);
    assert!(!ok, "{text}");

    // Served from another working directory, on a chosen address.
    let (addr, served, elsewhere) = serve(&["--data", data_arg]);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let client = reqwest::Client::new();
        let health = client
            .get(format!("http://{addr}/health"))
            .send()
            .await
            .expect("answers");
        assert_eq!(health.status(), reqwest::StatusCode::OK);
        let login = sign_in(&client, &addr, "new@desk.example", "long enough").await;
        assert_eq!(login.status(), reqwest::StatusCode::OK);
        let me: app::protocol::Me = login.json().await.expect("a person");
        assert_eq!(me.role, app::protocol::Role::Operator);
        assert_eq!(
            me.departments
                .iter()
                .map(|d| d.name.as_str())
                .collect::<Vec<_>>(),
            vec!["Billing"]
        );
    });
    assert!(
        data.path().join("switchboard.db").exists(),
        "the database is under --data"
    );
    assert!(
        !elsewhere.path().join("data").exists(),
        "nothing written to the working directory"
    );
    drop(served);
}

#[test]
fn a_russian_desk_is_one_flag_away_demo_data_and_pages_included() {
    let data = tempfile::tempdir().expect("a directory");
    let data_arg = data.path().to_str().expect("utf-8 path");
    let (ok, text) = run(&["demo", "--data", data_arg, "--language", "ru"]);
    assert!(ok, "{text}");
    let (ok, text) = run(&["demo", "--data", data_arg, "--language", "fr"]);
    assert!(!ok && text.contains("en or ru"), "{text}");

    let (addr, served, _elsewhere) = serve(&["--data", data_arg, "--language", "ru"]);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let client = reqwest::Client::new();
        // A browser that says no language gets the desk's own.
        let page = client
            .get(format!("http://{addr}/login"))
            .send()
            .await
            .expect("answers")
            .text()
            .await
            .expect("a page");
        assert!(
            page.contains("<html lang=\"ru\"") && page.contains("Войти"),
            "{page}"
        );
        let login = sign_in(&client, &addr, "ivan@desk.example", "switchboard").await;
        assert_eq!(login.status(), reqwest::StatusCode::OK);
        let me: app::protocol::Me = login.json().await.expect("a person");
        assert_eq!(me.name, "Иван Соколов");
        let names: Vec<&str> = me.departments.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["Обслуживание клиентов"]);
        let marks: Vec<&str> = me.rating_marks.iter().map(|m| m.label.as_str()).collect();
        assert_eq!(marks, ["Ответ устраивает", "Ответ неполный", "Не помогло"]);
        assert!(me.queues.iter().any(|q| q.name == "Чат"), "{:?}", me.queues);
        // The call centre's lists and the members' accounts speak Russian too.
        let ada = signed_in(&addr, "ada@desk.example", "switchboard").await;
        let state: app::protocol::AdminState = read(&ada, &addr, "/api/admin").await;
        assert_eq!(state.call_end_reasons.len(), 24);
        assert_eq!(
            state.call_end_reasons[0].label,
            "Адрес, телефон торговой точки"
        );
        let boris: app::protocol::MemberAccount = read(&ada, &addr, "/api/members/lp-1002").await;
        assert_eq!(boris.city.as_deref(), Some("Казань"));
        assert_eq!(
            boris.cards[0].block_reason.as_deref(),
            Some("Утеряна участником")
        );
    });
    drop(served);
}

#[test]
fn a_new_russian_desk_names_its_own_lists_in_russian() {
    let data = tempfile::tempdir().expect("a directory");
    let data_arg = data.path().to_str().expect("utf-8 path");
    let (ok, text) = run(&["migrate", "--data", data_arg, "--language", "ru"]);
    assert!(ok, "{text}");
    let (ok, text) = run(&[
        "create-user",
        "--data",
        data_arg,
        "--email",
        "boss@desk.example",
        "--name",
        "Начальник",
        "--role",
        "administrator",
        "--password",
        "long enough",
    ]);
    assert!(ok, "{text}");
    let (addr, served, _elsewhere) = serve(&["--data", data_arg, "--language", "ru"]);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let boss = signed_in(&addr, "boss@desk.example", "long enough").await;
        let state: app::protocol::AdminState = read(&boss, &addr, "/api/admin").await;
        assert_eq!(state.call_end_reasons[23].label, "Другое");
        assert!(
            state.queues.iter().any(|q| q.queue.name == "Чат"),
            "{:?}",
            state.queues
        );
        assert!(
            state.rating_marks.iter().any(|m| m.label == "Не помогло"),
            "{:?}",
            state.rating_marks
        );
    });
    drop(served);
}
