"""The time engine's side in Python: what the browser is sent once, and the engine's script and styles.

One engine (``engine_*.js`` beside this module) draws the map in the app and in the HTML export. It is sent
each place's geometry and the area around it once, and every history as compact columns (start and end day,
controller, status, opponents, precisions, sources); stepping the date then restyles, in the browser, only
the places whose period changed. Colours, patterns and wording come from `controlmap.style` and
`controlmap.web.popups` through this payload, so the browser invents none of them.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import asdict
from functools import cache
from typing import TYPE_CHECKING, Any

import numpy as np
import orjson
import shapely

from controlmap._resources import packaged_text
from controlmap.dates import day_number
from controlmap.model import STATUSES, UNKNOWN, places_bounds
from controlmap.packed import OPEN_END, period_table
from controlmap.records import representative_points
from controlmap.store import gc_paused
from controlmap.style import CHANGE_MARK, KIND_PRIORITY, OUTLINE, STATUS_PATTERNS, display_spec, palette_colours
from controlmap.territory import dataset_territory, radius_km
from controlmap.timeline import change_days
from controlmap.web.popups import WORDING
from controlmap.web.viewstate import default_date

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from numpy.typing import NDArray
    from shapely.geometry.base import BaseGeometry

    from controlmap.model import Dataset

ENGINE_SCRIPTS = (
    "engine_core.js",
    "engine_info.js",
    "engine_layers.js",
    "engine_labels.js",
    "engine_controls.js",
    "engine_timeline.js",
    "engine_main.js",
)
"""The engine's parts, in the order they are joined into one script (they share one closure)."""
COORDINATE_DIGITS = 5
"""Coordinates are sent to about a metre; a place's outline needs no more."""
PAYLOAD_VERSION = 1


@cache
def engine_script() -> str:
    """The engine as one classic script: defines ``window.ControlmapEngine`` and nothing else global."""
    parts = [packaged_text("web", name) for name in ENGINE_SCRIPTS]
    return '(function () {\n"use strict";\n' + "\n".join(parts) + "\n}());\n"


@cache
def engine_css() -> str:
    """The engine's styles: the controls under the map, labels, legend, tooltips."""
    return packaged_text("web", "engine.css")


def engine_payload(dataset: Dataset, *, countries: Mapping[str, BaseGeometry] | None = None) -> dict[str, Any]:
    """Everything the engine draws from, as JSON-ready data: sent to a browser once per dataset.

    Parameters
    ----------
    dataset
        The places, their histories, the factions (with every palette) and the sources.
    countries
        Country outlines (``IQ``, ``SY``) to clip the areas around places to (`controlmap.territory`).
    """
    factions = [f.id for f in dataset.factions]
    return {
        "version": PAYLOAD_VERSION,
        "title": dataset.title,
        "start": day_number(dataset.coverage_start),
        "end": day_number(dataset.coverage_end),
        "opening": day_number(default_date(dataset)),
        "bounds": list(places_bounds(dataset.places)),
        "factions": [{"id": f.id, "label": f.label, "short": f.short_label} for f in dataset.factions],
        "palettes": {
            p.id: {
                "label": p.label,
                "colours": [palette_colours(dataset, p.id)[f] for f in factions],
                "unknown": dataset.unknown_colours[p.id],
            }
            for p in dataset.palettes
        },
        "statuses": [*STATUSES, UNKNOWN],
        "patterns": {status: asdict(pattern) for status, pattern in STATUS_PATTERNS.items()},
        "outline": OUTLINE,
        "display": display_spec(),
        "wording": dict(WORDING),
        "months": [dt.date(2000, month, 1).strftime("%B") for month in range(1, 13)],
        "places": _places(dataset, countries),
        "periods": _periods(dataset),
        "sources": _sources(dataset),
        "changes": _changes(dataset),
        "mark": asdict(CHANGE_MARK),
    }


def _geojson(geometries: Sequence[BaseGeometry | None]) -> list[dict[str, Any] | None]:
    """Geometries as GeoJSON objects to about a metre, made in bulk (None stays None)."""
    shapes = np.array(geometries, dtype=object)
    present = ~shapely.is_missing(shapes)
    texts = shapely.to_geojson(shapely.set_precision(shapes[present], 10**-COORDINATE_DIGITS))
    made = iter([orjson.loads(text) for text in texts])
    return [next(made) if here else None for here in present.tolist()]


def _places(dataset: Dataset, countries: Mapping[str, BaseGeometry] | None) -> dict[str, Any]:
    places = dataset.places
    kinds = sorted({p.kind for p in places}, key=lambda k: KIND_PRIORITY.get(k, 99))
    cells = dataset_territory(dataset, countries)
    shapes = [p.geometry for p in places]
    anchors = representative_points(shapes).tolist()
    groups = sorted({p.group for p in places if p.group})
    return {
        "id": [p.id for p in places],
        "name": [p.name for p in places],
        "name_ar": [p.name_ar for p in places],
        "aliases": [list(p.aliases) for p in places],
        "kinds": kinds,
        "kind": [kinds.index(p.kind) for p in places],
        "rank": [KIND_PRIORITY.get(p.kind, 99) for p in places],
        "population": [p.population for p in places],
        "groups": groups,
        "group": [groups.index(p.group) if p.group else -1 for p in places],
        "note": [p.note for p in places],
        "anchor": [[round(float(x), COORDINATE_DIGITS), round(float(y), COORDINATE_DIGITS)] for x, y in anchors],
        "geometry": _geojson(shapes),
        "territory": _geojson(cells),
        "reach_km": [radius_km(p) for p in places],
    }


def _periods(dataset: Dataset) -> dict[str, Any]:
    """Every period as columns, read from the packed table (no Python object per period at 100k places)."""
    table = period_table(dataset)
    places = len(dataset.places)
    counts = np.bincount(table.place, minlength=places) if len(table.place) else np.zeros(places, dtype=np.int64)
    offsets = np.concatenate([[0], np.cumsum(counts)]).tolist()
    sorted_codes = {source_id: i for i, source_id in enumerate(sorted(dataset.sources))}
    source_codes = np.array([sorted_codes.get(s, -1) for s in table.source_ids] or [0], dtype=np.int64)
    last = day_number(dataset.coverage_end) + 1
    return {
        "offset": offsets,
        "start": table.start.tolist(),
        "end": np.minimum(table.end, last).tolist(),
        "open": (table.end == OPEN_END).tolist(),
        "controller": table.controller.tolist(),
        "status": table.status.tolist(),
        "opponents": _rows(table.opponents.offsets, table.opponents.values),
        "start_precision": table.start_precision.tolist(),
        "end_precision": table.end_precision.tolist(),
        "sources": _rows(table.sources.offsets, source_codes[table.sources.values]),
        "note": table.notes[table.note].tolist(),
    }


def _rows(offsets: NDArray[np.int64], values: NDArray[np.int64]) -> list[list[int]]:
    """Ragged codes as one list per row (two million lists at 100k places: the cycle collector is held)."""
    flat = values.tolist()
    bounds = offsets.tolist()
    with gc_paused():
        return [flat[first:stop] for first, stop in itertools.pairwise(bounds)]


def _sources(dataset: Dataset) -> dict[str, list[Any]]:
    ids = sorted(dataset.sources)
    sources = [dataset.sources[i] for i in ids]
    return {
        "id": ids,
        "title": [s.title for s in sources],
        "outlet": [s.outlet for s in sources],
        "published": [None if s.published is None else s.published.isoformat() for s in sources],
        "url": [s.url for s in sources],
    }


def _changes(dataset: Dataset) -> list[list[int]]:
    """Each day on which something changed, with how many places changed then: ``[[day, count], ...]``."""
    days, counts = change_days(dataset)
    return [[int(day), int(count)] for day, count in zip(days, counts, strict=True)]
