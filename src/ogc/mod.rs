//! OGC API – Features Part 1 (Core, GeoJSON, HTML, OpenAPI 3.0) under `/ogc`, for QGIS, GDAL and
//! other GIS clients. The collections are the export tables ([`crate::export::tables`]), so a
//! feature has the same Swedish property names as a CSV column. Format by `?f=json|html` or the
//! `Accept` header (never a path suffix); errors in the OGC exception shape `{"code","description"}`.

pub mod collections;
pub mod html;
pub mod items;
pub mod landing;

use axum::Router;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::{Value, json};

use crate::AppState;
use crate::api::params::Params;
use crate::api::{CACHE_PUBLIC, cors};
use crate::atlas::Atlas;
use crate::body::Body;
use crate::error::ApiError;

pub const CRS84: &str = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";
pub const OPENAPI: &str = "application/vnd.oai.openapi+json;version=3.0";
const HTML_TYPE: &str = "text/html";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/ogc", get(landing::landing))
        .route("/ogc/", get(landing::landing))
        .route("/ogc/conformance", get(landing::conformance))
        .route("/ogc/api", get(landing::openapi))
        .route("/ogc/api.html", get(landing::api_html))
        .route("/ogc/collections", get(collections::list))
        .route("/ogc/collections/{id}", get(collections::one))
        .route("/ogc/collections/{id}/items", get(items::items))
        .route("/ogc/collections/{id}/items/{fid}", get(items::feature))
        .route("/ogc/{*rest}", get(unknown_path))
        .layer(cors())
}

/// An error in the OGC exception shape (`exception.yaml`): `{"code", "description"}`.
#[derive(Debug)]
pub struct OgcError {
    pub status: StatusCode,
    pub description: String,
}

impl OgcError {
    pub fn bad(description: impl Into<String>) -> OgcError {
        OgcError {
            status: StatusCode::BAD_REQUEST,
            description: description.into(),
        }
    }

    pub fn not_found(description: impl Into<String>) -> OgcError {
        OgcError {
            status: StatusCode::NOT_FOUND,
            description: description.into(),
        }
    }
}

impl From<ApiError> for OgcError {
    fn from(e: ApiError) -> OgcError {
        OgcError {
            status: e.status,
            description: e.message,
        }
    }
}

impl IntoResponse for OgcError {
    fn into_response(self) -> Response {
        let code = match self.status {
            StatusCode::BAD_REQUEST => "InvalidParameterValue",
            StatusCode::NOT_FOUND => "NotFound",
            StatusCode::NOT_ACCEPTABLE => "NotAcceptable",
            _ => "ServerError",
        };
        let body = json!({ "code": code, "description": self.description });
        let mut r = (self.status, axum::Json(body)).into_response();
        r.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        r
    }
}

pub type Answer = Result<Response, OgcError>;

async fn unknown_path() -> OgcError {
    OgcError::not_found(
        "Adressen finns inte i OGC API:t. Börja på /ogc/ (landningssidan) eller /ogc/api (API-definitionen).",
    )
}

/// The encoding of a response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Out {
    Json,
    Html,
}

/// `?f=` first, then the `Accept` header (highest q wins; a tie goes to the first listed), then JSON.
/// A format nothing here can give is 406.
pub fn negotiate(p: &Params, headers: &HeaderMap) -> Result<Out, OgcError> {
    if let Some(f) = p.get("f") {
        return match f {
            "json" | "geojson" => Ok(Out::Json),
            "html" => Ok(Out::Html),
            _ => Err(OgcError {
                status: StatusCode::NOT_ACCEPTABLE,
                description: format!("f: ”{f}” finns inte (tillåtna: json, geojson, html)."),
            }),
        };
    }
    let Some(accept) = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()) else {
        return Ok(Out::Json);
    };
    let mut best: Option<(Out, f32)> = None;
    for (media, q) in crate::body::quality_list(accept) {
        let out = match media.as_str() {
            "text/html" | "application/xhtml+xml" => Out::Html,
            "application/json"
            | "application/geo+json"
            | "application/vnd.oai.openapi+json"
            | "application/schema+json"
            | "application/*"
            | "*/*" => Out::Json,
            _ => continue,
        };
        if q > 0.0 && best.is_none_or(|(_, bq)| q > bq) {
            best = Some((out, q));
        }
    }
    best.map(|(o, _)| o).ok_or_else(|| OgcError {
        status: StatusCode::NOT_ACCEPTABLE,
        description: format!(
            "Accept: ”{accept}” kan inte levereras (finns: application/json, application/geo+json, text/html)."
        ),
    })
}

/// The absolute base of links (`http://host`), from `Forwarded`, `X-Forwarded-*` or `Host`.
pub fn base_url(headers: &HeaderMap) -> String {
    let get = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let mut proto = get("x-forwarded-proto").map(str::to_string);
    let mut host = get("x-forwarded-host").map(str::to_string);
    if let Some(fwd) = get("forwarded") {
        for pair in fwd.split(',').next().unwrap_or("").split(';') {
            if let Some((k, v)) = pair.trim().split_once('=') {
                let v = v.trim_matches('"').to_string();
                match k.trim().to_ascii_lowercase().as_str() {
                    "proto" => proto = Some(v),
                    "host" => host = Some(v),
                    _ => {}
                }
            }
        }
    }
    let host = host
        .or_else(|| get("host").map(str::to_string))
        .filter(|h| {
            !h.is_empty()
                && h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
        })
        .unwrap_or_else(|| "localhost".into());
    let proto = match proto.as_deref() {
        Some("https") => "https",
        _ => "http",
    };
    format!("{proto}://{host}")
}

/// A link object (`rel`, `type`, `title` and an absolute `href`).
pub fn link(href: String, rel: &str, media: &str, title: &str) -> Value {
    json!({ "href": href, "rel": rel, "type": media, "title": title })
}

/// `self` and `alternate` links of a resource at `path` with the query `query` (without `f`).
pub fn self_links(base: &str, path: &str, query: &str, out: Out, json_type: &str) -> Vec<Value> {
    let href = |f: &str| {
        let sep = if query.is_empty() { "" } else { "&" };
        format!("{base}{path}?f={f}{sep}{query}")
    };
    let json_link = |rel| link(href("json"), rel, json_type, "Som JSON");
    let html_link = |rel| link(href("html"), rel, HTML_TYPE, "Som HTML");
    match out {
        Out::Json => vec![json_link("self"), html_link("alternate")],
        Out::Html => vec![html_link("self"), json_link("alternate")],
    }
}

/// The `service-desc` and `service-doc` links.
pub fn api_links(base: &str) -> [Value; 2] {
    [
        link(
            format!("{base}/ogc/api"),
            "service-desc",
            OPENAPI,
            "API-definition (OpenAPI 3.0)",
        ),
        link(
            format!("{base}/ogc/api.html"),
            "service-doc",
            HTML_TYPE,
            "API-dokumentation",
        ),
    ]
}

/// The `collection` link of items and features.
pub fn collection_link(base: &str, id: &str) -> Value {
    link(
        format!("{base}/ogc/collections/{id}?f=json"),
        "collection",
        crate::body::JSON,
        "Samlingen",
    )
}

/// The query of a request without `f` (and without the names in `drop`), re-encoded in the order
/// given, for links.
pub fn query_without(p: &Params, drop: &[&str]) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in p.pairs() {
        if k != "f" && !drop.contains(&k.as_str()) {
            s.append_pair(k, v);
        }
    }
    s.finish()
}

/// Answers from a cached body (built once per snapshot and key), adding `Vary: Accept` and a
/// `Link` header that mirrors the `self`, `alternate`, `next` and `prev` links.
pub fn respond(
    a: &Atlas,
    headers: &HeaderMap,
    key: String,
    links: &[Value],
    build: impl FnOnce() -> Body,
) -> Response {
    let body = a.body_or_build(key, build);
    let mut r = body.respond(headers, CACHE_PUBLIC);
    let h = r.headers_mut();
    h.insert(
        header::VARY,
        HeaderValue::from_static("accept, accept-encoding"),
    );
    let link_header: Vec<String> = links
        .iter()
        .filter(|l| {
            matches!(
                l["rel"].as_str(),
                Some("self" | "alternate" | "next" | "prev")
            )
        })
        .map(|l| {
            format!(
                "<{}>; rel=\"{}\"; type=\"{}\"",
                l["href"].as_str().unwrap_or(""),
                l["rel"].as_str().unwrap_or(""),
                l["type"].as_str().unwrap_or("")
            )
        })
        .collect();
    if let Ok(v) = HeaderValue::from_str(&link_header.join(", ")) {
        h.insert(header::LINK, v);
    }
    r
}

/// A cache key for one representation: base URL, path, the request's query, and the format.
pub fn cache_key(base: &str, path: &str, p: &Params, out: Out) -> String {
    format!("ogc|{base}|{path}|{}|{out:?}", query_without(p, &[]))
}
