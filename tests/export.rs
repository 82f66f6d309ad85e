//! Exports under /api/v1/export: every table parsed back and compared with the Atlas, both CSV
//! profiles, XLSX read back with calamine, GeoJSON, every filter, file names (HTTP caching, CORS
//! and encodings: tests/http.rs).

mod common;

use skaraborgskartan::atlas::lapsed_label;
use skaraborgskartan::lang::Lang;

use std::collections::BTreeSet;
use std::io::Cursor;
use std::path::Path;

use axum::http::StatusCode;
use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use common::{Reply, example, get, real};
use skaraborgskartan::AppState;
use skaraborgskartan::atlas::Atlas;
use skaraborgskartan::vocabulary::CellState;

/// A CSV reply parsed: header and rows. Checks the profile's BOM and separator on the way.
fn parse_csv(r: &Reply, excel: bool) -> (Vec<String>, Vec<Vec<String>>) {
    assert_eq!(
        r.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    assert_eq!(
        r.header("content-type"),
        "text/csv; charset=utf-8; header=present"
    );
    let bom = r.body.starts_with(b"\xEF\xBB\xBF");
    assert_eq!(bom, excel, "BOM only in the excel profile");
    let text = std::str::from_utf8(&r.body[if bom { 3 } else { 0 }..]).unwrap();
    assert!(text.contains("\r\n"), "CRLF line ends");
    assert!(!text.starts_with("sep="), "no Excel sep= line");
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(if excel { b';' } else { b',' })
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let mut rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    for row in &rows {
        assert_eq!(row.len(), header.len());
    }
    // Codes: `="0114"` in the excel profile (text in a spreadsheet), bare digits in rfc4180;
    // handed back as the code.
    for (c, name) in header.iter().enumerate() {
        if !["kommunkod", "lan"].contains(&name.as_str()) {
            continue;
        }
        for row in &mut rows {
            let digits = if excel {
                row[c]
                    .strip_prefix("=\"")
                    .and_then(|v| v.strip_suffix('"'))
                    .unwrap_or_else(|| panic!("{name} ”{}” is not =\"…\"", row[c]))
                    .to_string()
            } else {
                row[c].clone()
            };
            assert!(
                !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()),
                "{name}: {}",
                row[c]
            );
            row[c] = digits;
        }
    }
    (header, rows)
}

async fn csv(state: &AppState, uri: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let excel = !uri.contains("profil=rfc4180");
    parse_csv(&get(state, uri).await, excel)
}

fn col(header: &[String], name: &str) -> usize {
    header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name} in {header:?}"))
}

fn round(a: &Atlas, id: &str) -> usize {
    a.round_index(id).unwrap()
}

#[tokio::test]
async fn matrix_has_every_cell_of_the_atlas_in_both_profiles() {
    for (state, profile) in [
        (example(), "excel"),
        (example(), "rfc4180"),
        (real(), "excel"),
    ] {
        let a = state.atlas();
        let (header, rows) = csv(&state, &format!("/api/v1/export/matris?profil={profile}")).await;
        assert_eq!(&header[..2], ["kommunkod", "kommun"]);
        assert_eq!(rows.len(), a.kommuner().len());
        let names: Vec<&str> = rows.iter().map(|r| r[1].as_str()).collect();
        let pos = |n: &str| names.iter().position(|x| *x == n).unwrap();
        assert!(pos("Gullspång") < pos("Götene") && pos("Götene") < pos("Hjo"));
        assert!(pos("Skövde") < pos("Tibro") && pos("Töreboda") < pos("Vara"));
        let mut seen = BTreeSet::new();
        for row in &rows {
            let k = a.kommun_index(&row[0]).unwrap();
            assert_eq!(row[1], a.kommuner()[k].name);
            for (p, prog) in a.programmes().iter().enumerate() {
                let c = col(&header, &prog.name);
                let state = a.cell_state(k, a.default_round, p);
                assert_eq!(row[c], state.label(), "{} × {}", row[0], prog.slug);
                seen.insert(row[c].clone());
            }
        }
        if a.inventory.dataset.config.kind == skaraborgskartan::dataset::Kind::Example {
            assert_eq!(
                seen,
                BTreeSet::from(["erbjuds".into(), "erbjuds inte".into(), "okänt".into()]),
                "the example data has all three states"
            );
            assert_eq!(header.last().unwrap(), "exempeldata");
        } else {
            assert!(seen.contains("okänt") && !seen.contains("0"));
            assert!(!header.contains(&"exempeldata".to_string()));
        }
    }
}

#[tokio::test]
async fn long_table_has_every_kommun_programme_and_round_with_source_and_date() {
    for state in [example(), real()] {
        let a = state.atlas();
        let (h, rows) = csv(&state, "/api/v1/export/erbjudanden?profil=rfc4180").await;
        for name in [
            "uppgiven_status",
            "underlag",
            "kommunkod",
            "kommun",
            "program",
            "programnamn",
            "niva",
            "alder_min",
            "alder_max",
            "omgang",
            "status",
            "statuskod",
            "arrangor",
            "senast_bekraftad",
            "kalla",
            "kalla_url",
            "kalla_id",
        ] {
            col(&h, name);
        }
        let (nk, np, nr) = (
            a.kommuner().len(),
            a.programmes().len(),
            a.inventory.rounds.len(),
        );
        assert_eq!(rows.len(), nk * np * nr);
        let mut keys = BTreeSet::new();
        for row in &rows {
            let k = a.kommun_index(&row[col(&h, "kommunkod")]).unwrap();
            let p = a.programme_index(&row[col(&h, "program")]).unwrap();
            let r = round(&a, &row[col(&h, "omgang")]);
            assert!(keys.insert((k, p, r)), "each cell once");
            let state = a.cell_state(k, r, p);
            // A lapsed answer says so with its year, and codes as okänt.
            match a.lapsed(k, r, p) {
                Some(o) => {
                    assert_eq!(row[col(&h, "status")], lapsed_label(o));
                    assert_eq!(state, CellState::Unknown);
                }
                None => assert_eq!(row[col(&h, "status")], state.label()),
            }
            assert_eq!(row[col(&h, "statuskod")], state.code());
            let prog = &a.programmes()[p];
            assert_eq!(row[col(&h, "alder_min")], prog.age_min.to_string());
            match a.offering(k, r, p) {
                Some(o) => {
                    // The citation as people read it, its address and the stable reference.
                    let bib = &a.inventory.sources;
                    assert_eq!(row[col(&h, "kalla")], bib.text(&o.source, Lang::Sv));
                    assert_eq!(row[col(&h, "kalla_url")], bib.first_url(&o.source));
                    assert!(!row[col(&h, "kalla")].contains("seed:"));
                    assert_eq!(
                        row[col(&h, "senast_bekraftad")],
                        o.last_confirmed.to_string()
                    );
                    assert_eq!(row[col(&h, "arrangor")], o.organiser);
                    assert!(!o.source.is_empty());
                }
                None => {
                    assert_eq!(state, CellState::Unknown);
                    assert_eq!(row[col(&h, "kalla")], "");
                }
            }
        }
    }
    // Skövde's ABC, from a 2015 newspaper article, is not today's offer in any export.
    let s = real();
    let (h, rows) = csv(&s, "/api/v1/export/erbjudanden?profil=rfc4180&kommun=1496&programme=abc&round=uppfoljning-2024").await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0][col(&h, "status")], "erbjöds 2015 – okänt i dag");
    assert_eq!(rows[0][col(&h, "statuskod")], "unknown");
    assert_eq!(rows[0][col(&h, "uppgiven_status")], "erbjuds");
    assert_eq!(rows[0][col(&h, "underlag")], "offentlig källa");
    assert_eq!(rows[0][col(&h, "senast_bekraftad")], "2015-09-08");
    let (h, rows) = csv(&s, "/api/v1/export/matris?profil=rfc4180&kommun=1496").await;
    assert_eq!(
        rows[0][col(&h, "ABC – Alla Barn i Centrum (3–12 år)")],
        "okänt"
    );
    let (h, rows) = csv(
        &s,
        "/api/v1/export/tackning?profil=rfc4180&kommun=1472&level=universal",
    )
    .await;
    assert_eq!(
        rows[0][col(&h, "graviditet")],
        "inga program i katalogen för den åldern",
        "pregnancy is never a confirmed gap"
    );
}

#[tokio::test]
async fn other_tables_match_the_atlas() {
    let state = example();
    let a = state.atlas();
    // Coverage per kommun × level, with decimal comma in the excel profile.
    let (h, rows) = csv(&state, "/api/v1/export/tackning").await;
    assert_eq!(rows.len(), a.kommuner().len() * 4);
    for row in &rows {
        let k = a.kommun_index(&row[0]).unwrap();
        let level =
            skaraborgskartan::coverage::LevelFilter::parse(&row[col(&h, "nivakod")]).unwrap();
        let lc = a.coverage(k, a.default_round).level(level);
        assert_eq!(
            row[col(&h, "antal_tackta_ar")],
            lc.covered.years().len().to_string()
        );
        let share: f64 = row[col(&h, "andel_tackt")]
            .replace(',', ".")
            .parse()
            .unwrap();
        assert!((share - lc.share()).abs() < 0.001);
        assert!(!row[col(&h, "andel_tackt")].contains('.'), "decimal comma");
    }
    assert!(rows.iter().any(|r| r[col(&h, "andel_tackt")].contains(',')));
    let (h, rows) = csv(&state, "/api/v1/export/tackning?profil=rfc4180").await;
    assert!(rows.iter().any(|r| r[col(&h, "andel_tackt")].contains('.')));

    let (h, rows) = csv(&state, "/api/v1/export/sambu").await;
    assert_eq!(rows.len(), 15);
    for row in &rows {
        let s = a.inventory.sambu.iter().find(|s| s.kommun == row[0]);
        assert_eq!(
            row[col(&h, "statuskod")],
            s.map_or("unknown", |s| s.status.code())
        );
        let source = s.map_or("", |s| s.source.as_str());
        assert_eq!(
            row[col(&h, "kalla")],
            a.inventory.sources.text(source, Lang::Sv)
        );
    }
    let (h, rows) = csv(&state, "/api/v1/export/partssamverkan").await;
    for row in &rows {
        let s = a
            .inventory
            .partssamverkan
            .iter()
            .find(|s| s.kommun == row[0])
            .unwrap();
        assert_eq!(row[col(&h, "statuskod")], s.status.code());
        assert_eq!(
            row[col(&h, "senast_bekraftad")],
            s.last_confirmed.to_string()
        );
    }
    let (h, rows) = csv(&state, "/api/v1/export/foljsamhet").await;
    assert_eq!(rows.len(), 15 * a.inventory.documents.len());
    for row in &rows {
        let x = a
            .inventory
            .adherence
            .iter()
            .find(|x| x.kommun == row[0] && x.document == row[col(&h, "dokument")]);
        assert_eq!(
            row[col(&h, "statuskod")],
            x.map_or("unknown", |x| x.status.code())
        );
    }
    let (h, rows) = csv(&state, "/api/v1/export/utbildningar").await;
    assert_eq!(rows.len(), a.inventory.trainings.len());
    let total: u32 = rows
        .iter()
        .map(|r| r[col(&h, "deltagare")].parse::<u32>().unwrap())
        .sum();
    assert_eq!(
        total,
        a.inventory
            .trainings
            .iter()
            .map(|t| t.participants)
            .sum::<u32>()
    );
    let (h, rows) = csv(&state, "/api/v1/export/kommuner").await;
    for row in &rows {
        let k = a.kommun_index(&row[0]).unwrap();
        let [o, n, u] = a.counts(k, a.default_round, |_| true);
        assert_eq!(
            [
                &row[col(&h, "antal_erbjuds")],
                &row[col(&h, "antal_erbjuds_inte")],
                &row[col(&h, "antal_okant")]
            ],
            [&o.to_string(), &n.to_string(), &u.to_string()]
        );
    }
}

/// A copy of the example data with a hostile organiser, to check formula escaping end to end.
fn hostile_data(dir: &Path) {
    let geodata = common::geodata();
    for f in [
        "kommuner.geojson",
        "kommunkoder.csv",
        "programmes.csv",
        "documents.csv",
        "sources.csv",
    ] {
        std::fs::copy(geodata.join(f), dir.join(f)).unwrap();
    }
    let ex = dir.join("example");
    std::fs::create_dir(&ex).unwrap();
    for entry in std::fs::read_dir(geodata.join("example")).unwrap() {
        let e = entry.unwrap();
        std::fs::copy(e.path(), ex.join(e.file_name())).unwrap();
    }
    let text = std::fs::read_to_string(ex.join("offerings.csv")).unwrap();
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header = r.headers().unwrap().clone();
    let org = header.iter().position(|h| h == "organiser").unwrap();
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&header).unwrap();
    for (i, rec) in r.records().enumerate() {
        let mut rec: Vec<String> = rec.unwrap().iter().map(String::from).collect();
        if i == 0 {
            rec[org] = HOSTILE.into();
        }
        w.write_record(&rec).unwrap();
    }
    std::fs::write(ex.join("offerings.csv"), w.into_inner().unwrap()).unwrap();
}

const HOSTILE: &str = "=HYPERLINK(\"http://angripare.invalid\",\"Klicka här\")";

fn workbook(r: &Reply) -> Xlsx<Cursor<Vec<u8>>> {
    assert_eq!(
        r.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    assert_eq!(
        r.header("content-type"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    open_workbook_from_rs(Cursor::new(r.body.clone())).expect("calamine opens the XLSX")
}

fn text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

#[tokio::test]
async fn hostile_cells_are_escaped_in_excel_csv_only_and_never_formulas_in_xlsx() {
    let tmp = tempfile::tempdir().unwrap();
    hostile_data(tmp.path());
    let state = common::load(&tmp.path().join("example"));
    let (h, rows) = csv(&state, "/api/v1/export/erbjudanden").await;
    let cells: Vec<&String> = rows.iter().map(|r| &r[col(&h, "arrangor")]).collect();
    assert!(
        cells.contains(&&format!("'{HOSTILE}")),
        "escaped with ' in excel"
    );
    assert!(!cells.iter().any(|c| c.starts_with('=')));
    // Numbers are never escaped.
    assert!(
        rows.iter()
            .all(|r| r[col(&h, "alder_min")].parse::<i8>().is_ok())
    );
    let (h, rows) = csv(&state, "/api/v1/export/erbjudanden?profil=rfc4180").await;
    assert!(
        rows.iter().any(|r| r[col(&h, "arrangor")] == HOSTILE),
        "raw in rfc4180"
    );

    let mut wb = workbook(&get(&state, "/api/v1/export/erbjudanden?format=xlsx").await);
    let range = wb.worksheet_range("Erbjudanden").unwrap();
    assert!(
        range.rows().any(|r| r.iter().any(|c| text(c) == HOSTILE)),
        "a plain string"
    );
    let formulas = wb.worksheet_formula("Erbjudanden").unwrap();
    assert!(
        formulas.used_cells().all(|(_, _, f)| f.is_empty()),
        "no formulas"
    );
}

#[tokio::test]
async fn xlsx_has_sheets_numbers_as_numbers_and_an_about_sheet() {
    let state = example();
    let a = state.atlas();
    let r = get(&state, "/api/v1/export/matris?format=xlsx").await;
    let disposition = r.header("content-disposition").to_string();
    assert!(
        disposition.starts_with(
            "attachment; filename=\"exempel_skaraborg_program_matris_exempel-2024.xlsx\""
        ),
        "{disposition}"
    );
    let mut wb = workbook(&r);
    assert_eq!(wb.sheet_names(), ["Matris", "Om data"]);
    let m = wb.worksheet_range("Matris").unwrap();
    let header: Vec<String> = m.rows().next().unwrap().iter().map(text).collect();
    for row in m.rows().skip(1) {
        let k = a.kommun_index(&text(&row[0])).unwrap();
        for (p, prog) in a.programmes().iter().enumerate() {
            let c = col(&header, &prog.name);
            assert_eq!(text(&row[c]), a.cell_state(k, a.default_round, p).label());
        }
    }
    let about = wb.worksheet_range("Om data").unwrap();
    let about: Vec<(String, String)> = about.rows().map(|r| (text(&r[0]), text(&r[1]))).collect();
    let value = |k: &str| {
        about
            .iter()
            .find(|(x, _)| x == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| panic!("no {k} in Om data: {about:?}"))
    };
    assert!(value("EXEMPELDATA").contains("påhittade"));
    assert!(value("Region").contains("Skaraborg"));
    assert!(value("Omgång").contains("exempel-2024"));
    assert_eq!(value("Exportdatum"), skaraborgskartan::dates::today());
    assert!(value("Okänt").contains("inte samma sak som ”erbjuds inte”"));
    assert!(value("Licens").contains("CC0"));
    assert!(value("Källor").contains("EXEMPEL:"));
    assert!(value("Kommungränser").contains("Lantmäteriet"));
    // Each sheet's columns; the matrix's programme columns on one line.
    let matrix = value("Kolumner: Matris");
    assert!(matrix.contains("kommunkod – kommunkod (SCB)"), "{matrix}");
    assert!(
        matrix.contains(&format!(
            "({} kolumner) – programmet i kommunen: erbjuds, erbjuds inte eller okänt",
            a.programmes().len()
        )),
        "{matrix}"
    );
    assert_eq!(matrix.lines().count(), 4, "{matrix}");

    // All tables in one workbook; numbers are numbers.
    let mut wb = workbook(&get(&state, "/api/v1/export/alla").await);
    assert_eq!(
        wb.sheet_names(),
        [
            "Matris",
            "Erbjudanden",
            "Täckning",
            "Kommuner",
            "SAMBU",
            "Partssamverkan",
            "Följsamhet",
            "Utbildningar",
            "Familjecentraler",
            "Om data"
        ]
    );
    let e = wb.worksheet_range("Erbjudanden").unwrap();
    let header: Vec<String> = e.rows().next().unwrap().iter().map(text).collect();
    let row1 = e.rows().nth(1).unwrap();
    assert!(matches!(
        row1[col(&header, "alder_min")],
        Data::Float(_) | Data::Int(_)
    ));
    assert_eq!(
        e.height(),
        1 + 15 * a.programmes().len() * a.inventory.rounds.len()
    );
    let t = wb.worksheet_range("Täckning").unwrap();
    let header: Vec<String> = t.rows().next().unwrap().iter().map(text).collect();
    assert!(matches!(
        t.rows().nth(1).unwrap()[col(&header, "andel_tackt")],
        Data::Float(_)
    ));

    // Real data: no example warning, and the real file name.
    let state = real();
    let a = state.atlas();
    let r = get(&state, "/api/v1/export/matris?format=xlsx").await;
    let round = &a.inventory.rounds[a.default_round].id;
    assert!(r.header("content-disposition").contains(&format!(
        "filename=\"skaraborg_program_matris_{round}.xlsx\""
    )));
    let mut wb = workbook(&r);
    let about = wb.worksheet_range("Om data").unwrap();
    assert!(!about.rows().any(|r| text(&r[0]) == "EXEMPELDATA"));
}

#[tokio::test]
async fn exports_honour_every_filter() {
    let state = example();
    let a = state.atlas();
    // kommun(er)
    for q in ["kommun=1496,1494", "kommuner=1496,1494"] {
        let (_, rows) = csv(&state, &format!("/api/v1/export/matris?{q}")).await;
        let codes: BTreeSet<&str> = rows.iter().map(|r| r[0].as_str()).collect();
        assert_eq!(codes, BTreeSet::from(["1494", "1496"]));
    }
    // age and level choose the programme columns; round chooses the answers.
    let (h, _) = csv(&state, "/api/v1/export/matris?age=13&level=indicated").await;
    let expect: Vec<&str> = a
        .programmes()
        .iter()
        .filter(|p| p.age_min <= 13 && 13 <= p.age_max)
        .filter(|p| {
            p.levels
                .contains(&skaraborgskartan::vocabulary::Level::Indicated)
        })
        .map(|p| p.name.as_str())
        .collect();
    assert!(!expect.is_empty());
    assert_eq!(&h[2..h.len() - 1], expect.as_slice());
    let (h, rows) = csv(
        &state,
        "/api/v1/export/matris?round=exempel-2021&programme=abc,komet-3-11",
    )
    .await;
    assert_eq!(h.len(), 2 + 2 + 1);
    let r0 = round(&a, "exempel-2021");
    for row in &rows {
        let k = a.kommun_index(&row[0]).unwrap();
        let p = a.programme_index("abc").unwrap();
        assert_eq!(row[2], a.cell_state(k, r0, p).label());
    }
    let (h, rows) = csv(
        &state,
        "/api/v1/export/erbjudanden?round=exempel-2021&kommun=1496&age=15",
    )
    .await;
    assert!(!rows.is_empty());
    for row in &rows {
        assert_eq!(row[col(&h, "omgang")], "exempel-2021");
        assert_eq!(row[0], "1496");
        assert!(row[col(&h, "alder_min")].parse::<i8>().unwrap() <= 15);
        assert!(row[col(&h, "alder_max")].parse::<i8>().unwrap() >= 15);
    }
    let (h, rows) = csv(&state, "/api/v1/export/tackning?level=selective&age=13").await;
    assert_eq!(rows.len(), 15);
    assert!(rows.iter().all(|r| r[col(&h, "niva")] == "selektiv"));
    assert!(rows.iter().all(|r| r[col(&h, "nivakod")] == "selective"));
    assert!(rows.iter().all(|r| {
        ["täckt", "inte täckt", "okänt"].contains(&r[col(&h, "vald_alder_tackt")].as_str())
    }));
    assert!(rows.iter().all(|r| {
        ["offered", "not_offered", "unknown"].contains(&r[col(&h, "vald_alder_tacktkod")].as_str())
    }));
    let (h, rows) = csv(&state, "/api/v1/export/foljsamhet?document=oken").await;
    assert!(rows.iter().all(|r| r[col(&h, "dokument")] == "oken") && rows.len() == 15);
    // region: the one served is accepted, another is not.
    assert_eq!(
        get(&state, "/api/v1/export/matris?region=skaraborg")
            .await
            .status,
        StatusCode::OK
    );
    let r = get(&state, "/api/v1/export/matris?region=sverige").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.error_message().starts_with("region:"));
    // layer: the GeoJSON of a map layer, with the filters.
    let r = get(
        &state,
        "/api/v1/export/lager?layer=adherence&document=oken&kommun=1496,1494",
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.header("content-type"), "application/geo+json");
    assert!(
        r.header("content-disposition")
            .contains("exempel_skaraborg_foljsamhet_1496-1494.geojson")
    );
    let j = r.json();
    assert!(j.get("crs").is_none());
    let features = j["features"].as_array().unwrap();
    assert_eq!(features.len(), 2);
    for f in features {
        assert!(f["id"].is_string());
        assert_eq!(f["properties"]["dokument"], "oken");
        assert!(matches!(
            f["geometry"]["type"].as_str(),
            Some("Polygon" | "MultiPolygon")
        ));
    }
    let j = get(
        &state,
        "/api/v1/export/erbjudanden?format=geojson&kommun=1496&round=exempel-2024",
    )
    .await
    .json();
    assert_eq!(
        j["features"].as_array().unwrap().len(),
        a.programmes().len()
    );
    assert_eq!(j["features"][0]["geometry"]["type"], "Point");
}

#[tokio::test]
async fn bad_parameters_are_400_or_404_in_swedish() {
    let s = example();
    for (uri, status, starts) in [
        ("/api/v1/export/matris?age=tretton", 400, "age:"),
        ("/api/v1/export/matris?format=pdf", 400, "format:"),
        ("/api/v1/export/matris?profil=latin1", 400, "profil:"),
        ("/api/v1/export/matris?layer=vatten", 400, "layer:"),
        ("/api/v1/export/matris?level=hög", 400, "level:"),
        ("/api/v1/export/matris?kommun=12", 400, "kommun:"),
        (
            "/api/v1/export/matris?kommun=1496&kommuner=1494",
            400,
            "kommun, kommuner:",
        ),
        ("/api/v1/export/matris?kommun=0180", 404, "kommun:"),
        ("/api/v1/export/matris?round=1999", 404, "round:"),
        ("/api/v1/export/matris?programme=nix", 404, "programme:"),
        ("/api/v1/export/matris?format=geojson", 400, "format:"),
        ("/api/v1/export/alla?format=csv", 400, "format:"),
        ("/api/v1/export/matris?sortera=namn", 400, "Okänd parameter"),
        ("/api/v1/export/pengar", 404, "Exporten"),
    ] {
        let r = get(&s, uri).await;
        assert_eq!(r.status.as_u16(), status, "{uri}");
        assert!(
            r.error_message().starts_with(starts),
            "{uri}: {}",
            r.error_message()
        );
    }
}

#[tokio::test]
async fn the_index_lists_every_table() {
    let j = get(&example(), "/api/v1/export").await.json();
    assert_eq!(j["tables"].as_array().unwrap().len(), 9);
}

/// The Swedish text that goes with a code in column `base` of a table (`X` beside `Xkod`).
fn label_for(a: &Atlas, table: &str, base: &str, code: &str) -> String {
    use skaraborgskartan::vocabulary as v;
    let one = |code: &str| -> String {
        let label = match (table, base) {
            (_, "kommun") => return a.kommuner()[a.kommun_index(code).unwrap()].name.clone(),
            ("tackning", "niva") if code == "all" => "alla nivåer",
            (_, "niva") => v::Level::parse(code).unwrap().label(),
            ("erbjudanden", "status") => v::CellState::parse(code).unwrap().label(),
            ("sambu", "status") | (_, "sambu_status") => {
                v::SambuStatus::parse(code).unwrap().label()
            }
            ("partssamverkan", "status") | (_, "partssamverkan_status") => {
                v::PartsStatus::parse(code).unwrap().label()
            }
            ("foljsamhet", "status") => v::AdherenceStatus::parse(code).unwrap().label(),
            (_, "uppgiven_status") => v::OfferingStatus::parse(code).unwrap().label(),
            (_, "underlag") => match code {
                "round" => "omgångens uppgift",
                "sources" => "offentlig källa",
                other => panic!("underlagkod {other}"),
            },
            (_, "graviditet" | "vald_alder_tackt") => v::AgeState::parse(code).unwrap().label(),
            (_, "handlingsplan") => v::ActionPlan::parse(code).unwrap().label(),
            (_, "typ") => v::TrainingKind::parse(code).unwrap().label(),
            ("familjecentraler", "uppgift") => match code {
                "known" => "känd från källa",
                "unknown" => "ingen uppgift",
                other => panic!("uppgiftkod {other}"),
            },
            other => panic!("no vocabulary for {other:?}"),
        };
        label.to_string()
    };
    if code.is_empty() {
        return String::new();
    }
    code.split(", ").map(one).collect::<Vec<_>>().join(", ")
}

#[tokio::test]
async fn every_coded_column_has_its_swedish_text_beside_it_in_every_format() {
    use skaraborgskartan::export::tables::{TableKind, column_help};
    for state in [example(), real()] {
        let a = state.atlas();
        let mut pairs = 0;
        for kind in TableKind::ALL {
            let t = kind.code();
            let (h, rows) = csv(&state, &format!("/api/v1/export/{t}?profil=rfc4180&age=13")).await;
            for (c, name) in h.iter().enumerate() {
                // The "Om data" sheet describes every column.
                assert!(
                    column_help(*kind, name).is_some(),
                    "{t}.{name} has no description"
                );
                let Some(base) = name.strip_suffix("kod") else {
                    continue;
                };
                // `X` stands beside `Xkod` (after it only for kommun, the row's key), holding the
                // code's Swedish text.
                let x = if name == "kommunkod" {
                    c + 1
                } else {
                    c.wrapping_sub(1)
                };
                assert!(
                    h.get(x).is_some_and(|n| n == base),
                    "{t}: {name} is not beside {base}: {h:?}"
                );
                pairs += 1;
                for row in &rows {
                    let (text, code) = (&row[x], &row[c]);
                    if t == "erbjudanden" && base == "status" && text.contains("okänt i dag") {
                        assert_eq!(code, "unknown", "a lapsed answer codes as okänt");
                        continue;
                    }
                    assert_eq!(text, &label_for(&a, t, base, code), "{t}.{base} for {code}");
                }
            }
            // No English code where a person reads Swedish.
            if let Some(c) = h.iter().position(|n| n == "niva") {
                assert!(rows.iter().all(|r| !r[c].contains("universal")), "{t}.niva");
            }
        }
        assert!(pairs >= 14, "{pairs} pairs");
    }
    // The same columns in GeoJSON (and so OGC) and XLSX.
    let state = example();
    let j = get(
        &state,
        "/api/v1/export/erbjudanden?format=geojson&kommun=1496&programme=triple-p",
    )
    .await
    .json();
    let p = &j["features"][0]["properties"];
    assert_eq!(p["niva"], "universell, selektiv, indikerad");
    assert_eq!(p["nivakod"], "universal, selective, indicated");
    assert!(p["statuskod"].is_string() && p["status"].is_string());
    let mut wb = workbook(&get(&state, "/api/v1/export/utbildningar?format=xlsx").await);
    let u = wb.worksheet_range("Utbildningar").unwrap();
    let header: Vec<String> = u.rows().next().unwrap().iter().map(text).collect();
    let row = u.rows().nth(1).unwrap();
    let kind =
        skaraborgskartan::vocabulary::TrainingKind::parse(&text(&row[col(&header, "typkod")]))
            .unwrap();
    assert_eq!(text(&row[col(&header, "typ")]), kind.label());
    // The sheet that explains the data lists each sheet's columns.
    let about = wb.worksheet_range("Om data").unwrap();
    let cols = about
        .rows()
        .find(|r| text(&r[0]) == "Kolumner: Utbildningar")
        .map(|r| text(&r[1]))
        .expect("Kolumner: Utbildningar");
    assert!(
        cols.contains("typkod – koden för typen: sip_fordjupning"),
        "{cols}"
    );
    assert!(cols.contains("kommunkod – kommunkod (SCB)"), "{cols}");
}

// LibreOffice as the spreadsheet client: the exported files converted by `soffice --headless`
// (Debian's libreoffice-calc-nogui, installed by `tools/deps.sh test`) and read back.

/// The CSV import options of LibreOffice (`--infilter`, tokens as in its "CSV Filter Options"):
/// separator `;` (59), text delimiter `"` (34), UTF-8 (76), from line 1, no column types,
/// Swedish (1053); then, where given, quoted field as text, detect special numbers, two export
/// tokens, trim spaces, sheet, and evaluate formulas.
const LO_CONVERT: &str = "CSV:59,34,76,1,,1053";
/// The Swedish import dialog with "Utvärdera formler" ticked.
const LO_DIALOG_EVALUATE: &str = "CSV:59,34,76,1,,1053,false,false,true,false,false,0,true";
/// The Swedish import dialog as it opens (LibreOffice's defaults since 7.2: formulas are not
/// evaluated, quoted fields are not text, no special numbers).
const LO_DIALOG_DEFAULT: &str = "CSV:59,34,76,1,,1053,false,false,true,false,false,0,false";

/// Runs `soffice --headless` on the files with the test's own profile (parallel tests do not
/// share its lock) and a time limit; the results land in `out`.
fn soffice(profile: &Path, infilter: Option<&str>, to: &str, files: &[&Path], out: &Path) {
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};
    let which = Command::new("sh")
        .args(["-c", "command -v soffice"])
        .output()
        .unwrap();
    assert!(
        which.status.success(),
        "soffice is missing: run `tools/deps.sh test` (Debian: libreoffice-calc-nogui)"
    );
    let mut cmd = Command::new("soffice");
    cmd.arg(format!(
        "-env:UserInstallation=file://{}",
        profile.display()
    ))
    .args(["--headless", "--norestore"]);
    if let Some(f) = infilter {
        cmd.arg(format!("--infilter={f}"));
    }
    cmd.args(["--convert-to", to, "--outdir"])
        .arg(out)
        .args(files)
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "soffice failed: {status}");
            break;
        }
        if start.elapsed() > Duration::from_secs(180) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("soffice took more than 180 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The first sheet of an XLSX file LibreOffice wrote: values and formulas.
fn sheet(path: &Path) -> (calamine::Range<Data>, calamine::Range<String>) {
    let mut wb: Xlsx<_> =
        calamine::open_workbook(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let name = wb.sheet_names()[0].clone();
    (
        wb.worksheet_range(&name).unwrap(),
        wb.worksheet_formula(&name).unwrap(),
    )
}

/// The row of a sheet whose column `key` (a header) reads `value`, and the header.
fn row_of<'a>(
    range: &'a calamine::Range<Data>,
    key: &str,
    value: &str,
) -> (Vec<String>, &'a [Data]) {
    let header: Vec<String> = range.rows().next().unwrap().iter().map(text).collect();
    let c = col(&header, key);
    let row = range
        .rows()
        .find(|r| text(&r[c]) == value)
        .unwrap_or_else(|| panic!("no row with {key} = {value}"));
    (header, row)
}

#[tokio::test(flavor = "multi_thread")]
async fn libreoffice_keeps_codes_as_text_letters_and_decimal_numbers() {
    // The national data (290 kommuner, Upplands Väsby 0114 in län 01) with the example
    // offerings, so that shares have decimals.
    let data = common::geodata().join("example");
    let state = AppState::new(
        skaraborgskartan::server::build(&data, Some("sverige"))
            .unwrap_or_else(|p| panic!("{}", skaraborgskartan::server::report(&p))),
    );
    let tmp = tempfile::tempdir().unwrap();
    hostile_data(tmp.path());
    let hostile = common::load(&tmp.path().join("example"));
    let dir = tmp.path().join("filer");
    std::fs::create_dir(&dir).unwrap();
    let mut files = Vec::new();
    for (name, s, uri) in [
        (
            "kommuner.csv",
            &state,
            "/api/v1/export/kommuner?region=sverige",
        ),
        (
            "tackning.csv",
            &state,
            "/api/v1/export/tackning?level=universal",
        ),
        ("erbjudanden.csv", &hostile, "/api/v1/export/erbjudanden"),
        (
            "kommuner.xlsx",
            &state,
            "/api/v1/export/kommuner?format=xlsx",
        ),
    ] {
        let r = get(s, uri).await;
        assert_eq!(r.status, StatusCode::OK, "{uri}");
        std::fs::write(dir.join(name), &r.body).unwrap();
        files.push(dir.join(name));
    }
    let csvs: Vec<&Path> = files[..3].iter().map(std::path::PathBuf::as_path).collect();
    let options = [
        (LO_CONVERT, true),
        (LO_DIALOG_EVALUATE, true),
        (LO_DIALOG_DEFAULT, false),
    ];
    // One soffice per option set, each converting every file (one profile: they run in turn).
    let profile = tmp.path().join("profil");
    for (i, (infilter, evaluated)) in options.into_iter().enumerate() {
        let out = tmp.path().join(format!("ut-{i}"));
        soffice(&profile, Some(infilter), "xlsx", &csvs, &out);
        let (k, formulas) = sheet(&out.join("kommuner.xlsx"));
        // Where formulas are evaluated a code is the text 0114; with the dialog's defaults the
        // cell shows the formula itself, ="0114", zeros kept (README: tick "Utvärdera formler").
        let code = |v: &str| {
            if evaluated {
                v.to_string()
            } else {
                format!("=\"{v}\"")
            }
        };
        let (h, row) = row_of(&k, "kommunkod", &code("0114"));
        // Text with its zeros, never the number 114 or 1.
        assert_eq!(
            row[col(&h, "kommunkod")],
            Data::String(code("0114")),
            "{infilter}"
        );
        assert_eq!(row[col(&h, "lan")], Data::String(code("01")), "{infilter}");
        assert_eq!(
            text(&row[col(&h, "kommun")]),
            "Upplands Väsby",
            "{infilter}"
        );
        for name in ["Håbo", "Täby", "Öckerö", "Skövde", "Götene"] {
            row_of(&k, "kommun", name);
        }
        assert!(matches!(
            row[col(&h, "tackning_andel")],
            Data::Float(_) | Data::Int(_)
        ));
        // Every kommunkod is text; the only formulas are those codes.
        let c = col(&h, "kommunkod");
        assert!(
            k.rows().skip(1).all(
                |r| matches!(&r[c], Data::String(s) if s.len() == if evaluated { 4 } else { 7 })
            )
        );
        for (_, _, f) in formulas.used_cells() {
            assert!(
                f.is_empty()
                    || (f.len() > 2 && f.trim_matches('"').bytes().all(|b| b.is_ascii_digit())),
                "{infilter}: formula {f}"
            );
        }
        // Decimal commas became numbers with decimals.
        let (t, _) = sheet(&out.join("tackning.xlsx"));
        let (h, _) = row_of(&t, "kommunkod", &code("1496"));
        let shares: Vec<f64> = t
            .rows()
            .skip(1)
            .map(|r| match r[col(&h, "andel_tackt")] {
                Data::Float(x) => x,
                Data::Int(i) => i as f64,
                ref other => panic!("{infilter}: andel_tackt {other:?} is not a number"),
            })
            .collect();
        assert!(
            shares.iter().any(|x| *x > 0.0 && *x < 1.0),
            "{infilter}: {shares:?}"
        );
        // A hostile organiser stays text, whatever the options.
        let (e, formulas) = sheet(&out.join("erbjudanden.xlsx"));
        let (h, _) = row_of(&e, "arrangor", &format!("'{HOSTILE}"));
        assert!(
            formulas
                .used_cells()
                .all(|(_, c, f)| c != col(&h, "arrangor") || f.is_empty())
        );
    }
    // The XLSX export: text cells, and still text after LibreOffice opened and saved it.
    let out = tmp.path().join("ut-xlsx");
    soffice(&profile, None, "xlsx", &[files[3].as_path()], &out);
    for path in [files[3].clone(), out.join("kommuner.xlsx")] {
        let (k, _) = sheet(&path);
        let (h, row) = row_of(&k, "kommunkod", "0114");
        assert_eq!(
            row[col(&h, "lan")],
            Data::String("01".into()),
            "{}",
            path.display()
        );
        assert_eq!(text(&row[col(&h, "kommun")]), "Upplands Väsby");
    }
}
