"""A snapshot as GeoJSON features with every property a reader needs: the claim, its dates, its sources (pure)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import shapely
import shapely.geometry

from controlmap.dates import format_date
from controlmap.model import UNKNOWN
from controlmap.style import DEFAULT_PALETTE, feature_style, palette_colours

if TYPE_CHECKING:
    from collections.abc import Sequence

    from numpy.typing import NDArray
    from shapely.geometry.base import BaseGeometry

    from controlmap.model import Dataset, Period, Place, Source
    from controlmap.timeline import Snapshot

PROPERTY_ORDER = (
    "id",
    "name",
    "name_ar",
    "aliases",
    "kind",
    "country",
    "group",
    "controller",
    "controller_label",
    "status",
    "opponents",
    "opponent_labels",
    "since",
    "since_precision",
    "since_label",
    "until",
    "until_precision",
    "until_label",
    "sources",
    "note",
    "fill",
    "stroke",
)


def representative_points(geometries: Sequence[BaseGeometry]) -> NDArray[np.float64]:
    """One point per place that stands for it, as an array of (longitude, latitude) rows.

    The point itself; the middle of a line (of its longest part); a point inside an area (an area's centroid
    may lie outside it). Each lies on its geometry, so a name or a spreadsheet's marker put there is on the
    place. Made in bulk: one call for thousands of places.
    """
    array = np.empty(len(geometries), dtype=object)
    array[:] = list(geometries)
    if not len(array):
        return np.zeros((0, 2))
    lines = shapely.get_type_id(array) == shapely.GeometryType.MULTILINESTRING
    for position in np.flatnonzero(lines).tolist():
        array[position] = max(shapely.get_parts(array[position]), key=lambda part: part.length)
    kinds = shapely.get_type_id(array)
    line = kinds == shapely.GeometryType.LINESTRING
    points = shapely.point_on_surface(array)
    if line.any():
        points[line] = shapely.line_interpolate_point(array[line], 0.5, normalized=True)
    coordinates: NDArray[np.float64] = shapely.get_coordinates(points)
    return coordinates


def representative_point(geometry: BaseGeometry) -> tuple[float, float]:
    """`representative_points` of one geometry, as ``(longitude, latitude)``."""
    lon, lat = representative_points([geometry])[0].tolist()
    return float(lon), float(lat)


def source_to_entry(source: Source) -> dict[str, Any]:
    """The registry entry of a source, keys in the file's order."""
    entry: dict[str, Any] = {
        "id": source.id,
        "title": source.title,
        "outlet": source.outlet,
        "published": None if source.published is None else source.published.isoformat(),
        "url": source.url,
    }
    if source.note:
        entry["note"] = source.note
    return entry


def place_identity(place: Place) -> dict[str, Any]:
    """What names a place in every export: id, names, kind, country and group."""
    return {
        "id": place.id,
        "name": place.name,
        "name_ar": place.name_ar,
        "aliases": list(place.aliases),
        "kind": place.kind,
        "country": place.country,
        "group": place.group,
    }


def period_record(dataset: Dataset, period: Period, colours: dict[str, str]) -> dict[str, Any]:
    """A period with everything a reader needs: dates in words, labels, resolved sources, colours.

    The one record of a period: the history export writes it as it is, a snapshot's place names its dates
    ``since`` and ``until`` (`place_properties`), the CSV flattens it and the HTML page builds on it.
    """
    style = feature_style(period.controller, period.status, period.opponents, colours)
    return {
        "start": period.start.isoformat(),
        "start_precision": period.start_precision,
        "start_label": format_date(period.start, period.start_precision),
        "end": None if period.end is None else period.end.isoformat(),
        "end_precision": period.end_precision,
        "end_label": None if period.end is None else format_date(period.end, period.end_precision),
        "controller": period.controller,
        "controller_label": dataset.faction(period.controller).label,
        "status": period.status,
        "opponents": list(period.opponents),
        "opponent_labels": [dataset.faction(o).label for o in period.opponents],
        "sources": [source_to_entry(dataset.source(s)) for s in period.sources],
        "note": period.note,
        "fill": style.fill,
        "stroke": style.stroke,
    }


def unknown_record(colours: dict[str, str]) -> dict[str, Any]:
    """`period_record`'s fields for a date that no period covers: no holder, no dates, no sources."""
    style = feature_style(None, UNKNOWN, (), colours)
    empty = dict.fromkeys(("start", "start_precision", "start_label", "end", "end_precision", "end_label"))
    return {
        **empty,
        "controller": None,
        "controller_label": None,
        "status": UNKNOWN,
        "opponents": [],
        "opponent_labels": [],
        "sources": [],
        "note": "",
        "fill": style.fill,
        "stroke": style.stroke,
    }


_SNAPSHOT_NAMES = {
    "start": "since",
    "start_precision": "since_precision",
    "start_label": "since_label",
    "end": "until",
    "end_precision": "until_precision",
    "end_label": "until_label",
}


def place_properties(dataset: Dataset, place: Place, period: Period | None, colours: dict[str, str]) -> dict[str, Any]:
    """The properties of one place in one state, in `PROPERTY_ORDER`: its identity and its period's record.

    Parameters
    ----------
    dataset
        For faction labels and source entries.
    place
        The place.
    period
        The period holding it, or None when unknown.
    colours
        From `palette_colours`: the fill and outline come from the one styling source.
    """
    record = unknown_record(colours) if period is None else period_record(dataset, period, colours)
    merged = {**place_identity(place), **{_SNAPSHOT_NAMES.get(key, key): value for key, value in record.items()}}
    return {key: merged[key] for key in PROPERTY_ORDER}


def snapshot_to_features(snap: Snapshot, *, palette: str = DEFAULT_PALETTE) -> list[dict[str, Any]]:
    """One GeoJSON feature per place, in the dataset's order, with `place_properties`."""
    colours = palette_colours(snap.dataset, palette)
    places = snap.dataset.places
    return [
        {
            "type": "Feature",
            "id": place.id,
            "geometry": geometry,
            "properties": place_properties(snap.dataset, place, period, colours),
        }
        for place, period, geometry in zip(
            places, snap.periods(), geometry_mappings([p.geometry for p in places]), strict=True
        )
    ]


def _coordinate_runs(geometries: Any) -> list[tuple[tuple[float, ...], ...]]:
    """Each geometry's coordinates as a tuple of (x, y) tuples, read for all of them at once."""
    if not len(geometries):
        return []
    coordinates, owner = shapely.get_coordinates(geometries, return_index=True)
    bounds = np.searchsorted(owner, np.arange(len(geometries) + 1)).tolist()
    pairs = [tuple(xy) for xy in coordinates.tolist()]
    return [tuple(pairs[bounds[n] : bounds[n + 1]]) for n in range(len(geometries))]


def geometry_mappings(geometries: Sequence[BaseGeometry]) -> list[dict[str, Any]]:
    """`shapely.geometry.mapping` of many geometries: points and lines read at once, the rest one by one."""
    array = np.empty(len(geometries), dtype=object)
    array[:] = list(geometries)
    kinds = shapely.get_type_id(array) if len(array) else np.zeros(0, dtype=int)
    found: list[dict[str, Any] | None] = [None] * len(array)
    points = np.flatnonzero(kinds == shapely.GeometryType.POINT)
    if len(points):
        for position, xy in zip(points.tolist(), shapely.get_coordinates(array[points]).tolist(), strict=True):
            found[position] = {"type": "Point", "coordinates": tuple(xy)}
    lines = np.flatnonzero(kinds == shapely.GeometryType.LINESTRING)
    for position, coordinates in zip(lines.tolist(), _coordinate_runs(array[lines]), strict=True):
        found[position] = {"type": "LineString", "coordinates": coordinates}
    # Polygons without holes: the exterior ring's coordinates, as the only ring.
    polygons = np.flatnonzero(kinds == shapely.GeometryType.POLYGON)
    polygons = polygons[shapely.get_num_interior_rings(array[polygons]) == 0] if len(polygons) else polygons
    rings = shapely.get_exterior_ring(array[polygons]) if len(polygons) else polygons
    for position, coordinates in zip(polygons.tolist(), _coordinate_runs(rings), strict=True):
        found[position] = {"type": "Polygon", "coordinates": (coordinates,)}
    return [
        mapping if mapping is not None else shapely.geometry.mapping(array[position])
        for position, mapping in enumerate(found)
    ]


def snapshot_to_geojson(snap: Snapshot, *, palette: str = DEFAULT_PALETTE) -> dict[str, Any]:
    """The state at a date as an RFC 7946 FeatureCollection, with the date and palette as members."""
    return {
        "type": "FeatureCollection",
        "date": snap.date.isoformat(),
        "palette": palette,
        "features": snapshot_to_features(snap, palette=palette),
    }
