#!/usr/bin/env python3
"""Generate geodata/example/: a complete, INVENTED example data set for the 15 Skaraborg kommuner.

Nothing in the output is a fact. Every row's source starts with "EXEMPEL:", organisers and names start
with "Exempel:", and every note says it is example data. The set shares the real programme catalogue,
document list, kommun code list and boundaries through [files] / ../ paths in its dataset.toml.

Deterministic: a fixed random seed and sorted inputs only, so re-running gives byte-identical files.

Usage: python3 tools/make_example_data.py [--geodata geodata] [--out geodata/example]
Reads only kommunkoder.csv, programmes.csv, documents.csv and contacts.csv (the kommuner's own
website addresses) in --geodata. `make data-check` runs it
into a temporary directory and compares the result with the committed geodata/example/.
"""

import argparse
import csv
import datetime as dt
import os
import random

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEED = 20240315
SKARABORG = ["1444", "1445", "1446", "1447", "1470", "1471", "1472", "1473",
             "1493", "1494", "1495", "1496", "1497", "1498", "1499"]
SOURCE = "EXEMPEL: påhittad uppgift för demonstration och test"

FULL_UNIVERSAL = "1496"   # Skövde: universal programmes cover 0–17 in both rounds
GAPS = "1447"             # Gullspång: clear gaps (nothing for 13–17, no universal 0–2)
UNCHANGED = ["1445", "1472"]  # 2024 answers repeat 2021 (only new dates)

# Number of offered programmes in 2021 (roughly by size of kommun).
SIZE = {"1444": 5, "1445": 6, "1446": 6, "1447": 5, "1470": 8, "1471": 7, "1472": 7, "1473": 6,
        "1493": 10, "1494": 11, "1495": 8, "1496": 11, "1497": 7, "1498": 8, "1499": 10}

# How common a programme is in the invented answers (higher = more common).
WEIGHT = {
    "abc": 9, "abc-0-2": 4, "lilla-abc": 3, "abc-tonar": 4, "komet-3-11": 7, "forstarkt-komet": 2,
    "komet-12-18": 4, "aft": 6, "foraldrastegen": 1, "cope": 6, "cope-tonar": 3, "connect": 5,
    "de-otroliga-aren": 4, "triple-p": 2, "icdp": 7, "trygghetscirkeln": 6, "familjeverkstan": 5,
    "aktivt-foraldraskap": 3, "foraldraskap-i-sverige": 5, "biff": 6, "pmto": 1, "effekt-opp": 6,
    "stark-och-klar": 2, "family-check-up": 5, "kibb": 2, "marte-meo": 4, "trygga-foraldrar": 2,
    "strategi-adhd": 1, "bygga-broar": 1,
}

SKOVDE_CORE = ["abc-0-2", "abc", "abc-tonar", "icdp"]  # kept in both rounds
GULLSPANG_2021 = ["familjeverkstan", "komet-3-11", "de-otroliga-aren", "cope", "trygghetscirkeln"]
GULLSPANG_NOT = ["abc-tonar", "cope-tonar", "komet-12-18", "aft", "effekt-opp"]

# Official "X kommun" forms (genitive -s after a consonant).
KOMMUN_NAME = {"1444": "Grästorps kommun", "1445": "Essunga kommun", "1446": "Karlsborgs kommun",
               "1447": "Gullspångs kommun", "1470": "Vara kommun", "1471": "Götene kommun",
               "1472": "Tibro kommun", "1473": "Töreboda kommun", "1493": "Mariestads kommun",
               "1494": "Lidköpings kommun", "1495": "Skara kommun", "1496": "Skövde kommun",
               "1497": "Hjo kommun", "1498": "Tidaholms kommun", "1499": "Falköpings kommun"}

NEIGHBOUR = {"1444": "1470", "1445": "1470", "1446": "1497", "1447": "1493", "1470": "1445",
             "1471": "1494", "1472": "1496", "1473": "1493", "1493": "1473", "1494": "1471",
             "1495": "1496", "1496": "1495", "1497": "1446", "1498": "1499", "1499": "1498"}


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def write_csv(path, header, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for row in rows:
            w.writerow([row[h] for h in header])
    return len(rows)


def rand_date(rng, start, end, partial_share=0.0):
    a, b = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    d = a + dt.timedelta(days=rng.randrange((b - a).days + 1))
    if rng.random() < partial_share:
        return d.strftime("%Y-%m")
    return d.isoformat()


def organiser(prog, code, rng):
    slug, levels, fmt = prog["slug"], prog["levels"], prog["format"]
    k = KOMMUN_NAME[code]
    if slug == "effekt-opp":
        return f"Exempel: {k}, grundskolan (föräldramöten åk 7–9)"
    if slug == "stark-och-klar":
        return f"Exempel: {k} tillsammans med en ideell förening"
    if slug == "biff":
        return f"Exempel: {k}, familjerådgivningen"
    if slug in ("familjeverkstan", "aft", "aktivt-foraldraskap"):
        return rng.choice([f"Exempel: {k}, familjecentral", f"Exempel: studieförbund i samverkan med {k}"])
    if slug in ("abc-0-2", "lilla-abc", "trygghetscirkeln"):
        return f"Exempel: {k}, familjecentral (BVC och öppen förskola)"
    if slug == "bygga-broar":
        return f"Exempel: {k}, förskola och skola"
    if levels == "indicated" or slug in ("kibb", "pmto", "forstarkt-komet"):
        return rng.choice([f"Exempel: {k}, individ- och familjeomsorgen",
                           f"Exempel: {k}, familjebehandlingen"])
    if levels == "selective" or fmt == "individual":
        return rng.choice([f"Exempel: {k}, individ- och familjeomsorgen",
                           f"Exempel: {k}, öppenvården för barn och unga",
                           f"Exempel: {k}, familjecentral"])
    return rng.choice([f"Exempel: {k}, familjecentral", f"Exempel: {k}, familjecentral",
                       f"Exempel: {k}, elevhälsan"])


def languages(slug, rng):
    if slug in ("foraldraskap-i-sverige", "trygga-foraldrar", "bygga-broar"):
        return rng.choice(["sv;ar;so", "sv;ar;so;ti", "sv;ar;fa;so"])
    r = rng.random()
    if r < 0.62:
        return "sv"
    if r < 0.80:
        return "sv;ar;so"
    if r < 0.92:
        return "sv;en"
    return ""  # not answered


OFFERED_NOTES = [
    "Exempel: påhittat svar.",
    "Exempel: påhittat svar; en grupp per termin.",
    "Exempel: påhittat svar; ges även digitalt.",
    "Exempel: påhittat svar; kö till höstens grupp.",
    "Exempel: påhittat svar; ges vid behov.",
]
NOT_OFFERED_NOTES = [
    "Exempel: påhittat svar; erbjuds inte.",
    "Exempel: påhittat svar; erbjuds inte, men behov finns.",
    "Exempel: påhittat svar; erbjuds inte, hänvisar till grannkommun.",
]


def weighted_pick(rng, pool, k):
    pool = sorted(pool)
    chosen = []
    while pool and len(chosen) < k:
        total = sum(WEIGHT[s] for s in pool)
        x = rng.uniform(0, total)
        for s in pool:
            x -= WEIGHT[s]
            if x <= 0:
                break
        chosen.append(s)
        pool.remove(s)
    return chosen


def plan_offerings(rng, slugs):
    """Return {kommun: {round: {slug: (status, change)}}} with change in
    '', 'added', 'restarted', 'stopped'."""
    plan = {}
    for code in SKARABORG:
        # --- 2021
        if code == GAPS:
            offered = list(GULLSPANG_2021)
            not_off = list(GULLSPANG_NOT)
        else:
            base = SKOVDE_CORE[:] if code == FULL_UNIVERSAL else []
            rest = [s for s in slugs if s not in base]
            offered = base + weighted_pick(rng, rest, SIZE[code] - len(base))
            remaining = [s for s in slugs if s not in offered]
            not_off = weighted_pick(rng, remaining, rng.randint(2, 5))
        r21 = {s: ("offered", "") for s in offered}
        r21.update({s: ("not_offered", "") for s in not_off})

        # --- 2024
        r24 = dict((s, (st, "")) for s, (st, _) in r21.items())
        if code not in UNCHANGED:
            protected = set(SKOVDE_CORE) if code == FULL_UNIVERSAL else set()
            off = sorted(s for s, (st, _) in r24.items() if st == "offered" and s not in protected)
            nots = sorted(s for s, (st, _) in r24.items() if st == "not_offered")
            unknown = sorted(s for s in slugs if s not in r24)
            if code == GAPS:
                # still nothing for teenagers; a small programme for the youngest is added
                r24["trygghetscirkeln"] = ("not_offered", "stopped")
                r24["lilla-abc"] = ("offered", "added")
                del r24["effekt-opp"]
            else:
                ops = rng.sample(["add", "add2", "stop", "drop", "restart"], rng.randint(2, 4))
                if "add" in ops or "add2" in ops:
                    n = 2 if "add2" in ops else 1
                    for s in weighted_pick(rng, unknown, n):
                        r24[s] = ("offered", "added")
                if "stop" in ops and off:
                    s = rng.choice(off)
                    off.remove(s)
                    r24[s] = ("not_offered", "stopped")
                if "drop" in ops and off:
                    s = rng.choice(off)
                    off.remove(s)
                    del r24[s]  # no answer in 2024 = okänt
                if "restart" in ops and nots:
                    s = rng.choice(nots)
                    r24[s] = ("offered", "restarted")
                if r24 == {s: (st, "") for s, (st, _) in r21.items()}:
                    s = weighted_pick(rng, unknown, 1)[0]
                    r24[s] = ("offered", "added")
                n_not = sum(1 for st, _ in r24.values() if st == "not_offered")
                if n_not < 2:
                    free = [s for s in unknown if s not in r24]
                    for s in weighted_pick(rng, free, 2 - n_not):
                        r24[s] = ("not_offered", "")
        plan[code] = {"exempel-2021": r21, "exempel-2024": r24}
    return plan


def offerings_rows(rng, plan, progs, names):
    rows = []
    periods = {"exempel-2021": ("2021-02-15", "2021-05-31"), "exempel-2024": ("2023-11-01", "2024-03-15")}
    for code in SKARABORG:
        for rnd in ("exempel-2021", "exempel-2024"):
            for slug in sorted(plan[code][rnd]):
                status, change = plan[code][rnd][slug]
                row = {"kommun": code, "programme": slug, "round": rnd, "status": status,
                       "organiser": "", "contact_url": "", "languages": "",
                       "last_confirmed": rand_date(rng, *periods[rnd], partial_share=0.1),
                       "source": SOURCE, "note": ""}
                if status == "offered":
                    row["organiser"] = organiser(progs[slug], code, rng)
                    row["contact_url"] = f"https://exempel.invalid/{code}/{slug}"
                    row["languages"] = languages(slug, rng)
                    if change == "added":
                        row["note"] = "Exempel: påhittat svar; nytt sedan kartläggningen 2021."
                    elif change == "restarted":
                        row["note"] = "Exempel: påhittat svar; startade igen 2023 efter uppehåll."
                    elif rng.random() < 0.12:
                        other = KOMMUN_NAME[NEIGHBOUR[code]]
                        row["note"] = f"Exempel: påhittat svar; ges tillsammans med {other}."
                    else:
                        row["note"] = rng.choice(OFFERED_NOTES)
                else:
                    if change == "stopped":
                        row["note"] = "Exempel: påhittat svar; erbjuds inte längre, gruppledarna har slutat."
                    else:
                        row["note"] = rng.choice(NOT_OFFERED_NOTES)
                rows.append(row)
    return rows


def sambu_rows(rng, names):
    status = {c: "active" for c in SKARABORG}
    status.update({"1445": "decided", "1446": "decided", "1447": "none", "1472": "unknown"})
    early = ["1493", "1496", "1497"]  # teams already in 2020 (invented)
    rows = []
    for code in SKARABORG:
        k = names[code]
        st = status[code]
        row = {"kommun": code, "status": st, "name": "", "since": "",
               "last_confirmed": rand_date(rng, "2024-01-15", "2024-04-30"), "source": SOURCE, "note": ""}
        if st == "active":
            row["name"] = rng.choice([f"Exempel: SAMBU-team {k}", f"Exempel: Tidiga insatser {k}",
                                      f"Exempel: Barn- och ungateamet i {k}"])
            if code in early:
                row["since"] = rand_date(rng, "2018-08-01", "2020-06-30", partial_share=0.5)
                row["note"] = "Exempel: påhittat team med skola, elevhälsa, vårdcentral och socialtjänst."
            else:
                row["since"] = rand_date(rng, "2021-01-01", "2023-12-31", partial_share=0.5)[:7]
                row["note"] = rng.choice([
                    "Exempel: påhittat team; träffas varannan vecka.",
                    "Exempel: påhittat team; startade som försök i ett skolområde.",
                    "Exempel: påhittat team med skola, elevhälsa, vårdcentral och socialtjänst."])
        elif st == "decided":
            row["note"] = "Exempel: påhittat beslut om att starta SAMBU-team under hösten 2024."
        elif st == "none":
            row["note"] = "Exempel: påhittat svar; inget SAMBU-team och inget beslut."
        else:
            row["note"] = "Exempel: påhittat svar; uppgift saknas."
        rows.append(row)
    return rows, sum(1 for c in early if status[c] == "active")


def partssamverkan_rows(rng):
    spec = {  # status, action_plan
        "1444": ("functioning", "yes"), "1445": ("established", "no"), "1446": ("forming", "no"),
        "1447": ("none", ""), "1470": ("functioning", "yes"), "1471": ("functioning", "yes"),
        "1472": ("unknown", "unknown"), "1473": ("functioning", "yes"), "1493": ("functioning", "yes"),
        "1494": ("functioning", "yes"), "1495": ("established", "unknown"),
        "1496": ("functioning", "yes"), "1497": ("functioning", "yes"), "1498": ("forming", "no"),
        "1499": ("functioning", "unknown"),
    }
    notes = {
        "functioning": "Exempel: påhittad grupp som träffas fyra gånger per år.",
        "established": "Exempel: påhittad grupp; ledamöter utsedda, arbetet har just börjat.",
        "forming": "Exempel: påhittad grupp under bildande.",
        "none": "Exempel: påhittat svar; ingen grupp.",
        "unknown": "Exempel: påhittat svar; uppgift saknas.",
    }
    rows = []
    for code in SKARABORG:
        st, ap = spec[code]
        rows.append({"kommun": code, "status": st, "action_plan": ap,
                     "last_confirmed": rand_date(rng, "2024-02-01", "2024-04-30", partial_share=0.2),
                     "source": SOURCE, "note": notes[st]})
    return rows, spec


ADHERENCE_WEIGHTS = {  # implemented, adopted, in_progress, not_started, unknown
    "oken": [6, 3, 2, 1, 1],
    "sip-riktlinje": [7, 2, 2, 1, 1],
    "uppdragshandling-partssamverkan": [3, 5, 3, 1, 1],
    "rutin-information-sip": [2, 2, 4, 4, 1],
}
ADH_STATUS = ["implemented", "adopted", "in_progress", "not_started", "unknown"]
ADH_NOTE = {
    "implemented": "Exempel: påhittad uppgift; infört i verksamheterna.",
    "adopted": "Exempel: påhittad uppgift; beslutat i nämnd, införandet har inte börjat.",
    "in_progress": "Exempel: påhittad uppgift; införande pågår.",
    "not_started": "Exempel: påhittad uppgift; inte påbörjat.",
    "unknown": "Exempel: påhittad uppgift; status okänd.",
}


def adherence_rows(rng, docs):
    pairs = [(d, c) for d in docs for c in SKARABORG]
    left_out = set(rng.sample(pairs, 7))  # these pairs are simply absent (= unknown)
    rows = []
    for d, c in pairs:
        if (d, c) in left_out:
            continue
        st = rng.choices(ADH_STATUS, weights=ADHERENCE_WEIGHTS[d])[0]
        if st in ("implemented", "adopted"):
            date = rand_date(rng, "2021-09-01", "2024-03-31", partial_share=0.25)
        elif st in ("in_progress", "not_started"):
            date = rand_date(rng, "2023-09-01", "2024-04-30", partial_share=0.5)[:7]
        else:
            date = rng.choice(["okänt", "2024"])
        rows.append({"document": d, "kommun": c, "status": st, "date": date,
                     "note": ADH_NOTE[st], "source": SOURCE})
    used = {r["status"] for r in rows}
    # make sure every status occurs at least once (deterministic fix-up)
    for i, st in enumerate(s for s in ADH_STATUS if s not in used):
        r = rows[3 + 7 * i]
        r["status"], r["note"] = st, ADH_NOTE[st]
        r["date"] = "okänt" if st == "unknown" else "2024-02"
    return rows


TRAINING_EXTRA = [
    ("sip_grund_digital", "socialtjänsten"),
    ("sip_grund_digital", "förskola och skola"),
    ("sip_grund_fysisk", "elevhälsan"),
    ("sip_grund_fysisk", "SAMBU-team"),
    ("sip_fordjupning", "elevhälsan"),
    ("forelasning", "partssamverkansgruppen"),
    ("forelasning", "förskolechefer och rektorer"),
]


def trainings_rows(rng):
    rows = []
    for code in SKARABORG:
        rows.append({"kommun": code, "kind": "sip_fordjupning", "audience": "partsgemensamt",
                     "participants": str(rng.randint(5, 60)), "approximate": "false",
                     "period": rng.choice(["2021/2024", "2022/2024", "2023"]),
                     "last_confirmed": "2024", "source": SOURCE})
        for kind, aud in sorted(rng.sample(TRAINING_EXTRA, rng.randint(0, 3))):
            rows.append({"kommun": code, "kind": kind, "audience": aud,
                         "participants": str(rng.choice([8, 10, 12, 15, 20, 25, 30, 40, 60])),
                         "approximate": "true",
                         "period": rng.choice(["2021", "2022", "2022/2023", "2023/2024", "2024-03"]),
                         "last_confirmed": "2024", "source": SOURCE})
    return rows


def region_rows(sambu, sambu_2020, ps_spec):
    active = sum(1 for r in sambu if r["status"] == "active")
    decided = sum(1 for r in sambu if r["status"] == "decided")
    groups = sum(1 for st, _ in ps_spec.values() if st in ("functioning", "established"))
    functioning = sum(1 for st, _ in ps_spec.values() if st == "functioning")
    mk = lambda t, p, m, v, text: {"topic": t, "period": p, "measure": m, "value": str(v),
                                   "text": text, "last_confirmed": "2024", "source": SOURCE}
    return [
        mk("sambu", "2020", "kommuner_with_team", sambu_2020,
           f"Exempel (påhittad siffra): {sambu_2020} av 15 kommuner hade SAMBU-team 2020."),
        mk("sambu", "2024", "active", active,
           f"Exempel (påhittad siffra): {active} kommuner har aktiva SAMBU-team 2024."),
        mk("sambu", "2024", "decided", decided,
           f"Exempel (påhittad siffra): {decided} kommuner har beslutat att starta SAMBU-team."),
        mk("partssamverkan", "2024", "groups", groups,
           f"Exempel (påhittad siffra): {groups} kommuner har en etablerad partssamverkansgrupp 2024."),
        mk("partssamverkan", "2024", "functioning", functioning,
           f"Exempel (påhittad siffra): {functioning} partssamverkansgrupper fungerar väl."),
    ]


def covered_ages(rows, code, rnd, progs, level=None):
    ages = set()
    for r in rows:
        if r["kommun"] == code and r["round"] == rnd and r["status"] == "offered":
            p = progs[r["programme"]]
            if level and level not in p["levels"].split(";"):
                continue
            ages.update(range(max(0, int(p["age_min"])), int(p["age_max"]) + 1))
    return ages


DATASET_TOML = """\
# EXEMPELDATA: påhittade uppgifter för demonstration och test. Blanda aldrig med riktiga data.
kind = "example"
title = "Exempeldata (påhittade)"
default_region = "skaraborg"
attribution = "Kommungränser: Lantmäteriet (CC0)"
# Who may embed the pages (?embed=1) in a frame: the 15 kommuners own sites and the region's
# bodies (from reference/kommun_websites.csv). More origins: --frame-ancestors / SKK_FRAME_ANCESTORS.
embed_origins = [
    "https://essunga.se",
    "https://www.essunga.se",
    "https://falkoping.se",
    "https://www.falkoping.se",
    "https://grastorp.se",
    "https://www.grastorp.se",
    "https://gullspang.se",
    "https://www.gullspang.se",
    "https://gotene.se",
    "https://www.gotene.se",
    "https://hjo.se",
    "https://www.hjo.se",
    "https://karlsborg.se",
    "https://www.karlsborg.se",
    "https://lidkoping.se",
    "https://www.lidkoping.se",
    "https://mariestad.se",
    "https://www.mariestad.se",
    "https://skara.se",
    "https://www.skara.se",
    "https://skovde.se",
    "https://www.skovde.se",
    "https://tibro.se",
    "https://www.tibro.se",
    "https://tidaholm.se",
    "https://www.tidaholm.se",
    "https://toreboda.se",
    "https://www.toreboda.se",
    "https://vara.se",
    "https://www.vara.se",
    "https://www.vardsamverkan.se",
    "https://vardsamverkan.se",
    "https://skaraborg.se",
    "https://www.skaraborg.se",
]

[regions.skaraborg]
name = "Skaraborg"
boundaries = "../kommuner.geojson"

[regions.sverige]
name = "Sverige"
boundaries = "../sverige/kommuner.geojson"

[files]
kommunkoder = "../kommunkoder.csv"
programmes = "../programmes.csv"
documents = "../documents.csv"
# The real sources table: the shared catalogue and documents cite it.
sources = "../sources.csv"
"""

README = """\
# geodata/example/ — EXEMPELDATA (påhittade uppgifter)

**Svenska.** Allt i den här katalogen är **påhittat**. Uppgifterna om vilka föräldraskapsstödsprogram
kommunerna erbjuder, SAMBU-team, partssamverkansgrupper, följsamhet till dokument, utbildningar och
regionsiffror är uppdiktade för att visa och testa kartan. De beskriver inte någon verklig kommun. Varje
rad har en källa som börjar med `EXEMPEL:` och texterna säger att det är exempel. Data här får **aldrig
blandas med riktiga data** i `geodata/` (och riktiga svar ska aldrig läggas in här). Katalogen delar
programkatalog, dokumentlista, källtabell, kommunkoder och kommungränser med de riktiga data via
`dataset.toml`. Kontakterna har kommunernas riktiga webbadresser (så att exemplet visar var en förälder
frågar) men påhittade familjecentraler; en av dem har påhittade koordinater så att kartans punkter syns.

Filerna skapas av `tools/make_example_data.py` (fast slumpfrö, samma resultat varje gång). Ändra
skriptet och kör det igen i stället för att redigera filerna för hand.

**English.** Everything in this directory is **invented** example data for demonstration and tests:
programme offerings, SAMBU teams, partssamverkan groups, document adherence, trainings and region figures
do not describe any real kommun. Every row's source starts with `EXEMPEL:`. It must **never be mixed with
the real data** in `geodata/`. It shares the real programme catalogue, document list, kommun codes and
boundaries through `dataset.toml`. Generated by `tools/make_example_data.py` (fixed random seed,
reproducible); change the script and re-run it rather than editing the files by hand.

Kommungränser: Lantmäteriet (CC0).
"""


# Invented familjecentraler: (kommun, place, last confirmed); Karlsborg, Lidköping and Tidaholm have
# none, so the example also shows "ingen uppgift". Tibro's has a point (inside Tibro kommun).
FAMILJECENTRALER = [("1444", "Grästorp", "2024-03"), ("1445", "Nossebro", "2024-02-12"),
                    ("1447", "Hova", "2022-05"), ("1470", "Vara", "2024-04-03"),
                    ("1471", "Götene", "2024-01"), ("1472", "Tibro", "2024-05-14"),
                    ("1473", "Töreboda", "2023-11"), ("1493", "Mariestad", "2024-02"),
                    ("1495", "Skara", "2024-03-21"), ("1496", "Skövde", "2024-04"),
                    ("1497", "Hjo", "2023-09-30"), ("1499", "Falköping", "2024-01-15")]
POINT = {"1472": ("Exempelgatan 1, Tibro", "58.4247", "14.1617")}


def contacts_rows(real_contacts):
    """The kommuner's own websites (real addresses, labelled as part of the example) and invented
    familjecentraler, in kommun order."""
    sites = {r["kommun"]: r for r in real_contacts if r["kind"] == "website"}
    centres = {c: (place, date) for c, place, date in FAMILJECENTRALER}
    rows = []
    for code in SKARABORG:
        if code in centres:
            place, date = centres[code]
            address, lat, lon = POINT.get(code, ("", "", ""))
            rows.append({"kommun": code, "kind": "familjecentral", "name": f"Exempel: Familjecentralen i {place}",
                         "url": f"https://exempel.invalid/{code}/familjecentral", "last_confirmed": date,
                         "source": SOURCE,
                         "note": "Exempel: påhittad familjecentral" + (" med påhittade koordinater." if lat else "."),
                         "address": address, "lat": lat, "lon": lon})
        site = sites[code]
        rows.append({"kommun": code, "kind": "website", "name": site["name"], "url": site["url"],
                     "last_confirmed": "2024", "source": "EXEMPEL: kommunens riktiga webbadress i exempeldata",
                     "note": "Exempel: kommunens egen webbplats; fråga kommunen om föräldraskapsstöd.",
                     "address": "", "lat": "", "lon": ""})
    return rows


OTHER_SUPPORT = [
    {"kommun": "1447", "title": "Exempel: Föräldragrupper för spädbarn (planerade)",
     "description": "Exempel: påhittad plan på föräldragrupper för barn 0–6 månader. Inget program i katalogen.",
     "period": "", "status": "planned", "last_confirmed": "2023-10", "source": SOURCE,
     "note": "Exempel: påhittad uppgift."},
    {"kommun": "1472", "title": "Exempel: Utökade hembesök",
     "description": "Exempel: påhittat projekt med fler hembesök av BVC och socialtjänsten för nyblivna föräldrar.",
     "period": "2019/2021", "status": "ended", "last_confirmed": "2021-12", "source": SOURCE,
     "note": "Exempel: påhittat avslutat projekt."},
    {"kommun": "1496", "title": "Exempel: Samtalsgrupp för föräldrar till tonåringar",
     "description": "Exempel: påhittad samtalsgrupp som elevhälsan håller i. Inget manualbaserat program.",
     "period": "", "status": "described", "last_confirmed": "okänt", "source": SOURCE,
     "note": "Exempel: påhittad uppgift utan datum."},
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--geodata", default=os.path.join(ROOT, "geodata"))
    ap.add_argument("--out", help="output directory (default: GEODATA/example)")
    args = ap.parse_args()
    g = args.geodata
    out = args.out or os.path.join(g, "example")
    os.makedirs(out, exist_ok=True)
    rng = random.Random(SEED)

    names = {r["kommunkod"]: r["namn"] for r in read_csv(os.path.join(g, "kommunkoder.csv"))}
    progs = {r["slug"]: r for r in read_csv(os.path.join(g, "programmes.csv"))}
    slugs = sorted(progs)
    assert sorted(WEIGHT) == slugs, "WEIGHT must list every programme"
    docs = [r["slug"] for r in read_csv(os.path.join(g, "documents.csv"))]

    rounds = [
        {"id": "exempel-2021", "name": "Kartläggning 2021 (exempel)", "kind": "survey", "collected": "2021",
         "note": "Exempel: påhittad enkätomgång för demonstration och test; inga verkliga svar.",
         "source": SOURCE, "status": "closed"},
        {"id": "exempel-2024", "name": "Uppföljning 2024 (exempel)", "kind": "survey",
         "collected": "2023/2024",
         "note": "Exempel: påhittad uppföljning för demonstration och test; inga verkliga svar.",
         "source": SOURCE, "status": "closed"},
    ]
    plan = plan_offerings(rng, slugs)
    offerings = offerings_rows(rng, plan, progs, names)
    sambu, sambu_2020 = sambu_rows(rng, names)
    ps, ps_spec = partssamverkan_rows(rng)
    adherence = adherence_rows(rng, docs)
    trainings = trainings_rows(rng)
    region = region_rows(sambu, sambu_2020, ps_spec)

    # Properties the example set promises.
    universal_full = set(range(0, 18))
    for rnd in ("exempel-2021", "exempel-2024"):
        assert universal_full <= covered_ages(offerings, FULL_UNIVERSAL, rnd, progs, "universal"), rnd
        gaps = covered_ages(offerings, GAPS, rnd, progs)
        assert not (set(range(13, 18)) & gaps), (rnd, sorted(gaps))
    changed = [c for c in SKARABORG if {s: st for s, (st, _) in plan[c]["exempel-2021"].items()}
               != {s: st for s, (st, _) in plan[c]["exempel-2024"].items()}]
    assert len(changed) >= 12, changed
    for c in SKARABORG:
        n = sum(1 for st, _ in plan[c]["exempel-2021"].values() if st == "offered")
        assert 5 <= n <= 12, (c, n)

    n = {}
    with open(os.path.join(out, "dataset.toml"), "w", encoding="utf-8", newline="\n") as f:
        f.write(DATASET_TOML)
    with open(os.path.join(out, "README.md"), "w", encoding="utf-8", newline="\n") as f:
        f.write(README)
    n["rounds"] = write_csv(os.path.join(out, "rounds.csv"), ["id", "name", "kind", "collected", "note", "source",
                                                                 "status"],
                            rounds)
    n["offerings"] = write_csv(os.path.join(out, "offerings.csv"),
                               ["kommun", "programme", "round", "status", "organiser", "contact_url",
                                "languages", "last_confirmed", "source", "note"], offerings)
    n["sambu"] = write_csv(os.path.join(out, "sambu.csv"),
                           ["kommun", "status", "name", "since", "last_confirmed", "source", "note"], sambu)
    n["partssamverkan"] = write_csv(os.path.join(out, "partssamverkan.csv"),
                                    ["kommun", "status", "action_plan", "last_confirmed", "source", "note"], ps)
    n["adherence"] = write_csv(os.path.join(out, "adherence.csv"),
                               ["document", "kommun", "status", "date", "note", "source"], adherence)
    n["trainings"] = write_csv(os.path.join(out, "trainings.csv"),
                               ["kommun", "kind", "audience", "participants", "approximate", "period",
                                "last_confirmed", "source"], trainings)
    n["region_facts"] = write_csv(os.path.join(out, "region_facts.csv"),
                                  ["topic", "period", "measure", "value", "text", "last_confirmed", "source"],
                                  region)
    n["contacts"] = write_csv(os.path.join(out, "contacts.csv"),
                              ["kommun", "kind", "name", "url", "last_confirmed", "source", "note", "address",
                               "lat", "lon"], contacts_rows(read_csv(os.path.join(g, "contacts.csv"))))
    n["other_support"] = write_csv(os.path.join(out, "other_support.csv"),
                                   ["kommun", "title", "description", "period", "status", "last_confirmed",
                                    "source", "note"], OTHER_SUPPORT)
    print("example: " + ", ".join(f"{k} {v}" for k, v in n.items())
          + f"; kommuner changed 2021→2024: {len(changed)}")


if __name__ == "__main__":
    main()
