//! Sources and citations, familjecentraler and other parenting support (issue 13): no `seed:`
//! anywhere a person or a program reads, citations in the API, pages and exports, "Din
//! familjecentral" on the cards and the kommun page, the familjecentraler layer (okänt never
//! "finns inte", a point only where a source gives one), the desk's forms, and a store seeded
//! before the sources table upgraded on open.

mod common;

use std::io::Cursor;
use std::path::Path;

use axum::http::StatusCode;
use calamine::{Reader, Xlsx, open_workbook_from_rs};
use common::admin::{self, person};
use common::{example, geodata, get, real};
use skaraborgskartan::AppState;
use skaraborgskartan::store::{Store, StoreFiles};

/// Every address a person or a program may read from a data set: every page (each kommun with
/// and without an age, each programme, each map layer and round), every API route, every
/// export in every format and profile, and every OGC collection's items and pages.
fn outputs(state: &AppState) -> Vec<String> {
    let a = state.atlas();
    let mut uris: Vec<String> = [
        "/",
        "/om",
        "/tillganglighet",
        "/jamfor",
        "/api/v1/kommuner?detail=low",
        "/api/v1/kommuner?detail=medium",
        "/api/v1/kommuner?detail=full",
        "/api/v1/programmes",
        "/api/v1/region",
        "/api/v1/sources",
        "/api/v1/coverage",
        "/api/v1/export",
        "/ogc",
        "/ogc/collections",
        "/ogc/api",
    ]
    .map(String::from)
    .to_vec();
    let codes: Vec<String> = a.kommuner().iter().map(|k| k.code.clone()).collect();
    uris.push(format!("/jamfor?kommuner={}", codes.join(",")));
    uris.push(format!("/api/v1/compare?kommuner={}", codes.join(",")));
    for k in &codes {
        uris.push(format!("/kommun/{k}"));
        uris.push(format!("/kommun/{k}?age=13"));
        uris.push(format!("/?kommun={k}&age=4"));
        uris.push(format!("/api/v1/kommuner/{k}"));
    }
    for k in a.kommuner() {
        let (x, y) = k.label;
        uris.push(format!("/api/v1/locate?lat={y}&lon={x}"));
        let rounds: Vec<&str> = a.inventory.rounds.iter().map(|r| r.id.as_str()).collect();
        uris.push(format!(
            "/api/v1/compare?kommuner={}&round={}",
            k.code,
            rounds[..2.min(rounds.len())].join(",")
        ));
    }
    for r in &a.inventory.rounds {
        uris.push(format!("/?round={}", r.id));
        uris.push(format!("/kommun/1472?round={}", r.id));
    }
    for p in a.programmes() {
        uris.push(format!("/program/{}", p.slug));
        uris.push(format!("/program/{}?kommun=1496", p.slug));
        uris.push(format!("/api/v1/programmes/{}", p.slug));
    }
    uris.push("/?layer=coverage".into());
    for layer in skaraborgskartan::views::Layer::ALL {
        let layer = layer.code();
        uris.push(format!("/?layer={layer}"));
        uris.push(format!("/api/v1/layers/{layer}"));
        uris.push(format!("/api/v1/export/lager?layer={layer}"));
    }
    for table in skaraborgskartan::export::tables::TableKind::ALL {
        let t = table.code();
        uris.push(format!("/api/v1/export/{t}?format=csv&profil=excel"));
        uris.push(format!("/api/v1/export/{t}?format=csv&profil=rfc4180"));
        uris.push(format!("/api/v1/export/{t}?format=xlsx"));
        if t != "matris" {
            uris.push(format!("/api/v1/export/{t}?format=geojson"));
        }
    }
    uris.push("/api/v1/export/alla?format=xlsx".into());
    for c in skaraborgskartan::ogc::catalog::COLLECTIONS {
        let c = c.code();
        uris.push(format!("/ogc/collections/{c}"));
        uris.push(format!("/ogc/collections/{c}/items?limit=1000"));
        uris.push(format!("/ogc/collections/{c}/items?limit=1000&f=html"));
    }
    uris
}

/// A page (or any answer) that must be there, as text.
async fn page(state: &AppState, uri: &str) -> String {
    let r = get(state, uri).await;
    assert_eq!(r.status, StatusCode::OK, "{uri}");
    String::from_utf8(r.body).unwrap()
}

/// The text of an answer: the body, or every cell of every sheet of a workbook.
fn readable(uri: &str, body: &[u8]) -> String {
    if uri.contains("xlsx") {
        let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(body.to_vec())).unwrap();
        let mut out = String::new();
        for name in wb.sheet_names() {
            let range = wb.worksheet_range(&name).unwrap();
            for row in range.rows() {
                for cell in row {
                    out.push_str(&cell.to_string());
                    out.push('\t');
                }
            }
        }
        return out;
    }
    String::from_utf8_lossy(body).into_owned()
}

#[tokio::test]
async fn no_output_of_either_data_set_shows_seed_labels() {
    for (name, state) in [("real", real()), ("example", example())] {
        let uris = outputs(&state);
        assert!(uris.len() > 150, "{}", uris.len());
        for uri in &uris {
            let r = get(&state, uri).await;
            assert_eq!(r.status, StatusCode::OK, "{name} {uri}");
            let text = readable(uri, &r.body);
            assert!(!text.is_empty(), "{name} {uri}");
            assert!(!text.contains("seed:"), "{name} {uri} shows seed:");
        }
    }
}

#[tokio::test]
async fn the_sources_list_has_every_row_with_its_citation() {
    let state = real();
    let j = get(&state, "/api/v1/sources").await.json();
    let rows = j["sources"].as_array().unwrap();
    assert_eq!(rows.len(), state.atlas().inventory.sources.entries().len());
    let report = rows
        .iter()
        .find(|r| r["id"] == "vs-slutrapport-2024")
        .unwrap();
    assert_eq!(report["kind"], "report");
    assert_eq!(report["kind_label"], "rapport");
    assert!(report["url"].is_null());
    assert_eq!(report["cited"], true);
    let plan = rows
        .iter()
        .find(|r| r["id"] == "vs-aktivitetsplan-2023")
        .unwrap();
    assert_eq!(plan["date"], "2023-03-23");
    // Every source the data cites is a row: nothing typed on the desk yet.
    assert_eq!(j["other_citations"].as_array().unwrap().len(), 0);
    assert!(rows.iter().all(|r| r["cited"] == true), "no row unused");
    // A cached body like the others.
    let r = get(&state, "/api/v1/sources").await;
    assert!(r.header("etag").starts_with('"'));
    // Strict like the rest of the API.
    assert_eq!(
        get(&state, "/api/v1/sources?x=1").await.status,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn pages_show_citations_and_om_lists_the_sources() {
    let state = real();
    let k = page(&state, "/kommun/1496").await;
    assert!(
        k.contains("Skövde kommun: <a href=\"https://skovde.se/socialt-stod/barn-unga-familj/stod-till-foraldrar-och-familj/familjestod-och-familjebehandling2/lundvivegarden2/Marte-Meo-metoden/\">Marte Meo-metoden på Lundvivegården</a></span> (webbsida, odaterad, läst december 2026)"),
        "the Marte Meo offering's citation"
    );
    // The report without a public copy: named, not linked.
    assert!(k.contains(
        "Vårdsamverkan Skaraborg: Slutrapport, koordinator för Samverkansgrupp barn och unga</span> (rapport, 2024)"
    ));
    let om = page(&state, "/om").await;
    let list = om
        .split("class=\"kallforteckning\"")
        .nth(1)
        .unwrap()
        .split("</ol>")
        .next()
        .unwrap();
    assert_eq!(
        list.matches("<li>").count(),
        state.atlas().inventory.sources.entries().len()
    );
    assert!(list.contains("Aktivitetsplan psykisk hälsa Skaraborg 2023, version 4"));
    assert!(list.contains("Ingen offentlig kopia har hittats."));
    assert!(om.contains("href=\"/api/v1/sources\""));
}

#[tokio::test]
async fn exports_carry_the_citation_its_address_and_id() {
    let state = real();
    let r = get(
        &state,
        "/api/v1/export/erbjudanden?profil=rfc4180&kommun=1496&programme=marte-meo&round=offentliga-kallor",
    )
    .await;
    let text = String::from_utf8(r.body).unwrap();
    let mut rd = csv::Reader::from_reader(text.as_bytes());
    let h = rd.headers().unwrap().clone();
    let row = rd.records().next().unwrap().unwrap();
    let col = |n: &str| h.iter().position(|c| c == n).unwrap();
    assert_eq!(
        &row[col("kalla")],
        "Skövde kommun: Marte Meo-metoden på Lundvivegården (webbsida, odaterad, läst december 2026)"
    );
    assert!(row[col("kalla_url")].starts_with("https://skovde.se/"));
    assert_eq!(&row[col("kalla_id")], "skovde-marte-meo-lundvivegarden");
    // Two sources: both citations, the first address.
    let r = get(
        &state,
        "/api/v1/export/familjecentraler?profil=rfc4180&kommun=1444",
    )
    .await;
    let text = String::from_utf8(r.body).unwrap();
    assert!(text.contains("grastorp-pressmeddelande-2020;grastorp-sociala-arbetet-2020"));
    assert!(text.contains("Pressmeddelande om familjehuset Agera och projektet med utökade hembesök (pressmeddelande, 2020-05-26, läst december 2026); Grästorps kommun: Nyhet om"));
}

#[tokio::test]
async fn tibro_cards_and_kommun_page_name_the_familjecentral() {
    let state = real();
    for uri in [
        "/?kommun=1472&age=13",
        "/kommun/1472",
        "/kommun/1472?age=13",
    ] {
        let t = page(&state, uri).await;
        assert!(
            t.contains("<strong>Din familjecentral: </strong><span><a href=\"https://tibro.se/Barnomsorg-och-utbildning/Forskolor/\">Familjecentralen Källan</a></span>"),
            "{uri}"
        );
        assert!(t.contains("Tibro kommun: <a href=\"https://tibro.se/Barnomsorg-och-utbildning/Forskolor/\">Kommunens sida om förskolor och Familjecentralen Källan</a></span> (webbsida, odaterad, läst december 2026) · Senast bekräftad: 2026-12"), "{uri}");
    }
    // A familjecentral known only from an old news item: by name, no link, the date marked.
    let hjo = page(&state, "/kommun/1497").await;
    assert!(
        hjo.contains("<strong>Din familjecentral: </strong><span>Familjecentralen Arken</span>")
    );
    assert!(hjo.contains("Senast bekräftad 2022 – kan vara inaktuell"));
    // Vara: what the 2021 source says, no more.
    let vara = page(&state, "/kommun/1470").await;
    assert!(vara.contains("Ny familjecentral i Vara (planerad till sommaren 2022)"));
    assert!(vara.contains("Om den har öppnat säger källan inte."));
}

#[tokio::test]
async fn a_kommun_without_a_known_familjecentral_is_okant_never_finns_inte() {
    let state = real();
    let a = state.atlas();
    let unknown: Vec<&str> = a
        .kommuner()
        .iter()
        .enumerate()
        .filter(|(k, _)| a.familjecentraler(*k).next().is_none())
        .map(|(_, k)| k.code.as_str())
        .collect();
    assert_eq!(unknown, ["1445", "1446", "1494", "1498"]);
    for code in &unknown {
        for uri in [format!("/kommun/{code}"), format!("/?kommun={code}&age=13")] {
            let t = page(&state, &uri).await;
            assert!(
                t.contains("vi har ingen uppgift om en familjecentral i"),
                "{uri}"
            );
            assert!(t.contains("Det betyder inte att det saknas en"), "{uri}");
            assert!(!t.contains("Din familjecentral"), "{uri}");
            let lower = t.to_lowercase();
            for never in [
                "finns inte",
                "ingen familjecentral",
                "saknar familjecentral",
            ] {
                assert!(!lower.contains(never), "{uri} says {never}");
            }
        }
    }
    // The layer and the export say okänt / ingen uppgift.
    let layer = get(&state, "/api/v1/layers/familjecentraler").await.json();
    for f in layer["features"].as_array().unwrap() {
        let known = !unknown.contains(&f["id"].as_str().unwrap());
        let p = &f["properties"];
        assert_eq!(
            p["familjecentral_state"],
            if known { "known" } else { "unknown" }
        );
        assert_eq!(p["familjecentraler"].as_array().unwrap().is_empty(), !known);
    }
    let html = page(&state, "/?layer=familjecentraler").await;
    let row = html.split("data-kommun=\"1446\"").nth(1).unwrap();
    let row = &row[..row.find("</tr>").unwrap()];
    assert!(
        row.contains("k-okant") && row.contains("Ingen uppgift om familjecentral i våra källor"),
        "{row}"
    );
    assert!(html.contains("familjecentral känd från källa"));
    let r = get(&state, "/api/v1/export/familjecentraler?profil=rfc4180").await;
    let text = String::from_utf8(r.body).unwrap();
    assert_eq!(text.matches(",ingen uppgift,").count(), 4);
    assert!(!text.to_lowercase().contains("finns inte"));
}

#[tokio::test]
async fn the_familjecentraler_layer_lists_them_and_draws_a_point_only_where_a_source_gives_one() {
    // Real data: no source gives coordinates, so no point anywhere.
    let state = real();
    let html = page(&state, "/?layer=familjecentraler").await;
    let tibro = html.split("data-kommun=\"1472\"").nth(1).unwrap();
    let tibro = &tibro[..tibro.find("</tr>").unwrap()];
    assert!(
        tibro.contains("Familjecentralen Källan (senast bekräftad 2026-12)"),
        "{tibro}"
    );
    assert!(html.contains("<option value=\"familjecentraler\" selected>Familjecentraler</option>"));
    assert!(
        html.contains(
            "<script type=\"application/json\" id=\"familjecentral-punkter\">[]</script>"
        )
    );
    let g = get(&state, "/api/v1/export/familjecentraler?format=geojson")
        .await
        .json();
    let features = g["features"].as_array().unwrap();
    assert_eq!(
        features.len(),
        11 + 4,
        "11 familjecentraler, 4 kommuner without"
    );
    assert!(features.iter().all(|f| f["geometry"].is_null()));
    // Example data: one invented familjecentral with invented coordinates.
    let state = example();
    let html = page(&state, "/?layer=familjecentraler").await;
    assert!(html.contains(
        r#"id="familjecentral-punkter">[{"kommun":"1472","lat":58.4247,"lon":14.1617,"name":"Exempel: Familjecentralen i Tibro","url":"https://exempel.invalid/1472/familjecentral"}]"#
    ), "{html}");
    let g = get(
        &state,
        "/api/v1/export/familjecentraler?format=geojson&kommun=1472",
    )
    .await
    .json();
    let f = &g["features"][0];
    assert_eq!(f["geometry"]["type"], "Point");
    assert_eq!(
        f["geometry"]["coordinates"],
        serde_json::json!([14.1617, 58.4247])
    );
    assert_eq!(f["properties"]["adress"], "Exempelgatan 1, Tibro");
    assert_eq!(f["properties"]["exempeldata"], true);
    let layer = get(&state, "/api/v1/layers/familjecentraler").await.json();
    let tibro = layer["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "1472")
        .unwrap();
    assert_eq!(
        tibro["properties"]["familjecentraler"][0]["point"],
        serde_json::json!({ "lat": 58.4247, "lon": 14.1617 })
    );
    assert!(
        tibro["properties"]["familjecentraler"][0]["source"]
            .as_str()
            .unwrap()
            .starts_with("EXEMPEL:")
    );
}

#[tokio::test]
async fn other_support_is_context_never_coverage() {
    let state = real();
    let a = state.atlas();
    let before = *a.coverage(a.kommun_index("1444").unwrap(), a.default_round);
    let t = page(&state, "/kommun/1444").await;
    let section = t
        .split("id=\"annat-stod\"")
        .nth(1)
        .unwrap()
        .split("</section>")
        .next()
        .unwrap();
    assert!(section.contains("Utökade hembesök och föräldragrupper"));
    assert!(section.contains("När: 2017/2020 · Status: avslutat."));
    assert!(section.contains("(nyhet, 2020-05-26, läst december 2026)"));
    // An ended project's story does not age: no "kan vara inaktuell" on it.
    assert!(
        section.contains("Senast bekräftad: 2020-05-26"),
        "{section}"
    );
    // What may still be going on does: Vara's plan (undated) and Essunga's method (2021).
    let essunga = page(&state, "/kommun/1445").await;
    let section = essunga.split("id=\"annat-stod\"").nth(1).unwrap();
    assert!(section.contains("Senast bekräftad februari 2021 – kan vara inaktuell"));
    // Skövde's course: named as the source names it, no method claimed.
    let s = page(&state, "/kommun/1496").await;
    let other = s.split("id=\"annat-stod\"").nth(1).unwrap();
    let other = &other[..other.find("</section>").unwrap()];
    assert!(other.contains("Kursen Förälder i nytt land"));
    assert!(
        !other.contains("ICDP"),
        "the source does not say it is ICDP"
    );
    // Vara's plan is a plan.
    let v = page(&state, "/kommun/1470").await;
    assert!(v.contains("planerat – om det blev av säger källan inte"));
    // No offering in any round comes from it: Grästorp has no answer and no coverage.
    let j = get(&state, "/api/v1/kommuner/1444").await.json();
    assert_eq!(j["other_support"].as_array().unwrap().len(), 1);
    for r in j["rounds"].as_array().unwrap() {
        assert_eq!(r["counts"]["offered"], 0);
    }
    assert_eq!(
        *a.coverage(a.kommun_index("1444").unwrap(), a.default_round),
        before
    );
    // A kommun with none says so.
    let k = page(&state, "/kommun/1446").await;
    assert!(k.contains("Inga uppgifter om annat föräldraskapsstöd i Karlsborg."));
}

#[tokio::test]
async fn the_desk_keeps_other_support_and_suggests_the_sources() {
    let (state, _dir) = common::with_store(&geodata(), None).await;
    let tibro = person(&state, "red@tibro.se", "redaktor", &["1472"]).await;
    // The source field suggests the sources table's ids.
    let form = admin::get(&state, "/admin/kommun/1472/annat-stod", &tibro).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.text.contains("list=\"f-source-forslag\""));
    assert!(
        form.text
            .contains("<option value=\"vs-slutrapport-2024\">Vårdsamverkan Skaraborg: Slutrapport")
    );
    // An unknown id is refused at the field, in Swedish, and nothing is saved.
    let fields = [
        ("version", ""),
        ("title", "Föräldracafé"),
        ("description", "Träffar för föräldrar på familjecentralen."),
        ("period", "2025"),
        ("status", "described"),
    ];
    let mut bad = fields.to_vec();
    bad.push(("source", "tibro-okand"));
    let r = admin::post(&state, "/admin/kommun/1472/annat-stod", &tibro, &bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text
            .contains("källa ”tibro-okand”: ange ett id ur sources.csv"),
        "{}",
        r.text
    );
    let mut seed = fields.to_vec();
    seed.push(("source", "seed:003"));
    let r = admin::post(&state, "/admin/kommun/1472/annat-stod", &tibro, &seed).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // An id, an address or a document's name is taken.
    let mut good = fields.to_vec();
    good.push(("source", "tibro-forskolor"));
    let r = admin::post(&state, "/admin/kommun/1472/annat-stod", &tibro, &good).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let html = page(&state, "/kommun/1472").await;
    assert!(html.contains("Föräldracafé"));
    // Another kommun's is not this redaktör's.
    let r = admin::post(&state, "/admin/kommun/1496/annat-stod", &tibro, &good).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // A typed address not in the table reads as its host.
    let mut typed = fields.to_vec();
    typed[1] = ("title", "Babycafé");
    typed.push(("source", "https://www.tibro.se/babycafe"));
    let r = admin::post(&state, "/admin/kommun/1472/annat-stod", &tibro, &typed).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let html = page(&state, "/kommun/1472").await;
    assert!(html.contains("<a href=\"https://www.tibro.se/babycafe\">www.tibro.se</a>"));
    let j = get(&state, "/api/v1/sources").await.json();
    assert_eq!(j["other_citations"][0]["publisher"], "www.tibro.se");
}

/// A copy of the data as the current main had it, before the sources table: the old files of
/// `tests/fixtures/before-sources/` over a copy of geodata/ without sources.csv and
/// other_support.csv.
fn data_before_sources(to: &Path) {
    let from = geodata();
    for entry in std::fs::read_dir(&from).unwrap() {
        let e = entry.unwrap();
        if e.file_type().unwrap().is_file() {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
    std::fs::create_dir(to.join("sverige")).unwrap();
    std::fs::copy(
        from.join("sverige/kommuner.geojson"),
        to.join("sverige/kommuner.geojson"),
    )
    .unwrap();
    std::fs::remove_file(to.join("sources.csv")).unwrap();
    std::fs::remove_file(to.join("other_support.csv")).unwrap();
    let old = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/before-sources");
    for entry in std::fs::read_dir(old).unwrap() {
        let e = entry.unwrap();
        std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
    }
}

fn table(files: &StoreFiles, name: &str) -> Vec<csv::StringRecord> {
    let text = files.text(name).unwrap();
    let mut rd = csv::Reader::from_reader(text.as_bytes());
    let mut rows = vec![rd.headers().unwrap().clone()];
    rows.extend(rd.records().map(Result::unwrap));
    rows
}

#[tokio::test]
async fn a_store_seeded_before_the_sources_table_is_upgraded_on_open() {
    let old = tempfile::tempdir().unwrap();
    data_before_sources(old.path());
    let state_dir = tempfile::tempdir().unwrap();
    {
        let store = Store::open(state_dir.path()).await.unwrap();
        store.copy_in(old.path(), None).await.unwrap();
        // As the old version left it: no sources table, seed: labels, no contact points.
        let files = store.files().await.unwrap();
        assert!(files.text("sources").is_none());
        assert!(files.text("sambu").unwrap().contains("seed:003"));
        assert!(!table(&files, "contacts")[0].iter().any(|h| h == "lat"));
        store.close().await;
    }
    // Started with the new data directory: the store opens, upgraded.
    let store = skaraborgskartan::server::open_store(state_dir.path(), &geodata(), None)
        .await
        .unwrap();
    let files = store.files().await.unwrap();
    for name in ["sources", "other_support"] {
        assert!(files.text(name).is_some(), "{name} seeded from --data");
    }
    let header = table(&files, "contacts")[0].clone();
    assert_eq!(
        header.iter().collect::<Vec<_>>(),
        [
            "kommun",
            "kind",
            "name",
            "url",
            "last_confirmed",
            "source",
            "note",
            "address",
            "lat",
            "lon"
        ]
    );
    for name in [
        "rounds",
        "documents",
        "sambu",
        "partssamverkan",
        "trainings",
        "region_facts",
        "contacts",
        "offerings",
    ] {
        assert!(!files.text(name).unwrap().contains("seed:"), "{name}");
    }
    let rows = table(&files, "documents");
    assert_eq!(
        &rows[1][4], "vs-slutrapport-2024;vs-aktivitetsplan-2023",
        "ÖKen"
    );
    let sambu = table(&files, "sambu");
    let essunga = sambu.iter().find(|r| &r[0] == "1445").unwrap();
    assert_eq!(
        (&essunga[4], &essunga[5]),
        ("2024", "vs-slutrapport-2024"),
        "date kept"
    );
    let offerings = table(&files, "offerings");
    let abc = offerings
        .iter()
        .find(|r| &r[0] == "1496" && &r[1] == "abc")
        .unwrap();
    assert_eq!(&abc[8], "sla-2015-abc-skovde");
    assert_eq!(&abc[7], "2015-09-08", "not confirmed again");
    // An answer in a closed round is frozen: it keeps its address, which reads as the row.
    let skara = offerings
        .iter()
        .find(|r| &r[0] == "1495" && &r[1] == "marte-meo")
        .unwrap();
    assert_eq!(&skara[8], "https://sverigesradio.se/artikel/2523507");
    // One changeset in the history, by the upgrade.
    let changes = store
        .history(&skaraborgskartan::store::HistoryFilter::default())
        .await
        .unwrap();
    assert!(!changes.is_empty());
    assert!(changes.iter().all(|c| c.actor == "uppgradering"));
    let sets: std::collections::BTreeSet<i64> = changes.iter().map(|c| c.changeset).collect();
    assert_eq!(sets.len(), 1);
    let n = changes.len();
    // It serves, with citations and no seed: anywhere.
    let atlas = skaraborgskartan::server::build_from_store(&store, None)
        .await
        .unwrap();
    let state = AppState::new(atlas).with_store(std::sync::Arc::new(store), None);
    for uri in [
        "/kommun/1495",
        "/api/v1/kommuner/1445",
        "/om",
        "/api/v1/region",
    ] {
        let r = get(&state, uri).await;
        assert_eq!(r.status, StatusCode::OK, "{uri}");
        assert!(!String::from_utf8_lossy(&r.body).contains("seed:"), "{uri}");
    }
    let skara = get(&state, "/api/v1/kommuner/1495").await.json();
    let historic = skara["rounds"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "historiska-uppgifter")
        .unwrap();
    assert_eq!(
        historic["offerings"][0]["citations"][0]["id"],
        "sr-skara-forskningsprojekt"
    );
    // Opening again changes nothing.
    let store2 = skaraborgskartan::server::open_store(state_dir.path(), &geodata(), None)
        .await
        .unwrap();
    let again = store2
        .history(&skaraborgskartan::store::HistoryFilter::default())
        .await
        .unwrap();
    assert_eq!(again.len(), n);
}
