"""Matplotlib's side of the static images: settings, units, line styles, colours and paths (private).

Shared by `controlmap.export._canvas` (the figure and its places) and `controlmap.export._texts` (its words).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import shapely
from matplotlib import patheffects
from matplotlib.colors import to_rgba
from matplotlib.path import Path as MplPath

if TYPE_CHECKING:
    from matplotlib.typing import LineStyleType, RcKeyType
    from numpy.typing import NDArray
    from shapely.geometry.base import BaseGeometry

PX_TO_PT = 0.75
"""CSS pixels (96 per inch, the unit of the styling source) to points (72 per inch)."""
RC: dict[RcKeyType, Any] = {
    "font.family": "DejaVu Sans",
    "svg.hashsalt": "controlmap",
    "svg.fonttype": "none",
    "hatch.linewidth": 1.0,
    "path.simplify": True,
}
"""Settings applied (with `matplotlib.rc_context`) only while drawing, so the process's settings stay as they are."""
HALO = [patheffects.withStroke(linewidth=2.2, foreground="white")]


def polygon_path(geometry: BaseGeometry) -> MplPath:
    """A fillable path of a Polygon or MultiPolygon, holes wound the other way."""
    vertices: list[NDArray[np.float64]] = []
    codes: list[NDArray[np.uint8]] = []
    for part in shapely.get_parts(geometry):
        oriented = shapely.geometry.polygon.orient(part, 1.0)
        for ring in [oriented.exterior, *oriented.interiors]:
            xy = np.asarray(ring.coords, dtype=float)[:, :2]
            ring_codes = np.full(len(xy), MplPath.LINETO, dtype=np.uint8)
            ring_codes[0] = MplPath.MOVETO
            ring_codes[-1] = MplPath.CLOSEPOLY
            vertices.append(xy)
            codes.append(ring_codes)
    if not vertices:
        return MplPath(np.zeros((0, 2)))
    return MplPath(np.concatenate(vertices), np.concatenate(codes))


def line_segments(geometry: BaseGeometry) -> list[NDArray[np.float64]]:
    """The coordinate arrays of a LineString or MultiLineString."""
    return [np.asarray(part.coords, dtype=float)[:, :2] for part in shapely.get_parts(geometry)]


def dashes(dash: str | None, linewidth_pt: float) -> LineStyleType:
    """A matplotlib line style from an SVG dash array in CSS pixels (matplotlib scales dashes by line width)."""
    if dash is None:
        return "solid"
    width = max(linewidth_pt, 0.1)
    return (0.0, tuple(float(v) * PX_TO_PT / width for v in dash.split()))


def rgba(colour: str, alpha: float = 1.0) -> tuple[float, float, float, float]:
    """A colour with an opacity."""
    return to_rgba(colour, alpha)
