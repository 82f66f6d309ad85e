#!/usr/bin/env python3
"""Build the real (sourced) CSV files in geodata/ from ../shared/reference/.

Every row carries its own source (URL or seed:NNN) and the date it was last confirmed. Nothing is
invented: a kommun × programme cell without a sourced fact is simply absent (= okänt). Texts that are
not copied from the reference are Swedish paraphrases of the reference facts.

Writes: programmes.csv, rounds.csv, offerings.csv, sambu.csv, partssamverkan.csv, documents.csv,
adherence.csv (header only), trainings.csv, region_facts.csv.

Run after tools/provenance/build_geodata.py (uses geodata/kommunkoder.csv for names and checks).
Usage: python3 tools/provenance/build_real_data.py [--shared /work/shared] [--out geodata]
"""

import argparse
import csv
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SKARABORG = ["1444", "1445", "1446", "1447", "1470", "1471", "1472", "1473",
             "1493", "1494", "1495", "1496", "1497", "1498", "1499"]

SEED003 = "seed:003 (Slutrapport, koordinator Samverkansgrupp barn och unga, Vårdsamverkan Skaraborg, 2024)"
URL_KARTLAGGNING = "https://utbildningskaraborg.se/sv/skolpersonal/aktuellt/kartlaggning-foraldrastodsprogram/"
URL_LOTSEN = "https://utbildningskaraborg.se/sv/skolpersonal/projekt/karta/lotsen/"
URL_TOREBODA = ("https://toreboda.se/forskola-skola-och-utbildning/barn--och-elevhalsa-krankande-behandling-"
                "och-sarskilt-stod/barn--och-elevhalsan/barn-och-ungdomssamordnare-busar")
URL_GRASTORP = "https://www.grastorp.se/nyhetsarkiv/2024-02-13-hlt---samverkan-for-barn-och-unga-i-grastorp.html"
URL_TIDAHOLM_MM = ("https://www.tidaholm.se/omsorg-stod--hjalp/tidaholmsforalder/kurser--metoder/"
                   "marte-meo.html")

ROUND_REAL = "offentliga-kallor"
# Skara's rows were a research trial c. 2008–2010, not a standing offer: they get a round of their
# own so that they never count as a current offer in the default view.
ROUND_HISTORIC = "historiska-uppgifter"
HISTORIC = {("1495", "marte-meo"), ("1495", "de-otroliga-aren")}


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def write_csv(path, header, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for row in rows:
            if isinstance(row, dict):
                row = [row[h] for h in header]
            assert len(row) == len(header), (path, row)
            w.writerow(row)
    return len(rows)


def programmes(ref):
    rows = []
    for p in read_csv(os.path.join(ref, "programmes.csv")):
        # The reference gives no retrieval date; only the MFoF Marte Meo page carries a date.
        last = "2022-10-26" if p["slug"] == "marte-meo" else "okänt"
        rows.append({**p, "last_confirmed": last})
    assert len(rows) == 29, len(rows)
    return rows


def rounds():
    return [
        [ROUND_HISTORIC, "Historiska uppgifter (ca 2008–2010)", "2008/2010",
         "Uppgifter om program som gavs för länge sedan, t.ex. i forskningsförsök. De visar inte att "
         "programmet erbjuds i dag och räknas inte in i den aktuella bilden.",
         "se respektive rad (offentliga källor, se geodata/README.md)"],
        [ROUND_REAL, "Offentliga källor", "2015/2022",
         "Enstaka uppgifter ur offentliga källor, inte en enkätomgång. Varje rad har sin egen källa och sitt "
         "eget datum; de flesta visar inte att programmet erbjuds i dag.",
         "se respektive rad (offentliga källor, se geodata/README.md)"],
        ["kartlaggning-2021", "Kartläggning 2021", "2021",
         "Digital enkät våren 2021 till ledamöterna i de lokala partssamverkansgrupperna och till "
         "samordnarna för familjecentralerna; 111 av 159 svarade (ca 70 %). Svaren per kommun är ännu inte "
         "importerade (rapporten är inte offentligt tillgänglig i den här leveransen).",
         URL_KARTLAGGNING],
        ["uppfoljning-2024", "Uppföljning 2023/24", "2023/2024",
         "Mindre uppföljning av kartläggningen, redovisad våren 2024 för Samverkansgrupp barn och unga och "
         "de sammankallande i partssamverkan. Svaren per kommun är ännu inte importerade.",
         "seed:003 (Slutrapport koordinator Samverkansgrupp barn och unga, 2024)"],
    ]


# Facts from reference/offerings_facts.csv, with the per-row choices the brief fixes
# (organiser in Swedish, contact_url only for the kommun's own page, date as given by the source).
OFFERING_DETAILS = {
    ("1496", "abc"): dict(
        organiser="Skövde kommun, sektor socialtjänst (socialförvaltningen)",
        contact_url="", last_confirmed="2015-09-08",
        note="Grupper startade 2015 enligt tidningsartikel i SLA; nuvarande status okänd."),
    ("1496", "biff"): dict(
        organiser="Skövde socialförvaltning, familjerådgivningen",
        contact_url="", last_confirmed="okänt",
        note="Odaterad tidningsartikel (Falköpings Tidning) om familjerådgivningens BiFF-kurser; "
             "nuvarande status okänd."),
    ("1498", "marte-meo"): dict(
        organiser="Tidaholms kommun, SAM-KRAFT (Tidaholmsförälder – kurser & metoder)",
        contact_url=URL_TIDAHOLM_MM, last_confirmed="2022-10-26",
        note="Kommunens egen sida (Tidaholmsförälder – kurser & metoder), uppdaterad 2022-10-26; kontakt "
             "SAM-KRAFT. Sidtexten är densamma som MFoF:s programbeskrivning; nuvarande status okänd."),
    ("1495", "marte-meo"): dict(
        organiser="Skara kommun, forskningsprojekt med Lunds universitet (statligt finansierat, "
                  "7 miljoner kr under tre år)",
        contact_url="", last_confirmed="okänt",
        note="Historiskt forskningsförsök ca 2008–2010 tillsammans med Lunds universitet, inte ett "
             "stående erbjudande."),
    ("1495", "de-otroliga-aren"): dict(
        organiser="Skara kommun, forskningsprojekt med Lunds universitet",
        contact_url="", last_confirmed="okänt",
        note="Historiskt forskningsförsök ca 2008–2010 tillsammans med Lunds universitet, inte ett "
             "stående erbjudande."),
}


def offerings(ref):
    rows = []
    for f in read_csv(os.path.join(ref, "offerings_facts.csv")):
        key = (f["kommun_code"], f["programme_slug"])
        d = OFFERING_DETAILS[key]
        rows.append({
            "kommun": f["kommun_code"], "programme": f["programme_slug"],
            "round": ROUND_HISTORIC if key in HISTORIC else ROUND_REAL,
            "status": "offered", "organiser": d["organiser"], "contact_url": d["contact_url"],
            "languages": "", "last_confirmed": d["last_confirmed"], "source": f["source_url"],
            "note": d["note"],
        })
    assert len(rows) == 5 and {(r["kommun"], r["programme"]) for r in rows} == set(OFFERING_DETAILS)
    return rows


def sambu():
    named = {
        "1444": ["active", "HLT-team (Hälsa, Lärande, Trygghet)", "2023", "2024-02-13", URL_GRASTORP,
                 "Sedan hösten 2023 ger Capio vårdcentral, förskolor, skolor och socialtjänst tidigt "
                 "samordnat stöd till barn 0–16 år och deras familjer; en SAMBU-liknande modell inspirerad "
                 "av Umeå (kommunens nyhet 2024-02-13)."],
        "1473": ["active", "Nära stöd- och vårdteam (BUSE)", "", "okänt", URL_TOREBODA,
                 "Barn- och ungdomssamordnare (BUSE) i varje verksamhet stöds av ett Nära stöd- och "
                 "vårdteam med elevhälsa, socialtjänst och hälso- och sjukvård (SAMBU-liknande). Sidan är "
                 "odaterad och hänvisar till uppdragshandlingen för 2020–2023."],
        "1493": ["active", "", "", "2024", SEED003,
                 "Enligt slutrapporten har Mariestads SAMBU-arbete varit förebild för många kommuner, som "
                 "fått ta del av blanketter och rutiner. Mariestad har också Lotsen (barn- och elevhälsa "
                 "och socialtjänst) där ett Konsultationsteam med chefer från skola och socialtjänst går igenom "
                 "ärenden varje vecka, se " + URL_LOTSEN],
        "1497": ["active", "SAMBU-team i Hjo", "", "2024", SEED003,
                 "Ett SAMBU-team i Hjo fick grundutbildning i SIP och samverkanskompetens (ca 10 "
                 "deltagare) under 2020–2024 enligt slutrapporten."],
    }
    rows = []
    for code in SKARABORG:
        if code in named:
            rows.append([code] + named[code])
        else:
            rows.append([code, "unknown", "", "", "2024", SEED003,
                         "Regionen hade 2024 aktiva SAMBU-team i 11 kommuner och beslut i 2 till, men "
                         "kommunerna namnges inte i källan."])
    return rows


def partssamverkan():
    return [[code, "established", "unknown", "2024", SEED003,
             "13 av 15 grupper fungerar väl med handlingsplan, men vilka anges inte."]
            for code in SKARABORG]


def documents(ref):
    rows = read_csv(os.path.join(ref, "documents.csv"))
    assert len(rows) == 4
    for r in rows:
        # "seed:003 and seed:000" -> Swedish conjunction; the seed references are unchanged.
        r["source"] = r["source"].replace(" and ", " och ")
    return rows


def trainings(ref):
    rows = []
    for t in read_csv(os.path.join(ref, "sip_trainings.csv")):
        assert t["period"] == "2020–2024", t["period"]
        rows.append({
            "kommun": t["kommun_code"], "kind": t["kind"], "audience": t["audience"],
            "participants": t["participants"], "approximate": t["approximate"],
            "period": "2020/2024", "last_confirmed": "2024", "source": t["source"],
        })
    assert len(rows) == 21
    keys = [(r["kommun"], r["kind"], r["audience"]) for r in rows]
    assert len(keys) == len(set(keys)), "trainings unique key violated"
    return rows


def region_facts():
    return [
        ["sambu", "2020", "kommuner_with_team", "3",
         "I oktober 2020 hade 3 av de 15 kommunerna i Skaraborg SAMBU-team eller liknande arbete. "
         "Vilka kommuner anges inte i källan.", "2024", SEED003],
        ["sambu", "2024", "active", "11",
         "När slutrapporten skrevs 2024 fanns startade och aktiva SAMBU-team i 11 kommuner. "
         "Kommunerna namnges inte i källan.", "2024", SEED003],
        ["sambu", "2024", "decided", "2",
         "Ytterligare 2 kommuner hade 2024 beslutat att starta SAMBU-team. "
         "Kommunerna namnges inte i källan.", "2024", SEED003],
        ["partssamverkan", "2024", "groups", "15",
         "Alla 15 kommuner har 2024 en strukturerad partssamverkansgrupp med ledamöter enligt gällande "
         "uppdragshandling.", "2024", SEED003],
        ["partssamverkan", "2024", "functioning", "13",
         "13 av de 15 partssamverkansgrupperna fungerar väl och har handlingsplaner. Vilka två som inte "
         "gör det anges inte i källan.", "2024", SEED003],
    ]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default="/work/shared")
    ap.add_argument("--out", default=os.path.join(ROOT, "geodata"))
    args = ap.parse_args()
    ref = os.path.join(args.shared, "reference")
    out = args.out

    codes = {r["kommunkod"] for r in read_csv(os.path.join(out, "kommunkoder.csv"))}
    if not set(SKARABORG) <= codes:
        sys.exit("kommunkoder.csv missing; run tools/provenance/build_geodata.py first")

    n = {}
    n["programmes"] = write_csv(os.path.join(out, "programmes.csv"),
                                ["slug", "name", "description", "age_min", "age_max", "levels", "format",
                                 "source_url", "last_confirmed", "notes"], programmes(ref))
    n["rounds"] = write_csv(os.path.join(out, "rounds.csv"),
                            ["id", "name", "collected", "note", "source"], rounds())
    n["offerings"] = write_csv(os.path.join(out, "offerings.csv"),
                               ["kommun", "programme", "round", "status", "organiser", "contact_url",
                                "languages", "last_confirmed", "source", "note"], offerings(ref))
    n["sambu"] = write_csv(os.path.join(out, "sambu.csv"),
                           ["kommun", "status", "name", "since", "last_confirmed", "source", "note"], sambu())
    n["partssamverkan"] = write_csv(os.path.join(out, "partssamverkan.csv"),
                                    ["kommun", "status", "action_plan", "last_confirmed", "source", "note"],
                                    partssamverkan())
    n["documents"] = write_csv(os.path.join(out, "documents.csv"),
                               ["slug", "title", "kind", "owner", "source"], documents(ref))
    n["adherence"] = write_csv(os.path.join(out, "adherence.csv"),
                               ["document", "kommun", "status", "date", "note", "source"], [])
    n["trainings"] = write_csv(os.path.join(out, "trainings.csv"),
                               ["kommun", "kind", "audience", "participants", "approximate", "period",
                                "last_confirmed", "source"], trainings(ref))
    n["region_facts"] = write_csv(os.path.join(out, "region_facts.csv"),
                                  ["topic", "period", "measure", "value", "text", "last_confirmed", "source"],
                                  region_facts())
    print(", ".join(f"{k} {v}" for k, v in n.items()))


if __name__ == "__main__":
    main()
