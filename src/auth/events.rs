//! The security log (security_events): sign-ins and their failures, sign-outs, API tokens made
//! and revoked, accounts invited and changed, with the client's address. Kept apart from the
//! data's change log: it records who got in, not what they changed.

use std::net::IpAddr;

use sqlx::Row;

use crate::store::{Store, StoreError};

/// What happened (stored as its code; shown in Swedish).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    SignIn,
    SignInFailed,
    SecondFactorFailed,
    Throttled,
    SignOut,
    SignOutEverywhere,
    Enrolled,
    PasswordChanged,
    OidcBound,
    OidcRefused,
    TokenCreated,
    TokenRevoked,
    AccountInvited,
    AccountChanged,
    AccountDeactivated,
    AccountReactivated,
    AccountReset,
}

impl Event {
    pub fn code(self) -> &'static str {
        match self {
            Event::SignIn => "sign_in",
            Event::SignInFailed => "sign_in_failed",
            Event::SecondFactorFailed => "second_factor_failed",
            Event::Throttled => "throttled",
            Event::SignOut => "sign_out",
            Event::SignOutEverywhere => "sign_out_everywhere",
            Event::Enrolled => "enrolled",
            Event::PasswordChanged => "password_changed",
            Event::OidcBound => "oidc_bound",
            Event::OidcRefused => "oidc_refused",
            Event::TokenCreated => "token_created",
            Event::TokenRevoked => "token_revoked",
            Event::AccountInvited => "account_invited",
            Event::AccountChanged => "account_changed",
            Event::AccountDeactivated => "account_deactivated",
            Event::AccountReactivated => "account_reactivated",
            Event::AccountReset => "account_reset",
        }
    }

    /// The Swedish description of an event code (an unknown code is shown as it is).
    pub fn label(code: &str) -> &str {
        match code {
            "sign_in" => "inloggad",
            "sign_in_failed" => "misslyckad inloggning",
            "second_factor_failed" => "fel engångskod",
            "throttled" => "för många försök",
            "sign_out" => "utloggad",
            "sign_out_everywhere" => "utloggad överallt",
            "enrolled" => "inbjudan använd, inloggning inställd",
            "password_changed" => "lösenord bytt",
            "oidc_bound" => "kopplad till organisationens konto",
            "oidc_refused" => "organisationens konto är inte inbjudet",
            "token_created" => "API-nyckel skapad",
            "token_revoked" => "API-nyckel återkallad",
            "account_invited" => "konto inbjudet",
            "account_changed" => "konto ändrat",
            "account_deactivated" => "konto avstängt",
            "account_reactivated" => "konto återaktiverat",
            "account_reset" => "ny inbjudan, inloggning återställd",
            other => other,
        }
    }
}

#[derive(Debug, Clone)]
pub struct SecurityEvent {
    pub at: i64,
    pub account_id: Option<i64>,
    pub event: String,
    pub address: String,
    pub detail: String,
}

impl Store {
    /// Appends an event. A failure to log is reported to the caller: sign-in does not go on
    /// unrecorded.
    pub async fn security_event(
        &self,
        account: Option<i64>,
        event: Event,
        address: IpAddr,
        detail: &str,
    ) -> Result<(), StoreError> {
        let detail: String = detail.chars().take(500).collect();
        let mut tx = self.begin().await?;
        let id: i64 = sqlx::query("SELECT COALESCE(MAX(id), 0) + 1 FROM security_events")
            .fetch_one(&mut *tx)
            .await?
            .get(0);
        sqlx::query(
            "INSERT INTO security_events (id, at, account_id, event, address, detail) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(crate::dates::now_seconds())
        .bind(account)
        .bind(event.code())
        .bind(address.to_string())
        .bind(detail)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The latest events, newest first.
    pub async fn security_events(&self, limit: i64) -> Result<Vec<SecurityEvent>, StoreError> {
        let rows = sqlx::query(
            "SELECT at, account_id, event, address, detail FROM security_events ORDER BY id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .iter()
            .map(|r| SecurityEvent {
                at: r.get(0),
                account_id: r.get(1),
                event: r.get(2),
                address: r.get(3),
                detail: r.get(4),
            })
            .collect())
    }
}
