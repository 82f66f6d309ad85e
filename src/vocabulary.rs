//! The closed vocabularies of the data files: each value's code (as written in the files and the
//! API) and its Swedish label (as shown to people).

/// Defines an enum whose variants have a file/API code, a Swedish label and, after a `/`, an
/// English label (`Universal = "universal": "universell" / "universal" / "universal"`).
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $code:literal : $label:literal $(/ $en:literal)?),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// The Swedish label, as shown to people.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            /// The label in `lang`: the English word where the vocabulary gives one (every
            /// vocabulary a citizen page shows does), else the Swedish label. (Not every
            /// vocabulary is shown on a translated page.)
            #[allow(dead_code)]
            pub fn label_in(self, lang: $crate::lang::Lang) -> &'static str {
                match (lang, self) {
                    $($(($crate::lang::Lang::En, $name::$variant) => $en,)?)+
                    _ => self.label(),
                }
            }

            /// Parses a code; the error lists the allowed codes in Swedish.
            pub fn parse(s: &str) -> Result<Self, String> {
                match s {
                    $($code => Ok($name::$variant),)+
                    _ => Err(format!(
                        "”{}” är inget tillåtet värde (tillåtna: {})",
                        s,
                        [$($code),+].join(", ")
                    )),
                }
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.code())
            }
        }
    };
}
pub(crate) use vocabulary;

vocabulary!(
    /// Public-health level of a programme.
    Level {
        Universal = "universal": "universell" / "universal",
        Selective = "selective": "selektiv" / "selective",
        Indicated = "indicated": "indikerad" / "indicated",
    }
);

vocabulary!(Format {
    Group = "group": "i grupp" / "in a group",
    Individual = "individual": "enskilt" / "individually",
    Mixed = "mixed": "i grupp eller enskilt" / "in a group or individually",
    Digital = "digital": "digitalt" / "online",
});

vocabulary!(
    /// An answer in a survey round. A missing row is *okänt*, never `NotOffered`; `unknown` is
    /// okänt set on purpose (asked, no answer), with its source and date.
    OfferingStatus {
        Offered = "offered": "erbjuds" / "offered",
        NotOffered = "not_offered": "erbjuds inte" / "not offered",
        Unknown = "unknown": "okänt" / "unknown",
    }
);

vocabulary!(
    /// The state of a kommun × programme cell: the three states the UI, API and exports keep apart.
    CellState {
        Offered = "offered": "erbjuds" / "offered",
        NotOffered = "not_offered": "erbjuds inte" / "not offered",
        Unknown = "unknown": "okänt" / "unknown",
    }
);

vocabulary!(
    /// Whether an age is covered at a level. The codes match `CellState`'s where they mean the
    /// same; `no_programme` is neutral: the catalogue has nothing for that age, so nothing is
    /// missing in the kommun.
    AgeState {
        Covered = "offered": "täckt" / "covered",
        NotCovered = "not_offered": "inte täckt" / "not covered",
        Unknown = "unknown": "okänt" / "unknown",
        NoProgramme = "no_programme": "inga program i katalogen för den åldern" / "no programme in the catalogue for that age",
    }
);

vocabulary!(
    /// What kind of collection a round is: a survey of the kommuner, a collection of public
    /// sources (each row its own date), or history.
    RoundKind {
        Survey = "survey": "enkätomgång" / "survey round",
        Sources = "sources": "samling av offentliga källor" / "collection of public sources",
        Historic = "historic": "historiska uppgifter" / "historical records",
    }
);

vocabulary!(
    /// Whether a round still takes answers. A closed round is frozen: its answers can no
    /// longer be changed (the history keeps how they came to be). An empty or absent `status`
    /// in rounds.csv reads as closed, as every round was before rounds could be opened.
    RoundStatus {
        Open = "open": "öppen" / "open",
        Closed = "closed": "stängd" / "closed",
    }
);

vocabulary!(
    /// A way to reach a kommun about parenting support.
    ContactKind {
        Familjecentral = "familjecentral": "familjecentral" / "family centre (familjecentral)",
        Website = "website": "kommunens webbplats" / "the kommun's website",
    }
);

vocabulary!(
    /// What kind of document a source in `sources.csv` is (said in its citation).
    SourceKind {
        Webpage = "webpage": "webbsida" / "web page",
        Website = "website": "webbplats" / "website",
        Article = "article": "tidningsartikel" / "newspaper article",
        News = "news": "nyhet" / "news item",
        PressRelease = "press_release": "pressmeddelande" / "press release",
        Radio = "radio": "radioinslag" / "radio item",
        Decision = "decision": "beslut" / "decision",
        Report = "report": "rapport" / "report",
    }
);

vocabulary!(
    /// How far other parenting support (a project, a method outside the catalogue) had come,
    /// as far as its source says: never more than the source does.
    SupportStatus {
        Ended = "ended": "avslutat" / "ended",
        Planned = "planned": "planerat – om det blev av säger källan inte" / "planned – the source does not say whether it happened",
        Funded = "funded": "fick medel – hur det gick säger källan inte" / "funding granted – the source does not say how it went",
        Described = "described": "beskrivet i källan – nuvarande status okänd" / "described in the source – current status unknown",
    }
);

vocabulary!(SambuStatus {
    Active = "active": "aktivt SAMBU-team" / "active SAMBU team",
    Decided = "decided": "beslut om SAMBU-team" / "SAMBU team decided",
    None = "none": "inget SAMBU-team" / "no SAMBU team",
    Unknown = "unknown": "okänt" / "unknown",
});

vocabulary!(PartsStatus {
    Functioning = "functioning": "fungerar väl" / "working well",
    Established = "established": "grupp finns" / "group in place",
    Forming = "forming": "håller på att bildas" / "being formed",
    None = "none": "ingen grupp" / "no group",
    Unknown = "unknown": "okänt" / "unknown",
});

vocabulary!(ActionPlan {
    Yes = "yes": "handlingsplan finns" / "action plan in place",
    No = "no": "ingen handlingsplan" / "no action plan",
    Unknown = "unknown": "okänt" / "unknown",
});

vocabulary!(DocumentKind {
    Agreement = "agreement": "överenskommelse" / "agreement",
    Guideline = "guideline": "riktlinje" / "guideline",
    Assignment = "assignment": "uppdragshandling" / "terms of assignment",
    Routine = "routine": "rutin" / "procedure",
});

vocabulary!(AdherenceStatus {
    Implemented = "implemented": "infört" / "implemented",
    Adopted = "adopted": "antaget" / "adopted",
    InProgress = "in_progress": "pågår" / "in progress",
    NotStarted = "not_started": "inte påbörjat" / "not started",
    Unknown = "unknown": "okänt" / "unknown",
});

vocabulary!(TrainingKind {
    SipFordjupning = "sip_fordjupning": "SIP/samverkanskompetens, fördjupning" / "SIP / joint working skills, advanced",
    SipGrundFysisk = "sip_grund_fysisk": "SIP/samverkanskompetens, grund (på plats)" / "SIP / joint working skills, basic (in person)",
    SipGrundDigital = "sip_grund_digital": "SIP/samverkanskompetens, grund (digitalt)" / "SIP / joint working skills, basic (online)",
    Forelasning = "forelasning": "föreläsning" / "lecture",
});

vocabulary!(FactTopic {
    Sambu = "sambu": "SAMBU" / "SAMBU",
    Partssamverkan = "partssamverkan": "partssamverkan" / "partssamverkan",
});

vocabulary!(
    /// How much geometry detail a response carries.
    Detail {
        Low = "low": "låg" / "low",
        Medium = "medium": "mellan" / "medium",
        Full = "full": "full" / "full",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_errors_list_allowed_values() {
        for l in Level::ALL {
            assert_eq!(Level::parse(l.code()).unwrap(), *l);
        }
        let e = SambuStatus::parse("ja").unwrap_err();
        assert!(
            e.contains("”ja”") && e.contains("active, decided, none, unknown"),
            "{e}"
        );
        assert_eq!(CellState::Unknown.label(), "okänt");
        assert_ne!(CellState::Unknown.label(), CellState::NotOffered.label());
        assert_eq!(
            Level::Selective.label_in(crate::lang::Lang::En),
            "selective"
        );
        assert_eq!(Level::Selective.label_in(crate::lang::Lang::Sv), "selektiv");
    }
}
