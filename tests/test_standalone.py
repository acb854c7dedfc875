"""The self-contained HTML export: its text, and the page in a real Chromium with the network blocked."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from typing import Any

import pytest

import controlmap
from controlmap.records import snapshot_to_geojson
from controlmap.web._script import json_for_script
from controlmap.web.standalone import dataset_to_html, dataset_to_page_data

from exporthelpers import tiny_basemap

BEFORE = dt.date(2016, 3, 24)
AFTER = dt.date(2018, 6, 1)


def embedded_data(html: str) -> Any:
    match = re.search(r'<script type="application/json" id="controlmap-data">(.*?)</script>', html, re.DOTALL)
    assert match is not None
    return json.loads(match.group(1))


def test_json_for_script_cannot_end_the_script_element() -> None:
    value = {"name": "</script><script>alert(1)</script>", "note": "<!-- & -->", "line": "a\u2028b"}
    text = json_for_script(value)
    assert "<" not in text
    assert ">" not in text
    assert "&" not in text
    assert json.loads(text) == value


def test_the_page_carries_everything_and_loads_nothing(mini: controlmap.Dataset) -> None:
    html = dataset_to_html(mini, date=BEFORE, basemap=tiny_basemap())
    assert html.startswith("<!DOCTYPE html>")
    assert "<script src" not in html
    assert "<link" not in html
    assert "default-src 'none'" in html
    assert html.count("<script") == 3  # the data, Leaflet, ours
    data = embedded_data(html)
    assert data == json.loads(json.dumps(dataset_to_page_data(mini, date=BEFORE, basemap=tiny_basemap())))
    assert data["date"] == "2016-03-24"
    assert [p["id"] for p in data["places"]] == ["alpha", "beta", "gamma"]
    assert data["basemap"]["countries"]["features"][0]["properties"]["name"] == "Testland"
    assert set(data["sources"]) == {"report-a", "report-b", "report-c"}


def test_the_page_is_the_same_every_time(mini: controlmap.Dataset) -> None:
    assert dataset_to_html(mini, date=BEFORE) == dataset_to_html(mini, date=BEFORE)


def test_the_title_is_escaped_in_the_page(mini: controlmap.Dataset) -> None:
    marked = dataclasses.replace(mini, title="War <script>alert(1)</script>", cache={})
    html = dataset_to_html(marked)
    assert "<title>War &lt;script&gt;alert(1)&lt;/script&gt;</title>" in html
    assert "<script>alert(1)" not in html


def test_each_period_carries_the_style_of_the_map(mini: controlmap.Dataset) -> None:
    data = dataset_to_page_data(mini, palette="colorblind")
    for place in data["places"]:
        position = mini.place_position(place["id"])
        for period in place["periods"]:
            snap = controlmap.snapshot(mini, dt.date.fromisoformat(period["start"]))
            expected = snapshot_to_geojson(snap, palette="colorblind")["features"][position]["properties"]
            assert (period["style"]["fill"], period["style"]["stroke"]) == (expected["fill"], expected["stroke"])
    assert data["unknown_style"]["fill"] == "#d9d9d9"


def test_the_page_and_the_app_draw_a_date_alike(mini: controlmap.Dataset) -> None:
    webmap = pytest.importorskip("controlmap.web.folium_map")
    data = dataset_to_page_data(mini)
    for day in (BEFORE, AFTER):
        app = {f["properties"]["id"]: f["properties"] for f in webmap.layer_features(controlmap.snapshot(mini, day))}
        for place in data["places"]:
            period = next((p for p in place["periods"] if p["start"] <= day.isoformat() < (p["end"] or "9")), None)
            style = data["unknown_style"] if period is None else period["style"]
            assert (style["fill"], style["stroke"]) == (app[place["id"]]["fill"], app[place["id"]]["stroke"])
    # Areas are filled as lightly in the page and the images as in the app.
    assert data["display"]["area_opacity_scale"] == webmap.AREA_OPACITY_SCALE


def test_bad_dates_and_palettes_are_clear_errors(mini: controlmap.Dataset) -> None:
    with pytest.raises(controlmap.DateError, match="outside the data's range"):
        dataset_to_html(mini, date=dt.date(2030, 1, 1))
    with pytest.raises(controlmap.ControlmapError, match="palette: 'sepia'"):
        dataset_to_html(mini, palette="sepia")
