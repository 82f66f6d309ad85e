//! `make bench` (`cargo bench --bench load`): how fast skaraborgskartan is on this machine, each
//! figure next to a peer measured in the same run, on loopback only. A black box: it starts the
//! release binary and speaks HTTP to it, so nothing here depends on the crate's code.
//!
//! Rows (target):
//!   a  GET /api/v1/kommuner (gzip) vs nginx gzip_static on the same bytes (ratio >= 0.95)
//!   b  GET /api/v1/locate, random points (seeded) vs GET /healthz (>= 0.7); p99 (< 1 ms)
//!   c  cold start to the first /healthz answer, --region sverige, median (< 100 ms)
//!   d  VmRSS of the --region sverige server after load (< 64 MiB)
//!   e  GET /kommun/1496 (HTML, gzip) vs GET /healthz (>= 0.8)
//!   f  bytes of the first map page, every asset it links and its GeoJSON, gzip (< 150 KB)
//!   g  OGC items kommuner limit=15 vs pygeoapi on the same GeoJSON file (>= 100)
//!   h  the full long-table CSV export: req/s, MB/s, rows/s (no target)
//!   i  OGC items limit=15 (gzip) vs /api/v1/kommuner (gzip), same server (>= 0.5)
//!   j  OGC items limit=15 and item 1496 on sverige (290 kommuner) vs skaraborg (15) (>= 0.8)
//!   k  OGC bbox over all of Sweden, limit=15, vs items limit=15, both sverige (>= 0.5)
//!   l  OGC items that miss the cache (a new bbox each request): gzip vs identity (>= 0.5)
//!
//! Method. The server and its peers (nginx, pygeoapi) run on core SKK_BENCH_SERVER_CPU
//! (taskset), this harness and wrk on SKK_BENCH_LOAD_CPU. Every load is WARMUP s discarded, then
//! REPEAT runs of DURATION s (wrk under `timeout`); the run with the median req/s counts. wrk
//! sends what benches/requests.lua builds, and its done() prints the figures as JSON. Server CPU
//! comes from /proc/PID/stat (with its children), core use from /proc/stat: a warning says when
//! something else used the server's core, or when wrk's core was the limit. Prints a table (a
//! missed target says MISS) and writes OUT/results.json with every load's figures.
//!
//! Settings (environment):
//!   SKK_BENCH_PORT=18080      port of our server (must be free); peers take the next free ones
//!   SKK_BENCH_DATA=geodata    data directory
//!   SKK_BENCH_DURATION=10     seconds measured per load
//!   SKK_BENCH_WARMUP=2        seconds of warm-up before each load
//!   SKK_BENCH_REPEAT=1        measured runs per load; the run with the median req/s counts
//!   SKK_BENCH_CONNS=32        wrk connections (one wrk thread)
//!   SKK_BENCH_COLD_RUNS=5     cold starts per region
//!   SKK_BENCH_SEED=20240101   seed of the random locate points and boxes
//!   SKK_BENCH_SERVER_CPU=0    core of the server and its peers
//!   SKK_BENCH_LOAD_CPU=1      core of wrk and this harness
//!   SKK_BENCH_BIN=path        the server binary (default: the one `cargo bench` just built)
//!   SKK_BENCH_VENV=target/bench-venv   pygeoapi's venv (tools/deps.sh bench makes it)
//!   SKK_BENCH_OUT=target/bench         where results.json goes
//!   SKK_BENCH_STRICT=1        exit 1 if any target is missed
//!   SKK_BENCH_KEEP_TMP=1      keep the temp dir (server logs, nginx and pygeoapi config)
//!   RUST_LOG=warn             the server's log filter; warn: no per-request log (nginx has none)
//!
//! Code. The bench functions (`skaraborg`, `sverige`, `cold_start`, `pygeoapi`) only measure:
//! `b.load(name, &server, get(path, gzip))` runs wrk (`lua(args, gzip)`: requests that
//! requests.lua generates) and records the figures NAME (req/s) and NAME.p99 (ms); `b.fig` records
//! any other. The table `ROWS` says which figures make which row, against which peer and target.
//! To add a row: measure its figures in a bench function, add a line to `ROWS`.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::Read;
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::OnceLock;
use std::thread::sleep;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use Check::{Ge, Info, Lt};

type R<T> = Result<T, Box<dyn std::error::Error>>;

const HOST: &str = "127.0.0.1";
const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const LUA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/requests.lua");
const KOMMUNER: &str = "/api/v1/kommuner";
const ITEMS: &str = "/ogc/collections/kommuner/items?limit=15";
const ITEM: &str = "/ogc/collections/kommuner/items/1496";
const SWEDEN_BBOX: &str = "/ogc/collections/kommuner/items?bbox=10.5,55,24.2,69.1&limit=15";
const EXPORT: &str = "/api/v1/export/erbjudanden?profil=excel";
/// Skaraborg's bounding box as lat_min lat_max lon_min lon_max: random locate points.
const LOCATE_BOX: &str = "57.9 59.1 13.0 14.8";
/// W S E N of a box around all 15 Skaraborg kommuner: jittered, it still matches all of them.
const SKARABORG_BBOX: &str = "12.0 57.5 15.5 59.5";

/// How a row is judged: its ratio to the peer at least, its own figure below, or not at all.
#[derive(Clone, Copy)]
enum Check {
    Ge(f64),
    Lt(f64),
    Info,
}

/// The table, in the order it prints: (id, label, our figure, peer, peer's figure, check). A
/// figure is a load's req/s (its name), its p99 in ms (NAME.p99) or one recorded with `b.fig`;
/// "" is no peer. A "{x}" in a label is filled in from `b.vars`. Id "-": an info row about the
/// row above it.
#[rustfmt::skip]
const ROWS: &[(&str, &str, &str, &str, &str, Check)] = &[
    ("a", "kommuner GeoJSON gzip ({gz} B)", "kommuner_gzip",
        "nginx gzip_static", "kommuner_nginx", Ge(0.95)),
    ("b", "locate random points", "locate", "/healthz", "healthz", Ge(0.7)),
    ("b", "locate p99, {conns} connections", "locate.p99", "/healthz p99", "healthz.p99", Lt(1.0)),
    ("-", "locate p99, 1 connection", "locate_1conn.p99", "", "", Info),
    ("c", "cold start to /healthz, sverige", "cold_sverige", "skaraborg", "cold_skaraborg",
        Lt(100.0)),
    ("d", "RSS after load, sverige", "rss_sverige", "skaraborg", "rss_skaraborg", Lt(64.0)),
    ("-", "locate, sverige", "sverige_locate", "", "", Info),
    ("e", "kommun page 1496 (HTML, gzip)", "kommun_page", "/healthz", "healthz", Ge(0.8)),
    ("f", "first map page + assets, gzip", "map_page_kb", "", "", Lt(150.0)),
    ("g", "OGC items limit 15 (pygeoapi {pygeoapi})", "ogc_items",
        "pygeoapi", "ogc_pygeoapi", Ge(100.0)),
    ("h", "CSV export ({rows} rows, {bytes} B)", "export_csv", "", "", Info),
    ("h", "CSV export, MB/s", "export_mb_s", "", "", Info),
    ("h", "CSV export, rows/s", "export_rows_s", "", "", Info),
    ("h", "CSV export, first request (builds)", "export_first_ms", "", "", Info),
    ("i", "OGC items limit 15, gzip", "ogc_items_gzip",
        "/api/v1/kommuner", "kommuner_gzip", Ge(0.5)),
    ("j", "OGC items limit 15, sverige", "sverige_ogc_items",
        "same, skaraborg", "ogc_items", Ge(0.8)),
    ("j", "OGC item 1496, sverige", "sverige_ogc_item", "same, skaraborg", "ogc_item", Ge(0.8)),
    ("k", "OGC bbox all Sweden, limit 15", "sverige_ogc_bbox",
        "items limit 15, sverige", "sverige_ogc_items", Ge(0.5)),
    ("l", "OGC items, cache miss, gzip", "ogc_miss_gzip",
        "same, identity", "ogc_miss_identity", Ge(0.5)),
    ("-", "RSS after the cache-miss loads", "rss_after_misses",
        "before them", "rss_skaraborg", Info),
];

macro_rules! log {
    ($($t:tt)*) => {
        eprintln!("[bench {:>6.1} s] {}", t0().elapsed().as_secs_f64(), format!($($t)*))
    };
}

fn t0() -> Instant {
    static T: OnceLock<Instant> = OnceLock::new();
    *T.get_or_init(Instant::now)
}

// ----------------------------------------------------------------------- settings and state

/// The settings (see the top), the harness's state and what it measured.
#[derive(Default)]
struct Bench {
    port: u16,
    data: String,
    duration: u64,
    warmup: u64,
    repeat: usize,
    conns: u32,
    cold_runs: usize,
    seed: u64,
    server_cpu: usize,
    load_cpu: usize,
    bin: String,
    venv: String,
    out: String,
    strict: bool,
    keep_tmp: bool,
    /// The temp dir: logs, the peers' configuration.
    tmp: String,
    /// Clock ticks per second (/proc/PID/stat counts in them).
    clk_tck: f64,
    /// wrk runs so far: "@SEED@" in a run's arguments becomes SEED + this.
    wrk_runs: u64,
    /// What rows are made of: each figure's value and unit.
    figs: BTreeMap<String, (f64, &'static str)>,
    /// What fills in "{x}" in a row's label.
    vars: Vec<(&'static str, String)>,
    /// results.json's "measurements": every load, and details of the other figures.
    meas: BTreeMap<String, Value>,
}

/// A setting, or `default` when it is unset or empty.
fn env<T: std::str::FromStr>(name: &str, default: T) -> R<T> {
    let v = std::env::var(name).unwrap_or_default();
    if v.is_empty() {
        return Ok(default);
    }
    Ok(v.parse().map_err(|_| format!("{name}={v}: invalid"))?)
}

/// A path setting, relative to the crate's root.
fn env_path(name: &str, default: &str) -> R<String> {
    let path = Path::new(ROOT).join(env(name, default.to_string())?);
    Ok(path.to_string_lossy().into_owned())
}

impl Bench {
    fn from_env() -> R<Bench> {
        let target = env_path("CARGO_TARGET_DIR", "target")?;
        let tmp = std::env::temp_dir().join(format!("skk-bench.{}", std::process::id()));
        Ok(Bench {
            port: env("SKK_BENCH_PORT", 18080)?,
            data: env_path("SKK_BENCH_DATA", "geodata")?,
            duration: env("SKK_BENCH_DURATION", 10)?,
            warmup: env("SKK_BENCH_WARMUP", 2)?,
            repeat: env("SKK_BENCH_REPEAT", 1usize)?.max(1),
            conns: env("SKK_BENCH_CONNS", 32)?,
            cold_runs: env("SKK_BENCH_COLD_RUNS", 5usize)?.max(1),
            seed: env("SKK_BENCH_SEED", 20240101)?,
            server_cpu: env("SKK_BENCH_SERVER_CPU", 0)?,
            load_cpu: env("SKK_BENCH_LOAD_CPU", 1)?,
            bin: env_path("SKK_BENCH_BIN", env!("CARGO_BIN_EXE_skaraborgskartan"))?,
            venv: env_path("SKK_BENCH_VENV", &format!("{target}/bench-venv"))?,
            out: env_path("SKK_BENCH_OUT", &format!("{target}/bench"))?,
            strict: env("SKK_BENCH_STRICT", 0)? == 1,
            keep_tmp: env("SKK_BENCH_KEEP_TMP", 0)? == 1,
            tmp: tmp.to_string_lossy().into_owned(),
            clk_tck: first_line("getconf", &["CLK_TCK"]).parse().unwrap_or(100.0),
            ..Bench::default()
        })
    }

    fn fig(&mut self, name: &str, value: f64, unit: &'static str) {
        self.figs.insert(name.into(), (value, unit));
    }

    fn note(&mut self, name: &str, value: Value) {
        self.meas.insert(name.into(), value);
    }
}

// ------------------------------------------------------------------------------ processes

/// A server or peer on the server's core, its output in a log file. Dropping it stops it:
/// SIGTERM, up to 10 s to exit, then SIGKILL.
struct Proc {
    name: String,
    port: u16,
    child: Child,
    log: String,
}

impl Bench {
    /// `program` under taskset on the server's core (taskset execs it: the pid is the
    /// program's), in ROOT (the server reads web/ from there).
    fn pinned(&self, program: &str) -> Command {
        let mut cmd = Command::new("taskset");
        cmd.args(["-c", &self.server_cpu.to_string(), program]);
        cmd.current_dir(ROOT).stdin(Stdio::null());
        cmd
    }

    /// Starts `cmd` (from `pinned`), its output in TMP/NAME.log.
    fn start(&self, name: &str, port: u16, mut cmd: Command) -> R<Proc> {
        let log = format!("{}/{name}.log", self.tmp);
        let out = File::create(&log)?;
        cmd.stdout(out.try_clone()?).stderr(out);
        let child = cmd.spawn().map_err(|e| format!("{name}: {e}"))?;
        let name = name.to_string();
        Ok(Proc {
            name,
            port,
            child,
            log,
        })
    }

    /// Our server on PORT (`args`: e.g. --region), started once the previous one has let go of
    /// the port (at most 10 s): once it answers /healthz, and how many ms that took.
    fn server(&self, name: &str, args: &[&str]) -> R<(Proc, f64)> {
        let (port, t) = (self.port, Instant::now());
        while port_open(port) {
            if t.elapsed() > Duration::from_secs(10) {
                Err(format!("port {port} still in use after 10 s"))?;
            }
            sleep(Duration::from_millis(100));
        }
        let addr = format!("{HOST}:{port}");
        // A fresh store per server, seeded from the data at its start.
        let state = std::env::temp_dir().join(format!("skk-bench-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&state);
        let state = state.display().to_string();
        let mut cmd = self.pinned(&self.bin);
        cmd.args([
            "serve", "--addr", &addr, "--data", &self.data, "--state", &state,
        ]);
        cmd.args(args);
        let log = std::env::var("RUST_LOG");
        cmd.env("RUST_LOG", log.as_deref().unwrap_or("warn"));
        let t = Instant::now();
        let server = self.start(name, port, cmd)?.ready(true, 30)?;
        Ok((server, t.elapsed().as_secs_f64() * 1e3))
    }

    /// `server`, then waits until it is idle: after start the service builds and compresses its
    /// query-independent bodies in the background (seconds for all of Sweden), which a load
    /// started at once would share the core with.
    fn idle_server(&self, name: &str, args: &[&str]) -> R<Proc> {
        let (server, _) = self.server(name, args)?;
        let (pid, t) = (server.child.id(), Instant::now());
        let mut last = cpu_ticks(pid);
        while t.elapsed() < Duration::from_secs(60) {
            sleep(Duration::from_millis(300));
            let now = cpu_ticks(pid);
            if now == last {
                break;
            }
            last = now;
        }
        log!("{name}: idle after {:.1} s", t.elapsed().as_secs_f64());
        Ok(server)
    }
}

impl Proc {
    fn alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Waits until the port accepts connections, or with `healthz` until GET /healthz answers
    /// 200: probed in a tight loop (connect, GET, read the status), as the cold start counts it.
    fn ready(mut self, healthz: bool, secs: u64) -> R<Proc> {
        let (t, name, port) = (Instant::now(), self.name.clone(), self.port);
        while t.elapsed() < Duration::from_secs(secs) {
            if (healthz && healthz_ok(port)) || (!healthz && port_open(port)) {
                log!("{name}: pid {} on {HOST}:{port}", self.child.id());
                return Ok(self);
            }
            if !self.alive() {
                let log = fs::read_to_string(&self.log).unwrap_or_default();
                let lines: Vec<&str> = log.lines().collect();
                let tail = lines[lines.len().saturating_sub(20)..].join("\n");
                Err(format!("{name} exited before answering:\n{tail}"))?;
            }
            if !healthz {
                sleep(Duration::from_millis(10));
            }
        }
        Err(format!("{name}: no answer on port {port} in {secs} s").into())
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        let pid = self.child.id().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        let t = Instant::now();
        while self.alive() && t.elapsed() < Duration::from_secs(10) {
            sleep(Duration::from_millis(20));
        }
        if self.alive() {
            log!("{}: ignored SIGTERM for 10 s: SIGKILL", self.name);
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Runs a command to its end: an error, with what it printed, unless it succeeds.
fn checked(program: &str, args: &[&str]) -> R<()> {
    let out = Command::new(program).args(args).output();
    let out = out.map_err(|e| format!("{program}: {e} (tools/deps.sh bench installs it)"))?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        Err(format!("{program} {}: {err}", args.join(" ")))?;
    }
    Ok(())
}

/// The first line a command prints (versions for results.json).
fn first_line(program: &str, args: &[&str]) -> String {
    let out = Command::new(program).args(args).output();
    let text = out.map(|o| [o.stdout, o.stderr].concat());
    let text = String::from_utf8(text.unwrap_or_default()).unwrap_or_default();
    text.lines().next().unwrap_or("").trim().to_string()
}

/// A peer's configuration: benches/NAME with @DIR@ (`dir`), @ROOT@ (DIR/www), @HOST@, @PORT@
/// and @DATA@ (the kommuner GeoJSON) filled in, written to DIR/NAME (the path returned).
fn peer_config(b: &Bench, name: &str, dir: &str, port: u16) -> R<String> {
    let (port, data) = (port.to_string(), format!("{}/kommuner.geojson", b.data));
    let www = format!("{dir}/www");
    let vars = [
        ("@DIR@", dir),
        ("@ROOT@", &www),
        ("@HOST@", HOST),
        ("@PORT@", &port),
        ("@DATA@", &data),
    ];
    let text = fs::read_to_string(format!("{ROOT}/benches/{name}"))?;
    let path = format!("{dir}/{name}");
    fs::write(&path, vars.iter().fold(text, |t, (k, v)| t.replace(k, v)))?;
    Ok(path)
}

/// User + system clock ticks so far of a process and its direct children (nginx's worker).
fn cpu_ticks(pid: u32) -> u64 {
    let mut pids = pid.to_string();
    let tasks = fs::read_dir(format!("/proc/{pid}/task"));
    for task in tasks.into_iter().flatten().flatten() {
        pids.push(' ');
        pids.push_str(&fs::read_to_string(task.path().join("children")).unwrap_or_default());
    }
    // After the command's ")" come the fields from 3 (state) on; utime, stime are 14 and 15.
    let ticks = |pid: &str| -> Option<u64> {
        let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        let f: Vec<&str> = stat.rsplit_once(") ")?.1.split(' ').collect();
        Some(f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?)
    };
    pids.split_whitespace().filter_map(ticks).sum()
}

/// Busy and total clock ticks so far of each core (/proc/stat). Busy: user, nice, system, irq,
/// softirq, steal (a process is charged its irq ticks).
fn core_ticks() -> Vec<(u64, u64)> {
    let stat = fs::read_to_string("/proc/stat").unwrap_or_default();
    let core = |l: &&str| l.starts_with("cpu") && !l.starts_with("cpu ");
    let ticks = |line: &str| {
        // The figures after "cpuN" (which does not parse).
        let f: Vec<u64> = line.split(' ').flat_map(str::parse).collect();
        let at = |i: usize| f.get(i).copied().unwrap_or(0);
        let busy = at(0) + at(1) + at(2) + at(5) + at(6) + at(7);
        (busy, busy + at(3) + at(4))
    };
    stat.lines().filter(core).map(ticks).collect()
}

/// Percentage of `core` busy between two `core_ticks` readings.
fn busy_pct(a: &[(u64, u64)], b: &[(u64, u64)], core: usize) -> f64 {
    let at = |x: &[(u64, u64)]| x.get(core).copied().unwrap_or_default();
    let ((busy0, all0), (busy1, all1)) = (at(a), at(b));
    100.0 * (busy1 - busy0) as f64 / ((all1 - all0) as f64).max(1.0)
}

/// A field of /proc/PID/status in MiB (VmRSS, VmHWM).
fn status_mib(p: &Proc, field: &str) -> f64 {
    let status = fs::read_to_string(format!("/proc/{}/status", p.child.id()));
    let status = status.unwrap_or_default();
    let line = status.lines().find(|l| l.split(':').next() == Some(field));
    let kb: Option<f64> = line.and_then(|l| l.split_whitespace().nth(1)?.parse().ok());
    kb.map_or(f64::NAN, |kb| kb / 1024.0)
}

// ----------------------------------------------------------------------------------- HTTP

fn port_open(port: u16) -> bool {
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    TcpStream::connect_timeout(&addr, Duration::from_millis(500)).is_ok()
}

fn free_port(from: u16) -> R<u16> {
    let port = (from..from + 200).find(|&p| !port_open(p));
    Ok(port.ok_or("no free port")?)
}

/// The client of the checks: blocking, keeps no connections (servers come and go on one port),
/// and an error status is an answer. Without ureq's gzip feature it leaves Accept-Encoding to
/// us and gives the body as sent.
fn http() -> &'static ureq::Agent {
    static AGENT: OnceLock<ureq::Agent> = OnceLock::new();
    AGENT.get_or_init(|| {
        let config = ureq::Agent::config_builder().http_status_as_error(false);
        let config = config.max_idle_connections(0);
        let config = config.timeout_global(Some(Duration::from_secs(30)));
        config.build().into()
    })
}

/// A GET that must answer 200. `gzip`: asks for gzip, and a body worth compressing must come as
/// valid gzip. The body as sent.
fn get_ok(port: u16, path: &str, gzip: bool) -> R<Vec<u8>> {
    let mut req = http().get(format!("http://{HOST}:{port}{path}"));
    if gzip {
        req = req.header("Accept-Encoding", "gzip");
    }
    let mut answer = req.call().map_err(|e| format!("GET {path}: {e}"))?;
    let body = answer.body_mut().read_to_vec()?;
    let (status, encoding) = (answer.status(), answer.headers().get("content-encoding"));
    if status != 200 {
        Err(format!("GET {path}: HTTP {status}"))?;
    }
    if gzip && body.len() >= 512 && encoding.is_none_or(|e| e != "gzip") {
        Err(format!("GET {path}: not gzip but {encoding:?}"))?;
    }
    if gzip && body.len() >= 512 {
        gunzip(&body).map_err(|e| format!("GET {path}: not valid gzip: {e}"))?;
    }
    Ok(body)
}

fn gunzip(gz: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(gz).read_to_end(&mut out)?;
    Ok(out)
}

/// GET /healthz answers 200: the readiness and cold-start probe.
fn healthz_ok(port: u16) -> bool {
    let answer = http().get(format!("http://{HOST}:{port}/healthz")).call();
    answer.is_ok_and(|r| r.status() == 200)
}

/// How often `pattern` occurs in a body (features in GeoJSON, lines in CSV).
fn count(body: &[u8], pattern: &str) -> usize {
    String::from_utf8_lossy(body).matches(pattern).count()
}

// ----------------------------------------------------------------------------------- load

/// What one load sends: requests.lua's arguments, space-separated (an argument "@SEED@" becomes
/// a new seed for each wrk run, so that no run repeats another's requests), and how.
#[derive(Default)]
struct Spec {
    lua: String,
    gzip: bool,
    /// Connections instead of CONNS.
    conns: Option<u32>,
    /// One run, without the repeats.
    once: bool,
}

fn lua(args: &str, gzip: bool) -> Spec {
    let lua = args.to_string();
    Spec {
        lua,
        gzip,
        ..Spec::default()
    }
}

fn get(path: &str, gzip: bool) -> Spec {
    lua(&format!("fixed {path}"), gzip)
}

impl Spec {
    fn once(mut self) -> Spec {
        self.once = true;
        self
    }
}

/// The figures of one load: what requests.lua's done() prints, then the CPU use of the server
/// and of both cores, and the req/s of every run (this is the one with the median).
#[derive(Serialize, Deserialize, Default)]
#[serde(default)]
struct Load {
    rps: f64,
    requests: u64,
    bytes_per_answer: f64,
    p50_ms: f64,
    p99_ms: f64,
    /// Answers with status >= 400 (wrk's count).
    non_2xx: u64,
    socket_errors: u64,
    server_cpu_pct: f64,
    others_on_server_core_pct: f64,
    load_core_pct: f64,
    rps_runs: Vec<f64>,
}

impl Bench {
    /// Random locate points in Skaraborg's box, from SEED.
    fn locate(&self) -> Spec {
        lua(&format!("locate {} {LOCATE_BOX}", self.seed), false)
    }

    /// A load against `p`: a fixed GET is checked first (200; gzip if asked for), then WARMUP s
    /// discarded and REPEAT runs of DURATION s. The run with the median req/s counts: figures
    /// NAME (req/s) and NAME.p99 (ms), and NAME in results.json.
    fn load(&mut self, name: &str, p: &Proc, spec: Spec) -> R<Load> {
        if let Some(path) = spec.lua.strip_prefix("fixed ") {
            get_ok(p.port, path, spec.gzip)?;
        }
        let (warmup, secs, pid) = (self.warmup, self.duration, p.child.id());
        let repeat = if spec.once { 1 } else { self.repeat };
        log!("{name}: wrk {warmup} s + {repeat} x {secs} s: {}", spec.lua);
        if warmup > 0 {
            self.wrk(p.port, &spec, warmup)?;
        }
        let mut runs = Vec::new();
        for _ in 0..repeat {
            let (ticks, cores, t) = (cpu_ticks(pid), core_ticks(), Instant::now());
            let mut run = self.wrk(p.port, &spec, secs)?;
            let ticks = (cpu_ticks(pid) - ticks) as f64;
            let cpu = 100.0 * ticks / self.clk_tck / t.elapsed().as_secs_f64();
            let now = core_ticks();
            let busy = |core| busy_pct(&cores, &now, core);
            run.server_cpu_pct = cpu;
            run.others_on_server_core_pct = (busy(self.server_cpu) - cpu).max(0.0);
            run.load_core_pct = busy(self.load_cpu);
            runs.push(run);
        }
        let rps_runs: Vec<f64> = runs.iter().map(|r| r.rps).collect();
        runs.sort_by(|a, b| a.rps.total_cmp(&b.rps));
        let mut m = runs.swap_remove((repeat - 1) / 2);
        m.rps_runs = rps_runs;
        let (rps, runs, p99, size) = (m.rps, &m.rps_runs, m.p99_ms, m.bytes_per_answer);
        let (errors, cpu) = (m.non_2xx, m.server_cpu_pct);
        let (others, load) = (m.others_on_server_core_pct, m.load_core_pct);
        log!(
            "{name}: {rps:.0} req/s (runs {runs:.0?}), p99 {p99:.3} ms, {size:.0} B/answer, \
             status>=400: {errors}, server CPU {cpu:.0} %, others on its core {others:.0} %, \
             load core {load:.0} %"
        );
        if m.socket_errors > 0 {
            log!("{name}: WARNING: {} socket errors", m.socket_errors);
        }
        if others > 10.0 {
            log!("{name}: WARNING: other processes used the server's core: figures unreliable");
        }
        if load > 95.0 && cpu < 90.0 {
            log!("{name}: WARNING: wrk's core was the limit, not the server: a lower bound");
        }
        self.fig(name, m.rps, "req/s");
        self.fig(&format!("{name}.p99"), m.p99_ms, "ms");
        self.note(name, serde_json::to_value(&m)?);
        Ok(m)
    }

    /// One wrk run of `secs` s against `port`: one thread, under `timeout` should it hang.
    fn wrk(&mut self, port: u16, spec: &Spec, secs: u64) -> R<Load> {
        self.wrk_runs += 1;
        let (kill, conns) = (secs + 30, spec.conns.unwrap_or(self.conns));
        let wrk = format!("--kill-after=5 {kill} wrk -t1 -c {conns} -d {secs}s --timeout 5s -s");
        let mut cmd = Command::new("timeout");
        cmd.args(wrk.split(' ')).arg(LUA);
        if spec.gzip {
            cmd.args(["-H", "Accept-Encoding: gzip"]);
        }
        cmd.arg(format!("http://{HOST}:{port}/")).arg("--");
        let seed = (self.seed + self.wrk_runs).to_string();
        cmd.args(spec.lua.replace("@SEED@", &seed).split(' '));
        let out = cmd.stdin(Stdio::null()).output();
        let out = out.map_err(|e| format!("wrk: {e}"))?;
        let text = String::from_utf8_lossy(&out.stdout);
        let err = String::from_utf8_lossy(&out.stderr);
        match text.lines().find_map(|l| l.strip_prefix("WRK_JSON ")) {
            Some(json) if out.status.success() => Ok(serde_json::from_str(json)?),
            _ => Err(format!("wrk: {}: {text}{err}", out.status).into()),
        }
    }
}

// -------------------------------------------------------------------------------- benches

/// The default region (as shipped): a, b, e, f, h, i, l and the Skaraborg sides of d, g, j.
fn skaraborg(b: &mut Bench) -> R<()> {
    let s = b.idle_server("skaraborg", &[])?;

    // a. The kommuner GeoJSON, gzip: ours vs nginx gzip_static serving the very same bytes.
    let gz = get_ok(s.port, KOMMUNER, true)?;
    let (n, plain) = (gz.len(), gunzip(&gz)?.len());
    log!("kommuner: {n} gzip bytes ({plain} plain)");
    b.vars.push(("{gz}", n.to_string()));
    let nginx = start_nginx(b, &gz)?;
    if get_ok(nginx.port, "/kommuner.geojson", true)? != gz {
        Err("nginx serves other bytes than ours")?;
    }
    b.load("kommuner_gzip", &s, get(KOMMUNER, true))?;
    b.load("kommuner_nginx", &nginx, get("/kommuner.geojson", true))?;
    drop(nginx);

    // b. locate at random points vs the trivial handler. The p99 with CONNS connections includes
    // queueing on one core; with one connection it is the handler's own tail.
    get_ok(s.port, "/api/v1/locate?lat=58.39&lon=13.85", false)?;
    let loc = b.load("locate", &s, b.locate())?;
    b.load("healthz", &s, get("/healthz", false))?;
    let (outside, all) = (loc.non_2xx, loc.requests);
    log!("locate: {outside} of {all} answers not 2xx (outside the region: 404)");
    let mut one = b.locate();
    one.conns = Some(1);
    b.load("locate_1conn", &s, one)?;

    // e. The kommun page vs the trivial handler.
    b.load("kommun_page", &s, get("/kommun/1496", true))?;

    // f. What the first map page costs a browser: the page, every asset it links, and the
    // GeoJSON its script fetches (named in the page's JSON config), gzip.
    let html = String::from_utf8(get_ok(s.port, "/", false)?)?;
    let upto_quote = |s: &str| s.split('"').next().unwrap_or("").to_string();
    let mut urls = vec!["/".to_string()];
    for asset in html.split("\"/assets/").skip(1) {
        urls.push(format!("/assets/{}", upto_quote(asset)));
    }
    let Some(geojson) = html.split("\"geojson\":\"").nth(1) else {
        return Err("the map page has no map (Leaflet missing? tools/deps.sh web)".into());
    };
    urls.push(upto_quote(geojson));
    urls.sort();
    urls.dedup();
    let mut sizes = BTreeMap::new();
    for url in urls {
        let n = get_ok(s.port, &url, true)?.len();
        log!("first map page: {url} {n} bytes (gzip)");
        sizes.insert(url, n);
    }
    let total: usize = sizes.values().sum();
    let page = json!({ "transfer_bytes": total, "files": sizes });
    b.note("map_page", page);
    b.fig("map_page_kb", total as f64 / 1024.0, "KB");

    // i. OGC items vs the kommuner layer route, both gzip; then g (ours) and the Skaraborg sides
    // of j: identity, like pygeoapi (gzip off).
    b.load("ogc_items_gzip", &s, get(ITEMS, true))?;
    b.load("ogc_items", &s, get(ITEMS, false))?;
    b.load("ogc_item", &s, get(ITEM, false))?;

    // h. The full long-table CSV export; the first request builds it.
    let t = Instant::now();
    let csv = get_ok(s.port, EXPORT, false)?;
    let first_ms = t.elapsed().as_secs_f64() * 1e3;
    let (bytes, rows) = (csv.len(), count(&csv, "\n").saturating_sub(1));
    log!("export: {rows} rows, {bytes} bytes, first (building) request {first_ms:.1} ms");
    let rps = b.load("export_csv", &s, get(EXPORT, false))?.rps;
    let first = json!({ "ms": first_ms, "rows": rows, "bytes": bytes });
    b.note("export_first", first);
    b.vars.push(("{rows}", rows.to_string()));
    b.vars.push(("{bytes}", bytes.to_string()));
    b.fig("export_mb_s", rps * bytes as f64 / 1e6, "MB/s");
    b.fig("export_rows_s", rps * rows as f64, "rows/s");
    b.fig("export_first_ms", first_ms, "ms");

    // The peer of d: RSS after the loads above (the cache-miss loads below fill the server's
    // response cache with hundreds of distinct bodies; their RSS is an info row).
    let rss = status_mib(&s, "VmRSS");
    b.fig("rss_skaraborg", rss, "MiB");

    // l. A response built per request (a new bbox each time, all 15 kommuner inside, so every
    // request misses the cache): gzip vs identity. Compression should at most double the cost.
    let probe = format!("{ITEMS}&bbox={}", SKARABORG_BBOX.replace(' ', ","));
    let features = count(&get_ok(s.port, &probe, false)?, "\"type\":\"Feature\"");
    if features != 15 {
        Err(format!("{probe}: {features} features, not 15"))?;
    }
    let fresh = format!("bbox {ITEMS} @SEED@ {SKARABORG_BBOX} 0.01");
    b.load("ogc_miss_gzip", &s, lua(&fresh, true))?;
    b.load("ogc_miss_identity", &s, lua(&fresh, false))?;
    let (rss_miss, hwm) = (status_mib(&s, "VmRSS"), status_mib(&s, "VmHWM"));
    b.fig("rss_after_misses", rss_miss, "MiB");

    let lines = fs::read_to_string(&s.log)?.lines().count();
    log!("the server wrote {lines} log lines");
    let server = json!({
        "log_lines": lines, "rss_mib": rss, "rss_after_misses_mib": rss_miss, "vmhwm_mib": hwm
    });
    b.note("skaraborg_server", server);
    Ok(())
}

/// d, j, k: --region sverige (290 kommuner).
fn sverige(b: &mut Bench) -> R<()> {
    let s = b.idle_server("sverige", &["--region", "sverige"])?;
    let rss_idle = status_mib(&s, "VmRSS");
    // j. The same OGC requests with 290 kommuner instead of 15. k. A bbox over all of Sweden
    // (every kommun a candidate) vs the plain first page.
    b.load("sverige_ogc_items", &s, get(ITEMS, false))?;
    b.load("sverige_ogc_item", &s, get(ITEM, false))?;
    b.load("sverige_ogc_bbox", &s, get(SWEDEN_BBOX, false))?;
    // d. RSS after the loads above and one run each of the GeoJSON and of locate.
    b.load("sverige_kommuner", &s, get(KOMMUNER, true).once())?;
    b.load("sverige_locate", &s, b.locate().once())?;
    let (rss, hwm) = (status_mib(&s, "VmRSS"), status_mib(&s, "VmHWM"));
    let server = json!({ "rss_idle_mib": rss_idle, "rss_mib": rss, "vmhwm_mib": hwm });
    b.note("sverige_server", server);
    b.fig("rss_sverige", rss, "MiB");
    Ok(())
}

/// c. Cold start to the first /healthz answer, sverige vs the default region: the median of
/// COLD_RUNS starts.
fn cold_start(b: &mut Bench) -> R<()> {
    let sverige = ["--region", "sverige"];
    for (name, args) in [("cold_skaraborg", &[][..]), ("cold_sverige", &sverige)] {
        let mut ms = Vec::new();
        for _ in 0..b.cold_runs {
            ms.push(b.server(name, args)?.1);
        }
        ms.sort_by(f64::total_cmp);
        let median = (ms[(ms.len() - 1) / 2] + ms[ms.len() / 2]) / 2.0;
        log!("{name}: cold start median {median:.1} ms of {ms:.1?}");
        b.note(name, json!({ "median_ms": median, "runs_ms": ms }));
        b.fig(name, median, "ms");
    }
    Ok(())
}

/// g. The peer of OGC items: pygeoapi (gunicorn, one sync worker, on the server's core) serving
/// the same kommuner.geojson file (benches/pygeoapi.yml) and the same request, at its root.
fn pygeoapi(b: &mut Bench) -> R<()> {
    let (port, dir) = (free_port(b.port + 1)?, format!("{}/pygeoapi", b.tmp));
    let venv = b.venv.clone();
    let bin = |name: &str| format!("{venv}/bin/{name}");
    if !Path::new(&bin("pygeoapi")).exists() || !Path::new(&bin("gunicorn")).exists() {
        Err(format!("no pygeoapi in {venv}: run tools/deps.sh bench"))?;
    }
    fs::create_dir_all(&dir)?;
    let config = peer_config(b, "pygeoapi.yml", &dir, port)?;
    let openapi = format!("{dir}/openapi.yml");
    let generate = ["openapi", "generate", &config, "--output-file", &openapi];
    checked(&bin("pygeoapi"), &generate)?;
    let mut cmd = b.pinned(&bin("gunicorn"));
    let bind = format!("{HOST}:{port}");
    cmd.args(["-w1", "-b", &bind, "pygeoapi.flask_app:APP"]);
    cmd.env("PYGEOAPI_CONFIG", &config);
    cmd.env("PYGEOAPI_OPENAPI", &openapi);
    let g = b.start("pygeoapi", port, cmd)?.ready(false, 60)?;
    let path = ITEMS.trim_start_matches("/ogc");
    let n = count(&get_ok(port, path, false)?, "\"Feature\"");
    if n != 15 {
        Err(format!("pygeoapi answered {n} features, not 15"))?;
    }
    b.load("ogc_pygeoapi", &g, get(path, false))?;
    drop(g);
    let version = "import pygeoapi; print(pygeoapi.__version__)";
    let version = first_line(&bin("python"), &["-c", version]);
    b.note("pygeoapi", json!({ "version": version }));
    b.vars.push(("{pygeoapi}", version));
    Ok(())
}

/// nginx, one worker on the server's core, serving `gz` as kommuner.geojson.gz (gzip_static; the
/// plain file is empty) with benches/nginx.conf.
fn start_nginx(b: &Bench, gz: &[u8]) -> R<Proc> {
    let (port, dir) = (free_port(b.port + 1)?, format!("{}/nginx", b.tmp));
    fs::create_dir_all(format!("{dir}/tmp"))?;
    fs::create_dir_all(format!("{dir}/www"))?;
    fs::write(format!("{dir}/www/kommuner.geojson.gz"), gz)?;
    fs::write(format!("{dir}/www/kommuner.geojson"), "")?;
    let conf = peer_config(b, "nginx.conf", &dir, port)?;
    // The worker runs as nobody when we are root: let it read the files.
    checked("chmod", &["-R", "a+rX", &b.tmp])?;
    checked("nginx", &["-t", "-p", &dir, "-c", &conf])?;
    let mut cmd = b.pinned("nginx");
    cmd.args(["-p", &dir, "-c", &conf]);
    b.start("nginx", port, cmd)?.ready(false, 10)
}

// --------------------------------------------------------------------------------- output

fn num(v: Option<f64>) -> String {
    match v {
        None => "-".into(),
        Some(v) if v.abs() >= 1000.0 => format!("{v:.0}"),
        Some(v) if v.abs() >= 10.0 => format!("{v:.1}"),
        Some(v) => format!("{v:.3}"),
    }
}

fn pass(ok: bool) -> &'static str {
    if ok { "PASS" } else { "MISS" }
}

/// Prints `ROWS` with the figures measured, judged; returns them for results.json.
fn table(b: &Bench) -> R<Vec<Value>> {
    let line = |c: [&str; 9]| {
        let [id, label, ours, unit, peer, theirs, ratio, target, result] = c;
        println!(
            "{id:<2} {label:<40} {ours:>9} {unit:<6} {peer:<24} {theirs:>8} {ratio:>7}  \
             {target:<13} {result}"
        );
    };
    println!();
    line([
        "", "measure", "ours", "", "peer", "", "ratio", "target", "result",
    ]);
    println!("{}", "-".repeat(126));
    let fig = |name: &str| b.figs.get(name).copied();
    let mut rows = Vec::new();
    for &(id, label, ours, peer, theirs, check) in ROWS {
        let (value, unit) = fig(ours).ok_or(format!("no figure {ours}"))?;
        let theirs = fig(theirs).map(|f| f.0);
        let ratio = theirs.map(|t| value / t);
        let (kind, target, result) = match check {
            Ge(t) => ("ratio_ge", Some(t), pass(ratio >= Some(t))),
            Lt(t) => ("lt", Some(t), pass(value < t)),
            Info => ("info", None, "info"),
        };
        let goal = match check {
            Ge(t) => format!("ratio >= {t}"),
            Lt(t) => format!("< {t} {unit}"),
            Info => "-".into(),
        };
        let mut label = label.to_string();
        for (k, v) in &b.vars {
            label = label.replace(k, v);
        }
        let (v, t, r) = (num(Some(value)), num(theirs), num(ratio));
        let p = if peer.is_empty() { "-" } else { peer };
        line([id, &label, &v, unit, p, &t, &r, &goal, result]);
        rows.push(json!({
            "id": id, "label": label, "value": value, "unit": unit, "peer": peer,
            "peer_value": theirs, "ratio": ratio, "check": kind, "target": target, "result": result
        }));
    }
    println!();
    Ok(rows)
}

fn main() -> ExitCode {
    // `cargo test --all-targets` (make test) runs bench binaries without `--bench`: a load run
    // takes minutes and needs nginx and pygeoapi, so it runs only under `cargo bench`.
    if !std::env::args().any(|a| a == "--bench") {
        println!(
            "benches/load.rs: a load benchmark, run by `make bench` (cargo bench --bench load)"
        );
        return ExitCode::SUCCESS;
    }
    run().unwrap_or_else(|e| {
        log!("ERROR: {e}");
        ExitCode::FAILURE
    })
}

fn benches(b: &mut Bench) -> R<()> {
    skaraborg(b)?;
    sverige(b)?;
    cold_start(b)?;
    pygeoapi(b)
}

fn run() -> R<ExitCode> {
    t0();
    let mut b = Bench::from_env()?;
    let cpus = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    if cpus < 2 {
        (b.server_cpu, b.load_cpu) = (0, 0);
    }
    if b.server_cpu == b.load_cpu {
        log!("WARNING: {cpus} CPU(s): server and load share a core, figures are not comparable");
    }
    let (bin, data) = (&b.bin, &b.data);
    if !Path::new(bin).exists() || !Path::new(data).join("dataset.toml").exists() {
        Err(format!("no binary {bin} or no data set {data}"))?;
    }
    if port_open(b.port) {
        Err(format!("port {} is in use: set SKK_BENCH_PORT", b.port))?;
    }
    // This harness and wrk (its child) stay off the server's core.
    let (me, load_cpu) = (std::process::id().to_string(), b.load_cpu.to_string());
    checked("taskset", &["-a", "-cp", &load_cpu, &me])?;
    let before = core_ticks();
    sleep(Duration::from_secs(1));
    let after = core_ticks();
    let busy = |core| busy_pct(&before, &after, core);
    let busy = (busy(b.server_cpu) + busy(b.load_cpu)) / 2.0;
    log!("before the benches, the two cores were {busy:.0} % busy (1 s)");
    if busy > 10.0 {
        log!("WARNING: something else is using the CPU (a build?): figures will be unreliable");
    }

    fs::create_dir_all(&b.tmp)?;
    b.vars.push(("{conns}", b.conns.to_string()));
    let outcome = benches(&mut b);
    if b.keep_tmp {
        log!("kept {}", b.tmp);
    } else {
        fs::remove_dir_all(&b.tmp)?;
    }
    outcome?;
    let rows = table(&b)?;

    let meta = json!({
        "date": jiff::Timestamp::now().to_string(),
        "commit": first_line("git", &["rev-parse", "--short", "HEAD"]),
        "host_cpus": cpus, "server_cpu": b.server_cpu, "load_cpu": b.load_cpu,
        "repeat": b.repeat, "duration_s": b.duration, "warmup_s": b.warmup,
        "wrk_connections": b.conns, "seed": b.seed, "data": b.data,
        "rust_log": std::env::var("RUST_LOG").unwrap_or_else(|_| "warn".into()),
        "busy_before_pct": busy,
        "loadavg_end": fs::read_to_string("/proc/loadavg").unwrap_or_default().trim(),
        "wrk": first_line("wrk", &["-v"]), "nginx": first_line("nginx", &["-v"]),
    });
    let results = json!({ "meta": meta, "rows": rows, "measurements": b.meas });
    fs::create_dir_all(&b.out)?;
    let file = format!("{}/results.json", b.out);
    fs::write(&file, serde_json::to_string_pretty(&results)?)?;
    log!("wrote {file}");
    let misses = rows.iter().filter(|r| r["result"] == "MISS").count();
    if misses > 0 {
        log!("{misses} target(s) missed");
    }
    Ok(ExitCode::from(u8::from(misses > 0 && b.strict)))
}
