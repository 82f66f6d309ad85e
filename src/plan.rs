//! The gap planner: for one kommun, round and level, every gap (a maximal run of ages without a
//! confirmed programme) and what it rests on, the catalogue programmes that would cover it,
//! which kommuner of the region already run each (the chance to run it together across the
//! border), the answers that would settle the gaps resting on *okänt*, and the smallest set of
//! programmes that would close every gap the catalogue can close. Built on the snapshot's
//! [`Coverage`](crate::coverage::Coverage): nothing here computes coverage a second way.
//!
//! A plan is made for one level at a time. At "all levels" an age counts as covered by a
//! programme of any level, so a programme for children who already have problems (indicated)
//! would "close" a gap for all parents (universal): not a plan anyone could follow. The API and
//! the page therefore take `universal`, `selective` or `indicated`, never `all`. Pregnancy
//! ("under graviditeten") is planned for only where the catalogue has a programme for it at the
//! level, as a gap of its own; shares are of the childhood years 0–17, as everywhere.
//!
//! Two choices, made here once:
//! - **Distance** between two kommuner is the great-circle distance between their label points
//!   (the point inside the kommun the map labels it at: the centroid of its largest part when
//!   that lies inside), in km. Neighbours (a shared border in the geography) come first, each
//!   group nearest first.
//! - **The smallest set** is exact ([`smallest_cover`]). Among sets of the same size the one
//!   whose programmes come first in this order wins: a programme a neighbour already runs, then
//!   one more kommuner run, then catalogue order.

use std::collections::HashMap;

use geo::{Distance, Haversine, Point};

use crate::atlas::Atlas;
use crate::coverage::{
    AgeSet, LevelCoverage, LevelFilter, MAX_AGE, PRENATAL, age_label, ages_label,
};
use crate::inventory::{Contact, Programme};
use crate::lang::Lang;
use crate::vocabulary::{CellState, ContactKind, Level, vocabulary};

vocabulary!(
    /// What a gap rests on, judged on its ages that some catalogue programme at the level is for.
    GapKind {
        Confirmed = "confirmed": "bekräftad lucka" / "confirmed gap",
        Unknown = "unknown": "kanske ingen lucka – svaret saknas" / "perhaps no gap – the answer is missing",
        PartlyUnknown = "partly_unknown": "delvis okänt – svaret saknas för en del av åldrarna" / "partly unknown – the answer is missing for some of the ages",
        NoProgramme = "no_programme": "inget program i katalogen – ingen brist i kommunen" / "no programme in the catalogue – not a shortcoming of the kommun",
    }
);

/// One gap of a plan.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanGap {
    pub from: i8,
    pub to: i8,
    pub kind: GapKind,
    /// Its ages some programme with status okänt would cover: they may be covered already.
    pub unknown: AgeSet,
    /// Its ages no programme of the catalogue at the level is for: no plan can close them.
    pub no_programme: AgeSet,
    /// The candidates (indexes into [`Plan::candidates`]) that would cover part or all of it.
    pub programmes: Vec<usize>,
    /// The okänt candidates whose answers decide whether its unknown ages are a gap.
    pub settle: Vec<usize>,
}

impl PlanGap {
    pub fn ages(&self) -> AgeSet {
        AgeSet::range(self.from, self.to)
    }

    pub fn label(&self) -> String {
        age_label(self.from, self.to)
    }

    /// Its ages that are surely not covered: some programme is for them and none of those is
    /// offered or okänt.
    pub fn confirmed(&self) -> AgeSet {
        self.ages().minus(self.unknown).minus(self.no_programme)
    }
}

/// A programme of the catalogue at the level, not offered in the kommun, that would cover some
/// uncovered age.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// The programme's index in the catalogue.
    pub p: usize,
    /// Okänt or erbjuds inte in the kommun.
    pub state: CellState,
    /// The uncovered ages it would cover.
    pub covers: AgeSet,
    /// The other kommuner of the region that offer it in the round, neighbours first, then by
    /// distance.
    pub offered_in: Vec<Offer>,
}

impl Candidate {
    pub fn neighbour_runs(&self) -> bool {
        self.offered_in.iter().any(|o| o.neighbour)
    }

    /// Okänt in the kommun: it may already be offered ("kanske redan erbjuds – bekräfta först").
    pub fn confirm_first(&self) -> bool {
        self.state == CellState::Unknown
    }
}

/// A kommun that offers a candidate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Offer {
    pub k: usize,
    /// It shares a border with the planning kommun.
    pub neighbour: bool,
    /// Between the two kommuners' label points; None where a shape has no label point.
    pub km: Option<f64>,
}

/// The smallest set of candidates that would cover every uncovered age the catalogue can cover.
#[derive(Debug, Clone, PartialEq)]
pub struct Cover {
    /// Indexes into [`Plan::candidates`], in the order of preference.
    pub chosen: Vec<usize>,
    /// The ages covered with them (those covered now included).
    pub after: AgeSet,
    /// Uncovered ages no programme of the catalogue at the level is for.
    pub unreachable: AgeSet,
}

/// The plan of one kommun, round and level.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub level: Level,
    /// The level's coverage, as the snapshot has it.
    pub coverage: LevelCoverage,
    pub gaps: Vec<PlanGap>,
    /// Every programme that would cover some uncovered age, in catalogue order.
    pub candidates: Vec<Candidate>,
    pub cover: Cover,
}

impl Plan {
    /// The plan for kommun `k` in round `r` at a level.
    pub fn new(a: &Atlas, k: usize, r: usize, level: Level) -> Plan {
        let lc = a.coverage(k, r).level(LevelFilter::Only(level));
        plan(
            a.programmes(),
            lc,
            level,
            |p| a.cell_state(k, r, p),
            |p| offered_in(a, k, r, p),
        )
    }

    /// The plans of the three levels.
    pub fn levels(a: &Atlas, k: usize, r: usize) -> Vec<Plan> {
        Level::ALL.iter().map(|l| Plan::new(a, k, r, *l)).collect()
    }

    /// The names of candidates, as prose ("ABC 0–2 år och Marte Meo"); `programmes` is the
    /// catalogue the plan was made from.
    pub fn names(&self, programmes: &[Programme], cs: &[usize], lang: Lang) -> String {
        let names: Vec<String> = cs
            .iter()
            .map(|c| programmes[self.candidates[*c].p].name.clone())
            .collect();
        lang.join(&names)
    }

    /// The chosen candidates that are okänt in the kommun: to confirm before anything is started.
    pub fn confirm_first(&self) -> Vec<usize> {
        self.cover
            .chosen
            .iter()
            .copied()
            .filter(|c| self.candidates[*c].confirm_first())
            .collect()
    }

    /// The plan in one sentence: "Med ABC 0–2 år täcks 0–17 år universellt: 83 % → 100 %.",
    /// with what to confirm first and the ages no programme can reach.
    pub fn summary(&self, programmes: &[Programme], lang: Lang) -> String {
        let level = self.level.label_in(lang);
        let adverb = match lang {
            Lang::Sv => level_adverb(self.level),
            Lang::En => "",
        };
        let before = percent(self.coverage.share());
        if self.gaps.is_empty() {
            return match lang {
                Lang::Sv => format!("Inga luckor: alla åldrar 0–17 år täcks {adverb} ({before})."),
                Lang::En => format!("No gaps: every age 0–17 is covered ({before})."),
            };
        }
        let unreachable = self.cover.unreachable;
        let unreachable = match lang {
            _ if unreachable.is_empty() => String::new(),
            Lang::Sv => format!(
                " Inget program i katalogen på {level} nivå är för {} – ingen brist i kommunen.",
                ages_label(unreachable)
            ),
            Lang::En => format!(
                " No programme in the catalogue at the {level} level is for {} – not a \
                 shortcoming of the kommun.",
                ages_en(unreachable)
            ),
        };
        if self.cover.chosen.is_empty() {
            return match lang {
                Lang::Sv => format!(
                    "Inget program i katalogen kan täcka luckorna {adverb} (i dag {before}).{unreachable}"
                ),
                Lang::En => format!(
                    "No programme in the catalogue can cover the gaps (covered today: \
                     {before}).{unreachable}"
                ),
            };
        }
        let confirm = self.confirm_first();
        let confirm = match lang {
            _ if confirm.is_empty() => String::new(),
            Lang::Sv => format!(
                " {} kanske redan erbjuds – bekräfta först.",
                self.names(programmes, &confirm, lang)
            ),
            Lang::En => format!(
                " {} may already be offered – confirm first.",
                self.names(programmes, &confirm, lang)
            ),
        };
        let (chosen, after) = (
            self.names(programmes, &self.cover.chosen, lang),
            percent(self.cover.after.share()),
        );
        match lang {
            Lang::Sv => format!(
                "Med {chosen} täcks {} {adverb}: {before} → {after}.{confirm}{unreachable}",
                ages_label(self.cover.after)
            ),
            Lang::En => format!(
                "With {chosen}, {} covered at the {level} level: {before} → {after}.{confirm}{unreachable}",
                ages_en(self.cover.after)
            ),
        }
    }

    /// "Ett svar från Tibro om ABC 0–2 år och Lilla ABC avgör om 0–2 år är en lucka.", for a gap
    /// with ages resting on okänt.
    pub fn settle_text(
        &self,
        programmes: &[Programme],
        kommun: &str,
        g: &PlanGap,
    ) -> Option<String> {
        (!g.settle.is_empty()).then(|| {
            let what = if g.settle.len() == 1 {
                "Ett svar"
            } else {
                "Svar"
            };
            format!(
                "{what} från {kommun} om {} avgör om {} är en lucka.",
                self.names(programmes, &g.settle, Lang::Sv),
                ages_label(g.unknown)
            )
        })
    }
}

/// "universellt", "selektivt", "indikerat".
pub fn level_adverb(level: Level) -> &'static str {
    match level {
        Level::Universal => "universellt",
        Level::Selective => "selektivt",
        Level::Indicated => "indikerat",
    }
}

/// "ages 0–2 and 15–17", "pregnancy and ages 0–2": [`ages_label`] in English.
fn ages_en(set: AgeSet) -> String {
    let items: Vec<String> = set
        .spans()
        .iter()
        .map(|(from, to)| match (*from, *to) {
            (PRENATAL, PRENATAL) => "pregnancy".to_string(),
            (PRENATAL, t) => format!("pregnancy and ages 0–{t}"),
            (f, t) if f == t => format!("age {f}"),
            (f, t) => format!("ages {f}–{t}"),
        })
        .collect();
    Lang::En.join(&items)
}

/// "83 %": a share of the childhood years, as the pages round it.
pub fn percent(share: f64) -> String {
    format!("{} %", (share * 100.0).round())
}

/// The plan of one level from the catalogue, the level's coverage, the state of each
/// programme in the kommun, and who else offers it.
pub fn plan(
    programmes: &[Programme],
    lc: &LevelCoverage,
    level: Level,
    state: impl Fn(usize) -> CellState,
    offered_in: impl Fn(usize) -> Vec<Offer>,
) -> Plan {
    // The childhood years not covered; pregnancy too where the catalogue has a programme for it.
    let mut uncovered = AgeSet::range(0, MAX_AGE).minus(lc.covered);
    if lc.catalogue.contains(PRENATAL) && !lc.covered.contains(PRENATAL) {
        uncovered = uncovered.union(AgeSet::range(PRENATAL, PRENATAL));
    }
    let closable = uncovered.intersection(lc.catalogue);

    let candidates: Vec<Candidate> = programmes
        .iter()
        .enumerate()
        .filter(|(_, prog)| prog.levels.contains(&level))
        .filter_map(|(p, prog)| {
            let s = state(p);
            let covers = AgeSet::range(prog.age_min, prog.age_max).intersection(closable);
            (s != CellState::Offered && !covers.is_empty()).then(|| Candidate {
                p,
                state: s,
                covers,
                offered_in: offered_in(p),
            })
        })
        .collect();

    // Pregnancy is a gap of its own, so the childhood gaps are the coverage's own runs.
    let prenatal = uncovered.contains(PRENATAL).then_some((PRENATAL, PRENATAL));
    let gaps = prenatal
        .into_iter()
        .chain(uncovered.runs())
        .map(|(from, to)| {
            let ages = AgeSet::range(from, to);
            let unknown = ages.intersection(lc.unknown);
            let reachable = ages.intersection(lc.catalogue);
            let kind = if reachable.is_empty() {
                GapKind::NoProgramme
            } else if reachable.minus(unknown).is_empty() {
                GapKind::Unknown
            } else if unknown.is_empty() {
                GapKind::Confirmed
            } else {
                GapKind::PartlyUnknown
            };
            let touching = |set: AgeSet| {
                (0..candidates.len())
                    .filter(|c| !candidates[*c].covers.intersection(set).is_empty())
                    .collect::<Vec<_>>()
            };
            let settle = touching(unknown)
                .into_iter()
                .filter(|c| candidates[*c].state == CellState::Unknown)
                .collect();
            PlanGap {
                from,
                to,
                kind,
                unknown,
                no_programme: ages.minus(lc.catalogue),
                programmes: touching(ages),
                settle,
            }
        })
        .collect();

    // The candidates in the order of preference (see the module documentation).
    let mut order: Vec<usize> = (0..candidates.len()).collect();
    order.sort_by_key(|c| {
        let c = &candidates[*c];
        (
            !c.neighbour_runs(),
            std::cmp::Reverse(c.offered_in.len()),
            c.p,
        )
    });
    let sets: Vec<AgeSet> = order.iter().map(|c| candidates[*c].covers).collect();
    // Every closable age is some candidate's: the catalogue has a programme for it at the
    // level, and no such programme is offered (else the age would be covered).
    let chosen: Vec<usize> = smallest_cover(closable, &sets)
        .unwrap_or_default()
        .into_iter()
        .map(|i| order[i])
        .collect();
    let after = chosen
        .iter()
        .fold(lc.covered, |acc, c| acc.union(candidates[*c].covers));
    Plan {
        level,
        coverage: *lc,
        gaps,
        cover: Cover {
            chosen,
            after,
            unreachable: uncovered.minus(lc.catalogue),
        },
        candidates,
    }
}

/// The fewest of `sets` whose union holds `need`, as indexes into `sets` in ascending order;
/// of several such, the first when they are compared index by index (with the sets in order of
/// preference: the one whose most preferred set is most preferred, and so on). None when the
/// sets together miss some age of `need`.
///
/// Exact, not greedy: every cover holds a set with the youngest age still needed, so each step
/// tries each such set and asks for the best cover of what is left, remembered per set of ages
/// left. (Adding the same index to two equally long sorted lists keeps their order, so the
/// best cover of the rest gives the best cover of the whole.) With at most 19 ages and sets
/// that are ranges of ages it visits a few hundred sets of ages.
pub fn smallest_cover(need: AgeSet, sets: &[AgeSet]) -> Option<Vec<usize>> {
    fn best(
        need: AgeSet,
        sets: &[AgeSet],
        memo: &mut HashMap<AgeSet, Option<Vec<usize>>>,
    ) -> Option<Vec<usize>> {
        let Some(youngest) = need.first() else {
            return Some(Vec::new());
        };
        if let Some(known) = memo.get(&need) {
            return known.clone();
        }
        let mut found: Option<Vec<usize>> = None;
        for (i, set) in sets.iter().enumerate() {
            if !set.contains(youngest) {
                continue;
            }
            if let Some(mut rest) = best(need.minus(*set), sets, memo) {
                // A smallest cover of the rest never holds `set` (it adds nothing there).
                rest.insert(rest.partition_point(|j| *j < i), i);
                if found
                    .as_ref()
                    .is_none_or(|f| (rest.len(), &rest) < (f.len(), f))
                {
                    found = Some(rest);
                }
            }
        }
        memo.insert(need, found.clone());
        found
    }
    best(need, sets, &mut HashMap::new())
}

/// The other kommuner of the region that offer programme `p` in round `r`: neighbours of `k`
/// first, then the others, each group by distance (then kommunkod).
pub fn offered_in(a: &Atlas, k: usize, r: usize, p: usize) -> Vec<Offer> {
    let here = &a.kommuner()[k];
    let mut out: Vec<Offer> = (0..a.kommuner().len())
        .filter(|j| *j != k && a.cell_state(*j, r, p) == CellState::Offered)
        .map(|j| Offer {
            k: j,
            neighbour: here.neighbours.iter().any(|(n, _)| *n == j),
            km: distance_km(here.label, a.kommuner()[j].label),
        })
        .collect();
    out.sort_by(|x, y| {
        (!x.neighbour)
            .cmp(&!y.neighbour)
            .then(
                x.km.unwrap_or(f64::INFINITY)
                    .total_cmp(&y.km.unwrap_or(f64::INFINITY)),
            )
            .then(x.k.cmp(&y.k))
    });
    out
}

/// Great-circle distance between two (lon, lat) points in km; None when either is missing.
fn distance_km(a: (f64, f64), b: (f64, f64)) -> Option<f64> {
    let d = Haversine.distance(Point::new(a.0, a.1), Point::new(b.0, b.1)) / 1000.0;
    d.is_finite().then_some(d)
}

/// Where to ask about a kommun's offering.
#[derive(Debug, Clone, Copy)]
pub enum Ask<'a> {
    /// The offering's own contact (its `contact_url`).
    Offering(&'a str),
    /// The kommun's contact for parents, familjecentral first, where the offering has none.
    Kommun(&'a Contact),
}

/// The contact for programme `p` in kommun `k`, round `r`.
pub fn contact(a: &Atlas, k: usize, r: usize, p: usize) -> Option<Ask<'_>> {
    match a.offering(k, r, p).map(|o| o.contact_url.as_str()) {
        Some(url) if !url.is_empty() => Some(Ask::Offering(url)),
        _ => a
            .contacts(k)
            // A familjecentral a source names without a page cannot be linked to.
            .filter(|c| !c.url.is_empty())
            .min_by_key(|c| c.kind != ContactKind::Familjecentral)
            .map(Ask::Kommun),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coverage::Coverage;
    use crate::coverage::tests::programme;
    use CellState::*;
    use Level::*;

    fn ages(from: i8, to: i8) -> AgeSet {
        AgeSet::range(from, to)
    }

    /// A plan of a synthetic catalogue: states in catalogue order, nobody else offers anything
    /// unless `offers` says so (programme index → the offers).
    fn plan_of(
        ps: &[Programme],
        states: &[CellState],
        level: Level,
        offers: &[(usize, Offer)],
    ) -> Plan {
        let c = Coverage::compute(ps, |p| states[p]);
        plan(
            ps,
            c.level(LevelFilter::Only(level)),
            level,
            |p| states[p],
            |p| {
                offers
                    .iter()
                    .filter(|(q, _)| *q == p)
                    .map(|(_, o)| *o)
                    .collect()
            },
        )
    }

    fn offer(k: usize, neighbour: bool, km: f64) -> Offer {
        Offer {
            k,
            neighbour,
            km: Some(km),
        }
    }

    /// Greedy set cover (largest new part first, first on ties): what the exact cover must beat.
    fn greedy(need: AgeSet, sets: &[AgeSet]) -> Vec<usize> {
        let mut left = need;
        let mut out = Vec::new();
        while !left.is_empty() {
            let (i, _) = sets
                .iter()
                .enumerate()
                .max_by_key(|(i, s)| (s.intersection(left).years().len(), std::cmp::Reverse(*i)))
                .unwrap();
            out.push(i);
            left = left.minus(sets[i]);
        }
        out
    }

    #[test]
    fn the_exact_cover_beats_greedy_where_greedy_is_not_optimal() {
        // Universe {0..5}; A = {0,1,2}, B = {3,4,5}, C = {1,2,3,4}. Greedy takes C (4 new ages),
        // then A (for 0) and B (for 5): 3 sets. The optimum is {A, B}: 2.
        let (a, b, c) = (ages(0, 2), ages(3, 5), ages(1, 4));
        let sets = [c, a, b];
        assert_eq!(greedy(ages(0, 5), &sets), vec![0, 1, 2]);
        assert_eq!(smallest_cover(ages(0, 5), &sets), Some(vec![1, 2]));
        // The same through a plan: C first in the catalogue, all three erbjuds inte; 6–17
        // offered by a fourth programme.
        let ps = [
            programme("c", 1, 4, &[Universal]),
            programme("a", 0, 2, &[Universal]),
            programme("b", 3, 5, &[Universal]),
            programme("rest", 6, 17, &[Universal]),
        ];
        let p = plan_of(
            &ps,
            &[NotOffered, NotOffered, NotOffered, Offered],
            Universal,
            &[],
        );
        let chosen: Vec<&str> = p
            .cover
            .chosen
            .iter()
            .map(|c| ps[p.candidates[*c].p].slug.as_str())
            .collect();
        assert_eq!(chosen, ["a", "b"]);
        assert_eq!(p.cover.after, ages(0, 17));
        assert_eq!(
            (percent(p.coverage.share()), percent(p.cover.after.share())),
            ("67 %".into(), "100 %".into())
        );
        // One confirmed gap, 0–5; all three programmes would cover part of it.
        assert_eq!(p.gaps.len(), 1);
        assert_eq!(
            (p.gaps[0].label(), p.gaps[0].kind),
            ("0–5 år".into(), GapKind::Confirmed)
        );
        assert_eq!(p.gaps[0].programmes, vec![0, 1, 2]);
        assert!(p.gaps[0].settle.is_empty());
    }

    #[test]
    fn the_cover_is_the_first_smallest_of_every_subset_on_random_families() {
        // Against brute force over every subset of 10 random ranges (a fixed LCG, so the test
        // is the same on every run): the same size, and the first in index order.
        let mut seed: u64 = 0x5eed;
        let mut next = |n: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((seed >> 33) % n) as i8
        };
        for _ in 0..300 {
            let sets: Vec<AgeSet> = (0..10)
                .map(|_| {
                    let from = next(14);
                    ages(from, from + next(5))
                })
                .collect();
            let need =
                ages(0, 12).intersection(sets.iter().fold(AgeSet::default(), |a, s| a.union(*s)));
            let brute = (0u32..1 << sets.len())
                .map(|m| {
                    (0..sets.len())
                        .filter(|i| m & (1 << i) != 0)
                        .collect::<Vec<usize>>()
                })
                .filter(|idx| {
                    let union = idx.iter().fold(AgeSet::default(), |a, i| a.union(sets[*i]));
                    need.minus(union).is_empty()
                })
                .min_by(|x, y| (x.len(), x).cmp(&(y.len(), y)));
            assert_eq!(smallest_cover(need, &sets), brute, "{sets:?}");
        }
    }

    #[test]
    fn no_cover_when_an_age_is_in_no_set_and_the_empty_need_takes_nothing() {
        assert_eq!(smallest_cover(ages(0, 3), &[ages(0, 1), ages(3, 3)]), None);
        assert_eq!(
            smallest_cover(AgeSet::default(), &[ages(0, 1)]),
            Some(vec![])
        );
    }

    #[test]
    fn ties_prefer_what_a_neighbour_runs_then_more_kommuner_then_catalogue_order() {
        // Uncovered 0–5 universally; four programmes each cover it alone.
        let ps = [
            programme("first", 0, 5, &[Universal]),
            programme("many", 0, 5, &[Universal]),
            programme("neighbour", 0, 5, &[Universal]),
            programme("second", 0, 5, &[Universal]),
            programme("rest", 6, 17, &[Universal]),
        ];
        let states = [NotOffered, Unknown, NotOffered, NotOffered, Offered];
        let chosen = |offers: &[(usize, Offer)]| {
            let p = plan_of(&ps, &states, Universal, offers);
            assert_eq!(p.cover.chosen.len(), 1);
            ps[p.candidates[p.cover.chosen[0]].p].slug.clone()
        };
        assert_eq!(chosen(&[]), "first");
        // Two far kommuner run "many": more kommuner win over catalogue order.
        let far = [(1, offer(7, false, 80.0)), (1, offer(8, false, 90.0))];
        assert_eq!(chosen(&far), "many");
        // One neighbour runs "neighbour": a neighbour wins over more kommuner.
        let mut with_neighbour = far.to_vec();
        with_neighbour.push((2, offer(3, true, 15.0)));
        assert_eq!(chosen(&with_neighbour), "neighbour");
        // "many" is okänt here: chosen, it is to be confirmed first.
        let p = plan_of(&ps, &states, Universal, &far);
        assert_eq!(p.confirm_first(), p.cover.chosen);
        assert_eq!(
            p.summary(&ps, Lang::Sv),
            "Med many täcks 0–17 år universellt: 67 % → 100 %. many kanske redan erbjuds – \
             bekräfta först."
        );
    }

    #[test]
    fn a_gap_resting_on_okant_is_perhaps_no_gap_and_its_answers_are_named() {
        // Universal: abc 3–12 offered; small 0–2 and tiny 1 okänt; tonar 13–17 erbjuds inte;
        // mixed 13–15 okänt. Gaps: 0–2 (every age could be covered by an okänt programme) and
        // 13–17 (13–15 okänt, 16–17 only erbjuds inte: partly).
        let ps = [
            programme("abc", 3, 12, &[Universal]),
            programme("small", 0, 2, &[Universal]),
            programme("tonar", 13, 17, &[Universal]),
            programme("tiny", 1, 1, &[Universal]),
            programme("mixed", 13, 15, &[Universal]),
        ];
        let states = [Offered, Unknown, NotOffered, Unknown, Unknown];
        let p = plan_of(&ps, &states, Universal, &[]);
        let gaps: Vec<(String, GapKind)> = p.gaps.iter().map(|g| (g.label(), g.kind)).collect();
        assert_eq!(
            gaps,
            [
                ("0–2 år".into(), GapKind::Unknown),
                ("13–17 år".into(), GapKind::PartlyUnknown)
            ]
        );
        assert_eq!(
            GapKind::Unknown.label(),
            "kanske ingen lucka – svaret saknas"
        );
        let slugs = |cs: &[usize]| -> Vec<&str> {
            cs.iter()
                .map(|c| ps[p.candidates[*c].p].slug.as_str())
                .collect()
        };
        // Candidates in catalogue order: small, tonar, tiny, mixed (abc is offered).
        assert_eq!(slugs(&p.gaps[0].programmes), ["small", "tiny"]);
        assert_eq!(slugs(&p.gaps[0].settle), ["small", "tiny"]);
        assert_eq!(p.gaps[0].confirmed(), AgeSet::default());
        assert_eq!(slugs(&p.gaps[1].programmes), ["tonar", "mixed"]);
        assert_eq!(slugs(&p.gaps[1].settle), ["mixed"]);
        assert_eq!(
            (p.gaps[1].unknown, p.gaps[1].confirmed()),
            (ages(13, 15), ages(16, 17))
        );
        assert_eq!(
            p.settle_text(&ps, "Tibro", &p.gaps[0]).unwrap(),
            "Svar från Tibro om small och tiny avgör om 0–2 år är en lucka."
        );
        assert_eq!(
            p.settle_text(&ps, "Tibro", &p.gaps[1]).unwrap(),
            "Ett svar från Tibro om mixed avgör om 13–15 år är en lucka."
        );
        // Smallest set: small (0–2) and tonar (13–17); tiny and mixed are covered by them.
        assert_eq!(slugs(&p.cover.chosen), ["small", "tonar"]);
        assert_eq!(
            p.summary(&ps, Lang::Sv),
            "Med small och tonar täcks 0–17 år universellt: 56 % → 100 %. small kanske redan \
             erbjuds – bekräfta först."
        );
    }

    #[test]
    fn ages_no_programme_is_for_are_named_and_never_a_failure() {
        // Indicated: only ind 3–12, erbjuds inte. One gap 0–17: confirmed for 3–12, no
        // programme for 0–2 and 13–17; the plan reaches 3–12 and says no programme reaches the
        // rest.
        let ps = [
            programme("ind", 3, 12, &[Indicated]),
            programme("uni", 0, 12, &[Universal]),
        ];
        let p = plan_of(&ps, &[NotOffered, Offered], Indicated, &[]);
        assert_eq!(p.gaps.len(), 1);
        let g = &p.gaps[0];
        assert_eq!((g.label(), g.kind), ("0–17 år".into(), GapKind::Confirmed));
        assert_eq!(g.no_programme, ages(0, 2).union(ages(13, 17)));
        assert_eq!(g.confirmed(), ages(3, 12));
        assert_eq!(p.cover.unreachable, ages(0, 2).union(ages(13, 17)));
        assert_eq!(
            p.summary(&ps, Lang::Sv),
            "Med ind täcks 3–12 år indikerat: 0 % → 56 %. Inget program i katalogen på \
             indikerad nivå är för 0–2 år och 13–17 år – ingen brist i kommunen."
        );
        assert_eq!(
            p.summary(&ps, Lang::En),
            "With ind, ages 3–12 covered at the indicated level: 0 % → 56 %. No programme in the \
             catalogue at the indicated level is for ages 0–2 and ages 13–17 – not a shortcoming \
             of the kommun."
        );
        // Universal: uni 0–12 offered, nothing in the catalogue for 13–17 at all.
        let u = plan_of(&ps, &[NotOffered, Offered], Universal, &[]);
        assert_eq!(
            u.gaps
                .iter()
                .map(|g| (g.label(), g.kind))
                .collect::<Vec<_>>(),
            [("13–17 år".into(), GapKind::NoProgramme)]
        );
        assert!(u.candidates.is_empty() && u.cover.chosen.is_empty());
        assert_eq!(
            u.summary(&ps, Lang::Sv),
            "Inget program i katalogen kan täcka luckorna universellt (i dag 72 %). Inget \
             program i katalogen på universell nivå är för 13–17 år – ingen brist i kommunen."
        );
    }

    #[test]
    fn pregnancy_is_a_gap_only_where_the_catalogue_has_a_programme_for_it() {
        let ps = [
            programme("gravid", -1, 0, &[Universal]),
            programme("alla", 0, 17, &[Universal, Selective]),
        ];
        let p = plan_of(&ps, &[Unknown, Offered], Universal, &[]);
        assert_eq!(
            p.gaps
                .iter()
                .map(|g| (g.label(), g.kind))
                .collect::<Vec<_>>(),
            [("under graviditeten".into(), GapKind::Unknown)]
        );
        assert_eq!(
            p.summary(&ps, Lang::Sv),
            "Med gravid täcks under graviditeten och 0–17 år universellt: 100 % → 100 %. gravid \
             kanske redan erbjuds – bekräfta först."
        );
        assert_eq!(
            p.summary(&ps, Lang::En),
            "With gravid, pregnancy and ages 0–17 covered at the universal level: 100 % → 100 %. \
             gravid may already be offered – confirm first."
        );
        // Pregnancy stays a gap of its own beside a childhood gap that starts at 0.
        let q = plan_of(&ps, &[Unknown, NotOffered], Universal, &[]);
        assert_eq!(
            q.gaps.iter().map(PlanGap::label).collect::<Vec<_>>(),
            ["under graviditeten", "0–17 år"]
        );
        // Selective: no programme for pregnancy, so no gap at all.
        let s = plan_of(&ps, &[Unknown, Offered], Selective, &[]);
        assert!(s.gaps.is_empty());
        assert_eq!(
            s.summary(&ps, Lang::Sv),
            "Inga luckor: alla åldrar 0–17 år täcks selektivt (100 %)."
        );
    }

    #[test]
    fn multi_level_programmes_are_candidates_at_each_of_their_levels_only() {
        let ps = [
            programme("triple", 0, 16, &[Universal, Selective, Indicated]),
            programme("sel", 10, 17, &[Selective]),
        ];
        for (level, want) in [
            (Universal, vec![0]),
            (Selective, vec![0, 1]),
            (Indicated, vec![0]),
        ] {
            let p = plan_of(&ps, &[Unknown, NotOffered], level, &[]);
            assert_eq!(
                p.candidates.iter().map(|c| c.p).collect::<Vec<_>>(),
                want,
                "{level:?}"
            );
        }
        // Selective: triple covers 0–16 and sel 10–17: both are needed for 17 and 0.
        let s = plan_of(&ps, &[Unknown, NotOffered], Selective, &[]);
        assert_eq!(s.cover.chosen.len(), 2);
        assert_eq!(s.cover.after, ages(0, 17));
    }
}
