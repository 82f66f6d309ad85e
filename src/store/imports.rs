//! Uploaded import files and saved column profiles, and the edits that undo a whole changeset.
//! An import's file is kept as uploaded, so its preview and its apply read the same bytes.

use std::collections::BTreeMap;

use sqlx::Row;

use super::edit::{Action, Edit};
use super::{Store, StoreError, kind};
use crate::import::columns::Target;
use crate::import::{Settings, Shape};

/// An uploaded file and what the coordinator chose for it.
#[derive(Debug, Clone)]
pub struct Upload {
    pub id: i64,
    pub at: i64,
    pub account_id: i64,
    pub file_name: String,
    pub content: Vec<u8>,
    pub shape: Shape,
    pub settings: Settings,
    pub changeset: Option<i64>,
}

/// A saved column mapping.
#[derive(Debug, Clone)]
pub struct Profile {
    pub name: String,
    pub shape: Shape,
    pub mapping: BTreeMap<String, Target>,
}

fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).expect("plain values serialise")
}

impl Store {
    /// The answers of one round, by key: what an import is compared with.
    pub async fn answers(
        &self,
        round: &str,
    ) -> Result<std::collections::HashMap<String, super::Record>, StoreError> {
        Ok(self
            .records(&super::OFFERINGS)
            .await?
            .into_iter()
            .filter(|r| r.field("round") == round)
            .map(|r| (r.key.clone(), r))
            .collect())
    }

    pub async fn add_upload(
        &self,
        account_id: i64,
        file_name: &str,
        content: &[u8],
        shape: Shape,
        settings: &Settings,
    ) -> Result<i64, StoreError> {
        let mut tx = self.begin().await?;
        let id: i64 = sqlx::query("SELECT COALESCE(MAX(id), 0) + 1 FROM imports")
            .fetch_one(&mut *tx)
            .await?
            .get(0);
        sqlx::query(
            "INSERT INTO imports (id, at, account_id, file_name, content, shape, settings) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(id)
        .bind(crate::dates::now_seconds())
        .bind(account_id)
        .bind(file_name)
        .bind(content)
        .bind(shape.code())
        .bind(json(settings))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn upload(&self, id: i64) -> Result<Option<Upload>, StoreError> {
        let row = sqlx::query(
            "SELECT id, at, account_id, file_name, content, shape, settings, changeset_id \
             FROM imports WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(self.pool())
        .await?;
        let Some(r) = row else { return Ok(None) };
        let shape: String = r.get("shape");
        let settings: String = r.get("settings");
        Ok(Some(Upload {
            id: r.get("id"),
            at: r.get("at"),
            account_id: r.get("account_id"),
            file_name: r.get("file_name"),
            content: r.get("content"),
            shape: Shape::parse(&shape)
                .ok_or_else(|| StoreError(format!("import {id}: okänd filtyp {shape}")))?,
            settings: serde_json::from_str(&settings)
                .map_err(|e| StoreError(format!("import {id}: trasiga inställningar: {e}")))?,
            changeset: r.get("changeset_id"),
        }))
    }

    /// New choices for an upload not yet applied.
    pub async fn set_upload_settings(
        &self,
        id: i64,
        settings: &Settings,
    ) -> Result<(), StoreError> {
        sqlx::query("UPDATE imports SET settings = $1 WHERE id = $2 AND changeset_id IS NULL")
            .bind(json(settings))
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Notes the changeset an upload was applied as; false if it already was (a second apply of
    /// the same upload is refused).
    pub async fn mark_applied(&self, id: i64, changeset: i64) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE imports SET changeset_id = $1 WHERE id = $2 AND changeset_id IS NULL",
        )
        .bind(changeset)
        .bind(id)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// The upload a changeset was applied from, if any.
    pub async fn upload_of(&self, changeset: i64) -> Result<Option<i64>, StoreError> {
        Ok(
            sqlx::query("SELECT id FROM imports WHERE changeset_id = $1")
                .bind(changeset)
                .fetch_optional(self.pool())
                .await?
                .map(|r| r.get(0)),
        )
    }

    /// Of the changesets given, those applied from an upload: changeset → upload.
    pub async fn uploads_of(
        &self,
        changesets: &[i64],
    ) -> Result<std::collections::HashMap<i64, i64>, StoreError> {
        let mut ids: Vec<i64> = changesets.to_vec();
        ids.sort_unstable();
        ids.dedup();
        if ids.is_empty() {
            return Ok(Default::default());
        }
        let marks: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT changeset_id, id FROM imports WHERE changeset_id IN ({})",
            marks.join(", ")
        );
        let mut q = sqlx::query(&sql);
        for id in &ids {
            q = q.bind(id);
        }
        Ok(q.fetch_all(self.pool())
            .await?
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect())
    }

    pub async fn save_profile(
        &self,
        name: &str,
        shape: Shape,
        mapping: &BTreeMap<String, Target>,
        account_id: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO import_profiles (name, shape, mapping, account_id, at) \
             VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (name) DO UPDATE SET shape = excluded.shape, \
             mapping = excluded.mapping, account_id = excluded.account_id, at = excluded.at",
        )
        .bind(name)
        .bind(shape.code())
        .bind(json(mapping))
        .bind(account_id)
        .bind(crate::dates::now_seconds())
        .execute(self.pool())
        .await?;
        Ok(())
    }

    pub async fn profiles(&self) -> Result<Vec<Profile>, StoreError> {
        let rows = sqlx::query("SELECT name, shape, mapping FROM import_profiles ORDER BY name")
            .fetch_all(self.pool())
            .await?;
        rows.iter()
            .map(|r| {
                let name: String = r.get(0);
                let shape: String = r.get(1);
                let mapping: String = r.get(2);
                Ok(Profile {
                    shape: Shape::parse(&shape)
                        .ok_or_else(|| StoreError(format!("profil {name}: okänd filtyp")))?,
                    mapping: serde_json::from_str(&mapping)
                        .map_err(|e| StoreError(format!("profil {name}: {e}")))?,
                    name,
                })
            })
            .collect()
    }

    /// The edits that undo changeset `id` in one step: each of its changes reverted, the last
    /// first. Applied as a changeset with `undoes: Some(id)`, which refuses a second undo.
    pub async fn undo_edits(&self, id: i64) -> Result<Vec<Edit>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, record_kind, record_key FROM changes WHERE changeset_id = $1 ORDER BY id DESC",
        )
        .bind(id)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                let name: String = r.get(1);
                let kind =
                    kind(&name).ok_or_else(|| StoreError(format!("okänd posttyp {name}")))?;
                Ok(Edit::new(
                    kind,
                    Some(r.get(2)),
                    None,
                    Action::Revert(r.get(0)),
                ))
            })
            .collect()
    }

    /// The changeset that undid changeset `id`, if any.
    pub async fn undone_by(&self, id: i64) -> Result<Option<i64>, StoreError> {
        Ok(
            sqlx::query("SELECT undone_by FROM changesets WHERE id = $1")
                .bind(id)
                .fetch_optional(self.pool())
                .await?
                .and_then(|r| r.get(0)),
        )
    }
}
