"""Synthetic, valid datasets of any size over the real region and factions, for benchmarks and load tests."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import shapely

REPO = Path(__file__).resolve().parent.parent
COVERAGE_START = dt.date(2013, 1, 1)
COVERAGE_END = dt.date(2019, 12, 31)
FACTIONS = ("isis", "iraq_gov", "krg", "syria_gov", "sdf", "turkey", "rebels", "nusra")
WEST, SOUTH, EAST, NORTH = 36.0, 30.0, 47.5, 37.2
PLACES_PER_FILE = 5000


def synthetic_places(count: int, *, periods: int = 20, seed: int = 0) -> list[dict[str, Any]]:
    """GeoJSON features of ``count`` places (a third each points, lines, polygons) with ``periods`` periods each.

    Each place's history is a run of back-to-back periods over the data's range with a random controller and
    status; about one place in ten leaves a gap (unknown) between two periods.
    """
    rng = np.random.default_rng(seed)
    span = (COVERAGE_END - COVERAGE_START).days
    features = []
    inner = _countries()
    for index in range(count):
        # Inside Iraq or Syria, far enough from a border for a place's line or area too: validation checks it.
        while True:
            lon = float(rng.uniform(WEST, EAST))
            lat = float(rng.uniform(SOUTH, NORTH))
            country = next((code for code, shape in inner.items() if shapely.contains_xy(shape, lon, lat)), None)
            if country is not None:
                break
        shape = index % 3
        if shape == 0:
            kind, geometry = "town", {"type": "Point", "coordinates": [round(lon, 5), round(lat, 5)]}
        elif shape == 1:
            steps = rng.uniform(-0.05, 0.05, size=(4, 2)).cumsum(axis=0) + np.array([lon, lat])
            kind, geometry = "river", {"type": "LineString", "coordinates": np.round(steps, 5).tolist()}
        else:
            size = float(rng.uniform(0.01, 0.05))
            ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
            kind, geometry = "region", {"type": "Polygon", "coordinates": [np.round(ring, 5).tolist()]}
        cuts = np.sort(rng.choice(np.arange(1, span), size=periods, replace=False))
        starts = [0, *cuts[:-1].tolist()]
        ends: list[int | None] = [*cuts[:-1].tolist(), None]
        gap = int(rng.integers(1, periods)) if index % 10 == 0 else -1
        history = []
        for number, (start, end) in enumerate(zip(starts, ends, strict=True)):
            if number == gap:
                continue
            status = str(rng.choice(["controlled", "controlled", "controlled", "contested", "besieged"]))
            controller = str(rng.choice(FACTIONS))
            opponents = [] if status == "controlled" else [next(f for f in FACTIONS if f != controller)]
            history.append(
                {
                    "start": (COVERAGE_START + dt.timedelta(days=int(start))).isoformat(),
                    "start_precision": "day",
                    "end": None if end is None else (COVERAGE_START + dt.timedelta(days=int(end))).isoformat(),
                    "end_precision": None if end is None else "day",
                    "controller": controller,
                    "status": status,
                    "opponents": opponents,
                    "sources": ["synthetic"],
                }
            )
        features.append(
            {
                "type": "Feature",
                "id": f"p{index:06d}",
                "geometry": geometry,
                "properties": {"name": f"Place {index}", "kind": kind, "country": country, "history": history},
            }
        )
    return features


def _countries() -> dict[str, Any]:
    """Syria's and Iraq's outlines from the shipped basemap, shrunk by 0.3 degrees."""
    from controlmap.locations import country_outlines_of  # noqa: PLC0415 - only here

    collection = json.loads((REPO / "geodata" / "basemap" / "countries.geojson").read_text("utf-8"))
    shrunk = {code: shape.buffer(-0.3) for code, shape in country_outlines_of(collection).items()}
    for shape in shrunk.values():
        shapely.prepare(shape)
    return shrunk


def write_synthetic_dataset(directory: Path, count: int, *, periods: int = 20, seed: int = 0) -> Path:
    """Write a complete dataset directory (the shipped factions and a one-source registry) and return it."""
    (directory / "places").mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "geodata" / "factions.json", directory / "factions.json")
    meta = {"title": f"Synthetic dataset of {count} places", "coverage": {"start": "2013-01-01", "end": "2019-12-31"}}
    (directory / "dataset.json").write_text(json.dumps(meta, indent=2) + "\n", "utf-8")
    registry = {
        "sources": [
            {
                "id": "synthetic",
                "title": "Synthetic data for benchmarks",
                "outlet": "controlmap",
                "published": None,
                "url": None,
            }
        ]
    }
    (directory / "sources.json").write_text(json.dumps(registry, indent=2) + "\n", "utf-8")
    features = synthetic_places(count, periods=periods, seed=seed)
    # Several files, each well under the loader's size limit (io.MAX_FILE_BYTES): 5,000 places are ~20 MB.
    for number, first in enumerate(range(0, max(count, 1), PLACES_PER_FILE)):
        collection = {"type": "FeatureCollection", "features": features[first : first + PLACES_PER_FILE]}
        (directory / "places" / f"synthetic-{number:03d}.geojson").write_text(json.dumps(collection), "utf-8")
    basemap = REPO / "geodata" / "basemap"
    if basemap.is_dir():
        shutil.copytree(basemap, directory / "basemap", dirs_exist_ok=True)
    return directory


def main() -> None:
    """``python -m benchmarks.synthetic DIR --places N``: write a synthetic dataset."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("directory", type=Path)
    parser.add_argument("--places", type=int, default=1000)
    parser.add_argument("--periods", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    write_synthetic_dataset(args.directory, args.places, periods=args.periods, seed=args.seed)


if __name__ == "__main__":
    main()
