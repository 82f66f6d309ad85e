//! The pictures (server-rendered SVG) read back as XML and compared with the API, for every
//! kommun of the example data (and the real data, where everything is okänt): the kommun page's
//! coverage strip, the overview of the region with a chosen age and two rounds, the change on
//! /jamfor, the lägesbild; their text equivalents (title, desc, the tables) say the same; bad
//! parameters get a Swedish 400/404 page and `fbclid` is ignored; every id on a page is unique.

mod common;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write;

use axum::http::StatusCode;
use common::{Reply, example, get, real, sverige};
use serde_json::Value;
use skaraborgskartan::AppState;

fn text(r: &Reply) -> String {
    String::from_utf8(r.body.clone()).expect("UTF-8")
}

async fn page(s: &AppState, uri: &str) -> String {
    let r = get(s, uri).await;
    assert_eq!(r.status, StatusCode::OK, "{uri}: {}", text(&r));
    text(&r)
}

async fn api(s: &AppState, uri: &str) -> Value {
    let r = get(s, uri).await;
    assert_eq!(r.status, StatusCode::OK, "{uri}");
    r.json()
}

/// Every picture of a page (`<svg … data-picture=…>`), as XML text.
fn pictures(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find("<svg ") {
        let end = rest[i..].find("</svg>").expect("a closed svg") + i + "</svg>".len();
        let svg = &rest[i..end];
        let open = &svg[..svg.find('>').unwrap()];
        if open.contains("data-picture=") {
            assert!(!open.contains("style="), "no style attribute (CSP): {open}");
            out.push(svg.to_string());
        }
        rest = &rest[end..];
    }
    out
}

/// An element of an HTML page that is well-formed XML on its own (a table, an svg), by its id.
fn fragment(html: &str, tag: &str, id: &str) -> String {
    let at = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no #{id}"));
    let start = html[..at].rfind(&format!("<{tag}")).unwrap();
    let end = html[start..].find(&format!("</{tag}>")).unwrap() + start + tag.len() + 3;
    html[start..end].to_string()
}

/// The text inside an element (its text nodes, in order).
fn inner_text(n: roxmltree::Node) -> String {
    n.descendants()
        .filter(roxmltree::Node::is_text)
        .filter_map(|d| d.text())
        .collect()
}

fn doc(xml: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("not XML ({e}): {xml:.300}"))
}

/// A row of a coverage picture: what it is about, and each age's state (index 0 is pregnancy,
/// 1..=18 the ages 0..17), with the marks of a change row.
#[derive(Debug, Default)]
struct PictureRow {
    kommun: Option<String>,
    level: Option<String>,
    round: Option<String>,
    states: Vec<Option<String>>,
    note: bool,
    gained: Vec<i64>,
    lost: Vec<i64>,
}

fn age_index(age: i64) -> usize {
    (age + 1) as usize
}

/// The Swedish word a title gives for a state.
fn state_label(code: &str) -> &'static str {
    match code {
        "offered" => "täckt",
        "not_offered" => "inte täckt",
        "unknown" => "okänt",
        "no_programme" => "inget program i katalogen",
        other => panic!("unknown state {other}"),
    }
}

/// Ages as the pages write them ("under graviditeten, 0–2, 5 och 13–17 år"), read back.
fn parse_ages(s: &str) -> Vec<i64> {
    let s = s.trim().trim_end_matches(" år").replace(" och ", ", ");
    let mut out = Vec::new();
    for part in s.split(", ").map(str::trim).filter(|p| !p.is_empty()) {
        if part == "under graviditeten" {
            out.push(-1);
        } else if let Some((a, b)) = part.split_once('–') {
            let (a, b): (i64, i64) = (a.parse().unwrap(), b.parse().unwrap());
            out.extend(a..=b);
        } else {
            out.push(
                part.parse()
                    .unwrap_or_else(|_| panic!("an age: {part:?} in {s:?}")),
            );
        }
    }
    out
}

/// The rows of every coverage picture in `svgs`, in order, checked on the way: the cells of a
/// row tile the ages once, and each cell's title says its ages and its state.
fn coverage_rows(svgs: &[String]) -> Vec<PictureRow> {
    let mut rows = Vec::new();
    for svg in svgs {
        let d = doc(svg);
        let root = d.root_element();
        assert_eq!(root.attribute("role"), Some("img"));
        assert_eq!(root.attribute("data-picture"), Some("coverage"));
        for g in root.descendants().filter(|n| n.has_attribute("data-row")) {
            let mut row = PictureRow {
                kommun: g.attribute("data-kommun").map(String::from),
                level: g.attribute("data-level").map(String::from),
                round: g.attribute("data-round").map(String::from),
                states: vec![None; 19],
                ..PictureRow::default()
            };
            for rect in g.descendants().filter(|n| n.has_tag_name("rect")) {
                let state = rect.attribute("data-state").unwrap();
                let title = rect
                    .children()
                    .find(|n| n.has_tag_name("title"))
                    .and_then(|t| t.text())
                    .unwrap_or("");
                if state == "not_comparable" {
                    row.note = true;
                    assert!(
                        title.contains("Kan inte jämföras – inga uppgifter"),
                        "{title}"
                    );
                    continue;
                }
                // Each state its own look: okänt hatched (a pattern of this picture), never
                // plain, and never the white of "inte täckt".
                let fill = rect.attribute("fill").unwrap();
                let id = root.attribute("id").unwrap();
                let want = match state {
                    "offered" => "#08306b".to_string(),
                    "not_offered" => "#ffffff".to_string(),
                    "unknown" => format!("url(#{id}-okant)"),
                    _ => format!("url(#{id}-inget)"),
                };
                assert_eq!(fill, want, "{title}");
                if let Some(p) = fill.strip_prefix("url(#").and_then(|f| f.strip_suffix(')')) {
                    assert!(
                        root.descendants()
                            .any(|n| n.has_tag_name("pattern") && n.attribute("id") == Some(p)),
                        "the pattern {p} is in the picture"
                    );
                }
                let from: i64 = rect.attribute("data-from").unwrap().parse().unwrap();
                let to: i64 = rect.attribute("data-to").unwrap().parse().unwrap();
                let (ages, word) = title.rsplit_once(": ").expect("title: ages: state");
                assert_eq!(word, state_label(state), "{title}");
                let ages = ages.rsplit_once(", ").map_or(ages, |(_, a)| a);
                assert_eq!(parse_ages(ages), (from..=to).collect::<Vec<_>>(), "{title}");
                for a in from..=to {
                    let cell = &mut row.states[age_index(a)];
                    assert!(cell.is_none(), "age {a} drawn twice: {title}");
                    *cell = Some(state.to_string());
                }
            }
            if !row.note {
                assert!(
                    row.states.iter().all(Option::is_some),
                    "a row without some age: {row:?}"
                );
            }
            for t in g.children().filter(|n| n.has_attribute("data-mark")) {
                let age: i64 = t.attribute("data-age").unwrap().parse().unwrap();
                match t.attribute("data-mark") {
                    Some("gained") => row.gained.push(age),
                    Some("lost") => row.lost.push(age),
                    other => panic!("a mark {other:?}"),
                }
            }
            rows.push(row);
        }
    }
    rows
}

/// Each age's state as the API's coverage report of one level says it.
fn report_states(r: &Value) -> Vec<Option<String>> {
    let ages = |key: &str| -> Vec<i64> {
        r[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_i64().unwrap())
            .collect()
    };
    let (covered, unknown) = (ages("covered_ages"), ages("unknown_ages"));
    let none: Vec<i64> = r["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["no_programme_ages"].as_array().unwrap().clone())
        .map(|v| v.as_i64().unwrap())
        .collect();
    let mut out = vec![Some(r["prenatal"].as_str().unwrap().to_string())];
    for a in 0..=17 {
        let s = if covered.contains(&a) {
            "offered"
        } else if unknown.contains(&a) {
            "unknown"
        } else if none.contains(&a) {
            "no_programme"
        } else {
            "not_offered"
        };
        out.push(Some(s.to_string()));
    }
    out
}

/// The sentences of a description, "name: state: ages; state: ages.", read back to state →
/// ages per name.
fn described(desc: &str) -> HashMap<String, BTreeMap<String, Vec<i64>>> {
    let mut out = HashMap::new();
    for sentence in desc.split(". ").map(|s| s.trim_end_matches('.')) {
        let (name, facts) = sentence.split_once(": ").expect("name: facts");
        let mut m = BTreeMap::new();
        for fact in facts.split("; ") {
            let (word, ages) = fact.split_once(": ").expect("state: ages");
            m.insert(word.to_string(), parse_ages(ages));
        }
        out.insert(name.to_string(), m);
    }
    out
}

/// A row's states grouped the way a description says them.
fn by_word(states: &[Option<String>]) -> BTreeMap<String, Vec<i64>> {
    let mut m: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    for (i, s) in states.iter().enumerate() {
        let word = state_label(s.as_deref().unwrap()).to_string();
        m.entry(word).or_default().push(i as i64 - 1);
    }
    m
}

fn desc_of(svg: &str) -> String {
    let d = doc(svg);
    let desc = d
        .descendants()
        .find(|n| n.has_tag_name("desc"))
        .expect("a desc");
    let id = desc.attribute("id").unwrap();
    assert_eq!(
        d.root_element().attribute("aria-describedby"),
        Some(id),
        "the picture is described by its desc"
    );
    let title = d.descendants().find(|n| n.has_tag_name("title")).unwrap();
    assert_eq!(
        d.root_element().attribute("aria-labelledby"),
        title.attribute("id")
    );
    assert!(!title.text().unwrap_or("").is_empty());
    desc.text().unwrap_or("").to_string()
}

fn assert_unique_ids(html: &str, what: &str) {
    let mut seen = HashSet::new();
    for part in html.split(" id=\"").skip(1) {
        let id = part.split('"').next().unwrap();
        assert!(seen.insert(id.to_string()), "{what}: id {id} twice");
    }
}

const LEVELS: [&str; 4] = ["universal", "selective", "indicated", "all"];
const LEVEL_NAMES: [&str; 4] = ["Universell", "Selektiv", "Indikerad", "Alla nivåer"];

#[tokio::test]
async fn the_kommun_strip_says_what_the_api_says_for_every_kommun() {
    for s in [example(), real()] {
        let region = api(&s, "/api/v1/region").await;
        for k in region["kommuner"].as_array().unwrap() {
            let code = k["kommunkod"].as_str().unwrap();
            let html = page(&s, &format!("/kommun/{code}")).await;
            assert_unique_ids(&html, code);
            let svgs = pictures(&html);
            assert_eq!(svgs.len(), 1, "/kommun/{code}: one picture");
            assert!(svgs[0].contains("id=\"tackningsbild\""));
            let detail = api(&s, &format!("/api/v1/kommuner/{code}")).await;
            let round = detail["rounds"]
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["default"] == true)
                .unwrap();
            let rows = coverage_rows(&svgs);
            assert_eq!(
                rows.iter()
                    .map(|r| r.level.as_deref().unwrap())
                    .collect::<Vec<_>>(),
                LEVELS
            );
            let desc = described(&desc_of(&svgs[0]));
            for ((row, level), name) in rows.iter().zip(LEVELS).zip(LEVEL_NAMES) {
                let report = round["coverage"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|c| c["level"] == level)
                    .unwrap();
                assert_eq!(row.states, report_states(report), "/kommun/{code}, {level}");
                assert_eq!(
                    desc[name],
                    by_word(&row.states),
                    "/kommun/{code}: desc, {level}"
                );
            }
            // The table stays, behind "Visa som tabell".
            let details = &html[html
                .find("<details class=\"som-tabell\">")
                .expect("details")..];
            assert!(
                details.starts_with(
                    "<details class=\"som-tabell\"><summary>Visa som tabell</summary>"
                )
            );
            assert!(
                details[..details.find("</details>").unwrap()]
                    .contains("<table class=\"tackning rutnat\">")
            );
        }
    }
}

#[tokio::test]
async fn the_overview_draws_every_kommun_at_every_level_as_the_api_says() {
    let s = example();
    let region = api(&s, "/api/v1/region").await;
    let rounds: Vec<String> = region["rounds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    for round in &rounds {
        for level in LEVELS {
            let uri = format!("/oversikt?level={level}&round={round}");
            let html = page(&s, &uri).await;
            assert_unique_ids(&html, &uri);
            let svgs = pictures(&html);
            let rows = coverage_rows(&svgs);
            assert_eq!(rows.len(), 15, "{uri}");
            let answer = api(&s, &format!("/api/v1/coverage?level={level}&round={round}")).await;
            let names: HashMap<String, String> = answer["kommuner"]
                .as_array()
                .unwrap()
                .iter()
                .map(|k| {
                    (
                        k["kommunkod"].as_str().unwrap().into(),
                        k["namn"].as_str().unwrap().into(),
                    )
                })
                .collect();
            let desc: HashMap<String, BTreeMap<String, Vec<i64>>> = svgs
                .iter()
                .flat_map(|svg| described(&desc_of(svg)))
                .collect();
            // The table behind "Visa som tabell", in the picture's order.
            let table = fragment(&html, "table", "oversiktstabell");
            let table = doc(&table);
            let trs: Vec<_> = table
                .descendants()
                .filter(|n| n.has_attribute("data-kommun"))
                .collect();
            assert_eq!(trs.len(), 15);
            for (row, tr) in rows.iter().zip(&trs) {
                let code = row.kommun.as_deref().unwrap();
                assert_eq!(
                    tr.attribute("data-kommun"),
                    Some(code),
                    "{uri}: the table's order"
                );
                assert_eq!(
                    (row.level.as_deref(), row.round.as_deref()),
                    (Some(level), Some(round.as_str()))
                );
                let k = answer["kommuner"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|k| k["kommunkod"] == code)
                    .unwrap();
                assert_eq!(row.states, report_states(&k["coverage"]), "{uri}, {code}");
                assert_eq!(
                    desc[&names[code]],
                    by_word(&row.states),
                    "{uri}, {code}: desc"
                );
                // Each state's column lists the ages in that state ("–" for none).
                let words = by_word(&row.states);
                for td in tr.children().filter(|n| n.has_attribute("data-state")) {
                    let word = state_label(td.attribute("data-state").unwrap());
                    let text = inner_text(td);
                    let ages = if text == "–" {
                        Vec::new()
                    } else {
                        parse_ages(&text)
                    };
                    assert_eq!(
                        ages,
                        words.get(word).cloned().unwrap_or_default(),
                        "{uri}, {code}: table, {word}"
                    );
                }
            }
        }
    }
}

/// The Swedish sort key of the pages: å, ä, ö after z.
fn swedish(name: &str) -> Vec<u32> {
    name.to_lowercase()
        .chars()
        .map(|c| match c {
            'å' => 'z' as u32 + 1,
            'ä' => 'z' as u32 + 2,
            'ö' => 'z' as u32 + 3,
            c => c as u32,
        })
        .collect()
}

#[tokio::test]
async fn a_chosen_age_is_framed_and_counted_and_the_rows_sort_by_coverage() {
    let s = example();
    for (age, code) in [(13, "13"), (-1, "graviditet"), (0, "0")] {
        for level in ["universal", "all", "indicated"] {
            let uri = format!("/oversikt?level={level}&age={code}&sort=tackning");
            let html = page(&s, &uri).await;
            let answer = api(&s, &format!("/api/v1/coverage?level={level}&age={code}")).await;
            let mut tally: HashMap<String, usize> = HashMap::new();
            for k in answer["kommuner"].as_array().unwrap() {
                *tally
                    .entry(k["age_state"].as_str().unwrap().into())
                    .or_default() += 1;
            }
            let n = |s: &str| tally.get(s).copied().unwrap_or(0);
            let age_words = if age == -1 {
                "Under graviditeten".to_string()
            } else {
                format!("{age} år")
            };
            let level_words = match level {
                "all" => "alla nivåer".to_string(),
                l => format!(
                    "{} nivå",
                    match l {
                        "universal" => "universell",
                        _ => "indikerad",
                    }
                ),
            };
            let mut want = format!(
                "{age_words}, {level_words}: täckt i {} av 15 kommuner",
                n("offered")
            );
            for (code, word) in [
                ("unknown", "okänt"),
                ("not_offered", "inte täckt"),
                ("no_programme", "inget program i katalogen"),
            ] {
                if n(code) > 0 {
                    let _ = write!(want, ", {word} i {}", n(code));
                }
            }
            assert!(
                html.contains(&format!("{want}.")),
                "{uri}: should say «{want}.»"
            );
            let svgs = pictures(&html);
            let framed = doc(&svgs[0])
                .descendants()
                .find(|n| n.has_attribute("data-highlight"))
                .and_then(|n| n.attribute("data-highlight").map(String::from));
            assert_eq!(
                framed,
                Some(age.to_string()),
                "{uri}: the age's column is framed"
            );
            // Sorted: the state at the age (covered, okänt, not covered, none), then most ages covered.
            let rank = |s: &str| {
                ["offered", "unknown", "not_offered", "no_programme"]
                    .iter()
                    .position(|x| *x == s)
                    .unwrap()
            };
            let keys: Vec<(usize, std::cmp::Reverse<usize>)> = coverage_rows(&svgs)
                .iter()
                .map(|r| {
                    let at = r.states[age_index(age)].as_deref().unwrap();
                    let covered = r.states[1..]
                        .iter()
                        .filter(|s| s.as_deref() == Some("offered"))
                        .count();
                    (rank(at), std::cmp::Reverse(covered))
                })
                .collect();
            assert!(keys.is_sorted(), "{uri}: rows by coverage: {keys:?}");
        }
    }
    // By name (the default): Swedish alphabetical order.
    let html = page(&s, "/oversikt").await;
    let region = api(&s, "/api/v1/region").await;
    let name = |code: &str| -> String {
        region["kommuner"]
            .as_array()
            .unwrap()
            .iter()
            .find(|k| k["kommunkod"] == code)
            .unwrap()["namn"]
            .as_str()
            .unwrap()
            .into()
    };
    let names: Vec<String> = coverage_rows(&pictures(&html))
        .iter()
        .map(|r| name(r.kommun.as_deref().unwrap()))
        .collect();
    let mut sorted = names.clone();
    sorted.sort_by_key(|n| swedish(n));
    assert_eq!(names, sorted);
    assert!(!html.contains("data-highlight"), "no age chosen, no frame");
}

/// The confirmed marks the API's two reports imply: gained where not covered before and
/// covered now, lost the other way (a change to or from okänt is no confirmed change).
fn marks(from: &[Option<String>], to: &[Option<String>]) -> (Vec<i64>, Vec<i64>) {
    let (mut gained, mut lost) = (Vec::new(), Vec::new());
    for a in 0..=17 {
        let (x, y) = (from[age_index(a)].as_deref(), to[age_index(a)].as_deref());
        match (x, y) {
            (Some("not_offered"), Some("offered")) => gained.push(a),
            (Some("offered"), Some("not_offered")) => lost.push(a),
            _ => {}
        }
    }
    (gained, lost)
}

#[tokio::test]
async fn the_change_between_two_rounds_marks_only_confirmed_changes() {
    let s = example();
    let region = api(&s, "/api/v1/region").await;
    let ids: Vec<&str> = region["rounds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    let (a, b) = (ids[0], ids[1]);
    let codes: Vec<&str> = region["kommuner"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["kommunkod"].as_str().unwrap())
        .collect();
    let compare = api(
        &s,
        &format!("/api/v1/compare?kommuner={}&round={a},{b}", codes.join(",")),
    )
    .await;
    // A kommun's change at a level, as the API gives it.
    let levels = |code: &str, level: &str| -> Value {
        let k = compare["kommuner"]
            .as_array()
            .unwrap()
            .iter()
            .find(|k| k["kommunkod"] == code)
            .unwrap();
        k["levels"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["level"] == level)
            .unwrap()
            .clone()
    };
    let report = |code: &str, level: &str, side: &str| report_states(&levels(code, level)[side]);
    let mut any_mark = false;
    for level in LEVELS {
        // The overview with two rounds: each kommun's two rows, the later one marked.
        let uri = format!("/oversikt?level={level}&round={a},{b}");
        let html = page(&s, &uri).await;
        let rows = coverage_rows(&pictures(&html));
        assert_eq!(
            rows.len(),
            30,
            "{uri}: two rows a kommun (every example kommun has answers)"
        );
        for pair in rows.chunks(2) {
            let code = pair[0].kommun.as_deref().unwrap();
            assert_eq!(pair[0].round.as_deref(), Some(a));
            assert_eq!(pair[1].round.as_deref(), Some(b));
            let (x, y) = (report(code, level, "from"), report(code, level, "to"));
            assert_eq!(pair[0].states, x, "{uri} {code}");
            assert_eq!(pair[1].states, y, "{uri} {code}");
            let (gained, lost) = marks(&x, &y);
            assert_eq!(
                (&pair[1].gained, &pair[1].lost),
                (&gained, &lost),
                "{uri} {code}"
            );
            assert!(pair[0].gained.is_empty() && pair[0].lost.is_empty());
            any_mark |= !gained.is_empty() || !lost.is_empty();
            // Every confirmed mark is a change the API reports.
            let l = levels(code, level);
            let api_ages = |key: &str| -> Vec<i64> {
                l[key]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| v.as_i64().unwrap())
                    .collect()
            };
            assert!(gained.iter().all(|g| api_ages("gained_ages").contains(g)));
            assert!(lost.iter().all(|g| api_ages("lost_ages").contains(g)));
        }
    }
    // The same on /jamfor: a picture a kommun, two rows a level.
    let uri = format!("/jamfor?kommuner={}&round={a},{b}", codes.join(","));
    let html = page(&s, &uri).await;
    assert_unique_ids(&html, &uri);
    assert_eq!(coverage_rows(&pictures(&html)).len(), 15 * 8, "{uri}");
    for code in &codes {
        let svg = fragment(&html, "svg", &format!("forandring-{code}"));
        let rows = coverage_rows(&[svg]);
        for (level, pair) in LEVELS.iter().zip(rows.chunks(2)) {
            assert_eq!(pair[0].level.as_deref(), Some(*level));
            assert_eq!(pair[1].kommun.as_deref(), Some(*code));
            let (x, y) = (report(code, level, "from"), report(code, level, "to"));
            assert_eq!(
                (&pair[0].states, &pair[1].states),
                (&x, &y),
                "/jamfor {code} {level}"
            );
            let (gained, lost) = marks(&x, &y);
            assert_eq!(
                (&pair[1].gained, &pair[1].lost),
                (&gained, &lost),
                "/jamfor {code} {level}"
            );
        }
    }
    // The table beside each picture says the same: "inte längre täckt" only where it is
    // confirmed, never for an age that is okänt now.
    for section in html.split("<section class=\"jamforelse\"").skip(1) {
        let code = section
            .split("id=\"h-")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        let table = &section[section.find("<tbody>").unwrap()..section.find("</tbody>").unwrap()];
        for (level, name) in LEVELS.iter().zip(LEVEL_NAMES) {
            let row = table
                .split(&format!("<th scope=\"row\">{name}</th>"))
                .nth(1)
                .unwrap();
            let change = row
                .split("<td>")
                .nth(3)
                .unwrap()
                .split("</td>")
                .next()
                .unwrap();
            let said = |what: &str| -> Vec<i64> {
                change
                    .split(&format!("{what}: "))
                    .nth(1)
                    .map(|rest| parse_ages(&format!("{} år", rest.split(" år").next().unwrap())))
                    .unwrap_or_default()
            };
            let (gained, lost) = marks(&report(code, level, "from"), &report(code, level, "to"));
            assert_eq!(
                said("nytt täckt"),
                gained,
                "/jamfor {code} {level}: «{change}»"
            );
            assert_eq!(
                said("inte längre täckt"),
                lost,
                "/jamfor {code} {level}: «{change}»"
            );
        }
    }
    assert!(
        any_mark,
        "the example data has a confirmed change somewhere (else this test proves little)"
    );
}

#[tokio::test]
async fn rounds_without_answers_cannot_be_compared_never_no_change() {
    let s = real();
    let region = api(&s, "/api/v1/region").await;
    let surveys: Vec<&Value> = region["rounds"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["kind"] == "survey")
        .collect();
    let (a, b) = (
        surveys[0]["id"].as_str().unwrap(),
        surveys[1]["id"].as_str().unwrap(),
    );
    let uri = format!("/oversikt?round={a},{b}");
    let html = page(&s, &uri).await;
    let rows = coverage_rows(&pictures(&html));
    assert_eq!(rows.len(), 15, "{uri}: one note a kommun");
    for row in &rows {
        let code = row.kommun.as_deref().unwrap();
        let k = api(&s, &format!("/api/v1/kommuner/{code}")).await;
        let answered = |id: &str| {
            k["rounds"]
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["id"] == id)
                .unwrap()["answered"]
                == true
        };
        assert!(
            !answered(a) || !answered(b),
            "{code} has answers in both (the real data has none)"
        );
        assert!(row.note, "{uri} {code}: kan inte jämföras");
    }
    assert!(html.contains("Kan inte jämföras – inga uppgifter"));
    assert!(
        !html.contains("ingen förändring") && !html.contains("ingen bekräftad förändring"),
        "{uri}"
    );
    assert!(
        html.contains("kan inte jämföras i 15"),
        "{uri}: the count says so"
    );
    // /jamfor draws no picture where nothing can be compared.
    let html = page(&s, &format!("/jamfor?kommuner=1496,1471&round={a},{b}")).await;
    assert!(pictures(&html).is_empty());
    assert!(html.contains("Kan inte jämföras – inga uppgifter"));
}

/// Whether a training period ("2021/2024", "2023", "2024-03") surely reaches the day `since`:
/// its end, at its earliest (a year from January 1st, a month from its 1st), is not before it.
fn reaches(period: &str, since: (u16, u8, u8)) -> bool {
    let end = period.rsplit('/').next().unwrap();
    let parts: Vec<u16> = end.split('-').map(|p| p.parse().unwrap()).collect();
    let earliest = match parts[..] {
        [y] => (y, 1, 1),
        [y, m] => (y, m as u8, 1),
        [y, m, d] => (y, m as u8, d as u8),
        _ => panic!("{period}"),
    };
    earliest >= since
}

#[tokio::test]
async fn the_lagesbild_says_what_the_layers_say() {
    let today = skaraborgskartan::dates::today();
    let t: Vec<u16> = today.split('-').map(|p| p.parse().unwrap()).collect();
    let since = (t[0] - 2, t[1] as u8, t[2] as u8);
    for s in [example(), real()] {
        let html = page(&s, "/lagesbild").await;
        assert_unique_ids(&html, "/lagesbild");
        let region = api(&s, "/api/v1/region").await;
        let layer = async |uri: &str| -> HashMap<String, Value> {
            api(&s, uri).await["features"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| {
                    (
                        f["properties"]["kommunkod"].as_str().unwrap().to_string(),
                        f["properties"].clone(),
                    )
                })
                .collect()
        };
        let sambu = layer("/api/v1/layers/sambu").await;
        let parts = layer("/api/v1/layers/partssamverkan").await;
        let trainings = layer("/api/v1/layers/trainings").await;
        let mut adherence = HashMap::new();
        for d in region["documents"].as_array().unwrap() {
            let slug = d["slug"].as_str().unwrap();
            adherence.insert(
                slug.to_string(),
                layer(&format!("/api/v1/layers/adherence?document={slug}")).await,
            );
        }
        let mut cells = 0;
        let table = fragment(&html, "table", "lagesbild-tabell");
        let table = doc(&table);
        for svg in pictures(&html) {
            let d = doc(&svg);
            assert_eq!(d.root_element().attribute("data-picture"), Some("steps"));
            let desc = desc_of(&svg);
            for g in d.descendants().filter(|n| n.has_attribute("data-kommun")) {
                let code = g.attribute("data-kommun").unwrap();
                let tr = table
                    .descendants()
                    .find(|n| n.attribute("data-kommun") == Some(code))
                    .unwrap();
                for rect in g.descendants().filter(|n| n.has_tag_name("rect")) {
                    cells += 1;
                    let (measure, state) = (
                        rect.attribute("data-measure").unwrap(),
                        rect.attribute("data-state").unwrap(),
                    );
                    let want = match measure {
                        "sambu" => sambu[code]["status"].as_str().unwrap().to_string(),
                        "partssamverkan" => parts[code]["status"].as_str().unwrap().to_string(),
                        "trainings" => {
                            let n = trainings[code]["rows"]
                                .as_array()
                                .unwrap()
                                .iter()
                                .filter(|r| reaches(r["period"].as_str().unwrap(), since))
                                .count();
                            assert_eq!(
                                rect.attribute("data-count")
                                    .map(|c| c.parse::<usize>().unwrap()),
                                (n > 0).then_some(n),
                                "{code} trainings"
                            );
                            // None recorded in the last two years is okänt, never zero.
                            if n == 0 {
                                "unknown".into()
                            } else {
                                "recorded".into()
                            }
                        }
                        m => {
                            let slug = m.strip_prefix("adherence:").unwrap();
                            adherence[slug][code]["status"]
                                .as_str()
                                .unwrap()
                                .to_string()
                        }
                    };
                    assert_eq!(state, want, "/lagesbild {code} {measure}");
                    // The hatched swatch is for okänt and only for it.
                    let hatched = rect.attribute("fill").unwrap().ends_with("-okant)");
                    assert_eq!(
                        hatched,
                        state == "unknown",
                        "/lagesbild {code} {measure}: okänt is hatched"
                    );
                    // The table's cell says the same, and so does the description.
                    let td = tr
                        .children()
                        .find(|n| n.attribute("data-measure") == Some(measure))
                        .unwrap();
                    assert_eq!(td.attribute("data-state"), Some(state));
                    let title = rect
                        .children()
                        .find(|n| n.has_tag_name("title"))
                        .unwrap()
                        .text()
                        .unwrap();
                    let said = title.split_once(": ").unwrap().1;
                    let cell_text = inner_text(td);
                    assert_eq!(
                        cell_text,
                        said.split_once(": ").map_or(said, |(_, t)| t),
                        "/lagesbild {code} {measure}: table"
                    );
                    assert!(
                        desc.contains(said.split_once(": ").map_or(said, |(_, t)| t)),
                        "/lagesbild {code}: desc says {said}"
                    );
                }
            }
        }
        let n = region["kommuner"].as_array().unwrap().len();
        assert_eq!(
            cells,
            n * (3 + region["documents"].as_array().unwrap().len())
        );
    }
}

#[tokio::test]
async fn bad_parameters_get_a_swedish_page_and_decorations_are_ignored() {
    let s = example();
    for (uri, status, says) in [
        (
            "/oversikt?sort=storlek",
            400,
            "sort: ”storlek” är inget tillåtet värde (tillåtna: namn, tackning).",
        ),
        ("/oversikt?level=alla", 400, "level: ”alla” är ingen nivå"),
        ("/oversikt?age=18", 400, "age: 18 ligger utanför 0–17 år"),
        (
            "/oversikt?age=tretton",
            400,
            "age: ”tretton” är ingen ålder",
        ),
        (
            "/oversikt?round=finns-inte",
            404,
            "round: omgången ”finns-inte” finns inte",
        ),
        (
            "/oversikt?round=exempel-2021,exempel-2024,exempel-2021",
            400,
            "round: ange en omgång, eller två att jämföra",
        ),
    ] {
        let r = get(&s, uri).await;
        assert_eq!(r.status.as_u16(), status, "{uri}");
        assert!(r.header("content-type").starts_with("text/html"), "{uri}");
        let t = text(&r);
        assert!(
            t.contains("<html lang=\"sv\">") && t.contains(says),
            "{uri}: {t:.2000}"
        );
    }
    for (plain, decorated) in [
        (
            "/oversikt",
            "/oversikt?fbclid=IwAR0abc&utm_source=nyhetsbrev",
        ),
        (
            "/oversikt?level=universal&age=13",
            "/oversikt?age=13&level=universal&gclid=x",
        ),
        ("/lagesbild", "/lagesbild?fbclid=IwAR0abc"),
    ] {
        let (x, y) = (get(&s, plain).await, get(&s, decorated).await);
        assert_eq!(
            (x.status, y.status),
            (StatusCode::OK, StatusCode::OK),
            "{decorated}"
        );
        assert_eq!(
            x.header("etag"),
            y.header("etag"),
            "{decorated}: the same page"
        );
        assert!(
            text(&y).contains(&format!(
                "<link rel=\"canonical\" href=\"{}\">",
                plain.replace('&', "&amp;")
            )),
            "{decorated}"
        );
    }
    // Defaults are left out of the canonical address.
    let t = page(&s, "/oversikt?level=all&sort=namn&round=exempel-2024").await;
    assert!(t.contains("<link rel=\"canonical\" href=\"/oversikt\">"));
}

#[tokio::test]
async fn the_new_pages_are_linked_and_carry_the_frame() {
    for s in [example(), real()] {
        for uri in ["/oversikt", "/lagesbild"] {
            let t = page(&s, uri).await;
            assert!(t.starts_with("<!DOCTYPE html><html lang=\"sv\">"), "{uri}");
            assert!(
                t.contains("<a href=\"/oversikt\">Översikt</a>")
                    && t.contains("<a href=\"/lagesbild\">Lägesbild</a>"),
                "{uri}: navigation"
            );
        }
        let map = page(&s, "/?age=13&level=universal").await;
        assert!(
            map.contains("href=\"/oversikt?level=universal&amp;age=13\""),
            "the map page links the overview for its age and level"
        );
    }
}

#[tokio::test]
async fn all_of_sweden_fits_in_parts() {
    let s = sverige();
    let html = page(&s, "/oversikt?level=universal&age=13&sort=tackning").await;
    assert_unique_ids(&html, "/oversikt, sverige");
    let svgs = pictures(&html);
    assert_eq!(svgs.len(), 10, "290 kommuner in parts of 30");
    let rows = coverage_rows(&svgs);
    assert_eq!(rows.len(), 290);
    let answer = api(&s, "/api/v1/coverage?level=universal&age=13").await;
    let covered = answer["kommuner"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|k| k["age_state"] == "offered")
        .count();
    let said = format!("13 år, universell nivå: täckt i {covered} av 290 kommuner, okänt i ");
    assert!(html.contains(&said), "/oversikt, sverige: «{said}»");
    let html = page(&s, "/lagesbild").await;
    let svgs = pictures(&html);
    assert_eq!(svgs.len(), 10);
    let kommuner: usize = svgs
        .iter()
        .map(|svg| {
            doc(svg)
                .descendants()
                .filter(|n| n.has_attribute("data-kommun"))
                .count()
        })
        .sum();
    assert_eq!(kommuner, 290);
}
