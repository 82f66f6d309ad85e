//! The HTML encoding of every OGC resource (conformance class `html`): the same information and
//! every link as an `<a>`, in Swedish, accessible tables, no scripts and nothing from a CDN.

use maud::{DOCTYPE, Markup, html};
use serde_json::Value;

use super::landing::service_title;
use crate::atlas::Atlas;
use crate::dataset::Kind;
use crate::export::tables::{Row, Table, TableKind};

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:72rem;margin:0 auto;padding:1rem;line-height:1.45;color:#1a1a1a}\
a{color:#0b5394}a:focus{outline:3px solid #f0b400}table{border-collapse:collapse;margin:1rem 0;font-size:.92rem}\
th,td{border:1px solid #888;padding:.3rem .5rem;text-align:left;vertical-align:top}th{background:#eef2f6}\
caption{text-align:left;font-weight:bold;padding:.3rem 0}.note{background:#fff3cd;border:2px solid #8a6d00;padding:.6rem}\
nav ol{list-style:none;padding:0;display:flex;gap:.5rem;flex-wrap:wrap}nav li+li:before{content:'›';margin-right:.5rem}\
.scroll{overflow-x:auto}tbody th{white-space:nowrap}.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.3rem}";

/// The page frame: title, breadcrumbs, an example-data notice, the content, the links.
fn page(
    a: &Atlas,
    title: &str,
    crumbs: &[(&str, String)],
    content: Markup,
    links: &[Value],
) -> Markup {
    html! {
        (DOCTYPE)
        html lang="sv" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " – OGC API – Skaraborgskartan" }
                style { (STYLE) }
            }
            body {
                a.skip href="#innehall" { "Hoppa till innehållet" }
                header {
                    p { a href="/ogc/?f=html" { (service_title(a)) } " · OGC API – Features" }
                    nav aria-label="Brödsmulor" {
                        ol {
                            @for (name, href) in crumbs {
                                li { a href=(href) { (name) } }
                            }
                        }
                    }
                }
                @if a.inventory.dataset.config.kind == Kind::Example {
                    p.note role="note" { strong { "Exempeldata: " } "uppgifterna här är påhittade och visar bara hur tjänsten fungerar." }
                }
                main id="innehall" {
                    h1 { (title) }
                    (content)
                    @if !links.is_empty() {
                        h2 { "Länkar" }
                        (link_list(links))
                    }
                }
                footer {
                    p { (a.inventory.dataset.config.attribution) ". Data: " (a.inventory.dataset.config.title)
                        " (" (a.inventory.dataset.config.kind.label()) ")." }
                }
            }
        }
    }
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

pub fn landing(a: &Atlas, v: &Value) -> Markup {
    let content = html! {
        p { (v["description"].as_str().unwrap_or("")) }
        h2 { "Lägg till i QGIS" }
        p { "Välj Lager › Lägg till lager › Lägg till WFS/OGC API – Features-lager, skapa en ny anslutning och ange adressen till den här sidan utan " code { "?f=html" } ", t.ex. " code { "http://värd/ogc" } ". Alla samlingar kan sedan läggas till." }
        h2 id="licens" { "Licens och källor" }
        p { "Kommungränser: Lantmäteriet, GSD-Sverigekartan 1:1 miljon (CC0); kommunkoder och namn: SCB (CC0). Övriga uppgifter har sin källa och sitt datum per objekt (egenskaperna " code { "kalla" } " och " code { "senast_bekraftad" } "). " strong { "okänt" } " betyder att uppgift saknas, inte att programmet inte erbjuds." }
    };
    page(a, &service_title(a), &[home()], content, &links_of(v))
}

pub fn conformance(a: &Atlas, v: &Value) -> Markup {
    let content = html! {
        p { "Tjänsten uppfyller dessa konformitetsklasser:" }
        ul {
            @for c in v["conformsTo"].as_array().into_iter().flatten() {
                li { a href=(c.as_str().unwrap_or("")) { (c.as_str().unwrap_or("")) } }
            }
        }
    };
    page(
        a,
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

pub fn collections(a: &Atlas, v: &Value) -> Markup {
    let content = html! {
        table {
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
        }
    };
    page(
        a,
        "Samlingar",
        &[home(), collections_crumb()],
        content,
        &links_of(v),
    )
}

pub fn collection(a: &Atlas, kind: TableKind, v: &Value) -> Markup {
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
                @for (name, _, description) in super::collections::queryables(kind) {
                    code { (name) } " – " (description) br;
                }
            }
        }
    };
    page(
        a,
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
    a: &Atlas,
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
        div.scroll role="region" aria-label="Objekttabell (rulla i sidled)" tabindex="0" { table {
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
        a,
        &format!("Objekt i {}", kind.label()),
        &items_crumbs(id),
        content,
        links,
    )
}

pub fn feature(a: &Atlas, kind: TableKind, table: &Table, row: &Row, links: &[Value]) -> Markup {
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
        p { "Geometri: " @if kind.point_geometry() { "en punkt inne i kommunen " (a.kommuner[row.kommun].name) "." } @else { "kommunen " (a.kommuner[row.kommun].name) "s yta." } }
    };
    page(
        a,
        &format!("{} {}", kind.label(), row.id),
        &items_crumbs(id),
        content,
        links,
    )
}

pub fn api(a: &Atlas, doc: &Value) -> Markup {
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
        a,
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
