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

import numpy as np
import shapely
import shapely.geometry

from controlmap.dates import PRECISIONS
from controlmap.model import UNKNOWN
from controlmap.packed import OPEN_END, period_table
from controlmap.records import period_record, place_identity, representative_points, source_to_entry
from controlmap.style import DEFAULT_PALETTE, palette_colours

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from controlmap.model import Dataset, Place
    from controlmap.packed import Ragged
    from controlmap.timeline import Snapshot

__all__ = ["CSV_COLUMNS", "history_to_geojson", "snapshot_columns", "snapshot_to_csv", "snapshot_to_rows"]

CSV_COLUMNS = (
    "id", "name", "kind", "country", "controller", "controller_label", "status", "opponents",
    "since", "since_precision", "until", "until_precision", "source_ids", "source_urls", "fill",
    "lon", "lat", "geometry",
)  # fmt: skip
LIST_SEPARATOR = ";"
"""Joins the values of a list in one CSV cell (ids and URLs never contain it)."""
COORDINATE_DECIMALS = 6
"""Decimals of a degree written in ``lon``, ``lat`` and the WKT (about 0.1 m: more than the data holds)."""


def snapshot_to_rows(snap: Snapshot, *, palette: str = DEFAULT_PALETTE) -> list[dict[str, str]]:
    """One row per place, in the dataset's order, with the `CSV_COLUMNS` as text: `place_properties` flattened.

    Empty cells mean "none": no controller (unknown), no end, no URL. ``lon`` and ``lat`` are
    `controlmap.records.representative_points` of the place; ``geometry`` is its geometry as WKT.
    """
    return [
        dict(zip(CSV_COLUMNS, row, strict=True)) for row in zip(*snapshot_columns(snap, palette=palette), strict=True)
    ]


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
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(zip(*snapshot_columns(snap, palette=palette), strict=True))
    return buffer.getvalue()


def snapshot_columns(snap: Snapshot, *, palette: str = DEFAULT_PALETTE) -> list[list[str]]:
    """The `CSV_COLUMNS` of every place at the snapshot's date, as text, read from the packed periods at once.

    The same text as flattening `place_properties` place by place (a test holds them together), without
    a Python object per place's period.
    """
    dataset = snap.dataset
    table = period_table(dataset)
    colours = palette_colours(dataset, palette)
    rows = snap.period_index
    known = rows >= 0
    held = rows[known]
    places = dataset.places

    def per_place(values: NDArray[np.object_] | list[str]) -> list[str]:
        column = np.full(len(rows), "", dtype=object)
        column[known] = values
        return column.tolist()

    faction_ids = [faction.id for faction in dataset.factions]
    codes = snap.controller_code
    labels = np.array([dataset.faction(f).label for f in faction_ids] + [""], dtype=object)
    fills = np.array([colours.get(f, colours[UNKNOWN]) for f in faction_ids] + [colours[UNKNOWN]], dtype=object)
    urls = [dataset.sources[s].url or "" if s in dataset.sources else "" for s in table.source_ids]
    return [
        [place.id for place in places],
        [place.name for place in places],
        [place.kind for place in places],
        [place.country for place in places],
        per_place(table.faction_ids[table.controller[held]]),
        labels[codes].tolist(),
        snap.statuses.tolist(),
        per_place(_joined(table.opponents, held, table.faction_ids)),
        per_place(_iso_dates(table.start[held])),
        per_place(_PRECISION_NAMES[table.start_precision[held]]),
        per_place(_iso_dates(table.end[held])),
        per_place(_PRECISION_NAMES[table.end_precision[held]]),
        per_place(_joined(table.sources, held, table.source_ids)),
        per_place(_joined(table.sources, held, np.array(urls, dtype=object))),
        fills[codes].tolist(),
        *_position_columns(dataset),
    ]


def _position_columns(dataset: Dataset) -> list[list[str]]:
    """``lon`` and ``lat`` (`controlmap.records.representative_points`) and the geometry as WKT."""
    shapes = [place.geometry for place in dataset.places]
    points = np.round(representative_points(shapes), COORDINATE_DECIMALS).tolist()
    wkt = shapely.to_wkt(np.array(shapes, dtype=object), rounding_precision=COORDINATE_DECIMALS, trim=True)
    return [
        [f"{lon:.{COORDINATE_DECIMALS}f}" for lon, _ in points],
        [f"{lat:.{COORDINATE_DECIMALS}f}" for _, lat in points],
        wkt.tolist(),
    ]


_PRECISION_NAMES = np.array([*PRECISIONS, ""], dtype=object)  # code -1 (an open end) picks ""


def _iso_dates(days: NDArray[np.int64]) -> NDArray[np.object_]:
    """Day numbers as ISO dates; the open end as an empty cell."""
    text = np.datetime_as_string(np.where(days == OPEN_END, 0, days).astype("datetime64[D]")).astype(object)
    text[days == OPEN_END] = ""
    return text


def _joined(lists: Ragged, rows: NDArray[np.int64], names: NDArray[np.object_]) -> list[str]:
    """The named values of each row's list joined by `LIST_SEPARATOR`, empty names left out."""
    values = lists.values.tolist() if len(rows) else []
    made: dict[tuple[int, ...], str] = {}
    joined = []
    for first, stop in zip(lists.offsets[rows].tolist(), lists.offsets[rows + 1].tolist(), strict=True):
        key = tuple(values[first:stop])
        text = made.get(key)
        if text is None:
            text = made[key] = LIST_SEPARATOR.join(name for name in names[list(key)] if name)
        joined.append(text)
    return joined


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
