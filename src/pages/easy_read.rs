//! `/lattlast`: what the service shows and how a parent uses it, in lättläst Swedish (easy-to-read
//! Swedish: short sentences, one thought each, everyday words, no abbreviations, headings that
//! say what follows). Swedish only; linked from the header of every Swedish page.

use maud::{Markup, html};

use super::Cx;
use super::layout::{Script, page as layout_page};

pub fn page(cx: &Cx) -> Markup {
    let a = cx.a;
    let region = &a.inventory.dataset.region().name;
    let n = a.kommuner().len();
    let answered = a.answered_count(a.default_round);
    let main = html! {
        div.lattlast {
            h1 { "Lättläst om Skaraborgskartan" }
            p { "Här kan du läsa om Skaraborgskartan med enkla ord." }

            h2 { "Skaraborgskartan visar stöd till föräldrar" }
            p { "Det finns kurser för föräldrar." }
            p { "På kurserna får du hjälp att vara förälder." }
            p { "Kurserna är ofta i grupp, tillsammans med andra föräldrar." }
            p { "På sidorna kallas kurserna för program." }
            p { "Skaraborgskartan visar vilka kurser som finns i varje kommun i " (region) "." }
            p { "Det är " (n) " kommuner i " (region) "." }

            h2 { "Så hittar du kurser för ditt barn" }
            ol {
                li { "Gå till " a href="/" { "kartan och listan" } "." }
                li { "Välj din kommun." }
                li { "Välj hur gammalt ditt barn är." }
                li { "Tryck på knappen Visa." }
                li { "Nu ser du kurserna för ditt barn." }
            }
            p { "Du kan också trycka på namnet på din kommun i listan." }
            p { "Då ser du allt vi vet om din kommun." }

            h2 { "Det här betyder orden på sidorna" }
            dl {
                dt { "Erbjuds" }
                dd { "Kommunen har kursen." }
                dt { "Erbjuds inte" }
                dd { "Kommunen har sagt att den inte har kursen." }
                dt { "Okänt" }
                dd {
                    p { "Vi vet inte om kommunen har kursen." }
                    p { strong { "Okänt betyder inte att kursen saknas." } }
                    p { "Kursen kan finnas ändå." }
                    p { "Fråga din kommun." }
                }
            }

            h2 { "Här kan du fråga" }
            p { "Du kan fråga din kommun om kurser för föräldrar." }
            p { "Du kan också fråga en familjecentral." }
            p { "En familjecentral är en plats för familjer med små barn." }
            p { "Där kan du träffa andra föräldrar." }
            p { "Där finns också personal som hjälper familjer." }
            p { "På sidan om din kommun finns länkar till kommunen." }

            h2 { "Uppgifterna kan vara gamla" }
            p { "Vi frågar kommunerna vilka kurser de har." }
            @if answered == 0 {
                p { "Just nu har ingen kommun svarat på våra frågor." }
                p { "Därför är många uppgifter okända." }
            } @else {
                p { "Just nu har " (answered) " av " (n) " kommuner svarat på våra frågor." }
            }
            p { "Vid varje uppgift står ett datum." }
            p { "Datumet visar när någon senast kontrollerade uppgiften." }
            p { "Uppgiften kan ha ändrats efter det datumet." }
            p { "Fråga kommunen om du vill vara säker." }

            h2 { "Här kan du läsa mer" }
            p { "Sidan " a href="/om" { "Om uppgifterna" } " berättar mer om Skaraborgskartan." }
            p { "Den sidan är inte lättläst." }
        }
    };
    layout_page(cx, "Lättläst", Script::None, main)
}
