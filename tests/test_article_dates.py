"""Dates in article text: absolute, partial and relative to the publication date."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from controlmap.articles.dates import dates_from_text, latest_full_date, publication_date_from_text

PUBLISHED = dt.date(2017, 3, 16)  # a Thursday


@pytest.mark.parametrize(
    ("text", "day", "precision"),
    [
        ("in June 2014", dt.date(2014, 6, 1), "month"),
        ("on March 16, 2017", dt.date(2017, 3, 16), "day"),
        ("on 16 March 2017", dt.date(2017, 3, 16), "day"),
        ("on 5th of May, 2015", dt.date(2015, 5, 5), "day"),
        ("in 2014", dt.date(2014, 1, 1), "year"),
        ("by late 2015, it was", dt.date(2015, 1, 1), "year"),
        ("24/03/2016 - 13:48", dt.date(2016, 3, 24), "day"),
        ("2016-03-24", dt.date(2016, 3, 24), "day"),
        ("Sept. 2016", dt.date(2016, 9, 1), "month"),
    ],
)
def test_absolute_dates(text: str, day: dt.date, precision: str) -> None:
    (found,) = dates_from_text(text, published=PUBLISHED)
    assert (found.day, found.precision, found.relative) == (day, precision, False)
    assert text[found.start : found.end] == found.text


@pytest.mark.parametrize(
    ("text", "day", "precision"),
    [
        ("advanced on Thursday", dt.date(2017, 3, 16), "day"),
        ("advanced Tuesday", dt.date(2017, 3, 14), "day"),
        ("last Thursday", dt.date(2017, 3, 9), "day"),
        ("yesterday", dt.date(2017, 3, 15), "day"),
        ("two days ago", dt.date(2017, 3, 14), "day"),
        ("retook it in January", dt.date(2017, 1, 1), "month"),
        ("was announced in October", dt.date(2016, 10, 1), "month"),
        ("last year", dt.date(2016, 1, 1), "year"),
        ("earlier this month", dt.date(2017, 3, 1), "month"),
        ("on 5 June", dt.date(2016, 6, 5), "day"),
        ("on March 2", dt.date(2017, 3, 2), "day"),
    ],
)
def test_relative_dates(text: str, day: dt.date, precision: str) -> None:
    (found,) = dates_from_text(text, published=PUBLISHED)
    assert (found.day, found.precision, found.relative) == (day, precision, True)


def test_relative_dates_wait_for_a_publication_date() -> None:
    (found,) = dates_from_text("on Thursday", published=None)
    assert found.day is None


@pytest.mark.parametrize(
    "text",
    [
        "it may fall",
        "2 million residents",
        "nearly 2,000 years",
        "142 years",
        "March on the capital",
    ],
)
def test_not_dates(text: str) -> None:
    assert dates_from_text(text, published=PUBLISHED) == []


def test_publication_date_from_a_last_update_line() -> None:
    found = publication_date_from_text("Body text.\n\nLast update: Thu, 24/03/2016 - 13:50\n")
    assert found is not None
    assert found.day == dt.date(2016, 3, 24)


def test_publication_date_needs_a_label() -> None:
    assert publication_date_from_text("On 24/03/2016 something happened.") is None
    latest = latest_full_date("On 24/03/2016 and on March 16, 2017 and in 2018.")
    assert latest is not None
    assert latest.day == dt.date(2017, 3, 16)


WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "June", "July", "August", "September", "October", "November"]


@given(st.dates(dt.date(2013, 1, 1), dt.date(2019, 12, 31)), st.sampled_from(WEEKDAYS))
def test_a_weekday_is_the_last_such_day_on_or_before_publication(published: dt.date, weekday: str) -> None:
    (found,) = dates_from_text(f"on {weekday}", published=published)
    assert found.day is not None
    assert 0 <= (published - found.day).days < 7
    assert found.day.strftime("%A") == weekday


@given(st.dates(dt.date(2013, 1, 1), dt.date(2019, 12, 31)), st.sampled_from(MONTHS))
def test_a_month_is_the_last_such_month_on_or_before_publication(published: dt.date, month: str) -> None:
    (found,) = dates_from_text(f"in {month}", published=published)
    assert found.day is not None
    assert found.day.day == 1
    assert found.day <= published
    assert (published.year - found.day.year) * 12 + published.month - found.day.month < 12
    assert found.day.strftime("%B") == month
