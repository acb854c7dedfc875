"""The HTML export, checked by its pixels: each place is painted in its colour, over the basemap, not under it.

The page draws its places in several SVGs (one per cell of a grid, in panes for areas, lines and points),
so the stacking of those panes against the basemap's SVG is part of what a person sees; attribute checks
alone passed while every place was hidden under the countries. Here Chromium's screenshot is read at the
centre of each place drawn in a plain colour, and compared with that colour laid over what is under it
(the same screenshot with the places hidden), at the place's fill opacity.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import TYPE_CHECKING

import pytest
from PIL import Image

import controlmap
from controlmap.basemap import load_basemap
from controlmap.web.standalone import dataset_to_html

from browser.browserkit import WEBAPP

if TYPE_CHECKING:
    from pathlib import Path

    from playwright.sync_api import Page

    from browser.conftest import Contexts

TOLERANCE = 10
# The centre, plain fill colour and fill opacity of each place's shape drawn with a plain colour, on screen.
PLACES_JS = """() => [...document.querySelectorAll("path.cm-place")]
    .filter(p => /^#[0-9a-f]{6}$/i.test(p.getAttribute("fill") || "") && p.getAttribute("fill-opacity") !== "0")
    .map(p => { const r = p.getBoundingClientRect();
        return [p.dataset.place, r.x + r.width / 2, r.y + r.height / 2, p.getAttribute("fill"),
                Number(p.getAttribute("fill-opacity") || 1)]; })
    .filter(([, x, y]) => x > 0 && y > 0 && x < innerWidth && y < innerHeight)"""


def screenshot(page: Page) -> Image.Image:
    return Image.open(io.BytesIO(page.screenshot())).convert("RGB")


def rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


@pytest.mark.parametrize("day", [dt.date(2014, 7, 1), dt.date(2016, 8, 20)])
def test_each_place_is_painted_in_its_colour_over_the_basemap(watched: Contexts, tmp_path: Path, day: dt.date) -> None:
    dataset = controlmap.dataset_from_dir(WEBAPP)
    path = tmp_path / "map.html"
    path.write_text(dataset_to_html(dataset, date=day, basemap=load_basemap(WEBAPP)), "utf-8")
    context, _ = watched(viewport={"width": 1000, "height": 700}, watch_failures=True)
    page = context.new_page()
    page.goto(path.as_uri())
    page.wait_for_selector("html[data-ready=true]")
    page.evaluate("() => controlmap.map.closePopup()")
    places = page.evaluate(PLACES_JS)
    assert len(places) >= 2
    painted = screenshot(page)
    page.add_style_tag(content="path.cm-place, path.cm-casing { visibility: hidden; }")
    under = screenshot(page)
    for place_id, x, y, fill, opacity in places:
        spot = (round(x), round(y))
        background, seen = under.getpixel(spot), painted.getpixel(spot)
        assert isinstance(background, tuple)
        assert isinstance(seen, tuple)
        expected = [round(opacity * f + (1 - opacity) * u) for f, u in zip(rgb(fill), background, strict=True)]
        assert all(abs(s - e) <= TOLERANCE for s, e in zip(seen, expected, strict=True)), (place_id, seen, expected)
