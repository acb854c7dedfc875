"""The running app in a real Chromium: what a person sees and does, with every request off this machine refused.

One ``streamlit run app.py`` serves the web app test dataset (five places), another the shipped data. Every
test fails on a JavaScript error, a request that leaves localhost, or a dialog; screenshots of a failing
test are kept in ``test-artifacts/``.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

import pytest

import controlmap
from controlmap.records import place_properties
from controlmap.style import CHANGE_MARK, SELECTION_MARK, palette_colours

from browser.browserkit import REPO, WEBAPP

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

    from browser.conftest import Contexts, Servers

WAIT_MS = 20_000
LINES = {"beta"}
"""Places drawn as lines in the test data: their colour is the line's."""
GEODATA = REPO / "geodata"


class App:
    """A page of the running app."""

    def __init__(self, page: Page, base: str) -> None:
        self.page = page
        self.base = base

    def open(self, **query: str) -> App:
        """Open the app with a URL query and wait until the map is drawn."""
        search = "&".join(f"{key}={value}" for key, value in query.items())
        self.page.goto(f"{self.base}/?{search}")
        self.page.locator(".cm-app[data-ready=true]").wait_for(state="attached", timeout=WAIT_MS)
        return self

    def place(self, place_id: str) -> Locator:
        return self.page.locator(f"path.cm-place-{place_id}")

    def fill(self, place_id: str, colour: str) -> None:
        """Wait until a place is drawn in this colour (a river's line, any other place's fill)."""
        from playwright.sync_api import expect  # noqa: PLC0415 - playwright is optional

        attribute = "stroke" if place_id in LINES else "fill"
        expect(self.place(place_id)).to_have_attribute(attribute, colour, timeout=WAIT_MS)

    @property
    def slider(self) -> Locator:
        return self.page.get_by_role("slider", name="Date")

    @property
    def typed_date(self) -> Locator:
        return self.page.get_by_role("group", name="Date", exact=True)

    def engine(self, script: str) -> Any:
        """Evaluate ``script`` with the map's engine as ``app`` (its test interface)."""
        return self.page.evaluate(f"() => {{ const app = window.controlmapApp; return {script}; }}")

    def query(self) -> dict[str, str]:
        return {key: values[-1] for key, values in parse_qs(urlsplit(self.page.url).query).items()}

    def wait_for_query(self, **expected: str) -> None:
        self.page.wait_for_function(
            "expected => Object.entries(expected).every(([k, v]) => new URLSearchParams(location.search).get(k) === v)",
            arg=expected,
            timeout=WAIT_MS,
        )

    def map_view(self) -> dict[str, float]:
        view: dict[str, float] = self.engine(
            "({zoom: app.map.getZoom(), lat: app.map.getCenter().lat, lng: app.map.getCenter().lng})"
        )
        return view


@pytest.fixture
def app(watched: Contexts, app_url: Servers) -> App:
    """A page of the app on the test dataset, in a context that fails the test on errors or requests off here."""
    context, _ = watched(viewport={"width": 1400, "height": 1200})
    return App(context.new_page(), app_url(WEBAPP))


@pytest.fixture
def shipped_app(watched: Contexts, app_url: Servers) -> App:
    """A page of the app on the shipped data."""
    context, _ = watched(viewport={"width": 1400, "height": 1000})
    return App(context.new_page(), app_url(GEODATA))


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
    delta = app.place("delta")
    assert delta.get_attribute("stroke") == colours["isis"]  # besieged: a ring in the besieger's colour
    assert float(delta.get_attribute("stroke-width") or 0) >= 4
    # The offline basemap is drawn from the dataset's basemap files.
    assert app.page.locator(".cm-label-country").inner_text() == "SYRIA"
    assert app.page.locator(".cm-label-water").inner_text() == "<b>Lake</b> Test"
    legend = app.page.locator(".cm-legend").inner_text()
    assert "Islamic State" in legend
    assert "Syrian government" in legend
    assert "Iraqi government" not in legend


def test_dragging_the_slider_recolours_the_map_during_the_drag(app: App, colours: dict[str, str]) -> None:
    app.open(date="2013-06-01")
    app.fill("evil", colours["syria_gov"])
    # Record the date the map shows on every frame, and whether a frame ever lacked a place.
    app.page.evaluate(
        """() => {
            window.__dates = new Set(); window.__fewest = Infinity;
            const watch = () => {
                window.__dates.add(document.documentElement.getAttribute("data-date"));
                window.__fewest = Math.min(window.__fewest, document.querySelectorAll("path.cm-place").length);
                requestAnimationFrame(watch);
            };
            requestAnimationFrame(watch);
        }"""
    )
    box = app.slider.bounding_box()
    assert box is not None
    y = box["y"] + box["height"] / 2
    app.page.mouse.move(box["x"] + 4, y)
    app.page.mouse.down()
    for step in range(1, 31):
        app.page.mouse.move(box["x"] + 4 + (box["width"] - 8) * step / 30, y)
    # Still held: the map has followed the hand, and nothing was reported yet (the URL keeps the old date).
    seen = app.page.evaluate("() => window.__dates.size")
    assert seen >= 10, f"only {seen} dates drawn during the drag"
    assert app.query()["date"] == "2013-06-01"
    app.fill("evil", colours["isis"])  # by the end of the data Evil is the Islamic State's
    app.page.mouse.up()
    app.wait_for_query(date=app.engine("app.date()"))
    assert app.page.evaluate("() => window.__fewest") == 5, "every frame showed every place"


def test_arrow_keys_step_a_day_and_page_keys_jump_to_changes(app: App, colours: dict[str, str]) -> None:
    app.open(date="2015-05-18")
    app.fill("evil", colours["syria_gov"])
    view = app.map_view()
    app.slider.focus()
    app.slider.press("ArrowRight")
    app.slider.press("ArrowRight")
    app.fill("evil", colours["isis"])  # taken on 20 May 2015
    assert app.engine("app.date()") == "2015-05-20"
    app.wait_for_query(date="2015-05-20")  # reported once the keys pause
    app.slider.press("PageDown")
    assert app.engine("app.date()") == "2016-02-19"  # the next change
    app.fill("beta", colours["sdf"])
    app.slider.press("PageUp")
    assert app.engine("app.date()") == "2015-05-20"
    app.page.get_by_role("button", name="Next change").click()
    assert app.engine("app.date()") == "2016-02-19"
    assert app.map_view() == view


def test_a_typed_date_moves_the_map_without_rebuilding_it(app: App, colours: dict[str, str]) -> None:
    app.open(date="2016-03-24")
    app.engine("(window.__same = true, app.map.setView([34.56, 38.27], 9, {animate: false}), 0)")
    view = app.map_view()
    # The date field has a segment each for year, month and day; the value is taken when it loses focus.
    app.typed_date.get_by_role("spinbutton").first.click()
    app.page.keyboard.type("20140610")
    app.page.locator(".cm-legend").click()
    app.wait_for_query(date="2014-06-10")
    app.fill("alpha", colours["isis"])
    assert app.slider.get_attribute("aria-valuetext") == "10 June 2014"
    assert app.page.evaluate("() => window.__same") is True, "the map was not rebuilt"
    assert app.map_view() == view


def test_the_page_follows_the_map(app: App) -> None:
    app.open(date="2017-01-01", place="alpha")
    card = app.page.locator(".cm-popup")
    card.wait_for(timeout=WAIT_MS)
    assert "contested by Iraqi government" in card.inner_text()
    app.slider.focus()
    app.slider.press("PageDown")  # 10 July 2017: Alpha retaken
    app.wait_for_query(date="2017-07-10")
    app.page.wait_for_function(
        "() => document.querySelector('.cm-popup').innerText.includes('Since 10 July 2017')", timeout=WAIT_MS
    )
    assert "Iraqi government" in card.inner_text()


def test_tooltips_show_holder_since_and_sources(app: App) -> None:
    app.open(date="2017-01-01")
    app.place("alpha").hover()
    tooltip = app.page.locator(".leaflet-tooltip")
    tooltip.wait_for(timeout=WAIT_MS)
    text = tooltip.inner_text()
    assert "Alpha" in text
    assert "ألفا" in text
    assert "Islamic State, contested by Iraqi government" in text
    assert "Since November 2016" in text  # the start is known to the month
    assert "Report B" in text


def test_clicking_a_place_rings_it_and_shows_its_sources_as_links(app: App) -> None:
    app.open(date="2017-01-01")
    app.place("alpha").click(force=True)
    app.wait_for_query(place="alpha")
    card = app.page.locator(".cm-popup")
    card.wait_for(timeout=WAIT_MS)
    link = card.get_by_role("link", name="Report B")
    assert link.get_attribute("href") == "https://example.org/b"
    assert link.get_attribute("rel") == "noopener noreferrer"
    ring = app.page.locator("path.cm-selection-alpha")
    assert ring.count() == 1
    assert ring.get_attribute("stroke") == SELECTION_MARK.colour
    assert app.page.locator(".cm-place-label-selected").inner_text() == "Alpha"


def test_compare_rings_and_lists_what_changed(app: App) -> None:
    app.open(date="2016-08-20", compare="2015-01-01")
    rings = app.page.locator("path.cm-changed")
    rings.first.wait_for(state="attached", timeout=WAIT_MS)
    marked = sorted(
        c.split("cm-changed-")[1].split()[0] for c in rings.evaluate_all("ps => ps.map(p => p.className.baseVal)")
    )
    assert marked == ["beta", "delta", "evil"]
    assert rings.first.get_attribute("stroke") == CHANGE_MARK.colour
    assert rings.first.get_attribute("stroke-dasharray") == CHANGE_MARK.dash
    assert "3 places changed hands or status since 1 January 2015" in app.page.locator(".cm-legend").inner_text()
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
    assert app.slider.get_attribute("aria-valuetext") == "24 March 2016"
    assert app.typed_date.inner_text().replace("\n", "") == "2016-03-24"
    assert "Delta" in app.page.locator(".cm-popup").inner_text()
    view = app.map_view()
    assert abs(view["lat"] - 35.33) < 0.05
    assert abs(view["lng"] - 40.14) < 0.05
    assert app.query() == {"date": "2016-03-24", "compare": "2015-01-01", "place": "delta", "palette": "colorblind"}
    assert colours["syria_gov"] != blind["syria_gov"]


def test_a_bad_url_warns_and_shows_the_default(app: App, colours: dict[str, str]) -> None:
    app.open(date="2016-02-30", place="atlantis")
    warnings = app.page.locator('[data-testid="stAlertContentWarning"]')
    warnings.first.wait_for(timeout=WAIT_MS)
    text = " ".join(warnings.all_inner_texts())
    assert "date='2016-02-30' ignored" in text
    assert "place='atlantis' ignored" in text
    app.fill("evil", colours["isis"])  # the default: 20 May 2015, when the Islamic State held most
    app.wait_for_query(date="2015-05-20")


def test_find_a_place_by_another_name_and_zoom_to_it(app: App) -> None:
    app.open(date="2016-08-20")
    search = app.page.get_by_role("textbox", name="Find a place")
    search.fill("dayr")
    search.press("Enter")
    app.wait_for_query(place="delta")
    app.page.wait_for_function(
        "() => { const m = window.controlmapApp.map; return Math.abs(m.getCenter().lat - 35.33) < 0.05"
        " && m.getZoom() >= 8; }",
        timeout=WAIT_MS,
    )
    assert app.page.locator("path.cm-selection-delta").count() == 1


def test_find_a_group_and_the_map_shows_all_its_parts(shipped_app: App) -> None:
    app = shipped_app.open(date="2016-03-24")
    opening_zoom = app.engine("app.map.getZoom()")
    search = app.page.get_by_role("textbox", name="Find a place")
    search.fill("Manbij pocket")
    search.press("Enter")
    app.page.get_by_role("radiogroup", name="Matches").wait_for(timeout=WAIT_MS)
    parts = [p for p in controlmap.dataset_from_dir(GEODATA).places if p.group == "manbij-pocket"]
    corners = [[b[1], b[0], b[3], b[2]] for b in (p.geometry.bounds for p in parts)]  # south, west, north, east
    app.page.wait_for_function(
        """([corners, zoom]) => { const map = window.controlmapApp.map, b = map.getBounds();
            return map.getZoom() > zoom && corners.every(c => b.contains([[c[0], c[1]], [c[2], c[3]]])); }""",
        arg=[corners, opening_zoom],
        timeout=WAIT_MS,
    )
    assert app.page.locator("[class*=cm-selection-]").count() == 0, "a group selects none of its parts"


def test_play_runs_in_the_browser_and_pauses_at_any_frame(app: App, webapp: controlmap.Dataset) -> None:
    app.open(date="2016-03-24")
    app.page.get_by_label("Play speed").select_option("changes")
    play = app.page.get_by_role("button", name="Play through time")
    play.click()
    following = controlmap.next_change(webapp, dt.date(2016, 3, 24))
    assert following is not None
    app.wait_for_query(date=following.isoformat())  # each step of play is reported
    play.click()
    assert play.get_attribute("aria-pressed") == "false"
    paused = app.engine("app.date()")
    app.page.wait_for_timeout(1500)  # a paused player does not move: nothing to wait for but time
    assert app.engine("app.date()") == paused


def test_the_change_strip_shows_changes_by_month(app: App, webapp: controlmap.Dataset) -> None:
    app.open(date="2016-03-24")
    bars = app.page.locator(".cm-strip-bar")
    months = (webapp.coverage_end.year - webapp.coverage_start.year) * 12 + 12
    assert bars.count() == months
    counts = {b.get_attribute("data-month"): int(b.get_attribute("data-count") or 0) for b in bars.all()}
    assert counts["2015-05"] >= 1
    assert counts["2013-06"] == 0
    assert sum(counts.values()) == len(controlmap.change_events(webapp))


def test_palette_switch_recolours_the_map(app: App, webapp: controlmap.Dataset) -> None:
    app.open(date="2016-08-20")
    app.engine("(window.__same = true, 0)")
    app.page.get_by_text("Colour-blind safe (Okabe-Ito)").click()
    blind = controlmap.palette_colours(webapp, "colorblind")
    app.fill("delta", blind["syria_gov"])
    app.fill("beta", blind["sdf"])
    app.wait_for_query(palette="colorblind")
    assert app.page.evaluate("() => window.__same") is True


def test_shaded_areas_follow_the_date_and_can_be_hidden(app: App, colours: dict[str, str]) -> None:
    app.open(date="2015-05-19")
    area = app.page.locator("path.cm-area-evil")
    area.wait_for(state="attached", timeout=WAIT_MS)
    assert area.get_attribute("fill") == colours["syria_gov"]
    assert 0 < float(area.get_attribute("fill-opacity") or 0) < 0.5  # translucent, under the points
    app.slider.focus()
    app.slider.press("ArrowRight")
    from playwright.sync_api import expect  # noqa: PLC0415 - playwright is optional

    expect(area).to_have_attribute("fill", colours["isis"], timeout=WAIT_MS)
    box = area.bounding_box()
    assert box is not None
    area.hover(force=True, position={"x": box["width"] * 0.2, "y": box["height"] / 2})  # beside the point
    tooltip = app.page.locator(".cm-tooltip-area")
    tooltip.wait_for(timeout=WAIT_MS)
    assert "Around <img src=x onerror=alert(1)>" in tooltip.inner_text()  # Evil's name, as text
    assert "not a sourced front line" in tooltip.inner_text()
    assert "not a sourced front line" in app.page.locator(".cm-legend").inner_text()
    app.page.get_by_label("Shade the land around places").uncheck()
    assert app.page.locator(".leaflet-cm-territory-pane").evaluate("p => getComputedStyle(p).display") == "none"


def test_the_timeline_draws_every_place_and_its_rule_follows_the_slider(app: App, colours: dict[str, str]) -> None:
    app.open(date="2016-08-20")
    rules = app.page.locator("canvas.cm-timeline-rules")
    assert rules.get_attribute("data-day") == "2016-08-20"
    box = app.page.locator("canvas.cm-timeline-bars").bounding_box()
    assert box is not None
    assert box["width"] > 300
    assert box["height"] >= 5 * 11  # a row per place
    app.slider.focus()
    app.slider.press("ArrowRight")
    assert rules.get_attribute("data-day") == "2016-08-21"  # in the browser, before any round trip
    # Hovering a bar names the place and its holder; clicking it selects the place.
    rows = app.page.locator("canvas.cm-timeline-rules")
    rows.hover(position={"x": box["width"] - 20, "y": 18 + 11 * 3 + 5})  # the fourth row (Evil), near 2019
    tip = app.page.locator(".cm-timeline-tip")
    assert "Islamic State" in tip.inner_text()
    assert "<img src=x onerror=alert(1)>" in tip.inner_text()
    assert tip.locator("img").count() == 0


def test_leaflet_and_the_engine_are_served_by_the_app(app: App) -> None:
    loaded: list[str] = []
    app.page.on("request", lambda request: loaded.append(request.url))
    app.open(date="2016-08-20")
    ours = [url for url in loaded if url.endswith(("leaflet.js", "leaflet.css")) or "/controlmap/" in url]
    assert len(ours) >= 6  # Leaflet's script and styles, the engine's, its data and the base map
    assert all(urlsplit(url).path.startswith("/app/static/") for url in ours)


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
    document = json.loads(Path(download.value.path()).read_text("utf-8"))
    assert document["date"] == "2015-05-20"
    evil = next(f for f in document["features"] if f["id"] == "evil")
    assert evil["properties"]["controller"] == "isis"


# ---- on the shipped data ----


def _label_boxes(app: App) -> list[dict[str, float]]:
    boxes: list[dict[str, float]] = app.page.evaluate(
        "() => [...document.querySelectorAll('.cm-place-label')].filter(l => l.style.display !== 'none')"
        ".map(l => { const r = l.getBoundingClientRect(); return {x: r.x, y: r.y, w: r.width, h: r.height,"
        " text: l.textContent}; })"
    )
    return boxes


def test_names_are_shown_most_important_first_and_never_overlap(shipped_app: App) -> None:
    app = shipped_app.open()
    for zoom in (None, 7, 8.5):
        if zoom is not None:
            app.engine(f"(app.map.setZoom({zoom}, {{animate: false}}), 0)")
            app.page.wait_for_timeout(200)  # the layout runs on the map's zoomend event
        boxes = _label_boxes(app)
        assert len(boxes) >= 15
        for i, a in enumerate(boxes):
            for b in boxes[i + 1 :]:
                apart = a["x"] + a["w"] <= b["x"] or b["x"] + b["w"] <= a["x"]
                apart = apart or a["y"] + a["h"] <= b["y"] or b["y"] + b["h"] <= a["y"]
                assert apart, f"{a['text']!r} overlaps {b['text']!r} at zoom {zoom}"
    opening = _label_boxes(app.open())
    shown = {b["text"] for b in opening}
    assert {"Mosul", "Aleppo", "Raqqa"} <= shown  # the largest cities are named at the opening zoom


def test_every_place_can_be_hovered_at_some_zoom(shipped_app: App, shipped: controlmap.Dataset) -> None:
    app = shipped_app.open()
    unreachable = []
    for place in shipped.places:
        if place.geometry.geom_type != "Point":
            continue
        found = app.engine(
            f"""(() => {{
                const id = {json.dumps(place.id)};
                for (const zoom of [7, 9, 11, 13, 15]) {{
                    app.map.setView([{place.geometry.y}, {place.geometry.x}], zoom, {{animate: false}});
                    if (app.shown(id) === id) {{ return [zoom, id]; }}
                }}
                return [15, app.shown(id)];
            }})()"""
        )
        zoom, lead = found
        if lead != place.id:
            # Still grouped at the deepest zoom: its group's point fans the group out on hover.
            app.place(lead).hover(force=True)
            target = app.page.locator(f"path.cm-fanned-{place.id}")
        else:
            target = app.place(place.id)
        target.hover(force=True)
        tooltip = app.page.locator(f".leaflet-tooltip .cm-info[data-place={json.dumps(place.id)}]")
        try:
            tooltip.wait_for(timeout=3000)
        except Exception:
            unreachable.append(f"{place.id} (zoom {zoom})")
        app.page.mouse.move(5, 5)
    assert unreachable == [], "places no hover reaches"


def test_the_app_and_the_html_export_draw_the_same_colours(
    shipped_app: App, watched: Contexts, shipped: controlmap.Dataset, tmp_path: Path
) -> None:
    from controlmap.basemap import load_basemap  # noqa: PLC0415
    from controlmap.web.standalone import dataset_to_html  # noqa: PLC0415

    app = shipped_app.open()
    page_file = tmp_path / "map.html"
    page_file.write_text(dataset_to_html(shipped, basemap=load_basemap(GEODATA)), "utf-8")
    context, _ = watched(viewport={"width": 1200, "height": 900}, watch_failures=True)
    export = context.new_page()
    export.goto(page_file.as_uri())
    export.wait_for_selector("html[data-ready=true]")
    ids = [p.id for p in shipped.places]
    read = "ids => ids.map(id => window.{}.look(id).fill)"
    colours = palette_colours(shipped)
    for day in (dt.date(2014, 6, 11), dt.date(2016, 3, 24), dt.date(2017, 7, 10), dt.date(2019, 3, 23)):
        app.engine(f"(app.setDate({json.dumps(day.isoformat())}), 0)")
        export.evaluate(f"controlmap.setDate({json.dumps(day.isoformat())})")
        in_app = app.page.evaluate(read.format("controlmapApp"), ids)
        in_export = export.evaluate(read.format("controlmap"), ids)
        snap = controlmap.snapshot(shipped, day)
        expected = [place_properties(shipped, p, snap.period(i), colours)["fill"] for i, p in enumerate(shipped.places)]
        assert in_app == in_export == expected, day


def test_at_a_phones_width_the_map_and_its_slider_come_first(watched: Contexts, app_url: Servers) -> None:
    context, _ = watched(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    app = App(context.new_page(), app_url(WEBAPP)).open(date="2016-03-24")
    map_box = app.page.locator(".cm-app-map").bounding_box()
    slider_box = app.slider.bounding_box()
    assert map_box is not None
    assert slider_box is not None
    assert map_box["y"] < 200, "nothing but the page's header above the map"
    assert map_box["width"] >= 330
    assert slider_box["y"] + slider_box["height"] <= 844, "the slider is on the first screen"
