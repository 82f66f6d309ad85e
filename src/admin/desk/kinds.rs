//! What the edit forms know about each kind of record: its fields (label, input, hint), how a
//! column is named for people and how a stored value reads (a vocabulary code as its Swedish
//! label), and where a record is edited.

use crate::atlas::Atlas;
use crate::store::{Kind, kind};
use crate::vocabulary::{
    ActionPlan, AdherenceStatus, ContactKind, DocumentKind, Format, Level, OfferingStatus,
    PartsStatus, RoundKind, RoundStatus, SambuStatus, SupportStatus, TrainingKind,
};

/// How a field is entered.
#[derive(Debug, Clone)]
pub enum Input {
    Text,
    Url,
    Number,
    Area,
    /// One of a few: radio buttons.
    Choice(Vec<(&'static str, &'static str)>),
    /// One of a longer list: a select.
    Select(Vec<(&'static str, &'static str)>),
    /// Several of a few, stored `;`-separated (a programme's levels).
    Several(Vec<(&'static str, &'static str)>),
    /// true / false, as one checkbox.
    Flag,
}

/// One editable column of a kind.
#[derive(Debug, Clone)]
pub struct Spec {
    pub column: &'static str,
    pub label: &'static str,
    pub hint: Option<&'static str>,
    pub input: Input,
    pub required: bool,
    /// A key column: entered for a new record only (a key never changes).
    pub key: bool,
}

macro_rules! options {
    ($vocab:ty) => {
        <$vocab>::ALL
            .iter()
            .map(|v| (v.code(), v.label()))
            .collect::<Vec<_>>()
    };
}

fn spec(column: &'static str, label: &'static str, input: Input) -> Spec {
    Spec {
        column,
        label,
        hint: None,
        input,
        required: false,
        key: false,
    }
}

impl Spec {
    fn hint(mut self, h: &'static str) -> Spec {
        self.hint = Some(h);
        self
    }

    fn required(mut self) -> Spec {
        self.required = true;
        self
    }

    fn key(mut self) -> Spec {
        self.key = true;
        self.required = true;
        self
    }
}

const DATE_HINT: &str = "ÅÅÅÅ, ÅÅÅÅ-MM eller ÅÅÅÅ-MM-DD.";

/// The columns a person edits for `kind`, in form order. Key columns that come from the
/// address (kommun, programme, round, document) are not among them; the source and the date
/// last confirmed are common to every form (see [`SOURCE`], [`CONFIRMED`]).
pub fn specs(kind: &Kind) -> Vec<Spec> {
    match kind.name {
        "offerings" => vec![
            spec("status", "Status", Input::Choice(options!(OfferingStatus)))
                .required()
                .hint("Välj okänt när ni inte vet – inte ”erbjuds inte”."),
            spec("organiser", "Arrangör", Input::Text),
            spec("contact_url", "Kontakt (webbadress)", Input::Url)
                .hint("Sidan där föräldrar anmäler sig eller frågar, börjar med https://."),
            spec("languages", "Språk", Input::Text)
                .hint("Flera språk skiljs med semikolon, t.ex. svenska; arabiska."),
            spec("note", "Anteckning", Input::Area),
        ],
        "sambu" => vec![
            spec("status", "Status", Input::Choice(options!(SambuStatus))).required(),
            spec("name", "Teamets namn", Input::Text),
            spec("since", "Sedan", Input::Text).hint(DATE_HINT),
            spec("note", "Anteckning", Input::Area),
        ],
        "partssamverkan" => vec![
            spec("status", "Status", Input::Choice(options!(PartsStatus))).required(),
            spec(
                "action_plan",
                "Handlingsplan",
                Input::Choice(options!(ActionPlan)),
            ),
            spec("note", "Anteckning", Input::Area),
        ],
        "adherence" => vec![
            spec("status", "Status", Input::Choice(options!(AdherenceStatus))).required(),
            spec("note", "Anteckning", Input::Area),
        ],
        "trainings" => vec![
            spec("kind", "Utbildning", Input::Select(options!(TrainingKind))).required(),
            spec("audience", "Målgrupp", Input::Text).required(),
            spec("participants", "Antal deltagare", Input::Number).required(),
            spec("approximate", "Antalet är ungefärligt", Input::Flag),
            spec("period", "Period", Input::Text)
                .required()
                .hint("ÅÅÅÅ eller ÅÅÅÅ/ÅÅÅÅ, t.ex. 2020/2024."),
        ],
        "contacts" => vec![
            spec("kind", "Slag", Input::Choice(options!(ContactKind))).required(),
            spec("name", "Namn", Input::Text).required(),
            spec("url", "Webbadress", Input::Url).hint(
                "Kommunens sida om den, börjar med https://. Krävs för kommunens webbplats; lämna tomt för en familjecentral som bara nämns i en källa (källan anges nedan).",
            ),
            spec("address", "Adress", Input::Text)
                .hint("Bara för en familjecentral, och bara om källan anger adressen."),
            spec("lat", "Latitud", Input::Text).hint(
                "Bara om källan anger platsen: grader nord i WGS 84 med decimalpunkt, t.ex. 58.4247. Då visas en punkt på kartan.",
            ),
            spec("lon", "Longitud", Input::Text)
                .hint("Grader öst i WGS 84, t.ex. 14.1617. Ange båda eller ingen."),
            spec("note", "Anteckning", Input::Area),
        ],
        "other_support" => vec![
            spec("title", "Vad", Input::Text)
                .required()
                .hint("Stödets namn, t.ex. Utökade hembesök. Inget program i katalogen: de anges under Program."),
            spec("description", "Beskrivning", Input::Area)
                .required()
                .hint("Vad det var, för vem, vem som höll i det – så långt källan säger."),
            spec("period", "När", Input::Text)
                .hint("ÅÅÅÅ eller ÅÅÅÅ/ÅÅÅÅ, t.ex. 2017/2020; tomt om källan inte säger."),
            spec("status", "Status", Input::Choice(options!(SupportStatus)))
                .required()
                .hint("Så långt källan säger, aldrig mer."),
            spec("note", "Anteckning", Input::Area),
        ],
        "programmes" => vec![
            spec("slug", "Kod", Input::Text).key().hint(
                "Små bokstäver a–z, siffror och bindestreck, t.ex. abc. Kan inte ändras senare.",
            ),
            spec("name", "Namn", Input::Text).required(),
            spec("description", "Beskrivning", Input::Area).required(),
            spec("age_min", "Lägsta ålder", Input::Number)
                .required()
                .hint("Ett heltal 0–18; -1 betyder under graviditeten."),
            spec("age_max", "Högsta ålder", Input::Number).required(),
            spec("levels", "Nivåer", Input::Several(options!(Level))).required(),
            spec("format", "Form", Input::Choice(options!(Format))).required(),
            spec("notes", "Anteckningar", Input::Area),
            spec("description_en", "Beskrivning på engelska", Input::Area)
                .hint("En översättning av beskrivningen för de engelska sidorna; tomt: ingen översättning ännu."),
        ],
        "documents" => vec![
            spec("slug", "Kod", Input::Text)
                .key()
                .hint("Små bokstäver a–z, siffror och bindestreck. Kan inte ändras senare."),
            spec("title", "Titel", Input::Text).required(),
            spec("kind", "Slag", Input::Choice(options!(DocumentKind))).required(),
            spec("owner", "Ägare", Input::Text).required(),
        ],
        "rounds" => vec![
            spec("id", "Kod", Input::Text).key().hint(
                "Små bokstäver a–z, siffror och bindestreck, t.ex. uppfoljning-2026. Kan inte ändras senare.",
            ),
            spec("name", "Namn", Input::Text)
                .required()
                .hint("Som omgången ska heta på kartan, t.ex. Uppföljning 2026."),
            spec("kind", "Slag", Input::Choice(options!(RoundKind))).required(),
            spec("collected", "Insamlad", Input::Text)
                .required()
                .hint("När svaren samlas in: ÅÅÅÅ, ÅÅÅÅ-MM eller en period som 2025/2026."),
            spec("note", "Anteckning", Input::Area)
                .hint("Hur omgången görs: vilka som tillfrågas, hur."),
            spec("status", "Status", Input::Choice(options!(RoundStatus))).required(),
        ],
        _ => Vec::new(),
    }
}

/// The form name of the record's source, whatever its column is called.
pub const SOURCE: &str = "source";
/// The form name of the date last confirmed.
pub const CONFIRMED: &str = "confirmed";
/// The form name of the comment for the history.
pub const COMMENT: &str = "comment";

/// The form input a column is entered in.
pub fn input_name(kind: &Kind, column: &str) -> String {
    if column == kind.source {
        SOURCE.into()
    } else if Some(column) == kind.confirmed {
        CONFIRMED.into()
    } else {
        column.into()
    }
}

/// A column's name for people.
pub fn label(kind: &Kind, column: &str) -> String {
    if column == kind.source {
        return "Källa".into();
    }
    if Some(column) == kind.confirmed {
        return "Senast bekräftad".into();
    }
    if let Some(s) = specs(kind).into_iter().find(|s| s.column == column) {
        return s.label.into();
    }
    match column {
        "kommun" => "Kommun",
        "programme" => "Program",
        "round" => "Omgång",
        "document" => "Dokument",
        "slug" | "id" => "Kod",
        other => other,
    }
    .into()
}

/// What several records of a numbered kind are called ("Utbildningar i Tibro").
pub fn plural(kind: &Kind) -> String {
    match kind.name {
        "trainings" => "Utbildningar".into(),
        "contacts" => "Kontakter".into(),
        "other_support" => "Annat föräldraskapsstöd".into(),
        _ => crate::pages::layout::capital(kind.label),
    }
}

/// A form input's name for people (the error summary).
pub fn input_label(kind: &Kind, name: &str) -> String {
    match name {
        SOURCE => "Källa".into(),
        CONFIRMED => "Senast bekräftad".into(),
        COMMENT => "Kommentar".into(),
        column => label(kind, column),
    }
}

/// A stored value as people read it: a vocabulary code as its label, true/false as ja/nej.
pub fn shown(kind: &Kind, column: &str, value: &str) -> String {
    let Some(s) = specs(kind).into_iter().find(|s| s.column == column) else {
        return value.into();
    };
    match &s.input {
        Input::Choice(o) | Input::Select(o) => o
            .iter()
            .find(|(c, _)| *c == value)
            .map_or(value.into(), |(_, l)| (*l).into()),
        Input::Several(o) => value
            .split(';')
            .map(|v| {
                o.iter()
                    .find(|(c, _)| *c == v.trim())
                    .map_or(v.trim(), |(_, l)| l)
            })
            .collect::<Vec<_>>()
            .join(", "),
        Input::Flag => match value {
            "true" => "ja".into(),
            "false" => "nej".into(),
            v => v.into(),
        },
        _ => value.into(),
    }
}

/// A stored value as people read it, naming the kommun, programme, round or document a key
/// column refers to.
pub fn shown_in(a: &Atlas, kind: &Kind, column: &str, value: &str) -> String {
    match column {
        "kommun" => kommun_name(a, value),
        "programme" => a
            .programme_index(value)
            .map_or(value.to_string(), |p| a.programmes()[p].name.clone()),
        "round" => a
            .round_index(value)
            .map_or(value.to_string(), |r| a.inventory.rounds[r].name.clone()),
        "document" if kind.name == "adherence" => {
            a.document_index(value).map_or(value.to_string(), |d| {
                a.inventory.documents[d].title.clone()
            })
        }
        _ => shown(kind, column, value),
    }
}

/// The columns of a kind in the order people read them: the key, the form's fields, the source
/// and the date.
pub fn order(kind: &Kind) -> Vec<&'static str> {
    let mut cs: Vec<&'static str> = kind.key.to_vec();
    cs.extend(kind.kommun.filter(|k| !kind.key.contains(k)));
    cs.extend(
        specs(kind)
            .iter()
            .map(|s| s.column)
            .filter(|c| !kind.key.contains(c)),
    );
    cs.push(kind.source);
    cs.extend(kind.confirmed);
    cs
}

/// The kinds a person can filter the history by, with their Swedish names.
pub fn history_kinds() -> Vec<(&'static str, &'static str)> {
    [
        ("offerings", "Program i en kommun"),
        ("sambu", "SAMBU"),
        ("partssamverkan", "Partssamverkan"),
        ("adherence", "Följsamhet"),
        ("trainings", "Utbildningar"),
        ("contacts", "Kontakter"),
        ("other_support", "Annat föräldraskapsstöd"),
        ("sources", "Källor"),
        ("programmes", "Programkatalogen"),
        ("documents", "Dokument"),
        ("rounds", "Omgångar"),
        ("region_facts", "Regionuppgifter"),
    ]
    .into()
}

/// A kommun's name by code (the code itself when the region has no such kommun).
pub fn kommun_name(a: &Atlas, code: &str) -> String {
    a.kommun_index(code)
        .map_or(code.to_string(), |k| a.kommuner()[k].name.clone())
}

/// The round the desk edits when none is named: the open survey round while there is one
/// (the answers being collected), else the round the public pages show.
pub fn desk_round(a: &Atlas) -> usize {
    a.open_round().unwrap_or(a.default_round)
}

/// Whether the answers of round `r` can still be changed (a closed round is frozen).
pub fn editable(a: &Atlas, r: usize) -> bool {
    a.inventory.rounds[r].status == crate::vocabulary::RoundStatus::Open
}

/// The `?omgang=` part of a link for round `round` (nothing for the desk's round).
pub fn round_query(a: &Atlas, round: &str) -> String {
    match a.round_index(round) {
        Some(r) if r != desk_round(a) => format!("?omgang={}", crate::admin::encode(round)),
        _ => String::new(),
    }
}

/// Where a record is edited, when it has an edit page.
pub fn href(a: &Atlas, kind_name: &str, key: &str) -> Option<String> {
    let parts: Vec<&str> = key.split('/').collect();
    Some(match (kind_name, parts.as_slice()) {
        ("offerings", [k, p, r]) => format!("/admin/kommun/{k}/program/{p}{}", round_query(a, r)),
        ("sambu", [k]) => format!("/admin/kommun/{k}/sambu"),
        ("partssamverkan", [k]) => format!("/admin/kommun/{k}/partssamverkan"),
        ("adherence", [d, k]) => format!("/admin/kommun/{k}/dokument/{d}"),
        ("programmes", [p]) => format!("/admin/program/{p}"),
        ("documents", [d]) => format!("/admin/dokument/{d}"),
        ("rounds", [r]) => format!("/admin/omgangar/{}", crate::admin::encode(r)),
        _ => return None,
    })
}

/// Where a numbered record of a kommun is edited.
pub fn numbered_href(kind_name: &str, kommun: &str, key: &str) -> Option<String> {
    match kind_name {
        "trainings" => Some(format!("/admin/kommun/{kommun}/utbildningar/{key}")),
        "contacts" => Some(format!("/admin/kommun/{kommun}/kontakter/{key}")),
        "other_support" => Some(format!("/admin/kommun/{kommun}/annat-stod/{key}")),
        _ => None,
    }
}

/// Where any logged record is edited (None: no edit page, or the kind is read-only).
pub fn record_href(a: &Atlas, kind_name: &str, key: &str, kommun: Option<&str>) -> Option<String> {
    match kommun {
        Some(k) if matches!(kind_name, "trainings" | "contacts" | "other_support") => {
            numbered_href(kind_name, k, key)
        }
        _ => href(a, kind_name, key),
    }
}

/// A record for people: "ABC – Alla Barn i Centrum i Tibro (Uppföljning 2023/24)", "SAMBU i
/// Tibro", "utbildning 12 i Tibro".
pub fn record_title(a: &Atlas, kind_name: &str, key: &str, kommun: Option<&str>) -> String {
    let parts: Vec<&str> = key.split('/').collect();
    let programme = |slug: &str| {
        a.programme_index(slug)
            .map_or(slug.to_string(), |p| a.programmes()[p].name.clone())
    };
    let round = |id: &str| {
        a.round_index(id)
            .map_or(id.to_string(), |r| a.inventory.rounds[r].name.clone())
    };
    let document = |slug: &str| {
        a.document_index(slug)
            .map_or(slug.to_string(), |d| a.inventory.documents[d].title.clone())
    };
    match (kind_name, parts.as_slice()) {
        ("offerings", [k, p, r]) => {
            format!("{} i {} ({})", programme(p), kommun_name(a, k), round(r))
        }
        ("sambu", [k]) => format!("SAMBU i {}", kommun_name(a, k)),
        ("partssamverkan", [k]) => format!("Partssamverkan i {}", kommun_name(a, k)),
        ("adherence", [d, k]) => format!("{} i {}", document(d), kommun_name(a, k)),
        ("programmes", [p]) => format!("Programmet {}", programme(p)),
        ("documents", [d]) => format!("Dokumentet {}", document(d)),
        ("rounds", [r]) => format!("Omgången {}", round(r)),
        _ => {
            let label = kind(kind_name).map_or(kind_name, |k| k.label);
            match kommun {
                Some(k) => format!(
                    "{} {key} i {}",
                    crate::pages::layout::capital(label),
                    kommun_name(a, k)
                ),
                None => format!("{} {key}", crate::pages::layout::capital(label)),
            }
        }
    }
}

/// A logged action for people.
pub fn action_label(action: &str) -> &'static str {
    match action {
        "save" => "ändrad",
        "confirm" => "bekräftad oförändrad",
        "remove" => "borttagen",
        "revert" => "ångrad",
        _ => "ändrad",
    }
}
