//! `/program/{slug}`: what the programme is, for whom, in what form, its source, and where in the
//! region it is offered (a list with every kommun's state, and a small map).

use maud::{Markup, html};
use serde_json::json;

use crate::vocabulary::CellState;

use crate::atlas::lapsed_label_in;
use crate::lang::Lang;

use super::Cx;
use super::cards::{card, description, for_whom, kommun_contacts};
use super::format::round_title;
use super::layout::{
    Script, capital, checked_source, count, json_island, page as layout_page, source, source_link,
    state_in,
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
    let (organiser, source_col) = (cx.t("Arrangör", "Organiser"), cx.t("Källa", "Source"));
    let main = html! {
        h1 { (cx.sv(&prog.name)) }
        p.ingress { (description(cx, prog)) }
        dl.fakta {
            dt { (cx.t("För vem", "For whom")) } dd { (for_whom(cx, prog)) }
            dt { (cx.t("Form", "Format")) } dd { (capital(prog.format.label_in(cx.lang))) }
            dt { (cx.t("Mer om programmet", "More about the programme")) } dd { (source(cx, &prog.source_url, Some(&prog.last_confirmed))) }
        }
        @if let Some(k) = chosen {
            @let name = &a.kommuner()[k].name;
            section #i-kommunen aria-labelledby="h-i-kommunen" {
                h2 #h-i-kommunen { (cx.sv(&prog.name)) (cx.t(" i ", " in ")) (name) }
                @match a.cell_state(k, r, p) {
                    CellState::Offered => ul.kortlista { (card(cx, k, r, p, 3)) },
                    CellState::NotOffered => {
                        @match cx.lang {
                            Lang::Sv => p { (name) " erbjuder inte programmet enligt uppgifterna." },
                            Lang::En => p { "According to the information we have, " (name) " does not offer the programme." },
                        }
                        (kommun_contacts(cx, k))
                    }
                    CellState::Unknown => {
                        p.inget-bekraftat {
                            (cx.t("Vi vet inte om ", "We do not know whether ")) (name) (cx.t(" erbjuder programmet", " offers the programme"))
                            @if let Some(o) = a.lapsed(k, r, p) { " (" (lapsed_label_in(cx.lang, o)) ")" }
                            "."
                        }
                        (kommun_contacts(cx, k))
                    }
                }
            }
        }
        section #var-erbjuds aria-labelledby="h-var" {
            h2 #h-var { (cx.t("Var programmet erbjuds", "Where the programme is offered")) }
            @match cx.lang {
                Lang::Sv => p { "Omgång: " (round_title(cx, round)) ". " (offered.len()) " av " (count(a.kommuner().len(), "kommun", "kommuner")) " erbjuder programmet enligt uppgifterna; "
                    "för kommuner med status " strong { "okänt" } " saknas uppgift." },
                Lang::En => p { "Round: " (round_title(cx, round)) ". " (offered.len()) " of " (count(a.kommuner().len(), "kommun", "kommuns")) " offer the programme according to the information we have; "
                    "for kommuns with the status " strong { "unknown" } " there is no information." },
            }
            div.tabellram tabindex="0" role="region" aria-label=(cx.t("Programmet i kommunerna", "The programme in the kommuns")) {
                table.staplad {
                    caption { (cx.sv(&prog.name)) (cx.t(" i kommunerna", " in the kommuns")) }
                    thead { tr { th scope="col" { "Kommun" } th scope="col" { "Status" } th scope="col" { (organiser) } th scope="col" { (source_col) } } }
                    tbody {
                        @for k in &ks {
                            @let kommun = &a.kommuner()[*k];
                            tr data-kommun=(kommun.code) data-klass=(class(a.cell_state(*k, r, p))) class=[(chosen == Some(*k)).then_some("vald")] {
                                th scope="row" data-label="Kommun" { a href=(cx.href(&format!("/kommun/{}", kommun.code))) { (kommun.name) } }
                                td data-label="Status" {
                                    @match a.lapsed(*k, r, p) {
                                        Some(o) => span.tillstand.okant { (lapsed_label_in(cx.lang, o)) },
                                        None => (state_in(cx.lang, a.cell_state(*k, r, p))),
                                    }
                                }
                                @match a.offering(*k, r, p) {
                                    Some(o) => {
                                        td data-label=(organiser) { (cx.sv(&o.organiser))
                                            @if !o.contact_url.is_empty() { " " a href=(o.contact_url) hreflang=[(cx.lang == Lang::En).then_some("sv")] { (cx.t("Kontakt och anmälan i ", "Contact and sign-up in ")) (kommun.name) } } }
                                        td data-label=(source_col) { (checked_source(cx, &o.source, &o.last_confirmed, a.review_due(*k, r, p) && a.lapsed(*k, r, p).is_none()))
                                            @if !o.note.is_empty() { br; small { (cx.sv(&o.note)) } } }
                                    }
                                    None => { td data-label=(organiser) { "–" } td data-label=(source_col) { "–" } }
                                }
                            }
                        }
                    }
                }
            }
            div #teckenforklaring {
                h3 { (cx.t("Teckenförklaring", "Key")) }
                ul.teckenlista {
                    @for s in [CellState::Offered, CellState::NotOffered, CellState::Unknown] {
                        li { span class={ "ruta " (class(s)) } aria-hidden="true" {} (s.label_in(cx.lang)) }
                    }
                }
            }
            @if cx.site.has_map() {
                div.kartdel.liten.ej-utskrift {
                    div #karta role="region" aria-label=(match cx.lang {
                        Lang::Sv => format!("Karta: kommuner som erbjuder {}. Samma uppgifter finns i tabellen ovanför.", prog.name),
                        Lang::En => format!("Map: kommuns that offer {}. The table above has the same information.", prog.name),
                    }) {
                        p.kartinfo { (cx.t("Kartan visas med JavaScript. Tabellen visar samma uppgifter.", "The map needs JavaScript. The table shows the same information.")) }
                    }
                    (json_island("kartdata", &json!({
                        "geojson": "/api/v1/kommuner?detail=low",
                        "tiles": cx.site.options.tiles,
                        "attribution": a.inventory.dataset.config.attribution,
                    })))
                }
            }
        }
        @match cx.lang {
            Lang::Sv => p { "Programmet finns i Myndigheten för familjerätt och föräldraskapsstöds (MFoF) sammanställning av program och metoder. "
                "Källa till beskrivningen: " (source_link(cx, &prog.source_url)) "." },
            Lang::En => p { "The programme is in the list of programmes and methods of the Swedish Family Law and Parental Support Authority (MFoF). "
                "Source of the description: " (cx.sv(source_link(cx, &prog.source_url))) "." },
        }
        (super::report::section(cx, super::report::About::data(chosen, Some(p))))
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
