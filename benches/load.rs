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
//! To add a row: in a `bench_*` function (or a new one called from `run`), start a server with
//! `b.server(..)`, measure with `b.load(name, &server, &Spec::get(path))` (`.gzip()`,
//! `.conns(n)`; `Spec::lua(..)` for generated requests), and add the row with `b.vs(..)` (a
//! ratio to a peer), `b.under(..)` (a limit) or `b.info(..)`.

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::fs::{self, File};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

type R<T> = Result<T, Box<dyn std::error::Error>>;

const HOST: &str = "127.0.0.1";
const GZIP: &str = "Accept-Encoding: gzip";
const ROOT: &str = env!("CARGO_MANIFEST_DIR");
/// Skaraborg's bounding box as lat_min, lat_max, lon_min, lon_max: random locate points.
const LOCATE_BOX: [&str; 4] = ["57.9", "59.1", "13.0", "14.8"];
/// W, S, E, N of a box around all 15 Skaraborg kommuner: jittered, it still matches all of them.
const SKARABORG_BBOX: [&str; 4] = ["12.0", "57.5", "15.5", "59.5"];
const ITEMS: &str = "/ogc/collections/kommuner/items?limit=15";
const ITEM: &str = "/ogc/collections/kommuner/items/1496";
const SWEDEN_BBOX: &str = "/ogc/collections/kommuner/items?bbox=10.5,55,24.2,69.1&limit=15";
const EXPORT: &str = "/api/v1/export/erbjudanden?profil=excel";

macro_rules! log {
    ($($t:tt)*) => {
        eprintln!("[bench {:>6.1} s] {}", t0().elapsed().as_secs_f64(), format!($($t)*))
    };
}

fn t0() -> Instant {
    static T: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    *T.get_or_init(Instant::now)
}

// ------------------------------------------------------------------------------- settings

struct Cfg {
    port: u16,
    data: PathBuf,
    duration: u64,
    warmup: u64,
    repeat: usize,
    conns: u32,
    cold_runs: usize,
    seed: u64,
    server_cpu: usize,
    load_cpu: usize,
    bin: PathBuf,
    venv: PathBuf,
    out: PathBuf,
    strict: bool,
    keep_tmp: bool,
}

fn env<T: std::str::FromStr>(name: &str, default: T) -> R<T> {
    match std::env::var(name) {
        Ok(v) if !v.is_empty() => Ok(v.parse().map_err(|_| format!("{name}={v}: invalid"))?),
        _ => Ok(default),
    }
}

fn env_path(name: &str, default: PathBuf) -> PathBuf {
    let v = std::env::var_os(name).filter(|v| !v.is_empty());
    v.map_or(default, |v| Path::new(ROOT).join(v))
}

impl Cfg {
    fn from_env() -> R<Cfg> {
        let target = env_path("CARGO_TARGET_DIR", Path::new(ROOT).join("target"));
        Ok(Cfg {
            port: env("SKK_BENCH_PORT", 18080)?,
            data: env_path("SKK_BENCH_DATA", Path::new(ROOT).join("geodata")),
            duration: env("SKK_BENCH_DURATION", 10)?,
            warmup: env("SKK_BENCH_WARMUP", 2)?,
            repeat: env("SKK_BENCH_REPEAT", 1usize)?.max(1),
            conns: env("SKK_BENCH_CONNS", 32)?,
            cold_runs: env("SKK_BENCH_COLD_RUNS", 5usize)?.max(1),
            seed: env("SKK_BENCH_SEED", 20240101)?,
            server_cpu: env("SKK_BENCH_SERVER_CPU", 0)?,
            load_cpu: env("SKK_BENCH_LOAD_CPU", 1)?,
            bin: env_path(
                "SKK_BENCH_BIN",
                env!("CARGO_BIN_EXE_skaraborgskartan").into(),
            ),
            venv: env_path("SKK_BENCH_VENV", target.join("bench-venv")),
            out: env_path("SKK_BENCH_OUT", target.join("bench")),
            strict: env("SKK_BENCH_STRICT", 0)? == 1,
            keep_tmp: env("SKK_BENCH_KEEP_TMP", 0)? == 1,
        })
    }
}

// ------------------------------------------------------------------------------ processes

/// A server or peer pinned to a core (taskset execs it: the pid is the program's), its output
/// in a log file. Dropping it stops it: SIGTERM, up to 10 s for a graceful exit, then SIGKILL.
struct Proc {
    name: String,
    port: u16,
    child: Child,
    log: PathBuf,
}

impl Proc {
    fn spawn(name: &str, port: u16, cmd: &[&OsStr], env: &[(&str, &OsStr)], b: &Bench) -> R<Proc> {
        let log = b.tmp.join(format!("{name}.log"));
        let out = File::create(&log)?;
        let child = Command::new("taskset")
            .arg("-c")
            .arg(b.cfg.server_cpu.to_string())
            .args(cmd)
            .envs(env.iter().copied())
            .current_dir(ROOT) // the server reads web/ from here
            .stdin(Stdio::null())
            .stdout(out.try_clone()?)
            .stderr(out)
            .spawn()
            .map_err(|e| format!("{name}: cannot start {:?}: {e}", cmd[0]))?;
        Ok(Proc {
            name: name.into(),
            port,
            child,
            log,
        })
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    fn alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    fn log_lines(&self) -> usize {
        fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .count()
    }

    fn tail(&self) -> String {
        let text = fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(20)..].join("\n")
    }

    /// Waits until the port accepts connections (`healthz`: until GET /healthz answers 200).
    fn wait_ready(mut self, healthz: bool, secs: u64) -> R<Proc> {
        let deadline = Instant::now() + Duration::from_secs(secs);
        while Instant::now() < deadline {
            if if healthz {
                probe_healthz(self.port)
            } else {
                port_open(self.port)
            } {
                log!("{}: pid {} on {HOST}:{}", self.name, self.pid(), self.port);
                return Ok(self);
            }
            if !self.alive() {
                Err(format!(
                    "{} exited before answering:\n{}",
                    self.name,
                    self.tail()
                ))?;
            }
            sleep(Duration::from_millis(10));
        }
        Err(format!("{}: no answer on port {} in {secs} s", self.name, self.port).into())
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.pid().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while self.alive() && Instant::now() < deadline {
            sleep(Duration::from_millis(20));
        }
        if self.alive() {
            log!("{}: ignored SIGTERM for 10 s: SIGKILL", self.name);
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// User + system clock ticks so far of a process and its direct children (nginx's worker).
fn cpu_ticks(pid: u32) -> u64 {
    let mut pids = vec![pid.to_string()];
    for task in fs::read_dir(format!("/proc/{pid}/task"))
        .into_iter()
        .flatten()
        .flatten()
    {
        let children = fs::read_to_string(task.path().join("children")).unwrap_or_default();
        pids.extend(children.split_whitespace().map(String::from));
    }
    let ticks = |stat: String| -> u64 {
        // Fields after the command's ")": from field 3 (state) on; utime, stime are 14 and 15.
        let rest = stat.rsplit_once(") ").map_or("", |(_, r)| r);
        rest.split(' ')
            .skip(11)
            .take(2)
            .filter_map(|x| x.parse::<u64>().ok())
            .sum()
    };
    pids.iter()
        .filter_map(|p| fs::read_to_string(format!("/proc/{p}/stat")).ok())
        .map(ticks)
        .sum()
}

/// Busy and total clock ticks so far of each core (/proc/stat). Busy: user, nice, system, irq,
/// softirq, steal (a process is charged its irq ticks).
fn core_ticks() -> Vec<(u64, u64)> {
    let stat = fs::read_to_string("/proc/stat").unwrap_or_default();
    let cores = stat
        .lines()
        .filter(|l| l.starts_with("cpu") && !l.starts_with("cpu "));
    let f = |l: &str| -> Vec<u64> { l.split_whitespace().skip(1).flat_map(str::parse).collect() };
    cores
        .map(f)
        .map(|f| {
            let at = |i: usize| f.get(i).copied().unwrap_or(0);
            let busy = at(0) + at(1) + at(2) + at(5) + at(6) + at(7);
            (busy, busy + at(3) + at(4))
        })
        .collect()
}

/// Percentage of `core` busy between two `core_ticks` readings.
fn busy_pct(a: &[(u64, u64)], b: &[(u64, u64)], core: usize) -> f64 {
    let (x, y) = (
        a.get(core).copied().unwrap_or_default(),
        b.get(core).copied().unwrap_or_default(),
    );
    100.0 * (y.0 - x.0) as f64 / ((y.1 - x.1) as f64).max(1.0)
}

/// A field of /proc/PID/status in MiB (VmRSS, VmHWM).
fn status_mib(pid: u32, field: &str) -> f64 {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let kb = status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'));
    kb.and_then(|v| v.split_whitespace().next()?.parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// The first line a command prints (versions for results.json).
fn first_line(program: &str, args: &[&str]) -> String {
    let out = Command::new(program).args(args).output();
    let text = out
        .map(|o| [o.stdout, o.stderr].concat())
        .unwrap_or_default();
    String::from_utf8_lossy(&text)
        .lines()
        .next()
        .unwrap_or("")
        .trim()
        .to_string()
}

// ----------------------------------------------------------------------------------- HTTP

fn addr(port: u16) -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], port))
}

fn port_open(port: u16) -> bool {
    TcpStream::connect_timeout(&addr(port), Duration::from_millis(500)).is_ok()
}

fn free_port(from: u16) -> R<u16> {
    Ok((from..from + 200)
        .find(|&p| !port_open(p))
        .ok_or("no free port")?)
}

struct Resp {
    status: u16,
    head: String,
    body: Vec<u8>,
}

impl Resp {
    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().skip(1).find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim().eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// One HTTP/1.1 GET with `Connection: close`; the body as sent (compressed if it was).
fn get(port: u16, path: &str, gzip: bool) -> R<Resp> {
    let mut s = TcpStream::connect_timeout(&addr(port), Duration::from_secs(2))?;
    s.set_read_timeout(Some(Duration::from_secs(30)))?;
    let extra = if gzip {
        format!("{GZIP}\r\n")
    } else {
        String::new()
    };
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nConnection: close\r\n{extra}\r\n"
    )?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw)?;
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or("no end of headers")?;
    let head = String::from_utf8_lossy(&raw[..end]).into_owned();
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let r = Resp {
        status,
        head,
        body: raw[end + 4..].to_vec(),
    };
    if r.header("transfer-encoding").is_some() {
        Err(format!(
            "GET {path}: a chunked answer (the harness reads Content-Length bodies)"
        ))?;
    }
    Ok(r)
}

/// A GET that must answer 200 (with `gzip`, and a body worth compressing: valid gzip).
fn get_ok(port: u16, path: &str, gzip: bool) -> R<Resp> {
    let r = get(port, path, gzip)?;
    if r.status != 200 {
        Err(format!("GET {path}: HTTP {}", r.status))?;
    }
    if gzip && r.body.len() >= 512 {
        if r.header("content-encoding") != Some("gzip") {
            Err(format!("GET {path} with {GZIP}: no Content-Encoding: gzip"))?;
        }
        gunzip(&r.body).map_err(|e| format!("GET {path}: not valid gzip: {e}"))?;
    }
    Ok(r)
}

fn gunzip(b: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(b).read_to_end(&mut out)?;
    Ok(out)
}

fn probe_healthz(port: u16) -> bool {
    let Ok(mut s) = TcpStream::connect_timeout(&addr(port), Duration::from_millis(200)) else {
        return false;
    };
    let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
    let mut buf = [0u8; 12];
    write!(
        s,
        "GET /healthz HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n\r\n"
    )
    .is_ok()
        && s.read_exact(&mut buf).is_ok()
        && buf.starts_with(b"HTTP/1.")
        && buf.ends_with(b" 200")
}

// ----------------------------------------------------------------------------------- load

/// What one load sends: arguments for benches/requests.lua (an argument "@SEED@" becomes a new
/// seed for each wrk run, so that no run repeats another's requests), and overrides.
#[derive(Clone, Default)]
struct Spec {
    lua: Vec<String>,
    gzip: bool,
    conns: Option<u32>,
    once: bool,
}

impl Spec {
    fn get(path: &str) -> Spec {
        Spec::lua(&["fixed", path])
    }
    fn lua(args: &[&str]) -> Spec {
        Spec {
            lua: args.iter().map(|&s| s.into()).collect(),
            ..Spec::default()
        }
    }
    fn gzip(self) -> Spec {
        Spec { gzip: true, ..self }
    }
    fn conns(self, n: u32) -> Spec {
        Spec {
            conns: Some(n),
            ..self
        }
    }
    /// One run, without the repeats.
    fn once(self) -> Spec {
        Spec { once: true, ..self }
    }
}

/// What requests.lua's done() prints.
#[derive(Deserialize)]
struct Wrk {
    duration_us: f64,
    requests: u64,
    bytes: u64,
    non_2xx: u64,
    socket_errors: u64,
    p50_us: f64,
    p99_us: f64,
}

/// The figures of one load: the run with the median req/s.
#[derive(Serialize, Clone, Default)]
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

#[derive(Serialize, Default)]
struct Row {
    id: &'static str,
    label: String,
    value: f64,
    unit: &'static str,
    peer: String,
    peer_value: Option<f64>,
    ratio: Option<f64>,
    /// "ratio_ge" (ratio >= target), "lt" (value < target) or "info".
    check: &'static str,
    target: Option<f64>,
    result: &'static str,
}

struct Bench {
    cfg: Cfg,
    tmp: PathBuf,
    clk_tck: f64,
    wrk_runs: u64,
    rows: Vec<Row>,
    meas: BTreeMap<String, Value>,
}

impl Bench {
    /// Our server on SKK_BENCH_PORT (`region`: --region), once it answers /healthz.
    fn server(&self, name: &str, region: Option<&str>) -> R<Proc> {
        self.wait_port_free()?;
        self.spawn_server(name, region)?.wait_ready(true, 30)
    }

    /// The previous server has let go of the port (at most 10 s).
    fn wait_port_free(&self) -> R<()> {
        for _ in 0..100 {
            if !port_open(self.cfg.port) {
                return Ok(());
            }
            sleep(Duration::from_millis(100));
        }
        Err(format!(
            "port {} still in use after 10 s (set SKK_BENCH_PORT)",
            self.cfg.port
        )
        .into())
    }

    fn spawn_server(&self, name: &str, region: Option<&str>) -> R<Proc> {
        let listen = format!("{HOST}:{}", self.cfg.port);
        let mut cmd = vec![
            self.cfg.bin.as_os_str(),
            "serve".as_ref(),
            "--addr".as_ref(),
        ];
        cmd.extend([
            listen.as_ref(),
            "--data".as_ref(),
            self.cfg.data.as_os_str(),
        ]);
        cmd.extend(
            region
                .iter()
                .flat_map(|&r| ["--region".as_ref(), OsStr::new(r)]),
        );
        let log = std::env::var_os("RUST_LOG").unwrap_or_else(|| "warn".into());
        Proc::spawn(name, self.cfg.port, &cmd, &[("RUST_LOG", &log)], self)
    }

    /// WARMUP s discarded, then REPEAT runs of DURATION s against `p`.
    fn load(&mut self, name: &str, p: &Proc, spec: &Spec) -> R<Load> {
        let (secs, repeat) = (
            self.cfg.duration,
            if spec.once { 1 } else { self.cfg.repeat },
        );
        log!(
            "{name}: wrk {} s + {repeat} x {secs} s: {}",
            self.cfg.warmup,
            spec.lua.join(" ")
        );
        if self.cfg.warmup > 0 {
            self.wrk(p.port, spec, self.cfg.warmup)?;
        }
        let (server, load) = (self.cfg.server_cpu, self.cfg.load_cpu);
        let mut runs = Vec::new();
        for _ in 0..repeat {
            let (ticks, cores, t) = (cpu_ticks(p.pid()), core_ticks(), Instant::now());
            let w = self.wrk(p.port, spec, secs)?;
            let elapsed = t.elapsed().as_secs_f64();
            let cpu = 100.0 * (cpu_ticks(p.pid()) - ticks) as f64 / self.clk_tck / elapsed;
            let now = core_ticks();
            runs.push(Load {
                rps: w.requests as f64 / (w.duration_us / 1e6),
                requests: w.requests,
                bytes_per_answer: w.bytes as f64 / w.requests.max(1) as f64,
                p50_ms: w.p50_us / 1e3,
                p99_ms: w.p99_us / 1e3,
                non_2xx: w.non_2xx,
                socket_errors: w.socket_errors,
                server_cpu_pct: cpu,
                others_on_server_core_pct: (busy_pct(&cores, &now, server) - cpu).max(0.0),
                load_core_pct: busy_pct(&cores, &now, load),
                rps_runs: vec![],
            });
        }
        let all: Vec<f64> = runs.iter().map(|r| r.rps).collect();
        runs.sort_by(|a, b| a.rps.total_cmp(&b.rps));
        let m = Load {
            rps_runs: all,
            ..runs.swap_remove((repeat - 1) / 2)
        };
        log!(
            "{name}: {:.0} req/s (runs {:.0?}), p99 {:.3} ms, {:.0} B/answer, status>=400: {}, \
             server CPU {:.0} %, others on its core {:.0} %, load core {:.0} %",
            m.rps,
            m.rps_runs,
            m.p99_ms,
            m.bytes_per_answer,
            m.non_2xx,
            m.server_cpu_pct,
            m.others_on_server_core_pct,
            m.load_core_pct
        );
        if m.socket_errors > 0 {
            log!("{name}: WARNING: {} socket errors", m.socket_errors);
        }
        if m.others_on_server_core_pct > 10.0 {
            log!("{name}: WARNING: other processes used the server's core: figures unreliable");
        }
        if m.load_core_pct > 95.0 && m.server_cpu_pct < 90.0 {
            log!("{name}: WARNING: wrk's core was the limit, not the server: a lower bound");
        }
        self.meas.insert(name.into(), serde_json::to_value(&m)?);
        Ok(m)
    }

    fn wrk(&mut self, port: u16, spec: &Spec, secs: u64) -> R<Wrk> {
        self.wrk_runs += 1;
        let seed = (self.cfg.seed + self.wrk_runs).to_string();
        let lua = spec
            .lua
            .iter()
            .map(|a| if a == "@SEED@" { &seed } else { a });
        let conns = spec.conns.unwrap_or(self.cfg.conns).to_string();
        let mut cmd = Command::new("timeout");
        cmd.args([
            "--kill-after=5",
            &(secs + 30).to_string(),
            "wrk",
            "-t1",
            "-c",
            &conns,
        ]);
        cmd.args(["-d", &format!("{secs}s"), "--timeout", "5s", "-s"]);
        cmd.arg(Path::new(ROOT).join("benches/requests.lua"));
        if spec.gzip {
            cmd.args(["-H", GZIP]);
        }
        cmd.arg(format!("http://{HOST}:{port}/"))
            .arg("--")
            .args(lua);
        let out = cmd
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("wrk: {e}"))?;
        let text = String::from_utf8_lossy(&out.stdout);
        match text.lines().find_map(|l| l.strip_prefix("WRK_JSON ")) {
            Some(j) if out.status.success() => Ok(serde_json::from_str(j)?),
            _ => Err(format!(
                "wrk: {}: {text}{}",
                out.status,
                String::from_utf8_lossy(&out.stderr)
            ))?,
        }
    }

    /// An info row; `vs` and `under` judge it.
    fn row(&mut self, id: &'static str, label: &str, v: (f64, &'static str)) -> &mut Row {
        let (label, (value, unit)) = (label.into(), v);
        let (check, result) = ("info", "info");
        let row = Row {
            id,
            label,
            value,
            unit,
            check,
            result,
            ..Row::default()
        };
        self.rows.push(row);
        self.rows.last_mut().expect("just pushed")
    }

    /// A row judged by its ratio to a peer: ours / theirs >= min.
    fn vs(&mut self, id: &'static str, label: &str, ours: f64, peer: &str, theirs: f64, min: f64) {
        let r = self.row(id, label, (ours, "req/s"));
        (r.peer, r.peer_value, r.ratio) = (peer.into(), Some(theirs), Some(ours / theirs));
        (r.check, r.target, r.result) = ("ratio_ge", Some(min), pass(ours / theirs >= min));
    }

    /// A row judged by a limit (value < max), with a peer for context.
    fn under(
        &mut self,
        id: &'static str,
        label: &str,
        v: (f64, &'static str),
        max: f64,
        peer: Option<(&str, f64)>,
    ) {
        let r = self.row(id, label, v);
        (r.check, r.target, r.result) = ("lt", Some(max), pass(v.0 < max));
        if let Some((name, p)) = peer {
            (r.peer, r.peer_value, r.ratio) = (name.into(), Some(p), Some(v.0 / p));
        }
    }

    fn info(&mut self, label: &str, v: (f64, &'static str)) {
        self.row("-", label, v);
    }
}

fn pass(ok: bool) -> &'static str {
    if ok { "PASS" } else { "MISS" }
}

// -------------------------------------------------------------------------------- benches

/// Figures of the default region that rows of later benches compare with.
struct Skaraborg {
    items: f64,
    item: f64,
    rss_mib: f64,
}

/// a, b, e, f, h, i, l, and the skaraborg sides of d, g, j: the default region (as shipped).
fn bench_skaraborg(b: &mut Bench) -> R<Skaraborg> {
    let s = b.server("skaraborg", None)?;

    // a. The kommuner GeoJSON, gzip: ours vs nginx gzip_static serving the very same bytes.
    let ours = get_ok(s.port, "/api/v1/kommuner", true)?;
    let (gz, plain) = (ours.body.len(), gunzip(&ours.body)?.len());
    log!(
        "kommuner: {gz} gzip bytes ({plain} plain), ETag {:?}",
        ours.header("etag")
    );
    let nginx = start_nginx(b, &ours.body)?;
    if get_ok(nginx.port, "/kommuner.geojson", true)?.body != ours.body {
        Err("nginx serves other bytes than ours")?;
    }
    let k = b.load("kommuner_gzip", &s, &Spec::get("/api/v1/kommuner").gzip())?;
    let n = b.load(
        "kommuner_nginx",
        &nginx,
        &Spec::get("/kommuner.geojson").gzip(),
    )?;
    drop(nginx);
    b.vs(
        "a",
        &format!("kommuner GeoJSON gzip ({gz} B)"),
        k.rps,
        "nginx gzip_static",
        n.rps,
        0.95,
    );

    // b. locate at random points vs the trivial handler.
    get_ok(s.port, "/api/v1/locate?lat=58.39&lon=13.85", false)?;
    let seed = b.cfg.seed.to_string();
    let locate = Spec::lua(&[&["locate", seed.as_str()][..], &LOCATE_BOX].concat());
    let loc = b.load("locate", &s, &locate)?;
    let h = b.load("healthz", &s, &Spec::get("/healthz"))?;
    b.vs("b", "locate random points", loc.rps, "/healthz", h.rps, 0.7);
    let label = format!("locate p99, {} connections", b.cfg.conns);
    b.under(
        "b",
        &label,
        (loc.p99_ms, "ms"),
        1.0,
        Some(("/healthz p99", h.p99_ms)),
    );
    log!(
        "locate: {} of {} answers not 2xx (outside the region: 404)",
        loc.non_2xx,
        loc.requests
    );
    // The p99 above includes queueing behind CONNS connections on one core; with one
    // connection it is the handler's own tail.
    let c1 = b.load("locate_1conn", &s, &locate.conns(1))?;
    b.info("locate p99, 1 connection", (c1.p99_ms, "ms"));

    // e. The kommun page vs the trivial handler.
    get_ok(s.port, "/kommun/1496", true)?;
    let page = b.load("kommun_page", &s, &Spec::get("/kommun/1496").gzip())?;
    b.vs(
        "e",
        "kommun page 1496 (HTML, gzip)",
        page.rps,
        "/healthz",
        h.rps,
        0.8,
    );

    // f. What the first map page costs a browser: the page, every asset it links, and the
    // GeoJSON its script fetches (named in the page's JSON config), gzip.
    let html = get_ok(s.port, "/", false)?.text();
    let mut urls = vec!["/".to_string()];
    for part in html.split("\"/assets/").skip(1) {
        let url = format!("/assets/{}", part.split('"').next().unwrap_or(""));
        if !urls.contains(&url) {
            urls.push(url);
        }
    }
    let geojson = html
        .split("\"geojson\":\"")
        .nth(1)
        .and_then(|s| s.split('"').next());
    urls.push(
        geojson
            .ok_or("the map page has no map (Leaflet missing? tools/deps.sh web)")?
            .into(),
    );
    let mut sizes = BTreeMap::new();
    for url in urls {
        let n = get_ok(s.port, &url, true)?.body.len();
        log!("first map page: {url} {n} bytes (gzip)");
        sizes.insert(url, n);
    }
    let total: usize = sizes.values().sum();
    b.meas.insert(
        "map_page".into(),
        json!({ "transfer_bytes": total, "files": sizes }),
    );
    b.under(
        "f",
        "first map page + assets, gzip",
        (total as f64 / 1024.0, "KB"),
        150.0,
        None,
    );

    // i. OGC items vs the kommuner layer route, both gzip, same server.
    get_ok(s.port, ITEMS, true)?;
    let items_gz = b.load("ogc_items_gzip", &s, &Spec::get(ITEMS).gzip())?;
    b.vs(
        "i",
        "OGC items limit 15, gzip",
        items_gz.rps,
        "/api/v1/kommuner",
        k.rps,
        0.5,
    );

    // g (ours) and the skaraborg sides of j: identity, like pygeoapi (gzip off).
    let items = b.load("ogc_items", &s, &Spec::get(ITEMS))?;
    get_ok(s.port, ITEM, false)?;
    let item = b.load("ogc_item", &s, &Spec::get(ITEM))?;

    // h. The full long-table CSV export; the first request builds it.
    let t = Instant::now();
    let csv = get_ok(s.port, EXPORT, false)?.body;
    let first_ms = t.elapsed().as_secs_f64() * 1e3;
    let (bytes, rows) = (
        csv.len(),
        csv.iter()
            .filter(|&&c| c == b'\n')
            .count()
            .saturating_sub(1),
    );
    log!("export: {rows} rows, {bytes} bytes, first (building) request {first_ms:.1} ms");
    let x = b.load("export_csv", &s, &Spec::get(EXPORT))?;
    b.meas.insert(
        "export_first".into(),
        json!({ "ms": first_ms, "rows": rows, "bytes": bytes }),
    );
    b.row(
        "h",
        &format!("CSV export ({rows} rows, {bytes} B)"),
        (x.rps, "req/s"),
    );
    b.row(
        "h",
        "CSV export, MB/s",
        (x.rps * bytes as f64 / 1e6, "MB/s"),
    );
    b.row("h", "CSV export, rows/s", (x.rps * rows as f64, "rows/s"));
    b.row("h", "CSV export, first request (builds)", (first_ms, "ms"));

    // The peer of d: RSS after the loads above (the cache-miss loads below fill the server's
    // response cache with hundreds of distinct bodies; their RSS is an info row).
    let rss = status_mib(s.pid(), "VmRSS");

    // l. A response built per request (a new bbox each time, all 15 kommuner inside, so every
    // request misses the cache): gzip vs identity. Compression should at most double the cost.
    let probe = format!("{ITEMS}&bbox={}", SKARABORG_BBOX.join(","));
    let features = get_ok(s.port, &probe, false)?
        .text()
        .matches("\"type\":\"Feature\"")
        .count();
    if features != 15 {
        Err(format!("{probe}: {features} features, not 15"))?;
    }
    let fresh = Spec::lua(&[&["bbox", ITEMS, "@SEED@"][..], &SKARABORG_BBOX, &["0.01"]].concat());
    let miss_gz = b.load("ogc_miss_gzip", &s, &fresh.clone().gzip())?;
    let miss = b.load("ogc_miss_identity", &s, &fresh)?;
    b.vs(
        "l",
        "OGC items, cache miss, gzip",
        miss_gz.rps,
        "same, identity",
        miss.rps,
        0.5,
    );
    let rss_miss = status_mib(s.pid(), "VmRSS");
    let r = b.row("-", "RSS after the cache-miss loads", (rss_miss, "MiB"));
    (r.peer, r.peer_value, r.ratio) = ("before them".into(), Some(rss), Some(rss_miss / rss));

    let lines = s.log_lines();
    log!("the server wrote {lines} log lines");
    let hwm = status_mib(s.pid(), "VmHWM");
    let server = json!({
        "log_lines": lines, "rss_mib": rss, "rss_after_misses_mib": rss_miss, "vmhwm_mib": hwm
    });
    b.meas.insert("skaraborg_server".into(), server);
    Ok(Skaraborg {
        items: items.rps,
        item: item.rps,
        rss_mib: rss,
    })
}

/// d, j, k: --region sverige (290 kommuner).
fn bench_sverige(b: &mut Bench, skaraborg: &Skaraborg) -> R<()> {
    let s = b.server("sverige", Some("sverige"))?;
    let rss_idle = status_mib(s.pid(), "VmRSS");

    // j. The same OGC requests with 290 kommuner instead of 15.
    get_ok(s.port, ITEMS, false)?;
    let items = b.load("sverige_ogc_items", &s, &Spec::get(ITEMS))?;
    get_ok(s.port, ITEM, false)?;
    let item = b.load("sverige_ogc_item", &s, &Spec::get(ITEM))?;
    b.vs(
        "j",
        "OGC items limit 15, sverige",
        items.rps,
        "same, skaraborg",
        skaraborg.items,
        0.8,
    );
    b.vs(
        "j",
        "OGC item 1496, sverige",
        item.rps,
        "same, skaraborg",
        skaraborg.item,
        0.8,
    );

    // k. A bbox over all of Sweden (every kommun a candidate) vs the plain first page.
    get_ok(s.port, SWEDEN_BBOX, false)?;
    let bbox = b.load("sverige_ogc_bbox", &s, &Spec::get(SWEDEN_BBOX))?;
    b.vs(
        "k",
        "OGC bbox all Sweden, limit 15",
        bbox.rps,
        "items limit 15, sverige",
        items.rps,
        0.5,
    );

    // d. RSS after the loads above and one run each of the GeoJSON and of locate.
    b.load(
        "sverige_kommuner",
        &s,
        &Spec::get("/api/v1/kommuner").gzip().once(),
    )?;
    let seed = b.cfg.seed.to_string();
    let locate = Spec::lua(&[&["locate", seed.as_str()][..], &LOCATE_BOX].concat()).once();
    let loc = b.load("sverige_locate", &s, &locate)?;
    let (rss, hwm) = (status_mib(s.pid(), "VmRSS"), status_mib(s.pid(), "VmHWM"));
    let server = json!({ "rss_idle_mib": rss_idle, "rss_mib": rss, "vmhwm_mib": hwm });
    b.meas.insert("sverige_server".into(), server);
    let peer = Some(("skaraborg", skaraborg.rss_mib));
    b.under("d", "RSS after load, sverige", (rss, "MiB"), 64.0, peer);
    b.info("locate, sverige", (loc.rps, "req/s"));
    Ok(())
}

/// c. Cold start to the first /healthz answer, sverige vs the default region: a tight probe
/// loop (connect, GET, read the status line), 30 s deadline per start.
fn bench_cold_start(b: &mut Bench) -> R<()> {
    let mut medians = Vec::new();
    for region in [None, Some("sverige")] {
        let name = format!("cold_{}", region.unwrap_or("skaraborg"));
        let mut ms = Vec::new();
        for _ in 0..b.cfg.cold_runs {
            b.wait_port_free()?;
            let t = Instant::now();
            let mut p = b.spawn_server(&name, region)?;
            while !probe_healthz(b.cfg.port) {
                if !p.alive() || t.elapsed() > Duration::from_secs(30) {
                    Err(format!("{name}: no /healthz answer:\n{}", p.tail()))?;
                }
            }
            ms.push(t.elapsed().as_secs_f64() * 1e3);
        }
        ms.sort_by(f64::total_cmp);
        let n = ms.len();
        let median = if n % 2 == 1 {
            ms[n / 2]
        } else {
            (ms[n / 2 - 1] + ms[n / 2]) / 2.0
        };
        log!("{name}: cold start median {median:.1} ms of {ms:.1?}");
        b.meas
            .insert(name, json!({ "median_ms": median, "runs_ms": ms }));
        medians.push(median);
    }
    let peer = Some(("skaraborg", medians[0]));
    b.under(
        "c",
        "cold start to /healthz, sverige",
        (medians[1], "ms"),
        100.0,
        peer,
    );
    Ok(())
}

/// g. OGC items (kommuner, limit 15, full geometry) vs pygeoapi (gunicorn, one sync worker, same
/// core) serving the same kommuner.geojson file (benches/pygeoapi.yml).
fn bench_pygeoapi(b: &mut Bench, skaraborg: &Skaraborg) -> R<()> {
    let (pygeoapi, gunicorn) = (
        b.cfg.venv.join("bin/pygeoapi"),
        b.cfg.venv.join("bin/gunicorn"),
    );
    if !pygeoapi.exists() || !gunicorn.exists() {
        Err(format!(
            "no pygeoapi in {}: run tools/deps.sh bench",
            b.cfg.venv.display()
        ))?;
    }
    let port = free_port(b.cfg.port + 1)?;
    let dir = b.tmp.join("pygeoapi");
    fs::create_dir_all(&dir)?;
    let config = fs::read_to_string(Path::new(ROOT).join("benches/pygeoapi.yml"))?
        .replace("@HOST@", HOST)
        .replace("@PORT@", &port.to_string())
        .replace(
            "@DATA@",
            &b.cfg.data.join("kommuner.geojson").to_string_lossy(),
        );
    let (config_file, openapi) = (dir.join("config.yml"), dir.join("openapi.yml"));
    fs::write(&config_file, config)?;
    let gen_openapi = Command::new(&pygeoapi)
        .args(["openapi", "generate"])
        .arg(&config_file)
        .arg("--output-file")
        .arg(&openapi)
        .output()?;
    if !gen_openapi.status.success() {
        let err = String::from_utf8_lossy(&gen_openapi.stderr);
        Err(format!(
            "pygeoapi could not generate its OpenAPI document: {err}"
        ))?;
    }
    let bind = format!("{HOST}:{port}");
    let cmd = [
        gunicorn.as_os_str(),
        "-w1".as_ref(),
        "-b".as_ref(),
        bind.as_ref(),
    ];
    let cmd = [&cmd[..], &["pygeoapi.flask_app:APP".as_ref()]].concat();
    let env = [
        ("PYGEOAPI_CONFIG", config_file.as_os_str()),
        ("PYGEOAPI_OPENAPI", openapi.as_os_str()),
    ];
    let g = Proc::spawn("pygeoapi", port, &cmd, &env, b)?.wait_ready(false, 60)?;
    // pygeoapi serves the same request at its root.
    let path = ITEMS.trim_start_matches("/ogc");
    let n = get_ok(port, path, false)?
        .text()
        .matches("\"Feature\"")
        .count();
    if n != 15 {
        Err(format!("pygeoapi answered {n} features, not 15"))?;
    }
    let peer = b.load("ogc_pygeoapi", &g, &Spec::get(path))?;
    drop(g);
    let python = b.cfg.venv.join("bin/python");
    let version = first_line(
        &python.to_string_lossy(),
        &["-c", "import pygeoapi; print(pygeoapi.__version__)"],
    );
    b.meas
        .insert("pygeoapi".into(), json!({ "version": version }));
    b.vs(
        "g",
        &format!("OGC items limit 15 (pygeoapi {version})"),
        skaraborg.items,
        "pygeoapi",
        peer.rps,
        100.0,
    );
    Ok(())
}

/// nginx, one worker pinned to the server's core, serving `gz` as kommuner.geojson.gz
/// (gzip_static; the plain file is empty) from benches/nginx.conf.
fn start_nginx(b: &Bench, gz: &[u8]) -> R<Proc> {
    let dir = b.tmp.join("nginx");
    fs::create_dir_all(dir.join("tmp"))?;
    fs::create_dir_all(dir.join("www"))?;
    fs::write(dir.join("www/kommuner.geojson.gz"), gz)?;
    fs::write(dir.join("www/kommuner.geojson"), "")?;
    let port = free_port(b.cfg.port + 1)?;
    let conf = fs::read_to_string(Path::new(ROOT).join("benches/nginx.conf"))?
        .replace("@DIR@", &dir.to_string_lossy())
        .replace("@HOST@", HOST)
        .replace("@PORT@", &port.to_string())
        .replace("@ROOT@", &dir.join("www").to_string_lossy());
    let conf_file = dir.join("nginx.conf");
    fs::write(&conf_file, conf)?;
    // The worker runs as nobody when we are root: let it read the files.
    Command::new("chmod")
        .arg("-R")
        .arg("a+rX")
        .arg(&b.tmp)
        .status()?;
    let args = [
        "-p".as_ref(),
        dir.as_os_str(),
        "-c".as_ref(),
        conf_file.as_os_str(),
    ];
    let check = Command::new("nginx").arg("-t").args(args).output();
    let check = check.map_err(|e| format!("nginx: {e} (tools/deps.sh bench installs it)"))?;
    if !check.status.success() {
        Err(format!(
            "nginx -t: {}",
            String::from_utf8_lossy(&check.stderr)
        ))?;
    }
    Proc::spawn(
        "nginx",
        port,
        &[&["nginx".as_ref()][..], &args].concat(),
        &[],
        b,
    )?
    .wait_ready(false, 10)
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

fn print_table(rows: &[Row]) {
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
    for r in rows {
        let target = match (r.check, r.target) {
            ("ratio_ge", Some(t)) => format!("ratio >= {t}"),
            ("lt", Some(t)) => format!("< {t} {}", r.unit),
            _ => "-".into(),
        };
        let peer = if r.peer.is_empty() { "-" } else { &r.peer };
        let (ours, theirs, ratio) = (num(Some(r.value)), num(r.peer_value), num(r.ratio));
        line([
            r.id, &r.label, &ours, r.unit, peer, &theirs, &ratio, &target, r.result,
        ]);
    }
    println!();
}

fn run(b: &mut Bench) -> R<()> {
    let skaraborg = bench_skaraborg(b)?;
    bench_sverige(b, &skaraborg)?;
    bench_cold_start(b)?;
    bench_pygeoapi(b, &skaraborg)
}

fn main() -> ExitCode {
    match main_() {
        Ok(code) => code,
        Err(e) => {
            log!("ERROR: {e}");
            ExitCode::FAILURE
        }
    }
}

fn main_() -> R<ExitCode> {
    t0();
    let mut cfg = Cfg::from_env()?;
    let cpus = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    if cpus < 2 {
        (cfg.server_cpu, cfg.load_cpu) = (0, 0);
    }
    if cfg.server_cpu == cfg.load_cpu {
        log!("WARNING: {cpus} CPU(s): server and load share a core, figures are not comparable");
    }
    if !cfg.bin.exists() || !cfg.data.join("dataset.toml").exists() {
        Err(format!(
            "no binary {} or no data set {}",
            cfg.bin.display(),
            cfg.data.display()
        ))?;
    }
    if port_open(cfg.port) {
        Err(format!("port {} is in use: set SKK_BENCH_PORT", cfg.port))?;
    }
    // This harness and wrk (its child) stay off the server's core.
    let me = std::process::id().to_string();
    Command::new("taskset")
        .args(["-a", "-cp", &cfg.load_cpu.to_string(), &me])
        .output()?;
    let before = core_ticks();
    sleep(Duration::from_secs(1));
    let after = core_ticks();
    let busy =
        (busy_pct(&before, &after, cfg.server_cpu) + busy_pct(&before, &after, cfg.load_cpu)) / 2.0;
    log!("before the benches, the two cores were {busy:.0} % busy (1 s)");
    if busy > 10.0 {
        log!("WARNING: something else is using the CPU (a build?): figures will be unreliable");
    }

    let tmp = std::env::temp_dir().join(format!("skk-bench.{me}"));
    fs::create_dir_all(&tmp)?;
    let clk_tck = first_line("getconf", &["CLK_TCK"]).parse().unwrap_or(100.0);
    let mut b = Bench {
        cfg,
        tmp,
        clk_tck,
        wrk_runs: 0,
        rows: vec![],
        meas: BTreeMap::new(),
    };
    let outcome = run(&mut b);
    if b.cfg.keep_tmp {
        log!("kept {}", b.tmp.display());
    } else {
        fs::remove_dir_all(&b.tmp)?;
    }
    outcome?;

    // Rows in the order of their ids; an info row ("-") stays after the row it follows.
    let mut key = "";
    let mut keyed: Vec<(&str, Row)> = Vec::new();
    for r in std::mem::take(&mut b.rows) {
        key = if r.id == "-" { key } else { r.id };
        keyed.push((key, r));
    }
    keyed.sort_by_key(|(k, _)| *k);
    b.rows = keyed.into_iter().map(|(_, r)| r).collect();
    print_table(&b.rows);

    let c = &b.cfg;
    let meta = json!({
        "date": jiff::Timestamp::now().to_string(),
        "commit": first_line("git", &["rev-parse", "--short", "HEAD"]),
        "host_cpus": cpus, "server_cpu": c.server_cpu, "load_cpu": c.load_cpu,
        "repeat": c.repeat, "duration_s": c.duration, "warmup_s": c.warmup,
        "wrk_connections": c.conns, "seed": c.seed, "data": c.data,
        "rust_log": std::env::var("RUST_LOG").unwrap_or_else(|_| "warn".into()),
        "busy_before_pct": busy,
        "loadavg_end": fs::read_to_string("/proc/loadavg").unwrap_or_default().trim(),
        "wrk": first_line("wrk", &["-v"]), "nginx": first_line("nginx", &["-v"]),
    });
    let results = json!({ "meta": meta, "rows": b.rows, "measurements": b.meas });
    fs::create_dir_all(&c.out)?;
    let file = c.out.join("results.json");
    fs::write(&file, serde_json::to_string_pretty(&results)?)?;
    log!("wrote {}", file.display());
    let misses = b.rows.iter().filter(|r| r.result == "MISS").count();
    if misses > 0 {
        log!("{misses} target(s) missed");
    }
    Ok(if misses > 0 && c.strict {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
