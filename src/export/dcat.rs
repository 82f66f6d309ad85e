//! The service's open data described in DCAT-AP-SE, so that Sveriges dataportal can harvest
//! it: `/datasets/dcat` (RDF/XML, the syntax the portal reads, at the address form DIGG
//! pre-registers for public bodies) and `/datasets/dcat.ttl` (Turtle). One dataset per export
//! table (different data, so not one dataset; DCAT-AP-SE's recommendation 3: distributions are
//! the same data in other forms), each with its files (CSV in both profiles, XLSX, GeoJSON) and,
//! for the OGC collections, the OGC API as a `dcat:DataService`. Absolute addresses come from
//! the configured public address, never from a request. Example data says so in every title.
//!
//! What is not known is left out rather than invented: the contact point needs an e-mail
//! address (`--contact-email`), so without one there is none; the data's terms are the project's
//! own statement (a licence document here), not a Creative Commons licence it never granted.

use crate::atlas::Atlas;
use crate::dataset::Kind;
use crate::dates::{Confirmed, PartialDate, Period};
use crate::http::body::Body;
use crate::ogc::catalog::COLLECTIONS;

use super::csv::Profile;
use super::rdf::{self, Node};
use super::tables::TableKind;
use super::{Format, TERMS, TERMS_EN};

crate::vocabulary::vocabulary!(
    /// A serialisation of the catalogue.
    RdfFormat {
        RdfXml = "rdf": "RDF/XML",
        Turtle = "ttl": "Turtle",
    }
);

impl RdfFormat {
    pub fn content_type(self) -> &'static str {
        match self {
            RdfFormat::RdfXml => "application/rdf+xml",
            RdfFormat::Turtle => "text/turtle; charset=utf-8",
        }
    }
}

/// Where the catalogue's path is, and so its own IRI.
pub const PATH: &str = "/datasets/dcat";

/// Who publishes the service (as on `/om` and `/tillganglighet`).
const PUBLISHER: &str = "Vårdsamverkan Skaraborg";
const PUBLISHER_HOME: &str =
    "https://www.vardsamverkan.se/organisation/delregionalvardsamverkan/skaraborg/";
/// A joint body of the region's kommuner and Västra Götalandsregionen.
const PUBLISHER_TYPE: &str = "http://purl.org/adms/publishertype/RegionalAuthority";
/// DCAT-AP-SE requires the catalogue's own metadata to be CC0.
const METADATA_LICENCE: &str = "http://creativecommons.org/publicdomain/zero/1.0/";

const EU: &str = "http://publications.europa.eu/resource/authority";

/// How the catalogue is published: the service's public address and, if given, the e-mail
/// address of its contact point. Fixed for the process, from the command line.
#[derive(Debug, Clone, Default)]
pub struct Publication {
    pub base: String,
    pub contact_email: Option<String>,
}

impl Publication {
    /// From the page options; the address printed on reports when none was configured.
    pub fn new(public_url: Option<&str>, contact_email: Option<&str>) -> Publication {
        Publication {
            base: public_url
                .unwrap_or("http://127.0.0.1:8080")
                .trim_end_matches('/')
                .to_string(),
            contact_email: contact_email.map(str::to_string),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The IRI of a thing the catalogue describes: its path with a fragment.
    fn id(&self, fragment: &str) -> String {
        format!("{}{PATH}#{fragment}", self.base)
    }
}

/// Checks an e-mail address for the contact point (`--contact-email`).
pub fn contact_email(s: &str) -> Result<String, String> {
    let ok = s.split_once('@').is_some_and(|(user, host)| {
        !user.is_empty()
            && host.contains('.')
            && !host.starts_with('.')
            && !host.ends_with('.')
            && !host.contains('@')
    }) && !s
        .chars()
        .any(|c| c.is_whitespace() || "<>\"(),;:[]\\".contains(c));
    if ok {
        Ok(s.to_string())
    } else {
        Err(format!(
            "--contact-email: ”{s}” är ingen e-postadress (t.ex. oppnadata@example.se)."
        ))
    }
}

/// The catalogue as a response body.
pub fn body(a: &Atlas, p: &Publication, format: RdfFormat) -> Body {
    let nodes = graph(a, p);
    let text = match format {
        RdfFormat::RdfXml => rdf::rdf_xml(&nodes),
        RdfFormat::Turtle => rdf::turtle(&nodes),
    };
    Body::new(format.content_type(), text.into_bytes())
}

/// A date as precise as it is: `xsd:gYear`, `xsd:gYearMonth` or `xsd:date`.
fn date(d: PartialDate) -> (String, &'static str) {
    let ty = match d {
        PartialDate::Year(_) => "xsd:gYear",
        PartialDate::Month(..) => "xsd:gYearMonth",
        PartialDate::Day(..) => "xsd:date",
    };
    (d.to_string(), ty)
}

/// A sort key for dates of different precision (a year sorts before its months).
fn key(d: &PartialDate) -> (u16, u8, u8) {
    match *d {
        PartialDate::Year(y) => (y, 0, 0),
        PartialDate::Month(y, m) => (y, m, 0),
        PartialDate::Day(y, m, d) => (y, m, d),
    }
}

/// The newest date any fact of the snapshot was confirmed: when the data last changed.
fn newest(a: &Atlas) -> Option<PartialDate> {
    let inv = &a.inventory;
    let confirmed = inv
        .offerings
        .iter()
        .map(|o| o.last_confirmed)
        .chain(inv.sambu.iter().map(|s| s.last_confirmed))
        .chain(inv.partssamverkan.iter().map(|s| s.last_confirmed))
        .chain(inv.adherence.iter().map(|x| x.date))
        .chain(inv.trainings.iter().map(|t| t.last_confirmed));
    confirmed
        .filter_map(|c| match c {
            Confirmed::On(d) => Some(d),
            Confirmed::Unknown => None,
        })
        .max_by_key(key)
}

/// The period the rounds behind a table cover: all rounds for the offerings, the default
/// round for the tables of one round, none for the rest.
fn temporal(a: &Atlas, kind: TableKind) -> Option<Node> {
    let rounds: Vec<Period> = match kind {
        TableKind::Erbjudanden => a.inventory.rounds.iter().map(|r| r.collected).collect(),
        TableKind::Matris | TableKind::Tackning | TableKind::Kommuner => {
            vec![a.inventory.rounds[a.default_round].collected]
        }
        _ => return None,
    };
    let start = rounds.iter().map(|p| p.from).min_by_key(key)?;
    let end = rounds
        .iter()
        .map(|p| p.to.unwrap_or(p.from))
        .max_by_key(key)?;
    let mut n = Node::blank("dcterms:PeriodOfTime");
    let (s, ty) = date(start);
    n.typed("dcat:startDate", s, ty);
    let (e, ty) = date(end);
    n.typed("dcat:endDate", e, ty);
    Some(n)
}

/// The region: its name and bounding box (CRS84, as WKT).
fn spatial(a: &Atlas) -> Node {
    let [x0, y0, x1, y1] = crate::ogc::catalog::region_bbox(a);
    let mut n = Node::blank("dcterms:Location");
    n.add(
        "skos:prefLabel",
        rdf::Object::Text(a.inventory.dataset.region().name.clone(), "sv"),
    )
    .typed(
        "dcat:bbox",
        format!("POLYGON(({x0} {y0}, {x1} {y0}, {x1} {y1}, {x0} {y1}, {x0} {y0}))"),
        "gsp:wktLiteral",
    );
    n
}

/// One form of a table: fragment, title (sv, en), media type, and the export's query.
struct Form {
    id: &'static str,
    title: (&'static str, &'static str),
    media: &'static str,
    format: Format,
    profile: Option<Profile>,
}

const FORMS: [Form; 4] = [
    Form {
        id: "csv-excel",
        title: (
            "CSV för Excel (semikolon, decimalkomma, UTF-8 med BOM; koder som text)",
            "CSV for Excel (semicolon, decimal comma, UTF-8 with BOM; codes as text)",
        ),
        media: "text/csv",
        format: Format::Csv,
        profile: Some(Profile::Excel),
    },
    Form {
        id: "csv-rfc4180",
        title: (
            "CSV enligt RFC 4180 (komma, decimalpunkt), för skript och GIS",
            "CSV per RFC 4180 (comma, decimal point), for scripts and GIS",
        ),
        media: "text/csv",
        format: Format::Csv,
        profile: Some(Profile::Rfc4180),
    },
    Form {
        id: "xlsx",
        title: (
            "Excel-arbetsbok (XLSX) med bladet Om data",
            "Excel workbook (XLSX) with an about sheet",
        ),
        media: super::xlsx::CONTENT_TYPE,
        format: Format::Xlsx,
        profile: None,
    },
    Form {
        id: "geojson",
        title: ("GeoJSON (RFC 7946), WGS 84", "GeoJSON (RFC 7946), WGS 84"),
        media: crate::http::body::GEOJSON,
        format: Format::Geojson,
        profile: None,
    },
];

/// The parts every distribution has: title, format (the literal media type DCAT-AP-SE asks
/// for and the IANA IRI DCAT-AP asks for), terms, language, and where it is.
fn distribution(p: &Publication, id: String, title: (&str, &str), media: &str, url: &str) -> Node {
    let mut d = Node::new(id, "dcat:Distribution");
    d.text("dcterms:title", title.0, title.1)
        .iri("dcat:accessURL", url)
        .plain("dcterms:format", media)
        .iri(
            "dcat:mediaType",
            format!("https://www.iana.org/assignments/media-types/{media}"),
        )
        .iri("dcterms:license", p.id("villkor"))
        .iri("dcterms:language", format!("{EU}/language/SWE"));
    d
}

/// The parts the datasets and the data service share: publisher, contact, themes, access.
fn common(n: &mut Node, p: &Publication) {
    n.iri("dcterms:publisher", p.id("utgivare"));
    if p.contact_email.is_some() {
        n.iri("dcat:contactPoint", p.id("kontakt"));
    }
    n.iri("dcat:theme", format!("{EU}/data-theme/SOCI"))
        .iri("dcat:theme", format!("{EU}/data-theme/HEAL"))
        .iri("dcterms:accessRights", format!("{EU}/access-right/PUBLIC"));
}

/// Words to find a table by, in Swedish and English (lower case, singular, one concept each).
fn keywords(kind: TableKind) -> Vec<(&'static str, &'static str)> {
    let mut k = vec![
        ("föräldraskapsstöd", "parenting support"),
        ("föräldrastödsprogram", "parenting programme"),
        ("kommun", "municipality"),
    ];
    k.extend(match kind {
        TableKind::Matris | TableKind::Erbjudanden | TableKind::Kommuner => &[][..],
        TableKind::Tackning => &[("täckning", "coverage")],
        TableKind::Sambu => &[("sambu", "sambu"), ("samverkan", "collaboration")],
        TableKind::Partssamverkan => &[("partssamverkan", "partssamverkan")],
        TableKind::Foljsamhet => &[("överenskommelse", "agreement"), ("riktlinje", "guideline")],
        TableKind::Utbildningar => &[("sip", "sip"), ("utbildning", "training")],
        TableKind::Familjecentraler => &[("familjecentral", "family centre")],
    });
    k
}

/// What a table's description adds about its rows (sv, en): sources where the rows have them,
/// what *okänt* means, and the code columns.
fn notes(kind: TableKind) -> (String, String) {
    let (mut sv, mut en) = match kind {
        TableKind::Matris | TableKind::Tackning | TableKind::Kommuner => (
            "Räknad ur erbjudandena i omgången; deras källor finns i tabellen erbjudanden."
                .to_string(),
            "Computed from the round's offerings; their sources are in the offerings table."
                .to_string(),
        ),
        _ => (
            "Varje rad med en uppgift har sin källa och när den senast bekräftades.".to_string(),
            "Every row with a record carries its source and the date it was last confirmed."
                .to_string(),
        ),
    };
    sv.push_str(" ”Okänt” betyder att uppgift saknas, inte att stödet saknas.");
    en.push_str(" “Unknown” means the answer is missing, not that the support is.");
    if kind != TableKind::Matris {
        sv.push_str(" Kolumner med svensk text har sin stabila kod i kolumnen bredvid (t.ex. status och statuskod).");
        en.push_str(" Columns of Swedish text have their stable code in the column beside them (e.g. status and statuskod).");
    }
    (sv, en)
}

/// The whole catalogue: catalogue, publisher, contact point, terms, datasets with their
/// distributions, and the OGC API.
pub fn graph(a: &Atlas, p: &Publication) -> Vec<Node> {
    let d = &a.inventory.dataset;
    let region = &d.region().name;
    let example = d.config.kind == Kind::Example;
    // Example data says so first, in every title and description a portal shows.
    let (mark_sv, mark_en) = if example {
        ("EXEMPELDATA: ", "EXAMPLE DATA: ")
    } else {
        ("", "")
    };
    let (warn_sv, warn_en) = if example {
        (
            "EXEMPELDATA – uppgifterna är påhittade för demonstration och test och får inte användas som verkliga uppgifter. ",
            "EXAMPLE DATA – the records are invented for demonstration and testing and must not be used as real data. ",
        )
    } else {
        ("", "")
    };
    let n = a.kommuner().len();
    let mut nodes = Vec::new();

    let mut catalogue = Node::new(p.url(PATH), "dcat:Catalog");
    catalogue
        .text(
            "dcterms:title",
            format!("{mark_sv}Skaraborgskartan: föräldraskapsstöd i {region}"),
            format!("{mark_en}Skaraborgskartan: parenting support in {region}"),
        )
        .text(
            "dcterms:description",
            format!(
                "{warn_sv}Vilka manualbaserade föräldraskapsstödsprogram kommunerna i {region} ({n} kommuner) erbjuder, för vilka åldrar och på vilken nivå, och hur de arbetar med SAMBU, partssamverkan, gemensamt beslutade dokument och SIP-utbildningar. Varje uppgift har sin källa och när den senast bekräftades; ”okänt” betyder att uppgift saknas, inte att stödet saknas."
            ),
            format!(
                "{warn_en}Which manual-based parenting programmes the kommuner of {region} ({n} municipalities) offer, for which ages and at which level, and how they work with SAMBU, partssamverkan, jointly decided documents and SIP trainings. Every record carries its source and the date it was last confirmed; “unknown” means the answer is missing, not that the support is."
            ),
        )
        .iri("dcterms:publisher", p.id("utgivare"))
        .iri("dcterms:license", METADATA_LICENCE)
        .iri("foaf:homepage", p.url("/"))
        .iri("dcterms:language", format!("{EU}/language/SWE"))
        .iri("dcterms:language", format!("{EU}/language/ENG"))
        .iri("dcat:themeTaxonomy", format!("{EU}/data-theme"))
        .node("dcterms:spatial", spatial(a));
    if let Some(day) = newest(a) {
        let (s, ty) = date(day);
        catalogue.typed("dcterms:modified", s, ty);
    }
    for kind in TableKind::ALL {
        catalogue.iri("dcat:dataset", p.id(kind.code()));
    }
    catalogue.iri("dcat:service", p.id("ogc-api"));
    nodes.push(catalogue);

    let mut publisher = Node::new(p.id("utgivare"), "foaf:Agent");
    publisher
        .add("foaf:name", rdf::Object::Text(PUBLISHER.into(), "sv"))
        .iri("dcterms:type", PUBLISHER_TYPE)
        .iri("foaf:homepage", PUBLISHER_HOME);
    publisher.types.push("foaf:Organization");
    nodes.push(publisher);

    if let Some(email) = &p.contact_email {
        let mut contact = Node::new(p.id("kontakt"), "vcard:Organization");
        contact
            .plain("vcard:fn", PUBLISHER)
            .iri("vcard:hasEmail", format!("mailto:{email}"))
            .iri("vcard:hasURL", PUBLISHER_HOME);
        nodes.push(contact);
    }

    let mut terms = Node::new(p.id("villkor"), "dcterms:LicenseDocument");
    terms
        .text(
            "dcterms:title",
            "Villkor för uppgifterna i Skaraborgskartan",
            "Terms of the data in Skaraborgskartan",
        )
        .text("dcterms:description", TERMS, TERMS_EN);
    nodes.push(terms);

    let api = p.url("/ogc/api");
    for &kind in TableKind::ALL {
        let code = kind.code();
        let mut set = Node::new(p.id(code), "dcat:Dataset");
        set.text(
            "dcterms:title",
            format!("{mark_sv}{}", kind.title()),
            format!("{mark_en}{}", kind.title_en()),
        )
        .text(
            "dcterms:description",
            format!(
                "{warn_sv}{} {region}, {n} kommuner. {}",
                kind.description(),
                notes(kind).0
            ),
            format!(
                "{warn_en}{} {region}, {n} municipalities. {}",
                kind.description_en(),
                notes(kind).1
            ),
        )
        .plain("dcterms:identifier", code)
        .iri("dcat:landingPage", p.url("/om"))
        .iri("dcterms:language", format!("{EU}/language/SWE"))
        .iri(
            "dcterms:accrualPeriodicity",
            format!("{EU}/frequency/IRREG"),
        )
        .node("dcterms:spatial", spatial(a));
        common(&mut set, p);
        for (sv, en) in keywords(kind) {
            set.text("dcat:keyword", sv, en);
        }
        if example {
            set.text("dcat:keyword", "exempeldata", "example data");
        }
        if let Some(t) = temporal(a, kind) {
            set.node("dcterms:temporal", t);
        }
        let mut distributions = Vec::new();
        for form in &FORMS {
            if form.format == Format::Geojson && kind == TableKind::Matris {
                continue;
            }
            let query = match form.profile {
                Some(profile) => format!("format={}&profil={}", form.format.code(), profile.code()),
                None => format!("format={}", form.format.code()),
            };
            let url = p.url(&format!("/api/v1/export/{code}?{query}"));
            let mut dist = distribution(
                p,
                p.id(&format!("{code}-{}", form.id)),
                form.title,
                form.media,
                &url,
            );
            dist.iri("dcat:downloadURL", &url);
            distributions.push(dist);
        }
        if COLLECTIONS.contains(&kind) {
            let mut dist = distribution(
                p,
                p.id(&format!("{code}-ogc")),
                (
                    "OGC API – Features: samlingen i QGIS, GDAL och andra GIS",
                    "OGC API – Features: the collection in QGIS, GDAL and other GIS",
                ),
                crate::http::body::GEOJSON,
                &p.url(&format!("/ogc/collections/{code}/items")),
            );
            dist.iri("dcat:accessService", p.id("ogc-api"))
                .iri("dcterms:conformsTo", &api);
            distributions.push(dist);
        }
        for dist in &distributions {
            set.iri("dcat:distribution", dist.iri.clone().expect("an IRI"));
        }
        nodes.push(set);
        nodes.extend(distributions);
    }

    let mut service = Node::new(p.id("ogc-api"), "dcat:DataService");
    service
        .text(
            "dcterms:title",
            format!("{mark_sv}Skaraborgskartan – OGC API – Features ({region})"),
            format!("{mark_en}Skaraborgskartan – OGC API – Features ({region})"),
        )
        .text(
            "dcterms:description",
            format!("{warn_sv}Samma tabeller som exporterna, som samlingar med sidor, bbox och egenskapsfilter, för QGIS och GDAL (OAPIF)."),
            format!("{warn_en}The same tables as the exports, as collections with paging, bbox and property filters, for QGIS and GDAL (OAPIF)."),
        )
        .iri("dcat:endpointURL", p.url("/ogc"))
        .iri("dcat:endpointDescription", &api)
        .iri("dcat:landingPage", p.url("/ogc"))
        .iri(
            "dcterms:conformsTo",
            "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
        )
        .plain("dcterms:format", crate::http::body::GEOJSON)
        .iri("dcterms:license", p.id("villkor"));
    common(&mut service, p);
    for (sv, en) in [("api", "api"), ("föräldraskapsstöd", "parenting support")] {
        service.text("dcat:keyword", sv, en);
    }
    for kind in COLLECTIONS {
        service.iri("dcat:servesDataset", p.id(kind.code()));
    }
    nodes.push(service);
    nodes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_contact_address_must_look_like_one() {
        assert_eq!(
            contact_email("oppnadata@example.se").unwrap(),
            "oppnadata@example.se"
        );
        for bad in [
            "",
            "oppnadata",
            "@example.se",
            "a@b",
            "a@.se",
            "a b@example.se",
            "a@example.se>",
        ] {
            let e = contact_email(bad).unwrap_err();
            assert!(e.starts_with("--contact-email:"), "{bad}: {e}");
        }
    }

    #[test]
    fn dates_keep_their_precision_and_sort_across_it() {
        assert_eq!(date(PartialDate::Year(2024)), ("2024".into(), "xsd:gYear"));
        assert_eq!(
            date(PartialDate::Month(2024, 5)),
            ("2024-05".into(), "xsd:gYearMonth")
        );
        assert_eq!(
            date(PartialDate::Day(2024, 5, 1)),
            ("2024-05-01".into(), "xsd:date")
        );
        let newest = [
            PartialDate::Day(2023, 12, 31),
            PartialDate::Year(2024),
            PartialDate::Month(2024, 2),
        ]
        .into_iter()
        .max_by_key(key);
        assert_eq!(newest, Some(PartialDate::Month(2024, 2)));
    }
}
