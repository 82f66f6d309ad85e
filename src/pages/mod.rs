//! Server-rendered HTML pages (maud). Every page works without JavaScript: filters are plain GET
//! forms and every fact on the map is also in a list or table. `web/app.js` enhances the map page.
//!
//! A page is rendered once per snapshot and query (kept like the API's bodies, with an ETag) and
//! sent with the site's Content-Security-Policy.
//!
//! The citizen pages answer in English too, under `/en/…` (the paths in [`crate::lang::PAGES`]):
//! the same handlers, with the page's language taken from its path.

mod about;
mod cards;
pub mod charts;
mod compare;
mod easy_read;
mod filters;
mod format;
mod kommun;
pub mod layout;
mod map;
mod measure;
mod overview;
pub mod palette;
mod plan;
mod programme;
pub mod report;
mod situation;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use maud::Markup;

use crate::AppState;
use crate::atlas::Atlas;
use crate::http::bodies::Key;
use crate::http::body::Body;
use crate::http::error::RequestError;
use crate::http::{CACHE_IMMUTABLE, CACHE_PAGE, Req, params};
use crate::lang::Lang;

pub use layout::Cx;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(map_page))
        .route("/kommun/{kod}", get(kommun_page))
        .route("/kommun/{kod}/planera", get(plan_page))
        .route("/program/{slug}", get(programme_page))
        .route("/jamfor", get(compare_page))
        .route("/oversikt", get(overview_page))
        .route("/lagesbild", get(situation_page))
        .route("/om", get(about_page))
        .route("/tillganglighet", get(accessibility_page))
        .route("/lattlast", get(easy_read_page))
        // English, as `lang::PAGES` maps them.
        .route("/en", get(map_page))
        .route("/en/", get(map_page))
        .route("/en/kommun/{kod}", get(kommun_page))
        .route("/en/programme/{slug}", get(programme_page))
        .route("/en/about", get(about_page))
        .route("/en/accessibility", get(accessibility_page))
        .route("/assets/{name}", get(asset))
        .route("/favicon.ico", get(favicon))
        .merge(report::routes())
}

/// What a page handler hands over: the page's canonical address (also its cache key), the round
/// it shows, and how to render it.
struct View {
    url: String,
    round: Option<usize>,
    render: Box<dyn FnOnce(&Cx) -> Markup>,
}

type Rendered = Result<View, RequestError>;

impl View {
    fn new(
        url: String,
        round: Option<usize>,
        render: impl FnOnce(&Cx) -> Markup + 'static,
    ) -> Rendered {
        Ok(View {
            url,
            round,
            render: Box::new(render),
        })
    }
}

/// Renders (or finds) the page and answers with it, or with an error page that helps on.
///
/// A page is kept under its canonical address. Asked by that address (as every link the service
/// makes is), it is found with one lookup before anything is parsed; an address decorated with
/// `fbclid` or a stale parameter is parsed first and then finds the same entry. (Keeping pages
/// under every address asked would let junk parameters push real pages out of the cache.)
fn answer(req: &Req, page: impl FnOnce(&Cx) -> Rendered) -> Response {
    let today = crate::dates::today();
    let asked = Key::Page {
        url: req
            .uri
            .path_and_query()
            .map_or("/", |p| p.as_str())
            .to_string(),
        embed: false,
        today: today.clone(),
    };
    let bodies = &req.served.bodies;
    if let Some(body) = bodies.cached(&asked) {
        return req.send_with(&body, CACHE_PAGE);
    }
    let a = req.atlas();
    let mut cx = Cx::new(a, &req.site);
    cx.today = today;
    cx.lang = Lang::of_path(req.uri.path());
    cx.embed = req.query().is_some_and(|q| {
        form_urlencoded::parse(q.as_bytes()).any(|(k, v)| k == "embed" && v == "1")
    });
    match page(&cx) {
        Ok(view) => {
            let key = Key::Page {
                url: view.url.clone(),
                embed: cx.embed,
                today: cx.today.clone(),
            };
            cx.canonical = view.url;
            cx.round = view.round;
            let body = req.body(key, |_| html((view.render)(&cx)));
            req.send_with(&body, CACHE_PAGE)
        }
        Err(e) => error_page(&cx, e.status, Some(e.code), &e.message),
    }
}

/// An HTML page as a body (ETag, gzip/br), for the pages and OGC's HTML views.
pub fn html(m: Markup) -> Body {
    Body::new("text/html; charset=utf-8", m.into_string().into_bytes())
}

/// Security headers for every HTML response of the service (pages, error pages, OGC's HTML):
/// the site's Content-Security-Policy, including who may frame it.
pub async fn html_headers(State(s): State<AppState>, mut r: Response) -> Response {
    let html = r
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if html {
        let csp = s.served().csp.clone();
        let h = r.headers_mut();
        h.insert(header::CONTENT_SECURITY_POLICY, csp);
        h.insert(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        );
        h.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        );
    }
    r
}

/// `code`: the [`RequestError`]'s, or `None` for an address no page has.
fn error_page(cx: &Cx, status: StatusCode, code: Option<&str>, message: &str) -> Response {
    let markup = about::problem(cx, status, code, message);
    let mut r = (status, markup.into_string()).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// The answer for a path nothing else serves: an HTML page that helps the user on.
pub fn not_found(s: &AppState, uri: &Uri) -> Response {
    let a = s.atlas();
    let mut cx = Cx::new(&a, &s.site);
    cx.lang = Lang::of_path(uri.path());
    error_page(
        &cx,
        StatusCode::NOT_FOUND,
        None,
        &format!("Sidan ”{}” finns inte.", uri.path()),
    )
}

async fn map_page(req: Req) -> Response {
    answer(&req, |cx| {
        let f = filters::Filters::parse(cx.a, req.query())?;
        let url = with_query(&cx.href("/"), &f.query(cx.a));
        View::new(url, Some(f.round), move |cx: &Cx| map::page(cx, &f))
    })
}

async fn kommun_page(req: Req, Path(kod): Path<String>) -> Response {
    answer(&req, |cx| {
        let p = req.lenient(&["round", "age", "level", "embed"], &[]);
        let k = params::kommun(cx.a, "kommunkod", &kod)?;
        let v = kommun::View {
            k,
            r: p.round(cx.a)?,
            age: p.age()?,
            level: p.level()?,
        };
        let url = with_query(
            &cx.href(&format!("/kommun/{}", cx.a.kommuner()[k].code)),
            &v.query(cx.a),
        );
        View::new(url, Some(v.r), move |cx: &Cx| kommun::page(cx, &v))
    })
}

/// The chair's gap planner (Swedish only); the universal level unless another is asked for.
async fn plan_page(req: Req, Path(kod): Path<String>) -> Response {
    answer(&req, |cx| {
        let p = req.lenient(&["round", "level"], &[]);
        let k = params::kommun(cx.a, "kommunkod", &kod)?;
        let v = plan::View {
            k,
            r: p.round(cx.a)?,
            level: p
                .plan_level()?
                .unwrap_or(crate::vocabulary::Level::Universal),
        };
        let url = plan::href(cx.a, k, v.r, v.level);
        View::new(url, Some(v.r), move |cx: &Cx| plan::page(cx, &v))
    })
}

async fn programme_page(req: Req, Path(slug): Path<String>) -> Response {
    answer(&req, |cx| {
        let p = req.lenient(&["round", "kommun", "embed"], &[]);
        let i =
            cx.a.programme_index(&slug)
                .ok_or_else(|| RequestError::unknown_programme(None, &slug))?;
        let r = p.round(cx.a)?;
        let k = p
            .get("kommun")
            .map(|code| params::kommun(cx.a, "kommun", code))
            .transpose()?;
        let query = query_string(&[
            ("round", round_param(cx.a, r)),
            (
                "kommun",
                k.map(|k| cx.a.kommuner()[k].code.clone())
                    .unwrap_or_default(),
            ),
        ]);
        let url = with_query(&cx.href(&format!("/program/{slug}")), &query);
        View::new(url, Some(r), move |cx: &Cx| programme::page(cx, i, r, k))
    })
}

async fn compare_page(req: Req) -> Response {
    answer(&req, |cx| {
        let c = compare::Choice::parse(cx.a, req.query())?;
        let url = with_query("/jamfor", &c.key(cx.a));
        let round = c.rounds.last().copied();
        View::new(url, round, move |cx: &Cx| compare::page(cx, &c))
    })
}

async fn overview_page(req: Req) -> Response {
    answer(&req, |cx| {
        let c = overview::Choice::parse(cx.a, req.query())?;
        let url = with_query("/oversikt", &c.query(cx.a));
        let round = c.rounds.last().copied();
        View::new(url, round, move |cx: &Cx| overview::page(cx, &c))
    })
}

async fn situation_page(req: Req) -> Response {
    fixed_page(&req, "/lagesbild", situation::page)
}

/// A page that depends on nothing in the query (only `embed`); `path` is its Swedish address.
fn fixed_page(req: &Req, path: &'static str, render: fn(&Cx) -> Markup) -> Response {
    answer(req, |cx| View::new(cx.href(path), None, render))
}

async fn about_page(req: Req) -> Response {
    fixed_page(&req, "/om", about::data)
}

async fn accessibility_page(req: Req) -> Response {
    fixed_page(&req, "/tillganglighet", about::accessibility)
}

async fn easy_read_page(req: Req) -> Response {
    fixed_page(&req, "/lattlast", easy_read::page)
}

async fn asset(req: Req, Path(name): Path<String>) -> Response {
    let Some(body) = req.site.asset(&name) else {
        return RequestError::unknown_file(&name).into_response();
    };
    // Only the current fingerprint may be cached for ever; anything else revalidates.
    let current = req.query() == Some(format!("v={}", body.digest()).as_str());
    let cache = if current { CACHE_IMMUTABLE } else { CACHE_PAGE };
    req.send_with(&body, cache)
}

/// Browsers ask for /favicon.ico on their own; they get the SVG icon.
async fn favicon(req: Req) -> Response {
    match req.site.asset("favicon.svg") {
        Some(body) => req.send_with(&body, CACHE_PAGE),
        None => StatusCode::NO_CONTENT.into_response(),
    }
}

/// The kommun × round × … view a page shows, as a query string for links and keys.
pub fn query_string(pairs: &[(&str, String)]) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        if !v.is_empty() {
            s.append_pair(k, v);
        }
    }
    s.finish()
}

/// `path?query`, or `path` alone when the query is empty.
pub fn with_query(path: &str, query: &str) -> String {
    if query.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{query}")
    }
}

/// A level as a URL parameter: empty (left out) for all levels.
pub fn level_param(l: crate::coverage::LevelFilter) -> String {
    match l {
        crate::coverage::LevelFilter::All => String::new(),
        l => l.code().to_string(),
    }
}

/// A round as a URL parameter: empty (left out) for the default round.
pub fn round_param(a: &Atlas, r: usize) -> String {
    if r == a.default_round {
        String::new()
    } else {
        a.inventory.rounds[r].id.clone()
    }
}

/// Whether the atlas holds example data (every page then says so).
pub fn is_example(a: &Atlas) -> bool {
    a.inventory.dataset.config.kind == crate::dataset::Kind::Example
}
