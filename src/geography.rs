//! The region's geography: its kommuner with their neighbours, label points and bounding boxes,
//! the shapes simplified per detail level and serialised as GeoJSON once, and the locate index.
//! Built once from the boundaries at start and shared by `Arc`: a data edit builds a new
//! [`crate::atlas::Atlas`] on the same geography and never recomputes any of this.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use serde_json::value::RawValue;

use crate::boundaries::Boundary;
use crate::geometry::{self, Locator};
use crate::vocabulary::Detail;

/// Simplification tolerance per detail level, in degrees (about 700 m and 200 m at 58° N).
const TOLERANCE: [(Detail, f64); 2] = [(Detail::Low, 0.01), (Detail::Medium, 0.003)];

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

pub struct Geography {
    /// The boundaries this was built from (shared with the inventory that holds them).
    boundaries: Arc<Vec<Boundary>>,
    pub kommuner: Vec<Kommun>,
    by_code: HashMap<String, usize>,
    locator: Locator,
    /// GeoJSON geometry per detail level (Low, Medium, Full), per kommun: simplified and
    /// serialised once, on first use or when the bodies are warmed after start, so that a cold
    /// start answers before the shapes are ready.
    geometry: [OnceLock<Vec<Box<RawValue>>>; 3],
}

impl Geography {
    pub fn build(boundaries: Arc<Vec<Boundary>>) -> Geography {
        let shapes: Vec<_> = boundaries.iter().map(|b| b.shape.clone()).collect();
        let neighbours = geometry::neighbours(&shapes);
        let kommuner: Vec<Kommun> = boundaries
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
        let by_code = kommuner
            .iter()
            .enumerate()
            .map(|(i, k)| (k.code.clone(), i))
            .collect();
        Geography {
            locator: Locator::new(&shapes),
            boundaries,
            kommuner,
            by_code,
            geometry: Default::default(),
        }
    }

    /// The shapes of one detail level, serialised.
    fn serialised(&self, detail: Detail) -> Vec<Box<RawValue>> {
        let json = |s: &geo::MultiPolygon<f64>| {
            RawValue::from_string(geometry::geometry_json(s).to_string())
                .expect("serde_json writes valid JSON")
        };
        match TOLERANCE.iter().find(|(d, _)| *d == detail) {
            Some((_, tolerance)) => {
                let shapes: Vec<_> = self.boundaries.iter().map(|b| b.shape.clone()).collect();
                geometry::simplify_shared(&shapes, *tolerance)
                    .iter()
                    .map(json)
                    .collect()
            }
            None => self.boundaries.iter().map(|b| json(&b.shape)).collect(),
        }
    }

    /// Whether this geography was built from these boundaries (the same file, or the same
    /// kommuner in the same order with the same shapes).
    pub fn fits(&self, boundaries: &Arc<Vec<Boundary>>) -> bool {
        Arc::ptr_eq(&self.boundaries, boundaries)
            || (self.boundaries.len() == boundaries.len()
                && self
                    .boundaries
                    .iter()
                    .zip(boundaries.iter())
                    .all(|(a, b)| a.code == b.code && a.shape == b.shape))
    }

    pub fn kommun_index(&self, code: &str) -> Option<usize> {
        self.by_code.get(code).copied()
    }

    /// The kommun containing a point (lon, lat), if it is in the region.
    pub fn locate(&self, lon: f64, lat: f64) -> Option<usize> {
        self.locator.locate(lon, lat)
    }

    /// The kommun's GeoJSON geometry at a detail level, ready to embed in a Feature.
    pub fn geometry(&self, detail: Detail, k: usize) -> &RawValue {
        let level = match detail {
            Detail::Low => 0,
            Detail::Medium => 1,
            Detail::Full => 2,
        };
        &self.geometry[level].get_or_init(|| self.serialised(detail))[k]
    }

    /// The kommun's exact shape, for exact spatial tests.
    pub fn shape(&self, k: usize) -> &geo::MultiPolygon<f64> {
        &self.boundaries[k].shape
    }
}
