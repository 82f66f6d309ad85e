//! `/oversikt`: the region at a glance. Kommuner × ages at one level in one round, or the change
//! between two rounds (`round=a,b`), sorted by name or by coverage; a chosen age (`age=13`) is
//! framed and counted ("13 år, universell nivå: täckt i 4 av 15 kommuner, okänt i 9"). For
//! chairs and analysts, in Swedish. The picture comes in parts of [`PART`] kommuner, so a long
//! region (all of Sweden) prints part by part with the ages on top of each.

use maud::{Markup, html};

use crate::atlas::Atlas;
use crate::coverage::{LevelCoverage, LevelFilter, MAX_AGE, PRENATAL};
use crate::http::error::RequestError;
use crate::http::params::Params;
use crate::vocabulary::{AgeState, Level};

use super::Cx;
use super::charts::{
    self, Cells, Change, Names, PART, Row, Strip, ages_text, round_label, state_word, unanswered,
};
use super::compare::{round_ids, round_options, rounds};
use super::filters::age_code;
use super::format::{answered_line, level_text, round_option, share};
use super::layout::{Script, count, page as layout_page};

crate::vocabulary::vocabulary!(
    /// The order of the kommuner.
    Sort {
        Name = "namn": "namn",
        Coverage = "tackning": "täckning",
    }
);

/// What the overview shows.
pub struct Choice {
    pub level: LevelFilter,
    /// One round, or two: the change from the first to the second.
    pub rounds: Vec<usize>,
    pub sort: Sort,
    pub age: Option<i8>,
}

impl Choice {
    /// `level`, `round` (`a` or `a,b`), `sort` (`namn`, `tackning`) and `age`; anything else
    /// is ignored, as on every page. Errors name the parameter.
    pub fn parse(a: &Atlas, raw: Option<&str>) -> Result<Choice, RequestError> {
        let p = Params::lenient(raw, &["level", "round", "sort", "age", "embed"], &[]);
        let sort = match p.get("sort") {
            None => Sort::Name,
            Some(v) => Sort::parse(v).map_err(|m| RequestError::invalid(format!("sort: {m}.")))?,
        };
        Ok(Choice {
            level: p.level()?,
            rounds: rounds(a, &p)?,
            sort,
            age: p.age()?,
        })
    }

    /// The canonical query (defaults left out).
    pub fn query(&self, a: &Atlas) -> String {
        let round = if self.rounds == [a.default_round] {
            String::new()
        } else {
            round_ids(a, &self.rounds)
        };
        super::query_string(&[
            ("level", super::level_param(self.level)),
            ("round", round),
            (
                "sort",
                if self.sort == Sort::Name {
                    String::new()
                } else {
                    self.sort.code().into()
                },
            ),
            ("age", self.age.map(age_code).unwrap_or_default()),
        ])
    }

    /// The round whose coverage the rows are sorted and counted by (the later of two).
    fn shown(&self) -> usize {
        self.rounds[self.rounds.len() - 1]
    }
}

/// The kommuner in the chosen order: by name, or by coverage (at the chosen age first: covered,
/// okänt, not covered, no programme; then most ages covered, fewest confirmed gaps, name).
pub fn order(cx: &Cx, c: &Choice) -> Vec<usize> {
    let mut ks = cx.kommuner_by_name();
    if c.sort == Sort::Coverage {
        let a = cx.a;
        let lc = |k: usize| a.coverage(k, c.shown()).level(c.level);
        let rank = |s: AgeState| match s {
            AgeState::Covered => 0,
            AgeState::Unknown => 1,
            AgeState::NotCovered => 2,
            AgeState::NoProgramme => 3,
        };
        // A stable sort keeps the alphabetical order among equals.
        ks.sort_by_key(|k| {
            let l = lc(*k);
            let gaps = (0..=MAX_AGE)
                .filter(|x| l.state(*x) == AgeState::NotCovered)
                .count();
            (
                c.age.map(|x| rank(l.state(x))),
                std::cmp::Reverse(l.covered.years().len()),
                gaps,
            )
        });
    }
    ks
}

fn level_phrase(l: LevelFilter) -> String {
    match l {
        LevelFilter::All => "alla nivåer".into(),
        LevelFilter::Only(l) => format!("{} nivå", l.label()),
    }
}

fn age_phrase(age: i8) -> String {
    super::layout::capital(&ages_text(crate::lang::Lang::Sv, &[age]))
}

/// How many kommuner are in each state at `age`.
fn tally(a: &Atlas, r: usize, level: LevelFilter, age: i8) -> [usize; 4] {
    let mut t = [0; 4];
    for k in 0..a.kommuner().len() {
        t[match a.coverage(k, r).level(level).state(age) {
            AgeState::Covered => 0,
            AgeState::Unknown => 1,
            AgeState::NotCovered => 2,
            AgeState::NoProgramme => 3,
        }] += 1;
    }
    t
}

/// "täckt i 4 av 15 kommuner, okänt i 9, inte täckt i 2": the states at one age, okänt always
/// named apart from "inte täckt".
fn tally_text(t: [usize; 4], n: usize) -> String {
    let mut parts = vec![format!(
        "täckt i {} av {}",
        t[0],
        count(n, "kommun", "kommuner")
    )];
    for (i, word) in [
        (1, "okänt"),
        (2, "inte täckt"),
        (3, "inget program i katalogen"),
    ] {
        if t[i] > 0 {
            parts.push(format!("{word} i {}", t[i]));
        }
    }
    parts.join(", ")
}

/// Between the two rounds of `c`: in how many kommuner the confirmed gains and the confirmed
/// losses are `hit`, and how many cannot be compared (no answers in one of the rounds).
fn change_counts(a: &Atlas, c: &Choice, hit: impl Fn(&[i8]) -> bool) -> (usize, usize, usize) {
    let (mut gained, mut lost, mut incomparable) = (0, 0, 0);
    for k in 0..a.kommuner().len() {
        if !unanswered(a, k, &c.rounds).is_empty() {
            incomparable += 1;
            continue;
        }
        let level = |r: usize| a.coverage(k, r).level(c.level);
        let ch = Change::between(level(c.rounds[0]), level(c.rounds[1]));
        gained += usize::from(hit(&ch.gained));
        lost += usize::from(hit(&ch.lost));
    }
    (gained, lost, incomparable)
}

/// The sentence that answers "who covers this age?".
fn counted(cx: &Cx, c: &Choice, age: i8) -> String {
    let a = cx.a;
    let n = a.kommuner().len();
    let head = format!("{}, {}", age_phrase(age), level_phrase(c.level));
    match c.rounds.as_slice() {
        [r] => format!("{head}: {}.", tally_text(tally(a, *r, c.level, age), n)),
        [from, to] => {
            let (gained, lost, incomparable) = change_counts(a, c, |ages| ages.contains(&age));
            let rounds = &a.inventory.rounds;
            format!(
                "{head}: i {} {}; i {} {}. Nytt täckt i {gained}, inte längre täckt i {lost}; kan inte jämföras i {incomparable} (inga uppgifter i någon av omgångarna).",
                rounds[*from].name,
                tally_text(tally(a, *from, c.level, age), n),
                rounds[*to].name,
                tally_text(tally(a, *to, c.level, age), n),
            )
        }
        _ => String::new(),
    }
}

/// A sentence about all ages, when none is chosen.
fn summary(cx: &Cx, c: &Choice) -> String {
    let a = cx.a;
    let n = a.kommuner().len();
    let level = super::layout::capital(&level_phrase(c.level));
    match c.rounds.as_slice() {
        [r] => {
            let (mut all, mut gaps, mut unknown) = (0, 0, 0);
            for k in 0..n {
                let lc = a.coverage(k, *r).level(c.level);
                let states: Vec<AgeState> = (0..=MAX_AGE).map(|x| lc.state(x)).collect();
                all += usize::from(states.iter().all(|s| *s == AgeState::Covered));
                gaps += usize::from(states.contains(&AgeState::NotCovered));
                unknown += usize::from(states.contains(&AgeState::Unknown));
            }
            format!(
                "{level}: alla åldrar 0–17 år täckta i {all} av {}; bekräftade luckor i {gaps}; okända åldrar i {unknown}. Välj en ålder för att räkna vilka kommuner som täcker den.",
                count(n, "kommun", "kommuner")
            )
        }
        [_, _] => {
            let (gained, lost, incomparable) = change_counts(a, c, |ages| !ages.is_empty());
            format!(
                "{level}: nytt täckta åldrar i {gained} av {}, åldrar som inte längre är täckta i {lost}; kan inte jämföras i {incomparable} (inga uppgifter i någon av omgångarna).",
                count(n, "kommun", "kommuner")
            )
        }
        _ => String::new(),
    }
}

/// The picture's rows for kommun `k`: one row, or the two rounds' rows (or a note).
fn rows<'a>(a: &'a Atlas, c: &Choice, k: usize) -> Vec<Row<'a>> {
    let kommun = &a.kommuner()[k];
    let code = Some(kommun.code.clone());
    let level = Some(c.level.code());
    let round = |r: usize| Some(a.inventory.rounds[r].id.clone());
    match c.rounds.as_slice() {
        [r] => vec![Row {
            kommun: code,
            level,
            round: round(*r),
            ..Row::new(
                kommun.name.clone(),
                Cells::Ages(a.coverage(k, *r).level(c.level)),
            )
        }],
        [from, to] => {
            let group = Some(kommun.name.clone());
            let missing = unanswered(a, k, &c.rounds);
            if !missing.is_empty() {
                return vec![Row {
                    group,
                    kommun: code,
                    level,
                    ..Row::new(
                        "",
                        Cells::Note {
                            short: "kan inte jämföras – inga uppgifter".into(),
                            long: format!(
                                "Kan inte jämföras – inga uppgifter i {}.",
                                missing.join(" och ")
                            ),
                        },
                    )
                }];
            }
            let (x, y) = (
                a.coverage(k, *from).level(c.level),
                a.coverage(k, *to).level(c.level),
            );
            let (lx, ly) = (round_label(a, *from, *to), round_label(a, *to, *from));
            vec![
                Row {
                    group: group.clone(),
                    kommun: code.clone(),
                    level,
                    round: round(*from),
                    ..Row::new(lx.clone(), Cells::Ages(x))
                },
                Row {
                    group,
                    kommun: code,
                    level,
                    round: round(*to),
                    ..Row::new(
                        ly,
                        Cells::Change {
                            now: y,
                            before: x,
                            before_label: lx,
                        },
                    )
                },
            ]
        }
        _ => Vec::new(),
    }
}

pub fn page(cx: &Cx, c: &Choice) -> Markup {
    let a = cx.a;
    let region = &a.inventory.dataset.region().name;
    let ks = order(cx, c);
    let n = ks.len();
    let round_names: Vec<String> = c
        .rounds
        .iter()
        .map(|r| round_option(cx, &a.inventory.rounds[*r]))
        .collect();
    let what = format!("{}, {}", capital_level(c.level), round_names.join(" → "));
    let parts: Vec<&[usize]> = ks.chunks(PART).collect();
    // One round: the kommun beside its row. Two: the kommun above its two rows, so the picture
    // still fits a phone.
    let names = if c.rounds.len() == 2 {
        Names::Above
    } else {
        Names::Left
    };
    let all_rows: Vec<Row> = ks.iter().flat_map(|k| rows(a, c, *k)).collect();
    let legend = charts::legend_items(
        cx,
        &Strip {
            id: "oversikt".into(),
            title: String::new(),
            rows: all_rows,
            highlight: c.age,
            names,
        },
    );
    let main = html! {
        h1 { "Täckning i " (region) ": kommuner och åldrar" }
        p.ingress {
            "Varje rad är en kommun och varje ruta en ålder: är åldern täckt av minst ett program som erbjuds på nivån? "
            strong { "Okänt" } " (randigt) betyder att svar saknas, inte att stödet saknas. "
            @if c.rounds.len() == 2 { "Med två omgångar visas båda, den senare med " strong { "+" } " där en ålder blivit täckt och " strong { "−" } " där den inte längre är det (bara mellan bekräftade svar)." }
        }
        @for r in &c.rounds { p.svarsgrad { (answered_line(cx, *r)) } }
        (form(cx, c))
        p.raknat #raknat role="status" {
            @match c.age { Some(age) => (counted(cx, c, age)), None => (summary(cx, c)) }
        }
        section #oversiktsbild aria-labelledby="h-bild" {
            h2 #h-bild { (what) }
            (charts::legend(cx, "oversikt", &legend))
            @for (i, part) in parts.iter().enumerate() {
                @let rows: Vec<Row> = part.iter().flat_map(|k| rows(a, c, *k)).collect();
                @let title = if parts.len() > 1 {
                    format!("Täckning per kommun och ålder: {what} (kommun {}–{} av {n})", i * PART + 1, i * PART + part.len())
                } else {
                    format!("Täckning per kommun och ålder: {what}")
                };
                div.tabellram.diagramram tabindex="0" role="region" aria-label=(title) {
                    (charts::svg(cx, &Strip { id: format!("oversikt-{}", i + 1), title: title.clone(), rows, highlight: c.age, names }))
                }
            }
            details.som-tabell {
                summary { "Visa som tabell" }
                (table(cx, c, &ks, &what))
            }
        }
        p.ej-utskrift {
            "Mer: " a href="/lagesbild" { "Lägesbild: SAMBU, partssamverkan, följsamhet och SIP-utbildningar" } " · "
            a href="/jamfor" { "Jämför kommuner" } " · "
            a href={ "/api/v1/export/tackning?format=xlsx&" (super::query_string(&[("level", c.level.code().to_string()), ("round", a.inventory.rounds[c.shown()].id.clone())])) } { "Täckning och luckor (Excel, .xlsx)" }
        }
    };
    layout_page(cx, &format!("Täckning i {region}"), Script::None, main)
}

fn capital_level(l: LevelFilter) -> String {
    super::layout::capital(&level_phrase(l))
}

fn form(cx: &Cx, c: &Choice) -> Markup {
    let age = c.age.map(age_code);
    html! {
        form #oversikt-val.ej-utskrift method="get" action="/oversikt" {
            div.falt {
                label for="o-niva" { "Nivå" }
                select #o-niva name="level" {
                    option value="all" selected[c.level == LevelFilter::All] { "Alla nivåer" }
                    @for l in Level::ALL {
                        option value=(l.code()) selected[c.level == LevelFilter::Only(*l)] { (level_text(cx, *l)) }
                    }
                }
            }
            div.falt {
                label for="o-omgang" { "Omgång" }
                select #o-omgang name="round" { (round_options(cx, &c.rounds)) }
            }
            div.falt {
                label for="o-alder" { "Räkna en ålder" }
                select #o-alder name="age" {
                    option value="" selected[age.is_none()] { "Ingen vald" }
                    option value="graviditet" selected[age.as_deref() == Some("graviditet")] { "Under graviditeten" }
                    @for x in 0..=MAX_AGE {
                        @let v = x.to_string();
                        option value=(v) selected[age.as_deref() == Some(v.as_str())] { (x) " år" }
                    }
                }
            }
            div.falt {
                label for="o-ordning" { "Ordning" }
                select #o-ordning name="sort" {
                    @for s in Sort::ALL {
                        option value=(s.code()) selected[c.sort == *s] {
                            @match s { Sort::Name => "Efter namn", Sort::Coverage => "Efter täckning (mest täckt först)" }
                        }
                    }
                }
            }
            div.falt.knappar { button type="submit" { "Visa" } }
        }
    }
}

fn ages_or_dash(lc: &LevelCoverage, s: AgeState) -> String {
    let ages: Vec<i8> = (PRENATAL..=MAX_AGE).filter(|x| lc.state(*x) == s).collect();
    if ages.is_empty() {
        "–".into()
    } else {
        ages_text(crate::lang::Lang::Sv, &ages)
    }
}

/// The same facts as the picture, as a table: one row per kommun in the picture's order.
fn table(cx: &Cx, c: &Choice, ks: &[usize], what: &str) -> Markup {
    let a = cx.a;
    let states = [
        AgeState::Covered,
        AgeState::NotCovered,
        AgeState::Unknown,
        AgeState::NoProgramme,
    ];
    let caption = format!("Täckning per kommun: {what}");
    html! {
        div.tabellram tabindex="0" role="region" aria-label=(caption) {
            table.staplad #oversiktstabell {
                caption { (caption) }
                @match c.rounds.as_slice() {
                    [r] => {
                        thead { tr {
                            th scope="col" { "Kommun" }
                            @for s in states { th scope="col" { (super::layout::capital(state_word(crate::lang::Lang::Sv, s))) } }
                            th scope="col" { "Andel av 0–17 år" }
                            @if let Some(age) = c.age { th scope="col" { (age_phrase(age)) } }
                        } }
                        tbody {
                            @for k in ks {
                                @let lc = a.coverage(*k, *r).level(c.level);
                                tr data-kommun=(a.kommuner()[*k].code) {
                                    th scope="row" data-label="Kommun" { a href={ "/kommun/" (a.kommuner()[*k].code) } { (a.kommuner()[*k].name) } }
                                    @for s in states {
                                        td data-label=(super::layout::capital(state_word(crate::lang::Lang::Sv, s))) data-state=(s.code()) { (ages_or_dash(lc, s)) }
                                    }
                                    td data-label="Andel av 0–17 år" { (share(cx, lc)) }
                                    @if let Some(age) = c.age { td data-label=(age_phrase(age)) { (super::layout::age_marker(cx.lang, lc.state(age))) } }
                                }
                            }
                        }
                    }
                    [from, to] => {
                        @let rounds = &a.inventory.rounds;
                        thead { tr {
                            th scope="col" { "Kommun" }
                            th scope="col" { "Andel, " (rounds[*from].name) }
                            th scope="col" { "Andel, " (rounds[*to].name) }
                            th scope="col" { "Nytt täckt" }
                            th scope="col" { "Inte längre täckt" }
                            th scope="col" { "Okänt i den ena omgången" }
                        } }
                        tbody {
                            @for k in ks {
                                @let missing = unanswered(a, *k, &c.rounds);
                                tr data-kommun=(a.kommuner()[*k].code) {
                                    th scope="row" data-label="Kommun" { a href={ "/kommun/" (a.kommuner()[*k].code) } { (a.kommuner()[*k].name) } }
                                    @if missing.is_empty() {
                                        @let (x, y) = (a.coverage(*k, *from).level(c.level), a.coverage(*k, *to).level(c.level));
                                        @let ch = Change::between(x, y);
                                        td data-label={ "Andel, " (rounds[*from].name) } { (share(cx, x)) }
                                        td data-label={ "Andel, " (rounds[*to].name) } { (share(cx, y)) }
                                        td data-label="Nytt täckt" data-change="gained" { (dash(&ch.gained)) }
                                        td data-label="Inte längre täckt" data-change="lost" { (dash(&ch.lost)) }
                                        td data-label="Okänt i den ena omgången" data-change="unsure" { (dash(&ch.unsure)) }
                                    } @else {
                                        td colspan="5" data-label="Förändring" data-change="not_comparable" {
                                            p.ojamforbar { strong { "Kan inte jämföras – inga uppgifter" } " i " (missing.join(" och ")) "." }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
    }
}

fn dash(ages: &[i8]) -> String {
    if ages.is_empty() {
        "–".into()
    } else {
        ages_text(crate::lang::Lang::Sv, ages)
    }
}
