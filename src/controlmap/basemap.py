"""The offline basemap: country borders, rivers, lakes and labels from Natural Earth (the I/O edge)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from controlmap.io import default_data_dir
from controlmap.locations import country_outlines_of

if TYPE_CHECKING:
    import geopandas as gpd
    from shapely.geometry.base import BaseGeometry

    from controlmap.model import Bounds

BASEMAP_DIR = "basemap"
LAYERS = ("countries", "lakes", "rivers", "labels")
"""Drawing order, bottom to top."""
CREDIT = "Basemap: Natural Earth"
"""The credit every output that draws the basemap shows."""
MAP_BOUNDS: Bounds = (28.0, 24.0, 58.0, 44.0)
"""West, south, east, north: where the interactive maps let a user pan (Leaflet's ``maxBounds``), and what the
basemap's countries cover (``scripts/derive_basemap.py`` clips them to it), so no pan shows the map blank.
Iraq and Syria with their neighbours, wider than any map's opening view."""


@dataclass(frozen=True)
class Basemap:
    """The basemap layers as GeoJSON FeatureCollections (dicts), in `LAYERS` order."""

    layers: dict[str, dict[str, Any]]

    def layer(self, name: str) -> dict[str, Any]:
        """One layer's FeatureCollection (empty when the layer has no file)."""
        return self.layers.get(name, {"type": "FeatureCollection", "features": []})

    def frame(self, name: str) -> gpd.GeoDataFrame:
        """One layer as a GeoDataFrame in WGS84."""
        import geopandas as gpd  # noqa: PLC0415 - geopandas is slow to import; only image rendering needs it

        features = self.layer(name)["features"]
        if not features:
            return gpd.GeoDataFrame({"name": []}, geometry=[], crs="EPSG:4326")
        return gpd.GeoDataFrame.from_features(features, crs="EPSG:4326")


def country_outlines(basemap: Basemap) -> dict[str, BaseGeometry]:
    """The outline of each country places may be in (``IQ``, ``SY``), from the basemap's countries layer."""
    return country_outlines_of(basemap.layer("countries"))


def load_basemap(data_dir: Path | str | None = None) -> Basemap:
    """Read the basemap layers from ``<geodata>/basemap/<layer>.geojson``; missing layers are empty.

    Parameters
    ----------
    data_dir
        The geodata directory (default: `default_data_dir`).
    """
    directory = (default_data_dir() if data_dir is None else Path(data_dir)) / BASEMAP_DIR
    layers: dict[str, dict[str, Any]] = {}
    for name in LAYERS:
        path = directory / f"{name}.geojson"
        if path.is_file():
            layers[name] = json.loads(path.read_text("utf-8"))
    return Basemap(layers=layers)
