//! Who receives what: every reader against every item, and random ticket logs.

use super::*;
use crate::domain::fixtures::{SCOPE, viewer};
use app::protocol::{Channel, Department, DepartmentId, Person, Seq, TicketStatus, UserId};

#[test]
fn who_can_view_a_ticket() {
    let cases = [
        (viewer(Role::Member, 10, &[]), true, "its member"),
        (viewer(Role::Member, 11, &[]), false, "another member"),
        (
            viewer(Role::Operator, 20, &[2]),
            true,
            "an operator of its department",
        ),
        (
            viewer(Role::Operator, 21, &[1, 3]),
            false,
            "an operator of other departments",
        ),
        (
            Viewer {
                kept: vec![SCOPE.id],
                ..viewer(Role::Operator, 22, &[1])
            },
            true,
            "an operator who passed it on to its department",
        ),
        (
            Viewer {
                kept: vec![SCOPE.id],
                ..viewer(Role::Member, 11, &[])
            },
            false,
            "a member, whatever the list says",
        ),
        (viewer(Role::Moderator, 30, &[]), true, "a moderator"),
        (
            viewer(Role::Administrator, 40, &[]),
            true,
            "an administrator",
        ),
    ];
    for (who, expected, description) in cases {
        assert_eq!(can_view(&who, &SCOPE), expected, "{description}");
    }
}

#[test]
fn members_get_public_numbering_and_never_staff_events() {
    let message = EventKind::Message {
        body: "hello".into(),
        client_msg_id: None,
        attachments: Vec::new(),
        mail: None,
    };
    let public = StoredEvent {
        scope: SCOPE,
        seq: Seq(5),
        public_seq: Some(Seq(3)),
        at: 0,
        author: None,
        kind: message.clone(),
        ref_public_seq: None,
        notified: Vec::new(),
    };
    let staff_only = StoredEvent {
        public_seq: None,
        ..public.clone()
    };
    let member = viewer(Role::Member, 10, &[]);
    let operator = viewer(Role::Operator, 20, &[2]);
    assert_eq!(event_for(&member, &public).unwrap().seq, Seq(3));
    assert_eq!(event_for(&operator, &public).unwrap().seq, Seq(5));
    assert_eq!(event_for(&member, &staff_only), None);
    assert!(event_for(&operator, &staff_only).is_some());
    assert_eq!(event_for(&viewer(Role::Member, 11, &[]), &public), None);
}

#[test]
fn members_see_public_fields_of_a_summary() {
    let record = TicketRecord {
        scope: SCOPE,
        summary: TicketSummary {
            id: SCOPE.id,
            subject: "s".into(),
            member: Person {
                id: UserId(10),
                name: "m".into(),
                role: Role::Member,
            },
            department: Department {
                id: DepartmentId(2),
                name: "d".into(),
            },
            status: TicketStatus::Open,
            channel: Channel::Chat,
            created_at: 0,
            updated_at: 900,
            last_seq: Seq(9),
            revision: 7,
            preview: Some("internal".into()),
            last_author_role: Some(Role::Operator),
            unread: 0,
            assignee: Some(Person {
                id: UserId(20),
                name: "o".into(),
                role: Role::Operator,
            }),
            taken_at: Some(5),
            lapsed_at: Some(6),
            archived: false,
            params: app::protocol::TicketParams {
                criticality: Some(app::protocol::OptionRef {
                    id: app::protocol::OptionId(3),
                    label: "High".into(),
                }),
                ..Default::default()
            },
            queue: None,
            answer_by: None,
            member_wrote_at: Some(800),
            answered: true,
            seen_at: None,
        },
        last_public_seq: Seq(4),
        public_preview: Some("public".into()),
        public_author_role: Some(Role::Member),
        member_unread: 2,
        member_revision: 3,
        member_updated_at: 400,
    };
    let seen = summary_for(&viewer(Role::Member, 10, &[]), &record).unwrap();
    assert_eq!(
        (seen.last_seq, seen.preview.as_deref(), seen.unread),
        (Seq(4), Some("public"), 2)
    );
    assert_eq!(
        (seen.revision, seen.updated_at),
        (3, 400),
        "members see only what they may see move"
    );
    assert_eq!(
        seen.assignee, None,
        "members do not see who holds the ticket"
    );
    assert_eq!(seen.taken_at, None, "nor since when");
    assert_eq!(seen.lapsed_at, None, "nor that a take lapsed");
    assert_eq!(
        seen.params,
        Default::default(),
        "nor its internal parameters"
    );
    assert_eq!(
        (seen.member_wrote_at, seen.answered),
        (None, false),
        "nor the board's waiting clock"
    );
    let staff = summary_for(&viewer(Role::Operator, 20, &[2]), &record).unwrap();
    assert_eq!(staff.preview.as_deref(), Some("internal"));
    assert_eq!((staff.revision, staff.updated_at), (7, 900));
    assert_eq!((staff.member_wrote_at, staff.answered), (Some(800), true));
    assert!(summary_for(&viewer(Role::Operator, 21, &[3]), &record).is_none());
}

#[test]
fn hidden_notes_and_locks_are_for_staff_only() {
    let note = EventKind::Note {
        body: "x".into(),
        client_msg_id: None,
        attachments: Vec::new(),
    };
    assert_eq!(audience(&note), Audience::Staff);
    assert_eq!(audience(&EventKind::Taken), Audience::Staff);
    assert_eq!(audience(&EventKind::Closed), Audience::Everyone);
    // What the mail system said about a mail to the member is staff's to know.
    let undelivered = EventKind::Undelivered {
        message_seq: Seq(3),
        to: "anna@example.com".into(),
        reason: "550 mailbox does not exist".into(),
    };
    assert_eq!(audience(&undelivered), Audience::Staff);
}

/// Who is reading, for the table below.
fn readers() -> [(&'static str, Option<Viewer>); 6] {
    [
        ("its member", Some(viewer(Role::Member, 10, &[]))),
        (
            "an operator of its department",
            Some(viewer(Role::Operator, 20, &[2])),
        ),
        (
            "an operator of another department",
            Some(viewer(Role::Operator, 21, &[3])),
        ),
        ("a moderator", Some(viewer(Role::Moderator, 30, &[]))),
        (
            "an administrator",
            Some(viewer(Role::Administrator, 40, &[])),
        ),
        ("someone signed out", None),
    ]
}

fn stored(seq: i64, public_seq: Option<i64>, kind: EventKind) -> StoredEvent {
    StoredEvent {
        scope: SCOPE,
        seq: Seq(seq),
        public_seq: public_seq.map(Seq),
        at: 0,
        author: None,
        kind,
        ref_public_seq: None,
        notified: Vec::new(),
    }
}

#[test]
fn who_receives_what_in_every_cell() {
    let message = stored(
        2,
        Some(2),
        EventKind::Message {
            body: "hello".into(),
            client_msg_id: None,
            attachments: Vec::new(),
            mail: None,
        },
    );
    let note = stored(
        3,
        None,
        EventKind::Note {
            body: "internal".into(),
            client_msg_id: None,
            attachments: Vec::new(),
        },
    );
    let taken = stored(4, None, EventKind::Taken);
    let closed = stored(5, Some(3), EventKind::Closed);
    let file_on_message = FileScope {
        uploader: UserId(20),
        ticket: Some(SCOPE),
        hidden: false,
    };
    let file_on_note = FileScope {
        uploader: UserId(20),
        ticket: Some(SCOPE),
        hidden: true,
    };
    let event = |reader: &Option<Viewer>, e: &StoredEvent| {
        reader.as_ref().is_some_and(|v| event_for(v, e).is_some())
    };
    let file = |reader: &Option<Viewer>, f: &FileScope| may_fetch_file(reader.as_ref(), f);
    // A notification of something another operator (22) did.
    let notification = |reader: &Option<Viewer>| {
        reader
            .as_ref()
            .is_some_and(|v| notified(v, &SCOPE, UserId(22)))
    };
    const Y: bool = true;
    const N: bool = false;
    // message, hidden note, lock taken (staff-only system event), closed (system event
    // for everyone), file on a message, file on a note, notification.
    let expected = [
        ("its member", [Y, N, N, Y, Y, N, N]),
        ("an operator of its department", [Y, Y, Y, Y, Y, Y, Y]),
        ("an operator of another department", [N, N, N, N, N, N, N]),
        ("a moderator", [Y, Y, Y, Y, Y, Y, Y]),
        ("an administrator", [Y, Y, Y, Y, Y, Y, Y]),
        ("someone signed out", [N, N, N, N, N, N, N]),
    ];
    let columns = [
        "a message",
        "a hidden note",
        "a lock taken",
        "the ticket closed",
        "a file on a message",
        "a file on a note",
        "a notification",
    ];
    for ((who, reader), (row_who, row)) in readers().iter().zip(expected) {
        assert_eq!(*who, row_who);
        let got = [
            event(reader, &message),
            event(reader, &note),
            event(reader, &taken),
            event(reader, &closed),
            file(reader, &file_on_message),
            file(reader, &file_on_note),
            notification(reader),
        ];
        for ((column, got), want) in columns.iter().zip(got).zip(row) {
            assert_eq!(got, want, "{who} receives {column}");
        }
    }
    // Nobody is notified of their own act; an unsent file is its uploader's alone.
    let olga = viewer(Role::Operator, 20, &[2]);
    assert!(!notified(&olga, &SCOPE, UserId(20)));
    let unsent = FileScope {
        uploader: UserId(10),
        ticket: None,
        hidden: true,
    };
    assert!(may_fetch_file(
        Some(&viewer(Role::Member, 10, &[])),
        &unsent
    ));
    assert!(!may_fetch_file(Some(&olga), &unsent));
    assert!(!may_fetch_file(
        Some(&viewer(Role::Moderator, 30, &[])),
        &unsent
    ));
}

/// An event of some kind, as people could append it to a ticket whose log so far holds
/// the messages and notes `messages` (an edit refers to one of them).
fn random_kind(rng: &mut fastrand::Rng, messages: &[(Seq, bool)]) -> EventKind {
    let text = |rng: &mut fastrand::Rng| format!("text {}", rng.u64(..1000));
    match rng.u64(..14) {
        0..=2 => EventKind::Message {
            body: text(rng),
            client_msg_id: None,
            attachments: Vec::new(),
            mail: None,
        },
        3..=4 => EventKind::Note {
            body: text(rng),
            client_msg_id: None,
            attachments: Vec::new(),
        },
        5 => EventKind::Taken,
        6 => EventKind::Released { holder: None },
        7 => EventKind::Closed,
        8 => EventKind::Reopened,
        9 => EventKind::ParametersChanged {
            changes: Vec::new(),
        },
        10 => EventKind::Assigned {
            from: None,
            to: Person {
                id: UserId(20),
                name: "Olga".into(),
                role: Role::Operator,
            },
        },
        _ => match messages.get(rng.usize(..messages.len().max(1))) {
            Some(&(message_seq, hidden)) => EventKind::Edited {
                message_seq,
                body: text(rng),
                previous: text(rng),
                hidden,
            },
            None => EventKind::Closed,
        },
    }
}

#[test]
fn nothing_staff_only_ever_reaches_a_member_and_her_numbering_has_no_holes() {
    // Seeded: the same 500 logs every run.
    let mut rng = fastrand::Rng::with_seed(0x5EED_CAFE_F00D_BEEF);
    let member = viewer(Role::Member, 10, &[]);
    let operator = viewer(Role::Operator, 20, &[2]);
    for stream in 0..500 {
        let length = 1 + rng.u64(..60);
        // Numbered as the store numbers them: every event in staff's sequence, the
        // events for everyone in the member's too.
        let (mut last, mut last_public) = (0, 0);
        // Messages and notes so far: their staff seq, whether hidden, and the member's seq.
        let mut written: Vec<(Seq, bool)> = Vec::new();
        let mut public_of: Vec<(Seq, Seq)> = Vec::new();
        let mut log = Vec::new();
        for _ in 0..length {
            let kind = random_kind(&mut rng, &written);
            last += 1;
            let public = audience(&kind) == Audience::Everyone;
            if public {
                last_public += 1;
            }
            let ref_public_seq = match &kind {
                EventKind::Edited { message_seq, .. } => public_of
                    .iter()
                    .find(|(staff, _)| staff == message_seq)
                    .map(|(_, public)| *public),
                _ => None,
            };
            match &kind {
                EventKind::Message { .. } => {
                    written.push((Seq(last), false));
                    public_of.push((Seq(last), Seq(last_public)));
                }
                EventKind::Note { .. } => written.push((Seq(last), true)),
                _ => {}
            }
            log.push(StoredEvent {
                ref_public_seq,
                ..stored(last, public.then_some(last_public), kind)
            });
        }
        let seen: Vec<TicketEvent> = log.iter().filter_map(|e| event_for(&member, e)).collect();
        for (i, event) in seen.iter().enumerate() {
            assert_eq!(
                event.seq,
                Seq(i as i64 + 1),
                "stream {stream}: a hole or a repeat"
            );
            assert_eq!(
                audience(&event.kind),
                Audience::Everyone,
                "stream {stream}: {:?} reached the member",
                event.kind
            );
            let json = serde_json::to_string(event).expect("serialisable");
            assert!(!json.contains("\"note\""), "stream {stream}: {json}");
            if let EventKind::Edited { message_seq, .. } = &event.kind {
                assert!(
                    seen[..i]
                        .iter()
                        .any(|e| e.seq == *message_seq
                            && matches!(e.kind, EventKind::Message { .. })),
                    "stream {stream}: an edit points at a message she has, in her numbering"
                );
            }
        }
        assert_eq!(seen.len() as i64, last_public, "stream {stream}");
        let staff_seen = log.iter().filter_map(|e| event_for(&operator, e)).count();
        assert_eq!(staff_seen as i64, last, "staff see every event");
    }
}

#[test]
fn a_mail_as_it_came_is_for_staff_who_may_see_where_it_went() {
    let in_ticket = Some(&SCOPE);
    let cases = [
        (viewer(Role::Member, 10, &[]), false, false, "its sender"),
        (
            viewer(Role::Operator, 20, &[2]),
            true,
            true,
            "its department",
        ),
        (viewer(Role::Operator, 21, &[1]), false, false, "elsewhere"),
        (viewer(Role::Moderator, 30, &[]), true, true, "a moderator"),
    ];
    for (who, ticket, waiting, description) in cases {
        assert_eq!(
            may_read_mail(&who, SCOPE.department_id, in_ticket),
            ticket,
            "{description}, in a ticket"
        );
        assert_eq!(
            may_read_mail(&who, SCOPE.department_id, None),
            waiting,
            "{description}, waiting"
        );
    }
}
