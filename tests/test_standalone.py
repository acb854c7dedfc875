"""The self-contained HTML export: its text, and the page in a real Chromium with the network blocked."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from typing import TYPE_CHECKING, Any

import pytest

import controlmap
from controlmap.records import snapshot_to_geojson
from controlmap.style import legend_entries
from controlmap.web._script import json_for_script
from controlmap.web.standalone import dataset_to_html, dataset_to_page_data
from exporthelpers import tiny_basemap

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from playwright.sync_api import Browser, Page, Route

BEFORE = dt.date(2016, 3, 24)
AFTER = dt.date(2018, 6, 1)
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]  # fmt: skip


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


# ---- in the browser ----


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class OpenedPage:
    """A page opened from a file with every request that is not ``file:`` or ``data:`` refused."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.errors: list[str] = []
        self.refused: list[str] = []
        self.failed: list[str] = []
        page.on("console", lambda message: self.errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("requestfailed", lambda request: self.failed.append(request.url))
        page.route("**/*", self._route)

    def _route(self, route: Route) -> None:
        if route.request.url.startswith(("file:", "data:")):
            route.continue_()
        else:
            self.refused.append(route.request.url)
            route.abort()

    def open(self, path: Path) -> None:
        self.page.goto(path.as_uri())
        self.page.wait_for_selector("html[data-ready=true]", timeout=10_000)

    def attribute(self, place: str, name: str) -> str | None:
        return self.page.get_attribute(f".leaflet-overlay-pane path[data-place={place}]:not([data-casing])", name)


@pytest.fixture
def opened(browser: Browser, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[OpenedPage]:
    context = browser.new_context(viewport={"width": 1000, "height": 700})
    page = context.new_page()
    wrapper = OpenedPage(page)
    yield wrapper
    page.screenshot(path=str(tmp_path / f"{request.node.name}.png"))  # kept with the test's files on failure
    context.close()
    assert wrapper.errors == []
    assert wrapper.refused == []
    assert wrapper.failed == []


def write_page(tmp_path: Path, dataset: controlmap.Dataset, day: dt.date = BEFORE) -> Path:
    path = tmp_path / "map.html"
    path.write_text(dataset_to_html(dataset, date=day, basemap=tiny_basemap()), "utf-8")
    return path


def fills(dataset: controlmap.Dataset, day: dt.date) -> dict[str, str]:
    features = snapshot_to_geojson(controlmap.snapshot(dataset, day))["features"]
    return {f["id"]: f["properties"]["fill"] for f in features}


@pytest.mark.browser
def test_the_page_opens_offline_and_moving_the_slider_restyles_the_places(
    opened: OpenedPage, mini: controlmap.Dataset, tmp_path: Path
) -> None:
    opened.open(write_page(tmp_path, mini))
    before, after = fills(mini, BEFORE), fills(mini, AFTER)
    assert opened.page.text_content("#cm-date") == "24 March 2016"
    assert opened.attribute("alpha", "fill") == before["alpha"] == "#1a1a1a"
    assert opened.attribute("gamma", "data-fill") == before["gamma"]
    assert (opened.attribute("gamma", "fill") or "").startswith("url(#cm-pattern-")  # besieged: hatched
    assert opened.attribute("beta", "stroke") == before["beta"]

    opened.page.fill("#cm-slider", str((AFTER - mini.coverage_start).days))
    opened.page.wait_for_selector("html[data-date='2018-06-01']")
    assert opened.page.text_content("#cm-date") == "1 June 2018"
    assert opened.attribute("alpha", "fill") == after["alpha"] == "#e8747c"
    assert opened.attribute("gamma", "fill") == after["gamma"]
    assert opened.attribute("beta", "data-status") == "unknown"
    assert opened.attribute("beta", "stroke") == after["beta"]


@pytest.mark.browser
def test_the_legend_counts_the_factions_present(opened: OpenedPage, mini: controlmap.Dataset, tmp_path: Path) -> None:
    opened.open(write_page(tmp_path, mini))
    rows = opened.page.locator(".cm-legend-row[data-faction]").all_text_contents()
    entries = legend_entries(mini, controlmap.snapshot(mini, BEFORE).faction_counts())
    assert rows == [f"{e['label']} ({e['count']})" for e in entries]
    assert opened.page.locator(".cm-legend-row[data-status]").all_text_contents() == ["Besieged (1)"]


@pytest.mark.browser
def test_previous_and_next_change_and_play(opened: OpenedPage, mini: controlmap.Dataset, tmp_path: Path) -> None:
    opened.open(write_page(tmp_path, mini))
    following = controlmap.next_change(mini, BEFORE)
    assert following is not None
    opened.page.click("#cm-next")
    opened.page.wait_for_selector(f"html[data-date='{following.isoformat()}']")
    opened.page.click("#cm-prev")
    preceding = controlmap.previous_change(mini, following)
    assert preceding is not None
    opened.page.wait_for_selector(f"html[data-date='{preceding.isoformat()}']")
    opened.page.click("#cm-play")
    opened.page.wait_for_selector(f"html:not([data-date='{preceding.isoformat()}'])")
    assert (opened.page.get_attribute("html", "data-date") or "") > preceding.isoformat()
    opened.page.click("#cm-play")
    assert opened.page.get_attribute("#cm-play", "aria-pressed") == "false"


@pytest.mark.browser
def test_tooltips_show_text_as_text_and_link_only_http(
    opened: OpenedPage, mini: controlmap.Dataset, tmp_path: Path
) -> None:
    report_a = dataclasses.replace(
        mini.sources["report-a"], url="javascript:alert(1)", title="<img src=x onerror=alert(1)>"
    )
    marked = dataclasses.replace(mini, sources={**mini.sources, "report-a": report_a}, cache={})
    opened.open(write_page(tmp_path, marked))
    opened.page.hover(".leaflet-overlay-pane path[data-place=gamma]", position={"x": 12, "y": 12})
    tooltip = opened.page.locator(".leaflet-tooltip")
    tooltip.wait_for()
    assert "Gamma <b>Pocket</b>" in tooltip.inner_text()
    assert tooltip.locator("b").all_text_contents() == ["Gamma <b>Pocket</b>"]

    opened.page.click(".leaflet-overlay-pane path[data-place=alpha]", force=True)
    popup = opened.page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert "<img src=x onerror=alert(1)>" in popup.inner_text()
    assert popup.locator("img").count() == 0
    assert popup.locator("a").count() == 0  # a javascript: URL is no link

    opened.page.evaluate("controlmap.map.closePopup(); controlmap.setDate('2018-06-01')")
    opened.page.click(".leaflet-overlay-pane path[data-place=alpha]", force=True)
    link = opened.page.locator(".leaflet-popup-content a")
    link.wait_for()
    assert link.get_attribute("href") == "https://example.org/b"
    assert link.get_attribute("rel") == "noopener noreferrer"
