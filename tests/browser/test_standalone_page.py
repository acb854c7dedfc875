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
WAIT_MS = 30_000
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


CANVAS_PIXELS_JS = """() => {
    const renderers = new Set();
    controlmap.map.eachLayer(layer => {
        if (layer.options && layer.options.renderer) { renderers.add(layer.options.renderer); }
    });
    window.__renderers = new Map([...renderers].filter(r => r._ctx).map(r => [r._container, r]));
    window.__canvases = [...window.__renderers.keys()];
    window.__stepped = window.__canvases.map(c => c.getContext("2d").getImageData(0, 0, c.width, c.height).data);
    return window.__canvases.length;
}"""
REDRAWN_JS = """() => {
    let pending = false;
    controlmap.map.eachLayer(layer => {
        const r = layer.options && layer.options.renderer;
        if (r && r._ctx && r._redrawRequest) { pending = true; }
    });
    return !pending;
}"""
FULL_REDRAW_JS = """() => window.__canvases.forEach(canvas => {
    const renderer = window.__renderers.get(canvas);
    renderer._redrawBounds = null;
    renderer._redraw();
})"""
# Colour times coverage: a pixel of a shape's antialiased edge counts as little as it shows.
DIFFERENCES_JS = """() => window.__canvases.map((c, n) => {
    const now = c.getContext("2d").getImageData(0, 0, c.width, c.height).data, was = window.__stepped[n];
    let worst = 0, visible = 0;
    for (let i = 0; i < now.length; i += 4) {
        let most = Math.abs(now[i + 3] - was[i + 3]);
        for (let k = 0; k < 3; k += 1) {
            most = Math.max(most, Math.abs(now[i + k] * now[i + 3] - was[i + k] * was[i + 3]) / 255);
        }
        worst = Math.max(worst, most);
        if (most > 24) { visible += 1; }
    }
    return {pixels: now.length / 4, worst: worst, visible: visible};
})"""


def test_a_step_on_canvas_redraws_only_what_changed_and_draws_what_a_whole_redraw_draws(
    watched: Contexts, tmp_path: Path
) -> None:
    """On canvas (above 4,000 places) a step redraws only the squares around the places that changed.

    After steps forward and back, the picture is what redrawing the whole map gives, but for the shading of a
    few edge pixels (a shape's edge drawn under a clip is antialiased a little differently).
    """
    from benchmarks.synthetic import write_synthetic_dataset  # noqa: PLC0415 - only this test needs it

    dataset = controlmap.dataset_from_dir(write_synthetic_dataset(tmp_path / "synthetic", 4500, periods=8))
    path = tmp_path / "map.html"
    path.write_text(dataset_to_html(dataset, date=dt.date(2016, 3, 24), basemap=tiny_basemap()), "utf-8")
    context, _ = watched(viewport={"width": 1000, "height": 700}, watch_failures=True)
    page = context.new_page()
    page.goto(path.as_uri())
    page.wait_for_selector("html[data-ready=true]", timeout=60_000)
    assert page.evaluate("() => controlmap.canvas") is True
    slider = page.get_by_role("slider", name="Date")
    slider.focus()
    for key in ["ArrowRight"] * 6 + ["PageDown", "ArrowLeft", "PageUp"]:
        slider.press(key)
        page.wait_for_function(REDRAWN_JS, polling=20, timeout=WAIT_MS)
    restyled = [step["restyled"] for step in page.evaluate("() => controlmap.steps()")]
    assert max(restyled) > 0, "the steps changed places"
    assert page.evaluate(CANVAS_PIXELS_JS) == 2  # the shaded land, and the places on one canvas
    page.evaluate(FULL_REDRAW_JS)
    for canvas in page.evaluate(DIFFERENCES_JS):
        assert canvas["visible"] <= canvas["pixels"] / 10000, canvas
