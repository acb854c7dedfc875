"""ISO dates of many periods read at once into day numbers, with which of them are real dates (vectorised)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from collections.abc import Sequence

    from numpy.typing import NDArray

_DIGITS = np.array([0, 1, 2, 3, 5, 6, 8, 9])
_DAYS_IN_MONTH = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)


def day_numbers(texts: Sequence[str]) -> tuple[NDArray[np.int64], NDArray[np.bool_], NDArray[np.int64]]:
    """Read ``YYYY-MM-DD`` texts.

    Returns
    -------
    Each text's day number (days since 1970-01-01, as `controlmap.dates.day_number`), whether it is a real
    date written so (anything else is marked False, its day number meaningless), and its (month, day)
    packed as ``month * 100 + day`` for the precision checks.
    """
    count = len(texts)
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=count)
    fits = lengths == 10
    usable = [text for text, ok in zip(texts, fits.tolist(), strict=True) if ok] if not fits.all() else list(texts)
    joined = "".join(usable)
    if not joined.isascii():  # a digit of another script: let the plain check name it, one text at a time
        ascii_fits = np.fromiter((t.isascii() for t in usable), dtype=bool, count=len(usable))
        usable = [t if ok else "0000-00-00" for t, ok in zip(usable, ascii_fits.tolist(), strict=True)]
        joined = "".join(usable)
    else:
        ascii_fits = np.ones(len(usable), dtype=bool)
    chars = np.frombuffer(joined.encode("ascii"), dtype=np.uint8).reshape(-1, 10).astype(np.int64)
    digits = chars - ord("0")
    shaped = (chars[:, 4] == ord("-")) & (chars[:, 7] == ord("-"))
    shaped &= ((digits[:, _DIGITS] >= 0) & (digits[:, _DIGITS] <= 9)).all(axis=1)
    year = digits[:, 0] * 1000 + digits[:, 1] * 100 + digits[:, 2] * 10 + digits[:, 3]
    month = digits[:, 5] * 10 + digits[:, 6]
    day = digits[:, 8] * 10 + digits[:, 9]
    month_ok = (month >= 1) & (month <= 12)
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    longest = _DAYS_IN_MONTH[np.where(month_ok, month, 0)] + (leap & (month == 2))
    real = shaped & ascii_fits & (year >= 1) & month_ok & (day >= 1) & (day <= longest)
    days = _days_from_civil(year, np.where(month_ok, month, 1), day)
    if fits.all():
        return days, real, month * 100 + day
    all_days = np.zeros(count, dtype=np.int64)
    all_real = np.zeros(count, dtype=bool)
    all_month_day = np.zeros(count, dtype=np.int64)
    all_days[fits], all_real[fits], all_month_day[fits] = days, real, month * 100 + day
    return all_days, all_real, all_month_day


def _days_from_civil(year: NDArray[np.int64], month: NDArray[np.int64], day: NDArray[np.int64]) -> NDArray[np.int64]:
    """Days since 1970-01-01 of proleptic Gregorian dates (H. Hinnant's algorithm), for years 1 and after."""
    year = year - (month <= 2)
    era = year // 400
    year_of_era = year - era * 400
    day_of_year = (153 * np.where(month > 2, month - 3, month + 9) + 2) // 5 + day - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    days: NDArray[np.int64] = era * 146097 + day_of_era - 719468
    return days
