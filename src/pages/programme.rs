//! `/program/{slug}`: what the programme is, for whom, in what form, its source, and where in the
//! region it is offered (a list with every kommun's state, and a small map).

use maud::{Markup, html};
use serde_json::json;

use crate::vocabulary::CellState;

use super::Cx;
use super::kommun::levels;
use super::layout::{Script, json_island, page as layout_page, source, source_link, state};
use super::map::age_range;

pub fn page(cx: &Cx, p: usize, r: usize) -> Markup {
    let a = cx.a;
    let prog = &a.programmes()[p];
    let round = &a.inventory.rounds[r];
    let mut ks: Vec<usize> = (0..a.kommuner.len()).collect();
    ks.sort_by_key(|k| (order(a.cell_state(*k, r, p)), a.kommuner[*k].name.clone()));
    let offered: Vec<String> = ks
        .iter()
        .filter(|k| a.cell_state(**k, r, p) == CellState::Offered)
        .map(|k| a.kommuner[*k].code.clone())
        .collect();
    let main = html! {
        h1 { (prog.name) }
        p.ingress { (prog.description) }
        dl.fakta {
            dt { "För vem" } dd { "Föräldrar till barn " (age_range(prog.age_min, prog.age_max)) }
            dt { "Nivå" } dd { (levels(&prog.levels)) }
            dt { "Form" } dd { (prog.format.label()) }
            @if !prog.notes.is_empty() { dt { "Att veta" } dd { (prog.notes) } }
            dt { "Mer om programmet" } dd { (source(&prog.source_url, Some(&prog.last_confirmed))) }
        }
        section #var-erbjuds aria-labelledby="h-var" {
            h2 #h-var { "Var programmet erbjuds" }
            p { "Omgång: " (round.name) ". " (offered.len()) " av " (a.kommuner.len()) " kommuner erbjuder programmet enligt uppgifterna; "
                "för kommuner med status " strong { "okänt" } " saknas uppgift." }
            div.tabellram {
                table {
                    caption { (prog.name) " i kommunerna" }
                    thead { tr { th scope="col" { "Kommun" } th scope="col" { "Status" } th scope="col" { "Arrangör" } th scope="col" { "Källa" } } }
                    tbody {
                        @for k in &ks {
                            @let kommun = &a.kommuner[*k];
                            tr data-kommun=(kommun.code) data-klass=(class(a.cell_state(*k, r, p))) {
                                th scope="row" { a href={ "/kommun/" (kommun.code) } { (kommun.name) } }
                                td { (state(a.cell_state(*k, r, p))) }
                                @match a.offering(*k, r, p) {
                                    Some(o) => {
                                        td { (o.organiser)
                                            @if !o.contact_url.is_empty() { " " a href=(o.contact_url) { "Kontakt och anmälan i " (kommun.name) } } }
                                        td { (source(&o.source, Some(&o.last_confirmed))) }
                                    }
                                    None => { td { "–" } td { "–" } }
                                }
                            }
                        }
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
            "Källa till beskrivningen: " (source_link(&prog.source_url)) "." }
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
