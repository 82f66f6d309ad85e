//! `/`: the filters (a plain GET form), the kommun list with the chosen measure, the legend,
//! the programmes of a chosen kommun for the chosen age, and the map container the script fills.
//! The list comes before the map in the document, so it is what a phone, a keyboard and a screen
//! reader meet first.

use maud::{Markup, html};
use serde_json::json;

use crate::coverage::LevelFilter;
use crate::views::{by_state, matches};
use crate::vocabulary::{CellState, Level};

use super::Cx;
use super::filters::{Filters, Measure, age_code};
use super::layout::{Script, capital, json_island, page as layout_page, state};
use super::measure::{legend, read};

pub fn page(cx: &Cx, f: &Filters) -> Markup {
    let a = cx.a;
    let region = &a.inventory.dataset.region().name;
    let main = html! {
        h1 { "Föräldraskapsstöd i " (region) }
        p.ingress {
            "Vilka föräldraskapsstödsprogram kan du som förälder delta i? Välj kommun och barnets ålder. "
            "Kartan och listan visar samma uppgifter. "
            strong { "Okänt" } " betyder att vi saknar uppgift, inte att programmet saknas."
        }
        (form(cx, f))
        div.vy {
            section #resultat aria-labelledby="resultat-rubrik" {
                h2 #resultat-rubrik { "Resultat" }
                p #antal role="status" { (summary(cx, f)) }
                div #resultat-innehall { (results(cx, f)) }
            }
            (map_part(cx, f))
        }
    };
    layout_page(
        cx,
        &format!("Föräldraskapsstöd i {region}"),
        Script::Map,
        main,
    )
}

fn form(cx: &Cx, f: &Filters) -> Markup {
    let a = cx.a;
    let selected_code = f.kommun.map(|k| a.kommuner[k].code.as_str());
    let age = f.age.map(age_code);
    html! {
        form #filter.ej-utskrift method="get" action="/" {
            div.falt {
                label for="f-kommun" { "Kommun" }
                select #f-kommun name="kommun" {
                    option value="" { "Alla kommuner" }
                    @for k in cx.kommuner_by_name() {
                        @let code = a.kommuner[k].code.as_str();
                        option value=(code) selected[selected_code == Some(code)] { (a.kommuner[k].name) }
                    }
                }
                button #min-position type="button" hidden { "Använd min position" }
            }
            div.falt {
                label for="f-alder" { "Barnets ålder" }
                select #f-alder name="age" {
                    option value="" selected[age.is_none()] { "Alla åldrar" }
                    option value="graviditet" selected[age.as_deref() == Some("graviditet")] { "Under graviditeten" }
                    @for n in 0..=17 {
                        @let v = n.to_string();
                        option value=(v) selected[age.as_deref() == Some(v.as_str())] {
                            @if n == 0 { "Under 1 år" } @else { (n) " år" }
                        }
                    }
                }
            }
            div.falt {
                label for="f-niva" { "Nivå" }
                select #f-niva name="level" data-standard="all" {
                    option value="all" selected[f.level == LevelFilter::All] { "Alla nivåer" }
                    @for l in Level::ALL {
                        option value=(l.code()) selected[f.level == LevelFilter::Only(*l)] { (level_text(*l)) }
                    }
                }
            }
            div.falt {
                label for="f-omgang" { "Omgång" }
                select #f-omgang name="round" data-standard=(a.inventory.rounds[a.default_round].id) {
                    @for (r, round) in a.inventory.rounds.iter().enumerate() {
                        option value=(round.id) selected[r == f.round] { (round.name) }
                    }
                }
            }
            div.falt {
                label for="f-lager" { "Kartan visar" }
                select #f-lager name="layer" data-standard="offerings" {
                    @for m in Measure::ALL {
                        option value=(m.code()) selected[*m == f.layer] { (capital(m.label())) }
                    }
                }
            }
            @if !a.inventory.documents.is_empty() {
                div.falt {
                    label for="f-dokument" { "Dokument (för följsamhet)" }
                    select #f-dokument name="document" data-standard=(a.inventory.documents[0].slug) {
                        @for (d, doc) in a.inventory.documents.iter().enumerate() {
                            option value=(doc.slug) selected[d == f.document] { (doc.title) }
                        }
                    }
                }
            }
            @if cx.embed { input type="hidden" name="embed" value="1"; }
            div.falt.knappar {
                button type="submit" { "Visa" }
            }
        }
    }
}

pub fn level_text(l: Level) -> &'static str {
    match l {
        Level::Universal => "Universell – för alla föräldrar",
        Level::Selective => "Selektiv – vid ökad risk",
        Level::Indicated => "Indikerad – när problem har visat sig",
    }
}

fn summary(cx: &Cx, f: &Filters) -> String {
    let a = cx.a;
    let n = a.kommuner.len();
    let round = &a.inventory.rounds[f.round].name;
    let mut s = format!("{n} kommuner visas: {}", f.layer.label());
    if matches!(f.layer, Measure::Offerings | Measure::Coverage) {
        s += &format!(
            " {}, {}, omgång {round}",
            f.age_phrase(),
            level_phrase(f.level)
        );
    }
    if let Some(k) = f.kommun {
        s += &format!(". Vald kommun: {}", a.kommuner[k].name);
    }
    s + "."
}

fn level_phrase(l: LevelFilter) -> String {
    match l {
        LevelFilter::All => "alla nivåer".into(),
        LevelFilter::Only(l) => format!("{} nivå", l.label()),
    }
}

/// Everything the filters change below the live region: the chosen kommun's programmes, the
/// legend and the kommun list. The script swaps exactly this part.
fn results(cx: &Cx, f: &Filters) -> Markup {
    let a = cx.a;
    html! {
        @if let Some(k) = f.kommun { (kommun_programmes(cx, f, k)) }
        div #teckenforklaring {
            h3 { "Teckenförklaring: " (f.layer.label()) }
            ul.teckenlista {
                @for (class, label) in legend(f) {
                    li { span class={ "ruta " (class.css()) } aria-hidden="true" {} (label) }
                }
            }
        }
        (downloads(cx, f))
        div.tabellram {
            table #kommunlista {
                caption { "Kommunerna: " (f.layer.label()) }
                thead { tr { th scope="col" { "Kommun" } th scope="col" { "Klass" } th scope="col" { "Uppgift" } } }
                tbody {
                    @for k in cx.kommuner_by_name() {
                        @let r = read(a, f, k);
                        @let kommun = &a.kommuner[k];
                        tr data-kommun=(kommun.code) data-klass=(r.class.css()) class=[(f.kommun == Some(k)).then_some("vald")] {
                            th scope="row" { a href={ "/kommun/" (kommun.code) } { (kommun.name) } }
                            td { span class={ "ruta " (r.class.css()) } aria-hidden="true" {} (r.label) }
                            td { (r.text) }
                        }
                    }
                }
            }
        }
    }
}

/// The export of the table behind each measure.
fn export_table(m: Measure) -> &'static str {
    match m {
        Measure::Offerings => "erbjudanden",
        Measure::Coverage => "tackning",
        Measure::Sambu => "sambu",
        Measure::Partssamverkan => "partssamverkan",
        Measure::Adherence => "foljsamhet",
        Measure::Trainings => "utbildningar",
    }
}

/// Downloads of what the page shows, with the page's own age, level and round.
fn downloads(cx: &Cx, f: &Filters) -> Markup {
    let a = cx.a;
    let round = &a.inventory.rounds[f.round].id;
    let mut filters = vec![("round", round.clone())];
    if let Some(age) = f.age {
        filters.push(("age", age_code(age)));
    }
    if f.level != LevelFilter::All {
        filters.push(("level", f.level.code().to_string()));
    }
    let link = |what: &str, format: &str| {
        let mut pairs = vec![("format", format.to_string())];
        pairs.extend(filters.iter().cloned());
        format!("/api/v1/export/{what}?{}", super::query_string(&pairs))
    };
    let table = export_table(f.layer);
    html! {
        div #nedladdning.ej-utskrift {
            h3 { "Ladda ner" }
            ul {
                li { a href=(link("matris", "xlsx")) { "Matris kommun × program (Excel, .xlsx)" } " · "
                     a href=(link("matris", "csv")) { "som CSV för Excel" } }
                li { a href=(link(table, "xlsx")) { "Tabellen: " (f.layer.label()) " (Excel, .xlsx)" } " · "
                     a href=(link(table, "csv")) { "CSV" } " · "
                     a href=(link(table, "geojson")) { "GeoJSON" } }
                li { a href=(link("alla", "xlsx")) { "Alla tabeller i en arbetsbok (.xlsx)" } }
            }
        }
    }
}

/// "Which programmes can I join?": for the chosen kommun, age and level, offered ones first,
/// then the unknown ones (never listed as not offered), then confirmed not offered.
fn kommun_programmes(cx: &Cx, f: &Filters, k: usize) -> Markup {
    let a = cx.a;
    let kommun = &a.kommuner[k];
    let [offered, not_offered, unknown] = &by_state(a, k, f.round, |p| matches(p, f.age, f.level));
    html! {
        section #program-i-kommunen aria-labelledby="pik-rubrik" {
            h3 #pik-rubrik { "Program i " (kommun.name) " " (f.age_phrase()) }
            @if offered.is_empty() {
                p { "Inget program som passar är bekräftat i den här omgången." }
            } @else {
                p { (offered.len()) " program erbjuds:" }
                ul #erbjuds {
                    @for p in offered {
                        @let prog = &a.programmes()[*p];
                        li {
                            a href={ "/program/" (prog.slug) } { (prog.name) }
                            " (" (age_range(prog.age_min, prog.age_max)) ")"
                            @if let Some(o) = a.offering(k, f.round, *p) {
                                @if !o.organiser.is_empty() { " – " (o.organiser) }
                            }
                        }
                    }
                }
            }
            @if !unknown.is_empty() {
                details {
                    summary { (unknown.len()) " program som passar har okänd status" }
                    p { "För de här programmen saknar vi uppgift om kommunen erbjuder dem. Fråga kommunen." }
                    ul #okanda {
                        @for p in unknown {
                            @let prog = &a.programmes()[*p];
                            li { a href={ "/program/" (prog.slug) } { (prog.name) } " – " (state(CellState::Unknown)) }
                        }
                    }
                }
            }
            @if !not_offered.is_empty() {
                p { "Erbjuds inte (bekräftat): "
                    @for (i, p) in not_offered.iter().enumerate() {
                        @if i > 0 { ", " }
                        (a.programmes()[*p].name)
                    }
                    "."
                }
            }
            p { a href={ "/kommun/" (kommun.code) } { "Allt om " (kommun.name) ": täckning, luckor, grannkommuner och källor" } }
        }
    }
}

fn map_part(cx: &Cx, f: &Filters) -> Markup {
    let a = cx.a;
    let region = &a.inventory.dataset.region().name;
    let config = json!({
        "geojson": "/api/v1/kommuner?detail=medium",
        "selected": f.kommun.map(|k| a.kommuner[k].code.clone()),
        "tiles": cx.site.options.tiles,
        "attribution": a.inventory.dataset.config.attribution,
    });
    html! {
        div.kartdel.ej-utskrift {
            button #visa-karta type="button" hidden aria-expanded="false" aria-controls="karta" { "Visa kartan" }
            @if cx.site.has_map() {
                div #karta role="region" aria-label={ "Karta över kommunerna i " (region) ". Samma uppgifter finns i listan ovanför kartan." } {
                    p.kartinfo { "Kartan visas med JavaScript. Listan visar samma uppgifter." }
                }
                (json_island("kartdata", &config))
            } @else {
                p.kartinfo { "Kartan kan inte visas just nu (kartbiblioteket saknas på servern). Listan visar samma uppgifter." }
            }
        }
    }
}

pub fn age_range(min: i8, max: i8) -> String {
    crate::coverage::age_label(min.max(-1), max)
}
