//! Who may change what: accounts with a role (samordnare: the whole region; redaktör: some
//! kommuner), server-side sessions, CSRF tokens, personal API tokens, and the extractors the
//! admin handlers take ([`Editor`] for pages, [`ApiEditor`] for the write API).

pub mod accounts;
pub mod sessions;
pub mod tokens;

use std::collections::BTreeSet;

pub use accounts::{Account, Role};
pub use sessions::{Editor, Session};
pub use tokens::ApiEditor;

use sha2::{Digest, Sha256};

use crate::store::Scope;

/// A new random secret (session id, CSRF token, invitation, API token): 32 bytes from the
/// operating system's generator, URL-safe.
pub fn random_token() -> String {
    use rand::TryRngCore;
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng
        .try_fill_bytes(&mut bytes)
        .expect("the OS random generator");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// How secrets are kept in the store: their SHA-256, so a copy of the database holds no usable
/// session, invitation or token. (They are random and long: a plain hash suffices; passwords use
/// Argon2id.)
pub fn digest(secret: &str) -> String {
    Sha256::digest(secret.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Compares two secrets in constant time.
pub fn same_secret(a: &str, b: &str) -> bool {
    use subtle::ConstantTimeEq;
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

impl Account {
    /// What this account may change.
    pub fn scope(&self) -> Scope {
        match self.role {
            Role::Samordnare => Scope::Region,
            Role::Redaktor => Scope::Kommuner(self.kommuner.clone()),
        }
    }

    /// Whether the account may change records of `kommun` (None: region-wide records).
    pub fn may_edit(&self, kommun: Option<&str>) -> bool {
        match (self.role, kommun) {
            (Role::Samordnare, _) => true,
            (Role::Redaktor, Some(k)) => self.kommuner.contains(k),
            (Role::Redaktor, None) => false,
        }
    }

    pub fn kommuner(&self) -> &BTreeSet<String> {
        &self.kommuner
    }
}
