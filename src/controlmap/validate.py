"""Validation of parsed geodata documents: every problem, with file, feature and field (pure)."""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any, cast

import jsonschema_rs
import shapely.geometry
import shapely.validation

from controlmap._resources import packaged_json
from controlmap.dates import precision_fits
from controlmap.errors import Problem
from controlmap.locations import Located, country_outlines_of, location_problems
from controlmap.model import GEOMETRY_TYPES_BY_KIND, REGION_BOUNDS

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence

    import jsonschema
    from shapely.geometry.base import BaseGeometry


@dataclass(frozen=True)
class Document:
    """A parsed JSON file and the name to report it by."""

    name: str
    content: Any


@dataclass
class DatasetDocuments:
    """The parsed files of one dataset, before they become a `Dataset`."""

    dataset: Document
    factions: Document
    sources: Document
    places: list[Document] = field(default_factory=list)
    countries: Document | None = None
    """The basemap's countries, when the dataset has them: places are checked against their outlines."""


def schema(name: str) -> dict[str, Any]:
    """The JSON Schema shipped with the package (``places``, ``sources``, ``factions`` or ``review``)."""
    loaded: dict[str, Any] = packaged_json("schema", f"{name}.schema.json")
    return loaded


def validate_documents(documents: DatasetDocuments) -> list[Problem]:
    """Every problem in a dataset's documents, in file order.

    Parameters
    ----------
    documents
        The parsed files.

    Returns
    -------
    The problems; empty when the dataset is valid.

    Documents whose content is None could not be read; that was reported when reading, so they are
    skipped here, and so are the checks that need them (an unreadable ``sources.json`` does not make
    every citation a problem).
    """
    problems, context = check_registries(documents)
    seen_places: dict[str, str] = {}
    for document in documents.places:
        if document.content is not None:
            problems.extend(check_places(document, context, seen=seen_places))
    if not problems and all(d.content is not None for d in documents.places):
        located = (
            Located(
                document.name, str(f["id"]), str(f["properties"]["name"]), str(f["properties"]["country"]),
                shapely.geometry.shape(f["geometry"]),
            )
            for document in documents.places
            for f in document.content["features"]
        )  # fmt: skip
        problems.extend(location_problems(located, countries_of(documents.countries)))
    return problems


def countries_of(document: Document | None) -> dict[str, BaseGeometry]:
    """The country outlines a dataset's places are checked against (none when it has no basemap of them)."""
    if document is None or not isinstance(document.content, dict):
        return {}
    return country_outlines_of(document.content)


@dataclass(frozen=True)
class Context:
    """What a places file is checked against; None where the file that tells it could not be read."""

    coverage: tuple[dt.date, dt.date] | None
    faction_ids: frozenset[str] | None
    source_ids: frozenset[str] | None


def check_registries(documents: DatasetDocuments) -> tuple[list[Problem], Context]:
    """The problems of ``dataset.json``, ``factions.json`` and ``sources.json``, and what places are checked against.

    Documents whose content is None (unreadable) are skipped, as in `validate_documents`.
    """
    problems: list[Problem] = []
    coverage = None
    if documents.dataset.content is not None:
        coverage = _check_dataset_meta(documents.dataset, problems)
    faction_ids = None if documents.factions.content is None else _check_factions(documents.factions, problems)
    source_ids = None if documents.sources.content is None else _check_sources(documents.sources, problems)
    return problems, Context(
        coverage=coverage,
        faction_ids=None if faction_ids is None else frozenset(faction_ids),
        source_ids=None if source_ids is None else frozenset(source_ids),
    )


def check_places(document: Document, context: Context, *, seen: dict[str, str]) -> list[Problem]:
    """Every problem of one places file, in feature order; ``seen`` (place id: file) finds ids used twice."""
    return _check_places(
        document, faction_ids=context.faction_ids, source_ids=context.source_ids, coverage=context.coverage, seen=seen
    )


def duplicate_id_problem(file: str, where: str, place_id: str, first_file: str) -> Problem:
    """The problem of a place id used again; ``where`` names the feature (``feature 'x' (#3)``)."""
    return Problem(file, f"duplicate place id {place_id!r} (also in {first_file})", where, "id")


def places_schema_valid(content: Any) -> bool:
    """Whether a places file's content passes its schema (the compiled validator, which says only yes or no)."""
    return _fast_validator("places").is_valid(content)


def feature_problems(document: Document, index: int, context: Context) -> list[Problem]:
    """The problems of one feature of a places file that passes its schema, beyond the schema and duplicate ids."""
    label = _Labeler(document.content, "features")
    where = label.item_label(index)
    feature = document.content["features"][index]
    found = _feature_problems(
        feature, set(), faction_ids=context.faction_ids, source_ids=context.source_ids, coverage=context.coverage
    )
    return [Problem(document.name, message, where, name) for name, message in found]


@cache
def _fast_validator(schema_name: str) -> jsonschema_rs.Validator:
    return jsonschema_rs.validator_for(schema(schema_name))


def _schema_problems(document: Document, schema_name: str, label: _Labeler) -> Iterator[Problem]:
    # The compiled validator answers "valid?" about a hundred times faster; the pure-Python one then
    # explains each problem of an invalid file in the words the messages need.
    if _fast_validator(schema_name).is_valid(document.content):
        return
    import jsonschema  # noqa: PLC0415 - slow to import, and only needed to explain a file that fails

    validator = jsonschema.Draft202012Validator(schema(schema_name))
    for error in sorted(validator.iter_errors(document.content), key=lambda e: list(map(str, e.absolute_path))):
        path = list(error.absolute_path)
        message = _schema_message(error)
        missing = re.fullmatch(r"'(.+)' is a required property", error.message)
        if error.validator == "required" and missing:
            # Point at the missing field itself, so the checks of its siblings still run.
            path.append(missing.group(1))
            message = "missing"
        feature, field_path = label(path)
        yield Problem(document.name, message, feature, field_path)


def _schema_message(error: jsonschema.ValidationError) -> str:
    import jsonschema  # noqa: PLC0415 - see _schema_problems

    if error.validator == "anyOf" and error.context:
        # "x or null" fields: explain the non-null alternative, which is the one the writer meant.
        meant = [e for e in error.context if e.validator != "type" or e.validator_value != "null"]
        best = jsonschema.exceptions.best_match(meant or error.context)
        if best is not None:
            return _schema_message(best)
    if error.validator == "additionalProperties":
        return error.message.replace("Additional properties are not allowed", "unexpected field")
    if error.validator == "enum":
        allowed = ", ".join(str(value) for value in cast("list[Any]", error.validator_value))
        return f"{error.instance!r} is not one of: {allowed}"
    if error.validator == "pattern" and isinstance(error.instance, str):
        return f"{error.instance!r} is not in the expected form ({error.validator_value})"
    return error.message


class _Labeler:
    """Turns a JSON path into (feature label, field path) for messages."""

    def __init__(self, content: Any, list_key: str, id_key: str = "id") -> None:
        self.content = content
        self.list_key = list_key
        self.id_key = id_key

    def item_label(self, index: int) -> str:
        items = self.content.get(self.list_key) if isinstance(self.content, dict) else None
        item = items[index] if isinstance(items, list) and index < len(items) else None
        item_id = item.get(self.id_key) if isinstance(item, dict) else None
        noun = "feature" if self.list_key == "features" else self.list_key.rstrip("s")
        return f"{noun} {item_id!r} (#{index})" if isinstance(item_id, str) else f"{noun} #{index}"

    def __call__(self, path: Sequence[str | int]) -> tuple[str | None, str | None]:
        if len(path) >= 2 and path[0] == self.list_key and isinstance(path[1], int):
            rest = path[2:]
            if rest and rest[0] == "properties":
                rest = rest[1:]
            return self.item_label(path[1]), _field_path(rest)
        return None, _field_path(path)


def _field_path(path: Iterable[str | int]) -> str | None:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or None


def _check_dataset_meta(document: Document, problems: list[Problem]) -> tuple[dt.date, dt.date] | None:
    content = document.content
    coverage = content.get("coverage") if isinstance(content, dict) else None
    if not isinstance(coverage, dict):
        problems.append(Problem(document.name, "missing 'coverage' with 'start' and 'end' dates", field="coverage"))
        return None
    dates = []
    for key in ("start", "end"):
        try:
            dates.append(dt.date.fromisoformat(str(coverage.get(key))))
        except ValueError:
            problems.append(
                Problem(document.name, f"{coverage.get(key)!r} is not a YYYY-MM-DD date", field=f"coverage.{key}")
            )
    if len(dates) != 2:
        return None
    if dates[0] >= dates[1]:
        problems.append(Problem(document.name, f"start {dates[0]} is not before end {dates[1]}", field="coverage"))
        return None
    if "default_date" in content:
        value = content["default_date"]
        try:
            default = dt.date.fromisoformat(str(value))
        except ValueError:
            problems.append(Problem(document.name, f"{value!r} is not a YYYY-MM-DD date", field="default_date"))
        else:
            if not dates[0] <= default <= dates[1]:
                msg = f"{default} is outside the coverage {dates[0]} to {dates[1]}"
                problems.append(Problem(document.name, msg, field="default_date"))
    return dates[0], dates[1]


def _check_factions(document: Document, problems: list[Problem]) -> set[str]:
    label = _Labeler(document.content, "factions")
    found = list(_schema_problems(document, "factions", label))
    problems.extend(found)
    if found:
        return _ids(document.content, "factions")
    palettes = [p["id"] for p in document.content["palettes"]]
    palette_set = set(palettes)
    _report_duplicates(document, palettes, "palettes", problems)
    faction_ids = [f["id"] for f in document.content["factions"]]
    _report_duplicates(document, faction_ids, "factions", problems)
    colour_sets: list[tuple[str | None, str, dict[str, str]]] = [
        (None, "unknown", document.content["unknown"]),
        *((label.item_label(i), "colours", f["colours"]) for i, f in enumerate(document.content["factions"])),
    ]
    for feature, field_name, colours in colour_sets:
        missing = sorted(palette_set - set(colours))
        extra = sorted(set(colours) - palette_set)
        if missing:
            problems.append(
                Problem(document.name, f"no colour for palette(s) {', '.join(missing)}", feature, field_name)
            )
        if extra:
            problems.append(
                Problem(document.name, f"colour for undeclared palette(s) {', '.join(extra)}", feature, field_name)
            )
    return set(faction_ids)


def _check_sources(document: Document, problems: list[Problem]) -> set[str]:
    label = _Labeler(document.content, "sources")
    found = list(_schema_problems(document, "sources", label))
    problems.extend(found)
    broken = {p.feature for p in found}
    items = document.content.get("sources") if isinstance(document.content, dict) else None
    if isinstance(items, list):
        ids = [s["id"] for s in items if isinstance(s, dict) and isinstance(s.get("id"), str)]
        _report_duplicates(document, ids, "sources", problems)
        for index, source in enumerate(items):
            if label.item_label(index) in broken:
                continue
            if source["published"] is not None and _date_or_none(source["published"]) is None:
                problems.append(
                    Problem(
                        document.name,
                        f"{source['published']!r} is not a real date",
                        label.item_label(index),
                        "published",
                    )
                )
    return _ids(document.content, "sources")


def _ids(content: Any, key: str) -> set[str]:
    items = content.get(key) if isinstance(content, dict) else None
    if not isinstance(items, list):
        return set()
    return {item["id"] for item in items if isinstance(item, dict) and isinstance(item.get("id"), str)}


def _report_duplicates(document: Document, ids: list[str], key: str, problems: list[Problem]) -> None:
    seen: set[str] = set()
    for index, item_id in enumerate(ids):
        if item_id in seen:
            problems.append(Problem(document.name, f"duplicate id {item_id!r}", f"{key.rstrip('s')} #{index}", "id"))
        seen.add(item_id)


def _date_or_none(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _check_places(
    document: Document,
    *,
    faction_ids: frozenset[str] | None,
    source_ids: frozenset[str] | None,
    coverage: tuple[dt.date, dt.date] | None,
    seen: dict[str, str],
) -> list[Problem]:
    label = _Labeler(document.content, "features")
    problems = list(_schema_problems(document, "places", label))
    broken: dict[str | None, set[str]] = {}
    for problem in problems:
        broken.setdefault(problem.feature, set()).add(problem.field or "")
    features = document.content.get("features") if isinstance(document.content, dict) else None
    if not isinstance(features, list):
        return problems
    for index, feature in enumerate(features):
        where = label.item_label(index)
        if not isinstance(feature, dict):
            continue
        problems.extend(
            Problem(document.name, message, where, name)
            for name, message in _feature_problems(
                feature, broken.get(where, set()), faction_ids=faction_ids, source_ids=source_ids, coverage=coverage
            )
        )
        place_id = feature.get("id")
        if isinstance(place_id, str) and place_id in seen:
            problems.append(duplicate_id_problem(document.name, where, place_id, seen[place_id]))
        elif isinstance(place_id, str):
            seen[place_id] = document.name
    return problems


def _feature_problems(
    feature: dict[str, Any],
    broken: set[str],
    *,
    faction_ids: frozenset[str] | None,
    source_ids: frozenset[str] | None,
    coverage: tuple[dt.date, dt.date] | None,
) -> Iterator[tuple[str, str]]:
    """The checks beyond the schema, on the parts of a feature the schema found sound."""

    def sound(prefix: str) -> bool:
        return not any(b in ("", prefix) or b.startswith((f"{prefix}.", f"{prefix}[")) for b in broken)

    props = feature.get("properties")
    if not isinstance(props, dict):
        return
    if sound("geometry") and sound("kind"):
        yield from _geometry_problems(feature["geometry"], props["kind"])
    if sound("geometry_sources") and source_ids is not None:
        for source_id in props.get("geometry_sources", []):
            if source_id not in source_ids:
                yield "geometry_sources", f"unknown source id {source_id!r}"
    population_source = props.get("population_source")
    if sound("population_source") and source_ids is not None and population_source not in (None, *source_ids):
        yield "population_source", f"unknown source id {population_source!r}"
    if sound("population") and ("population" in props) != ("population_source" in props):
        yield "population", "population and population_source go together: give both or neither"
    history = props.get("history")
    if isinstance(history, list) and not broken & {"", "history"}:
        skipped = {i for i, period in enumerate(history) if not sound(f"history[{i}]") or not isinstance(period, dict)}
        yield from _history_problems(
            history, skipped=skipped, faction_ids=faction_ids, source_ids=source_ids, coverage=coverage
        )


def _geometry_problems(geometry: dict[str, Any], kind: str) -> Iterator[tuple[str, str]]:
    geometry_type = geometry["type"]
    if geometry_type not in GEOMETRY_TYPES_BY_KIND[kind]:
        allowed = " or ".join(sorted(GEOMETRY_TYPES_BY_KIND[kind]))
        yield "geometry.type", f"a {kind} must be a {allowed}, not a {geometry_type}"
        return
    positions = list(_positions(geometry["coordinates"]))
    if positions is None or any(p is None for p in positions):
        yield "geometry.coordinates", f"malformed coordinates for a {geometry_type}"
        return
    west, south, east, north = REGION_BOUNDS
    for lon, lat in positions:  # type: ignore[misc]
        if not (math.isfinite(lon) and math.isfinite(lat)):
            yield "geometry.coordinates", f"coordinate ({lon}, {lat}) is not a finite number"
            return
        if not (west <= lon <= east and south <= lat <= north):
            if west <= lat <= east and south <= lon <= north:
                yield (
                    "geometry.coordinates",
                    (f"coordinate ({lon}, {lat}) looks like latitude, longitude; GeoJSON wants longitude first"),
                )
            else:
                yield (
                    "geometry.coordinates",
                    (
                        f"coordinate ({lon}, {lat}) is outside the region (longitude {west}..{east}, "
                        f"latitude {south}..{north})"
                    ),
                )
            return
    try:
        shape = shapely.geometry.shape(geometry)
    except (ValueError, TypeError, AttributeError, IndexError) as error:
        yield "geometry", f"not a valid {geometry_type}: {error}"
        return
    if shape.is_empty:
        yield "geometry", f"empty {geometry_type}"
    elif not shape.is_valid:
        yield "geometry", f"invalid {geometry_type}: {shapely.validation.explain_validity(shape)}"


def _positions(coordinates: Any) -> Iterator[tuple[float, float] | None]:
    """Every position in a coordinates array; None marks a malformed one."""
    if isinstance(coordinates, list) and coordinates and all(isinstance(c, int | float) for c in coordinates):
        if len(coordinates) != 2 or any(isinstance(c, bool) for c in coordinates):
            yield None
        else:
            yield float(coordinates[0]), float(coordinates[1])
        return
    if not isinstance(coordinates, list) or not coordinates:
        yield None
        return
    for item in coordinates:
        yield from _positions(item)


def _history_problems(
    history: list[dict[str, Any]],
    *,
    skipped: set[int],
    faction_ids: frozenset[str] | None,
    source_ids: frozenset[str] | None,
    coverage: tuple[dt.date, dt.date] | None,
) -> Iterator[tuple[str, str]]:
    previous_end: dt.date | None = None
    previous_start: dt.date | None = None
    open_before = False
    for index, period in enumerate(history):
        if index in skipped:  # the schema already reported it; its dates cannot be trusted for ordering
            previous_start, previous_end, open_before = None, None, False
            continue
        here = f"history[{index}]"
        start = _date_or_none(period["start"])
        end = None if period["end"] is None else _date_or_none(period["end"])
        if start is None:
            yield f"{here}.start", f"{period['start']!r} is not a real date"
            continue
        if period["end"] is not None and end is None:
            yield f"{here}.end", f"{period['end']!r} is not a real date"
            continue
        if not precision_fits(start, period["start_precision"]):
            yield f"{here}.start", _precision_message(period["start"], period["start_precision"])
        if end is not None and period["end_precision"] is None:
            yield f"{here}.end_precision", f"end {period['end']} needs a precision (day, month or year)"
        if end is None and period["end_precision"] is not None:
            yield f"{here}.end_precision", "an open end (null) has no precision; use null"
        if end is not None and period["end_precision"] is not None and not precision_fits(end, period["end_precision"]):
            yield f"{here}.end", _precision_message(period["end"], period["end_precision"])
        if end is not None and end <= start:
            yield f"{here}", f"start {start} is not before end {end} (periods are [start, end))"
        if previous_start is not None and start < previous_start:
            yield (
                f"{here}.start",
                f"start {start} is before the previous period's start {previous_start}; sort the history",
            )
        elif open_before or (previous_end is not None and start < previous_end):
            overlap_end = "the open end" if open_before else str(previous_end)
            yield f"{here}.start", f"start {start} overlaps the previous period, which runs to {overlap_end}"
        if coverage is not None and (start > coverage[1] or (end is not None and end <= coverage[0])):
            yield f"{here}", f"period {start} to {end} lies outside the data's range {coverage[0]} to {coverage[1]}"
        yield from _claim_problems(here, period, faction_ids=faction_ids, source_ids=source_ids)
        previous_start, previous_end, open_before = start, end, end is None


def _precision_message(text: str, precision: str) -> str:
    written = "the first of the month" if precision == "month" else "1 January"
    return f"{text!r} has {precision} precision, so it must be written as {written}"


def _claim_problems(
    here: str, period: dict[str, Any], *, faction_ids: frozenset[str] | None, source_ids: frozenset[str] | None
) -> Iterator[tuple[str, str]]:
    controller = period["controller"]
    if faction_ids is not None and controller not in faction_ids:
        yield f"{here}.controller", f"unknown faction {controller!r}; known: {', '.join(sorted(faction_ids))}"
    opponents = period.get("opponents", [])
    for opponent in opponents:
        if faction_ids is not None and opponent not in faction_ids:
            yield f"{here}.opponents", f"unknown faction {opponent!r}; known: {', '.join(sorted(faction_ids))}"
    if controller in opponents:
        yield f"{here}.opponents", f"{controller!r} cannot both hold the place and oppose itself"
    status = period["status"]
    if status in {"contested", "besieged"} and not opponents:
        who = "who is fighting for it" if status == "contested" else "who besieges it"
        yield f"{here}.opponents", f"a {status} period must name {who}"
    if status == "controlled" and opponents:
        yield f"{here}.opponents", "a controlled period has no opponents; use contested or besieged"
    for source_id in period["sources"]:
        if source_ids is not None and source_id not in source_ids:
            yield f"{here}.sources", f"unknown source id {source_id!r}"
