//! HTTP API v1: thin handlers that parse the query, ask the current snapshot, and answer with a
//! pre-built or cached body. The write API for scripts is [`admin`].

pub mod admin;

use axum::Router;
use axum::extract::Path;
use axum::routing::get;

use crate::AppState;
use crate::http::bodies::{Fixed, Key};
use crate::http::body::Body;
use crate::http::error::RequestError;
use crate::http::{Answer, Req, cors, params};
use crate::views::{self, Layer, LayerQuery};
use crate::vocabulary::Level;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/kommuner", get(kommuner))
        .route("/api/v1/kommuner/{kod}", get(kommun))
        .route("/api/v1/programmes", get(programmes))
        .route("/api/v1/programmes/{slug}", get(programme))
        .route("/api/v1/layers/{layer}", get(layer))
        .route("/api/v1/coverage", get(coverage))
        .route("/api/v1/plan", get(plan))
        .route("/api/v1/locate", get(locate))
        .route("/api/v1/compare", get(compare))
        .route("/api/v1/region", get(region))
        .route("/api/v1/sources", get(sources))
        .layer(axum::middleware::from_fn(cors))
        .merge(admin::routes())
}

/// A query-independent body of the snapshot: every one exists for a validated key.
fn fixed(req: &Req, key: Fixed) -> Answer {
    req.fixed(key)
        .map(|b| req.send(b))
        .ok_or_else(RequestError::unknown_path)
}

async fn kommuner(req: Req) -> Answer {
    let p = req.params(&["detail"])?;
    fixed(&req, Fixed::Kommuner(p.detail()?))
}

async fn kommun(req: Req, Path(kod): Path<String>) -> Answer {
    req.params(&[])?;
    let k = params::kommun(req.atlas(), "kommunkod", &kod)?;
    fixed(&req, Fixed::Kommun(k))
}

async fn programmes(req: Req) -> Answer {
    req.params(&[])?;
    fixed(&req, Fixed::Programmes)
}

async fn programme(req: Req, Path(slug): Path<String>) -> Answer {
    req.params(&[])?;
    let p = req
        .atlas()
        .programme_index(&slug)
        .ok_or_else(|| RequestError::unknown_programme(None, &slug))?;
    fixed(&req, Fixed::Programme(p))
}

async fn layer(req: Req, Path(name): Path<String>) -> Answer {
    let layer = Layer::parse(&name).map_err(|m| RequestError::unknown_layer(&m))?;
    let allowed: &[&str] = match layer {
        Layer::Offerings => &["detail", "round", "age", "level"],
        Layer::Adherence => &["detail", "document"],
        _ => &["detail"],
    };
    let p = req.params(allowed)?;
    let a = req.atlas();
    let query = LayerQuery {
        detail: p.detail()?,
        round: p.round(a)?,
        age: p.age()?,
        level: p.level()?,
        document: match p.get("document") {
            Some(slug) => params::document(a, "document", slug)?,
            None => 0,
        },
        ..LayerQuery::default_for(a, layer)
    }
    .canonical(a);
    if query == LayerQuery::default_for(a, layer) {
        return fixed(&req, Fixed::Layer(layer));
    }
    let body = req.body(Key::Layer(query.clone()), |a| views::layer_body(a, &query));
    Ok(req.send(&body))
}

async fn coverage(req: Req) -> Answer {
    let p = req.params(&["kommun", "age", "level", "round"])?;
    let a = req.atlas();
    let kommuner = match p.get("kommun") {
        Some(list) => params::kommuner(a, "kommun", list)?,
        None => (0..a.kommuner().len()).collect(),
    };
    let (round, age, level) = (p.round(a)?, p.age()?, p.level()?);
    let key = Key::Coverage {
        kommuner: kommuner.clone(),
        round,
        age,
        level,
    };
    let body = req.body(key, |a| {
        Body::json(&views::coverage_answer(a, &kommuner, round, age, level))
    });
    Ok(req.send(&body))
}

/// The gap planner (see [`crate::plan`]): one level, or all three when `level` is not given.
async fn plan(req: Req) -> Answer {
    let p = req.params(&["kommun", "level", "round"])?;
    let a = req.atlas();
    let code = p.get("kommun").ok_or_else(|| {
        RequestError::missing("kommun: parametern saknas (ange t.ex. kommun=1472).")
    })?;
    let k = params::kommun(a, "kommun", code)?;
    let (round, level) = (p.round(a)?, p.plan_level()?);
    let key = Key::Plan {
        kommun: k,
        round,
        level,
    };
    let levels = level.map_or(Level::ALL.to_vec(), |l| vec![l]);
    let body = req.body(key, |a| {
        Body::json(&views::plan_answer(a, k, round, &levels))
    });
    Ok(req.send(&body))
}

async fn locate(req: Req) -> Answer {
    let p = req.params(&["lat", "lon"])?;
    let (lat, lon) = (
        p.coordinate("lat", -90.0, 90.0)?,
        p.coordinate("lon", -180.0, 180.0)?,
    );
    let a = req.atlas();
    let k = a.geography.locate(lon, lat).ok_or_else(|| {
        RequestError::outside_region(lat, lon, &a.inventory.dataset.region().name)
    })?;
    fixed(&req, Fixed::Locate(k))
}

async fn compare(req: Req) -> Answer {
    let p = req.params(&["kommuner", "round"])?;
    let a = req.atlas();
    let list = p.get("kommuner").ok_or_else(|| {
        RequestError::missing("kommuner: parametern saknas (ange t.ex. kommuner=1496,1494).")
    })?;
    let kommuner = params::kommuner(a, "kommuner", list)?;
    let rounds: Vec<usize> = match p.get("round") {
        None => vec![a.default_round],
        Some(list) => list
            .split(',')
            .map(|id| params::round(a, "round", id.trim()))
            .collect::<Result<_, _>>()?,
    };
    // (round, None): kommuner side by side; (from, Some(to)): the change between two rounds.
    let choice = match rounds[..] {
        [r] if kommuner.len() >= 2 => (r, None),
        [_] => {
            return Err(RequestError::invalid(
                "kommuner: ange minst två kommuner, eller en kommun och två omgångar (round=a,b).",
            ));
        }
        [from, to] if from != to => (from, Some(to)),
        _ => {
            return Err(RequestError::invalid(
                "round: ange en omgång, eller två olika (round=a,b).",
            ));
        }
    };
    let key = Key::Compare {
        kommuner: kommuner.clone(),
        rounds,
    };
    let body = req.body(key, |a| {
        Body::json(&match choice {
            (r, None) => views::compare_kommuner(a, &kommuner, r),
            (from, Some(to)) => views::compare_rounds(a, &kommuner, from, to),
        })
    });
    Ok(req.send(&body))
}

async fn sources(req: Req) -> Answer {
    req.params(&[])?;
    fixed(&req, Fixed::Sources)
}

async fn region(req: Req) -> Answer {
    req.params(&[])?;
    fixed(&req, Fixed::Region)
}
