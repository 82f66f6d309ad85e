//! Geometry on the shipped boundaries: parsing with validation, shared simplification at the two
//! tolerances the atlas uses, neighbours, point lookup and GeoJSON output.
//!
//! `cargo bench --bench geometry` takes about 40 s once built (few samples and short measuring
//! times: the spread on a shared machine is larger than what more samples would gain). Reads
//! only the project's own `geodata/`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use geo::MultiPolygon;
use skaraborgskartan::boundaries::parse_boundaries;
use skaraborgskartan::geometry::{self, Locator};

fn read(name: &str) -> String {
    let path = format!("{}/geodata/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn shapes(name: &str, text: &str) -> Vec<MultiPolygon<f64>> {
    let (boundaries, problems, _) = parse_boundaries(name, text);
    assert!(problems.is_empty(), "{name}: {problems:?}");
    boundaries.into_iter().map(|b| b.shape).collect()
}

/// A fixed grid over Sweden's envelope (inside, in lakes, at sea and abroad).
fn points() -> Vec<(f64, f64)> {
    let (cols, rows) = (40, 25);
    (0..rows)
        .flat_map(|r| {
            (0..cols).map(move |c| {
                (
                    10.9 + 13.3 * c as f64 / (cols - 1) as f64,
                    55.3 + 13.8 * r as f64 / (rows - 1) as f64,
                )
            })
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let regional = read("kommuner.geojson");
    let national = read("sverige/kommuner.geojson");

    let mut group = c.benchmark_group("parse");
    group.bench_function("skaraborg", |b| {
        b.iter(|| parse_boundaries("kommuner.geojson", black_box(&regional)));
    });
    group.bench_function("sverige", |b| {
        b.iter(|| parse_boundaries("sverige/kommuner.geojson", black_box(&national)));
    });
    group.finish();

    let sverige = shapes("sverige/kommuner.geojson", &national);
    let mut group = c.benchmark_group("sverige");
    for tolerance in [0.003, 0.01] {
        group.bench_function(format!("simplify_shared {tolerance}"), |b| {
            b.iter(|| geometry::simplify_shared(black_box(&sverige), tolerance));
        });
    }
    group.bench_function("neighbours", |b| {
        b.iter(|| geometry::neighbours(black_box(&sverige)));
    });
    group.bench_function("geometry_json", |b| {
        b.iter(|| {
            sverige
                .iter()
                .map(|s| geometry::geometry_json(s).to_string().len())
                .sum::<usize>()
        });
    });
    group.bench_function("Locator::new", |b| {
        b.iter(|| Locator::new(black_box(&sverige)));
    });
    let locator = Locator::new(&sverige);
    let grid = points();
    group.bench_function("locate 1000 points", |b| {
        b.iter(|| {
            grid.iter()
                .filter(|&&(x, y)| locator.locate(black_box(x), black_box(y)).is_some())
                .count()
        });
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    targets = bench
}
criterion_main!(benches);
