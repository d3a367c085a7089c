//! Staff's workspace over HTTP and the socket: the board's waiting clock and views, the
//! departments' response targets, each person's settings, and the member beside the ticket
//! whose internal comment no member ever reads.

use app::protocol::{
    BoardState, Command, ErrorCode, Event, Me, MemberProfile, TicketFilter, TicketSummary, Topic,
    UserId,
};
use reqwest::{Method, StatusCode};
use serde_json::json;

use super::{BILLING_OPERATOR, CARE_OPERATOR, MEMBER, MODERATOR, OTHER_MEMBER};
use crate::common::{Backend, Client, TestServer};

const ADMIN: &str = server::service::demo::people::ADA;

async fn id_of(client: &Client) -> UserId {
    client.get("/api/me").await.json::<Me>().id
}

async fn board(client: &Client, query: &str) -> Vec<TicketSummary> {
    let reply = client.get(&format!("/api/tickets?{query}")).await;
    assert_eq!(reply.status, StatusCode::OK, "{query}: {}", reply.body);
    reply.json()
}

fn has(list: &[TicketSummary], id: app::protocol::TicketId) -> bool {
    list.iter().any(|t| t.id == id)
}

/// Who waits since when, the targets that apply, and the views that pick tickets by holder
/// and by whose turn it is.
pub async fn waiting_clock_targets_and_views(backend: Backend) {
    let server = TestServer::start(backend).await;
    let member = server.signed_in(MEMBER).await;
    let ivan = server.signed_in(CARE_OPERATOR).await;
    let ada = server.signed_in(ADMIN).await;
    let care = member.department("Customer care").await;
    let ivan_id = id_of(&ivan).await;

    // Targets: whole minutes, one to thirty days, or none; refused beside their field.
    ada.post(
        "/api/admin",
        &json!({"action": "set_response_targets", "id": care, "first_minutes": 0}),
    )
    .await
    .assert_invalid("first_minutes");
    ada.post(
        "/api/admin",
        &json!({"action": "set_response_targets", "id": care, "next_minutes": 43_201}),
    )
    .await
    .assert_invalid("next_minutes");
    let set = ada
        .post(
            "/api/admin",
            &json!({"action": "set_response_targets", "id": care, "first_minutes": 30, "next_minutes": 10}),
        )
        .await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.body);
    let refused = ivan
        .post(
            "/api/admin",
            &json!({"action": "set_response_targets", "id": care, "first_minutes": 5}),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    let me: Me = ivan.get("/api/me").await.json();
    let targets = me
        .response_targets
        .iter()
        .find(|t| t.department_id == care)
        .expect("staff are told their departments' targets");
    assert_eq!(
        (targets.first_minutes, targets.next_minutes),
        (Some(30), Some(10))
    );
    let member_me: Me = member.get("/api/me").await.json();
    assert!(member_me.response_targets.is_empty(), "members are not");

    let before = server::clock::now();
    let ticket = member
        .start_ticket(care, "Waiting", "is anyone there?")
        .await;
    let row = |list: Vec<TicketSummary>| list.into_iter().find(|t| t.id == ticket).expect("listed");
    let first = row(board(&ivan, "state=queue").await);
    let since = first
        .waiting_since()
        .expect("the member waits for a first answer");
    assert!(since >= before && since <= server::clock::now(), "{since}");
    assert!(!first.answered);
    assert_eq!(
        targets.target_ms(&first),
        Some(30 * 60_000),
        "the first answer's target"
    );
    assert!(has(
        &board(&ivan, "state=queue&unassigned=true").await,
        ticket
    ));
    assert!(!has(
        &board(&ivan, &format!("state=queue&assignee={ivan_id}")).await,
        ticket
    ));
    assert!(!has(&board(&ivan, "state=waiting_on_member").await, ticket));

    // Taken and answered: the member's turn now.
    assert_eq!(
        ivan.act(&format!("/api/tickets/{ticket}/take"))
            .await
            .status,
        StatusCode::OK
    );
    assert!(ivan.say(ticket, "Here I am").await.status.is_success());
    let answered = row(board(&ivan, "state=waiting_on_member").await);
    assert_eq!(answered.waiting_since(), None, "nobody waits for staff");
    assert!(answered.answered);
    assert!(has(
        &board(&ivan, &format!("state=queue&assignee={ivan_id}")).await,
        ticket
    ));
    assert!(!has(
        &board(&ivan, "state=queue&unassigned=true").await,
        ticket
    ));

    // The member writes again: the wait starts from that message, against the next target.
    let wrote = server::clock::now();
    assert!(
        member
            .say(ticket, "Thanks, one more thing")
            .await
            .status
            .is_success()
    );
    let again = row(board(&ivan, "state=queue").await);
    let since = again.waiting_since().expect("waits again");
    assert!(
        since >= wrote,
        "from the member's last message, not the ticket's start"
    );
    assert_eq!(
        targets.target_ms(&again),
        Some(10 * 60_000),
        "the next answer's target"
    );
    assert!(!has(&board(&ivan, "state=waiting_on_member").await, ticket));

    // The same over the socket, and never a word of it to the member.
    let mut socket = ivan.socket().await;
    let filter = TicketFilter {
        state: BoardState::Queue,
        assignee: Some(ivan_id),
        ..TicketFilter::default()
    };
    let mine = socket.follow_filtered(Topic::Board, Some(filter)).await;
    assert!(
        has(&mine, ticket)
            && mine
                .iter()
                .all(|t| t.assignee.as_ref().map(|a| a.id) == Some(ivan_id))
    );
    let inbox = member.get("/api/tickets").await;
    let seen = inbox.json::<Vec<TicketSummary>>();
    let own = seen
        .iter()
        .find(|t| t.id == ticket)
        .expect("the member's own");
    assert_eq!((own.member_wrote_at, own.answered), (None, false));
    assert!(!inbox.body.to_string().contains("member_wrote_at"));
}

/// Each person's settings are theirs, kept whole and within limits.
pub async fn settings_are_kept_per_person(backend: Backend) {
    let server = TestServer::start(backend).await;
    let ivan = server.signed_in(CARE_OPERATOR).await;
    let maria = server.signed_in(BILLING_OPERATOR).await;
    let ivan_id = id_of(&ivan).await;
    let workspace = json!({
        "theme": "dark", "font": "serif", "text_size": "large", "compact": true,
        "sort": "newest", "title_count": true, "sound": true, "desktop": false,
        "member_pane": true,
        "saved_views": [{"name": "  My   urgent ", "filter": {"state": "queue", "assignee": ivan_id}}]
    });
    let saved = ivan
        .send(
            Method::PUT,
            "/api/me/preferences",
            &json!({"notes_by_default": true, "workspace": workspace}),
        )
        .await;
    assert_eq!(saved.status, StatusCode::NO_CONTENT, "{}", saved.body);
    let me: Me = ivan.get("/api/me").await.json();
    assert!(me.notes_by_default);
    assert_eq!(me.workspace.sort, app::protocol::BoardSort::Newest);
    assert_eq!(me.workspace.theme, Some(app::protocol::Theme::Dark));
    assert!(me.workspace.member_pane && me.workspace.compact && me.workspace.sound);
    assert_eq!(me.workspace.saved_views.len(), 1);
    assert_eq!(
        me.workspace.saved_views[0].name, "My urgent",
        "names are kept on one line"
    );
    assert_eq!(me.workspace.saved_views[0].filter.assignee, Some(ivan_id));
    let other: Me = maria.get("/api/me").await.json();
    assert_eq!(
        other.workspace,
        Default::default(),
        "another person's stay their own"
    );

    let many: Vec<_> = (0..21)
        .map(|i| json!({"name": format!("v{i}"), "filter": {}}))
        .collect();
    ivan.send(
        Method::PUT,
        "/api/me/preferences",
        &json!({"workspace": {"saved_views": many}}),
    )
    .await
    .assert_invalid("saved_views");
    ivan.send(
        Method::PUT,
        "/api/me/preferences",
        &json!({"workspace": {"saved_views": [{"name": " \u{200b} ", "filter": {}}]}}),
    )
    .await
    .assert_invalid("name");
    // Leaving the settings out leaves them as they were.
    let kept = ivan
        .send(
            Method::PUT,
            "/api/me/preferences",
            &json!({"notes_by_default": false}),
        )
        .await;
    assert_eq!(kept.status, StatusCode::NO_CONTENT);
    let me: Me = ivan.get("/api/me").await.json();
    assert_eq!(me.workspace.saved_views.len(), 1);
}

/// The member's profile and staff's comment: staff who may know the member read and change
/// them over HTTP and the socket; others are told there is no such member; the member never
/// receives a word of the comment, on any path.
pub async fn member_profile_is_for_staff_only(backend: Backend) {
    let server = TestServer::start(backend).await;
    // A member new to the desk: every demo member has tickets in both departments.
    let store = server::store::Store::connect(&server.db.url, 1)
        .await
        .expect("connects");
    let hash = server::passwords::hash_password(server::service::demo::PASSWORD).expect("hash");
    store
        .create_user(
            "gleb@example.com",
            "Gleb Orlov",
            app::protocol::Role::Member,
            &hash,
            &[],
            1,
        )
        .await
        .expect("a new member");
    let member = server.signed_in("gleb@example.com").await;
    let boris = server.signed_in(OTHER_MEMBER).await;
    let ivan = server.signed_in(CARE_OPERATOR).await;
    let maria = server.signed_in(BILLING_OPERATOR).await;
    let mike = server.signed_in(MODERATOR).await;
    let care = member.department("Customer care").await;
    let anna = id_of(&member).await;
    let boris_id = id_of(&boris).await;
    let ticket = member.start_ticket(care, "Profile", "about me").await;
    let mut inbox = member.socket().await;
    inbox.follow_list(Topic::Inbox).await;
    inbox.follow_ticket(ticket, None).await;

    let path = format!("/api/member-profiles/{anna}");
    let profile: MemberProfile = ivan.get(&path).await.json();
    assert_eq!(
        (
            profile.email.as_str(),
            profile.comment.as_str(),
            profile.registered_at
        ),
        ("gleb@example.com", "", 1)
    );
    assert_eq!(profile.tickets.len(), 1);
    assert!(has(&profile.tickets, ticket), "the member's tickets beside");
    // The member's figures: an operator reads no cards or purchases, a moderator does.
    assert_eq!(
        profile.figures,
        app::protocol::MemberFigures {
            tickets: 1,
            open: 1,
            ..Default::default()
        }
    );
    let seen_by_mike: MemberProfile = mike.get(&path).await.json();
    assert_eq!(
        (seen_by_mike.figures.cards, seen_by_mike.figures.purchases),
        (Some(0), Some(0))
    );
    let annas_id = id_of(&server.signed_in(MEMBER).await).await;
    let annas: MemberProfile = ivan
        .get(&format!("/api/member-profiles/{annas_id}"))
        .await
        .json();
    assert!(!annas.services.is_empty(), "and their services");
    assert!(
        !annas.tickets.is_empty() && annas.tickets.iter().all(|t| t.department.id == care),
        "only the tickets the reader may see"
    );

    const SECRET: &str = "Prefers calls; VIP-7731";
    let comment = |text: &str| json!({ "comment": text });
    let put = ivan
        .send(
            Method::PUT,
            &format!("{path}/comment"),
            &comment(&format!("  {SECRET}\u{0} ")),
        )
        .await;
    assert_eq!(put.status, StatusCode::NO_CONTENT, "{}", put.body);
    let profile: MemberProfile = mike.get(&path).await.json();
    assert_eq!(
        profile.comment, SECRET,
        "kept trimmed, control characters out"
    );
    ivan.send(
        Method::PUT,
        &format!("{path}/comment"),
        &comment(&"x".repeat(4_001)),
    )
    .await
    .assert_invalid("comment");

    // An operator with none of the member's tickets in sight, the member and another member
    // are told the same: no such member. A moderator may read any member.
    for (who, client) in [("maria", &maria), ("anna", &member), ("boris", &boris)] {
        let read = client.get(&path).await;
        assert_eq!(
            (read.status, read.code()),
            (StatusCode::NOT_FOUND, "not_found"),
            "{who}"
        );
        let write = client
            .send(Method::PUT, &format!("{path}/comment"), &comment("x"))
            .await;
        assert_eq!(write.status, StatusCode::NOT_FOUND, "{who}");
    }
    assert_eq!(
        mike.get(&format!("/api/member-profiles/{boris_id}"))
            .await
            .status,
        StatusCode::OK
    );
    let staff_id = id_of(&ivan).await;
    assert_eq!(
        mike.get(&format!("/api/member-profiles/{staff_id}"))
            .await
            .status,
        StatusCode::NOT_FOUND,
        "staff are not members"
    );

    // Over the socket.
    let mut staff = ivan.socket().await;
    staff
        .send(&Command::MemberProfile {
            command_id: app::protocol::CommandId(1),
            member_id: anna,
        })
        .await;
    let (read, _) = staff
        .until(|e| match e {
            Event::MemberProfile { profile, .. } => Some(profile.comment.clone()),
            _ => None,
        })
        .await;
    assert_eq!(read, SECRET);
    staff
        .send(&Command::SetMemberComment {
            command_id: app::protocol::CommandId(2),
            member_id: anna,
            comment: format!("{SECRET} (checked)"),
        })
        .await;
    staff
        .until(|e| matches!(e, Event::Done { command_id } if command_id.0 == 2).then_some(()))
        .await;
    for client in [&maria, &member] {
        let mut socket = client.socket().await;
        socket
            .send(&Command::MemberProfile {
                command_id: app::protocol::CommandId(3),
                member_id: anna,
            })
            .await;
        assert_eq!(socket.next_error().await, ErrorCode::NotFound);
        socket
            .send(&Command::SetMemberComment {
                command_id: app::protocol::CommandId(4),
                member_id: anna,
                comment: "mine now".into(),
            })
            .await;
        assert_eq!(socket.next_error().await, ErrorCode::NotFound);
    }
    let profile: MemberProfile = ivan.get(&path).await.json();
    assert_eq!(
        profile.comment,
        format!("{SECRET} (checked)"),
        "refused changes changed nothing"
    );

    // Whatever the member reads — their account, their list, the ticket, their socket —
    // carries no word of it.
    assert!(
        ivan.say(ticket, "Answer after the comment")
            .await
            .status
            .is_success()
    );
    let (_, heard) = inbox
        .until(|e| match e {
            Event::TicketEvent { event } if matches!(&event.kind, app::protocol::EventKind::Message { body, .. } if body == "Answer after the comment") => Some(()),
            _ => None,
        })
        .await;
    let heard = serde_json::to_string(&heard).expect("events as JSON");
    for text in [
        heard,
        member.get("/api/me").await.body.to_string(),
        member.get("/api/tickets").await.body.to_string(),
        member
            .get(&format!("/api/tickets/{ticket}"))
            .await
            .body
            .to_string(),
    ] {
        assert!(
            !text.contains("VIP-7731") && !text.contains("Prefers calls"),
            "{text}"
        );
    }
}

/// The moderator's wall opens for moderators and administrators; anyone else is sent to
/// their own desk, and nobody signed out sees it.
pub async fn the_wall_is_for_moderators(backend: Backend) {
    let server = TestServer::start(backend).await;
    for (who, lands) in [
        (Some(MODERATOR), "/wall"),
        (Some(ADMIN), "/wall"),
        (Some(CARE_OPERATOR), "/board"),
        (Some(MEMBER), "/account"),
        (None, "/login"),
    ] {
        let client = match who {
            Some(email) => server.signed_in(email).await,
            None => server.client(),
        };
        let res = client
            .http
            .get(format!("{}/wall", client.base))
            .send()
            .await
            .expect("answered");
        assert_eq!(res.url().path(), lands, "{who:?}");
        assert_eq!(res.status(), StatusCode::OK, "{who:?}");
        let html = res.text().await.expect("a page");
        assert_eq!(
            html.contains("class=\"wall-head\""),
            lands == "/wall",
            "{who:?}"
        );
    }
}

/// Each member of staff's board marks a ticket whose member wrote since *they* last looked
/// at it; looking (over HTTP or the socket) clears the mark for them alone, and a member's
/// list never carries it.
pub async fn new_to_me_is_per_person(backend: Backend) {
    let server = TestServer::start(backend).await;
    let member = server.signed_in(MEMBER).await;
    let ivan = server.signed_in(CARE_OPERATOR).await;
    let mike = server.signed_in(MODERATOR).await;
    let care = member.department("Customer care").await;
    let ticket = member
        .start_ticket(care, "New to whom", "first words")
        .await;
    let entry = |list: Vec<TicketSummary>| {
        list.into_iter()
            .find(|t| t.id == ticket)
            .expect("on the board")
    };
    let ivan_sees = entry(board(&ivan, "state=queue").await);
    assert!(ivan_sees.seen_at.is_none() && ivan_sees.new_to_me());

    // Ivan looks at it over HTTP: no longer new to him, still new to Mike.
    let read = ivan
        .post(
            &format!("/api/tickets/{ticket}/read"),
            &json!({ "seq": ivan_sees.last_seq.0 }),
        )
        .await;
    assert_eq!(read.status, StatusCode::NO_CONTENT);
    let ivan_sees = entry(board(&ivan, "state=queue").await);
    assert!(ivan_sees.seen_at.is_some() && !ivan_sees.new_to_me());
    assert!(entry(board(&mike, "state=queue").await).new_to_me());

    // The member writes again: new to Ivan once more; Mike looks at it over the socket.
    member.say(ticket, "more words").await;
    let ivan_sees = entry(board(&ivan, "state=queue").await);
    assert!(ivan_sees.new_to_me());
    let mut socket = mike.socket().await;
    let mike_sees = entry(board(&mike, "state=queue").await);
    socket
        .send(&Command::MarkRead {
            ticket_id: ticket,
            seq: mike_sees.last_seq,
        })
        .await;
    socket.follow_list(Topic::Board).await;
    assert!(!entry(board(&mike, "state=queue").await).new_to_me());
    assert!(entry(board(&ivan, "state=queue").await).new_to_me());

    // Nobody's reads reach a member.
    let raw = member.get("/api/tickets").await;
    assert!(!raw.body.to_string().contains("seen_at"));
}
