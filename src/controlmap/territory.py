"""Territory around the point places: each one's Voronoi cell, clipped to a radius and to its country (pure).

A map of dots does not show the extent of what was held. Each town or city is given the land nearer to it
than to any other point place, but no further than a radius that grows with its population (`radius_km`),
and only within its own country. The shading at a date is then the place's holder: derived from the
places' control, not a sourced front line, and the legend says so. Landmarks and infrastructure get no
area; rivers and regions keep their own geometry.

The cells are computed in a plane where a degree of longitude is shrunk by the cosine of the places' mean
latitude, so distances are within about 5 % of the true ones across Iraq and Syria.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, cast

import numpy as np
import shapely

from controlmap.style import TERRITORY_RADIUS_KM

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from shapely.geometry.base import BaseGeometry

    from controlmap.model import Dataset, Place

KM_PER_DEGREE = 110.574
"""Kilometres in a degree of latitude."""
SIMPLIFY_DEGREES = 0.002
"""Cells are simplified to about 200 m: finer than the radii, coarse enough to stay small in a page."""
BORDER_TOLERANCE = 0.02
"""Degrees (about 2 km) the country outlines are widened by before clipping: the basemap's borders are
generalised, and towns on the border (Kobani, Tell Abyad) sit just outside them."""


def radius_km(place: Place) -> float | None:
    """How far a place's area reaches: by kind, grown or shrunk by its population when known; None for none.

    ``2.5 * sqrt(population / 1000)`` km, kept within the kind's range (`controlmap.style.TERRITORY_RADIUS_KM`):
    a city of a million reaches 30 km, a town of 10,000 about 8 km.
    """
    limits = TERRITORY_RADIUS_KM.get(place.kind)
    if limits is None:
        return None
    default, low, high = limits
    if place.population is None:
        return default
    return float(min(high, max(low, 2.5 * math.sqrt(place.population / 1000))))


def territory_cells(
    places: Sequence[Place], countries: Mapping[str, BaseGeometry] | None = None
) -> list[BaseGeometry | None]:
    """The area of each place (None for places that get none), in the places' order.

    Parameters
    ----------
    places
        Every place; only points of a kind with a radius get an area, and only those compete for land.
    countries
        Country code (``IQ``, ``SY``) to its outline: each area is clipped to its place's country. None, or a
        country missing from it, clips to the radius only.
    """
    cells: list[BaseGeometry | None] = [None] * len(places)
    chosen = [
        (i, radius)
        for i, place in enumerate(places)
        if place.geometry.geom_type == "Point" and (radius := radius_km(place)) is not None
    ]
    if not chosen:
        return cells
    xy = np.array([[places[i].geometry.x, places[i].geometry.y] for i, _ in chosen], dtype=float)
    squeeze = math.cos(math.radians(float(xy[:, 1].mean())))
    plane = xy * [squeeze, 1.0]
    points = shapely.points(plane)
    radii = np.array([radius / KM_PER_DEGREE for _, radius in chosen])
    disks = shapely.buffer(points, radii, quad_segs=12)
    reach = shapely.box(*shapely.total_bounds(disks)).buffer(1.0)
    voronoi = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(plane), extend_to=reach))
    # voronoi_polygons does not keep the input order: give each cell to the point inside it. Points at the
    # same spot share one cell; the first of them takes it.
    owner = np.full(len(chosen), -1)
    taken: set[int] = set()
    point_index, cell_index = shapely.STRtree(voronoi).query(points, predicate="intersects")
    for p, c in zip(point_index.tolist(), cell_index.tolist(), strict=True):
        if owner[p] < 0 and c not in taken:
            owner[p] = c
            taken.add(c)
    own = np.array([voronoi[c] if c >= 0 else None for c in owner], dtype=object)
    areas = shapely.intersection(own, disks)
    if countries:
        outlines = {code: _to_plane(shape.buffer(BORDER_TOLERANCE), squeeze) for code, shape in countries.items()}
        borders = np.array([outlines.get(places[i].country) for i, _ in chosen], dtype=object)
        clipped = shapely.intersection(areas, borders)
        areas = np.where(shapely.is_missing(borders), areas, clipped)
    back = shapely.transform(areas, lambda coordinates: coordinates / [squeeze, 1.0])
    back = shapely.simplify(back, SIMPLIFY_DEGREES)
    for (i, _), area in zip(chosen, back, strict=True):
        if area is not None and not area.is_empty:
            cells[i] = area
    return cells


def _to_plane(shape: BaseGeometry, squeeze: float) -> BaseGeometry:
    return shapely.transform(shape, lambda coordinates: coordinates * [squeeze, 1.0])


def dataset_territory(dataset: Dataset, countries: Mapping[str, BaseGeometry] | None) -> list[BaseGeometry | None]:
    """`territory_cells` of a dataset's places, computed once per set of country outlines and kept with it."""
    key = ("territory", None if countries is None else tuple(sorted((c, s.wkb) for c, s in countries.items())))
    cached = dataset.cache.get(key)
    if cached is None:
        cached = territory_cells(dataset.places, countries)
        dataset.cache[key] = cached
    return cast("list[BaseGeometry | None]", cached)
