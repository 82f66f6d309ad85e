//! Query parameters: parsed by hand so that every bad value gets the API's own Swedish error,
//! naming the parameter, instead of an extractor's English rejection.

use std::borrow::Cow;

use super::error::RequestError;
use crate::atlas::Atlas;
use crate::coverage::LevelFilter;
use crate::vocabulary::{Detail, Level};

/// The query string of a request, checked against the parameters a route accepts. Names and
/// values borrow from the query unless they had to be decoded.
pub struct Params<'q> {
    pairs: Vec<(Cow<'q, str>, Cow<'q, str>)>,
}

impl<'q> Params<'q> {
    pub fn parse(raw: Option<&'q str>, allowed: &[&str]) -> Result<Params<'q>, RequestError> {
        Params::parse_repeatable(raw, allowed, &[])
    }

    /// Like `parse`, but the parameters in `repeatable` may come more than once (a form's
    /// checkboxes send `kommun=1496&kommun=1494`); read them with `get_all`.
    pub fn parse_repeatable(
        raw: Option<&'q str>,
        allowed: &[&str],
        repeatable: &[&str],
    ) -> Result<Params<'q>, RequestError> {
        let pairs: Vec<_> = form_urlencoded::parse(raw.unwrap_or("").as_bytes()).collect();
        for (i, (name, _)) in pairs.iter().enumerate() {
            if !allowed.contains(&name.as_ref()) {
                return Err(RequestError::unknown_parameter(name, allowed));
            }
            if !repeatable.contains(&name.as_ref()) && pairs[..i].iter().any(|(n, _)| n == name) {
                return Err(RequestError::repeated_parameter(name));
            }
        }
        Ok(Params { pairs })
    }

    /// For HTML pages, which people reach through decorated links: parameters the page does not
    /// use (`fbclid`, `utm_*`, `gclid`, a stale `age`) are dropped, and of a parameter given twice
    /// the first counts (except `repeatable` ones). Values are still checked by the getters.
    pub fn lenient(raw: Option<&'q str>, allowed: &[&str], repeatable: &[&str]) -> Params<'q> {
        let mut pairs: Vec<(Cow<'q, str>, Cow<'q, str>)> = Vec::new();
        for (k, v) in form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
            let known = allowed.contains(&k.as_ref());
            let again = !repeatable.contains(&k.as_ref()) && pairs.iter().any(|(n, _)| *n == k);
            if known && !again {
                pairs.push((k, v));
            }
        }
        Params { pairs }
    }

    /// The same parameters, owning their text (to keep beside the request they came from).
    pub fn into_owned(self) -> Params<'static> {
        Params {
            pairs: self
                .pairs
                .into_iter()
                .map(|(k, v)| (Cow::Owned(k.into_owned()), Cow::Owned(v.into_owned())))
                .collect(),
        }
    }

    /// Every name and value, in the order given.
    pub fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.pairs.iter().map(|(k, v)| (k.as_ref(), v.as_ref()))
    }

    /// Every non-empty value of a repeatable parameter.
    pub fn get_all<'p>(&'p self, name: &'p str) -> impl Iterator<Item = &'p str> {
        self.pairs
            .iter()
            .filter(move |(n, v)| n == name && !v.is_empty())
            .map(|(_, v)| v.as_ref())
    }

    /// The value of a parameter; an empty value counts as absent.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_ref())
            .filter(|v| !v.is_empty())
    }

    pub fn detail(&self) -> Result<Detail, RequestError> {
        self.get("detail").map_or(Ok(Detail::Medium), |v| {
            Detail::parse(v).map_err(|m| RequestError::invalid(format!("detail: {m}.")))
        })
    }

    pub fn level(&self) -> Result<LevelFilter, RequestError> {
        self.get("level").map_or(Ok(LevelFilter::All), |v| {
            LevelFilter::parse(v).map_err(|_| {
                RequestError::invalid(format!(
                    "level: ”{v}” är ingen nivå (tillåtna: universal, selective, indicated, all)."
                ))
            })
        })
    }

    /// The level of a plan (see [`crate::plan`]): one of the three, None when not given. `all`
    /// is refused: a plan for all levels together would let a programme of one level close a
    /// gap at another.
    pub fn plan_level(&self) -> Result<Option<Level>, RequestError> {
        match self.get("level") {
            None => Ok(None),
            Some("all") => Err(RequestError::invalid(
                "level: en plan görs för en nivå i taget (universal, selective eller indicated); \
                 med ”all” skulle ett program på en nivå stänga en lucka på en annan.",
            )),
            Some(v) => Level::parse(v).map(Some).map_err(|_| {
                RequestError::invalid(format!(
                    "level: ”{v}” är ingen nivå (tillåtna: universal, selective, indicated)."
                ))
            }),
        }
    }

    /// A child's age 0–17, or -1 for "under graviditeten" (also written `graviditet`).
    pub fn age(&self) -> Result<Option<i8>, RequestError> {
        let Some(v) = self.get("age") else {
            return Ok(None);
        };
        if v == "graviditet" {
            return Ok(Some(-1));
        }
        match v.parse::<i64>() {
            Ok(a) if (-1..=17).contains(&a) => Ok(Some(a as i8)),
            Ok(a) => Err(RequestError::invalid(format!(
                "age: {a} ligger utanför 0–17 år (använd -1 eller ”graviditet” för under graviditeten)."
            ))),
            Err(_) => Err(RequestError::invalid(format!(
                "age: ”{v}” är ingen ålder; ange ett heltal 0–17."
            ))),
        }
    }

    /// A round id (default: the atlas's default round).
    pub fn round(&self, a: &Atlas) -> Result<usize, RequestError> {
        self.get("round")
            .map_or(Ok(a.default_round), |v| round(a, "round", v))
    }

    /// A required coordinate in a range.
    pub fn coordinate(&self, name: &str, min: f64, max: f64) -> Result<f64, RequestError> {
        let v = self.get(name).ok_or_else(|| {
            RequestError::missing(format!(
                "{name}: parametern saknas (ange t.ex. lat=58.39&lon=13.85)."
            ))
        })?;
        let x: f64 = v
            .parse()
            .ok()
            .filter(|x: &f64| x.is_finite())
            .ok_or_else(|| RequestError::invalid(format!("{name}: ”{v}” är inget tal.")))?;
        if !(min..=max).contains(&x) {
            return Err(RequestError::invalid(format!(
                "{name}: {x} ligger utanför {min}–{max}."
            )));
        }
        Ok(x)
    }
}

/// A round id, in the parameter `name`.
pub fn round(a: &Atlas, name: &str, id: &str) -> Result<usize, RequestError> {
    a.round_index(id).ok_or_else(|| {
        let known: Vec<&str> = a.inventory.rounds.iter().map(|r| r.id.as_str()).collect();
        RequestError::unknown_round(name, id, &known)
    })
}

/// A programme slug of the catalogue, in the parameter `name`.
pub fn programme(a: &Atlas, name: &str, slug: &str) -> Result<usize, RequestError> {
    a.programme_index(slug)
        .ok_or_else(|| RequestError::unknown_programme(Some(name), slug))
}

/// A document slug, in the parameter `name`.
pub fn document(a: &Atlas, name: &str, slug: &str) -> Result<usize, RequestError> {
    a.document_index(slug).ok_or_else(|| {
        let known: Vec<&str> = a
            .inventory
            .documents
            .iter()
            .map(|d| d.slug.as_str())
            .collect();
        RequestError::unknown_document(name, slug, &known)
    })
}

/// A comma-separated list in the parameter `name`, each item looked up by `one`; an item given
/// twice is refused.
pub fn list(
    a: &Atlas,
    name: &str,
    list: &str,
    one: fn(&Atlas, &str, &str) -> Result<usize, RequestError>,
) -> Result<Vec<usize>, RequestError> {
    let mut out = Vec::new();
    for item in list.split(',').map(str::trim) {
        let i = one(a, name, item)?;
        if out.contains(&i) {
            return Err(RequestError::invalid(format!(
                "{name}: ”{item}” står två gånger."
            )));
        }
        out.push(i);
    }
    Ok(out)
}

/// A kommunkod of the region: 400 when it is no kommunkod, 404 when it is not in the region.
pub fn kommun(a: &Atlas, name: &str, code: &str) -> Result<usize, RequestError> {
    if code.len() != 4 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(RequestError::invalid(format!(
            "{name}: ”{code}” är ingen kommunkod (fyra siffror, t.ex. 1496 för Skövde)."
        )));
    }
    a.kommun_index(code).ok_or_else(|| {
        let region = &a.inventory.dataset.region().name;
        let message = match a.inventory.codes.iter().find(|c| c.kommunkod == code) {
            Some(c) => format!(
                "{name}: {} ({code}) ingår inte i regionen {region}.",
                c.namn
            ),
            None => format!("{name}: det finns ingen kommun med koden {code}."),
        };
        RequestError::unknown_kommun(message)
    })
}

/// A comma-separated list of kommunkoder.
pub fn kommuner(a: &Atlas, name: &str, codes: &str) -> Result<Vec<usize>, RequestError> {
    list(a, name, codes, kommun)
}
