//! API tokens: made for oneself (administrators: for anyone), shown once, kept hashed,
//! revoked at once; a request bearing one acts as its owner with at most its scope.

use app::protocol::{NewToken, NewTokenRequest, Role, TOKEN_PREFIX, TokenId, TokenList};
use password_hash::rand_core::{OsRng, RngCore};
use tracing::{instrument, warn};

use super::{Desk, Result, admin::nothing_to_change};
use crate::{
    clock::now,
    domain::{
        self, Label, MAX_NAME_CHARS, Reason, Viewer, hex,
        tokens::{self, MAX_TOKENS_PER_PERSON},
    },
    store::{self, TokenRecord},
};

/// How often a token's last use is written down: once a minute at most, so that a busy
/// integration does not turn every read into a write.
const LAST_USE_GRAIN_MS: i64 = 60_000;

impl Desk {
    /// The tokens `viewer` may see (their own; administrators: everyone's) and, for
    /// administrators, whom they can make tokens for.
    #[instrument(skip_all, fields(user_id = %viewer.id))]
    pub async fn tokens(&self, viewer: &Viewer) -> Result<TokenList> {
        let admin = viewer.role == Role::Administrator;
        let tokens = self.store.tokens((!admin).then_some(viewer.id)).await?;
        let owners = if admin {
            self.store
                .staff()
                .await?
                .into_iter()
                .map(|s| s.person)
                .collect()
        } else {
            Vec::new()
        };
        Ok(TokenList {
            tokens,
            owners,
            fresh: None,
        })
    }

    /// Makes a token; its secret is in the answer and nowhere else.
    #[instrument(skip_all, fields(user_id = %viewer.id))]
    pub async fn make_token(&self, viewer: &Viewer, req: NewTokenRequest) -> Result<NewToken> {
        let name = Label::parse("name", &req.name, MAX_NAME_CHARS)?.into_string();
        let owner = match req.owner_id {
            None => viewer.clone(),
            Some(id) if id == viewer.id => viewer.clone(),
            Some(id) => {
                if viewer.role != Role::Administrator {
                    return Err(domain::Error::AdministratorsOnly.into());
                }
                self.viewer(id).await?.ok_or(domain::Error::Invalid {
                    field: "owner_id",
                    reason: Reason::new("invalid-nothing-to-change"),
                })?
            }
        };
        tokens::check_scope(owner.role, req.scope)?;
        if self.store.tokens(Some(owner.id)).await?.len() >= MAX_TOKENS_PER_PERSON {
            return Err(domain::Error::Invalid {
                field: "name",
                reason: Reason::new("invalid-token-count").with("count", MAX_TOKENS_PER_PERSON),
            }
            .into());
        }
        let mut bytes = [0u8; 32];
        OsRng.fill_bytes(&mut bytes);
        let secret = format!("{TOKEN_PREFIX}{}", hex(&bytes));
        let token = self
            .store
            .token_create(TokenRecord {
                owner: owner.id,
                name: &name,
                scope: req.scope,
                secret_hash: &tokens::secret_hash(&secret),
                hint: &tokens::hint(&secret),
                created_by: viewer.id,
                now: now(),
            })
            .await?;
        Ok(NewToken { token, secret })
    }

    /// Revokes a token of one's own (administrators: anyone's); it stops working at once.
    #[instrument(skip_all, fields(user_id = %viewer.id))]
    pub async fn revoke_token(&self, viewer: &Viewer, id: TokenId) -> Result<()> {
        let token = match self.store.token(id).await {
            Ok(token) => token,
            Err(store::Error::NotFound) => return Err(nothing_to_change()),
            Err(err) => return Err(err.into()),
        };
        if token.owner.id != viewer.id && viewer.role != Role::Administrator {
            return Err(nothing_to_change());
        }
        match self.store.token_delete(id).await {
            Ok(()) | Err(store::Error::NotFound) => Ok(()),
            Err(err) => Err(err.into()),
        }
    }

    /// The person a request bearing `secret` acts as, with the lesser of their role and the
    /// token's scope; `None` for a secret that is no token (or whose owner is gone or
    /// disabled). Notes the use, to the minute.
    pub async fn token_viewer(&self, secret: &str) -> Result<Option<(Viewer, TokenId)>> {
        if !tokens::looks_like_secret(secret) {
            return Ok(None);
        }
        let Some(grant) = self.store.token_grant(&tokens::secret_hash(secret)).await? else {
            return Ok(None);
        };
        let Some(mut viewer) = self.viewer(grant.user).await? else {
            return Ok(None);
        };
        viewer.role = tokens::acting_role(viewer.role, grant.scope);
        let at = now();
        if grant
            .last_used_at
            .is_none_or(|last| at - last >= LAST_USE_GRAIN_MS)
            && let Err(err) = self.store.token_used(grant.id, at).await
        {
            warn!(error = %err, "could not note a token's use");
        }
        Ok(Some((viewer, grant.id)))
    }
}
