"""One places file compiled into columns, with every feature that might have a problem marked (vectorised).

The marks over-approximate: a feature the plain checks of `controlmap.validate` would fault is always
marked, and those checks then run on the marked features only, so the problems are reported in exactly their
words. A file that passes its schema is read here without a Python object per period.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import chain
from operator import itemgetter
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely
import shapely.errors
import shapely.geometry

from controlmap.dates import PRECISIONS, day_number
from controlmap.model import GEOMETRY_TYPES_BY_KIND, REGION_BOUNDS, STATUSES
from controlmap.packed import NO_CODE, OPEN_END, Ragged
from controlmap.store._dates import day_numbers

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from controlmap.model import Place
    from controlmap.validate import Context

_STATUS_CODES = {status: code for code, status in enumerate(STATUSES)}
_PRECISION_CODES: dict[str | None, int] = {None: NO_CODE, **{p: code for code, p in enumerate(PRECISIONS)}}
_NUMBERS = (int, float)
_CONTROLLED = _STATUS_CODES["controlled"]


@dataclass(eq=False)
class PlacesPart:
    """One places file as columns: its places, their geometry, their periods, and the ids it refers to.

    Codes are the file's own: ``controller`` and ``opponents`` index ``factions``, ``sources`` indexes
    ``source_ids``, ``note`` indexes ``notes``; the dataset maps them to its own when the files are joined.
    """

    places: dict[str, list[Any]]
    """Per place, by `Place` field name (``id``, ``name``, ``aliases``, ...), without geometry and history."""
    geometry: NDArray[np.object_]
    """The shapely geometry of each place (None where it may have a problem)."""
    history: NDArray[np.int64]
    """Where each place's periods begin, and (last) where they end: ``len(places['id']) + 1`` offsets."""
    start: NDArray[np.int64]
    end: NDArray[np.int64]
    start_precision: NDArray[np.int8]
    end_precision: NDArray[np.int8]
    controller: NDArray[np.int64]
    status: NDArray[np.int64]
    opponents: Ragged
    sources: Ragged
    note: NDArray[np.int64]
    factions: list[str]
    source_ids: list[str]
    notes: list[str]

    @property
    def place_count(self) -> int:
        """How many places."""
        return len(self.places["id"])

    def fits(self, context: Context) -> bool:
        """Whether the ids it refers to are known and its periods touch the data's range, as the checks require."""
        if context.faction_ids is not None and not context.faction_ids.issuperset(self.factions):
            return False
        if context.source_ids is not None and not context.source_ids.issuperset(self.source_ids):
            return False
        if context.coverage is None or len(self.start) == 0:
            return True
        first, last = (day_number(day) for day in context.coverage)
        return bool(self.start.max() <= last and self.end.min() > first)


@dataclass(eq=False)
class Compiled:
    """A compiled places file and its marks: features that may have a problem, and whether any is intrinsic.

    ``suspect`` marks the features to explain with the plain checks. ``intrinsic`` says whether some mark does
    not depend on the other files (an unknown faction or source, or dates outside the data's range, do): a
    part with none may be kept in the cache, and the other files are checked against it when it is read.
    """

    part: PlacesPart
    suspect: NDArray[np.bool_]
    intrinsic: bool


def compile_places(features: list[dict[str, Any]], context: Context) -> Compiled:
    """Compile the features of a places file that passes its schema, marking those that may have a problem."""
    count = len(features)
    props = list(map(itemgetter("properties"), features))
    places = _place_fields(features, props)
    own = np.zeros(count, dtype=bool)  # intrinsic marks
    refers = np.zeros(count, dtype=bool)  # marks that depend on the other files
    together = np.fromiter((("population" in p) != ("population_source" in p) for p in props), dtype=bool, count=count)
    own |= together
    # A population the schema takes as an integer but that is not a Python int (5.0) is kept as written: the
    # feature is then built the plain way.
    own |= np.fromiter((p is not None and type(p) is not int for p in places["population"]), dtype=bool, count=count)
    geometry, bad_geometry = _geometries(features, places["kind"])
    own |= bad_geometry
    periods = _periods(props, count)
    own |= periods.own_marks
    source_ids = periods.source_ids
    place_sources = [
        [*g, *([s] if s else [])] for g, s in zip(places["geometry_sources"], places["population_source"], strict=True)
    ]
    source_codes = {s: i for i, s in enumerate(source_ids)}
    for sources in place_sources:
        for source in sources:
            source_codes.setdefault(source, len(source_codes))
    source_ids = list(source_codes)
    if context.source_ids is not None:
        known = context.source_ids
        refers |= np.fromiter((not known.issuperset(s) for s in place_sources), dtype=bool, count=count)
        unknown = np.array([s not in known for s in source_ids] or [False], dtype=bool)
        refers |= _rows_with(periods.sources, unknown, periods.feature, count)
    if context.faction_ids is not None:
        unknown = np.array([f not in context.faction_ids for f in periods.factions] or [False], dtype=bool)
        refers |= _by_feature(unknown[periods.controller], periods.feature, count)
        refers |= _rows_with(periods.opponents, unknown, periods.feature, count)
    if context.coverage is not None:
        first, last = (day_number(day) for day in context.coverage)
        outside = (periods.start > last) | (periods.end <= first)
        refers |= _by_feature(outside, periods.feature, count)
    part = PlacesPart(
        places=places,
        geometry=geometry,
        history=periods.history,
        start=periods.start,
        end=periods.end,
        start_precision=periods.start_precision,
        end_precision=periods.end_precision,
        controller=periods.controller,
        status=periods.status,
        opponents=periods.opponents,
        sources=periods.sources,
        note=periods.note,
        factions=periods.factions,
        source_ids=source_ids,
        notes=periods.notes,
    )
    return Compiled(part=part, suspect=own | refers, intrinsic=bool(own.any()))


def part_from_places(places: list[Place]) -> PlacesPart:
    """A part of place objects (a file whose features the plain way reads, keeping every value as written)."""
    faction_codes: dict[str, int] = {}
    source_codes: dict[str, int] = {}
    note_codes: dict[str, int] = {"": 0}
    periods = [period for place in places for period in place.history]
    lengths = [len(place.history) for place in places]
    history = np.zeros(len(places) + 1, dtype=np.int64)
    np.cumsum(lengths, out=history[1:])
    opponents = [[faction_codes.setdefault(o, len(faction_codes)) for o in p.opponents] for p in periods]
    controller = [faction_codes.setdefault(p.controller, len(faction_codes)) for p in periods]
    sources = [[source_codes.setdefault(s, len(source_codes)) for s in p.sources] for p in periods]
    for place in places:
        for source in (*place.geometry_sources, *([place.population_source] if place.population_source else [])):
            source_codes.setdefault(source, len(source_codes))
    return PlacesPart(
        places={
            name: [list(v) if isinstance(v, tuple) else v for v in (getattr(place, name) for place in places)]
            for name in _FIELDS
        },
        geometry=_objects([place.geometry for place in places]),
        history=history,
        start=np.array([day_number(p.start) for p in periods], dtype=np.int64),
        end=np.array([OPEN_END if p.end is None else day_number(p.end) for p in periods], dtype=np.int64),
        start_precision=np.array([_PRECISION_CODES[p.start_precision] for p in periods], dtype=np.int8),
        end_precision=np.array([_PRECISION_CODES[p.end_precision] for p in periods], dtype=np.int8),
        controller=np.array(controller, dtype=np.int64),
        status=np.array([_STATUS_CODES[p.status] for p in periods], dtype=np.int64),
        opponents=Ragged.from_lists(opponents),
        sources=Ragged.from_lists(sources),
        note=np.array([note_codes.setdefault(p.note, len(note_codes)) for p in periods], dtype=np.int64),
        factions=list(faction_codes),
        source_ids=list(source_codes),
        notes=list(note_codes),
    )


_FIELDS = (
    "id", "name", "name_ar", "aliases", "kind", "country", "group", "note", "geometry_sources", "province",
    "admin", "category", "population", "population_source",
)  # fmt: skip


def _objects(values: list[Any]) -> NDArray[np.object_]:
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array


def _place_fields(features: list[dict[str, Any]], props: list[dict[str, Any]]) -> dict[str, list[Any]]:
    def each(key: str, default: Any) -> list[Any]:
        return [p.get(key, default) for p in props]

    return {
        "id": list(map(itemgetter("id"), features)),
        "name": list(map(itemgetter("name"), props)),
        "name_ar": each("name_ar", ""),
        "aliases": each("aliases", []),
        "kind": list(map(itemgetter("kind"), props)),
        "country": list(map(itemgetter("country"), props)),
        "group": each("group", None),
        "note": each("note", ""),
        "geometry_sources": each("geometry_sources", []),
        "province": each("province", ""),
        "admin": each("admin", ""),
        "category": each("category", ""),
        "population": each("population", None),
        "population_source": each("population_source", ""),
    }


def _by_feature(marks: NDArray[np.bool_], feature: NDArray[np.int64], count: int) -> NDArray[np.bool_]:
    """Per feature: whether any of its rows is marked."""
    found = np.zeros(count, dtype=bool)
    found[feature[marks]] = True
    return found


def _rows_with(lists: Ragged, unknown: NDArray[np.bool_], feature: NDArray[np.int64], count: int) -> NDArray[np.bool_]:
    """Per feature: whether any of its rows' lists holds a code marked in ``unknown``."""
    rows = np.repeat(np.arange(len(lists.offsets) - 1), lists.lengths())
    return _by_feature(unknown[lists.values], feature[rows], count) if len(rows) else np.zeros(count, dtype=bool)


@dataclass(eq=False)
class _Periods:
    feature: NDArray[np.int64]
    history: NDArray[np.int64]
    start: NDArray[np.int64]
    end: NDArray[np.int64]
    start_precision: NDArray[np.int8]
    end_precision: NDArray[np.int8]
    controller: NDArray[np.int64]
    status: NDArray[np.int64]
    opponents: Ragged
    sources: Ragged
    note: NDArray[np.int64]
    factions: list[str]
    source_ids: list[str]
    notes: list[str]
    own_marks: NDArray[np.bool_]


def _codes(values: list[Any], vocabulary: dict[Any, int]) -> NDArray[np.int64]:
    """Each value's code in ``vocabulary``, new values added to it in order of first appearance."""
    for value in dict.fromkeys(values):
        vocabulary.setdefault(value, len(vocabulary))
    return np.fromiter(map(vocabulary.__getitem__, values), dtype=np.int64, count=len(values))


def _ragged(lists: list[list[str]], vocabulary: dict[str, int]) -> Ragged:
    lengths = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
    offsets = np.zeros(len(lists) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    return Ragged(offsets, _codes(list(chain.from_iterable(lists)), vocabulary))


def _periods(props: list[dict[str, Any]], count: int) -> _Periods:
    histories = list(map(itemgetter("history"), props))
    lengths = np.fromiter(map(len, histories), dtype=np.int64, count=count)
    history = np.zeros(count + 1, dtype=np.int64)
    np.cumsum(lengths, out=history[1:])
    rows = list(chain.from_iterable(histories))
    feature = np.repeat(np.arange(count, dtype=np.int64), lengths)
    start, start_real, start_md = day_numbers(list(map(itemgetter("start"), rows)))
    end_texts = list(map(itemgetter("end"), rows))
    open_end = np.fromiter((e is None for e in end_texts), dtype=bool, count=len(rows))
    end = np.full(len(rows), OPEN_END, dtype=np.int64)
    end_real = np.ones(len(rows), dtype=bool)
    end_md = np.full(len(rows), 101, dtype=np.int64)
    if not open_end.all():
        end[~open_end], end_real[~open_end], end_md[~open_end] = day_numbers([e for e in end_texts if e is not None])
    start_precision = np.fromiter(
        map(_PRECISION_CODES.__getitem__, map(itemgetter("start_precision"), rows)), dtype=np.int8, count=len(rows)
    )
    end_precision = np.fromiter(
        map(_PRECISION_CODES.__getitem__, map(itemgetter("end_precision"), rows)), dtype=np.int8, count=len(rows)
    )
    status = np.fromiter(
        map(_STATUS_CODES.__getitem__, map(itemgetter("status"), rows)), dtype=np.int64, count=len(rows)
    )
    faction_codes: dict[str, int] = {}
    controller = _codes(list(map(itemgetter("controller"), rows)), faction_codes)
    opponents = _ragged([r.get("opponents", []) for r in rows], faction_codes)
    source_codes: dict[str, int] = {}
    sources = _ragged(list(map(itemgetter("sources"), rows)), source_codes)
    note_codes: dict[str, int] = {"": 0}
    note = _codes([r.get("note", "") for r in rows], note_codes)

    bad = ~start_real | ~end_real
    bad |= ~_precision_fits(start_precision, start_md) | ~_precision_fits(end_precision, end_md)
    bad |= open_end != (end_precision == NO_CODE)
    bad |= ~open_end & (end <= start)
    same_place = np.zeros(len(rows), dtype=bool)
    same_place[1:] = feature[1:] == feature[:-1]
    previous_end = np.roll(end, 1)
    bad |= same_place & ((start < np.roll(start, 1)) | (start < previous_end) | (previous_end == OPEN_END))
    opponent_count = opponents.lengths()
    bad |= (status == _CONTROLLED) != (opponent_count == 0)
    holder_opposes = controller[np.repeat(np.arange(len(rows)), opponent_count)] == opponents.values
    bad |= _by_feature(holder_opposes, np.repeat(np.arange(len(rows)), opponent_count), len(rows))
    return _Periods(
        feature=feature,
        history=history,
        start=start,
        end=end,
        start_precision=start_precision,
        end_precision=end_precision,
        controller=controller,
        status=status,
        opponents=opponents,
        sources=sources,
        note=note,
        factions=list(faction_codes),
        source_ids=list(source_codes),
        notes=list(note_codes),
        own_marks=_by_feature(bad, feature, count),
    )


def _precision_fits(precision: NDArray[np.int8], month_day: NDArray[np.int64]) -> NDArray[np.bool_]:
    month, year = PRECISIONS.index("month"), PRECISIONS.index("year")
    return np.where(precision == month, month_day % 100 == 1, np.where(precision == year, month_day == 101, True))


def _geometries(features: list[dict[str, Any]], kinds: list[str]) -> tuple[NDArray[np.object_], NDArray[np.bool_]]:
    """Every feature's shapely geometry, and which ones may have a problem (their geometry then None)."""
    count = len(features)
    geometries = list(map(itemgetter("geometry"), features))
    types = list(map(itemgetter("type"), geometries))
    result = np.empty(count, dtype=object)
    bad = np.fromiter(
        (
            kind not in GEOMETRY_TYPES_BY_KIND or t not in GEOMETRY_TYPES_BY_KIND[kind]
            for kind, t in zip(kinds, types, strict=True)
        ),
        dtype=bool,
        count=count,
    )
    coordinates = list(map(itemgetter("coordinates"), geometries))
    points = [i for i, t in enumerate(types) if t == "Point" and not bad[i]]
    lines = [i for i, t in enumerate(types) if t == "LineString" and not bad[i]]
    point_ok = [_is_position(coordinates[i]) for i in points]
    good = [i for i, ok in zip(points, point_ok, strict=True) if ok]
    bad[[i for i, ok in zip(points, point_ok, strict=True) if not ok]] = True
    if good:
        result[good] = shapely.points(np.array([coordinates[i] for i in good], dtype=float))
    line_ok = [_is_line(coordinates[i]) for i in lines]
    good = [i for i, ok in zip(lines, line_ok, strict=True) if ok]
    bad[[i for i, ok in zip(lines, line_ok, strict=True) if not ok]] = True
    if good:
        flat = np.array(list(chain.from_iterable(coordinates[i] for i in good)), dtype=float)
        indices = np.repeat(np.arange(len(good)), [len(coordinates[i]) for i in good])
        result[good] = shapely.linestrings(flat, indices=indices)
    for i, t in enumerate(types):
        if t not in ("Point", "LineString") and not bad[i]:
            result[i] = _other_geometry(geometries[i])
            bad[i] = result[i] is None
    made = ~bad
    shapes = result[made]
    if len(shapes):
        west, south, east, north = REGION_BOUNDS
        bounds = shapely.bounds(shapes)
        inside = (bounds[:, 0] >= west) & (bounds[:, 2] <= east) & (bounds[:, 1] >= south) & (bounds[:, 3] <= north)
        sound = inside & ~shapely.is_empty(shapes) & shapely.is_valid(shapes)
        bad[np.flatnonzero(made)[~sound]] = True
    result[bad] = None
    return result, bad


def _is_position(value: Any) -> bool:
    return type(value) is list and len(value) == 2 and type(value[0]) in _NUMBERS and type(value[1]) in _NUMBERS


def _is_line(value: Any) -> bool:
    return type(value) is list and len(value) >= 2 and all(map(_is_position, value))


_DEPTH = {"Polygon": 2, "MultiLineString": 2, "MultiPolygon": 3}


def _is_nested(value: Any, depth: int) -> bool:
    """Whether ``value`` is a non-empty list of ``depth`` levels of lists over positions."""
    if type(value) is not list or not value:
        return False
    if depth == 1:
        return all(map(_is_position, value))
    return all(_is_nested(item, depth - 1) for item in value)


def _other_geometry(geometry: dict[str, Any]) -> Any:
    """Polygons and multi-part geometries as the plain checks make them; None if anything is unusual."""
    depth = _DEPTH.get(geometry["type"])
    if depth is None or not _is_nested(geometry["coordinates"], depth):
        return None
    try:
        return shapely.geometry.shape(geometry)
    except (ValueError, TypeError, AttributeError, IndexError, shapely.errors.GEOSException):
        return None
