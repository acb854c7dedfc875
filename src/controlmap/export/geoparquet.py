"""The whole history as GeoParquet: one row per period, geometry as WKB, the CRS recorded (pure).

GeoParquet 1.1 (https://geoparquet.org): geopandas (``read_parquet``), DuckDB (``read_parquet``, with the
spatial extension's ``ST_GeomFromWKB``), GDAL/QGIS and Arrow read it directly. Each place's geometry is
repeated on every one of its periods, so that a row is a complete, dated, sourced claim about one place; a
``bbox`` column (the 1.1 "covering") lets readers skip row groups far from a region. A time for which no
period holds a place is simply not a row: unknown stays unknown.

The table is built from the packed periods (`controlmap.packed`) at once, without a Python object per
period, so that two million periods take seconds.
"""

from __future__ import annotations

import io
import json
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import shapely

from controlmap.dates import PRECISIONS
from controlmap.model import STATUSES, UNKNOWN
from controlmap.packed import OPEN_END, period_table
from controlmap.style import DEFAULT_PALETTE, palette_colours

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from controlmap.model import Dataset
    from controlmap.packed import Ragged

__all__ = ["GEOPARQUET_VERSION", "history_to_geoparquet", "history_to_table"]

GEOPARQUET_VERSION = "1.1.0"
_ROW_GROUP = 100_000


def history_to_geoparquet(dataset: Dataset, *, palette: str = DEFAULT_PALETTE) -> bytes:
    """Every period of every place as a GeoParquet file's bytes.

    Parameters
    ----------
    dataset
        The places and their histories.
    palette
        The palette of the ``fill`` column (each period's colour on the map).
    """
    sink = io.BytesIO()
    pq.write_table(history_to_table(dataset, palette=palette), sink, compression="snappy", row_group_size=_ROW_GROUP)
    return sink.getvalue()


def history_to_table(dataset: Dataset, *, palette: str = DEFAULT_PALETTE) -> pa.Table:
    """The GeoParquet table: its columns, and the ``geo`` metadata that makes it GeoParquet."""
    colours = palette_colours(dataset, palette)
    table = period_table(dataset)
    places = dataset.places
    rows = table.place
    geometries = np.empty(len(places), dtype=object)
    geometries[:] = [place.geometry for place in places]
    labels = [f.label for f in dataset.factions]
    faction_ids = table.faction_ids[:-1].tolist()
    sources = dataset.sources
    columns: dict[str, pa.Array] = {
        "place_id": _per_place([p.id for p in places], rows),
        "name": _per_place([p.name for p in places], rows),
        "name_ar": _per_place([p.name_ar for p in places], rows),
        "kind": _per_place([p.kind for p in places], rows),
        "country": _per_place([p.country for p in places], rows),
        "group": _per_place([p.group for p in places], rows),
        "start": pa.array(table.start.astype(np.int32), type=pa.date32()),
        "start_precision": _coded(list(PRECISIONS), table.start_precision),
        "end": pa.array(
            np.where(table.end == OPEN_END, 0, table.end).astype(np.int32), type=pa.date32(), mask=table.end == OPEN_END
        ),
        "end_precision": _coded(list(PRECISIONS), table.end_precision),
        "controller": _coded(faction_ids, table.controller),
        "controller_label": _coded(labels, table.controller),
        "status": _coded(list(STATUSES), table.status),
        "opponents": _lists(table.opponents, faction_ids),
        "source_ids": _lists(table.sources, table.source_ids.tolist()),
        "source_urls": _lists(table.sources, [sources[s].url if s in sources else None for s in table.source_ids]),
        "note": _coded(table.notes.tolist(), table.note),
        "fill": _coded([colours.get(f, colours[UNKNOWN]) for f in faction_ids], table.controller),
        "geometry": _per_place(shapely.to_wkb(geometries).tolist(), rows, pa.binary()),
        "bbox": _bboxes(geometries, rows),
    }
    metadata = {
        b"geo": json.dumps(_geo_metadata(geometries)).encode("utf-8"),
        b"controlmap": json.dumps(
            {
                "title": dataset.title,
                "coverage": {"start": dataset.coverage_start.isoformat(), "end": dataset.coverage_end.isoformat()},
                "palette": palette,
                "factions": [{"id": f.id, "label": f.label, "short_label": f.short_label} for f in dataset.factions],
                "rows": "one per period; a time with no period for a place is unknown",
                "end": "exclusive: the day the place changed hands; null past the end of the data",
            }
        ).encode("utf-8"),
    }
    return pa.table(columns).replace_schema_metadata(metadata)


def _per_place(values: list[Any], rows: NDArray[np.int64], kind: pa.DataType | None = None) -> pa.Array:
    return pa.array(values, type=kind or pa.string()).take(pa.array(rows))


def _coded(names: list[Any], codes: NDArray[Any]) -> pa.Array:
    """Names by code; code -1 (an open end's precision) is null."""
    missing = codes < 0
    return pa.array(names, type=pa.string()).take(pa.array(np.where(missing, 0, codes), mask=missing))


def _lists(lists: Ragged, names: list[Any]) -> pa.Array:
    values = pa.array(names, type=pa.string()).take(pa.array(lists.values))
    return pa.ListArray.from_arrays(pa.array(lists.offsets.astype(np.int32)), values)


def _bboxes(geometries: NDArray[np.object_], rows: NDArray[np.int64]) -> pa.Array:
    bounds = shapely.bounds(geometries) if len(geometries) else np.zeros((0, 4))
    fields = [pa.array(bounds[:, i]).take(pa.array(rows)) for i in range(4)]
    return pa.StructArray.from_arrays(fields, names=["xmin", "ymin", "xmax", "ymax"])


def _geo_metadata(geometries: NDArray[np.object_]) -> dict[str, Any]:
    import pyproj  # noqa: PLC0415 - only this format records a CRS

    kinds = sorted({geometry.geom_type for geometry in geometries})
    west, south, east, north = shapely.total_bounds(geometries) if len(geometries) else (0.0, 0.0, 0.0, 0.0)
    return {
        "version": GEOPARQUET_VERSION,
        "primary_column": "geometry",
        "columns": {
            "geometry": {
                "encoding": "WKB",
                "geometry_types": kinds,
                "crs": pyproj.CRS("OGC:CRS84").to_json_dict(),
                "edges": "planar",
                "bbox": [float(west), float(south), float(east), float(north)],
                "covering": {
                    "bbox": {
                        "xmin": ["bbox", "xmin"],
                        "ymin": ["bbox", "ymin"],
                        "xmax": ["bbox", "xmax"],
                        "ymax": ["bbox", "ymax"],
                    }
                },
            }
        },
    }
