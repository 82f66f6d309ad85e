#!/usr/bin/env python3
"""Build the boundary files, the kommun code list and dataset.toml in geodata/.

Source (read-only): ../shared/geodata/{skaraborg,sverige}_kommuner.geojson
(Lantmäteriet GSD-Sverigekartan 1:1 miljon, CC0; see its SOURCES.md).

Writes, relative to the project root:
  geodata/kommuner.geojson           15 Skaraborg kommuner, one feature per line
  geodata/sverige/kommuner.geojson   all 290 kommuner, one feature per line
  geodata/kommunkoder.csv            kommunkod,namn,lan (290 rows, sorted by code)
  geodata/dataset.toml               kind = "real"

Each feature gets a top-level "id" (the kommunkod, a string) before "properties". Coordinates are
unchanged: the script checks that re-serialising the parsed source reproduces the source text byte for
byte, so every number is written exactly as in the source.

Usage: python3 tools/provenance/build_geodata.py [--shared /work/shared] [--out geodata]
"""

import argparse
import csv
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SKARABORG = ["1444", "1445", "1446", "1447", "1470", "1471", "1472", "1473",
             "1493", "1494", "1495", "1496", "1497", "1498", "1499"]

DATASET_TOML = """\
kind = "real"
title = "Offentliga källor"
default_region = "skaraborg"
attribution = "Kommungränser: Lantmäteriet (CC0)"

[regions.skaraborg]
name = "Skaraborg"
boundaries = "kommuner.geojson"

[regions.sverige]
name = "Sverige"
boundaries = "sverige/kommuner.geojson"
"""


def dump(obj):
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


def load_exact(path):
    """Parse a GeoJSON FeatureCollection and prove that dump() reproduces its text exactly."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    data = json.loads(text)
    if data.get("type") != "FeatureCollection":
        sys.exit(f"{path}: not a FeatureCollection")
    if dump(data) != text.rstrip("\n"):
        sys.exit(f"{path}: re-serialisation differs from the source text; refusing to write")
    return data["features"]


def with_id(feature):
    props = feature["properties"]
    code = props["kommunkod"]
    if set(props) != {"kommunkod", "namn", "lan"} or len(code) != 4 or not code.isdigit():
        sys.exit(f"unexpected properties: {props}")
    if props["lan"] != code[:2]:
        sys.exit(f"lan does not match kommunkod: {props}")
    out = {}
    for key, value in feature.items():
        if key == "properties":
            out["id"] = code
        out[key] = value
    if "id" not in out:
        sys.exit(f"feature {code} has no properties member")
    return out


def write_geojson(path, features):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    lines = [dump(with_id(f)) for f in features]
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write('{"type":"FeatureCollection","features":[\n')
        f.write(",\n".join(lines))
        f.write("\n]}\n")


def check_written(path, source_features):
    """Read the written file back and compare every geometry with the source."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    data = json.loads(text)
    feats = data["features"]
    assert len(feats) == len(source_features), path
    assert text.count("\n") == len(feats) + 2, path
    for out, src in zip(feats, source_features):
        assert out["id"] == out["properties"]["kommunkod"] == src["properties"]["kommunkod"]
        assert out["properties"] == src["properties"]
        # exact text of the geometry, not just float equality
        assert dump(out["geometry"]) == dump(src["geometry"])
        assert list(out) == ["type", "id", "properties", "geometry"], list(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default="/work/shared")
    ap.add_argument("--out", default=os.path.join(ROOT, "geodata"))
    args = ap.parse_args()

    src_dir = os.path.join(args.shared, "geodata")
    skaraborg = load_exact(os.path.join(src_dir, "skaraborg_kommuner.geojson"))
    sverige = load_exact(os.path.join(src_dir, "sverige_kommuner.geojson"))

    codes = [f["properties"]["kommunkod"] for f in sverige]
    if len(codes) != 290 or len(set(codes)) != 290 or codes != sorted(codes):
        sys.exit("national file: expected 290 unique kommuner sorted by code")
    if [f["properties"]["kommunkod"] for f in skaraborg] != SKARABORG:
        sys.exit("Skaraborg file: unexpected kommun set")
    by_code = {f["properties"]["kommunkod"]: f for f in sverige}
    for f in skaraborg:
        if dump(f) != dump(by_code[f["properties"]["kommunkod"]]):
            sys.exit(f"Skaraborg feature {f['properties']['kommunkod']} differs from the national file")

    out = args.out
    write_geojson(os.path.join(out, "kommuner.geojson"), skaraborg)
    write_geojson(os.path.join(out, "sverige", "kommuner.geojson"), sverige)
    check_written(os.path.join(out, "kommuner.geojson"), skaraborg)
    check_written(os.path.join(out, "sverige", "kommuner.geojson"), sverige)

    # A sample coordinate, compared as text with the source.
    first = skaraborg[0]["geometry"]["coordinates"]
    while isinstance(first[0], list):
        first = first[0]
    sample = dump(first)
    with open(os.path.join(out, "kommuner.geojson"), encoding="utf-8") as f:
        assert sample in f.read(), sample
    with open(os.path.join(src_dir, "skaraborg_kommuner.geojson"), encoding="utf-8") as f:
        assert sample in f.read(), sample

    with open(os.path.join(out, "kommunkoder.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["kommunkod", "namn", "lan"])
        for feat in sorted(sverige, key=lambda x: x["properties"]["kommunkod"]):
            p = feat["properties"]
            w.writerow([p["kommunkod"], p["namn"], p["lan"]])

    with open(os.path.join(out, "dataset.toml"), "w", encoding="utf-8", newline="\n") as f:
        f.write(DATASET_TOML)

    print(f"wrote {len(skaraborg)} + {len(sverige)} features, {len(codes)} kommunkoder; "
          f"sample coordinate {sample} identical to source")


if __name__ == "__main__":
    main()
