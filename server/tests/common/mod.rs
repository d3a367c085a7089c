//! Test harness: a real Switchboard server on an ephemeral port against a fresh database
//! (a new SQLite file, or a new PostgreSQL database), with typed HTTP and WebSocket clients.
#![allow(dead_code)]

use std::{
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

use app::protocol::{
    ClientMsgId, DepartmentId, EditRequest, Event, LoginRequest, Me, NewMessageRequest,
    NewTicketRequest, TicketId,
};
use reqwest::{Method, StatusCode, cookie::CookieStore};
use server::{config::Settings, state::AppState};
use sqlx::Connection;
use tokio::{sync::oneshot, task::JoinHandle};
use tokio_tungstenite::{
    MaybeTlsStream,
    tungstenite::{self, client::IntoClientRequest, http::HeaderValue},
};

pub mod node;
pub mod phone;
pub mod relay;
mod s3;
mod socket;
pub use s3::TestBucket;
/// The demo accounts the suites sign in as (every one with the demo password): the demo
/// data's own list.
#[allow(unused_imports)]
pub use server::service::demo::people;
#[allow(unused_imports)]
pub use socket::{Closed, Socket};

/// How long any wait for a condition may take before the test fails.
pub const DEADLINE: Duration = Duration::from_secs(15);

/// The database a test runs against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

fn unique_name() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "sb_test_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed),
        nanos
    )
}

/// The PostgreSQL server tests use (the machine's own).
pub fn postgres_admin_url() -> String {
    std::env::var("SWITCHBOARD_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

fn with_database(url: &str, database: &str) -> String {
    let mut url = url::Url::parse(url).expect("a PostgreSQL URL");
    url.set_path(database);
    url.to_string()
}

/// A fresh database, removed when dropped.
pub struct TestDb {
    pub url: String,
    pub backend: Backend,
    name: Option<String>,
    _dir: Option<tempfile::TempDir>,
}

impl TestDb {
    /// A new empty database of `backend`.
    pub async fn new(backend: Backend) -> TestDb {
        sqlx::any::install_default_drivers();
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("a temporary directory");
                let url = format!("sqlite://{}?mode=rwc", dir.path().join("test.db").display());
                TestDb {
                    url,
                    backend,
                    name: None,
                    _dir: Some(dir),
                }
            }
            Backend::Postgres => {
                let admin = postgres_admin_url();
                let name = unique_name();
                let mut conn = sqlx::AnyConnection::connect(&admin)
                    .await
                    .unwrap_or_else(|e| {
                        panic!("PostgreSQL at {admin} is needed for this test: {e}")
                    });
                sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                    .execute(&mut conn)
                    .await
                    .expect("create the test database");
                let _ = conn.close().await;
                TestDb {
                    url: with_database(&admin, &name),
                    backend,
                    name: Some(name),
                    _dir: None,
                }
            }
        }
    }

    /// Removes the database now, with every connection to it (a "dead database").
    pub async fn kill(&self) {
        if let Some(name) = &self.name {
            drop_database(name).await;
        }
    }
}

async fn drop_database(name: &str) {
    if let Ok(mut conn) = sqlx::AnyConnection::connect(&postgres_admin_url()).await {
        let _ = sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
        )))
        .execute(&mut conn)
        .await;
        let _ = conn.close().await;
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(name) = self.name.take() {
            // Drop runs outside any runtime we may block on; use a small one of its own.
            let _ = std::thread::spawn(move || {
                if let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    rt.block_on(drop_database(&name));
                }
            })
            .join();
        }
    }
}

/// A running server.
pub struct TestServer {
    pub base: String,
    pub addr: std::net::SocketAddr,
    pub state: AppState,
    pub db: Arc<TestDb>,
    /// The local file store's directory (unused with an S3 bucket).
    pub files: Arc<tempfile::TempDir>,
    /// The data directory (the secret key's file).
    pub data: Arc<tempfile::TempDir>,
    /// The S3 bucket files are in, if any (removed with the last server using it).
    pub bucket: Option<Arc<TestBucket>>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<std::io::Result<()>>>,
}

/// Knobs for a test server.
#[derive(Clone)]
pub struct Options {
    pub heartbeat_secs: u64,
    pub presence_ttl_secs: u64,
    pub socket_queue: usize,
    pub demo: bool,
    pub max_file_bytes: u64,
    pub max_message_bytes: u64,
    /// Files in this S3 bucket instead of a local directory.
    pub bucket: Option<Arc<TestBucket>>,
    /// Limits on abuse.
    pub limits: server::config::Limits,
    /// Proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<String>,
    /// The database at another address than the test database's own (a proxy to it).
    pub database_url: Option<String>,
    /// How long a request or a command may take.
    pub request_timeout_secs: u64,
    /// How long a connection may stay quiet.
    pub idle_timeout_secs: u64,
    /// How long a member waits on a take before it lapses (0: never).
    pub take_timeout_secs: u64,
    /// The relay mail leaves through, if any.
    pub smtp: Option<server::config::SmtpSettings>,
    /// The call centre's settings.
    pub phone: server::config::PhoneSettings,
    /// The token `/metrics` asks for.
    pub metrics_token: Option<String>,
    /// An address of its own serving `/metrics`.
    pub metrics_addr: Option<std::net::SocketAddr>,
    /// Where quick diagnostics ask.
    pub diagnostics: server::config::DiagnosticsSettings,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            heartbeat_secs: 5,
            presence_ttl_secs: 15,
            socket_queue: 1024,
            demo: true,
            max_file_bytes: Settings::default().max_file_bytes,
            max_message_bytes: Settings::default().max_message_bytes,
            bucket: None,
            limits: server::config::Limits::default(),
            trusted_proxies: Vec::new(),
            database_url: None,
            request_timeout_secs: Settings::default().request_timeout_secs,
            idle_timeout_secs: Settings::default().idle_timeout_secs,
            take_timeout_secs: 0,
            smtp: None,
            phone: Default::default(),
            metrics_token: None,
            metrics_addr: None,
            diagnostics: Default::default(),
        }
    }
}

impl TestServer {
    /// A server with demo data on a fresh database of `backend`.
    pub async fn start(backend: Backend) -> TestServer {
        Self::start_with(Arc::new(TestDb::new(backend).await), Options::default()).await
    }

    /// Two nodes on one fresh PostgreSQL database, the first with the demo data.
    pub async fn two_nodes() -> (TestServer, TestServer) {
        let db = Arc::new(TestDb::new(Backend::Postgres).await);
        let one = Self::start_with(db.clone(), Options::default()).await;
        let two = Self::start_with(
            db,
            Options {
                demo: false,
                ..Options::default()
            },
        )
        .await;
        (one, two)
    }

    /// A server on `db` (which may already hold data) with `options`.
    pub async fn start_with(db: Arc<TestDb>, options: Options) -> TestServer {
        // The server's warnings and errors show in a failing test's output.
        let _ = tracing_subscriber::fmt()
            .with_env_filter("warn")
            .with_test_writer()
            .try_init();
        let files = Arc::new(tempfile::tempdir().expect("a directory for files"));
        let data = Arc::new(tempfile::tempdir().expect("a data directory"));
        let settings = Settings {
            addr: "127.0.0.1:0".parse().expect("an address"),
            files_dir: Some(files.path().to_owned()),
            // The secret key's file is made at start in a directory of its own.
            data_dir: data.path().to_owned(),
            s3: options.bucket.as_ref().map(|b| b.settings.clone()),
            max_file_bytes: options.max_file_bytes,
            max_message_bytes: options.max_message_bytes,
            database_url: Some(server::config::Secret::new(
                options
                    .database_url
                    .clone()
                    .unwrap_or_else(|| db.url.clone()),
            )),
            request_timeout_secs: options.request_timeout_secs,
            idle_timeout_secs: options.idle_timeout_secs,
            take_timeout_secs: options.take_timeout_secs,
            database_max_connections: 8,
            heartbeat_secs: options.heartbeat_secs,
            presence_ttl_secs: options.presence_ttl_secs,
            socket_queue: options.socket_queue,
            limits: options.limits.clone(),
            trusted_proxies: options.trusted_proxies.clone(),
            smtp: options.smtp.clone(),
            phone: options.phone.clone(),
            metrics_token: options
                .metrics_token
                .clone()
                .map(server::config::Secret::new),
            metrics_addr: options.metrics_addr,
            diagnostics: options.diagnostics.clone(),
            ..Settings::default()
        };
        let state = server::prepare(settings)
            .await
            .expect("the server prepares");
        if options.demo {
            state
                .desk
                .load_demo_if_empty(app::i18n::Lang::En)
                .await
                .expect("demo data loads");
        }
        // Bound before serving: clients can connect at once.
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("an ephemeral port");
        let addr = listener.local_addr().expect("its address");
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(server::serve(listener, state.clone(), async {
            let _ = stopped.await;
        }));
        TestServer {
            base: format!("http://{addr}"),
            addr,
            state,
            db,
            files,
            data,
            bucket: options.bucket.clone(),
            stop: Some(stop),
            task: Some(task),
        }
    }

    /// Stops the server and waits until it has.
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = tokio::time::timeout(DEADLINE, task).await;
        }
    }

    /// An HTTP client with its own cookie jar (not signed in).
    pub fn client(&self) -> Client {
        Client::for_addr(self.addr)
    }

    /// A client signed in as `email` (demo password).
    pub async fn signed_in(&self, email: &str) -> Client {
        let client = self.client();
        let me = client.login(email).await;
        assert_eq!(me.email, email);
        client
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// An HTTP client of one person, with their cookies.
#[derive(Clone)]
pub struct Client {
    pub http: reqwest::Client,
    jar: Arc<reqwest::cookie::Jar>,
    pub base: String,
    addr: std::net::SocketAddr,
}

/// A JSON response: its status and body.
pub struct Reply {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: serde_json::Value,
}

impl Reply {
    /// The body as a typed value.
    pub fn json<T: serde::de::DeserializeOwned>(&self) -> T {
        serde_json::from_value(self.body.clone())
            .unwrap_or_else(|e| panic!("unexpected body {}: {e}", self.body))
    }

    /// The `code` of an error body.
    pub fn code(&self) -> &str {
        self.body["code"].as_str().unwrap_or("")
    }

    /// Asserts a `422 invalid` whose message names `field` first.
    pub fn assert_invalid(&self, field: &str) {
        assert_eq!(
            self.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}: {}",
            self.body
        );
        let message = self.body["message"].as_str().unwrap_or("");
        assert!(message.starts_with(field), "{field}: {}", self.body);
        assert_eq!(self.body["field"], field, "the refusal names its field");
    }
}

impl Client {
    /// A client (not signed in) of the server at `addr`, with its own cookie jar.
    pub fn for_addr(addr: std::net::SocketAddr) -> Client {
        Self::with_jar(addr, Arc::new(reqwest::cookie::Jar::default()))
    }

    /// A client of the server at `addr` keeping its cookies in `jar`.
    fn with_jar(addr: std::net::SocketAddr, jar: Arc<reqwest::cookie::Jar>) -> Client {
        // As a browser on the desk's own pages does: writes carrying the cookie say where
        // they come from.
        Self::with_header(addr, jar, reqwest::header::ORIGIN, format!("http://{addr}"))
    }

    /// A client of the server at `addr` keeping its cookies in `jar`, sending `name: value`
    /// with every request.
    fn with_header(
        addr: std::net::SocketAddr,
        jar: Arc<reqwest::cookie::Jar>,
        name: reqwest::header::HeaderName,
        value: String,
    ) -> Client {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(name, HeaderValue::from_str(&value).expect("a header value"));
        Client {
            http: reqwest::Client::builder()
                .cookie_provider(jar.clone())
                .default_headers(headers)
                .build()
                .expect("an HTTP client"),
            jar,
            base: format!("http://{addr}"),
            addr,
        }
    }

    /// A script's client of the same server: no cookies, no `Origin`, every request with
    /// `Authorization: Bearer <secret>`.
    pub fn bearer(&self, secret: &str) -> Client {
        Self::with_header(
            self.addr,
            Arc::new(reqwest::cookie::Jar::default()),
            reqwest::header::AUTHORIZATION,
            format!("Bearer {secret}"),
        )
    }

    /// The same person (same cookies) talking to another server, such as one restarted on
    /// the same database.
    pub fn to_server(&self, server: &TestServer) -> Client {
        let cookie = self.cookie();
        let url: reqwest::Url = server.base.parse().expect("a URL");
        if let Some(cookie) = cookie.as_ref().and_then(|c| c.to_str().ok()) {
            for pair in cookie.split("; ") {
                self.jar.add_cookie_str(pair, &url);
            }
        }
        Client::with_jar(server.addr, self.jar.clone())
    }

    /// Sends a request with an optional JSON body.
    pub async fn request(
        &self,
        method: Method,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> Reply {
        let mut req = self.http.request(method, format!("{}{path}", self.base));
        if let Some(body) = body {
            req = req.json(&body);
        }
        let res = req.send().await.expect("the server answers");
        Self::reply(res).await
    }

    /// Sends `body`, a request type of `app::protocol` (or any serializable value), as JSON.
    pub async fn send(&self, method: Method, path: &str, body: &impl serde::Serialize) -> Reply {
        let res = self
            .http
            .request(method, format!("{}{path}", self.base))
            .json(body)
            .send()
            .await
            .expect("the server answers");
        Self::reply(res).await
    }

    /// Reads a response as JSON (an empty body reads as `null`).
    pub async fn reply(res: reqwest::Response) -> Reply {
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.bytes().await.expect("a body");
        let body = if bytes.is_empty() {
            serde_json::Value::Null
        } else {
            serde_json::from_slice(&bytes).unwrap_or_else(|_| {
                panic!(
                    "non-JSON body ({status}): {}",
                    String::from_utf8_lossy(&bytes)
                )
            })
        };
        Reply {
            status,
            headers,
            body,
        }
    }

    /// A `GET` whose answer is not JSON (a CSV file, a page): status, headers and text.
    pub async fn get_text(&self, path: &str) -> (StatusCode, reqwest::header::HeaderMap, String) {
        let res = self
            .http
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .expect("the server answers");
        let (status, headers) = (res.status(), res.headers().clone());
        (status, headers, res.text().await.expect("a body"))
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.request(Method::GET, path, None).await
    }

    /// Posts `body` (a request type of `app::protocol`, or raw JSON where a malformed
    /// body is the point).
    pub async fn post(&self, path: &str, body: &impl serde::Serialize) -> Reply {
        self.send(Method::POST, path, body).await
    }

    /// Submits a page's form without fields to `path`, as the browser does (with its
    /// `Origin`), following the redirect back to a page; the final response.
    pub async fn submit(&self, path: &str) -> reqwest::Response {
        self.http
            .post(format!("{}{path}", self.base))
            .header("origin", &self.base)
            .form(&[("x", "")])
            .send()
            .await
            .expect("an answer")
    }

    /// Posts an action that takes no parameters (`take`, `release`, `reopen`…).
    pub async fn act(&self, path: &str) -> Reply {
        self.post(path, &serde_json::Map::new()).await
    }

    /// Posts a message to a ticket.
    pub async fn message(&self, ticket: TicketId, message: &NewMessageRequest) -> Reply {
        self.post(&format!("/api/tickets/{ticket}/messages"), message)
            .await
    }

    /// Posts a message with a fresh client id.
    pub async fn say(&self, ticket: TicketId, body: &str) -> Reply {
        self.message(ticket, &said(body)).await
    }

    /// Edits message `seq` of a ticket.
    pub async fn edit(&self, ticket: TicketId, seq: i64, body: &str) -> Reply {
        let edit = EditRequest { body: body.into() };
        self.send(
            Method::PATCH,
            &format!("/api/tickets/{ticket}/messages/{seq}"),
            &edit,
        )
        .await
    }

    /// Signs in with `password`.
    pub async fn login_with(&self, email: &str, password: &str) -> Reply {
        let login = LoginRequest {
            email: email.into(),
            password: password.into(),
        };
        self.post("/api/login", &login).await
    }

    /// Signs in with the demo password.
    pub async fn login(&self, email: &str) -> Me {
        let reply = self
            .login_with(email, server::service::demo::PASSWORD)
            .await;
        assert_eq!(
            reply.status,
            StatusCode::OK,
            "login of {email}: {}",
            reply.body
        );
        reply.json()
    }

    /// The session cookie header, if any.
    pub fn cookie(&self) -> Option<HeaderValue> {
        let url = self.base.parse().expect("a URL");
        self.jar
            .cookies(&url)
            .and_then(|v| HeaderValue::from_bytes(v.as_bytes()).ok())
    }

    /// A department id by name.
    pub async fn department(&self, name: &str) -> DepartmentId {
        let reply = self.get("/api/departments").await;
        let all: Vec<app::protocol::Department> = reply.json();
        all.into_iter()
            .find(|d| d.name == name)
            .unwrap_or_else(|| panic!("no department {name}"))
            .id
    }

    /// A member of staff's id by name, as the signed-in staff member's desk lists them.
    pub async fn staff_id(&self, name: &str) -> app::protocol::UserId {
        let me: app::protocol::Me = self.get("/api/me").await.json();
        me.staff
            .iter()
            .find(|m| m.person.name == name)
            .unwrap_or_else(|| panic!("no staff member {name}"))
            .person
            .id
    }

    /// A ticket with its whole log, as this person reads it (panics when refused).
    pub async fn detail(&self, ticket: TicketId) -> app::protocol::TicketDetail {
        self.get(&format!("/api/tickets/{ticket}")).await.json()
    }

    /// Searches over HTTP.
    pub async fn search(&self, query: &str) -> Reply {
        let url = format!("/api/search?q={}", urlencoding(query));
        self.get(&url).await
    }

    /// Opens a ticket over HTTP; its id.
    pub async fn start_ticket(
        &self,
        department: DepartmentId,
        subject: &str,
        body: &str,
    ) -> TicketId {
        let reply = self
            .post("/api/tickets", &new_ticket(department, subject, body))
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
        reply.json::<app::protocol::Written>().ticket_id
    }

    /// Opens a socket with this client's session and the server's own Origin.
    pub async fn socket(&self) -> Socket {
        let origin = format!("http://{}", self.addr);
        self.socket_with(self.cookie(), Some(&origin))
            .await
            .expect("the socket opens")
    }

    /// Opens a socket with the given cookie and Origin; the refusal's status when refused.
    pub async fn socket_with(
        &self,
        cookie: Option<HeaderValue>,
        origin: Option<&str>,
    ) -> Result<Socket, (StatusCode, String)> {
        let mut req = format!("ws://{}/ws", self.addr)
            .into_client_request()
            .expect("a request");
        if let Some(cookie) = cookie {
            req.headers_mut().insert("cookie", cookie);
        }
        if let Some(origin) = origin {
            req.headers_mut()
                .insert("origin", HeaderValue::from_str(origin).expect("an origin"));
        }
        self.open(req, None).await
    }

    /// Opens a socket whose receive buffer is tiny, so that a reader that does not read
    /// pushes back on the server at once (instead of the kernel absorbing megabytes).
    pub async fn stalled_socket(&self) -> Socket {
        let origin = format!("http://{}", self.addr);
        let mut req = format!("ws://{}/ws", self.addr)
            .into_client_request()
            .expect("a request");
        if let Some(cookie) = self.cookie() {
            req.headers_mut().insert("cookie", cookie);
        }
        req.headers_mut()
            .insert("origin", HeaderValue::from_str(&origin).expect("an origin"));
        self.open(req, Some(4096)).await.expect("the socket opens")
    }

    async fn open(
        &self,
        req: tungstenite::handshake::client::Request,
        recv_buffer: Option<u32>,
    ) -> Result<Socket, (StatusCode, String)> {
        let socket = tokio::net::TcpSocket::new_v4().expect("a TCP socket");
        if let Some(size) = recv_buffer {
            socket
                .set_recv_buffer_size(size)
                .expect("a receive buffer size");
        }
        let stream = socket.connect(self.addr).await.expect("connects");
        match tokio_tungstenite::client_async(req, MaybeTlsStream::Plain(stream)).await {
            Ok((ws, _)) => {
                let mut socket = Socket::new(ws);
                match socket.next().await {
                    Event::Hello { .. } => Ok(socket),
                    other => panic!("expected hello, got {other:?}"),
                }
            }
            Err(tungstenite::Error::Http(res)) => {
                let status = StatusCode::from_u16(res.status().as_u16()).expect("a status");
                let body = res
                    .body()
                    .as_ref()
                    .map(|b| String::from_utf8_lossy(b).into_owned())
                    .unwrap_or_default();
                Err((status, body))
            }
            Err(other) => panic!("socket failed: {other}"),
        }
    }
}

/// Percent-encodes a query string value.
pub fn urlencoding(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// A message with a fresh client id; staff options by struct update
/// (`NewMessageRequest { hidden: true, ..said("note") }`).
pub fn said(body: &str) -> NewMessageRequest {
    NewMessageRequest {
        seen: None,
        client_msg_id: new_msg_id(),
        body: body.into(),
        hidden: false,
        close: false,
        attachments: Vec::new(),
    }
}

/// Limits on abuse high enough for a test that floods on purpose (the limits themselves are
/// tested on their own).
pub fn flood_limits() -> server::config::Limits {
    server::config::Limits {
        socket_commands_per_sec: 10_000.0,
        person_commands_per_sec: 10_000.0,
        ..Default::default()
    }
}

/// The messages (not notes) of a ticket as read, their bodies in order.
pub fn message_bodies(detail: &app::protocol::TicketDetail) -> Vec<&str> {
    detail
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            app::protocol::EventKind::Message { body, .. } => Some(body.as_str()),
            _ => None,
        })
        .collect()
}

/// A hidden note with a fresh client id.
pub fn note(body: &str) -> NewMessageRequest {
    NewMessageRequest {
        hidden: true,
        ..said(body)
    }
}

/// A new conversation with a fresh client id.
pub fn new_ticket(department: DepartmentId, subject: &str, body: &str) -> NewTicketRequest {
    NewTicketRequest {
        client_msg_id: new_msg_id(),
        department_id: department,
        subject: subject.into(),
        body: body.into(),
        attachments: Vec::new(),
        form: None,
    }
}

/// A fresh client message id.
pub fn new_msg_id() -> ClientMsgId {
    ClientMsgId::parse(&format!("t-{}", unique_name().replace('_', "-"))).expect("a valid id")
}

/// Runs a test body once on SQLite and once on PostgreSQL.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident => $body:path;)*) => {
        $(
            mod $name {
                use super::*;
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    $body(common::Backend::Sqlite).await;
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    $body(common::Backend::Postgres).await;
                }
            }
        )*
    };
}

/// A mail of the corpus in `tests/fixtures/mail/`, with `{{TICKET}}` filled in (the tag sits
/// in ASCII headers, so the rest of the bytes, whatever their charset, stay as they are).
pub fn mail_fixture(name: &str, ticket: Option<TicketId>) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/mail/{name}", env!("CARGO_MANIFEST_DIR"));
    let raw = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    match ticket {
        Some(id) => String::from_utf8_lossy(&raw)
            .replace("{{TICKET}}", &id.to_string())
            .into_bytes(),
        None => raw,
    }
}

/// The secret of a fresh API token of the demo administrator, named `name`.
pub async fn admin_token(server: &TestServer, name: &str) -> String {
    token_of(&server.signed_in(people::ADA).await, name).await
}

/// The secret of a fresh API token of `ada` (an administrator, signed in), named `name`.
pub async fn token_of(ada: &Client, name: &str) -> String {
    let made = ada
        .post(
            "/api/tokens",
            &app::protocol::NewTokenRequest {
                name: name.into(),
                scope: app::protocol::Role::Administrator,
                owner_id: None,
            },
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    made.json::<app::protocol::NewToken>().secret
}

/// A mail gateway's client: an administrator's token named `name`, no cookie.
pub async fn mail_gateway(server: &TestServer, name: &str) -> Client {
    server.client().bearer(&admin_token(server, name).await)
}

/// Hands raw mail in through `mailbox`.
pub async fn hand_in_raw(gateway: &Client, mailbox: &str, raw: Vec<u8>) -> Reply {
    let res = gateway
        .http
        .post(format!("{}/api/mailboxes/{mailbox}/mail", gateway.base))
        .header("content-type", "message/rfc822")
        .body(raw)
        .send()
        .await
        .expect("an answer");
    Client::reply(res).await
}
