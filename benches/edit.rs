//! `cargo bench --bench edit` (part of `make bench`): what an edit costs, on a real socket, against
//! the release binary with a store of its own.
//!
//! Rows (target):
//!   a  an edit through the write API until the public API serves it, p99, Skaraborg (< 25 ms)
//!   b  the same for --region sverige, 290 kommuner (< 60 ms)
//!   c  sustained edits/s (one client, back to back) vs bare single-row transactions on the same
//!      SQLite file with the same settings (WAL, synchronous=FULL, BEGIN IMMEDIATE, one UPDATE,
//!      COMMIT), measured alternately in the same run (ratio >= 0.5)
//!
//! Method. The store is seeded in a fresh state directory under target/ (on the disk the
//! service would use, not a tmpfs, so a commit's fsync is real), an account and its API token
//! made in it, then `serve` started on it. One edit: PUT of the Skövde ABC offering's note
//! ("bench N", If-Match of the previous answer), then GET /api/v1/kommuner/1496 until it shows
//! that note (the first GET does: the snapshot is swapped before the PUT is answered); the time
//! from sending the PUT to reading that GET is the edit's latency. Sustained: PUTs alone, back to
//! back; the bare transactions update one row of a table of their own in the same file, from
//! this process, while the server is idle. Both run in ROUNDS alternating blocks; totals count.
//!
//! Settings (environment):
//!   SKK_BENCH_EDITS=500          edits measured per region for latency (and per rate block × ROUNDS)
//!   SKK_BENCH_EDIT_PORT=18180    the server's port (must be free)
//!   SKK_BENCH_DATA=geodata       data directory
//!   SKK_BENCH_BIN=path           the server binary (default: the one `cargo bench` just built)
//!   SKK_BENCH_STRICT=1           exit 1 if any target is missed

use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::str::FromStr;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

type R<T> = Result<T, Box<dyn std::error::Error>>;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const RECORD: &str = "/api/v1/admin/records/offerings/1496/abc/offentliga-kallor";
const PUBLIC: &str = "/api/v1/kommuner/1496";
const ROUNDS: usize = 3;

fn main() -> ExitCode {
    // `cargo test --all-targets` (make test) runs bench binaries without `--bench`: this one
    // builds stores and runs servers, so it runs only under `cargo bench`.
    if !std::env::args().any(|a| a == "--bench") {
        println!(
            "benches/edit.rs: an edit benchmark, run by `make bench` (cargo bench --bench edit)"
        );
        return ExitCode::SUCCESS;
    }
    match run() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("ERROR: {e}");
            ExitCode::FAILURE
        }
    }
}

struct Settings {
    edits: usize,
    port: u16,
    data: PathBuf,
    bin: PathBuf,
}

fn env_or<T: FromStr>(name: &str, default: T) -> R<T> {
    match std::env::var(name) {
        Ok(v) => v
            .parse()
            .map_err(|_| format!("{name}: ”{v}” cannot be read").into()),
        Err(_) => Ok(default),
    }
}

fn run() -> R<ExitCode> {
    let s = Settings {
        edits: env_or("SKK_BENCH_EDITS", 500)?,
        port: env_or("SKK_BENCH_EDIT_PORT", 18180)?,
        data: env_or("SKK_BENCH_DATA", Path::new(ROOT).join("geodata"))?,
        bin: env_or(
            "SKK_BENCH_BIN",
            PathBuf::from(env!("CARGO_BIN_EXE_skaraborgskartan")),
        )?,
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let mut figures = Vec::new();
    for region in [None, Some("sverige")] {
        figures.push(runtime.block_on(region_run(&s, region))?);
    }
    let [sk, sv] = [&figures[0], &figures[1]];
    let rows = [
        (
            "a",
            "edit until served, p99, skaraborg",
            sk.served_p99,
            None,
            Target::Lt(25.0),
        ),
        (
            "-",
            "edit until served, p50, skaraborg",
            sk.served_p50,
            None,
            Target::Info,
        ),
        (
            "-",
            "edit acknowledged (PUT), p99, skaraborg",
            sk.put_p99,
            None,
            Target::Info,
        ),
        (
            "b",
            "edit until served, p99, sverige",
            sv.served_p99,
            None,
            Target::Lt(60.0),
        ),
        (
            "-",
            "edit until served, p50, sverige",
            sv.served_p50,
            None,
            Target::Info,
        ),
        (
            "-",
            "edit acknowledged (PUT), p99, sverige",
            sv.put_p99,
            None,
            Target::Info,
        ),
        (
            "c",
            "edits/s vs bare transactions, skaraborg",
            sk.edits_s,
            Some(sk.bare_s),
            Target::Ge(0.5),
        ),
        (
            "-",
            "edits/s vs bare transactions, sverige",
            sv.edits_s,
            Some(sv.bare_s),
            Target::Info,
        ),
    ];
    println!();
    println!(
        "{:<2} {:<42} {:>9} {:>12} {:>7}  {:<12} result",
        "", "measure", "ours", "bare tx/s", "ratio", "target"
    );
    println!("{}", "-".repeat(100));
    let mut misses = 0;
    for (id, label, value, peer, target) in rows {
        let ratio = peer.map(|p| value / p);
        let (goal, result) = match target {
            Target::Lt(t) => (format!("< {t} ms"), pass(value < t)),
            Target::Ge(t) => (format!("ratio >= {t}"), pass(ratio >= Some(t))),
            Target::Info => ("-".to_string(), "info"),
        };
        misses += usize::from(result == "MISS");
        let unit = if peer.is_some() { "/s" } else { " ms" };
        println!(
            "{id:<2} {label:<42} {:>9} {:>12} {:>7}  {goal:<12} {result}",
            format!("{value:.1}{unit}"),
            peer.map_or("-".into(), |p| format!("{p:.0}")),
            ratio.map_or("-".into(), |r| format!("{r:.2}")),
        );
    }
    println!();
    let strict = std::env::var("SKK_BENCH_STRICT").is_ok_and(|v| v == "1");
    Ok(if strict && misses > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

#[derive(Clone, Copy)]
enum Target {
    Lt(f64),
    Ge(f64),
    Info,
}

fn pass(ok: bool) -> &'static str {
    if ok { "PASS" } else { "MISS" }
}

struct Figures {
    put_p99: f64,
    served_p50: f64,
    served_p99: f64,
    edits_s: f64,
    bare_s: f64,
}

/// The server on a fresh store, killed when dropped.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

async fn region_run(s: &Settings, region: Option<&str>) -> R<Figures> {
    let name = region.unwrap_or("skaraborg");
    let state = Path::new(ROOT).join("target/bench-edit").join(name);
    if state.exists() {
        std::fs::remove_dir_all(&state)?;
    }
    let token = seed(&state, &s.data, region).await?;
    let addr = format!("127.0.0.1:{}", s.port);
    if std::net::TcpStream::connect(&addr).is_ok() {
        Err(format!(
            "port {} is in use: set SKK_BENCH_EDIT_PORT",
            s.port
        ))?;
    }
    let mut cmd = Command::new(&s.bin);
    cmd.args(["serve", "--addr", &addr, "--web"])
        .arg(Path::new(ROOT).join("web"))
        .arg("--data")
        .arg(&s.data)
        .arg("--state")
        .arg(&state)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null());
    if let Some(r) = region {
        cmd.args(["--region", r]);
    }
    let _server = Server(cmd.spawn()?);
    let base = format!("http://{addr}");
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into();
    wait_ready(&agent, &base)?;
    let mut client = Client {
        agent,
        base,
        token,
        version: 1,
        n: 0,
    };
    // Warm-up: the first snapshot's bodies, the connection, the page cache.
    for _ in 0..20 {
        client.edit_and_see()?;
    }
    let mut put = Vec::with_capacity(s.edits);
    let mut served = Vec::with_capacity(s.edits);
    for _ in 0..s.edits {
        let (p, t) = client.edit_and_see()?;
        put.push(p);
        served.push(t);
    }
    let bare = Bare::open(&state).await?;
    let (mut edit_time, mut bare_time) = (Duration::ZERO, Duration::ZERO);
    for _ in 0..ROUNDS {
        let t = Instant::now();
        for _ in 0..s.edits {
            client.edit()?;
        }
        edit_time += t.elapsed();
        bare_time += bare.transactions(s.edits).await?;
    }
    bare.pool.close().await;
    let total = (s.edits * ROUNDS) as f64;
    let f = Figures {
        put_p99: percentile(&mut put, 0.99),
        served_p50: percentile(&mut served, 0.50),
        served_p99: percentile(&mut served, 0.99),
        edits_s: total / edit_time.as_secs_f64(),
        bare_s: total / bare_time.as_secs_f64(),
    };
    eprintln!(
        "{name}: PUT p50 {:.2} ms p99 {:.2} ms; served p50 {:.2} ms p99 {:.2} ms; \
         {:.0} edits/s, {:.0} bare tx/s",
        percentile(&mut put, 0.5),
        f.put_p99,
        f.served_p50,
        f.served_p99,
        f.edits_s,
        f.bare_s
    );
    Ok(f)
}

/// Seeds a store as `serve` would on first start, with a samordnare and their API token.
async fn seed(state: &Path, data: &Path, region: Option<&str>) -> R<String> {
    use skaraborgskartan::auth::Role;
    let store = skaraborgskartan::server::open_store(state, data, region).await?;
    let (id, _) = store
        .invite(
            "bench@example.se",
            "bench",
            Role::Samordnare,
            &Default::default(),
        )
        .await?;
    let (_, token) = store.create_token(id, "bench").await?;
    store.close().await;
    Ok(token)
}

fn wait_ready(agent: &ureq::Agent, base: &str) -> R<()> {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(60) {
        if let Ok(r) = agent.get(&format!("{base}/healthz")).call()
            && r.status() == 200
        {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Err("the server did not answer /healthz within 60 s".into())
}

struct Client {
    agent: ureq::Agent,
    base: String,
    token: String,
    version: i64,
    n: usize,
}

impl Client {
    /// One PUT of a new note; returns it.
    fn edit(&mut self) -> R<String> {
        self.n += 1;
        let note = format!("bench {}", self.n);
        let body = json!({ "fields": { "note": note }, "source": "https://example.se/bench" });
        let r = self
            .agent
            .put(&format!("{}{RECORD}", self.base))
            .header("authorization", &format!("Bearer {}", self.token))
            .header("if-match", &format!("\"v{}\"", self.version))
            .header("content-type", "application/json")
            .send(body.to_string())?;
        let status = r.status().as_u16();
        let text = r.into_body().read_to_string()?;
        if status != 200 {
            Err(format!("PUT answered {status}: {text}"))?;
        }
        let answer: Value = serde_json::from_str(&text)?;
        self.version = answer["version"].as_i64().ok_or("no version")?;
        Ok(note)
    }

    /// An edit, then the public API until it shows it: (acknowledged, served) in ms.
    fn edit_and_see(&mut self) -> R<(f64, f64)> {
        let start = Instant::now();
        let note = self.edit()?;
        let put = start.elapsed();
        let needle = format!("\"note\":\"{note}\"");
        loop {
            let r = self.agent.get(&format!("{}{PUBLIC}", self.base)).call()?;
            let text = r.into_body().read_to_string()?;
            if text.contains(&needle) {
                break;
            }
            if start.elapsed() > Duration::from_secs(5) {
                Err(format!("{PUBLIC} did not show {note} within 5 s"))?;
            }
        }
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        Ok((ms(put), ms(start.elapsed())))
    }
}

/// Bare single-row transactions on the store's own file, with the store's settings.
struct Bare {
    pool: sqlx::SqlitePool,
}

impl Bare {
    async fn open(state: &Path) -> R<Bare> {
        use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
        let options = SqliteConnectOptions::new()
            .filename(state.join(skaraborgskartan::store::FILE))
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(Duration::from_secs(10));
        let pool = sqlx::pool::PoolOptions::new()
            .max_connections(1)
            .connect_with(options)
            .await?;
        sqlx::query("CREATE TABLE IF NOT EXISTS bench_bare (id BIGINT PRIMARY KEY, n BIGINT)")
            .execute(&pool)
            .await?;
        sqlx::query("INSERT OR IGNORE INTO bench_bare (id, n) VALUES (1, 0)")
            .execute(&pool)
            .await?;
        Ok(Bare { pool })
    }

    async fn transactions(&self, n: usize) -> R<Duration> {
        let start = Instant::now();
        for _ in 0..n {
            let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
            sqlx::query("UPDATE bench_bare SET n = n + 1 WHERE id = $1")
                .bind(1_i64)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
        }
        Ok(start.elapsed())
    }
}

fn percentile(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(f64::total_cmp);
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v[i.min(v.len() - 1)]
}
