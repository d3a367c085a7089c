//! Callbacks: a caller who hangs up before anyone answers is kept to be called back (once per
//! number within the window); the callback is offered live to a free agent — online, not on a
//! call — who takes it: Asterisk is asked to dial over its Manager Interface (a listener in
//! the test speaks it as Asterisk does, since Asterisk cannot be installed here), or, without
//! one, the agent dials the number shown; the outcome is kept, and a callback not reached is
//! offered again, up to the last try. On SQLite and PostgreSQL.

use crate::common;

use app::protocol::{
    CallEnd, CallbackOutcome, CallbackState, Callbacks, Calls, Command, ErrorCode, Event,
    EventKind, TicketDetail,
};
use common::people::{ANNA, IVAN, MARIA, OLGA};
use common::phone::{ANNAS_PHONE, calls_socket, fake_ami, report};
use common::{Backend, Options, Socket, TestDb, TestServer, mail_gateway};
use reqwest::StatusCode;
use serde_json::json;
use server::config::{AmiSettings, PhoneSettings, Secret};

on_both_backends! {
    a_caller_who_gave_up_is_offered_to_a_free_agent_and_called_back_through_asterisk => through_asterisk;
    without_a_manager_interface_the_agent_dials_and_the_last_try_gives_up => by_hand;
}

async fn start(backend: Backend, phone: PhoneSettings) -> TestServer {
    let db = std::sync::Arc::new(TestDb::new(backend).await);
    TestServer::start_with(
        db,
        Options {
            phone,
            ..Options::default()
        },
    )
    .await
}

/// Waits until `socket` is offered (or shown in `state`) a callback; its id.
async fn callback_in(socket: &mut Socket, state: CallbackState) -> (i64, i64, bool) {
    socket
        .until(|e| match e {
            Event::CallbackChanged { callback } if callback.state == state => {
                Some((callback.id, callback.attempts, callback.dialed))
            }
            _ => None,
        })
        .await
        .0
}

async fn waiting(socket: &mut Socket, count: i64) {
    socket
        .until(|e| matches!(e, Event::CallbacksWaiting { count: c } if *c == count).then_some(()))
        .await;
}

async fn through_asterisk(backend: Backend) {
    let (port, actions) = fake_ami("s3cret").await;
    let server = start(
        backend,
        PhoneSettings {
            ami: Some(AmiSettings {
                port,
                user: "switchboard".into(),
                secret: Secret::new("s3cret"),
                ..AmiSettings::default()
            }),
            callback_retry_mins: 0,
            ..PhoneSettings::default()
        },
    )
    .await;
    let pbx = mail_gateway(&server, "telephony").await;
    let olga = server.signed_in(OLGA).await;
    let ivan = server.signed_in(IVAN).await;
    let (mut olgas, _) = calls_socket(&olga).await;

    // Anna gives up waiting: she is kept, and offered at once to Olga, the free agent.
    report(&pbx, "cb-1", "ring", ANNAS_PHONE, None).await;
    let gave_up = report(&pbx, "cb-1", "abandon", ANNAS_PHONE, None).await;
    let (id, attempts, _) = callback_in(&mut olgas, CallbackState::Offered).await;
    assert_eq!(attempts, 0);
    // She gives up again at once: no second callback.
    report(&pbx, "cb-2", "ring", ANNAS_PHONE, None).await;
    report(&pbx, "cb-2", "abandon", ANNAS_PHONE, None).await;
    let listed: Callbacks = olga.get("/api/callbacks").await.json();
    assert_eq!((listed.mine.len(), listed.waiting), (1, 1));

    // Only the agent it is offered to takes it; a member never.
    let by_ivan = ivan
        .post(&format!("/api/callbacks/{id}/accept"), &json!({}))
        .await;
    assert_eq!(by_ivan.status, StatusCode::CONFLICT, "{}", by_ivan.body);
    let maria = server.signed_in(MARIA).await;
    let by_maria = maria
        .post(&format!("/api/callbacks/{id}/accept"), &json!({}))
        .await;
    assert_eq!(by_maria.status, StatusCode::FORBIDDEN);
    let mut annas = server.signed_in(ANNA).await.socket().await;
    let code = annas
        .refused(|command_id| Command::AcceptCallback {
            command_id,
            callback_id: id,
        })
        .await;
    assert_eq!(code, ErrorCode::Forbidden);

    // Olga takes it over the socket: Asterisk rings her extension, then dials Anna.
    let accepted = olgas
        .done(|command_id| Command::AcceptCallback {
            command_id,
            callback_id: id,
        })
        .await;
    assert_eq!(accepted, Ok(()));
    let (_, attempt, dialed) = callback_in(&mut olgas, CallbackState::Dialing).await;
    assert_eq!(attempt, 1);
    let originate = actions
        .lock()
        .unwrap()
        .iter()
        .find(|a| a.iter().any(|(n, v)| n == "Action" && v == "Originate"))
        .cloned()
        .expect("an Originate");
    let header = |name: &str| {
        originate
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    assert_eq!(header("Channel"), Some("PJSIP/201"));
    assert_eq!(header("Exten"), Some(ANNAS_PHONE));
    assert_eq!(header("Context"), Some("from-internal"));
    assert_eq!(
        header("Variable"),
        Some(format!("SWITCHBOARD_CALLBACK={id}").as_str())
    );
    if !dialed {
        // The write saying Asterisk took it follows the first change.
        let (_, _, dialed) = callback_in(&mut olgas, CallbackState::Dialing).await;
        assert!(dialed);
    }

    // No answer: it comes back (no wait configured) and is offered to her again.
    let said = olga
        .post(
            &format!("/api/callbacks/{id}/outcome"),
            &json!({"outcome": "no_answer"}),
        )
        .await;
    assert_eq!(said.status, StatusCode::OK, "{}", said.body);
    let (again, attempts, _) = callback_in(&mut olgas, CallbackState::Offered).await;
    assert_eq!((again, attempts), (id, 1));
    olga.post(&format!("/api/callbacks/{id}/accept"), &json!({}))
        .await;
    let reached = olga
        .post(
            &format!("/api/callbacks/{id}/outcome"),
            &json!({"outcome": "reached"}),
        )
        .await;
    let reached: app::protocol::Callback = reached.json();
    assert_eq!((reached.state, reached.attempts), (CallbackState::Done, 2));
    olgas
        .until(|e| {
            matches!(e, Event::CallbackGone { callback_id } if *callback_id == id).then_some(())
        })
        .await;
    waiting(&mut olgas, 0).await;

    // Each try is in the request of the call she gave up on, for staff.
    let detail: TicketDetail = olga
        .get(&format!("/api/tickets/{}", gave_up.call.ticket_id))
        .await
        .json();
    let tries: Vec<_> = detail
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::CalledBack {
                attempt, outcome, ..
            } => Some((*attempt, *outcome)),
            _ => None,
        })
        .collect();
    assert_eq!(
        tries,
        vec![
            (1, None),
            (1, Some(CallbackOutcome::NoAnswer)),
            (2, None),
            (2, Some(CallbackOutcome::Reached)),
        ]
    );

    // An agent on a call is not free: the next callback waits until she ends it.
    report(&pbx, "busy-1", "ring", "+79031234502", None).await;
    report(&pbx, "busy-1", "answer", "+79031234502", Some("201")).await;
    report(&pbx, "cb-3", "ring", "+79990001133", None).await;
    report(&pbx, "cb-3", "abandon", "+79990001133", None).await;
    waiting(&mut olgas, 1).await;
    let listed: Callbacks = olga.get("/api/callbacks").await.json();
    assert!(listed.mine.is_empty(), "not offered while she is on a call");
    let calls: Calls = olga.get("/api/calls").await.json();
    let end = CallEnd {
        reason_id: calls.reasons[0].id,
        close: true,
        queue_id: None,
        description: String::new(),
    };
    assert_eq!(
        olga.post("/api/calls/busy-1/end", &end).await.status,
        StatusCode::OK
    );
    callback_in(&mut olgas, CallbackState::Offered).await;
}

async fn by_hand(backend: Backend) {
    let server = start(
        backend,
        PhoneSettings {
            callback_tries: 2,
            callback_retry_mins: 0,
            ..PhoneSettings::default()
        },
    )
    .await;
    let pbx = mail_gateway(&server, "telephony").await;
    let ivan = server.signed_in(IVAN).await;
    let (mut ivans, _) = calls_socket(&ivan).await;
    report(&pbx, "h-1", "ring", ANNAS_PHONE, None).await;
    // A hangup of a call nobody answered is a caller who gave up.
    report(&pbx, "h-1", "hangup", ANNAS_PHONE, None).await;
    let (id, _, _) = callback_in(&mut ivans, CallbackState::Offered).await;
    for (try_, outcome) in [(1, "no_answer"), (2, "no_answer")] {
        let accepted: app::protocol::Callback = ivan
            .post(&format!("/api/callbacks/{id}/accept"), &json!({}))
            .await
            .json();
        assert!(
            !accepted.dialed,
            "no Manager Interface: Ivan dials the number shown"
        );
        assert_eq!(accepted.attempts, try_);
        let said: app::protocol::Callback = ivan
            .post(
                &format!("/api/callbacks/{id}/outcome"),
                &json!({"outcome": outcome}),
            )
            .await
            .json();
        if try_ == 1 {
            // Back in the list with no wait configured: offered again at once, to him.
            assert!(
                matches!(said.state, CallbackState::Waiting | CallbackState::Offered),
                "{said:?}"
            );
            assert_eq!(said.outcome, Some(app::protocol::CallbackOutcome::NoAnswer));
            callback_in(&mut ivans, CallbackState::Offered).await;
        } else {
            assert_eq!(said.state, CallbackState::GivenUp, "the last try gives up");
        }
    }
    let late = ivan
        .post(&format!("/api/callbacks/{id}/accept"), &json!({}))
        .await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    let outcome = ivan
        .post(
            &format!("/api/callbacks/{id}/outcome"),
            &json!({"outcome": "sometime"}),
        )
        .await;
    assert_eq!(outcome.status, StatusCode::BAD_REQUEST);
}
