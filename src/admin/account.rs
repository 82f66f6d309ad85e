//! My account (`/admin/konto`): who I am and what I may edit, how I sign in, my sign-ins,
//! personal API tokens (made and shown once, listed, revoked), the opt-in to e-mail reminders of
//! facts that kan vara inaktuella, and "Logga ut överallt". Also
//! `GET /api/v1/admin/whoami`: the account an API token acts for, for scripts to check theirs.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use maud::{Markup, html};
use serde::Deserialize;

use super::invitation::kommun_names;
use super::signin::{Field, see_other};
use crate::AppState;
use crate::admin::layout::{message, page, respond};
use crate::auth::events::Event;
use crate::auth::sessions::{self, Posted, Refusal};
use crate::auth::{ApiEditor, Client, Editor, Role, password};
use crate::dates::local_time;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/konto", get(my_account))
        .route("/admin/konto/losenord", post(change_password))
        .route("/admin/konto/nycklar", post(create_token))
        .route("/admin/konto/nycklar/{id}/aterkalla", post(revoke_token))
        .route("/admin/konto/logga-ut-overallt", post(sign_out_everywhere))
        .route("/admin/konto/paminnelser", post(set_reminders))
        .route("/api/v1/admin/whoami", get(whoami))
}

/// What is shown after an action: a new token (once), a form's problems, a changed password.
#[derive(Default)]
struct Notice<'a> {
    new_token: Option<(&'a str, &'a str)>,
    token_name_error: Option<&'a str>,
    token_name: &'a str,
    password_problems: Vec<password::Problem>,
    password_changed: bool,
    /// The reminder choice just saved.
    reminders_saved: Option<bool>,
}

async fn account_page(
    state: &AppState,
    editor: &Editor,
    notice: Notice<'_>,
) -> Result<Markup, Refusal> {
    let store = state.store()?;
    let a = &editor.account;
    let tokens = store.tokens(a.id).await?;
    let signed_in = store.sessions_of(a.id).await?;
    let recovery_left = store.recovery_codes_left(a.id).await?;
    let reminders = store.reminder_wanted(a.id).await?;
    let last_reminded = store.last_reminded(a.id).await?;
    let mut name = Field::new("name", "Vad nyckeln är till för", "text", "off");
    name.hint = Some("Till exempel ”import från enkäten”. Högst 100 tecken.");
    name.value = notice.token_name;
    name.error = notice.token_name_error;
    let problem = |f: &str| {
        notice
            .password_problems
            .iter()
            .find(|p| p.field == f)
            .map(|p| p.message.as_str())
    };
    let mut current = Field::new(
        "current",
        "Nuvarande lösenord",
        "password",
        "current-password",
    );
    current.error = problem("current");
    let mut new = Field::new("password", "Nytt lösenord", "password", "new-password");
    new.hint = Some("Minst 12 och högst 128 tecken; en fras av några ord går bra.");
    new.error = problem("password");
    let mut again = Field::new(
        "password2",
        "Samma nya lösenord igen",
        "password",
        "new-password",
    );
    again.error = problem("password2");
    Ok(page(
        "Mitt konto",
        Some(editor),
        html! {
            dl {
                dt { "Namn" } dd { (a.name) }
                dt { "E-postadress" } dd { (a.email) }
                dt { "Roll" } dd { (a.role.label()) }
                dt { "Får ändra" }
                dd {
                    @match a.role {
                        Role::Samordnare => "hela regionen: alla kommuner, programkatalogen och konton",
                        Role::Redaktor => (kommun_names(state, &a.kommuner)),
                    }
                }
                dt { "Inloggning" }
                dd {
                    @if a.has_password && a.has_totp {
                        "lösenord och app för engångskoder (" (recovery_left) " oanvända återställningskoder)"
                    } @else { "inget lösenord" }
                    @if a.oidc.is_some() { "; organisationens konto" }
                }
            }

            @if a.has_password {
                h2 #losenord { "Byt lösenord" }
                @if notice.password_changed {
                    p role="status" { "Lösenordet är bytt. Dina andra inloggningar är avslutade." }
                }
                form method="post" action="/admin/konto/losenord#losenord" {
                    input type="hidden" name="csrf" value=(editor.session.csrf);
                    div.falt {
                        label for="falt-username" { "E-postadress" }
                        input #falt-username type="email" name="username" value=(a.email)
                            autocomplete="username" readonly;
                    }
                    (current.render())
                    (new.render())
                    (again.render())
                    button type="submit" { "Byt lösenord" }
                }
            }

            h2 #paminnelser { "Påminnelser per e-post" }
            @if let Some(on) = notice.reminders_saved {
                p role="status" {
                    @if on { "Sparat: du får en påminnelse per e-post när uppgifter kan vara inaktuella." }
                    @else { "Sparat: du får inga påminnelser per e-post." }
                }
            }
            p {
                "En uppgift som inte har bekräftats på mer än " (state.atlas().review.months) " månader kan vara inaktuell. "
                "Vill du kan du få ett e-brev till " (a.email) " med de uppgifterna för "
                @if a.role == Role::Samordnare { "regionens kommuner" } @else { "dina kommuner" }
                ", högst en gång var 30:e dag."
            }
            @if state.mailer.is_none() {
                p.forklaring { "Tjänsten skickar ingen e-post just nu (ingen e-postserver är inställd). Ditt val sparas och gäller när den är det." }
            }
            @if let Some(at) = last_reminded {
                p.forklaring { "Senaste påminnelsen skickades " (local_time(at)) "." }
            }
            form method="post" action="/admin/konto/paminnelser" {
                input type="hidden" name="csrf" value=(editor.session.csrf);
                div.falt.faltrad.valrad {
                    input #falt-paminnelser type="checkbox" name="paminnelser" value="ja" checked[reminders];
                    label for="falt-paminnelser" { "Påminn mig per e-post om inaktuella uppgifter" }
                }
                button type="submit" { "Spara valet" }
            }

            h2 { "Inloggningar" }
            p { "Du är inloggad på " (signed_in.len()) " " (if signed_in.len() == 1 { "ställe" } else { "ställen" }) " just nu (en inloggning slutar efter 30 minuter utan aktivitet och senast efter 12 timmar)." }
            @if !signed_in.is_empty() {
                table {
                    thead { tr { th scope="col" { "Inloggad" } th scope="col" { "Senast aktiv" } } }
                    tbody { @for (start, seen) in &signed_in { tr { td { (local_time(*start)) } td { (local_time(*seen)) } } } }
                }
            }
            form method="post" action="/admin/konto/logga-ut-overallt" {
                input type="hidden" name="csrf" value=(editor.session.csrf);
                button type="submit" { "Logga ut överallt" }
                " (även här)"
            }

            h2 #nycklar { "API-nycklar" }
            p { "Med en API-nyckel kan ett skript ändra data genom /api/v1/admin/… med samma behörighet som du. Skicka den som " code { "Authorization: Bearer skk_…" } ". Nyckeln visas bara när den skapas; här sparas bara ett fingeravtryck av den." }
            @if let Some((name, token)) = notice.new_token {
                div.ny-nyckel role="status" {
                    p { "Ny nyckel för " strong { (name) } ". Kopiera den nu – den visas inte igen:" }
                    p { code #ny-nyckel { (token) } }
                }
            }
            @if tokens.is_empty() {
                p { "Du har inga API-nycklar." }
            } @else {
                table {
                    thead { tr {
                        th scope="col" { "Namn" } th scope="col" { "Skapad" } th scope="col" { "Senast använd" } th scope="col" { "Status" }
                    } }
                    tbody {
                        @for t in &tokens {
                            tr {
                                td { (t.name) }
                                td { (local_time(t.created_at)) }
                                td { (t.last_used.map(local_time).unwrap_or_else(|| "aldrig".into())) }
                                td {
                                    @if let Some(r) = t.revoked_at { "återkallad " (local_time(r)) }
                                    @else {
                                        form method="post" action=(format!("/admin/konto/nycklar/{}/aterkalla", t.id)) {
                                            input type="hidden" name="csrf" value=(editor.session.csrf);
                                            button type="submit" aria-label=(format!("Återkalla nyckeln {}", t.name)) { "Återkalla" }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            form method="post" action="/admin/konto/nycklar" {
                input type="hidden" name="csrf" value=(editor.session.csrf);
                (name.render())
                button type="submit" { "Skapa API-nyckel" }
            }
        },
    ))
}

async fn my_account(State(state): State<AppState>, editor: Editor) -> Result<Response, Refusal> {
    let markup = account_page(&state, &editor, Notice::default()).await?;
    Ok(respond(StatusCode::OK, markup))
}

#[derive(Deserialize)]
struct TokenForm {
    #[serde(default)]
    name: String,
}

async fn create_token(
    State(state): State<AppState>,
    client: Client,
    Posted { editor, form }: Posted<TokenForm>,
) -> Result<Response, Refusal> {
    let name = form.name.trim();
    let problem = if name.is_empty() {
        Some("Ge nyckeln ett namn, så att du vet vad den används till.")
    } else if name.chars().count() > 100 || name.chars().any(char::is_control) {
        Some("Namnet får vara högst 100 tecken, utan radbrytningar.")
    } else {
        None
    };
    if let Some(p) = problem {
        let notice = Notice {
            token_name_error: Some(p),
            token_name: &form.name,
            ..Notice::default()
        };
        let markup = account_page(&state, &editor, notice).await?;
        return Ok(respond(StatusCode::UNPROCESSABLE_ENTITY, markup));
    }
    let store = state.store()?;
    let (id, token) = store.create_token(editor.account.id, name).await?;
    store
        .security_event(
            Some(editor.account.id),
            Event::TokenCreated,
            client.address,
            &format!("{id}: {name}"),
        )
        .await?;
    let notice = Notice {
        new_token: Some((name, &token)),
        ..Notice::default()
    };
    let markup = account_page(&state, &editor, notice).await?;
    Ok(respond(StatusCode::OK, markup))
}

#[derive(Deserialize)]
struct PasswordChange {
    #[serde(default)]
    current: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password2: String,
}

/// A new password, given the current one (throttled like sign-in); the person's other
/// sessions end, this one stays.
async fn change_password(
    State(state): State<AppState>,
    client: Client,
    Posted { editor, form }: Posted<PasswordChange>,
) -> Result<Response, Refusal> {
    let store = state.store()?;
    let a = &editor.account;
    let throttle = &state.auth.throttle;
    throttle
        .check(Some(&a.email), client.address)
        .map_err(Refusal::TooMany)?;
    let phc = store.password_hash(a.id).await?;
    let mut problems = Vec::new();
    if phc.is_none() || !password::verify(form.current, phc).await {
        if throttle.failed(Some(&a.email), client.address) {
            store
                .security_event(
                    Some(a.id),
                    Event::Throttled,
                    client.address,
                    "lösenordsbyte",
                )
                .await?;
        }
        store
            .security_event(
                Some(a.id),
                Event::SignInFailed,
                client.address,
                "lösenordsbyte",
            )
            .await?;
        problems.push(password::Problem {
            field: "current",
            message: "Det nuvarande lösenordet stämmer inte.".into(),
        });
    }
    problems.extend(password::check_new(
        &form.password,
        &form.password2,
        &a.email,
        &a.name,
    ));
    if !problems.is_empty() {
        let notice = Notice {
            password_problems: problems,
            ..Notice::default()
        };
        let markup = account_page(&state, &editor, notice).await?;
        return Ok(respond(StatusCode::UNPROCESSABLE_ENTITY, markup));
    }
    let phc = password::hash(form.password).await?;
    store
        .set_password(a.id, &phc, &editor.session.id_hash)
        .await?;
    store
        .security_event(Some(a.id), Event::PasswordChanged, client.address, "")
        .await?;
    let notice = Notice {
        password_changed: true,
        ..Notice::default()
    };
    let markup = account_page(&state, &editor, notice).await?;
    Ok(respond(StatusCode::OK, markup))
}

#[derive(Deserialize)]
struct RemindersForm {
    /// Present (`ja`) when the box is ticked; a form leaves an unticked box out.
    #[serde(default)]
    paminnelser: Option<String>,
}

/// The opt-in to e-mail reminders (off by default).
async fn set_reminders(
    State(state): State<AppState>,
    Posted { editor, form }: Posted<RemindersForm>,
) -> Result<Response, Refusal> {
    let on = match form.paminnelser.as_deref() {
        None => false,
        Some("ja") => true,
        Some(other) => {
            return Err(Refusal::BadRequest(format!(
                "Formuläret har ett okänt värde ”{other}” för påminnelser (ja eller inget)."
            )));
        }
    };
    let store = state.store()?;
    store.set_reminder_wanted(editor.account.id, on).await?;
    let notice = Notice {
        reminders_saved: Some(on),
        ..Notice::default()
    };
    let markup = account_page(&state, &editor, notice).await?;
    Ok(respond(StatusCode::OK, markup))
}

#[derive(Deserialize)]
struct Nothing {}

async fn revoke_token(
    State(state): State<AppState>,
    client: Client,
    Path(id): Path<i64>,
    Posted { editor, .. }: Posted<Nothing>,
) -> Result<Response, Refusal> {
    let store = state.store()?;
    if !store.revoke_token(editor.account.id, id).await? {
        return Ok(message(
            StatusCode::NOT_FOUND,
            "Ingen sådan nyckel",
            "Du har ingen giltig API-nyckel med det numret (den kan redan vara återkallad).",
        ));
    }
    store
        .security_event(
            Some(editor.account.id),
            Event::TokenRevoked,
            client.address,
            &id.to_string(),
        )
        .await?;
    Ok(see_other("/admin/konto#nycklar", None))
}

async fn sign_out_everywhere(
    State(state): State<AppState>,
    client: Client,
    Posted { editor, .. }: Posted<Nothing>,
) -> Result<Response, Refusal> {
    let store = state.store()?;
    let ended = store.end_sessions(editor.account.id).await?;
    store
        .security_event(
            Some(editor.account.id),
            Event::SignOutEverywhere,
            client.address,
            &format!("{ended} inloggningar avslutade"),
        )
        .await?;
    Ok(see_other("/admin/logga-in", Some(sessions::clear_cookie())))
}

/// The account a token acts for, with what it may change.
async fn whoami(ApiEditor { account }: ApiEditor) -> Response {
    axum::Json(serde_json::json!({
        "id": account.id,
        "email": account.email,
        "name": account.name,
        "role": account.role,
        "kommuner": account.kommuner,
    }))
    .into_response()
}
