"""The timeline chart and the tables of changes the app shows."""

from __future__ import annotations

import datetime as dt

import controlmap
from controlmap.web import history_tabs as history


def test_changes_table_reads_like_the_change_events(mini: controlmap.Dataset) -> None:
    table = history.changes_table(mini)
    events = controlmap.change_events(mini)
    assert len(table) == len(events)
    first = table[table["place_id"] == "alpha"].iloc[0]
    assert first["date"] == dt.date(2014, 6, 10)
    assert first["from"] == "Iraqi government"
    assert first["to"] == "Islamic State"
    assert first["sources"] == "Report A"
    contested = table[(table["place_id"] == "alpha") & (table["date"] == dt.date(2016, 11, 1))].iloc[0]
    assert contested["to"] == "Islamic State (contested)"
    gone = table[(table["place_id"] == "beta") & (table["date"] == dt.date(2018, 1, 1))].iloc[0]
    assert gone["to"] == "Unknown"


def test_compare_table_lists_what_changed_between_two_dates(mini: controlmap.Dataset) -> None:
    table = history.compare_table(mini, dt.date(2015, 6, 1), dt.date(2016, 8, 20))
    assert list(table["place_id"]) == ["beta"]
    row = table.iloc[0]
    assert row["at 2015-06-01"] == "Islamic State"
    assert row["at 2016-08-20"] == "SDF / YPG"
    assert row["changed on"] == "19 February 2016"
    assert history.compare_table(mini, dt.date(2016, 8, 20), dt.date(2016, 8, 20)).empty


def test_place_history_table(mini: controlmap.Dataset) -> None:
    table = history.place_history_table(mini, controlmap.place_history(mini, "beta"))
    assert list(table["held by"]) == ["Unknown", "Islamic State", "SDF / YPG", "Unknown"]
    assert list(table["from"])[1] == "2014"
    assert list(table["until"])[-1] == ""
