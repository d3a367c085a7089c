//! Members signing themselves up: off until an administrator allows it; then name, address
//! and password, a link mailed through a real relay, and the member made and signed in when
//! it is followed — once, and never for an address whose account has a password (its owner
//! is told by mail, the page says the same either way). Checked, refused and rate-limited
//! like any new account. On SQLite and PostgreSQL.

use crate::common;

use app::protocol::{AdminAction, AdminState, Role};
use common::people::{ADA, OLGA};
use common::relay::{MailServers, fresh_address};
use common::{Backend, TestServer};
use mail_parser::MessageParser;
use reqwest::{StatusCode, header};

on_both_backends! {
    signing_up_is_off_until_allowed_and_checks_what_it_is_given => switch;
    a_member_signs_up_and_confirms_the_address_by_the_mailed_link => confirmed;
}

/// A browser on the desk's own pages that does not follow redirects (the test reads them),
/// keeping its cookies.
fn browser(server: &TestServer) -> reqwest::Client {
    let mut headers = header::HeaderMap::new();
    headers.insert(header::ORIGIN, server.base.parse().unwrap());
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .default_headers(headers)
        .build()
        .expect("a client")
}

/// The page at `path` as `client` gets it.
async fn page(server: &TestServer, client: &reqwest::Client, path: &str) -> String {
    let res = client
        .get(format!("{}{path}", server.base))
        .send()
        .await
        .expect("the server answers");
    res.text().await.expect("a page")
}

/// Posts the sign-up form; where it sends the browser.
async fn sign_up(
    server: &TestServer,
    client: &reqwest::Client,
    name: &str,
    email: &str,
    password: &str,
) -> String {
    let res = client
        .post(format!("{}/signup", server.base))
        .form(&[
            ("name", name),
            ("email", email),
            ("password", password),
            ("repeat_password", password),
        ])
        .send()
        .await
        .expect("the server answers");
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    res.headers()[header::LOCATION].to_str().unwrap().to_owned()
}

async fn set_open(server: &TestServer, open: bool) {
    let ada = server.signed_in(ADA).await;
    let state: AdminState = ada
        .post("/api/admin", &AdminAction::SetSignUp { open })
        .await
        .json();
    assert_eq!(state.sign_up_open, open);
}

async fn switch(backend: Backend) {
    let server = TestServer::start(backend).await;
    let client = browser(&server);
    let ada = server.signed_in(ADA).await;
    assert!(
        !ada.get("/api/admin")
            .await
            .json::<AdminState>()
            .sign_up_open,
        "off by default"
    );
    let login = page(&server, &client, "/login").await;
    assert!(
        !login.contains("href=\"/signup\""),
        "no way to sign up is offered"
    );
    let to = sign_up(
        &server,
        &client,
        "Pavel",
        &fresh_address("pavel", "example.org"),
        "a long enough one",
    )
    .await;
    assert_eq!(to, "/signup?error=state-sign-up-closed");
    let closed = page(&server, &client, "/signup").await;
    assert!(closed.contains("Signing up is not open here"), "{closed}");

    // Only an administrator opens it.
    let olga = server.signed_in(OLGA).await;
    let res = olga
        .post("/api/admin", &AdminAction::SetSignUp { open: true })
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    set_open(&server, true).await;
    let login = page(&server, &client, "/login").await;
    assert!(
        login.contains("href=\"/signup\""),
        "the sign-in page offers it"
    );

    // What a new account is checked for, before any mail.
    let address = fresh_address("pavel", "example.org");
    let res = client
        .post(format!("{}/signup", server.base))
        .form(&[
            ("name", "Pavel"),
            ("email", address.as_str()),
            ("password", "one long password"),
            ("repeat_password", "another long one"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()[header::LOCATION], "/signup?error=mismatch");
    assert_eq!(
        sign_up(&server, &client, "Pavel", &address, "short").await,
        "/signup?error=invalid-password-length"
    );
    assert_eq!(
        sign_up(&server, &client, "Pavel", &address, "password123").await,
        "/signup?error=invalid-password-common"
    );
    assert_eq!(
        sign_up(
            &server,
            &client,
            "Pavel",
            "not an address",
            "a long enough one"
        )
        .await,
        "/signup?error=invalid-email"
    );
    assert_eq!(
        sign_up(&server, &client, "", &address, "a long enough one").await,
        "/signup?error=invalid-empty"
    );
    // Without mail out, an address cannot be confirmed: said, and no one is made.
    assert_eq!(
        sign_up(&server, &client, "Pavel", &address, "a long enough one").await,
        "/signup?error=state-no-mail-out"
    );
    // A link that is no link.
    let res = client
        .get(format!("{}/signup/confirm/{}", server.base, "0".repeat(64)))
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()[header::LOCATION], "/signup?error=link");
    // Signed in, the page sends one home.
    let me = server.signed_in(OLGA).await;
    let res = me
        .http
        .get(format!("{}/signup", server.base))
        .send()
        .await
        .unwrap();
    assert!(res.url().path().starts_with("/board"), "{}", res.url());
    server.stop().await;
}

/// The confirmation link in the mail sent to `address` (the last one naming it).
fn link_in(servers: &MailServers, address: &str, base: &str) -> Option<String> {
    let mails = servers.mails_for(address);
    let raw = mails.last()?;
    let mail = MessageParser::default().parse(raw).expect("a mail");
    let text = mail.body_text(0).expect("a text part").into_owned();
    let start = text.find(&format!("{base}/signup/confirm/"))?;
    let link: String = text[start..]
        .chars()
        .take_while(|c| !c.is_whitespace())
        .collect();
    Some(link)
}

async fn confirmed(backend: Backend) {
    let Some((servers, server)) = MailServers::with_desk(backend).await else {
        return;
    };
    set_open(&server, true).await;
    let client = browser(&server);
    let address = fresh_address("zoya", "example.org");
    let to = sign_up(&server, &client, "Zoya Kim", &address, "a long enough one").await;
    assert_eq!(to, "/signup?sent");
    let mails = servers.wait_for_mails(&address, 1).await;
    let mail = MessageParser::default().parse(&mails[0]).unwrap();
    assert_eq!(mail.subject(), Some("Confirm your email address"));
    assert!(
        mail.header_raw("Auto-Submitted")
            .is_some_and(|v| v.contains("auto-generated"))
    );
    let link = link_in(&servers, &address, &server.base).expect("the mail holds the link");
    // Not a member until the link is followed: the password does not sign in yet.
    let anon = common::Client::for_addr(server.addr);
    assert_eq!(
        anon.login_with(&address, "a long enough one").await.status,
        StatusCode::UNAUTHORIZED
    );

    // Followed: the member is made and signed in on this browser.
    let res = client.get(&link).send().await.unwrap();
    assert_eq!(res.headers()[header::LOCATION], "/account");
    let me: serde_json::Value = client
        .get(format!("{}/api/me", server.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        (me["name"].as_str(), me["role"].as_str()),
        (Some("Zoya Kim"), Some("member"))
    );
    // Once only.
    let again = browser(&server).get(&link).send().await.unwrap();
    assert_eq!(again.headers()[header::LOCATION], "/signup?error=link");
    // Her password signs her in anywhere.
    assert_eq!(
        anon.login_with(&address, "a long enough one").await.status,
        StatusCode::OK
    );

    // An address with an account already: the page says the same, the mail tells its owner,
    // and no link makes a second account or changes the password.
    let taken = fresh_address("yuri", "example.org");
    server
        .state
        .desk
        .create_person(
            server::service::NewPerson::parse(
                &taken,
                "Yuri",
                Role::Member,
                server::service::demo::PASSWORD,
                Vec::new(),
            )
            .unwrap(),
        )
        .await
        .unwrap();
    let other = browser(&server);
    assert_eq!(
        sign_up(&server, &other, "Not Yuri", &taken, "a long enough one").await,
        "/signup?sent"
    );
    let mails = servers.wait_for_mails(&taken, 1).await;
    let text = MessageParser::default()
        .parse(&mails[0])
        .unwrap()
        .body_text(0)
        .unwrap()
        .into_owned();
    assert!(text.contains("which has one already"), "{text}");
    assert!(!text.contains("/signup/confirm/"), "{text}");
    assert_eq!(
        anon.login_with(&taken, server::service::demo::PASSWORD)
            .await
            .status,
        StatusCode::OK
    );

    // A member made without a password (by hand, from a mail or a call) confirms the address
    // and gets the password chosen.
    let by_hand = fresh_address("lena", "example.org");
    let ada = server.signed_in(ADA).await;
    ada.post(
        "/api/admin",
        &AdminAction::CreateMember {
            email: by_hand.clone(),
            name: "Lena".into(),
            phone: None,
        },
    )
    .await;
    let lena = browser(&server);
    assert_eq!(
        sign_up(
            &server,
            &lena,
            "Lena Petrova",
            &by_hand,
            "lena's long password"
        )
        .await,
        "/signup?sent"
    );
    servers.wait_for_mails(&by_hand, 1).await;
    let link = link_in(&servers, &by_hand, &server.base)
        .expect("a link for the member without a password");
    assert_eq!(
        lena.get(&link).send().await.unwrap().headers()[header::LOCATION],
        "/account"
    );
    assert_eq!(
        anon.login_with(&by_hand, "lena's long password")
            .await
            .status,
        StatusCode::OK
    );

    // Five sign-ups from one address at once (the test's every browser is on loopback),
    // then it must wait.
    let flood = browser(&server);
    let mut answers = Vec::new();
    for n in 0..6 {
        answers.push(
            sign_up(
                &server,
                &flood,
                "Flood",
                &fresh_address(&format!("flood{n}"), "example.org"),
                "a long enough one",
            )
            .await,
        );
    }
    // Three were asked from this address above: two more go, the next must wait.
    assert_eq!(
        answers[..2],
        ["/signup?sent", "/signup?sent"],
        "{answers:?}"
    );
    assert_eq!(answers[2..], ["/signup?error=wait"; 4], "{answers:?}");
    server.stop().await;
}
