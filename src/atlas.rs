//! The Atlas: an immutable snapshot built from an Inventory. Indexes, coverage per kommun × round,
//! neighbours, simplified geometry and every query-independent response body are made once here;
//! handlers only look things up. A change builds a new Atlas and swaps it in whole.

use std::collections::HashMap;
use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};

use crate::body::Body;
use crate::coverage::Coverage;
use crate::geometry::{self, Locator};
use crate::inventory::{
    Adherence, Inventory, Offering, Partssamverkan, Programme, Sambu, Training,
};
use crate::vocabulary::{CellState, Detail, OfferingStatus};

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

pub struct Atlas {
    pub inventory: Inventory,
    pub kommuner: Vec<Kommun>,
    /// The round shown when a request names none: the newest round with any answers.
    pub default_round: usize,
    /// The date this snapshot was built (shown on printed pages).
    pub loaded: String,
    by_code: HashMap<String, usize>,
    programme_index: HashMap<String, usize>,
    round_index: HashMap<String, usize>,
    /// Offering index per (kommun, round, programme); None is *okänt*.
    cells: Vec<Option<u32>>,
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
        let mut cells = vec![None; nk * nr * np];
        for (i, o) in inventory.offerings.iter().enumerate() {
            let cell = (by_code[&o.kommun] * nr + round_index[&o.round]) * np
                + programme_index[&o.programme];
            cells[cell] = Some(i as u32);
        }
        let default_round = inventory
            .rounds
            .iter()
            .rposition(|r| inventory.offerings.iter().any(|o| o.round == r.id))
            .unwrap_or(nr.saturating_sub(1));

        let mut atlas = Atlas {
            locator: Locator::new(&shapes),
            inventory,
            kommuner,
            default_round,
            loaded: crate::dates::today(),
            by_code,
            programme_index,
            round_index,
            cells,
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

    /// The answer of kommun `k` in round `r` for programme `p`, or None (*okänt*).
    pub fn offering(&self, k: usize, r: usize, p: usize) -> Option<&Offering> {
        let (nr, np) = (self.inventory.rounds.len(), self.inventory.programmes.len());
        self.cells[(k * nr + r) * np + p].map(|i| &self.inventory.offerings[i as usize])
    }

    pub fn cell_state(&self, k: usize, r: usize, p: usize) -> CellState {
        match self.offering(k, r, p).map(|o| o.status) {
            Some(OfferingStatus::Offered) => CellState::Offered,
            Some(OfferingStatus::NotOffered) => CellState::NotOffered,
            None => CellState::Unknown,
        }
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
