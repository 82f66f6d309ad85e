//! `/admin/kommun/{kod}`: every record of a kommun for the round being edited — each programme
//! of the catalogue as erbjuds / erbjuds inte / okänt (okänt never shown as erbjuds inte), SAMBU,
//! partssamverkan, adherence per document, trainings, contacts — with an edit link and
//! "Bekräfta oförändrat" each, and one for the whole kommun (one changeset of Confirm edits).

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use maud::{Markup, html};

use super::edit::{ROUND, changeset};
use super::kinds::{self, COMMENT, SOURCE};
use super::{Answer, Stop, back_to, confirmation, edit_failed, refuse, saved, store, store_failed};
use crate::AppState;
use crate::admin::forms::{self, Values};
use crate::admin::{history, layout};
use crate::atlas::Atlas;
use crate::auth::Editor;
use crate::auth::sessions::Posted;
use crate::pages::layout::{desk_source, state as state_marker};
use crate::store::{
    ADHERENCE, Action, CONTACTS, Edit, EditError, Kind, OFFERINGS, OTHER_SUPPORT, PARTSSAMVERKAN,
    Record, SAMBU, TRAININGS, kind,
};
use crate::vocabulary::{AdherenceStatus, CellState, OfferingStatus};

/// A kommun's records of the kinds the overview shows (offerings of one round).
pub struct Records {
    pub offerings: Vec<Record>,
    pub sambu: Option<Record>,
    pub partssamverkan: Option<Record>,
    pub adherence: Vec<Record>,
    pub trainings: Vec<Record>,
    pub contacts: Vec<Record>,
    pub other_support: Vec<Record>,
}

impl Records {
    /// Every record shown, in page order: what "Bekräfta allt" confirms.
    pub fn all(&self) -> Vec<&Record> {
        self.offerings
            .iter()
            .chain(&self.sambu)
            .chain(&self.partssamverkan)
            .chain(&self.adherence)
            .chain(&self.trainings)
            .chain(&self.contacts)
            .chain(&self.other_support)
            .collect()
    }
}

/// The records of every kommun, read once (the overview of all kommuner needs them all).
pub async fn records_by_kommun(
    store: &crate::store::Store,
    a: &Atlas,
    round: usize,
) -> Result<std::collections::HashMap<String, Records>, crate::store::StoreError> {
    let mut out: std::collections::HashMap<String, Records> = a
        .kommuner()
        .iter()
        .map(|km| {
            (
                km.code.clone(),
                Records {
                    offerings: Vec::new(),
                    sambu: None,
                    partssamverkan: None,
                    adherence: Vec::new(),
                    trainings: Vec::new(),
                    contacts: Vec::new(),
                    other_support: Vec::new(),
                },
            )
        })
        .collect();
    let round_id = &a.inventory.rounds[round].id;
    for kind in [
        &OFFERINGS,
        &SAMBU,
        &PARTSSAMVERKAN,
        &ADHERENCE,
        &TRAININGS,
        &CONTACTS,
        &OTHER_SUPPORT,
    ] {
        let name = kind.name;
        for r in store.records(kind).await? {
            let Some(rs) = r.kommun.as_ref().and_then(|c| out.get_mut(c)) else {
                continue;
            };
            match name {
                "offerings" if r.field("round") == round_id => rs.offerings.push(r),
                "offerings" => {}
                "sambu" => rs.sambu = Some(r),
                "partssamverkan" => rs.partssamverkan = Some(r),
                "adherence" => rs.adherence.push(r),
                "trainings" => rs.trainings.push(r),
                "other_support" => rs.other_support.push(r),
                _ => rs.contacts.push(r),
            }
        }
    }
    Ok(out)
}

pub async fn page(
    State(state): State<AppState>,
    editor: Editor,
    Path(code): Path<String>,
    Query(q): Query<Vec<(String, String)>>,
) -> Answer {
    let (a, ki) = super::kommun(&state, &editor, &code)?;
    let q = Values::from_pairs(q);
    let r = match q.get(ROUND) {
        "" => kinds::desk_round(&a),
        id => a.round_index(id).ok_or_else(|| {
            refuse(
                &editor,
                StatusCode::NOT_FOUND,
                "Omgången finns inte",
                &format!("Det finns ingen omgång ”{id}”."),
            )
        })?,
    };
    let store = store(&state, &editor)?;
    let mut all = records_by_kommun(store, &a, r)
        .await
        .map_err(|e| store_failed(&editor, e))?;
    let records = all.remove(&code).expect("every kommun of the region");
    let flash = confirmation(&state, &editor, q.get("sparat").into()).await;
    let recent = history::recent(&state, &editor, &code).await;
    let kommun = &a.kommuner()[ki];
    let round = &a.inventory.rounds[r];
    let here = format!("/admin/kommun/{code}{}", kinds::round_query(&a, &round.id));
    let cx = Cx {
        a: &a,
        editor: &editor,
        k: ki,
        r,
        editable: kinds::editable(&a, r),
        here: &here,
    };
    let main = html! {
        (flash)
        p.ingress {
            "Här ändrar och bekräftar du uppgifterna om " (kommun.name) ". Programmen gäller omgången "
            strong { (round.name) } " (" (round.collected) "). "
            strong { "Okänt" } " betyder att uppgift saknas – det är inte detsamma som att programmet inte erbjuds."
        }
        p { a href={ "/kommun/" (code) } { "Se den publika sidan för " (kommun.name) } }
        form.omgang method="get" action={ "/admin/kommun/" (code) } {
            div.falt {
                label for="omgang" { "Omgång att ändra" }
                select #omgang name=(ROUND) {
                    @for (i, x) in a.inventory.rounds.iter().enumerate() {
                        option value=(x.id) selected[i == r] {
                            (x.name) " (" (x.status.label())
                            @if i == a.default_round { ", visas på kartan" }
                            ")"
                        }
                    }
                }
            }
            button type="submit" { "Visa omgången" }
        }
        nav.innehall aria-label="På den här sidan" {
            ul {
                li { a href="#program" { "Program" } }
                li { a href="#sambu" { "SAMBU" } }
                li { a href="#partssamverkan" { "Partssamverkan" } }
                li { a href="#foljsamhet" { "Följsamhet" } }
                li { a href="#utbildningar" { "Utbildningar" } }
                li { a href="#kontakter" { "Kontakter" } }
                li { a href="#annat-stod" { "Annat föräldraskapsstöd" } }
                li { a href="#bekrafta-alla" { "Bekräfta allt" } }
                li { a href="#senaste" { "Senaste ändringarna" } }
            }
        }
        (programmes(&cx, &records))
        (single(&cx, &SAMBU, "SAMBU", "sambu", records.sambu.as_ref()))
        (single(&cx, &PARTSSAMVERKAN, "Partssamverkan", "partssamverkan", records.partssamverkan.as_ref()))
        (adherence(&cx, &records))
        section #utbildningar aria-labelledby="h-utbildningar" {
            h2 #h-utbildningar { "Utbildningar" }
            (numbered_table(&editor, &TRAININGS, &records.trainings, &kommun.name, &format!("/admin/kommun/{code}/utbildningar"), &here, &a))
            p { a href={ "/admin/kommun/" (code) "/utbildningar#ny" } { "Lägg till en utbildning" } }
        }
        section #kontakter aria-labelledby="h-kontakter" {
            h2 #h-kontakter { "Kontakter" }
            (numbered_table(&editor, &CONTACTS, &records.contacts, &kommun.name, &format!("/admin/kommun/{code}/kontakter"), &here, &a))
            p { a href={ "/admin/kommun/" (code) "/kontakter#ny" } { "Lägg till en kontakt" } }
        }
        section #annat-stod aria-labelledby="h-annat-stod" {
            h2 #h-annat-stod { "Annat föräldraskapsstöd" }
            p.forklaring { "Stöd som inte är ett program i katalogen (projekt, hembesök, samtalsgrupper): visas på kommunens sida men räknas inte in i täckningen." }
            (numbered_table(&editor, &OTHER_SUPPORT, &records.other_support, &kommun.name, &format!("/admin/kommun/{code}/annat-stod"), &here, &a))
            p { a href={ "/admin/kommun/" (code) "/annat-stod#ny" } { "Lägg till annat föräldraskapsstöd" } }
        }
        (confirm_all_form(&cx, &records))
        section #senaste aria-labelledby="h-senaste" {
            h2 #h-senaste { "Senaste ändringarna" }
            (recent)
            p { a href={ "/admin/historik?kommun=" (code) } { "Hela historiken för " (kommun.name) } }
        }
    };
    Ok(layout::respond(
        StatusCode::OK,
        super::page(&editor, &kommun.name, main),
    ))
}

struct Cx<'a> {
    a: &'a Atlas,
    editor: &'a Editor,
    k: usize,
    r: usize,
    /// Whether the round's answers can be changed (false: a closed round, shown read-only).
    editable: bool,
    /// This page's address (where a confirmation returns to).
    here: &'a str,
}

/// The date a record was last confirmed, marked by the staleness watch ([`crate::review`]):
/// "kan vara inaktuell" when due, "datum saknas" when it has none.
pub fn confirmed_cell(r: &Record, rule: &crate::review::Review) -> Markup {
    use crate::review::Standing;
    let column = r.kind.confirmed.unwrap_or("");
    html! {
        (r.field(column))
        @match rule.record_standing(r) {
            Some(Standing::Due) => { br; small.att-bekrafta { "kan vara inaktuell: äldre än " (rule.months) " månader" } }
            Some(Standing::Undated) => { br; small.att-bekrafta { "datum saknas" } }
            _ => {}
        }
    }
}

/// "Bekräfta oförändrat" for one record: only its date changes.
pub fn confirm_button(editor: &Editor, r: &Record, name: &str, back: &str) -> Markup {
    html! {
        form.bekrafta method="post" action="/admin/bekrafta" {
            (forms::csrf(&editor.session.csrf))
            input type="hidden" name="kind" value=(r.kind.name);
            input type="hidden" name="key" value=(r.key);
            (forms::version(Some(r.version)))
            input type="hidden" name="tillbaka" value=(back);
            button.sekundar type="submit" { "Bekräfta oförändrat" span.dold { ": " (name) } }
        }
    }
}

fn programmes(cx: &Cx, records: &Records) -> Markup {
    let a = cx.a;
    let code = &a.kommuner()[cx.k].code;
    let round = &a.inventory.rounds[cx.r];
    let q = kinds::round_query(a, &round.id);
    html! {
        section #program aria-labelledby="h-program" {
            h2 #h-program { "Program" }
            @if !cx.editable { (super::edit::closed_notice(a, cx.r)) }
            div.tabellram tabindex="0" role="region" aria-label="Programmen i omgången" {
                table.staplad.poster {
                    caption { "Programmen i katalogen, " (round.name) }
                    thead { tr {
                        th scope="col" { "Program" } th scope="col" { "Status" } th scope="col" { "Arrangör" }
                        th scope="col" { "Kontakt" } th scope="col" { "Språk" } th scope="col" { "Källa" }
                        th scope="col" { "Senast bekräftad" }
                        @if cx.editable { th scope="col" { "Åtgärd" } }
                    } }
                    tbody {
                        @for (p, prog) in a.programmes().iter().enumerate() {
                            @let own = records.offerings.iter().find(|o| o.field("programme") == prog.slug);
                            tr {
                                th scope="row" data-label="Program" { (prog.name) }
                                td data-label="Status" {
                                    @match own {
                                        Some(o) => {
                                            (offering_state(o.field("status")))
                                            @if a.lapsed(cx.k, cx.r, p).is_some() { br; small { "räknas som okänt i dag: uppgiften är för gammal" } }
                                        }
                                        None => {
                                            (state_marker(CellState::Unknown)) br; small { "ingen uppgift i omgången" }
                                            @if a.supplementary(cx.k, cx.r, p) {
                                                @if let Some(o) = a.offering(cx.k, cx.r, p) {
                                                    br; small { "offentlig källa: " (o.status.label()) " (" (o.last_confirmed) ")" }
                                                }
                                            }
                                        }
                                    }
                                }
                                td data-label="Arrangör" { @if let Some(o) = own { (o.field("organiser")) } }
                                td data-label="Kontakt" { @if let Some(o) = own { (link(o.field("contact_url"))) } }
                                td data-label="Språk" { @if let Some(o) = own { (o.field("languages")) } }
                                td data-label="Källa" { @if let Some(o) = own { (desk_source(a, o.field("source"))) } }
                                td data-label="Senast bekräftad" { @if let Some(o) = own { (confirmed_cell(o, &a.review)) } }
                                @if cx.editable {
                                    td data-label="Åtgärd" {
                                        a href={ "/admin/kommun/" (code) "/program/" (prog.slug) (q) } { "Ändra" span.dold { " " (prog.name) } }
                                        @if let Some(o) = own { (confirm_button(cx.editor, o, &prog.name, cx.here)) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn offering_state(status: &str) -> Markup {
    match OfferingStatus::parse(status) {
        Ok(OfferingStatus::Offered) => state_marker(CellState::Offered),
        Ok(OfferingStatus::NotOffered) => state_marker(CellState::NotOffered),
        Ok(OfferingStatus::Unknown) => {
            html! { (state_marker(CellState::Unknown)) br; small { "angivet som okänt" } }
        }
        Err(_) => html! { (status) },
    }
}

/// A web address as a link (only http/https: anything else is shown as text).
fn link(url: &str) -> Markup {
    html! {
        @if url.starts_with("https://") || url.starts_with("http://") { a href=(url) { (url) } }
        @else { (url) }
    }
}

fn single(
    cx: &Cx,
    kind: &'static Kind,
    title: &str,
    path: &str,
    record: Option<&Record>,
) -> Markup {
    let kind_name = kind.name;
    let a = cx.a;
    let code = &a.kommuner()[cx.k].code;
    html! {
        section id=(kind_name) aria-labelledby={ "h-" (kind_name) } {
            h2 id={ "h-" (kind_name) } { (title) }
            @match record {
                Some(r) => {
                    dl.fakta {
                        @for s in kinds::specs(kind) {
                            @let v = r.field(s.column);
                            dt { (s.label) }
                            dd { @if v.is_empty() { span.saknas { "(tomt)" } } @else { (kinds::shown(kind, s.column, v)) } }
                        }
                        dt { "Källa" } dd { (desk_source(a, r.field(kind.source))) }
                        dt { "Senast bekräftad" } dd { (confirmed_cell(r, &a.review)) }
                    }
                }
                None => p { (state_marker(CellState::Unknown)) " – ingen uppgift finns." },
            }
            div.atgarder {
                a href={ "/admin/kommun/" (code) "/" (path) } { "Ändra " (title) span.dold { " för " (a.kommuner()[cx.k].name) } }
                @if let Some(r) = record { (confirm_button(cx.editor, r, title, cx.here)) }
            }
        }
    }
}

fn adherence(cx: &Cx, records: &Records) -> Markup {
    let a = cx.a;
    let code = &a.kommuner()[cx.k].code;
    let kind = &ADHERENCE;
    html! {
        section #foljsamhet aria-labelledby="h-foljsamhet" {
            h2 #h-foljsamhet { "Följsamhet till gemensamt beslutade dokument" }
            @if a.inventory.documents.is_empty() {
                p { "Det finns inga dokument i katalogen ännu." }
            } @else {
                div.tabellram tabindex="0" role="region" aria-label="Dokumentens status" {
                    table.staplad.poster {
                        caption { "Dokumentens status i " (a.kommuner()[cx.k].name) }
                        thead { tr { th scope="col" { "Dokument" } th scope="col" { "Status" } th scope="col" { "Källa" } th scope="col" { "Datum" } th scope="col" { "Åtgärd" } } }
                        tbody {
                            @for doc in &a.inventory.documents {
                                @let own = records.adherence.iter().find(|x| x.field("document") == doc.slug);
                                tr {
                                    th scope="row" data-label="Dokument" { (doc.title) }
                                    td data-label="Status" {
                                        @match own {
                                            Some(x) => (kinds::shown(kind, "status", x.field("status"))),
                                            None => { span.tillstand.okant { (AdherenceStatus::Unknown.label()) } br; small { "ingen uppgift" } },
                                        }
                                    }
                                    td data-label="Källa" { @if let Some(x) = own { (desk_source(a, x.field("source"))) } }
                                    td data-label="Datum" { @if let Some(x) = own { (confirmed_cell(x, &a.review)) } }
                                    td data-label="Åtgärd" {
                                        a href={ "/admin/kommun/" (code) "/dokument/" (doc.slug) } { "Ändra" span.dold { " " (doc.title) } }
                                        @if let Some(x) = own { (confirm_button(cx.editor, x, &doc.title, cx.here)) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A kommun's trainings or contacts as a table, each with its edit link and confirmation.
pub fn numbered_table(
    editor: &Editor,
    kind: &'static Kind,
    records: &[Record],
    kommun: &str,
    base: &str,
    back: &str,
    a: &Atlas,
) -> Markup {
    let specs = kinds::specs(kind);
    let plural = kinds::plural(kind);
    html! {
        @if records.is_empty() {
            p { (state_marker(CellState::Unknown)) " – inga uppgifter för " (kommun) "." }
        } @else {
            div.tabellram tabindex="0" role="region" aria-label={ (plural) " i " (kommun) } {
                table.staplad.poster {
                    caption { (plural) " i " (kommun) }
                    thead { tr {
                        th scope="col" { "Nr" }
                        @for s in &specs { th scope="col" { (s.label) } }
                        th scope="col" { "Källa" } th scope="col" { "Senast bekräftad" } th scope="col" { "Åtgärd" }
                    } }
                    tbody {
                        @for r in records {
                            tr {
                                th scope="row" data-label="Nr" { (r.key) }
                                @for s in &specs { td data-label=(s.label) { (kinds::shown(kind, s.column, r.field(s.column))) } }
                                td data-label="Källa" { (desk_source(a, r.field(kind.source))) }
                                td data-label="Senast bekräftad" { (confirmed_cell(r, &a.review)) }
                                td data-label="Åtgärd" {
                                    a href={ (base) "/" (r.key) } { "Ändra" span.dold { " " (kind.label) " " (r.key) } }
                                    (confirm_button(editor, r, &format!("{} {}", kind.label, r.key), back))
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn confirm_all_form(cx: &Cx, records: &Records) -> Markup {
    // A closed round's answers are frozen: only the kommun's other facts are confirmed.
    let all: Vec<&Record> = records
        .all()
        .into_iter()
        .filter(|r| cx.editable || r.kind.name != OFFERINGS.name)
        .collect();
    let code = &cx.a.kommuner()[cx.k].code;
    html! {
        section #bekrafta-alla aria-labelledby="h-bekrafta-alla" {
            h2 #h-bekrafta-alla { "Bekräfta allt oförändrat" }
            @if all.is_empty() {
                p { "Det finns inga uppgifter att bekräfta för omgången." }
            } @else {
                p {
                    "Bekräftar att alla " (all.len()) " uppgifter ovan stämmer: bara datumet då de senast bekräftades ändras, till i dag. Det blir en enda ändring i historiken."
                    @if !cx.editable { " Programsvaren ingår inte: omgången är stängd." }
                }
                form.redigera method="post" action={ "/admin/kommun/" (code) "/bekrafta-alla" } novalidate {
                    (forms::csrf(&cx.editor.session.csrf))
                    input type="hidden" name=(ROUND) value=(cx.a.inventory.rounds[cx.r].id);
                    @for r in &all {
                        input type="hidden" name="post" value={ (r.kind.name) "|" (r.key) "|" (r.version) };
                    }
                    (forms::input(&forms::Field { name: SOURCE, label: "Källa", hint: Some("Frivillig: varifrån bekräftelsen kommer."), required: false }, "text", &Values::default(), &forms::Errors::default()))
                    (forms::area(&forms::Field { name: COMMENT, label: "Kommentar till historiken", hint: Some("Frivillig."), required: false }, &Values::default(), &forms::Errors::default()))
                    div.knappar { button type="submit" { "Bekräfta alla " (all.len()) " uppgifter oförändrade" } }
                }
            }
        }
    }
}

/// One record's "Bekräfta oförändrat".
pub async fn confirm_one(
    State(state): State<AppState>,
    posted: Posted<Vec<(String, String)>>,
) -> Answer {
    let editor = posted.editor;
    let values = Values::from_pairs(posted.form);
    let bad = |m: &str| -> Stop {
        refuse(&editor, StatusCode::BAD_REQUEST, "Felaktigt formulär", m).into()
    };
    let Some(kind) = kind(values.get("kind")) else {
        return Err(bad(
            "Formuläret säger inte vilken sorts uppgift som ska bekräftas.",
        ));
    };
    let base = forms::posted_version(&values).map_err(|m| bad(&m))?;
    let back = back_to(values.get("tillbaka"));
    let mut edit = Edit::new(
        kind,
        Some(values.get("key").to_string()),
        base,
        Action::Confirm,
    );
    edit.source = values.get(SOURCE).to_string();
    let set = changeset(&editor, "confirm", values.get(COMMENT), vec![edit]);
    match state.commit(set).await {
        Ok(done) => Ok(saved(&back, done.changeset)),
        Err(EditError::Conflict { .. }) => Err(refuse(&editor,
            StatusCode::CONFLICT,
            "Uppgiften har ändrats",
            "Någon annan har ändrat uppgiften sedan du öppnade sidan, så den bekräftades inte. Ladda om sidan, se vad som gäller nu och bekräfta igen.",
        ).into()),
        Err(e) => Err(edit_failed(&editor, e).into()),
    }
}

/// "Bekräfta allt oförändrat" for a kommun: every record the page showed, at the version it
/// showed, in one changeset.
pub async fn confirm_all(
    State(state): State<AppState>,
    Path(code): Path<String>,
    posted: Posted<Vec<(String, String)>>,
) -> Answer {
    let editor = posted.editor;
    let (a, _) = super::kommun(&state, &editor, &code)?;
    let values = Values::from_pairs(posted.form);
    let bad = |m: String| -> Stop {
        refuse(&editor, StatusCode::BAD_REQUEST, "Felaktigt formulär", &m).into()
    };
    let mut edits = Vec::new();
    for item in values.all("post") {
        let mut parts = item.rsplitn(2, '|');
        let (version, rest) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
        let (kind_name, key) = rest.split_once('|').unwrap_or(("", ""));
        let (Some(kind), Ok(version)) = (kind(kind_name), version.parse::<i64>()) else {
            return Err(bad(format!("Formuläret har en felaktig post ”{item}”.")));
        };
        let mut e = Edit::new(kind, Some(key.to_string()), Some(version), Action::Confirm);
        e.source = values.get(SOURCE).to_string();
        edits.push(e);
    }
    if edits.is_empty() {
        return Err(bad("Formuläret har inga uppgifter att bekräfta.".into()));
    }
    let back = format!(
        "/admin/kommun/{code}{}",
        kinds::round_query(&a, values.get(ROUND))
    );
    let set = changeset(&editor, "confirm", values.get(COMMENT), edits);
    match state.commit(set).await {
        Ok(done) => Ok(saved(&back, done.changeset)),
        Err(EditError::Conflict { kind, key, .. }) => {
            let title = kinds::record_title(&a, kind, &key, Some(&code));
            Err(refuse(&editor,
                StatusCode::CONFLICT,
                "Uppgifterna har ändrats",
                &format!(
                    "{title} har ändrats av någon annan sedan du öppnade sidan, så ingenting bekräftades. Ladda om sidan, se vad som gäller nu och bekräfta igen."
                ),
            ).into())
        }
        Err(e) => Err(edit_failed(&editor, e).into()),
    }
}
