"""A snapshot as GeoJSON features with every property a reader needs: the claim, its dates, its sources (pure)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import shapely
import shapely.geometry

from controlmap.dates import format_date
from controlmap.model import UNKNOWN
from controlmap.style import DEFAULT_PALETTE, feature_style, palette_colours

if TYPE_CHECKING:
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


def representative_point(geometry: BaseGeometry) -> tuple[float, float]:
    """One point that stands for a place: the point itself, the middle of a line's longest part, a point inside an area.

    The point always lies on the geometry (an area's centroid may not), so a label or a spreadsheet's marker
    placed there is on the place.

    Returns
    -------
    ``(longitude, latitude)`` in degrees.
    """
    if geometry.geom_type in {"LineString", "MultiLineString"}:
        longest = max(shapely.get_parts(geometry), key=lambda part: part.length)
        point = longest.interpolate(0.5, normalized=True)
    elif geometry.geom_type in {"Polygon", "MultiPolygon"}:
        point = geometry.representative_point()
    else:
        point = geometry
    return float(point.x), float(point.y)


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
    return [
        {
            "type": "Feature",
            "id": place.id,
            "geometry": shapely.geometry.mapping(place.geometry),
            "properties": place_properties(snap.dataset, place, snap.period(position), colours),
        }
        for position, place in enumerate(snap.dataset.places)
    ]


def snapshot_to_geojson(snap: Snapshot, *, palette: str = DEFAULT_PALETTE) -> dict[str, Any]:
    """The state at a date as an RFC 7946 FeatureCollection, with the date and palette as members."""
    return {
        "type": "FeatureCollection",
        "date": snap.date.isoformat(),
        "palette": palette,
        "features": snapshot_to_features(snap, palette=palette),
    }
