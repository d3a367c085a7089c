//! Following tickets and in-app notifications, assigning a ticket to a colleague, and the
//! "hide and don't notify" default: over HTTP and WebSocket, on SQLite and PostgreSQL.

use crate::common;

use app::protocol::{
    AssignRequest, Command, ErrorCode, Event, EventKind, FollowRequest, Me, Notifications,
    Preferences, ReadNotificationsRequest, TicketDetail, TicketSummary, Topic, TransferRequest,
    UserId,
};
use common::people::{ANNA, IVAN, MARIA, MIKE, OLGA};
use common::{Backend, Client, Socket, TestServer};
use reqwest::{Method, StatusCode};
use serde_json::json;

on_both_backends! {
    followers_are_notified_live_of_what_others_do => notified;
    only_staff_who_see_a_ticket_follow_it_and_read_its_notifications => follow_permissions;
    a_moderator_or_the_holder_assigns_a_ticket_to_a_colleague => assigning;
    notes_by_default_is_a_per_operator_setting_heard_on_every_screen => notes_by_default;
    a_colleague_called_by_name_hears_of_it_and_nobody_else => mentions;
}

async fn follow(client: &Client, ticket: app::protocol::TicketId, on: bool) -> common::Reply {
    client
        .send(
            Method::PUT,
            &format!("/api/tickets/{ticket}/follow"),
            &FollowRequest { follow: on },
        )
        .await
}

async fn notifications(client: &Client) -> Notifications {
    let reply = client.get("/api/notifications").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.json()
}

/// Subscribes to the notifications topic; its snapshot.
async fn follow_notifications(socket: &mut Socket) -> Notifications {
    socket
        .send(&Command::Subscribe {
            topic: Topic::Notifications,
            since: None,
            filter: None,
        })
        .await;
    socket
        .until(|e| match e {
            Event::Notifications { notifications } => Some(notifications.clone()),
            Event::Error { message, .. } => panic!("subscribe failed: {message}"),
            _ => None,
        })
        .await
        .0
}

async fn next_notification(socket: &mut Socket) -> app::protocol::Notification {
    socket
        .until(|e| match e {
            Event::Notification { notification } => Some(notification.clone()),
            _ => None,
        })
        .await
        .0
}

async fn notified(backend: Backend) {
    let server = TestServer::start(backend).await;
    let anna = server.signed_in(ANNA).await;
    let olga = server.signed_in(OLGA).await;
    let ivan = server.signed_in(IVAN).await;
    let care = anna.department("Customer care").await;
    let ticket = anna
        .start_ticket(care, "parcel", "Where is my parcel 7731?")
        .await;

    let followed = follow(&ivan, ticket, true).await;
    assert_eq!(followed.status, StatusCode::NO_CONTENT, "{}", followed.body);
    let mut ivans = ivan.socket().await;
    let snapshot = follow_notifications(&mut ivans).await;
    assert!(snapshot.following.contains(&ticket));
    let unread_before = snapshot.unread;

    // Olga answers with a hidden note: Ivan hears of it live, named and summarised.
    let note = olga
        .message(ticket, &common::note("Courier says Tuesday"))
        .await;
    assert_eq!(note.status, StatusCode::CREATED, "{}", note.body);
    let heard = next_notification(&mut ivans).await;
    assert_eq!(heard.ticket_id, ticket);
    assert_eq!(heard.subject, "parcel");
    assert_eq!(heard.text, "Hidden note: Courier says Tuesday");
    assert_eq!(
        heard.author.as_ref().map(|a| a.name.as_str()),
        Some("Olga Petrova")
    );
    assert!(!heard.read);

    // Writing took the ticket for Olga, and whoever holds a ticket follows it: the member's
    // next message reaches both of them, but nobody is told of what they did themselves.
    let said = anna.say(ticket, "Thank you!").await;
    assert_eq!(said.status, StatusCode::CREATED, "{}", said.body);
    let heard = next_notification(&mut ivans).await;
    assert_eq!(heard.text, "New message: Thank you!");
    let olgas = notifications(&olga).await;
    assert!(olgas.following.contains(&ticket));
    let texts: Vec<&str> = olgas
        .items
        .iter()
        .filter(|n| n.ticket_id == ticket)
        .map(|n| n.text.as_str())
        .collect();
    assert_eq!(texts, ["New message: Thank you!"]);

    // Reading the ticket's notifications on one screen clears them on every screen.
    let mut ivans_other_tab = ivan.socket().await;
    let other = follow_notifications(&mut ivans_other_tab).await;
    assert_eq!(other.unread, unread_before + 2);
    ivans
        .done(|command_id| Command::ReadNotifications {
            command_id,
            ticket_id: Some(ticket),
        })
        .await
        .expect("read");
    let (read, _) = ivans_other_tab
        .until(|e| match e {
            Event::NotificationsRead { ticket_id } => Some(*ticket_id),
            _ => None,
        })
        .await;
    assert_eq!(read, Some(ticket));
    let after = notifications(&ivan).await;
    assert_eq!(after.unread, unread_before);
    assert!(
        after
            .items
            .iter()
            .filter(|n| n.ticket_id == ticket)
            .all(|n| n.read)
    );

    // Unfollowed over the socket: told on every screen, and nothing more arrives.
    ivans
        .done(|command_id| Command::Follow {
            command_id,
            ticket_id: ticket,
            follow: false,
        })
        .await
        .expect("unfollow");
    let (stopped, _) = ivans_other_tab
        .until(|e| match e {
            Event::Following {
                ticket_id,
                following,
            } if *ticket_id == ticket => Some(*following),
            _ => None,
        })
        .await;
    assert!(!stopped);
    anna.say(ticket, "One more thing").await;
    let olga_heard = notifications(&olga).await;
    assert!(
        olga_heard
            .items
            .iter()
            .any(|n| n.text == "New message: One more thing")
    );
    let quiet = ivans.drain().await;
    assert!(
        !quiet
            .iter()
            .any(|e| matches!(e, Event::Notification { .. })),
        "{quiet:?}"
    );
    assert_eq!(notifications(&ivan).await.unread, unread_before);
    server.stop().await;
}

async fn follow_permissions(backend: Backend) {
    let server = TestServer::start(backend).await;
    let anna = server.signed_in(ANNA).await;
    let olga = server.signed_in(OLGA).await;
    let ivan = server.signed_in(IVAN).await;
    let maria = server.signed_in(MARIA).await;
    let care = anna.department("Customer care").await;
    let billing = anna.department("Billing").await;
    let ticket = anna.start_ticket(care, "refund", "I want a refund").await;

    // A member neither follows nor has notifications, over HTTP or the socket.
    assert_eq!(
        follow(&anna, ticket, true).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        anna.get("/api/notifications").await.status,
        StatusCode::FORBIDDEN
    );
    let mut annas = anna.socket().await;
    let refused = annas
        .done(|command_id| Command::Follow {
            command_id,
            ticket_id: ticket,
            follow: true,
        })
        .await;
    assert_eq!(refused, Err(ErrorCode::Forbidden));
    annas
        .send(&Command::Subscribe {
            topic: Topic::Notifications,
            since: None,
            filter: None,
        })
        .await;
    assert_eq!(annas.next_error().await, ErrorCode::Forbidden);

    // An operator of another department cannot learn the ticket exists.
    let reply = follow(&maria, ticket, true).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    let mut marias = maria.socket().await;
    let refused = marias
        .done(|command_id| Command::Follow {
            command_id,
            ticket_id: ticket,
            follow: true,
        })
        .await;
    assert_eq!(refused, Err(ErrorCode::NotFound));

    // Ivan follows; once the ticket moves to Billing, which he does not work in, he is told
    // nothing more and his list keeps nothing of it.
    assert_eq!(
        follow(&ivan, ticket, true).await.status,
        StatusCode::NO_CONTENT
    );
    anna.say(ticket, "Order 5521").await;
    assert!(
        notifications(&ivan)
            .await
            .items
            .iter()
            .any(|n| n.ticket_id == ticket)
    );
    let moved = olga
        .post(
            &format!("/api/tickets/{ticket}/transfer"),
            &TransferRequest {
                seen: None,
                department_id: billing,
            },
        )
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    anna.say(ticket, "Any news?").await;
    let ivans = notifications(&ivan).await;
    assert!(
        !ivans.items.iter().any(|n| n.ticket_id == ticket),
        "{:?}",
        ivans.items
    );
    // Marking read someone else's notifications is impossible: reads are one's own.
    let read = ivan
        .post(
            "/api/notifications/read",
            &ReadNotificationsRequest {
                ticket_id: Some(ticket),
            },
        )
        .await;
    assert_eq!(read.status, StatusCode::NO_CONTENT);
    // A wrong type is refused with a clear error.
    let bad = ivan
        .post("/api/notifications/read", &json!({ "ticket_id": "all" }))
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{}", bad.body);
    assert_eq!(bad.code(), "malformed");
    server.stop().await;
}

async fn assign(client: &Client, ticket: app::protocol::TicketId, to: UserId) -> common::Reply {
    client
        .post(
            &format!("/api/tickets/{ticket}/assign"),
            &AssignRequest {
                user_id: to,
                seen: None,
            },
        )
        .await
}

async fn assigning(backend: Backend) {
    let server = TestServer::start(backend).await;
    let anna = server.signed_in(ANNA).await;
    let olga = server.signed_in(OLGA).await;
    let ivan = server.signed_in(IVAN).await;
    let mike = server.signed_in(MIKE).await;
    let care = anna.department("Customer care").await;
    let ticket = anna.start_ticket(care, "login", "I cannot log in").await;
    let ivan_id = mike.staff_id("Ivan Sokolov").await;
    let olga_id = mike.staff_id("Olga Petrova").await;
    let maria_id = mike.staff_id("Maria Garcia").await;
    let anna_id: Me = anna.get("/api/me").await.json();
    let taken = olga.act(&format!("/api/tickets/{ticket}/take")).await;
    assert_eq!(taken.status, StatusCode::OK, "{}", taken.body);

    // Ivan cannot hand away a ticket Olga holds, by either path.
    let reply = assign(&ivan, ticket, ivan_id).await;
    assert_eq!(reply.status, StatusCode::CONFLICT, "{}", reply.body);
    assert_eq!(reply.code(), "locked");
    let mut ivans = ivan.socket().await;
    let refused = ivans
        .refused(|command_id| Command::Assign {
            seen: None,
            command_id,
            ticket_id: ticket,
            user_id: ivan_id,
        })
        .await;
    assert_eq!(refused, ErrorCode::Locked);
    // Nor can the member, by either path.
    assert_eq!(
        assign(&anna, ticket, ivan_id).await.status,
        StatusCode::FORBIDDEN
    );
    let mut widget = anna.socket().await;
    widget.follow_ticket(ticket, None).await;
    let refused = widget
        .refused(|command_id| Command::Assign {
            seen: None,
            command_id,
            ticket_id: ticket,
            user_id: ivan_id,
        })
        .await;
    assert_eq!(refused, ErrorCode::Forbidden);

    // The moderator reassigns it to Ivan over the socket: Ivan's board shows it his, live.
    ivans.follow_list(Topic::Board).await;
    let mut mikes = mike.socket().await;
    let command_id = mikes.command_id();
    let done = mikes
        .command(Command::Assign {
            seen: None,
            command_id,
            ticket_id: ticket,
            user_id: ivan_id,
        })
        .await;
    assert!(done.is_ok(), "{done:?}");
    let (holder, _) = ivans
        .until(|e| match e {
            Event::TicketChanged { ticket: t } if t.id == ticket => {
                t.assignee.as_ref().map(|p| p.id)
            }
            _ => None,
        })
        .await;
    assert_eq!(holder, ivan_id);
    let detail = ivan.detail(ticket).await;
    let assigned = detail.events.iter().find_map(|e| match &e.kind {
        EventKind::Assigned { from, to } => Some((from.clone(), to.clone())),
        _ => None,
    });
    let (from, to) = assigned.expect("an assigned event");
    assert_eq!(from.map(|p| p.id), Some(olga_id));
    assert_eq!(to.id, ivan_id);
    assert!(notifications(&ivan).await.following.contains(&ticket));
    // The member never hears of it.
    let seen = widget.drain().await;
    assert!(
        !seen.iter().any(|e| matches!(e, Event::TicketEvent { event } if matches!(event.kind, EventKind::Assigned { .. }))),
        "{seen:?}"
    );
    let theirs = anna.detail(ticket).await;
    assert!(
        !theirs
            .events
            .iter()
            .any(|e| matches!(e.kind, EventKind::Assigned { .. }))
    );

    // The holder hands it on, but only to someone who works in its department.
    let reply = assign(&ivan, ticket, maria_id).await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    let reply = assign(&ivan, ticket, anna_id.id).await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    let reply = assign(&ivan, ticket, UserId(987_654)).await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    let reply = assign(&ivan, ticket, ivan_id).await;
    assert_eq!(reply.status, StatusCode::CONFLICT, "{}", reply.body);
    let reply = assign(&ivan, ticket, olga_id).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let summary: TicketSummary = olga
        .get(&format!("/api/tickets/{ticket}"))
        .await
        .json::<TicketDetail>()
        .ticket;
    assert_eq!(summary.assignee.map(|p| p.id), Some(olga_id));
    server.stop().await;
}

async fn notes_by_default(backend: Backend) {
    let server = TestServer::start(backend).await;
    let olga = server.signed_in(OLGA).await;
    let anna = server.signed_in(ANNA).await;
    let me: Me = olga.get("/api/me").await.json();
    assert!(!me.notes_by_default);
    let mut tab = olga.socket().await;
    tab.drain().await;

    let set = olga
        .send(
            Method::PUT,
            "/api/me/preferences",
            &Preferences {
                notes_by_default: true,
                ..Preferences::default()
            },
        )
        .await;
    assert_eq!(set.status, StatusCode::NO_CONTENT, "{}", set.body);
    let (changed, _) = tab
        .until(|e| match e {
            Event::MeChanged { me } => Some(me.notes_by_default),
            _ => None,
        })
        .await;
    assert!(changed, "every screen of hers hears of it");
    let me: Me = olga.get("/api/me").await.json();
    assert!(me.notes_by_default);

    // Over the socket too; and a member has no such setting.
    tab.done(|command_id| Command::SetPreferences {
        command_id,
        preferences: Preferences {
            notes_by_default: false,
            ..Preferences::default()
        },
    })
    .await
    .expect("set");
    let me: Me = olga.get("/api/me").await.json();
    assert!(!me.notes_by_default);
    let refused = anna
        .send(
            Method::PUT,
            "/api/me/preferences",
            &Preferences {
                notes_by_default: true,
                ..Preferences::default()
            },
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let mut widget = anna.socket().await;
    let refused = widget
        .done(|command_id| Command::SetPreferences {
            command_id,
            preferences: Preferences {
                notes_by_default: true,
                ..Preferences::default()
            },
        })
        .await;
    assert_eq!(refused, Err(ErrorCode::Forbidden));
    let wrong = olga
        .request(
            Method::PUT,
            "/api/me/preferences",
            Some(json!({ "notes_by_default": "yes" })), // not a boolean
        )
        .await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST, "{}", wrong.body);
    assert_eq!(wrong.code(), "malformed");
    server.stop().await;
}

/// A colleague called by name (`@Ivan`) in a note hears of it — "Mentioned you" — live and in
/// their list; a colleague who may not see the ticket, the author, and anyone a member calls
/// by name hear nothing.
async fn mentions(backend: Backend) {
    let server = TestServer::start(backend).await;
    let anna = server.signed_in(ANNA).await;
    let olga = server.signed_in(OLGA).await;
    let ivan = server.signed_in(IVAN).await;
    let maria = server.signed_in(MARIA).await;
    let care = anna.department("Customer care").await;
    let ticket = anna
        .start_ticket(care, "voucher", "@Olga Petrova my voucher is gone")
        .await;
    let mut ivans = ivan.socket().await;
    follow_notifications(&mut ivans).await;
    let marias_before = notifications(&maria).await.unread;

    let body = "@ivan can you check the voucher? @Maria Garcia too";
    let note = olga.message(ticket, &common::note(body)).await;
    assert_eq!(note.status, StatusCode::CREATED, "{}", note.body);
    let heard = next_notification(&mut ivans).await;
    assert_eq!(heard.ticket_id, ticket);
    assert_eq!(heard.text, format!("Mentioned you: {body}"));
    assert_eq!(
        heard.said.as_ref().map(|s| s.key.as_str()),
        Some("notify-mention")
    );
    assert_eq!(
        heard.author.as_ref().map(|a| a.name.as_str()),
        Some("Olga Petrova")
    );
    let listed = notifications(&ivan).await;
    assert!(
        listed
            .items
            .iter()
            .any(|n| n.ticket_id == ticket && n.text.starts_with("Mentioned you: "))
    );
    // Maria works in Billing: she may not see the ticket and is told nothing of it.
    let marias = notifications(&maria).await;
    assert_eq!(marias.unread, marias_before);
    assert!(marias.items.iter().all(|n| n.ticket_id != ticket));
    // Olga is not told of her own note, nor of the member calling her by name.
    assert!(
        notifications(&olga)
            .await
            .items
            .iter()
            .all(|n| n.ticket_id != ticket)
    );
}
