//! `/admin/inaktuellt`: the staleness watch's dashboard. Per kommun the person may edit (a
//! samordnare: all), the facts that kan vara inaktuella (not confirmed for more than the review
//! period, [`crate::review`]) and those without a date, each with its date, "Bekräfta
//! oförändrat" (the desk's own `POST /admin/bekrafta`, back to this page) and a link to its edit
//! form; how many per kommun at the top.

use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::routing::get;
use maud::{Markup, html};

use super::desk::{self, Answer, confirm_button, confirmation, kinds, store_failed};
use super::forms::Values;
use super::layout;
use crate::AppState;
use crate::atlas::Atlas;
use crate::auth::{Editor, Role};
use crate::review::{Fact, Standing, Watch, month_year};
use crate::store::Record;

/// The dashboard's address (the confirm buttons come back to it).
pub const PATH: &str = "/admin/inaktuellt";

pub fn routes() -> Router<AppState> {
    Router::new().route(PATH, get(dashboard))
}

/// The anchor of a kommun's section on the dashboard.
pub fn anchor(code: &str) -> String {
    format!("kommun-{code}")
}

async fn dashboard(
    State(state): State<AppState>,
    editor: Editor,
    Query(q): Query<Vec<(String, String)>>,
) -> Answer {
    let q = Values::from_pairs(q);
    let a = state.atlas();
    let store = desk::store(&state, &editor)?;
    let watch = Watch::of(store, &a, &editor.account)
        .await
        .map_err(|e| store_failed(&editor, e))?;
    let flash = confirmation(&state, &editor, q.get("sparat").into()).await;
    let rule = &a.review;
    let clear: Vec<String> = watch
        .kommuner
        .iter()
        .filter(|(_, fs)| fs.is_empty())
        .map(|(k, _)| a.kommuner()[*k].name.clone())
        .collect();
    let main = html! {
        (flash)
        p.ingress {
            "En uppgift som inte har bekräftats på mer än " (rule.months) " månader – senast bekräftad före "
            (rule.before) " – " strong { "kan vara inaktuell" } ". Den visas fortfarande på kartan och de publika sidorna, "
            "med en markering bredvid datumet. Bekräfta det som fortfarande stämmer, eller ändra det som inte gör det."
        }
        @if editor.account.role == Role::Redaktor {
            p { "Här visas bara dina kommuner." }
        }
        @if watch.kommuner.is_empty() {
            p { "Ditt konto har inga kommuner att ändra ännu. Kontakta samordnaren." }
        } @else {
            div.tabellram tabindex="0" role="region" aria-label="Inaktuella uppgifter per kommun" {
                table.staplad.poster {
                    caption { "Per kommun" }
                    thead { tr {
                        th scope="col" { "Kommun" }
                        th scope="col" { "Kan vara inaktuella" }
                        th scope="col" { "Datum saknas" }
                    } }
                    tbody {
                        @for (k, facts) in &watch.kommuner {
                            @let kommun = &a.kommuner()[*k];
                            tr {
                                th scope="row" data-label="Kommun" {
                                    @if facts.is_empty() { (kommun.name) }
                                    @else { a href={ "#" (anchor(&kommun.code)) } { (kommun.name) } }
                                }
                                td data-label="Kan vara inaktuella" { (Watch::count_in(facts, Standing::Due)) }
                                td data-label="Datum saknas" { (Watch::count_in(facts, Standing::Undated)) }
                            }
                        }
                    }
                }
            }
            @for (k, facts) in &watch.kommuner {
                @if !facts.is_empty() { (kommun_section(&a, &editor, *k, facts)) }
            }
            @if !clear.is_empty() {
                p { "Inget att bekräfta i " (desk::join_and(&clear)) "." }
            }
        }
    };
    Ok(layout::respond(
        StatusCode::OK,
        desk::page(&editor, "Inaktuella uppgifter", main),
    ))
}

fn kommun_section(a: &Atlas, editor: &Editor, k: usize, facts: &[Fact]) -> Markup {
    let kommun = &a.kommuner()[k];
    let id = anchor(&kommun.code);
    let due: Vec<&Fact> = facts
        .iter()
        .filter(|f| f.standing == Standing::Due)
        .collect();
    let undated: Vec<&Fact> = facts
        .iter()
        .filter(|f| f.standing == Standing::Undated)
        .collect();
    html! {
        section id=(id) aria-labelledby={ "h-" (id) } {
            h2 id={ "h-" (id) } { (kommun.name) }
            @if !due.is_empty() {
                (fact_table(a, editor, &format!("Kan vara inaktuella i {} ({})", kommun.name, due.len()), &due))
            }
            @if !undated.is_empty() {
                (fact_table(a, editor, &format!("Datum saknas i {} ({})", kommun.name, undated.len()), &undated))
            }
            p { a href={ "/admin/kommun/" (kommun.code) } { "Alla uppgifter för " (kommun.name) } }
        }
    }
}

fn fact_table(a: &Atlas, editor: &Editor, caption: &str, facts: &[&Fact]) -> Markup {
    html! {
        div.tabellram tabindex="0" role="region" aria-label=(caption) {
            table.staplad.poster {
                caption { (caption) }
                thead { tr {
                    th scope="col" { "Uppgift" }
                    th scope="col" { "Står nu" }
                    th scope="col" { "Senast bekräftad" }
                    th scope="col" { "Åtgärd" }
                } }
                tbody {
                    @for f in facts {
                        @let r = &f.record;
                        @let title = kinds::record_title(a, r.kind.name, &r.key, r.kommun.as_deref());
                        tr {
                            th scope="row" data-label="Uppgift" { (title) }
                            td data-label="Står nu" { (what(a, r)) }
                            td data-label="Senast bekräftad" {
                                @match f.standing {
                                    Standing::Undated => "datum saknas",
                                    _ => {
                                        @let said = month_year(&f.confirmed);
                                        (said)
                                        // The exact date too, where the month name shortens it.
                                        @if said != f.confirmed.to_string() { " (" (f.confirmed) ")" }
                                    },
                                }
                            }
                            td data-label="Åtgärd" {
                                @if let Some(href) = kinds::record_href(a, r.kind.name, &r.key, r.kommun.as_deref()) {
                                    a href=(href) { "Ändra" span.dold { " " (title) } }
                                }
                                (confirm_button(editor, r, &title, PATH))
                            }
                        }
                    }
                }
            }
        }
    }
}

/// What a record says now, in a few words: the status, the team's or contact's name, the
/// training and its audience.
pub fn what(a: &Atlas, r: &Record) -> String {
    let kind = r.kind;
    let shown = |column: &str| kinds::shown_in(a, kind, column, r.field(column));
    match kind.name {
        "sambu" if !r.field("name").is_empty() => {
            format!("{}: {}", shown("status"), r.field("name"))
        }
        "trainings" => format!("{}, {}", shown("kind"), r.field("audience")),
        "contacts" => r.field("name").to_string(),
        _ => shown("status"),
    }
}
