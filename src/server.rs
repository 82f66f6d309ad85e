//! Running the service: load, serve, reload on SIGHUP, shut down gracefully.

use std::path::Path;

use tokio::net::TcpListener;

use crate::atlas::Atlas;
use crate::config::ServeArgs;
use crate::problem::Problem;
use crate::site::{PageOptions, Site};
use crate::{AppState, inventory, router};

/// Loads and validates a data directory and builds its snapshot.
pub fn build(dir: &Path, region: Option<&str>) -> Result<Atlas, Vec<Problem>> {
    inventory::load(dir, region).map(Atlas::build)
}

/// Builds a snapshot from the data and swaps it in whole. On any problem the current snapshot
/// stays and keeps answering.
pub fn reload(state: &AppState, dir: &Path, region: Option<&str>) -> Result<(), Vec<Problem>> {
    state.swap(build(dir, region)?);
    Ok(())
}

/// A report of problems as printed by `check` and at a refused start.
pub fn report(problems: &[Problem]) -> String {
    let list: String = problems.iter().map(|p| format!("{p}\n")).collect();
    format!("{list}{} problem hittades.\n", problems.len())
}

pub async fn serve(args: ServeArgs) -> Result<(), String> {
    let atlas = build(&args.data, args.region.as_deref()).map_err(|p| {
        format!(
            "{}Tjänsten startar inte förrän datan är rättad.",
            report(&p)
        )
    })?;
    let configured = args
        .public_url
        .as_deref()
        .map(|u| u.trim_end_matches('/').to_string());
    let options = PageOptions {
        tiles: args.tiles.clone().filter(|t| !t.is_empty()),
        frame_ancestors: args.frame_ancestors.clone(),
        public_url: Some(
            configured
                .clone()
                .unwrap_or_else(|| format!("http://{}", args.addr)),
        ),
        configured_url: configured,
    };
    let state = AppState::with_site(atlas, Site::load(&args.web, options));
    let listener = TcpListener::bind(args.addr)
        .await
        .map_err(|e| format!("kan inte lyssna på {}: {e}", args.addr))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let a = state.atlas();
    let d = &a.inventory.dataset;
    println!(
        "Skaraborgskartan lyssnar på http://{addr}/ ({}, region {}, {} kommuner, {})",
        d.config.title,
        d.region().name,
        a.kommuner().len(),
        d.config.kind.label()
    );
    warm(&state);
    tokio::spawn(reload_on_hangup(state.clone(), args));
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(|e| e.to_string())
}

/// Compresses the snapshot's bodies in the background, so the first requests are not slowed.
fn warm(state: &AppState) {
    let (served, site) = (state.served(), state.site.clone());
    tokio::task::spawn_blocking(move || {
        served.bodies.warm(&served.atlas);
        site.warm();
    });
}

/// On SIGHUP, reloads the data; a snapshot that fails validation is refused and the old one kept.
async fn reload_on_hangup(state: AppState, args: ServeArgs) {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let Ok(mut hangup) = signal(SignalKind::hangup()) else {
            return;
        };
        while hangup.recv().await.is_some() {
            let (st, dir, region) = (state.clone(), args.data.clone(), args.region.clone());
            match tokio::task::spawn_blocking(move || reload(&st, &dir, region.as_deref())).await {
                Ok(Ok(())) => {
                    warm(&state);
                    tracing::info!("data omladdad");
                }
                Ok(Err(problems)) => tracing::error!(
                    "omladdning avvisad, den gamla datan används fortfarande:\n{}",
                    report(&problems)
                ),
                Err(e) => tracing::error!("omladdningen avbröts: {e}"),
            }
        }
    }
    #[cfg(not(unix))]
    let _ = (state, args);
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("stänger av");
}
