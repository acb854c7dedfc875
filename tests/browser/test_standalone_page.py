"""The self-contained HTML export opened from disk in a real Chromium, with every request off the page refused."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING

import pytest

import controlmap
from controlmap.records import snapshot_to_geojson
from controlmap.style import legend_entries
from controlmap.web.standalone import dataset_to_html

from exporthelpers import tiny_basemap

if TYPE_CHECKING:
    from pathlib import Path

    from playwright.sync_api import Page

    from browser.conftest import Contexts

BEFORE = dt.date(2016, 3, 24)
AFTER = dt.date(2018, 6, 1)


class OpenedPage:
    """A page opened from a file with every request that is not ``file:`` or ``data:`` refused."""

    def __init__(self, page: Page) -> None:
        self.page = page

    def open(self, path: Path) -> None:
        self.page.goto(path.as_uri())
        self.page.wait_for_selector("html[data-ready=true]", timeout=10_000)

    def attribute(self, place: str, name: str) -> str | None:
        return self.page.get_attribute(f"path.cm-place-{place}", name)


@pytest.fixture
def opened(watched: Contexts) -> OpenedPage:
    context, _ = watched(viewport={"width": 1000, "height": 700}, watch_failures=True)
    return OpenedPage(context.new_page())


def write_page(tmp_path: Path, dataset: controlmap.Dataset, day: dt.date = BEFORE) -> Path:
    path = tmp_path / "map.html"
    path.write_text(dataset_to_html(dataset, date=day, basemap=tiny_basemap()), "utf-8")
    return path


def fills(dataset: controlmap.Dataset, day: dt.date) -> dict[str, str]:
    features = snapshot_to_geojson(controlmap.snapshot(dataset, day))["features"]
    return {f["id"]: f["properties"]["fill"] for f in features}


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


def test_the_legend_counts_the_factions_present(opened: OpenedPage, mini: controlmap.Dataset, tmp_path: Path) -> None:
    opened.open(write_page(tmp_path, mini))
    rows = opened.page.locator(".cm-legend-row[data-faction]").all_text_contents()
    entries = legend_entries(mini, controlmap.snapshot(mini, BEFORE).faction_counts())
    assert rows == [f"{e['label']}{e['count']}" for e in entries]
    assert opened.page.locator(".cm-legend-row[data-status]").all_text_contents() == ["Besieged1"]


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


def test_tooltips_show_text_as_text_and_link_only_http(
    opened: OpenedPage, mini: controlmap.Dataset, tmp_path: Path
) -> None:
    report_a = dataclasses.replace(
        mini.sources["report-a"], url="javascript:alert(1)", title="<img src=x onerror=alert(1)>"
    )
    marked = dataclasses.replace(mini, sources={**mini.sources, "report-a": report_a}, cache={})
    opened.open(write_page(tmp_path, marked))
    opened.page.hover("path.cm-place-gamma", position={"x": 12, "y": 12})
    tooltip = opened.page.locator(".leaflet-tooltip")
    tooltip.wait_for()
    assert "Gamma <b>Pocket</b>" in tooltip.inner_text()
    assert tooltip.locator("b").all_text_contents() == ["Gamma <b>Pocket</b>"]

    opened.page.click("path.cm-place-alpha", force=True)
    popup = opened.page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert "<img src=x onerror=alert(1)>" in popup.inner_text()
    assert popup.locator("img").count() == 0
    assert popup.locator("a").count() == 0  # a javascript: URL is no link

    opened.page.evaluate("controlmap.map.closePopup(); controlmap.setDate('2018-06-01')")
    opened.page.click("path.cm-place-alpha", force=True)
    link = opened.page.locator(".leaflet-popup-content a")
    link.wait_for()
    assert link.get_attribute("href") == "https://example.org/b"
    assert link.get_attribute("rel") == "noopener noreferrer"
