"""The compiled store's checks against the plain ones on random edits: the same problems, word for word.

The store marks suspect features with vectorised checks and explains them with `controlmap.validate`; here
plausible values (dates real and not, precisions, factions known and not, opponents, sources, coordinates)
land on random fields of the tiny dataset, and the problems with the store, empty and full, must be the
plain reading's. When there are none, the dataset must be the plain one.
"""

from __future__ import annotations

import copy
import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from controlmap.codec import dataset_from_documents
from controlmap.io import read_documents, valid_documents
from controlmap.store import check_dir, dataset_from_checked
from controlmap.validate import validate_documents

MINI = Path(__file__).parent / "data" / "mini"
BASE = json.loads((MINI / "places" / "test.geojson").read_text("utf-8"))

PLAUSIBLE = st.sampled_from(
    [
        "2014-06-10", "2014-06-01", "2014-01-01", "2014-02-29", "2016-02-29", "2013-13-01", "0000-01-01",
        "2012-06-01", "2020-01-01", "2019-12-31", "2014-6-10", "\uff12\uff10\uff11\uff14-06-10", None,
        "day", "month", "year", "isis", "iraq_gov", "martians", "controlled", "contested", "besieged",
        [], ["isis"], ["iraq_gov"], ["isis", "iraq_gov"], ["report-a"], ["nowhere"], ["report-a", "report-b"],
        [43.1, 36.3], [36.3, 43.1], [100.0, 0.0], [43, 36], [43.1, True], [[43.1, 36.3], [43.2, 36.4]],
        [[[37.5, 36.3], [38.0, 36.3], [38.0, 36.8], [37.5, 36.3]]], 5, 5.0, -1, "", "x",
    ]
)  # fmt: skip


def paths_into(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            found += paths_into(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += paths_into(child, (*prefix, index))
    return found


PATHS = [p for p in paths_into(BASE) if len(p) > 2]


def check(content: Any) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        directory = Path(scratch) / "data"
        directory.mkdir()
        for name in ("dataset.json", "factions.json", "sources.json"):
            (directory / name).write_bytes((MINI / name).read_bytes())
        (directory / "places").mkdir()
        (directory / "places" / "a.geojson").write_text(json.dumps(BASE), "utf-8")
        check_dir(directory)  # a store full of the valid file
        (directory / "places" / "b.geojson").write_text(json.dumps(content, ensure_ascii=False), "utf-8")
        documents, read = read_documents(directory)
        expected = [*read, *validate_documents(documents)]
        for _ in range(2):  # compiled, then read back from the store where it could be kept
            checked = check_dir(directory)
            assert checked.all_problems() == expected
        if not expected:
            assert dataset_from_checked(checked) == dataset_from_documents(valid_documents(directory))


@settings(max_examples=150)
@given(st.lists(st.tuples(st.sampled_from(PATHS), PLAUSIBLE), min_size=1, max_size=4))
def test_plausible_edits_give_the_plain_problems(mutations: list[tuple[tuple[Any, ...], Any]]) -> None:
    content = copy.deepcopy(BASE)
    for feature in content["features"]:
        feature["id"] += "-b"  # the second file's places are its own, unless an edit says otherwise
    for path, value in mutations:
        target = content
        try:
            for key in path[:-1]:
                target = target[key]
            target[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue
    check(content)


def test_an_id_used_in_two_files_is_reported_as_plainly() -> None:
    check(copy.deepcopy(BASE))
