//! The conflict page: a save based on a version someone has changed since is refused (never a
//! silent overwrite) and shown field by field — yours (what was submitted), theirs (the record
//! now) and the original (the version the form was made from) — with the two ways on: save
//! yours on top of theirs (the form again, with what was typed and the current version), or
//! keep theirs.

use std::collections::BTreeMap;

use axum::http::StatusCode;
use axum::response::Response;
use maud::{Markup, html};

use super::edit::{Target, columns, form, submitted_fields};
use super::kinds;
use crate::AppState;
use crate::admin::forms::{Errors, Values};
use crate::admin::layout;
use crate::auth::Editor;
use crate::store::Record;
use crate::store::log::{self, HistoryFilter};

pub async fn page(
    state: &AppState,
    editor: &Editor,
    target: &Target,
    yours: &Values,
    current: Option<&Record>,
    original: Option<&BTreeMap<String, String>>,
) -> Response {
    let kind = target.kind;
    let mine = submitted_fields(target, yours);
    let theirs = current.map(|r| &r.fields);
    let by = latest_change(state, target).await;
    let cell = |f: Option<&BTreeMap<String, String>>, c: &str| -> Markup {
        match f {
            None => html! { span.saknas { "(fanns inte)" } },
            Some(f) => match f.get(c).map(String::as_str) {
                None | Some("") => html! { span.saknas { "(tomt)" } },
                Some(v) => html! { (kinds::shown(kind, c, v)) },
            },
        }
    };
    let main = html! {
        div.felsammanfattning role="alert" {
            h2 { "Någon annan har ändrat uppgiften sedan du öppnade formuläret" }
            p {
                "Din ändring sparades inte, så att ingens ändring skrivs över utan att det syns. "
                @if let Some(by) = &by { (by) " " }
                "Jämför nedan och välj hur du vill gå vidare."
            }
        }
        div.tabellram tabindex="0" role="region" aria-label="Jämförelse fält för fält" {
            table.konflikt {
                caption { "Fält för fält: ditt värde, värdet nu och värdet när du öppnade formuläret" }
                thead { tr {
                    th scope="col" { "Fält" }
                    th scope="col" { "Ditt (det du skickade)" }
                    th scope="col" { "Deras (nu)" }
                    th scope="col" { "Ursprungligt (när du öppnade)" }
                } }
                tbody {
                    @for c in columns(kind) {
                        @let changed = theirs.and_then(|f| f.get(c)) != original.and_then(|f| f.get(c));
                        @let differs = Some(mine.get(c)) != theirs.map(|f| f.get(c));
                        tr class=[changed.then_some("andrat")] {
                            th scope="row" {
                                (kinds::label(kind, c))
                                @if changed { br; small { "ändrat av någon annan" } }
                            }
                            td class=[differs.then_some("skiljer")] { (cell(Some(&mine), c)) }
                            td { (cell(theirs, c)) }
                            td { (cell(original, c)) }
                        }
                    }
                }
            }
        }
        section aria-labelledby="h-behall" {
            h2 #h-behall { "Behåll deras" }
            p { "Ingenting sparas. " a href=(target.action) { "Öppna uppgiften som den är nu" } " eller gå " a href=(target.back) { "tillbaka till " (target.back_label) } "." }
        }
        section aria-labelledby="h-mitt" {
            h2 #h-mitt { "Spara ditt ovanpå deras" }
            p { "Formuläret har dina värden och bygger nu på den senaste versionen. Kontrollera dem och spara igen." }
            (form(&state.atlas(), editor, target, yours, &Errors::default(), current.map(|r| r.version), "Spara mitt ovanpå deras"))
        }
    };
    layout::respond(
        StatusCode::CONFLICT,
        super::page(editor, &format!("Krock: {}", target.title), main),
    )
}

/// "Ändrad av anna@tibro.se 2026-12-02 10:15." from the record's newest change.
async fn latest_change(state: &AppState, target: &Target) -> Option<String> {
    let key = target.key.clone()?;
    let filter = HistoryFilter {
        kind: Some(target.kind.name.to_string()),
        key: Some(key),
        newest_first: true,
        ..HistoryFilter::default()
    };
    let (changes, _) = log::changes(state.store().ok()?, &filter, 1, 0)
        .await
        .ok()?;
    let c = changes.first()?;
    Some(format!(
        "Senast {} av {} {}.",
        kinds::action_label(&c.action),
        c.actor,
        crate::dates::local_time(c.at)
    ))
}
