"""Finding a place or a group by any of its names: the one search of the app's search box and ``timeline --place``."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from controlmap.errors import PlaceNotFoundError
from controlmap.web.search import find_places, resolve_place

if TYPE_CHECKING:
    import controlmap


def ids(dataset: controlmap.Dataset, text: str, limit: int = 20) -> list[str]:
    return [found.id for found in find_places(dataset, text, limit=limit)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("alpha", "alpha"), ("ALF", "alpha"), ("ألفا", "alpha"), ("beta riv", "beta"), ("pocket", "gamma")],
)
def test_find_places_by_any_name(mini: controlmap.Dataset, text: str, expected: str) -> None:
    assert ids(mini, text)[0] == expected


def test_find_places_ignores_case_and_accents(mini: controlmap.Dataset) -> None:
    assert ids(mini, "ÁLPHA") == ["alpha"]
    assert ids(mini, "") == []
    assert ids(mini, " - ") == []
    assert ids(mini, "zzz") == []


def test_a_name_that_starts_a_name_comes_before_one_that_only_contains_it(mini: controlmap.Dataset) -> None:
    assert ids(mini, "a")[0] == "alpha"


def test_the_city_comes_before_the_river_reaches_named_after_it(shipped: controlmap.Dataset) -> None:
    found = ids(shipped, "الرقة")
    assert found[0] == "raqqa"
    assert set(found[1:]) == {"euphrates-raqqa-deir-ez-zor", "euphrates-tabqa-raqqa"}
    assert ids(shipped, "Raqqa")[0] == "raqqa"
    assert ids(shipped, "Manbij")[0] == "manbij"
    assert ids(shipped, "Mosul")[0] == "mosul"


def test_a_group_is_offered_with_its_parts(shipped: controlmap.Dataset) -> None:
    found = find_places(shipped, "Manbij pocket")
    parts = {p.id for p in shipped.places if p.group == "manbij-pocket"}
    assert found[0].id == "manbij-pocket"
    assert found[0].group
    assert set(found[0].members) == parts
    assert found[0].label() == "Manbij pocket (all 7 parts)"
    assert {f.id for f in found[1:8]} == parts
    # A group shares its parts' common names; the group comes before its parts on a tie.
    assert ids(shipped, "Furat")[0] == "euphrates-river"
    assert ids(shipped, "khabur")[0] == "khabur-river"


@pytest.mark.parametrize("text", ["raqqa city", "Raqqa, Syria", "the city of raqqa", "al raqqa", "RAQQAH"])
def test_extra_words_are_tolerated(shipped: controlmap.Dataset, text: str) -> None:
    found = ids(shipped, text)
    assert found[0] == "raqqa"
    assert "mosul-city" not in found  # "city" alone finds nothing


def test_a_near_spelling_is_found_but_not_taken_for_the_name(shipped: controlmap.Dataset) -> None:
    assert ids(shipped, "Mosel")[0] == "mosul"
    with pytest.raises(PlaceNotFoundError, match="no place or group has the name 'Mosel'; the closest: mosul"):
        resolve_place(shipped, "Mosel")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mosul", "mosul"),
        ("Mosul", "mosul"),
        ("manbij-pocket", "manbij-pocket"),
        ("الرقة", "raqqa"),
        ("raqqa city", "raqqa"),
        ("Furat", "euphrates-river"),
        ("mosul city", "mosul-city"),
        ("Tishrin", "tishrin-dam"),  # the dam itself, before the bridgehead named after it
    ],
)
def test_resolve_takes_the_one_place_or_group_a_name_means(
    shipped: controlmap.Dataset, text: str, expected: str
) -> None:
    assert resolve_place(shipped, text).id == expected


def test_resolve_lists_the_candidates_of_an_ambiguous_name(shipped: controlmap.Dataset) -> None:
    with pytest.raises(PlaceNotFoundError) as raised:
        resolve_place(shipped, "Maskaneh")
    message = str(raised.value)
    assert message.startswith("'Maskaneh' may be any of: maskanah (")
    assert "manbij-pocket-maskanah (" in message
    with pytest.raises(PlaceNotFoundError, match=r"^no place or group has the name 'Xqzzy'$"):
        resolve_place(shipped, "Xqzzy")
