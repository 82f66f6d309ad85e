//! Geometry of kommun boundaries: neighbours, point lookup, validity, topology-preserving
//! simplification and GeoJSON output.
//!
//! Coordinates are WGS 84 lon/lat. Shared borders in the source use identical vertices on both
//! sides, so vertices and edges are matched exactly by integer micro-degree keys (the data has
//! 6 decimals) instead of by geometric intersection.
//!
//! geo supplies the primitives (envelopes, orientation, point in ring, segment intersection,
//! rounding) and rstar the point index; what stays hand-written here is what no crate does for
//! this data, or does much slower: matching shared borders exactly, simplifying them together
//! (with its own Douglas–Peucker), and a validity check that runs in about O(n log n).

use foldhash::HashMap;
use geo::coordinate_position::{CoordPos, coord_pos_relative_to_ring};
use geo::line_intersection::line_intersection;
use geo::orient::Direction;
use geo::{
    Area, BoundingRect, Centroid, Contains, Coord, Distance, Haversine, InteriorPoint, Intersects,
    Kernel, Line, LineIntersection, LineString, MapCoords, MultiPolygon, Orient, Orientation,
    Point, Polygon, Rect, RemoveRepeatedPoints, Winding,
};
use rstar::primitives::{CachedEnvelope, GeomWithData};
use rstar::{AABB, RTree};
use serde_json::{Value, json};

/// Kommuner sharing a border of positive length: for each input index, (other index, shared
/// length in metres), sorted by other index.
///
/// Hand-written on purpose: edges are matched exactly by integer keys, which is what the data
/// promises (identical vertices on both sides of a border); geo's `Relate` would compute every
/// boundary intersection geometrically, far slower, to answer the same question.
pub fn neighbours(shapes: &[MultiPolygon<f64>]) -> Vec<Vec<(usize, f64)>> {
    // Every undirected edge with its owner; sorting groups identical edges of different kommuner.
    // (Sorting packed integer keys measured faster than a hash map of edges.)
    let mut edges: Vec<(u128, u32)> = Vec::new();
    for (owner, shape) in shapes.iter().enumerate() {
        for ring in rings_of(shape) {
            for w in ring.0.windows(2) {
                let (a, b) = (packed_key(w[0]), packed_key(w[1]));
                if a != b {
                    edges.push(((a.min(b) as u128) << 64 | a.max(b) as u128, owner as u32));
                }
            }
        }
    }
    edges.sort_unstable();

    let mut lengths: HashMap<(u32, u32), f64> = HashMap::default();
    let mut owners: Vec<u32> = Vec::new();
    for group in edges.chunk_by(|x, y| x.0 == y.0) {
        owners.clear();
        owners.extend(group.iter().map(|e| e.1));
        owners.dedup();
        if owners.len() < 2 {
            continue;
        }
        let (a, b) = (
            unpack_key((group[0].0 >> 64) as u64),
            unpack_key(group[0].0 as u64),
        );
        let metres = Haversine.distance(Point(a), Point(b));
        for (i, &a) in owners.iter().enumerate() {
            for &b in &owners[i + 1..] {
                *lengths.entry((a, b)).or_insert(0.0) += metres;
            }
        }
    }

    let mut result = vec![Vec::new(); shapes.len()];
    for (&(a, b), &metres) in &lengths {
        if metres > 0.0 {
            result[a as usize].push((b as usize, metres));
            result[b as usize].push((a as usize, metres));
        }
    }
    for list in &mut result {
        list.sort_by_key(|&(other, _)| other);
    }
    result
}

/// A polygon part in the locate index: (its shape, its index in `Locator::parts`).
type Part = GeomWithData<CachedEnvelope<Polygon<f64>>, (usize, usize)>;

/// Point lookup: an rstar R-tree of the polygon parts, then an exact test. Boundary points
/// count as inside (the lowest index wins on ties).
pub struct Locator {
    /// Each part with the index of its shape. `CachedEnvelope` because a bare polygon computes
    /// its envelope from all its vertices whenever the tree looks at it (measured 22× the work
    /// for `new` and 5× for `locate` on the national data).
    tree: RTree<Part>,
    /// The rings of every part (exterior first), indexed for the exact test.
    parts: Vec<Vec<BandedRing>>,
}

impl Locator {
    pub fn new(shapes: &[MultiPolygon<f64>]) -> Self {
        let mut entries = Vec::new();
        let mut parts = Vec::new();
        for (i, shape) in shapes.iter().enumerate() {
            for part in shape.0.iter().filter(|p| !p.exterior().0.is_empty()) {
                let rings = std::iter::once(part.exterior()).chain(part.interiors());
                parts.push(rings.map(BandedRing::new).collect());
                let envelope = CachedEnvelope::new(part.clone());
                entries.push(GeomWithData::new(envelope, (i, parts.len() - 1)));
            }
        }
        Locator {
            tree: RTree::bulk_load(entries),
            parts,
        }
    }

    pub fn locate(&self, lon: f64, lat: f64) -> Option<usize> {
        if !lon.is_finite() || !lat.is_finite() {
            return None;
        }
        let c = Coord { x: lon, y: lat };
        self.tree
            .locate_in_envelope_intersecting(&AABB::from_point(Point(c)))
            .filter(|entry| {
                // As geo's `Intersects<Coord>` for a polygon: in or on the exterior, and not
                // strictly inside a hole.
                let (exterior, holes) = self.parts[entry.data.1].split_first().expect("exterior");
                exterior.position(c) != CoordPos::Outside
                    && holes.iter().all(|h| h.position(c) != CoordPos::Inside)
            })
            .map(|entry| entry.data.0)
            .min()
    }
}

/// A closed ring with its edges sorted into horizontal bands, so that a point is tested only
/// against the edges level with it. geo's `coord_pos_relative_to_ring` walks every edge, which
/// was most of a locate on full-detail rings of thousands of vertices; `position` applies the
/// same winding-number rules (and the same robust orientation test) to the edges whose y-span
/// holds the point, the only edges that can count, so its answer is the same.
struct BandedRing {
    coords: Vec<Coord<f64>>,
    y0: f64,
    /// Height of a band; every edge is listed in each band its y-span touches.
    height: f64,
    bands: Vec<Vec<u32>>,
}

impl BandedRing {
    fn new(ring: &LineString<f64>) -> BandedRing {
        let coords = ring.0.clone();
        let (y0, y1) = coords.iter().fold((f64::MAX, f64::MIN), |(lo, hi), c| {
            (lo.min(c.y), hi.max(c.y))
        });
        let n = (coords.len() / 4).clamp(1, 4096);
        let height = if y1 > y0 { (y1 - y0) / n as f64 } else { 1.0 };
        let mut ring = BandedRing {
            coords,
            y0,
            height,
            bands: vec![Vec::new(); n],
        };
        for i in 0..ring.coords.len().saturating_sub(1) {
            let (a, b) = (ring.coords[i].y, ring.coords[i + 1].y);
            for band in ring.band(a.min(b))..=ring.band(a.max(b)) {
                ring.bands[band].push(i as u32);
            }
        }
        ring
    }

    /// The band of a height: monotone in `y`, so an edge's bands include the band of every
    /// height on it.
    fn band(&self, y: f64) -> usize {
        (((y - self.y0) / self.height).floor().max(0.0) as usize).min(self.bands.len() - 1)
    }

    fn position(&self, c: Coord<f64>) -> CoordPos {
        match self.coords.len() {
            0 => return CoordPos::Outside,
            1 if c == self.coords[0] => return CoordPos::OnBoundary,
            1 => return CoordPos::Outside,
            _ => {}
        }
        if c.y < self.y0 || c.y > self.y0 + self.height * self.bands.len() as f64 {
            return CoordPos::Outside;
        }
        let between = |x: f64, a: f64, b: f64| x >= a.min(b) && x <= a.max(b);
        let mut winding = 0;
        for &i in &self.bands[self.band(c.y)] {
            let (start, end) = (self.coords[i as usize], self.coords[i as usize + 1]);
            if start.y <= c.y {
                if end.y >= c.y {
                    let o = <f64 as geo::GeoNum>::Ker::orient2d(start, end, c);
                    if o == Orientation::CounterClockwise && end.y != c.y {
                        winding += 1;
                    } else if o == Orientation::Collinear && between(c.x, start.x, end.x) {
                        return CoordPos::OnBoundary;
                    }
                }
            } else if end.y <= c.y {
                let o = <f64 as geo::GeoNum>::Ker::orient2d(start, end, c);
                if o == Orientation::Clockwise {
                    winding -= 1;
                } else if o == Orientation::Collinear && between(c.x, start.x, end.x) {
                    return CoordPos::OnBoundary;
                }
            }
        }
        if winding == 0 {
            CoordPos::Outside
        } else {
            CoordPos::Inside
        }
    }
}

/// Simplify all shapes together so that shared borders stay shared (identical vertices on both
/// sides) and topology is kept.
///
/// Rings are split into arcs at junctions (vertices with other than two distinct incident edges,
/// i.e. where the set of kommuner owning the adjacent edges changes, or where rings touch).
/// Every distinct arc is simplified once with Douglas–Peucker, keeping its endpoints, and rings
/// are rebuilt from the arcs. Arcs whose simplification makes segments cross, a ring collapse or
/// flip, or a ring move to the other side of another ring get a smaller tolerance until the
/// result is clean (at worst the original arc). Exterior rings are CCW, holes CW.
///
/// Hand-written on purpose: geo's simplifiers (and those of other crates) work on one geometry
/// at a time, so each side of a border would be simplified differently and open gaps.
pub fn simplify_shared(shapes: &[MultiPolygon<f64>], tolerance_deg: f64) -> Vec<MultiPolygon<f64>> {
    let topo = Topology::build(shapes);
    let start_tol = if tolerance_deg.is_finite() {
        tolerance_deg.max(0.0)
    } else {
        0.0
    };
    let mut tol = vec![start_tol; topo.arcs.len()];
    let mut simplified: Vec<Vec<u32>> = topo
        .arcs
        .iter()
        .zip(&tol)
        .map(|(arc, &t)| douglas_peucker(arc, &topo.coords, t))
        .collect();
    let original_pos = topo.anchor_positions();

    loop {
        // Refine until the cheap topology checks pass or nothing can be refined further.
        loop {
            let bad = topo.conflicts(&simplified, &original_pos);
            let mut changed = false;
            for arc in bad {
                if tol[arc] > 0.0 {
                    tol[arc] = if tol[arc] < MIN_TOLERANCE {
                        0.0
                    } else {
                        tol[arc] / 2.0
                    };
                    simplified[arc] = douglas_peucker(&topo.arcs[arc], &topo.coords, tol[arc]);
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        let result = topo.rebuild(&simplified);
        // Final guard: a shape that still fails full validation keeps its original arcs.
        let mut changed = false;
        for (i, shape) in result.iter().enumerate() {
            if validate(shape).is_empty() || !validate(&shapes[i]).is_empty() {
                continue;
            }
            for ring in topo.rings.iter().filter(|r| r.shape == i) {
                for &(arc, _) in &ring.arcs {
                    if tol[arc] > 0.0 {
                        tol[arc] = 0.0;
                        simplified[arc] = topo.arcs[arc].clone();
                        changed = true;
                    }
                }
            }
        }
        if !changed {
            return result;
        }
    }
}

/// RFC 7946 GeoJSON geometry: a Polygon when there is one part, else a MultiPolygon;
/// coordinates rounded to 6 decimals; exterior rings CCW, holes CW; rings closed.
///
/// Built as a serde_json `Value` directly: the geojson crate would give the same text through
/// an extra copy of every position.
pub fn geometry_json(shape: &MultiPolygon<f64>) -> Value {
    let round = |v: f64| (v * SCALE).round() / SCALE;
    // Rounding can make neighbouring positions equal; `map_coords` keeps the rings closed.
    let mut rounded = shape.map_coords(|c| Coord {
        x: round(c.x),
        y: round(c.y),
    });
    rounded.remove_repeated_points_mut();
    let ring_json =
        |ring: &LineString<f64>| Value::Array(ring.0.iter().map(|c| json!([c.x, c.y])).collect());
    let polygons: Vec<Value> = rounded
        .orient(Direction::Default)
        .0
        .iter()
        .map(|part| {
            Value::Array(
                std::iter::once(part.exterior())
                    .chain(part.interiors())
                    .map(ring_json)
                    .collect(),
            )
        })
        .collect();
    if polygons.len() == 1 {
        json!({ "type": "Polygon", "coordinates": polygons[0] })
    } else {
        json!({ "type": "MultiPolygon", "coordinates": polygons })
    }
}

/// [min_lon, min_lat, max_lon, max_lat] of the exterior rings; all NaN for an empty shape.
pub fn bbox(shape: &MultiPolygon<f64>) -> [f64; 4] {
    shape.bounding_rect().map_or([f64::NAN; 4], |r| {
        [r.min().x, r.min().y, r.max().x, r.max().y]
    })
}

/// A point inside the largest part, for labels: its centroid when that lies inside,
/// otherwise geo's interior point. (NaN, NaN) for an empty shape.
pub fn label_point(shape: &MultiPolygon<f64>) -> (f64, f64) {
    let Some(part) = shape
        .0
        .iter()
        .max_by(|a, b| a.unsigned_area().total_cmp(&b.unsigned_area()))
    else {
        return (f64::NAN, f64::NAN);
    };
    let point = part
        .centroid()
        .filter(|c| part.contains(c))
        .or_else(|| part.interior_point());
    point.map_or((f64::NAN, f64::NAN), |p| (p.x(), p.y()))
}

// ---------------------------------------------------------------------------------------------
// Validity
// ---------------------------------------------------------------------------------------------

/// Why a shape is not a valid (OGC simple features) multipolygon, and roughly where. The words
/// for it are the loader's (`boundaries`), which knows how to name rings to a reader.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Invalidity {
    pub kind: InvalidKind,
    pub at: Coord,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum InvalidKind {
    NonFinite {
        part: usize,
        ring: usize,
    },
    TooFewPoints {
        part: usize,
        ring: usize,
    },
    SelfIntersection {
        part: usize,
        ring: usize,
    },
    RingsCross {
        part: usize,
        ring_a: usize,
        ring_b: usize,
    },
    HoleOutside {
        part: usize,
        ring: usize,
    },
    HolesNested {
        part: usize,
        ring_a: usize,
        ring_b: usize,
    },
    PartsOverlap {
        part_a: usize,
        part_b: usize,
    },
}

/// Check that a multipolygon is valid: rings simple (no crossing or touching itself), rings of a
/// part meet at most at points, holes inside the exterior and not nested, parts not overlapping
/// and meeting at most at points.
///
/// Hand-written on purpose: with the sweep over segments it runs in about O(n log n), which
/// geo's `Validation` (quadratic per ring in its self-intersection check) does not for kommuner
/// with thousands of vertices.
///
/// Not checked: rings that cross exactly at a shared vertex, and interiors disconnected by
/// touching rings (geo's `Validation` does not check these either).
pub(crate) fn validate(shape: &MultiPolygon<f64>) -> Vec<Invalidity> {
    let mut found: Vec<Invalidity> = Vec::new();
    // One report per kind and ring; a broken ring may meet itself thousands of times.
    fn add(found: &mut Vec<Invalidity>, kind: InvalidKind, at: Coord) {
        if !found.iter().any(|f| f.kind == kind) {
            found.push(Invalidity { kind, at });
        }
    }

    // Rings closed and without consecutive duplicates.
    let mut parts: Vec<Vec<LineString<f64>>> = Vec::with_capacity(shape.0.len());
    for (p, polygon) in shape.0.iter().enumerate() {
        let mut rings = Vec::new();
        for (r, ring) in std::iter::once(polygon.exterior())
            .chain(polygon.interiors())
            .enumerate()
        {
            if let Some(c) = ring.0.iter().find(|c| !c.x.is_finite() || !c.y.is_finite()) {
                add(&mut found, InvalidKind::NonFinite { part: p, ring: r }, *c);
                rings.push(LineString::new(Vec::new()));
                continue;
            }
            let mut coords = ring.remove_repeated_points();
            coords.close();
            if coords.0.len() < 4 {
                add(
                    &mut found,
                    InvalidKind::TooFewPoints { part: p, ring: r },
                    ring.0.first().copied().unwrap_or_default(),
                );
            }
            rings.push(coords);
        }
        parts.push(rings);
    }
    if !found.is_empty() {
        return found;
    }

    let mut segs = Vec::new();
    for (p, rings) in parts.iter().enumerate() {
        for (r, ring) in rings.iter().enumerate() {
            let n = ring.0.len() as u32 - 1;
            for (i, w) in ring.0.windows(2).enumerate() {
                segs.push(Seg::new(w[0], w[1], [p as u32, r as u32, i as u32, n]));
            }
        }
    }
    sweep(&mut segs, |s, t| {
        let (sp, sr, tp, tr) = (
            s.tag[0] as usize,
            s.tag[1] as usize,
            t.tag[0] as usize,
            t.tag[1] as usize,
        );
        let n = s.tag[3];
        let adjacent = sp == tp
            && sr == tr
            && ((s.tag[2] + 1) % n == t.tag[2] || (t.tag[2] + 1) % n == s.tag[2]);
        // Consecutive segments meet at their shared vertex; only a spike (folding back) is wrong.
        if adjacent && !joined_collinear(s, t) {
            return;
        }
        let Some(meeting) = line_intersection(s.line(), t.line()) else {
            return;
        };
        // Touching: one point that is an endpoint of at least one of them.
        let (touch, overlap, at) = match meeting {
            LineIntersection::SinglePoint {
                intersection,
                is_proper,
            } => (!is_proper, false, intersection),
            LineIntersection::Collinear { intersection } => (false, true, intersection.start),
        };
        if sp == tp && sr == tr {
            if !adjacent || overlap {
                add(
                    &mut found,
                    InvalidKind::SelfIntersection { part: sp, ring: sr },
                    at,
                );
            }
        } else if !touch {
            if sp == tp {
                let (a, b) = (sr.min(tr), sr.max(tr));
                add(
                    &mut found,
                    InvalidKind::RingsCross {
                        part: sp,
                        ring_a: a,
                        ring_b: b,
                    },
                    at,
                );
            } else {
                let (a, b) = (sp.min(tp), sp.max(tp));
                add(
                    &mut found,
                    InvalidKind::PartsOverlap {
                        part_a: a,
                        part_b: b,
                    },
                    at,
                );
            }
        }
    });
    if !found.is_empty() {
        // Containment answers are meaningless once rings cross.
        return found;
    }

    for (p, rings) in parts.iter().enumerate() {
        for (h, hole) in rings.iter().enumerate().skip(1) {
            if let Some(pt) = test_point(hole, &[&rings[0]])
                && coord_pos_relative_to_ring(pt, &rings[0]) == CoordPos::Outside
            {
                add(
                    &mut found,
                    InvalidKind::HoleOutside { part: p, ring: h },
                    pt,
                );
            }
            for (g, other) in rings.iter().enumerate().skip(1) {
                if g != h
                    && bbox_overlap(hole, other)
                    && let Some(pt) = test_point(hole, &[other])
                    && coord_pos_relative_to_ring(pt, other) == CoordPos::Inside
                {
                    add(
                        &mut found,
                        InvalidKind::HolesNested {
                            part: p,
                            ring_a: h.min(g),
                            ring_b: h.max(g),
                        },
                        pt,
                    );
                }
            }
        }
    }
    for (a, ra) in parts.iter().enumerate() {
        for (b, rb) in parts.iter().enumerate() {
            if a == b || !bbox_overlap(&ra[0], &rb[0]) {
                continue;
            }
            let outers: Vec<&LineString<f64>> = rb.iter().collect();
            let Some(pt) = test_point(&ra[0], &outers) else {
                continue;
            };
            let in_b = coord_pos_relative_to_ring(pt, &rb[0]) == CoordPos::Inside
                && !rb[1..]
                    .iter()
                    .any(|hole| coord_pos_relative_to_ring(pt, hole) == CoordPos::Inside);
            if in_b {
                add(
                    &mut found,
                    InvalidKind::PartsOverlap {
                        part_a: a.min(b),
                        part_b: a.max(b),
                    },
                    pt,
                );
            }
        }
    }
    found
}

// ---------------------------------------------------------------------------------------------
// Topology for simplification
// ---------------------------------------------------------------------------------------------

/// Below this tolerance (about 1 cm) an arc is kept as it is.
const MIN_TOLERANCE: f64 = 1e-7;
/// A simplified ring with less than this share of its original area counts as collapsed.
const MIN_AREA_RATIO: f64 = 0.25;

struct RingInfo {
    shape: usize,
    part: usize,
    /// Arcs in ring order, and whether each is walked backwards.
    arcs: Vec<(usize, bool)>,
    /// The original ring, as a polygon without holes: geo's `Area` gives a bare LineString none.
    original: Polygon<f64>,
    area: f64,
    bbox: Option<Rect<f64>>,
    /// A vertex every simplification keeps (the start of the first arc).
    anchor: u32,
}

struct Topology {
    shape_count: usize,
    coords: Vec<Coord>,
    /// Distinct arcs as vertex ids, each stored once in a canonical direction.
    arcs: Vec<Vec<u32>>,
    rings: Vec<RingInfo>,
}

impl Topology {
    fn build(shapes: &[MultiPolygon<f64>]) -> Self {
        let mut ids: HashMap<(i64, i64), u32> = HashMap::default();
        let mut coords: Vec<Coord> = Vec::new();
        // (shape, part, vertex ids of the ring without closing vertex)
        let mut raw: Vec<(usize, usize, Vec<u32>)> = Vec::new();
        for (s, shape) in shapes.iter().enumerate() {
            for (p, polygon) in shape.0.iter().enumerate() {
                for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
                    let mut v: Vec<u32> = ring
                        .0
                        .iter()
                        .map(|&c| {
                            *ids.entry(key(c)).or_insert_with(|| {
                                coords.push(c);
                                coords.len() as u32 - 1
                            })
                        })
                        .collect();
                    v.dedup();
                    while v.len() > 1 && v.first() == v.last() {
                        v.pop();
                    }
                    raw.push((s, p, v));
                }
            }
        }

        // Junctions: vertices without exactly two distinct incident edges.
        let mut edges: Vec<(u32, u32)> = Vec::new();
        for (_, _, v) in &raw {
            for i in 0..v.len() {
                let (a, b) = (v[i], v[(i + 1) % v.len()]);
                if a != b {
                    edges.push((a.min(b), a.max(b)));
                }
            }
        }
        edges.sort_unstable();
        edges.dedup();
        let mut degree = vec![0u32; coords.len()];
        for &(a, b) in &edges {
            degree[a as usize] += 1;
            degree[b as usize] += 1;
        }

        let mut arcs: Vec<Vec<u32>> = Vec::new();
        let mut arc_ids: HashMap<(u32, u32), usize> = HashMap::default();
        let mut rings = Vec::with_capacity(raw.len());
        for (shape, part, v) in raw {
            let original = Polygon::new(
                v.iter()
                    .chain(v.first())
                    .map(|&i| coords[i as usize])
                    .collect(),
                Vec::new(),
            );
            let n = v.len();
            let junctions: Vec<usize> = (0..n).filter(|&i| degree[v[i] as usize] != 2).collect();
            // A ring without junctions is one closed arc; starting it at the lowest id makes
            // every ring that uses it (a hole and the enclave filling it) cut it the same way.
            let starts = if junctions.is_empty() {
                (0..n).min_by_key(|&i| v[i]).into_iter().collect()
            } else {
                junctions
            };
            let mut ring_arcs = Vec::with_capacity(starts.len());
            for (k, &from) in starts.iter().enumerate() {
                let to = starts.get(k + 1).copied().unwrap_or(starts[0] + n);
                let mut arc: Vec<u32> = (from..=to).map(|i| v[i % n]).collect();
                let reversed =
                    arc.len() >= 2 && (arc[arc.len() - 1], arc[arc.len() - 2]) < (arc[0], arc[1]);
                if reversed {
                    arc.reverse();
                }
                let canon = (arc[0], arc.get(1).copied().unwrap_or(arc[0]));
                let id = *arc_ids.entry(canon).or_insert_with(|| {
                    arcs.push(arc);
                    arcs.len() - 1
                });
                ring_arcs.push((id, reversed));
            }
            let anchor = v
                .get(starts.first().copied().unwrap_or(0))
                .copied()
                .unwrap_or(0);
            rings.push(RingInfo {
                shape,
                part,
                arcs: ring_arcs,
                area: original.signed_area(),
                bbox: original.bounding_rect(),
                original,
                anchor,
            });
        }
        Topology {
            shape_count: shapes.len(),
            coords,
            arcs,
            rings,
        }
    }

    /// Vertex ids of a ring rebuilt from (simplified) arcs, closed.
    fn ring_ids(&self, ring: &RingInfo, arcs: &[Vec<u32>]) -> Vec<u32> {
        let mut out: Vec<u32> = Vec::new();
        for &(arc, reversed) in &ring.arcs {
            let a = &arcs[arc];
            if reversed {
                out.extend(a.iter().rev().take(a.len().saturating_sub(1)));
            } else {
                out.extend(a.iter().take(a.len().saturating_sub(1)));
            }
        }
        if let Some(&first) = out.first() {
            out.push(first);
        }
        out
    }

    /// A ring rebuilt from (simplified) arcs, closed.
    fn ring_coords(&self, ring: &RingInfo, arcs: &[Vec<u32>]) -> LineString<f64> {
        self.ring_ids(ring, arcs)
            .iter()
            .map(|&i| self.coords[i as usize])
            .collect()
    }

    /// For every ring's anchor: each other ring whose envelope holds it and, when it is not on
    /// that ring, whether the anchor is inside it in the original data.
    fn anchor_positions(&self) -> Vec<Vec<(usize, bool)>> {
        self.rings
            .iter()
            .enumerate()
            .map(|(r, ring)| {
                let pt = self.coords[ring.anchor as usize];
                self.rings
                    .iter()
                    .enumerate()
                    .filter(|&(q, other)| q != r && other.bbox.is_some_and(|b| b.intersects(&pt)))
                    .filter_map(|(q, other)| {
                        match coord_pos_relative_to_ring(pt, other.original.exterior()) {
                            CoordPos::Inside => Some((q, true)),
                            CoordPos::Outside => Some((q, false)),
                            CoordPos::OnBoundary => None,
                        }
                    })
                    .collect()
            })
            .collect()
    }

    /// Arcs to simplify less: those with crossing or overlapping segments, those of rings that
    /// collapse or flip, and those of rings that moved across another ring's anchor.
    fn conflicts(&self, arcs: &[Vec<u32>], original_pos: &[Vec<(usize, bool)>]) -> Vec<usize> {
        let mut bad = vec![false; arcs.len()];
        let mut segs = Vec::new();
        for (a, arc) in arcs.iter().enumerate() {
            for w in arc.windows(2) {
                let (p, q) = (self.coords[w[0] as usize], self.coords[w[1] as usize]);
                segs.push(Seg::new(p, q, [a as u32, w[0], w[1], 0]));
            }
        }
        sweep(&mut segs, |s, t| {
            let shared = s.tag[1] == t.tag[1]
                || s.tag[1] == t.tag[2]
                || s.tag[2] == t.tag[1]
                || s.tag[2] == t.tag[2];
            if shared && !joined_collinear(s, t) {
                return;
            }
            // Segments may only meet at a vertex they share: consecutive in an arc, or at a junction.
            let at_shared_vertex = |meeting: &LineIntersection<f64>| {
                shared
                    && matches!(
                        meeting,
                        LineIntersection::SinglePoint {
                            is_proper: false,
                            ..
                        }
                    )
            };
            if line_intersection(s.line(), t.line()).is_some_and(|m| !at_shared_vertex(&m)) {
                bad[s.tag[0] as usize] = true;
                bad[t.tag[0] as usize] = true;
            }
        });

        // As polygons without holes, for their signed area.
        let rebuilt: Vec<Polygon<f64>> = self
            .rings
            .iter()
            .map(|ring| Polygon::new(self.ring_coords(ring, arcs), Vec::new()))
            .collect();
        let mut bad_rings = vec![false; self.rings.len()];
        for (r, ring) in self.rings.iter().enumerate() {
            let area = rebuilt[r].signed_area();
            if rebuilt[r].exterior().0.len() < 4
                || area.signum() != ring.area.signum()
                || area.abs() < MIN_AREA_RATIO * ring.area.abs()
            {
                bad_rings[r] = true;
            }
            let pt = self.coords[ring.anchor as usize];
            for &(q, inside) in &original_pos[r] {
                let expected = if inside {
                    CoordPos::Inside
                } else {
                    CoordPos::Outside
                };
                if coord_pos_relative_to_ring(pt, rebuilt[q].exterior()) != expected {
                    bad_rings[q] = true;
                    bad_rings[r] = true;
                }
            }
        }
        for (r, ring) in self.rings.iter().enumerate() {
            if bad_rings[r] {
                for &(arc, _) in &ring.arcs {
                    bad[arc] = true;
                }
            }
        }
        (0..arcs.len()).filter(|&a| bad[a]).collect()
    }

    fn rebuild(&self, arcs: &[Vec<u32>]) -> Vec<MultiPolygon<f64>> {
        let mut shapes: Vec<Vec<Vec<LineString<f64>>>> = vec![Vec::new(); self.shape_count];
        for ring in &self.rings {
            let parts = &mut shapes[ring.shape];
            while parts.len() <= ring.part {
                parts.push(Vec::new());
            }
            let mut coords = self.ring_coords(ring, arcs);
            if parts[ring.part].is_empty() {
                coords.make_ccw_winding();
            } else {
                coords.make_cw_winding();
            }
            parts[ring.part].push(coords);
        }
        shapes
            .into_iter()
            .map(|parts| {
                MultiPolygon(
                    parts
                        .into_iter()
                        .map(|mut rings| {
                            let exterior = rings.remove(0);
                            Polygon::new(exterior, rings)
                        })
                        .collect(),
                )
            })
            .collect()
    }
}

/// Douglas–Peucker on one arc, keeping both endpoints. A closed arc (a whole ring) keeps at least
/// three distinct vertices so that it stays a ring.
///
/// Kept instead of geo's `SimplifyIdx` (which gives the same vertices on the shipped data): geo
/// measures each distance with `hypot` and allocates per recursion, which made `simplify_shared`
/// about 30% slower (168 against 129 million instructions for the national data at 0.003; 17
/// against 13 ms), this being most of its work.
fn douglas_peucker(ids: &[u32], coords: &[Coord], tolerance: f64) -> Vec<u32> {
    let n = ids.len();
    if tolerance <= 0.0 || n <= 2 {
        return ids.to_vec();
    }
    let at = |i: usize| coords[ids[i] as usize];
    let mut keep = vec![false; n];
    keep[0] = true;
    keep[n - 1] = true;
    if ids[0] == ids[n - 1] && n >= 4 {
        let far = (1..n - 1)
            .max_by(|&i, &j| dist2(at(0), at(i)).total_cmp(&dist2(at(0), at(j))))
            .unwrap_or(1);
        let second = (1..n - 1)
            .filter(|&i| i != far)
            .max_by(|&i, &j| {
                segment_dist2(at(i), at(0), at(far)).total_cmp(&segment_dist2(
                    at(j),
                    at(0),
                    at(far),
                ))
            })
            .unwrap_or(1);
        keep[far] = true;
        keep[second] = true;
    }
    let tol2 = tolerance * tolerance;
    let kept: Vec<usize> = (0..n).filter(|&i| keep[i]).collect();
    let mut stack: Vec<(usize, usize)> = kept.windows(2).map(|w| (w[0], w[1])).collect();
    while let Some((s, e)) = stack.pop() {
        if e <= s + 1 {
            continue;
        }
        let (a, b) = (at(s), at(e));
        let (mut best, mut best_d) = (s, -1.0);
        for i in s + 1..e {
            let d = segment_dist2(at(i), a, b);
            if d > best_d {
                best = i;
                best_d = d;
            }
        }
        if best_d > tol2 {
            keep[best] = true;
            stack.push((s, best));
            stack.push((best, e));
        }
    }
    (0..n).filter(|&i| keep[i]).map(|i| ids[i]).collect()
}

fn dist2(a: Coord, b: Coord) -> f64 {
    (a.x - b.x).powi(2) + (a.y - b.y).powi(2)
}

/// Squared distance from `p` to the segment a–b.
fn segment_dist2(p: Coord, a: Coord, b: Coord) -> f64 {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let len2 = dx * dx + dy * dy;
    if len2 == 0.0 {
        return dist2(p, a);
    }
    let t = (((p.x - a.x) * dx + (p.y - a.y) * dy) / len2).clamp(0.0, 1.0);
    dist2(
        p,
        Coord {
            x: a.x + t * dx,
            y: a.y + t * dy,
        },
    )
}

// ---------------------------------------------------------------------------------------------
// Small geometric helpers
// ---------------------------------------------------------------------------------------------

const SCALE: f64 = 1e6;

/// Integer micro-degree key: the data has 6 decimals, so equal vertices have equal keys.
fn key(c: Coord) -> (i64, i64) {
    ((c.x * SCALE).round() as i64, (c.y * SCALE).round() as i64)
}

/// The micro-degree key of a coordinate packed into one integer (offset to be non-negative).
fn packed_key(c: Coord) -> u64 {
    let (x, y) = key(c);
    ((x + KEY_OFFSET) as u64) << 32 | (y + KEY_OFFSET) as u64
}

fn unpack_key(k: u64) -> Coord {
    let part = |v: u64| ((v & 0xffff_ffff) as i64 - KEY_OFFSET) as f64 / SCALE;
    Coord {
        x: part(k >> 32),
        y: part(k),
    }
}

/// Keeps packed keys positive for longitudes down to -1000 degrees.
const KEY_OFFSET: i64 = 1 << 30;

fn rings_of(shape: &MultiPolygon<f64>) -> impl Iterator<Item = &LineString<f64>> {
    shape
        .0
        .iter()
        .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
}

fn bbox_overlap(a: &LineString<f64>, b: &LineString<f64>) -> bool {
    match (a.bounding_rect(), b.bounding_rect()) {
        (Some(a), Some(b)) => a.intersects(&b),
        _ => false,
    }
}

/// A point of `ring` (a segment midpoint) not on the boundary of any of `others`.
fn test_point(ring: &LineString<f64>, others: &[&LineString<f64>]) -> Option<Coord> {
    ring.lines()
        .take(32)
        .map(|l| Coord {
            x: (l.start.x + l.end.x) / 2.0,
            y: (l.start.y + l.end.y) / 2.0,
        })
        .find(|&m| {
            others
                .iter()
                .all(|o| coord_pos_relative_to_ring(m, o) != CoordPos::OnBoundary)
        })
}

/// A segment with its envelope and a caller's tag (which ring or arc, which vertices).
#[derive(Clone, Copy)]
struct Seg {
    a: Coord,
    b: Coord,
    min_x: f64,
    max_x: f64,
    min_y: f64,
    max_y: f64,
    tag: [u32; 4],
}

impl Seg {
    fn new(a: Coord, b: Coord, tag: [u32; 4]) -> Self {
        Seg {
            a,
            b,
            min_x: a.x.min(b.x),
            max_x: a.x.max(b.x),
            min_y: a.y.min(b.y),
            max_y: a.y.max(b.y),
            tag,
        }
    }

    fn line(&self) -> Line<f64> {
        Line::new(self.a, self.b)
    }
}

/// Calls `f` for every pair of segments whose envelopes meet (sorted by x, compared within x
/// overlap; `f` decides how they relate).
///
/// Kept instead of `geo::sweep::Intersections`: geo 0.30's was about 50× slower than this, and
/// the x-interval sweep of geo 0.32 (the same idea, but without the y test before
/// `line_intersection`) measured 1.4× slower on the 290 kommuner one by one and 2.7× slower on
/// all their segments at once (about 30 against 20 ms, and 200 against 75 ms).
fn sweep(segs: &mut [Seg], mut f: impl FnMut(&Seg, &Seg)) {
    segs.sort_unstable_by(|p, q| p.min_x.total_cmp(&q.min_x));
    for (i, s) in segs.iter().enumerate() {
        for t in &segs[i + 1..] {
            if t.min_x > s.max_x {
                break;
            }
            if t.max_y < s.min_y || t.min_y > s.max_y {
                continue;
            }
            f(s, t);
        }
    }
}

/// Whether two segments with a common endpoint lie on one line (the only way they can meet
/// anywhere else than at that endpoint).
fn joined_collinear(s: &Seg, t: &Seg) -> bool {
    let other = if t.a == s.a || t.a == s.b { t.b } else { t.a };
    <geo::kernels::RobustKernel as Kernel<f64>>::orient2d(s.a, s.b, other) == Orientation::Collinear
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::boundaries::{Boundary, invalid_message, parse_boundaries, shipped};
    use std::collections::{BTreeSet, HashMap};
    use std::sync::OnceLock;

    /// Planar signed area of a closed ring (positive when counter-clockwise).
    fn signed_area(ring: &[Coord]) -> f64 {
        Polygon::new(LineString(ring.to_vec()), Vec::new()).signed_area()
    }

    fn load(name: &str) -> Vec<Boundary> {
        let path = shipped(name);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let (boundaries, problems, _) = parse_boundaries(name, &text);
        assert!(problems.is_empty(), "{problems:?}");
        boundaries
    }

    fn skaraborg() -> &'static [Boundary] {
        static DATA: OnceLock<Vec<Boundary>> = OnceLock::new();
        DATA.get_or_init(|| load("skaraborg_kommuner.geojson"))
    }

    fn sverige() -> &'static [Boundary] {
        static DATA: OnceLock<Vec<Boundary>> = OnceLock::new();
        DATA.get_or_init(|| load("sverige_kommuner.geojson"))
    }

    fn shapes(boundaries: &[Boundary]) -> Vec<MultiPolygon<f64>> {
        boundaries.iter().map(|b| b.shape.clone()).collect()
    }

    fn index(boundaries: &[Boundary], code: &str) -> usize {
        boundaries
            .iter()
            .position(|b| b.code == code)
            .unwrap_or_else(|| panic!("no {code}"))
    }

    fn codes(boundaries: &[Boundary], list: &[(usize, f64)]) -> BTreeSet<String> {
        list.iter()
            .map(|&(j, _)| boundaries[j].code.clone())
            .collect()
    }

    type Edge = ((i64, i64), (i64, i64));

    fn vertex_keys(shape: &MultiPolygon<f64>) -> BTreeSet<(i64, i64)> {
        rings_of(shape)
            .flat_map(|r| r.0.iter().map(|&c| key(c)))
            .collect()
    }

    fn edge_keys(shape: &MultiPolygon<f64>) -> BTreeSet<Edge> {
        rings_of(shape)
            .flat_map(|r| r.0.windows(2).map(|w| (key(w[0]), key(w[1]))))
            .map(|(a, b)| (a.min(b), a.max(b)))
            .collect()
    }

    /// Vertices where a set of edges has an odd degree: the ends of its paths.
    fn loose_ends(edges: &BTreeSet<Edge>) -> BTreeSet<(i64, i64)> {
        let mut degree: HashMap<(i64, i64), usize> = HashMap::new();
        for &(a, b) in edges {
            *degree.entry(a).or_default() += 1;
            *degree.entry(b).or_default() += 1;
        }
        degree
            .into_iter()
            .filter(|&(_, d)| d % 2 == 1)
            .map(|(v, _)| v)
            .collect()
    }

    fn vertex_count(shapes: &[MultiPolygon<f64>]) -> usize {
        shapes
            .iter()
            .flat_map(rings_of)
            .map(|r| r.0.len() - 1)
            .sum()
    }

    fn pairs(list: &[Vec<(usize, f64)>]) -> BTreeSet<(usize, usize)> {
        list.iter()
            .enumerate()
            .flat_map(|(i, l)| l.iter().map(move |&(j, _)| (i.min(j), i.max(j))))
            .collect()
    }

    #[test]
    fn skovde_neighbours_in_skaraborg() {
        let data = skaraborg();
        let n = neighbours(&shapes(data));
        let skovde = &n[index(data, "1496")];
        // Götene, Tibro, Töreboda, Mariestad, Skara, Hjo, Tidaholm, Falköping: the eight kommuner
        // around Skövde in SCB's list too.
        let expected: BTreeSet<String> = [
            "1471", "1472", "1473", "1493", "1495", "1497", "1498", "1499",
        ]
        .map(String::from)
        .into();
        assert_eq!(codes(data, skovde), expected);
        assert!(
            skovde.iter().all(|&(_, metres)| metres > 1000.0),
            "{skovde:?}"
        );
        assert!(
            skovde.windows(2).all(|w| w[0].0 < w[1].0),
            "sorted by index"
        );
        // Symmetric, with the same length both ways.
        for (i, list) in n.iter().enumerate() {
            for &(j, metres) in list {
                let back = n[j].iter().find(|&&(k, _)| k == i).expect("symmetric");
                assert!((back.1 - metres).abs() < 1e-6);
            }
        }
        // Mariestad and Lidköping meet only at a point in Vänern.
        let (mariestad, lidkoping) = (index(data, "1493"), index(data, "1494"));
        assert!(!n[mariestad].iter().any(|&(j, _)| j == lidkoping));
        assert!(
            !vertex_keys(&data[mariestad].shape).is_disjoint(&vertex_keys(&data[lidkoping].shape))
        );
    }

    #[test]
    fn national_neighbours() {
        let data = sverige();
        let n = neighbours(&shapes(data));
        assert_eq!(
            pairs(&n).len(),
            773,
            "SOURCES.md: 773 pairs share a border line"
        );
        assert!(n.iter().flatten().all(|&(_, metres)| metres > 0.0));

        // Point contacts: sharing a vertex but no edge.
        for (a, b) in [
            ("1473", "1860"),
            ("1493", "1494"),
            ("1446", "1447"),
            ("1471", "1785"),
        ] {
            let (i, j) = (index(data, a), index(data, b));
            assert!(
                !n[i].iter().any(|&(k, _)| k == j),
                "{a}–{b} are not neighbours"
            );
            let shared = vertex_keys(&data[i].shape)
                .intersection(&vertex_keys(&data[j].shape))
                .count();
            assert!(shared >= 1, "{a}–{b} touch at a point");
        }
        // SOURCES.md: 21 pairs touch only at a point.
        let mut owners: HashMap<(i64, i64), BTreeSet<usize>> = HashMap::new();
        for (i, b) in data.iter().enumerate() {
            for v in vertex_keys(&b.shape) {
                owners.entry(v).or_default().insert(i);
            }
        }
        let mut touching: BTreeSet<(usize, usize)> = BTreeSet::new();
        for o in owners.values() {
            let o: Vec<usize> = o.iter().copied().collect();
            for (a, &i) in o.iter().enumerate() {
                touching.extend(o[a + 1..].iter().map(|&j| (i, j)));
            }
        }
        assert_eq!(touching.difference(&pairs(&n)).count(), 21);
        // Lidköping's borders out in Vänern.
        let lidkoping = codes(data, &n[index(data, "1494")]);
        for across_water in ["1487", "1461", "1492", "1785"] {
            assert!(lidkoping.contains(across_water), "{lidkoping:?}");
        }
        let skovde_national = codes(data, &n[index(data, "1496")]);
        let skovde_regional = codes(
            skaraborg(),
            &neighbours(&shapes(skaraborg()))[index(skaraborg(), "1496")],
        );
        assert_eq!(skovde_national, skovde_regional);
    }

    #[test]
    fn locate_points() {
        let data = skaraborg();
        let regional = Locator::new(&shapes(data));
        for (i, b) in data.iter().enumerate() {
            let (lon, lat) = label_point(&b.shape);
            assert_eq!(
                regional.locate(lon, lat),
                Some(i),
                "label point of {}",
                b.name
            );
        }
        let national_data = sverige();
        let national = Locator::new(&shapes(national_data));
        let code_at = |locator: &Locator, d: &[Boundary], lon, lat| {
            locator.locate(lon, lat).map(|i| d[i].code.clone())
        };

        // Vänern north of Kållandsö: lake water inside Lidköping's legal area.
        assert_eq!(
            code_at(&regional, data, 13.15, 58.74).as_deref(),
            Some("1494")
        );
        assert_eq!(
            code_at(&national, national_data, 13.15, 58.74).as_deref(),
            Some("1494")
        );
        // Northern Vänern (Hammarö's water) and central Göteborg are outside Skaraborg.
        assert_eq!(code_at(&regional, data, 13.6, 59.1), None);
        assert_eq!(
            code_at(&national, national_data, 13.6, 59.1).as_deref(),
            Some("1761")
        );
        assert_eq!(code_at(&regional, data, 11.967, 57.707), None);
        assert_eq!(
            code_at(&national, national_data, 11.967, 57.707).as_deref(),
            Some("1480")
        );
        // Outside Sweden, and nonsense input.
        assert_eq!(national.locate(10.0, 55.0), None);
        assert_eq!(national.locate(f64::NAN, 58.0), None);

        // A vertex on the Skövde–Skara border (and of no other kommun) belongs to both: the
        // lower index wins.
        let (skara, skovde) = (index(data, "1495"), index(data, "1496"));
        let others: BTreeSet<_> = data
            .iter()
            .enumerate()
            .filter(|&(i, _)| i != skara && i != skovde)
            .flat_map(|(_, b)| vertex_keys(&b.shape))
            .collect();
        let on_border = vertex_keys(&data[skara].shape)
            .intersection(&vertex_keys(&data[skovde].shape))
            .copied()
            .find(|v| !others.contains(v))
            .unwrap();
        let (x, y) = (on_border.0 as f64 / SCALE, on_border.1 as f64 / SCALE);
        assert_eq!(regional.locate(x, y), Some(skara.min(skovde)));
        assert!(matches!(regional.locate(x + 1e-9, y), Some(i) if i == skara || i == skovde));
    }

    fn check_simplified(tolerance: f64) -> (usize, usize) {
        let data = sverige();
        let original = shapes(data);
        let simplified = simplify_shared(&original, tolerance);
        assert_eq!(simplified.len(), original.len());
        let (before, after) = (vertex_count(&original), vertex_count(&simplified));
        assert!(after < before / 3, "{after} of {before}");

        for (b, shape) in data.iter().zip(&simplified) {
            assert!(
                validate(shape).is_empty(),
                "{}: {:?}",
                b.name,
                validate(shape)
            );
            // geo's own (slower) check agrees.
            assert!(geo::Validation::is_valid(shape), "{}", b.name);
            assert_eq!(shape.0.len(), b.shape.0.len(), "{} keeps its parts", b.name);
            for part in &shape.0 {
                assert!(
                    signed_area(&part.exterior().0) > 0.0,
                    "{}: exterior CCW",
                    b.name
                );
                assert!(
                    part.interiors().iter().all(|h| signed_area(&h.0) < 0.0),
                    "{}: holes CW",
                    b.name
                );
            }
        }

        // Same neighbour pairs, every shared border still of positive length, and drawn with
        // the same edges on both sides.
        let n_before = neighbours(&original);
        let n_after = neighbours(&simplified);
        assert_eq!(pairs(&n_after), pairs(&n_before));
        assert!(n_after.iter().flatten().all(|&(_, metres)| metres > 0.0));
        for (i, j) in pairs(&n_before) {
            let shared = |a: &MultiPolygon<f64>, b: &MultiPolygon<f64>| -> BTreeSet<_> {
                edge_keys(a).intersection(&edge_keys(b)).copied().collect()
            };
            let (before, after) = (
                shared(&original[i], &original[j]),
                shared(&simplified[i], &simplified[j]),
            );
            // If one side drew the border differently, the shared edges would have gaps, and the
            // gaps new loose ends.
            let names = format!("{}–{}", data[i].name, data[j].name);
            assert!(!after.is_empty(), "{names}");
            assert_eq!(loose_ends(&after), loose_ends(&before), "{names}");
        }
        // No two kommuner overlap afterwards.
        let envelopes: Vec<[f64; 4]> = simplified.iter().map(bbox).collect();
        for i in 0..simplified.len() {
            for j in i + 1..simplified.len() {
                let (a, b) = (envelopes[i], envelopes[j]);
                if a[0] > b[2] || b[0] > a[2] || a[1] > b[3] || b[1] > a[3] {
                    continue;
                }
                let matrix = geo::Relate::relate(&simplified[i], &simplified[j]);
                let interiors = matrix.get(
                    geo::coordinate_position::CoordPos::Inside,
                    geo::coordinate_position::CoordPos::Inside,
                );
                assert_eq!(
                    interiors,
                    geo::dimensions::Dimensions::Empty,
                    "{}–{}",
                    data[i].name,
                    data[j].name
                );
            }
        }
        // Simplification only drops vertices.
        for (a, b) in original.iter().zip(&simplified) {
            assert!(vertex_keys(b).is_subset(&vertex_keys(a)));
        }
        (before, after)
    }

    #[test]
    fn simplify_shared_at_0_003() {
        let (before, after) = check_simplified(0.003);
        assert_eq!(before, 120_654);
        assert!(after > 10_000, "{after}");
    }

    #[test]
    fn simplify_shared_at_0_01() {
        let (_, after) = check_simplified(0.01);
        assert!(after > 3_000, "{after}");
    }

    #[test]
    fn simplify_keeps_small_islands_and_enclaves() {
        // A square with a wiggly shared border, a tiny island and an enclave filling a hole.
        let left = MultiPolygon(vec![
            Polygon::new(
                LineString::from(vec![
                    (0.0, 0.0),
                    (1.0, 0.0),
                    (1.001, 0.5),
                    (1.0, 1.0),
                    (0.0, 1.0),
                    (0.0, 0.0),
                ]),
                vec![LineString::from(vec![
                    (0.2, 0.2),
                    (0.2, 0.4),
                    (0.3, 0.41),
                    (0.4, 0.4),
                    (0.4, 0.2),
                    (0.2, 0.2),
                ])],
            ),
            Polygon::new(
                LineString::from(vec![
                    (-1.0, 0.0),
                    (-0.999, 0.0),
                    (-0.999, 0.001),
                    (-1.0, 0.001),
                    (-1.0, 0.0),
                ]),
                vec![],
            ),
        ]);
        let right = MultiPolygon(vec![Polygon::new(
            LineString::from(vec![
                (1.0, 0.0),
                (2.0, 0.0),
                (2.0, 1.0),
                (1.0, 1.0),
                (1.001, 0.5),
                (1.0, 0.0),
            ]),
            vec![],
        )]);
        let enclave = MultiPolygon(vec![Polygon::new(
            LineString::from(vec![
                (0.2, 0.2),
                (0.4, 0.2),
                (0.4, 0.4),
                (0.3, 0.41),
                (0.2, 0.4),
                (0.2, 0.2),
            ]),
            vec![],
        )]);
        let input = [left, right, enclave];
        let out = simplify_shared(&input, 0.1);
        for shape in &out {
            assert!(validate(shape).is_empty(), "{shape:?}");
        }
        // The wiggle (0.001 off the line) goes on both sides; the island stays a ring.
        assert!(!vertex_keys(&out[0]).contains(&key(Coord { x: 1.001, y: 0.5 })));
        assert!(!vertex_keys(&out[1]).contains(&key(Coord { x: 1.001, y: 0.5 })));
        assert!(out[0].0[1].exterior().0.len() >= 4);
        // The hole and the enclave are still the same ring.
        let hole: BTreeSet<_> = out[0].0[0].interiors()[0]
            .0
            .iter()
            .map(|&c| key(c))
            .collect();
        assert_eq!(hole, vertex_keys(&out[2]));
        assert_eq!(pairs(&neighbours(&out)), pairs(&neighbours(&input)));
        // Zero tolerance changes nothing but the ring starts.
        let same = simplify_shared(&input, 0.0);
        assert_eq!(vertex_count(&same), vertex_count(&input));
    }

    #[test]
    fn geometry_json_orients_and_rounds() {
        // Clockwise exterior, counter-clockwise hole, more than 6 decimals.
        let shape = MultiPolygon(vec![Polygon::new(
            LineString::from(vec![
                (13.0, 58.0),
                (13.0, 58.1),
                (13.123_456_789, 58.1),
                (13.1, 58.0),
                (13.0, 58.0),
            ]),
            vec![LineString::from(vec![
                (13.02, 58.02),
                (13.05, 58.02),
                (13.05, 58.05),
                (13.02, 58.02),
            ])],
        )]);
        let json = geometry_json(&shape);
        assert_eq!(json["type"], "Polygon");
        let rings = json["coordinates"].as_array().unwrap();
        let coords = |ring: &Value| -> Vec<Coord> {
            ring.as_array()
                .unwrap()
                .iter()
                .map(|p| Coord {
                    x: p[0].as_f64().unwrap(),
                    y: p[1].as_f64().unwrap(),
                })
                .collect()
        };
        let (exterior, hole) = (coords(&rings[0]), coords(&rings[1]));
        assert!(signed_area(&exterior) > 0.0, "exterior CCW");
        assert!(signed_area(&hole) < 0.0, "hole CW");
        assert_eq!(exterior.first(), exterior.last());
        assert!(exterior.contains(&Coord {
            x: 13.123457,
            y: 58.1
        }));
        assert!(json.to_string().contains("[13.123457,58.1]"), "{json}");

        let two = MultiPolygon(vec![
            shape.0[0].clone(),
            Polygon::new(
                LineString::from(vec![(14.0, 58.0), (14.1, 58.0), (14.1, 58.1), (14.0, 58.0)]),
                vec![],
            ),
        ]);
        let json = geometry_json(&two);
        assert_eq!(json["type"], "MultiPolygon");
        assert_eq!(json["coordinates"].as_array().unwrap().len(), 2);

        // Real data round-trips exactly (it has 6 decimals and RFC 7946 orientation already).
        let skovde = &skaraborg()[index(skaraborg(), "1496")];
        let json = geometry_json(&skovde.shape);
        assert_eq!(json["type"], "MultiPolygon");
        let first = &json["coordinates"][0][0];
        assert_eq!(coords(first), skovde.shape.0[0].exterior().0);
    }

    #[test]
    fn bbox_and_label_point() {
        let data = skaraborg();
        let skovde = &data[index(data, "1496")].shape;
        let b = bbox(skovde);
        assert_eq!(b, [13.622754, 58.247434, 14.151901, 58.595488]);
        let (x, y) = label_point(skovde);
        assert!(x > b[0] && x < b[2] && y > b[1] && y < b[3]);
        // The label goes in the main part, not the 0.8 km² exclave near 13.75 E, 58.40 N.
        let main = skovde
            .0
            .iter()
            .max_by(|a, c| a.unsigned_area().total_cmp(&c.unsigned_area()))
            .unwrap();
        assert!(main.contains(&Coord { x, y }));
        // A U shape: the centroid is outside, the label still inside.
        let u = MultiPolygon(vec![Polygon::new(
            LineString::from(vec![
                (0.0, 0.0),
                (3.0, 0.0),
                (3.0, 3.0),
                (2.0, 3.0),
                (2.0, 1.0),
                (1.0, 1.0),
                (1.0, 3.0),
                (0.0, 3.0),
                (0.0, 0.0),
            ]),
            vec![],
        )]);
        let (x, y) = label_point(&u);
        assert!(u.contains(&Coord { x, y }));
        assert!(bbox(&MultiPolygon(vec![])).iter().all(|v| v.is_nan()));
    }

    fn poly(exterior: &[(f64, f64)], holes: &[&[(f64, f64)]]) -> Polygon<f64> {
        Polygon::new(
            LineString::from(exterior.to_vec()),
            holes.iter().map(|h| LineString::from(h.to_vec())).collect(),
        )
    }

    #[test]
    fn validity_checks() {
        let square = [(0.0, 0.0), (4.0, 0.0), (4.0, 4.0), (0.0, 4.0), (0.0, 0.0)];
        let kinds = |shape: MultiPolygon<f64>| -> Vec<InvalidKind> {
            validate(&shape).into_iter().map(|i| i.kind).collect()
        };
        // Valid: a hole touching the exterior at one point; parts touching at one point.
        let touching_hole = [(0.0, 2.0), (1.0, 1.0), (2.0, 2.0), (1.0, 3.0), (0.0, 2.0)];
        assert!(kinds(MultiPolygon(vec![poly(&square, &[&touching_hole])])).is_empty());
        let corner = [(4.0, 4.0), (5.0, 4.0), (5.0, 5.0), (4.0, 5.0), (4.0, 4.0)];
        assert!(kinds(MultiPolygon(vec![poly(&square, &[]), poly(&corner, &[])])).is_empty());

        let bowtie = [(0.0, 0.0), (1.0, 1.0), (1.0, 0.0), (0.0, 1.0), (0.0, 0.0)];
        assert_eq!(
            kinds(MultiPolygon(vec![poly(&bowtie, &[])])),
            [InvalidKind::SelfIntersection { part: 0, ring: 0 }]
        );
        let spike = [
            (0.0, 0.0),
            (4.0, 0.0),
            (4.0, 4.0),
            (4.0, 6.0),
            (4.0, 4.0),
            (0.0, 4.0),
            (0.0, 0.0),
        ];
        assert_eq!(
            kinds(MultiPolygon(vec![poly(&spike, &[])])),
            [InvalidKind::SelfIntersection { part: 0, ring: 0 }]
        );
        let self_touch = [
            (0.0, 0.0),
            (4.0, 0.0),
            (2.0, 2.0),
            (4.0, 4.0),
            (0.0, 4.0),
            (2.0, 2.0),
            (0.0, 0.0),
        ];
        assert!(!kinds(MultiPolygon(vec![poly(&self_touch, &[])])).is_empty());
        let outside = [(5.0, 5.0), (6.0, 5.0), (6.0, 6.0), (5.0, 5.0)];
        assert_eq!(
            kinds(MultiPolygon(vec![poly(&square, &[&outside])])),
            [InvalidKind::HoleOutside { part: 0, ring: 1 }]
        );
        let crossing = [(3.0, 3.0), (5.0, 3.0), (5.0, 3.5), (3.0, 3.0)];
        assert_eq!(
            kinds(MultiPolygon(vec![poly(&square, &[&crossing])])),
            [InvalidKind::RingsCross {
                part: 0,
                ring_a: 0,
                ring_b: 1
            }]
        );
        let big = [(1.0, 1.0), (1.0, 3.0), (3.0, 3.0), (3.0, 1.0), (1.0, 1.0)];
        let small = [(1.5, 1.5), (1.5, 2.0), (2.0, 2.0), (1.5, 1.5)];
        assert_eq!(
            kinds(MultiPolygon(vec![poly(&square, &[&big, &small])])),
            [InvalidKind::HolesNested {
                part: 0,
                ring_a: 1,
                ring_b: 2
            }]
        );
        let inside = [(1.0, 1.0), (2.0, 1.0), (2.0, 2.0), (1.0, 1.0)];
        assert_eq!(
            kinds(MultiPolygon(vec![poly(&square, &[]), poly(&inside, &[])])),
            [InvalidKind::PartsOverlap {
                part_a: 0,
                part_b: 1
            }]
        );
        // A part inside another's hole is fine.
        assert!(
            kinds(MultiPolygon(vec![
                poly(&square, &[&big]),
                poly(&[(1.5, 1.5), (2.5, 1.5), (2.5, 2.5), (1.5, 1.5)], &[])
            ]))
            .is_empty()
        );
        let side = [(4.0, 1.0), (6.0, 1.0), (6.0, 3.0), (4.0, 3.0), (4.0, 1.0)];
        assert_eq!(
            kinds(MultiPolygon(vec![poly(&square, &[]), poly(&side, &[])])),
            [InvalidKind::PartsOverlap {
                part_a: 0,
                part_b: 1
            }]
        );
        let message = invalid_message(
            &validate(&MultiPolygon(vec![poly(&square, &[]), poly(&side, &[])]))[0],
            true,
        );
        assert!(
            message.starts_with("del 1 och del 2 överlappar"),
            "{message}"
        );
    }

    #[test]
    fn where_validity_problems_are() {
        // A bow tie crosses itself at its centre, not at a vertex.
        let bowtie = [(0.0, 0.0), (2.0, 2.0), (2.0, 0.0), (0.0, 2.0), (0.0, 0.0)];
        let found = validate(&MultiPolygon(vec![poly(&bowtie, &[])]));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].at, Coord { x: 1.0, y: 1.0 });
        // Parts sharing a stretch of border (collinear overlap, no shared vertex): the problem is
        // on that stretch.
        let square = [(0.0, 0.0), (4.0, 0.0), (4.0, 4.0), (0.0, 4.0), (0.0, 0.0)];
        let side = [(4.0, 1.0), (6.0, 1.0), (6.0, 3.0), (4.0, 3.0), (4.0, 1.0)];
        let found = validate(&MultiPolygon(vec![poly(&square, &[]), poly(&side, &[])]));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].at.x, 4.0);
        assert!((1.0..=3.0).contains(&found[0].at.y), "{found:?}");
        // Touching: a hole whose vertex lies on the middle of an exterior edge is fine, and so
        // are parts meeting at a vertex of one and the middle of an edge of the other.
        let hole = [(2.0, 0.0), (3.0, 1.0), (1.0, 1.0), (2.0, 0.0)];
        assert!(validate(&MultiPolygon(vec![poly(&square, &[&hole])])).is_empty());
        let below = [(2.0, 0.0), (3.0, -1.0), (1.0, -1.0), (2.0, 0.0)];
        assert!(validate(&MultiPolygon(vec![poly(&square, &[]), poly(&below, &[])])).is_empty());
        // A ring running back along itself (a spike in the middle of an edge) is not.
        let folded = [
            (0.0, 0.0),
            (4.0, 0.0),
            (4.0, 4.0),
            (2.0, 4.0),
            (3.0, 4.0),
            (0.0, 4.0),
            (0.0, 0.0),
        ];
        assert_eq!(
            validate(&MultiPolygon(vec![poly(&folded, &[])]))[0].kind,
            InvalidKind::SelfIntersection { part: 0, ring: 0 }
        );
    }

    #[test]
    fn banded_rings_answer_as_geo_does() {
        // Every vertex, every edge midpoint and points beside them, on the national rings.
        let data = sverige();
        let mut checked = 0;
        for shape in shapes(data).iter().step_by(7) {
            for ring in shape
                .0
                .iter()
                .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
            {
                let banded = BandedRing::new(ring);
                for w in ring.0.windows(2).step_by(3) {
                    let mid = Coord {
                        x: (w[0].x + w[1].x) / 2.0,
                        y: (w[0].y + w[1].y) / 2.0,
                    };
                    for c in [
                        w[0],
                        mid,
                        Coord {
                            x: mid.x + 1e-4,
                            y: mid.y,
                        },
                        Coord {
                            x: mid.x,
                            y: mid.y - 1e-4,
                        },
                    ] {
                        assert_eq!(
                            banded.position(c),
                            coord_pos_relative_to_ring(c, ring),
                            "{c:?}"
                        );
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 10_000, "{checked}");
    }

    #[test]
    fn locate_on_boundaries_and_in_holes() {
        // Two squares sharing an edge; the left one has a hole.
        let left = MultiPolygon(vec![poly(
            &[(0.0, 0.0), (2.0, 0.0), (2.0, 2.0), (0.0, 2.0), (0.0, 0.0)],
            &[&[(0.5, 0.5), (0.5, 1.5), (1.5, 1.5), (1.5, 0.5), (0.5, 0.5)]],
        )]);
        let right = MultiPolygon(vec![poly(
            &[(2.0, 0.0), (4.0, 0.0), (4.0, 2.0), (2.0, 2.0), (2.0, 0.0)],
            &[],
        )]);
        let locator = Locator::new(&[right.clone(), left.clone()]);
        // The middle of the shared edge (no vertex there) and a shared corner: the lower index.
        assert_eq!(locator.locate(2.0, 1.0), Some(0));
        assert_eq!(locator.locate(2.0, 2.0), Some(0));
        // The outer boundary, the hole's boundary, the hole, and outside.
        assert_eq!(locator.locate(0.0, 1.0), Some(1));
        assert_eq!(locator.locate(1.5, 1.0), Some(1));
        assert_eq!(locator.locate(1.0, 1.0), None);
        assert_eq!(locator.locate(4.000001, 1.0), None);
        assert_eq!(locator.locate(3.0, f64::INFINITY), None);
        assert_eq!(Locator::new(&[]).locate(0.0, 0.0), None);
        assert_eq!(
            Locator::new(&[MultiPolygon(vec![]), left]).locate(0.1, 0.1),
            Some(1)
        );
    }

    #[test]
    fn douglas_peucker_keeps_ends_and_rings() {
        let coords: Vec<Coord> = [
            (0.0, 0.0),
            (1.0, 0.01),
            (2.0, -0.01),
            (3.0, 0.0),
            (3.0, 1.0),
            (0.0, 1.0),
        ]
        .iter()
        .map(|&(x, y)| Coord { x, y })
        .collect();
        let open = [0, 1, 2, 3];
        assert_eq!(douglas_peucker(&open, &coords, 0.1), [0, 3]);
        assert_eq!(douglas_peucker(&open, &coords, 0.001), open);
        assert_eq!(douglas_peucker(&open, &coords, 0.0), open);
        // A whole ring keeps three distinct vertices, however large the tolerance.
        let ring = [0, 1, 2, 3, 4, 5, 0];
        let kept = douglas_peucker(&ring, &coords, 100.0);
        assert_eq!(kept.first(), Some(&0));
        assert_eq!(kept.last(), Some(&0));
        assert_eq!(kept.len(), 4, "{kept:?}");
        // At a small tolerance only the wiggle's vertices (0.01 off the line) go.
        assert_eq!(douglas_peucker(&ring, &coords, 0.05), [0, 3, 4, 5, 0]);
    }

    #[test]
    fn geometry_json_drops_positions_equal_after_rounding() {
        let shape = MultiPolygon(vec![poly(
            &[
                (13.0, 58.0),
                (13.1, 58.0),
                (13.100_000_1, 58.0),
                (13.1, 58.1),
                (13.0, 58.0),
            ],
            &[],
        )]);
        let json = geometry_json(&shape);
        assert_eq!(
            json["coordinates"].to_string(),
            "[[[13.0,58.0],[13.1,58.0],[13.1,58.1],[13.0,58.0]]]"
        );
    }
}
