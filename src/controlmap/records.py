"""A snapshot as GeoJSON features with every property a reader needs: the claim, its dates, its sources (pure)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import shapely.geometry

from controlmap.dates import format_date
from controlmap.model import UNKNOWN
from controlmap.style import DEFAULT_PALETTE, feature_style, palette_colours

if TYPE_CHECKING:
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


def place_properties(dataset: Dataset, place: Place, period: Period | None, colours: dict[str, str]) -> dict[str, Any]:
    """The properties of one place in one state, in `PROPERTY_ORDER`.

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
    controller = None if period is None else period.controller
    status = UNKNOWN if period is None else period.status
    opponents = () if period is None else period.opponents
    style = feature_style(controller, status, opponents, colours)
    return {
        **place_identity(place),
        "controller": controller,
        "controller_label": None if controller is None else dataset.faction(controller).label,
        "status": status,
        "opponents": list(opponents),
        "opponent_labels": [dataset.faction(o).label for o in opponents],
        "since": None if period is None else period.start.isoformat(),
        "since_precision": None if period is None else period.start_precision,
        "since_label": None if period is None else format_date(period.start, period.start_precision),
        "until": None if period is None or period.end is None else period.end.isoformat(),
        "until_precision": None if period is None else period.end_precision,
        "until_label": None if period is None or period.end is None else format_date(period.end, period.end_precision),
        "sources": [] if period is None else [source_to_entry(dataset.source(s)) for s in period.sources],
        "note": "" if period is None else period.note,
        "fill": style.fill,
        "stroke": style.stroke,
    }


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
