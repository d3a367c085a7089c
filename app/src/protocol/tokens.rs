//! API tokens: how scripts and integrations (a telephone exchange, the host platform) call the
//! HTTP API as a person without a browser session, with `Authorization: Bearer …`.

use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use utoipa::ToSchema;

#[allow(unused_imports)]
use super::*;

/// What every token's secret starts with, so a leaked one is recognisable (and scannable).
pub const TOKEN_PREFIX: &str = "sbt_";

/// A token as its owner and administrators see it. The secret itself is shown once, when the
/// token is made ([`NewToken`]); only its hash is kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct ApiToken {
    pub id: TokenId,
    /// Whose token it is: requests made with it act as this person.
    pub owner: Person,
    /// What it is for ("Telephone exchange").
    pub name: String,
    /// The most it may do: requests made with it act with this role, or the owner's if that
    /// is less.
    pub scope: Role,
    /// The secret's first characters, to tell tokens apart.
    pub hint: String,
    pub created_at: Millis,
    /// When it was last used (to the minute); `None`: never.
    pub last_used_at: Option<Millis>,
}

/// Makes a token (`POST /api/tokens`): for oneself, or — administrators — for someone else.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct NewTokenRequest {
    pub name: String,
    /// At most the owner's role, and staff for staff.
    pub scope: Role,
    /// Whose token; `None`: the asker's own.
    #[serde(default)]
    pub owner_id: Option<UserId>,
}

/// A token just made, with its secret: shown this once, never again.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct NewToken {
    pub token: ApiToken,
    /// `sbt_` and 64 hexadecimal digits; send as `Authorization: Bearer <secret>`.
    pub secret: String,
}

impl std::fmt::Debug for NewToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewToken")
            .field("token", &self.token)
            .finish_non_exhaustive()
    }
}

/// The tokens page's content: the tokens the asker may see (their own; administrators:
/// everyone's), who they may make tokens for, and a token just made.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct TokenList {
    pub tokens: Vec<ApiToken>,
    /// Administrators: everyone a token can be made for. Others: empty (their own only).
    #[serde(default)]
    pub owners: Vec<Person>,
    /// The token made a moment ago, with its secret (the page shows it once).
    #[serde(default)]
    pub fresh: Option<NewToken>,
}
