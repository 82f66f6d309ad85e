//! `/jamfor`: kommuner side by side in one round (coverage ages × kommuner per level, offers,
//! SAMBU, partssamverkan, adherence), or kommuner across two rounds (`round=a,b`).

use maud::{Markup, html};

use crate::atlas::Atlas;
use crate::coverage::{LevelFilter, PRENATAL, age_label};
use crate::http::error::RequestError;
use crate::http::params::{self, Params};
use crate::vocabulary::CellState;

use super::Cx;
use super::charts::{change_strip, unanswered};
use super::format::{age_state, filter_label, level_filters, round_option, share};
use super::kommun::round_change;
use super::layout::{Script, page as layout_page, state};

/// What to compare: kommuner, and one round or two.
pub struct Choice {
    pub kommuner: Vec<usize>,
    pub rounds: Vec<usize>,
}

impl Choice {
    /// `kommuner=1496,1494` (or repeated `kommun=` from the form's checkboxes), `round=a` or
    /// `round=a,b`. Errors name the parameter, as the API's do.
    pub fn parse(a: &Atlas, raw: Option<&str>) -> Result<Choice, RequestError> {
        let p = Params::lenient(raw, &["kommuner", "kommun", "round", "embed"], &["kommun"]);
        let codes: Vec<&str> = p
            .get("kommuner")
            .into_iter()
            .chain(p.get_all("kommun"))
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .collect();
        let rounds = rounds(a, &p)?;
        let kommuner = if codes.is_empty() {
            Vec::new()
        } else {
            params::kommuner(a, "kommuner", &codes.join(","))?
        };
        Ok(Choice { kommuner, rounds })
    }

    pub fn key(&self, a: &Atlas) -> String {
        let ks: Vec<&str> = self
            .kommuner
            .iter()
            .map(|k| a.kommuner()[*k].code.as_str())
            .collect();
        format!(
            "kommuner={}&round={}",
            ks.join(","),
            round_ids(a, &self.rounds)
        )
    }
}

/// `round=a` (one round; the default when absent) or `round=a,b` (the change from a to b), as
/// the comparison and the overview take it.
pub fn rounds(a: &Atlas, p: &Params) -> Result<Vec<usize>, RequestError> {
    let rounds = match p.get("round") {
        Some(v) => v
            .split(',')
            .map(|id| params::round(a, "round", id.trim()))
            .collect::<Result<Vec<_>, _>>()?,
        None => vec![a.default_round],
    };
    if rounds.len() > 2 {
        return Err(RequestError::invalid(
            "round: ange en omgång, eller två att jämföra (t.ex. round=kartlaggning-2021,uppfoljning-2024).",
        ));
    }
    Ok(rounds)
}

/// The rounds as the `round` parameter writes them: "a" or "a,b".
pub fn round_ids(a: &Atlas, rounds: &[usize]) -> String {
    let ids: Vec<&str> = rounds
        .iter()
        .map(|r| a.inventory.rounds[*r].id.as_str())
        .collect();
    ids.join(",")
}

/// The options of a round select: each round, then the change between each survey round and the
/// one before it (change is measured between survey rounds, not against source collections).
pub fn round_options(cx: &Cx, chosen: &[usize]) -> Markup {
    let a = cx.a;
    html! {
        @for (r, round) in a.inventory.rounds.iter().enumerate() {
            option value=(round.id) selected[chosen == [r]] { (round_option(cx, round)) }
        }
        @for r in 0..a.inventory.rounds.len() {
            @if let Some(p) = a.previous_survey(r) {
                @let (x, y) = (&a.inventory.rounds[p], &a.inventory.rounds[r]);
                option value={ (x.id) "," (y.id) } selected[chosen == [p, r]] { "Förändring: " (x.name) " → " (y.name) }
            }
        }
    }
}

pub fn page(cx: &Cx, c: &Choice) -> Markup {
    let a = cx.a;
    let names: Vec<&str> = c
        .kommuner
        .iter()
        .map(|k| a.kommuner()[*k].name.as_str())
        .collect();
    let main = html! {
        h1 { "Jämför kommuner" }
        p.ingress { "Välj två eller flera kommuner för att se dem sida vid sida, eller en kommun och två omgångar för att se vad som har ändrats." }
        (form(cx, c))
        @if !c.kommuner.is_empty() { p.ej-utskrift { button #skriv-ut type="button" hidden { "Skriv ut rapport" } } }
        @match (c.kommuner.len(), c.rounds.as_slice()) {
            (0, _) => p { "Välj minst en kommun ovan." },
            (_, [from, to]) => {
                h2 { "Förändring från " (round_option(cx, &a.inventory.rounds[*from])) " till " (round_option(cx, &a.inventory.rounds[*to])) }
                @for k in &c.kommuner {
                    section.jamforelse aria-labelledby={ "h-" (a.kommuner()[*k].code) } {
                        h3 id={ "h-" (a.kommuner()[*k].code) } { a href={ "/kommun/" (a.kommuner()[*k].code) } { (a.kommuner()[*k].name) } }
                        @if unanswered(a, *k, &[*from, *to]).is_empty() { (change_strip(cx, *k, *from, *to)) }
                        (round_change(cx, *k, *from, *to))
                    }
                }
            }
            (_, rs) => {
                @let r = &rs[0];
                h2 { (names.join(", ")) " – " (round_option(cx, &a.inventory.rounds[*r])) }
                (side_by_side(cx, &c.kommuner, *r))
            }
        }
    };
    layout_page(cx, "Jämför kommuner", Script::None, main)
}

fn form(cx: &Cx, c: &Choice) -> Markup {
    let a = cx.a;
    let ks = cx.kommuner_by_name();
    html! {
        form #jamfor-val.ej-utskrift method="get" action="/jamfor" {
            fieldset {
                legend { "Kommuner" }
                ul.kryssrutor {
                    @for k in ks {
                        @let code = &a.kommuner()[k].code;
                        li {
                            input type="checkbox" name="kommun" value=(code) id={ "j-" (code) } checked[c.kommuner.contains(&k)];
                            label for={ "j-" (code) } { (a.kommuner()[k].name) }
                        }
                    }
                }
            }
            div.falt {
                label for="j-omgang" { "Omgång" }
                select #j-omgang name="round" { (round_options(cx, &c.rounds)) }
            }
            @if cx.embed { input type="hidden" name="embed" value="1"; }
            div.falt.knappar { button type="submit" { "Jämför" } }
        }
    }
}

fn side_by_side(cx: &Cx, ks: &[usize], r: usize) -> Markup {
    let a = cx.a;
    let programmes: Vec<usize> = (0..a.programmes().len())
        .filter(|p| {
            ks.iter()
                .any(|k| a.cell_state(*k, r, *p) != CellState::Unknown)
        })
        .collect();
    html! {
        div.tabellram tabindex="0" role="region" aria-label="Sammanfattning per kommun" {
            table #sammanfattning {
                caption { "Sammanfattning" }
                thead { tr { th scope="col" { "Vad" } @for k in ks { th scope="col" { (a.kommuner()[*k].name) } } } }
                tbody {
                    tr { th scope="row" { "Program: erbjuds / okänt / erbjuds inte" }
                        @for k in ks { @let [o, n, u] = a.counts(*k, r, |_| true); td { (o) " / " (u) " / " (n) } } }
                    @for f in level_filters() {
                        tr { th scope="row" { "Täckning 0–17 år, " (filter_label(cx, f).to_lowercase()) }
                            @for k in ks { td { (share(cx, a.coverage(*k, r).level(f))) } } }
                    }
                    tr { th scope="row" { "SAMBU-team" } @for k in ks { td { (a.sambu_status(*k).label()) } } }
                    tr { th scope="row" { "Partssamverkan" } @for k in ks { td { (a.parts_status(*k).label()) } } }
                    @for (d, doc) in a.inventory.documents.iter().enumerate() {
                        tr { th scope="row" { "Följsamhet: " (doc.title) }
                            @for k in ks { td { (a.adherence(*k, d).map_or("okänt", |x| x.status.label())) } } }
                    }
                }
            }
        }
        h3 { "Täckning per ålder" }
        @for f in level_filters() {
            (age_grid(cx, ks, r, f))
        }
        h3 { "Program" }
        @if programmes.is_empty() {
            p { "Inget program har någon uppgift för de valda kommunerna i omgången: alla är " strong { "okända" } "." }
        } @else {
            div.tabellram tabindex="0" role="region" aria-label="Program per kommun" {
                table {
                    caption { "Program med uppgift i någon av kommunerna" }
                    thead { tr { th scope="col" { "Program" } @for k in ks { th scope="col" { (a.kommuner()[*k].name) } } } }
                    tbody {
                        @for p in &programmes {
                            tr { th scope="row" { a href={ "/program/" (a.programmes()[*p].slug) } { (a.programmes()[*p].name) } }
                                @for k in ks { td { (state(a.cell_state(*k, r, *p))) } } }
                        }
                    }
                }
            }
            p { "Övriga " (a.programmes().len() - programmes.len()) " program är okända i alla de valda kommunerna." }
        }
    }
}

fn age_grid(cx: &Cx, ks: &[usize], r: usize, f: LevelFilter) -> Markup {
    let a = cx.a;
    let caption = format!("Täckning per ålder: {}", filter_label(cx, f).to_lowercase());
    html! {
        div.tabellram tabindex="0" role="region" aria-label=(caption) {
            table.tackning {
                caption { (caption) }
                thead { tr { th scope="col" { "Ålder" } @for k in ks { th scope="col" { (a.kommuner()[*k].name) } } } }
                tbody {
                    @for age in PRENATAL..=17 {
                        tr { th scope="row" { (age_label(age, age)) }
                            @for k in ks { td { (age_state(cx, a.coverage(*k, r).level(f), age)) } } }
                    }
                }
            }
        }
    }
}
