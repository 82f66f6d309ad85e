//! Small pieces of text and markup that several pages print the same way: ages, levels,
//! shares, rounds. Page modules import these rather than each other.

use std::fmt::Write;

use maud::Markup;

use super::Cx;
use super::layout::{age_marker, capital, count};
use crate::coverage::{LevelCoverage, LevelFilter};
use crate::vocabulary::{Level, RoundKind, RoundStatus};

pub fn levels(ls: &[Level]) -> String {
    ls.iter().map(|l| l.label()).collect::<Vec<_>>().join(", ")
}

/// The filters in the order the tables show them: each level, then all levels together.
pub fn level_filters() -> Vec<LevelFilter> {
    Level::ALL
        .iter()
        .map(|l| LevelFilter::Only(*l))
        .chain([LevelFilter::All])
        .collect()
}

pub fn filter_label(f: LevelFilter) -> String {
    match f {
        LevelFilter::All => "Alla nivåer".into(),
        LevelFilter::Only(l) => capital(l.label()),
    }
}

/// "täckt", "inte täckt", "okänt" or "inget program i katalogen" for an age at a level.
pub fn age_state(lc: &LevelCoverage, age: i8) -> Markup {
    age_marker(lc.state(age))
}

/// The share of ages 0–17 covered, saying how many of the rest are *okänt*: "0 %" alone would
/// read as "nothing offered" where nothing is known.
pub fn share(lc: &LevelCoverage) -> String {
    let covered = format!("{} %", (lc.share() * 100.0).round());
    match lc.unknown.years().iter().filter(|a| **a >= 0).count() {
        0 => covered,
        1 => format!("{covered} bekräftat, 1 ålder okänd"),
        n => format!("{covered} bekräftat, {n} åldrar okända"),
    }
}

/// "Svar från 0 av 15 kommuner i Uppföljning 2023/24", and what the public sources add: how much
/// of the shown round rests on answers at all.
pub fn answered_line(cx: &Cx, r: usize) -> String {
    let a = cx.a;
    let round = &a.inventory.rounds[r];
    let n = a.kommuner().len();
    let mut s = match round.kind {
        RoundKind::Survey => format!(
            "Svar från {} av {n} kommuner i {}.",
            a.answered_count(r),
            round.name
        ),
        _ => format!(
            "{}: uppgifter om {} av {n} kommuner.",
            round.name,
            a.answered_count(r)
        ),
    };
    if a.in_progress(r) {
        let _ = write!(s, " {}.", capital(IN_PROGRESS));
    }
    let supplemented = (0..n)
        .filter(|k| (0..a.programmes().len()).any(|p| a.supplementary(*k, r, p)))
        .count();
    if supplemented > 0 {
        let _ = write!(
            s,
            " Offentliga källor ger uppgifter om {}; uppgifter äldre än {} visas som okänt i dag.",
            count(supplemented, "kommun", "kommuner"),
            a.stale_before
        );
    }
    s
}

pub use crate::atlas::IN_PROGRESS;

/// A round in a select or a heading: its name, and what kind of collection it is unless a
/// survey, or that it is still in progress.
pub fn round_option(round: &crate::inventory::Round) -> String {
    match (round.kind, round.status) {
        (RoundKind::Survey, RoundStatus::Open) => format!("{} ({IN_PROGRESS})", round.name),
        (RoundKind::Survey, RoundStatus::Closed) => round.name.clone(),
        (kind, _) => format!("{} ({})", round.name, kind.label()),
    }
}

pub fn level_text(l: Level) -> &'static str {
    match l {
        Level::Universal => "Universell – för alla föräldrar",
        Level::Selective => "Selektiv – vid ökad risk",
        Level::Indicated => "Indikerad – när problem har visat sig",
    }
}

pub fn age_range(min: i8, max: i8) -> String {
    crate::coverage::age_label(min.max(-1), max)
}
