//! The widget a host site embeds: an administrator adds the site (its secret shown once);
//! a page of the site hands in a token its backend signed, and the frame gets a widget
//! session — a member's, made or brought up to date from the claims — whose pages only the
//! site's origins may frame. Forged, expired, replayed, foreign and mis-sited tokens are
//! refused; a widget session is a member's and no more, over HTTP and the socket, and ends
//! with the member's sessions or the site. On SQLite and PostgreSQL.

use crate::common;

use app::protocol::{AdminAction, AdminState, Command, ErrorCode, Me, Role};
use common::people::{ADA, ANNA, OLGA};
use common::{Backend, Client, TestServer, new_ticket};
use reqwest::{StatusCode, header};
use serde_json::json;
use server::domain::widget::sign;

on_both_backends! {
    a_signed_token_opens_the_members_desk_in_the_sites_frame => opens;
    forged_expired_replayed_and_foreign_tokens_are_refused => refusals;
    a_widget_session_is_a_members_and_no_more => confined;
}

const HOST: &str = "http://shop.example:8080";

/// A site made by the administrator: its key and its secret.
async fn add_site(ada: &Client, name: &str, origins: &str) -> (String, String) {
    let state: AdminState = ada
        .post(
            "/api/admin",
            &AdminAction::CreateSite {
                name: name.into(),
                origins: origins.into(),
            },
        )
        .await
        .json();
    let secret = state.revealed.expect("the new secret is shown once");
    let site = state
        .sites
        .iter()
        .find(|s| s.id == secret.site_id)
        .expect("the site is listed");
    (site.key.clone(), secret.secret)
}

fn now() -> i64 {
    server::clock::now() / 1000
}

/// Claims of `sub` with a fresh token id, expiring in five minutes.
fn claims(sub: &str, name: &str, email: &str) -> serde_json::Value {
    json!({"sub": sub, "name": name, "email": email, "exp": now() + 300,
           "jti": uuid_like()})
}

fn uuid_like() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    format!("t-{}-{}", now(), NEXT.fetch_add(1, Ordering::Relaxed))
}

/// A browser frame's client: no cookie jar (the test carries the widget cookie itself, as
/// the browser keeps it for the site), no redirects followed.
fn frame_client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client")
}

/// A page of `origin` posts `token` into the frame; the answer.
async fn post_token(
    server: &TestServer,
    key: &str,
    token: &str,
    origin: Option<&str>,
    cookie: Option<&str>,
) -> reqwest::Response {
    let mut req = frame_client()
        .post(format!("{}/widget/{key}", server.base))
        .header("sec-fetch-site", "cross-site")
        .form(&[("token", token), ("lang", "ru")]);
    if let Some(origin) = origin {
        req = req.header(header::ORIGIN, origin);
    }
    if let Some(cookie) = cookie {
        req = req.header(header::COOKIE, cookie);
    }
    req.send().await.expect("the server answers")
}

/// A page of the site posts a token of `claims` signed with `secret`; the answer.
async fn from_host(
    server: &TestServer,
    key: &str,
    claims: &serde_json::Value,
    secret: &str,
) -> reqwest::Response {
    post_token(
        server,
        key,
        &sign(claims, secret.as_bytes()),
        Some(HOST),
        None,
    )
    .await
}

/// The widget cookie (`name=value`) a response sets, with its attributes checked.
fn widget_cookie(res: &reqwest::Response) -> String {
    let set = res
        .headers()
        .get(header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .expect("a widget cookie is set")
        .to_owned();
    for attribute in ["HttpOnly", "Secure", "SameSite=None", "Partitioned"] {
        assert!(set.contains(attribute), "{attribute} in {set}");
    }
    set.split(';').next().unwrap().to_owned()
}

/// Opens the widget for `claims`: the widget cookie.
async fn open(server: &TestServer, key: &str, secret: &str, claims: &serde_json::Value) -> String {
    let res = post_token(
        server,
        key,
        &sign(claims, secret.as_bytes()),
        Some(HOST),
        None,
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()[header::LOCATION], "/account");
    widget_cookie(&res)
}

/// `GET path` as the frame, with `cookie`.
async fn frame_get(server: &TestServer, path: &str, cookie: &str) -> reqwest::Response {
    frame_client()
        .get(format!("{}{path}", server.base))
        .header(header::COOKIE, cookie)
        .send()
        .await
        .expect("the server answers")
}

/// A JSON request as the frame's own page makes it (the desk's origin, the widget cookie).
async fn frame_json(
    server: &TestServer,
    method: reqwest::Method,
    path: &str,
    cookie: &str,
    body: Option<serde_json::Value>,
) -> (StatusCode, serde_json::Value) {
    let mut req = frame_client()
        .request(method, format!("{}{path}", server.base))
        .header(header::COOKIE, cookie)
        .header(header::ORIGIN, &server.base);
    if let Some(body) = body {
        req = req.json(&body);
    }
    let res = req.send().await.expect("the server answers");
    let status = res.status();
    (status, res.json().await.unwrap_or_default())
}

async fn opens(backend: Backend) {
    let server = TestServer::start(backend).await;
    let ada = server.signed_in(ADA).await;
    let (key, secret) = add_site(
        &ada,
        "Shop",
        "https://shop.example\nhttp://shop.example:8080/",
    )
    .await;
    let listed: AdminState = ada.get("/api/admin").await.json();
    let site = listed.sites.iter().find(|s| s.key == key).unwrap();
    assert_eq!(site.origins, ["https://shop.example", HOST]);
    assert_eq!(listed.revealed, None, "the secret is shown once");

    // A new member, from the claims.
    let mut first = claims("shop-77", "Vera Sokolova", "vera@shop.example");
    first["phone"] = json!("+7 916 555-01-77");
    let cookie = open(&server, &key, &secret, &first).await;

    // Their desk, in the host page's language, framed by the site alone.
    let page = frame_get(&server, "/account", &cookie).await;
    assert_eq!(page.status(), StatusCode::OK);
    let policy = page.headers()[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        policy,
        "frame-ancestors https://shop.example http://shop.example:8080"
    );
    assert!(page.headers().get(header::X_FRAME_OPTIONS).is_none());
    let html = page.text().await.unwrap();
    assert!(html.contains("Vera Sokolova"), "the member's own desk");
    assert!(
        html.contains(r#""widget":{"origin":"http://shop.example:8080"}"#),
        "{html}"
    );
    assert!(html.contains("lang=\"ru\""), "in the page's language");
    // Any other page of the desk is framed by no one.
    let login = frame_client()
        .get(format!("{}/login", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(login.headers()[header::X_FRAME_OPTIONS], "DENY");
    assert!(
        login
            .headers()
            .get(header::CONTENT_SECURITY_POLICY)
            .is_none()
    );

    let (status, me) = frame_json(&server, reqwest::Method::GET, "/api/me", &cookie, None).await;
    assert_eq!(status, StatusCode::OK);
    let me: Me = serde_json::from_value(me).unwrap();
    assert_eq!(
        (me.name.as_str(), me.email.as_str(), me.role),
        ("Vera Sokolova", "vera@shop.example", Role::Member)
    );
    let token = common::admin_token(&server, "sync").await;
    let account = ada.bearer(&token).get("/api/members/shop-77").await;
    assert_eq!(account.status, StatusCode::OK, "{}", account.body);
    assert_eq!(account.body["phones"], json!(["+79165550177"]));

    // She writes from the frame, and her socket there hears it.
    let (status, started) = frame_json(
        &server,
        reqwest::Method::POST,
        "/api/tickets",
        &cookie,
        Some(
            serde_json::to_value(new_ticket(
                ada.department("Customer care").await,
                "Order 5512",
                "Where is my parcel?",
            ))
            .unwrap(),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{started}");
    let client = Client::for_addr(server.addr);
    let mut socket = client
        .socket_with(Some(cookie.parse().unwrap()), Some(&server.base))
        .await
        .expect("the widget's socket opens");
    let inbox = socket.follow_list(app::protocol::Topic::Inbox).await;
    assert_eq!(inbox.len(), 1);
    assert_eq!(inbox[0].subject, "Order 5512");
    let vera = me.id;

    // The host renames her and the next token says so: the same member, the same session.
    let renamed = claims("shop-77", "Vera Sokolova-Orlova", "vera@shop.example");
    let res = post_token(
        &server,
        &key,
        &sign(&renamed, secret.as_bytes()),
        Some(HOST),
        Some(&cookie),
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(widget_cookie(&res), cookie, "the frame keeps its session");
    let (_, me) = frame_json(&server, reqwest::Method::GET, "/api/me", &cookie, None).await;
    assert_eq!(me["name"], "Vera Sokolova-Orlova");
    assert_eq!(me["id"], json!(vera.0), "the same member");
    let account = ada.bearer(&token).get("/api/members/shop-77").await;
    assert_eq!(
        account.body["phones"],
        json!(["+79165550177"]),
        "a phone the token leaves out stays"
    );

    // A member added by hand, known by address, is taken over by the host's id; one the
    // host platform keeps under another id is not anyone else's to claim.
    ada.post(
        "/api/admin",
        &AdminAction::CreateMember {
            email: "lev@shop.example".into(),
            name: "Lev".into(),
            phone: None,
        },
    )
    .await;
    let lev = claims("shop-2", "Lev Tolstoy", "lev@shop.example");
    let cookie = open(&server, &key, &secret, &lev).await;
    let (_, me) = frame_json(&server, reqwest::Method::GET, "/api/me", &cookie, None).await;
    assert_eq!(
        (me["email"].as_str(), me["name"].as_str()),
        (Some("lev@shop.example"), Some("Lev Tolstoy"))
    );
    let account = ada.bearer(&token).get("/api/members/shop-2").await;
    assert_eq!(account.status, StatusCode::OK);
    let vera_again = claims("shop-3", "Vera", "vera@shop.example");
    let res = from_host(&server, &key, &vera_again, &secret).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    server.stop().await;
}

async fn refusals(backend: Backend) {
    let server = TestServer::start(backend).await;
    let ada = server.signed_in(ADA).await;
    let (key, secret) = add_site(&ada, "Shop", HOST).await;
    let refused = |res: &reqwest::Response| {
        assert!(
            res.headers().get(header::SET_COOKIE).is_none(),
            "no session"
        );
        res.status()
    };

    let ivan = || claims("shop-9", "Ivan Petrov", "ivan.petrov@shop.example");
    let good = ivan();
    let token = sign(&good, secret.as_bytes());
    // Signed with another secret.
    let forged = sign(&good, b"not the site's secret");
    let res = post_token(&server, &key, &forged, Some(HOST), None).await;
    assert_eq!(refused(&res), StatusCode::UNAUTHORIZED);
    let page = res.text().await.unwrap();
    assert!(
        page.contains("Поддержка не открылась"),
        "said in the page's language: {page}"
    );
    // Expired.
    let mut old = claims("shop-9", "Ivan Petrov", "ivan.petrov@shop.example");
    old["exp"] = json!(now() - 1);
    let res = from_host(&server, &key, &old, &secret).await;
    assert_eq!(refused(&res), StatusCode::UNAUTHORIZED);
    // From a page of another origin, or of none.
    for origin in [Some("https://evil.example"), Some("null"), None] {
        let res = post_token(&server, &key, &token, origin, None).await;
        assert_eq!(refused(&res), StatusCode::FORBIDDEN, "{origin:?}");
        assert_eq!(res.headers()[header::X_FRAME_OPTIONS], "DENY");
    }
    // For a site that is not there.
    let res = post_token(&server, "no-such-site", &token, Some(HOST), None).await;
    assert_eq!(refused(&res), StatusCode::NOT_FOUND);
    // Taken once; the same token again is a replay.
    let res = post_token(&server, &key, &token, Some(HOST), None).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let cookie = widget_cookie(&res);
    let res = post_token(&server, &key, &token, Some(HOST), None).await;
    assert_eq!(refused(&res), StatusCode::UNAUTHORIZED);
    // A token naming a member of staff's address makes no one.
    let staff = claims("shop-10", "Olga", OLGA);
    let res = from_host(&server, &key, &staff, &secret).await;
    assert_eq!(refused(&res), StatusCode::UNAUTHORIZED);
    // Another site's token is not this site's.
    let (other_key, other_secret) = add_site(&ada, "Blog", "https://blog.example").await;
    let theirs = sign(
        &claims("shop-9", "Ivan Petrov", "ivan.petrov@shop.example"),
        other_secret.as_bytes(),
    );
    let res = post_token(&server, &key, &theirs, Some(HOST), None).await;
    assert_eq!(refused(&res), StatusCode::UNAUTHORIZED);
    let res = post_token(&server, &other_key, &theirs, Some(HOST), None).await;
    assert_eq!(
        refused(&res),
        StatusCode::FORBIDDEN,
        "not the blog's origin"
    );

    // A new secret: tokens signed with the old one are refused from then on.
    let site_id = ada
        .get("/api/admin")
        .await
        .json::<AdminState>()
        .sites
        .iter()
        .find(|s| s.key == key)
        .unwrap()
        .id;
    let rotated: AdminState = ada
        .post("/api/admin", &AdminAction::RotateSiteSecret { id: site_id })
        .await
        .json();
    let new_secret = rotated.revealed.expect("shown once").secret;
    assert_ne!(new_secret, secret);
    let res = from_host(&server, &key, &ivan(), &secret).await;
    assert_eq!(refused(&res), StatusCode::UNAUTHORIZED);
    let res = from_host(&server, &key, &ivan(), &new_secret).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);

    // An origin taken off the site, or the site removed: its sessions end at once, their
    // sockets with them.
    let (status, _) = frame_json(&server, reqwest::Method::GET, "/api/me", &cookie, None).await;
    assert_eq!(status, StatusCode::OK);
    let mut socket = Client::for_addr(server.addr)
        .socket_with(Some(cookie.parse().unwrap()), Some(&server.base))
        .await
        .expect("the widget's socket opens");
    ada.post(
        "/api/admin",
        &AdminAction::UpdateSite {
            id: site_id,
            name: "Shop".into(),
            origins: "https://shop.example".into(),
        },
    )
    .await;
    let (status, _) = frame_json(&server, reqwest::Method::GET, "/api/me", &cookie, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let closed = loop {
        if let Err(closed) = socket.next_or_close().await {
            break closed;
        }
    };
    assert_eq!(closed.code, 4001, "{closed:?}");
    let page = frame_get(&server, "/account", &cookie).await;
    assert_eq!(page.status(), StatusCode::SEE_OTHER, "to the sign-in page");
    ada.post("/api/admin", &AdminAction::DeleteSite { id: site_id })
        .await;
    let res = from_host(&server, &key, &ivan(), &new_secret).await;
    assert_eq!(refused(&res), StatusCode::NOT_FOUND);

    // Only administrators manage sites; origins must be origins.
    let olga = server.signed_in(OLGA).await;
    let res = olga
        .post(
            "/api/admin",
            &AdminAction::CreateSite {
                name: "Mine".into(),
                origins: HOST.into(),
            },
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let res = ada
        .post(
            "/api/admin",
            &AdminAction::CreateSite {
                name: "Bad".into(),
                origins: "shop.example/path".into(),
            },
        )
        .await;
    res.assert_invalid("origins");
    let res = ada
        .post(
            "/api/admin",
            &AdminAction::CreateSite {
                name: "Blog".into(),
                origins: HOST.into(),
            },
        )
        .await;
    res.assert_invalid("name");
    server.stop().await;
}

async fn confined(backend: Backend) {
    let server = TestServer::start(backend).await;
    let ada = server.signed_in(ADA).await;
    let (key, secret) = add_site(&ada, "Shop", HOST).await;
    // Anna's ticket, which the widget's member must never reach.
    let anna = server.signed_in(ANNA).await;
    let care = anna.department("Customer care").await;
    let annas = anna.start_ticket(care, "My own", "Private words").await;
    let cookie = open(
        &server,
        &key,
        &secret,
        &claims("shop-5", "Gleb Orlov", "gleb@shop.example"),
    )
    .await;
    let get = |path: String| {
        let cookie = cookie.clone();
        let server = &server;
        async move {
            frame_json(server, reqwest::Method::GET, &path, &cookie, None)
                .await
                .0
        }
    };
    assert_eq!(
        get(format!("/api/tickets/{annas}")).await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(get("/api/admin".into()).await, StatusCode::FORBIDDEN);
    assert_eq!(get("/api/members".into()).await, StatusCode::FORBIDDEN);
    assert_eq!(get("/api/incoming".into()).await, StatusCode::FORBIDDEN);
    // What only the person at their own screen may do, a widget may not.
    assert_eq!(get("/api/tokens".into()).await, StatusCode::FORBIDDEN);
    let (status, _) = frame_json(
        &server,
        reqwest::Method::PUT,
        "/api/me/password",
        &cookie,
        Some(json!({"current_password": "x", "new_password": "another long one"})),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // Staff's pages and the desk's own settings send the frame back to the member's desk.
    for path in ["/board", "/admin", "/password", "/tokens", "/login"] {
        let page = frame_get(&server, path, &cookie).await;
        assert_eq!(page.status(), StatusCode::SEE_OTHER, "{path}");
        assert_eq!(page.headers()[header::LOCATION], "/account", "{path}");
    }
    let (status, list) =
        frame_json(&server, reqwest::Method::GET, "/api/tickets", &cookie, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list, json!([]), "none of anyone else's");

    // Over the socket: a member's commands only.
    let client = Client::for_addr(server.addr);
    let mut socket = client
        .socket_with(Some(cookie.parse().unwrap()), Some(&server.base))
        .await
        .expect("the widget's socket opens");
    socket.next().await;
    let command_id = socket.command_id();
    socket
        .send(&Command::Admin {
            command_id,
            action: None,
        })
        .await;
    assert_eq!(socket.next_error().await, ErrorCode::Forbidden);
    let command_id = socket.command_id();
    socket
        .send(&Command::Take {
            command_id,
            ticket_id: annas,
        })
        .await;
    assert_ne!(socket.next_error().await, ErrorCode::Internal);
    // From another origin the socket does not open at all.
    let foreign = client
        .socket_with(Some(cookie.parse().unwrap()), Some(HOST))
        .await;
    assert_eq!(foreign.err().map(|e| e.0), Some(StatusCode::FORBIDDEN));

    // The member's sessions end everywhere at once: the widget's too, its socket with it.
    let (_, me) = frame_json(&server, reqwest::Method::GET, "/api/me", &cookie, None).await;
    let id = app::protocol::UserId(me["id"].as_i64().unwrap());
    ada.post(
        "/api/admin",
        &AdminAction::ResetPassword {
            id,
            password: "a new long password".into(),
        },
    )
    .await;
    assert_eq!(get("/api/me".into()).await, StatusCode::UNAUTHORIZED);
    assert!(
        socket.next_or_close().await.is_err() || socket.next_or_close().await.is_err(),
        "the socket closes"
    );
    server.stop().await;
}
