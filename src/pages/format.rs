//! Small pieces of text and markup that several pages print the same way: ages, levels,
//! shares, rounds. Page modules import these rather than each other.

use maud::{Markup, html};

use super::Cx;
use super::layout::{age_marker, capital, count};
use crate::coverage::{LevelCoverage, LevelFilter};
use crate::lang::Lang;
use crate::vocabulary::{Level, RoundKind, RoundStatus};

pub fn levels(cx: &Cx, ls: &[Level]) -> String {
    ls.iter()
        .map(|l| l.label_in(cx.lang))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The filters in the order the tables show them: each level, then all levels together.
pub fn level_filters() -> Vec<LevelFilter> {
    Level::ALL
        .iter()
        .map(|l| LevelFilter::Only(*l))
        .chain([LevelFilter::All])
        .collect()
}

pub fn filter_label(cx: &Cx, f: LevelFilter) -> String {
    match f {
        LevelFilter::All => cx.t("Alla nivåer", "All levels").into(),
        LevelFilter::Only(l) => capital(l.label_in(cx.lang)),
    }
}

/// "täckt", "inte täckt", "okänt" or "inget program i katalogen" for an age at a level.
pub fn age_state(cx: &Cx, lc: &LevelCoverage, age: i8) -> Markup {
    age_marker(cx.lang, lc.state(age))
}

/// The share of ages 0–17 covered, saying how many of the rest are *okänt*: "0 %" alone would
/// read as "nothing offered" where nothing is known.
pub fn share(cx: &Cx, lc: &LevelCoverage) -> String {
    let covered = format!("{} %", (lc.share() * 100.0).round());
    let unknown = lc.unknown.years().iter().filter(|a| **a >= 0).count();
    match (cx.lang, unknown) {
        (_, 0) => covered,
        (Lang::Sv, 1) => format!("{covered} bekräftat, 1 ålder okänd"),
        (Lang::Sv, n) => format!("{covered} bekräftat, {n} åldrar okända"),
        (Lang::En, 1) => format!("{covered} confirmed, 1 age unknown"),
        (Lang::En, n) => format!("{covered} confirmed, {n} ages unknown"),
    }
}

/// "Svar från 0 av 15 kommuner i Uppföljning 2023/24", and what the public sources add: how much
/// of the shown round rests on answers at all.
pub fn answered_line(cx: &Cx, r: usize) -> Markup {
    let a = cx.a;
    let round = &a.inventory.rounds[r];
    let n = a.kommuner().len();
    let answered = a.answered_count(r);
    let supplemented = (0..n)
        .filter(|k| (0..a.programmes().len()).any(|p| a.supplementary(*k, r, p)))
        .count();
    let name = cx.sv(&round.name);
    html! {
        @match (cx.lang, round.kind) {
            (Lang::Sv, RoundKind::Survey) => { "Svar från " (answered) " av " (n) " kommuner i " (name) "." }
            (Lang::Sv, _) => { (name) ": uppgifter om " (answered) " av " (n) " kommuner." }
            (Lang::En, RoundKind::Survey) => { "Answers from " (answered) " of " (n) " kommuns in " (name) "." }
            (Lang::En, _) => { (name) ": information about " (answered) " of " (n) " kommuns." }
        }
        @if a.in_progress(r) { " " (capital(in_progress(cx))) "." }
        @if supplemented > 0 {
            @match cx.lang {
                Lang::Sv => {
                    " Offentliga källor ger uppgifter om " (count(supplemented, "kommun", "kommuner"))
                    "; uppgifter äldre än " (a.stale_before) " visas som okänt i dag."
                }
                Lang::En => {
                    " Public sources give information about " (count(supplemented, "kommun", "kommuns"))
                    "; information older than " (a.stale_before) " is shown as unknown today."
                }
            }
        }
    }
}

pub use crate::atlas::IN_PROGRESS;

/// "pågående omgång – svaren är inte klara", in the page's language.
pub fn in_progress(cx: &Cx) -> &'static str {
    cx.t(IN_PROGRESS, crate::atlas::IN_PROGRESS_EN)
}

/// What a round is unless a closed survey: still in progress, or what kind of collection.
fn round_kind(cx: &Cx, round: &crate::inventory::Round) -> Option<&'static str> {
    match (round.kind, round.status) {
        (RoundKind::Survey, RoundStatus::Open) => Some(in_progress(cx)),
        (RoundKind::Survey, RoundStatus::Closed) => None,
        (kind, _) => Some(kind.label_in(cx.lang)),
    }
}

/// A round in a select or a title: its name, and what kind of collection it is unless a
/// survey, or that it is still in progress.
pub fn round_option(cx: &Cx, round: &crate::inventory::Round) -> String {
    match round_kind(cx, round) {
        Some(kind) => format!("{} ({kind})", round.name),
        None => round.name.clone(),
    }
}

/// `lang="sv"` for a round's option on an English page where the option is the (Swedish) name
/// alone.
pub fn round_option_lang(cx: &Cx, round: &crate::inventory::Round) -> Option<&'static str> {
    (cx.lang == Lang::En && round_kind(cx, round).is_none()).then_some("sv")
}

/// [`round_option`] in running text, where the round's (Swedish) name is marked as such.
pub fn round_title(cx: &Cx, round: &crate::inventory::Round) -> Markup {
    html! {
        (cx.sv(&round.name))
        @if let Some(kind) = round_kind(cx, round) { " (" (kind) ")" }
    }
}

pub fn level_text(cx: &Cx, l: Level) -> &'static str {
    match l {
        Level::Universal => cx.t(
            "Universell – för alla föräldrar",
            "Universal – for all parents",
        ),
        Level::Selective => cx.t(
            "Selektiv – vid ökad risk",
            "Selective – where the risk is higher",
        ),
        Level::Indicated => cx.t(
            "Indikerad – när problem har visat sig",
            "Indicated – when problems have already shown",
        ),
    }
}

pub fn age_range(cx: &Cx, min: i8, max: i8) -> String {
    crate::coverage::age_label_in(cx.lang, min.max(-1), max)
}
