//! A parent's answer: the programmes of a kommun for a child's age as cards (what it is, for
//! whom in plain words, who runs it, languages, and where to ask and sign up), the kommun's own
//! contact where nothing is confirmed, and what the neighbouring kommuner offer. The map page,
//! its embedded form and the kommun page show the same section.

use maud::{Markup, html};

use crate::atlas::lapsed_label_in;
use crate::coverage::LevelFilter;
use crate::coverage::matches;
use crate::inventory::Programme;
use crate::lang::Lang;
use crate::vocabulary::{CellState, ContactKind, Level};

use super::Cx;
use super::format::age_range;
use super::layout::{checked_source, count, source, source_link, state_in};

/// "för ett barn som är 13 år", "under graviditeten", "för barn i alla åldrar 0–17 år".
pub fn age_phrase(lang: Lang, age: Option<i8>) -> String {
    match (lang, age) {
        (Lang::Sv, None) => "för barn i alla åldrar 0–17 år".into(),
        (Lang::Sv, Some(-1)) => "under graviditeten".into(),
        (Lang::Sv, Some(0)) => "för ett barn under 1 år".into(),
        (Lang::Sv, Some(n)) => format!("för ett barn som är {n} år"),
        (Lang::En, None) => "for children of all ages 0–17".into(),
        (Lang::En, Some(-1)) => "during pregnancy".into(),
        (Lang::En, Some(0)) => "for a child under 1".into(),
        (Lang::En, Some(n)) => format!("for a child aged {n}"),
    }
}

/// Who a level is for, in plain words.
pub fn level_for(lang: Lang, l: Level) -> &'static str {
    match l {
        Level::Universal => lang.pick("alla föräldrar", "all parents"),
        Level::Selective => lang.pick(
            "föräldrar i en situation med ökad risk, till exempel separerade eller nya i Sverige",
            "parents in a situation with a higher risk, for example parents who have separated or are new to Sweden",
        ),
        Level::Indicated => lang.pick(
            "föräldrar vars barn redan har svårigheter",
            "parents whose child already has difficulties",
        ),
    }
}

/// "För föräldrar till barn 3–12 år: alla föräldrar (universell nivå)."
pub fn for_whom(cx: &Cx, p: &Programme) -> String {
    let lang = cx.lang;
    let level = lang.pick("nivå", "level");
    let who: Vec<String> = p
        .levels
        .iter()
        .map(|l| format!("{} ({} {level})", level_for(lang, *l), l.label_in(lang)))
        .collect();
    let who = who.join(lang.pick(" eller ", " or "));
    match lang {
        Lang::Sv => {
            let ages = if p.age_min < 0 {
                age_range(cx, p.age_min, p.age_max)
            } else {
                format!("barn {}", age_range(cx, p.age_min, p.age_max))
            };
            format!("För föräldrar till {ages}: {who}.")
        }
        Lang::En => {
            let children = match (p.age_min, p.age_max) {
                (..0, ..0) => String::new(),
                (..0, max) => format!(" and for parents of children aged 0–{max}"),
                (min, max) if min == max => format!(" of children aged {min}"),
                (min, max) => format!(" of children aged {min}–{max}"),
            };
            let pregnancy = if p.age_min < 0 {
                " during pregnancy"
            } else {
                ""
            };
            format!("For parents{pregnancy}{children}: {who}.")
        }
    }
}

/// A language as the data writes it (ISO 639 code) in words; an unlisted code as it is.
pub fn language(lang: Lang, code: &str) -> &str {
    let (sv, en) = match code {
        "sv" => ("svenska", "Swedish"),
        "en" => ("engelska", "English"),
        "ar" => ("arabiska", "Arabic"),
        "so" => ("somaliska", "Somali"),
        "ti" => ("tigrinja", "Tigrinya"),
        "fa" => ("persiska", "Persian"),
        "prs" => ("dari", "Dari"),
        "ps" => ("pashto", "Pashto"),
        "ku" => ("kurdiska", "Kurdish"),
        "uk" => ("ukrainska", "Ukrainian"),
        "pl" => ("polska", "Polish"),
        "bs" => ("bosniska", "Bosnian"),
        "fi" => ("finska", "Finnish"),
        "tr" => ("turkiska", "Turkish"),
        "ru" => ("ryska", "Russian"),
        "es" => ("spanska", "Spanish"),
        "de" => ("tyska", "German"),
        "fr" => ("franska", "French"),
        other => return other,
    };
    lang.pick(sv, en)
}

/// What a programme is: the catalogue's Swedish text, or on an English page its translation
/// (marked as one), or the Swedish text with a note where there is no translation yet.
pub fn description(cx: &Cx, p: &Programme) -> Markup {
    html! {
        @match cx.lang {
            Lang::Sv => (p.description),
            Lang::En if !p.description_en.is_empty() => {
                span lang="en" { (p.description_en) }
                " " small.oversatt { "(Translated from the Swedish catalogue text.)" }
            }
            Lang::En => {
                small.oversatt { "No English translation yet. The Swedish catalogue text: " }
                span lang="sv" { (p.description) }
            }
        }
    }
}

/// A link to a programme's page in the context of a kommun.
fn programme_href(cx: &Cx, p: &Programme, kommun: &str) -> String {
    cx.href(&format!("/program/{}?kommun={kommun}", p.slug))
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
    let name = &a.kommuner()[k].name;
    html! {
        p.kommunkontakt {
            @if cs.is_empty() {
                (cx.t("Vi har ingen kontaktuppgift till ", "We have no contact details for ")) (name) (cx.t(" ännu.", " yet."))
            } @else {
                (cx.t("Fråga ", "Ask ")) (name) ": "
                @for (i, c) in cs.iter().enumerate() {
                    @if i > 0 { " · " }
                    @if c.url.is_empty() { (cx.sv(&c.name)) } @else { a href=(c.url) hreflang=[(cx.lang == Lang::En).then_some("sv")] { (cx.sv(&c.name)) } }
                }
                "."
                @if cx.lang == Lang::En { " (The kommun's pages are in Swedish.)" }
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
    let in_swedish = (cx.lang == Lang::En).then_some("sv");
    html! {
        li.kort {
            (heading(level, None, html! { a href=(programme_href(cx, prog, &kommun.code)) { (cx.sv(&prog.name)) } }))
            p.beskrivning { (description(cx, prog)) }
            p.for-vem { (for_whom(cx, prog)) (cx.t(" Form: ", " Format: ")) (prog.format.label_in(cx.lang)) "." }
            @if let Some(o) = o {
                dl.kortfakta {
                    @if !o.organiser.is_empty() { dt { (cx.t("Arrangör", "Organiser")) } dd { (cx.sv(&o.organiser)) } }
                    dt { (cx.t("Språk", "Languages")) }
                    dd { @if o.languages.is_empty() { (cx.t("uppgift saknas", "not known")) } @else { (o.languages.iter().map(|l| language(cx.lang, l)).collect::<Vec<_>>().join(", ")) } }
                    dt { (cx.t("Senast bekräftad", "Last confirmed")) }
                    dd {
                        @if a.review_due(k, r, p) && a.lapsed(k, r, p).is_none() {
                            span.inaktuell { (crate::review::due_label_in(cx.lang, &o.last_confirmed)) }
                        } @else { (super::layout::date(cx, &o.last_confirmed)) }
                    }
                    dt { (cx.t("Källa", "Source")) }
                    dd { (cx.sv(source_link(cx, &o.source)))
                         @if a.supplementary(k, r, p) { (cx.t(" (offentlig källa, inte ett svar i omgången)", " (a public source, not an answer in the round)")) } }
                }
            }
            p.kontakt {
                @match ((own_contact, fallback), cx.lang) {
                    ((Some(url), _), Lang::Sv) => { a.kontakt href=(url) { "Kontakt och anmälan" } " hos arrangören i " (kommun.name) "." }
                    ((Some(url), _), Lang::En) => { a.kontakt href=(url) hreflang=[in_swedish] { "Contact and sign-up" } " with the organiser in " (kommun.name) " (in Swedish)." }
                    ((None, Some(c)), Lang::Sv) => { a.kontakt href=(c.url) { "Kontakt och anmälan" } " – fråga " (c.name) "." }
                    ((None, Some(c)), Lang::En) => { a.kontakt href=(c.url) hreflang=[in_swedish] { "Contact and sign-up" } " – ask " (cx.sv(&c.name)) " (in Swedish)." }
                    ((None, None), _) => { (cx.t("Kontakt och anmälan: uppgift saknas; fråga kommunen.", "Contact and sign-up: not known; ask the kommun.")) }
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
    let phrase = age_phrase(cx.lang, age);
    html! {
        section #program-i-kommunen aria-labelledby="pik-rubrik" {
            (heading(depth, Some("pik-rubrik"), html! { (cx.t("Program i ", "Programmes in ")) (kommun.name) " " (phrase) }))
            (your_familjecentral(cx, k))
            @if none_in_catalogue {
                p.inget-bekraftat { (cx.t("Katalogen har inga föräldraskapsstödsprogram ", "The catalogue has no parenting programmes ")) (phrase) (cx.t(" på den valda nivån.", " at the chosen level.")) }
                @if age == Some(-1) {
                    @match cx.lang {
                        Lang::Sv => p { "Under graviditeten får du stöd av barnmorskemottagningen, som ofta har föräldragrupper. Läs mer på "
                            a href="https://www.1177.se" { "1177.se" } "." },
                        Lang::En => p { "During pregnancy, the antenatal clinic (" span lang="sv" { "barnmorskemottagningen" } ") supports you, and it often runs groups for parents-to-be. Read more at "
                            a href="https://www.1177.se" { "1177.se" } ", the health care service's website." },
                    }
                }
            } @else if offered.is_empty() {
                p.inget-bekraftat {
                    @match cx.lang {
                        Lang::Sv => { "Inget program som passar är bekräftat i " (kommun.name) ". Det betyder inte att inget finns: "
                            (count(unknown.len(), "program har", "program har")) " okänd status." }
                        Lang::En => { "No programme that fits is confirmed in " (kommun.name) ". That does not mean there is none: "
                            (count(unknown.len(), "programme has", "programmes have")) " an unknown status." }
                    }
                }
                (kommun_contacts(cx, k))
                (neighbour_offers(cx, k, r, age, level, depth + 1))
            } @else {
                p { (count(offered.len(), cx.t("program erbjuds", "programme is offered"), cx.t("program erbjuds", "programmes are offered"))) ":" }
                ul #erbjuds.kortlista { @for p in offered { (card(cx, k, r, *p, depth + 1)) } }
            }
            @if !unknown.is_empty() {
                details {
                    summary {
                        @match cx.lang {
                            Lang::Sv => { (count(unknown.len(), "program", "program")) " som passar har okänd status" }
                            Lang::En => { (count(unknown.len(), "programme", "programmes")) " that fit " (if unknown.len() == 1 { "has" } else { "have" }) " an unknown status" }
                        }
                    }
                    @match cx.lang {
                        Lang::Sv => p { "För de här programmen saknar vi uppgift om " (kommun.name) " erbjuder dem. Fråga kommunen." },
                        Lang::En => p { "For these programmes we do not know whether " (kommun.name) " offers them. Ask the kommun." },
                    }
                    ul #okanda {
                        @for p in unknown {
                            @let prog = &a.programmes()[*p];
                            li {
                                a href=(programme_href(cx, prog, &kommun.code)) { (cx.sv(&prog.name)) } " – "
                                @match a.lapsed(k, r, *p) {
                                    Some(o) => { span.tillstand.okant { (lapsed_label_in(cx.lang, o)) } " (" (source(cx, &o.source, Some(&o.last_confirmed))) ")" }
                                    None => (state_in(cx.lang, CellState::Unknown)),
                                }
                            }
                        }
                    }
                }
            }
            @if !not_offered.is_empty() {
                p { (cx.t("Erbjuds inte (bekräftat): ", "Not offered (confirmed): "))
                    @for (i, p) in not_offered.iter().enumerate() {
                        @if i > 0 { ", " }
                        (cx.sv(&a.programmes()[*p].name))
                    }
                    "."
                }
            }
            @if !cx.embed || offered.is_empty() {
                p.ej-inbaddad { a href=(cx.href(&format!("/kommun/{}", kommun.code))) {
                    @match cx.lang {
                        Lang::Sv => { "Allt om " (kommun.name) ": täckning, luckor, grannkommuner och källor" }
                        Lang::En => { "Everything about " (kommun.name) ": coverage, gaps, neighbouring kommuns and sources" }
                    }
                } }
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
            (heading(depth, Some("ge-rubrik"), html! { (cx.t("Bekräftat i grannkommunerna", "Confirmed in the neighbouring kommuns")) }))
            @if found.is_empty() {
                p { (cx.t("Inte heller grannkommunerna har något bekräftat program som passar.", "The neighbouring kommuns have no confirmed programme that fits either.")) }
            } @else {
                p { (cx.t("Ibland kan du delta i en grannkommun. Fråga arrangören.", "Sometimes you can take part in a neighbouring kommun. Ask the organiser.")) }
                ul {
                    @for (n, p) in &found {
                        @let prog = &a.programmes()[*p];
                        @let nk = &a.kommuner()[*n];
                        li {
                            a href=(programme_href(cx, prog, &nk.code)) { (cx.sv(&prog.name)) } (cx.t(" i ", " in ")) (nk.name)
                            @if let Some(o) = a.offering(*n, r, *p) {
                                @if !o.organiser.is_empty() { " – " (cx.sv(&o.organiser)) }
                                @if !o.contact_url.is_empty() { " · " a.kontakt href=(o.contact_url) hreflang=[(cx.lang == Lang::En).then_some("sv")] { (cx.t("Kontakt och anmälan", "Contact and sign-up")) } }
                            }
                        }
                    }
                }
            }
        }
    }
}
