"""Checks a DCAT-AP-SE catalogue served by Skaraborgskartan, as Sveriges dataportal would read it.

    check.py BASE (--example | --real)

Fetches BASE/datasets/dcat (RDF/XML) and BASE/datasets/dcat.ttl (Turtle), parses both with
rdflib and requires the same graph; checks the classes and properties DCAT-AP-SE makes
mandatory (catalogue, dataset, distribution, data service, agent, contact point), the
controlled vocabularies used (EU data themes, access rights, languages, publisher types, the CC0
licence DIGG requires on the catalogue), that things the portal identifies have absolute IRIs
(no blank nodes), that every download and access URL answers 200 with the media type the
catalogue names, and that example data says it is example data in every title. Prints a JSON
summary on success; on failure, every problem on stderr and exit status 1.

The mandatory properties are those with a minimum cardinality of 1 in DIGG's specification
(github.com/diggsweden/DCAT-AP-SE, bundle.json; version 3.0 draft and 2.2.0 agree, except that
3.0 adds dcterms:type on agents and dcterms:format on data services, which are checked too).
"""

import json
import re
import sys
import urllib.error
import urllib.request

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
EU = "http://publications.europa.eu/resource/authority/"
THEMES = {EU + "data-theme/" + t for t in
          "AGRI ECON EDUC ENER ENVI GOVE HEAL INTR JUST SOCI REGI TECH TRAN".split()}
ACCESS = {EU + "access-right/" + a for a in ("PUBLIC", "RESTRICTED", "NON_PUBLIC")}
PUBLISHER_TYPES = {"http://purl.org/adms/publishertype/" + t for t in (
    "Academia-ScientificOrganisation Company IndustryConsortium LocalAuthority "
    "NationalAuthority NonGovernmentalOrganisation NonProfitOrganisation "
    "PrivateIndividual(s) RegionalAuthority StandardisationBody SupraNationalAuthority").split()}
CC0 = URIRef("http://creativecommons.org/publicdomain/zero/1.0/")
# DCAT-AP-SE's pattern for a media type written by hand (dcat:format_generic).
MEDIA = re.compile(r"^\w+/[-.\w]+(?:\+[-.\w]+)?$")

problems = []


def problem(msg):
    problems.append(msg)


def fetch(url):
    req = urllib.request.Request(url, headers={"Accept-Encoding": "identity"})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.headers.get("Content-Type", ""), r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type", ""), e.read()


def values(g, s, p):
    return list(g.objects(s, p))


def need(g, s, p, what, lo=1, hi=None):
    """The values of a property, with its cardinality checked."""
    vs = values(g, s, p)
    if len(vs) < lo or (hi is not None and len(vs) > hi):
        bounds = f"{lo}..{hi if hi is not None else 'n'}"
        problem(f"{what} {s}: {g.qname(p)} has {len(vs)} values, DCAT-AP-SE wants {bounds}")
    return vs


def texts(g, s, p, what):
    """A free-text property: mandatory, every value with a language tag, Swedish among them."""
    vs = need(g, s, p, what)
    langs = {v.language for v in vs if isinstance(v, Literal)}
    if any(not isinstance(v, Literal) or not v.language for v in vs):
        problem(f"{what} {s}: {g.qname(p)} without a language tag")
    for lang in ("sv", "en"):
        if lang not in langs:
            problem(f"{what} {s}: {g.qname(p)} has no {lang} text")
    return {v.language: str(v) for v in vs if isinstance(v, Literal)}


def identified(s, what):
    if isinstance(s, BNode):
        problem(f"{what} is a blank node; the portal needs an IRI")
    elif not str(s).startswith(("http://", "https://")):
        problem(f"{what} {s}: not an absolute http(s) IRI")


def media_of(content_type):
    return content_type.split(";")[0].strip()


def main():
    base, mode = sys.argv[1].rstrip("/"), sys.argv[2]
    status, ctype, body = fetch(base + "/datasets/dcat")
    if status != 200 or media_of(ctype) != "application/rdf+xml":
        problem(f"/datasets/dcat: {status} {ctype}")
    g = Graph().parse(data=body, format="xml")
    status, ctype, ttl = fetch(base + "/datasets/dcat.ttl")
    if status != 200 or media_of(ctype) != "text/turtle":
        problem(f"/datasets/dcat.ttl: {status} {ctype}")
    if not isomorphic(g, Graph().parse(data=ttl, format="turtle")):
        problem("the RDF/XML and the Turtle are not the same graph")

    # Every IRI the catalogue mints is under the service's address.
    for s in set(g.subjects()):
        if isinstance(s, URIRef) and not str(s).startswith(base):
            problem(f"{s}: not under {base}")

    catalogues = list(g.subjects(RDF.type, DCAT.Catalog))
    if len(catalogues) != 1:
        problem(f"{len(catalogues)} dcat:Catalog, want 1")
    cat = catalogues[0]
    identified(cat, "the catalogue")
    cat_title = texts(g, cat, DCTERMS.title, "catalogue")
    texts(g, cat, DCTERMS.description, "catalogue")
    need(g, cat, DCTERMS.publisher, "catalogue", 1, 1)
    if need(g, cat, DCTERMS.license, "catalogue", 1, 1) != [CC0]:
        problem("the catalogue's licence must be CC0 1.0 (DIGG's rule for metadata)")
    datasets = need(g, cat, DCAT.dataset, "catalogue")
    for lang in need(g, cat, DCTERMS.language, "catalogue"):
        if not str(lang).startswith(EU + "language/"):
            problem(f"catalogue language {lang} is not an EU language IRI")

    agents = set()
    for p in (DCTERMS.publisher,):
        agents.update(g.objects(None, p))
    for a in agents:
        identified(a, "a publisher")
        if (a, RDF.type, FOAF.Agent) not in g:
            problem(f"publisher {a} is not a foaf:Agent")
        need(g, a, FOAF.name, "agent")
        for t in need(g, a, DCTERMS.type, "agent", 1, 1):
            if str(t) not in PUBLISHER_TYPES:
                problem(f"agent {a}: dcterms:type {t} is not an ADMS publisher type")

    contacts = set(g.objects(None, DCAT.contactPoint))
    for c in contacts:
        identified(c, "a contact point")
        kinds = {VCARD.Organization, VCARD.Individual} & set(g.objects(c, RDF.type))
        if len(kinds) != 1:
            problem(f"contact {c}: rdf:type must be vcard:Organization or vcard:Individual")
        need(g, c, VCARD.fn, "contact point")
        for e in need(g, c, VCARD.hasEmail, "contact point"):
            if not str(e).startswith("mailto:"):
                problem(f"contact {c}: hasEmail {e} is not a mailto: IRI")

    summary = {"datasets": 0, "distributions": 0, "fetched": 0, "contact_points": len(contacts)}
    titles = [cat_title]
    for d in datasets:
        summary["datasets"] += 1
        identified(d, "a dataset")
        if (d, RDF.type, DCAT.Dataset) not in g:
            problem(f"{d} is not a dcat:Dataset")
        titles.append(texts(g, d, DCTERMS.title, "dataset"))
        texts(g, d, DCTERMS.description, "dataset")
        need(g, d, DCTERMS.publisher, "dataset", 1, 1)
        # Recommended, and promised by the service: themes, keywords, place, access rights.
        for t in need(g, d, DCAT.theme, "dataset"):
            if str(t) not in THEMES:
                problem(f"dataset {d}: theme {t} is not an EU data theme")
        for r in need(g, d, DCTERMS.accessRights, "dataset", 1, 1):
            if str(r) not in ACCESS:
                problem(f"dataset {d}: access right {r} is not from the EU list")
        for k in need(g, d, DCAT.keyword, "dataset"):
            if not isinstance(k, Literal) or not k.language:
                problem(f"dataset {d}: keyword {k!r} without a language")
        for place in need(g, d, DCTERMS.spatial, "dataset"):
            if (place, RDF.type, DCTERMS.Location) not in g:
                problem(f"dataset {d}: spatial is not a dcterms:Location")
        if mode == "--example" and "exempeldata" not in {str(k) for k in g.objects(d, DCAT.keyword)}:
            problem(f"dataset {d}: no keyword exempeldata")
        for dist in need(g, d, DCAT.distribution, "dataset"):
            summary["distributions"] += 1
            identified(dist, "a distribution")
            if (dist, RDF.type, DCAT.Distribution) not in g:
                problem(f"{dist} is not a dcat:Distribution")
            access = need(g, dist, DCAT.accessURL, "distribution", 1, 1)
            formats = need(g, dist, DCTERMS.format, "distribution", 1, 1)
            fmt = str(formats[0]) if formats else ""
            if not MEDIA.match(fmt):
                problem(f"distribution {dist}: format {fmt!r} is not a media type")
            for m in values(g, dist, DCAT.mediaType):
                if str(m) != "https://www.iana.org/assignments/media-types/" + fmt:
                    problem(f"distribution {dist}: mediaType {m} differs from format {fmt}")
            for lic in values(g, dist, DCTERMS.license):
                if (lic, RDF.type, DCTERMS.LicenseDocument) not in g and not str(lic).startswith(
                        "http://creativecommons.org/"):
                    problem(f"distribution {dist}: licence {lic} is neither CC nor a LicenseDocument")
                elif (lic, DCTERMS.title, None) not in g and not str(lic).startswith(
                        "http://creativecommons.org/"):
                    problem(f"licence document {lic} has no title")
            # Every file and every collection answers, as what the catalogue says it is.
            for url in set(values(g, dist, DCAT.downloadURL)) | set(access):
                status, ctype, _ = fetch(str(url))
                summary["fetched"] += 1
                if status != 200 or media_of(ctype) != fmt:
                    problem(f"{url}: {status} {ctype}, the catalogue says {fmt}")

    services = list(g.subjects(RDF.type, DCAT.DataService))
    if not services:
        problem("no dcat:DataService (the OGC API)")
    for s in services:
        identified(s, "a data service")
        titles.append(texts(g, s, DCTERMS.title, "data service"))
        need(g, s, DCAT.endpointURL, "data service")
        need(g, s, DCTERMS.format, "data service", 1, 1)
        for e in need(g, s, DCAT.endpointURL, "data service"):
            status, _, _ = fetch(str(e))
            if status != 200:
                problem(f"endpoint {e}: {status}")
        for e in need(g, s, DCAT.endpointDescription, "data service"):
            status, _, doc = fetch(str(e))
            if status != 200 or "openapi" not in json.loads(doc):
                problem(f"endpoint description {e}: not an OpenAPI document")
        for served in need(g, s, DCAT.servesDataset, "data service"):
            if served not in datasets:
                problem(f"data service serves {served}, which the catalogue does not list")
        if (cat, DCAT.service, s) not in g:
            problem(f"the catalogue does not list the data service {s}")
        if not any((dist, DCAT.accessService, s) in g for dist in g.subjects(RDF.type, DCAT.Distribution)):
            problem(f"no distribution is reached through {s}")

    # Example data says so in every title, in both languages; real data never does.
    for t in titles:
        marked = t.get("sv", "").startswith("EXEMPELDATA") and t.get("en", "").startswith("EXAMPLE DATA")
        if mode == "--example" and not marked:
            problem(f"example data without EXEMPELDATA/EXAMPLE DATA in the title: {t}")
        if mode == "--real" and "EXEMPEL" in t.get("sv", "").upper():
            problem(f"real data titled as example data: {t}")
    summary["services"] = len(services)
    summary["triples"] = len(g)

    if problems:
        for p in problems:
            print(p, file=sys.stderr)
        sys.exit(1)
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
