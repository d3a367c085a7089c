//! API tokens: kept as the SHA-256 of their secret, looked up by it on every request.

use app::protocol::{ApiToken, Person, Role, TokenId, UserId};
use sqlx::{Row, any::AnyRow};
use tracing::instrument;

use super::{Result, Store, users::role};

/// A token as a request presents it: whose, what it may do, when it was last used.
#[derive(Debug, Clone, Copy)]
pub struct TokenGrant {
    pub id: TokenId,
    pub user: UserId,
    pub scope: Role,
    pub last_used_at: Option<i64>,
}

/// What a new token is stored as.
pub struct TokenRecord<'a> {
    pub owner: UserId,
    pub name: &'a str,
    pub scope: Role,
    pub secret_hash: &'a str,
    pub hint: &'a str,
    pub created_by: UserId,
    pub now: i64,
}

/// Tokens with their owners, as [`token`] reads them.
macro_rules! select_tokens {
    ($rest:literal) => {
        concat!(
            "SELECT t.id, t.name, t.scope, t.hint, t.created_at, t.last_used_at, \
             u.id AS owner_id, u.name AS owner_name, u.role AS owner_role \
             FROM api_tokens t JOIN users u ON u.id = t.user_id ",
            $rest
        )
    };
}

fn token(row: &AnyRow) -> Result<ApiToken> {
    Ok(ApiToken {
        id: TokenId(row.try_get("id")?),
        owner: Person {
            id: UserId(row.try_get("owner_id")?),
            name: row.try_get("owner_name")?,
            role: role(&row.try_get::<String, _>("owner_role")?)?,
        },
        name: row.try_get("name")?,
        scope: role(&row.try_get::<String, _>("scope")?)?,
        hint: row.try_get("hint")?,
        created_at: row.try_get("created_at")?,
        last_used_at: row.try_get("last_used_at")?,
    })
}

impl Store {
    /// Stores a new token.
    #[instrument(skip_all)]
    pub async fn token_create(&self, new: TokenRecord<'_>) -> Result<ApiToken> {
        let mut w = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO api_tokens (user_id, name, scope, secret_hash, hint, created_by, \
             created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(new.owner.0)
        .bind(new.name)
        .bind(new.scope.as_str())
        .bind(new.secret_hash)
        .bind(new.hint)
        .bind(new.created_by.0)
        .bind(new.now)
        .fetch_one(w.conn())
        .await?;
        w.commit().await?;
        self.token(TokenId(id)).await
    }

    /// One token.
    #[instrument(skip_all)]
    pub async fn token(&self, id: TokenId) -> Result<ApiToken> {
        let row = sqlx::query(select_tokens!("WHERE t.id = $1"))
            .bind(id.0)
            .fetch_one(&self.pool)
            .await?;
        token(&row)
    }

    /// The tokens of `owner` (every token: `None`), newest first.
    #[instrument(skip_all)]
    pub async fn tokens(&self, owner: Option<UserId>) -> Result<Vec<ApiToken>> {
        let query = match owner {
            Some(owner) => {
                sqlx::query(select_tokens!("WHERE t.user_id = $1 ORDER BY t.id DESC")).bind(owner.0)
            }
            None => sqlx::query(select_tokens!("ORDER BY t.id DESC")),
        };
        let rows = query.fetch_all(&self.pool).await?;
        rows.iter().map(token).collect()
    }

    /// The token whose secret hashes to `secret_hash`, if any.
    #[instrument(skip_all)]
    pub async fn token_grant(&self, secret_hash: &str) -> Result<Option<TokenGrant>> {
        let row = sqlx::query(
            "SELECT id, user_id, scope, last_used_at FROM api_tokens WHERE secret_hash = $1",
        )
        .bind(secret_hash)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        Ok(Some(TokenGrant {
            id: TokenId(row.try_get("id")?),
            user: UserId(row.try_get("user_id")?),
            scope: role(&row.try_get::<String, _>("scope")?)?,
            last_used_at: row.try_get("last_used_at")?,
        }))
    }

    /// Records that the token was used at `now`.
    #[instrument(skip_all)]
    pub async fn token_used(&self, id: TokenId, now: i64) -> Result<()> {
        let mut w = self.begin_write().await?;
        sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
            .bind(now)
            .bind(id.0)
            .execute(w.conn())
            .await?;
        w.commit().await
    }

    /// Deletes a token: it stops working at once. `NotFound` when there is none.
    #[instrument(skip_all)]
    pub async fn token_delete(&self, id: TokenId) -> Result<()> {
        self.change_by_id("DELETE FROM api_tokens WHERE id = $1", id.0)
            .await
    }
}
