//! Server-side sessions. The cookie `__Host-skk` holds a random id; the store keeps its SHA-256
//! with the account, the stage of sign-in, the CSRF token and times. A session ends after 30
//! minutes without a request or 12 hours after it began, at sign-out, and for every session of
//! an account at "logga ut överallt".

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::de::DeserializeOwned;
use sqlx::Row;

use super::{Account, digest, random_token, same_secret};
use crate::AppState;
use crate::store::{Store, StoreError};

pub const COOKIE: &str = "__Host-skk";
/// Idle limit: 30 minutes without a request.
pub const IDLE_SECONDS: i64 = 30 * 60;
/// Absolute limit: 12 hours from the start of the session.
pub const ABSOLUTE_SECONDS: i64 = 12 * 3600;
/// last_seen is written at most this often (a write per admin request would cost an fsync each).
const TOUCH_SECONDS: i64 = 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Not signed in (carries the sign-in form's CSRF token, an OIDC state).
    Anonymous,
    /// Password checked; the second factor is still to come.
    SecondFactor,
    SignedIn,
}

impl Stage {
    fn code(self) -> &'static str {
        match self {
            Stage::Anonymous => "anonymous",
            Stage::SecondFactor => "second_factor",
            Stage::SignedIn => "signed_in",
        }
    }

    fn parse(s: &str) -> Stage {
        match s {
            "signed_in" => Stage::SignedIn,
            "second_factor" => Stage::SecondFactor,
            _ => Stage::Anonymous,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Session {
    pub id_hash: String,
    pub account_id: Option<i64>,
    pub stage: Stage,
    pub csrf: String,
    /// OIDC state, nonce and PKCE verifier, where to go after sign-in.
    pub data: serde_json::Map<String, serde_json::Value>,
    pub created_at: i64,
    pub last_seen: i64,
}

impl Session {
    /// Whether a submitted CSRF token is this session's.
    pub fn csrf_ok(&self, submitted: &str) -> bool {
        same_secret(&self.csrf, submitted)
    }
}

/// The `Set-Cookie` value for a session id: host-only, HTTPS only (browsers accept it from
/// http://localhost too), hidden from scripts, not sent on cross-site subrequests.
pub fn cookie(token: &str) -> HeaderValue {
    HeaderValue::from_str(&format!(
        "{COOKIE}={token}; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age={ABSOLUTE_SECONDS}"
    ))
    .expect("hex token")
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn clear_cookie() -> HeaderValue {
    HeaderValue::from_static("__Host-skk=; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=0")
}

/// The session id a request carries, if any.
pub fn token(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value)
        .filter(|v| v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()))
}

impl Store {
    /// Starts a session; returns the id for the cookie (only its hash is stored).
    pub async fn start_session(
        &self,
        account_id: Option<i64>,
        stage: Stage,
        data: serde_json::Map<String, serde_json::Value>,
    ) -> Result<(String, Session), StoreError> {
        let token = random_token();
        let now = crate::dates::now_seconds();
        let session = Session {
            id_hash: digest(&token),
            account_id,
            stage,
            csrf: random_token(),
            data,
            created_at: now,
            last_seen: now,
        };
        sqlx::query(
            "INSERT INTO sessions (id_hash, account_id, stage, csrf, data, created_at, last_seen, signed_in_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&session.id_hash)
        .bind(account_id)
        .bind(stage.code())
        .bind(&session.csrf)
        .bind(serde_json::Value::Object(session.data.clone()).to_string())
        .bind(now)
        .bind(now)
        .bind((stage == Stage::SignedIn).then_some(now))
        .execute(self.pool())
        .await?;
        Ok((token, session))
    }

    /// The live session of a cookie's id: None if unknown or expired (an expired one is removed).
    pub async fn session(&self, token: &str) -> Result<Option<Session>, StoreError> {
        let id_hash = digest(token);
        let row = sqlx::query(
            "SELECT account_id, stage, csrf, data, created_at, last_seen FROM sessions WHERE id_hash = $1",
        )
        .bind(&id_hash)
        .fetch_optional(self.pool())
        .await?;
        let Some(row) = row else { return Ok(None) };
        let now = crate::dates::now_seconds();
        let data: String = row.get("data");
        let session = Session {
            id_hash,
            account_id: row.get("account_id"),
            stage: Stage::parse(&row.get::<String, _>("stage")),
            csrf: row.get("csrf"),
            data: serde_json::from_str(&data).unwrap_or_default(),
            created_at: row.get("created_at"),
            last_seen: row.get("last_seen"),
        };
        if now - session.last_seen > IDLE_SECONDS || now - session.created_at > ABSOLUTE_SECONDS {
            self.end_session(&session.id_hash).await?;
            return Ok(None);
        }
        if now - session.last_seen > TOUCH_SECONDS {
            sqlx::query("UPDATE sessions SET last_seen = $1 WHERE id_hash = $2")
                .bind(now)
                .bind(&session.id_hash)
                .execute(self.pool())
                .await?;
        }
        Ok(Some(session))
    }

    /// Saves a session's stage, account and data (the id stays).
    pub async fn save_session(&self, s: &Session) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE sessions SET account_id = $1, stage = $2, data = $3 WHERE id_hash = $4",
        )
        .bind(s.account_id)
        .bind(s.stage.code())
        .bind(serde_json::Value::Object(s.data.clone()).to_string())
        .bind(&s.id_hash)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    pub async fn end_session(&self, id_hash: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
            .bind(id_hash)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Signs a person in under a new session id: the session they came with (anonymous, or
    /// between password and code) ends, so an id that existed before sign-in never becomes a
    /// signed-in one.
    pub async fn sign_in(
        &self,
        old: Option<&Session>,
        account_id: i64,
    ) -> Result<(String, Session), StoreError> {
        if let Some(old) = old {
            self.end_session(&old.id_hash).await?;
        }
        self.start_session(Some(account_id), Stage::SignedIn, Default::default())
            .await
    }

    /// Removes expired sessions (at most once a minute: the anonymous sessions of sign-in
    /// forms nobody sent would otherwise pile up).
    pub async fn prune_sessions(&self) -> Result<(), StoreError> {
        use std::sync::atomic::{AtomicI64, Ordering};
        static LAST: AtomicI64 = AtomicI64::new(0);
        let now = crate::dates::now_seconds();
        if now - LAST.swap(now, Ordering::Relaxed) < 60 {
            return Ok(());
        }
        sqlx::query("DELETE FROM sessions WHERE last_seen < $1 OR created_at < $2")
            .bind(now - IDLE_SECONDS)
            .bind(now - ABSOLUTE_SECONDS)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// The live sessions of a signed-in account: (started, last seen), newest first.
    pub async fn sessions_of(&self, account_id: i64) -> Result<Vec<(i64, i64)>, StoreError> {
        let now = crate::dates::now_seconds();
        let rows = sqlx::query(
            "SELECT created_at, last_seen FROM sessions WHERE account_id = $1 AND stage = 'signed_in' \
             AND last_seen >= $2 AND created_at >= $3 ORDER BY created_at DESC",
        )
        .bind(account_id)
        .bind(now - IDLE_SECONDS)
        .bind(now - ABSOLUTE_SECONDS)
        .fetch_all(self.pool())
        .await?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    }

    /// "Logga ut överallt": ends every session of an account.
    pub async fn end_sessions(&self, account_id: i64) -> Result<u64, StoreError> {
        let done = sqlx::query("DELETE FROM sessions WHERE account_id = $1")
            .bind(account_id)
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected())
    }
}

/// A signed-in person at the admin, with their session (for its CSRF token).
#[derive(Debug, Clone)]
pub struct Editor {
    pub account: Account,
    pub session: Session,
}

/// Why an admin request is not let through. A page asked for without a session is sent to the
/// sign-in page (and back afterwards); anything else gets a Swedish explanation.
#[derive(Debug)]
pub enum Refusal {
    SignIn {
        next: String,
    },
    Forbidden(String),
    BadRequest(String),
    Store(String),
    /// Too many attempts (or new sessions) from one client: wait this long.
    TooMany(std::time::Duration),
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let (status, title, text) = match self {
            Refusal::SignIn { next } => {
                let to = format!("/admin/logga-in?next={}", crate::admin::encode(&next));
                let mut r = Redirect::to(&to).into_response();
                r.headers_mut()
                    .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
                return r;
            }
            Refusal::Forbidden(t) => (StatusCode::FORBIDDEN, "Inte tillåtet", t),
            Refusal::BadRequest(t) => (StatusCode::BAD_REQUEST, "Felaktig begäran", t),
            Refusal::Store(t) => (StatusCode::SERVICE_UNAVAILABLE, "Lagret svarar inte", t),
            Refusal::TooMany(wait) => return crate::admin::signin::too_many(wait),
        };
        crate::admin::layout::message(status, title, &text)
    }
}

impl From<StoreError> for Refusal {
    fn from(e: StoreError) -> Self {
        tracing::error!("{e}");
        Refusal::Store("Ändringen kunde inte sparas just nu. Försök igen om en stund.".into())
    }
}

/// The session of a form shown before sign-in (sign-in, code, invitation): the live one the
/// request carries, or a new anonymous one, returned with the cookie that sets it. Its CSRF
/// token goes into the form.
pub async fn pre_sign_in(
    state: &AppState,
    headers: &HeaderMap,
    client: &super::Client,
) -> Result<(Session, Option<HeaderValue>), Refusal> {
    if let Some(s) = current(state, headers).await? {
        return Ok((s, None));
    }
    // (From this machine itself there is nobody to hold back, and test suites open many.)
    if !client.local {
        state
            .auth
            .throttle
            .new_session(client.address)
            .map_err(Refusal::TooMany)?;
    }
    let store = state.store().map_err(|e| Refusal::Store(e.to_string()))?;
    store.prune_sessions().await?;
    let (token, s) = store
        .start_session(None, Stage::Anonymous, Default::default())
        .await?;
    Ok((s, Some(cookie(&token))))
}

/// The session a request carries (signed in or not), if it is live.
pub async fn current(state: &AppState, headers: &HeaderMap) -> Result<Option<Session>, Refusal> {
    let Some(token) = token(headers) else {
        return Ok(None);
    };
    let store = state.store().map_err(|e| Refusal::Store(e.to_string()))?;
    Ok(store.session(token).await?)
}

impl FromRequestParts<AppState> for Editor {
    type Rejection = Refusal;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Refusal> {
        let next = parts
            .uri
            .path_and_query()
            .map_or("/admin", |p| p.as_str())
            .to_string();
        let refuse = || {
            if parts.method == Method::GET || parts.method == Method::HEAD {
                Refusal::SignIn { next: next.clone() }
            } else {
                Refusal::Forbidden("Du är inte inloggad (eller har varit inaktiv i mer än 30 minuter). Logga in och försök igen.".into())
            }
        };
        let Some(session) = current(state, &parts.headers).await? else {
            return Err(refuse());
        };
        let (Stage::SignedIn, Some(id)) = (session.stage, session.account_id) else {
            return Err(refuse());
        };
        let store = state.store().map_err(|e| Refusal::Store(e.to_string()))?;
        match store.account(id).await? {
            Some(account) if account.active => Ok(Editor { account, session }),
            _ => Err(refuse()),
        }
    }
}

/// A form posted by a signed-in person, with its CSRF token checked (field `csrf`). Every
/// state-changing admin form is read through this.
pub struct Posted<T> {
    pub editor: Editor,
    pub form: T,
}

impl<T: DeserializeOwned> FromRequest<AppState> for Posted<T> {
    type Rejection = Refusal;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Refusal> {
        let (mut parts, body) = req.into_parts();
        let editor = Editor::from_request_parts(&mut parts, state).await?;
        let bytes = axum::body::to_bytes(body, 1 << 20)
            .await
            .map_err(|_| Refusal::BadRequest("Formuläret är för stort (högst 1 MiB).".into()))?;
        check_csrf(&editor.session, &bytes)?;
        let form = serde_urlencoded::from_bytes(&bytes)
            .map_err(|e| Refusal::BadRequest(format!("Formuläret kunde inte läsas: {e}")))?;
        Ok(Posted { editor, form })
    }
}

/// Refuses a form whose `csrf` field is missing or not the session's token.
pub fn check_csrf(session: &Session, body: &[u8]) -> Result<(), Refusal> {
    let submitted = form_urlencoded::parse(body)
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default();
    if session.csrf_ok(&submitted) {
        Ok(())
    } else {
        Err(Refusal::Forbidden(
            "Formuläret saknar giltig säkerhetskod (CSRF). Ladda om sidan och försök igen.".into(),
        ))
    }
}
