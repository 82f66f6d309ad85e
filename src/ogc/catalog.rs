//! What the OGC API serves, independent of any one request: the collections (one per export
//! table), their property filters, titles and the region's extent. Every other OGC module reads
//! these, so none of them needs another's internals.

use super::OgcError;
use crate::atlas::Atlas;
use crate::export::tables::TableKind;

pub fn service_title(a: &Atlas) -> String {
    format!(
        "Skaraborgskartan – föräldraskapsstöd i {}",
        a.inventory.dataset.region().name
    )
}

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
                "Nivå, som text (universell, selektiv, indikerad) eller kod (universal, selective, indicated).",
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
                "Nivå, som text (t.ex. ”universell”, ”alla nivåer”) eller kod (universal, selective, indicated, all).",
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
            (
                "typ",
                "string",
                "Utbildningens typ, som text eller kod (t.ex. ”sip_fordjupning”); flera med komma.",
            ),
        ],
        TableKind::Matris | TableKind::Familjecentraler => &[],
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
    a.kommuner().iter().fold(
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
