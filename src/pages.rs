//! Server-rendered HTML pages (maud). For now the start page: every kommun as a link, so the
//! service is usable from a browser without JavaScript; the map pages build on it.

use axum::Router;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use maud::{DOCTYPE, Markup, html};

use crate::AppState;
use crate::api::CACHE_PUBLIC;
use crate::atlas::Atlas;
use crate::body::Body;
use crate::dataset::Kind;
use crate::views::counts;

pub fn routes() -> Router<AppState> {
    Router::new().route("/", get(start))
}

async fn start(State(s): State<AppState>, headers: HeaderMap) -> Response {
    let a = s.atlas();
    a.body_or_build("page/start".into(), || html_body(start_page(&a)))
        .respond(&headers, CACHE_PUBLIC)
}

fn html_body(m: Markup) -> Body {
    Body::new("text/html; charset=utf-8", m.into_string().into_bytes())
}

fn start_page(a: &Atlas) -> Markup {
    let d = &a.inventory.dataset;
    let round = &a.inventory.rounds[a.default_round];
    html! {
        (DOCTYPE)
        html lang="sv" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { "Skaraborgskartan – föräldrastöd i " (d.region().name) }
            }
            body {
                @if d.config.kind == Kind::Example {
                    p role="note" { strong { "Exempeldata: " } "uppgifterna på den här sidan är påhittade och visar bara hur tjänsten fungerar." }
                }
                main {
                    h1 { "Föräldrastöd i " (d.region().name) }
                    p { "Vilka föräldrastödsprogram erbjuds i kommunerna? Uppgifterna gäller omgången "
                        strong { (round.name) } ". En ruta utan uppgift är " em { "okänd" }
                        ", vilket inte betyder att programmet inte erbjuds." }
                    h2 { "Kommuner" }
                    ul {
                        @for (k, kommun) in a.kommuner.iter().enumerate() {
                            @let [offered, _, unknown] = counts(a, k, a.default_round, |_| true);
                            li {
                                a href={ "/api/v1/kommuner/" (kommun.code) } { (kommun.name) }
                                " – " (offered) " program erbjuds, " (unknown) " okända"
                            }
                        }
                    }
                }
                footer {
                    p { (d.config.attribution) ". Data: " (d.config.title) " (" (d.config.kind.label()) "). "
                        a href="/api/v1/region" { "Om datan (JSON)" } }
                }
            }
        }
    }
}
