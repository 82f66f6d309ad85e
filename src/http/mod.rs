//! What every surface (API, pages, exports, OGC) shares over HTTP: the served snapshot with its
//! bodies, the request step ([`Req`]: the snapshot, the headers and the query of one request),
//! the response step ([`Req::send`]: a cached body with encoding, ETag, 304, HEAD, Vary and
//! Cache-Control), query parameters, errors, CORS and cache policy.

pub mod bodies;
pub mod body;
pub mod error;
pub mod params;

use std::convert::Infallible;
use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Uri};
use axum::response::Response;

use crate::AppState;
use crate::atlas::Atlas;
use crate::site::Site;
use bodies::{Bodies, Fixed, Key};
use body::Body;
use error::RequestError;
use params::Params;

/// Public data may be cached briefly; the ETag makes revalidation cheap.
pub const CACHE_PUBLIC: &str = "public, max-age=300";
/// Pages are revalidated on every view (cheap: a 304 by ETag) so a reload shows at once.
pub const CACHE_PAGE: &str = "no-cache";
/// Fingerprinted assets never change under the same URL.
pub const CACHE_IMMUTABLE: &str = "public, max-age=31536000, immutable";

pub type Answer = Result<Response, RequestError>;

/// One snapshot as it is served: the data, its bodies, and the pages' Content-Security-Policy
/// (it names the data set's embed origins, so it is made once per snapshot, not per response).
pub struct Served {
    pub atlas: Arc<Atlas>,
    pub bodies: Bodies,
    pub csp: HeaderValue,
}

impl Served {
    pub fn new(atlas: Arc<Atlas>, site: &Site) -> Served {
        Served {
            bodies: Bodies::new(
                &atlas,
                crate::export::dcat::Publication::new(
                    site.options.public_url.as_deref(),
                    site.options.contact_email.as_deref(),
                ),
            ),
            csp: csp_header(site, &atlas),
            atlas,
        }
    }
}

fn csp_header(site: &Site, atlas: &Atlas) -> HeaderValue {
    let csp = site.csp(&atlas.inventory.dataset.config.embed_origins);
    // The data set's origins are checked when it is read; one from the command line that cannot
    // stand in a header leaves the pages framable by the service alone, and is logged.
    HeaderValue::from_str(&csp).unwrap_or_else(|_| {
        tracing::warn!("frame-ancestors: ett ursprung kan inte stå i en rubrik; bara tjänsten själv får rama in sidorna");
        HeaderValue::from_static(
            "default-src 'self'; style-src 'self'; script-src 'self'; object-src 'none'; \
             base-uri 'none'; form-action 'self'; frame-ancestors 'self'",
        )
    })
}

/// The request step: what a handler needs of one request. The snapshot is taken once, so a
/// swap during the request does not affect it.
pub struct Req {
    pub served: Arc<Served>,
    pub site: Arc<Site>,
    pub headers: HeaderMap,
    pub uri: Uri,
}

impl FromRequestParts<AppState> for Req {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, s: &AppState) -> Result<Req, Infallible> {
        Ok(Req {
            served: s.served(),
            site: s.site.clone(),
            // Taken, not cloned: nothing after the handler reads the request's headers (CORS
            // and tracing read them before), and a copy per request costs allocations.
            headers: std::mem::take(&mut parts.headers),
            uri: parts.uri.clone(),
        })
    }
}

impl Req {
    pub fn atlas(&self) -> &Atlas {
        &self.served.atlas
    }

    pub fn query(&self) -> Option<&str> {
        self.uri.query()
    }

    /// The query checked strictly (the JSON API and OGC): an unknown or repeated parameter is a
    /// 400 that names it.
    pub fn params(&self, allowed: &[&str]) -> Result<Params<'_>, RequestError> {
        Params::parse(self.query(), allowed)
    }

    /// The query as HTML pages read it: parameters they do not use are ignored.
    pub fn lenient(&self, allowed: &[&str], repeatable: &[&str]) -> Params<'_> {
        Params::lenient(self.query(), allowed, repeatable)
    }

    /// The response step: a body as a public, briefly cacheable answer.
    pub fn send(&self, body: &Body) -> Response {
        body.respond(&self.headers, CACHE_PUBLIC)
    }

    pub fn send_with(&self, body: &Body, cache_control: &'static str) -> Response {
        body.respond(&self.headers, cache_control)
    }

    /// A query-independent body of this snapshot.
    pub fn fixed(&self, key: Fixed) -> Option<&Arc<Body>> {
        self.served.bodies.fixed(&self.served.atlas, key)
    }

    /// A query-dependent body: cached under `key`, or built now.
    pub fn body(&self, key: Key, build: impl FnOnce(&Atlas) -> Body) -> Arc<Body> {
        let a = &self.served.atlas;
        self.served.bodies.get(key, || build(a))
    }
}

/// CORS for public, read-only data (`/api/v1`, `/ogc`, the exports): any origin may GET and
/// HEAD, and read the headers a client needs for caching, paging and downloads.
///
/// Written out rather than tower-http's `CorsLayer`, which for this fixed policy built two header
/// maps per request and took 1.3 µs of the kommuner layer's 3.3 µs in process
/// (`cargo bench --bench snapshot`); it also sent `Vary: origin, …`, which split shared caches
/// by origin for an answer that is the same for every origin.
pub async fn cors(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    use axum::http::{Method, StatusCode, header};
    if req.method() == Method::OPTIONS {
        // A preflight: the answer does not depend on what is asked.
        let asked = req.headers().get(header::ACCESS_CONTROL_REQUEST_HEADERS);
        let allow = asked.cloned().unwrap_or(HeaderValue::from_static("*"));
        let mut r = Response::new(axum::body::Body::empty());
        *r.status_mut() = StatusCode::NO_CONTENT;
        let h = r.headers_mut();
        public(h);
        h.insert(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static("GET,HEAD"),
        );
        h.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, allow);
        h.insert(
            header::ACCESS_CONTROL_MAX_AGE,
            HeaderValue::from_static("86400"),
        );
        return r;
    }
    let mut r = next.run(req).await;
    public(r.headers_mut());
    r
}

/// The CORS headers of a public answer (also on the API's 404 for a path no route serves).
pub fn public(h: &mut HeaderMap) {
    use axum::http::header;
    h.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    h.insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static("etag,link,content-disposition"),
    );
}
