//! What every page shares: the document head, the skip link, the example-data banner, the site
//! navigation, the footer with sources and the links to /om and /tillganglighet, and small
//! pieces used on several pages (a fact's source as its citation and its date, the three cell
//! states).

use maud::{DOCTYPE, Markup, PreEscaped, html};

use crate::atlas::Atlas;
use crate::citation::Citation;
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

    /// The address of another page in this page's language where that page exists (a Swedish
    /// path given on an English page becomes its `/en/…` twin); else the address as given.
    pub fn href(&self, address: &str) -> String {
        crate::lang::path_in(self.lang, address).unwrap_or_else(|| address.to_string())
    }

    /// `hreflang` for a link to `address`: `sv` on an English page where the target page exists
    /// only in Swedish (the comparison, the planner, the lättläst page…).
    pub fn hreflang(&self, address: &str) -> Option<&'static str> {
        (self.lang == Lang::En
            && crate::lang::is_page(address)
            && crate::lang::path_in(Lang::En, address).is_none())
        .then_some("sv")
    }

    /// Text from the data (names, organisers, notes, sources) as the data says it: Swedish, so
    /// marked `lang="sv"` on an English page.
    pub fn sv(&self, text: impl maud::Render) -> Markup {
        html! {
            @if self.lang == Lang::En { span lang="sv" { (text) } } @else { (text) }
        }
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

/// The page in the other language (the language link): the same page where it exists, else
/// that language's start page.
fn other_language(cx: &Cx) -> (Lang, String) {
    let other = cx.lang.other();
    let twin = crate::lang::path_in(other, &cx.canonical);
    (
        other,
        twin.unwrap_or_else(|| other.pick("/", "/en/").to_string()),
    )
}

/// "In English" / "På svenska" (and, on a Swedish page, "Lättläst"): in the site header, or in
/// the footer of an embedded view.
fn language_links(cx: &Cx) -> Markup {
    let (other, href) = other_language(cx);
    html! {
        @if cx.lang == Lang::Sv { li { a href="/lattlast" { "Lättläst" } } }
        li { a.sprak href=(href) lang=(other.code()) hreflang=(other.code()) { (other.switch_label()) } }
    }
}

/// "100 000": a number as Swedish text writes it (a no-break space between the thousands; the
/// English pages write it the same way).
pub fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{a0}');
        }
        out.push(c);
    }
    out
}

pub fn page(cx: &Cx, title: &str, script: Script, main: Markup) -> Markup {
    let d = &cx.a.inventory.dataset;
    let map = script == Script::Map && cx.site.has_map();
    // Both versions of the page, for search engines and browsers, where both exist.
    let versions: Vec<(Lang, String)> = Lang::ALL
        .iter()
        .filter_map(|l| Some((*l, crate::lang::path_in(*l, &cx.canonical)?)))
        .collect();
    html! {
        (DOCTYPE)
        html lang=(cx.lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " – Skaraborgskartan" }
                @if !cx.canonical.is_empty() { link rel="canonical" href=(cx.canonical); }
                @if versions.len() == 2 {
                    @for (l, href) in &versions { link rel="alternate" hreflang=(l.code()) href=(href); }
                }
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
                a.hopp href="#innehall" { (cx.t("Hoppa till innehållet", "Skip to content")) }
                @if !cx.embed {
                    header.sidhuvud.ej-utskrift {
                        a.logotyp href=(cx.href("/")) { "Skaraborgskartan" }
                        span.undertitel { (cx.t("Föräldraskapsstöd i ", "Parenting support in ")) (d.region().name) }
                        nav aria-label=(cx.t("Huvudmeny", "Main menu")) {
                            ul {
                                li { a href=(cx.href("/")) { (cx.t("Karta och lista", "Map and list")) } }
                                li { a href="/jamfor" hreflang=[cx.hreflang("/jamfor")] { (cx.t("Jämför kommuner", "Compare kommuns (in Swedish)")) } }
                                li { a href="/oversikt" hreflang=[(cx.lang != Lang::Sv).then_some("sv")] { (cx.t("Översikt", "Overview (in Swedish)")) } }
                                li { a href="/lagesbild" hreflang=[(cx.lang != Lang::Sv).then_some("sv")] { (cx.t("Lägesbild", "Status by kommun (in Swedish)")) } }
                                li { a href=(cx.href("/om")) { (cx.t("Om uppgifterna", "About the data")) } }
                            }
                        }
                        ul.sprakval { (language_links(cx)) }
                    }
                }
                main #innehall tabindex="-1" {
                    (print_header(cx, title))
                    // Inside main: every piece of content sits in a landmark, and the banner is
                    // the first thing the skip link leads to.
                    @if super::is_example(cx.a) {
                        div #exempeldata role="note" {
                            @match cx.lang {
                                Lang::Sv => {
                                    strong { "Exempeldata. " }
                                    "Uppgifterna på den här sidan är påhittade och visar bara hur tjänsten fungerar. "
                                    "De beskriver inte vad kommunerna verkligen erbjuder."
                                }
                                Lang::En => {
                                    strong { "Example data. " }
                                    "The information on this page is made up and only shows how the service works. "
                                    "It does not describe what the kommuns really offer."
                                }
                            }
                        }
                    }
                    (main)
                }
                footer.sidfot {
                    p {
                        @match (super::is_example(cx.a), cx.lang) {
                            (true, Lang::Sv) => { "Uppgifter: påhittade exempeldata, inte verkliga. " }
                            (true, Lang::En) => { "Data: made-up example data, not real. " }
                            (false, Lang::Sv) => { "Uppgifter: " (d.config.title) " (" (d.config.kind.label()) "). " }
                            (false, Lang::En) => { "Data: " (cx.sv(&d.config.title)) " (real data). " }
                        }
                        (cx.t("Varje uppgift visas med källa och det datum då den senast bekräftades. ",
                              "Every fact is shown with its source and the date it was last confirmed. "))
                        (cx.t("Skaraborgskartan drivs av Vårdsamverkan Skaraborg. ",
                              "Skaraborgskartan is run by Vårdsamverkan Skaraborg, the health and social care partnership of the kommuns and the region. "))
                        (cx.sv(&d.config.attribution)) "."
                    }
                    ul.sidfotslankar.ej-utskrift {
                        @if cx.embed { li { a href=(cx.href("/")) target="_top" { (cx.t("Öppna hela Skaraborgskartan", "Open the whole of Skaraborgskartan")) } } }
                        li { a href=(cx.href("/om")) { (cx.t("Om uppgifterna och källorna", "About the data and the sources")) } }
                        li { a href=(cx.href("/tillganglighet")) { (cx.t("Tillgänglighetsredogörelse", "Accessibility statement")) } }
                        @if !cx.embed { li { a href="/api/v1/region" { (cx.t("Öppna data (API)", "Open data (API)")) } } }
                        @if cx.embed { (language_links(cx)) }
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
                @if let Some(r) = cx.round { (cx.t("Omgång: ", "Round: ")) (super::format::round_title(cx, &cx.a.inventory.rounds[r])) ". " }
                (cx.t("Utskriven ", "Printed ")) (cx.today) ". "
                @if !address.is_empty() { (cx.t("Adress: ", "Address: ")) (address) }
            }
        }
    }
}

/// "Källa: … · Senast bekräftad: …" for one fact: the source as its citation (see [`cited`]).
pub fn source(cx: &Cx, source: &str, confirmed: Option<&Confirmed>) -> Markup {
    html! {
        span.kalla {
            (cx.t("Källa: ", "Source: ")) (cited(cx.a, cx.lang, source))
            @if let Some(c) = confirmed { (cx.t(" · Senast bekräftad: ", " · Last confirmed: ")) (date(cx, c)) }
        }
    }
}

/// A date a fact was confirmed: the date, or "okänt" / "unknown".
pub fn date(cx: &Cx, c: &Confirmed) -> String {
    match c {
        Confirmed::Unknown => cx.t("okänt", "unknown").to_string(),
        c => c.to_string(),
    }
}

/// [`source`] for a fact the staleness watch may flag: when `due`, the date reads "Senast
/// bekräftad mars 2023 – kan vara inaktuell" (the fact itself is shown as it is).
pub fn checked_source(cx: &Cx, source: &str, confirmed: &Confirmed, due: bool) -> Markup {
    html! {
        span.kalla {
            (cx.t("Källa: ", "Source: ")) (cited(cx.a, cx.lang, source)) " · "
            (confirmed_text(cx, confirmed, due))
        }
    }
}

/// "Senast bekräftad: 2024-05-02", or, for a due fact, "Senast bekräftad mars 2023 – kan vara
/// inaktuell" (marked, so it is seen).
pub fn confirmed_text(cx: &Cx, confirmed: &Confirmed, due: bool) -> Markup {
    html! {
        @if due {
            span.inaktuell { (cx.t("Senast bekräftad ", "Last confirmed ")) (crate::review::due_label_in(cx.lang, confirmed)) }
        } @else {
            (cx.t("Senast bekräftad: ", "Last confirmed: ")) (date(cx, confirmed))
        }
    }
}

/// A source on a page, in the page's language (see [`source_link`]).
pub fn source_link(cx: &Cx, source: &str) -> Markup {
    cited(cx.a, cx.lang, source)
}

/// A source on the desk: its citation and, so editors learn them, the reference as stored when
/// it names rows of the sources table ("… (webbsida, 2024) [vs-slutrapport-2024]").
pub fn desk_source(a: &Atlas, source: &str) -> Markup {
    html! {
        (cited(a, Lang::Sv, source))
        @if crate::citation::ids(source.trim()).is_some() { " " small.referens { "[" (source.trim()) "]" } }
    }
}

/// A source as its readable citations ([`crate::citation`]), each title linked where the source
/// has an address: "Skövde kommun: <a>Marte Meo-metoden på Lundvivegården</a> (webbsida,
/// odaterad, läst december 2026)"; an address not in the sources table by its host; free text
/// as written. Titles and publishers are Swedish: marked so on an English page.
pub fn cited(a: &Atlas, lang: Lang, source: &str) -> Markup {
    html! {
        @for (i, c) in a.cite(source).iter().enumerate() {
            @if i > 0 { "; " }
            (citation(c, lang))
        }
    }
}

/// One citation (see [`cited`]).
pub fn citation(c: &Citation, lang: Lang) -> Markup {
    let sv = (lang != Lang::Sv).then_some("sv");
    html! {
        @match c {
            Citation::Listed(e) => {
                span lang=[sv] {
                    (e.publisher) ": "
                    @if e.url.is_empty() { (e.title) } @else { a href=(e.url) { (e.title) } }
                }
                " (" (e.details(lang)) ")"
            }
            Citation::Address { url, rest } => {
                a href=(url) { (crate::citation::host(url)) }
                @if !rest.is_empty() { " " span lang=[sv] { (rest) } }
            }
            Citation::Text(t) => span lang=[sv] { (t) },
        }
    }
}

/// An age's coverage as text with its marker class: täckt, inte täckt, okänt, or the neutral
/// "inga program i katalogen".
pub fn age_marker(lang: Lang, s: AgeState) -> Markup {
    let class = match s {
        AgeState::Covered => "tillstand erbjuds",
        AgeState::NotCovered => "tillstand erbjuds-inte",
        AgeState::Unknown => "tillstand okant",
        AgeState::NoProgramme => "tillstand inget-program",
    };
    let text = match s {
        AgeState::NoProgramme => {
            lang.pick("inget program i katalogen", "no programme in the catalogue")
        }
        s => s.label_in(lang),
    };
    html! { span class=(class) { (text) } }
}

/// A cell state as text with its marker class; never colour alone.
pub fn state(s: CellState) -> Markup {
    state_in(Lang::Sv, s)
}

/// [`state`] in `lang`.
pub fn state_in(lang: Lang, s: CellState) -> Markup {
    let class = match s {
        CellState::Offered => "tillstand erbjuds",
        CellState::NotOffered => "tillstand erbjuds-inte",
        CellState::Unknown => "tillstand okant",
    };
    html! { span class=(class) { (s.label_in(lang)) } }
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
    fn numbers_are_grouped_by_thousands() {
        assert_eq!(super::grouped(2000), "2\u{a0}000");
        assert_eq!(super::grouped(100_000), "100\u{a0}000");
        assert_eq!(super::grouped(999), "999");
    }

    #[test]
    fn swedish_order_puts_a_ring_before_a_umlaut_before_o_umlaut() {
        let mut names = ["Örebro", "Älvdalen", "Åre", "Vara", "Ale"];
        names.sort_by_cached_key(|n| super::swedish_key(n));
        assert_eq!(names, ["Ale", "Vara", "Åre", "Älvdalen", "Örebro"]);
    }
}
