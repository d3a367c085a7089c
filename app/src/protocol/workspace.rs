//! Staff's workspace: the departments' response targets, each person's own settings of the
//! desk, and what staff know about a member beside a ticket.

use serde::{Deserialize, Serialize};
#[cfg(feature = "ssr")]
use utoipa::ToSchema;

use super::{DepartmentId, Millis, OptionId, TicketSummary, UserId};

/// A department's response targets, in minutes (absent: none).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct ResponseTargets {
    pub department_id: DepartmentId,
    /// The first answer after a ticket opens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_minutes: Option<i64>,
    /// Each next answer after the member writes again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_minutes: Option<i64>,
}

/// Longest target an administrator can set: thirty days, in minutes.
pub const MAX_TARGET_MINUTES: i64 = 30 * 24 * 60;

/// Where a waiting ticket stands against its department's target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sla {
    /// Nobody waits for an answer, or the department sets no target.
    None,
    /// Within the target.
    Within,
    /// Past four fifths of it.
    Near,
    /// Past it.
    Breached,
}

impl Sla {
    /// The wire and CSS name.
    pub fn as_str(self) -> &'static str {
        match self {
            Sla::None => "none",
            Sla::Within => "within",
            Sla::Near => "near",
            Sla::Breached => "breached",
        }
    }
}

impl ResponseTargets {
    /// The target that applies to `ticket` now, in milliseconds: the first answer's until
    /// staff have answered, the next answer's after.
    pub fn target_ms(&self, ticket: &TicketSummary) -> Option<Millis> {
        let minutes = if ticket.answered {
            self.next_minutes
        } else {
            self.first_minutes
        };
        minutes.map(|m| m * 60_000)
    }

    /// Where `ticket` stands at `now` against these targets.
    pub fn sla(&self, ticket: &TicketSummary, now: Millis) -> Sla {
        let (Some(since), Some(target)) = (ticket.waiting_since(), self.target_ms(ticket)) else {
            return Sla::None;
        };
        let waited = now - since;
        if waited >= target {
            Sla::Breached
        } else if waited * 5 >= target * 4 {
            Sla::Near
        } else {
            Sla::Within
        }
    }
}

/// A person's own settings of the desk, kept on the server and applied on every device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct Workspace {
    /// Light or dark, or as the system is (absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub theme: Option<Theme>,
    /// The conversation's text: its family and size.
    #[serde(default)]
    pub font: FontFamily,
    #[serde(default)]
    pub text_size: TextSize,
    /// Rows and messages closer together.
    #[serde(default)]
    pub compact: bool,
    /// Staff: the board's sort.
    #[serde(default)]
    pub sort: BoardSort,
    /// Staff: the count in the tab's title and icon.
    #[serde(default = "yes")]
    pub title_count: bool,
    /// Staff: a short sound when something needs them.
    #[serde(default)]
    pub sound: bool,
    /// Staff: a desktop notification when something needs them (the browser asks first).
    #[serde(default)]
    pub desktop: bool,
    /// Staff: the member's panel beside the ticket is open.
    #[serde(default)]
    pub member_pane: bool,
    /// Staff: board views of their own, by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub saved_views: Vec<SavedView>,
}

fn yes() -> bool {
    true
}

impl Default for Workspace {
    fn default() -> Self {
        Self {
            theme: None,
            font: FontFamily::default(),
            text_size: TextSize::default(),
            compact: false,
            sort: BoardSort::default(),
            title_count: true,
            sound: false,
            desktop: false,
            member_pane: false,
            saved_views: Vec::new(),
        }
    }
}

/// Most views a person can save.
pub const MAX_SAVED_VIEWS: usize = 20;

/// Longest name of a saved view, in characters.
pub const MAX_VIEW_NAME_CHARS: usize = 60;

/// A board view someone saved: a name and the filter it shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct SavedView {
    pub name: String,
    pub filter: super::TicketFilter,
}

/// Light or dark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Theme {
    Light,
    Dark,
}

/// The conversation's typeface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FontFamily {
    #[default]
    System,
    Serif,
    Mono,
}

/// The conversation's text size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TextSize {
    Small,
    #[default]
    Normal,
    Large,
}

/// How the board orders tickets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum BoardSort {
    /// Who has waited longest first; then the rest, oldest first.
    #[default]
    LongestWaiting,
    /// Newest tickets first.
    Newest,
    /// The member's latest message first.
    LastMemberMessage,
    /// The most critical first (in the order criticality levels are offered).
    Criticality,
}

impl BoardSort {
    /// Every order, as the board offers them.
    pub const ALL: [BoardSort; 4] = [
        BoardSort::LongestWaiting,
        BoardSort::Newest,
        BoardSort::LastMemberMessage,
        BoardSort::Criticality,
    ];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            BoardSort::LongestWaiting => "longest_waiting",
            BoardSort::Newest => "newest",
            BoardSort::LastMemberMessage => "last_member_message",
            BoardSort::Criticality => "criticality",
        }
    }

    /// Reads a wire name.
    pub fn parse(raw: &str) -> Option<BoardSort> {
        BoardSort::ALL.into_iter().find(|s| s.as_str() == raw)
    }

    /// Orders `list`; `severity` ranks a criticality level (higher: more critical).
    pub fn sort(self, list: &mut [TicketSummary], severity: impl Fn(OptionId) -> usize) {
        use std::cmp::Reverse;
        // Who waits, longest first; then the rest, oldest first.
        let waiting = |t: &TicketSummary| match t.waiting_since() {
            Some(since) => (0, since),
            None => (1, t.created_at),
        };
        match self {
            BoardSort::LongestWaiting => list.sort_by_key(|t| (waiting(t), t.id)),
            BoardSort::Newest => list.sort_by_key(|t| Reverse((t.created_at, t.id))),
            BoardSort::LastMemberMessage => {
                list.sort_by_key(|t| Reverse((t.member_wrote_at, t.id)));
            }
            BoardSort::Criticality => list.sort_by_key(|t| {
                let rank = t.params.criticality.as_ref().map(|c| severity(c.id));
                (Reverse(rank), waiting(t), t.id)
            }),
        }
    }
}

/// What staff see of a member beside a ticket (`GET /api/members/{id}/profile`, the
/// `member_profile` command). Never sent to a member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct MemberProfile {
    pub id: UserId,
    pub name: String,
    pub email: String,
    pub phones: Vec<String>,
    /// When their account was made.
    pub registered_at: Millis,
    /// What staff note about them for each other.
    pub comment: String,
    /// Their services with the provider.
    pub services: Vec<super::MemberService>,
    /// Their tickets the reader may see, newest first.
    pub tickets: Vec<TicketSummary>,
    /// Their figures, over what the reader may see.
    #[serde(default)]
    pub figures: MemberFigures,
}

/// A member's figures beside a ticket (staff only).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct MemberFigures {
    /// Their tickets in the reader's departments, and how many are open.
    pub tickets: i64,
    pub open: i64,
    /// Ratings they gave there, by mark (marks they gave only).
    pub ratings: Vec<super::Tally>,
    /// Their loyalty cards and purchases, for those who may read members' accounts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cards: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purchases: Option<i64>,
}

/// Longest internal comment about a member, in characters.
pub const MAX_COMMENT_CHARS: usize = 4_000;

/// Staff change what they note about a member (`PUT /api/members/{id}/comment`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct CommentRequest {
    pub comment: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::{
        Channel, Department, OptionRef, Person, Role, Seq, TicketId, TicketParams, TicketStatus,
    };

    fn ticket(
        id: i64,
        created_at: Millis,
        member_wrote_at: Option<Millis>,
        last: Role,
    ) -> TicketSummary {
        TicketSummary {
            id: TicketId(id),
            subject: String::new(),
            member: Person {
                id: UserId(1),
                name: "m".into(),
                role: Role::Member,
            },
            department: Department {
                id: DepartmentId(1),
                name: "d".into(),
            },
            status: TicketStatus::Open,
            channel: Channel::Chat,
            created_at,
            updated_at: created_at,
            last_seq: Seq(1),
            revision: 1,
            preview: None,
            last_author_role: Some(last),
            unread: 0,
            assignee: None,
            taken_at: None,
            lapsed_at: None,
            archived: false,
            params: TicketParams::default(),
            queue: None,
            answer_by: None,
            member_wrote_at,
            answered: false,
            seen_at: None,
        }
    }

    #[test]
    fn the_wait_runs_from_the_members_last_message_against_the_target_that_applies() {
        let targets = ResponseTargets {
            department_id: DepartmentId(1),
            first_minutes: Some(10),
            next_minutes: Some(5),
        };
        let mut t = ticket(1, 0, Some(60_000), Role::Member);
        assert_eq!(t.waiting_since(), Some(60_000));
        assert_eq!(targets.sla(&t, 60_000 + 7 * 60_000), Sla::Within);
        assert_eq!(targets.sla(&t, 60_000 + 8 * 60_000), Sla::Near);
        assert_eq!(targets.sla(&t, 60_000 + 10 * 60_000), Sla::Breached);
        t.answered = true;
        assert_eq!(
            targets.sla(&t, 60_000 + 5 * 60_000),
            Sla::Breached,
            "the next answer's"
        );
        t.last_author_role = Some(Role::Operator);
        assert_eq!(
            targets.sla(&t, i64::MAX / 2),
            Sla::None,
            "nobody waits for staff"
        );
        t.last_author_role = Some(Role::Member);
        t.status = TicketStatus::Closed;
        assert_eq!(t.waiting_since(), None, "nor on a closed ticket");
    }

    #[test]
    fn the_board_sorts_who_waits_longest_first_and_by_each_order() {
        let crit = |id| OptionRef {
            id: OptionId(id),
            label: String::new(),
        };
        let mut list = vec![
            ticket(1, 100, Some(500), Role::Member),
            ticket(2, 50, Some(300), Role::Operator),
            ticket(3, 300, Some(400), Role::Member),
            ticket(4, 10, None, Role::Operator),
        ];
        list[0].params.criticality = Some(crit(7));
        list[2].params.criticality = Some(crit(8));
        let ids = |l: &[TicketSummary]| l.iter().map(|t| t.id.0).collect::<Vec<_>>();
        let rank = |id: OptionId| id.0 as usize;
        BoardSort::LongestWaiting.sort(&mut list, rank);
        assert_eq!(ids(&list), [3, 1, 4, 2]);
        BoardSort::Newest.sort(&mut list, rank);
        assert_eq!(ids(&list), [3, 1, 2, 4]);
        BoardSort::LastMemberMessage.sort(&mut list, rank);
        assert_eq!(ids(&list), [1, 3, 2, 4]);
        BoardSort::Criticality.sort(&mut list, rank);
        assert_eq!(ids(&list), [3, 1, 4, 2]);
    }
}
