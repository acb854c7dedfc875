"""Dates with a precision."""

from __future__ import annotations

import datetime as dt

import pytest

from controlmap import DateError, format_date, parse_date
from controlmap.dates import date_from_day_number, day_number, precision_fits


@pytest.mark.parametrize(
    ("day", "precision", "expected"),
    [
        (dt.date(2014, 6, 10), "day", "10 June 2014"),
        (dt.date(2014, 6, 1), "month", "June 2014"),
        (dt.date(2014, 1, 1), "year", "2014"),
        (None, "day", "—"),
    ],
)
def test_format_date_shows_only_what_is_known(day: dt.date | None, precision: str, expected: str) -> None:
    assert format_date(day, precision) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["2016-3-24", "24/03/2016", "2016-02-30", "", "yesterday", "2016-03-24T00:00"])
def test_parse_date_names_the_bad_value(text: str) -> None:
    with pytest.raises(DateError, match="--date") as caught:
        parse_date(text, what="--date")
    assert repr(text) in str(caught.value)


def test_day_numbers_round_trip() -> None:
    day = dt.date(2017, 7, 10)
    assert date_from_day_number(day_number(day)) == day
    assert day_number(dt.date(1970, 1, 2)) == 1


def test_precision_fits() -> None:
    assert precision_fits(dt.date(2014, 6, 1), "month")
    assert not precision_fits(dt.date(2014, 6, 2), "month")
    assert precision_fits(dt.date(2014, 1, 1), "year")
    assert not precision_fits(dt.date(2014, 2, 1), "year")
