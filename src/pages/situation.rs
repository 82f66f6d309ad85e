//! `/lagesbild`: the picture the old Skaraborgskartan existed for. One row per kommun: SAMBU,
//! partssamverkan, adherence to each jointly decided document, and SIP trainings in the last two
//! years, each cell a step with its word and *okänt* hatched; the region's own figures from the
//! sources below it, and the same facts as a table. Swedish (a page for the region's chairs).

use maud::{Markup, html};

use crate::atlas::Atlas;
use crate::dates::{Confirmed, PartialDate, Period};
use crate::inventory::Training;
use crate::vocabulary::{AdherenceStatus, PartsStatus, SambuStatus};

use super::Cx;
use super::charts::{self, Grid, Key, Measure, PART, Step};
use super::layout::{Script, capital, count, page as layout_page, source};
use super::palette::{FULL, HIGH, MID, NONE, Swatch, UNKNOWN};

/// The day two years before `today` (`ÅÅÅÅ-MM-DD`), where "the last two years" begin (from a
/// 29 February, the 28th).
pub fn two_years_before(today: &str) -> PartialDate {
    let day = today
        .parse::<jiff::civil::Date>()
        .ok()
        .and_then(|d| d.checked_sub(jiff::Span::new().years(2)).ok())
        .and_then(|d| {
            Some(PartialDate::Day(
                u16::try_from(d.year()).ok()?,
                d.month() as u8,
                d.day() as u8,
            ))
        });
    day.unwrap_or(PartialDate::Year(1900))
}

/// Whether a period surely reaches `since` or later: its end, read as its earliest possible
/// day ("2024" as 2024-01-01), is not before it. A period that only may reach it ("2020/2024"
/// against 2024-12-07) does not count: it is told as okänt, with its period.
pub fn surely_since(period: &Period, since: &PartialDate) -> bool {
    let earliest = |d: PartialDate| match d {
        PartialDate::Year(y) => (y, 1, 1),
        PartialDate::Month(y, m) => (y, m, 1),
        PartialDate::Day(y, m, d) => (y, m, d),
    };
    earliest(period.to.unwrap_or(period.from)) >= earliest(*since)
}

/// A step from a status: its swatch and word and, where the data has a row (`known`: the
/// status in words and the date it was last confirmed), its date, flagged when it kan vara
/// inaktuell.
fn status_step(
    a: &Atlas,
    (swatch, word): (&'static Swatch, &str),
    state: &'static str,
    known: Option<(String, &Confirmed)>,
) -> Step {
    let (title, due) = match known {
        Some((label, c)) => {
            let due = a.due(c);
            let flag = if due { " – kan vara inaktuell" } else { "" };
            (format!("{label} (senast bekräftad {c}{flag})"), due)
        }
        None => ("okänt – uppgift saknas".to_string(), false),
    };
    Step {
        swatch,
        word: word.into(),
        title,
        state,
        count: None,
        due,
    }
}

fn sambu(a: &Atlas, k: usize) -> Step {
    let s = a.sambu_status(k);
    let look = match s {
        SambuStatus::Active => (&FULL, "aktivt team"),
        SambuStatus::Decided => (&MID, "beslutat"),
        SambuStatus::None => (&NONE, "inget team"),
        SambuStatus::Unknown => (&UNKNOWN, "okänt"),
    };
    let known = a
        .sambu(k)
        .filter(|_| s != SambuStatus::Unknown)
        .map(|row| (s.label().to_string(), &row.last_confirmed));
    status_step(a, look, s.code(), known)
}

fn partssamverkan(a: &Atlas, k: usize) -> Step {
    let s = a.parts_status(k);
    let look = match s {
        PartsStatus::Functioning => (&FULL, "fungerar väl"),
        PartsStatus::Established => (&HIGH, "grupp finns"),
        PartsStatus::Forming => (&MID, "bildas"),
        PartsStatus::None => (&NONE, "ingen grupp"),
        PartsStatus::Unknown => (&UNKNOWN, "okänt"),
    };
    let known = a
        .partssamverkan(k)
        .filter(|_| s != PartsStatus::Unknown)
        .map(|row| {
            (
                format!("{}; {}", s.label(), row.action_plan.label()),
                &row.last_confirmed,
            )
        });
    status_step(a, look, s.code(), known)
}

fn adherence(a: &Atlas, k: usize, d: usize) -> Step {
    let row = a.adherence(k, d);
    let s = row.map_or(AdherenceStatus::Unknown, |x| x.status);
    let look = match s {
        AdherenceStatus::Implemented => (&FULL, "infört"),
        AdherenceStatus::InProgress => (&HIGH, "pågår"),
        AdherenceStatus::Adopted => (&MID, "antaget"),
        AdherenceStatus::NotStarted => (&NONE, "inte påbörjat"),
        AdherenceStatus::Unknown => (&UNKNOWN, "okänt"),
    };
    let known = row
        .filter(|_| s != AdherenceStatus::Unknown)
        .map(|x| (s.label().to_string(), &x.date));
    status_step(a, look, s.code(), known)
}

/// Trainings in the last two years. None recorded there is *okänt*, never 0: the data holds
/// trainings that were held, not a count of none.
fn trainings(a: &Atlas, k: usize, since: &PartialDate) -> Step {
    let (rows, older): (Vec<&Training>, Vec<&Training>) =
        a.trainings(k).partition(|t| surely_since(&t.period, since));
    let n = rows.len();
    if n == 0 {
        let periods: Vec<String> = older.iter().map(|t| t.period.to_string()).collect();
        let title = match older.len() {
            0 => "okänt – ingen uppgift om utbildningar".to_string(),
            m => format!(
                "okänt – ingen uppgift om utbildningar sedan {since}; {} {} tidigare",
                count(m, "utbildningstillfälle", "utbildningstillfällen"),
                periods.join(", ")
            ),
        };
        return Step {
            swatch: &UNKNOWN,
            word: "okänt".into(),
            title,
            state: "unknown",
            count: None,
            due: false,
        };
    }
    let swatch = match n {
        1..=2 => &MID,
        3..=4 => &HIGH,
        _ => &FULL,
    };
    let people: u32 = rows.iter().map(|t| t.participants).sum();
    let about = if rows.iter().any(|t| t.approximate) {
        "cirka "
    } else {
        ""
    };
    let due = rows.iter().any(|t| a.due(&t.last_confirmed));
    let flag = if due { " – kan vara inaktuell" } else { "" };
    let periods: Vec<String> = rows.iter().map(|t| t.period.to_string()).collect();
    Step {
        swatch,
        word: count(n, "tillfälle", "tillfällen"),
        title: format!(
            "{} sedan {since} ({}), {about}{people} deltagare{flag}",
            count(n, "utbildningstillfälle", "utbildningstillfällen"),
            periods.join(", ")
        ),
        state: "recorded",
        count: Some(n),
        due,
    }
}

/// Every kommun's steps, in the order of the measures: SAMBU, partssamverkan, each document,
/// trainings.
fn steps(a: &Atlas, k: usize, since: &PartialDate) -> Vec<Step> {
    let mut out = vec![sambu(a, k), partssamverkan(a, k)];
    out.extend((0..a.inventory.documents.len()).map(|d| adherence(a, k, d)));
    out.push(trainings(a, k, since));
    out
}

fn measures(a: &Atlas, since: &PartialDate) -> Vec<Measure> {
    let mut out = vec![
        Measure {
            heading: "SAMBU".into(),
            key: "sambu".into(),
            title: "SAMBU-team".into(),
            full: "SAMBU-team".into(),
        },
        Measure {
            heading: "Partssamverkan".into(),
            key: "partssamverkan".into(),
            title: "partssamverkan".into(),
            full: "partssamverkan".into(),
        },
    ];
    out.extend(
        a.inventory
            .documents
            .iter()
            .enumerate()
            .map(|(i, d)| Measure {
                heading: format!("Dokument {}", i + 1),
                key: format!("adherence:{}", d.slug),
                // The document's title is long: the list under the picture names it by number.
                title: format!("följsamhet till dokument {}", i + 1),
                full: format!("följsamhet till dokument {}: {}", i + 1, d.title),
            }),
    );
    out.push(Measure {
        heading: "SIP-utbildningar".into(),
        key: "trainings".into(),
        title: format!("SIP-utbildningar sedan {since}"),
        full: format!("SIP-utbildningar sedan {since}"),
    });
    out
}

/// How many kommuner are at each step of one measure: "aktivt team 4, okänt 11".
fn tally(rows: &[(String, String, Vec<Step>)], i: usize) -> String {
    let mut seen: Vec<(String, usize)> = Vec::new();
    for (_, _, steps) in rows {
        let word = steps[i].word.clone();
        match seen.iter_mut().find(|(w, _)| *w == word) {
            Some((_, n)) => *n += 1,
            None => seen.push((word, 1)),
        }
    }
    seen.iter()
        .map(|(w, n)| format!("{w} {n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn page(cx: &Cx) -> Markup {
    let a = cx.a;
    let region = &a.inventory.dataset.region().name;
    let since = two_years_before(&cx.today);
    let ms = measures(a, &since);
    let rows: Vec<(String, String, Vec<Step>)> = cx
        .kommuner_by_name()
        .into_iter()
        .map(|k| {
            let kommun = &a.kommuner()[k];
            (
                kommun.name.clone(),
                kommun.code.clone(),
                steps(a, k, &since),
            )
        })
        .collect();
    let n = rows.len();
    let cells = rows.iter().map(|(_, _, st)| st.len()).sum::<usize>();
    let due = rows
        .iter()
        .flat_map(|(_, _, st)| st)
        .filter(|st| st.due)
        .count();
    let totals: Vec<String> = ms
        .iter()
        .enumerate()
        .map(|(i, m)| format!("{}: {}", capital(&m.full), tally(&rows, i)))
        .collect();
    let legend = [
        Key::Swatch(
            &FULL,
            "längst kommet: aktivt team, fungerar väl, infört, 5 eller fler utbildningstillfällen"
                .into(),
        ),
        Key::Swatch(&HIGH, "grupp finns, pågår, 3–4 tillfällen".into()),
        Key::Swatch(
            &MID,
            "beslutat, grupp bildas, antaget, 1–2 tillfällen".into(),
        ),
        Key::Swatch(&NONE, "inget team, ingen grupp, inte påbörjat".into()),
        Key::Swatch(&UNKNOWN, "okänt – uppgift saknas".into()),
    ];
    let parts: Vec<&[(String, String, Vec<Step>)]> = rows.chunks(PART).collect();
    let main = html! {
        h1 { "Lägesbild för " (region) }
        p.ingress {
            "En rad per kommun: SAMBU-team, partssamverkan, följsamhet till de gemensamt beslutade dokumenten och SIP-utbildningar de senaste två åren (sedan " (since) "). "
            "Varje ruta säger läget i ord; mörkare betyder längre kommet. "
            strong { "Okänt" } " (randigt) betyder att uppgift saknas – inte att arbetet saknas."
        }
        ul #lagesbild-summering {
            @for t in &totals { li { (t) "." } }
        }
        section #lagesbild aria-labelledby="h-lagesbild" {
            h2 #h-lagesbild { "Kommunerna i en bild" }
            @if due > 0 {
                p.inaktuell-andel { (due) " av " (cells) " uppgifter i bilden har inte bekräftats på 18 månader och " strong { "kan vara inaktuella" } " (det står vid varje sådan uppgift i tabellen nedanför bilden)." }
            }
            (charts::legend(cx, "lagesbild", &legend))
            @for (i, part) in parts.iter().enumerate() {
                @let grid = Grid {
                    id: format!("lagesbild-{}", i + 1),
                    title: if parts.len() > 1 {
                        format!("Lägesbild för {region}, kommun {}–{} av {n}", i * PART + 1, i * PART + part.len())
                    } else {
                        format!("Lägesbild för {region}")
                    },
                    desc: part.iter().map(|(name, _, steps)| {
                        let facts: Vec<String> = steps.iter().zip(&ms).map(|(s, m)| format!("{}: {}", m.title, s.title)).collect();
                        format!("{name}: {}.", facts.join("; "))
                    }).collect::<Vec<_>>().join(" "),
                    measures: ms.clone(),
                    rows: part.to_vec(),
                };
                div.tabellram.diagramram tabindex="0" role="region" aria-label=(grid.title) {
                    (charts::grid_svg(&grid))
                }
            }
            @if !a.inventory.documents.is_empty() {
                h3 { "Dokumenten" }
                ol #dokumenten {
                    @for d in &a.inventory.documents {
                        li { (d.title) " (" (d.kind.label()) ", " (d.owner) ")" }
                    }
                }
            }
            details.som-tabell {
                summary { "Visa som tabell" }
                (table(&ms, &rows))
            }
        }
        @if !a.inventory.region_facts.is_empty() {
            section #regionen aria-labelledby="h-regionen" {
                h2 #h-regionen { "Uppgifter om hela regionen i källorna" }
                p.forklaring { "Källorna ger ibland bara antal för regionen, utan att namnge kommunerna: då är kommunernas egna rutor okända, men antalet är känt." }
                ul {
                    @for f in &a.inventory.region_facts {
                        li { (f.text) " " (source(cx, &f.source, Some(&f.last_confirmed))) }
                    }
                }
            }
        }
        p.ej-utskrift {
            "Mer: " a href="/oversikt" { "Täckning per kommun och ålder" } " · "
            a href="/?layer=sambu" { "SAMBU på kartan" } " · "
            a href="/api/v1/export/alla?format=xlsx" { "Alla tabeller (Excel, .xlsx)" }
        }
    };
    layout_page(cx, &format!("Lägesbild för {region}"), Script::None, main)
}

/// The same facts as the picture: one row per kommun, each cell's full text.
fn table(ms: &[Measure], rows: &[(String, String, Vec<Step>)]) -> Markup {
    html! {
        div.tabellram tabindex="0" role="region" aria-label="Lägesbilden som tabell" {
            table.staplad #lagesbild-tabell {
                caption { "Lägesbild per kommun" }
                thead { tr {
                    th scope="col" { "Kommun" }
                    @for m in ms { th scope="col" { (capital(&m.full)) } }
                } }
                tbody {
                    @for (name, code, steps) in rows {
                        tr data-kommun=(code) {
                            th scope="row" data-label="Kommun" { a href={ "/kommun/" (code) } { (name) } }
                            @for (s, m) in steps.iter().zip(ms) {
                                td data-label=(m.heading) data-measure=(m.key) data-state=(s.state) {
                                    @if s.swatch == &UNKNOWN { span.tillstand.okant { (s.title) } } @else { (s.title) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_two_years_count_only_a_period_that_surely_reaches_them() {
        let since = two_years_before("2026-12-07");
        assert_eq!(since, PartialDate::Day(2024, 12, 7));
        let counts = |s: &str| surely_since(&Period::parse(s).unwrap(), &since);
        assert!(counts("2025"));
        assert!(counts("2023/2025-01"));
        assert!(counts("2024-12-07"));
        // "2020/2024" may have ended in January 2024: not surely in the last two years.
        assert!(!counts("2020/2024"));
        assert!(!counts("2024-12"));
        assert!(!counts("2024-12-06"));
        assert!(!counts("2022/2023"));
        assert_eq!(
            two_years_before("2024-02-29"),
            PartialDate::Day(2022, 2, 28)
        );
    }
}
