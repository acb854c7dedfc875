"""Static images at any size and DPI: the title, legend and credit are whole and inside, names never overlap.

Checked on the boxes matplotlib draws (`ImageRenderer.drawn_texts`), for the shipped data on its busiest date
(seven factions, three status patterns), from a small screen image to a print at 300 dpi.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest
from hypothesis import given
from hypothesis import strategies as st

import controlmap
from controlmap.basemap import load_basemap
from controlmap.export import ImageSize, export
from controlmap.export._labels import LabelCandidate, choose_labels
from controlmap.export._layout import layout_for
from controlmap.export.image import ImageRenderer, image_title

from exporthelpers import GEODATA, pixels

if TYPE_CHECKING:
    from pathlib import Path

    from matplotlib.transforms import Bbox

BUSIEST = dt.date(2014, 6, 25)
"""The date whose legend is longest: seven factions and three status patterns."""
SIZES = [(800, 600), (1600, 1200), (4000, 3000)]
DPIS = [72.0, 150.0, 300.0]
PAPERS = [ImageSize.paper(name) for name in ("a4", "letter")]


@pytest.fixture(scope="module")
def shipped_snapshot() -> controlmap.Snapshot:
    return controlmap.snapshot(controlmap.dataset_from_dir(GEODATA), BUSIEST)


def inside(box: Bbox, left: float, bottom: float, right: float, top: float, slack: float = 0.5) -> bool:
    return bool(box.x0 >= left - slack and box.y0 >= bottom - slack and box.x1 <= right + slack) and bool(
        box.y1 <= top + slack
    )


def overlap(a: Bbox, b: Bbox) -> bool:
    return bool(a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1)


@pytest.mark.parametrize(
    "size", [ImageSize(w, h, dpi) for (w, h), dpi in itertools.product(SIZES, DPIS)] + PAPERS, ids=str
)
def test_title_legend_and_credit_fit_and_names_never_overlap(
    shipped_snapshot: controlmap.Snapshot, size: ImageSize
) -> None:
    dataset = shipped_snapshot.dataset
    renderer = ImageRenderer(dataset, width=size.width, height=size.height, dpi=size.dpi, basemap=load_basemap(GEODATA))
    drawn = renderer.drawn_texts(shipped_snapshot)
    layout = renderer.layout
    width, height, map_box, panel = layout.width, layout.height, layout.map_box, layout.panel_box
    # The title, whole, above the map; the credit below it; the legend in its panel beside it.
    assert inside(drawn.title, 0, map_box.top, width, height), f"title {drawn.title} leaves {width}x{height}"
    assert inside(drawn.credit, 0, 0, width, map_box.bottom), f"credit {drawn.credit} leaves the image"
    # A swatch and a line per entry, two headings, and the note on the shaded land.
    assert len(drawn.legend) == 2 * (7 + 3) + 2 + 1
    for box in drawn.legend:
        assert inside(box, panel.left, panel.bottom, width, panel.top), f"legend {box} leaves its panel"
        assert not overlap(box, drawn.title)
    # Readable: no text shrunk to nothing.
    assert drawn.title.height >= 8
    assert min(box.height for box in drawn.legend) >= 6
    # The names: inside the map, none over another.
    assert len(drawn.labels) >= 5
    for box in drawn.labels:
        assert inside(box, map_box.left, map_box.bottom, map_box.left + map_box.width, map_box.top)
    for a, b in itertools.combinations(drawn.labels, 2):
        assert not overlap(a, b), f"names overlap at {a} and {b}"


def test_the_title_keeps_its_words_and_shrinks_to_fit(shipped_snapshot: controlmap.Snapshot) -> None:
    dataset = shipped_snapshot.dataset
    small = ImageRenderer(dataset, width=800, height=600, dpi=300)
    svg = small.render(shipped_snapshot, format="svg").decode("utf-8")
    assert image_title(shipped_snapshot) in re.sub(r"\s+", " ", svg)
    large = ImageRenderer(dataset, width=4000, height=3000, dpi=300).drawn_texts(shipped_snapshot).title
    assert small.drawn_texts(shipped_snapshot).title.height < large.height  # smaller, not cut


@given(
    points=st.lists(
        st.tuples(st.floats(37.0, 45.0), st.floats(32.5, 37.5), st.sampled_from(["city", "town", "river", "region"])),
        min_size=1,
        max_size=40,
    ),
    dpi=st.sampled_from([60.0, 100.0, 300.0]),
)
def test_chosen_names_never_overlap_and_stay_on_the_map(
    mini: controlmap.Dataset, points: list[tuple[float, float, str]], dpi: float
) -> None:
    layout = layout_for(mini, width=800, height=600, dpi=dpi)
    candidates = [
        LabelCandidate(i, f"Place number {i}", kind, (lon, lat), font_pt=layout.text.label)
        for i, (lon, lat, kind) in enumerate(points)
    ]
    labels = choose_labels(candidates, layout=layout)
    box = layout.map_box
    top, bottom = layout.height - box.top, layout.height - box.bottom
    for label in labels:
        left, upper, right, lower = label.box
        assert box.left <= left
        assert right <= box.left + box.width
        assert top <= upper
        assert lower <= bottom
    for a, b in itertools.combinations(labels, 2):
        assert not (a.box[0] < b.box[2] and b.box[0] < a.box[2] and a.box[1] < b.box[3] and b.box[1] < a.box[3])


@pytest.mark.parametrize(("name", "pixels_wide", "pixels_high"), [("a4", 3508, 2480), ("a3", 4961, 3508)])
def test_a_paper_size_is_the_page_at_300_dpi(name: str, pixels_wide: int, pixels_high: int) -> None:
    assert ImageSize.paper(name) == ImageSize(pixels_wide, pixels_high, 300.0)
    assert ImageSize.paper("letter", dpi=100) == ImageSize(1100, 850, 100.0)
    with pytest.raises(controlmap.ControlmapError, match="paper: 'b5' is not one of: a4, a3, letter"):
        ImageSize.paper("b5")


def test_a_pdf_on_a4_is_an_a4_page(mini: controlmap.Dataset) -> None:
    pdf = export(controlmap.snapshot(mini, BUSIEST), "pdf", size=ImageSize.paper("a4")).data
    found = re.search(rb"/MediaBox \[ *0 0 ([\d.]+) ([\d.]+) *\]", pdf)
    assert found is not None
    # 297 x 210 mm in points.
    assert abs(float(found.group(1)) - 297 / 25.4 * 72) < 1
    assert abs(float(found.group(2)) - 210 / 25.4 * 72) < 1


def test_the_cli_prints_on_paper(mini_dir: Path, tmp_path: Path) -> None:
    output = tmp_path / "map.png"
    argv = [sys.executable, "-m", "controlmap", "snapshot", "--date", "2016-03-24", "--data", str(mini_dir)]
    done = subprocess.run([*argv, "--paper", "A4", "-o", str(output)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert pixels(output.read_bytes()).shape == (2480, 3508, 3)
    both = subprocess.run(
        [*argv, "--paper", "a4", "--width", "800", "-o", str(tmp_path / "b.png")], capture_output=True, text=True,
        check=False,
    )  # fmt: skip
    assert both.returncode == 2
    assert "give --paper or --width/--height, not both" in both.stderr


def test_names_drawn_once_and_laid_over_each_date_are_the_names_drawn_in_place(
    shipped_snapshot: controlmap.Snapshot,
) -> None:
    """A raster image draws the names once and lays them over each date's map.

    The same pixels, to the rounding of the blend, as drawing the whole figure with them.
    """
    import matplotlib as mpl  # noqa: PLC0415 - the test reads the figure the renderer drew
    import numpy as np  # noqa: PLC0415

    from controlmap.export._mpl import RC  # noqa: PLC0415

    dataset = shipped_snapshot.dataset
    renderer = ImageRenderer(dataset, width=1000, height=750, basemap=load_basemap(GEODATA))
    for day in (dt.date(2014, 6, 20), BUSIEST, dt.date(2018, 1, 1)):
        laid = renderer.rgb(controlmap.snapshot(dataset, day)).astype(int)
        canvas = renderer._canvas
        assert canvas is not None
        assert len(canvas.label_ax.texts) >= 5, "names are drawn"
        with mpl.rc_context(RC):
            canvas.canvas.draw()  # type: ignore[no-untyped-call]  # the whole figure, names in place
        whole = np.asarray(canvas.canvas.buffer_rgba())[:, :, :3].astype(int)  # type: ignore[no-untyped-call]
        assert np.abs(laid - whole).max() <= 3
