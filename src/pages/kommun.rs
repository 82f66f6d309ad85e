//! `/kommun/{kod}`: what the kommun offers for each age and level, coverage and named gaps, what
//! the neighbours offer for the gap ages, SAMBU, partssamverkan, adherence, SIP trainings, and the
//! change since the previous round; each fact with its source and date. Prints as an A4 report.

use maud::{Markup, html};

use crate::atlas::lapsed_label;
use crate::coverage::{Gap, LevelFilter, PRENATAL, age_label};
use crate::vocabulary::{AdherenceStatus, CellState, Level, PartsStatus, SambuStatus};

use super::Cx;
use super::cards::{kommun_contacts, programmes_for};
use super::charts::{Change, ages_text, kommun_strip};
use super::filters::age_code;
use super::format::{
    age_range, age_state, answered_line, filter_label, level_filters, levels, round_option, share,
};
use super::layout::{Script, capital, checked_source, page as layout_page, source_link, state};

/// What a kommun page shows: the kommun, the round, and optionally a child's age and a level
/// (then that age's programmes come first).
pub struct View {
    pub k: usize,
    pub r: usize,
    pub age: Option<i8>,
    pub level: LevelFilter,
}

impl View {
    /// The canonical query (defaults left out).
    pub fn query(&self, a: &crate::atlas::Atlas) -> String {
        super::query_string(&[
            ("round", super::round_param(a, self.r)),
            ("age", self.age.map(age_code).unwrap_or_default()),
            ("level", super::level_param(self.level)),
        ])
    }
}

pub fn page(cx: &Cx, v: &View) -> Markup {
    let a = cx.a;
    let (k, r) = (v.k, v.r);
    let kommun = &a.kommuner()[k];
    let round = &a.inventory.rounds[r];
    let main = html! {
        h1 { (kommun.name) }
        p.ingress {
            "Föräldraskapsstöd i " (kommun.name) " (kommunkod " (kommun.code) "). Uppgifterna gäller "
            strong { (round_option(round)) } " (" (round.collected) "). "
            strong { "Okänt" } " betyder att uppgift saknas, inte att stödet saknas."
        }
        p.svarsgrad {
            @if a.answered(k, r) { (kommun.name) " har svar i omgången. " }
            @else { (kommun.name) " har inga egna svar i omgången. " }
            (answered_line(cx, r))
        }
        (round_form(cx, v))
        @if v.age.is_some() {
            (programmes_for(cx, k, r, v.age, v.level, 2))
        }
        nav.innehall.ej-utskrift aria-label="På den här sidan" {
            ul {
                li { a href="#erbjudanden" { "Program" } }
                li { a href="#tackning" { "Täckning" } }
                li { a href="#luckor" { "Luckor" } }
                li { a href="#grannar" { "Grannkommuner" } }
                li { a href="#kontakt" { "Kontakt" } }
                li { a href="#sambu" { "SAMBU" } }
                li { a href="#partssamverkan" { "Partssamverkan" } }
                li { a href="#foljsamhet" { "Följsamhet" } }
                li { a href="#utbildningar" { "SIP-utbildningar" } }
                li { a href="#jamforelse" { "Jämfört med förra omgången" } }
            }
        }
        (offers(cx, k, r))
        (coverage_table(cx, k, r))
        (gaps(cx, k, r))
        (neighbours(cx, k, r))
        section #kontakt aria-labelledby="h-kontakt" {
            h2 #h-kontakt { "Kontakt" }
            (kommun_contacts(cx, k))
            @for c in a.contacts(k) {
                p { (c.name) " (" (c.kind.label()) "): " (checked_source(&c.source, &c.last_confirmed, a.due(&c.last_confirmed))) }
            }
        }
        (sambu(cx, k))
        (partssamverkan(cx, k))
        (adherence(cx, k))
        (trainings(cx, k))
        (previous_round(cx, k, r))
        (downloads(cx, k, r))
        p.ej-utskrift {
            button #skriv-ut type="button" hidden { "Skriv ut rapport" }
            " Rapporten passar för ett möte i partssamverkan. "
            a href={ "/jamfor?kommuner=" (kommun.code) (neighbour_codes(cx, k)) } { "Jämför " (kommun.name) " med grannkommunerna" }
            "."
        }
    };
    layout_page(cx, &kommun.name, Script::None, main)
}

fn downloads(cx: &Cx, k: usize, r: usize) -> Markup {
    let a = cx.a;
    let q = super::query_string(&[
        ("kommun", a.kommuner()[k].code.clone()),
        ("round", a.inventory.rounds[r].id.clone()),
    ]);
    html! {
        section #nedladdning.ej-utskrift aria-labelledby="h-nedladdning" {
            h2 #h-nedladdning { "Ladda ner uppgifterna" }
            ul {
                li { a href={ "/api/v1/export/alla?format=xlsx&" (q) } { "Alla tabeller för " (a.kommuner()[k].name) " (Excel, .xlsx)" } }
                li { a href={ "/api/v1/export/erbjudanden?format=csv&" (q) } { "Program (CSV för Excel)" } }
                li { a href={ "/api/v1/export/tackning?format=csv&" (q) } { "Täckning och luckor (CSV för Excel)" } }
            }
        }
    }
}

fn neighbour_codes(cx: &Cx, k: usize) -> String {
    cx.a.kommuner()[k]
        .neighbours
        .iter()
        .take(3)
        .map(|(n, _)| format!(",{}", cx.a.kommuner()[*n].code))
        .collect()
}

fn round_form(cx: &Cx, v: &View) -> Markup {
    let a = cx.a;
    html! {
        form.omgang.ej-utskrift method="get" action={ "/kommun/" (a.kommuner()[v.k].code) } target=[cx.embed.then_some("_self")] {
            div.falt {
                label for="k-omgang" { "Omgång" }
                select #k-omgang name="round" {
                    @for (i, round) in a.inventory.rounds.iter().enumerate() {
                        option value=(round.id) selected[i == v.r] { (round_option(round)) }
                    }
                }
            }
            div.falt {
                label for="k-alder" { "Barnets ålder" }
                select #k-alder name="age" {
                    option value="" selected[v.age.is_none()] { "Ingen vald" }
                    option value="graviditet" selected[v.age == Some(-1)] { "Under graviditeten" }
                    @for n in 0..=17i8 {
                        option value=(n) selected[v.age == Some(n)] { @if n == 0 { "Under 1 år" } @else { (n) " år" } }
                    }
                }
            }
            @if v.level != LevelFilter::All { input type="hidden" name="level" value=(v.level.code()); }
            @if cx.embed { input type="hidden" name="embed" value="1"; }
            button type="submit" { "Visa" }
        }
    }
}

fn offers(cx: &Cx, k: usize, r: usize) -> Markup {
    let a = cx.a;
    // Offered first, then confirmed not offered, then unknown answers that have a row (lapsed:
    // okänt i dag, with their date; or okänt as the answer, with its source); the unknown ones
    // without any row are listed apart.
    let [offered, not_offered, unknown] = a.by_state(k, r, |_| true);
    let (lapsed, unknown): (Vec<usize>, Vec<usize>) = unknown
        .into_iter()
        .partition(|p| a.offering(k, r, *p).is_some());
    let answered: Vec<usize> = offered
        .into_iter()
        .chain(not_offered)
        .chain(lapsed)
        .collect();
    html! {
        section #erbjudanden aria-labelledby="h-erbjudanden" {
            h2 #h-erbjudanden { "Program" }
            @if answered.is_empty() {
                p { "Omgången har inga uppgifter om " (a.kommuner()[k].name) "." }
            } @else {
                div.tabellram tabindex="0" role="region" aria-label="Program med uppgift" {
                    table.staplad {
                        caption { "Program med uppgift" }
                        thead { tr {
                            th scope="col" { "Program" } th scope="col" { "Åldrar" } th scope="col" { "Nivå" }
                            th scope="col" { "Status" } th scope="col" { "Arrangör" } th scope="col" { "Källa" }
                        } }
                        tbody {
                            @for p in &answered {
                                @let prog = &a.programmes()[*p];
                                @if let Some(o) = a.offering(k, r, *p) { tr {
                                    th scope="row" data-label="Program" { a href={ "/program/" (prog.slug) "?kommun=" (a.kommuner()[k].code) } { (prog.name) } }
                                    td data-label="Åldrar" { (age_range(prog.age_min, prog.age_max)) }
                                    td data-label="Nivå" { (levels(&prog.levels)) }
                                    td data-label="Status" {
                                        @match a.lapsed(k, r, *p) {
                                            Some(o) => span.tillstand.okant { (lapsed_label(o)) },
                                            None => (state(a.cell_state(k, r, *p))),
                                        }
                                        @if a.supplementary(k, r, *p) { br; small { "enligt offentlig källa" } }
                                    }
                                    td data-label="Arrangör" { (o.organiser) @if !o.note.is_empty() { br; small { (o.note) } } }
                                    td data-label="Källa" { (checked_source(&o.source, &o.last_confirmed, a.review_due(k, r, *p) && a.lapsed(k, r, *p).is_none())) }
                                } }
                            }
                        }
                    }
                }
            }
            @if !unknown.is_empty() {
                h3 { "Inga uppgifter om " (unknown.len()) " av " (a.programmes().len()) " program (okänt)" }
                ul.kolumner {
                    @for p in &unknown {
                        @let prog = &a.programmes()[*p];
                        li { a href={ "/program/" (prog.slug) } { (prog.name) } " – " (state(CellState::Unknown)) }
                    }
                }
            }
        }
    }
}

/// The ages × levels grid of one kommun in one round.
pub fn coverage_grid(cx: &Cx, k: usize, r: usize, caption: &str) -> Markup {
    let c = cx.a.coverage(k, r);
    let filters = level_filters();
    html! {
        div.tabellram tabindex="0" role="region" aria-label=(caption) {
            table.tackning.rutnat {
                caption { (caption) }
                thead { tr {
                    th scope="col" { "Ålder" }
                    @for f in &filters { th scope="col" { (filter_label(*f)) } }
                } }
                tbody {
                    @for age in PRENATAL..=17 {
                        tr {
                            th scope="row" { (age_label(age, age)) }
                            @for f in &filters { td { (age_state(c.level(*f), age)) } }
                        }
                    }
                }
                tfoot { tr {
                    th scope="row" { "Andel av 0–17 år" }
                    @for f in &filters { td { (share(c.level(*f))) } }
                } }
            }
        }
    }
}

fn coverage_table(cx: &Cx, k: usize, r: usize) -> Markup {
    html! {
        section #tackning aria-labelledby="h-tackning" {
            h2 #h-tackning { "Täckning av åldrarna 0–17 år" }
            p { "En ålder är " strong { "täckt" } " på en nivå när minst ett program för den åldern och nivån erbjuds. "
                strong { "Okänt" } " betyder att åldern inte är täckt av något bekräftat program, men att något program som skulle täcka den har okänd status. "
                strong { "Inget program i katalogen" } " betyder att katalogen saknar program för åldern och nivån: det är ingen brist i kommunen." }
            p.forklaring { "Nivåerna: universell – för alla föräldrar; selektiv – vid ökad risk; indikerad – när barnet redan har svårigheter." }
            (kommun_strip(cx, k, r, &level_filters()))
            details.som-tabell {
                summary { (cx.t("Visa som tabell", "Show as a table")) }
                (coverage_grid(cx, k, r, &format!("Täckning per ålder och nivå i {}", cx.a.kommuner()[k].name)))
            }
        }
    }
}

fn gap_text(g: &Gap) -> Markup {
    let n = (g.to - g.from + 1) as usize;
    html! {
        (g.label) ": "
        @if g.no_programme_ages.len() == n {
            span.tillstand.inget-program { "inget program i katalogen" } " för de åldrarna på den här nivån – ingen brist i kommunen"
        } @else if g.rests_on_unknown {
            span.tillstand.okant { "okänt" } " – kan täckas av program med okänd status"
        } @else if g.unknown_ages.is_empty() {
            span.tillstand.erbjuds-inte { "bekräftad lucka" }
        } @else {
            "delvis okänt (" (g.unknown_ages.len()) " av " (n) " åldrar kan täckas av program med okänd status)"
        }
    }
}

fn gaps(cx: &Cx, k: usize, r: usize) -> Markup {
    let c = cx.a.coverage(k, r);
    html! {
        section #luckor aria-labelledby="h-luckor" {
            h2 #h-luckor { "Luckor" }
            p { "Åldrar 0–17 år utan något bekräftat program, per nivå." }
            dl {
                @for f in level_filters() {
                    @let gs = c.level(f).gaps();
                    dt { (filter_label(f)) }
                    @if gs.is_empty() {
                        dd { "Inga luckor: alla åldrar 0–17 år är täckta." }
                    }
                    @for g in &gs { dd { (gap_text(g)) } }
                }
            }
        }
    }
}

/// Programmes offered in the neighbouring kommuner at a level, for any of the gap ages there.
fn neighbours(cx: &Cx, k: usize, r: usize) -> Markup {
    let a = cx.a;
    let c = a.coverage(k, r);
    let ns = &a.kommuner()[k].neighbours;
    html! {
        section #grannar aria-labelledby="h-grannar" {
            h2 #h-grannar { "Grannkommunernas program för luckorna" }
            @if ns.is_empty() {
                p { "Kommunen har inga grannkommuner i regionen." }
            } @else {
                p { "Grannkommuner (gemensam gräns): "
                    @for (i, (n, _)) in ns.iter().enumerate() {
                        @if i > 0 { ", " }
                        a href={ "/kommun/" (a.kommuner()[*n].code) } { (a.kommuner()[*n].name) }
                    }
                    ". Samverkan över kommungränsen kan vara ett sätt att fylla en lucka." }
                @for l in Level::ALL {
                    @let f = LevelFilter::Only(*l);
                    @let gaps = c.level(f).gaps();
                    @if !gaps.is_empty() {
                        h3 { (capital(l.label())) " nivå – luckor: " (gaps.iter().map(|g| g.label.as_str()).collect::<Vec<_>>().join(", ")) }
                        ul {
                            @for (n, _) in ns {
                                li { strong { (a.kommuner()[*n].name) ": " } (neighbour_offers(cx, *n, r, f, &gaps)) }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn neighbour_offers(cx: &Cx, n: usize, r: usize, f: LevelFilter, gaps: &[Gap]) -> Markup {
    let a = cx.a;
    let fits = |p: &crate::inventory::Programme| {
        f.matches(p)
            && gaps
                .iter()
                .any(|g| p.age_min <= g.to && g.from <= p.age_max)
    };
    let mut offered = Vec::new();
    let mut unknown = 0;
    for (p, prog) in a.programmes().iter().enumerate() {
        if fits(prog) {
            match a.cell_state(n, r, p) {
                CellState::Offered => offered.push(prog),
                CellState::Unknown => unknown += 1,
                CellState::NotOffered => {}
            }
        }
    }
    html! {
        @if offered.is_empty() {
            "inget bekräftat program"
        } @else {
            @for (i, prog) in offered.iter().enumerate() {
                @if i > 0 { ", " }
                a href={ "/program/" (prog.slug) } { (prog.name) } " (" (age_range(prog.age_min, prog.age_max)) ")"
            }
        }
        @if unknown > 0 { "; " (unknown) " program som passar har okänd status" }
    }
}

fn sambu(cx: &Cx, k: usize) -> Markup {
    let s = cx.a.sambu(k);
    html! {
        section #sambu aria-labelledby="h-sambu" {
            h2 #h-sambu { "SAMBU-team" }
            p.forklaring { "Ett SAMBU-team (samverkan barn och unga) är ett lokalt team där skola, hälso- och sjukvård och socialtjänst samverkar kring barn och unga." }
            @match s {
                Some(s) => {
                    p { "Status: " strong { (s.status.label()) }
                        @if !s.name.is_empty() { " – " (s.name) }
                        @if let Some(since) = &s.since { ", sedan " (since) }
                        "." }
                    @if !s.note.is_empty() { p { (s.note) } }
                    p { (checked_source(&s.source, &s.last_confirmed, cx.a.due(&s.last_confirmed))) }
                }
                None => p { "Status: " strong { (SambuStatus::Unknown.label()) } " – uppgift saknas." },
            }
        }
    }
}

fn partssamverkan(cx: &Cx, k: usize) -> Markup {
    let s = cx.a.partssamverkan(k);
    html! {
        section #partssamverkan aria-labelledby="h-partssamverkan" {
            h2 #h-partssamverkan { "Partssamverkan" }
            p.forklaring { "Partssamverkan är kommunens lokala samverkansgrupp för barn och unga, med kommunen och regionens verksamheter." }
            @match s {
                Some(s) => {
                    p { "Status: " strong { (s.status.label()) } ". Handlingsplan: " (s.action_plan.label()) "." }
                    @if !s.note.is_empty() { p { (s.note) } }
                    p { (checked_source(&s.source, &s.last_confirmed, cx.a.due(&s.last_confirmed))) }
                }
                None => p { "Status: " strong { (PartsStatus::Unknown.label()) } " – uppgift saknas." },
            }
        }
    }
}

fn adherence(cx: &Cx, k: usize) -> Markup {
    let a = cx.a;
    html! {
        section #foljsamhet aria-labelledby="h-foljsamhet" {
            h2 #h-foljsamhet { "Följsamhet till gemensamt beslutade dokument" }
            p.forklaring { "Följsamhet betyder hur långt kommunen har kommit med att införa överenskommelser och riktlinjer som kommunerna och regionen har beslutat tillsammans." }
            @if a.inventory.documents.is_empty() {
                p { "Inga beslutade dokument finns i uppgifterna ännu." }
            } @else {
                div.tabellram tabindex="0" role="region" aria-label="Dokumentens status" {
                    table.staplad {
                        caption { "Dokumentens status i " (a.kommuner()[k].name) }
                        thead { tr { th scope="col" { "Dokument" } th scope="col" { "Status" } th scope="col" { "Källa" } } }
                        tbody {
                            @for (d, doc) in a.inventory.documents.iter().enumerate() {
                                tr {
                                    th scope="row" data-label="Dokument" { (doc.title) br; small { (doc.kind.label()) ", " (doc.owner) } }
                                    @match a.adherence(k, d) {
                                        Some(x) => {
                                            td data-label="Status" { (x.status.label()) @if !x.note.is_empty() { br; small { (x.note) } } }
                                            td data-label="Källa" { (checked_source(&x.source, &x.date, a.due(&x.date))) }
                                        }
                                        None => {
                                            td data-label="Status" { span.tillstand.okant { (AdherenceStatus::Unknown.label()) } }
                                            td data-label="Källa" { "Uppgift saknas. Dokumentet: " (source_link(&doc.source)) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn trainings(cx: &Cx, k: usize) -> Markup {
    let rows: Vec<_> = cx.a.trainings(k).collect();
    html! {
        section #utbildningar aria-labelledby="h-utbildningar" {
            h2 #h-utbildningar { "SIP-utbildningar" }
            p.forklaring { "SIP är en samordnad individuell plan: kommunen och regionen gör en gemensam plan när ett barn behöver stöd från båda." }
            @if rows.is_empty() {
                p { "Ingen uppgift om utbildningar i kommunen (" span.tillstand.okant { "okänt" } ")." }
            } @else {
                div.tabellram tabindex="0" role="region" aria-label="Tabell: utbildningar i samverkanskompetens och SIP" {
                    table.staplad {
                        caption { "Utbildningar i samverkanskompetens och SIP" }
                        thead { tr { th scope="col" { "Utbildning" } th scope="col" { "Målgrupp" } th scope="col" { "Deltagare" } th scope="col" { "Period" } th scope="col" { "Källa" } } }
                        tbody {
                            @for t in rows {
                                tr {
                                    th scope="row" data-label="Utbildning" { (t.kind.label()) }
                                    td data-label="Målgrupp" { (t.audience) }
                                    td data-label="Deltagare" { @if t.approximate { "cirka " } (t.participants) }
                                    td data-label="Period" { (t.period) }
                                    td data-label="Källa" { (checked_source(&t.source, &t.last_confirmed, cx.a.due(&t.last_confirmed))) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn previous_round(cx: &Cx, k: usize, r: usize) -> Markup {
    let a = cx.a;
    let previous = a.previous_survey(r);
    html! {
        section #jamforelse aria-labelledby="h-jamforelse" {
            h2 #h-jamforelse { "Jämfört med förra omgången" }
            @match previous {
                None => p { "Det finns ingen tidigare enkätomgång att jämföra med." },
                Some(p) => {
                    (round_change(cx, k, p, r))
                    p { a.ej-utskrift href={ "/jamfor?kommuner=" (a.kommuner()[k].code) "&round=" (a.inventory.rounds[p].id) "," (a.inventory.rounds[r].id) } { "Jämför omgångarna i detalj" } }
                }
            }
        }
    }
}

/// What changed for kommun `k` from round `from` to round `to`: coverage per level and each
/// programme whose state changed.
pub fn round_change(cx: &Cx, k: usize, from: usize, to: usize) -> Markup {
    let a = cx.a;
    let (x, y) = (a.coverage(k, from), a.coverage(k, to));
    let (rx, ry) = (&a.inventory.rounds[from], &a.inventory.rounds[to]);
    let changes: Vec<(usize, CellState, CellState)> = (0..a.programmes().len())
        .map(|p| (p, a.cell_state(k, from, p), a.cell_state(k, to, p)))
        .filter(|(_, s, t)| s != t)
        .collect();
    // With no answer on one side, "no change" would claim what nobody knows.
    let missing: Vec<&str> = [(from, rx), (to, ry)]
        .iter()
        .filter(|(r, _)| !a.answered(k, *r))
        .map(|(_, round)| round.name.as_str())
        .collect();
    if !missing.is_empty() {
        return html! {
            p.ojamforbar { strong { "Kan inte jämföras – inga uppgifter" } " om " (a.kommuner()[k].name) " i " (missing.join(" och ")) "." }
        };
    }
    html! {
        div.tabellram tabindex="0" role="region" aria-label="Förändring mellan omgångarna" {
            table {
                caption { "Täckta åldrar: " (rx.name) " jämfört med " (ry.name) }
                thead { tr { th scope="col" { "Nivå" } th scope="col" { (rx.name) } th scope="col" { (ry.name) } th scope="col" { "Förändring" } } }
                tbody {
                    @for f in level_filters() {
                        @let (a0, a1) = (x.level(f), y.level(f));
                        // A change to or from okänt is no confirmed change: it is said apart.
                        @let change = Change::between(a0, a1);
                        tr {
                            th scope="row" { (filter_label(f)) }
                            td { (share(a0)) }
                            td { (share(a1)) }
                            td {
                                @if change.gained.is_empty() && change.lost.is_empty() && change.unsure.is_empty() { "ingen förändring" }
                                @if !change.gained.is_empty() { "nytt täckt: " (ages_text(cx.lang, &change.gained)) " " }
                                @if !change.lost.is_empty() { "inte längre täckt: " (ages_text(cx.lang, &change.lost)) " " }
                                @if !change.unsure.is_empty() { "okänt i den ena omgången: " (ages_text(cx.lang, &change.unsure)) }
                            }
                        }
                    }
                }
            }
        }
        @if changes.is_empty() {
            p { "Inget program har ändrat status mellan omgångarna." }
        } @else {
            ul {
                @for (p, s, t) in &changes {
                    li { (a.programmes()[*p].name) ": " (state(*s)) " → " (state(*t)) }
                }
            }
        }
    }
}
