//! Full-text search over HTTP and WebSocket, on SQLite (FTS5) and PostgreSQL (tsvector):
//! words in any language, prefixes, highlights, edits, and who may find what.

use crate::common;

use server::service::demo::people;

use app::protocol::{ErrorCode, SearchHit, SearchResults};
use common::people::{ANNA, BORIS, MARIA, OLGA};
use common::{Backend, Client, TestServer};
use reqwest::StatusCode;

const MODERATOR: &str = people::MIKE;

on_both_backends! {
    search_finds_words_in_any_language_with_highlights => finds_and_highlights;
    search_never_shows_what_the_reader_may_not_see => permissions;
    a_malformed_search_is_refused_with_a_reason => bad_queries;
}

/// Hits of an HTTP search, asserting it succeeded.
async fn hits(client: &Client, query: &str) -> Vec<SearchHit> {
    let reply = client.search(query).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.json::<SearchResults>().hits
}

/// The highlighted words of a hit.
fn marked(hit: &SearchHit) -> Vec<String> {
    hit.snippet
        .iter()
        .filter(|f| f.hit)
        .map(|f| f.text.to_lowercase())
        .collect()
}

async fn finds_and_highlights(backend: Backend) {
    let server = TestServer::start(backend).await;
    let anna = server.signed_in(ANNA).await;
    let olga = server.signed_in(OLGA).await;
    let care = anna.department("Customer care").await;
    let ticket = anna
        .start_ticket(
            care,
            "Zebrafinch parcel",
            "Посылка задерживается, номер заказа 4417. The parcel left Lisbon.",
        )
        .await;
    let reply = olga
        .say(ticket, "We found your parcel at the Lisbon depot")
        .await;
    let answer = reply.body["seq"].as_i64().expect("a seq");

    // Russian, whatever the case typed; the hit carries the message's text around the word.
    let found = hits(&olga, "ЗАДЕРЖИВАЕТСЯ").await;
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].ticket_id, ticket);
    assert_eq!(marked(&found[0]), ["задерживается"]);
    let text: String = found[0].snippet.iter().map(|f| f.text.as_str()).collect();
    assert!(text.contains("Посылка задерживается"), "{text}");
    assert_eq!(
        found[0].author.as_ref().map(|a| a.name.as_str()),
        Some("Anna Ivanova")
    );

    // The subject, by a prefix of its first word (search as you type).
    let found = hits(&olga, "zebraf").await;
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].seq, None, "the subject matched, not a message");
    assert_eq!(found[0].subject, "Zebrafinch parcel");

    // Every word must occur: two messages mention Lisbon, one of them the depot.
    let found = hits(&olga, "lisbon depot").await;
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].seq.map(|s| s.0), Some(answer));
    assert_eq!(marked(&found[0]), ["lisbon", "depot"]);
    assert_eq!(hits(&olga, "lisbon").await.len(), 2);

    // The same over the socket.
    let mut socket = olga.socket().await;
    let found = socket.search("4417").await.expect("results");
    assert_eq!(found.len(), 1);
    assert_eq!(marked(&found[0]), ["4417"]);

    // An edit replaces the text that is found.
    let done = olga
        .edit(ticket, answer, "We found your box at the Porto warehouse")
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert!(hits(&olga, "depot").await.is_empty());
    assert_eq!(hits(&olga, "porto warehouse").await.len(), 1);
    server.stop().await;
}

async fn permissions(backend: Backend) {
    let server = TestServer::start(backend).await;
    let anna = server.signed_in(ANNA).await;
    let boris = server.signed_in(BORIS).await;
    let olga = server.signed_in(OLGA).await;
    let maria = server.signed_in(MARIA).await;
    let mike = server.signed_in(MODERATOR).await;
    let care = anna.department("Customer care").await;
    let ticket = anna
        .start_ticket(care, "Kestrel invoice", "Where is the kestrel invoice?")
        .await;
    let note = olga
        .message(
            ticket,
            &common::note("quokka: check the kestrel account first"),
        )
        .await;
    assert_eq!(note.status, StatusCode::CREATED, "{}", note.body);

    // Staff of the department find the note, marked hidden; the moderator too.
    let found = hits(&olga, "quokka").await;
    assert_eq!(found.len(), 1);
    assert!(found[0].hidden);
    assert_eq!(hits(&mike, "quokka").await.len(), 1);

    // The member finds her subject and message, never the note; over HTTP and socket.
    let mut anna_socket = anna.socket().await;
    let mut boris_socket = boris.socket().await;
    let mut maria_socket = maria.socket().await;
    assert!(hits(&anna, "quokka").await.is_empty());
    assert!(
        anna_socket
            .search("quokka")
            .await
            .expect("results")
            .is_empty()
    );
    let found = hits(&anna, "kestrel").await;
    assert_eq!(
        found.len(),
        2,
        "subject and message, not the note: {found:?}"
    );
    assert!(found.iter().all(|h| !h.hidden));
    let found = anna_socket.search("kestrel").await.expect("results");
    assert_eq!(found.len(), 2);
    // Her numbering: the message is her first event after the opening.
    assert!(
        found.iter().filter_map(|h| h.seq).all(|s| s.0 <= 2),
        "{found:?}"
    );

    // Another member and an operator of another department find nothing at all.
    for query in ["kestrel", "quokka"] {
        assert!(hits(&boris, query).await.is_empty());
        assert!(
            boris_socket
                .search(query)
                .await
                .expect("results")
                .is_empty()
        );
        assert!(hits(&maria, query).await.is_empty());
        assert!(
            maria_socket
                .search(query)
                .await
                .expect("results")
                .is_empty()
        );
    }
    server.stop().await;
}

async fn bad_queries(backend: Backend) {
    let server = TestServer::start(backend).await;
    let olga = server.signed_in(OLGA).await;
    let mut socket = olga.socket().await;
    for query in ["", "  ?!* \"", &"long ".repeat(60)] {
        let reply = olga.search(query).await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{query:?}: {}",
            reply.body
        );
        assert_eq!(reply.code(), "invalid");
        assert_eq!(socket.search(query).await, Err(ErrorCode::Invalid));
    }
    // Query syntax is not passed through: operators and quotes are just separators.
    assert!(hits(&olga, "NEAR(\"a\" OR b) & !c:*").await.is_empty());
    let reply = olga.get("/api/search").await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    let reply = server.client().search("parcel").await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    server.stop().await;
}
