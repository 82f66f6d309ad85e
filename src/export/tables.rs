//! The tables behind every export and every OGC collection: rows built once from the Atlas, with
//! Swedish snake_case column names, then written as CSV, XLSX or GeoJSON (`csv`, `xlsx`,
//! [`Table::feature`]) or paged by the OGC API. One row always belongs to one kommun, so every
//! table can also be a map layer.
//!
//! One convention for coded values, as `kommun` and `kommunkod` have always had it: the column
//! `X` holds the Swedish text a person reads (`status` = "erbjuds inte", `niva` = "universell,
//! selektiv") and the column `Xkod` beside it the stable code a script matches (`statuskod` =
//! `not_offered`, `nivakod` = `universal, selective`). The matrix, a view for people, has the
//! text only; its codes are in `erbjudanden`.

use serde_json::Value;

use crate::atlas::Atlas;
use crate::coverage::{LevelFilter, LevelReport, matches};
use crate::dataset::Kind;
use crate::feature::{Feature, Geometry};
use crate::inventory::Programme;
use crate::vocabulary::{
    ActionPlan, AdherenceStatus, Detail, Level, PartsStatus, SambuStatus, TrainingKind,
};

crate::vocabulary::vocabulary!(
    /// The tables: code (route, OGC collection id, file name) and sheet name.
    TableKind {
        Matris = "matris": "Matris",
        Erbjudanden = "erbjudanden": "Erbjudanden",
        Tackning = "tackning": "Täckning",
        Kommuner = "kommuner": "Kommuner",
        Sambu = "sambu": "SAMBU",
        Partssamverkan = "partssamverkan": "Partssamverkan",
        Foljsamhet = "foljsamhet": "Följsamhet",
        Utbildningar = "utbildningar": "Utbildningar",
        Familjecentraler = "familjecentraler": "Familjecentraler",
    }
);

impl TableKind {
    /// A Swedish title for people (XLSX "Om data", OGC collection titles).
    pub fn title(self) -> &'static str {
        match self {
            TableKind::Matris => "Program per kommun (matris: erbjuds / erbjuds inte / okänt)",
            TableKind::Erbjudanden => "Erbjudanden: kommun × program × omgång",
            TableKind::Tackning => "Täckning av åldrarna 0–17 år per kommun och nivå",
            TableKind::Kommuner => "Kommuner med sammanfattning av föräldraskapsstöd",
            TableKind::Sambu => "SAMBU-team per kommun",
            TableKind::Partssamverkan => "Partssamverkan per kommun",
            TableKind::Foljsamhet => "Följsamhet till gemensamt beslutade dokument",
            TableKind::Utbildningar => "SIP-utbildningar och samverkanskompetens",
            TableKind::Familjecentraler => "Familjecentraler per kommun",
        }
    }

    /// The title in English (the DCAT-AP-SE catalogue gives titles in both languages).
    pub fn title_en(self) -> &'static str {
        match self {
            TableKind::Matris => "Programmes per kommun (matrix: offered / not offered / unknown)",
            TableKind::Erbjudanden => "Offerings: kommun × programme × round",
            TableKind::Tackning => "Coverage of the ages 0–17 per kommun and level",
            TableKind::Kommuner => "Kommuner with a summary of parenting support",
            TableKind::Sambu => "SAMBU teams per kommun",
            TableKind::Partssamverkan => "Partssamverkan per kommun",
            TableKind::Foljsamhet => "Adherence to jointly decided documents",
            TableKind::Utbildningar => "SIP trainings and joint working skills",
            TableKind::Familjecentraler => "Family centres (familjecentraler) per kommun",
        }
    }

    /// What one row is, in English.
    pub fn description_en(self) -> &'static str {
        match self {
            TableKind::Matris => {
                "One row per kommun, one column per parenting programme: offered, not offered or unknown (no answer)."
            }
            TableKind::Erbjudanden => {
                "One row per kommun, programme and round with status, organiser, source and date last confirmed. The geometry is a point inside the kommun (not where the programme is given)."
            }
            TableKind::Tackning => {
                "One row per kommun and level: ages covered, share of the 18 years 0–17, gaps, and which gaps may be due to unknown answers."
            }
            TableKind::Kommuner => {
                "One row per kommun: programmes offered, not offered and unknown, coverage, SAMBU and partssamverkan."
            }
            TableKind::Sambu => "One row per kommun: the state of the kommun's SAMBU team.",
            TableKind::Partssamverkan => {
                "One row per kommun: the state of the kommun's partssamverkan group and action plan."
            }
            TableKind::Foljsamhet => {
                "One row per kommun and document: how far the kommun has come with the document."
            }
            TableKind::Utbildningar => {
                "One row per training in a kommun: kind, audience and number of participants."
            }
            TableKind::Familjecentraler => {
                "One row per family centre a source names, and a row \"no information\" for a kommun without one (never \"none\"). The geometry is a point only where the source gives coordinates."
            }
        }
    }

    /// What one row is, for the OGC collection description and the "Om data" sheet.
    pub fn description(self) -> &'static str {
        match self {
            TableKind::Matris => {
                "En rad per kommun, en kolumn per program. Cellerna är erbjuds, erbjuds inte eller okänt (inget svar)."
            }
            TableKind::Erbjudanden => {
                "En rad per kommun, program och omgång med status, arrangör, källa och senast bekräftad. Geometrin är en punkt inne i kommunen (inte platsen där programmet ges)."
            }
            TableKind::Tackning => {
                "En rad per kommun och nivå: täckta åldrar, andel av de 18 åren 0–17, luckor och vilka luckor som kan bero på okända uppgifter."
            }
            TableKind::Kommuner => {
                "En rad per kommun: antal program som erbjuds, inte erbjuds och är okända, täckning, SAMBU och partssamverkan."
            }
            TableKind::Sambu => "En rad per kommun: status för kommunens SAMBU-team.",
            TableKind::Partssamverkan => {
                "En rad per kommun: status för kommunens partssamverkansgrupp och handlingsplan."
            }
            TableKind::Foljsamhet => {
                "En rad per kommun och dokument: hur långt kommunen har kommit med dokumentet."
            }
            TableKind::Utbildningar => {
                "En rad per utbildningstillfälle i en kommun: typ, målgrupp och antal deltagare."
            }
            TableKind::Familjecentraler => {
                "En rad per familjecentral som en källa nämner, med kommunens sida, källa och datum; en kommun utan uppgift har en rad med ”ingen uppgift” (inte ”finns inte”). Geometrin är en punkt bara där källan ger koordinater, annars ingen."
            }
        }
    }

    /// Whether features of the table are points (one per kommun × programme × round) rather than
    /// the kommun's polygon.
    pub fn point_geometry(self) -> bool {
        self == TableKind::Erbjudanden
    }
}

/// One value of a table. Numbers stay numbers in every format, and codes stay text.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(untagged)]
pub enum Cell {
    Text(String),
    /// A code made of digits that must stay text, leading zeros and all (kommunkod `0114`, län
    /// `01`): spreadsheets would read it as the number 114.
    Code(String),
    Int(i64),
    Num(f64),
    Bool(bool),
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }

    /// The value as text, for filters and HTML (`.` as decimal point).
    pub fn plain(&self) -> String {
        match self {
            Cell::Text(s) | Cell::Code(s) => s.clone(),
            Cell::Int(i) => i.to_string(),
            Cell::Num(x) => x.to_string(),
            Cell::Bool(true) => "ja".into(),
            Cell::Bool(false) => "nej".into(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Row {
    /// The kommun the row belongs to (its geometry).
    pub kommun: usize,
    /// A stable, URL-safe id: the kommunkod, or e.g. `1496-abc-uppfoljning-2024`.
    pub id: String,
    pub cells: Vec<Cell>,
}

/// A row's cells under their column names, as a GeoJSON `properties` object.
pub struct Properties<'a> {
    columns: &'a [String],
    cells: &'a [Cell],
}

impl serde::Serialize for Properties<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.columns.iter().zip(self.cells))
    }
}

#[derive(Debug, Clone)]
pub struct Table {
    pub kind: TableKind,
    pub columns: Vec<String>,
    pub rows: Vec<Row>,
}

/// What a request selects. `None` means everything (or the table's default round).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Filter {
    pub kommuner: Option<Vec<usize>>,
    pub rounds: Option<Vec<usize>>,
    pub age: Option<i8>,
    pub level: Option<LevelFilter>,
    pub programmes: Option<Vec<usize>>,
    pub documents: Option<Vec<usize>>,
}

impl Filter {
    fn level(&self) -> LevelFilter {
        self.level.unwrap_or(LevelFilter::All)
    }

    /// The one round of a single-round table: the first asked for, else the default round.
    pub fn round(&self, a: &Atlas) -> usize {
        self.rounds
            .as_ref()
            .and_then(|r| r.first().copied())
            .unwrap_or(a.default_round)
    }

    /// The kommuner asked for, sorted by Swedish name (Götene before Hjo, Skövde after Skara).
    pub fn kommuner(&self, a: &Atlas) -> Vec<usize> {
        let mut ks: Vec<usize> = match &self.kommuner {
            Some(ks) => ks.clone(),
            None => (0..a.kommuner().len()).collect(),
        };
        ks.sort_by_cached_key(|&k| {
            (
                swedish_key(&a.kommuner()[k].name),
                a.kommuner()[k].code.clone(),
            )
        });
        ks
    }

    /// Whether the filter keeps a programme: asked for (or all), for the age and level asked for.
    pub fn keeps(&self, a: &Atlas, programme: &Programme) -> bool {
        self.programmes
            .as_ref()
            .is_none_or(|ps| ps.iter().any(|&p| a.programmes()[p].slug == programme.slug))
            && matches(programme, self.age, self.level())
    }

    /// The programmes the filter keeps, in catalogue order.
    pub fn programmes(&self, a: &Atlas) -> Vec<usize> {
        (0..a.programmes().len())
            .filter(|&p| self.keeps(a, &a.programmes()[p]))
            .collect()
    }
}

/// A sort key in Swedish alphabetical order: å, ä, ö after z.
pub fn swedish_key(s: &str) -> String {
    s.to_lowercase()
        .chars()
        .map(|c| match c {
            'å' => '{',
            'ä' | 'æ' => '|',
            'ö' | 'ø' => '}',
            'é' => 'e',
            c => c,
        })
        .collect()
}

/// A record's source as the three source columns: `kalla` (the citation, as people read it),
/// `kalla_url` (its first address) and `kalla_id` (the reference to the sources table, when the
/// source is one). Empty for a row without a record.
fn source_cells(a: &Atlas, source: Option<&str>) -> [Cell; 3] {
    let source = source.unwrap_or("");
    let bib = &a.inventory.sources;
    let ids = crate::citation::ids(source.trim()).map(|_| source.trim());
    [
        Cell::text(bib.text(source, crate::lang::Lang::Sv)),
        Cell::text(bib.first_url(source)),
        Cell::text(ids.unwrap_or("")),
    ]
}

/// The source columns, after `kalla` (see [`source_cells`]).
const SOURCE_COLUMNS: [&str; 3] = ["kalla", "kalla_url", "kalla_id"];

fn date_text(d: Option<impl std::fmt::Display>) -> Cell {
    Cell::text(d.map_or(String::new(), |d| d.to_string()))
}

/// A programme's levels as text and as codes (`universell, selektiv` and `universal, selective`).
fn levels_cells(levels: &[Level]) -> [Cell; 2] {
    let join =
        |f: fn(Level) -> &'static str| levels.iter().map(|l| f(*l)).collect::<Vec<_>>().join(", ");
    [
        Cell::text(join(Level::label)),
        Cell::text(join(Level::code)),
    ]
}

/// The Swedish text of a level filter (`alla nivåer` for all).
pub fn level_filter_label(l: LevelFilter) -> &'static str {
    match l {
        LevelFilter::All => "alla nivåer",
        LevelFilter::Only(l) => l.label(),
    }
}

/// A coded value as its two columns `X` and `Xkod`: the Swedish text and the stable code.
fn coded(label: &str, code: &str) -> [Cell; 2] {
    [Cell::text(label), Cell::text(code)]
}

/// Builds one table for a filter.
pub fn build(a: &Atlas, kind: TableKind, f: &Filter) -> Table {
    let ks = f.kommuner(a);
    let base = |k: usize| {
        vec![
            Cell::Code(a.kommuner()[k].code.clone()),
            Cell::text(&a.kommuner()[k].name),
        ]
    };
    let mut columns: Vec<String> = vec!["kommunkod".into(), "kommun".into()];
    let mut rows = Vec::new();
    let mut cols = |names: &[&str]| columns.extend(names.iter().map(ToString::to_string));
    match kind {
        TableKind::Matris => {
            let (r, ps) = (f.round(a), f.programmes(a));
            cols(
                &ps.iter()
                    .map(|&p| a.programmes()[p].name.as_str())
                    .collect::<Vec<_>>(),
            );
            for &k in &ks {
                let mut cells = base(k);
                cells.extend(
                    ps.iter()
                        .map(|&p| Cell::text(a.cell_state(k, r, p).label())),
                );
                rows.push(Row {
                    kommun: k,
                    id: a.kommuner()[k].code.clone(),
                    cells,
                });
            }
        }
        TableKind::Erbjudanden => {
            cols(&[
                "program",
                "programnamn",
                "niva",
                "nivakod",
                "alder_min",
                "alder_max",
                "omgang",
                "status",
                "statuskod",
                "arrangor",
                "senast_bekraftad",
                "kalla",
                "kalla_url",
                "kalla_id",
                "uppgiven_status",
                "uppgiven_statuskod",
                "underlag",
                "underlagkod",
            ]);
            let rounds: Vec<usize> = match &f.rounds {
                Some(r) => r.clone(),
                None => (0..a.inventory.rounds.len()).collect(),
            };
            let ps = f.programmes(a);
            for &k in &ks {
                for &p in &ps {
                    let prog = &a.programmes()[p];
                    for &r in &rounds {
                        let round = &a.inventory.rounds[r].id;
                        let o = a.offering(k, r, p);
                        let state = a.cell_state(k, r, p);
                        // A lapsed answer reads "erbjöds 2015 – okänt i dag" and codes as okänt.
                        let status = match a.lapsed(k, r, p) {
                            Some(o) => crate::atlas::lapsed_label(o),
                            None => state.label().to_string(),
                        };
                        // The API's `basis` codes.
                        let basis = match o {
                            None => ["", ""],
                            Some(_) if a.supplementary(k, r, p) => ["offentlig källa", "sources"],
                            Some(_) => ["omgångens uppgift", "round"],
                        };
                        let mut cells = base(k);
                        cells.extend([Cell::text(&prog.slug), Cell::text(&prog.name)]);
                        cells.extend(levels_cells(&prog.levels));
                        cells.extend([
                            Cell::Int(prog.age_min.into()),
                            Cell::Int(prog.age_max.into()),
                            Cell::text(round),
                            Cell::text(status),
                            Cell::text(state.code()),
                            Cell::text(o.map_or("", |o| o.organiser.as_str())),
                            date_text(o.map(|o| o.last_confirmed)),
                        ]);
                        cells.extend(source_cells(a, o.map(|o| o.source.as_str())));
                        cells.extend(coded(
                            o.map_or("", |o| o.status.label()),
                            o.map_or("", |o| o.status.code()),
                        ));
                        cells.extend(coded(basis[0], basis[1]));
                        let id = format!("{}-{}-{}", a.kommuner()[k].code, prog.slug, round);
                        rows.push(Row {
                            kommun: k,
                            id,
                            cells,
                        });
                    }
                }
            }
        }
        TableKind::Tackning => {
            let r = f.round(a);
            cols(&[
                "omgang",
                "niva",
                "nivakod",
                "tackta_aldrar",
                "antal_tackta_ar",
                "andel_tackt",
                "luckor",
                "luckor_som_kan_bero_pa_okant",
                "graviditet",
                "graviditetkod",
            ]);
            if f.age.is_some() {
                cols(&["vald_alder", "vald_alder_tackt", "vald_alder_tacktkod"]);
            }
            let levels: Vec<LevelFilter> = match f.level {
                Some(l) => vec![l],
                None => Level::ALL
                    .iter()
                    .map(|l| LevelFilter::Only(*l))
                    .chain([LevelFilter::All])
                    .collect(),
            };
            let round = &a.inventory.rounds[r].id;
            for &k in &ks {
                for &level in &levels {
                    let lc = a.coverage(k, r).level(level);
                    let report = LevelReport::new(level, lc);
                    let runs: Vec<String> = lc
                        .covered
                        .runs()
                        .iter()
                        .map(|(x, y)| {
                            if x == y {
                                x.to_string()
                            } else {
                                format!("{x}–{y}")
                            }
                        })
                        .collect();
                    let gaps = |only_unknown: bool| -> String {
                        report
                            .gaps
                            .iter()
                            .filter(|g| !only_unknown || g.rests_on_unknown)
                            .map(|g| g.label.as_str())
                            .collect::<Vec<_>>()
                            .join("; ")
                    };
                    let prenatal = lc.state(crate::coverage::PRENATAL);
                    let mut cells = base(k);
                    cells.push(Cell::text(round));
                    cells.extend(coded(level_filter_label(level), level.code()));
                    cells.extend([
                        Cell::text(runs.join(", ")),
                        Cell::Int(report.covered_ages.len() as i64),
                        Cell::Num(report.share),
                        Cell::text(gaps(false)),
                        Cell::text(gaps(true)),
                    ]);
                    cells.extend(coded(prenatal.label(), prenatal.code()));
                    if let Some(age) = f.age {
                        let state = lc.state(age);
                        cells.push(Cell::Int(age.into()));
                        cells.extend(coded(state.label(), state.code()));
                    }
                    let id = format!("{}-{}-{}", a.kommuner()[k].code, round, level.code());
                    rows.push(Row {
                        kommun: k,
                        id,
                        cells,
                    });
                }
            }
        }
        TableKind::Kommuner => {
            cols(&[
                "lan",
                "omgang",
                "antal_erbjuds",
                "antal_erbjuds_inte",
                "antal_okant",
                "tackning_andel",
                "sambu_status",
                "sambu_statuskod",
                "partssamverkan_status",
                "partssamverkan_statuskod",
            ]);
            let r = f.round(a);
            for &k in &ks {
                let [offered, not_offered, unknown] = a.counts(k, r, |p| f.keeps(a, p));
                let share = LevelReport::new(f.level(), a.coverage(k, r).level(f.level())).share;
                let (sambu, parts) = (a.sambu_status(k), a.parts_status(k));
                let mut cells = base(k);
                cells.extend([
                    Cell::Code(a.kommuner()[k].lan.clone()),
                    Cell::text(&a.inventory.rounds[r].id),
                    Cell::Int(offered as i64),
                    Cell::Int(not_offered as i64),
                    Cell::Int(unknown as i64),
                    Cell::Num(share),
                ]);
                cells.extend(coded(sambu.label(), sambu.code()));
                cells.extend(coded(parts.label(), parts.code()));
                rows.push(Row {
                    kommun: k,
                    id: a.kommuner()[k].code.clone(),
                    cells,
                });
            }
        }
        TableKind::Sambu => {
            cols(&[
                "status",
                "statuskod",
                "namn",
                "sedan",
                "senast_bekraftad",
                "kalla",
                "kalla_url",
                "kalla_id",
                "anmarkning",
            ]);
            for &k in &ks {
                let s = a.sambu(k);
                let status = s.map_or(SambuStatus::Unknown, |s| s.status);
                let mut cells = base(k);
                cells.extend([
                    Cell::text(status.label()),
                    Cell::text(status.code()),
                    Cell::text(s.map_or("", |s| s.name.as_str())),
                    date_text(s.and_then(|s| s.since)),
                    date_text(s.map(|s| s.last_confirmed)),
                ]);
                cells.extend(source_cells(a, s.map(|s| s.source.as_str())));
                cells.push(Cell::text(s.map_or("", |s| s.note.as_str())));
                rows.push(Row {
                    kommun: k,
                    id: a.kommuner()[k].code.clone(),
                    cells,
                });
            }
        }
        TableKind::Partssamverkan => {
            cols(&[
                "status",
                "statuskod",
                "handlingsplan",
                "handlingsplankod",
                "senast_bekraftad",
                "kalla",
                "kalla_url",
                "kalla_id",
                "anmarkning",
            ]);
            for &k in &ks {
                let s = a.partssamverkan(k);
                let status = s.map_or(PartsStatus::Unknown, |s| s.status);
                let plan = s.map_or(ActionPlan::Unknown, |s| s.action_plan);
                let mut cells = base(k);
                cells.extend(coded(status.label(), status.code()));
                cells.extend(coded(plan.label(), plan.code()));
                cells.extend([date_text(s.map(|s| s.last_confirmed))]);
                cells.extend(source_cells(a, s.map(|s| s.source.as_str())));
                cells.push(Cell::text(s.map_or("", |s| s.note.as_str())));
                rows.push(Row {
                    kommun: k,
                    id: a.kommuner()[k].code.clone(),
                    cells,
                });
            }
        }
        TableKind::Foljsamhet => {
            cols(&[
                "dokument",
                "dokumenttitel",
                "status",
                "statuskod",
                "datum",
                "kalla",
                "kalla_url",
                "kalla_id",
                "anmarkning",
            ]);
            let docs: Vec<usize> = match &f.documents {
                Some(d) => d.clone(),
                None => (0..a.inventory.documents.len()).collect(),
            };
            for &k in &ks {
                for &d in &docs {
                    let doc = &a.inventory.documents[d];
                    let x = a.adherence(k, d);
                    let status = x.map_or(AdherenceStatus::Unknown, |x| x.status);
                    let mut cells = base(k);
                    cells.extend([
                        Cell::text(&doc.slug),
                        Cell::text(&doc.title),
                        Cell::text(status.label()),
                        Cell::text(status.code()),
                        date_text(x.map(|x| x.date)),
                    ]);
                    cells.extend(source_cells(a, x.map(|x| x.source.as_str())));
                    cells.push(Cell::text(x.map_or("", |x| x.note.as_str())));
                    let id = format!("{}-{}", a.kommuner()[k].code, doc.slug);
                    rows.push(Row {
                        kommun: k,
                        id,
                        cells,
                    });
                }
            }
        }
        TableKind::Utbildningar => {
            cols(&[
                "typ",
                "typkod",
                "malgrupp",
                "deltagare",
                "ungefarligt",
                "period",
                "senast_bekraftad",
                "kalla",
                "kalla_url",
                "kalla_id",
            ]);
            for &k in &ks {
                let code = &a.kommuner()[k].code;
                for kind in TrainingKind::ALL {
                    let of_kind = a
                        .inventory
                        .trainings
                        .iter()
                        .filter(|t| &t.kommun == code && t.kind == *kind);
                    for (n, t) in of_kind.enumerate() {
                        let mut cells = base(k);
                        cells.extend(coded(t.kind.label(), t.kind.code()));
                        cells.extend([
                            Cell::text(&t.audience),
                            Cell::Int(t.participants.into()),
                            Cell::Bool(t.approximate),
                            Cell::text(t.period.to_string()),
                            Cell::text(t.last_confirmed.to_string()),
                        ]);
                        cells.extend(source_cells(a, Some(&t.source)));
                        let id = format!("{code}-{}-{}", kind.code(), n + 1);
                        rows.push(Row {
                            kommun: k,
                            id,
                            cells,
                        });
                    }
                }
            }
        }
        TableKind::Familjecentraler => {
            cols(&[
                "uppgift",
                "uppgiftkod",
                "namn",
                "webbadress",
                "adress",
                "lat",
                "lon",
                "senast_bekraftad",
            ]);
            cols(&SOURCE_COLUMNS);
            cols(&["anmarkning"]);
            for &k in &ks {
                let code = &a.kommuner()[k].code;
                let found: Vec<_> = a.familjecentraler(k).collect();
                // A kommun without a familjecentral in the sources is "ingen uppgift": unknown,
                // never "finns inte".
                if found.is_empty() {
                    let mut cells = base(k);
                    cells.extend(coded("ingen uppgift", "unknown"));
                    cells.extend((0..10).map(|_| Cell::text("")));
                    rows.push(Row {
                        kommun: k,
                        id: format!("{code}-ingen-uppgift"),
                        cells,
                    });
                }
                for (n, c) in found.iter().enumerate() {
                    let coordinate = |v: Option<f64>| v.map_or(Cell::text(""), Cell::Num);
                    let mut cells = base(k);
                    cells.extend(coded("känd från källa", "known"));
                    cells.extend([
                        Cell::text(&c.name),
                        Cell::text(&c.url),
                        Cell::text(&c.address),
                        coordinate(c.point.map(|p| p.lat)),
                        coordinate(c.point.map(|p| p.lon)),
                        Cell::text(c.last_confirmed.to_string()),
                    ]);
                    cells.extend(source_cells(a, Some(&c.source)));
                    cells.push(Cell::text(&c.note));
                    rows.push(Row {
                        kommun: k,
                        id: format!("{code}-familjecentral-{}", n + 1),
                        cells,
                    });
                }
            }
        }
    }
    if a.inventory.dataset.config.kind == Kind::Example {
        columns.push("exempeldata".into());
        for row in &mut rows {
            row.cells.push(Cell::Bool(true));
        }
    }
    Table {
        kind,
        columns,
        rows,
    }
}

/// The codes of a vocabulary, listed for a person: `offered, not_offered, unknown`.
fn codes<T: Copy>(all: &[T], code: fn(T) -> &'static str) -> String {
    all.iter().map(|v| code(*v)).collect::<Vec<_>>().join(", ")
}

/// What a column of a table holds, for the "Om data" sheet (None: a column this function does
/// not know, which a unit test forbids).
pub fn column_help(kind: TableKind, name: &str) -> Option<String> {
    use crate::vocabulary::{AgeState, CellState, OfferingStatus};
    let code_of = |what: &str, list: String| format!("koden för {what}: {list}");
    let levels = codes(Level::ALL, Level::code);
    let help = match (kind, name) {
        (_, "kommunkod") => "kommunkod (SCB), fyra siffror som text: 0114 behåller sin nolla".into(),
        (_, "kommun") => "kommunens namn".into(),
        (_, "lan") => "länskod (SCB), två siffror som text: 01 behåller sin nolla".into(),
        (_, "omgang") => "omgångens id (se Omgång)".into(),
        (_, "exempeldata") => "ja: raden är påhittad exempeldata".into(),
        (_, "kalla") => "källan till uppgiften som läsbar hänvisning (utgivare: titel, datum); tom när uppgift saknas".into(),
        (_, "kalla_url") => "källans webbadress, tom för ett dokument som inte är offentligt".into(),
        (_, "kalla_id") => "källans id i källförteckningen (/api/v1/sources); tomt för en källa som skrivits in direkt".into(),
        (_, "senast_bekraftad") => {
            "när uppgiften senast bekräftades (ÅÅÅÅ, ÅÅÅÅ-MM eller ÅÅÅÅ-MM-DD)".into()
        }
        (_, "anmarkning") => "anmärkning".into(),
        (TableKind::Familjecentraler, "uppgift") => {
            "känd från källa (en källa nämner familjecentralen) eller ingen uppgift (ingen källa vi har nämner någon; betyder inte att den saknas)".into()
        }
        (TableKind::Familjecentraler, "uppgiftkod") => code_of("uppgiften", "known, unknown".into()),
        (TableKind::Familjecentraler, "namn") => "familjecentralens namn".into(),
        (TableKind::Familjecentraler, "webbadress") => "kommunens sida om familjecentralen; tom där källan inte ger någon".into(),
        (TableKind::Familjecentraler, "adress") => "besöksadress, bara där källan ger en".into(),
        (TableKind::Familjecentraler, "lat" | "lon") => "latitud och longitud (WGS 84), bara där källan ger en punkt".into(),
        (_, "program") => "programmets kortnamn".into(),
        (_, "programnamn") => "programmets namn".into(),
        (TableKind::Erbjudanden, "niva") => "programmets nivåer som text, t.ex. ”universell, selektiv”".into(),
        (TableKind::Erbjudanden, "nivakod") => code_of("nivåerna", levels),
        (TableKind::Tackning, "niva") => "nivån som text (”alla nivåer” = minst en nivå)".into(),
        (TableKind::Tackning, "nivakod") => code_of("nivån", format!("{levels}, all")),
        (_, "alder_min" | "alder_max") => "programmets lägsta och högsta ålder (-1 = under graviditeten)".into(),
        (TableKind::Erbjudanden, "status") => {
            "vad tjänsten visar i dag: erbjuds, erbjuds inte eller okänt; ett gammalt svar står som t.ex. ”erbjöds 2015 – okänt i dag”".into()
        }
        (TableKind::Erbjudanden, "statuskod") => code_of("status", codes(CellState::ALL, CellState::code)),
        (_, "arrangor") => "vem som ger programmet".into(),
        (_, "uppgiven_status") => "vad källan uppgav, före bedömningen av gamla svar".into(),
        (_, "uppgiven_statuskod") => code_of("uppgiven status", codes(OfferingStatus::ALL, OfferingStatus::code)),
        (_, "underlag") => "omgångens uppgift eller offentlig källa (där omgången saknar svar)".into(),
        (_, "underlagkod") => code_of("underlaget", "round, sources".into()),
        (_, "tackta_aldrar") => "täckta åldrar 0–17 som intervall".into(),
        (_, "antal_tackta_ar") => "antal täckta år av 18".into(),
        (_, "andel_tackt" | "tackning_andel") => "andel täckta år, 0–1".into(),
        (_, "luckor") => "åldrar utan täckning".into(),
        (_, "luckor_som_kan_bero_pa_okant") => "luckor där ett program med status okänt skulle täcka".into(),
        (_, "graviditet") => "täckning under graviditeten".into(),
        (_, "vald_alder") => "den valda åldern".into(),
        (_, "vald_alder_tackt") => "täckning för den valda åldern".into(),
        (_, "graviditetkod" | "vald_alder_tacktkod") => {
            code_of("täckningen", codes(AgeState::ALL, AgeState::code))
        }
        (_, "antal_erbjuds" | "antal_erbjuds_inte" | "antal_okant") => {
            "antal program som erbjuds, inte erbjuds och är okända i omgången".into()
        }
        (TableKind::Kommuner | TableKind::Sambu, "sambu_status" | "status") => "SAMBU-teamets status".into(),
        (TableKind::Kommuner | TableKind::Sambu, "sambu_statuskod" | "statuskod") => {
            code_of("SAMBU-status", codes(SambuStatus::ALL, SambuStatus::code))
        }
        (TableKind::Kommuner | TableKind::Partssamverkan, "partssamverkan_status" | "status") => {
            "partssamverkansgruppens status".into()
        }
        (TableKind::Kommuner | TableKind::Partssamverkan, "partssamverkan_statuskod" | "statuskod") => {
            code_of("status", codes(PartsStatus::ALL, PartsStatus::code))
        }
        (_, "handlingsplan") => "om gruppen har en handlingsplan".into(),
        (_, "handlingsplankod") => code_of("handlingsplanen", codes(ActionPlan::ALL, ActionPlan::code)),
        (_, "namn") => "teamets namn".into(),
        (_, "sedan") => "sedan när teamet finns".into(),
        (_, "dokument") => "dokumentets kortnamn".into(),
        (_, "dokumenttitel") => "dokumentets titel".into(),
        (TableKind::Foljsamhet, "status") => "hur långt kommunen har kommit med dokumentet".into(),
        (TableKind::Foljsamhet, "statuskod") => code_of("status", codes(AdherenceStatus::ALL, AdherenceStatus::code)),
        (_, "datum") => "datum för uppgiften".into(),
        (_, "typ") => "utbildningens typ".into(),
        (_, "typkod") => code_of("typen", codes(TrainingKind::ALL, TrainingKind::code)),
        (_, "malgrupp") => "vilka utbildningen var för".into(),
        (_, "deltagare") => "antal deltagare".into(),
        (_, "ungefarligt") => "ja: antalet deltagare är ungefärligt".into(),
        (_, "period") => "när utbildningen gavs".into(),
        // The rest of the matrix's columns are programmes.
        (TableKind::Matris, _) => "programmet i kommunen: erbjuds, erbjuds inte eller okänt".into(),
        _ => return None,
    };
    Some(help)
}

impl Table {
    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c == name)
    }

    /// The row as an RFC 7946 Feature: top-level string `id`, the kommun's polygon (full detail)
    /// or a point inside the kommun, and the row as properties (column name → value, in column
    /// order).
    pub fn feature<'a>(
        &'a self,
        a: &'a Atlas,
        row: &'a Row,
        links: Option<&'a Value>,
    ) -> Feature<'a, Properties<'a>> {
        let geometry = if self.kind == TableKind::Familjecentraler {
            // Its own point where the source gives one; else none (no invented place).
            let number = |c: &str| match self.column(c).map(|i| &row.cells[i]) {
                Some(Cell::Num(x)) => Some(*x),
                _ => None,
            };
            match (number("lon"), number("lat")) {
                (Some(x), Some(y)) => Geometry::Point(x, y),
                _ => Geometry::None,
            }
        } else if self.kind.point_geometry() {
            let (x, y) = a.kommuner()[row.kommun].label;
            Geometry::Point(x, y)
        } else {
            Geometry::Raw(a.geography.geometry(Detail::Full, row.kommun))
        };
        Feature {
            id: &row.id,
            geometry,
            properties: Properties {
                columns: &self.columns,
                cells: &row.cells,
            },
            links,
        }
    }

    /// Every distinct source named in the table's `kalla` column.
    pub fn sources(&self) -> Vec<String> {
        let Some(c) = self.column("kalla") else {
            return Vec::new();
        };
        let mut out: Vec<String> = self
            .rows
            .iter()
            .map(|r| r.cells[c].plain())
            .filter(|s| !s.is_empty())
            .collect();
        out.sort();
        out.dedup();
        out
    }
}
