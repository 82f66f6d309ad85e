//! Coverage of the ages 0–17 (and "under graviditeten") by level, from a kommun's answers in one
//! round, keeping apart the gaps that rest only on *okänt* cells.

use serde::Serialize;

use crate::inventory::Programme;
use crate::lang::Lang;
use crate::vocabulary::{AgeState, CellState, Level};

/// The youngest and oldest age coverage is about; -1 is "under graviditeten".
pub const PRENATAL: i8 = -1;
pub const MAX_AGE: i8 = 17;
/// Number of childhood years coverage is measured over (0–17).
pub const YEARS: u32 = 18;

/// A set of ages -1..=17, one bit each.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct AgeSet(u32);

impl AgeSet {
    fn bit(age: i8) -> u32 {
        1 << (age + 1)
    }

    /// The ages `min..=max` clamped to -1..=17 (a programme "0–18 år" covers 0–17).
    pub fn range(min: i8, max: i8) -> AgeSet {
        let (lo, hi) = (min.max(PRENATAL), max.min(MAX_AGE));
        AgeSet((lo..=hi).fold(0, |acc, a| acc | Self::bit(a)))
    }

    pub fn contains(self, age: i8) -> bool {
        (PRENATAL..=MAX_AGE).contains(&age) && self.0 & Self::bit(age) != 0
    }

    pub fn union(self, other: AgeSet) -> AgeSet {
        AgeSet(self.0 | other.0)
    }

    pub fn minus(self, other: AgeSet) -> AgeSet {
        AgeSet(self.0 & !other.0)
    }

    pub fn intersection(self, other: AgeSet) -> AgeSet {
        AgeSet(self.0 & other.0)
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The youngest age in the set ("under graviditeten" first).
    pub fn first(self) -> Option<i8> {
        (self.0 != 0).then(|| self.0.trailing_zeros() as i8 - 1)
    }

    /// The childhood ages (0–17) in the set, ascending.
    pub fn years(self) -> Vec<i8> {
        (0..=MAX_AGE).filter(|a| self.contains(*a)).collect()
    }

    /// The share of the childhood years (0–17) in the set.
    pub fn share(self) -> f64 {
        f64::from(self.years().len() as u32) / f64::from(YEARS)
    }

    /// Maximal runs of consecutive childhood ages in the set.
    pub fn runs(self) -> Vec<(i8, i8)> {
        runs(self.years())
    }

    /// Every age in the set, ascending: -1 ("under graviditeten") and 0–17.
    pub fn ages(self) -> Vec<i8> {
        (PRENATAL..=MAX_AGE).filter(|a| self.contains(*a)).collect()
    }

    /// Maximal runs of consecutive ages in the set, "under graviditeten" (-1) included.
    pub fn spans(self) -> Vec<(i8, i8)> {
        runs(self.ages())
    }
}

fn runs(ages: Vec<i8>) -> Vec<(i8, i8)> {
    let mut runs: Vec<(i8, i8)> = Vec::new();
    for a in ages {
        match runs.last_mut() {
            Some((_, to)) if *to + 1 == a => *to = a,
            _ => runs.push((a, a)),
        }
    }
    runs
}

/// "6–9 år", "6 år", or "under graviditeten".
pub fn age_label(from: i8, to: i8) -> String {
    age_label_in(Lang::Sv, from, to)
}

/// [`age_label`] in `lang` ("6–9 years", "1 year", "during pregnancy").
pub fn age_label_in(lang: Lang, from: i8, to: i8) -> String {
    match (lang, from, to) {
        (Lang::Sv, PRENATAL, PRENATAL) => "under graviditeten".into(),
        (Lang::Sv, PRENATAL, t) => format!("under graviditeten och 0–{t} år"),
        (Lang::Sv, f, t) if f == t => format!("{f} år"),
        (Lang::Sv, f, t) => format!("{f}–{t} år"),
        (Lang::En, PRENATAL, PRENATAL) => "during pregnancy".into(),
        (Lang::En, PRENATAL, t) => format!("during pregnancy and 0–{t} years"),
        (Lang::En, 1, 1) => "1 year".into(),
        (Lang::En, f, t) if f == t => format!("{f} years"),
        (Lang::En, f, t) => format!("{f}–{t} years"),
    }
}

/// The ages of a set as runs: "0–2 år", "0–2 år och 15–17 år", "under graviditeten och 0–2 år".
pub fn ages_label(set: AgeSet) -> String {
    let labels: Vec<String> = set.spans().iter().map(|(f, t)| age_label(*f, *t)).collect();
    crate::lang::join_and(&labels)
}

/// Coverage at one level (or at all levels together).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LevelCoverage {
    /// Ages some offered programme covers.
    pub covered: AgeSet,
    /// Uncovered ages that some programme with an *okänt* cell would cover: gaps that may not be real.
    pub unknown: AgeSet,
    /// Ages that some programme of the catalogue is for (whatever its state): an age outside it
    /// is neither covered nor a confirmed gap, there is simply no programme to offer.
    pub catalogue: AgeSet,
}

/// A maximal run of uncovered ages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Gap {
    pub from: i8,
    pub to: i8,
    pub label: String,
    /// Every age in the gap could be covered by a programme whose status is *okänt*: the gap may
    /// only be missing knowledge, not a missing offer.
    pub rests_on_unknown: bool,
    /// The ages in the gap that rest on *okänt*.
    pub unknown_ages: Vec<i8>,
    /// The ages in the gap that no programme of the catalogue is for at this level.
    pub no_programme_ages: Vec<i8>,
}

impl LevelCoverage {
    pub fn share(&self) -> f64 {
        self.covered.share()
    }

    pub fn gaps(&self) -> Vec<Gap> {
        let uncovered = AgeSet::range(0, MAX_AGE).minus(self.covered);
        uncovered
            .runs()
            .into_iter()
            .map(|(from, to)| {
                let unknown_ages: Vec<i8> =
                    (from..=to).filter(|a| self.unknown.contains(*a)).collect();
                let no_programme_ages: Vec<i8> = (from..=to)
                    .filter(|a| !self.catalogue.contains(*a))
                    .collect();
                Gap {
                    from,
                    to,
                    label: age_label(from, to),
                    rests_on_unknown: unknown_ages.len() == (to - from + 1) as usize,
                    unknown_ages,
                    no_programme_ages,
                }
            })
            .collect()
    }

    /// The state of one age: covered; not covered but possibly by an *okänt* cell; no programme
    /// in the catalogue for it (never a confirmed gap); or not covered.
    pub fn state(&self, age: i8) -> AgeState {
        if self.covered.contains(age) {
            AgeState::Covered
        } else if self.unknown.contains(age) {
            AgeState::Unknown
        } else if !self.catalogue.contains(age) {
            AgeState::NoProgramme
        } else {
            AgeState::NotCovered
        }
    }
}

/// Coverage of one kommun in one round: per level, and for all levels together.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Coverage {
    pub by_level: [LevelCoverage; 3],
    pub all: LevelCoverage,
}

/// A level, or all levels together, as asked for in a query.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LevelFilter {
    All,
    Only(Level),
}

/// Whether a programme is for the age (any age when None) at the level.
pub fn matches(p: &Programme, age: Option<i8>, level: LevelFilter) -> bool {
    level.matches(p) && age.is_none_or(|a| p.age_min <= a && a <= p.age_max)
}

impl LevelFilter {
    pub fn parse(s: &str) -> Result<LevelFilter, String> {
        if s == "all" {
            Ok(LevelFilter::All)
        } else {
            Level::parse(s).map(LevelFilter::Only)
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            LevelFilter::All => "all",
            LevelFilter::Only(l) => l.code(),
        }
    }

    pub fn matches(self, programme: &Programme) -> bool {
        match self {
            LevelFilter::All => true,
            LevelFilter::Only(l) => programme.levels.contains(&l),
        }
    }
}

fn level_index(level: Level) -> usize {
    Level::ALL
        .iter()
        .position(|l| *l == level)
        .expect("every level is in ALL")
}

impl Coverage {
    /// Computes coverage from the catalogue and the state of each programme's cell (same order).
    pub fn compute(programmes: &[Programme], state: impl Fn(usize) -> CellState) -> Coverage {
        let mut c = Coverage::default();
        for (i, p) in programmes.iter().enumerate() {
            let ages = AgeSet::range(p.age_min, p.age_max);
            let cell = state(i);
            for level in &p.levels {
                let lc = &mut c.by_level[level_index(*level)];
                lc.catalogue = lc.catalogue.union(ages);
                match cell {
                    CellState::Offered => lc.covered = lc.covered.union(ages),
                    CellState::Unknown => lc.unknown = lc.unknown.union(ages),
                    CellState::NotOffered => {}
                }
            }
        }
        for lc in &mut c.by_level {
            lc.unknown = lc.unknown.minus(lc.covered);
            c.all.covered = c.all.covered.union(lc.covered);
            c.all.catalogue = c.all.catalogue.union(lc.catalogue);
        }
        let unknown_any = c
            .by_level
            .iter()
            .fold(AgeSet::default(), |acc, lc| acc.union(lc.unknown));
        c.all.unknown = unknown_any.minus(c.all.covered);
        c
    }

    pub fn level(&self, filter: LevelFilter) -> &LevelCoverage {
        match filter {
            LevelFilter::All => &self.all,
            LevelFilter::Only(l) => &self.by_level[level_index(l)],
        }
    }
}

/// The JSON form of one level's coverage.
#[derive(Debug, Serialize)]
pub struct LevelReport {
    pub level: &'static str,
    pub covered_ages: Vec<i8>,
    pub share: f64,
    pub gaps: Vec<Gap>,
    /// Ages not covered where some programme's status is *okänt*.
    pub unknown_ages: Vec<i8>,
    /// "under graviditeten": offered, not_offered, unknown or no_programme.
    pub prenatal: AgeState,
}

impl LevelReport {
    pub fn new(filter: LevelFilter, lc: &LevelCoverage) -> LevelReport {
        LevelReport {
            level: filter.code(),
            covered_ages: lc.covered.years(),
            share: (lc.share() * 1000.0).round() / 1000.0,
            gaps: lc.gaps(),
            unknown_ages: lc.unknown.years(),
            prenatal: lc.state(PRENATAL),
        }
    }
}

/// All four reports (universal, selective, indicated, all) of a coverage.
pub fn reports(c: &Coverage) -> Vec<LevelReport> {
    Level::ALL
        .iter()
        .map(|l| LevelFilter::Only(*l))
        .chain([LevelFilter::All])
        .map(|f| LevelReport::new(f, c.level(f)))
        .collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::dates::Confirmed;
    use crate::vocabulary::Format;

    /// A catalogue programme for hand-made cases (also the planner's).
    pub(crate) fn programme(slug: &str, min: i8, max: i8, levels: &[Level]) -> Programme {
        Programme {
            slug: slug.into(),
            name: slug.into(),
            description: String::new(),
            description_en: String::new(),
            age_min: min,
            age_max: max,
            levels: levels.to_vec(),
            format: Format::Group,
            source_url: "https://example.invalid".into(),
            last_confirmed: Confirmed::Unknown,
            notes: String::new(),
        }
    }

    use Level::*;

    #[test]
    fn covered_ages_gaps_and_share_by_hand() {
        // universal 3–12 offered, universal 13–18 offered → covered 3–17; gap 0–2.
        let ps = [
            programme("abc", 3, 12, &[Universal]),
            programme("tonar", 13, 18, &[Universal]),
        ];
        let c = Coverage::compute(&ps, |_| CellState::Offered);
        let u = c.level(LevelFilter::Only(Universal));
        assert_eq!(u.covered.years(), (3..=17).collect::<Vec<_>>());
        assert!((u.share() - 15.0 / 18.0).abs() < 1e-9);
        let gaps = u.gaps();
        assert_eq!(gaps.len(), 1);
        assert_eq!(
            (gaps[0].from, gaps[0].to, gaps[0].label.as_str()),
            (0, 2, "0–2 år")
        );
        // No programme covers 0–2 at all: the gap is real, not *okänt*.
        assert!(!gaps[0].rests_on_unknown);
        // Nothing at selective or indicated: whole childhood is one gap.
        let s = c.level(LevelFilter::Only(Selective));
        assert_eq!(s.gaps()[0].label, "0–17 år");
        assert_eq!(s.share(), 0.0);
    }

    #[test]
    fn unknown_is_not_not_offered() {
        // Same catalogue; the 0–2 programme is okänt in one kommun and not offered in another.
        let ps = [
            programme("abc", 3, 12, &[Universal]),
            programme("small", 0, 2, &[Universal]),
        ];
        let unknown = Coverage::compute(&ps, |i| {
            if i == 0 {
                CellState::Offered
            } else {
                CellState::Unknown
            }
        });
        let refused = Coverage::compute(&ps, |i| {
            if i == 0 {
                CellState::Offered
            } else {
                CellState::NotOffered
            }
        });
        let gu = unknown.all.gaps();
        let gr = refused.all.gaps();
        // Both have the gaps 0–2 and 13–17; only the first rests on okänt.
        assert_eq!(
            gu.iter().map(|g| g.label.as_str()).collect::<Vec<_>>(),
            ["0–2 år", "13–17 år"]
        );
        assert!(gu[0].rests_on_unknown && !gu[1].rests_on_unknown);
        assert!(!gr[0].rests_on_unknown);
        assert_eq!(unknown.all.state(1), AgeState::Unknown);
        assert_eq!(refused.all.state(1), AgeState::NotCovered);
        assert_eq!(unknown.all.state(5), AgeState::Covered);
        // No programme of this catalogue is for 13–17 or for pregnancy: a neutral state, never
        // "not covered".
        assert_eq!(refused.all.state(14), AgeState::NoProgramme);
        assert_eq!(refused.all.state(PRENATAL), AgeState::NoProgramme);
        assert_eq!(gr[1].no_programme_ages, (13..=17).collect::<Vec<_>>());
    }

    #[test]
    fn mixed_gap_lists_its_unknown_ages_and_multi_level_programmes_count_everywhere() {
        let ps = [
            programme("triple", 0, 16, &[Universal, Selective, Indicated]),
            programme("teen", 15, 17, &[Selective]),
        ];
        let c = Coverage::compute(&ps, |i| {
            if i == 0 {
                CellState::Offered
            } else {
                CellState::Unknown
            }
        });
        for l in Level::ALL {
            assert_eq!(
                c.level(LevelFilter::Only(*l)).covered.years(),
                (0..=16).collect::<Vec<_>>()
            );
        }
        let sel = c.level(LevelFilter::Only(Selective)).gaps();
        assert_eq!(
            (sel[0].from, sel[0].to, sel[0].rests_on_unknown),
            (17, 17, true)
        );
        assert_eq!(sel[0].label, "17 år");
        let uni = c.level(LevelFilter::Only(Universal)).gaps();
        assert!(!uni[0].rests_on_unknown);
        assert!(uni[0].unknown_ages.is_empty());
    }

    #[test]
    fn prenatal_is_reported_apart_from_childhood_years() {
        let ps = [programme("gravid", -1, 0, &[Universal])];
        let c = Coverage::compute(&ps, |_| CellState::Offered);
        assert_eq!(c.all.state(PRENATAL), AgeState::Covered);
        assert_eq!(c.all.covered.years(), vec![0]);
        assert!((c.all.share() - 1.0 / 18.0).abs() < 1e-9);
        assert_eq!(age_label(-1, -1), "under graviditeten");
        assert_eq!(
            age_label_in(Lang::En, -1, 2),
            "during pregnancy and 0–2 years"
        );
        assert_eq!(age_label_in(Lang::En, 13, 18), "13–18 years");
        let none = Coverage::compute(&ps, |_| CellState::NotOffered);
        assert_eq!(none.all.state(PRENATAL), AgeState::NotCovered);
    }
}
