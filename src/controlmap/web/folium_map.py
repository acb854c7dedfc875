"""The base map, built by folium: the offline vector basemap, its panes and controls, fitted to the places.

The base map does not depend on the date: `build_base_map` makes it and `map_parts` gives its script, which
the app's map component and the HTML export both run before the time engine (`controlmap.web.engine`) puts
the places on it. `marker_map` is a small map of markers (the article page's claims).

Nothing here reaches the network: Leaflet comes from the URLs the caller passes (a local server or
``data:`` URIs), folium's other default assets (jQuery, Bootstrap, Font Awesome, awesome-markers) are
dropped from each map instance, and there are no tiles unless asked for.
"""

from __future__ import annotations

import hashlib
import html
import json
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

import folium
from branca.element import Element, Figure, MacroElement
from folium.template import Template

from controlmap import model
from controlmap._resources import packaged_text
from controlmap.basemap import CREDIT, LAYERS, MAP_BOUNDS
from controlmap.style import (
    BASEMAP_STYLE,
)
from controlmap.web._script import json_for_script
from controlmap.web.popups import popup_css

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from controlmap.basemap import Basemap
    from controlmap.model import Dataset
    from controlmap.style import Marker

Bounds = tuple[tuple[float, float], tuple[float, float]]
"""``((south, west), (north, east))`` in degrees."""

ONLINE_TILES_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
ONLINE_TILES_ATTRIBUTION = "&copy; OpenStreetMap contributors"


class _RawScriptMixin(MacroElement):
    """Adds its script to the page as it is.

    branca would wrap it in an `Element`, compiling the whole text (the data too) as a Jinja template on
    every render: slow for a large layer, and it would read ``{{`` in a place's note as Jinja.
    """

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]  # as MacroElement.render: returns nothing
        """Add the script to the figure's scripts, untouched."""
        figure = self.get_root()
        if isinstance(figure, Figure):
            figure.script.add_child(_RawText(self._template.module.script(self, kwargs)), name=self.get_name())


class _ScriptLayer(_RawScriptMixin):
    """A Leaflet layer made by a JavaScript expression (text prepared once), added to its parent."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = {{ this.expression }};
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, expression: str, *, name: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # branca's constructors are unannotated
        self._name = name
        self.expression = expression


class _MapScript(_RawScriptMixin):
    """JavaScript run once with the map as ``map``."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) { {{ this.body }} })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, body: str, *, name: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # branca's constructors are unannotated
        self._name = name
        self.body = body


class _RawText(Element):
    """Text added to a page as it is, never read as a template."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, **kwargs: Any) -> str:
        """The text."""
        return self.text


def _geojson_layer(data_js: str, options: dict[str, str]) -> str:
    body = ", ".join(f"{key}: {value}" for key, value in options.items())
    return f"L.geoJSON({data_js}, {{{body}}})"


def _fetched_geojson_layer(url: str, options: dict[str, str]) -> str:
    return f"({_script_file('fetched_layer.js')})({_geojson_layer('null', options)}, {json_for_script(url)})"


_PANES = {"countries": 310, "lakes": 320, "rivers": 330, "labels": 450}


def basemap_js(basemap: Basemap) -> dict[str, str]:
    """Each basemap layer's GeoJSON as script-safe JSON text, to draw it inline (see `build_base_map`)."""
    return {name: json_for_script(basemap.layer(name)) for name in LAYERS}


def basemap_files(basemap: Basemap) -> dict[str, str]:
    """Each basemap layer as GeoJSON text, to serve as files the map fetches (see `build_base_map`)."""
    return {name: json.dumps(basemap.layer(name), ensure_ascii=False, separators=(",", ":")) for name in LAYERS}


def leaflet_bounds(bounds: model.Bounds, *, pad: float = 0.0) -> Bounds:
    """A ``(west, south, east, north)`` box in Leaflet's ``((south, west), (north, east))``, padded in degrees."""
    west, south, east, north = bounds
    return ((south - pad, west - pad), (north + pad, east + pad))


def places_bounds(dataset: Dataset, *, pad: float = 0.3) -> Bounds:
    """The box around every place (the whole region when there is none), padded by ``pad`` degrees."""
    return leaflet_bounds(model.places_bounds(dataset.places), pad=pad)


def _basemap_styles() -> dict[str, dict[str, Any]]:
    b = BASEMAP_STYLE
    return {
        "countries": {"color": b.border, "weight": b.border_width, "fillColor": b.land, "fillOpacity": 1.0},
        "lakes": {"color": b.water, "weight": 0.5, "fillColor": b.water, "fillOpacity": 1.0},
        "rivers": {"color": b.water, "weight": b.river_width, "fill": False},
    }


def map_css() -> str:
    """The styles of the page inside the map frame: sea, labels, tooltips and popups."""
    b = BASEMAP_STYLE
    return (
        f".leaflet-container {{ background: {b.sea}; }}\n"
        f".cm-label {{ color: {b.label}; }}\n.cm-label-water {{ color: {b.water_label}; }}\n"
        + popup_css()
        + packaged_text("web", "map.css")
    )


def build_base_map(
    layers_js: Mapping[str, str] | None = None,
    *,
    layer_urls: Mapping[str, str] | None = None,
    bounds: Bounds,
    leaflet_js_url: str,
    leaflet_css_url: str,
    online_tiles: bool = False,
    height: int | str = 620,
) -> folium.Map:
    """The base map: the offline vector basemap fitted to ``bounds``, with no date-dependent content.

    Parameters
    ----------
    layers_js
        The basemap layers inline, from `basemap_js`: the page needs nothing else.
    layer_urls
        Or where the browser fetches each layer (local URLs of `basemap_files`): the map's script stays
        small, which keeps every rerun of an app that sends it cheap.
    bounds
        The box to show first (`places_bounds`).
    leaflet_js_url, leaflet_css_url
        Where the browser loads Leaflet from: a local URL or a ``data:`` URI, never a CDN.
    online_tiles
        Add OpenStreetMap tiles under the vector layers (this sends requests to the tile server).
    height
        The map's height in pixels.

    Returns
    -------
    A map whose only assets are Leaflet's script and stylesheet (and the layer files, if given as URLs).
    """
    if (layers_js is None) == (layer_urls is None):
        msg = "build_base_map needs either layers_js or layer_urls"
        raise ValueError(msg)
    # Panning stops at the edges of what the basemap covers (and bounces there, never showing it blank).
    west, south, east, north = MAP_BOUNDS
    fmap = folium.Map(
        tiles=None, location=None, height=height, control_scale=True, zoom_snap=0.25, max_bounds=True,
        min_lat=south, max_lat=north, min_lon=west, max_lon=east, max_bounds_viscosity=1.0,
    )  # fmt: skip
    # Per instance, never folium's class-level defaults: other maps in the process keep theirs.
    fmap.default_js = [("leaflet", leaflet_js_url)]
    fmap.default_css = [("leaflet_css", leaflet_css_url)]
    figure = fmap.get_root()
    assert isinstance(figure, Figure)  # folium.Map always sits in a Figure
    figure.header.add_child(Element(f"<style>{map_css()}</style>"), name="controlmap_css")
    panes = json_for_script(list(_PANES.items()))
    fmap.add_child(_MapScript(f"({_script_file('basemap_panes.js')})(map, {panes});", name="basemap_panes"))
    if online_tiles:
        folium.TileLayer(ONLINE_TILES_URL, attr=ONLINE_TILES_ATTRIBUTION, name="OpenStreetMap").add_to(fmap)
    styles = _basemap_styles()
    for name in LAYERS:
        options = {"interactive": "false", "pane": json_for_script(f"cm-{name}")}
        if name == "labels":
            options["pointToLayer"] = _script_file("basemap_label.js")
        else:
            options["style"] = json_for_script(styles[name])
        if name == "countries":
            options["attribution"] = json_for_script(CREDIT)
        if layers_js is not None:
            expression = _geojson_layer(layers_js[name], options)
        else:
            assert layer_urls is not None  # checked above
            expression = _fetched_geojson_layer(layer_urls[name], options)
        fmap.add_child(_ScriptLayer(expression, name=f"basemap_{name}"))
    fmap.fit_bounds([list(bounds[0]), list(bounds[1])])
    _name_by_content(fmap, layers_js, layer_urls, bounds, leaflet_js_url, leaflet_css_url, online_tiles, height)
    return fmap


def _name_by_content(fmap: folium.Map, *inputs: object) -> None:
    """Name the map and its layers by what they are made from, not at random: the same map is the same script.

    A browser (and every server process behind a load balancer) then sees one base map for one dataset, and
    builds it once.
    """
    digest = hashlib.sha256(json.dumps(inputs, sort_keys=True, default=str).encode("utf-8")).hexdigest()[:16]
    fmap._id = f"{digest}0"
    for index, element in enumerate(fmap._children.values(), start=1):
        element._id = f"{digest}{index}"


@cache
def _script_file(name: str) -> str:
    """A packaged script that is one JavaScript function expression, without its comment lines."""
    text = packaged_text("web", name)
    return "\n".join(line for line in text.splitlines() if not line.startswith("//")).strip()


def marker_map(
    markers: Sequence[Marker],
    *,
    basemap_layers_js: Mapping[str, str],
    leaflet_js_url: str,
    leaflet_css_url: str,
    height: int = 360,
) -> folium.Map:
    """A small offline map of markers (filled or hollow circles in their colour), fitted to them.

    Parameters
    ----------
    markers
        What to mark; each label becomes its tooltip, escaped.
    basemap_layers_js
        The basemap layers inline, from `basemap_js`.
    leaflet_js_url, leaflet_css_url
        Where the browser loads Leaflet from (a local URL or a ``data:`` URI).
    height
        The map's height in pixels.
    """
    if markers:
        lats = [m.lat for m in markers]
        lons = [m.lon for m in markers]
        bounds = ((min(lats) - 0.8, min(lons) - 0.8), (max(lats) + 0.8, max(lons) + 0.8))
    else:
        bounds = leaflet_bounds(model.REGION_BOUNDS)
    fmap = build_base_map(
        basemap_layers_js, bounds=bounds, leaflet_js_url=leaflet_js_url, leaflet_css_url=leaflet_css_url, height=height
    )
    for marker in markers:
        folium.CircleMarker(
            location=(marker.lat, marker.lon),
            radius=9,
            color=marker.colour,
            weight=3,
            fill=True,
            fill_color=marker.colour,
            fill_opacity=0.85 if marker.filled else 0.15,
            tooltip=html.escape(marker.label),
        ).add_to(fmap)
    return fmap


@dataclass(frozen=True)
class MapParts:
    """A folium map as the pieces a page needs: the name of its Leaflet map variable and the script making it."""

    name: str
    """The id of the map's element, and the name of the script's variable holding the Leaflet map."""
    script: str
    """Makes the map in an element with that id (Leaflet loaded first): basemap layers, panes, scale, view."""


def map_parts(fmap: folium.Map) -> MapParts:
    """The name and script of a folium map, rendered once (its assets are the page's business, not folium's)."""
    figure = fmap.get_root()
    assert isinstance(figure, Figure)  # folium.Map always sits in a Figure
    figure.render()
    return MapParts(name=fmap.get_name(), script=figure.script.render())
