"""Where things go in a static image: bands, map box, legend panel, text sizes, the map's extent (pure).

The map uses an equirectangular projection at the middle latitude of the places: longitude and latitude
are plotted as they are, and the extent is widened so that one degree of latitude is ``1 / cos(lat)``
times as tall as one degree of longitude is wide. Everything here is computed from the options and the
dataset alone, so a pixel position can be known without drawing anything.

Text is sized in points, so a higher DPI draws it larger, but never larger than fits: the title (with the
longest date) within the width, the legend of every faction and status within its panel, the credit and the
place names within a small share of the image. The widths here are estimates from the character count; the
canvas measures what it draws and shrinks any text that still would not fit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from controlmap.errors import ControlmapError
from controlmap.model import STATUSES, UNKNOWN, places_bounds
from controlmap.style import STATUS_PATTERNS

if TYPE_CHECKING:
    from controlmap.model import Dataset

TITLE_PT = 15.0
LEGEND_PT = 9.0
LABEL_PT = 7.5
CREDIT_PT = 7.0
"""The text sizes at their largest; `layout_for` makes them smaller where they would not fit."""
PANEL_MAX_SHARE = 0.3
"""The legend panel takes at most this share of the image's width."""
BOLD_EM, REGULAR_EM = 0.7, 0.62
"""Estimated average width of a character of DejaVu Sans (bold, regular), in ems: a little generous."""
LEGEND_EM = 0.57
"""The same for the legend's lines, mostly lower case: the panel's width follows it, so it is not generous."""
LONGEST_DATE = "30 September 2016"
TITLE_HEIGHT_SHARE = 0.06
CREDIT_HEIGHT_SHARE = 0.025
LABEL_SHARE = 1 / 70
"""A place name's font is at most this share of the image's larger side."""
LEGEND_LINE, LEGEND_SWATCH = 1.75, 1.2
"""A legend entry's line height and its swatch's side, in ems."""
MARGIN_PT = 4.0
PADDING_SHARE = 0.06
"""Room around the places, as a share of their extent."""
MIN_SPAN_DEGREES = 1.0

PATTERN_STATUSES = (*STATUSES[1:], UNKNOWN)
"""The statuses the legend explains with a pattern (held without a fight needs none)."""

MIN_SIZE, MAX_SIZE = 64, 8192
MIN_DPI, MAX_DPI = 20.0, 1200.0


@dataclass(frozen=True)
class ImageLegend:
    """What a legend shows at a date: the factions present and the status patterns present."""

    factions: list[dict[str, Any]]
    """From `controlmap.style.legend_entries`: id, label, short_label, colour, count; legend order."""
    statuses: dict[str, int] = field(default_factory=dict)
    """Status (contested, besieged, unknown) to the number of places in it, only those present."""


@dataclass(frozen=True)
class Box:
    """A rectangle in pixels, measured from the image's bottom-left corner (matplotlib's convention)."""

    left: float
    bottom: float
    width: float
    height: float

    @property
    def top(self) -> float:
        """The top edge, in pixels from the image's bottom."""
        return self.bottom + self.height

    def fractions(self, width: int, height: int) -> tuple[float, float, float, float]:
        """The rectangle as figure fractions, for ``Figure.add_axes``."""
        return (self.left / width, self.bottom / height, self.width / width, self.height / height)


@dataclass(frozen=True)
class TextSizes:
    """The font sizes of an image, in points, after fitting."""

    title: float = TITLE_PT
    legend: float = LEGEND_PT
    label: float = LABEL_PT
    credit: float = CREDIT_PT


@dataclass(frozen=True)
class Layout:
    """The geometry of one image size."""

    width: int
    height: int
    dpi: float
    map_box: Box
    panel_box: Box
    extent: tuple[float, float, float, float]
    """West, east, south, north in degrees: the exact limits of the map box."""
    text: TextSizes = field(default_factory=TextSizes)
    margin: float = 4.0
    """Pixels kept clear at the image's edges."""

    def px(self, points: float) -> float:
        """Points to pixels at this image's DPI."""
        return points * self.dpi / 72.0

    def position(self, lon: float, lat: float) -> tuple[float, float]:
        """The pixel position (column, row from the top) of a longitude/latitude."""
        west, east, south, north = self.extent
        box = self.map_box
        column = box.left + (lon - west) / (east - west) * box.width
        from_bottom = box.bottom + (lat - south) / (north - south) * box.height
        return column, self.height - from_bottom


def check_size(*, width: int, height: int, dpi: float) -> None:
    """Raise `ControlmapError` unless the image size and DPI are usable."""
    for name, value in (("width", width), ("height", height)):
        if not MIN_SIZE <= value <= MAX_SIZE:
            msg = f"{name}: {value} pixels is outside {MIN_SIZE} to {MAX_SIZE}"
            raise ControlmapError(msg)
    if not MIN_DPI <= dpi <= MAX_DPI:
        msg = f"dpi: {dpi:g} is outside {MIN_DPI:g} to {MAX_DPI:g}"
        raise ControlmapError(msg)


def layout_for(dataset: Dataset, *, width: int, height: int, dpi: float) -> Layout:
    """The layout of an image of the dataset's places.

    Parameters
    ----------
    dataset
        Its places decide the map's extent; its title, factions and statuses the room the text needs.
    width, height
        The image size in pixels.
    dpi
        Pixels per inch: text and line widths are in points, so a higher DPI draws them larger (as far as
        it fits).
    """
    check_size(width=width, height=height, dpi=dpi)
    scale = dpi / 72.0
    margin = min(MARGIN_PT * scale, 0.01 * min(width, height))
    title_chars = len(f"{dataset.title} — {LONGEST_DATE}")
    title_pt = min(
        TITLE_PT, (width - 2 * margin) / (title_chars * BOLD_EM * scale), height * TITLE_HEIGHT_SHARE / scale
    )
    # Nothing is set larger than the title.
    credit_pt = min(CREDIT_PT, height * CREDIT_HEIGHT_SHARE / scale, 0.8 * title_pt)
    title_band = title_pt * scale * 2.0 + margin
    credit_band = credit_pt * scale * 2.6 + margin
    map_height = max(height - title_band - credit_band, 1.0)
    legend_pt, legend_ems = _legend_size(dataset, width=width, height=map_height, scale=scale)
    legend_pt = min(legend_pt, title_pt)
    panel_width = legend_ems * legend_pt * scale + 2 * margin
    map_box = Box(
        left=margin,
        bottom=credit_band,
        width=max(width - panel_width - margin, 1.0),
        height=map_height,
    )
    panel_box = Box(
        left=width - panel_width + margin, bottom=credit_band, width=panel_width - 2 * margin, height=map_height
    )
    label_pt = min(LABEL_PT, max(width, height) * LABEL_SHARE / scale, title_pt)
    return Layout(
        width=width,
        height=height,
        dpi=dpi,
        map_box=map_box,
        panel_box=panel_box,
        extent=_extent(places_bounds(dataset.places), map_box),
        text=TextSizes(title=title_pt, legend=legend_pt, label=label_pt, credit=credit_pt),
        margin=margin,
    )


def legend_lines(dataset: Dataset) -> list[str]:
    """Every line the legend of any date could show: headings, each faction and each status with a count."""
    count = f" ({len(dataset.places)})"
    return [
        "Held by (places)",
        *(f.label + count for f in dataset.factions),
        "Status",
        *(STATUS_PATTERNS[s].label + count for s in PATTERN_STATUSES),
    ]


def _legend_size(dataset: Dataset, *, width: float, height: float, scale: float) -> tuple[float, float]:
    """The legend's font size (points) and its panel's width (ems): every line fits, across and down."""
    lines = legend_lines(dataset)
    ems = LEGEND_SWATCH * 1.5 + max(len(line) for line in lines) * LEGEND_EM
    rows = len(lines) + 1.4
    legend_pt = min(LEGEND_PT, PANEL_MAX_SHARE * width / (ems * scale), height / (rows * LEGEND_LINE * scale))
    return legend_pt, ems


def _extent(bounds: tuple[float, float, float, float], box: Box) -> tuple[float, float, float, float]:
    west, south, east, north = bounds
    span_x = max(east - west, MIN_SPAN_DEGREES)
    span_y = max(north - south, MIN_SPAN_DEGREES)
    centre_x, centre_y = (west + east) / 2, (south + north) / 2
    span_x *= 1 + 2 * PADDING_SHARE
    span_y *= 1 + 2 * PADDING_SHARE
    stretch = 1.0 / math.cos(math.radians(centre_y))
    # Widen whichever span is too small for the box, so that the box shows true shapes.
    box_ratio = box.width / box.height
    if span_x / (span_y * stretch) < box_ratio:
        span_x = span_y * stretch * box_ratio
    else:
        span_y = span_x / (stretch * box_ratio)
    return (centre_x - span_x / 2, centre_x + span_x / 2, centre_y - span_y / 2, centre_y + span_y / 2)
