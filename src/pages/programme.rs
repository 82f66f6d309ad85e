//! `/program/{slug}`: what the programme is, for whom, in what form, its source, and where in the
//! region it is offered (a list with every kommun's state, and a small map).

use maud::{Markup, html};
use serde_json::json;

use crate::vocabulary::CellState;

use crate::atlas::lapsed_label;

use super::Cx;
use super::cards::{card, for_whom, kommun_contacts};
use super::format::round_option;
use super::layout::{
    Script, capital, checked_source, count, json_island, page as layout_page, source, source_link,
    state,
};

/// `chosen`: the kommun the visitor came from (`?kommun=`), shown first with its contact.
pub fn page(cx: &Cx, p: usize, r: usize, chosen: Option<usize>) -> Markup {
    let a = cx.a;
    let prog = &a.programmes()[p];
    let round = &a.inventory.rounds[r];
    let mut ks: Vec<usize> = (0..a.kommuner().len()).collect();
    ks.sort_by_key(|k| {
        (
            Some(*k) != chosen,
            order(a.cell_state(*k, r, p)),
            a.kommuner()[*k].name.clone(),
        )
    });
    let offered: Vec<String> = ks
        .iter()
        .filter(|k| a.cell_state(**k, r, p) == CellState::Offered)
        .map(|k| a.kommuner()[*k].code.clone())
        .collect();
    let main = html! {
        h1 { (prog.name) }
        p.ingress { (prog.description) }
        dl.fakta {
            dt { "För vem" } dd { (for_whom(prog)) }
            dt { "Form" } dd { (capital(prog.format.label())) }
            dt { "Mer om programmet" } dd { (source(cx, &prog.source_url, Some(&prog.last_confirmed))) }
        }
        @if let Some(k) = chosen {
            section #i-kommunen aria-labelledby="h-i-kommunen" {
                h2 #h-i-kommunen { (prog.name) " i " (a.kommuner()[k].name) }
                @match a.cell_state(k, r, p) {
                    CellState::Offered => ul.kortlista { (card(cx, k, r, p, 3)) },
                    CellState::NotOffered => {
                        p { (a.kommuner()[k].name) " erbjuder inte programmet enligt uppgifterna." }
                        (kommun_contacts(cx, k))
                    }
                    CellState::Unknown => {
                        p.inget-bekraftat {
                            "Vi vet inte om " (a.kommuner()[k].name) " erbjuder programmet"
                            @if let Some(o) = a.lapsed(k, r, p) { " (" (lapsed_label(o)) ")" }
                            "."
                        }
                        (kommun_contacts(cx, k))
                    }
                }
            }
        }
        section #var-erbjuds aria-labelledby="h-var" {
            h2 #h-var { "Var programmet erbjuds" }
            p { "Omgång: " (round_option(round)) ". " (offered.len()) " av " (count(a.kommuner().len(), "kommun", "kommuner")) " erbjuder programmet enligt uppgifterna; "
                "för kommuner med status " strong { "okänt" } " saknas uppgift." }
            div.tabellram tabindex="0" role="region" aria-label="Programmet i kommunerna" {
                table.staplad {
                    caption { (prog.name) " i kommunerna" }
                    thead { tr { th scope="col" { "Kommun" } th scope="col" { "Status" } th scope="col" { "Arrangör" } th scope="col" { "Källa" } } }
                    tbody {
                        @for k in &ks {
                            @let kommun = &a.kommuner()[*k];
                            tr data-kommun=(kommun.code) data-klass=(class(a.cell_state(*k, r, p))) class=[(chosen == Some(*k)).then_some("vald")] {
                                th scope="row" data-label="Kommun" { a href={ "/kommun/" (kommun.code) } { (kommun.name) } }
                                td data-label="Status" {
                                    @match a.lapsed(*k, r, p) {
                                        Some(o) => span.tillstand.okant { (lapsed_label(o)) },
                                        None => (state(a.cell_state(*k, r, p))),
                                    }
                                }
                                @match a.offering(*k, r, p) {
                                    Some(o) => {
                                        td data-label="Arrangör" { (o.organiser)
                                            @if !o.contact_url.is_empty() { " " a href=(o.contact_url) { "Kontakt och anmälan i " (kommun.name) } } }
                                        td data-label="Källa" { (checked_source(cx, &o.source, &o.last_confirmed, a.review_due(*k, r, p) && a.lapsed(*k, r, p).is_none()))
                                            @if !o.note.is_empty() { br; small { (o.note) } } }
                                    }
                                    None => { td data-label="Arrangör" { "–" } td data-label="Källa" { "–" } }
                                }
                            }
                        }
                    }
                }
            }
            div #teckenforklaring {
                h3 { "Teckenförklaring" }
                ul.teckenlista {
                    @for s in [CellState::Offered, CellState::NotOffered, CellState::Unknown] {
                        li { span class={ "ruta " (class(s)) } aria-hidden="true" {} (s.label()) }
                    }
                }
            }
            @if cx.site.has_map() {
                div.kartdel.liten.ej-utskrift {
                    div #karta role="region" aria-label={ "Karta: kommuner som erbjuder " (prog.name) ". Samma uppgifter finns i tabellen ovanför." } {
                        p.kartinfo { "Kartan visas med JavaScript. Tabellen visar samma uppgifter." }
                    }
                    (json_island("kartdata", &json!({
                        "geojson": "/api/v1/kommuner?detail=low",
                        "tiles": cx.site.options.tiles,
                        "attribution": a.inventory.dataset.config.attribution,
                    })))
                }
            }
        }
        p { "Programmet finns i Myndigheten för familjerätt och föräldraskapsstöds (MFoF) sammanställning av program och metoder. "
            "Källa till beskrivningen: " (source_link(cx, &prog.source_url)) "." }
    };
    layout_page(cx, &prog.name, Script::Map, main)
}

fn order(s: CellState) -> u8 {
    match s {
        CellState::Offered => 0,
        CellState::NotOffered => 1,
        CellState::Unknown => 2,
    }
}

/// The map class of a state (the map's legend is the status column's text).
fn class(s: CellState) -> &'static str {
    match s {
        CellState::Offered => "k-n4",
        CellState::NotOffered => "k-ingen",
        CellState::Unknown => "k-okant",
    }
}
