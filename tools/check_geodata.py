#!/usr/bin/env python3
"""Quick consistency check of geodata/ and geodata/example/ against geodata/README.md.

A helper for the data build scripts, not the product's validator (that is `skaraborgskartan check`).
Usage: python3 tools/check_geodata.py [geodata-dir ...]   (default: geodata geodata/example)
Exit status 1 if any problem is found.
"""

import csv
import datetime as dt
import json
import os
import re
import sys
import tomllib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

HEADERS = {
    "kommunkoder": ["kommunkod", "namn", "lan"],
    "programmes": ["slug", "name", "description", "age_min", "age_max", "levels", "format", "source_url",
                   "last_confirmed", "notes"],
    "rounds": ["id", "name", "collected", "note", "source"],
    "offerings": ["kommun", "programme", "round", "status", "organiser", "contact_url", "languages",
                  "last_confirmed", "source", "note"],
    "sambu": ["kommun", "status", "name", "since", "last_confirmed", "source", "note"],
    "partssamverkan": ["kommun", "status", "action_plan", "last_confirmed", "source", "note"],
    "documents": ["slug", "title", "kind", "owner", "source"],
    "adherence": ["document", "kommun", "status", "date", "note", "source"],
    "trainings": ["kommun", "kind", "audience", "participants", "approximate", "period", "last_confirmed",
                  "source"],
    "region_facts": ["topic", "period", "measure", "value", "text", "last_confirmed", "source"],
}
REQUIRED = {
    "kommunkoder": ["kommunkod", "namn", "lan"],
    "programmes": ["slug", "name", "description", "age_min", "age_max", "levels", "format", "source_url",
                   "last_confirmed"],
    "rounds": ["id", "name", "collected", "source"],
    "offerings": ["kommun", "programme", "round", "status", "last_confirmed", "source"],
    "sambu": ["kommun", "status", "last_confirmed", "source"],
    "partssamverkan": ["kommun", "status", "last_confirmed", "source"],
    "documents": ["slug", "title", "kind", "owner", "source"],
    "adherence": ["document", "kommun", "status", "date", "source"],
    "trainings": ["kommun", "kind", "audience", "participants", "approximate", "period", "last_confirmed",
                  "source"],
    "region_facts": ["topic", "period", "measure", "value", "text", "last_confirmed", "source"],
}
KEYS = {
    "kommunkoder": ["kommunkod"], "programmes": ["slug"], "rounds": ["id"],
    "offerings": ["kommun", "programme", "round"], "sambu": ["kommun"], "partssamverkan": ["kommun"],
    "documents": ["slug"], "adherence": ["document", "kommun"], "trainings": ["kommun", "kind", "audience"],
    "region_facts": ["topic", "period", "measure"],
}
ENUMS = {
    ("offerings", "status"): {"offered", "not_offered"},
    ("sambu", "status"): {"active", "decided", "none", "unknown"},
    ("partssamverkan", "status"): {"functioning", "established", "forming", "none", "unknown"},
    ("partssamverkan", "action_plan"): {"yes", "no", "unknown", ""},
    ("documents", "kind"): {"agreement", "guideline", "assignment", "routine"},
    ("adherence", "status"): {"implemented", "adopted", "in_progress", "not_started", "unknown"},
    ("trainings", "kind"): {"sip_fordjupning", "sip_grund_fysisk", "sip_grund_digital", "forelasning"},
    ("trainings", "approximate"): {"true", "false"},
    ("region_facts", "topic"): {"sambu", "partssamverkan"},
    ("programmes", "format"): {"group", "individual", "mixed", "digital"},
}
DATE_FIELDS = {"programmes": ["last_confirmed"], "offerings": ["last_confirmed"],
               "sambu": ["since", "last_confirmed"], "partssamverkan": ["last_confirmed"],
               "adherence": ["date"], "trainings": ["last_confirmed"], "region_facts": ["last_confirmed"]}
PERIOD_FIELDS = {"rounds": ["collected"], "trainings": ["period"], "region_facts": ["period"]}
SOURCE_FIELD = {"programmes": "source_url"}
SLUG = re.compile(r"^[a-z0-9-]+$")

problems = []
warnings = []


def problem(msg):
    problems.append(msg)


def warning(msg):
    warnings.append(msg)


def parse_date(s):
    """Return (start, end) dates of a YYYY / YYYY-MM / YYYY-MM-DD value, or None."""
    m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", s)
    if not m:
        return None
    y, mo, d = int(m[1]), m[2], m[3]
    try:
        if d:
            x = dt.date(y, int(mo), int(d))
            return x, x
        if mo:
            a = dt.date(y, int(mo), 1)
            b = (dt.date(y + (int(mo) == 12), int(mo) % 12 + 1, 1) - dt.timedelta(days=1))
            return a, b
        return dt.date(y, 1, 1), dt.date(y, 12, 31)
    except ValueError:
        return None


def valid_date(s, allow_unknown=True):
    return (allow_unknown and s == "okänt") or parse_date(s) is not None


def valid_period(s):
    if "/" in s:
        a, _, b = s.partition("/")
        pa, pb = parse_date(a), parse_date(b)
        return bool(pa and pb and pa[0] <= pb[1])
    return parse_date(s) is not None


def read_text(path):
    with open(path, "rb") as f:
        raw = f.read()
    if raw.startswith(b"\xef\xbb\xbf"):
        problem(f"{path}: BOM")
    if b"\r" in raw:
        problem(f"{path}: CR line endings")
    text = raw.decode("utf-8")
    if "Ã" in text or "\ufffd" in text:
        problem(f"{path}: looks like mojibake")
    if raw and not raw.endswith(b"\n"):
        problem(f"{path}: no final newline")
    return text


def load_csv(path, name):
    text = read_text(path)
    rows = list(csv.reader(text.splitlines()))
    if not rows or rows[0] != HEADERS[name]:
        problem(f"{path}: header {rows[0] if rows else None} != {HEADERS[name]}")
        return []
    out = []
    for i, r in enumerate(rows[1:], start=2):
        if len(r) != len(HEADERS[name]):
            problem(f"{path}:{i}: {len(r)} fields")
            continue
        out.append(dict(zip(HEADERS[name], r)))
    return out


def load_geojson(path):
    text = read_text(path)
    lines = text.split("\n")
    if lines[0] != '{"type":"FeatureCollection","features":[' or lines[-2:] != ["]}", ""]:
        problem(f"{path}: layout (header / footer line)")
    body = lines[1:-2]
    for i, line in enumerate(body):
        if (i < len(body) - 1) != line.endswith(","):
            problem(f"{path}: line {i + 2} separator")
        json.loads(line.rstrip(","))  # one complete feature per line
    data = json.loads(text)
    codes = []
    for f in data["features"]:
        p = f["properties"]
        if f.get("id") != p.get("kommunkod"):
            problem(f"{path}: id {f.get('id')} != kommunkod {p.get('kommunkod')}")
        if list(f) != ["type", "id", "properties", "geometry"]:
            problem(f"{path}: member order {list(f)}")
        if f["geometry"]["type"] not in ("Polygon", "MultiPolygon"):
            problem(f"{path}: geometry {f['geometry']['type']}")
        codes.append(p["kommunkod"])
    if len(set(codes)) != len(codes):
        problem(f"{path}: duplicate kommunkod")
    return data, body


def check_against_source(out_body, src_path):
    """The written feature lines with the added id removed must equal the source text."""
    if not os.path.exists(src_path):
        return
    with open(src_path, encoding="utf-8") as f:
        src = f.read().rstrip("\n")
    stripped = [re.sub(r',"id":"\d{4}"', "", line.rstrip(","), count=1) for line in out_body]
    rebuilt = '{"type":"FeatureCollection","features":[' + ",".join(stripped) + "]}"
    if rebuilt != src:
        problem(f"features differ from source {src_path}")


def check_dir(d):
    meta = tomllib.loads(read_text(os.path.join(d, "dataset.toml")))
    kind = meta.get("kind")
    if kind not in ("real", "example"):
        problem(f"{d}: kind {kind}")
    for k in ("title", "default_region", "attribution", "regions"):
        if not meta.get(k):
            problem(f"{d}: dataset.toml lacks {k}")
    if meta.get("default_region") not in meta.get("regions", {}):
        problem(f"{d}: default_region not in regions")
    files = meta.get("files", {})
    unknown = set(files) - set(HEADERS)
    if unknown:
        problem(f"{d}: unknown [files] keys {unknown}")

    region_codes = {}
    for rid, reg in meta["regions"].items():
        path = os.path.normpath(os.path.join(d, reg["boundaries"]))
        data, _ = load_geojson(path)
        region_codes[rid] = {f["id"] for f in data["features"]}
    default_codes = region_codes[meta["default_region"]]

    t = {}
    for name in HEADERS:
        path = os.path.normpath(os.path.join(d, files.get(name, name + ".csv")))
        if not os.path.exists(path):
            problem(f"{d}: missing {path}")
            t[name] = []
            continue
        t[name] = load_csv(path, name)

    kk = {r["kommunkod"] for r in t["kommunkoder"]}
    for r in t["kommunkoder"]:
        if not re.fullmatch(r"\d{4}", r["kommunkod"]) or r["lan"] != r["kommunkod"][:2]:
            problem(f"kommunkoder: bad row {r}")
    for rid, codes in region_codes.items():
        if not codes <= kk:
            problem(f"{d}: region {rid} has codes not in kommunkoder: {sorted(codes - kk)}")
    progs = {r["slug"] for r in t["programmes"]}
    rounds = {r["id"] for r in t["rounds"]}
    docs = {r["slug"] for r in t["documents"]}

    for name, rows in t.items():
        seen = set()
        for i, r in enumerate(rows, start=2):
            where = f"{d}/{name}:{i}"
            for c in REQUIRED[name]:
                if not r[c].strip():
                    problem(f"{where}: {c} empty")
            key = tuple(r[c] for c in KEYS[name])
            if key in seen:
                problem(f"{where}: duplicate key {key}")
            seen.add(key)
            for (tn, col), allowed in ENUMS.items():
                if tn == name and r[col] not in allowed:
                    problem(f"{where}: {col}={r[col]!r}")
            for col in DATE_FIELDS.get(name, []):
                if r[col] and not valid_date(r[col]):
                    problem(f"{where}: {col}={r[col]!r} not a date")
            for col in PERIOD_FIELDS.get(name, []):
                if not valid_period(r[col]):
                    problem(f"{where}: {col}={r[col]!r} not a period")
            if "kommun" in r and name != "kommunkoder":
                if r["kommun"] not in kk or r["kommun"] not in default_codes:
                    problem(f"{where}: kommun {r['kommun']} not in kommunkoder/boundaries")
            src = r.get(SOURCE_FIELD.get(name, "source"), "")
            if name != "kommunkoder":
                if kind == "example" and name not in ("programmes", "documents"):
                    if not src.startswith("EXEMPEL:"):
                        problem(f"{where}: example source must start with EXEMPEL:")
                elif not re.match(r"^(https?://\S+|seed:\d{3}\b)", src):
                    warning(f"{where}: source {src!r} is neither a URL nor seed:NNN")
                if kind == "real" and ("EXEMPEL" in src or "exempel.invalid" in r.get("contact_url", "")):
                    problem(f"{where}: example marker in real data")

    for i, r in enumerate(t["programmes"], start=2):
        if not SLUG.match(r["slug"]):
            problem(f"programmes:{i}: slug")
        try:
            a, b = int(r["age_min"]), int(r["age_max"])
            if not (-1 <= a <= 18 and a <= b <= 18):
                problem(f"programmes:{i}: ages {a}..{b}")
        except ValueError:
            problem(f"programmes:{i}: ages not integers")
        lv = r["levels"].split(";")
        if not lv or set(lv) - {"universal", "selective", "indicated"} or len(set(lv)) != len(lv):
            problem(f"programmes:{i}: levels {r['levels']}")
    for i, r in enumerate(t["rounds"], start=2):
        if not SLUG.match(r["id"]):
            problem(f"rounds:{i}: id")
    starts = [parse_date(r["collected"].split("/")[0])[0] for r in t["rounds"] if valid_period(r["collected"])]
    if starts != sorted(starts):
        problem(f"{d}: rounds not in chronological order")
    for i, r in enumerate(t["offerings"], start=2):
        if r["programme"] not in progs:
            problem(f"{d}/offerings:{i}: unknown programme {r['programme']}")
        if r["round"] not in rounds:
            problem(f"{d}/offerings:{i}: unknown round {r['round']}")
        if r["languages"] and not all(re.fullmatch(r"[a-z]{2,3}", x) for x in r["languages"].split(";")):
            problem(f"{d}/offerings:{i}: languages {r['languages']!r}")
    for i, r in enumerate(t["adherence"], start=2):
        if r["document"] not in docs:
            problem(f"{d}/adherence:{i}: unknown document {r['document']}")
    for i, r in enumerate(t["trainings"], start=2):
        if not r["participants"].isdigit():
            problem(f"{d}/trainings:{i}: participants {r['participants']!r}")
    for i, r in enumerate(t["region_facts"], start=2):
        if not re.fullmatch(r"[a-z_]+", r["measure"]) or not re.fullmatch(r"-?\d+", r["value"]):
            problem(f"{d}/region_facts:{i}: measure/value")
    counts = ", ".join(f"{n} {len(rows)}" for n, rows in t.items())
    print(f"{d} ({kind}): regions " + ", ".join(f"{k} {len(v)}" for k, v in region_codes.items())
          + f"; {counts}")
    return t, region_codes


def main():
    dirs = sys.argv[1:] or [os.path.join(ROOT, "geodata"), os.path.join(ROOT, "geodata", "example")]
    for d in dirs:
        check_dir(d)
    # boundaries against the shared source, when it is available
    g = os.path.join(ROOT, "geodata")
    for out, src, n in (("kommuner.geojson", "skaraborg_kommuner.geojson", 15),
                        ("sverige/kommuner.geojson", "sverige_kommuner.geojson", 290)):
        data, body = load_geojson(os.path.join(g, out))
        if len(data["features"]) != n:
            problem(f"{out}: {len(data['features'])} features, expected {n}")
        check_against_source(body, os.path.join("/work/shared/geodata", src))
    for w in warnings:
        print("WARNING:", w)
    for p in problems:
        print("PROBLEM:", p)
    print(f"{len(problems)} problem(s)")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
