//! Taking up an invitation: the one-time link (7 days) leads to setting a password and
//! enrolling TOTP, or to binding the organisation's OpenID account. Nothing is written to the
//! account until the last step succeeds, and then all of it in one transaction that also uses
//! up the invitation; an account is usable with a password only once it has both factors.

use sqlx::Row;

use super::{Account, digest};
use crate::store::{Store, StoreError};

/// A live invitation: unused, not expired, for an active account.
#[derive(Debug, Clone)]
pub struct Invitation {
    pub token_hash: String,
    pub account: Account,
    pub expires_at: i64,
}

/// What enrolment sets, all at once.
pub struct Credentials<'a> {
    pub password_hash: &'a str,
    pub totp_secret: &'a str,
    /// The step of the code that confirmed the secret (used up, like any code).
    pub totp_step: i64,
    pub recovery_codes: &'a [String],
}

/// Why an OpenID account could not be bound.
#[derive(Debug)]
pub enum BindError {
    /// The invitation was used or expired meanwhile.
    Invitation,
    /// The provider's user is bound to another account already.
    Taken,
    Store(StoreError),
}

impl From<StoreError> for BindError {
    fn from(e: StoreError) -> Self {
        BindError::Store(e)
    }
}

impl From<sqlx::Error> for BindError {
    fn from(e: sqlx::Error) -> Self {
        BindError::Store(e.into())
    }
}

/// The account of an invitation still good now, inside a transaction.
async fn live(
    tx: &mut sqlx::SqliteConnection,
    token_hash: &str,
    account: i64,
) -> Result<bool, StoreError> {
    let row = sqlx::query(
        "SELECT i.account_id FROM invitations i JOIN accounts a ON a.id = i.account_id \
         WHERE i.token_hash = $1 AND i.used_at IS NULL AND i.expires_at > $2 AND a.active = 1",
    )
    .bind(token_hash)
    .bind(crate::dates::now_seconds())
    .fetch_optional(&mut *tx)
    .await?;
    Ok(row.is_some_and(|r| r.get::<i64, _>(0) == account))
}

async fn use_up(tx: &mut sqlx::SqliteConnection, token_hash: &str) -> Result<(), StoreError> {
    sqlx::query("UPDATE invitations SET used_at = $1 WHERE token_hash = $2")
        .bind(crate::dates::now_seconds())
        .bind(token_hash)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

impl Store {
    /// The invitation of a link's token, if it is still good.
    pub async fn invitation(&self, token: &str) -> Result<Option<Invitation>, StoreError> {
        if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(None);
        }
        self.invitation_by_hash(&digest(token)).await
    }

    pub async fn invitation_by_hash(
        &self,
        token_hash: &str,
    ) -> Result<Option<Invitation>, StoreError> {
        let row = sqlx::query(
            "SELECT account_id, expires_at FROM invitations WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
        )
        .bind(token_hash)
        .bind(crate::dates::now_seconds())
        .fetch_optional(self.pool())
        .await?;
        let Some(row) = row else { return Ok(None) };
        let account = self.account(row.get(0)).await?.filter(|a| a.active);
        Ok(account.map(|account| Invitation {
            token_hash: token_hash.to_string(),
            account,
            expires_at: row.get(1),
        }))
    }

    /// Sets the password, the TOTP secret and new recovery codes and uses up the invitation;
    /// false (and nothing changed) if the invitation is no longer good.
    pub async fn complete_enrolment(
        &self,
        token_hash: &str,
        account: i64,
        c: &Credentials<'_>,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin().await?;
        if !live(&mut tx, token_hash, account).await? {
            return Ok(false);
        }
        sqlx::query(
            "UPDATE accounts SET password_hash = $1, totp_secret = $2, totp_last_step = $3 WHERE id = $4",
        )
        .bind(c.password_hash)
        .bind(c.totp_secret)
        .bind(c.totp_step)
        .bind(account)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM recovery_codes WHERE account_id = $1")
            .bind(account)
            .execute(&mut *tx)
            .await?;
        for code in c.recovery_codes {
            sqlx::query("INSERT INTO recovery_codes (account_id, code_hash) VALUES ($1, $2)")
                .bind(account)
                .bind(super::totp::recovery_digest(code))
                .execute(&mut *tx)
                .await?;
        }
        use_up(&mut tx, token_hash).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Binds an account to an OpenID provider's user (issuer + subject) and uses up the
    /// invitation.
    pub async fn bind_oidc(
        &self,
        token_hash: &str,
        account: i64,
        issuer: &str,
        subject: &str,
    ) -> Result<(), BindError> {
        let mut tx = self.begin().await?;
        if !live(&mut tx, token_hash, account).await? {
            return Err(BindError::Invitation);
        }
        let other = sqlx::query(
            "SELECT id FROM accounts WHERE oidc_issuer = $1 AND oidc_subject = $2 AND id <> $3",
        )
        .bind(issuer)
        .bind(subject)
        .bind(account)
        .fetch_optional(&mut *tx)
        .await?;
        if other.is_some() {
            return Err(BindError::Taken);
        }
        sqlx::query("UPDATE accounts SET oidc_issuer = $1, oidc_subject = $2 WHERE id = $3")
            .bind(issuer)
            .bind(subject)
            .bind(account)
            .execute(&mut *tx)
            .await?;
        use_up(&mut tx, token_hash).await?;
        tx.commit().await?;
        Ok(())
    }

    /// A new invitation for an account that lost its way in: password, TOTP and recovery
    /// codes are removed and its sessions ended, so only the new link gets it going again.
    /// (A binding to the organisation's OpenID account stays.)
    pub async fn reset_sign_in(&self, account: i64) -> Result<String, StoreError> {
        let mut tx = self.begin().await?;
        sqlx::query(
            "UPDATE accounts SET password_hash = NULL, totp_secret = NULL, totp_last_step = NULL WHERE id = $1",
        )
        .bind(account)
        .execute(&mut *tx)
        .await?;
        for q in [
            "DELETE FROM recovery_codes WHERE account_id = $1",
            "DELETE FROM sessions WHERE account_id = $1",
        ] {
            sqlx::query(q).bind(account).execute(&mut *tx).await?;
        }
        let token = super::accounts::new_invitation(&mut tx, account).await?;
        tx.commit().await?;
        Ok(token)
    }
}
