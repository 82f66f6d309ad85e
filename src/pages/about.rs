//! `/om` (about the data), `/tillganglighet` (the accessibility statement DIGG requires) and the
//! error page that helps a user on after a bad link.

use axum::http::StatusCode;
use maud::{Markup, html};

use super::Cx;
use super::format::{age_range, level_text, levels, round_option};
use super::layout::{Script, capital, citation, count, page as layout_page, source_link};
use crate::lang::Lang;

/// When the accessibility of the service was last assessed (see /tillganglighet).
const ASSESSED: &str = "2026-12-01";

pub fn data(cx: &Cx) -> Markup {
    let a = cx.a;
    let inv = &a.inventory;
    let d = &inv.dataset;
    let t = |sv, en| cx.t(sv, en);
    let (round_col, kind_col, period_col, data_col, about_col) = (
        t("Omgång", "Round"),
        t("Slag", "Kind"),
        t("Period", "Period"),
        t("Uppgifter", "Information"),
        t("Om omgången", "About the round"),
    );
    let main = html! {
        h1 { (t("Om uppgifterna", "About the data")) }
        @match cx.lang {
            Lang::Sv => p.ingress { "Skaraborgskartan visar vilka manualbaserade föräldraskapsstödsprogram kommunerna i " (d.region().name)
                " erbjuder, för vilka åldrar och på vilken nivå, och hur kommunerna arbetar med SAMBU, partssamverkan och gemensamt beslutade dokument." },
            Lang::En => p.ingress { "Skaraborgskartan shows which manual-based parenting programmes the kommuns (municipalities) in " (d.region().name)
                " offer, for which ages and at which level, and how the kommuns work with SAMBU, partssamverkan and jointly decided documents. "
                "This is the English version of the pages; the data itself (names, organisers, notes and sources) is in Swedish." },
        }
        @if super::is_example(a) {
            @match cx.lang {
                Lang::Sv => p { strong { "Den här tjänsten visar exempeldata. " } "Alla uppgifter är påhittade för att visa hur tjänsten fungerar. Källorna börjar med ”EXEMPEL”." },
                Lang::En => p { strong { "This service shows example data. " } "All the information is made up to show how the service works. The sources start with “EXEMPEL” (example)." },
            }
        }
        h2 { (t("Erbjuds, erbjuds inte och okänt", "Offered, not offered and unknown")) }
        dl {
            dt { (t("Erbjuds", "Offered")) } dd { (t("Kommunen har uppgett, eller en källa visar, att programmet erbjuds.", "The kommun has said, or a source shows, that the programme is offered.")) }
            dt { (t("Erbjuds inte", "Not offered")) } dd { (t("Kommunen har uppgett att programmet inte erbjuds.", "The kommun has said that the programme is not offered.")) }
            @match cx.lang {
                Lang::Sv => { dt { "Okänt" } dd { "Vi saknar uppgift. Det betyder " strong { "inte" } " att programmet saknas. De flesta rutor är okända tills kommunernas svar i kartläggningarna har lagts in." } }
                Lang::En => { dt { "Unknown" } dd { "We have no information. It does " strong { "not" } " mean that the programme is missing. Most cells are unknown until the kommuns' answers in the surveys have been added." } }
            }
        }
        h2 { (t("Nivåer", "Levels")) }
        ul { @for l in crate::vocabulary::Level::ALL { li { (level_text(cx, *l)) "." } } }
        h2 { (t("Hur täckningen räknas", "How coverage is counted")) }
        p { (t("En ålder (0–17 år) är täckt på en nivå i en kommun och omgång när minst ett program för den åldern och nivån erbjuds där. ",
               "An age (0–17) is covered at a level in a kommun and round when at least one programme for that age and level is offered there. "))
            (t("En lucka är en följd av åldrar utan täckning. Om ett program som skulle täcka åldern har status okänt, visas luckan som okänd: den kan bero på att uppgift saknas.",
               "A gap is a run of ages without coverage. If a programme that would cover the age has the status unknown, the gap is shown as unknown: it may only be missing information.")) }
        h2 { (t("Hur gamla uppgifter visas", "How old information is shown")) }
        @match cx.lang {
            Lang::Sv => p { "En uppgift om att ett program erbjuds, eller inte erbjuds, som senast bekräftades före "
                (a.stale_before) " visas som till exempel ”erbjöds 2015 – okänt i dag” och räknas som okänd i kartan, täckningen och filerna. "
                "Det datumet är början av den senaste enkätomgången. Uppgifter ur offentliga källor används där omgången saknar svar, och står då med sin källa." },
            Lang::En => p { "Information that a programme is offered, or not offered, which was last confirmed before "
                (a.stale_before) " is shown as, for example, “offered in 2015 – unknown today” and counts as unknown on the map, in the coverage and in the files. "
                "That date is the start of the latest survey round. Information from public sources is used where the round has no answer, and is then shown with its source." },
        }
        h2 { (t("Omgångar", "Rounds")) }
        @match cx.lang {
            Lang::Sv => p { "En omgång är en insamling av uppgifter: en enkät till kommunerna, en samling uppgifter ur offentliga källor, eller historiska uppgifter. "
                "Sidorna visar först den senaste stängda enkätomgången: " strong { (inv.rounds[a.default_round].name) } ". "
                "En omgång som pågår visas bara när den väljs, märkt ”" (super::format::IN_PROGRESS) "”." },
            Lang::En => p { "A round is one collection of information: a survey of the kommuns, a collection of information from public sources, or historical records. "
                "The pages first show the latest closed survey round: " strong { (cx.sv(&inv.rounds[a.default_round].name)) } ". "
                "A round in progress is shown only when you choose it, marked “" (super::format::in_progress(cx)) "”." },
        }
        div.tabellram tabindex="0" role="region" aria-label=(t("Omgångar", "Rounds")) {
            table.staplad {
                caption { (t("Omgångar och samlingar av uppgifter", "Rounds and collections of information")) }
                thead { tr { th scope="col" { (round_col) } th scope="col" { (kind_col) } th scope="col" { (period_col) } th scope="col" { (data_col) } th scope="col" { (about_col) } } }
                tbody {
                    @for (r, round) in inv.rounds.iter().enumerate() {
                        @let answers = inv.offerings.iter().filter(|o| o.round == round.id).count();
                        tr {
                            th scope="row" data-label=(round_col) { (cx.sv(round_option(cx, round))) }
                            td data-label=(kind_col) { (capital(round.kind.label_in(cx.lang))) }
                            td data-label=(period_col) { (round.collected) }
                            td data-label=(data_col) {
                                @match cx.lang {
                                    Lang::Sv => { (count(answers, "svar", "svar")) " från " (count(a.answered_count(r), "kommun", "kommuner")) }
                                    Lang::En => { (count(answers, "answer", "answers")) " from " (count(a.answered_count(r), "kommun", "kommuns")) }
                                }
                            }
                            td data-label=(about_col) { (cx.sv(&round.note)) " " (t("Källa: ", "Source: ")) (cx.sv(source_link(cx, &round.source))) }
                        }
                    }
                }
            }
        }
        h2 #ordlista { (t("Ord som används", "Words we use")) }
        @match cx.lang {
            Lang::Sv => dl.ordlista {
                dt { "Föräldraskapsstödsprogram" } dd { "Ett program med manual, ofta en kurs i grupp, som hjälper föräldrar i relationen till barnet. Katalogen följer MFoF:s lista ”Program och metoder”." }
                dt { "Nivå" } dd { "Vem stödet är för: universell – alla föräldrar; selektiv – föräldrar i en situation med ökad risk, till exempel separerade eller nya i Sverige; indikerad – föräldrar vars barn redan har svårigheter." }
                dt { "Familjecentral" } dd { "En plats där mödrahälsovård, barnhälsovård, öppen förskola och socialtjänst finns tillsammans. Många föräldragrupper börjar där." }
                dt { "Omgång" } dd { "En insamling av uppgifter, till exempel kartläggningen 2021." }
                dt { "SAMBU" } dd { "Samverkan barn och unga: ett lokalt team där skola, hälso- och sjukvård och socialtjänst arbetar tillsammans kring barn och unga." }
                dt { "Partssamverkan" } dd { "Kommunens lokala samverkansgrupp för barn och unga, där kommunen och regionens verksamheter möts." }
                dt { "Följsamhet" } dd { "Hur långt kommunen har kommit med att införa överenskommelser och riktlinjer som kommunerna och regionen har beslutat tillsammans." }
                dt { "ÖKen" } dd { "Överenskommelsen ”Samverkan för barns och ungas hälsa” mellan kommunerna och Västra Götalandsregionen." }
                dt { "SIP" } dd { "Samordnad individuell plan: en gemensam plan från kommunen och regionen när ett barn behöver stöd från båda." }
                dt { "Okänt" } dd { "Vi saknar uppgift. Det betyder inte att stödet saknas." }
            },
            Lang::En => dl.ordlista {
                dt { "Kommun" } dd { "A municipality; Sweden has 290 kommuns. The kommun runs social services, schools and much of the support for parents." }
                dt { "Parenting programme" } dd { "A programme with a manual, often a course in a group, that helps parents in their relationship with their child. The catalogue follows MFoF's list “" span lang="sv" { "Program och metoder" } "” (programmes and methods)." }
                dt { "Level" } dd { "Who the support is for: universal – all parents; selective – parents in a situation with a higher risk, for example parents who have separated or are new to Sweden; indicated – parents whose child already has difficulties." }
                dt { "Familjecentral (family centre)" } dd { "A place where antenatal care, child health care, an open pre-school and social services work together. Many parent groups start there." }
                dt { "Round" } dd { "One collection of information, for example the survey of 2021." }
                dt { "SAMBU" } dd { span lang="sv" { "Samverkan barn och unga" } " (working together for children and young people): a local team where school, health care and social services work together for children and young people." }
                dt { "Partssamverkan" } dd { "The kommun's local group for working together on children and young people, where the kommun and the region's services meet." }
                dt { "Adherence" } dd { "How far the kommun has come in putting into practice the agreements and guidelines that the kommuns and the region have decided together." }
                dt { "ÖKen" } dd { "The agreement “" span lang="sv" { "Samverkan för barns och ungas hälsa" } "” (working together for the health of children and young people) between the kommuns and Västra Götalandsregionen, the region." }
                dt { "SIP" } dd { span lang="sv" { "Samordnad individuell plan" } " (coordinated individual plan): a joint plan from the kommun and the region when a child needs support from both." }
                dt { "Unknown" } dd { "We have no information. It does not mean that the support is missing." }
            },
        }
        h2 { (t("Programmen", "The programmes")) }
        @match cx.lang {
            Lang::Sv => p { "Katalogen bygger på Myndigheten för familjerätt och föräldraskapsstöds (MFoF) sammanställning ”Program och metoder”." },
            Lang::En => p { "The catalogue is based on the list “" span lang="sv" { "Program och metoder" } "” (programmes and methods) of the Swedish Family Law and Parental Support Authority (MFoF)." },
        }
        ul.kolumner {
            @for (p, prog) in a.programmes().iter().enumerate() {
                @let offered = (0..a.kommuner().len()).filter(|k| a.cell_state(*k, a.default_round, p) == crate::vocabulary::CellState::Offered).count();
                li { a href=(cx.href(&format!("/program/{}", prog.slug))) { (cx.sv(&prog.name)) } " – " (age_range(cx, prog.age_min, prog.age_max)) ", " (levels(cx, &prog.levels))
                    @if offered > 0 {
                        @match cx.lang {
                            Lang::Sv => { " (erbjuds i " (count(offered, "kommun", "kommuner")) ")" }
                            Lang::En => { " (offered in " (count(offered, "kommun", "kommuns")) ")" }
                        }
                    } }
            }
        }
        (bibliography(cx))
        h2 { (t("Licens och kartdata", "Licence and map data")) }
        p { (cx.sv(&d.config.attribution)) ". "
            (t("Kommunytorna är juridiska ytor och omfattar sjöar (till exempel Vänern och Vättern); en punkt i en sjö kan därför höra till en kommun. Kartan har ingen bakgrundskarta om ingen har konfigurerats.",
               "The kommun areas are legal areas and include lakes (for example Vänern and Vättern), so a point in a lake can belong to a kommun. The map has no background map unless one has been set up.")) }
        h2 { (t("Öppna data", "Open data")) }
        @match cx.lang {
            Lang::Sv => p { "Samma uppgifter finns som JSON och GeoJSON: " a href="/api/v1/region" { "översikt över regionen" } ", "
                a href="/api/v1/kommuner" { "kommunerna (GeoJSON)" } " och " a href="/api/v1/programmes" { "programkatalogen" } "." },
            Lang::En => p { "The same information is available as JSON and GeoJSON (with Swedish labels): " a href="/api/v1/region" { "an overview of the region" } ", "
                a href="/api/v1/kommuner" { "the kommuns (GeoJSON)" } " and " a href="/api/v1/programmes" { "the programme catalogue" } "." },
        }
        p { (cx.t("Tabellerna finns som CSV, Excel och GeoJSON: ", "The tables are available as CSV, Excel and GeoJSON: "))
            a href="/api/v1/export" { (cx.t("lista över exporterna", "list of the exports")) } ". "
            (cx.t("En beskrivning av datamängderna för Sveriges dataportal (DCAT-AP-SE): ", "A description of the data sets for Sveriges dataportal (DCAT-AP-SE): "))
            a href="/datasets/dcat" { "RDF/XML" } ", " a href="/datasets/dcat.ttl" { "Turtle" } "." }
    };
    layout_page(
        cx,
        t("Om uppgifterna", "About the data"),
        Script::None,
        main,
    )
}

/// The sources the data cites, as a bibliography: each citation with its address, and what the
/// sources table notes about it (a document that is not public says so there).
fn bibliography(cx: &Cx) -> Markup {
    let citations = cx.a.citations();
    let sv = (cx.lang != crate::lang::Lang::Sv).then_some("sv");
    html! {
        h2 #kallor { (cx.t("Källor", "Sources")) }
        p { (cx.t("Varje uppgift visas med sin källa och det datum då den senast bekräftades. Här är alla källor som uppgifterna hänvisar till (",
                  "Every fact is shown with its source and the date it was last confirmed. These are all the sources the data refers to ("))
            (citations.len())
            (cx.t("). Samma lista finns som ", "). The same list is available as "))
            a href="/api/v1/sources" { "JSON" } "." }
        ol.kallforteckning {
            @for c in &citations {
                li {
                    (citation(c, cx.lang))
                    @if let crate::citation::Citation::Listed(e) = c {
                        @if !e.note.is_empty() { br; small lang=[sv] { (e.note) } }
                    }
                }
            }
        }
    }
}

pub fn accessibility(cx: &Cx) -> Markup {
    let t = |sv, en| cx.t(sv, en);
    let title = t("Tillgänglighetsredogörelse", "Accessibility statement");
    let in_swedish = (cx.lang == Lang::En).then_some("sv");
    let main = html! {
        h1 { (title) }
        p.ingress {
            (t("Vårdsamverkan Skaraborg står bakom Skaraborgskartan. Vi vill att så många som möjligt ska kunna använda tjänsten. ",
               "Vårdsamverkan Skaraborg is responsible for Skaraborgskartan. We want as many people as possible to be able to use the service. "))
            (t("Här beskriver vi hur Skaraborgskartan uppfyller lagen (2018:1937) om tillgänglighet till digital offentlig service, kända brister och hur du kan rapportera problem.",
               "This statement describes how Skaraborgskartan meets the Swedish law (2018:1937) on accessibility to digital public services, the known shortcomings and how you can report problems."))
        }
        h2 { (t("Hur tillgänglig är tjänsten?", "How accessible is the service?")) }
        p {
            (t("Skaraborgskartan är ", "Skaraborgskartan is ")) strong { (t("delvis förenlig", "partially compliant")) }
            (t(" med lagen om tillgänglighet till digital offentlig service, på grund av de brister som beskrivs nedan. ",
               " with the law on accessibility to digital public services, because of the shortcomings described below. "))
            (t("Kravnivån är EN 301 549 V3.2.1, som hänvisar till WCAG 2.1 nivå AA.",
               "The required standard is EN 301 549 V3.2.1, which refers to WCAG 2.1 level AA."))
        }
        h2 { (t("Innehåll som inte är tillgängligt", "Content that is not accessible")) }
        h3 { (t("Utan synförmåga", "Without vision")) }
        ul {
            li { (t("Kommunytorna i kartan kan inte nås med tangentbordet eller läsas upp var för sig. All information i kartan finns i stället i listan och tabellerna på samma sida, som går att använda med tangentbord och skärmläsare. Kartan i sig är därför ett komplement.",
                    "The kommun areas on the map cannot be reached with the keyboard or read out one by one. All the information on the map is instead in the list and the tables on the same page, which work with a keyboard and a screen reader. The map itself is therefore an extra.")) }
        }
        h3 { (t("Med nedsatt färgseende", "With reduced colour vision")) }
        ul {
            li { (t("Kartans färger visar klasser (till exempel antal program). Varje klass står också i text i teckenförklaringen och i listan; ”okänt” är dessutom randigt. Vi har inte kontrollerat att alla färger skiljer sig med kontrastförhållandet 3:1 mot varandra.",
                    "The colours on the map show classes (for example the number of programmes). Every class is also written as text in the key and in the list, and “unknown” is striped as well. We have not checked that all the colours differ from each other with a contrast ratio of 3:1.")) }
        }
        h3 { (t("Med nedsatt motorik", "With reduced mobility")) }
        ul {
            li { (t("Kartan kan zoomas med knappar och flyttas med piltangenterna när den har fokus; ingen funktion kräver att man drar eller nyper.",
                    "The map can be zoomed with buttons and moved with the arrow keys when it has focus; no function needs dragging or pinching.")) }
        }
        h2 { (t("Innehåll som inte omfattas av lagen", "Content that the law does not cover")) }
        p { (t("Sidor hos andra organisationer som vi länkar till som källor omfattas inte av den här redogörelsen.",
               "Pages of other organisations that we link to as sources are not covered by this statement.")) }
        h2 { (t("Oskäligt betungande anpassning", "Disproportionate burden")) }
        p { (t("Vi åberopar inte undantaget för oskäligt betungande anpassning för något innehåll.",
               "We do not claim the exception for a disproportionate burden for any content.")) }
        h2 { (t("Hur vi har testat tjänsten", "How we tested the service")) }
        p {
            (t("Vi har gjort en egen granskning. Vid varje ändring körs automatiska tester i webbläsaren Chromium: ",
               "We have made our own review. On every change, automatic tests run in the Chromium browser: "))
            (t("axe-core (regler för WCAG 2.1 nivå A och AA) på varje typ av sida, på svenska och engelska, i datorbredd och i mobilbredd (375 px), med både riktiga uppgifter och exempeldata; ",
               "axe-core (the rules for WCAG 2.1 levels A and AA) on every type of page, in Swedish and in English, at desktop width and at phone width (375 px), with both real and example data; "))
            (t("test av filtren och listan med enbart tangentbord, av att Escape stänger en ruta i kartan och att Bakåt ångrar ett val; ",
               "tests of the filters and the list with the keyboard only, that Escape closes a box on the map and that Back undoes a choice; "))
            (t("test utan JavaScript och av den utskrivna rapporten (PDF med webbläsarens standardinställningar). ",
               "tests without JavaScript and of the printed report (PDF with the browser's standard settings). "))
            (t("Vi har också granskat skärmbilder av varje sida. Tjänsten har ännu inte granskats av en extern part eller testats av användare med skärmläsare.",
               "We have also looked at screenshots of every page. The service has not yet been reviewed by an outside party or tested by people who use screen readers."))
        }
        @match cx.lang {
            Lang::Sv => p { "Senaste bedömningen gjordes den " (ASSESSED) ". Redogörelsen uppdaterades senast den " (ASSESSED) "." },
            Lang::En => p { "The latest assessment was made on " (ASSESSED) ". The statement was last updated on " (ASSESSED) "." },
        }
        h2 { (t("Feedback och kontaktuppgifter", "Feedback and contact details")) }
        p {
            (t("Om du inte kan använda någon del av tjänsten, eller hittar brister som inte står här, ",
               "If you cannot use any part of the service, or find shortcomings that are not described here, "))
            a href=(super::report::href(cx, &super::report::About::accessibility())) {
                (t("rapportera problemet i vårt formulär", "report the problem in our form"))
            }
            (t(". Samordnaren läser varje rapport och försöker lösa problemet; lämnar du din e-postadress svarar vi dig. Du kan också kontakta oss via ",
               ". The coordinator reads every report and tries to solve the problem; if you leave your e-mail address, we will reply. You can also contact us through "))
            a href="https://www.vardsamverkan.se/organisation/delregionalvardsamverkan/skaraborg/" hreflang=[in_swedish] {
                (t("Vårdsamverkan Skaraborgs webbplats", "Vårdsamverkan Skaraborg's website (in Swedish)"))
            }
            "."
        }
        h2 { (t("Tillsyn", "Supervision")) }
        p {
            (t("Myndigheten för digital förvaltning (Digg) har ansvaret för tillsyn över lagen. Om du inte är nöjd med hur vi hanterar dina synpunkter kan du ",
               "The Agency for Digital Government (Digg) supervises the law. If you are not happy with how we handle your feedback, you can "))
            a href="https://www.digg.se/tdosanmalan" hreflang=[in_swedish] { (t("kontakta Digg och påtala det", "contact Digg and report it (in Swedish)")) }
            "."
        }
    };
    layout_page(cx, title, Script::None, main)
}

/// What went wrong, for an English page: the kind of problem in English (the service's detail
/// message is Swedish and follows, marked as such).
fn problem_en(code: Option<&str>) -> &'static str {
    match code {
        Some("okand_kommun") => "There is no kommun (municipality) with that code in the region.",
        Some("okant_program") => "That programme is not in the catalogue.",
        Some("okand_omgang") => "That round of collected information does not exist.",
        Some("okant_dokument") => "That document does not exist.",
        Some("ogiltig_parameter") => "A value in the address is not one the page can use.",
        None => "The page does not exist.",
        Some(_) => "Something in the address is not right.",
    }
}

/// A page for a bad link or a bad filter: what went wrong, and where to go instead. `code` is
/// the error's code (`None`: no page at that address).
pub fn problem(cx: &Cx, status: StatusCode, code: Option<&str>, message: &str) -> Markup {
    let a = cx.a;
    let title = if status == StatusCode::NOT_FOUND {
        cx.t("Sidan finns inte", "Page not found")
    } else {
        cx.t(
            "Något i adressen stämmer inte",
            "Something in the address is not right",
        )
    };
    let ks = cx.kommuner_by_name();
    let main = html! {
        h1 { (title) }
        @match cx.lang {
            Lang::Sv => p.fel { (message) },
            Lang::En => {
                p.fel { (problem_en(code)) }
                p { "The service's message, in Swedish: " span lang="sv" { (message) } }
            }
        }
        p { a href=(cx.href("/")) { (cx.t("Gå till kartan och listan över alla kommuner", "Go to the map and the list of all kommuns")) } }
        h2 { (cx.t("Kommunerna", "The kommuns")) }
        ul.kolumner {
            @for k in ks {
                @let [offered, _, unknown] = a.counts(k, a.default_round, |_| true);
                li { a href=(cx.href(&format!("/kommun/{}", a.kommuner()[k].code))) { (a.kommuner()[k].name) } " ("
                    @match cx.lang {
                        Lang::Sv => { (offered) " program erbjuds, " (unknown) " okända" }
                        Lang::En => { (offered) " offered, " (unknown) " unknown" }
                    }
                    ")" }
            }
        }
        p { (cx.t("Programmen finns på sidan ", "The programmes are listed on the page ")) a href=(cx.href("/om")) { (cx.t("Om uppgifterna", "About the data")) } "." }
    };
    layout_page(cx, title, Script::None, main)
}
