//! The response bodies of one snapshot. Query-independent bodies sit in typed slots (per detail
//! level, kommun, programme, layer), made on first use or by `warm` after a swap; the rest are
//! kept in a bounded cache under typed keys made only from validated parameters, so the set of
//! keys is finite, and the cache is bounded by bytes. A lookup never panics: a slot that does not exist is `None`.

use std::sync::{Arc, Mutex, OnceLock};

use crate::atlas::Atlas;
use crate::coverage::LevelFilter;
use crate::export::dcat::{self, Publication, RdfFormat};
use crate::export::tables::{self, Filter, Table, TableKind};
use crate::http::body::Body;
use crate::views::{self, Layer, LayerQuery};
use crate::vocabulary::{Detail, Level};

/// How much the query-dependent bodies (layers with filters, coverage answers, pages, exports,
/// OGC answers) may take per snapshot, counted by their bytes: a count of entries let 512 large
/// OGC pages grow the process to 200 MiB.
const CACHE_BYTES: usize = 24 << 20;

/// A query-independent body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fixed {
    /// `/api/v1/kommuner?detail=`
    Kommuner(Detail),
    /// `/api/v1/kommuner/{kod}`, by kommun index.
    Kommun(usize),
    /// The answer of `/api/v1/locate` for a point in the kommun.
    Locate(usize),
    Programmes,
    /// `/api/v1/programmes/{slug}`, by programme index.
    Programme(usize),
    Region,
    /// `/api/v1/sources`
    Sources,
    /// A layer with its default parameters.
    Layer(Layer),
    /// The DCAT-AP-SE catalogue of the open data (`/datasets/dcat`).
    Catalogue(RdfFormat),
}

/// A query-dependent body, by what was asked.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Key {
    Layer(LayerQuery),
    Coverage {
        kommuner: Vec<usize>,
        round: usize,
        age: Option<i8>,
        level: LevelFilter,
    },
    Compare {
        kommuner: Vec<usize>,
        rounds: Vec<usize>,
    },
    /// `/api/v1/plan`: one level, or (None) all three.
    Plan {
        kommun: usize,
        round: usize,
        level: Option<Level>,
    },
    /// An HTML page by its canonical address; the date is part of it because pages print it.
    Page {
        url: String,
        embed: bool,
        today: String,
    },
    ExportIndex,
    Export {
        what: String,
        format: &'static str,
        profile: &'static str,
        layer: Layer,
        filter: Filter,
        /// The export date, for formats that print it (XLSX's "Om data").
        today: Option<String>,
    },
    /// An OGC answer: the links' base, the path, the query as given (without `f`), and the
    /// format.
    Ogc {
        base: String,
        path: String,
        query: String,
        html: bool,
    },
}

type Slot = OnceLock<Arc<Body>>;

pub struct Bodies {
    kommuner: [Slot; 3],
    kommun: Vec<Slot>,
    locate: Vec<Slot>,
    programmes: Slot,
    programme: Vec<Slot>,
    region: Slot,
    sources: Slot,
    layers: Vec<Slot>,
    catalogue: Vec<Slot>,
    /// Where the catalogue's absolute addresses point: the configured public address, the same
    /// for every request (a client's Host header never makes one).
    publication: Publication,
    /// Each export table with no filter, for OGC items on a cache miss (paging, a bbox, an item
    /// by id) without building the whole table again.
    tables: Vec<OnceLock<Table>>,
    cache: Mutex<Cache>,
}

/// The least recently used bodies, within a byte budget.
struct Cache {
    entries: lru::LruCache<Key, Arc<Body>>,
    bytes: usize,
}

impl Cache {
    /// What a body takes: its bytes, and about half as much again for its compressed forms.
    fn weight(body: &Body) -> usize {
        body.bytes().len() * 3 / 2 + 256
    }

    fn get(&mut self, key: &Key) -> Option<Arc<Body>> {
        self.entries.get(key).cloned()
    }

    fn put(&mut self, key: Key, body: Arc<Body>) {
        self.bytes += Cache::weight(&body);
        if let Some(old) = self.entries.put(key, body) {
            self.bytes -= Cache::weight(&old);
        }
        // The newest entry stays even when it alone is over the budget.
        while self.bytes > CACHE_BYTES && self.entries.len() > 1 {
            match self.entries.pop_lru() {
                Some((_, old)) => self.bytes -= Cache::weight(&old),
                None => break,
            }
        }
    }
}

fn slots(n: usize) -> Vec<Slot> {
    (0..n).map(|_| OnceLock::new()).collect()
}

impl Bodies {
    /// Empty slots for the atlas's kommuner and programmes; nothing is built yet.
    pub fn new(a: &Atlas, publication: Publication) -> Bodies {
        let nk = a.kommuner().len();
        Bodies {
            kommuner: Default::default(),
            kommun: slots(nk),
            locate: slots(nk),
            programmes: OnceLock::new(),
            programme: slots(a.programmes().len()),
            region: OnceLock::new(),
            sources: OnceLock::new(),
            layers: slots(Layer::ALL.len()),
            catalogue: slots(RdfFormat::ALL.len()),
            publication,
            tables: (0..TableKind::ALL.len()).map(|_| OnceLock::new()).collect(),
            cache: Mutex::new(Cache {
                entries: lru::LruCache::unbounded(),
                bytes: 0,
            }),
        }
    }

    fn slot(&self, key: Fixed) -> Option<&Slot> {
        match key {
            Fixed::Kommuner(d) => self.kommuner.get(detail_index(d)),
            Fixed::Kommun(k) => self.kommun.get(k),
            Fixed::Locate(k) => self.locate.get(k),
            Fixed::Programmes => Some(&self.programmes),
            Fixed::Programme(p) => self.programme.get(p),
            Fixed::Region => Some(&self.region),
            Fixed::Sources => Some(&self.sources),
            Fixed::Layer(l) => self.layers.get(Layer::ALL.iter().position(|x| *x == l)?),
            Fixed::Catalogue(f) => self
                .catalogue
                .get(RdfFormat::ALL.iter().position(|x| *x == f)?),
        }
    }

    /// A query-independent body of `a` (the atlas these bodies were made for).
    pub fn fixed(&self, a: &Atlas, key: Fixed) -> Option<&Arc<Body>> {
        let slot = self.slot(key)?;
        Some(slot.get_or_init(|| Arc::new(build(a, &self.publication, key).prebuilt())))
    }

    /// A body by key: from the cache, else built now and kept.
    pub fn get(&self, key: Key, build: impl FnOnce() -> Body) -> Arc<Body> {
        if let Some(b) = self.cache.lock().expect("cache lock").get(&key) {
            return b;
        }
        let body = Arc::new(build());
        self.cache
            .lock()
            .expect("cache lock")
            .put(key, body.clone());
        body
    }

    /// The whole export table of a kind (no filter), built once per snapshot.
    pub fn table(&self, a: &Atlas, kind: TableKind) -> Option<&Table> {
        let i = TableKind::ALL.iter().position(|k| *k == kind)?;
        Some(self.tables[i].get_or_init(|| tables::build(a, kind, &Filter::default())))
    }

    /// A cached body, if there is one (for answers that must know before they build).
    pub fn cached(&self, key: &Key) -> Option<Arc<Body>> {
        self.cache.lock().expect("cache lock").get(key)
    }

    /// Every query-independent key of these bodies.
    fn fixed_keys(&self) -> impl Iterator<Item = Fixed> + use<> {
        let (nk, np) = (self.kommun.len(), self.programme.len());
        Detail::ALL
            .iter()
            .map(|d| Fixed::Kommuner(*d))
            .chain((0..nk).flat_map(|k| [Fixed::Kommun(k), Fixed::Locate(k)]))
            .chain([Fixed::Programmes, Fixed::Region, Fixed::Sources])
            .chain((0..np).map(Fixed::Programme))
            .chain(Layer::ALL.iter().map(|l| Fixed::Layer(*l)))
            .chain(RdfFormat::ALL.iter().map(|f| Fixed::Catalogue(*f)))
    }

    /// Builds every query-independent body now.
    pub fn fill(&self, a: &Atlas) {
        for key in self.fixed_keys() {
            self.fixed(a, key);
        }
    }

    /// Builds and compresses every query-independent body; run off the request path after a
    /// swap, so the first requests find them ready.
    pub fn warm(&self, a: &Atlas) {
        for key in self.fixed_keys() {
            if let Some(b) = self.fixed(a, key) {
                b.warm();
            }
        }
    }
}

fn detail_index(d: Detail) -> usize {
    match d {
        Detail::Low => 0,
        Detail::Medium => 1,
        Detail::Full => 2,
    }
}

fn build(a: &Atlas, publication: &Publication, key: Fixed) -> Body {
    match key {
        Fixed::Kommuner(d) => views::kommuner_collection(a, d),
        Fixed::Kommun(k) => Body::json(&views::kommun_detail(a, k)),
        Fixed::Locate(k) => Body::json(&views::locate_answer(a, k)),
        Fixed::Programmes => Body::json(&views::programme_list(a)),
        Fixed::Programme(p) => Body::json(&views::programme_detail(a, p)),
        Fixed::Region => Body::json(&views::region(a)),
        Fixed::Sources => Body::json(&views::sources(a)),
        Fixed::Layer(l) => views::layer_body(a, &LayerQuery::default_for(a, l)),
        Fixed::Catalogue(f) => dcat::body(a, publication, f),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(i: usize) -> Key {
        Key::Page {
            url: format!("/sida/{i}"),
            embed: false,
            today: "2026-12-02".into(),
        }
    }

    #[test]
    fn the_cache_stays_within_its_bytes_and_keeps_the_newest() {
        let mut c = Cache {
            entries: lru::LruCache::unbounded(),
            bytes: 0,
        };
        let body = |n: usize| Arc::new(Body::new(crate::http::body::TEXT, vec![b'x'; n]));
        for i in 0..200 {
            c.put(page(i), body(1 << 20));
            assert!(c.bytes <= CACHE_BYTES, "{} bytes after {i}", c.bytes);
        }
        assert!(c.get(&page(199)).is_some());
        assert!(c.get(&page(0)).is_none());
        assert_eq!(
            c.bytes,
            c.entries
                .iter()
                .map(|(_, b)| Cache::weight(b))
                .sum::<usize>()
        );
        // One body over the whole budget is still kept (and alone).
        c.put(page(1000), body(CACHE_BYTES));
        assert_eq!(c.entries.len(), 1);
        assert!(c.get(&page(1000)).is_some());
    }
}
