//! `/admin`: the kommuner the person may edit (a samordnare: all of them), each with how many
//! programmes are erbjuds / erbjuds inte / okänt in the current round (as the public pages count
//! them) and how many facts were last confirmed more than 18 months ago.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use maud::html;

use super::kommun::{due_before, is_due, records_by_kommun};
use super::{Answer, confirmation, store, store_failed};
use crate::AppState;
use crate::admin::forms::Values;
use crate::admin::layout;
use crate::auth::{Editor, Role};

pub async fn overview(
    State(state): State<AppState>,
    editor: Editor,
    Query(q): Query<Vec<(String, String)>>,
) -> Answer {
    let a = state.atlas();
    let q = Values::from_pairs(q);
    let r = a.default_round;
    let round = &a.inventory.rounds[r];
    let store = store(&state, &editor)?;
    let records = records_by_kommun(store, &a, r)
        .await
        .map_err(|e| store_failed(&editor, e))?;
    let due = due_before();
    let mine: Vec<usize> = crate::pages::Cx::new(&a, &state.site)
        .kommuner_by_name()
        .into_iter()
        .filter(|k| editor.account.may_edit(Some(&a.kommuner()[*k].code)))
        .collect();
    let flash = confirmation(&state, &editor, q.get("sparat").into()).await;
    let main = html! {
        (flash)
        p.ingress {
            @if editor.account.role == Role::Samordnare {
                "Du är samordnare och kan ändra uppgifterna för alla kommuner i regionen, programkatalogen och dokumenten."
            } @else {
                "Du är redaktör och kan ändra uppgifterna för de kommuner som står här."
            }
            " Siffrorna gäller den aktuella omgången, " strong { (round.name) } ", räknade som på den publika kartan."
        }
        @if let Some(o) = a.open_round() {
            p {
                "Svar samlas in i " strong { (a.inventory.rounds[o].name) } ", som är öppen: "
                a href={ "/admin/omgangar/" (crate::admin::encode(&a.inventory.rounds[o].id)) } { "se hur långt kommunerna har kommit" } "."
            }
        }
        @if mine.is_empty() {
            p { "Ditt konto har inga kommuner att ändra ännu. Kontakta samordnaren." }
        } @else {
            div.tabellram tabindex="0" role="region" aria-label="Dina kommuner" {
                table.staplad.poster {
                    caption { "Kommuner du kan ändra" }
                    thead { tr {
                        th scope="col" { "Kommun" }
                        th scope="col" { "Erbjuds" }
                        th scope="col" { "Erbjuds inte" }
                        th scope="col" { "Okänt" }
                        th scope="col" { "Äldre än 18 månader" }
                        th scope="col" { "Publik sida" }
                    } }
                    tbody {
                        @for k in &mine {
                            @let kommun = &a.kommuner()[*k];
                            @let [offered, not_offered, unknown] = a.counts(*k, r, |_| true);
                            @let old = records.get(&kommun.code).map_or(0, |rs| rs.all().into_iter().filter(|x| is_due(x, &due)).count());
                            tr {
                                th scope="row" data-label="Kommun" { a href={ "/admin/kommun/" (kommun.code) } { (kommun.name) } }
                                td data-label="Erbjuds" { (offered) }
                                td data-label="Erbjuds inte" { (not_offered) }
                                td data-label="Okänt" { (unknown) }
                                td data-label="Äldre än 18 månader" { (old) }
                                td data-label="Publik sida" { a href={ "/kommun/" (kommun.code) } { (kommun.name) span.dold { ", publik sida" } } }
                            }
                        }
                    }
                }
            }
            p.forklaring { "”Äldre än 18 månader” räknar uppgifter som senast bekräftades före " (due) " eller saknar datum: bekräfta dem om de fortfarande stämmer." }
        }
        @if editor.account.role == Role::Samordnare {
            p { a href="/admin/program" { "Programkatalogen, dokumenten och omgångarna" } }
        }
        p { a href="/admin/historik" { "Historiken: alla ändringar" } }
    };
    Ok(layout::respond(
        StatusCode::OK,
        super::page(&editor, "Översikt", main),
    ))
}
