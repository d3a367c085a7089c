//! The call centre: the telephony system reports calls with an administrator's token (each
//! event taken once); every call is a request in the Phone queue of its caller — a member of
//! the desk, or one made for an unknown number; the caller's card pops live on the socket of
//! the agent who answered and on no one else's (ringing, on every agent who may see it);
//! the agent ends the call with a reason, closing the request or sending it to a queue. On
//! SQLite and PostgreSQL, and across two nodes.

use crate::common;

use app::protocol::{
    AccountChange, AccountChanged, BlockReason, CallCard, CallEnd, CallState, Calls, CardStatus,
    ClientMsgId, Command, ErrorCode, EventKind, Me, MemberAccount, QueueId, TicketDetail,
    TicketStatus, UserId, Written,
};
use common::people::{ADA, ANNA, BORIS, IVAN, MARIA, OLGA};
use common::phone::{ANNAS_PHONE, calls_socket, changed, follow_calls, gone, report};
use common::{Backend, TestServer, mail_gateway};
use reqwest::StatusCode;
use serde_json::json;

on_both_backends! {
    a_call_opens_the_card_for_its_agent_and_ends_with_a_reason => answered_and_ended;
    an_unknown_number_becomes_a_member_and_its_request_can_go_to_a_queue => unknown_caller;
    hostile_reports_and_outsiders_are_refused => refusals;
    the_agent_changes_the_callers_account_with_an_audit_trail => account_changes;
}

fn reason(calls: &Calls, starts: &str) -> i64 {
    calls
        .reasons
        .iter()
        .find(|r| r.label.starts_with(starts))
        .unwrap_or_else(|| panic!("no reason {starts}"))
        .id
}

fn queue(calls: &Calls, name: &str) -> QueueId {
    calls
        .queues
        .iter()
        .find(|q| q.name == name)
        .expect("queue")
        .id
}

async fn answered_and_ended(backend: Backend) {
    let server = TestServer::start(backend).await;
    let pbx = mail_gateway(&server, "telephony").await;
    let olga = server.signed_in(OLGA).await;
    let ivan = server.signed_in(IVAN).await;
    let anna = server.signed_in(ANNA).await;
    let anna_me: Me = anna.get("/api/me").await.json();
    let (mut olgas, snapshot) = calls_socket(&olga).await;
    assert!(snapshot.calls.is_empty());
    assert_eq!(snapshot.reasons.len(), 24, "the defaults are offered");
    let (mut ivans, _) = calls_socket(&ivan).await;

    // A known number rings: both agents of the line see who calls; once only.
    let rang = report(&pbx, "1700000000.1", "ring", "8 (916) 123-45-01", None).await;
    assert!(!rang.duplicate);
    assert_eq!(rang.call.caller, ANNAS_PHONE);
    assert_eq!(rang.call.member.id, anna_me.id);
    assert_eq!(rang.call.external_id.as_deref(), Some("lp-1001"));
    assert!(
        report(&pbx, "1700000000.1", "ring", ANNAS_PHONE, None)
            .await
            .duplicate
    );
    for socket in [&mut olgas, &mut ivans] {
        changed(socket, "1700000000.1", CallState::Ringing).await;
    }

    // The call is a request of Anna's in the Phone queue; what the telephony said is staff's.
    let ticket = rang.call.ticket_id;
    let detail: TicketDetail = olga.get(&format!("/api/tickets/{ticket}")).await.json();
    assert_eq!(
        detail.ticket.queue.as_ref().map(|q| q.name.as_str()),
        Some("Phone")
    );
    assert!(
        detail
            .events
            .iter()
            .any(|e| matches!(&e.kind, EventKind::Call { line, .. } if line == "88005553535"))
    );
    let hers: TicketDetail = anna.get(&format!("/api/tickets/{ticket}")).await.json();
    assert!(
        !hers
            .events
            .iter()
            .any(|e| matches!(e.kind, EventKind::Call { .. }))
    );

    // Olga (extension 201) answers: her card opens; Ivan's screen lets the call go.
    let answered = report(&pbx, "1700000000.1", "answer", ANNAS_PHONE, Some("201")).await;
    assert_eq!(
        answered.call.agent.as_ref().map(|a| a.name.as_str()),
        Some("Olga Petrova")
    );
    assert!(
        report(&pbx, "1700000000.1", "answer", ANNAS_PHONE, Some("202"))
            .await
            .duplicate
    );
    let call = changed(&mut olgas, "1700000000.1", CallState::Answered).await;
    assert_eq!(call.agent.map(|a| a.name), Some("Olga Petrova".into()));
    gone(&mut ivans, "1700000000.1").await;
    let card: CallCard = olga.get("/api/calls/1700000000.1/card").await.json();
    let account = card.account.expect("Anna's account");
    assert_eq!(account.email, ANNA);
    assert!(!account.cards.is_empty());
    assert_eq!(
        ivan.get("/api/calls/1700000000.1/card").await.status,
        StatusCode::NOT_FOUND
    );
    let held: TicketDetail = olga.get(&format!("/api/tickets/{ticket}")).await.json();
    assert_eq!(
        held.ticket.assignee.map(|a| a.name),
        Some("Olga Petrova".into())
    );

    // Only the agent who answered ends it; hanging up keeps it on her screen until she does.
    let loyalty = reason(&snapshot, "Work on the loyalty program");
    let end = CallEnd {
        reason_id: loyalty,
        close: true,
        queue_id: None,
        description: "Card 2200 blocked at the member's request".into(),
    };
    let by_ivan = ivans
        .refused(|command_id| Command::EndCall {
            command_id,
            call_id: "1700000000.1".into(),
            end: end.clone(),
        })
        .await;
    assert_eq!(by_ivan, ErrorCode::Conflict);
    let hung = report(&pbx, "1700000000.1", "hangup", ANNAS_PHONE, None).await;
    assert_eq!(hung.call.state, CallState::Ended);
    changed(&mut olgas, "1700000000.1", CallState::Ended).await;
    let waiting: Calls = olga.get("/api/calls").await.json();
    assert_eq!(
        waiting.calls.len(),
        1,
        "the reminder stays until she ends it"
    );
    let command_id = olgas.command_id();
    let ended = olgas
        .command(Command::EndCall {
            command_id,
            call_id: "1700000000.1".into(),
            end: end.clone(),
        })
        .await;
    assert!(matches!(ended, Ok((_, false))), "{ended:?}");
    gone(&mut olgas, "1700000000.1").await;
    let closed: TicketDetail = olga.get(&format!("/api/tickets/{ticket}")).await.json();
    assert_eq!(closed.ticket.status, TicketStatus::Closed);
    let kinds: Vec<&EventKind> = closed.events.iter().map(|e| &e.kind).collect();
    assert!(kinds.iter().any(|k| matches!(k, EventKind::CallEnded { reason, queue: None, .. } if reason.starts_with("Work on the loyalty"))));
    assert!(
        kinds
            .iter()
            .any(|k| matches!(k, EventKind::Note { body, .. } if body.starts_with("Card 2200")))
    );
    assert!(matches!(kinds.last(), Some(EventKind::Closed)));
    let hers: TicketDetail = anna.get(&format!("/api/tickets/{ticket}")).await.json();
    assert!(
        !hers
            .events
            .iter()
            .any(|e| matches!(e.kind, EventKind::Note { .. } | EventKind::CallEnded { .. }))
    );

    // The same end again changes nothing; another reason is refused.
    let again = olga.post("/api/calls/1700000000.1/end", &end).await;
    assert_eq!(again.status, StatusCode::OK);
    assert!(again.json::<Written>().duplicate);
    let other = olga
        .post(
            "/api/calls/1700000000.1/end",
            &CallEnd {
                reason_id: reason(&snapshot, "Other"),
                ..end
            },
        )
        .await;
    assert_eq!(other.status, StatusCode::CONFLICT, "{}", other.body);
    assert!(
        olga.get("/api/calls")
            .await
            .json::<Calls>()
            .calls
            .is_empty()
    );
}

async fn unknown_caller(backend: Backend) {
    let server = TestServer::start(backend).await;
    let pbx = mail_gateway(&server, "telephony").await;
    let ivan = server.signed_in(IVAN).await;
    let olga = server.signed_in(OLGA).await;
    let (mut ivans, snapshot) = calls_socket(&ivan).await;

    // A number nobody has: a member is made for it, and known by it the next time.
    let first = report(&pbx, "pbx-2", "ring", "+7 999 000-11-22", None).await;
    assert_eq!(first.call.member.name, "+79990001122");
    assert_eq!(first.call.external_id, None);
    let second = report(&pbx, "pbx-3", "ring", "+79990001122", None).await;
    assert_eq!(second.call.member.id, first.call.member.id);
    assert_ne!(
        second.call.ticket_id, first.call.ticket_id,
        "a request per call"
    );

    // Given up before anyone answered: off every screen.
    changed(&mut ivans, "pbx-3", CallState::Ringing).await;
    let abandoned = report(&pbx, "pbx-3", "abandon", "+79990001122", None).await;
    assert_eq!(abandoned.call.state, CallState::Abandoned);
    gone(&mut ivans, "pbx-3").await;
    assert!(
        report(&pbx, "pbx-3", "hangup", "+79990001122", None)
            .await
            .duplicate
    );

    // Ivan answers the other; without closing, the request needs a queue and goes there.
    report(&pbx, "pbx-2", "answer", "+79990001122", Some("202")).await;
    let card: CallCard = ivan.get("/api/calls/pbx-2/card").await.json();
    let account = card.account.expect("an account, empty");
    assert_eq!(
        (account.external_id.as_str(), account.email.as_str()),
        ("", ""),
        "a new caller"
    );
    assert_eq!(account.phones, vec!["+79990001122"]);
    let complaint = CallEnd {
        reason_id: reason(&snapshot, "Complaints about the product quality"),
        close: false,
        queue_id: None,
        description: String::new(),
    };
    ivan.post("/api/calls/pbx-2/end", &complaint)
        .await
        .assert_invalid("queue_id");
    let email = queue(&snapshot, "Email");
    let moved = ivan
        .post(
            "/api/calls/pbx-2/end",
            &CallEnd {
                queue_id: Some(email),
                ..complaint
            },
        )
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    let detail: TicketDetail = olga
        .get(&format!("/api/tickets/{}", first.call.ticket_id))
        .await
        .json();
    assert_eq!(detail.ticket.status, TicketStatus::Open);
    assert_eq!(detail.ticket.queue.map(|q| q.id), Some(email));
    assert_eq!(
        detail.ticket.assignee, None,
        "the support service picks it up"
    );
    assert!(
        detail.events.iter().any(
            |e| matches!(&e.kind, EventKind::CallEnded { queue: Some(q), .. } if q.id == email)
        )
    );
}

async fn refusals(backend: Backend) {
    let server = TestServer::start(backend).await;
    let pbx = mail_gateway(&server, "telephony").await;
    let olga = server.signed_in(OLGA).await;
    let maria = server.signed_in(MARIA).await;
    let anna = server.signed_in(ANNA).await;
    let ada = server.signed_in(ADA).await;
    let call = |event: &str, caller: &str, agent: Option<&str>, id: &str| {
        let mut body = json!({"call_id": id, "event": event, "caller": caller, "line": "100"});
        if let Some(agent) = agent {
            body["agent"] = json!(agent);
        }
        body
    };

    // Only an administrator's token reports calls; every value is checked.
    for outsider in [&olga, &anna] {
        let reply = outsider
            .post("/api/calls/events", &call("ring", ANNAS_PHONE, None, "x1"))
            .await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN);
    }
    for (body, field) in [
        (call("ring", "anonymous", None, "x1"), "caller"),
        (call("ring", ANNAS_PHONE, None, "has space"), "call_id"),
        (call("ring", ANNAS_PHONE, None, &"9".repeat(101)), "call_id"),
        (call("answer", ANNAS_PHONE, None, "x1"), "agent"),
        (call("answer", ANNAS_PHONE, Some("999"), "x1"), "agent"),
        (call("answer", ANNAS_PHONE, Some("20\u{7}1"), "x1"), "agent"),
    ] {
        pbx.post("/api/calls/events", &body)
            .await
            .assert_invalid(field);
    }
    let unknown_event = pbx
        .post(
            "/api/calls/events",
            &json!({"call_id": "x1", "event": "transfer", "caller": ANNAS_PHONE, "line": "1"}),
        )
        .await;
    assert_eq!(unknown_event.status, StatusCode::BAD_REQUEST);
    assert!(
        olga.get("/api/calls")
            .await
            .json::<Calls>()
            .calls
            .is_empty(),
        "nothing was made"
    );

    // Calls are for agents: not Maria (no extension), never a member — over HTTP and socket.
    for outsider in [&maria, &anna] {
        assert_eq!(
            outsider.get("/api/calls").await.status,
            StatusCode::FORBIDDEN
        );
        let mut socket = outsider.socket().await;
        follow_calls(&mut socket).await;
        assert_eq!(socket.next_error().await, ErrorCode::Forbidden);
    }
    let mut annas = anna.socket().await;
    let code = annas
        .refused(|command_id| Command::EndCall {
            command_id,
            call_id: "x1".into(),
            end: CallEnd {
                reason_id: 1,
                close: true,
                queue_id: None,
                description: String::new(),
            },
        })
        .await;
    assert_eq!(code, ErrorCode::Forbidden);

    // An administrator makes Maria an agent; an extension is held by one person only.
    let maria_id: UserId = maria.get("/api/me").await.json::<Me>().id;
    let taken = ada
        .post(
            "/api/admin",
            &json!({"action": "set_extension", "id": maria_id, "extension": "201"}),
        )
        .await;
    taken.assert_invalid("extension");
    let made = ada
        .post(
            "/api/admin",
            &json!({"action": "set_extension", "id": maria_id, "extension": "203"}),
        )
        .await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    assert_eq!(maria.get("/api/calls").await.status, StatusCode::OK);
    let me: Me = maria.get("/api/me").await.json();
    assert_eq!(me.extension.as_deref(), Some("203"));
    // Maria works Billing only: a call of Customer care does not ring for her.
    report(&pbx, "x2", "ring", ANNAS_PHONE, None).await;
    assert!(
        maria
            .get("/api/calls")
            .await
            .json::<Calls>()
            .calls
            .is_empty()
    );
    assert_eq!(olga.get("/api/calls").await.json::<Calls>().calls.len(), 1);
}

/// Two nodes on one PostgreSQL: the telephony reports to one node, the card pops on the
/// agent's socket on the other.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_call_reported_to_one_node_pops_on_an_agent_of_the_other() {
    let (one, two) = TestServer::two_nodes().await;
    let pbx = mail_gateway(&one, "telephony").await;
    let olga = two.signed_in(OLGA).await;
    let (mut olgas, _) = calls_socket(&olga).await;
    report(&pbx, "n-1", "ring", ANNAS_PHONE, None).await;
    changed(&mut olgas, "n-1", CallState::Ringing).await;
    report(&pbx, "n-1", "answer", ANNAS_PHONE, Some("201")).await;
    let call = changed(&mut olgas, "n-1", CallState::Answered).await;
    assert_eq!(call.external_id.as_deref(), Some("lp-1001"));
}

/// Boris's number and cards in the demo accounts (`lp-1002`): the first blocked as lost.
const BORIS_PHONE: &str = "+79031234502";
const BORIS_LOST: &str = "2700000000001002";

async fn account_changes(backend: Backend) {
    let server = TestServer::start(backend).await;
    let pbx = mail_gateway(&server, "telephony").await;
    let olga = server.signed_in(OLGA).await;
    let ivan = server.signed_in(IVAN).await;
    let maria = server.signed_in(MARIA).await;
    let boris = server.signed_in(BORIS).await;
    report(&pbx, "acct-1", "ring", BORIS_PHONE, None).await;
    let call = report(&pbx, "acct-1", "answer", BORIS_PHONE, Some("201"))
        .await
        .call;
    let change = |id: &str, change: serde_json::Value| {
        let mut body = change;
        body["client_msg_id"] = json!(id);
        body
    };
    let path = "/api/calls/acct-1/account";

    // Unblocked over HTTP; the same client id again changes nothing.
    let unblock = change(
        "a-1",
        json!({"change": "unblock_card", "number": BORIS_LOST}),
    );
    let done = olga.post(path, &unblock).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    let done: AccountChanged = done.json();
    let lost_card = |a: &MemberAccount| {
        a.cards
            .iter()
            .find(|c| c.number == BORIS_LOST)
            .cloned()
            .expect("card")
    };
    assert_eq!(lost_card(&done.account).status, CardStatus::Active);
    assert!(!done.written.duplicate);
    let again: AccountChanged = olga.post(path, &unblock).await.json();
    assert!(again.written.duplicate);
    assert_eq!(again.written.seq, done.written.seq);

    // Blocked again over the socket, for a reason from the list.
    let mut olgas = olga.socket().await;
    let command_id = olgas.command_id();
    let blocked = olgas
        .command(Command::ChangeAccount {
            command_id,
            call_id: "acct-1".into(),
            client_msg_id: ClientMsgId::parse("a-2").unwrap(),
            change: AccountChange::BlockCard {
                number: BORIS_LOST.into(),
                reason: BlockReason::Stolen,
            },
        })
        .await;
    assert!(matches!(blocked, Ok((_, false))), "{blocked:?}");

    // Details and a subscription; a clash names who holds the value; a card not his is refused.
    let details = change(
        "a-3",
        json!({"change": "details", "name": "Boris K. Kuznetsov", "birth_date": "1979-11-03", "city": "Kazan"}),
    );
    assert_eq!(olga.post(path, &details).await.status, StatusCode::OK);
    let sms = change(
        "a-4",
        json!({"change": "subscription", "channel": "sms", "topic": "offers", "subscribed": true}),
    );
    let subscribed: AccountChanged = olga.post(path, &sms).await.json();
    assert!(
        subscribed
            .account
            .subscriptions
            .iter()
            .any(|s| s.topic == "offers" && s.subscribed)
    );
    let clash = olga
        .post(
            path,
            &change(
                "a-5",
                json!({"change": "contacts", "email": ANNA, "phones": [BORIS_PHONE]}),
            ),
        )
        .await;
    clash.assert_invalid("email");
    assert!(
        clash.body.to_string().contains("Anna Ivanova"),
        "{}",
        clash.body
    );
    olga.post(
        path,
        &change(
            "a-6",
            json!({"change": "contacts", "email": BORIS, "phones": [ANNAS_PHONE]}),
        ),
    )
    .await
    .assert_invalid("phones");
    olga.post(
        path,
        &change(
            "a-7",
            json!({"change": "block_card", "number": "2700000000001001", "reason": "lost"}),
        ),
    )
    .await
    .assert_invalid("number");
    olga.post(
        path,
        &change(
            "a-8",
            json!({"change": "details", "name": "Boris", "birth_date": "1979-02-30"}),
        ),
    )
    .await
    .assert_invalid("birth_date");

    // Only the agent on the call: not another agent, not an operator, never a member.
    let by_ivan = ivan
        .post(
            path,
            &change(
                "i-1",
                json!({"change": "unblock_card", "number": BORIS_LOST}),
            ),
        )
        .await;
    assert_eq!(by_ivan.status, StatusCode::CONFLICT);
    let by_maria = maria
        .post(
            path,
            &change(
                "m-1",
                json!({"change": "unblock_card", "number": BORIS_LOST}),
            ),
        )
        .await;
    assert_eq!(by_maria.status, StatusCode::FORBIDDEN);
    let mut boriss = boris.socket().await;
    let code = boriss
        .refused(|command_id| Command::ChangeAccount {
            command_id,
            call_id: "acct-1".into(),
            client_msg_id: ClientMsgId::parse("b-1").unwrap(),
            change: AccountChange::UnblockCard {
                number: BORIS_LOST.into(),
            },
        })
        .await;
    assert_eq!(code, ErrorCode::Forbidden);

    // Each change is in the call's request (staff only) and the member's history.
    let card: CallCard = olga.get("/api/calls/acct-1/card").await.json();
    let account = card.account.expect("account");
    assert_eq!(account.name, "Boris K. Kuznetsov");
    assert_eq!(lost_card(&account).block_reason.as_deref(), Some("Stolen"));
    assert_eq!(card.history.len(), 4);
    assert_eq!(
        card.history[3].changes[0].field,
        format!("card:{BORIS_LOST}")
    );
    assert_eq!(card.history[3].changes[0].to.as_deref(), Some("active"));
    assert!(
        card.history
            .iter()
            .all(|h| h.author.as_ref().is_some_and(|a| a.name == "Olga Petrova"))
    );
    assert!(
        card.history[1]
            .changes
            .iter()
            .any(|c| c.field == "birth_date" && c.to.as_deref() == Some("1979-11-03"))
    );
    let detail: TicketDetail = olga
        .get(&format!("/api/tickets/{}", call.ticket_id))
        .await
        .json();
    let audited = detail
        .events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::AccountChanged { .. }))
        .count();
    assert_eq!(audited, 4);
    let his: TicketDetail = boris
        .get(&format!("/api/tickets/{}", call.ticket_id))
        .await
        .json();
    assert!(
        !his.events
            .iter()
            .any(|e| matches!(e.kind, EventKind::AccountChanged { .. }))
    );

    // Once the call is ended, its card changes no more.
    let snapshot: Calls = olga.get("/api/calls").await.json();
    let end = CallEnd {
        reason_id: reason(&snapshot, "Work on the loyalty program"),
        close: true,
        queue_id: None,
        description: String::new(),
    };
    assert_eq!(
        olga.post("/api/calls/acct-1/end", &end).await.status,
        StatusCode::OK
    );
    let late = olga
        .post(
            path,
            &change(
                "a-9",
                json!({"change": "unblock_card", "number": BORIS_LOST}),
            ),
        )
        .await;
    assert_eq!(late.status, StatusCode::CONFLICT);
}
