"""Validation: every problem in the data reported at once, each with file, feature and field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

import controlmap
from controlmap import DataError

if TYPE_CHECKING:
    from collections.abc import Callable

PLACES = Path("places") / "test.geojson"


def edit_json(path: Path, change: Callable[[Any], None]) -> None:
    content = json.loads(path.read_text("utf-8"))
    change(content)
    path.write_text(json.dumps(content, ensure_ascii=False), "utf-8")


def problems_in(data_dir: Path) -> list[str]:
    return [str(p) for p in controlmap.check_paths([data_dir])]


def feature(content: Any, place_id: str) -> Any:
    return next(f for f in content["features"] if f["id"] == place_id)


def period(content: Any, place_id: str, index: int) -> Any:
    return feature(content, place_id)["properties"]["history"][index]


def test_the_test_dataset_is_valid(mini_dir: Path) -> None:
    assert problems_in(mini_dir) == []


def test_the_shipped_geodata_is_valid() -> None:
    from conftest import GEODATA  # noqa: PLC0415 - the path lives with the fixtures

    assert problems_in(GEODATA) == []


# Each case: how to break the places file, and the text the one resulting problem must contain.
PLACE_BREAKAGES: list[tuple[str, Callable[[Any], None], str]] = [
    (
        "reversed period",
        lambda c: period(c, "alpha", 1).update(end="2014-01-01"),
        "'alpha' (#0): history[1]: start 2014-06-10 is not before end 2014-01-01",
    ),
    (
        "overlapping periods",
        lambda c: period(c, "alpha", 1).update(start="2014-05-01"),
        "'alpha' (#0): history[1].start: start 2014-05-01 overlaps the previous period, which runs to 2014-06-10",
    ),
    (
        "unsorted periods",
        lambda c: feature(c, "gamma")["properties"]["history"].insert(
            1, feature(c, "gamma")["properties"]["history"].pop(2)
        ),
        "'gamma' (#2): history[2].start: start 2015-01-01 is before the previous period's start 2016-08-12",
    ),
    (
        "unknown faction",
        lambda c: period(c, "alpha", 0).update(controller="martians"),
        "history[0].controller: unknown faction 'martians'",
    ),
    (
        "unknown status",
        lambda c: period(c, "alpha", 0).update(status="liberated"),
        "'alpha' (#0): history[0].status: 'liberated' is not one of: controlled, contested, besieged",
    ),
    (
        "missing source",
        lambda c: period(c, "beta", 0).update(sources=[]),
        "'beta' (#1): history[0].sources: [] should be non-empty",
    ),
    (
        "dangling source id",
        lambda c: period(c, "beta", 0).update(sources=["nowhere"]),
        "'beta' (#1): history[0].sources: unknown source id 'nowhere'",
    ),
    (
        "contested without opponents",
        lambda c: period(c, "alpha", 2).update(opponents=[]),
        "history[2].opponents: a contested period must name who is fighting for it",
    ),
    (
        "month precision on a mid-month date",
        lambda c: period(c, "alpha", 2).update(start="2016-11-05"),
        "'2016-11-05' has month precision, so it must be written as the first of the month",
    ),
    (
        "impossible date",
        lambda c: period(c, "alpha", 0).update(end="2014-02-30"),
        "history[0].end: '2014-02-30' is not a real date",
    ),
    (
        "latitude and longitude swapped",
        lambda c: feature(c, "alpha")["geometry"].update(coordinates=[36.34, 43.13]),
        "'alpha' (#0): geometry.coordinates: coordinate (36.34, 43.13) looks like latitude, longitude",
    ),
    (
        "outside the region",
        lambda c: feature(c, "alpha")["geometry"].update(coordinates=[2.35, 48.85]),
        "coordinate (2.35, 48.85) is outside the region",
    ),
    (
        "wrong geometry type for the kind",
        lambda c: feature(c, "alpha")["geometry"].update(type="LineString", coordinates=[[43.1, 36.3], [43.2, 36.4]]),
        "'alpha' (#0): geometry.type: a city must be a Point, not a LineString",
    ),
    (
        "self-intersecting polygon",
        lambda c: feature(c, "gamma")["geometry"].update(
            coordinates=[[[37.5, 36.3], [38.0, 36.8], [38.0, 36.3], [37.5, 36.8], [37.5, 36.3]]]
        ),
        "'gamma' (#2): geometry: invalid Polygon: Self-intersection",
    ),
    (
        "duplicate place id",
        lambda c: feature(c, "beta").update(id="alpha"),
        "duplicate place id 'alpha'",
    ),
    (
        "unexpected field",
        lambda c: feature(c, "beta")["properties"].update(inhabitants=12),
        "'beta' (#1): unexpected field ('inhabitants' was unexpected)",
    ),
    (
        "missing name",
        lambda c: feature(c, "beta")["properties"].pop("name"),
        "'beta' (#1): name: missing",
    ),
]


@pytest.mark.parametrize(
    ("breakage", "expected"), [(b, e) for _, b, e in PLACE_BREAKAGES], ids=[name for name, _, _ in PLACE_BREAKAGES]
)
def test_each_breakage_is_reported_precisely(mini_copy: Path, breakage: Callable[[Any], None], expected: str) -> None:
    edit_json(mini_copy / PLACES, breakage)
    problems = problems_in(mini_copy)
    assert len(problems) == 1, problems
    assert expected in problems[0]
    assert problems[0].startswith(str(mini_copy / PLACES))


def test_every_problem_in_a_file_is_reported_at_once(mini_copy: Path) -> None:
    chosen = [
        "reversed period",
        "unsorted periods",
        "unknown status",
        "dangling source id",
        "missing name",
        "latitude and longitude swapped",
    ]
    breakages = {name: (breakage, expected) for name, breakage, expected in PLACE_BREAKAGES}

    def break_several(content: Any) -> None:
        for name in chosen:
            breakages[name][0](content)

    edit_json(mini_copy / PLACES, break_several)
    problems = problems_in(mini_copy)
    assert len(problems) == len(chosen), problems
    for name in chosen:
        assert any(breakages[name][1] in p for p in problems), name


def test_loading_bad_data_raises_one_error_listing_every_problem(mini_copy: Path) -> None:
    edit_json(mini_copy / PLACES, lambda c: period(c, "alpha", 0).update(controller="martians", sources=["x"]))
    with pytest.raises(DataError) as caught:
        controlmap.dataset_from_dir(mini_copy)
    assert len(caught.value.problems) == 2
    assert "2 problems in the geodata" in str(caught.value)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b'{"type": "FeatureCollection", "features": [', "invalid JSON at line 1, column 44: Expecting value"),
        (b'{"type": "FeatureCollection", "features": [{"x": NaN}]}', "NaN is not a number JSON allows"),
        ('{"name": "Mossoul"}'.encode("latin-1") + b"\xe9", "not UTF-8: byte 0xe9 at line 1"),
        (b"[]", "[] is not of type 'object'"),
    ],
    ids=["truncated", "nan", "latin-1", "wrong-type"],
)
def test_unreadable_files_are_reported_not_raised(mini_copy: Path, content: bytes, expected: str) -> None:
    (mini_copy / PLACES).write_bytes(content)
    problems = problems_in(mini_copy)
    assert len(problems) == 1, problems
    assert expected in problems[0]


def test_a_file_with_nan_coordinates_is_reported(mini_copy: Path) -> None:
    text = (mini_copy / PLACES).read_text("utf-8").replace("[43.13, 36.34]", "[NaN, 36.34]")
    (mini_copy / PLACES).write_text(text, "utf-8")
    assert any("NaN" in p for p in problems_in(mini_copy))


def test_sources_registry_problems(mini_copy: Path) -> None:
    def break_sources(content: Any) -> None:
        content["sources"].append(dict(content["sources"][0]))
        content["sources"][1]["url"] = "javascript:alert(1)"
        content["sources"][2]["published"] = "2014-13-01"

    edit_json(mini_copy / "sources.json", break_sources)
    problems = problems_in(mini_copy)
    assert any("source 'report-b' (#1): url: 'javascript:alert(1)' is not in the expected form" in p for p in problems)
    assert any(
        "'2014-13-01' is not in the expected form" in p or "'2014-13-01' is not a real date" in p for p in problems
    )


def test_duplicate_source_ids_are_reported(mini_copy: Path) -> None:
    edit_json(mini_copy / "sources.json", lambda c: c["sources"].append(dict(c["sources"][0])))
    assert problems_in(mini_copy) == [f"{mini_copy / 'sources.json'}: source #3: id: duplicate id 'report-a'"]


def test_a_faction_without_a_colour_for_every_palette_is_reported(mini_copy: Path) -> None:
    edit_json(mini_copy / "factions.json", lambda c: c["factions"][0]["colours"].pop("colorblind"))
    assert problems_in(mini_copy) == [
        f"{mini_copy / 'factions.json'}: faction 'isis' (#0): colours: no colour for palette(s) colorblind"
    ]


def test_an_unreadable_registry_does_not_flood_the_report(mini_copy: Path) -> None:
    (mini_copy / "sources.json").write_text("{", "utf-8")
    problems = problems_in(mini_copy)
    assert len(problems) == 1
    assert "sources.json: invalid JSON" in problems[0]


def test_a_single_places_file_is_checked_against_its_dataset(mini_copy: Path) -> None:
    assert controlmap.check_paths([mini_copy / PLACES]) == []
    edit_json(mini_copy / PLACES, lambda c: period(c, "alpha", 0).update(controller="martians"))
    assert len(controlmap.check_paths([mini_copy / PLACES])) == 1


def test_missing_paths_are_reported(tmp_path: Path) -> None:
    problems = [str(p) for p in controlmap.check_paths([tmp_path / "nowhere"])]
    assert problems == [f"{tmp_path / 'nowhere'}: no such file or directory"]


def test_validation_never_changes_the_files(mini_copy: Path) -> None:
    edit_json(mini_copy / PLACES, lambda c: period(c, "alpha", 0).update(controller="martians"))
    before = {p: p.read_bytes() for p in mini_copy.rglob("*") if p.is_file()}
    problems_in(mini_copy)
    with pytest.raises(DataError):
        controlmap.dataset_from_dir(mini_copy)
    assert {p: p.read_bytes() for p in mini_copy.rglob("*") if p.is_file()} == before


def test_a_population_needs_its_source(mini_copy: Path) -> None:
    edit_json(mini_copy / PLACES, lambda c: feature(c, "beta")["properties"].update(population=12))
    assert problems_in(mini_copy) == [
        f"{mini_copy / PLACES}: feature 'beta' (#1): population: population and population_source go together: "
        "give both or neither"
    ]


def test_a_population_source_must_be_registered(mini_copy: Path) -> None:
    edit_json(
        mini_copy / PLACES,
        lambda c: feature(c, "beta")["properties"].update(population=12, population_source="nowhere"),
    )
    assert problems_in(mini_copy) == [
        f"{mini_copy / PLACES}: feature 'beta' (#1): population_source: unknown source id 'nowhere'"
    ]
