//! Sign-in and accounts through their pages: the service on a real socket, a plain HTTP client
//! that keeps cookies by hand (as a browser would, and nothing more), TOTP codes computed here
//! from the secret the enrolment page shows, and for OIDC a real OpenID provider
//! (tests/oidc/provider.mjs, oidc-provider under node) started by the test.
//!
//! Needs node and tests/oidc/node_modules for the OIDC test; `make test` (tools/deps.sh test)
//! installs them. Without them that test fails with how to get them; it never passes silently.

mod common;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;

use axum::http::Method;
use skaraborgskartan::AppState;
use skaraborgskartan::auth::{Auth, Role, throttle, totp};
use skaraborgskartan::config::AuthArgs;
use skaraborgskartan::site::{PageOptions, Site};
use skaraborgskartan::{commands, server};

const PASSWORD: &str = "vattenkanna tältpinne 48 moln";
const WRONG: &str = "Fel e-postadress eller lösenord";

/// A service with its own store, knowing its own address (`base`), with these sign-in settings.
async fn state_at(base: &str, args: &AuthArgs) -> (AppState, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = server::open_store(dir.path(), &common::geodata(), None)
        .await
        .unwrap();
    let atlas = server::build_from_store(&store, None).await.unwrap();
    let options = PageOptions {
        public_url: Some(base.to_string()),
        ..PageOptions::default()
    };
    let state = AppState::with_site(atlas, Site::load(Path::new("web"), options))
        .with_store(Arc::new(store), None)
        .with_auth(Auth::from_args(args).unwrap());
    (state, dir)
}

/// The service on a real socket with these settings.
async fn started(args: &AuthArgs) -> (AppState, tempfile::TempDir, common::Served) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (state, dir) = state_at(&base, args).await;
    let served = common::serve_on(listener, state.clone());
    (state, dir, served)
}

struct Page {
    status: u16,
    location: Option<String>,
    set_cookies: Vec<String>,
    body: String,
}

impl Page {
    fn location(&self) -> &str {
        self.location
            .as_deref()
            .unwrap_or_else(|| panic!("no Location ({}): {}", self.status, self.body))
    }

    /// A hidden field's value in the page's (first) form that has it.
    fn hidden(&self, name: &str) -> String {
        between(&self.body, &format!("name=\"{name}\" value=\""), "\"")
            .unwrap_or_else(|| panic!("no field {name} in {}", self.body))
    }

    fn csrf(&self) -> String {
        self.hidden("csrf")
    }

    fn has(&self, text: &str) -> bool {
        self.body.contains(text)
    }
}

fn between(text: &str, start: &str, end: &str) -> Option<String> {
    let from = text.find(start)? + start.len();
    let len = text[from..].find(end)?;
    Some(text[from..from + len].to_string())
}

/// An HTTP client that follows nothing by itself and keeps cookies like a browser (one jar for
/// every port of 127.0.0.1, as browsers do; paths are ignored, names do not collide here).
struct Browser {
    agent: ureq::Agent,
    base: String,
    jar: BTreeMap<String, String>,
}

impl Browser {
    fn new(base: &str) -> Browser {
        let config = ureq::Agent::config_builder()
            .max_redirects(0)
            .http_status_as_error(false)
            .build();
        Browser {
            agent: config.into(),
            base: base.to_string(),
            jar: BTreeMap::new(),
        }
    }

    fn url(&self, to: &str) -> String {
        if to.starts_with("http") {
            to.to_string()
        } else {
            format!("{}{to}", self.base)
        }
    }

    fn cookie_header(&self) -> String {
        let pairs: Vec<String> = self.jar.iter().map(|(k, v)| format!("{k}={v}")).collect();
        pairs.join("; ")
    }

    fn keep(&mut self, response: ureq::http::Response<ureq::Body>) -> Page {
        let status = response.status().as_u16();
        let header = |name: &str| -> Vec<String> {
            let values = response.headers().get_all(name).iter();
            values.map(|v| v.to_str().unwrap().to_string()).collect()
        };
        let location = header("location").into_iter().next();
        let set_cookies = header("set-cookie");
        for c in &set_cookies {
            let pair = c.split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            let gone = value.is_empty() || c.contains("Max-Age=0");
            if gone {
                self.jar.remove(name.trim());
            } else {
                self.jar.insert(name.trim().into(), value.trim().into());
            }
        }
        let body = response.into_body().read_to_string().unwrap_or_default();
        Page {
            status,
            location,
            set_cookies,
            body,
        }
    }

    fn get(&mut self, to: &str) -> Page {
        let url = self.url(to);
        let cookies = self.cookie_header();
        let response = tokio::task::block_in_place(|| {
            let mut req = self.agent.get(&url);
            if !cookies.is_empty() {
                req = req.header("cookie", &cookies);
            }
            req.call()
        });
        self.keep(response.unwrap_or_else(|e| panic!("GET {url}: {e}")))
    }

    fn post(&mut self, to: &str, form: &[(&str, &str)]) -> Page {
        let url = self.url(to);
        let cookies = self.cookie_header();
        let response = tokio::task::block_in_place(|| {
            let mut req = self.agent.post(&url);
            if !cookies.is_empty() {
                req = req.header("cookie", &cookies);
            }
            req.send_form(form.iter().copied())
        });
        self.keep(response.unwrap_or_else(|e| panic!("POST {url}: {e}")))
    }

    fn session(&self) -> Option<String> {
        self.jar.get("__Host-skk").cloned()
    }
}

/// Takes up an invitation through its pages: password, TOTP enrolment, recovery codes.
/// Returns the TOTP secret and the recovery codes; the browser is signed in afterwards.
fn enrol(b: &mut Browser, invitation_path: &str) -> (String, Vec<String>) {
    let page = b.get(invitation_path);
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.has("autocomplete=\"new-password\""), "{}", page.body);
    let anonymous = b.session().expect("an anonymous session for the form");
    let csrf = page.csrf();
    let page = b.post(
        invitation_path,
        &[
            ("csrf", &csrf),
            ("password", PASSWORD),
            ("password2", PASSWORD),
        ],
    );
    assert_eq!(page.status, 303, "{}", page.body);
    let page = b.get(page.location());
    assert!(page.has("<svg"), "a QR code: {}", page.body);
    let secret = between(&page.body, "<code id=\"nyckel\">", "</code>")
        .unwrap()
        .replace(' ', "");
    let code = totp::code_at(&secret, now());
    let page = b.post(
        &format!("{invitation_path}/app"),
        &[("csrf", &page.csrf()), ("code", &code)],
    );
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.has("Spara dina återställningskoder"), "{}", page.body);
    let list = between(&page.body, "<ol class=\"koder\">", "</ol>").unwrap();
    let codes: Vec<String> = list
        .split("<code>")
        .skip(1)
        .map(|c| c.split("</code>").next().unwrap().to_string())
        .collect();
    assert_eq!(codes.len(), 10, "{list}");
    let signed_in = b.session().unwrap();
    assert_ne!(signed_in, anonymous, "a new session id at sign-in");
    (secret, codes)
}

fn now() -> i64 {
    skaraborgskartan::dates::now_seconds()
}

/// Signs in with e-mail and password; returns the code page (or whatever came instead).
fn password_step(b: &mut Browser, email: &str, password: &str, next: &str) -> Page {
    let page = b.get(&format!("/admin/logga-in?next={next}"));
    assert_eq!(page.status, 200, "{}", page.body);
    b.post(
        "/admin/logga-in",
        &[
            ("csrf", &page.csrf()),
            ("email", email),
            ("password", password),
            ("next", &page.hidden("next")),
        ],
    )
}

fn code_step(b: &mut Browser, code: &str) -> Page {
    let page = b.get("/admin/logga-in/kod");
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.has("autocomplete=\"one-time-code\""), "{}", page.body);
    b.post(
        "/admin/logga-in/kod",
        &[("csrf", &page.csrf()), ("code", code)],
    )
}

fn sign_out(b: &mut Browser) {
    let page = b.get("/admin/konto");
    assert_eq!(page.status, 200, "{}", page.body);
    let page = b.post("/admin/logga-ut", &[("csrf", &page.csrf())]);
    assert_eq!(page.status, 303);
    assert_eq!(page.location(), "/admin/logga-in");
    assert!(
        b.session().is_none(),
        "cookie cleared: {:?}",
        page.set_cookies
    );
}

/// A code right for the step after `step`'s (accepted: one step of skew), and one that is
/// right for no step near now.
fn codes_near(secret: &str) -> (String, String) {
    let t = now();
    let next = totp::code_at(secret, t + 30);
    let near: Vec<String> = (-1..=2)
        .map(|d| totp::code_at(secret, t + d * 30))
        .collect();
    let wrong = (0..1_000_000)
        .map(|n| format!("{n:06}"))
        .find(|c| !near.contains(c))
        .unwrap();
    (next, wrong)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn invitation_enrolment_then_sign_in_with_password_and_totp() {
    let (state, dir, served) = started(&AuthArgs::default()).await;
    // The invitation `user add` prints, as a person gets it.
    let printed = commands::user_add(dir.path(), "samordnare", &[], None, "Anna@Skovde.se")
        .await
        .unwrap();
    let link = printed
        .lines()
        .find(|l| l.contains("/admin/inbjudan/"))
        .unwrap();
    let path = &link[link.find("/admin/inbjudan/").unwrap()..];
    let mut b = Browser::new(&served.url());

    // A weak password, a mismatch: field errors next to the fields, nothing stored.
    let page = b.get(path);
    let csrf = page.csrf();
    let page = b.post(
        path,
        &[
            ("csrf", &csrf),
            ("password", "sommar2024"),
            ("password2", "x"),
        ],
    );
    assert_eq!(page.status, 422);
    assert!(page.has("minst 12 tecken"), "{}", page.body);
    assert!(
        page.has("aria-describedby=\"falt-password-hjalp falt-password-fel\""),
        "{}",
        page.body
    );
    let page = b.post(
        path,
        &[
            ("csrf", &csrf),
            ("password", "password123456"),
            ("password2", "password123456"),
        ],
    );
    assert_eq!(page.status, 422);
    assert!(page.has("för lätt att gissa"), "{}", page.body);
    let page = b.post(
        path,
        &[
            ("csrf", &csrf),
            ("password", PASSWORD),
            ("password2", "annat lösenord"),
        ],
    );
    assert!(page.has("Lösenorden är inte lika"), "{}", page.body);
    let store = state.store().unwrap();
    let anna = store
        .account_by_email("anna@skovde.se")
        .await
        .unwrap()
        .unwrap();
    assert!(!anna.has_password && !anna.has_totp);

    // A wrong first code keeps the enrolment open; nothing is stored until it is right.
    let page = b.post(
        path,
        &[
            ("csrf", &csrf),
            ("password", PASSWORD),
            ("password2", PASSWORD),
        ],
    );
    let page = b.get(page.location());
    let secret = between(&page.body, "<code id=\"nyckel\">", "</code>")
        .unwrap()
        .replace(' ', "");
    let (_, wrong) = codes_near(&secret);
    let page = b.post(&format!("{path}/app"), &[("csrf", &csrf), ("code", &wrong)]);
    assert_eq!(page.status, 422);
    assert!(page.has("Koden stämmer inte"), "{}", page.body);
    let anna = store.account(anna.id).await.unwrap().unwrap();
    assert!(!anna.has_password, "nothing stored before the code");

    // The whole enrolment (a fresh browser: the same link still works until it is used).
    let mut b = Browser::new(&served.url());
    let (secret, recovery) = enrol(&mut b, path);
    let anna = store.account(anna.id).await.unwrap().unwrap();
    assert!(anna.has_password && anna.has_totp);
    assert!(b.session().is_some());
    assert_eq!(b.get("/admin/konto").status, 200);
    // The link is used up.
    assert_eq!(Browser::new(&served.url()).get(path).status, 404);

    sign_out(&mut b);
    let page = b.get("/admin/konto");
    assert_eq!(page.status, 303, "signed out");
    assert!(page.location().starts_with("/admin/logga-in?next="));

    // Password, then the code: signed in under a new session id.
    let page = password_step(&mut b, "anna@skovde.se", PASSWORD, "/admin/konto");
    assert_eq!(page.status, 303, "{}", page.body);
    assert_eq!(page.location(), "/admin/logga-in/kod");
    let before = b.session().unwrap();
    assert_eq!(b.get("/admin/konto").status, 303, "not signed in yet");
    let (next_code, wrong) = codes_near(&secret);
    let page = code_step(&mut b, &wrong);
    assert_eq!(page.status, 422, "a wrong code");
    assert!(page.has("Koden stämmer inte"));
    let page = code_step(&mut b, &next_code);
    assert_eq!(page.status, 303, "{}", page.body);
    assert_eq!(page.location(), "/admin/konto");
    let cookie = page
        .set_cookies
        .iter()
        .find(|c| c.starts_with("__Host-skk="))
        .unwrap();
    for attr in ["Path=/", "Secure", "HttpOnly", "SameSite=Lax"] {
        assert!(cookie.contains(attr), "{cookie}");
    }
    assert!(!cookie.contains("Domain"), "{cookie}");
    let after = b.session().unwrap();
    assert_ne!(before, after, "a new session id at sign-in");
    assert_eq!(b.get("/admin/konto").status, 200);
    let mut old = Browser::new(&served.url());
    old.jar.insert("__Host-skk".into(), before);
    assert_eq!(old.get("/admin/konto").status, 303, "the old id is dead");

    // The same code again: refused, though still within its time.
    sign_out(&mut b);
    let page = password_step(&mut b, "anna@skovde.se", PASSWORD, "/admin");
    assert_eq!(page.status, 303);
    let page = code_step(&mut b, &next_code);
    assert_eq!(page.status, 422, "a code is good once");

    // A recovery code instead, once.
    let page = code_step(&mut b, &recovery[3].to_uppercase());
    assert_eq!(page.status, 303, "{}", page.body);
    assert_eq!(page.location(), "/admin");
    assert_eq!(store.recovery_codes_left(anna.id).await.unwrap(), 9);
    sign_out(&mut b);
    password_step(&mut b, "anna@skovde.se", PASSWORD, "/admin");
    let page = code_step(&mut b, &recovery[3]);
    assert_eq!(page.status, 422, "a recovery code is good once");

    // What the security log has.
    let events: Vec<String> = store
        .security_events(100)
        .await
        .unwrap()
        .into_iter()
        .rev()
        .map(|e| {
            assert_eq!(e.address, "127.0.0.1");
            e.event
        })
        .collect();
    for e in ["enrolled", "sign_out", "second_factor_failed", "sign_in"] {
        assert!(events.iter().any(|x| x == e), "{e} in {events:?}");
    }
    served.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_wrong_password_and_an_unknown_account_get_the_same_answer() {
    let (state, _dir, served) = started(&AuthArgs::default()).await;
    let store = state.store().unwrap();
    let (_, token) = store
        .invite("bo@hjo.se", "Bo", Role::Redaktor, &["1497".into()].into())
        .await
        .unwrap();
    let mut b = Browser::new(&served.url());
    enrol(&mut b, &format!("/admin/inbjudan/{token}"));
    sign_out(&mut b);

    let wrong = password_step(&mut b, "bo@hjo.se", "fel lösenord för bo", "/admin");
    let unknown = password_step(&mut b, "ingen@hjo.se", "fel lösenord för bo", "/admin");
    let not_an_address = password_step(&mut b, "inte en adress", "x", "/admin");
    for page in [&wrong, &unknown, &not_an_address] {
        assert_eq!(page.status, 422);
        assert!(page.has(WRONG), "{}", page.body);
        assert!(page.has("role=\"alert\""), "{}", page.body);
    }
    let strip = |p: &Page, email: &str| p.body.replace(&p.csrf(), "").replace(email, "");
    assert_eq!(
        strip(&wrong, "bo@hjo.se"),
        strip(&unknown, "ingen@hjo.se"),
        "nothing tells which accounts exist"
    );
    let events = store.security_events(10).await.unwrap();
    let failed: Vec<&str> = events
        .iter()
        .filter(|e| e.event == "sign_in_failed")
        .map(|e| e.detail.as_str())
        .collect();
    // What was typed is logged only when it is an e-mail address (not a password typed into the
    // wrong field).
    assert_eq!(
        failed,
        ["(ingen e-postadress)", "ingen@hjo.se", "bo@hjo.se"]
    );
    served.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sessions_end_when_idle_for_30_minutes_or_after_12_hours() {
    let (state, _dir) = common::with_store(&common::geodata(), None).await;
    let id = common::account(&state, "cia@tibro.se", "redaktor", &["1472"]).await;
    let pool = state.store().unwrap().pool().clone();
    for (column, back) in [("last_seen", 31 * 60), ("created_at", 12 * 3600 + 1)] {
        let (cookie, _) = common::session_for(&state, id).await;
        let ask = async || {
            common::request(&state, Method::GET, "/admin/konto", &[("cookie", &cookie)]).await
        };
        assert_eq!(ask().await.status, 200);
        sqlx::query(&format!(
            "UPDATE sessions SET {column} = {column} - $1 WHERE account_id = $2"
        ))
        .bind(back)
        .bind(id)
        .execute(&pool)
        .await
        .unwrap();
        let r = ask().await;
        assert_eq!(r.status, 303, "{column} moved back {back} s");
        assert_eq!(
            r.header("location"),
            "/admin/logga-in?next=%2Fadmin%2Fkonto"
        );
        let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions WHERE account_id = $1")
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(left, 0, "the expired session is removed");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn forms_without_their_csrf_token_are_refused() {
    let (state, _dir, served) = started(&AuthArgs::default()).await;
    let id = common::account(&state, "dan@skovde.se", "samordnare", &[]).await;
    let mut b = Browser::new(&served.url());
    // Sign-in forms: the anonymous session's token is required.
    b.get("/admin/logga-in");
    for form in [
        vec![("email", "dan@skovde.se"), ("password", PASSWORD)],
        vec![
            ("csrf", "0".repeat(64).as_str()),
            ("email", "dan@skovde.se"),
            ("password", PASSWORD),
        ],
    ] {
        let page = b.post("/admin/logga-in", &form);
        assert_eq!(page.status, 403, "{}", page.body);
        assert!(page.has("CSRF"), "{}", page.body);
    }
    let mut cookieless = Browser::new(&served.url());
    assert_eq!(
        cookieless
            .post("/admin/logga-in", &[("email", "x@y.se")])
            .status,
        403
    );
    // Signed in: every state change.
    let (cookie, csrf) = common::session_for(&state, id).await;
    let mut b = Browser::new(&served.url());
    b.jar.insert(
        "__Host-skk".into(),
        cookie.split_once('=').unwrap().1.into(),
    );
    for path in [
        "/admin/konto/nycklar",
        "/admin/konto/logga-ut-overallt",
        "/admin/konton",
        "/admin/logga-ut",
    ] {
        let page = b.post(
            path,
            &[
                ("name", "x"),
                ("email", "ny@hjo.se"),
                ("role", "samordnare"),
            ],
        );
        assert_eq!(page.status, 403, "{path}: {}", page.body);
        let page = b.post(path, &[("csrf", "fel"), ("name", "x")]);
        assert_eq!(page.status, 403, "{path}");
    }
    assert!(state.store().unwrap().tokens(id).await.unwrap().is_empty());
    assert_eq!(b.get("/admin/konto").status, 200, "still signed in");
    let page = b.post(
        "/admin/konto/nycklar",
        &[("csrf", &csrf), ("name", "skript")],
    );
    assert_eq!(page.status, 200, "with the token it works: {}", page.body);
    served.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn failed_attempts_are_throttled_per_account_and_per_address() {
    let (state, _dir, served) = started(&AuthArgs::default()).await;
    let (_, token) = state
        .store()
        .unwrap()
        .invite(
            "eva@mariestad.se",
            "Eva",
            Role::Redaktor,
            &["1493".into()].into(),
        )
        .await
        .unwrap();
    let mut b = Browser::new(&served.url());
    enrol(&mut b, &format!("/admin/inbjudan/{token}"));
    sign_out(&mut b);
    for n in 0..5 {
        let page = password_step(&mut b, "eva@mariestad.se", "fel fel fel fel", "/admin");
        assert_eq!(page.status, 422, "failure {n}");
    }
    // The sixth attempt is refused before the password is looked at: even the right one.
    let page = password_step(&mut b, "eva@mariestad.se", PASSWORD, "/admin");
    assert_eq!(page.status, 429, "{}", page.body);
    assert!(
        page.has("För många försök – vänta en stund"),
        "{}",
        page.body
    );
    // Another account from the same address is not refused yet (5 of its 20 are spent).
    let page = password_step(&mut b, "annan@mariestad.se", "fel", "/admin");
    assert_eq!(page.status, 422);
    let events = state.store().unwrap().security_events(100).await.unwrap();
    let throttled = events.iter().filter(|e| e.event == "throttled").count();
    assert_eq!(throttled, 1, "logged once, when the limit was reached");
    served.stop().await;

    // Per address, behind a trusted proxy: the forwarded address counts, not the proxy's.
    let args = AuthArgs {
        trusted_proxies: vec!["127.0.0.1".into()],
        ..AuthArgs::default()
    };
    let (state, _dir) = state_at("https://karta.example.se", &args).await;
    let attempt = async |from: &str, email: &str| {
        let headers = [("x-forwarded-for", from), ("x-forwarded-proto", "https")];
        let form = common::request(&state, Method::GET, "/admin/logga-in", &headers).await;
        assert_eq!(form.status, 200, "{}", String::from_utf8_lossy(&form.body));
        let body = String::from_utf8_lossy(&form.body).to_string();
        let csrf = between(&body, "name=\"csrf\" value=\"", "\"").unwrap();
        let cookie = form
            .header("set-cookie")
            .split(';')
            .next()
            .unwrap()
            .to_string();
        let sent = format!("csrf={csrf}&email={email}&password=fel");
        post_form(&state, "/admin/logga-in", &cookie, &headers, sent).await
    };
    for n in 0..20 {
        let status = attempt("198.51.100.7", &format!("p{n}@hjo.se"))
            .await
            .status;
        assert_eq!(status, 422, "failure {n}");
    }
    let r = attempt("198.51.100.7", "ny@hjo.se").await;
    assert_eq!(r.status, 429);
    assert!(r.header("retry-after").parse::<u64>().unwrap() > 0);
    assert_eq!(
        attempt("198.51.100.8", "ny@hjo.se").await.status,
        422,
        "another address"
    );
    let events = state.store().unwrap().security_events(1).await.unwrap();
    let last = events.first().unwrap();
    assert_eq!(
        last.address, "198.51.100.8",
        "the forwarded address is logged"
    );

    // A client that never keeps its cookie cannot make the store write without bound.
    let headers = [
        ("x-forwarded-for", "198.51.100.99"),
        ("x-forwarded-proto", "https"),
    ];
    for _ in 0..throttle::SESSIONS_PER_MINUTE {
        let r = common::request(&state, Method::GET, "/admin/logga-in", &headers).await;
        assert_eq!(r.status, 200);
    }
    let r = common::request(&state, Method::GET, "/admin/logga-in", &headers).await;
    assert_eq!(r.status, 429);
}

/// A form POSTed through the router (no socket), with a cookie and headers.
async fn post_form(
    state: &AppState,
    uri: &str,
    cookie: &str,
    headers: &[(&str, &str)],
    body: String,
) -> common::Reply {
    use axum::body::Body;
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let mut req = axum::http::Request::builder()
        .method(Method::POST)
        .uri(uri)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("cookie", cookie);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let res = skaraborgskartan::router(state.clone())
        .oneshot(req.body(Body::from(body)).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let body = res.into_body().collect().await.unwrap().to_bytes().to_vec();
    common::Reply {
        status,
        headers,
        body,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn only_paths_of_this_site_are_followed_after_sign_in() {
    use skaraborgskartan::admin::signin::safe_next;
    for (next, to) in [
        (Some("/admin/kommun/1472?x=1"), "/admin/kommun/1472?x=1"),
        (Some("//evil.example"), "/admin"),
        (Some("/\\evil.example"), "/admin"),
        (Some("https://evil.example/admin"), "/admin"),
        (Some("/admin\\..\\x"), "/admin"),
        (Some("javascript:alert(1)"), "/admin"),
        (Some(""), "/admin"),
        (None, "/admin"),
    ] {
        assert_eq!(safe_next(next), to, "{next:?}");
    }
    // And through the pages.
    let (state, _dir, served) = started(&AuthArgs::default()).await;
    let (_, token) = state
        .store()
        .unwrap()
        .invite("fia@hjo.se", "Fia", Role::Redaktor, &["1497".into()].into())
        .await
        .unwrap();
    let mut b = Browser::new(&served.url());
    let (secret, _) = enrol(&mut b, &format!("/admin/inbjudan/{token}"));
    sign_out(&mut b);
    let page = password_step(&mut b, "fia@hjo.se", PASSWORD, "%2F%2Fevil.example");
    assert_eq!(page.status, 303);
    let (code, _) = codes_near(&secret);
    let page = code_step(&mut b, &code);
    assert_eq!(page.location(), "/admin", "//evil.example is not followed");
    served.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sign_out_everywhere_ends_every_session_of_the_account() {
    let (state, _dir) = common::with_store(&common::geodata(), None).await;
    let id = common::account(&state, "gun@falkoping.se", "redaktor", &["1499"]).await;
    let other = common::account(&state, "hans@falkoping.se", "redaktor", &["1499"]).await;
    let (here, csrf) = common::session_for(&state, id).await;
    let (there, _) = common::session_for(&state, id).await;
    let (someone_else, _) = common::session_for(&state, other).await;
    let status = async |cookie: &str| {
        common::request(&state, Method::GET, "/admin/konto", &[("cookie", cookie)])
            .await
            .status
    };
    assert_eq!(status(&there).await, 200);
    let r = post_form(
        &state,
        "/admin/konto/logga-ut-overallt",
        &here,
        &[],
        format!("csrf={csrf}"),
    )
    .await;
    assert_eq!(r.status, 303);
    assert!(r.header("set-cookie").contains("Max-Age=0"));
    assert_eq!(status(&here).await, 303);
    assert_eq!(status(&there).await, 303, "the other session ended too");
    assert_eq!(
        status(&someone_else).await,
        200,
        "another account's did not"
    );
    let events = state.store().unwrap().security_events(1).await.unwrap();
    assert_eq!(events[0].event, "sign_out_everywhere");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn api_tokens_are_shown_once_and_stop_working_when_revoked_or_deactivated() {
    let (state, _dir) = common::with_store(&common::geodata(), None).await;
    let id = common::account(&state, "ida@skovde.se", "redaktor", &["1496", "1472"]).await;
    let (cookie, csrf) = common::session_for(&state, id).await;
    let made = post_form(
        &state,
        "/admin/konto/nycklar",
        &cookie,
        &[],
        format!("csrf={csrf}&name=import+fr%C3%A5n+enk%C3%A4ten"),
    )
    .await;
    assert_eq!(made.status, 200);
    let body = String::from_utf8_lossy(&made.body).to_string();
    let token = between(&body, "<code id=\"ny-nyckel\">", "</code>").unwrap();
    assert!(token.starts_with("skk_"), "{token}");
    let page = common::request(&state, Method::GET, "/admin/konto", &[("cookie", &cookie)]).await;
    let page = String::from_utf8_lossy(&page.body).to_string();
    assert!(
        page.contains("import från enkäten") && !page.contains(&token),
        "shown once"
    );

    let whoami = async |token: &str| {
        let auth = format!("Bearer {token}");
        common::request(
            &state,
            Method::GET,
            "/api/v1/admin/whoami",
            &[("authorization", &auth)],
        )
        .await
    };
    let r = whoami(&token).await;
    assert_eq!(r.status, 200);
    let j = r.json();
    assert_eq!(j["email"], "ida@skovde.se");
    assert_eq!(j["role"], "redaktor");
    assert_eq!(j["kommuner"], serde_json::json!(["1472", "1496"]));
    assert_eq!(whoami("skk_nonsense").await.status, 401);

    let tokens = state.store().unwrap().tokens(id).await.unwrap();
    let revoke = format!("/admin/konto/nycklar/{}/aterkalla", tokens[0].id);
    let r = post_form(&state, &revoke, &cookie, &[], format!("csrf={csrf}")).await;
    assert_eq!(r.status, 303);
    let r = whoami(&token).await;
    assert_eq!(r.status, 401, "revoked");
    assert!(r.error_message().contains("återkallad"));

    // A deactivated account: its sessions end and its tokens stop working.
    let (_, second) = state
        .store()
        .unwrap()
        .create_token(id, "två")
        .await
        .unwrap();
    assert_eq!(whoami(&second).await.status, 200);
    let admin = common::account(&state, "sam@skaraborg.se", "samordnare", &[]).await;
    let (admin_cookie, admin_csrf) = common::session_for(&state, admin).await;
    let off = format!("/admin/konton/{id}/stang-av");
    let r = post_form(
        &state,
        &off,
        &admin_cookie,
        &[],
        format!("csrf={admin_csrf}"),
    )
    .await;
    assert_eq!(r.status, 303);
    assert_eq!(whoami(&second).await.status, 401);
    let r = common::request(&state, Method::GET, "/admin/konto", &[("cookie", &cookie)]).await;
    assert_eq!(r.status, 303, "signed out");
    let events: Vec<String> = state
        .store()
        .unwrap()
        .security_events(10)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.event)
        .collect();
    for e in ["token_created", "token_revoked", "account_deactivated"] {
        assert!(events.iter().any(|x| x == e), "{e} in {events:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn accounts_are_managed_by_the_samordnare_only() {
    let (state, _dir) = common::with_store(&common::geodata(), None).await;
    let red = common::account(&state, "jan@tibro.se", "redaktor", &["1472"]).await;
    let sam = common::account(&state, "kim@skaraborg.se", "samordnare", &[]).await;
    let (red_cookie, red_csrf) = common::session_for(&state, red).await;
    let (cookie, csrf) = common::session_for(&state, sam).await;
    let get = async |uri: &str, cookie: &str| {
        common::request(&state, Method::GET, uri, &[("cookie", cookie)]).await
    };
    let text = |r: &common::Reply| String::from_utf8_lossy(&r.body).to_string();

    // A redaktör: 403 on every page and form of it.
    assert_eq!(get("/admin/konton", &red_cookie).await.status, 403);
    assert_eq!(
        get(&format!("/admin/konton/{sam}"), &red_cookie)
            .await
            .status,
        403
    );
    let invite = format!("csrf={red_csrf}&email=ny%40hjo.se&role=samordnare");
    let r = post_form(&state, "/admin/konton", &red_cookie, &[], invite).await;
    assert_eq!(r.status, 403);
    let r = post_form(
        &state,
        &format!("/admin/konton/{red}"),
        &red_cookie,
        &[],
        format!("csrf={red_csrf}&role=samordnare"),
    )
    .await;
    assert_eq!(r.status, 403, "no promoting oneself");
    assert_eq!(state.store().unwrap().accounts().await.unwrap().len(), 2);

    // The samordnare: the list, an invitation with field errors, then one that works.
    let page = get("/admin/konton", &cookie).await;
    assert_eq!(page.status, 200);
    let body = text(&page);
    assert!(
        body.contains("jan@tibro.se") && body.contains("Tibro"),
        "{body}"
    );
    assert!(
        body.contains("name=\"kommun\" value=\"1496\""),
        "kommun checkboxes"
    );
    let r = post_form(
        &state,
        "/admin/konton",
        &cookie,
        &[],
        format!("csrf={csrf}&email=inte-en-adress&name=Lo&role=redaktor"),
    )
    .await;
    assert_eq!(r.status, 422);
    let body = text(&r);
    assert!(body.contains("är ingen e-postadress"), "{body}");
    assert!(
        body.contains("En redaktör behöver minst en kommun"),
        "{body}"
    );
    assert!(
        body.contains("aria-describedby=\"falt-email-fel\""),
        "{body}"
    );
    let r = post_form(
        &state,
        "/admin/konton",
        &cookie,
        &[],
        format!(
            "csrf={csrf}&email=Lo%40Hjo.se&name=Lo+L%C3%B6f&role=redaktor&kommun=1497&kommun=1446"
        ),
    )
    .await;
    assert_eq!(r.status, 200, "{}", text(&r));
    let body = text(&r);
    let link = between(&body, "<code id=\"inbjudningslank\">", "</code>").unwrap();
    let lo = state
        .store()
        .unwrap()
        .account_by_email("lo@hjo.se")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(lo.name, "Lo Löf");
    assert_eq!(lo.kommuner, ["1446".to_string(), "1497".into()].into());
    let token = link.rsplit('/').next().unwrap();
    assert!(
        state
            .store()
            .unwrap()
            .invitation(token)
            .await
            .unwrap()
            .is_some()
    );
    let again = format!("csrf={csrf}&email=lo%40hjo.se&role=redaktor&kommun=1497");
    let r = post_form(&state, "/admin/konton", &cookie, &[], again).await;
    assert_eq!(r.status, 422);
    assert!(text(&r).contains("Det finns redan ett konto för lo@hjo.se"));

    // Change a redaktör's kommuner; an unknown kommun is refused.
    let edit = format!("/admin/konton/{red}");
    let r = post_form(
        &state,
        &edit,
        &cookie,
        &[],
        format!("csrf={csrf}&role=redaktor&kommun=9999"),
    )
    .await;
    assert_eq!(r.status, 422);
    assert!(text(&r).contains("”9999” är ingen kommun i regionen"));
    let r = post_form(
        &state,
        &edit,
        &cookie,
        &[],
        format!("csrf={csrf}&name=Jan&role=redaktor&kommun=1472&kommun=1496"),
    )
    .await;
    assert_eq!(r.status, 303);
    let jan = state.store().unwrap().account(red).await.unwrap().unwrap();
    assert_eq!(jan.kommuner, ["1472".to_string(), "1496".into()].into());
    // Not one's own role, nor deactivating oneself.
    let own = format!("/admin/konton/{sam}");
    let r = post_form(
        &state,
        &own,
        &cookie,
        &[],
        format!("csrf={csrf}&role=redaktor&kommun=1472"),
    )
    .await;
    assert_eq!(r.status, 422);
    let r = post_form(
        &state,
        &format!("{own}/stang-av"),
        &cookie,
        &[],
        format!("csrf={csrf}"),
    )
    .await;
    assert_eq!(r.status, 403);

    // Deactivate and reactivate; a new invitation link resets the sign-in.
    let r = post_form(
        &state,
        &format!("{edit}/stang-av"),
        &cookie,
        &[],
        format!("csrf={csrf}"),
    )
    .await;
    assert_eq!(r.status, 303);
    assert!(
        !state
            .store()
            .unwrap()
            .account(red)
            .await
            .unwrap()
            .unwrap()
            .active
    );
    assert_eq!(get("/admin/konto", &red_cookie).await.status, 303);
    let r = post_form(
        &state,
        &format!("{edit}/aktivera"),
        &cookie,
        &[],
        format!("csrf={csrf}"),
    )
    .await;
    assert_eq!(r.status, 303);
    assert!(
        state
            .store()
            .unwrap()
            .account(red)
            .await
            .unwrap()
            .unwrap()
            .active
    );
    let r = post_form(
        &state,
        &format!("{edit}/ny-inbjudan"),
        &cookie,
        &[],
        format!("csrf={csrf}"),
    )
    .await;
    assert_eq!(r.status, 200);
    let link = between(&text(&r), "<code id=\"inbjudningslank\">", "</code>").unwrap();
    let token = link.rsplit('/').next().unwrap();
    let invitation = state
        .store()
        .unwrap()
        .invitation(token)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(invitation.account.id, red);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sign_in_needs_https_unless_the_client_is_this_machine() {
    let proxied = AuthArgs {
        trusted_proxies: vec!["127.0.0.1/32".into(), "10.0.0.0/8".into()],
        ..AuthArgs::default()
    };
    let (state, _dir) = state_at("http://karta.example.se", &proxied).await;
    let ask = async |headers: &[(&str, &str)]| {
        common::request(&state, Method::GET, "/admin/logga-in", headers).await
    };
    // Straight from loopback: plain HTTP is fine.
    assert_eq!(ask(&[]).await.status, 200);
    // Forwarded by the trusted proxy from elsewhere, over plain HTTP: refused.
    let r = ask(&[("x-forwarded-for", "203.0.113.9")]).await;
    assert_eq!(r.status, 403);
    assert!(String::from_utf8_lossy(&r.body).contains("Inloggning kräver https"));
    // The proxy says https: fine.
    let r = ask(&[
        ("x-forwarded-for", "203.0.113.9"),
        ("x-forwarded-proto", "https"),
    ])
    .await;
    assert_eq!(r.status, 200);
    // An undeclared proxy's headers are not believed, nor is the request local then.
    let (state, _dir) = state_at("http://karta.example.se", &AuthArgs::default()).await;
    let r = common::request(
        &state,
        Method::GET,
        "/admin/logga-in",
        &[
            ("x-forwarded-for", "203.0.113.9"),
            ("x-forwarded-proto", "https"),
        ],
    )
    .await;
    assert_eq!(r.status, 403);
    // Behind TLS termination the configured https address is enough.
    let (state, _dir) = state_at("https://karta.example.se", &AuthArgs::default()).await;
    let r = common::request(
        &state,
        Method::GET,
        "/admin/logga-in",
        &[("x-forwarded-for", "1.2.3.4")],
    )
    .await;
    assert_eq!(r.status, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_sign_in_page_shows_what_is_turned_on() {
    let (state, _dir) = state_at("http://127.0.0.1:1", &AuthArgs::default()).await;
    let page = common::get(&state, "/admin/logga-in").await;
    let body = String::from_utf8_lossy(&page.body).to_string();
    for attr in [
        "autocomplete=\"username\"",
        "autocomplete=\"current-password\"",
        "for=\"falt-email\"",
    ] {
        assert!(body.contains(attr), "{attr}: {body}");
    }
    assert!(
        !body.contains("organisationens konto\""),
        "no OIDC configured"
    );
    assert!(!body.contains("/admin/oidc"), "{body}");
    assert!(page.header("set-cookie").starts_with("__Host-skk="));

    let oidc_only = AuthArgs {
        local_sign_in: false,
        oidc_issuer: Some("http://127.0.0.1:9".into()),
        oidc_client_id: Some("skk".into()),
        ..AuthArgs::default()
    };
    let (state, _dir) = state_at("http://127.0.0.1:1", &oidc_only).await;
    let page = common::get(&state, "/admin/logga-in").await;
    let body = String::from_utf8_lossy(&page.body).to_string();
    assert!(
        body.contains("Logga in med organisationens konto"),
        "{body}"
    );
    assert!(!body.contains("current-password"), "{body}");
    let cookie = page
        .header("set-cookie")
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let csrf = between(&body, "name=\"csrf\" value=\"", "\"").unwrap_or_default();
    let r = post_form(
        &state,
        "/admin/logga-in",
        &cookie,
        &[],
        format!("csrf={csrf}&email=a%40b.se&password=x"),
    )
    .await;
    assert_eq!(r.status, 404, "password sign-in is off");
    // A provider that does not answer: a Swedish 502, not a hang or a panic.
    let r = common::request(&state, Method::GET, "/admin/oidc", &[("cookie", &cookie)]).await;
    assert_eq!(r.status, 502);
    assert!(String::from_utf8_lossy(&r.body).contains("svarar inte"));

    assert!(
        Auth::from_args(&AuthArgs {
            local_sign_in: false,
            ..AuthArgs::default()
        })
        .is_err()
    );
    let bad = AuthArgs {
        trusted_proxies: vec!["proxy.local".into()],
        ..AuthArgs::default()
    };
    assert!(Auth::from_args(&bad).err().unwrap().contains("proxy.local"));
}

// ---- OIDC against a real provider ----

const INSTALL: &str =
    "run `make test` (tools/deps.sh test installs nodejs and npm, and runs npm ci in tests/oidc)";

/// The OpenID provider of tests/oidc, on a free port; stopped when dropped.
struct Provider {
    child: Child,
    issuer: String,
}

impl Drop for Provider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_provider(redirect_uri: &str) -> Provider {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oidc");
    match Command::new("node").arg("--version").output() {
        Ok(o) if o.status.success() => {}
        _ => panic!("the OIDC test needs node (not found on PATH): {INSTALL}"),
    }
    assert!(
        dir.join("node_modules/oidc-provider").is_dir(),
        "the OIDC test needs tests/oidc/node_modules: {INSTALL}"
    );
    let mut child = Command::new("node")
        .arg("provider.mjs")
        .current_dir(&dir)
        .env("CLIENT_ID", "skaraborgskartan")
        .env("CLIENT_SECRET", "testhemlighet-som-bara-finns-i-testet")
        .env("REDIRECT_URI", redirect_uri)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|e| panic!("node provider.mjs: {e}: {INSTALL}"));
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    out.read_line(&mut line).unwrap();
    // The rest of its output goes on to the test's (a closed pipe would stop node).
    std::thread::spawn(move || {
        for l in out.lines().map_while(Result::ok) {
            eprintln!("provider.mjs: {l}");
        }
    });
    let issuer = line
        .trim()
        .strip_prefix("ready ")
        .unwrap_or_else(|| panic!("provider.mjs did not start: {line:?}"))
        .to_string();
    Provider { child, issuer }
}

/// From a link to the service's OIDC start to the return to its callback, signing in at the
/// provider as `subject`. Returns the callback URL (not yet visited).
fn at_provider(b: &mut Browser, start: &str, subject: &str) -> String {
    let page = b.get(start);
    assert_eq!(page.status, 303, "{}", page.body);
    let auth = page.location().to_string();
    assert!(auth.contains("code_challenge_method=S256"), "{auth}");
    assert!(auth.contains("nonce=") && auth.contains("state="), "{auth}");
    let mut page = b.get(&auth);
    // The provider's redirects to its login page.
    let mut hops = 0;
    while page.status == 303 || page.status == 302 {
        let to = page.location().to_string();
        let to = if to.starts_with('/') {
            format!("{}{to}", origin(&auth))
        } else {
            to
        };
        page = b.get(&to);
        hops += 1;
        assert!(hops < 5, "too many redirects at the provider");
    }
    assert_eq!(page.status, 200, "{}", page.body);
    let action = between(&page.body, "action=\"", "\"").unwrap();
    let mut page = b.post(&format!("{}{action}", origin(&auth)), &[("login", subject)]);
    // Back through the provider to the service's callback.
    loop {
        assert!(
            page.status == 303 || page.status == 302,
            "{}: {}",
            page.status,
            page.body
        );
        let to = page.location().to_string();
        if to.contains("/admin/oidc/callback") {
            return to;
        }
        let to = if to.starts_with('/') {
            format!("{}{to}", origin(&auth))
        } else {
            to
        };
        page = b.get(&to);
    }
}

fn origin(url: &str) -> String {
    let rest = url.split_once("://").unwrap().1;
    format!("http://{}", rest.split('/').next().unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn oidc_sign_in_against_a_real_openid_provider() {
    // The service's reasons for refusing a provider's answer, in the test's output.
    let _ = tracing_subscriber::fmt().with_test_writer().try_init();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let provider = start_provider(&format!("{base}/admin/oidc/callback"));
    let args = AuthArgs {
        oidc_issuer: Some(provider.issuer.clone()),
        oidc_client_id: Some("skaraborgskartan".into()),
        oidc_client_secret: Some("testhemlighet-som-bara-finns-i-testet".into()),
        ..AuthArgs::default()
    };
    let (state, _dir) = state_at(&base, &args).await;
    let served = common::serve_on(listener, state.clone());
    let store = state.store().unwrap();
    let (id, token) = store
        .invite(
            "maja@karlsborg.se",
            "Maja",
            Role::Redaktor,
            &["1446".into()].into(),
        )
        .await
        .unwrap();

    // The invitation page offers the organisation's account; the return binds it.
    let mut b = Browser::new(&base);
    let page = b.get(&format!("/admin/inbjudan/{token}"));
    assert!(
        page.has("Logga in med organisationens konto"),
        "{}",
        page.body
    );
    let callback = at_provider(
        &mut b,
        &format!("/admin/inbjudan/{token}/oidc"),
        "maja-4711",
    );
    assert!(
        callback.contains(&format!("iss={}", common_encode(&provider.issuer))),
        "{callback}"
    );
    let anonymous = b.session().unwrap();
    let page = b.get(&callback);
    assert_eq!(page.status, 303, "{}", page.body);
    assert_eq!(page.location(), "/admin");
    assert_ne!(
        b.session().unwrap(),
        anonymous,
        "a new session id at sign-in"
    );
    assert_eq!(b.get("/admin/konto").status, 200);
    let maja = store.account(id).await.unwrap().unwrap();
    assert_eq!(
        maja.oidc,
        Some((provider.issuer.clone(), "maja-4711".into()))
    );
    assert!(!maja.has_password, "no password needed");
    assert!(store.invitation(&token).await.unwrap().is_none(), "used up");
    // Replaying the callback does nothing: what it answered is gone.
    let mut replay = Browser::new(&base);
    replay.jar.insert("__Host-skk".into(), anonymous);
    assert_eq!(replay.get(&callback).status, 400);

    // Next time, from the sign-in page.
    let mut b = Browser::new(&base);
    let page = b.get("/admin/logga-in?next=/admin/konto");
    let start = between(&page.body, "href=\"/admin/oidc", "\"").unwrap();
    let callback = at_provider(
        &mut b,
        &format!("/admin/oidc{}", start.replace("&amp;", "&")),
        "maja-4711",
    );
    let page = b.get(&callback);
    assert_eq!(page.status, 303, "{}", page.body);
    assert_eq!(page.location(), "/admin/konto");
    assert_eq!(b.get("/admin/konto").status, 200);

    // A subject nobody invited.
    let mut b = Browser::new(&base);
    let callback = at_provider(&mut b, "/admin/oidc", "okand-0000");
    let page = b.get(&callback);
    assert_eq!(page.status, 403, "{}", page.body);
    assert!(page.has("Ditt konto är inte inbjudet"), "{}", page.body);
    assert_eq!(b.get("/admin/konto").status, 303, "not signed in");

    // A tampered state is refused (and the real one then no longer works either).
    let mut b = Browser::new(&base);
    let callback = at_provider(&mut b, "/admin/oidc", "maja-4711");
    let real = between(&callback, "state=", "&")
        .unwrap_or_else(|| callback.split("state=").nth(1).unwrap().to_string());
    let tampered = callback.replace(&format!("state={real}"), "state=AAAAbbbbCCCCdddd");
    let page = b.get(&tampered);
    assert_eq!(page.status, 400, "{}", page.body);
    assert!(page.has("state stämmer inte"), "{}", page.body);
    assert_eq!(b.get("/admin/konto").status, 303, "not signed in");
    assert_eq!(b.get(&callback).status, 400);

    let events: Vec<String> = store
        .security_events(20)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.event)
        .collect();
    for e in ["oidc_bound", "sign_in", "oidc_refused"] {
        assert!(events.iter().any(|x| x == e), "{e} in {events:?}");
    }
    served.stop().await;
    drop(provider);
}

fn common_encode(s: &str) -> String {
    skaraborgskartan::admin::encode(s)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_password_is_changed_with_the_current_one_and_other_sessions_end() {
    let (state, _dir, served) = started(&AuthArgs::default()).await;
    let (_, token) = state
        .store()
        .unwrap()
        .invite(
            "nils@skovde.se",
            "Nils",
            Role::Redaktor,
            &["1496".into()].into(),
        )
        .await
        .unwrap();
    let mut b = Browser::new(&served.url());
    let (secret, _) = enrol(&mut b, &format!("/admin/inbjudan/{token}"));
    let mut elsewhere = Browser::new(&served.url());
    password_step(&mut elsewhere, "nils@skovde.se", PASSWORD, "/admin");
    let (code, _) = codes_near(&secret);
    assert_eq!(code_step(&mut elsewhere, &code).status, 303);
    assert_eq!(elsewhere.get("/admin/konto").status, 200);

    let page = b.get("/admin/konto");
    assert!(
        page.has("autocomplete=\"current-password\""),
        "{}",
        page.body
    );
    let csrf = page.csrf();
    let new = "grusväg kvällssol 1719 rävspår";
    let change = |current: &str, password: &str| {
        vec![
            ("csrf".to_string(), csrf.clone()),
            ("current".to_string(), current.to_string()),
            ("password".to_string(), password.to_string()),
            ("password2".to_string(), password.to_string()),
        ]
    };
    let send = |b: &mut Browser, form: Vec<(String, String)>| {
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        b.post("/admin/konto/losenord", &form)
    };
    let page = send(&mut b, change("fel nuvarande lösenord", new));
    assert_eq!(page.status, 422);
    assert!(
        page.has("Det nuvarande lösenordet stämmer inte"),
        "{}",
        page.body
    );
    let page = send(&mut b, change(PASSWORD, "kort"));
    assert_eq!(page.status, 422);
    assert!(page.has("minst 12 tecken"), "{}", page.body);
    let page = send(&mut b, change(PASSWORD, new));
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.has("Lösenordet är bytt"), "{}", page.body);
    assert_eq!(b.get("/admin/konto").status, 200, "this session stays");
    assert_eq!(
        elsewhere.get("/admin/konto").status,
        303,
        "the other one ended"
    );

    let mut later = Browser::new(&served.url());
    let page = password_step(&mut later, "nils@skovde.se", PASSWORD, "/admin");
    assert_eq!(page.status, 422, "the old password no longer works");
    let page = password_step(&mut later, "nils@skovde.se", new, "/admin");
    assert_eq!(page.status, 303);
    assert_eq!(page.location(), "/admin/logga-in/kod");
    served.stop().await;
}
