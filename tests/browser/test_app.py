"""The running app in a real Chromium: what a person sees, with every request off this machine refused.

One ``streamlit run app.py`` serves the module (on the web app test dataset). Every test fails on a
JavaScript error, a request that leaves localhost, or a dialog (an ``alert`` from injected markup); a
screenshot of a failing test is kept in ``test-artifacts/``.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

import pytest

import controlmap
from controlmap.style import CHANGE_MARK

from browser.browserkit import MAP_FRAME, WEBAPP

if TYPE_CHECKING:
    from playwright.sync_api import FrameLocator, Locator, Page

    from browser.conftest import Contexts, Servers

WAIT_MS = 20_000
LINES = {"beta"}
"""Places drawn as lines in the test data: their colour is the line's."""


class App:
    """A page of the running app, with what it logged and asked for."""

    def __init__(self, page: Page, base: str) -> None:
        self.page = page
        self.base = base

    def open(self, **query: str) -> App:
        """Open the app with a URL query and wait until the map shows its places."""
        search = "&".join(f"{key}={value}" for key, value in query.items())
        self.page.goto(f"{self.base}/?{search}")
        self.map.locator("path.cm-place").first.wait_for(state="attached", timeout=WAIT_MS)
        return self

    @property
    def map(self) -> FrameLocator:
        return self.page.frame_locator(MAP_FRAME)

    def place(self, place_id: str) -> Locator:
        return self.map.locator(f"path.cm-place-{place_id}")

    def fill(self, place_id: str, colour: str) -> None:
        """Wait until a place is drawn in this colour (a river's line, any other place's fill)."""
        from playwright.sync_api import expect  # noqa: PLC0415 - playwright is optional

        attribute = "stroke" if place_id in LINES else "fill"
        expect(self.place(place_id)).to_have_attribute(attribute, colour, timeout=WAIT_MS)

    @property
    def slider(self) -> Locator:
        return self.page.get_by_role("slider", name="Date on the map")

    @property
    def typed_date(self) -> Locator:
        return self.page.get_by_role("group", name="Date", exact=True)

    def query(self) -> dict[str, str]:
        return {key: values[-1] for key, values in parse_qs(urlsplit(self.page.url).query).items()}

    def wait_for_query(self, **expected: str) -> None:
        self.page.wait_for_function(
            "expected => Object.entries(expected).every(([k, v]) => new URLSearchParams(location.search).get(k) === v)",
            arg=expected,
            timeout=WAIT_MS,
        )

    def map_view(self) -> dict[str, float]:
        frame = self.page.frame_locator(MAP_FRAME).locator("body")
        view: dict[str, float] = frame.evaluate(
            "() => ({zoom: window.map.getZoom(), lat: window.map.getCenter().lat, lng: window.map.getCenter().lng})"
        )
        return view


@pytest.fixture
def server(app_url: Servers) -> str:
    """The app on the web app test dataset (one server for the whole test session)."""
    return app_url(WEBAPP)


@pytest.fixture
def app(watched: Contexts, server: str) -> App:
    """A page of the app, in a context that fails the test on errors, dialogs or requests off this machine."""
    context, _ = watched(viewport={"width": 1400, "height": 1200})
    return App(context.new_page(), server)


@pytest.fixture(scope="module")
def webapp() -> controlmap.Dataset:
    return controlmap.dataset_from_dir(WEBAPP)


@pytest.fixture(scope="module")
def colours(webapp: controlmap.Dataset) -> dict[str, str]:
    return controlmap.palette_colours(webapp)


def test_the_map_shows_every_place_in_its_holders_colour(app: App, colours: dict[str, str]) -> None:
    app.open(date="2016-08-20")
    app.fill("alpha", colours["isis"])
    app.fill("evil", colours["isis"])
    app.fill("delta", colours["syria_gov"])
    expect_attr = app.place("delta")
    assert expect_attr.get_attribute("stroke") == colours["isis"]  # besieged: a ring in the besieger's colour
    assert float(expect_attr.get_attribute("stroke-width") or 0) >= 4
    # The offline basemap is drawn from the dataset's basemap files.
    assert app.map.locator(".cm-label-country").inner_text() == "SYRIA"
    assert app.map.locator(".cm-label-water").inner_text() == "<b>Lake</b> Test"
    legend = app.page.locator(".cm-legend").inner_text()
    assert "Islamic State" in legend
    assert "Syrian government" in legend
    assert "Iraqi government" not in legend


def test_scrubbing_the_slider_recolours_the_right_places_without_a_blank_frame(
    app: App, colours: dict[str, str]
) -> None:
    app.open(date="2015-05-18")
    app.fill("evil", colours["syria_gov"])
    # Count the places drawn on every animation frame while the date moves.
    app.map.locator("body").evaluate(
        """() => {
            window.__fewest = Infinity;
            const count = () => {
                window.__fewest = Math.min(window.__fewest, document.querySelectorAll("path.cm-place").length);
                requestAnimationFrame(count);
            };
            requestAnimationFrame(count);
        }"""
    )
    before = app.map_view()
    app.slider.focus()
    app.slider.press("ArrowRight")
    app.wait_for_query(date="2015-05-19")
    app.fill("evil", colours["syria_gov"])
    app.slider.press("ArrowRight")
    app.wait_for_query(date="2015-05-20")
    app.fill("evil", colours["isis"])  # taken on 20 May 2015
    app.slider.press("ArrowLeft")
    app.fill("evil", colours["syria_gov"])
    fewest = app.map.locator("body").evaluate("() => window.__fewest")
    assert fewest == 5, "every frame showed every place"
    assert app.map_view() == before


def test_zoom_and_pan_survive_a_date_change(app: App, colours: dict[str, str]) -> None:
    app.open(date="2015-05-19")
    app.map.locator("body").evaluate(
        "() => { window.__same = true; window.map.setView([34.56, 38.27], 9, {animate: false}); }"
    )
    view = app.map_view()
    assert view["zoom"] == 9
    app.page.get_by_role("button", name="Next change ▶").click()
    app.fill("evil", colours["isis"])
    assert app.map.locator("body").evaluate("() => window.__same") is True, "the map was not rebuilt"
    assert app.map_view() == view


def test_jump_buttons_and_typed_date(app: App, colours: dict[str, str]) -> None:
    app.open(date="2016-03-24")
    app.page.get_by_role("button", name="Next change ▶").click()
    app.wait_for_query(date="2016-09-01")
    app.fill("gamma", colours["turkey"])
    app.page.get_by_role("button", name="◀ Previous change").click()
    app.wait_for_query(date="2016-02-19")
    app.fill("beta", colours["sdf"])
    # The date field has a segment each for year, month and day; the value is taken when it loses focus.
    app.typed_date.get_by_role("spinbutton").first.click()
    app.page.keyboard.type("20140610")
    app.page.locator(".cm-legend").click()
    app.wait_for_query(date="2014-06-10")
    app.fill("alpha", colours["isis"])


def test_tooltips_show_holder_since_and_sources(app: App) -> None:
    app.open(date="2017-01-01")
    app.place("alpha").hover()
    tooltip = app.map.locator(".leaflet-tooltip")
    tooltip.wait_for(timeout=WAIT_MS)
    text = tooltip.inner_text()
    assert "Alpha" in text
    assert "ألفا" in text
    assert "Islamic State, contested by Iraqi government" in text
    assert "since November 2016" in text  # the start is known to the month
    assert "Report B" in text


def test_clicking_a_place_shows_its_sources_as_links(app: App) -> None:
    app.open(date="2017-01-01")
    app.place("alpha").click()
    app.wait_for_query(place="alpha")
    card = app.page.locator(".cm-popup")
    card.wait_for(timeout=WAIT_MS)
    link = card.get_by_role("link", name="Report B")
    assert link.get_attribute("href") == "https://example.org/b"
    assert link.get_attribute("rel") == "noopener noreferrer"
    # The map's own popup opened too, with the same links.
    assert app.map.locator(".leaflet-popup-content a").get_attribute("href") == "https://example.org/b"


def test_hostile_markup_is_shown_as_text(app: App) -> None:
    app.open(date="2016-08-20", place="evil")
    card = app.page.locator(".cm-popup")
    card.wait_for(timeout=WAIT_MS)
    assert "<img src=x onerror=alert(1)>" in card.inner_text()
    assert "<script>window.pwned = 1</script> Evil report" in card.inner_text()
    app.place("evil").hover()
    tooltip = app.map.locator(".leaflet-tooltip")
    tooltip.wait_for(timeout=WAIT_MS)
    assert "<img src=x onerror=alert(1)>" in tooltip.inner_text()
    assert app.map.locator(".leaflet-tooltip img").count() == 0
    assert app.page.locator(".cm-popup img, .cm-popup script").count() == 0
    assert app.page.evaluate("() => window.pwned") is None
    assert app.map.locator("body").evaluate("() => window.pwned") is None


def test_compare_marks_and_lists_what_changed(app: App) -> None:
    app.open(date="2016-08-20", compare="2015-01-01")
    halos = app.map.locator("path.cm-changed")
    halos.first.wait_for(state="attached", timeout=WAIT_MS)
    marked = sorted(
        c.split("cm-changed-")[1].split()[0] for c in halos.evaluate_all("ps => ps.map(p => p.className.baseVal)")
    )
    assert marked == ["beta", "delta", "evil"]
    assert halos.first.get_attribute("stroke") == CHANGE_MARK.colour
    app.page.get_by_role("tab", name="Compare dates").click()
    table = app.page.locator('[data-testid="stDataFrame"]').last
    table.get_by_text("Beta River").wait_for(state="attached", timeout=WAIT_MS)
    cells = table.locator("td").all_inner_texts()
    for expected in ("Beta River", "Delta", "Syrian government (besieged)", "19 February 2016", "20 May 2015"):
        assert expected in cells
    assert "Alpha" not in cells


def test_a_shared_url_restores_the_view(app: App, colours: dict[str, str]) -> None:
    app.open(date="2016-03-24", compare="2015-01-01", place="delta", palette="colorblind")
    blind = controlmap.palette_colours(controlmap.dataset_from_dir(WEBAPP), "colorblind")
    app.fill("delta", blind["syria_gov"])
    assert app.slider.get_attribute("aria-valuetext") == "24 Mar 2016"
    assert app.typed_date.inner_text().replace("\n", "") == "2016-03-24"
    assert "Delta" in app.page.locator(".cm-popup").inner_text()
    view = app.map_view()
    assert abs(view["lat"] - 35.33) < 0.01
    assert abs(view["lng"] - 40.14) < 0.01
    assert app.query() == {"date": "2016-03-24", "compare": "2015-01-01", "place": "delta", "palette": "colorblind"}
    assert colours["syria_gov"] != blind["syria_gov"]


def test_a_bad_url_warns_and_shows_the_default(app: App, colours: dict[str, str]) -> None:
    app.open(date="2016-02-30", place="atlantis")
    warnings = app.page.locator('[data-testid="stAlertContentWarning"]')
    warnings.first.wait_for(timeout=WAIT_MS)
    text = " ".join(warnings.all_inner_texts())
    assert "date='2016-02-30' ignored" in text
    assert "place='atlantis' ignored" in text
    app.fill("beta", colours["unknown"])  # the default date, 1 January 2018
    app.wait_for_query(date="2018-01-01")


def test_find_a_place_by_another_name_and_zoom_to_it(app: App) -> None:
    app.open(date="2016-08-20")
    search = app.page.get_by_role("textbox", name="Find a place")
    search.fill("dayr")
    search.press("Enter")
    app.wait_for_query(place="delta")
    app.page.wait_for_function(
        "() => { const m = document.querySelector('iframe').contentWindow.map;"
        " return m && Math.abs(m.getCenter().lat - 35.33) < 0.01 && m.getZoom() === 8; }",
        timeout=WAIT_MS,
    )


def test_play_steps_through_the_change_dates(app: App, webapp: controlmap.Dataset) -> None:
    app.open(date="2016-03-24")
    app.page.get_by_text("Play changes").click()
    following = controlmap.next_change(webapp, dt.date(2016, 3, 24))
    assert following is not None
    after = controlmap.next_change(webapp, following)
    assert after is not None
    app.wait_for_query(date=after.isoformat())
    app.page.get_by_text("Play changes").click()


def test_palette_switch_recolours_the_map(app: App, webapp: controlmap.Dataset) -> None:
    app.open(date="2016-08-20")
    app.page.get_by_text("Colour-blind safe (Okabe-Ito)").click()
    blind = controlmap.palette_colours(webapp, "colorblind")
    app.fill("delta", blind["syria_gov"])
    app.fill("beta", blind["sdf"])
    app.wait_for_query(palette="colorblind")


def test_the_timeline_chart_renders_offline(app: App) -> None:
    app.open(date="2016-08-20")
    chart = app.page.locator('[data-testid="stVegaLiteChart"]')
    graphic = chart.locator("canvas, svg").first
    graphic.wait_for(timeout=WAIT_MS)
    box = graphic.bounding_box()
    assert box is not None
    assert box["width"] > 300
    assert box["height"] > 80


def test_leaflet_is_served_by_the_app(app: App) -> None:
    loaded: list[str] = []
    app.page.on("request", lambda request: loaded.append(request.url))
    app.open(date="2016-08-20")
    leaflet = [url for url in loaded if url.endswith(("leaflet.js", "leaflet.css"))]
    assert len(leaflet) == 2
    assert all(urlsplit(url).path.startswith("/app/static/leaflet-") for url in leaflet)


def test_downloads_follow_the_date_on_the_slider(app: App) -> None:
    app.open(date="2015-05-19")
    app.page.get_by_text("Download", exact=True).click()
    button = app.page.get_by_role("button", name="GeoJSON", exact=True)
    button.wait_for(timeout=WAIT_MS)
    app.slider.focus()
    app.slider.press("ArrowRight")
    app.wait_for_query(date="2015-05-20")
    with app.page.expect_download(timeout=WAIT_MS) as download:
        button.click()
    path = download.value.path()
    document = json.loads(Path(path).read_text("utf-8"))
    assert document["date"] == "2015-05-20"
    evil = next(f for f in document["features"] if f["id"] == "evil")
    assert evil["properties"]["controller"] == "isis"
