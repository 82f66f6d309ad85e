//! The write API for scripts, under `/api/v1/admin`: the desk's rules over JSON. A personal API
//! token (`Authorization: Bearer skk_…`, [`ApiEditor`]) acts with its owner's role and kommuner;
//! every change needs a source and goes through the store's changeset (versions, scope, the data
//! files' validation, the history) like a form of the desk does.
//!
//! A record's address is `/api/v1/admin/records/{kind}/{key}`: `kind` is the data file
//! (`offerings`, `sambu`, `contacts`, …) and `key` its key, which may hold `/`
//! (`offerings/1472/abc/offentliga-kallor`, `adherence/oken/1472`, `contacts/3`).
//!
//! | method and path | does | answers |
//! |---|---|---|
//! | `GET records/{kind}?kommun=` | the records of a kind (of one kommun) | 200 |
//! | `GET records/{kind}/{key}` | one record, `ETag: "v<version>"` | 200, 304 |
//! | `PUT records/{kind}/{key}` + `If-Match: "v<n>"` | sets the fields given (the others keep their value) | 200 |
//! | `PUT records/{kind}/{key}` + `If-None-Match: *` | creates a keyed record (key columns from the address) | 201 |
//! | `POST records/{kind}` | creates a numbered record (contacts, trainings, region_facts) | 201 |
//! | `POST records/{kind}/{key}/confirm` + `If-Match` | "bekräfta oförändrat": only the date last confirmed | 200 |
//! | `DELETE records/{kind}/{key}` + `If-Match` | removes a numbered record | 200 |
//! | `GET changes?kommun=&kind=&key=&since=&after=&limit=` | the history, oldest first | 200 |
//! | `POST changes/{id}/revert` | undoes one change (itself a logged change) | 200 |
//!
//! Bodies are JSON objects, strict (an unknown member is a 400): PUT and POST take
//! `{"fields": {column: text}, "source": "…", "confirmed": "YYYY-MM-DD"?, "comment": "…"?}`
//! (`source` is required and becomes the record's source; `confirmed` defaults to today); confirm
//! takes `{"confirmed"?, "comment"?}`, revert `{"comment"?}`, or no body.
//!
//! Keyed records are not removed: an offering goes back to *okänt* by a PUT of status `unknown`
//! (a deliberate answer, kept with its source), SAMBU and partssamverkan likewise; a DELETE of
//! one is a 405 saying so.
//!
//! Refusals, all `{"error": {"code", "message", …}}` in Swedish: 400 bad JSON, an unknown member
//! or query parameter; 401 no, an unknown or a revoked token; 403 outside the token's scope
//! (nothing written); 404 unknown kind, record or change; 405; 409 a revert of fields changed
//! since (`error.current`); 412 a stale `If-Match`, or `If-None-Match: *` on a record that exists
//! (`error.current`: the record now, `error.original`: its fields at your version); 413 a body
//! over 64 KiB; 415 a body that is not `application/json`; 422 a change the data's rules refuse
//! (`error.fields`: `[{record, field, message}]`, `error.problems`: any others); 428 no
//! `If-Match`; 503 the store does not answer. Validation is 422, not 400: the request was
//! well-formed, its content is not acceptable data.

use std::collections::BTreeMap;

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Map, Value, json};

use crate::AppState;
use crate::auth::{Account, ApiEditor, Role};
use crate::http::error::RequestError;
use crate::http::{Answer, Req, params};
use crate::problem::Problem;
use crate::store::{
    self, Action, Change, Changeset, Edit, EditError, FieldProblem, HistoryFilter, KINDS, Kind,
    Record,
};

/// The largest body taken: a record is a few hundred bytes.
pub const BODY_LIMIT: usize = 64 * 1024;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/admin/records/{kind}", get(list).post(create))
        .route(
            "/api/v1/admin/records/{kind}/{*key}",
            get(show).put(save).post(confirm).delete(remove),
        )
        .route("/api/v1/admin/changes", get(history))
        .route("/api/v1/admin/changes/{id}/revert", post(revert))
        .method_not_allowed_fallback(wrong_method)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(axum::middleware::map_response(no_store))
}

/// Answers about a person's data: never kept by a cache.
async fn no_store(mut r: Response) -> Response {
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

async fn wrong_method() -> RequestError {
    RequestError::wrong_method(
        "Metoden gäller inte den här adressen: svarets Allow-rubrik säger vilka som gäller.",
    )
}

// ------------------------------------------------------------------------------ handlers

async fn list(
    _editor: ApiEditor,
    req: Req,
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
) -> Answer {
    let kind = kind_of(&path.map_err(bad_path)?.0)?;
    let p = req.params(&["kommun"])?;
    let kommun = match p.get("kommun") {
        Some(k) => Some(kommun_code(&req, k)?),
        None => None,
    };
    let records = store_of(&state)?.records(kind).await.map_err(unavailable)?;
    let records: Vec<Value> = records
        .iter()
        .filter(|r| kommun.is_none() || r.kommun == kommun)
        .map(record_json)
        .collect();
    Ok(axum::Json(json!({ "kind": kind.name, "records": records })).into_response())
}

async fn show(
    _editor: ApiEditor,
    req: Req,
    State(state): State<AppState>,
    path: Result<Path<(String, String)>, PathRejection>,
) -> Answer {
    let (kind, key) = record_path(path)?;
    req.params(&[])?;
    let record = existing(&state, kind, &key).await?;
    let etag = etag(record.version);
    if if_none_match(&req.headers).is_some_and(|tags| tags.iter().any(|t| *t == etag || t == "*")) {
        let mut r = StatusCode::NOT_MODIFIED.into_response();
        r.headers_mut().insert(header::ETAG, header_value(&etag));
        return Ok(r);
    }
    Ok(record_response(StatusCode::OK, &record, None))
}

/// PUT: sets fields of a record (If-Match), or creates a keyed one (If-None-Match: *).
async fn save(
    editor: ApiEditor,
    req: Req,
    State(state): State<AppState>,
    path: Result<Path<(String, String)>, PathRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Answer {
    let (kind, key) = record_path(path)?;
    req.params(&[])?;
    let precondition = precondition(&req.headers, true)?;
    let body = json_body(
        &req.headers,
        body,
        &["fields", "source", "confirmed", "comment"],
    )?;
    let mut edit = Edit::new(kind, Some(key.clone()), None, Action::Save);
    edit.fields = body.fields(kind)?;
    edit.source = body.text("source")?.unwrap_or_default();
    edit.confirmed = body.text("confirmed")?;
    dated(kind, edit.confirmed.as_deref())?;
    let created = match precondition {
        Precondition::Version(v) => {
            existing(&state, kind, &key).await?;
            edit.base = Some(v);
            false
        }
        Precondition::Absent => {
            if kind.key.is_empty() {
                return Err(RequestError::unknown_record(format!(
                    "{} {key} finns inte. Nya poster av typen {} numreras av tjänsten: \
                     POST /api/v1/admin/records/{}.",
                    capitalised(kind.label),
                    kind.name,
                    kind.name
                )));
            }
            // The key columns come from the address; given in the body too, they must agree
            // (the store refuses a record whose key is not its address).
            for (column, value) in kind.key.iter().zip(key_parts(kind, &key)?) {
                edit.fields
                    .entry((*column).to_string())
                    .or_insert_with(|| value.to_string());
            }
            true
        }
    };
    let comment = body.text("comment")?.unwrap_or_default();
    let change = commit(&state, &editor.account, "edit", comment, edit).await?;
    let record = existing(&state, kind, &change.1).await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok(record_response(status, &record, Some(change.0)))
}

/// POST to a kind: a new numbered record (its number is the next one never used).
async fn create(
    editor: ApiEditor,
    req: Req,
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Answer {
    let kind = kind_of(&path.map_err(bad_path)?.0)?;
    req.params(&[])?;
    if !kind.key.is_empty() {
        return Err(RequestError::wrong_method(format!(
            "Poster av typen {} har en nyckel ({}): skapa en med PUT \
             /api/v1/admin/records/{}/<nyckel> och If-None-Match: *.",
            kind.name,
            kind.key.join("/"),
            kind.name
        )));
    }
    let body = json_body(
        &req.headers,
        body,
        &["fields", "source", "confirmed", "comment"],
    )?;
    let mut edit = Edit::new(kind, None, None, Action::Save);
    edit.fields = body.fields(kind)?;
    edit.source = body.text("source")?.unwrap_or_default();
    edit.confirmed = body.text("confirmed")?;
    dated(kind, edit.confirmed.as_deref())?;
    let comment = body.text("comment")?.unwrap_or_default();
    let change = commit(&state, &editor.account, "edit", comment, edit).await?;
    let record = existing(&state, kind, &change.1).await?;
    let mut r = record_response(StatusCode::CREATED, &record, Some(change.0));
    let location = format!("/api/v1/admin/records/{}/{}", kind.name, record.key);
    r.headers_mut()
        .insert(header::LOCATION, header_value(&location));
    Ok(r)
}

/// POST …/confirm: "bekräfta oförändrat", only the date last confirmed changes.
async fn confirm(
    editor: ApiEditor,
    req: Req,
    State(state): State<AppState>,
    path: Result<Path<(String, String)>, PathRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Answer {
    let (kind, rest) = record_path(path)?;
    let Some(key) = rest.strip_suffix("/confirm") else {
        return Err(RequestError::wrong_method(format!(
            "POST på en post gäller bara ”bekräfta oförändrat”: \
             /api/v1/admin/records/{}/{rest}/confirm.",
            kind.name
        )));
    };
    req.params(&[])?;
    let base = base_version(&req.headers)?;
    let body = json_body(&req.headers, body, &["confirmed", "comment"])?;
    let mut edit = Edit::new(kind, Some(key.to_string()), Some(base), Action::Confirm);
    edit.confirmed = body.text("confirmed")?;
    if kind.confirmed.is_none() {
        return Err(refused(
            key,
            "confirmed",
            format!(
                "{} har inget datum för senast bekräftad att förnya",
                kind.name
            ),
        ));
    }
    existing(&state, kind, key).await?;
    let comment = body.text("comment")?.unwrap_or_default();
    let change = commit(&state, &editor.account, "confirm", comment, edit).await?;
    let record = existing(&state, kind, key).await?;
    Ok(record_response(StatusCode::OK, &record, Some(change.0)))
}

/// DELETE: removes a numbered record (keyed ones go back to their unknown status instead).
async fn remove(
    editor: ApiEditor,
    req: Req,
    State(state): State<AppState>,
    path: Result<Path<(String, String)>, PathRejection>,
) -> Answer {
    let (kind, key) = record_path(path)?;
    req.params(&[])?;
    if !kind.key.is_empty() {
        let instead = match kind.name {
            "offerings" => {
                "ett programsvar blir okänt med PUT av \"status\": \"unknown\" (med en källa)"
            }
            "sambu" | "partssamverkan" | "adherence" => {
                "sätt \"status\": \"unknown\" med PUT (med en källa)"
            }
            _ => "katalogens poster ändras med PUT",
        };
        return Err(RequestError::wrong_method(format!(
            "Poster av typen {} tas inte bort: {instead}.",
            kind.name
        )));
    }
    let base = base_version(&req.headers)?;
    existing(&state, kind, &key).await?;
    let edit = Edit::new(kind, Some(key.clone()), Some(base), Action::Remove);
    let change = commit(&state, &editor.account, "edit", String::new(), edit).await?;
    Ok(axum::Json(json!({
        "kind": kind.name, "key": key, "removed": true, "change": change.0
    }))
    .into_response())
}

/// GET changes: the history the token's owner may see, oldest first, in pages of `limit`.
async fn history(editor: ApiEditor, req: Req, State(state): State<AppState>) -> Answer {
    let p = req.params(&["kommun", "kind", "key", "since", "after", "limit"])?;
    let mut filter = HistoryFilter::default();
    if let Some(k) = p.get("kommun") {
        let code = kommun_code(&req, k)?;
        if !editor.account.may_edit(Some(&code)) {
            return Err(RequestError::forbidden(format!(
                "kommun: du ser bara historiken för dina kommuner ({}).",
                scope_text(&editor.account)
            )));
        }
        filter.kommun = Some(code);
    }
    if editor.account.role == Role::Redaktor {
        filter.visible = Some(editor.account.kommuner.clone());
    }
    if let Some(k) = p.get("kind") {
        filter.kind = Some(kind_of(k)?.name.to_string());
    }
    filter.key = p.get("key").map(str::to_string);
    if let Some(day) = p.get("since") {
        filter.from = Some(crate::dates::day_start(day).ok_or_else(|| {
            RequestError::invalid(format!(
                "since: ”{day}” är inget datum (ÅÅÅÅ-MM-DD, t.ex. 2026-12-01)."
            ))
        })?);
    }
    let number = |name: &str, min: i64, max: i64| -> Result<Option<i64>, RequestError> {
        p.get(name)
            .map(|v| match v.parse::<i64>() {
                Ok(n) if (min..=max).contains(&n) => Ok(n),
                _ => Err(RequestError::invalid(format!(
                    "{name}: ”{v}” är inget heltal mellan {min} och {max}."
                ))),
            })
            .transpose()
    };
    filter.after = number("after", 0, i64::MAX)?;
    let limit = number("limit", 1, 1000)?.unwrap_or(100);
    let (changes, _) = store::log::changes(store_of(&state)?, &filter, limit, 0)
        .await
        .map_err(unavailable)?;
    let next = (changes.len() as i64 == limit)
        .then(|| changes.last().map(|c| c.id))
        .flatten();
    let changes: Vec<Value> = changes.iter().map(change_json).collect();
    Ok(axum::Json(json!({ "changes": changes, "next_after": next })).into_response())
}

/// POST changes/{id}/revert: the change undone, if nobody has changed its fields since.
async fn revert(
    editor: ApiEditor,
    req: Req,
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Answer {
    let id = path.map_err(bad_path)?.0;
    req.params(&[])?;
    let unknown = || RequestError::unknown_record(format!("Ändring {id} finns inte."));
    let id_number: i64 = id.parse().map_err(|_| unknown())?;
    let body = json_body(&req.headers, body, &["comment"])?;
    let store = store_of(&state)?;
    let change = store
        .change(id_number)
        .await
        .map_err(unavailable)?
        .ok_or_else(unknown)?;
    let kind = store::kind(&change.kind).ok_or_else(unknown)?;
    let edit = Edit::new(
        kind,
        Some(change.key.clone()),
        None,
        Action::Revert(id_number),
    );
    let comment = body.text("comment")?.unwrap_or_default();
    let done = commit(&state, &editor.account, "revert", comment, edit).await?;
    let record = store.record(kind, &change.key).await.map_err(unavailable)?;
    Ok(axum::Json(json!({
        "change": done.0,
        "reverts": id_number,
        "record": record.as_ref().map(record_json),
    }))
    .into_response())
}

// ------------------------------------------------------------------------------ the change

/// Commits one edit as its own changeset; returns the change's id and the record's key.
async fn commit(
    state: &AppState,
    account: &Account,
    kind: &'static str,
    comment: String,
    edit: Edit,
) -> Result<(i64, String), RequestError> {
    let revert = matches!(edit.action, Action::Revert(_));
    let changeset = Changeset {
        account_id: Some(account.id),
        actor: account.email.clone(),
        scope: account.scope(),
        kind,
        comment: comment.trim().to_string(),
        edits: vec![edit],
        undoes: None,
        import: None,
    };
    match state.commit(changeset).await {
        Ok(done) => {
            let (change, key, _) = done
                .changes
                .into_iter()
                .next()
                .expect("one change per edit");
            Ok((change, key))
        }
        Err(e) => Err(refusal(e, account, revert)),
    }
}

/// The one place a refused change becomes an answer.
fn refusal(e: EditError, account: &Account, revert: bool) -> RequestError {
    match e {
        EditError::Forbidden(what) => RequestError::forbidden(format!(
            "Du har inte behörighet att ändra {what} ({}). Inget har sparats.",
            scope_text(account)
        )),
        EditError::NotFound(what) => {
            RequestError::unknown_record(format!("{} finns inte.", capitalised(&what)))
        }
        EditError::Conflict {
            key,
            base,
            current,
            original,
            ..
        } => {
            let current_json = current.as_ref().map_or(Value::Null, record_json);
            let e = if revert {
                RequestError::conflict(format!(
                    "Ändringen kan inte ångras: fälten den satte har ändrats sedan ({key}). \
                     Posten som den är nu står i ”current”."
                ))
            } else {
                let now = match &current {
                    Some(r) => format!("nu version {} (ETag {})", r.version, etag(r.version)),
                    None => "den finns inte längre".to_string(),
                };
                let message = match (&current, base) {
                    (Some(_), None) => format!(
                        "{key} finns redan ({now}): ändra den med If-Match i stället för If-None-Match: *."
                    ),
                    _ => format!(
                        "{key} har ändrats av någon annan sedan din version ({now}). Hämta posten \
                         (den står i ”current”), för in din ändring och skicka igen med dess ETag."
                    ),
                };
                RequestError::stale_version(message)
            };
            let e = e.with("current", current_json);
            match original {
                Some(fields) => e.with("original", json!(fields)),
                None => e,
            }
        }
        e @ EditError::Closed { .. } => RequestError::closed_round(format!(
            "{}. Inget har sparats.",
            capitalised(&e.to_string())
        )),
        EditError::Invalid { fields, problems } => invalid(&fields, &problems),
        EditError::Done(m) => RequestError::conflict(capitalised(&m)),
        EditError::Store(e) => unavailable(e),
    }
}

/// A change refused before it reaches the store, in the shape of the store's refusals.
fn refused(record: &str, field: &str, message: String) -> RequestError {
    let fields = vec![FieldProblem {
        record: record.to_string(),
        field: field.to_string(),
        message,
    }];
    invalid(&fields, &[])
}

/// 422 with every problem: those of a field in `fields`, the rest in `problems`.
fn invalid(fields: &[FieldProblem], problems: &[Problem]) -> RequestError {
    let mut parts: Vec<String> = fields
        .iter()
        .map(|f| match f.record.as_str() {
            "" => format!("{}: {}", f.field, f.message),
            r => format!("{r} {}: {}", f.field, f.message),
        })
        .collect();
    parts.extend(problems.iter().map(ToString::to_string));
    RequestError::refused_change(format!(
        "Ändringen godtas inte, inget har sparats: {}.",
        parts.join("; ")
    ))
    .with("fields", json!(fields))
    .with("problems", json!(problems))
}

/// `confirmed` only where the kind has such a date.
fn dated(kind: &Kind, confirmed: Option<&str>) -> Result<(), RequestError> {
    match (confirmed, kind.confirmed) {
        (Some(_), None) => Err(refused(
            "",
            "confirmed",
            format!("{} har inget datum för senast bekräftad", kind.name),
        )),
        _ => Ok(()),
    }
}

// ------------------------------------------------------------------------------ reading the request

fn bad_path(e: PathRejection) -> RequestError {
    RequestError::invalid(format!("Adressen kan inte läsas ({}).", e.status()))
}

fn record_path(
    path: Result<Path<(String, String)>, PathRejection>,
) -> Result<(&'static Kind, String), RequestError> {
    let Path((kind, key)) = path.map_err(bad_path)?;
    Ok((kind_of(&kind)?, key))
}

fn kind_of(name: &str) -> Result<&'static Kind, RequestError> {
    store::kind(name).ok_or_else(|| {
        let kinds: Vec<&str> = KINDS.iter().map(|k| k.name).collect();
        RequestError::unknown_kind(name, &kinds)
    })
}

/// A kommunkod of the region served.
fn kommun_code(req: &Req, code: &str) -> Result<String, RequestError> {
    let a = req.atlas();
    let i = params::kommun(a, "kommun", code)?;
    Ok(a.kommuner()[i].code.clone())
}

/// The parts of a keyed kind's key, one per key column, none empty.
fn key_parts<'k>(kind: &Kind, key: &'k str) -> Result<Vec<&'k str>, RequestError> {
    let parts: Vec<&str> = key.split('/').collect();
    if parts.len() != kind.key.len() || parts.iter().any(|p| p.trim().is_empty()) {
        return Err(RequestError::unknown_record(format!(
            "”{key}” är ingen nyckel för {} (den skrivs {}).",
            kind.label,
            kind.key.join("/")
        )));
    }
    Ok(parts)
}

async fn existing(
    state: &AppState,
    kind: &'static Kind,
    key: &str,
) -> Result<Record, RequestError> {
    store_of(state)?
        .record(kind, key)
        .await
        .map_err(unavailable)?
        .ok_or_else(|| {
            RequestError::unknown_record(format!(
                "{} {key} finns inte (se GET /api/v1/admin/records/{}).",
                capitalised(kind.label),
                kind.name
            ))
        })
}

fn store_of(state: &AppState) -> Result<&std::sync::Arc<store::Store>, RequestError> {
    state.store().map_err(unavailable)
}

fn unavailable(e: store::StoreError) -> RequestError {
    RequestError::unavailable(format!("Lagret svarar inte: {}", e.0))
}

/// What the request's change is based on.
enum Precondition {
    /// `If-Match: "v<n>"`: the version the client saw.
    Version(i64),
    /// `If-None-Match: *`: the record must not exist yet.
    Absent,
}

fn precondition(headers: &HeaderMap, may_create: bool) -> Result<Precondition, RequestError> {
    let example = "If-Match: \"v3\" (ETag från när du hämtade posten)";
    let if_match = one_header(headers, header::IF_MATCH, "If-Match")?;
    let if_none = one_header(headers, header::IF_NONE_MATCH, "If-None-Match")?;
    match (if_match, if_none) {
        (Some(_), Some(_)) => Err(RequestError::invalid(
            "Ange If-Match eller If-None-Match, inte båda.",
        )),
        (Some(tag), None) => {
            if tag == "*" {
                return Err(RequestError::version_required(format!(
                    "If-Match: * godtas inte: ange versionen du utgick från, {example}."
                )));
            }
            version_of(tag).map(Precondition::Version).ok_or_else(|| {
                RequestError::invalid(format!(
                    "If-Match: ”{tag}” är ingen version av en post (de skrivs \"v3\")."
                ))
            })
        }
        (None, Some(tag)) if may_create && tag == "*" => Ok(Precondition::Absent),
        (None, Some(tag)) if may_create => Err(RequestError::invalid(format!(
            "If-None-Match: ”{tag}”: en ny post skapas med If-None-Match: *."
        ))),
        (None, Some(_)) => Err(RequestError::version_required(format!(
            "Ange versionen du utgick från: {example}."
        ))),
        (None, None) if may_create => Err(RequestError::version_required(format!(
            "Ange versionen du utgick från: {example}; för en ny post If-None-Match: *."
        ))),
        (None, None) => Err(RequestError::version_required(format!(
            "Ange versionen du utgick från: {example}."
        ))),
    }
}

/// The version a confirmation or removal is based on: If-Match only.
fn base_version(headers: &HeaderMap) -> Result<i64, RequestError> {
    match precondition(headers, false)? {
        Precondition::Version(v) => Ok(v),
        Precondition::Absent => Err(RequestError::version_required(
            "Ange versionen du utgick från: If-Match: \"v3\".",
        )),
    }
}

/// A header given at most once, as text.
fn one_header<'h>(
    headers: &'h HeaderMap,
    name: header::HeaderName,
    shown: &str,
) -> Result<Option<&'h str>, RequestError> {
    let mut values = headers.get_all(&name).iter();
    let Some(first) = values.next() else {
        return Ok(None);
    };
    let text = first.to_str().map(str::trim).ok();
    match (text, values.next()) {
        (Some(t), None) if !t.contains(',') => Ok(Some(t)),
        _ => Err(RequestError::invalid(format!(
            "{shown}: ange en enda version, t.ex. \"v3\"."
        ))),
    }
}

/// The tags of If-None-Match (for GET).
fn if_none_match(headers: &HeaderMap) -> Option<Vec<String>> {
    let v = headers.get(header::IF_NONE_MATCH)?.to_str().ok()?;
    Some(
        v.split(',')
            .map(|t| t.trim().trim_start_matches("W/").to_string())
            .collect(),
    )
}

fn etag(version: i64) -> String {
    format!("\"v{version}\"")
}

fn version_of(tag: &str) -> Option<i64> {
    let digits = tag.strip_prefix("\"v")?.strip_suffix('"')?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

fn header_value(text: &str) -> HeaderValue {
    HeaderValue::from_str(text).unwrap_or_else(|_| HeaderValue::from_static("\"\""))
}

/// A request body: a JSON object with only the members a route takes.
struct JsonBody(Map<String, Value>);

fn json_body(
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
    allowed: &[&str],
) -> Result<JsonBody, RequestError> {
    let bytes = body.map_err(|e| match e.status() {
        StatusCode::PAYLOAD_TOO_LARGE => RequestError::too_large(BODY_LIMIT),
        _ => RequestError::bad_body("Kroppen kunde inte läsas."),
    })?;
    if bytes.is_empty() && !allowed.contains(&"fields") {
        return Ok(JsonBody(Map::new()));
    }
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"));
    if !json {
        return Err(RequestError::not_json());
    }
    let value: Value = serde_json::from_slice(&bytes).map_err(|e| {
        let what = match e.classify() {
            serde_json::error::Category::Eof => "JSON-texten tar slut för tidigt",
            _ => "ogiltig JSON",
        };
        RequestError::bad_body(format!(
            "Kroppen: {what} (rad {}, kolumn {}).",
            e.line(),
            e.column()
        ))
    })?;
    let Value::Object(map) = value else {
        return Err(RequestError::bad_body(format!(
            "Kroppen ska vara ett JSON-objekt med {}.",
            allowed.join(", ")
        )));
    };
    if let Some(k) = map.keys().find(|k| !allowed.contains(&k.as_str())) {
        return Err(RequestError::bad_body(format!(
            "Kroppen: okänd medlem ”{k}” (tillåtna här: {}).",
            allowed.join(", ")
        )));
    }
    Ok(JsonBody(map))
}

impl JsonBody {
    /// A text member; absent or null is None.
    fn text(&self, name: &str) -> Result<Option<String>, RequestError> {
        match self.0.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(RequestError::bad_body(format!(
                "Kroppen: ”{name}” ska vara en sträng."
            ))),
        }
    }

    /// `fields`: column → text. The source and the date last confirmed are not among them:
    /// they are set by `source` and `confirmed`, for every change alike.
    fn fields(&self, kind: &Kind) -> Result<BTreeMap<String, String>, RequestError> {
        let Some(value) = self.0.get("fields") else {
            return Err(RequestError::bad_body(
                "Kroppen: ”fields” saknas (ett objekt kolumn → text, t.ex. {\"status\": \"offered\"}).",
            ));
        };
        let Value::Object(map) = value else {
            return Err(RequestError::bad_body(
                "Kroppen: ”fields” ska vara ett objekt kolumn → text.",
            ));
        };
        let mut out = BTreeMap::new();
        for (k, v) in map {
            let Value::String(s) = v else {
                return Err(RequestError::bad_body(format!(
                    "Kroppen: fields.{k} ska vara en sträng (även tal och datum skrivs som text)."
                )));
            };
            if k == kind.source || Some(k.as_str()) == kind.confirmed {
                let member = if k == kind.source {
                    "source"
                } else {
                    "confirmed"
                };
                return Err(refused(
                    "",
                    k,
                    format!("sätts med ”{member}” bredvid ”fields”, inte bland fälten"),
                ));
            }
            out.insert(k.clone(), s.clone());
        }
        Ok(out)
    }
}

// ------------------------------------------------------------------------------ answers

fn record_json(r: &Record) -> Value {
    json!({
        "kind": r.kind.name,
        "key": r.key,
        "kommun": r.kommun,
        "version": r.version,
        "fields": r.fields,
    })
}

/// A record with its ETag; after a change, with the change's id in the history.
fn record_response(status: StatusCode, r: &Record, change: Option<i64>) -> Response {
    let mut body = record_json(r);
    if let Some(id) = change {
        body["change"] = json!(id);
    }
    let mut response = (status, axum::Json(body)).into_response();
    response
        .headers_mut()
        .insert(header::ETAG, header_value(&etag(r.version)));
    response
}

fn change_json(c: &Change) -> Value {
    let at =
        jiff::Timestamp::from_second(c.at).map_or_else(|_| c.at.to_string(), |t| t.to_string());
    let fields: Vec<Value> = c
        .fields
        .iter()
        .map(|f| json!({ "field": f.field, "old": f.old, "new": f.new }))
        .collect();
    json!({
        "id": c.id,
        "changeset": c.changeset,
        "at": at,
        "actor": c.actor,
        "kind": c.kind,
        "key": c.key,
        "kommun": c.kommun,
        "action": c.action,
        "source": c.source,
        "comment": c.comment,
        "reverts": c.reverts,
        "version": c.version,
        "fields": fields,
    })
}

/// Whose records an account may change, for refusals.
fn scope_text(account: &Account) -> String {
    match account.role {
        Role::Samordnare => "hela regionen".to_string(),
        Role::Redaktor => {
            let list: Vec<&str> = account.kommuner.iter().map(String::as_str).collect();
            format!(
                "ditt konto gäller {}; regionens gemensamma uppgifter ändras av en samordnare",
                if list.is_empty() {
                    "inga kommuner".to_string()
                } else {
                    format!("kommun {}", list.join(", "))
                }
            )
        }
    }
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
