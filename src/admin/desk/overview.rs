//! `/admin`: the kommuner the person may edit (a samordnare: all of them), each with how many
//! programmes are erbjuds / erbjuds inte / okänt in the current round (as the public pages count
//! them) and how many facts kan vara inaktuella (the staleness watch, with a link to its
//! dashboard); how many visitors' reports wait (with a link to the queue).

use axum::extract::{Query, State};
use axum::http::StatusCode;
use maud::html;

use super::{Answer, confirmation, store, store_failed};
use crate::AppState;
use crate::admin::forms::Values;
use crate::admin::layout;
use crate::admin::stale;
use crate::auth::{Editor, Role};
use crate::review::{Standing, Watch};

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
    let watch = Watch::of(store, &a, &editor.account)
        .await
        .map_err(|e| store_failed(&editor, e))?;
    let due = watch.count(Standing::Due);
    let reports = store
        .waiting_reports(&editor.account.scope())
        .await
        .map_err(|e| store_failed(&editor, e))?;
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
        p.rapporter {
            @match reports {
                0 => "Inga rapporter från besökare väntar. ",
                1 => strong { "1 ny rapport från besökare. " },
                n => strong { (n) " nya rapporter från besökare. " },
            }
            a href=(crate::admin::reports::PATH) { "Se rapporterna" }
        }
        @if watch.kommuner.is_empty() {
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
                        th scope="col" { "Kan vara inaktuella" }
                        th scope="col" { "Publik sida" }
                    } }
                    tbody {
                        @for (k, facts) in &watch.kommuner {
                            @let kommun = &a.kommuner()[*k];
                            @let [offered, not_offered, unknown] = a.counts(*k, r, |_| true);
                            @let old = facts.iter().filter(|f| f.standing == Standing::Due).count();
                            tr {
                                th scope="row" data-label="Kommun" { a href={ "/admin/kommun/" (kommun.code) } { (kommun.name) } }
                                td data-label="Erbjuds" { (offered) }
                                td data-label="Erbjuds inte" { (not_offered) }
                                td data-label="Okänt" { (unknown) }
                                td data-label="Kan vara inaktuella" {
                                    @if old == 0 { (old) }
                                    @else { a href={ (stale::PATH) "#" (stale::anchor(&kommun.code)) } { (old) span.dold { " i " (kommun.name) } } }
                                }
                                td data-label="Publik sida" { a href={ "/kommun/" (kommun.code) } { (kommun.name) span.dold { ", publik sida" } } }
                            }
                        }
                    }
                }
            }
            p.forklaring { "”Kan vara inaktuella” räknar uppgifter som inte har bekräftats på mer än " (a.review.months) " månader (senast bekräftade före " (a.review.before) "). De visas fortfarande, med en markering." }
            p.inaktuella {
                @match due {
                    0 => "Inga uppgifter i dina kommuner kan vara inaktuella. ",
                    1 => strong { "1 uppgift kan vara inaktuell. " },
                    n => strong { (n) " uppgifter kan vara inaktuella. " },
                }
                a href=(stale::PATH) { "Se och bekräfta dem under Inaktuellt" }
            }
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
