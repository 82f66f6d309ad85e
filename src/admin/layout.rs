//! What every admin page shares: head, skip link, the signed-in person and the admin menu, the
//! sign-out form.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::{DOCTYPE, Markup, html};

use crate::auth::Editor;

/// The stylesheet under its plain name, which revalidates on every load: admin pages are few and
/// personal, and are also made where no state is at hand (a refusal from an extractor).
const CSS: &str = "/assets/style.css";

/// An admin page. `editor` is None on the sign-in pages.
pub fn page(title: &str, editor: Option<&Editor>, main: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="sv" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="robots" content="noindex";
                title { (title) " – Skaraborgskartan, administration" }
                link rel="stylesheet" href=(CSS);
            }
            body.admin {
                a.hopp href="#innehall" { "Hoppa till innehållet" }
                header.sidhuvud {
                    a.logotyp href="/admin" { "Skaraborgskartan – administration" }
                    @if let Some(e) = editor {
                        nav aria-label="Administration" {
                            ul {
                                li { a href="/admin" { "Översikt" } }
                                li { a href="/admin/omgangar" { "Omgångar" } }
                                li { a href="/admin/inaktuellt" { "Inaktuellt" } }
                                li { a href="/admin/rapporter" { "Rapporter" } }
                                li { a href="/admin/historik" { "Historik" } }
                                li { a href="/admin/import" { "Importera" } }
                                @if e.account.role == crate::auth::Role::Samordnare {
                                    li { a href="/admin/program" { "Programkatalog" } }
                                    li { a href="/admin/konton" { "Konton" } }
                                }
                                li { a href="/admin/konto" { "Mitt konto" } }
                            }
                        }
                        form.utloggning method="post" action="/admin/logga-ut" {
                            input type="hidden" name="csrf" value=(e.session.csrf);
                            span { "Inloggad som " (e.account.email) " (" (e.account.role.label()) ") " }
                            button type="submit" { "Logga ut" }
                        }
                    }
                }
                main #innehall tabindex="-1" {
                    h1 { (title) }
                    (main)
                }
                footer.sidfot {
                    p { a href="/" { "Till den publika kartan" } }
                }
            }
        }
    }
}

/// A whole admin page as a response, never cached.
pub fn respond(status: StatusCode, markup: Markup) -> Response {
    let mut r = (status, markup.into_string()).into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// A short message page (refusals, errors).
pub fn message(status: StatusCode, title: &str, text: &str) -> Response {
    respond(
        status,
        page(
            title,
            None,
            html! {
                p { (text) }
                p { a href="/admin" { "Till administrationens start" } }
            },
        ),
    )
}
