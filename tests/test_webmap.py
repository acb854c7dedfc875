"""The web map as folium objects and rendered HTML: offline assets, one style function, escaped data."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import folium
import pytest

import controlmap
from controlmap.basemap import LAYERS, load_basemap
from controlmap.style import STATUS_PATTERNS
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
    """The browser keeps its zoom and pan only while the base map's script stays the same."""
    from streamlit_folium import _get_map_string  # noqa: PLC0415 - private: what st_folium compares

    layers = webmap.basemap_js(load_basemap(WEBAPP))

    def script() -> str:
        fmap = webmap.build_base_map(
            layers, bounds=webmap.places_bounds(webapp), leaflet_js_url=LOCAL_JS, leaflet_css_url=LOCAL_CSS
        )
        fmap.get_root().render()
        return str(_get_map_string(fmap))

    assert script() == script()


def test_layer_features_carry_style_and_escaped_html(webapp: controlmap.Dataset) -> None:
    features = webmap.layer_features(controlmap.snapshot(webapp, dt.date(2016, 8, 20)))
    by_id = {f["properties"]["id"]: f for f in features}
    assert set(by_id) == {p.id for p in webapp.places}
    delta = by_id["delta"]["properties"]
    colours = controlmap.palette_colours(webapp)
    assert delta["status"] == "besieged"
    assert delta["fill"] == colours["syria_gov"]
    assert delta["stroke"] == colours["isis"]
    assert set(delta) == {"id", "kind", "status", "fill", "stroke", "tooltip", "popup"}
    evil = by_id["evil"]["properties"]
    assert "<img" not in evil["tooltip"]
    assert "&lt;img src=x onerror=alert(1)&gt;" in evil["tooltip"]
    assert "<script>" not in evil["popup"]


def test_layer_features_follow_the_palette(webapp: controlmap.Dataset) -> None:
    snap = controlmap.snapshot(webapp, dt.date(2016, 8, 20))
    blind = controlmap.palette_colours(webapp, "colorblind")
    features = webmap.layer_features(snap, palette="colorblind")
    fills = {f["properties"]["id"]: f["properties"]["fill"] for f in features}
    assert fills["alpha"] == blind["isis"]
    assert fills["beta"] == blind["sdf"]


def test_dated_layer_has_one_style_function_and_no_style_table(webapp: controlmap.Dataset) -> None:
    features = webmap.layer_features(controlmap.snapshot(webapp, dt.date(2016, 8, 20)))
    fmap = folium.Map(tiles=None)
    webmap.dated_layer(features, changed=["beta"]).add_to(fmap)
    page = fmap.get_root().render()
    assert page.count("function style(feature)") == 1
    assert "switch(" not in page, "folium's per-feature style table"
    assert "_styler" not in page
    # Every status pattern reaches the browser from controlmap.style.
    for status, pattern in STATUS_PATTERNS.items():
        assert f'"{status}":{{"ring":{json.dumps(pattern.ring)}' in page
    assert '["beta"]' in page
    assert "L.circleMarker" in page
    assert "<img" not in page
    assert "<script>window" not in page


def test_dated_layer_accepts_serialised_features(webapp: controlmap.Dataset) -> None:
    features = webmap.layer_features(controlmap.snapshot(webapp, dt.date(2014, 1, 1)))
    text = webmap.features_js(features)
    assert json.loads(text)["features"] == json.loads(json.dumps(features))
    fmap = folium.Map(tiles=None)
    webmap.dated_layer(text).add_to(fmap)
    assert text in fmap.get_root().render()


def test_script_json_cannot_end_the_script_element() -> None:
    hostile = "</script><!--<script>'&\u2028"
    text = webmap.features_js([{"type": "Feature", "geometry": None, "properties": {"x": hostile}}])
    assert "</" not in text
    assert "<!--" not in text
    assert "\u2028" not in text
    assert json.loads(text)["features"][0]["properties"]["x"] == hostile


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


def test_layer_text_is_never_read_as_a_template() -> None:
    fmap = folium.Map(tiles=None)
    note = "{{ 'rendered' | upper }} {% if true %}x{% endif %}"
    webmap.dated_layer(webmap.features_js([{"type": "Feature", "geometry": None, "properties": {"n": note}}])).add_to(
        fmap
    )
    page = fmap.get_root().render()
    assert note in page
    assert "RENDERED" not in page


def test_points_are_drawn_above_areas_and_rivers(webapp: controlmap.Dataset) -> None:
    features = webmap.layer_features(controlmap.snapshot(webapp, dt.date(2016, 8, 20)))
    kinds = [f["properties"]["kind"] for f in features]
    assert kinds == ["region", "river", "city", "city", "town"]
