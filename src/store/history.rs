//! Reading the change log: one change by its id, or the changes matching a filter, each with its
//! fields old → new. (Written only by [`Store::apply`], in the change's own transaction.)

use std::collections::BTreeSet;

use sqlx::Row;

use super::{Store, StoreError};

/// One logged change of one record.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Change {
    pub id: i64,
    pub changeset: i64,
    /// Unix seconds.
    pub at: i64,
    pub account_id: Option<i64>,
    /// Who, as they were named at the time (their e-mail address).
    pub actor: String,
    /// The record: its kind (`offerings`, …) and key.
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
    /// Each field the change touched, by name.
    pub fields: Vec<FieldChange>,
}

/// A field before and after a change (None: the record did not exist / was removed).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldChange {
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// Which changes to list. Empty: all of them, oldest first.
#[derive(Debug, Clone, Default)]
pub struct HistoryFilter {
    /// Only changes of records of these kommuner (a redaktör's scope); region-wide records have
    /// none and are left out. None: no such limit.
    pub within: Option<BTreeSet<String>>,
    pub kommun: Option<String>,
    pub kind: Option<String>,
    pub key: Option<String>,
    pub account: Option<i64>,
    /// Unix seconds, inclusive.
    pub since: Option<i64>,
    /// Unix seconds, exclusive.
    pub until: Option<i64>,
    /// Only changes with a larger id (for reading on from where one stopped).
    pub after: Option<i64>,
    pub newest_first: bool,
    /// At most this many (None: all).
    pub limit: Option<i64>,
}

const CHANGE_COLUMNS: &str = "c.id, c.changeset_id, c.at, c.account_id, c.actor, c.record_kind, \
    c.record_key, c.kommun, c.action, c.source, c.comment, c.reverts, c.version";

impl Store {
    /// One change, with its fields.
    pub async fn change(&self, id: i64) -> Result<Option<Change>, StoreError> {
        let filter = HistoryFilter {
            after: Some(id - 1),
            limit: Some(1),
            ..HistoryFilter::default()
        };
        Ok(self.history(&filter).await?.pop().filter(|c| c.id == id))
    }

    /// The changes matching `filter`, each with its fields (in one query, so a change is never
    /// listed without its fields).
    pub async fn history(&self, filter: &HistoryFilter) -> Result<Vec<Change>, StoreError> {
        let mut conditions: Vec<String> = Vec::new();
        let mut texts: Vec<String> = Vec::new();
        let mut numbers: Vec<i64> = Vec::new();
        // Placeholders are numbered in the order bound: texts first, then numbers.
        let mut text = |value: &str, conditions: &mut Vec<String>, column: &str| {
            texts.push(value.to_string());
            conditions.push(format!("c.{column} = ${}", texts.len()));
        };
        if let Some(k) = &filter.kommun {
            text(k, &mut conditions, "kommun");
        }
        if let Some(k) = &filter.kind {
            text(k, &mut conditions, "record_kind");
        }
        if let Some(k) = &filter.key {
            text(k, &mut conditions, "record_key");
        }
        if let Some(set) = &filter.within {
            if set.is_empty() {
                return Ok(Vec::new());
            }
            let mut list = Vec::new();
            for k in set {
                texts.push(k.clone());
                list.push(format!("${}", texts.len()));
            }
            conditions.push(format!("c.kommun IN ({})", list.join(", ")));
        }
        let base = texts.len();
        for (value, condition) in [
            (filter.account, "c.account_id ="),
            (filter.since, "c.at >="),
            (filter.until, "c.at <"),
            (filter.after, "c.id >"),
        ] {
            if let Some(v) = value {
                numbers.push(v);
                conditions.push(format!("{condition} ${}", base + numbers.len()));
            }
        }
        let order = if filter.newest_first { "DESC" } else { "ASC" };
        let limit = filter
            .limit
            .map(|n| format!(" LIMIT {}", n.max(0)))
            .unwrap_or_default();
        let conditions = if conditions.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", conditions.join(" AND "))
        };
        let sql = format!(
            "SELECT {CHANGE_COLUMNS}, f.field, f.old, f.new FROM changes c \
             LEFT JOIN change_fields f ON f.change_id = c.id \
             WHERE c.id IN (SELECT c.id FROM changes c{conditions} ORDER BY c.id {order}{limit}) \
             ORDER BY c.id {order}, f.field"
        );
        let mut query = sqlx::query(&sql);
        for t in &texts {
            query = query.bind(t);
        }
        for n in &numbers {
            query = query.bind(n);
        }
        let rows = query.fetch_all(self.pool()).await?;
        let mut out: Vec<Change> = Vec::new();
        for r in rows {
            let id: i64 = r.get(0);
            if out.last().is_none_or(|c| c.id != id) {
                out.push(Change {
                    id,
                    changeset: r.get(1),
                    at: r.get(2),
                    account_id: r.get(3),
                    actor: r.get(4),
                    kind: r.get(5),
                    key: r.get(6),
                    kommun: r.get(7),
                    action: r.get(8),
                    source: r.get(9),
                    comment: r.get(10),
                    reverts: r.get(11),
                    version: r.get(12),
                    fields: Vec::new(),
                });
            }
            if let Some(field) = r.get::<Option<String>, _>(13) {
                let change = out.last_mut().expect("pushed above");
                change.fields.push(FieldChange {
                    field,
                    old: r.get(14),
                    new: r.get(15),
                });
            }
        }
        Ok(out)
    }
}
