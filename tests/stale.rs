//! The staleness watch (a fact not confirmed for more than 18 months kan vara inaktuell), on a
//! real store seeded from the shipped data: the rule's edge through the API, the marker on the
//! public pages, the dashboard /admin/inaktuellt (lists, confirms, scope), and the e-mail
//! reminders sent by `skaraborgskartan remind` to a real SMTP server (aiosmtpd, started by the
//! test from target/test-venv, which `tools/deps.sh test` installs).

mod common;

use std::io::BufRead;
use std::path::Path;
use std::process::{Command, Stdio};

use axum::http::StatusCode;
use skaraborgskartan::AppState;
use skaraborgskartan::dates::Confirmed;
use skaraborgskartan::review::month_year;
use skaraborgskartan::store::log::{self, HistoryFilter};
use skaraborgskartan::store::{Action, Changeset, Edit, OFFERINGS, PARTSSAMVERKAN, SAMBU, Scope};

const TIBRO: &str = "1472";
const SKOVDE: &str = "1496";

use common::admin::{get, person, post, post_without_csrf};

async fn public(state: &AppState, uri: &str) -> String {
    let r = common::get(state, uri).await;
    assert_eq!(r.status, StatusCode::OK, "{uri}");
    String::from_utf8(r.body).unwrap()
}

/// Today in Sweden, and the day exactly 18 months before it (the last day of a shorter month).
fn days() -> (jiff::civil::Date, jiff::civil::Date) {
    let today: jiff::civil::Date = skaraborgskartan::dates::today().parse().unwrap();
    (
        today,
        today.checked_sub(jiff::Span::new().months(18)).unwrap(),
    )
}

/// Sets a record's date last confirmed, as the coordinator's "bekräfta" with a date does.
async fn confirm_on(
    state: &AppState,
    kind: &'static skaraborgskartan::store::Kind,
    key: &str,
    date: &str,
) {
    let mut edit = Edit::new(kind, Some(key.into()), None, Action::Confirm);
    edit.confirmed = Some(date.into());
    let base = state.store().unwrap().records(kind).await.unwrap();
    edit.base = base.iter().find(|r| r.key == key).map(|r| r.version);
    commit(state, vec![edit]).await;
}

async fn commit(state: &AppState, edits: Vec<Edit>) {
    state
        .commit(Changeset::new("test", Scope::Region, "edit", edits))
        .await
        .unwrap();
}

/// ABC offered in Tibro in the current picture, last confirmed on `date`: a row of the open
/// collection of public sources (the surveys are closed, so frozen).
async fn abc_in_tibro(state: &AppState, date: &str) {
    let round = {
        let a = state.atlas();
        let sources = a
            .inventory
            .rounds
            .iter()
            .rposition(|r| r.kind == skaraborgskartan::vocabulary::RoundKind::Sources)
            .expect("the shipped data has a source collection");
        a.inventory.rounds[sources].id.clone()
    };
    let mut edit = Edit::new(&OFFERINGS, None, None, Action::Save);
    for (k, v) in [
        ("kommun", TIBRO),
        ("programme", "abc"),
        ("round", &round),
        ("status", "offered"),
        ("organiser", "Familjecentralen Källan"),
    ] {
        edit.fields.insert(k.into(), v.into());
    }
    edit.source = "https://tibro.se/abc".into();
    edit.confirmed = Some(date.into());
    commit(state, vec![edit]).await;
}

/// The rows of one kommun's section on the dashboard (empty when it has none).
fn section<'a>(html: &'a str, code: &str) -> &'a str {
    let marker = format!(r#"<section id="kommun-{code}""#);
    match html.find(&marker) {
        Some(i) => {
            let rest = &html[i..];
            &rest[..rest.find("</section>").unwrap()]
        }
        None => "",
    }
}

/// The hidden `version` of the confirm form for `kind`/`key` on a page.
fn confirm_version(html: &str, kind: &str, key: &str) -> String {
    let marker =
        format!(r#"name="kind" value="{kind}"><input type="hidden" name="key" value="{key}">"#);
    let i = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no confirm form for {kind}/{key} in:\n{html}"));
    let rest = &html[i + marker.len()..];
    let v = r#"name="version" value=""#;
    let j = rest.find(v).unwrap() + v.len();
    rest[j..j + rest[j..].find('"').unwrap()].to_string()
}

#[tokio::test]
async fn exactly_18_months_is_not_inaktuell_a_day_more_is_in_the_api_and_on_the_page() {
    let (state, _dir) = common::with_store(&common::geodata(), None).await;
    let (_, edge) = days();
    let older = edge.yesterday().unwrap();
    confirm_on(&state, &SAMBU, TIBRO, &edge.to_string()).await;
    confirm_on(&state, &PARTSSAMVERKAN, TIBRO, &older.to_string()).await;
    abc_in_tibro(&state, &older.to_string()).await;

    let j = common::get(&state, "/api/v1/kommuner/1472").await.json();
    assert_eq!(j["meta"]["review_before"], edge.to_string());
    assert_eq!(j["meta"]["review_after_months"], 18);
    assert_eq!(j["sambu"]["last_confirmed"], edge.to_string());
    assert_eq!(
        j["sambu"]["review_due"], false,
        "exactly 18 months: not yet"
    );
    assert_eq!(
        j["partssamverkan"]["review_due"], true,
        "18 months and a day"
    );
    // The shipped trainings say "2024": more than 18 months before any day from 2026 on.
    assert!(
        j["trainings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["review_due"] == true)
    );
    let current = j["rounds"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["default"] == true)
        .unwrap();
    let abc = current["offerings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["programme"] == "abc")
        .unwrap();
    assert_eq!(
        (abc["state"].as_str(), abc["review_due"].as_bool()),
        (Some("offered"), Some(true)),
        "shown, not hidden"
    );
    // Skövde: the 2015 ABC is lapsed and due; the undated BiFF is not due by date.
    let j = common::get(&state, "/api/v1/kommuner/1496").await.json();
    let current = j["rounds"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["default"] == true)
        .unwrap();
    let by = |slug: &str| {
        current["offerings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["programme"] == slug)
            .unwrap()
            .clone()
    };
    assert_eq!(by("abc")["review_due"], true);
    assert_eq!(by("biff")["review_due"], false);
    assert_eq!(by("marte-meo")["review_due"], false, "confirmed 2026-12");

    // The kommun page says it next to the fact, and keeps the fact.
    let t = public(&state, "/kommun/1472").await;
    let marker = format!(
        "Senast bekräftad {} – kan vara inaktuell",
        month_year(&Confirmed::parse(&older.to_string()).unwrap())
    );
    let sambu = &t[t.find(r#"id="sambu""#).unwrap()..t.find(r#"id="partssamverkan""#).unwrap()];
    assert!(
        sambu.contains(&format!("Senast bekräftad: {edge}"))
            && !sambu.contains("kan vara inaktuell"),
        "{sambu}"
    );
    let parts =
        &t[t.find(r#"id="partssamverkan""#).unwrap()..t.find(r#"id="foljsamhet""#).unwrap()];
    assert!(
        parts.contains(&marker) && parts.contains("grupp finns"),
        "{parts}"
    );
    let trainings = &t[t.find(r#"id="utbildningar""#).unwrap()..];
    assert!(trainings.contains("Senast bekräftad 2024 – kan vara inaktuell"));
    let offers = &t[t.find(r#"id="erbjudanden""#).unwrap()..t.find(r#"id="tackning""#).unwrap()];
    assert!(
        offers.contains("ABC") && offers.contains(&marker),
        "{offers}"
    );
    // The contacts (confirmed 2026-12) are not marked.
    let contact = &t[t.find(r#"id="kontakt""#).unwrap()..t.find(r#"id="sambu""#).unwrap()];
    assert!(!contact.contains("kan vara inaktuell"), "{contact}");

    // The map's result cards and the programme page too.
    let t = public(&state, "/?kommun=1472&age=5").await;
    let cards = &t[t.find(r#"id="erbjuds""#).unwrap()..];
    let cards = &cards[..cards.find("</ul>").unwrap()];
    let due = format!(
        "{} – kan vara inaktuell",
        month_year(&Confirmed::parse(&older.to_string()).unwrap())
    );
    assert!(
        cards.contains(&due) && cards.contains("Kontakt och anmälan"),
        "{cards}"
    );
    let t = public(&state, "/program/abc").await;
    let row = &t[t.find(r#"data-kommun="1472""#).unwrap()..];
    assert!(row[..row.find("</tr>").unwrap()].contains(&marker));
}

#[tokio::test]
async fn the_dashboard_lists_what_is_inaktuell_and_a_confirm_takes_it_off_and_is_logged() {
    let (state, _dir) = common::with_store(&common::geodata(), None).await;
    let anna = person(&state, "anna@tibro.se", "redaktor", &[TIBRO]).await;
    let page = get(&state, "/admin/inaktuellt", &anna).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.text.contains(r#"href="/admin/inaktuellt""#),
        "the menu links it"
    );
    let tibro = section(&page.text, TIBRO);
    for title in [
        "SAMBU i Tibro",
        "Partssamverkan i Tibro",
        "Utbildning 11 i Tibro",
    ] {
        assert!(tibro.contains(title), "{title} in:\n{tibro}");
    }
    assert!(tibro.contains("Kan vara inaktuella i Tibro (3)"), "{tibro}");
    assert!(
        tibro.contains(r#"href="/admin/kommun/1472/partssamverkan""#),
        "the edit form is linked"
    );
    assert!(
        !tibro.contains("Kontakt"),
        "the contacts are confirmed 2026-12"
    );
    assert!(tibro.contains("2024"), "with the date");

    let version = confirm_version(tibro, "partssamverkan", TIBRO);
    let done = post(
        &state,
        "/admin/bekrafta",
        &anna,
        &[
            ("kind", "partssamverkan"),
            ("key", TIBRO),
            ("version", &version),
            ("tillbaka", "/admin/inaktuellt"),
        ],
    )
    .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text);
    assert!(
        done.location.starts_with("/admin/inaktuellt?sparat="),
        "{}",
        done.location
    );
    let page = get(&state, &done.location, &anna).await;
    assert!(
        page.text
            .contains("Bekräftat oförändrat: Partssamverkan i Tibro"),
        "{}",
        page.text
    );
    let tibro = section(&page.text, TIBRO);
    assert!(!tibro.contains("Partssamverkan i Tibro"), "{tibro}");
    assert!(tibro.contains("Kan vara inaktuella i Tibro (2)"), "{tibro}");

    let newest = HistoryFilter {
        newest_first: true,
        ..HistoryFilter::default()
    };
    let (changes, _) = log::changes(state.store().unwrap(), &newest, 10, 0)
        .await
        .unwrap();
    let c = &changes[0];
    assert_eq!(
        (
            c.action.as_str(),
            c.kind.as_str(),
            c.key.as_str(),
            c.account_id
        ),
        ("confirm", "partssamverkan", TIBRO, Some(anna.id))
    );
    let j = common::get(&state, "/api/v1/kommuner/1472").await.json();
    assert_eq!(
        j["partssamverkan"]["last_confirmed"],
        skaraborgskartan::dates::today()
    );
    assert_eq!(j["partssamverkan"]["review_due"], false);
}

#[tokio::test]
async fn a_redaktor_sees_only_their_kommuner_and_the_overview_counts_with_a_link() {
    let (state, _dir) = common::with_store(&common::geodata(), None).await;
    let anna = person(&state, "anna@tibro.se", "redaktor", &[TIBRO]).await;
    let sam = person(&state, "sam@vardsamverkan.se", "samordnare", &[]).await;

    let page = get(&state, "/admin/inaktuellt", &anna).await;
    assert!(!section(&page.text, TIBRO).is_empty());
    assert!(
        section(&page.text, SKOVDE).is_empty() && !page.text.contains("Skövde"),
        "{}",
        page.text
    );
    // A redaktör cannot confirm another kommun's fact from here either.
    let sam_page = get(&state, "/admin/inaktuellt", &sam).await;
    let skovde = section(&sam_page.text, SKOVDE);
    let version = confirm_version(skovde, "sambu", SKOVDE);
    let refused = post(
        &state,
        "/admin/bekrafta",
        &anna,
        &[
            ("kind", "sambu"),
            ("key", SKOVDE),
            ("version", &version),
            ("tillbaka", "/admin/inaktuellt"),
        ],
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    // The samordnare sees every kommun: Skövde's 2015 ABC (shown as okänt i dag, still listed)
    // and the undated BiFF as "datum saknas".
    assert!(!section(&sam_page.text, TIBRO).is_empty());
    assert!(
        skovde.contains("ABC – Alla Barn i Centrum (3–12 år) i Skövde")
            && skovde.contains("september 2015"),
        "{skovde}"
    );
    assert!(
        skovde.contains("Datum saknas i Skövde (1)") && skovde.contains("BiFF"),
        "{skovde}"
    );
    assert!(!skovde.contains("Marte Meo"), "confirmed 2026-12: {skovde}");

    // The overview counts them, linked to the dashboard.
    let overview = get(&state, "/admin", &anna).await;
    assert!(
        overview
            .text
            .contains(r#"href="/admin/inaktuellt#kommun-1472""#),
        "{}",
        overview.text
    );
    assert!(
        overview.text.contains("3 uppgifter kan vara inaktuella"),
        "{}",
        overview.text
    );
    let desk = get(&state, "/admin/kommun/1472", &anna).await;
    assert!(
        desk.text
            .contains("kan vara inaktuell: äldre än 18 månader")
    );
}

/// A real SMTP server (aiosmtpd) on a free port, writing what it receives to a file; stopped
/// when dropped.
struct Sink {
    child: std::process::Child,
    port: u16,
    file: std::path::PathBuf,
}

impl Sink {
    fn start(dir: &Path) -> Sink {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let python = root.join("target/test-venv/bin/python");
        assert!(
            python.exists(),
            "the reminder test needs aiosmtpd in target/test-venv: run `tools/deps.sh test` (or `make test`)"
        );
        let file = dir.join("mail.jsonl");
        let mut child = Command::new(python)
            .arg(root.join("tests/smtp/sink.py"))
            .arg(&file)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.as_mut().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("the SMTP sink did not start: {line:?}"));
        Sink { child, port, file }
    }

    fn received(&self) -> Vec<serde_json::Value> {
        std::fs::read_to_string(&self.file)
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn remind(state_dir: &Path, sink: &Sink, extra: &[&str]) -> (bool, String) {
    let out = common::process::binary()
        .args(["remind", "--state"])
        .arg(state_dir)
        .args(["--smtp-url", &format!("smtp://127.0.0.1:{}", sink.port)])
        .args(["--smtp-from", "Skaraborgskartan <karta@example.se>"])
        .args(["--public-url", "https://karta.example.se"])
        .args(extra)
        .env_remove("SKK_SMTP_PASSWORD")
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[tokio::test]
async fn reminders_reach_the_right_person_with_their_kommuns_facts_once_per_30_days() {
    let (state, dir) = common::with_store(&common::geodata(), None).await;
    let sink = Sink::start(dir.path());
    let anna = person(&state, "anna@tibro.se", "redaktor", &[TIBRO]).await;
    let bo = person(&state, "bo@skovde.se", "redaktor", &[SKOVDE]).await;
    let store = state.store().unwrap();

    // Off by default; the opt-in is a CSRF-protected form on /admin/konto.
    let page = get(&state, "/admin/konto", &anna).await;
    assert!(
        page.text
            .contains("Påminn mig per e-post om inaktuella uppgifter")
    );
    assert!(!store.reminder_wanted(anna.id).await.unwrap());
    let refused = post_without_csrf(
        &state,
        "/admin/konto/paminnelser",
        &anna,
        &[("paminnelser", "ja")],
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(!store.reminder_wanted(anna.id).await.unwrap());
    let saved = post(
        &state,
        "/admin/konto/paminnelser",
        &anna,
        &[("paminnelser", "ja")],
    )
    .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.text);
    assert!(
        saved
            .text
            .contains("Sparat: du får en påminnelse per e-post")
    );
    assert!(store.reminder_wanted(anna.id).await.unwrap());
    assert!(
        !store.reminder_wanted(bo.id).await.unwrap(),
        "Bo did not ask"
    );

    // A dry run prints, sends nothing and records nothing.
    let (ok, text) = remind(dir.path(), &sink, &["--dry-run"]);
    assert!(
        ok && text.contains("Skulle skicka till anna@tibro.se"),
        "{text}"
    );
    assert!(sink.received().is_empty());
    assert_eq!(store.last_reminded(anna.id).await.unwrap(), None);

    let (ok, text) = remind(dir.path(), &sink, &[]);
    assert!(ok, "{text}");
    assert!(
        text.contains("Påminnelse skickad till anna@tibro.se (3 uppgifter)"),
        "{text}"
    );
    let mail = sink.received();
    assert_eq!(mail.len(), 1, "{mail:?}");
    let m = &mail[0];
    assert_eq!(m["rcpt_tos"], serde_json::json!(["anna@tibro.se"]));
    assert_eq!(m["mail_from"], "karta@example.se");
    assert_eq!(
        m["subject"],
        "Skaraborgskartan: 3 uppgifter kan vara inaktuella"
    );
    assert_eq!(
        (m["content_type"].as_str(), m["charset"].as_str()),
        (Some("text/plain"), Some("utf-8"))
    );
    let body = m["body"].as_str().unwrap();
    for part in [
        "Hej anna@tibro.se!",
        "Tibro (3): https://karta.example.se/admin/inaktuellt#kommun-1472",
        "- SAMBU i Tibro: okänt – senast bekräftad 2024",
        "- Partssamverkan i Tibro: grupp finns – senast bekräftad 2024",
        "https://karta.example.se/admin/konto#paminnelser",
        "högst var 30:e dag",
    ] {
        assert!(body.contains(part), "{part:?} in:\n{body}");
    }
    assert!(!body.contains("Skövde"), "only Anna's kommuner:\n{body}");
    let sent_at = store
        .last_reminded(anna.id)
        .await
        .unwrap()
        .expect("recorded");

    // Within 30 days: nothing more.
    let (ok, text) = remind(dir.path(), &sink, &[]);
    assert!(
        ok && text.contains("Inga påminnelser att skicka."),
        "{text}"
    );
    assert_eq!(sink.received().len(), 1);

    // 30 days later, the next one goes (in process, with the clock moved on).
    let mailer =
        skaraborgskartan::reminders::Mailer::from_args(&skaraborgskartan::config::MailArgs {
            smtp_url: Some(format!("smtp://127.0.0.1:{}", sink.port)),
            smtp_from: Some("karta@example.se".into()),
        })
        .unwrap()
        .unwrap();
    let a = state.atlas();
    let url = "https://karta.example.se";
    let early = skaraborgskartan::reminders::send_due(
        store,
        &a,
        Some(&mailer),
        url,
        sent_at + 29 * 86_400,
        false,
    )
    .await
    .unwrap();
    assert!(early.sent.is_empty());
    let later = sent_at + skaraborgskartan::reminders::INTERVAL;
    let next = skaraborgskartan::reminders::send_due(store, &a, Some(&mailer), url, later, false)
        .await
        .unwrap();
    assert_eq!(next.sent.len(), 1);
    assert_eq!(sink.received().len(), 2);
    assert_eq!(store.last_reminded(anna.id).await.unwrap(), Some(later));

    // Turned off, nothing is sent even when due.
    post(&state, "/admin/konto/paminnelser", &anna, &[]).await;
    let off =
        skaraborgskartan::reminders::send_due(store, &a, Some(&mailer), url, later * 2, false)
            .await
            .unwrap();
    assert!(off.sent.is_empty() && sink.received().len() == 2);
}
