//! Reports from visitors ("Rapportera fel eller komplettera"): what someone says is wrong or
//! missing, about a kommun, a programme or the service's accessibility, with an optional source
//! and e-mail address. They wait in the coordinator's queue (`/admin/rapporter`) until handled
//! and are never published: no page, API, export or OGC collection reads this table.
//!
//! What a report may hold is checked here (plain functions); the form and the queue only say
//! the problems in their language. Personal data is kept short: the e-mail address is deleted
//! when the report is handled, and at the latest [`EMAIL_KEPT`] after it came; a handled report
//! is deleted [`HANDLED_KEPT`] after it was handled ([`Store::purge_reports`], run daily).

use sqlx::Row;
use sqlx::sqlite::SqliteRow;

use super::{Scope, Store, StoreError};
use crate::lang::Lang;

/// The most characters of a report's text.
pub const MESSAGE_MAX: usize = 2000;
/// The most characters of its source (a web address or a document's name).
pub const SOURCE_MAX: usize = 500;
/// The most characters of the coordinator's note when handling it.
pub const NOTE_MAX: usize = 1000;
/// An e-mail address is deleted at the latest this long (seconds) after its report came.
pub const EMAIL_KEPT: i64 = 365 * 24 * 3600;
/// A handled report is deleted this long (seconds) after it was handled.
pub const HANDLED_KEPT: i64 = 2 * 365 * 24 * 3600;
/// The most handled reports the queue lists.
pub const HANDLED_LISTED: i64 = 50;

/// What a report is about besides its kommun and programme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Topic {
    /// The facts on the pages.
    Data,
    /// The service's accessibility (the feedback path of the accessibility statement).
    Accessibility,
}

impl Topic {
    pub fn code(self) -> &'static str {
        match self {
            Topic::Data => "data",
            Topic::Accessibility => "accessibility",
        }
    }

    pub fn parse(code: &str) -> Option<Topic> {
        match code {
            "data" => Some(Topic::Data),
            "accessibility" => Some(Topic::Accessibility),
            _ => None,
        }
    }
}

/// A field of the report form (and the queue's note), for problems.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Message,
    Source,
    Email,
    Note,
}

impl Field {
    /// The form field's name.
    pub fn name(self) -> &'static str {
        match self {
            Field::Message => "text",
            Field::Source => "source",
            Field::Email => "email",
            Field::Note => "note",
        }
    }
}

/// What is wrong with a field's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    Missing,
    TooLong {
        max: usize,
        got: usize,
    },
    /// A control character (other than a line break or tab in a text of several lines), or a
    /// character that reverses the direction of text (which can make a text read as another).
    Control,
    Email,
}

/// A report as sent, checked and tidied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReport {
    pub kommun: Option<String>,
    pub programme: Option<String>,
    pub topic: Topic,
    pub lang: Lang,
    pub message: String,
    pub source: String,
    pub email: Option<String>,
}

/// What the form sent, before it is checked.
#[derive(Debug, Clone, Copy)]
pub struct Sent<'a> {
    pub message: &'a str,
    pub source: &'a str,
    pub email: &'a str,
}

impl NewReport {
    /// Checks what was sent; every problem, by field.
    pub fn check(
        kommun: Option<String>,
        programme: Option<String>,
        topic: Topic,
        lang: Lang,
        sent: Sent,
    ) -> Result<NewReport, Vec<(Field, Problem)>> {
        let mut problems = Vec::new();
        let message = tidy(sent.message);
        let source = tidy(sent.source);
        let email = sent.email.trim();
        if let Err(p) = check_text(&message, MESSAGE_MAX, true, true) {
            problems.push((Field::Message, p));
        }
        if let Err(p) = check_text(&source, SOURCE_MAX, false, false) {
            problems.push((Field::Source, p));
        }
        let email = match email {
            "" => None,
            e => match crate::auth::accounts::normalise_email(e) {
                Ok(e) if host_like(&e) => Some(e),
                _ => {
                    problems.push((Field::Email, Problem::Email));
                    None
                }
            },
        };
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(NewReport {
            kommun,
            programme,
            topic,
            lang,
            message,
            source,
            email,
        })
    }
}

/// Whether an address's part after its one `@` is a host name (letters, digits, dots and
/// hyphens), so that it stands in a `mailto:` link as an address and nothing more (no `?cc=`).
fn host_like(email: &str) -> bool {
    let mut parts = email.split('@');
    let (Some(_), Some(host), None) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    host.chars()
        .all(|c| c.is_alphanumeric() || c == '.' || c == '-')
}

/// Text as a person typed it, tidied: line breaks as `\n` (a browser sends `\r\n`), no space
/// around it.
pub fn tidy(text: &str) -> String {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .trim()
        .to_string()
}

/// Checks a tidied text: present when `required`, at most `max` characters, no control
/// characters (a line break and a tab only where `lines` allows several lines).
pub fn check_text(text: &str, max: usize, lines: bool, required: bool) -> Result<(), Problem> {
    let got = text.chars().count();
    if required && got == 0 {
        return Err(Problem::Missing);
    }
    if got > max {
        return Err(Problem::TooLong { max, got });
    }
    let allowed = |c: char| lines && (c == '\n' || c == '\t');
    let bidi = |c: char| matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
    if text
        .chars()
        .any(|c| (c.is_control() && !allowed(c)) || bidi(c))
    {
        return Err(Problem::Control);
    }
    Ok(())
}

/// A report in the queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub id: i64,
    /// Unix seconds.
    pub at: i64,
    /// What was sent (its e-mail address None once deleted).
    pub content: NewReport,
    pub handled: Option<Handled>,
}

/// Who marked a report handled, when (Unix seconds), and their note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handled {
    pub at: i64,
    pub by: Option<i64>,
    pub note: String,
}

/// Which part of the queue to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Queue {
    /// Not handled yet, oldest first.
    Waiting,
    /// Handled, the latest [`HANDLED_LISTED`] first.
    Handled,
}

const COLUMNS: &str = "id, at, kommun, programme, topic, lang, message, source, email, \
    handled_at, handled_by, note";

fn from_row(r: &SqliteRow) -> Report {
    let topic: String = r.get("topic");
    let lang: String = r.get("lang");
    Report {
        id: r.get("id"),
        at: r.get("at"),
        content: NewReport {
            kommun: r.get("kommun"),
            programme: r.get("programme"),
            topic: Topic::parse(&topic).unwrap_or(Topic::Data),
            lang: if lang == "en" { Lang::En } else { Lang::Sv },
            message: r.get("message"),
            source: r.get("source"),
            email: r.get("email"),
        },
        handled: r.get::<Option<i64>, _>("handled_at").map(|at| Handled {
            at,
            by: r.get("handled_by"),
            note: r.get("note"),
        }),
    }
}

/// The condition (with `$1…`) and values that keep the reports a scope may see: a redaktör's
/// kommuner; reports about no kommun only for the whole region.
fn visible(scope: &Scope) -> (String, Vec<String>) {
    match scope {
        Scope::Region => ("1 = 1".into(), Vec::new()),
        Scope::Kommuner(set) if set.is_empty() => ("1 = 0".into(), Vec::new()),
        Scope::Kommuner(set) => {
            let places: Vec<String> = (1..=set.len()).map(|i| format!("${i}")).collect();
            (
                format!("kommun IN ({})", places.join(", ")),
                set.iter().cloned().collect(),
            )
        }
    }
}

impl Store {
    /// Stores a report in one transaction; its id. When this returns, the report is on disk.
    pub async fn add_report(&self, r: &NewReport, at: i64) -> Result<i64, StoreError> {
        let mut tx = self.begin().await?;
        let id: i64 = sqlx::query("SELECT COALESCE(MAX(id), 0) + 1 FROM reports")
            .fetch_one(&mut *tx)
            .await?
            .get(0);
        sqlx::query(
            "INSERT INTO reports (id, at, kommun, programme, topic, lang, message, source, email) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(id)
        .bind(at)
        .bind(&r.kommun)
        .bind(&r.programme)
        .bind(r.topic.code())
        .bind(r.lang.code())
        .bind(&r.message)
        .bind(&r.source)
        .bind(&r.email)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The reports of one part of the queue that `scope` may see.
    pub async fn reports(&self, scope: &Scope, queue: Queue) -> Result<Vec<Report>, StoreError> {
        let (condition, binds) = visible(scope);
        let sql = match queue {
            Queue::Waiting => format!(
                "SELECT {COLUMNS} FROM reports WHERE handled_at IS NULL AND {condition} ORDER BY id"
            ),
            Queue::Handled => format!(
                "SELECT {COLUMNS} FROM reports WHERE handled_at IS NOT NULL AND {condition} \
                 ORDER BY handled_at DESC, id DESC LIMIT {HANDLED_LISTED}"
            ),
        };
        let mut q = sqlx::query(&sql);
        for b in binds {
            q = q.bind(b);
        }
        Ok(q.fetch_all(self.pool())
            .await?
            .iter()
            .map(from_row)
            .collect())
    }

    /// How many reports `scope` may see wait to be handled.
    pub async fn waiting_reports(&self, scope: &Scope) -> Result<i64, StoreError> {
        let (condition, binds) = visible(scope);
        let sql = format!("SELECT COUNT(*) FROM reports WHERE handled_at IS NULL AND {condition}");
        let mut q = sqlx::query(&sql);
        for b in binds {
            q = q.bind(b);
        }
        Ok(q.fetch_one(self.pool()).await?.get(0))
    }

    pub async fn report(&self, id: i64) -> Result<Option<Report>, StoreError> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM reports WHERE id = $1"))
            .bind(id)
            .fetch_optional(self.pool())
            .await?;
        Ok(row.as_ref().map(from_row))
    }

    /// Marks a report handled by `account`, with a note, and deletes its e-mail address, in one
    /// statement; false if it was already handled (or does not exist).
    pub async fn handle_report(
        &self,
        id: i64,
        account: i64,
        note: &str,
        at: i64,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin().await?;
        let done = sqlx::query(
            "UPDATE reports SET handled_at = $1, handled_by = $2, note = $3, email = NULL \
             WHERE id = $4 AND handled_at IS NULL",
        )
        .bind(at)
        .bind(account)
        .bind(note)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(done.rows_affected() == 1)
    }

    /// Deletes what is kept no longer: e-mail addresses of reports that came more than
    /// [`EMAIL_KEPT`] before `now`, and reports handled more than [`HANDLED_KEPT`] before it.
    /// Returns (addresses deleted, reports deleted).
    pub async fn purge_reports(&self, now: i64) -> Result<(u64, u64), StoreError> {
        let mut tx = self.begin().await?;
        let emails =
            sqlx::query("UPDATE reports SET email = NULL WHERE email IS NOT NULL AND at < $1")
                .bind(now - EMAIL_KEPT)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        let reports = sqlx::query("DELETE FROM reports WHERE handled_at < $1")
            .bind(now - HANDLED_KEPT)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        tx.commit().await?;
        Ok((emails, reports))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sent<'a>(message: &'a str, source: &'a str, email: &'a str) -> Sent<'a> {
        Sent {
            message,
            source,
            email,
        }
    }

    fn check(s: Sent) -> Result<NewReport, Vec<(Field, Problem)>> {
        NewReport::check(Some("1472".into()), None, Topic::Data, Lang::Sv, s)
    }

    #[test]
    fn a_report_is_tidied() {
        let r = check(sent(
            "  Fel tid.\r\nRätt: tisdagar.\r ",
            " https://x.se ",
            " A@B.SE ",
        ))
        .unwrap();
        assert_eq!(r.message, "Fel tid.\nRätt: tisdagar.");
        assert_eq!(r.source, "https://x.se");
        assert_eq!(r.email.as_deref(), Some("a@b.se"));
        let r = check(sent("Saknas", "", "")).unwrap();
        assert_eq!((r.source.as_str(), r.email), ("", None));
    }

    #[test]
    fn every_problem_is_named_by_field() {
        let long = "å".repeat(MESSAGE_MAX + 1);
        let problems = check(sent(&long, "a\nb", "inte en adress")).unwrap_err();
        assert_eq!(
            problems,
            [
                (
                    Field::Message,
                    Problem::TooLong {
                        max: MESSAGE_MAX,
                        got: MESSAGE_MAX + 1
                    }
                ),
                (Field::Source, Problem::Control),
                (Field::Email, Problem::Email),
            ]
        );
        assert_eq!(
            check(sent(" \r\n ", "", "")).unwrap_err(),
            [(Field::Message, Problem::Missing)]
        );
        for bad in ["a@b.se?cc=x@y.se", "a@b@c.se", "a@b.se/x"] {
            assert_eq!(
                check(sent("x", "", bad)).unwrap_err(),
                [(Field::Email, Problem::Email)],
                "{bad}"
            );
        }
        assert!(check(sent("x", "", "anna@höör.se")).is_ok());
        // Exactly the maximum, counted in characters (not bytes), is fine.
        assert!(check(sent(&"ö".repeat(MESSAGE_MAX), "", "")).is_ok());
    }

    #[test]
    fn control_and_direction_characters_are_refused() {
        for bad in [
            "a\u{0}b",
            "a\u{7}b",
            "a\u{1b}[31mb",
            "abc\u{202E}fdp.exe",
            "a\u{2066}b",
        ] {
            assert_eq!(
                check_text(bad, 100, true, true),
                Err(Problem::Control),
                "{bad:?}"
            );
        }
        assert_eq!(check_text("rad 1\n\trad 2", 100, true, true), Ok(()));
        assert_eq!(check_text("a\tb", 100, false, false), Err(Problem::Control));
        // What looks like a formula or markup is text like any other.
        assert_eq!(
            check_text("=HYPERLINK(\"x\")<script>", 100, false, true),
            Ok(())
        );
    }

    #[test]
    fn a_redaktor_sees_only_their_kommuner() {
        let (c, b) = visible(&Scope::Kommuner(["1472".into(), "1447".into()].into()));
        assert_eq!(c, "kommun IN ($1, $2)");
        assert_eq!(b, ["1447", "1472"]);
        assert_eq!(visible(&Scope::Kommuner(Default::default())).0, "1 = 0");
        assert_eq!(visible(&Scope::Region).0, "1 = 1");
    }
}
