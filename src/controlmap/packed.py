"""Every period of a dataset packed into flat arrays, and periods read back from them (pure).

The queries compare these arrays instead of looping over places. A dataset read from a compiled store
(`controlmap.store`) comes with its table already packed: its periods then exist only as arrays until one is
read (`PeriodTable.periods`, `Place.history`), so a hundred thousand places load without two million Python
objects.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast, overload

import numpy as np

from controlmap.dates import PRECISIONS, day_number
from controlmap.model import STATUSES, Period

if TYPE_CHECKING:
    from collections.abc import Iterable

    from numpy.typing import NDArray

    from controlmap.dates import Precision
    from controlmap.model import Dataset, Status

OPEN_END = np.iinfo(np.int64).max
"""The end day number of a period that runs past the end of the data."""
NO_CODE = -1
"""The code of no value: an open end's precision, an unknown faction."""
_ORDINAL_OF_DAY_ZERO = dt.date(1970, 1, 1).toordinal()


@dataclass(frozen=True, eq=False)
class Ragged:
    """Lists of codes, one list per row: row ``i`` is ``values[offsets[i]:offsets[i + 1]]``."""

    offsets: NDArray[np.int64]
    values: NDArray[np.int64]

    @classmethod
    def from_lists(cls, lists: Sequence[Sequence[int]]) -> Ragged:
        """The rows given as lists."""
        lengths = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
        offsets = np.zeros(len(lists) + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        values = np.fromiter((v for row in lists for v in row), dtype=np.int64, count=int(offsets[-1]))
        return cls(offsets, values)

    def lengths(self) -> NDArray[np.int64]:
        """How many values each row holds."""
        return np.diff(self.offsets)

    def row(self, index: int) -> NDArray[np.int64]:
        """The values of one row."""
        return self.values[self.offsets[index] : self.offsets[index + 1]]


@dataclass(frozen=True, eq=False)
class PeriodTable:
    """All periods of a dataset as flat arrays, sorted by place then start.

    Codes index the vocabularies: ``controller`` and ``opponents`` index ``faction_ids`` (the dataset's
    factions in order, then None for code -1: a faction the dataset does not list), ``status`` indexes
    `STATUSES`, the precisions index `PRECISIONS` (-1: an open end has none), ``sources`` indexes
    ``source_ids`` and ``note`` indexes ``notes``.
    """

    place: NDArray[np.int64]
    start: NDArray[np.int64]
    end: NDArray[np.int64]
    controller: NDArray[np.int64]
    status: NDArray[np.int64]
    start_precision: NDArray[np.int8]
    end_precision: NDArray[np.int8]
    opponents: Ragged
    sources: Ragged
    note: NDArray[np.int64]
    faction_ids: NDArray[np.object_]
    source_ids: NDArray[np.object_]
    notes: NDArray[np.object_]
    periods: Sequence[Period]
    """The periods in the table's order: the objects themselves, or `LazyPeriods` made from the arrays."""

    def __len__(self) -> int:
        return len(self.start)

    @classmethod
    def from_columns(cls, **columns: Any) -> PeriodTable:
        """A table of these columns whose periods are made from them when read (`LazyPeriods`)."""
        table = cls(periods=(), **columns)
        object.__setattr__(table, "periods", LazyPeriods(table))  # frozen: set once, before anyone reads it
        return table

    def period(self, row: int) -> Period:
        """The period of one row, made from the arrays."""
        end = int(self.end[row])
        end_precision = int(self.end_precision[row])
        faction_ids, source_ids = self.faction_ids, self.source_ids
        return Period(
            start=dt.date.fromordinal(int(self.start[row]) + _ORDINAL_OF_DAY_ZERO),
            start_precision=PRECISIONS[int(self.start_precision[row])],
            end=None if end == OPEN_END else dt.date.fromordinal(end + _ORDINAL_OF_DAY_ZERO),
            end_precision=None if end_precision == NO_CODE else PRECISIONS[end_precision],
            controller=cast("str", faction_ids[int(self.controller[row])]),
            status=STATUSES[int(self.status[row])],
            opponents=tuple(faction_ids[code] for code in self.opponents.row(row).tolist()),
            sources=tuple(source_ids[code] for code in self.sources.row(row).tolist()),
            note=cast("str", self.notes[int(self.note[row])]),
        )

    def make_periods(self, rows: NDArray[np.int64]) -> list[Period]:
        """The periods of many rows at once: each column read for all of them, then one object per row."""
        ends = self.end[rows].tolist()
        end_precisions = self.end_precision[rows].tolist()
        faction_ids, source_ids, notes = self.faction_ids, self.source_ids, self.notes
        opponent_offsets, source_offsets = self.opponents.offsets, self.sources.offsets
        opponent_codes, source_codes = self.opponents.values, self.sources.values
        made = []
        for start, start_precision, end, end_precision, controller, status, note, o0, o1, s0, s1 in zip(
            self.start[rows].tolist(),
            self.start_precision[rows].tolist(),
            ends,
            end_precisions,
            self.controller[rows].tolist(),
            self.status[rows].tolist(),
            self.note[rows].tolist(),
            opponent_offsets[rows].tolist(),
            opponent_offsets[rows + 1].tolist(),
            source_offsets[rows].tolist(),
            source_offsets[rows + 1].tolist(),
            strict=True,
        ):
            made.append(
                Period(
                    start=dt.date.fromordinal(start + _ORDINAL_OF_DAY_ZERO),
                    start_precision=PRECISIONS[start_precision],
                    end=None if end == OPEN_END else dt.date.fromordinal(end + _ORDINAL_OF_DAY_ZERO),
                    end_precision=None if end_precision == NO_CODE else PRECISIONS[end_precision],
                    controller=faction_ids[controller],
                    status=STATUSES[status],
                    opponents=tuple(faction_ids[c] for c in opponent_codes[o0:o1].tolist()),
                    sources=tuple(source_ids[c] for c in source_codes[s0:s1].tolist()),
                    note=notes[note],
                )
            )
        return made


class LazyPeriods(Sequence[Period]):
    """A table's periods, each made from the arrays when first read and kept."""

    def __init__(self, table: PeriodTable) -> None:
        self._table = table
        self._made: list[Period | None] = [None] * len(table)

    def __len__(self) -> int:
        return len(self._made)

    def many(self, rows: NDArray[np.int64]) -> list[Period]:
        """The periods of these rows, those not yet made made at once (`PeriodTable.make_periods`)."""
        missing = [row for row in rows.tolist() if self._made[row] is None]
        if missing:
            for row, period in zip(missing, self._table.make_periods(np.array(missing, dtype=np.int64)), strict=True):
                self._made[row] = period
        return [cast("Period", self._made[row]) for row in rows.tolist()]

    @overload
    def __getitem__(self, index: int) -> Period: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Period]: ...
    def __getitem__(self, index: int | slice) -> Period | Sequence[Period]:
        if isinstance(index, slice):
            return tuple(self[i] for i in range(*index.indices(len(self))))
        made = self._made[index]
        if made is None:
            made = self._table.period(index if index >= 0 else len(self) + index)
            self._made[index] = made
        return made


class PlaceHistory:
    """Makes one place's history from a packed table's rows ``first`` to ``stop`` when it is first read."""

    __slots__ = ("first", "stop", "table")

    def __init__(self, table: PeriodTable, first: int, stop: int) -> None:
        self.table = table
        self.first = first
        self.stop = stop

    def __call__(self) -> tuple[Period, ...]:
        """The periods, in date order."""
        periods = self.table.periods
        return tuple(periods[row] for row in range(self.first, self.stop))


def period_table(dataset: Dataset) -> PeriodTable:
    """The dataset's periods packed into arrays, built on first use and kept with the dataset."""
    cached = dataset.cache.get("period_table")
    if cached is not None:
        return cast("PeriodTable", cached)
    table = table_from_places(dataset)
    dataset.cache["period_table"] = table
    return table


def table_from_places(dataset: Dataset) -> PeriodTable:
    """Pack the periods of the dataset's place objects (the table of a dataset built in Python)."""
    faction_codes = {faction.id: code for code, faction in enumerate(dataset.factions)}
    source_codes: dict[str, int] = {source_id: code for code, source_id in enumerate(dataset.sources)}
    note_codes: dict[str, int] = {"": 0}
    rows: list[tuple[int, int, int, int, int, int, int, int]] = []
    opponents: list[list[int]] = []
    sources: list[list[int]] = []
    periods: list[Period] = []
    for place_code, place in enumerate(dataset.places):
        for period in sorted(place.history, key=lambda p: p.start):
            end = OPEN_END if period.end is None else day_number(period.end)
            end_precision = NO_CODE if period.end_precision is None else PRECISIONS.index(period.end_precision)
            note = note_codes.setdefault(period.note, len(note_codes))
            rows.append(
                (
                    place_code,
                    day_number(period.start),
                    end,
                    faction_codes.get(period.controller, NO_CODE),
                    STATUSES.index(period.status),
                    PRECISIONS.index(period.start_precision),
                    end_precision,
                    note,
                )
            )
            opponents.append([faction_codes.get(o, NO_CODE) for o in period.opponents])
            sources.append([source_codes.setdefault(s, len(source_codes)) for s in period.sources])
            periods.append(period)
    array = np.array(rows, dtype=np.int64).reshape(-1, 8)
    return PeriodTable(
        place=array[:, 0].copy(),
        start=array[:, 1].copy(),
        end=array[:, 2].copy(),
        controller=array[:, 3].copy(),
        status=array[:, 4].copy(),
        start_precision=array[:, 5].astype(np.int8),
        end_precision=array[:, 6].astype(np.int8),
        opponents=Ragged.from_lists(opponents),
        sources=Ragged.from_lists(sources),
        note=array[:, 7].copy(),
        faction_ids=np.array([*faction_codes, None], dtype=object),
        source_ids=_objects(source_codes),
        notes=_objects(note_codes),
        periods=tuple(periods),
    )


def _objects(values: Iterable[Any]) -> NDArray[np.object_]:
    items = list(values)
    array = np.empty(len(items), dtype=object)
    array[:] = items
    return array


def history_rows(table: PeriodTable, place_count: int) -> NDArray[np.int64]:
    """Where each place's rows begin in the table (and, last, where the table ends): ``place_count + 1`` offsets."""
    return np.searchsorted(table.place, np.arange(place_count + 1), side="left").astype(np.int64)


def status_code(status: Status) -> int:
    """The code of a status in the table."""
    return STATUSES.index(status)


def precision_code(precision: Precision | None) -> int:
    """The code of a precision in the table (-1 for none)."""
    return NO_CODE if precision is None else PRECISIONS.index(precision)
