//! The store: the data set's records with their versions, the change log, accounts and
//! sessions, visitors' reports, in one SQLite file (WAL, `synchronous=FULL`: an acknowledged
//! write survives a crash). Seeded from a data directory on first start; from then on the source
//! of truth, and the snapshot is built from it. Queries are written with `$N` placeholders in SQL
//! that PostgreSQL reads too.

mod edit;
pub mod export;
mod imports;
pub mod log;
mod records;
pub mod reports;
mod upgrade;

pub use edit::{Action, Applied, Changeset, Edit, EditError, FieldProblem, Scope};
pub use imports::{Profile, Upload};
pub use log::{Change, FieldChange, HistoryFilter};
pub use records::{
    ADHERENCE, CONTACTS, DOCUMENTS, KINDS, Kind, OFFERINGS, OTHER_SUPPORT, PARTSSAMVERKAN,
    PROGRAMMES, REGION_FACTS, ROUNDS, Record, SAMBU, SOURCES, StoreFiles, TRAININGS, kind,
};
pub use upgrade::Upgraded;

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Row, SqlitePool};

use crate::dataset::DATA_FILES;
use crate::inventory::source::{Directory, Source};

/// The database file in the state directory.
pub const FILE: &str = "skaraborgskartan.sqlite";

static MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// An error of the store itself (I/O, a locked or corrupt file), in Swedish.
#[derive(Debug, thiserror::Error)]
#[error("lagret: {0}")]
pub struct StoreError(pub String);

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        StoreError(e.to_string())
    }
}

impl From<sqlx::migrate::MigrateError> for StoreError {
    fn from(e: sqlx::migrate::MigrateError) -> Self {
        StoreError(format!("migrering: {e}"))
    }
}

pub struct Store {
    pool: SqlitePool,
    path: PathBuf,
    /// One writer of records at a time, from its transaction to the swapped snapshot, so
    /// snapshots are swapped in the order their changes were committed.
    pub(crate) writer: tokio::sync::Mutex<()>,
    /// The data files (without boundaries) as of a revision, as the last committed changeset
    /// left them: the next one re-reads only the tables it changes, when the store is still at
    /// that revision (every change of records bumps it in its own transaction).
    pub(crate) written: std::sync::Mutex<Option<(i64, StoreFiles)>>,
}

impl Store {
    /// Opens (creating if need be) the store in a state directory and brings its schema up to
    /// date.
    pub async fn open(dir: &Path) -> Result<Store, StoreError> {
        std::fs::create_dir_all(dir)
            .map_err(|e| StoreError(format!("kan inte skapa katalogen {}: {e}", dir.display())))?;
        let path = dir.join(FILE);
        Store::open_file(&path).await
    }

    pub async fn open_file(path: &Path) -> Result<Store, StoreError> {
        let options = SqliteConnectOptions::from_str("sqlite:")?
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await
            .map_err(|e| StoreError(format!("kan inte öppna {}: {e}", path.display())))?;
        MIGRATIONS.run(&pool).await?;
        records::add_columns(&pool).await?;
        Ok(Store {
            pool,
            path: path.to_path_buf(),
            writer: tokio::sync::Mutex::new(()),
            written: std::sync::Mutex::new(None),
        })
    }

    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A write transaction that holds the write lock from its start (`BEGIN IMMEDIATE`), so a
    /// read followed by a write never meets a change committed in between.
    pub async fn begin(&self) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, StoreError> {
        Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?)
    }

    pub async fn meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        let row = sqlx::query("SELECT value FROM meta WHERE key = $1")
            .bind(key)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| r.get(0)))
    }

    /// Whether the store holds a data set yet.
    pub async fn is_seeded(&self) -> Result<bool, StoreError> {
        Ok(self.meta("seeded_from").await?.is_some())
    }

    /// The revision: bumped by every committed change of records.
    pub async fn revision(&self) -> Result<i64, StoreError> {
        Ok(self
            .meta("revision")
            .await?
            .and_then(|v| v.parse().ok())
            .unwrap_or(0))
    }

    /// Fills an empty store from a data directory, which must pass validation for `region`.
    /// Every file the data set uses is copied: dataset.toml, the kommun list, each region's
    /// boundaries and every data file, so the store alone can rebuild the service.
    pub async fn seed(&self, dir: &Path, region: Option<&str>) -> Result<(), SeedError> {
        crate::inventory::load(dir, region).map_err(SeedError::Invalid)?;
        self.copy_in(dir, region).await
    }

    /// Fills an empty store from a data directory as [`Store::seed`] does, without validating
    /// it: for making a store as an older version left it (the upgrade's tests). Every data file
    /// the directory has is copied; one it lacks is left out, as a store seeded before that file
    /// existed.
    pub async fn copy_in(&self, dir: &Path, region: Option<&str>) -> Result<(), SeedError> {
        let source = Directory(dir);
        let dataset = source
            .dataset(region)
            .map_err(|p| SeedError::Invalid(vec![p]))?;
        let read = |path: PathBuf| {
            std::fs::read_to_string(&path)
                .map_err(|e| StoreError(format!("kan inte läsa {}: {e}", path.display())))
        };
        let mut tx = self.begin().await?;
        let toml = read(dir.join(crate::dataset::FILE))?;
        insert_file(&mut tx, crate::dataset::FILE, &toml).await?;
        for (id, region) in &dataset.config.regions {
            let text = read(dir.join(&region.boundaries))?;
            insert_file(&mut tx, &boundaries_file(id), &text).await?;
        }
        for name in DATA_FILES {
            if !dataset.file(name).exists() {
                continue;
            }
            let text = read(dataset.file(name))?;
            match records::kind(name) {
                None => insert_file(&mut tx, &format!("{name}.csv"), &text).await?,
                Some(kind) => records::seed_table(&mut tx, kind, &text).await?,
            }
        }
        let origin = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
        for (key, value) in [
            ("seeded_from", origin.display().to_string()),
            ("seeded_at", crate::dates::now_seconds().to_string()),
            ("revision", "1".to_string()),
        ] {
            sqlx::query("INSERT INTO meta (key, value) VALUES ($1, $2)")
                .bind(key)
                .bind(value)
                .execute(&mut *tx)
                .await
                .map_err(StoreError::from)?;
        }
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }

    /// Everything the inventory is built from, read in one transaction.
    pub async fn files(&self) -> Result<StoreFiles, StoreError> {
        let mut tx = self.pool.begin().await?;
        let files = StoreFiles::read(&mut tx, true).await?;
        tx.commit().await?;
        Ok(files)
    }

    /// An online copy of the whole store (history, accounts and sessions too), consistent as of
    /// one moment, to a new file.
    pub async fn backup(&self, to: &Path) -> Result<(), StoreError> {
        if to.exists() {
            return Err(StoreError(format!("{} finns redan", to.display())));
        }
        sqlx::query("VACUUM INTO $1")
            .bind(to.display().to_string())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Why a store could not be seeded.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("datan har problem")]
    Invalid(Vec<crate::problem::Problem>),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The `files` row holding a region's boundaries.
pub fn boundaries_file(region: &str) -> String {
    format!("regions/{region}.geojson")
}

async fn insert_file(
    tx: &mut sqlx::SqliteConnection,
    name: &str,
    content: &str,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO files (name, content) VALUES ($1, $2)")
        .bind(name)
        .bind(content)
        .execute(&mut *tx)
        .await?;
    Ok(())
}
