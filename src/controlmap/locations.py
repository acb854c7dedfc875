"""Where places lie: inside the country they name, and not twice (pure).

Two checks the schema cannot make: a place whose point (or the point inside its line or area) lies outside its
stated country's outline, and two places of the same name within a kilometre of each other (the same place
entered twice under two ids). The outlines are the basemap's, generalised: a place up to `BORDER_TOLERANCE`
outside one (a border town) is not reported.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
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


@dataclass(frozen=True)
class Located:
    """A place as the checks see it: where it is written, its id and name, its stated country and geometry."""

    file: str
    id: str
    name: str
    country: str
    geometry: BaseGeometry


def location_problems(places: Iterable[Located], countries: Mapping[str, BaseGeometry]) -> list[Problem]:
    """The problems of where places lie, in the places' order.

    Parameters
    ----------
    places
        Every place of the dataset (valid by the schema).
    countries
        Country code to outline (`country_outlines_of`); a country missing from it is not checked.
    """
    located = list(places)
    problems: list[Problem] = []
    inside = [p.geometry if p.geometry.geom_type == "Point" else p.geometry.representative_point() for p in located]
    xs = np.array([point.x for point in inside])
    ys = np.array([point.y for point in inside])
    codes = np.array([p.country for p in located], dtype=object)
    outside = np.zeros(len(located), dtype=bool)
    for code, shape in countries.items():
        mine = codes == code
        if mine.any():
            outline = shape.buffer(BORDER_TOLERANCE)
            shapely.prepare(outline)
            outside[mine] = ~shapely.contains_xy(outline, xs[mine], ys[mine])
    for k in np.flatnonzero(outside).tolist():
        place = located[k]
        message = (
            f"lies outside its country {place.country} ({xs[k]:.4f}, {ys[k]:.4f}); "
            "check the coordinates (longitude first) or the country"
        )
        problems.append(Problem(place.file, message, feature=repr(place.id), field="geometry"))
    problems.extend(
        _twins([(p.file, p.id, p.name.casefold(), point) for p, point in zip(located, inside, strict=True)])
    )
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
