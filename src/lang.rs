//! The languages the citizen pages are written in. Swedish is the service's language: every page
//! exists in Swedish, and the citizen pages (map and list, kommun, programme, about) also in
//! English under `/en/…`. Text is written where it is used, both languages side by side
//! (`cx.t("…", "…")`, or a `match` on the language for a sentence whose words move), so a page's
//! two versions are read and changed together; vocabulary labels carry their English word in
//! [`crate::vocabulary`]. Data (organisers, notes, sources) is shown as the data says it, marked
//! `lang="sv"` on an English page where it is Swedish.

/// A language a page is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    Sv,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Sv, Lang::En];

    /// The BCP 47 code, for `lang` and `hreflang` attributes.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Sv => "sv",
            Lang::En => "en",
        }
    }

    /// The text in this language, of a pair written side by side.
    pub fn pick<T>(self, sv: T, en: T) -> T {
        match self {
            Lang::Sv => sv,
            Lang::En => en,
        }
    }

    /// A list as prose: "a, b och c" / "a, b and c".
    pub fn join(self, items: &[String]) -> String {
        match items {
            [] => String::new(),
            [one] => one.clone(),
            [rest @ .., last] => {
                format!("{} {} {last}", rest.join(", "), self.pick("och", "and"))
            }
        }
    }

    /// The language's own name for itself (the language link reads "In English" / "På svenska").
    pub fn switch_label(self) -> &'static str {
        match self {
            Lang::Sv => "På svenska",
            Lang::En => "In English",
        }
    }

    /// The other language (of the language link).
    pub fn other(self) -> Lang {
        self.pick(Lang::En, Lang::Sv)
    }

    /// The language of a page by its path: English under `/en/`, else Swedish.
    pub fn of_path(path: &str) -> Lang {
        if path == EN_ROOT || path.starts_with("/en/") {
            Lang::En
        } else {
            Lang::Sv
        }
    }
}

/// The English start page without its slash (served too, canonically `/en/`).
pub const EN_ROOT: &str = "/en";

/// The pages that exist in both languages: the Swedish path, the English one, and whether one
/// more path segment follows (a kommun code, a programme slug). Every other page is Swedish only.
pub const PAGES: [(&str, &str, bool); 7] = [
    ("/", "/en/", false),
    ("/kommun/", "/en/kommun/", true),
    ("/program/", "/en/programme/", true),
    ("/om", "/en/about", false),
    ("/tillganglighet", "/en/accessibility", false),
    ("/rapportera", "/en/report", false),
    ("/rapportera/tack", "/en/report/thanks", false),
];

/// A page's address (path, query, fragment; in either language) in `lang`: the same page with
/// the same query, or `None` where the page does not exist in that language (the comparison,
/// the planner, admin…). Addresses that are not pages (`/api/…`, another site) are `None` too.
pub fn path_in(lang: Lang, address: &str) -> Option<String> {
    let end = address.find(['?', '#']).unwrap_or(address.len());
    let (path, rest) = address.split_at(end);
    let path = if path == EN_ROOT { "/en/" } else { path };
    PAGES.iter().find_map(|(sv, en, segment)| {
        let fits = |tail: &&str| {
            if *segment {
                !tail.is_empty() && !tail.contains('/')
            } else {
                tail.is_empty()
            }
        };
        let tail = [sv, en]
            .iter()
            .filter_map(|prefix| path.strip_prefix(*prefix))
            .find(fits)?;
        Some(format!("{}{tail}{rest}", lang.pick(sv, en)))
    })
}

/// Whether an address is one of the service's HTML pages (not the API, OGC, an asset or another
/// site): a link to it from an English page that only exists in Swedish says so (`hreflang`).
pub fn is_page(address: &str) -> bool {
    address.starts_with('/')
        && !["/api/", "/ogc", "/assets/", "/healthz", "/datasets/"]
            .iter()
            .any(|p| address.starts_with(p))
}

/// "Tibro", "Tibro och Hjo", "Tibro, Hjo och Skövde": a list as Swedish prose.
pub fn join_and(items: &[String]) -> String {
    Lang::Sv.join(items)
}

#[cfg(test)]
mod tests {
    use super::{Lang, is_page, path_in};

    #[test]
    fn pages_map_to_the_other_language_with_their_query() {
        let en = |p| path_in(Lang::En, p);
        let sv = |p| path_in(Lang::Sv, p);
        assert_eq!(en("/").as_deref(), Some("/en/"));
        assert_eq!(
            en("/?kommun=1472&age=13").as_deref(),
            Some("/en/?kommun=1472&age=13")
        );
        assert_eq!(
            en("/kommun/1472#kontakt").as_deref(),
            Some("/en/kommun/1472#kontakt")
        );
        assert_eq!(
            en("/program/abc?kommun=1472").as_deref(),
            Some("/en/programme/abc?kommun=1472")
        );
        assert_eq!(en("/om").as_deref(), Some("/en/about"));
        assert_eq!(en("/tillganglighet").as_deref(), Some("/en/accessibility"));
        // Already English, and back.
        assert_eq!(en("/en/kommun/1472").as_deref(), Some("/en/kommun/1472"));
        assert_eq!(sv("/en/programme/abc").as_deref(), Some("/program/abc"));
        assert_eq!(sv("/en").as_deref(), Some("/"));
        assert_eq!(sv("/en/about").as_deref(), Some("/om"));
        // Swedish only, or not a page.
        for p in [
            "/jamfor?kommuner=1496",
            "/kommun/1472/planera",
            "/kommun/",
            "/admin",
            "/lattlast",
            "/omgangar",
            "/api/v1/region",
            "https://tibro.se",
        ] {
            assert_eq!(en(p), None, "{p}");
        }
        assert!(is_page("/jamfor") && is_page("/kommun/1472/planera"));
        assert!(!is_page("/api/v1/region") && !is_page("https://tibro.se") && !is_page("/ogc"));
    }

    #[test]
    fn the_language_of_a_path() {
        assert_eq!(Lang::of_path("/en/"), Lang::En);
        assert_eq!(Lang::of_path("/en"), Lang::En);
        assert_eq!(Lang::of_path("/en/kommun/1472"), Lang::En);
        assert_eq!(Lang::of_path("/enkät"), Lang::Sv);
        assert_eq!(Lang::of_path("/kommun/1472"), Lang::Sv);
    }

    #[test]
    fn pick_follows_the_language() {
        assert_eq!(Lang::Sv.pick("okänt", "unknown"), "okänt");
        assert_eq!(Lang::En.pick("okänt", "unknown"), "unknown");
        assert_eq!(Lang::default(), Lang::Sv);
    }

    #[test]
    fn lists_read_as_prose_in_each_language() {
        let items = ["Tibro", "Hjo", "Skövde"].map(String::from);
        assert_eq!(Lang::Sv.join(&items), "Tibro, Hjo och Skövde");
        assert_eq!(Lang::En.join(&items[..2]), "Tibro and Hjo");
        assert_eq!(super::join_and(&items[..1]), "Tibro");
        assert_eq!(Lang::En.join(&[]), "");
    }
}
