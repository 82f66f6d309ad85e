//! `/`: the filters (a plain GET form), the kommun list with the chosen measure, the legend,
//! the programmes of a chosen kommun for the chosen age, and the map container the script fills.
//! The list comes before the map in the document, so it is what a phone, a keyboard and a screen
//! reader meet first.

use maud::{Markup, html};
use serde_json::json;

use crate::coverage::matches;
use crate::coverage::{LevelFilter, age_label_in};
use crate::lang::Lang;
use crate::vocabulary::Level;

use super::Cx;
use super::cards::{age_phrase, programmes_for};
use super::filters::{Filters, Measure, age_code};
use super::format::{answered_line, level_text, round_option, round_option_lang};
use super::layout::{Script, capital, count, json_island, page as layout_page};
use super::measure::{legend, read};

pub fn page(cx: &Cx, f: &Filters) -> Markup {
    let a = cx.a;
    let region = &a.inventory.dataset.region().name;
    let title = format!(
        "{}{region}",
        cx.t("Föräldraskapsstöd i ", "Parenting support in ")
    );
    let main = html! {
        h1 { (title) }
        @if !cx.embed {
            @match cx.lang {
                Lang::Sv => p.ingress {
                    "Vilka föräldraskapsstödsprogram kan du som förälder delta i? Välj kommun och barnets ålder. "
                    "Kartan och listan visar samma uppgifter. "
                    strong { "Okänt" } " betyder att vi saknar uppgift, inte att programmet saknas."
                },
                Lang::En => p.ingress {
                    "Which parenting programmes can you join as a parent? Choose your kommun (municipality) and your child's age. "
                    "Parenting programmes are courses, often in a group, that support you in your relationship with your child. "
                    "The map and the list show the same information. "
                    strong { "Unknown" } " means that we have no information, not that the programme is missing."
                },
            }
        }
        (form(cx, f))
        p #svar-kort { (short_answer(cx, f)) }
        @if !cx.embed { p.svarsgrad { (answered_line(cx, f.round)) } }
        div.vy {
            section #resultat aria-labelledby="resultat-rubrik" {
                h2 #resultat-rubrik { (cx.t("Resultat", "Results")) }
                p #antal role="status" { (summary(cx, f)) }
                div #resultat-innehall { (results(cx, f)) }
            }
            @if !cx.embed { (map_part(cx, f)) }
        }
    };
    layout_page(
        cx,
        &title,
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
        form #filter.ej-utskrift method="get" action=(cx.href("/")) target=[cx.embed.then_some("_self")] {
            div.falt {
                label for="f-kommun" { "Kommun" }
                select #f-kommun name="kommun" {
                    option value="" { (cx.t("Alla kommuner", "All kommuns")) }
                    @for k in cx.kommuner_by_name() {
                        @let code = a.kommuner()[k].code.as_str();
                        option value=(code) selected[selected_code == Some(code)] { (a.kommuner()[k].name) }
                    }
                }
                button #min-position type="button" hidden { (cx.t("Använd min position", "Use my location")) }
            }
            div.falt {
                label for="f-alder" { (cx.t("Barnets ålder", "Child's age")) }
                select #f-alder name="age" {
                    option value="" selected[age.is_none()] { (cx.t("Alla åldrar", "All ages")) }
                    option value="graviditet" selected[age.as_deref() == Some("graviditet")] { (cx.t("Under graviditeten", "During pregnancy")) }
                    @for n in 0..=17 {
                        @let v = n.to_string();
                        option value=(v) selected[age.as_deref() == Some(v.as_str())] { (age_option(cx.lang, n)) }
                    }
                }
            }
            @if cx.embed {
                input type="hidden" name="embed" value="1";
            } @else {
                details #fler-val open[more_open] {
                    summary { (cx.t("Fler val", "More choices")) }
                    div.fler-falt {
                        div.falt {
                            label for="f-niva" { (cx.t("Nivå (vem stödet är för)", "Level (who the support is for)")) }
                            select #f-niva name="level" data-standard="all" {
                                option value="all" selected[f.level == LevelFilter::All] { (cx.t("Alla nivåer", "All levels")) }
                                @for l in Level::ALL {
                                    option value=(l.code()) selected[f.level == LevelFilter::Only(*l)] { (level_text(cx, *l)) }
                                }
                            }
                        }
                        div.falt {
                            label for="f-omgang" { (cx.t("Omgång (insamling av uppgifter)", "Round (collection of information)")) }
                            select #f-omgang name="round" data-standard=(a.inventory.rounds[a.default_round].id) {
                                @for (r, round) in a.inventory.rounds.iter().enumerate() {
                                    option value=(round.id) selected[r == f.round] lang=[round_option_lang(cx, round)] { (round_option(cx, round)) }
                                }
                            }
                        }
                        div.falt {
                            label for="f-lager" { (cx.t("Kartan visar", "The map shows")) }
                            select #f-lager name="layer" data-standard="offerings" {
                                @for m in Measure::ALL {
                                    option value=(m.code()) selected[*m == f.layer] { (capital(m.label_in(cx.lang))) }
                                }
                            }
                        }
                        @if !a.inventory.documents.is_empty() {
                            div.falt #falt-dokument hidden[f.layer != Measure::Adherence] {
                                label for="f-dokument" { (cx.t("Dokument", "Document")) }
                                select #f-dokument name="document" data-standard=(a.inventory.documents[0].slug) lang=[(cx.lang == Lang::En).then_some("sv")] {
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
                button type="submit" { (cx.t("Visa", "Show")) }
            }
        }
    }
}

/// "13 år", "Under 1 år" in the age select.
fn age_option(lang: Lang, n: i8) -> String {
    match (lang, n) {
        (Lang::Sv, 0) => "Under 1 år".into(),
        (Lang::Sv, n) => format!("{n} år"),
        (Lang::En, 0) => "Under 1".into(),
        (Lang::En, 1) => "1 year".into(),
        (Lang::En, n) => format!("{n} years"),
    }
}

/// The answer in one line next to the form, for a phone where the results are further down.
fn short_answer(cx: &Cx, f: &Filters) -> Markup {
    let a = cx.a;
    html! {
        @match f.kommun {
            Some(k) => {
                @let [offered, _, unknown] = a.by_state(k, f.round, |p| matches(p, f.age, f.level));
                @let (name, phrase) = (&a.kommuner()[k].name, age_phrase(cx.lang, f.age));
                @match (cx.lang, offered.is_empty()) {
                    (Lang::Sv, true) => {
                        "Inget bekräftat program i " (name) " " (phrase)
                        @if !unknown.is_empty() { " (" (unknown.len()) " okända)" }
                        ". "
                    }
                    (Lang::Sv, false) => { (count(offered.len(), "program", "program")) " i " (name) " " (phrase) ". " }
                    (Lang::En, true) => {
                        "No confirmed programme in " (name) " " (phrase)
                        @if !unknown.is_empty() { " (" (unknown.len()) " unknown)" }
                        ". "
                    }
                    (Lang::En, false) => { (count(offered.len(), "programme", "programmes")) " in " (name) " " (phrase) ". " }
                }
                a href="#resultat" { (cx.t("Till svaret", "To the answer")) }
            }
            None => { (cx.t("Välj kommun och barnets ålder för att se vilka program du kan delta i.",
                            "Choose your kommun and your child's age to see which programmes you can join.")) }
        }
    }
}

/// What the list and the map show, for the live region (the script replaces it after a change).
fn summary(cx: &Cx, f: &Filters) -> Markup {
    let a = cx.a;
    let n = a.kommuner().len();
    let round = &a.inventory.rounds[f.round].name;
    html! {
        (count(n, "kommun", cx.t("kommuner", "kommuns"))) " " (cx.t("visas", "shown")) ": " (f.layer.label_in(cx.lang))
        @match f.layer {
            Measure::Offerings | Measure::Coverage => {
                " " (age_phrase(cx.lang, f.age)) ", " (level_phrase(cx.lang, f.level)) ", "
                (cx.t("omgång", "round")) " " (cx.sv(round))
            }
            Measure::Adherence => {
                @if let Some(d) = a.inventory.documents.get(f.document) { ": " (cx.sv(&d.title)) }
            }
            _ => {}
        }
        @if let Some(k) = f.kommun { ". " (cx.t("Vald kommun", "Chosen kommun")) ": " (a.kommuner()[k].name) }
        "."
    }
}

fn level_phrase(lang: Lang, l: LevelFilter) -> String {
    match (lang, l) {
        (Lang::Sv, LevelFilter::All) => "alla nivåer".into(),
        (Lang::Sv, LevelFilter::Only(l)) => format!("{} nivå", l.label()),
        (Lang::En, LevelFilter::All) => "all levels".into(),
        (Lang::En, LevelFilter::Only(l)) => format!("{} level", l.label_in(lang)),
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
                None => p { (cx.t("Välj kommun och barnets ålder.", "Choose your kommun and your child's age.")) },
            }
        };
    }
    html! {
        @if let Some(k) = f.kommun { (programmes_for(cx, k, f.round, f.age, f.level, 3)) }
        div #teckenforklaring {
            h3 { (cx.t("Teckenförklaring: ", "Key: ")) (f.layer.label_in(cx.lang)) @if f.layer == Measure::Adherence {
                @if let Some(d) = a.inventory.documents.get(f.document) { " – " (cx.sv(&d.title)) } } }
            ul.teckenlista {
                @for (class, label) in legend(cx.lang, f) {
                    li { span class={ "ruta " (class.css()) } aria-hidden="true" {} (label) }
                }
                @if f.layer == Measure::Familjecentraler {
                    @let n = points(cx).len();
                    li { span.punkt aria-hidden="true" {} (cx.t("punkt: där en källa ger familjecentralens koordinater (", "point: where a source gives the familjecentral's coordinates (")) (n) ")" }
                }
            }
        }
        @if f.layer == Measure::Familjecentraler { (json_island("familjecentral-punkter", &json!(points(cx)))) }
        (downloads(cx, f))
        (overview_link(cx, f))
        div.tabellram tabindex="0" role="region" aria-label=(cx.t("Kommunerna i en tabell", "The kommuns in a table")) {
            table #kommunlista {
                caption { (cx.t("Kommunerna: ", "The kommuns: ")) (f.layer.label_in(cx.lang)) }
                thead { tr { th scope="col" { "Kommun" } th scope="col" { (cx.t("På kartan", "On the map")) } th scope="col" { (cx.t("Detaljer", "Details")) } } }
                tbody {
                    @for k in cx.kommuner_by_name() {
                        @let r = read(cx, f, k);
                        @let kommun = &a.kommuner()[k];
                        tr data-kommun=(kommun.code) data-klass=(r.class.css()) class=[(f.kommun == Some(k)).then_some("vald")] {
                            th scope="row" { a href=(cx.href(&format!("/kommun/{}", kommun.code))) { (kommun.name) } }
                            td { span class={ "ruta " (r.class.css()) } aria-hidden="true" {} (r.label) }
                            td { (r.text) }
                        }
                    }
                }
            }
        }
    }
}

/// The familjecentraler with coordinates from their source, for the map's points (the list
/// names every one, with or without).
fn points(cx: &Cx) -> Vec<serde_json::Value> {
    let a = cx.a;
    (0..a.kommuner().len())
        .flat_map(|k| a.familjecentraler(k).map(move |c| (k, c)))
        .filter_map(|(k, c)| {
            let p = c.point?;
            Some(
                json!({ "name": c.name, "lat": p.lat, "lon": p.lon, "url": c.url,
                          "kommun": a.kommuner()[k].code }),
            )
        })
        .collect()
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
                (cx.t("Alla kommuner och åldrar i en bild", "All kommuns and ages in one picture (in Swedish)"))
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
        Measure::Familjecentraler => "familjecentraler",
    }
}

/// Downloads of what the page shows, with the page's own age, level and round; the link text
/// names the file's content and the filter that made it.
fn downloads(cx: &Cx, f: &Filters) -> Markup {
    let a = cx.a;
    let round = &a.inventory.rounds[f.round];
    let mut filters = vec![("round", round.id.clone())];
    let mut chosen = Vec::new();
    if let Some(age) = f.age {
        filters.push(("age", age_code(age)));
        chosen.push(age_label_in(cx.lang, age, age));
    }
    if f.level != LevelFilter::All {
        filters.push(("level", f.level.code().to_string()));
        chosen.push(level_phrase(cx.lang, f.level));
    }
    let link = |what: &str, format: &str| {
        let mut pairs = vec![("format", format.to_string())];
        pairs.extend(filters.iter().cloned());
        format!("/api/v1/export/{what}?{}", super::query_string(&pairs))
    };
    let table = export_table(f.layer);
    html! {
        div #nedladdning.ej-utskrift {
            h3 { (cx.t("Ladda ner", "Download")) }
            p.forklaring {
                (cx.t("Filerna följer ditt urval: ", "The files follow your choice: "))
                (cx.t("omgång ", "round ")) (cx.sv(&round.name)) @for c in &chosen { ", " (c) } "."
                @if cx.lang == Lang::En { " The files are in Swedish." }
            }
            ul {
                li { a href=(link("matris", "xlsx")) { (cx.t("Program per kommun, en kolumn per program (Excel, .xlsx)", "Programmes per kommun, one column per programme (Excel, .xlsx)")) } " · "
                     a href=(link("matris", "csv")) { (cx.t("som CSV för Excel", "as CSV for Excel")) } }
                li { a href=(link(table, "xlsx")) { (export_label(cx.lang, f.layer)) " (Excel, .xlsx)" } " · "
                     a href=(link(table, "csv")) { "CSV" } " · "
                     a href=(link(table, "geojson")) { "GeoJSON" } }
                li { a href=(link("alla", "xlsx")) { (cx.t("Alla tabeller i en arbetsbok (.xlsx)", "All tables in one workbook (.xlsx)")) } }
            }
        }
    }
}

/// What the table behind a measure holds, as its download link says it.
fn export_label(lang: Lang, m: Measure) -> &'static str {
    match m {
        Measure::Offerings => lang.pick(
            "Lista: varje kommun och program med status och källa",
            "List: every kommun and programme with status and source",
        ),
        Measure::Coverage => lang.pick(
            "Täckning och luckor per kommun och nivå",
            "Coverage and gaps per kommun and level",
        ),
        Measure::Sambu => lang.pick("SAMBU-team per kommun", "SAMBU teams per kommun"),
        Measure::Partssamverkan => {
            lang.pick("Partssamverkan per kommun", "Partssamverkan per kommun")
        }
        Measure::Adherence => lang.pick(
            "Följsamhet per kommun och dokument",
            "Adherence per kommun and document",
        ),
        Measure::Trainings => lang.pick("SIP-utbildningar per kommun", "SIP trainings per kommun"),
        Measure::Familjecentraler => lang.pick(
            "Familjecentraler per kommun (punkter där källan ger koordinater)",
            "Family centres per kommun (points where the source gives coordinates)",
        ),
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
            button #visa-karta type="button" hidden aria-expanded="false" aria-controls="karta" { (cx.t("Visa kartan", "Show the map")) }
            @if cx.site.has_map() {
                div #karta role="region" aria-label=(match cx.lang {
                    Lang::Sv => format!("Karta över kommunerna i {region}. Samma uppgifter finns i listan ovanför kartan."),
                    Lang::En => format!("Map of the kommuns in {region}. The list above the map has the same information."),
                }) {
                    p.kartinfo { (cx.t("Kartan visas med JavaScript. Listan visar samma uppgifter.", "The map needs JavaScript. The list shows the same information.")) }
                }
                (json_island("kartdata", &config))
            } @else {
                p.kartinfo { (cx.t("Kartan kan inte visas just nu (kartbiblioteket saknas på servern). Listan visar samma uppgifter.",
                                   "The map cannot be shown just now (the map library is missing on the server). The list shows the same information.")) }
            }
        }
    }
}
