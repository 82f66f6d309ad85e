//! A parent's answer: the programmes of a kommun for a child's age as cards (what it is, for
//! whom in plain words, who runs it, languages, and where to ask and sign up), the kommun's own
//! contact where nothing is confirmed, and what the neighbouring kommuner offer. The map page,
//! its embedded form and the kommun page show the same section.

use maud::{Markup, html};

use crate::atlas::lapsed_label;
use crate::coverage::LevelFilter;
use crate::coverage::matches;
use crate::inventory::Programme;
use crate::vocabulary::{CellState, ContactKind, Level};

use super::Cx;
use super::format::age_range;
use super::layout::{checked_source, count, source, source_link, state};

/// "för ett barn som är 13 år", "under graviditeten", "för barn i alla åldrar 0–17 år".
pub fn age_phrase(age: Option<i8>) -> String {
    match age {
        None => "för barn i alla åldrar 0–17 år".into(),
        Some(-1) => "under graviditeten".into(),
        Some(0) => "för ett barn under 1 år".into(),
        Some(n) => format!("för ett barn som är {n} år"),
    }
}

/// Who a level is for, in plain words.
pub fn level_for(l: Level) -> &'static str {
    match l {
        Level::Universal => "alla föräldrar",
        Level::Selective => {
            "föräldrar i en situation med ökad risk, till exempel separerade eller nya i Sverige"
        }
        Level::Indicated => "föräldrar vars barn redan har svårigheter",
    }
}

/// "För föräldrar till barn 3–12 år: alla föräldrar (universell nivå)."
pub fn for_whom(p: &Programme) -> String {
    let who: Vec<String> = p
        .levels
        .iter()
        .map(|l| format!("{} ({} nivå)", level_for(*l), l.label()))
        .collect();
    let ages = if p.age_min < 0 {
        age_range(p.age_min, p.age_max)
    } else {
        format!("barn {}", age_range(p.age_min, p.age_max))
    };
    format!("För föräldrar till {ages}: {}.", who.join(" eller "))
}

/// A language as the data writes it (ISO 639 code) in Swedish words; an unlisted code as it is.
pub fn language(code: &str) -> &str {
    match code {
        "sv" => "svenska",
        "en" => "engelska",
        "ar" => "arabiska",
        "so" => "somaliska",
        "ti" => "tigrinja",
        "fa" => "persiska",
        "prs" => "dari",
        "ps" => "pashto",
        "ku" => "kurdiska",
        "uk" => "ukrainska",
        "pl" => "polska",
        "bs" => "bosniska",
        "fi" => "finska",
        "tr" => "turkiska",
        "ru" => "ryska",
        "es" => "spanska",
        "de" => "tyska",
        "fr" => "franska",
        other => other,
    }
}

/// A link to a programme's page in the context of a kommun.
fn programme_href(p: &Programme, kommun: &str) -> String {
    format!("/program/{}?kommun={kommun}", p.slug)
}

/// The kommun's contacts for parents, familjecentral first (where parent groups start).
fn contacts_in_order<'a>(cx: &Cx<'a>, k: usize) -> Vec<&'a crate::inventory::Contact> {
    let mut cs: Vec<_> = cx.a.contacts(k).collect();
    cs.sort_by_key(|c| c.kind != ContactKind::Familjecentral);
    cs
}

/// "Fråga Tibro: Familjecentralen Källan · Tibro kommun" — every contact the data has (a
/// familjecentral known only from a source that is no page about it, by name).
pub fn kommun_contacts(cx: &Cx, k: usize) -> Markup {
    let a = cx.a;
    let cs = contacts_in_order(cx, k);
    html! {
        p.kommunkontakt {
            @if cs.is_empty() {
                "Vi har ingen kontaktuppgift till " (a.kommuner()[k].name) " ännu."
            } @else {
                "Fråga " (a.kommuner()[k].name) ": "
                @for (i, c) in cs.iter().enumerate() {
                    @if i > 0 { " · " }
                    @if c.url.is_empty() { (c.name) } @else { a href=(c.url) { (c.name) } }
                }
                "."
            }
        }
    }
}

/// "Din familjecentral: Familjecentralen Källan" with its page, address, source and date (marked
/// when it kan vara inaktuell); where no source names one, says that we do not know, never that
/// there is none.
pub fn your_familjecentral(cx: &Cx, k: usize) -> Markup {
    let a = cx.a;
    let kommun = &a.kommuner()[k].name;
    let found: Vec<_> = a.familjecentraler(k).collect();
    let sv = (cx.lang != crate::lang::Lang::Sv).then_some("sv");
    html! {
        div.familjecentral {
            @if found.is_empty() {
                p {
                    strong { (cx.t("Familjecentral: ", "Familjecentral (family centre): ")) }
                    @match cx.lang {
                        crate::lang::Lang::Sv => { "vi har ingen uppgift om en familjecentral i " (kommun) ". Det betyder inte att det saknas en: fråga kommunen." }
                        crate::lang::Lang::En => { "we have no information about a familjecentral in " (kommun) ". That does not mean there is none: ask the kommun." }
                    }
                }
            }
            @for c in &found {
                p {
                    strong { (cx.t("Din familjecentral: ", "Your familjecentral (family centre): ")) }
                    span lang=[sv] { @if c.url.is_empty() { (c.name) } @else { a href=(c.url) { (c.name) } } }
                    @if !c.address.is_empty() { ", " span lang=[sv] { (c.address) } }
                    ". "
                    (checked_source(cx, &c.source, &c.last_confirmed, a.due(&c.last_confirmed)))
                }
            }
        }
    }
}

/// A heading at `level` (2–4; deeper levels are h4), so a section keeps the page's outline
/// wherever it is placed.
fn heading(level: u8, id: Option<&str>, content: Markup) -> Markup {
    match level {
        0..=2 => html! { h2 id=[id] { (content) } },
        3 => html! { h3 id=[id] { (content) } },
        _ => html! { h4 id=[id] { (content) } },
    }
}

/// One offered programme in a kommun as a card; its title is a heading at `level`.
pub fn card(cx: &Cx, k: usize, r: usize, p: usize, level: u8) -> Markup {
    let a = cx.a;
    let prog = &a.programmes()[p];
    let kommun = &a.kommuner()[k];
    let o = a.offering(k, r, p);
    let own_contact = o.map(|o| o.contact_url.as_str()).filter(|u| !u.is_empty());
    let fallback = contacts_in_order(cx, k)
        .into_iter()
        .find(|c| !c.url.is_empty());
    html! {
        li.kort {
            (heading(level, None, html! { a href=(programme_href(prog, &kommun.code)) { (prog.name) } }))
            p.beskrivning { (prog.description) }
            p.for-vem { (for_whom(prog)) " Form: " (prog.format.label()) "." }
            @if let Some(o) = o {
                dl.kortfakta {
                    @if !o.organiser.is_empty() { dt { "Arrangör" } dd { (o.organiser) } }
                    dt { "Språk" }
                    dd { @if o.languages.is_empty() { "uppgift saknas" } @else { (o.languages.iter().map(|l| language(l)).collect::<Vec<_>>().join(", ")) } }
                    dt { "Senast bekräftad" }
                    dd {
                        @if a.review_due(k, r, p) && a.lapsed(k, r, p).is_none() {
                            span.inaktuell { (crate::review::due_label(&o.last_confirmed)) }
                        } @else { (o.last_confirmed) }
                    }
                    dt { "Källa" }
                    dd { (source_link(cx, &o.source))
                         @if a.supplementary(k, r, p) { " (offentlig källa, inte ett svar i omgången)" } }
                }
            }
            p.kontakt {
                @match (own_contact, fallback) {
                    (Some(url), _) => { a.kontakt href=(url) { "Kontakt och anmälan" } " hos arrangören i " (kommun.name) "." }
                    (None, Some(c)) => { a.kontakt href=(c.url) { "Kontakt och anmälan" } " – fråga " (c.name) "." }
                    (None, None) => { "Kontakt och anmälan: uppgift saknas; fråga kommunen." }
                }
            }
        }
    }
}

/// "Which programmes can I join?": the chosen kommun's programmes for the age and level, offered
/// ones as cards; where none is confirmed, the kommun's contact and the neighbours' offers; the
/// unknown ones apart (never as not offered), lapsed ones with their date. The section's heading
/// is at `depth` (2 right under the page title, 3 under "Resultat").
pub fn programmes_for(
    cx: &Cx,
    k: usize,
    r: usize,
    age: Option<i8>,
    level: LevelFilter,
    depth: u8,
) -> Markup {
    let a = cx.a;
    let kommun = &a.kommuner()[k];
    let [offered, not_offered, unknown] = &a.by_state(k, r, |p| matches(p, age, level));
    let none_in_catalogue = offered.is_empty() && not_offered.is_empty() && unknown.is_empty();
    html! {
        section #program-i-kommunen aria-labelledby="pik-rubrik" {
            (heading(depth, Some("pik-rubrik"), html! { "Program i " (kommun.name) " " (age_phrase(age)) }))
            (your_familjecentral(cx, k))
            @if none_in_catalogue {
                p.inget-bekraftat { "Katalogen har inga föräldraskapsstödsprogram " (age_phrase(age)) " på den valda nivån." }
                @if age == Some(-1) {
                    p { "Under graviditeten får du stöd av barnmorskemottagningen, som ofta har föräldragrupper. Läs mer på "
                        a href="https://www.1177.se" { "1177.se" } "." }
                }
            } @else if offered.is_empty() {
                p.inget-bekraftat {
                    "Inget program som passar är bekräftat i " (kommun.name) ". Det betyder inte att inget finns: "
                    (count(unknown.len(), "program har", "program har")) " okänd status."
                }
                (kommun_contacts(cx, k))
                (neighbour_offers(cx, k, r, age, level, depth + 1))
            } @else {
                p { (count(offered.len(), "program erbjuds", "program erbjuds")) ":" }
                ul #erbjuds.kortlista { @for p in offered { (card(cx, k, r, *p, depth + 1)) } }
            }
            @if !unknown.is_empty() {
                details {
                    summary { (count(unknown.len(), "program", "program")) " som passar har okänd status" }
                    p { "För de här programmen saknar vi uppgift om " (kommun.name) " erbjuder dem. Fråga kommunen." }
                    ul #okanda {
                        @for p in unknown {
                            @let prog = &a.programmes()[*p];
                            li {
                                a href=(programme_href(prog, &kommun.code)) { (prog.name) } " – "
                                @match a.lapsed(k, r, *p) {
                                    Some(o) => { span.tillstand.okant { (lapsed_label(o)) } " (" (source(cx, &o.source, Some(&o.last_confirmed))) ")" }
                                    None => (state(CellState::Unknown)),
                                }
                            }
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
            @if !cx.embed || offered.is_empty() {
                p.ej-inbaddad { a href={ "/kommun/" (kommun.code) } { "Allt om " (kommun.name) ": täckning, luckor, grannkommuner och källor" } }
            }
        }
    }
}

/// Confirmed offers for the age and level in the neighbouring kommuner: where a parent can look
/// when the home kommun has nothing confirmed.
fn neighbour_offers(
    cx: &Cx,
    k: usize,
    r: usize,
    age: Option<i8>,
    level: LevelFilter,
    depth: u8,
) -> Markup {
    let a = cx.a;
    let found: Vec<(usize, usize)> = a.kommuner()[k]
        .neighbours
        .iter()
        .flat_map(|(n, _)| {
            let [offered, _, _] = a.by_state(*n, r, |p| matches(p, age, level));
            offered.into_iter().map(move |p| (*n, p))
        })
        .collect();
    html! {
        section #grannars-erbjudanden aria-labelledby="ge-rubrik" {
            (heading(depth, Some("ge-rubrik"), html! { "Bekräftat i grannkommunerna" }))
            @if found.is_empty() {
                p { "Inte heller grannkommunerna har något bekräftat program som passar." }
            } @else {
                p { "Ibland kan du delta i en grannkommun. Fråga arrangören." }
                ul {
                    @for (n, p) in &found {
                        @let prog = &a.programmes()[*p];
                        @let nk = &a.kommuner()[*n];
                        li {
                            a href=(programme_href(prog, &nk.code)) { (prog.name) } " i " (nk.name)
                            @if let Some(o) = a.offering(*n, r, *p) {
                                @if !o.organiser.is_empty() { " – " (o.organiser) }
                                @if !o.contact_url.is_empty() { " · " a.kontakt href=(o.contact_url) { "Kontakt och anmälan" } }
                            }
                        }
                    }
                }
            }
        }
    }
}
