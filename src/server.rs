//! Running the service: open the store (seeding it from the data directory on first start),
//! build the snapshot from it, serve, rebuild on SIGHUP and when the date changes (with the
//! e-mail reminders, when SMTP is set, and the deletion of visitors' reports and e-mail addresses
//! kept long enough, once a day), shut down gracefully.

use std::path::Path;
use std::sync::Arc;

use tokio::net::TcpListener;

use crate::atlas::Atlas;
use crate::config::ServeArgs;
use crate::problem::Problem;
use crate::site::{PageOptions, Site};
use crate::store::{SeedError, Store};
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

/// Opens the store in the state directory; an empty one is seeded from `data` first. A store
/// seeded from another data set (its dataset.toml differs) is refused rather than mixed.
pub async fn open_store(state: &Path, data: &Path, region: Option<&str>) -> Result<Store, String> {
    let store = Store::open(state).await.map_err(|e| e.to_string())?;
    if !store.is_seeded().await.map_err(|e| e.to_string())? {
        match store.seed(data, region).await {
            Ok(()) => println!(
                "Lagret {} skapades från {}.",
                store.path().display(),
                data.display()
            ),
            Err(SeedError::Invalid(p)) => {
                return Err(format!(
                    "{}Lagret fylls inte förrän datan är rättad.",
                    report(&p)
                ));
            }
            Err(SeedError::Store(e)) => return Err(e.to_string()),
        }
        return Ok(store);
    }
    let stored = store.files().await.map_err(|e| e.to_string())?;
    let given = std::fs::read_to_string(data.join(crate::dataset::FILE)).ok();
    if given.is_some() && given.as_ref() != stored.verbatim.get(crate::dataset::FILE) {
        return Err(format!(
            "Lagret i {} fylldes från en annan datamängd än {} (dataset.toml skiljer sig). \
             Ange en egen katalog med --state för den datan.",
            store.path().display(),
            data.display()
        ));
    }
    let upgraded = store.upgrade(data, region).await?;
    if !upgraded.tables.is_empty() {
        println!(
            "Lagret fick tabellerna {} från {}.",
            upgraded.tables.join(", "),
            data.display()
        );
    }
    if let Some((changeset, n)) = upgraded.rewritten {
        println!(
            "Lagret: {n} källor skrevs om till id i sources.csv (ändring {changeset} i historiken)."
        );
    }
    Ok(store)
}

/// The snapshot of what the store holds.
pub async fn build_from_store(store: &Store, region: Option<&str>) -> Result<Atlas, String> {
    let files = store.files().await.map_err(|e| e.to_string())?;
    inventory::load_from(&files, region, None)
        .map(Atlas::build)
        .map_err(|p| {
            format!(
                "{}Lagrets data har problem; tjänsten startar inte.",
                report(&p)
            )
        })
}

pub async fn serve(args: ServeArgs) -> Result<(), String> {
    let region = args.region.as_deref();
    let store = Arc::new(open_store(&args.state.state, &args.data, region).await?);
    let atlas = build_from_store(&store, region).await?;
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
        contact_email: args
            .contact_email
            .as_deref()
            .map(crate::export::dcat::contact_email)
            .transpose()?,
    };
    let auth = crate::auth::Auth::from_args(&args.auth)?;
    let mailer = crate::reminders::Mailer::from_args(&args.mail)?;
    let public_url = options.public_url.clone().unwrap_or_default();
    let state = AppState::with_site(atlas, Site::load(&args.web, options))
        .with_store(store, args.region.clone())
        .with_auth(auth)
        .with_mailer(mailer);
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
    tokio::spawn(reload_on_hangup(state.clone()));
    tokio::spawn(daily(state.clone(), public_url));
    // With the peer's address: sign-in throttles and the security log need it.
    let app = router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app)
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

/// On SIGHUP, rebuilds the snapshot from the store; one that fails validation is refused and the
/// old one kept.
async fn reload_on_hangup(state: AppState) {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let Ok(mut hangup) = signal(SignalKind::hangup()) else {
            return;
        };
        while hangup.recv().await.is_some() {
            match state.rebuild().await {
                Ok(()) => {
                    warm(&state);
                    tracing::info!("data omladdad från lagret");
                }
                Err(problems) => tracing::error!(
                    "omladdning avvisad, den gamla datan används fortfarande:\n{}",
                    report(&problems)
                ),
            }
        }
    }
    #[cfg(not(unix))]
    let _ = state;
}

/// Once a minute: when the date (in Sweden) is no longer the snapshot's, rebuilds the snapshot
/// from the store, so that the staleness watch's cut-off moves on a server that sees no edits;
/// with SMTP set, sends the reminders that are due at start and then on each new day.
async fn daily(state: AppState, public_url: String) {
    let mut reminded_on: Option<String> = None;
    let mut purged_on: Option<String> = None;
    let mut minute = tokio::time::interval(std::time::Duration::from_secs(60));
    loop {
        minute.tick().await;
        let today = crate::dates::today();
        if state.atlas().review.today.to_string() != today {
            match state.rebuild().await {
                Ok(()) => {
                    warm(&state);
                    tracing::info!("ny dag ({today}): data omladdad från lagret");
                }
                Err(problems) => tracing::error!(
                    "omladdning för ny dag avvisad, den gamla datan används fortfarande:\n{}",
                    report(&problems)
                ),
            }
        }
        if purged_on.as_deref() != Some(today.as_str())
            && let Ok(store) = state.store()
        {
            purged_on = Some(today.clone());
            match store.purge_reports(crate::dates::now_seconds()).await {
                Ok((0, 0)) => {}
                Ok((emails, reports)) => tracing::info!(
                    "rapporter: {emails} e-postadresser och {reports} hanterade rapporter raderade (lagringstiden ute)"
                ),
                Err(e) => tracing::error!("rapporterna kunde inte rensas: {e}"),
            }
        }
        let (Some(mailer), Ok(store)) = (&state.mailer, state.store()) else {
            continue;
        };
        if reminded_on.as_deref() == Some(today.as_str()) {
            continue;
        }
        reminded_on = Some(today);
        let now = crate::dates::now_seconds();
        let atlas = state.atlas();
        match crate::reminders::send_due(store, &atlas, Some(mailer), &public_url, now, false).await
        {
            Ok(outcome) => {
                for r in &outcome.sent {
                    tracing::info!("påminnelse skickad till {} ({} uppgifter)", r.email, r.due);
                }
                for (to, why) in &outcome.failed {
                    tracing::error!("påminnelsen till {to} kunde inte skickas: {why}");
                }
            }
            Err(e) => tracing::error!("påminnelserna kunde inte skickas: {e}"),
        }
    }
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
