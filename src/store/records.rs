//! Records: the rows of the data files as the store keeps them, one kind per file, and the
//! files written back from them (for validation, for the snapshot, for `export-data`).

use std::collections::{BTreeMap, HashMap};
use std::io;

use sqlx::{Row, SqliteConnection};

use super::{StoreError, boundaries_file};
use crate::dataset::{self, Dataset};
use crate::inventory::source::Source;
use crate::problem::Problem;

/// A kind of record: one data file, its key, and which column says whose it is.
#[derive(Debug, PartialEq, Eq)]
pub struct Kind {
    /// The data file's name (`offerings` for offerings.csv) and the record kind in history.
    pub name: &'static str,
    /// Singular, in Swedish, for pages and the history.
    pub label: &'static str,
    /// Columns that make the key, joined by `/`; empty: records are numbered.
    pub key: &'static [&'static str],
    /// The column naming the kommun a record belongs to; None: region-wide (samordnare only).
    pub kommun: Option<&'static str>,
    /// The column of the date last confirmed (set to today by a change unless given).
    pub confirmed: Option<&'static str>,
    /// The column of the record's source.
    pub source: &'static str,
}

pub static SOURCES: Kind = Kind {
    name: "sources",
    label: "källa",
    key: &["id"],
    kommun: None,
    confirmed: None,
    // A row of the sources table is its own citation: what the history logs as its source is
    // its address (or, for a document that is not public, its title).
    source: "url",
};
pub static PROGRAMMES: Kind = Kind {
    name: "programmes",
    label: "program",
    key: &["slug"],
    kommun: None,
    confirmed: Some("last_confirmed"),
    source: "source_url",
};
pub static ROUNDS: Kind = Kind {
    name: "rounds",
    label: "omgång",
    key: &["id"],
    kommun: None,
    confirmed: None,
    source: "source",
};
pub static DOCUMENTS: Kind = Kind {
    name: "documents",
    label: "dokument",
    key: &["slug"],
    kommun: None,
    confirmed: None,
    source: "source",
};
pub static OFFERINGS: Kind = Kind {
    name: "offerings",
    label: "programsvar",
    key: &["kommun", "programme", "round"],
    kommun: Some("kommun"),
    confirmed: Some("last_confirmed"),
    source: "source",
};
pub static CONTACTS: Kind = Kind {
    name: "contacts",
    label: "kontakt",
    key: &[],
    kommun: Some("kommun"),
    confirmed: Some("last_confirmed"),
    source: "source",
};
pub static SAMBU: Kind = Kind {
    name: "sambu",
    label: "SAMBU",
    key: &["kommun"],
    kommun: Some("kommun"),
    confirmed: Some("last_confirmed"),
    source: "source",
};
pub static PARTSSAMVERKAN: Kind = Kind {
    name: "partssamverkan",
    label: "partssamverkan",
    key: &["kommun"],
    kommun: Some("kommun"),
    confirmed: Some("last_confirmed"),
    source: "source",
};
pub static ADHERENCE: Kind = Kind {
    name: "adherence",
    label: "följsamhet",
    key: &["document", "kommun"],
    kommun: Some("kommun"),
    confirmed: Some("date"),
    source: "source",
};
pub static TRAININGS: Kind = Kind {
    name: "trainings",
    label: "utbildning",
    key: &[],
    kommun: Some("kommun"),
    confirmed: Some("last_confirmed"),
    source: "source",
};
pub static OTHER_SUPPORT: Kind = Kind {
    name: "other_support",
    label: "annat föräldraskapsstöd",
    key: &[],
    kommun: Some("kommun"),
    confirmed: Some("last_confirmed"),
    source: "source",
};
pub static REGION_FACTS: Kind = Kind {
    name: "region_facts",
    label: "regionuppgift",
    key: &[],
    kommun: None,
    confirmed: Some("last_confirmed"),
    source: "source",
};

/// Every kind, in the order the data files are read.
pub static KINDS: [&Kind; 12] = [
    &SOURCES,
    &PROGRAMMES,
    &ROUNDS,
    &DOCUMENTS,
    &OFFERINGS,
    &CONTACTS,
    &SAMBU,
    &PARTSSAMVERKAN,
    &ADHERENCE,
    &TRAININGS,
    &REGION_FACTS,
    &OTHER_SUPPORT,
];

/// The kind of a data file (None: kept verbatim, like the kommun code list).
pub fn kind(name: &str) -> Option<&'static Kind> {
    KINDS.iter().copied().find(|k| k.name == name)
}

impl Kind {
    /// A record's key from its fields (None for numbered kinds).
    pub fn key_of(&self, fields: &BTreeMap<String, String>) -> Option<String> {
        if self.key.is_empty() {
            return None;
        }
        let parts: Vec<&str> = self
            .key
            .iter()
            .map(|c| fields.get(*c).map_or("", |v| v.trim()))
            .collect();
        Some(parts.join("/"))
    }

    pub fn kommun_of<'f>(&self, fields: &'f BTreeMap<String, String>) -> Option<&'f str> {
        self.kommun.map(|c| fields.get(c).map_or("", |v| v.trim()))
    }
}

/// One stored record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub kind: &'static Kind,
    pub key: String,
    pub kommun: Option<String>,
    pub position: i64,
    pub fields: BTreeMap<String, String>,
    pub version: i64,
}

impl Record {
    pub fn field(&self, name: &str) -> &str {
        self.fields.get(name).map_or("", String::as_str)
    }

    pub(crate) fn from_row(row: &sqlx::sqlite::SqliteRow) -> Result<Record, StoreError> {
        let name: String = row.get("kind");
        let kind = kind(&name).ok_or_else(|| StoreError(format!("okänd posttyp {name}")))?;
        let fields: String = row.get("fields");
        Ok(Record {
            kind,
            key: row.get("key"),
            kommun: row.get("kommun"),
            position: row.get("position"),
            fields: serde_json::from_str(&fields).map_err(|e| {
                StoreError(format!(
                    "trasig post {name}/{}: {e}",
                    row.get::<String, _>("key")
                ))
            })?,
            version: row.get("version"),
        })
    }
}

pub(crate) const RECORD_COLUMNS: &str = "kind, key, kommun, position, fields, version";

/// Reads one record.
pub async fn get(
    conn: &mut SqliteConnection,
    kind: &'static Kind,
    key: &str,
) -> Result<Option<Record>, StoreError> {
    let row = sqlx::query(&format!(
        "SELECT {RECORD_COLUMNS} FROM records WHERE kind = $1 AND key = $2"
    ))
    .bind(kind.name)
    .bind(key)
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(Record::from_row).transpose()
}

/// Every record of a kind, in file order.
pub async fn all(
    conn: &mut SqliteConnection,
    kind: &'static Kind,
) -> Result<Vec<Record>, StoreError> {
    let rows = sqlx::query(&format!(
        "SELECT {RECORD_COLUMNS} FROM records WHERE kind = $1 ORDER BY position"
    ))
    .bind(kind.name)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(Record::from_row).collect()
}

/// The header row of a kind's file, as seeded.
pub(crate) async fn header(
    conn: &mut SqliteConnection,
    kind: &'static Kind,
) -> Result<Vec<String>, StoreError> {
    let row = sqlx::query("SELECT header FROM record_tables WHERE name = $1")
        .bind(kind.name)
        .fetch_optional(&mut *conn)
        .await?;
    match row {
        Some(r) => serde_json::from_str(&r.get::<String, _>(0))
            .map_err(|e| StoreError(format!("trasig rubrik för {}: {e}", kind.name))),
        None => Ok(Vec::new()),
    }
}

/// Columns a data file gained after stores were seeded from it, per kind: a store seeded
/// before has them appended to its header (its records then have them empty, which each
/// column's reader takes for its old meaning: an empty round `status` is closed).
const ADDED_COLUMNS: &[(&Kind, &str)] = &[
    (&ROUNDS, "status"),
    (&PROGRAMMES, "description_en"),
    // A contact's address and point (issue 13): empty is "none given".
    (&CONTACTS, "address"),
    (&CONTACTS, "lat"),
    (&CONTACTS, "lon"),
];

/// Appends the [`ADDED_COLUMNS`] a seeded store's headers lack; run on every open, so it does
/// nothing once done. The header is rewritten in Rust, not with SQL JSON functions, for
/// PostgreSQL later.
pub(crate) async fn add_columns(pool: &sqlx::SqlitePool) -> Result<(), StoreError> {
    for (kind, column) in ADDED_COLUMNS {
        let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
        let mut header = header(&mut tx, kind).await?;
        if header.is_empty() || header.iter().any(|h| h == column) {
            continue;
        }
        header.push(column.to_string());
        sqlx::query("UPDATE record_tables SET header = $1 WHERE name = $2")
            .bind(serde_json::to_string(&header).expect("strings serialise"))
            .bind(kind.name)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
    }
    Ok(())
}

/// Stores a data file's rows as records, in file order.
pub(crate) async fn seed_table(
    conn: &mut SqliteConnection,
    kind: &'static Kind,
    text: &str,
) -> Result<(), StoreError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| StoreError(format!("{}.csv: {e}", kind.name)))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    sqlx::query("INSERT INTO record_tables (name, header) VALUES ($1, $2)")
        .bind(kind.name)
        .bind(serde_json::to_string(&header).expect("strings serialise"))
        .execute(&mut *conn)
        .await?;
    for (i, row) in reader.records().enumerate() {
        let row = row.map_err(|e| StoreError(format!("{}.csv: {e}", kind.name)))?;
        let fields: BTreeMap<String, String> = header
            .iter()
            .cloned()
            .zip(row.iter().map(str::to_string))
            .collect();
        let position = i as i64 + 1;
        let key = kind.key_of(&fields).unwrap_or_else(|| position.to_string());
        insert(conn, kind, &key, position, &fields, 1).await?;
    }
    Ok(())
}

pub(crate) async fn insert(
    conn: &mut SqliteConnection,
    kind: &'static Kind,
    key: &str,
    position: i64,
    fields: &BTreeMap<String, String>,
    version: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO records (kind, key, kommun, position, fields, version) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(kind.name)
    .bind(key)
    .bind(kind.kommun_of(fields))
    .bind(position)
    .bind(serde_json::to_string(fields).expect("strings serialise"))
    .bind(version)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The store's data files, as text, with where each record stands in its file.
#[derive(Debug, Clone)]
pub struct StoreFiles {
    /// files-table rows: dataset.toml, kommunkoder.csv, regions/<id>.geojson.
    pub verbatim: HashMap<String, String>,
    /// Data files written from records: name → (header, CSV text).
    pub tables: HashMap<&'static str, (Vec<String>, String)>,
    /// (kind, key) → line of the record in its file (1-based; the header is line 1).
    pub lines: HashMap<(&'static str, String), usize>,
}

impl StoreFiles {
    /// Reads the files; without `boundaries`, the regions' boundary files (megabytes that no
    /// edit changes) are left out, and a source of them answers that they are missing.
    pub(crate) async fn read(
        conn: &mut SqliteConnection,
        boundaries: bool,
    ) -> Result<StoreFiles, StoreError> {
        let sql = if boundaries {
            "SELECT name, content FROM files"
        } else {
            "SELECT name, content FROM files WHERE name NOT LIKE 'regions/%'"
        };
        let verbatim = sqlx::query(sql)
            .fetch_all(&mut *conn)
            .await?
            .into_iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect();
        let headers: HashMap<String, String> =
            sqlx::query("SELECT name, header FROM record_tables")
                .fetch_all(&mut *conn)
                .await?
                .into_iter()
                .map(|r| (r.get(0), r.get(1)))
                .collect();
        let mut files = StoreFiles {
            verbatim,
            tables: HashMap::new(),
            lines: HashMap::new(),
        };
        // Every record in one query (a query costs more than a few rows).
        let rows = sqlx::query(&format!(
            "SELECT {RECORD_COLUMNS} FROM records ORDER BY kind, position"
        ))
        .fetch_all(&mut *conn)
        .await?;
        let mut by_kind: HashMap<&'static str, Vec<Record>> = HashMap::new();
        for row in &rows {
            let r = Record::from_row(row)?;
            by_kind.entry(r.kind.name).or_default().push(r);
        }
        for kind in KINDS {
            let Some(header) = headers.get(kind.name) else {
                continue;
            };
            let header: Vec<String> = serde_json::from_str(header)
                .map_err(|e| StoreError(format!("trasig rubrik för {}: {e}", kind.name)))?;
            let records = by_kind.remove(kind.name).unwrap_or_default();
            files.write_table(kind, header, &records);
        }
        Ok(files)
    }

    /// Reads the tables of `kinds` again (after they changed in this transaction); the others
    /// are as they were.
    pub(crate) async fn refresh(
        &mut self,
        conn: &mut SqliteConnection,
        kinds: &[&'static Kind],
    ) -> Result<(), StoreError> {
        for kind in kinds {
            let Some((header, _)) = self.tables.get(kind.name) else {
                continue;
            };
            let header = header.clone();
            self.lines.retain(|(k, _), _| *k != kind.name);
            let records = all(conn, kind).await?;
            self.write_table(kind, header, &records);
        }
        Ok(())
    }

    /// Writes a table as its CSV file would be (minimal quoting, LF), noting each record's line.
    pub(crate) fn write_table(
        &mut self,
        kind: &'static Kind,
        header: Vec<String>,
        records: &[Record],
    ) {
        let mut out = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(Vec::new());
        out.write_record(&header).expect("writes to memory");
        out.flush().expect("writes to memory");
        let mut line = 2;
        let mut text_len = out.get_ref().len();
        for r in records {
            out.write_record(header.iter().map(|h| r.field(h)))
                .expect("writes to memory");
            out.flush().expect("writes to memory");
            self.lines.insert((kind.name, r.key.clone()), line);
            let written = out.get_ref();
            line += written[text_len..].iter().filter(|b| **b == b'\n').count();
            text_len = written.len();
        }
        let bytes = out.into_inner().expect("writes to memory");
        let text = String::from_utf8(bytes).expect("records are UTF-8");
        self.tables.insert(kind.name, (header, text));
    }

    /// The header of a record kind's file.
    pub fn header(&self, kind: &Kind) -> &[String] {
        self.tables.get(kind.name).map_or(&[], |t| t.0.as_slice())
    }

    /// A data file as text, for `export-data`.
    pub fn text(&self, name: &str) -> Option<&str> {
        match kind(name) {
            Some(k) => self.tables.get(k.name).map(|t| t.1.as_str()),
            None => self
                .verbatim
                .get(&format!("{name}.csv"))
                .map(String::as_str),
        }
    }
}

impl Source for StoreFiles {
    fn dataset(&self, region: Option<&str>) -> Result<Dataset, Problem> {
        let text = self
            .verbatim
            .get(dataset::FILE)
            .ok_or_else(|| Problem::file(dataset::FILE, "saknas i lagret"))?;
        Dataset::parse(std::path::Path::new("."), dataset::FILE, text, region)
    }

    fn shown(&self, _: &Dataset, name: &str) -> String {
        format!("{name}.csv")
    }

    fn file(&self, _: &Dataset, name: &str) -> io::Result<Vec<u8>> {
        self.text(name)
            .map(|t| t.as_bytes().to_vec())
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "saknas i lagret"))
    }

    fn boundaries(&self, dataset: &Dataset) -> (String, io::Result<String>) {
        let name = boundaries_file(&dataset.region_id);
        let text = self
            .verbatim
            .get(&name)
            .cloned()
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "saknas i lagret"));
        (name, text)
    }
}
