//! What the map shows for each kommun under the chosen filters: a class (one of six shared
//! colours, defined once in `web/style.css`) and the same fact as text for the list. *Okänt* is
//! always its own class, drawn hatched, never the colour of "erbjuds inte" or of zero.

use crate::atlas::Atlas;
use crate::coverage::matches;
use crate::vocabulary::{AdherenceStatus, AgeState, PartsStatus, SambuStatus};

use super::filters::{Filters, Measure};
use super::layout::{capital, count};

/// The map classes; the CSS class is `k-<code>`. `NoProgramme` is neutral: the catalogue has no
/// programme for the chosen age and level, so nothing is missing (never drawn as "none").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    Unknown,
    NoProgramme,
    None,
    N1,
    N2,
    N3,
    N4,
}

impl Class {
    pub fn css(self) -> &'static str {
        match self {
            Class::Unknown => "k-okant",
            Class::NoProgramme => "k-inget-program",
            Class::None => "k-ingen",
            Class::N1 => "k-n1",
            Class::N2 => "k-n2",
            Class::N3 => "k-n3",
            Class::N4 => "k-n4",
        }
    }
}

/// One kommun's value: its class, the class's legend label, and a sentence with the figures.
pub struct Reading {
    pub class: Class,
    pub label: String,
    pub text: String,
}

/// The legend of a measure: its classes in order, with their labels.
pub fn legend(f: &Filters) -> Vec<(Class, String)> {
    let unknown = (Class::Unknown, "okänt (ingen uppgift)".to_string());
    let none_in_catalogue = (
        Class::NoProgramme,
        AgeState::NoProgramme.label().to_string(),
    );
    let mut out = match (f.layer, f.age) {
        (Measure::Offerings, _) => vec![
            none_in_catalogue,
            (Class::None, "inga program (bekräftat)".into()),
            (Class::N1, "1 program".into()),
            (Class::N2, "2–3 program".into()),
            (Class::N3, "4–6 program".into()),
            (Class::N4, "7 eller fler program".into()),
        ],
        (Measure::Coverage, Some(_)) => vec![
            none_in_catalogue,
            (Class::None, "åldern är inte täckt".into()),
            (Class::N4, "åldern är täckt".into()),
        ],
        (Measure::Coverage, None) => vec![
            (Class::None, "ingen ålder täckt (bekräftat)".into()),
            (Class::N1, "under hälften av åldrarna".into()),
            (Class::N2, "hälften eller mer".into()),
            (Class::N4, "alla åldrar 0–17 år".into()),
        ],
        (Measure::Sambu, _) => vec![
            (Class::None, SambuStatus::None.label().into()),
            (Class::N2, SambuStatus::Decided.label().into()),
            (Class::N4, SambuStatus::Active.label().into()),
        ],
        (Measure::Partssamverkan, _) => vec![
            (Class::None, PartsStatus::None.label().into()),
            (Class::N2, PartsStatus::Forming.label().into()),
            (Class::N3, PartsStatus::Established.label().into()),
            (Class::N4, PartsStatus::Functioning.label().into()),
        ],
        // In the order of the words: adopted (decided, not begun) comes before in progress.
        (Measure::Adherence, _) => vec![
            (Class::None, AdherenceStatus::NotStarted.label().into()),
            (Class::N2, AdherenceStatus::Adopted.label().into()),
            (Class::N3, AdherenceStatus::InProgress.label().into()),
            (Class::N4, AdherenceStatus::Implemented.label().into()),
        ],
        (Measure::Trainings, _) => vec![
            (Class::N1, "1–2 utbildningstillfällen".into()),
            (Class::N2, "3–4 utbildningstillfällen".into()),
            (Class::N3, "5 eller fler".into()),
        ],
        // Only what a source names: no source is "okänt", never "ingen familjecentral".
        (Measure::Familjecentraler, _) => {
            vec![(Class::N3, "familjecentral känd från källa".into())]
        }
    };
    out.insert(0, unknown);
    out
}

pub fn read(a: &Atlas, f: &Filters, k: usize) -> Reading {
    let (class, text) = match f.layer {
        Measure::Offerings => offerings(a, f, k),
        Measure::Coverage => coverage(a, f, k),
        Measure::Sambu => {
            let s = a.sambu_status(k);
            let class = match s {
                SambuStatus::Active => Class::N4,
                SambuStatus::Decided => Class::N2,
                SambuStatus::None => Class::None,
                SambuStatus::Unknown => Class::Unknown,
            };
            let name = a
                .sambu(k)
                .map(|s| s.name.as_str())
                .filter(|n| !n.is_empty());
            let text = match name {
                Some(n) => format!("{} ({n})", capital(s.label())),
                None => capital(s.label()),
            };
            (class, text)
        }
        Measure::Partssamverkan => {
            let s = a.parts_status(k);
            let class = match s {
                PartsStatus::Functioning => Class::N4,
                PartsStatus::Established => Class::N3,
                PartsStatus::Forming => Class::N2,
                PartsStatus::None => Class::None,
                PartsStatus::Unknown => Class::Unknown,
            };
            let plan = a.partssamverkan(k).map(|p| p.action_plan.label());
            let text = match plan {
                Some(p) => format!("{}; {p}", capital(s.label())),
                None => capital(s.label()),
            };
            (class, text)
        }
        Measure::Adherence => {
            let s = if a.inventory.documents.is_empty() {
                AdherenceStatus::Unknown
            } else {
                a.adherence(k, f.document)
                    .map_or(AdherenceStatus::Unknown, |x| x.status)
            };
            let class = match s {
                AdherenceStatus::Implemented => Class::N4,
                AdherenceStatus::InProgress => Class::N3,
                AdherenceStatus::Adopted => Class::N2,
                AdherenceStatus::NotStarted => Class::None,
                AdherenceStatus::Unknown => Class::Unknown,
            };
            (class, capital(s.label()))
        }
        Measure::Familjecentraler => familjecentraler(a, k),
        Measure::Trainings => {
            let rows: Vec<_> = a.trainings(k).collect();
            let people: u32 = rows.iter().map(|t| t.participants).sum();
            let about = if rows.iter().any(|t| t.approximate) {
                "cirka "
            } else {
                ""
            };
            match rows.len() {
                0 => (Class::Unknown, "Ingen uppgift om utbildningar".into()),
                n => (
                    match n {
                        1..=2 => Class::N1,
                        3..=4 => Class::N2,
                        _ => Class::N3,
                    },
                    format!(
                        "{}, {about}{people} deltagare",
                        count(n, "utbildningstillfälle", "utbildningstillfällen")
                    ),
                ),
            }
        }
    };
    let label = legend(f)
        .into_iter()
        .find(|(c, _)| *c == class)
        .map(|(_, l)| l)
        .unwrap_or_default();
    Reading { class, label, text }
}

/// The kommun's familjecentraler by name with the date they were last confirmed, or okänt.
fn familjecentraler(a: &Atlas, k: usize) -> (Class, String) {
    let found: Vec<String> = a
        .familjecentraler(k)
        .map(|c| format!("{} (senast bekräftad {})", c.name, c.last_confirmed))
        .collect();
    if found.is_empty() {
        return (
            Class::Unknown,
            "Ingen uppgift om familjecentral i våra källor".into(),
        );
    }
    (Class::N3, found.join("; "))
}

fn offerings(a: &Atlas, f: &Filters, k: usize) -> (Class, String) {
    let [offered, not_offered, unknown] = a.counts(k, f.round, |p| matches(p, f.age, f.level));
    let all = offered + not_offered + unknown;
    let class = match offered {
        0 if unknown > 0 => Class::Unknown,
        0 if all == 0 => Class::NoProgramme,
        0 => Class::None,
        1 => Class::N1,
        2..=3 => Class::N2,
        4..=6 => Class::N3,
        _ => Class::N4,
    };
    if all == 0 {
        return (class, capital(AgeState::NoProgramme.label()));
    }
    let text = format!(
        "{offered} erbjuds, {unknown} {}, {not_offered} erbjuds inte (av {all} program för åldern och nivån)",
        if unknown == 1 { "okänt" } else { "okända" }
    );
    (class, text)
}

fn coverage(a: &Atlas, f: &Filters, k: usize) -> (Class, String) {
    let lc = a.coverage(k, f.round).level(f.level);
    if let Some(age) = f.age {
        let s = lc.state(age);
        let class = match s {
            AgeState::Covered => Class::N4,
            AgeState::NotCovered => Class::None,
            AgeState::Unknown => Class::Unknown,
            AgeState::NoProgramme => Class::NoProgramme,
        };
        let text = match s {
            AgeState::Covered => "Åldern är täckt",
            AgeState::NotCovered => "Åldern är inte täckt",
            AgeState::Unknown => "Okänt om åldern är täckt",
            AgeState::NoProgramme => "Inga program i katalogen för den åldern",
        };
        return (class, text.into());
    }
    let covered = lc.covered.years().len();
    let share = lc.share();
    let class = match covered {
        0 if !lc.unknown.years().is_empty() => Class::Unknown,
        0 => Class::None,
        18.. => Class::N4,
        _ if share >= 0.5 => Class::N2,
        _ => Class::N1,
    };
    let gaps: Vec<String> = lc
        .gaps()
        .iter()
        .map(|g| {
            if g.rests_on_unknown {
                format!("{} (okänt)", g.label)
            } else {
                g.label.clone()
            }
        })
        .collect();
    let text = if gaps.is_empty() {
        format!("{covered} av 18 åldrar täckta")
    } else {
        format!("{covered} av 18 åldrar täckta; luckor: {}", gaps.join(", "))
    };
    (class, text)
}
