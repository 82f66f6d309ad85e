//! Bringing a store seeded by an older version up to date when the service opens it:
//!
//! - a table the data files gained since (`sources.csv`, `other_support.csv`) is seeded from the
//!   data directory given at start, as a new store would be;
//! - when the sources table arrives, the sources the shipped data had before it (the internal
//!   labels `seed:003` / `seed:000`, and web addresses that now have a row) are rewritten to
//!   their ids, as one changeset in the history ("uppgradering"), validated like any edit.
//!
//! The rewrite is marked pending in the store's `meta` in the same transaction that seeds the
//! table, and the mark is removed once it is committed: a crash in between runs it again, and it
//! runs once, never over later edits. Answers in a closed round are frozen and keep their
//! address, which reads as the same citation (see [`crate::citation`]).

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use sqlx::Row;

use super::records::{self, KINDS, Kind, OFFERINGS, PROGRAMMES, ROUNDS, SOURCES};
use super::{Action, Changeset, Edit, EditError, Scope, Store, StoreError};
use crate::dataset::Dataset;
use crate::inventory::source::Source;
use crate::vocabulary::RoundStatus;

/// The meta key that marks the rewrite of old sources as still to do.
const PENDING: &str = "upgrade_sources";

/// Who the rewrite is logged as.
pub const ACTOR: &str = "uppgradering";

/// The project's seed documents by their old label, and their rows in the shipped sources.csv.
const SEED_DOCUMENTS: [(&str, &str); 2] = [
    ("seed:003", "vs-slutrapport-2024"),
    ("seed:000", "vs-aktivitetsplan-2023"),
];

/// What an upgrade did, for the start-up message.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Upgraded {
    /// The tables seeded from the data directory.
    pub tables: Vec<&'static str>,
    /// The changeset of rewritten sources, and how many records it changed.
    pub rewritten: Option<(i64, usize)>,
}

impl Store {
    /// Seeds the tables this store lacks from `dir` and rewrites the old sources (see the module
    /// doc); does nothing for a store that is up to date.
    pub async fn upgrade(&self, dir: &Path, region: Option<&str>) -> Result<Upgraded, String> {
        let mut done = Upgraded {
            tables: self
                .seed_missing(dir, region)
                .await
                .map_err(|e| e.to_string())?,
            rewritten: None,
        };
        if self
            .meta(PENDING)
            .await
            .map_err(|e| e.to_string())?
            .is_some()
        {
            done.rewritten = self.rewrite_sources(region).await?;
            sqlx::query("DELETE FROM meta WHERE key = $1")
                .bind(PENDING)
                .execute(self.pool())
                .await
                .map_err(|e| e.to_string())?;
        }
        Ok(done)
    }

    async fn seed_missing(
        &self,
        dir: &Path,
        region: Option<&str>,
    ) -> Result<Vec<&'static str>, StoreError> {
        let mut tx = self.begin().await?;
        let present: Vec<String> = sqlx::query("SELECT name FROM record_tables")
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .map(|r| r.get(0))
            .collect();
        let missing: Vec<&'static Kind> = KINDS
            .iter()
            .copied()
            .filter(|k| !present.iter().any(|p| p == k.name))
            .collect();
        if missing.is_empty() {
            return Ok(Vec::new());
        }
        let dataset = Dataset::open(dir, region).map_err(|p| StoreError(p.to_string()))?;
        for kind in &missing {
            let path = dataset.file(kind.name);
            let text = std::fs::read_to_string(&path)
                .map_err(|e| StoreError(format!("kan inte läsa {}: {e}", path.display())))?;
            records::seed_table(&mut tx, kind, &text).await?;
        }
        if missing.contains(&&SOURCES) {
            sqlx::query("INSERT INTO meta (key, value) VALUES ($1, 'pending')")
                .bind(PENDING)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(missing.iter().map(|k| k.name).collect())
    }

    /// The old sources rewritten to ids, one changeset (None when nothing needed it).
    async fn rewrite_sources(&self, region: Option<&str>) -> Result<Option<(i64, usize)>, String> {
        let by_url: HashMap<String, String> = self
            .records(&SOURCES)
            .await
            .map_err(|e| e.to_string())?
            .iter()
            .filter(|r| !r.field("url").is_empty())
            .map(|r| {
                (
                    r.field("url").trim_end_matches('/').to_string(),
                    r.key.clone(),
                )
            })
            .collect();
        let closed: Vec<String> = self
            .records(&ROUNDS)
            .await
            .map_err(|e| e.to_string())?
            .iter()
            .filter(|r| RoundStatus::parse(r.field("status").trim()) != Ok(RoundStatus::Open))
            .map(|r| r.key.clone())
            .collect();
        let mut edits = Vec::new();
        for kind in KINDS {
            // The catalogue keeps its programmes' addresses (source_url), which read as their rows.
            if [&SOURCES, &PROGRAMMES].contains(&kind) {
                continue;
            }
            for r in self.records(kind).await.map_err(|e| e.to_string())? {
                let frozen = *kind == OFFERINGS && closed.iter().any(|c| c == r.field("round"));
                let old = r.field(kind.source);
                let Some(new) = reference(old, &by_url) else {
                    continue;
                };
                if frozen && !old.contains("seed:") {
                    continue;
                }
                let mut e = Edit::new(kind, Some(r.key.clone()), Some(r.version), Action::Save);
                e.source = new;
                // The fact is not confirmed again: its date stays.
                e.confirmed = kind.confirmed.map(|c| r.field(c).to_string());
                edits.push(e);
            }
        }
        if edits.is_empty() {
            return Ok(None);
        }
        let n = edits.len();
        let mut set = Changeset::new(ACTOR, Scope::Region, "upgrade", edits);
        set.comment = "Källorna skrivs som id i källtabellen (sources.csv).".into();
        let files = self.files().await.map_err(|e| e.to_string())?;
        let boundaries = boundaries(&files, region)?;
        match self
            .apply(set, |f| {
                crate::inventory::load_from(f, region, Some(boundaries.clone()))
            })
            .await
        {
            Ok(applied) => Ok(Some((applied.changeset, n))),
            Err(EditError::Invalid { fields, problems }) => {
                let mut lines: Vec<String> = fields
                    .iter()
                    .map(|f| format!("{} {}: {}", f.record, f.field, f.message))
                    .collect();
                lines.extend(problems.iter().map(ToString::to_string));
                Err(format!(
                    "Lagrets källor kunde inte skrivas om till id i sources.csv:\n{}\n",
                    lines.join("\n")
                ))
            }
            Err(e) => Err(e.to_string()),
        }
    }
}

/// The region's boundaries from the store's files, for validating without a snapshot.
fn boundaries(
    files: &super::StoreFiles,
    region: Option<&str>,
) -> Result<Arc<Vec<crate::boundaries::Boundary>>, String> {
    let dataset = files.dataset(region).map_err(|p| p.to_string())?;
    let (name, text) = files.boundaries(&dataset);
    let text = text.map_err(|e| format!("{name}: {e}"))?;
    let (mut b, _, _) = crate::boundaries::parse_boundaries(&name, &text);
    b.sort_by(|x, y| x.code.cmp(&y.code));
    Ok(Arc::new(b))
}

/// An old source as a reference: the seed documents' labels as their ids (in the order they
/// are named), an address that has a row as that row's id; None: left as it is.
pub fn reference(old: &str, by_url: &HashMap<String, String>) -> Option<String> {
    if old.contains("seed:") {
        let mut found: Vec<(usize, &str)> = SEED_DOCUMENTS
            .iter()
            .filter_map(|(label, id)| old.find(label).map(|at| (at, *id)))
            .collect();
        found.sort();
        return (!found.is_empty()).then(|| {
            found
                .iter()
                .map(|(_, id)| *id)
                .collect::<Vec<_>>()
                .join(";")
        });
    }
    let url = old.trim();
    if url.contains(char::is_whitespace) {
        return None;
    }
    by_url.get(url.trim_end_matches('/')).cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_sources_become_references() {
        let by_url = HashMap::from([(
            "https://sla.se/skovde/artikel".to_string(),
            "sla-artikel".to_string(),
        )]);
        assert_eq!(
            reference("seed:003 och seed:000", &by_url).as_deref(),
            Some("vs-slutrapport-2024;vs-aktivitetsplan-2023")
        );
        assert_eq!(
            reference("seed:000 och seed:003", &by_url).as_deref(),
            Some("vs-aktivitetsplan-2023;vs-slutrapport-2024")
        );
        assert_eq!(
            reference("seed:003 (Slutrapport koordinator, 2024)", &by_url).as_deref(),
            Some("vs-slutrapport-2024")
        );
        assert_eq!(
            reference("https://sla.se/skovde/artikel/", &by_url).as_deref(),
            Some("sla-artikel")
        );
        assert_eq!(reference("https://annan.se/", &by_url), None);
        assert_eq!(reference("Kommunens svar 2024", &by_url), None);
        // An unknown seed label is left for the loader to refuse, with its place.
        assert_eq!(reference("seed:007", &by_url), None);
    }
}
