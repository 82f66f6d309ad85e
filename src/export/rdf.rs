//! A small RDF graph and its two serialisations: RDF/XML, the syntax Sveriges dataportal
//! harvests, and Turtle beside it for people and tools. Made for the DCAT-AP-SE catalogue
//! ([`super::dcat`]): resources with an IRI (or blank, described in place), their types and
//! properties as prefixed names of [`PREFIXES`], and objects that are IRIs, literals or nested
//! blank nodes. Both serialisers write the same triples, and IRIs are made safe (RFC 3987) the
//! same way in both.

use std::fmt::Write;

/// The vocabularies the catalogue uses: prefix and namespace.
pub const PREFIXES: &[(&str, &str)] = &[
    ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    ("dcat", "http://www.w3.org/ns/dcat#"),
    ("dcterms", "http://purl.org/dc/terms/"),
    ("foaf", "http://xmlns.com/foaf/0.1/"),
    ("vcard", "http://www.w3.org/2006/vcard/ns#"),
    ("skos", "http://www.w3.org/2004/02/skos/core#"),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
    ("gsp", "http://www.opengis.net/ont/geosparql#"),
];

/// The object of a triple.
#[derive(Debug, Clone)]
pub enum Object {
    Iri(String),
    /// A literal with a language tag (`"…"@sv`).
    Text(String, &'static str),
    /// A literal without language or type.
    Plain(String),
    /// A typed literal; the type as a prefixed name (`xsd:date`).
    Typed(String, &'static str),
    /// A blank node described in place.
    Node(Box<Node>),
}

/// A resource: its IRI (None: a blank node), types and properties, all as prefixed names.
#[derive(Debug, Clone)]
pub struct Node {
    pub iri: Option<String>,
    pub types: Vec<&'static str>,
    pub props: Vec<(&'static str, Object)>,
}

impl Node {
    pub fn new(iri: impl Into<String>, ty: &'static str) -> Node {
        Node {
            iri: Some(iri.into()),
            types: vec![ty],
            props: Vec::new(),
        }
    }

    pub fn blank(ty: &'static str) -> Node {
        Node {
            iri: None,
            types: vec![ty],
            props: Vec::new(),
        }
    }

    pub fn add(&mut self, p: &'static str, o: Object) -> &mut Node {
        self.props.push((p, o));
        self
    }

    pub fn iri(&mut self, p: &'static str, iri: impl Into<String>) -> &mut Node {
        self.add(p, Object::Iri(iri.into()))
    }

    /// The same text in Swedish and English.
    pub fn text(
        &mut self,
        p: &'static str,
        sv: impl Into<String>,
        en: impl Into<String>,
    ) -> &mut Node {
        self.add(p, Object::Text(sv.into(), "sv"))
            .add(p, Object::Text(en.into(), "en"))
    }

    pub fn plain(&mut self, p: &'static str, s: impl Into<String>) -> &mut Node {
        self.add(p, Object::Plain(s.into()))
    }

    pub fn typed(&mut self, p: &'static str, s: impl Into<String>, ty: &'static str) -> &mut Node {
        self.add(p, Object::Typed(s.into(), ty))
    }

    pub fn node(&mut self, p: &'static str, n: Node) -> &mut Node {
        self.add(p, Object::Node(Box::new(n)))
    }
}

/// The full IRI of a prefixed name (`dcat:Catalog`).
fn expand(name: &str) -> String {
    let (prefix, local) = name.split_once(':').expect("a prefixed name");
    let ns = PREFIXES
        .iter()
        .find(|(p, _)| *p == prefix)
        .map(|(_, ns)| *ns)
        .unwrap_or_else(|| panic!("unknown prefix in {name}"));
    format!("{ns}{local}")
}

/// An IRI with the characters RFC 3987 does not allow in one (spaces, `<>"{}|\^` and
/// backquote, controls) percent-encoded, so that a configured address cannot break the RDF.
fn safe_iri(iri: &str) -> String {
    let mut out = String::with_capacity(iri.len());
    for c in iri.chars() {
        if c <= ' ' || "<>\"{}|\\^`".contains(c) || c == '\u{7f}' {
            let mut buf = [0; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                let _ = write!(out, "%{b:02X}");
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Text for XML content or a double-quoted attribute; characters XML 1.0 cannot hold are
/// dropped.
fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c < ' ' || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

/// The graph as RDF/XML: each resource a typed node element (`<dcat:Dataset rdf:about="…">`),
/// further types as `rdf:type`, blank nodes nested in their property.
pub fn rdf_xml(nodes: &[Node]) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rdf:RDF");
    for (p, ns) in PREFIXES {
        let _ = write!(out, "\n    xmlns:{p}=\"{ns}\"");
    }
    out.push_str(">\n");
    for n in nodes {
        xml_node(&mut out, n, 1);
    }
    out.push_str("</rdf:RDF>\n");
    out
}

fn xml_node(out: &mut String, n: &Node, depth: usize) {
    let pad = "  ".repeat(depth);
    let element = n.types.first().copied().unwrap_or("rdf:Description");
    let _ = write!(out, "{pad}<{element}");
    if let Some(iri) = &n.iri {
        let _ = write!(out, " rdf:about=\"{}\"", xml_escape(&safe_iri(iri)));
    }
    out.push_str(">\n");
    for ty in n.types.iter().skip(1) {
        let _ = writeln!(out, "{pad}  <rdf:type rdf:resource=\"{}\"/>", expand(ty));
    }
    for (p, o) in &n.props {
        let _ = write!(out, "{pad}  <{p}");
        match o {
            Object::Iri(iri) => {
                let _ = writeln!(out, " rdf:resource=\"{}\"/>", xml_escape(&safe_iri(iri)));
            }
            Object::Text(s, lang) => {
                let _ = writeln!(out, " xml:lang=\"{lang}\">{}</{p}>", xml_escape(s));
            }
            Object::Plain(s) => {
                let _ = writeln!(out, ">{}</{p}>", xml_escape(s));
            }
            Object::Typed(s, ty) => {
                let _ = writeln!(
                    out,
                    " rdf:datatype=\"{}\">{}</{p}>",
                    expand(ty),
                    xml_escape(s)
                );
            }
            Object::Node(inner) => {
                out.push_str(">\n");
                xml_node(out, inner, depth + 2);
                let _ = writeln!(out, "{pad}  </{p}>");
            }
        }
    }
    let _ = writeln!(out, "{pad}</{element}>");
}

/// A Turtle string literal.
fn turtle_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c < ' ' => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The graph as Turtle, one `predicate object ;` per line, blank nodes as `[ … ]`.
pub fn turtle(nodes: &[Node]) -> String {
    let mut out = String::new();
    for (p, ns) in PREFIXES {
        let _ = writeln!(out, "@prefix {p}: <{ns}> .");
    }
    for n in nodes {
        out.push('\n');
        match &n.iri {
            Some(iri) => {
                let _ = write!(out, "<{}>", safe_iri(iri));
            }
            None => out.push_str("[]"),
        }
        turtle_body(&mut out, n, 1);
        out.push_str(" .\n");
    }
    out
}

fn turtle_body(out: &mut String, n: &Node, depth: usize) {
    let pad = "    ".repeat(depth);
    let mut lines: Vec<String> = Vec::new();
    if !n.types.is_empty() {
        lines.push(format!("a {}", n.types.join(", ")));
    }
    for (p, o) in &n.props {
        let object = match o {
            Object::Iri(iri) => format!("<{}>", safe_iri(iri)),
            Object::Text(s, lang) => format!("{}@{lang}", turtle_string(s)),
            Object::Plain(s) => turtle_string(s),
            Object::Typed(s, ty) => format!("{}^^{ty}", turtle_string(s)),
            Object::Node(inner) => {
                let mut nested = String::from("[");
                turtle_body(&mut nested, inner, depth + 1);
                let _ = write!(nested, "\n{pad}]");
                nested
            }
        };
        lines.push(format!("{p} {object}"));
    }
    for (i, line) in lines.iter().enumerate() {
        let sep = if i + 1 < lines.len() { " ;" } else { "" };
        let _ = write!(out, "\n{pad}{line}{sep}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<Node> {
        let mut n = Node::new("https://karta.example.se/datasets/dcat#a b", "dcat:Dataset");
        n.text("dcterms:title", "Åtta \"citat\" & <tecken>", "Eight")
            .typed("dcterms:modified", "2024-05", "xsd:gYearMonth")
            .iri("dcat:downloadURL", "https://karta.example.se/x?a=1&b=2")
            .node("dcterms:spatial", {
                let mut l = Node::blank("dcterms:Location");
                l.plain("skos:prefLabel", "rad 1\nrad 2\\");
                l
            });
        n.types.push("dcat:Resource");
        vec![n]
    }

    #[test]
    fn rdf_xml_escapes_text_and_iris_and_nests_blank_nodes() {
        let x = rdf_xml(&sample());
        assert!(x.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rdf:RDF"));
        assert!(
            x.contains("rdf:about=\"https://karta.example.se/datasets/dcat#a%20b\""),
            "{x}"
        );
        assert!(x.contains(
            "<dcterms:title xml:lang=\"sv\">Åtta &quot;citat&quot; &amp; &lt;tecken&gt;</dcterms:title>"
        ));
        assert!(x.contains("rdf:resource=\"https://karta.example.se/x?a=1&amp;b=2\""));
        assert!(
            x.contains("rdf:datatype=\"http://www.w3.org/2001/XMLSchema#gYearMonth\">2024-05<")
        );
        assert!(x.contains("<rdf:type rdf:resource=\"http://www.w3.org/ns/dcat#Resource\"/>"));
        assert!(
            x.contains("<dcterms:spatial>\n      <dcterms:Location>"),
            "{x}"
        );
        assert!(x.trim_end().ends_with("</rdf:RDF>"));
    }

    #[test]
    fn turtle_escapes_strings_and_iris() {
        let t = turtle(&sample());
        assert!(t.contains("@prefix dcat: <http://www.w3.org/ns/dcat#> ."));
        assert!(
            t.contains("<https://karta.example.se/datasets/dcat#a%20b>"),
            "{t}"
        );
        assert!(t.contains("a dcat:Dataset, dcat:Resource ;"));
        assert!(
            t.contains(r#"dcterms:title "Åtta \"citat\" & <tecken>"@sv ;"#),
            "{t}"
        );
        assert!(t.contains(r#"skos:prefLabel "rad 1\nrad 2\\""#), "{t}");
        assert!(t.contains("\"2024-05\"^^xsd:gYearMonth"));
        assert!(t.trim_end().ends_with("] ."), "{t}");
    }
}
