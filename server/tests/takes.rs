//! A take nobody answers returns to the queue by itself once its member has waited the
//! configured time — since the take, or since her last message — flagged for staff and
//! never shown to her; an answer in time keeps it; off by default. On SQLite and PostgreSQL.

use crate::common;

use std::{sync::Arc, time::Duration};

use app::protocol::{Event, EventKind, TicketId, Topic};
use common::people::{ANNA, MIKE, OLGA};
use common::{Backend, Client, Options, TestDb, TestServer, said};
use reqwest::StatusCode;

on_both_backends! {
    an_unanswered_take_returns_to_the_queue_flagged_for_staff_only => lapses;
    without_a_timeout_a_take_never_lapses => never_by_default;
}

/// Whether `ticket` is held now, as `who` reads it.
async fn held(who: &Client, ticket: TicketId) -> bool {
    who.detail(ticket).await.ticket.assignee.is_some()
}

async fn take(who: &Client, ticket: TicketId) {
    let took = who.act(&format!("/api/tickets/{ticket}/take")).await;
    assert_eq!(took.status, StatusCode::OK, "{}", took.body);
}

async fn lapses(backend: Backend) {
    let db = Arc::new(TestDb::new(backend).await);
    let options = Options {
        take_timeout_secs: 2,
        ..Options::default()
    };
    let server = TestServer::start_with(db, options).await;
    let anna = server.signed_in(ANNA).await;
    let olga = server.signed_in(OLGA).await;
    let mike = server.signed_in(MIKE).await;
    let care = anna.department("Customer care").await;
    let answered = anna.start_ticket(care, "answered", "Hello?").await;
    let forgotten = anna.start_ticket(care, "forgotten", "Anyone there?").await;
    let mut wall = mike.socket().await;
    wall.follow_list(Topic::Board).await;
    let mut widget = anna.socket().await;
    widget.follow_list(Topic::Inbox).await;

    take(&olga, answered).await;
    take(&olga, forgotten).await;
    assert!(
        olga.message(answered, &said("Here, looking into it."))
            .await
            .status
            .is_success()
    );

    // The moderator's board sees the forgotten one come back, flagged, with nobody holding it.
    let (summary, _) = wall
        .until(|e| match e {
            Event::TicketChanged { ticket }
                if ticket.id == forgotten && ticket.lapsed_at.is_some() =>
            {
                Some(ticket.clone())
            }
            _ => None,
        })
        .await;
    assert!(summary.assignee.is_none());
    let log = olga.detail(forgotten).await;
    let lapsed = log
        .events
        .iter()
        .find(|e| matches!(e.kind, EventKind::Lapsed { .. }))
        .expect("the history says why it came back");
    assert_eq!(
        lapsed.author.as_ref().map(|a| a.name.as_str()),
        Some("Olga Petrova")
    );
    // The answered one stays hers.
    assert!(held(&olga, answered).await);

    // The member sees nothing of it: no event, no flag.
    let hers = anna.detail(forgotten).await;
    assert!(
        hers.events
            .iter()
            .all(|e| !matches!(e.kind, EventKind::Lapsed { .. }))
    );
    assert_eq!(hers.ticket.lapsed_at, None);
    let frames = widget.drain().await;
    assert!(frames.iter().all(|e| match e {
        Event::TicketChanged { ticket } => ticket.lapsed_at.is_none(),
        Event::TicketEvent { event } => !matches!(event.kind, EventKind::Lapsed { .. }),
        _ => true,
    }));

    // Taken again, the flag is gone; the member writing again starts a new wait, and an
    // unanswered one lapses again.
    take(&olga, forgotten).await;
    assert_eq!(olga.detail(forgotten).await.ticket.lapsed_at, None);
    anna.say(answered, "Any news?").await;
    wall.until(|e| match e {
        Event::TicketChanged { ticket } if ticket.id == answered && ticket.lapsed_at.is_some() => {
            Some(())
        }
        _ => None,
    })
    .await;
    assert!(!held(&olga, answered).await);
    server.stop().await;
}

async fn never_by_default(backend: Backend) {
    let server = TestServer::start(backend).await;
    let anna = server.signed_in(ANNA).await;
    let olga = server.signed_in(OLGA).await;
    let care = anna.department("Customer care").await;
    let ticket = anna.start_ticket(care, "waiting", "Hello?").await;
    take(&olga, ticket).await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert!(held(&olga, ticket).await, "kept: no timeout is configured");
    server.stop().await;
}
