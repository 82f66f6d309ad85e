//! The coordinator's desk under /admin: sign-in, a kommun's records, the catalogue, the survey
//! rounds, accounts, the history and visitors' reports. Swedish, server-rendered, every action a
//! plain form (no JavaScript needed), every state change a POST with the session's CSRF token;
//! never cached.

pub mod account;
pub mod accounts;
pub mod desk;
pub mod forms;
pub mod history;
mod import;
pub mod invitation;
pub mod layout;
pub mod reports;
pub mod rounds;
pub mod signin;
pub mod stale;

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::Response;

use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(signin::routes())
        .merge(invitation::routes())
        .merge(account::routes())
        .merge(accounts::routes())
        .merge(desk::routes())
        .merge(history::routes())
        .merge(import::routes())
        .merge(rounds::routes())
        .merge(stale::routes())
        .merge(reports::routes())
        .layer(axum::middleware::map_response(no_store))
}

/// Admin answers are personal: never stored by a browser or a shared cache.
async fn no_store(mut r: Response) -> Response {
    let h = r.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    r
}

/// Percent-encodes a value for a query string.
pub fn encode(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect()
}
