//! What every page shares: the document head, the skip link, the example-data banner, the site
//! navigation, the footer with sources and the links to /om and /tillganglighet, and small
//! pieces used on several pages (source and date of a fact, the three cell states).

use maud::{DOCTYPE, Markup, PreEscaped, html};

use crate::atlas::Atlas;
use crate::dates::Confirmed;
use crate::lang::Lang;
use crate::site::Site;
use crate::vocabulary::{AgeState, CellState};

/// What a page is rendered with.
pub struct Cx<'a> {
    pub a: &'a Atlas,
    pub site: &'a Site,
    /// `?embed=1`: a compact view for a frame on a kommun's website, without site navigation.
    pub embed: bool,
    /// The page's canonical address (path and the parameters it uses), for the print header and
    /// `<link rel="canonical">`; shared links with `fbclid` or `utm_*` point to the same page.
    pub canonical: String,
    /// The round the page shows, named in the print header.
    pub round: Option<usize>,
    /// Today's date, printed on the page ("Utskriven …").
    pub today: String,
    /// The language the page is written in (see [`crate::lang`]).
    pub lang: Lang,
}

impl<'a> Cx<'a> {
    /// A full (not embedded) page.
    pub fn new(a: &'a Atlas, site: &'a Site) -> Cx<'a> {
        Cx {
            a,
            site,
            embed: false,
            canonical: String::new(),
            round: None,
            today: crate::dates::today(),
            lang: Lang::Sv,
        }
    }

    /// The text in the page's language, of a pair written side by side.
    pub fn t(&self, sv: &'static str, en: &'static str) -> &'static str {
        self.lang.pick(sv, en)
    }

    /// The kommuner in alphabetical order, as lists and selects show them.
    pub fn kommuner_by_name(&self) -> Vec<usize> {
        kommuner_by_name(self.a)
    }
}

/// The kommuner of a snapshot in Swedish alphabetical order.
pub fn kommuner_by_name(a: &Atlas) -> Vec<usize> {
    let mut ks: Vec<usize> = (0..a.kommuner().len()).collect();
    ks.sort_by_cached_key(|k| swedish_key(&a.kommuner()[*k].name));
    ks
}

/// A sort key in Swedish alphabetical order: å, ä, ö after z (byte order would put ä before å).
fn swedish_key(name: &str) -> Vec<u32> {
    name.to_lowercase()
        .chars()
        .map(|c| match c {
            'å' => 'z' as u32 + 1,
            'ä' | 'æ' => 'z' as u32 + 2,
            'ö' | 'ø' => 'z' as u32 + 3,
            c => c as u32,
        })
        .collect()
}

/// Whether the page loads the map (Leaflet) besides the page script every page loads.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Script {
    None,
    Map,
}

/// "1 kommun", "3 kommuner": a count with the right form of the noun.
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

pub fn page(cx: &Cx, title: &str, script: Script, main: Markup) -> Markup {
    let d = &cx.a.inventory.dataset;
    let map = script == Script::Map && cx.site.has_map();
    html! {
        (DOCTYPE)
        html lang=(cx.lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " – Skaraborgskartan" }
                @if !cx.canonical.is_empty() { link rel="canonical" href=(cx.canonical); }
                // In a frame on a kommun's site every link opens in the top window; the form
                // says target="_self" to stay in the frame.
                @if cx.embed { base target="_top"; }
                @if let Some(icon) = cx.site.url("favicon.svg") { link rel="icon" type="image/svg+xml" href=(icon); }
                @if map {
                    @if let Some(css) = cx.site.url("leaflet.css") { link rel="stylesheet" href=(css); }
                }
                @if let Some(css) = cx.site.url("style.css") { link rel="stylesheet" href=(css); }
            }
            body class=[cx.embed.then_some("inbaddad")] {
                a.hopp href="#innehall" { "Hoppa till innehållet" }
                @if !cx.embed {
                    header.sidhuvud.ej-utskrift {
                        a.logotyp href="/" { "Skaraborgskartan" }
                        span.undertitel { "Föräldraskapsstöd i " (d.region().name) }
                        nav aria-label="Huvudmeny" {
                            ul {
                                li { a href="/" { "Karta och lista" } }
                                li { a href="/jamfor" { "Jämför kommuner" } }
                                li { a href="/oversikt" hreflang=[(cx.lang != Lang::Sv).then_some("sv")] { (cx.t("Översikt", "Overview (in Swedish)")) } }
                                li { a href="/lagesbild" hreflang=[(cx.lang != Lang::Sv).then_some("sv")] { (cx.t("Lägesbild", "Status by kommun (in Swedish)")) } }
                                li { a href="/om" { "Om uppgifterna" } }
                            }
                        }
                    }
                }
                main #innehall tabindex="-1" {
                    (print_header(cx, title))
                    // Inside main: every piece of content sits in a landmark, and the banner is
                    // the first thing the skip link leads to.
                    @if super::is_example(cx.a) {
                        div #exempeldata role="note" {
                            strong { "Exempeldata. " }
                            "Uppgifterna på den här sidan är påhittade och visar bara hur tjänsten fungerar. "
                            "De beskriver inte vad kommunerna verkligen erbjuder."
                        }
                    }
                    (main)
                }
                footer.sidfot {
                    p {
                        @if super::is_example(cx.a) { "Uppgifter: påhittade exempeldata, inte verkliga. " }
                        @else { "Uppgifter: " (d.config.title) " (" (d.config.kind.label()) "). " }
                        "Varje uppgift visas med källa och det datum då den senast bekräftades. "
                        "Skaraborgskartan drivs av Vårdsamverkan Skaraborg. "
                        (d.config.attribution) "."
                    }
                    ul.sidfotslankar.ej-utskrift {
                        @if cx.embed { li { a href="/" target="_top" { "Öppna hela Skaraborgskartan" } } }
                        li { a href="/om" { "Om uppgifterna och källorna" } }
                        li { a href="/tillganglighet" { "Tillgänglighetsredogörelse" } }
                        @if !cx.embed { li { a href="/api/v1/region" { "Öppna data (API)" } } }
                    }
                }
                @if map {
                    @if let Some(js) = cx.site.url("leaflet.js") { script src=(js) defer {} }
                }
                @if let Some(js) = cx.site.url("app.js") { script type="module" src=(js) {} }
            }
        }
    }
}

/// The header a printed page starts with: service, page, round, printed date and address. Shown
/// only in print (the screen has the site header).
fn print_header(cx: &Cx, title: &str) -> Markup {
    let address = format!(
        "{}{}",
        cx.site.options.public_url.as_deref().unwrap_or(""),
        cx.canonical
    );
    html! {
        div.utskriftshuvud {
            p.utskriftstitel { strong { "Skaraborgskartan" } " – " (title) }
            p {
                @if let Some(r) = cx.round { "Omgång: " (super::format::round_option(&cx.a.inventory.rounds[r])) ". " }
                "Utskriven " (cx.today) ". "
                @if !address.is_empty() { "Adress: " (address) }
            }
        }
    }
}

/// "Källa: … · Senast bekräftad: …" for one fact; a URL source becomes a link.
pub fn source(source: &str, confirmed: Option<&Confirmed>) -> Markup {
    html! {
        span.kalla {
            "Källa: " (source_link(source))
            @if let Some(c) = confirmed { " · Senast bekräftad: " (c) }
        }
    }
}

/// [`source`] for a fact the staleness watch may flag: when `due`, the date reads "Senast
/// bekräftad mars 2023 – kan vara inaktuell" (the fact itself is shown as it is).
pub fn checked_source(source: &str, confirmed: &Confirmed, due: bool) -> Markup {
    html! {
        span.kalla {
            "Källa: " (source_link(source)) " · "
            (confirmed_text(confirmed, due))
        }
    }
}

/// "Senast bekräftad: 2024-05-02", or, for a due fact, "Senast bekräftad mars 2023 – kan vara
/// inaktuell" (marked, so it is seen).
pub fn confirmed_text(confirmed: &Confirmed, due: bool) -> Markup {
    html! {
        @if due {
            span.inaktuell { "Senast bekräftad " (crate::review::due_label(confirmed)) }
        } @else {
            "Senast bekräftad: " (confirmed)
        }
    }
}

pub fn source_link(source: &str) -> Markup {
    let (first, rest) = source.split_once(' ').unwrap_or((source, ""));
    html! {
        @if first.starts_with("https://") || first.starts_with("http://") {
            a href=(first) { (host(first)) } @if !rest.is_empty() { " " (rest) }
        } @else {
            (seed_text(source))
        }
    }
}

/// A source naming the project's seed documents (`seed:003 (Slutrapport …)`, `seed:003 och
/// seed:000`) as readable text: the description in brackets where the data gives one, else the
/// document's name.
fn seed_text(source: &str) -> String {
    let mut out = String::new();
    let mut rest = source;
    while let Some(i) = rest.find("seed:") {
        out += &rest[..i];
        let after = &rest[i + 5..];
        let digits = after.len() - after.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let (n, tail) = after.split_at(digits);
        let described = tail
            .strip_prefix(" (")
            .and_then(|t| t.find(')').map(|j| (&t[..j], &t[j + 1..])));
        match described {
            Some((text, tail)) => {
                out += text;
                rest = tail;
            }
            None => {
                out += &seed_name(n);
                rest = tail;
            }
        }
    }
    out + rest
}

/// The seed documents' names, as the data README gives them.
fn seed_name(n: &str) -> String {
    match n {
        "003" => {
            "Slutrapport, samverkansgrupp barn och unga, Vårdsamverkan Skaraborg (2024)".into()
        }
        "000" => "Aktivitetsplan psykisk hälsa Skaraborg 2023".into(),
        other => format!("projektdokument {other}"),
    }
}

/// The host of a URL, as link text (the full URL is the href).
fn host(url: &str) -> &str {
    url.split("://")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .unwrap_or(url)
}

/// An age's coverage as text with its marker class: täckt, inte täckt, okänt, or the neutral
/// "inga program i katalogen".
pub fn age_marker(s: AgeState) -> Markup {
    let class = match s {
        AgeState::Covered => "tillstand erbjuds",
        AgeState::NotCovered => "tillstand erbjuds-inte",
        AgeState::Unknown => "tillstand okant",
        AgeState::NoProgramme => "tillstand inget-program",
    };
    let text = match s {
        AgeState::NoProgramme => "inget program i katalogen",
        s => s.label(),
    };
    html! { span class=(class) { (text) } }
}

/// A cell state as text with its marker class; never colour alone.
pub fn state(s: CellState) -> Markup {
    let class = match s {
        CellState::Offered => "tillstand erbjuds",
        CellState::NotOffered => "tillstand erbjuds-inte",
        CellState::Unknown => "tillstand okant",
    };
    html! { span class=(class) { (s.label()) } }
}

/// Serialises data for the page script without risking `</script>` in it.
pub fn json_island(id: &str, value: &serde_json::Value) -> Markup {
    let text = value.to_string().replace('<', "\\u003c");
    html! { script type="application/json" id=(id) { (PreEscaped(text)) } }
}

/// "aktivt SAMBU-team" → "Aktivt SAMBU-team".
pub fn capital(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|first| first.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #[test]
    fn seed_sources_read_as_document_names() {
        assert_eq!(
            super::seed_text("seed:003 (Slutrapport, 2024)"),
            "Slutrapport, 2024"
        );
        assert_eq!(
            super::seed_text("seed:003 och seed:000"),
            "Slutrapport, samverkansgrupp barn och unga, Vårdsamverkan Skaraborg (2024) och \
             Aktivitetsplan psykisk hälsa Skaraborg 2023"
        );
        assert_eq!(super::seed_text("Kommunens svar"), "Kommunens svar");
    }

    #[test]
    fn swedish_order_puts_a_ring_before_a_umlaut_before_o_umlaut() {
        let mut names = ["Örebro", "Älvdalen", "Åre", "Vara", "Ale"];
        names.sort_by_cached_key(|n| super::swedish_key(n));
        assert_eq!(names, ["Ale", "Vara", "Åre", "Älvdalen", "Örebro"]);
    }
}
