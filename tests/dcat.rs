//! The DCAT-AP-SE catalogue (`/datasets/dcat`), read as Sveriges dataportal would: rdflib (from
//! PyPI, in target/test-venv, which `tools/deps.sh test` installs) parses it from a real socket
//! and checks DIGG's mandatory classes and properties, the vocabularies, every download URL and
//! the example-data labels (`tests/dcat/check.py`).

mod common;

use std::path::Path;
use std::process::Command;

use axum::http::{Method, StatusCode};
use skaraborgskartan::AppState;
use skaraborgskartan::site::{PageOptions, Site};

/// The data of `dir` served with a configured public address (the socket's own) and contact.
async fn served(dir: &Path, contact: Option<&str>) -> common::Served {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let options = PageOptions {
        public_url: Some(base.clone()),
        configured_url: Some(base),
        contact_email: contact.map(str::to_string),
        ..PageOptions::default()
    };
    let atlas = skaraborgskartan::server::build(dir, None).unwrap();
    let state = AppState::with_site(atlas, Site::load(Path::new("web"), options));
    common::serve_on(listener, state)
}

/// Runs the rdflib check against a served catalogue; its JSON summary.
fn check(base: &str, mode: &str) -> serde_json::Value {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let python = root.join("target/test-venv/bin/python");
    assert!(
        python.exists(),
        "the DCAT test needs rdflib in target/test-venv: run `tools/deps.sh test` (or `make test`)"
    );
    let out = Command::new(python)
        .arg(root.join("tests/dcat/check.py"))
        .args([base, mode])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "the catalogue fails DCAT-AP-SE ({mode}):\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn rdflib_finds_every_mandatory_class_and_property_and_every_file_answers() {
    for (dir, mode) in [
        (common::geodata(), "--real"),
        (common::geodata().join("example"), "--example"),
    ] {
        let s = served(&dir, Some("oppnadata@example.se")).await;
        let url = s.url();
        let summary = tokio::task::spawn_blocking(move || check(&url, mode))
            .await
            .unwrap();
        // Nine tables; CSV twice, XLSX and GeoJSON each (the matrix has no GeoJSON), and the
        // seven OGC collections.
        assert_eq!(summary["datasets"], 9, "{summary}");
        assert_eq!(summary["distributions"], 9 * 4 - 1 + 7, "{summary}");
        assert_eq!(summary["fetched"], summary["distributions"], "{summary}");
        assert_eq!(summary["contact_points"], 1, "{summary}");
        assert_eq!(summary["services"], 1, "{summary}");
        s.stop().await;
    }
}

#[tokio::test]
async fn the_catalogue_is_one_body_whatever_the_host_and_names_no_contact_it_does_not_have() {
    let state = common::example();
    let plain = common::get(&state, "/datasets/dcat").await;
    assert_eq!(plain.status, StatusCode::OK);
    assert_eq!(plain.header("content-type"), "application/rdf+xml");
    // A client's Host or Forwarded header does not mint addresses (nor cache entries).
    let forged = common::request(
        &state,
        Method::GET,
        "/datasets/dcat",
        &[
            ("host", "angripare.invalid"),
            ("x-forwarded-host", "angripare.invalid"),
        ],
    )
    .await;
    assert_eq!(forged.body, plain.body);
    assert_eq!(forged.header("etag"), plain.header("etag"));
    let text = String::from_utf8(plain.body).unwrap();
    assert!(!text.contains("angripare"));
    // No e-mail address configured: no contact point, rather than one without an address.
    assert!(
        !text.contains("contactPoint") && !text.contains("vcard:"),
        "{text}"
    );
    // The data's terms are the project's own words, not a licence it never granted.
    assert!(text.contains("Övriga uppgifter kommer från de källor som anges per rad"));
    let ttl = common::get(&state, "/datasets/dcat.ttl").await;
    assert_eq!(ttl.header("content-type"), "text/turtle; charset=utf-8");
    assert!(
        String::from_utf8(ttl.body)
            .unwrap()
            .contains("a dcat:Catalog")
    );
    // Strict like the rest of the API: an unknown parameter is a Swedish 400.
    let bad = common::get(&state, "/datasets/dcat?format=jsonld").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(
        bad.error_message().contains("format"),
        "{}",
        bad.error_message()
    );
    // Found from the export index and from /om.
    let index = common::get(&state, "/api/v1/export").await.json();
    assert_eq!(index["dcat"], "/datasets/dcat");
    let om = String::from_utf8(common::get(&state, "/om").await.body).unwrap();
    assert!(
        om.contains("href=\"/datasets/dcat\""),
        "/om links the catalogue"
    );
}
