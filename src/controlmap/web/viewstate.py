"""What the app shows, as a shareable URL query: the date, the date compared with, the place (pure).

Finding a place or a group by any of its names is `controlmap.web.search`.

A view comes from a query such as ``?date=2016-03-24&compare=2015-01-01&place=mosul``. A bad value never
stops the app: it is replaced by the default and reported in words the app shows as a warning.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from controlmap.dates import parse_date
from controlmap.errors import ControlmapError, PlaceNotFoundError
from controlmap.timeline import check_in_coverage, peak_date
from controlmap.web.search import resolve_place

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Mapping

    from controlmap.model import Dataset

DATE_KEY = "date"
COMPARE_KEY = "compare"
PLACE_KEY = "place"
PALETTE_KEY = "palette"
MAX_QUERY_VALUE = 200
"""Longer query values are refused unread (and unechoed)."""


@dataclass(frozen=True)
class View:
    """The state of the map a URL can carry."""

    date: dt.date
    compare: dt.date | None = None
    place: str | None = None
    palette: str | None = None


def default_date(dataset: Dataset) -> dt.date:
    """The date a map opens at: the one the data names, else the day the Islamic State held the most places.

    Failing both (no ``default_date`` in ``dataset.json``, no place ever held by the Islamic State), the end of
    the data's range.
    """
    if dataset.default_date is not None:
        return dataset.default_date
    return peak_date(dataset, "isis") or dataset.coverage_end


def _shown(value: str) -> str:
    return repr(value if len(value) <= 40 else value[:40] + "…")


def _date_from_query(dataset: Dataset, key: str, value: str, problems: list[str]) -> dt.date | None:
    try:
        day = parse_date(value, what=key)
        check_in_coverage(dataset, day)
    except ControlmapError as error:
        problems.append(f"URL parameter {key}={_shown(value)} ignored: {error}")
        return None
    return day


def _place_from_query(dataset: Dataset, value: str, problems: list[str]) -> str | None:
    """A place's id, or a name that means one place (``?place=Mosul``), as `controlmap.web.search` resolves it."""
    if value in {p.id for p in dataset.places}:
        return value
    try:
        found = resolve_place(dataset, value)
    except PlaceNotFoundError:
        found = None
    if found is None or found.group:
        problems.append(f"URL parameter place={_shown(value)} ignored: no place has this id or name")
        return None
    return found.id


def view_from_query(dataset: Dataset, query: Mapping[str, str | list[str]]) -> tuple[View, list[str]]:
    """The view a URL query asks for, and a message for every value that had to be replaced.

    Parameters
    ----------
    dataset
        For the date range, the places (by id, or by a name that means one) and the palettes.
    query
        The URL's query parameters (a value may be a list when a key is repeated: the last one counts).

    Returns
    -------
    The view (defaults where a value was missing or bad) and the problems, one sentence each.
    """
    problems: list[str] = []
    values: dict[str, str] = {}
    for key in (DATE_KEY, COMPARE_KEY, PLACE_KEY, PALETTE_KEY):
        raw = query.get(key)
        value = raw[-1] if isinstance(raw, list) and raw else raw
        if isinstance(value, str) and value.strip():
            if len(value) > MAX_QUERY_VALUE:
                problems.append(f"URL parameter {key} ignored: longer than {MAX_QUERY_VALUE} characters")
                continue
            values[key] = value.strip()

    day = default_date(dataset)
    if DATE_KEY in values:
        day = _date_from_query(dataset, DATE_KEY, values[DATE_KEY], problems) or day
    compare = _date_from_query(dataset, COMPARE_KEY, values[COMPARE_KEY], problems) if COMPARE_KEY in values else None

    place = values.get(PLACE_KEY)
    if place is not None:
        place = _place_from_query(dataset, place, problems)

    palette = values.get(PALETTE_KEY)
    known = [p.id for p in dataset.palettes]
    if palette is not None and palette not in known:
        problems.append(f"URL parameter palette={_shown(palette)} ignored: known palettes are {', '.join(known)}")
        palette = None
    return View(date=day, compare=compare, place=place, palette=palette), problems


def view_to_query(view: View, *, default_palette: str | None = None) -> dict[str, str]:
    """The URL query of a view (only the parts that are set)."""
    query = {DATE_KEY: view.date.isoformat()}
    if view.compare is not None:
        query[COMPARE_KEY] = view.compare.isoformat()
    if view.place is not None:
        query[PLACE_KEY] = view.place
    if view.palette is not None and view.palette != default_palette:
        query[PALETTE_KEY] = view.palette
    return query


def place_label(dataset: Dataset, place_id: str) -> str:
    """A place as a person finds it in a list: its name, then its other names."""
    place = dataset.place(place_id)
    others = [n for n in (place.name_ar, *place.aliases) if n]
    return f"{place.name} ({', '.join(others)})" if others else place.name
