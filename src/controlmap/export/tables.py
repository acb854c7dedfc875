"""The data exports: a snapshot as CSV, the whole history as GeoJSON (pure).

Both carry the colours of `controlmap.style`, so a table or a GIS layer shows what the map shows. The
state at one date as GeoJSON is `controlmap.records.snapshot_to_geojson`. The CSV carries each place's
position twice: ``lon``/``lat`` (the point, or a point on a line or inside an area) for a spreadsheet's map,
and its whole geometry as WKT in ``geometry`` for a GIS (QGIS, GDAL and geopandas read either).
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, Any

import shapely
import shapely.geometry

from controlmap.model import UNKNOWN
from controlmap.records import (
    period_record,
    place_identity,
    place_properties,
    representative_point,
    source_to_entry,
)
from controlmap.style import DEFAULT_PALETTE, palette_colours

if TYPE_CHECKING:
    from controlmap.model import Dataset, Place
    from controlmap.timeline import Snapshot

__all__ = ["CSV_COLUMNS", "history_to_geojson", "snapshot_to_csv", "snapshot_to_rows"]

CSV_COLUMNS = (
    "id", "name", "kind", "country", "controller", "controller_label", "status", "opponents",
    "since", "since_precision", "until", "until_precision", "source_ids", "source_urls", "fill",
    "lon", "lat", "geometry",
)  # fmt: skip
_LIST_COLUMNS = {"opponents", "source_ids", "source_urls"}
_POSITION_COLUMNS = {"lon", "lat", "geometry"}
_PLAIN_COLUMNS = [c for c in CSV_COLUMNS if c not in _LIST_COLUMNS | _POSITION_COLUMNS]
LIST_SEPARATOR = ";"
"""Joins the values of a list in one CSV cell (ids and URLs never contain it)."""
COORDINATE_DECIMALS = 6
"""Decimals of a degree written in ``lon``, ``lat`` and the WKT (about 0.1 m: more than the data holds)."""


def snapshot_to_rows(snap: Snapshot, *, palette: str = DEFAULT_PALETTE) -> list[dict[str, str]]:
    """One row per place, in the dataset's order, with the `CSV_COLUMNS` as text: `place_properties` flattened.

    Empty cells mean "none": no controller (unknown), no end, no URL. ``lon`` and ``lat`` are
    `controlmap.records.representative_point` of the place; ``geometry`` is its geometry as WKT.
    """
    colours = palette_colours(snap.dataset, palette)
    rows = []
    for position, place in enumerate(snap.dataset.places):
        props = place_properties(snap.dataset, place, snap.period(position), colours)
        rows.append(
            {
                **{column: "" if props[column] is None else str(props[column]) for column in _PLAIN_COLUMNS},
                "opponents": LIST_SEPARATOR.join(props["opponents"]),
                "source_ids": LIST_SEPARATOR.join(s["id"] for s in props["sources"]),
                "source_urls": LIST_SEPARATOR.join(s["url"] for s in props["sources"] if s["url"]),
                **_position_cells(place),
            }
        )
    return [{column: row[column] for column in CSV_COLUMNS} for row in rows]


def _position_cells(place: Place) -> dict[str, str]:
    lon, lat = representative_point(place.geometry)
    return {
        "lon": f"{lon:.{COORDINATE_DECIMALS}f}",
        "lat": f"{lat:.{COORDINATE_DECIMALS}f}",
        "geometry": shapely.to_wkt(place.geometry, rounding_precision=COORDINATE_DECIMALS, trim=True),
    }


def snapshot_to_csv(snap: Snapshot, *, palette: str = DEFAULT_PALETTE) -> str:
    """The state at a date as CSV text (RFC 4180, header row, UTF-8), one row per place.

    Parameters
    ----------
    snap
        The snapshot.
    palette
        The palette of the ``fill`` column.
    """
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(snapshot_to_rows(snap, palette=palette))
    return buffer.getvalue()


def _place_to_history_feature(dataset: Dataset, place: Place, colours: dict[str, str]) -> dict[str, Any]:
    return {
        "type": "Feature",
        "id": place.id,
        "geometry": shapely.geometry.mapping(place.geometry),
        "properties": {
            **place_identity(place),
            "note": place.note,
            "geometry_sources": [source_to_entry(dataset.source(s)) for s in place.geometry_sources],
            "history": [
                period_record(dataset, period, colours) for period in sorted(place.history, key=lambda p: p.start)
            ],
        },
    }


def history_to_geojson(dataset: Dataset, *, palette: str = DEFAULT_PALETTE) -> dict[str, Any]:
    """Every place with all its periods and their sources, as an RFC 7946 FeatureCollection.

    Parameters
    ----------
    dataset
        The places and their histories.
    palette
        The palette of each period's ``fill`` and ``stroke``.

    Returns
    -------
    The collection, with the dataset's title, covered range, palette and factions as members; a gap
    between two periods of a place is a time for which nothing is known.
    """
    colours = palette_colours(dataset, palette)
    return {
        "type": "FeatureCollection",
        "title": dataset.title,
        "coverage": {"start": dataset.coverage_start.isoformat(), "end": dataset.coverage_end.isoformat()},
        "palette": palette,
        "factions": [
            {"id": f.id, "label": f.label, "short_label": f.short_label, "colour": colours[f.id]}
            for f in dataset.factions
        ],
        "unknown_colour": colours[UNKNOWN],
        "features": [_place_to_history_feature(dataset, place, colours) for place in dataset.places],
    }
