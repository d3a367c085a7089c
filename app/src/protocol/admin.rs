//! The desk's configuration as administrators see and change it.

use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use utoipa::ToSchema;

#[allow(unused_imports)]
use super::*;

/// What administrators see and manage: the desk's whole configuration.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct AdminState {
    pub departments: Vec<AdminDepartment>,
    pub staff: Vec<Employee>,
    /// Every ticket option, retired ones included.
    pub options: Vec<AdminOption>,
    /// Every rating mark, retired ones included.
    pub rating_marks: Vec<AdminMark>,
    pub canned: Vec<CannedResponse>,
    /// Every queue, retired ones included.
    pub queues: Vec<AdminQueue>,
    /// The mailboxes mail comes in through.
    #[serde(default)]
    pub mailboxes: Vec<Mailbox>,
    /// The relay set here for mail out, if one is.
    #[serde(default)]
    pub relay: Option<MailRelay>,
    /// The settings file's relay (`host:port`), used while none is set here.
    #[serde(default)]
    pub settings_relay: Option<String>,
    /// Why calls end, in the order agents are offered them, retired ones included.
    #[serde(default)]
    pub call_end_reasons: Vec<CallEndReason>,
    /// The host platform's sites that embed the widget.
    #[serde(default)]
    pub sites: Vec<WidgetSite>,
    /// Members may sign themselves up (off until an administrator allows it).
    #[serde(default)]
    pub sign_up_open: bool,
    /// A site's secret, in the answer to the change that made it (a new site, a new
    /// secret) and never again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revealed: Option<SiteSecret>,
}

/// A host platform's site that embeds the widget: the key its snippet names (`data-site`)
/// and the origins its pages come from, the only ones that may open or frame the widget.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct WidgetSite {
    pub id: SiteId,
    pub key: String,
    pub name: String,
    pub origins: Vec<String>,
}

/// A site's secret, shown once: its backend signs members' identity tokens with it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct SiteSecret {
    pub site_id: SiteId,
    pub secret: String,
}

/// A queue with its state, as administrators manage it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct AdminQueue {
    #[serde(flatten)]
    pub queue: Queue,
    /// No longer receives new tickets; those in it stay.
    pub retired: bool,
    /// How many tickets it holds; a queue with tickets can be retired, not deleted.
    pub tickets: i64,
}

/// A department as administrators manage it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Hash)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct AdminDepartment {
    pub id: DepartmentId,
    pub name: String,
    /// Offered to members in the support centre (otherwise reachable by transfer only).
    pub public: bool,
    /// How many tickets it holds; a department with tickets cannot be deleted.
    pub tickets: i64,
    /// Its response targets.
    pub targets: crate::protocol::ResponseTargets,
}

/// A member of staff as administrators manage them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Hash)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct Employee {
    pub id: UserId,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub departments: Vec<DepartmentId>,
    /// The account is disabled: it cannot sign in.
    #[serde(default)]
    pub disabled: bool,
    /// Their phone extension: set, they are a call-centre agent, named by it when they
    /// answer a call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension: Option<String>,
}

/// A ticket option with its state, as administrators manage it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Hash)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct AdminOption {
    #[serde(flatten)]
    pub option: TicketOption,
    /// No longer offered; tickets that carry it keep it.
    pub retired: bool,
    /// How many tickets carry it; an option in use can be retired, not deleted.
    pub tickets: i64,
}

/// A rating mark with its state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Hash)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct AdminMark {
    pub id: RatingMarkId,
    pub label: String,
    /// No longer offered to members; ratings given with it keep it.
    pub retired: bool,
}

/// Why a call ended, as the call centre's agent says when ending it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Hash)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct CallEndReason {
    pub id: i64,
    pub label: String,
    /// Ending a call with it closes the call's request unless the agent says otherwise;
    /// else the request moves to a queue for the support service.
    pub closes: bool,
    /// No longer offered; calls ended with it keep it.
    pub retired: bool,
}

/// One change administrators make (`POST /api/admin`, the `admin` command).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum AdminAction {
    /// Adds a department.
    CreateDepartment { name: String, public: bool },
    /// Renames a department or changes whether members can choose it.
    UpdateDepartment {
        id: DepartmentId,
        name: String,
        public: bool,
    },
    /// Sets a department's response targets, in minutes (absent: none).
    SetResponseTargets {
        id: DepartmentId,
        #[serde(default)]
        first_minutes: Option<i64>,
        #[serde(default)]
        next_minutes: Option<i64>,
    },
    /// Deletes a department that holds no tickets (its people and canned responses go too).
    DeleteDepartment { id: DepartmentId },
    /// Adds a member of staff who signs in with `password`.
    CreateEmployee {
        email: String,
        name: String,
        role: Role,
        password: String,
        departments: Vec<DepartmentId>,
    },
    /// Adds a member by hand — one who calls or writes without an account yet —, with a
    /// phone number when given (no one else's). They have no password: they sign in through
    /// the host platform, or once an administrator gives them one.
    CreateMember {
        email: String,
        name: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        phone: Option<String>,
    },
    /// Disables a member of staff's account (not one's own): every session of it ends at
    /// once and it cannot sign in; or enables it again.
    SetDisabled { id: UserId, disabled: bool },
    /// Gives someone a new password (not oneself: that is `PUT /api/me/password`); every
    /// session of theirs ends at once.
    ResetPassword { id: UserId, password: String },
    /// Changes a member of staff's name, role and departments.
    UpdateEmployee {
        id: UserId,
        name: String,
        role: Role,
        departments: Vec<DepartmentId>,
    },
    /// Makes a member of staff a call-centre agent with phone extension `extension` (unique),
    /// or — without one — no longer an agent.
    SetExtension {
        id: UserId,
        #[serde(default)]
        extension: Option<String>,
    },
    /// Adds a mailbox: mail to `address`, handed in under `name`, becomes tickets of the
    /// department (in `queue_id`, or the first Email queue).
    CreateMailbox {
        name: String,
        address: String,
        department_id: DepartmentId,
        #[serde(default)]
        queue_id: Option<QueueId>,
        #[serde(default)]
        allow_new_members: bool,
        #[serde(default)]
        hold_all: bool,
    },
    /// Removes a mailbox (the mail it took in stays where it went).
    DeleteMailbox { id: MailboxId },
    /// Fetches a mailbox's mail from an IMAP server, at once and as it arrives. Without
    /// `password`, the one set before stays.
    ConnectMailbox {
        id: MailboxId,
        host: String,
        port: u16,
        #[serde(default)]
        security: MailSecurity,
        user: String,
        #[serde(default)]
        password: Option<String>,
        #[serde(default)]
        folder: Option<String>,
    },
    /// Stops fetching a mailbox's mail over IMAP and forgets its password.
    DisconnectMailbox { id: MailboxId },
    /// Sends mail out through this relay (in place of the settings file's). Without
    /// `password`, the one set before for the same user stays; without `user`, the relay
    /// is used without signing in.
    SetRelay {
        host: String,
        port: u16,
        #[serde(default)]
        security: MailSecurity,
        #[serde(default)]
        user: Option<String>,
        #[serde(default)]
        password: Option<String>,
        from: String,
        #[serde(default)]
        bounces_to: Option<String>,
    },
    /// Forgets the relay set here (the settings file's, if any, is used again).
    RemoveRelay,
    /// Adds a site that embeds the widget, its pages coming from `origins` (one per line);
    /// the answer reveals its secret, once.
    CreateSite { name: String, origins: String },
    /// Renames a site or changes its origins.
    UpdateSite {
        id: SiteId,
        name: String,
        origins: String,
    },
    /// Gives a site a new secret (tokens signed with the old one are refused from now on);
    /// the answer reveals it, once.
    RotateSiteSecret { id: SiteId },
    /// Removes a site: its widget stops opening, and its sessions end.
    DeleteSite { id: SiteId },
    /// Lets members sign themselves up (with their address confirmed by a mailed link), or
    /// no longer.
    SetSignUp { open: bool },
    /// Adds a status, criticality level, category or related service.
    CreateOption {
        kind: OptionKind,
        label: String,
        #[serde(default)]
        side: Option<TicketStatus>,
    },
    /// Renames an option (and moves a status to another side).
    UpdateOption {
        id: OptionId,
        label: String,
        #[serde(default)]
        side: Option<TicketStatus>,
    },
    /// Stops (or resumes) offering an option; tickets keep it.
    RetireOption { id: OptionId, retired: bool },
    /// Deletes an option no ticket carries.
    DeleteOption { id: OptionId },
    /// Adds a rating mark.
    CreateMark { label: String },
    /// Renames a rating mark.
    UpdateMark { id: RatingMarkId, label: String },
    /// Stops (or resumes) offering a rating mark; ratings given keep it.
    RetireMark { id: RatingMarkId, retired: bool },
    /// Adds a reason a call ends for, at the end of the list.
    CreateCallEndReason { label: String, closes: bool },
    /// Renames a call-end reason, or changes whether it closes the request by default.
    UpdateCallEndReason {
        id: i64,
        label: String,
        closes: bool,
    },
    /// Moves a call-end reason one place up (or down) the list.
    MoveCallEndReason { id: i64, up: bool },
    /// Stops (or resumes) offering a call-end reason.
    RetireCallEndReason { id: i64, retired: bool },
    /// Adds a canned response to a department.
    CreateCanned {
        department_id: DepartmentId,
        title: String,
        body: String,
    },
    /// Changes a canned response.
    UpdateCanned {
        id: i64,
        department_id: DepartmentId,
        title: String,
        body: String,
    },
    /// Deletes a canned response.
    DeleteCanned { id: i64 },
    /// Adds a queue for a channel (new tickets of the channel go to its first offered queue).
    CreateQueue { name: String, channel: Channel },
    /// Renames a queue.
    UpdateQueue { id: QueueId, name: String },
    /// Stops (or resumes) sending new tickets to a queue; its tickets stay.
    RetireQueue { id: QueueId, retired: bool },
    /// Deletes a queue that holds no tickets.
    DeleteQueue { id: QueueId },
}
