//! The editing pages under /admin, through the whole router on a real store (a fresh SQLite file
//! seeded from the shipped data): a redaktör's edit seen at once on the public pages and in the
//! API, refusals (another kommun, the catalogue, no session, an expired one, no CSRF token),
//! field errors, okänt as a real answer, conflicts, revert, "Bekräfta allt oförändrat", and
//! hostile text escaped on admin pages, public pages and in the CSV export. Sessions are made in
//! the store directly (`common::session_for`): sign-in has its own tests.

mod common;

/// The whole history, newest first (as the history page lists it).
fn newest_first() -> HistoryFilter {
    HistoryFilter {
        newest_first: true,
        ..HistoryFilter::default()
    }
}

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use http_body_util::BodyExt;
use skaraborgskartan::store::log::{self, HistoryFilter};
use skaraborgskartan::store::{Record, kind};
use skaraborgskartan::{AppState, router};
use tower::ServiceExt;

const TIBRO: &str = "1472";
const SKOVDE: &str = "1496";

/// A signed-in person: the Cookie header and the session's CSRF token.
struct Person {
    cookie: String,
    csrf: String,
    email: String,
}

async fn person(state: &AppState, email: &str, role: &str, kommuner: &[&str]) -> Person {
    let id = common::account(state, email, role, kommuner).await;
    let (cookie, csrf) = common::session_for(state, id).await;
    Person {
        cookie,
        csrf,
        email: email.to_string(),
    }
}

struct Page {
    status: StatusCode,
    location: String,
    text: String,
}

async fn send(
    state: &AppState,
    method: Method,
    uri: &str,
    cookie: Option<&str>,
    body: Option<String>,
) -> Page {
    let mut req = Request::builder().method(method).uri(uri);
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    let body = match body {
        Some(b) => {
            req = req.header("content-type", "application/x-www-form-urlencoded");
            Body::from(b)
        }
        None => Body::empty(),
    };
    let res = router(state.clone())
        .oneshot(req.body(body).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let location = res
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    Page {
        status,
        location,
        text: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

async fn get(state: &AppState, uri: &str, who: &Person) -> Page {
    send(state, Method::GET, uri, Some(&who.cookie), None).await
}

fn form(pairs: &[(&str, &str)]) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        s.append_pair(k, v);
    }
    s.finish()
}

/// Posts a form with the person's CSRF token.
async fn post(state: &AppState, uri: &str, who: &Person, pairs: &[(&str, &str)]) -> Page {
    let mut all = vec![("csrf", who.csrf.as_str())];
    all.extend_from_slice(pairs);
    send(
        state,
        Method::POST,
        uri,
        Some(&who.cookie),
        Some(form(&all)),
    )
    .await
}

/// The value of the hidden input `name` in a page (the first one).
fn hidden(html: &str, name: &str) -> String {
    let marker = format!(r#"name="{name}" value=""#);
    let i = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no input {name} in:\n{html}"));
    let rest = &html[i + marker.len()..];
    rest[..rest.find('"').unwrap()].to_string()
}

fn hidden_all(html: &str, name: &str) -> Vec<String> {
    let marker = format!(r#"name="{name}" value=""#);
    html.match_indices(&marker)
        .map(|(i, _)| {
            let rest = &html[i + marker.len()..];
            rest[..rest.find('"').unwrap()].to_string()
        })
        .collect()
}

async fn record(
    state: &AppState,
    kind_name: &str,
    key: &str,
) -> Option<skaraborgskartan::store::Record> {
    state
        .store()
        .unwrap()
        .record(kind(kind_name).unwrap(), key)
        .await
        .unwrap()
}

/// "Bekräfta oförändrat" for one record, from the page `back`.
async fn confirm(state: &AppState, who: &Person, r: &Record, back: &str) -> Page {
    let version = r.version.to_string();
    let pairs = [
        ("kind", r.kind.name),
        ("key", r.key.as_str()),
        ("version", version.as_str()),
        ("tillbaka", back),
    ];
    post(state, "/admin/bekrafta", who, &pairs).await
}

async fn change_count(state: &AppState) -> i64 {
    log::changes(state.store().unwrap(), &newest_first(), 1, 0)
        .await
        .unwrap()
        .1
}

/// The round the tests edit: a new open survey round, which the desk then edits by default
/// (the round the public pages show is closed, and frozen). Its creation is one change.
async fn edit_round(state: &AppState) -> String {
    common::open_round(state, ROUND, "Uppföljning 2026").await
}

const ROUND: &str = "uppfoljning-2026";

/// The public kommun page's row of a programme in its table of answers.
fn public_row<'a>(html: &'a str, slug: &str) -> &'a str {
    let link = format!(r#"href="/program/{slug}?kommun="#);
    let i = html
        .find(&link)
        .unwrap_or_else(|| panic!("no row for {slug} on the public page"));
    let end = html[i..].find("</tr>").unwrap();
    &html[i..i + end]
}

#[tokio::test]
async fn a_redaktor_sets_abc_for_tibro_and_the_public_pages_and_the_api_show_it_at_once() {
    let (state, _dir) = common::with_store(&common::geodata(), None).await;
    let anna = person(&state, "anna@tibro.se", "redaktor", &[TIBRO]).await;
    let round = edit_round(&state).await;

    let overview = get(&state, "/admin", &anna).await;
    assert_eq!(overview.status, StatusCode::OK, "{}", overview.text);
    assert!(
        overview.text.contains(r#"href="/admin/kommun/1472""#),
        "{}",
        overview.text
    );
    assert!(
        !overview.text.contains(r#"href="/admin/kommun/1496""#),
        "only her kommuner"
    );
    assert!(
        overview.text.contains(r#"href="/assets/style.css""#),
        "the site's stylesheet"
    );

    let kommun = get(&state, "/admin/kommun/1472", &anna).await;
    assert_eq!(kommun.status, StatusCode::OK);
    assert!(
        kommun.text.contains("Uppföljning 2026"),
        "the open round is the one edited"
    );
    assert!(
        kommun.text.contains(r#"href="/kommun/1472""#),
        "links the public page"
    );
    // Nothing is known for Tibro in the round: every programme okänt, none "erbjuds inte".
    let n = state.atlas().programmes().len();
    assert!(
        kommun.text.matches("tillstand okant").count() >= n,
        "okänt for every programme"
    );
    assert!(
        !kommun.text.contains("tillstand erbjuds-inte"),
        "okänt is never shown as erbjuds inte"
    );

    let edit = get(&state, "/admin/kommun/1472/program/abc", &anna).await;
    assert_eq!(edit.status, StatusCode::OK, "{}", edit.text);
    assert_eq!(hidden(&edit.text, "version"), "", "no record yet");
    assert_eq!(hidden(&edit.text, "csrf"), anna.csrf);
    for code in ["offered", "not_offered", "unknown"] {
        assert!(
            edit.text
                .contains(&format!(r#"name="status" value="{code}""#)),
            "a radio for {code}"
        );
    }

    let saved = post(
        &state,
        "/admin/kommun/1472/program/abc",
        &anna,
        &[
            ("version", ""),
            ("status", "offered"),
            ("organiser", "Tibro kommun, familjecentralen"),
            ("contact_url", "https://www.tibro.se/abc"),
            ("languages", "svenska; arabiska"),
            ("note", ""),
            ("source", "https://www.tibro.se/abc"),
            ("confirmed", ""),
            ("comment", "Enligt kommunens webbplats"),
        ],
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text);
    assert!(
        saved.location.starts_with("/admin/kommun/1472?sparat="),
        "{}",
        saved.location
    );
    let back = get(&state, &saved.location, &anna).await;
    assert!(
        back.text
            .contains("Sparat: ABC – Alla Barn i Centrum (3–12 år) för Tibro är nu erbjuds."),
        "{}",
        back.text
    );
    // Someone else following the same link sees no message.
    let berit = person(&state, "berit@vgregion.se", "samordnare", &[]).await;
    assert!(
        !get(&state, &saved.location, &berit)
            .await
            .text
            .contains("Sparat:")
    );

    let r = record(&state, "offerings", &format!("1472/abc/{round}"))
        .await
        .unwrap();
    assert_eq!(r.field("status"), "offered");
    assert_eq!(r.field("source"), "https://www.tibro.se/abc");
    assert_eq!(
        r.field("last_confirmed"),
        skaraborgskartan::dates::today(),
        "today unless given"
    );

    // The public page and the API, at once, in the open round (labelled as in progress); the
    // page without a round still shows the closed round, where Tibro has no answer.
    let public = common::get(&state, &format!("/kommun/1472?round={round}")).await;
    let html = String::from_utf8(public.body).unwrap();
    let row = public_row(&html, "abc");
    assert!(
        row.contains("tillstand erbjuds\"") && row.contains("Tibro kommun, familjecentralen"),
        "{row}"
    );
    assert!(
        html.contains("Uppföljning 2026 (pågående omgång – svaren är inte klara)"),
        "{html}"
    );
    let default = common::get(&state, "/kommun/1472").await;
    let html = String::from_utf8(default.body).unwrap();
    assert!(
        !html.contains("Tibro kommun, familjecentralen"),
        "an open round is not the default"
    );
    let api = common::get(&state, "/api/v1/kommuner/1472").await.json();
    let current = api["rounds"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == round.as_str())
        .unwrap();
    assert_eq!(current["default"], false);
    assert_eq!(current["in_progress"], true);
    let abc = current["offerings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["programme"] == "abc")
        .unwrap();
    assert_eq!(abc["state"], "offered");
    assert_eq!(abc["source"], "https://www.tibro.se/abc");

    // A second change: history shows who, old → new, newest first.
    let version = hidden(
        &get(&state, "/admin/kommun/1472/program/abc", &anna)
            .await
            .text,
        "version",
    );
    assert_eq!(version, "1");
    let saved = post(
        &state,
        "/admin/kommun/1472/program/abc",
        &anna,
        &[
            ("version", "1"),
            ("status", "not_offered"),
            ("organiser", "Tibro kommun, familjecentralen"),
            ("source", "Kommunens svar i uppföljningen 2024"),
        ],
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text);
    let history = get(&state, "/admin/historik", &anna).await;
    assert_eq!(history.status, StatusCode::OK);
    let t = &history.text;
    assert!(t.contains("anna@tibro.se"), "who");
    let second = t
        .find("Kommunens svar i uppföljningen 2024")
        .expect("the newest change's source");
    let first = t
        .find("Enligt kommunens webbplats")
        .expect("the first change's comment");
    assert!(second < first, "newest first");
    let newest = &t[t.find("<li class=\"andring\"").unwrap()..first];
    assert!(
        newest.contains("<td>erbjuds</td><td>erbjuds inte</td>"),
        "old → new: {newest}"
    );
    assert!(
        t.contains("<td><span class=\"saknas\">(fanns inte)</span></td><td>erbjuds</td>"),
        "created: {t}"
    );
    // The record's own history is on its edit page.
    let edit = get(&state, "/admin/kommun/1472/program/abc", &anna).await;
    assert!(
        edit.text.contains("Historik för uppgiften")
            && edit.text.contains("Kommunens svar i uppföljningen 2024")
    );
    // Filters: by kommun, by kind, by person, by period.
    let by_kind = get(&state, "/admin/historik?typ=sambu", &berit).await;
    assert!(
        by_kind.text.contains("Inga ändringar hittades."),
        "{}",
        by_kind.text
    );
    let by_kommun = get(&state, "/admin/historik?kommun=1472&typ=offerings", &berit).await;
    assert!(by_kommun.text.contains("2 ändringar"), "{}", by_kommun.text);
    let today = skaraborgskartan::dates::today();
    let by_period = get(
        &state,
        &format!("/admin/historik?fran={today}&till={today}"),
        &berit,
    )
    .await;
    assert!(
        by_period.text.contains("3 ändringar"),
        "the round's creation and two edits: {}",
        by_period.text
    );
    let before = get(&state, "/admin/historik?till=2020-01-01", &berit).await;
    assert!(before.text.contains("Inga ändringar hittades."));
    let bad = get(&state, "/admin/historik?fran=igår", &berit).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(
        bad.text.contains("”igår” är inget datum") && bad.text.contains(r##"href="#f-fran""##),
        "{}",
        bad.text
    );
    let _ = anna.email;
}

#[tokio::test]
async fn a_redaktor_cannot_edit_another_kommun_nor_the_catalogue() {
    let (state, _dir) = common::with_store(&common::geodata(), None).await;
    let anna = person(&state, "anna@tibro.se", "redaktor", &[TIBRO]).await;
    let round = edit_round(&state).await;

    let page = get(&state, "/admin/kommun/1496", &anna).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(
        page.text.contains(
            "Du har inte behörighet att ändra uppgifterna för Skövde. Ditt konto får ändra Tibro."
        ),
        "{}",
        page.text
    );
    for uri in [
        "/admin/kommun/1496/program/abc",
        "/admin/kommun/1496/sambu",
        "/admin/kommun/1496/utbildningar",
    ] {
        assert_eq!(
            get(&state, uri, &anna).await.status,
            StatusCode::FORBIDDEN,
            "{uri}"
        );
    }
    let posted = post(
        &state,
        "/admin/kommun/1496/program/abc",
        &anna,
        &[
            ("version", ""),
            ("status", "offered"),
            ("source", "https://www.skovde.se"),
        ],
    )
    .await;
    assert_eq!(posted.status, StatusCode::FORBIDDEN);
    assert!(
        record(&state, "offerings", &format!("{SKOVDE}/abc/{round}"))
            .await
            .is_none(),
        "nothing written"
    );
    let sambu = record(&state, "sambu", SKOVDE).await.unwrap();
    let posted = confirm(&state, &anna, &sambu, "/admin").await;
    assert_eq!(posted.status, StatusCode::FORBIDDEN, "{}", posted.text);
    let posted = post(
        &state,
        "/admin/kommun/1496/bekrafta-alla",
        &anna,
        &[("post", &format!("sambu|{SKOVDE}|{}", sambu.version))],
    )
    .await;
    assert_eq!(posted.status, StatusCode::FORBIDDEN);
    assert_eq!(
        record(&state, "sambu", SKOVDE).await.unwrap(),
        sambu,
        "nothing written"
    );

    // The catalogue: the samordnare's only.
    for uri in [
        "/admin/program",
        "/admin/program/abc",
        "/admin/program/ny",
        "/admin/dokument/oken",
    ] {
        let r = get(&state, uri, &anna).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{uri}");
        assert!(r.text.contains("bara av samordnaren"), "{uri}: {}", r.text);
    }
    let abc = record(&state, "programmes", "abc").await.unwrap();
    let posted = post(
        &state,
        "/admin/program/abc",
        &anna,
        &[
            ("version", &abc.version.to_string()),
            ("name", "Kapad"),
            ("source", "https://x.example"),
        ],
    )
    .await;
    assert_eq!(posted.status, StatusCode::FORBIDDEN);
    let posted = post(
        &state,
        "/admin/program/ny",
        &anna,
        &[
            ("slug", "ny-kurs"),
            ("name", "Ny"),
            ("source", "https://x.example"),
        ],
    )
    .await;
    assert_eq!(posted.status, StatusCode::FORBIDDEN);
    assert_eq!(record(&state, "programmes", "abc").await.unwrap(), abc);
    assert!(record(&state, "programmes", "ny-kurs").await.is_none());
    assert_eq!(
        change_count(&state).await,
        1,
        "nothing logged but the round's creation"
    );

    // The history: only her kommuner; someone else's change of Skövde is neither listed nor
    // revertable by her.
    let berit = person(&state, "berit@vgregion.se", "samordnare", &[]).await;
    let done = post(
        &state,
        "/admin/kommun/1496/sambu",
        &berit,
        &[
            ("version", &sambu.version.to_string()),
            ("status", "active"),
            ("source", "https://www.skovde.se/sambu"),
        ],
    )
    .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text);
    let mine = get(&state, "/admin/historik", &anna).await;
    assert!(
        mine.text.contains("Inga ändringar hittades."),
        "{}",
        mine.text
    );
    assert_eq!(
        get(&state, "/admin/historik?kommun=1496", &anna)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let (changes, _) = log::changes(state.store().unwrap(), &newest_first(), 10, 0)
        .await
        .unwrap();
    let id = changes[0].id;
    let revert = post(
        &state,
        &format!("/admin/historik/{id}/angra"),
        &anna,
        &[("tillbaka", "/admin/historik")],
    )
    .await;
    assert_eq!(revert.status, StatusCode::NOT_FOUND);
    assert_eq!(
        record(&state, "sambu", SKOVDE)
            .await
            .unwrap()
            .field("status"),
        "active"
    );
}

#[tokio::test]
async fn without_a_live_session_or_its_csrf_token_nothing_is_shown_or_saved() {
    let (state, _dir) = common::with_store(&common::geodata(), None).await;
    let anna = person(&state, "anna@tibro.se", "redaktor", &[TIBRO]).await;
    let fields = [
        ("version", ""),
        ("status", "offered"),
        ("source", "https://www.tibro.se/abc"),
    ];
    let key = format!("{TIBRO}/abc/{}", edit_round(&state).await);

    // No session: a page sends to sign-in (and back), a form is refused.
    let page = send(&state, Method::GET, "/admin/kommun/1472", None, None).await;
    assert!(page.status.is_redirection(), "{}", page.status);
    assert_eq!(
        page.location,
        "/admin/logga-in?next=%2Fadmin%2Fkommun%2F1472"
    );
    let mut pairs = vec![("csrf", anna.csrf.as_str())];
    pairs.extend_from_slice(&fields);
    let posted = send(
        &state,
        Method::POST,
        "/admin/kommun/1472/program/abc",
        None,
        Some(form(&pairs)),
    )
    .await;
    assert_eq!(posted.status, StatusCode::FORBIDDEN);
    assert!(
        posted.text.contains("Du är inte inloggad"),
        "{}",
        posted.text
    );

    // A session but no CSRF token, or another one.
    let posted = send(
        &state,
        Method::POST,
        "/admin/kommun/1472/program/abc",
        Some(&anna.cookie),
        Some(form(&fields)),
    )
    .await;
    assert_eq!(posted.status, StatusCode::FORBIDDEN);
    assert!(posted.text.contains("CSRF"), "{}", posted.text);
    let mut wrong = vec![("csrf", "0".repeat(64))];
    wrong.extend(fields.iter().map(|(k, v)| (*k, v.to_string())));
    let wrong: Vec<(&str, &str)> = wrong.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let posted = send(
        &state,
        Method::POST,
        "/admin/kommun/1472/program/abc",
        Some(&anna.cookie),
        Some(form(&wrong)),
    )
    .await;
    assert_eq!(posted.status, StatusCode::FORBIDDEN);
    for uri in [
        "/admin/bekrafta",
        "/admin/kommun/1472/bekrafta-alla",
        "/admin/historik/1/angra",
    ] {
        let r = send(
            &state,
            Method::POST,
            uri,
            Some(&anna.cookie),
            Some(form(&[("post", "sambu|1472|1")])),
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{uri} without CSRF");
    }
    assert!(record(&state, "offerings", &key).await.is_none());

    // An expired session (begun 13 hours ago): refused like none.
    let store = state.store().unwrap();
    let then = skaraborgskartan::dates::now_seconds() - 13 * 3600;
    sqlx::query("UPDATE sessions SET created_at = $1")
        .bind(then)
        .execute(store.pool())
        .await
        .unwrap();
    let page = get(&state, "/admin/kommun/1472", &anna).await;
    assert!(
        page.status.is_redirection() && page.location.starts_with("/admin/logga-in"),
        "{} {}",
        page.status,
        page.location
    );
    let posted = post(&state, "/admin/kommun/1472/program/abc", &anna, &fields).await;
    assert_eq!(posted.status, StatusCode::FORBIDDEN);
    assert!(record(&state, "offerings", &key).await.is_none());
    // Idle for 31 minutes: also over.
    let bo = person(&state, "bo@tibro.se", "redaktor", &[TIBRO]).await;
    sqlx::query("UPDATE sessions SET last_seen = $1 WHERE created_at > $2")
        .bind(skaraborgskartan::dates::now_seconds() - 31 * 60)
        .bind(then)
        .execute(store.pool())
        .await
        .unwrap();
    assert_eq!(
        post(&state, "/admin/kommun/1472/program/abc", &bo, &fields)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(change_count(&state).await, 1, "only the round's creation");
}

#[tokio::test]
async fn a_bad_value_or_a_missing_source_is_a_swedish_error_next_to_the_field_and_nothing_is_written()
 {
    let (state, _dir) = common::with_store(&common::geodata(), None).await;
    let anna = person(&state, "anna@tibro.se", "redaktor", &[TIBRO]).await;
    let key = format!("{TIBRO}/abc/{}", edit_round(&state).await);

    let r = post(
        &state,
        "/admin/kommun/1472/program/abc",
        &anna,
        &[
            ("version", ""),
            ("status", "offered"),
            ("organiser", "Familjecentralen Tibro"),
            ("source", "  "),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    let t = &r.text;
    assert!(
        t.contains(r#"role="alert""#) && t.contains(r##"href="#f-source""##),
        "summary links the field: {t}"
    );
    assert!(
        t.contains("Ange en källa (en webbadress eller ett dokuments namn)"),
        "{t}"
    );
    assert!(t.contains(r#"id="f-source" name="source" value="  " list="f-source-forslag" required aria-describedby="f-source-hjalp f-source-fel" aria-invalid="true""#), "{t}");
    assert!(
        t.contains(r#"value="Familjecentralen Tibro""#),
        "what was typed is kept"
    );
    assert!(
        t.contains(r#"value="offered" checked"#),
        "the choice is kept"
    );

    // A value the loader refuses: its Swedish message on the field.
    let r = post(
        &state,
        "/admin/kommun/1472/program/abc",
        &anna,
        &[
            ("version", ""),
            ("status", "offered"),
            ("contact_url", "www.tibro.se"),
            ("confirmed", "2024-13-01"),
            ("source", "https://www.tibro.se"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(
        r.text
            .contains("”www.tibro.se” är ingen webbadress (börja med https://)"),
        "{}",
        r.text
    );
    assert!(
        r.text.contains(r#"id="f-contact_url-fel""#)
            && r.text.contains(r##"href="#f-contact_url""##)
    );
    assert!(
        r.text.contains("Månaden 13 finns inte i ”2024-13-01”")
            && r.text.contains(r##"href="#f-confirmed""##),
        "{}",
        r.text
    );
    let r = post(
        &state,
        "/admin/kommun/1472/program/abc",
        &anna,
        &[
            ("version", ""),
            ("status", "kanske"),
            ("source", "https://www.tibro.se"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text.contains("”kanske” är inget tillåtet värde")
            && r.text.contains(r##"href="#f-status""##),
        "{}",
        r.text
    );
    let r = post(
        &state,
        "/admin/kommun/1472/program/abc",
        &anna,
        &[("version", "x"), ("status", "offered"), ("source", "s")],
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);

    // A training: a number that is none.
    let r = post(
        &state,
        "/admin/kommun/1472/utbildningar",
        &anna,
        &[
            ("version", ""),
            ("kind", "forelasning"),
            ("audience", "Förskolan"),
            ("participants", "många"),
            ("period", "2025"),
            ("source", "Kommunens svar"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(r.text.contains("”många” är inget heltal ≥ 0"), "{}", r.text);
    assert!(r.text.contains(r#"value="Förskolan""#));

    assert!(record(&state, "offerings", &key).await.is_none());
    assert_eq!(
        change_count(&state).await,
        1,
        "nothing written, nothing logged but the round's creation"
    );
}

#[tokio::test]
async fn okant_is_a_real_answer_kept_as_a_row_and_shown_with_its_source() {
    let (state, _dir) = common::with_store(&common::geodata(), None).await;
    let anna = person(&state, "anna@tibro.se", "redaktor", &[TIBRO]).await;
    let key = format!("{TIBRO}/abc/{}", edit_round(&state).await);
    let saved = post(
        &state,
        "/admin/kommun/1472/program/abc",
        &anna,
        &[
            ("version", ""),
            ("status", "offered"),
            ("source", "https://www.tibro.se/abc"),
        ],
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let saved = post(
        &state,
        "/admin/kommun/1472/program/abc",
        &anna,
        &[
            ("version", "1"),
            ("status", "unknown"),
            ("source", "Samtal med familjecentralen 2026"),
        ],
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text);
    let back = get(&state, &saved.location, &anna).await;
    assert!(
        back.text.contains("för Tibro är nu okänt."),
        "{}",
        back.text
    );
    let r = record(&state, "offerings", &key)
        .await
        .expect("the row is kept");
    assert_eq!((r.field("status"), r.version), ("unknown", 2));

    let html = String::from_utf8(
        common::get(&state, &format!("/kommun/1472?round={ROUND}"))
            .await
            .body,
    )
    .unwrap();
    let row = public_row(&html, "abc");
    assert!(
        row.contains("tillstand okant") && row.contains("Samtal med familjecentralen 2026"),
        "okänt with its source: {row}"
    );
    assert!(!row.contains("erbjuds-inte"));
    let api = common::get(&state, "/api/v1/kommuner/1472").await.json();
    let current = api["rounds"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == ROUND)
        .unwrap();
    let abc = current["offerings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["programme"] == "abc")
        .unwrap();
    assert_eq!(
        (abc["status"].as_str(), abc["state"].as_str()),
        (Some("unknown"), Some("unknown"))
    );
    let admin = get(&state, "/admin/kommun/1472", &anna).await;
    assert!(
        admin.text.contains("angivet som okänt"),
        "the overview tells okänt-as-answer from no answer"
    );
}

#[tokio::test]
async fn a_save_on_a_stale_version_gets_the_conflict_page_and_never_overwrites() {
    let (state, _dir) = common::with_store(&common::geodata(), None).await;
    let anna = person(&state, "anna@tibro.se", "redaktor", &[TIBRO]).await;
    let bo = person(&state, "bo@tibro.se", "redaktor", &[TIBRO]).await;
    let both = get(&state, "/admin/kommun/1472/sambu", &anna).await;
    let base = hidden(&both.text, "version");
    assert_eq!(
        base,
        hidden(
            &get(&state, "/admin/kommun/1472/sambu", &bo).await.text,
            "version"
        )
    );

    let first = post(
        &state,
        "/admin/kommun/1472/sambu",
        &anna,
        &[
            ("version", &base),
            ("status", "active"),
            ("name", "Tibroteamet"),
            ("source", "https://www.tibro.se/sambu"),
        ],
    )
    .await;
    assert_eq!(first.status, StatusCode::SEE_OTHER);
    let second = post(
        &state,
        "/admin/kommun/1472/sambu",
        &bo,
        &[
            ("version", &base),
            ("status", "decided"),
            ("name", "Bos namn"),
            ("source", "Protokoll 2026-11-30"),
        ],
    )
    .await;
    assert_eq!(second.status, StatusCode::CONFLICT, "{}", second.text);
    let t = &second.text;
    assert!(
        t.contains("Ditt (det du skickade)")
            && t.contains("Deras (nu)")
            && t.contains("Ursprungligt (när du öppnade)"),
        "{t}"
    );
    let status_row = &t[t.find("<th scope=\"row\">Status").unwrap()..];
    let status_row = &status_row[..status_row.find("</tr>").unwrap()];
    assert!(
        status_row.contains("beslut om SAMBU-team")
            && status_row.contains("aktivt SAMBU-team")
            && status_row.contains("okänt"),
        "yours, theirs, original: {status_row}"
    );
    assert!(status_row.contains("ändrat av någon annan"));
    assert!(
        t.contains("Senast ändrad av anna@tibro.se"),
        "who changed it"
    );
    let now = record(&state, "sambu", TIBRO).await.unwrap();
    assert_eq!(
        (now.field("status"), now.field("name")),
        ("active", "Tibroteamet"),
        "not overwritten"
    );
    // The form again: Bo's values on top of the current version.
    assert_eq!(hidden(t, "version"), now.version.to_string());
    assert!(t.contains(r#"value="Bos namn""#) && t.contains(r#"value="decided" checked"#));
    let again = post(
        &state,
        "/admin/kommun/1472/sambu",
        &bo,
        &[
            ("version", &now.version.to_string()),
            ("status", "decided"),
            ("name", "Bos namn"),
            ("source", "Protokoll 2026-11-30"),
        ],
    )
    .await;
    assert_eq!(again.status, StatusCode::SEE_OTHER, "{}", again.text);
    assert_eq!(
        record(&state, "sambu", TIBRO)
            .await
            .unwrap()
            .field("status"),
        "decided"
    );

    // A new record both created: the second gets the conflict page too.
    let round = edit_round(&state).await;
    for (who, status, expect) in [
        (&anna, "offered", StatusCode::SEE_OTHER),
        (&bo, "not_offered", StatusCode::CONFLICT),
    ] {
        let r = post(
            &state,
            "/admin/kommun/1472/program/cope",
            who,
            &[
                ("version", ""),
                ("status", status),
                ("source", "Kommunens svar"),
            ],
        )
        .await;
        assert_eq!(r.status, expect, "{}", r.text);
    }
    assert_eq!(
        record(&state, "offerings", &format!("1472/cope/{round}"))
            .await
            .unwrap()
            .field("status"),
        "offered"
    );
}

#[tokio::test]
async fn a_change_can_be_reverted_from_the_history_and_the_revert_is_logged() {
    let (state, _dir) = common::with_store(&common::geodata(), None).await;
    let anna = person(&state, "anna@tibro.se", "redaktor", &[TIBRO]).await;
    let before = record(&state, "sambu", TIBRO).await.unwrap();
    let saved = post(
        &state,
        "/admin/kommun/1472/sambu",
        &anna,
        &[
            ("version", &before.version.to_string()),
            ("status", "active"),
            ("name", "Tibroteamet"),
            ("source", "https://www.tibro.se/sambu"),
        ],
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let (changes, _) = log::changes(state.store().unwrap(), &newest_first(), 10, 0)
        .await
        .unwrap();
    let id = changes[0].id;
    let history = get(&state, "/admin/historik", &anna).await;
    assert!(
        history
            .text
            .contains(&format!(r#"action="/admin/historik/{id}/angra""#)),
        "a revert button"
    );

    let undo = post(
        &state,
        &format!("/admin/historik/{id}/angra"),
        &anna,
        &[("tillbaka", "/admin/historik")],
    )
    .await;
    assert_eq!(undo.status, StatusCode::SEE_OTHER, "{}", undo.text);
    assert!(
        undo.location.starts_with("/admin/historik?sparat="),
        "{}",
        undo.location
    );
    let after = record(&state, "sambu", TIBRO).await.unwrap();
    assert_eq!(after.fields, before.fields, "every field back");
    let page = get(&state, &undo.location, &anna).await;
    assert!(
        page.text
            .contains(&format!("Ångrat: ändring {id} av SAMBU i Tibro.")),
        "{}",
        page.text
    );
    assert!(
        page.text.contains(&format!("Ångrar ändring {id}.")),
        "the revert is logged"
    );
    assert!(
        page.text.contains(&format!("genom ändring {}", id + 1)),
        "the change says it was reverted"
    );
    assert!(
        !page
            .text
            .contains(&format!(r#"action="/admin/historik/{id}/angra""#)),
        "no second revert of the same change"
    );
    let (changes, total) = log::changes(state.store().unwrap(), &newest_first(), 10, 0)
        .await
        .unwrap();
    assert_eq!(
        (total, changes[0].action.as_str(), changes[0].reverts),
        (2, "revert", Some(id))
    );

    // A change whose field was changed again since cannot be reverted: a clear message.
    let v = after.version.to_string();
    post(
        &state,
        "/admin/kommun/1472/sambu",
        &anna,
        &[
            ("version", &v),
            ("status", "active"),
            ("name", "Ett"),
            ("source", "A"),
        ],
    )
    .await;
    let v = record(&state, "sambu", TIBRO)
        .await
        .unwrap()
        .version
        .to_string();
    post(
        &state,
        "/admin/kommun/1472/sambu",
        &anna,
        &[
            ("version", &v),
            ("status", "active"),
            ("name", "Två"),
            ("source", "B"),
        ],
    )
    .await;
    let (changes, _) = log::changes(state.store().unwrap(), &newest_first(), 10, 0)
        .await
        .unwrap();
    let older = changes[1].id;
    let refused = post(
        &state,
        &format!("/admin/historik/{older}/angra"),
        &anna,
        &[("tillbaka", "/admin/historik")],
    )
    .await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.text);
    assert!(
        refused
            .text
            .contains(&format!("Ändring {older} kan inte ångras"))
            && refused.text.contains("Ångra den senare ändringen först"),
        "{}",
        refused.text
    );
    assert_eq!(
        record(&state, "sambu", TIBRO).await.unwrap().field("name"),
        "Två"
    );
    // Reverting from a record's own page returns there; an outside address does not count.
    let latest = changes[0].id;
    let undo = post(
        &state,
        &format!("/admin/historik/{latest}/angra"),
        &anna,
        &[("tillbaka", "https://evil.example/")],
    )
    .await;
    assert!(
        undo.location.starts_with("/admin?sparat="),
        "{}",
        undo.location
    );
}

#[tokio::test]
async fn bekrafta_allt_oforandrat_changes_only_the_dates_in_one_changeset() {
    let (state, _dir) = common::with_store(&common::geodata(), None).await;
    let anna = person(&state, "anna@tibro.se", "redaktor", &[TIBRO]).await;
    let round = edit_round(&state).await;
    // One offering in the round besides the records Tibro already has.
    let saved = post(
        &state,
        "/admin/kommun/1472/program/abc",
        &anna,
        &[
            ("version", ""),
            ("status", "offered"),
            ("source", "https://www.tibro.se/abc"),
            ("confirmed", "2024-05"),
        ],
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let before: Vec<_> = {
        let store = state.store().unwrap();
        let mut all = Vec::new();
        for name in [
            "offerings",
            "sambu",
            "partssamverkan",
            "adherence",
            "trainings",
            "contacts",
        ] {
            all.extend(
                store
                    .records(kind(name).unwrap())
                    .await
                    .unwrap()
                    .into_iter()
                    .filter(|r| {
                        r.kommun.as_deref() == Some(TIBRO)
                            && (name != "offerings" || r.field("round") == round)
                    }),
            );
        }
        all
    };
    let page = get(&state, "/admin/kommun/1472", &anna).await;
    assert!(
        page.text.contains("äldre än 18 månader"),
        "the 2024 dates are due"
    );
    let posts = hidden_all(&page.text, "post");
    assert_eq!(posts.len(), before.len(), "{posts:?}");
    let mut pairs: Vec<(&str, &str)> = posts.iter().map(|p| ("post", p.as_str())).collect();
    pairs.push(("source", "Genomgång med partssamverkan"));
    pairs.push(("comment", "Allt stämmer"));
    let done = post(&state, "/admin/kommun/1472/bekrafta-alla", &anna, &pairs).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text);
    let page = get(&state, &done.location, &anna).await;
    assert!(
        page.text.contains(&format!(
            "Bekräftat oförändrat: {} uppgifter för Tibro",
            before.len()
        )),
        "{}",
        page.text
    );

    let (changes, _) = log::changes(state.store().unwrap(), &newest_first(), 100, 0)
        .await
        .unwrap();
    let set = changes[0].changeset;
    let confirms: Vec<_> = changes.iter().filter(|c| c.changeset == set).collect();
    assert_eq!(confirms.len(), before.len(), "one changeset");
    let today = skaraborgskartan::dates::today();
    for c in &confirms {
        assert_eq!(
            (c.action.as_str(), c.comment.as_str(), c.source.as_str()),
            ("confirm", "Allt stämmer", "Genomgång med partssamverkan")
        );
        let column = kind(&c.kind).unwrap().confirmed.unwrap();
        assert!(
            c.fields
                .iter()
                .all(|f| f.field == column && f.new.as_deref() == Some(today.as_str())),
            "only the date: {:?}",
            c.fields
        );
    }
    for b in &before {
        let after = record(&state, b.kind.name, &b.key).await.unwrap();
        let mut expected = b.fields.clone();
        expected.insert(b.kind.confirmed.unwrap().into(), today.clone());
        assert_eq!(after.fields, expected, "{} {}", b.kind.name, b.key);
    }

    // A stale page confirms nothing.
    let stale = post(&state, "/admin/kommun/1472/bekrafta-alla", &anna, &pairs).await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.text);
    // One record's button.
    let sambu = record(&state, "sambu", TIBRO).await.unwrap();
    let one = confirm(&state, &anna, &sambu, "/admin/kommun/1472").await;
    assert_eq!(one.status, StatusCode::SEE_OTHER, "{}", one.text);
    assert!(one.location.starts_with("/admin/kommun/1472?sparat="));
    assert_eq!(
        record(&state, "sambu", TIBRO).await.unwrap().version,
        sambu.version + 1
    );
}

#[tokio::test]
async fn trainings_contacts_and_the_catalogue_are_added_edited_and_removed() {
    let (state, _dir) = common::with_store(&common::geodata(), None).await;
    let anna = person(&state, "anna@tibro.se", "redaktor", &[TIBRO]).await;
    let added = post(
        &state,
        "/admin/kommun/1472/utbildningar",
        &anna,
        &[
            ("version", ""),
            ("kind", "forelasning"),
            ("audience", "Förskolans personal"),
            ("participants", "25"),
            ("approximate", "true"),
            ("period", "2026"),
            ("source", "Kommunens svar"),
        ],
    )
    .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.text);
    assert!(added.location.starts_with("/admin/kommun/1472?sparat="));
    let list = get(&state, "/admin/kommun/1472/utbildningar", &anna).await;
    let nr = state
        .store()
        .unwrap()
        .records(kind("trainings").unwrap())
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.field("audience") == "Förskolans personal")
        .unwrap();
    assert_eq!(nr.field("approximate"), "true");
    assert!(
        list.text.contains(&format!(
            r#"href="/admin/kommun/1472/utbildningar/{}""#,
            nr.key
        )),
        "{}",
        list.text
    );
    let html = String::from_utf8(common::get(&state, "/kommun/1472").await.body).unwrap();
    assert!(
        html.contains("Förskolans personal") && html.contains("cirka 25"),
        "on the public page"
    );
    let removed = post(
        &state,
        &format!("/admin/kommun/1472/utbildningar/{}/ta-bort", nr.key),
        &anna,
        &[("version", "1")],
    )
    .await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER, "{}", removed.text);
    assert!(record(&state, "trainings", &nr.key).await.is_none());
    assert!(
        !String::from_utf8(common::get(&state, "/kommun/1472").await.body)
            .unwrap()
            .contains("Förskolans personal")
    );
    // Another kommun's training is not reachable through Tibro's address.
    let skovde = state
        .store()
        .unwrap()
        .records(kind("trainings").unwrap())
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.kommun.as_deref() == Some(SKOVDE))
        .unwrap();
    let r = get(
        &state,
        &format!("/admin/kommun/1472/utbildningar/{}", skovde.key),
        &anna,
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = post(
        &state,
        &format!("/admin/kommun/1472/utbildningar/{}/ta-bort", skovde.key),
        &anna,
        &[("version", "1")],
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(record(&state, "trainings", &skovde.key).await.is_some());

    // The samordnare adds a programme; it is at once in the catalogue and on the public pages.
    let berit = person(&state, "berit@vgregion.se", "samordnare", &[]).await;
    let added = post(
        &state,
        "/admin/program/ny",
        &berit,
        &[
            ("version", ""),
            ("slug", "trygg-start"),
            ("name", "Trygg start"),
            ("description", "Samtal för nyblivna föräldrar."),
            ("age_min", "0"),
            ("age_max", "1"),
            ("levels", "universal"),
            ("levels", "selective"),
            ("format", "group"),
            ("notes", ""),
            ("source", "https://www.example.se/trygg-start"),
        ],
    )
    .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.text);
    assert!(added.location.starts_with("/admin/program?sparat="));
    assert_eq!(
        record(&state, "programmes", "trygg-start")
            .await
            .unwrap()
            .field("levels"),
        "universal;selective"
    );
    assert_eq!(
        common::get(&state, "/program/trygg-start").await.status,
        StatusCode::OK
    );
    let again = post(
        &state,
        "/admin/program/ny",
        &berit,
        &[
            ("version", ""),
            ("slug", "abc"),
            ("name", "X"),
            ("source", "https://x.example"),
        ],
    )
    .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        again
            .text
            .contains("Det finns redan en post med koden ”abc”"),
        "{}",
        again.text
    );
    let bad = post(
        &state,
        "/admin/program/ny",
        &berit,
        &[
            ("version", ""),
            ("slug", "ny-x"),
            ("name", "X"),
            ("description", "Y"),
            ("age_min", "9"),
            ("age_max", "3"),
            ("levels", "universal"),
            ("format", "group"),
            ("source", "inte en adress"),
        ],
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.text.contains("Age_max 3 är lägre än age_min 9")
            || bad.text.contains("lägre än age_min 9"),
        "{}",
        bad.text
    );
    assert!(
        bad.text.contains(r##"href="#f-source""##),
        "the source_url column is the form's source: {}",
        bad.text
    );
    let catalogue = get(&state, "/admin/program", &berit).await;
    assert_eq!(catalogue.status, StatusCode::OK);
    assert!(catalogue.text.contains("Trygg start") && catalogue.text.contains("Omgångar"));
}

/// Hostile text in the text fields: the script, the broken-out attribute, the formula.
const SCRIPT: &str = "<script>alert(1)</script>";
const ATTRIBUTE: &str = "\"><img src=x onerror=alert(1)>";
const FORMULA: &str = "=HYPERLINK(\"https://evil.example\",\"klicka\")";

fn assert_escaped(what: &str, html: &str) {
    for raw in [SCRIPT, ATTRIBUTE, "<img src=x"] {
        assert!(!html.contains(raw), "{what}: {raw} unescaped");
    }
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{what}: the text is there, escaped"
    );
}

#[tokio::test]
async fn hostile_strings_in_every_text_field_come_out_escaped() {
    let (state, _dir) = common::with_store(&common::geodata(), None).await;
    let berit = person(&state, "berit@vgregion.se", "samordnare", &[]).await;
    let round = edit_round(&state).await;
    let abc_name = format!("ABC {SCRIPT}");
    let saves: Vec<(&str, Vec<(&str, &str)>)> = vec![
        (
            "/admin/kommun/1472/program/abc",
            vec![
                ("version", ""),
                ("status", "offered"),
                ("organiser", FORMULA),
                ("languages", SCRIPT),
                ("note", SCRIPT),
                ("source", ATTRIBUTE),
                ("comment", ATTRIBUTE),
            ],
        ),
        (
            "/admin/kommun/1472/sambu",
            vec![
                ("version", "1"),
                ("status", "active"),
                ("name", SCRIPT),
                ("since", "2024"),
                ("note", ATTRIBUTE),
                ("source", ATTRIBUTE),
            ],
        ),
        (
            "/admin/kommun/1472/partssamverkan",
            vec![
                ("version", "1"),
                ("status", "functioning"),
                ("action_plan", "yes"),
                ("note", SCRIPT),
                ("source", FORMULA),
            ],
        ),
        (
            "/admin/kommun/1472/dokument/oken",
            vec![
                ("version", ""),
                ("status", "adopted"),
                ("note", SCRIPT),
                ("source", ATTRIBUTE),
            ],
        ),
        (
            "/admin/kommun/1472/utbildningar",
            vec![
                ("version", ""),
                ("kind", "forelasning"),
                ("audience", SCRIPT),
                ("participants", "3"),
                ("period", "2026"),
                ("source", ATTRIBUTE),
            ],
        ),
        (
            "/admin/kommun/1472/kontakter",
            vec![
                ("version", ""),
                ("kind", "familjecentral"),
                ("name", SCRIPT),
                ("url", "https://www.tibro.se/fc"),
                ("note", ATTRIBUTE),
                ("source", FORMULA),
            ],
        ),
        (
            "/admin/program/abc",
            vec![
                ("version", "1"),
                ("name", &abc_name),
                ("description", ATTRIBUTE),
                ("age_min", "3"),
                ("age_max", "12"),
                ("levels", "universal"),
                ("format", "group"),
                ("notes", FORMULA),
                ("source", "https://www.example.se/abc"),
            ],
        ),
        (
            "/admin/omgangar",
            vec![
                ("version", ""),
                ("id", "fientlig"),
                ("name", SCRIPT),
                ("collected", "2026"),
                ("note", ATTRIBUTE),
                ("source", FORMULA),
            ],
        ),
        (
            "/admin/dokument/oken",
            vec![
                ("version", "1"),
                ("title", SCRIPT),
                ("kind", "agreement"),
                ("owner", ATTRIBUTE),
                ("source", FORMULA),
            ],
        ),
    ];
    for (uri, pairs) in &saves {
        let r = post(&state, uri, &berit, pairs).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{uri}: {}", r.text);
    }
    // The overview shows kommuner and counts only: nothing typed to escape, nothing raw either.
    assert!(
        !get(&state, "/admin", &berit)
            .await
            .text
            .contains("<script>alert")
    );
    for uri in [
        "/admin/kommun/1472",
        "/admin/kommun/1472/program/abc",
        "/admin/kommun/1472/sambu",
        "/admin/kommun/1472/partssamverkan",
        "/admin/kommun/1472/dokument/oken",
        "/admin/kommun/1472/utbildningar",
        "/admin/kommun/1472/kontakter",
        "/admin/program",
        "/admin/program/abc",
        "/admin/dokument/oken",
        "/admin/historik",
        "/admin/omgangar",
        "/admin/omgangar/fientlig",
        "/admin/omgangar/fientlig/stang",
        "/admin/omgangar/uppfoljning-2026/kommun/1472",
    ] {
        let r = get(&state, uri, &berit).await;
        assert_eq!(r.status, StatusCode::OK, "{uri}");
        assert_escaped(uri, &r.text);
    }
    // A form re-shown with errors keeps the hostile text, escaped.
    let r = post(
        &state,
        "/admin/kommun/1472/sambu",
        &berit,
        &[
            ("version", "2"),
            ("status", "active"),
            ("name", SCRIPT),
            ("note", ATTRIBUTE),
            ("source", ""),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_escaped("form with errors", &r.text);
    // A conflict page shows all three versions, escaped.
    let r = post(
        &state,
        "/admin/kommun/1472/sambu",
        &berit,
        &[
            ("version", "1"),
            ("status", "active"),
            ("name", SCRIPT),
            ("source", ATTRIBUTE),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_escaped("conflict page", &r.text);

    for uri in [
        format!("/kommun/1472?round={round}"),
        format!("/program/abc?round={round}"),
        format!("/?kommun=1472&round={round}"),
        format!("/jamfor?kommuner=1472,1496&round={round}"),
    ] {
        let uri = uri.as_str();
        let r = common::get(&state, uri).await;
        assert_eq!(r.status, StatusCode::OK, "{uri}");
        let html = String::from_utf8(r.body).unwrap();
        for raw in [SCRIPT, ATTRIBUTE, "<img src=x"] {
            assert!(!html.contains(raw), "{uri}: {raw} unescaped");
        }
        assert!(html.contains("&lt;script&gt;"), "{uri}: shown, escaped");
    }
    // The CSV export for Excel: a cell that could be a formula starts with an apostrophe.
    let csv = common::get(
        &state,
        &format!("/api/v1/export/erbjudanden?format=csv&kommun=1472&round={round}"),
    )
    .await;
    assert_eq!(csv.status, StatusCode::OK);
    let text = String::from_utf8(csv.body).unwrap();
    assert!(
        text.contains("<img src=x onerror=alert(1)>"),
        "CSV is not HTML: the text as it is"
    );
    assert!(text.contains("'=HYPERLINK("), "{text}");
    for raw in [";=HYPERLINK(", ";\"=HYPERLINK(", "\n=HYPERLINK("] {
        assert!(
            !text.contains(raw),
            "no cell starts with the formula: {text}"
        );
    }
}

#[tokio::test]
async fn the_history_is_paged_newest_first() {
    use skaraborgskartan::store::{Action, Changeset, Edit, Scope};
    let (state, _dir) = common::with_store(&common::geodata(), None).await;
    let berit = person(&state, "berit@vgregion.se", "samordnare", &[]).await;
    // 55 confirmations of Tibro's SAMBU, each its own changeset.
    for _ in 0..55 {
        let version = record(&state, "sambu", TIBRO).await.unwrap().version;
        let edit = Edit::new(
            kind("sambu").unwrap(),
            Some(TIBRO.into()),
            Some(version),
            Action::Confirm,
        );
        let set = Changeset::new("skript", Scope::Region, "confirm", vec![edit]);
        state.commit(set).await.unwrap();
    }
    let first = get(&state, "/admin/historik?kommun=1472", &berit).await;
    assert!(
        first
            .text
            .contains("55 ändringar, nyast först. Sida 1 av 2."),
        "{}",
        first.text
    );
    assert_eq!(first.text.matches("<li class=\"andring\"").count(), 50);
    assert!(first.text.contains("Ändring 55 av"), "newest first");
    assert!(
        first
            .text
            .contains(r#"href="/admin/historik?kommun=1472&amp;sida=2">Nästa sida"#),
        "{}",
        first.text
    );
    let second = get(&state, "/admin/historik?kommun=1472&sida=2", &berit).await;
    assert_eq!(second.text.matches("<li class=\"andring\"").count(), 5);
    assert!(second.text.contains("Ändring 1 av") && second.text.contains("Föregående sida"));
    assert!(second.text.contains("bekräftad oförändrad"));
}
