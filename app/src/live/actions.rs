//! What a page asks for: each action becomes a command on the socket, with its optimistic
//! state in the page until the server answers.

use crate::protocol::{
    AdminAction, ClientMsgId, Command, CommandId, DepartmentId, MailReplies, Preferences,
    PresenceMode, Seq, TicketFilter, TicketId, UserId,
};
use leptos::prelude::*;

#[allow(unused_imports)]
use super::*;

impl Live {
    /// State for the administration page.
    pub fn for_admin() -> Self {
        Self {
            administering: true,
            ..Self::new(true)
        }
    }

    /// Administrators change the configuration; the answer replaces `admin`.
    pub fn administer(self, action: AdminAction) {
        self.admin_saved.set(false);
        self.admin_changing.set(true);
        self.act(|command_id| Command::Admin {
            command_id,
            action: Some(action),
        });
    }

    /// Shows `id` in the conversation pane (or nothing), following it live.
    pub fn open_ticket(self, id: Option<TicketId>) {
        let current = self.open.with_untracked(|o| o.as_ref().map(|o| o.id));
        if current == id {
            return;
        }
        if let Some(old) = current {
            self.command_unsubscribe(old);
        }
        self.open.set(id.map(OpenTicket::new));
        self.replying.set(false);
        self.draft_seen.set(None);
        self.drafts.set(None);
        if let Some(id) = id {
            self.command_subscribe_ticket(id, None);
            self.say_presence(false);
            self.read_notifications_of(id);
        }
    }

    /// Staff say they are away, or back.
    pub fn set_away(self, away: bool) {
        self.auto_away.set(false);
        self.away.set(away);
        self.command(&Command::SetAway { away });
    }

    /// The page has been idle for a while (`idle`), or is in use again: staff go away by
    /// themselves, and come back on the next input.
    pub fn idle(self, idle: bool) {
        if !self.staff {
            return;
        }
        if idle && !self.away.get_untracked() {
            self.set_away(true);
            self.auto_away.set(true);
        } else if !idle && self.auto_away.get_untracked() {
            self.set_away(false);
        }
    }

    /// Tells the server what this screen does with the open ticket (also every few seconds,
    /// to stay present).
    pub fn say_presence(self, typing: bool) {
        let Some(ticket_id) = self.open.with_untracked(|o| o.as_ref().map(|o| o.id)) else {
            return;
        };
        let mode = if self.replying.get_untracked() {
            PresenceMode::Replying
        } else {
            PresenceMode::Viewing
        };
        self.command(&Command::Presence {
            ticket_id,
            mode,
            typing,
        });
    }

    /// The reply box changed: replying while it holds a draft; typing is said at most every
    /// two seconds.
    pub fn drafting(self, draft_empty: bool) {
        let replying = !draft_empty;
        if replying != self.replying.get_untracked() {
            self.replying.set(replying);
            // What the writer had read when they began: an answer is not sent over words
            // that came after, unseen.
            let began = self
                .open
                .with_untracked(|o| o.as_ref().map(|o| o.id))
                .and_then(|id| self.seen_now(id));
            self.draft_seen.set(began.filter(|_| replying));
            self.typing_said.set(now());
            self.say_presence(replying);
        } else if replying && now() - self.typing_said.get_untracked() > TYPING_EVERY_MS {
            self.typing_said.set(now());
            self.say_presence(true);
        }
    }

    /// Staff: the last event of `ticket_id` on this screen, which an action decided now has
    /// seen; `None` for members or another ticket.
    pub fn seen_now(self, ticket_id: TicketId) -> Option<Seq> {
        if !self.staff {
            return None;
        }
        self.open.with_untracked(|o| {
            o.as_ref()
                .filter(|o| o.id == ticket_id && o.caught_up)
                .map(|o| o.last_seq)
        })
    }

    /// Staff hand the ticket to a colleague.
    pub fn assign(self, ticket_id: TicketId, user_id: UserId) {
        let seen = self.seen_now(ticket_id);
        self.act(|command_id| Command::Assign {
            command_id,
            ticket_id,
            user_id,
            seen,
        });
    }

    /// Keeps what is being written in a ticket on the server (a reply's or a note's draft);
    /// empty forgets it.
    pub fn save_draft(self, ticket_id: TicketId, note: bool, body: String) {
        let command_id = self.next_command_id();
        self.command(&Command::SaveDraft {
            command_id,
            ticket_id,
            note,
            body,
        });
    }

    /// Staff follow (or stop following) a ticket.
    pub fn follow(self, ticket_id: TicketId, follow: bool) {
        self.act(|command_id| Command::Follow {
            command_id,
            ticket_id,
            follow,
        });
    }

    /// Staff mark every notification read.
    pub fn read_all_notifications(self) {
        self.act(|command_id| Command::ReadNotifications {
            command_id,
            ticket_id: None,
        });
    }

    /// Staff choose whether the reply box starts as a hidden note.
    pub fn set_notes_by_default(self, notes_by_default: bool) {
        self.act(|command_id| Command::SetPreferences {
            command_id,
            preferences: Preferences {
                notes_by_default,
                mail_replies: None,
                workspace: None,
            },
        });
    }

    /// A member chooses when their chat answers reach them by mail too.
    pub fn set_mail_replies(self, mail_replies: MailReplies) {
        self.act(|command_id| Command::SetPreferences {
            command_id,
            preferences: Preferences {
                notes_by_default: false,
                mail_replies: Some(mail_replies),
                workspace: None,
            },
        });
    }

    /// The ticket on screen has been seen: its notifications are read.
    pub(super) fn read_notifications_of(self, ticket_id: TicketId) {
        let unread = self
            .notifications
            .with_untracked(|list| list.iter().any(|n| n.ticket_id == ticket_id && !n.read));
        if unread {
            let command_id = self.next_command_id();
            self.command(&Command::ReadNotifications {
                command_id,
                ticket_id: Some(ticket_id),
            });
        }
    }

    /// Writes a message (or a hidden note) to a ticket: shown at once as sending, sent when
    /// acknowledged.
    pub fn send_message(
        self,
        ticket_id: TicketId,
        body: String,
        hidden: bool,
        close: bool,
        attachments: Vec<crate::protocol::UploadedFile>,
    ) {
        self.notice.set(None);
        let seen = self
            .draft_seen
            .get_untracked()
            .or_else(|| self.seen_now(ticket_id));
        let pending = Pending {
            client_msg_id: new_client_msg_id(),
            ticket_id,
            body,
            hidden,
            close,
            attachments,
            at: now(),
            delivery: Delivery::Sending,
            seen,
            command_id: CommandId(0),
        };
        let client_msg_id = pending.client_msg_id.clone();
        self.pending.update(|p| p.push(pending));
        self.transmit_pending(&client_msg_id);
    }

    /// Staff take the ticket (lock it to themselves).
    pub fn take(self, ticket_id: TicketId) {
        self.act(|command_id| crate::protocol::Command::Take {
            command_id,
            ticket_id,
        });
    }

    /// The holder (or a moderator) releases the ticket.
    pub fn release(self, ticket_id: TicketId) {
        self.act(|command_id| crate::protocol::Command::Release {
            command_id,
            ticket_id,
        });
    }

    /// Staff move the ticket to another department.
    pub fn transfer(self, ticket_id: TicketId, department_id: DepartmentId) {
        let seen = self.seen_now(ticket_id);
        self.act(|command_id| crate::protocol::Command::Transfer {
            command_id,
            ticket_id,
            department_id,
            seen,
        });
    }

    /// Staff save the ticket's subject and options.
    pub fn save_parameters(self, ticket_id: TicketId, params: crate::protocol::ParametersRequest) {
        self.act(|command_id| crate::protocol::Command::SaveParameters {
            command_id,
            ticket_id,
            params,
        });
    }

    /// Staff split the ticket from message `seq`; the page then opens the new ticket.
    pub fn split(self, ticket_id: TicketId, seq: Seq) {
        let command_id = self.next_command_id();
        self.notice.set(None);
        self.splitting.set(Some(command_id));
        let seen = self.seen_now(ticket_id);
        self.command(&crate::protocol::Command::Split {
            command_id,
            ticket_id,
            seq,
            seen,
        });
    }

    /// Staff correct their message `seq`.
    pub fn edit(self, ticket_id: TicketId, seq: Seq, body: String) {
        self.act(|command_id| crate::protocol::Command::EditMessage {
            command_id,
            ticket_id,
            seq,
            body,
        });
    }

    /// A member rates support's answer.
    pub fn rate(self, ticket_id: TicketId, mark_id: crate::protocol::RatingMarkId) {
        self.act(|command_id| crate::protocol::Command::Rate {
            command_id,
            ticket_id,
            mark_id,
        });
    }

    /// A member archives a closed ticket.
    pub fn archive(self, ticket_id: TicketId) {
        self.act(|command_id| crate::protocol::Command::Archive {
            command_id,
            ticket_id,
        });
    }

    /// A member chooses how their ticket is answered.
    pub fn set_answer_by(self, ticket_id: TicketId, answer_by: crate::protocol::AnswerBy) {
        self.act(|command_id| crate::protocol::Command::SetAnswerBy {
            command_id,
            ticket_id,
            answer_by,
        });
    }

    /// Sends an action on the open ticket (take, release, archive…); a refusal shows as the
    /// ticket's notice.
    pub(super) fn act(self, command: impl FnOnce(CommandId) -> crate::protocol::Command) {
        let command_id = self.next_command_id();
        self.notice.set(None);
        self.command(&command(command_id));
    }

    /// Searches the subjects and messages this person may see; an empty query clears it.
    pub fn search_for(self, query: &str) {
        let query = query.trim();
        if query.chars().filter(|c| c.is_alphanumeric()).count() < 2 {
            self.search.set(None);
            return;
        }
        if self
            .search
            .with_untracked(|s| s.as_ref().is_some_and(|s| s.query == query))
        {
            return;
        }
        let command_id = self.next_command_id();
        self.search.set(Some(Search {
            query: query.to_owned(),
            hits: None,
            error: None,
            command_id: Some(command_id),
        }));
        self.command(&crate::protocol::Command::Search {
            command_id,
            query: query.to_owned(),
        });
    }

    /// Tries a failed message again, under the same id.
    /// Sends a message refused as stale, now that its writer has the news on screen.
    pub fn send_anyway(self, client_msg_id: &ClientMsgId) {
        self.pending.update(|list| {
            if let Some(p) = list.iter_mut().find(|p| &p.client_msg_id == client_msg_id) {
                p.seen = self.seen_now(p.ticket_id);
                p.delivery = Delivery::Sending;
            }
        });
        self.transmit_pending(client_msg_id);
    }

    pub fn retry(self, client_msg_id: &ClientMsgId) {
        self.pending.update(|list| {
            if let Some(p) = list.iter_mut().find(|p| &p.client_msg_id == client_msg_id) {
                p.delivery = Delivery::Sending;
            }
        });
        self.transmit_pending(client_msg_id);
    }

    /// A member opens a new conversation, or sends the feedback form (`form`).
    pub fn start_ticket(
        self,
        department_id: DepartmentId,
        subject: String,
        body: String,
        attachments: Vec<crate::protocol::UploadedFile>,
        form: Option<crate::protocol::FeedbackFields>,
    ) {
        self.starting.set(Some(Starting {
            client_msg_id: new_client_msg_id(),
            department_id,
            subject,
            body,
            attachments,
            form,
            delivery: Delivery::Sending,
            field: None,
            command_id: CommandId(0),
        }));
        self.transmit_start();
    }

    /// Follows the inbox, or the board as filtered; a new snapshot replaces the list.
    pub(super) fn subscribe_list(self) {
        let (topic, filter) = if self.staff {
            (
                crate::protocol::Topic::Board,
                Some(self.filter.get_untracked()),
            )
        } else {
            (crate::protocol::Topic::Inbox, None)
        };
        self.command(&crate::protocol::Command::Subscribe {
            topic,
            since: None,
            filter,
        });
    }

    /// Staff: shows the tickets that pass `filter` (the server sends a fresh snapshot).
    pub fn set_filter(self, filter: TicketFilter) {
        if self.filter.with_untracked(|f| *f == filter) {
            return;
        }
        self.filter.set(filter);
        self.tickets_loaded.set(false);
        self.subscribe_list();
    }

    pub(super) fn command_subscribe_ticket(self, id: TicketId, since: Option<Seq>) {
        self.command(&crate::protocol::Command::Subscribe {
            topic: crate::protocol::Topic::Ticket { id },
            since,
            filter: None,
        });
    }

    pub(super) fn command_unsubscribe(self, id: TicketId) {
        self.command(&crate::protocol::Command::Unsubscribe {
            topic: crate::protocol::Topic::Ticket { id },
        });
    }
}
