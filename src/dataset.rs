//! `dataset.toml`: what kind of data a directory holds and where its files are.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::problem::Problem;

pub const FILE: &str = "dataset.toml";

/// Real data (every record from a source) or invented example data, never mixed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Real,
    Example,
}

impl Kind {
    /// What is wrong with a record's source in a data set of this kind: example data must say
    /// so ("EXEMPEL…"), real data must not. `own`: the record is the example data set's own
    /// (an example set may take some files from the real data). None: nothing wrong.
    pub fn source_problem(self, source: &str, own: bool) -> Option<&'static str> {
        let marked = source.starts_with("EXEMPEL");
        match self {
            Kind::Real if marked => {
                Some("exempeldata i en verklig datamängd: källan börjar med ”EXEMPEL”")
            }
            Kind::Example if !marked && own => Some(
                "källan i exempeldata måste börja med ”EXEMPEL:” så att ingen tar den för verklig",
            ),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::Real => "verkliga uppgifter",
            Kind::Example => "EXEMPELDATA – påhittade uppgifter, inte verkliga",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegionConfig {
    pub name: String,
    pub boundaries: PathBuf,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatasetConfig {
    pub kind: Kind,
    pub title: String,
    pub default_region: String,
    pub attribution: String,
    pub regions: BTreeMap<String, RegionConfig>,
    #[serde(default)]
    pub files: BTreeMap<String, PathBuf>,
    /// Origins (scheme://host) whose pages may embed the service in a frame: the region's
    /// kommuner and bodies. Sent as CSP `frame-ancestors`, with the service's own origin.
    #[serde(default)]
    pub embed_origins: Vec<String>,
    #[serde(default)]
    pub freshness: Freshness,
}

/// When a fact is too old to be shown as today's: an answer (erbjuds / erbjuds inte) confirmed
/// before the cut-off is shown with its date as "okänt i dag" and counted as okänt in current
/// views. The cut-off is `stale_before` when given, else the start of the newest survey round,
/// else `max_age_years` before today.
///
/// Apart from that, any fact not confirmed for more than `review_after_months` (default 18)
/// *kan vara inaktuell*: still shown and counted, but marked and listed for review
/// ([`crate::review`]).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Freshness {
    pub stale_before: Option<String>,
    #[serde(default = "default_max_age_years")]
    pub max_age_years: u16,
    #[serde(default = "default_review_after_months")]
    pub review_after_months: u16,
}

fn default_review_after_months() -> u16 {
    crate::review::DEFAULT_MONTHS
}

fn default_max_age_years() -> u16 {
    3
}

impl Default for Freshness {
    fn default() -> Freshness {
        Freshness {
            stale_before: None,
            max_age_years: default_max_age_years(),
            review_after_months: default_review_after_months(),
        }
    }
}

/// The names of the data files a directory may redirect in `[files]`.
pub const DATA_FILES: [&str; 13] = [
    "kommunkoder",
    "sources",
    "programmes",
    "rounds",
    "offerings",
    "contacts",
    "sambu",
    "partssamverkan",
    "documents",
    "adherence",
    "trainings",
    "region_facts",
    "other_support",
];

/// A data directory with its configuration read and the region chosen.
#[derive(Debug, Clone)]
pub struct Dataset {
    pub dir: PathBuf,
    pub config: DatasetConfig,
    pub region_id: String,
}

impl Dataset {
    /// Reads `dataset.toml` and picks the region (`None` = the directory's default).
    pub fn open(dir: &Path, region: Option<&str>) -> Result<Dataset, Problem> {
        let path = dir.join(FILE);
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(&path)
            .map_err(|e| Problem::file(&shown, format!("kan inte läsa filen: {e}")))?;
        Dataset::parse(dir, &shown, &text, region)
    }

    /// Reads the text of a `dataset.toml` (`shown` names it in problems) and picks the region.
    pub fn parse(
        dir: &Path,
        shown: &str,
        text: &str,
        region: Option<&str>,
    ) -> Result<Dataset, Problem> {
        let shown = shown.to_string();
        let config: DatasetConfig = toml::from_str(text).map_err(|e| {
            let (line, column) = e
                .span()
                .map(|s| crate::problem::line_column(text, s.start))
                .unwrap_or((1, 1));
            Problem::new(
                &shown,
                line,
                column,
                format!("ogiltig TOML: {}", e.message()),
            )
        })?;
        if let Some(key) = config
            .files
            .keys()
            .find(|k| !DATA_FILES.contains(&k.as_str()))
        {
            return Err(Problem::file(
                &shown,
                format!(
                    "okänd fil ”{key}” i [files]; tillåtna: {}",
                    DATA_FILES.join(", ")
                ),
            ));
        }
        if let Some(Err(e)) = config
            .freshness
            .stale_before
            .as_deref()
            .map(crate::dates::PartialDate::parse)
        {
            return Err(Problem::file(
                &shown,
                format!("[freshness] stale_before: {e}"),
            ));
        }
        if !(1..=1200).contains(&config.freshness.review_after_months) {
            return Err(Problem::file(
                &shown,
                format!(
                    "[freshness] review_after_months: {} månader går inte (skriv 1–1200)",
                    config.freshness.review_after_months
                ),
            ));
        }
        if let Some(o) = config.embed_origins.iter().find(|o| !is_origin(o)) {
            return Err(Problem::file(
                &shown,
                format!("embed_origins: ”{o}” är inget ursprung (skriv https://värd, utan sökväg)"),
            ));
        }
        let region_id = region.unwrap_or(&config.default_region).to_string();
        if !config.regions.contains_key(&region_id) {
            let known: Vec<&str> = config.regions.keys().map(String::as_str).collect();
            return Err(Problem::file(
                &shown,
                format!(
                    "regionen ”{region_id}” finns inte; tillgängliga: {}",
                    known.join(", ")
                ),
            ));
        }
        Ok(Dataset {
            dir: dir.to_path_buf(),
            config,
            region_id,
        })
    }

    /// The configured cut-off for stale facts, if any (checked in `open`).
    pub fn stale_before(&self) -> Option<crate::dates::PartialDate> {
        let s = self.config.freshness.stale_before.as_deref()?;
        crate::dates::PartialDate::parse(s).ok()
    }

    pub fn region(&self) -> &RegionConfig {
        &self.config.regions[&self.region_id]
    }

    /// Path of a data file: redirected in `[files]`, else `<name>.csv` in the directory.
    pub fn file(&self, name: &str) -> PathBuf {
        match self.config.files.get(name) {
            Some(p) => self.dir.join(p),
            None => self.dir.join(format!("{name}.csv")),
        }
    }

    pub fn boundaries_path(&self) -> PathBuf {
        self.dir.join(&self.region().boundaries)
    }
}

/// `https://host` or `http://host:port`: what CSP `frame-ancestors` takes, nothing after the host.
fn is_origin(s: &str) -> bool {
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"));
    rest.is_some_and(|h| {
        !h.is_empty()
            && h.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-.:*".contains(&b))
    })
}
