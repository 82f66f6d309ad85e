//! The region-wide records, for the samordnare only: the programme catalogue (edit, add), the
//! jointly decided documents (edit, add) and the survey rounds (listed here; created, opened
//! and closed under `/admin/omgangar`).

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use maud::html;

use super::edit::{Target, save, show};
use super::kommun::{confirm_button, confirmed_cell};
use super::{Answer, Stop, confirmation, refuse, samordnare_only, store, store_failed};
use crate::AppState;
use crate::admin::forms::Values;
use crate::admin::layout;
use crate::auth::Editor;
use crate::auth::sessions::Posted;
use crate::pages::layout::desk_source;
use crate::store::{DOCUMENTS, Kind, PROGRAMMES};

const BACK: &str = "/admin/program";
const BACK_LABEL: &str = "programkatalogen";

pub async fn page(
    State(state): State<AppState>,
    editor: Editor,
    Query(q): Query<Vec<(String, String)>>,
) -> Answer {
    samordnare_only(&editor)?;
    let q = Values::from_pairs(q);
    let store = store(&state, &editor)?;
    let fail = |e| store_failed(&editor, e);
    let programmes = store.records(&PROGRAMMES).await.map_err(fail)?;
    let documents = store.records(&DOCUMENTS).await.map_err(fail)?;
    let a = state.atlas();
    let flash = confirmation(&state, &editor, q.get("sparat").into()).await;
    let programme_kind = &PROGRAMMES;
    let main = html! {
        (flash)
        p.ingress { "Katalogen gäller hela regionen: ett program som läggs till här kan sedan anges som erbjuds, erbjuds inte eller okänt i varje kommun." }
        nav.innehall aria-label="På den här sidan" {
            ul {
                li { a href="#program" { "Program" } }
                li { a href="#dokument" { "Dokument" } }
                li { a href="#omgangar" { "Omgångar" } }
            }
        }
        section #program aria-labelledby="h-program" {
            h2 #h-program { "Program" }
            p { a href="/admin/program/ny" { "Lägg till ett program" } }
            div.tabellram tabindex="0" role="region" aria-label="Programkatalogen" {
                table.staplad.poster {
                    caption { "Programkatalogen (" (programmes.len()) " program)" }
                    thead { tr {
                        th scope="col" { "Program" } th scope="col" { "Kod" } th scope="col" { "Åldrar" }
                        th scope="col" { "Nivåer" } th scope="col" { "Form" } th scope="col" { "Källa" }
                        th scope="col" { "Senast bekräftad" } th scope="col" { "Åtgärd" }
                    } }
                    tbody {
                        @for p in &programmes {
                            tr {
                                th scope="row" data-label="Program" { (p.field("name")) }
                                td data-label="Kod" { (p.key) }
                                td data-label="Åldrar" { (p.field("age_min")) "–" (p.field("age_max")) }
                                td data-label="Nivåer" { (super::kinds::shown(programme_kind, "levels", p.field("levels"))) }
                                td data-label="Form" { (super::kinds::shown(programme_kind, "format", p.field("format"))) }
                                td data-label="Källa" { (desk_source(&a, p.field("source_url"))) }
                                td data-label="Senast bekräftad" { (confirmed_cell(p, &a.review)) }
                                td data-label="Åtgärd" {
                                    a href={ "/admin/program/" (p.key) } { "Ändra" span.dold { " " (p.field("name")) } }
                                    (confirm_button(&editor, p, p.field("name"), BACK))
                                }
                            }
                        }
                    }
                }
            }
        }
        section #dokument aria-labelledby="h-dokument" {
            h2 #h-dokument { "Gemensamt beslutade dokument" }
            p { a href="/admin/dokument/ny" { "Lägg till ett dokument" } }
            div.tabellram tabindex="0" role="region" aria-label="Dokumenten" {
                table.staplad.poster {
                    caption { "Dokument (" (documents.len()) ")" }
                    thead { tr { th scope="col" { "Titel" } th scope="col" { "Kod" } th scope="col" { "Slag" } th scope="col" { "Ägare" } th scope="col" { "Källa" } th scope="col" { "Åtgärd" } } }
                    tbody {
                        @for d in &documents {
                            tr {
                                th scope="row" data-label="Titel" { (d.field("title")) }
                                td data-label="Kod" { (d.key) }
                                td data-label="Slag" { (super::kinds::shown(&DOCUMENTS, "kind", d.field("kind"))) }
                                td data-label="Ägare" { (d.field("owner")) }
                                td data-label="Källa" { (desk_source(&a, d.field("source"))) }
                                td data-label="Åtgärd" { a href={ "/admin/dokument/" (d.key) } { "Ändra" span.dold { " " (d.field("title")) } } }
                            }
                        }
                    }
                }
            }
        }
        section #omgangar aria-labelledby="h-omgangar" {
            h2 #h-omgangar { "Omgångar" }
            p.forklaring { "Omgångarna skapas, stängs och öppnas under " a href="/admin/omgangar" { "Omgångar" } "." }
            div.tabellram tabindex="0" role="region" aria-label="Omgångarna" {
                table.staplad {
                    caption { "Omgångar, äldst först" }
                    thead { tr { th scope="col" { "Omgång" } th scope="col" { "Slag" } th scope="col" { "Insamlad" } th scope="col" { "Anteckning" } } }
                    tbody {
                        @for (i, r) in a.inventory.rounds.iter().enumerate() {
                            tr {
                                th scope="row" data-label="Omgång" { (r.name) @if i == a.default_round { " (aktuell)" } }
                                td data-label="Slag" { (r.kind.label()) }
                                td data-label="Insamlad" { (r.collected) }
                                td data-label="Anteckning" { (r.note) }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(layout::respond(
        StatusCode::OK,
        super::page(&editor, "Programkatalogen", main),
    ))
}

fn target(kind: &'static Kind, key: Option<String>, title: String, action: String) -> Target {
    Target {
        kind,
        key,
        fixed: Vec::new(),
        kommun: None,
        title,
        action,
        back: BACK.into(),
        back_label: BACK_LABEL.into(),
        lead: None,
        list: None,
    }
}

/// An existing programme or document, or 404.
async fn existing(
    state: &AppState,
    editor: &Editor,
    kind: &'static Kind,
    slug: &str,
    path: &str,
) -> Result<Target, Stop> {
    samordnare_only(editor)?;
    let record = store(state, editor)?
        .record(kind, slug)
        .await
        .map_err(|e| store_failed(editor, e))?;
    let Some(r) = record else {
        return Err(refuse(
            editor,
            StatusCode::NOT_FOUND,
            "Finns inte",
            &format!("Det finns ingen {} med koden ”{slug}”.", kind.label),
        )
        .into());
    };
    let name = if *kind == PROGRAMMES {
        r.field("name")
    } else {
        r.field("title")
    };
    Ok(target(
        kind,
        Some(slug.to_string()),
        name.to_string(),
        format!("/admin/{path}/{slug}"),
    ))
}

pub async fn programme(
    State(state): State<AppState>,
    editor: Editor,
    Path(slug): Path<String>,
) -> Answer {
    let t = existing(&state, &editor, &PROGRAMMES, &slug, "program").await?;
    show(&state, &editor, t).await
}

pub async fn save_programme(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    posted: Posted<Vec<(String, String)>>,
) -> Answer {
    let t = existing(&state, &posted.editor, &PROGRAMMES, &slug, "program").await?;
    save(&state, posted, t).await
}

fn new_programme_target() -> Target {
    target(
        &PROGRAMMES,
        None,
        "Nytt program".into(),
        "/admin/program/ny".into(),
    )
}

pub async fn new_programme(State(state): State<AppState>, editor: Editor) -> Answer {
    samordnare_only(&editor)?;
    show(&state, &editor, new_programme_target()).await
}

pub async fn add_programme(
    State(state): State<AppState>,
    posted: Posted<Vec<(String, String)>>,
) -> Answer {
    samordnare_only(&posted.editor)?;
    save(&state, posted, new_programme_target()).await
}

pub async fn document(
    State(state): State<AppState>,
    editor: Editor,
    Path(slug): Path<String>,
) -> Answer {
    let t = existing(&state, &editor, &DOCUMENTS, &slug, "dokument").await?;
    show(&state, &editor, t).await
}

pub async fn save_document(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    posted: Posted<Vec<(String, String)>>,
) -> Answer {
    let t = existing(&state, &posted.editor, &DOCUMENTS, &slug, "dokument").await?;
    save(&state, posted, t).await
}

fn new_document_target() -> Target {
    target(
        &DOCUMENTS,
        None,
        "Nytt dokument".into(),
        "/admin/dokument/ny".into(),
    )
}

pub async fn new_document(State(state): State<AppState>, editor: Editor) -> Answer {
    samordnare_only(&editor)?;
    show(&state, &editor, new_document_target()).await
}

pub async fn add_document(
    State(state): State<AppState>,
    posted: Posted<Vec<(String, String)>>,
) -> Answer {
    samordnare_only(&posted.editor)?;
    save(&state, posted, new_document_target()).await
}
