//! Durability: the real server process (`serve --state DIR`) under a stream of edits through the
//! write API is killed with SIGKILL at random moments, again and again (SKK_KILLS, 20 by default;
//! `make soak` 100). After each kill the store opens, `PRAGMA integrity_check` is ok, every edit
//! the server acknowledged (a 200 received) is there exactly once in the history, no edit is half
//! there (the record's value, version and its history agree), and the record holds the last
//! acknowledged value or one sent after it. The restarted server serves what the store holds.
//! The seed of the kill moments is printed (set SKK_SEED to repeat a run).

mod common;

use std::io::Read;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rand::{Rng, SeedableRng};
use serde_json::{Value, json};
use skaraborgskartan::store::{HistoryFilter, Store, kind};

use common::process::{Process, agent, seeded_with_token};

/// The records edited, one stream each (two streams: edits meet in the writer, as in real use).
const STREAMS: [(&str, &str); 2] = [
    ("offerings", "1496/abc/offentliga-kallor"),
    ("contacts", "15"),
];

/// What one stream has sent and what the server acknowledged.
#[derive(Default)]
struct Ledger {
    /// (note, version) of every acknowledged edit, in order.
    acked: Vec<(String, i64)>,
    /// Notes sent since the last acknowledged one (their fate unknown).
    since_ack: Vec<String>,
    /// Every note ever sent.
    sent: Vec<String>,
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn record_url(base: &str, stream: usize) -> String {
    let (kind, key) = STREAMS[stream];
    format!("{base}/api/v1/admin/records/{kind}/{key}")
}

/// The record as the server serves it: (note, version).
fn served(base: &str, token: &str, stream: usize) -> (String, i64) {
    let r = agent()
        .get(&record_url(base, stream))
        .header("authorization", &format!("Bearer {token}"))
        .call()
        .unwrap();
    assert_eq!(r.status(), 200);
    let j: Value = serde_json::from_reader(r.into_body().into_reader()).unwrap();
    let note = j["fields"]["note"].as_str().unwrap().to_string();
    (note, j["version"].as_i64().unwrap())
}

/// Edits one record until the server goes away: each PUT based on the previous answer's version.
fn edit_stream(
    base: String,
    token: String,
    stream: usize,
    mut version: i64,
    counter: Arc<AtomicUsize>,
    ledger: Arc<Mutex<Ledger>>,
) {
    let agent = agent();
    loop {
        let n = counter.fetch_add(1, Ordering::SeqCst);
        let note = format!("edit {n}");
        {
            let mut l = ledger.lock().unwrap();
            l.since_ack.push(note.clone());
            l.sent.push(note.clone());
        }
        let body = json!({ "fields": { "note": note }, "source": "https://example.se/durability" });
        let answer = agent
            .put(&record_url(&base, stream))
            .header("authorization", &format!("Bearer {token}"))
            .header("if-match", &format!("\"v{version}\""))
            .header("content-type", "application/json")
            .send(body.to_string());
        let Ok(r) = answer else { return };
        let status = r.status().as_u16();
        let mut text = String::new();
        if r.into_body()
            .into_reader()
            .read_to_string(&mut text)
            .is_err()
        {
            return; // the answer was cut off: not acknowledged
        }
        assert_eq!(status, 200, "PUT {note}: {text}");
        let j: Value = serde_json::from_str(&text).unwrap();
        version = j["version"].as_i64().unwrap();
        assert_eq!(j["fields"]["note"], note.as_str());
        let mut l = ledger.lock().unwrap();
        l.acked.push((note, version));
        l.since_ack.clear();
    }
}

/// The store after a kill, opened directly: intact, every acknowledged edit there once, nothing
/// half there. Returns each stream's record as stored: (note, version, whether that is an edit
/// committed but never acknowledged).
async fn verify(state: &Path, ledgers: &[Arc<Mutex<Ledger>>]) -> Vec<(String, i64, bool)> {
    let store = Store::open(state)
        .await
        .expect("the store opens after a kill");
    let check: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(check, "ok");
    let mut out = Vec::new();
    for (stream, (kind_name, key)) in STREAMS.iter().enumerate() {
        let k = kind(kind_name).unwrap();
        let record = store.record(k, key).await.unwrap().unwrap();
        let note = record.field("note").to_string();
        let filter = HistoryFilter {
            kind: Some(kind_name.to_string()),
            key: Some(key.to_string()),
            ..HistoryFilter::default()
        };
        let history = store.history(&filter).await.unwrap();
        // The edit streams have stopped (the server is gone): the ledger is final for this life.
        let l = ledgers[stream].lock().unwrap();
        // Every logged change is one of ours, with its source.
        let mut logged: Vec<(String, i64)> = Vec::new();
        for c in &history {
            let new_note = c.fields.iter().find(|f| f.field == "note");
            let new_note = new_note.and_then(|f| f.new.clone()).unwrap_or_default();
            assert!(
                l.sent.contains(&new_note),
                "change {} sets {new_note:?}: never sent",
                c.id
            );
            assert_eq!(c.source, "https://example.se/durability");
            logged.push((new_note, c.version));
        }
        for (i, (n, _)) in logged.iter().enumerate() {
            assert!(
                !logged[..i].iter().any(|(m, _)| m == n),
                "{n} logged twice: {logged:?}"
            );
        }
        // Every acknowledged edit is there once, with the version that was acknowledged, in order.
        let mut at = 0;
        for (n, v) in &l.acked {
            let found = logged[at..].iter().position(|(m, _)| m == n);
            let found =
                found.unwrap_or_else(|| panic!("acknowledged {n} (v{v}) is not in the history"));
            assert_eq!(logged[at + found].1, *v, "{n}: version");
            at += found + 1;
        }
        // Record and history agree: the last logged change is what the record holds.
        match logged.last() {
            Some((last, version)) => {
                assert_eq!(
                    (&note, record.version),
                    (last, *version),
                    "record vs history"
                );
            }
            None => assert_eq!(record.version, 1),
        }
        // The record holds the last acknowledged edit, or one sent after it.
        let mut allowed: Vec<&String> = l.since_ack.iter().collect();
        if let Some((n, _)) = l.acked.last() {
            allowed.push(n);
        }
        assert!(
            allowed.contains(&&note) || (l.acked.is_empty() && logged.is_empty()),
            "{kind_name} {key} holds {note:?}, not one of {allowed:?}"
        );
        let unacknowledged = l.since_ack.contains(&note);
        out.push((note, record.version, unacknowledged));
    }
    store.close().await;
    out
}

#[test]
fn acknowledged_edits_survive_sigkill() {
    let kills: usize = std::env::var("SKK_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    let seed_value: u64 = std::env::var("SKK_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| {
            std::process::id() as u64 ^ skaraborgskartan::dates::now_seconds() as u64
        });
    eprintln!("durability: {kills} kills, SKK_SEED={seed_value}");
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed_value);
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path();
    let rt = runtime();
    let token = rt.block_on(seeded_with_token(state));
    let ledgers: Vec<Arc<Mutex<Ledger>>> = (0..STREAMS.len()).map(|_| Arc::default()).collect();
    let counter = Arc::new(AtomicUsize::new(1));
    let started = Instant::now();
    let mut stored: Option<Vec<(String, i64, bool)>> = None;
    let mut in_flight_committed = 0;
    for life in 0..kills {
        let mut server = Process::start(state);
        let base = server.base.clone();
        // The restarted server serves what the store held after the last kill.
        let versions: Vec<i64> = (0..STREAMS.len())
            .map(|s| {
                let (note, version) = served(&base, &token, s);
                if let Some(stored) = &stored {
                    assert_eq!((&note, version), (&stored[s].0, stored[s].1), "life {life}");
                }
                version
            })
            .collect();
        let threads: Vec<_> = (0..STREAMS.len())
            .map(|s| {
                let (base, token) = (base.clone(), token.clone());
                let (counter, ledger) = (counter.clone(), ledgers[s].clone());
                let version = versions[s];
                std::thread::spawn(move || edit_stream(base, token, s, version, counter, ledger))
            })
            .collect();
        std::thread::sleep(Duration::from_millis(rng.random_range(0..400)));
        server.kill(); // SIGKILL
        for t in threads {
            t.join().expect("an edit stream failed");
        }
        let now = rt.block_on(verify(state, &ledgers));
        in_flight_committed += now.iter().filter(|s| s.2).count();
        stored = Some(now);
    }
    let acked: usize = ledgers.iter().map(|l| l.lock().unwrap().acked.len()).sum();
    let sent: usize = ledgers.iter().map(|l| l.lock().unwrap().sent.len()).sum();
    eprintln!(
        "durability: {kills} kills in {:.1} s, {acked} of {sent} edits acknowledged, \
         {in_flight_committed} committed but killed before their answer",
        started.elapsed().as_secs_f64()
    );
    assert!(
        acked >= kills,
        "too few edits acknowledged to tell anything: {acked}"
    );
}

/// The round the import test imports into, opened in the store before the server starts.
const IMPORT_ROUND: &str = "prov-2026";

/// Seeds a store, adds an open survey round and a samordnare's session; returns the Cookie
/// header and the CSRF token.
async fn seeded_for_import(state: &Path) -> (String, String) {
    use skaraborgskartan::auth::Role;
    use skaraborgskartan::auth::sessions::{COOKIE, Stage};
    let data = common::process::root().join("geodata");
    let store = skaraborgskartan::server::open_store(state, &data, None)
        .await
        .unwrap();
    let atlas = skaraborgskartan::server::build_from_store(&store, None)
        .await
        .unwrap();
    let store = Arc::new(store);
    let app = skaraborgskartan::AppState::new(atlas).with_store(store.clone(), None);
    common::open_round(
        &app,
        IMPORT_ROUND,
        "Provomgång (bara i testets tillfälliga lager)",
    )
    .await;
    let (id, _) = store
        .invite(
            "berit@example.se",
            "Berit",
            Role::Samordnare,
            &Default::default(),
        )
        .await
        .unwrap();
    let (token, session) = store
        .start_session(Some(id), Stage::SignedIn, Default::default())
        .await
        .unwrap();
    store.close().await;
    (format!("{COOKIE}={token}"), session.csrf)
}

/// A template for every kommun × programme: 15 × 29 answers in one file.
fn whole_template(codes: &[String], slugs: &[String]) -> Vec<u8> {
    let mut out =
        b"\xEF\xBB\xBFkommunkod;programkod;status;k\xC3\xA4lla;senast bekr\xC3\xA4ftad\r\n"
            .to_vec();
    for k in codes {
        for p in slugs {
            out.extend_from_slice(format!("{k};{p};erbjuds;Provfil;2026-11\r\n").as_bytes());
        }
    }
    out
}

fn multipart(csrf: &str, file: &[u8]) -> (String, Vec<u8>) {
    let boundary = "skk-durability";
    let mut body = Vec::new();
    for (k, v) in [
        ("csrf", csrf),
        ("form", "template"),
        ("omgang", IMPORT_ROUND),
        ("kalla", "Provfil"),
        ("datum", "2026-11"),
    ] {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"fil\"; filename=\"prov.csv\"\r\n\r\n").as_bytes(),
    );
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// After a kill: the store intact, and each import either wholly there (every answer, its
/// changeset, the upload marked) or not at all; an undo likewise.
async fn verify_import(state: &Path, answers: usize) -> (usize, usize) {
    use skaraborgskartan::store::OFFERINGS;
    let store = Store::open(state)
        .await
        .expect("the store opens after a kill");
    let check: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(check, "ok");
    let present = store
        .records(&OFFERINGS)
        .await
        .unwrap()
        .iter()
        .filter(|r| r.field("round") == IMPORT_ROUND)
        .count();
    let applied: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT i.changeset_id, (SELECT COUNT(*) FROM changes c WHERE c.changeset_id = i.changeset_id) \
         FROM imports i WHERE i.changeset_id IS NOT NULL",
    )
    .fetch_all(store.pool())
    .await
    .unwrap();
    for (set, n) in &applied {
        assert_eq!(*n as usize, answers, "changeset {set} is whole");
    }
    let undone: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM changesets WHERE kind = 'import' AND undone_by IS NOT NULL",
    )
    .fetch_one(store.pool())
    .await
    .unwrap();
    // All or nothing: the round's answers are there exactly when an import stands un-undone.
    let standing = applied.len() - undone as usize;
    assert!(standing <= 1, "{standing} imports stand at once");
    assert_eq!(present, standing * answers, "answers vs applied imports");
    store.close().await;
    (applied.len(), undone as usize)
}

#[test]
fn an_import_killed_while_applying_is_all_or_nothing() {
    let kills: usize = std::env::var("SKK_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .map_or(6, |k: usize| (k / 4).max(6));
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path();
    let rt = runtime();
    let (cookie, csrf) = rt.block_on(seeded_for_import(state));
    let (codes, slugs) = {
        let inv = skaraborgskartan::inventory::load(&common::process::root().join("geodata"), None)
            .unwrap();
        let codes: Vec<String> = inv.boundaries.iter().map(|b| b.code.clone()).collect();
        let slugs: Vec<String> = inv.programmes.iter().map(|p| p.slug.clone()).collect();
        (codes, slugs)
    };
    let answers = codes.len() * slugs.len();
    let file = whole_template(&codes, &slugs);
    let mut rng = rand::rngs::StdRng::seed_from_u64(std::process::id() as u64);
    let (mut applied_seen, mut undone_seen, mut cut_off) = (0, 0, 0);
    for i in 0..kills {
        let mut server = Process::start(state);
        // Redirects not followed: a 303 is the acknowledgement.
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_global(Some(Duration::from_secs(20)))
            .build()
            .into();
        let (applied, undone) = (applied_seen, undone_seen);
        let standing = applied > undone;
        // Undo the standing import, or import the file (a new upload each time).
        let (url, form) = if standing {
            let id: i64 = rt.block_on(async {
                let store = Store::open(state).await.unwrap();
                let id = sqlx::query_scalar(
                    "SELECT MAX(id) FROM imports WHERE changeset_id IS NOT NULL",
                )
                .fetch_one(store.pool())
                .await
                .unwrap();
                store.close().await;
                id
            });
            (
                format!("{}/admin/import/{id}/angra", server.base),
                format!("csrf={csrf}"),
            )
        } else {
            let (ct, body) = multipart(&csrf, &file);
            let up = agent
                .post(&format!("{}/admin/import/ladda-upp", server.base))
                .header("cookie", &cookie)
                .header("content-type", &ct)
                .send(&body[..])
                .unwrap();
            assert_eq!(up.status(), 303, "upload: {}", server.log());
            let at = up
                .headers()
                .get("location")
                .unwrap()
                .to_str()
                .unwrap()
                .to_string();
            let mut page = String::new();
            agent
                .get(&format!("{}{at}", server.base))
                .header("cookie", &cookie)
                .call()
                .unwrap()
                .into_body()
                .into_reader()
                .read_to_string(&mut page)
                .unwrap();
            let marker = r#"name="plan" value=""#;
            let d = &page[page.find(marker).expect("an apply form") + marker.len()..];
            let digest = &d[..d.find('"').unwrap()];
            (
                format!("{}{at}/genomfor", server.base),
                format!("csrf={csrf}&plan={digest}"),
            )
        };
        let poster = {
            let (url, cookie) = (url.clone(), cookie.clone());
            std::thread::spawn(move || {
                agent
                    .post(&url)
                    .header("cookie", &cookie)
                    .header("content-type", "application/x-www-form-urlencoded")
                    .send(form)
                    .map(|r| r.status().as_u16())
                    .ok()
            })
        };
        // Somewhere inside the apply (hundreds of milliseconds for 435 answers), or after it.
        std::thread::sleep(Duration::from_millis(rng.random_range(0..600)));
        server.kill();
        let answered = poster.join().unwrap();
        cut_off += usize::from(answered.is_none());
        let (a, u) = rt.block_on(verify_import(state, answers));
        if answered == Some(303) {
            assert!(
                a > applied || u > undone,
                "round {i}: acknowledged but not there"
            );
        }
        (applied_seen, undone_seen) = (a, u);
    }
    println!(
        "import kills: {kills} ({cut_off} before the answer), imports applied {applied_seen}, undone {undone_seen}"
    );
}
