//! The command-line tasks that work on the store: inviting people, writing the data back out,
//! backing up.

use std::collections::BTreeSet;
use std::path::Path;

use crate::auth::Role;
use crate::store::Store;

/// Opens an existing store (these commands never seed one).
async fn open(state: &Path) -> Result<Store, String> {
    if !state.join(crate::store::FILE).exists() {
        return Err(format!(
            "Det finns inget lager i {} (starta tjänsten en gång, eller ange --state).",
            state.display()
        ));
    }
    Store::open(state).await.map_err(|e| e.to_string())
}

/// `user add`: creates the account and prints its one-time invitation link.
pub async fn user_add(
    state: &Path,
    role: &str,
    kommuner: &[String],
    name: Option<&str>,
    email: &str,
) -> Result<String, String> {
    let role = Role::parse(role)?;
    let store = open(state).await?;
    let files = store.files().await.map_err(|e| e.to_string())?;
    let inventory =
        crate::inventory::load_from(&files, None, None).map_err(|p| crate::server::report(&p))?;
    let mut codes = BTreeSet::new();
    for k in kommuner {
        let b = inventory
            .boundaries
            .iter()
            .find(|b| b.code == k.trim() || b.name.eq_ignore_ascii_case(k.trim()));
        match b {
            Some(b) => codes.insert(b.code.clone()),
            None => return Err(format!("--kommun: ”{k}” är ingen kommun i regionen")),
        };
    }
    match (role, codes.is_empty()) {
        (Role::Redaktor, true) => {
            return Err("en redaktör behöver minst en kommun: --kommun 1498".into());
        }
        (Role::Samordnare, false) => {
            return Err("en samordnare gäller hela regionen: ange ingen --kommun".into());
        }
        _ => {}
    }
    let email = crate::auth::accounts::normalise_email(email)?;
    let (_, token) = store
        .invite(&email, name.unwrap_or(&email), role, &codes)
        .await
        .map_err(|e| e.to_string())?;
    let base = std::env::var("SKK_PUBLIC_URL").unwrap_or_else(|_| "http://127.0.0.1:8080".into());
    let scope = if codes.is_empty() {
        "hela regionen".to_string()
    } else {
        codes.into_iter().collect::<Vec<_>>().join(", ")
    };
    Ok(format!(
        "Kontot {email} ({}, {scope}) är skapat.\nInbjudan (gäller i 7 dagar, en gång):\n{}/admin/inbjudan/{token}\n",
        role.label(),
        base.trim_end_matches('/')
    ))
}

/// `export-data DIR`: the store's data in the data-directory format.
pub async fn export_data(state: &Path, dir: &Path) -> Result<String, String> {
    let store = open(state).await?;
    let files = store.files().await.map_err(|e| e.to_string())?;
    let written = crate::store::export::write(&files, dir)?;
    Ok(format!("{written} filer skrivna till {}.\n", dir.display()))
}

/// `backup FILE`: an online copy of the whole store.
pub async fn backup(state: &Path, file: &Path) -> Result<String, String> {
    let store = open(state).await?;
    store.backup(file).await.map_err(|e| e.to_string())?;
    Ok(format!(
        "Säkerhetskopian {} är skriven. Återställ genom att lägga den som {} i en tom katalog och starta med --state den katalogen.\n",
        file.display(),
        crate::store::FILE
    ))
}

/// `remind`: sends the e-mail reminders that are due, once (for cron); `--dry-run` prints them.
pub async fn remind(
    state: &Path,
    region: Option<&str>,
    public_url: &str,
    mail: &crate::config::MailArgs,
    dry_run: bool,
) -> Result<String, String> {
    let mailer = crate::reminders::Mailer::from_args(mail)?;
    if mailer.is_none() && !dry_run {
        return Err(
            "Ingen e-postserver är inställd: ange --smtp-url och --smtp-from (eller SKK_SMTP_URL och SKK_SMTP_FROM), eller --dry-run för att se vad som skulle skickas."
                .into(),
        );
    }
    let store = open(state).await?;
    let atlas = crate::server::build_from_store(&store, region).await?;
    let outcome = crate::reminders::send_due(
        &store,
        &atlas,
        mailer.as_ref(),
        public_url,
        crate::dates::now_seconds(),
        dry_run,
    )
    .await
    .map_err(|e| e.to_string())?;
    let report = outcome.report(dry_run);
    if outcome.failed.is_empty() {
        Ok(report)
    } else {
        Err(report)
    }
}
