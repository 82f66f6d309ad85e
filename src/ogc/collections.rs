//! `/ogc/collections` and `/ogc/collections/{id}`: one collection per export table (the matrix is
//! not a feature collection), with Swedish titles, the extent of the region, CRS84 and links.

use axum::extract::Path;
use serde_json::{Value, json};

use super::catalog::{COLLECTIONS, collection, region_bbox, title};
use super::{Answer, CRS84, Ogc, Out, link};
use crate::atlas::Atlas;
use crate::export::tables::TableKind;
use crate::http::Req;
use crate::http::body::JSON;

/// A collection's metadata with its links.
pub fn metadata(a: &Atlas, base: &str, kind: TableKind) -> Value {
    let id = kind.code();
    let href = |path: &str, f: &str| format!("{base}/ogc/collections/{id}{path}?f={f}");
    let mut description = kind.description().to_string();
    if a.inventory.dataset.config.kind == crate::dataset::Kind::Example {
        description.insert_str(0, "EXEMPELDATA – påhittade uppgifter. ");
    }
    json!({
        "id": id,
        "title": title(a, kind),
        "description": description,
        "itemType": "feature",
        "keywords": ["föräldraskapsstöd", "kommuner", a.inventory.dataset.region().name],
        "extent": {
            "spatial": { "bbox": [region_bbox(a)], "crs": CRS84 },
        },
        "crs": [CRS84],
        "storageCrs": CRS84,
        "itemCount": crate::export::tables::build(a, kind, &Default::default()).rows.len(),
        "links": [
            link(href("", "json"), "self", JSON, "Samlingen som JSON"),
            link(href("", "html"), "alternate", super::HTML_TYPE, "Samlingen som HTML"),
            link(href("/items", "json"), "items", crate::http::body::GEOJSON, "Objekten som GeoJSON"),
            link(href("/items", "html"), "items", super::HTML_TYPE, "Objekten som HTML"),
            link(format!("{base}/ogc/?f=html#licens"), "license", super::HTML_TYPE, "Licens och källor"),
        ],
    })
}

pub async fn list(req: Req) -> Answer {
    let o = Ogc::new(req, &["f"])?;
    o.answer("/ogc/collections", |a| {
        let links = o.self_links("/ogc/collections", "", JSON);
        let value = json!({
            "links": links,
            "collections": COLLECTIONS.iter().map(|k| metadata(a, &o.base, *k)).collect::<Vec<_>>(),
        });
        Ok((o.document(&value, JSON, super::html::collections), links))
    })
}

pub async fn one(req: Req, Path(id): Path<String>) -> Answer {
    let kind = collection(&id)?;
    let o = Ogc::new(req, &["f"])?;
    let path = format!("/ogc/collections/{id}");
    o.answer(&path, |a| {
        let value = metadata(a, &o.base, kind);
        let links = match o.out {
            Out::Json => value["links"].as_array().cloned().unwrap_or_default(),
            Out::Html => o.self_links(&path, "", JSON),
        };
        let body = o.document(&value, JSON, |cx, v| super::html::collection(cx, kind, v));
        Ok((body, links))
    })
}
