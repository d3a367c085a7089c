//! Uploads into the local file store, on both databases: bytes in and out unchanged (by
//! checksum), the size limit (declared or not), types told from the bytes, files served so
//! that no browser runs them, and nobody but the uploader reaching a file not yet attached.

mod common;

use std::sync::Arc;

use app::protocol::{Command, ErrorCode, Event, EventKind, TicketDetail, UploadedFile};
use common::{
    Backend, Client, Options, TestDb, TestServer,
    people::{ANNA, BORIS, IVAN, MARIA, OLGA},
};
use reqwest::{StatusCode, header};
use sha2::{Digest, Sha256};

on_both_backends! {
    an_upload_comes_back_byte_for_byte_to_its_uploader_only => round_trip;
    too_large_disguised_and_empty_uploads_are_refused_and_leave_nothing => refusals;
    a_sent_file_is_served_to_whoever_sees_its_ticket_and_a_notes_never_to_the_member => sent_files;
}

async fn server(backend: Backend, max_file_bytes: u64) -> TestServer {
    TestServer::start_with(
        Arc::new(TestDb::new(backend).await),
        Options {
            max_file_bytes,
            ..Options::default()
        },
    )
    .await
}

/// Uploads `bytes` as `name`; the raw response.
async fn upload(client: &Client, name: &str, bytes: Vec<u8>) -> reqwest::Response {
    client
        .http
        .post(format!(
            "{}/api/uploads?name={}",
            client.base,
            common::urlencoding(name)
        ))
        .body(bytes)
        .send()
        .await
        .expect("the server answers")
}

/// `GET /api/files/{id}` as `client`.
async fn fetch(client: &Client, id: &str) -> reqwest::Response {
    client
        .http
        .get(format!("{}/api/files/{id}", client.base))
        .send()
        .await
        .expect("the server answers")
}

/// `DELETE /api/uploads/{id}` as `client`.
async fn cancel(client: &Client, id: &str) -> StatusCode {
    client
        .http
        .delete(format!("{}/api/uploads/{id}", client.base))
        .send()
        .await
        .expect("the server answers")
        .status()
}

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A small PNG-shaped file (its signature, then data).
fn png(len: usize) -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    bytes.extend((0..len).map(|i| (i * 31 % 251) as u8));
    bytes
}

/// Files in the store's directory, however deep.
fn stored_files(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| {
                    let path = e.path();
                    if path.is_dir() {
                        stored_files(&path)
                    } else {
                        1
                    }
                })
                .sum()
        })
        .unwrap_or(0)
}

async fn round_trip(backend: Backend) {
    let server = server(backend, 10 * 1024 * 1024).await;
    let anna = server.signed_in(ANNA).await;
    let bytes = png(3 * 1024 * 1024);
    let res = upload(&anna, "C:\\Фото\\receipt.png", bytes.clone()).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let file: UploadedFile = res.json().await.expect("the stored file");
    assert_eq!(file.name, "receipt.png");
    assert_eq!(file.size, bytes.len() as u64);
    assert_eq!(file.content_type, "image/png");
    assert_eq!(file.sha256, sha256(&bytes));
    assert_eq!(file.id.len(), 32);

    let res = fetch(&anna, &file.id).await;
    assert_eq!(res.status(), StatusCode::OK);
    let headers = res.headers().clone();
    assert_eq!(headers[header::CONTENT_TYPE], "image/png");
    assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    let disposition = headers[header::CONTENT_DISPOSITION].to_str().expect("text");
    assert!(
        disposition.starts_with("inline;") && disposition.contains("receipt.png"),
        "{disposition}"
    );
    let csp = headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .expect("text");
    assert!(
        csp.contains("default-src 'none'") && csp.contains("sandbox"),
        "{csp}"
    );
    let back = res.bytes().await.expect("the bytes");
    assert_eq!(sha256(&back), file.sha256, "the same bytes come back");

    // Nobody else reaches it, not even to learn it exists; nor does a made-up path.
    let boris = server.signed_in(BORIS).await;
    for (who, client) in [("another member", &boris), ("signed out", &server.client())] {
        let res = fetch(client, &file.id).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{who}");
    }
    for bad in [
        "..%2F..%2Fetc%2Fpasswd",
        "not-an-id",
        "00000000000000000000000000000000",
    ] {
        let res = fetch(&anna, bad).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{bad}");
    }
    assert_eq!(
        cancel(&boris, &file.id).await,
        StatusCode::NOT_FOUND,
        "only its uploader cancels it"
    );

    // Its uploader cancels it: gone from the store and from the disk.
    assert_eq!(stored_files(server.files.path()), 1);
    assert_eq!(cancel(&anna, &file.id).await, StatusCode::NO_CONTENT);
    let res = fetch(&anna, &file.id).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(stored_files(server.files.path()), 0);
    server.stop().await;
}

async fn refusals(backend: Backend) {
    let server = server(backend, 1024 * 1024).await;
    let anna = server.signed_in(ANNA).await;

    // Over the limit, said up front or found while streaming: 413, nothing kept.
    let res = upload(&anna, "big.png", png(2 * 1024 * 1024)).await;
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let body: serde_json::Value = res.json().await.expect("a JSON error");
    assert_eq!(body["code"], "too_large");
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        (0..40).map(|_| Ok(vec![b'x'; 64 * 1024])).collect();
    let res = anna
        .http
        .post(format!("{}/api/uploads?name=stream.txt", anna.base))
        .body(reqwest::Body::wrap_stream(futures_util::stream::iter(
            chunks,
        )))
        .send()
        .await
        .expect("answers");
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);

    // Disguised and dangerous types, told from the bytes whatever the name says.
    for (name, bytes, status) in [
        (
            "photo.png",
            b"<!DOCTYPE html><html><script>alert(1)</script>".to_vec(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
        (
            "logo.png",
            b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>".to_vec(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
        ("empty.png", Vec::new(), StatusCode::UNPROCESSABLE_ENTITY),
    ] {
        let res = upload(&anna, name, bytes).await;
        assert_eq!(res.status(), status, "{name}");
    }
    assert_eq!(
        stored_files(server.files.path()),
        0,
        "refused uploads leave nothing"
    );

    // A script named .png is text: kept, and only ever served as a plain-text download.
    let res = upload(&anna, "run.png", b"#!/bin/sh\necho hi\n".to_vec()).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let file: UploadedFile = res.json().await.expect("the stored file");
    assert_eq!(file.content_type, "text/plain");
    let res = fetch(&anna, &file.id).await;
    assert_eq!(
        res.headers()[header::CONTENT_TYPE],
        "text/plain; charset=utf-8"
    );
    let disposition = res.headers()[header::CONTENT_DISPOSITION]
        .to_str()
        .expect("text")
        .to_owned();
    assert!(disposition.starts_with("attachment;"), "{disposition}");

    // The server is as healthy as before; a name is required; signed-out uploads are refused.
    let res = upload(&anna, "ok.png", png(1000)).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let res = upload(&anna, "  ", png(10)).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let res = upload(&server.client(), "x.png", png(10)).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(stored_files(server.files.path()), 2);
    server.stop().await;
}

/// Uploads a small PNG as `client`; its id.
async fn uploaded(client: &Client, name: &str) -> String {
    let res = upload(client, name, png(2000)).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    res.json::<UploadedFile>()
        .await
        .expect("the stored file")
        .id
}

async fn sent_files(backend: Backend) {
    let server = server(backend, 10 * 1024 * 1024).await;
    let anna = server.signed_in(ANNA).await;
    let care = anna.department("Customer care").await;
    let ticket = anna
        .start_ticket(care, "broken screen", "Photo attached below")
        .await;

    // She sends a photo with a message, and one with no words at all.
    let photo = uploaded(&anna, "screen.png").await;
    let res = anna
        .message(ticket, serde_json::json!({"client_msg_id": "m-photo", "body": "Here it is", "attachments": [photo]}))
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let bare = uploaded(&anna, "second.png").await;
    let res = anna
        .message(
            ticket,
            serde_json::json!({"client_msg_id": "m-bare", "body": " ", "attachments": [bare]}),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let detail: TicketDetail = anna.get(&format!("/api/tickets/{}", ticket.0)).await.json();
    let carried: Vec<&UploadedFile> = detail
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Message { attachments, .. } => Some(attachments),
            _ => None,
        })
        .flatten()
        .collect();
    assert_eq!(
        carried
            .iter()
            .map(|f| (f.id.as_str(), f.name.as_str()))
            .collect::<Vec<_>>(),
        vec![
            (photo.as_str(), "screen.png"),
            (bare.as_str(), "second.png")
        ]
    );

    // A file goes once; someone else's never; nor more than ten, nor a made-up one.
    let again = anna
        .message(ticket, serde_json::json!({"client_msg_id": "m-again", "body": "again", "attachments": [photo]}))
        .await;
    assert_eq!(
        (again.status, again.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid")
    );
    let boris = server.signed_in(BORIS).await;
    let his_ticket = boris.start_ticket(care, "mine", "My own question").await;
    let annas_unsent = uploaded(&anna, "private.png").await;
    let stolen = boris
        .message(his_ticket, serde_json::json!({"client_msg_id": "m-stolen", "body": "look", "attachments": [annas_unsent]}))
        .await;
    assert_eq!(stolen.status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut socket = boris.socket().await;
    let refused = socket
        .command(Command::SendMessage {
            command_id: app::protocol::CommandId(1),
            ticket_id: his_ticket,
            client_msg_id: common::new_msg_id(),
            body: "look".into(),
            hidden: false,
            close: false,
            attachments: vec![annas_unsent.clone()],
        })
        .await;
    assert!(
        matches!(
            refused,
            Err(Event::Error {
                code: ErrorCode::Invalid,
                ..
            })
        ),
        "{refused:?}"
    );
    let many = anna
        .message(ticket, serde_json::json!({"client_msg_id": "m-many", "body": "x", "attachments": vec![photo.clone(); 11]}))
        .await;
    assert_eq!(many.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        fetch(&anna, &annas_unsent).await.status(),
        StatusCode::OK,
        "still hers, unsent"
    );

    // Whoever sees the ticket gets the file; nobody else learns it exists.
    let olga = server.signed_in(OLGA).await;
    let maria = server.signed_in(MARIA).await;
    for (who, client, expected) in [
        ("its member", &anna, StatusCode::OK),
        ("an operator of its department", &olga, StatusCode::OK),
        ("another member", &boris, StatusCode::NOT_FOUND),
        (
            "an operator of another department",
            &maria,
            StatusCode::NOT_FOUND,
        ),
        ("signed out", &server.client(), StatusCode::NOT_FOUND),
    ] {
        let res = fetch(client, &photo).await;
        assert_eq!(res.status(), expected, "{who}");
        if expected == StatusCode::OK {
            assert_eq!(
                sha256(&res.bytes().await.expect("bytes")),
                sha256(&png(2000))
            );
        }
    }
    assert_eq!(
        cancel(&anna, &photo).await,
        StatusCode::NOT_FOUND,
        "a sent file stays"
    );

    // A file on a hidden note: staff get it, the member never sees it, by any path.
    let mut widget = anna.socket().await;
    widget.follow_ticket(ticket, None).await;
    let note_file = uploaded(&olga, "internal.png").await;
    let mut desk = olga.socket().await;
    let noted = desk
        .command(Command::SendMessage {
            command_id: app::protocol::CommandId(1),
            ticket_id: ticket,
            client_msg_id: common::new_msg_id(),
            body: "customer's warranty expired".into(),
            hidden: true,
            close: false,
            attachments: vec![note_file.clone()],
        })
        .await;
    assert!(noted.is_ok(), "{noted:?}");
    let ivan = server.signed_in(IVAN).await;
    assert_eq!(fetch(&ivan, &note_file).await.status(), StatusCode::OK);
    assert_eq!(
        fetch(&anna, &note_file).await.status(),
        StatusCode::NOT_FOUND
    );
    let frames = widget.drain().await;
    assert!(
        !format!("{frames:?}").contains(&note_file),
        "the note's file never reaches the member's socket"
    );
    let detail = anna.get(&format!("/api/tickets/{}", ticket.0)).await;
    assert!(!detail.body.to_string().contains(&note_file));
    server.stop().await;
}
