//! What an API token may be and do: a scope no greater than its owner's role (and staff for
//! staff), and a request made with it acts with the lesser of the two.

use app::protocol::{Role, TOKEN_PREFIX};
use sha2::{Digest, Sha256};

use super::{Error, Reason, hex};

/// Most tokens one person may hold.
pub const MAX_TOKENS_PER_PERSON: usize = 20;

/// Refuses a scope greater than the owner's role, or one that crosses between members and
/// staff (a member's token is a member's; a staff token is staff).
pub fn check_scope(owner: Role, scope: Role) -> Result<(), Error> {
    if scope <= owner && scope.is_staff() == owner.is_staff() {
        Ok(())
    } else {
        Err(Error::Invalid {
            field: "scope",
            reason: Reason::new("invalid-token-scope"),
        })
    }
}

/// The role a request made with a token of `scope` acts with, its owner having `owner` now
/// (a role lowered since the token was made lowers the token too).
pub fn acting_role(owner: Role, scope: Role) -> Role {
    owner.min(scope)
}

/// What a secret is stored as: its SHA-256, in hex. Secrets are 256 random bits, so a fast
/// hash is enough (nothing to guess), and lookups stay one indexed read.
pub fn secret_hash(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

/// Whether `presented` has the shape of a secret (prefix and 64 hex digits); anything else
/// is refused before the store is asked.
pub fn looks_like_secret(presented: &str) -> bool {
    presented.strip_prefix(TOKEN_PREFIX).is_some_and(|rest| {
        rest.len() == 64 && rest.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    })
}

/// The secret's first characters, shown beside the token's name to tell tokens apart.
pub fn hint(secret: &str) -> String {
    format!(
        "{}…",
        secret.get(..TOKEN_PREFIX.len() + 6).unwrap_or(secret)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scope_is_at_most_the_owner_and_on_the_same_side() {
        use Role::*;
        assert!(check_scope(Administrator, Operator).is_ok());
        assert!(check_scope(Operator, Operator).is_ok());
        assert!(check_scope(Operator, Administrator).is_err());
        assert!(check_scope(Member, Member).is_ok());
        assert!(check_scope(Member, Operator).is_err());
        assert!(check_scope(Moderator, Member).is_err());
        assert_eq!(acting_role(Operator, Administrator), Operator);
        assert_eq!(acting_role(Administrator, Moderator), Moderator);
    }

    #[test]
    fn only_well_formed_secrets_are_looked_up() {
        let good = format!("{TOKEN_PREFIX}{}", "0a".repeat(32));
        assert!(looks_like_secret(&good));
        assert!(!looks_like_secret(&good[1..]));
        assert!(!looks_like_secret(&format!("{good}0")));
        assert!(!looks_like_secret(&good.to_uppercase()));
        assert_eq!(secret_hash(&good).len(), 64);
        assert_eq!(hint(&good), "sbt_0a0a0a…");
    }
}
