//! The values of the call centre, parsed once: what the telephony system reports of a call
//! and how an agent ends it. Each refusal names the field and why.

use app::protocol::{Call, CallState, Callback, CallbackOutcome, CallbackState};

use super::{Error, Reason, TicketScope, accounts};

/// Longest description an agent writes when ending a call.
pub const MAX_DESCRIPTION_CHARS: usize = 4000;

fn invalid(field: &'static str, key: &'static str) -> Error {
    Error::Invalid {
        field,
        reason: Reason::new(key),
    }
}

/// A token of the telephony system's (a call id, a line, an extension): 1 to `max` visible
/// ASCII characters with no space, so that it is safe in a path, a log and a page.
fn token(field: &'static str, raw: &str, max: usize) -> Result<String, Error> {
    let raw = raw.trim();
    let ok = !raw.is_empty() && raw.len() <= max && raw.bytes().all(|b| b.is_ascii_graphic());
    if ok {
        Ok(raw.to_owned())
    } else {
        Err(invalid(field, "invalid-call-token"))
    }
}

/// The telephony system's id of a call.
pub fn call_id(raw: &str) -> Result<String, Error> {
    token("call_id", raw, 100)
}

/// The number dialled.
pub fn line(raw: &str) -> Result<String, Error> {
    token("line", raw, 32)
}

/// An agent's phone extension: 1 to 16 letters, digits, `-` or `_`.
pub fn extension(raw: &str) -> Result<String, Error> {
    let raw = raw.trim();
    let ok = !raw.is_empty()
        && raw.len() <= 16
        && raw
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_'));
    if ok {
        Ok(raw.to_owned())
    } else {
        Err(invalid("extension", "invalid-extension"))
    }
}

/// The caller's number in E.164 (a leading `8` of a Russian trunk number is read as `+7`,
/// bare digits as international).
pub fn caller(raw: &str) -> Result<String, Error> {
    let kept: String = raw
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '.'))
        .collect();
    let international = match kept.strip_prefix('+') {
        Some(_) => kept,
        None if kept.len() == 11 && kept.starts_with('8') => format!("+7{}", &kept[1..]),
        None => format!("+{kept}"),
    };
    accounts::phone(&international).map_err(|_| invalid("caller", "invalid-phone"))
}

/// What an agent writes when ending a call: control characters but line ends and tabs
/// removed, trimmed, bounded.
pub fn description(raw: &str) -> Result<String, Error> {
    let text = super::input::clean_lines(raw).trim().to_owned();
    if text.chars().count() > MAX_DESCRIPTION_CHARS {
        return Err(Error::Invalid {
            field: "description",
            reason: Reason::new("invalid-too-long").with("max", MAX_DESCRIPTION_CHARS),
        });
    }
    Ok(text)
}

/// A call as stored, with its request's scope, before it is shaped for one reader.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallRecord {
    pub call: Call,
    pub scope: TicketScope,
}

impl CallRecord {
    /// Whether the caller is still waiting for an agent.
    pub fn ringing(&self) -> bool {
        self.call.state == CallState::Ringing
    }
}

/// A callback as stored, with its request's scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallbackRecord {
    pub callback: Callback,
    pub scope: TicketScope,
}

/// Where a callback goes after `outcome` on try `attempts` (counting this one) of `max`: its
/// new state, and — when it is to be tried again — after how long.
pub fn after_outcome(
    outcome: CallbackOutcome,
    attempts: i64,
    max: i64,
    retry_after_ms: i64,
) -> (CallbackState, Option<i64>) {
    match outcome {
        CallbackOutcome::Reached => (CallbackState::Done, None),
        CallbackOutcome::GiveUp => (CallbackState::GivenUp, None),
        CallbackOutcome::NoAnswer if attempts >= max => (CallbackState::GivenUp, None),
        // Asked to call later: that try does not count against them.
        CallbackOutcome::RetryLater => (CallbackState::Waiting, Some(retry_after_ms)),
        CallbackOutcome::NoAnswer => (CallbackState::Waiting, Some(retry_after_ms)),
    }
}

/// An address for a member known only by their phone number: it names them uniquely and
/// can never receive mail (`.invalid` is reserved for that).
pub fn phone_address(phone: &str) -> String {
    format!("phone-{}@members.invalid", phone.trim_start_matches('+'))
}

/// Whether mail can ever reach `address` (not one of [`phone_address`]'s).
pub fn deliverable(address: &str) -> bool {
    !address.to_ascii_lowercase().ends_with(".invalid")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn callers_are_read_as_e164() {
        assert_eq!(caller("+7 (916) 123-45-67").unwrap(), "+79161234567");
        assert_eq!(caller("89161234567").unwrap(), "+79161234567");
        assert_eq!(caller("442071234567").unwrap(), "+442071234567");
        assert!(caller("anonymous").is_err());
        assert!(caller("").is_err());
    }

    #[test]
    fn tokens_are_bounded_and_visible() {
        assert_eq!(call_id(" 1700000000.42 ").unwrap(), "1700000000.42");
        assert!(call_id("a b").is_err());
        assert!(call_id(&"x".repeat(101)).is_err());
        assert!(line("8800\u{7}").is_err());
        assert_eq!(extension("201").unwrap(), "201");
        assert!(extension("2 01").is_err());
        assert!(extension("").is_err());
    }

    #[test]
    fn callbacks_are_tried_up_to_the_last_try() {
        use CallbackOutcome::*;
        assert_eq!(
            after_outcome(Reached, 1, 3, 60),
            (CallbackState::Done, None)
        );
        assert_eq!(
            after_outcome(NoAnswer, 1, 3, 60),
            (CallbackState::Waiting, Some(60))
        );
        assert_eq!(
            after_outcome(NoAnswer, 3, 3, 60),
            (CallbackState::GivenUp, None)
        );
        assert_eq!(
            after_outcome(RetryLater, 3, 3, 60),
            (CallbackState::Waiting, Some(60))
        );
        assert_eq!(
            after_outcome(GiveUp, 1, 3, 60),
            (CallbackState::GivenUp, None)
        );
    }

    #[test]
    fn phone_members_never_get_mail() {
        let address = phone_address("+79161234567");
        assert_eq!(address, "phone-79161234567@members.invalid");
        assert!(!deliverable(&address));
        assert!(deliverable("anna@example.com"));
    }

    #[test]
    fn descriptions_drop_control_characters() {
        assert_eq!(description("  fine\r\nline\u{7} ").unwrap(), "fine\nline");
        assert!(description(&"й".repeat(MAX_DESCRIPTION_CHARS + 1)).is_err());
    }
}
