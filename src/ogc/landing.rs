//! The landing page, the conformance declaration and the API definition (OpenAPI 3.0, generated
//! from the same collection list and filters the handlers use, so it names every path).

use serde_json::{Value, json};

use super::catalog::{COLLECTIONS, queryables, service_title, title};
use super::items::{CORE_PARAMS, LIMIT_DEFAULT, LIMIT_MAX};
use super::{Answer, HTML_TYPE, OPENAPI, Ogc, link};
use crate::atlas::Atlas;
use crate::http::Req;
use crate::http::body::{GEOJSON, JSON};

pub const CONFORMANCE: [&str; 4] = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
];

pub async fn landing(req: Req) -> Answer {
    let o = Ogc::new(req, &["f"])?;
    o.answer("/ogc/", |a| {
        let base = &o.base;
        let mut links = o.self_links("/ogc/", "", JSON);
        links.extend(super::api_links(base));
        links.extend([
            link(
                format!("{base}/ogc/conformance"),
                "conformance",
                JSON,
                "Konformitetsklasser",
            ),
            link(format!("{base}/ogc/collections"), "data", JSON, "Samlingar"),
            link(
                format!("{base}/ogc/?f=html#licens"),
                "license",
                HTML_TYPE,
                "Licens och källor",
            ),
        ]);
        let d = &a.inventory.dataset;
        let value = json!({
            "title": service_title(a),
            "description": format!(
                "Kommungränser, föräldraskapsstödsprogram, täckning per ålder och nivå, SAMBU, partssamverkan, följsamhet och utbildningar. Data: {} ({}).",
                d.config.title, d.config.kind.label()
            ),
            "attribution": d.config.attribution,
            "links": links,
        });
        Ok((o.document(&value, JSON, super::html::landing), links))
    })
}

pub async fn conformance(req: Req) -> Answer {
    let o = Ogc::new(req, &["f"])?;
    o.answer("/ogc/conformance", |_| {
        let links = o.self_links("/ogc/conformance", "", JSON);
        let value = json!({ "conformsTo": CONFORMANCE, "links": links });
        Ok((o.document(&value, JSON, super::html::conformance), links))
    })
}

pub async fn openapi(req: Req) -> Answer {
    api_answer(Ogc::new(req, &["f"])?)
}

/// `/ogc/api.html`: the API definition for people (rel `service-doc`).
pub async fn api_html(req: Req) -> Answer {
    api_answer(Ogc::html(req, &[])?)
}

fn api_answer(o: Ogc) -> Answer {
    o.answer("/ogc/api", |a| {
        let links = super::api_links(&o.base).to_vec();
        let doc = openapi_document(a, &o.base);
        Ok((o.document(&doc, OPENAPI, super::html::api), links))
    })
}

fn response(description: &str, media: &str) -> Value {
    json!({ "description": description, "content": { media: { "schema": { "type": "object" } } } })
}

fn responses(ok: &str, media: &str) -> Value {
    let mut ok_content = response(ok, media);
    ok_content["content"][HTML_TYPE] = json!({ "schema": { "type": "string" } });
    json!({
        "200": ok_content,
        "400": { "$ref": "#/components/responses/Fel" },
        "404": { "$ref": "#/components/responses/Fel" },
        "406": { "$ref": "#/components/responses/Fel" },
    })
}

/// The OpenAPI 3.0 document: every path, every parameter (so that no declared parameter is
/// "unknown"), `limit` with its default and maximum (QGIS sizes its pages by them).
pub fn openapi_document(a: &Atlas, base: &str) -> Value {
    let f = json!({ "$ref": "#/components/parameters/f" });
    let get = |id: &str, summary: String, params: Vec<Value>, ok: &str, media: &str| {
        json!({ "get": {
            "operationId": id, "summary": summary, "parameters": params,
            "responses": responses(ok, media),
        }})
    };
    let mut paths = serde_json::Map::new();
    paths.insert(
        "/".into(),
        get(
            "landningssida",
            "Landningssida".into(),
            vec![f.clone()],
            "Landningssidan",
            JSON,
        ),
    );
    paths.insert(
        "/conformance".into(),
        get(
            "konformitet",
            "Konformitetsklasser".into(),
            vec![f.clone()],
            "Konformitetsklasserna",
            JSON,
        ),
    );
    paths.insert(
        "/api".into(),
        get(
            "api",
            "API-definitionen (detta dokument)".into(),
            vec![f.clone()],
            "OpenAPI 3.0",
            OPENAPI,
        ),
    );
    paths.insert(
        "/api.html".into(),
        get(
            "api_html",
            "API-dokumentation som HTML".into(),
            vec![],
            "HTML",
            HTML_TYPE,
        ),
    );
    paths.insert(
        "/collections".into(),
        get(
            "samlingar",
            "Samlingarna".into(),
            vec![f.clone()],
            "Samlingarna",
            JSON,
        ),
    );
    for kind in COLLECTIONS {
        let id = kind.code();
        let mut item_params: Vec<Value> = CORE_PARAMS
            .iter()
            .map(|p| json!({ "$ref": format!("#/components/parameters/{p}") }))
            .collect();
        item_params.extend(queryables(kind).iter().map(|(name, ty, description)| {
            json!({
                "name": name, "in": "query", "required": false, "style": "form", "explode": false,
                "description": description, "schema": { "type": ty },
            })
        }));
        paths.insert(
            format!("/collections/{id}"),
            get(
                &format!("{id}_samling"),
                format!("Samlingen {}", title(a, kind)),
                vec![f.clone()],
                "Samlingens metadata",
                JSON,
            ),
        );
        paths.insert(
            format!("/collections/{id}/items"),
            get(
                &format!("{id}_objekt"),
                format!("Objekten i {}", title(a, kind)),
                item_params,
                "En FeatureCollection (GeoJSON)",
                GEOJSON,
            ),
        );
        paths.insert(
            format!("/collections/{id}/items/{{featureId}}"),
            get(
                &format!("{id}_objekt_id"),
                format!("Ett objekt i {}", title(a, kind)),
                vec![
                    json!({ "$ref": "#/components/parameters/featureId" }),
                    f.clone(),
                ],
                "En Feature (GeoJSON)",
                GEOJSON,
            ),
        );
    }
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": service_title(a),
            "version": env!("CARGO_PKG_VERSION"),
            "description": "OGC API – Features del 1 (Core, GeoJSON, HTML, OpenAPI 3.0). Egenskaperna har samma svenska namn som kolumnerna i exporterna.",
            "contact": { "name": "Vårdsamverkan Skaraborg", "url": format!("{base}/") },
            "license": { "name": "Kommungränser: CC0; övriga uppgifter enligt källan per objekt" },
        },
        "servers": [{ "url": format!("{base}/ogc") }],
        "paths": paths,
        "components": {
            "parameters": {
                "f": { "name": "f", "in": "query", "required": false, "description": "Format: json (eller geojson) eller html. Utan f gäller Accept-huvudet.", "schema": { "type": "string", "enum": ["json", "geojson", "html"] } },
                "limit": { "name": "limit", "in": "query", "required": false, "style": "form", "explode": false, "description": format!("Högst så många objekt per sida (standard {LIMIT_DEFAULT}, högst {LIMIT_MAX}; större värden sänks till {LIMIT_MAX})."), "schema": { "type": "integer", "minimum": 1, "maximum": LIMIT_MAX, "default": LIMIT_DEFAULT } },
                "offset": { "name": "offset", "in": "query", "required": false, "description": "Hoppa över så många objekt (för sidor).", "schema": { "type": "integer", "minimum": 0, "default": 0 } },
                "bbox": { "name": "bbox", "in": "query", "required": false, "style": "form", "explode": false, "description": "minLon,minLat,maxLon,maxLat i CRS84 (eller sex tal med höjd): objekt vars geometri skär rutan.", "schema": { "type": "array", "minItems": 4, "maxItems": 6, "items": { "type": "number" } } },
                "datetime": { "name": "datetime", "in": "query", "required": false, "style": "form", "explode": false, "description": "Tidpunkt eller period (RFC 3339). Samlingarna saknar tidsdimension, så alla objekt matchar ett giltigt värde.", "schema": { "type": "string" } },
                "featureId": { "name": "featureId", "in": "path", "required": true, "description": "Objektets id (kommunkod, eller t.ex. 1496-abc-uppfoljning-2024).", "schema": { "type": "string" } },
            },
            "responses": {
                "Fel": {
                    "description": "Fel (OGC-undantag)",
                    "content": { JSON: { "schema": {
                        "type": "object", "required": ["code"],
                        "properties": { "code": { "type": "string" }, "description": { "type": "string" } },
                    } } },
                },
            },
        },
    })
}
