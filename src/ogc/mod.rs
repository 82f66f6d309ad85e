//! OGC API – Features Part 1 (Core, GeoJSON, HTML, OpenAPI 3.0) under `/ogc`, for QGIS, GDAL and
//! other GIS clients. The collections are the export tables ([`crate::export::tables`]), so a
//! feature has the same Swedish property names as a CSV column. Format by `?f=json|html` or the
//! `Accept` header (never a path suffix); errors in the OGC exception shape `{"code","description"}`.

pub mod catalog;
pub mod collections;
pub mod html;
pub mod items;
pub mod landing;

use axum::Router;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use maud::Markup;
use serde_json::{Value, json};

use crate::AppState;
use crate::atlas::Atlas;
use crate::http::bodies::Key;
use crate::http::body::Body;
use crate::http::error::RequestError;
use crate::http::params::Params;
use crate::http::{Req, cors};
use crate::pages::Cx;

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
        .layer(axum::middleware::from_fn(cors))
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

impl From<RequestError> for OgcError {
    fn from(e: RequestError) -> OgcError {
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
    for (media, q) in crate::http::body::quality_list(accept) {
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
        crate::http::body::JSON,
        "Samlingen",
    )
}

/// The query of a request without `f` (and without the names in `drop`), re-encoded in the order
/// given, for links.
pub fn query_without(p: &Params, drop: &[&str]) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in p.pairs() {
        if k != "f" && !drop.contains(&k) {
            s.append_pair(k, v);
        }
    }
    s.finish()
}

/// The OGC request step: the request, its parameters (checked strictly), the format asked for,
/// and the absolute base of links.
pub struct Ogc {
    pub req: Req,
    pub p: Params<'static>,
    pub out: Out,
    pub base: String,
}

impl Ogc {
    pub fn new(req: Req, allowed: &[&str]) -> Result<Ogc, OgcError> {
        let p = req.params(allowed)?.into_owned();
        Ogc::with(req, p)
    }

    /// For a resource whose format is fixed by its path (`/ogc/api.html`).
    pub fn html(req: Req, allowed: &[&str]) -> Result<Ogc, OgcError> {
        let p = req.params(allowed)?.into_owned();
        let base = base(&req);
        Ok(Ogc {
            req,
            p,
            out: Out::Html,
            base,
        })
    }

    fn with(req: Req, p: Params<'static>) -> Result<Ogc, OgcError> {
        let out = negotiate(&p, &req.headers)?;
        let base = base(&req);
        Ok(Ogc { req, p, out, base })
    }

    pub fn atlas(&self) -> &Atlas {
        self.req.atlas()
    }

    /// `self` and `alternate` links of the resource at `path` with `query` (without `f`).
    pub fn self_links(&self, path: &str, query: &str, json_type: &str) -> Vec<Value> {
        self_links(&self.base, path, query, self.out, json_type)
    }

    /// The answer for the resource at `path`: looked up by the request alone (base, path, query,
    /// format) before anything is built; on a miss, `build` makes the document and its links,
    /// and both are kept, with `Vary: Accept` and a `Link` header mirroring the `self`,
    /// `alternate`, `next` and `prev` links.
    pub fn answer(
        &self,
        path: &str,
        build: impl FnOnce(&Atlas) -> Result<(Body, Vec<Value>), OgcError>,
    ) -> Answer {
        let key = Key::Ogc {
            base: self.base.clone(),
            path: path.to_string(),
            query: query_without(&self.p, &[]),
            html: self.out == Out::Html,
        };
        let bodies = &self.req.served.bodies;
        if let Some(body) = bodies.cached(&key) {
            return Ok(self.req.send(&body));
        }
        let (body, links) = build(self.atlas())?;
        let mut body = body.with_header(
            header::VARY,
            HeaderValue::from_static("accept, accept-encoding"),
        );
        let link = link_header(&links);
        if let (false, Ok(v)) = (link.is_empty(), HeaderValue::from_str(&link)) {
            body = body.with_header(header::LINK, v);
        }
        let body = bodies.get(key, || body);
        Ok(self.req.send(&body))
    }

    /// A document as the format asked for: the JSON value, or the HTML page `render` makes of it.
    pub fn document(
        &self,
        value: &Value,
        json_type: &'static str,
        render: impl FnOnce(&Cx, &Value) -> Markup,
    ) -> Body {
        match self.out {
            Out::Json => Body::new(
                json_type,
                serde_json::to_vec(value).expect("JSON values always serialise"),
            ),
            Out::Html => self.page(|cx| render(cx, value)),
        }
    }

    /// An HTML view of the service's pages.
    pub fn page(&self, render: impl FnOnce(&Cx) -> Markup) -> Body {
        crate::pages::html(render(&Cx::new(self.atlas(), &self.req.site)))
    }
}

/// The base of links: the configured public address, else what the request says.
fn base(req: &Req) -> String {
    match &req.site.options.configured_url {
        Some(url) => url.clone(),
        None => base_url(&req.headers),
    }
}

/// The `Link` header: the `self`, `alternate`, `next` and `prev` links.
fn link_header(links: &[Value]) -> String {
    let parts: Vec<String> = links
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
    parts.join(", ")
}
