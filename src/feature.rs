//! The one GeoJSON writer (RFC 7946) of every surface: the API's layers, the exports and the OGC
//! items. Features and collections are typed and serialised by serde; a kommun's geometry is the
//! geography's pre-serialised GeoJSON, embedded as a `RawValue` without being parsed again.

use serde::ser::{Serialize, SerializeMap, SerializeStruct, Serializer};
use serde_json::value::RawValue;

/// A Feature with a top-level string `id`. `links` is the OGC API's member (absent elsewhere).
pub struct Feature<'a, P> {
    pub id: &'a str,
    pub geometry: Geometry<'a>,
    pub properties: P,
    pub links: Option<&'a serde_json::Value>,
}

/// A kommun's polygon as pre-serialised GeoJSON, a point (rounded to 6 decimals, about 0.1 m,
/// as the polygons are), or none (`null`: a feature whose place is not known).
#[derive(Clone, Copy)]
pub enum Geometry<'a> {
    Raw(&'a RawValue),
    Point(f64, f64),
    None,
}

impl Serialize for Geometry<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Geometry::Raw(raw) => raw.serialize(s),
            Geometry::None => s.serialize_none(),
            Geometry::Point(x, y) => {
                let round6 = |v: f64| (v * 1e6).round() / 1e6;
                let mut m = s.serialize_struct("Point", 2)?;
                m.serialize_field("type", "Point")?;
                m.serialize_field("coordinates", &[round6(*x), round6(*y)])?;
                m.end()
            }
        }
    }
}

impl<P: Serialize> Serialize for Feature<'_, P> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_struct("Feature", 5)?;
        m.serialize_field("type", "Feature")?;
        m.serialize_field("id", self.id)?;
        m.serialize_field("geometry", &self.geometry)?;
        m.serialize_field("properties", &self.properties)?;
        if let Some(links) = self.links {
            m.serialize_field("links", links)?;
        }
        m.end()
    }
}

/// A FeatureCollection: `type`, then the foreign or OGC members (name, value) in order, then
/// `features`.
pub struct FeatureCollection<'a, P> {
    pub members: Vec<(&'a str, serde_json::Value)>,
    pub features: Vec<Feature<'a, P>>,
}

impl<P: Serialize> Serialize for FeatureCollection<'_, P> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.members.len() + 2))?;
        m.serialize_entry("type", "FeatureCollection")?;
        for (k, v) in &self.members {
            m.serialize_entry(k, v)?;
        }
        m.serialize_entry("features", &self.features)?;
        m.end()
    }
}
