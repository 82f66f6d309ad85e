//! `/admin/omgangar`: the survey rounds and their lifecycle. Every round with its status and how
//! many kommuner have answered; for the samordnare a form creating a new (open) survey round,
//! "Stäng" (after a page with the progress summary) and "Öppna igen", each a Save of the round's
//! record, logged in the history like every change. `/admin/omgangar/{id}` is the progress view:
//! per kommun how many catalogue programmes are answered, confirmed this round (the same answer
//! as in the previous survey round) or still okänt; `/admin/omgangar/{id}/kommun/{kod}` the
//! kommun's answers beside the previous round's, each linked to the desk's form for the cell.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use maud::{Markup, html};

use super::desk::edit::{Target, form, save};
use super::desk::kinds::{self, COMMENT};
use super::desk::{Answer, Stop, confirmation, edit_failed, page, refuse, saved, store_failed};
use super::forms::{self, Errors, Field, Values};
use super::{encode, layout};
use crate::AppState;
use crate::atlas::{Atlas, Progress};
use crate::auth::sessions::Posted;
use crate::auth::{Editor, Role};
use crate::pages::layout::state as state_marker;
use crate::store::{Action, Edit, EditError, ROUNDS};
use crate::vocabulary::{CellState, OfferingStatus, RoundKind, RoundStatus};

const LIST: &str = "/admin/omgangar";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(LIST, get(list).post(create))
        .route("/admin/omgangar/{id}", get(progress))
        .route("/admin/omgangar/{id}/stang", get(close_page).post(close))
        .route("/admin/omgangar/{id}/oppna", post(reopen))
        .route("/admin/omgangar/{id}/kommun/{kod}", get(kommun))
}

/// Creating, closing and opening rounds is the samordnare's: rounds are region-wide.
fn samordnare_only(editor: &Editor) -> Result<(), Stop> {
    if editor.account.role == Role::Samordnare {
        return Ok(());
    }
    Err(refuse(
        editor,
        StatusCode::FORBIDDEN,
        "Inte tillåtet",
        "Omgångar skapas, stängs och öppnas bara av samordnaren för regionen. \
         Du kan se hur långt dina kommuner har kommit i varje omgång.",
    )
    .into())
}

/// The round named in the address, or 404.
fn round(editor: &Editor, a: &Atlas, id: &str) -> Result<usize, Stop> {
    a.round_index(id).ok_or_else(|| {
        refuse(
            editor,
            StatusCode::NOT_FOUND,
            "Omgången finns inte",
            &format!("Det finns ingen omgång med koden ”{id}”."),
        )
        .into()
    })
}

/// The form target of a new round: an open survey round, appended last (rounds are in
/// chronological order).
fn new_round() -> Target {
    Target {
        kind: &ROUNDS,
        key: None,
        fixed: vec![
            ("kind", RoundKind::Survey.code().to_string()),
            ("status", RoundStatus::Open.code().to_string()),
        ],
        kommun: None,
        title: "Ny omgång".into(),
        action: LIST.into(),
        back: LIST.into(),
        back_label: "omgångarna".into(),
        lead: Some(
            "En ny enkätomgång är öppen från början: redaktörerna fyller i svaren, och kartan \
             visar den först när den har stängts."
                .into(),
        ),
        list: None,
    }
}

/// The kommuner (by name) whose progress the person sees: a redaktör their own.
fn visible(state: &AppState, a: &Atlas, editor: &Editor) -> Vec<usize> {
    crate::pages::Cx::new(a, &state.site)
        .kommuner_by_name()
        .into_iter()
        .filter(|k| editor.account.may_edit(Some(&a.kommuner()[*k].code)))
        .collect()
}

/// "öppen", "stängd", with "visas på kartan" for the default round.
fn status_text(a: &Atlas, r: usize) -> String {
    let round = &a.inventory.rounds[r];
    match (r == a.default_round, round.status) {
        (true, s) => format!("{}, visas på kartan", s.label()),
        (false, s) => s.label().to_string(),
    }
}

pub async fn list(
    State(state): State<AppState>,
    editor: Editor,
    Query(q): Query<Vec<(String, String)>>,
) -> Answer {
    let a = state.atlas();
    let q = Values::from_pairs(q);
    let flash = confirmation(&state, &editor, q.get("sparat").into()).await;
    let samordnare = editor.account.role == Role::Samordnare;
    let n = a.kommuner().len();
    let main = html! {
        (flash)
        p.ingress {
            "En enkätomgång är "
            strong { "öppen" } " medan svaren samlas in och "
            strong { "stängd" } " när den är klar: då kan svaren inte längre ändras, och kartan visar den senaste stängda omgången. "
            "Offentliga källor är en öppen samling som fylls på löpande."
        }
        div.tabellram tabindex="0" role="region" aria-label="Omgångarna" {
            table.staplad.poster {
                caption { "Omgångar, äldst först" }
                thead { tr {
                    th scope="col" { "Omgång" } th scope="col" { "Slag" } th scope="col" { "Insamlad" }
                    th scope="col" { "Status" } th scope="col" { "Kommuner med svar" }
                    @if samordnare { th scope="col" { "Åtgärd" } }
                } }
                tbody {
                    @for (r, round) in a.inventory.rounds.iter().enumerate() {
                        tr {
                            th scope="row" data-label="Omgång" {
                                a href={ (LIST) "/" (encode(&round.id)) } { (round.name) }
                            }
                            td data-label="Slag" { (round.kind.label()) }
                            td data-label="Insamlad" { (round.collected) }
                            td data-label="Status" { (status_text(&a, r)) }
                            td data-label="Kommuner med svar" { (a.answered_count(r)) " av " (n) }
                            @if samordnare {
                                td data-label="Åtgärd" { (lifecycle(&a, &editor, r)) }
                            }
                        }
                    }
                }
            }
        }
        @if samordnare {
            section #ny aria-labelledby="h-ny" {
                h2 #h-ny { "Ny omgång" }
                p { "En ny enkätomgång läggs sist och är öppen: redaktörerna fyller i svaren för sina kommuner, och kartan visar den först när du har stängt den." }
                (form(&a, &editor, &new_round(), &Values::default(), &Errors::default(), None, "Skapa omgången"))
            }
        }
    };
    Ok(layout::respond(
        StatusCode::OK,
        page(&editor, "Omgångar", main),
    ))
}

/// "Stäng" (a link to the page that shows the progress first) or "Öppna igen" (a form).
fn lifecycle(a: &Atlas, editor: &Editor, r: usize) -> Markup {
    let round = &a.inventory.rounds[r];
    let id = encode(&round.id);
    match round.status {
        RoundStatus::Open => html! {
            a href={ (LIST) "/" (id) "/stang" } { "Stäng" span.dold { " " (round.name) } }
        },
        RoundStatus::Closed => html! {
            form.bekrafta method="post" action={ (LIST) "/" (id) "/oppna" } {
                (forms::csrf(&editor.session.csrf))
                button.sekundar type="submit" { "Öppna igen" span.dold { ": " (round.name) } }
            }
        },
    }
}

/// A new round from the form: an open survey round (the form's errors next to its fields).
pub async fn create(
    State(state): State<AppState>,
    posted: Posted<Vec<(String, String)>>,
) -> Answer {
    samordnare_only(&posted.editor)?;
    save(&state, posted, new_round()).await
}

/// The progress summed over the kommuner `ks`.
fn total(a: &Atlas, r: usize, ks: &[usize]) -> Progress {
    ks.iter().fold(Progress::default(), |t, k| {
        let p = a.progress(*k, r);
        Progress {
            programmes: t.programmes + p.programmes,
            answered: t.answered + p.answered,
            confirmed: t.confirmed + p.confirmed,
            unknown: t.unknown + p.unknown,
        }
    })
}

/// What "bekräftat" is compared with: the previous survey round, if any.
fn compared_with(a: &Atlas, r: usize) -> String {
    match a.previous_survey(r) {
        Some(q) => format!(
            "”Bekräftade” är besvarade program med samma svar som i {}.",
            a.inventory.rounds[q].name
        ),
        None => "Omgången har ingen tidigare enkätomgång att jämföra med, så inga svar räknas som bekräftade.".into(),
    }
}

/// The per-kommun progress table of round `r`.
fn progress_table(a: &Atlas, r: usize, ks: &[usize]) -> Markup {
    let round = &a.inventory.rounds[r];
    let np = a.programmes().len();
    html! {
        div.tabellram tabindex="0" role="region" aria-label="Hur långt kommunerna har kommit" {
            table.staplad.poster {
                caption { "Svaren per kommun i " (round.name) " (" (np) " program i katalogen)" }
                thead { tr {
                    th scope="col" { "Kommun" }
                    th scope="col" { "Besvarade (erbjuds eller erbjuds inte)" }
                    th scope="col" { "Bekräftade i omgången" }
                    th scope="col" { "Okänt" }
                } }
                tbody {
                    @for k in ks {
                        @let kommun = &a.kommuner()[*k];
                        @let p = a.progress(*k, r);
                        tr {
                            th scope="row" data-label="Kommun" {
                                a href={ (LIST) "/" (encode(&round.id)) "/kommun/" (kommun.code) } { (kommun.name) }
                            }
                            td data-label="Besvarade" { (p.answered) " av " (p.programmes) }
                            td data-label="Bekräftade i omgången" { (p.confirmed) }
                            td data-label="Okänt" { (p.unknown) }
                        }
                    }
                }
                @if ks.len() > 1 {
                    @let t = total(a, r, ks);
                    tfoot { tr {
                        th scope="row" data-label="Kommun" { "Alla " (ks.len()) " kommuner" }
                        td data-label="Besvarade" { (t.answered) " av " (t.programmes) }
                        td data-label="Bekräftade i omgången" { (t.confirmed) }
                        td data-label="Okänt" { (t.unknown) }
                    } }
                }
            }
        }
    }
}

/// `/admin/omgangar/{id}`: how far each kommun has come in the round.
pub async fn progress(
    State(state): State<AppState>,
    editor: Editor,
    Path(id): Path<String>,
    Query(q): Query<Vec<(String, String)>>,
) -> Answer {
    let a = state.atlas();
    let r = round(&editor, &a, &id)?;
    let q = Values::from_pairs(q);
    let flash = confirmation(&state, &editor, q.get("sparat").into()).await;
    let round = &a.inventory.rounds[r];
    let ks = visible(&state, &a, &editor);
    let samordnare = editor.account.role == Role::Samordnare;
    let main = html! {
        (flash)
        p.tillbaka { a href=(LIST) { "Tillbaka till omgångarna" } }
        p.ingress {
            (round.kind.label()) ", insamlad " (round.collected) ", " strong { (round.status.label()) } ". "
            (a.answered_count(r)) " av " (a.kommuner().len()) " kommuner har svar i omgången."
        }
        @if !round.note.is_empty() { p { (round.note) } }
        @if round.status == RoundStatus::Closed {
            p { "Omgången är stängd: svaren kan inte längre ändras." }
        }
        p.forklaring {
            "Ett program är besvarat när kommunen har svarat erbjuds eller erbjuds inte; okänt är program utan svar eller med svaret okänt. "
            (compared_with(&a, r))
        }
        @if ks.is_empty() {
            p { "Ditt konto har inga kommuner ännu. Kontakta samordnaren." }
        } @else {
            (progress_table(&a, r, &ks))
        }
        @if samordnare { p { (lifecycle(&a, &editor, r)) } }
    };
    Ok(layout::respond(
        StatusCode::OK,
        page(&editor, &round.name, main),
    ))
}

/// One answer as the progress pages show it: its state (okänt for none), with what it rests on.
fn answer(o: Option<&crate::inventory::Offering>) -> Markup {
    match o.map(|o| o.status) {
        Some(OfferingStatus::Offered) => state_marker(CellState::Offered),
        Some(OfferingStatus::NotOffered) => state_marker(CellState::NotOffered),
        Some(OfferingStatus::Unknown) => {
            html! { (state_marker(CellState::Unknown)) br; small { "angivet som okänt" } }
        }
        None => html! { (state_marker(CellState::Unknown)) br; small { "inget svar" } },
    }
}

/// `/admin/omgangar/{id}/kommun/{kod}`: a kommun's answers in the round beside the previous
/// round's, each with a link to the desk's form for that cell in this round.
pub async fn kommun(
    State(state): State<AppState>,
    editor: Editor,
    Path((id, code)): Path<(String, String)>,
) -> Answer {
    let (a, k) = super::desk::kommun(&state, &editor, &code)?;
    let r = round(&editor, &a, &id)?;
    let round = &a.inventory.rounds[r];
    let previous = a.previous_survey(r);
    let kommun = &a.kommuner()[k];
    let p = a.progress(k, r);
    let editable = kinds::editable(&a, r);
    let query = format!("?omgang={}", encode(&round.id));
    let main = html! {
        p.tillbaka { a href={ (LIST) "/" (encode(&round.id)) } { "Tillbaka till " (round.name) } }
        p.ingress {
            (kommun.name) " i " (round.name) ": " (p.answered) " av " (p.programmes) " program besvarade, "
            (p.confirmed) " bekräftade i omgången, " (p.unknown) " okänt."
        }
        @if !editable { (super::desk::edit::closed_notice(&a, r)) }
        p.forklaring { (compared_with(&a, r)) }
        div.tabellram tabindex="0" role="region" aria-label="Svaren och förra omgångens svar" {
            table.staplad.poster {
                caption { "Programmen i " (kommun.name) ", " (round.name) }
                thead { tr {
                    th scope="col" { "Program" }
                    th scope="col" { "Svar i " (round.name) }
                    @if let Some(q) = previous { th scope="col" { "Svar i " (a.inventory.rounds[q].name) } }
                    th scope="col" { "Åtgärd" }
                } }
                tbody {
                    @for (pi, prog) in a.programmes().iter().enumerate() {
                        @let now = a.own_offering(k, r, pi);
                        tr {
                            th scope="row" data-label="Program" { (prog.name) }
                            td data-label={ "Svar i " (round.name) } {
                                (answer(now))
                                @if let (Some(q), Some(o)) = (previous, now) {
                                    @if a.own_offering(k, q, pi).is_some_and(|b| b.status == o.status) && o.status != OfferingStatus::Unknown {
                                        br; small { "bekräftat: samma som förra omgången" }
                                    }
                                }
                            }
                            @if let Some(q) = previous {
                                td data-label={ "Svar i " (a.inventory.rounds[q].name) } { (answer(a.own_offering(k, q, pi))) }
                            }
                            td data-label="Åtgärd" {
                                a href={ "/admin/kommun/" (kommun.code) "/program/" (prog.slug) (query) } {
                                    @if editable { "Ändra" } @else { "Visa" }
                                    span.dold { " " (prog.name) }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(layout::respond(
        StatusCode::OK,
        page(&editor, &format!("{} – {}", kommun.name, round.name), main),
    ))
}

/// "Stäng": the progress summary first, then the form that closes the round.
pub async fn close_page(
    State(state): State<AppState>,
    editor: Editor,
    Path(id): Path<String>,
) -> Answer {
    samordnare_only(&editor)?;
    let a = state.atlas();
    let r = round(&editor, &a, &id)?;
    let round = &a.inventory.rounds[r];
    if round.status == RoundStatus::Closed {
        return Err(refuse(
            &editor,
            StatusCode::CONFLICT,
            "Omgången är redan stängd",
            &format!("Omgången ”{}” är redan stängd.", round.name),
        )
        .into());
    }
    let ks: Vec<usize> = visible(&state, &a, &editor);
    let t = total(&a, r, &ks);
    let version = version_of(&state, &editor, &round.id).await?;
    let becomes_default = round.kind == RoundKind::Survey
        && a.inventory.rounds[r + 1..]
            .iter()
            .all(|x| !(x.kind == RoundKind::Survey && x.status == RoundStatus::Closed));
    let main = html! {
        p.tillbaka { a href=(LIST) { "Tillbaka till omgångarna" } }
        p.ingress {
            "När omgången är stängd kan svaren i den inte längre ändras (historiken finns kvar). "
            @if becomes_default { "Kartan, sidorna och exporterna visar den sedan som den aktuella omgången. " }
            "Du kan öppna den igen om något måste rättas."
        }
        h2 { "Så långt har kommunerna kommit" }
        p {
            (a.answered_count(r)) " av " (a.kommuner().len()) " kommuner har svar. Av "
            (t.programmes) " programsvar är " (t.answered) " besvarade, " (t.confirmed) " bekräftade i omgången och "
            strong { (t.unknown) " okänt" } "."
        }
        p.forklaring { (compared_with(&a, r)) }
        (progress_table(&a, r, &ks))
        form.redigera method="post" action={ (LIST) "/" (encode(&round.id)) "/stang" } novalidate {
            (forms::csrf(&editor.session.csrf))
            (forms::version(version))
            (forms::area(&Field { name: COMMENT, label: "Kommentar till historiken", hint: Some("Frivillig: varför omgången stängs."), required: false }, &Values::default(), &Errors::default()))
            div.knappar { button type="submit" { "Stäng omgången " (round.name) } }
        }
    };
    Ok(layout::respond(
        StatusCode::OK,
        page(&editor, &format!("Stäng {}", round.name), main),
    ))
}

/// The round record's version now.
async fn version_of(state: &AppState, editor: &Editor, id: &str) -> Result<Option<i64>, Stop> {
    let store = super::desk::store(state, editor)?;
    let record = store
        .record(&ROUNDS, id)
        .await
        .map_err(|e| store_failed(editor, e))?;
    Ok(record.map(|r| r.version))
}

pub async fn close(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted<Vec<(String, String)>>,
) -> Answer {
    set_status(state, id, posted, RoundStatus::Closed).await
}

pub async fn reopen(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted<Vec<(String, String)>>,
) -> Answer {
    set_status(state, id, posted, RoundStatus::Open).await
}

/// Closes or opens a round: a Save of its record's `status`, based on the version the form
/// was made from (the reopen button is based on the round as it is now), keeping its source.
async fn set_status(
    state: AppState,
    id: String,
    posted: Posted<Vec<(String, String)>>,
    status: RoundStatus,
) -> Answer {
    let editor = posted.editor;
    samordnare_only(&editor)?;
    let a = state.atlas();
    let r = round(&editor, &a, &id)?;
    let values = Values::from_pairs(posted.form);
    let store = super::desk::store(&state, &editor)?;
    let Some(record) = store
        .record(&ROUNDS, &a.inventory.rounds[r].id)
        .await
        .map_err(|e| store_failed(&editor, e))?
    else {
        let text = format!("Det finns ingen omgång med koden ”{id}”.");
        return Err(refuse(&editor, StatusCode::NOT_FOUND, "Omgången finns inte", &text).into());
    };
    let now = RoundStatus::parse(record.field("status")).unwrap_or(RoundStatus::Closed);
    if now == status {
        let text = format!(
            "Omgången ”{}” är redan {}.",
            record.field("name"),
            status.label()
        );
        return Err(refuse(&editor, StatusCode::CONFLICT, "Ingenting att ändra", &text).into());
    }
    let base = match values.get("version") {
        "" => Some(record.version),
        _ => forms::posted_version(&values)
            .map_err(|m| refuse(&editor, StatusCode::BAD_REQUEST, "Felaktigt formulär", &m))?,
    };
    let mut edit = Edit::new(&ROUNDS, Some(record.key.clone()), base, Action::Save);
    edit.fields
        .insert("status".into(), status.code().to_string());
    edit.source = record.field(ROUNDS.source).to_string();
    let comment = match values.get(COMMENT).trim() {
        "" if status == RoundStatus::Closed => "Omgången stängd",
        "" => "Omgången öppnad igen",
        c => c,
    };
    let set = super::desk::changeset(&editor, "edit", comment, vec![edit]);
    match state.commit(set).await {
        Ok(done) => Ok(saved(&format!("{LIST}/{}", encode(&record.key)), done.changeset)),
        Err(EditError::Conflict { .. }) => Err(refuse(
            &editor,
            StatusCode::CONFLICT,
            "Omgången har ändrats",
            "Någon annan har ändrat omgången sedan du öppnade sidan, så ingenting ändrades. Ladda om sidan och försök igen.",
        )
        .into()),
        Err(e) => Err(edit_failed(&editor, e).into()),
    }
}
