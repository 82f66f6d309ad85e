//! The HTML encoding of every OGC resource (conformance class `html`): the same information and
//! every link as an `<a>`, in Swedish, accessible tables, no scripts and nothing from a CDN.

use maud::{Markup, html};
use serde_json::Value;

use super::catalog::{queryables, service_title};
use crate::export::tables::{Row, Table, TableKind};
use crate::pages::Cx;
use crate::pages::layout::Script;

/// The page frame: the site's own layout (skip link, example banner, footer, stylesheet), with
/// breadcrumbs, the content and the resource's links.
fn page(
    cx: &Cx,
    title: &str,
    crumbs: &[(&str, String)],
    content: Markup,
    links: &[Value],
) -> Markup {
    let main = html! {
        nav.smulor aria-label="Brödsmulor" {
            ol {
                @for (name, href) in crumbs {
                    li { a href=(href) { (name) } }
                }
            }
        }
        h1 { (title) }
        (content)
        @if !links.is_empty() {
            h2 { "Länkar" }
            (link_list(links))
        }
    };
    crate::pages::layout::page(cx, &format!("{title} – OGC API"), Script::None, main)
}

fn link_list(links: &[Value]) -> Markup {
    html! {
        ul {
            @for l in links {
                li {
                    a href=(l["href"].as_str().unwrap_or("")) { (l["title"].as_str().unwrap_or(l["rel"].as_str().unwrap_or(""))) }
                    " (rel " code { (l["rel"].as_str().unwrap_or("")) } ", " (l["type"].as_str().unwrap_or("")) ")"
                }
            }
        }
    }
}

fn links_of(v: &Value) -> Vec<Value> {
    v["links"].as_array().cloned().unwrap_or_default()
}

fn home() -> (&'static str, String) {
    ("Start", "/ogc/?f=html".into())
}

fn items_crumbs(id: &str) -> [(&str, String); 4] {
    [
        home(),
        collections_crumb(),
        (id, format!("/ogc/collections/{id}?f=html")),
        ("Objekt", format!("/ogc/collections/{id}/items?f=html")),
    ]
}

fn collections_crumb() -> (&'static str, String) {
    ("Samlingar", "/ogc/collections?f=html".into())
}

pub fn landing(cx: &Cx, v: &Value) -> Markup {
    let content = html! {
        p { (v["description"].as_str().unwrap_or("")) }
        h2 { "Lägg till i QGIS" }
        p { "Välj Lager › Lägg till lager › Lägg till WFS/OGC API – Features-lager, skapa en ny anslutning och ange adressen till den här sidan utan " code { "?f=html" } ", t.ex. " code { "http://värd/ogc" } ". Alla samlingar kan sedan läggas till." }
        h2 id="licens" { "Licens och källor" }
        p { "Kommungränser: Lantmäteriet, GSD-Sverigekartan 1:1 miljon (CC0); kommunkoder och namn: SCB (CC0). Övriga uppgifter har sin källa och sitt datum per objekt (egenskaperna " code { "kalla" } " och " code { "senast_bekraftad" } "). " strong { "okänt" } " betyder att uppgift saknas, inte att programmet inte erbjuds." }
    };
    page(cx, &service_title(cx.a), &[home()], content, &links_of(v))
}

pub fn conformance(cx: &Cx, v: &Value) -> Markup {
    let content = html! {
        p { "Tjänsten uppfyller dessa konformitetsklasser:" }
        ul {
            @for c in v["conformsTo"].as_array().into_iter().flatten() {
                li { a href=(c.as_str().unwrap_or("")) { (c.as_str().unwrap_or("")) } }
            }
        }
    };
    page(
        cx,
        "Konformitetsklasser",
        &[home(), ("Konformitet", "/ogc/conformance?f=html".into())],
        content,
        &links_of(v),
    )
}

fn extent(c: &Value) -> String {
    c["extent"]["spatial"]["bbox"][0]
        .as_array()
        .map(|b| {
            b.iter()
                .map(|x| format!("{:.4}", x.as_f64().unwrap_or(0.0)))
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default()
}

pub fn collections(cx: &Cx, v: &Value) -> Markup {
    let content = html! {
        div.tabellram role="region" aria-label="Samlingar (rulla i sidled)" tabindex="0" { table {
            caption { "Samlingar (" (v["collections"].as_array().map_or(0, Vec::len)) ")" }
            thead { tr { th scope="col" { "Id" } th scope="col" { "Titel" } th scope="col" { "Beskrivning" } th scope="col" { "Antal objekt" } th scope="col" { "Objekt" } } }
            tbody {
                @for c in v["collections"].as_array().into_iter().flatten() {
                    @let id = c["id"].as_str().unwrap_or("");
                    tr {
                        th scope="row" { a href={ "/ogc/collections/" (id) "?f=html" } { (id) } }
                        td { (c["title"].as_str().unwrap_or("")) }
                        td { (c["description"].as_str().unwrap_or("")) }
                        td { (c["itemCount"]) }
                        td {
                            a href={ "/ogc/collections/" (id) "/items?f=html" } { "som tabell" } ", "
                            a href={ "/ogc/collections/" (id) "/items?f=json" } { "som GeoJSON" }
                        }
                    }
                }
            }
        } }
    };
    page(
        cx,
        "Samlingar",
        &[home(), collections_crumb()],
        content,
        &links_of(v),
    )
}

pub fn collection(cx: &Cx, kind: TableKind, v: &Value) -> Markup {
    let id = kind.code();
    let content = html! {
        p { (v["description"].as_str().unwrap_or("")) }
        dl {
            dt { "Id" } dd { code { (id) } }
            dt { "Objekttyp" } dd { (v["itemType"].as_str().unwrap_or("")) }
            dt { "Antal objekt" } dd { (v["itemCount"]) }
            dt { "Utbredning (CRS84: minLon, minLat, maxLon, maxLat)" } dd { (extent(v)) }
            dt { "Referenssystem" } dd { (v["storageCrs"].as_str().unwrap_or("")) }
            dt { "Filter" } dd {
                @for (name, _, description) in queryables(kind) {
                    code { (name) } " – " (description) br;
                }
            }
        }
    };
    page(
        cx,
        v["title"].as_str().unwrap_or(id),
        &[
            home(),
            collections_crumb(),
            (id, format!("/ogc/collections/{id}?f=html")),
        ],
        content,
        &links_of(v),
    )
}

fn cell_html(table: &Table, row: &Row, c: usize) -> Markup {
    let text = row.cells[c].plain();
    html! {
        @if table.columns[c] == "kalla" && text.starts_with("http") {
            a href=(text) { (text) }
        } @else {
            (text)
        }
    }
}

pub fn items(
    cx: &Cx,
    kind: TableKind,
    table: &Table,
    rows: &[&Row],
    matched: usize,
    offset: usize,
    links: &[Value],
) -> Markup {
    let id = kind.code();
    let first = if rows.is_empty() { 0 } else { offset + 1 };
    let content = html! {
        p { "Visar " (first) "–" (offset + rows.len()) " av " (matched) " objekt som matchar." }
        div.tabellram role="region" aria-label="Objekttabell (rulla i sidled)" tabindex="0" { table {
            caption { (kind.label()) ": objekt " (first) "–" (offset + rows.len()) " av " (matched) }
            thead {
                tr {
                    th scope="col" { "id" }
                    @for c in &table.columns { th scope="col" { (c) } }
                }
            }
            tbody {
                @for row in rows {
                    tr {
                        th scope="row" { a href={ "/ogc/collections/" (id) "/items/" (row.id) "?f=html" } { (row.id) } }
                        @for c in 0..table.columns.len() { td { (cell_html(table, row, c)) } }
                    }
                }
            }
        } }
    };
    page(
        cx,
        &format!("Objekt i {}", kind.label()),
        &items_crumbs(id),
        content,
        links,
    )
}

pub fn feature(cx: &Cx, kind: TableKind, table: &Table, row: &Row, links: &[Value]) -> Markup {
    let a = cx.a;
    let id = kind.code();
    let content = html! {
        table {
            caption { "Egenskaper för " (row.id) }
            tbody {
                @for (c, name) in table.columns.iter().enumerate() {
                    tr { th scope="row" { (name) } td { (cell_html(table, row, c)) } }
                }
            }
        }
        p { "Geometri: " @if kind.point_geometry() { "en punkt inne i kommunen " (a.kommuner()[row.kommun].name) "." } @else { "kommunen " (a.kommuner()[row.kommun].name) "s yta." } }
    };
    page(
        cx,
        &format!("{} {}", kind.label(), row.id),
        &items_crumbs(id),
        content,
        links,
    )
}

pub fn api(cx: &Cx, doc: &Value) -> Markup {
    let content = html! {
        p { (doc["info"]["description"].as_str().unwrap_or("")) }
        p { "Maskinläsbar definition: " a href="/ogc/api" { "/ogc/api" } " (OpenAPI 3.0, JSON)." }
        h2 { "Adresser" }
        @for (path, item) in doc["paths"].as_object().into_iter().flatten() {
            h3 { code { "GET /ogc" (path) } }
            p { (item["get"]["summary"].as_str().unwrap_or("")) }
            @let params: Vec<&Value> = item["get"]["parameters"].as_array().into_iter().flatten().collect();
            @if !params.is_empty() {
                ul {
                    @for p in params {
                        @let p = resolve(doc, p);
                        li { code { (p["name"].as_str().unwrap_or("")) } " – " (p["description"].as_str().unwrap_or("")) }
                    }
                }
            }
        }
    };
    page(
        cx,
        "API-dokumentation",
        &[home(), ("API", "/ogc/api.html".into())],
        content,
        &[],
    )
}

/// A parameter, following a `$ref` into `components`.
fn resolve<'v>(doc: &'v Value, p: &'v Value) -> &'v Value {
    match p["$ref"]
        .as_str()
        .and_then(|r| r.strip_prefix("#/components/parameters/"))
    {
        Some(name) => &doc["components"]["parameters"][name],
        None => p,
    }
}
