//! Reading a frame: text in, a command or the refusal to answer with out. Pure, so that every
//! malformed or hostile frame is tested without a socket.

use app::protocol::{Command, CommandId, ErrorCode, limits};
use serde::Deserialize;

/// Why a frame was not read as a command: what the socket answers (and it stays open).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub code: ErrorCode,
    pub message: String,
    /// The frame's `command_id`, when it had one, so the client can match the refusal.
    pub command_id: Option<CommandId>,
}

/// Reads one text frame as a command.
pub fn read(text: &str) -> Result<Command, Refusal> {
    if text.len() > limits::MAX_FRAME_BYTES {
        return Err(Refusal {
            code: ErrorCode::TooLarge,
            message: format!("frames are at most {} bytes", limits::MAX_FRAME_BYTES),
            command_id: None,
        });
    }
    let value: serde_json::Value = serde_json::from_str(text).map_err(|err| Refusal {
        code: ErrorCode::Malformed,
        message: format!("the frame is not JSON: {err}"),
        command_id: None,
    })?;
    let command_id = value
        .get("command_id")
        .and_then(serde_json::Value::as_u64)
        .map(CommandId);
    let known = value
        .get("type")
        .and_then(serde_json::Value::as_str)
        .is_none_or(is_command);
    serde_json::from_value::<Command>(value).map_err(|err| Refusal {
        code: if known {
            ErrorCode::Malformed
        } else {
            ErrorCode::UnknownCommand
        },
        message: err.to_string(),
        command_id,
    })
}

/// Whether `name` is the `type` of a command. Asks the protocol's own deserializer, so a new
/// command is known the moment it exists: a frame holding only `type` fails on a missing field
/// when the name is known, and on an unknown variant when it is not.
fn is_command(name: &str) -> bool {
    use serde::de::value::MapDeserializer;
    let frame = MapDeserializer::<_, Probe>::new(std::iter::once(("type", name)));
    !matches!(Command::deserialize(frame), Err(Probe::UnknownVariant))
}

/// The deserializer's verdict on a probe, told apart by kind rather than by its wording.
#[derive(Debug)]
enum Probe {
    UnknownVariant,
    Other,
}

impl std::fmt::Display for Probe {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Probe::UnknownVariant => "unknown command",
            Probe::Other => "not a command",
        })
    }
}

impl std::error::Error for Probe {}

impl serde::de::Error for Probe {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        Probe::Other
    }

    fn unknown_variant(_: &str, _: &'static [&'static str]) -> Self {
        Probe::UnknownVariant
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::protocol::{Seq, TicketId, Topic};

    fn refused(text: &str) -> (ErrorCode, Option<CommandId>) {
        let refusal = read(text).expect_err(text);
        (refusal.code, refusal.command_id)
    }

    #[test]
    fn a_well_formed_command_is_read() {
        assert_eq!(
            read(r#"{"type":"subscribe","topic":{"kind":"ticket","id":4},"since":2}"#),
            Ok(Command::Subscribe {
                topic: Topic::Ticket { id: TicketId(4) },
                since: Some(Seq(2)),
                filter: None,
            })
        );
        assert_eq!(
            read(r#"{"type":"take","command_id":9,"ticket_id":1}"#)
                .ok()
                .and_then(|c| c.command_id()),
            Some(CommandId(9))
        );
    }

    #[test]
    fn bad_frames_are_refused_with_the_code_that_says_why() {
        let cases = [
            ("{this is not json", ErrorCode::Malformed, None, "not JSON"),
            ("[1,2,3]", ErrorCode::Malformed, None, "not an object"),
            (r#"{"ticket_id":1}"#, ErrorCode::Malformed, None, "no type"),
            (
                r#"{"type":7}"#,
                ErrorCode::Malformed,
                None,
                "a type that is no name",
            ),
            (
                r#"{"type":"launch_rockets","command_id":3}"#,
                ErrorCode::UnknownCommand,
                Some(CommandId(3)),
                "an unknown command",
            ),
            (
                r#"{"type":"take","command_id":5}"#,
                ErrorCode::Malformed,
                Some(CommandId(5)),
                "a known command missing a field",
            ),
            (
                r#"{"type":"take","command_id":5,"ticket_id":"x"}"#,
                ErrorCode::Malformed,
                Some(CommandId(5)),
                "a field of the wrong type",
            ),
        ];
        for (frame, code, command_id, description) in cases {
            assert_eq!(refused(frame), (code, command_id), "{description}");
        }
    }

    #[test]
    fn an_oversize_frame_is_refused_before_it_is_parsed() {
        let frame = format!(
            r#"{{"type":"ping","nonce":"{}"}}"#,
            "a".repeat(limits::MAX_FRAME_BYTES)
        );
        assert_eq!(refused(&frame), (ErrorCode::TooLarge, None));
    }

    #[test]
    fn every_command_name_is_known() {
        for name in [
            "subscribe",
            "send_message",
            "take",
            "presence",
            "set_away",
            "ping",
        ] {
            assert!(is_command(name), "{name}");
        }
        assert!(!is_command("launch_rockets"));
        assert!(!is_command("Take"), "names are snake_case");
    }
}
