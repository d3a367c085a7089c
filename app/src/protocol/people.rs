//! People: roles, departments, who is present on a ticket and who of staff is available.

use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use utoipa::ToSchema;

#[allow(unused_imports)]
use super::*;

/// What a person may do; ordered by power (a member is the least).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A customer: sees only their own tickets.
    Member,
    /// Works the tickets of their departments.
    Operator,
    /// An operator who also oversees every department.
    Moderator,
    /// Manages the desk; sees every department.
    Administrator,
}

impl Role {
    /// Every role, in order of power.
    pub const ALL: [Role; 4] = [
        Role::Member,
        Role::Operator,
        Role::Moderator,
        Role::Administrator,
    ];

    /// Staff answer tickets; members open them.
    pub fn is_staff(self) -> bool {
        !matches!(self, Role::Member)
    }

    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Member => "member",
            Role::Operator => "operator",
            Role::Moderator => "moderator",
            Role::Administrator => "administrator",
        }
    }

    /// The role's name in the catalogues (`role-operator`…).
    pub fn key(self) -> &'static str {
        match self {
            Role::Member => "role-member",
            Role::Operator => "role-operator",
            Role::Moderator => "role-moderator",
            Role::Administrator => "role-administrator",
        }
    }

    /// Reads a stored or typed role name.
    pub fn parse(raw: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == raw)
    }
}

/// A department as shown in lists and forms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Hash)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct Department {
    pub id: DepartmentId,
    pub name: String,
}

/// A person as shown beside what they did.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct Person {
    pub id: UserId,
    pub name: String,
    pub role: Role,
}

/// A member of staff, as assignment pickers show them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct StaffMember {
    pub person: Person,
    pub departments: Vec<DepartmentId>,
}

impl StaffMember {
    /// Whether they may work tickets of `department`.
    pub fn works_in(&self, department: DepartmentId) -> bool {
        works_in(&self.person, &self.departments, department)
    }
}

/// Whether `person`, a member of `departments`, may work tickets of `department`: moderators
/// and administrators work in every one.
fn works_in(person: &Person, departments: &[DepartmentId], department: DepartmentId) -> bool {
    matches!(person.role, Role::Moderator | Role::Administrator)
        || departments.contains(&department)
}

/// What someone with a ticket open is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PresenceMode {
    /// Reading it.
    Viewing,
    /// Writing an answer (the reply box holds a draft).
    Replying,
}

/// Someone with a ticket open, as others see them.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct Present {
    pub person: Person,
    pub mode: PresenceMode,
    /// Typed in the last few seconds.
    pub typing: bool,
}

/// Whether a member of staff can answer now (offline: no screen open).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Availability {
    /// A screen of theirs is open and in use.
    Online,
    /// Their screens are open but idle (or they said they are away).
    Away,
}

/// A member of staff who is online or away.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct StaffStatus {
    pub person: Person,
    pub departments: Vec<DepartmentId>,
    pub availability: Availability,
}

impl StaffStatus {
    /// Whether they may work tickets of `department`.
    pub fn works_in(&self, department: DepartmentId) -> bool {
        works_in(&self.person, &self.departments, department)
    }
}

impl Present {
    /// "Olga is viewing" / "Olga is replying", in `lang`.
    pub fn describe(&self, lang: crate::i18n::Lang) -> String {
        let key = match self.mode {
            PresenceMode::Replying => "someone-replying",
            PresenceMode::Viewing => "someone-viewing",
        };
        crate::i18n::t!(lang, key, name = self.person.name.clone())
    }
}
