//! `/ogc/collections` and `/ogc/collections/{id}`: one collection per export table (the matrix is
//! not a feature collection), with Swedish titles, the extent of the region, CRS84 and links.

use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use serde_json::{Value, json};

use super::{Answer, CRS84, OgcError, Out, base_url, cache_key, link, negotiate, respond};
use crate::AppState;
use crate::api::params::Params;
use crate::atlas::Atlas;
use crate::body::{Body, JSON};
use crate::export::tables::{self, Filter, TableKind};

/// The collections, in the order they are listed.
pub const COLLECTIONS: [TableKind; 7] = [
    TableKind::Kommuner,
    TableKind::Erbjudanden,
    TableKind::Tackning,
    TableKind::Sambu,
    TableKind::Partssamverkan,
    TableKind::Foljsamhet,
    TableKind::Utbildningar,
];

/// A property filter of a collection's items: name, JSON Schema type, description.
pub type Queryable = (&'static str, &'static str, &'static str);

const KOMMUNKOD: Queryable = (
    "kommunkod",
    "string",
    "Kommunkod (SCB, fyra siffror); flera med komma.",
);
const OMGANG: Queryable = ("omgang", "string", "Omgångens id; flera med komma.");
const STATUS: Queryable = (
    "status",
    "string",
    "Status, som text (t.ex. ”erbjuds”) eller kod (t.ex. ”offered”); flera med komma.",
);

/// The property filters each collection's items take (declared in the OpenAPI document).
pub fn queryables(kind: TableKind) -> &'static [Queryable] {
    match kind {
        TableKind::Kommuner => &[KOMMUNKOD, OMGANG],
        TableKind::Erbjudanden => &[
            KOMMUNKOD,
            (
                "program",
                "string",
                "Programmets kortnamn (slug); flera med komma.",
            ),
            (
                "niva",
                "string",
                "Nivå: universal, selective eller indicated.",
            ),
            OMGANG,
            (
                "alder",
                "integer",
                "Barnets ålder 0–17 (-1 = under graviditeten): program med alder_min ≤ alder ≤ alder_max.",
            ),
            STATUS,
        ],
        TableKind::Tackning => &[
            KOMMUNKOD,
            OMGANG,
            (
                "niva",
                "string",
                "Nivå: universal, selective, indicated eller all.",
            ),
        ],
        TableKind::Sambu | TableKind::Partssamverkan => &[KOMMUNKOD, STATUS],
        TableKind::Foljsamhet => &[
            KOMMUNKOD,
            (
                "dokument",
                "string",
                "Dokumentets kortnamn; flera med komma.",
            ),
            STATUS,
        ],
        TableKind::Utbildningar => &[
            KOMMUNKOD,
            ("typ", "string", "Utbildningens typ (kod); flera med komma."),
        ],
        TableKind::Matris => &[],
    }
}

/// The collection named in a path, or 404.
pub fn collection(id: &str) -> Result<TableKind, OgcError> {
    COLLECTIONS
        .iter()
        .copied()
        .find(|k| k.code() == id)
        .ok_or_else(|| {
            let known: Vec<&str> = COLLECTIONS.iter().map(|k| k.code()).collect();
            OgcError::not_found(format!(
                "Samlingen ”{id}” finns inte (finns: {}).",
                known.join(", ")
            ))
        })
}

/// The bounding box of the region, from the kommuner's boxes.
pub fn region_bbox(a: &Atlas) -> [f64; 4] {
    a.kommuner.iter().fold(
        [f64::MAX, f64::MAX, f64::MIN, f64::MIN],
        |[x0, y0, x1, y1], k| {
            [
                x0.min(k.bbox[0]),
                y0.min(k.bbox[1]),
                x1.max(k.bbox[2]),
                y1.max(k.bbox[3]),
            ]
        },
    )
}

pub fn title(a: &Atlas, kind: TableKind) -> String {
    format!("{} ({})", kind.title(), a.inventory.dataset.region().name)
}

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
        "itemCount": tables::build(a, kind, &Filter::default()).rows.len(),
        "links": [
            link(href("", "json"), "self", JSON, "Samlingen som JSON"),
            link(href("", "html"), "alternate", super::HTML_TYPE, "Samlingen som HTML"),
            link(href("/items", "json"), "items", crate::body::GEOJSON, "Objekten som GeoJSON"),
            link(href("/items", "html"), "items", super::HTML_TYPE, "Objekten som HTML"),
            link(format!("{base}/ogc/?f=html#licens"), "license", super::HTML_TYPE, "Licens och källor"),
        ],
    })
}

pub async fn list(State(s): State<AppState>, headers: HeaderMap, RawQuery(q): RawQuery) -> Answer {
    let p = Params::parse(q.as_deref(), &["f"])?;
    let out = negotiate(&p, &headers)?;
    let a = s.atlas();
    let base = base_url(&headers);
    let links = super::self_links(&base, "/ogc/collections", "", out, JSON);
    let key = cache_key(&base, "/ogc/collections", &p, out);
    Ok(respond(&a, &headers, key, &links, || {
        let value = json!({
            "links": links,
            "collections": COLLECTIONS.iter().map(|k| metadata(&a, &base, *k)).collect::<Vec<_>>(),
        });
        match out {
            Out::Json => Body::json(&value),
            Out::Html => crate::pages::html(super::html::collections(
                &crate::pages::Cx::new(&a, &s.site),
                &value,
            )),
        }
    }))
}

pub async fn one(
    State(s): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> Answer {
    let kind = collection(&id)?;
    let p = Params::parse(q.as_deref(), &["f"])?;
    let out = negotiate(&p, &headers)?;
    let a = s.atlas();
    let base = base_url(&headers);
    let path = format!("/ogc/collections/{id}");
    let value = metadata(&a, &base, kind);
    let links: Vec<Value> = value["links"].as_array().cloned().unwrap_or_default();
    let links = match out {
        Out::Json => links,
        Out::Html => super::self_links(&base, &path, "", out, JSON),
    };
    let key = cache_key(&base, &path, &p, out);
    Ok(respond(&a, &headers, key, &links, || match out {
        Out::Json => Body::json(&value),
        Out::Html => crate::pages::html(super::html::collection(
            &crate::pages::Cx::new(&a, &s.site),
            kind,
            &value,
        )),
    }))
}
