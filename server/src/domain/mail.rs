//! The rules of mail: which ticket a mail answers, who sent it, whether a robot did, and
//! what of its text is new. Pure functions over values; the parsing itself is in `mail/`.

use app::protocol::{AnswerBy, Channel, MailReplies, Role, TicketId};

/// How an answer reaches the ticket's member by mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mailing {
    /// Its own mail, at once: the ticket came by mail, or its member asked for answers by
    /// mail.
    Reply,
    /// A digest of the ticket's answers a little later, unless read in the widget by then
    /// (or always, as the member chose).
    Digest,
}

/// Whether and how a message goes to the ticket's member by mail: only an answer from staff
/// — never a hidden note, by this or any other path: this is the one gate mail out passes —
/// on a ticket that came by mail or whose member asked for answers by mail (`answer_by`:
/// on the feedback form, or since), or on another whose member wants mail (`prefers`).
pub fn mailing(
    channel: Channel,
    answer_by: Option<AnswerBy>,
    author: Role,
    hidden: bool,
    prefers: MailReplies,
) -> Option<Mailing> {
    if hidden || !author.is_staff() {
        return None;
    }
    match (channel, answer_by) {
        (Channel::Email, _) | (_, Some(AnswerBy::Email)) => Some(Mailing::Reply),
        _ if prefers == MailReplies::Never => None,
        _ => Some(Mailing::Digest),
    }
}

/// How long a mail waits after its `attempts`-th temporary failure: a minute, doubling up
/// to an hour; `None` once it has been tried for about two days.
pub fn retry_after_ms(attempts: i64) -> Option<i64> {
    const MINUTE: i64 = 60_000;
    const GIVE_UP_AFTER: i64 = 60;
    if attempts >= GIVE_UP_AFTER {
        return None;
    }
    let doubling = 1i64 << attempts.clamp(1, 7).saturating_sub(1);
    Some((MINUTE * doubling).min(60 * MINUTE))
}

/// The ticket number a subject carries, as our mails write it: `[#1042]` anywhere in the
/// subject (a changed subject keeps it as long as the tag stays).
pub fn ticket_in_subject(subject: &str) -> Option<TicketId> {
    let mut rest = subject;
    while let Some(start) = rest.find("[#") {
        let after = &rest[start + 2..];
        let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
        if !digits.is_empty()
            && after[digits.len()..].starts_with(']')
            && let Ok(id) = digits.parse::<i64>()
        {
            return Some(TicketId(id));
        }
        rest = after;
    }
    None
}

/// An address as people are matched by it: lower case, and without a `+tag` in the local
/// part (`Anna+Shop@Example.com` is `anna@example.com`). `None` for what is no address.
pub fn address_key(raw: &str) -> Option<String> {
    let raw = raw.trim().trim_start_matches('<').trim_end_matches('>');
    let (local, domain) = raw.rsplit_once('@')?;
    let local = local.split('+').next().unwrap_or(local);
    if local.is_empty() || domain.is_empty() || domain.contains(char::is_whitespace) {
        return None;
    }
    Some(format!(
        "{}@{}",
        local.to_lowercase(),
        domain.to_lowercase()
    ))
}

/// Headers that say a mail was sent by a program, not a person (RFC 3834 and the
/// conventions around it): such mail never gets an automatic answer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RobotSigns<'a> {
    pub auto_submitted: Option<&'a str>,
    pub precedence: Option<&'a str>,
    pub x_autoreply: bool,
    pub x_autorespond: bool,
    pub return_path_empty: bool,
    pub from: Option<&'a str>,
    pub content_type_report: bool,
}

/// Whether a mail with these signs was sent by a program (an out-of-office, a bounce, a
/// list): it is taken in, but nothing is ever mailed back because of it.
pub fn sent_by_a_robot(signs: &RobotSigns<'_>) -> bool {
    let automatic = signs
        .auto_submitted
        .is_some_and(|v| !v.trim().eq_ignore_ascii_case("no"));
    let bulk = signs.precedence.is_some_and(|v| {
        matches!(
            v.trim().to_ascii_lowercase().as_str(),
            "bulk" | "junk" | "list" | "auto_reply"
        )
    });
    let daemon = signs.from.and_then(address_key).is_some_and(|a| {
        let local = a.split('@').next().unwrap_or("");
        matches!(
            local,
            "mailer-daemon" | "postmaster" | "noreply" | "no-reply" | "do-not-reply"
        )
    });
    automatic
        || bulk
        || signs.x_autoreply
        || signs.x_autorespond
        || signs.return_path_empty
        || signs.content_type_report
        || daemon
}

/// The text a mail's message carries: what is new in it (the quoted history cut), within a
/// message's length, the subject when it says nothing else; and the history it quoted, to
/// fold below it.
pub fn message_text(body: &str, subject: &str) -> (String, app::protocol::ByMail) {
    let limit = app::protocol::limits::MAX_BODY_CHARS;
    let new = new_text(body);
    let quoted = body[new.len()..].trim_matches(['\n', '\r']);
    let new = new.trim();
    let text = if new.is_empty() { subject.trim() } else { new };
    let text = if text.is_empty() { "—" } else { text };
    let quoted = app::protocol::ByMail {
        quoted: quoted.chars().take(limit).collect(),
    };
    (text.chars().take(limit).collect(), quoted)
}

/// What a reply mail says that is new: the text above the quoted history ("On … wrote:",
/// "-----Original Message-----", "> " lines at the end, the Russian clients' "пишет:").
/// The whole text when nothing looks quoted.
pub fn new_text(body: &str) -> &str {
    let mut cut = body.len();
    let mut offset = 0;
    for line in body.split_inclusive('\n') {
        let trimmed = line.trim();
        let lower = trimmed.to_lowercase();
        let starts_history = lower.starts_with("-----original message-----")
            || lower.starts_with("-----исходное сообщение-----")
            || lower.starts_with("________________________________")
            || (lower.starts_with("on ") && lower.ends_with("wrote:"))
            || lower.ends_with("пишет:")
            || lower.ends_with("написал:")
            || lower.ends_with("написал(а):");
        if starts_history {
            cut = offset;
            break;
        }
        offset += line.len();
    }
    let head = &body[..cut];
    // Trailing "> " lines are quoted too.
    let mut end = head.len();
    for line in head.split_inclusive('\n').rev() {
        let trimmed = line.trim();
        if trimmed.starts_with('>') || trimmed.is_empty() {
            end -= line.len();
        } else {
            break;
        }
    }
    let new = head[..end].trim_end();
    if new.trim().is_empty() {
        body.trim_end()
    } else {
        new
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_staff_answers_are_mailed_as_the_member_wants() {
        let away = MailReplies::Away;
        let reply = Some(Mailing::Reply);
        let mail = |channel, author, prefers| mailing(channel, None, author, false, prefers);
        assert_eq!(mail(Channel::Email, Role::Operator, away), reply);
        assert_eq!(mail(Channel::Email, Role::Administrator, away), reply);
        assert_eq!(
            mail(Channel::Email, Role::Operator, MailReplies::Never),
            reply,
            "a mail ticket is answered by mail"
        );
        for prefers in [MailReplies::Away, MailReplies::Always, MailReplies::Never] {
            for channel in Channel::ALL {
                for answer_by in [None, Some(AnswerBy::Email)] {
                    assert_eq!(
                        mailing(channel, answer_by, Role::Operator, true, prefers),
                        None,
                        "a hidden note"
                    );
                    assert_eq!(
                        mailing(channel, answer_by, Role::Member, false, prefers),
                        None,
                        "the member's own words"
                    );
                }
            }
        }
        assert_eq!(
            mail(Channel::Chat, Role::Operator, away),
            Some(Mailing::Digest)
        );
        assert_eq!(
            mail(Channel::Chat, Role::Operator, MailReplies::Never),
            None
        );
    }

    #[test]
    fn a_form_is_answered_the_way_its_author_asked() {
        let form = |answer_by, prefers| {
            mailing(
                Channel::Form,
                Some(answer_by),
                Role::Operator,
                false,
                prefers,
            )
        };
        for prefers in [MailReplies::Away, MailReplies::Always, MailReplies::Never] {
            assert_eq!(form(AnswerBy::Email, prefers), Some(Mailing::Reply));
            assert_eq!(
                mailing(
                    Channel::Chat,
                    Some(AnswerBy::Email),
                    Role::Operator,
                    false,
                    prefers
                ),
                Some(Mailing::Reply),
                "a chat whose member asked for mail"
            );
        }
        for answer_by in [AnswerBy::Here, AnswerBy::Confirmation] {
            assert_eq!(form(answer_by, MailReplies::Away), Some(Mailing::Digest));
            assert_eq!(form(answer_by, MailReplies::Never), None);
        }
    }

    #[test]
    fn retries_back_off_then_give_up() {
        assert_eq!(retry_after_ms(1), Some(60_000));
        assert_eq!(retry_after_ms(2), Some(120_000));
        assert_eq!(retry_after_ms(7), Some(3_600_000));
        assert_eq!(retry_after_ms(30), Some(3_600_000));
        assert_eq!(retry_after_ms(60), None);
    }

    #[test]
    fn a_ticket_number_is_read_from_the_subject_tag_only() {
        assert_eq!(ticket_in_subject("Re: [#1042] Card"), Some(TicketId(1042)));
        assert_eq!(ticket_in_subject("AW: Fwd: Card [#7]"), Some(TicketId(7)));
        assert_eq!(ticket_in_subject("Order #1042"), None);
        assert_eq!(ticket_in_subject("[#] [#12x] [#13]"), Some(TicketId(13)));
        assert_eq!(ticket_in_subject("[#99999999999999999999]"), None);
    }

    #[test]
    fn addresses_match_without_case_or_plus_tags() {
        assert_eq!(
            address_key("Anna+shop@Example.COM").as_deref(),
            Some("anna@example.com")
        );
        assert_eq!(
            address_key("<anna@example.com>").as_deref(),
            Some("anna@example.com")
        );
        assert_eq!(address_key("not an address"), None);
        assert_eq!(address_key("@example.com"), None);
    }

    #[test]
    fn robots_are_told_by_their_headers() {
        let person = RobotSigns::default();
        assert!(!sent_by_a_robot(&person));
        for signs in [
            RobotSigns {
                auto_submitted: Some("auto-replied"),
                ..person.clone()
            },
            RobotSigns {
                precedence: Some("bulk"),
                ..person.clone()
            },
            RobotSigns {
                x_autoreply: true,
                ..person.clone()
            },
            RobotSigns {
                return_path_empty: true,
                ..person.clone()
            },
            RobotSigns {
                content_type_report: true,
                ..person.clone()
            },
            RobotSigns {
                from: Some("MAILER-DAEMON@mx.example"),
                ..person.clone()
            },
        ] {
            assert!(sent_by_a_robot(&signs), "{signs:?}");
        }
        let said_no = RobotSigns {
            auto_submitted: Some("no"),
            ..person
        };
        assert!(!sent_by_a_robot(&said_no));
    }

    #[test]
    fn the_quoted_history_is_cut_from_a_reply() {
        let gmail =
            "Here it is.\n\nOn Mon, 30 Nov 2026 at 10:40, Support <s@d.example> wrote:\n> old\n";
        assert_eq!(new_text(gmail), "Here it is.");
        let outlook =
            "Also October.\n\n________________________________\nFrom: Boris\nSent: Monday\n";
        assert_eq!(new_text(outlook), "Also October.");
        let russian = "Спасибо!\n\n30.11.2026, 10:40, Поддержка пишет:\n> старое\n";
        assert_eq!(new_text(russian), "Спасибо!");
        let trailing = "Yes.\n> earlier\n> words\n";
        assert_eq!(new_text(trailing), "Yes.");
        assert_eq!(new_text("> only a quote\n"), "> only a quote");
        let (text, by_mail) = message_text("Thanks!\n\nOn Mon, Ann wrote:\n> Hello\n", "Re: x");
        assert_eq!(text, "Thanks!");
        assert_eq!(by_mail.quoted, "On Mon, Ann wrote:\n> Hello");
        let (text, by_mail) = message_text("Just new words\n", "Re: x");
        assert_eq!(
            (text.as_str(), by_mail.quoted.as_str()),
            ("Just new words", "")
        );
        assert_eq!(new_text("Plain words.\n"), "Plain words.");
    }
}
