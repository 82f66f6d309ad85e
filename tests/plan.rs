//! The gap planner over HTTP: `/api/v1/plan` checked by hand against the example data for Tibro,
//! its strict parameters and Swedish errors, caching; `/kommun/{kod}/planera` and the plan
//! summary on the kommun page; every kommun of both data sets and both regions planned and
//! rendered without a panic, with okänt never counted as erbjuds inte.

mod common;

use std::sync::OnceLock;

use axum::http::StatusCode;
use common::{Reply, example, geodata, get, real, request, sverige};
use serde_json::Value;
use skaraborgskartan::AppState;

fn text(r: &Reply) -> String {
    String::from_utf8(r.body.clone()).expect("UTF-8 page")
}

/// The example data on all of Sweden (its offerings are the 15 Skaraborg kommuners).
fn example_sverige() -> AppState {
    static S: OnceLock<AppState> = OnceLock::new();
    S.get_or_init(|| {
        let dir = geodata().join("example");
        AppState::new(
            skaraborgskartan::server::build(&dir, Some("sverige"))
                .unwrap_or_else(|p| panic!("{}", skaraborgskartan::server::report(&p))),
        )
    })
    .clone()
}

async fn plan(state: &AppState, query: &str) -> Value {
    let r = get(state, &format!("/api/v1/plan?{query}")).await;
    assert_eq!(r.status, StatusCode::OK, "{query}: {}", text(&r));
    r.json()
}

fn slugs(list: &Value) -> Vec<&str> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|p| {
            p["programme"]
                .as_str()
                .or(p["slug"].as_str())
                .or(p.as_str())
                .unwrap()
        })
        .collect()
}

fn programme<'a>(level: &'a Value, slug: &str) -> &'a Value {
    level["programmes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["slug"] == slug)
        .unwrap_or_else(|| panic!("no candidate {slug}"))
}

/// Tibro (1472), universal, in the example data's default round exempel-2024 (the newest closed
/// survey round). By hand from geodata/example/offerings.csv and geodata/programmes.csv:
///
/// - Tibro offers at the universal level abc 3–12, abc-tonar 13–18, aft 13–17 and cope-tonar
///   12–18: covered 3–17, 15 of 18 years = 0.833. One gap: 0–2.
/// - Universal programmes for any of 0–2: abc-0-2 0–2, lilla-abc 1–2, triple-p 0–16, icdp 0–18,
///   trygghetscirkeln 0–6, aktivt-foraldraskap 1–17, marte-meo 0–18, bygga-broar 0–18.
///   Trygghetscirkeln is erbjuds inte (a row), the seven others have no row: okänt. Every age of
///   the gap could be covered by an okänt programme: "kanske ingen lucka – svaret saknas", and
///   the answers about those seven settle it.
/// - Tibro's neighbours (shared border): Karlsborg 1446, Töreboda 1473, Skövde 1496, Hjo 1497.
///   Offered in exempel-2024: abc-0-2 in 1493 1496 1497 1498; icdp in 1470 1471 1493 1495 1496
///   1498 1499; trygghetscirkeln in 1444 1445 1493 1494 1497; triple-p in 1493 1494 1498;
///   marte-meo in 1494 1499; bygga-broar in 1494.
/// - One programme covering 0–2 is enough. Of those that cover all of it (abc-0-2, triple-p,
///   icdp, trygghetscirkeln, marte-meo, bygga-broar) a neighbour runs abc-0-2 (Skövde, Hjo; 4
///   kommuner), icdp (Skövde; 7) and trygghetscirkeln (Hjo; 5): the most kommuner, icdp.
#[tokio::test]
async fn tibro_universal_plan_checked_by_hand() {
    let j = plan(&example(), "kommun=1472&level=universal").await;
    assert_eq!(j["meta"]["dataset"]["kind"], "example");
    assert_eq!(j["kommun"]["kommunkod"], "1472");
    assert_eq!(j["round"]["id"], "exempel-2024");
    let levels = j["levels"].as_array().unwrap();
    assert_eq!(levels.len(), 1);
    let u = &levels[0];
    assert_eq!(u["level"], "universal");
    assert_eq!(u["share"], 0.833);
    assert_eq!(
        u["covered_ages"],
        serde_json::json!((3..=17).collect::<Vec<i8>>())
    );
    let gaps = u["gaps"].as_array().unwrap();
    assert_eq!(gaps.len(), 1);
    let g = &gaps[0];
    assert_eq!((g["from"].as_i64(), g["to"].as_i64()), (Some(0), Some(2)));
    assert_eq!(g["kind"], "unknown");
    assert_eq!(g["kind_label"], "kanske ingen lucka – svaret saknas");
    assert_eq!(g["unknown_ages"], serde_json::json!([0, 1, 2]));
    assert_eq!(g["confirmed_ages"], serde_json::json!([]));
    let all8 = [
        "abc-0-2",
        "lilla-abc",
        "triple-p",
        "icdp",
        "trygghetscirkeln",
        "aktivt-foraldraskap",
        "marte-meo",
        "bygga-broar",
    ];
    assert_eq!(slugs(&g["programmes"]), all8);
    let okant: Vec<&str> = all8
        .iter()
        .copied()
        .filter(|s| *s != "trygghetscirkeln")
        .collect();
    assert_eq!(slugs(&g["settle"]["programmes"]), okant);
    assert_eq!(
        g["settle"]["text"],
        "Svar från Tibro om ABC 0–2 år, Lilla ABC (1–2 år), Triple P, Vägledande samspel (ICDP), \
         Aktivt föräldraskap (Active Parenting), Marte Meo och Bygga broar avgör om 0–2 år är en \
         lucka."
    );
    assert_eq!(programme(u, "trygghetscirkeln")["state"], "not_offered");
    assert_eq!(programme(u, "lilla-abc")["covers_label"], "1–2 år");
    assert_eq!(programme(u, "icdp")["format_label"], "i grupp");

    // Who runs them: neighbours first, then by distance.
    let codes = |slug: &str| -> Vec<String> {
        programme(u, slug)["offered_in"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["kommunkod"].as_str().unwrap().to_string())
            .collect()
    };
    let mut icdp = codes("icdp");
    assert_eq!(icdp[0], "1496", "Skövde, the only neighbour, first");
    icdp.sort();
    assert_eq!(
        icdp,
        ["1470", "1471", "1493", "1495", "1496", "1498", "1499"]
    );
    let mut abc02 = codes("abc-0-2");
    abc02[..2].sort();
    assert_eq!(&abc02[..2], ["1496", "1497"], "the two neighbours first");
    for p in u["programmes"].as_array().unwrap() {
        let offers = p["offered_in"].as_array().unwrap();
        let key: Vec<(bool, f64)> = offers
            .iter()
            .map(|o| {
                (
                    !o["neighbour"].as_bool().unwrap(),
                    o["distance_km"].as_f64().unwrap(),
                )
            })
            .collect();
        assert!(
            key.windows(2).all(|w| w[0] <= w[1]),
            "{}: {key:?}",
            p["slug"]
        );
    }
    let skovde = &programme(u, "icdp")["offered_in"][0];
    assert_eq!(skovde["neighbour"], true);
    assert_eq!(
        skovde["contact"]["url"],
        "https://exempel.invalid/1496/icdp"
    );
    assert_eq!(skovde["contact"]["from"], "offering");
    assert!(
        skovde["organiser"]
            .as_str()
            .unwrap()
            .starts_with("Exempel: Skövde kommun")
    );
    assert!(skovde["source"].as_str().unwrap().starts_with("EXEMPEL:"));

    let set = &u["smallest_set"];
    assert_eq!(slugs(&set["programmes"]), ["icdp"]);
    assert_eq!(set["programmes"][0]["confirm_first"], true);
    assert_eq!(
        (set["share_before"].as_f64(), set["share_after"].as_f64()),
        (Some(0.833), Some(1.0))
    );
    assert_eq!(set["unreachable_ages"], serde_json::json!([]));
    assert_eq!(
        set["summary"],
        "Med Vägledande samspel (ICDP) täcks 0–17 år universellt: 83 % → 100 %. Vägledande \
         samspel (ICDP) kanske redan erbjuds – bekräfta först."
    );
}

/// Tibro at the other levels, by hand as above:
/// - selective: family-check-up 2–17, foraldraskap-i-sverige 0–18 and komet-3-11 3–11 are
///   offered: 0–17 covered, no gap.
/// - indicated: Tibro offers none. forstarkt-komet is erbjuds inte; de-otroliga-aren,
///   triple-p 0–16, pmto, kibb, marte-meo 0–18 and strategi-adhd have no row (okänt), in that
///   catalogue order. Triple P and Marte Meo make every age okänt: one gap 0–17, "kanske ingen
///   lucka". Only Marte Meo covers 0–17 alone: the smallest set is Marte Meo, 0 % → 100 %.
#[tokio::test]
async fn tibro_all_levels_checked_by_hand() {
    let j = plan(&example(), "kommun=1472").await;
    let levels = j["levels"].as_array().unwrap();
    let codes: Vec<&str> = levels
        .iter()
        .map(|l| l["level"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["universal", "selective", "indicated"]);
    let s = &levels[1];
    assert_eq!(s["share"], 1.0);
    assert_eq!(s["gaps"], serde_json::json!([]));
    assert_eq!(
        s["smallest_set"]["summary"],
        "Inga luckor: alla åldrar 0–17 år täcks selektivt (100 %)."
    );
    let i = &levels[2];
    assert_eq!(i["share"], 0.0);
    assert_eq!(i["gaps"].as_array().unwrap().len(), 1);
    assert_eq!(i["gaps"][0]["label"], "0–17 år");
    assert_eq!(i["gaps"][0]["kind"], "unknown");
    assert_eq!(
        slugs(&i["programmes"]),
        [
            "forstarkt-komet",
            "de-otroliga-aren",
            "triple-p",
            "pmto",
            "kibb",
            "marte-meo",
            "strategi-adhd"
        ]
    );
    assert_eq!(slugs(&i["smallest_set"]["programmes"]), ["marte-meo"]);
    assert_eq!(
        i["smallest_set"]["summary"],
        "Med Marte Meo täcks 0–17 år indikerat: 0 % → 100 %. Marte Meo kanske redan erbjuds – \
         bekräfta först."
    );
    // The same plan, asked one level at a time.
    let one = plan(&example(), "kommun=1472&level=indicated").await;
    assert_eq!(one["levels"][0], levels[2]);
}

#[tokio::test]
async fn bad_parameters_are_swedish_errors_naming_the_parameter() {
    for (uri, status, code, says) in [
        (
            "/api/v1/plan",
            400,
            "parameter_saknas",
            "kommun: parametern saknas",
        ),
        (
            "/api/v1/plan?kommun=9999",
            404,
            "okand_kommun",
            "ingen kommun med koden 9999",
        ),
        (
            "/api/v1/plan?kommun=1480",
            404,
            "okand_kommun",
            "Göteborg (1480) ingår inte i regionen Skaraborg",
        ),
        (
            "/api/v1/plan?kommun=14720",
            400,
            "ogiltig_parameter",
            "ingen kommunkod",
        ),
        (
            "/api/v1/plan?kommun=1472&level=all",
            400,
            "ogiltig_parameter",
            "level: en plan görs för en nivå i taget",
        ),
        (
            "/api/v1/plan?kommun=1472&level=alla",
            400,
            "ogiltig_parameter",
            "level: ”alla” är ingen nivå",
        ),
        (
            "/api/v1/plan?kommun=1472&age=3",
            400,
            "okand_parameter",
            "Okänd parameter ”age”",
        ),
        (
            "/api/v1/plan?kommun=1472&level=universal&level=selective",
            400,
            "dubbel_parameter",
            "bara anges en gång",
        ),
        (
            "/api/v1/plan?kommun=1472&round=1999",
            404,
            "okand_omgang",
            "round: omgången ”1999”",
        ),
    ] {
        let r = get(&real(), uri).await;
        assert_eq!(r.status.as_u16(), status, "{uri}: {}", text(&r));
        assert_eq!(r.json()["error"]["code"], code, "{uri}");
        assert!(
            r.error_message().contains(says),
            "{uri}: {}",
            r.error_message()
        );
    }
}

#[tokio::test]
async fn the_answer_is_cached_with_an_etag_and_304() {
    let uri = "/api/v1/plan?kommun=1472&level=universal";
    let first = get(&example(), uri).await;
    let etag = first.header("etag").to_string();
    assert!(etag.starts_with('"'), "{etag}");
    assert_eq!(first.header("content-type"), "application/json");
    let again = request(
        &example(),
        axum::http::Method::GET,
        uri,
        &[("if-none-match", &etag)],
    )
    .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    let head = request(&example(), axum::http::Method::HEAD, uri, &[]).await;
    assert_eq!(head.status, StatusCode::OK);
    assert!(head.body.is_empty());
}

/// Tibro's planner as a chair sees it: the gaps drawn, the programmes and the neighbours that
/// run them, the answers that would settle the gap, the smallest set with before → after.
#[tokio::test]
async fn the_planner_page_for_tibro_shows_gaps_programmes_neighbours_and_the_smallest_set() {
    let r = get(&example(), "/kommun/1472/planera").await;
    assert_eq!(r.status, StatusCode::OK);
    let t = text(&r);
    for want in [
        "<h1>Planera föräldraskapsstödet i Tibro</h1>",
        "<link rel=\"canonical\" href=\"/kommun/1472/planera\">",
        "Exempeldata.",
        // The drawn ages: 0–2 okänt today, covered with the plan.
        "<table class=\"tackning planremsa\">",
        "<th scope=\"row\">0 år</th><td><span class=\"tillstand okant\">okänt</span></td><td><span class=\"tillstand erbjuds\">täcks med planen</span></td>",
        "<span class=\"tillstand okant\">kanske ingen lucka – svaret saknas</span>",
        // The smallest set with before → after.
        "Med Vägledande samspel (ICDP) täcks 0–17 år universellt: 83 % → 100 %.",
        "Kanske redan erbjuds – bekräfta först.",
        "Finns hos grannkommunen Skövde och 6 kommuner i regionen",
        // The answers that would settle the gap.
        "Svar från Tibro om ABC 0–2 år, Lilla ABC (1–2 år)",
        // The programmes per gap, with the kommuner that run them, neighbours first.
        "<h3 id=\"lucka-0-2\">0–2 år: kanske ingen lucka – svaret saknas</h3>",
        "<a href=\"/kommun/1496\">Skövde</a> (grannkommun, 19 km): Exempel: Skövde kommun",
        "<a href=\"https://exempel.invalid/1496/icdp\">Kontakt i Skövde</a>",
        // Every level's smallest set, each linking to its plan.
        "<a href=\"/kommun/1472/planera?level=indicated\">Indikerad nivå</a>",
        "Med Marte Meo täcks 0–17 år indikerat: 0 % → 100 %.",
        "<button id=\"skriv-ut\" type=\"button\" hidden>Skriv ut rapport</button>",
    ] {
        assert!(t.contains(want), "/kommun/1472/planera lacks {want}");
    }
    // Trygghetscirkeln is erbjuds inte in Tibro, the others okänt: never the other way round.
    assert!(t.contains("<span class=\"tillstand erbjuds-inte\">erbjuds inte</span>"));

    let i = text(&get(&example(), "/kommun/1472/planera?level=indicated").await);
    assert!(i.contains("Luckor på indikerad nivå"));
    assert!(i.contains("<link rel=\"canonical\" href=\"/kommun/1472/planera?level=indicated\">"));
    let s = text(
        &get(
            &example(),
            "/kommun/1472/planera?level=selective&round=exempel-2021",
        )
        .await,
    );
    assert!(s.contains(
        "Inga luckor: varje ålder 0–17 år har minst ett bekräftat program på selektiv nivå."
    ));
    assert!(s.contains("Ingen lucka på selektiv nivå vilar på okänt."));
}

#[tokio::test]
async fn the_planner_page_takes_decorated_links_and_refuses_bad_ones_in_swedish() {
    let shared = get(
        &example(),
        "/kommun/1472/planera?level=indicated&fbclid=x&utm_source=y",
    )
    .await;
    assert_eq!(shared.status, StatusCode::OK);
    assert!(text(&shared).contains("href=\"/kommun/1472/planera?level=indicated\""));
    for (uri, status, says) in [
        (
            "/kommun/1472/planera?level=all",
            400,
            "en plan görs för en nivå i taget",
        ),
        (
            "/kommun/1472/planera?level=x",
            400,
            "level: ”x” är ingen nivå",
        ),
        (
            "/kommun/1472/planera?round=1999",
            404,
            "omgången ”1999” finns inte",
        ),
        ("/kommun/9999/planera", 404, "ingen kommun med koden 9999"),
        (
            "/kommun/0180/planera",
            404,
            "Stockholm (0180) ingår inte i regionen Skaraborg",
        ),
    ] {
        let r = get(&real(), uri).await;
        assert_eq!(r.status.as_u16(), status, "{uri}");
        assert!(r.header("content-type").starts_with("text/html"), "{uri}");
        assert!(text(&r).contains(says), "{uri}: {}", text(&r));
    }
}

#[tokio::test]
async fn the_kommun_page_links_its_planner_and_prints_the_summary() {
    let t = text(&get(&example(), "/kommun/1472").await);
    let section = &t[t.find("id=\"luckor\"").unwrap()..t.find("id=\"grannar\"").unwrap()];
    assert!(section.contains("Vad skulle stänga luckorna?"));
    assert!(section.contains("<a href=\"/kommun/1472/planera\" hreflang=\"sv\">"));
    for summary in [
        "Med Vägledande samspel (ICDP) täcks 0–17 år universellt: 83 % → 100 %.",
        "Inga luckor: alla åldrar 0–17 år täcks selektivt (100 %).",
        "Med Marte Meo täcks 0–17 år indikerat: 0 % → 100 %.",
    ] {
        assert!(section.contains(summary), "{summary}");
    }
    // The summary is part of the printed report: not inside anything hidden on paper.
    let summary_at = section
        .find("<dl class=\"ordlista plansammanfattning\">")
        .unwrap();
    assert!(!section[..summary_at].contains("ej-utskrift\"><dl"));
    // Another round links its planner with that round.
    let t = text(&get(&example(), "/kommun/1472?round=exempel-2021").await);
    assert!(t.contains("href=\"/kommun/1472/planera?round=exempel-2021\""));
}

/// Every kommun of the real and the example data, on Skaraborg and on all of Sweden: the API
/// answers each level, okänt is never counted as erbjuds inte, the smallest set covers what it
/// says, and the planner page renders with the same sentence.
#[tokio::test]
async fn every_kommun_of_both_data_sets_and_both_regions_is_planned_and_rendered() {
    for (name, state) in [
        ("real/skaraborg", real()),
        ("example/skaraborg", example()),
        ("real/sverige", sverige()),
        ("example/sverige", example_sverige()),
    ] {
        let region = get(&state, "/api/v1/region").await.json();
        let codes: Vec<String> =
            get(&state, "/api/v1/kommuner?detail=low").await.json()["features"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f["id"].as_str().unwrap().to_string())
                .collect();
        assert!(
            codes.len() == 15 || codes.len() == 290,
            "{name}: {}",
            codes.len()
        );
        let rounds: Vec<&str> = region["rounds"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap())
            .collect();
        let default = region["rounds"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["default"] == true)
            .unwrap()["id"]
            .clone();
        for code in &codes {
            let j = plan(&state, &format!("kommun={code}")).await;
            // The plan's gaps are the kommun's gaps as the coverage has them (0–17).
            let k = get(&state, &format!("/api/v1/kommuner/{code}"))
                .await
                .json();
            let round = k["rounds"]
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["id"] == default)
                .unwrap();
            for (l, c) in j["levels"]
                .as_array()
                .unwrap()
                .iter()
                .zip(round["coverage"].as_array().unwrap())
            {
                assert_eq!(l["level"], c["level"], "{name} {code}");
                check_level(name, code, l);
                let gaps =
                    |v: &Value, unknown: &str, none: &str| -> Vec<(Value, Value, Value, Value)> {
                        v["gaps"]
                            .as_array()
                            .unwrap()
                            .iter()
                            .filter(|g| g["from"].as_i64() >= Some(0))
                            .map(|g| {
                                (
                                    g["from"].clone(),
                                    g["to"].clone(),
                                    g[unknown].clone(),
                                    g[none].clone(),
                                )
                            })
                            .collect()
                    };
                assert_eq!(
                    gaps(l, "unknown_ages", "no_programme_ages"),
                    gaps(c, "unknown_ages", "no_programme_ages"),
                    "{name} {code} {}: the plan's gaps and the coverage's",
                    l["level"]
                );
            }
            let p = get(&state, &format!("/kommun/{code}/planera")).await;
            assert_eq!(p.status, StatusCode::OK, "{name} {code}");
            let t = text(&p);
            let summary = j["levels"][0]["smallest_set"]["summary"].as_str().unwrap();
            assert!(
                t.contains(summary),
                "{name} {code}: the page lacks {summary}"
            );
        }
        // Every level and round of a few kommuner as pages (all levels are in the API above).
        for code in codes.iter().take(3) {
            for level in ["universal", "selective", "indicated"] {
                for round in &rounds {
                    let uri = format!("/kommun/{code}/planera?level={level}&round={round}");
                    assert_eq!(
                        get(&state, &uri).await.status,
                        StatusCode::OK,
                        "{name} {uri}"
                    );
                }
            }
        }
    }
}

/// The invariants of one level's plan, from the answer alone.
fn check_level(name: &str, code: &str, l: &Value) {
    let at = format!("{name} {code} {}", l["level"]);
    let ages = |v: &Value| -> Vec<i64> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_i64().unwrap())
            .collect()
    };
    let programmes = l["programmes"].as_array().unwrap();
    let by_slug = |s: &str| programmes.iter().find(|p| p["slug"] == s).unwrap();
    for g in l["gaps"].as_array().unwrap() {
        let confirmed = ages(&g["confirmed_ages"]);
        let unknown = ages(&g["unknown_ages"]);
        // A confirmed age: some candidate covers it, and every one that does is erbjuds inte.
        for age in &confirmed {
            let covering: Vec<&Value> = g["programmes"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|p| ages(&p["covers_ages"]).contains(age))
                .collect();
            assert!(
                !covering.is_empty(),
                "{at}: confirmed age {age} with no programme"
            );
            assert!(
                covering.iter().all(|p| p["state"] == "not_offered"),
                "{at}: age {age} counted as a confirmed gap though a programme for it is okänt"
            );
        }
        // An unknown age: some okänt candidate covers it.
        for age in &unknown {
            assert!(
                g["programmes"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|p| p["state"] == "unknown" && ages(&p["covers_ages"]).contains(age)),
                "{at}: unknown age {age} without an okänt programme"
            );
        }
        let kind = g["kind"].as_str().unwrap();
        match kind {
            "confirmed" => assert!(unknown.is_empty() && !confirmed.is_empty(), "{at}"),
            "unknown" => assert!(confirmed.is_empty() && !unknown.is_empty(), "{at}"),
            "partly_unknown" => assert!(!confirmed.is_empty() && !unknown.is_empty(), "{at}"),
            "no_programme" => assert!(confirmed.is_empty() && unknown.is_empty(), "{at}"),
            other => panic!("{at}: kind {other}"),
        }
        assert_eq!(g["settle"].is_null(), unknown.is_empty(), "{at}");
    }
    // The smallest set covers every uncovered age but the unreachable ones, with candidates
    // that are not offered here.
    let set = &l["smallest_set"];
    let mut after = ages(&l["covered_ages"]);
    for p in set["programmes"].as_array().unwrap() {
        let c = by_slug(p["programme"].as_str().unwrap());
        assert_ne!(c["state"], "offered", "{at}");
        assert_eq!(c["confirm_first"], c["state"] == "unknown", "{at}");
        after.extend(ages(&c["covers_ages"]));
    }
    after.sort();
    after.dedup();
    assert_eq!(after, ages(&set["covered_after"]), "{at}");
    let unreachable = ages(&set["unreachable_ages"]);
    for age in 0..=17 {
        assert!(
            after.contains(&age) != unreachable.contains(&age),
            "{at}: age {age}"
        );
    }
}
