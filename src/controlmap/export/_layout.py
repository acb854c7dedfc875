"""Where things go in a static image: bands, map box, legend panel, the map's extent (pure).

The map uses an equirectangular projection at the middle latitude of the places: longitude and latitude
are plotted as they are, and the extent is widened so that one degree of latitude is ``1 / cos(lat)``
times as tall as one degree of longitude is wide. Everything here is computed from the options and the
dataset alone, so a pixel position can be known without drawing anything.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from controlmap.errors import ControlmapError
from controlmap.model import places_bounds

if TYPE_CHECKING:
    from controlmap.model import Dataset

TITLE_PT = 15.0
LEGEND_PT = 9.0
LABEL_PT = 7.0
CREDIT_PT = 7.0
PANEL_PT = 200.0
"""Preferred width of the legend panel, in points."""
PANEL_MAX_SHARE = 0.3
PADDING_SHARE = 0.06
"""Room around the places, as a share of their extent."""
MIN_SPAN_DEGREES = 1.0

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

    def fractions(self, width: int, height: int) -> tuple[float, float, float, float]:
        """The rectangle as figure fractions, for ``Figure.add_axes``."""
        return (self.left / width, self.bottom / height, self.width / width, self.height / height)


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
        Its places decide the map's extent.
    width, height
        The image size in pixels.
    dpi
        Pixels per inch: text and line widths are in points, so a higher DPI draws them larger.
    """
    check_size(width=width, height=height, dpi=dpi)
    scale = dpi / 72.0
    title_band = TITLE_PT * scale * 2.2
    credit_band = CREDIT_PT * scale * 3.4
    margin = 4.0 * scale
    panel_width = min(PANEL_PT * scale, PANEL_MAX_SHARE * width)
    map_box = Box(
        left=margin,
        bottom=credit_band,
        width=max(width - panel_width - 2 * margin, 1.0),
        height=max(height - title_band - credit_band, 1.0),
    )
    panel_box = Box(left=width - panel_width, bottom=credit_band, width=panel_width - margin, height=map_box.height)
    return Layout(
        width=width,
        height=height,
        dpi=dpi,
        map_box=map_box,
        panel_box=panel_box,
        extent=_extent(places_bounds(dataset.places), map_box),
    )


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
