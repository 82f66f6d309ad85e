//! The HTML pages over HTTP: status, Swedish content, sources and *okänt* shown as such, the
//! example banner, filters that work without script, helpful error pages, CSP and assets.

mod common;

use axum::http::StatusCode;
use common::{Reply, example, get, real, request};

fn text(r: &Reply) -> String {
    String::from_utf8(r.body.clone()).expect("UTF-8 page")
}

async fn page(state: &skaraborgskartan::AppState, uri: &str) -> String {
    let r = get(state, uri).await;
    assert_eq!(r.status, StatusCode::OK, "{uri}: {}", text(&r));
    assert!(
        r.header("content-type")
            .starts_with("text/html; charset=utf-8"),
        "{uri}"
    );
    let csp = r.header("content-security-policy");
    assert!(
        csp.contains("frame-ancestors 'self'") && csp.contains("script-src 'self'"),
        "{uri}: {csp}"
    );
    let t = text(&r);
    assert!(t.starts_with("<!DOCTYPE html><html lang=\"sv\">"), "{uri}");
    assert!(
        t.contains("href=\"#innehall\"") && t.contains("id=\"innehall\""),
        "{uri}: skip link"
    );
    assert!(
        t.contains("href=\"/om\"") && t.contains("href=\"/tillganglighet\""),
        "{uri}: footer links"
    );
    t
}

#[tokio::test]
async fn every_page_type_answers_in_swedish_with_the_skip_link_and_footer() {
    let s = real();
    for uri in [
        "/",
        "/?kommun=1472&age=13",
        "/?layer=sambu",
        "/?layer=coverage&level=universal&age=graviditet",
        "/kommun/1471",
        "/program/abc",
        "/jamfor?kommuner=1496,1494",
        "/jamfor?kommuner=1495&round=historiska-uppgifter,offentliga-kallor",
        "/jamfor",
        "/om",
        "/tillganglighet",
    ] {
        let t = page(&s, uri).await;
        assert!(
            !t.contains("id=\"exempeldata\""),
            "{uri}: real data has no example banner"
        );
    }
}

#[tokio::test]
async fn example_data_is_labelled_on_every_page() {
    let s = example();
    for uri in [
        "/",
        "/kommun/1496",
        "/program/abc",
        "/jamfor?kommuner=1496,1494",
        "/om",
        "/tillganglighet",
        "/?embed=1",
    ] {
        let t = page(&s, uri).await;
        assert!(
            t.contains("id=\"exempeldata\"") && t.contains("Exempeldata."),
            "{uri}"
        );
    }
    let r = get(&s, "/finns-inte").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(text(&r).contains("Exempeldata."));
}

#[tokio::test]
async fn the_map_page_lists_every_kommun_and_okant_is_never_erbjuds_inte() {
    let s = real();
    let t = page(&s, "/").await;
    assert_eq!(t.matches("<tr data-kommun=").count(), 15);
    // Real data: Götene has no answers, so it is okänt, not "inga program".
    let row = t
        .split("data-kommun=\"1471\"")
        .nth(1)
        .unwrap()
        .split("</tr>")
        .next()
        .unwrap();
    assert!(
        row.contains("data-klass=\"k-okant\"")
            || t.contains("data-kommun=\"1471\" data-klass=\"k-okant\""),
        "{row}"
    );
    assert!(row.contains("okänt (ingen uppgift)"), "{row}");
    assert!(!row.contains("inga program (bekräftat)"), "{row}");
    assert!(t.contains("id=\"antal\" role=\"status\""));
    assert!(t.contains("15 kommuner visas"));
}

#[tokio::test]
async fn a_parent_in_tibro_with_a_13_year_old_gets_the_programmes_without_script() {
    let s = example();
    let t = page(&s, "/?kommun=1472&age=13").await;
    let section = t
        .split("id=\"program-i-kommunen\"")
        .nth(1)
        .expect("programme section");
    assert!(section.contains("Program i Tibro för ett barn som är 13 år"));
    let offered = section
        .split("id=\"erbjuds\"")
        .nth(1)
        .unwrap()
        .split("</ul>")
        .next()
        .unwrap();
    let a = s.atlas();
    let k = a.kommun_index("1472").unwrap();
    let expected: Vec<&str> = a
        .programmes()
        .iter()
        .enumerate()
        .filter(|(p, prog)| {
            prog.age_min <= 13
                && 13 <= prog.age_max
                && a.cell_state(k, a.default_round, *p)
                    == skaraborgskartan::vocabulary::CellState::Offered
        })
        .map(|(_, prog)| prog.slug.as_str())
        .collect();
    assert!(!expected.is_empty());
    for slug in &expected {
        assert!(
            offered.contains(&format!("/program/{slug}\"")),
            "{slug} missing"
        );
    }
    assert_eq!(offered.matches("<li>").count(), expected.len());
    // Real data: nothing is confirmed in Tibro; the programmes are listed as okänt.
    let r = page(&real(), "/?kommun=1472&age=13").await;
    assert!(r.contains("Inget program som passar är bekräftat"));
    assert!(r.contains("id=\"okanda\""));
    assert!(!r.contains("Erbjuds inte (bekräftat)"));
}

#[tokio::test]
async fn the_kommun_page_names_gaps_and_what_the_neighbours_offer() {
    let s = example();
    let t = page(&s, "/kommun/1471").await;
    for id in [
        "erbjudanden",
        "tackning",
        "luckor",
        "grannar",
        "sambu",
        "partssamverkan",
        "foljsamhet",
        "utbildningar",
        "jamforelse",
    ] {
        assert!(t.contains(&format!("id=\"{id}\"")), "section {id}");
    }
    assert!(t.contains("Källa: ") && t.contains("Senast bekräftad: "));
    // 19 rows (graviditet, 0–17) in the coverage grid.
    let grid = t
        .split("class=\"tackning\"")
        .nth(1)
        .unwrap()
        .split("<tbody>")
        .nth(1)
        .unwrap();
    let grid = grid.split("</tbody>").next().unwrap();
    assert_eq!(grid.matches("<tr>").count(), 19);
    // Real data: Götene's coverage is okänt, not "inte täckt", and its gaps rest on okänt.
    let r = page(&real(), "/kommun/1471").await;
    let grid = r
        .split("class=\"tackning\"")
        .nth(1)
        .unwrap()
        .split("</tbody>")
        .next()
        .unwrap();
    assert!(grid.contains("okänt"));
    assert!(!grid.contains(">täckt<"), "nothing is confirmed in Götene");
    assert!(r.contains("kan täckas av program med okänd status"));
    assert!(r.contains("href=\"/kommun/1496\""), "Skövde is a neighbour");
}

#[tokio::test]
async fn sources_and_dates_are_shown_with_each_fact() {
    let s = real();
    let t = page(&s, "/kommun/1473").await; // Töreboda: a named SAMBU team
    let sambu = t
        .split("id=\"sambu\"")
        .nth(1)
        .unwrap()
        .split("</section>")
        .next()
        .unwrap();
    assert!(sambu.contains("aktivt SAMBU-team"));
    assert!(sambu.contains("Källa: <a href=\"http"), "{sambu}");
    assert!(
        sambu.contains("Senast bekräftad: okänt"),
        "the source page is undated: {sambu}"
    );
    let p = page(&s, "/program/marte-meo").await;
    assert!(p.contains("Skara") && p.contains("okänt"));
    assert!(p.contains("Senast bekräftad"));
}

#[tokio::test]
async fn bad_links_get_helpful_pages_with_the_right_status() {
    let s = real();
    for (uri, status, says) in [
        (
            "/kommun/9999",
            StatusCode::NOT_FOUND,
            "det finns ingen kommun med koden 9999",
        ),
        (
            "/kommun/0180",
            StatusCode::NOT_FOUND,
            "Stockholm (0180) ingår inte i regionen Skaraborg",
        ),
        (
            "/kommun/abc",
            StatusCode::BAD_REQUEST,
            "”abc” är ingen kommunkod",
        ),
        (
            "/program/finns-inte",
            StatusCode::NOT_FOUND,
            "Programmet ”finns-inte” finns inte",
        ),
        (
            "/?age=tretton",
            StatusCode::BAD_REQUEST,
            "age: ”tretton” är ingen ålder",
        ),
        (
            "/?layer=x",
            StatusCode::BAD_REQUEST,
            "layer: ”x” är inget tillåtet värde",
        ),
        (
            "/?hack%3Cscript%3E=1",
            StatusCode::BAD_REQUEST,
            "Okänd parameter ”hack&lt;script&gt;”",
        ),
        (
            "/jamfor?kommuner=1496,1496",
            StatusCode::BAD_REQUEST,
            "står två gånger",
        ),
        (
            "/nagot/annat",
            StatusCode::NOT_FOUND,
            "Sidan ”/nagot/annat” finns inte",
        ),
    ] {
        let r = get(&s, uri).await;
        assert_eq!(r.status, status, "{uri}");
        let t = text(&r);
        assert!(t.contains(says), "{uri}: {t}");
        assert!(
            t.contains("lang=\"sv\"") && t.contains("href=\"/kommun/1496\""),
            "{uri}: offers the kommuner"
        );
        assert!(!t.contains("<script>"), "{uri}: hostile input is escaped");
    }
    // The API keeps its JSON errors.
    let r = get(&s, "/api/v1/finns-inte").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.header("content-type").starts_with("application/json"));
}

#[tokio::test]
async fn embed_view_is_compact_and_framing_is_limited_to_configured_origins() {
    let t = page(&real(), "/?embed=1").await;
    assert!(t.contains("class=\"inbaddad\""));
    assert!(
        !t.contains("aria-label=\"Huvudmeny\""),
        "no site navigation in a frame"
    );
    assert!(
        t.contains("name=\"embed\" value=\"1\""),
        "the form keeps the embed view"
    );
    let site = skaraborgskartan::site::Site::load(
        std::path::Path::new("web"),
        skaraborgskartan::site::PageOptions {
            tiles: None,
            frame_ancestors: vec!["https://intranat.example.se".into()],
            public_url: None,
        },
    );
    let a = skaraborgskartan::server::build(&common::geodata(), None).unwrap();
    let s = skaraborgskartan::AppState::with_site(a, site);
    let r = get(&s, "/kommun/1472?embed=1").await;
    // The region's kommun sites come from dataset.toml; configured origins are added.
    let csp = r.header("content-security-policy");
    assert!(
        csp.contains("frame-ancestors 'self' https://tibro.se https://www.tibro.se")
            && csp.contains("https://www.vardsamverkan.se")
            && csp.ends_with(" https://intranat.example.se"),
        "{csp}"
    );
}

#[tokio::test]
async fn pages_and_assets_have_etags_and_fingerprinted_assets_are_immutable() {
    let s = real();
    let r = get(&s, "/kommun/1496").await;
    let etag = r.header("etag").to_string();
    assert!(etag.starts_with('"'));
    let again = request(
        &s,
        axum::http::Method::GET,
        "/kommun/1496",
        &[("if-none-match", &etag)],
    )
    .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    let t = text(&r);
    let js = t.split("src=\"/assets/app.js?v=").nth(1);
    let css = t
        .split("href=\"/assets/style.css?v=")
        .nth(1)
        .expect("stylesheet linked");
    let v = css.split('"').next().unwrap();
    let a = get(&s, &format!("/assets/style.css?v={v}")).await;
    assert_eq!(a.status, StatusCode::OK);
    assert!(a.header("content-type").starts_with("text/css"));
    assert!(a.header("cache-control").contains("immutable"));
    let stale = get(&s, "/assets/style.css?v=old").await;
    assert_eq!(stale.header("cache-control"), "no-cache");
    assert!(js.is_none(), "the kommun page needs no script");
    let m = page(&s, "/").await;
    assert!(m.contains("src=\"/assets/leaflet.js?v=") && m.contains("src=\"/assets/app.js?v="));
    assert_eq!(
        get(&s, "/assets/../Cargo.toml").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_compare_form_may_repeat_kommun_but_nothing_else() {
    let s = real();
    let t = page(&s, "/jamfor?kommun=1496&kommun=1494&round=").await;
    assert!(
        t.contains("<th scope=\"col\">Skövde</th>")
            && t.contains("<th scope=\"col\">Lidköping</th>")
    );
    let r = get(
        &s,
        "/jamfor?kommun=1496&round=offentliga-kallor&round=offentliga-kallor",
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(text(&r).contains("Parametern ”round” får bara anges en gång."));
    let r = get(&s, "/jamfor?kommun=1496&kommun=1496").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(text(&r).contains("står två gånger"));
}
