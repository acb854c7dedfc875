"""Which place names fit on a static image without overlapping, and where they go (pure).

Names are placed greedily in order of importance (cities first); a name that would overlap one already
placed, or leave the map, is tried on the other side of its point and otherwise left out. Text widths are
estimated from the character count, which is enough to keep names apart and is the same on every machine.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from controlmap.style import KIND_PRIORITY, POINT_RADIUS

if TYPE_CHECKING:
    from controlmap.export._layout import Layout

CHARACTER_WIDTH_EM = 0.58
"""Average width of a DejaVu Sans character, in ems (a little generous)."""
GAP_PX = 3.0


@dataclass(frozen=True)
class LabelCandidate:
    """A place name that would like to be shown."""

    position: int
    name: str
    kind: str
    anchor: tuple[float, float]
    """Longitude, latitude of the point, the middle of the line or a point inside the area."""


@dataclass(frozen=True)
class Label:
    """A place name that is shown, in map coordinates, with its horizontal alignment."""

    position: int
    name: str
    x: float
    y: float
    ha: Literal["left", "right", "center"]


def choose_labels(candidates: list[LabelCandidate], *, layout: Layout, font_pt: float) -> list[Label]:
    """The labels to draw, most important first, none overlapping another or leaving the map.

    Parameters
    ----------
    candidates
        Every place's name and anchor.
    layout
        The image's layout: pixel positions and sizes come from it.
    font_pt
        The label font size.
    """
    font_px = layout.px(font_pt)
    height = font_px * 1.2
    box = layout.map_box
    map_left, map_right = box.left, box.left + box.width
    map_top, map_bottom = layout.height - box.bottom - box.height, layout.height - box.bottom
    # Names keep clear of every circle, not only of other names.
    taken = [_circle_box(layout, c) for c in candidates if c.kind in POINT_RADIUS]
    labels: list[Label] = []
    ordered = sorted(candidates, key=lambda c: (KIND_PRIORITY.get(c.kind, 9), c.name, c.position))
    for candidate in ordered:
        column, row = layout.position(*candidate.anchor)
        width = len(candidate.name) * CHARACTER_WIDTH_EM * font_px
        radius = layout.px(POINT_RADIUS.get(candidate.kind, 0.0) * 0.75)
        options: list[tuple[float, Literal["left", "right", "center"]]]
        if candidate.kind in POINT_RADIUS:
            options = [(column + radius + GAP_PX, "left"), (column - radius - GAP_PX, "right")]
        else:
            options = [(column, "center")]
        for x, ha in options:
            left = x if ha == "left" else x - width if ha == "right" else x - width / 2
            rect = (left, row - height / 2, left + width, row + height / 2)
            inside = map_left <= rect[0] and rect[2] <= map_right and map_top <= rect[1] and rect[3] <= map_bottom
            if inside and not any(_overlap(rect, other) for other in taken):
                taken.append(rect)
                lon, lat = _to_map(layout, x, row)
                labels.append(Label(position=candidate.position, name=candidate.name, x=lon, y=lat, ha=ha))
                break
    return sorted(labels, key=lambda label: label.position)


def _circle_box(layout: Layout, candidate: LabelCandidate) -> tuple[float, float, float, float]:
    column, row = layout.position(*candidate.anchor)
    radius = layout.px(POINT_RADIUS[candidate.kind] * 0.75)
    return (column - radius, row - radius, column + radius, row + radius)


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _to_map(layout: Layout, column: float, row: float) -> tuple[float, float]:
    west, east, south, north = layout.extent
    box = layout.map_box
    lon = west + (column - box.left) / box.width * (east - west)
    lat = south + (layout.height - row - box.bottom) / box.height * (north - south)
    return lon, lat
