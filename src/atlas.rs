//! The Atlas: the data snapshot. Built from an Inventory on a [`Geography`] (shared, never
//! recomputed by a data change): indexes, the state of every kommun × round × programme cell,
//! coverage per kommun × round, and the domain queries the surfaces ask. It knows nothing about
//! HTTP; the bodies made from it live in [`crate::http::bodies`]. A change builds a new Atlas
//! and swaps it in whole.

use std::collections::HashMap;
use std::sync::Arc;

use crate::citation::Citation;
use crate::coverage::Coverage;
use crate::dates::{Confirmed, PartialDate};
pub use crate::geography::{Geography, Kommun};
use crate::inventory::{
    Adherence, Contact, Inventory, Offering, OtherSupport, Partssamverkan, Programme, Sambu,
    Training,
};
use crate::lang::Lang;
use crate::review::Review;
use crate::vocabulary::{
    CellState, ContactKind, OfferingStatus, PartsStatus, RoundKind, RoundStatus, SambuStatus,
};

/// What the snapshot says about one kommun × round × programme.
#[derive(Debug, Clone, Copy)]
struct Cell {
    /// The row behind the cell: the round's own, or (in the current survey round, where it has
    /// none) the newest row of a collection of public sources.
    row: Option<u32>,
    state: CellState,
    /// The row is too old to say anything about today (see `Freshness`): shown with its date,
    /// counted as okänt.
    lapsed: bool,
    /// The row comes from a collection of public sources, not from the round itself.
    supplementary: bool,
    /// The row is in the current picture and was last confirmed longer ago than the review
    /// period ([`Review`]): shown as it is, marked "kan vara inaktuell".
    review_due: bool,
}

pub struct Atlas {
    pub inventory: Inventory,
    /// The region's geography, shared by every snapshot of the same boundaries.
    pub geography: Arc<Geography>,
    /// The round shown when a request names none, the current picture: the newest closed
    /// survey round (with public sources as supplementary evidence), else the newest source
    /// collection, else the last. An open survey round is still being answered: it is shown
    /// only when asked for.
    pub default_round: usize,
    /// Answers confirmed before this date are shown as "okänt i dag" in current views.
    pub stale_before: PartialDate,
    /// The staleness watch as of the day this snapshot was built: which facts kan vara
    /// inaktuella.
    pub review: Review,
    programme_index: HashMap<String, usize>,
    round_index: HashMap<String, usize>,
    /// Per (kommun, round, programme).
    cells: Vec<Cell>,
    /// Per (kommun, round): whether the round has any answer of its own for the kommun.
    answered: Vec<bool>,
    /// Per (kommun, round).
    coverage: Vec<Coverage>,
}

impl Atlas {
    /// A snapshot with a geography of its own (at start, or when the boundaries changed).
    pub fn build(inventory: Inventory) -> Atlas {
        let geography = Arc::new(Geography::build(inventory.boundaries.clone()));
        Atlas::on(geography, inventory)
    }

    /// A snapshot on an existing geography: what a data change costs (no geometry is redone).
    /// A geography of other boundaries is not used: the snapshot then builds its own.
    pub fn on(geography: Arc<Geography>, inventory: Inventory) -> Atlas {
        if !geography.fits(&inventory.boundaries) {
            return Atlas::build(inventory);
        }
        let index = |keys: Vec<&String>| -> HashMap<String, usize> {
            keys.into_iter()
                .enumerate()
                .map(|(i, k)| (k.clone(), i))
                .collect()
        };
        let programme_index = index(inventory.programmes.iter().map(|p| &p.slug).collect());
        let round_index = index(inventory.rounds.iter().map(|r| &r.id).collect());

        let by_code = |code: &str| geography.kommun_index(code).expect("validated kommunkod");
        let (nk, nr, np) = (
            geography.kommuner.len(),
            inventory.rounds.len(),
            inventory.programmes.len(),
        );
        let kinds: Vec<RoundKind> = inventory.rounds.iter().map(|r| r.kind).collect();
        let newest = |kind| kinds.iter().rposition(|k| *k == kind);
        let closed_survey = inventory
            .rounds
            .iter()
            .rposition(|r| r.kind == RoundKind::Survey && r.status == RoundStatus::Closed);
        let default_round = closed_survey
            .or_else(|| newest(RoundKind::Sources))
            .unwrap_or(nr.saturating_sub(1));
        // The round shown is the one whose start says what "today" is: opening a new round
        // changes nothing on the public pages until it is closed.
        let stale_before =
            inventory
                .dataset
                .stale_before()
                .unwrap_or_else(|| match closed_survey {
                    Some(r) => inventory.rounds[r].collected.from,
                    None => years_ago(inventory.dataset.config.freshness.max_age_years),
                });
        let stale = |o: &Offering| is_stale(o, &stale_before);
        let review = Review::today(inventory.dataset.config.freshness.review_after_months);

        let mut own: Vec<Option<u32>> = vec![None; nk * nr * np];
        let mut answered = vec![false; nk * nr];
        // Per (kommun, programme): the best row of any source collection.
        let mut from_sources: Vec<Option<u32>> = vec![None; nk * np];
        for (i, o) in inventory.offerings.iter().enumerate() {
            let (k, r, p) = (
                by_code(&o.kommun),
                round_index[&o.round],
                programme_index[&o.programme],
            );
            own[(k * nr + r) * np + p] = Some(i as u32);
            answered[k * nr + r] = true;
            if kinds[r] == RoundKind::Sources {
                let best = &mut from_sources[k * np + p];
                let newer = best.is_none_or(|b| {
                    let b = &inventory.offerings[b as usize];
                    (stale(b), b.last_confirmed) > (stale(o), o.last_confirmed)
                });
                if newer {
                    *best = Some(i as u32);
                }
            }
        }
        let mut cells = Vec::with_capacity(nk * nr * np);
        for k in 0..nk {
            for r in 0..nr {
                // Only the current picture asks "is it so today?"; an older round, or history,
                // says what was so then.
                let current = r == default_round || kinds[r] == RoundKind::Sources;
                let supplement = r == default_round && kinds[r] == RoundKind::Survey;
                for p in 0..np {
                    let mut row = own[(k * nr + r) * np + p];
                    let supplementary = row.is_none() && supplement && {
                        row = from_sources[k * np + p];
                        row.is_some()
                    };
                    let o = row.map(|i| &inventory.offerings[i as usize]);
                    let lapsed = current && o.is_some_and(stale);
                    let review_due = current && o.is_some_and(|o| review.due(&o.last_confirmed));
                    let state = match o.map(|o| o.status) {
                        _ if lapsed => CellState::Unknown,
                        Some(OfferingStatus::Offered) => CellState::Offered,
                        Some(OfferingStatus::NotOffered) => CellState::NotOffered,
                        Some(OfferingStatus::Unknown) | None => CellState::Unknown,
                    };
                    cells.push(Cell {
                        row,
                        state,
                        lapsed,
                        supplementary,
                        review_due,
                    });
                }
            }
        }

        let mut atlas = Atlas {
            inventory,
            geography,
            default_round,
            stale_before,
            review,
            programme_index,
            round_index,
            cells,
            answered,
            coverage: Vec::new(),
        };
        atlas.coverage = (0..nk)
            .flat_map(|k| (0..nr).map(move |r| (k, r)))
            .map(|(k, r)| {
                Coverage::compute(&atlas.inventory.programmes, |p| atlas.cell_state(k, r, p))
            })
            .collect();
        atlas
    }

    /// The region's kommuner, sorted by kommunkod; their index is the `k` of every query.
    pub fn kommuner(&self) -> &[Kommun] {
        &self.geography.kommuner
    }

    pub fn kommun_index(&self, code: &str) -> Option<usize> {
        self.geography.kommun_index(code)
    }

    pub fn programme_index(&self, slug: &str) -> Option<usize> {
        self.programme_index.get(slug).copied()
    }

    pub fn round_index(&self, id: &str) -> Option<usize> {
        self.round_index.get(id).copied()
    }

    pub fn programmes(&self) -> &[Programme] {
        &self.inventory.programmes
    }

    fn cell(&self, k: usize, r: usize, p: usize) -> &Cell {
        let (nr, np) = (self.inventory.rounds.len(), self.inventory.programmes.len());
        &self.cells[(k * nr + r) * np + p]
    }

    /// The row behind the cell of kommun `k`, round `r`, programme `p`: the round's own answer,
    /// or supplementary evidence from public sources; None where nothing is known. Its state
    /// is `cell_state`, which is okänt for a lapsed row whatever the row says.
    pub fn offering(&self, k: usize, r: usize, p: usize) -> Option<&Offering> {
        self.cell(k, r, p)
            .row
            .map(|i| &self.inventory.offerings[i as usize])
    }

    /// The state shown and counted: a lapsed answer is okänt.
    pub fn cell_state(&self, k: usize, r: usize, p: usize) -> CellState {
        self.cell(k, r, p).state
    }

    /// The row of a cell whose answer is too old to count today ("erbjöds 2015 – okänt i dag").
    pub fn lapsed(&self, k: usize, r: usize, p: usize) -> Option<&Offering> {
        self.cell(k, r, p)
            .lapsed
            .then(|| self.offering(k, r, p))
            .flatten()
    }

    /// Whether the cell's row comes from public sources rather than from the round itself.
    pub fn supplementary(&self, k: usize, r: usize, p: usize) -> bool {
        self.cell(k, r, p).supplementary
    }

    /// Whether the row behind the cell kan vara inaktuell: in the current picture and not
    /// confirmed within the review period. (A lapsed row is due too, and already says more:
    /// "okänt i dag".)
    pub fn review_due(&self, k: usize, r: usize, p: usize) -> bool {
        self.cell(k, r, p).review_due
    }

    /// Whether a fact last confirmed `c` kan vara inaktuell (SAMBU, partssamverkan, adherence,
    /// contacts, trainings: always current facts).
    pub fn due(&self, c: &Confirmed) -> bool {
        self.review.due(c)
    }

    /// Whether round `r` has any answer of its own for kommun `k`.
    pub fn answered(&self, k: usize, r: usize) -> bool {
        self.answered[k * self.inventory.rounds.len() + r]
    }

    /// How many kommuner round `r` has answers for.
    pub fn answered_count(&self, r: usize) -> usize {
        (0..self.kommuner().len())
            .filter(|k| self.answered(*k, r))
            .count()
    }

    /// The newest open survey round: the one being answered now, which the desk edits by
    /// default (None when no survey round is open).
    pub fn open_round(&self) -> Option<usize> {
        self.inventory
            .rounds
            .iter()
            .rposition(|r| r.kind == RoundKind::Survey && r.status == RoundStatus::Open)
    }

    /// Whether round `r` is a survey still being answered (pages label it as in progress).
    pub fn in_progress(&self, r: usize) -> bool {
        let round = &self.inventory.rounds[r];
        round.kind == RoundKind::Survey && round.status == RoundStatus::Open
    }

    /// The round's own answer for kommun `k`, programme `p` (never supplementary evidence).
    pub fn own_offering(&self, k: usize, r: usize, p: usize) -> Option<&Offering> {
        let c = self.cell(k, r, p);
        if c.supplementary {
            return None;
        }
        c.row.map(|i| &self.inventory.offerings[i as usize])
    }

    /// How far kommun `k` has come in round `r`: see [`Progress`].
    pub fn progress(&self, k: usize, r: usize) -> Progress {
        let previous = self.previous_survey(r);
        let mut out = Progress {
            programmes: self.programmes().len(),
            ..Progress::default()
        };
        for p in 0..out.programmes {
            let status = self.own_offering(k, r, p).map(|o| o.status);
            match status {
                Some(s @ (OfferingStatus::Offered | OfferingStatus::NotOffered)) => {
                    out.answered += 1;
                    let before = previous.and_then(|q| self.own_offering(k, q, p));
                    if before.is_some_and(|o| o.status == s) {
                        out.confirmed += 1;
                    }
                }
                Some(OfferingStatus::Unknown) | None => out.unknown += 1,
            }
        }
        out
    }

    /// The survey round before `r` (for "compared with the previous round"), if `r` is a survey.
    pub fn previous_survey(&self, r: usize) -> Option<usize> {
        let rounds = &self.inventory.rounds;
        if rounds[r].kind != RoundKind::Survey {
            return None;
        }
        rounds[..r]
            .iter()
            .rposition(|x| x.kind == RoundKind::Survey)
    }

    /// The kommun's contacts for parents, in file order.
    pub fn contacts(&self, k: usize) -> impl Iterator<Item = &Contact> {
        let code = self.kommuner()[k].code.clone();
        self.inventory
            .contacts
            .iter()
            .filter(move |c| c.kommun == code)
    }

    pub fn coverage(&self, k: usize, r: usize) -> &Coverage {
        &self.coverage[k * self.inventory.rounds.len() + r]
    }

    /// The kommun's SAMBU row, if the data has one (none: *okänt*).
    pub fn sambu(&self, k: usize) -> Option<&Sambu> {
        let code = &self.kommuner()[k].code;
        self.inventory.sambu.iter().find(|s| &s.kommun == code)
    }

    pub fn partssamverkan(&self, k: usize) -> Option<&Partssamverkan> {
        let code = &self.kommuner()[k].code;
        self.inventory
            .partssamverkan
            .iter()
            .find(|s| &s.kommun == code)
    }

    /// The kommun's status for document `d`, if the data has one.
    pub fn adherence(&self, k: usize, d: usize) -> Option<&Adherence> {
        let (code, doc) = (&self.kommuner()[k].code, &self.inventory.documents[d].slug);
        self.inventory
            .adherence
            .iter()
            .find(|x| &x.kommun == code && &x.document == doc)
    }

    pub fn trainings(&self, k: usize) -> impl Iterator<Item = &Training> {
        let code = self.kommuner()[k].code.clone();
        self.inventory
            .trainings
            .iter()
            .filter(move |t| t.kommun == code)
    }

    /// The programmes `keep` selects, split by their state in kommun `k`, round `r`: offered,
    /// not offered, unknown (each in catalogue order).
    pub fn by_state(
        &self,
        k: usize,
        r: usize,
        keep: impl Fn(&Programme) -> bool,
    ) -> [Vec<usize>; 3] {
        let mut out: [Vec<usize>; 3] = Default::default();
        for (p, programme) in self.programmes().iter().enumerate() {
            if keep(programme) {
                out[match self.cell_state(k, r, p) {
                    CellState::Offered => 0,
                    CellState::NotOffered => 1,
                    CellState::Unknown => 2,
                }]
                .push(p);
            }
        }
        out
    }

    /// Offered, not offered and unknown counts of kommun `k` in round `r`, over the programmes
    /// `keep` selects.
    pub fn counts(&self, k: usize, r: usize, keep: impl Fn(&Programme) -> bool) -> [usize; 3] {
        self.by_state(k, r, keep).map(|ps| ps.len())
    }

    pub fn sambu_status(&self, k: usize) -> SambuStatus {
        self.sambu(k).map_or(SambuStatus::Unknown, |s| s.status)
    }

    pub fn parts_status(&self, k: usize) -> PartsStatus {
        self.partssamverkan(k)
            .map_or(PartsStatus::Unknown, |s| s.status)
    }

    /// Every distinct source the data cites (as written in the records), sorted.
    pub fn all_sources(&self) -> Vec<&str> {
        let inv = &self.inventory;
        let mut sources: Vec<&str> = inv
            .offerings
            .iter()
            .map(|o| o.source.as_str())
            .chain(inv.contacts.iter().map(|s| s.source.as_str()))
            .chain(inv.sambu.iter().map(|s| s.source.as_str()))
            .chain(inv.partssamverkan.iter().map(|s| s.source.as_str()))
            .chain(inv.documents.iter().map(|s| s.source.as_str()))
            .chain(inv.adherence.iter().map(|s| s.source.as_str()))
            .chain(inv.trainings.iter().map(|s| s.source.as_str()))
            .chain(inv.region_facts.iter().map(|s| s.source.as_str()))
            // A collection's own "source" says that each of its rows has one.
            .chain(
                inv.rounds
                    .iter()
                    .filter(|r| r.kind == RoundKind::Survey)
                    .map(|s| s.source.as_str()),
            )
            .chain(inv.other_support.iter().map(|s| s.source.as_str()))
            .chain(inv.programmes.iter().map(|p| p.source_url.as_str()))
            .collect();
        sources.sort();
        sources.dedup();
        sources
    }

    /// Every distinct citation of the data's sources, as a bibliography: the rows of
    /// sources.csv in file order, then the addresses and texts typed on the desk.
    pub fn citations(&self) -> Vec<Citation<'_>> {
        let bib = &self.inventory.sources;
        let mut out: Vec<Citation> = Vec::new();
        for s in self.all_sources() {
            for c in bib.cite(s) {
                if !out.contains(&c) {
                    out.push(c);
                }
            }
        }
        let position = |id: &str| bib.entries().iter().position(|e| e.id == id);
        out.sort_by_cached_key(|c| match c {
            Citation::Listed(e) => (0, position(&e.id), String::new()),
            other => (1, None, other.text(Lang::Sv)),
        });
        out
    }

    /// A source's citations.
    pub fn cite<'a>(&'a self, source: &'a str) -> Vec<Citation<'a>> {
        self.inventory.sources.cite(source)
    }

    /// The kommun's familjecentraler known from a source (none: okänt, never "there is none").
    pub fn familjecentraler(&self, k: usize) -> impl Iterator<Item = &Contact> {
        self.contacts(k)
            .filter(|c| c.kind == ContactKind::Familjecentral)
    }

    /// Whether a fact of other support kan vara inaktuell: only what may still be going on (an
    /// ended project's story does not age).
    pub fn support_due(&self, o: &OtherSupport) -> bool {
        o.status != crate::vocabulary::SupportStatus::Ended && self.due(&o.last_confirmed)
    }

    /// The kommun's other parenting support (not catalogue programmes), in file order.
    pub fn other_support(&self, k: usize) -> impl Iterator<Item = &OtherSupport> {
        let code = self.kommuner()[k].code.clone();
        self.inventory
            .other_support
            .iter()
            .filter(move |s| s.kommun == code)
    }

    /// A document's index by its slug.
    pub fn document_index(&self, slug: &str) -> Option<usize> {
        self.inventory.documents.iter().position(|d| d.slug == slug)
    }
}

/// What an open survey round is called wherever a public page or export shows it.
pub const IN_PROGRESS: &str = "pågående omgång – svaren är inte klara";

/// [`IN_PROGRESS`] on an English page.
pub const IN_PROGRESS_EN: &str = "round in progress – the answers are not complete";

/// A kommun's answers in one round, over the catalogue: `answered` (erbjuds or erbjuds inte) +
/// `unknown` (no answer, or okänt on purpose) = `programmes`; `confirmed` are the answered
/// ones that say the same as the kommun's answer in the previous survey round.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    pub programmes: usize,
    pub answered: usize,
    pub confirmed: usize,
    pub unknown: usize,
}

/// An answer too old to count today, with its date: "erbjöds 2015 – okänt i dag",
/// "erbjöds (odaterad uppgift) – okänt i dag".
pub fn lapsed_label(o: &Offering) -> String {
    lapsed_label_in(Lang::Sv, o)
}

/// [`lapsed_label`] in `lang`: "offered in 2015 – unknown today".
pub fn lapsed_label_in(lang: Lang, o: &Offering) -> String {
    let was = match (lang, o.status) {
        (Lang::Sv, OfferingStatus::Offered) => "erbjöds",
        (Lang::Sv, OfferingStatus::NotOffered) => "erbjöds inte",
        (Lang::Sv, OfferingStatus::Unknown) => "okänt",
        (Lang::En, OfferingStatus::Offered) => "offered",
        (Lang::En, OfferingStatus::NotOffered) => "not offered",
        (Lang::En, OfferingStatus::Unknown) => "unknown",
    };
    let today = lang.pick("okänt i dag", "unknown today");
    match (lang, o.last_confirmed) {
        (Lang::Sv, Confirmed::On(d)) => format!("{was} {} – {today}", d.year()),
        (Lang::En, Confirmed::On(d)) => format!("{was} in {} – {today}", d.year()),
        (_, Confirmed::Unknown) => {
            let undated = lang.pick("odaterad uppgift", "undated");
            format!("{was} ({undated}) – {today}")
        }
    }
}

/// Whether an answer is too old to say anything about today: undated, or confirmed before the
/// cut-off.
fn is_stale(o: &Offering, cut_off: &PartialDate) -> bool {
    match o.last_confirmed {
        Confirmed::Unknown => true,
        Confirmed::On(d) => d.before(cut_off),
    }
}

/// The date `years` before today, for the stale cut-off where no survey round says it.
fn years_ago(years: u16) -> PartialDate {
    match PartialDate::parse(&crate::dates::today()) {
        // A configured age beyond the calendar makes nothing stale by age, never a panic.
        Ok(PartialDate::Day(y, m, d)) => PartialDate::Day(y.saturating_sub(years), m, d.min(28)),
        Ok(other) => other,
        Err(_) => PartialDate::Year(2000),
    }
}
