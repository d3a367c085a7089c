//! API tokens: made by a person for themselves or by an administrator for anyone, shown
//! once, kept hashed, acting as their owner with at most their scope, never able to make
//! tokens or change a password, and refused at once when revoked, when the owner is disabled
//! or when the owner's role drops — on SQLite and PostgreSQL.

use crate::common;

use app::protocol::{
    AdminAction, ApiToken, Me, NewToken, NewTokenRequest, PasswordRequest, Role, TokenList,
};
use common::people::{ADA, ANNA, IVAN, MIKE, OLGA};
use common::{Backend, Client, TestServer, said};
use reqwest::{Method, StatusCode};
use server::service::demo::PASSWORD;

on_both_backends! {
    a_token_acts_as_its_owner_with_at_most_its_scope => acts_as_owner;
    scopes_owners_and_revocation_are_checked_on_the_server => who_may_what;
    the_tokens_page_shows_a_new_secret_once_and_never_again => tokens_page;
}

/// Makes a token through the API, as `who`.
async fn make(
    who: &Client,
    name: &str,
    scope: Role,
    owner_id: Option<app::protocol::UserId>,
) -> NewToken {
    let reply = who
        .post(
            "/api/tokens",
            &NewTokenRequest {
                name: name.into(),
                scope,
                owner_id,
            },
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    reply.json()
}

async fn acts_as_owner(backend: Backend) {
    let server = TestServer::start(backend).await;
    let ada = server.signed_in(ADA).await;
    let olga = server.signed_in(OLGA).await;
    let anna = server.signed_in(ANNA).await;

    // An administrator's token with a moderator's scope acts as a moderator.
    let wall = make(&ada, "Wall display", Role::Moderator, None).await;
    let me: Me = ada.bearer(&wall.secret).get("/api/me").await.json();
    assert_eq!((me.email.as_str(), me.role), (ADA, Role::Moderator));
    assert_eq!(
        ada.bearer(&wall.secret).get("/api/admin").await.status,
        StatusCode::FORBIDDEN
    );

    // An operator's token acts as her.
    let pbx = make(&olga, "Telephone exchange", Role::Operator, None).await;
    assert!(pbx.secret.starts_with("sbt_") && pbx.secret.len() == 68);
    assert_eq!(pbx.token.scope, Role::Operator);
    assert_eq!(pbx.token.last_used_at, None);
    assert!(pbx.secret.starts_with(pbx.token.hint.trim_end_matches('…')));
    let script = olga.bearer(&pbx.secret);
    let me: Me = script.get("/api/me").await.json();
    assert_eq!((me.email.as_str(), me.role), (OLGA, Role::Operator));

    // It writes without a cookie and without `Origin`, as a script does: takes a member's
    // ticket and answers it; the member reads the answer.
    let care = anna.department("Customer care").await;
    let ticket = anna
        .start_ticket(care, "card blocked", "My card is blocked")
        .await;
    let took = script.act(&format!("/api/tickets/{ticket}/take")).await;
    assert_eq!(took.status, StatusCode::OK, "{}", took.body);
    let sent = script.message(ticket, &said("Unblocked it for you.")).await;
    assert!(sent.status.is_success(), "{}", sent.body);
    let seen = anna.detail(ticket).await;
    assert!(common::message_bodies(&seen).contains(&"Unblocked it for you."));

    // Its use is noted; the list never holds a secret.
    let list = olga.get("/api/tokens").await;
    assert!(!list.body.to_string().contains(&pbx.secret));
    let list: TokenList = list.json();
    let listed = list
        .tokens
        .iter()
        .find(|t| t.id == pbx.token.id)
        .expect("listed");
    assert!(listed.last_used_at.is_some());

    // A token cannot make tokens, list them or change the password.
    let more = script
        .post(
            "/api/tokens",
            &NewTokenRequest {
                name: "another".into(),
                scope: Role::Operator,
                owner_id: None,
            },
        )
        .await;
    assert_eq!(more.status, StatusCode::FORBIDDEN, "{}", more.body);
    assert_eq!(
        script.get("/api/tokens").await.status,
        StatusCode::FORBIDDEN
    );
    let password = script
        .send(
            Method::PUT,
            "/api/me/password",
            &PasswordRequest {
                current_password: PASSWORD.into(),
                new_password: "a much longer secret phrase".into(),
            },
        )
        .await;
    assert_eq!(password.status, StatusCode::FORBIDDEN, "{}", password.body);

    // With the full scope, the administration answers.
    let full = make(&ada, "Provisioning", Role::Administrator, None).await;
    assert_eq!(
        ada.bearer(&full.secret).get("/api/admin").await.status,
        StatusCode::OK
    );

    // A secret that is no token, a malformed header, or a wrong token beside a valid
    // cookie: refused, the cookie never read.
    let forged = format!("sbt_{}", "0".repeat(64));
    assert_eq!(
        ada.bearer(&forged).get("/api/me").await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        ada.bearer("nonsense").get("/api/me").await.status,
        StatusCode::UNAUTHORIZED
    );
    let with_cookie = anna
        .http
        .get(format!("{}/api/me", anna.base))
        .header("authorization", format!("Bearer {forged}"))
        .send()
        .await
        .expect("an answer");
    assert_eq!(with_cookie.status(), StatusCode::UNAUTHORIZED);
    let basic = anna
        .http
        .get(format!("{}/api/me", anna.base))
        .header("authorization", "Basic YW5uYTpzd2l0Y2hib2FyZA==")
        .send()
        .await
        .expect("an answer");
    assert_eq!(basic.status(), StatusCode::UNAUTHORIZED);
    server.stop().await;
}

async fn who_may_what(backend: Backend) {
    let server = TestServer::start(backend).await;
    let ada = server.signed_in(ADA).await;
    let olga = server.signed_in(OLGA).await;
    let ivan = server.signed_in(IVAN).await;
    let anna = server.signed_in(ANNA).await;
    let ivan_id = olga.staff_id("Ivan Sokolov").await;
    let olga_id = olga.get("/api/me").await.json::<Me>().id;
    let ask = |scope: Role, owner_id| NewTokenRequest {
        name: "script".into(),
        scope,
        owner_id,
    };

    // No more than one's own role; a member's token is a member's; only administrators make
    // tokens for others; a name is required.
    olga.post("/api/tokens", &ask(Role::Administrator, None))
        .await
        .assert_invalid("scope");
    anna.post("/api/tokens", &ask(Role::Operator, None))
        .await
        .assert_invalid("scope");
    make(&anna, "my script", Role::Member, None).await;
    let for_ivan = olga
        .post("/api/tokens", &ask(Role::Operator, Some(ivan_id)))
        .await;
    assert_eq!(for_ivan.status, StatusCode::FORBIDDEN, "{}", for_ivan.body);
    olga.post(
        "/api/tokens",
        &NewTokenRequest {
            name: "  ".into(),
            ..ask(Role::Operator, None)
        },
    )
    .await
    .assert_invalid("name");
    let signed_out = server
        .client()
        .post("/api/tokens", &ask(Role::Member, None))
        .await;
    assert_eq!(signed_out.status, StatusCode::UNAUTHORIZED);

    // An administrator makes one for Olga: she sees it, Ivan does not and cannot revoke it.
    let hers = make(&ada, "Olga's report", Role::Operator, Some(olga_id)).await;
    assert_eq!(hers.token.owner.id, olga_id);
    let olgas: TokenList = olga.get("/api/tokens").await.json();
    assert!(
        olgas
            .tokens
            .iter()
            .any(|t: &ApiToken| t.id == hers.token.id)
    );
    assert!(olgas.owners.is_empty());
    let ivans: TokenList = ivan.get("/api/tokens").await.json();
    assert!(ivans.tokens.is_empty());
    let theft = ivan
        .request(
            Method::DELETE,
            &format!("/api/tokens/{}", hers.token.id),
            None,
        )
        .await;
    assert_eq!(
        theft.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        theft.body
    );
    let script = olga.bearer(&hers.secret);
    assert_eq!(script.get("/api/me").await.status, StatusCode::OK);

    // Revoked by its owner: refused on the very next request.
    let revoked = olga
        .request(
            Method::DELETE,
            &format!("/api/tokens/{}", hers.token.id),
            None,
        )
        .await;
    assert_eq!(revoked.status, StatusCode::NO_CONTENT, "{}", revoked.body);
    assert_eq!(script.get("/api/me").await.status, StatusCode::UNAUTHORIZED);

    // A disabled owner's token stops; enabled again, it works again.
    let ivans = make(&ada, "Ivan's export", Role::Operator, Some(ivan_id)).await;
    let script = ivan.bearer(&ivans.secret);
    assert_eq!(script.get("/api/me").await.status, StatusCode::OK);
    let disable = |disabled| AdminAction::SetDisabled {
        id: ivan_id,
        disabled,
    };
    assert_eq!(
        ada.post("/api/admin", &disable(true)).await.status,
        StatusCode::OK
    );
    assert_eq!(script.get("/api/me").await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        ada.post("/api/admin", &disable(false)).await.status,
        StatusCode::OK
    );
    assert_eq!(script.get("/api/me").await.status, StatusCode::OK);

    // A moderator's token acts as an operator once the moderator is made one.
    let mike = server.signed_in(MIKE).await;
    let mike_me: Me = mike.get("/api/me").await.json();
    let wide = make(&mike, "Mike's wall", Role::Moderator, None).await;
    let script = mike.bearer(&wide.secret);
    assert_eq!(
        script.get("/api/me").await.json::<Me>().role,
        Role::Moderator
    );
    let demoted = ada
        .post(
            "/api/admin",
            &AdminAction::UpdateEmployee {
                id: mike_me.id,
                name: mike_me.name.clone(),
                role: Role::Operator,
                departments: mike_me.departments.iter().map(|d| d.id).collect(),
            },
        )
        .await;
    assert_eq!(demoted.status, StatusCode::OK, "{}", demoted.body);
    assert_eq!(
        script.get("/api/me").await.json::<Me>().role,
        Role::Operator
    );

    // An administrator sees everyone's tokens and whom to make them for.
    let all: TokenList = ada.get("/api/tokens").await.json();
    assert!(all.tokens.iter().any(|t| t.owner.id == ivan_id));
    assert!(all.owners.iter().any(|p| p.id == olga_id));
    assert!(all.owners.iter().all(|p| p.role.is_staff()));
    server.stop().await;
}

async fn tokens_page(backend: Backend) {
    let server = TestServer::start(backend).await;
    let olga = server.signed_in(OLGA).await;
    let page = olga
        .http
        .get(format!("{}/tokens", olga.base))
        .send()
        .await
        .expect("a page");
    assert_eq!(page.status(), StatusCode::OK);
    assert_eq!(page.headers()["cache-control"], "no-store");

    // The form makes the token; the page it lands on shows the secret; the next does not.
    let made = olga
        .http
        .post(format!("{}/tokens", olga.base))
        .form(&[("name", "Nightly export"), ("scope", "operator")])
        .send()
        .await
        .expect("a page");
    assert_eq!(made.status(), StatusCode::OK);
    let html = made.text().await.expect("a page");
    let secret = html
        .split("sbt_")
        .skip(1)
        .filter_map(|rest| rest.get(..64))
        .find(|hex| hex.bytes().all(|b| b.is_ascii_hexdigit()))
        .map(|hex| format!("sbt_{hex}"))
        .expect("the new secret on the page");
    assert!(html.contains("Nightly export"));
    let me: Me = olga.bearer(&secret).get("/api/me").await.json();
    assert_eq!(me.email, OLGA);
    let again = olga
        .http
        .get(format!("{}/tokens", olga.base))
        .send()
        .await
        .expect("a page");
    let again = again.text().await.expect("a page");
    assert!(again.contains("Nightly export") && !again.contains(&secret));

    // Revoked from the page.
    let list: TokenList = olga.get("/api/tokens").await.json();
    let id = list.tokens[0].id;
    let revoked = olga
        .http
        .post(format!("{}/tokens/{id}/revoke", olga.base))
        .send()
        .await
        .expect("a page");
    assert_eq!(revoked.status(), StatusCode::OK);
    assert!(revoked.url().as_str().ends_with("/tokens?revoked"));
    assert_eq!(
        olga.bearer(&secret).get("/api/me").await.status,
        StatusCode::UNAUTHORIZED
    );

    // Signed out, the page sends people to sign in.
    let stranger = server.client();
    let page = stranger
        .http
        .get(format!("{}/tokens", stranger.base))
        .send()
        .await
        .expect("a page");
    assert!(page.url().path().ends_with("/login"));
    server.stop().await;
}
