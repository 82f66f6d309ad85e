//! `/admin/rapporter`: the queue of visitors' reports ("Rapportera fel eller komplettera",
//! `pages::report`). A samordnare sees every report, a redaktör those about their kommuner.
//! Each shows when it came, what it is about (linked to the desk's form for that record and to
//! the public page), the text and source as sent (escaped, never as markup), the e-mail address
//! while it is kept, and "Markera som hanterad" with an optional note: who handled it, when and
//! the note are kept on the report (listed under "Hanterade") and in the service's log, and the
//! e-mail address is deleted in the same statement.

use std::collections::BTreeMap;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use maud::{Markup, html};
use serde::Deserialize;

use super::desk::{self, Answer, refuse, store_failed};
use super::forms::{self, Values};
use super::layout;
use crate::AppState;
use crate::atlas::Atlas;
use crate::auth::sessions::Posted;
use crate::auth::{Editor, Role};
use crate::dates::local_time;
use crate::pages::report::public_page;
use crate::store::Store;
use crate::store::reports::{NOTE_MAX, NewReport, Problem, Queue, Report, Topic, check_text, tidy};

/// The queue's address.
pub const PATH: &str = "/admin/rapporter";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(PATH, get(queue))
        .route("/admin/rapporter/{id}/hanterad", post(handle))
}

async fn queue(
    State(state): State<AppState>,
    editor: Editor,
    Query(q): Query<Vec<(String, String)>>,
) -> Answer {
    let q = Values::from_pairs(q);
    let store = desk::store(&state, &editor)?;
    let handled = q.get("hanterad").parse::<i64>().ok();
    render(&state, &editor, store, StatusCode::OK, handled, None).await
}

/// A note refused, shown at its report's form with what was typed.
struct NoteError {
    id: i64,
    note: String,
    message: String,
}

async fn render(
    state: &AppState,
    editor: &Editor,
    store: &Store,
    status: StatusCode,
    handled: Option<i64>,
    failed: Option<NoteError>,
) -> Answer {
    let scope = editor.account.scope();
    let failed_store = |e| store_failed(editor, e);
    let waiting = store
        .reports(&scope, Queue::Waiting)
        .await
        .map_err(failed_store)?;
    let done = store
        .reports(&scope, Queue::Handled)
        .await
        .map_err(failed_store)?;
    let mut names: BTreeMap<i64, String> = BTreeMap::new();
    for id in done.iter().filter_map(|r| r.handled.as_ref()?.by) {
        if let std::collections::btree_map::Entry::Vacant(e) = names.entry(id) {
            let account = store.account(id).await.map_err(failed_store)?;
            e.insert(account.map_or(format!("konto {id}"), |a| a.name));
        }
    }
    let a = state.atlas();
    let main = html! {
        @if let Some(id) = handled {
            div.meddelande role="status" { p { "Rapport " (id) " är markerad som hanterad. En e-postadress i den är raderad." } }
        }
        p.ingress {
            "Rapporter som besökare har skickat med formuläret ”Rapportera fel eller komplettera” på kommun- och programsidorna "
            "och från tillgänglighetsredogörelsen. De visas bara här, aldrig på de publika sidorna, i API:t eller i filerna. "
            "Kontrollera uppgiften, ändra den i administrationen om det behövs, och markera rapporten som hanterad: "
            "e-postadressen raderas då."
        }
        @if editor.account.role == Role::Redaktor {
            p { "Här visas rapporterna om dina kommuner. Rapporter som inte gäller en kommun hanterar samordnaren." }
        }
        section aria-labelledby="h-att-hantera" {
            h2 #h-att-hantera { "Att hantera (" (waiting.len()) ")" }
            @if waiting.is_empty() { p { "Inga rapporter väntar." } }
            @for r in &waiting { (item(&a, editor, r, failed.as_ref().filter(|f| f.id == r.id), &names)) }
        }
        section aria-labelledby="h-hanterade" {
            h2 #h-hanterade { "Hanterade" }
            p.forklaring { "De senaste " (crate::store::reports::HANDLED_LISTED) ". En hanterad rapport raderas två år efter att den hanterades." }
            @if done.is_empty() { p { "Inga hanterade rapporter ännu." } }
            @for r in &done { (item(&a, editor, r, None, &names)) }
        }
    };
    Ok(layout::respond(
        status,
        desk::page(editor, "Rapporter från besökare", main),
    ))
}

/// What a report is about, in a few words: "ABC – Alla Barn i Centrum i Tibro", "Tibro",
/// "Tillgängligheten", "Allmänt".
fn about(a: &Atlas, r: &NewReport) -> String {
    let kommun = r.kommun.as_deref().map(|k| desk::kinds::kommun_name(a, k));
    let programme = r.programme.as_deref().map(|p| {
        a.programme_index(p)
            .map_or(p.to_string(), |i| a.programmes()[i].name.clone())
    });
    match (r.topic, programme, kommun) {
        (Topic::Accessibility, _, _) => "Tillgängligheten i Skaraborgskartan".into(),
        (_, Some(p), Some(k)) => format!("{p} i {k}"),
        (_, Some(p), None) => p,
        (_, None, Some(k)) => k,
        (_, None, None) => "Skaraborgskartan i allmänhet".into(),
    }
}

/// Where the record a report is about is edited, and the link's text; None when it is about
/// no record, or one the person may not edit (the catalogue: samordnare only).
fn desk_link(a: &Atlas, editor: &Editor, r: &NewReport) -> Option<(String, String)> {
    let name = |k: &str| desk::kinds::kommun_name(a, k);
    match (r.kommun.as_deref(), r.programme.as_deref()) {
        (Some(k), Some(p)) => Some((
            format!("/admin/kommun/{k}/program/{p}"),
            format!("Ändra svaret för programmet i {}", name(k)),
        )),
        (Some(k), None) => Some((
            format!("/admin/kommun/{k}"),
            format!("Uppgifterna för {} i administrationen", name(k)),
        )),
        (None, Some(p)) if editor.account.role == Role::Samordnare => Some((
            format!("/admin/program/{p}"),
            "Programmet i programkatalogen".into(),
        )),
        _ => None,
    }
}

/// A source as a link when it is a web address (http or https only), else as text.
fn source(s: &str) -> Markup {
    let web =
        (s.starts_with("https://") || s.starts_with("http://")) && !s.contains(char::is_whitespace);
    html! {
        @if s.is_empty() { span.saknas { "ingen angiven" } }
        @else if web { a href=(s) rel="noopener noreferrer nofollow" { (s) } }
        @else { (s) }
    }
}

/// One report: its facts, and for one still waiting the form that marks it handled.
fn item(
    a: &Atlas,
    editor: &Editor,
    r: &Report,
    failed: Option<&NoteError>,
    names: &BTreeMap<i64, String>,
) -> Markup {
    let id = format!("rapport-{}", r.id);
    let note_id = format!("anteckning-{}", r.id);
    let c = &r.content;
    let public = public_page(c.kommun.as_deref(), c.programme.as_deref(), c.topic);
    html! {
        article.rapport aria-labelledby=(id) {
            h3 #(id) { "Rapport " (r.id) ": " (about(a, c)) }
            dl.fakta {
                dt { "Kom" } dd { (local_time(r.at)) }
                dt { "Gäller" } dd {
                    (about(a, c))
                    @if let Some((href, text)) = desk_link(a, editor, c) { br; a href=(href) { (text) } }
                    @if let Some(href) = &public { br; a href=(href) { "Den publika sidan" span.dold { " för rapport " (r.id) } } }
                }
                dt { "Text" } dd { p.rapporttext { (c.message) } }
                dt { "Källa" } dd { (source(&c.source)) }
                dt { "E-post" } dd {
                    @match (&c.email, &r.handled) {
                        (Some(e), _) => a href={ "mailto:" (e) } { (e) },
                        (None, Some(_)) => span.saknas { "ingen (en angiven adress raderades när rapporten hanterades)" },
                        (None, None) => span.saknas { "ingen angiven (eller raderad efter 12 månader)" },
                    }
                }
                dt { "Skickad från" } dd {
                    @match c.lang {
                        crate::lang::Lang::En => "den engelska sidan: svara gärna på engelska",
                        crate::lang::Lang::Sv => "den svenska sidan",
                    }
                }
                @if let Some(h) = &r.handled {
                    dt { "Hanterad" } dd { (local_time(h.at)) @if let Some(n) = h.by.and_then(|id| names.get(&id)) { " av " (n) } }
                    dt { "Anteckning" } dd {
                        @if h.note.is_empty() { span.saknas { "ingen" } } @else { p.rapporttext { (h.note) } }
                    }
                }
            }
            @if r.handled.is_none() {
                form.redigera.hantera method="post" action={ (PATH) "/" (r.id) "/hanterad" } novalidate {
                    (forms::csrf(&editor.session.csrf))
                    div.falt.faltrad {
                        label for=(note_id) { "Anteckning " span.obligatoriskt { "(frivilligt)" } }
                        span.hjalptext id={ (note_id) "-hjalp" } { "Vad du gjorde, till exempel ”ABC ändrad till erbjuds” eller ”stämde redan”. Högst 1 000 tecken." }
                        @if let Some(f) = failed { span.felmeddelande id={ (note_id) "-fel" } { span.dold { "Fel: " } (f.message) } }
                        textarea id=(note_id) name="note" rows="2" maxlength=(NOTE_MAX)
                            aria-describedby={ (note_id) "-hjalp" @if failed.is_some() { " " (note_id) "-fel" } }
                            aria-invalid=[failed.map(|_| "true")] { @if let Some(f) = failed { (f.note) } }
                    }
                    div.knappar { button type="submit" { "Markera som hanterad" span.dold { ": rapport " (r.id) } } }
                }
            }
        }
    }
}

#[derive(Deserialize)]
struct HandleForm {
    #[serde(default)]
    note: String,
}

async fn handle(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Posted { editor, form }: Posted<HandleForm>,
) -> Answer {
    let store = desk::store(&state, &editor)?;
    let missing = || {
        refuse(
            &editor,
            StatusCode::NOT_FOUND,
            "Rapporten finns inte",
            &format!("Det finns ingen rapport nummer ”{id}”."),
        )
    };
    let Ok(n) = id.parse::<i64>() else {
        return Err(missing().into());
    };
    let report = store
        .report(n)
        .await
        .map_err(|e| store_failed(&editor, e))?
        .ok_or_else(missing)?;
    if !editor.account.may_edit(report.content.kommun.as_deref()) {
        return Err(refuse(
            &editor,
            StatusCode::FORBIDDEN,
            "Inte tillåtet",
            "Rapporten gäller inte någon av dina kommuner. Samordnaren hanterar den.",
        )
        .into());
    }
    let already = || {
        refuse(
            &editor,
            StatusCode::CONFLICT,
            "Redan hanterad",
            &format!("Rapport {n} är redan markerad som hanterad. Se listan ”Hanterade”."),
        )
    };
    if report.handled.is_some() {
        return Err(already().into());
    }
    let note = tidy(&form.note);
    if let Err(p) = check_text(&note, NOTE_MAX, true, false) {
        let message = match p {
            Problem::TooLong { got, .. } => {
                format!("Högst 1 000 tecken; anteckningen har {got}. Korta den.")
            }
            _ => "Anteckningen innehåller osynliga styrtecken. Skriv in den igen.".into(),
        };
        let failed = NoteError {
            id: n,
            note: form.note,
            message,
        };
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return render(&state, &editor, store, status, None, Some(failed)).await;
    }
    let now = crate::dates::now_seconds();
    let done = store
        .handle_report(n, editor.account.id, &note, now)
        .await
        .map_err(|e| store_failed(&editor, e))?;
    if !done {
        return Err(already().into());
    }
    tracing::info!(
        "rapport {n} markerad som hanterad av {} (konto {}); e-postadressen raderad",
        editor.account.email,
        editor.account.id
    );
    Ok(super::signin::see_other(
        &format!("{PATH}?hanterad={n}"),
        None,
    ))
}
