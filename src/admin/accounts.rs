//! Accounts, for the samordnare (`/admin/konton`): who has access and how they sign in, an
//! invitation form (its link shown once), a person's role and kommuner, deactivating and
//! reactivating, a new invitation link for someone who lost their way in, and the latest
//! security events. A redaktör gets 403 here.

use std::collections::BTreeSet;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use maud::{Markup, html};

use super::invitation::kommun_names;
use super::signin::{Field, see_other};
use crate::AppState;
use crate::admin::layout::{message, page, respond};
use crate::auth::accounts::normalise_email;
use crate::auth::events::Event;
use crate::auth::sessions::{Posted, Refusal};
use crate::auth::{Account, Client, Editor, Role};
use crate::dates::local_time;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/konton", get(list).post(invite))
        .route("/admin/konton/{id}", get(one).post(change))
        .route("/admin/konton/{id}/stang-av", post(deactivate))
        .route("/admin/konton/{id}/aktivera", post(reactivate))
        .route("/admin/konton/{id}/ny-inbjudan", post(reset))
}

fn samordnare(editor: &Editor) -> Result<(), Refusal> {
    if editor.account.role == Role::Samordnare {
        Ok(())
    } else {
        Err(Refusal::Forbidden(
            "Bara en samordnare hanterar konton. Ditt eget konto finns under ”Mitt konto”.".into(),
        ))
    }
}

/// A form of repeated fields (`kommun=1472&kommun=1496`), as pairs.
type Pairs = Vec<(String, String)>;

fn value<'a>(form: &'a Pairs, name: &str) -> &'a str {
    form.iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

/// An account form as submitted, and what is wrong with it, field by field.
#[derive(Default)]
struct AccountForm {
    email: String,
    name: String,
    role: String,
    kommuner: BTreeSet<String>,
    problems: Vec<(&'static str, String)>,
}

impl AccountForm {
    fn of(account: &Account) -> AccountForm {
        AccountForm {
            email: account.email.clone(),
            name: account.name.clone(),
            role: account.role.code().into(),
            kommuner: account.kommuner.clone(),
            problems: Vec::new(),
        }
    }

    /// Reads and checks a submitted form (the e-mail address only when `with_email`).
    fn read(state: &AppState, form: &Pairs, with_email: bool) -> (AccountForm, Option<Role>) {
        let mut f = AccountForm {
            email: value(form, "email").trim().to_string(),
            name: value(form, "name").trim().to_string(),
            role: value(form, "role").to_string(),
            kommuner: form
                .iter()
                .filter(|(k, _)| k == "kommun")
                .map(|(_, v)| v.clone())
                .collect(),
            problems: Vec::new(),
        };
        if with_email {
            match normalise_email(&f.email) {
                Ok(e) => f.email = e,
                Err(e) => f.problems.push(("email", format!("{e}."))),
            }
        }
        if f.name.chars().count() > 100 || f.name.chars().any(char::is_control) {
            f.problems
                .push(("name", "Namnet får vara högst 100 tecken.".into()));
        }
        let atlas = state.atlas();
        let known: BTreeSet<&str> = atlas.kommuner().iter().map(|k| k.code.as_str()).collect();
        if let Some(k) = f.kommuner.iter().find(|k| !known.contains(k.as_str())) {
            f.problems
                .push(("kommun", format!("”{k}” är ingen kommun i regionen.")));
        }
        let role = match Role::parse(&f.role) {
            Ok(Role::Redaktor) if f.kommuner.is_empty() => {
                f.problems.push((
                    "kommun",
                    "En redaktör behöver minst en kommun att ändra.".into(),
                ));
                None
            }
            Ok(r) => Some(r),
            Err(_) => {
                f.problems
                    .push(("role", "Välj samordnare eller redaktör.".into()));
                None
            }
        };
        if role == Some(Role::Samordnare) {
            // The role covers the region; ticked kommuner would only mislead.
            f.kommuner.clear();
        }
        (f, role)
    }

    fn error(&self, field: &str) -> Option<&str> {
        self.problems
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
    }

    /// The fields (name, role, kommuner; the e-mail address for a new account).
    fn render(&self, state: &AppState, with_email: bool) -> Markup {
        let mut email = Field::new("email", "E-postadress", "email", "off");
        email.value = &self.email;
        email.error = self.error("email");
        let mut name = Field::new("name", "Namn", "text", "off");
        name.value = &self.name;
        name.hint = Some("Så som det visas i historiken (tomt: e-postadressen).");
        name.error = self.error("name");
        name.required = false;
        let atlas = state.atlas();
        let role_error = self.error("role");
        let kommun_error = self.error("kommun");
        html! {
            @if with_email { (email.render()) }
            (name.render())
            fieldset aria-describedby=[role_error.map(|_| "falt-role-fel")] {
                legend { "Roll" }
                @for (code, label, what) in [
                    ("redaktor", "Redaktör", "ändrar sina kommuners uppgifter"),
                    ("samordnare", "Samordnare", "hela regionen, programkatalogen och konton"),
                ] {
                    div {
                        input type="radio" name="role" value=(code) id=(format!("roll-{code}"))
                            checked[self.role == code || (self.role.is_empty() && code == "redaktor")];
                        label for=(format!("roll-{code}")) { (label) " – " (what) }
                    }
                }
                @if let Some(e) = role_error { p.fel #falt-role-fel { (e) } }
            }
            fieldset.kryssrutor aria-describedby=[kommun_error.map(|_| "falt-kommun-fel")] {
                legend { "Kommuner (för en redaktör)" }
                @for k in atlas.kommuner() {
                    div {
                        input type="checkbox" name="kommun" value=(k.code) id=(format!("kommun-{}", k.code))
                            checked[self.kommuner.contains(&k.code)];
                        label for=(format!("kommun-{}", k.code)) { (k.name) }
                    }
                }
                @if let Some(e) = kommun_error { p.fel #falt-kommun-fel { (e) } }
            }
        }
    }
}

fn sign_in_state(a: &Account) -> String {
    let mut ways = Vec::new();
    if a.has_password && a.has_totp {
        ways.push("lösenord + engångskod");
    }
    if a.oidc.is_some() {
        ways.push("organisationens konto");
    }
    if ways.is_empty() {
        "inbjudan ej använd".into()
    } else {
        ways.join(", ")
    }
}

/// The public address an invitation link starts with.
fn base_url(state: &AppState) -> String {
    state
        .site
        .options
        .public_url
        .as_deref()
        .unwrap_or("http://127.0.0.1:8080")
        .trim_end_matches('/')
        .to_string()
}

fn invitation_notice(state: &AppState, email: &str, token: &str) -> Markup {
    let link = format!("{}/admin/inbjudan/{token}", base_url(state));
    html! {
        div.inbjudan role="status" {
            p { "Inbjudan till " strong { (email) } " är skapad. Skicka länken till personen – den visas bara nu, gäller i 7 dagar och fungerar en gång:" }
            p { code #inbjudningslank { (link) } }
        }
    }
}

async fn list_page(
    state: &AppState,
    editor: &Editor,
    form: &AccountForm,
    notice: Option<Markup>,
) -> Result<Markup, Refusal> {
    let store = state.store()?;
    let accounts = store.accounts().await?;
    let events = store.security_events(50).await?;
    let email_of = |id: Option<i64>| {
        id.and_then(|id| accounts.iter().find(|a| a.id == id))
            .map_or("", |a| a.email.as_str())
    };
    Ok(page(
        "Konton",
        Some(editor),
        html! {
            @if let Some(n) = notice { (n) }
            table {
                caption { "Alla konton" }
                thead { tr {
                    th scope="col" { "E-postadress" } th scope="col" { "Namn" } th scope="col" { "Roll" }
                    th scope="col" { "Kommuner" } th scope="col" { "Status" } th scope="col" { "Inloggning" }
                } }
                tbody {
                    @for a in &accounts {
                        tr {
                            td { a href=(format!("/admin/konton/{}", a.id)) { (a.email) } }
                            td { (a.name) }
                            td { (a.role.label()) }
                            td { @if a.role == Role::Samordnare { "hela regionen" } @else { (kommun_names(state, &a.kommuner)) } }
                            td { @if a.active { "aktivt" } @else { "avstängt" } }
                            td { (sign_in_state(a)) }
                        }
                    }
                }
            }

            h2 #bjud-in { "Bjud in en person" }
            form method="post" action="/admin/konton#bjud-in" {
                input type="hidden" name="csrf" value=(editor.session.csrf);
                (form.render(state, true))
                button type="submit" { "Skapa inbjudan" }
            }

            h2 { "Säkerhetshändelser" }
            p { "De senaste 50: inloggningar, misslyckade försök, API-nycklar och kontoändringar." }
            table {
                thead { tr {
                    th scope="col" { "Tid" } th scope="col" { "Händelse" } th scope="col" { "Konto" }
                    th scope="col" { "Adress" } th scope="col" { "Detaljer" }
                } }
                tbody {
                    @for e in &events {
                        tr {
                            td { (local_time(e.at)) }
                            td { (Event::label(&e.event)) }
                            td { (email_of(e.account_id)) }
                            td { (e.address) }
                            td { (e.detail) }
                        }
                    }
                }
            }
        },
    ))
}

async fn list(State(state): State<AppState>, editor: Editor) -> Result<Response, Refusal> {
    samordnare(&editor)?;
    let markup = list_page(&state, &editor, &AccountForm::default(), None).await?;
    Ok(respond(StatusCode::OK, markup))
}

async fn invite(
    State(state): State<AppState>,
    client: Client,
    Posted { editor, form }: Posted<Pairs>,
) -> Result<Response, Refusal> {
    samordnare(&editor)?;
    let store = state.store()?;
    let (mut f, role) = AccountForm::read(&state, &form, true);
    if f.problems.is_empty() && store.account_by_email(&f.email).await?.is_some() {
        f.problems.push((
            "email",
            format!("Det finns redan ett konto för {}.", f.email),
        ));
    }
    let Some(role) = role.filter(|_| f.problems.is_empty()) else {
        let markup = list_page(&state, &editor, &f, None).await?;
        return Ok(respond(StatusCode::UNPROCESSABLE_ENTITY, markup));
    };
    let name = if f.name.is_empty() { &f.email } else { &f.name };
    let (id, token) = store.invite(&f.email, name, role, &f.kommuner).await?;
    store
        .security_event(
            Some(id),
            Event::AccountInvited,
            client.address,
            &format!(
                "av {}: {} {}",
                editor.account.email,
                role.label(),
                f.kommuner.iter().cloned().collect::<Vec<_>>().join(",")
            ),
        )
        .await?;
    let notice = invitation_notice(&state, &f.email, &token);
    let markup = list_page(&state, &editor, &AccountForm::default(), Some(notice)).await?;
    Ok(respond(StatusCode::OK, markup))
}

async fn account_of(state: &AppState, id: i64) -> Result<Result<Account, Response>, Refusal> {
    Ok(state.store()?.account(id).await?.ok_or_else(|| {
        message(
            StatusCode::NOT_FOUND,
            "Inget sådant konto",
            &format!("Det finns inget konto med nummer {id}."),
        )
    }))
}

fn one_page(
    state: &AppState,
    editor: &Editor,
    account: &Account,
    form: &AccountForm,
    notice: Option<Markup>,
) -> Markup {
    let own = account.id == editor.account.id;
    let base = format!("/admin/konton/{}", account.id);
    page(
        &format!("Konto: {}", account.email),
        Some(editor),
        html! {
            @if let Some(n) = notice { (n) }
            p {
                (if account.active { "Aktivt" } else { "Avstängt" }) ". Inloggning: " (sign_in_state(account)) "."
            }
            form method="post" action=(base) {
                input type="hidden" name="csrf" value=(editor.session.csrf);
                (form.render(state, false))
                button type="submit" { "Spara" }
            }
            @if own {
                p { "Ditt eget konto kan du inte stänga av, byta roll på eller återställa här (be en annan samordnare)." }
            } @else {
                h2 { "Åtkomst" }
                @if account.active {
                    form method="post" action=(format!("{base}/stang-av")) {
                        input type="hidden" name="csrf" value=(editor.session.csrf);
                        p { "Att stänga av kontot loggar ut personen överallt, och hens API-nycklar slutar fungera." }
                        button type="submit" { "Stäng av kontot" }
                    }
                } @else {
                    form method="post" action=(format!("{base}/aktivera")) {
                        input type="hidden" name="csrf" value=(editor.session.csrf);
                        button type="submit" { "Aktivera kontot igen" }
                    }
                }
                form method="post" action=(format!("{base}/ny-inbjudan")) {
                    input type="hidden" name="csrf" value=(editor.session.csrf);
                    p { "En ny inbjudan tar bort lösenordet, appen för engångskoder och återställningskoderna och loggar ut personen; hen väljer nytt med länken." }
                    button type="submit" { "Skapa ny inbjudningslänk" }
                }
            }
            p { a href="/admin/konton" { "Till alla konton" } }
        },
    )
}

async fn one(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    editor: Editor,
) -> Result<Response, Refusal> {
    samordnare(&editor)?;
    let account = match account_of(&state, id).await? {
        Ok(a) => a,
        Err(r) => return Ok(r),
    };
    let markup = one_page(&state, &editor, &account, &AccountForm::of(&account), None);
    Ok(respond(StatusCode::OK, markup))
}

async fn change(
    State(state): State<AppState>,
    client: Client,
    Path(id): Path<i64>,
    Posted { editor, form }: Posted<Pairs>,
) -> Result<Response, Refusal> {
    samordnare(&editor)?;
    let account = match account_of(&state, id).await? {
        Ok(a) => a,
        Err(r) => return Ok(r),
    };
    let (mut f, role) = AccountForm::read(&state, &form, false);
    f.email.clone_from(&account.email);
    if account.id == editor.account.id && role.is_some_and(|r| r != account.role) {
        f.problems.push((
            "role",
            "Du kan inte byta roll på ditt eget konto (då kan regionen bli utan samordnare)."
                .into(),
        ));
    }
    let Some(role) = role.filter(|_| f.problems.is_empty()) else {
        let markup = one_page(&state, &editor, &account, &f, None);
        return Ok(respond(StatusCode::UNPROCESSABLE_ENTITY, markup));
    };
    let name = if f.name.is_empty() {
        &account.email
    } else {
        &f.name
    };
    let store = state.store()?;
    store.update_account(id, name, role, &f.kommuner).await?;
    let detail = format!(
        "av {}: {} {}",
        editor.account.email,
        role.label(),
        f.kommuner.iter().cloned().collect::<Vec<_>>().join(",")
    );
    store
        .security_event(Some(id), Event::AccountChanged, client.address, &detail)
        .await?;
    Ok(see_other(&format!("/admin/konton/{id}"), None))
}

#[derive(serde::Deserialize)]
struct Nothing {}

fn not_own(editor: &Editor, id: i64) -> Result<(), Refusal> {
    if editor.account.id == id {
        Err(Refusal::Forbidden(
            "Ditt eget konto kan du inte stänga av eller återställa här.".into(),
        ))
    } else {
        Ok(())
    }
}

async fn set_active(
    state: &AppState,
    client: Client,
    editor: &Editor,
    id: i64,
    active: bool,
) -> Result<Response, Refusal> {
    samordnare(editor)?;
    not_own(editor, id)?;
    if let Err(r) = account_of(state, id).await? {
        return Ok(r);
    }
    let store = state.store()?;
    store.set_active(id, active).await?;
    let event = if active {
        Event::AccountReactivated
    } else {
        Event::AccountDeactivated
    };
    store
        .security_event(
            Some(id),
            event,
            client.address,
            &format!("av {}", editor.account.email),
        )
        .await?;
    Ok(see_other(&format!("/admin/konton/{id}"), None))
}

async fn deactivate(
    State(state): State<AppState>,
    client: Client,
    Path(id): Path<i64>,
    Posted { editor, .. }: Posted<Nothing>,
) -> Result<Response, Refusal> {
    set_active(&state, client, &editor, id, false).await
}

async fn reactivate(
    State(state): State<AppState>,
    client: Client,
    Path(id): Path<i64>,
    Posted { editor, .. }: Posted<Nothing>,
) -> Result<Response, Refusal> {
    set_active(&state, client, &editor, id, true).await
}

async fn reset(
    State(state): State<AppState>,
    client: Client,
    Path(id): Path<i64>,
    Posted { editor, .. }: Posted<Nothing>,
) -> Result<Response, Refusal> {
    samordnare(&editor)?;
    not_own(&editor, id)?;
    let account = match account_of(&state, id).await? {
        Ok(a) => a,
        Err(r) => return Ok(r),
    };
    let store = state.store()?;
    let token = store.reset_sign_in(id).await?;
    store
        .security_event(
            Some(id),
            Event::AccountReset,
            client.address,
            &format!("av {}", editor.account.email),
        )
        .await?;
    let account = store.account(id).await?.unwrap_or(account);
    let notice = invitation_notice(&state, &account.email, &token);
    let markup = one_page(
        &state,
        &editor,
        &account,
        &AccountForm::of(&account),
        Some(notice),
    );
    Ok(respond(StatusCode::OK, markup))
}
