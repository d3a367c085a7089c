//! Files sent with messages: served to whoever sees the ticket and nobody else, and many at once.

#[allow(unused_imports)]
use super::*;

pub(super) async fn sent_files(backend: Backend, bucket: Bucket) {
    let server = server(backend, bucket, 10 * 1024 * 1024).await;
    let anna = server.signed_in(ANNA).await;
    let care = anna.department("Customer care").await;
    let ticket = anna
        .start_ticket(care, "broken screen", "Photo attached below")
        .await;

    // She sends a photo with a message, and one with no words at all.
    let photo = uploaded(&anna, "screen.png").await;
    let res = anna
        .message(ticket, &sent_with("Here it is", vec![photo.clone()]))
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let bare = uploaded(&anna, "second.png").await;
    let res = anna
        .message(ticket, &sent_with(" ", vec![bare.clone()]))
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
        .message(ticket, &sent_with("again", vec![photo.clone()]))
        .await;
    assert_eq!(
        (again.status, again.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid")
    );
    let boris = server.signed_in(BORIS).await;
    let his_ticket = boris.start_ticket(care, "mine", "My own question").await;
    let annas_unsent = uploaded(&anna, "private.png").await;
    let stolen = boris
        .message(his_ticket, &sent_with("look", vec![annas_unsent.clone()]))
        .await;
    assert_eq!(stolen.status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut socket = boris.socket().await;
    let refused = socket
        .command(Command::SendMessage {
            seen: None,
            command_id: app::protocol::CommandId(1),
            ticket_id: his_ticket,
            client_msg_id: common::new_msg_id(),
            body: "look".into(),
            hidden: false,
            close: false,
            attachments: vec![annas_unsent.clone()],
        })
        .await;
    refused_as_invalid(refused);
    let many = anna
        .message(ticket, &sent_with("x", vec![photo.clone(); 11]))
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
        let res = fetch(client, &format!("{photo}/preview")).await;
        assert_eq!(res.status(), expected, "{who}: the preview");
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
            seen: None,
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
    let note_preview = format!("{note_file}/preview");
    assert_eq!(fetch(&ivan, &note_preview).await.status(), StatusCode::OK);
    for path in [&note_file, &note_preview] {
        assert_eq!(
            fetch(&anna, path).await.status(),
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let frames = widget.drain().await;
    assert!(
        !format!("{frames:?}").contains(&note_file),
        "the note's file never reaches the member's socket"
    );
    let detail = anna.get(&format!("/api/tickets/{}", ticket.0)).await;
    assert!(!detail.body.to_string().contains(&note_file));

    // A conversation can start with files: over HTTP, and over the socket — where someone
    // else's file is refused and nothing is started.
    let first = uploaded(&anna, "first.png").await;
    let res = anna
        .post(
            "/api/tickets",
            &NewTicketRequest {
                attachments: vec![first.clone()],
                ..common::new_ticket(care, "with a photo", "See the photo")
            },
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let started = res.json::<app::protocol::Written>().ticket_id;
    let detail: TicketDetail = anna
        .get(&format!("/api/tickets/{}", started.0))
        .await
        .json();
    assert!(detail.events.iter().any(|e| matches!(&e.kind,
        EventKind::Message { attachments, .. } if attachments.iter().any(|f| f.id == first))));
    assert_eq!(fetch(&olga, &first).await.status(), StatusCode::OK);
    let borrowed = uploaded(&anna, "hers.png").await;
    let tickets_before = boris.get("/api/tickets").await.body.to_string();
    let refused = socket
        .command(Command::StartTicket {
            command_id: app::protocol::CommandId(9),
            client_msg_id: common::new_msg_id(),
            department_id: care,
            subject: "not mine".into(),
            body: "look".into(),
            attachments: vec![borrowed],
            form: None,
        })
        .await;
    refused_as_invalid(refused);
    assert_eq!(
        boris.get("/api/tickets").await.body.to_string(),
        tickets_before
    );
    server.stop().await;
}

/// Asserts a socket command was refused as `invalid`.
pub(super) fn refused_as_invalid(answer: Result<(app::protocol::Seq, bool), Event>) {
    assert!(
        matches!(
            answer,
            Err(Event::Error {
                code: ErrorCode::Invalid,
                ..
            })
        ),
        "{answer:?}"
    );
}

pub(super) async fn concurrent(backend: Backend, bucket: Bucket) {
    let server = server(backend, bucket, 16 * 1024 * 1024).await;
    let anna = server.signed_in(ANNA).await;
    let olga = server.signed_in(OLGA).await;
    // Eight files at once from two people — documents spanning several 5 MiB parts and
    // pictures getting previews — while a ninth, too large, is refused in the middle.
    let mut uploads = Vec::new();
    for i in 0..8u8 {
        let (client, name, bytes) = if i % 2 == 0 {
            (
                anna.clone(),
                format!("report-{i}.pdf"),
                document(11_000_000 + usize::from(i), i),
            )
        } else {
            (
                olga.clone(),
                format!("photo-{i}.png"),
                png(400_000 + usize::from(i) * 1000),
            )
        };
        uploads.push(tokio::spawn(async move {
            let res = upload(&client, &name, bytes.clone()).await;
            assert_eq!(res.status(), StatusCode::CREATED, "{name}");
            let file: UploadedFile = res.json().await.expect("the stored file");
            (client, file, sha256(&bytes))
        }));
    }
    let too_large = tokio::spawn({
        let anna = anna.clone();
        async move {
            upload(&anna, "huge.pdf", document(17 * 1024 * 1024, 9))
                .await
                .status()
        }
    });
    let mut ids = Vec::new();
    for task in uploads {
        let (client, file, expected) = task.await.expect("the upload finishes");
        assert_eq!(file.sha256, expected, "{}", file.name);
        let back = fetch(&client, &file.id).await.bytes().await.expect("bytes");
        assert_eq!(sha256(&back), expected, "{} comes back whole", file.name);
        assert_eq!(file.picture.is_some(), file.name.ends_with(".png"));
        ids.push(file.id);
    }
    let distinct: std::collections::HashSet<_> = ids.iter().collect();
    assert_eq!(distinct.len(), 8, "every file has its own id");
    assert_eq!(
        too_large.await.expect("answered"),
        StatusCode::PAYLOAD_TOO_LARGE
    );
    // Eight files and four previews; nothing of the refused one.
    assert_eq!(stored_files(&server).await, 12);

    // One message's files together stay within the limit (16 MiB here): two 11 MB reports
    // are refused, saying why, and nothing is sent; one goes.
    let care = anna.department("Customer care").await;
    let ticket = anna
        .start_ticket(care, "reports", "Two reports follow")
        .await;
    let both = anna
        .message(
            ticket,
            &sent_with("both", vec![ids[0].clone(), ids[2].clone()]),
        )
        .await;
    assert_eq!(both.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        both.body["message"]
            .as_str()
            .unwrap_or("")
            .contains("together"),
        "{}",
        both.body
    );
    let one = anna
        .message(ticket, &sent_with("one", vec![ids[0].clone()]))
        .await;
    assert_eq!(one.status, StatusCode::CREATED, "{}", one.body);
    server.stop().await;
}
