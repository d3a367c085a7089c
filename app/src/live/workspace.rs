//! Staff's workspace on the live connection: the member beside the ticket, each person's
//! settings, and the clock that keeps waiting times moving.

use leptos::prelude::*;

use super::Live;
use crate::protocol::{
    CommandId, MemberProfile, Millis, Preferences, Sla, TicketSummary, UserId, Workspace,
};

/// The member profile beside the open ticket, and the request for it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProfileState {
    pub member: Option<UserId>,
    pub profile: Option<MemberProfile>,
    /// Why it could not be read.
    pub error: Option<String>,
    pub(super) asked: Option<CommandId>,
    /// The comment being saved, and the answer awaited.
    pub saving: Option<CommandId>,
    /// The comment was saved (until it is changed again).
    pub saved: bool,
}

/// The diagnostic asked from the open ticket, and what it found.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DiagnosisState {
    pub(super) asked: Option<CommandId>,
    pub diagnosis: Option<crate::protocol::Diagnosis>,
    /// Why it was refused (not a domain name, say).
    pub error: Option<String>,
}

impl DiagnosisState {
    /// A lookup is on its way.
    pub fn running(&self) -> bool {
        self.asked.is_some()
    }
}

/// How often waiting times move on screen (ms).
pub const TICK_MS: u64 = 5_000;

impl Live {
    /// Staff: reads what staff know about `member` (again, when asked again).
    pub fn read_profile(self, member: UserId) {
        let command_id = self.next_command_id();
        self.profile.set(ProfileState {
            member: Some(member),
            asked: Some(command_id),
            ..Default::default()
        });
        self.command(&crate::protocol::Command::MemberProfile {
            command_id,
            member_id: member,
        });
    }

    /// Staff: keeps `comment` as what staff note about the member on screen.
    pub fn save_member_comment(self, comment: String) {
        let Some(member) = self.profile.with_untracked(|p| p.member) else {
            return;
        };
        let command_id = self.next_command_id();
        self.profile.update(|p| {
            p.saving = Some(command_id);
            p.saved = false;
            p.error = None;
            if let Some(profile) = p.profile.as_mut() {
                profile.comment = comment.clone();
            }
        });
        self.command(&crate::protocol::Command::SetMemberComment {
            command_id,
            member_id: member,
            comment,
        });
    }

    /// Keeps this person's settings of the desk: on screen at once, and on the server for
    /// every device of theirs.
    pub fn set_workspace(self, workspace: Workspace) {
        let notes_by_default = self
            .me
            .with_untracked(|me| me.as_ref().is_some_and(|me| me.notes_by_default));
        self.me.update(|me| {
            if let Some(me) = me.as_mut() {
                me.workspace = workspace.clone();
            }
        });
        self.act(|command_id| crate::protocol::Command::SetPreferences {
            command_id,
            preferences: Preferences {
                notes_by_default,
                mail_replies: None,
                workspace: Some(workspace),
            },
        });
    }

    /// This person's settings of the desk (a copy, to change and keep).
    pub fn workspace(self) -> Workspace {
        self.with_workspace(Workspace::clone)
    }

    /// Reads one thing of this person's settings, tracked, without copying them all.
    pub fn with_workspace<T>(self, read: impl FnOnce(&Workspace) -> T) -> T {
        self.me.with(|me| match me.as_ref() {
            Some(me) => read(&me.workspace),
            None => read(&Workspace::default()),
        })
    }

    /// Whether the member's panel is open: as the person keeps it on a wide screen; on a
    /// narrow one, where it covers the ticket, only once asked for on this screen.
    pub fn member_pane_open(self) -> bool {
        if media("(max-width: 1100px)") {
            self.drawer.get()
        } else {
            self.with_workspace(|w| w.member_pane)
        }
    }

    /// Opens or closes the member's panel (kept for every device on a wide screen).
    pub fn set_member_pane(self, open: bool) {
        if media("(max-width: 1100px)") {
            self.drawer.set(open);
        } else {
            let mut workspace = self.workspace();
            workspace.member_pane = open;
            self.set_workspace(workspace);
        }
    }

    /// Where `ticket` stands against its department's response target at `now`.
    pub fn sla_of(self, ticket: &TicketSummary, now: Millis) -> Sla {
        self.me
            .with(|me| {
                me.as_ref()?
                    .response_targets
                    .iter()
                    .find(|r| r.department_id == ticket.department.id)
                    .map(|r| r.sla(ticket, now))
            })
            .unwrap_or(Sla::None)
    }

    /// How many of the listed tickets that `keep` keeps are past their response target at `now`.
    pub fn breaches(self, now: Millis, keep: impl Fn(&TicketSummary) -> bool) -> usize {
        self.tickets.with(|list| {
            list.iter()
                .filter(|t| keep(t) && self.sla_of(t, now) == Sla::Breached)
                .count()
        })
    }

    /// Now, moving every few seconds: what waiting times and "ago" read.
    pub fn tick(self) -> Millis {
        self.clock.get()
    }

    /// The answer to `member_profile`, when it is the one awaited.
    pub(super) fn on_profile(self, command_id: CommandId, profile: MemberProfile) {
        self.profile.update(|p| {
            if p.asked == Some(command_id) {
                p.asked = None;
                p.profile = Some(profile);
            }
        });
    }

    /// Staff: runs a diagnostic from `ticket`.
    pub fn diagnose(
        self,
        ticket: crate::protocol::TicketId,
        request: crate::protocol::DiagnosisRequest,
    ) {
        let command_id = self.next_command_id();
        self.diagnosis.set(DiagnosisState {
            asked: Some(command_id),
            ..Default::default()
        });
        self.command(&crate::protocol::Command::Diagnose {
            command_id,
            ticket_id: ticket,
            request,
        });
    }

    /// The answer to `diagnose` (or its refusal, `Err`), when it is the one awaited; whether
    /// it was.
    pub(super) fn on_diagnosis(
        self,
        command_id: CommandId,
        answer: Result<crate::protocol::Diagnosis, String>,
    ) -> bool {
        let mine = self
            .diagnosis
            .with_untracked(|d| d.asked == Some(command_id));
        if mine {
            self.diagnosis.set(match answer {
                Ok(diagnosis) => DiagnosisState {
                    diagnosis: Some(diagnosis),
                    ..Default::default()
                },
                Err(error) => DiagnosisState {
                    error: Some(error),
                    ..Default::default()
                },
            });
        }
        mine
    }

    /// A `done` or refusal answering the profile's requests; whether it was one of them.
    pub(super) fn on_profile_answer(self, command_id: CommandId, error: Option<&str>) -> bool {
        let mine = self
            .profile
            .with_untracked(|p| p.asked == Some(command_id) || p.saving == Some(command_id));
        if mine {
            self.profile.update(|p| {
                if p.saving == Some(command_id) {
                    p.saving = None;
                    p.saved = error.is_none();
                }
                p.asked = p.asked.filter(|a| *a != command_id);
                p.error = error.map(str::to_owned);
            });
        }
        mine
    }
}

/// Whether the screen matches a CSS media `query` (never while rendering on the server).
pub fn media(query: &str) -> bool {
    #[cfg(feature = "hydrate")]
    {
        web_sys::window()
            .and_then(|w| w.match_media(query).ok().flatten())
            .is_some_and(|m| m.matches())
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = query;
        false
    }
}
