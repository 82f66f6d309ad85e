//! The HTML pages over HTTP: status, Swedish content, sources and *okänt* shown as such, the
//! example banner, filters that work without script, helpful error pages, CSP and assets; the
//! citizen pages in English under `/en/…` (language link, alternates, links that stay English,
//! the translated programme descriptions), and the lättläst page.

mod common;

use axum::http::StatusCode;
use common::{Reply, example, get, real};

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
    // Under /en/ the page is English, with its footer links to the English pages.
    let english = uri.starts_with("/en");
    let (lang, about, accessibility) = if english {
        ("en", "/en/about", "/en/accessibility")
    } else {
        ("sv", "/om", "/tillganglighet")
    };
    assert!(
        t.starts_with(&format!("<!DOCTYPE html><html lang=\"{lang}\">")),
        "{uri}"
    );
    assert!(
        t.contains("href=\"#innehall\"") && t.contains("id=\"innehall\""),
        "{uri}: skip link"
    );
    assert!(
        t.contains(&format!("href=\"{about}\""))
            && t.contains(&format!("href=\"{accessibility}\"")),
        "{uri}: footer links"
    );
    assert!(t.contains("class=\"sprak\""), "{uri}: the language link");
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
        "/lattlast",
        "/en",
        "/en/",
        "/en/?kommun=1472&age=13",
        "/en/?layer=coverage&level=universal&age=graviditet",
        "/en/kommun/1471",
        "/en/programme/abc",
        "/en/about",
        "/en/accessibility",
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
        "/lattlast",
    ] {
        let t = page(&s, uri).await;
        assert!(
            t.contains("id=\"exempeldata\"") && t.contains("Exempeldata."),
            "{uri}"
        );
    }
    for uri in [
        "/en/",
        "/en/kommun/1496",
        "/en/programme/abc",
        "/en/about",
        "/en/accessibility",
        "/en/?embed=1",
    ] {
        let t = page(&s, uri).await;
        assert!(
            t.contains("id=\"exempeldata\"") && t.contains("Example data."),
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
            offered.contains(&format!("/program/{slug}?kommun=1472\"")),
            "{slug} missing"
        );
    }
    // Each result is a card with what it is, for whom, and where to ask and sign up.
    assert_eq!(
        offered.matches("<li class=\"kort\">").count(),
        expected.len()
    );
    assert_eq!(
        offered.matches("class=\"beskrivning\"").count(),
        expected.len()
    );
    assert_eq!(offered.matches("class=\"for-vem\"").count(), expected.len());
    assert_eq!(
        offered.matches("Kontakt och anmälan</a>").count(),
        expected.len()
    );
    assert!(offered.contains("alla föräldrar (universell nivå)"));
    // Real data: nothing is confirmed in Tibro; the programmes are listed as okänt, and the
    // parent gets the kommun's own contact and what the neighbours offer.
    let r = page(&real(), "/?kommun=1472&age=13").await;
    assert!(r.contains("Inget program som passar är bekräftat"));
    assert!(r.contains("id=\"okanda\""));
    assert!(!r.contains("Erbjuds inte (bekräftat)"));
    assert!(r.contains("class=\"kommunkontakt\""));
    assert!(r.contains(
        "href=\"https://tibro.se/Barnomsorg-och-utbildning/Forskolor/\">Familjecentralen Källan</a>"
    ));
    let neighbours = r
        .split("id=\"grannars-erbjudanden\"")
        .nth(1)
        .expect("neighbours");
    // Skövde's Marte Meo (read on the kommun's page in 2026) is for 0–18.
    assert!(
        neighbours.contains("Marte Meo</a> i Skövde"),
        "{neighbours}"
    );
    // The form asks kommun and age first; the professional choices wait under "Fler val".
    let form = r
        .split("id=\"filter\"")
        .nth(1)
        .unwrap()
        .split("</form>")
        .next()
        .unwrap();
    let (before, after) = form
        .split_once("<details id=\"fler-val\"")
        .expect("Fler val");
    assert!(before.contains("name=\"kommun\"") && before.contains("name=\"age\""));
    assert!(!before.contains("name=\"round\""));
    assert!(after.contains("name=\"level\"") && after.contains("name=\"round\""));
    assert!(
        after.contains("id=\"falt-dokument\" hidden"),
        "document only for adherence"
    );
    assert!(r.contains("id=\"svar-kort\""));
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
    assert!(t.contains("Källa: ") && t.contains("Senast bekräftad"));
    // 19 rows (graviditet, 0–17) in the coverage grid.
    let grid = t
        .split("class=\"tackning rutnat\"")
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
        .split("class=\"tackning rutnat\"")
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
    // The source as its citation: publisher, the title linked to the page, kind and date.
    assert!(
        sambu.contains("Källa: <span>Töreboda kommun: <a href=\"https://toreboda.se/"),
        "{sambu}"
    );
    assert!(
        sambu.contains("(BUSE)</a></span> (webbsida, odaterad)"),
        "{sambu}"
    );
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
            "/?kommun=%3Cscript%3E&hack%3Cscript%3E=1",
            StatusCode::BAD_REQUEST,
            "”&lt;script&gt;” är ingen kommunkod",
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
            configured_url: None,
            contact_email: None,
        },
    );
    let a = skaraborgskartan::server::build(&common::geodata(), None).unwrap();
    let s = skaraborgskartan::AppState::with_site(a, site);
    let r = get(&s, "/kommun/1472?embed=1").await;
    // The region's kommun sites come from dataset.toml; configured origins are added.
    let csp = r.header("content-security-policy");
    assert!(
        csp.contains("frame-ancestors 'self' https://")
            && csp.contains(" https://tibro.se https://www.tibro.se ")
            && csp.contains("https://www.vardsamverkan.se")
            && csp.ends_with(" https://intranat.example.se"),
        "{csp}"
    );
}

/// Every page links its assets by fingerprint (tests/http.rs checks those addresses are
/// immutable); only the map page loads the map.
#[tokio::test]
async fn pages_link_fingerprinted_assets_and_only_the_map_page_loads_leaflet() {
    let s = real();
    let t = page(&s, "/kommun/1496").await;
    assert!(
        t.contains("href=\"/assets/style.css?v="),
        "stylesheet linked"
    );
    assert!(
        t.contains("src=\"/assets/app.js?v="),
        "every page loads the page script (print button)"
    );
    assert!(!t.contains("leaflet.js"), "the kommun page loads no map");
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
    // A page is forgiving: of a repeated parameter the first counts.
    let r = get(
        &s,
        "/jamfor?kommun=1496&round=offentliga-kallor&round=kartlaggning-2021",
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(text(&r).contains("Skövde – Offentliga källor"));
    let r = get(&s, "/jamfor?kommun=1496&kommun=1496").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(text(&r).contains("står två gånger"));
}

/// Links are shared on Facebook (`fbclid`), in newsletters (`utm_*`) and ads (`gclid`), or carry
/// a parameter from another page: every page type still opens, as the same page.
#[tokio::test]
async fn shared_links_with_decorations_open_the_page() {
    let s = real();
    let decorations =
        "fbclid=IwAR0abc&utm_source=nyhetsbrev&utm_medium=e-post&utm_campaign=v48&gclid=xyz";
    for path in [
        "/",
        "/?kommun=1472&age=13",
        "/kommun/1472",
        "/kommun/1472?age=13",
        "/program/abc-tonar",
        "/program/abc-tonar?kommun=1472",
        "/jamfor?kommuner=1447,1473",
        "/om",
        "/tillganglighet",
        "/lattlast",
        "/en/",
        "/en/?kommun=1472&age=13",
        "/en/kommun/1472",
        "/en/kommun/1472?age=13",
        "/en/programme/abc-tonar",
        "/en/programme/abc-tonar?kommun=1472",
        "/en/about",
        "/en/accessibility",
    ] {
        let plain = get(&s, path).await;
        let sep = if path.contains('?') { '&' } else { '?' };
        let decorated = get(&s, &format!("{path}{sep}{decorations}&okand=1")).await;
        assert_eq!(decorated.status, StatusCode::OK, "{path}");
        assert_eq!(
            decorated.header("etag"),
            plain.header("etag"),
            "{path}: the same page, whatever decorates the link"
        );
        assert!(
            text(&decorated).contains("<link rel=\"canonical\""),
            "{path}"
        );
    }
    // The JSON API and OGC stay strict.
    let api = get(&s, "/api/v1/kommuner?fbclid=x").await;
    assert_eq!(api.status, StatusCode::BAD_REQUEST);
    assert!(api.error_message().contains("fbclid"));
    assert_eq!(
        get(&s, "/ogc/collections?fbclid=x").await.status,
        StatusCode::BAD_REQUEST
    );
}

/// `/kommun/{kod}?age=` puts that age's programmes first; `/program/{slug}?kommun=` puts that
/// kommun first with its contact.
#[tokio::test]
async fn kommun_and_programme_pages_take_the_parents_context() {
    let s = example();
    let t = page(&s, "/kommun/1472?age=13").await;
    let (head, rest) = t.split_once("id=\"erbjudanden\"").unwrap();
    assert!(head.contains("Program i Tibro för ett barn som är 13 år"));
    assert!(head.contains("class=\"kort\""));
    assert!(rest.contains("id=\"kontakt\""));
    let p = page(&s, "/program/abc-tonar?kommun=1472").await;
    let section = p.split("id=\"i-kommunen\"").nth(1).expect("Tibro first");
    assert!(section.contains("ABC Tonår (13–18 år) i Tibro"));
    assert!(section.contains("Kontakt och anmälan"));
    let table = p.split("<tbody>").nth(1).unwrap();
    let first = table.split("</tr>").next().unwrap();
    assert!(first.contains("data-kommun=\"1472\""), "Tibro's row first");
    assert!(!p.contains("Att veta"), "research notes stay in the data");
}

/// A 2015 newspaper mention is not today's offer; pregnancy is not a confirmed gap.
#[tokio::test]
async fn old_mentions_and_pregnancy_are_not_shown_as_facts_about_today() {
    let s = real();
    let t = page(&s, "/kommun/1496").await;
    assert!(t.contains("erbjöds 2015 – okänt i dag"));
    assert!(t.contains("erbjöds (odaterad uppgift) – okänt i dag"));
    let grid = t
        .split("class=\"tackning rutnat\"")
        .nth(1)
        .unwrap()
        .split("</tbody>")
        .next()
        .unwrap();
    let body = grid.split("<tbody>").nth(1).unwrap();
    let prenatal = body.split("</tr>").next().unwrap();
    assert!(prenatal.contains("under graviditeten"));
    assert!(prenatal.contains("inget program i katalogen"), "{prenatal}");
    assert!(!prenatal.contains("inte täckt"), "{prenatal}");
    // The map for pregnancy: every kommun neutral, none "inga program (bekräftat)".
    let m = page(&s, "/?age=graviditet").await;
    assert_eq!(m.matches("data-klass=\"k-inget-program\"").count(), 15);
    assert!(!m.contains("data-klass=\"k-ingen\""));
    // Tidaholm's Marte Meo page is from 2022: okänt today, listed with its date.
    let mm = page(&s, "/program/marte-meo").await;
    assert!(mm.contains("erbjöds 2022 – okänt i dag"));
    // The round the pages show is the newest survey round, and they say how much it holds.
    let home = page(&s, "/").await;
    assert!(home.contains("Svar från 0 av 15 kommuner i Uppföljning 2023/24."));
    assert!(home.contains("Offentliga källor ger uppgifter om 3 kommuner"));
    assert!(home.contains("Offentliga källor (samling av offentliga källor)"));
    // Both survey rounds lack answers: nothing can be compared, and nothing says "no change".
    assert!(t.contains("Kan inte jämföras – inga uppgifter"));
    let c = page(
        &s,
        "/jamfor?kommuner=1447&round=kartlaggning-2021,uppfoljning-2024",
    )
    .await;
    assert!(c.contains("Kan inte jämföras – inga uppgifter"));
    assert!(!c.contains("ingen förändring"));
    // With answers on both sides (example data), change is shown.
    let e = page(&example(), "/kommun/1447").await;
    assert!(!e.contains("Kan inte jämföras"));
}

/// A chair's printed report starts with a header naming the service, kommun, round, date and
/// address; status is text, not colour alone; a print button is offered.
#[tokio::test]
async fn pages_carry_a_print_header_and_a_print_button() {
    let s = real();
    let t = page(&s, "/kommun/1447").await;
    let header = t.split("class=\"utskriftshuvud\"").nth(1).unwrap();
    let header = header.split("</div>").next().unwrap();
    assert!(header.contains("Skaraborgskartan") && header.contains("Gullspång"));
    assert!(header.contains("Omgång: Uppföljning 2023/24"));
    assert!(header.contains(&format!("Utskriven {}", skaraborgskartan::dates::today())));
    assert!(header.contains("/kommun/1447"));
    assert!(t.contains("id=\"skriv-ut\""));
    assert!(
        page(&s, "/jamfor?kommuner=1447,1473")
            .await
            .contains("id=\"skriv-ut\"")
    );
}

#[tokio::test]
async fn embedded_home_is_the_form_and_the_cards() {
    let t = page(&example(), "/?embed=1&kommun=1472&age=13").await;
    assert!(t.contains("<base target=\"_top\">"));
    assert!(
        t.contains("target=\"_self\""),
        "the form stays in the frame"
    );
    assert!(t.contains("class=\"kort\""));
    assert!(!t.contains("id=\"kommunlista\""), "no list in the frame");
    assert!(!t.contains("id=\"karta\""), "no map in the frame");
    assert!(!t.contains("id=\"fler-val\""), "only kommun and age");
}

/// Every `<a …>` and `<form …>` start tag of a page, as written.
fn link_tags(t: &str) -> Vec<&str> {
    ["<a ", "<form "]
        .iter()
        .flat_map(|open| t.split(open).skip(1))
        .map(|rest| rest.split('>').next().unwrap())
        .collect()
}

/// The value of an attribute in a start tag.
fn attr<'t>(tag: &'t str, name: &str) -> Option<&'t str> {
    let at = format!(" {name}=\"");
    let start = if tag.starts_with(&at[1..]) {
        at.len() - 1
    } else {
        tag.find(&at)? + at.len()
    };
    tag[start..].split('"').next()
}

/// Each citizen page exists in both languages: `<html lang>`, the canonical address, both
/// versions as alternates, and a language link (with `lang` and `hreflang`) to the other one.
#[tokio::test]
async fn citizen_pages_have_an_english_twin_and_a_language_link() {
    let s = example();
    for (sv, en) in [
        ("/", "/en/"),
        ("/?kommun=1472&amp;age=13", "/en/?kommun=1472&amp;age=13"),
        ("/kommun/1472", "/en/kommun/1472"),
        ("/kommun/1472?age=13", "/en/kommun/1472?age=13"),
        ("/program/abc-tonar", "/en/programme/abc-tonar"),
        (
            "/program/abc-tonar?kommun=1472",
            "/en/programme/abc-tonar?kommun=1472",
        ),
        ("/om", "/en/about"),
        ("/tillganglighet", "/en/accessibility"),
    ] {
        let (swedish, english) = (
            page(&s, &sv.replace("&amp;", "&")).await,
            page(&s, &en.replace("&amp;", "&")).await,
        );
        for (t, own, other, lang, label) in [
            (&swedish, sv, en, "en", "In English"),
            (&english, en, sv, "sv", "På svenska"),
        ] {
            assert!(
                t.contains(&format!("<link rel=\"canonical\" href=\"{own}\">")),
                "{own}: canonical"
            );
            for (l, href) in [("sv", sv), ("en", en)] {
                assert!(
                    t.contains(&format!(
                        "<link rel=\"alternate\" hreflang=\"{l}\" href=\"{href}\">"
                    )),
                    "{own}: alternate {l}"
                );
            }
            assert!(
                t.contains(&format!(
                    "<a class=\"sprak\" href=\"{other}\" lang=\"{lang}\" hreflang=\"{lang}\">{label}</a>"
                )),
                "{own}: language link to {other}"
            );
        }
    }
    // /en without the slash is the English start page too; its canonical address has the slash.
    assert!(
        page(&s, "/en")
            .await
            .contains("<link rel=\"canonical\" href=\"/en/\">")
    );
    // A page that exists only in Swedish: no alternates, and "In English" leads to the English
    // start page.
    let c = page(&s, "/jamfor?kommuner=1496,1494").await;
    assert!(!c.contains("rel=\"alternate\""));
    assert!(
        c.contains("<a class=\"sprak\" href=\"/en/\" lang=\"en\" hreflang=\"en\">In English</a>")
    );
    // The embedded view keeps its language link (in the footer: a frame has no site header).
    let e = page(&s, "/en/?embed=1&kommun=1472&age=13").await;
    assert!(e.contains("class=\"inbaddad\"") && e.contains(">På svenska</a>"));
    assert!(
        e.contains("name=\"embed\" value=\"1\""),
        "the form keeps the embed view"
    );
}

/// On an English page every link and form stays English where the target exists in English;
/// a link to a page that exists only in Swedish says so with `hreflang="sv"`.
#[tokio::test]
async fn links_on_english_pages_stay_english() {
    for (s, uri) in [
        (example(), "/en/?kommun=1472&age=13"),
        (example(), "/en/?embed=1&kommun=1472&age=13"),
        (real(), "/en/?kommun=1472&age=13"),
        (example(), "/en/kommun/1472?age=13"),
        (example(), "/en/programme/abc-tonar?kommun=1472"),
        (real(), "/en/about"),
        (real(), "/en/kommun/9999"),
    ] {
        let r = get(&s, uri).await;
        let t = text(&r);
        let tags = link_tags(&t);
        assert!(tags.len() > 10, "{uri}: {} links", tags.len());
        for tag in tags {
            let Some(target) = attr(tag, "href").or_else(|| attr(tag, "action")) else {
                continue;
            };
            let swedish_only = attr(tag, "hreflang") == Some("sv");
            let neutral = target.starts_with('#')
                || target.starts_with("/api/")
                || target.starts_with("/datasets/")
                || target.starts_with("http");
            if attr(tag, "class") == Some("sprak") {
                continue; // the language link, to the Swedish twin
            }
            assert!(
                target.starts_with("/en/") || swedish_only || neutral,
                "{uri}: a link that leaves English: <a {tag}>"
            );
            if swedish_only && target.starts_with('/') {
                assert!(
                    skaraborgskartan::lang::path_in(skaraborgskartan::lang::Lang::En, target)
                        .is_none(),
                    "{uri}: {target} exists in English but is marked Swedish"
                );
            }
        }
        // The map page's form asks its own English page.
        if uri.starts_with("/en/?") {
            assert!(t.contains("action=\"/en/\""), "{uri}: form action");
        }
    }
}

/// A bad link on an English page gets an English page: what went wrong in English, the service's
/// Swedish detail marked as Swedish, and the kommuner to go on to.
#[tokio::test]
async fn bad_english_links_get_english_pages_with_the_right_status() {
    let s = real();
    for (uri, status, says, detail) in [
        (
            "/en/kommun/9999",
            StatusCode::NOT_FOUND,
            "There is no kommun (municipality) with that code in the region.",
            "det finns ingen kommun med koden 9999",
        ),
        (
            "/en/kommun/0180",
            StatusCode::NOT_FOUND,
            "There is no kommun (municipality) with that code in the region.",
            "Stockholm (0180) ingår inte i regionen Skaraborg",
        ),
        (
            "/en/kommun/abc",
            StatusCode::BAD_REQUEST,
            "A value in the address is not one the page can use.",
            "”abc” är ingen kommunkod",
        ),
        (
            "/en/programme/finns-inte",
            StatusCode::NOT_FOUND,
            "That programme is not in the catalogue.",
            "Programmet ”finns-inte” finns inte",
        ),
        (
            "/en/?age=tretton&fbclid=x",
            StatusCode::BAD_REQUEST,
            "A value in the address is not one the page can use.",
            "age: ”tretton” är ingen ålder",
        ),
        (
            "/en/?kommun=%3Cscript%3E",
            StatusCode::BAD_REQUEST,
            "A value in the address is not one the page can use.",
            "”&lt;script&gt;” är ingen kommunkod",
        ),
        (
            "/en/jamfor",
            StatusCode::NOT_FOUND,
            "The page does not exist.",
            "Sidan ”/en/jamfor” finns inte.",
        ),
    ] {
        let r = get(&s, uri).await;
        assert_eq!(r.status, status, "{uri}");
        assert_eq!(
            r.header("cache-control"),
            "no-store",
            "{uri}: errors are not stored"
        );
        let t = text(&r);
        assert!(t.starts_with("<!DOCTYPE html><html lang=\"en\">"), "{uri}");
        assert!(
            t.contains(&format!("<p class=\"fel\">{says}</p>")),
            "{uri}: {t}"
        );
        assert!(
            t.split("<span lang=\"sv\">")
                .nth(1)
                .and_then(|m| m.split("</span>").next())
                .is_some_and(|m| m.contains(detail)),
            "{uri}: the Swedish detail, marked: {t}"
        );
        let title = if status == StatusCode::NOT_FOUND {
            "<h1>Page not found</h1>"
        } else {
            "<h1>Something in the address is not right</h1>"
        };
        assert!(t.contains(title), "{uri}");
        assert!(
            t.contains("href=\"/en/kommun/1496\""),
            "{uri}: offers the kommuner"
        );
        assert!(!t.contains("<script>"), "{uri}: hostile input is escaped");
    }
}

/// The catalogue's descriptions in English: all 29 translated in the shipped catalogue, shown
/// marked `lang="en"` with a note that they are translations; without a translation the page says
/// so and shows the Swedish text marked `lang="sv"`.
#[tokio::test]
async fn programme_descriptions_are_translated_or_say_that_they_are_not() {
    let s = real();
    let a = s.atlas();
    assert_eq!(a.programmes().len(), 29);
    for p in a.programmes() {
        assert!(
            !p.description_en.is_empty(),
            "{}: no English description",
            p.slug
        );
    }
    let abc = &a.programmes()[a.programme_index("abc-tonar").unwrap()];
    let en = page(&s, "/en/programme/abc-tonar").await;
    let ingress = en
        .split("<p class=\"ingress\">")
        .nth(1)
        .unwrap()
        .split("</p>")
        .next()
        .unwrap();
    assert!(
        ingress.contains(&format!("<span lang=\"en\">{}</span>", abc.description_en))
            && ingress.contains("Translated from the Swedish catalogue text"),
        "{ingress}"
    );
    assert!(!ingress.contains(&abc.description), "{ingress}");
    let sv = page(&s, "/program/abc-tonar").await;
    assert!(sv.contains(&format!("<p class=\"ingress\">{}</p>", abc.description)));
    assert!(!sv.contains(&abc.description_en));

    // The same catalogue with one description not yet translated.
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("data");
    common::copy_dir(&common::geodata(), &copy);
    let file = copy.join("programmes.csv");
    let csv = std::fs::read_to_string(&file).unwrap();
    let translated = format!(",\"{}\"\n", abc.description_en);
    assert_eq!(csv.matches(&translated).count(), 1, "{translated}");
    std::fs::write(&file, csv.replace(&translated, ",\n")).unwrap();
    let s = common::load(&copy);
    let en = page(&s, "/en/programme/abc-tonar").await;
    let ingress = en
        .split("<p class=\"ingress\">")
        .nth(1)
        .unwrap()
        .split("</p>")
        .next()
        .unwrap();
    assert!(ingress.contains("No English translation yet"), "{ingress}");
    assert!(
        ingress.contains(&format!("<span lang=\"sv\">{}</span>", abc.description)),
        "{ingress}"
    );
    assert!(!en.contains(&abc.description_en));
    // The cards of the map page say the same (the example data set shares the catalogue; Tibro
    // offers ABC Tonår there).
    let e = common::load(&copy.join("example"));
    let t = page(&e, "/en/?kommun=1472&age=13").await;
    let card = t
        .split("<li class=\"kort\">")
        .find(|c| c.contains("/en/programme/abc-tonar?kommun=1472"))
        .expect("the ABC Tonår card");
    assert!(
        card.contains("No English translation yet")
            && card.contains(&format!("<span lang=\"sv\">{}</span>", abc.description)),
        "{card}"
    );
    let other = t
        .split("<li class=\"kort\">")
        .find(|c| c.contains("/en/programme/aft?kommun=1472"))
        .expect("the ÄFT card");
    assert!(
        other.contains("<span lang=\"en\">A study circle"),
        "{other}"
    );
}

/// The card's way in, in English: "Contact and sign-up" on every card; where nothing is
/// confirmed, the kommun's own contacts (its familjecentral first), marked as Swedish pages.
#[tokio::test]
async fn a_parent_reading_english_finds_how_to_join() {
    let t = page(&example(), "/en/?kommun=1472&age=13").await;
    let offered = t
        .split("id=\"erbjuds\"")
        .nth(1)
        .unwrap()
        .split("</ul>")
        .next()
        .unwrap();
    let cards = offered.matches("<li class=\"kort\">").count();
    assert!(cards > 0);
    assert_eq!(offered.matches(">Contact and sign-up</a>").count(), cards);
    assert!(offered.contains("all parents (universal level)"));
    assert!(t.contains("Programmes in Tibro for a child aged 13"));
    let r = page(&real(), "/en/?kommun=1472&age=13").await;
    assert!(r.contains(
        "No programme that fits is confirmed in Tibro. That does not mean there is none"
    ));
    let contact = r
        .split("class=\"kommunkontakt\">")
        .nth(1)
        .unwrap()
        .split("</p>")
        .next()
        .unwrap();
    assert!(
        contact.starts_with("Ask Tibro: ")
            && contact.contains(
                "<a href=\"https://tibro.se/Barnomsorg-och-utbildning/Forskolor/\" hreflang=\"sv\"><span lang=\"sv\">Familjecentralen Källan</span></a>"
            ),
        "{contact}"
    );
    assert!(r.contains("Confirmed in the neighbouring kommuns"));
}

/// `/lattlast`: the easy-to-read summary in Swedish, linked from every Swedish citizen page (not
/// from the English ones, which link their Swedish twin).
#[tokio::test]
async fn the_easy_read_page_says_what_a_parent_needs() {
    let s = real();
    let t = page(&s, "/lattlast").await;
    assert!(t.contains("<h1>Lättläst om Skaraborgskartan</h1>"));
    for says in [
        "Det är 15 kommuner i Skaraborg.",
        "Välj din kommun.",
        "Välj hur gammalt ditt barn är.",
        "Okänt betyder inte att kursen saknas.",
        "Du kan också fråga en familjecentral.",
        "Vid varje uppgift står ett datum.",
        // Real data: no kommun has answered the newest survey round yet.
        "Just nu har ingen kommun svarat på våra frågor.",
    ] {
        assert!(t.contains(says), "{says}");
    }
    let e = page(&example(), "/lattlast").await;
    assert!(e.contains("Just nu har 15 av 15 kommuner svarat på våra frågor."));
    for uri in [
        "/",
        "/kommun/1472",
        "/program/abc",
        "/om",
        "/tillganglighet",
    ] {
        assert!(
            page(&s, uri)
                .await
                .contains("<a href=\"/lattlast\">Lättläst</a>"),
            "{uri}"
        );
    }
    assert!(!page(&s, "/en/").await.contains("/lattlast"));
}
