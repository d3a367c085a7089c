//! Uploads, on both databases and on both kinds of file store (a local directory; a real
//! S3-compatible server, see `common::s3`): bytes in and out unchanged (by checksum), the
//! size limit (declared or not), types told from the bytes, pictures' previews made on the
//! server (decompression bombs refused), files served so that no browser runs them, and
//! nobody but the uploader reaching a file not yet attached.

use crate::common;
mod sending;

use std::sync::Arc;

use app::protocol::{
    Command, ErrorCode, Event, EventKind, NewMessageRequest, NewTicketRequest, TicketDetail,
    UploadedFile,
};
use common::{
    Backend, Client, Options, TestBucket, TestDb, TestServer,
    people::{ANNA, BORIS, IVAN, MARIA, OLGA},
};
use reqwest::{StatusCode, header};
use sha2::{Digest, Sha256};

/// Each test on SQLite and PostgreSQL with local files, and on SQLite with an S3 bucket.
macro_rules! on_every_store {
    ($($name:ident => $body:path;)*) => {
        $(
            mod $name {
                use super::*;
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    $body(Backend::Sqlite, None).await;
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    $body(Backend::Postgres, None).await;
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn s3() {
                    if let Some(bucket) = TestBucket::create().await {
                        $body(Backend::Sqlite, Some(Arc::new(bucket))).await;
                    }
                }
            }
        )*
    };
}

on_every_store! {
    an_upload_comes_back_byte_for_byte_to_its_uploader_only => round_trip;
    too_large_disguised_and_empty_uploads_are_refused_and_leave_nothing => refusals;
    a_sent_file_is_served_to_whoever_sees_its_ticket_and_a_notes_never_to_the_member => sending::sent_files;
    uploads_at_the_same_time_all_arrive_whole_beside_one_refused => sending::concurrent;
}

type Bucket = Option<Arc<TestBucket>>;

/// A server taking files up to `max_file_bytes`, and as much for one message's files together.
async fn server(backend: Backend, bucket: Bucket, max_file_bytes: u64) -> TestServer {
    TestServer::start_with(
        Arc::new(TestDb::new(backend).await),
        Options {
            max_file_bytes,
            max_message_bytes: max_file_bytes,
            bucket,
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

/// A real PNG of noise, about `len` bytes long (noise does not compress); the same bytes
/// for the same `len`.
fn png(len: usize) -> Vec<u8> {
    let side = ((len / 3) as f64).sqrt().ceil().max(1.0) as u32;
    let mut seed = 0x2545_f491_u32;
    let pixels: Vec<u8> = (0..side * side * 3)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            seed as u8
        })
        .collect();
    encode_png(side, side, png::ColorType::Rgb, &pixels)
}

fn encode_png(width: u32, height: u32, color: png::ColorType, pixels: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(color);
    encoder
        .write_header()
        .and_then(|mut w| w.write_image_data(pixels))
        .expect("a PNG");
    out
}

/// Objects in the server's file store (files and their previews).
async fn stored_files(server: &TestServer) -> usize {
    server
        .state
        .files
        .keys()
        .await
        .expect("the store lists")
        .len()
}

async fn round_trip(backend: Backend, bucket: Bucket) {
    let server = server(backend, bucket, 10 * 1024 * 1024).await;
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

    // The server made a preview from the picture itself and keeps it beside the file.
    let picture = file.picture.expect("a picture's own size");
    assert_eq!((picture.width, picture.height), (1024, 1024));
    let res = fetch(&anna, &format!("{}/preview", file.id)).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()[header::CONTENT_TYPE], "image/jpeg");
    assert_eq!(res.headers()[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    let preview = res.bytes().await.expect("the preview");
    assert!(preview.starts_with(b"\xff\xd8\xff"), "a JPEG");
    assert!(preview.len() < bytes.len() / 4, "small: {}", preview.len());

    // Nobody else reaches it, not even to learn it exists; nor does a made-up path.
    let boris = server.signed_in(BORIS).await;
    for (who, client) in [("another member", &boris), ("signed out", &server.client())] {
        for path in [file.id.clone(), format!("{}/preview", file.id)] {
            let res = fetch(client, &path).await;
            assert_eq!(res.status(), StatusCode::NOT_FOUND, "{who}: {path}");
        }
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

    // Its uploader cancels it: gone from the store, with its preview.
    assert_eq!(stored_files(&server).await, 2);
    assert_eq!(cancel(&anna, &file.id).await, StatusCode::NO_CONTENT);
    let res = fetch(&anna, &file.id).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(stored_files(&server).await, 0);
    server.stop().await;
}

async fn refusals(backend: Backend, bucket: Bucket) {
    let server = server(backend, bucket, 1024 * 1024).await;
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
        // A picture's header that leads nowhere.
        (
            "broken.png",
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDRnot a picture".to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        // A decompression bomb: 16,000 × 16,000 pixels of one grey in a small file (256 MB
        // once decoded). Refused from its header, before any pixel is unpacked.
        (
            "bomb.png",
            encode_png(
                16_000,
                16_000,
                png::ColorType::Grayscale,
                &vec![0; 16_000 * 16_000],
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ] {
        let res = upload(&anna, name, bytes).await;
        assert_eq!(res.status(), status, "{name}");
    }
    assert_eq!(
        stored_files(&server).await,
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
    // ok.png with its preview, and run.png.
    assert_eq!(stored_files(&server).await, 3);
    server.stop().await;
}

/// Uploads a small PNG as `client`; its id.
/// A message carrying `files`, with a fresh client id.
fn sent_with(body: &str, files: Vec<String>) -> NewMessageRequest {
    NewMessageRequest {
        attachments: files,
        ..common::said(body)
    }
}

async fn uploaded(client: &Client, name: &str) -> String {
    let res = upload(client, name, png(2000)).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    res.json::<UploadedFile>()
        .await
        .expect("the stored file")
        .id
}

/// A PDF-shaped document of `len` bytes of noise (several multipart parts when large).
fn document(len: usize, seed: u8) -> Vec<u8> {
    let mut bytes = b"%PDF-1.7\n".to_vec();
    let mut state = 0x9e37_79b9_u32 ^ u32::from(seed);
    bytes.extend((0..len).map(|_| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        state as u8
    }));
    bytes
}

/// An S3 store whose secret is wrong refuses the server at start — saying why, without the
/// secret — and refuses any upload sent with it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_s3_secret_is_refused() {
    let Some(bucket) = TestBucket::create().await else {
        return;
    };
    let mut wrong = bucket.settings.clone();
    wrong.secret_access_key = Some(server::config::Secret::new("not-the-secret-0123456789"));
    let db = TestDb::new(Backend::Sqlite).await;
    let settings = server::config::Settings {
        database_url: Some(server::config::Secret::new(db.url.clone())),
        s3: Some(wrong.clone()),
        ..server::config::Settings::default()
    };
    let err = server::prepare(settings)
        .await
        .err()
        .expect("the server refuses to start")
        .to_string();
    assert!(err.contains("file store"), "{err}");
    assert!(!err.contains("not-the-secret"), "{err}");

    let files = server::files::Files::s3(&wrong).expect("a client");
    let mut body = futures_util::stream::iter(vec![Ok::<_, std::io::Error>(bytes::Bytes::from(
        document(1000, 1),
    ))]);
    let refused = files.put(&mut body, 1_000_000, |_| true).await;
    assert!(
        matches!(refused, Err(server::files::Error::Store(_))),
        "{refused:?}"
    );
    // With the right secret the same bucket takes it.
    let files = server::files::Files::s3(&bucket.settings).expect("a client");
    let mut body = futures_util::stream::iter(vec![Ok::<_, std::io::Error>(bytes::Bytes::from(
        document(1000, 1),
    ))]);
    assert!(files.put(&mut body, 1_000_000, |_| true).await.is_ok());
}
