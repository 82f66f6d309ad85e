//! Dates as precise as their source: a year, a month or a day, or explicitly unknown.

use std::fmt;

/// A date that says only as much as its source does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PartialDate {
    Year(u16),
    Month(u16, u8),
    Day(u16, u8, u8),
}

/// When a fact was last confirmed; `Unknown` where the source gives no date (shown as "okänt").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Confirmed {
    Unknown,
    On(PartialDate),
}

/// A period: one date, or from one date to another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: PartialDate,
    pub to: Option<PartialDate>,
}

impl PartialDate {
    pub fn parse(s: &str) -> Result<Self, String> {
        let bad = || format!("”{s}” är inget datum (skriv ÅÅÅÅ, ÅÅÅÅ-MM eller ÅÅÅÅ-MM-DD)");
        let parts: Vec<&str> = s.split('-').collect();
        let num = |p: &str, len: usize| -> Result<u32, String> {
            if p.len() == len && p.bytes().all(|b| b.is_ascii_digit()) {
                p.parse().map_err(|_| bad())
            } else {
                Err(bad())
            }
        };
        let year = num(parts[0], 4)? as u16;
        if !(1900..=2100).contains(&year) {
            return Err(format!("året {year} är orimligt (1900–2100)"));
        }
        match parts.len() {
            1 => Ok(PartialDate::Year(year)),
            2 | 3 => {
                let month = num(parts[1], 2)? as u8;
                if !(1..=12).contains(&month) {
                    return Err(format!("månaden {month} finns inte i ”{s}”"));
                }
                if parts.len() == 2 {
                    return Ok(PartialDate::Month(year, month));
                }
                let day = num(parts[2], 2)? as u8;
                if !day_exists(year, month, day) {
                    return Err(format!("dagen {day} finns inte i ”{s}”"));
                }
                Ok(PartialDate::Day(year, month, day))
            }
            _ => Err(bad()),
        }
    }

    /// Whether this date is surely before `other`, compared at the precision both have: "2023"
    /// is not before "2023-06-01" (it may be later in the year).
    pub fn before(&self, other: &PartialDate) -> bool {
        let parts = |d: &PartialDate| match *d {
            PartialDate::Year(y) => (y, None, None),
            PartialDate::Month(y, m) => (y, Some(m), None),
            PartialDate::Day(y, m, d) => (y, Some(m), Some(d)),
        };
        let ((y1, m1, d1), (y2, m2, d2)) = (parts(self), parts(other));
        if y1 != y2 {
            return y1 < y2;
        }
        match (m1, m2) {
            (Some(a), Some(b)) if a != b => a < b,
            (Some(_), Some(_)) => matches!((d1, d2), (Some(a), Some(b)) if a < b),
            _ => false,
        }
    }

    pub fn year(&self) -> u16 {
        match *self {
            PartialDate::Year(y) | PartialDate::Month(y, _) | PartialDate::Day(y, _, _) => y,
        }
    }
}

/// Whether the day is in the calendar (jiff knows the month lengths and leap years).
fn day_exists(year: u16, month: u8, day: u8) -> bool {
    let (Ok(y), Ok(m), Ok(d)) = (i16::try_from(year), i8::try_from(month), i8::try_from(day))
    else {
        return false;
    };
    jiff::civil::Date::new(y, m, d).is_ok()
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            PartialDate::Year(y) => write!(f, "{y:04}"),
            PartialDate::Month(y, m) => write!(f, "{y:04}-{m:02}"),
            PartialDate::Day(y, m, d) => write!(f, "{y:04}-{m:02}-{d:02}"),
        }
    }
}

impl Confirmed {
    pub fn parse(s: &str) -> Result<Self, String> {
        if s == "okänt" {
            Ok(Confirmed::Unknown)
        } else {
            PartialDate::parse(s).map(Confirmed::On)
        }
    }
}

impl fmt::Display for Confirmed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Confirmed::Unknown => f.write_str("okänt"),
            Confirmed::On(d) => d.fmt(f),
        }
    }
}

impl Period {
    pub fn parse(s: &str) -> Result<Self, String> {
        match s.split_once('/') {
            None => Ok(Period {
                from: PartialDate::parse(s)?,
                to: None,
            }),
            Some((a, b)) => {
                let (from, to) = (PartialDate::parse(a)?, PartialDate::parse(b)?);
                if to.year() < from.year() {
                    return Err(format!("perioden ”{s}” slutar före den börjar"));
                }
                Ok(Period { from, to: Some(to) })
            }
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.to {
            None => self.from.fmt(f),
            Some(to) => write!(f, "{}/{}", self.from, to),
        }
    }
}

/// Serialised as the text written in the data files, so the API round-trips them.
macro_rules! serialize_as_text {
    ($($t:ty),*) => {$(
        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }
    )*};
}
serialize_as_text!(PartialDate, Confirmed, Period);

/// Today's date in Sweden as `YYYY-MM-DD` (the time-zone database is built in, so this does not
/// depend on the machine's tzdata). Pages print it, so it is asked for per request: the answer is
/// kept for a minute.
pub fn today() -> String {
    use std::sync::Mutex;
    use std::time::{Duration, Instant};
    static KEPT: Mutex<Option<(Instant, String)>> = Mutex::new(None);
    let mut kept = KEPT
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some((at, day)) = kept.as_ref() {
        if at.elapsed() < Duration::from_secs(60) {
            return day.clone();
        }
    }
    let day = jiff::Timestamp::now()
        .to_zoned(sweden().clone())
        .date()
        .to_string();
    *kept = Some((Instant::now(), day.clone()));
    day
}

fn sweden() -> &'static jiff::tz::TimeZone {
    static TZ: std::sync::OnceLock<jiff::tz::TimeZone> = std::sync::OnceLock::new();
    TZ.get_or_init(|| {
        jiff::tz::TimeZone::get("Europe/Stockholm").unwrap_or(jiff::tz::TimeZone::UTC)
    })
}

/// Now, in Unix seconds: how the store keeps times.
pub fn now_seconds() -> i64 {
    jiff::Timestamp::now().as_second()
}

/// The first second of a day given as `YYYY-MM-DD`, in Sweden, in Unix seconds (where a period
/// of the history starts); None for anything else.
pub fn day_start(day: &str) -> Option<i64> {
    if day.len() != 10 {
        return None;
    }
    let date: jiff::civil::Date = day.parse().ok()?;
    let start = date.to_zoned(sweden().clone()).ok()?;
    Some(start.timestamp().as_second())
}

/// A stored time as people in Sweden read it: `2026-12-02 06:15`.
pub fn local_time(seconds: i64) -> String {
    match jiff::Timestamp::from_second(seconds) {
        Ok(t) => t
            .to_zoned(sweden().clone())
            .strftime("%Y-%m-%d %H:%M")
            .to_string(),
        Err(_) => seconds.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_partial_dates() {
        assert_eq!(PartialDate::parse("2015").unwrap(), PartialDate::Year(2015));
        assert_eq!(
            PartialDate::parse("2024-02").unwrap(),
            PartialDate::Month(2024, 2)
        );
        assert_eq!(
            PartialDate::parse("2024-02-29").unwrap(),
            PartialDate::Day(2024, 2, 29)
        );
        assert!(
            PartialDate::parse("2023-02-29")
                .unwrap_err()
                .contains("dagen 29")
        );
        assert!(
            PartialDate::parse("2024-13")
                .unwrap_err()
                .contains("månaden 13")
        );
        assert!(PartialDate::parse("1900-02-29").is_err());
        assert!(PartialDate::parse("2000-02-29").is_ok());
        assert!(PartialDate::parse("2024-04-31").is_err());
        assert!(PartialDate::parse("2024-04-00").is_err());
        assert!(PartialDate::parse("15-09-2015").is_err());
        assert!(PartialDate::parse("").is_err());
        assert!(PartialDate::parse("20x5").is_err());
        assert_eq!(Confirmed::parse("okänt").unwrap(), Confirmed::Unknown);
        assert_eq!(
            Confirmed::parse("2022-10-26").unwrap().to_string(),
            "2022-10-26"
        );
    }

    #[test]
    fn before_compares_at_the_shared_precision() {
        let d = |s| PartialDate::parse(s).unwrap();
        assert!(d("2015-09-08").before(&d("2023")));
        assert!(d("2022-10").before(&d("2023-01-01")));
        assert!(!d("2023").before(&d("2023-06-01")));
        assert!(!d("2023-06").before(&d("2023-06-15")));
        assert!(d("2023-06-14").before(&d("2023-06-15")));
        assert!(!d("2024").before(&d("2023")));
    }

    #[test]
    fn parses_periods() {
        let p = Period::parse("2023/2024").unwrap();
        assert_eq!(p.to_string(), "2023/2024");
        assert!(
            Period::parse("2024/2021")
                .unwrap_err()
                .contains("slutar före")
        );
        assert_eq!(Period::parse("2021").unwrap().to_string(), "2021");
    }

    #[test]
    fn today_is_an_iso_date() {
        let t = today();
        assert!(PartialDate::parse(&t).is_ok() && t.len() == 10, "{t}");
    }
}
