//! `/admin/import`: a survey round's answers from a file. The template to download (CSV, XLSX,
//! pre-filled with the round's answers), the upload (the template or a questionnaire export),
//! the preview (every problem with its row and column, what each column was read as, the
//! respondents who disagree, the changes per kommun), the apply (one changeset, refused when the
//! data changed since the preview) and the undo of the whole import. The file is kept in the
//! store as uploaded, so the preview and the apply read the same bytes.

use std::collections::BTreeMap;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use maud::{Markup, html};

use super::desk::{self, Answer, Stop, edit_failed, page, refuse, store, store_failed};
use super::forms::{self, Values};
use crate::AppState;
use crate::atlas::Atlas;
use crate::auth::sessions::Posted;
use crate::auth::{Editor, Role};
use crate::import::columns::{self, Target};
use crate::import::{self, Outcome, Plan, Settings, Shape, template};
use crate::pages::layout::grouped;
use crate::store::Upload;
use crate::tabular::{self, Limits};
use crate::vocabulary::OfferingStatus;

pub fn routes() -> Router<AppState> {
    let limits = Limits::default();
    Router::new()
        .route("/admin/import", get(start))
        .route(
            "/admin/import/ladda-upp",
            // The body may be the file plus the form; a larger one is cut off by the limit and
            // answered with the Swedish page in `upload`.
            post(upload).layer(DefaultBodyLimit::max(limits.file_bytes + (64 << 10))),
        )
        .route("/admin/import/mall.csv", get(template_csv))
        .route("/admin/import/mall.xlsx", get(template_xlsx))
        .route("/admin/import/{id}", get(preview))
        .route("/admin/import/{id}/problem.csv", get(problems_file))
        .route("/admin/import/{id}/kolumner", post(set_columns))
        .route("/admin/import/{id}/avgor", post(settle))
        .route("/admin/import/{id}/genomfor", post(apply))
        .route("/admin/import/{id}/angra", post(undo))
}

/// The rounds answers can be imported into: the open survey rounds, newest first (a closed
/// round is frozen).
fn import_rounds(a: &Atlas) -> Vec<usize> {
    let mut rounds: Vec<usize> = (0..a.inventory.rounds.len())
        .filter(|r| a.in_progress(*r))
        .collect();
    rounds.reverse();
    rounds
}

/// The kommuner the person may import for, in the region's order.
fn own_kommuner(a: &Atlas, editor: &Editor) -> Vec<usize> {
    (0..a.geography.kommuner.len())
        .filter(|k| {
            editor
                .account
                .may_edit(Some(&a.geography.kommuner[*k].code))
        })
        .collect()
}

#[derive(serde::Deserialize)]
struct RoundQuery {
    #[serde(default)]
    omgang: String,
}

async fn start(
    State(state): State<AppState>,
    editor: Editor,
    Query(q): Query<Vec<(String, String)>>,
) -> Answer {
    let a = state.atlas();
    let store = store(&state, &editor)?;
    let values = Values::from_pairs(q);
    let rounds = import_rounds(&a);
    let chosen = a
        .round_index(values.get("omgang"))
        .or_else(|| rounds.first().copied());
    let options: Vec<(&str, &str)> = rounds
        .iter()
        .map(|r| {
            (
                a.inventory.rounds[*r].id.as_str(),
                a.inventory.rounds[*r].name.as_str(),
            )
        })
        .collect();
    let profiles = store.profiles().await.map_err(failed(&editor))?;
    let mut form = Values::default();
    form.set(
        "omgang",
        chosen.map_or("", |r| a.inventory.rounds[r].id.as_str()),
    );
    form.set("datum", crate::dates::today());
    form.set("form", "template");
    let errors = forms::Errors::default();
    let field = |name, label, hint, required| forms::Field {
        name,
        label,
        hint,
        required,
    };
    let profile_options: Vec<(String, String)> = std::iter::once((
        String::new(),
        "Ingen (kolumnerna läses efter sina namn)".to_string(),
    ))
    .chain(
        profiles
            .iter()
            .map(|p| (p.name.clone(), format!("{} ({})", p.name, p.shape.label()))),
    )
    .collect();
    let profile_refs: Vec<(&str, &str)> = profile_options
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let main = html! {
        @if rounds.is_empty() {
            div.varning role="note" {
                p { "Ingen enkätomgång är öppen, så inga svar kan importeras just nu. Samordnaren skapar eller öppnar en omgång under " a href="/admin/omgangar" { "Omgångar" } "." }
            }
        }
        p { "Importera en omgångs svar från en fil. Inget sparas förrän du har läst förhandsvisningen och valt att genomföra importen; en genomförd import kan ångras i ett steg." }
        h2 { "1. Hämta mallen" }
        p { "Mallen har en rad per kommun och program, ifylld med omgångens svar som de är nu. Fyll i eller ändra status (erbjuds, erbjuds inte, okänt), arrangör, källa och datum. En oförändrad mall ger inga ändringar." }
        form method="get" action="/admin/import" {
            div.falt {
                label for="mall-omgang" { "Omgång" }
                select #mall-omgang name="omgang" {
                    @for (id, name) in &options {
                        option value=(id) selected[chosen.is_some_and(|r| a.inventory.rounds[r].id == *id)] { (name) }
                    }
                }
            }
            button type="submit" { "Visa mallen för omgången" }
        }
        @if let Some(r) = chosen {
            @let id = crate::admin::encode(&a.inventory.rounds[r].id);
            ul {
                li { a href={ "/admin/import/mall.xlsx?omgang=" (id) } download { "Mallen för " (a.inventory.rounds[r].name) " (XLSX)" } }
                li { a href={ "/admin/import/mall.csv?omgang=" (id) } download { "Mallen för " (a.inventory.rounds[r].name) " (CSV för Excel)" } }
            }
        }
        h2 { "2. Ladda upp filen" }
        form method="post" action="/admin/import/ladda-upp" enctype="multipart/form-data" {
            (forms::csrf(&editor.session.csrf))
            div.falt {
                label for="fil" { "Fil " span.obligatoriskt { "(måste fyllas i)" } }
                span.hjalptext id="fil-hjalp" { "CSV (UTF-8 eller Windows-1252; semikolon, komma eller tabb) eller XLSX, högst " ((limits_text())) "." }
                input #fil type="file" name="fil" required accept=".csv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" aria-describedby="fil-hjalp";
            }
            (forms::radios(&field("form", "Vad är det för fil?", None, true), &[("template", Shape::Template.label()), ("questionnaire", Shape::Questionnaire.label())], &form, &errors))
            (forms::select(&field("omgang", "Omgång som svaren gäller", None, true), &options, &form, &errors))
            (forms::input(&field("kalla", "Källa för svaren", Some("T.ex. enkätens namn och datum. Mallens rader med egen källa behåller den."), true), "text", &form, &errors))
            (forms::input(&field("datum", "Senast bekräftad", Some("För svar utan eget datum: ÅÅÅÅ-MM-DD, ÅÅÅÅ-MM eller ÅÅÅÅ."), true), "text", &form, &errors))
            (forms::select(&field("profil", "Kolumnprofil", Some("En sparad tolkning av kolumnerna, från en tidigare fil från samma enkätverktyg."), false), &profile_refs, &form, &errors))
            button type="submit" { "Ladda upp och förhandsgranska" }
        }
        h2 { "Regeln för enkätsvar" }
        p { "När flera i samma kommun har svarat: något ”Ja” ger erbjuds; bara ”Nej” ger erbjuds inte; annars (”Vet ej”, eller ”Nej” bredvid ”Vet ej”) okänt. Om de svarar olika visas det i förhandsvisningen, där du avgör." }
    };
    Ok(desk::page(&editor, "Importera svar", main).into_response())
}

fn limits_text() -> String {
    let l = Limits::default();
    format!(
        "{} MB ({} MB uppackad XLSX, {} rader)",
        l.file_bytes >> 20,
        l.unpacked_bytes >> 20,
        grouped(l.rows)
    )
}

async fn template_csv(state: State<AppState>, editor: Editor, q: Query<RoundQuery>) -> Answer {
    template_file(state, editor, q, false).await
}

async fn template_xlsx(state: State<AppState>, editor: Editor, q: Query<RoundQuery>) -> Answer {
    template_file(state, editor, q, true).await
}

async fn template_file(
    State(state): State<AppState>,
    editor: Editor,
    Query(q): Query<RoundQuery>,
    xlsx: bool,
) -> Answer {
    let a = state.atlas();
    let store = store(&state, &editor)?;
    let Some(r) = a.round_index(&q.omgang) else {
        return Err(refuse(
            &editor,
            StatusCode::NOT_FOUND,
            "Omgången finns inte",
            &format!("Det finns ingen omgång ”{}”.", q.omgang),
        )
        .into());
    };
    let current = store
        .answers(&a.inventory.rounds[r].id)
        .await
        .map_err(failed(&editor))?;
    let rows = template::rows(&a, r, &own_kommuner(&a, &editor), &current);
    let id = &a.inventory.rounds[r].id;
    let (body, kind, ext) = if xlsx {
        (
            template::xlsx(&rows, &template::about(&a, r)),
            crate::export::xlsx::CONTENT_TYPE,
            "xlsx",
        )
    } else {
        (template::csv(&rows), "text/csv; charset=utf-8", "csv")
    };
    let disposition = format!("attachment; filename=\"importmall-{id}.{ext}\"");
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(kind)),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&disposition)
                    .unwrap_or(HeaderValue::from_static("attachment")),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        body,
    )
        .into_response())
}

async fn upload(
    State(state): State<AppState>,
    editor: Editor,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Answer {
    let a = state.atlas();
    let store = store(&state, &editor)?;
    let bad =
        |status: StatusCode, text: String| -> Stop { refuse_upload(&editor, status, &text).into() };
    let mut multipart = multipart.map_err(|e| {
        bad(
            StatusCode::BAD_REQUEST,
            format!("Formuläret kunde inte läsas: {e}"),
        )
    })?;
    let mut values = Values::default();
    let mut file: Option<(String, Vec<u8>)> = None;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => {
                let (status, text) = unreadable(&e, "Uppladdningen");
                return Err(bad(status, text));
            }
        };
        let name = field.name().unwrap_or_default().to_string();
        if name == "fil" {
            let file_name = field.file_name().unwrap_or("fil").to_string();
            let bytes = match field.bytes().await {
                Ok(b) => b,
                Err(e) => {
                    let (status, text) = unreadable(&e, "Filen");
                    return Err(bad(status, text));
                }
            };
            file = Some((file_name, bytes.to_vec()));
        } else {
            let text = field.text().await.map_err(|e| {
                bad(
                    StatusCode::BAD_REQUEST,
                    format!("Fältet {name} kunde inte läsas: {e}"),
                )
            })?;
            values.push(&name, text);
        }
    }
    if !editor.session.csrf_ok(values.get("csrf")) {
        return Err(bad(
            StatusCode::FORBIDDEN,
            "Formuläret saknar giltig säkerhetskod (CSRF). Ladda om sidan och försök igen.".into(),
        ));
    }
    let Some((file_name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        return Err(bad(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Välj en fil att ladda upp.".into(),
        ));
    };
    let Some(shape) = Shape::parse(values.get("form")) else {
        return Err(bad(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Välj vad det är för fil: mallen eller en enkätexport.".into(),
        ));
    };
    let round = values.get("omgang");
    match a.round_index(round) {
        None => {
            return Err(bad(
                StatusCode::UNPROCESSABLE_ENTITY,
                format!("Det finns ingen omgång ”{round}”."),
            ));
        }
        Some(r) if !a.in_progress(r) => {
            return Err(bad(
                StatusCode::CONFLICT,
                format!(
                    "Omgången ”{}” är inte en öppen enkätomgång: svar kan bara importeras till en öppen omgång.",
                    a.inventory.rounds[r].name
                ),
            ));
        }
        Some(_) => {}
    }
    let mut settings = Settings {
        round: round.to_string(),
        source: values.get("kalla").trim().to_string(),
        confirmed: values.get("datum").trim().to_string(),
        ..Settings::default()
    };
    let profile = values.get("profil");
    if !profile.is_empty() {
        let profiles = store.profiles().await.map_err(failed(&editor))?;
        match profiles.into_iter().find(|p| p.name == profile) {
            Some(p) => settings.mapping = p.mapping,
            None => {
                return Err(bad(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    format!("Det finns ingen kolumnprofil ”{profile}”."),
                ));
            }
        }
    }
    // Only a file name to show: never a path, never control characters.
    let shown: String = file_name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or("fil")
        .chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect();
    let id = store
        .add_upload(editor.account.id, &shown, &bytes, shape, &settings)
        .await
        .map_err(failed(&editor))?;
    Ok(Redirect::to(&format!("/admin/import/{id}")).into_response())
}

/// Why a multipart body could not be read: over the limit (413), or broken (400).
fn unreadable(e: &axum::extract::multipart::MultipartError, what: &str) -> (StatusCode, String) {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        (
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("Filen är för stor: högst {}.", limits_text()),
        )
    } else {
        (
            StatusCode::BAD_REQUEST,
            format!("{what} kunde inte läsas: {e}"),
        )
    }
}

/// A store error as the page that ends the handler.
fn failed(editor: &Editor) -> impl Fn(crate::store::StoreError) -> Stop + '_ {
    move |e| store_failed(editor, e).into()
}

fn refuse_upload(editor: &Editor, status: StatusCode, text: &str) -> Response {
    super::layout::respond(
        status,
        page(
            editor,
            "Filen togs inte emot",
            html! {
                p.fel-text role="alert" { (text) }
                p { a href="/admin/import" { "Tillbaka till importen" } }
            },
        ),
    )
}

/// An upload the person may see (their own; the samordnare sees every one).
async fn own_upload(state: &AppState, editor: &Editor, id: &str) -> Result<Upload, Stop> {
    let store = store(state, editor)?;
    let missing = || -> Stop {
        refuse(
            editor,
            StatusCode::NOT_FOUND,
            "Importen finns inte",
            &format!("Det finns ingen import ”{id}” som du kan se."),
        )
        .into()
    };
    let id: i64 = id.parse().map_err(|_| missing())?;
    match store.upload(id).await {
        Ok(Some(u))
            if u.account_id == editor.account.id || editor.account.role == Role::Samordnare =>
        {
            Ok(u)
        }
        Ok(_) => Err(missing()),
        Err(e) => Err(store_failed(editor, e).into()),
    }
}

/// The plan of an upload against the store as it is now.
async fn plan_of(
    state: &AppState,
    editor: &Editor,
    u: &Upload,
) -> Result<(Plan, Option<tabular::Sheet>), Stop> {
    let a = state.atlas();
    let store = store(state, editor)?;
    let sheet = match tabular::read_upload(&u.file_name, &u.content, &Limits::default()) {
        Ok(s) => s,
        Err(problems) => return Ok((Plan::unread(problems), None)),
    };
    let current = store
        .answers(&u.settings.round)
        .await
        .map_err(failed(editor))?;
    let plan = import::plan(
        &a,
        &u.file_name,
        &sheet,
        u.shape,
        &u.settings,
        &editor.account.scope(),
        &current,
    );
    Ok((plan, Some(sheet)))
}

async fn preview(
    State(state): State<AppState>,
    editor: Editor,
    Path(id): Path<String>,
    Query(q): Query<Vec<(String, String)>>,
) -> Answer {
    let u = own_upload(&state, &editor, &id).await?;
    let (plan, _) = plan_of(&state, &editor, &u).await?;
    let a = state.atlas();
    let store = store(&state, &editor)?;
    let undone = match u.changeset {
        Some(c) => store.undone_by(c).await.map_err(failed(&editor))?,
        None => None,
    };
    let _ = q; // decorations (?fbclid=…) are ignored on pages
    // Applied: what it did is in the history; the plan made now would only compare the file with
    // itself.
    let applied = match u.changeset {
        Some(c) => crate::store::log::changeset(store, c)
            .await
            .map_err(failed(&editor))?,
        None => Vec::new(),
    };
    let title = format!("Import: {}", u.file_name);
    let main = render(&a, &editor, &u, &plan, undone, &applied);
    Ok(desk::page(&editor, &title, main).into_response())
}

fn kommun_name(a: &Atlas, code: &str) -> String {
    a.kommun_index(code)
        .map_or(code.to_string(), |k| a.geography.kommuner[k].name.clone())
}

fn programme_name(a: &Atlas, slug: &str) -> String {
    a.programme_index(slug)
        .map_or(slug.to_string(), |p| a.programmes()[p].name.clone())
}

fn field_label(name: &str) -> &'static str {
    match name {
        "status" => "Status",
        "organiser" => "Arrangör",
        "contact_url" => "Kontaktsida",
        "languages" => "Språk",
        "note" => "Anteckning",
        "source" => "Källa",
        "last_confirmed" => "Senast bekräftad",
        _ => "Fält",
    }
}

fn field_value(name: &str, v: &str) -> String {
    if v.is_empty() {
        return "(tomt)".into();
    }
    match (name, OfferingStatus::parse(v)) {
        ("status", Ok(s)) => s.label().to_string(),
        _ => v.to_string(),
    }
}

fn lines_text(lines: &[usize]) -> String {
    let shown: Vec<String> = lines.iter().take(30).map(usize::to_string).collect();
    let more = lines.len().saturating_sub(30);
    if more > 0 {
        format!("{} och {more} till", shown.join(", "))
    } else {
        shown.join(", ")
    }
}

fn render(
    a: &Atlas,
    editor: &Editor,
    u: &Upload,
    plan: &Plan,
    undone: Option<i64>,
    applied: &[crate::store::Change],
) -> Markup {
    let round = a
        .round_index(&u.settings.round)
        .map_or(u.settings.round.clone(), |r| {
            a.inventory.rounds[r].name.clone()
        });
    let target_options: Vec<(String, String)> = target_choices(a);
    let counts = [
        (Outcome::Added, "nya svar"),
        (Outcome::Changed, "ändrade"),
        (Outcome::Confirmed, "bekräftade oförändrade"),
        (Outcome::Unchanged, "redan som i filen"),
    ];
    let mut by_kommun: BTreeMap<String, Vec<&import::Item>> = BTreeMap::new();
    for i in &plan.items {
        by_kommun.entry(i.kommun.clone()).or_default().push(i);
    }
    let blocked = !plan.problems.is_empty() && u.changeset.is_none();
    let done = [
        applied
            .iter()
            .filter(|c| c.action == "save" && c.version == 1)
            .count(),
        applied
            .iter()
            .filter(|c| c.action == "save" && c.version > 1)
            .count(),
        applied.iter().filter(|c| c.action == "confirm").count(),
    ];
    let map = format!("/?round={}", crate::admin::encode(&u.settings.round));
    html! {
        @if let Some(cs) = u.changeset {
            div.meddelande role="status" {
                @if let Some(by) = undone {
                    p { "Importen genomfördes som ändringsuppsättning " (cs) " och är ångrad (ändringsuppsättning " (by) "). Du kan ladda upp filen igen för att göra om den." }
                } @else {
                    p { "Importen är genomförd som ändringsuppsättning " (cs) ": " (plan_summary(&done)) " Ändringarna står i " a href="/admin/historik" { "historiken" } " och syns på " a href=(map) { "kartan för omgången" } "." }
                    form method="post" action={ "/admin/import/" (u.id) "/angra" } {
                        (forms::csrf(&editor.session.csrf))
                        button type="submit" { "Ångra hela importen" }
                    }
                }
            }
        }
        dl.uppgifter {
            dt { "Fil" } dd { (u.file_name) }
            dt { "Läst som" } dd { @if plan.format.is_empty() { "kunde inte läsas" } @else { (plan.format) } }
            dt { "Filtyp" } dd { (u.shape.label()) }
            dt { "Omgång" } dd { (round) }
            dt { "Källa" } dd { (u.settings.source) }
            dt { "Senast bekräftad" } dd { (u.settings.confirmed) }
            @if u.shape == Shape::Questionnaire { dt { "Svarande" } dd { (plan.respondents) } }
        }
        @if blocked {
            div.felsammanfattning role="alert" tabindex="-1" id="problem" {
                h2 { (plan.problems.len()) " problem i filen – inget kan genomföras förrän de är rättade" }
                p { "Rätta filen och ladda upp den igen, eller ändra hur kolumnerna läses nedan. " a href={ "/admin/import/" (u.id) "/problem.csv" } download { "Ladda ner problemen (CSV)" } }
            }
            div.tabellram tabindex="0" role="region" aria-label="Problem i filen" {
                table {
                    caption { "Problem, med rad och kolumn i filen" }
                    thead { tr { th scope="col" { "Rad" } th scope="col" { "Kolumn" } th scope="col" { "Rubrik" } th scope="col" { "Problem" } } }
                    tbody {
                        @for p in plan.problems.iter().take(500) {
                            tr {
                                td { @if p.line > 0 { (p.line) } }
                                td { @if p.column > 0 { (p.column) } }
                                td { (p.column.checked_sub(1).and_then(|i| plan.columns.get(i)).map_or("", |c| c.header.as_str())) }
                                td { (p.message) }
                            }
                        }
                    }
                }
            }
            @if plan.problems.len() > 500 { p { "Och " (plan.problems.len() - 500) " problem till: se filen." } }
        }
        @if !plan.columns.is_empty() && u.changeset.is_none() {
            h2 { "Kolumnerna" }
            form method="post" action={ "/admin/import/" (u.id) "/kolumner" } {
                (forms::csrf(&editor.session.csrf))
                div.tabellram tabindex="0" role="region" aria-label="Kolumnerna och hur de läses" {
                    table {
                        caption { "Hur varje kolumn i filen läses" }
                        thead { tr { th scope="col" { "Nr" } th scope="col" { "Rubrik i filen" } th scope="col" { "Läses som" } } }
                        tbody {
                            @for (i, c) in plan.columns.iter().enumerate() {
                                @let id = format!("kolumn-{}", i + 1);
                                tr {
                                    td { (i + 1) }
                                    th scope="row" { label for=(id) { (c.header) } }
                                    td {
                                        select id=(id) name={ "kolumn." (columns::normalise(&c.header)) } {
                                            option value="" selected[c.target.is_none()] { "(okänd – välj)" }
                                            @for (code, label) in &target_options {
                                                option value=(code) selected[c.target.as_ref().is_some_and(|t| &t.code() == code)] { (label) }
                                            }
                                        }
                                        @if c.mapped { " " span.hjalptext { "(vald)" } }
                                    }
                                }
                            }
                        }
                    }
                }
                div.falt {
                    label for="profil" { "Spara tolkningen som kolumnprofil (valfritt)" }
                    span.hjalptext id="profil-hjalp" { "Ett namn, t.ex. ”Enkätverktyget 2026”, så kan nästa fil från samma verktyg läsas likadant." }
                    input #profil type="text" name="profil" maxlength="80" aria-describedby="profil-hjalp";
                }
                button type="submit" { "Läs filen igen med dessa kolumner" }
            }
        }
        @if !plan.disagreements.is_empty() && u.changeset.is_none() {
            h2 { "Svarande som inte är överens (" (plan.disagreements.len()) ")" }
            p { "Regeln: något ”Ja” ger erbjuds; bara ”Nej” ger erbjuds inte; annars okänt. Avgör varje fall; det du väljer blir svaret." }
            form method="post" action={ "/admin/import/" (u.id) "/avgor" } {
                (forms::csrf(&editor.session.csrf))
                @for d in &plan.disagreements {
                    @let name = format!("avgor.{}/{}", d.kommun, d.programme);
                    fieldset {
                        legend { (kommun_name(a, &d.kommun)) " – " (programme_name(a, &d.programme)) }
                        ul {
                            @for (line, role, answer) in &d.answers {
                                li { "Rad " (line) @if !role.is_empty() { " (" (role) ")" } ": " (answer) }
                            }
                        }
                        p { "Enligt regeln: " (d.rule.label()) "." }
                        @for s in OfferingStatus::ALL {
                            @let id = format!("{}-{}", forms::id(&name), s.code());
                            div.val {
                                input type="radio" id=(id) name=(name) value=(s.code()) checked[d.chosen == *s];
                                label for=(id) { (s.label()) }
                            }
                        }
                    }
                }
                button type="submit" { "Spara avgörandena" }
            }
        }
        @if u.changeset.is_some() && !applied.is_empty() {
            h2 { "Vad importen ändrade" }
            div.tabellram tabindex="0" role="region" aria-label="Vad importen ändrade" {
                table {
                    caption { "Ändringarna i ändringsuppsättning " (u.changeset.unwrap_or_default()) }
                    thead { tr { th scope="col" { "Kommun" } th scope="col" { "Program" } th scope="col" { "Fält: förut → nu" } } }
                    tbody {
                        @for c in applied.iter().take(1000) {
                            @let parts: Vec<&str> = c.key.split('/').collect();
                            tr {
                                td { (kommun_name(a, parts[0])) }
                                th scope="row" { (programme_name(a, parts.get(1).copied().unwrap_or(""))) }
                                td {
                                    ul.falt-lista {
                                        @for f in &c.fields {
                                            @if !matches!(f.field.as_str(), "kommun" | "programme" | "round") {
                                                li { (field_label(&f.field)) ": " (field_value(&f.field, f.old.as_deref().unwrap_or(""))) " → " (field_value(&f.field, f.new.as_deref().unwrap_or(""))) }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            @if applied.len() > 1000 { p { "Och " (applied.len() - 1000) " ändringar till: se historiken." } }
        }
        @if !blocked && u.changeset.is_none() {
            h2 { "Ändringarna" }
            p {
                @for (i, (o, label)) in counts.iter().enumerate() {
                    @if i > 0 { ", " }
                    (plan.count(o)) " " (label)
                }
                "."
                @if !plan.left.is_empty() { " " (plan.left.len()) " rader lämnas som de är (ingen status eller inget svar): rad " (lines_text(&plan.left)) "." }
            }
            @if !plan.outside.is_empty() {
                div.varning role="note" {
                    p { (plan.outside.len()) " rader gäller kommuner som du inte får ändra och tas inte med: "
                        @for (i, (line, k)) in plan.outside.iter().take(30).enumerate() {
                            @if i > 0 { ", " } "rad " (line) " (" (kommun_name(a, k)) ")"
                        }
                        "." }
                }
            }
            @for (k, items) in &by_kommun {
                @let shown: Vec<&&import::Item> = items.iter().filter(|i| i.outcome != Outcome::Unchanged).collect();
                h3 { (kommun_name(a, k)) }
                p {
                    @for (i, (o, label)) in counts.iter().enumerate() {
                        @if i > 0 { ", " }
                        (items.iter().filter(|x| &x.outcome == o).count()) " " (label)
                    }
                    "."
                }
                @if !shown.is_empty() {
                    div.tabellram tabindex="0" role="region" aria-label={ "Ändringar för " (kommun_name(a, k)) } {
                        table {
                            caption { "Ändringar för " (kommun_name(a, k)) }
                            thead { tr { th scope="col" { "Program" } th scope="col" { "Ändring" } th scope="col" { "Fält: förut → nu" } th scope="col" { "Rad" } } }
                            tbody {
                                @for i in shown {
                                    tr {
                                        th scope="row" { (programme_name(a, &i.programme)) }
                                        td { (match i.outcome { Outcome::Added => "nytt svar", Outcome::Changed => "ändras", Outcome::Confirmed => "bekräftas oförändrat", Outcome::Unchanged => "som förut" }) }
                                        td {
                                            ul.falt-lista {
                                                @for (f, old, new) in &i.fields {
                                                    li { (field_label(f)) ": " (field_value(f, old)) " → " (field_value(f, new)) }
                                                }
                                            }
                                        }
                                        td { (lines_text(&i.lines)) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            @if u.changeset.is_none() {
                @if plan.edits.is_empty() {
                    p.meddelande role="status" { "Inga ändringar: filen stämmer med det som redan finns." }
                } @else {
                    form method="post" action={ "/admin/import/" (u.id) "/genomfor" } {
                        (forms::csrf(&editor.session.csrf))
                        input type="hidden" name="plan" value=(plan.digest);
                        button type="submit" { "Genomför importen (" (plan.edits.len()) " ändringar)" }
                    }
                }
            }
        }
        p { a href="/admin/import" { "Till importen" } }
    }
}

fn plan_summary(c: &[usize; 3]) -> String {
    format!(
        "{} nya svar, {} ändrade, {} bekräftade oförändrade.",
        c[0], c[1], c[2]
    )
}

/// Every target a column may be read as, for the column form.
fn target_choices(a: &Atlas) -> Vec<(String, String)> {
    let mut out: Vec<Target> = vec![
        Target::Kommun,
        Target::Programme,
        Target::Status,
        Target::Organiser,
        Target::Contact,
        Target::Languages,
        Target::Source,
        Target::Confirmed,
        Target::Note,
        Target::Round,
        Target::Role,
        Target::Ignore,
    ];
    out.extend(
        a.programmes()
            .iter()
            .map(|p| Target::Answer(p.slug.clone())),
    );
    out.into_iter().map(|t| (t.code(), t.label(a))).collect()
}

async fn problems_file(
    State(state): State<AppState>,
    editor: Editor,
    Path(id): Path<String>,
) -> Answer {
    let u = own_upload(&state, &editor, &id).await?;
    let (plan, _) = plan_of(&state, &editor, &u).await?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_static("attachment; filename=\"importproblem.csv\""),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        import::problems_csv(&plan),
    )
        .into_response())
}

async fn set_columns(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted<Vec<(String, String)>>,
) -> Answer {
    let editor = posted.editor;
    let values = Values::from_pairs(posted.form);
    let u = own_upload(&state, &editor, &id).await?;
    let a = state.atlas();
    let mut settings = u.settings.clone();
    for (k, v) in values.pairs() {
        let Some(header) = k.strip_prefix("kolumn.") else {
            continue;
        };
        match Target::parse(v) {
            Some(t) if valid_target(&a, &t) => {
                settings.mapping.insert(header.to_string(), t);
            }
            _ => {
                settings.mapping.remove(header);
            }
        }
    }
    let store = store(&state, &editor)?;
    let profile = values.get("profil").trim();
    if !profile.is_empty() {
        let name: String = profile
            .chars()
            .filter(|c| !c.is_control())
            .take(80)
            .collect();
        store
            .save_profile(&name, u.shape, &settings.mapping, editor.account.id)
            .await
            .map_err(failed(&editor))?;
    }
    store
        .set_upload_settings(u.id, &settings)
        .await
        .map_err(failed(&editor))?;
    Ok(Redirect::to(&format!("/admin/import/{}", u.id)).into_response())
}

fn valid_target(a: &Atlas, t: &Target) -> bool {
    match t {
        Target::Answer(slug) => a.programme_index(slug).is_some(),
        _ => true,
    }
}

async fn settle(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted<Vec<(String, String)>>,
) -> Answer {
    let editor = posted.editor;
    let values = Values::from_pairs(posted.form);
    let u = own_upload(&state, &editor, &id).await?;
    let mut settings = u.settings.clone();
    for (k, v) in values.pairs() {
        if let Some(cell) = k.strip_prefix("avgor.")
            && OfferingStatus::parse(v).is_ok()
        {
            settings.settled.insert(cell.to_string(), v.clone());
        }
    }
    let store = store(&state, &editor)?;
    store
        .set_upload_settings(u.id, &settings)
        .await
        .map_err(failed(&editor))?;
    Ok(Redirect::to(&format!("/admin/import/{}", u.id)).into_response())
}

async fn apply(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted<Vec<(String, String)>>,
) -> Answer {
    let editor = posted.editor;
    let values = Values::from_pairs(posted.form);
    let u = own_upload(&state, &editor, &id).await?;
    if u.changeset.is_some() {
        return Err(refuse(
            &editor,
            StatusCode::CONFLICT,
            "Redan genomförd",
            "Importen är redan genomförd. Ladda upp filen igen för att göra om den.",
        )
        .into());
    }
    let (plan, _) = plan_of(&state, &editor, &u).await?;
    if !plan.problems.is_empty() {
        return Err(refuse(
            &editor,
            StatusCode::UNPROCESSABLE_ENTITY,
            "Importen genomfördes inte",
            "Filen har problem. Rätta dem och ladda upp filen igen.",
        )
        .into());
    }
    if plan.digest != values.get("plan") {
        return Err(super::layout::respond(
            StatusCode::CONFLICT,
            page(&editor, "Datan har ändrats sedan förhandsvisningen", html! {
                p.fel-text role="alert" { "Någon har ändrat svaren sedan du förhandsgranskade filen, så importen skulle inte längre göra det du läste. Inget har sparats." }
                p { a href={ "/admin/import/" (u.id) } { "Se den nya förhandsvisningen" } }
            }),
        ).into());
    }
    let a = state.atlas();
    let round = a
        .round_index(&u.settings.round)
        .map_or(u.settings.round.clone(), |r| {
            a.inventory.rounds[r].name.clone()
        });
    let c = [Outcome::Added, Outcome::Changed, Outcome::Confirmed].map(|o| plan.count(&o));
    let comment = format!(
        "Import av {} till {round}: {}",
        u.file_name,
        plan_summary(&c)
    );
    let mut set = desk::changeset(&editor, "import", &comment, plan.edits);
    set.import = Some(u.id);
    match state.commit(set).await {
        Ok(_) => Ok(Redirect::to(&format!("/admin/import/{}", u.id)).into_response()),
        Err(e) => Err(edit_failed(&editor, e).into()),
    }
}

async fn undo(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted<Vec<(String, String)>>,
) -> Answer {
    let editor = posted.editor;
    let u = own_upload(&state, &editor, &id).await?;
    let Some(cs) = u.changeset else {
        return Err(refuse(
            &editor,
            StatusCode::CONFLICT,
            "Inte genomförd",
            "Importen är inte genomförd, så det finns inget att ångra.",
        )
        .into());
    };
    let store = store(&state, &editor)?;
    let edits = store.undo_edits(cs).await.map_err(failed(&editor))?;
    let mut set = desk::changeset(
        &editor,
        "undo",
        &format!(
            "Ångrar importen av {} (ändringsuppsättning {cs})",
            u.file_name
        ),
        edits,
    );
    set.undoes = Some(cs);
    match state.commit(set).await {
        Ok(_) => Ok(Redirect::to(&format!("/admin/import/{}", u.id)).into_response()),
        Err(crate::store::EditError::Conflict { key, .. }) => Err(refuse(
            &editor,
            StatusCode::CONFLICT,
            "Importen kan inte ångras",
            &format!("Svaret {key} har ändrats igen efter importen, så att ångra importen skulle skriva över en senare ändring. Ångra den senare ändringen först (i historiken). Inget har ändrats."),
        ).into()),
        Err(e) => Err(edit_failed(&editor, e).into()),
    }
}
