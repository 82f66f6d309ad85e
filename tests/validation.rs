//! Loading and validation: every kind of problem is reported with file, line and column, all at
//! once, and the shipped data sets load clean.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use rstest::rstest;
use skaraborgskartan::inventory;
use skaraborgskartan::problem::Problem;

/// A copy of the real data directory (Skaraborg files only) to break.
fn copy() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    fs::create_dir(&dir).unwrap();
    for entry in fs::read_dir(common::geodata()).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            fs::copy(&path, dir.join(path.file_name().unwrap())).unwrap();
        }
    }
    (tmp, dir)
}

fn edit(dir: &Path, file: &str, f: impl FnOnce(String) -> String) {
    let path = dir.join(file);
    let text = fs::read_to_string(&path).unwrap();
    let changed = f(text.clone());
    assert_ne!(changed, text, "the edit of {file} changed nothing");
    fs::write(path, changed).unwrap();
}

fn append(dir: &Path, file: &str, line: &str) {
    edit(dir, file, |t| format!("{t}{line}\n"));
}

fn problems(dir: &Path) -> Vec<Problem> {
    match inventory::load(dir, None) {
        Ok(_) => panic!("broken data loaded without problems"),
        Err(p) => p,
    }
}

/// Asserts exactly one problem, in `file` at `line`:`column`, whose message contains `needle`.
fn assert_one(dir: &Path, file: &str, line: usize, column: usize, needle: &str) {
    let ps = problems(dir);
    assert_eq!(ps.len(), 1, "expected one problem, got:\n{ps:#?}");
    let p = &ps[0];
    assert!(p.file.ends_with(file), "{p}");
    assert_eq!((p.line, p.column), (line, column), "{p}");
    assert!(
        p.message.contains(needle),
        "message {:?} lacks {needle:?}",
        p.message
    );
}

fn lines(dir: &Path, file: &str) -> usize {
    fs::read_to_string(dir.join(file)).unwrap().lines().count()
}

const OFFERING: &str = "1496,cope,uppfoljning-2024,offered,,,,2024-03,https://example.org/a,";

#[test]
fn shipped_data_sets_load_clean() {
    for (dir, region, kommuner) in [
        (common::geodata(), None, 15),
        (common::geodata().join("example"), None, 15),
        (common::geodata(), Some("sverige"), 290),
        (common::geodata().join("example"), Some("sverige"), 290),
    ] {
        let inv = inventory::load(&dir, region).unwrap_or_else(|p| {
            panic!(
                "{}: {}",
                dir.display(),
                skaraborgskartan::server::report(&p)
            )
        });
        assert_eq!(inv.boundaries.len(), kommuner);
        assert_eq!(inv.programmes.len(), 29);
    }
}

#[test]
fn real_data_is_only_what_the_sources_support() {
    let inv = inventory::load(&common::geodata(), None).unwrap();
    assert_eq!(
        inv.offerings.len(),
        7,
        "only the seven sourced offerings are real"
    );
    // Each row of the source collection has a date or says it has none; none is a survey answer.
    assert!(
        inv.offerings
            .iter()
            .all(|o| ["offentliga-kallor", "historiska-uppgifter"].contains(&o.round.as_str()))
    );
    assert_eq!(
        inv.contacts.len(),
        26,
        "15 kommun sites and 11 familjecentraler"
    );
    // No source in the shipped data gives a familjecentral's coordinates: no point is drawn.
    assert!(inv.contacts.iter().all(|c| c.point.is_none()));
    // Every source of the shipped data is a reference to the sources table (the two
    // collections' own "source" only says that each of their rows has one).
    let sources = skaraborgskartan::atlas::Atlas::build(inv.clone());
    for s in sources.all_sources() {
        if s.starts_with("Varje rad har sin egen källa") {
            continue;
        }
        let refs = skaraborgskartan::citation::ids(s);
        let by_url = inv.sources.by_url(s).is_some();
        assert!(refs.is_some() || by_url, "not a reference: {s}");
    }
    assert!(inv.offerings.iter().all(|o| !o.source.is_empty()));
    let active: Vec<&str> = inv
        .sambu
        .iter()
        .filter(|s| s.status == skaraborgskartan::vocabulary::SambuStatus::Active)
        .map(|s| s.kommun.as_str())
        .collect();
    assert_eq!(active, ["1444", "1473", "1493", "1497"]);
    assert!(
        inv.adherence.is_empty(),
        "adherence is unknown until entered"
    );
    assert_eq!(inv.trainings.len(), 21);
}

/// How a case breaks the copy: a line appended to the file, or the first `from` (on line `on`,
/// 1-based; 0: anywhere in the file) replaced by `to`.
enum Edit {
    Append(String),
    Replace(usize, &'static str, &'static str),
}
use Edit::{Append, Replace};

/// In an expected problem: the file's last line (the appended one).
const LAST: usize = usize::MAX;

/// One edit of one file gives exactly these problems, in this order, all in that file:
/// (line, column, a needle of the Swedish message). Line 0, column 0: the whole file.
#[rstest]
#[case::unknown_kommun_code(
    "offerings.csv", &[Append(OFFERING.replace("1496", "1234"))],
    &[(LAST, 1, "okänd kommunkod 1234")])]
#[case::malformed_kommun_code(
    "offerings.csv", &[Append(OFFERING.replace("1496", "Skövde"))],
    &[(LAST, 1, "”Skövde” är ingen kommunkod")])]
// Göteborg is a real kommun, but not in Skaraborg.
#[case::kommun_without_a_boundary_in_the_region(
    "offerings.csv", &[Append(OFFERING.replace("1496", "1480"))],
    &[(LAST, 1, "kommunen 1480 (Göteborg) har ingen gräns i regionen Skaraborg")])]
#[case::unknown_programme_slug(
    "offerings.csv", &[Append(OFFERING.replace(",cope,", ",copa,"))],
    &[(LAST, 2, "okänd programkod ”copa”")])]
#[case::unknown_round(
    "offerings.csv", &[Append(OFFERING.replace("uppfoljning-2024", "2019"))],
    &[(LAST, 3, "okänd omgång ”2019”")])]
#[case::bad_status(
    "offerings.csv", &[Append(OFFERING.replace("offered", "ja"))],
    &[(LAST, 4, "tillåtna: offered, not_offered")])]
#[case::bad_dates(
    "offerings.csv", &[Append(OFFERING.replace(",2024-03,", ",2015-02-30,"))],
    &[(LAST, 8, "dagen 30 finns inte")])]
#[case::missing_source(
    "offerings.csv", &[Append(OFFERING.replace("https://example.org/a", ""))],
    &[(LAST, 9, "fältet ”source” får inte vara tomt")])]
#[case::example_data_in_real_data_is_refused(
    "offerings.csv", &[Append(OFFERING.replace("https://example.org/a", "EXEMPEL: påhittad"))],
    &[(LAST, 9, "exempeldata i en verklig datamängd")])]
// Line 2 is the first programme (abc, 3–12): age_min not a number; line 3: age_max 42.
#[case::bad_ages(
    "programmes.csv", &[Replace(2, ",3,12,", ",tre,12,"), Replace(3, ",0,2,", ",0,42,")],
    &[(2, 4, "”tre” är ingen ålder"), (3, 5, "åldern 42 ligger utanför")])]
#[case::age_min_above_age_max(
    "programmes.csv", &[Replace(0, ",3,12,universal,", ",12,3,universal,")],
    &[(2, 5, "age_max 3 är lägre än age_min 12")])]
#[case::bad_level(
    "programmes.csv", &[Replace(0, ",3,12,universal,", ",3,12,universell,")],
    &[(2, 6, "”universell” är inget tillåtet värde")])]
// The unknown column where it stands (5th); the missing one after the last (7 columns).
#[case::missing_column_and_unknown_column(
    "sambu.csv", &[Replace(1, "last_confirmed", "senast")],
    &[(1, 5, "okänd kolumn ”senast”"), (1, 8, "kolumnen ”last_confirmed” saknas")])]
#[case::wrong_number_of_fields(
    "sambu.csv", &[Append("1496,unknown".into())],
    &[(LAST, 3, "raden har 2 fält men rubrikraden har 7")])]
#[case::bad_number_and_boolean(
    "trainings.csv", &[Replace(2, ",5,false,", ",fem,kanske,")],
    &[(2, 4, "inget heltal"), (2, 5, "true eller false")])]
#[case::round_kind_is_checked(
    "rounds.csv", &[Replace(0, ",survey,", ",enkat,")],
    &[(4, 3, "”enkat” är inget tillåtet värde")])]
#[case::contacts_are_checked(
    "contacts.csv",
    &[Append("1472,familjecentral,Källan,www.tibro.se,2026-12,tibro-forskolor,,,,".into())],
    &[(LAST, 4, "ingen webbadress")])]
#[case::unknown_source_id(
    "offerings.csv", &[Append(OFFERING.replace("https://example.org/a", "sla-2015-okand"))],
    &[(LAST, 9, "okänd källa ”sla-2015-okand”: ange ett id ur sources.csv")])]
#[case::seed_labels_are_refused(
    "sambu.csv", &[Replace(0, "vs-slutrapport-2024", "seed:003 (Slutrapport 2024)")],
    &[(3, 6, "”seed:” är en intern beteckning, ingen källa: ange källans id ur sources.csv")])]
#[case::sources_rows_are_checked(
    "sources.csv",
    &[Append("ny-kalla,Titel,Utgivare,blogg,2024,https://sla.se/skovde/2015/09/08/utgar-fran-vardagssituationer,2026-13,".into())],
    &[(LAST, 4, "”blogg” är inget tillåtet värde"), (LAST, 7, "månaden 13"),
      (LAST, 6, "samma adress som rad 5")])]
#[case::a_point_needs_both_coordinates(
    "contacts.csv", &[Append("1472,familjecentral,Exempel,,2026-12,tibro-forskolor,,,58.42,".into())],
    &[(LAST, 10, "lon saknas: ange både lat och lon")])]
#[case::coordinates_are_degrees(
    "contacts.csv", &[Append("1472,familjecentral,Exempel,,2026-12,tibro-forskolor,,,95,fjorton".into())],
    &[(LAST, 9, "lat: 95 ligger utanför ±90 grader"), (LAST, 10, "”fjorton” är inget tal")])]
// Skövde's town centre is not in Tibro.
#[case::a_point_lies_in_its_kommun(
    "contacts.csv", &[Append("1472,familjecentral,Exempel,,2026-12,tibro-forskolor,,,58.39,13.85".into())],
    &[(LAST, 9, "ligger inte i Tibro")])]
#[case::only_a_familjecentral_has_a_point(
    "contacts.csv", &[Append("1472,website,Tibro 2,https://tibro.se/x,2026-12,tibro-webbplats,,,58.42,14.16".into())],
    &[(LAST, 9, "koordinater anges bara för en familjecentral")])]
#[case::a_website_needs_its_address(
    "contacts.csv", &[Append("1472,website,Tibro 2,,2026-12,tibro-webbplats,,,,".into())],
    &[(LAST, 4, "fältet ”url” får inte vara tomt")])]
#[case::other_support_is_checked(
    "other_support.csv", &[Append("1472,Något,Beskrivning,2020/2019,pågår,2020,vs-slutrapport-2024,".into())],
    &[(LAST, 4, "slutar före den börjar"), (LAST, 5, "”pågår” är inget tillåtet värde")])]
#[case::embed_origins_are_checked(
    "dataset.toml", &[Replace(0, "\"https://www.vara.se\",", "\"https://www.vara.se/familj\",")],
    &[(0, 0, "embed_origins: ”https://www.vara.se/familj” är inget ursprung")])]
#[case::the_stale_cut_off_is_checked(
    "dataset.toml",
    &[Replace(0, "[regions.skaraborg]",
        "[freshness]\nstale_before = \"2023-13\"\n\n[regions.skaraborg]")],
    &[(0, 0, "stale_before: månaden 13")])]
fn a_broken_file_gives_exactly_these_problems(
    #[case] file: &str,
    #[case] edits: &[Edit],
    #[case] expected: &[(usize, usize, &str)],
) {
    let (_t, dir) = copy();
    for e in edits {
        match *e {
            Append(ref line) => append(&dir, file, line),
            Replace(0, from, to) => edit(&dir, file, |t| t.replacen(from, to, 1)),
            Replace(on, from, to) => edit(&dir, file, |t| {
                let mut ls: Vec<String> = t.lines().map(String::from).collect();
                ls[on - 1] = ls[on - 1].replacen(from, to, 1);
                ls.join("\n") + "\n"
            }),
        }
    }
    let ps = problems(&dir);
    assert_eq!(ps.len(), expected.len(), "{ps:#?}");
    for (p, &(line, column, needle)) in ps.iter().zip(expected) {
        let line = if line == LAST {
            lines(&dir, file)
        } else {
            line
        };
        assert!(p.file.ends_with(file), "{p}");
        assert_eq!((p.line, p.column), (line, column), "{p}");
        assert!(p.message.contains(needle), "{p}: lacks {needle:?}");
    }
}

/// Without a readable sources.csv, that file's one problem is reported, not one for every
/// reference to it; a `seed:` label is still refused.
#[test]
fn a_missing_sources_table_is_one_problem() {
    let (_t, dir) = copy();
    fs::remove_file(dir.join("sources.csv")).unwrap();
    let ps = problems(&dir);
    assert_eq!(ps.len(), 1, "{ps:#?}");
    assert!(ps[0].file.ends_with("sources.csv") && ps[0].message.contains("filen saknas"));
    edit(&dir, "sambu.csv", |t| {
        t.replacen("vs-slutrapport-2024", "seed:003", 1)
    });
    let ps = problems(&dir);
    assert_eq!(ps.len(), 2, "{ps:#?}");
    assert!(ps[1].message.contains("”seed:”"), "{ps:#?}");
}

#[test]
fn duplicate_key() {
    let (_t, dir) = copy();
    append(&dir, "offerings.csv", OFFERING);
    append(&dir, "offerings.csv", OFFERING);
    let first = lines(&dir, "offerings.csv") - 1;
    assert_one(
        &dir,
        "offerings.csv",
        first + 1,
        2,
        &format!("dubblett: samma nyckel som rad {first}"),
    );
}

#[test]
fn missing_file() {
    let (_t, dir) = copy();
    fs::remove_file(dir.join("rounds.csv")).unwrap();
    let ps = problems(&dir);
    assert!(
        ps[0].file.ends_with("rounds.csv") && ps[0].message.contains("filen saknas"),
        "{ps:#?}"
    );
}

#[test]
fn broken_geometry_names_the_feature_line() {
    let (_t, dir) = copy();
    // Line 3 is the second feature (Essunga): give it a ring that is not closed.
    edit(&dir, "kommuner.geojson", |t| {
        let mut ls: Vec<String> = t.lines().map(String::from).collect();
        assert!(ls[2].contains("\"1445\""));
        // Move the first position of the first ring: its ring is then not closed.
        let start = ls[2].find("\"coordinates\":").unwrap();
        let digit = start + ls[2][start..].find(|c: char| c.is_ascii_digit()).unwrap();
        ls[2].insert(digit, '1');
        ls.join("\n") + "\n"
    });
    let ps = problems(&dir);
    assert!(!ps.is_empty());
    assert!(
        ps.iter()
            .all(|p| p.file.ends_with("kommuner.geojson") && p.line == 3),
        "{ps:#?}"
    );
    assert!(
        ps.iter().any(|p| p.message.contains("1445")),
        "the problem names the kommun: {ps:#?}"
    );
}

#[test]
fn invalid_utf8_is_reported_not_a_panic() {
    let (_t, dir) = copy();
    let mut bytes = fs::read(dir.join("rounds.csv")).unwrap();
    bytes.extend_from_slice(b"x,\xff\xfe,2021,,seed:003\n");
    fs::write(dir.join("rounds.csv"), bytes).unwrap();
    let ps = problems(&dir);
    assert!(
        ps.iter()
            .any(|p| p.file.ends_with("rounds.csv") && p.message.contains("UTF-8")),
        "{ps:#?}"
    );
}

#[test]
fn every_planted_problem_is_reported_at_once() {
    let (_t, dir) = copy();
    append(&dir, "offerings.csv", &OFFERING.replace("1496", "9999"));
    append(&dir, "sambu.csv", "1496,kanske,,,2024,vs-slutrapport-2024,");
    append(&dir, "rounds.csv", "2021,Omgång,2021-13,,seed:003");
    append(
        &dir,
        "trainings.csv",
        "1496,sip_fordjupning,x,1,false,2020/2024,2024,",
    );
    let ps = problems(&dir);
    let files: Vec<&str> = ps
        .iter()
        .map(|p| Path::new(&p.file).file_name().unwrap().to_str().unwrap())
        .collect();
    for f in ["offerings.csv", "sambu.csv", "rounds.csv", "trainings.csv"] {
        assert!(files.contains(&f), "no problem reported in {f}: {ps:#?}");
    }
    assert_eq!(ps.len(), 4, "{ps:#?}");
}

#[test]
fn check_command_exits_by_the_data() {
    let bin = env!("CARGO_BIN_EXE_skaraborgskartan");
    let ok = Command::new(bin)
        .args(["check"])
        .arg(common::geodata())
        .output()
        .unwrap();
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stdout)
    );
    assert!(String::from_utf8_lossy(&ok.stdout).contains("inga problem"));

    let (_t, dir) = copy();
    append(&dir, "offerings.csv", &OFFERING.replace("1496", "1234"));
    let bad = Command::new(bin).arg("check").arg(&dir).output().unwrap();
    assert!(!bad.status.success());
    let out = String::from_utf8_lossy(&bad.stdout);
    let line = lines(&dir, "offerings.csv");
    assert!(
        out.contains(&format!("offerings.csv:{line}:1: okänd kommunkod 1234")),
        "{out}"
    );
    assert!(out.contains("1 problem hittades"), "{out}");
}

#[tokio::test]
async fn reload_swaps_a_valid_snapshot_and_keeps_the_old_one_on_problems() {
    use skaraborgskartan::{AppState, server};
    let (_t, dir) = copy();
    let state = AppState::new(server::build(&dir, None).unwrap());
    let cope = "/api/v1/coverage?kommun=1496&age=5&level=universal";
    let offered = |j: serde_json::Value| {
        j["kommuner"][0]["programmes"]["offered"]
            .as_array()
            .unwrap()
            .len()
    };
    assert_eq!(
        offered(common::get(&state, cope).await.json()),
        1,
        "Marte Meo only (the 2015 ABC is okänt today)"
    );

    append(&dir, "offerings.csv", &OFFERING.replace("1496", "1234"));
    let problems = server::reload(&state, &dir, None).unwrap_err();
    assert_eq!(problems.len(), 1);
    assert_eq!(
        offered(common::get(&state, cope).await.json()),
        1,
        "the old snapshot still answers"
    );

    edit(&dir, "offerings.csv", |t| {
        t.replace(&OFFERING.replace("1496", "1234"), OFFERING)
    });
    server::reload(&state, &dir, None).unwrap();
    assert_eq!(
        offered(common::get(&state, cope).await.json()),
        2,
        "Marte Meo and COPE after the reload"
    );
}

/// The cut-off can be set in dataset.toml: with it before 2015, Skövde's 2015 ABC counts again.
#[test]
fn a_configured_cut_off_decides_what_is_stale() {
    let (_t, dir) = copy();
    edit(&dir, "dataset.toml", |t| {
        t.replace(
            "[regions.skaraborg]",
            "[freshness]\nstale_before = \"2015\"\n\n[regions.skaraborg]",
        )
    });
    let a = skaraborgskartan::server::build(&dir, None).unwrap();
    let (k, p) = (
        a.kommun_index("1496").unwrap(),
        a.programme_index("abc").unwrap(),
    );
    assert_eq!(
        a.cell_state(k, a.default_round, p),
        skaraborgskartan::vocabulary::CellState::Offered
    );
    let biff = a.programme_index("biff").unwrap();
    assert!(
        a.lapsed(k, a.default_round, biff).is_some(),
        "undated stays okänt"
    );
}

/// A data file saved with CRLF line ends (Excel, Notepad) is reported on the file's own lines:
/// the csv crate's own count ran one behind after every CRLF.
#[rstest]
#[case::lf("\n")]
#[case::crlf("\r\n")]
fn line_numbers_hold_for_every_line_end(#[case] end: &str) {
    for file in [
        "offerings.csv",
        "sambu.csv",
        "contacts.csv",
        "programmes.csv",
    ] {
        let (_t, dir) = copy();
        let text = fs::read_to_string(dir.join(file)).unwrap();
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        // Line 2 of the file becomes a broken copy of itself, placed as the last line.
        let broken = if file == "programmes.csv" {
            lines[1].replacen(",3,12,", ",3,99,", 1)
        } else {
            lines[1].replacen("14", "99", 1)
        };
        assert_ne!(broken, lines[1], "{file}: nothing to break");
        lines.push(broken);
        let last = lines.len();
        fs::write(dir.join(file), lines.join(end) + end).unwrap();
        let ps = problems(&dir);
        assert!(
            ps.iter().all(|p| p.file.ends_with(file) && p.line == last),
            "{file} with {end:?}: expected every problem on line {last}: {ps:#?}"
        );
    }
}
