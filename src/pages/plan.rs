//! `/kommun/{kod}/planera`: the chair's gap planner for one kommun, round and level (a chair's
//! page, Swedish only). The gaps drawn, the smallest set of programmes that would close them
//! with the coverage before and after, the answers that would settle the gaps resting on
//! *okänt*, and per gap the catalogue programmes that would cover it with the kommuner of the
//! region that already run them. Prints as an A4 report. The plan itself is [`crate::plan`];
//! [`summary`] (the smallest set per level) is also printed with the kommun page.

use maud::{Markup, html};

use crate::atlas::{Atlas, lapsed_label};
use crate::coverage::{LevelCoverage, MAX_AGE, PRENATAL, age_label, ages_label};
use crate::plan::{self, Ask, Candidate, GapKind, Offer, Plan, PlanGap, percent};
use crate::vocabulary::Level;

use super::Cx;
use super::charts;
use super::format::{level_text, round_option, share};
use super::layout::{Script, age_marker, capital, count, page as layout_page, state};

/// What the planner shows: a kommun, a round and a level.
pub struct View {
    pub k: usize,
    pub r: usize,
    pub level: Level,
}

impl View {
    /// The canonical query (the default round and the universal level left out).
    pub fn query(&self, a: &Atlas) -> String {
        let level = match self.level {
            Level::Universal => String::new(),
            l => l.code().to_string(),
        };
        super::query_string(&[("level", level), ("round", super::round_param(a, self.r))])
    }
}

/// The planner's address for kommun `k`, round `r` and a level.
pub fn href(a: &Atlas, k: usize, r: usize, level: Level) -> String {
    super::with_query(
        &format!("/kommun/{}/planera", a.kommuner()[k].code),
        &View { k, r, level }.query(a),
    )
}

pub fn page(cx: &Cx, v: &View) -> Markup {
    let a = cx.a;
    let kommun = &a.kommuner()[v.k];
    let plan = Plan::new(a, v.k, v.r, v.level);
    let title = format!("Planera föräldraskapsstödet i {}", kommun.name);
    let main = html! {
        h1 { (title) }
        p.ingress {
            "Vilka åldrar saknar ett bekräftat program på " strong { (v.level.label()) " nivå" }
            " i " (kommun.name) " enligt " strong { (round_option(cx, &a.inventory.rounds[v.r])) } "? "
            "Vilka program i katalogen skulle täcka dem, vilka kommuner i regionen har dem redan, "
            "och vilket är det minsta antalet program som skulle stänga alla luckor?"
        }
        p { strong { "Okänt" } " betyder att uppgift saknas, inte att stödet saknas: en lucka som vilar på okänt är kanske ingen lucka." }
        (form(cx, v))
        nav.innehall.ej-utskrift aria-label="På den här sidan" {
            ul {
                li { a href="#luckor" { "Luckorna" } }
                li { a href="#minsta" { "Minsta uppsättningen" } }
                li { a href="#svar" { "Svar som avgör" } }
                li { a href="#program" { "Programmen per lucka" } }
                li { a href="#nivaer" { "Alla nivåer" } }
            }
        }
        (gaps(cx, v, &plan))
        (smallest(cx, v, &plan))
        (answers(cx, v, &plan))
        (programmes(cx, v, &plan))
        section #nivaer aria-labelledby="h-nivaer" {
            h2 #h-nivaer { "Alla nivåer" }
            p { "Den minsta uppsättningen program på varje nivå, med täckningen av 0–17 år före och efter." }
            (summary(cx, v.k, v.r, true))
        }
        p.ej-utskrift {
            button #skriv-ut type="button" hidden { "Skriv ut rapport" }
            " Rapporten passar för ett möte i partssamverkan. "
            a href={ "/kommun/" (kommun.code) } { "Allt om " (kommun.name) }
            "."
        }
    };
    layout_page(
        cx,
        &format!("{title} – {} nivå", v.level.label()),
        Script::None,
        main,
    )
}

fn form(cx: &Cx, v: &View) -> Markup {
    let a = cx.a;
    html! {
        form.omgang.ej-utskrift method="get" action={ "/kommun/" (a.kommuner()[v.k].code) "/planera" } {
            div.falt {
                label for="p-niva" { "Nivå" }
                select #p-niva name="level" {
                    @for l in Level::ALL {
                        option value=(l.code()) selected[*l == v.level] { (level_text(cx, *l)) }
                    }
                }
            }
            div.falt {
                label for="p-omgang" { "Omgång" }
                select #p-omgang name="round" {
                    @for (i, round) in a.inventory.rounds.iter().enumerate() {
                        option value=(round.id) selected[i == v.r] { (round_option(cx, round)) }
                    }
                }
            }
            button type="submit" { "Visa" }
        }
    }
}

fn gaps(cx: &Cx, v: &View, plan: &Plan) -> Markup {
    let level = v.level.label();
    html! {
        section #luckor aria-labelledby="h-luckor" {
            h2 #h-luckor { "Luckor på " (level) " nivå" }
            div.planluckor {
                (strip(cx, v, plan))
                div {
                    p { "Täckt i dag (0–17 år): " strong { (share(cx, &plan.coverage)) } "." }
                    @if plan.gaps.is_empty() {
                        p { "Inga luckor: varje ålder 0–17 år har minst ett bekräftat program på " (level) " nivå." }
                    } @else {
                        ul.luckor {
                            @for g in &plan.gaps {
                                li {
                                    strong { (capital(&g.label())) } ": " (gap_text(g))
                                    @if !g.programmes.is_empty() {
                                        " " a href={ "#lucka-" (g.from) "-" (g.to) } { (count(g.programmes.len(), "program", "program")) " kan täcka " (g.label()) }
                                        "."
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

/// The gaps drawn: the level's ages today and with the smallest set, as the coverage picture
/// (a row for today, one as it would be with the plan), its table behind "Visa som tabell".
fn strip(cx: &Cx, v: &View, plan: &Plan) -> Markup {
    let lc = &plan.coverage;
    let after = LevelCoverage {
        covered: plan.cover.after,
        unknown: lc.unknown.minus(plan.cover.after),
        catalogue: lc.catalogue,
    };
    let picture = charts::figure(
        cx,
        &charts::Strip {
            id: "planbild".into(),
            title: format!(
                "Åldrarna på {} nivå i {}: i dag och med den minsta uppsättningen",
                plan.level.label(),
                cx.a.kommuner()[v.k].name
            ),
            rows: vec![
                charts::Row::new("I dag", charts::Cells::Ages(lc)),
                charts::Row::new("Med planen", charts::Cells::Ages(&after)),
            ],
            highlight: None,
            names: charts::Names::Above,
        },
    );
    html! {
        (picture)
        details.som-tabell {
            summary { "Visa som tabell" }
            (strip_table(cx, v, plan))
        }
    }
}

/// The same ages as a table: today and with the plan, in the coverage grid's state markers.
fn strip_table(cx: &Cx, v: &View, plan: &Plan) -> Markup {
    let lc = &plan.coverage;
    let added = plan.cover.after.minus(lc.covered);
    let caption = format!(
        "Åldrarna på {} nivå i {}: i dag och med den minsta uppsättningen",
        plan.level.label(),
        cx.a.kommuner()[v.k].name
    );
    html! {
        div.tabellram tabindex="0" role="region" aria-label=(caption) {
            table.tackning.planremsa {
                caption { (caption) }
                thead { tr {
                    th scope="col" { "Ålder" }
                    th scope="col" { "I dag" }
                    th scope="col" { "Med planen" }
                } }
                tbody {
                    @for age in PRENATAL..=MAX_AGE {
                        tr {
                            th scope="row" { (age_label(age, age)) }
                            td { (age_marker(cx.lang, lc.state(age))) }
                            td {
                                @if added.contains(age) { span.tillstand.erbjuds { "täcks med planen" } }
                                @else { (age_marker(cx.lang, lc.state(age))) }
                            }
                        }
                    }
                }
                tfoot { tr {
                    th scope="row" { "Andel av 0–17 år" }
                    td { (percent(lc.share())) }
                    td { (percent(plan.cover.after.share())) }
                } }
            }
        }
    }
}

/// What a gap rests on, with its state marker (never colour alone: the words are there).
fn gap_text(g: &PlanGap) -> Markup {
    let class = match g.kind {
        GapKind::Confirmed => "tillstand erbjuds-inte",
        GapKind::Unknown | GapKind::PartlyUnknown => "tillstand okant",
        GapKind::NoProgramme => "tillstand inget-program",
    };
    html! {
        span class=(class) { (g.kind.label()) }
        @match g.kind {
            GapKind::Confirmed => " – inget program för åldrarna erbjuds.",
            GapKind::Unknown => " – program som kan täcka åldrarna har okänd status.",
            GapKind::PartlyUnknown => {
                " (okänt för " (ages_label(g.unknown)) "; bekräftad lucka för " (ages_label(g.confirmed())) ")."
            }
            GapKind::NoProgramme => " Ingen plan kan stänga den.",
        }
        @if g.kind != GapKind::NoProgramme && !g.no_programme.is_empty() {
            " " (capital(&ages_label(g.no_programme))) ": inget program i katalogen på den här nivån."
        }
    }
}

fn smallest(cx: &Cx, v: &View, plan: &Plan) -> Markup {
    let a = cx.a;
    html! {
        section #minsta aria-labelledby="h-minsta" {
            h2 #h-minsta { "Minsta uppsättningen program" }
            p.planforslag { strong { (plan.summary(a.programmes(), cx.lang)) } }
            @if !plan.cover.chosen.is_empty() {
                ol.planval {
                    @for c in &plan.cover.chosen {
                        @let cand = &plan.candidates[*c];
                        @let prog = &a.programmes()[cand.p];
                        li {
                            a href={ "/program/" (prog.slug) "?kommun=" (a.kommuner()[v.k].code) } { (prog.name) }
                            " – täcker " (ages_label(cand.covers)) ". I " (a.kommuner()[v.k].name) ": " (cell(cx, v, cand)) ". "
                            @if cand.confirm_first() { strong { "Kanske redan erbjuds – bekräfta först." } " " }
                            (runs_text(cx, cand))
                        }
                    }
                }
            }
            p.forklaring {
                "Uppsättningen är räknad exakt: inga färre program räcker. Finns flera lika små väljs i första hand "
                "program som en grannkommun redan har, sedan program som fler kommuner har, sedan katalogens ordning. "
                "Program med okänd status räknas som möjliga – de kanske redan erbjuds."
            }
        }
    }
}

/// "Finns hos grannkommunerna Skövde och Hjo och 5 kommuner till, närmast Tidaholm (38 km)."
fn runs_text(cx: &Cx, cand: &Candidate) -> String {
    let a = cx.a;
    let name = |o: &Offer| a.kommuner()[o.k].name.clone();
    let (near, far): (Vec<&Offer>, Vec<&Offer>) = cand.offered_in.iter().partition(|o| o.neighbour);
    let neighbours: Vec<String> = near.iter().map(|o| name(o)).collect();
    let others = match far.first() {
        None => String::new(),
        Some(o) => format!(
            "{} kommun{} i regionen, närmast {}{}",
            far.len(),
            if far.len() == 1 { "" } else { "er" },
            name(o),
            o.km.map(|km| format!(" ({km:.0} km)")).unwrap_or_default()
        ),
    };
    match (neighbours.is_empty(), others.is_empty()) {
        (true, true) => "Ingen kommun i regionen har programmet i omgången.".into(),
        (false, true) => format!(
            "Finns hos grannkommun{} {}.",
            plural_na(near.len()),
            crate::lang::join_and(&neighbours)
        ),
        (true, false) => format!("Finns hos {others}."),
        (false, false) => format!(
            "Finns hos grannkommun{} {} och {others}.",
            plural_na(near.len()),
            crate::lang::join_and(&neighbours)
        ),
    }
}

/// "grannkommunen Skövde", "grannkommunerna Skövde och Hjo".
fn plural_na(n: usize) -> &'static str {
    if n == 1 { "en" } else { "erna" }
}

/// The programme's state in the planning kommun: okänt, erbjuds inte, or an answer too old to
/// count ("erbjöds 2015 – okänt i dag").
fn cell(cx: &Cx, v: &View, cand: &Candidate) -> Markup {
    match cx.a.lapsed(v.k, v.r, cand.p) {
        Some(o) => html! { span.tillstand.okant { (lapsed_label(o)) } },
        None => state(cand.state),
    }
}

fn answers(cx: &Cx, v: &View, plan: &Plan) -> Markup {
    let a = cx.a;
    let name = &a.kommuner()[v.k].name;
    let texts: Vec<String> = plan
        .gaps
        .iter()
        .filter_map(|g| plan.settle_text(a.programmes(), name, g))
        .collect();
    html! {
        section #svar aria-labelledby="h-svar" {
            h2 #h-svar { "Svar som avgör" }
            @if texts.is_empty() {
                p { "Ingen lucka på " (v.level.label()) " nivå vilar på okänt." }
            } @else {
                p { "En lucka som vilar på okänt är kanske ingen lucka. Erbjuds något av programmen är åldrarna täckta; erbjuds inget av dem är luckan bekräftad." }
                ul { @for t in &texts { li { (t) } } }
            }
        }
    }
}

fn programmes(cx: &Cx, v: &View, plan: &Plan) -> Markup {
    let a = cx.a;
    let name = &a.kommuner()[v.k].name;
    html! {
        section #program aria-labelledby="h-program" {
            h2 #h-program { "Programmen per lucka" }
            @if plan.gaps.is_empty() {
                p { "Inga luckor på " (v.level.label()) " nivå." }
            } @else {
                p {
                    "För varje lucka: programmen i katalogen på " (v.level.label()) " nivå som skulle täcka hela eller en del av den, "
                    "deras status i " (name) ", och kommunerna i regionen som redan har dem i omgången – grannkommuner först, "
                    "sedan efter avstånd (fågelvägen mellan kommunernas mittpunkter). Där finns en möjlighet att driva programmet tillsammans över kommungränsen."
                }
            }
            @for g in &plan.gaps {
                h3 id={ "lucka-" (g.from) "-" (g.to) } { (capital(&g.label())) ": " (g.kind.label()) }
                @if g.programmes.is_empty() {
                    p { "Inget program i katalogen på " (v.level.label()) " nivå är för de här åldrarna – ingen plan kan stänga luckan." }
                } @else {
                    @let caption = format!("Program som kan täcka {}", g.label());
                    div.tabellram tabindex="0" role="region" aria-label=(caption) {
                        table.staplad.planprogram {
                            caption { (caption) }
                            thead { tr {
                                th scope="col" { "Program" }
                                th scope="col" { "Form" }
                                th scope="col" { "Täcker" }
                                th scope="col" { "I " (name) }
                                th scope="col" { "Finns redan hos" }
                            } }
                            tbody {
                                @for c in &g.programmes {
                                    @let cand = &plan.candidates[*c];
                                    @let prog = &a.programmes()[cand.p];
                                    tr {
                                        th scope="row" data-label="Program" {
                                            a href={ "/program/" (prog.slug) "?kommun=" (a.kommuner()[v.k].code) } { (prog.name) }
                                            br; small { (prog.description) }
                                        }
                                        td data-label="Form" { (prog.format.label()) }
                                        td data-label="Täcker" { (ages_label(cand.covers.intersection(g.ages()))) }
                                        td data-label={ "I " (name) } { (cell(cx, v, cand)) }
                                        td data-label="Finns redan hos" { (offers(cx, v, cand)) }
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

/// How many of the kommuner that are not neighbours are listed before "N kommuner till".
const NEAREST_SHOWN: usize = 3;

/// The kommuner that run a candidate, each with organiser and contact: the neighbours and the
/// nearest others, the rest behind "N kommuner till" (open in print).
fn offers(cx: &Cx, v: &View, cand: &Candidate) -> Markup {
    let all = cand.offered_in.len();
    let shown = cand
        .offered_in
        .iter()
        .position(|o| !o.neighbour)
        .map_or(all, |i| i + NEAREST_SHOWN);
    // One more is shown rather than hidden behind "1 kommun till".
    let shown = if shown + 1 >= all { all } else { shown };
    let (first, rest) = cand.offered_in.split_at(shown);
    html! {
        @if first.is_empty() {
            "ingen kommun i regionen i omgången"
        } @else {
            ul.redanhos { @for o in first { li { (offer(cx, v.r, cand.p, o)) } } }
            @if !rest.is_empty() {
                details.redanhos {
                    summary { (count(rest.len(), "kommun", "kommuner")) " till" }
                    ul { @for o in rest { li { (offer(cx, v.r, cand.p, o)) } } }
                }
            }
        }
    }
}

/// "Skövde (grannkommun, 19 km): Skövde kommun, familjecentral · Kontakt i Skövde".
fn offer(cx: &Cx, r: usize, p: usize, o: &Offer) -> Markup {
    let a = cx.a;
    let kommun = &a.kommuner()[o.k];
    let organiser = a
        .offering(o.k, r, p)
        .map(|x| x.organiser.as_str())
        .unwrap_or("");
    html! {
        a href={ "/kommun/" (kommun.code) } { (kommun.name) }
        " ("
        @if o.neighbour { "grannkommun" @if o.km.is_some() { ", " } }
        @if let Some(km) = o.km { (format!("{km:.0}")) " km" }
        ")"
        @if !organiser.is_empty() { ": " (organiser) }
        @match plan::contact(a, o.k, r, p) {
            Some(Ask::Offering(url)) => { " · " a href=(url) { "Kontakt i " (kommun.name) } }
            Some(Ask::Kommun(c)) => { " · " a href=(c.url) { (c.name) } }
            None => {}
        }
    }
}

/// The smallest set per level with the coverage before → after, in the page's language; on the
/// planner (`linked`: each level leads to its plan) and in the kommun page's gaps section.
pub fn summary(cx: &Cx, k: usize, r: usize, linked: bool) -> Markup {
    let a = cx.a;
    html! {
        dl.ordlista.plansammanfattning {
            @for plan in Plan::levels(a, k, r) {
                @let level = format!("{} {}", capital(plan.level.label_in(cx.lang)), cx.t("nivå", "level"));
                dt {
                    @if linked { a href=(href(a, k, r, plan.level)) { (level) } }
                    @else { (level) }
                }
                dd { (plan.summary(a.programmes(), cx.lang)) }
            }
        }
    }
}
