//! How an event changes what the page holds, as pure functions over plain values: the open
//! ticket's log (each event once, in order, no hole), the list (the newest revision wins,
//! the board's filter and order kept). `Live` applies them to its signals; the unit tests
//! below apply them to values.

use std::cmp::Reverse;

use super::OpenTicket;
use crate::protocol::{
    BoardState, ClientMsgId, EventKind, TicketEvent, TicketFilter, TicketSummary,
};

/// Appends `event` to the open ticket's log when it is that ticket's next one (a repeat or
/// an event past a hole is left for the replay that fills it). Answers with the client id of
/// a message or note it carries: the page's own message, back from the log, is sent.
pub fn log_event(open: &mut Option<OpenTicket>, event: TicketEvent) -> Option<ClientMsgId> {
    let open = open.as_mut().filter(|o| o.id == event.ticket_id)?;
    if event.seq.0 != open.last_seq.0 + 1 {
        return None;
    }
    open.last_seq = event.seq;
    let accepted = match &event.kind {
        EventKind::Message {
            client_msg_id: Some(id),
            ..
        }
        | EventKind::Note {
            client_msg_id: Some(id),
            ..
        } => Some(id.clone()),
        _ => None,
    };
    open.events.push(event);
    accepted
}

/// The open ticket takes `ticket`'s new state unless it already holds a newer one.
pub fn summary_changed(open: &mut Option<OpenTicket>, ticket: &TicketSummary) {
    if let Some(open) = open.as_mut().filter(|o| {
        o.id == ticket.id
            && o.summary
                .as_ref()
                .is_none_or(|s| s.revision <= ticket.revision)
    }) {
        open.summary = Some(ticket.clone());
    }
}

/// The list takes `ticket`'s new state: an older revision changes nothing; staff's board
/// keeps only what its filter admits, the queue oldest first, everything else newest first.
pub fn list_changed(
    list: &mut Vec<TicketSummary>,
    mut ticket: TicketSummary,
    staff: bool,
    filter: &TicketFilter,
) {
    match list.iter().position(|t| t.id == ticket.id) {
        Some(i) if list[i].revision > ticket.revision => return,
        Some(i) => {
            // When this person last looked is theirs alone: news shared with all keeps it.
            let old = list.remove(i);
            ticket.seen_at = ticket.seen_at.max(old.seen_at);
        }
        None => {}
    }
    if staff && !filter.admits(&ticket) {
        return;
    }
    list.push(ticket);
    if staff && filter.state == BoardState::Queue {
        list.sort_by_key(|t| (t.created_at, t.id));
    } else {
        list.sort_by_key(|t| Reverse((t.updated_at, t.id)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::{
        Channel, Department, DepartmentId, Person, Role, Seq, TicketId, TicketStatus, UserId,
    };

    fn event(ticket: i64, seq: i64, client_msg_id: Option<&str>) -> TicketEvent {
        TicketEvent {
            ticket_id: TicketId(ticket),
            seq: Seq(seq),
            at: 0,
            author: None,
            kind: EventKind::Message {
                body: format!("message {seq}"),
                client_msg_id: client_msg_id.map(|id| ClientMsgId::parse(id).expect("an id")),
                attachments: Vec::new(),
                mail: None,
            },
        }
    }

    fn summary(id: i64, revision: i64, created_at: i64, status: TicketStatus) -> TicketSummary {
        TicketSummary {
            id: TicketId(id),
            subject: format!("ticket {id}"),
            member: Person {
                id: UserId(10),
                name: "Anna".into(),
                role: Role::Member,
            },
            department: Department {
                id: DepartmentId(1),
                name: "Customer care".into(),
            },
            status,
            channel: Channel::Chat,
            created_at,
            updated_at: created_at + revision,
            last_seq: Seq(1),
            revision,
            preview: None,
            last_author_role: None,
            unread: 0,
            assignee: None,
            taken_at: None,
            lapsed_at: None,
            archived: false,
            params: Default::default(),
            queue: None,
            answer_by: None,
            member_wrote_at: None,
            answered: false,
            seen_at: None,
        }
    }

    #[test]
    fn the_log_takes_each_event_once_in_order_and_never_past_a_hole() {
        let mut open = Some(OpenTicket::new(TicketId(7)));
        let seqs = |open: &Option<OpenTicket>| -> Vec<i64> {
            open.as_ref()
                .map(|o| o.events.iter().map(|e| e.seq.0).collect())
                .unwrap_or_default()
        };
        assert_eq!(log_event(&mut open, event(7, 1, None)), None);
        log_event(&mut open, event(7, 3, None));
        assert_eq!(seqs(&open), [1], "a hole waits for the replay");
        log_event(&mut open, event(7, 2, None));
        log_event(&mut open, event(7, 2, None));
        assert_eq!(seqs(&open), [1, 2], "a repeat is dropped");
        log_event(&mut open, event(8, 3, None));
        assert_eq!(
            seqs(&open),
            [1, 2],
            "another ticket's event is not this one's"
        );
        let mine = log_event(&mut open, event(7, 3, Some("m-1")));
        assert_eq!(
            mine.map(|id| id.as_str().to_owned()).as_deref(),
            Some("m-1")
        );
        assert_eq!(open.as_ref().map(|o| o.last_seq), Some(Seq(3)));
        assert_eq!(
            log_event(&mut None, event(7, 1, None)),
            None,
            "nothing open"
        );
    }

    #[test]
    fn the_list_keeps_the_newest_revision_the_filter_and_the_order() {
        let queue = TicketFilter::default();
        let mut board = Vec::new();
        list_changed(
            &mut board,
            summary(1, 1, 300, TicketStatus::Open),
            true,
            &queue,
        );
        list_changed(
            &mut board,
            summary(2, 1, 100, TicketStatus::Open),
            true,
            &queue,
        );
        list_changed(
            &mut board,
            summary(3, 1, 200, TicketStatus::Open),
            true,
            &queue,
        );
        let ids = |list: &[TicketSummary]| list.iter().map(|t| t.id.0).collect::<Vec<_>>();
        assert_eq!(ids(&board), [2, 3, 1], "the queue is worked oldest first");
        list_changed(
            &mut board,
            summary(3, 5, 200, TicketStatus::Open),
            true,
            &queue,
        );
        list_changed(
            &mut board,
            summary(3, 4, 200, TicketStatus::Open),
            true,
            &queue,
        );
        assert_eq!(
            board.iter().find(|t| t.id.0 == 3).map(|t| t.revision),
            Some(5),
            "newest wins"
        );
        list_changed(
            &mut board,
            summary(2, 2, 100, TicketStatus::Closed),
            true,
            &queue,
        );
        assert_eq!(ids(&board), [3, 1], "a closed ticket leaves the open queue");

        let mut inbox = Vec::new();
        list_changed(
            &mut inbox,
            summary(1, 1, 100, TicketStatus::Open),
            false,
            &queue,
        );
        list_changed(
            &mut inbox,
            summary(2, 1, 300, TicketStatus::Closed),
            false,
            &queue,
        );
        assert_eq!(
            ids(&inbox),
            [2, 1],
            "a member's inbox: newest first, closed ones kept"
        );

        let mut open = Some(OpenTicket::new(TicketId(1)));
        summary_changed(&mut open, &summary(1, 4, 100, TicketStatus::Open));
        summary_changed(&mut open, &summary(1, 3, 100, TicketStatus::Closed));
        assert_eq!(
            open.and_then(|o| o.summary).map(|s| (s.revision, s.status)),
            Some((4, TicketStatus::Open)),
            "an older state arriving late changes nothing"
        );
    }
}
