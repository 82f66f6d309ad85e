//! The HTML pages in a real browser, for both data sets: the service on a real socket, then the
//! node test suite in tests/browser/ (puppeteer-core driving Debian's Chromium, axe-core).
//!
//! Needs node, Chromium and tests/browser/node_modules; `make test` (tools/deps.sh test)
//! installs them. Without them these tests fail; they never pass silently. Screenshots of every
//! page go to target/screenshots/, node's whole output to target/browser-{real,example}.log.
//!
//! Embedding from another origin: each suite picks a free port P and starts the service with
//! `http://localhost:P` among the frame ancestors; the node suite (env `SKK_EMBED_PORT`) serves a
//! host page with an iframe of the service there (allowed) and on a second port (refused). The
//! service itself is on http://127.0.0.1:…, a different origin from localhost:P.
//!
//! The admin pages (tests/browser/admin.test.mjs) and the report form with its queue
//! (tests/browser/rapport.test.mjs) run apart, on a service with a store of its own and two
//! people signed in directly in the store (their session ids go to node as `SKK_SESSION`,
//! `SKK_SESSION_SAMORDNARE`); the public suites leave those files out.

mod common;

use std::io::{Read, Seek};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use skaraborgskartan::AppState;
use skaraborgskartan::server;
use skaraborgskartan::site::{PageOptions, Site};

/// One data set's suite takes about 95 s alone on the 2-core development machine (debug build),
/// about 190 s when both run side by side as `cargo test` runs them; this only stops a hang.
const LIMIT: Duration = Duration::from_secs(420);

const INSTALL: &str = "run `make test` (tools/deps.sh test installs nodejs, npm and chromium, and runs npm ci in tests/browser)";

fn suite_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser")
}

fn chromium() -> PathBuf {
    std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"))
}

/// The files that need a store and signed-in sessions (the admin pages; the report form, which
/// writes to the store, and its queue), so they run on their own.
const STORE_FILES: [&str; 2] = ["admin.test.mjs", "rapport.test.mjs"];

/// The suite's files, `*.test.mjs`, in a stable order (node 18–22 differ in how they find
/// test files from a directory, so they are named explicitly): the store's files, or every
/// other one.
fn test_files(dir: &Path, admin: bool) -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".test.mjs") && STORE_FILES.contains(&n.as_str()) == admin)
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no *.test.mjs in {}", dir.display());
    files
}

/// Test files run side by side (they mostly wait on the service and the browser, so on two
/// cores three at a time finish sooner); node before 20.10 has no `--test-concurrency`.
const CONCURRENCY: &str = "--test-concurrency=3";

/// Fails with what is missing and how to get it; returns node's (major, minor) version.
fn check_prerequisites(dir: &Path) -> (u32, u32) {
    let node = Command::new("node").arg("--version").output();
    let version = match node {
        Ok(o) if o.status.success() => String::from_utf8_lossy(&o.stdout).trim().to_string(),
        _ => panic!("browser tests need node (not found on PATH): {INSTALL}"),
    };
    let mut parts = version
        .trim_start_matches('v')
        .split('.')
        .map(|m| m.parse::<u32>().unwrap_or(0));
    let major = parts.next().unwrap_or(0);
    let minor = parts.next().unwrap_or(0);
    assert!(
        major >= 18,
        "browser tests need node 18 or newer, found {version}: {INSTALL}"
    );
    let browser = chromium();
    assert!(
        browser.is_file(),
        "browser tests need Chromium at {} (or set CHROMIUM): {INSTALL}",
        browser.display()
    );
    for module in ["puppeteer-core", "axe-core"] {
        let m = dir.join("node_modules").join(module).join("package.json");
        assert!(
            m.is_file(),
            "browser tests need {} (missing): {INSTALL}",
            m.display()
        );
    }
    (major, minor)
}

struct Outcome {
    success: bool,
    timed_out: bool,
    output: String,
    took: Duration,
}

/// What one run of node is given: the service, the files, extra environment.
struct Run {
    url: String,
    kind: &'static str,
    embed_port: u16,
    concurrent: bool,
    log: PathBuf,
    files: Vec<String>,
    env: Vec<(&'static str, String)>,
}

/// Runs `node --test` on the suite against `url`, in its own process group so a hang can be
/// stopped with everything it started (the browser included).
fn run_node(dir: &Path, run: &Run) -> Outcome {
    let log_path = run.log.as_path();
    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("target");
    std::fs::create_dir_all(&target).unwrap();
    let mut log = std::fs::OpenOptions::new()
        .create(true)
        .truncate(true)
        .read(true)
        .write(true)
        .open(log_path)
        .unwrap_or_else(|e| panic!("{}: {e}", log_path.display()));
    let screenshots = target.join("screenshots");
    let start = Instant::now();
    let mut child = Command::new("node")
        .args(["--test", "--test-reporter=spec"])
        .args(run.concurrent.then_some(CONCURRENCY))
        .args(&run.files)
        .current_dir(dir)
        .env("SKK_URL", &run.url)
        .env("SKK_DATA_KIND", run.kind)
        .env("CHROMIUM", chromium())
        .env("SKK_SCREENSHOTS", &screenshots)
        .env("SKK_EMBED_PORT", run.embed_port.to_string())
        .envs(run.env.iter().map(|(k, v)| (*k, v)))
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(log.try_clone().unwrap())
        .stderr(log.try_clone().unwrap())
        .process_group(0)
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start node: {e}; {INSTALL}"));
    let (success, timed_out) = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break (status.success(), false);
        }
        if start.elapsed() > LIMIT {
            let _ = Command::new("kill")
                .args(["-KILL", "--", &format!("-{}", child.id())])
                .status();
            let _ = child.wait();
            break (false, true);
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let mut output = String::new();
    log.rewind().unwrap();
    log.read_to_string(&mut output).unwrap();
    Outcome {
        success,
        timed_out,
        output,
        took: start.elapsed(),
    }
}

/// A port free right now on 127.0.0.1 (bound, read, released) for the node suite's host page.
fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// The state of a data set with the front end of `web/` and `origin` allowed to frame the pages.
fn state_framed_by(data: PathBuf, origin: String) -> AppState {
    let atlas = server::build(&data, None)
        .unwrap_or_else(|p| panic!("{} does not load:\n{}", data.display(), server::report(&p)));
    let web = Path::new(env!("CARGO_MANIFEST_DIR")).join("web");
    let options = PageOptions {
        frame_ancestors: vec![origin],
        ..PageOptions::default()
    };
    AppState::with_site(atlas, Site::load(&web, options))
}

async fn browser_suite(kind: &'static str, data: PathBuf) {
    let dir = suite_dir();
    let node = check_prerequisites(&dir);
    let embed_port = free_port();
    let state = state_framed_by(data, format!("http://localhost:{embed_port}"));
    let run = Run {
        url: String::new(),
        kind,
        embed_port,
        concurrent: node >= (20, 10),
        log: Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("target/browser-{kind}.log")),
        files: test_files(&dir, false),
        env: Vec::new(),
    };
    run_suite(&format!("{kind} data"), state, run).await;
}

/// Serves `state` on a real socket while node runs `run`'s files against it; fails with node's
/// failures.
async fn run_suite(what: &str, state: AppState, mut run: Run) {
    let dir = suite_dir();
    let served = common::serve(state).await;
    run.url = served.url();
    let kind = run.kind;
    let log = run.log.clone();
    // node blocks; the server keeps answering on this runtime meanwhile.
    let outcome = tokio::task::spawn_blocking({
        let dir = dir.clone();
        move || run_node(&dir, &run)
    })
    .await
    .unwrap();
    served.stop().await;

    let summary: Vec<&str> = outcome
        .output
        .lines()
        .filter(|l| l.starts_with("ℹ "))
        .collect();
    eprintln!(
        "browser suite, {what}: {:.1} s (log: {})\n{}",
        outcome.took.as_secs_f64(),
        log.display(),
        summary.join("\n")
    );
    assert!(
        !outcome.timed_out,
        "browser suite ({what}) still running after {LIMIT:?}, stopped:\n{}",
        outcome.output
    );
    // The spec reporter repeats every failure at the end; that part is enough here.
    let failures = outcome
        .output
        .find("✖ failing tests:")
        .map_or(outcome.output.as_str(), |i| &outcome.output[i..]);
    assert!(
        outcome.success,
        "browser suite ({what}) failed; full log {}; rerun by hand: \
         cd tests/browser && SKK_URL=http://… SKK_DATA_KIND={kind} [SKK_EMBED_PORT=P, a port the \
         service lets frame it as http://localhost:P] npm test\n{failures}",
        log.display()
    );
}

// The two data sets run side by side (the suites mostly wait; nothing in them depends on timing
// beyond generous timeouts).

#[tokio::test]
async fn pages_in_a_browser_real_data() {
    browser_suite("real", common::geodata()).await;
}

#[tokio::test]
async fn pages_in_a_browser_example_data() {
    browser_suite("example", common::geodata().join("example")).await;
}

/// The admin pages and the report form on a store of their own (the shipped data with an open
/// survey round `uppfoljning-2026`), a redaktör of Tibro and a samordnare signed in.
#[tokio::test]
async fn admin_pages_in_a_browser() {
    let dir = suite_dir();
    let node = check_prerequisites(&dir);
    let (state, _store) = common::with_store(&common::geodata(), None).await;
    // The shown round is closed (frozen): the desk's edits go into an open round.
    common::open_round(&state, "uppfoljning-2026", "Uppföljning 2026").await;
    let session = async |email: &str, role: &str, kommuner: &[&str]| {
        let id = common::account(&state, email, role, kommuner).await;
        let (cookie, _csrf) = common::session_for(&state, id).await;
        cookie.split_once('=').expect("name=value").1.to_string()
    };
    let redaktor = session("anna@tibro.se", "redaktor", &["1472"]).await;
    let samordnare = session("berit@vgregion.se", "samordnare", &[]).await;
    let run = Run {
        url: String::new(),
        kind: "real",
        embed_port: free_port(),
        concurrent: node >= (20, 10),
        log: Path::new(env!("CARGO_MANIFEST_DIR")).join("target/browser-admin.log"),
        files: test_files(&dir, true),
        env: vec![
            ("SKK_SESSION", redaktor),
            ("SKK_SESSION_SAMORDNARE", samordnare),
        ],
    };
    run_suite("admin", state, run).await;
}
