//! "Rapportera fel eller komplettera": the visitor's form (`/rapportera`, `/en/report`) and the
//! coordinator's queue (`/admin/rapporter`), through the whole router on a real store (a fresh
//! SQLite file seeded from the shipped data). A report sent from a kommun page, a programme page
//! and the accessibility statement lands in the queue linked to its record and seen only by
//! those whose kommun it is; hostile input gets a clear 4xx and writes nothing; reports are
//! throttled per client address (behind a trusted proxy, as sign-in) and for everyone, without
//! touching the sign-in throttles; "Markera som hanterad" deletes the e-mail address; no public
//! page, API answer, export or OGC collection ever shows a report; an acknowledged report
//! survives SIGKILL of the real server process.

mod common;

use std::collections::{BTreeSet, VecDeque};

use axum::body::Body;
use axum::http::{Method, Request};
use http_body_util::BodyExt;
use skaraborgskartan::auth::{Auth, throttle};
use skaraborgskartan::config::AuthArgs;
use skaraborgskartan::lang::Lang;
use skaraborgskartan::store::Scope;
use skaraborgskartan::store::reports::{Queue, Report, Topic};
use skaraborgskartan::{AppState, router};
use tower::ServiceExt;

use common::admin::{self as desk, Person};

const TIBRO: &str = "1472";
const HJO: &str = "1497";

/// A service on a store of its own; with `proxy`, 127.0.0.1 is a trusted proxy whose
/// `X-Forwarded-For` names the client (as `--trusted-proxies 127.0.0.1`).
async fn service(proxy: bool) -> (AppState, tempfile::TempDir) {
    let (state, dir) = common::with_store(&common::geodata(), None).await;
    if !proxy {
        return (state, dir);
    }
    let args = AuthArgs {
        trusted_proxies: vec!["127.0.0.1".into()],
        ..AuthArgs::default()
    };
    (state.with_auth(Auth::from_args(&args).unwrap()), dir)
}

/// A hostile form: what it is, the fields sent, the status and what the page says.
type Case<'a> = (&'a str, &'a [(&'a str, &'a str)], u16, &'a str);

/// One answer, as a browser would see it.
struct Answer {
    status: u16,
    location: String,
    retry_after: String,
    set_cookie: String,
    cache_control: String,
    text: String,
}

impl Answer {
    fn has(&self, s: &str) -> bool {
        self.text.contains(s)
    }
}

async fn call(
    state: &AppState,
    method: Method,
    uri: &str,
    headers: &[(&str, String)],
    body: Vec<u8>,
) -> Answer {
    let mut req = Request::builder().method(method).uri(uri);
    for (k, v) in headers {
        req = req.header(*k, v);
    }
    let res = router(state.clone())
        .oneshot(req.body(Body::from(body)).unwrap())
        .await
        .unwrap();
    let header = |n: &str| {
        res.headers()
            .get(n)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default()
    };
    let (location, retry_after, set_cookie, cache_control) = (
        header("location"),
        header("retry-after"),
        header("set-cookie"),
        header("cache-control"),
    );
    let status = res.status().as_u16();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    Answer {
        status,
        location,
        retry_after,
        set_cookie,
        cache_control,
        text: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

async fn get(state: &AppState, uri: &str) -> Answer {
    call(state, Method::GET, uri, &[], Vec::new()).await
}

/// The value of the first `name="…" value="…"` in a page.
fn hidden(html: &str, name: &str) -> String {
    desk::hidden(html, name)
}

/// The href of the report link on a public page (HTML entities undone).
fn report_link(html: &str) -> String {
    let section = &html[html
        .find(r#"id="rapportera""#)
        .unwrap_or_else(|| panic!("no report section in the page"))..];
    let start = section.find("href=\"").unwrap() + 6;
    let len = section[start..].find('"').unwrap();
    section[start..start + len].replace("&amp;", "&")
}

/// A visitor: the session cookie and CSRF token the form gave, and the address they come from
/// (through the trusted proxy; None: this machine).
struct Visitor {
    cookie: String,
    csrf: String,
    from: Option<String>,
}

impl Visitor {
    fn headers(&self) -> Vec<(&'static str, String)> {
        let mut h = vec![("cookie", self.cookie.clone())];
        if let Some(ip) = &self.from {
            h.push(("x-forwarded-for", ip.clone()));
            h.push(("x-forwarded-proto", "https".into()));
        }
        h
    }

    /// Opens the form at `uri` as a new visitor.
    async fn open(state: &AppState, uri: &str, from: Option<&str>) -> (Visitor, Answer) {
        let mut v = Visitor {
            cookie: String::new(),
            csrf: String::new(),
            from: from.map(str::to_string),
        };
        let headers: Vec<_> = v.headers().into_iter().skip(1).collect();
        let form = call(state, Method::GET, uri, &headers, Vec::new()).await;
        assert_eq!(form.status, 200, "{uri}: {}", form.text);
        v.cookie = form.set_cookie.split(';').next().unwrap().to_string();
        assert!(v.cookie.starts_with("__Host-skk="), "{}", form.set_cookie);
        v.csrf = hidden(&form.text, "csrf");
        (v, form)
    }

    /// Posts the form's fields (with the CSRF token) to `path`.
    async fn send(&self, state: &AppState, path: &str, pairs: &[(&str, &str)]) -> Answer {
        let mut s = form_urlencoded::Serializer::new(String::new());
        s.append_pair("csrf", &self.csrf);
        for (k, v) in pairs {
            s.append_pair(k, v);
        }
        let body = s.finish().into_bytes();
        self.send_raw(state, path, "application/x-www-form-urlencoded", body)
            .await
    }

    async fn send_raw(
        &self,
        state: &AppState,
        path: &str,
        content_type: &str,
        body: Vec<u8>,
    ) -> Answer {
        let mut h = self.headers();
        h.push(("content-type", content_type.to_string()));
        call(state, Method::POST, path, &h, body).await
    }
}

async fn waiting(state: &AppState) -> Vec<Report> {
    let store = state.store().unwrap();
    store.reports(&Scope::Region, Queue::Waiting).await.unwrap()
}

#[tokio::test]
async fn a_report_from_a_kommun_page_lands_in_the_queue_linked_to_its_record() {
    let (state, _dir) = service(false).await;
    let kommun = get(&state, "/kommun/1472").await;
    let href = report_link(&kommun.text);
    assert_eq!(href, "/rapportera?kommun=1472");
    assert!(
        kommun.has("Rapportera fel eller komplettera uppgifterna om Tibro"),
        "a link text that says where it goes"
    );

    let (v, form) = Visitor::open(&state, &href, None).await;
    assert_eq!(form.cache_control, "no-store", "a form per visitor");
    assert!(form.has(r#"Uppgifterna om <a href="/kommun/1472">Tibro</a>."#));
    assert_eq!(hidden(&form.text, "kommun"), TIBRO, "pre-filled");
    assert!(form.has(r#"<form class="redigera rapport" method="post" action="/rapportera""#));
    assert!(form.has("raderas när rapporten har hanterats – senast 12 månader"));
    let text =
        "ABC erbjuds på familjecentralen sedan hösten 2026.\nAnmälan via kommunens webbplats.";
    let sent = v
        .send(
            &state,
            "/rapportera",
            &[
                ("kommun", TIBRO),
                ("text", text),
                ("source", "https://www.tibro.se/abc"),
                ("email", "Anna.Andersson@Example.se"),
                ("hemsida", ""),
            ],
        )
        .await;
    assert_eq!(sent.status, 303, "{}", sent.text);
    assert_eq!(sent.location, "/rapportera/tack?kommun=1472");
    let thanks = get(&state, &sent.location).await;
    assert_eq!(thanks.status, 200);
    assert!(thanks.has("Tack för din rapport"));
    assert!(thanks.has(r#"<a href="/kommun/1472">Tillbaka till Tibro</a>"#));

    let reports = waiting(&state).await;
    assert_eq!(reports.len(), 1);
    let c = &reports[0].content;
    assert_eq!(
        (c.kommun.as_deref(), c.programme.as_deref(), c.topic, c.lang),
        (Some(TIBRO), None, Topic::Data, Lang::Sv)
    );
    assert_eq!(c.message, text);
    assert_eq!(c.source, "https://www.tibro.se/abc");
    assert_eq!(c.email.as_deref(), Some("anna.andersson@example.se"));

    // The queue: Tibro's redaktör and the samordnare see it, Hjo's redaktör does not.
    let tibro = desk::person(&state, "anna@tibro.se", "redaktor", &[TIBRO]).await;
    let hjo = desk::person(&state, "hans@hjo.se", "redaktor", &[HJO]).await;
    let samordnare = desk::person(&state, "berit@vgregion.se", "samordnare", &[]).await;
    for who in [&tibro, &samordnare] {
        let q = desk::get(&state, "/admin/rapporter", who).await;
        assert_eq!(q.status, 200, "{}", q.text);
        assert!(q.text.contains("Att hantera (1)"), "{}", q.text);
        assert!(
            q.text
                .contains("ABC erbjuds på familjecentralen sedan hösten 2026.\nAnmälan")
        );
        assert!(q.text.contains(
            r#"<a href="/admin/kommun/1472">Uppgifterna för Tibro i administrationen</a>"#
        ));
        assert!(
            q.text
                .contains(r#"<a href="/kommun/1472">Den publika sidan"#)
        );
        assert!(
            q.text
                .contains(r#"href="mailto:anna.andersson@example.se""#)
        );
        assert!(
            q.text
                .contains(r#"rel="noopener noreferrer nofollow">https://www.tibro.se/abc</a>"#)
        );
        let overview = desk::get(&state, "/admin", who).await;
        assert!(
            overview.text.contains("1 ny rapport från besökare"),
            "{}",
            overview.text
        );
        assert!(
            overview
                .text
                .contains(r#"<a href="/admin/rapporter">Rapporter</a>"#),
            "the menu"
        );
    }
    let q = desk::get(&state, "/admin/rapporter", &hjo).await;
    assert!(q.text.contains("Att hantera (0)") && q.text.contains("Inga rapporter väntar."));
    assert!(!q.text.contains("familjecentralen sedan"));
    let overview = desk::get(&state, "/admin", &hjo).await;
    assert!(
        overview
            .text
            .contains("Inga rapporter från besökare väntar.")
    );
    // Without a session the queue is the sign-in page's.
    let anonymous = get(&state, "/admin/rapporter").await;
    assert_eq!(anonymous.status, 303);
    assert!(anonymous.location.starts_with("/admin/logga-in"));
}

#[tokio::test]
async fn programme_pages_and_the_accessibility_statement_link_to_the_form_about_them() {
    let (state, _dir) = service(false).await;
    let tibro = desk::person(&state, "anna@tibro.se", "redaktor", &[TIBRO]).await;
    let samordnare = desk::person(&state, "berit@vgregion.se", "samordnare", &[]).await;
    let report = async |page: &str, expected_link: &str, text: &str| {
        let public = get(&state, page).await;
        let href = report_link(&public.text);
        assert_eq!(href, expected_link, "{page}");
        let (v, form) = Visitor::open(&state, &href, None).await;
        let about: Vec<(&str, String)> = ["kommun", "program", "topic"]
            .into_iter()
            .filter(|n| form.text.contains(&format!(r#"name="{n}" value=""#)))
            .map(|n| (n, hidden(&form.text, n)))
            .collect();
        let mut pairs: Vec<(&str, &str)> = about.iter().map(|(k, v)| (*k, v.as_str())).collect();
        pairs.push(("text", text));
        let sent = v.send(&state, "/rapportera", &pairs).await;
        assert_eq!(sent.status, 303, "{page}: {}", sent.text);
        sent.location
    };

    // A programme page opened from a kommun: about both, edited at the kommun's answer.
    let to = report(
        "/program/abc?kommun=1472",
        "/rapportera?kommun=1472&program=abc",
        "ABC-grupp varje vår",
    )
    .await;
    assert_eq!(to, "/rapportera/tack?kommun=1472&program=abc");
    let q = desk::get(&state, "/admin/rapporter", &tibro).await;
    assert!(q.text.contains("ABC-grupp varje vår"));
    assert!(q.text.contains(
        r#"<a href="/admin/kommun/1472/program/abc">Ändra svaret för programmet i Tibro</a>"#
    ));
    assert!(
        q.text
            .contains(r#"<a href="/program/abc?kommun=1472">Den publika sidan"#)
    );

    // A programme alone: the catalogue's, for the samordnare only.
    report(
        "/program/abc",
        "/rapportera?program=abc",
        "Åldern stämmer inte",
    )
    .await;
    let q = desk::get(&state, "/admin/rapporter", &tibro).await;
    assert!(!q.text.contains("Åldern stämmer inte"), "not about Tibro");
    let q = desk::get(&state, "/admin/rapporter", &samordnare).await;
    assert!(q.text.contains("Åldern stämmer inte"));
    assert!(
        q.text
            .contains(r#"<a href="/admin/program/abc">Programmet i programkatalogen</a>"#)
    );

    // The accessibility statement's feedback path.
    let statement = get(&state, "/tillganglighet").await;
    assert!(
        statement.has(
            r#"<a href="/rapportera?topic=accessibility">rapportera problemet i vårt formulär</a>"#
        ),
        "{}",
        statement.text
    );
    assert!(
        !statement.has("kommer när samordnarens inloggning"),
        "no promise left"
    );
    let (v, form) = Visitor::open(&state, "/rapportera?topic=accessibility", None).await;
    assert!(form.has("Tillgängligheten i Skaraborgskartan"));
    let sent = v
        .send(
            &state,
            "/rapportera",
            &[
                ("topic", "accessibility"),
                (
                    "text",
                    "Kartan går inte att zooma med tangentbordet i Firefox.",
                ),
            ],
        )
        .await;
    assert_eq!(sent.status, 303, "{}", sent.text);
    let reports = waiting(&state).await;
    let a11y = reports
        .iter()
        .find(|r| r.content.topic == Topic::Accessibility)
        .unwrap();
    assert_eq!(
        (
            a11y.content.kommun.as_deref(),
            a11y.content.programme.as_deref()
        ),
        (None, None)
    );
    let q = desk::get(&state, "/admin/rapporter", &samordnare).await;
    assert!(
        q.text
            .contains("Rapport 3: Tillgängligheten i Skaraborgskartan"),
        "{}",
        q.text
    );
    assert!(
        q.text
            .contains(r#"<a href="/tillganglighet">Den publika sidan"#)
    );
    assert!(q.text.contains("Att hantera (3)"));
}

#[tokio::test]
async fn the_form_in_english() {
    let (state, _dir) = service(false).await;
    let (v, form) = Visitor::open(&state, "/en/report?kommun=1472&utm_source=x", None).await;
    assert!(form.has(r#"<html lang="en">"#));
    assert!(form.has("<h1>Report an error or add information</h1>"));
    assert!(form.has(r#"action="/en/report""#));
    assert!(form.has("The information about"));
    assert!(form.has(r#"<link rel="canonical" href="/en/report?kommun=1472">"#));
    let sent = v
        .send(&state, "/en/report", &[("kommun", TIBRO), ("text", "")])
        .await;
    assert_eq!(sent.status, 422);
    assert!(sent.has("The report was not sent: 1 thing to correct"));
    assert!(
        sent.has("The text: Write what is wrong or missing."),
        "{}",
        sent.text
    );
    let sent = v
        .send(
            &state,
            "/en/report",
            &[
                ("kommun", TIBRO),
                ("text", "The ABC group is also held in English."),
            ],
        )
        .await;
    assert_eq!(sent.status, 303, "{}", sent.text);
    assert_eq!(sent.location, "/en/report/thanks?kommun=1472");
    let thanks = get(&state, &sent.location).await;
    assert!(thanks.has(r#"<html lang="en">"#) && thanks.has("Thank you for your report"));
    assert_eq!(waiting(&state).await[0].content.lang, Lang::En);
    let samordnare = desk::person(&state, "berit@vgregion.se", "samordnare", &[]).await;
    let q = desk::get(&state, "/admin/rapporter", &samordnare).await;
    assert!(
        q.text
            .contains("den engelska sidan: svara gärna på engelska")
    );
    // The kommun page's link (Swedish page: the Swedish form).
    let kommun = get(&state, "/kommun/1472").await;
    assert_eq!(report_link(&kommun.text), "/rapportera?kommun=1472");
}

/// Sends one report about Tibro from a new visitor; the report's id.
async fn one_report(state: &AppState, text: &str, email: &str) -> i64 {
    let (v, _) = Visitor::open(state, "/rapportera?kommun=1472", None).await;
    let sent = v
        .send(
            state,
            "/rapportera",
            &[("kommun", TIBRO), ("text", text), ("email", email)],
        )
        .await;
    assert_eq!(sent.status, 303, "{}", sent.text);
    waiting(state)
        .await
        .iter()
        .find(|r| r.content.message == text)
        .unwrap()
        .id
}

#[tokio::test]
async fn marking_a_report_handled_deletes_the_email_address_and_is_kept_with_who_and_when() {
    let (state, _dir) = service(false).await;
    let store = state.store().unwrap().clone();
    let id = one_report(&state, "Telefonnumret är fel.", "anna@example.se").await;
    let path = format!("/admin/rapporter/{id}/hanterad");
    let tibro = desk::person(&state, "anna@tibro.se", "redaktor", &[TIBRO]).await;
    let hjo = desk::person(&state, "hans@hjo.se", "redaktor", &[HJO]).await;

    let page = desk::post(&state, &path, &hjo, &[("note", "")]).await;
    assert_eq!(page.status, 403, "another kommun's redaktör");
    let page = desk::post_without_csrf(&state, &path, &tibro, &[("note", "")]).await;
    assert_eq!(page.status, 403, "no CSRF token");
    let long = "x".repeat(1001);
    let page = desk::post(&state, &path, &tibro, &[("note", &long)]).await;
    assert_eq!(page.status, 422);
    assert!(
        page.text
            .contains("Högst 1 000 tecken; anteckningen har 1001"),
        "{}",
        page.text
    );
    assert!(page.text.contains(&long), "what was typed is kept");
    let r = store.report(id).await.unwrap().unwrap();
    assert_eq!(
        (&r.handled, r.content.email.as_deref()),
        (&None, Some("anna@example.se")),
        "nothing written yet"
    );

    let page = desk::post(
        &state,
        &path,
        &tibro,
        &[("note", "Rättat till 0504-180 00.")],
    )
    .await;
    assert_eq!(page.status, 303, "{}", page.text);
    assert_eq!(page.location, format!("/admin/rapporter?hanterad={id}"));
    let r = store.report(id).await.unwrap().unwrap();
    assert_eq!(r.content.email, None, "the e-mail address is deleted");
    let handled = r.handled.unwrap();
    assert_eq!(handled.by, Some(tibro.id));
    assert_eq!(handled.note, "Rättat till 0504-180 00.");
    assert_eq!(
        r.content.message, "Telefonnumret är fel.",
        "the report itself is kept"
    );

    let q = desk::get(&state, &page.location, &tibro).await;
    assert!(
        q.text
            .contains(&format!("Rapport {id} är markerad som hanterad"))
    );
    assert!(q.text.contains("Att hantera (0)"));
    assert!(q.text.contains("anna@tibro.se"), "who handled it");
    assert!(q.text.contains("Rättat till 0504-180 00."));
    assert!(
        !q.text.contains("anna@example.se"),
        "the address is gone from the page"
    );
    assert!(!q.text.contains("Markera som hanterad"));

    let again = desk::post(&state, &path, &tibro, &[("note", "")]).await;
    assert_eq!(again.status, 409, "{}", again.text);
    assert!(again.text.contains("redan markerad som hanterad"));
    for bad in [
        "/admin/rapporter/999/hanterad",
        "/admin/rapporter/abc/hanterad",
    ] {
        let page = desk::post(&state, bad, &tibro, &[]).await;
        assert_eq!(page.status, 404, "{bad}");
        assert!(page.text.contains("Det finns ingen rapport nummer"));
    }
    // A report about no kommun is the samordnare's.
    let (v, _) = Visitor::open(&state, "/rapportera", None).await;
    let sent = v.send(&state, "/rapportera", &[("text", "Allmänt")]).await;
    assert_eq!(sent.status, 303);
    let general = waiting(&state).await[0].id;
    let page = desk::post(
        &state,
        &format!("/admin/rapporter/{general}/hanterad"),
        &tibro,
        &[],
    )
    .await;
    assert_eq!(page.status, 403);
    let samordnare: Person = desk::person(&state, "berit@vgregion.se", "samordnare", &[]).await;
    let page = desk::post(
        &state,
        &format!("/admin/rapporter/{general}/hanterad"),
        &samordnare,
        &[],
    )
    .await;
    assert_eq!(page.status, 303);
}

#[tokio::test]
async fn hostile_input_gets_a_clear_4xx_and_writes_nothing() {
    let (state, _dir) = service(false).await;
    let (v, _) = Visitor::open(&state, "/rapportera?kommun=1472", None).await;
    let form = "application/x-www-form-urlencoded";
    let check = async |what: &str, a: Answer, status: u16, says: &str| {
        assert_eq!(a.status, status, "{what}: {}", a.text);
        assert!(a.has(says), "{what}: expected ”{says}” in\n{}", a.text);
        assert!(a.has(r#"<html lang="sv">"#), "{what}: a Swedish page");
        assert_eq!(a.cache_control, "no-store", "{what}");
        assert!(waiting(&state).await.is_empty(), "{what}: nothing written");
    };
    let send = async |pairs: &[(&str, &str)]| v.send(&state, "/rapportera", pairs).await;

    // Fields the form reads: (what, the fields sent, status, what the page says).
    let huge = "a".repeat(100_000);
    let long = "ö".repeat(2001);
    let cases: [Case; 16] = [
        (
            "100 000 characters",
            &[("text", &huge)],
            413,
            "Formuläret är för stort",
        ),
        (
            "2 001 characters",
            &[("kommun", TIBRO), ("text", &long)],
            422,
            "Högst 2\u{a0}000 tecken; texten har 2\u{a0}001",
        ),
        (
            "control characters",
            &[("text", "fel\u{1b}[31m")],
            422,
            "osynliga styrtecken",
        ),
        (
            "a reversed file name",
            &[("text", "se bilaga\u{202E}fdp.exe")],
            422,
            "osynliga styrtecken",
        ),
        (
            "a source on two lines",
            &[("text", "x"), ("source", "a\nb")],
            422,
            "Skriv källan på en rad",
        ),
        (
            "not an e-mail address",
            &[("text", "x"), ("email", "<script>@x")],
            422,
            "ser inte ut som en e-postadress",
        ),
        (
            "an extra field",
            &[("text", "x"), ("admin", "1")],
            400,
            "ett fält som inte hör dit: ”admin”",
        ),
        (
            "a field twice",
            &[("text", "x"), ("text", "y")],
            400,
            "Fältet ”text” finns mer än en gång",
        ),
        (
            "an unknown kommun",
            &[("kommun", "9999"), ("text", "x")],
            404,
            "det finns ingen kommun med koden 9999",
        ),
        (
            "a kommun of another region",
            &[("kommun", "0114"), ("text", "x")],
            404,
            "ingår inte i regionen",
        ),
        (
            "not a kommun code",
            &[("kommun", "<b>"), ("text", "x")],
            400,
            "”&lt;b&gt;” är ingen kommunkod",
        ),
        (
            "an unknown programme",
            &[("program", "finns-inte"), ("text", "x")],
            404,
            "programmet ”finns-inte” finns inte i katalogen",
        ),
        (
            "an unknown topic",
            &[("topic", "admin"), ("text", "x")],
            400,
            "topic: ”admin” är inget ämne",
        ),
        (
            "the honeypot",
            &[("text", "Köp billigt"), ("hemsida", "http://spam.example")],
            400,
            "Ett dolt fält som ska vara tomt",
        ),
        (
            "an empty text",
            &[("kommun", TIBRO), ("text", " \r\n ")],
            422,
            "Skriv vad som är fel eller saknas.",
        ),
        (
            "a text of tabs and spaces",
            &[("text", "\t \t")],
            422,
            "Skriv vad som är fel eller saknas.",
        ),
    ];
    for (what, pairs, status, says) in cases {
        check(what, send(pairs).await, status, says).await;
    }
    let a = send(&[("kommun", TIBRO), ("text", &long)]).await;
    assert!(a.has(&long), "a text too long is kept, to shorten");

    // Bodies the form does not read: (what, content type, body, status, what the page says).
    let mut latin1 = format!("csrf={}&text=", v.csrf).into_bytes();
    latin1.extend_from_slice(b"r\xe4tt");
    let bodies: [(&str, &str, Vec<u8>, u16, &str); 4] = [
        (
            "invalid UTF-8",
            form,
            b"csrf=x&text=%FF%FEfel".to_vec(),
            400,
            "Fältet ”text” innehåller tecken som inte är giltig text (UTF-8)",
        ),
        (
            "raw Latin-1",
            form,
            latin1,
            400,
            "inte är giltig text (UTF-8)",
        ),
        (
            "JSON",
            "application/json",
            br#"{"text":"x"}"#.to_vec(),
            415,
            "tas bara emot som ett vanligt webbformulär",
        ),
        (
            "multipart",
            "multipart/form-data; boundary=b",
            b"--b--".to_vec(),
            415,
            "”multipart/form-data; boundary=b”",
        ),
    ];
    for (what, content_type, body, status, says) in bodies {
        let a = v.send_raw(&state, "/rapportera", content_type, body).await;
        check(what, a, status, says).await;
    }

    // The token: missing, forged, no session at all, a session that has ended.
    let no_token = v
        .send_raw(
            &state,
            "/rapportera",
            form,
            b"kommun=1472&text=hej".to_vec(),
        )
        .await;
    assert!(
        no_token.has(r#"<textarea id="r-text" name="text""#) && no_token.has(">hej</textarea>")
    );
    check("no token", no_token, 403, "säkerhetskod stämde inte").await;
    let forged = Visitor {
        cookie: v.cookie.clone(),
        csrf: "0".repeat(64),
        from: None,
    };
    check(
        "a forged token",
        forged.send(&state, "/rapportera", &[("text", "x")]).await,
        403,
        "säkerhetskod stämde inte",
    )
    .await;
    let cookieless = Visitor {
        cookie: String::new(),
        csrf: v.csrf.clone(),
        from: None,
    };
    let a = cookieless
        .send(&state, "/rapportera", &[("text", "Text från annanstans")])
        .await;
    assert_eq!(a.set_cookie, "", "no cookie set from a request without one");
    assert!(!a.has("Text från annanstans"), "nothing of it shown back");
    check("no session cookie", a, 403, "saknar giltig säkerhetskod").await;
    let ended = Visitor {
        cookie: format!("__Host-skk={}", "ab".repeat(32)),
        csrf: v.csrf.clone(),
        from: None,
    };
    let a = ended
        .send(&state, "/rapportera", &[("text", "Skrevs länge")])
        .await;
    assert!(a.set_cookie.starts_with("__Host-skk="), "a new session");
    assert!(a.has(">Skrevs länge</textarea>"), "what was typed is kept");
    let new_csrf = hidden(&a.text, "csrf");
    check("an ended session", a, 403, "varit öppet för länge").await;
    assert_ne!(new_csrf, v.csrf);

    // GET: unknown codes are 404/400 pages; parameters the page does not use are ignored.
    for (uri, status, says) in [
        (
            "/rapportera?kommun=9999",
            404,
            "det finns ingen kommun med koden 9999",
        ),
        (
            "/rapportera?program=%3Cscript%3E",
            404,
            "programmet ”&lt;script&gt;” finns inte",
        ),
        ("/en/report?topic=x", 400, "topic: ”x” är inget ämne"),
    ] {
        let a = get(&state, uri).await;
        assert_eq!(a.status, status, "{uri}");
        assert!(a.has(says), "{uri}: {}", a.text);
    }
    let a = get(
        &state,
        "/rapportera?kommun=1472&fbclid=abc&utm_source=fb&gclid=1",
    )
    .await;
    assert_eq!(a.status, 200);
    assert!(a.has(r#"<link rel="canonical" href="/rapportera?kommun=1472">"#));

    // What is taken is text: markup and formulas are stored as sent and shown escaped.
    let markup = r#"<script>alert("x")</script><img src=x onerror=alert(1)>"#;
    let formula = r#"=HYPERLINK("http://evil.example","Klicka")"#;
    let sent = send(&[("kommun", TIBRO), ("text", markup), ("source", formula)]).await;
    assert_eq!(sent.status, 303, "{}", sent.text);
    let stored = waiting(&state).await;
    assert_eq!(stored.len(), 1);
    assert_eq!(
        (
            stored[0].content.message.as_str(),
            stored[0].content.source.as_str()
        ),
        (markup, formula)
    );
    let samordnare = desk::person(&state, "berit@vgregion.se", "samordnare", &[]).await;
    let q = desk::get(&state, "/admin/rapporter", &samordnare).await;
    assert!(
        !q.text.contains("<script>alert") && !q.text.contains("<img src=x"),
        "{}",
        q.text
    );
    assert!(q.text.contains(
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"
    ));
    assert!(
        q.text
            .contains("=HYPERLINK(&quot;http://evil.example&quot;,&quot;Klicka&quot;)")
    );
    assert!(
        !q.text.contains(r#"href="=HYPERLINK"#),
        "a source that is no web address is no link"
    );
}

#[tokio::test]
async fn reports_are_throttled_per_address_and_for_everyone_apart_from_sign_in() {
    let (state, _dir) = service(true).await;
    let report = async |from: &str, n: usize| {
        let (v, _) = Visitor::open(&state, "/rapportera?kommun=1472", Some(from)).await;
        v.send(
            &state,
            "/rapportera",
            &[
                ("kommun", TIBRO),
                ("text", &format!("Rapport {n} från {from}")),
            ],
        )
        .await
    };
    for n in 0..throttle::REPORTS_PER_ADDRESS as usize {
        assert_eq!(report("198.51.100.7", n).await.status, 303, "report {n}");
    }
    let refused = report("198.51.100.7", 99).await;
    assert_eq!(refused.status, 429, "{}", refused.text);
    assert!(refused.has("Många rapporter har skickats på kort tid. Vänta"));
    assert!(
        refused.has(">Rapport 99 från 198.51.100.7</textarea>"),
        "what was typed is kept"
    );
    assert!(refused.retry_after.parse::<u64>().unwrap() > 60);
    assert_eq!(
        waiting(&state).await.len(),
        throttle::REPORTS_PER_ADDRESS as usize
    );
    assert_eq!(
        report("198.51.100.8", 0).await.status,
        303,
        "another address"
    );
    // The same /64 of IPv6 is one client.
    for n in 0..throttle::REPORTS_PER_ADDRESS as usize {
        assert_eq!(report(&format!("2001:db8::{n}"), n).await.status, 303);
    }
    assert_eq!(report("2001:db8::ff", 0).await.status, 429);

    // Sign-in from the throttled address is untouched: a wrong password is a 422, not a 429.
    let headers = [
        ("x-forwarded-for", "198.51.100.7".to_string()),
        ("x-forwarded-proto", "https".to_string()),
    ];
    let form = call(&state, Method::GET, "/admin/logga-in", &headers, Vec::new()).await;
    let cookie = form.set_cookie.split(';').next().unwrap().to_string();
    let body = format!(
        "csrf={}&email=a%40hjo.se&password=fel",
        hidden(&form.text, "csrf")
    );
    let mut h = headers.to_vec();
    h.push(("cookie", cookie));
    h.push(("content-type", "application/x-www-form-urlencoded".into()));
    let sign_in = call(
        &state,
        Method::POST,
        "/admin/logga-in",
        &h,
        body.into_bytes(),
    )
    .await;
    assert_eq!(sign_in.status, 422, "{}", sign_in.text);

    // The cap for everyone: with room for 8 an hour, the ninth from a new address waits.
    let mut auth = Auth::from_args(&AuthArgs {
        trusted_proxies: vec!["127.0.0.1".into()],
        ..AuthArgs::default()
    })
    .unwrap();
    auth.reports = throttle::Reports::new(throttle::REPORTS_PER_ADDRESS, 8);
    let state = state.with_auth(auth);
    let report = async |from: &str| {
        let (v, _) = Visitor::open(&state, "/rapportera", Some(from)).await;
        v.send(&state, "/rapportera", &[("text", from)])
            .await
            .status
    };
    for n in 0..8 {
        assert_eq!(report(&format!("203.0.113.{n}")).await, 303, "report {n}");
    }
    assert_eq!(report("203.0.113.200").await, 429, "the cap for everyone");

    // Plain HTTP through the proxy from another machine: the form is refused, not half-shown.
    let plain = [
        ("x-forwarded-for", "198.51.100.9".to_string()),
        ("x-forwarded-proto", "http".to_string()),
    ];
    let a = call(&state, Method::GET, "/rapportera", &plain, Vec::new()).await;
    assert_eq!(a.status, 403);
    assert!(a.has("krypterad anslutning (https)"));
    assert_eq!(a.set_cookie, "");
}

/// Every address a public answer links to (HTML `href`/`src`, a JSON string that is an
/// address), as a path on this service; the admin, the assets and the form itself left out.
fn links(body: &str) -> Vec<String> {
    let mut out = Vec::new();
    for marker in ["href=\"", "src=\"", "\":\"http://localhost/", "\":\"/"] {
        let mut rest = body;
        while let Some(i) = rest.find(marker) {
            // A JSON value keeps the `http://localhost/` or `/` it starts with.
            let skip = if marker.starts_with('"') {
                3
            } else {
                marker.len()
            };
            rest = &rest[i + skip..];
            let end = rest.find('"').unwrap_or(rest.len());
            let link = rest[..end].replace("&amp;", "&");
            rest = &rest[end..];
            let link = link.strip_prefix("http://localhost").unwrap_or(&link);
            let link = link.split('#').next().unwrap();
            let skip = ["/admin", "/assets", "/rapportera", "/en/report", "/favicon"];
            if link.starts_with('/')
                && !link.starts_with("//")
                && !skip.iter().any(|s| link.starts_with(s))
            {
                out.push(link.to_string());
            }
        }
    }
    out
}

/// The text of an answer: an XLSX unzipped (its sheets are compressed XML), else the bytes.
fn readable(bytes: &[u8]) -> String {
    if !bytes.starts_with(b"PK") {
        return String::from_utf8_lossy(bytes).into_owned();
    }
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut all = String::new();
    for i in 0..zip.len() {
        use std::io::Read;
        let mut f = zip.by_index(i).unwrap();
        let mut s = String::new();
        f.read_to_string(&mut s).unwrap();
        all.push_str(&s);
    }
    all
}

#[tokio::test]
async fn a_report_never_appears_on_a_public_page_in_the_api_an_export_or_ogc() {
    let (state, dir) = service(false).await;
    const MARK: &str = "RAPPORTMARKÖR7F3A";
    let (v, _) = Visitor::open(&state, "/rapportera?kommun=1472&program=abc", None).await;
    let sent = v
        .send(
            &state,
            "/rapportera",
            &[
                ("kommun", TIBRO),
                ("program", "abc"),
                ("text", &format!("{MARK} text")),
                ("source", &format!("https://{MARK}.example/")),
                ("email", "rapportmarkor7f3a@example.se"),
            ],
        )
        .await;
    assert_eq!(sent.status, 303);
    // Every page, API answer, export and OGC answer reachable from the start page and the API's
    // and OGC's entry points, followed link by link.
    let starts = [
        "/",
        "/kommun/1472",
        "/program/abc?kommun=1472",
        "/api/v1/region",
        "/api/v1/kommuner/1472",
        "/api/v1/programmes/abc",
        "/api/v1/export",
        "/api/v1/layers/offerings",
        "/ogc",
    ];
    let mut queue: VecDeque<String> = starts.iter().map(ToString::to_string).collect();
    let mut seen: BTreeSet<String> = queue.iter().cloned().collect();
    let mut kinds: BTreeSet<&str> = BTreeSet::new();
    while let Some(uri) = queue.pop_front() {
        let reply = common::get(&state, &uri).await;
        assert!(reply.status.as_u16() < 500, "{uri}: {}", reply.status);
        let text = readable(&reply.body);
        for needle in [MARK, "rapportmarkor7f3a", "RAPPORTMARK"] {
            assert!(
                !text.to_uppercase().contains(&needle.to_uppercase()),
                "{uri} shows the report"
            );
        }
        for (prefix, kind) in [
            ("/kommun/", "kommun page"),
            ("/program/", "programme page"),
            ("/api/v1/export/", "export"),
            ("/api/v1/kommuner", "API"),
            ("/ogc/collections/", "OGC"),
        ] {
            if uri.starts_with(prefix) && reply.status == 200 {
                kinds.insert(kind);
            }
        }
        if uri.contains("format=xlsx") && reply.status == 200 {
            kinds.insert("xlsx");
        }
        if seen.len() < 700 {
            for link in links(&text) {
                if seen.insert(link.clone()) {
                    queue.push_back(link);
                }
            }
        }
    }
    eprintln!("crawled {} addresses: {kinds:?}", seen.len());
    assert_eq!(
        kinds.len(),
        6,
        "the crawl reached every kind of output: {kinds:?} ({} addresses)",
        seen.len()
    );
    assert!(seen.len() > 200, "{} addresses", seen.len());
    // The data written back as files neither.
    let out = dir.path().join("ut");
    let files = state.store().unwrap().files().await.unwrap();
    skaraborgskartan::store::export::write(&files, &out).unwrap();
    for entry in std::fs::read_dir(&out).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(!text.contains(MARK), "{}", path.display());
        }
    }
}

#[tokio::test]
async fn old_email_addresses_and_handled_reports_are_deleted_when_their_time_is_up() {
    use skaraborgskartan::store::reports::{EMAIL_KEPT, HANDLED_KEPT};
    let (state, _dir) = service(false).await;
    let store = state.store().unwrap().clone();
    let kept = one_report(&state, "Ny rapport", "ny@example.se").await;
    let old = one_report(&state, "Gammal rapport", "gammal@example.se").await;
    let handled = one_report(&state, "Hanterad rapport", "").await;
    let account = common::account(&state, "berit@vgregion.se", "samordnare", &[]).await;
    let now = skaraborgskartan::dates::now_seconds();
    // Make the old ones old: as if sent (and handled) long ago.
    sqlx::query("UPDATE reports SET at = $1 WHERE id = $2")
        .bind(now - EMAIL_KEPT - 60)
        .bind(old)
        .execute(store.pool())
        .await
        .unwrap();
    assert!(
        store
            .handle_report(handled, account, "", now - HANDLED_KEPT - 60)
            .await
            .unwrap()
    );
    assert_eq!(store.purge_reports(now).await.unwrap(), (1, 1));
    assert_eq!(
        store
            .report(kept)
            .await
            .unwrap()
            .unwrap()
            .content
            .email
            .as_deref(),
        Some("ny@example.se")
    );
    let old = store.report(old).await.unwrap().unwrap();
    assert_eq!(
        (old.content.email, old.content.message.as_str()),
        (None, "Gammal rapport"),
        "the address only"
    );
    assert_eq!(store.report(handled).await.unwrap(), None);
    assert_eq!(
        store.purge_reports(now).await.unwrap(),
        (0, 0),
        "nothing twice"
    );
}

#[test]
fn an_acknowledged_report_survives_a_kill_of_the_server() {
    use common::process::{Process, root};
    let dir = tempfile::tempdir().unwrap();
    let mut server = Process::start(dir.path());
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into();
    let form = agent
        .get(&format!("{}/rapportera?kommun=1472", server.base))
        .call()
        .unwrap();
    let cookie = form.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let html = form.into_body().read_to_string().unwrap();
    let body = format!(
        "csrf={}&kommun=1472&text=Sparad+f%C3%B6re+svaret",
        hidden(&html, "csrf")
    );
    let sent = agent
        .post(&format!("{}/rapportera", server.base))
        .header("cookie", &cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .send(body)
        .unwrap();
    assert_eq!(sent.status(), 303);
    server.kill();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let store = skaraborgskartan::server::open_store(dir.path(), &root().join("geodata"), None)
            .await
            .unwrap();
        let reports = store.reports(&Scope::Region, Queue::Waiting).await.unwrap();
        assert_eq!(reports.len(), 1);
        assert_eq!(reports[0].content.message, "Sparad före svaret");
    });
}
