"""Dates with a precision: parsing, formatting and day numbers (pure)."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Literal

from controlmap.errors import DateError

Precision = Literal["day", "month", "year"]
PRECISIONS: tuple[Precision, ...] = ("day", "month", "year")

_EPOCH = dt.date(1970, 1, 1)


def parse_date(text: str, *, what: str = "date") -> dt.date:
    """Parse an ISO ``YYYY-MM-DD`` date, naming what was received on failure.

    Parameters
    ----------
    text
        The date as typed.
    what
        What the date is, for the error message (``"--date"``).

    Returns
    -------
    The date.
    """
    try:
        if len(text) != 10:
            raise ValueError(text)
        return dt.date.fromisoformat(text)
    except (TypeError, ValueError):
        msg = f"{what}: {text!r} is not a date in the form YYYY-MM-DD"
        raise DateError(msg) from None


def day_number(day: dt.date) -> int:
    """Days since 1970-01-01: the integer the vectorised queries compare."""
    return (day - _EPOCH).days


def date_from_day_number(number: int) -> dt.date:
    """The date of a day number from `day_number`."""
    return _EPOCH + dt.timedelta(days=int(number))


def format_date(day: dt.date | None, precision: Precision | None = "day") -> str:
    """Write a date as precisely as it is known: ``10 June 2014``, ``June 2014`` or ``2014``.

    Parameters
    ----------
    day
        The date, or None for an open end.
    precision
        How precisely the sources date it.

    Returns
    -------
    The date in words, or ``"—"`` when there is none.
    """
    return _formatted(day, precision)


@lru_cache(maxsize=65536)  # exports write the same few thousand dates again and again
def _formatted(day: dt.date | None, precision: Precision | None) -> str:
    if day is None:
        return "—"
    if precision == "year":
        return f"{day.year}"
    if precision == "month":
        return f"{day:%B} {day.year}"
    return f"{day.day} {day:%B} {day.year}"


def precision_fits(day: dt.date, precision: Precision) -> bool:
    """Whether a date is written the way its precision asks (the 1st of a month, or 1 January)."""
    if precision == "month":
        return day.day == 1
    if precision == "year":
        return day.day == 1 and day.month == 1
    return True
