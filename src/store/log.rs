//! Reading the change log, for the history pages and the write API: changes filtered, a page at
//! a time (with how many there are in all and which later change undid each), one change, one
//! changeset, and who has made changes. The log itself is written by [`Store::apply`] in the
//! change's own transaction; nothing here writes.

use std::collections::{BTreeSet, HashMap};

use sqlx::Row;
use sqlx::sqlite::SqliteRow;

use super::{Store, StoreError};

/// One logged change of one record, with each field it touched.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Change {
    pub id: i64,
    pub changeset: i64,
    /// Unix seconds.
    pub at: i64,
    pub account_id: Option<i64>,
    pub actor: String,
    pub kind: String,
    pub key: String,
    pub kommun: Option<String>,
    /// save | confirm | remove | revert
    pub action: String,
    pub source: String,
    pub comment: String,
    /// For a revert: the change it undid.
    pub reverts: Option<i64>,
    /// The record's version after the change (0: removed).
    pub version: i64,
    /// Sorted by field name.
    pub fields: Vec<FieldChange>,
    /// A later change that undid this one.
    pub reverted_by: Option<i64>,
}

/// One field of a change: old → new (None: the record did not exist, or no longer does).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldChange {
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// Which changes to list. Every part is optional; `visible` is the reader's permission, not a
/// choice (None: the whole region).
#[derive(Debug, Clone, Default)]
pub struct HistoryFilter {
    /// Only changes of these kommuner (a redaktör's); region-wide changes are then left out.
    pub visible: Option<BTreeSet<String>>,
    pub kommun: Option<String>,
    pub account: Option<i64>,
    /// From this time on (Unix seconds, inclusive).
    pub from: Option<i64>,
    /// Before this time (Unix seconds, exclusive).
    pub until: Option<i64>,
    /// A record kind (`offerings`, `sambu`, …).
    pub kind: Option<String>,
    /// A record's key (with `kind`: one record).
    pub key: Option<String>,
    /// Only changes after this one (for reading on from where one stopped).
    pub after: Option<i64>,
    /// Newest first (the pages); else oldest first (reading the log in order).
    pub newest_first: bool,
}

/// A value bound to a placeholder of a query built from a filter.
enum Bind {
    Text(String),
    Int(i64),
}

impl HistoryFilter {
    /// The WHERE clause (with `$1…`) and the values for it.
    fn clause(&self) -> (String, Vec<Bind>) {
        let mut parts: Vec<String> = Vec::new();
        let mut binds: Vec<Bind> = Vec::new();
        let next = |b: Bind, binds: &mut Vec<Bind>| {
            binds.push(b);
            format!("${}", binds.len())
        };
        if let Some(set) = &self.visible {
            if set.is_empty() {
                parts.push("1 = 0".into());
            } else {
                let list: Vec<String> = set
                    .iter()
                    .map(|k| next(Bind::Text(k.clone()), &mut binds))
                    .collect();
                parts.push(format!("c.kommun IN ({})", list.join(", ")));
            }
        }
        if let Some(k) = &self.kommun {
            parts.push(format!(
                "c.kommun = {}",
                next(Bind::Text(k.clone()), &mut binds)
            ));
        }
        if let Some(a) = self.account {
            parts.push(format!("c.account_id = {}", next(Bind::Int(a), &mut binds)));
        }
        if let Some(t) = self.from {
            parts.push(format!("c.at >= {}", next(Bind::Int(t), &mut binds)));
        }
        if let Some(t) = self.until {
            parts.push(format!("c.at < {}", next(Bind::Int(t), &mut binds)));
        }
        if let Some(k) = &self.kind {
            parts.push(format!(
                "c.record_kind = {}",
                next(Bind::Text(k.clone()), &mut binds)
            ));
        }
        if let Some(k) = &self.key {
            parts.push(format!(
                "c.record_key = {}",
                next(Bind::Text(k.clone()), &mut binds)
            ));
        }
        if let Some(id) = self.after {
            parts.push(format!("c.id > {}", next(Bind::Int(id), &mut binds)));
        }
        let clause = if parts.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", parts.join(" AND "))
        };
        (clause, binds)
    }
}

const COLUMNS: &str = "c.id, c.changeset_id, c.at, c.account_id, c.actor, c.record_kind, \
    c.record_key, c.kommun, c.action, c.source, c.comment, c.reverts, c.version, \
    (SELECT MIN(r.id) FROM changes r WHERE r.reverts = c.id) AS reverted_by";

fn from_row(row: &SqliteRow) -> Change {
    Change {
        id: row.get("id"),
        changeset: row.get("changeset_id"),
        at: row.get("at"),
        account_id: row.get("account_id"),
        actor: row.get("actor"),
        kind: row.get("record_kind"),
        key: row.get("record_key"),
        kommun: row.get("kommun"),
        action: row.get("action"),
        source: row.get("source"),
        comment: row.get("comment"),
        reverts: row.get("reverts"),
        version: row.get("version"),
        fields: Vec::new(),
        reverted_by: row.get("reverted_by"),
    }
}

/// A page of the changes `filter` selects, in its order, and how many it selects in all.
pub async fn changes(
    store: &Store,
    filter: &HistoryFilter,
    limit: i64,
    offset: i64,
) -> Result<(Vec<Change>, i64), StoreError> {
    let (clause, binds) = filter.clause();
    let n = binds.len();
    let count_sql = format!("SELECT COUNT(*) FROM changes c {clause}");
    let list_sql = format!(
        "SELECT {COLUMNS} FROM changes c {clause} ORDER BY c.id {} LIMIT ${} OFFSET ${}",
        if filter.newest_first { "DESC" } else { "ASC" },
        n + 1,
        n + 2
    );
    let mut count = sqlx::query(&count_sql);
    let mut list = sqlx::query(&list_sql);
    for b in &binds {
        (count, list) = match b {
            Bind::Text(s) => (count.bind(s.clone()), list.bind(s.clone())),
            Bind::Int(i) => (count.bind(*i), list.bind(*i)),
        };
    }
    let mut tx = store.pool().begin().await?;
    let total: i64 = count.fetch_one(&mut *tx).await?.get(0);
    let rows = list.bind(limit).bind(offset).fetch_all(&mut *tx).await?;
    let mut changes: Vec<Change> = rows.iter().map(from_row).collect();
    with_fields(&mut tx, &mut changes).await?;
    tx.commit().await?;
    Ok((changes, total))
}

impl Store {
    /// Every change `filter` selects, in its order.
    pub async fn history(&self, filter: &HistoryFilter) -> Result<Vec<Change>, StoreError> {
        Ok(changes(self, filter, i64::MAX, 0).await?.0)
    }

    /// One change, with its fields.
    pub async fn change(&self, id: i64) -> Result<Option<Change>, StoreError> {
        change(self, id).await
    }
}

async fn change(store: &Store, id: i64) -> Result<Option<Change>, StoreError> {
    let mut tx = store.pool().begin().await?;
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM changes c WHERE c.id = $1"))
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
    let mut changes: Vec<Change> = row.iter().map(from_row).collect();
    with_fields(&mut tx, &mut changes).await?;
    tx.commit().await?;
    Ok(changes.pop())
}

/// The changes of one changeset, in the order they were made.
pub async fn changeset(store: &Store, id: i64) -> Result<Vec<Change>, StoreError> {
    let mut tx = store.pool().begin().await?;
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM changes c WHERE c.changeset_id = $1 ORDER BY c.id"
    ))
    .bind(id)
    .fetch_all(&mut *tx)
    .await?;
    let mut changes: Vec<Change> = rows.iter().map(from_row).collect();
    with_fields(&mut tx, &mut changes).await?;
    tx.commit().await?;
    Ok(changes)
}

/// Everyone who has made a change among those `visible` allows: (account, as shown), by name.
pub async fn actors(
    store: &Store,
    visible: Option<&BTreeSet<String>>,
) -> Result<Vec<(Option<i64>, String)>, StoreError> {
    let filter = HistoryFilter {
        visible: visible.cloned(),
        ..HistoryFilter::default()
    };
    let (clause, binds) = filter.clause();
    let sql = format!(
        "SELECT c.account_id, MAX(c.actor) AS actor FROM changes c {clause} \
             GROUP BY c.account_id ORDER BY actor"
    );
    let mut q = sqlx::query(&sql);
    for b in binds {
        q = match b {
            Bind::Text(s) => q.bind(s),
            Bind::Int(i) => q.bind(i),
        };
    }
    let rows = q.fetch_all(store.pool()).await?;
    Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
}

/// Fills in each change's fields (one query for all of them).
async fn with_fields(
    conn: &mut sqlx::SqliteConnection,
    changes: &mut [Change],
) -> Result<(), StoreError> {
    if changes.is_empty() {
        return Ok(());
    }
    let marks: Vec<String> = (1..=changes.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT change_id, field, old, new FROM change_fields WHERE change_id IN ({}) \
         ORDER BY change_id, field",
        marks.join(", ")
    );
    let mut q = sqlx::query(&sql);
    for c in changes.iter() {
        q = q.bind(c.id);
    }
    let mut by_change: HashMap<i64, Vec<FieldChange>> = HashMap::new();
    for r in q.fetch_all(&mut *conn).await? {
        by_change.entry(r.get(0)).or_default().push(FieldChange {
            field: r.get(1),
            old: r.get(2),
            new: r.get(3),
        });
    }
    for c in changes.iter_mut() {
        c.fields = by_change.remove(&c.id).unwrap_or_default();
    }
    Ok(())
}
