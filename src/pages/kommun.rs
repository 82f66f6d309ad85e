//! `/kommun/{kod}`: what the kommun offers for each age and level, coverage and named gaps, what
//! the neighbours offer for the gap ages, SAMBU, partssamverkan, adherence, SIP trainings, and the
//! change since the previous round; each fact with its source and date. Prints as an A4 report.

use maud::{Markup, html};

use crate::atlas::lapsed_label_in;
use crate::coverage::{Gap, LevelFilter, PRENATAL, age_label_in};
use crate::lang::Lang;
use crate::vocabulary::{AdherenceStatus, CellState, Level, PartsStatus, SambuStatus};

use super::Cx;
use super::cards::{kommun_contacts, programmes_for, your_familjecentral};
use super::charts::{Change, ages_text, kommun_strip};
use super::filters::age_code;
use super::format::{
    age_range, age_state, answered_line, filter_label, level_filters, levels, round_option,
    round_option_lang, round_title, share,
};
use super::layout::{Script, capital, checked_source, page as layout_page, source_link, state_in};

/// What a kommun page shows: the kommun, the round, and optionally a child's age and a level
/// (then that age's programmes come first).
pub struct View {
    pub k: usize,
    pub r: usize,
    pub age: Option<i8>,
    pub level: LevelFilter,
}

impl View {
    /// The canonical query (defaults left out).
    pub fn query(&self, a: &crate::atlas::Atlas) -> String {
        super::query_string(&[
            ("round", super::round_param(a, self.r)),
            ("age", self.age.map(age_code).unwrap_or_default()),
            ("level", super::level_param(self.level)),
        ])
    }
}

pub fn page(cx: &Cx, v: &View) -> Markup {
    let a = cx.a;
    let (k, r) = (v.k, v.r);
    let kommun = &a.kommuner()[k];
    let round = &a.inventory.rounds[r];
    let main = html! {
        h1 { (kommun.name) }
        @match cx.lang {
            Lang::Sv => p.ingress {
                "Föräldraskapsstöd i " (kommun.name) " (kommunkod " (kommun.code) "). Uppgifterna gäller "
                strong { (round_title(cx, round)) } " (" (round.collected) "). "
                strong { "Okänt" } " betyder att uppgift saknas, inte att stödet saknas."
            },
            Lang::En => p.ingress {
                "Parenting support in " (kommun.name) ", a kommun (municipality) in " (a.inventory.dataset.region().name) " (kommun code " (kommun.code) "). The information is from "
                strong { (round_title(cx, round)) } " (" (round.collected) "). "
                strong { "Unknown" } " means that we have no information, not that the support is missing."
            },
        }
        p.svarsgrad {
            @match (cx.lang, a.answered(k, r)) {
                (Lang::Sv, true) => { (kommun.name) " har svar i omgången. " }
                (Lang::Sv, false) => { (kommun.name) " har inga egna svar i omgången. " }
                (Lang::En, true) => { (kommun.name) " has answers in the round. " }
                (Lang::En, false) => { (kommun.name) " has no answers of its own in the round. " }
            }
            (answered_line(cx, r))
        }
        (round_form(cx, v))
        @if v.age.is_some() {
            (programmes_for(cx, k, r, v.age, v.level, 2))
        }
        nav.innehall.ej-utskrift aria-label=(cx.t("På den här sidan", "On this page")) {
            ul {
                li { a href="#erbjudanden" { (cx.t("Program", "Programmes")) } }
                li { a href="#tackning" { (cx.t("Täckning", "Coverage")) } }
                li { a href="#luckor" { (cx.t("Luckor", "Gaps")) } }
                li { a href="#grannar" { (cx.t("Grannkommuner", "Neighbouring kommuns")) } }
                li { a href="#kontakt" { (cx.t("Kontakt och familjecentral", "Contact and familjecentral")) } }
                li { a href="#annat-stod" { (cx.t("Annat föräldraskapsstöd", "Other parenting support")) } }
                li { a href="#sambu" { "SAMBU" } }
                li { a href="#partssamverkan" { "Partssamverkan" } }
                li { a href="#foljsamhet" { (cx.t("Följsamhet", "Adherence")) } }
                li { a href="#utbildningar" { (cx.t("SIP-utbildningar", "SIP trainings")) } }
                li { a href="#jamforelse" { (cx.t("Jämfört med förra omgången", "Compared with the previous round")) } }
            }
        }
        (offers(cx, k, r))
        (coverage_table(cx, k, r))
        (gaps(cx, k, r))
        (neighbours(cx, k, r))
        (contact(cx, k))
        (other_support(cx, k))
        (sambu(cx, k))
        (partssamverkan(cx, k))
        (adherence(cx, k))
        (trainings(cx, k))
        (previous_round(cx, k, r))
        (downloads(cx, k, r))
        (super::report::section(cx, super::report::About::data(Some(k), None)))
        p.ej-utskrift {
            @let compare = format!("/jamfor?kommuner={}{}", kommun.code, neighbour_codes(cx, k));
            button #skriv-ut type="button" hidden { (cx.t("Skriv ut rapport", "Print report")) }
            (cx.t(" Rapporten passar för ett möte i partssamverkan. ", " The report suits a meeting of the partssamverkan group. "))
            a href=(compare) hreflang=[cx.hreflang(&compare)] {
                @match cx.lang {
                    Lang::Sv => { "Jämför " (kommun.name) " med grannkommunerna" }
                    Lang::En => { "Compare " (kommun.name) " with the neighbouring kommuns (in Swedish)" }
                }
            }
            "."
        }
    };
    layout_page(cx, &kommun.name, Script::None, main)
}

fn downloads(cx: &Cx, k: usize, r: usize) -> Markup {
    let a = cx.a;
    let q = super::query_string(&[
        ("kommun", a.kommuner()[k].code.clone()),
        ("round", a.inventory.rounds[r].id.clone()),
    ]);
    html! {
        section #nedladdning.ej-utskrift aria-labelledby="h-nedladdning" {
            h2 #h-nedladdning { (cx.t("Ladda ner uppgifterna", "Download the information")) }
            @if cx.lang == Lang::En { p.forklaring { "The files are in Swedish." } }
            ul {
                li { a href={ "/api/v1/export/alla?format=xlsx&" (q) } { (cx.t("Alla tabeller för ", "All tables for ")) (a.kommuner()[k].name) " (Excel, .xlsx)" } }
                li { a href={ "/api/v1/export/erbjudanden?format=csv&" (q) } { (cx.t("Program (CSV för Excel)", "Programmes (CSV for Excel)")) } }
                li { a href={ "/api/v1/export/tackning?format=csv&" (q) } { (cx.t("Täckning och luckor (CSV för Excel)", "Coverage and gaps (CSV for Excel)")) } }
            }
        }
    }
}

fn neighbour_codes(cx: &Cx, k: usize) -> String {
    cx.a.kommuner()[k]
        .neighbours
        .iter()
        .take(3)
        .map(|(n, _)| format!(",{}", cx.a.kommuner()[*n].code))
        .collect()
}

fn round_form(cx: &Cx, v: &View) -> Markup {
    let a = cx.a;
    html! {
        form.omgang.ej-utskrift method="get" action=(cx.href(&format!("/kommun/{}", a.kommuner()[v.k].code))) target=[cx.embed.then_some("_self")] {
            div.falt {
                label for="k-omgang" { (cx.t("Omgång", "Round")) }
                select #k-omgang name="round" {
                    @for (i, round) in a.inventory.rounds.iter().enumerate() {
                        option value=(round.id) selected[i == v.r] lang=[round_option_lang(cx, round)] { (round_option(cx, round)) }
                    }
                }
            }
            div.falt {
                label for="k-alder" { (cx.t("Barnets ålder", "Child's age")) }
                select #k-alder name="age" {
                    option value="" selected[v.age.is_none()] { (cx.t("Ingen vald", "None chosen")) }
                    option value="graviditet" selected[v.age == Some(-1)] { (cx.t("Under graviditeten", "During pregnancy")) }
                    @for n in 0..=17i8 {
                        option value=(n) selected[v.age == Some(n)] { @if n == 0 { (cx.t("Under 1 år", "Under 1")) } @else { (age_label_in(cx.lang, n, n)) } }
                    }
                }
            }
            @if v.level != LevelFilter::All { input type="hidden" name="level" value=(v.level.code()); }
            @if cx.embed { input type="hidden" name="embed" value="1"; }
            button type="submit" { (cx.t("Visa", "Show")) }
        }
    }
}

fn offers(cx: &Cx, k: usize, r: usize) -> Markup {
    let a = cx.a;
    // Offered first, then confirmed not offered, then unknown answers that have a row (lapsed:
    // okänt i dag, with their date; or okänt as the answer, with its source); the unknown ones
    // without any row are listed apart.
    let [offered, not_offered, unknown] = a.by_state(k, r, |_| true);
    let (lapsed, unknown): (Vec<usize>, Vec<usize>) = unknown
        .into_iter()
        .partition(|p| a.offering(k, r, *p).is_some());
    let answered: Vec<usize> = offered
        .into_iter()
        .chain(not_offered)
        .chain(lapsed)
        .collect();
    html! {
        section #erbjudanden aria-labelledby="h-erbjudanden" {
            h2 #h-erbjudanden { (cx.t("Program", "Programmes")) }
            @if answered.is_empty() {
                p { (cx.t("Omgången har inga uppgifter om ", "The round has no information about ")) (a.kommuner()[k].name) "." }
            } @else {
                @let (programme, ages, level, organiser, source) = (cx.t("Program", "Programme"), cx.t("Åldrar", "Ages"), cx.t("Nivå", "Level"), cx.t("Arrangör", "Organiser"), cx.t("Källa", "Source"));
                div.tabellram tabindex="0" role="region" aria-label=(cx.t("Program med uppgift", "Programmes with information")) {
                    table.staplad {
                        caption { (cx.t("Program med uppgift", "Programmes with information")) }
                        thead { tr {
                            th scope="col" { (programme) } th scope="col" { (ages) } th scope="col" { (level) }
                            th scope="col" { "Status" } th scope="col" { (organiser) } th scope="col" { (source) }
                        } }
                        tbody {
                            @for p in &answered {
                                @let prog = &a.programmes()[*p];
                                @if let Some(o) = a.offering(k, r, *p) { tr {
                                    th scope="row" data-label=(programme) { a href=(cx.href(&format!("/program/{}?kommun={}", prog.slug, a.kommuner()[k].code))) { (cx.sv(&prog.name)) } }
                                    td data-label=(ages) { (age_range(cx, prog.age_min, prog.age_max)) }
                                    td data-label=(level) { (levels(cx, &prog.levels)) }
                                    td data-label="Status" {
                                        @match a.lapsed(k, r, *p) {
                                            Some(o) => span.tillstand.okant { (lapsed_label_in(cx.lang, o)) },
                                            None => (state_in(cx.lang, a.cell_state(k, r, *p))),
                                        }
                                        @if a.supplementary(k, r, *p) { br; small { (cx.t("enligt offentlig källa", "according to a public source")) } }
                                    }
                                    td data-label=(organiser) { (cx.sv(&o.organiser)) @if !o.note.is_empty() { br; small { (cx.sv(&o.note)) } } }
                                    td data-label=(source) { (checked_source(cx, &o.source, &o.last_confirmed, a.review_due(k, r, *p) && a.lapsed(k, r, *p).is_none())) }
                                } }
                            }
                        }
                    }
                }
            }
            @if !unknown.is_empty() {
                h3 {
                    @match cx.lang {
                        Lang::Sv => { "Inga uppgifter om " (unknown.len()) " av " (a.programmes().len()) " program (okänt)" }
                        Lang::En => { "No information about " (unknown.len()) " of " (a.programmes().len()) " programmes (unknown)" }
                    }
                }
                ul.kolumner {
                    @for p in &unknown {
                        @let prog = &a.programmes()[*p];
                        li { a href=(cx.href(&format!("/program/{}", prog.slug))) { (cx.sv(&prog.name)) } " – " (state_in(cx.lang, CellState::Unknown)) }
                    }
                }
            }
        }
    }
}

/// The ages × levels grid of one kommun in one round.
pub fn coverage_grid(cx: &Cx, k: usize, r: usize, caption: &str) -> Markup {
    let c = cx.a.coverage(k, r);
    let filters = level_filters();
    html! {
        div.tabellram tabindex="0" role="region" aria-label=(caption) {
            table.tackning.rutnat {
                caption { (caption) }
                thead { tr {
                    th scope="col" { (cx.t("Ålder", "Age")) }
                    @for f in &filters { th scope="col" { (filter_label(cx, *f)) } }
                } }
                tbody {
                    @for age in PRENATAL..=17 {
                        tr {
                            th scope="row" { (age_label_in(cx.lang, age, age)) }
                            @for f in &filters { td { (age_state(cx, c.level(*f), age)) } }
                        }
                    }
                }
                tfoot { tr {
                    th scope="row" { (cx.t("Andel av 0–17 år", "Share of ages 0–17")) }
                    @for f in &filters { td { (share(cx, c.level(*f))) } }
                } }
            }
        }
    }
}

fn coverage_table(cx: &Cx, k: usize, r: usize) -> Markup {
    html! {
        section #tackning aria-labelledby="h-tackning" {
            h2 #h-tackning { (cx.t("Täckning av åldrarna 0–17 år", "Coverage of ages 0–17")) }
            @match cx.lang {
                Lang::Sv => p { "En ålder är " strong { "täckt" } " på en nivå när minst ett program för den åldern och nivån erbjuds. "
                    strong { "Okänt" } " betyder att åldern inte är täckt av något bekräftat program, men att något program som skulle täcka den har okänd status. "
                    strong { "Inget program i katalogen" } " betyder att katalogen saknar program för åldern och nivån: det är ingen brist i kommunen." },
                Lang::En => p { "An age is " strong { "covered" } " at a level when at least one programme for that age and level is offered. "
                    strong { "Unknown" } " means that no confirmed programme covers the age, but that a programme which would cover it has an unknown status. "
                    strong { "No programme in the catalogue" } " means that the catalogue has no programme for the age and level: nothing is missing in the kommun." },
            }
            p.forklaring { (cx.t("Nivåerna: universell – för alla föräldrar; selektiv – vid ökad risk; indikerad – när barnet redan har svårigheter.",
                                 "The levels: universal – for all parents; selective – where the risk is higher; indicated – when the child already has difficulties.")) }
            (kommun_strip(cx, k, r, &level_filters()))
            details.som-tabell {
                summary { (cx.t("Visa som tabell", "Show as a table")) }
                (coverage_grid(cx, k, r, &format!("{}{}", cx.t("Täckning per ålder och nivå i ", "Coverage by age and level in "), cx.a.kommuner()[k].name)))
            }
        }
    }
}

fn gap_text(cx: &Cx, g: &Gap) -> Markup {
    let n = (g.to - g.from + 1) as usize;
    html! {
        (age_label_in(cx.lang, g.from, g.to)) ": "
        @if g.no_programme_ages.len() == n {
            span.tillstand.inget-program { (cx.t("inget program i katalogen", "no programme in the catalogue")) }
            (cx.t(" för de åldrarna på den här nivån – ingen brist i kommunen", " for those ages at this level – nothing is missing in the kommun"))
        } @else if g.rests_on_unknown {
            span.tillstand.okant { (cx.t("okänt", "unknown")) } (cx.t(" – kan täckas av program med okänd status", " – may be covered by programmes with an unknown status"))
        } @else if g.unknown_ages.is_empty() {
            span.tillstand.erbjuds-inte { (cx.t("bekräftad lucka", "confirmed gap")) }
        } @else {
            @match cx.lang {
                Lang::Sv => { "delvis okänt (" (g.unknown_ages.len()) " av " (n) " åldrar kan täckas av program med okänd status)" }
                Lang::En => { "partly unknown (" (g.unknown_ages.len()) " of " (n) " ages may be covered by programmes with an unknown status)" }
            }
        }
    }
}

fn gaps(cx: &Cx, k: usize, r: usize) -> Markup {
    let c = cx.a.coverage(k, r);
    html! {
        section #luckor aria-labelledby="h-luckor" {
            h2 #h-luckor { (cx.t("Luckor", "Gaps")) }
            p { (cx.t("Åldrar 0–17 år utan något bekräftat program, per nivå.", "Ages 0–17 without any confirmed programme, by level.")) }
            dl {
                @for f in level_filters() {
                    @let gs = c.level(f).gaps();
                    dt { (filter_label(cx, f)) }
                    @if gs.is_empty() {
                        dd { (cx.t("Inga luckor: alla åldrar 0–17 år är täckta.", "No gaps: all ages 0–17 are covered.")) }
                    }
                    @for g in &gs { dd { (gap_text(cx, g)) } }
                }
            }
            div.planutdrag {
                h3 { (cx.t("Vad skulle stänga luckorna?", "What would close the gaps?")) }
                p { (cx.t("Det minsta antalet program ur katalogen som skulle täcka alla luckor på varje nivå, med täckningen av 0–17 år före → efter.", "The fewest programmes from the catalogue that would cover every gap at each level, with the coverage of ages 0–17 before → after.")) }
                (super::plan::summary(cx, k, r, false))
                p.ej-utskrift { a href=(super::plan::href(cx.a, k, r, Level::Universal)) hreflang="sv" { (cx.t("Planera: luckorna, programmen som skulle stänga dem och kommunerna som redan har dem", "Plan (in Swedish): the gaps, the programmes that would close them and the kommuns that already run them")) } }
            }
        }
    }
}

/// Programmes offered in the neighbouring kommuner at a level, for any of the gap ages there.
fn neighbours(cx: &Cx, k: usize, r: usize) -> Markup {
    let a = cx.a;
    let c = a.coverage(k, r);
    let ns = &a.kommuner()[k].neighbours;
    html! {
        section #grannar aria-labelledby="h-grannar" {
            h2 #h-grannar { (cx.t("Grannkommunernas program för luckorna", "The neighbouring kommuns' programmes for the gaps")) }
            @if ns.is_empty() {
                p { (cx.t("Kommunen har inga grannkommuner i regionen.", "The kommun has no neighbouring kommuns in the region.")) }
            } @else {
                p { (cx.t("Grannkommuner (gemensam gräns): ", "Neighbouring kommuns (a shared border): "))
                    @for (i, (n, _)) in ns.iter().enumerate() {
                        @if i > 0 { ", " }
                        a href=(cx.href(&format!("/kommun/{}", a.kommuner()[*n].code))) { (a.kommuner()[*n].name) }
                    }
                    (cx.t(". Samverkan över kommungränsen kan vara ett sätt att fylla en lucka.", ". Working together across the kommun border can be one way to fill a gap.")) }
                @for l in Level::ALL {
                    @let f = LevelFilter::Only(*l);
                    @let gaps = c.level(f).gaps();
                    @if !gaps.is_empty() {
                        h3 { (capital(l.label_in(cx.lang))) (cx.t(" nivå – luckor: ", " level – gaps: ")) (gaps.iter().map(|g| age_label_in(cx.lang, g.from, g.to)).collect::<Vec<_>>().join(", ")) }
                        ul {
                            @for (n, _) in ns {
                                li { strong { (a.kommuner()[*n].name) ": " } (neighbour_offers(cx, *n, r, f, &gaps)) }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn neighbour_offers(cx: &Cx, n: usize, r: usize, f: LevelFilter, gaps: &[Gap]) -> Markup {
    let a = cx.a;
    let fits = |p: &crate::inventory::Programme| {
        f.matches(p)
            && gaps
                .iter()
                .any(|g| p.age_min <= g.to && g.from <= p.age_max)
    };
    let mut offered = Vec::new();
    let mut unknown = 0;
    for (p, prog) in a.programmes().iter().enumerate() {
        if fits(prog) {
            match a.cell_state(n, r, p) {
                CellState::Offered => offered.push(prog),
                CellState::Unknown => unknown += 1,
                CellState::NotOffered => {}
            }
        }
    }
    html! {
        @if offered.is_empty() {
            (cx.t("inget bekräftat program", "no confirmed programme"))
        } @else {
            @for (i, prog) in offered.iter().enumerate() {
                @if i > 0 { ", " }
                a href=(cx.href(&format!("/program/{}", prog.slug))) { (cx.sv(&prog.name)) } " (" (age_range(cx, prog.age_min, prog.age_max)) ")"
            }
        }
        @if unknown > 0 {
            @match cx.lang {
                Lang::Sv => { "; " (unknown) " program som passar har okänd status" }
                Lang::En => { "; " (unknown) (if unknown == 1 { " programme that fits has" } else { " programmes that fit have" }) " an unknown status" }
            }
        }
    }
}

/// Where a parent asks: the familjecentral (or that we do not know of one), and every contact
/// with its source, date and what the source says about it.
fn contact(cx: &Cx, k: usize) -> Markup {
    let a = cx.a;
    let sv = (cx.lang != crate::lang::Lang::Sv).then_some("sv");
    html! {
        section #kontakt aria-labelledby="h-kontakt" {
            h2 #h-kontakt { (cx.t("Kontakt och familjecentral", "Contact and familjecentral")) }
            (your_familjecentral(cx, k))
            (kommun_contacts(cx, k))
            @for c in a.contacts(k) {
                p {
                    span lang=[sv] { (c.name) } " (" (c.kind.label_in(cx.lang)) "): "
                    @if c.kind == crate::vocabulary::ContactKind::Familjecentral && !c.note.is_empty() {
                        span lang=[sv] { (c.note) } " "
                    }
                    (checked_source(cx, &c.source, &c.last_confirmed, a.due(&c.last_confirmed)))
                }
            }
        }
    }
}

/// Parenting support that is no catalogue programme (projects, home visits, talking groups,
/// methods outside the catalogue): context, each with what it was, when, how far it came as far
/// as its source says, the source and the date. Never counted in the coverage.
fn other_support(cx: &Cx, k: usize) -> Markup {
    let a = cx.a;
    let rows: Vec<_> = a.other_support(k).collect();
    let kommun = &a.kommuner()[k].name;
    let sv = (cx.lang != crate::lang::Lang::Sv).then_some("sv");
    html! {
        section #annat-stod aria-labelledby="h-annat-stod" {
            h2 #h-annat-stod { (cx.t("Annat föräldraskapsstöd", "Other parenting support")) }
            p.forklaring { (cx.t(
                "Stöd till föräldrar som inte är ett program i katalogen, till exempel projekt med hembesök eller samtalsgrupper. Det räknas inte in i täckningen ovan.",
                "Support for parents that is not a programme in the catalogue, such as projects with home visits or talking groups. It is not counted in the coverage above.")) }
            @if rows.is_empty() {
                p { (cx.t("Inga uppgifter om annat föräldraskapsstöd i ", "No information about other parenting support in ")) (kommun) "." }
            } @else {
                ul.annat-stod {
                    @for o in rows {
                        li {
                            h3 lang=[sv] { (o.title) }
                            p lang=[sv] { (o.description) }
                            p {
                                @if let Some(p) = &o.period { (cx.t("När: ", "When: ")) (p) " · " }
                                (cx.t("Status: ", "Status: ")) (o.status.label_in(cx.lang)) "."
                                @if !o.note.is_empty() { " " span lang=[sv] { (o.note) } }
                            }
                            p { (checked_source(cx, &o.source, &o.last_confirmed, a.support_due(o))) }
                        }
                    }
                }
            }
        }
    }
}

fn sambu(cx: &Cx, k: usize) -> Markup {
    let s = cx.a.sambu(k);
    html! {
        section #sambu aria-labelledby="h-sambu" {
            h2 #h-sambu { (cx.t("SAMBU-team", "SAMBU team")) }
            @match cx.lang {
                Lang::Sv => p.forklaring { "Ett SAMBU-team (samverkan barn och unga) är ett lokalt team där skola, hälso- och sjukvård och socialtjänst samverkar kring barn och unga." },
                Lang::En => p.forklaring { "A SAMBU team (" span lang="sv" { "samverkan barn och unga" } ": working together for children and young people) is a local team where school, health care and social services work together for children and young people." },
            }
            @match s {
                Some(s) => {
                    p { "Status: " strong { (s.status.label_in(cx.lang)) }
                        @if !s.name.is_empty() { " – " (cx.sv(&s.name)) }
                        @if let Some(since) = &s.since { (cx.t(", sedan ", ", since ")) (since) }
                        "." }
                    @if !s.note.is_empty() { p { (cx.sv(&s.note)) } }
                    p { (checked_source(cx, &s.source, &s.last_confirmed, cx.a.due(&s.last_confirmed))) }
                }
                None => p { "Status: " strong { (SambuStatus::Unknown.label_in(cx.lang)) } (cx.t(" – uppgift saknas.", " – no information.")) },
            }
        }
    }
}

fn partssamverkan(cx: &Cx, k: usize) -> Markup {
    let s = cx.a.partssamverkan(k);
    html! {
        section #partssamverkan aria-labelledby="h-partssamverkan" {
            h2 #h-partssamverkan { "Partssamverkan" }
            p.forklaring { (cx.t("Partssamverkan är kommunens lokala samverkansgrupp för barn och unga, med kommunen och regionens verksamheter.",
                                 "Partssamverkan is the kommun's local group for working together on children and young people, with the kommun and the region's services.")) }
            @match s {
                Some(s) => {
                    p { "Status: " strong { (s.status.label_in(cx.lang)) } (cx.t(". Handlingsplan: ", ". Action plan: ")) (s.action_plan.label_in(cx.lang)) "." }
                    @if !s.note.is_empty() { p { (cx.sv(&s.note)) } }
                    p { (checked_source(cx, &s.source, &s.last_confirmed, cx.a.due(&s.last_confirmed))) }
                }
                None => p { "Status: " strong { (PartsStatus::Unknown.label_in(cx.lang)) } (cx.t(" – uppgift saknas.", " – no information.")) },
            }
        }
    }
}

fn adherence(cx: &Cx, k: usize) -> Markup {
    let a = cx.a;
    html! {
        section #foljsamhet aria-labelledby="h-foljsamhet" {
            h2 #h-foljsamhet { (cx.t("Följsamhet till gemensamt beslutade dokument", "Adherence to jointly decided documents")) }
            p.forklaring { (cx.t("Följsamhet betyder hur långt kommunen har kommit med att införa överenskommelser och riktlinjer som kommunerna och regionen har beslutat tillsammans.",
                                 "Adherence means how far the kommun has come in putting into practice the agreements and guidelines that the kommuns and the region have decided together.")) }
            @if a.inventory.documents.is_empty() {
                p { (cx.t("Inga beslutade dokument finns i uppgifterna ännu.", "There are no decided documents in the information yet.")) }
            } @else {
                @let (document, source) = (cx.t("Dokument", "Document"), cx.t("Källa", "Source"));
                div.tabellram tabindex="0" role="region" aria-label=(cx.t("Dokumentens status", "The documents' status")) {
                    table.staplad {
                        caption { (cx.t("Dokumentens status i ", "The documents' status in ")) (a.kommuner()[k].name) }
                        thead { tr { th scope="col" { (document) } th scope="col" { "Status" } th scope="col" { (source) } } }
                        tbody {
                            @for (d, doc) in a.inventory.documents.iter().enumerate() {
                                tr {
                                    th scope="row" data-label=(document) { (cx.sv(&doc.title)) br; small { (doc.kind.label_in(cx.lang)) ", " (cx.sv(&doc.owner)) } }
                                    @match a.adherence(k, d) {
                                        Some(x) => {
                                            td data-label="Status" { (x.status.label_in(cx.lang)) @if !x.note.is_empty() { br; small { (cx.sv(&x.note)) } } }
                                            td data-label=(source) { (checked_source(cx, &x.source, &x.date, a.due(&x.date))) }
                                        }
                                        None => {
                                            td data-label="Status" { span.tillstand.okant { (AdherenceStatus::Unknown.label_in(cx.lang)) } }
                                            td data-label=(source) { (cx.t("Uppgift saknas. Dokumentet: ", "No information. The document: ")) (cx.sv(source_link(cx, &doc.source))) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn trainings(cx: &Cx, k: usize) -> Markup {
    let rows: Vec<_> = cx.a.trainings(k).collect();
    html! {
        section #utbildningar aria-labelledby="h-utbildningar" {
            h2 #h-utbildningar { (cx.t("SIP-utbildningar", "SIP trainings")) }
            @match cx.lang {
                Lang::Sv => p.forklaring { "SIP är en samordnad individuell plan: kommunen och regionen gör en gemensam plan när ett barn behöver stöd från båda." },
                Lang::En => p.forklaring { "SIP (" span lang="sv" { "samordnad individuell plan" } ") is a coordinated individual plan: the kommun and the region make a joint plan when a child needs support from both." },
            }
            @if rows.is_empty() {
                p { (cx.t("Ingen uppgift om utbildningar i kommunen (", "No information about trainings in the kommun (")) span.tillstand.okant { (cx.t("okänt", "unknown")) } ")." }
            } @else {
                @let (training, audience, participants, source) = (cx.t("Utbildning", "Training"), cx.t("Målgrupp", "For whom"), cx.t("Deltagare", "Participants"), cx.t("Källa", "Source"));
                div.tabellram tabindex="0" role="region" aria-label=(cx.t("Tabell: utbildningar i samverkanskompetens och SIP", "Table: trainings in joint working skills and SIP")) {
                    table.staplad {
                        caption { (cx.t("Utbildningar i samverkanskompetens och SIP", "Trainings in joint working skills and SIP")) }
                        thead { tr { th scope="col" { (training) } th scope="col" { (audience) } th scope="col" { (participants) } th scope="col" { "Period" } th scope="col" { (source) } } }
                        tbody {
                            @for t in rows {
                                tr {
                                    th scope="row" data-label=(training) { (t.kind.label_in(cx.lang)) }
                                    td data-label=(audience) { (cx.sv(&t.audience)) }
                                    td data-label=(participants) { @if t.approximate { (cx.t("cirka ", "about ")) } (t.participants) }
                                    td data-label="Period" { (t.period) }
                                    td data-label=(source) { (checked_source(cx, &t.source, &t.last_confirmed, cx.a.due(&t.last_confirmed))) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn previous_round(cx: &Cx, k: usize, r: usize) -> Markup {
    let a = cx.a;
    let previous = a.previous_survey(r);
    html! {
        section #jamforelse aria-labelledby="h-jamforelse" {
            h2 #h-jamforelse { (cx.t("Jämfört med förra omgången", "Compared with the previous round")) }
            @match previous {
                None => p { (cx.t("Det finns ingen tidigare enkätomgång att jämföra med.", "There is no earlier survey round to compare with.")) },
                Some(p) => {
                    @let compare = format!("/jamfor?kommuner={}&round={},{}", a.kommuner()[k].code, a.inventory.rounds[p].id, a.inventory.rounds[r].id);
                    (round_change(cx, k, p, r))
                    p { a.ej-utskrift href=(compare) hreflang=[cx.hreflang(&compare)] { (cx.t("Jämför omgångarna i detalj", "Compare the rounds in detail (in Swedish)")) } }
                }
            }
        }
    }
}

/// What changed for kommun `k` from round `from` to round `to`: coverage per level and each
/// programme whose state changed.
pub fn round_change(cx: &Cx, k: usize, from: usize, to: usize) -> Markup {
    let a = cx.a;
    let (x, y) = (a.coverage(k, from), a.coverage(k, to));
    let (rx, ry) = (&a.inventory.rounds[from], &a.inventory.rounds[to]);
    let changes: Vec<(usize, CellState, CellState)> = (0..a.programmes().len())
        .map(|p| (p, a.cell_state(k, from, p), a.cell_state(k, to, p)))
        .filter(|(_, s, t)| s != t)
        .collect();
    // With no answer on one side, "no change" would claim what nobody knows.
    let missing: Vec<&str> = [(from, rx), (to, ry)]
        .iter()
        .filter(|(r, _)| !a.answered(k, *r))
        .map(|(_, round)| round.name.as_str())
        .collect();
    if !missing.is_empty() {
        return html! {
            p.ojamforbar {
                strong { (cx.t("Kan inte jämföras – inga uppgifter", "Cannot be compared – no information")) }
                (cx.t(" om ", " about ")) (a.kommuner()[k].name) (cx.t(" i ", " in "))
                @for (i, name) in missing.iter().enumerate() { @if i > 0 { (cx.t(" och ", " and ")) } (cx.sv(*name)) }
                "."
            }
        };
    }
    html! {
        div.tabellram tabindex="0" role="region" aria-label=(cx.t("Förändring mellan omgångarna", "Change between the rounds")) {
            table {
                caption { (cx.t("Täckta åldrar: ", "Covered ages: ")) (cx.sv(&rx.name)) (cx.t(" jämfört med ", " compared with ")) (cx.sv(&ry.name)) }
                thead { tr { th scope="col" { (cx.t("Nivå", "Level")) } th scope="col" { (cx.sv(&rx.name)) } th scope="col" { (cx.sv(&ry.name)) } th scope="col" { (cx.t("Förändring", "Change")) } } }
                tbody {
                    @for f in level_filters() {
                        @let (a0, a1) = (x.level(f), y.level(f));
                        // A change to or from okänt is no confirmed change: it is said apart.
                        @let change = Change::between(a0, a1);
                        tr {
                            th scope="row" { (filter_label(cx, f)) }
                            td { (share(cx, a0)) }
                            td { (share(cx, a1)) }
                            td {
                                @if change.gained.is_empty() && change.lost.is_empty() && change.unsure.is_empty() { (cx.t("ingen förändring", "no change")) }
                                @if !change.gained.is_empty() { (cx.t("nytt täckt: ", "newly covered: ")) (ages_text(cx.lang, &change.gained)) " " }
                                @if !change.lost.is_empty() { (cx.t("inte längre täckt: ", "no longer covered: ")) (ages_text(cx.lang, &change.lost)) " " }
                                @if !change.unsure.is_empty() { (cx.t("okänt i den ena omgången: ", "unknown in one of the rounds: ")) (ages_text(cx.lang, &change.unsure)) }
                            }
                        }
                    }
                }
            }
        }
        @if changes.is_empty() {
            p { (cx.t("Inget program har ändrat status mellan omgångarna.", "No programme has changed its status between the rounds.")) }
        } @else {
            ul {
                @for (p, s, t) in &changes {
                    li { (cx.sv(&a.programmes()[*p].name)) ": " (state_in(cx.lang, *s)) " → " (state_in(cx.lang, *t)) }
                }
            }
        }
    }
}
