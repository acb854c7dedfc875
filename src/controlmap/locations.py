"""Where places lie: inside the country they name, and not twice (pure).

Two checks the schema cannot make: a place whose point (or the point inside its line or area) lies outside its
stated country's outline, and two places of the same name within a kilometre of each other (the same place
entered twice under two ids). The outlines are the basemap's, generalised: a place up to `BORDER_TOLERANCE`
outside one (a border town) is not reported.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import shapely
import shapely.geometry

from controlmap.errors import Problem
from controlmap.territory import BORDER_TOLERANCE, KM_PER_DEGREE

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from shapely.geometry.base import BaseGeometry

COUNTRY_CODES = {"IRQ": "IQ", "SYR": "SY"}
"""The basemap's ISO 3166-1 alpha-3 codes of the countries places may be in, to the data's alpha-2 codes."""
SAME_PLACE_KM = 1.0
"""Two places of the same name closer than this are reported as one place entered twice."""


def country_outlines_of(collection: Mapping[str, Any]) -> dict[str, BaseGeometry]:
    """The outline of each country places may be in (``IQ``, ``SY``), from a GeoJSON collection of countries."""
    outlines: dict[str, BaseGeometry] = {}
    for feature in collection.get("features", []):
        code = COUNTRY_CODES.get(str((feature.get("properties") or {}).get("iso_a3")))
        if code is not None:
            outlines[code] = shapely.geometry.shape(feature["geometry"])
    return outlines


def location_problems(
    features: Iterable[tuple[str, dict[str, Any]]], countries: Mapping[str, BaseGeometry]
) -> list[Problem]:
    """The problems of where places lie.

    Parameters
    ----------
    features
        (file name, GeoJSON feature) of every place, already valid by the schema.
    countries
        Country code to outline (`controlmap.basemap.country_outlines`); a country missing from it is not
        checked.
    """
    problems: list[Problem] = []
    points: list[tuple[str, str, str, BaseGeometry]] = []
    widened = {code: shape.buffer(BORDER_TOLERANCE) for code, shape in countries.items()}
    for name, feature in features:
        props = feature["properties"]
        where = shapely.geometry.shape(feature["geometry"])
        inside = where if where.geom_type == "Point" else where.representative_point()
        outline = widened.get(props["country"])
        if outline is not None and not outline.contains(inside):
            message = (
                f"lies outside its country {props['country']} ({inside.x:.4f}, {inside.y:.4f}); "
                "check the coordinates (longitude first) or the country"
            )
            problems.append(Problem(name, message, feature=repr(feature["id"]), field="geometry"))
        points.append((name, str(feature["id"]), str(props["name"]).casefold(), inside))
    problems.extend(_twins(points))
    return problems


def _twins(points: list[tuple[str, str, str, BaseGeometry]]) -> list[Problem]:
    by_name: dict[str, list[tuple[str, str, BaseGeometry]]] = {}
    for name, place_id, label, point in points:
        by_name.setdefault(label, []).append((name, place_id, point))
    found = []
    for same in by_name.values():
        for k, (name, place_id, point) in enumerate(same):
            for _, other_id, other in same[:k]:
                squeeze = math.cos(math.radians((point.y + other.y) / 2))
                km = math.hypot((point.x - other.x) * squeeze, point.y - other.y) * KM_PER_DEGREE
                if km < SAME_PLACE_KM:
                    message = f"is {km:.2f} km from {other_id!r}, which has the same name: the same place twice?"
                    found.append(Problem(name, message, feature=repr(place_id), field="geometry"))
    return found
