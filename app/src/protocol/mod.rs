//! The wire protocol: every WebSocket command and event and every HTTP API body.
//!
//! The server, the browser UI, the integration tests and the load generator all use these
//! types, so nothing on the wire is described twice. Frames are JSON objects tagged by a
//! `type` field in `snake_case`.

mod accounts;
mod admin;
mod calls;
mod diagnostics;
mod errors;
mod feedback;
mod http;
mod ids;
mod mail;
mod me;
mod notifications;
mod people;
mod socket;
mod stats;
mod ticket;
mod tokens;
mod workspace;

pub use accounts::*;
pub use admin::*;
pub use calls::*;
pub use diagnostics::*;
pub use errors::*;
pub use feedback::*;
pub use http::*;
pub use ids::*;
pub use mail::*;
pub use me::*;
pub use notifications::*;
pub use people::*;
pub use socket::*;
pub use stats::*;
pub use ticket::*;
pub use tokens::*;
pub use workspace::*;

/// Limits enforced by the server (and checked early by the UI).
pub mod limits {
    /// Longest message body, in characters.
    pub const MAX_BODY_CHARS: usize = 20_000;
    /// Longest subject, in characters.
    pub const MAX_SUBJECT_CHARS: usize = 200;
    /// Largest WebSocket frame the server reads and answers with an error event, in bytes.
    pub const MAX_FRAME_BYTES: usize = 128 * 1024;
    /// Largest HTTP JSON body, in bytes.
    pub const MAX_HTTP_BODY_BYTES: usize = 128 * 1024;
    /// Longest search query, in characters.
    pub const MAX_QUERY_CHARS: usize = 200;
    /// Most words a search query uses; further words are ignored.
    pub const MAX_QUERY_WORDS: usize = 8;
    /// Most hits one search returns.
    pub const SEARCH_HITS: usize = 50;
    /// Longest file name kept, in characters.
    pub const MAX_FILE_NAME_CHARS: usize = 200;
    /// Most files sent with one message.
    pub const MAX_ATTACHMENTS: usize = 10;
}

/// `raw` percent-encoded but for RFC 3986's unreserved characters: safe in a URL's path or
/// query and in an RFC 5987 header value (a file's name).
pub fn percent_encode(raw: &str) -> String {
    raw.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

// ---- HTTP bodies ----

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_read_as_documented() {
        let cmd: Command = serde_json::from_str(
            r#"{"type":"send_message","command_id":7,"ticket_id":3,"client_msg_id":"a-1","body":"hi"}"#,
        )
        .unwrap();
        assert_eq!(
            cmd,
            Command::SendMessage {
                command_id: CommandId(7),
                ticket_id: TicketId(3),
                client_msg_id: ClientMsgId::parse("a-1").unwrap(),
                body: "hi".into(),
                hidden: false,
                close: false,
                attachments: Vec::new(),
                seen: None,
            }
        );
        let sub: Command = serde_json::from_str(
            r#"{"type":"subscribe","topic":{"kind":"ticket","id":3},"since":5}"#,
        )
        .unwrap();
        assert_eq!(
            sub,
            Command::Subscribe {
                topic: Topic::Ticket { id: TicketId(3) },
                since: Some(Seq(5)),
                filter: None,
            }
        );
    }

    #[test]
    fn a_filter_admits_by_state_and_parameters() {
        let mut t: TicketSummary = serde_json::from_value(serde_json::json!({
            "id": 1, "subject": "s", "member": {"id": 2, "name": "m", "role": "member"},
            "department": {"id": 3, "name": "d"}, "status": "open", "channel": "chat",
            "created_at": 0, "updated_at": 0, "last_seq": 1, "revision": 1, "preview": null,
            "last_author_role": null, "unread": 0, "assignee": null, "archived": false,
            "params": {"criticality": {"id": 7, "label": "High"}}
        }))
        .unwrap();
        let high = TicketFilter {
            criticality: Some(OptionId(7)),
            ..TicketFilter::default()
        };
        assert!(high.admits(&t));
        assert!(
            !TicketFilter {
                criticality: Some(OptionId(8)),
                ..high.clone()
            }
            .admits(&t)
        );
        assert!(
            !TicketFilter {
                department: Some(DepartmentId(4)),
                ..high.clone()
            }
            .admits(&t)
        );
        t.status = TicketStatus::Closed;
        assert!(!high.admits(&t), "the queue holds open tickets");
        let waiting = TicketFilter {
            state: BoardState::AwaitingMember,
            ..high
        };
        assert!(waiting.admits(&t));
        t.archived = true;
        assert!(!waiting.admits(&t));
        assert!(
            TicketFilter {
                state: BoardState::Archived,
                ..TicketFilter::default()
            }
            .admits(&t)
        );
    }

    #[test]
    fn client_msg_id_rejects_bad_text() {
        for bad in ["", "has space", "ünïcode", &"x".repeat(65)] {
            assert!(
                ClientMsgId::parse(bad).is_err(),
                "{bad:?} should be refused"
            );
        }
        assert!(serde_json::from_str::<ClientMsgId>(r#""../etc""#).is_err());
    }

    #[test]
    fn ticket_event_flattens_its_kind() {
        let ev = TicketEvent {
            ticket_id: TicketId(1),
            seq: Seq(2),
            at: 0,
            author: None,
            kind: EventKind::Message {
                body: "x".into(),
                client_msg_id: None,
                attachments: Vec::new(),
                mail: None,
            },
        };
        let json = serde_json::to_value(&ev).unwrap();
        assert_eq!(json["kind"], "message");
        assert_eq!(json["body"], "x");
        assert_eq!(serde_json::from_value::<TicketEvent>(json).unwrap(), ev);
    }
}
