"""Static images: checked by their pixels at the projected positions of places, and by their text."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from typing import TYPE_CHECKING

import numpy as np
import pytest

import controlmap
from controlmap.export._labels import LabelCandidate, choose_labels
from controlmap.export._layout import layout_for
from controlmap.export.image import (
    ImageRenderer,
    cited_outlets,
    image_credit,
    image_legend,
    image_position,
    image_title,
    snapshot_to_image,
)
from controlmap.style import BASEMAP_STYLE, STATUS_PATTERNS, TERRITORY_STYLE, palette_colours

from exporthelpers import GEODATA, SIZE, distance, nearest, over, patch, pixels, rgb, tiny_basemap

if TYPE_CHECKING:
    from pathlib import Path

    from numpy.typing import NDArray

    from controlmap.export.image import ImageFormat

BEFORE = dt.date(2016, 3, 24)
"""Alpha held by the Islamic State, Gamma besieged, Beta held by the SDF."""
AFTER = dt.date(2018, 6, 1)
"""Alpha back with the Iraqi government, Gamma with Turkey, Beta unknown."""


def faction_at(
    dataset: controlmap.Dataset, image: NDArray[np.uint8], lon: float, lat: float, *, palette: str = "default"
) -> tuple[str, float]:
    """The faction whose colour is nearest the pixel at a position, and how near.

    A held point is drawn over the shaded land around it, which is in the same colour (`controlmap.territory`).
    """
    colours = palette_colours(dataset, palette)
    alpha = STATUS_PATTERNS["controlled"].fill_opacity
    shade = TERRITORY_STYLE.fill_opacity
    candidates = {
        faction.id: alpha * rgb(colours[faction.id]) + (1 - alpha) * over(colours[faction.id], shade)
        for faction in dataset.factions
    }
    column, row = image_position(dataset, lon, lat, **SIZE)
    found = nearest(patch(image, column, row), candidates)
    return found, distance(patch(image, column, row), candidates[found])


@pytest.fixture(scope="module")
def shipped_or_skip() -> controlmap.Dataset:
    """The shipped geodata; skipped while it does not validate (test_validate says why)."""
    try:
        return controlmap.dataset_from_dir(GEODATA)
    except controlmap.DataError:
        pytest.skip("the shipped geodata does not validate at the moment")


@pytest.fixture(scope="module")
def renderer(mini: controlmap.Dataset) -> ImageRenderer:
    return ImageRenderer(mini, basemap=tiny_basemap(), **SIZE)


def test_a_point_shows_its_controllers_colour_at_each_date(mini: controlmap.Dataset, renderer: ImageRenderer) -> None:
    before = renderer.rgb(controlmap.snapshot(mini, BEFORE))
    after = renderer.rgb(controlmap.snapshot(mini, AFTER))
    assert faction_at(mini, before, 43.13, 36.34)[0] == "isis"
    assert faction_at(mini, after, 43.13, 36.34)[0] == "iraq_gov"
    assert faction_at(mini, before, 43.13, 36.34)[1] < 12
    assert faction_at(mini, after, 43.13, 36.34)[1] < 12


def test_the_png_has_the_pixels_of_the_renderer(mini: controlmap.Dataset, renderer: ImageRenderer) -> None:
    snap = controlmap.snapshot(mini, BEFORE)
    png = snapshot_to_image(snap, basemap=tiny_basemap(), **SIZE)
    image = pixels(png)
    assert image.shape == (SIZE["height"], SIZE["width"], 3)
    assert np.array_equal(image, renderer.rgb(snap))


def test_the_palette_changes_the_colours(mini: controlmap.Dataset) -> None:
    png = snapshot_to_image(controlmap.snapshot(mini, AFTER), palette="colorblind", **SIZE)
    image = pixels(png)
    colours = palette_colours(mini, "colorblind")
    alpha = STATUS_PATTERNS["controlled"].fill_opacity
    column, row = image_position(mini, 43.13, 36.34, **SIZE)
    # No basemap: the circle is drawn over the sea.
    assert distance(patch(image, column, row), over(colours["iraq_gov"], alpha, BASEMAP_STYLE.sea)) < 12


def test_an_area_is_filled_and_hatched_in_the_colours_of_its_state(
    mini: controlmap.Dataset, renderer: ImageRenderer
) -> None:
    colours = palette_colours(mini, "default")
    before = renderer.rgb(controlmap.snapshot(mini, BEFORE))
    after = renderer.rgb(controlmap.snapshot(mini, AFTER))
    (left, top), (right, bottom) = (
        image_position(mini, lon, lat, **SIZE) for lon, lat in [(37.55, 36.75), (37.95, 36.35)]
    )
    inside_before = before[top:bottom, left:right].reshape(-1, 3)
    inside_after = after[top:bottom, left:right].reshape(-1, 3)
    # Besieged by the SDF: the Islamic State's fill with the besieger's dots on it.
    near_sdf = min(distance(p, rgb(colours["sdf"])) for p in inside_before)
    assert near_sdf < 60
    assert np.median(inside_before.astype(float).sum(axis=1)) < 3 * 160  # mostly dark
    # Held by Turkey: one flat light green, no pattern.
    assert len({tuple(p) for p in inside_after}) == 1
    assert nearest(inside_after[0], {f.id: rgb(colours[f.id]) for f in mini.factions}) == "turkey"


def test_the_basemap_is_drawn_under_the_places(mini: controlmap.Dataset, renderer: ImageRenderer) -> None:
    image = renderer.rgb(controlmap.snapshot(mini, BEFORE))
    column, row = image_position(mini, 41.85, 35.4, **SIZE)
    assert distance(patch(image, column, row + 4), rgb(BASEMAP_STYLE.water)) < 30
    column, row = image_position(mini, 40.2, 35.5, **SIZE)
    assert distance(patch(image, column, row), rgb(BASEMAP_STYLE.land)) < 5
    column, row = image_position(mini, 40.0, 38.5, **SIZE)
    assert distance(patch(image, column, row), rgb(BASEMAP_STYLE.sea)) < 5


def test_the_legend_lists_exactly_the_factions_present(mini: controlmap.Dataset) -> None:
    before = image_legend(controlmap.snapshot(mini, BEFORE))
    after = image_legend(controlmap.snapshot(mini, AFTER))
    assert [(f["id"], f["count"]) for f in before.factions] == [("isis", 2), ("sdf", 1)]
    assert before.statuses == {"besieged": 1}
    assert [(f["id"], f["count"]) for f in after.factions] == [("iraq_gov", 1), ("turkey", 1)]
    assert after.statuses == {"unknown": 1}


def svg_texts(svg: bytes) -> list[str]:
    return [re.sub(r"\s+", " ", t).strip() for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg.decode("utf-8"))]


def test_the_svg_shows_title_legend_names_and_credit(mini: controlmap.Dataset) -> None:
    snap = controlmap.snapshot(mini, BEFORE)
    texts = svg_texts(snapshot_to_image(snap, format="svg", basemap=tiny_basemap(), **SIZE))
    assert "Test dataset — 24 March 2016" in texts
    faction_labels = {f.label for f in mini.factions}
    shown = [t for t in texts if any(t.startswith(label + " (") for label in faction_labels)]
    assert shown == ["Islamic State (2)", "SDF / YPG (1)"]
    assert "Besieged (1)" in texts
    credit = next(t for t in texts if t.startswith("Sources:"))
    assert credit == "Sources: Test Gazette, Test Wire · Basemap: Natural Earth"


def test_text_from_the_data_is_escaped_in_the_svg(mini: controlmap.Dataset) -> None:
    marked = dataclasses.replace(mini, title="A <b>map</b> & </svg>", cache={})
    svg = snapshot_to_image(controlmap.snapshot(marked, BEFORE), format="svg", **SIZE).decode("utf-8")
    assert "A &lt;b&gt;map&lt;/b&gt; &amp; &lt;/svg&gt; — 24 March 2016" in svg_texts(svg.encode())
    assert "<b>" not in svg
    assert svg.count("</svg>") == 1


def test_names_that_fit_are_labelled_and_none_overlap(mini: controlmap.Dataset) -> None:
    layout = layout_for(mini, width=1600, height=1200, dpi=100)
    candidates = [
        LabelCandidate(i, p.name, p.kind, anchor=(p.geometry.centroid.x, p.geometry.centroid.y), font_pt=7)
        for i, p in enumerate(mini.places)
    ]
    labels = choose_labels(candidates, layout=layout)
    assert [label.name for label in labels] == ["Alpha", "Beta River", "Gamma <b>Pocket</b>"]
    crowded = [dataclasses.replace(candidates[0], position=i, name=f"Place {i}") for i in range(5)]
    assert len(choose_labels(crowded, layout=layout)) == 2  # one each side of the same point


def test_title_and_credit(mini: controlmap.Dataset) -> None:
    snap = controlmap.snapshot(mini, BEFORE)
    assert image_title(snap) == "Test dataset — 24 March 2016"
    assert cited_outlets(snap) == ["Test Gazette", "Test Wire"]
    assert image_credit(snap, max_chars=12) == "Sources: Test Gazette and 1 more · Basemap: Natural Earth"


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_the_same_input_gives_the_same_bytes(mini: controlmap.Dataset, fmt: ImageFormat) -> None:
    snap = controlmap.snapshot(mini, BEFORE)
    first = snapshot_to_image(snap, format=fmt, basemap=tiny_basemap(), **SIZE)
    second = snapshot_to_image(snap, format=fmt, basemap=tiny_basemap(), **SIZE)
    assert first == second
    assert first.startswith({"png": b"\x89PNG", "svg": b"<?xml", "pdf": b"%PDF"}[fmt])
    assert b"CreationDate" not in first
    assert b"Software" not in first


def test_pixel_positions_scale_with_the_image(mini: controlmap.Dataset) -> None:
    small = image_position(mini, 43.13, 36.34, width=400, height=300, dpi=50)
    large = image_position(mini, 43.13, 36.34, width=800, height=600, dpi=100)
    assert abs(large[0] - 2 * small[0]) <= 2
    assert abs(large[1] - 2 * small[1]) <= 2
    west = image_position(mini, 37.5, 36.3, width=400, height=300, dpi=50)
    assert west[0] < small[0]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"palette": "sepia"}, "palette: 'sepia' is not one of: default, colorblind"),
        ({"format": "jpeg"}, "format: 'jpeg' is not one of: png, svg, pdf"),
        ({"width": 10}, "width: 10 pixels is outside 64 to 8192"),
        ({"dpi": 0.5}, "dpi: 0.5 is outside 20 to 1200"),
    ],
)
def test_bad_options_are_clear_errors(mini: controlmap.Dataset, options: dict[str, object], message: str) -> None:
    with pytest.raises(controlmap.ControlmapError, match=re.escape(message)):
        snapshot_to_image(controlmap.snapshot(mini, BEFORE), **options)  # type: ignore[arg-type]


def test_a_renderer_refuses_another_datasets_snapshot(mini: controlmap.Dataset, mini_dir: Path) -> None:
    other = controlmap.dataset_from_dir(mini_dir)
    renderer = ImageRenderer(mini, **SIZE)
    with pytest.raises(controlmap.ControlmapError, match="another dataset"):
        renderer.rgb(controlmap.snapshot(other, BEFORE))


def test_the_shipped_data_shows_mosul_changing_hands(shipped_or_skip: controlmap.Dataset) -> None:
    dataset = shipped_or_skip
    mosul = dataset.place("mosul").geometry
    renderer = ImageRenderer(dataset, **SIZE)
    colours = palette_colours(dataset, "default")
    alpha = STATUS_PATTERNS["controlled"].fill_opacity
    candidates = {f.id: over(colours[f.id], alpha, BASEMAP_STYLE.sea) for f in dataset.factions}
    column, row = image_position(dataset, mosul.x, mosul.y, **SIZE)
    before = patch(renderer.rgb(controlmap.snapshot(dataset, dt.date(2016, 3, 24))), column, row)
    after = patch(renderer.rgb(controlmap.snapshot(dataset, dt.date(2018, 6, 1))), column, row)
    assert nearest(before, candidates) == "isis"
    assert nearest(after, candidates) == "iraq_gov"
