//! Who may change what: accounts with a role (samordnare: the whole region; redaktör: some
//! kommuner), server-side sessions, CSRF tokens, personal API tokens, and the extractors the
//! admin handlers take ([`Editor`] for pages, [`ApiEditor`] for the write API).

pub mod accounts;
pub mod client;
pub mod enrolment;
pub mod events;
pub mod oidc;
pub mod password;
pub mod sessions;
pub mod throttle;
pub mod tokens;
pub mod totp;

use std::collections::BTreeSet;

pub use accounts::{Account, Role};
pub use client::Client;
pub use sessions::{Editor, Session};
pub use tokens::ApiEditor;

use sha2::{Digest, Sha256};

use crate::config::AuthArgs;
use crate::store::Scope;

/// How people sign in, fixed for the process's life: local password + TOTP on or off, the
/// organisation's OpenID provider (if configured), which peers are proxies whose
/// `X-Forwarded-*` headers count, and the throttles of failed attempts (and, apart from them,
/// of visitors' reports).
pub struct Auth {
    pub local: bool,
    pub oidc: Option<oidc::Provider>,
    pub trusted_proxies: Vec<ipnet::IpNet>,
    pub throttle: throttle::Throttle,
    pub reports: throttle::Reports,
}

impl Auth {
    /// From the command line; a malformed issuer URL or proxy address is refused here, at start.
    pub fn from_args(args: &AuthArgs) -> Result<Auth, String> {
        let oidc = match (&args.oidc_issuer, &args.oidc_client_id) {
            (None, None) => None,
            (Some(issuer), Some(id)) => Some(oidc::Provider::new(
                issuer,
                id,
                args.oidc_client_secret.as_deref(),
            )?),
            (Some(_), None) => {
                return Err("--oidc-issuer kräver --oidc-client-id (SKK_OIDC_CLIENT_ID)".into());
            }
            (None, Some(_)) => {
                return Err("--oidc-client-id kräver --oidc-issuer (SKK_OIDC_ISSUER)".into());
            }
        };
        let trusted_proxies = args
            .trusted_proxies
            .iter()
            .map(|p| p.trim())
            .filter(|p| !p.is_empty())
            .map(client::parse_proxy)
            .collect::<Result<_, _>>()?;
        if !args.local_sign_in && oidc.is_none() {
            return Err(
                "--local-sign-in false utan --oidc-issuer: då kan ingen logga in. Ange OIDC eller låt lösenordsinloggningen vara på."
                    .into(),
            );
        }
        Ok(Auth {
            local: args.local_sign_in,
            oidc,
            trusted_proxies,
            throttle: throttle::Throttle::default(),
            reports: throttle::Reports::default(),
        })
    }
}

impl Default for Auth {
    /// Password + TOTP only, no proxies: what a bare `serve` and the tests start with.
    fn default() -> Auth {
        Auth::from_args(&AuthArgs::default()).expect("the default configuration")
    }
}

/// A new random secret (session id, CSRF token, invitation, API token): 32 bytes from the
/// operating system's generator, URL-safe.
pub fn random_token() -> String {
    hex(&random_bytes::<32>())
}

/// N bytes from the operating system's generator (tokens, TOTP secrets, recovery codes).
pub fn random_bytes<const N: usize>() -> [u8; N] {
    use rand::TryRngCore;
    let mut bytes = [0u8; N];
    rand::rngs::OsRng
        .try_fill_bytes(&mut bytes)
        .expect("the OS random generator");
    bytes
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// How secrets are kept in the store: their SHA-256, so a copy of the database holds no usable
/// session, invitation or token. (They are random and long: a plain hash suffices; passwords use
/// Argon2id.)
pub fn digest(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
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
        self.scope().allows(kommun)
    }

    pub fn kommuner(&self) -> &BTreeSet<String> {
        &self.kommuner
    }
}
