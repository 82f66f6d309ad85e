//! Accounts: created by invitation only (the CLI or a samordnare), with a role and, for a
//! redaktör, the kommuner they may edit.

use std::collections::BTreeSet;

use sqlx::{Row, SqliteConnection};

use crate::store::{Store, StoreError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Samordnare,
    Redaktor,
}

impl Role {
    pub fn parse(s: &str) -> Result<Role, String> {
        match s {
            "samordnare" => Ok(Role::Samordnare),
            "redaktor" | "redaktör" => Ok(Role::Redaktor),
            _ => Err(format!("okänd roll ”{s}” (samordnare eller redaktor)")),
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Role::Samordnare => "samordnare",
            Role::Redaktor => "redaktor",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Samordnare => "samordnare",
            Role::Redaktor => "redaktör",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub kommuner: BTreeSet<String>,
    pub active: bool,
    pub has_password: bool,
    pub has_totp: bool,
    pub oidc: Option<(String, String)>,
}

const COLUMNS: &str = "id, email, name, role, active, password_hash IS NOT NULL AS has_password, \
    totp_secret IS NOT NULL AS has_totp, oidc_issuer, oidc_subject";

async fn from_row(
    conn: &mut SqliteConnection,
    row: &sqlx::sqlite::SqliteRow,
) -> Result<Account, StoreError> {
    let id: i64 = row.get("id");
    let role: String = row.get("role");
    let kommuner =
        sqlx::query("SELECT kommun FROM account_kommuner WHERE account_id = $1 ORDER BY kommun")
            .bind(id)
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(|r| r.get(0))
            .collect();
    let issuer: Option<String> = row.get("oidc_issuer");
    let subject: Option<String> = row.get("oidc_subject");
    Ok(Account {
        id,
        email: row.get("email"),
        name: row.get("name"),
        role: Role::parse(&role).map_err(StoreError)?,
        kommuner,
        active: row.get::<i64, _>("active") != 0,
        has_password: row.get::<i64, _>("has_password") != 0,
        has_totp: row.get::<i64, _>("has_totp") != 0,
        oidc: issuer.zip(subject),
    })
}

/// An e-mail address in the form accounts are matched by: trimmed, lower case.
pub fn normalise_email(email: &str) -> Result<String, String> {
    let e = email.trim().to_lowercase();
    let ok = e.len() <= 254
        && e.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        })
        && !e
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>\"'".contains(c));
    if ok {
        Ok(e)
    } else {
        Err(format!("”{}” är ingen e-postadress", email.trim()))
    }
}

/// Creates an account (inside the caller's write transaction). A samordnare has no kommun list.
pub async fn create(
    tx: &mut SqliteConnection,
    email: &str,
    name: &str,
    role: Role,
    kommuner: &BTreeSet<String>,
) -> Result<i64, StoreError> {
    let exists = sqlx::query("SELECT id FROM accounts WHERE email = $1")
        .bind(email)
        .fetch_optional(&mut *tx)
        .await?;
    if exists.is_some() {
        return Err(StoreError(format!("det finns redan ett konto för {email}")));
    }
    let id: i64 = sqlx::query("SELECT COALESCE(MAX(id), 0) + 1 FROM accounts")
        .fetch_one(&mut *tx)
        .await?
        .get(0);
    sqlx::query(
        "INSERT INTO accounts (id, email, name, role, active, created_at) VALUES ($1, $2, $3, $4, 1, $5)",
    )
    .bind(id)
    .bind(email)
    .bind(name)
    .bind(role.code())
    .bind(crate::dates::now_seconds())
    .execute(&mut *tx)
    .await?;
    set_kommuner(tx, id, role, kommuner).await?;
    Ok(id)
}

/// Replaces a redaktör's kommuner (a samordnare keeps none: the role covers the region).
pub async fn set_kommuner(
    tx: &mut SqliteConnection,
    id: i64,
    role: Role,
    kommuner: &BTreeSet<String>,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM account_kommuner WHERE account_id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    if role == Role::Redaktor {
        for k in kommuner {
            sqlx::query("INSERT INTO account_kommuner (account_id, kommun) VALUES ($1, $2)")
                .bind(id)
                .bind(k)
                .execute(&mut *tx)
                .await?;
        }
    }
    Ok(())
}

impl Store {
    pub async fn account(&self, id: i64) -> Result<Option<Account>, StoreError> {
        let mut conn = self.pool().acquire().await?;
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM accounts WHERE id = $1"))
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
        match row {
            Some(r) => Ok(Some(from_row(&mut conn, &r).await?)),
            None => Ok(None),
        }
    }

    pub async fn account_by_email(&self, email: &str) -> Result<Option<Account>, StoreError> {
        let mut conn = self.pool().acquire().await?;
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM accounts WHERE email = $1"))
            .bind(email)
            .fetch_optional(&mut *conn)
            .await?;
        match row {
            Some(r) => Ok(Some(from_row(&mut conn, &r).await?)),
            None => Ok(None),
        }
    }

    /// Every account, by e-mail address.
    pub async fn accounts(&self) -> Result<Vec<Account>, StoreError> {
        let mut conn = self.pool().acquire().await?;
        let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM accounts ORDER BY email"))
            .fetch_all(&mut *conn)
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            out.push(from_row(&mut conn, r).await?);
        }
        Ok(out)
    }

    /// Invites a person: creates the account and a one-time invitation (valid 7 days). Returns
    /// the account id and the invitation token (shown once; only its hash is kept).
    pub async fn invite(
        &self,
        email: &str,
        name: &str,
        role: Role,
        kommuner: &BTreeSet<String>,
    ) -> Result<(i64, String), StoreError> {
        let email = normalise_email(email).map_err(StoreError)?;
        let mut tx = self.begin().await?;
        let id = create(&mut tx, &email, name, role, kommuner).await?;
        let token = new_invitation(&mut tx, id).await?;
        tx.commit().await?;
        Ok((id, token))
    }
}

/// A new invitation for an account, valid for 7 days; earlier unused ones stop working.
pub async fn new_invitation(tx: &mut SqliteConnection, account: i64) -> Result<String, StoreError> {
    let now = crate::dates::now_seconds();
    sqlx::query("UPDATE invitations SET used_at = $1 WHERE account_id = $2 AND used_at IS NULL")
        .bind(now)
        .bind(account)
        .execute(&mut *tx)
        .await?;
    let token = super::random_token();
    sqlx::query(
        "INSERT INTO invitations (token_hash, account_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(super::digest(&token))
    .bind(account)
    .bind(now)
    .bind(now + 7 * 24 * 3600)
    .execute(&mut *tx)
    .await?;
    Ok(token)
}

impl Store {
    /// The account an OpenID provider's user is bound to (matched by issuer and subject only:
    /// an e-mail claim could be changed by the user at some providers).
    pub async fn account_by_oidc(
        &self,
        issuer: &str,
        subject: &str,
    ) -> Result<Option<Account>, StoreError> {
        let mut conn = self.pool().acquire().await?;
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM accounts WHERE oidc_issuer = $1 AND oidc_subject = $2"
        ))
        .bind(issuer)
        .bind(subject)
        .fetch_optional(&mut *conn)
        .await?;
        match row {
            Some(r) => Ok(Some(from_row(&mut conn, &r).await?)),
            None => Ok(None),
        }
    }

    /// Changes an account's name, role and kommuner (a samordnare's kommun list is emptied).
    pub async fn update_account(
        &self,
        id: i64,
        name: &str,
        role: Role,
        kommuner: &BTreeSet<String>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        sqlx::query("UPDATE accounts SET name = $1, role = $2 WHERE id = $3")
            .bind(name)
            .bind(role.code())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        set_kommuner(&mut tx, id, role, kommuner).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Deactivates (ending its sessions; its API tokens stop working) or reactivates an account.
    pub async fn set_active(&self, id: i64, active: bool) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        sqlx::query("UPDATE accounts SET active = $1 WHERE id = $2")
            .bind(i64::from(active))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if !active {
            sqlx::query("DELETE FROM sessions WHERE account_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
