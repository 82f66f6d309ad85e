//! `/om` (about the data), `/tillganglighet` (the accessibility statement DIGG requires) and the
//! error page that helps a user on after a bad link.

use axum::http::StatusCode;
use maud::{Markup, html};

use super::Cx;
use super::format::{age_range, level_text, levels};
use super::layout::{Script, capital, citation, count, page as layout_page, source_link};

/// When the accessibility of the service was last assessed (see /tillganglighet).
const ASSESSED: &str = "2026-12-01";

pub fn data(cx: &Cx) -> Markup {
    let a = cx.a;
    let inv = &a.inventory;
    let d = &inv.dataset;
    let main = html! {
        h1 { "Om uppgifterna" }
        p.ingress { "Skaraborgskartan visar vilka manualbaserade föräldraskapsstödsprogram kommunerna i " (d.region().name)
            " erbjuder, för vilka åldrar och på vilken nivå, och hur kommunerna arbetar med SAMBU, partssamverkan och gemensamt beslutade dokument." }
        @if super::is_example(a) {
            p { strong { "Den här tjänsten visar exempeldata. " } "Alla uppgifter är påhittade för att visa hur tjänsten fungerar. Källorna börjar med ”EXEMPEL”." }
        }
        h2 { "Erbjuds, erbjuds inte och okänt" }
        dl {
            dt { "Erbjuds" } dd { "Kommunen har uppgett, eller en källa visar, att programmet erbjuds." }
            dt { "Erbjuds inte" } dd { "Kommunen har uppgett att programmet inte erbjuds." }
            dt { "Okänt" } dd { "Vi saknar uppgift. Det betyder " strong { "inte" } " att programmet saknas. De flesta rutor är okända tills kommunernas svar i kartläggningarna har lagts in." }
        }
        h2 { "Nivåer" }
        ul { @for l in crate::vocabulary::Level::ALL { li { (level_text(*l)) "." } } }
        h2 { "Hur täckningen räknas" }
        p { "En ålder (0–17 år) är täckt på en nivå i en kommun och omgång när minst ett program för den åldern och nivån erbjuds där. "
            "En lucka är en följd av åldrar utan täckning. Om ett program som skulle täcka åldern har status okänt, visas luckan som okänd: den kan bero på att uppgift saknas." }
        h2 { "Hur gamla uppgifter visas" }
        p { "En uppgift om att ett program erbjuds, eller inte erbjuds, som senast bekräftades före "
            (a.stale_before) " visas som till exempel ”erbjöds 2015 – okänt i dag” och räknas som okänd i kartan, täckningen och filerna. "
            "Det datumet är början av den senaste enkätomgången. Uppgifter ur offentliga källor används där omgången saknar svar, och står då med sin källa." }
        h2 { "Omgångar" }
        p { "En omgång är en insamling av uppgifter: en enkät till kommunerna, en samling uppgifter ur offentliga källor, eller historiska uppgifter. "
            "Sidorna visar först den senaste stängda enkätomgången: " strong { (inv.rounds[a.default_round].name) } ". "
            "En omgång som pågår visas bara när den väljs, märkt ”" (super::format::IN_PROGRESS) "”." }
        div.tabellram tabindex="0" role="region" aria-label="Omgångar" {
            table.staplad {
                caption { "Omgångar och samlingar av uppgifter" }
                thead { tr { th scope="col" { "Omgång" } th scope="col" { "Slag" } th scope="col" { "Period" } th scope="col" { "Uppgifter" } th scope="col" { "Om omgången" } } }
                tbody {
                    @for (r, round) in inv.rounds.iter().enumerate() {
                        tr {
                            th scope="row" data-label="Omgång" { (super::format::round_option(round)) }
                            td data-label="Slag" { (capital(round.kind.label())) }
                            td data-label="Period" { (round.collected) }
                            td data-label="Uppgifter" { (count(inv.offerings.iter().filter(|o| o.round == round.id).count(), "svar", "svar")) " från " (count(a.answered_count(r), "kommun", "kommuner")) }
                            td data-label="Om omgången" { (round.note) " Källa: " (source_link(cx, &round.source)) }
                        }
                    }
                }
            }
        }
        h2 #ordlista { "Ord som används" }
        dl.ordlista {
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
        }
        h2 { "Programmen" }
        p { "Katalogen bygger på Myndigheten för familjerätt och föräldraskapsstöds (MFoF) sammanställning ”Program och metoder”." }
        ul.kolumner {
            @for (p, prog) in a.programmes().iter().enumerate() {
                @let offered = (0..a.kommuner().len()).filter(|k| a.cell_state(*k, a.default_round, p) == crate::vocabulary::CellState::Offered).count();
                li { a href={ "/program/" (prog.slug) } { (prog.name) } " – " (age_range(prog.age_min, prog.age_max)) ", " (levels(&prog.levels))
                    @if offered > 0 { " (erbjuds i " (count(offered, "kommun", "kommuner")) ")" } }
            }
        }
        (bibliography(cx))
        h2 { "Licens och kartdata" }
        p { (d.config.attribution) ". Kommunytorna är juridiska ytor och omfattar sjöar (till exempel Vänern och Vättern); "
            "en punkt i en sjö kan därför höra till en kommun. Kartan har ingen bakgrundskarta om ingen har konfigurerats." }
        h2 { "Öppna data" }
        p { "Samma uppgifter finns som JSON och GeoJSON: " a href="/api/v1/region" { "översikt över regionen" } ", "
            a href="/api/v1/kommuner" { "kommunerna (GeoJSON)" } " och " a href="/api/v1/programmes" { "programkatalogen" } "." }
    };
    layout_page(cx, "Om uppgifterna", Script::None, main)
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
    let main = html! {
        h1 { "Tillgänglighetsredogörelse" }
        p.ingress { "Vårdsamverkan Skaraborg står bakom Skaraborgskartan. Vi vill att så många som möjligt ska kunna använda tjänsten. "
            "Här beskriver vi hur Skaraborgskartan uppfyller lagen (2018:1937) om tillgänglighet till digital offentlig service, kända brister och hur du kan rapportera problem." }
        h2 { "Hur tillgänglig är tjänsten?" }
        p { "Skaraborgskartan är " strong { "delvis förenlig" } " med lagen om tillgänglighet till digital offentlig service, på grund av de brister som beskrivs nedan. "
            "Kravnivån är EN 301 549 V3.2.1, som hänvisar till WCAG 2.1 nivå AA." }
        h2 { "Innehåll som inte är tillgängligt" }
        h3 { "Utan synförmåga" }
        ul {
            li { "Kommunytorna i kartan kan inte nås med tangentbordet eller läsas upp var för sig. All information i kartan finns i stället i listan och tabellerna på samma sida, som går att använda med tangentbord och skärmläsare. Kartan i sig är därför ett komplement." }
        }
        h3 { "Med nedsatt färgseende" }
        ul {
            li { "Kartans färger visar klasser (till exempel antal program). Varje klass står också i text i teckenförklaringen och i listan; ”okänt” är dessutom randigt. Vi har inte kontrollerat att alla färger skiljer sig med kontrastförhållandet 3:1 mot varandra." }
        }
        h3 { "Med nedsatt motorik" }
        ul {
            li { "Kartan kan zoomas med knappar och flyttas med piltangenterna när den har fokus; ingen funktion kräver att man drar eller nyper." }
        }
        h2 { "Innehåll som inte omfattas av lagen" }
        p { "Sidor hos andra organisationer som vi länkar till som källor omfattas inte av den här redogörelsen." }
        h2 { "Oskäligt betungande anpassning" }
        p { "Vi åberopar inte undantaget för oskäligt betungande anpassning för något innehåll." }
        h2 { "Hur vi har testat tjänsten" }
        p { "Vi har gjort en egen granskning. Vid varje ändring körs automatiska tester i webbläsaren Chromium: "
            "axe-core (regler för WCAG 2.1 nivå A och AA) på varje typ av sida, i datorbredd och i mobilbredd (375 px), med både riktiga uppgifter och exempeldata; "
            "test av filtren och listan med enbart tangentbord, av att Escape stänger en ruta i kartan och att Bakåt ångrar ett val; "
            "test utan JavaScript och av den utskrivna rapporten (PDF med webbläsarens standardinställningar). "
            "Vi har också granskat skärmbilder av varje sida. Tjänsten har ännu inte granskats av en extern part eller testats av användare med skärmläsare." }
        p { "Senaste bedömningen gjordes den " (ASSESSED) ". Redogörelsen uppdaterades senast den " (ASSESSED) "." }
        h2 { "Feedback och kontaktuppgifter" }
        p { "Om du inte kan använda någon del av tjänsten, eller hittar brister som inte står här, kontakta oss via "
            a href="https://www.vardsamverkan.se/organisation/delregionalvardsamverkan/skaraborg/" { "Vårdsamverkan Skaraborgs webbplats" }
            " så försöker vi lösa det. Ett formulär för synpunkter direkt i tjänsten kommer när samordnarens inloggning finns på plats." }
        h2 { "Tillsyn" }
        p { "Myndigheten för digital förvaltning (Digg) har ansvaret för tillsyn över lagen. Om du inte är nöjd med hur vi hanterar dina synpunkter kan du "
            a href="https://www.digg.se/tdosanmalan" { "kontakta Digg och påtala det" } "." }
    };
    layout_page(cx, "Tillgänglighetsredogörelse", Script::None, main)
}

/// A page for a bad link or a bad filter: what went wrong, and where to go instead.
pub fn problem(cx: &Cx, status: StatusCode, message: &str) -> Markup {
    let a = cx.a;
    let title = if status == StatusCode::NOT_FOUND {
        "Sidan finns inte"
    } else {
        "Något i adressen stämmer inte"
    };
    let ks = cx.kommuner_by_name();
    let main = html! {
        h1 { (title) }
        p.fel { (message) }
        p { a href="/" { "Gå till kartan och listan över alla kommuner" } }
        h2 { "Kommunerna" }
        ul.kolumner {
            @for k in ks {
                @let [offered, _, unknown] = a.counts(k, a.default_round, |_| true);
                li { a href={ "/kommun/" (a.kommuner()[k].code) } { (a.kommuner()[k].name) } " (" (offered) " program erbjuds, " (unknown) " okända)" }
            }
        }
        p { "Programmen finns på sidan " a href="/om" { "Om uppgifterna" } "." }
    };
    layout_page(cx, title, Script::None, main)
}
