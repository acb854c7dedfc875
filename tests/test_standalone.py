"""The self-contained HTML export, as text: everything inlined, nothing loaded, the payload of the engine."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from typing import Any

import pytest

import controlmap
from controlmap.dates import day_number
from controlmap.web._script import json_for_script
from controlmap.web.engine import engine_script
from controlmap.web.standalone import dataset_to_html, dataset_to_page_data

from exporthelpers import tiny_basemap

BEFORE = dt.date(2016, 3, 24)


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
    assert "\u2028" not in text
    assert json.loads(text) == value


def test_the_page_carries_everything_and_loads_nothing(mini: controlmap.Dataset) -> None:
    html = dataset_to_html(mini, date=BEFORE, basemap=tiny_basemap())
    assert html.startswith("<!DOCTYPE html>")
    assert "<script src" not in html
    assert "<link" not in html
    assert "default-src 'none'" in html
    assert html.count("<script") == 5  # the data, Leaflet, the engine, folium's base map, the start
    assert engine_script() in html
    data = embedded_data(html)
    assert data == json.loads(json.dumps(dataset_to_page_data(mini, date=BEFORE, basemap=tiny_basemap())))
    assert data["opening"] == day_number(BEFORE)
    assert data["places"]["id"] == ["alpha", "beta", "gamma"]
    assert data["sources"]["id"] == ["report-a", "report-b", "report-c"]
    assert "Testland" in html  # the basemap, drawn by folium's script


def test_every_script_is_allowed_by_its_hash_and_nothing_else(mini: controlmap.Dataset) -> None:
    html = dataset_to_html(mini, date=BEFORE, basemap=tiny_basemap())
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html)
    assert policy is not None
    hashes = re.findall(r"'sha256-[^']+'", policy.group(1))
    assert len(hashes) == 4  # every inline script but the data, which is not run
    assert "'unsafe-inline'" not in policy.group(1).split("style-src")[0]


def test_the_page_is_the_same_every_time(mini: controlmap.Dataset) -> None:
    assert dataset_to_html(mini, date=BEFORE) == dataset_to_html(mini, date=BEFORE)


def test_the_title_is_escaped_in_the_page(mini: controlmap.Dataset) -> None:
    marked = dataclasses.replace(mini, title="War <script>alert(1)</script>", cache={})
    html = dataset_to_html(marked)
    assert "<title>War &lt;script&gt;alert(1)&lt;/script&gt;</title>" in html
    assert "<script>alert(1)" not in html


def test_the_page_opens_at_the_default_date_and_palette_asked(mini: controlmap.Dataset) -> None:
    data = dataset_to_page_data(mini, palette="colorblind")
    assert data["palette"] == "colorblind"
    assert set(data["palettes"]) == {"default", "colorblind"}
    peak = controlmap.timeline.peak_date(mini, "isis")
    assert peak is not None
    assert data["opening"] == day_number(peak)


def test_bad_dates_and_palettes_are_clear_errors(mini: controlmap.Dataset) -> None:
    with pytest.raises(controlmap.DateError, match="outside the data's range"):
        dataset_to_html(mini, date=dt.date(2030, 1, 1))
    with pytest.raises(controlmap.ControlmapError, match="palette: 'sepia'"):
        dataset_to_html(mini, palette="sepia")
