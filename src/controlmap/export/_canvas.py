"""Drawing a dataset with matplotlib: one figure, the basemap drawn once, the places restyled per date.

Private: `controlmap.export.image` and `controlmap.export.timelapse` are the public faces. No pyplot: the figure has
its own Agg canvas, so nothing global changes.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

import matplotlib as mpl
import numpy as np
import shapely
from matplotlib import patheffects
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection, PatchCollection
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.path import Path as MplPath
from PIL import Image

from controlmap.export._labels import LabelCandidate, choose_labels
from controlmap.export._layout import CREDIT_PT, LABEL_PT, LEGEND_PT, TITLE_PT, ImageLegend, Layout
from controlmap.model import POINT_KINDS, UNKNOWN
from controlmap.records import representative_point
from controlmap.style import (
    AREA_OPACITY_SCALE,
    BASEMAP_STYLE,
    LINE_WIDTH,
    OUTLINE,
    POINT_RADIUS,
    STATUS_PATTERNS,
    FeatureStyle,
    feature_style,
    palette_colours,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.text import Text
    from matplotlib.typing import LineStyleType, RcKeyType
    from numpy.typing import NDArray
    from shapely.geometry.base import BaseGeometry

    from controlmap.basemap import Basemap
    from controlmap.model import Dataset
    from controlmap.timeline import Snapshot

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


class MapCanvas:
    """A figure of one dataset at one size and palette; `draw` restyles it for a snapshot.

    Parameters
    ----------
    dataset
        The places; their geometries and labels are laid out once.
    layout
        From `controlmap.export._layout.layout_for`.
    palette
        A palette id of the dataset.
    basemap
        Drawn once, under the places.
    """

    def __init__(self, dataset: Dataset, *, layout: Layout, palette: str, basemap: Basemap) -> None:
        self.dataset = dataset
        self.layout = layout
        self.palette = palette
        self.colours = palette_colours(dataset, palette)
        with mpl.rc_context(RC):
            self.figure = Figure(figsize=(layout.width / layout.dpi, layout.height / layout.dpi), dpi=layout.dpi)
            self.canvas = FigureCanvasAgg(self.figure)
            self.figure.set_facecolor("white")
            self.ax = self._map_axes()
            self.panel = self.figure.add_axes(layout.panel_box.fractions(layout.width, layout.height))
            self.panel.set_axis_off()
            self.panel.set_xlim(0, layout.panel_box.width)
            self.panel.set_ylim(0, layout.panel_box.height)
            self._draw_basemap(basemap)
            self._make_place_artists()
            self._draw_labels(basemap)
            self.title = self.figure.text(
                layout.px(6) / layout.width, 1 - layout.px(TITLE_PT * 1.5) / layout.height, "",
                fontsize=TITLE_PT, fontweight="bold", va="baseline", parse_math=False,
            )  # fmt: skip
            self.credit = self.figure.text(
                layout.px(6) / layout.width, layout.px(CREDIT_PT * 0.8) / layout.height, "",
                fontsize=CREDIT_PT, color="#444444", va="bottom", linespacing=1.3, parse_math=False,
            )  # fmt: skip
        self._legend_artists: list[Any] = []

    def _map_axes(self) -> Axes:
        layout = self.layout
        ax = self.figure.add_axes(layout.map_box.fractions(layout.width, layout.height))
        west, east, south, north = layout.extent
        ax.set_xlim(west, east)
        ax.set_ylim(south, north)
        ax.set_aspect("auto")
        ax.set_facecolor(BASEMAP_STYLE.sea)
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set_edgecolor("#999999")
            spine.set_linewidth(0.6)
        return ax

    def _draw_basemap(self, basemap: Basemap) -> None:
        style = BASEMAP_STYLE
        countries = [_shape_path(f) for f in basemap.layer("countries")["features"]]
        borders = style.border_width * PX_TO_PT
        self.ax.add_collection(
            PatchCollection(
                [PathPatch(p) for p in countries],
                facecolor=style.land,
                edgecolor=style.border,
                linewidth=borders,
                zorder=1,
            )
        )
        lakes = [_shape_path(f) for f in basemap.layer("lakes")["features"]]
        self.ax.add_collection(
            PatchCollection([PathPatch(p) for p in lakes], facecolor=style.water, edgecolor="none", zorder=2)
        )
        rivers = [
            segment
            for feature in basemap.layer("rivers")["features"]
            for segment in line_segments(shapely.geometry.shape(feature["geometry"]))
        ]
        self.ax.add_collection(
            LineCollection(rivers, colors=style.water, linewidths=style.river_width * PX_TO_PT, zorder=3)
        )

    def _make_place_artists(self) -> None:
        self.region_patches: dict[int, PathPatch] = {}
        self.line_artists: dict[int, tuple[LineCollection, LineCollection]] = {}
        point_positions: list[int] = []
        for position, place in enumerate(self.dataset.places):
            if place.kind == "region":
                patch = PathPatch(polygon_path(place.geometry), zorder=4)
                self.ax.add_patch(patch)
                self.region_patches[position] = patch
            elif place.kind == "river":
                segments = line_segments(place.geometry)
                casing = LineCollection(segments, zorder=5, capstyle="butt", joinstyle="round")
                core = LineCollection(segments, zorder=6, capstyle="butt", joinstyle="round")
                self.ax.add_collection(casing)
                self.ax.add_collection(core)
                self.line_artists[position] = (casing, core)
            elif place.kind in POINT_KINDS:
                point_positions.append(position)
        # Larger circles first, so that a town beside a city stays visible.
        point_positions.sort(key=lambda p: -POINT_RADIUS[self.dataset.places[p].kind])
        self.point_positions = np.array(point_positions, dtype=np.int64)
        xy = np.array([self._point_xy(p) for p in point_positions], dtype=float).reshape(-1, 2)
        radii = np.array([POINT_RADIUS[self.dataset.places[p].kind] for p in point_positions], dtype=float)
        self.points = self.ax.scatter(xy[:, 0], xy[:, 1], s=(2 * radii * PX_TO_PT) ** 2, zorder=7)

    def _point_xy(self, position: int) -> tuple[float, float]:
        geometry = self.dataset.places[position].geometry
        return float(geometry.x), float(geometry.y)

    def _draw_labels(self, basemap: Basemap) -> None:
        layout = self.layout
        place_names = {place.name for place in self.dataset.places}
        for feature in basemap.layer("labels")["features"]:
            props = feature.get("properties") or {}
            kind, name = props.get("kind"), props.get("name")
            if not name or (kind == "city" and name in place_names):
                continue
            lon, lat = feature["geometry"]["coordinates"][:2]
            west, east, south, north = layout.extent
            if not (west <= lon <= east and south <= lat <= north):
                continue
            water = kind == "water"
            country = kind == "country"
            self.ax.text(
                lon, lat, name.upper() if country else name, fontsize=LABEL_PT * (1.1 if country else 0.9),
                color=BASEMAP_STYLE.water_label if water else BASEMAP_STYLE.label, ha="center", va="center",
                style="italic" if water else "normal", alpha=0.9, zorder=8, clip_on=True, parse_math=False,
            )  # fmt: skip
        candidates = [
            LabelCandidate(position=i, name=place.name, kind=place.kind, anchor=representative_point(place.geometry))
            for i, place in enumerate(self.dataset.places)
        ]
        for label in choose_labels(candidates, layout=layout, font_pt=LABEL_PT):
            self.ax.text(
                label.x, label.y, label.name, fontsize=LABEL_PT, ha=label.ha, va="center", color="#222222",
                zorder=9, clip_on=True, path_effects=HALO, parse_math=False,
            )  # fmt: skip

    def draw(self, snap: Snapshot, *, title: str, credit: str, legend: ImageLegend) -> None:
        """Restyle the places for a snapshot and set the title, credit and legend."""
        looks = [self._look(snap, position) for position in range(len(self.dataset.places))]
        styles = [style for style, _ in looks]
        with mpl.rc_context(RC):
            for position, patch in self.region_patches.items():
                style = styles[position]
                width = style.stroke_width * PX_TO_PT
                patch.set_facecolor(rgba(style.fill, style.fill_opacity * AREA_OPACITY_SCALE))
                patch.set_edgecolor(style.stroke)
                patch.set_linewidth(width)
                patch.set_linestyle(dashes(style.dash, width))
                patch.set_hatch(style.hatch or "")
                patch.set_hatchcolor(style.stroke)
            for position, (casing, core) in self.line_artists.items():
                # A line's ring is a casing around it, in the ring's dash; any other dash goes to the line.
                style, ring = looks[position]
                casing_width = (LINE_WIDTH + 2 * style.stroke_width) * PX_TO_PT
                casing.set_visible(ring)
                casing.set_color(style.stroke)
                casing.set_linewidth(casing_width)
                casing.set_linestyle(dashes(style.dash, casing_width))
                core_width = LINE_WIDTH * PX_TO_PT
                core.set_color(style.fill)
                core.set_linewidth(core_width)
                core.set_linestyle(dashes(None if ring else style.dash, core_width))
            point_styles = [styles[p] for p in self.point_positions]
            widths = [s.stroke_width * PX_TO_PT for s in point_styles]
            self.points.set_facecolor([rgba(s.fill, s.fill_opacity) for s in point_styles])
            self.points.set_edgecolor([s.stroke for s in point_styles])
            self.points.set_linewidth(widths)
            self.points.set_linestyle([dashes(s.dash, w) for s, w in zip(point_styles, widths, strict=True)])
            self.title.set_text(title)
            self.credit.set_text(credit)
            self._draw_legend(legend)

    def _look(self, snap: Snapshot, position: int) -> tuple[FeatureStyle, bool]:
        """The style of a place from the one styling source, and whether its status draws a ring."""
        period = snap.period(position)
        if period is None:
            return feature_style(None, UNKNOWN, (), self.colours), False
        style = feature_style(period.controller, period.status, period.opponents, self.colours)
        return style, STATUS_PATTERNS[period.status].ring

    def _draw_legend(self, legend: ImageLegend) -> None:
        for artist in self._legend_artists:
            artist.remove()
        self._legend_artists = []
        layout = self.layout
        line = layout.px(LEGEND_PT * 1.75)
        swatch = layout.px(LEGEND_PT * 1.2)
        y = layout.panel_box.height - line

        def heading(text: str) -> None:
            nonlocal y
            self._legend_artists.append(
                self.panel.text(0, y, text, fontsize=LEGEND_PT, fontweight="bold", va="center", parse_math=False)
            )
            y -= line

        def entry(text: str, patch: Rectangle) -> None:
            nonlocal y
            patch.set_xy((0, y - swatch / 2))
            self.panel.add_patch(patch)
            label: Text = self.panel.text(
                swatch * 1.5, y, text, fontsize=LEGEND_PT, va="center", parse_math=False, wrap=False
            )
            self._legend_artists.extend([patch, label])
            y -= line

        heading("Held by (places)")
        for faction in legend.factions:
            rectangle = Rectangle((0, 0), swatch, swatch, facecolor=faction["colour"], edgecolor=OUTLINE, linewidth=0.5)
            entry(f"{faction['label']} ({faction['count']})", rectangle)
        if legend.statuses:
            y -= line * 0.4
            heading("Status")
            for status, count in legend.statuses.items():
                pattern = STATUS_PATTERNS[status]
                fill = self.colours[UNKNOWN] if status == UNKNOWN else BASEMAP_STYLE.land
                width = min(pattern.stroke_width, 2.0) * PX_TO_PT
                rectangle = Rectangle(
                    (0, 0), swatch, swatch, facecolor=rgba(fill, pattern.fill_opacity), edgecolor=OUTLINE,
                    linewidth=width, linestyle=dashes(pattern.dash, width), hatch=pattern.hatch,
                )  # fmt: skip
                entry(f"{pattern.label} ({count})", rectangle)

    def rgb(self) -> NDArray[np.uint8]:
        """The current image as an array of shape (height, width, 3)."""
        with mpl.rc_context(RC):
            self.canvas.draw()  # type: ignore[no-untyped-call]  # untyped in matplotlib's stubs
        return np.asarray(self.canvas.buffer_rgba())[:, :, :3].copy()  # type: ignore[no-untyped-call]

    def png(self) -> bytes:
        """The current image as PNG bytes, without timestamps or software names."""
        buffer = io.BytesIO()
        dpi = round(self.layout.dpi)
        Image.fromarray(self.rgb(), mode="RGB").save(buffer, format="PNG", dpi=(dpi, dpi))
        return buffer.getvalue()

    def vector(self, fmt: str) -> bytes:
        """The current image as SVG or PDF bytes, the same for the same input."""
        buffer = io.BytesIO()
        metadata: dict[str, str | None] = {"Date": None, "Creator": None}
        if fmt == "pdf":
            metadata = {"CreationDate": None, "ModDate": None, "Creator": None, "Producer": None}
        with mpl.rc_context(RC):
            self.figure.savefig(buffer, format=fmt, dpi=self.layout.dpi, metadata=metadata)
        return buffer.getvalue()


def _shape_path(feature: dict[str, Any]) -> MplPath:
    return polygon_path(shapely.geometry.shape(feature["geometry"]))
