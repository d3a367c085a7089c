//! Live presence: who has a ticket open and whether they view, reply or type — shown to
//! staff on the ticket and on their board, to the member only as support typing; a closed
//! socket leaves at once and a silent one is swept away. On SQLite and PostgreSQL.

use crate::common;

use std::sync::Arc;

use app::protocol::{
    Availability, Command, DepartmentId, ErrorCode, Event, PresenceMode, Present, TicketId, Topic,
};
use common::people::{ADA, ANNA, IVAN, MARIA, MIKE, OLGA};
use common::{Backend, Options, Socket, TestDb, TestServer};

on_both_backends! {
    staff_see_who_views_and_replies_and_members_see_support_typing => views_and_replies;
    a_closed_socket_leaves_at_once_and_a_silent_one_is_swept_away => leaving;
}

async fn say(socket: &mut Socket, ticket_id: TicketId, mode: PresenceMode, typing: bool) {
    socket
        .send(&Command::Presence {
            ticket_id,
            mode,
            typing,
        })
        .await;
}

fn names(present: &[Present]) -> Vec<(&str, PresenceMode, bool)> {
    present
        .iter()
        .map(|p| (p.person.name.as_str(), p.mode, p.typing))
        .collect()
}

async fn views_and_replies(backend: Backend) {
    let server = TestServer::start(backend).await;
    let anna = server.signed_in(ANNA).await;
    let olga = server.signed_in(OLGA).await;
    let ivan = server.signed_in(IVAN).await;
    let maria = server.signed_in(MARIA).await;
    let care = anna.department("Customer care").await;
    let ticket = anna
        .start_ticket(care, "parcel", "Where is my parcel?")
        .await;

    let mut ivans = ivan.socket().await;
    ivans.follow_ticket(ticket, None).await;
    say(&mut ivans, ticket, PresenceMode::Viewing, false).await;
    let mut ivans_board = ivan.socket().await;
    ivans_board.follow_list(Topic::Board).await;
    let mut marias_board = maria.socket().await;
    marias_board.follow_list(Topic::Board).await;
    let mut widget = anna.socket().await;
    widget.follow_ticket(ticket, None).await;

    // Saying presence needs the ticket followed first.
    let mut olgas = olga.socket().await;
    say(&mut olgas, ticket, PresenceMode::Viewing, false).await;
    assert_eq!(olgas.next_error().await, ErrorCode::Conflict);

    // Olga opens it: Ivan sees her viewing, on the ticket and on his board.
    olgas.follow_ticket(ticket, None).await;
    say(&mut olgas, ticket, PresenceMode::Viewing, false).await;
    let seen = ivans.presence_until(ticket, |p| !p.is_empty()).await;
    assert_eq!(
        names(&seen),
        [("Olga Petrova", PresenceMode::Viewing, false)]
    );
    let seen = ivans_board.presence_until(ticket, |p| !p.is_empty()).await;
    assert_eq!(
        names(&seen),
        [("Olga Petrova", PresenceMode::Viewing, false)]
    );
    // Olga sees Ivan, never herself.
    let seen = olgas.presence_until(ticket, |p| !p.is_empty()).await;
    assert_eq!(
        names(&seen),
        [("Ivan Sokolov", PresenceMode::Viewing, false)]
    );

    // She starts typing a reply: Ivan sees it, and the member sees support typing.
    say(&mut olgas, ticket, PresenceMode::Replying, true).await;
    let seen = ivans
        .presence_until(ticket, |p| p.iter().any(|p| p.typing))
        .await;
    assert_eq!(
        names(&seen),
        [("Olga Petrova", PresenceMode::Replying, true)]
    );
    let seen = widget.presence_until(ticket, |p| !p.is_empty()).await;
    assert_eq!(
        names(&seen),
        [("Olga Petrova", PresenceMode::Replying, true)]
    );
    // The typing signal runs out by itself: the member's indicator clears.
    let seen = widget.presence_until(ticket, <[Present]>::is_empty).await;
    assert!(seen.is_empty());

    // The member types: staff see her replying.
    say(&mut widget, ticket, PresenceMode::Replying, true).await;
    let seen = ivans
        .presence_until(ticket, |p| {
            p.iter().any(|p| p.person.name == "Anna Ivanova")
        })
        .await;
    assert!(
        names(&seen).contains(&("Anna Ivanova", PresenceMode::Replying, true)),
        "{seen:?}"
    );

    // Another department's board hears nothing of it; the member never sees staff viewing.
    let other = marias_board.drain().await;
    assert!(
        !other
            .iter()
            .any(|e| matches!(e, Event::Presence { ticket_id, .. } if *ticket_id == ticket)),
        "{other:?}"
    );
    let theirs = widget.drain().await;
    for event in theirs {
        if let Event::Presence { present, .. } = event {
            assert!(
                present.iter().all(|p| p.typing && p.person.role.is_staff()),
                "{present:?}"
            );
        }
    }
    server.stop().await;
}

async fn leaving(backend: Backend) {
    let db = Arc::new(TestDb::new(backend).await);
    let server = TestServer::start_with(
        db,
        Options {
            presence_ttl_secs: 2,
            ..Options::default()
        },
    )
    .await;
    let anna = server.signed_in(ANNA).await;
    let olga = server.signed_in(OLGA).await;
    let ivan = server.signed_in(IVAN).await;
    let care = anna.department("Customer care").await;
    let ticket = anna.start_ticket(care, "card", "My card is blocked").await;
    let mut ivans = ivan.socket().await;
    ivans.follow_ticket(ticket, None).await;

    // A tab that closes leaves at once.
    let mut tab = olga.socket().await;
    tab.follow_ticket(ticket, None).await;
    say(&mut tab, ticket, PresenceMode::Replying, false).await;
    ivans.presence_until(ticket, |p| !p.is_empty()).await;
    drop(tab);
    ivans.presence_until(ticket, <[Present]>::is_empty).await;

    // A tab that stays connected but falls silent (a sleeping laptop) is swept away after
    // the time-to-live, while one that keeps refreshing stays.
    let mut silent = olga.socket().await;
    silent.follow_ticket(ticket, None).await;
    say(&mut silent, ticket, PresenceMode::Viewing, false).await;
    let seen = ivans.presence_until(ticket, |p| !p.is_empty()).await;
    assert_eq!(
        names(&seen),
        [("Olga Petrova", PresenceMode::Viewing, false)]
    );
    let started = std::time::Instant::now();
    ivans.presence_until(ticket, <[Present]>::is_empty).await;
    assert!(started.elapsed() >= std::time::Duration::from_millis(1500));
    drop(silent);
    server.stop().await;
}

on_both_backends! {
    members_learn_whether_an_operator_is_online_and_staff_see_who_is_away => availability;
}

/// The next list of departments online a member's socket hears.
async fn support_online(socket: &mut Socket, pick: impl Fn(&[DepartmentId]) -> bool) {
    socket
        .until(|e| match e {
            Event::SupportOnline { departments } if pick(departments) => Some(()),
            _ => None,
        })
        .await;
}

async fn availability(backend: Backend) {
    let server = TestServer::start(backend).await;
    let anna = server.signed_in(ANNA).await;
    let maria = server.signed_in(MARIA).await;
    let olga = server.signed_in(OLGA).await;
    let billing = anna.department("Billing").await;
    let care = anna.department("Customer care").await;

    // Nobody of staff connected: the member hears no department is online.
    let mut widget = anna.socket().await;
    support_online(&mut widget, <[DepartmentId]>::is_empty).await;

    // Maria (Billing) connects: Billing is online for the member; Olga sees Maria online.
    let mut olgas = olga.socket().await;
    let mut marias = maria.socket().await;
    support_online(&mut widget, |d| d.contains(&billing)).await;
    let (seen, _) = olgas
        .until(|e| match e {
            Event::Availability { staff } => staff
                .iter()
                .find(|s| s.person.name == "Maria Garcia")
                .map(|s| s.availability),
            _ => None,
        })
        .await;
    assert_eq!(seen, Availability::Online);

    // Olga (both departments) goes away: only Maria's Billing stays online.
    olgas.send(&Command::SetAway { away: true }).await;
    support_online(&mut widget, |d| d == [billing]).await;
    let (seen, _) = marias
        .until(|e| match e {
            Event::Availability { staff } => staff
                .iter()
                .find(|s| s.person.name == "Olga Petrova" && s.availability == Availability::Away)
                .map(|s| s.availability),
            _ => None,
        })
        .await;
    assert_eq!(seen, Availability::Away);

    // Maria leaves; Olga comes back: Customer care and Billing through Olga only.
    drop(marias);
    support_online(&mut widget, <[DepartmentId]>::is_empty).await;
    olgas.send(&Command::SetAway { away: false }).await;
    support_online(&mut widget, |d| d.contains(&care) && d.contains(&billing)).await;

    // A member cannot say she is away.
    widget.send(&Command::SetAway { away: true }).await;
    assert_eq!(widget.next_error().await, ErrorCode::Forbidden);

    // A moderator, who sees every department, is online for those he belongs to only: a
    // new department (the configuration changing twice under his open board) stays offline.
    let mike = server.signed_in(MIKE).await;
    let ada = server.signed_in(ADA).await;
    let mut mikes = mike.socket().await;
    mikes.follow_list(Topic::Board).await;
    let mut new_department = None;
    for name in ["Warranty", "Warranty repairs"] {
        let reply = match new_department {
            None => {
                ada.post(
                    "/api/admin",
                    &app::protocol::AdminAction::CreateDepartment {
                        name: name.into(),
                        public: true,
                    },
                )
                .await
            }
            Some(id) => {
                ada.post(
                    "/api/admin",
                    &app::protocol::AdminAction::UpdateDepartment {
                        id,
                        name: name.into(),
                        public: true,
                    },
                )
                .await
            }
        };
        assert_eq!(reply.status, reqwest::StatusCode::OK, "{}", reply.body);
        let state: app::protocol::AdminState = reply.json();
        new_department = state
            .departments
            .iter()
            .find(|d| d.name == name)
            .map(|d| d.id);
        mikes
            .until(|e| matches!(e, Event::MeChanged { .. }).then_some(()))
            .await;
        mikes.follow_list(Topic::Board).await;
    }
    let warranty = new_department.expect("created");
    let heard = widget.drain().await;
    assert!(
        !heard.iter().any(
            |e| matches!(e, Event::SupportOnline { departments } if departments.contains(&warranty))
        ),
        "{heard:?}"
    );
    server.stop().await;
}
