//! Exports under `/api/v1/export/{vad}`: the tables of [`tables`] as CSV (two profiles), XLSX or
//! GeoJSON, following the same filters as the pages (`region, kommun/kommuner, age, level, round,
//! programme, document, layer`). Bodies are built once per snapshot and query, with an ETag.

pub mod csv;
pub mod dcat;
pub mod rdf;
pub mod tables;
pub mod xlsx;

use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderValue, header};
use axum::routing::get;
use serde_json::{Value, json};

use crate::AppState;
use crate::atlas::Atlas;
use crate::dataset::Kind;
use crate::feature::FeatureCollection;
use crate::http::bodies::{Fixed, Key};
use crate::http::body::Body;
use crate::http::error::RequestError;
use crate::http::params::{self, Params};
use crate::http::{Answer, Req, cors};
use crate::views::{self, Layer};
use csv::Profile;
use tables::{Filter, Table, TableKind};

pub const CSV_CONTENT_TYPE: &str = "text/csv; charset=utf-8; header=present";

/// The terms of the data as the project states them (the "Om data" sheet, the DCAT catalogue).
pub const TERMS: &str = "Kommungränser och kommunkoder: CC0. Övriga uppgifter kommer från de källor som anges per rad; ange källan när du använder dem.";
pub const TERMS_EN: &str = "Kommun boundaries and codes: CC0. All other records come from the sources named on each row; name the source when you use them.";

/// The parameters every export accepts (those that do not apply to a table are checked, then
/// ignored, so a page can pass its whole state).
const PARAMS: &[&str] = &[
    "format",
    "profil",
    "region",
    "kommun",
    "kommuner",
    "age",
    "level",
    "round",
    "programme",
    "document",
    "layer",
];

crate::vocabulary::vocabulary!(
    /// An export format (`?format=`).
    Format {
        Csv = "csv": "CSV",
        Xlsx = "xlsx": "Excel-arbetsbok (XLSX)",
        Geojson = "geojson": "GeoJSON (RFC 7946)",
    }
);

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/export", get(index))
        .route("/api/v1/export/{vad}", get(export))
        .route(dcat::PATH, get(catalogue_rdf))
        .route(&format!("{}.ttl", dcat::PATH), get(catalogue_turtle))
        .layer(axum::middleware::from_fn(cors))
}

/// `GET /datasets/dcat`: the DCAT-AP-SE catalogue as RDF/XML (what Sveriges dataportal reads).
async fn catalogue_rdf(req: Req) -> Answer {
    catalogue(&req, dcat::RdfFormat::RdfXml)
}

/// `GET /datasets/dcat.ttl`: the same catalogue as Turtle.
async fn catalogue_turtle(req: Req) -> Answer {
    catalogue(&req, dcat::RdfFormat::Turtle)
}

fn catalogue(req: &Req, format: dcat::RdfFormat) -> Answer {
    req.params(&[])?;
    req.fixed(Fixed::Catalogue(format))
        .map(|b| req.send(b))
        .ok_or_else(RequestError::unknown_path)
}

/// What an export path names: one table, the table of a map layer, or every table (XLSX).
#[derive(Debug, Clone, Copy)]
enum What {
    Table(TableKind),
    Layer,
    All,
}

fn what(name: &str) -> Result<What, RequestError> {
    match name {
        "lager" => Ok(What::Layer),
        "alla" => Ok(What::All),
        _ => TableKind::parse(name).map(What::Table).map_err(|_| {
            let mut known: Vec<&str> = TableKind::ALL.iter().map(|t| t.code()).collect();
            known.extend(["lager", "alla"]);
            RequestError::unknown_export(name, &known)
        }),
    }
}

/// The table that shows a map layer of `/api/v1/layers/{layer}`.
pub fn layer_table(layer: Layer) -> TableKind {
    match layer {
        Layer::Offerings => TableKind::Kommuner,
        Layer::Sambu => TableKind::Sambu,
        Layer::Partssamverkan => TableKind::Partssamverkan,
        Layer::Adherence => TableKind::Foljsamhet,
        Layer::Trainings => TableKind::Utbildningar,
        Layer::Familjecentraler => TableKind::Familjecentraler,
    }
}

/// The filter a page's query asks for.
fn filter(a: &Atlas, p: &Params) -> Result<Filter, RequestError> {
    if let Some(region) = p.get("region")
        && region != a.inventory.dataset.region_id
    {
        return Err(RequestError::unknown_region(
            region,
            &a.inventory.dataset.region_id,
        ));
    }
    let kommuner = match (p.get("kommun"), p.get("kommuner")) {
        (Some(_), Some(_)) => {
            return Err(RequestError::invalid(
                "kommun, kommuner: ange bara den ena.",
            ));
        }
        (Some(list), None) => Some(params::kommuner(a, "kommun", list)?),
        (None, Some(list)) => Some(params::kommuner(a, "kommuner", list)?),
        (None, None) => None,
    };
    Ok(Filter {
        kommuner,
        rounds: p
            .get("round")
            .map(|l| params::list(a, "round", l, params::round))
            .transpose()?,
        age: p.age()?,
        level: p.get("level").map(|_| p.level()).transpose()?,
        programmes: p
            .get("programme")
            .map(|l| params::list(a, "programme", l, params::programme))
            .transpose()?,
        documents: p
            .get("document")
            .map(|l| params::list(a, "document", l, params::document))
            .transpose()?,
    })
}

async fn export(req: Req, Path(vad): Path<String>) -> Answer {
    let p = req.params(PARAMS)?;
    let a = req.atlas();
    let what = what(&vad)?;
    let bad = RequestError::invalid;
    let format = match p.get("format") {
        Some(v) => Format::parse(v).map_err(|m| bad(format!("format: {m}.")))?,
        None if matches!(what, What::Layer) => Format::Geojson,
        None if matches!(what, What::All) => Format::Xlsx,
        None => Format::Csv,
    };
    let profile = match p.get("profil") {
        Some(v) => Profile::parse(v).map_err(|m| bad(format!("profil: {m}.")))?,
        None => Profile::Excel,
    };
    let layer = match p.get("layer") {
        Some(v) => Layer::parse(v).map_err(|m| bad(format!("layer: {m}.")))?,
        None => Layer::Offerings,
    };
    let f = filter(a, &p)?;
    let kinds: Vec<TableKind> = match what {
        What::Table(t) => vec![t],
        What::Layer => vec![layer_table(layer)],
        What::All if format == Format::Xlsx => TableKind::ALL.to_vec(),
        What::All => {
            return Err(bad(
                "format: alla tabeller finns bara som en arbetsbok (format=xlsx).".into(),
            ));
        }
    };
    if format == Format::Geojson && kinds == [TableKind::Matris] {
        return Err(bad(
            "format: matrisen finns som csv och xlsx; som karta finns lager med layer=offerings (GeoJSON).".into(),
        ));
    }
    let today = crate::dates::today();
    let source = format!(
        "/api/v1/export/{vad}{}",
        req.query().map(|q| format!("?{q}")).unwrap_or_default()
    );
    let key = Key::Export {
        what: vad.clone(),
        format: format.code(),
        profile: profile.code(),
        layer,
        filter: f.clone(),
        today: (format == Format::Xlsx).then(|| today.clone()),
    };
    let body = req.body(key, |a| {
        let tables: Vec<Table> = kinds.iter().map(|k| tables::build(a, *k, &f)).collect();
        match format {
            Format::Csv => Body::new(CSV_CONTENT_TYPE, csv::write(&tables[0], profile)),
            Format::Xlsx => Body::new(
                xlsx::CONTENT_TYPE,
                xlsx::write(&tables, &about(a, &tables, &f, &today, &source)),
            ),
            Format::Geojson => geojson(a, &tables[0]),
        }
    });
    let extension = match format {
        Format::Csv => "csv",
        Format::Xlsx => "xlsx",
        Format::Geojson => "geojson",
    };
    let name = file_name(a, what, &kinds, &f, extension);
    let mut r = req.send(&body);
    r.headers_mut().insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&format!(
            "attachment; filename=\"{name}\"; filename*=UTF-8''{name}"
        ))
        .expect("file names are ASCII"),
    );
    Ok(r)
}

/// A table as an RFC 7946 FeatureCollection (top-level ids, WGS 84, no `crs`), with the API's
/// metadata as a foreign member.
pub fn geojson(a: &Atlas, table: &Table) -> Body {
    Body::geojson(&FeatureCollection {
        members: vec![("name", json!(table.kind.code())), ("meta", views::meta(a))],
        features: table
            .rows
            .iter()
            .map(|row| table.feature(a, row, None))
            .collect(),
    })
}

/// A file name that says what the file holds: `skaraborg_program_matris_uppfoljning-2024.xlsx`,
/// with `exempel_` first for example data. ASCII only, so every browser keeps it.
fn file_name(a: &Atlas, what: What, kinds: &[TableKind], f: &Filter, ext: &str) -> String {
    let d = &a.inventory.dataset;
    let mut parts: Vec<String> = Vec::new();
    if d.config.kind == Kind::Example {
        parts.push("exempel".into());
    }
    parts.push(d.region_id.clone());
    parts.push(match (what, kinds) {
        (What::All, _) => "alla_tabeller".into(),
        (_, [TableKind::Matris]) => "program_matris".into(),
        (_, [TableKind::Erbjudanden]) => "program_erbjudanden".into(),
        (_, [k, ..]) => k.code().into(),
        (_, []) => "export".into(),
    });
    let single_round = matches!(
        kinds,
        [TableKind::Matris | TableKind::Tackning | TableKind::Kommuner]
    );
    match &f.rounds {
        Some(rs) if !single_round => {
            parts.extend(rs.iter().map(|&r| a.inventory.rounds[r].id.clone()));
        }
        _ if single_round || matches!(what, What::All) => {
            parts.push(a.inventory.rounds[f.round(a)].id.clone());
        }
        _ => {}
    }
    if let Some(ks) = &f.kommuner {
        parts.push(if ks.len() <= 4 {
            ks.iter()
                .map(|&k| a.kommuner()[k].code.as_str())
                .collect::<Vec<_>>()
                .join("-")
        } else {
            "urval".into()
        });
    }
    // The filters that chose rows or columns, so a filtered file is not mistaken for the whole.
    if let Some(age) = f.age {
        parts.push(if age < 0 {
            "graviditet".into()
        } else {
            format!("alder-{age}")
        });
    }
    if let Some(l) = f.level.filter(|l| *l != crate::coverage::LevelFilter::All) {
        parts.push(format!("niva-{}", l.code()));
    }
    if let Some(ps) = &f.programmes {
        parts.push(match ps.as_slice() {
            [p] => a.programmes()[*p].slug.clone(),
            _ => "programurval".into(),
        });
    }
    let name: String = parts
        .join("_")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("{name}.{ext}")
}

/// The "Om data" sheet: what the workbook holds, from where, when, and what *okänt* means.
fn about(
    a: &Atlas,
    tables: &[Table],
    f: &Filter,
    today: &str,
    source: &str,
) -> Vec<(String, String)> {
    let d = &a.inventory.dataset;
    let mut rows: Vec<(&str, String)> = Vec::new();
    if d.config.kind == Kind::Example {
        rows.push((
            "EXEMPELDATA",
            "Uppgifterna i den här filen är påhittade. De visar bara hur tjänsten fungerar och får inte användas som verkliga uppgifter.".into(),
        ));
    }
    let round = &a.inventory.rounds[f.round(a)];
    let round_text = match &f.rounds {
        Some(rs) if rs.len() > 1 => rs
            .iter()
            .map(|&r| a.inventory.rounds[r].name.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        Some(_) => format!("{} ({})", round.name, round.id),
        None => format!(
            "{} ({}); erbjudandetabellen har alla omgångar",
            round.name, round.id
        ),
    };
    // An open survey round's answers are not final: the file says so.
    let round_text = match f.rounds.as_deref() {
        Some(rs) if rs.iter().any(|&r| a.in_progress(r)) => {
            format!("{round_text} – {}", crate::atlas::IN_PROGRESS)
        }
        _ => round_text,
    };
    let describe = |ks: &Option<Vec<usize>>, names: &dyn Fn(usize) -> String| match ks {
        Some(ks) => ks.iter().map(|&i| names(i)).collect::<Vec<_>>().join(", "),
        None => "alla".into(),
    };
    rows.extend([
        (
            "Innehåll",
            tables
                .iter()
                .map(|t| format!("{}: {}", t.kind.label(), t.kind.description()))
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        ("Region", format!("{} ({} kommuner)", d.region().name, a.kommuner().len())),
        ("Datamängd", format!("{} – {}", d.config.title, d.config.kind.label())),
        ("Omgång", round_text),
        ("Exportdatum", today.to_string()),
        ("Hämtad från", source.to_string()),
        (
            "Urval: kommuner",
            describe(&f.kommuner, &|k| format!("{} ({})", a.kommuner()[k].name, a.kommuner()[k].code)),
        ),
        (
            "Urval: ålder",
            f.age.map_or("alla".into(), |x| crate::coverage::age_label(x, x)),
        ),
        (
            "Urval: nivå",
            f.level.map_or("alla".into(), |l| format!("{} ({})", tables::level_filter_label(l), l.code())),
        ),
        ("Urval: program", describe(&f.programmes, &|p| a.programmes()[p].slug.clone())),
        (
            "Urval: dokument",
            describe(&f.documents, &|x| a.inventory.documents[x].slug.clone()),
        ),
        (
            "Okänt",
            "”okänt” betyder att det saknas uppgift: kommunen har inte svarat eller uppgiften finns inte i någon offentlig källa. Det är inte samma sak som ”erbjuds inte”, och räknas aldrig som 0 eller nej.".into(),
        ),
        (
            "Matrisens celler",
            "erbjuds = kommunen erbjuder programmet; erbjuds inte = kommunen har uppgett att programmet inte erbjuds; okänt = inget svar. Rader utan uppgift har tom källa och tomt datum.".into(),
        ),
        (
            "Nivåer",
            "universell (kod universal): för alla föräldrar; selektiv (selective): grupper med högre risk, t.ex. separerade föräldrar eller föräldrar nya i Sverige; indikerad (indicated): barnet visar redan problem.".into(),
        ),
        (
            "Täckning",
            "En ålder 0–17 år räknas som täckt på en nivå när kommunen erbjuder minst ett program för den åldern på den nivån i omgången. Andel = täckta år / 18. Luckor som kan bero på okänt: åldrar som ett program med okänd status skulle täcka.".into(),
        ),
        (
            "Kolumner",
            "En kolumn med svensk text har sin stabila kod i kolumnen bredvid, med samma namn och ”kod” sist: status och statuskod, niva och nivakod, typ och typkod (som kommun och kommunkod). Använd koderna i skript; de ändras inte. Kommunkod och län är text, så att 0114 och 01 behåller sina nollor.".into(),
        ),
        ("Källor", sources(a, tables).join("\n")),
        ("Kommungränser", format!("{}; kommunkoder och namn: SCB (CC0)", d.config.attribution)),
        ("Licens", TERMS.into()),
    ]);
    let mut rows: Vec<(String, String)> =
        rows.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
    // What each column of each sheet holds, after the general rows.
    let at = rows
        .iter()
        .position(|(k, _)| k == "Kolumner")
        .map_or(rows.len(), |i| i + 1);
    let help: Vec<(String, String)> = tables
        .iter()
        .map(|t| (format!("Kolumner: {}", t.kind.label()), columns_text(t)))
        .collect();
    rows.splice(at..at, help);
    rows
}

/// A sheet's columns, one line each (`status – vad tjänsten visar i dag …`); neighbours with
/// the same description share a line (`alder_min, alder_max`, the matrix's programmes).
fn columns_text(t: &Table) -> String {
    let mut groups: Vec<(Vec<&str>, Option<String>)> = Vec::new();
    for c in &t.columns {
        let help = tables::column_help(t.kind, c);
        match groups.last_mut() {
            Some((names, h)) if *h == help && help.is_some() => names.push(c),
            _ => groups.push((vec![c], help)),
        }
    }
    groups
        .into_iter()
        .map(|(names, help)| {
            let names = match names.as_slice() {
                [first, .., last] if names.len() > 3 => {
                    format!("{first} … {last} ({} kolumner)", names.len())
                }
                _ => names.join(", "),
            };
            match help {
                Some(h) => format!("{names} – {h}"),
                None => names,
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn sources(a: &Atlas, tables: &[Table]) -> Vec<String> {
    let mut out: Vec<String> = tables.iter().flat_map(Table::sources).collect();
    out.extend(
        a.inventory
            .rounds
            .iter()
            .map(|r| a.inventory.sources.text(&r.source, crate::lang::Lang::Sv)),
    );
    out.sort();
    out.dedup();
    out
}

/// `GET /api/v1/export`: what can be exported, with example links.
async fn index(req: Req) -> Answer {
    req.params(&[])?;
    let body = req.body(Key::ExportIndex, |a| {
        let tables: Vec<Value> = TableKind::ALL
            .iter()
            .map(|t| {
                json!({
                    "id": t.code(), "title": t.title(), "description": t.description(),
                    "csv_excel": format!("/api/v1/export/{}?format=csv&profil=excel", t.code()),
                    "csv_rfc4180": format!("/api/v1/export/{}?format=csv&profil=rfc4180", t.code()),
                    "xlsx": format!("/api/v1/export/{}?format=xlsx", t.code()),
                    "geojson": (*t != TableKind::Matris).then(|| format!("/api/v1/export/{}?format=geojson", t.code())),
                })
            })
            .collect();
        Body::json(&json!({
            "meta": views::meta(a),
            "tables": tables,
            "all_tables_xlsx": "/api/v1/export/alla?format=xlsx",
            "layer_geojson": "/api/v1/export/lager?layer=offerings&format=geojson",
            "dcat": dcat::PATH,
            "dcat_turtle": format!("{}.ttl", dcat::PATH),
            "parameters": PARAMS,
            "profiles": Profile::ALL.iter().map(|p| json!({"id": p.code(), "title": p.label()})).collect::<Vec<_>>(),
        }))
    });
    Ok(req.send(&body))
}
