//! The staleness watch: a fact not confirmed for more than N months (default 18, `[freshness]
//! review_after_months` in dataset.toml) *kan vara inaktuell*. It stays shown and counted as it
//! is; the pages say so next to its date and the admin lists it for someone to confirm or change.
//! This is apart from the honest-time rule of [`crate::atlas`] (an answer older than the newest
//! survey round is "okänt i dag").
//!
//! The rule lives here once: [`Review`] knows the cut-off, computed when a snapshot is built, so
//! every surface of one snapshot agrees; `serve` rebuilds the snapshot when the date changes, so
//! the cut-off moves on a server that sees no edits. [`facts`] lists, per kommun, the facts the
//! rule flags (and those without a date) from the store, for the dashboard and the reminders.

use std::collections::{BTreeMap, HashSet};

use crate::atlas::Atlas;
use crate::auth::Account;
use crate::dates::{Confirmed, PartialDate};
use crate::lang::Lang;
use crate::store::{
    ADHERENCE, CONTACTS, OFFERINGS, PARTSSAMVERKAN, Record, SAMBU, Store, StoreError, TRAININGS,
};

/// How many months a fact may go unconfirmed, unless dataset.toml says otherwise.
pub const DEFAULT_MONTHS: u16 = 18;

/// The rule as of one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Review {
    /// Months a fact may go unconfirmed.
    pub months: u16,
    /// The day the cut-off was computed for (the snapshot's build day, in Sweden).
    pub today: jiff::civil::Date,
    /// Facts last confirmed surely before this day are due: exactly `months` months before
    /// `today` (the month's last day where it is shorter), so a fact confirmed exactly 18 months
    /// ago is not yet due and one confirmed a day earlier is.
    pub before: PartialDate,
}

/// Where a fact stands under the rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Confirmed within the period (or possibly so: a year or month that may reach into it).
    Current,
    /// Not confirmed for more than the period: "kan vara inaktuell".
    Due,
    /// No date at all ("okänt"): not due by date, but listed on the dashboard as "datum saknas".
    Undated,
}

impl Review {
    /// The rule on `today`.
    pub fn on(today: jiff::civil::Date, months: u16) -> Review {
        let span = jiff::Span::new().months(i64::from(months));
        // Beyond the calendar (a huge configured period) nothing is due, never a panic.
        let cut = today.checked_sub(span).ok();
        let before = cut
            .and_then(|d| {
                let (y, m, day) = (u16::try_from(d.year()).ok()?, d.month(), d.day());
                Some(PartialDate::Day(y, m as u8, day as u8))
            })
            .filter(|d| d.year() >= 1900)
            .unwrap_or(PartialDate::Year(1900));
        Review {
            months,
            today,
            before,
        }
    }

    /// The rule today (in Sweden).
    pub fn today(months: u16) -> Review {
        let today = crate::dates::today()
            .parse()
            .unwrap_or(jiff::civil::date(2000, 1, 1));
        Review::on(today, months)
    }

    pub fn standing(&self, c: &Confirmed) -> Standing {
        match c {
            Confirmed::Unknown => Standing::Undated,
            Confirmed::On(d) if d.before(&self.before) => Standing::Due,
            Confirmed::On(_) => Standing::Current,
        }
    }

    /// Whether a fact last confirmed `c` kan vara inaktuell.
    pub fn due(&self, c: &Confirmed) -> bool {
        self.standing(c) == Standing::Due
    }

    /// Whether a stored record is due, by its date column (a kind without one never is).
    pub fn record_standing(&self, r: &Record) -> Option<Standing> {
        let column = r.kind.confirmed?;
        Some(self.standing(&confirmed_of(r, column)))
    }
}

/// A record's date last confirmed (validated when stored; anything unreadable counts as none).
fn confirmed_of(r: &Record, column: &str) -> Confirmed {
    Confirmed::parse(r.field(column)).unwrap_or(Confirmed::Unknown)
}

const MONTHS: [&str; 12] = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
];

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A date as the marker says it: "mars 2023" (a day's date by its month: the rule counts
/// months), "2023" for a year, "okänt" for none.
pub fn month_year(c: &Confirmed) -> String {
    month_year_in(Lang::Sv, c)
}

/// [`month_year`] in `lang` ("March 2023", "unknown").
pub fn month_year_in(lang: Lang, c: &Confirmed) -> String {
    match c {
        Confirmed::Unknown => lang.pick("okänt", "unknown").into(),
        Confirmed::On(PartialDate::Year(y)) => y.to_string(),
        Confirmed::On(PartialDate::Month(y, m) | PartialDate::Day(y, m, _)) => {
            let month = usize::from(m.saturating_sub(1)).min(11);
            format!("{} {y}", lang.pick(MONTHS, MONTHS_EN)[month])
        }
    }
}

/// What the pages print after "Senast bekräftad" for a due fact: "mars 2023 – kan vara inaktuell".
pub fn due_label(c: &Confirmed) -> String {
    due_label_in(Lang::Sv, c)
}

/// [`due_label`] in `lang` ("March 2023 – may be out of date").
pub fn due_label_in(lang: Lang, c: &Confirmed) -> String {
    let may_be_old = lang.pick("kan vara inaktuell", "may be out of date");
    format!("{} – {may_be_old}", month_year_in(lang, c))
}

/// A fact the rule flags, or one without a date, as the store holds it.
#[derive(Debug, Clone)]
pub struct Fact {
    pub record: Record,
    pub confirmed: Confirmed,
    pub standing: Standing,
}

/// Per kommun (by code, for every kommun of the snapshot), its facts that are due or undated, in
/// the order the kommun's desk page shows them: the offerings of the current picture (the
/// default round's answers, and the public sources that stand in where it has none), SAMBU,
/// partssamverkan, adherence, trainings, contacts. The rule is the snapshot's.
pub async fn facts(store: &Store, a: &Atlas) -> Result<BTreeMap<String, Vec<Fact>>, StoreError> {
    let r = a.default_round;
    let shown: HashSet<String> = (0..a.kommuner().len())
        .flat_map(|k| (0..a.programmes().len()).map(move |p| (k, p)))
        .filter_map(|(k, p)| a.offering(k, r, p))
        .map(|o| format!("{}/{}/{}", o.kommun, o.programme, o.round))
        .collect();
    let mut out: BTreeMap<String, Vec<Fact>> = a
        .kommuner()
        .iter()
        .map(|k| (k.code.clone(), Vec::new()))
        .collect();
    let mut offerings: Vec<Fact> = Vec::new();
    for kind in [
        &OFFERINGS,
        &SAMBU,
        &PARTSSAMVERKAN,
        &ADHERENCE,
        &TRAININGS,
        &CONTACTS,
    ] {
        for record in store.records(kind).await? {
            if kind.name == OFFERINGS.name && !shown.contains(&record.key) {
                continue;
            }
            let Some(column) = kind.confirmed else {
                continue;
            };
            let confirmed = confirmed_of(&record, column);
            let standing = a.review.standing(&confirmed);
            if standing == Standing::Current {
                continue;
            }
            let fact = Fact {
                record,
                confirmed,
                standing,
            };
            if kind.name == OFFERINGS.name {
                offerings.push(fact);
            } else if let Some(list) = fact.record.kommun.clone().and_then(|k| out.get_mut(&k)) {
                list.push(fact);
            }
        }
    }
    // Offerings in catalogue order, first in each kommun's list.
    offerings.sort_by_key(|f| a.programme_index(f.record.field("programme")));
    for (code, list) in &mut out {
        let mine: Vec<Fact> = offerings
            .iter()
            .filter(|f| f.record.kommun.as_deref() == Some(code.as_str()))
            .cloned()
            .collect();
        list.splice(0..0, mine);
    }
    Ok(out)
}

/// What the staleness watch lists for one person: the kommuner they may edit (a samordnare:
/// all), in Swedish alphabetical order, each with its due and undated facts.
pub struct Watch {
    pub kommuner: Vec<(usize, Vec<Fact>)>,
}

impl Watch {
    pub async fn of(store: &Store, a: &Atlas, account: &Account) -> Result<Watch, StoreError> {
        let mut all = facts(store, a).await?;
        let kommuner = crate::pages::layout::kommuner_by_name(a)
            .into_iter()
            .filter(|k| account.may_edit(Some(&a.kommuner()[*k].code)))
            .map(|k| (k, all.remove(&a.kommuner()[k].code).unwrap_or_default()))
            .collect();
        Ok(Watch { kommuner })
    }

    /// How many of the person's facts stand so, in all their kommuner.
    pub fn count(&self, standing: Standing) -> usize {
        self.kommuner
            .iter()
            .map(|(_, fs)| Watch::count_in(fs, standing))
            .sum()
    }

    /// How many of `facts` stand so.
    pub fn count_in(facts: &[Fact], standing: Standing) -> usize {
        facts.iter().filter(|f| f.standing == standing).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(s: &str) -> Confirmed {
        Confirmed::parse(s).unwrap()
    }

    #[test]
    fn exactly_the_period_is_not_yet_due_a_day_more_is() {
        let rule = Review::on(jiff::civil::date(2026, 12, 2), 18);
        assert_eq!(rule.before, PartialDate::Day(2025, 6, 2));
        assert_eq!(rule.standing(&c("2025-06-02")), Standing::Current);
        assert_eq!(rule.standing(&c("2025-06-01")), Standing::Due);
        assert_eq!(rule.standing(&c("2026-12-02")), Standing::Current);
    }

    #[test]
    fn a_partial_date_is_due_only_when_surely_before() {
        let rule = Review::on(jiff::civil::date(2026, 12, 2), 18);
        // June 2025 may be the 2nd or later: not surely more than 18 months ago.
        assert!(!rule.due(&c("2025-06")));
        assert!(rule.due(&c("2025-05")));
        assert!(!rule.due(&c("2025")));
        assert!(rule.due(&c("2024")));
        assert_eq!(rule.standing(&c("okänt")), Standing::Undated);
        assert!(!rule.due(&c("okänt")), "an unknown date is not due by date");
    }

    #[test]
    fn a_month_end_counts_back_to_the_shorter_months_end() {
        let rule = Review::on(jiff::civil::date(2026, 8, 31), 18);
        assert_eq!(rule.before, PartialDate::Day(2025, 2, 28));
        let rule = Review::on(jiff::civil::date(2025, 8, 31), 18);
        assert_eq!(rule.before, PartialDate::Day(2024, 2, 29), "a leap year");
        let rule = Review::on(jiff::civil::date(2026, 12, 2), 6);
        assert_eq!(rule.before, PartialDate::Day(2026, 6, 2));
    }

    #[test]
    fn a_period_beyond_the_calendar_makes_nothing_due() {
        let rule = Review::on(jiff::civil::date(2026, 12, 2), u16::MAX);
        assert!(!rule.due(&c("1900")));
        assert!(!rule.due(&c("2000-01-01")));
    }

    #[test]
    fn the_marker_names_the_month_in_swedish() {
        assert_eq!(
            due_label(&c("2023-03-15")),
            "mars 2023 – kan vara inaktuell"
        );
        assert_eq!(month_year(&c("2024-12")), "december 2024");
        assert_eq!(month_year(&c("2024-01-31")), "januari 2024");
        assert_eq!(month_year(&c("2024")), "2024");
        assert_eq!(month_year(&c("okänt")), "okänt");
        assert_eq!(
            due_label_in(Lang::En, &c("2023-03-15")),
            "March 2023 – may be out of date"
        );
        assert_eq!(month_year_in(Lang::En, &c("okänt")), "unknown");
    }
}
