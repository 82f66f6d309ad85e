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
}

/// "Tibro", "Tibro och Hjo", "Tibro, Hjo och Skövde": a list as Swedish prose.
pub fn join_and(items: &[String]) -> String {
    Lang::Sv.join(items)
}

#[cfg(test)]
mod tests {
    use super::Lang;

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
