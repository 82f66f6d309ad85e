//! The closed vocabularies of the data files: each value's code (as written in the files and the
//! API) and its Swedish label (as shown to people).

/// Defines an enum whose variants have a file/API code and a Swedish label.
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $code:literal : $label:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
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
        Universal = "universal": "universell",
        Selective = "selective": "selektiv",
        Indicated = "indicated": "indikerad",
    }
);

vocabulary!(Format {
    Group = "group": "i grupp",
    Individual = "individual": "enskilt",
    Mixed = "mixed": "i grupp eller enskilt",
    Digital = "digital": "digitalt",
});

vocabulary!(
    /// An answer in a survey round. A missing row is *okänt*, never `NotOffered`; `unknown` is
    /// okänt set on purpose (asked, no answer), with its source and date.
    OfferingStatus {
        Offered = "offered": "erbjuds",
        NotOffered = "not_offered": "erbjuds inte",
        Unknown = "unknown": "okänt",
    }
);

vocabulary!(
    /// The state of a kommun × programme cell: the three states the UI, API and exports keep apart.
    CellState {
        Offered = "offered": "erbjuds",
        NotOffered = "not_offered": "erbjuds inte",
        Unknown = "unknown": "okänt",
    }
);

vocabulary!(
    /// Whether an age is covered at a level. The codes match `CellState`'s where they mean the
    /// same; `no_programme` is neutral: the catalogue has nothing for that age, so nothing is
    /// missing in the kommun.
    AgeState {
        Covered = "offered": "täckt",
        NotCovered = "not_offered": "inte täckt",
        Unknown = "unknown": "okänt",
        NoProgramme = "no_programme": "inga program i katalogen för den åldern",
    }
);

vocabulary!(
    /// What kind of collection a round is: a survey of the kommuner, a collection of public
    /// sources (each row its own date), or history.
    RoundKind {
        Survey = "survey": "enkätomgång",
        Sources = "sources": "samling av offentliga källor",
        Historic = "historic": "historiska uppgifter",
    }
);

vocabulary!(
    /// Whether a round still takes answers. A closed round is frozen: its answers can no
    /// longer be changed (the history keeps how they came to be). An empty or absent `status`
    /// in rounds.csv reads as closed, as every round was before rounds could be opened.
    RoundStatus {
        Open = "open": "öppen",
        Closed = "closed": "stängd",
    }
);

vocabulary!(
    /// A way to reach a kommun about parenting support.
    ContactKind {
        Familjecentral = "familjecentral": "familjecentral",
        Website = "website": "kommunens webbplats",
    }
);

vocabulary!(SambuStatus {
    Active = "active": "aktivt SAMBU-team",
    Decided = "decided": "beslut om SAMBU-team",
    None = "none": "inget SAMBU-team",
    Unknown = "unknown": "okänt",
});

vocabulary!(PartsStatus {
    Functioning = "functioning": "fungerar väl",
    Established = "established": "grupp finns",
    Forming = "forming": "håller på att bildas",
    None = "none": "ingen grupp",
    Unknown = "unknown": "okänt",
});

vocabulary!(ActionPlan {
    Yes = "yes": "handlingsplan finns",
    No = "no": "ingen handlingsplan",
    Unknown = "unknown": "okänt",
});

vocabulary!(DocumentKind {
    Agreement = "agreement": "överenskommelse",
    Guideline = "guideline": "riktlinje",
    Assignment = "assignment": "uppdragshandling",
    Routine = "routine": "rutin",
});

vocabulary!(AdherenceStatus {
    Implemented = "implemented": "infört",
    Adopted = "adopted": "antaget",
    InProgress = "in_progress": "pågår",
    NotStarted = "not_started": "inte påbörjat",
    Unknown = "unknown": "okänt",
});

vocabulary!(TrainingKind {
    SipFordjupning = "sip_fordjupning": "SIP/samverkanskompetens, fördjupning",
    SipGrundFysisk = "sip_grund_fysisk": "SIP/samverkanskompetens, grund (på plats)",
    SipGrundDigital = "sip_grund_digital": "SIP/samverkanskompetens, grund (digitalt)",
    Forelasning = "forelasning": "föreläsning",
});

vocabulary!(FactTopic {
    Sambu = "sambu": "SAMBU",
    Partssamverkan = "partssamverkan": "partssamverkan",
});

vocabulary!(
    /// How much geometry detail a response carries.
    Detail {
        Low = "low": "låg",
        Medium = "medium": "mellan",
        Full = "full": "full",
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
    }
}
