//! `/`: the filters (a plain GET form), the kommun list with the chosen measure, the legend,
//! the programmes of a chosen kommun for the chosen age, and the map container the script fills.
//! The list comes before the map in the document, so it is what a phone, a keyboard and a screen
//! reader meet first.

use std::fmt::Write;

use maud::{Markup, html};
use serde_json::json;

use crate::coverage::matches;
use crate::coverage::{LevelFilter, age_label};
use crate::vocabulary::Level;

use super::Cx;
use super::cards::{age_phrase, programmes_for};
use super::filters::{Filters, Measure, age_code};
use super::format::{answered_line, level_text, round_option};
use super::layout::{Script, capital, count, json_island, page as layout_page};
use super::measure::{legend, read};

pub fn page(cx: &Cx, f: &Filters) -> Markup {
    let a = cx.a;
    let region = &a.inventory.dataset.region().name;
    let main = html! {
        h1 { "Föräldraskapsstöd i " (region) }
        @if !cx.embed {
            p.ingress {
                "Vilka föräldraskapsstödsprogram kan du som förälder delta i? Välj kommun och barnets ålder. "
                "Kartan och listan visar samma uppgifter. "
                strong { "Okänt" } " betyder att vi saknar uppgift, inte att programmet saknas."
            }
        }
        (form(cx, f))
        p #svar-kort { (short_answer(cx, f)) }
        @if !cx.embed { p.svarsgrad { (answered_line(cx, f.round)) } }
        div.vy {
            section #resultat aria-labelledby="resultat-rubrik" {
                h2 #resultat-rubrik { "Resultat" }
                p #antal role="status" { (summary(cx, f)) }
                div #resultat-innehall { (results(cx, f)) }
            }
            @if !cx.embed { (map_part(cx, f)) }
        }
    };
    layout_page(
        cx,
        &format!("Föräldraskapsstöd i {region}"),
        if cx.embed { Script::None } else { Script::Map },
        main,
    )
}

fn form(cx: &Cx, f: &Filters) -> Markup {
    let a = cx.a;
    let selected_code = f.kommun.map(|k| a.kommuner()[k].code.as_str());
    let age = f.age.map(age_code);
    let more_open =
        f.level != LevelFilter::All || f.round != a.default_round || f.layer != Measure::Offerings;
    html! {
        form #filter.ej-utskrift method="get" action="/" target=[cx.embed.then_some("_self")] {
            div.falt {
                label for="f-kommun" { "Kommun" }
                select #f-kommun name="kommun" {
                    option value="" { "Alla kommuner" }
                    @for k in cx.kommuner_by_name() {
                        @let code = a.kommuner()[k].code.as_str();
                        option value=(code) selected[selected_code == Some(code)] { (a.kommuner()[k].name) }
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
            @if cx.embed {
                input type="hidden" name="embed" value="1";
            } @else {
                details #fler-val open[more_open] {
                    summary { "Fler val" }
                    div.fler-falt {
                        div.falt {
                            label for="f-niva" { "Nivå (vem stödet är för)" }
                            select #f-niva name="level" data-standard="all" {
                                option value="all" selected[f.level == LevelFilter::All] { "Alla nivåer" }
                                @for l in Level::ALL {
                                    option value=(l.code()) selected[f.level == LevelFilter::Only(*l)] { (level_text(*l)) }
                                }
                            }
                        }
                        div.falt {
                            label for="f-omgang" { "Omgång (insamling av uppgifter)" }
                            select #f-omgang name="round" data-standard=(a.inventory.rounds[a.default_round].id) {
                                @for (r, round) in a.inventory.rounds.iter().enumerate() {
                                    option value=(round.id) selected[r == f.round] { (round_option(round)) }
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
                            div.falt #falt-dokument hidden[f.layer != Measure::Adherence] {
                                label for="f-dokument" { "Dokument" }
                                select #f-dokument name="document" data-standard=(a.inventory.documents[0].slug) {
                                    @for (d, doc) in a.inventory.documents.iter().enumerate() {
                                        option value=(doc.slug) selected[d == f.document] { (doc.title) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            div.falt.knappar {
                button type="submit" { "Visa" }
            }
        }
    }
}

/// The answer in one line next to the form, for a phone where the results are further down.
fn short_answer(cx: &Cx, f: &Filters) -> Markup {
    let a = cx.a;
    html! {
        @match f.kommun {
            Some(k) => {
                @let [offered, _, unknown] = a.by_state(k, f.round, |p| matches(p, f.age, f.level));
                @if offered.is_empty() {
                    "Inget bekräftat program i " (a.kommuner()[k].name) " " (age_phrase(f.age))
                    @if !unknown.is_empty() { " (" (unknown.len()) " okända)" }
                    ". "
                } @else {
                    (count(offered.len(), "program", "program")) " i " (a.kommuner()[k].name) " " (age_phrase(f.age)) ". "
                }
                a href="#resultat" { "Till svaret" }
            }
            None => { "Välj kommun och barnets ålder för att se vilka program du kan delta i." }
        }
    }
}

fn summary(cx: &Cx, f: &Filters) -> String {
    let a = cx.a;
    let n = a.kommuner().len();
    let round = &a.inventory.rounds[f.round].name;
    let mut s = format!(
        "{} visas: {}",
        count(n, "kommun", "kommuner"),
        f.layer.label()
    );
    match f.layer {
        Measure::Offerings | Measure::Coverage => {
            let _ = write!(
                s,
                " {}, {}, omgång {round}",
                age_phrase(f.age),
                level_phrase(f.level)
            );
        }
        Measure::Adherence => {
            if let Some(d) = a.inventory.documents.get(f.document) {
                let _ = write!(s, ": {}", d.title);
            }
        }
        _ => {}
    }
    if let Some(k) = f.kommun {
        let _ = write!(s, ". Vald kommun: {}", a.kommuner()[k].name);
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
    if cx.embed {
        return html! {
            @match f.kommun {
                Some(k) => (programmes_for(cx, k, f.round, f.age, f.level, 3)),
                None => p { "Välj kommun och barnets ålder." },
            }
        };
    }
    html! {
        @if let Some(k) = f.kommun { (programmes_for(cx, k, f.round, f.age, f.level, 3)) }
        div #teckenforklaring {
            h3 { "Teckenförklaring: " (f.layer.label()) @if f.layer == Measure::Adherence {
                @if let Some(d) = a.inventory.documents.get(f.document) { " – " (d.title) } } }
            ul.teckenlista {
                @for (class, label) in legend(f) {
                    li { span class={ "ruta " (class.css()) } aria-hidden="true" {} (label) }
                }
            }
        }
        (downloads(cx, f))
        (overview_link(cx, f))
        div.tabellram tabindex="0" role="region" aria-label="Kommunerna i en tabell" {
            table #kommunlista {
                caption { "Kommunerna: " (f.layer.label()) }
                thead { tr { th scope="col" { "Kommun" } th scope="col" { "På kartan" } th scope="col" { "Detaljer" } } }
                tbody {
                    @for k in cx.kommuner_by_name() {
                        @let r = read(a, f, k);
                        @let kommun = &a.kommuner()[k];
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

/// The region at a glance, for the same age, level and round: every kommun × age in a picture.
fn overview_link(cx: &Cx, f: &Filters) -> Markup {
    let q = super::query_string(&[
        ("level", super::level_param(f.level)),
        ("round", super::round_param(cx.a, f.round)),
        ("age", f.age.map(age_code).unwrap_or_default()),
    ]);
    html! {
        p #till-oversikt.ej-utskrift {
            a href=(super::with_query("/oversikt", &q)) hreflang=[(cx.lang != crate::lang::Lang::Sv).then_some("sv")] {
                (cx.t("Alla kommuner och åldrar i en bild", "All kommuner and ages in one picture (in Swedish)"))
            }
            " · "
            a href="/lagesbild" hreflang=[(cx.lang != crate::lang::Lang::Sv).then_some("sv")] {
                (cx.t("Lägesbild: SAMBU, partssamverkan, följsamhet, SIP-utbildningar", "Status by kommun: SAMBU, partssamverkan, adherence, SIP training (in Swedish)"))
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

/// Downloads of what the page shows, with the page's own age, level and round; the link text
/// names the file's content and the filter that made it.
fn downloads(cx: &Cx, f: &Filters) -> Markup {
    let a = cx.a;
    let round = &a.inventory.rounds[f.round];
    let mut filters = vec![("round", round.id.clone())];
    let mut chosen = vec![format!("omgång {}", round.name)];
    if let Some(age) = f.age {
        filters.push(("age", age_code(age)));
        chosen.push(age_label(age, age));
    }
    if f.level != LevelFilter::All {
        filters.push(("level", f.level.code().to_string()));
        chosen.push(level_phrase(f.level));
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
            p.forklaring { "Filerna följer ditt urval: " (chosen.join(", ")) "." }
            ul {
                li { a href=(link("matris", "xlsx")) { "Program per kommun, en kolumn per program (Excel, .xlsx)" } " · "
                     a href=(link("matris", "csv")) { "som CSV för Excel" } }
                li { a href=(link(table, "xlsx")) { (export_label(f.layer)) " (Excel, .xlsx)" } " · "
                     a href=(link(table, "csv")) { "CSV" } " · "
                     a href=(link(table, "geojson")) { "GeoJSON" } }
                li { a href=(link("alla", "xlsx")) { "Alla tabeller i en arbetsbok (.xlsx)" } }
            }
        }
    }
}

/// What the table behind a measure holds, as its download link says it.
fn export_label(m: Measure) -> &'static str {
    match m {
        Measure::Offerings => "Lista: varje kommun och program med status och källa",
        Measure::Coverage => "Täckning och luckor per kommun och nivå",
        Measure::Sambu => "SAMBU-team per kommun",
        Measure::Partssamverkan => "Partssamverkan per kommun",
        Measure::Adherence => "Följsamhet per kommun och dokument",
        Measure::Trainings => "SIP-utbildningar per kommun",
    }
}

fn map_part(cx: &Cx, f: &Filters) -> Markup {
    let a = cx.a;
    let region = &a.inventory.dataset.region().name;
    let config = json!({
        "geojson": "/api/v1/kommuner?detail=medium",
        "selected": f.kommun.map(|k| a.kommuner()[k].code.clone()),
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
