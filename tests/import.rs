//! The import of a survey round's answers, through the whole router on a real store (a fresh
//! SQLite file seeded from the example data): the template downloaded and re-imported unchanged
//! (zero changes, CSV and XLSX), an Excel CSV (`;`, BOM, CRLF) and a Windows-1252 questionnaire
//! export applied and undone, respondents who disagree settled by the coordinator, a file with
//! errors (nothing changes, every problem with its row and column), hostile cells, a zip-bomb
//! XLSX, apply refused after a concurrent edit, and a redaktör's rows of other kommuner left out.

mod common;

use std::io::{Cursor, Write};

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use skaraborgskartan::AppState;
use skaraborgskartan::store::{Action, Changeset, Edit, HistoryFilter, OFFERINGS, Scope};

use common::admin::{Page, Person, get, person, post, send};

const TIBRO: &str = "1472";
const SKOVDE: &str = "1496";
const ROUND: &str = "uppfoljning-2026";

/// Uploads a file as the browser's form does (multipart), returning the answer.
async fn upload_as(
    state: &AppState,
    who: &Person,
    name: &str,
    bytes: &[u8],
    shape: &str,
    extra: &[(&str, &str)],
) -> Page {
    let boundary = "----skk-test-boundary";
    let mut body = Vec::new();
    let mut field = |name: &str, value: &str| {
        write!(
            body,
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        )
        .unwrap();
    };
    field("csrf", &who.csrf);
    field("form", shape);
    field("omgang", ROUND);
    field("kalla", "EXEMPEL: Uppföljning 2026, enkät till kommunerna");
    field("datum", "2026-11-20");
    for (k, v) in extra {
        field(k, v);
    }
    write!(
        body,
        "--{boundary}\r\nContent-Disposition: form-data; name=\"fil\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    )
    .unwrap();
    body.extend_from_slice(bytes);
    write!(body, "\r\n--{boundary}--\r\n").unwrap();
    let req = Request::builder()
        .method(Method::POST)
        .uri("/admin/import/ladda-upp")
        .header("cookie", &who.cookie)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body))
        .unwrap();
    send(state, req).await
}

/// Uploads and follows to the preview: (the import's address, the preview page).
async fn upload(
    state: &AppState,
    who: &Person,
    name: &str,
    bytes: &[u8],
    shape: &str,
) -> (String, Page) {
    let up = upload_as(state, who, name, bytes, shape, &[]).await;
    assert_eq!(up.status, StatusCode::SEE_OTHER, "{}", up.text.clone());
    let preview = get(state, &up.location, who).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.text.clone());
    (up.location, preview)
}

/// The plan fingerprint of a preview (its apply form).
fn digest(html: &str) -> String {
    common::admin::hidden(html, "plan")
}

async fn apply(state: &AppState, who: &Person, at: &str, preview: &Page) -> Page {
    let d = digest(&preview.text);
    post(state, &format!("{at}/genomfor"), who, &[("plan", &d)]).await
}

/// One edit as the desk would commit it for the samordnare.
fn by_hand(e: Edit) -> Changeset {
    Changeset::new("test", Scope::Region, "edit", vec![e])
}

async fn setup() -> (AppState, tempfile::TempDir, Person) {
    let (state, dir) = common::with_store(&common::geodata().join("example"), None).await;
    common::open_round(&state, ROUND, "Uppföljning 2026 (exempel)").await;
    let berit = person(&state, "berit@vardsamverkan.se", "samordnare", &[]).await;
    (state, dir, berit)
}

async fn answer(state: &AppState, kommun: &str, programme: &str) -> Option<String> {
    state
        .store()
        .unwrap()
        .record(&OFFERINGS, &format!("{kommun}/{programme}/{ROUND}"))
        .await
        .unwrap()
        .map(|r| r.field("status").to_string())
}

async fn changes(state: &AppState) -> i64 {
    skaraborgskartan::store::log::changes(state.store().unwrap(), &Default::default(), 1, 0)
        .await
        .unwrap()
        .1
}

async fn newest_changeset(state: &AppState) -> i64 {
    let newest = HistoryFilter {
        newest_first: true,
        ..HistoryFilter::default()
    };
    skaraborgskartan::store::log::changes(state.store().unwrap(), &newest, 1, 0)
        .await
        .unwrap()
        .0[0]
        .changeset
}

/// The template as Excel saves it after editing: `;`, BOM, CRLF.
fn excel_csv(rows: &[&str]) -> Vec<u8> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    out.extend_from_slice(rows.join("\r\n").as_bytes());
    out.extend_from_slice(b"\r\n");
    out
}

const HEADER: &str = "kommunkod;kommun;programkod;program;förra omgången;status;arrangör;kontaktsida;språk;källa;senast bekräftad;anteckning";

#[tokio::test]
async fn an_excel_template_is_previewed_applied_seen_on_the_map_and_undone() {
    let (state, _dir, berit) = setup().await;
    let before = changes(&state).await;
    let file = excel_csv(&[
        HEADER,
        "1472;Tibro;abc;ABC;;erbjuds;Tibro kommun, familjecentralen;https://exempel.invalid/tibro/abc;sv, en;;2026-10;",
        "1472;Tibro;cope;COPE;;erbjuds inte;;;;;;",
        "1472;Tibro;komet;Komet;;okänt;;;;;;Vi vet inte ännu",
        "1472;Tibro;icdp;ICDP;;;;;;;;",
        "1496;Skövde;abc;ABC;;Ja;;;;EXEMPEL: Skövde kommuns webbplats;;",
    ]);
    let (at, preview) = upload(&state, &berit, "mall.csv", &file, "template").await;
    let html = preview.text.clone();
    assert!(
        html.contains("CSV, UTF-8 med BOM, semikolon (;), radslut CRLF"),
        "{html}"
    );
    assert!(html.contains("4 nya svar"), "{html}");
    assert!(html.contains("1 rader lämnas som de är"), "{html}");
    assert!(html.contains("Erbjuds inte") || html.contains("erbjuds inte"));
    assert_eq!(changes(&state).await, before, "a preview writes nothing");
    assert_eq!(answer(&state, TIBRO, "abc").await, None);

    let done = apply(&state, &berit, &at, &preview).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text.clone());
    assert_eq!(
        answer(&state, TIBRO, "abc").await.as_deref(),
        Some("offered")
    );
    assert_eq!(
        answer(&state, TIBRO, "cope").await.as_deref(),
        Some("not_offered")
    );
    assert_eq!(
        answer(&state, TIBRO, "komet-3-11").await.as_deref(),
        Some("unknown")
    );
    assert_eq!(answer(&state, TIBRO, "icdp").await, None, "no status: left");
    let abc = state
        .store()
        .unwrap()
        .record(&OFFERINGS, &format!("{TIBRO}/abc/{ROUND}"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(abc.field("languages"), "sv;en");
    assert_eq!(abc.field("last_confirmed"), "2026-10");
    assert_eq!(
        abc.field("source"),
        "EXEMPEL: Uppföljning 2026, enkät till kommunerna"
    );
    let skovde = state
        .store()
        .unwrap()
        .record(&OFFERINGS, &format!("{SKOVDE}/abc/{ROUND}"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(skovde.field("source"), "EXEMPEL: Skövde kommuns webbplats");
    assert_eq!(skovde.field("last_confirmed"), "2026-11-20");
    // One changeset, one change per answer, every field logged.
    assert_eq!(changes(&state).await, before + 4);
    let set = skaraborgskartan::store::log::changeset(
        state.store().unwrap(),
        newest_changeset(&state).await,
    )
    .await
    .unwrap();
    assert_eq!(set.len(), 4);
    assert!(
        set.iter()
            .all(|c| c.comment.starts_with("Import av mall.csv"))
    );
    // The public kommun page of the round shows it.
    let public = common::get(&state, &format!("/kommun/{TIBRO}?round={ROUND}")).await;
    let public = String::from_utf8_lossy(&public.body).into_owned();
    assert!(
        public.contains("Tibro kommun, familjecentralen"),
        "{public}"
    );

    let api = common::get(&state, &format!("/api/v1/kommuner/{TIBRO}")).await;
    let api = String::from_utf8_lossy(&api.body).into_owned();
    assert!(api.contains("Tibro kommun, familjecentralen"), "{api}");
    // A second apply of the same upload is refused.
    let again = apply(&state, &berit, &at, &preview).await;
    assert_eq!(again.status, StatusCode::CONFLICT);

    // Undo: all four go, in one logged changeset; a second undo is refused.
    let page = get(&state, &at, &berit).await.text.clone();
    assert!(page.contains("Ångra hela importen"), "{page}");
    let undo = post(&state, &format!("{at}/angra"), &berit, &[]).await;
    assert_eq!(undo.status, StatusCode::SEE_OTHER, "{}", undo.text.clone());
    for p in ["abc", "cope", "komet-3-11"] {
        assert_eq!(answer(&state, TIBRO, p).await, None, "{p} undone");
    }
    assert_eq!(answer(&state, SKOVDE, "abc").await, None);
    assert_eq!(changes(&state).await, before + 8);
    assert!(get(&state, &at, &berit).await.text.contains("är ångrad"));
    let twice = post(&state, &format!("{at}/angra"), &berit, &[]).await;
    assert_eq!(twice.status, StatusCode::CONFLICT, "{}", twice.text.clone());
}

#[tokio::test]
async fn the_template_reimported_unchanged_gives_zero_changes_as_csv_and_xlsx() {
    let (state, _dir, berit) = setup().await;
    let file = excel_csv(&[
        HEADER,
        "1472;Tibro;abc;ABC;;erbjuds;=HYPERLINK(\"http://x\");https://exempel.invalid/a;sv;;2026-10-01;- med tankstreck",
        "1472;Tibro;cope;COPE;;erbjuds inte;<script>alert(1)</script>;;;;2026;",
    ]);
    let (at, preview) = upload(&state, &berit, "forsta.csv", &file, "template").await;
    assert_eq!(
        apply(&state, &berit, &at, &preview).await.status,
        StatusCode::SEE_OTHER
    );
    for ext in ["csv", "xlsx"] {
        let t = get(
            &state,
            &format!("/admin/import/mall.{ext}?omgang={ROUND}"),
            &berit,
        )
        .await;
        assert_eq!(t.status, StatusCode::OK);
        let before = changes(&state).await;
        let (_, again) = upload(&state, &berit, &format!("mall.{ext}"), &t.bytes, "template").await;
        let html = again.text.clone();
        assert!(
            html.contains("Inga ändringar: filen stämmer med det som redan finns."),
            "{ext}: {html}"
        );
        assert!(
            html.contains("0 nya svar, 0 ändrade, 0 bekräftade oförändrade"),
            "{html}"
        );
        assert!(!html.contains("<script>alert"), "hostile text is escaped");
        assert_eq!(changes(&state).await, before);
    }
    // The CSV escapes the formula for Excel; the store keeps the text as written.
    let csv = get(
        &state,
        &format!("/admin/import/mall.csv?omgang={ROUND}"),
        &berit,
    )
    .await;
    assert!(String::from_utf8_lossy(&csv.bytes).contains("'=HYPERLINK"));
    let abc = state
        .store()
        .unwrap()
        .record(&OFFERINGS, &format!("{TIBRO}/abc/{ROUND}"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(abc.field("organiser"), "=HYPERLINK(\"http://x\")");
    assert_eq!(abc.field("note"), "- med tankstreck");
    // The XLSX keeps kommun codes as text.
    let x = get(
        &state,
        &format!("/admin/import/mall.xlsx?omgang={ROUND}"),
        &berit,
    )
    .await;
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(x.bytes)).unwrap();
    use calamine::Reader;
    let sheet = book.worksheet_range("Mall").unwrap();
    match sheet.get((1, 0)) {
        Some(calamine::Data::String(code)) => assert_eq!(code.len(), 4, "{code}"),
        other => panic!("kommunkod is no text cell: {other:?}"),
    }
}

#[tokio::test]
async fn a_questionnaire_in_windows_1252_is_combined_by_the_rule_and_disagreements_settled() {
    let (state, _dir, berit) = setup().await;
    // As a survey tool exports it: one row per respondent, Swedish headers, Windows-1252, `,`.
    let text = "Tidsstämpel,Kommun,Roll,ABC – Alla Barn i Centrum,COPE,Vilka program erbjuds? [Komet],Övriga kommentarer\r\n\
        2026-10-01 10:00,Tibro,Rektor,Ja,Nej,Vet ej,\r\n\
        2026-10-01 11:00,Tibro kommun,Familjecentralen,Nej,Nej,Nej,\r\n\
        2026-10-02 09:00,1496,Socialtjänsten,Ja,Vet ej,x,\r\n\
        2026-10-02 09:30,Skövde,BVC,,Nej,,\r\n";
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(text);
    let (at, preview) = upload(&state, &berit, "enkat.csv", &bytes, "questionnaire").await;
    let html = preview.text.clone();
    assert!(html.contains("Windows-1252, komma (,)"), "{html}");
    assert!(html.contains("okänd kolumn ”Övriga kommentarer”"), "{html}");
    // An unknown column blocks until the coordinator says what it is.
    assert!(!html.contains(r#"name="plan""#));
    let columns = post(
        &state,
        &format!("{at}/kolumner"),
        &berit,
        &[
            ("kolumn.ovrigakommentarer", "ignore"),
            ("profil", "Testenkäten"),
        ],
    )
    .await;
    assert_eq!(columns.status, StatusCode::SEE_OTHER);
    let preview = get(&state, &at, &berit).await;
    let html = preview.text.clone();
    assert!(html.contains("Svarande som inte är överens (3)"), "{html}");
    assert!(html.contains("Rad 2 (Rektor): Ja"), "{html}");
    // Tibro ABC: Ja + Nej → erbjuds by the rule; the coordinator settles it as erbjuds inte.
    let settle = post(
        &state,
        &format!("{at}/avgor"),
        &berit,
        &[("avgor.1472/abc", "not_offered")],
    )
    .await;
    assert_eq!(settle.status, StatusCode::SEE_OTHER);
    let preview = get(&state, &at, &berit).await;
    assert_eq!(
        apply(&state, &berit, &at, &preview).await.status,
        StatusCode::SEE_OTHER
    );
    // Settled; Nej + Nej; Vet ej beside Nej: okänt; Ja alone; a ticked box; Vet ej beside Nej.
    for (kommun, programme, want) in [
        (TIBRO, "abc", "not_offered"),
        (TIBRO, "cope", "not_offered"),
        (TIBRO, "komet-3-11", "unknown"),
        (SKOVDE, "abc", "offered"),
        (SKOVDE, "komet-3-11", "offered"),
        (SKOVDE, "cope", "unknown"),
    ] {
        assert_eq!(
            answer(&state, kommun, programme).await.as_deref(),
            Some(want),
            "{kommun} {programme}"
        );
    }
    // The saved profile reads the next file from the tool the same way.
    let profiles = state.store().unwrap().profiles().await.unwrap();
    assert_eq!(profiles[0].name, "Testenkäten");
    let next = upload_as(
        &state,
        &berit,
        "enkat2.csv",
        &bytes,
        "questionnaire",
        &[("profil", "Testenkäten")],
    )
    .await;
    let html = get(&state, &next.location, &berit).await.text.clone();
    assert!(!html.contains("okänd kolumn"), "{html}");
}

#[tokio::test]
async fn a_file_with_errors_changes_nothing_and_names_every_row_and_column() {
    let (state, _dir, berit) = setup().await;
    let before = changes(&state).await;
    let file = excel_csv(&[
        HEADER,
        "1472;Tibro;abc;ABC;;erbjuds;;;;;;",
        "9999;Nowhere;abc;ABC;;erbjuds;;;;;;",
        "1472;Tibro;nope;Finns inte;;erbjuds;;;;;;",
        "1472;Tibro;cope;COPE;;kanske;;inte-en-adress;;;2026-13;",
        "1472;Tibro;abc;ABC;;erbjuds;;;;;;",
    ]);
    let (at, preview) = upload(&state, &berit, "fel.csv", &file, "template").await;
    let html = preview.text.clone();
    assert!(html.contains("8 problem i filen"), "{html}");
    assert!(
        !html.contains(r#"name="plan""#),
        "no apply while there are problems"
    );
    let problems = get(&state, &format!("{at}/problem.csv"), &berit).await;
    let text = String::from_utf8(problems.bytes).unwrap();
    let rows: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(rows[0], "rad;kolumn;rubrik;problem");
    let places: Vec<(String, String)> = rows[1..]
        .iter()
        .map(|r| {
            let f: Vec<&str> = r.split(';').collect();
            (f[0].to_string(), f[1].to_string())
        })
        .collect();
    // The file's own lines (CRLF), header on line 1.
    for want in [
        ("3", "1"),
        ("3", "2"),
        ("4", "3"),
        ("4", "4"),
        ("5", "6"),
        ("5", "8"),
        ("5", "11"),
        ("6", "3"),
    ] {
        assert!(
            places.contains(&(want.0.into(), want.1.into())),
            "{want:?} in {places:?}"
        );
    }
    assert!(text.contains("okänd kommun ”9999”"), "{text}");
    assert!(text.contains("okänt program ”nope”"), "{text}");
    // The duplicate row is refused with a pointer to the first.
    let again = get(&state, &at, &berit).await.text.clone();
    assert!(
        again.contains("samma kommun och program som på rad 2"),
        "{again}"
    );
    // Apply anyway: refused, nothing written.
    let forced = post(&state, &format!("{at}/genomfor"), &berit, &[("plan", "x")]).await;
    assert_eq!(forced.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(changes(&state).await, before);
}

#[tokio::test]
async fn hostile_uploads_are_refused_in_swedish() {
    let (state, _dir, berit) = setup().await;
    // A zip bomb: 80 MB of zeros in a few kilobytes, declared as a worksheet.
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    zip.start_file("xl/worksheets/sheet1.xml", options).unwrap();
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..80 {
        zip.write_all(&zeros).unwrap();
    }
    let bomb = zip.finish().unwrap().into_inner();
    assert!(bomb.len() < 1 << 20, "the bomb is small: {}", bomb.len());
    let (_, page) = upload(&state, &berit, "bomb.xlsx", &bomb, "template").await;
    let html = page.text.clone();
    assert!(html.contains("packas upp till"), "{html}");
    assert!(html.contains("högst"), "{html}");

    // Too large a file: cut off at the limit, a Swedish page, 413.
    let huge = vec![b'a'; 11 << 20];
    let up = upload_as(&state, &berit, "stor.csv", &huge, "template", &[]).await;
    assert_eq!(
        up.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        up.text.clone()
    );
    assert!(up.text.contains("Filen är för stor"));

    // A very long cell, and a file that is no spreadsheet at all.
    let long = format!(
        "{HEADER}\r\n1472;Tibro;abc;ABC;;erbjuds;{};;;;;\r\n",
        "x".repeat(6000)
    );
    let (_, page) = upload(&state, &berit, "lang.csv", long.as_bytes(), "template").await;
    assert!(
        page.text.contains("cellen har 6000 tecken"),
        "{}",
        page.text.clone()
    );
    let (_, page) = upload(
        &state,
        &berit,
        "trasig.xlsx",
        b"PK\x03\x04trasig",
        "template",
    )
    .await;
    assert!(page.text.contains("ingen läsbar XLSX"));

    // No CSRF token: refused, nothing stored.
    let forged = Person {
        id: berit.id,
        cookie: berit.cookie.clone(),
        csrf: "fel".into(),
    };
    let up = upload_as(&state, &forged, "x.csv", b"a;b\r\n", "template", &[]).await;
    assert_eq!(up.status, StatusCode::FORBIDDEN);
    assert!(up.text.contains("CSRF"), "{}", up.text);
}

#[tokio::test]
async fn apply_is_refused_when_the_data_changed_since_the_preview() {
    let (state, _dir, berit) = setup().await;
    let first = excel_csv(&[HEADER, "1472;Tibro;abc;ABC;;erbjuds;;;;;;"]);
    let (at, preview) = upload(&state, &berit, "a.csv", &first, "template").await;
    assert_eq!(
        apply(&state, &berit, &at, &preview).await.status,
        StatusCode::SEE_OTHER
    );
    // Preview a change, then someone edits the same answer at the desk.
    let second = excel_csv(&[HEADER, "1472;Tibro;abc;ABC;;erbjuds inte;;;;;;"]);
    let (at, preview) = upload(&state, &berit, "b.csv", &second, "template").await;
    let key = format!("{TIBRO}/abc/{ROUND}");
    let now = state
        .store()
        .unwrap()
        .record(&OFFERINGS, &key)
        .await
        .unwrap()
        .unwrap();
    let mut e = Edit::new(
        &OFFERINGS,
        Some(key.clone()),
        Some(now.version),
        Action::Save,
    );
    e.fields
        .insert("note".into(), "ändrad vid skrivbordet".into());
    e.source = "EXEMPEL: telefonsamtal".into();
    state.commit(by_hand(e)).await.unwrap();
    let before = changes(&state).await;
    let refused = apply(&state, &berit, &at, &preview).await;
    assert_eq!(
        refused.status,
        StatusCode::CONFLICT,
        "{}",
        refused.text.clone()
    );
    assert!(
        refused
            .text
            .clone()
            .contains("har ändrat svaren sedan du förhandsgranskade")
    );
    assert_eq!(changes(&state).await, before);
    assert_eq!(
        answer(&state, TIBRO, "abc").await.as_deref(),
        Some("offered")
    );
}

#[tokio::test]
async fn a_redaktor_imports_only_their_own_kommuners_rows() {
    let (state, _dir, berit) = setup().await;
    let anna = person(&state, "anna@tibro.se", "redaktor", &[TIBRO]).await;
    let file = excel_csv(&[
        HEADER,
        "1472;Tibro;abc;ABC;;erbjuds;;;;;;",
        "1496;Skövde;abc;ABC;;erbjuds;;;;;;",
    ]);
    let (at, preview) = upload(&state, &anna, "tibro.csv", &file, "template").await;
    let html = preview.text.clone();
    assert!(
        html.contains("1 rader gäller kommuner som du inte får ändra"),
        "{html}"
    );
    assert!(html.contains("rad 3 (Skövde)"), "{html}");
    assert_eq!(
        apply(&state, &anna, &at, &preview).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        answer(&state, TIBRO, "abc").await.as_deref(),
        Some("offered")
    );
    assert_eq!(answer(&state, SKOVDE, "abc").await, None);
    // Her template has only her kommun.
    let t = get(
        &state,
        &format!("/admin/import/mall.csv?omgang={ROUND}"),
        &anna,
    )
    .await;
    let text = String::from_utf8(t.bytes).unwrap();
    assert!(
        text.lines().skip(1).all(|l| l.starts_with("1472;")),
        "{text}"
    );
    // Someone else's import is not hers to see.
    let (other, _) = upload(&state, &berit, "alla.csv", &file, "template").await;
    assert_eq!(
        get(&state, &other, &anna).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_closed_round_takes_no_import() {
    let (state, _dir, berit) = setup().await;
    // exempel-2024 is closed: the upload form does not offer it, a forged post is refused.
    let start = get(&state, "/admin/import", &berit).await.text.clone();
    assert!(!start.contains(r#"value="exempel-2024""#), "{start}");
    let file = excel_csv(&[HEADER, "1472;Tibro;abc;ABC;;erbjuds;;;;;;"]);
    let boundary = "b";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"form\"\r\n\r\ntemplate\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"omgang\"\r\n\r\nexempel-2024\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"fil\"; filename=\"a.csv\"\r\n\r\n{}\r\n--{boundary}--\r\n",
        berit.csrf,
        String::from_utf8_lossy(&file)
    );
    let req = Request::builder()
        .method(Method::POST)
        .uri("/admin/import/ladda-upp")
        .header("cookie", &berit.cookie)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body))
        .unwrap();
    let page = send(&state, req).await;
    assert_eq!(page.status, StatusCode::CONFLICT, "{}", page.text.clone());
    assert!(page.text.contains("inte en öppen enkätomgång"));
}
