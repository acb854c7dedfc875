"""Time queries over a dataset: snapshots, change events, comparisons and histories (pure, vectorised).

Every period is half-open, ``[start, end)``. The periods of all places are packed once per dataset into
flat numpy arrays (`controlmap.packed.period_table`); a query is then a handful of array operations, never a Python loop
over places.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, cast

import numpy as np
import pandas as pd

from controlmap.dates import date_from_day_number, day_number
from controlmap.errors import DateError
from controlmap.model import STATUSES, UNKNOWN
from controlmap.packed import LazyPeriods, PeriodTable, period_table

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from controlmap.model import Dataset, Period

_UNKNOWN_CODE = -1
_STATUS_NAMES = np.array([*STATUSES, UNKNOWN], dtype=object)  # code -1 picks UNKNOWN


def check_in_coverage(dataset: Dataset, day: dt.date) -> None:
    """Raise `DateError` unless ``day`` lies within the range the data covers."""
    if not dataset.coverage_start <= day <= dataset.coverage_end:
        msg = (
            f"date {day.isoformat()} is outside the data's range "
            f"{dataset.coverage_start.isoformat()} to {dataset.coverage_end.isoformat()}"
        )
        raise DateError(msg)


@dataclass(frozen=True)
class Snapshot:
    """The state of every place at one date.

    ``period_index[i]`` is the index (into ``period_table(dataset).periods``) of the period that holds
    place ``i`` at ``date``, or -1 where no period covers it (unknown).
    """

    dataset: Dataset
    date: dt.date
    period_index: NDArray[np.int64]

    @cached_property
    def _table(self) -> PeriodTable:
        return period_table(self.dataset)

    @cached_property
    def controller_code(self) -> NDArray[np.int64]:
        """Controller code per place (-1 for unknown)."""
        codes = np.full(self.period_index.shape, _UNKNOWN_CODE, dtype=np.int64)
        known = self.period_index >= 0
        codes[known] = self._table.controller[self.period_index[known]]
        return codes

    @cached_property
    def status_code(self) -> NDArray[np.int64]:
        """Status code per place: an index into `STATUSES`, -1 for unknown."""
        codes = np.full(self.period_index.shape, _UNKNOWN_CODE, dtype=np.int64)
        known = self.period_index >= 0
        codes[known] = self._table.status[self.period_index[known]]
        return codes

    @property
    def controllers(self) -> NDArray[np.object_]:
        """Faction id per place, None where unknown."""
        return self._table.faction_ids[self.controller_code]

    @property
    def statuses(self) -> NDArray[np.object_]:
        """Status per place, ``"unknown"`` where no period covers the date."""
        return _STATUS_NAMES[self.status_code]

    def period(self, place_position: int) -> Period | None:
        """The period holding the place at this position, or None when unknown."""
        index = int(self.period_index[place_position])
        return None if index < 0 else self._table.periods[index]

    def periods(self) -> list[Period | None]:
        """The period holding each place, None where unknown: `period` for every place, made at once."""
        known = self.period_index >= 0
        rows = self.period_index[known]
        periods = self._table.periods
        made = periods.many(rows) if isinstance(periods, LazyPeriods) else [periods[row] for row in rows.tolist()]
        found: list[Period | None] = [None] * len(self.period_index)
        for position, period in zip(np.flatnonzero(known).tolist(), made, strict=True):
            found[position] = period
        return found

    def faction_counts(self) -> dict[str, int]:
        """How many places each faction holds at this date, in legend order; factions holding none are left out."""
        counts = np.bincount(self.controller_code[self.controller_code >= 0], minlength=len(self.dataset.factions))
        return {f.id: int(n) for f, n in zip(self.dataset.factions, counts, strict=False) if n > 0}

    def unknown_count(self) -> int:
        """How many places no period covers at this date."""
        return int(np.count_nonzero(self.period_index < 0))

    def to_frame(self) -> pd.DataFrame:
        """One row per place: id, name, kind, controller, status, opponents, since, until, sources, note."""
        rows = []
        for place, period in zip(self.dataset.places, self.periods(), strict=True):
            rows.append(
                {
                    "id": place.id,
                    "name": place.name,
                    "kind": place.kind,
                    "controller": None if period is None else period.controller,
                    "status": UNKNOWN if period is None else period.status,
                    "opponents": () if period is None else period.opponents,
                    "since": None if period is None else period.start,
                    "since_precision": None if period is None else period.start_precision,
                    "until": None if period is None else period.end,
                    "until_precision": None if period is None else period.end_precision,
                    "sources": () if period is None else period.sources,
                    "note": "" if period is None else period.note,
                }
            )
        return pd.DataFrame(rows, columns=_SNAPSHOT_COLUMNS, dtype=object)


_SNAPSHOT_COLUMNS = [
    "id",
    "name",
    "kind",
    "controller",
    "status",
    "opponents",
    "since",
    "since_precision",
    "until",
    "until_precision",
    "sources",
    "note",
]


def snapshot(dataset: Dataset, day: dt.date) -> Snapshot:
    """The state of every place at ``day``.

    Parameters
    ----------
    dataset
        The places and their histories.
    day
        The date; it must lie in the data's range.

    Returns
    -------
    The snapshot; places that no period covers at ``day`` are unknown.
    """
    check_in_coverage(dataset, day)
    table = period_table(dataset)
    when = day_number(day)
    hits = np.flatnonzero((table.start <= when) & (when < table.end))
    index = np.full(len(dataset.places), -1, dtype=np.int64)
    index[table.place[hits]] = hits
    return Snapshot(dataset=dataset, date=day, period_index=index)


_EVENT_COLUMNS = [
    "date",
    "place_id",
    "name",
    "from_controller",
    "from_status",
    "to_controller",
    "to_status",
    "precision",
    "sources",
    "period_index",
]


def change_events(dataset: Dataset) -> pd.DataFrame:
    """Every change of hands or of status, in date order.

    A change happens where a period starts and the place was held differently just before it (by another
    faction, with another status, or not known), and where a period ends with no period after it (the
    place becomes unknown). Period starts on the first day of the data are the starting state, not changes.

    Returns
    -------
    One row per change: date, place_id, name, from/to controller and status, the precision of the date,
    the sources of the claim, and the index of the period that begins (or ends, for a gap).
    """
    cached = dataset.cache.get("change_events")
    if cached is not None:
        return cast("pd.DataFrame", cached)
    table = period_table(dataset)
    starts, ends, from_controller, from_status = _event_positions(dataset, table)
    start_rows = _event_rows(
        dataset,
        table,
        starts,
        day=table.start[starts],
        before=(from_controller[starts], from_status[starts]),
        after=(table.controller[starts], table.status[starts]),
        at_start=True,
    )
    gone = np.full(len(ends), _UNKNOWN_CODE, dtype=np.int64)
    end_rows = _event_rows(
        dataset,
        table,
        ends,
        day=table.end[ends],
        before=(table.controller[ends], table.status[ends]),
        after=(gone, gone),
        at_start=False,
    )
    events = pd.concat([start_rows, end_rows], ignore_index=True)
    order = np.lexsort((events["place_position"].to_numpy(dtype=np.int64), events["day"].to_numpy(dtype=np.int64)))
    events = events.iloc[order].reset_index(drop=True)
    # The day and place of each event as plain arrays, for the comparisons' vectorised look-ups.
    dataset.cache["event_arrays"] = (
        events["day"].to_numpy(dtype=np.int64),
        events["place_position"].to_numpy(dtype=np.int64),
    )
    events = events.drop(columns=["day", "place_position"])
    dataset.cache["change_events"] = events
    return events


def change_days(dataset: Dataset) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """The day numbers on which anything changed, ascending, and how many places changed on each.

    The days of `change_events`, from the packed periods alone: no event rows are made.
    """
    cached = dataset.cache.get("change_days")
    if cached is None:
        table = period_table(dataset)
        starts, ends, _, _ = _event_positions(dataset, table)
        cached = np.unique(np.concatenate([table.start[starts], table.end[ends]]), return_counts=True)
        dataset.cache["change_days"] = cached
    return cast("tuple[NDArray[np.int64], NDArray[np.int64]]", cached)


def _event_positions(
    dataset: Dataset, table: PeriodTable
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    """The periods whose start is a change, those whose end is one, and the state before each period."""
    count = len(table.start)
    same_place_as_previous = np.zeros(count, dtype=bool)
    same_place_as_previous[1:] = table.place[1:] == table.place[:-1]
    adjoins_previous = same_place_as_previous.copy()
    adjoins_previous[1:] &= table.start[1:] == table.end[:-1]
    previous = np.arange(count) - 1

    from_controller = np.where(adjoins_previous, table.controller[previous], _UNKNOWN_CODE)
    from_status = np.where(adjoins_previous, table.status[previous], _UNKNOWN_CODE)
    changed = (from_controller != table.controller) | (from_status != table.status)
    first_day, last_day = day_number(dataset.coverage_start), day_number(dataset.coverage_end)
    starts = np.flatnonzero(changed & (table.start > first_day) & (table.start <= last_day))

    # A period followed by a gap (or by nothing, before the data's end) hands the place to "unknown".
    adjoins_next = np.zeros(count, dtype=bool)
    adjoins_next[:-1] = adjoins_previous[1:]
    ends = np.flatnonzero(~adjoins_next & (table.end > first_day) & (table.end <= last_day))
    return starts, ends, from_controller, from_status


def _event_rows(
    dataset: Dataset,
    table: PeriodTable,
    rows: NDArray[np.int64],
    *,
    day: NDArray[np.int64],
    before: tuple[NDArray[np.int64], NDArray[np.int64]],
    after: tuple[NDArray[np.int64], NDArray[np.int64]],
    at_start: bool,
) -> pd.DataFrame:
    """The change events at ``rows``: (controller, status) codes ``before`` and ``after`` each, on ``day``."""
    (from_controller, from_status), (to_controller, to_status) = before, after
    places = table.place[rows]
    periods = [table.periods[i] for i in rows]
    return pd.DataFrame(
        {
            "date": [date_from_day_number(d) for d in day],
            "place_id": [dataset.places[p].id for p in places],
            "name": [dataset.places[p].name for p in places],
            "from_controller": table.faction_ids[from_controller],
            "from_status": _STATUS_NAMES[from_status],
            "to_controller": table.faction_ids[to_controller],
            "to_status": _STATUS_NAMES[to_status],
            "precision": [p.start_precision if at_start else p.end_precision for p in periods],
            "sources": [p.sources for p in periods],
            "period_index": rows,
            "day": day,
            "place_position": places,
        },
        columns=[*_EVENT_COLUMNS, "day", "place_position"],
        dtype=object,  # keep None as None and dates as dates (pandas would make strings and NaN)
    )


def change_dates(dataset: Dataset) -> list[dt.date]:
    """The dates on which anything changed, ascending and without repeats."""
    return [date_from_day_number(int(day)) for day in change_days(dataset)[0]]


def previous_change(dataset: Dataset, day: dt.date) -> dt.date | None:
    """The latest change date strictly before ``day``, or None."""
    dates = change_dates(dataset)
    position = int(np.searchsorted(np.array([day_number(d) for d in dates]), day_number(day), side="left"))
    return dates[position - 1] if position > 0 else None


def next_change(dataset: Dataset, day: dt.date) -> dt.date | None:
    """The earliest change date strictly after ``day``, or None."""
    dates = change_dates(dataset)
    position = int(np.searchsorted(np.array([day_number(d) for d in dates]), day_number(day), side="right"))
    return dates[position] if position < len(dates) else None


_CHANGE_COLUMNS = [
    "place_id",
    "name",
    "from_controller",
    "from_status",
    "to_controller",
    "to_status",
    "changed_on",
    "precision",
    "sources",
]


def changes_between(dataset: Dataset, first: dt.date, second: dt.date) -> pd.DataFrame:
    """The places whose controller or status differs between two dates.

    Parameters
    ----------
    dataset
        The places and their histories.
    first, second
        The two dates, in either order; ``from`` is the state at ``first``, ``to`` the state at ``second``.

    Returns
    -------
    One row per place that changed: the states at both dates, and the date, precision and sources of the
    last change between them.
    """
    before = snapshot(dataset, first)
    after = snapshot(dataset, second)
    differs = (before.controller_code != after.controller_code) | (before.status_code != after.status_code)
    positions = np.flatnonzero(differs)
    events = change_events(dataset)
    event_days, event_places = cast("tuple[NDArray[np.int64], NDArray[np.int64]]", dataset.cache["event_arrays"])
    low, high = sorted((day_number(first), day_number(second)))
    in_window = np.flatnonzero((event_days > low) & (event_days <= high) & differs[event_places])
    # Events are in date order: the last one of each place is the first one in the reversed order.
    reversed_places = event_places[in_window][::-1]
    places_seen, first_in_reversed = np.unique(reversed_places, return_index=True)
    last_event = np.full(len(dataset.places), -1, dtype=np.int64)
    last_event[places_seen] = in_window[::-1][first_in_reversed]
    rows = last_event[positions]
    found = rows >= 0

    def column(name: str, missing: object) -> NDArray[np.object_]:
        values = np.empty(len(rows), dtype=object)
        values[:] = [missing] * len(rows)  # a list, so that a tuple fills one cell each
        values[found] = events[name].to_numpy(dtype=object)[rows[found]]
        return values

    return pd.DataFrame(
        {
            "place_id": [dataset.places[p].id for p in positions],
            "name": [dataset.places[p].name for p in positions],
            "from_controller": before.controllers[positions],
            "from_status": before.statuses[positions],
            "to_controller": after.controllers[positions],
            "to_status": after.statuses[positions],
            "changed_on": column("date", None),
            "precision": column("precision", None),
            "sources": column("sources", ()),
        },
        columns=_CHANGE_COLUMNS,
        dtype=object,
    )


_HISTORY_COLUMNS = [
    "start",
    "start_precision",
    "end",
    "end_precision",
    "controller",
    "status",
    "opponents",
    "sources",
    "note",
]


def place_history(dataset: Dataset, place_id: str) -> pd.DataFrame:
    """The history of one place over the data's range, with the unknown gaps as rows of their own.

    Returns
    -------
    One row per period in date order; a gap has status ``"unknown"``, no controller and no sources.
    """
    place = dataset.place(place_id)
    rows: list[dict[str, object]] = []
    cursor: dt.date | None = dataset.coverage_start
    for period in sorted(place.history, key=lambda p: p.start):
        if cursor is not None and period.start > cursor:
            rows.append(_gap_row(cursor, period.start))
        rows.append(
            {
                "start": period.start,
                "start_precision": period.start_precision,
                "end": period.end,
                "end_precision": period.end_precision,
                "controller": period.controller,
                "status": period.status,
                "opponents": period.opponents,
                "sources": period.sources,
                "note": period.note,
            }
        )
        cursor = period.end
    after_end = dataset.coverage_end + dt.timedelta(days=1)
    if cursor is not None and cursor < after_end:
        rows.append(_gap_row(cursor, None))
    return pd.DataFrame(rows, columns=_HISTORY_COLUMNS, dtype=object)


def _gap_row(start: dt.date, end: dt.date | None) -> dict[str, object]:
    return {
        "start": start,
        "start_precision": "day",
        "end": end,
        "end_precision": None if end is None else "day",
        "controller": None,
        "status": UNKNOWN,
        "opponents": (),
        "sources": (),
        "note": "",
    }


def peak_date(dataset: Dataset, faction: str) -> dt.date | None:
    """The first day on which ``faction`` held the most places (None when it never held any).

    A place counts on every day a period names the faction as its controller, whatever the status: a
    contested place's controller is whoever holds most of it.
    """
    table = period_table(dataset)
    codes = [i for i, f in enumerate(dataset.factions) if f.id == faction]
    if not codes:
        return None
    mine = table.controller == codes[0]
    if not mine.any():
        return None
    first, last = day_number(dataset.coverage_start), day_number(dataset.coverage_end)
    starts = np.clip(table.start[mine], first, last + 1)
    ends = np.clip(table.end[mine], first, last + 1)
    days = np.concatenate([starts, ends])
    steps = np.concatenate([np.ones(len(starts), dtype=np.int64), -np.ones(len(ends), dtype=np.int64)])
    order = np.lexsort((steps, days))  # on a day where one period ends and another starts, count the end first
    days, held = days[order], np.cumsum(steps[order])
    best = int(np.argmax(held))
    return None if held[best] <= 0 else date_from_day_number(int(days[best]))
