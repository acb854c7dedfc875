"""Drawing a dataset with matplotlib: one figure, the basemap drawn once, the places restyled per date.

Private: `controlmap.export.image` and `controlmap.export.timelapse` are the public faces. No pyplot: the figure has
its own Agg canvas, so nothing global changes.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import matplotlib as mpl
import numpy as np
import shapely
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection, PatchCollection
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch
from PIL import Image

from controlmap.basemap import country_outlines
from controlmap.export._mpl import PX_TO_PT, RC, dashes, line_segments, polygon_path, rgba
from controlmap.export._texts import LegendPanel, draw_labels, fit_text, label_candidates
from controlmap.model import POINT_KINDS, UNKNOWN
from controlmap.style import (
    AREA_OPACITY_SCALE,
    BASEMAP_STYLE,
    LINE_WIDTH,
    POINT_RADIUS,
    STATUS_PATTERNS,
    TERRITORY_STYLE,
    FeatureStyle,
    feature_style,
    palette_colours,
)
from controlmap.territory import dataset_territory

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.path import Path as MplPath
    from matplotlib.transforms import Bbox
    from numpy.typing import NDArray

    from controlmap.basemap import Basemap
    from controlmap.export._labels import Label
    from controlmap.export._layout import ImageLegend, Layout
    from controlmap.model import Dataset
    from controlmap.timeline import Snapshot


@dataclass(frozen=True)
class DrawnTexts:
    """Where the words of an image were drawn, as boxes in pixels from its bottom-left corner."""

    title: Bbox
    credit: Bbox
    legend: list[Bbox]
    labels: list[Bbox]
    """The place and basemap names, as drawn."""


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
            self._make_territory(basemap)
            self._make_place_artists()
            self.renderer = self.canvas.get_renderer()  # type: ignore[no-untyped-call]  # untyped in matplotlib's stubs
            # The names on axes of their own over the map's: they do not change from date to date, so a
            # raster image draws them once and lays them over each date's map (see `rgb`).
            self.label_ax = self._label_axes()
            self.labels: list[Label] = draw_labels(
                self.label_ax, label_candidates(dataset, basemap, layout), layout=layout, renderer=self.renderer
            )
            self._names: NDArray[np.uint8] | None = None
            title_band = layout.height - layout.map_box.bottom - layout.map_box.height
            self.title = self.figure.text(
                layout.margin / layout.width, 1 - title_band / 2 / layout.height, "", fontsize=layout.text.title,
                fontweight="bold", va="center", parse_math=False,
            )  # fmt: skip
            self.credit = self.figure.text(
                layout.margin / layout.width, layout.map_box.bottom / 2 / layout.height, "",
                fontsize=layout.text.credit, color="#444444", va="center", parse_math=False,
            )  # fmt: skip
            self.legend = LegendPanel(
                self.panel, layout=layout, colours=self.colours, territory=bool(self.territory_positions)
            )

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

    def _label_axes(self) -> Axes:
        """Transparent axes on the map's, with its limits, drawn above it."""
        ax = self.figure.add_axes(self.layout.map_box.fractions(self.layout.width, self.layout.height))
        ax.set_xlim(self.ax.get_xlim())
        ax.set_ylim(self.ax.get_ylim())
        ax.set_aspect("auto")
        ax.set_axis_off()
        ax.set_zorder(self.ax.get_zorder() + 1)
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

    def _make_territory(self, basemap: Basemap) -> None:
        """The land around each town and city (`controlmap.territory`), restyled per date by its holder."""
        cells = dataset_territory(self.dataset, country_outlines(basemap))
        self.territory_positions = [i for i, cell in enumerate(cells) if cell is not None]
        patches = [PathPatch(polygon_path(cells[i])) for i in self.territory_positions]
        self.territory = PatchCollection(patches, zorder=3.5, match_original=False)
        self.ax.add_collection(self.territory)

    def _draw_territory(self, looks: list[tuple[FeatureStyle, bool]], known: list[bool]) -> None:
        shade = TERRITORY_STYLE
        faces, edges, styles = [], [], []
        width = shade.stroke_width * PX_TO_PT
        for i in self.territory_positions:
            style, fought = looks[i]
            opacity = (shade.fought_opacity if fought else shade.fill_opacity) if known[i] else 0.0
            faces.append(rgba(style.fill, opacity))
            edges.append(rgba(style.stroke if fought else style.fill, 0.6 if known[i] else 0.0))
            styles.append(dashes(style.dash if fought else None, width))
        self.territory.set_facecolor(faces)
        self.territory.set_edgecolor(edges)
        self.territory.set_linewidth(width)
        self.territory.set_linestyle(styles)

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

    def draw(self, snap: Snapshot, *, title: str, credit: str, legend: ImageLegend) -> None:
        """Restyle the places for a snapshot and set the title, credit and legend."""
        looks = [self._look(snap, position) for position in range(len(self.dataset.places))]
        styles = [style for style, _ in looks]
        with mpl.rc_context(RC):
            self._draw_territory(looks, [snap.period(i) is not None for i in range(len(looks))])
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
            self._set_texts(title=title, credit=credit, legend=legend)

    def _set_texts(self, *, title: str, credit: str, legend: ImageLegend) -> None:
        """The title, the credit and the legend, each shrunk until it fits its band or panel."""
        layout = self.layout
        room = layout.width - 2 * layout.margin
        self.title.set_text(title)
        self.title.set_fontsize(layout.text.title)
        fit_text(self.title, self.renderer, width=room, height=layout.height - layout.map_box.top)
        self.credit.set_text(credit)
        self.credit.set_fontsize(layout.text.credit)
        fit_text(self.credit, self.renderer, width=room, height=layout.map_box.bottom)
        self.legend.draw(legend, self.renderer)

    def drawn_texts(self) -> DrawnTexts:
        """Where the title, credit, legend and names are drawn now (after `draw`)."""
        with mpl.rc_context(RC):
            self.canvas.draw()  # type: ignore[no-untyped-call]  # untyped in matplotlib's stubs
            return DrawnTexts(
                title=self.title.get_window_extent(self.renderer),
                credit=self.credit.get_window_extent(self.renderer),
                legend=[artist.get_window_extent(self.renderer) for artist in self.legend.artists],
                labels=[text.get_window_extent(self.renderer) for text in self.label_ax.texts],
            )

    def _look(self, snap: Snapshot, position: int) -> tuple[FeatureStyle, bool]:
        """The style of a place from the one styling source, and whether its status draws a ring."""
        period = snap.period(position)
        if period is None:
            return feature_style(None, UNKNOWN, (), self.colours), False
        style = feature_style(period.controller, period.status, period.opponents, self.colours)
        return style, STATUS_PATTERNS[period.status].ring

    def rgb(self) -> NDArray[np.uint8]:
        """The current image as an array of shape (height, width, 3).

        The names, the same at every date, are drawn alone once and laid over each date's map: a timelapse
        draws its hundreds of haloed names once, not once a frame.
        """
        names = self._names if self._names is not None else self._names_alone()
        with mpl.rc_context(RC):
            self.label_ax.set_visible(False)
            try:
                self.canvas.draw()  # type: ignore[no-untyped-call]  # untyped in matplotlib's stubs
            finally:
                self.label_ax.set_visible(True)
        under = np.asarray(self.canvas.buffer_rgba())[:, :, :3].astype(np.float32)  # type: ignore[no-untyped-call]
        alpha = names[:, :, 3:4].astype(np.float32) / 255.0
        over = names[:, :, :3].astype(np.float32)
        laid: NDArray[np.uint8] = np.rint(under * (1.0 - alpha) + over * alpha).astype(np.uint8)
        return laid

    def _names_alone(self) -> NDArray[np.uint8]:
        """The names on a transparent image of the figure's size (drawn once, kept)."""
        others = [artist for artist in self.figure.get_children() if artist is not self.label_ax]
        shown = [artist.get_visible() for artist in others]
        with mpl.rc_context(RC):
            for artist in others:
                artist.set_visible(False)
            try:
                self.canvas.draw()  # type: ignore[no-untyped-call]  # untyped in matplotlib's stubs
                names = np.asarray(self.canvas.buffer_rgba()).copy()  # type: ignore[no-untyped-call]
            finally:
                for artist, visible in zip(others, shown, strict=True):
                    artist.set_visible(visible)
        self._names = names
        return names

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
