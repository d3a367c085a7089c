//! Statistics over HTTP and the socket: a history with known answers (written through the
//! desk's own write path at chosen times), each figure checked exactly; who may read which
//! figures; the CSV files; work done now counted at once.

use app::protocol::{
    Channel, Command, ErrorCode, Event, EventKind, Me, OperatorLoad, Person, RatingMark,
    RatingMarkId, Statistics, StatsRange, Tally, TicketId, Timing,
};
use reqwest::StatusCode;
use server::store::{EventDraft, NewCall, Store, WriteTx};

use super::{CARE_OPERATOR, MEMBER, MODERATOR};
use crate::common::{Backend, Client, TestServer, note, said};

const MINUTE: i64 = 60_000;
/// 2025-03-10 00:00 in Moscow (UTC+3), the range's first moment.
const MARCH_10_MSK: i64 = 1_741_554_000_000;
/// The range, in Moscow's days: 10 and 11 March 2025.
const RANGE: &str = "from=2025-03-10&to=2025-03-11&offset=180";

async fn person(client: &Client) -> Person {
    let me: Me = client.get("/api/me").await.json();
    Person {
        id: me.id,
        name: me.name,
        role: me.role,
    }
}

async fn event(w: &mut WriteTx, ticket: TicketId, author: &Person, kind: EventKind, at: i64) {
    w.append_event(
        ticket,
        EventDraft {
            author: author.clone(),
            kind,
            client_msg_id: None,
            ref_public_seq: None,
        },
        at,
    )
    .await
    .expect("an event");
}

fn message(body: &str) -> EventKind {
    EventKind::Message {
        body: body.into(),
        client_msg_id: None,
        attachments: Vec::new(),
        mail: None,
    }
}

/// A ticket created at `at` by `member`, with its `Created` event.
async fn ticket(
    w: &mut WriteTx,
    member: &Person,
    department: app::protocol::Department,
    channel: Channel,
    at: i64,
) -> TicketId {
    let id = w
        .create_ticket(member.id, department.id, "Figures", channel, None, at)
        .await
        .expect("a ticket");
    let created = EventKind::Created {
        subject: "Figures".into(),
        department,
        form: None,
    };
    event(w, id, member, created, at).await;
    id
}

fn tally(key: &str, count: i64) -> (String, i64) {
    (key.to_owned(), count)
}

fn counts(list: &[Tally]) -> Vec<(String, i64)> {
    list.iter().map(|t| (t.key.clone(), t.count)).collect()
}

fn timing(key: &str, count: i64, median: i64, p90: i64) -> Timing {
    Timing {
        key: key.into(),
        count,
        median_ms: Some(median * MINUTE),
        p90_ms: Some(p90 * MINUTE),
    }
}

/// The figures of a history written at known times: contacts by channel, category,
/// criticality and call-end reason; times to first answer, close and take; each colleague's
/// work; ratings by mark; the tickets open now by age. Then who may read what, over HTTP and
/// the socket, and the CSV files.
pub async fn figures_of_a_known_history(backend: Backend) {
    let server = TestServer::start(backend).await;
    let anna = server.signed_in(MEMBER).await;
    let ivan = server.signed_in(CARE_OPERATOR).await;
    let olga = server.signed_in(server::service::demo::people::OLGA).await;
    let mike = server.signed_in(MODERATOR).await;
    let me: Me = mike.get("/api/me").await.json();
    let department = |name: &str| {
        me.departments
            .iter()
            .find(|d| d.name == name)
            .cloned()
            .expect("a demo department")
    };
    let (care, billing) = (department("Customer care"), department("Billing"));
    let option = |kind, n: usize| {
        me.options
            .iter()
            .filter(|o| o.kind == kind)
            .nth(n)
            .expect("a demo option")
            .clone()
    };
    let category = option(app::protocol::OptionKind::Category, 0);
    let criticality = option(app::protocol::OptionKind::Criticality, 0);
    let (anna_p, ivan_p, olga_p) = (
        person(&anna).await,
        person(&ivan).await,
        person(&olga).await,
    );
    let mark = RatingMark {
        id: RatingMarkId(1),
        label: "The answer is fine".into(),
    };

    let store = Store::connect(&server.db.url, 1).await.expect("connects");
    let base = MARCH_10_MSK + 60 * MINUTE;
    let mut w = store.begin_write().await.expect("a write");
    // A: chat; Ivan takes it after 2 min, answers after 5, notes, closes at 30 (holding it
    // 28 min); Anna rates the answer.
    let a = ticket(&mut w, &anna_p, care.clone(), Channel::Chat, base).await;
    w.set_params(
        a,
        "Figures",
        [None, Some(criticality.id), Some(category.id), None],
    )
    .await
    .expect("parameters");
    event(&mut w, a, &ivan_p, EventKind::Taken, base + 2 * MINUTE).await;
    w.set_assignee(a, Some(ivan_p.id), base + 2 * MINUTE)
        .await
        .expect("held");
    event(
        &mut w,
        a,
        &ivan_p,
        message("Here you are"),
        base + 5 * MINUTE,
    )
    .await;
    event(
        &mut w,
        a,
        &ivan_p,
        EventKind::Note {
            body: "done".into(),
            client_msg_id: None,
            attachments: Vec::new(),
        },
        base + 6 * MINUTE,
    )
    .await;
    w.set_assignee(a, None, base + 30 * MINUTE)
        .await
        .expect("released");
    event(&mut w, a, &ivan_p, EventKind::Closed, base + 30 * MINUTE).await;
    event(
        &mut w,
        a,
        &anna_p,
        EventKind::Rated { mark: mark.clone() },
        base + 31 * MINUTE,
    )
    .await;
    // B: email, 10 min later; Olga takes it 10 min after it came and answers 30 min after.
    let b = ticket(
        &mut w,
        &anna_p,
        care.clone(),
        Channel::Email,
        base + 10 * MINUTE,
    )
    .await;
    event(&mut w, b, &olga_p, EventKind::Taken, base + 20 * MINUTE).await;
    w.set_assignee(b, Some(olga_p.id), base + 20 * MINUTE)
        .await
        .expect("held");
    event(&mut w, b, &olga_p, message("Looking"), base + 40 * MINUTE).await;
    // C: the feedback form, nobody on it yet.
    ticket(
        &mut w,
        &anna_p,
        care.clone(),
        Channel::Form,
        base + 60 * MINUTE,
    )
    .await;
    // D: a call to billing, wrapped up with the first reason; then a caller who gave up.
    let d = ticket(
        &mut w,
        &anna_p,
        billing.clone(),
        Channel::Phone,
        base + 120 * MINUTE,
    )
    .await;
    for (id, gave_up) in [("stats-call-1", false), ("stats-call-2", true)] {
        w.insert_call(&NewCall {
            id,
            line: "100",
            caller: "+79001234567",
            member: anna_p.id,
            ticket: d,
            state: app::protocol::CallState::Ringing,
            at: base + 120 * MINUTE,
        })
        .await
        .expect("a call");
        if gave_up {
            w.end_call(id, app::protocol::CallState::Abandoned, base + 121 * MINUTE)
                .await
                .expect("given up");
        } else {
            w.answer_call(id, olga_p.id, base + 120 * MINUTE)
                .await
                .expect("answered");
            w.end_call(id, app::protocol::CallState::Ended, base + 125 * MINUTE)
                .await
                .expect("ended");
            w.wrap_call(id, 1, base + 126 * MINUTE)
                .await
                .expect("wrapped");
        }
    }
    // E: the day after the range; F: 01:30 on 12 March in Moscow — still 11 March in UTC.
    ticket(
        &mut w,
        &anna_p,
        care.clone(),
        Channel::Chat,
        MARCH_10_MSK + 2 * 1440 * MINUTE + 60 * MINUTE,
    )
    .await;
    ticket(
        &mut w,
        &anna_p,
        care.clone(),
        Channel::Chat,
        MARCH_10_MSK + 2 * 1440 * MINUTE + 90 * MINUTE,
    )
    .await;
    w.commit().await.expect("committed");

    // The moderator: every department, everyone's work.
    let reply = mike.get(&format!("/api/stats?{RANGE}")).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let all: Statistics = reply.json();
    assert_eq!(
        counts(&all.contacts),
        [
            tally("chat", 1),
            tally("email", 1),
            tally("form", 1),
            tally("phone", 1)
        ]
    );
    assert_eq!(
        counts(&all.categories),
        [tally(&category.id.0.to_string(), 1), tally("none", 3)]
    );
    assert_eq!(
        all.categories[0].label.as_deref(),
        Some(category.label.as_str())
    );
    assert_eq!(
        counts(&all.criticality),
        [tally(&criticality.id.0.to_string(), 1), tally("none", 3)]
    );
    assert_eq!(
        counts(&all.call_reasons),
        [tally("1", 1), tally("abandoned", 1)]
    );
    assert_eq!(
        all.call_reasons[0].label.as_deref(),
        Some("Address, phone number of POS")
    );
    assert_eq!(
        all.times,
        [
            // Nearest rank over {5, 30}: the median is 5, the 90th percentile 30.
            timing("first_response", 2, 5, 30),
            timing("resolution", 1, 30, 30),
            timing("queue_wait", 2, 2, 10),
        ]
    );
    assert_eq!(
        all.operators,
        [
            OperatorLoad {
                person: ivan_p.clone(),
                taken: 1,
                messages: 1,
                notes: 1,
                held_ms: 28 * MINUTE,
                ratings: 1
            },
            OperatorLoad {
                person: olga_p.clone(),
                taken: 1,
                messages: 1,
                notes: 0,
                held_ms: 0,
                ratings: 0
            },
        ]
    );
    assert_eq!(counts(&all.ratings)[0], tally("1", 1));
    assert!(
        all.ratings[1..].iter().all(|t| t.count == 0),
        "{:?}",
        all.ratings
    );
    assert!(!all.own_only);

    // The same days in UTC take F in (01:30 Moscow is 22:30 UTC the day before).
    let utc: Statistics = mike
        .get("/api/stats?from=2025-03-10&to=2025-03-11")
        .await
        .json();
    assert_eq!(
        utc.contacts
            .iter()
            .find(|t| t.key == "chat")
            .map(|t| t.count),
        Some(2)
    );
    // A department and a channel narrow the ticket figures.
    let narrowed: Statistics = mike
        .get(&format!(
            "/api/stats?{RANGE}&department={}&channel=email&channel=form",
            care.id.0
        ))
        .await
        .json();
    assert_eq!(
        counts(&narrowed.contacts),
        [tally("email", 1), tally("form", 1)]
    );
    assert_eq!(narrowed.times[0], timing("first_response", 1, 30, 30));
    assert!(narrowed.call_reasons.is_empty(), "no phone asked for");
    // Open now: A was closed; B, C, E, F are in care, past a week old; D in billing.
    let open: Statistics = mike
        .get(&format!(
            "/api/stats?{RANGE}&department={}&channel=form",
            care.id.0
        ))
        .await
        .json();
    let demo_form = open
        .open_by_age
        .iter()
        .take(4)
        .map(|t| t.count)
        .sum::<i64>();
    assert_eq!(
        open.open_by_age.last().map(|t| (t.key.as_str(), t.count)),
        Some(("older", 1))
    );
    assert_eq!(
        demo_form, 0,
        "the demo has no form tickets: {:?}",
        open.open_by_age
    );

    // An operator: their departments, and only their own work.
    let own: Statistics = ivan.get(&format!("/api/stats?{RANGE}")).await.json();
    assert!(own.own_only);
    assert_eq!(
        counts(&own.contacts),
        [
            tally("chat", 1),
            tally("email", 1),
            tally("form", 1),
            tally("phone", 0)
        ]
    );
    assert_eq!(own.operators.len(), 1);
    assert_eq!(own.operators[0].person, ivan_p);
    assert!(
        own.call_reasons.is_empty(),
        "billing's calls are not Ivan's"
    );
    assert_eq!(
        own.departments.iter().map(|d| d.id).collect::<Vec<_>>(),
        [care.id]
    );
    let other = ivan
        .get(&format!("/api/stats?{RANGE}&department={}", billing.id.0))
        .await;
    assert_eq!(other.status, StatusCode::NOT_FOUND, "{}", other.body);
    let csv = format!(
        "/api/stats/contacts.csv?{RANGE}&department={}",
        billing.id.0
    );
    assert_eq!(ivan.get_text(&csv).await.0, StatusCode::NOT_FOUND);
    // A member: nothing; signed out: sign in first.
    let member = anna.get(&format!("/api/stats?{RANGE}")).await;
    assert_eq!(member.status, StatusCode::FORBIDDEN, "{}", member.body);
    assert_eq!(
        anna.get_text(&format!("/api/stats/contacts.csv?{RANGE}"))
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        server.client().get("/api/stats").await.status,
        StatusCode::UNAUTHORIZED
    );
    // A range that cannot be read, or too long, is refused beside its field.
    mike.get("/api/stats?from=2025-03-12&to=2025-03-10")
        .await
        .assert_invalid("range");
    mike.get("/api/stats?from=2024-01-01&to=2025-03-10")
        .await
        .assert_invalid("range");
    mike.get("/api/stats?from=2025-02-30&to=2025-03-10")
        .await
        .assert_invalid("range");

    // The socket answers the same, with the same rules.
    let range = StatsRange {
        from: "2025-03-10".into(),
        to: "2025-03-11".into(),
        offset: 180,
        ..StatsRange::default()
    };
    let mut socket = ivan.socket().await;
    let ask = |range: StatsRange| move |command_id| Command::Statistics { command_id, range };
    let figures = |id, e: &Event| match e {
        Event::Statistics {
            command_id,
            statistics,
        } if *command_id == id => Some((**statistics).clone()),
        _ => None,
    };
    let answer = socket.answered(ask(range.clone()), figures).await;
    assert_eq!(answer, Ok(own.clone()));
    let mut member_socket = anna.socket().await;
    let refused = member_socket.answered(ask(range.clone()), figures).await;
    assert_eq!(refused, Err(ErrorCode::Forbidden));
    let mut billing_range = range.clone();
    billing_range.departments = vec![billing.id];
    let refused = socket.answered(ask(billing_range), figures).await;
    assert_eq!(refused, Err(ErrorCode::NotFound));

    // CSV: a byte-order mark, the asker's language, times in seconds.
    let (status, headers, body) = mike
        .get_text(&format!("/api/stats/operators.csv?{RANGE}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-type"], "text/csv; charset=utf-8");
    assert_eq!(
        headers["content-disposition"],
        "attachment; filename=\"switchboard-operators-2025-03-10-2025-03-11.csv\""
    );
    assert_eq!(
        body,
        "\u{feff}Colleague,Taken,Messages,Notes,Holding time (s),Ratings\r\n\
         Ivan Sokolov,1,1,1,1680,1\r\nOlga Petrova,1,1,0,0,0\r\n"
    );
    // In Russian for whoever reads Russian; a label a spreadsheet would run stays text.
    mike.send(
        reqwest::Method::PUT,
        "/api/me/language",
        &serde_json::json!({"language": "ru"}),
    )
    .await;
    let (_, _, body) = mike
        .get_text(&format!("/api/stats/times.csv?{RANGE}"))
        .await;
    assert!(body.starts_with("\u{feff}Показатель,Обращения,Медиана (с),90-й перцентиль (с)\r\nПервый ответ,2,300,1800\r\n"), "{body}");
    assert_eq!(
        mike.get_text(&format!("/api/stats/nothing.csv?{RANGE}"))
            .await
            .0,
        StatusCode::NOT_FOUND
    );
}

/// Work done now is in the figures at once: a take, a message, a note, a release.
pub async fn work_is_counted_as_it_is_done(backend: Backend) {
    let server = TestServer::start(backend).await;
    let anna = server.signed_in(MEMBER).await;
    let ivan = server.signed_in(CARE_OPERATOR).await;
    let care = anna.department("Customer care").await;
    let today = StatsRange::last_days(server::clock::now(), 1, 0).to_query();
    let mine = |s: &Statistics| {
        s.operators
            .first()
            .map(|o| (o.taken, o.messages, o.notes))
            .unwrap_or_default()
    };
    let before: Statistics = ivan.get(&format!("/api/stats?{today}")).await.json();
    let ticket = anna.start_ticket(care, "Counted", "Is this counted?").await;
    assert_eq!(
        ivan.act(&format!("/api/tickets/{ticket}/take"))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        ivan.message(ticket, &said("Yes")).await.status,
        StatusCode::CREATED
    );
    assert_eq!(
        ivan.message(ticket, &note("counted")).await.status,
        StatusCode::CREATED
    );
    let after: Statistics = ivan.get(&format!("/api/stats?{today}")).await.json();
    let (t0, m0, n0) = mine(&before);
    assert_eq!(mine(&after), (t0 + 1, m0 + 1, n0 + 1));
    let wait = after
        .times
        .iter()
        .find(|t| t.key == "queue_wait")
        .expect("queue wait");
    let was = before
        .times
        .iter()
        .find(|t| t.key == "queue_wait")
        .expect("queue wait");
    assert_eq!(wait.count, was.count + 1);
    assert_eq!(
        after.contacts.iter().map(|t| t.count).sum::<i64>(),
        before.contacts.iter().map(|t| t.count).sum::<i64>() + 1
    );
}
