//! The map page's filters: parsed from the query string with the API's parameter rules (same
//! names, same Swedish errors), and written back as a canonical query string for links and keys.

use crate::atlas::Atlas;
use crate::coverage::LevelFilter;
use crate::http::error::RequestError;
use crate::http::params::{self, Params};

crate::vocabulary::vocabulary!(
    /// What the map colours the kommuner by.
    Measure {
        Offerings = "offerings": "antal program som erbjuds" / "number of programmes offered",
        Coverage = "coverage": "täckning av åldrarna 0–17 år" / "coverage of ages 0–17",
        Sambu = "sambu": "SAMBU-team" / "SAMBU teams",
        Partssamverkan = "partssamverkan": "partssamverkan" / "partssamverkan",
        Adherence = "adherence": "följsamhet till beslutade dokument" / "adherence to jointly decided documents",
        Trainings = "trainings": "SIP-utbildningar" / "SIP trainings",
        Familjecentraler = "familjecentraler": "familjecentraler" / "family centres (familjecentraler)",
    }
);

pub const NAMES: &[&str] = &[
    "kommun", "age", "level", "round", "layer", "document", "embed",
];

#[derive(Debug, Clone)]
pub struct Filters {
    pub kommun: Option<usize>,
    /// 0–17, or -1 for "under graviditeten"; None: every age.
    pub age: Option<i8>,
    pub level: LevelFilter,
    pub round: usize,
    pub layer: Measure,
    /// Index into the documents (for the adherence layer).
    pub document: usize,
}

impl Filters {
    pub fn parse(a: &Atlas, raw: Option<&str>) -> Result<Filters, RequestError> {
        let p = Params::lenient(raw, NAMES, &[]);
        let kommun = p
            .get("kommun")
            .map(|code| params::kommun(a, "kommun", code))
            .transpose()?;
        let layer = p.get("layer").map_or(Ok(Measure::Offerings), |v| {
            Measure::parse(v).map_err(|m| RequestError::invalid(format!("layer: {m}.")))
        })?;
        let document = match p.get("document") {
            None => 0,
            Some(slug) => params::document(a, "document", slug)?,
        };
        Ok(Filters {
            kommun,
            age: p.age()?,
            level: p.level()?,
            round: p.round(a)?,
            layer,
            document,
        })
    }

    /// The canonical query string (defaults left out), so equal views share one URL and key.
    pub fn query(&self, a: &Atlas) -> String {
        let round = super::round_param(a, self.round);
        let document = match (self.layer, a.inventory.documents.get(self.document)) {
            (Measure::Adherence, Some(d)) if self.document > 0 => d.slug.clone(),
            _ => String::new(),
        };
        super::query_string(&[
            (
                "kommun",
                self.kommun
                    .map(|k| a.kommuner()[k].code.clone())
                    .unwrap_or_default(),
            ),
            ("age", self.age.map(age_code).unwrap_or_default()),
            ("level", super::level_param(self.level)),
            ("round", round),
            (
                "layer",
                match self.layer {
                    Measure::Offerings => String::new(),
                    l => l.code().to_string(),
                },
            ),
            ("document", document),
        ])
    }
}

/// An age as written in a URL: `graviditet` or the number.
pub fn age_code(age: i8) -> String {
    if age == -1 {
        "graviditet".into()
    } else {
        age.to_string()
    }
}
