"""The words on a static image: the place and basemap names, the title, the legend and the credit line.

Private to `controlmap.export._canvas`. Every text is measured as matplotlib draws it: the names are chosen so
that none overlaps another or a circle (`controlmap.export._labels`), and the title, legend and credit shrink
until they fit their band or panel, whatever the image's size and DPI.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, Any

from matplotlib.patches import Rectangle
from matplotlib.text import Text

from controlmap.export._labels import Label, LabelCandidate, Look, choose_labels
from controlmap.export._layout import LEGEND_LINE, LEGEND_SWATCH
from controlmap.export._mpl import HALO, PX_TO_PT, dashes, rgba
from controlmap.model import UNKNOWN
from controlmap.records import representative_point
from controlmap.style import BASEMAP_STYLE, OUTLINE, STATUS_PATTERNS

if TYPE_CHECKING:
    from collections.abc import Callable

    from matplotlib.artist import Artist
    from matplotlib.axes import Axes
    from matplotlib.backend_bases import RendererBase
    from matplotlib.figure import Figure

    from controlmap.basemap import Basemap
    from controlmap.export._layout import ImageLegend, Layout
    from controlmap.model import Dataset

TERRITORY_NOTE = (
    "Shaded: the land nearest each town or city, in its holder's colour (derived, not a sourced front line)"
)
"""What the legend says of the shaded land, when the image has any."""
SHRINK_STEPS = 4
"""Times a text is measured and shrunk at most (each step scales it by what it overflows)."""
_LOOK_STYLE: dict[str, dict[str, Any]] = {
    "place": {"color": "#222222", "zorder": 9, "path_effects": HALO},
    "country": {"color": BASEMAP_STYLE.label, "zorder": 8, "alpha": 0.9},
    "capital": {"color": BASEMAP_STYLE.label, "zorder": 8, "alpha": 0.9},
    "water": {"color": BASEMAP_STYLE.water_label, "zorder": 8, "alpha": 0.9, "style": "italic"},
}


def label_candidates(dataset: Dataset, basemap: Basemap, layout: Layout) -> list[LabelCandidate]:
    """Every place's name, and the basemap's names (countries in capitals) but a city the data has as a place."""
    font = layout.text.label
    candidates = [
        LabelCandidate(i, place.name, place.kind, representative_point(place.geometry), font)
        for i, place in enumerate(dataset.places)
    ]
    place_names = {place.name for place in dataset.places}
    west, east, south, north = layout.extent
    for i, feature in enumerate(basemap.layer("labels")["features"]):
        props = feature.get("properties") or {}
        kind, name = props.get("kind"), props.get("name")
        lon, lat = feature["geometry"]["coordinates"][:2]
        if not name or (kind == "city" and name in place_names) or not (west <= lon <= east and south <= lat <= north):
            continue
        if kind == "country":
            candidates.append(LabelCandidate(i, str(name).upper(), "country", (lon, lat), font * 1.1, "country"))
        else:
            look: Look = "water" if kind == "water" else "capital"
            candidates.append(LabelCandidate(i, str(name), str(kind), (lon, lat), font * 0.9, look))
    return candidates


def _label_text(candidate: LabelCandidate, x: float, y: float, ha: str) -> Text:
    return Text(
        x, y, candidate.name, fontsize=candidate.font_pt, ha=ha, va="center", clip_on=True, parse_math=False,
        **_LOOK_STYLE[candidate.look],
    )  # fmt: skip


def text_measure(figure: Figure, renderer: RendererBase) -> Callable[[LabelCandidate], tuple[float, float]]:
    """A name's width and height in pixels, as this figure draws it."""

    def measure(candidate: LabelCandidate) -> tuple[float, float]:
        text = _label_text(candidate, 0.0, 0.0, "left")
        text.set_figure(figure)
        box = text.get_window_extent(renderer)
        return float(box.width), float(box.height)

    return measure


def draw_labels(ax: Axes, candidates: list[LabelCandidate], *, layout: Layout, renderer: RendererBase) -> list[Label]:
    """Draw the names that fit, none overlapping another or a circle; the names drawn."""
    figure = ax.get_figure(root=True)
    assert figure is not None  # the axes are the canvas's
    labels = choose_labels(candidates, layout=layout, measure=text_measure(figure, renderer))
    for label in labels:
        ax.add_artist(_label_text(label.candidate, label.x, label.y, label.ha))
    return labels


def fit_text(text: Text, renderer: RendererBase, *, width: float, height: float) -> None:
    """Shrink a text until it is at most ``width`` by ``height`` pixels."""
    for _ in range(SHRINK_STEPS):
        box = text.get_window_extent(renderer)
        factor = min(1.0, width / max(box.width, 1e-9), height / max(box.height, 1e-9))
        if factor >= 1.0:
            return
        text.set_fontsize(float(text.get_fontsize()) * factor * 0.98)


class LegendPanel:
    """The legend in its panel: redrawn for every snapshot, shrunk until every line fits the panel."""

    def __init__(self, panel: Axes, *, layout: Layout, colours: dict[str, str], territory: bool = False) -> None:
        self.panel = panel
        self.territory = territory
        self.layout = layout
        self.colours = colours
        self.artists: list[Artist] = []

    def draw(self, legend: ImageLegend, renderer: RendererBase) -> None:
        """Draw the legend at the layout's size, then smaller while it overflows the panel."""
        box = self.layout.panel_box
        font = self.layout.text.legend
        for _ in range(SHRINK_STEPS):
            self._draw(legend, font)
            # The lowest swatch and the widest line, in the panel's pixels (its origin at its bottom left).
            extents = [artist.get_window_extent(renderer) for artist in self.artists]
            left = self.layout.panel_box.left
            right = max(e.x1 for e in extents) - left
            bottom = min(e.y0 for e in extents) - box.bottom
            factor = min(1.0, box.width / max(right, 1e-9), box.height / max(box.height - bottom, 1e-9))
            if factor >= 1.0:
                return
            font *= factor * 0.98

    def _draw(self, legend: ImageLegend, font: float) -> None:
        for artist in self.artists:
            artist.remove()
        self.artists = []
        line = self.layout.px(font * LEGEND_LINE)
        swatch = self.layout.px(font * LEGEND_SWATCH)
        y = self.layout.panel_box.height - line / 2

        def heading(text: str) -> None:
            nonlocal y
            self.artists.append(
                self.panel.text(0, y, text, fontsize=font, fontweight="bold", va="center", parse_math=False)
            )
            y -= line

        def entry(text: str, patch: Rectangle) -> None:
            nonlocal y
            patch.set_xy((0, y - swatch / 2))
            self.panel.add_patch(patch)
            label = self.panel.text(swatch * 1.5, y, text, fontsize=font, va="center", parse_math=False, wrap=False)
            self.artists.extend([patch, label])
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
        if self.territory:
            y -= line * 0.4
            size = font * 0.85
            columns = max(12, int(self.layout.panel_box.width / (self.layout.px(size) * 0.55)))
            note = self.panel.text(
                0, y, "\n".join(textwrap.wrap(TERRITORY_NOTE, columns)), fontsize=size, va="top",
                color="#444444", parse_math=False,
            )  # fmt: skip
            self.artists.append(note)
