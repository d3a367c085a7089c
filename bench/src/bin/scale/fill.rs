//! Filling a desk with years of history, fast.
//!
//! One window of history (`TEMPLATE` tickets over `WINDOW_HOURS`) is written through the
//! store, the same code the server writes with: events, previews, the search index, the
//! statistics kept as events are written, calls. That window is then copied back in time,
//! window after window, by `INSERT … SELECT` inside the database: each copy with its own
//! ticket ids, times moved by whole windows and its members turned round the desk's members.
//! Last, the open tickets of a working desk (the last two weeks' queue) are written through
//! the store again, so the board, search and take meet a desk as it is.

use std::{collections::HashMap, time::Instant};

use app::protocol::{
    CallState, Channel, ClientMsgId, DepartmentId, EventKind, Person, RatingMark, Role, TicketId,
    TicketStatus, UserId,
};
use bench::Rng;
use server::store::{EventDraft, NewCall, Store, WriteTx};
use sqlx::{AnyPool, Row};

/// Tickets in the window written through the store.
pub const TEMPLATE: usize = 250;
/// Hours one window of history spans.
const WINDOW_HOURS: i64 = 9;
const HOUR_MS: i64 = 3_600_000;
const MINUTE_MS: i64 = 60_000;
/// Copies written per transaction.
const COPIES_PER_BATCH: i64 = 20;
/// The tables a window's rows are copied from (those it left empty are passed over).
const COPIED: [&str; 7] = [
    "tickets",
    "ticket_events",
    "search_docs",
    "ticket_ratings",
    "calls",
    "ticket_followers",
    "staff_reads",
];
/// Members of the desk.
pub const MEMBERS: usize = 500;
/// The open tickets of the last two weeks.
pub const OPEN: usize = 300;

/// Who works at the desk.
pub struct People {
    /// Operators with their department.
    pub operators: Vec<(UserId, DepartmentId)>,
    pub members: Vec<UserId>,
}

/// What was written.
pub struct Filled {
    pub tickets: i64,
    pub messages: i64,
    pub events: i64,
    pub seconds: f64,
}

/// Departments, a moderator, eight operators and the members, all with password `password`.
pub async fn people(store: &Store, password: &str) -> People {
    let now = server::clock::now();
    let hash = server::passwords::hash_password(password).expect("a hash");
    let mut departments = Vec::new();
    for name in ["Customer care", "Billing", "Sales"] {
        departments.push(
            store
                .create_department(name, now)
                .await
                .expect("a department"),
        );
    }
    store
        .create_user(
            "moderator@bench.example",
            "Maria Moderator",
            Role::Moderator,
            &hash,
            &departments,
            now,
        )
        .await
        .expect("a moderator");
    let mut operators = Vec::new();
    for i in 0..8 {
        let department = departments[i % departments.len()];
        let id = store
            .create_user(
                &format!("operator{i}@bench.example"),
                &format!("Operator {i}"),
                Role::Operator,
                &hash,
                &[department],
                now,
            )
            .await
            .expect("an operator");
        operators.push((id, department));
    }
    let members = bench::add_members(store, MEMBERS, "bench.example", &hash)
        .await
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    People { operators, members }
}

fn message(author: Person, body: String, id: &str) -> EventDraft {
    let client_msg_id = Some(ClientMsgId::parse(id).expect("a client id"));
    EventDraft {
        author,
        kind: EventKind::Message {
            body,
            client_msg_id: client_msg_id.clone(),
            attachments: Vec::new(),
            mail: None,
        },
        client_msg_id,
        ref_public_seq: None,
    }
}

async fn add(tx: &mut WriteTx, ticket: TicketId, draft: EventDraft, at: i64) {
    tx.append_event(ticket, draft, at).await.expect("an event");
}

fn plain(author: Person, kind: EventKind) -> EventDraft {
    EventDraft {
        author,
        kind,
        client_msg_id: None,
        ref_public_seq: None,
    }
}

/// Words of a message: a reply of support or a member's question, with an order number.
fn text(rng: &mut Rng, words: &[&str]) -> String {
    let len = 8 + rng.below(25);
    let mut text: Vec<String> = (0..len)
        .map(|_| words[rng.below(words.len())].to_owned())
        .collect();
    if rng.below(4) == 0 {
        text.push(format!("A{}", 100_000 + rng.below(900_000)));
    }
    text.join(" ")
}

/// How far a conversation has come.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Stage {
    /// The member asked; nobody has taken it yet.
    Waiting,
    /// Taken and answered, still open.
    Answered,
    /// Closed, and most often rated.
    Closed,
}

/// A ticket as a desk sees thousands of: the member asks, waits in line, an operator takes it
/// and answers; they talk; support closes it; most members rate the answer.
#[allow(clippy::too_many_arguments)]
async fn conversation(
    store: &Store,
    people: &People,
    rng: &mut Rng,
    n: usize,
    created: i64,
    stage: Stage,
    marks: &[RatingMark],
    reasons: &[i64],
    words: &[&str],
) -> (i64, i64) {
    let member = people.members[n % people.members.len()];
    let (operator, department) = people.operators[n % people.operators.len()];
    let channel = match rng.below(20) {
        0..=9 => Channel::Chat,
        10..=14 => Channel::Email,
        15..=17 => Channel::Phone,
        _ => Channel::Form,
    };
    let me = Person {
        id: member,
        name: String::new(),
        role: Role::Member,
    };
    let staff = Person {
        id: operator,
        name: String::new(),
        role: Role::Operator,
    };
    let subject: String = text(rng, words)
        .split(' ')
        .take(5)
        .collect::<Vec<_>>()
        .join(" ");
    let mut tx = store.begin_write().await.expect("a transaction");
    let id = tx
        .create_ticket(member, department, &subject, channel, None, created)
        .await
        .expect("a ticket");
    let dept = store.department(department).await.expect("its department");
    let mut at = created;
    let mut events = 0;
    let mut messages = 0;
    add(
        &mut tx,
        id,
        plain(
            me.clone(),
            EventKind::Created {
                subject: subject.clone(),
                department: dept,
                form: None,
            },
        ),
        at,
    )
    .await;
    add(
        &mut tx,
        id,
        message(me.clone(), text(rng, words), &format!("s{n}-{created}-0")),
        at,
    )
    .await;
    events += 2;
    messages += 1;
    if channel == Channel::Phone {
        let call = format!("call-{n}-{created}");
        tx.insert_call(&NewCall {
            id: &call,
            line: "support",
            caller: "+74950000000",
            member,
            ticket: id,
            state: CallState::Ringing,
            at,
        })
        .await
        .expect("a call");
        if rng.below(8) == 0 {
            tx.end_call(&call, CallState::Abandoned, at + 30_000)
                .await
                .expect("a call given up");
        } else {
            tx.answer_call(&call, operator, at + 20_000)
                .await
                .expect("answered");
            tx.end_call(&call, CallState::Ended, at + 200_000)
                .await
                .expect("ended");
            let reason = reasons[rng.below(reasons.len())];
            tx.wrap_call(&call, reason, at + 230_000)
                .await
                .expect("wrapped");
        }
    }
    if stage == Stage::Waiting {
        tx.commit().await.expect("commit");
        return (events, messages);
    }
    // Waiting in line, then taken.
    at += (1 + rng.below(90) as i64) * MINUTE_MS;
    tx.set_assignee(id, Some(operator), at)
        .await
        .expect("taken");
    add(&mut tx, id, plain(staff.clone(), EventKind::Taken), at).await;
    events += 1;
    // Three to seven more messages each way in turn, now and then a hidden note.
    let turns = 3 + rng.below(5);
    for turn in 0..turns {
        at += (1 + rng.below(20) as i64) * MINUTE_MS;
        let who = if turn % 2 == 0 { &staff } else { &me };
        let body = text(rng, words);
        add(
            &mut tx,
            id,
            message(who.clone(), body, &format!("s{n}-{created}-{}", turn + 1)),
            at,
        )
        .await;
        events += 1;
        messages += 1;
        if turn == 1 && rng.below(3) == 0 {
            let note = EventKind::Note {
                body: text(rng, words),
                client_msg_id: None,
                attachments: Vec::new(),
            };
            add(&mut tx, id, plain(staff.clone(), note), at + 1000).await;
            events += 1;
        }
    }
    if stage == Stage::Closed {
        at += (1 + rng.below(60) as i64) * MINUTE_MS;
        tx.set_assignee(id, None, at).await.expect("released");
        tx.set_status(id, TicketStatus::Closed)
            .await
            .expect("closed");
        add(&mut tx, id, plain(staff.clone(), EventKind::Closed), at).await;
        events += 1;
        if rng.below(10) < 8 {
            let mark = marks[rng.below(marks.len())].clone();
            add(
                &mut tx,
                id,
                plain(me.clone(), EventKind::Rated { mark }),
                at + 5 * MINUTE_MS,
            )
            .await;
            events += 1;
        }
    }
    tx.commit().await.expect("commit");
    (events, messages)
}

/// The window of history written through the store, starting at `start`; its tickets' ids
/// run from 1 to the returned count.
async fn template(store: &Store, people: &People, start: i64, words: &[&str]) -> (i64, i64, i64) {
    let marks = store.rating_marks().await.expect("rating marks");
    let reasons: Vec<i64> = store
        .call_end_reasons()
        .await
        .expect("call end reasons")
        .into_iter()
        .map(|r| r.id)
        .collect();
    let mut rng = Rng::new(19);
    let (mut events, mut messages) = (0, 0);
    let spacing = WINDOW_HOURS * HOUR_MS / TEMPLATE as i64;
    for n in 0..TEMPLATE {
        let (e, m) = conversation(
            store,
            people,
            &mut rng,
            n,
            start + n as i64 * spacing,
            Stage::Closed,
            &marks,
            &reasons,
            words,
        )
        .await;
        events += e;
        messages += m;
    }
    (TEMPLATE as i64, events, messages)
}

/// The names of `table`'s columns, or none when the window left it empty.
async fn columns(pool: &AnyPool, table: &str, postgres: bool) -> Vec<String> {
    let used = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT 1 FROM {table} LIMIT 1"
    )))
    .fetch_optional(pool)
    .await
    .expect("a row");
    if used.is_none() {
        return Vec::new();
    }
    let sql = if postgres {
        format!(
            "SELECT CAST(column_name AS TEXT) AS name FROM information_schema.columns \
             WHERE table_name = '{table}' ORDER BY ordinal_position"
        )
    } else {
        format!("SELECT name FROM pragma_table_info('{table}')")
    };
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .fetch_all(pool)
        .await
        .expect("the columns")
        .iter()
        .map(|r| r.get::<String, _>("name"))
        .collect()
}

/// Gives the window's tickets a category and a criticality, as operators would.
async fn describe(pool: &AnyPool) {
    for (kind, column, factor) in [
        ("category", "category_id", 1),
        ("criticality", "criticality_id", 7),
    ] {
        let sql = format!(
            "UPDATE tickets SET {column} = (SELECT o.id FROM ticket_options o \
             WHERE o.kind = '{kind}' AND o.position = 1 + (tickets.id * {factor}) % 4)"
        );
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(pool)
            .await
            .expect("the tickets described");
    }
}

/// What a copy `c.k` windows back writes for `column` of `table`.
fn copied(
    table: &str,
    column: &str,
    span: i64,
    window: i64,
    members: (i64, i64),
) -> Option<String> {
    let (lo, n) = members;
    Some(match column {
        "id" if table == "tickets" => format!("id + c.k * {span}"),
        "id" if table == "calls" => "id || '.' || CAST(c.k AS TEXT)".to_owned(),
        "id" | "tsv" => return None,
        "ticket_id" => format!("ticket_id + c.k * {span}"),
        "member_id" | "author_id" | "user_id" => format!(
            "CASE WHEN {column} BETWEEN {lo} AND {hi} THEN {lo} + ({column} - {lo} + c.k) % {n} ELSE {column} END",
            hi = lo + n - 1
        ),
        "client_msg_id" => "NULL".to_owned(),
        c if c == "at" || c.ends_with("_at") => format!("{column} - c.k * {window}"),
        _ => column.to_owned(),
    })
}

/// Copies the template's rows of `table` into copies `from..=to`.
async fn copy_table(
    conn: &mut sqlx::AnyConnection,
    table: &str,
    cols: &[String],
    span: i64,
    (from, to): (i64, i64),
    members: (i64, i64),
) {
    let window = WINDOW_HOURS * HOUR_MS;
    let (names, values): (Vec<_>, Vec<_>) = cols
        .iter()
        .filter_map(|c| copied(table, c, span, window, members).map(|v| (c.clone(), v)))
        .unzip();
    let key = if table == "tickets" {
        "id"
    } else {
        "ticket_id"
    };
    let sql = format!(
        "WITH RECURSIVE c(k) AS (SELECT CAST({from} AS BIGINT) UNION ALL SELECT k + 1 FROM c WHERE k < {to}) \
         INSERT INTO {table} ({}) SELECT {} FROM {table} t, c WHERE t.{key} <= {span}",
        names.join(", "),
        values.join(", ")
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .execute(conn)
        .await
        .unwrap_or_else(|e| panic!("copying {table}: {e}"));
}

/// Each colleague's work per hour, for all copies at once: hours that copies share add up.
async fn copy_work(pool: &AnyPool, copies: i64) {
    let rows = sqlx::query(
        "SELECT hour, department_id, user_id, taken, messages, notes, held_ms FROM operator_hours",
    )
    .fetch_all(pool)
    .await
    .expect("the window's work");
    let mut work: HashMap<(i64, i64, i64), [i64; 4]> = HashMap::new();
    for row in &rows {
        let hour: i64 = row.get("hour");
        let key = |k: i64| {
            (
                hour - k * WINDOW_HOURS,
                row.get("department_id"),
                row.get("user_id"),
            )
        };
        for k in 1..copies {
            let sum = work.entry(key(k)).or_default();
            for (i, column) in ["taken", "messages", "notes", "held_ms"].iter().enumerate() {
                sum[i] += row.get::<i64, _>(*column);
            }
        }
    }
    let rows: Vec<_> = work.into_iter().collect();
    for chunk in rows.chunks(400) {
        let values: Vec<String> = chunk
            .iter()
            .map(|((h, d, u), [a, b, c, e])| format!("({h}, {d}, {u}, {a}, {b}, {c}, {e})"))
            .collect();
        let sql = format!(
            "INSERT INTO operator_hours (hour, department_id, user_id, taken, messages, notes, held_ms) \
             VALUES {} ON CONFLICT (hour, department_id, user_id) DO UPDATE SET \
             taken = operator_hours.taken + excluded.taken, messages = operator_hours.messages + excluded.messages, \
             notes = operator_hours.notes + excluded.notes, held_ms = operator_hours.held_ms + excluded.held_ms",
            values.join(", ")
        );
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(pool)
            .await
            .expect("work per hour");
    }
}

/// Fills the desk at `url` with `tickets` tickets over the past, then the open queue.
pub async fn fill(url: &str, tickets: usize, words: &[&str]) -> Filled {
    let started = Instant::now();
    let store = Store::connect(url, 4).await.expect("the database opens");
    store.migrate().await.expect("the schema");
    let people = people(&store, crate::PASSWORD).await;
    let copies = tickets.div_ceil(TEMPLATE).max(1) as i64;
    let now = server::clock::now();
    // The template is the newest window but two weeks; copies reach back from it.
    let newest = (now - 14 * 24 * HOUR_MS).div_euclid(HOUR_MS) * HOUR_MS - WINDOW_HOURS * HOUR_MS;
    let (span, mut events, mut messages) = template(&store, &people, newest, words).await;
    store.close().await;
    print!("  window of {span} tickets written; copying {copies} windows back");
    sqlx::any::install_default_drivers();
    let pool = sqlx::any::AnyPoolOptions::new()
        .max_connections(1)
        .connect(url)
        .await
        .expect("the database opens");
    let lo = people.members.iter().map(|m| m.0).min().unwrap_or(0);
    let members = (lo, people.members.len() as i64);
    describe(&pool).await;
    let postgres = url.starts_with("postgres");
    let mut tables = Vec::new();
    for table in COPIED {
        let cols = columns(&pool, table, postgres).await;
        if !cols.is_empty() {
            tables.push((table, cols));
        }
    }
    let mut from = 1;
    while from < copies {
        let to = (from + COPIES_PER_BATCH - 1).min(copies - 1);
        let mut tx = pool.begin().await.expect("a transaction");
        for (table, cols) in &tables {
            copy_table(&mut tx, table, cols, span, (from, to), members).await;
        }
        tx.commit().await.expect("commit");
        from = to + 1;
    }
    copy_work(&pool, copies).await;
    if postgres {
        sqlx::query(
            "SELECT setval(pg_get_serial_sequence('tickets', 'id'), (SELECT MAX(id) FROM tickets))",
        )
        .execute(&pool)
        .await
        .expect("the ticket numbers go on");
    }
    pool.close().await;
    events *= copies;
    messages *= copies;
    println!(" ({:.0} s)", started.elapsed().as_secs_f64());
    // The queue as it stands: open tickets of the last two weeks, half of them not yet taken.
    let store = Store::connect(url, 4).await.expect("the database opens");
    let marks = store.rating_marks().await.expect("rating marks");
    let mut rng = Rng::new(23);
    for n in 0..OPEN {
        let created = now - (OPEN - n) as i64 * (14 * 24 * HOUR_MS / OPEN as i64);
        let stage = if n % 2 == 0 {
            Stage::Waiting
        } else {
            Stage::Answered
        };
        let (e, m) = conversation(
            &store,
            &people,
            &mut rng,
            n,
            created,
            stage,
            &marks,
            &[1],
            words,
        )
        .await;
        events += e;
        messages += m;
    }
    store.close().await;
    bench::analyze(url).await;
    Filled {
        tickets: span * copies + OPEN as i64,
        messages,
        events,
        seconds: started.elapsed().as_secs_f64(),
    }
}
