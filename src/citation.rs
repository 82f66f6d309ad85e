//! Citations: how a record's `source` reads to people and to programs. Every surface (pages,
//! API, exports, the desk) resolves a source by the one rule here:
//!
//! - A source is a **reference** to `sources.csv` when every `;`-separated part of it is an id
//!   (`[a-z0-9-]+`): each part is that row's citation ("Skövde kommun: Marte Meo-metoden på
//!   Lundvivegården (webbsida, odaterad, läst december 2026)"). The shipped data cites this way.
//! - Otherwise it is one source as a person typed it on the desk or in an import: a web address
//!   (`https://…`, perhaps followed by words) whose address equals a row's `url` (a trailing `/`
//!   aside) gets that row's citation; another address is named by its host; anything else is
//!   free text, shown as written.
//!
//! [`Bibliography::problem`] is the loader's check of a source: an id-like part that is not in
//! `sources.csv` is refused, and so is the project's old internal label `seed:` anywhere.

use std::collections::HashMap;

use serde_json::{Value, json};

use crate::dates::{Confirmed, PartialDate};
use crate::inventory::SourceEntry;
use crate::lang::Lang;

/// The rows of `sources.csv`, found by id and by address.
#[derive(Debug, Clone, Default)]
pub struct Bibliography {
    entries: Vec<SourceEntry>,
    by_id: HashMap<String, usize>,
    by_url: HashMap<String, usize>,
}

/// One source a record cites, resolved.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Citation<'a> {
    /// A row of `sources.csv`.
    Listed(&'a SourceEntry),
    /// A web address not in `sources.csv` (named by its host), and any words after it.
    Address { url: &'a str, rest: &'a str },
    /// Free text (a document's name as a person typed it).
    Text(&'a str),
}

/// Whether a part of a reference is written like an id of `sources.csv`.
pub fn is_id(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// The ids of a source written as a reference (None: the source is an address or free text).
pub fn ids(source: &str) -> Option<Vec<&str>> {
    let parts: Vec<&str> = source.split(';').map(str::trim).collect();
    parts.iter().all(|p| is_id(p)).then_some(parts)
}

/// An address without its trailing `/`, as addresses are compared.
fn address_key(url: &str) -> &str {
    url.trim_end_matches('/')
}

fn is_address(s: &str) -> bool {
    s.starts_with("https://") || s.starts_with("http://")
}

/// The host of a URL (the link text of an address not in `sources.csv`).
pub fn host(url: &str) -> &str {
    url.split("://")
        .nth(1)
        .and_then(|r| r.split(['/', '?', '#']).next())
        .unwrap_or(url)
}

impl Bibliography {
    pub fn new(entries: Vec<SourceEntry>) -> Bibliography {
        let by_id = entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.id.clone(), i))
            .collect();
        let by_url = entries
            .iter()
            .enumerate()
            .filter(|(_, e)| !e.url.is_empty())
            .map(|(i, e)| (address_key(&e.url).to_string(), i))
            .collect();
        Bibliography {
            entries,
            by_id,
            by_url,
        }
    }

    /// Every row, in file order.
    pub fn entries(&self) -> &[SourceEntry] {
        &self.entries
    }

    pub fn get(&self, id: &str) -> Option<&SourceEntry> {
        self.by_id.get(id).map(|i| &self.entries[*i])
    }

    /// The row with this address, if any.
    pub fn by_url(&self, url: &str) -> Option<&SourceEntry> {
        self.by_url.get(address_key(url)).map(|i| &self.entries[*i])
    }

    /// A source resolved by the rule in the module doc: one citation per id, or one for the
    /// address or text (none for an empty source).
    pub fn cite<'a>(&'a self, source: &'a str) -> Vec<Citation<'a>> {
        let source = source.trim();
        if source.is_empty() {
            return Vec::new();
        }
        if let Some(ids) = ids(source) {
            // The loader has refused unknown ids; one met here (a check skipped) reads as text.
            return ids
                .into_iter()
                .map(|id| self.get(id).map_or(Citation::Text(id), Citation::Listed))
                .collect();
        }
        if is_address(source) {
            let (url, rest) = source
                .split_once(char::is_whitespace)
                .unwrap_or((source, ""));
            return vec![match self.by_url(url) {
                Some(e) if rest.trim().is_empty() => Citation::Listed(e),
                _ => Citation::Address {
                    url,
                    rest: rest.trim(),
                },
            }];
        }
        vec![Citation::Text(source)]
    }

    /// What is wrong with a source (Swedish, for the loader and the importer); None: nothing.
    pub fn problem(&self, source: &str) -> Option<String> {
        if source.contains("seed:") {
            return Some(
                "”seed:” är en intern beteckning, ingen källa: ange källans id ur sources.csv \
                 (t.ex. vs-slutrapport-2024), en webbadress eller dokumentets namn"
                    .into(),
            );
        }
        let unknown: Vec<&str> = ids(source.trim())?
            .into_iter()
            .filter(|id| self.get(id).is_none())
            .collect();
        match unknown.as_slice() {
            [] => None,
            [id] => Some(format!(
                "okänd källa ”{id}”: ange ett id ur sources.csv, en webbadress (https://…) eller \
                 en beskrivning med mellanslag"
            )),
            ids => Some(format!(
                "okända källor {}: ange id ur sources.csv",
                ids.iter()
                    .map(|i| format!("”{i}”"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }

    /// The citations of a source as one line of text ("A; B").
    pub fn text(&self, source: &str, lang: Lang) -> String {
        self.cite(source)
            .iter()
            .map(|c| c.text(lang))
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// The first web address a source's citations have ("" when none).
    pub fn first_url<'a>(&'a self, source: &'a str) -> &'a str {
        self.cite(source)
            .iter()
            .find_map(Citation::url)
            .unwrap_or("")
    }

    /// The citations of a source as the API gives them.
    pub fn json(&self, source: &str) -> Value {
        json!(
            self.cite(source)
                .iter()
                .map(Citation::json)
                .collect::<Vec<_>>()
        )
    }
}

/// "december 2026" / "December 2026"; a year as it is.
fn month_year(d: &PartialDate, lang: Lang) -> String {
    crate::review::month_year_in(lang, &Confirmed::On(*d))
}

impl SourceEntry {
    /// What the brackets of a citation say: kind, date ("odaterad" when the source has none; a
    /// whole website has no date to speak of) and when a web page was read.
    pub fn details(&self, lang: Lang) -> String {
        let mut parts = vec![self.kind.label_in(lang).to_string()];
        match self.date {
            Confirmed::On(d) => parts.push(d.to_string()),
            Confirmed::Unknown if self.kind != crate::vocabulary::SourceKind::Website => {
                parts.push(lang.pick("odaterad", "undated").into());
            }
            Confirmed::Unknown => {}
        }
        if let Some(a) = &self.accessed {
            parts.push(format!(
                "{} {}",
                lang.pick("läst", "read"),
                month_year(a, lang)
            ));
        }
        parts.join(", ")
    }
}

impl<'a> Citation<'a> {
    pub fn id(&self) -> Option<&'a str> {
        match self {
            Citation::Listed(e) => Some(&e.id),
            _ => None,
        }
    }

    pub fn url(&self) -> Option<&'a str> {
        match self {
            Citation::Listed(e) => (!e.url.is_empty()).then_some(e.url.as_str()),
            Citation::Address { url, .. } => Some(url),
            Citation::Text(_) => None,
        }
    }

    /// The citation as one line: "Publisher: Title (kind, date, read month)", a host, or the
    /// text as written.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            Citation::Listed(e) => format!("{}: {} ({})", e.publisher, e.title, e.details(lang)),
            Citation::Address { url, rest: "" } => host(url).to_string(),
            Citation::Address { url, rest } => format!("{} {rest}", host(url)),
            Citation::Text(t) => t.to_string(),
        }
    }

    /// The API's citation object; the parts a citation does not have are null.
    pub fn json(&self) -> Value {
        let text = self.text(Lang::Sv);
        match self {
            Citation::Listed(e) => json!({
                "id": e.id, "text": text, "title": e.title, "publisher": e.publisher,
                "kind": e.kind, "date": e.date, "accessed": e.accessed,
                "url": (!e.url.is_empty()).then_some(&e.url),
            }),
            Citation::Address { url, .. } => json!({
                "id": null, "text": text, "title": null, "publisher": host(url),
                "kind": null, "date": null, "accessed": null, "url": url,
            }),
            Citation::Text(t) => json!({
                "id": null, "text": text, "title": t, "publisher": null,
                "kind": null, "date": null, "accessed": null, "url": null,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocabulary::SourceKind;

    fn entry(id: &str, url: &str, kind: SourceKind, date: &str, accessed: &str) -> SourceEntry {
        SourceEntry {
            id: id.into(),
            title: "Marte Meo-metoden på Lundvivegården".into(),
            publisher: "Skövde kommun".into(),
            kind,
            date: Confirmed::parse(date).unwrap(),
            url: url.into(),
            accessed: (!accessed.is_empty()).then(|| PartialDate::parse(accessed).unwrap()),
            note: String::new(),
        }
    }

    fn bibliography() -> Bibliography {
        Bibliography::new(vec![
            entry(
                "skovde-marte-meo",
                "https://skovde.se/marte-meo/",
                SourceKind::Webpage,
                "okänt",
                "2026-12",
            ),
            entry("rapport-2024", "", SourceKind::Report, "2024", ""),
        ])
    }

    #[test]
    fn ids_read_as_their_rows() {
        let b = bibliography();
        let c = b.cite("skovde-marte-meo");
        assert_eq!(c.len(), 1);
        assert_eq!(
            c[0].text(Lang::Sv),
            "Skövde kommun: Marte Meo-metoden på Lundvivegården (webbsida, odaterad, läst december 2026)"
        );
        assert_eq!(
            c[0].text(Lang::En),
            "Skövde kommun: Marte Meo-metoden på Lundvivegården (web page, undated, read December 2026)"
        );
        assert_eq!(c[0].url(), Some("https://skovde.se/marte-meo/"));
        let two = b.cite("skovde-marte-meo; rapport-2024");
        assert_eq!(two.len(), 2);
        assert_eq!(two[1].url(), None);
        assert!(two[1].text(Lang::Sv).ends_with("(rapport, 2024)"));
    }

    #[test]
    fn an_address_in_the_table_gets_its_row_another_its_host_and_text_stays() {
        let b = bibliography();
        // A trailing slash aside.
        assert_eq!(
            b.cite("https://skovde.se/marte-meo")[0].id(),
            Some("skovde-marte-meo")
        );
        let other = b.cite("https://www.tibro.se/sida?x=1");
        assert_eq!(other[0].text(Lang::Sv), "www.tibro.se");
        assert_eq!(other[0].url(), Some("https://www.tibro.se/sida?x=1"));
        let with_words = b.cite("https://www.tibro.se/a se avsnitt 2");
        assert_eq!(with_words[0].text(Lang::Sv), "www.tibro.se se avsnitt 2");
        let text = b.cite("Kommunens svar i uppföljningen 2024");
        assert_eq!(
            text,
            vec![Citation::Text("Kommunens svar i uppföljningen 2024")]
        );
        assert!(b.cite("  ").is_empty());
        assert_eq!(
            b.first_url("rapport-2024;skovde-marte-meo"),
            "https://skovde.se/marte-meo/"
        );
    }

    #[test]
    fn seed_labels_and_unknown_ids_are_refused() {
        let b = bibliography();
        assert!(
            b.problem("seed:003 (Slutrapport)")
                .unwrap()
                .contains("sources.csv")
        );
        assert!(b.problem("Se seed:000").is_some());
        let m = b.problem("rapport-2024;okand-kalla").unwrap();
        assert!(m.contains("”okand-kalla”"), "{m}");
        assert_eq!(b.problem("rapport-2024"), None);
        assert_eq!(b.problem("https://nagonstans.se/x"), None);
        assert_eq!(b.problem("Kommunens svar"), None);
        assert_eq!(b.problem("EXEMPEL: påhittad uppgift"), None);
    }
}
