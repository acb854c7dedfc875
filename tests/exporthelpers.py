"""Helpers for the export tests: a tiny hand-made basemap and colour arithmetic on pixels."""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

import numpy as np
from PIL import Image

from controlmap.basemap import Basemap
from controlmap.style import BASEMAP_STYLE

if TYPE_CHECKING:
    from numpy.typing import NDArray


class Size(TypedDict):
    """Image options, to pass as ``**SIZE``."""

    width: int
    height: int
    dpi: float


SIZE: Size = {"width": 480, "height": 360, "dpi": 60.0}
"""Small images keep the suite fast; the layout scales with them."""
GEODATA = Path(__file__).parent.parent / "geodata"


def tiny_basemap() -> Basemap:
    """One land square under every test place, a lake, a river and labels: enough to see every layer."""
    land = {
        "type": "Feature",
        "properties": {"kind": "country", "name": "Testland"},
        "geometry": {"type": "Polygon", "coordinates": [[[36, 34], [45, 34], [45, 38], [36, 38], [36, 34]]]},
    }
    lake = {
        "type": "Feature",
        "properties": {"kind": "lake", "name": "Test Lake"},
        "geometry": {
            "type": "Polygon",
            "coordinates": [[[41.5, 35.2], [42.2, 35.2], [42.2, 35.6], [41.5, 35.6], [41.5, 35.2]]],
        },
    }
    river = {
        "type": "Feature",
        "properties": {"kind": "river", "name": "Test River"},
        "geometry": {"type": "LineString", "coordinates": [[38.5, 37.5], [39.5, 35.0]]},
    }
    labels = [
        {"type": "Feature", "properties": {"kind": "country", "name": "Testland"},
         "geometry": {"type": "Point", "coordinates": [39.0, 35.3]}},
        {"type": "Feature", "properties": {"kind": "water", "name": "Test Lake"},
         "geometry": {"type": "Point", "coordinates": [41.85, 35.4]}},
    ]  # fmt: skip
    return Basemap(
        layers={
            "countries": {"type": "FeatureCollection", "features": [land]},
            "lakes": {"type": "FeatureCollection", "features": [lake]},
            "rivers": {"type": "FeatureCollection", "features": [river]},
            "labels": {"type": "FeatureCollection", "features": labels},
        }
    )


def rgb(colour: str) -> NDArray[np.float64]:
    """A ``#rrggbb`` colour as three floats 0-255."""
    return np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)], dtype=float)


def over(colour: str, alpha: float, background: str = BASEMAP_STYLE.land) -> NDArray[np.float64]:
    """A colour drawn with an opacity over a background, as the renderer blends it."""
    return alpha * rgb(colour) + (1 - alpha) * rgb(background)


def distance(a: NDArray[np.generic], b: NDArray[np.generic]) -> float:
    """Euclidean distance of two RGB colours."""
    return float(np.linalg.norm(np.asarray(a, dtype=float) - np.asarray(b, dtype=float)))


def nearest(pixel: NDArray[np.generic], candidates: dict[str, NDArray[np.float64]]) -> str:
    """The key of the candidate colour nearest to a pixel."""
    return min(candidates, key=lambda key: distance(pixel, candidates[key]))


def pixels(png: bytes) -> NDArray[np.uint8]:
    """The RGB pixels of an image file, shape (height, width, 3)."""
    with Image.open(io.BytesIO(png)) as image:
        return np.asarray(image.convert("RGB"))


def patch(image: NDArray[np.uint8], column: int, row: int, radius: int = 1) -> NDArray[np.float64]:
    """The mean colour of the small square around a pixel."""
    square = image[row - radius : row + radius + 1, column - radius : column + radius + 1].reshape(-1, 3)
    return np.asarray(square.mean(axis=0), dtype=float)
