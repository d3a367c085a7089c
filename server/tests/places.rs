//! Where members stand: a member's new ticket shows its place among its department's
//! tickets waiting for a first answer, with an estimate from how long first answers took
//! lately; the places move live on the member's socket as the line moves (and on another
//! node's); a member chooses to be answered by mail as well; nobody sees another member's
//! places, and staff cannot choose for a member. On SQLite and PostgreSQL.

use crate::common;

use app::protocol::{AnswerBy, AnswerByRequest, Command, ErrorCode, Event, QueuePlace, TicketId};
use common::people::{ANNA, BORIS, CHLOE, OLGA};
use common::{Backend, Client, TestServer, said};
use reqwest::StatusCode;

on_both_backends! {
    a_new_ticket_has_a_place_that_moves_live => places_move;
    the_estimate_comes_from_recent_first_answers => estimates;
    a_member_asks_for_mail_and_only_for_their_own_ticket => answer_by;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_line_moves_live_across_nodes() {
    let (one, two) = TestServer::two_nodes().await;
    let anna = one.signed_in(ANNA).await;
    let olga = one.signed_in(OLGA).await;
    let boris = common::Client::for_addr(two.addr);
    boris.login(BORIS).await;
    let care = anna.department("Customer care").await;
    let annas = anna.start_ticket(care, "First", "On node one").await;
    let boriss = boris.start_ticket(care, "Second", "On node two").await;
    let mut socket = boris.socket().await;
    socket.follow_list(app::protocol::Topic::Inbox).await;
    let before = place_of(&places(&boris).await, boriss).expect("Boris waits");
    live_place(&mut socket, boriss, Some(before)).await;
    olga.message(annas, &said("Answered on node one")).await;
    live_place(&mut socket, boriss, Some(before - 1)).await;
    one.stop().await;
    two.stop().await;
}

async fn places(client: &Client) -> Vec<QueuePlace> {
    let reply = client.get("/api/places").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.json()
}

fn place_of(places: &[QueuePlace], ticket: TicketId) -> Option<i64> {
    places
        .iter()
        .find(|p| p.ticket_id == ticket)
        .map(|p| p.place)
}

/// Waits for a `queue_places` event in which `ticket` stands at `place` (absent: `None`).
async fn live_place(
    socket: &mut common::Socket,
    ticket: TicketId,
    place: Option<i64>,
) -> Vec<QueuePlace> {
    socket
        .until(|e| match e {
            Event::QueuePlaces { places } if place_of(places, ticket) == place => {
                Some(places.clone())
            }
            _ => None,
        })
        .await
        .0
}

async fn places_move(backend: Backend) {
    let server = TestServer::start(backend).await;
    let olga = server.signed_in(OLGA).await;
    let anna = server.signed_in(ANNA).await;
    let boris = server.signed_in(BORIS).await;
    let care = anna.department("Customer care").await;
    let mut boris_socket = boris.socket().await;
    boris_socket.follow_list(app::protocol::Topic::Inbox).await;
    let annas = anna.start_ticket(care, "First", "I was here first").await;
    let boriss = boris
        .start_ticket(care, "Second", "And I came second")
        .await;
    let anna_place = place_of(&places(&anna).await, annas).expect("Anna waits");
    let boris_places = places(&boris).await;
    let boris_place = place_of(&boris_places, boriss).expect("Boris waits");
    assert!(anna_place >= 1);
    assert_eq!(boris_place, anna_place + 1, "Boris came after Anna");
    assert_eq!(
        place_of(&boris_places, annas),
        None,
        "nobody sees another member's place"
    );
    live_place(&mut boris_socket, boriss, Some(boris_place)).await;

    // Olga answers Anna: Boris moves up, live.
    let answered = olga.message(annas, &said("Hello Anna")).await;
    assert!(answered.status.is_success(), "{}", answered.body);
    live_place(&mut boris_socket, boriss, Some(boris_place - 1)).await;
    assert_eq!(
        place_of(&places(&anna).await, annas),
        None,
        "answered: no longer waiting"
    );

    // Taken by an operator: "someone is on it" (place 0); answered: gone from the line.
    let taken = olga.act(&format!("/api/tickets/{boriss}/take")).await;
    assert!(taken.status.is_success(), "{}", taken.body);
    live_place(&mut boris_socket, boriss, Some(0)).await;
    olga.message(boriss, &said("Hello Boris")).await;
    live_place(&mut boris_socket, boriss, None).await;

    // Staff have no place in line.
    assert!(places(&olga).await.is_empty());
    server.stop().await;
}

/// A department of its own, offered to members, so that only this test's answers count.
async fn fresh_department(server: &TestServer) -> app::protocol::DepartmentId {
    let ada = server.signed_in(common::people::ADA).await;
    let made = ada
        .post(
            "/api/admin",
            &app::protocol::AdminAction::CreateDepartment {
                name: "Returns".into(),
                public: true,
            },
        )
        .await;
    assert!(made.status.is_success(), "{}", made.body);
    made.json::<app::protocol::AdminState>()
        .departments
        .iter()
        .find(|d| d.name == "Returns")
        .expect("Returns")
        .id
}

async fn estimates(backend: Backend) {
    let server = TestServer::start(backend).await;
    let returns = fresh_department(&server).await;
    let anna = server.signed_in(ANNA).await;
    let ada = server.signed_in(common::people::ADA).await;
    // Two answered: too few to tell; the third makes an estimate (answered at once: a minute).
    for i in 0..3 {
        let waiting = anna
            .start_ticket(returns, "Return", &format!("Parcel {i}"))
            .await;
        let place = places(&anna).await;
        let mine = place
            .iter()
            .find(|p| p.ticket_id == waiting)
            .expect("waits");
        assert_eq!(mine.place, 1);
        assert_eq!(mine.estimate_mins, None, "{i} answered so far: too few");
        let answered = ada.message(waiting, &said("Sent back")).await;
        assert!(answered.status.is_success(), "{}", answered.body);
    }
    let waiting = anna.start_ticket(returns, "Return", "Parcel 4").await;
    let place = places(&anna).await;
    let mine = place
        .iter()
        .find(|p| p.ticket_id == waiting)
        .expect("waits");
    assert_eq!((mine.place, mine.estimate_mins), (1, Some(1)));
    server.stop().await;
}

async fn answer_by(backend: Backend) {
    let server = TestServer::start(backend).await;
    let anna = server.signed_in(ANNA).await;
    let chloe = server.signed_in(CHLOE).await;
    let olga = server.signed_in(OLGA).await;
    let care = anna.department("Customer care").await;
    let ticket = anna
        .start_ticket(care, "Mail me", "Nobody is online?")
        .await;
    let path = format!("/api/tickets/{ticket}/answer-by");
    let by_mail = AnswerByRequest {
        answer_by: AnswerBy::Email,
    };
    let chosen = anna.send(reqwest::Method::PUT, &path, &by_mail).await;
    assert_eq!(chosen.status, StatusCode::NO_CONTENT, "{}", chosen.body);
    let detail = anna.detail(ticket).await;
    assert_eq!(detail.ticket.answer_by, Some(AnswerBy::Email));
    assert_eq!(
        olga.detail(ticket).await.ticket.answer_by,
        Some(AnswerBy::Email),
        "staff see it"
    );

    // Another member does not find the ticket; staff may not choose for the member.
    let other = chloe.send(reqwest::Method::PUT, &path, &by_mail).await;
    assert_eq!(other.status, StatusCode::NOT_FOUND, "{}", other.body);
    let staff = olga.send(reqwest::Method::PUT, &path, &by_mail).await;
    assert_eq!(staff.status, StatusCode::FORBIDDEN, "{}", staff.body);
    let mut socket = olga.socket().await;
    let code = socket
        .done(|command_id| Command::SetAnswerBy {
            command_id,
            ticket_id: ticket,
            answer_by: AnswerBy::Here,
        })
        .await;
    assert_eq!(code, Err(ErrorCode::Forbidden));
    let mut chloes = chloe.socket().await;
    let code = chloes
        .done(|command_id| Command::SetAnswerBy {
            command_id,
            ticket_id: ticket,
            answer_by: AnswerBy::Here,
        })
        .await;
    assert_eq!(code, Err(ErrorCode::NotFound));

    // Over the socket the member takes it back.
    let mut annas = anna.socket().await;
    annas
        .done(|command_id| Command::SetAnswerBy {
            command_id,
            ticket_id: ticket,
            answer_by: AnswerBy::Here,
        })
        .await
        .expect("done");
    assert_eq!(
        anna.detail(ticket).await.ticket.answer_by,
        Some(AnswerBy::Here)
    );
    server.stop().await;
}
