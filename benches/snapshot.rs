//! Micro-benchmarks of the data snapshot (criterion): a cold build with its geography (what a
//! start does before it answers), the geography with every detail level simplified and
//! serialised (what warming adds after), the rebuild after a one-cell change on the existing geography (what an edit costs),
//! filling every query-independent body, and one request each to the locate and kommuner
//! routes through the router in process (no socket), and the pictures' pages rendered anew. On
//! the shipped data, Skaraborg and all of Sweden. The gap planner: one kommun and level (Tibro,
//! universal), the API's answer for one kommun (three levels, as JSON), and every kommun × level
//! of a region, on the real and the example data. `cargo bench --bench snapshot` (part of `make
//! bench`).

use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;

use axum::body::Body;
use axum::http::Request;
use criterion::{Criterion, criterion_group, criterion_main};
use skaraborgskartan::atlas::{Atlas, Geography};
use skaraborgskartan::http::Served;
use skaraborgskartan::inventory::{self, Inventory};
use skaraborgskartan::plan::Plan;
use skaraborgskartan::site::{PageOptions, Site};
use skaraborgskartan::views;
use skaraborgskartan::vocabulary::{Detail, Level, OfferingStatus};
use skaraborgskartan::{AppState, router};
use tower::ServiceExt;

fn load(region: Option<&str>) -> Inventory {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("geodata");
    inventory::load(&dir, region).unwrap_or_else(|p| panic!("geodata does not load: {p:?}"))
}

/// The inventory after one edit: the first offering's status flipped.
fn edited(inv: &Inventory) -> Inventory {
    let mut inv = inv.clone();
    let o = &mut inv.offerings[0];
    o.status = match o.status {
        OfferingStatus::Offered => OfferingStatus::NotOffered,
        OfferingStatus::NotOffered | OfferingStatus::Unknown => OfferingStatus::Offered,
    };
    inv
}

fn snapshot(c: &mut Criterion) {
    let web = Path::new(env!("CARGO_MANIFEST_DIR")).join("web");
    let site = Site::load(&web, PageOptions::default());
    for (name, region) in [("skaraborg", None), ("sverige", Some("sverige"))] {
        let inv = load(region);
        let mut g = c.benchmark_group(name);
        g.sample_size(20);
        g.bench_function("cold build (geography and data)", |b| {
            b.iter(|| black_box(Atlas::build(inv.clone())));
        });
        g.bench_function("geometry of every detail level", |b| {
            b.iter(|| {
                let geography = Geography::build(inv.boundaries.clone());
                for d in Detail::ALL {
                    black_box(geography.geometry(*d, 0));
                }
                geography
            });
        });
        let geography = Arc::new(Geography::build(inv.boundaries.clone()));
        g.bench_function("rebuild after a one-cell edit", |b| {
            b.iter(|| {
                let atlas = Atlas::on(geography.clone(), edited(&inv));
                black_box(Served::new(Arc::new(atlas), &site))
            });
        });
        g.bench_function("all query-independent bodies", |b| {
            let atlas = Arc::new(Atlas::on(geography.clone(), inv.clone()));
            b.iter(|| {
                let served = Served::new(atlas.clone(), &site);
                served.bodies.fill(&served.atlas);
                black_box(served)
            });
        });
        g.finish();
    }
}

fn routes(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("geodata");
    let atlas = skaraborgskartan::server::build(&dir, None).expect("geodata loads");
    let state = AppState::new(atlas);
    let app = router(state.clone());
    let mut g = c.benchmark_group("router");
    for (name, uri) in [
        ("healthz", "/healthz"),
        ("locate", "/api/v1/locate?lat=58.39&lon=13.85"),
        ("kommuner layer", "/api/v1/kommuner"),
        ("kommun page", "/kommun/1496"),
        (
            "ogc items limit=15",
            "/ogc/collections/kommuner/items?limit=15",
        ),
    ] {
        g.bench_function(name, |b| {
            b.iter(|| {
                let req = Request::get(uri)
                    .header("accept-encoding", "gzip")
                    .body(Body::empty())
                    .expect("request");
                rt.block_on(app.clone().oneshot(req)).expect("response")
            });
        });
    }
    g.finish();
}

fn plans(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("geodata");
    let mut g = c.benchmark_group("plan");
    g.sample_size(20);
    for (name, dir, region) in [
        ("real skaraborg", root.clone(), None),
        ("example skaraborg", root.join("example"), None),
        ("real sverige", root.clone(), Some("sverige")),
        ("example sverige", root.join("example"), Some("sverige")),
    ] {
        let a = skaraborgskartan::server::build(&dir, region).expect("geodata loads");
        let (k, r) = (a.kommun_index("1472").expect("Tibro"), a.default_round);
        g.bench_function(format!("{name}: Tibro, universal"), |b| {
            b.iter(|| black_box(Plan::new(&a, k, r, Level::Universal)));
        });
        g.bench_function(format!("{name}: Tibro, API answer (3 levels, JSON)"), |b| {
            b.iter(|| {
                let json = views::plan_answer(&a, k, r, Level::ALL);
                black_box(serde_json::to_vec(&json).expect("JSON").len())
            });
        });
        g.bench_function(format!("{name}: every kommun × 3 levels"), |b| {
            b.iter(|| {
                for k in 0..a.kommuner().len() {
                    black_box(Plan::levels(&a, k, r));
                }
            });
        });
    }
    g.finish();
}

/// The pictures' pages rendered anew (a fresh snapshot's bodies each time, so nothing is
/// cached): the overview of the region and the lägesbild, Skaraborg and all of Sweden, plain and
/// with gzip (the page a browser gets on its first visit after a data change).
fn pictures(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let web = Path::new(env!("CARGO_MANIFEST_DIR")).join("web");
    let mut g = c.benchmark_group("pictures");
    g.sample_size(20);
    for (name, region) in [("skaraborg", None), ("sverige", Some("sverige"))] {
        let inv = load(region);
        let geography = Arc::new(Geography::build(inv.boundaries.clone()));
        for (page, uri) in [
            ("overview", "/oversikt?level=universal&age=13&sort=tackning"),
            ("lagesbild", "/lagesbild"),
        ] {
            for gzip in [false, true] {
                let label = format!("{name} {page}{}", if gzip { " gzip" } else { "" });
                g.bench_function(label, |b| {
                    b.iter_batched(
                        || {
                            let atlas = Atlas::on(geography.clone(), inv.clone());
                            router(AppState::with_site(
                                atlas,
                                Site::load(&web, PageOptions::default()),
                            ))
                        },
                        |app| {
                            let mut req = Request::get(uri);
                            if gzip {
                                req = req.header("accept-encoding", "gzip");
                            }
                            let req = req.body(Body::empty()).expect("request");
                            rt.block_on(app.oneshot(req)).expect("response")
                        },
                        criterion::BatchSize::LargeInput,
                    );
                });
            }
        }
    }
    g.finish();
}

criterion_group!(benches, snapshot, routes, plans, pictures);
criterion_main!(benches);
