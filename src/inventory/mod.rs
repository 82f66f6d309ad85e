//! The Inventory: every data file parsed into plain structs and validated as a whole.

mod load;
pub mod source;
mod table;

pub use load::{load, load_from, url};

use serde::Serialize;

use crate::boundaries::Boundary;
use crate::citation::Bibliography;
use crate::dataset::Dataset;
use crate::dates::{Confirmed, PartialDate, Period};
use crate::vocabulary::*;

/// A source the data cites: one row of `sources.csv` (see [`crate::citation`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceEntry {
    pub id: String,
    /// The document's or page's title, or a plain description where the real title is not known.
    pub title: String,
    pub publisher: String,
    pub kind: SourceKind,
    /// When the source is dated (`okänt`: undated).
    pub date: Confirmed,
    /// Empty where the document is not public.
    pub url: String,
    /// When a web page was read.
    pub accessed: Option<PartialDate>,
    pub note: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct KommunCode {
    pub kommunkod: String,
    pub namn: String,
    pub lan: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Programme {
    pub slug: String,
    pub name: String,
    pub description: String,
    /// The description translated into English for the English pages; empty where there is
    /// no translation yet (the page then says so and shows the Swedish text).
    pub description_en: String,
    /// -1 means "under graviditeten".
    pub age_min: i8,
    pub age_max: i8,
    pub levels: Vec<Level>,
    pub format: Format,
    pub source_url: String,
    pub last_confirmed: Confirmed,
    pub notes: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Round {
    pub id: String,
    pub name: String,
    pub kind: RoundKind,
    /// Open rounds take answers; closed ones are frozen.
    pub status: RoundStatus,
    pub collected: Period,
    pub note: String,
    pub source: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Offering {
    pub kommun: String,
    pub programme: String,
    pub round: String,
    pub status: OfferingStatus,
    pub organiser: String,
    pub contact_url: String,
    pub languages: Vec<String>,
    pub last_confirmed: Confirmed,
    pub source: String,
    pub note: String,
}

/// A way to reach a kommun about parenting support: where a parent can ask when nothing is
/// confirmed, and the fallback contact of an offering without its own.
#[derive(Debug, Clone, Serialize)]
pub struct Contact {
    pub kommun: String,
    pub kind: ContactKind,
    pub name: String,
    /// The kommun's page about it; empty for a familjecentral whose sources are not such a
    /// page (a news item is cited as the source, not offered as the way in).
    pub url: String,
    pub last_confirmed: Confirmed,
    pub source: String,
    pub note: String,
    /// A street address, only where the source gives one.
    pub address: String,
    /// Where it is (WGS 84), only where the source gives coordinates: a point is drawn only then.
    pub point: Option<Point>,
}

/// A place in WGS 84 degrees.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Point {
    pub lat: f64,
    pub lon: f64,
}

/// Parenting support that is not a catalogue programme (a project, home visits, a method
/// outside the catalogue): context on the kommun page, never counted in the coverage.
#[derive(Debug, Clone, Serialize)]
pub struct OtherSupport {
    pub kommun: String,
    pub title: String,
    pub description: String,
    /// When it ran, as far as the source says.
    pub period: Option<Period>,
    pub status: SupportStatus,
    pub last_confirmed: Confirmed,
    pub source: String,
    pub note: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Sambu {
    pub kommun: String,
    pub status: SambuStatus,
    pub name: String,
    pub since: Option<PartialDate>,
    pub last_confirmed: Confirmed,
    pub source: String,
    pub note: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Partssamverkan {
    pub kommun: String,
    pub status: PartsStatus,
    pub action_plan: ActionPlan,
    pub last_confirmed: Confirmed,
    pub source: String,
    pub note: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Document {
    pub slug: String,
    pub title: String,
    pub kind: DocumentKind,
    pub owner: String,
    pub source: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Adherence {
    pub document: String,
    pub kommun: String,
    pub status: AdherenceStatus,
    pub date: Confirmed,
    pub note: String,
    pub source: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Training {
    pub kommun: String,
    pub kind: TrainingKind,
    pub audience: String,
    pub participants: u32,
    pub approximate: bool,
    pub period: Period,
    pub last_confirmed: Confirmed,
    pub source: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct RegionFact {
    pub topic: FactTopic,
    pub period: Period,
    pub measure: String,
    pub value: u32,
    pub text: String,
    pub last_confirmed: Confirmed,
    pub source: String,
}

/// Everything loaded from one data directory for one region, validated.
#[derive(Debug, Clone)]
pub struct Inventory {
    pub dataset: Dataset,
    /// SCB's kommun list (all of Sweden), for telling an unknown code from one outside the region.
    pub codes: Vec<KommunCode>,
    /// The region's kommuner, sorted by kommunkod.
    /// Shared with the geography built from them, so a rebuilt inventory reuses it.
    pub boundaries: std::sync::Arc<Vec<Boundary>>,
    pub programmes: Vec<Programme>,
    /// In chronological order, as in the file.
    pub rounds: Vec<Round>,
    pub offerings: Vec<Offering>,
    /// Per kommun in file order (the first is shown first).
    pub contacts: Vec<Contact>,
    pub sambu: Vec<Sambu>,
    pub partssamverkan: Vec<Partssamverkan>,
    pub documents: Vec<Document>,
    pub adherence: Vec<Adherence>,
    pub trainings: Vec<Training>,
    pub region_facts: Vec<RegionFact>,
    /// `sources.csv`: what every record's `source` refers to.
    pub sources: Bibliography,
    /// Per kommun in file order.
    pub other_support: Vec<OtherSupport>,
}
