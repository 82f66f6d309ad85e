//! What the map shows for each kommun under the chosen filters: a class (one of six shared
//! colours, defined once in `web/style.css`) and the same fact as text for the list. *Okänt* is
//! always its own class, drawn hatched, never the colour of "erbjuds inte" or of zero.

use maud::{Markup, html};

use crate::coverage::{age_label_in, matches};
use crate::lang::Lang;
use crate::vocabulary::{AdherenceStatus, AgeState, PartsStatus, SambuStatus};

use super::Cx;
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
    pub text: Markup,
}

/// The legend of a measure: its classes in order, with their labels.
pub fn legend(lang: Lang, f: &Filters) -> Vec<(Class, String)> {
    let t = |sv: &str, en: &str| lang.pick(sv, en).to_string();
    let unknown = (
        Class::Unknown,
        t("okänt (ingen uppgift)", "unknown (no information)"),
    );
    let none_in_catalogue = (
        Class::NoProgramme,
        AgeState::NoProgramme.label_in(lang).to_string(),
    );
    let label = |s: &'static str| s.to_string();
    let mut out = match (f.layer, f.age) {
        (Measure::Offerings, _) => vec![
            none_in_catalogue,
            (
                Class::None,
                t("inga program (bekräftat)", "no programmes (confirmed)"),
            ),
            (Class::N1, t("1 program", "1 programme")),
            (Class::N2, t("2–3 program", "2–3 programmes")),
            (Class::N3, t("4–6 program", "4–6 programmes")),
            (Class::N4, t("7 eller fler program", "7 or more programmes")),
        ],
        (Measure::Coverage, Some(_)) => vec![
            none_in_catalogue,
            (
                Class::None,
                t("åldern är inte täckt", "the age is not covered"),
            ),
            (Class::N4, t("åldern är täckt", "the age is covered")),
        ],
        (Measure::Coverage, None) => vec![
            (
                Class::None,
                t(
                    "ingen ålder täckt (bekräftat)",
                    "no age covered (confirmed)",
                ),
            ),
            (
                Class::N1,
                t("under hälften av åldrarna", "less than half of the ages"),
            ),
            (Class::N2, t("hälften eller mer", "half or more")),
            (Class::N4, t("alla åldrar 0–17 år", "all ages 0–17")),
        ],
        (Measure::Sambu, _) => vec![
            (Class::None, label(SambuStatus::None.label_in(lang))),
            (Class::N2, label(SambuStatus::Decided.label_in(lang))),
            (Class::N4, label(SambuStatus::Active.label_in(lang))),
        ],
        (Measure::Partssamverkan, _) => vec![
            (Class::None, label(PartsStatus::None.label_in(lang))),
            (Class::N2, label(PartsStatus::Forming.label_in(lang))),
            (Class::N3, label(PartsStatus::Established.label_in(lang))),
            (Class::N4, label(PartsStatus::Functioning.label_in(lang))),
        ],
        // In the order of the words: adopted (decided, not begun) comes before in progress.
        (Measure::Adherence, _) => vec![
            (
                Class::None,
                label(AdherenceStatus::NotStarted.label_in(lang)),
            ),
            (Class::N2, label(AdherenceStatus::Adopted.label_in(lang))),
            (Class::N3, label(AdherenceStatus::InProgress.label_in(lang))),
            (
                Class::N4,
                label(AdherenceStatus::Implemented.label_in(lang)),
            ),
        ],
        (Measure::Trainings, _) => vec![
            (
                Class::N1,
                t("1–2 utbildningstillfällen", "1–2 training sessions"),
            ),
            (
                Class::N2,
                t("3–4 utbildningstillfällen", "3–4 training sessions"),
            ),
            (Class::N3, t("5 eller fler", "5 or more")),
        ],
        // Only what a source names: no source is "okänt", never "ingen familjecentral".
        (Measure::Familjecentraler, _) => vec![(
            Class::N3,
            t(
                "familjecentral känd från källa",
                "family centre known from a source",
            ),
        )],
    };
    out.insert(0, unknown);
    out
}

pub fn read(cx: &Cx, f: &Filters, k: usize) -> Reading {
    let (a, lang) = (cx.a, cx.lang);
    let (class, text) = match f.layer {
        Measure::Offerings => offerings(cx, f, k),
        Measure::Coverage => coverage(cx, f, k),
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
            let text = html! {
                (capital(s.label_in(lang)))
                @if let Some(n) = name { " (" (cx.sv(n)) ")" }
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
            let plan = a.partssamverkan(k).map(|p| p.action_plan.label_in(lang));
            let text = match plan {
                Some(p) => format!("{}; {p}", capital(s.label_in(lang))),
                None => capital(s.label_in(lang)),
            };
            (class, html! { (text) })
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
            (class, html! { (capital(s.label_in(lang))) })
        }
        Measure::Familjecentraler => familjecentraler(cx, k),
        Measure::Trainings => {
            let rows: Vec<_> = a.trainings(k).collect();
            let people: u32 = rows.iter().map(|t| t.participants).sum();
            let about = if rows.iter().any(|t| t.approximate) {
                lang.pick("cirka ", "about ")
            } else {
                ""
            };
            let sessions = |n| match lang {
                Lang::Sv => count(n, "utbildningstillfälle", "utbildningstillfällen"),
                Lang::En => count(n, "training session", "training sessions"),
            };
            let participants = lang.pick("deltagare", "participants");
            match rows.len() {
                0 => (
                    Class::Unknown,
                    html! { (lang.pick("Ingen uppgift om utbildningar", "No information about trainings")) },
                ),
                n => (
                    match n {
                        1..=2 => Class::N1,
                        3..=4 => Class::N2,
                        _ => Class::N3,
                    },
                    html! { (sessions(n)) ", " (about) (people) " " (participants) },
                ),
            }
        }
    };
    let label = legend(lang, f)
        .into_iter()
        .find(|(c, _)| *c == class)
        .map(|(_, l)| l)
        .unwrap_or_default();
    Reading { class, label, text }
}

/// The kommun's familjecentraler by name with the date they were last confirmed, or okänt.
fn familjecentraler(cx: &Cx, k: usize) -> (Class, Markup) {
    let found: Vec<&crate::inventory::Contact> = cx.a.familjecentraler(k).collect();
    if found.is_empty() {
        let none = cx.t(
            "Ingen uppgift om familjecentral i våra källor",
            "No information about a family centre in our sources",
        );
        return (Class::Unknown, html! { (none) });
    }
    let confirmed = cx.t("senast bekräftad", "last confirmed");
    let text = html! {
        @for (i, c) in found.iter().enumerate() {
            @if i > 0 { "; " }
            (cx.sv(&c.name)) " (" (confirmed) " " (super::layout::date(cx, &c.last_confirmed)) ")"
        }
    };
    (Class::N3, text)
}

fn offerings(cx: &Cx, f: &Filters, k: usize) -> (Class, Markup) {
    let a = cx.a;
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
        return (
            class,
            html! { (capital(AgeState::NoProgramme.label_in(cx.lang))) },
        );
    }
    let text = match cx.lang {
        Lang::Sv => format!(
            "{offered} erbjuds, {unknown} {}, {not_offered} erbjuds inte (av {all} program för åldern och nivån)",
            if unknown == 1 { "okänt" } else { "okända" }
        ),
        Lang::En => format!(
            "{offered} offered, {unknown} unknown, {not_offered} not offered (of {all} {} for the age and level)",
            if all == 1 { "programme" } else { "programmes" }
        ),
    };
    (class, html! { (text) })
}

fn coverage(cx: &Cx, f: &Filters, k: usize) -> (Class, Markup) {
    let lang = cx.lang;
    let lc = cx.a.coverage(k, f.round).level(f.level);
    if let Some(age) = f.age {
        let s = lc.state(age);
        let class = match s {
            AgeState::Covered => Class::N4,
            AgeState::NotCovered => Class::None,
            AgeState::Unknown => Class::Unknown,
            AgeState::NoProgramme => Class::NoProgramme,
        };
        let text = match s {
            AgeState::Covered => lang.pick("Åldern är täckt", "The age is covered"),
            AgeState::NotCovered => lang.pick("Åldern är inte täckt", "The age is not covered"),
            AgeState::Unknown => lang.pick(
                "Okänt om åldern är täckt",
                "Unknown whether the age is covered",
            ),
            AgeState::NoProgramme => lang.pick(
                "Inga program i katalogen för den åldern",
                "No programme in the catalogue for that age",
            ),
        };
        return (class, html! { (text) });
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
            let label = age_label_in(lang, g.from, g.to);
            if g.rests_on_unknown {
                format!("{label} ({})", lang.pick("okänt", "unknown"))
            } else {
                label
            }
        })
        .collect();
    let text = match (lang, gaps.is_empty()) {
        (Lang::Sv, true) => format!("{covered} av 18 åldrar täckta"),
        (Lang::Sv, false) => format!("{covered} av 18 åldrar täckta; luckor: {}", gaps.join(", ")),
        (Lang::En, true) => format!("{covered} of 18 ages covered"),
        (Lang::En, false) => format!("{covered} of 18 ages covered; gaps: {}", gaps.join(", ")),
    };
    (class, html! { (text) })
}
