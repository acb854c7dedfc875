"""The one styling source: how a place looks for its controller and status, in every output (pure).

The app's JavaScript style function, the static images and the data exports all take their colours and
patterns from here. Status is never shown by colour alone: contested places get a dashed ring (or dashed
line) in the attacker's colour, besieged places a thick solid ring in the besieger's colour, unknown places
a pale fill with a dotted outline.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from controlmap.errors import UnknownPaletteError
from controlmap.model import UNKNOWN

if TYPE_CHECKING:
    from collections.abc import Sequence

    from controlmap.model import Dataset

DEFAULT_PALETTE = "default"
OUTLINE = "#333333"
"""Outline of a place held without a fight."""


@dataclass(frozen=True)
class StatusPattern:
    """How a status is drawn, whatever the colours."""

    label: str
    ring: bool
    """Draw the outline in the opponent's colour."""
    stroke_width: float
    """Outline width in CSS pixels (points scale it for print)."""
    dash: str | None
    """SVG dash array of the outline, None for solid."""
    hatch: str | None
    """Matplotlib hatch for areas, None for a plain fill."""
    fill_opacity: float


STATUS_PATTERNS: dict[str, StatusPattern] = {
    "controlled": StatusPattern("Held", ring=False, stroke_width=1.0, dash=None, hatch=None, fill_opacity=0.85),
    "contested": StatusPattern(
        "Contested (fighting inside)", ring=True, stroke_width=3.0, dash="6 4", hatch="///", fill_opacity=0.7
    ),
    "besieged": StatusPattern("Besieged", ring=True, stroke_width=4.0, dash=None, hatch="...", fill_opacity=0.7),
    UNKNOWN: StatusPattern(
        "Unknown (no sourced claim)", ring=False, stroke_width=1.0, dash="2 3", hatch=None, fill_opacity=0.45
    ),
}


@dataclass(frozen=True)
class FeatureStyle:
    """The look of one place at one date."""

    fill: str
    stroke: str
    stroke_width: float
    dash: str | None
    hatch: str | None
    fill_opacity: float


@dataclass(frozen=True)
class Marker:
    """A point to mark on a map: where, its colour, filled or hollow, and its label (plain text)."""

    lat: float
    lon: float
    colour: str
    filled: bool
    label: str


def check_palette(dataset: Dataset, palette: str) -> None:
    """Raise `UnknownPaletteError` unless the dataset has this palette (every output checks it here)."""
    known = [p.id for p in dataset.palettes]
    if palette not in known:
        msg = f"palette: {palette!r} is not one of: {', '.join(known)}"
        raise UnknownPaletteError(msg)


def palette_colours(dataset: Dataset, palette: str = DEFAULT_PALETTE) -> dict[str, str]:
    """Faction id to colour in a palette, plus ``"unknown"``.

    Raises
    ------
    UnknownPaletteError
        When the dataset has no palette with this id (the message names the known ones).
    """
    check_palette(dataset, palette)
    colours = {faction.id: faction.colours[palette] for faction in dataset.factions}
    colours[UNKNOWN] = dataset.unknown_colours[palette]
    return colours


def feature_style(
    controller: str | None, status: str, opponents: Sequence[str], colours: dict[str, str]
) -> FeatureStyle:
    """How a place looks.

    Parameters
    ----------
    controller
        Who holds it, or None when unknown.
    status
        ``controlled``, ``contested``, ``besieged`` or ``unknown``.
    opponents
        Who fights for it or besieges it; the first one colours the ring.
    colours
        From `palette_colours`.
    """
    pattern = STATUS_PATTERNS[status if controller is not None else UNKNOWN]
    fill = colours.get(controller, colours[UNKNOWN]) if controller is not None else colours[UNKNOWN]
    stroke = colours.get(opponents[0], OUTLINE) if pattern.ring and opponents else OUTLINE
    return FeatureStyle(
        fill=fill,
        stroke=stroke,
        stroke_width=pattern.stroke_width,
        dash=pattern.dash,
        hatch=pattern.hatch,
        fill_opacity=pattern.fill_opacity,
    )


def style_spec(dataset: Dataset, palette: str = DEFAULT_PALETTE) -> dict[str, Any]:
    """Everything a browser-side style function needs, as JSON-ready data: colours, patterns, outline."""
    return {
        "palette": palette,
        "colours": palette_colours(dataset, palette),
        "outline": OUTLINE,
        "patterns": {status: asdict(pattern) for status, pattern in STATUS_PATTERNS.items()},
    }


def legend_entries(dataset: Dataset, counts: dict[str, int], palette: str = DEFAULT_PALETTE) -> list[dict[str, Any]]:
    """The legend for a date: the factions present (in legend order) with colour, label and place count."""
    colours = palette_colours(dataset, palette)
    return [
        {"id": f.id, "label": f.label, "short_label": f.short_label, "colour": colours[f.id], "count": counts[f.id]}
        for f in dataset.factions
        if counts.get(f.id, 0) > 0
    ]


@dataclass(frozen=True)
class BasemapStyle:
    """How the basemap under the places looks, the same in the images and in the browser."""

    sea: str
    land: str
    border: str
    border_width: float
    """Country borders, in CSS pixels."""
    water: str
    """Lakes and rivers."""
    river_width: float
    label: str
    water_label: str


BASEMAP_STYLE = BasemapStyle(
    sea="#d4e6f1",
    land="#f4f1ea",
    border="#8c8579",
    border_width=1.0,
    water="#9cc3de",
    river_width=1.5,
    label="#6b655c",
    water_label="#4a7fa6",
)

KIND_PRIORITY = {"city": 0, "region": 1, "town": 2, "river": 3, "village": 4, "landmark": 5, "infrastructure": 6}
"""Which names are shown first when not all fit, in every output: cities, then regions, towns and so on (then
larger populations first)."""
POINT_RADIUS: dict[str, float] = {"city": 7.0, "town": 5.0, "village": 4.0, "landmark": 4.5, "infrastructure": 4.5}
"""Radius of a point place's circle by kind, in CSS pixels."""
LINE_WIDTH = 5.0
"""Width of a line place (a river reach), in CSS pixels; its ring is drawn as a casing around it."""
AREA_OPACITY_SCALE = 0.6
"""Areas are filled lighter than points (fill opacity times this) so the basemap inside them stays visible."""


TERRITORY_RADIUS_KM: dict[str, tuple[float, float, float]] = {
    "city": (20.0, 15.0, 30.0),
    "town": (10.0, 6.0, 15.0),
    "village": (5.0, 3.0, 6.0),
}
"""How far a place's shaded area reaches, by kind: (without a population, least, most) in km. Landmarks and
infrastructure get none (`controlmap.territory`)."""


@dataclass(frozen=True)
class TerritoryStyle:
    """How the derived areas around places are shaded: translucent, so the basemap and the dots stay legible."""

    fill_opacity: float
    """Of an area held without a fight."""
    fought_opacity: float
    """Of an area whose place is contested or besieged (its outline is dashed in the opponent's colour)."""
    stroke_width: float
    note: str
    """What the shading is, for every legend."""


TERRITORY_STYLE = TerritoryStyle(
    fill_opacity=0.3,
    fought_opacity=0.18,
    stroke_width=1.0,
    note=(
        "Shaded: the land nearest each town or city (within 20 km of a city, 10 km of a town), coloured by "
        "that place's holder. Derived from the places' control, not a sourced front line."
    ),
)


def display_spec() -> dict[str, Any]:
    """The look of everything that is not a faction colour, as JSON-ready data: basemap, point and line sizes."""
    return {
        "basemap": asdict(BASEMAP_STYLE),
        "point_radius": dict(POINT_RADIUS),
        "line_width": LINE_WIDTH,
        "area_opacity_scale": AREA_OPACITY_SCALE,
        "territory": asdict(TERRITORY_STYLE),
        "change_mark": asdict(CHANGE_MARK),
        "selection_mark": asdict(SELECTION_MARK),
    }


@dataclass(frozen=True)
class ChangeMark:
    """A ring around a place, drawn over a white casing so it reads on every colour: by pattern, not colour."""

    colour: str
    stroke_width: float
    """Width of the ring's line, in CSS pixels (the white casing is twice as wide)."""
    halo: float
    """How far the ring stands out from a point's circle, in CSS pixels."""
    dash: str | None
    """SVG dash array: dotted for a change, solid for the selected place."""
    opacity: float


CHANGE_MARK = ChangeMark(colour="#111111", stroke_width=2.5, halo=6.0, dash="1 4", opacity=1.0)
"""A place that changed hands between the two dates compared: a dotted dark ring on a white casing, outside
the place's own outline. Contested rings are dashed in a faction's colour and sit on the outline itself, so
the two never read alike, in either palette."""
SELECTION_MARK = ChangeMark(colour="#111111", stroke_width=3.0, halo=10.0, dash=None, opacity=1.0)
"""The selected or searched place: a wide solid dark ring on a white casing, and its name always shown."""
