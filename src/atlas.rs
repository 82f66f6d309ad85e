//! The Atlas: an immutable snapshot built from an Inventory. Indexes, coverage per kommun × round,
//! neighbours, simplified geometry and every query-independent response body are made once here;
//! handlers only look things up. A change builds a new Atlas and swaps it in whole.

use std::collections::HashMap;
use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};

use crate::body::Body;
use crate::coverage::Coverage;
use crate::dates::{Confirmed, PartialDate};
use crate::geometry::{self, Locator};
use crate::inventory::{
    Adherence, Contact, Inventory, Offering, Partssamverkan, Programme, Sambu, Training,
};
use crate::vocabulary::{CellState, Detail, OfferingStatus, RoundKind};

/// Simplification tolerance per detail level, in degrees (about 700 m and 200 m at 58° N).
const TOLERANCE: [(Detail, f64); 2] = [(Detail::Low, 0.01), (Detail::Medium, 0.003)];

/// How many query-dependent bodies (layers with filters, coverage answers) are kept.
const CACHE_ENTRIES: usize = 512;

/// A kommun of the region, with what the geometry says about it.
#[derive(Debug, Clone)]
pub struct Kommun {
    pub code: String,
    pub name: String,
    pub lan: String,
    pub bbox: [f64; 4],
    /// A point inside the kommun, for labels.
    pub label: (f64, f64),
    /// (index, shared border length in metres), for borders longer than 0.
    pub neighbours: Vec<(usize, f64)>,
}

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
}

pub struct Atlas {
    pub inventory: Inventory,
    pub kommuner: Vec<Kommun>,
    /// The round shown when a request names none, the current picture: the newest survey round
    /// (with public sources as supplementary evidence), else the newest source collection.
    pub default_round: usize,
    /// Answers confirmed before this date are shown as "okänt i dag" in current views.
    pub stale_before: PartialDate,
    by_code: HashMap<String, usize>,
    programme_index: HashMap<String, usize>,
    round_index: HashMap<String, usize>,
    /// Per (kommun, round, programme).
    cells: Vec<Cell>,
    /// Per (kommun, round): whether the round has any answer of its own for the kommun.
    answered: Vec<bool>,
    /// Per (kommun, round).
    coverage: Vec<Coverage>,
    locator: Locator,
    /// Pre-serialised GeoJSON geometry per detail level (Low, Medium, Full), per kommun.
    geometry: [Vec<String>; 3],
    bodies: HashMap<String, Arc<Body>>,
    cache: Mutex<lru::LruCache<String, Arc<Body>>>,
}

impl Atlas {
    pub fn build(inventory: Inventory) -> Atlas {
        let shapes: Vec<_> = inventory
            .boundaries
            .iter()
            .map(|b| b.shape.clone())
            .collect();
        let neighbours = geometry::neighbours(&shapes);
        let kommuner: Vec<Kommun> = inventory
            .boundaries
            .iter()
            .zip(neighbours)
            .map(|(b, neighbours)| Kommun {
                code: b.code.clone(),
                name: b.name.clone(),
                lan: b.lan.clone(),
                bbox: geometry::bbox(&b.shape),
                label: geometry::label_point(&b.shape),
                neighbours,
            })
            .collect();
        let serialise = |shapes: &[geo::MultiPolygon<f64>]| -> Vec<String> {
            shapes
                .iter()
                .map(|s| geometry::geometry_json(s).to_string())
                .collect()
        };
        let simplified = TOLERANCE.map(|(_, t)| serialise(&geometry::simplify_shared(&shapes, t)));
        let [low, medium] = simplified;
        let geometry = [low, medium, serialise(&shapes)];

        let index = |keys: Vec<&String>| -> HashMap<String, usize> {
            keys.into_iter()
                .enumerate()
                .map(|(i, k)| (k.clone(), i))
                .collect()
        };
        let by_code = index(kommuner.iter().map(|k| &k.code).collect());
        let programme_index = index(inventory.programmes.iter().map(|p| &p.slug).collect());
        let round_index = index(inventory.rounds.iter().map(|r| &r.id).collect());

        let (nk, nr, np) = (
            kommuner.len(),
            inventory.rounds.len(),
            inventory.programmes.len(),
        );
        let kinds: Vec<RoundKind> = inventory.rounds.iter().map(|r| r.kind).collect();
        let newest = |kind| kinds.iter().rposition(|k| *k == kind);
        let default_round = newest(RoundKind::Survey)
            .or_else(|| newest(RoundKind::Sources))
            .unwrap_or(nr.saturating_sub(1));
        let stale_before =
            inventory
                .dataset
                .stale_before()
                .unwrap_or_else(|| match newest(RoundKind::Survey) {
                    Some(r) => inventory.rounds[r].collected.from,
                    None => years_ago(inventory.dataset.config.freshness.max_age_years),
                });
        let stale = |o: &Offering| is_stale(o, &stale_before);

        let mut own: Vec<Option<u32>> = vec![None; nk * nr * np];
        let mut answered = vec![false; nk * nr];
        // Per (kommun, programme): the best row of any source collection.
        let mut from_sources: Vec<Option<u32>> = vec![None; nk * np];
        for (i, o) in inventory.offerings.iter().enumerate() {
            let (k, r, p) = (
                by_code[&o.kommun],
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
                    let state = match o.map(|o| o.status) {
                        _ if lapsed => CellState::Unknown,
                        Some(OfferingStatus::Offered) => CellState::Offered,
                        Some(OfferingStatus::NotOffered) => CellState::NotOffered,
                        None => CellState::Unknown,
                    };
                    cells.push(Cell {
                        row,
                        state,
                        lapsed,
                        supplementary,
                    });
                }
            }
        }

        let mut atlas = Atlas {
            locator: Locator::new(&shapes),
            inventory,
            kommuner,
            default_round,
            stale_before,
            by_code,
            programme_index,
            round_index,
            cells,
            answered,
            coverage: Vec::new(),
            geometry,
            bodies: HashMap::new(),
            cache: Mutex::new(lru::LruCache::new(
                NonZeroUsize::new(CACHE_ENTRIES).expect("non-zero"),
            )),
        };
        atlas.coverage = (0..nk)
            .flat_map(|k| (0..nr).map(move |r| (k, r)))
            .map(|(k, r)| {
                Coverage::compute(&atlas.inventory.programmes, |p| atlas.cell_state(k, r, p))
            })
            .collect();
        atlas.bodies = crate::views::static_bodies(&atlas);
        atlas
    }

    pub fn kommun_index(&self, code: &str) -> Option<usize> {
        self.by_code.get(code).copied()
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

    /// Whether round `r` has any answer of its own for kommun `k`.
    pub fn answered(&self, k: usize, r: usize) -> bool {
        self.answered[k * self.inventory.rounds.len() + r]
    }

    /// How many kommuner round `r` has answers for.
    pub fn answered_count(&self, r: usize) -> usize {
        (0..self.kommuner.len())
            .filter(|k| self.answered(*k, r))
            .count()
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
        let code = self.kommuner[k].code.clone();
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
        let code = &self.kommuner[k].code;
        self.inventory.sambu.iter().find(|s| &s.kommun == code)
    }

    pub fn partssamverkan(&self, k: usize) -> Option<&Partssamverkan> {
        let code = &self.kommuner[k].code;
        self.inventory
            .partssamverkan
            .iter()
            .find(|s| &s.kommun == code)
    }

    /// The kommun's status for document `d`, if the data has one.
    pub fn adherence(&self, k: usize, d: usize) -> Option<&Adherence> {
        let (code, doc) = (&self.kommuner[k].code, &self.inventory.documents[d].slug);
        self.inventory
            .adherence
            .iter()
            .find(|x| &x.kommun == code && &x.document == doc)
    }

    pub fn trainings(&self, k: usize) -> impl Iterator<Item = &Training> {
        let code = self.kommuner[k].code.clone();
        self.inventory
            .trainings
            .iter()
            .filter(move |t| t.kommun == code)
    }

    /// The kommun containing a point (lon, lat), if it is in the region.
    pub fn locate(&self, lon: f64, lat: f64) -> Option<usize> {
        self.locator.locate(lon, lat)
    }

    pub fn geometry(&self, detail: Detail, k: usize) -> &str {
        let level = match detail {
            Detail::Low => 0,
            Detail::Medium => 1,
            Detail::Full => 2,
        };
        &self.geometry[level][k]
    }

    /// A pre-built body by key (see `views::static_bodies` for the keys).
    pub fn body(&self, key: &str) -> Option<Arc<Body>> {
        self.bodies.get(key).cloned()
    }

    /// A pre-built body, or one built now and kept in a bounded cache. Keys are made only from
    /// validated parameters, so the set of keys is finite.
    pub fn body_or_build(&self, key: String, build: impl FnOnce() -> Body) -> Arc<Body> {
        if let Some(b) = self.bodies.get(&key) {
            return b.clone();
        }
        if let Some(b) = self.cache.lock().expect("cache lock").get(&key) {
            return b.clone();
        }
        let body = Arc::new(build());
        self.cache
            .lock()
            .expect("cache lock")
            .put(key, body.clone());
        body
    }

    /// Compresses every pre-built body; run off the request path after a swap.
    pub fn warm(&self) {
        for body in self.bodies.values() {
            body.warm();
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
