//! One edit form for every kind of record, driven by [`kinds::specs`]: the page (the record's
//! values, or what was typed and the errors next to each field), the save (one changeset of one
//! edit based on the version the form was made from), and the per-kind addresses that say which
//! record a form is about.

use std::collections::BTreeMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use maud::{Markup, html};

use super::kinds::{self, COMMENT, CONFIRMED, Input, SOURCE};
use super::{Answer, Stop, conflict, edit_failed, page, refuse, saved, store, store_failed};
use crate::AppState;
use crate::admin::forms::{self, Errors, Field, Values};
use crate::admin::{history, layout};
use crate::auth::Editor;
use crate::auth::sessions::Posted;
use crate::store::{
    ADHERENCE, Action, Changeset, Edit, EditError, FieldProblem, Kind, OFFERINGS, PARTSSAMVERKAN,
    Record, SAMBU,
};

/// Which record a form is about, and what the page around it says.
#[derive(Debug, Clone)]
pub struct Target {
    pub kind: &'static Kind,
    /// None: a new record (a key column is then entered, or the next number is taken).
    pub key: Option<String>,
    /// Columns fixed by the address (the kommun, the programme and round of an offering).
    pub fixed: Vec<(&'static str, String)>,
    /// The kommun the record belongs to (None: region-wide).
    pub kommun: Option<String>,
    pub title: String,
    /// The form's own address.
    pub action: String,
    /// Where a save goes, and what that page is called.
    pub back: String,
    pub back_label: String,
    /// A line under the title (which round the answer is for).
    pub lead: Option<String>,
    /// For a new numbered record: the kommun's existing ones, listed above the form.
    pub list: Option<Markup>,
}

impl Target {
    /// Whether a column is set by the address or the page, not entered in the form (a new
    /// round is always an open survey).
    pub fn is_fixed(&self, column: &str) -> bool {
        self.fixed.iter().any(|(c, _)| *c == column)
    }
}

/// The query or form field naming the round of an offering.
pub const ROUND: &str = "omgang";

fn values_of(record: Option<&Record>, kind: &Kind) -> Values {
    let mut values = Values::default();
    if let Some(r) = record {
        for (column, value) in &r.fields {
            match kinds::specs(kind).iter().find(|s| s.column == column) {
                Some(s) if matches!(s.input, Input::Several(_)) => {
                    for v in value.split(';').map(str::trim).filter(|v| !v.is_empty()) {
                        values.push(column, v);
                    }
                }
                _ => values.set(&kinds::input_name(kind, column), value.clone()),
            }
        }
    }
    // Saving confirms the record today unless another date is given.
    values.set(CONFIRMED, crate::dates::today());
    values
}

/// The edit page of a record as it is now.
pub async fn show(state: &AppState, editor: &Editor, target: Target) -> Answer {
    let store = store(state, editor)?;
    let record = match &target.key {
        Some(key) => store
            .record(target.kind, key)
            .await
            .map_err(|e| store_failed(editor, e))?,
        None => None,
    };
    let values = values_of(record.as_ref(), target.kind);
    let version = record.as_ref().map(|r| r.version);
    Ok(edit_page(
        state,
        editor,
        &target,
        &values,
        &Errors::default(),
        version,
        StatusCode::OK,
    )
    .await)
}

/// The whole edit page: title, lead, error summary, the form, the record's history.
pub async fn edit_page(
    state: &AppState,
    editor: &Editor,
    target: &Target,
    values: &Values,
    errors: &Errors,
    version: Option<i64>,
    status: StatusCode,
) -> Response {
    let kind = target.kind;
    // Where a revert from the record's history returns: this page, in its round.
    let here = match target.fixed.iter().find(|(c, _)| *c == "round") {
        Some((_, round)) => format!(
            "{}{}",
            target.action,
            kinds::round_query(&state.atlas(), round)
        ),
        None => target.action.clone(),
    };
    let history = match &target.key {
        Some(key) => history::of_record(state, editor, kind, key, &here).await,
        None => html! {},
    };
    let public = target.kommun.as_ref().map(|k| format!("/kommun/{k}"));
    let main = html! {
        p.tillbaka { a href=(target.back) { "Tillbaka till " (target.back_label) } }
        @if let Some(lead) = &target.lead { p.ingress { (lead) } }
        (forms::summary(errors, |name| kinds::input_label(kind, name)))
        @if let Some(list) = &target.list { (list) }
        @if target.key.is_some() && version.is_none() {
            p.forklaring { "Det finns ingen uppgift ännu: när du sparar skapas den." }
        }
        (form(&state.atlas(), editor, target, values, errors, version, "Spara"))
        @if let (Some(_), Some(v)) = (&target.key, version) {
            @if kind.key.is_empty() { (remove_form(editor, target, v)) }
        }
        @if let Some(p) = public {
            p { a href=(p) { "Se den publika sidan för kommunen" } }
        }
        (history)
    };
    layout::respond(status, page(editor, &target.title, main))
}

/// The form itself (also on the conflict page, with the values the person had typed). The
/// source field suggests the ids of the sources table, with their citations.
pub fn form(
    a: &crate::atlas::Atlas,
    editor: &Editor,
    target: &Target,
    values: &Values,
    errors: &Errors,
    version: Option<i64>,
    button: &str,
) -> Markup {
    let kind = target.kind;
    let specs = kinds::specs(kind);
    let source_hint = match kind.source {
        "source_url" => "Programmets webbplats eller beskrivning, börjar med https://.",
        "url" => "Källans webbadress, börjar med https://.",
        _ => {
            "Ett id ur källtabellen (skriv för att få förslag, flera skiljs med semikolon), en webbadress (https://…) eller ett dokuments namn, t.ex. ”Kommunens svar i uppföljningen 2024”."
        }
    };
    let suggestions: Vec<(&str, String)> = if kind.source == "source" {
        a.inventory
            .sources
            .entries()
            .iter()
            .map(|e| (e.id.as_str(), format!("{}: {}", e.publisher, e.title)))
            .collect()
    } else {
        Vec::new()
    };
    html! {
        form.redigera method="post" action=(target.action) novalidate {
            (forms::csrf(&editor.session.csrf))
            (forms::version(version))
            @for (name, value) in &target.fixed {
                @if *name == "round" { input type="hidden" name=(ROUND) value=(value); }
            }
            @for s in &specs {
                @if !(target.is_fixed(s.column) || (s.key && target.key.is_some())) { (field(s, values, errors)) }
            }
            fieldset.falt.proveniens {
                legend { "Källa och datum" }
                (forms::suggested(&Field { name: SOURCE, label: "Källa", hint: Some(source_hint), required: true }, "text", values, errors, &suggestions))
                @if kind.confirmed.is_some() {
                    (forms::input(&Field {
                        name: CONFIRMED,
                        label: "Senast bekräftad",
                        hint: Some("Dagens datum om inget annat anges. ÅÅÅÅ-MM-DD, ÅÅÅÅ-MM, ÅÅÅÅ eller okänt."),
                        required: false,
                    }, "text", values, errors))
                }
                (forms::area(&Field { name: COMMENT, label: "Kommentar till historiken", hint: Some("Frivillig: varför ändringen görs."), required: false }, values, errors))
            }
            div.knappar { button type="submit" { (button) } }
        }
    }
}

fn field(s: &kinds::Spec, values: &Values, errors: &Errors) -> Markup {
    let f = Field {
        name: s.column,
        label: s.label,
        hint: s.hint,
        required: s.required,
    };
    match &s.input {
        Input::Text => forms::input(&f, "text", values, errors),
        Input::Url => forms::input(&f, "url", values, errors),
        Input::Number => forms::input(&f, "text", values, errors),
        Input::Area => forms::area(&f, values, errors),
        Input::Choice(o) => forms::radios(&f, o, values, errors),
        Input::Select(o) => forms::select(&f, o, values, errors),
        Input::Several(o) => forms::checkboxes(&f, o, values, errors),
        Input::Flag => forms::flag(&f, values, errors),
    }
}

fn remove_form(editor: &Editor, target: &Target, version: i64) -> Markup {
    html! {
        form.ta-bort method="post" action={ (target.action) "/ta-bort" } {
            (forms::csrf(&editor.session.csrf))
            (forms::version(Some(version)))
            h2 { "Ta bort" }
            p { "Uppgiften tas bort från kartan. Den finns kvar i historiken och kan återställas därifrån." }
            div.knappar { button.farlig type="submit" { "Ta bort " (target.kind.label) "en" } }
        }
    }
}

/// The edit a posted form asks for.
fn edit_of(target: &Target, values: &Values, base: Option<i64>) -> Edit {
    let kind = target.kind;
    let mut e = Edit::new(kind, target.key.clone(), base, Action::Save);
    for s in kinds::specs(kind) {
        if (s.key && target.key.is_some()) || target.is_fixed(s.column) {
            continue;
        }
        let value = match s.input {
            Input::Several(_) => values.all(s.column).join(";"),
            Input::Flag => (values.get(s.column) == "true").to_string(),
            _ => values.get(s.column).to_string(),
        };
        e.fields.insert(s.column.to_string(), value);
    }
    for (column, value) in &target.fixed {
        e.fields.insert(column.to_string(), value.clone());
    }
    e.source = values.get(SOURCE).to_string();
    let confirmed = values.get(CONFIRMED).trim();
    e.confirmed = (!confirmed.is_empty()).then(|| confirmed.to_string());
    e
}

/// The changeset of one person's edits.
pub fn changeset(
    editor: &Editor,
    kind: &'static str,
    comment: &str,
    edits: Vec<Edit>,
) -> Changeset {
    Changeset {
        account_id: Some(editor.account.id),
        actor: editor.account.email.clone(),
        scope: editor.account.scope(),
        kind,
        comment: comment.trim().to_string(),
        edits,
        undoes: None,
        import: None,
    }
}

/// The loader's message for a field, as shown next to it: without the column name in front,
/// the column named as the form names it.
fn field_message(kind: &Kind, p: &FieldProblem) -> String {
    let m = p
        .message
        .strip_prefix(&format!("{}: ", p.field))
        .unwrap_or(&p.message);
    let m = m.replace(
        &format!("fältet ”{}”", p.field),
        &format!("fältet ”{}”", kinds::label(kind, &p.field)),
    );
    crate::pages::layout::capital(&m)
}

/// The errors of a refused edit, by form field.
pub fn errors_of(
    kind: &Kind,
    fields: &[FieldProblem],
    problems: &[crate::problem::Problem],
) -> Errors {
    let mut errors = Errors::default();
    for f in fields {
        errors.field(&kinds::input_name(kind, &f.field), field_message(kind, f));
    }
    for p in problems {
        errors.general(crate::pages::layout::capital(&p.message));
    }
    errors
}

/// Saves a posted form: 303 to the overview, or the form again with its errors (422), or the
/// conflict page (409).
pub async fn save(
    state: &AppState,
    posted: Posted<Vec<(String, String)>>,
    target: Target,
) -> Answer {
    let editor = posted.editor;
    let values = Values::from_pairs(posted.form);
    if !editor.account.may_edit(target.kommun.as_deref()) {
        return Err(edit_failed(&editor, EditError::Forbidden(target.title.to_lowercase())).into());
    }
    let base = forms::posted_version(&values)
        .map_err(|m| refuse(&editor, StatusCode::BAD_REQUEST, "Felaktigt formulär", &m))?;
    let edit = edit_of(&target, &values, base);
    // A new keyed record (a programme, a document) must not take an existing key.
    if target.key.is_none()
        && let Some(key) = target.kind.key_of(&edit.fields)
    {
        let mut errors = Errors::default();
        let taken = store(state, &editor)?
            .record(target.kind, &key)
            .await
            .map_err(|e| store_failed(&editor, e))?
            .is_some();
        if taken {
            errors.field(
                target.kind.key[0],
                format!("Det finns redan en post med koden ”{key}”: välj en annan kod."),
            );
        } else if key == "ny" {
            errors.field(
                target.kind.key[0],
                "Koden ”ny” är reserverad: välj en annan kod.",
            );
        }
        if !errors.is_empty() {
            return Ok(edit_page(
                state,
                &editor,
                &target,
                &values,
                &errors,
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await);
        }
    }
    let set = changeset(&editor, "edit", values.get(COMMENT), vec![edit]);
    match state.commit(set).await {
        Ok(done) => Ok(saved(&target.back, done.changeset)),
        Err(EditError::Invalid { fields, problems }) => {
            let errors = errors_of(target.kind, &fields, &problems);
            Ok(edit_page(
                state,
                &editor,
                &target,
                &values,
                &errors,
                base,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await)
        }
        Err(EditError::Conflict {
            current, original, ..
        }) => Ok(conflict::page(
            state,
            &editor,
            &target,
            &values,
            current.as_ref(),
            original.as_ref(),
        )
        .await),
        Err(e) => Err(edit_failed(&editor, e).into()),
    }
}

/// Removes a numbered record (a training, a contact) the form was made from.
async fn remove(state: &AppState, posted: Posted<Vec<(String, String)>>, target: Target) -> Answer {
    let editor = posted.editor;
    let values = Values::from_pairs(posted.form);
    let base = forms::posted_version(&values)
        .map_err(|m| refuse(&editor, StatusCode::BAD_REQUEST, "Felaktigt formulär", &m))?;
    let edit = Edit::new(target.kind, target.key.clone(), base, Action::Remove);
    let set = changeset(&editor, "edit", values.get(COMMENT), vec![edit]);
    match state.commit(set).await {
        Ok(done) => Ok(saved(&target.back, done.changeset)),
        Err(EditError::Conflict {
            current, original, ..
        }) => {
            let values = values_of(current.as_ref(), target.kind);
            Ok(conflict::page(
                state,
                &editor,
                &target,
                &values,
                current.as_ref(),
                original.as_ref(),
            )
            .await)
        }
        Err(e) => Err(edit_failed(&editor, e).into()),
    }
}

// ---- the records of a kommun ------------------------------------------------------------

fn overview_of(a: &crate::atlas::Atlas, k: usize, round: Option<&str>) -> (String, String) {
    let code = &a.kommuner()[k].code;
    let q = round.map(|r| kinds::round_query(a, r)).unwrap_or_default();
    (
        format!("/admin/kommun/{code}{q}"),
        format!("översikten för {}", a.kommuner()[k].name),
    )
}

/// The round an offering form is for: `?omgang=` / the form's field, else the desk's round.
fn round_of(editor: &Editor, a: &crate::atlas::Atlas, values: &Values) -> Result<usize, Stop> {
    match values.get(ROUND) {
        "" => Ok(kinds::desk_round(a)),
        id => a.round_index(id).ok_or_else(|| {
            refuse(
                editor,
                StatusCode::NOT_FOUND,
                "Omgången finns inte",
                &format!("Det finns ingen omgång ”{id}”."),
            )
            .into()
        }),
    }
}

async fn offering_target(
    state: &AppState,
    editor: &Editor,
    code: &str,
    slug: &str,
    values: &Values,
) -> Result<Target, Stop> {
    let (a, k) = super::kommun(state, editor, code)?;
    let Some(p) = a.programme_index(slug) else {
        return Err(refuse(
            editor,
            StatusCode::NOT_FOUND,
            "Programmet finns inte",
            &format!("Det finns inget program ”{slug}” i katalogen."),
        )
        .into());
    };
    let r = round_of(editor, &a, values)?;
    let (kommun, round, programme) = (&a.kommuner()[k], &a.inventory.rounds[r], &a.programmes()[p]);
    let (back, back_label) = overview_of(&a, k, Some(&round.id));
    Ok(Target {
        kind: &OFFERINGS,
        key: Some(format!("{}/{}/{}", kommun.code, programme.slug, round.id)),
        fixed: vec![
            ("kommun", kommun.code.clone()),
            ("programme", programme.slug.clone()),
            ("round", round.id.clone()),
        ],
        kommun: Some(kommun.code.clone()),
        title: format!("{} i {}", programme.name, kommun.name),
        action: format!("/admin/kommun/{}/program/{}", kommun.code, programme.slug),
        back,
        back_label,
        lead: Some(format!(
            "Uppgiften gäller omgången {} ({}). Välj erbjuds, erbjuds inte eller okänt och ange varifrån uppgiften kommer.",
            round.name, round.collected
        )),
        list: None,
    })
}

pub async fn offering(
    State(state): State<AppState>,
    editor: Editor,
    Path((code, slug)): Path<(String, String)>,
    Query(q): Query<Vec<(String, String)>>,
) -> Answer {
    let values = Values::from_pairs(q);
    let target = offering_target(&state, &editor, &code, &slug, &values).await?;
    let a = state.atlas();
    let r = round_of(&editor, &a, &values)?;
    if !kinds::editable(&a, r) {
        return frozen(&state, &editor, &target, r).await;
    }
    show(&state, &editor, target).await
}

/// An answer in a closed round: what it says, read-only, with its history and where the
/// answers are edited now.
async fn frozen(state: &AppState, editor: &Editor, target: &Target, r: usize) -> Answer {
    let a = state.atlas();
    let kind = target.kind;
    let key = target.key.clone().unwrap_or_default();
    let record = store(state, editor)?
        .record(kind, &key)
        .await
        .map_err(|e| store_failed(editor, e))?;
    let here = format!(
        "{}{}",
        target.action,
        kinds::round_query(&a, &a.inventory.rounds[r].id)
    );
    let history = history::of_record(state, editor, kind, &key, &here).await;
    let open = a.open_round().filter(|o| *o != r);
    let main = html! {
        p.tillbaka { a href=(target.back) { "Tillbaka till " (target.back_label) } }
        @if let Some(lead) = &target.lead { p.ingress { (lead) } }
        (closed_notice(&a, r))
        @match &record {
            Some(rec) => {
                dl.fakta {
                    @for s in kinds::specs(kind) {
                        @let v = rec.field(s.column);
                        dt { (s.label) }
                        dd { @if v.is_empty() { span.saknas { "(tomt)" } } @else { (kinds::shown(kind, s.column, v)) } }
                    }
                    dt { "Källa" } dd { (crate::pages::layout::desk_source(&a, rec.field(kind.source))) }
                    @if let Some(c) = kind.confirmed { dt { "Senast bekräftad" } dd { (rec.field(c)) } }
                }
            }
            None => p { (crate::pages::layout::state(crate::vocabulary::CellState::Unknown)) " – omgången har ingen uppgift." },
        }
        @if let (Some(o), Some(code)) = (open, &target.kommun) {
            @let slug = target.fixed.iter().find(|(c, _)| *c == "programme").map_or("", |(_, v)| v.as_str());
            p { a href={ "/admin/kommun/" (code) "/program/" (slug) (kinds::round_query(&a, &a.inventory.rounds[o].id)) } {
                "Ändra svaret i den öppna omgången, " (a.inventory.rounds[o].name)
            } }
        }
        (history)
    };
    Ok(layout::respond(
        StatusCode::OK,
        page(editor, &target.title, main),
    ))
}

/// "Omgången … är stängd": the notice on the desk's pages of a closed round.
pub fn closed_notice(a: &crate::atlas::Atlas, r: usize) -> Markup {
    let round = &a.inventory.rounds[r];
    html! {
        div.meddelande role="status" {
            p {
                "Omgången " strong { (round.name) } " är stängd: svaren visas men kan inte längre ändras. "
                "Historiken finns kvar."
                @if let Some(o) = a.open_round().filter(|o| *o != r) {
                    " Svar samlas nu in i " (a.inventory.rounds[o].name) "."
                }
            }
        }
    }
}

pub async fn save_offering(
    State(state): State<AppState>,
    Path((code, slug)): Path<(String, String)>,
    posted: Posted<Vec<(String, String)>>,
) -> Answer {
    let values = Values::from_pairs(posted.form.clone());
    let target = offering_target(&state, &posted.editor, &code, &slug, &values).await?;
    save(&state, posted, target).await
}

/// A record a kommun has one of (SAMBU, partssamverkan).
fn single_target(
    state: &AppState,
    editor: &Editor,
    code: &str,
    kind: &'static Kind,
    path: &str,
    title: &str,
) -> Result<Target, Stop> {
    let (a, k) = super::kommun(state, editor, code)?;
    let kommun = &a.kommuner()[k];
    let (back, back_label) = overview_of(&a, k, None);
    Ok(Target {
        kind,
        key: Some(kommun.code.clone()),
        fixed: vec![("kommun", kommun.code.clone())],
        kommun: Some(kommun.code.clone()),
        title: format!("{title} i {}", kommun.name),
        action: format!("/admin/kommun/{}/{path}", kommun.code),
        back,
        back_label,
        lead: None,
        list: None,
    })
}

pub async fn sambu(
    State(state): State<AppState>,
    editor: Editor,
    Path(code): Path<String>,
) -> Answer {
    let target = single_target(&state, &editor, &code, &SAMBU, "sambu", "SAMBU")?;
    show(&state, &editor, target).await
}

pub async fn save_sambu(
    State(state): State<AppState>,
    Path(code): Path<String>,
    posted: Posted<Vec<(String, String)>>,
) -> Answer {
    let target = single_target(&state, &posted.editor, &code, &SAMBU, "sambu", "SAMBU")?;
    save(&state, posted, target).await
}

pub async fn partssamverkan(
    State(state): State<AppState>,
    editor: Editor,
    Path(code): Path<String>,
) -> Answer {
    let target = single_target(
        &state,
        &editor,
        &code,
        &PARTSSAMVERKAN,
        "partssamverkan",
        "Partssamverkan",
    )?;
    show(&state, &editor, target).await
}

pub async fn save_partssamverkan(
    State(state): State<AppState>,
    Path(code): Path<String>,
    posted: Posted<Vec<(String, String)>>,
) -> Answer {
    let target = single_target(
        &state,
        &posted.editor,
        &code,
        &PARTSSAMVERKAN,
        "partssamverkan",
        "Partssamverkan",
    )?;
    save(&state, posted, target).await
}

fn adherence_target(
    state: &AppState,
    editor: &Editor,
    code: &str,
    slug: &str,
) -> Result<Target, Stop> {
    let (a, k) = super::kommun(state, editor, code)?;
    let Some(d) = a.document_index(slug) else {
        return Err(refuse(
            editor,
            StatusCode::NOT_FOUND,
            "Dokumentet finns inte",
            &format!("Det finns inget dokument ”{slug}”."),
        )
        .into());
    };
    let (kommun, doc) = (&a.kommuner()[k], &a.inventory.documents[d]);
    let (back, back_label) = overview_of(&a, k, None);
    Ok(Target {
        kind: &ADHERENCE,
        key: Some(format!("{}/{}", doc.slug, kommun.code)),
        fixed: vec![
            ("document", doc.slug.clone()),
            ("kommun", kommun.code.clone()),
        ],
        kommun: Some(kommun.code.clone()),
        title: format!("Följsamhet i {}: {}", kommun.name, doc.title),
        action: format!("/admin/kommun/{}/dokument/{}", kommun.code, doc.slug),
        back,
        back_label,
        lead: Some(format!(
            "Hur långt {} har kommit med dokumentet ({}, {}).",
            kommun.name,
            doc.kind.label(),
            doc.owner
        )),
        list: None,
    })
}

pub async fn adherence(
    State(state): State<AppState>,
    editor: Editor,
    Path((code, slug)): Path<(String, String)>,
) -> Answer {
    let target = adherence_target(&state, &editor, &code, &slug)?;
    show(&state, &editor, target).await
}

pub async fn save_adherence(
    State(state): State<AppState>,
    Path((code, slug)): Path<(String, String)>,
    posted: Posted<Vec<(String, String)>>,
) -> Answer {
    let target = adherence_target(&state, &posted.editor, &code, &slug)?;
    save(&state, posted, target).await
}

/// Trainings, contacts and other support: numbered records, several per kommun.
struct Numbered {
    kind: &'static Kind,
    path: &'static str,
    singular: &'static str,
}

const TRAININGS: Numbered = Numbered {
    kind: &crate::store::TRAININGS,
    path: "utbildningar",
    singular: "utbildning",
};
const CONTACTS: Numbered = Numbered {
    kind: &crate::store::CONTACTS,
    path: "kontakter",
    singular: "kontakt",
};
const OTHER_SUPPORT: Numbered = Numbered {
    kind: &crate::store::OTHER_SUPPORT,
    path: "annat-stod",
    singular: "uppgift om annat föräldraskapsstöd",
};

/// The page of a kommun's trainings (or contacts) with the form for a new one (`nr` None), or
/// one of them.
async fn numbered_target(
    state: &AppState,
    editor: &Editor,
    n: &Numbered,
    code: &str,
    nr: Option<&str>,
) -> Result<Target, Stop> {
    let (a, k) = super::kommun(state, editor, code)?;
    let kommun = &a.kommuner()[k];
    let kind = n.kind;
    let (back, back_label) = overview_of(&a, k, None);
    let base = format!("/admin/kommun/{}/{}", kommun.code, n.path);
    let fixed = vec![("kommun", kommun.code.clone())];
    if let Some(nr) = nr {
        let record = store(state, editor)?
            .record(kind, nr)
            .await
            .map_err(|e| store_failed(editor, e))?;
        if record.as_ref().and_then(|r| r.kommun.as_deref()) != Some(kommun.code.as_str()) {
            return Err(refuse(
                editor,
                StatusCode::NOT_FOUND,
                "Finns inte",
                &format!("{} har ingen {} nummer {nr}.", kommun.name, n.singular),
            )
            .into());
        }
        return Ok(Target {
            kind,
            key: Some(nr.to_string()),
            fixed,
            kommun: Some(kommun.code.clone()),
            title: format!(
                "{} {nr} i {}",
                crate::pages::layout::capital(n.singular),
                kommun.name
            ),
            action: format!("{base}/{nr}"),
            back: base,
            back_label: format!("{} i {}", kinds::plural(n.kind).to_lowercase(), kommun.name),
            lead: None,
            list: None,
        });
    }
    let records: Vec<Record> = store(state, editor)?
        .records(kind)
        .await
        .map_err(|e| store_failed(editor, e))?
        .into_iter()
        .filter(|r| r.kommun.as_deref() == Some(kommun.code.as_str()))
        .collect();
    let list =
        super::kommun::numbered_table(editor, kind, &records, &kommun.name, &base, &base, &a);
    Ok(Target {
        kind,
        key: None,
        fixed,
        kommun: Some(kommun.code.clone()),
        title: format!("{} i {}", kinds::plural(n.kind), kommun.name),
        action: base,
        back,
        back_label,
        lead: None,
        list: Some(html! {
            (list)
            h2 #ny { "Lägg till en " (n.singular) }
        }),
    })
}

/// Trainings or contacts, by the list's name in the address.
fn numbered(list: &str) -> Result<&'static Numbered, Stop> {
    [&TRAININGS, &CONTACTS, &OTHER_SUPPORT]
        .into_iter()
        .find(|n| n.path == list)
        .ok_or_else(|| {
            let text = format!("Det finns ingen lista ”{list}” för en kommun.");
            crate::admin::layout::message(StatusCode::NOT_FOUND, "Sidan finns inte", &text).into()
        })
}

/// A kommun's trainings (or contacts), with the form for a new one.
pub async fn numbered_list(
    State(state): State<AppState>,
    editor: Editor,
    Path((code, list)): Path<(String, String)>,
) -> Answer {
    let target = numbered_target(&state, &editor, numbered(&list)?, &code, None).await?;
    show(&state, &editor, target).await
}

pub async fn add_numbered(
    State(state): State<AppState>,
    Path((code, list)): Path<(String, String)>,
    posted: Posted<Vec<(String, String)>>,
) -> Answer {
    let n = numbered(&list)?;
    let target = numbered_target(&state, &posted.editor, n, &code, None).await?;
    save(&state, posted, target).await
}

pub async fn numbered_one(
    State(state): State<AppState>,
    editor: Editor,
    Path((code, list, nr)): Path<(String, String, String)>,
) -> Answer {
    let n = numbered(&list)?;
    let target = numbered_target(&state, &editor, n, &code, Some(&nr)).await?;
    show(&state, &editor, target).await
}

pub async fn save_numbered(
    State(state): State<AppState>,
    Path((code, list, nr)): Path<(String, String, String)>,
    posted: Posted<Vec<(String, String)>>,
) -> Answer {
    let n = numbered(&list)?;
    let target = numbered_target(&state, &posted.editor, n, &code, Some(&nr)).await?;
    save(&state, posted, target).await
}

pub async fn remove_numbered(
    State(state): State<AppState>,
    Path((code, list, nr)): Path<(String, String, String)>,
    posted: Posted<Vec<(String, String)>>,
) -> Answer {
    let n = numbered(&list)?;
    let target = numbered_target(&state, &posted.editor, n, &code, Some(&nr)).await?;
    remove(&state, posted, target).await
}

/// The fields of a record as people read them, by form order (for the conflict page).
pub fn columns(kind: &Kind) -> Vec<&'static str> {
    let mut cs: Vec<&'static str> = kinds::specs(kind).iter().map(|s| s.column).collect();
    cs.push(kind.source);
    cs.extend(kind.confirmed);
    cs
}

/// A posted form's values as the record's columns (what "yours" is on the conflict page).
pub fn submitted_fields(target: &Target, values: &Values) -> BTreeMap<String, String> {
    let e = edit_of(target, values, None);
    let mut f = e.fields;
    f.insert(target.kind.source.to_string(), e.source.trim().to_string());
    if let Some(c) = target.kind.confirmed {
        f.insert(
            c.to_string(),
            e.confirmed.unwrap_or_else(crate::dates::today),
        );
    }
    f
}
