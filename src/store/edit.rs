//! Changes to records: a changeset (one form, one "bekräfta alla", one import) applied in one
//! transaction with its change log, checked against the versions it was based on, against the
//! editor's scope, and against the same validation as the data files before it is committed.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use sqlx::{Row, SqliteConnection};

use super::records::{self, Kind, OFFERINGS, ROUNDS, Record, StoreFiles};
use super::{Store, StoreError};
use crate::inventory::Inventory;
use crate::problem::Problem;
use crate::vocabulary::RoundStatus;

/// What an editor may change: the whole region, or the records of some kommuner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    Region,
    Kommuner(BTreeSet<String>),
}

impl Scope {
    /// Whether a record belonging to `kommun` may be changed (None: a region-wide record, which
    /// only the whole region's scope covers).
    pub fn allows(&self, kommun: Option<&str>) -> bool {
        match self {
            Scope::Region => true,
            Scope::Kommuner(set) => kommun.is_some_and(|k| set.contains(k)),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Sets the given fields (others keep their value); creates the record if it has no key yet.
    Save,
    /// "Bekräfta oförändrat": only the date last confirmed changes.
    Confirm,
    /// Removes the record (for an offering, setting okänt is a Save with status `unknown`).
    Remove,
    /// Undoes one logged change: each field it set goes back, if nobody has changed it since.
    Revert(i64),
}

impl Action {
    pub fn name(self) -> &'static str {
        match self {
            Action::Save => "save",
            Action::Confirm => "confirm",
            Action::Remove => "remove",
            Action::Revert(_) => "revert",
        }
    }
}

/// One record's change.
#[derive(Debug, Clone)]
pub struct Edit {
    pub kind: &'static Kind,
    /// The record; None for a new one (a keyed kind takes its key from the fields, a numbered
    /// kind the next number).
    pub key: Option<String>,
    /// The version the editor saw; None: the record must not exist yet. Ignored by Revert,
    /// which checks the fields themselves.
    pub base: Option<i64>,
    pub action: Action,
    /// For Save: the fields to set.
    pub fields: BTreeMap<String, String>,
    /// Where the fact comes from (a URL or a document's name). Required for Save; for the
    /// others the record's own source is logged when empty.
    pub source: String,
    /// The date last confirmed to set (None: today).
    pub confirmed: Option<String>,
}

impl Edit {
    pub fn new(
        kind: &'static Kind,
        key: Option<String>,
        base: Option<i64>,
        action: Action,
    ) -> Edit {
        Edit {
            kind,
            key,
            base,
            action,
            fields: BTreeMap::new(),
            source: String::new(),
            confirmed: None,
        }
    }
}

/// Changes made together, by one person, in one transaction.
#[derive(Debug, Clone)]
pub struct Changeset {
    pub account_id: Option<i64>,
    /// Who, as shown in the history (the e-mail address at the time).
    pub actor: String,
    pub scope: Scope,
    /// edit | confirm | revert | import
    pub kind: &'static str,
    pub comment: String,
    pub edits: Vec<Edit>,
    /// The changeset this one undoes as a whole (each of its changes reverted): marked undone in
    /// the same transaction, and a second undo is refused.
    pub undoes: Option<i64>,
    /// The uploaded file this changeset imports: marked applied in the same transaction, and a
    /// second apply of it is refused.
    pub import: Option<i64>,
}

impl Changeset {
    /// Changes by no account (a script, a test, a benchmark), without a comment.
    pub fn new(actor: &str, scope: Scope, kind: &'static str, edits: Vec<Edit>) -> Changeset {
        Changeset {
            account_id: None,
            actor: actor.to_string(),
            scope,
            kind,
            comment: String::new(),
            edits,
            undoes: None,
            import: None,
        }
    }
}

/// A problem with one field of one edited record, for showing next to the field.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldProblem {
    pub record: String,
    pub field: String,
    pub message: String,
}

#[derive(Debug, thiserror::Error)]
pub enum EditError {
    #[error("du har inte behörighet att ändra {0}")]
    Forbidden(String),
    #[error("{0} finns inte")]
    NotFound(String),
    #[error("{key} har ändrats av någon annan sedan du öppnade den (din version {base:?}, nu {})", current.as_ref().map_or(0, |r| r.version))]
    Conflict {
        kind: &'static str,
        key: String,
        base: Option<i64>,
        /// The record now (None: removed since).
        current: Option<Record>,
        /// The record as it was at `base`, rebuilt from the history.
        original: Option<BTreeMap<String, String>>,
    },
    /// The record is an answer in a closed round, which is frozen (`round`: its name).
    #[error("omgången ”{round}” är stängd: svaren kan inte längre ändras")]
    Closed { round: String },
    #[error("ändringen godtas inte: {}", describe(.fields, .problems))]
    Invalid {
        fields: Vec<FieldProblem>,
        problems: Vec<Problem>,
    },
    /// The changeset was undone, or the file imported, already.
    #[error("{0}")]
    Done(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn describe(fields: &[FieldProblem], problems: &[Problem]) -> String {
    let mut all: Vec<String> = fields
        .iter()
        .map(|f| format!("{}: {}", f.field, f.message))
        .collect();
    all.extend(problems.iter().map(Problem::to_string));
    all.join("; ")
}

impl From<sqlx::Error> for EditError {
    fn from(e: sqlx::Error) -> Self {
        EditError::Store(e.into())
    }
}

/// What a committed changeset did.
#[derive(Debug)]
pub struct Applied {
    pub changeset: i64,
    /// Per edit: the change's id, the record's key and its new version (0: removed).
    pub changes: Vec<(i64, String, i64)>,
    /// The inventory validated from the store as committed: the next snapshot's data.
    pub inventory: Inventory,
    pub revision: i64,
}

impl Store {
    /// Applies a changeset in one `BEGIN IMMEDIATE` transaction: every edit checked against its
    /// base version and the scope, the change log written, then the whole store validated by
    /// `validate`; any problem rolls everything back. The files `validate` gets hold no
    /// boundaries (no edit changes them, and reading them was most of an edit's time): validate
    /// with the boundaries of the snapshot being served.
    pub async fn apply(
        &self,
        changeset: Changeset,
        validate: impl FnOnce(&StoreFiles) -> Result<Inventory, Vec<Problem>>,
    ) -> Result<Applied, EditError> {
        let mut tx = self.begin().await?;
        let now = crate::dates::now_seconds();
        let today = crate::dates::today();
        let set_id = next_id(&mut tx, "changesets").await?;
        sqlx::query(
            "INSERT INTO changesets (id, at, account_id, actor, kind, comment) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(set_id)
        .bind(now)
        .bind(changeset.account_id)
        .bind(&changeset.actor)
        .bind(changeset.kind)
        .bind(&changeset.comment)
        .execute(&mut *tx)
        .await?;
        if let Some(undone) = changeset.undoes {
            let marked = sqlx::query(
                "UPDATE changesets SET undone_by = $1 WHERE id = $2 AND undone_by IS NULL",
            )
            .bind(set_id)
            .bind(undone)
            .execute(&mut *tx)
            .await?;
            if marked.rows_affected() != 1 {
                return Err(EditError::Done(format!(
                    "ändringsuppsättning {undone} är redan ångrad (eller finns inte)"
                )));
            }
        }
        if let Some(upload) = changeset.import {
            let marked = sqlx::query(
                "UPDATE imports SET changeset_id = $1 WHERE id = $2 AND changeset_id IS NULL",
            )
            .bind(set_id)
            .bind(upload)
            .execute(&mut *tx)
            .await?;
            if marked.rows_affected() != 1 {
                return Err(EditError::Done(format!(
                    "import {upload} är redan genomförd (eller finns inte)"
                )));
            }
        }
        let mut changes = Vec::new();
        let mut touched = Vec::new();
        for edit in &changeset.edits {
            let (change, key, version) =
                apply_one(&mut tx, &changeset, set_id, edit, now, &today).await?;
            touched.push((edit.kind.name, key.clone()));
            changes.push((change, key, version));
        }
        let before: i64 = sqlx::query("SELECT value FROM meta WHERE key = 'revision'")
            .fetch_optional(&mut *tx)
            .await?
            .and_then(|r| r.get::<String, _>(0).parse().ok())
            .unwrap_or(0);
        let revision = before + 1;
        sqlx::query("UPDATE meta SET value = $1 WHERE key = 'revision'")
            .bind(revision.to_string())
            .execute(&mut *tx)
            .await?;
        // The files as the last changeset left them, if nothing has changed since, with the
        // tables changed here read again; else all of them. Taken: a refused changeset leaves
        // none behind (it was updated with what is rolled back).
        let written = self
            .written
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take()
            .filter(|(at, _)| *at == before);
        let files = match written {
            Some((_, mut files)) => {
                let mut kinds: Vec<&'static Kind> = Vec::new();
                for edit in &changeset.edits {
                    if !kinds.contains(&edit.kind) {
                        kinds.push(edit.kind);
                    }
                }
                files.refresh(&mut tx, &kinds).await?;
                files
            }
            None => StoreFiles::read(&mut tx, false).await?,
        };
        let inventory = validate(&files).map_err(|problems| place(&files, &touched, problems))?;
        tx.commit().await?;
        *self
            .written
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some((revision, files));
        Ok(Applied {
            changeset: set_id,
            changes,
            inventory,
            revision,
        })
    }

    /// A record now.
    pub async fn record(
        &self,
        kind: &'static Kind,
        key: &str,
    ) -> Result<Option<Record>, StoreError> {
        let mut conn = self.pool().acquire().await?;
        records::get(&mut conn, kind, key).await
    }

    /// Every record of a kind, in file order.
    pub async fn records(&self, kind: &'static Kind) -> Result<Vec<Record>, StoreError> {
        let mut conn = self.pool().acquire().await?;
        records::all(&mut conn, kind).await
    }
}

/// Sorts validation problems into those of an edited record's fields and the rest.
fn place(
    files: &StoreFiles,
    touched: &[(&'static str, String)],
    problems: Vec<Problem>,
) -> EditError {
    let mut at: HashMap<(String, usize), &String> = HashMap::new();
    for (kind, key) in touched {
        if let Some(line) = files.lines.get(&(*kind, key.clone())) {
            at.insert((format!("{kind}.csv"), *line), key);
        }
    }
    let mut fields = Vec::new();
    let mut rest = Vec::new();
    for p in problems {
        let kind = p.file.strip_suffix(".csv").and_then(records::kind);
        match (at.get(&(p.file.clone(), p.line)), kind) {
            (Some(key), Some(kind)) if p.column > 0 => {
                let field = files
                    .header(kind)
                    .get(p.column - 1)
                    .cloned()
                    .unwrap_or_default();
                fields.push(FieldProblem {
                    record: (*key).clone(),
                    field,
                    message: p.message,
                });
            }
            _ => rest.push(p),
        }
    }
    EditError::Invalid {
        fields,
        problems: rest,
    }
}

/// The next id of a table, inside the write transaction (the write lock makes it unique).
async fn next_id(conn: &mut SqliteConnection, table: &str) -> Result<i64, StoreError> {
    let row = sqlx::query(&format!("SELECT COALESCE(MAX(id), 0) + 1 FROM {table}"))
        .fetch_one(&mut *conn)
        .await?;
    Ok(row.get(0))
}

async fn apply_one(
    tx: &mut SqliteConnection,
    set: &Changeset,
    set_id: i64,
    edit: &Edit,
    now: i64,
    today: &str,
) -> Result<(i64, String, i64), EditError> {
    let kind = edit.kind;
    let current = match &edit.key {
        Some(key) => records::get(tx, kind, key).await?,
        None => None,
    };
    let what = |key: &str| format!("{} {key}", kind.label);
    if matches!(edit.action, Action::Confirm | Action::Remove) && current.is_none() {
        return Err(EditError::NotFound(what(edit.key.as_deref().unwrap_or(""))));
    }
    // The version check: a change based on what someone else has since changed is refused.
    if !matches!(edit.action, Action::Revert(_)) {
        let now_version = current.as_ref().map(|r| r.version);
        if now_version != edit.base {
            let key = edit.key.clone().unwrap_or_default();
            let original = match edit.base {
                Some(v) => fields_at(tx, kind, &key, v, current.as_ref()).await?,
                None => None,
            };
            return Err(EditError::Conflict {
                kind: kind.name,
                key,
                base: edit.base,
                current,
                original,
            });
        }
    }
    let old = current.as_ref().map(|r| r.fields.clone());
    let confirmed = edit.confirmed.clone().unwrap_or_else(|| today.to_string());
    let mut reverts = None;
    let new: Option<BTreeMap<String, String>> = match edit.action {
        Action::Save => {
            if edit.source.trim().is_empty() {
                return Err(EditError::Invalid {
                    fields: vec![FieldProblem {
                        record: edit.key.clone().unwrap_or_default(),
                        field: kind.source.to_string(),
                        message: "ange en källa (en webbadress eller ett dokuments namn)".into(),
                    }],
                    problems: Vec::new(),
                });
            }
            // A column the file does not have would be kept here but never written out: refused.
            let header = records::header(tx, kind).await?;
            let unknown: Vec<FieldProblem> = edit
                .fields
                .keys()
                .filter(|k| !header.contains(k))
                .map(|k| FieldProblem {
                    record: edit.key.clone().unwrap_or_default(),
                    field: k.clone(),
                    message: format!(
                        "{}.csv har ingen kolumn ”{k}” (kolumner: {})",
                        kind.name,
                        header.join(", ")
                    ),
                })
                .collect();
            if !unknown.is_empty() {
                return Err(EditError::Invalid {
                    fields: unknown,
                    problems: Vec::new(),
                });
            }
            // A new record starts empty: its file gets an empty cell for every column not given.
            let mut f = old.clone().unwrap_or_default();
            for (k, v) in &edit.fields {
                f.insert(k.clone(), v.trim().to_string());
            }
            f.insert(kind.source.to_string(), edit.source.trim().to_string());
            if let Some(c) = kind.confirmed {
                f.insert(c.to_string(), confirmed);
            }
            Some(f)
        }
        Action::Confirm => {
            let mut f = old.clone().unwrap_or_default();
            if let Some(c) = kind.confirmed {
                f.insert(c.to_string(), confirmed);
            }
            Some(f)
        }
        Action::Remove => None,
        Action::Revert(change) => {
            reverts = Some(change);
            revert_fields(
                tx,
                kind,
                edit.key.as_deref().unwrap_or(""),
                change,
                current.as_ref(),
            )
            .await?
        }
    };
    // The record after the change: its key, whose it is (checked before and after), position.
    let key = match (&edit.key, &new) {
        (Some(k), _) => k.clone(),
        (None, Some(f)) => match kind.key_of(f) {
            Some(k) => k,
            None => next_number(tx, kind).await?.to_string(),
        },
        (None, None) => return Err(EditError::NotFound(kind.label.to_string())),
    };
    let before_kommun = current.as_ref().and_then(|r| r.kommun.clone());
    let after_kommun = new
        .as_ref()
        .and_then(|f| kind.kommun_of(f).map(str::to_string));
    let allowed = |k: &Option<String>| set.scope.allows(k.as_deref());
    if (current.is_some() && !allowed(&before_kommun)) || (new.is_some() && !allowed(&after_kommun))
    {
        return Err(EditError::Forbidden(what(&key)));
    }
    // A closed round is frozen: no answer may move into or out of it, nor change in it. Read
    // from the store in this transaction, so a changeset that opens a round first may edit it.
    if kind.name == OFFERINGS.name {
        let rounds = current
            .as_ref()
            .map(|r| r.field("round").to_string())
            .into_iter()
            .chain(new.as_ref().and_then(|f| f.get("round").cloned()));
        for round in rounds {
            if let Some(name) = closed_round(tx, round.trim()).await? {
                return Err(EditError::Closed { round: name });
            }
        }
    }
    if let (Some(f), false) = (&new, kind.key.is_empty()) {
        if kind.key_of(f).as_deref() != Some(key.as_str()) {
            // Named on the first key column that differs from the record's key.
            let parts: Vec<&str> = key.split('/').collect();
            let column = kind
                .key
                .iter()
                .enumerate()
                .find(|(i, c)| f.get(**c).map(|v| v.trim()) != parts.get(*i).copied())
                .map_or(kind.key[0], |(_, c)| *c);
            let message = format!(
                "nyckelfälten ({}) kan inte ändras: lägg till en ny post i stället",
                kind.key.join(", ")
            );
            return Err(EditError::Invalid {
                fields: vec![FieldProblem {
                    record: key.clone(),
                    field: column.to_string(),
                    message,
                }],
                problems: Vec::new(),
            });
        }
        if current.is_none() && records::get(tx, kind, &key).await?.is_some() {
            return Err(EditError::Conflict {
                kind: kind.name,
                key: key.clone(),
                base: None,
                current: records::get(tx, kind, &key).await?,
                original: None,
            });
        }
    }
    let version = match (&current, &new) {
        (Some(r), Some(f)) => {
            sqlx::query(
                "UPDATE records SET fields = $1, kommun = $2, version = version + 1 \
                 WHERE kind = $3 AND key = $4",
            )
            .bind(serde_json::to_string(f).expect("strings serialise"))
            .bind(kind.kommun_of(f))
            .bind(kind.name)
            .bind(&key)
            .execute(&mut *tx)
            .await?;
            r.version + 1
        }
        (None, Some(f)) => {
            let position = next_position(tx, kind).await?;
            records::insert(tx, kind, &key, position, f, 1).await?;
            1
        }
        (Some(_), None) => {
            sqlx::query("DELETE FROM records WHERE kind = $1 AND key = $2")
                .bind(kind.name)
                .bind(&key)
                .execute(&mut *tx)
                .await?;
            0
        }
        (None, None) => return Err(EditError::NotFound(what(&key))),
    };
    let source = if edit.source.trim().is_empty() {
        current
            .as_ref()
            .map(|r| r.field(kind.source).to_string())
            .unwrap_or_default()
    } else {
        edit.source.trim().to_string()
    };
    let change = next_id(tx, "changes").await?;
    sqlx::query(
        "INSERT INTO changes (id, changeset_id, at, account_id, actor, record_kind, record_key, \
         kommun, action, source, comment, reverts, version) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(change)
    .bind(set_id)
    .bind(now)
    .bind(set.account_id)
    .bind(&set.actor)
    .bind(kind.name)
    .bind(&key)
    .bind(after_kommun.or(before_kommun))
    .bind(edit.action.name())
    .bind(source)
    .bind(&set.comment)
    .bind(reverts)
    .bind(version)
    .execute(&mut *tx)
    .await?;
    let names: BTreeSet<&String> = old
        .iter()
        .flat_map(|f| f.keys())
        .chain(new.iter().flat_map(|f| f.keys()))
        .collect();
    for name in names {
        let before = old.as_ref().and_then(|f| f.get(name));
        let after = new.as_ref().and_then(|f| f.get(name));
        if before != after {
            sqlx::query(
                "INSERT INTO change_fields (change_id, field, old, new) VALUES ($1, $2, $3, $4)",
            )
            .bind(change)
            .bind(name)
            .bind(before)
            .bind(after)
            .execute(&mut *tx)
            .await?;
        }
    }
    Ok((change, key, version))
}

/// The name of round `id` when it is closed (an empty or absent status is closed); None when
/// it is open, or unknown (the validation names an unknown round).
async fn closed_round(tx: &mut SqliteConnection, id: &str) -> Result<Option<String>, StoreError> {
    let Some(round) = records::get(tx, &ROUNDS, id).await? else {
        return Ok(None);
    };
    let open = RoundStatus::parse(round.field("status").trim()) == Ok(RoundStatus::Open);
    Ok((!open).then(|| match round.field("name") {
        "" => id.to_string(),
        name => name.to_string(),
    }))
}

async fn next_number(tx: &mut SqliteConnection, kind: &Kind) -> Result<i64, StoreError> {
    let keys = sqlx::query("SELECT key FROM records WHERE kind = $1")
        .bind(kind.name)
        .fetch_all(&mut *tx)
        .await?;
    let max = keys
        .iter()
        .filter_map(|r| r.get::<String, _>(0).parse::<i64>().ok())
        .max()
        .unwrap_or(0);
    // Numbers of removed records are not reused: the history keeps naming them.
    let logged = sqlx::query("SELECT record_key FROM changes WHERE record_kind = $1")
        .bind(kind.name)
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .filter_map(|r| r.get::<String, _>(0).parse::<i64>().ok())
        .max()
        .unwrap_or(0);
    Ok(max.max(logged) + 1)
}

async fn next_position(tx: &mut SqliteConnection, kind: &Kind) -> Result<i64, StoreError> {
    let row = sqlx::query("SELECT COALESCE(MAX(position), 0) + 1 FROM records WHERE kind = $1")
        .bind(kind.name)
        .fetch_one(&mut *tx)
        .await?;
    Ok(row.get(0))
}

/// The fields of a record at an earlier version: the current ones with every later change's
/// old values put back.
async fn fields_at(
    tx: &mut SqliteConnection,
    kind: &Kind,
    key: &str,
    version: i64,
    current: Option<&Record>,
) -> Result<Option<BTreeMap<String, String>>, StoreError> {
    let mut fields = current.map(|r| r.fields.clone()).unwrap_or_default();
    let rows = sqlx::query(
        "SELECT f.field, f.old FROM changes c JOIN change_fields f ON f.change_id = c.id \
         WHERE c.record_kind = $1 AND c.record_key = $2 AND c.version > $3 ORDER BY c.id DESC",
    )
    .bind(kind.name)
    .bind(key)
    .bind(version)
    .fetch_all(&mut *tx)
    .await?;
    // A version after a removal restarts at 1: only changes since the last removal count.
    for r in rows {
        let field: String = r.get(0);
        match r.get::<Option<String>, _>(1) {
            Some(v) => fields.insert(field, v),
            None => fields.remove(&field),
        };
    }
    Ok((!fields.is_empty()).then_some(fields))
}

/// The fields after undoing change `id`: each field it set back to its old value, refused if
/// any of them has been changed since.
async fn revert_fields(
    tx: &mut SqliteConnection,
    kind: &Kind,
    key: &str,
    id: i64,
    current: Option<&Record>,
) -> Result<Option<BTreeMap<String, String>>, EditError> {
    let change = sqlx::query("SELECT record_kind, record_key FROM changes WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
    match change {
        Some(r) if r.get::<String, _>(0) == kind.name && r.get::<String, _>(1) == key => {}
        _ => return Err(EditError::NotFound(format!("ändring {id}"))),
    }
    let rows = sqlx::query("SELECT field, old, new FROM change_fields WHERE change_id = $1")
        .bind(id)
        .fetch_all(&mut *tx)
        .await?;
    let mut fields = current.map(|r| r.fields.clone());
    let mut changed_since = false;
    for r in rows {
        let field: String = r.get(0);
        let (old, new): (Option<String>, Option<String>) = (r.get(1), r.get(2));
        if fields.as_ref().and_then(|f| f.get(&field)) != new.as_ref() {
            changed_since = true;
        }
        match (old, &mut fields) {
            (Some(v), Some(f)) => {
                f.insert(field, v);
            }
            (Some(v), None) => {
                fields = Some(BTreeMap::from([(field, v)]));
            }
            (None, Some(f)) => {
                f.remove(&field);
            }
            (None, None) => {}
        }
    }
    if changed_since {
        return Err(EditError::Conflict {
            kind: kind.name,
            key: key.to_string(),
            base: None,
            current: current.cloned(),
            original: None,
        });
    }
    Ok(fields.filter(|f| !f.is_empty()))
}
