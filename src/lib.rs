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

/// Shared by every handler: the current snapshot, replaced whole on reload.
#[derive(Clone)]
pub struct AppState {
    current: Arc<ArcSwap<Atlas>>,
}

impl AppState {
    pub fn new(atlas: Atlas) -> AppState {
        AppState {
            current: Arc::new(ArcSwap::from_pointee(atlas)),
        }
    }

    /// The snapshot to answer one request from; a swap during the request does not affect it.
    pub fn atlas(&self) -> Arc<Atlas> {
        self.current.load_full()
    }

    pub fn swap(&self, atlas: Atlas) {
        self.current.store(Arc::new(atlas));
    }
}

/// The whole HTTP interface, without a socket (tests call it with `oneshot`).
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .merge(pages::routes())
        .merge(api::routes())
        .merge(export::routes())
        .merge(ogc::routes())
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

/// Liveness: the process answers. Also the trivial handler the benchmark compares against.
async fn healthz() -> &'static str {
    "ok"
}
