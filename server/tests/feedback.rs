//! The feedback form: a member sends it with a related service of their own, a category, a
//! criticality, how they want the answer and a file; it is a ticket in the Feedback-form
//! queue whose fields staff see, answered in the member's chat. Every field is checked and
//! its refusal named, over HTTP and the socket; staff cannot send it. Through a real relay,
//! the member who asked gets the confirmation at once, and answers by mail when they asked
//! for them. On SQLite and PostgreSQL.

use crate::common;

use app::protocol::{
    AnswerBy, Channel, Command, Event, EventKind, FeedbackFields, FeedbackForm, Me,
    NewTicketRequest, OptionKind, Role, TicketDetail, TicketId, Written,
};
use common::people::{ANNA, BORIS, OLGA};
use common::relay::{MailServers, fresh_address};
use common::{Backend, Client, TestServer, new_msg_id, new_ticket, said};
use mail_parser::MessageParser;
use reqwest::StatusCode;

on_both_backends! {
    a_form_is_a_ticket_of_its_queue_with_its_fields => form_ticket;
    each_field_of_a_form_is_checked_and_named => validation;
    a_form_is_confirmed_and_answered_by_mail_as_asked => mailed;
}

/// The form `me` offers: the id of an option of `kind` and of their first service.
fn offered(me: &Me, kind: OptionKind) -> app::protocol::OptionId {
    me.options
        .iter()
        .find(|o| o.kind == kind)
        .unwrap_or_else(|| panic!("no {kind:?} offered"))
        .id
}

fn form_request(
    department: app::protocol::DepartmentId,
    subject: &str,
    fields: FeedbackFields,
) -> NewTicketRequest {
    NewTicketRequest {
        form: Some(fields),
        ..new_ticket(department, subject, "The site is down since this morning.")
    }
}

/// The form a ticket's `created` event carries.
fn form_of(detail: &TicketDetail) -> FeedbackForm {
    detail
        .events
        .iter()
        .find_map(|e| match &e.kind {
            EventKind::Created { form, .. } => form.clone(),
            _ => None,
        })
        .expect("the ticket keeps its form")
}

async fn form_ticket(backend: Backend) {
    let server = TestServer::start(backend).await;
    let anna = server.signed_in(ANNA).await;
    let me: Me = anna.get("/api/me").await.json();
    // Members are offered categories and criticality levels, never statuses, and their own
    // services.
    assert!(
        me.options
            .iter()
            .all(|o| matches!(o.kind, OptionKind::Category | OptionKind::Criticality)),
        "{:?}",
        me.options
    );
    let service = me.services.first().expect("Anna has a service").clone();
    let care = anna.department("Customer care").await;
    let category = offered(&me, OptionKind::Category);
    let criticality = offered(&me, OptionKind::Criticality);

    let upload = anna
        .http
        .post(format!("{}/api/uploads?name=invoice.pdf", anna.base))
        .body(b"%PDF-1.7\n% the invoice\n".to_vec())
        .send()
        .await
        .expect("an upload");
    assert_eq!(upload.status(), StatusCode::CREATED);
    let file: app::protocol::UploadedFile = upload.json().await.expect("the file");
    let mut request = form_request(
        care,
        "Site down",
        FeedbackFields {
            service: Some(service.id.clone()),
            category: Some(category),
            criticality: Some(criticality),
            answer_by: AnswerBy::Here,
        },
    );
    request.attachments = vec![file.id.clone()];
    let sent = anna.post("/api/tickets", &request).await;
    assert_eq!(sent.status, StatusCode::CREATED, "{}", sent.body);
    let ticket = sent.json::<Written>().ticket_id;
    // Sent again (a retry): the same ticket, nothing new.
    let again = anna.post("/api/tickets", &request).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    assert_eq!(again.json::<Written>().ticket_id, ticket);

    // Its member sees it among their conversations, with what they filled in and the file.
    let theirs = anna.detail(ticket).await;
    assert_eq!(theirs.ticket.channel, Channel::Form);
    let form = form_of(&theirs);
    assert_eq!(form.service.as_ref(), Some(&service));
    assert_eq!(form.answer_by, AnswerBy::Here);
    assert!(theirs.events.iter().any(|e| matches!(&e.kind,
        EventKind::Message { attachments, .. } if attachments.iter().any(|f| f.id == file.id))));

    // Staff find it in the Feedback-form queue, its category and criticality set.
    let olga = server.signed_in(OLGA).await;
    let board = olga.detail(ticket).await;
    assert_eq!(
        board.ticket.queue.as_ref().map(|q| q.name.as_str()),
        Some("Feedback form")
    );
    let params = &board.ticket.params;
    assert_eq!(params.category.as_ref().map(|o| o.id), Some(category));
    assert_eq!(params.criticality.as_ref().map(|o| o.id), Some(criticality));
    assert_eq!(form_of(&board), form);
    let queue: Vec<app::protocol::TicketSummary> = olga
        .get(&format!(
            "/api/tickets?queue={}",
            board.ticket.queue.as_ref().expect("a queue").id.0
        ))
        .await
        .json();
    assert!(queue.iter().any(|t| t.id == ticket));

    // The answer reaches the member's chat, live.
    let mut widget = anna.socket().await;
    widget.follow_ticket(ticket, None).await;
    let answered = olga.message(ticket, &said("We are on it.")).await;
    assert!(answered.status.is_success(), "{}", answered.body);
    widget
        .until(|e| match e {
            Event::TicketEvent { event } => match &event.kind {
                EventKind::Message { body, .. } if body == "We are on it." => Some(()),
                _ => None,
            },
            _ => None,
        })
        .await;
    server.stop().await;
}

async fn validation(backend: Backend) {
    let server = TestServer::start(backend).await;
    let anna = server.signed_in(ANNA).await;
    let me: Me = anna.get("/api/me").await.json();
    let care = anna.department("Customer care").await;
    let boris = server.signed_in(BORIS).await;
    let boris_me: Me = boris.get("/api/me").await.json();
    let not_hers = boris_me.services[0].id.clone();
    let olga = server.signed_in(OLGA).await;
    let staff_me: Me = olga.get("/api/me").await.json();
    let status = staff_me
        .options
        .iter()
        .find(|o| o.kind == OptionKind::Status)
        .expect("a status")
        .id;
    let fine = FeedbackFields {
        category: Some(offered(&me, OptionKind::Category)),
        ..FeedbackFields::default()
    };
    let cases: Vec<(&str, NewTicketRequest)> = vec![
        ("subject", form_request(care, "  ", fine.clone())),
        (
            "service",
            form_request(
                care,
                "Not mine",
                FeedbackFields {
                    service: Some(not_hers),
                    ..fine.clone()
                },
            ),
        ),
        (
            "category",
            form_request(
                care,
                "A status is no category",
                FeedbackFields {
                    category: Some(status),
                    ..fine.clone()
                },
            ),
        ),
        (
            "criticality",
            form_request(
                care,
                "No such level",
                FeedbackFields {
                    criticality: Some(app::protocol::OptionId(987_654)),
                    ..fine.clone()
                },
            ),
        ),
        ("body", {
            let mut r = form_request(care, "Empty", fine.clone());
            r.body = " \n ".into();
            r
        }),
    ];
    let mut socket = anna.socket().await;
    for (field, request) in &cases {
        anna.post("/api/tickets", request)
            .await
            .assert_invalid(field);
        let command_id = socket.command_id();
        let refused = socket
            .command(Command::StartTicket {
                command_id,
                client_msg_id: new_msg_id(),
                department_id: request.department_id,
                subject: request.subject.clone(),
                body: request.body.clone(),
                attachments: Vec::new(),
                form: request.form.clone(),
            })
            .await;
        match refused {
            Err(Event::Error {
                code, field: named, ..
            }) => {
                assert_eq!(code, app::protocol::ErrorCode::Invalid);
                assert_eq!(named.as_deref(), Some(*field));
            }
            other => panic!("{field}: expected a refusal, got {other:?}"),
        }
    }
    let tickets: Vec<app::protocol::TicketSummary> = anna.get("/api/tickets").await.json();
    assert!(
        tickets.iter().all(|t| t.channel != Channel::Form),
        "nothing refused was stored"
    );

    // A member whose account has no address to write to cannot ask for mail.
    let caller = member_at(&server, "caller-7916@phone.invalid").await;
    for answer_by in [AnswerBy::Confirmation, AnswerBy::Email] {
        let request = form_request(
            care,
            "Call me",
            FeedbackFields {
                answer_by,
                ..FeedbackFields::default()
            },
        );
        caller
            .post("/api/tickets", &request)
            .await
            .assert_invalid("answer_by");
    }
    let here = form_request(care, "Here is fine", FeedbackFields::default());
    assert_eq!(
        caller.post("/api/tickets", &here).await.status,
        StatusCode::CREATED
    );

    // Staff do not send members' forms; a department not offered is not found.
    let refused = olga
        .post("/api/tickets", &form_request(care, "Staff", fine.clone()))
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    let hidden = server.state.desk.departments().await.expect("departments");
    let billing = hidden
        .iter()
        .find(|d| d.name == "Billing")
        .expect("Billing")
        .id;
    let ada = server.signed_in(common::people::ADA).await;
    let hide = ada
        .post(
            "/api/admin",
            &app::protocol::AdminAction::UpdateDepartment {
                id: billing,
                name: "Billing".into(),
                public: false,
            },
        )
        .await;
    assert!(hide.status.is_success(), "{}", hide.body);
    let unseen = anna
        .post("/api/tickets", &form_request(billing, "Billing", fine))
        .await;
    assert_eq!(unseen.status, StatusCode::NOT_FOUND, "{}", unseen.body);
    server.stop().await;
}

/// A new member of the desk at `address`, signed in.
async fn member_at(server: &TestServer, address: &str) -> Client {
    server
        .state
        .desk
        .create_person(
            server::service::NewPerson::parse(
                address,
                "Mila Form",
                Role::Member,
                server::service::demo::PASSWORD,
                Vec::new(),
            )
            .expect("a person"),
        )
        .await
        .expect("created");
    server.signed_in(address).await
}

async fn mailed(backend: Backend) {
    let Some((servers, server)) = MailServers::with_desk(backend).await else {
        return;
    };
    let address = fresh_address("mila", "example.org");
    let mila = member_at(&server, &address).await;
    let care = mila.department("Customer care").await;
    let send = |subject: &'static str, answer_by| {
        let mila = mila.clone();
        async move {
            let request = form_request(
                care,
                subject,
                FeedbackFields {
                    answer_by,
                    ..FeedbackFields::default()
                },
            );
            let sent = mila.post("/api/tickets", &request).await;
            assert_eq!(sent.status, StatusCode::CREATED, "{}", sent.body);
            sent.json::<Written>().ticket_id
        }
    };
    // Answered here: no confirmation. Confirmed, and answered by mail: one each, at once.
    let here = send("Answer me here", AnswerBy::Here).await;
    let confirmed = send("Confirm it", AnswerBy::Confirmation).await;
    let by_mail = send("Write to me", AnswerBy::Email).await;
    let mails = servers.wait_for_mails(&address, 2).await;
    let subjects: Vec<String> = mails
        .iter()
        .map(|raw| {
            let mail = MessageParser::default().parse(raw).expect("a mail");
            mail.subject().expect("a subject").to_owned()
        })
        .collect();
    let tag = |t: TicketId| format!("[#{}]", t.0);
    assert!(
        subjects.iter().any(|s| s.contains(&tag(confirmed))),
        "{subjects:?}"
    );
    assert!(
        subjects.iter().any(|s| s.contains(&tag(by_mail))),
        "{subjects:?}"
    );
    assert!(
        subjects
            .iter()
            .all(|s| s.starts_with("We have your request") && !s.contains(&tag(here))),
        "{subjects:?}"
    );
    let first = MessageParser::default()
        .parse(&mails[0])
        .expect("a mail")
        .header_raw("Auto-Submitted")
        .map(str::trim)
        .map(str::to_owned);
    assert_eq!(
        first.as_deref(),
        Some("auto-generated"),
        "a confirmation is the desk's"
    );

    // An answer to the form that asked for mail goes at once, as its own mail.
    let olga = server.signed_in(OLGA).await;
    let answered = olga.message(by_mail, &said("The site is back up.")).await;
    assert!(answered.status.is_success(), "{}", answered.body);
    let mails = servers.wait_for_mails(&address, 3).await;
    let answer = &mails[2];
    let answer = MessageParser::default().parse(answer).expect("a mail");
    assert!(
        answer
            .body_text(0)
            .is_some_and(|t| t.contains("The site is back up.")),
        "the answer itself"
    );
    assert_eq!(
        answer.subject(),
        Some(format!("Re: Write to me {}", tag(by_mail)).as_str())
    );
    server.stop().await;
}
