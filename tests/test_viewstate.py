"""The view a URL carries: good values restore it, bad ones fall back to the default with a message."""

from __future__ import annotations

import datetime as dt

import pytest

import controlmap
from controlmap.web import viewstate


def test_empty_query_gives_the_default_view(mini: controlmap.Dataset) -> None:
    view, problems = viewstate.view_from_query(mini, {})
    assert problems == []
    assert view == viewstate.View(date=viewstate.default_date(mini))
    assert view.date == controlmap.timeline.peak_date(mini, "isis")  # the day the Islamic State held the most


def test_a_full_query_restores_the_view(mini: controlmap.Dataset) -> None:
    query = {"date": "2016-03-24", "compare": "2015-01-01", "place": "alpha", "palette": "colorblind"}
    view, problems = viewstate.view_from_query(mini, query)
    assert problems == []
    assert view == viewstate.View(dt.date(2016, 3, 24), dt.date(2015, 1, 1), "alpha", "colorblind")
    assert viewstate.view_to_query(view) == query


def test_repeated_keys_take_the_last_value(mini: controlmap.Dataset) -> None:
    view, problems = viewstate.view_from_query(mini, {"date": ["2014-01-01", "2015-02-03"]})
    assert problems == []
    assert view.date == dt.date(2015, 2, 3)


@pytest.mark.parametrize(
    ("query", "fragment"),
    [
        ({"date": "2016-13-01"}, "date='2016-13-01'"),
        ({"date": "yesterday"}, "not a date"),
        ({"date": "1999-01-01"}, "outside the data's range"),
        ({"compare": "2030-01-01"}, "compare='2030-01-01'"),
        ({"place": "atlantis"}, "no place has this id or name"),
        ({"place": "<script>alert(1)</script>"}, "no place has this id or name"),
        ({"palette": "neon"}, "known palettes are default, colorblind"),
        ({"date": "2" * 500}, "longer than"),
    ],
)
def test_bad_values_fall_back_with_a_message(mini: controlmap.Dataset, query: dict[str, str], fragment: str) -> None:
    view, problems = viewstate.view_from_query(mini, query)
    assert len(problems) == 1
    assert fragment in problems[0]
    assert view.date == viewstate.default_date(mini) or "date" not in query
    assert view.place is None
    assert view.palette is None
    assert len(problems[0]) < 300, "a long value is not echoed whole"


def test_default_palette_is_left_out_of_the_url() -> None:
    view = viewstate.View(dt.date(2016, 1, 1), palette="default")
    assert viewstate.view_to_query(view, default_palette="default") == {"date": "2016-01-01"}


def test_place_label_lists_the_other_names(mini: controlmap.Dataset) -> None:
    assert viewstate.place_label(mini, "alpha") == "Alpha (ألفا, Alfa)"
    assert viewstate.place_label(mini, "beta") == "Beta River"


@pytest.mark.parametrize(("value", "expected"), [("Alpha", "alpha"), ("ألفا", "alpha"), ("alfa", "alpha")])
def test_a_url_may_name_a_place_instead_of_giving_its_id(mini: controlmap.Dataset, value: str, expected: str) -> None:
    view, problems = viewstate.view_from_query(mini, {"place": value})
    assert problems == []
    assert view.place == expected
