//! Shared test helpers: the shipped data sets loaded once, and requests through the router.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use http_body_util::BodyExt;
use skaraborgskartan::atlas::Atlas;
use skaraborgskartan::{AppState, router, server};
use tower::ServiceExt;

pub fn geodata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("geodata")
}

fn build(dir: PathBuf, region: Option<&str>) -> Atlas {
    server::build(&dir, region)
        .unwrap_or_else(|p| panic!("{} does not load:\n{}", dir.display(), server::report(&p)))
}

/// The real data, Skaraborg, as one shared state (the Atlas is immutable).
pub fn real() -> AppState {
    static S: OnceLock<AppState> = OnceLock::new();
    S.get_or_init(|| AppState::new(build(geodata(), None)))
        .clone()
}

pub fn example() -> AppState {
    static S: OnceLock<AppState> = OnceLock::new();
    S.get_or_init(|| AppState::new(build(geodata().join("example"), None)))
        .clone()
}

pub fn sverige() -> AppState {
    static S: OnceLock<AppState> = OnceLock::new();
    S.get_or_init(|| AppState::new(build(geodata(), Some("sverige"))))
        .clone()
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).map_or("", |v| v.to_str().unwrap())
    }

    /// The error message of a JSON error reply.
    pub fn error_message(&self) -> String {
        let j = self.json();
        j["error"]["message"]
            .as_str()
            .unwrap_or_else(|| panic!("no error shape: {j}"))
            .to_string()
    }
}

pub async fn request(
    state: &AppState,
    method: Method,
    uri: &str,
    headers: &[(&str, &str)],
) -> Reply {
    let mut req = Request::builder().method(method).uri(uri);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let res = router(state.clone())
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let body = res.into_body().collect().await.unwrap().to_bytes().to_vec();
    Reply {
        status,
        headers,
        body,
    }
}

pub async fn get(state: &AppState, uri: &str) -> Reply {
    request(state, Method::GET, uri, &[]).await
}

/// The state of a data directory (loaded anew: for data made by a test).
pub fn load(dir: &Path) -> AppState {
    AppState::new(build(dir.to_path_buf(), None))
}

/// A body that may be gzip-compressed, as text.
pub fn gunzip(bytes: &[u8]) -> String {
    use std::io::Read;
    let mut out = String::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_string(&mut out)
        .expect("gzip");
    out
}

/// The service on a real socket (127.0.0.1, a free port) until [`Served::stop`].
pub struct Served {
    pub addr: SocketAddr,
    stop: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<()>,
}

impl Served {
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Graceful shutdown; waits for the server task.
    pub async fn stop(self) {
        let _ = self.stop.send(());
        self.task.await.unwrap();
    }
}

pub async fn serve(state: AppState) -> Served {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        axum::serve(listener, router(state))
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await
            .unwrap();
    });
    Served { addr, stop, task }
}
