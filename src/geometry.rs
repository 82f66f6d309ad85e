//! Geometry of kommun boundaries: neighbours, point lookup, validity, topology-preserving
//! simplification and GeoJSON output.
//!
//! Coordinates are WGS 84 lon/lat. Shared borders in the source use identical vertices on both
//! sides, so vertices and edges are matched exactly by integer micro-degree keys (the data has
//! 6 decimals) instead of by geometric intersection.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use geo::kernels::{Kernel, Orientation, RobustKernel};
use geo::{
    Area, Centroid, Contains, Coord, Distance, Haversine, InteriorPoint, Intersects, LineString,
    MultiPolygon, Point, Polygon,
};
use rstar::RTree;
use rstar::primitives::{GeomWithData, Rectangle};
use serde_json::{Value, json};

/// Kommuner sharing a border of positive length: for each input index, (other index, shared
/// length in metres), sorted by other index.
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

    let mut lengths: HashMap<(u32, u32), f64, FastHash> = HashMap::default();
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

/// Point lookup: rstar R-tree over envelopes (of each polygon part), then exact contains.
/// Boundary points count as inside (the lowest index wins on ties).
pub struct Locator {
    tree: RTree<PartEnvelope>,
    parts: Vec<Vec<Polygon<f64>>>,
}

/// The envelope of one polygon part, with (shape index, part index).
type PartEnvelope = GeomWithData<Rectangle<[f64; 2]>, (usize, usize)>;

impl Locator {
    pub fn new(shapes: &[MultiPolygon<f64>]) -> Self {
        let mut entries = Vec::new();
        for (i, shape) in shapes.iter().enumerate() {
            for (p, part) in shape.0.iter().enumerate() {
                if let Some(b) = ring_bbox(&part.exterior().0) {
                    let rect = Rectangle::from_corners([b[0], b[1]], [b[2], b[3]]);
                    entries.push(GeomWithData::new(rect, (i, p)));
                }
            }
        }
        Locator {
            tree: RTree::bulk_load(entries),
            parts: shapes.iter().map(|s| s.0.clone()).collect(),
        }
    }

    pub fn locate(&self, lon: f64, lat: f64) -> Option<usize> {
        if !lon.is_finite() || !lat.is_finite() {
            return None;
        }
        let c = Coord { x: lon, y: lat };
        self.tree
            .locate_all_at_point(&[lon, lat])
            .map(|entry| entry.data)
            .filter(|&(i, p)| self.parts[i][p].intersects(&c))
            .map(|(i, _)| i)
            .min()
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
/// coordinates rounded to 6 decimals; exterior rings CCW, holes CW.
pub fn geometry_json(shape: &MultiPolygon<f64>) -> Value {
    let polygons: Vec<Value> = shape
        .0
        .iter()
        .map(|part| {
            let mut rings = vec![ring_json(&part.exterior().0, true)];
            rings.extend(part.interiors().iter().map(|r| ring_json(&r.0, false)));
            Value::Array(rings)
        })
        .collect();
    if polygons.len() == 1 {
        json!({ "type": "Polygon", "coordinates": polygons[0] })
    } else {
        json!({ "type": "MultiPolygon", "coordinates": polygons })
    }
}

/// [min_lon, min_lat, max_lon, max_lat]; all NaN for an empty shape.
pub fn bbox(shape: &MultiPolygon<f64>) -> [f64; 4] {
    let mut b = [
        f64::INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
    ];
    for part in &shape.0 {
        if let Some(r) = ring_bbox(&part.exterior().0) {
            b = [
                b[0].min(r[0]),
                b[1].min(r[1]),
                b[2].max(r[2]),
                b[3].max(r[3]),
            ];
        }
    }
    if b[0] > b[2] { [f64::NAN; 4] } else { b }
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

/// Why a shape is not a valid (OGC simple features) multipolygon, and roughly where.
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

impl Invalidity {
    /// A Swedish description; `multi` says whether to name the part.
    pub(crate) fn message(&self, multi: bool) -> String {
        let ring = |part: usize, ring: usize| ring_name(multi, part, ring);
        let at = format!("({:.6}, {:.6})", self.at.x, self.at.y);
        match &self.kind {
            InvalidKind::NonFinite { part, ring: r } => {
                format!(
                    "{} har en koordinat som inte är ett ändligt tal",
                    ring(*part, *r)
                )
            }
            InvalidKind::TooFewPoints { part, ring: r } => {
                format!("{} har färre än tre olika positioner", ring(*part, *r))
            }
            InvalidKind::SelfIntersection { part, ring: r } => {
                format!("{} skär eller nuddar sig själv vid {at}", ring(*part, *r))
            }
            InvalidKind::RingsCross {
                part,
                ring_a,
                ring_b,
            } => format!(
                "{} och {} korsar varandra eller går längs varandra vid {at}",
                ring(*part, *ring_a),
                ring(*part, *ring_b)
            ),
            InvalidKind::HoleOutside { part, ring: r } => {
                format!("{} ligger utanför den yttre ringen", ring(*part, *r))
            }
            InvalidKind::HolesNested {
                part,
                ring_a,
                ring_b,
            } => format!(
                "{} och {} överlappar varandra",
                ring(*part, *ring_a),
                ring(*part, *ring_b)
            ),
            InvalidKind::PartsOverlap { part_a, part_b } => format!(
                "del {} och del {} överlappar varandra eller går längs varandra vid {at}",
                part_a + 1,
                part_b + 1
            ),
        }
    }
}

/// "yttre ringen", "hål 2", with " i del 3" when the shape has several parts (all 1-based).
pub(crate) fn ring_name(multi: bool, part: usize, ring: usize) -> String {
    let name = if ring == 0 {
        "yttre ringen".to_string()
    } else {
        format!("hål {ring}")
    };
    if multi {
        format!("{name} i del {}", part + 1)
    } else {
        name
    }
}

/// Check that a multipolygon is valid: rings simple (no crossing or touching itself), rings of a
/// part meet at most at points, holes inside the exterior and not nested, parts not overlapping
/// and meeting at most at points. Runs in about O(n log n) with a sweep over segments, which
/// geo's `Validation` (quadratic per ring) does not for kommuner with thousands of vertices.
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

    // Rings as closed coordinate lists without consecutive duplicates.
    let mut parts: Vec<Vec<Vec<Coord>>> = Vec::with_capacity(shape.0.len());
    for (p, polygon) in shape.0.iter().enumerate() {
        let mut rings = Vec::new();
        for (r, ring) in std::iter::once(polygon.exterior())
            .chain(polygon.interiors())
            .enumerate()
        {
            if let Some(c) = ring.0.iter().find(|c| !c.x.is_finite() || !c.y.is_finite()) {
                add(&mut found, InvalidKind::NonFinite { part: p, ring: r }, *c);
                rings.push(Vec::new());
                continue;
            }
            let mut coords: Vec<Coord> = ring.0.clone();
            coords.dedup();
            if coords.len() > 1 && coords.first() != coords.last() {
                coords.push(coords[0]);
            }
            if coords.len() < 4 {
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
            let n = ring.len() as u32 - 1;
            for (i, w) in ring.windows(2).enumerate() {
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
        let rel = relation(s.a, s.b, t.a, t.b);
        if rel == Relation::Disjoint {
            return;
        }
        let at = meeting_point(s, t);
        if sp == tp && sr == tr {
            if !adjacent || rel == Relation::Overlap {
                add(
                    &mut found,
                    InvalidKind::SelfIntersection { part: sp, ring: sr },
                    at,
                );
            }
        } else if rel != Relation::Touch {
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
                && ring_position(&rings[0], pt) == Position::Outside
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
                    && ring_position(other, pt) == Position::Inside
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
            let outers: Vec<&[Coord]> = rb.iter().map(Vec::as_slice).collect();
            let Some(pt) = test_point(&ra[0], &outers) else {
                continue;
            };
            let in_b = ring_position(&rb[0], pt) == Position::Inside
                && !rb[1..]
                    .iter()
                    .any(|hole| ring_position(hole, pt) == Position::Inside);
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
    original: Vec<Coord>,
    area: f64,
    bbox: [f64; 4],
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
        let mut ids: HashMap<(i64, i64), u32, FastHash> = HashMap::default();
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
        let mut arc_ids: HashMap<(u32, u32), usize, FastHash> = HashMap::default();
        let mut rings = Vec::with_capacity(raw.len());
        for (shape, part, v) in raw {
            let original: Vec<Coord> = v
                .iter()
                .chain(v.first())
                .map(|&i| coords[i as usize])
                .collect();
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
                area: signed_area(&original),
                bbox: ring_bbox(&original).unwrap_or([0.0; 4]),
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
                    .filter(|&(q, other)| q != r && in_bbox(&other.bbox, pt))
                    .filter_map(|(q, other)| match ring_position(&other.original, pt) {
                        Position::Inside => Some((q, true)),
                        Position::Outside => Some((q, false)),
                        Position::Boundary => None,
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
            let rel = relation(s.a, s.b, t.a, t.b);
            if rel != Relation::Disjoint && (rel != Relation::Touch || !shared) {
                bad[s.tag[0] as usize] = true;
                bad[t.tag[0] as usize] = true;
            }
        });

        let rebuilt: Vec<Vec<Coord>> = self
            .rings
            .iter()
            .map(|ring| {
                self.ring_ids(ring, arcs)
                    .iter()
                    .map(|&i| self.coords[i as usize])
                    .collect()
            })
            .collect();
        let mut bad_rings = vec![false; self.rings.len()];
        for (r, ring) in self.rings.iter().enumerate() {
            let coords = &rebuilt[r];
            let area = signed_area(coords);
            if coords.len() < 4
                || area.signum() != ring.area.signum()
                || area.abs() < MIN_AREA_RATIO * ring.area.abs()
            {
                bad_rings[r] = true;
            }
            let pt = self.coords[ring.anchor as usize];
            for &(q, inside) in &original_pos[r] {
                if ring_position(&rebuilt[q], pt)
                    != if inside {
                        Position::Inside
                    } else {
                        Position::Outside
                    }
                {
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
            let is_exterior = parts[ring.part].is_empty();
            let mut coords: Vec<Coord> = self
                .ring_ids(ring, arcs)
                .iter()
                .map(|&i| self.coords[i as usize])
                .collect();
            if (signed_area(&coords) > 0.0) != is_exterior {
                coords.reverse();
            }
            parts[ring.part].push(LineString(coords));
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

fn ring_bbox(coords: &[Coord]) -> Option<[f64; 4]> {
    let first = coords.first()?;
    let mut b = [first.x, first.y, first.x, first.y];
    for c in coords {
        b = [b[0].min(c.x), b[1].min(c.y), b[2].max(c.x), b[3].max(c.y)];
    }
    Some(b)
}

fn in_bbox(b: &[f64; 4], c: Coord) -> bool {
    c.x >= b[0] && c.x <= b[2] && c.y >= b[1] && c.y <= b[3]
}

fn bbox_overlap(a: &[Coord], b: &[Coord]) -> bool {
    match (ring_bbox(a), ring_bbox(b)) {
        (Some(a), Some(b)) => a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3],
        _ => false,
    }
}

/// Planar signed area of a closed ring (positive when counter-clockwise).
fn signed_area(ring: &[Coord]) -> f64 {
    ring.windows(2)
        .map(|w| w[0].x * w[1].y - w[1].x * w[0].y)
        .sum::<f64>()
        / 2.0
}

fn ring_json(coords: &[Coord], exterior: bool) -> Value {
    let round = |v: f64| (v * SCALE).round() / SCALE;
    let mut pts: Vec<Coord> = coords
        .iter()
        .map(|c| Coord {
            x: round(c.x),
            y: round(c.y),
        })
        .collect();
    pts.dedup();
    if pts.len() > 1 && pts.first() != pts.last() {
        pts.push(pts[0]);
    }
    if (signed_area(&pts) > 0.0) != exterior {
        pts.reverse();
    }
    Value::Array(pts.iter().map(|c| json!([c.x, c.y])).collect())
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

fn orient(p: Coord, q: Coord, r: Coord) -> i8 {
    match <RobustKernel as Kernel<f64>>::orient2d(p, q, r) {
        Orientation::CounterClockwise => 1,
        Orientation::Clockwise => -1,
        Orientation::Collinear => 0,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Position {
    Inside,
    Outside,
    Boundary,
}

/// Where `p` is relative to a closed ring (exact predicates).
fn ring_position(ring: &[Coord], p: Coord) -> Position {
    let mut inside = false;
    for w in ring.windows(2) {
        let (a, b) = (w[0], w[1]);
        if p.y < a.y.min(b.y) || p.y > a.y.max(b.y) {
            continue;
        }
        let o = orient(a, b, p);
        if o == 0 && p.x >= a.x.min(b.x) && p.x <= a.x.max(b.x) {
            return Position::Boundary;
        }
        // Half-open rule so a ray through a vertex is counted once.
        if (a.y <= p.y && b.y > p.y && o > 0) || (b.y <= p.y && a.y > p.y && o < 0) {
            inside = !inside;
        }
    }
    if inside {
        Position::Inside
    } else {
        Position::Outside
    }
}

/// A point of `ring` (a segment midpoint) not on the boundary of any of `others`.
fn test_point(ring: &[Coord], others: &[&[Coord]]) -> Option<Coord> {
    ring.windows(2)
        .take(32)
        .map(|w| Coord {
            x: (w[0].x + w[1].x) / 2.0,
            y: (w[0].y + w[1].y) / 2.0,
        })
        .find(|&m| {
            others
                .iter()
                .all(|o| ring_position(o, m) != Position::Boundary)
        })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Relation {
    Disjoint,
    /// The segments meet in one point that is an endpoint of at least one of them.
    Touch,
    /// The interiors cross in one point.
    Cross,
    /// Collinear with an overlap of positive length.
    Overlap,
}

fn relation(a1: Coord, a2: Coord, b1: Coord, b2: Coord) -> Relation {
    let (o1, o2) = (orient(a1, a2, b1), orient(a1, a2, b2));
    if o1 == 0 && o2 == 0 {
        let along_x = (a2.x - a1.x).abs() >= (a2.y - a1.y).abs();
        let proj = |c: Coord| if along_x { c.x } else { c.y };
        let (alo, ahi) = (proj(a1).min(proj(a2)), proj(a1).max(proj(a2)));
        let (blo, bhi) = (proj(b1).min(proj(b2)), proj(b1).max(proj(b2)));
        let (lo, hi) = (alo.max(blo), ahi.min(bhi));
        return if lo > hi {
            Relation::Disjoint
        } else if lo == hi {
            Relation::Touch
        } else {
            Relation::Overlap
        };
    }
    let (o3, o4) = (orient(b1, b2, a1), orient(b1, b2, a2));
    if o1 != o2 && o3 != o4 {
        if o1 != 0 && o2 != 0 && o3 != 0 && o4 != 0 {
            Relation::Cross
        } else {
            Relation::Touch
        }
    } else {
        Relation::Disjoint
    }
}

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
}

/// Calls `f` for every pair of segments whose envelopes meet (sorted by x, compared within x
/// overlap; `f` decides how they relate).
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
    orient(s.a, s.b, other) == 0
}

/// A point where two meeting segments meet, for messages.
fn meeting_point(s: &Seg, t: &Seg) -> Coord {
    [s.a, s.b]
        .into_iter()
        .find(|&c| orient(t.a, t.b, c) == 0)
        .or_else(|| [t.a, t.b].into_iter().find(|&c| orient(s.a, s.b, c) == 0))
        .unwrap_or(s.a)
}

/// FxHash-style hasher: the keys are small integers, and SipHash dominates the cost otherwise.
#[derive(Default)]
struct FastHasher(u64);

impl Hasher for FastHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.add(b as u64);
        }
    }
    fn write_u32(&mut self, i: u32) {
        self.add(i as u64);
    }
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }
    fn write_u128(&mut self, i: u128) {
        self.add(i as u64);
        self.add((i >> 64) as u64);
    }
    fn write_i64(&mut self, i: i64) {
        self.add(i as u64);
    }
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
}

impl FastHasher {
    fn add(&mut self, i: u64) {
        self.0 = (self.0.rotate_left(5) ^ i).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

type FastHash = BuildHasherDefault<FastHasher>;

#[cfg(test)]
mod tests {
    use super::*;

    use crate::boundaries::{Boundary, parse_boundaries, shipped};
    use std::collections::BTreeSet;
    use std::sync::OnceLock;

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
        let message =
            validate(&MultiPolygon(vec![poly(&square, &[]), poly(&side, &[])]))[0].message(true);
        assert!(
            message.starts_with("del 1 och del 2 överlappar"),
            "{message}"
        );
    }
}
