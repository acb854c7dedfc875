"""The timeline chart and the tables of changes the app shows."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd

import controlmap
from controlmap.web import history_tabs as history


def test_timeline_frame_covers_every_place_over_the_whole_range(mini: controlmap.Dataset) -> None:
    frame = history.timeline_frame(mini)
    assert list(dict.fromkeys(frame["place_id"])) == [p.id for p in mini.places]
    for _, rows in frame.groupby("place_id"):
        assert rows["start"].min() == pd.Timestamp(mini.coverage_start)
        assert rows["end"].max() == pd.Timestamp(mini.coverage_end + dt.timedelta(days=1))
        assert (rows["start"].to_numpy()[1:] == rows["end"].to_numpy()[:-1]).all()
    beta = frame[frame["place_id"] == "beta"]
    assert list(beta["holder"]) == ["Unknown", "Islamic State", "SDF / YPG", "Unknown"]
    alpha = frame[frame["place_id"] == "alpha"].iloc[2]
    assert alpha["status"] == "Contested (fighting inside)"
    assert alpha["opponent"] == "Iraqi government"
    assert alpha["from_label"] == "November 2016"


def test_timeline_chart_uses_the_palette_and_marks_the_dates(mini: controlmap.Dataset) -> None:
    spec = history.timeline_chart(
        mini, history.timeline_frame(mini), day=dt.date(2016, 3, 24), compare=dt.date(2015, 1, 1), palette="colorblind"
    )
    colours = controlmap.palette_colours(mini, "colorblind")
    scale = spec["layer"][0]["encoding"]["color"]["scale"]
    assert scale["domain"][0] == "Islamic State"
    assert scale["range"][0] == colours["isis"]
    assert scale["range"][-1] == colours["unknown"]
    assert len(spec["layer"]) == 3  # bars, the date shown, the date compared with
    rules = [spec["datasets"][layer["data"]["name"]] for layer in spec["layer"][1:]]
    assert rules == [[{"date": "2016-03-24", "visible": 1}], [{"date": "2015-01-01", "visible": 1}]]


def test_moving_the_date_changes_only_the_rules_data(mini: controlmap.Dataset) -> None:
    spec = history.timeline_spec(mini, history.timeline_frame(mini))
    first = history.timeline_at(spec, day=dt.date(2016, 3, 24))
    second = history.timeline_at(spec, day=dt.date(2017, 1, 1), compare=dt.date(2014, 5, 1))
    assert {k: v for k, v in first.items() if k != "datasets"} == {k: v for k, v in second.items() if k != "datasets"}
    # Not comparing: the compared rule is hidden, not left without data (Vega warns of an infinite extent).
    assert first["datasets"][history.COMPARED_DATA] == [{"date": "2016-03-24", "visible": 0}]
    assert second["datasets"][history.SHOWN_DATA] == [{"date": "2017-01-01", "visible": 1}]
    assert all(rows for rows in [*first["datasets"].values(), *second["datasets"].values()])
    assert spec["datasets"][history.SHOWN_DATA] == [], "the cached specification is left as it was"
    # Nothing for the browser to fetch: the data is inline and the only URL is the schema's name.
    text = json.dumps({k: v for k, v in spec.items() if k != "$schema"})
    assert "http" not in text
    assert '"url"' not in text


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
