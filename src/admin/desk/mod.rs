//! The editing pages: the overview of the kommuner a person may edit, a kommun's records for a
//! round, one edit form per kind of record (with that record's history), the programme
//! catalogue for the samordnare, "Bekräfta oförändrat", and the conflict page when a save was
//! based on an old version. Handlers parse the address and the form, ask the store through
//! `AppState::commit`, and render; every save ends in a redirect (303) to the overview with a
//! confirmation drawn from the history, so reloading never saves twice.

mod catalogue;
mod conflict;
pub mod edit;
pub mod kinds;
mod kommun;
mod overview;

/// Lists of kommuner in messages ("Tibro, Hjo och Skövde").
pub use crate::lang::join_and;
pub use edit::changeset;
pub use kommun::confirm_button;

use std::sync::Arc;

use axum::Router;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use maud::{Markup, html};

use super::layout;
use crate::AppState;
use crate::atlas::Atlas;
use crate::auth::{Editor, Role};
use crate::store::{EditError, Store, log::Change};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin", get(overview::overview))
        .route("/admin/kommun/{kod}", get(kommun::page))
        .route(
            "/admin/kommun/{kod}/bekrafta-alla",
            post(kommun::confirm_all),
        )
        .route("/admin/bekrafta", post(kommun::confirm_one))
        .route(
            "/admin/kommun/{kod}/program/{slug}",
            get(edit::offering).post(edit::save_offering),
        )
        .route(
            "/admin/kommun/{kod}/sambu",
            get(edit::sambu).post(edit::save_sambu),
        )
        .route(
            "/admin/kommun/{kod}/partssamverkan",
            get(edit::partssamverkan).post(edit::save_partssamverkan),
        )
        .route(
            "/admin/kommun/{kod}/dokument/{slug}",
            get(edit::adherence).post(edit::save_adherence),
        )
        // Trainings and contacts: utbildningar, kontakter.
        .route(
            "/admin/kommun/{kod}/{lista}",
            get(edit::numbered_list).post(edit::add_numbered),
        )
        .route(
            "/admin/kommun/{kod}/{lista}/{nr}",
            get(edit::numbered_one).post(edit::save_numbered),
        )
        .route(
            "/admin/kommun/{kod}/{lista}/{nr}/ta-bort",
            post(edit::remove_numbered),
        )
        .route("/admin/program", get(catalogue::page))
        .route(
            "/admin/program/ny",
            get(catalogue::new_programme).post(catalogue::add_programme),
        )
        .route(
            "/admin/program/{slug}",
            get(catalogue::programme).post(catalogue::save_programme),
        )
        .route(
            "/admin/dokument/ny",
            get(catalogue::new_document).post(catalogue::add_document),
        )
        .route(
            "/admin/dokument/{slug}",
            get(catalogue::document).post(catalogue::save_document),
        )
}

/// A handler's answer: the page, or the refusal that ended it early.
pub type Answer = Result<Response, Stop>;

/// The page a handler stopped early with (boxed: a response is large, and most answers are
/// not refusals).
pub struct Stop(Box<Response>);

impl From<Response> for Stop {
    fn from(r: Response) -> Stop {
        Stop(Box::new(r))
    }
}

impl IntoResponse for Stop {
    fn into_response(self) -> Response {
        *self.0
    }
}

/// A page of the desk: the layout with the site's stylesheet and the person's menu.
pub fn page(editor: &Editor, title: &str, main: Markup) -> Markup {
    layout::page(title, Some(editor), main)
}

/// A short page that says why something was not done.
pub fn refuse(editor: &Editor, status: StatusCode, title: &str, text: &str) -> Response {
    layout::respond(
        status,
        page(
            editor,
            title,
            html! {
                p.fel-text { (text) }
                p { a href="/admin" { "Till översikten" } }
            },
        ),
    )
}

/// The store, or the page that says it cannot be reached.
pub fn store<'s>(state: &'s AppState, editor: &Editor) -> Result<&'s Arc<Store>, Stop> {
    state.store().map_err(|e| {
        refuse(
            editor,
            StatusCode::SERVICE_UNAVAILABLE,
            "Lagret svarar inte",
            &e.to_string(),
        )
        .into()
    })
}

/// A store error as a page (logged: it is the service's fault, not the person's).
pub fn store_failed(editor: &Editor, e: impl std::fmt::Display) -> Response {
    tracing::error!("{e}");
    refuse(
        editor,
        StatusCode::SERVICE_UNAVAILABLE,
        "Lagret svarar inte",
        "Uppgifterna kunde inte läsas eller sparas just nu. Försök igen om en stund.",
    )
}

/// A kommun of the region that the person may edit: its index, or 404 / 403.
pub fn kommun(state: &AppState, editor: &Editor, code: &str) -> Result<(Arc<Atlas>, usize), Stop> {
    let a = state.atlas();
    let Some(k) = a.kommun_index(code) else {
        return Err(refuse(
            editor,
            StatusCode::NOT_FOUND,
            "Kommunen finns inte",
            &format!("Det finns ingen kommun med kommunkoden ”{code}” i regionen."),
        )
        .into());
    };
    if !editor.account.may_edit(Some(code)) {
        let name = &a.kommuner()[k].name;
        return Err(refuse(
            editor,
            StatusCode::FORBIDDEN,
            "Inte tillåtet",
            &format!(
                "Du har inte behörighet att ändra uppgifterna för {name}. {}",
                yours(&a, editor)
            ),
        )
        .into());
    }
    Ok((a, k))
}

/// "Ditt konto får ändra Tibro och Hjo." for a refusal.
fn yours(a: &Atlas, editor: &Editor) -> String {
    let names: Vec<String> = editor
        .account
        .kommuner()
        .iter()
        .map(|c| kinds::kommun_name(a, c))
        .collect();
    match names.len() {
        0 => "Ditt konto får inte ändra någon kommun.".into(),
        _ => format!("Ditt konto får ändra {}.", join_and(&names)),
    }
}

/// Refuses a redaktör on the region-wide pages (the catalogue).
pub fn samordnare_only(editor: &Editor) -> Result<(), Stop> {
    if editor.account.role == Role::Samordnare {
        Ok(())
    } else {
        Err(refuse(
            editor,
            StatusCode::FORBIDDEN,
            "Inte tillåtet",
            "Programkatalogen och dokumenten ändras bara av samordnaren för regionen. \
             Kontakta samordnaren om något behöver läggas till eller rättas.",
        )
        .into())
    }
}

/// An edit refused for a reason other than the form's fields, as a page.
pub fn edit_failed(editor: &Editor, e: EditError) -> Response {
    match e {
        EditError::Forbidden(what) => refuse(
            editor,
            StatusCode::FORBIDDEN,
            "Inte tillåtet",
            &format!("Du har inte behörighet att ändra {what}."),
        ),
        EditError::NotFound(what) => refuse(
            editor,
            StatusCode::NOT_FOUND,
            "Finns inte",
            &format!(
                "{} finns inte (längre).",
                crate::pages::layout::capital(&what)
            ),
        ),
        EditError::Store(e) => store_failed(editor, e),
        EditError::Conflict { .. } => refuse(
            editor,
            StatusCode::CONFLICT,
            "Ändringen sparades inte",
            "Uppgiften har ändrats av någon annan sedan du öppnade sidan. Ladda om sidan, se vad som gäller nu och försök igen.",
        ),
        EditError::Done(m) => refuse(
            editor,
            StatusCode::CONFLICT,
            "Redan gjort",
            &crate::pages::layout::capital(&m),
        ),
        e @ EditError::Closed { .. } => refuse(
            editor,
            StatusCode::CONFLICT,
            "Omgången är stängd",
            &format!(
                "{}. Inget har sparats.",
                crate::pages::layout::capital(&e.to_string())
            ),
        ),
        e @ EditError::Invalid { .. } => refuse(
            editor,
            StatusCode::UNPROCESSABLE_ENTITY,
            "Ändringen sparades inte",
            &crate::pages::layout::capital(&e.to_string()),
        ),
    }
}

/// After a save: back to `to` (303, so a reload does not post again) with the changeset, whose
/// confirmation the page shows.
pub fn saved(to: &str, changeset: i64) -> Response {
    let sep = if to.contains('?') { '&' } else { '?' };
    Redirect::to(&format!("{to}{sep}sparat={changeset}")).into_response()
}

/// An address inside the admin to go back to after a form (anything else: the overview).
pub fn back_to(value: &str) -> String {
    let ok = value.starts_with("/admin")
        && !value.starts_with("//")
        && !value.contains("//")
        && !value.contains('\\')
        && !value.chars().any(char::is_control);
    if ok {
        value.to_string()
    } else {
        "/admin".into()
    }
}

/// The confirmation of a changeset just saved by this person (`?sparat=N`); nothing for anyone
/// else's, so a link cannot show someone a message they did not cause.
pub async fn confirmation(state: &AppState, editor: &Editor, sparat: Option<&str>) -> Markup {
    let Some(id) = sparat.and_then(|s| s.parse::<i64>().ok()) else {
        return html! {};
    };
    let Ok(store) = state.store() else {
        return html! {};
    };
    let changes = match crate::store::log::changeset(store, id).await {
        Ok(c) => c,
        Err(e) => {
            tracing::error!("{e}");
            return html! {};
        }
    };
    if changes.is_empty()
        || changes
            .iter()
            .any(|c| c.account_id != Some(editor.account.id))
    {
        return html! {};
    }
    let text = describe(&state.atlas(), &changes);
    html! {
        div.meddelande role="status" {
            p { (text) }
        }
    }
}

/// A changeset in one sentence: "Sparat: ABC för Tibro är nu erbjuds."
pub fn describe(a: &Atlas, changes: &[Change]) -> String {
    let first = &changes[0];
    let title = |c: &Change| kinds::record_title(a, &c.kind, &c.key, c.kommun.as_deref());
    match first.action.as_str() {
        "confirm" => {
            let kommuner: Vec<String> = {
                let mut ks: Vec<String> = changes
                    .iter()
                    .filter_map(|c| c.kommun.as_deref())
                    .map(|k| kinds::kommun_name(a, k))
                    .collect();
                ks.dedup();
                ks
            };
            let what = if changes.len() == 1 {
                title(first)
            } else {
                format!("{} uppgifter för {}", changes.len(), join_and(&kommuner))
            };
            format!(
                "Bekräftat oförändrat: {what}, senast bekräftad {}.",
                crate::dates::today()
            )
        }
        "remove" => format!("Borttaget: {}.", title(first)),
        "revert" => format!(
            "Ångrat: ändring {} av {}.",
            first.reverts.unwrap_or_default(),
            title(first)
        ),
        _ if first.kind == "offerings" => {
            let parts: Vec<&str> = first.key.split('/').collect();
            let programme = a
                .programme_index(parts[1])
                .map_or(parts[1].to_string(), |p| a.programmes()[p].name.clone());
            // The status as saved (it may be unchanged, with only the source new).
            let row =
                a.inventory.offerings.iter().find(|o| {
                    [o.kommun.as_str(), o.programme.as_str(), o.round.as_str()] == parts[..]
                });
            let status = row.map_or("okänt", |o| o.status.label());
            format!(
                "Sparat: {programme} för {} är nu {status}.",
                kinds::kommun_name(a, parts[0])
            )
        }
        _ => format!("Sparat: {}.", title(first)),
    }
}
