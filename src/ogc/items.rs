//! `/ogc/collections/{id}/items` (paged, filtered by `bbox` and properties) and
//! `/ogc/collections/{id}/items/{featureId}`.

use std::borrow::Cow;

use axum::extract::Path;
use geo::{Contains, Intersects, Rect, coord};
use serde_json::json;

use super::catalog::{collection, queryables};
use super::{Answer, Ogc, OgcError, Out, link};
use crate::atlas::Atlas;
use crate::export::tables::{self, Filter, Row, Table, TableKind};
use crate::feature::FeatureCollection;
use crate::http::Req;
use crate::http::bodies::Bodies;
use crate::http::body::{Body, GEOJSON};
use crate::http::params::{self, Params};

pub const LIMIT_DEFAULT: usize = 100;
pub const LIMIT_MAX: usize = 1000;

/// The parameters every items request takes besides the collection's property filters.
pub const CORE_PARAMS: [&str; 5] = ["f", "limit", "offset", "bbox", "datetime"];

fn whole_number(p: &Params, name: &str, min: usize) -> Result<Option<usize>, OgcError> {
    p.get(name)
        .map(|v| {
            v.parse::<usize>()
                .ok()
                .filter(|n| *n >= min)
                .ok_or_else(|| OgcError::bad(format!("{name}: ”{v}” är inget heltal ≥ {min}.")))
        })
        .transpose()
}

/// `bbox=minLon,minLat,maxLon,maxLat` (or six numbers with heights), in CRS84. A box whose west
/// edge is east of its east edge crosses the antimeridian and becomes two boxes.
pub fn bbox(v: &str) -> Result<Vec<Rect<f64>>, OgcError> {
    let n: Vec<f64> = v
        .split(',')
        .map(|x| x.trim().parse::<f64>().ok().filter(|x| x.is_finite()))
        .collect::<Option<_>>()
        .ok_or_else(|| {
            OgcError::bad(format!(
                "bbox: ”{v}” är inte fyra (eller sex) tal med komma emellan."
            ))
        })?;
    let [x0, y0, x1, y1] = match n[..] {
        [a, b, c, d] => [a, b, c, d],
        [a, b, _, d, e, _] => [a, b, d, e],
        _ => {
            return Err(OgcError::bad(format!(
                "bbox: {} tal; ange fyra (minLon,minLat,maxLon,maxLat) eller sex.",
                n.len()
            )));
        }
    };
    if [x0, x1].iter().any(|x| !(-180.0..=180.0).contains(x))
        || [y0, y1].iter().any(|y| !(-90.0..=90.0).contains(y))
    {
        return Err(OgcError::bad(format!(
            "bbox: ”{v}” ligger utanför -180–180 (longitud) och -90–90 (latitud)."
        )));
    }
    if y0 > y1 {
        return Err(OgcError::bad(format!(
            "bbox: minLat {y0} är större än maxLat {y1}."
        )));
    }
    let rect = |a: f64, b: f64| Rect::new(coord! { x: a, y: y0 }, coord! { x: b, y: y1 });
    Ok(if x0 <= x1 {
        vec![rect(x0, x1)]
    } else {
        vec![rect(x0, 180.0), rect(-180.0, x1)]
    })
}

/// RFC 3339 date-time or date, or an interval `a/b` with `..` or empty for an open end. The
/// collections have no temporal extent, so every feature matches a valid value.
fn datetime(v: &str) -> Result<(), OgcError> {
    fn instant(s: &str) -> bool {
        s.parse::<jiff::Timestamp>().is_ok()
            || (s.len() == 10 && s.parse::<jiff::civil::Date>().is_ok())
    }
    let parts: Vec<&str> = v.split('/').collect();
    let ok = match parts[..] {
        [one] => instant(one),
        [from, to] => {
            let open = |s: &str| s.is_empty() || s == "..";
            (open(from) || instant(from)) && (open(to) || instant(to)) && !(open(from) && open(to))
        }
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(OgcError::bad(format!(
            "datetime: ”{v}” är ingen tidpunkt eller period enligt RFC 3339 (t.ex. 2024-03-01T00:00:00Z eller 2021-01-01T00:00:00Z/..)."
        )))
    }
}

/// The rows of a collection that match an items request, in the table's order.
pub struct Selection<'a> {
    pub table: Cow<'a, Table>,
    pub matched: Vec<usize>,
}

fn select<'a>(
    a: &Atlas,
    bodies: &'a Bodies,
    kind: TableKind,
    p: &Params,
) -> Result<Selection<'a>, OgcError> {
    let rounds = p
        .get("omgang")
        .map(|list| params::list(a, "omgang", list, params::round))
        .transpose()
        // OGC wants 400 for any invalid parameter value, an unknown round included
        // (/req/core/query-param-invalid); the JSON API says 404 for it.
        .map_err(|e| OgcError::bad(e.message))?;
    let boxes = p.get("bbox").map(bbox).transpose()?;
    if let Some(v) = p.get("datetime") {
        datetime(v)?;
    }
    let age = p
        .get("alder")
        .map(|v| {
            v.parse::<i64>().map_err(|_| {
                OgcError::bad(format!(
                    "alder: ”{v}” är ingen ålder; ange ett heltal -1–17."
                ))
            })
        })
        .transpose()?;
    let table = match (rounds, bodies.table(a, kind)) {
        (None, Some(t)) => Cow::Borrowed(t),
        (rounds, _) => Cow::Owned(tables::build(
            a,
            kind,
            &Filter {
                rounds,
                ..Filter::default()
            },
        )),
    };
    let col = |name: &str| table.column(name);
    // Property filters: a row matches when its value is one of the comma-separated values, as
    // text or as code (`status=erbjuds` or `status=offered`: the columns `X` and `Xkod`).
    let mut checks: Vec<(Vec<usize>, Vec<String>, bool)> = Vec::new();
    for (name, _, _) in queryables(kind) {
        let Some(v) = p.get(name) else { continue };
        let values: Vec<String> = v.split(',').map(|s| s.trim().to_string()).collect();
        if matches!(*name, "omgang" | "alder") {
            continue;
        }
        let cols = [col(name), col(&format!("{name}kod"))];
        // A programme has one or more levels ("universell, selektiv").
        let list = *name == "niva" && kind == TableKind::Erbjudanden;
        checks.push((cols.into_iter().flatten().collect(), values, list));
    }
    let (amin, amax) = (col("alder_min"), col("alder_max"));
    let matched = table
        .rows
        .iter()
        .enumerate()
        .filter(|(_, row)| {
            checks.iter().all(|(cols, values, list)| {
                cols.iter().any(|&c| {
                    let cell = row.cells[c].plain();
                    if *list {
                        cell.split(", ").any(|x| values.iter().any(|v| v == x))
                    } else {
                        values.contains(&cell)
                    }
                })
            })
        })
        .filter(|(_, row)| match (age, amin, amax) {
            (Some(age), Some(lo), Some(hi)) => {
                let n = |c: usize| match row.cells[c] {
                    tables::Cell::Int(i) => i,
                    _ => 0,
                };
                n(lo) <= age && age <= n(hi)
            }
            _ => true,
        })
        .filter(|(_, row)| {
            boxes
                .as_ref()
                .is_none_or(|bs| bs.iter().any(|b| intersects(a, kind, row, b)))
        })
        .map(|(i, _)| i)
        .collect();
    Ok(Selection { table, matched })
}

/// Whether a row's geometry intersects the box: the kommun's polygon, or its point. The exact
/// polygon test runs only where the boxes overlap without one containing the other, so a box
/// around the whole region costs no vertex at all.
fn intersects(a: &Atlas, kind: TableKind, row: &Row, b: &Rect<f64>) -> bool {
    let k = &a.kommuner()[row.kommun];
    if kind.point_geometry() {
        let (x, y) = k.label;
        return b.intersects(&geo::Point::new(x, y));
    }
    let [x0, y0, x1, y1] = k.bbox;
    let own = Rect::new(coord! { x: x0, y: y0 }, coord! { x: x1, y: y1 });
    b.intersects(&own) && (b.contains(&own) || a.geography.shape(row.kommun).intersects(b))
}

pub async fn items(req: Req, Path(id): Path<String>) -> Answer {
    let kind = collection(&id)?;
    let allowed: Vec<&str> = CORE_PARAMS
        .iter()
        .copied()
        .chain(queryables(kind).iter().map(|(n, _, _)| *n))
        .collect();
    let o = Ogc::new(req, &allowed)?;
    let limit = whole_number(&o.p, "limit", 1)?
        .unwrap_or(LIMIT_DEFAULT)
        .min(LIMIT_MAX);
    let offset = whole_number(&o.p, "offset", 0)?.unwrap_or(0);
    let path = format!("/ogc/collections/{id}/items");
    o.answer(&path, |a| {
        let sel = select(a, &o.req.served.bodies, kind, &o.p)?;
        let matched = sel.matched.len();
        let page: Vec<usize> = sel
            .matched
            .iter()
            .copied()
            .skip(offset)
            .take(limit)
            .collect();
        let base = &o.base;

        // Links keep every parameter but f and offset, and state the limit used.
        let mut query = super::query_without(&o.p, &["offset", "limit"]);
        if !query.is_empty() {
            query.push('&');
        }
        query.push_str("limit=");
        query.push_str(&limit.to_string());
        let with_offset = |at: usize| {
            if at == 0 {
                query.clone()
            } else {
                format!("{query}&offset={at}")
            }
        };
        let mut links = o.self_links(&path, &with_offset(offset), GEOJSON);
        let page_link = |at: usize, rel: &str, title: &str| {
            link(
                format!("{base}{path}?f=json&{}", with_offset(at)),
                rel,
                GEOJSON,
                title,
            )
        };
        if offset + page.len() < matched {
            links.push(page_link(offset + limit, "next", "Nästa sida"));
        }
        if offset > 0 {
            links.push(page_link(
                offset.saturating_sub(limit),
                "prev",
                "Föregående sida",
            ));
        }
        links.push(super::collection_link(base, &id));
        let table = &sel.table;
        let body = match o.out {
            Out::Json => Body::geojson(&FeatureCollection {
                members: vec![
                    ("numberMatched", json!(matched)),
                    ("numberReturned", json!(page.len())),
                    ("links", json!(links)),
                ],
                features: page
                    .iter()
                    .map(|&i| table.feature(a, &table.rows[i], None))
                    .collect(),
            }),
            Out::Html => {
                let rows: Vec<&Row> = page.iter().map(|&i| &table.rows[i]).collect();
                o.page(|cx| super::html::items(cx, kind, table, &rows, matched, offset, &links))
            }
        };
        Ok((body, links))
    })
}

pub async fn feature(req: Req, Path((id, fid)): Path<(String, String)>) -> Answer {
    let kind = collection(&id)?;
    let o = Ogc::new(req, &["f"])?;
    let path = format!("/ogc/collections/{id}/items/{fid}");
    o.answer(&path, |a| {
        let not_found =
            || OgcError::not_found(format!("Objektet ”{fid}” finns inte i samlingen ”{id}”."));
        let table = o.req.served.bodies.table(a, kind).ok_or_else(not_found)?;
        let row = table
            .rows
            .iter()
            .find(|r| r.id == fid)
            .ok_or_else(not_found)?;
        let mut links = o.self_links(&path, "", GEOJSON);
        links.push(super::collection_link(&o.base, &id));
        let body = match o.out {
            Out::Json => Body::geojson(&table.feature(a, row, Some(&json!(links)))),
            Out::Html => o.page(|cx| super::html::feature(cx, kind, table, row, &links)),
        };
        Ok((body, links))
    })
}
