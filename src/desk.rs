//! The coordinator's desk, below HTTP: a changeset committed to the store, validated as the
//! data files are, and the snapshot rebuilt from the store and swapped in whole before the change
//! is acknowledged, so the next request sees it.

use std::sync::Arc;

use crate::AppState;
use crate::atlas::Atlas;
use crate::inventory;
use crate::store::{Changeset, EditError, Store, StoreError};

/// A committed changeset.
#[derive(Debug, Clone)]
pub struct Committed {
    pub changeset: i64,
    /// Per edit: the change's id in the history, the record's key, its new version (0: removed).
    pub changes: Vec<(i64, String, i64)>,
    pub revision: i64,
}

impl AppState {
    /// The store, when the service runs on one (tests may serve a bare snapshot).
    pub fn store(&self) -> Result<&Arc<Store>, StoreError> {
        self.store
            .as_ref()
            .ok_or_else(|| StoreError("tjänsten körs utan lager: inga ändringar kan sparas".into()))
    }

    /// Commits a changeset and serves the snapshot it makes. One writer at a time, so snapshots
    /// are swapped in the order their changes were committed.
    pub async fn commit(&self, changeset: Changeset) -> Result<Committed, EditError> {
        let store = self.store()?;
        let _writer = store.writer.lock().await;
        let current = self.atlas();
        let boundaries = current.inventory.boundaries.clone();
        let region = self.region.clone();
        let applied = store
            .apply(changeset, |files| {
                inventory::load_from(files, region.as_deref(), Some(boundaries))
            })
            .await?;
        self.swap(Atlas::on(current.geography.clone(), applied.inventory));
        Ok(Committed {
            changeset: applied.changeset,
            changes: applied.changes,
            revision: applied.revision,
        })
    }

    /// Rebuilds the snapshot from the store as it is now (after a restore, or on SIGHUP).
    pub async fn rebuild(&self) -> Result<(), Vec<crate::problem::Problem>> {
        let store = self
            .store()
            .map_err(|e| vec![crate::problem::Problem::file("lagret", e.to_string())])?;
        let _writer = store.writer.lock().await;
        let files = store
            .files()
            .await
            .map_err(|e| vec![crate::problem::Problem::file("lagret", e.to_string())])?;
        let current = self.atlas();
        let inventory = inventory::load_from(
            &files,
            self.region.as_deref(),
            Some(current.inventory.boundaries.clone()),
        )?;
        self.swap(Atlas::on(current.geography.clone(), inventory));
        Ok(())
    }
}
