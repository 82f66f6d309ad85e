//! Skaraborgskartan: parenting-support programmes, SAMBU and partssamverkan per kommun.
//!
//! Data files → [`inventory::load`] (validated) → [`atlas::Atlas`] (immutable snapshot) →
//! HTTP handlers reading the current snapshot, swapped whole on reload.

pub mod api;
pub mod atlas;
pub mod body;
pub mod boundaries;
pub mod config;
pub mod coverage;
pub mod dataset;
pub mod dates;
pub mod error;
pub mod export;
pub mod geometry;
pub mod inventory;
pub mod ogc;
pub mod pages;
pub mod problem;
pub mod server;
pub mod site;
pub mod views;
pub mod vocabulary;

use std::sync::Arc;

use arc_swap::ArcSwap;
use axum::Router;
use axum::extract::{MatchedPath, Request};
use axum::routing::get;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

use atlas::Atlas;
use site::{PageOptions, Site};

/// Shared by every handler: the current snapshot, replaced whole on reload.
#[derive(Clone)]
pub struct AppState {
    current: Arc<ArcSwap<Atlas>>,
    /// The pages' Content-Security-Policy: it names the data set's embed origins, so it is made
    /// once per snapshot, not per response.
    csp: Arc<ArcSwap<axum::http::HeaderValue>>,
    /// The front end: assets and page options (fixed for the process's life).
    pub site: Arc<Site>,
}

impl AppState {
    /// A state with the front end of `./web` and default page options.
    pub fn new(atlas: Atlas) -> AppState {
        AppState::with_site(
            atlas,
            Site::load(std::path::Path::new("web"), PageOptions::default()),
        )
    }

    pub fn with_site(atlas: Atlas, site: Site) -> AppState {
        let csp = csp_header(&site, &atlas);
        AppState {
            current: Arc::new(ArcSwap::from_pointee(atlas)),
            csp: Arc::new(ArcSwap::from_pointee(csp)),
            site: Arc::new(site),
        }
    }

    /// The Content-Security-Policy header of every HTML response.
    pub fn csp(&self) -> Arc<axum::http::HeaderValue> {
        self.csp.load_full()
    }

    /// The snapshot to answer one request from; a swap during the request does not affect it.
    pub fn atlas(&self) -> Arc<Atlas> {
        self.current.load_full()
    }

    pub fn swap(&self, atlas: Atlas) {
        self.csp.store(Arc::new(csp_header(&self.site, &atlas)));
        self.current.store(Arc::new(atlas));
    }
}

fn csp_header(site: &Site, atlas: &Atlas) -> axum::http::HeaderValue {
    let csp = site.csp(&atlas.inventory.dataset.config.embed_origins);
    // The data set's origins are checked when it is read; one from the command line that cannot
    // stand in a header leaves the pages framable by the service alone, and is logged.
    axum::http::HeaderValue::from_str(&csp).unwrap_or_else(|_| {
        tracing::warn!("frame-ancestors: ett ursprung kan inte stå i en rubrik; bara tjänsten själv får rama in sidorna");
        axum::http::HeaderValue::from_static(
            "default-src 'self'; style-src 'self'; script-src 'self'; object-src 'none'; \
             base-uri 'none'; form-action 'self'; frame-ancestors 'self'",
        )
    })
}

/// The whole HTTP interface, without a socket (tests call it with `oneshot`).
pub fn router(state: AppState) -> Router {
    // Security headers only where HTML can come from (pages, OGC's HTML, the fallback's 404
    // page): the JSON hot paths skip the middleware.
    let html = Router::new()
        .merge(pages::routes())
        .merge(ogc::routes())
        .fallback(fallback)
        .layer(axum::middleware::map_response_with_state(
            state.clone(),
            pages::html_headers,
        ));
    Router::new()
        .route("/healthz", get(healthz))
        .merge(api::routes())
        .merge(export::routes())
        .merge(html)
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|req: &Request| {
                    let route = req
                        .extensions()
                        .get::<MatchedPath>()
                        .map(MatchedPath::as_str);
                    tracing::info_span!("request", method = %req.method(), route, uri = %req.uri())
                })
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .with_state(state)
}

/// A path no route serves: the API's JSON error under /api, a helpful HTML page elsewhere.
async fn fallback(
    axum::extract::State(s): axum::extract::State<AppState>,
    uri: axum::http::Uri,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    if uri.path().starts_with("/api/") {
        api::not_found().into_response()
    } else {
        pages::not_found(&s, &uri)
    }
}

/// Liveness: the process answers. Also the trivial handler the benchmark compares against.
async fn healthz() -> &'static str {
    "ok"
}
