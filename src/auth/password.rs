//! Passwords: Argon2id at OWASP's parameters (19 MiB, 2 passes, 1 lane), kept as PHC strings
//! in accounts.password_hash, and what a new password must be (12–128 characters, not the
//! e-mail address, not easy to guess). Hashing takes a core for tens of milliseconds and 19 MiB,
//! so it runs off the async threads and only a few at a time.

use std::sync::LazyLock;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use sqlx::Row;
use tokio::sync::Semaphore;

use crate::store::{Store, StoreError};

pub const MIN_CHARS: usize = 12;
pub const MAX_CHARS: usize = 128;

/// Hashes under way at once (each holds 19 MiB): a burst of sign-ins waits rather than
/// exhausting memory.
static HASHING: Semaphore = Semaphore::const_new(2);

fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("OWASP's Argon2id parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// A hash no password matches, verified for unknown accounts so that the answer takes as long
/// as for a known one.
static DUMMY: LazyLock<String> = LazyLock::new(|| {
    let salt = SaltString::generate(&mut OsRng);
    let secret = super::random_token();
    argon2()
        .hash_password(secret.as_bytes(), &salt)
        .expect("hashing")
        .to_string()
});

/// The PHC string of a new password.
pub async fn hash(password: String) -> Result<String, StoreError> {
    let _permit = HASHING.acquire().await.expect("semaphore open");
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        argon2()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| StoreError(format!("lösenordet kunde inte hashas: {e}")))
    })
    .await
    .map_err(|e| StoreError(e.to_string()))?
}

/// Whether `password` matches the PHC string; None (no account, no password) is checked
/// against a dummy hash and is always false.
pub async fn verify(password: String, phc: Option<String>) -> bool {
    let _permit = HASHING.acquire().await.expect("semaphore open");
    tokio::task::spawn_blocking(move || {
        let known = phc.is_some();
        let phc = phc.unwrap_or_else(|| DUMMY.clone());
        let Ok(parsed) = PasswordHash::new(&phc) else {
            return false;
        };
        argon2()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
            && known
    })
    .await
    .unwrap_or(false)
}

/// A problem with a new password, on the field it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// `password` or `password2` (the confirmation).
    pub field: &'static str,
    pub message: String,
}

/// What is wrong with a new password (nothing: empty).
pub fn check_new(password: &str, confirm: &str, email: &str, name: &str) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut problem = |field, message: &str| {
        out.push(Problem {
            field,
            message: message.to_string(),
        });
    };
    let chars = password.chars().count();
    if chars == 0 {
        problem("password", "Ange ett lösenord.");
    } else if chars < MIN_CHARS {
        problem(
            "password",
            "Lösenordet behöver minst 12 tecken (en fras av några ord går bra).",
        );
    } else if chars > MAX_CHARS {
        problem("password", "Lösenordet får vara högst 128 tecken.");
    } else if password.trim().eq_ignore_ascii_case(email.trim()) {
        problem("password", "Lösenordet får inte vara din e-postadress.");
    } else {
        let inputs = [email, name, "skaraborgskartan", "skaraborg"];
        let estimate = zxcvbn::zxcvbn(password, &inputs);
        if u8::from(estimate.score()) < 3 {
            problem(
                "password",
                "Lösenordet är för lätt att gissa: det liknar vanliga lösenord, namn eller ord. \
                 Välj en längre fras av några ord som inte hör ihop.",
            );
        }
    }
    if confirm != password && chars > 0 {
        problem(
            "password2",
            "Lösenorden är inte lika. Skriv samma lösenord två gånger.",
        );
    }
    out
}

impl Store {
    /// Sets a new password and ends the account's sessions but `keep` (the one that changed it).
    pub async fn set_password(
        &self,
        account: i64,
        phc: &str,
        keep: &str,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        sqlx::query("UPDATE accounts SET password_hash = $1 WHERE id = $2")
            .bind(phc)
            .bind(account)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM sessions WHERE account_id = $1 AND id_hash <> $2")
            .bind(account)
            .bind(keep)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The PHC string of an account's password, if it has one.
    pub async fn password_hash(&self, account: i64) -> Result<Option<String>, StoreError> {
        let row = sqlx::query("SELECT password_hash FROM accounts WHERE id = $1")
            .bind(account)
            .fetch_optional(self.pool())
            .await?;
        Ok(row.and_then(|r| r.get(0)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let phc = hash("korrekt häst batteri häftklammer".into())
            .await
            .unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert!(verify("korrekt häst batteri häftklammer".into(), Some(phc.clone())).await);
        assert!(!verify("korrekt häst batteri häftklammeR".into(), Some(phc)).await);
        assert!(!verify("anything".into(), None).await);
    }

    #[test]
    fn new_passwords_are_checked() {
        let fields = |p: &str, c: &str| -> Vec<&'static str> {
            check_new(p, c, "anna@skovde.se", "Anna")
                .iter()
                .map(|p| p.field)
                .collect()
        };
        assert_eq!(fields("", ""), ["password"]);
        assert_eq!(fields("kort", "kort"), ["password"]);
        assert_eq!(fields(&"x".repeat(129), &"x".repeat(129)), ["password"]);
        assert_eq!(fields("anna@skovde.se", "anna@skovde.se"), ["password"]);
        assert_eq!(fields("password1234", "password1234"), ["password"]);
        assert_eq!(fields("qwertyuiop123", "qwertyuiop123"), ["password"]);
        let good = "vattenkanna tältpinne 48 moln";
        assert!(fields(good, good).is_empty());
        assert_eq!(fields(good, "annat"), ["password2"]);
    }
}
