//! Which column of an uploaded file means what: headers matched by name with Swedish synonyms,
//! programmes by their catalogue name or code (case and punctuation ignored), kommuner by code or
//! name; a saved profile says what the rest mean.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::atlas::Atlas;

/// What a column of the file holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    Kommun,
    Programme,
    Status,
    Organiser,
    Contact,
    Languages,
    Source,
    Confirmed,
    Note,
    Round,
    /// The respondent's role (questionnaire): shown when respondents disagree.
    Role,
    /// One programme's answer (questionnaire): the programme's slug.
    Answer(String),
    /// Read past on purpose (a time stamp, the respondent's e-mail address).
    Ignore,
}

impl Target {
    /// For the preview and the profile form.
    pub fn label(&self, atlas: &Atlas) -> String {
        match self {
            Target::Kommun => "kommun".into(),
            Target::Programme => "program".into(),
            Target::Status => "status".into(),
            Target::Organiser => "arrangör".into(),
            Target::Contact => "kontaktsida".into(),
            Target::Languages => "språk".into(),
            Target::Source => "källa".into(),
            Target::Confirmed => "senast bekräftad".into(),
            Target::Note => "anteckning".into(),
            Target::Round => "omgång".into(),
            Target::Role => "roll".into(),
            Target::Answer(slug) => {
                let name = atlas
                    .inventory
                    .programmes
                    .iter()
                    .find(|p| &p.slug == slug)
                    .map_or(slug.as_str(), |p| p.name.as_str());
                format!("svar: {name}")
            }
            Target::Ignore => "läses inte".into(),
        }
    }

    /// The code used in forms and profiles: `status`, `answer:abc`.
    pub fn code(&self) -> String {
        match self {
            Target::Answer(slug) => format!("answer:{slug}"),
            other => serde_json::to_value(other)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default(),
        }
    }

    pub fn parse(code: &str) -> Option<Target> {
        match code.strip_prefix("answer:") {
            Some(slug) => Some(Target::Answer(slug.to_string())),
            None => serde_json::from_value(serde_json::Value::String(code.into())).ok(),
        }
    }
}

/// The header names each fixed target answers to (normalised by [`normalise`]).
const SYNONYMS: &[(&[&str], Target)] = &[
    (
        &[
            "kommun",
            "kommunnamn",
            "kommunkod",
            "kommunnummer",
            "kod",
            "kommunenskod",
        ],
        Target::Kommun,
    ),
    (
        &[
            "program",
            "programme",
            "programnamn",
            "programkod",
            "metod",
            "foraldraskapsstodsprogram",
        ],
        Target::Programme,
    ),
    (
        &["status", "svar", "erbjuds", "erbjudsprogrammet"],
        Target::Status,
    ),
    (
        &[
            "arrangor",
            "anordnare",
            "organiser",
            "utforare",
            "huvudman",
            "verksamhet",
        ],
        Target::Organiser,
    ),
    (
        &[
            "kontakt",
            "kontaktsida",
            "contacturl",
            "webbadress",
            "lank",
            "url",
        ],
        Target::Contact,
    ),
    (&["sprak", "languages", "pasprak"], Target::Languages),
    (&["kalla", "source", "kallor"], Target::Source),
    (
        &[
            "datum",
            "senastbekraftad",
            "lastconfirmed",
            "bekraftad",
            "bekraftat",
        ],
        Target::Confirmed,
    ),
    (
        &["anteckning", "kommentar", "note", "ovrigt", "notering"],
        Target::Note,
    ),
    (&["omgang", "round", "enkatomgang"], Target::Round),
    (
        &["roll", "role", "funktion", "befattning", "uppdrag", "titel"],
        Target::Role,
    ),
    (
        &[
            "tidsstampel",
            "tidstampel",
            "timestamp",
            "epost",
            "epostadress",
            "email",
            "respondent",
            "respondentid",
            "id",
            "namn",
            "starttid",
            "sluttid",
            "datumforsvar",
            "forraomgangen",
        ],
        Target::Ignore,
    ),
];

/// A name as compared: lower case, å/ä/ö/é folded to a/a/o/e, everything but letters and digits
/// removed ("Kommun-kod" = "kommunkod", "Senast bekräftad" = "senastbekraftad").
pub fn normalise(s: &str) -> String {
    s.chars()
        .flat_map(char::to_lowercase)
        .filter_map(|c| match c {
            'å' | 'ä' | 'à' | 'á' => Some('a'),
            'ö' | 'ø' => Some('o'),
            'é' | 'è' | 'ë' => Some('e'),
            'ü' => Some('u'),
            c if c.is_alphanumeric() => Some(c),
            _ => None,
        })
        .collect()
}

/// The names a programme answers to in a header: its code, its name, its name without the part
/// in parentheses, and the part before a dash ("ABC – Alla Barn i Centrum (3–12 år)": also "ABC –
/// Alla Barn i Centrum" and "ABC"), the short forms only where no other programme has them.
pub fn programme_names(atlas: &Atlas) -> BTreeMap<String, String> {
    let mut names: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut exact: BTreeMap<String, String> = BTreeMap::new();
    for p in &atlas.inventory.programmes {
        exact.insert(normalise(&p.slug), p.slug.clone());
        exact.insert(normalise(&p.name), p.slug.clone());
        let bare = match p.name.find(" (") {
            Some(i) => &p.name[..i],
            None => p.name.as_str(),
        };
        let mut short = vec![bare];
        if let Some((before, _)) = bare.split_once(" – ") {
            short.push(before);
        }
        for s in short {
            names.entry(normalise(s)).or_default().push(p.slug.clone());
        }
    }
    for (name, mut slugs) in names {
        slugs.dedup();
        if slugs.len() == 1 && !exact.contains_key(&name) {
            exact.insert(name, slugs.remove(0));
        }
    }
    exact
}

/// What a header means without a profile: a fixed target by synonym, or a programme's answer
/// (a questionnaire's column, also as a form's grid "Vilka program erbjuds? [ABC]"), or nothing.
pub fn guess(header: &str, programmes: &BTreeMap<String, String>) -> Option<Target> {
    let n = normalise(header);
    if n.is_empty() {
        return None;
    }
    if let Some((_, t)) = SYNONYMS
        .iter()
        .find(|(names, _)| names.contains(&n.as_str()))
    {
        return Some(t.clone());
    }
    let inner = match (header.rfind('['), header.rfind(']')) {
        (Some(a), Some(b)) if a < b => normalise(&header[a + 1..b]),
        _ => n,
    };
    programmes.get(&inner).map(|s| Target::Answer(s.clone()))
}

/// A kommun of the region from a code (`1472`, or `472` as a spreadsheet that took it for a
/// number left it) or a name (`Tibro`, `Tibro kommun`, `tibro`).
pub fn kommun(atlas: &Atlas, value: &str) -> Option<usize> {
    let v = value.trim();
    let kommuner = &atlas.geography.kommuner;
    if !v.is_empty() && v.chars().all(|c| c.is_ascii_digit()) {
        let code = format!("{v:0>4}");
        return kommuner.iter().position(|k| k.code == code);
    }
    let n = normalise(v);
    let n = n.strip_suffix("kommun").unwrap_or(&n);
    let n = n
        .strip_suffix("s")
        .filter(|s| !s.is_empty())
        .map_or(n, |s| {
            // "Tibros kommun" but also "Hjos": only when the name without s is a kommun.
            if kommuner.iter().any(|k| normalise(&k.name) == s) {
                s
            } else {
                n
            }
        });
    kommuner.iter().position(|k| normalise(&k.name) == n)
}

/// A questionnaire's answer to one programme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Yes,
    No,
    DontKnow,
}

/// Reads an answer cell: Ja / Nej / Vet ej, a ticked box (x, 1, sant, the programme's own name as
/// a checkbox export writes it), or empty (`None`: no answer); anything else is refused, saying what is allowed.
pub fn answer(value: &str, programme_name: &str) -> Result<Option<Answer>, String> {
    let n = normalise(value);
    Ok(Some(match n.as_str() {
        "" => return Ok(None),
        "ja" | "j" | "yes" | "x" | "1" | "sant" | "true" | "erbjuds" | "ok" => Answer::Yes,
        "nej" | "n" | "no" | "0" | "falskt" | "false" | "erbjudsinte" => Answer::No,
        "vetej" | "vetinte" | "okant" | "osaker" | "dontknow" | "vetej/osaker" => Answer::DontKnow,
        _ if value.trim() == "✓" || value.trim() == "✔" => Answer::Yes,
        _ if n == normalise(programme_name) => Answer::Yes,
        _ => {
            return Err(format!(
                "okänt svar ”{value}” (skriv Ja, Nej eller Vet ej, eller lämna tomt)"
            ));
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_compared_without_case_and_punctuation() {
        assert_eq!(normalise("Kommun-kod"), "kommunkod");
        assert_eq!(normalise(" Senast bekräftad "), "senastbekraftad");
        assert_eq!(normalise("Föräldrastegen!"), "foraldrastegen");
    }

    #[test]
    fn answers_read_as_survey_tools_write_them() {
        assert_eq!(answer("Ja", "ABC"), Ok(Some(Answer::Yes)));
        assert_eq!(answer("NEJ", "ABC"), Ok(Some(Answer::No)));
        assert_eq!(answer("Vet ej", "ABC"), Ok(Some(Answer::DontKnow)));
        assert_eq!(answer("", "ABC"), Ok(None));
        assert_eq!(answer("abc", "ABC"), Ok(Some(Answer::Yes)));
        assert!(
            answer("kanske", "ABC")
                .unwrap_err()
                .contains("Ja, Nej eller Vet ej")
        );
    }

    #[test]
    fn targets_round_trip_through_their_codes() {
        for t in [
            Target::Kommun,
            Target::Confirmed,
            Target::Ignore,
            Target::Answer("abc".into()),
        ] {
            assert_eq!(Target::parse(&t.code()), Some(t));
        }
        assert_eq!(Target::parse("nonsense"), None);
    }
}
