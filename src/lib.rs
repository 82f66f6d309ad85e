//! Skaraborgskartan: parenting-support programmes, SAMBU and partssamverkan per kommun.
//!
//! Data flows one way: the store ([`store`], seeded from the data files on first start) →
//! [`inventory::load_from`] (validated, the same rules as the files) → [`atlas::Atlas`] (the data
//! snapshot, on a shared [`geography::Geography`]) → [`http::Served`] (its response bodies) →
//! handlers of the surfaces (`api`, `pages`, `export`, `ogc`), which parse, ask and render. The
//! desk (`admin`, `api::admin`, through [`auth`]) writes a changeset to the store; [`desk`]
//! commits it, builds the next snapshot from the store and swaps it in whole.

pub mod admin;
pub mod api;
pub mod atlas;
pub mod auth;
pub mod boundaries;
pub mod citation;
pub mod commands;
pub mod config;
pub mod coverage;
pub mod dataset;
pub mod dates;
pub mod desk;
pub mod export;
pub mod feature;
pub mod geography;
pub mod geometry;
pub mod http;
pub mod import;
pub mod inventory;
pub mod lang;
pub mod ogc;
pub mod pages;
pub mod plan;
pub mod problem;
pub mod reminders;

pub mod review;
pub mod server;
pub mod site;
pub mod store;
pub mod tabular;
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
use http::Served;
use site::{PageOptions, Site};

/// Shared by every handler: the snapshot being served, replaced whole on reload.
#[derive(Clone)]
pub struct AppState {
    current: Arc<ArcSwap<Served>>,
    /// The front end: assets and page options (fixed for the process's life).
    pub site: Arc<Site>,
    /// The store edits are written to; None when serving a bare snapshot (tests, `check`).
    pub store: Option<Arc<store::Store>>,
    /// The region served (None: the data set's default), for rebuilding from the store.
    pub region: Option<String>,
    /// How people sign in to the admin (fixed for the process's life).
    pub auth: Arc<auth::Auth>,
    /// The SMTP server e-mail reminders go through; None: no e-mail is sent.
    pub mailer: Option<Arc<reminders::Mailer>>,
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
        let served = Served::new(Arc::new(atlas), &site);
        AppState {
            current: Arc::new(ArcSwap::from_pointee(served)),
            site: Arc::new(site),
            store: None,
            region: None,
            auth: Arc::new(auth::Auth::default()),
            mailer: None,
        }
    }

    /// The same state, with these sign-in settings.
    pub fn with_auth(mut self, auth: auth::Auth) -> AppState {
        self.auth = Arc::new(auth);
        self
    }

    /// The same state, sending e-mail reminders through `mailer`.
    pub fn with_mailer(mut self, mailer: Option<reminders::Mailer>) -> AppState {
        self.mailer = mailer.map(Arc::new);
        self
    }

    /// The same state, writing edits to `store` (whose data the snapshot was built from).
    pub fn with_store(mut self, store: Arc<store::Store>, region: Option<String>) -> AppState {
        self.store = Some(store);
        self.region = region;
        self
    }

    /// The snapshot to answer one request from, with its bodies.
    pub fn served(&self) -> Arc<Served> {
        self.current.load_full()
    }

    /// The data snapshot being served.
    pub fn atlas(&self) -> Arc<Atlas> {
        self.current.load().atlas.clone()
    }

    /// Serves a new snapshot from now on; requests under way finish on the old one.
    pub fn swap(&self, atlas: Atlas) {
        self.current
            .store(Arc::new(Served::new(Arc::new(atlas), &self.site)));
    }
}

/// The whole HTTP interface, without a socket (tests call it with `oneshot`).
pub fn router(state: AppState) -> Router {
    // Security headers only where HTML can come from (pages, OGC's HTML, the fallback's 404
    // page): the JSON hot paths skip the middleware.
    let html = Router::new()
        .merge(pages::routes())
        .merge(admin::routes())
        .merge(ogc::routes())
        .fallback(fallback)
        .layer(axum::middleware::map_response_with_state(
            state.clone(),
            pages::html_headers,
        ));
    let app = Router::new()
        .route("/healthz", get(healthz))
        .merge(api::routes())
        .merge(export::routes())
        .merge(html);
    // The access log: only when it is written. Its span and clock reads per request cost as much
    // as a small answer, so with RUST_LOG=warn (as in `make bench`, like nginx without an access
    // log) the layer is left out.
    let app = if tracing::level_enabled!(Level::INFO) {
        app.layer(
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
    } else {
        app
    };
    app.with_state(state)
}

/// A path no route serves: the API's JSON error under /api, a helpful HTML page elsewhere.
async fn fallback(
    axum::extract::State(s): axum::extract::State<AppState>,
    uri: axum::http::Uri,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    if uri.path().starts_with("/api/") {
        let mut r = http::error::RequestError::unknown_path().into_response();
        http::public(r.headers_mut());
        r
    } else {
        pages::not_found(&s, &uri)
    }
}

/// Liveness: the process answers. Also the trivial handler the benchmark compares against.
async fn healthz() -> &'static str {
    "ok"
}
