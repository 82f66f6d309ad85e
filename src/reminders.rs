//! E-mail reminders of the staleness watch: a redaktör (or samordnare) who asked for them on
//! /admin/konto gets, at most once per 30 days, a plain-text e-mail in Swedish listing the facts
//! of their kommuner that kan vara inaktuella, with links to the dashboard. Off unless an SMTP
//! server is set (`--smtp-url`, `--smtp-from`; the password only from `SKK_SMTP_PASSWORD`).
//! `skaraborgskartan remind` sends what is due once (for cron); `serve` does so daily.
//!
//! "At most once per 30 days" holds across processes: a reminder is claimed in the store (its
//! time set in one conditional UPDATE) before it is sent, and the claim is given back if the
//! server refuses it.

use std::fmt::Write;
use std::time::Duration;

use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sqlx::Row;

use crate::admin::desk::kinds;
use crate::atlas::Atlas;
use crate::auth::Account;
use crate::config::MailArgs;
use crate::review::{Standing, Watch, month_year};
use crate::store::{Store, StoreError};

/// The least time between two reminders to one person.
pub const INTERVAL: i64 = 30 * 24 * 3600;

/// The environment variable the SMTP password is read from (never a command-line argument:
/// those are visible to `ps`).
pub const PASSWORD_ENV: &str = "SKK_SMTP_PASSWORD";

/// An SMTP server and the sender the reminders come from.
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// Where it sends, for the log (no credentials).
    pub server: String,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer")
            .field("server", &self.server)
            .finish()
    }
}

impl Mailer {
    /// The mailer the settings describe; None when no SMTP server is set (reminders are off).
    pub fn from_args(args: &MailArgs) -> Result<Option<Mailer>, String> {
        let password = std::env::var(PASSWORD_ENV).ok().filter(|p| !p.is_empty());
        Mailer::new(args, password)
    }

    fn new(args: &MailArgs, password: Option<String>) -> Result<Option<Mailer>, String> {
        let Some(url) = args
            .smtp_url
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty())
        else {
            return Ok(None);
        };
        let bad = |m: &str| format!("--smtp-url (SKK_SMTP_URL): {m}");
        let (scheme, rest) = url
            .split_once("://")
            .ok_or_else(|| bad("skriv smtp://värd:port eller smtps://värd:port"))?;
        if !matches!(scheme, "smtp" | "smtps") {
            return Err(bad(&format!(
                "”{scheme}://” går inte; skriv smtp:// eller smtps://"
            )));
        }
        let (user, host) = match rest.rsplit_once('@') {
            Some((user, host)) => (Some(user), host),
            None => (None, rest),
        };
        if user.is_some_and(|u| u.contains(':')) {
            return Err(bad(&format!(
                "skriv inte lösenordet i adressen; ge det i miljövariabeln {PASSWORD_ENV}"
            )));
        }
        let user = user.map(percent_decode).transpose().map_err(|e| bad(&e))?;
        let mut builder =
            AsyncSmtpTransport::<Tokio1Executor>::from_url(&format!("{scheme}://{host}"))
                .map_err(|e| bad(&e.to_string()))?;
        match (user, password) {
            (Some(user), Some(password)) => {
                builder = builder.credentials(Credentials::new(user, password));
            }
            (Some(_), None) => {
                return Err(bad(&format!(
                    "användarnamnet behöver ett lösenord i miljövariabeln {PASSWORD_ENV}"
                )));
            }
            (None, Some(_)) => {
                return Err(bad(&format!(
                    "{PASSWORD_ENV} är satt men adressen har inget användarnamn (smtps://namn@värd)"
                )));
            }
            (None, None) => {}
        }
        let from = args
            .smtp_from
            .as_deref()
            .map(str::trim)
            .filter(|f| !f.is_empty())
            .ok_or("--smtp-from (SKK_SMTP_FROM) behövs med --smtp-url: avsändaren av påminnelserna, t.ex. \"Skaraborgskartan <karta@example.se>\"")?;
        let from: Mailbox = from.parse().map_err(|e| {
            format!("--smtp-from (SKK_SMTP_FROM): ”{from}” är ingen e-postadress ({e})")
        })?;
        Ok(Some(Mailer {
            transport: builder.timeout(Some(Duration::from_secs(30))).build(),
            from,
            server: format!("{scheme}://{host}"),
        }))
    }

    /// Sends one reminder.
    pub async fn send(&self, r: &Reminder) -> Result<(), String> {
        let to: Mailbox = format!("{} <{}>", r.name.replace(['<', '>', '"'], ""), r.email)
            .parse()
            .or_else(|_| r.email.parse())
            .map_err(|e| format!("”{}” är ingen e-postadress ({e})", r.email))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(&r.subject)
            .header(ContentType::TEXT_PLAIN)
            .body(r.body.clone())
            .map_err(|e| format!("e-postmeddelandet kunde inte skapas: {e}"))?;
        self.transport
            .send(message)
            .await
            .map(drop)
            .map_err(|e| format!("{}: {e}", self.server))
    }
}

/// `%40` → `@` in a URL's user name.
fn percent_decode(s: &str) -> Result<String, String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| format!("”{s}” har en felaktig %-kod"))?;
            out.push(hex);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| format!("”{s}” är inte UTF-8"))
}

/// One person's reminder, ready to send.
#[derive(Debug, Clone)]
pub struct Reminder {
    pub account: i64,
    pub email: String,
    pub name: String,
    /// How many facts it lists.
    pub due: usize,
    pub subject: String,
    pub body: String,
}

/// The reminder for `account` from what the watch lists for them; None when nothing of theirs
/// is due (then nothing is sent).
pub fn compose(a: &Atlas, account: &Account, watch: &Watch, public_url: &str) -> Option<Reminder> {
    let due = watch.count(Standing::Due);
    if due == 0 {
        return None;
    }
    let base = public_url.trim_end_matches('/');
    let dashboard = format!("{base}{}", crate::admin::stale::PATH);
    let rule = &a.review;
    let mut body = format!(
        "Hej {}!\n\n\
         Det här är en påminnelse från Skaraborgskartan. {} för {} har inte bekräftats på mer än {} månader \
         (senast bekräftad före {}) och kan vara {}. Allt visas fortfarande på kartan, \
         med en markering.\n\n\
         Bekräfta det som stämmer, eller ändra det som inte gör det:\n{dashboard}\n",
        account.name,
        if due == 1 {
            "1 uppgift".to_string()
        } else {
            format!("{due} uppgifter")
        },
        if account.role == crate::auth::Role::Samordnare {
            "regionens kommuner"
        } else {
            "dina kommuner"
        },
        rule.months,
        rule.before,
        if due == 1 { "inaktuell" } else { "inaktuella" },
    );
    for (k, facts) in &watch.kommuner {
        let facts: Vec<_> = facts
            .iter()
            .filter(|f| f.standing == Standing::Due)
            .collect();
        if facts.is_empty() {
            continue;
        }
        let kommun = &a.kommuner()[*k];
        let _ = write!(
            body,
            "\n{} ({}): {dashboard}#{}\n",
            kommun.name,
            facts.len(),
            crate::admin::stale::anchor(&kommun.code)
        );
        for f in facts {
            let r = &f.record;
            let _ = writeln!(
                body,
                "- {}: {} – senast bekräftad {}",
                kinds::record_title(a, r.kind.name, &r.key, r.kommun.as_deref()),
                crate::admin::stale::what(a, r),
                month_year(&f.confirmed)
            );
        }
    }
    let _ = writeln!(
        body,
        "\nDu får den här påminnelsen högst var 30:e dag, eftersom du har bett om den. \
         Stäng av den under Mitt konto: {base}/admin/konto#paminnelser"
    );
    let subject = match due {
        1 => "Skaraborgskartan: 1 uppgift kan vara inaktuell".to_string(),
        n => format!("Skaraborgskartan: {n} uppgifter kan vara inaktuella"),
    };
    Some(Reminder {
        account: account.id,
        email: account.email.clone(),
        name: account.name.clone(),
        due,
        subject,
        body,
    })
}

/// What one run did.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Sent (or, in a dry run, would be sent).
    pub sent: Vec<Reminder>,
    /// Refused by the SMTP server: to whom, and why (their claim was given back).
    pub failed: Vec<(String, String)>,
}

impl Outcome {
    /// The run in Swedish, as `remind` prints it.
    pub fn report(&self, dry_run: bool) -> String {
        let mut out = String::new();
        for r in &self.sent {
            if dry_run {
                let _ = writeln!(
                    out,
                    "Skulle skicka till {} ({} uppgifter):\nÄmne: {}\n\n{}",
                    r.email, r.due, r.subject, r.body
                );
            } else {
                let _ = writeln!(
                    out,
                    "Påminnelse skickad till {} ({} uppgifter).",
                    r.email, r.due
                );
            }
        }
        for (to, why) in &self.failed {
            let _ = writeln!(out, "Kunde inte skicka till {to}: {why}");
        }
        if self.sent.is_empty() && self.failed.is_empty() {
            out.push_str("Inga påminnelser att skicka.\n");
        }
        out
    }
}

/// Sends every reminder due at `now` (Unix seconds): to each active person who asked for them,
/// whose last one is at least 30 days old, and who has facts that kan vara inaktuella. In a dry
/// run nothing is sent or recorded (`mailer` may then be None).
pub async fn send_due(
    store: &Store,
    a: &Atlas,
    mailer: Option<&Mailer>,
    public_url: &str,
    now: i64,
    dry_run: bool,
) -> Result<Outcome, StoreError> {
    let mut outcome = Outcome::default();
    for id in store.reminders_due(now).await? {
        let Some(account) = store.account(id).await? else {
            continue;
        };
        let watch = Watch::of(store, a, &account).await?;
        let Some(reminder) = compose(a, &account, &watch, public_url) else {
            continue;
        };
        if dry_run {
            outcome.sent.push(reminder);
            continue;
        }
        let Some(mailer) = mailer else {
            continue;
        };
        // Claimed first: another process running at the same moment finds it taken.
        let Some(previous) = store.claim_reminder(id, now).await? else {
            continue;
        };
        match mailer.send(&reminder).await {
            Ok(()) => outcome.sent.push(reminder),
            Err(e) => {
                store.release_reminder(id, now, previous).await?;
                outcome.failed.push((reminder.email, e));
            }
        }
    }
    Ok(outcome)
}

impl Store {
    /// Whether the person asked for e-mail reminders (off until they do).
    pub async fn reminder_wanted(&self, account: i64) -> Result<bool, StoreError> {
        let row = sqlx::query("SELECT wanted FROM reminders WHERE account_id = $1")
            .bind(account)
            .fetch_optional(self.pool())
            .await?;
        Ok(row.is_some_and(|r| r.get::<i64, _>(0) != 0))
    }

    pub async fn set_reminder_wanted(&self, account: i64, wanted: bool) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO reminders (account_id, wanted) VALUES ($1, $2) \
             ON CONFLICT (account_id) DO UPDATE SET wanted = excluded.wanted",
        )
        .bind(account)
        .bind(i64::from(wanted))
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// When the person's last reminder was sent (Unix seconds), if ever.
    pub async fn last_reminded(&self, account: i64) -> Result<Option<i64>, StoreError> {
        let row = sqlx::query("SELECT last_sent FROM reminders WHERE account_id = $1")
            .bind(account)
            .fetch_optional(self.pool())
            .await?;
        Ok(row.and_then(|r| r.get::<Option<i64>, _>(0)))
    }

    /// The active accounts that asked for reminders and had none in the 30 days before `now`.
    async fn reminders_due(&self, now: i64) -> Result<Vec<i64>, StoreError> {
        let rows = sqlx::query(
            "SELECT r.account_id FROM reminders r JOIN accounts a ON a.id = r.account_id \
             WHERE r.wanted = 1 AND a.active = 1 AND (r.last_sent IS NULL OR r.last_sent <= $1) \
             ORDER BY r.account_id",
        )
        .bind(now - INTERVAL)
        .fetch_all(self.pool())
        .await?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    /// Takes the person's reminder for `now` if none was sent in the 30 days before: returns the
    /// time it replaces (`Some(None)`: never sent before), or None if it was taken.
    async fn claim_reminder(
        &self,
        account: i64,
        now: i64,
    ) -> Result<Option<Option<i64>>, StoreError> {
        let mut tx = self.begin().await?;
        let row = sqlx::query(
            "SELECT last_sent FROM reminders WHERE account_id = $1 AND wanted = 1 \
             AND (last_sent IS NULL OR last_sent <= $2)",
        )
        .bind(account)
        .bind(now - INTERVAL)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let previous: Option<i64> = row.get(0);
        sqlx::query("UPDATE reminders SET last_sent = $1 WHERE account_id = $2")
            .bind(now)
            .bind(account)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Some(previous))
    }

    /// Gives back a claim whose e-mail was not sent.
    async fn release_reminder(
        &self,
        account: i64,
        claimed: i64,
        previous: Option<i64>,
    ) -> Result<(), StoreError> {
        sqlx::query("UPDATE reminders SET last_sent = $1 WHERE account_id = $2 AND last_sent = $3")
            .bind(previous)
            .bind(account)
            .bind(claimed)
            .execute(self.pool())
            .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(url: &str) -> MailArgs {
        MailArgs {
            smtp_url: Some(url.into()),
            smtp_from: Some("Skaraborgskartan <karta@example.se>".into()),
        }
    }

    #[test]
    fn no_url_means_no_mail() {
        assert!(Mailer::new(&MailArgs::default(), None).unwrap().is_none());
    }

    #[test]
    fn settings_are_checked_with_swedish_messages() {
        let err = |a: &MailArgs, p: Option<&str>| Mailer::new(a, p.map(String::from)).unwrap_err();
        assert!(err(&args("http://x"), None).contains("smtp://"));
        assert!(err(&args("smtp://u:hemligt@x"), None).contains(PASSWORD_ENV));
        assert!(err(&args("smtps://u@x"), None).contains("lösenord"));
        assert!(err(&args("smtp://x"), Some("p")).contains("användarnamn"));
        let no_from = MailArgs {
            smtp_from: None,
            ..args("smtp://127.0.0.1:2525")
        };
        assert!(err(&no_from, None).contains("--smtp-from"));
        let bad_from = MailArgs {
            smtp_from: Some("inte en adress".into()),
            ..args("smtp://127.0.0.1:2525")
        };
        assert!(err(&bad_from, None).contains("ingen e-postadress"));
    }

    #[test]
    fn good_settings_make_a_mailer() {
        let m = Mailer::new(&args("smtp://127.0.0.1:2525"), None)
            .unwrap()
            .unwrap();
        assert_eq!(m.server, "smtp://127.0.0.1:2525");
        let m = Mailer::new(
            &args("smtps://karta%40example.se@smtp.example.se"),
            Some("p".into()),
        )
        .unwrap()
        .unwrap();
        assert_eq!(
            m.server, "smtps://smtp.example.se",
            "no user name in the log"
        );
        assert_eq!(
            percent_decode("karta%40example.se").unwrap(),
            "karta@example.se"
        );
        assert!(percent_decode("a%4").is_err());
    }
}
