//! HTTP API v1: thin handlers that parse the query, ask the current Atlas, and answer with a
//! pre-built or cached body.

pub mod params;

use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;

use crate::AppState;
use crate::atlas::Atlas;
use crate::body::Body;
use crate::error::ApiError;
use crate::views::{self, Layer, LayerQuery};
use params::Params;

/// Public data may be cached briefly; the ETag makes revalidation cheap.
pub const CACHE_PUBLIC: &str = "public, max-age=300";

type Answer = Result<Response, ApiError>;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/kommuner", get(kommuner))
        .route("/api/v1/kommuner/{kod}", get(kommun))
        .route("/api/v1/programmes", get(programmes))
        .route("/api/v1/programmes/{slug}", get(programme))
        .route("/api/v1/layers/{layer}", get(layer))
        .route("/api/v1/coverage", get(coverage))
        .route("/api/v1/locate", get(locate))
        .route("/api/v1/compare", get(compare))
        .route("/api/v1/region", get(region))
        .layer(cors())
}

/// CORS for public, read-only data (`/api/v1`, `/ogc`): any origin may GET and HEAD, and read the
/// headers a client needs for caching, paging and downloads.
pub fn cors() -> tower_http::cors::CorsLayer {
    use axum::http::{Method, header};
    tower_http::cors::CorsLayer::new()
        .allow_origin(tower_http::cors::Any)
        .allow_methods([Method::GET, Method::HEAD])
        .allow_headers(tower_http::cors::Any)
        .expose_headers([header::ETAG, header::LINK, header::CONTENT_DISPOSITION])
}

fn prebuilt(a: &Atlas, key: &str) -> Arc<Body> {
    a.body(key)
        .unwrap_or_else(|| panic!("the snapshot pre-builds {key}"))
}

async fn kommuner(State(s): State<AppState>, headers: HeaderMap, RawQuery(q): RawQuery) -> Answer {
    let p = Params::parse(q.as_deref(), &["detail"])?;
    let a = s.atlas();
    Ok(
        prebuilt(&a, &format!("kommuner?detail={}", p.detail()?.code()))
            .respond(&headers, CACHE_PUBLIC),
    )
}

async fn kommun(
    State(s): State<AppState>,
    headers: HeaderMap,
    Path(kod): Path<String>,
    RawQuery(q): RawQuery,
) -> Answer {
    Params::parse(q.as_deref(), &[])?;
    let a = s.atlas();
    let k = params::kommun(&a, "kommunkod", &kod)?;
    Ok(prebuilt(&a, &format!("kommun/{}", a.kommuner[k].code)).respond(&headers, CACHE_PUBLIC))
}

async fn programmes(
    State(s): State<AppState>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Answer {
    Params::parse(q.as_deref(), &[])?;
    Ok(prebuilt(&s.atlas(), "programmes").respond(&headers, CACHE_PUBLIC))
}

async fn programme(
    State(s): State<AppState>,
    headers: HeaderMap,
    Path(slug): Path<String>,
    RawQuery(q): RawQuery,
) -> Answer {
    Params::parse(q.as_deref(), &[])?;
    let a = s.atlas();
    let body = a.body(&format!("programme/{slug}")).ok_or_else(|| {
        ApiError::not_found(
            "okant_program",
            format!("Programmet ”{slug}” finns inte i katalogen (se /api/v1/programmes)."),
        )
    })?;
    Ok(body.respond(&headers, CACHE_PUBLIC))
}

async fn layer(
    State(s): State<AppState>,
    headers: HeaderMap,
    Path(name): Path<String>,
    RawQuery(q): RawQuery,
) -> Answer {
    let layer = Layer::parse(&name)
        .map_err(|m| ApiError::not_found("okant_lager", format!("Lagret finns inte: {m}.")))?;
    let allowed: &[&str] = match layer {
        Layer::Offerings => &["detail", "round", "age", "level"],
        Layer::Adherence => &["detail", "document"],
        _ => &["detail"],
    };
    let p = Params::parse(q.as_deref(), allowed)?;
    let a = s.atlas();
    let mut query = LayerQuery::default_for(&a, layer);
    query.detail = p.detail()?;
    query.round = p.round(&a)?;
    query.age = p.age()?;
    query.level = p.level()?;
    if let Some(slug) = p.get("document") {
        query.document = a
            .inventory
            .documents
            .iter()
            .position(|d| d.slug == slug)
            .ok_or_else(|| {
                let known: Vec<&str> = a
                    .inventory
                    .documents
                    .iter()
                    .map(|d| d.slug.as_str())
                    .collect();
                ApiError::not_found(
                    "okant_dokument",
                    format!(
                        "document: ”{slug}” finns inte (finns: {}).",
                        known.join(", ")
                    ),
                )
            })?;
    }
    let body = a.body_or_build(query.key(&a), || views::layer_body(&a, &query));
    Ok(body.respond(&headers, CACHE_PUBLIC))
}

async fn coverage(State(s): State<AppState>, headers: HeaderMap, RawQuery(q): RawQuery) -> Answer {
    let p = Params::parse(q.as_deref(), &["kommun", "age", "level", "round"])?;
    let a = s.atlas();
    let ks = match p.get("kommun") {
        Some(list) => params::kommuner(&a, "kommun", list)?,
        None => (0..a.kommuner.len()).collect(),
    };
    let (r, age, level) = (p.round(&a)?, p.age()?, p.level()?);
    let key = format!("coverage?{ks:?}&{r}&{age:?}&{}", level.code());
    let body = a.body_or_build(key, || {
        Body::json(&views::coverage_answer(&a, &ks, r, age, level))
    });
    Ok(body.respond(&headers, CACHE_PUBLIC))
}

async fn locate(State(s): State<AppState>, headers: HeaderMap, RawQuery(q): RawQuery) -> Answer {
    let p = Params::parse(q.as_deref(), &["lat", "lon"])?;
    let (lat, lon) = (
        p.coordinate("lat", -90.0, 90.0)?,
        p.coordinate("lon", -180.0, 180.0)?,
    );
    let a = s.atlas();
    let k = a.locate(lon, lat).ok_or_else(|| {
        let region = &a.inventory.dataset.region().name;
        ApiError::not_found(
            "utanfor_regionen",
            format!("Punkten lat={lat}, lon={lon} ligger inte i någon kommun i regionen {region}."),
        )
    })?;
    Ok(prebuilt(&a, &format!("locate/{}", a.kommuner[k].code)).respond(&headers, CACHE_PUBLIC))
}

async fn compare(State(s): State<AppState>, headers: HeaderMap, RawQuery(q): RawQuery) -> Answer {
    let p = Params::parse(q.as_deref(), &["kommuner", "round"])?;
    let a = s.atlas();
    let list = p.get("kommuner").ok_or_else(|| {
        ApiError::bad(
            "parameter_saknas",
            "kommuner: parametern saknas (ange t.ex. kommuner=1496,1494).",
        )
    })?;
    let ks = params::kommuner(&a, "kommuner", list)?;
    let rounds: Vec<usize> = match p.get("round") {
        None => vec![a.default_round],
        Some(list) => list
            .split(',')
            .map(|id| params::round(&a, id.trim()))
            .collect::<Result<_, _>>()?,
    };
    // (round, None): kommuner side by side; (from, Some(to)): the change between two rounds.
    let choice = match rounds[..] {
        [r] if ks.len() >= 2 => (r, None),
        [_] => {
            return Err(ApiError::bad(
                "ogiltig_parameter",
                "kommuner: ange minst två kommuner, eller en kommun och två omgångar (round=a,b).",
            ));
        }
        [from, to] if from != to => (from, Some(to)),
        _ => {
            return Err(ApiError::bad(
                "ogiltig_parameter",
                "round: ange en omgång, eller två olika (round=a,b).",
            ));
        }
    };
    let body = a.body_or_build(format!("compare?{ks:?}&{rounds:?}"), || {
        Body::json(&match choice {
            (r, None) => views::compare_kommuner(&a, &ks, r),
            (from, Some(to)) => views::compare_rounds(&a, &ks, from, to),
        })
    });
    Ok(body.respond(&headers, CACHE_PUBLIC))
}

async fn region(State(s): State<AppState>, headers: HeaderMap, RawQuery(q): RawQuery) -> Answer {
    Params::parse(q.as_deref(), &[])?;
    Ok(prebuilt(&s.atlas(), "region").respond(&headers, CACHE_PUBLIC))
}

/// The API's answer for a path it does not have.
pub fn not_found() -> ApiError {
    ApiError::not_found(
        "okand_adress",
        "Adressen finns inte. API:t beskrivs på /api/v1/region och i README.",
    )
}
