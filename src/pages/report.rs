//! `/rapportera` (in English `/en/report`): "Rapportera fel eller komplettera", a short form where
//! a visitor says what is wrong or missing about a kommun, a programme, or the service's
//! accessibility (the feedback path of `/tillganglighet`), with an optional source and e-mail
//! address. Reports go to the coordinator's queue (`/admin/rapporter`) and are never published.
//!
//! The kommun and programme pages are cached bodies shared by everyone, so a visitor's CSRF
//! token cannot sit in them: they carry a plain link ([`section`]) to this page, which is made
//! per visitor and never stored (`Cache-Control: no-store`). Its token is an anonymous
//! session's, as on the sign-in form ([`pre_sign_in`], with its limit on new sessions per
//! address). A report is read strictly (form encoding only, valid UTF-8, known fields once
//! each), checked ([`crate::store::reports`]), counted against its own throttle (per client
//! address as [`Client`] reads it behind `--trusted-proxies`, and for everyone:
//! [`crate::auth::throttle::Reports`]), written in one transaction, and only then answered
//! with a redirect to the thank-you page. Every refusal is a Swedish (or, on `/en/report`,
//! English) page with a 4xx status; what was typed is kept wherever the form can be shown again.

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::Response;
use axum::routing::get;
use maud::{Markup, html};

use super::Cx;
use super::layout::{Script, grouped, page as layout_page};
use crate::AppState;
use crate::admin::forms::Values;
use crate::admin::layout::respond;
use crate::admin::signin::{see_other, with_cookie};
use crate::atlas::Atlas;
use crate::auth::Client;
use crate::auth::sessions::{Refusal, Session, current, pre_sign_in};
use crate::http::error::RequestError;
use crate::http::params::{self, Params};
use crate::lang::Lang;
use crate::store::reports::{Field, MESSAGE_MAX, NewReport, Problem, SOURCE_MAX, Sent, Topic};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/rapportera", get(form).post(send))
        .route("/rapportera/tack", get(thanks))
        .route("/en/report", get(form).post(send))
        .route("/en/report/thanks", get(thanks))
}

/// The largest form body read: a text at its limit, every character percent-encoded, fits.
const BODY_LIMIT: usize = 64 * 1024;
/// The trap for form-filling robots: a field people do not see (and cannot reach with Tab);
/// a report with it filled is not taken.
const HONEYPOT: &str = "hemsida";
/// The fields the form sends; anything else is refused.
const FIELDS: [&str; 8] = [
    "csrf", "kommun", "program", "topic", "text", "source", "email", HONEYPOT,
];

/// The form's address in a language.
fn path(lang: Lang) -> &'static str {
    lang.pick("/rapportera", "/en/report")
}

fn thanks_path(lang: Lang) -> &'static str {
    lang.pick("/rapportera/tack", "/en/report/thanks")
}

/// The language of a request by its path (`/en/…` is English).
fn lang_of(uri: &Uri) -> Lang {
    if uri.path().starts_with("/en/") {
        Lang::En
    } else {
        Lang::Sv
    }
}

/// What a report is about: a kommun, a programme (both, on a programme page opened from a
/// kommun), and the topic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct About {
    pub kommun: Option<usize>,
    pub programme: Option<usize>,
    pub topic: Topic,
}

impl About {
    pub const fn data(kommun: Option<usize>, programme: Option<usize>) -> About {
        About {
            kommun,
            programme,
            topic: Topic::Data,
        }
    }

    /// The service's accessibility (the feedback path of `/tillganglighet`).
    pub const fn accessibility() -> About {
        About {
            kommun: None,
            programme: None,
            topic: Topic::Accessibility,
        }
    }

    /// From the parameters `kommun`, `program` and `topic` (an empty value is no value); an
    /// unknown kommun or programme is a 404 naming it.
    fn read<'v>(a: &Atlas, get: impl Fn(&str) -> Option<&'v str>) -> Result<About, RequestError> {
        let kommun = get("kommun")
            .map(|code| params::kommun(a, "kommun", code))
            .transpose()?;
        let programme = get("program")
            .map(|slug| {
                a.programme_index(slug)
                    .ok_or_else(|| RequestError::unknown_programme(Some("program"), slug))
            })
            .transpose()?;
        let topic = match get("topic") {
            None => Topic::Data,
            Some(t) => Topic::parse(t).ok_or_else(|| {
                RequestError::invalid(format!(
                    "topic: ”{t}” är inget ämne för en rapport (finns: data, accessibility)."
                ))
            })?,
        };
        Ok(About {
            kommun,
            programme,
            topic,
        })
    }

    /// The parameters that say it, defaults left out.
    fn pairs(&self, a: &Atlas) -> [(&'static str, String); 3] {
        [
            (
                "kommun",
                self.kommun
                    .map(|k| a.kommuner()[k].code.clone())
                    .unwrap_or_default(),
            ),
            (
                "program",
                self.programme
                    .map(|p| a.programmes()[p].slug.clone())
                    .unwrap_or_default(),
            ),
            (
                "topic",
                match self.topic {
                    Topic::Data => String::new(),
                    t => t.code().to_string(),
                },
            ),
        ]
    }

    fn query(&self, a: &Atlas) -> String {
        super::query_string(&self.pairs(a))
    }

    /// The public page the report is about, if one.
    fn public_page(&self, a: &Atlas) -> Option<String> {
        public_page(
            self.kommun.map(|k| a.kommuner()[k].code.as_str()),
            self.programme.map(|p| a.programmes()[p].slug.as_str()),
            self.topic,
        )
    }

    /// "Tibro", "ABC – Alla Barn i Centrum", "ABC – Alla Barn i Centrum i Tibro"; None when about
    /// nothing in particular.
    fn name(&self, cx: &Cx) -> Option<String> {
        let a = cx.a;
        let kommun = self.kommun.map(|k| a.kommuner()[k].name.as_str());
        let programme = self.programme.map(|p| a.programmes()[p].name.as_str());
        match (programme, kommun) {
            (Some(p), Some(k)) => Some(format!("{p} {} {k}", cx.t("i", "in"))),
            (Some(p), None) => Some(p.to_string()),
            (None, Some(k)) => Some(k.to_string()),
            (None, None) => None,
        }
    }
}

/// The public page a report is about (by kommunkod and programme slug), if one: what the form
/// and the queue link to; the Swedish page's address (a page in English links to its twin
/// through `Cx::href`).
pub fn public_page(kommun: Option<&str>, programme: Option<&str>, topic: Topic) -> Option<String> {
    match (topic, kommun, programme) {
        (Topic::Accessibility, _, _) => Some("/tillganglighet".into()),
        (_, kommun, Some(p)) => Some(super::with_query(
            &format!("/program/{p}"),
            &super::query_string(&[("kommun", kommun.unwrap_or_default().to_string())]),
        )),
        (_, Some(code), None) => Some(format!("/kommun/{code}")),
        (Topic::Data, None, None) => None,
    }
}

/// The form's address for what a page is about, in the page's language.
pub fn href(cx: &Cx, about: &About) -> String {
    super::with_query(path(cx.lang), &about.query(cx.a))
}

/// The invitation on a kommun or programme page: a heading and a link to the form about it.
pub fn section(cx: &Cx, about: About) -> Markup {
    let name = about.name(cx).unwrap_or_default();
    html! {
        section #rapportera.ej-utskrift aria-labelledby="h-rapportera" {
            h2 #h-rapportera { (cx.t("Rapportera fel eller komplettera", "Report an error or add information")) }
            p {
                (cx.t("Är något fel, inaktuellt eller saknas? Berätta det för samordnaren, så kontrollerar vi och rättar. ",
                      "Is something wrong, out of date or missing? Tell the coordinator, and we will check it and correct it. "))
                a href=(href(cx, &about)) {
                    (cx.t("Rapportera fel eller komplettera uppgifterna om ", "Report an error or add information about ")) (name)
                }
            }
        }
    }
}

/// A form's problems: per field (by its form name), and those of the whole form.
#[derive(Debug, Default)]
struct Errors {
    fields: Vec<(Field, String)>,
    general: Vec<String>,
}

impl Errors {
    fn of(&self, f: Field) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| *n == f)
            .map(|(_, m)| m.as_str())
    }

    fn is_empty(&self) -> bool {
        self.fields.is_empty() && self.general.is_empty()
    }
}

/// A field's problem in the page's language.
fn problem_text(cx: &Cx, field: Field, p: Problem) -> String {
    match p {
        Problem::Missing => cx
            .t(
                "Skriv vad som är fel eller saknas.",
                "Write what is wrong or missing.",
            )
            .into(),
        Problem::TooLong { max, got } => match cx.lang {
            Lang::Sv => format!(
                "Högst {} tecken; texten har {}. Korta den.",
                grouped(max),
                grouped(got)
            ),
            Lang::En => format!(
                "At most {} characters; the text has {}. Please shorten it.",
                grouped(max),
                grouped(got)
            ),
        },
        Problem::Control if field == Field::Message => cx
            .t(
                "Texten innehåller osynliga styrtecken som inte kan tas emot. Skriv in texten igen, eller klistra in den som vanlig text.",
                "The text contains invisible control characters that cannot be accepted. Type the text again, or paste it as plain text.",
            )
            .into(),
        Problem::Control => cx
            .t(
                "Skriv källan på en rad, utan osynliga styrtecken.",
                "Write the source on one line, without invisible control characters.",
            )
            .into(),
        Problem::Email => cx
            .t(
                "Det här ser inte ut som en e-postadress (till exempel namn@exempel.se). Rätta den, eller lämna fältet tomt.",
                "This does not look like an e-mail address (for example name@example.com). Correct it, or leave the field empty.",
            )
            .into(),
    }
}

/// The form field's label.
fn label(cx: &Cx, f: Field) -> &'static str {
    match f {
        Field::Message => cx.t("Vad är fel eller saknas?", "What is wrong or missing?"),
        Field::Source => cx.t("Källa", "Source"),
        Field::Email => cx.t("Din e-postadress", "Your e-mail address"),
        Field::Note => "",
    }
}

/// A field as the error summary names it.
fn named(cx: &Cx, f: Field) -> &'static str {
    match f {
        Field::Message => cx.t("Texten", "The text"),
        Field::Source => cx.t("Källan", "The source"),
        Field::Email => cx.t("E-postadressen", "The e-mail address"),
        Field::Note => "",
    }
}

/// The id of a field's input (what its label and the error summary point to).
fn input_id(f: Field) -> String {
    format!("r-{}", f.name())
}

/// One labelled field with its hint and error, tied together for screen readers.
fn field(cx: &Cx, f: Field, hint: &str, values: &Values, errors: &Errors) -> Markup {
    let id = input_id(f);
    let error = errors.of(f);
    let described = match error {
        Some(_) => format!("{id}-hjalp {id}-fel"),
        None => format!("{id}-hjalp"),
    };
    let required = f == Field::Message;
    html! {
        div.falt.faltrad {
            label for=(id) {
                (label(cx, f))
                " " span.obligatoriskt { (if required { cx.t("(måste fyllas i)", "(required)") } else { cx.t("(frivilligt)", "(optional)") }) }
            }
            span.hjalptext id={ (id) "-hjalp" } { (hint) }
            @if let Some(e) = error { span.felmeddelande id={ (id) "-fel" } { span.dold { (cx.t("Fel: ", "Error: ")) } (e) } }
            @match f {
                Field::Message => textarea id=(id) name=(f.name()) rows="8" maxlength=(MESSAGE_MAX) required
                    aria-describedby=(described) aria-invalid=[error.map(|_| "true")] { (values.get(f.name())) },
                Field::Email => input type="email" id=(id) name=(f.name()) value=(values.get(f.name()))
                    maxlength="254" autocomplete="email" spellcheck="false" autocapitalize="none"
                    aria-describedby=(described) aria-invalid=[error.map(|_| "true")];,
                _ => input type="text" id=(id) name=(f.name()) value=(values.get(f.name())) maxlength=(SOURCE_MAX)
                    aria-describedby=(described) aria-invalid=[error.map(|_| "true")];,
            }
        }
    }
}

/// The form page: what the report is about, the form (with what was typed and its problems),
/// and what happens to a report and an e-mail address.
fn form_page(cx: &Cx, about: &About, csrf: &str, values: &Values, errors: &Errors) -> Markup {
    let a = cx.a;
    let title = cx.t(
        "Rapportera fel eller komplettera",
        "Report an error or add information",
    );
    let n = errors.fields.len() + errors.general.len();
    let message_hint = match about.topic {
        Topic::Accessibility => cx.t(
            "Vad fungerade inte, på vilken sida, och gärna vilket hjälpmedel du använde (till exempel skärmläsare, förstoring eller bara tangentbord). Högst 2\u{a0}000 tecken.",
            "What did not work, on which page, and if you like which assistive technology you used (for example a screen reader, magnification or only the keyboard). At most 2\u{a0}000 characters.",
        ),
        Topic::Data => cx.t(
            "Beskriv så noga du kan, till exempel vilket program, vilken ålder eller vilken uppgift det gäller och hur det är i stället. Högst 2\u{a0}000 tecken. Skriv inte namn eller andra uppgifter om barn eller andra personer.",
            "Describe it as exactly as you can, for example which programme, age or fact it is about and how it is instead. At most 2\u{a0}000 characters. Do not write names or other details about children or other people.",
        ),
    };
    let main = html! {
        h1 { (title) }
        @if !errors.is_empty() {
            div.felsammanfattning #felsammanfattning role="alert" aria-labelledby="fel-rubrik" tabindex="-1" {
                h2 #fel-rubrik {
                    @match cx.lang {
                        Lang::Sv => { "Rapporten skickades inte: " (if n == 1 { "1 sak".into() } else { format!("{n} saker") }) " att rätta" },
                        Lang::En => { "The report was not sent: " (if n == 1 { "1 thing".into() } else { format!("{n} things") }) " to correct" },
                    }
                }
                ul {
                    @for (f, m) in &errors.fields {
                        li { a href={ "#" (input_id(*f)) } { (named(cx, *f)) ": " (m) } }
                    }
                    @for m in &errors.general { li { (m) } }
                }
            }
        }
        p.ingress {
            (cx.t("Ser du något som är fel eller saknas i Skaraborgskartan? Berätta det här. Samordnaren på Vårdsamverkan Skaraborg läser varje rapport, kontrollerar uppgiften och rättar kartan om det behövs.",
                  "Do you see something that is wrong or missing in Skaraborgskartan? Tell us here. The coordinator at Vårdsamverkan Skaraborg reads every report, checks the fact and corrects the map if needed."))
        }
        div.rapport-galler {
            h2 { (cx.t("Rapporten gäller", "The report is about")) }
            p {
                @if about.topic == Topic::Accessibility {
                    (cx.t("Tillgängligheten i Skaraborgskartan: något som inte fungerar för dig.", "The accessibility of Skaraborgskartan: something that does not work for you."))
                } @else if let Some(name) = about.name(cx) {
                    (cx.t("Uppgifterna om ", "The information about "))
                    @match about.public_page(a) {
                        Some(href) => a href=(cx.href(&href)) { (name) },
                        None => (name),
                    }
                    "."
                } @else {
                    (cx.t("Skaraborgskartan i allmänhet.", "Skaraborgskartan in general."))
                }
                " " (cx.t("Gäller det något annat? Skriv det i texten.", "Is it about something else? Say so in the text."))
            }
        }
        form.redigera.rapport method="post" action=(path(cx.lang)) novalidate {
            input type="hidden" name="csrf" value=(csrf);
            @for (name, value) in about.pairs(a) {
                @if !value.is_empty() { input type="hidden" name=(name) value=(value); }
            }
            (field(cx, Field::Message, message_hint, values, errors))
            (field(cx, Field::Source, cx.t(
                "En webbadress eller namnet på ett dokument som visar hur det är, om du har en.",
                "A web address or the name of a document that shows how it is, if you have one."), values, errors))
            (field(cx, Field::Email, cx.t(
                "Bara om du vill att vi svarar dig. Adressen raderas när rapporten har hanterats.",
                "Only if you would like an answer. The address is deleted when the report has been handled."), values, errors))
            // People never see this field nor reach it with Tab; robots that fill in every
            // field do.
            div.dold aria-hidden="true" {
                label for="r-hemsida" { (cx.t("Lämna det här fältet tomt", "Leave this field empty")) }
                input type="text" id="r-hemsida" name=(HONEYPOT) value="" tabindex="-1" autocomplete="off";
            }
            div.knappar { button type="submit" { (cx.t("Skicka rapporten", "Send the report")) } }
        }
        section #vad-hander aria-labelledby="h-vad-hander" {
            h2 #h-vad-hander { (cx.t("Vad händer med rapporten?", "What happens to your report?")) }
            ul {
                li { (cx.t("Rapporten går till samordnaren för Skaraborgskartan på Vårdsamverkan Skaraborg och, när den gäller en kommun, till den kommunens redaktörer. Den visas aldrig på webbplatsen, i öppna data eller i filer som går att ladda ner.",
                           "The report goes to the coordinator of Skaraborgskartan at Vårdsamverkan Skaraborg and, when it is about a kommun (municipality), to that kommun's editors. It is never shown on the website, in the open data or in downloadable files.")) }
                li { (cx.t("Vi kontrollerar det du skriver mot källan eller med kommunen och rättar kartan om det behövs. En rättad uppgift visas med sin källa och datum.",
                           "We check what you write against the source or with the kommun, and correct the map if needed. A corrected fact is shown with its source and date.")) }
                li { (cx.t("Din e-postadress är en personuppgift. Den används bara för att svara dig om den här rapporten, och raderas när rapporten har hanterats – senast 12 månader efter att du skickade den.",
                           "Your e-mail address is personal data. It is used only to answer you about this report, and is deleted when the report has been handled – at the latest 12 months after you sent it.")) }
                li { (cx.t("Själva rapporten sparas utan e-postadress i 2 år efter att den har hanterats, så att vi kan se varför en uppgift ändrades. Skriv därför inte namn eller andra personuppgifter i texten.",
                           "The report itself is kept without the e-mail address for 2 years after it has been handled, so that we can see why a fact was changed. So please do not write names or other personal data in the text.")) }
                li { (cx.t("Din IP-adress sparas inte med rapporten; tjänsten håller den bara i minnet för att begränsa hur många rapporter som kan skickas. Formuläret använder en nödvändig kaka (cookie) som skyddar det mot förfalskade formulär; den innehåller inga uppgifter om dig.",
                           "Your IP address is not stored with the report; the service keeps it only in memory to limit how many reports can be sent. The form uses a necessary cookie that protects it against forged forms; it holds no information about you.")) }
            }
        }
    };
    layout_page(cx, title, Script::None, main)
}

/// A page for a request that cannot be taken as a report, and cannot be shown as the form
/// again: what went wrong, and the way back.
fn refused(cx: &Cx, status: StatusCode, message: &str) -> Response {
    let title = cx.t(
        "Rapporten kunde inte tas emot",
        "The report could not be received",
    );
    let main = html! {
        h1 { (title) }
        p.fel-text { (message) }
        p { a href=(path(cx.lang)) { (cx.t("Öppna formuläret igen", "Open the form again")) } }
    };
    respond(status, layout_page(cx, title, Script::None, main))
}

/// The page a Refusal of the session step stands for, in the form's words.
fn session_refused(cx: &Cx, r: Refusal) -> Response {
    match r {
        Refusal::TooMany(wait) => too_many(
            refused(
                cx,
                StatusCode::TOO_MANY_REQUESTS,
                cx.t(
                    "Många formulär har öppnats från din adress på kort tid. Vänta en minut och försök igen.",
                    "Many forms have been opened from your address in a short time. Wait a minute and try again.",
                ),
            ),
            wait,
        ),
        other => {
            tracing::error!("rapportformuläret: {other:?}");
            unavailable(cx)
        }
    }
}

fn unavailable(cx: &Cx) -> Response {
    refused(
        cx,
        StatusCode::SERVICE_UNAVAILABLE,
        cx.t(
            "Rapporter kan inte tas emot just nu. Försök igen om en stund, eller kontakta Vårdsamverkan Skaraborg via deras webbplats.",
            "Reports cannot be received right now. Try again in a while, or contact Vårdsamverkan Skaraborg through their website.",
        ),
    )
}

/// The form over plain HTTP from another machine: the session cookie is `Secure`, so the
/// browser would not send it back, and an e-mail address must not cross a network unencrypted.
fn insecure(cx: &Cx) -> Response {
    refused(
        cx,
        StatusCode::FORBIDDEN,
        cx.t(
            "Formuläret kan bara användas över en krypterad anslutning (https). Öppna sidan med tjänstens https-adress.",
            "The form can only be used over an encrypted connection (https). Open the page at the service's https address.",
        ),
    )
}

/// Adds `Retry-After` to a 429.
fn too_many(mut r: Response, wait: std::time::Duration) -> Response {
    r.headers_mut().insert(
        header::RETRY_AFTER,
        HeaderValue::from_str(&wait.as_secs().max(1).to_string()).expect("digits"),
    );
    r
}

/// A page's context: the snapshot, the site and the language; the address is canonical.
fn context<'a>(a: &'a Atlas, state: &'a AppState, lang: Lang, url: String) -> Cx<'a> {
    let mut cx = Cx::new(a, &state.site);
    cx.lang = lang;
    cx.canonical = url;
    cx
}

/// GET: the form about what the link says (unknown parameters such as `fbclid` ignored).
async fn form(
    State(state): State<AppState>,
    client: Client,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let lang = lang_of(&uri);
    let a = state.atlas();
    let p = Params::lenient(uri.query(), &["kommun", "program", "topic"], &[]);
    let about = match About::read(&a, |n| p.get(n)) {
        Ok(about) => about,
        Err(e) => {
            let cx = context(&a, &state, lang, path(lang).into());
            return super::error_page(&cx, e.status, Some(e.code), &e.message);
        }
    };
    let cx = context(
        &a,
        &state,
        lang,
        super::with_query(path(lang), &about.query(&a)),
    );
    if !client.secure() {
        return insecure(&cx);
    }
    if state.store.is_none() {
        return unavailable(&cx);
    }
    let (session, cookie) = match pre_sign_in(&state, &headers, &client).await {
        Ok(s) => s,
        Err(r) => return session_refused(&cx, r),
    };
    let page = form_page(
        &cx,
        &about,
        &session.csrf,
        &Values::default(),
        &Errors::default(),
    );
    with_cookie(respond(StatusCode::OK, page), cookie)
}

/// Why a posted body is not a form this page reads.
#[derive(Debug, PartialEq, Eq)]
enum Unreadable {
    /// A field whose name or value is not UTF-8 (the field's name, as far as it reads).
    NotUtf8(String),
    Unknown(String),
    Repeated(String),
}

/// Reads `application/x-www-form-urlencoded` strictly: every name and value must be UTF-8
/// once decoded (a lossy reading would store U+FFFD in place of what was sent), a name one of
/// [`FIELDS`], and none twice.
fn read_form(body: &[u8]) -> Result<Values, Unreadable> {
    let decode = |raw: &[u8]| String::from_utf8(percent_decoded(raw)).ok();
    let mut pairs: Vec<(String, String)> = Vec::new();
    for part in body.split(|&b| b == b'&').filter(|p| !p.is_empty()) {
        let (name, value) = match part.iter().position(|&b| b == b'=') {
            Some(i) => (&part[..i], &part[i + 1..]),
            None => (part, &[][..]),
        };
        let Some(name) = decode(name) else {
            return Err(Unreadable::NotUtf8(
                String::from_utf8_lossy(name).into_owned(),
            ));
        };
        let value = decode(value).ok_or_else(|| Unreadable::NotUtf8(name.clone()))?;
        if !FIELDS.contains(&name.as_str()) {
            return Err(Unreadable::Unknown(name));
        }
        if pairs.iter().any(|(n, _)| *n == name) {
            return Err(Unreadable::Repeated(name));
        }
        pairs.push((name, value));
    }
    Ok(Values::from_pairs(pairs))
}

/// The bytes a form-encoded name or value stands for: `+` is a space, `%XX` a byte; a `%`
/// without two hex digits after it stays as it is (as `form_urlencoded` reads it).
fn percent_decoded(raw: &[u8]) -> Vec<u8> {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let escaped = match raw.get(i..i + 3) {
            Some([b'%', h, l]) => hex(*h).zip(hex(*l)).map(|(h, l)| h << 4 | l),
            _ => None,
        };
        match (escaped, raw[i]) {
            (Some(b), _) => {
                out.push(b);
                i += 3;
            }
            (None, b'+') => {
                out.push(b' ');
                i += 1;
            }
            (None, b) => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

/// Whether a request says its body is a URL-encoded form (with or without a charset).
fn is_form(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|m| {
            m.trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        })
}

/// A form refused before it could be read, in the page's language (the Swedish names the
/// field as the form sends it).
fn unreadable_text(cx: &Cx, u: &Unreadable) -> String {
    let (sv, en) = match u {
        Unreadable::NotUtf8(n) => (
            format!("Fältet ”{n}” innehåller tecken som inte är giltig text (UTF-8)."),
            format!("The field ”{n}” holds characters that are not valid text (UTF-8)."),
        ),
        Unreadable::Unknown(n) => (
            format!("Formuläret har ett fält som inte hör dit: ”{n}”."),
            format!("The form has a field that does not belong to it: ”{n}”."),
        ),
        Unreadable::Repeated(n) => (
            format!("Fältet ”{n}” finns mer än en gång i formuläret."),
            format!("The field ”{n}” comes more than once in the form."),
        ),
    };
    let again = cx.t(
        " Skicka rapporten från formuläret på sidan.",
        " Send the report from the form on the page.",
    );
    format!("{}{again}", cx.lang.pick(sv, en))
}

/// POST: a report. Answered with the thank-you page (303) once it is stored, or the form again
/// with what to correct, or a page that says why it was refused.
async fn send(State(state): State<AppState>, client: Client, req: Request) -> Response {
    let lang = lang_of(req.uri());
    let a = state.atlas();
    let cx = context(&a, &state, lang, path(lang).into());
    let (parts, body) = req.into_parts();
    if !client.secure() {
        return insecure(&cx);
    }
    if !is_form(&parts.headers) {
        let sent = parts
            .headers
            .get(header::CONTENT_TYPE)
            .map_or("ingen".into(), |v| {
                String::from_utf8_lossy(v.as_bytes()).into_owned()
            });
        let message = match lang {
            Lang::Sv => format!(
                "Formuläret skickades som ”{sent}”, men tas bara emot som ett vanligt webbformulär (application/x-www-form-urlencoded). Skicka rapporten från formuläret på sidan."
            ),
            Lang::En => format!(
                "The form was sent as ”{sent}”, but is only received as a plain web form (application/x-www-form-urlencoded). Send the report from the form on the page."
            ),
        };
        return refused(&cx, StatusCode::UNSUPPORTED_MEDIA_TYPE, &message);
    }
    let Ok(bytes) = axum::body::to_bytes(body, BODY_LIMIT).await else {
        let message = match lang {
            Lang::Sv => format!(
                "Formuläret är för stort. Texten får vara högst {} tecken och källan högst {}. Gå tillbaka, korta texten och skicka igen.",
                grouped(MESSAGE_MAX),
                grouped(SOURCE_MAX)
            ),
            Lang::En => format!(
                "The form is too large. The text may have at most {} characters and the source {}. Go back, shorten the text and send it again.",
                grouped(MESSAGE_MAX),
                grouped(SOURCE_MAX)
            ),
        };
        return refused(&cx, StatusCode::PAYLOAD_TOO_LARGE, &message);
    };
    let values = match read_form(&bytes) {
        Ok(v) => v,
        Err(u) => return refused(&cx, StatusCode::BAD_REQUEST, &unreadable_text(&cx, &u)),
    };
    let given = |n: &str| Some(values.get(n)).filter(|v| !v.is_empty());
    let about = match About::read(&a, given) {
        Ok(about) => about,
        Err(e) => return refused(&cx, e.status, &e.message),
    };
    let cx = context(
        &a,
        &state,
        lang,
        super::with_query(path(lang), &about.query(&a)),
    );
    let Ok(store) = state.store() else {
        return unavailable(&cx);
    };
    let again = |status: StatusCode, csrf: &str, errors: &Errors| {
        respond(status, form_page(&cx, &about, csrf, &values, errors))
    };

    // The CSRF token: the session's. A session that has ended (the form open too long) gets a
    // new one and the form again with what was typed; a request with no session cookie at all
    // (cookies off, or sent from another site) gets no cookie and nothing of what it sent back.
    let session: Session = match current(&state, &parts.headers).await {
        Ok(Some(s)) if s.csrf_ok(values.get("csrf")) => s,
        Ok(Some(s)) => {
            let mut errors = Errors::default();
            errors.general.push(
                cx.t(
                    "Formulärets säkerhetskod stämde inte. Kontrollera texten och skicka igen.",
                    "The form's security code did not match. Check the text and send it again.",
                )
                .into(),
            );
            return again(StatusCode::FORBIDDEN, &s.csrf, &errors);
        }
        Ok(None) if crate::auth::sessions::token(&parts.headers).is_some() => {
            let (s, cookie) = match pre_sign_in(&state, &parts.headers, &client).await {
                Ok(s) => s,
                Err(r) => return session_refused(&cx, r),
            };
            let mut errors = Errors::default();
            errors.general.push(
                cx.t(
                    "Formuläret hade varit öppet för länge (mer än 30 minuter) och skickades inte. Det du skrev finns kvar: kontrollera och skicka igen.",
                    "The form had been open too long (more than 30 minutes) and was not sent. What you wrote is still here: check it and send it again.",
                )
                .into(),
            );
            return with_cookie(again(StatusCode::FORBIDDEN, &s.csrf, &errors), cookie);
        }
        Ok(None) => {
            return refused(
                &cx,
                StatusCode::FORBIDDEN,
                cx.t(
                    "Formuläret saknar giltig säkerhetskod. Det kan bero på att webbläsaren inte tar emot kakor (cookies) från den här sidan, eller på att formuläret skickades från en annan webbplats.",
                    "The form has no valid security code. Your browser may not accept cookies from this page, or the form was sent from another website.",
                ),
            );
        }
        Err(r) => return session_refused(&cx, r),
    };

    let mut errors = Errors::default();
    if !values.get(HONEYPOT).is_empty() {
        errors.general.push(
            cx.t(
                "Ett dolt fält som ska vara tomt var ifyllt (det brukar göras av program som fyller i formulär automatiskt). Fältet är nu tomt: skicka igen om du är en människa.",
                "A hidden field that must be empty was filled in (as programs that fill in forms automatically do). It is empty now: send again if you are a person.",
            )
            .into(),
        );
        return again(StatusCode::BAD_REQUEST, &session.csrf, &errors);
    }
    let sent = Sent {
        message: values.get("text"),
        source: values.get("source"),
        email: values.get("email"),
    };
    let kommun = about.kommun.map(|k| a.kommuner()[k].code.clone());
    let programme = about.programme.map(|p| a.programmes()[p].slug.clone());
    let report = match NewReport::check(kommun, programme, about.topic, lang, sent) {
        Ok(r) => r,
        Err(problems) => {
            for (f, p) in problems {
                errors.fields.push((f, problem_text(&cx, f, p)));
            }
            return again(StatusCode::UNPROCESSABLE_ENTITY, &session.csrf, &errors);
        }
    };
    if let Err(wait) = state.auth.reports.take(client.address) {
        let minutes = wait.as_secs().div_ceil(60).max(1);
        let text = match lang {
            Lang::Sv => format!(
                "Många rapporter har skickats på kort tid. Vänta {minutes} {} och skicka igen; det du skrivit finns kvar här.",
                if minutes == 1 { "minut" } else { "minuter" }
            ),
            Lang::En => format!(
                "Many reports have been sent in a short time. Wait {minutes} {} and send again; what you wrote is still here.",
                if minutes == 1 { "minute" } else { "minutes" }
            ),
        };
        errors.general.push(text);
        // Not the address: the service keeps it only in the throttle's memory.
        tracing::warn!("rapport avvisad: för många rapporter på kort tid");
        return too_many(
            again(StatusCode::TOO_MANY_REQUESTS, &session.csrf, &errors),
            wait,
        );
    }
    match store.add_report(&report, crate::dates::now_seconds()).await {
        Ok(id) => {
            tracing::info!(
                "rapport {id} mottagen (kommun {}, program {}, {})",
                report.kommun.as_deref().unwrap_or("–"),
                report.programme.as_deref().unwrap_or("–"),
                report.topic.code()
            );
            see_other(
                &super::with_query(thanks_path(lang), &about.query(&a)),
                None,
            )
        }
        Err(e) => {
            tracing::error!("rapporten kunde inte sparas: {e}");
            unavailable(&cx)
        }
    }
}

/// GET: the thank-you page, with the way back to what the report was about.
async fn thanks(State(state): State<AppState>, uri: Uri) -> Response {
    let lang = lang_of(&uri);
    let a = state.atlas();
    let p = Params::lenient(uri.query(), &["kommun", "program", "topic"], &[]);
    let about = About::read(&a, |n| p.get(n)).unwrap_or(About::data(None, None));
    let cx = context(&a, &state, lang, thanks_path(lang).into());
    let title = cx.t("Tack för din rapport", "Thank you for your report");
    let main = html! {
        h1 { (title) }
        p.ingress { (cx.t("Rapporten är sparad och samordnaren läser den. Om du lämnade din e-postadress kan vi svara dig; adressen raderas när rapporten har hanterats.",
                          "The report is saved and the coordinator will read it. If you left your e-mail address we can answer you; the address is deleted when the report has been handled.")) }
        ul {
            @if let (Some(href), Some(name)) = (about.public_page(&a), about.name(&cx)) {
                li { a href=(cx.href(&href)) { (cx.t("Tillbaka till ", "Back to ")) (name) } }
            }
            li { a href=(super::with_query(path(lang), &about.query(&a))) { (cx.t("Skicka en rapport till", "Send another report")) } }
            li { a href=(cx.href("/")) { (cx.t("Till kartan och listan", "To the map and the list")) } }
        }
    };
    respond(StatusCode::OK, layout_page(&cx, title, Script::None, main))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_is_read_strictly() {
        let v = read_form(b"csrf=ab&text=R%C3%A4tt+tid%0D%0Ab&email=").unwrap();
        assert_eq!(v.get("text"), "Rätt tid\r\nb");
        assert_eq!(v.get("email"), "");
        assert_eq!(
            read_form(b"text=%FF%FE"),
            Err(Unreadable::NotUtf8("text".into()))
        );
        assert_eq!(
            read_form(b"text=\xc3"),
            Err(Unreadable::NotUtf8("text".into()))
        );
        assert_eq!(
            read_form(b"text=a&admin=1"),
            Err(Unreadable::Unknown("admin".into()))
        );
        assert_eq!(
            read_form(b"text=a&text=b"),
            Err(Unreadable::Repeated("text".into()))
        );
        assert!(read_form(b"").unwrap().pairs().is_empty());
    }

    #[test]
    fn percent_escapes_are_decoded_as_bytes() {
        assert_eq!(percent_decoded(b"a+b%20c%C3%A5"), "a b cå".as_bytes());
        assert_eq!(percent_decoded(b"%2B%25%zz%4"), b"+%%zz%4");
        assert_eq!(percent_decoded(b"%ff"), [0xff]);
    }

    #[test]
    fn only_a_url_encoded_form_is_read() {
        let with = |ct: &str| {
            let mut h = HeaderMap::new();
            h.insert(header::CONTENT_TYPE, ct.parse().unwrap());
            is_form(&h)
        };
        assert!(with("application/x-www-form-urlencoded"));
        assert!(with("application/x-www-form-urlencoded; charset=UTF-8"));
        assert!(!with("multipart/form-data; boundary=x"));
        assert!(!with("application/json"));
        assert!(!is_form(&HeaderMap::new()));
    }
}
