//! Signing in and out: e-mail and password, then the TOTP code (or a recovery code); or the
//! organisation's OpenID provider. A session moves anonymous → second factor → signed in, and
//! gets a new id on becoming signed in. The forms shown before sign-in carry the CSRF token of
//! an anonymous session; every failure gives the same Swedish message, counts against the
//! throttles and is logged.

use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use maud::{Markup, html};
use serde::Deserialize;

use crate::AppState;
use crate::admin::layout::{message, page, respond};
use crate::auth::events::Event;
use crate::auth::oidc::{OidcError, Pending};
use crate::auth::sessions::{self, Refusal, Session, Stage, check_csrf, current, pre_sign_in};
use crate::auth::{Client, password, same_secret, totp};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/logga-in", get(sign_in_form).post(sign_in))
        .route("/admin/logga-in/kod", get(code_form).post(code))
        .route("/admin/logga-ut", post(sign_out))
        .route("/admin/oidc", get(oidc_start))
        .route("/admin/oidc/callback", get(oidc_callback))
}

/// Where to go after sign-in: a path on this site only (`/…`, never `//host` or `/\host`,
/// which browsers read as another site), else the admin start.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.starts_with("/\\")
                && n.len() <= 2000
                && !n.chars().any(|c| c.is_control() || c == '\\') =>
        {
            n.to_string()
        }
        _ => "/admin".to_string(),
    }
}

/// A 303 to `to`, never cached, setting `cookie` if given.
pub fn see_other(to: &str, cookie: Option<HeaderValue>) -> Response {
    let mut r = StatusCode::SEE_OTHER.into_response();
    let h = r.headers_mut();
    h.insert(
        header::LOCATION,
        HeaderValue::from_str(to).unwrap_or_else(|_| HeaderValue::from_static("/admin")),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Some(c) = cookie {
        h.append(header::SET_COOKIE, c);
    }
    r
}

/// Adds a `Set-Cookie` to a response.
pub fn with_cookie(mut r: Response, cookie: Option<HeaderValue>) -> Response {
    if let Some(c) = cookie {
        r.headers_mut().append(header::SET_COOKIE, c);
    }
    r
}

/// The refusal of sign-in over plain HTTP from another machine.
pub fn insecure() -> Response {
    message(
        StatusCode::FORBIDDEN,
        "Inloggning kräver https",
        "Lösenord och koder tas bara emot över en krypterad anslutning (https), eller från \
         datorn där tjänsten körs. Använd tjänstens https-adress. För den som driver tjänsten: \
         ange --public-url https://… när TLS avslutas framför tjänsten, och proxyns adress med \
         --trusted-proxies så att dess X-Forwarded-Proto räknas.",
    )
}

/// 429 after too many failed attempts.
pub fn too_many(wait: Duration) -> Response {
    let minutes = wait.as_secs().div_ceil(60).max(1);
    let mut r = message(
        StatusCode::TOO_MANY_REQUESTS,
        "För många försök – vänta en stund",
        &format!(
            "Inloggningen är tillfälligt spärrad efter för många misslyckade försök. \
             Försök igen om {minutes} {}.",
            if minutes == 1 { "minut" } else { "minuter" }
        ),
    );
    r.headers_mut().insert(
        header::RETRY_AFTER,
        HeaderValue::from_str(&wait.as_secs().max(1).to_string()).expect("digits"),
    );
    r
}

/// The refusal of a form whose session has ended (or never began): start again.
fn no_session() -> Refusal {
    Refusal::Forbidden(
        "Formuläret saknar giltig säkerhetskod (CSRF), eller har varit öppet i mer än 30 minuter. \
         Ladda om sidan och försök igen."
            .into(),
    )
}

/// A form posted without being signed in: its session and its fields, the CSRF token checked.
pub async fn posted<T: serde::de::DeserializeOwned>(
    state: &AppState,
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<(Session, T), Refusal> {
    let session = current(state, headers).await?.ok_or_else(no_session)?;
    check_csrf(&session, body)?;
    let form = serde_urlencoded::from_bytes(body)
        .map_err(|e| Refusal::BadRequest(format!("Formuläret kunde inte läsas: {e}")))?;
    Ok((session, form))
}

/// One labelled input with its hint and error, tied together for screen readers.
pub struct Field<'a> {
    pub name: &'a str,
    pub label: &'a str,
    pub kind: &'a str,
    pub autocomplete: &'a str,
    pub value: &'a str,
    pub hint: Option<&'a str>,
    pub error: Option<&'a str>,
    /// Other descriptions (e.g. a form-wide error) the input is described by.
    pub described_by: Option<&'a str>,
    pub required: bool,
}

impl<'a> Field<'a> {
    pub fn new(name: &'a str, label: &'a str, kind: &'a str, autocomplete: &'a str) -> Self {
        Field {
            name,
            label,
            kind,
            autocomplete,
            value: "",
            hint: None,
            error: None,
            described_by: None,
            required: true,
        }
    }

    pub fn render(&self) -> Markup {
        let id = format!("falt-{}", self.name);
        let hint_id = format!("{id}-hjalp");
        let error_id = format!("{id}-fel");
        let described: Vec<&str> = [
            self.hint.map(|_| hint_id.as_str()),
            self.error.map(|_| error_id.as_str()),
            self.described_by,
        ]
        .into_iter()
        .flatten()
        .collect();
        let described = (!described.is_empty()).then(|| described.join(" "));
        let code = self.autocomplete == "one-time-code";
        html! {
            div.falt {
                label for=(id) { (self.label) }
                @if let Some(h) = self.hint { p.hjalp id=(hint_id) { (h) } }
                input type=(self.kind) id=(id) name=(self.name) value=(self.value)
                    autocomplete=(self.autocomplete) required[self.required]
                    inputmode=[code.then_some("numeric")]
                    spellcheck=[(self.kind != "password").then_some("false")]
                    autocapitalize=[(self.kind == "email" || code).then_some("none")]
                    aria-invalid=[self.error.map(|_| "true")]
                    aria-describedby=[described];
                @if let Some(e) = self.error { p.fel id=(error_id) { (e) } }
            }
        }
    }
}

#[derive(Deserialize)]
struct NextQuery {
    next: Option<String>,
}

fn sign_in_page(
    state: &AppState,
    session: &Session,
    next: &str,
    email: &str,
    error: Option<&str>,
) -> Markup {
    let auth = &state.auth;
    let mut email_field = Field::new("email", "E-postadress", "email", "username");
    email_field.value = email;
    let mut password_field = Field::new("password", "Lösenord", "password", "current-password");
    if error.is_some() {
        email_field.described_by = Some("inloggning-fel");
        password_field.described_by = Some("inloggning-fel");
    }
    page(
        "Logga in",
        None,
        html! {
            @if let Some(e) = error { p.fel #inloggning-fel role="alert" { (e) } }
            @if auth.local {
                form method="post" action="/admin/logga-in" {
                    input type="hidden" name="csrf" value=(session.csrf);
                    input type="hidden" name="next" value=(next);
                    (email_field.render())
                    (password_field.render())
                    button type="submit" { "Logga in" }
                }
                p { "Efter lösenordet frågar vi efter koden från din app för engångskoder." }
            }
            @if auth.oidc.is_some() {
                @if auth.local { h2 { "Eller" } }
                p { a.knapp href=(format!("/admin/oidc?next={}", crate::admin::encode(next))) { "Logga in med organisationens konto" } }
            }
            @if !auth.local && auth.oidc.is_none() {
                p { "Ingen inloggning är påslagen i den här tjänsten." }
            }
            p { "Konton skapas genom inbjudan från samordnaren; det går inte att registrera sig själv." }
        },
    )
}

async fn sign_in_form(
    State(state): State<AppState>,
    client: Client,
    headers: HeaderMap,
    Query(q): Query<NextQuery>,
) -> Result<Response, Refusal> {
    if !client.secure() {
        return Ok(insecure());
    }
    let next = safe_next(q.next.as_deref());
    if let Some(s) = current(&state, &headers).await?
        && s.stage == Stage::SignedIn
    {
        return Ok(see_other(&next, None));
    }
    let (session, cookie) = pre_sign_in(&state, &headers, &client).await?;
    let markup = sign_in_page(&state, &session, &next, "", None);
    Ok(with_cookie(respond(StatusCode::OK, markup), cookie))
}

#[derive(Deserialize)]
struct SignInForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
}

/// The one message for every wrong e-mail address, password, or account not ready: which
/// accounts exist is not told.
const WRONG: &str = "Fel e-postadress eller lösenord.";

async fn sign_in(
    State(state): State<AppState>,
    client: Client,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Refusal> {
    if !client.secure() {
        return Ok(insecure());
    }
    if !state.auth.local {
        return Ok(message(
            StatusCode::NOT_FOUND,
            "Lösenordsinloggning är avstängd",
            "Den här tjänsten loggar bara in med organisationens konto.",
        ));
    }
    let (mut session, form) = posted::<SignInForm>(&state, &headers, &body).await?;
    let store = state.store()?;
    let next = safe_next(form.next.as_deref());
    let email = crate::auth::accounts::normalise_email(&form.email)
        .unwrap_or_else(|_| form.email.trim().to_lowercase());
    if let Err(wait) = state.auth.throttle.check(Some(&email), client.address) {
        tracing::warn!("sign-in refused (throttled) from {}", client.address);
        return Ok(too_many(wait));
    }
    let account = store.account_by_email(&email).await?;
    let phc = match &account {
        Some(a) if a.active && a.has_totp => store.password_hash(a.id).await?,
        _ => None,
    };
    let ready = account.filter(|_| phc.is_some());
    if !password::verify(form.password, phc).await {
        let blocked = state.auth.throttle.failed(Some(&email), client.address);
        // What was typed is logged only if it is an e-mail address: a password typed into the
        // wrong field must not end up in the log.
        let typed = crate::auth::accounts::normalise_email(&form.email)
            .unwrap_or_else(|_| "(ingen e-postadress)".into());
        let account = ready.as_ref().map(|a| a.id);
        store
            .security_event(account, Event::SignInFailed, client.address, &typed)
            .await?;
        if blocked {
            store
                .security_event(account, Event::Throttled, client.address, &typed)
                .await?;
        }
        let markup = sign_in_page(&state, &session, &next, &form.email, Some(WRONG));
        return Ok(respond(StatusCode::UNPROCESSABLE_ENTITY, markup));
    }
    let account = ready.expect("a verified password has an account");
    session.account_id = Some(account.id);
    session.stage = Stage::SecondFactor;
    session.data.insert("next".into(), next.into());
    store.save_session(&session).await?;
    Ok(see_other("/admin/logga-in/kod", None))
}

fn code_page(session: &Session, error: Option<&str>) -> Markup {
    let mut field = Field::new("code", "Engångskod", "text", "one-time-code");
    field.hint = Some(
        "De sex siffrorna som appen för engångskoder visar nu. Har du inte telefonen: en av dina återställningskoder.",
    );
    field.error = error;
    page(
        "Logga in – engångskod",
        None,
        html! {
            form method="post" action="/admin/logga-in/kod" {
                input type="hidden" name="csrf" value=(session.csrf);
                (field.render())
                button type="submit" { "Fortsätt" }
            }
            p { a href="/admin/logga-in" { "Börja om med e-postadress och lösenord" } }
        },
    )
}

/// The session of a request between password and code, if it is one.
async fn second_factor(state: &AppState, headers: &HeaderMap) -> Result<Option<Session>, Refusal> {
    Ok(current(state, headers)
        .await?
        .filter(|s| s.stage == Stage::SecondFactor && s.account_id.is_some()))
}

async fn code_form(
    State(state): State<AppState>,
    client: Client,
    headers: HeaderMap,
) -> Result<Response, Refusal> {
    if !client.secure() {
        return Ok(insecure());
    }
    match second_factor(&state, &headers).await? {
        Some(session) => Ok(respond(StatusCode::OK, code_page(&session, None))),
        None => Ok(see_other("/admin/logga-in", None)),
    }
}

#[derive(Deserialize)]
struct CodeForm {
    #[serde(default)]
    code: String,
}

async fn code(
    State(state): State<AppState>,
    client: Client,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Refusal> {
    if !client.secure() {
        return Ok(insecure());
    }
    let Some(session) = second_factor(&state, &headers).await? else {
        return Ok(see_other("/admin/logga-in", None));
    };
    check_csrf(&session, &body)?;
    let form: CodeForm = serde_urlencoded::from_bytes(&body)
        .map_err(|e| Refusal::BadRequest(format!("Formuläret kunde inte läsas: {e}")))?;
    let store = state.store()?;
    let id = session.account_id.expect("checked");
    let Some(account) = store.account(id).await?.filter(|a| a.active) else {
        store.end_session(&session.id_hash).await?;
        return Ok(see_other("/admin/logga-in", None));
    };
    if let Err(wait) = state
        .auth
        .throttle
        .check(Some(&account.email), client.address)
    {
        store
            .security_event(Some(id), Event::Throttled, client.address, "engångskod")
            .await?;
        return Ok(too_many(wait));
    }
    let (ok, how) = if totp::looks_like_code(&form.code) {
        (store.accept_totp(id, &form.code).await?, "engångskod")
    } else {
        (
            store.use_recovery_code(id, &form.code).await?,
            "återställningskod",
        )
    };
    if !ok {
        let blocked = state
            .auth
            .throttle
            .failed(Some(&account.email), client.address);
        store
            .security_event(Some(id), Event::SecondFactorFailed, client.address, how)
            .await?;
        if blocked {
            store
                .security_event(Some(id), Event::Throttled, client.address, how)
                .await?;
        }
        let error = "Koden stämmer inte (eller är redan använd). Skriv koden som appen visar \
                     nu – en ny kommer var 30:e sekund – eller en oanvänd återställningskod.";
        return Ok(respond(
            StatusCode::UNPROCESSABLE_ENTITY,
            code_page(&session, Some(error)),
        ));
    }
    let next = safe_next(session.data.get("next").and_then(|v| v.as_str()));
    let detail = format!("lösenord och {how}");
    finish_sign_in(&state, Some(&session), &account, client, &detail, &next).await
}

/// Signs the account in under a new session id, logs it and sends the person on.
pub async fn finish_sign_in(
    state: &AppState,
    old: Option<&Session>,
    account: &crate::auth::Account,
    client: Client,
    how: &str,
    next: &str,
) -> Result<Response, Refusal> {
    let store = state.store()?;
    let (token, _) = store.sign_in(old, account.id).await?;
    store
        .security_event(Some(account.id), Event::SignIn, client.address, how)
        .await?;
    Ok(see_other(next, Some(sessions::cookie(&token))))
}

async fn sign_out(
    State(state): State<AppState>,
    client: Client,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Refusal> {
    let clear = Some(sessions::clear_cookie());
    let Some(session) = current(&state, &headers).await? else {
        // Already ended (expired, or signed out elsewhere): nothing to protect.
        return Ok(see_other("/admin/logga-in", clear));
    };
    check_csrf(&session, &body)?;
    let store = state.store()?;
    store.end_session(&session.id_hash).await?;
    if session.stage == Stage::SignedIn {
        store
            .security_event(session.account_id, Event::SignOut, client.address, "")
            .await?;
    }
    Ok(see_other("/admin/logga-in", clear))
}

/// The address the OpenID provider sends people back to.
pub fn redirect_uri(state: &AppState) -> String {
    let base = state
        .site
        .options
        .public_url
        .as_deref()
        .unwrap_or("http://127.0.0.1:8080");
    format!("{}/admin/oidc/callback", base.trim_end_matches('/'))
}

impl IntoResponse for OidcError {
    fn into_response(self) -> Response {
        match self {
            OidcError::Unavailable(t) => message(
                StatusCode::BAD_GATEWAY,
                "Organisationens inloggning svarar inte",
                &t,
            ),
            OidcError::Refused(t) => message(
                StatusCode::BAD_REQUEST,
                "Inloggningen kunde inte slutföras",
                &t,
            ),
        }
    }
}

/// Sends a person to the OpenID provider; `invitation` (a token hash) binds the account of
/// that invitation on return. A link, not a form: a form's redirect to another site would be
/// stopped by the pages' `form-action 'self'`. The state parameter ties the return to this
/// session, so the link needs no CSRF token.
pub async fn start_oidc(
    state: &AppState,
    headers: &HeaderMap,
    client: &Client,
    next: &str,
    invitation: Option<&str>,
) -> Result<Response, Refusal> {
    let Some(provider) = state.auth.oidc.as_ref() else {
        return Ok(oidc_off());
    };
    let (mut session, cookie) = pre_sign_in(state, headers, client).await?;
    let (url, pending) = match provider.start(&redirect_uri(state)).await {
        Ok(x) => x,
        Err(e) => return Ok(e.into_response()),
    };
    session.data.insert(
        "oidc".into(),
        serde_json::to_value(&pending).expect("plain strings"),
    );
    session.data.insert("next".into(), next.into());
    match invitation {
        Some(hash) => session.data.insert("invitation".into(), hash.into()),
        None => session.data.remove("invitation"),
    };
    state.store()?.save_session(&session).await?;
    Ok(see_other(&url, cookie))
}

fn oidc_off() -> Response {
    message(
        StatusCode::NOT_FOUND,
        "Organisationens inloggning är inte påslagen",
        "Den här tjänsten har ingen OpenID-provider inställd (--oidc-issuer).",
    )
}

async fn oidc_start(
    State(state): State<AppState>,
    client: Client,
    headers: HeaderMap,
    Query(q): Query<NextQuery>,
) -> Result<Response, Refusal> {
    if !client.secure() {
        return Ok(insecure());
    }
    start_oidc(
        &state,
        &headers,
        &client,
        &safe_next(q.next.as_deref()),
        None,
    )
    .await
}

#[derive(Deserialize)]
struct Callback {
    code: Option<String>,
    state: Option<String>,
    /// RFC 9207: the provider names itself, so an answer from another one is not taken.
    iss: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
}

async fn oidc_callback(
    State(state): State<AppState>,
    client: Client,
    headers: HeaderMap,
    Query(q): Query<Callback>,
) -> Result<Response, Refusal> {
    if !client.secure() {
        return Ok(insecure());
    }
    let Some(provider) = state.auth.oidc.as_ref() else {
        return Ok(oidc_off());
    };
    let refused = |text: &str| {
        message(
            StatusCode::BAD_REQUEST,
            "Inloggningen kunde inte slutföras",
            &format!("{text} Börja om från inloggningssidan."),
        )
    };
    let store = state.store()?;
    let Some(mut session) = current(&state, &headers).await? else {
        return Ok(refused(
            "Inloggningen hos organisationen tog för lång tid, eller kom från en annan webbläsare.",
        ));
    };
    // What was remembered is good for one return only.
    let pending = session.data.remove("oidc");
    let invitation = session.data.remove("invitation");
    store.save_session(&session).await?;
    let Some(pending) = pending.and_then(|p| serde_json::from_value::<Pending>(p).ok()) else {
        return Ok(refused("Ingen inloggning hos organisationen pågick."));
    };
    if let Some(error) = q.error {
        let why = q.error_description.unwrap_or(error);
        return Ok(refused(&format!(
            "Organisationens inloggning avbröts ({why})."
        )));
    }
    let (Some(code), Some(returned)) = (q.code, q.state) else {
        return Ok(refused(
            "Svaret från organisationens inloggning saknar kod.",
        ));
    };
    if !same_secret(&returned, &pending.state) {
        store
            .security_event(None, Event::OidcRefused, client.address, "fel state")
            .await?;
        return Ok(refused(
            "Svaret hörde inte till den här inloggningen (state stämmer inte).",
        ));
    }
    if q.iss.as_deref().is_some_and(|iss| iss != provider.issuer()) {
        return Ok(refused(
            "Svaret kom från en annan inloggningstjänst än den inställda.",
        ));
    }
    let (issuer, subject) = match provider
        .finish(&redirect_uri(&state), &pending, &code)
        .await
    {
        Ok(who) => who,
        Err(e) => return Ok(e.into_response()),
    };
    let next = safe_next(session.data.get("next").and_then(|v| v.as_str()));
    if let Some(hash) = invitation.as_ref().and_then(|v| v.as_str()) {
        return crate::admin::invitation::bind(&state, &session, hash, &issuer, &subject, client)
            .await;
    }
    let who = format!("{issuer} {subject}");
    match store.account_by_oidc(&issuer, &subject).await? {
        Some(account) if account.active => {
            finish_sign_in(
                &state,
                Some(&session),
                &account,
                client,
                "organisationens inloggning",
                &next,
            )
            .await
        }
        _ => {
            store
                .security_event(None, Event::OidcRefused, client.address, &who)
                .await?;
            Ok(message(
                StatusCode::FORBIDDEN,
                "Ditt konto är inte inbjudet",
                "Du loggade in hos organisationen, men det kontot har ingen inbjudan till \
                 Skaraborgskartans administration. Be samordnaren om en inbjudan och följ länken \
                 i den.",
            ))
        }
    }
}
