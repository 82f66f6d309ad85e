//! The HTTP caching contract of every cacheable route, as one table: ETag and 304 in every
//! encoding, gzip and brotli, HEAD, Cache-Control per surface, Vary, CORS, Link and downloads
//! (the checks are `common::assert_cacheable`). Also: errors are never stored.

mod common;

use std::collections::BTreeMap;

use axum::http::StatusCode;
use common::{Cacheable, IMMUTABLE, NO_CACHE, PUBLIC, example, get, real, request};
use skaraborgskartan::AppState;

const JSON: &str = "application/json";
const GEOJSON: &str = "application/geo+json";
const OPENAPI: &str = "application/vnd.oai.openapi+json;version=3.0";
const CSV: &str = "text/csv; charset=utf-8; header=present";
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const HTML: &str = "text/html; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";
const JS: &str = "text/javascript; charset=utf-8";
const SVG: &str = "image/svg+xml";

const SELF: Option<&[&str]> = Some(&["alternate", "self"]);
const PAGED: Option<&[&str]> = Some(&["alternate", "next", "prev", "self"]);
/// /ogc/api's own links are service-desc and service-doc, which the Link header leaves out: no
/// Link header.
const EMPTY: Option<&[&str]> = None;

const fn row(
    uri: &'static str,
    content_type: &'static str,
    cache_control: &'static str,
    cors: bool,
    vary_accept: bool,
    link: Option<&'static [&'static str]>,
    download: Option<&'static str>,
) -> Cacheable<'static> {
    Cacheable {
        uri,
        content_type,
        cache_control,
        cors,
        vary_accept,
        link,
        download,
    }
}

/// Every cacheable route. `{v}` stands for the asset's current fingerprint, as the pages link it.
#[rustfmt::skip]
const ROUTES: &[Cacheable] = &[
    //  uri                                                  content  Cache-     CORS   Vary   Link   download
    //                                                       type     Control          accept
    row("/api/v1/kommuner",                                  GEOJSON, PUBLIC,    true,  false, None,  None),
    row("/api/v1/kommuner?detail=low",                       GEOJSON, PUBLIC,    true,  false, None,  None),
    row("/api/v1/kommuner?detail=medium",                    GEOJSON, PUBLIC,    true,  false, None,  None),
    row("/api/v1/kommuner?detail=full",                      GEOJSON, PUBLIC,    true,  false, None,  None),
    row("/api/v1/kommuner/1496",                             JSON,    PUBLIC,    true,  false, None,  None),
    row("/api/v1/programmes",                                JSON,    PUBLIC,    true,  false, None,  None),
    row("/api/v1/programmes/marte-meo",                      JSON,    PUBLIC,    true,  false, None,  None),
    row("/api/v1/layers/offerings",                          GEOJSON, PUBLIC,    true,  false, None,  None),
    row("/api/v1/layers/offerings?age=5&level=universal",    GEOJSON, PUBLIC,    true,  false, None,  None),
    row("/api/v1/layers/sambu",                              GEOJSON, PUBLIC,    true,  false, None,  None),
    row("/api/v1/layers/partssamverkan",                     GEOJSON, PUBLIC,    true,  false, None,  None),
    row("/api/v1/layers/adherence",                          GEOJSON, PUBLIC,    true,  false, None,  None),
    row("/api/v1/layers/trainings",                          GEOJSON, PUBLIC,    true,  false, None,  None),
    row("/api/v1/coverage",                                  JSON,    PUBLIC,    true,  false, None,  None),
    row("/api/v1/coverage?kommun=1496",                      JSON,    PUBLIC,    true,  false, None,  None),
    row("/api/v1/locate?lat=58.39&lon=13.85",                JSON,    PUBLIC,    true,  false, None,  None),
    row("/api/v1/compare?kommuner=1496,1494",                JSON,    PUBLIC,    true,  false, None,  None),
    row("/api/v1/region",                                    JSON,    PUBLIC,    true,  false, None,  None),
    // Exports.
    row("/api/v1/export",                                    JSON,    PUBLIC,    true,  false, None,  None),
    row("/api/v1/export/matris",                             CSV,     PUBLIC,    true,  false, None,  Some("csv")),
    row("/api/v1/export/matris?profil=rfc4180",              CSV,     PUBLIC,    true,  false, None,  Some("csv")),
    row("/api/v1/export/erbjudanden",                        CSV,     PUBLIC,    true,  false, None,  Some("csv")),
    row("/api/v1/export/tackning",                           CSV,     PUBLIC,    true,  false, None,  Some("csv")),
    row("/api/v1/export/kommuner",                           CSV,     PUBLIC,    true,  false, None,  Some("csv")),
    row("/api/v1/export/sambu",                              CSV,     PUBLIC,    true,  false, None,  Some("csv")),
    row("/api/v1/export/partssamverkan",                     CSV,     PUBLIC,    true,  false, None,  Some("csv")),
    row("/api/v1/export/foljsamhet",                         CSV,     PUBLIC,    true,  false, None,  Some("csv")),
    row("/api/v1/export/utbildningar",                       CSV,     PUBLIC,    true,  false, None,  Some("csv")),
    row("/api/v1/export/matris?format=xlsx",                 XLSX,    PUBLIC,    true,  false, None,  Some("xlsx")),
    row("/api/v1/export/alla",                               XLSX,    PUBLIC,    true,  false, None,  Some("xlsx")),
    row("/api/v1/export/lager",                              GEOJSON, PUBLIC,    true,  false, None,  Some("geojson")),
    row("/api/v1/export/erbjudanden?format=geojson",         GEOJSON, PUBLIC,    true,  false, None,  Some("geojson")),
    // The DCAT-AP-SE catalogue of the exports.
    row("/datasets/dcat",                                    "application/rdf+xml", PUBLIC, true, false, None, None),
    row("/datasets/dcat.ttl",                                "text/turtle; charset=utf-8", PUBLIC, true, false, None, None),
    // OGC API – Features.
    row("/ogc",                                              JSON,    PUBLIC,    true,  true,  SELF,  None),
    row("/ogc/",                                             JSON,    PUBLIC,    true,  true,  SELF,  None),
    row("/ogc/conformance",                                  JSON,    PUBLIC,    true,  true,  SELF,  None),
    row("/ogc/api",                                          OPENAPI, PUBLIC,    true,  true,  EMPTY, None),
    row("/ogc/api.html",                                     HTML,    PUBLIC,    true,  true,  EMPTY, None),
    row("/ogc/collections",                                  JSON,    PUBLIC,    true,  true,  SELF,  None),
    row("/ogc/collections?f=html",                           HTML,    PUBLIC,    true,  true,  SELF,  None),
    row("/ogc/collections/kommuner",                         JSON,    PUBLIC,    true,  true,  SELF,  None),
    row("/ogc/collections/kommuner/items",                   GEOJSON, PUBLIC,    true,  true,  SELF,  None),
    row("/ogc/collections/kommuner/items?limit=5&offset=5",  GEOJSON, PUBLIC,    true,  true,  PAGED, None),
    row("/ogc/collections/kommuner/items?f=html",            HTML,    PUBLIC,    true,  true,  SELF,  None),
    row("/ogc/collections/kommuner/items/1496",              GEOJSON, PUBLIC,    true,  true,  SELF,  None),
    // Pages.
    row("/",                                                 HTML,    NO_CACHE,  false, false, None,  None),
    row("/?kommun=1472&age=13",                              HTML,    NO_CACHE,  false, false, None,  None),
    row("/?embed=1",                                         HTML,    NO_CACHE,  false, false, None,  None),
    row("/kommun/1496",                                      HTML,    NO_CACHE,  false, false, None,  None),
    row("/program/marte-meo",                                HTML,    NO_CACHE,  false, false, None,  None),
    row("/jamfor?kommuner=1496,1494",                        HTML,    NO_CACHE,  false, false, None,  None),
    row("/om",                                               HTML,    NO_CACHE,  false, false, None,  None),
    row("/tillganglighet",                                   HTML,    NO_CACHE,  false, false, None,  None),
    row("/lattlast",                                         HTML,    NO_CACHE,  false, false, None,  None),
    row("/en/",                                              HTML,    NO_CACHE,  false, false, None,  None),
    row("/en/?kommun=1472&age=13",                           HTML,    NO_CACHE,  false, false, None,  None),
    row("/en/?embed=1",                                      HTML,    NO_CACHE,  false, false, None,  None),
    row("/en/kommun/1496",                                   HTML,    NO_CACHE,  false, false, None,  None),
    row("/en/programme/marte-meo",                           HTML,    NO_CACHE,  false, false, None,  None),
    row("/en/about",                                         HTML,    NO_CACHE,  false, false, None,  None),
    row("/en/accessibility",                                 HTML,    NO_CACHE,  false, false, None,  None),
    // Assets: for ever under the current fingerprint, revalidated under any other address.
    row("/assets/style.css?v={v}",                           CSS,     IMMUTABLE, false, false, None,  None),
    row("/assets/app.js?v={v}",                              JS,      IMMUTABLE, false, false, None,  None),
    row("/assets/leaflet.js?v={v}",                          JS,      IMMUTABLE, false, false, None,  None),
    row("/assets/leaflet.css?v={v}",                         CSS,     IMMUTABLE, false, false, None,  None),
    row("/assets/favicon.svg?v={v}",                         SVG,     IMMUTABLE, false, false, None,  None),
    row("/assets/style.css",                                 CSS,     NO_CACHE,  false, false, None,  None),
    row("/assets/style.css?v=old",                           CSS,     NO_CACHE,  false, false, None,  None),
    row("/favicon.ico",                                      SVG,     NO_CACHE,  false, false, None,  None),
];

/// The table against one data set, for the routes whose bodies are at most `max_body` bytes, the
/// routes in parallel (compressing a large body takes a while). Across routes, two ETags are
/// equal exactly when the bodies are (the tag is the content's, not the address's).
async fn every_route_keeps_the_contract(state: AppState, max_body: usize) {
    let map = String::from_utf8(get(&state, "/").await.body).unwrap();
    let checks: Vec<_> = ROUTES
        .iter()
        .map(|row| {
            let uri = match row.uri.strip_suffix("?v={v}") {
                // The fingerprint the map page links (it links every asset).
                Some(asset) => {
                    let v = map
                        .split(&format!("\"{asset}?v="))
                        .nth(1)
                        .and_then(|s| s.split('"').next())
                        .unwrap_or_else(|| panic!("the map page links {asset}"));
                    format!("{asset}?v={v}")
                }
                None => row.uri.to_string(),
            };
            let state = state.clone();
            tokio::spawn(async move {
                if get(&state, &uri).await.body.len() > max_body {
                    return None;
                }
                Some(common::assert_cacheable(&state, &Cacheable { uri: &uri, ..*row }).await)
            })
        })
        .collect();
    let mut tags: BTreeMap<String, (Vec<u8>, &str)> = BTreeMap::new();
    for (row, check) in ROUTES.iter().zip(checks) {
        let Some(r) = check
            .await
            .unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()))
        else {
            continue;
        };
        let etag = r.header("etag").to_string();
        for (tag, (body, other)) in &tags {
            assert_eq!(
                tag == &etag,
                body == &r.body,
                "{} and {other}: {etag}, {tag}",
                row.uri
            );
        }
        tags.insert(etag, (r.body, row.uri));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_cacheable_route_keeps_the_contract_on_the_real_data() {
    every_route_keeps_the_contract(real(), usize::MAX).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_cacheable_route_keeps_the_contract_on_the_example_data() {
    // Brotli at quality 11 takes seconds for a body of 100 kB or more in a test build; the real
    // data has checked those routes already.
    every_route_keeps_the_contract(example(), 64 * 1024).await;
}

/// Errors are never stored nor revalidated; the public data's errors are readable cross-origin.
#[tokio::test]
async fn errors_are_never_stored() {
    let s = real();
    #[rustfmt::skip]
    let cases = [
        // uri                            status  content type CORS
        ("/api/v1/kommuner/9999",         404,    JSON,        true),
        ("/api/v1/kommuner?detail=max",   400,    JSON,        true),
        ("/api/v1/export/pengar",         404,    JSON,        true),
        ("/api/v1/export/matris?age=x",   400,    JSON,        true),
        // An address no route has: the fallback's JSON 404, readable cross-origin too.
        ("/api/v1/finns-inte",            404,    JSON,        true),
        ("/ogc/collections/vatten",       404,    JSON,        true),
        ("/ogc/collections?f=xml",        406,    JSON,        true),
        ("/ogc/finns/inte",               404,    JSON,        true),
        ("/kommun/9999",                  404,    HTML,        false),
        ("/?age=tretton",                 400,    HTML,        false),
        ("/nagot/annat",                  404,    HTML,        false),
        ("/en/kommun/9999",               404,    HTML,        false),
        ("/en/?age=tretton",              400,    HTML,        false),
        ("/en/nagot/annat",               404,    HTML,        false),
        ("/assets/finns-inte.css",        404,    JSON,        false),
    ];
    for (uri, status, content_type, cors) in cases {
        let headers = [("origin", "https://annan.example"), ("if-none-match", "*")];
        let r = request(&s, axum::http::Method::GET, uri, &headers).await;
        assert_eq!(
            r.status,
            StatusCode::from_u16(status).unwrap(),
            "{uri}: If-None-Match: * is no 304"
        );
        assert!(!r.body.is_empty(), "{uri}");
        assert_eq!(r.header("content-type"), content_type, "{uri}");
        assert_eq!(r.header("cache-control"), "no-store", "{uri}");
        assert_eq!(r.header("etag"), "", "{uri}: no ETag");
        assert_eq!(
            r.header("access-control-allow-origin") == "*",
            cors,
            "{uri}: CORS"
        );
    }
}
