//! The real server as a process (`skaraborgskartan serve --state DIR`), for tests of what only a
//! process shows: SIGKILL, restarts, backups of a running store.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The binary itself, with the arguments given (for `export-data`, `backup`, `check`).
pub fn binary() -> Command {
    Command::new(env!("CARGO_BIN_EXE_skaraborgskartan"))
}

/// Seeds a store in `state` from the shipped data (as `serve` does on first start) and gives a
/// samordnare an API token; returns the token.
pub async fn seeded_with_token(state: &Path) -> String {
    use skaraborgskartan::auth::Role;
    let data = root().join("geodata");
    let store = skaraborgskartan::server::open_store(state, &data, None)
        .await
        .unwrap();
    let (id, _) = store
        .invite(
            "skript@example.se",
            "skript",
            Role::Samordnare,
            &Default::default(),
        )
        .await
        .unwrap();
    let (_, token) = store.create_token(id, "test").await.unwrap();
    store.close().await;
    token
}

/// An HTTP client that returns 4xx/5xx as answers, not errors.
pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(20)))
        .build()
        .into()
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A running server on a state directory and a free port; killed (SIGKILL) when dropped.
pub struct Process {
    pub child: Child,
    pub base: String,
    state: PathBuf,
}

impl Process {
    /// Starts `serve` on `state` (its output appended to server.out/server.err there) and waits
    /// until /healthz answers.
    pub fn start(state: &Path) -> Process {
        let port = free_port();
        let log = |name: &str| {
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(state.join(name))
                .unwrap()
        };
        let child = binary()
            .arg("serve")
            .arg("--state")
            .arg(state)
            .arg("--addr")
            .arg(format!("127.0.0.1:{port}"))
            .arg("--data")
            .arg(root().join("geodata"))
            .arg("--web")
            .arg(root().join("web"))
            .env("RUST_LOG", "warn")
            .stdout(Stdio::from(log("server.out")))
            .stderr(Stdio::from(log("server.err")))
            .spawn()
            .unwrap();
        let mut p = Process {
            child,
            base: format!("http://127.0.0.1:{port}"),
            state: state.to_path_buf(),
        };
        p.wait_ready();
        p
    }

    fn wait_ready(&mut self) {
        let agent = agent();
        let start = Instant::now();
        loop {
            if let Ok(r) = agent.get(&format!("{}/healthz", self.base)).call()
                && r.status() == 200
            {
                return;
            }
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!("the server stopped ({status}) at start:\n{}", self.log());
            }
            let waited = start.elapsed();
            assert!(
                waited < Duration::from_secs(60),
                "no answer in 60 s:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.state.join("server.err")).unwrap_or_default()
    }

    /// SIGKILL, and waits for the process to be gone.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        self.kill();
    }
}
