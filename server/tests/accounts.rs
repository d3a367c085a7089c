//! Members' accounts synced by the host platform with an administrator's API token: a member
//! made (or an existing one of the same address taken up) under the host's id, the same
//! request again changing nothing, phone numbers in E.164 each held by one member, cards with
//! their status history, subscriptions, purchases paged newest first and filtered by date;
//! refusals named by field; read by moderators, administrators and call-centre agents only.
//! On SQLite and PostgreSQL.

use crate::common;

use app::protocol::{
    CardStatus, MailTaken, MailingChannel, Me, MemberAccount, MemberPage, PurchasePage,
    TicketDetail,
};
use common::people::{ANNA, MARIA, MIKE, OLGA};
use common::{Backend, TestServer, hand_in_raw, mail_gateway};
use reqwest::{Method, StatusCode};
use serde_json::json;

on_both_backends! {
    the_host_keeps_members_accounts_in_sync => syncing;
}

const DAY: i64 = 86_400_000;

async fn syncing(backend: Backend) {
    let server = TestServer::start(backend).await;
    let host = mail_gateway(&server, "host platform").await;
    let put = |path: &str, body: serde_json::Value| {
        let host = &host;
        let path = path.to_owned();
        async move { host.send(Method::PUT, &path, &body).await }
    };
    let boris = json!({
        "name": "Boris\u{0007} Petrov",
        "email": "Boris.Petrov@Example.org",
        "phones": ["+7 (916) 123-45-67", "+79161234567", "+44 20 7946 0018"],
        "birth_date": "1985-04-12",
        "city": "Kazan"
    });

    // Made under the host's id; the same request again changes nothing.
    let reply = put("/api/members/crm-1001", boris.clone()).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let made: MemberAccount = reply.json();
    assert_eq!(made.external_id, "crm-1001");
    assert_eq!(made.name, "Boris Petrov", "control characters dropped");
    assert_eq!(made.email, "boris.petrov@example.org");
    assert_eq!(made.phones, vec!["+442079460018", "+79161234567"]);
    assert_eq!(made.birth_date.as_deref(), Some("1985-04-12"));
    let again: MemberAccount = put("/api/members/crm-1001", boris.clone()).await.json();
    assert_eq!(
        MemberAccount {
            updated_at: made.updated_at,
            ..again
        },
        made
    );
    // Made without a password: nothing signs them in.
    let guest = server.client();
    assert_eq!(
        guest
            .login_with("boris.petrov@example.org", "")
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );

    // A member made from a mail (not synced yet) is taken up by the same address, not
    // doubled; the demo members are synced already (`lp-1001`… — Anna is `lp-1001`).
    let mailed = hand_in_raw(
        &host,
        "support",
        b"From: Newcomer <newcomer@example.org>\r\nTo: support@desk.example\r\n\
          Subject: Hello\r\nMessage-ID: <n1@example.org>\r\n\r\nHello.\r\n"
            .to_vec(),
    )
    .await;
    let MailTaken::Ticket { ticket_id, .. } = mailed.json() else {
        panic!("a new ticket: {}", mailed.body);
    };
    let olga = server.signed_in(OLGA).await;
    let detail: TicketDetail = olga.get(&format!("/api/tickets/{ticket_id}")).await.json();
    let taken: MemberAccount = put(
        "/api/members/crm-new",
        json!({"name": "New Comer", "email": "newcomer@example.org", "phones": ["+79031112233"]}),
    )
    .await
    .json();
    assert_eq!(taken.id, detail.ticket.member.id);
    let anna = server.signed_in(ANNA).await;
    let anna_me: Me = anna.get("/api/me").await.json();
    let demo: MemberAccount = host.get("/api/members/lp-1001").await.json();
    assert_eq!((demo.id, demo.cards.len()), (anna_me.id, 1));

    // Held by someone else: refused by field, nothing changed.
    put(
        "/api/members/crm-1002",
        json!({"name": "Copy", "email": "copy@example.org", "phones": ["+79161234567"]}),
    )
    .await
    .assert_invalid("phones");
    put(
        "/api/members/crm-1002",
        json!({"name": "Copy", "email": ANNA}),
    )
    .await
    .assert_invalid("email");
    put(
        "/api/members/crm-1002",
        json!({"name": "Copy", "email": OLGA}),
    )
    .await
    .assert_invalid("email");
    for (body, field) in [
        (
            json!({"name": "X", "email": "x@example.org", "phones": ["89161234567"]}),
            "phones",
        ),
        (
            json!({"name": "X", "email": "x@example.org", "birth_date": "1990-02-30"}),
            "birth_date",
        ),
        (json!({"name": "X", "email": "not an address"}), "email"),
        (json!({"name": "  ", "email": "x@example.org"}), "name"),
    ] {
        put("/api/members/crm-1002", body)
            .await
            .assert_invalid(field);
    }
    put(
        "/api/members/a%20b",
        json!({"name": "X", "email": "x@example.org"}),
    )
    .await
    .assert_invalid("external_id");
    assert_eq!(
        host.get("/api/members/crm-1002").await.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "nothing was made"
    );

    // Cards: a block says why; a change of status is kept; a number is one member's.
    let card = |status: &str, reason: Option<&str>| json!({"status": status, "balance": 1200, "block_reason": reason});
    let account: MemberAccount = put(
        "/api/members/crm-1001/cards/4000123412341234",
        card("active", None),
    )
    .await
    .json();
    assert_eq!(account.cards.len(), 1);
    assert_eq!(account.cards[0].status, CardStatus::Active);
    put(
        "/api/members/crm-1001/cards/4000123412341234",
        card("blocked", None),
    )
    .await
    .assert_invalid("block_reason");
    let blocked: MemberAccount = put(
        "/api/members/crm-1001/cards/4000123412341234",
        card("blocked", Some("Lost")),
    )
    .await
    .json();
    assert_eq!(blocked.cards[0].block_reason.as_deref(), Some("Lost"));
    put(
        "/api/members/crm-new/cards/4000123412341234",
        card("active", None),
    )
    .await
    .assert_invalid("number");
    put("/api/members/crm-1001/cards/12ab", card("active", None))
        .await
        .assert_invalid("number");

    // Subscriptions: the ones named change, the others stay.
    put(
        "/api/members/crm-1001/subscriptions",
        json!([
            {"channel": "email", "topic": "news", "subscribed": true},
            {"channel": "sms", "topic": "offers", "subscribed": false}
        ]),
    )
    .await;
    let account: MemberAccount = put(
        "/api/members/crm-1001/subscriptions",
        json!([{"channel": "email", "topic": "news", "subscribed": false}]),
    )
    .await
    .json();
    let subscriptions: Vec<(MailingChannel, &str, bool)> = account
        .subscriptions
        .iter()
        .map(|s| (s.channel, s.topic.as_str(), s.subscribed))
        .collect();
    assert_eq!(
        subscriptions,
        vec![
            (MailingChannel::Email, "news", false),
            (MailingChannel::Sms, "offers", false)
        ]
    );

    // Purchases: newest first, a page at a time, within dates; sent twice, kept once.
    let start = 1_790_000_000_000;
    for (i, id) in ["p-1", "p-2", "p-3"].iter().enumerate() {
        let body = json!({
            "at": start + i as i64 * DAY,
            "point_of_sale": "Store 12, Kazan",
            "items": [{"name": "Milk", "quantity": 2, "amount": 15000}],
            "amount": 15000,
            "points_earned": 150,
            "points_spent": 0
        });
        for _ in 0..2 {
            let reply = put(
                &format!("/api/members/crm-1001/purchases/{id}"),
                body.clone(),
            )
            .await;
            assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        }
    }
    put(
        "/api/members/crm-1001/purchases/p-4",
        json!({"at": start, "point_of_sale": "Store", "amount": -5}),
    )
    .await
    .assert_invalid("amount");
    let page: PurchasePage = host
        .get("/api/members/crm-1001/purchases?limit=2")
        .await
        .json();
    let ids: Vec<&str> = page.purchases.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, vec!["p-3", "p-2"]);
    let next = page.next.expect("a next page");
    let rest: PurchasePage = host
        .get(&format!(
            "/api/members/crm-1001/purchases?limit=2&before={next}"
        ))
        .await
        .json();
    assert_eq!(rest.purchases.len(), 1);
    assert_eq!(rest.purchases[0].id, "p-1");
    assert_eq!(rest.purchases[0].items[0].name, "Milk");
    assert_eq!(rest.next, None);
    let window: PurchasePage = host
        .get(&format!(
            "/api/members/crm-1001/purchases?from={}&to={}",
            start + DAY,
            start + 2 * DAY
        ))
        .await
        .json();
    assert_eq!(window.purchases.len(), 1);
    assert_eq!(window.purchases[0].id, "p-2");

    // Services: kept under the host's id, corrected, removed (removing again changes
    // nothing); the demo members have theirs.
    let hosting = json!({"name": "Hosting Pro", "kind": "hosting", "address": "boris.example.org", "status": "active"});
    let with: MemberAccount = put("/api/members/crm-1001/services/h-1", hosting.clone())
        .await
        .json();
    assert_eq!(with.services.len(), 1);
    assert_eq!(
        with.services[0].service.address.as_deref(),
        Some("boris.example.org")
    );
    let suspended = json!({"name": "Hosting Pro", "kind": "hosting", "status": "suspended"});
    let with: MemberAccount = put("/api/members/crm-1001/services/h-1", suspended)
        .await
        .json();
    assert_eq!(
        (
            with.services.len(),
            with.services[0].service.status,
            with.services[0].service.address.clone()
        ),
        (1, app::protocol::ServiceStatus::Suspended, None)
    );
    put("/api/members/crm-1001/services/h 1", hosting.clone())
        .await
        .assert_invalid("id");
    put(
        "/api/members/crm-1001/services/h-2",
        json!({"name": "", "kind": "hosting", "status": "active"}),
    )
    .await
    .assert_invalid("name");
    for _ in 0..2 {
        let without: MemberAccount = host
            .send(
                Method::DELETE,
                "/api/members/crm-1001/services/h-1",
                &json!({}),
            )
            .await
            .json();
        assert!(without.services.is_empty());
    }
    let demo: MemberAccount = host.get("/api/members/lp-1002").await.json();
    assert_eq!(
        demo.services.len(),
        2,
        "Boris's hosting and his suspended VPS"
    );

    // Accounts a page at a time.
    let first: MemberPage = host.get("/api/members?limit=1").await.json();
    assert_eq!(first.members.len(), 1);
    let after = first.next.expect("a second page");
    let second: MemberPage = host
        .get(&format!("/api/members?limit=1&after={after}"))
        .await
        .json();
    assert_eq!(second.members.len(), 1);
    assert_ne!(second.members[0].external_id, first.members[0].external_id);

    // Who may: moderators read; only administrators write; operators and members neither.
    let mike = server.signed_in(MIKE).await;
    assert_eq!(
        mike.get("/api/members/crm-1001").await.status,
        StatusCode::OK
    );
    assert_eq!(
        mike.send(Method::PUT, "/api/members/crm-1001", &boris)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    // A call-centre agent (Olga, extension 201) reads accounts to serve callers, and writes
    // none; an operator who is not one reads none.
    assert_eq!(
        olga.get("/api/members/crm-1001").await.status,
        StatusCode::OK
    );
    assert_eq!(
        olga.send(Method::PUT, "/api/members/crm-1001", &boris)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let maria = server.signed_in(MARIA).await;
    for (who, client) in [("an operator", &maria), ("a member", &anna)] {
        for path in [
            "/api/members",
            "/api/members/crm-1001",
            "/api/members/crm-1001/purchases",
        ] {
            assert_eq!(
                client.get(path).await.status,
                StatusCode::FORBIDDEN,
                "{who} {path}"
            );
        }
        assert_eq!(
            client
                .send(Method::PUT, "/api/members/crm-1001", &boris)
                .await
                .status,
            StatusCode::FORBIDDEN,
            "{who}"
        );
    }
    assert_eq!(
        guest.get("/api/members/crm-1001").await.status,
        StatusCode::UNAUTHORIZED
    );

    // The command line imports a CSV file the same way: rows taken, a bad one named; run
    // again, nothing changes; a desk that does not answer is "try later".
    let csv = "external_id,name,email,phones,birth_date,city\n\
               csv-1,\"Orlova, Vera\",vera@example.org,+79260000001;+79260000002,1991-05-06,Tver\n\
               csv-2,Bad Phone,bad@example.org,12345,,\n\
               csv-3,Ivan Sidorov,ivan.sidorov@example.org,,,\n";
    let dir = tempfile::tempdir().expect("a directory");
    let file = dir.path().join("members.csv");
    std::fs::write(&file, csv).expect("written");
    let secret = common::admin_token(&server, "CSV import").await;
    let import = move |url: String| {
        let file = file.clone();
        let secret = secret.clone();
        tokio::task::spawn_blocking(move || {
            std::process::Command::new(env!("CARGO_BIN_EXE_switchboard"))
                .arg("import-members")
                .arg(&file)
                .env("SWITCHBOARD_URL", url)
                .env("SWITCHBOARD_TOKEN", secret)
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .status()
                .expect("the binary runs")
                .code()
        })
    };
    assert_eq!(
        import(server.base.clone()).await.unwrap(),
        Some(65),
        "one row refused"
    );
    assert_eq!(
        import(server.base.clone()).await.unwrap(),
        Some(65),
        "the same again"
    );
    let vera: MemberAccount = host.get("/api/members/csv-1").await.json();
    assert_eq!(vera.name, "Orlova, Vera");
    assert_eq!(vera.phones, vec!["+79260000001", "+79260000002"]);
    assert_eq!(vera.city.as_deref(), Some("Tver"));
    assert_eq!(
        host.get("/api/members/csv-2").await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(host.get("/api/members/csv-3").await.status, StatusCode::OK);
    assert_eq!(import("http://127.0.0.1:9".into()).await.unwrap(), Some(75));
    server.stop().await;
}
