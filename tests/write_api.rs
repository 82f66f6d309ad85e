//! The write API (`/api/v1/admin`) through the router on a store of its own: tokens, scope per
//! role and kommun, versions (ETag, If-Match, If-None-Match), strict bodies and parameters, the
//! Swedish refusals, the history it writes and reads, revert; and nothing written on a refusal.

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use skaraborgskartan::AppState;
use skaraborgskartan::store::{HistoryFilter, kind};
use tower::ServiceExt;

use common::Reply;

const ABC_SKOVDE: &str = "/api/v1/admin/records/offerings/1496/abc/offentliga-kallor";
const ABC_TIBRO: &str = "/api/v1/admin/records/offerings/1472/abc/offentliga-kallor";
const JSON: (&str, &str) = ("content-type", "application/json");

/// A request with a body through the router.
async fn call(
    state: &AppState,
    method: Method,
    uri: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Reply {
    let mut req = Request::builder().method(method).uri(uri);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let res = skaraborgskartan::router(state.clone())
        .oneshot(req.body(Body::from(body.to_string())).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let body = res.into_body().collect().await.unwrap().to_bytes().to_vec();
    Reply {
        status,
        headers,
        body,
    }
}

/// A store with a samordnare and a redaktör of Tibro, each with a token.
struct Desk {
    state: AppState,
    _dir: tempfile::TempDir,
    samordnare: String,
    tibro: String,
    tibro_account: i64,
}

async fn desk() -> Desk {
    let (state, dir) = common::with_store(&common::geodata(), None).await;
    let s = common::account(&state, "samordnare@example.se", "samordnare", &[]).await;
    let t = common::account(&state, "tibro@example.se", "redaktor", &["1472"]).await;
    let store = state.store().unwrap();
    let samordnare = store.create_token(s, "skript").await.unwrap().1;
    let tibro = store.create_token(t, "skript").await.unwrap().1;
    Desk {
        state,
        _dir: dir,
        samordnare,
        tibro,
        tibro_account: t,
    }
}

impl Desk {
    async fn send(
        &self,
        token: &str,
        method: Method,
        uri: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> Reply {
        let auth = format!("Bearer {token}");
        let mut all = vec![("authorization", auth.as_str())];
        all.extend_from_slice(headers);
        call(&self.state, method, uri, &all, body).await
    }

    async fn get(&self, uri: &str) -> Reply {
        self.send(&self.samordnare, Method::GET, uri, &[], "").await
    }

    /// A PUT with JSON, based on `tag` (If-Match) or creating (`*`: If-None-Match).
    async fn put(&self, token: &str, uri: &str, tag: &str, body: Value) -> Reply {
        let condition = if tag == "*" {
            ("if-none-match", "*")
        } else {
            ("if-match", tag)
        };
        self.send(
            token,
            Method::PUT,
            uri,
            &[JSON, condition],
            &body.to_string(),
        )
        .await
    }

    /// What the store holds, as a fingerprint: every record of every kind with its version, and
    /// the number of changes logged.
    async fn stored(&self) -> (Vec<String>, usize) {
        let store = self.state.store().unwrap();
        let mut records = Vec::new();
        for k in &skaraborgskartan::store::KINDS {
            for r in store.records(k).await.unwrap() {
                records.push(format!(
                    "{} {} v{} {:?}",
                    k.name, r.key, r.version, r.fields
                ));
            }
        }
        let changes = store.history(&HistoryFilter::default()).await.unwrap();
        (records, changes.len())
    }
}

/// An offering in a kommun's public JSON (`/api/v1/kommuner/{kod}`).
fn public_offering(kommun: &Value, round: &str, programme: &str) -> Value {
    let rounds = kommun["rounds"].as_array().unwrap();
    let r = rounds.iter().find(|r| r["id"] == round).unwrap();
    let offerings = r["offerings"].as_array().unwrap();
    let o = offerings.iter().find(|o| o["programme"] == programme);
    o.cloned()
        .unwrap_or_else(|| panic!("no {programme} in {round}: {r}"))
}

fn note(body: &str) -> Value {
    json!({ "fields": { "note": body }, "source": "https://www.skovde.se/abc" })
}

/// The code and message of a JSON error; the message is Swedish and non-empty.
fn error(r: &Reply) -> (String, String) {
    let j = r.json();
    let code = j["error"]["code"].as_str().unwrap_or_default().to_string();
    let message = j["error"]["message"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(!message.is_empty(), "a message: {j}");
    assert_eq!(r.header("cache-control"), "no-store", "{j}");
    (code, message)
}

#[tokio::test]
async fn a_record_is_read_with_its_version_as_etag() {
    let d = desk().await;
    let r = d.get(ABC_SKOVDE).await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    assert_eq!(r.header("etag"), "\"v1\"");
    assert_eq!(r.header("cache-control"), "no-store");
    assert_eq!(
        r.header("access-control-allow-origin"),
        "",
        "no public CORS"
    );
    let j = r.json();
    assert_eq!(j["kind"], "offerings");
    assert_eq!(j["key"], "1496/abc/offentliga-kallor");
    assert_eq!(j["kommun"], "1496");
    assert_eq!(j["version"], 1);
    assert_eq!(j["fields"]["status"], "offered");
    assert_eq!(j["fields"]["last_confirmed"], "2015-09-08");
    let keys: Vec<&String> = j.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["fields", "key", "kind", "kommun", "version"]);
    // Revalidation by the ETag.
    let r = d
        .send(
            &d.samordnare,
            Method::GET,
            ABC_SKOVDE,
            &[("if-none-match", "\"v1\"")],
            "",
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_MODIFIED);
    // The records of a kind, and of one kommun.
    let r = d.get("/api/v1/admin/records/contacts?kommun=1472").await;
    let j = r.json();
    let keys: Vec<&str> = j["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["20", "21"], "{j}");
    let r = d.get("/api/v1/admin/records/adherence").await;
    assert_eq!(r.json()["records"], json!([]));
    // A redaktör reads any record (they are public), and changes only their own.
    let r = d.send(&d.tibro, Method::GET, ABC_SKOVDE, &[], "").await;
    assert_eq!(r.status, StatusCode::OK);
}

#[tokio::test]
async fn a_change_with_if_match_is_served_at_once_and_logged() {
    let d = desk().await;
    let body = json!({
        "fields": { "note": "Grupper varje termin.", "organiser": "Skövde <b>kommun</b>" },
        "source": "https://www.skovde.se/abc",
        "confirmed": "2026-11-30",
        "comment": "enligt kommunens webbplats",
    });
    let r = d.put(&d.samordnare, ABC_SKOVDE, "\"v1\"", body).await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    assert_eq!(r.header("etag"), "\"v2\"");
    assert_eq!(r.header("cache-control"), "no-store");
    let j = r.json();
    assert_eq!(j["version"], 2);
    assert_eq!(j["fields"]["note"], "Grupper varje termin.");
    assert_eq!(j["fields"]["source"], "https://www.skovde.se/abc");
    assert_eq!(j["fields"]["last_confirmed"], "2026-11-30");
    assert_eq!(
        j["fields"]["status"], "offered",
        "fields not given keep their value"
    );
    let change = j["change"].as_i64().unwrap();

    // The public API serves the new snapshot already.
    let public = common::get(&d.state, "/api/v1/kommuner/1496").await.json();
    let abc = public_offering(&public, "offentliga-kallor", "abc");
    assert_eq!(abc["note"], "Grupper varje termin.", "{abc}");
    assert_eq!(abc["last_confirmed"], "2026-11-30", "{abc}");

    // The history, through the API: who, what, old → new, source, comment.
    let h = d
        .get("/api/v1/admin/changes?kommun=1496&kind=offerings")
        .await
        .json();
    let c = &h["changes"][0];
    assert_eq!(c["id"], change);
    assert_eq!(c["actor"], "samordnare@example.se");
    assert_eq!(c["action"], "save");
    assert_eq!(c["key"], "1496/abc/offentliga-kallor");
    assert_eq!(c["kommun"], "1496");
    assert_eq!(c["source"], "https://www.skovde.se/abc");
    assert_eq!(c["comment"], "enligt kommunens webbplats");
    assert_eq!(c["version"], 2);
    assert!(c["at"].as_str().unwrap().ends_with('Z'), "{c}");
    let field = |name: &str| {
        c["fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["field"] == name)
            .cloned()
            .unwrap_or(Value::Null)
    };
    assert_eq!(field("organiser")["new"], "Skövde <b>kommun</b>");
    assert_eq!(
        field("organiser")["old"],
        "Skövde kommun, sektor socialtjänst (socialförvaltningen)"
    );
    assert_eq!(field("last_confirmed")["old"], "2015-09-08");
    assert_eq!(field("last_confirmed")["new"], "2026-11-30");
    assert_eq!(
        field("status"),
        Value::Null,
        "an unchanged field is not logged"
    );
    assert_eq!(h["changes"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn versions_are_required_and_a_stale_one_is_refused_with_the_record_now() {
    let d = desk().await;
    let s = &d.samordnare;
    // No precondition: 428, nothing written.
    let before = d.stored().await;
    let r = d
        .send(s, Method::PUT, ABC_SKOVDE, &[JSON], &note("x").to_string())
        .await;
    assert_eq!(r.status, StatusCode::PRECONDITION_REQUIRED);
    let (code, message) = error(&r);
    assert_eq!(code, "version_saknas");
    assert!(message.contains("If-Match"), "{message}");
    let r = d.put(s, ABC_SKOVDE, "*", note("x")).await;
    assert_eq!(
        r.status,
        StatusCode::PRECONDITION_FAILED,
        "If-None-Match: * on a record that exists"
    );
    assert!(error(&r).1.contains("finns redan"), "{}", error(&r).1);
    assert_eq!(r.json()["error"]["current"]["version"], 1);
    let r = d
        .send(
            s,
            Method::PUT,
            ABC_SKOVDE,
            &[JSON, ("if-match", "*")],
            &note("x").to_string(),
        )
        .await;
    assert_eq!(r.status, StatusCode::PRECONDITION_REQUIRED);
    for bad in ["v1", "W/\"v1\"", "\"1\"", "\"v1\", \"v2\"", "\"v-1\""] {
        let r = d.put(s, ABC_SKOVDE, bad, note("x")).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "If-Match: {bad}");
        assert!(error(&r).1.contains("If-Match"), "{bad}: {}", error(&r).1);
    }
    assert_eq!(d.stored().await, before, "nothing written");

    // Two scripts start from v1; the second is refused with what the first wrote.
    let first = d.put(s, ABC_SKOVDE, "\"v1\"", note("först")).await;
    assert_eq!(first.status, StatusCode::OK);
    let second = d.put(s, ABC_SKOVDE, "\"v1\"", note("sedan")).await;
    assert_eq!(second.status, StatusCode::PRECONDITION_FAILED);
    let (code, message) = error(&second);
    assert_eq!(code, "versionskonflikt");
    assert!(message.contains("\"v2\""), "{message}");
    let e = &second.json()["error"];
    assert_eq!(e["current"]["version"], 2);
    assert_eq!(e["current"]["fields"]["note"], "först");
    assert!(
        e["original"]["note"]
            .as_str()
            .unwrap()
            .starts_with("Grupper startade 2015"),
        "{e}"
    );
    // An unknown record with If-Match: 404.
    let r = d
        .put(
            s,
            "/api/v1/admin/records/offerings/1472/abc/offentliga-kallor",
            "\"v1\"",
            note("x"),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(error(&r).0, "okand_post");
}

#[tokio::test]
async fn a_keyed_record_is_created_with_if_none_match_and_a_numbered_one_by_post() {
    let d = desk().await;
    let body = json!({
        "fields": { "status": "offered", "organiser": "Tibro kommun" },
        "source": "https://www.tibro.se/abc",
    });
    let r = d.put(&d.tibro, ABC_TIBRO, "*", body.clone()).await;
    assert_eq!(
        r.status,
        StatusCode::CREATED,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    assert_eq!(r.header("etag"), "\"v1\"");
    let j = r.json();
    assert_eq!(
        j["fields"]["kommun"], "1472",
        "key columns from the address"
    );
    assert_eq!(j["fields"]["programme"], "abc");
    assert_eq!(j["fields"]["round"], "offentliga-kallor");
    assert_eq!(
        j["fields"]["last_confirmed"],
        skaraborgskartan::dates::today()
    );
    let a = d.state.atlas();
    let cell = a.offering(
        a.kommun_index("1472").unwrap(),
        a.round_index("offentliga-kallor").unwrap(),
        a.programme_index("abc").unwrap(),
    );
    assert_eq!(cell.map(|o| o.organiser.as_str()), Some("Tibro kommun"));
    // Creating it again: it exists now.
    let r = d.put(&d.tibro, ABC_TIBRO, "*", body.clone()).await;
    assert_eq!(r.status, StatusCode::PRECONDITION_FAILED);
    // A key that is not one, and a key column in the body that contradicts the address.
    let r = d
        .put(
            &d.tibro,
            "/api/v1/admin/records/offerings/1472/abc",
            "*",
            body.clone(),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(
        error(&r).1.contains("kommun/programme/round"),
        "{}",
        error(&r).1
    );
    let contradicting = json!({
        "fields": { "status": "offered", "programme": "cope" },
        "source": "https://www.tibro.se/abc",
    });
    let uri = "/api/v1/admin/records/offerings/1472/komet/offentliga-kallor";
    let r = d.put(&d.tibro, uri, "*", contradicting).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["error"]["fields"][0]["field"], "programme");

    // A numbered record: POST to its kind, the next number, with its address.
    let contact = json!({
        "fields": { "kommun": "1472", "kind": "familjecentral", "name": "Familjecentralen Norr",
                    "url": "https://www.tibro.se/norr", "note": "" },
        "source": "https://www.tibro.se/norr",
    });
    let r = d
        .send(
            &d.tibro,
            Method::POST,
            "/api/v1/admin/records/contacts",
            &[JSON],
            &contact.to_string(),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::CREATED,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    assert_eq!(r.json()["key"], "27");
    assert_eq!(r.header("location"), "/api/v1/admin/records/contacts/27");
    // PUT If-None-Match: * cannot choose a number; POST cannot make a keyed record.
    let r = d
        .put(
            &d.tibro,
            "/api/v1/admin/records/contacts/99",
            "*",
            contact.clone(),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(
        error(&r).1.contains("POST /api/v1/admin/records/contacts"),
        "{}",
        error(&r).1
    );
    let r = d
        .send(
            &d.tibro,
            Method::POST,
            "/api/v1/admin/records/offerings",
            &[JSON],
            &body.to_string(),
        )
        .await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(error(&r).1.contains("If-None-Match: *"), "{}", error(&r).1);
}

#[tokio::test]
async fn tokens_are_required_and_scope_is_enforced_with_nothing_written() {
    let d = desk().await;
    let before = d.stored().await;
    // No token, a malformed header, an unknown token, a revoked one: 401.
    let body = note("x").to_string();
    let put = |headers: Vec<(&'static str, String)>| {
        let body = body.clone();
        let state = d.state.clone();
        async move {
            let mut h: Vec<(&str, &str)> = vec![JSON, ("if-match", "\"v1\"")];
            h.extend(headers.iter().map(|(k, v)| (*k, v.as_str())));
            call(&state, Method::PUT, ABC_SKOVDE, &h, &body).await
        }
    };
    for headers in [
        vec![],
        vec![("authorization", format!("Basic {}", d.samordnare))],
        vec![("authorization", "Bearer skk_0000".to_string())],
        vec![("cookie", "__Host-skk=abc".to_string())],
    ] {
        let r = put(headers.clone()).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{headers:?}");
        assert_eq!(error(&r).0, "inte_inloggad");
    }
    let store = d.state.store().unwrap();
    let (id, token) = store.create_token(d.tibro_account, "gammal").await.unwrap();
    assert!(store.revoke_token(d.tibro_account, id).await.unwrap());
    let r = d.send(&token, Method::GET, ABC_TIBRO, &[], "").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(error(&r).1.contains("återkallad"), "{}", error(&r).1);
    // Unknown paths answer 401 too before anything is looked up.
    let r = call(
        &d.state,
        Method::GET,
        "/api/v1/admin/records/nothing/1",
        &[],
        "",
    )
    .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);

    // A redaktör of Tibro: not Skövde's records, not the catalogue, not region-wide facts.
    let t = &d.tibro;
    let r = d.put(t, ABC_SKOVDE, "\"v1\"", note("x")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let (code, message) = error(&r);
    assert_eq!(code, "behorighet_saknas");
    assert!(
        message.contains("1472") && message.contains("Inget har sparats"),
        "{message}"
    );
    let catalogue = json!({ "fields": { "name": "ABC" }, "source": "https://example.se" });
    let r = d
        .put(
            t,
            "/api/v1/admin/records/programmes/abc",
            "\"v1\"",
            catalogue,
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let fact = json!({
        "fields": { "topic": "sambu", "period": "2025", "measure": "active", "value": "12",
                    "text": "x" },
        "source": "https://example.se",
    });
    let r = d
        .send(
            t,
            Method::POST,
            "/api/v1/admin/records/region_facts",
            &[JSON],
            &fact.to_string(),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Moving a Tibro contact to Skövde is leaving the scope too.
    let moved = json!({ "fields": { "kommun": "1496" }, "source": "https://www.tibro.se" });
    let r = d
        .put(t, "/api/v1/admin/records/contacts/21", "\"v1\"", moved)
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    for path in [
        "/api/v1/admin/records/offerings/1496/abc/offentliga-kallor/confirm",
        "/api/v1/admin/records/contacts/14/confirm",
    ] {
        let r = d
            .send(t, Method::POST, path, &[("if-match", "\"v1\"")], "")
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}");
    }
    let r = d
        .send(
            t,
            Method::DELETE,
            "/api/v1/admin/records/contacts/14",
            &[("if-match", "\"v1\"")],
            "",
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(d.stored().await, before, "nothing written");
    // Their own kommun: allowed.
    let own = json!({ "fields": { "note": "Öppet tisdagar." }, "source": "https://www.tibro.se" });
    let r = d
        .put(t, "/api/v1/admin/records/contacts/20", "\"v1\"", own)
        .await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    // Their history is their kommuner's; another kommun's is not theirs to read.
    let h = d
        .send(t, Method::GET, "/api/v1/admin/changes", &[], "")
        .await
        .json();
    assert_eq!(h["changes"].as_array().unwrap().len(), 1, "{h}");
    let other = json!({ "fields": { "note": "Skövde" }, "source": "https://www.skovde.se" });
    let r = d.put(&d.samordnare, ABC_SKOVDE, "\"v1\"", other).await;
    assert_eq!(r.status, StatusCode::OK);
    let h = d
        .send(t, Method::GET, "/api/v1/admin/changes", &[], "")
        .await
        .json();
    assert_eq!(
        h["changes"].as_array().unwrap().len(),
        1,
        "not Skövde's: {h}"
    );
    let r = d
        .send(t, Method::GET, "/api/v1/admin/changes?kommun=1496", &[], "")
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

/// (what, method, uri, headers, body, status, code, a word the message must hold)
type Case<'a> = (
    &'a str,
    Method,
    &'a str,
    Vec<(&'a str, &'a str)>,
    String,
    u16,
    &'a str,
    &'a str,
);

#[tokio::test]
async fn bad_requests_get_a_swedish_4xx_naming_the_problem_and_change_nothing() {
    let d = desk().await;
    let s = &d.samordnare;
    let before = d.stored().await;
    let v1 = ("if-match", "\"v1\"");
    let with_fields = format!("{ABC_SKOVDE}?fields=all");
    let confirm = format!("{ABC_SKOVDE}/confirm");
    let cases: Vec<Case> = vec![
        (
            "unknown kind",
            Method::GET,
            "/api/v1/admin/records/kommuner/1496",
            vec![],
            String::new(),
            404,
            "okand_posttyp",
            "offerings",
        ),
        (
            "unknown key",
            Method::GET,
            "/api/v1/admin/records/sambu/9999",
            vec![],
            String::new(),
            404,
            "okand_post",
            "9999",
        ),
        (
            "unknown parameter",
            Method::GET,
            &with_fields,
            vec![],
            String::new(),
            400,
            "okand_parameter",
            "fields",
        ),
        (
            "unknown history parameter",
            Method::GET,
            "/api/v1/admin/changes?person=x",
            vec![],
            String::new(),
            400,
            "okand_parameter",
            "person",
        ),
        (
            "bad since",
            Method::GET,
            "/api/v1/admin/changes?since=igår",
            vec![],
            String::new(),
            400,
            "ogiltig_parameter",
            "since",
        ),
        (
            "bad limit",
            Method::GET,
            "/api/v1/admin/changes?limit=0",
            vec![],
            String::new(),
            400,
            "ogiltig_parameter",
            "limit",
        ),
        (
            "unknown history kind",
            Method::GET,
            "/api/v1/admin/changes?kind=x",
            vec![],
            String::new(),
            404,
            "okand_posttyp",
            "x",
        ),
        (
            "kommun outside the region",
            Method::GET,
            "/api/v1/admin/changes?kommun=0180",
            vec![],
            String::new(),
            404,
            "okand_kommun",
            "0180",
        ),
        (
            "not JSON",
            Method::PUT,
            ABC_SKOVDE,
            vec![v1, JSON],
            "{\"fields\": ".into(),
            400,
            "ogiltig_json",
            "tar slut",
        ),
        (
            "broken JSON",
            Method::PUT,
            ABC_SKOVDE,
            vec![v1, JSON],
            "{fields: 1}".into(),
            400,
            "ogiltig_json",
            "rad 1",
        ),
        (
            "not an object",
            Method::PUT,
            ABC_SKOVDE,
            vec![v1, JSON],
            "[1]".into(),
            400,
            "ogiltig_json",
            "objekt",
        ),
        (
            "unknown member",
            Method::PUT,
            ABC_SKOVDE,
            vec![v1, JSON],
            json!({"fields": {}, "source": "x", "status": "offered"}).to_string(),
            400,
            "ogiltig_json",
            "status",
        ),
        (
            "no fields",
            Method::PUT,
            ABC_SKOVDE,
            vec![v1, JSON],
            json!({"source": "x"}).to_string(),
            400,
            "ogiltig_json",
            "fields",
        ),
        (
            "a number",
            Method::PUT,
            ABC_SKOVDE,
            vec![v1, JSON],
            json!({"fields": {"note": 3}, "source": "x"}).to_string(),
            400,
            "ogiltig_json",
            "fields.note",
        ),
        (
            "form body",
            Method::PUT,
            ABC_SKOVDE,
            vec![v1, ("content-type", "application/x-www-form-urlencoded")],
            "fields=x".into(),
            415,
            "inte_json",
            "application/json",
        ),
        (
            "too large",
            Method::PUT,
            ABC_SKOVDE,
            vec![v1, JSON],
            json!({"fields": {"note": "x".repeat(70_000)}, "source": "x"}).to_string(),
            413,
            "for_stor",
            "64 KiB",
        ),
        (
            "wrong method",
            Method::PATCH,
            ABC_SKOVDE,
            vec![v1, JSON],
            "{}".into(),
            405,
            "fel_metod",
            "Metoden",
        ),
        (
            "delete an offering",
            Method::DELETE,
            ABC_SKOVDE,
            vec![v1],
            String::new(),
            405,
            "fel_metod",
            "unknown",
        ),
        (
            "post that is no confirm",
            Method::POST,
            ABC_SKOVDE,
            vec![v1],
            String::new(),
            405,
            "fel_metod",
            "/confirm",
        ),
        (
            "confirm without version",
            Method::POST,
            &confirm,
            vec![],
            String::new(),
            428,
            "version_saknas",
            "If-Match",
        ),
        (
            "revert of nothing",
            Method::POST,
            "/api/v1/admin/changes/999/revert",
            vec![],
            String::new(),
            404,
            "okand_post",
            "999",
        ),
        (
            "revert of no number",
            Method::POST,
            "/api/v1/admin/changes/abc/revert",
            vec![],
            String::new(),
            404,
            "okand_post",
            "abc",
        ),
    ];
    for (what, method, uri, headers, body, status, code, needle) in cases {
        let r = d.send(s, method, uri, &headers, &body).await;
        assert_eq!(
            r.status.as_u16(),
            status,
            "{what}: {}",
            String::from_utf8_lossy(&r.body)
        );
        let (c, message) = error(&r);
        assert_eq!(c, code, "{what}: {message}");
        assert!(
            message.contains(needle),
            "{what}: {needle:?} in {message:?}"
        );
        if status == 405 && what == "wrong method" {
            assert_eq!(r.header("allow"), "GET,HEAD,PUT,POST,DELETE", "{what}");
        }
    }
    assert_eq!(d.stored().await, before, "nothing written");
}

#[tokio::test]
async fn validation_failures_are_422_with_the_field_named() {
    let d = desk().await;
    let s = &d.samordnare;
    let before = d.stored().await;
    let refused = async |body: Value| {
        let r = d.put(s, ABC_SKOVDE, "\"v1\"", body).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            String::from_utf8_lossy(&r.body)
        );
        let (code, message) = error(&r);
        assert_eq!(code, "ogiltig_andring");
        assert!(message.contains("inget har sparats"), "{message}");
        let e = r.json()["error"].clone();
        (e["fields"].as_array().unwrap().clone(), message)
    };
    let (fields, message) = refused(json!({
        "fields": { "status": "kanske" }, "source": "https://www.skovde.se",
    }))
    .await;
    assert_eq!(fields.len(), 1, "{fields:?}");
    assert_eq!(fields[0]["record"], "1496/abc/offentliga-kallor");
    assert_eq!(fields[0]["field"], "status");
    assert!(
        fields[0]["message"].as_str().unwrap().contains("kanske"),
        "{fields:?}"
    );
    assert!(message.contains("status"), "{message}");
    let (fields, _) = refused(json!({ "fields": { "note": "x" }, "source": "  " })).await;
    assert_eq!(fields[0]["field"], "source");
    let (fields, _) = refused(json!({ "fields": { "note": "x" } })).await;
    assert_eq!(fields[0]["field"], "source", "a source is required");
    let (fields, _) = refused(json!({
        "fields": { "note": "x" }, "source": "https://x.se", "confirmed": "2026-02-30",
    }))
    .await;
    assert_eq!(fields[0]["field"], "last_confirmed");
    let (fields, _) =
        refused(json!({ "fields": { "anteckning": "x" }, "source": "https://x.se" })).await;
    assert_eq!(fields[0]["field"], "anteckning");
    assert!(
        fields[0]["message"]
            .as_str()
            .unwrap()
            .contains("ingen kolumn"),
        "{fields:?}"
    );
    let (fields, _) =
        refused(json!({ "fields": { "source": "x" }, "source": "https://x.se" })).await;
    assert_eq!(fields[0]["field"], "source");
    let (fields, _) = refused(json!({
        "fields": { "programme": "finns-inte" }, "source": "https://x.se",
    }))
    .await;
    assert_eq!(fields[0]["field"], "programme");
    assert!(
        fields[0]["message"]
            .as_str()
            .unwrap()
            .contains("kan inte ändras"),
        "{fields:?}"
    );
    assert_eq!(d.stored().await, before, "nothing written");
}

#[tokio::test]
async fn confirm_changes_only_the_date_and_remove_and_revert_are_logged_changes() {
    let d = desk().await;
    let s = &d.samordnare;
    let today = skaraborgskartan::dates::today();
    let confirm = format!("{ABC_SKOVDE}/confirm");
    let r = d
        .send(s, Method::POST, &confirm, &[("if-match", "\"v1\"")], "")
        .await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    assert_eq!(r.header("etag"), "\"v2\"");
    let before = d.state.store().unwrap();
    let h = before
        .history(&HistoryFilter {
            kind: Some("offerings".into()),
            ..HistoryFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(h.len(), 1);
    assert_eq!(h[0].action, "confirm");
    let touched: Vec<(&str, Option<&str>)> = h[0]
        .fields
        .iter()
        .map(|f| (f.field.as_str(), f.new.as_deref()))
        .collect();
    assert_eq!(touched, [("last_confirmed", Some(today.as_str()))]);
    // With a date and a comment, in a JSON body.
    let r = d
        .send(
            s,
            Method::POST,
            &confirm,
            &[("if-match", "\"v2\""), JSON],
            &json!({ "confirmed": "2026-10-01", "comment": "telefon med enhetschefen" })
                .to_string(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["fields"]["last_confirmed"], "2026-10-01");
    let stale = d
        .send(s, Method::POST, &confirm, &[("if-match", "\"v2\"")], "")
        .await;
    assert_eq!(stale.status, StatusCode::PRECONDITION_FAILED);

    // Remove a numbered record, then revert the removal: it is back, under the same key.
    let contact = "/api/v1/admin/records/contacts/20";
    let original = d.get(contact).await.json();
    let r = d
        .send(s, Method::DELETE, contact, &[("if-match", "\"v1\"")], "")
        .await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    let removal = r.json()["change"].as_i64().unwrap();
    assert_eq!(d.get(contact).await.status, StatusCode::NOT_FOUND);
    let r = d
        .send(
            s,
            Method::POST,
            &format!("/api/v1/admin/changes/{removal}/revert"),
            &[],
            "",
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    let j = r.json();
    assert_eq!(j["reverts"], removal);
    assert_eq!(j["record"]["fields"], original["fields"]);
    let back = d.get(contact).await.json();
    assert_eq!(back["fields"], original["fields"]);

    // Revert an update; a revert of fields changed since is refused with the record now (409).
    let r = d.put(s, ABC_SKOVDE, "\"v3\"", note("ett")).await;
    let one = r.json()["change"].as_i64().unwrap();
    let r = d.put(s, ABC_SKOVDE, "\"v4\"", note("två")).await;
    let two = r.json()["change"].as_i64().unwrap();
    let r = d
        .send(
            s,
            Method::POST,
            &format!("/api/v1/admin/changes/{one}/revert"),
            &[],
            "",
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::CONFLICT,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    assert_eq!(error(&r).0, "konflikt");
    assert_eq!(r.json()["error"]["current"]["fields"]["note"], "två");
    let body = json!({ "comment": "fel uppgift" }).to_string();
    let r = d
        .send(
            s,
            Method::POST,
            &format!("/api/v1/admin/changes/{two}/revert"),
            &[JSON],
            &body,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["record"]["fields"]["note"], "ett");
    let revert = d
        .state
        .store()
        .unwrap()
        .change(r.json()["change"].as_i64().unwrap());
    let revert = revert.await.unwrap().unwrap();
    assert_eq!(
        (revert.action.as_str(), revert.reverts),
        ("revert", Some(two))
    );
    assert_eq!(revert.comment, "fel uppgift");
    // A redaktör of Tibro cannot revert Skövde's change.
    let r = d
        .send(
            &d.tibro,
            Method::POST,
            &format!("/api/v1/admin/changes/{one}/revert"),
            &[],
            "",
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Okänt is an answer: status unknown, with its source, still one record.
    let unknown = json!({ "fields": { "status": "unknown" }, "source": "https://www.skovde.se" });
    let r = d.put(s, ABC_SKOVDE, "\"v6\"", unknown).await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
}

#[tokio::test]
async fn the_history_is_filtered_and_paged() {
    let d = desk().await;
    let s = &d.samordnare;
    for (i, tag) in ["\"v1\"", "\"v2\"", "\"v3\""].iter().enumerate() {
        let r = d.put(s, ABC_SKOVDE, tag, note(&format!("{i}"))).await;
        assert_eq!(r.status, StatusCode::OK);
    }
    let own = json!({ "fields": { "note": "x" }, "source": "https://www.tibro.se" });
    let r = d
        .put(&d.tibro, "/api/v1/admin/records/contacts/20", "\"v1\"", own)
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let ids = |j: &Value| -> Vec<i64> {
        j["changes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_i64().unwrap())
            .collect()
    };
    let all = d.get("/api/v1/admin/changes").await.json();
    assert_eq!(ids(&all), [1, 2, 3, 4]);
    assert_eq!(all["next_after"], Value::Null);
    let page = d.get("/api/v1/admin/changes?limit=2").await.json();
    assert_eq!(
        (ids(&page), page["next_after"].as_i64()),
        (vec![1, 2], Some(2))
    );
    let page = d.get("/api/v1/admin/changes?limit=2&after=2").await.json();
    assert_eq!(ids(&page), [3, 4]);
    let tibro = d.get("/api/v1/admin/changes?kommun=1472").await.json();
    assert_eq!(ids(&tibro), [4]);
    assert_eq!(tibro["changes"][0]["actor"], "tibro@example.se");
    let contacts = d.get("/api/v1/admin/changes?kind=contacts").await.json();
    assert_eq!(ids(&contacts), [4]);
    let key = d
        .get("/api/v1/admin/changes?kind=offerings&key=1496/abc/offentliga-kallor")
        .await
        .json();
    assert_eq!(ids(&key), [1, 2, 3]);
    let today = skaraborgskartan::dates::today();
    let since = d
        .get(&format!("/api/v1/admin/changes?since={today}"))
        .await
        .json();
    assert_eq!(ids(&since).len(), 4);
    let future = d.get("/api/v1/admin/changes?since=2999-01-01").await.json();
    assert_eq!(ids(&future), Vec::<i64>::new());
    let r = d.get("/api/v1/admin/changes?kommun=1472&kommun=1496").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(error(&r).0, "dubbel_parameter");
}

#[tokio::test]
async fn the_api_works_over_a_real_socket() {
    let d = desk().await;
    let served = common::serve(d.state.clone()).await;
    let url = format!("{}{ABC_SKOVDE}", served.url());
    let token = d.samordnare.clone();
    let (status, etag, version) = tokio::task::spawn_blocking(move || {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        let r = agent
            .put(&url)
            .header("authorization", &format!("Bearer {token}"))
            .header("if-match", "\"v1\"")
            .header("content-type", "application/json")
            .send(note("via uttaget").to_string())
            .unwrap();
        let status = r.status().as_u16();
        let etag = r.headers()["etag"].to_str().unwrap().to_string();
        let body: Value = serde_json::from_reader(r.into_body().into_reader()).unwrap();
        (status, etag, body["version"].as_i64())
    })
    .await
    .unwrap();
    assert_eq!((status, etag.as_str(), version), (200, "\"v2\"", Some(2)));
    served.stop().await;
    let r = kind("offerings").unwrap();
    let record = d
        .state
        .store()
        .unwrap()
        .record(r, "1496/abc/offentliga-kallor")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(record.field("note"), "via uttaget");
}

#[tokio::test]
async fn an_answer_in_a_closed_round_is_409_and_a_round_is_opened_and_closed_by_the_samordnare() {
    let d = desk().await;
    let s = &d.samordnare;
    let rounds = "/api/v1/admin/records/rounds";
    let closed_message = |r: &Reply, name: &str| {
        assert_eq!(
            r.status,
            StatusCode::CONFLICT,
            "{}",
            String::from_utf8_lossy(&r.body)
        );
        let (code, message) = error(r);
        assert_eq!(code, "omgang_stangd");
        assert_eq!(
            message,
            format!(
                "Omgången ”{name}” är stängd: svaren kan inte längre ändras. Inget har sparats."
            )
        );
    };
    let before = d.stored().await;

    // A new answer in the closed survey round.
    let new = d
        .put(
            s,
            "/api/v1/admin/records/offerings/1472/abc/uppfoljning-2024",
            "*",
            json!({ "fields": { "status": "offered" }, "source": "https://www.tibro.se/abc" }),
        )
        .await;
    closed_message(&new, "Uppföljning 2023/24");
    // A redaktör may not close a round (region-wide).
    let sources = format!("{rounds}/offentliga-kallor");
    let close = json!({ "fields": { "status": "closed" }, "source": "Varje rad har sin egen källa (offentliga källor)" });
    let r = d.put(&d.tibro, &sources, "\"v1\"", close.clone()).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(d.stored().await, before, "nothing written");

    // The samordnare closes the sources collection: its answers are frozen (save, confirm).
    let r = d.put(s, &sources, "\"v1\"", close).await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    assert_eq!(r.json()["fields"]["status"], "closed");
    let frozen = d.stored().await;
    let name = "Offentliga källor";
    closed_message(&d.put(s, ABC_SKOVDE, "\"v1\"", note("ändrad")).await, name);
    let confirm = format!("{ABC_SKOVDE}/confirm");
    closed_message(
        &d.send(s, Method::POST, &confirm, &[("if-match", "\"v1\"")], "")
            .await,
        name,
    );
    assert_eq!(d.stored().await, frozen, "nothing written");

    // Opened again: editable.
    let open = json!({ "fields": { "status": "open" }, "source": "Varje rad har sin egen källa (offentliga källor)" });
    let r = d.put(s, &sources, "\"v2\"", open).await;
    assert_eq!(r.status, StatusCode::OK);
    let r = d.put(s, ABC_SKOVDE, "\"v1\"", note("ändrad")).await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
}
