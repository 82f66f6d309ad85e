//! `/admin/historik`: every change, newest first, filtered by kommun, person, period and kind of
//! record, a page at a time; each with who, when, which record, what it did, its source and
//! comment, and each field old → new. Any change can be reverted from here (the revert is itself
//! a logged change); a redaktör sees and reverts only their kommuner's changes. Each record's
//! edit page shows its own history with the same pieces.

use std::collections::HashMap;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use maud::{Markup, html};

use super::desk::kinds;
use super::desk::{Answer, confirmation, edit_failed, page, refuse, saved, store, store_failed};
use super::forms::{self, Errors, Field, Values};
use super::layout;
use crate::AppState;
use crate::auth::sessions::Posted;
use crate::auth::{Editor, Role};
use crate::store::log::{self, Change, FieldChange, HistoryFilter};
use crate::store::{Action, Edit, EditError, Kind, kind};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/historik", get(list))
        .route("/admin/historik/{id}/angra", post(revert))
}

/// Changes per page.
const PAGE: i64 = 50;

/// The kommuner whose changes a person may see (None: all of them, for a samordnare).
fn visible(editor: &Editor) -> Option<std::collections::BTreeSet<String>> {
    match editor.account.role {
        Role::Samordnare => None,
        Role::Redaktor => Some(editor.account.kommuner().clone()),
    }
}

async fn list(
    State(state): State<AppState>,
    editor: Editor,
    Query(q): Query<Vec<(String, String)>>,
) -> Answer {
    let a = state.atlas();
    let q = Values::from_pairs(q);
    let mut errors = Errors::default();
    let mut filter = HistoryFilter {
        visible: visible(&editor),
        newest_first: true,
        ..HistoryFilter::default()
    };
    match q.get("kommun") {
        "" => {}
        k if a.kommun_index(k).is_none() => errors.field(
            "kommun",
            format!("Det finns ingen kommun ”{k}” i regionen."),
        ),
        k if !editor.account.may_edit(Some(k)) => {
            return Err(refuse(
                &editor,
                StatusCode::FORBIDDEN,
                "Inte tillåtet",
                &format!(
                    "Du kan bara se historiken för de kommuner du får ändra, inte för {}.",
                    kinds::kommun_name(&a, k)
                ),
            )
            .into());
        }
        k => filter.kommun = Some(k.to_string()),
    }
    match q.get("person") {
        "" => {}
        p => match p.parse::<i64>() {
            Ok(id) => filter.account = Some(id),
            Err(_) => errors.field("person", format!("”{p}” är ingen person i listan.")),
        },
    }
    for (name, set) in [("fran", 0), ("till", 1)] {
        let v = q.get(name).trim();
        if v.is_empty() {
            continue;
        }
        // "Till och med" is the whole day: up to the start of the next.
        let at = if set == 0 {
            crate::dates::day_start(v)
        } else {
            next_day(v)
        };
        match at {
            Some(t) if set == 0 => filter.from = Some(t),
            Some(t) => filter.until = Some(t),
            None => errors.field(name, format!("”{v}” är inget datum (skriv ÅÅÅÅ-MM-DD).")),
        }
    }
    match q.get("typ") {
        "" => {}
        t if kind(t).is_some() => filter.kind = Some(t.to_string()),
        t => errors.field("typ", format!("”{t}” är ingen sorts uppgift i listan.")),
    }
    let page_no: i64 = match q.get("sida") {
        "" => 1,
        s => s.parse().ok().filter(|n| *n >= 1).unwrap_or(1),
    };
    let store = store(&state, &editor)?;
    let actors = log::actors(store, filter.visible.as_ref())
        .await
        .map_err(|e| store_failed(&editor, e))?;
    let (changes, total) = if errors.is_empty() {
        log::changes(store, &filter, PAGE, (page_no - 1) * PAGE)
            .await
            .map_err(|e| store_failed(&editor, e))?
    } else {
        (Vec::new(), 0)
    };
    let pages = ((total + PAGE - 1) / PAGE).max(1);
    let flash = confirmation(&state, &editor, q.get("sparat").into()).await;
    let here = {
        let pairs: Vec<(&str, String)> = ["kommun", "person", "fran", "till", "typ", "sida"]
            .iter()
            .map(|n| (*n, q.get(n).to_string()))
            .collect();
        crate::pages::with_query("/admin/historik", &crate::pages::query_string(&pairs))
    };
    let label = |name: &str| -> String {
        match name {
            "kommun" => "Kommun",
            "person" => "Person",
            "fran" => "Från och med",
            "till" => "Till och med",
            _ => "Sorts uppgift",
        }
        .into()
    };
    let kommuner: Vec<(String, String)> = crate::pages::Cx::new(&a, &state.site)
        .kommuner_by_name()
        .into_iter()
        .map(|k| &a.kommuner()[k])
        .filter(|k| editor.account.may_edit(Some(&k.code)))
        .map(|k| (k.code.clone(), k.name.clone()))
        .collect();
    let kommun_options: Vec<(&str, &str)> = kommuner
        .iter()
        .map(|(c, n)| (c.as_str(), n.as_str()))
        .collect();
    let people: Vec<(String, String)> = actors
        .iter()
        .filter_map(|(id, actor)| id.map(|id| (id.to_string(), actor.clone())))
        .collect();
    let people_options: Vec<(&str, &str)> = people
        .iter()
        .map(|(c, n)| (c.as_str(), n.as_str()))
        .collect();
    let main = html! {
        (flash)
        (forms::summary(&errors, label))
        form.filter-historik method="get" action="/admin/historik" novalidate {
            (choose(&Field { name: "kommun", label: "Kommun", hint: None, required: false }, "Alla kommuner", &kommun_options, &q, &errors))
            (choose(&Field { name: "person", label: "Person", hint: None, required: false }, "Alla personer", &people_options, &q, &errors))
            (forms::input(&Field { name: "fran", label: "Från och med", hint: Some("ÅÅÅÅ-MM-DD"), required: false }, "text", &q, &errors))
            (forms::input(&Field { name: "till", label: "Till och med", hint: Some("ÅÅÅÅ-MM-DD"), required: false }, "text", &q, &errors))
            (choose(&Field { name: "typ", label: "Sorts uppgift", hint: None, required: false }, "Alla sorter", &kinds::history_kinds(), &q, &errors))
            div.knappar { button type="submit" { "Visa" } }
        }
        p #antal-andringar aria-live="polite" {
            @if total == 0 { "Inga ändringar hittades." }
            @else if total == 1 { "1 ändring." }
            @else { (total) " ändringar, nyast först." @if pages > 1 { " Sida " (page_no) " av " (pages) "." } }
        }
        (changes_list(&state, &editor, &changes, &imports_of(store, &changes).await, &here, 2))
        @if pages > 1 { (pager(&q, page_no, pages)) }
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    Ok(layout::respond(status, page(&editor, "Historik", main)))
}

/// The day after a date, at its start (the end of a "till och med" period).
fn next_day(date: &str) -> Option<i64> {
    let d: jiff::civil::Date = date.parse().ok()?;
    crate::dates::day_start(&d.tomorrow().ok()?.to_string())
}

/// A select with "all" first (the filter form).
fn choose(
    f: &Field,
    all: &str,
    options: &[(&str, &str)],
    values: &Values,
    errors: &Errors,
) -> Markup {
    let error = errors.of(f.name);
    let chosen = values.get(f.name);
    html! {
        div.falt {
            label for=(forms::id(f.name)) { (f.label) }
            @if let Some(e) = &error { span.felmeddelande id={ (forms::id(f.name)) "-fel" } { (e) } }
            select id=(forms::id(f.name)) name=(f.name)
                aria-describedby=[error.is_some().then(|| format!("{}-fel", forms::id(f.name)))]
                aria-invalid=[error.is_some().then_some("true")] {
                option value="" selected[chosen.is_empty()] { (all) }
                @for (code, label) in options {
                    option value=(code) selected[chosen == *code] { (label) }
                }
            }
        }
    }
}

fn pager(q: &Values, page_no: i64, pages: i64) -> Markup {
    let link = |n: i64| {
        let mut pairs: Vec<(&str, String)> = ["kommun", "person", "fran", "till", "typ"]
            .iter()
            .map(|k| (*k, q.get(k).to_string()))
            .collect();
        pairs.push(("sida", n.to_string()));
        crate::pages::with_query("/admin/historik", &crate::pages::query_string(&pairs))
    };
    html! {
        nav.sidor aria-label="Sidor" {
            ul {
                @if page_no > 1 { li { a href=(link(page_no - 1)) { "Föregående sida" } } }
                li { "Sida " (page_no) " av " (pages) }
                @if page_no < pages { li { a href=(link(page_no + 1)) { "Nästa sida" } } }
            }
        }
    }
}

/// Which of the changes' changesets came from an import (changeset → upload), for the link to
/// the import, where the whole of it can be undone.
async fn imports_of(store: &crate::store::Store, changes: &[Change]) -> HashMap<i64, i64> {
    let sets: Vec<i64> = changes.iter().map(|c| c.changeset).collect();
    store.uploads_of(&sets).await.unwrap_or_else(|e| {
        tracing::error!("{e}");
        HashMap::new()
    })
}

/// A list of changes, each with its revert button where the person may revert it. `level` is
/// the heading level of each change (under the page's or the section's heading).
fn changes_list(
    state: &AppState,
    editor: &Editor,
    changes: &[Change],
    imports: &HashMap<i64, i64>,
    back: &str,
    level: u8,
) -> Markup {
    let a = state.atlas();
    html! {
        ol.historik {
            @for c in changes {
                @let k = kind(&c.kind);
                @let title = kinds::record_title(&a, &c.kind, &c.key, c.kommun.as_deref());
                @let href = kinds::record_href(&a, &c.kind, &c.key, c.kommun.as_deref()).filter(|_| c.version > 0);
                li.andring id={ "andring-" (c.id) } {
                    @let heading = html! {
                        @if let Some(h) = &href { a href=(h) { (title) } } @else { (title) }
                        " – " (kinds::action_label(&c.action))
                    };
                    @if level == 2 { h2.andringsrubrik { (heading) } } @else { h3.andringsrubrik { (heading) } }
                    p.vem {
                        "Ändring " (c.id) " av " strong { (c.actor) } ", " time datetime=(iso(c.at)) { (crate::dates::local_time(c.at)) } "."
                        @if let Some(r) = c.reverts { " Ångrar ändring " (r) "." }
                        @if let Some(r) = c.reverted_by { " " strong { "Ångrad" } " genom ändring " (r) "." }
                        @if let Some(u) = imports.get(&c.changeset) { " Del av " a href={ "/admin/import/" (u) } { "import " (u) } " (där kan hela importen ångras i ett steg)." }
                    }
                    dl.fakta {
                        @if !c.source.is_empty() { dt { "Källa" } dd { (crate::pages::layout::desk_source(&a, &c.source)) } }
                        @if !c.comment.is_empty() { dt { "Kommentar" } dd { (c.comment) } }
                    }
                    @if c.fields.is_empty() {
                        p.forklaring { "Inga fält ändrades." }
                    } @else {
                        div.tabellram tabindex="0" role="region" aria-label={ "Fälten i ändring " (c.id) } {
                            table.falt-andringar {
                                caption { "Fälten i ändring " (c.id) ": före → efter" }
                                thead { tr { th scope="col" { "Fält" } th scope="col" { "Före" } th scope="col" { "Efter" } } }
                                tbody {
                                    @for f in shown_fields(k, &c.fields) {
                                        tr {
                                            th scope="row" { (k.map_or(f.field.clone(), |k| kinds::label(k, &f.field))) }
                                            td { (value(&a, k, &f.field, f.old.as_deref())) }
                                            td { (value(&a, k, &f.field, f.new.as_deref())) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    @if c.reverted_by.is_none() && editor.account.may_edit(c.kommun.as_deref()) && k.is_some_and(|k| k.kommun.is_some() || editor.account.role == Role::Samordnare) {
                        form.angra method="post" action={ "/admin/historik/" (c.id) "/angra" } {
                            (forms::csrf(&editor.session.csrf))
                            input type="hidden" name="tillbaka" value=(back);
                            button.sekundar type="submit" { "Ångra ändring " (c.id) }
                        }
                    }
                }
            }
        }
    }
}

fn value(
    a: &crate::atlas::Atlas,
    kind: Option<&'static Kind>,
    field: &str,
    v: Option<&str>,
) -> Markup {
    match v {
        None => html! { span.saknas { "(fanns inte)" } },
        Some("") => html! { span.saknas { "(tomt)" } },
        Some(v) => html! { (kind.map_or(v.to_string(), |k| kinds::shown_in(a, k, field, v))) },
    }
}

/// A change's fields in the order people read them, without those empty on both sides (a new
/// record's blank columns).
fn shown_fields<'c>(
    kind: Option<&'static Kind>,
    fields: &'c [FieldChange],
) -> Vec<&'c FieldChange> {
    let order = kind.map(kinds::order).unwrap_or_default();
    let blank = |v: &Option<String>| v.as_deref().is_none_or(str::is_empty);
    let mut out: Vec<&FieldChange> = fields
        .iter()
        .filter(|f| !(blank(&f.old) && blank(&f.new)))
        .collect();
    out.sort_by_key(|f| {
        (
            order
                .iter()
                .position(|c| *c == f.field)
                .unwrap_or(usize::MAX),
            f.field.clone(),
        )
    });
    out
}

/// A stored time as an ISO 8601 instant, for `<time datetime>`.
fn iso(seconds: i64) -> String {
    jiff::Timestamp::from_second(seconds).map_or_else(|_| seconds.to_string(), |t| t.to_string())
}

/// A record's own history (on its edit page): its newest changes.
pub async fn of_record(
    state: &AppState,
    editor: &Editor,
    kind: &Kind,
    key: &str,
    back: &str,
) -> Markup {
    let filter = HistoryFilter {
        visible: visible(editor),
        kind: Some(kind.name.to_string()),
        key: Some(key.to_string()),
        newest_first: true,
        ..HistoryFilter::default()
    };
    let Ok(store) = state.store() else {
        return html! {};
    };
    let (changes, total) = match log::changes(store, &filter, 20, 0).await {
        Ok(x) => x,
        Err(e) => {
            tracing::error!("{e}");
            return html! { p { "Historiken kunde inte läsas just nu." } };
        }
    };
    html! {
        section.posthistorik aria-labelledby="h-posthistorik" {
            h2 #h-posthistorik { "Historik för uppgiften" }
            @if changes.is_empty() {
                p { "Uppgiften har inte ändrats här ännu (den kommer från de ursprungliga datafilerna)." }
            } @else {
                @if total > 20 { p { "De 20 senaste av " (total) " ändringar." } }
                (changes_list(state, editor, &changes, &imports_of(store, &changes).await, back, 3))
            }
        }
    }
}

/// A kommun's newest changes (on its overview).
pub async fn recent(state: &AppState, editor: &Editor, kommun: &str) -> Markup {
    let filter = HistoryFilter {
        visible: visible(editor),
        kommun: Some(kommun.to_string()),
        newest_first: true,
        ..HistoryFilter::default()
    };
    let Ok(store) = state.store() else {
        return html! {};
    };
    match log::changes(store, &filter, 5, 0).await {
        Ok((changes, _)) if changes.is_empty() => html! { p { "Inga ändringar ännu." } },
        Ok((changes, _)) => changes_list(
            state,
            editor,
            &changes,
            &imports_of(store, &changes).await,
            &format!("/admin/kommun/{kommun}"),
            3,
        ),
        Err(e) => {
            tracing::error!("{e}");
            html! { p { "Historiken kunde inte läsas just nu." } }
        }
    }
}

/// Undoes one change: each field it set goes back, unless someone has changed it since.
async fn revert(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    posted: Posted<Vec<(String, String)>>,
) -> Answer {
    let editor = posted.editor;
    let values = Values::from_pairs(posted.form);
    let back = super::desk::back_to(values.get("tillbaka"));
    let store = store(&state, &editor)?;
    let change = store
        .change(id)
        .await
        .map_err(|e| store_failed(&editor, e))?;
    let Some(change) = change.filter(|c| {
        visible(&editor).is_none_or(|v| c.kommun.as_ref().is_some_and(|k| v.contains(k)))
    }) else {
        return Err(refuse(
            &editor,
            StatusCode::NOT_FOUND,
            "Ändringen finns inte",
            &format!("Det finns ingen ändring {id} som du kan se."),
        )
        .into());
    };
    let Some(kind) = kind(&change.kind) else {
        return Err(refuse(
            &editor,
            StatusCode::NOT_FOUND,
            "Ändringen finns inte",
            &format!("Ändring {id} gäller en okänd sorts uppgift."),
        )
        .into());
    };
    let edit = Edit::new(kind, Some(change.key.clone()), None, Action::Revert(id));
    let set = super::desk::changeset(
        &editor,
        "revert",
        &format!("Ångrar ändring {id}"),
        vec![edit],
    );
    let a = state.atlas();
    let title = kinds::record_title(&a, &change.kind, &change.key, change.kommun.as_deref());
    match state.commit(set).await {
        Ok(done) => Ok(saved(&back, done.changeset)),
        Err(EditError::Conflict { current, .. }) => {
            let now = current.as_ref().map(|r| &r.fields);
            let main = html! {
                div.felsammanfattning role="alert" {
                    h2 { "Ändring " (id) " kan inte ångras" }
                    p { "Fälten har ändrats igen efter ändring " (id) ", så att ångra den skulle skriva över en senare ändring. Ångra den senare ändringen först, eller ändra uppgiften direkt." }
                }
                div.tabellram tabindex="0" role="region" aria-label="Fälten då och nu" {
                    table {
                        caption { "Fälten som ändring " (id) " satte, och vad de är nu" }
                        thead { tr { th scope="col" { "Fält" } th scope="col" { "Efter ändring " (id) } th scope="col" { "Nu" } } }
                        tbody {
                            @for f in &change.fields {
                                tr {
                                    th scope="row" { (kinds::label(kind, &f.field)) }
                                    td { (value(&a, Some(kind), &f.field, f.new.as_deref())) }
                                    td { (value(&a, Some(kind), &f.field, now.and_then(|n| n.get(&f.field)).map(String::as_str))) }
                                }
                            }
                        }
                    }
                }
                p {
                    @if let Some(h) = kinds::record_href(&a, &change.kind, &change.key, change.kommun.as_deref()).filter(|_| current.is_some()) {
                        a href=(h) { "Öppna " (title) } " · "
                    }
                    a href=(back) { "Tillbaka" }
                }
            };
            Err(
                layout::respond(StatusCode::CONFLICT, page(&editor, "Kan inte ångras", main))
                    .into(),
            )
        }
        Err(EditError::Invalid { fields, problems }) => {
            let messages: Vec<String> = fields
                .iter()
                .map(|f| format!("{}: {}", kinds::label(kind, &f.field), f.message))
                .chain(problems.iter().map(|p| p.message.clone()))
                .collect();
            let main = html! {
                div.felsammanfattning role="alert" {
                    h2 { "Ändring " (id) " kan inte ångras" }
                    p { "Uppgifterna skulle inte hänga ihop efter att ändringen ångrats:" }
                    ul { @for m in &messages { li { (m) } } }
                }
                p { a href=(back) { "Tillbaka" } }
            };
            Err(layout::respond(
                StatusCode::UNPROCESSABLE_ENTITY,
                page(&editor, "Kan inte ångras", main),
            )
            .into())
        }
        Err(e) => Err(edit_failed(&editor, e).into()),
    }
}
