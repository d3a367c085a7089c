//! The live connection of a page: one WebSocket to `/ws`, the state it keeps up to date, and
//! the commands the page sends through it.
//!
//! Everything the UI shows comes from reactive signals here. The socket (browser only)
//! reconnects with backoff after any loss and then resumes: lists are re-read as a snapshot,
//! the open ticket is replayed from the last `seq` seen, and every message not yet
//! acknowledged is sent again under its same `client_msg_id` (the server stores it once).

use std::collections::{BTreeSet, HashMap};

use leptos::prelude::*;

use crate::protocol::{
    AdminAction, AdminState, BoardState, ClientMsgId, Command, CommandId, DepartmentId, ErrorCode,
    Me, Millis, Notification, Preferences, PresenceMode, Present, SearchHit, Seq, StaffStatus,
    TicketEvent, TicketFilter, TicketId, TicketSummary, Topic, UserId,
};

/// The state of the connection, as the page shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Link {
    /// Opening the first connection.
    Connecting,
    /// Connected and up to date.
    Online,
    /// Lost; trying again.
    Reconnecting,
    /// The session has ended: sign in again.
    SignedOut,
}

/// Where a message the person wrote stands.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Delivery {
    /// Not yet acknowledged (it is sent again after a reconnect).
    Sending,
    /// Committed by the server.
    Sent,
    /// Refused; the reason, in words.
    Failed(String),
}

/// A message written here and not yet seen back in the ticket's log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    pub client_msg_id: ClientMsgId,
    pub ticket_id: TicketId,
    pub body: String,
    /// A hidden note (staff).
    pub hidden: bool,
    /// Close the ticket with it (staff).
    pub close: bool,
    /// Files sent with it (uploaded already).
    pub attachments: Vec<crate::protocol::UploadedFile>,
    pub at: Millis,
    pub delivery: Delivery,
    command_id: CommandId,
}

/// A conversation being started (the member's "new conversation" form, once submitted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Starting {
    pub client_msg_id: ClientMsgId,
    pub department_id: DepartmentId,
    pub subject: String,
    pub body: String,
    /// Files sent with the first message (uploaded already).
    pub attachments: Vec<crate::protocol::UploadedFile>,
    pub delivery: Delivery,
    command_id: CommandId,
}

/// The ticket shown in the conversation pane.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenTicket {
    pub id: TicketId,
    pub summary: Option<TicketSummary>,
    pub events: Vec<TicketEvent>,
    pub last_seq: Seq,
    /// The replay has finished; what arrives now is live.
    pub caught_up: bool,
    /// Why it cannot be shown (not found, not yours).
    pub error: Option<String>,
}

impl OpenTicket {
    fn new(id: TicketId) -> Self {
        Self {
            id,
            summary: None,
            events: Vec::new(),
            last_seq: Seq(0),
            caught_up: false,
            error: None,
        }
    }
}

/// A full-text search and its answer.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Search {
    pub query: String,
    /// `None` while the answer is on its way.
    pub hits: Option<Vec<SearchHit>>,
    /// Why the search was refused.
    pub error: Option<String>,
    command_id: Option<CommandId>,
}

/// The live state of a page and its connection. `Copy`: every field is a handle.
#[derive(Clone, Copy)]
pub struct Live {
    /// The connection's state.
    pub link: RwSignal<Link>,
    /// The member's inbox or staff's board, in display order.
    pub tickets: RwSignal<Vec<TicketSummary>>,
    /// The first snapshot of `tickets` has arrived.
    pub tickets_loaded: RwSignal<bool>,
    /// The conversation on screen.
    pub open: RwSignal<Option<OpenTicket>>,
    /// Messages written here and not yet back from the server's log.
    pub pending: RwSignal<Vec<Pending>>,
    /// A conversation being started.
    pub starting: RwSignal<Option<Starting>>,
    /// The ticket a just-started conversation became (the page navigates to it).
    pub started: RwSignal<Option<TicketId>>,
    /// Why the last action on the open ticket was refused (e.g. someone else took it).
    pub notice: RwSignal<Option<String>>,
    /// Text to add to the reply box (a quotation), taken by the reply box when it appears.
    pub quote: RwSignal<Option<String>>,
    /// The message being corrected (staff seq and its current text), when editing.
    pub editing: RwSignal<Option<(Seq, String)>>,
    /// The full-text search under the list, when one is typed.
    pub search: RwSignal<Option<Search>>,
    /// The picture shown full size over the page.
    pub lightbox: RwSignal<Option<crate::protocol::UploadedFile>>,
    /// Staff: which tickets the board holds.
    pub filter: RwSignal<TicketFilter>,
    /// A split waiting for its acknowledgement (which names the new ticket).
    splitting: RwSignal<Option<CommandId>>,
    /// The signed-in person as the server last described them (settings, configuration).
    pub me: RwSignal<Option<Me>>,
    /// Staff: the newest notifications, newest first.
    pub notifications: RwSignal<Vec<Notification>>,
    /// Staff: how many notifications are unread.
    pub unread: RwSignal<i64>,
    /// Staff: the tickets they follow.
    pub following: RwSignal<BTreeSet<TicketId>>,
    /// Who has which ticket open (others than this person), as the server last said.
    pub presence: RwSignal<HashMap<TicketId, Vec<Present>>>,
    /// This screen is writing an answer in the open ticket (its reply box holds a draft).
    replying: RwSignal<bool>,
    /// When this screen last said it was typing (browser clock, ms).
    typing_said: RwSignal<Millis>,
    /// Staff: who of staff is online or away.
    pub availability: RwSignal<Vec<StaffStatus>>,
    /// Members: the departments with an operator online (`None` until the server says).
    pub support_online: RwSignal<Option<Vec<DepartmentId>>>,
    /// Staff: this person is away (said by them, or by the page after a while idle).
    pub away: RwSignal<bool>,
    /// The page said "away" by itself, and says "back" on the next input.
    auto_away: RwSignal<bool>,
    /// Administrators: the desk's configuration, on the administration page.
    pub admin: RwSignal<Option<AdminState>>,
    /// Administrators: the last change was stored.
    pub admin_saved: RwSignal<bool>,
    /// The administration page: it follows the configuration, not a list.
    administering: bool,
    /// An administrator's change awaits its answer.
    admin_changing: RwSignal<bool>,
    staff: bool,
    #[cfg(feature = "hydrate")]
    socket: StoredValue<std::rc::Rc<std::cell::RefCell<client::Socket>>, LocalStorage>,
}

impl Live {
    /// State for a page of a member (`staff == false`) or of staff.
    pub fn new(staff: bool) -> Self {
        Self {
            link: RwSignal::new(Link::Connecting),
            tickets: RwSignal::new(Vec::new()),
            tickets_loaded: RwSignal::new(false),
            open: RwSignal::new(None),
            pending: RwSignal::new(Vec::new()),
            starting: RwSignal::new(None),
            started: RwSignal::new(None),
            notice: RwSignal::new(None),
            quote: RwSignal::new(None),
            editing: RwSignal::new(None),
            search: RwSignal::new(None),
            lightbox: RwSignal::new(None),
            filter: RwSignal::new(TicketFilter::default()),
            splitting: RwSignal::new(None),
            me: RwSignal::new(None),
            notifications: RwSignal::new(Vec::new()),
            unread: RwSignal::new(0),
            following: RwSignal::new(BTreeSet::new()),
            presence: RwSignal::new(HashMap::new()),
            replying: RwSignal::new(false),
            typing_said: RwSignal::new(0),
            availability: RwSignal::new(Vec::new()),
            support_online: RwSignal::new(None),
            away: RwSignal::new(false),
            auto_away: RwSignal::new(false),
            admin: RwSignal::new(None),
            admin_saved: RwSignal::new(false),
            administering: false,
            admin_changing: RwSignal::new(false),
            staff,
            #[cfg(feature = "hydrate")]
            socket: StoredValue::new_local(Default::default()),
        }
    }

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

    /// Whether this page belongs to staff (board) rather than a member (inbox).
    pub fn is_staff(&self) -> bool {
        self.staff
    }

    /// Opens the connection (browser only; a no-op while rendering on the server).
    pub fn connect(self) {
        #[cfg(feature = "hydrate")]
        client::connect(self);
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
            self.typing_said.set(now());
            self.say_presence(replying);
        } else if replying && now() - self.typing_said.get_untracked() > TYPING_EVERY_MS {
            self.typing_said.set(now());
            self.say_presence(true);
        }
    }

    /// Staff hand the ticket to a colleague.
    pub fn assign(self, ticket_id: TicketId, user_id: UserId) {
        self.act(|command_id| Command::Assign {
            command_id,
            ticket_id,
            user_id,
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
            preferences: Preferences { notes_by_default },
        });
    }

    /// The ticket on screen has been seen: its notifications are read.
    fn read_notifications_of(self, ticket_id: TicketId) {
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

    fn on_notification(self, notification: Notification) {
        let on_screen = self
            .open
            .with_untracked(|o| o.as_ref().is_some_and(|o| o.id == notification.ticket_id));
        let ticket_id = notification.ticket_id;
        let fresh = !self
            .notifications
            .with_untracked(|list| list.iter().any(|n| n.id == notification.id));
        if !fresh {
            return;
        }
        if !notification.read {
            self.unread.update(|u| *u += 1);
        }
        self.notifications.update(|list| {
            list.insert(0, notification);
            list.truncate(NOTIFICATIONS_KEPT);
        });
        if on_screen {
            self.read_notifications_of(ticket_id);
        }
    }

    fn on_notifications_read(self, ticket_id: Option<TicketId>) {
        let mut newly_read = 0;
        self.notifications.update(|list| {
            for n in list
                .iter_mut()
                .filter(|n| !n.read && ticket_id.is_none_or(|t| t == n.ticket_id))
            {
                n.read = true;
                newly_read += 1;
            }
        });
        match ticket_id {
            None => self.unread.set(0),
            Some(_) => self.unread.update(|u| *u = (*u - newly_read).max(0)),
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
        let pending = Pending {
            client_msg_id: new_client_msg_id(),
            ticket_id,
            body,
            hidden,
            close,
            attachments,
            at: now(),
            delivery: Delivery::Sending,
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
        self.act(|command_id| crate::protocol::Command::Transfer {
            command_id,
            ticket_id,
            department_id,
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
        self.command(&crate::protocol::Command::Split {
            command_id,
            ticket_id,
            seq,
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

    /// Sends an action on the open ticket (take, release, archive…); a refusal shows as the
    /// ticket's notice.
    fn act(self, command: impl FnOnce(CommandId) -> crate::protocol::Command) {
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
    pub fn retry(self, client_msg_id: &ClientMsgId) {
        self.pending.update(|list| {
            if let Some(p) = list.iter_mut().find(|p| &p.client_msg_id == client_msg_id) {
                p.delivery = Delivery::Sending;
            }
        });
        self.transmit_pending(client_msg_id);
    }

    /// A member opens a new conversation.
    pub fn start_ticket(
        self,
        department_id: DepartmentId,
        subject: String,
        body: String,
        attachments: Vec<crate::protocol::UploadedFile>,
    ) {
        self.starting.set(Some(Starting {
            client_msg_id: new_client_msg_id(),
            department_id,
            subject,
            body,
            attachments,
            delivery: Delivery::Sending,
            command_id: CommandId(0),
        }));
        self.transmit_start();
    }

    /// Applies one event from the server.
    pub fn apply(self, event: crate::protocol::Event) {
        use crate::protocol::Event;
        match event {
            Event::Hello { me, .. } => {
                self.me.set(Some(me));
                self.on_hello();
            }
            Event::Tickets { tickets, .. } => {
                self.tickets.set(tickets);
                self.tickets_loaded.set(true);
            }
            Event::TicketRemoved { ticket_id } => {
                self.tickets
                    .update(|list| list.retain(|t| t.id != ticket_id));
                self.open.update(|open| {
                    if let Some(open) = open.as_mut().filter(|o| o.id == ticket_id) {
                        open.error = Some(
                            "This ticket has moved to a department you do not work in.".into(),
                        );
                    }
                });
            }
            Event::TicketChanged { ticket } => {
                self.on_ticket_changed(ticket);
                // Unread counts arrive after the events they count.
                self.mark_read_if_needed();
            }
            Event::TicketOpened { ticket } => self.open.update(|open| {
                if let Some(open) = open.as_mut().filter(|o| o.id == ticket.id) {
                    if ticket.last_seq < open.last_seq {
                        // The server's log is behind what we hold: start over from it.
                        open.events.clear();
                        open.last_seq = Seq(0);
                    }
                    open.summary = Some(ticket);
                    open.error = None;
                }
            }),
            Event::TicketEvent { event } => self.on_ticket_event(event),
            Event::CaughtUp { ticket_id, .. } => {
                self.open.update(|open| {
                    if let Some(open) = open.as_mut().filter(|o| o.id == ticket_id) {
                        open.caught_up = true;
                    }
                });
                self.mark_read_if_needed();
            }
            Event::Ack {
                command_id,
                ticket_id,
                ..
            } => self.on_ack(command_id, ticket_id),
            Event::Error {
                code,
                message,
                command_id,
            } => self.on_error(code, message, command_id),
            Event::SearchResults {
                command_id, hits, ..
            } => self.search.update(|s| {
                if let Some(s) = s.as_mut().filter(|s| s.command_id == Some(command_id)) {
                    s.hits = Some(hits);
                }
            }),
            Event::Done { .. } | Event::Pong { .. } => {}
            Event::Availability { staff } => self.availability.set(staff),
            Event::SupportOnline { departments } => self.support_online.set(Some(departments)),
            Event::Presence { ticket_id, present } => self.presence.update(|all| {
                if present.is_empty() {
                    all.remove(&ticket_id);
                } else {
                    all.insert(ticket_id, present);
                }
            }),
            Event::AdminState { state, .. } => {
                self.admin.set(Some(state));
                self.notice.set(None);
                self.admin_saved.set(self.admin_changing.get_untracked());
                self.admin_changing.set(false);
            }
            Event::Notifications { notifications } => {
                self.notifications.set(notifications.items);
                self.unread.set(notifications.unread);
                self.following
                    .set(notifications.following.into_iter().collect());
                if let Some(id) = self.open.with_untracked(|o| o.as_ref().map(|o| o.id)) {
                    self.read_notifications_of(id);
                }
            }
            Event::Notification { notification } => self.on_notification(notification),
            Event::NotificationsRead { ticket_id } => self.on_notifications_read(ticket_id),
            Event::Following {
                ticket_id,
                following,
            } => self.following.update(|set| {
                if following {
                    set.insert(ticket_id);
                } else {
                    set.remove(&ticket_id);
                }
            }),
            Event::MeChanged { me } => {
                let moved = self.me.with_untracked(|old| {
                    old.as_ref()
                        .is_none_or(|old| old.departments != me.departments)
                });
                self.me.set(Some(me));
                // New departments bring their tickets: read the list again.
                if moved && !self.administering {
                    self.subscribe_list();
                }
            }
        }
    }

    fn on_hello(self) {
        #[cfg(feature = "hydrate")]
        self.reset_backoff();
        self.link.set(Link::Online);
        if self.administering {
            self.act(|command_id| Command::Admin {
                command_id,
                action: None,
            });
            return;
        }
        self.subscribe_list();
        if self.staff {
            self.command(&Command::Subscribe {
                topic: Topic::Notifications,
                since: None,
                filter: None,
            });
        }
        // Presence is told afresh by the snapshots that follow; a new socket starts online.
        self.presence.set(HashMap::new());
        if self.away.get_untracked() {
            self.command(&Command::SetAway { away: true });
        }
        if let Some((id, last)) = self
            .open
            .with_untracked(|o| o.as_ref().map(|o| (o.id, o.last_seq)))
        {
            self.command_subscribe_ticket(id, Some(last));
            self.say_presence(false);
        }
        let unsent: Vec<ClientMsgId> = self.pending.with_untracked(|list| {
            list.iter()
                .filter(|p| p.delivery == Delivery::Sending)
                .map(|p| p.client_msg_id.clone())
                .collect()
        });
        for id in unsent {
            self.transmit_pending(&id);
        }
        if self
            .starting
            .with_untracked(|s| s.as_ref().is_some_and(|s| s.delivery == Delivery::Sending))
        {
            self.transmit_start();
        }
        // A search whose answer the lost connection took: ask again.
        if let Some(query) = self.search.with_untracked(|s| {
            s.as_ref()
                .filter(|s| s.hits.is_none())
                .map(|s| s.query.clone())
        }) {
            self.search.set(None);
            self.search_for(&query);
        }
    }

    /// Follows the inbox, or the board as filtered; a new snapshot replaces the list.
    fn subscribe_list(self) {
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

    fn on_ticket_changed(self, ticket: TicketSummary) {
        self.open.update(|open| {
            let newer = |o: &&mut OpenTicket| {
                o.id == ticket.id
                    && o.summary
                        .as_ref()
                        .is_none_or(|s| s.revision <= ticket.revision)
            };
            if let Some(open) = open.as_mut().filter(newer) {
                open.summary = Some(ticket.clone());
            }
        });
        let staff = self.staff;
        self.tickets.update(|list| {
            match list.iter().position(|t| t.id == ticket.id) {
                Some(i) if list[i].revision > ticket.revision => return,
                Some(i) => {
                    list.remove(i);
                }
                None => {}
            }
            let filter = self.filter.get_untracked();
            if staff && !filter.admits(&ticket) {
                return;
            }
            list.push(ticket);
            // The queue is worked oldest first; everything else reads newest first.
            if staff && filter.state == BoardState::Queue {
                list.sort_by_key(|t| (t.created_at, t.id));
            } else {
                list.sort_by_key(|t| std::cmp::Reverse((t.updated_at, t.id)));
            }
        });
    }

    fn on_ticket_event(self, event: TicketEvent) {
        let mut accepted = None;
        self.open.update(|open| {
            let Some(open) = open.as_mut().filter(|o| o.id == event.ticket_id) else {
                return;
            };
            if event.seq.0 != open.last_seq.0 + 1 {
                return;
            }
            open.last_seq = event.seq;
            if let crate::protocol::EventKind::Message {
                client_msg_id: Some(id),
                ..
            }
            | crate::protocol::EventKind::Note {
                client_msg_id: Some(id),
                ..
            } = &event.kind
            {
                accepted = Some(id.clone());
            }
            open.events.push(event);
        });
        if let Some(id) = accepted {
            // Our own message is back from the log: it is no longer pending.
            self.pending
                .update(|list| list.retain(|p| p.client_msg_id != id));
        }
        self.mark_read_if_needed();
    }

    fn on_ack(self, command_id: CommandId, ticket_id: TicketId) {
        self.pending.update(|list| {
            if let Some(p) = list.iter_mut().find(|p| p.command_id == command_id) {
                p.delivery = Delivery::Sent;
            }
        });
        let started = self
            .starting
            .with_untracked(|s| s.as_ref().is_some_and(|s| s.command_id == command_id));
        if started {
            self.starting.set(None);
            self.started.set(Some(ticket_id));
        }
        if self.splitting.get_untracked() == Some(command_id) {
            self.splitting.set(None);
            self.started.set(Some(ticket_id));
        }
    }

    fn on_error(self, code: ErrorCode, message: String, command_id: Option<CommandId>) {
        let searching = command_id.is_some()
            && self
                .search
                .with_untracked(|s| s.as_ref().is_some_and(|s| s.command_id == command_id));
        if searching {
            self.search.update(|s| {
                if let Some(s) = s.as_mut() {
                    s.hits = Some(Vec::new());
                    s.error = Some(message);
                }
            });
            return;
        }
        if let Some(command_id) = command_id {
            let known = self
                .pending
                .with_untracked(|list| list.iter().any(|p| p.command_id == command_id))
                || self
                    .starting
                    .with_untracked(|s| s.as_ref().is_some_and(|s| s.command_id == command_id));
            if !known {
                // A refused action (take, release, archive): say why beside the ticket.
                self.notice.set(Some(message));
                return;
            }
            self.pending.update(|list| {
                if let Some(p) = list.iter_mut().find(|p| p.command_id == command_id) {
                    p.delivery = Delivery::Failed(message.clone());
                }
            });
            self.starting.update(|s| {
                if let Some(s) = s.as_mut().filter(|s| s.command_id == command_id) {
                    s.delivery = Delivery::Failed(message.clone());
                }
            });
            return;
        }
        if matches!(code, ErrorCode::NotFound | ErrorCode::Forbidden) {
            self.open.update(|open| {
                if let Some(open) = open.as_mut().filter(|o| o.summary.is_none()) {
                    open.error =
                        Some("This conversation does not exist or is not yours to see.".into());
                }
            });
        }
    }

    /// A member who sees new staff messages on screen has read them.
    fn mark_read_if_needed(self) {
        if self.staff {
            return;
        }
        let Some((id, seq)) = self.open.with_untracked(|o| {
            o.as_ref()
                .filter(|o| o.caught_up)
                .map(|o| (o.id, o.last_seq))
        }) else {
            return;
        };
        let unread = self
            .tickets
            .with_untracked(|list| list.iter().any(|t| t.id == id && t.unread > 0));
        if unread {
            self.command(&crate::protocol::Command::MarkRead { ticket_id: id, seq });
        }
    }

    fn transmit_pending(self, client_msg_id: &ClientMsgId) {
        let command_id = self.next_command_id();
        let mut frame = None;
        self.pending.update(|list| {
            if let Some(p) = list.iter_mut().find(|p| &p.client_msg_id == client_msg_id) {
                p.command_id = command_id;
                frame = Some(crate::protocol::Command::SendMessage {
                    command_id,
                    ticket_id: p.ticket_id,
                    client_msg_id: p.client_msg_id.clone(),
                    body: p.body.clone(),
                    hidden: p.hidden,
                    close: p.close,
                    attachments: p.attachments.iter().map(|f| f.id.clone()).collect(),
                });
            }
        });
        if let Some(frame) = frame {
            self.command(&frame);
        }
    }

    fn transmit_start(self) {
        let command_id = self.next_command_id();
        let mut frame = None;
        self.starting.update(|s| {
            if let Some(s) = s.as_mut() {
                s.command_id = command_id;
                s.delivery = Delivery::Sending;
                frame = Some(crate::protocol::Command::StartTicket {
                    command_id,
                    client_msg_id: s.client_msg_id.clone(),
                    department_id: s.department_id,
                    subject: s.subject.clone(),
                    body: s.body.clone(),
                    attachments: s.attachments.iter().map(|f| f.id.clone()).collect(),
                });
            }
        });
        if let Some(frame) = frame {
            self.command(&frame);
        }
    }

    fn command_subscribe_ticket(self, id: TicketId, since: Option<Seq>) {
        self.command(&crate::protocol::Command::Subscribe {
            topic: crate::protocol::Topic::Ticket { id },
            since,
            filter: None,
        });
    }

    fn command_unsubscribe(self, id: TicketId) {
        self.command(&crate::protocol::Command::Unsubscribe {
            topic: crate::protocol::Topic::Ticket { id },
        });
    }

    fn next_command_id(self) -> CommandId {
        #[cfg(feature = "hydrate")]
        {
            self.socket.with_value(|s| s.borrow_mut().next_command_id())
        }
        #[cfg(not(feature = "hydrate"))]
        {
            CommandId(0)
        }
    }

    /// Sends a command if connected; otherwise it waits for the next `hello` (which re-sends
    /// subscriptions and pending messages).
    fn command(self, command: &crate::protocol::Command) {
        #[cfg(feature = "hydrate")]
        client::send(self, command);
        #[cfg(not(feature = "hydrate"))]
        let _ = command;
    }
}

/// How often a screen says it is still typing, at most (ms).
const TYPING_EVERY_MS: Millis = 2_000;

/// How many notifications the page keeps (the server sends as many).
const NOTIFICATIONS_KEPT: usize = 50;

/// A fresh random id for a message.
fn new_client_msg_id() -> ClientMsgId {
    #[cfg(feature = "hydrate")]
    let raw = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .map(|c| c.random_uuid())
        .unwrap_or_else(|| format!("m{}-{}", now(), (js_sys::Math::random() * 1e12) as u64));
    #[cfg(not(feature = "hydrate"))]
    let raw = format!("m{}", now());
    ClientMsgId::parse(&raw)
        .unwrap_or_else(|_| ClientMsgId::parse("m0").expect("a valid literal id"))
}

/// Now, in epoch milliseconds (browser clock; 0 on the server, which never renders times).
pub fn now() -> Millis {
    #[cfg(feature = "hydrate")]
    {
        js_sys::Date::now() as Millis
    }
    #[cfg(not(feature = "hydrate"))]
    {
        0
    }
}

#[cfg(feature = "hydrate")]
mod client {
    //! The browser's WebSocket, its reconnection and heartbeat.

    use std::time::Duration;

    use leptos::prelude::*;
    use wasm_bindgen::{JsCast, JsValue, closure::Closure};
    use web_sys::{CloseEvent, MessageEvent, WebSocket};

    use super::{Link, Live};
    use crate::protocol::{Command, CommandId, Event, close_code};

    /// How often the client checks the connection and pings.
    const HEARTBEAT: Duration = Duration::from_secs(15);
    /// How often the open ticket's presence is refreshed (the server forgets a screen after
    /// 15 s of silence).
    const PRESENCE_EVERY: Duration = Duration::from_secs(5);
    /// Staff without input for this long are away.
    const IDLE_AFTER_MS: f64 = 5.0 * 60_000.0;
    /// Silence longer than this means the connection is dead, even if the browser has not noticed.
    const SILENCE_LIMIT_MS: f64 = 45_000.0;

    #[derive(Default)]
    pub struct Socket {
        ws: Option<WebSocket>,
        attempts: u32,
        next_command: u64,
        last_heard: f64,
        last_input: f64,
        heartbeat: Option<leptos::leptos_dom::helpers::IntervalHandle>,
        presence: Option<leptos::leptos_dom::helpers::IntervalHandle>,
        handlers: Vec<Closure<dyn FnMut(JsValue)>>,
    }

    impl Socket {
        pub fn next_command_id(&mut self) -> CommandId {
            self.next_command += 1;
            CommandId(self.next_command)
        }
    }

    fn url() -> Option<String> {
        let location = web_sys::window()?.location();
        let scheme = if location.protocol().ok()? == "https:" {
            "wss"
        } else {
            "ws"
        };
        Some(format!("{scheme}://{}/ws", location.host().ok()?))
    }

    pub fn send(live: Live, command: &Command) {
        let Ok(text) = serde_json::to_string(command) else {
            return;
        };
        live.socket.with_value(|s| {
            let s = s.borrow();
            if let Some(ws) =
                s.ws.as_ref()
                    .filter(|ws| ws.ready_state() == WebSocket::OPEN)
            {
                let _ = ws.send_with_str(&text);
            }
        });
    }

    pub fn connect(live: Live) {
        let Some(url) = url() else {
            return;
        };
        let Ok(ws) = WebSocket::new(&url) else {
            schedule_reconnect(live);
            return;
        };
        let on_message = Closure::<dyn FnMut(JsValue)>::new(move |ev: JsValue| {
            let Ok(ev) = ev.dyn_into::<MessageEvent>() else {
                return;
            };
            live.socket
                .with_value(|s| s.borrow_mut().last_heard = js_sys::Date::now());
            let Some(text) = ev.data().as_string() else {
                return;
            };
            match serde_json::from_str::<Event>(&text) {
                Ok(event) => live.apply(event),
                Err(err) => leptos::logging::warn!("unreadable event: {err}"),
            }
        });
        let socket_for_close = ws.clone();
        let on_close = Closure::<dyn FnMut(JsValue)>::new(move |ev: JsValue| {
            let code = ev
                .dyn_into::<CloseEvent>()
                .map(|c| c.code())
                .unwrap_or(1006);
            // Only the current socket's end matters; an old one closing late is ignored.
            let current = live.socket.with_value(|s| {
                s.borrow()
                    .ws
                    .as_ref()
                    .is_some_and(|ws| ws == &socket_for_close)
            });
            if !current {
                return;
            }
            live.socket.with_value(|s| s.borrow_mut().ws = None);
            if code == close_code::SESSION_ENDED {
                live.link.set(Link::SignedOut);
                if let Some(w) = web_sys::window() {
                    let _ = w.location().set_href("/login");
                }
                return;
            }
            live.link.set(Link::Reconnecting);
            schedule_reconnect(live);
        });
        ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        live.socket.with_value(|s| {
            let mut s = s.borrow_mut();
            s.ws = Some(ws);
            s.last_heard = js_sys::Date::now();
            s.handlers = vec![on_message, on_close];
            if s.heartbeat.is_none() {
                s.heartbeat = set_interval_with_handle(move || heartbeat(live), HEARTBEAT).ok();
            }
            if s.presence.is_none() {
                s.presence = set_interval_with_handle(
                    move || {
                        live.say_presence(false);
                        let idle = live.socket.with_value(|s| {
                            js_sys::Date::now() - s.borrow().last_input > IDLE_AFTER_MS
                        });
                        if idle {
                            live.idle(true);
                        }
                    },
                    PRESENCE_EVERY,
                )
                .ok();
                s.last_input = js_sys::Date::now();
                // Any input marks the page in use (and brings staff who went away by
                // themselves back).
                let on_input = Closure::<dyn FnMut(JsValue)>::new(move |_: JsValue| {
                    live.socket
                        .with_value(|s| s.borrow_mut().last_input = js_sys::Date::now());
                    live.idle(false);
                });
                if let Some(window) = web_sys::window() {
                    for kind in ["keydown", "pointerdown", "pointermove", "focus"] {
                        let _ = window.add_event_listener_with_callback(
                            kind,
                            on_input.as_ref().unchecked_ref(),
                        );
                    }
                }
                on_input.forget();
            }
        });
    }

    fn heartbeat(live: Live) {
        let silent_too_long = live.socket.with_value(|s| {
            let s = s.borrow();
            s.ws.is_some() && js_sys::Date::now() - s.last_heard > SILENCE_LIMIT_MS
        });
        if silent_too_long {
            // Closing fires `onclose`, which reconnects.
            live.socket.with_value(|s| {
                if let Some(ws) = s.borrow().ws.as_ref() {
                    let _ = ws.close();
                }
            });
            return;
        }
        send(
            live,
            &Command::Ping {
                nonce: js_sys::Date::now() as u64,
            },
        );
    }

    fn schedule_reconnect(live: Live) {
        let attempts = live.socket.with_value(|s| {
            let mut s = s.borrow_mut();
            s.attempts += 1;
            s.attempts
        });
        // 0.25 s, 0.5 s, 1 s … up to 10 s, with jitter so a restarted server is not stampeded.
        let base = (250.0 * 2f64.powi(attempts.min(6) as i32 - 1)).min(10_000.0);
        let delay = base * (0.5 + js_sys::Math::random());
        set_timeout(move || connect(live), Duration::from_millis(delay as u64));
    }

    impl Live {
        /// Called when the server said hello: the connection is healthy again.
        pub(super) fn reset_backoff(self) {
            self.socket.with_value(|s| s.borrow_mut().attempts = 0);
        }
    }
}
