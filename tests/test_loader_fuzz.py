"""Fuzzing the loader: whatever a places file holds, validation reports problems and never crashes."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

import controlmap
from controlmap.validate import DatasetDocuments, Document, validate_documents

MINI = Path(__file__).parent / "data" / "mini"


def mini_documents() -> DatasetDocuments:
    def load(name: str) -> Document:
        return Document(name, json.loads((MINI / name).read_text("utf-8")))

    return DatasetDocuments(
        dataset=load("dataset.json"),
        factions=load("factions.json"),
        sources=load("sources.json"),
        places=[load("places/test.geojson")],
    )


BASE = mini_documents()

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=200)
@given(json_values)
def test_any_json_as_a_places_file_is_reported_not_raised(content: Any) -> None:
    documents = DatasetDocuments(BASE.dataset, BASE.factions, BASE.sources, [Document("places/x.geojson", content)])
    problems = validate_documents(documents)
    assert all(isinstance(p, controlmap.Problem) and p.file == "places/x.geojson" for p in problems)


def paths_into(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside a JSON document."""
    found = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            found += paths_into(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += paths_into(child, (*prefix, index))
    return found


PLACE_PATHS = [p for p in paths_into(BASE.places[0].content) if p]


@settings(max_examples=300)
@given(st.lists(st.tuples(st.sampled_from(PLACE_PATHS), json_values), min_size=1, max_size=4))
def test_mutated_places_are_reported_not_raised(mutations: list[tuple[tuple[Any, ...], Any]]) -> None:
    content = copy.deepcopy(BASE.places[0].content)
    for path, value in mutations:
        target = content
        try:
            for key in path[:-1]:
                target = target[key]
            target[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed this path
    documents = DatasetDocuments(BASE.dataset, BASE.factions, BASE.sources, [Document("p.geojson", content)])
    problems = validate_documents(documents)
    if not problems:
        # Whatever validation accepts must load and answer queries.
        from controlmap.codec import dataset_from_documents  # noqa: PLC0415 - only on this branch

        dataset = dataset_from_documents(documents)
        controlmap.snapshot(dataset, dataset.coverage_start)
        controlmap.change_events(dataset)


def test_a_huge_file_is_refused_unread(mini_copy: Path) -> None:
    places = mini_copy / "places" / "test.geojson"
    before = places.read_bytes()
    huge = mini_copy / "places" / "huge.geojson"
    with huge.open("wb") as stream:
        stream.truncate(200 * 1024 * 1024)  # sparse: 200 MB on paper, nothing written
    problems = [str(p) for p in controlmap.check_paths([mini_copy])]
    assert problems == [f"{huge}: file is 210 MB; the limit is 50 MB"]
    assert places.read_bytes() == before
