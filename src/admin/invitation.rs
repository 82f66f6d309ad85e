//! Taking up an invitation (`/admin/inbjudan/{token}`, from `user add` or the accounts page):
//! choose a password, enrol an authenticator app from a QR code (or the secret typed in),
//! confirm it with a first code, and get ten recovery codes, shown once. Or, when the
//! organisation's OpenID provider is configured, bind its account instead. What is chosen is
//! kept in the (anonymous) session until the last step writes it all at once.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use maud::{Markup, PreEscaped, html};
use serde::Deserialize;
use serde_json::json;

use super::signin::{Field, finish_sign_in, insecure, posted, see_other, too_many, with_cookie};
use crate::AppState;
use crate::admin::layout::{message, page, respond};
use crate::auth::enrolment::{BindError, Credentials, Invitation};
use crate::auth::events::Event;
use crate::auth::sessions::{self, Refusal, Session, pre_sign_in};
use crate::auth::{Client, Editor, password, totp};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/admin/inbjudan/{token}",
            get(invitation_page).post(choose_password),
        )
        .route("/admin/inbjudan/{token}/app", post(confirm_app))
        .route("/admin/inbjudan/{token}/oidc", get(oidc))
}

fn gone() -> Response {
    message(
        StatusCode::NOT_FOUND,
        "Inbjudan gäller inte",
        "Länken är redan använd, har gått ut (en inbjudan gäller i 7 dagar) eller är inte \
         hel. Be samordnaren om en ny inbjudan.",
    )
}

/// What has been chosen so far, kept in the session under "enrol".
struct Chosen {
    password_hash: String,
    secret: String,
}

fn chosen(session: &Session, invitation: &Invitation) -> Option<Chosen> {
    let e = session.data.get("enrol")?;
    if e.get("invitation")?.as_str()? != invitation.token_hash {
        return None;
    }
    Some(Chosen {
        password_hash: e.get("password_hash")?.as_str()?.to_string(),
        secret: e.get("secret")?.as_str()?.to_string(),
    })
}

fn password_page(
    state: &AppState,
    token: &str,
    invitation: &Invitation,
    session: &Session,
    problems: &[password::Problem],
) -> Markup {
    let a = &invitation.account;
    let error = |f: &str| {
        problems
            .iter()
            .find(|p| p.field == f)
            .map(|p| p.message.as_str())
    };
    let mut pw = Field::new("password", "Nytt lösenord", "password", "new-password");
    pw.hint = Some(
        "Minst 12 och högst 128 tecken. En fras av några ord som inte hör ihop är lätt att minnas och svår att gissa.",
    );
    pw.error = error("password");
    let mut pw2 = Field::new(
        "password2",
        "Samma lösenord igen",
        "password",
        "new-password",
    );
    pw2.error = error("password2");
    page(
        "Välkommen till administrationen",
        None,
        html! {
            p {
                "Inbjudan gäller " strong { (a.email) } " som " (a.role.label())
                @if !a.kommuner.is_empty() { " för " (kommun_names(state, &a.kommuner)) }
                ". Den gäller till " (crate::dates::local_time(invitation.expires_at)) "."
            }
            @if state.auth.local {
                h2 { "Välj lösenord" }
                p { "Efter lösenordet kopplar du en app för engångskoder (till exempel Microsoft Authenticator, Google Authenticator eller FreeOTP) som andra steg vid inloggningen." }
                form method="post" action=(format!("/admin/inbjudan/{token}")) {
                    input type="hidden" name="csrf" value=(session.csrf);
                    // For password managers: the account the new password belongs to.
                    div.falt {
                        label for="falt-username" { "E-postadress" }
                        input #falt-username type="email" name="username" value=(a.email)
                            autocomplete="username" readonly;
                    }
                    (pw.render())
                    (pw2.render())
                    button type="submit" { "Fortsätt" }
                }
            }
            @if state.auth.oidc.is_some() {
                h2 { "Organisationens konto" }
                p { "Du kan i stället logga in med ditt konto hos organisationen. Kontot kopplas då till den här inbjudan." }
                p { a.knapp href=(format!("/admin/inbjudan/{token}/oidc")) { "Logga in med organisationens konto" } }
            }
        },
    )
}

/// The kommuner of a set by name, for people to read.
pub fn kommun_names(state: &AppState, codes: &std::collections::BTreeSet<String>) -> String {
    let atlas = state.atlas();
    codes
        .iter()
        .map(|c| {
            atlas
                .kommuner()
                .iter()
                .find(|k| &k.code == c)
                .map_or_else(|| c.clone(), |k| k.name.clone())
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn app_page(
    token: &str,
    invitation: &Invitation,
    session: &Session,
    chosen: &Chosen,
    error: Option<&str>,
) -> Markup {
    let uri = totp::uri(&chosen.secret, &invitation.account.email);
    let grouped: Vec<String> = chosen
        .secret
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect();
    let mut field = Field::new("code", "Koden som appen visar", "text", "one-time-code");
    field.hint = Some("Sex siffror; en ny kommer var 30:e sekund.");
    field.error = error;
    page(
        "Koppla appen för engångskoder",
        None,
        html! {
            ol {
                li { "Öppna appen för engångskoder i telefonen och välj att lägga till ett konto." }
                li { "Skanna QR-koden, eller skriv in nyckeln nedan för hand (tidsbaserad, 6 siffror, 30 sekunder)." }
                li { "Skriv koden som appen visar i fältet och fortsätt." }
            }
            figure.qr {
                div role="img" aria-label="QR-kod för appen för engångskoder (samma uppgifter som nyckeln nedan)" {
                    (PreEscaped(totp::qr_svg(&uri)))
                }
                figcaption {
                    "Nyckel för inmatning för hand: "
                    code #nyckel { (grouped.join(" ")) }
                    br;
                    "Utfärdare: " (totp::ISSUER) ", konto: " (invitation.account.email)
                }
            }
            form method="post" action=(format!("/admin/inbjudan/{token}/app")) {
                input type="hidden" name="csrf" value=(session.csrf);
                (field.render())
                button type="submit" { "Bekräfta" }
            }
        },
    )
}

async fn invitation_page(
    State(state): State<AppState>,
    client: Client,
    headers: HeaderMap,
    Path(token): Path<String>,
) -> Result<Response, Refusal> {
    if !client.secure() {
        return Ok(insecure());
    }
    let Some(invitation) = state.store()?.invitation(&token).await? else {
        return Ok(gone());
    };
    let (session, cookie) = pre_sign_in(&state, &headers, &client).await?;
    let markup = match chosen(&session, &invitation) {
        Some(c) if state.auth.local => app_page(&token, &invitation, &session, &c, None),
        _ => password_page(&state, &token, &invitation, &session, &[]),
    };
    Ok(with_cookie(respond(StatusCode::OK, markup), cookie))
}

#[derive(Deserialize)]
struct PasswordForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    password2: String,
}

async fn choose_password(
    State(state): State<AppState>,
    client: Client,
    headers: HeaderMap,
    Path(token): Path<String>,
    body: Bytes,
) -> Result<Response, Refusal> {
    if !client.secure() {
        return Ok(insecure());
    }
    if !state.auth.local {
        return Ok(see_other(&format!("/admin/inbjudan/{token}"), None));
    }
    let store = state.store()?;
    let Some(invitation) = store.invitation(&token).await? else {
        return Ok(gone());
    };
    let (mut session, form) = posted::<PasswordForm>(&state, &headers, &body).await?;
    let a = &invitation.account;
    let problems = password::check_new(&form.password, &form.password2, &a.email, &a.name);
    if !problems.is_empty() {
        let markup = password_page(&state, &token, &invitation, &session, &problems);
        return Ok(respond(StatusCode::UNPROCESSABLE_ENTITY, markup));
    }
    let password_hash = password::hash(form.password).await?;
    session.data.insert(
        "enrol".into(),
        json!({
            "invitation": invitation.token_hash,
            "password_hash": password_hash,
            "secret": totp::new_secret(),
        }),
    );
    store.save_session(&session).await?;
    Ok(see_other(&format!("/admin/inbjudan/{token}"), None))
}

#[derive(Deserialize)]
struct CodeForm {
    #[serde(default)]
    code: String,
}

async fn confirm_app(
    State(state): State<AppState>,
    client: Client,
    headers: HeaderMap,
    Path(token): Path<String>,
    body: Bytes,
) -> Result<Response, Refusal> {
    if !client.secure() {
        return Ok(insecure());
    }
    let store = state.store()?;
    let Some(invitation) = store.invitation(&token).await? else {
        return Ok(gone());
    };
    let (mut session, form) = posted::<CodeForm>(&state, &headers, &body).await?;
    let Some(chosen) = chosen(&session, &invitation) else {
        return Ok(see_other(&format!("/admin/inbjudan/{token}"), None));
    };
    let throttle = &state.auth.throttle;
    if let Err(wait) = throttle.check(None, client.address) {
        return Ok(too_many(wait));
    }
    let Some(step) = totp::step_of(&chosen.secret, &form.code, crate::dates::now_seconds()) else {
        throttle.failed(None, client.address);
        let error = "Koden stämmer inte. Kontrollera att appen fick rätt nyckel och skriv koden den visar nu.";
        let markup = app_page(&token, &invitation, &session, &chosen, Some(error));
        return Ok(respond(StatusCode::UNPROCESSABLE_ENTITY, markup));
    };
    let codes = totp::new_recovery_codes();
    let account = invitation.account.clone();
    let credentials = Credentials {
        password_hash: &chosen.password_hash,
        totp_secret: &chosen.secret,
        totp_step: step,
        recovery_codes: &codes,
    };
    if !store
        .complete_enrolment(&invitation.token_hash, account.id, &credentials)
        .await?
    {
        return Ok(gone());
    }
    session.data.remove("enrol");
    let (token, new) = store.sign_in(Some(&session), account.id).await?;
    store
        .security_event(
            Some(account.id),
            Event::Enrolled,
            client.address,
            "lösenord och engångskod",
        )
        .await?;
    let account = store.account(account.id).await?.unwrap_or(account);
    let editor = Editor {
        account,
        session: new,
    };
    let markup = page(
        "Spara dina återställningskoder",
        Some(&editor),
        html! {
            p { "Klart: du är inloggad, och nästa gång loggar du in med e-postadress, lösenord och koden från appen." }
            p { strong { "Spara de här koderna nu – de visas bara den här gången." } " Skriv ut dem eller lägg dem i en lösenordshanterare. Om du blir av med telefonen loggar du in med en av dem i stället för koden från appen; varje kod fungerar en gång." }
            ol.koder { @for c in &codes { li { code { (c) } } } }
            p { a href="/admin" { "Fortsätt till administrationen" } }
        },
    );
    Ok(with_cookie(
        respond(StatusCode::OK, markup),
        Some(sessions::cookie(&token)),
    ))
}

async fn oidc(
    State(state): State<AppState>,
    client: Client,
    headers: HeaderMap,
    Path(token): Path<String>,
) -> Result<Response, Refusal> {
    if !client.secure() {
        return Ok(insecure());
    }
    let Some(invitation) = state.store()?.invitation(&token).await? else {
        return Ok(gone());
    };
    let hash = Some(invitation.token_hash.as_str());
    super::signin::start_oidc(&state, &headers, &client, "/admin", hash).await
}

/// On return from the provider with an invitation in the session: binds its account to the
/// provider's user and signs in.
pub async fn bind(
    state: &AppState,
    session: &Session,
    token_hash: &str,
    issuer: &str,
    subject: &str,
    client: Client,
) -> Result<Response, Refusal> {
    let store = state.store()?;
    let Some(invitation) = store.invitation_by_hash(token_hash).await? else {
        return Ok(gone());
    };
    let account = invitation.account;
    match store
        .bind_oidc(token_hash, account.id, issuer, subject)
        .await
    {
        Ok(()) => {}
        Err(BindError::Invitation) => return Ok(gone()),
        Err(BindError::Taken) => {
            return Ok(message(
                StatusCode::CONFLICT,
                "Kontot är redan kopplat",
                "Ditt konto hos organisationen är redan kopplat till ett annat konto i \
                 Skaraborgskartan. Be samordnaren reda ut vilket som ska gälla.",
            ));
        }
        Err(BindError::Store(e)) => return Err(e.into()),
    }
    store
        .security_event(
            Some(account.id),
            Event::OidcBound,
            client.address,
            &format!("{issuer} {subject}"),
        )
        .await?;
    finish_sign_in(
        state,
        Some(session),
        &account,
        client,
        "organisationens inloggning (inbjudan)",
        "/admin",
    )
    .await
}
