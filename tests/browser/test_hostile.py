"""Markup and script in every text field of the data stay text, in the running app and in the HTML export.

A copy of the web app test dataset carries a payload in each field a person can write: a place's name,
Arabic name, other name and note, a period's note, a source's title, outlet and URL (one that tries to
end its ``href`` attribute), and a faction's label. Each payload sets ``window.__pwned`` (some also call
``alert``) if it ever runs. In Chromium, every view that shows them (tooltip, map popup, the place's card,
the legend, the search box, the tables) must show the text as it is: no dialog opens, no payload runs, no
element of the payload appears and no ``javascript:`` URL becomes a link. test_app_browser.py checks the
basic case; this one covers every field and every view, and the export too.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import shutil
from typing import TYPE_CHECKING

import pytest

import controlmap
from controlmap.basemap import load_basemap
from controlmap.web.standalone import dataset_to_html

from browser.browserkit import WEBAPP

if TYPE_CHECKING:
    from pathlib import Path

    from playwright.sync_api import Frame, Page

    from browser.conftest import Contexts, Servers

WAIT_MS = 30_000
URL = "https://x.test/\"><script>window.__pwned='url'</script>"
PAYLOADS = {
    "name": "Evil <img src=x onerror=\"window.__pwned='name';alert('name')\">",
    "name_ar": "<script>window.__pwned='name_ar'</script>",
    "alias": "<svg onload=\"window.__pwned='alias'\"></svg>",
    "note": "<iframe srcdoc=\"<script>parent.__pwned='note'</script>\"></iframe>",
    "period_note": "<a href=\"javascript:window.__pwned='period'\">click me</a>",
    "title": "<img src=x onerror=\"window.__pwned='title';alert('title')\"> Report",
    "outlet": "<b onmouseover=\"window.__pwned='outlet'\">Outlet</b>",
    "faction": "SDF <img src=x onerror=\"window.__pwned='faction'\">",
}
MARKUP = "img, script, svg, iframe, object, embed, [onerror], [onload], [onmouseover]"
# Every link on the page and in its frames, and whether a payload ran there.
LINKS_JS = "() => [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))"
PWNED_JS = "() => window.__pwned === undefined ? null : String(window.__pwned)"


def hostile_copy(target: Path) -> Path:
    """The web app test dataset with a payload in every text field."""
    shutil.copytree(WEBAPP, target)
    places_file = target / "places" / "webapp.geojson"
    places = json.loads(places_file.read_text("utf-8"))
    evil = next(f for f in places["features"] if f["id"] == "evil")["properties"]
    evil.update(name=PAYLOADS["name"], name_ar=PAYLOADS["name_ar"], aliases=[PAYLOADS["alias"]], note=PAYLOADS["note"])
    evil["history"][1]["note"] = PAYLOADS["period_note"]
    places_file.write_text(json.dumps(places, ensure_ascii=False), "utf-8")
    sources_file = target / "sources.json"
    sources = json.loads(sources_file.read_text("utf-8"))
    source = next(s for s in sources["sources"] if s["id"] == "report-evil")
    source.update(title=PAYLOADS["title"], outlet=PAYLOADS["outlet"], url=URL)
    sources_file.write_text(json.dumps(sources, ensure_ascii=False), "utf-8")
    factions_file = target / "factions.json"
    factions = json.loads(factions_file.read_text("utf-8"))
    next(f for f in factions["factions"] if f["id"] == "sdf")["label"] = PAYLOADS["faction"]
    factions_file.write_text(json.dumps(factions, ensure_ascii=False), "utf-8")
    assert controlmap.check_paths([target]) == [], "the hostile data must be valid to reach the views"
    return target


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return hostile_copy(tmp_path_factory.mktemp("hostile") / "geodata")


def assert_inert(where: Page | Frame) -> None:
    """No payload ran here, and no link here is anything but http(s)."""
    assert where.evaluate(PWNED_JS) is None
    hrefs: list[str] = where.evaluate(LINKS_JS)
    # Absolute web links, or links within the app (a fragment, a path, a query: "?page=article").
    assert all(href.startswith(("https://", "http://", "#", "/", "./", "?")) or href == "" for href in hrefs), hrefs


def shows_as_text(text: str, *payloads: str) -> None:
    for payload in payloads:
        assert payload in text, f"{payload!r} is not shown as text"


def test_every_view_of_the_app_shows_the_payloads_as_text(watched: Contexts, app_url: Servers, hostile: Path) -> None:
    context, _ = watched(viewport={"width": 1400, "height": 1200})
    page = context.new_page()
    url = app_url(hostile)
    page.goto(f"{url}/?date=2016-08-20&place=evil")
    page.locator(".cm-app[data-ready=true]").wait_for(state="attached", timeout=WAIT_MS)
    evil = page.locator("path.cm-place-evil")
    # The place's card beside the map.
    card = page.locator(".cm-popup")
    card.wait_for(timeout=WAIT_MS)
    shows_as_text(card.inner_text(), PAYLOADS["name"], PAYLOADS["title"], PAYLOADS["period_note"])
    assert card.locator(MARKUP).count() == 0
    # Streamlit's sanitiser drops an href holding markup: the title stays, as no link, or the exact URL.
    hrefs = card.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert hrefs in ([URL], [None])
    # The legend (with the map) names the factions.
    legend = page.locator(".cm-legend")
    shows_as_text(legend.inner_text(), PAYLOADS["faction"])
    assert legend.locator("img").count() == 0
    # The map's name labels (the selected place is always named), its tooltip and its area's tooltip.
    label = page.locator(".cm-place-label-selected")
    shows_as_text(label.inner_text(), PAYLOADS["name"])
    assert page.locator(".leaflet-cm-place-labels-pane").count() == 1
    assert page.locator(".leaflet-cm-place-labels-pane").locator(MARKUP).count() == 0
    evil.hover(force=True)
    tooltip = page.locator(".leaflet-tooltip")
    tooltip.wait_for(timeout=WAIT_MS)
    shows_as_text(tooltip.inner_text(), PAYLOADS["name"], PAYLOADS["title"], PAYLOADS["period_note"])
    assert tooltip.locator(MARKUP).count() == 0
    page.mouse.move(5, 5)
    area = page.locator("path.cm-area-evil")
    box = area.bounding_box()
    assert box is not None
    area.hover(force=True, position={"x": box["width"] * 0.2, "y": box["height"] / 2})
    around = page.locator(".cm-tooltip-area")
    around.wait_for(timeout=WAIT_MS)
    shows_as_text(around.inner_text(), PAYLOADS["name"])
    assert around.locator(MARKUP).count() == 0
    # The place's whole history, the tables of changes, and the search box.
    page.get_by_text("Whole history", exact=True).click()
    whole = page.locator('[data-testid="stTable"]')
    whole.wait_for(timeout=WAIT_MS)
    shows_as_text(whole.inner_text(), PAYLOADS["title"])
    assert whole.locator(MARKUP).count() == 0
    page.get_by_role("tab", name="Changes").click()
    search = page.get_by_role("textbox", name="Find a place")
    search.fill("evil")
    search.press("Enter")
    matches = page.get_by_role("radiogroup", name="Matches")
    matches.wait_for(timeout=WAIT_MS)
    shows_as_text(matches.inner_text(), PAYLOADS["name"])
    assert matches.locator(MARKUP).count() == 0
    assert page.locator('[data-testid="stException"]').count() == 0
    assert_inert(page)
    for inner in page.frames:
        assert_inert(inner)


def test_the_html_export_shows_the_payloads_as_text(watched: Contexts, hostile: Path, tmp_path: Path) -> None:
    dataset = controlmap.dataset_from_dir(hostile)
    # A javascript: URL cannot pass validation; the export must not link it even if it gets this far.
    report_a = dataclasses.replace(dataset.sources["report-a"], url="javascript:window.__pwned='js-url'")
    marked = dataclasses.replace(dataset, sources={**dataset.sources, "report-a": report_a}, cache={})
    path = tmp_path / "map.html"
    path.write_text(dataset_to_html(marked, date=dt.date(2016, 8, 20), basemap=load_basemap(hostile)), "utf-8")
    context, _ = watched(viewport={"width": 1280, "height": 900}, watch_failures=True)
    page = context.new_page()
    page.goto(path.as_uri())
    page.wait_for_selector("html[data-ready=true]")
    evil = "path.cm-place-evil"
    page.hover(evil, force=True)
    tooltip = page.locator(".leaflet-tooltip")
    tooltip.wait_for(timeout=WAIT_MS)
    shows_as_text(tooltip.inner_text(), PAYLOADS["name"], PAYLOADS["name_ar"], PAYLOADS["title"])
    assert tooltip.locator(MARKUP).count() == 0
    page.click(evil, force=True)
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for(timeout=WAIT_MS)
    text = popup.inner_text()
    shows_as_text(text, PAYLOADS["alias"], PAYLOADS["note"], PAYLOADS["period_note"], PAYLOADS["outlet"])
    assert popup.locator(MARKUP).count() == 0
    assert [a.get_attribute("href") for a in popup.get_by_role("link").all()] == [URL]
    shows_as_text(page.locator(".cm-legend").inner_text(), PAYLOADS["faction"])
    # Before 20 May 2015 Evil's source is report-a, whose javascript: URL is shown as no link at all.
    page.evaluate("controlmap.map.closePopup(); controlmap.setDate('2014-01-01')")
    page.click(evil, force=True)
    popup.wait_for(timeout=WAIT_MS)
    assert "Report A" in popup.inner_text()
    assert popup.get_by_role("link").count() == 0
    assert_inert(page)
