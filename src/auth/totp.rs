//! The second factor: TOTP (RFC 6238: SHA-1, 6 digits, 30-second steps, one step either side
//! for a clock that is a little off), each code good once (accounts.totp_last_step), and ten
//! one-time recovery codes for a lost phone. A recovery code has 120 random bits, so its
//! SHA-256 is enough to keep it (as with tokens; a password needs Argon2id).

use sqlx::Row;
use totp_rs::{Algorithm, Builder, Secret, Totp};

use super::digest;
use crate::store::{Store, StoreError};

/// The name authenticator apps show above the code.
pub const ISSUER: &str = "Skaraborgskartan";
/// Recovery codes made at enrolment.
pub const RECOVERY_CODES: usize = 10;

/// A new secret: 160 random bits (RFC 4226's recommendation), in base32 as apps take it.
pub fn new_secret() -> String {
    Secret::from(super::random_bytes::<20>()).to_base32()
}

fn totp(secret: &str, email: &str) -> Option<Totp> {
    let secret = Secret::try_from_base32(secret).ok()?;
    Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(6)
        .with_skew(1)
        .with_step_duration(30)
        .with_secret(secret)
        .with_issuer(Some(ISSUER))
        .with_account_name(email.replace(':', ""))
        .build()
        .ok()
}

/// The `otpauth://` URI an authenticator app reads from the QR code.
pub fn uri(secret: &str, email: &str) -> String {
    totp(secret, email)
        .and_then(|t| t.to_url().ok())
        .unwrap_or_default()
}

/// The QR code of `uri` as an inline SVG element (no XML prologue), black on white.
pub fn qr_svg(uri: &str) -> String {
    let Ok(code) = qrcode::QrCode::new(uri.as_bytes()) else {
        return String::new();
    };
    let svg = code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(220, 220)
        .dark_color(qrcode::render::svg::Color("#000000"))
        .light_color(qrcode::render::svg::Color("#ffffff"))
        .build();
    match svg.find("<svg") {
        Some(i) => svg[i..].to_string(),
        None => svg,
    }
}

/// The time step a code is right for (now, or one step before or after), if any.
pub fn step_of(secret: &str, code: &str, now: i64) -> Option<i64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    let t = totp(secret, "")?;
    let now = u64::try_from(now).ok()?;
    t.check(&code, now).and_then(|s| i64::try_from(s).ok())
}

/// The code of a secret at a time (what an authenticator app shows), for tests and scripts.
pub fn code_at(secret: &str, time: i64) -> String {
    totp(secret, "")
        .map(|t| t.generate(u64::try_from(time).unwrap_or(0)).to_string())
        .unwrap_or_default()
}

/// New recovery codes, as shown to the person: 24 characters in groups of four.
pub fn new_recovery_codes() -> Vec<String> {
    // Crockford's base32: no I, L, O, U to mistake for 1, 1, 0, V.
    const ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";
    (0..RECOVERY_CODES)
        .map(|_| {
            let bytes = super::random_bytes::<24>();
            let chars: Vec<char> = bytes
                .iter()
                .map(|b| ALPHABET[usize::from(b % 32)] as char)
                .collect();
            chars
                .chunks(4)
                .map(|c| c.iter().collect::<String>())
                .collect::<Vec<_>>()
                .join("-")
        })
        .collect()
}

/// A recovery code as typed (any case, with or without dashes and spaces, O for 0 and I or L
/// for 1), as stored.
pub fn recovery_digest(typed: &str) -> String {
    let plain: String = typed
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| match c.to_ascii_lowercase() {
            'o' => '0',
            'i' | 'l' => '1',
            c => c,
        })
        .collect();
    digest(&plain)
}

/// Whether what was typed looks like a TOTP code rather than a recovery code.
pub fn looks_like_code(typed: &str) -> bool {
    let digits: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    digits.len() == 6 && digits.bytes().all(|b| b.is_ascii_digit())
}

impl Store {
    /// An account's TOTP secret, if enrolled.
    pub async fn totp_secret(&self, account: i64) -> Result<Option<String>, StoreError> {
        let row = sqlx::query("SELECT totp_secret FROM accounts WHERE id = $1")
            .bind(account)
            .fetch_optional(self.pool())
            .await?;
        Ok(row.and_then(|r| r.get(0)))
    }

    /// Checks a code and uses up its time step: true once per step, so a code seen over a
    /// shoulder (or sent twice) does not work again. Atomic: two requests racing with one code
    /// cannot both win.
    pub async fn accept_totp(&self, account: i64, code: &str) -> Result<bool, StoreError> {
        let Some(secret) = self.totp_secret(account).await? else {
            return Ok(false);
        };
        let Some(step) = step_of(&secret, code, crate::dates::now_seconds()) else {
            return Ok(false);
        };
        let done = sqlx::query(
            "UPDATE accounts SET totp_last_step = $1 WHERE id = $2 AND totp_secret = $3 \
             AND (totp_last_step IS NULL OR totp_last_step < $1)",
        )
        .bind(step)
        .bind(account)
        .bind(&secret)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Uses up one of an account's recovery codes; false if it is not one, or was used.
    pub async fn use_recovery_code(&self, account: i64, typed: &str) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE recovery_codes SET used_at = $1 WHERE account_id = $2 AND code_hash = $3 AND used_at IS NULL",
        )
        .bind(crate::dates::now_seconds())
        .bind(account)
        .bind(recovery_digest(typed))
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// How many unused recovery codes an account has left.
    pub async fn recovery_codes_left(&self, account: i64) -> Result<i64, StoreError> {
        let row = sqlx::query(
            "SELECT COUNT(*) FROM recovery_codes WHERE account_id = $1 AND used_at IS NULL",
        )
        .bind(account)
        .fetch_one(self.pool())
        .await?;
        Ok(row.get(0))
    }
}

/// Whether a code typed at enrolment is right for the new secret now.
pub fn confirms(secret: &str, code: &str) -> Option<i64> {
    step_of(secret, code, crate::dates::now_seconds())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_match_their_step_and_its_neighbours() {
        let secret = new_secret();
        assert_eq!(secret.len(), 32);
        let now = 1_800_000_000;
        let code = code_at(&secret, now);
        assert_eq!(code.len(), 6);
        assert_eq!(step_of(&secret, &code, now), Some(now / 30));
        assert_eq!(step_of(&secret, &code, now + 30), Some(now / 30));
        assert_eq!(step_of(&secret, &code, now + 90), None);
        assert_eq!(step_of(&secret, "12345", now), None);
    }

    #[test]
    fn the_uri_and_qr_code_name_the_issuer() {
        let secret = new_secret();
        let uri = uri(&secret, "anna@skovde.se");
        assert!(
            uri.starts_with("otpauth://totp/Skaraborgskartan:anna%40skovde.se?"),
            "{uri}"
        );
        assert!(uri.contains(&format!("secret={secret}")), "{uri}");
        let svg = qr_svg(&uri);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"), "{svg}");
    }

    #[test]
    fn recovery_codes_are_long_and_read_loosely() {
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), 10);
        assert!(codes.iter().all(|c| c.len() == 29), "{codes:?}");
        let c = &codes[0];
        assert_eq!(
            recovery_digest(c),
            recovery_digest(&c.to_uppercase().replace('-', " "))
        );
        assert!(looks_like_code(" 123 456"));
        assert!(!looks_like_code(c));
    }
}
