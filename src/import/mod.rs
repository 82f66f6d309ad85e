//! Imports of a survey round's answers: the template (one row per kommun × programme, as the
//! admin hands it out, pre-filled) or a questionnaire export (one row per respondent, one column
//! per programme). A file is read whole ([`crate::tabular`]), every row validated, then planned:
//! what each kommun × programme answer would become, as a diff against the store, and the edits
//! that do it. Nothing is written here; the admin applies a plan's edits as one changeset
//! ([`crate::store::Store::apply`]) after the coordinator has read the preview.

pub mod columns;
pub mod template;

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::atlas::Atlas;
use crate::dates::Confirmed;
use crate::problem::Problem;
use crate::store::{Action, Edit, OFFERINGS, Record, Scope};
use crate::tabular::Sheet;
use crate::vocabulary::OfferingStatus;
use columns::{Answer, Target};

/// The two shapes of file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Shape {
    Template,
    Questionnaire,
}

impl Shape {
    pub fn code(self) -> &'static str {
        match self {
            Shape::Template => "template",
            Shape::Questionnaire => "questionnaire",
        }
    }

    pub fn parse(s: &str) -> Option<Shape> {
        match s {
            "template" => Some(Shape::Template),
            "questionnaire" => Some(Shape::Questionnaire),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Shape::Template => "mallen (en rad per kommun och program)",
            Shape::Questionnaire => "enkätexport (en rad per svarande)",
        }
    }
}

/// What the coordinator chose for an import, beside the file.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Settings {
    /// The round the answers belong to (an open one).
    pub round: String,
    /// The source of answers without their own (the questionnaire's: all of them).
    pub source: String,
    /// The date last confirmed of answers without their own (YYYY-MM-DD, YYYY-MM or YYYY).
    pub confirmed: String,
    /// Columns by normalised header, where the coordinator (or a profile) said what they hold.
    pub mapping: BTreeMap<String, Target>,
    /// The coordinator's decision where respondents disagree: "kommun/programme" → status code.
    pub settled: BTreeMap<String, String>,
}

/// One column of the file and what it was taken to hold.
#[derive(Debug, Clone)]
pub struct ColumnUse {
    pub header: String,
    pub target: Option<Target>,
    /// Said by the mapping (a profile or the coordinator), not guessed from the name.
    pub mapped: bool,
}

/// How one answer would change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Added,
    Changed,
    /// Only the date last confirmed is renewed.
    Confirmed,
    Unchanged,
}

/// One kommun × programme answer of the plan.
#[derive(Debug, Clone)]
pub struct Item {
    pub kommun: String,
    pub programme: String,
    /// The file's lines it comes from.
    pub lines: Vec<usize>,
    pub outcome: Outcome,
    /// Field, old value, new value (the fields that differ).
    pub fields: Vec<(String, String, String)>,
}

/// Respondents of one kommun who answered one programme differently.
#[derive(Debug, Clone)]
pub struct Disagreement {
    pub kommun: String,
    pub programme: String,
    /// Line, role, answer as written.
    pub answers: Vec<(usize, String, String)>,
    /// What the rule makes of them.
    pub rule: OfferingStatus,
    /// What will be written: the coordinator's decision, else the rule's.
    pub chosen: OfferingStatus,
}

/// What an import would do.
#[derive(Debug, Clone)]
pub struct Plan {
    pub format: String,
    pub columns: Vec<ColumnUse>,
    /// Problems with rows and columns: while there are any, nothing can be applied.
    pub problems: Vec<Problem>,
    /// Things worth knowing that do not stop the import (a column read past).
    pub notices: Vec<Problem>,
    pub items: Vec<Item>,
    pub disagreements: Vec<Disagreement>,
    /// Rows left as they are (no status, or nobody answered), by line.
    pub left: Vec<usize>,
    /// Rows of kommuner the editor may not change: line, kommun code.
    pub outside: Vec<(usize, String)>,
    pub respondents: usize,
    pub edits: Vec<Edit>,
    /// A fingerprint of the edits and the versions they are based on: apply is refused when the
    /// plan made again from the same file no longer has it (the data changed since the preview).
    pub digest: String,
}

impl Plan {
    /// The plan of a file that could not be read at all: only its problems.
    pub fn unread(problems: Vec<Problem>) -> Plan {
        Plan {
            format: String::new(),
            columns: Vec::new(),
            problems,
            notices: Vec::new(),
            items: Vec::new(),
            disagreements: Vec::new(),
            left: Vec::new(),
            outside: Vec::new(),
            respondents: 0,
            edits: Vec::new(),
            digest: String::new(),
        }
    }

    pub fn count(&self, outcome: &Outcome) -> usize {
        self.items.iter().filter(|i| &i.outcome == outcome).count()
    }
}

/// The fields of an answer an import writes, besides kommun, programme and round.
const FIELDS: &[(Target, &str)] = &[
    (Target::Status, "status"),
    (Target::Organiser, "organiser"),
    (Target::Contact, "contact_url"),
    (Target::Languages, "languages"),
    (Target::Note, "note"),
];

/// Plans an import of `sheet` (named `file` in problems) into `settings.round`, against the
/// answers of that round now in the store (`current`, by key).
pub fn plan(
    atlas: &Atlas,
    file: &str,
    sheet: &Sheet,
    shape: Shape,
    settings: &Settings,
    scope: &Scope,
    current: &HashMap<String, Record>,
) -> Plan {
    let programmes = columns::programme_names(atlas);
    let mut plan = Plan::unread(Vec::new());
    plan.format = sheet.format.describe();
    for (i, h) in sheet.header.iter().enumerate() {
        let mapped = settings.mapping.get(&columns::normalise(h)).cloned();
        let target = mapped.clone().or_else(|| columns::guess(h, &programmes));
        if target.is_none() && !h.is_empty() {
            plan.problems.push(Problem::new(
                file,
                1,
                i + 1,
                format!("okänd kolumn ”{h}”: välj vad den innehåller nedan, eller ”läses inte”"),
            ));
        }
        plan.columns.push(ColumnUse {
            header: h.clone(),
            target,
            mapped: mapped.is_some(),
        });
    }
    let column = |t: &Target| {
        plan.columns
            .iter()
            .position(|c| c.target.as_ref() == Some(t))
    };
    let col_kommun = column(&Target::Kommun);
    let mut required = vec![(Target::Kommun, col_kommun)];
    if shape == Shape::Template {
        required.push((Target::Programme, column(&Target::Programme)));
        required.push((Target::Status, column(&Target::Status)));
    } else if !plan
        .columns
        .iter()
        .any(|c| matches!(c.target, Some(Target::Answer(_))))
    {
        plan.problems.push(Problem::new(
            file,
            1,
            1,
            "ingen kolumn har ett programs namn: en enkätexport har en kolumn per program",
        ));
    }
    for (t, at) in &required {
        if at.is_none() {
            plan.problems.push(Problem::new(
                file,
                1,
                sheet.header.len() + 1,
                format!("kolumnen för {} saknas", t.label(atlas)),
            ));
        }
    }
    for (i, c) in plan.columns.iter().enumerate() {
        if let Some(t) = &c.target
            && plan.columns[..i]
                .iter()
                .any(|o| o.target.as_ref() == Some(t))
            && !matches!(t, Target::Ignore | Target::Kommun | Target::Programme)
        {
            plan.problems.push(Problem::new(
                file,
                1,
                i + 1,
                format!("två kolumner är {}", t.label(atlas)),
            ));
        }
    }
    match atlas.round_index(&settings.round) {
        None => plan.problems.push(Problem::file(
            file,
            format!("omgången ”{}” finns inte", settings.round),
        )),
        // A closed round is frozen (the store refuses it too); said here before anything else.
        Some(r) if !atlas.in_progress(r) => plan.problems.push(Problem::file(
            file,
            format!(
                "omgången ”{}” är inte öppen: svar kan bara importeras till en öppen enkätomgång",
                atlas.inventory.rounds[r].name
            ),
        )),
        Some(_) => {}
    }
    if settings.source.trim().is_empty() {
        plan.problems.push(Problem::file(
            file,
            "ange en källa för svaren (t.ex. enkätens namn)",
        ));
    }
    if let Err(e) = Confirmed::parse(settings.confirmed.trim()) {
        plan.problems
            .push(Problem::file(file, format!("datum: {e}")));
    }
    if !plan.problems.is_empty() {
        return plan;
    }
    let used = plan.columns.clone();
    let read = Reader {
        atlas,
        file,
        columns: &used,
        settings,
        programmes: &programmes,
    };
    let proposals = match shape {
        Shape::Template => read.template(sheet, &mut plan),
        Shape::Questionnaire => read.questionnaire(sheet, &mut plan),
    };
    // The data set's own rule for sources (checked again when applied), said here at the row.
    let kind = atlas.inventory.dataset.config.kind;
    let col = plan
        .columns
        .iter()
        .position(|c| c.target == Some(Target::Source))
        .map_or(0, |i| i + 1);
    for p in &proposals {
        let message = kind
            .source_problem(&p.source, true)
            .map(str::to_string)
            .or_else(|| atlas.inventory.sources.problem(&p.source));
        if let Some(message) = message {
            for line in &p.lines {
                plan.problems
                    .push(Problem::new(file, *line, col, message.clone()));
            }
        }
    }
    // A redaktör's rows of other kommuner are reported, not applied.
    let mut kept = Vec::new();
    for p in proposals {
        if scope.allows(Some(&p.kommun)) {
            kept.push(p);
        } else {
            plan.outside
                .extend(p.lines.iter().map(|l| (*l, p.kommun.clone())));
        }
    }
    plan.outside.sort();
    plan.outside.dedup();
    if plan.problems.is_empty() {
        diff(&mut plan, kept, settings, current);
    }
    plan
}

/// What the file says one answer should be.
struct Proposal {
    kommun: String,
    programme: String,
    lines: Vec<usize>,
    fields: BTreeMap<String, String>,
    source: String,
    confirmed: String,
}

struct Reader<'a> {
    atlas: &'a Atlas,
    file: &'a str,
    columns: &'a [ColumnUse],
    settings: &'a Settings,
    programmes: &'a BTreeMap<String, String>,
}

impl Reader<'_> {
    fn at(&self, t: &Target) -> Option<usize> {
        self.columns
            .iter()
            .position(|c| c.target.as_ref() == Some(t))
    }

    /// The cell of the first column holding `t`: its column number and value (a leading `'`
    /// that kept a spreadsheet from reading the text as a formula taken off).
    fn cell<'r>(&self, row: &'r crate::tabular::Row, t: &Target) -> Option<(usize, &'r str)> {
        self.cells(row, t).into_iter().next()
    }

    /// Every column holding `t` (a file may have both kommunkod and kommun).
    fn cells<'r>(&self, row: &'r crate::tabular::Row, t: &Target) -> Vec<(usize, &'r str)> {
        self.columns
            .iter()
            .enumerate()
            .filter(|(_, c)| c.target.as_ref() == Some(t))
            .map(|(i, _)| {
                let v = row.cells.get(i).map_or("", String::as_str);
                let v = v
                    .strip_prefix('\'')
                    .filter(|r| r.starts_with(['=', '+', '-', '@']))
                    .unwrap_or(v);
                (i + 1, v)
            })
            .collect()
    }

    /// The one thing the columns holding `t` name (by `find`), or a problem: none, unknown, or
    /// two columns naming different things.
    fn one(
        &self,
        row: &crate::tabular::Row,
        t: &Target,
        what: &str,
        find: impl Fn(&str) -> Result<String, String>,
        plan: &mut Plan,
    ) -> Option<String> {
        let mut found: Option<(usize, String, String)> = None;
        let mut ok = true;
        for (col, v) in self.cells(row, t) {
            if v.is_empty() {
                continue;
            }
            match find(v) {
                Err(m) => {
                    plan.problems.push(self.problem(row.line, col, m));
                    ok = false;
                }
                Ok(x) => match &found {
                    Some((c0, v0, x0)) if *x0 != x => {
                        plan.problems.push(self.problem(
                            row.line,
                            col,
                            format!("”{v}” och ”{v0}” (kolumn {c0}) är olika {what}"),
                        ));
                        ok = false;
                    }
                    Some(_) => {}
                    None => found = Some((col, v.to_string(), x)),
                },
            }
        }
        match (found, ok) {
            (Some((_, _, x)), true) => Some(x),
            (None, true) => {
                let col = self.at(t).map_or(1, |i| i + 1);
                plan.problems
                    .push(self.problem(row.line, col, format!("{what} saknas")));
                None
            }
            _ => None,
        }
    }

    fn problem(&self, line: usize, column: usize, message: impl Into<String>) -> Problem {
        Problem::new(self.file, line, column, message)
    }

    /// The kommun of a row, or a problem.
    fn kommun(&self, row: &crate::tabular::Row, plan: &mut Plan) -> Option<String> {
        let region = &self.atlas.inventory.dataset.region().name;
        self.one(
            row,
            &Target::Kommun,
            "kommun",
            |v| match columns::kommun(self.atlas, v) {
                Some(k) => Ok(self.atlas.geography.kommuner[k].code.clone()),
                None => Err(format!(
                    "okänd kommun ”{v}” (skriv kommunkoden, t.ex. 1472, eller namnet, t.ex. Tibro; kommuner i {region})"
                )),
            },
            plan,
        )
    }

    fn template(&self, sheet: &Sheet, plan: &mut Plan) -> Vec<Proposal> {
        let mut seen: HashMap<(String, String), usize> = HashMap::new();
        let mut out = Vec::new();
        let round = &self.atlas.inventory.rounds[self
            .atlas
            .round_index(&self.settings.round)
            .expect("checked")];
        for row in &sheet.rows {
            if row.cells.iter().all(String::is_empty) {
                continue;
            }
            let kommun = self.kommun(row, plan);
            let programme = self.one(
                row,
                &Target::Programme,
                "program",
                |v| match self.programmes.get(&columns::normalise(v)) {
                    Some(slug) => Ok(slug.clone()),
                    None => Err(format!(
                        "okänt program ”{v}” (skriv programkoden eller namnet som i programkatalogen)"
                    )),
                },
                plan,
            );
            if let Some((col, v)) = self.cell(row, &Target::Round)
                && !v.is_empty()
                && v != round.id
                && columns::normalise(v) != columns::normalise(&round.name)
            {
                plan.problems.push(self.problem(
                    row.line,
                    col,
                    format!(
                        "raden gäller omgången ”{v}”, men importen gäller ”{}”",
                        round.name
                    ),
                ));
            }
            let mut fields = BTreeMap::new();
            let mut ok = true;
            for (t, name) in FIELDS {
                let Some((col, v)) = self.cell(row, t) else {
                    continue;
                };
                let value = match t {
                    Target::Status => match status(v) {
                        Ok(s) => s.map_or(String::new(), |s| s.code().to_string()),
                        Err(m) => {
                            plan.problems.push(self.problem(row.line, col, m));
                            ok = false;
                            continue;
                        }
                    },
                    Target::Contact if !v.is_empty() => match crate::inventory::url(v) {
                        Ok(u) => u,
                        Err(m) => {
                            plan.problems.push(self.problem(row.line, col, m));
                            ok = false;
                            continue;
                        }
                    },
                    Target::Languages => languages(v),
                    _ => v.to_string(),
                };
                fields.insert(name.to_string(), value);
            }
            let source = self
                .cell(row, &Target::Source)
                .map(|(_, v)| v)
                .filter(|v| !v.is_empty())
                .unwrap_or(self.settings.source.trim())
                .to_string();
            let confirmed = match self.cell(row, &Target::Confirmed) {
                Some((col, v)) if !v.is_empty() => match Confirmed::parse(v) {
                    Ok(_) => v.to_string(),
                    Err(m) => {
                        plan.problems.push(self.problem(row.line, col, m));
                        ok = false;
                        String::new()
                    }
                },
                _ => self.settings.confirmed.trim().to_string(),
            };
            let (Some(kommun), Some(programme), true) = (kommun, programme, ok) else {
                continue;
            };
            if let Some(first) = seen.insert((kommun.clone(), programme.clone()), row.line) {
                let col = self.at(&Target::Programme).map_or(1, |i| i + 1);
                plan.problems.push(self.problem(
                    row.line,
                    col,
                    format!("samma kommun och program som på rad {first}"),
                ));
                continue;
            }
            // No status: the row is left as it is (the template has such rows for cells without
            // an answer yet). Setting okänt is a choice, written "okänt".
            if fields.get("status").is_none_or(String::is_empty) {
                plan.left.push(row.line);
                continue;
            }
            out.push(Proposal {
                kommun,
                programme,
                lines: vec![row.line],
                fields,
                source,
                confirmed,
            });
        }
        out
    }

    fn questionnaire(&self, sheet: &Sheet, plan: &mut Plan) -> Vec<Proposal> {
        let answer_columns: Vec<(usize, &String)> = self
            .columns
            .iter()
            .enumerate()
            .filter_map(|(i, c)| match &c.target {
                Some(Target::Answer(slug)) => Some((i, slug)),
                _ => None,
            })
            .collect();
        let names: HashMap<&str, &str> = self
            .atlas
            .inventory
            .programmes
            .iter()
            .map(|p| (p.slug.as_str(), p.name.as_str()))
            .collect();
        // (kommun, programme) → (line, role, answer, as written)
        type Answers = Vec<(usize, String, Answer, String)>;
        let mut by_cell: BTreeMap<(String, String), Answers> = BTreeMap::new();
        let mut answered_rows: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
        for row in &sheet.rows {
            if row.cells.iter().all(String::is_empty) {
                continue;
            }
            plan.respondents += 1;
            let Some(kommun) = self.kommun(row, plan) else {
                continue;
            };
            let role = self
                .cell(row, &Target::Role)
                .map_or(String::new(), |(_, v)| v.to_string());
            let mut any = false;
            for (i, slug) in &answer_columns {
                let v = row.cells.get(*i).map_or("", String::as_str);
                match columns::answer(v, names.get(slug.as_str()).copied().unwrap_or("")) {
                    Ok(None) => {}
                    Ok(Some(a)) => {
                        any = true;
                        let key = (kommun.clone(), (*slug).clone());
                        by_cell.entry(key.clone()).or_default().push((
                            row.line,
                            role.clone(),
                            a,
                            v.to_string(),
                        ));
                        answered_rows.entry(key).or_default().push(row.line);
                    }
                    Err(m) => plan.problems.push(self.problem(row.line, i + 1, m)),
                }
            }
            if !any {
                plan.left.push(row.line);
            }
        }
        let mut out = Vec::new();
        for ((kommun, programme), answers) in by_cell {
            let rule = combine(answers.iter().map(|a| a.2));
            let differ = answers.iter().any(|a| a.2 != answers[0].2);
            let key = format!("{kommun}/{programme}");
            let chosen = self
                .settings
                .settled
                .get(&key)
                .and_then(|c| OfferingStatus::parse(c).ok())
                .unwrap_or(rule);
            if differ {
                plan.disagreements.push(Disagreement {
                    kommun: kommun.clone(),
                    programme: programme.clone(),
                    answers: answers
                        .iter()
                        .map(|(l, r, _, v)| (*l, r.clone(), v.clone()))
                        .collect(),
                    rule,
                    chosen,
                });
            }
            let lines = answers.iter().map(|a| a.0).collect();
            out.push(Proposal {
                kommun,
                programme,
                lines,
                fields: BTreeMap::from([("status".to_string(), chosen.code().to_string())]),
                source: self.settings.source.trim().to_string(),
                confirmed: self.settings.confirmed.trim().to_string(),
            });
        }
        out
    }
}

/// The stated rule for respondents of one kommun: any Ja → erbjuds; only Nej → erbjuds inte;
/// otherwise (Vet ej, or Nej beside Vet ej) okänt.
pub fn combine(answers: impl Iterator<Item = Answer>) -> OfferingStatus {
    let (mut yes, mut no, mut other) = (false, false, false);
    for a in answers {
        match a {
            Answer::Yes => yes = true,
            Answer::No => no = true,
            Answer::DontKnow => other = true,
        }
    }
    if yes {
        OfferingStatus::Offered
    } else if no && !other {
        OfferingStatus::NotOffered
    } else {
        OfferingStatus::Unknown
    }
}

/// A status as written in the template: its Swedish label or code, or Ja / Nej / Vet ej.
fn status(v: &str) -> Result<Option<OfferingStatus>, String> {
    if v.trim().is_empty() {
        return Ok(None);
    }
    let n = columns::normalise(v);
    for s in OfferingStatus::ALL {
        if n == columns::normalise(s.label()) || n == columns::normalise(s.code()) {
            return Ok(Some(*s));
        }
    }
    match columns::answer(v, "") {
        Ok(Some(Answer::Yes)) => Ok(Some(OfferingStatus::Offered)),
        Ok(Some(Answer::No)) => Ok(Some(OfferingStatus::NotOffered)),
        Ok(Some(Answer::DontKnow)) => Ok(Some(OfferingStatus::Unknown)),
        _ => Err(format!(
            "okänd status ”{v}” (skriv erbjuds, erbjuds inte eller okänt; tomt lämnar svaret som det är)"
        )),
    }
}

/// Languages as the data files write them: codes separated by `;` ("sv, en" → "sv;en").
fn languages(v: &str) -> String {
    v.split([';', ',', ' '])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(";")
}

/// Compares each proposal with the answer in the store and makes the edits.
fn diff(
    plan: &mut Plan,
    proposals: Vec<Proposal>,
    settings: &Settings,
    current: &HashMap<String, Record>,
) {
    let confirmed_column = OFFERINGS.confirmed.expect("offerings have a date");
    for p in proposals {
        let key = format!("{}/{}/{}", p.kommun, p.programme, settings.round);
        let now = current.get(&key);
        let mut fields: Vec<(String, String, String)> = Vec::new();
        let old = |name: &str| now.map_or(String::new(), |r| r.field(name).to_string());
        for (name, new) in &p.fields {
            if old(name) != *new {
                fields.push((name.clone(), old(name), new.clone()));
            }
        }
        let content_changed = !fields.is_empty();
        let source_changed = old(OFFERINGS.source) != p.source;
        let date_changed = old(confirmed_column) != p.confirmed;
        if source_changed {
            fields.push((
                OFFERINGS.source.into(),
                old(OFFERINGS.source),
                p.source.clone(),
            ));
        }
        if date_changed {
            fields.push((
                confirmed_column.into(),
                old(confirmed_column),
                p.confirmed.clone(),
            ));
        }
        let outcome = match now {
            None => Outcome::Added,
            Some(_) if content_changed || source_changed => Outcome::Changed,
            Some(_) if date_changed => Outcome::Confirmed,
            Some(_) => Outcome::Unchanged,
        };
        let edit = match outcome {
            Outcome::Unchanged => None,
            Outcome::Confirmed => {
                let mut e = Edit::new(
                    &OFFERINGS,
                    Some(key.clone()),
                    now.map(|r| r.version),
                    Action::Confirm,
                );
                e.confirmed = Some(p.confirmed.clone());
                Some(e)
            }
            Outcome::Added | Outcome::Changed => {
                let mut e = Edit::new(
                    &OFFERINGS,
                    now.map(|_| key.clone()),
                    now.map(|r| r.version),
                    Action::Save,
                );
                e.fields = p.fields.clone();
                e.fields.insert("kommun".into(), p.kommun.clone());
                e.fields.insert("programme".into(), p.programme.clone());
                e.fields.insert("round".into(), settings.round.clone());
                e.source = p.source.clone();
                e.confirmed = Some(p.confirmed.clone());
                Some(e)
            }
        };
        plan.edits.extend(edit);
        plan.items.push(Item {
            kommun: p.kommun,
            programme: p.programme,
            lines: p.lines,
            outcome,
            fields,
        });
    }
    let fingerprint: Vec<String> = plan
        .edits
        .iter()
        .map(|e| {
            format!(
                "{:?}|{:?}|{:?}|{:?}|{}|{:?}",
                e.key, e.base, e.action, e.fields, e.source, e.confirmed
            )
        })
        .collect();
    plan.digest = crate::auth::digest(&fingerprint.join("\n"));
}

/// Text as the Excel CSV profile writes it (a formula-like cell escaped).
fn excel(s: &str) -> String {
    crate::export::csv::field(
        &crate::export::tables::Cell::text(s),
        crate::export::csv::Profile::Excel,
    )
}

/// The problems of a plan as a CSV file for the spreadsheet (`;`, BOM, CRLF: Swedish Excel).
pub fn problems_csv(plan: &Plan) -> Vec<u8> {
    let mut out = csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::CRLF)
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    out.write_record(["rad", "kolumn", "rubrik", "problem"])
        .expect("writes to memory");
    for p in plan.problems.iter().chain(&plan.notices) {
        let header = p
            .column
            .checked_sub(1)
            .and_then(|i| plan.columns.get(i))
            .map_or("", |c| c.header.as_str());
        let line = if p.line == 0 {
            String::new()
        } else {
            p.line.to_string()
        };
        let column = if p.column == 0 {
            String::new()
        } else {
            p.column.to_string()
        };
        out.write_record([
            line.as_str(),
            column.as_str(),
            &excel(header),
            &excel(&p.message),
        ])
        .expect("writes to memory");
    }
    out.into_inner().expect("writes to memory")
}
