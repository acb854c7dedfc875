"""Which names fit on a static image without overlapping, and where they go (pure).

Names are placed greedily in order of importance: the places (cities first), then the basemap's countries,
cities and waters. A place's name goes beside its circle, on one side or the other; a basemap name is centred
on its point. A name that would overlap a circle or a name already placed, or leave the map, is left out.
Text sizes come from a measure: the canvas measures the text it will draw (exact); without one, the size is
estimated from the character count.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from controlmap.export._layout import REGULAR_EM
from controlmap.style import KIND_PRIORITY, POINT_RADIUS

if TYPE_CHECKING:
    from collections.abc import Callable

    from controlmap.export._layout import Layout

LOOK_PRIORITY = {"place": 0, "country": 1, "capital": 2, "water": 3}
Look = Literal["place", "country", "capital", "water"]
"""How a name is drawn: a place of the data, or the basemap's country, city or water (river, lake)."""
GAP_PT = 1.5
"""Room kept around every name, in points: more than its white halo."""

Rect = tuple[float, float, float, float]
"""Left, top, right, bottom in pixels, rows counted from the image's top."""


@dataclass(frozen=True)
class LabelCandidate:
    """A name that would like to be shown."""

    position: int
    """The place's index in the dataset (a basemap name: its index among the basemap's names)."""
    name: str
    kind: str
    anchor: tuple[float, float]
    """Longitude, latitude of the point, the middle of the line or a point inside the area."""
    font_pt: float
    look: Look = "place"


@dataclass(frozen=True)
class Label:
    """A name that is shown, in map coordinates, with its horizontal alignment and the box it takes."""

    candidate: LabelCandidate
    x: float
    y: float
    ha: Literal["left", "right", "center"]
    box: Rect

    @property
    def name(self) -> str:
        """The text shown."""
        return self.candidate.name

    @property
    def position(self) -> int:
        """The candidate's position."""
        return self.candidate.position


def estimated_size(layout: Layout) -> Callable[[LabelCandidate], tuple[float, float]]:
    """A measure of a name's width and height in pixels from its character count (generous)."""

    def measure(candidate: LabelCandidate) -> tuple[float, float]:
        font_px = layout.px(candidate.font_pt)
        return len(candidate.name) * REGULAR_EM * font_px, font_px * 1.25

    return measure


def choose_labels(
    candidates: list[LabelCandidate],
    *,
    layout: Layout,
    measure: Callable[[LabelCandidate], tuple[float, float]] | None = None,
) -> list[Label]:
    """The names to draw, most important first, none overlapping a circle or another name, none leaving the map.

    Parameters
    ----------
    candidates
        Every name that would like to be shown, places and basemap alike.
    layout
        The image's layout: pixel positions come from it.
    measure
        A name's width and height in pixels as drawn (default: `estimated_size`).
    """
    measure = measure or estimated_size(layout)
    gap = layout.px(GAP_PT)
    box = layout.map_box
    inside: Rect = (box.left, layout.height - box.bottom - box.height, box.left + box.width, layout.height - box.bottom)
    # Names keep clear of every circle, not only of other names.
    taken = [_circle_box(layout, c) for c in candidates if c.look == "place" and c.kind in POINT_RADIUS]
    labels: list[Label] = []
    ordered = sorted(
        candidates, key=lambda c: (LOOK_PRIORITY[c.look], KIND_PRIORITY.get(c.kind, 9), c.name, c.position)
    )
    for candidate in ordered:
        width, height = measure(candidate)
        column, row = layout.position(*candidate.anchor)
        for x, ha in _options(layout, candidate, column, width, gap):
            left = x if ha == "left" else x - width if ha == "right" else x - width / 2
            rect = (left - gap, row - height / 2 - gap, left + width + gap, row + height / 2 + gap)
            fits = inside[0] <= rect[0] and rect[2] <= inside[2] and inside[1] <= rect[1] and rect[3] <= inside[3]
            if fits and not any(_overlap(rect, other) for other in taken):
                taken.append(rect)
                lon, lat = _to_map(layout, x, row)
                labels.append(Label(candidate=candidate, x=lon, y=lat, ha=ha, box=rect))
                break
    return sorted(labels, key=lambda label: (LOOK_PRIORITY[label.candidate.look], label.position))


def _options(
    layout: Layout, candidate: LabelCandidate, column: float, width: float, gap: float
) -> list[tuple[float, Literal["left", "right", "center"]]]:
    if candidate.look == "place" and candidate.kind in POINT_RADIUS:
        radius = layout.px(POINT_RADIUS[candidate.kind] * 0.75)
        return [(column + radius + gap, "left"), (column - radius - gap, "right")]
    return [(column, "center")]


def _circle_box(layout: Layout, candidate: LabelCandidate) -> Rect:
    column, row = layout.position(*candidate.anchor)
    radius = layout.px(POINT_RADIUS[candidate.kind] * 0.75)
    return (column - radius, row - radius, column + radius, row + radius)


def _overlap(a: Rect, b: Rect) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _to_map(layout: Layout, column: float, row: float) -> tuple[float, float]:
    west, east, south, north = layout.extent
    box = layout.map_box
    lon = west + (column - box.left) / box.width * (east - west)
    lat = south + (layout.height - row - box.bottom) / box.height * (north - south)
    return lon, lat
