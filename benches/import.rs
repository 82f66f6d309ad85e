//! `cargo bench --bench import` (part of `make bench`): what an import costs, in process, on a
//! real store file under target/ (a real fsync).
//!
//! Rows (target):
//!   a  preview of a template of 290 kommuner × 29 programmes (8,410 rows, --region sverige):
//!      the upload read, the round's answers read from the store, the plan made (< 1 s)
//!   b  apply of that template: one changeset of 8,410 edits, validated, committed, the snapshot
//!      rebuilt and swapped (< 2 s); beside it a bare bulk insert of the same 8,410 rows (the same
//!      JSON fields) in one transaction on the same SQLite file, the physical floor
//!   c  preview of a questionnaire export of 300 respondents × 29 programmes (Skaraborg) (< 1 s)
//!   d  apply of it (< 2 s)
//!
//! Each figure is the median of SKK_BENCH_IMPORTS runs (default 3), each on a fresh round.
//! SKK_BENCH_STRICT=1: exit 1 if a target is missed.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use skaraborgskartan::AppState;
use skaraborgskartan::import::{self, Settings, Shape};
use skaraborgskartan::store::{Action, Changeset, Edit, OFFERINGS, ROUNDS, Record, Scope, Store};
use skaraborgskartan::tabular::{self, Limits};

type R<T> = Result<T, Box<dyn std::error::Error>>;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn main() -> ExitCode {
    if !std::env::args().any(|a| a == "--bench") {
        println!(
            "benches/import.rs: an import benchmark, run by `make bench` (cargo bench --bench import)"
        );
        return ExitCode::SUCCESS;
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    match rt.block_on(run()) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) if std::env::var("SKK_BENCH_STRICT").as_deref() == Ok("1") => ExitCode::FAILURE,
        Ok(false) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ERROR: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn state_for(dir: &Path, region: Option<&str>) -> R<AppState> {
    let data = Path::new(ROOT).join("geodata");
    let store = skaraborgskartan::server::open_store(dir, &data, region)
        .await
        .map_err(|e| format!("{e:?}"))?;
    let atlas = skaraborgskartan::server::build_from_store(&store, region)
        .await
        .map_err(|e| format!("{e:?}"))?;
    Ok(AppState::new(atlas).with_store(Arc::new(store), region.map(str::to_string)))
}

fn changeset(kind: &'static str, edits: Vec<Edit>) -> Changeset {
    Changeset::new("bench", Scope::Region, kind, edits)
}

async fn new_round(state: &AppState, id: &str) -> R<()> {
    let mut e = Edit::new(&ROUNDS, None, None, Action::Save);
    for (k, v) in [
        ("id", id),
        ("name", id),
        ("kind", "survey"),
        ("collected", "2026"),
        ("note", "Benchmark round (bench store only)."),
        ("status", "open"),
    ] {
        e.fields.insert(k.into(), v.into());
    }
    e.source = "benches/import.rs".into();
    state
        .commit(changeset("edit", vec![e]))
        .await
        .map_err(|e| e.to_string())?;
    Ok(())
}

fn template_file(state: &AppState) -> Vec<u8> {
    let a = state.atlas();
    let mut out = b"\xEF\xBB\xBFkommunkod;programkod;status;arrang\xC3\xB6r;k\xC3\xA4lla;senast bekr\xC3\xA4ftad\r\n".to_vec();
    for (i, k) in a.geography.kommuner.iter().enumerate() {
        for (j, p) in a.programmes().iter().enumerate() {
            let status = ["erbjuds", "erbjuds inte", "okänt"][(i + j) % 3];
            out.extend_from_slice(
                format!(
                    "{};{};{status};Kommunen {i};Benchmark;2026-11\r\n",
                    k.code, p.slug
                )
                .as_bytes(),
            );
        }
    }
    out
}

fn questionnaire_file(state: &AppState, respondents: usize) -> Vec<u8> {
    let a = state.atlas();
    let mut header = vec!["Tidsstämpel".to_string(), "Kommun".into(), "Roll".into()];
    header.extend(a.programmes().iter().map(|p| p.name.clone()));
    let mut out = header.join(";") + "\r\n";
    let n = a.geography.kommuner.len();
    for r in 0..respondents {
        let k = &a.geography.kommuner[r % n];
        let mut row = vec![
            format!("2026-10-{:02}", 1 + r % 28),
            k.name.clone(),
            format!("Roll {r}"),
        ];
        for p in 0..a.programmes().len() {
            row.push(["Ja", "Nej", "Vet ej", ""][(r * 7 + p * 3) % 4].to_string());
        }
        out += &(row.join(";") + "\r\n");
    }
    out.into_bytes()
}

/// (preview, apply, edits) of one import into a fresh round.
async fn once(
    state: &AppState,
    round: &str,
    file: &[u8],
    shape: Shape,
) -> R<(Duration, Duration, usize)> {
    new_round(state, round).await?;
    let settings = Settings {
        round: round.into(),
        source: "Benchmark".into(),
        confirmed: "2026-11".into(),
        mapping: BTreeMap::new(),
        settled: BTreeMap::new(),
    };
    let store = state.store()?;
    let t = Instant::now();
    let sheet = tabular::read_upload("bench.csv", file, &Limits::default())
        .map_err(|p| format!("{p:?}"))?;
    let current = store.answers(round).await?;
    let plan = import::plan(
        &state.atlas(),
        "bench.csv",
        &sheet,
        shape,
        &settings,
        &Scope::Region,
        &current,
    );
    let preview = t.elapsed();
    if !plan.problems.is_empty() {
        return Err(format!(
            "the bench file has problems: {:?}",
            &plan.problems[..3.min(plan.problems.len())]
        )
        .into());
    }
    let edits = plan.edits.len();
    let t = Instant::now();
    state
        .commit(changeset("import", plan.edits))
        .await
        .map_err(|e| e.to_string())?;
    Ok((preview, t.elapsed(), edits))
}

/// The same rows as JSON in a table of their own, one transaction: the floor for an apply.
async fn bulk_insert(store: &Store, rows: usize, round: &str) -> R<Duration> {
    sqlx::query("CREATE TABLE IF NOT EXISTS bench_bulk (kind TEXT, key TEXT, kommun TEXT, position BIGINT, fields TEXT, version BIGINT)")
        .execute(store.pool())
        .await?;
    sqlx::query("DELETE FROM bench_bulk")
        .execute(store.pool())
        .await?;
    let sample: Vec<Record> = store
        .records(&OFFERINGS)
        .await?
        .into_iter()
        .filter(|r| r.field("round") == round)
        .take(rows)
        .collect();
    let t = Instant::now();
    let mut tx = store.begin().await?;
    for (i, r) in sample.iter().enumerate() {
        sqlx::query("INSERT INTO bench_bulk (kind, key, kommun, position, fields, version) VALUES ($1, $2, $3, $4, $5, 1)")
            .bind("offerings")
            .bind(format!("bulk/{}", r.key))
            .bind(&r.kommun)
            .bind(i as i64)
            .bind(serde_json::to_string(&r.fields)?)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(t.elapsed())
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

async fn run() -> R<bool> {
    let runs: usize = std::env::var("SKK_BENCH_IMPORTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);
    let base = Path::new(ROOT).join("target").join("bench-import");
    let _ = std::fs::remove_dir_all(&base);
    let mut ok = true;
    let mut row = |name: &str, got: Duration, target: Duration, extra: String| {
        let pass = got < target;
        ok &= pass;
        println!(
            "{name:<58} {:>8}  target < {:>7}  {}  {extra}",
            ms(got),
            ms(target),
            if pass { "PASS" } else { "MISS" }
        );
    };
    println!(
        "import benchmark: median of {runs} runs, release build, store under target/bench-import"
    );

    let sverige = state_for(&base.join("sverige"), Some("sverige")).await?;
    let file = template_file(&sverige);
    let (mut previews, mut applies, mut bulks) = (Vec::new(), Vec::new(), Vec::new());
    let mut edits = 0;
    for i in 0..runs {
        let round = format!("bench-mall-{i}");
        let (p, a, n) = once(&sverige, &round, &file, Shape::Template).await?;
        bulks.push(bulk_insert(sverige.store()?, n, &round).await?);
        previews.push(p);
        applies.push(a);
        edits = n;
    }
    let bulk = median(bulks);
    row(
        &format!("a  preview, template {edits} rows (sverige)"),
        median(previews),
        Duration::from_secs(1),
        String::new(),
    );
    let apply = median(applies);
    row(
        &format!("b  apply, template {edits} edits incl. snapshot swap"),
        apply,
        Duration::from_secs(2),
        format!(
            "bare bulk insert {} ({:.1}× the floor)",
            ms(bulk),
            apply.as_secs_f64() / bulk.as_secs_f64()
        ),
    );

    let skaraborg = state_for(&base.join("skaraborg"), None).await?;
    let file = questionnaire_file(&skaraborg, 300);
    let (mut previews, mut applies) = (Vec::new(), Vec::new());
    for i in 0..runs {
        let (p, a, n) = once(
            &skaraborg,
            &format!("bench-enkat-{i}"),
            &file,
            Shape::Questionnaire,
        )
        .await?;
        previews.push(p);
        applies.push(a);
        edits = n;
    }
    row(
        "c  preview, questionnaire 300 respondents × 29 programmes",
        median(previews),
        Duration::from_secs(1),
        String::new(),
    );
    row(
        &format!("d  apply, questionnaire ({edits} answers)"),
        median(applies),
        Duration::from_secs(2),
        String::new(),
    );
    Ok(ok)
}
