//! Shared test helpers: the shipped data sets loaded once, and requests through the router.
#![allow(dead_code)]

pub mod admin;
pub mod process;

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

/// Copies a data directory (and its subdirectories), for a test that changes a file.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &to.join(entry.file_name()));
        } else {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
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
    serve_on(listener, state)
}

/// The service on a listener bound beforehand (for a state that must know its own address).
pub fn serve_on(listener: tokio::net::TcpListener, state: AppState) -> Served {
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    let task = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await
            .unwrap();
    });
    Served { addr, stop, task }
}

/// Cache-Control of public data: the API, the exports and OGC.
pub const PUBLIC: &str = "public, max-age=300";
/// Cache-Control of pages and of assets without their current fingerprint.
pub const NO_CACHE: &str = "no-cache";
/// Cache-Control of an asset under its current fingerprint (`?v=`).
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Bodies smaller than this are sent as they are, whatever the client accepts.
pub const MIN_COMPRESSED: usize = 512;

/// One cacheable route and what its responses promise (the table is in tests/http.rs).
#[derive(Debug, Clone, Copy)]
pub struct Cacheable<'a> {
    pub uri: &'a str,
    pub content_type: &'a str,
    pub cache_control: &'a str,
    /// CORS for any origin, exposing ETag, Link and Content-Disposition.
    pub cors: bool,
    /// `Vary` names `accept` (OGC negotiates the format) besides `accept-encoding`.
    pub vary_accept: bool,
    /// None: no Link header; Some: there is one, and these are the rels it names, sorted.
    pub link: Option<&'a [&'a str]>,
    /// A download (Content-Disposition: attachment) whose file name ends in `.{download}`.
    pub download: Option<&'a str>,
}

impl Reply {
    /// Every value of a header, in order.
    pub fn all(&self, name: &str) -> Vec<&str> {
        let values = self.headers.get_all(name).iter();
        values.map(|v| v.to_str().unwrap()).collect()
    }

    /// The comma-separated items of every value of a header, lowercased and sorted.
    pub fn tokens(&self, name: &str) -> Vec<String> {
        let items = self.all(name).into_iter().flat_map(|v| v.split(','));
        let mut t: Vec<String> = items.map(|t| t.trim().to_ascii_lowercase()).collect();
        t.retain(|t| !t.is_empty());
        t.sort();
        t
    }
}

/// A body in `coding` (gzip or br), decompressed.
pub fn decode(coding: &str, bytes: &[u8]) -> Vec<u8> {
    use std::io::Read;
    let mut out = Vec::new();
    match coding {
        "gzip" => drop(
            flate2::read::GzDecoder::new(bytes)
                .read_to_end(&mut out)
                .expect("gzip"),
        ),
        "br" => brotli::BrotliDecompress(&mut &bytes[..], &mut out).expect("brotli"),
        _ => panic!("no decoder for {coding}"),
    }
    out
}

/// What the caching contract says about one response, to compare in one go.
#[derive(Debug, PartialEq)]
struct Seen {
    status: u16,
    etag: String,
    content_type: String,
    content_encoding: String,
    cache_control: String,
    vary: Vec<String>,
}

fn seen(r: &Reply) -> Seen {
    Seen {
        status: r.status.as_u16(),
        etag: r.header("etag").into(),
        content_type: r.header("content-type").into(),
        content_encoding: r.header("content-encoding").into(),
        cache_control: r.header("cache-control").into(),
        vary: r.tokens("vary"),
    }
}

fn strong(etag: &str) -> bool {
    etag.len() > 2 && etag.starts_with('"') && etag.ends_with('"')
}

/// Checks the HTTP caching contract of one route and returns its plain (identity) reply: a
/// strong ETag; 304 for it in any encoding (and for its weak form), 200 for another tag; gzip
/// and br that decode to the identity bytes, each with its own ETag (bodies under
/// [`MIN_COMPRESSED`] are sent as they are); HEAD with the headers of GET and no body; the
/// row's Content-Type, Cache-Control, Vary, Link, Content-Disposition and CORS, on 304s too; the
/// security headers on HTML and on nothing else.
pub async fn assert_cacheable(state: &AppState, row: &Cacheable<'_>) -> Reply {
    const ORIGIN: &str = "https://annan.example";
    let uri = row.uri;
    let ask = async |headers: &[(&str, &str)]| request(state, Method::GET, uri, headers).await;
    let mut vary: Vec<String> = vec!["accept-encoding".into()];
    if row.vary_accept {
        vary.push("accept".into());
    }
    // CORS adds no Vary: the answer is the same for every origin, so shared caches keep one copy.
    vary.sort();
    // A 304 has no Content-Type nor Content-Encoding; it has the rest.
    let expect = |status: u16, etag: &str, coding: &str| Seen {
        status,
        etag: etag.into(),
        content_type: if status == 304 { "" } else { row.content_type }.into(),
        content_encoding: coding.into(),
        cache_control: row.cache_control.into(),
        vary: vary.clone(),
    };

    let plain = ask(&[]).await;
    let etag = plain.header("etag").to_string();
    let text = String::from_utf8_lossy(&plain.body);
    assert!(strong(&etag), "{uri}: a strong ETag, not {etag:?}: {text}");
    assert_eq!(seen(&plain), expect(200, &etag, ""), "{uri}");
    assert!(!plain.body.is_empty(), "{uri}: a body");
    let link = plain.all("link");
    let mut rels: Vec<&str> = link
        .iter()
        .flat_map(|v| v.split("rel=\"").skip(1))
        .collect();
    rels = rels.iter().map(|s| s.split('"').next().unwrap()).collect();
    rels.sort();
    assert_eq!(
        row.link,
        (!link.is_empty()).then_some(&rels[..]),
        "{uri}: Link {link:?}"
    );
    let disposition = plain.header("content-disposition");
    match row.download {
        None => assert_eq!(disposition, "", "{uri}: not a download"),
        Some(ext) => {
            let name = disposition.strip_prefix("attachment; filename=\"");
            let name = name.and_then(|s| s.split('"').next()).unwrap_or("");
            let safe = |b: u8| b.is_ascii_alphanumeric() || b"-_.".contains(&b);
            let ok = name.bytes().all(safe) && name.ends_with(&format!(".{ext}"));
            assert!(ok, "{uri}: a download, not {disposition:?}");
            let both = format!("attachment; filename=\"{name}\"; filename*=UTF-8''{name}");
            assert_eq!(disposition, both, "{uri}");
        }
    }
    let security = [
        plain
            .header("content-security-policy")
            .contains("frame-ancestors 'self'"),
        plain.header("x-content-type-options") == "nosniff",
        plain.header("referrer-policy") == "same-origin",
    ];
    let html = row.content_type.starts_with("text/html");
    assert_eq!(
        security, [html; 3],
        "{uri}: CSP, nosniff, Referrer-Policy on HTML only"
    );

    // Revalidation: the tag (strong or weak) is 304 with no body, another tag is 200.
    for tag in [etag.clone(), format!("W/{etag}")] {
        let r = ask(&[("if-none-match", &tag)]).await;
        assert_eq!(
            seen(&r),
            expect(304, &etag, ""),
            "{uri}: If-None-Match {tag}"
        );
        assert!(r.body.is_empty(), "{uri}: a 304 has no body");
    }
    let r = ask(&[("if-none-match", "\"anders\"")]).await;
    assert_eq!(seen(&r), expect(200, &etag, ""), "{uri}: another ETag");
    assert_eq!(r.body, plain.body, "{uri}: another ETag");

    // Encodings: brotli preferred over gzip; each its own tag; 304 across encodings.
    for (accept, coding) in [("gzip", "gzip"), ("gzip, br", "br")] {
        let r = ask(&[("accept-encoding", accept)]).await;
        let tag = r.header("etag").to_string();
        if plain.body.len() >= MIN_COMPRESSED {
            assert!(
                tag != etag && strong(&tag),
                "{uri}: {coding} has its own ETag: {tag}"
            );
            assert_eq!(seen(&r), expect(200, &tag, coding), "{uri}: {accept}");
            assert_eq!(
                decode(coding, &r.body),
                plain.body,
                "{uri}: {coding} decodes"
            );
        } else {
            assert_eq!(
                seen(&r),
                expect(200, &etag, ""),
                "{uri}: small, sent as it is"
            );
            assert_eq!(r.body, plain.body, "{uri}: small, sent as it is");
        }
        let r = ask(&[("accept-encoding", accept), ("if-none-match", &etag)]).await;
        assert_eq!(
            seen(&r),
            expect(304, &tag, ""),
            "{uri}: plain tag, {accept}"
        );
        let r = ask(&[("if-none-match", &tag)]).await;
        assert_eq!(
            seen(&r),
            expect(304, &etag, ""),
            "{uri}: {coding} tag, plain"
        );
    }

    // HEAD: the headers of GET, no body.
    let asked = [("accept-encoding", "gzip, br"), ("origin", ORIGIN)];
    let full = ask(&asked).await;
    let head = request(state, Method::HEAD, uri, &asked).await;
    assert_eq!(head.status, StatusCode::OK, "HEAD {uri}");
    assert!(head.body.is_empty(), "HEAD {uri} has no body");
    assert_eq!(head.headers, full.headers, "HEAD {uri}: the headers of GET");

    // CORS for any origin, on 200 and 304 alike, and its preflight; or no CORS at all.
    let not_modified = ask(&[("origin", ORIGIN), ("if-none-match", &etag)]).await;
    assert_eq!(not_modified.status, StatusCode::NOT_MODIFIED, "{uri}");
    let (any, exposed): (&str, &[&str]) = match row.cors {
        true => ("*", &["content-disposition", "etag", "link"]),
        false => ("", &[]),
    };
    for r in [&full, &not_modified] {
        assert_eq!(r.header("access-control-allow-origin"), any, "{uri}");
        assert_eq!(r.tokens("access-control-expose-headers"), exposed, "{uri}");
    }
    if row.cors {
        let preflight = [("origin", ORIGIN), ("access-control-request-method", "GET")];
        let r = request(state, Method::OPTIONS, uri, &preflight).await;
        assert!(r.status.is_success(), "OPTIONS {uri}: {}", r.status);
        assert_eq!(
            r.header("access-control-allow-origin"),
            "*",
            "OPTIONS {uri}"
        );
        let methods = r.tokens("access-control-allow-methods");
        assert_eq!(methods, ["get", "head"], "OPTIONS {uri}");
    }
    plain
}

/// A service on a store of its own: a fresh SQLite file in a temporary directory, seeded from
/// `data` (the shipped data or the example), as `serve` does on first start.
pub async fn with_store(data: &Path, region: Option<&str>) -> (AppState, tempfile::TempDir) {
    use std::sync::Arc;
    let dir = tempfile::tempdir().unwrap();
    let store = server::open_store(dir.path(), data, region).await.unwrap();
    let atlas = server::build_from_store(&store, region).await.unwrap();
    let state = AppState::new(atlas).with_store(Arc::new(store), region.map(str::to_string));
    (state, dir)
}

/// A signed-in session for an account, made in the store directly: for tests of what a
/// signed-in person can do (sign-in itself is tested through its pages in tests/auth.rs).
/// Returns the `Cookie` header value and the session's CSRF token.
pub async fn session_for(state: &AppState, account: i64) -> (String, String) {
    use skaraborgskartan::auth::sessions::Stage;
    let store = state.store().unwrap();
    let (token, session) = store
        .start_session(Some(account), Stage::SignedIn, Default::default())
        .await
        .unwrap();
    (
        format!("{}={token}", skaraborgskartan::auth::sessions::COOKIE),
        session.csrf,
    )
}

/// Creates an account directly (as `user add` does, without the invitation step).
pub async fn account(state: &AppState, email: &str, role: &str, kommuner: &[&str]) -> i64 {
    use skaraborgskartan::auth::Role;
    let store = state.store().unwrap();
    let set = kommuner.iter().map(ToString::to_string).collect();
    store
        .invite(email, email, Role::parse(role).unwrap(), &set)
        .await
        .unwrap()
        .0
}

/// Creates an open survey round (last, as rounds are chronological) through the store, as the
/// samordnare's "Ny omgång" does, and serves it: the default round is closed and frozen, so
/// tests that edit answers edit them in a round of their own. Returns the round's id.
pub async fn open_round(state: &AppState, id: &str, name: &str) -> String {
    use skaraborgskartan::store::{Action, Changeset, Edit, ROUNDS, Scope};
    let mut e = Edit::new(&ROUNDS, None, None, Action::Save);
    for (k, v) in [
        ("id", id),
        ("name", name),
        ("kind", "survey"),
        ("collected", "2026"),
        ("note", "En omgång för test."),
        ("status", "open"),
    ] {
        e.fields.insert(k.into(), v.into());
    }
    // The example data set wants every source marked as such.
    let example =
        state.atlas().inventory.dataset.config.kind == skaraborgskartan::dataset::Kind::Example;
    e.source = if example {
        "EXEMPEL: en omgång för test".into()
    } else {
        "https://www.example.se/omgang".into()
    };
    let set = Changeset::new("test@example.se", Scope::Region, "edit", vec![e]);
    state.commit(set).await.unwrap();
    id.to_string()
}
