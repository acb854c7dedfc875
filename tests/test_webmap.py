"""The web map as folium objects and rendered HTML: offline assets, one style function, escaped data."""

from __future__ import annotations

import json
import re
from pathlib import Path

import folium
import pytest

import controlmap
from controlmap.basemap import LAYERS, load_basemap
from controlmap.style import Marker
from controlmap.web import folium_map as webmap

WEBAPP = Path(__file__).parent / "data" / "webapp"
LOCAL_JS = "/app/static/leaflet-test/leaflet.js"
LOCAL_CSS = "/app/static/leaflet-test/leaflet.css"


@pytest.fixture(scope="module")
def webapp() -> controlmap.Dataset:
    return controlmap.dataset_from_dir(WEBAPP)


@pytest.fixture
def base_map(webapp: controlmap.Dataset) -> folium.Map:
    return webmap.build_base_map(
        webmap.basemap_js(load_basemap(WEBAPP)),
        bounds=webmap.places_bounds(webapp),
        leaflet_js_url=LOCAL_JS,
        leaflet_css_url=LOCAL_CSS,
    )


def _urls(text: str) -> set[str]:
    return set(re.findall(r"""(?:https?:)?//[^\s"'<>)\\]+""", text))


def test_base_map_loads_only_local_leaflet(base_map: folium.Map) -> None:
    assert base_map.default_js == [("leaflet", LOCAL_JS)]
    assert base_map.default_css == [("leaflet_css", LOCAL_CSS)]
    page = base_map.get_root().render()
    assert LOCAL_JS in page
    assert LOCAL_CSS in page
    for asset in ("jquery", "bootstrap", "awesome", "fontawesome", "cdn.", "unpkg", "openstreetmap"):
        assert asset not in page.lower()
    assert _urls(page) <= {"//www.w3.org/2000/svg", "//www.w3.org/1999/xhtml"}


def test_folium_class_defaults_are_left_alone(base_map: folium.Map) -> None:
    other = folium.Map()
    assert other.default_js is folium.Map.default_js
    assert any("leaflet" in url for _, url in folium.Map.default_js)
    assert ("leaflet", LOCAL_JS) not in folium.Map.default_js
    assert base_map.default_js is not folium.Map.default_js


def test_base_map_draws_the_basemap_as_vector_layers_without_tiles(base_map: folium.Map) -> None:
    page = base_map.get_root().render()
    assert "tileLayer" not in page
    for name in ("Syria", "Iraq", "Lake Test", "Euphrates"):
        assert f'"name":"{name}"' in page
    assert "fitBounds" in page
    assert "Basemap: Natural Earth" in page
    # A label is set as text in the browser, and its JSON cannot close the script element.
    assert "\\u003cb\\u003eLake\\u003c/b\\u003e Test" in page
    assert "textContent" in page


def test_online_tiles_only_when_asked(webapp: controlmap.Dataset) -> None:
    tiled = webmap.build_base_map(
        webmap.basemap_js(load_basemap(WEBAPP)),
        bounds=webmap.places_bounds(webapp),
        leaflet_js_url=LOCAL_JS,
        leaflet_css_url=LOCAL_CSS,
        online_tiles=True,
    )
    assert "tile.openstreetmap.org" in tiled.get_root().render()


def test_base_map_script_is_the_same_every_time(webapp: controlmap.Dataset) -> None:
    """The browser builds the map again only when the base map's script changes: it must not change by itself."""
    layers = webmap.basemap_js(load_basemap(WEBAPP))

    def parts() -> webmap.MapParts:
        fmap = webmap.build_base_map(
            layers, bounds=webmap.places_bounds(webapp), leaflet_js_url=LOCAL_JS, leaflet_css_url=LOCAL_CSS
        )
        return webmap.map_parts(fmap)

    first, second = parts(), parts()
    assert first == second


def test_map_parts_give_the_script_that_makes_the_named_map(webapp: controlmap.Dataset) -> None:
    parts = webmap.map_parts(
        webmap.build_base_map(
            webmap.basemap_js(load_basemap(WEBAPP)), bounds=webmap.places_bounds(webapp), leaflet_js_url="",
            leaflet_css_url="",
        )
    )  # fmt: skip
    assert re.fullmatch(r"map_[0-9a-f]+", parts.name)
    assert f"var {parts.name} = L.map(" in parts.script
    assert f'"{parts.name}"' in parts.script  # the element it draws in
    assert "<script" not in parts.script
    assert "fitBounds" in parts.script


def test_a_marker_map_escapes_its_labels() -> None:
    markers = [Marker(lat=36.3, lon=43.1, colour="#1a1a1a", filled=True, label="<img src=x onerror=alert(1)>")]
    page = webmap.marker_map(markers, basemap_layers_js=webmap.basemap_js(load_basemap(WEBAPP)),
                             leaflet_js_url=LOCAL_JS, leaflet_css_url=LOCAL_CSS).get_root().render()  # fmt: skip
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_places_bounds_contain_every_place(webapp: controlmap.Dataset) -> None:
    (south, west), (north, east) = webmap.places_bounds(webapp)
    for place in webapp.places:
        minx, miny, maxx, maxy = place.geometry.bounds
        assert west <= minx <= maxx <= east
        assert south <= miny <= maxy <= north


def test_base_map_can_fetch_its_layers_from_local_files(webapp: controlmap.Dataset) -> None:
    urls = {name: f"/app/static/basemap-test/{name}.geojson" for name in LAYERS}
    fmap = webmap.build_base_map(
        layer_urls=urls, bounds=webmap.places_bounds(webapp), leaflet_js_url=LOCAL_JS, leaflet_css_url=LOCAL_CSS
    )
    page = fmap.get_root().render()
    assert "fetch(url)" in page
    for url in urls.values():
        assert f', "{url}")' in page  # each layer's file handed to the fetching function
    assert '"name":"Syria"' not in page, "the layers are not inline"
    files = webmap.basemap_files(load_basemap(WEBAPP))
    assert json.loads(files["countries"])["features"][0]["properties"]["name"] == "Syria"
    assert set(files) == set(urls)


def test_base_map_needs_exactly_one_source_of_layers(webapp: controlmap.Dataset) -> None:
    bounds = webmap.places_bounds(webapp)
    with pytest.raises(ValueError, match="either layers_js or layer_urls"):
        webmap.build_base_map(bounds=bounds, leaflet_js_url=LOCAL_JS, leaflet_css_url=LOCAL_CSS)
