//! OGC API – Features under /ogc: links, OpenAPI, paging, bbox, filters, errors, HTML, and a real
//! OGC client (GDAL's ogrinfo, OAPIF driver) against the service on a socket.

mod common;

use std::collections::{BTreeSet, VecDeque};

use axum::http::{Method, StatusCode};
use common::{Reply, example, real, request};
use serde_json::Value;
use skaraborgskartan::AppState;

const HOST: &str = "kartan.exempel.se";
const BASE: &str = "http://kartan.exempel.se";

/// A GET as a client on HOST would send it; absolute hrefs are made relative.
async fn get(s: &AppState, uri: &str) -> Reply {
    let uri = uri.strip_prefix(BASE).unwrap_or(uri);
    request(s, Method::GET, uri, &[("host", HOST)]).await
}

async fn json(s: &AppState, uri: &str) -> Value {
    let r = get(s, uri).await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "{uri}: {}",
        String::from_utf8_lossy(&r.body)
    );
    r.json()
}

fn links(v: &Value) -> Vec<Value> {
    v["links"].as_array().cloned().unwrap_or_default()
}

fn href(v: &Value, rel: &str) -> Option<String> {
    links(v)
        .iter()
        .find(|l| l["rel"] == rel)
        .map(|l| l["href"].as_str().unwrap().to_string())
}

/// The OGC exception shape with the status.
fn assert_exception(r: &Reply, status: u16, starts: &str) {
    assert_eq!(
        r.status.as_u16(),
        status,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    let j = r.json();
    assert!(j["code"].is_string(), "{j}");
    let d = j["description"].as_str().unwrap();
    assert!(d.starts_with(starts), "{d}");
}

const COLLECTIONS: [&str; 7] = [
    "kommuner",
    "erbjudanden",
    "tackning",
    "sambu",
    "partssamverkan",
    "foljsamhet",
    "utbildningar",
];

#[tokio::test]
async fn landing_page_has_the_links_qgis_needs_with_and_without_slash() {
    let s = example();
    for uri in ["/ogc", "/ogc/", "/ogc/?f=json"] {
        let r = request(
            &s,
            Method::GET,
            uri,
            &[("host", HOST), ("accept", "application/json")],
        )
        .await;
        assert_eq!(r.status, StatusCode::OK);
        let j = r.json();
        assert!(j["title"].as_str().unwrap().contains("Skaraborg"));
        for (rel, media) in [
            ("self", "application/json"),
            ("alternate", "text/html"),
            (
                "service-desc",
                "application/vnd.oai.openapi+json;version=3.0",
            ),
            ("service-doc", "text/html"),
            ("conformance", "application/json"),
            ("data", "application/json"),
        ] {
            let l = links(&j)
                .into_iter()
                .find(|l| l["rel"] == rel)
                .unwrap_or_else(|| panic!("no {rel}"));
            assert_eq!(l["type"], media, "{rel}");
            assert!(
                l["href"].as_str().unwrap().starts_with(BASE),
                "absolute href"
            );
        }
    }
    let j = json(&s, "/ogc/conformance").await;
    let c: Vec<&str> = j["conformsTo"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    for class in ["core", "geojson", "html", "oas30"] {
        assert!(c.contains(
            &format!("http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/{class}").as_str()
        ));
    }
    // Behind a proxy the links follow X-Forwarded-*.
    let r = request(
        &s,
        Method::GET,
        "/ogc/",
        &[
            ("host", "intern:8080"),
            ("x-forwarded-proto", "https"),
            ("x-forwarded-host", "karta.se"),
        ],
    )
    .await;
    assert!(
        href(&r.json(), "data")
            .unwrap()
            .starts_with("https://karta.se/ogc/")
    );
}

#[tokio::test]
async fn every_link_resolves() {
    let s = example();
    let mut queue = VecDeque::from(["/ogc/".to_string()]);
    let mut seen = BTreeSet::new();
    while let Some(uri) = queue.pop_front() {
        if !seen.insert(uri.clone()) || seen.len() > 400 {
            continue;
        }
        let r = get(&s, &uri).await;
        assert_eq!(r.status, StatusCode::OK, "{uri}");
        if !r.header("content-type").contains("json") {
            continue;
        }
        let j = r.json();
        let mut found = links(&j);
        for c in j["collections"].as_array().into_iter().flatten() {
            found.extend(links(c));
        }
        for f in j["features"].as_array().into_iter().flatten().take(2) {
            let coll = uri.split("/items").next().unwrap().to_string();
            found.push(serde_json::json!({ "href": format!("{coll}/items/{}", f["id"].as_str().unwrap()) }));
        }
        for l in found {
            let h = l["href"].as_str().unwrap();
            let h = h.strip_prefix(BASE).unwrap_or(h);
            let h = h.split('#').next().unwrap().to_string();
            if h.starts_with("/ogc") && !seen.contains(&h) {
                queue.push_back(h);
            }
        }
    }
    for c in COLLECTIONS {
        assert!(
            seen.iter()
                .any(|u| u.starts_with(&format!("/ogc/collections/{c}/items/"))),
            "{c}"
        );
    }
    assert!(seen.contains("/ogc/api") && seen.contains("/ogc/api.html"));
}

#[tokio::test]
async fn openapi_document_parses_and_names_every_path_and_parameter() {
    let s = example();
    let r = get(&s, "/ogc/api").await;
    assert_eq!(
        r.header("content-type"),
        "application/vnd.oai.openapi+json;version=3.0"
    );
    let doc = r.json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.0"));
    let paths = doc["paths"].as_object().unwrap();
    let mut expected = vec![
        "/".to_string(),
        "/conformance".into(),
        "/api".into(),
        "/api.html".into(),
        "/collections".into(),
    ];
    for c in COLLECTIONS {
        expected.push(format!("/collections/{c}"));
        expected.push(format!("/collections/{c}/items"));
        expected.push(format!("/collections/{c}/items/{{featureId}}"));
    }
    let names: BTreeSet<&str> = paths.keys().map(String::as_str).collect();
    assert_eq!(names, expected.iter().map(String::as_str).collect());
    let limit = &doc["components"]["parameters"]["limit"]["schema"];
    assert_eq!(limit["default"], 100);
    assert_eq!(limit["maximum"], 1000);
    // Every declared parameter is accepted (never "unknown"), with a sample value.
    for c in COLLECTIONS {
        for p in paths[&format!("/collections/{c}/items")]["get"]["parameters"]
            .as_array()
            .unwrap()
        {
            let p = match p["$ref"].as_str() {
                Some(r) => &doc["components"]["parameters"][r.rsplit('/').next().unwrap()],
                None => {
                    assert_eq!(p["style"], "form");
                    assert_eq!(p["explode"], false);
                    p
                }
            };
            let name = p["name"].as_str().unwrap();
            let value = match name {
                "f" => "json",
                "limit" | "alder" => "5",
                "offset" => "0",
                "bbox" => "13,58,14,59",
                "datetime" => "2024-01-01T00:00:00Z/..",
                "kommunkod" => "1496",
                "omgang" => "exempel-2024",
                "niva" => "universal",
                _ => "x",
            };
            let r = get(&s, &format!("/ogc/collections/{c}/items?{name}={value}")).await;
            assert_eq!(
                r.status,
                StatusCode::OK,
                "{c} {name}: {}",
                String::from_utf8_lossy(&r.body)
            );
        }
    }
    assert!(
        get(&s, "/ogc/api.html")
            .await
            .header("content-type")
            .starts_with("text/html")
    );
}

#[tokio::test]
async fn paging_walks_every_item_exactly_once() {
    let s = example();
    for c in COLLECTIONS {
        let meta = json(&s, &format!("/ogc/collections/{c}")).await;
        let count = meta["itemCount"].as_u64().unwrap() as usize;
        let mut next = Some(format!("/ogc/collections/{c}/items?limit=7"));
        let mut ids = Vec::new();
        let mut pages = 0;
        while let Some(uri) = next {
            let r = get(&s, &uri).await;
            assert_eq!(r.header("content-type"), "application/geo+json");
            let j = r.json();
            assert_eq!(j["numberMatched"].as_u64().unwrap() as usize, count);
            let features = j["features"].as_array().unwrap();
            assert_eq!(
                j["numberReturned"].as_u64().unwrap() as usize,
                features.len()
            );
            assert!(features.len() <= 7);
            ids.extend(
                features
                    .iter()
                    .map(|f| f["id"].as_str().unwrap().to_string()),
            );
            for l in links(&j)
                .iter()
                .filter(|l| l["rel"] == "next" || l["rel"] == "prev")
            {
                assert_eq!(l["type"], "application/geo+json");
            }
            assert_eq!(href(&j, "prev").is_some(), pages > 0);
            next = href(&j, "next");
            if next.is_some() {
                assert!(
                    r.header("link").contains("rel=\"next\""),
                    "Link header mirrors next"
                );
            }
            pages += 1;
        }
        assert_eq!(ids.len(), count, "{c}");
        assert_eq!(
            ids.iter().collect::<BTreeSet<_>>().len(),
            count,
            "{c}: no id twice"
        );
        assert_eq!(pages, count.div_ceil(7).max(1));
    }
}

#[tokio::test]
async fn bbox_selects_what_intersects() {
    let s = example();
    let a = s.atlas();
    let skovde = &a.kommuner()[a.kommun_index("1496").unwrap()];
    let all = json(&s, "/ogc/collections/kommuner/items?bbox=10,55,20,60").await;
    assert_eq!(all["numberMatched"], 15);
    let none = json(&s, "/ogc/collections/kommuner/items?bbox=0,0,1,1").await;
    assert_eq!(none["numberMatched"], 0);
    assert_eq!(none["features"].as_array().unwrap().len(), 0);
    // A tiny box around a point inside Skövde: Skövde, and only kommuner that reach the box.
    let (x, y) = skovde.label;
    let j = json(
        &s,
        &format!(
            "/ogc/collections/kommuner/items?bbox={},{},{},{}",
            x - 0.001,
            y - 0.001,
            x + 0.001,
            y + 0.001
        ),
    )
    .await;
    let ids: Vec<&str> = j["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["1496"]);
    // Six numbers (with heights) work; erbjudanden are points inside their kommun.
    let j = json(
        &s,
        &format!(
            "/ogc/collections/erbjudanden/items?limit=1000&bbox={},{},0,{},{},100",
            x - 0.001,
            y - 0.001,
            x + 0.001,
            y + 0.001
        ),
    )
    .await;
    let features = j["features"].as_array().unwrap();
    assert!(!features.is_empty());
    assert!(
        features
            .iter()
            .all(|f| f["properties"]["kommunkod"] == "1496")
    );
    // The box of each kommun contains it.
    for k in a.kommuner() {
        let [x0, y0, x1, y1] = k.bbox;
        let j = json(
            &s,
            &format!("/ogc/collections/sambu/items?bbox={x0},{y0},{x1},{y1}"),
        )
        .await;
        assert!(
            j["features"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f["id"] == k.code.as_str())
        );
    }
}

#[tokio::test]
async fn property_filters_and_single_features() {
    let s = example();
    let j = json(
        &s,
        "/ogc/collections/erbjudanden/items?limit=1000&status=okänt",
    )
    .await;
    let n_unknown = j["numberMatched"].as_u64().unwrap();
    assert!(
        j["features"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["properties"]["status"] == "okänt")
    );
    let j = json(
        &s,
        "/ogc/collections/erbjudanden/items?limit=1000&status=unknown",
    )
    .await;
    assert_eq!(
        j["numberMatched"].as_u64().unwrap(),
        n_unknown,
        "code or text"
    );
    let j = json(
        &s,
        "/ogc/collections/erbjudanden/items?limit=1000&alder=13&niva=indicated&kommunkod=1496,1494",
    )
    .await;
    assert!(j["numberMatched"].as_u64().unwrap() > 0);
    for f in j["features"].as_array().unwrap() {
        let p = &f["properties"];
        assert!(p["alder_min"].as_i64().unwrap() <= 13 && 13 <= p["alder_max"].as_i64().unwrap());
        assert!(p["nivakod"].as_str().unwrap().contains("indicated"));
        assert!(p["niva"].as_str().unwrap().contains("indikerad"));
        assert!(p["kommunkod"] == "1496" || p["kommunkod"] == "1494");
    }
    // The Swedish text filters as well as the code.
    let by_text = json(
        &s,
        "/ogc/collections/erbjudanden/items?limit=1000&alder=13&niva=indikerad&kommunkod=1496,1494",
    )
    .await;
    assert_eq!(by_text["numberMatched"], j["numberMatched"]);
    let j = json(
        &s,
        "/ogc/collections/tackning/items?omgang=exempel-2021&niva=alla%20niv%C3%A5er",
    )
    .await;
    assert_eq!(j["numberMatched"], 15);
    let j = json(
        &s,
        "/ogc/collections/tackning/items?omgang=exempel-2021&niva=all",
    )
    .await;
    assert_eq!(j["numberMatched"], 15);
    // A single feature: id as in the path, links self, alternate, collection.
    let f = json(
        &s,
        "/ogc/collections/erbjudanden/items/1496-abc-exempel-2024",
    )
    .await;
    assert_eq!(f["type"], "Feature");
    assert_eq!(f["id"], "1496-abc-exempel-2024");
    assert_eq!(f["properties"]["kommun"], "Skövde");
    assert_eq!(f["properties"]["exempeldata"], true);
    for rel in ["self", "alternate", "collection"] {
        assert!(href(&f, rel).is_some(), "{rel}");
    }
    let f = json(&s, "/ogc/collections/kommuner/items/1496").await;
    assert!(matches!(
        f["geometry"]["type"].as_str(),
        Some("Polygon" | "MultiPolygon")
    ));
    // Real data: no example flag, and okänt kept apart.
    let j = json(
        &real(),
        "/ogc/collections/erbjudanden/items?kommunkod=1496&limit=1000",
    )
    .await;
    let f0 = &j["features"][0]["properties"];
    assert!(f0.get("exempeldata").is_none());
    assert!(
        j["features"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["properties"]["status"] == "okänt")
    );
}

#[tokio::test]
async fn errors_have_the_ogc_shape() {
    let s = example();
    assert_exception(
        &get(&s, "/ogc/collections/kommuner/items?limit=0").await,
        400,
        "limit:",
    );
    assert_exception(
        &get(&s, "/ogc/collections/kommuner/items?limit=abc").await,
        400,
        "limit:",
    );
    assert_exception(
        &get(&s, "/ogc/collections/kommuner/items?offset=-1").await,
        400,
        "offset:",
    );
    assert_exception(
        &get(&s, "/ogc/collections/kommuner/items?bbox=1,2,3,4,5").await,
        400,
        "bbox:",
    );
    assert_exception(
        &get(&s, "/ogc/collections/kommuner/items?bbox=a,b,c,d").await,
        400,
        "bbox:",
    );
    assert_exception(
        &get(&s, "/ogc/collections/kommuner/items?bbox=13,59,14,58").await,
        400,
        "bbox:",
    );
    assert_exception(
        &get(&s, "/ogc/collections/kommuner/items?datetime=igår").await,
        400,
        "datetime:",
    );
    assert_exception(
        &get(&s, "/ogc/collections/kommuner/items?farg=röd").await,
        400,
        "Okänd parameter",
    );
    assert_exception(
        &get(&s, "/ogc/collections/erbjudanden/items?alder=tonåring").await,
        400,
        "alder:",
    );
    assert_exception(
        &get(&s, "/ogc/collections/kommuner/items?omgang=1999").await,
        400,
        "omgang:",
    );
    assert_exception(&get(&s, "/ogc/collections/vatten").await, 404, "Samlingen");
    assert_exception(
        &get(&s, "/ogc/collections/vatten/items").await,
        404,
        "Samlingen",
    );
    assert_exception(
        &get(&s, "/ogc/collections/kommuner/items/9999").await,
        404,
        "Objektet",
    );
    assert_exception(&get(&s, "/ogc/finns/inte").await, 404, "Adressen");
    assert_exception(&get(&s, "/ogc/collections?f=xml").await, 406, "f:");
    let r = request(
        &s,
        Method::GET,
        "/ogc/collections",
        &[("accept", "image/png")],
    )
    .await;
    assert_exception(&r, 406, "Accept:");
    // Above the maximum is clamped, not an error.
    let j = json(&real(), "/ogc/collections/erbjudanden/items?limit=5000").await;
    assert!(j["numberMatched"].as_u64().unwrap() > 1000);
    assert_eq!(j["numberReturned"], 1000);
    assert!(href(&j, "next").unwrap().contains("offset=1000"));
    assert!(href(&j, "self").unwrap().contains("limit=1000"));
}

#[tokio::test]
async fn html_views_and_negotiation() {
    let s = example();
    for uri in [
        "/ogc/?f=html",
        "/ogc/conformance?f=html",
        "/ogc/collections?f=html",
        "/ogc/collections/kommuner?f=html",
        "/ogc/collections/erbjudanden/items?f=html&limit=5",
        "/ogc/collections/kommuner/items/1496?f=html",
        "/ogc/api.html",
        "/ogc/api?f=html",
    ] {
        let r = get(&s, uri).await;
        assert_eq!(r.status, StatusCode::OK, "{uri}");
        assert_eq!(
            r.header("content-type"),
            "text/html; charset=utf-8",
            "{uri}"
        );
        let html = String::from_utf8(r.body.clone()).unwrap();
        assert!(
            html.contains("<html lang=\"sv\">") && html.contains("<a href="),
            "{uri}"
        );
        assert!(html.contains("Exempeldata"), "{uri}: example data is said");
    }
    let html = String::from_utf8(
        get(&s, "/ogc/collections/erbjudanden/items?f=html&limit=5")
            .await
            .body,
    )
    .unwrap();
    assert!(
        html.contains("<caption>") && html.contains("scope=\"col\"") && html.contains("av 870")
    );
    // Accept negotiation: a browser gets HTML, QGIS JSON.
    let browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    let r = request(&s, Method::GET, "/ogc/collections", &[("accept", browser)]).await;
    assert!(r.header("content-type").starts_with("text/html"));
    let r = request(
        &s,
        Method::GET,
        "/ogc/collections",
        &[("accept", "application/json")],
    )
    .await;
    assert_eq!(r.header("content-type"), "application/json");
    assert!(r.header("vary").contains("accept"));
}

/// Runs ogrinfo (GDAL's OAPIF driver) against the service; returns its standard output.
fn ogrinfo(args: &[String]) -> String {
    let out = std::process::Command::new("ogrinfo")
        .args(args)
        .env("GDAL_HTTP_TIMEOUT", "30")
        .output()
        .expect("ogrinfo (Debian gdal-bin) is installed by `tools/deps.sh test`");
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "ogrinfo {args:?}: {stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gdal_ogrinfo_reads_every_collection() {
    let s = example();
    let served = common::serve(s.clone()).await;
    let url = format!("OAPIF:{}/ogc", served.url());
    let expected: Vec<(String, usize)> = {
        let mut v = Vec::new();
        for c in COLLECTIONS {
            let j = json(&s, &format!("/ogc/collections/{c}")).await;
            v.push((c.to_string(), j["itemCount"].as_u64().unwrap() as usize));
        }
        v
    };
    let counts: Vec<usize> = expected.iter().map(|(_, n)| *n).collect();
    let (list, summaries, all) = tokio::task::spawn_blocking(move || {
        let list = ogrinfo(&["-ro".into(), "-q".into(), url.clone()]);
        let summaries: Vec<String> = expected
            .iter()
            .map(|(c, _)| ogrinfo(&["-ro".into(), "-so".into(), url.clone(), c.clone()]))
            .collect();
        // Reads every feature of the largest collection, following the next links.
        let all = ogrinfo(&[
            "-ro".into(),
            "-al".into(),
            "-q".into(),
            url.clone(),
            "erbjudanden".into(),
        ]);
        (
            list,
            summaries,
            all.lines().filter(|l| l.starts_with("OGRFeature")).count(),
        )
    })
    .await
    .unwrap();
    for c in COLLECTIONS {
        assert!(list.contains(&format!(": {c} (title: ")), "{list}");
    }
    for ((summary, c), n) in summaries.iter().zip(COLLECTIONS).zip(counts) {
        assert!(summary.contains(&format!("Layer name: {c}")), "{summary}");
        assert!(
            summary.contains(&format!("Feature Count: {n}")),
            "{c}: {summary}"
        );
        assert!(summary.contains("kommunkod: String"), "{summary}");
        assert!(summary.contains("kommun: String"), "{summary}");
    }
    let kommuner = &summaries[0];
    assert!(kommuner.contains("Feature Count: 15"), "{kommuner}");
    assert!(kommuner.contains("tackning_andel: Real"), "{kommuner}");
    assert!(kommuner.contains("antal_okant: Integer"), "{kommuner}");
    assert!(summaries[1].contains("Geometry: Point"), "{}", summaries[1]);
    assert_eq!(all, 870, "every erbjudande, across pages");
    served.stop().await;
}
