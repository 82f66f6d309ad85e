//! What the API answers, as JSON, rendered from an Atlas. [`crate::http::bodies`] decides which
//! of these are made once per snapshot and which per validated query.

use serde_json::{Value, json};

use crate::atlas::Atlas;
use crate::citation::Citation;
use crate::coverage::{
    AgeSet, LevelFilter, LevelReport, MAX_AGE, PRENATAL, age_label, ages_label, matches, reports,
};
use crate::feature::{Feature, FeatureCollection, Geometry};
use crate::http::body::Body;
use crate::inventory::Programme;
use crate::plan::{self, Ask, Offer, Plan};
use crate::vocabulary::{
    ActionPlan, AdherenceStatus, CellState, Detail, Level, PartsStatus, SambuStatus,
};

/// What every response says about the data behind it, above all whether it is example data.
pub fn meta(a: &Atlas) -> Value {
    let d = &a.inventory.dataset;
    json!({
        "dataset": {
            "kind": d.config.kind,
            "title": d.config.title,
            "notice": d.config.kind.label(),
        },
        "region": { "id": d.region_id, "name": d.region().name, "kommuner": a.kommuner().len() },
        "default_round": a.inventory.rounds[a.default_round].id,
        "open_round": a.open_round().map(|r| &a.inventory.rounds[r].id),
        "stale_before": a.stale_before,
        "review_before": a.review.before,
        "review_after_months": a.review.months,
        "attribution": d.config.attribution,
    })
}

/// A source's citations as the API gives them beside the stable `source` reference (see
/// [`crate::citation`]).
fn citations(a: &Atlas, source: &str) -> Value {
    a.inventory.sources.json(source)
}

/// A fact with its `source`: the same object with its `citations` beside it.
fn with_citations(a: &Atlas, mut v: Value) -> Value {
    let cs = v
        .get("source")
        .and_then(Value::as_str)
        .map(|s| citations(a, s));
    if let (Some(cs), Value::Object(m)) = (cs, &mut v) {
        m.insert("citations".into(), cs);
    }
    v
}

/// A contact (a kommun's website, a familjecentral) with its citations; `point` only where
/// the source gives coordinates.
fn contact_json(a: &Atlas, c: &crate::inventory::Contact) -> Value {
    json!({
        "kind": c.kind, "kind_label": c.kind.label(), "name": c.name,
        "url": (!c.url.is_empty()).then_some(&c.url),
        "address": (!c.address.is_empty()).then_some(&c.address),
        "point": c.point,
        "last_confirmed": c.last_confirmed, "review_due": a.due(&c.last_confirmed),
        "source": c.source, "citations": citations(a, &c.source), "note": c.note,
    })
}

/// What is known about a kommun's familjecentral: `known` from a source, or `unknown` (no
/// information, never "there is none").
fn familjecentraler_json(a: &Atlas, k: usize) -> Value {
    let found: Vec<Value> = a.familjecentraler(k).map(|c| contact_json(a, c)).collect();
    let state = if found.is_empty() { "unknown" } else { "known" };
    json!({
        "familjecentral_state": state,
        "familjecentral_label": if found.is_empty() { "ingen uppgift" } else { "känd från källa" },
        "familjecentraler": found,
    })
}

/// Parenting support that is not a catalogue programme (never counted in the coverage).
fn other_support_json(a: &Atlas, k: usize) -> Vec<Value> {
    a.other_support(k)
        .map(|o| {
            let mut v = with_citations(a, json!(o));
            v["status_label"] = json!(o.status.label());
            v["review_due"] = json!(a.support_due(o));
            v
        })
        .collect()
}

fn kommun_ref(a: &Atlas, k: usize) -> Value {
    let kommun = &a.kommuner()[k];
    json!({ "kommunkod": kommun.code, "namn": kommun.name })
}

fn round_ref(a: &Atlas, r: usize) -> Value {
    let round = &a.inventory.rounds[r];
    json!({ "id": round.id, "name": round.name, "kind": round.kind, "status": round.status,
            "in_progress": a.in_progress(r), "collected": round.collected,
            "answered_kommuner": a.answered_count(r) })
}

fn sambu_json(a: &Atlas, k: usize) -> Value {
    match a.sambu(k) {
        Some(s) => json!({
            "status": s.status, "status_label": s.status.label(), "name": s.name, "since": s.since,
            "last_confirmed": s.last_confirmed, "review_due": a.due(&s.last_confirmed),
            "source": s.source, "citations": citations(a, &s.source), "note": s.note,
        }),
        None => json!({
            "status": SambuStatus::Unknown, "status_label": SambuStatus::Unknown.label(),
            "source": null, "note": "Ingen uppgift i data.",
        }),
    }
}

fn partssamverkan_json(a: &Atlas, k: usize) -> Value {
    match a.partssamverkan(k) {
        Some(s) => json!({
            "status": s.status, "status_label": s.status.label(),
            "action_plan": s.action_plan, "action_plan_label": s.action_plan.label(),
            "last_confirmed": s.last_confirmed, "review_due": a.due(&s.last_confirmed),
            "source": s.source, "citations": citations(a, &s.source), "note": s.note,
        }),
        None => json!({
            "status": PartsStatus::Unknown, "status_label": PartsStatus::Unknown.label(),
            "action_plan": ActionPlan::Unknown, "action_plan_label": ActionPlan::Unknown.label(),
            "source": null, "note": "Ingen uppgift i data.",
        }),
    }
}

fn adherence_json(a: &Atlas, k: usize, document: usize) -> Value {
    let doc = &a.inventory.documents[document];
    match a.adherence(k, document) {
        Some(x) => json!({
            "document": doc.slug, "title": doc.title, "status": x.status, "status_label": x.status.label(),
            "date": x.date, "review_due": a.due(&x.date), "source": x.source,
            "citations": citations(a, &x.source), "note": x.note,
        }),
        None => json!({
            "document": doc.slug, "title": doc.title, "status": AdherenceStatus::Unknown,
            "status_label": AdherenceStatus::Unknown.label(), "source": null, "note": "Ingen uppgift i data.",
        }),
    }
}

/// An answer as the API gives it: the row (status as its source says it) and what the service
/// makes of it now (`state`: a lapsed row is okänt; `basis`: the round's own answer or public
/// sources).
fn offering_json(a: &Atlas, k: usize, r: usize, p: usize) -> Option<Value> {
    let o = a.offering(k, r, p)?;
    let state = a.cell_state(k, r, p);
    let lapsed = a.lapsed(k, r, p).is_some();
    Some(json!({
        "programme": o.programme, "name": a.programmes()[p].name,
        "status": o.status, "status_label": o.status.label(),
        "state": state,
        "state_label": if lapsed { crate::atlas::lapsed_label(o) } else { state.label().to_string() },
        "lapsed": lapsed,
        "basis": if a.supplementary(k, r, p) { "sources" } else { "round" },
        "round": o.round,
        "organiser": o.organiser, "contact_url": o.contact_url, "languages": o.languages,
        "last_confirmed": o.last_confirmed, "review_due": a.review_due(k, r, p),
        "source": o.source, "citations": citations(a, &o.source), "note": o.note,
    }))
}

fn kommun_properties(a: &Atlas, k: usize) -> Value {
    let kommun = &a.kommuner()[k];
    let r = a.default_round;
    let [offered, not_offered, unknown] = a.counts(k, r, |_| true);
    json!({
        "kommunkod": kommun.code,
        "namn": kommun.name,
        "lan": kommun.lan,
        "href": format!("/api/v1/kommuner/{}", kommun.code),
        "round": a.inventory.rounds[r].id,
        "offered": offered,
        "not_offered": not_offered,
        "unknown": unknown,
        "coverage_share": LevelReport::new(LevelFilter::All, &a.coverage(k, r).all).share,
        "sambu": a.sambu_status(k),
        "partssamverkan": a.parts_status(k),
        "neighbours": kommun.neighbours.iter().map(|(n, _)| &a.kommuner()[*n].code).collect::<Vec<_>>(),
        "label_point": [kommun.label.0, kommun.label.1],
    })
}

/// A FeatureCollection of every kommun: its geometry at `detail` and `properties(k)`; `extra`
/// goes into `meta`.
fn feature_collection(
    a: &Atlas,
    detail: Detail,
    extra: Value,
    properties: impl Fn(usize) -> Value,
) -> Body {
    let mut meta = meta(a);
    if let (Value::Object(m), Value::Object(e)) = (&mut meta, extra) {
        m.extend(e);
    }
    let features = (0..a.kommuner().len())
        .map(|k| Feature {
            id: &a.kommuner()[k].code,
            geometry: Geometry::Raw(a.geography.geometry(detail, k)),
            properties: properties(k),
            links: None,
        })
        .collect();
    Body::geojson(&FeatureCollection {
        members: vec![("meta", meta)],
        features,
    })
}

pub fn kommuner_collection(a: &Atlas, detail: Detail) -> Body {
    feature_collection(a, detail, json!({ "detail": detail.code() }), |k| {
        kommun_properties(a, k)
    })
}

pub fn kommun_detail(a: &Atlas, k: usize) -> Value {
    let kommun = &a.kommuner()[k];
    let rounds: Vec<Value> = (0..a.inventory.rounds.len())
        .map(|r| {
            let [offered, not_offered, unknown] = a.counts(k, r, |_| true);
            let offerings: Vec<Value> = (0..a.programmes().len())
                .filter_map(|p| offering_json(a, k, r, p))
                .collect();
            let unknown_programmes: Vec<&str> = a
                .programmes()
                .iter()
                .enumerate()
                .filter(|(p, _)| a.cell_state(k, r, *p) == CellState::Unknown)
                .map(|(_, p)| p.slug.as_str())
                .collect();
            let mut v = round_ref(a, r);
            v["default"] = json!(r == a.default_round);
            v["answered"] = json!(a.answered(k, r));
            v["counts"] =
                json!({ "offered": offered, "not_offered": not_offered, "unknown": unknown });
            v["offerings"] = json!(offerings);
            v["unknown_programmes"] = json!(unknown_programmes);
            v["coverage"] = json!(reports(a.coverage(k, r)));
            v
        })
        .collect();
    let trainings = trainings_json(a, k);
    json!({
        "meta": meta(a),
        "kommunkod": kommun.code,
        "namn": kommun.name,
        "lan": kommun.lan,
        "bbox": kommun.bbox,
        "label_point": [kommun.label.0, kommun.label.1],
        "neighbours": kommun.neighbours.iter().map(|(n, metres)| {
            let mut v = kommun_ref(a, *n);
            v["shared_border_km"] = json!((metres / 100.0).round() / 10.0);
            v
        }).collect::<Vec<_>>(),
        "rounds": rounds,
        "sambu": sambu_json(a, k),
        "partssamverkan": partssamverkan_json(a, k),
        "adherence": (0..a.inventory.documents.len()).map(|d| adherence_json(a, k, d)).collect::<Vec<_>>(),
        "trainings": trainings,
        "contacts": a.contacts(k).map(|c| contact_json(a, c)).collect::<Vec<_>>(),
        "familjecentral": familjecentraler_json(a, k),
        "other_support": other_support_json(a, k),
    })
}

pub fn locate_answer(a: &Atlas, k: usize) -> Value {
    let kommun = &a.kommuner()[k];
    json!({
        "meta": meta(a),
        "kommunkod": kommun.code,
        "namn": kommun.name,
        "lan": kommun.lan,
        "href": format!("/api/v1/kommuner/{}", kommun.code),
    })
}

fn programme_json(a: &Atlas, p: &Programme) -> Value {
    let mut v = json!(p);
    v["citations"] = citations(a, &p.source_url);
    v["age_label"] = json!(age_label(p.age_min.max(-1), p.age_max));
    v["levels_label"] = json!(
        p.levels
            .iter()
            .map(|l| l.label())
            .collect::<Vec<_>>()
            .join(", ")
    );
    v["format_label"] = json!(p.format.label());
    v["href"] = json!(format!("/api/v1/programmes/{}", p.slug));
    v
}

pub fn programme_list(a: &Atlas) -> Value {
    let r = a.default_round;
    let programmes: Vec<Value> = a
        .programmes()
        .iter()
        .enumerate()
        .map(|(p, programme)| {
            let mut v = programme_json(a, programme);
            v["offered_in"] = json!(
                (0..a.kommuner().len())
                    .filter(|k| a.cell_state(*k, r, p) == CellState::Offered)
                    .map(|k| &a.kommuner()[k].code)
                    .collect::<Vec<_>>()
            );
            v
        })
        .collect();
    json!({ "meta": meta(a), "round": a.inventory.rounds[r].id, "programmes": programmes })
}

pub fn programme_detail(a: &Atlas, p: usize) -> Value {
    let mut v = programme_json(a, &a.programmes()[p]);
    let rounds: Vec<Value> = (0..a.inventory.rounds.len())
        .map(|r| {
            let mut offered = Vec::new();
            let mut not_offered = Vec::new();
            let mut unknown = Vec::new();
            let mut lapsed = Vec::new();
            for k in 0..a.kommuner().len() {
                let mut x = kommun_ref(a, k);
                match a.cell_state(k, r, p) {
                    CellState::Offered => {
                        x["offering"] = json!(offering_json(a, k, r, p));
                        offered.push(x);
                    }
                    CellState::NotOffered => not_offered.push(x),
                    CellState::Unknown => {
                        unknown.push(json!(a.kommuner()[k].code));
                        // A lapsed answer is okänt, and listed with its date and source.
                        if a.lapsed(k, r, p).is_some() {
                            x["offering"] = json!(offering_json(a, k, r, p));
                            lapsed.push(x);
                        }
                    }
                }
            }
            let mut v = round_ref(a, r);
            v["offered_in"] = json!(offered);
            v["not_offered_in"] = json!(not_offered);
            v["unknown_in"] = json!(unknown);
            v["lapsed_in"] = json!(lapsed);
            v
        })
        .collect();
    v["rounds"] = json!(rounds);
    v["meta"] = meta(a);
    v
}

pub fn region(a: &Atlas) -> Value {
    let inv = &a.inventory;
    let tally = |codes: Vec<&'static str>| -> Value {
        let mut m = serde_json::Map::new();
        for c in codes {
            *m.entry(c).or_insert(json!(0)) =
                json!(m.get(c).and_then(Value::as_u64).unwrap_or(0) + 1);
        }
        Value::Object(m)
    };
    let sambu: Vec<&str> = (0..a.kommuner().len())
        .map(|k| a.sambu_status(k).code())
        .collect();
    let parts: Vec<&str> = (0..a.kommuner().len())
        .map(|k| a.parts_status(k).code())
        .collect();
    let sources: Vec<Value> = a.citations().iter().map(Citation::json).collect();
    json!({
        "meta": meta(a),
        "kommuner": (0..a.kommuner().len()).map(|k| kommun_ref(a, k)).collect::<Vec<_>>(),
        "programmes": a.programmes().len(),
        "rounds": inv.rounds.iter().enumerate().map(|(r, round)| {
            let mut v = with_citations(a, json!(round));
            v["kind_label"] = json!(round.kind.label());
            v["status_label"] = json!(round.status.label());
            v["in_progress"] = json!(a.in_progress(r));
            v["answered_kommuner"] = json!(a.answered_count(r));
            v["offerings"] = json!(inv.offerings.iter().filter(|o| o.round == round.id).count());
            v["default"] = json!(r == a.default_round);
            v
        }).collect::<Vec<_>>(),
        "documents": inv.documents.iter().map(|d| with_citations(a, json!(d))).collect::<Vec<_>>(),
        "facts": inv.region_facts.iter().map(|f| with_citations(a, json!(f))).collect::<Vec<_>>(),
        "from_data": { "sambu": tally(sambu), "partssamverkan": tally(parts) },
        "sources": sources,
        "boundaries": {
            "attribution": inv.dataset.config.attribution,
            "source": "Lantmäteriet, GSD-Sverigekartan 1:1 miljon (2018), CC0; kommunkoder och namn: SCB (CC0)",
            "note": "Kommunytorna är juridiska ytor och omfattar sjöar (Vänern, Vättern).",
        },
    })
}

/// `GET /api/v1/sources`: the sources table, each row with its citation text, and the sources
/// typed on the desk that are not in it (addresses and texts, as citations).
pub fn sources(a: &Atlas) -> Value {
    let cited = a.citations();
    let rows: Vec<Value> = a
        .inventory
        .sources
        .entries()
        .iter()
        .map(|e| {
            let c = Citation::Listed(e);
            let mut v = json!(e);
            v["url"] = json!((!e.url.is_empty()).then_some(&e.url));
            v["kind_label"] = json!(e.kind.label());
            v["text"] = json!(c.text(crate::lang::Lang::Sv));
            v["cited"] = json!(cited.contains(&c));
            v
        })
        .collect();
    let others: Vec<Value> = cited
        .iter()
        .filter(|c| c.id().is_none())
        .map(Citation::json)
        .collect();
    json!({ "meta": meta(a), "sources": rows, "other_citations": others })
}

crate::vocabulary::vocabulary!(
    /// The thematic GeoJSON layers.
    Layer {
        Offerings = "offerings": "föräldrastödsprogram",
        Sambu = "sambu": "SAMBU",
        Partssamverkan = "partssamverkan": "partssamverkan",
        Adherence = "adherence": "följsamhet till beslutade dokument",
        Trainings = "trainings": "SIP-utbildningar",
        Familjecentraler = "familjecentraler": "familjecentraler",
    }
);

/// A validated layer request, in canonical form: parameters that do not apply to the layer
/// keep their defaults, so equal requests are equal keys.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LayerQuery {
    pub layer: Layer,
    pub detail: Detail,
    pub round: usize,
    pub age: Option<i8>,
    pub level: LevelFilter,
    pub document: usize,
}

impl LayerQuery {
    pub fn default_for(a: &Atlas, layer: Layer) -> LayerQuery {
        LayerQuery {
            layer,
            detail: Detail::Medium,
            round: a.default_round,
            age: None,
            level: LevelFilter::All,
            document: 0,
        }
    }

    /// The same request with what does not apply to its layer set back to the defaults.
    pub fn canonical(self, a: &Atlas) -> LayerQuery {
        let default = LayerQuery::default_for(a, self.layer);
        match self.layer {
            Layer::Offerings => LayerQuery {
                document: 0,
                ..self
            },
            Layer::Adherence => LayerQuery {
                detail: self.detail,
                document: self.document,
                ..default
            },
            _ => LayerQuery {
                detail: self.detail,
                ..default
            },
        }
    }
}

pub fn layer_body(a: &Atlas, q: &LayerQuery) -> Body {
    let mut extra = json!({ "layer": q.layer.code(), "layer_title": q.layer.label(), "detail": q.detail.code() });
    match q.layer {
        Layer::Offerings => {
            extra["round"] = round_ref(a, q.round);
            extra["level"] = json!(q.level.code());
            extra["age"] = json!(q.age);
        }
        Layer::Adherence => {
            extra["document"] = json!(a.inventory.documents.get(q.document));
        }
        _ => {}
    }
    feature_collection(a, q.detail, extra, |k| {
        let mut v = kommun_ref(a, k);
        let props = match q.layer {
            Layer::Offerings => offerings_properties(a, k, q),
            Layer::Sambu => sambu_json(a, k),
            Layer::Partssamverkan => partssamverkan_json(a, k),
            Layer::Adherence if a.inventory.documents.is_empty() => {
                json!({ "status": AdherenceStatus::Unknown })
            }
            Layer::Adherence => adherence_json(a, k, q.document),
            Layer::Trainings => trainings_properties(a, k),
            Layer::Familjecentraler => familjecentraler_json(a, k),
        };
        if let (Value::Object(m), Value::Object(p)) = (&mut v, props) {
            m.extend(p);
        }
        v
    })
}

fn offerings_properties(a: &Atlas, k: usize, q: &LayerQuery) -> Value {
    let [offered, not_offered, unknown] = a.counts(k, q.round, |p| matches(p, q.age, q.level));
    let lc = a.coverage(k, q.round).level(q.level);
    let offered_programmes: Vec<&str> = a
        .programmes()
        .iter()
        .enumerate()
        .filter(|(p, prog)| {
            matches(prog, q.age, q.level) && a.cell_state(k, q.round, *p) == CellState::Offered
        })
        .map(|(_, prog)| prog.slug.as_str())
        .collect();
    json!({
        "offered": offered,
        "not_offered": not_offered,
        "unknown": unknown,
        "programmes": offered_programmes,
        "coverage_share": LevelReport::new(q.level, lc).share,
        "age_state": q.age.map(|age| lc.state(age)),
    })
}

fn trainings_properties(a: &Atlas, k: usize) -> Value {
    let rows: Vec<_> = a.trainings(k).collect();
    json!({
        "trainings": rows.len(),
        "participants": rows.iter().map(|t| t.participants).sum::<u32>(),
        "approximate": rows.iter().any(|t| t.approximate),
        "rows": trainings_json(a, k),
    })
}

/// A kommun's trainings as their rows, each with `review_due` beside its `last_confirmed`.
fn trainings_json(a: &Atlas, k: usize) -> Vec<Value> {
    a.trainings(k)
        .map(|t| {
            let mut v = with_citations(a, json!(t));
            v["review_due"] = json!(a.due(&t.last_confirmed));
            v
        })
        .collect()
}

/// The answer to a coverage query for the kommuner `ks` in round `r`.
pub fn coverage_answer(
    a: &Atlas,
    ks: &[usize],
    r: usize,
    age: Option<i8>,
    level: LevelFilter,
) -> Value {
    let kommuner: Vec<Value> = ks
        .iter()
        .map(|&k| {
            let lc = a.coverage(k, r).level(level);
            let [offered, not_offered, unknown] = a.by_state(k, r, |p| matches(p, age, level));
            let slugs = |ps: Vec<usize>| -> Vec<&str> {
                ps.into_iter()
                    .map(|p| a.programmes()[p].slug.as_str())
                    .collect()
            };
            let offered: Vec<Value> = offered
                .into_iter()
                .filter_map(|p| offering_json(a, k, r, p))
                .collect();
            let (not_offered, unknown) = (slugs(not_offered), slugs(unknown));
            let mut v = kommun_ref(a, k);
            v["coverage"] = json!(LevelReport::new(level, lc));
            v["age_state"] = json!(age.map(|age| lc.state(age)));
            v["programmes"] =
                json!({ "offered": offered, "not_offered": not_offered, "unknown": unknown });
            v
        })
        .collect();
    json!({
        "meta": meta(a),
        "round": round_ref(a, r),
        "level": level.code(),
        "age": age,
        "age_label": age.map(|x| age_label(x, x)),
        "kommuner": kommuner,
    })
}

/// Kommuner side by side in one round.
pub fn compare_kommuner(a: &Atlas, ks: &[usize], r: usize) -> Value {
    json!({
        "meta": meta(a),
        "round": round_ref(a, r),
        "kommuner": ks.iter().map(|&k| {
            let [offered, not_offered, unknown] = a.counts(k, r, |_| true);
            let mut v = kommun_ref(a, k);
            v["counts"] = json!({ "offered": offered, "not_offered": not_offered, "unknown": unknown });
            v["coverage"] = json!(reports(a.coverage(k, r)));
            v["sambu"] = sambu_json(a, k);
            v["partssamverkan"] = partssamverkan_json(a, k);
            v["adherence"] = json!((0..a.inventory.documents.len()).map(|d| adherence_json(a, k, d)).collect::<Vec<_>>());
            v
        }).collect::<Vec<_>>(),
    })
}

/// What changed for each kommun from round `from` to round `to`.
pub fn compare_rounds(a: &Atlas, ks: &[usize], from: usize, to: usize) -> Value {
    let kommuner: Vec<Value> = ks
        .iter()
        .map(|&k| {
            let levels: Vec<Value> = [LevelFilter::All]
                .into_iter()
                .chain(crate::vocabulary::Level::ALL.iter().map(|l| LevelFilter::Only(*l)))
                .map(|f| {
                    let (x, y) = (a.coverage(k, from).level(f), a.coverage(k, to).level(f));
                    json!({
                        "level": f.code(),
                        "from": LevelReport::new(f, x),
                        "to": LevelReport::new(f, y),
                        "gained_ages": y.covered.minus(x.covered).years(),
                        "lost_ages": x.covered.minus(y.covered).years(),
                    })
                })
                .collect();
            let changes: Vec<Value> = a
                .programmes()
                .iter()
                .enumerate()
                .filter_map(|(p, programme)| {
                    let (x, y) = (a.cell_state(k, from, p), a.cell_state(k, to, p));
                    (x != y).then(|| json!({ "programme": programme.slug, "name": programme.name, "from": x, "to": y }))
                })
                .collect();
            let mut v = kommun_ref(a, k);
            v["levels"] = json!(levels);
            v["programme_changes"] = json!(changes);
            v
        })
        .collect();
    json!({ "meta": meta(a), "from": round_ref(a, from), "to": round_ref(a, to), "kommuner": kommuner })
}

/// The gap planner's answer for kommun `k` in round `r`: one plan per level asked (see
/// [`crate::plan`]).
pub fn plan_answer(a: &Atlas, k: usize, r: usize, levels: &[Level]) -> Value {
    let name = &a.kommuner()[k].name;
    let plans: Vec<Value> = levels
        .iter()
        .map(|l| plan_json(a, k, r, name, &Plan::new(a, k, r, *l)))
        .collect();
    json!({
        "meta": meta(a),
        "kommun": kommun_ref(a, k),
        "round": round_ref(a, r),
        "distance": "fågelvägen i km mellan kommunernas etikettpunkter (en punkt inne i kommunen: \
                     tyngdpunkten i dess största del, när den ligger inne i kommunen)",
        "tie_break": "vid lika många program: ett program som en grannkommun redan har, sedan ett \
                      som fler kommuner har, sedan katalogens ordning",
        "levels": plans,
    })
}

fn plan_json(a: &Atlas, k: usize, r: usize, name: &str, plan: &Plan) -> Value {
    let share = |s: f64| (s * 1000.0).round() / 1000.0;
    let slug = |c: usize| a.programmes()[plan.candidates[c].p].slug.as_str();
    let covered = |c: usize, ages: AgeSet| {
        let covers = plan.candidates[c].covers.intersection(ages);
        json!({ "programme": slug(c), "state": plan.candidates[c].state,
                "covers_ages": covers.ages(), "covers_label": ages_label(covers) })
    };
    let gaps: Vec<Value> = plan
        .gaps
        .iter()
        .map(|g| {
            json!({
                "from": g.from, "to": g.to, "label": g.label(),
                "kind": g.kind, "kind_label": g.kind.label(),
                "confirmed_ages": g.confirmed().ages(),
                "unknown_ages": g.unknown.ages(),
                "no_programme_ages": g.no_programme.ages(),
                "programmes": g.programmes.iter().map(|c| covered(*c, g.ages())).collect::<Vec<_>>(),
                "settle": plan.settle_text(a.programmes(), name, g).map(|text| json!({
                    "ages": g.unknown.ages(),
                    "programmes": g.settle.iter().map(|c| slug(*c)).collect::<Vec<_>>(),
                    "text": text,
                })),
            })
        })
        .collect();
    let programmes: Vec<Value> = plan
        .candidates
        .iter()
        .map(|c| {
            let p = &a.programmes()[c.p];
            let mut v = programme_json(a, p);
            v["state"] = json!(c.state);
            v["state_label"] = json!(match a.lapsed(k, r, c.p) {
                Some(o) => crate::atlas::lapsed_label(o),
                None => c.state.label().to_string(),
            });
            v["confirm_first"] = json!(c.confirm_first());
            v["covers_ages"] = json!(c.covers.ages());
            v["covers_label"] = json!(ages_label(c.covers));
            v["offered_in"] = json!(
                c.offered_in
                    .iter()
                    .map(|o| offer_json(a, r, c.p, o))
                    .collect::<Vec<_>>()
            );
            v
        })
        .collect();
    let cover = &plan.cover;
    json!({
        "level": plan.level,
        "level_label": plan.level.label(),
        "covered_ages": plan.coverage.covered.ages(),
        "unknown_ages": plan.coverage.unknown.ages(),
        "share": share(plan.coverage.share()),
        "gaps": gaps,
        "programmes": programmes,
        "smallest_set": {
            "programmes": cover.chosen.iter().map(|c| {
                let mut v = covered(*c, AgeSet::range(PRENATAL, MAX_AGE));
                v["confirm_first"] = json!(plan.candidates[*c].confirm_first());
                v
            }).collect::<Vec<_>>(),
            "covered_after": cover.after.ages(),
            "share_before": share(plan.coverage.share()),
            "share_after": share(cover.after.share()),
            "unreachable_ages": cover.unreachable.ages(),
            "summary": plan.summary(a.programmes(), crate::lang::Lang::Sv),
        },
    })
}

/// A kommun that offers a candidate programme: how far, who runs it, whom to ask.
fn offer_json(a: &Atlas, r: usize, p: usize, o: &Offer) -> Value {
    let mut v = kommun_ref(a, o.k);
    let row = a.offering(o.k, r, p);
    v["neighbour"] = json!(o.neighbour);
    v["distance_km"] = json!(o.km.map(|km| (km * 10.0).round() / 10.0));
    v["organiser"] = json!(row.map(|o| &o.organiser));
    v["contact"] = match plan::contact(a, o.k, r, p) {
        Some(Ask::Offering(url)) => json!({ "url": url, "name": null, "from": "offering" }),
        Some(Ask::Kommun(c)) => json!({ "url": c.url, "name": c.name, "from": "kommun" }),
        None => Value::Null,
    };
    v["basis"] = json!(if a.supplementary(o.k, r, p) {
        "sources"
    } else {
        "round"
    });
    v["last_confirmed"] = json!(row.map(|o| &o.last_confirmed));
    v["source"] = json!(row.map(|o| &o.source));
    v["citations"] = row.map_or(Value::Null, |o| citations(a, &o.source));
    v
}
