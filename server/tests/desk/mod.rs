//! The desk through its real transports: a member and staff talking over HTTP and WebSocket
//! to a server on an ephemeral port, on SQLite and on PostgreSQL.

use crate::common;
mod delivery;
mod diagnostics;
mod isolation;
mod report;
mod stats;
mod workspace;

use server::service::demo::people;

use std::{collections::HashSet, sync::Arc};

use app::protocol::{
    Command, ErrorCode, Event, EventKind, LoginRequest, MarkReadRequest, NewMessageRequest, Seq,
    TicketDetail, TicketSummary, Topic, close_code, limits,
};
use common::{Backend, Options, TestDb, TestServer, new_msg_id};
use reqwest::StatusCode;

const MEMBER: &str = people::ANNA;
const OTHER_MEMBER: &str = people::BORIS;
/// Works "Customer care" only.
const CARE_OPERATOR: &str = people::IVAN;
/// Works "Billing" only.
const BILLING_OPERATOR: &str = people::MARIA;
const MODERATOR: &str = people::MIKE;

fn message_body(event: &app::protocol::TicketEvent) -> Option<&str> {
    match &event.kind {
        EventKind::Message { body, .. } | EventKind::Note { body, .. } => Some(body),
        _ => None,
    }
}

on_both_backends! {
    a_member_message_reaches_the_board_live_and_the_reply_comes_back_live => delivery::member_and_operator_chat_live;
    a_reconnect_replays_what_was_missed_without_gap_or_duplicate => delivery::reconnect_replays_exactly;
    a_resent_message_is_stored_once => delivery::resend_is_idempotent;
    concurrent_writers_give_every_reader_one_gapless_order => delivery::concurrent_writers_are_ordered;
    an_operator_of_another_department_sees_nothing_of_a_ticket => isolation::other_department_sees_nothing;
    a_member_never_sees_another_members_ticket => isolation::other_member_sees_nothing;
    sessions_survive_a_restart_and_logout_ends_the_socket => isolation::sessions_persist_and_end;
    a_slow_reader_is_dropped_and_resumes_without_loss => delivery::slow_reader_resumes;
    a_dead_database_gets_clear_errors_and_loses_nothing => isolation::dead_database;
    signing_in_answers_with_the_desks_file_limits => sign_in_tells_file_limits;
    staff_see_since_when_a_ticket_is_held_and_members_nothing_of_it => lock_time_for_staff_only;
    the_board_knows_who_waits_since_when_against_which_target => workspace::waiting_clock_targets_and_views;
    each_persons_settings_are_kept_whole_and_their_own => workspace::settings_are_kept_per_person;
    the_member_profile_and_its_comment_are_for_staff_only => workspace::member_profile_is_for_staff_only;
    the_wall_opens_for_moderators_only => workspace::the_wall_is_for_moderators;
    the_board_marks_what_is_new_to_each_person => workspace::new_to_me_is_per_person;
    statistics_of_a_known_history_are_exact_and_kept_to_their_readers => stats::figures_of_a_known_history;
    work_is_in_the_statistics_as_soon_as_it_is_done => stats::work_is_counted_as_it_is_done;
    the_desk_says_when_it_is_ready_and_its_metrics_move_with_messages => report::ready_and_metrics;
    without_a_token_there_are_no_metrics => report::no_token_no_metrics;
    staff_look_up_dns_and_whois_from_a_ticket_and_nobody_else_does => diagnostics::lookups_from_a_ticket;
    a_silent_resolver_times_out_and_says_so => diagnostics::a_silent_resolver_times_out;
}

async fn sign_in_tells_file_limits(backend: Backend) {
    let server = TestServer::start(backend).await;
    let me = server.client().login(MEMBER).await;
    let settings = &server.state.settings;
    assert_eq!(
        (
            me.file_limits.max_file_bytes,
            me.file_limits.max_message_bytes
        ),
        (settings.max_file_bytes, settings.max_message_bytes),
        "the answer to signing in carries the limits the server applies"
    );
    assert!(me.file_limits.max_file_bytes > 0);
}

async fn lock_time_for_staff_only(backend: Backend) {
    let server = TestServer::start(backend).await;
    let member = server.signed_in(MEMBER).await;
    let operator = server.signed_in(CARE_OPERATOR).await;
    let moderator = server.signed_in(MODERATOR).await;
    let care = member.department("Customer care").await;
    let ticket = member.start_ticket(care, "Held", "who has it?").await;
    let row = |list: Vec<TicketSummary>| {
        list.into_iter()
            .find(|t| t.id == ticket)
            .expect("the ticket is listed")
    };

    let mut board = moderator.socket().await;
    assert_eq!(row(board.follow_list(Topic::Board).await).taken_at, None);
    let before = server::clock::now();
    let took = operator.act(&format!("/api/tickets/{ticket}/take")).await;
    assert_eq!(took.status, StatusCode::OK, "{}", took.body);
    let (held, _) = board
        .until(|e| match e {
            Event::TicketChanged { ticket: t } if t.id == ticket && t.assignee.is_some() => {
                Some(t.clone())
            }
            _ => None,
        })
        .await;
    let since = held
        .taken_at
        .expect("the moderator's board says since when");
    assert!(since >= before && since <= server::clock::now(), "{since}");

    let inbox: Vec<TicketSummary> = member.get("/api/tickets").await.json();
    assert_eq!(
        row(inbox).taken_at,
        None,
        "the member is told nothing of the lock"
    );

    let released = operator
        .act(&format!("/api/tickets/{ticket}/release"))
        .await;
    assert_eq!(released.status, StatusCode::OK, "{}", released.body);
    let list: Vec<TicketSummary> = moderator.get("/api/tickets").await.json();
    assert_eq!(
        row(list).taken_at,
        None,
        "a released ticket is held by nobody"
    );
}

#[tokio::test]
async fn openapi_documents_every_route() {
    let server = TestServer::start(Backend::Sqlite).await;
    let doc = server.client().get("/api/openapi.json").await;
    assert_eq!(doc.status, StatusCode::OK);
    for path in [
        "/health",
        "/api/login",
        "/api/logout",
        "/api/me",
        "/api/departments",
        "/api/tickets",
        "/api/tickets/{id}",
        "/api/tickets/{id}/messages",
        "/api/tickets/{id}/read",
    ] {
        assert!(doc.body["paths"][path].is_object(), "{path} is documented");
    }
    assert!(doc.body["components"]["schemas"]["Command"].is_object());
    assert!(doc.body["components"]["schemas"]["Event"].is_object());
}

#[tokio::test]
async fn pages_and_json_go_compressed_to_browsers_that_take_gzip() {
    let server = TestServer::start(Backend::Sqlite).await;
    let member = server.signed_in(MEMBER).await;
    for path in ["/account", "/api/tickets", "/api/me"] {
        let fetch = |gzip: bool| {
            let mut req = member.http.get(format!("{}{path}", member.base));
            if gzip {
                req = req.header("accept-encoding", "gzip");
            }
            req.send()
        };
        let res = fetch(true).await.expect("answered");
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        assert_eq!(
            res.headers().get("content-encoding").map(|v| v.as_bytes()),
            Some(&b"gzip"[..]),
            "{path}"
        );
        let body = res.bytes().await.expect("a body");
        assert_eq!(&body[..2], &[0x1f, 0x8b], "{path}: a gzip stream");
        // A client that does not say it takes gzip gets the plain text.
        let res = fetch(false).await.expect("answered");
        assert!(res.headers().get("content-encoding").is_none(), "{path}");
        let body = res.text().await.expect("a body");
        assert!(
            body.starts_with("<!DOCTYPE") || body.starts_with('{') || body.starts_with('['),
            "{path}"
        );
    }
}

#[tokio::test]
async fn pages_send_people_to_their_desk() {
    let server = TestServer::start(Backend::Sqlite).await;
    let no_redirects = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let location = |res: &reqwest::Response| {
        res.headers()
            .get("location")
            .map(|v| v.to_str().unwrap_or("").to_owned())
    };
    let res = no_redirects
        .get(format!("{}/board", server.base))
        .send()
        .await
        .expect("answered");
    assert_eq!(
        (res.status(), location(&res).as_deref()),
        (StatusCode::SEE_OTHER, Some("/login"))
    );
    let res = no_redirects
        .get(format!("{}/login", server.base))
        .send()
        .await
        .expect("answered");
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.expect("html");
    assert!(html.contains("<form") && html.contains("name=\"password\""));

    // The login form signs in and lands the member on her account page.
    let res = no_redirects
        .post(format!("{}/login", server.base))
        .header("origin", &server.base)
        .form(&[
            ("email", MEMBER),
            ("password", server::service::demo::PASSWORD),
        ])
        .send()
        .await
        .expect("answered");
    assert_eq!(
        (res.status(), location(&res).as_deref()),
        (StatusCode::SEE_OTHER, Some("/account"))
    );
    let res = no_redirects
        .post(format!("{}/login", server.base))
        .form(&[("email", MEMBER), ("password", "wrong")])
        .send()
        .await
        .expect("answered");
    assert_eq!(location(&res).as_deref(), Some("/login?error=credentials"));

    // Another site's page cannot post the form.
    let res = no_redirects
        .post(format!("{}/login", server.base))
        .header("origin", "http://evil.example")
        .form(&[
            ("email", MEMBER),
            ("password", server::service::demo::PASSWORD),
        ])
        .send()
        .await
        .expect("answered");
    assert_eq!(res.status(), StatusCode::FORBIDDEN);

    let unknown = server.client().get("/api/nothing-here").await;
    assert_eq!(
        (unknown.status, unknown.code()),
        (StatusCode::NOT_FOUND, "not_found")
    );
}
