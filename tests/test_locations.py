"""Where places lie: outside their stated country, or the same place twice, is reported with file and feature."""

from __future__ import annotations

import copy
import json
from typing import Any

import shapely.geometry

import controlmap
from controlmap.basemap import country_outlines, load_basemap
from controlmap.locations import Located, location_problems

from exporthelpers import GEODATA


def _features() -> list[tuple[str, dict[str, Any]]]:
    return [
        (path.name, feature)
        for path in sorted((GEODATA / "places").glob("*.geojson"))
        for feature in json.loads(path.read_text("utf-8"))["features"]
    ]


def located(features: list[tuple[str, dict[str, Any]]]) -> list[Located]:
    return [
        Located(
            name, f["id"], f["properties"]["name"], f["properties"]["country"], shapely.geometry.shape(f["geometry"])
        )
        for name, f in features
    ]


def test_the_shipped_places_lie_in_their_countries_and_once() -> None:
    assert location_problems(located(_features()), country_outlines(load_basemap(GEODATA))) == []


def test_a_place_outside_its_country_is_named() -> None:
    features = _features()
    name, mosul = next((n, f) for n, f in features if f["id"] == "mosul")
    moved = copy.deepcopy(mosul)
    moved["properties"]["country"] = "SY"  # Mosul is in Iraq
    swapped = copy.deepcopy(mosul)
    swapped["id"] = "swapped"
    swapped["properties"]["name"] = "Swapped"
    swapped["geometry"]["coordinates"] = list(reversed(mosul["geometry"]["coordinates"]))  # latitude first
    problems = [
        str(p)
        for p in location_problems(located([(name, moved), (name, swapped)]), country_outlines(load_basemap(GEODATA)))
    ]
    assert len(problems) == 2
    assert problems[0].startswith(f"{name}: 'mosul': geometry: lies outside its country SY")
    assert "'swapped'" in problems[1]
    assert "longitude first" in problems[1]


def test_a_border_town_just_outside_the_generalised_border_is_not_reported() -> None:
    kobani = next(f for _, f in _features() if f["id"] == "kobani")
    outlines = country_outlines(load_basemap(GEODATA))
    assert not outlines["SY"].contains(shapely.geometry.shape(kobani["geometry"]))  # just across the drawn line
    assert location_problems(located([("syria.geojson", kobani)]), outlines) == []


def test_the_same_name_within_a_kilometre_is_the_same_place_twice() -> None:
    _, raqqa = next((n, f) for n, f in _features() if f["id"] == "raqqa")
    twin = copy.deepcopy(raqqa)
    twin["id"] = "raqqa-again"
    lon, lat = raqqa["geometry"]["coordinates"]
    twin["geometry"]["coordinates"] = [lon + 0.005, lat]  # about 450 m east
    far = copy.deepcopy(twin)
    far["id"] = "raqqa-far"
    far["geometry"]["coordinates"] = [lon + 0.05, lat]  # about 4.6 km: another place of the name, perhaps
    problems = [str(p) for p in location_problems(located([("a", raqqa), ("b", twin), ("c", far)]), {})]
    assert problems == [
        "b: 'raqqa-again': geometry: is 0.45 km from 'raqqa', which has the same name: the same place twice?"
    ]


def test_validate_reports_a_place_outside_its_country(mini_copy: Any) -> None:
    document_path = next((mini_copy / "places").glob("*.geojson"))
    document = json.loads(document_path.read_text("utf-8"))
    props = document["features"][0]["properties"]
    props["country"] = {"IQ": "SY", "SY": "IQ"}[props["country"]]  # the other country
    document_path.write_text(json.dumps(document), "utf-8")
    basemap = mini_copy / "basemap"
    basemap.mkdir(exist_ok=True)
    (basemap / "countries.geojson").write_text((GEODATA / "basemap" / "countries.geojson").read_text("utf-8"), "utf-8")
    problems = [str(p) for p in controlmap.check_paths([mini_copy])]
    assert len(problems) == 1
    assert "lies outside its country" in problems[0]
