//! The live connection of a page: one WebSocket to `/ws`, the state it keeps up to date, and
//! the commands the page sends through it.
//!
//! Everything the UI shows comes from reactive signals here. The socket (browser only)
//! reconnects with backoff after any loss and then resumes: lists are re-read as a snapshot,
//! the open ticket is replayed from the last `seq` seen, and every message not yet
//! acknowledged is sent again under its same `client_msg_id` (the server stores it once).

mod actions;
mod alerts;
mod calls;
mod events;
pub mod state;
mod workspace;

pub use alerts::{ask_desktop_permission, desktop_permission};
pub use workspace::{DiagnosisState, ProfileState, TICK_MS, media};

use std::collections::{BTreeSet, HashMap};

use leptos::prelude::*;

use crate::protocol::{
    AdminState, ClientMsgId, CommandId, DepartmentId, Me, Millis, Notification, Present, SearchHit,
    Seq, StaffStatus, TicketEvent, TicketFilter, TicketId, TicketSummary,
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
    /// Refused because messages arrived while it was being written (they are in the log
    /// above it now); the reason, in words. Sending again sends it.
    Stale(String),
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
    /// Staff: the last event on screen when they began writing it.
    pub seen: Option<Seq>,
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
    /// The feedback form's fields, when it is sent by the form.
    pub form: Option<crate::protocol::FeedbackFields>,
    pub delivery: Delivery,
    /// The field the server refused, when it named one.
    pub field: Option<String>,
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
    /// The page's language, for what the page says about its connection and refusals.
    pub lang: RwSignal<crate::i18n::Lang>,
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
    /// Staff: the last event of the open ticket when the reply box's draft began.
    draft_seen: RwSignal<Option<Seq>>,
    /// The drafts the server kept for a ticket just opened, for the reply box to restore.
    pub drafts: RwSignal<Option<(TicketId, crate::protocol::Drafts)>>,
    /// When this screen last said it was typing (browser clock, ms).
    typing_said: RwSignal<Millis>,
    /// Staff: who of staff is online or away.
    pub availability: RwSignal<Vec<StaffStatus>>,
    /// Members: the departments with an operator online (`None` until the server says).
    pub support_online: RwSignal<Option<Vec<DepartmentId>>>,
    /// Members: where their tickets waiting for a first answer stand, as the server last said.
    pub places: RwSignal<Vec<crate::protocol::QueuePlace>>,
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
    /// Call-centre agents: the calls on their screen and what ending one offers (`None`
    /// until the server says).
    pub calls: RwSignal<Option<crate::protocol::Calls>>,
    /// The calls page: it follows calls, not a list.
    calling: bool,
    /// A call being ended, until the server answers.
    pub ending: RwSignal<Option<CommandId>>,
    /// A change of a caller's account, until the server answers.
    pub changing: RwSignal<Option<CommandId>>,
    /// Moves on each time a change of a caller's account is stored (the card reads it again).
    pub account_version: RwSignal<u64>,
    /// An administrator's change awaits its answer.
    admin_changing: RwSignal<bool>,
    /// The page can be seen: false while a host site's widget panel is closed (answers that
    /// arrive then stay unread).
    pub shown: RwSignal<bool>,
    /// Staff: the member beside the open ticket.
    pub profile: RwSignal<ProfileState>,
    /// The diagnostic run from the open ticket.
    pub diagnosis: RwSignal<DiagnosisState>,
    /// On a narrow screen: the member's panel, asked for on this screen.
    pub drawer: RwSignal<bool>,
    /// Now, moved every few seconds (`TICK_MS`) while the page is open.
    pub clock: RwSignal<Millis>,
    /// News gathered to be told in one go. (Shared storage: a page rendered on the server
    /// is dropped on whichever thread finishes its response.)
    alerts: StoredValue<Vec<alerts::Alert>>,
    staff: bool,
    #[cfg(feature = "hydrate")]
    socket: StoredValue<std::rc::Rc<std::cell::RefCell<client::Socket>>, LocalStorage>,
}

impl Live {
    /// State for a page of a member (`staff == false`) or of staff.
    pub fn new(staff: bool) -> Self {
        Self {
            lang: crate::i18n::locale(),
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
            draft_seen: RwSignal::new(None),
            drafts: RwSignal::new(None),
            typing_said: RwSignal::new(0),
            availability: RwSignal::new(Vec::new()),
            support_online: RwSignal::new(None),
            places: RwSignal::new(Vec::new()),
            away: RwSignal::new(false),
            auto_away: RwSignal::new(false),
            admin: RwSignal::new(None),
            admin_saved: RwSignal::new(false),
            administering: false,
            calls: RwSignal::new(None),
            calling: false,
            ending: RwSignal::new(None),
            changing: RwSignal::new(None),
            account_version: RwSignal::new(0),
            admin_changing: RwSignal::new(false),
            shown: RwSignal::new(true),
            profile: RwSignal::new(ProfileState::default()),
            diagnosis: RwSignal::new(DiagnosisState::default()),
            drawer: RwSignal::new(false),
            clock: RwSignal::new(now()),
            alerts: StoredValue::new(Vec::new()),
            staff,
            #[cfg(feature = "hydrate")]
            socket: StoredValue::new_local(Default::default()),
        }
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
mod client;
