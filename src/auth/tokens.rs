//! Personal API tokens for scripts: created and revoked in the admin, shown once, stored as
//! their SHA-256, acting with the person's role and kommuner. Sent as `Authorization: Bearer`;
//! cookies are never read by the write API, so it needs no CSRF token.

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use sqlx::Row;

use super::{Account, digest, random_token};
use crate::AppState;
use crate::http::error::RequestError;
use crate::store::{Store, StoreError};

/// Tokens start with this, so a leaked one is recognisable (e.g. by secret scanners).
pub const PREFIX: &str = "skk_";

#[derive(Debug, Clone)]
pub struct ApiToken {
    pub id: i64,
    pub name: String,
    pub created_at: i64,
    pub last_used: Option<i64>,
    pub revoked_at: Option<i64>,
}

impl Store {
    /// Creates a token for an account; returns it (shown once) and its id.
    pub async fn create_token(
        &self,
        account: i64,
        name: &str,
    ) -> Result<(i64, String), StoreError> {
        let token = format!("{PREFIX}{}", random_token());
        let mut tx = self.begin().await?;
        let id: i64 = sqlx::query("SELECT COALESCE(MAX(id), 0) + 1 FROM api_tokens")
            .fetch_one(&mut *tx)
            .await?
            .get(0);
        sqlx::query(
            "INSERT INTO api_tokens (id, account_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(account)
        .bind(name)
        .bind(digest(&token))
        .bind(crate::dates::now_seconds())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok((id, token))
    }

    /// Revokes one of an account's tokens; false if it has no such live token.
    pub async fn revoke_token(&self, account: i64, id: i64) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND account_id = $3 AND revoked_at IS NULL",
        )
        .bind(crate::dates::now_seconds())
        .bind(id)
        .bind(account)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn tokens(&self, account: i64) -> Result<Vec<ApiToken>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, name, created_at, last_used, revoked_at FROM api_tokens WHERE account_id = $1 ORDER BY id",
        )
        .bind(account)
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .iter()
            .map(|r| ApiToken {
                id: r.get(0),
                name: r.get(1),
                created_at: r.get(2),
                last_used: r.get(3),
                revoked_at: r.get(4),
            })
            .collect())
    }

    /// The active account a live token belongs to.
    pub async fn token_account(&self, token: &str) -> Result<Option<Account>, StoreError> {
        let row = sqlx::query(
            "SELECT id, account_id FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL",
        )
        .bind(digest(token))
        .fetch_optional(self.pool())
        .await?;
        let Some(row) = row else { return Ok(None) };
        let (id, account): (i64, i64) = (row.get(0), row.get(1));
        // At most once a minute: a write (and its fsync) per scripted request would cost more
        // than the edit it carries.
        sqlx::query(
            "UPDATE api_tokens SET last_used = $1 WHERE id = $2 \
             AND (last_used IS NULL OR last_used < $1 - 60)",
        )
        .bind(crate::dates::now_seconds())
        .bind(id)
        .execute(self.pool())
        .await?;
        Ok(self.account(account).await?.filter(|a| a.active))
    }
}

/// A script acting for a person through their API token.
#[derive(Debug, Clone)]
pub struct ApiEditor {
    pub account: Account,
}

impl FromRequestParts<AppState> for ApiEditor {
    type Rejection = RequestError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, RequestError> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| t.starts_with(PREFIX));
        let Some(token) = token else {
            return Err(RequestError::unauthorized(
                "ange en API-nyckel: Authorization: Bearer skk_…",
            ));
        };
        let store = state
            .store()
            .map_err(|e| RequestError::unavailable(e.to_string()))?;
        match store.token_account(token).await {
            Ok(Some(account)) => Ok(ApiEditor { account }),
            Ok(None) => Err(RequestError::unauthorized(
                "API-nyckeln är okänd eller återkallad",
            )),
            Err(e) => Err(RequestError::unavailable(e.to_string())),
        }
    }
}
