//! Loading a data directory: each file parsed row by row, every reference checked, every problem
//! collected (never only the first) with its place.

use std::collections::{HashMap, HashSet};
use std::hash::Hash;
use std::path::Path;
use std::sync::Arc;

use super::source::{Directory, Source};
use super::table::{self, Cells, Column, opt, req};
use super::*;
use crate::boundaries::parse_boundaries;
use crate::citation::Bibliography;
use crate::dataset::Dataset;
use crate::problem::Problem;

/// Loads and validates a data directory for a region (`None`: its default region).
/// Returns every problem found, in file order, when there is any.
pub fn load(dir: &Path, region: Option<&str>) -> Result<Inventory, Vec<Problem>> {
    load_from(&Directory(dir), region, None)
}

/// Loads and validates the files of a source. With `boundaries` (those of the snapshot being
/// served), the boundary file is not read again: an edit of the data costs no geometry work.
pub fn load_from(
    source: &dyn Source,
    region: Option<&str>,
    boundaries: Option<Arc<Vec<Boundary>>>,
) -> Result<Inventory, Vec<Problem>> {
    let dataset = source.dataset(region).map_err(|p| vec![p])?;
    let mut cx = Context::new(&dataset, source);

    let codes = cx.codes();
    let boundaries = match boundaries {
        Some(b) => {
            cx.in_region.extend(b.iter().map(|b| b.code.clone()));
            b
        }
        None => Arc::new(cx.boundaries()),
    };
    cx.boundaries = Some(boundaries.clone());
    let sources = cx.sources();
    let programmes = cx.programmes();
    let rounds = cx.rounds();
    let documents = cx.documents();
    let offerings = cx.offerings();
    let contacts = cx.contacts();
    let sambu = cx.sambu();
    let partssamverkan = cx.partssamverkan();
    let adherence = cx.adherence();
    let trainings = cx.trainings();
    let region_facts = cx.region_facts();
    let other_support = cx.other_support();

    if !cx.problems.is_empty() {
        return Err(cx.problems);
    }
    Ok(Inventory {
        dataset: dataset.clone(),
        codes,
        boundaries,
        programmes,
        rounds,
        offerings,
        contacts,
        sambu,
        partssamverkan,
        documents,
        adherence,
        trainings,
        region_facts,
        sources,
        other_support,
    })
}

struct Context<'d> {
    dataset: &'d Dataset,
    source: &'d dyn Source,
    problems: Vec<Problem>,
    /// kommunkod → namn, all of Sweden.
    code_names: HashMap<String, String>,
    /// kommunkoder with a boundary in the region.
    in_region: HashSet<String>,
    programme_slugs: HashSet<String>,
    round_ids: HashSet<String>,
    document_slugs: HashSet<String>,
    /// `sources.csv`, read first: what every other file's sources refer to.
    bibliography: Bibliography,
    /// Whether sources.csv could be read at all.
    sources_read: bool,
    /// The region's boundaries, for checking that a point lies in its kommun.
    boundaries: Option<Arc<Vec<Boundary>>>,
}

impl<'d> Context<'d> {
    fn new(dataset: &'d Dataset, source: &'d dyn Source) -> Self {
        Context {
            dataset,
            source,
            problems: Vec::new(),
            code_names: HashMap::new(),
            in_region: HashSet::new(),
            programme_slugs: HashSet::new(),
            round_ids: HashSet::new(),
            document_slugs: HashSet::new(),
            bibliography: Bibliography::default(),
            sources_read: false,
            boundaries: None,
        }
    }
}

fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn slug(s: &str) -> Result<String, String> {
    if is_slug(s) {
        Ok(s.to_string())
    } else {
        Err(format!(
            "”{s}” är ingen giltig kod (små bokstäver a–z, siffror och bindestreck)"
        ))
    }
}

/// A web address (http or https, no spaces): the loader's rule, also the importer's.
pub fn url(s: &str) -> Result<String, String> {
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"));
    match rest {
        Some(r) if !r.is_empty() && !s.chars().any(char::is_whitespace) => Ok(s.to_string()),
        _ => Err(format!("”{s}” är ingen webbadress (börja med https://)")),
    }
}

fn whole_number(s: &str) -> Result<u32, String> {
    s.parse().map_err(|_| format!("”{s}” är inget heltal ≥ 0"))
}

fn boolean(s: &str) -> Result<bool, String> {
    match s {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(format!("”{s}” ska vara true eller false")),
    }
}

fn age(s: &str) -> Result<i8, String> {
    match s.parse::<i8>() {
        Ok(a) if (-1..=18).contains(&a) => Ok(a),
        Ok(a) => Err(format!(
            "åldern {a} ligger utanför -1–18 (-1 = under graviditeten)"
        )),
        Err(_) => Err(format!("”{s}” är ingen ålder (ett heltal -1–18)")),
    }
}

impl Context<'_> {
    fn read(&mut self, name: &str, columns: &[Column]) -> Option<table::Table> {
        let file = self.source.shown(self.dataset, name);
        let bytes = self.source.file(self.dataset, name);
        table::read(file, bytes, columns, &mut self.problems)
    }

    /// Whether a file belongs to this directory (not borrowed from another via `[files]`).
    fn own_file(&self, name: &str) -> bool {
        !self.dataset.config.files.contains_key(name)
    }

    /// Reports a second row with the same key.
    fn unique<K: Eq + Hash>(
        &mut self,
        seen: &mut HashMap<K, usize>,
        key: K,
        row: &Cells,
        column: &str,
    ) {
        if let Some(first) = seen.get(&key) {
            let p = row.problem(column, format!("dubblett: samma nyckel som rad {first}"));
            self.problems.push(p);
        } else {
            seen.insert(key, row.line);
        }
    }

    /// Reads a file and parses each row; rows that give None had problems (already reported).
    fn each<T>(
        &mut self,
        name: &str,
        columns: &[Column],
        mut parse: impl FnMut(&mut Self, &Cells) -> Option<T>,
    ) -> Vec<T> {
        let Some(t) = self.read(name, columns) else {
            return Vec::new();
        };
        t.rows().filter_map(|row| parse(self, &row)).collect()
    }

    /// A catalogue key (slug or id): checked, unique, and known to later files as soon as it
    /// parses, so that one bad field elsewhere in its row does not make every reference fail too.
    fn key(
        &mut self,
        row: &Cells,
        column: &str,
        seen: &mut HashMap<String, usize>,
        known: fn(&mut Self) -> &mut HashSet<String>,
    ) -> Option<String> {
        let key = row.parse(column, &mut self.problems, slug)?;
        self.unique(seen, key.clone(), row, column);
        known(self).insert(key.clone());
        Some(key)
    }

    fn kommun(&mut self, row: &Cells, column: &str) -> Option<String> {
        let code = row.required(column, &mut self.problems)?;
        let message = if code.len() != 4 || !code.bytes().all(|b| b.is_ascii_digit()) {
            format!("”{code}” är ingen kommunkod (fyra siffror, t.ex. 1496)")
        } else if let Some(name) = self.code_names.get(code) {
            if self.in_region.contains(code) {
                return Some(code.to_string());
            }
            let region = &self.dataset.region().name;
            format!("kommunen {code} ({name}) har ingen gräns i regionen {region}")
        } else {
            format!("okänd kommunkod {code} (finns inte i SCB:s kommunlista)")
        };
        self.problems.push(row.problem(column, message));
        None
    }

    fn reference(
        &mut self,
        row: &Cells,
        column: &str,
        what: &str,
        known: fn(&Self) -> &HashSet<String>,
    ) -> Option<String> {
        let v = row.required(column, &mut self.problems)?;
        if known(self).contains(v) {
            Some(v.to_string())
        } else {
            self.problems
                .push(row.problem(column, format!("okänd {what} ”{v}”")));
            None
        }
    }

    /// A source: required; a reference to `sources.csv`, an address or a document's name (see
    /// [`crate::citation`]), never `seed:`; example data must say so, real data must not.
    fn source(&mut self, row: &Cells, column: &str, file: &str) -> Option<String> {
        let v = row.required(column, &mut self.problems)?;
        let own = self.own_file(file);
        let message = self
            .dataset
            .config
            .kind
            .source_problem(v, own)
            .map(str::to_string)
            // Without a readable sources.csv, every id would be "unknown": that file's one
            // problem is enough.
            .or_else(|| {
                (self.sources_read || v.contains("seed:"))
                    .then(|| self.bibliography.problem(v))
                    .flatten()
            });
        match message {
            None => Some(v.to_string()),
            Some(message) => {
                self.problems.push(row.problem(column, message));
                None
            }
        }
    }

    fn confirmed(&mut self, row: &Cells, column: &str) -> Option<Confirmed> {
        row.parse(column, &mut self.problems, Confirmed::parse)
    }

    fn codes(&mut self) -> Vec<KommunCode> {
        let mut seen = HashMap::new();
        self.each(
            "kommunkoder",
            &[req("kommunkod"), req("namn"), req("lan")],
            |cx, row| {
                let p = &mut cx.problems;
                let (Some(kod), Some(namn), Some(lan)) = (
                    row.required("kommunkod", p),
                    row.required("namn", p),
                    row.required("lan", p),
                ) else {
                    return None;
                };
                if kod.len() != 4
                    || !kod.bytes().all(|b| b.is_ascii_digit())
                    || !kod.starts_with(lan)
                {
                    let m = format!("”{kod}” är ingen kommunkod som börjar med länskoden {lan}");
                    cx.problems.push(row.problem("kommunkod", m));
                    return None;
                }
                cx.unique(&mut seen, kod.to_string(), row, "kommunkod");
                cx.code_names.insert(kod.to_string(), namn.to_string());
                Some(KommunCode {
                    kommunkod: kod.into(),
                    namn: namn.into(),
                    lan: lan.into(),
                })
            },
        )
    }

    fn boundaries(&mut self) -> Vec<Boundary> {
        let (file, text) = self.source.boundaries(self.dataset);
        let text = match text {
            Ok(t) => t,
            Err(e) => {
                self.problems.push(Problem::file(
                    &file,
                    format!("kan inte läsa gränsfilen: {e}"),
                ));
                return Vec::new();
            }
        };
        let (mut boundaries, problems, rejected) = parse_boundaries(&file, &text);
        self.problems.extend(problems);
        // A kommun whose boundary has a problem is still in the region: no second problem for
        // every row that names it.
        self.in_region.extend(rejected);
        boundaries.retain(|b| match self.code_names.get(&b.code) {
            None => {
                let m = format!(
                    "okänd kommunkod {} (finns inte i SCB:s kommunlista)",
                    b.code
                );
                self.problems.push(Problem::new(&file, b.line, 1, m));
                false
            }
            Some(name) if *name != b.name => {
                let m = format!(
                    "kommun {} heter ”{}” i kommunlistan men ”{}” här",
                    b.code, name, b.name
                );
                self.problems.push(Problem::new(&file, b.line, 1, m));
                false
            }
            Some(_) => true,
        });
        if boundaries.is_empty() && !self.code_names.is_empty() {
            self.problems
                .push(Problem::file(&file, "regionen har inga kommungränser"));
        }
        boundaries.sort_by(|a, b| a.code.cmp(&b.code));
        self.in_region
            .extend(boundaries.iter().map(|b| b.code.clone()));
        boundaries
    }

    fn programmes(&mut self) -> Vec<Programme> {
        let columns = [
            req("slug"),
            req("name"),
            req("description"),
            opt("description_en"),
            req("age_min"),
            req("age_max"),
            req("levels"),
            req("format"),
            req("source_url"),
            req("last_confirmed"),
            opt("notes"),
        ];
        let mut seen = HashMap::new();
        self.each("programmes", &columns, |cx, row| {
            let slug = cx.key(row, "slug", &mut seen, |c| &mut c.programme_slugs);
            let p = &mut cx.problems;
            let name = row.required("name", p);
            let description = row.required("description", p);
            let age_min = row.parse("age_min", p, age);
            let age_max = row.parse("age_max", p, age);
            let levels = row.parse("levels", p, |s| {
                let levels = s
                    .split(';')
                    .map(|l| Level::parse(l.trim()))
                    .collect::<Result<Vec<_>, _>>()?;
                let mut unique = levels.clone();
                unique.sort();
                unique.dedup();
                if unique.len() != levels.len() {
                    return Err("samma nivå står flera gånger".into());
                }
                Ok(unique)
            });
            let format = row.parse("format", p, Format::parse);
            let source_url = row.parse("source_url", p, url);
            let last_confirmed = cx.confirmed(row, "last_confirmed");
            if let (Some(min), Some(max)) = (age_min, age_max)
                && min > max
            {
                let m = format!("age_max {max} är lägre än age_min {min}");
                cx.problems.push(row.problem("age_max", m));
                return None;
            }
            let (
                Some(slug),
                Some(name),
                Some(description),
                Some(age_min),
                Some(age_max),
                Some(levels),
                Some(format),
                Some(source_url),
                Some(last_confirmed),
            ) = (
                slug,
                name,
                description,
                age_min,
                age_max,
                levels,
                format,
                source_url,
                last_confirmed,
            )
            else {
                return None;
            };
            Some(Programme {
                slug,
                name: name.into(),
                description: description.into(),
                description_en: row.text("description_en").into(),
                age_min,
                age_max,
                levels,
                format,
                source_url,
                last_confirmed,
                notes: row.text("notes").into(),
            })
        })
    }

    fn rounds(&mut self) -> Vec<Round> {
        let columns = [
            req("id"),
            req("name"),
            req("kind"),
            req("collected"),
            opt("note"),
            req("source"),
            opt("status"),
        ];
        let mut seen = HashMap::new();
        let rounds = self.each("rounds", &columns, |cx, row| {
            let id = cx.key(row, "id", &mut seen, |c| &mut c.round_ids);
            let p = &mut cx.problems;
            let name = row.required("name", p);
            let kind = row.parse("kind", p, RoundKind::parse);
            let collected = row.parse("collected", p, Period::parse);
            // Empty or absent: closed (files from before rounds could be opened).
            let status = row
                .parse_optional("status", p, RoundStatus::parse)
                .map(|s| s.unwrap_or(RoundStatus::Closed));
            let source = cx.source(row, "source", "rounds");
            let (Some(id), Some(name), Some(kind), Some(status), Some(collected), Some(source)) =
                (id, name, kind, status, collected, source)
            else {
                return None;
            };
            Some(Round {
                id,
                name: name.into(),
                kind,
                status,
                collected,
                note: row.text("note").into(),
                source,
            })
        });
        if rounds.is_empty() && !self.problems.iter().any(|p| p.file.ends_with("rounds.csv")) {
            let file = self.source.shown(self.dataset, "rounds");
            self.problems
                .push(Problem::file(file, "minst en omgång behövs"));
        }
        rounds
    }

    fn documents(&mut self) -> Vec<Document> {
        let columns = [
            req("slug"),
            req("title"),
            req("kind"),
            req("owner"),
            req("source"),
        ];
        let mut seen = HashMap::new();
        self.each("documents", &columns, |cx, row| {
            let slug = cx.key(row, "slug", &mut seen, |c| &mut c.document_slugs);
            let p = &mut cx.problems;
            let title = row.required("title", p);
            let kind = row.parse("kind", p, DocumentKind::parse);
            let owner = row.required("owner", p);
            let source = cx.source(row, "source", "documents");
            let (Some(slug), Some(title), Some(kind), Some(owner), Some(source)) =
                (slug, title, kind, owner, source)
            else {
                return None;
            };
            Some(Document {
                slug,
                title: title.into(),
                kind,
                owner: owner.into(),
                source,
            })
        })
    }

    fn offerings(&mut self) -> Vec<Offering> {
        let columns = [
            req("kommun"),
            req("programme"),
            req("round"),
            req("status"),
            opt("organiser"),
            opt("contact_url"),
            opt("languages"),
            req("last_confirmed"),
            req("source"),
            opt("note"),
        ];
        let mut seen = HashMap::new();
        self.each("offerings", &columns, |cx, row| {
            let kommun = cx.kommun(row, "kommun");
            let programme = cx.reference(row, "programme", "programkod", |c| &c.programme_slugs);
            let round = cx.reference(row, "round", "omgång", |c| &c.round_ids);
            let p = &mut cx.problems;
            let status = row.parse("status", p, OfferingStatus::parse);
            let contact_url = row.parse_optional("contact_url", p, url);
            let last_confirmed = cx.confirmed(row, "last_confirmed");
            let source = cx.source(row, "source", "offerings");
            let (
                Some(kommun),
                Some(programme),
                Some(round),
                Some(status),
                Some(contact_url),
                Some(last_confirmed),
                Some(source),
            ) = (
                kommun,
                programme,
                round,
                status,
                contact_url,
                last_confirmed,
                source,
            )
            else {
                return None;
            };
            cx.unique(
                &mut seen,
                (kommun.clone(), programme.clone(), round.clone()),
                row,
                "programme",
            );
            let languages = row
                .text("languages")
                .split(';')
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(String::from)
                .collect();
            Some(Offering {
                kommun,
                programme,
                round,
                status,
                organiser: row.text("organiser").into(),
                contact_url: contact_url.unwrap_or_default(),
                languages,
                last_confirmed,
                source,
                note: row.text("note").into(),
            })
        })
    }

    fn sources(&mut self) -> Bibliography {
        let columns = [
            req("id"),
            req("title"),
            req("publisher"),
            req("kind"),
            req("date"),
            opt("url"),
            opt("accessed"),
            opt("note"),
        ];
        let mut seen = HashMap::new();
        let mut urls: HashMap<String, usize> = HashMap::new();
        let own = self.own_file("sources");
        let file = self.source.shown(self.dataset, "sources");
        let entries = self.each("sources", &columns, |cx, row| {
            let id = row.parse("id", &mut cx.problems, slug);
            if let Some(id) = &id {
                cx.unique(&mut seen, id.clone(), row, "id");
            }
            let p = &mut cx.problems;
            let title = row.required("title", p);
            if let Some(m) = title.and_then(|t| cx.dataset.config.kind.source_problem(t, own)) {
                cx.problems.push(row.problem("title", m));
            }
            let p = &mut cx.problems;
            let publisher = row.required("publisher", p);
            let kind = row.parse("kind", p, SourceKind::parse);
            let date = row.parse("date", p, Confirmed::parse);
            let url = row.parse_optional("url", p, url);
            let accessed = row.parse_optional("accessed", p, PartialDate::parse);
            // An address names one source: a second row with it would make a typed address
            // ambiguous.
            if let Some(Some(u)) = &url {
                let key = u.trim_end_matches('/').to_string();
                if let Some(first) = urls.get(&key) {
                    let m = format!("samma adress som rad {first}: en adress hör till en källa");
                    cx.problems.push(row.problem("url", m));
                } else {
                    urls.insert(key, row.line);
                }
            }
            let (
                Some(id),
                Some(title),
                Some(publisher),
                Some(kind),
                Some(date),
                Some(url),
                Some(accessed),
            ) = (id, title, publisher, kind, date, url, accessed)
            else {
                return None;
            };
            Some(SourceEntry {
                id,
                title: title.into(),
                publisher: publisher.into(),
                kind,
                date,
                url: url.unwrap_or_default(),
                accessed,
                note: row.text("note").into(),
            })
        });
        self.sources_read = !self.problems.iter().any(|p| p.file == file && p.line <= 1);
        self.bibliography = Bibliography::new(entries);
        self.bibliography.clone()
    }

    fn contacts(&mut self) -> Vec<Contact> {
        let columns = [
            req("kommun"),
            req("kind"),
            req("name"),
            opt("url"),
            req("last_confirmed"),
            req("source"),
            opt("note"),
            opt("address"),
            opt("lat"),
            opt("lon"),
        ];
        let mut seen = HashMap::new();
        self.each("contacts", &columns, |cx, row| {
            let kommun = cx.kommun(row, "kommun");
            let p = &mut cx.problems;
            let kind = row.parse("kind", p, ContactKind::parse);
            let name = row.required("name", p);
            // A kommun's website is the way to ask; a familjecentral may be known only from a
            // source that is no page about it.
            let url = match kind {
                Some(ContactKind::Website) => row.parse("url", p, url).map(Some),
                _ => row.parse_optional("url", p, url),
            };
            let point = cx.point(row, kind, kommun.as_deref());
            let last_confirmed = cx.confirmed(row, "last_confirmed");
            let source = cx.source(row, "source", "contacts");
            if !row.text("address").is_empty() && kind == Some(ContactKind::Website) {
                let m = "en adress anges bara för en familjecentral";
                cx.problems.push(row.problem("address", m));
                return None;
            }
            let (
                Some(kommun),
                Some(kind),
                Some(name),
                Some(url),
                Some(point),
                Some(last_confirmed),
                Some(source),
            ) = (kommun, kind, name, url, point, last_confirmed, source)
            else {
                return None;
            };
            let url = url.unwrap_or_default();
            let key = if url.is_empty() {
                name.to_string()
            } else {
                url.clone()
            };
            cx.unique(&mut seen, (kommun.clone(), key), row, "url");
            Some(Contact {
                kommun,
                kind,
                name: name.into(),
                url,
                last_confirmed,
                source,
                note: row.text("note").into(),
                address: row.text("address").into(),
                point,
            })
        })
    }

    /// A contact's `lat`, `lon`: both or neither, degrees in range, inside its kommun, and only
    /// for a familjecentral. `Some(None)`: no point; None: a problem (reported).
    fn point(
        &mut self,
        row: &Cells,
        kind: Option<ContactKind>,
        kommun: Option<&str>,
    ) -> Option<Option<Point>> {
        let (lat, lon) = (row.text("lat"), row.text("lon"));
        if lat.is_empty() && lon.is_empty() {
            return Some(None);
        }
        if kind == Some(ContactKind::Website) {
            let m = "koordinater anges bara för en familjecentral (en punkt där källan ger en)";
            self.problems.push(row.problem("lat", m));
            return None;
        }
        let degrees = |name: &str, v: &str, limit: f64| -> Result<f64, String> {
            if v.is_empty() {
                return Err(format!(
                    "{name} saknas: ange både lat och lon, eller ingen av dem"
                ));
            }
            match v.parse::<f64>() {
                Ok(x) if x.is_finite() && x.abs() <= limit => Ok(x),
                Ok(_) => Err(format!("{name}: {v} ligger utanför ±{limit} grader")),
                Err(_) => Err(format!(
                    "{name}: ”{v}” är inget tal (grader i WGS 84 med decimalpunkt, t.ex. 58.3)"
                )),
            }
        };
        let lat = degrees("lat", lat, 90.0).map_err(|m| self.problems.push(row.problem("lat", m)));
        let lon = degrees("lon", lon, 180.0).map_err(|m| self.problems.push(row.problem("lon", m)));
        let (Ok(lat), Ok(lon)) = (lat, lon) else {
            return None;
        };
        let shape = kommun.and_then(|code| {
            self.boundaries
                .as_ref()
                .and_then(|bs| bs.iter().find(|b| b.code == code))
        });
        if let Some(b) = shape {
            use geo::Intersects;
            if !b.shape.intersects(&geo::Point::new(lon, lat)) {
                let m = format!(
                    "punkten {lat}, {lon} ligger inte i {} (lat är nord, lon är öst)",
                    b.name
                );
                self.problems.push(row.problem("lat", m));
                return None;
            }
        }
        Some(Some(Point { lat, lon }))
    }

    fn other_support(&mut self) -> Vec<OtherSupport> {
        let columns = [
            req("kommun"),
            req("title"),
            req("description"),
            opt("period"),
            req("status"),
            req("last_confirmed"),
            req("source"),
            opt("note"),
        ];
        let mut seen = HashMap::new();
        self.each("other_support", &columns, |cx, row| {
            let kommun = cx.kommun(row, "kommun");
            let p = &mut cx.problems;
            let title = row.required("title", p);
            let description = row.required("description", p);
            let period = row.parse_optional("period", p, Period::parse);
            let status = row.parse("status", p, SupportStatus::parse);
            let last_confirmed = cx.confirmed(row, "last_confirmed");
            let source = cx.source(row, "source", "other_support");
            let (
                Some(kommun),
                Some(title),
                Some(description),
                Some(period),
                Some(status),
                Some(last_confirmed),
                Some(source),
            ) = (
                kommun,
                title,
                description,
                period,
                status,
                last_confirmed,
                source,
            )
            else {
                return None;
            };
            cx.unique(&mut seen, (kommun.clone(), title.to_string()), row, "title");
            Some(OtherSupport {
                kommun,
                title: title.into(),
                description: description.into(),
                period,
                status,
                last_confirmed,
                source,
                note: row.text("note").into(),
            })
        })
    }

    fn sambu(&mut self) -> Vec<Sambu> {
        let columns = [
            req("kommun"),
            req("status"),
            opt("name"),
            opt("since"),
            req("last_confirmed"),
            req("source"),
            opt("note"),
        ];
        let mut seen = HashMap::new();
        self.each("sambu", &columns, |cx, row| {
            let kommun = cx.kommun(row, "kommun");
            let p = &mut cx.problems;
            let status = row.parse("status", p, SambuStatus::parse);
            let since = row.parse_optional("since", p, PartialDate::parse);
            let last_confirmed = cx.confirmed(row, "last_confirmed");
            let source = cx.source(row, "source", "sambu");
            let (Some(kommun), Some(status), Some(since), Some(last_confirmed), Some(source)) =
                (kommun, status, since, last_confirmed, source)
            else {
                return None;
            };
            cx.unique(&mut seen, kommun.clone(), row, "kommun");
            Some(Sambu {
                kommun,
                status,
                name: row.text("name").into(),
                since,
                last_confirmed,
                source,
                note: row.text("note").into(),
            })
        })
    }

    fn partssamverkan(&mut self) -> Vec<Partssamverkan> {
        let columns = [
            req("kommun"),
            req("status"),
            opt("action_plan"),
            req("last_confirmed"),
            req("source"),
            opt("note"),
        ];
        let mut seen = HashMap::new();
        self.each("partssamverkan", &columns, |cx, row| {
            let kommun = cx.kommun(row, "kommun");
            let p = &mut cx.problems;
            let status = row.parse("status", p, PartsStatus::parse);
            let plan = row.parse_optional("action_plan", p, ActionPlan::parse);
            let last_confirmed = cx.confirmed(row, "last_confirmed");
            let source = cx.source(row, "source", "partssamverkan");
            let (Some(kommun), Some(status), Some(plan), Some(last_confirmed), Some(source)) =
                (kommun, status, plan, last_confirmed, source)
            else {
                return None;
            };
            cx.unique(&mut seen, kommun.clone(), row, "kommun");
            Some(Partssamverkan {
                kommun,
                status,
                action_plan: plan.unwrap_or(ActionPlan::Unknown),
                last_confirmed,
                source,
                note: row.text("note").into(),
            })
        })
    }

    fn adherence(&mut self) -> Vec<Adherence> {
        let columns = [
            req("document"),
            req("kommun"),
            req("status"),
            req("date"),
            opt("note"),
            req("source"),
        ];
        let mut seen = HashMap::new();
        self.each("adherence", &columns, |cx, row| {
            let document = cx.reference(row, "document", "dokumentkod", |c| &c.document_slugs);
            let kommun = cx.kommun(row, "kommun");
            let status = row.parse("status", &mut cx.problems, AdherenceStatus::parse);
            let date = cx.confirmed(row, "date");
            let source = cx.source(row, "source", "adherence");
            let (Some(document), Some(kommun), Some(status), Some(date), Some(source)) =
                (document, kommun, status, date, source)
            else {
                return None;
            };
            cx.unique(&mut seen, (document.clone(), kommun.clone()), row, "kommun");
            Some(Adherence {
                document,
                kommun,
                status,
                date,
                note: row.text("note").into(),
                source,
            })
        })
    }

    fn trainings(&mut self) -> Vec<Training> {
        let columns = [
            req("kommun"),
            req("kind"),
            req("audience"),
            req("participants"),
            req("approximate"),
            req("period"),
            req("last_confirmed"),
            req("source"),
        ];
        let mut seen = HashMap::new();
        self.each("trainings", &columns, |cx, row| {
            let kommun = cx.kommun(row, "kommun");
            let p = &mut cx.problems;
            let kind = row.parse("kind", p, TrainingKind::parse);
            let audience = row.required("audience", p);
            let participants = row.parse("participants", p, whole_number);
            let approximate = row.parse("approximate", p, boolean);
            let period = row.parse("period", p, Period::parse);
            let last_confirmed = cx.confirmed(row, "last_confirmed");
            let source = cx.source(row, "source", "trainings");
            let (
                Some(kommun),
                Some(kind),
                Some(audience),
                Some(participants),
                Some(approximate),
                Some(period),
                Some(last_confirmed),
                Some(source),
            ) = (
                kommun,
                kind,
                audience,
                participants,
                approximate,
                period,
                last_confirmed,
                source,
            )
            else {
                return None;
            };
            cx.unique(
                &mut seen,
                (kommun.clone(), kind, audience.to_string()),
                row,
                "audience",
            );
            Some(Training {
                kommun,
                kind,
                audience: audience.into(),
                participants,
                approximate,
                period,
                last_confirmed,
                source,
            })
        })
    }

    fn region_facts(&mut self) -> Vec<RegionFact> {
        let columns = [
            req("topic"),
            req("period"),
            req("measure"),
            req("value"),
            req("text"),
            req("last_confirmed"),
            req("source"),
        ];
        let mut seen = HashMap::new();
        self.each("region_facts", &columns, |cx, row| {
            let p = &mut cx.problems;
            let topic = row.parse("topic", p, FactTopic::parse);
            let period = row.parse("period", p, Period::parse);
            let measure = row.parse("measure", p, |s| {
                if !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
                    Ok(s.to_string())
                } else {
                    Err(format!("”{s}” är inget måttnamn (a–z och _)"))
                }
            });
            let value = row.parse("value", p, whole_number);
            let text = row.required("text", p);
            let last_confirmed = cx.confirmed(row, "last_confirmed");
            let source = cx.source(row, "source", "region_facts");
            let (
                Some(topic),
                Some(period),
                Some(measure),
                Some(value),
                Some(text),
                Some(last_confirmed),
                Some(source),
            ) = (topic, period, measure, value, text, last_confirmed, source)
            else {
                return None;
            };
            cx.unique(
                &mut seen,
                (topic, period.to_string(), measure.clone()),
                row,
                "measure",
            );
            Some(RegionFact {
                topic,
                period,
                measure,
                value,
                text: text.into(),
                last_confirmed,
                source,
            })
        })
    }
}
