//! Several nodes sharing one PostgreSQL database: a member on one node and staff on another
//! see each other's messages, ticket changes and presence live, through LISTEN/NOTIFY.

use crate::common;

use std::sync::Arc;

use sqlx::Connection;

use app::protocol::{Command, Event, EventKind, PresenceMode, Present, Topic};
use common::{
    Backend, Options, TestDb, TestServer,
    people::{ANNA, IVAN, OLGA},
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_nodes_on_one_postgres_carry_messages_changes_and_presence_live() {
    let (one, two) = TestServer::two_nodes().await;
    let anna = one.signed_in(ANNA).await;
    let ivan = one.signed_in(IVAN).await;
    let olga = two.signed_in(OLGA).await;
    let care = anna.department("Customer care").await;

    // Olga's board on node two hears of a ticket opened on node one.
    let mut board = olga.socket().await;
    board.follow_list(Topic::Board).await;
    let ticket = anna
        .start_ticket(care, "parcel", "Where is my parcel?")
        .await;
    board
        .until(|e| matches!(e, Event::TicketChanged { ticket: t } if t.id == ticket).then_some(()))
        .await;

    // She answers on node two; the member's widget on node one gets it, once, in order.
    let mut widget = anna.socket().await;
    // Olga, online on node two, makes Customer care online for the member on node one.
    widget
        .until(|e| match e {
            Event::SupportOnline { departments } if departments.contains(&care) => Some(()),
            _ => None,
        })
        .await;
    widget.follow_ticket(ticket, None).await;
    let mut olgas = olga.socket().await;
    olgas.follow_ticket(ticket, None).await;
    let said = olgas
        .send_message(ticket, &common::new_msg_id(), "It left the warehouse today")
        .await;
    assert!(said.is_ok(), "{said:?}");
    let (event, _) = widget
        .until(|e| match e {
            Event::TicketEvent { event } if matches!(&event.kind, EventKind::Message { body, .. } if body == "It left the warehouse today") => Some(event.clone()),
            _ => None,
        })
        .await;
    // Her opening, her message, the answer: the member counts only what she sees (Olga's
    // taking the ticket is staff's).
    assert_eq!(event.seq.0, 3);

    // The member answers on node one; Olga's ticket on node two gets it.
    let reply = widget
        .send_message(ticket, &common::new_msg_id(), "Thank you!")
        .await;
    assert!(reply.is_ok(), "{reply:?}");
    olgas
        .until(|e| match e {
            Event::TicketEvent { event } if matches!(&event.kind, EventKind::Message { body, .. } if body == "Thank you!") => Some(()),
            _ => None,
        })
        .await;

    // Presence crosses too: Ivan on node one sees Olga (node two) replying; the member sees
    // her typing; when Olga's socket closes, she is gone on node one as well.
    let mut ivans = ivan.socket().await;
    ivans.follow_ticket(ticket, None).await;
    olgas
        .send(&Command::Presence {
            ticket_id: ticket,
            mode: PresenceMode::Replying,
            typing: true,
        })
        .await;
    let seen = ivans.presence_until(ticket, |p| !p.is_empty()).await;
    assert_eq!(seen[0].person.name, "Olga Petrova");
    assert_eq!(seen[0].mode, PresenceMode::Replying);
    let seen = widget.presence_until(ticket, |p| !p.is_empty()).await;
    assert!(seen[0].typing);
    drop(olgas);
    ivans.presence_until(ticket, <[Present]>::is_empty).await;
    two.stop().await;
    one.stop().await;
}

/// A node whose listening connection was cut may have missed what the others said: once it
/// listens again it sends its sockets back to the store, and they hear the others live again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_that_listens_again_sends_its_sockets_to_resume() {
    let db = Arc::new(TestDb::new(Backend::Postgres).await);
    let one = TestServer::start_with(db.clone(), Options::default()).await;
    let two = TestServer::start_with(
        db.clone(),
        Options {
            demo: false,
            ..Options::default()
        },
    )
    .await;
    let anna = one.signed_in(ANNA).await;
    let olga = two.signed_in(OLGA).await;
    let care = anna.department("Customer care").await;
    let ticket = anna
        .start_ticket(care, "refund", "Is my refund on its way?")
        .await;
    let mut olgas = olga.socket().await;
    olgas.follow_ticket(ticket, None).await;

    // Every listening connection to the database is cut.
    let database = db.url.rsplit('/').next().expect("a name").to_owned();
    let mut admin = sqlx::AnyConnection::connect(&common::postgres_admin_url())
        .await
        .expect("PostgreSQL");
    let cut: i64 = sqlx::query_scalar(
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity \
         WHERE datname = $1 AND query ILIKE 'LISTEN%'",
    )
    .bind(&database)
    .fetch_one(&mut admin)
    .await
    .expect("listeners are cut");
    assert_eq!(cut, 2, "each node listens");
    let closed = olgas.closed().await;
    assert_eq!(closed.code, 4000, "{closed:?}");

    // Resumed, she hears the member on node one live.
    let mut olgas = olga.socket().await;
    let before = olgas.follow_ticket(ticket, None).await;
    anna.say(ticket, "Any news?").await;
    olgas
        .until(|e| match e {
            Event::TicketEvent { event }
                if event.seq.0 > before.last().map_or(0, |e| e.seq.0)
                    && matches!(&event.kind, EventKind::Message { body, .. } if body == "Any news?") =>
            {
                Some(())
            }
            _ => None,
        })
        .await;
    two.stop().await;
    one.stop().await;
}
