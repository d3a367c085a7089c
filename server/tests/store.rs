//! The store on both backends: the same queries mean the same thing on SQLite and PostgreSQL.

use crate::common;

use app::protocol::{BoardState, Channel, ClientMsgId, EventKind, Person, Role, Seq};
use common::{Backend, TestDb};
use server::{
    domain::{Numbering, Viewer},
    store::{self, EventDraft, Store},
};

on_both_backends! {
    sequences_number_each_tickets_log_from_one_without_holes => sequences;
    a_client_id_is_stored_once => client_ids;
    members_read_only_public_events_in_their_own_numbering => public_numbering;
    sessions_expire_and_can_be_removed => sessions;
    concurrent_writers_commit_each_once_and_a_refused_one_alone_is_undone => concurrent_writers;
}

async fn store(backend: Backend) -> (TestDb, Store, Person, Person, app::protocol::DepartmentId) {
    let db = TestDb::new(backend).await;
    let store = Store::connect(&db.url, 4).await.expect("connects");
    store.migrate().await.expect("migrates");
    store.migrate().await.expect("migrating twice is harmless");
    let department = store
        .create_department("Care", 0)
        .await
        .expect("department");
    let member = store
        .create_user("m@example.com", "Member", Role::Member, "hash", &[], 0)
        .await
        .expect("member");
    let operator = store
        .create_user(
            "o@example.com",
            "Operator",
            Role::Operator,
            "hash",
            &[department],
            0,
        )
        .await
        .expect("operator");
    let person = |id, name: &str, role| Person {
        id,
        name: name.into(),
        role,
    };
    (
        db,
        store,
        person(member, "Member", Role::Member),
        person(operator, "Operator", Role::Operator),
        department,
    )
}

fn message(author: &Person, body: &str, id: Option<&str>) -> EventDraft {
    let client_msg_id = id.map(|i| ClientMsgId::parse(i).expect("valid"));
    EventDraft {
        author: author.clone(),
        kind: EventKind::Message {
            body: body.into(),
            client_msg_id: client_msg_id.clone(),
            attachments: Vec::new(),
            mail: None,
        },
        client_msg_id,
        ref_public_seq: None,
    }
}

async fn sequences(backend: Backend) {
    let (_db, store, member, operator, department) = store(backend).await;
    let mut w = store.begin_write().await.expect("begins");
    let a = w
        .create_ticket(member.id, department, "A", Channel::Chat, None, 1)
        .await
        .expect("ticket");
    let b = w
        .create_ticket(member.id, department, "B", Channel::Chat, None, 1)
        .await
        .expect("ticket");
    w.commit().await.expect("commits");
    for (ticket, n) in [(a, 3), (b, 2)] {
        for i in 0..n {
            let mut w = store.begin_write().await.expect("begins");
            let event = w
                .append_event(ticket, message(&operator, &format!("{i}"), None), 10 + i)
                .await
                .expect("appends");
            w.commit().await.expect("commits");
            assert_eq!(event.seq, Seq(i + 1), "per-ticket numbering");
        }
    }
    // A rolled-back append leaves no hole.
    let mut w = store.begin_write().await.expect("begins");
    w.append_event(a, message(&operator, "abandoned", None), 20)
        .await
        .expect("appends");
    drop(w);
    let mut w = store.begin_write().await.expect("begins");
    let next = w
        .append_event(a, message(&operator, "kept", None), 21)
        .await
        .expect("appends");
    w.commit().await.expect("commits");
    assert_eq!(next.seq, Seq(4));
    let record = store.ticket(a).await.expect("ticket");
    assert_eq!(
        (record.summary.last_seq, record.summary.preview.as_deref()),
        (Seq(4), Some("kept"))
    );
    assert_eq!(
        record.member_unread, 4,
        "staff messages count as unread for the member"
    );
    assert!(matches!(
        store.ticket(app::protocol::TicketId(999)).await,
        Err(store::Error::NotFound)
    ));
}

async fn client_ids(backend: Backend) {
    let (_db, store, member, _operator, department) = store(backend).await;
    let mut w = store.begin_write().await.expect("begins");
    let ticket = w
        .create_ticket(member.id, department, "A", Channel::Chat, None, 1)
        .await
        .expect("ticket");
    w.append_event(ticket, message(&member, "once", Some("same")), 2)
        .await
        .expect("appends");
    w.commit().await.expect("commits");
    let mut w = store.begin_write().await.expect("begins");
    let again = w
        .append_event(ticket, message(&member, "once", Some("same")), 3)
        .await;
    assert!(matches!(again, Err(store::Error::Conflict(_))), "{again:?}");
    drop(w);
    let found = store
        .find_client_msg(member.id, &ClientMsgId::parse("same").expect("valid"))
        .await
        .expect("reads");
    assert_eq!(found, Some((ticket, Seq(1), Some(Seq(1)))));
}

async fn public_numbering(backend: Backend) {
    let (_db, store, member, operator, department) = store(backend).await;
    let mut w = store.begin_write().await.expect("begins");
    let ticket = w
        .create_ticket(member.id, department, "A", Channel::Chat, None, 1)
        .await
        .expect("ticket");
    for (author, body) in [(&member, "hi"), (&operator, "hello"), (&member, "thanks")] {
        w.append_event(ticket, message(author, body, None), 2)
            .await
            .expect("appends");
    }
    w.commit().await.expect("commits");
    let scope = store.ticket(ticket).await.expect("ticket").scope;
    let staff = store
        .events_after(scope, Numbering::Staff, Seq(1), 100)
        .await
        .expect("reads");
    assert_eq!(
        staff.iter().map(|e| e.seq.0).collect::<Vec<_>>(),
        vec![2, 3]
    );
    let public = store
        .events_after(scope, Numbering::Member, Seq(0), 100)
        .await
        .expect("reads");
    assert_eq!(
        public
            .iter()
            .filter_map(|e| e.public_seq)
            .map(|s| s.0)
            .collect::<Vec<_>>(),
        vec![1, 2, 3]
    );

    // Reading clears what the member has seen.
    let mut w = store.begin_write().await.expect("begins");
    assert!(w.mark_read(ticket, Seq(3)).await.expect("marks"));
    assert!(
        !w.mark_read(ticket, Seq(2)).await.expect("marks"),
        "reading backwards changes nothing"
    );
    assert!(
        !w.mark_read(ticket, Seq(9)).await.expect("marks"),
        "reading the future changes nothing"
    );
    w.commit().await.expect("commits");
    assert_eq!(store.ticket(ticket).await.expect("ticket").member_unread, 0);

    let viewer = Viewer {
        id: operator.id,
        name: operator.name.clone(),
        role: Role::Operator,
        departments: vec![department],
        kept: Vec::new(),
    };
    assert_eq!(
        store
            .tickets_for(&viewer, BoardState::Queue, 10)
            .await
            .expect("lists")
            .len(),
        1
    );
    let stranger = store
        .create_user("x@example.com", "Elsewhere", Role::Operator, "hash", &[], 0)
        .await
        .expect("operator");
    let outsider = Viewer {
        id: stranger,
        departments: vec![],
        kept: Vec::new(),
        ..viewer
    };
    assert!(
        store
            .tickets_for(&outsider, BoardState::Queue, 10)
            .await
            .expect("lists")
            .is_empty()
    );
}

async fn sessions(backend: Backend) {
    let (_db, store, ..) = store(backend).await;
    assert!(
        store
            .session_create("s1", "{}", 1_000, None)
            .await
            .expect("creates")
    );
    assert!(
        !store
            .session_create("s1", "{}", 1_000, None)
            .await
            .expect("reads"),
        "ids are unique"
    );
    assert_eq!(
        store
            .session_load("s1", 999)
            .await
            .expect("loads")
            .as_deref(),
        Some("{}")
    );
    assert_eq!(
        store.session_load("s1", 1_000).await.expect("loads"),
        None,
        "expired"
    );
    store
        .session_save("s1", "{\"a\":1}", 5_000, None)
        .await
        .expect("saves");
    assert_eq!(
        store
            .session_load("s1", 1_000)
            .await
            .expect("loads")
            .as_deref(),
        Some("{\"a\":1}")
    );
    assert!(
        store
            .session_create("s2", "{}", 10, None)
            .await
            .expect("creates")
    );
    assert_eq!(store.session_purge(100).await.expect("purges"), 1);
    store.session_delete("s1").await.expect("deletes");
    assert_eq!(store.session_load("s1", 0).await.expect("loads"), None);
}

/// Many writers at once (with SQLite they share group commits): each one that commits is
/// kept, numbered without holes; each one dropped uncommitted (a refused command) leaves
/// nothing; one cancelled while waiting for its turn blocks nobody.
async fn concurrent_writers(backend: Backend) {
    let (_db, store, member, _operator, department) = store(backend).await;
    let mut w = store.begin_write().await.expect("begins");
    let ticket = w
        .create_ticket(member.id, department, "Busy", Channel::Chat, None, 1)
        .await
        .expect("ticket");
    w.commit().await.expect("commits");

    if backend == Backend::Sqlite {
        // A writer finishes while another waits behind it (so it may leave the commit to
        // that one), and the one behind gives up: whichever way that race goes, the first is
        // committed and nobody is blocked.
        let mut first = store.begin_write().await.expect("begins");
        first
            .append_event(ticket, message(&member, "first", None), 2)
            .await
            .expect("appends");
        let behind = {
            let store = store.clone();
            tokio::spawn(async move { store.begin_write().await.map(drop) })
        };
        let deadline = std::time::Instant::now() + common::DEADLINE;
        while store.writers_waiting() == 0 {
            assert!(
                std::time::Instant::now() < deadline,
                "the second writer waits"
            );
            tokio::task::yield_now().await;
        }
        let committing = tokio::spawn(first.commit());
        behind.abort();
        tokio::time::timeout(common::DEADLINE, committing)
            .await
            .expect("the first writer's commit completes")
            .expect("a task")
            .expect("commits");
    }
    let before = if backend == Backend::Sqlite { 1 } else { 0 };

    let mut writers = Vec::new();
    for i in 0..60 {
        let store = store.clone();
        let member = member.clone();
        writers.push(tokio::spawn(async move {
            let mut w = store.begin_write().await.expect("begins");
            w.lock_ticket(ticket).await.expect("locks");
            w.append_event(ticket, message(&member, &format!("m{i}"), None), 2)
                .await
                .expect("appends");
            if i % 5 == 0 {
                // Refused after writing: dropped without committing.
                return false;
            }
            w.commit().await.expect("commits");
            true
        }));
    }
    let mut committed = 0;
    for writer in writers {
        committed += usize::from(writer.await.expect("a writer"));
    }
    assert_eq!(committed, 48);
    let scope = store.ticket(ticket).await.expect("the ticket").scope;
    let events = store
        .events_after(scope, Numbering::Staff, Seq(0), 1000)
        .await
        .expect("events");
    let seqs: Vec<i64> = events.iter().map(|e| e.seq.0).collect();
    assert_eq!(
        seqs,
        (1..=48 + before).collect::<Vec<_>>(),
        "no holes, nothing refused kept"
    );
    let bodies: std::collections::HashSet<String> = events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Message { body, .. } if body.starts_with('m') => Some(body.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(bodies.len(), 48);
    assert!(
        bodies
            .iter()
            .all(|b| b[1..].parse::<usize>().is_ok_and(|i| i % 5 != 0))
    );
    // The desk still writes.
    let mut w = store.begin_write().await.expect("begins");
    w.append_event(ticket, message(&member, "after", None), 3)
        .await
        .expect("appends");
    w.commit().await.expect("commits");
}
