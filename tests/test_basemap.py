"""The basemap covers everywhere a user can pan: the maps stop at `MAP_BOUNDS`, and the countries fill it.

The app's map opens fitted to the places; from there a user can pan to the edges of `MAP_BOUNDS` (Leaflet's
``maxBounds``), and the countries layer must be drawn all the way there (it once stopped at 39.5° N).
"""

from __future__ import annotations

import math

import pytest
import shapely
import shapely.geometry

import controlmap
from controlmap.basemap import MAP_BOUNDS, load_basemap
from controlmap.web import folium_map as webmap

from exporthelpers import GEODATA

LAND = {
    "Ankara": (32.85, 39.93),
    "Istanbul": (28.98, 41.01),
    "Trabzon": (39.72, 41.0),
    "Erzurum": (41.27, 39.9),
    "Tbilisi": (44.79, 41.72),
    "Baku": (49.87, 40.41),
    "Tehran": (51.39, 35.69),
    "Isfahan": (51.67, 32.65),
    "Riyadh": (46.72, 24.69),
    "Tabuk": (36.57, 28.38),
    "Cairo": (31.24, 30.04),
    "Aswan": (32.9, 24.09),
}
"""Points on land near the edges of `MAP_BOUNDS`, most of them beyond what the basemap once covered."""
MAP_SIZES = [(800, 600), (1400, 600), (1700, 600), (1920, 1080), (2560, 1440)]
"""The app's map (600 px high, three quarters of what the sidebar leaves: 1700 px in a 2560 px window) and a
full-screen HTML export."""


@pytest.fixture(scope="module")
def countries() -> list[shapely.Geometry]:
    layer = load_basemap(GEODATA).layer("countries")
    return [shapely.geometry.shape(feature["geometry"]) for feature in layer["features"]]


def test_the_countries_reach_every_edge_of_the_map(countries: list[shapely.Geometry]) -> None:
    west, south, east, north = (float(v) for v in shapely.total_bounds(countries))
    assert (west, south, east, north) == pytest.approx(MAP_BOUNDS, abs=0.01)
    land = shapely.union_all(countries)
    missing = [name for name, point in LAND.items() if not land.contains(shapely.Point(point))]
    assert missing == []


def test_every_city_label_is_on_the_countries(countries: list[shapely.Geometry]) -> None:
    land = shapely.union_all(countries).buffer(0.02)  # a port's point may sit on the simplified coast
    labels = load_basemap(GEODATA).layer("labels")["features"]
    cities = {f["properties"]["name"]: shapely.geometry.shape(f["geometry"]) for f in labels}
    assert {"Ankara", "Tehran", "Riyadh", "Cairo", "Baghdad", "Damascus"} <= set(cities)
    assert [name for name, point in cities.items() if not land.contains(point)] == []


def test_the_maps_stop_at_the_basemaps_edges() -> None:
    empty = dict.fromkeys(("countries", "lakes", "rivers", "labels"), '{"type":"FeatureCollection","features":[]}')
    fmap = webmap.build_base_map(
        empty, bounds=((33.0, 37.0), (37.0, 44.0)), leaflet_js_url="l.js", leaflet_css_url="l.css"
    )
    west, south, east, north = MAP_BOUNDS
    assert fmap.options["max_bounds"] == [[south, west], [north, east]]
    assert fmap.options["max_bounds_viscosity"] == 1.0


def _mercator(lat: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def _latitude(y: float) -> float:
    return math.degrees(2 * math.atan(math.exp(y)) - math.pi / 2)


@pytest.mark.parametrize(("width", "height"), MAP_SIZES)
def test_the_opening_view_lies_inside_the_map_bounds(width: int, height: int) -> None:
    """Leaflet's fitBounds (zoom snapped to quarters) of the shipped places, as the app opens it."""
    (south, west), (north, east) = webmap.places_bounds(controlmap.dataset_from_dir(GEODATA))
    span_x, span_y = math.radians(east - west), _mercator(north) - _mercator(south)
    zoom = (
        math.floor(
            4 * min(math.log2(width * 2 * math.pi / 256 / span_x), math.log2(height * 2 * math.pi / 256 / span_y))
        )
        / 4
    )
    scale = 256 * 2**zoom / (2 * math.pi)  # pixels per radian
    centre_x, centre_y = (west + east) / 2, (_mercator(south) + _mercator(north)) / 2
    half_x, half_y = math.degrees(width / 2 / scale), height / 2 / scale
    view = (centre_x - half_x, _latitude(centre_y - half_y), centre_x + half_x, _latitude(centre_y + half_y))
    left, bottom, right, top = MAP_BOUNDS
    assert left <= view[0]
    assert view[2] <= right
    assert bottom <= view[1]
    assert view[3] <= top
