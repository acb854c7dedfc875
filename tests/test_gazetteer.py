"""Offline geocoding: name keys for transliterations, ranking by country and context, groups and rivers."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from controlmap.articles._geonames import geonames_rows
from controlmap.articles.gazetteer import GeoContext, distance_km, gazetteer_from_sources, geocode
from controlmap.articles.names import compact_key, name_key

if TYPE_CHECKING:
    import controlmap
    from controlmap.articles.gazetteer import Gazetteer

VARIANTS = [
    ("Raqqa", "Raqqah", "al-Raqqa", "Ar-Raqqah", "ar Raqqah"),
    ("الرقة", "الرقّة", "رقة"),
    ("Deir ez-Zor", "Deir al-Zor", "Dayr az Zawr", "Deir el-Zour", "Deir Ezzor"),
    ("Falluja", "Fallujah", "al-Fallujah", "Al Fallūjah"),
    ("Ayn al-Arab", "Ain al-Arab", "ʿAyn al ʿArab"),
    ("Kobani", "Kobanî"),
    ("Tadmur", "Tadmor"),
    ("Qayyarah", "Qayyara", "al-Qayyarah"),
]


@pytest.mark.parametrize("spellings", VARIANTS)
def test_transliterations_share_a_key(spellings: tuple[str, ...]) -> None:
    keys = {name_key(s) for s in spellings}
    assert len(keys) == 1, keys


def test_keys_ignore_spaces_when_compacted() -> None:
    assert compact_key("Tal Afar") == compact_key("Talafar")
    assert name_key("the Khabur") == name_key("Khabur")


@pytest.mark.parametrize(
    ("asked", "expected"),
    [
        ("Raqqa", "raqqa"),
        ("Ar-Raqqah", "raqqa"),
        ("الرقة", "raqqa"),
        ("Palmyra", "palmyra"),
        ("Tadmur", "palmyra"),
        ("Deir al-Zor", "deir-ez-zor"),
        ("Dayr az Zawr", "deir-ez-zor"),
        ("Kobane", "kobani"),
        ("Ayn al-Arab", "kobani"),
        ("Falluja", "fallujah"),
        ("Jarablus", "jarabulus"),
        ("Grand Mosque of al-Nuri", "al-nuri-mosque"),
        ("Manbij pocket", "manbij-pocket"),
        ("Khabur River", "khabur-river"),
        ("the Khabur", "khabur-river"),
        ("Euphrates River", "euphrates-river"),
    ],
)
def test_shipped_names_resolve(shipped_gazetteer: Gazetteer, asked: str, expected: str) -> None:
    candidates = geocode(shipped_gazetteer, asked)
    assert candidates, asked
    assert candidates[0].entry.id == expected
    assert 0 < candidates[0].score <= 1


def test_groups_list_their_members(shipped_gazetteer: Gazetteer) -> None:
    (best, *_) = geocode(shipped_gazetteer, "Manbij pocket")
    assert best.entry.origin == "group"
    assert len(best.entry.members) >= 2
    assert all(member.startswith("manbij-pocket") for member in best.entry.members)


def test_geonames_towns_are_found_offline(shipped_gazetteer: Gazetteer) -> None:
    (best, *_) = geocode(shipped_gazetteer, "Qamishli")
    assert best.entry.origin == "geonames"
    assert best.entry.country == "SY"
    assert distance_km((best.entry.lon, best.entry.lat), (41.23, 37.05)) < 5


def test_every_candidate_is_returned_with_a_score(shipped_gazetteer: Gazetteer) -> None:
    candidates = geocode(shipped_gazetteer, "Raqqa", limit=10)
    assert len(candidates) > 1
    scores = [c.score for c in candidates]
    assert scores == sorted(scores, reverse=True)
    assert all(c.reasons for c in candidates)


def test_a_fuzzy_spelling_still_resolves(shipped_gazetteer: Gazetteer) -> None:
    (best, *_) = geocode(shipped_gazetteer, "Jrabulus")
    assert best.entry.id == "jarabulus"
    assert best.score < geocode(shipped_gazetteer, "Jarabulus")[0].score


def test_no_match_is_an_empty_list(shipped_gazetteer: Gazetteer) -> None:
    assert geocode(shipped_gazetteer, "Xqzzyw") == []


ROWS = [
    (1, "Hamra", "IQ", 44.0, 34.0, 800, ()),
    (2, "Hamra", "SY", 38.0, 35.5, 1200, ()),
]


def test_ambiguous_names_are_ranked_by_country() -> None:
    gazetteer = gazetteer_from_sources(None, geonames=ROWS)
    assert {c.entry.country for c in geocode(gazetteer, "Hamra")} == {"IQ", "SY"}
    assert geocode(gazetteer, "Hamra", country="IQ")[0].entry.country == "IQ"
    assert geocode(gazetteer, "Hamra", country="SY")[0].entry.country == "SY"


def test_ambiguous_names_are_ranked_by_nearby_places() -> None:
    gazetteer = gazetteer_from_sources(None, geonames=ROWS)
    near_iraq = GeoContext(anchors=((44.1, 34.1),))
    near_syria = GeoContext(anchors=((38.1, 35.4),))
    assert geocode(gazetteer, "Hamra", context=near_iraq)[0].entry.country == "IQ"
    assert geocode(gazetteer, "Hamra", context=near_syria)[0].entry.country == "SY"
    assert geocode(gazetteer, "Hamra", context=GeoContext(countries={"SY": 1.0}))[0].entry.country == "SY"


def test_a_project_place_hides_its_geonames_twin(mini: controlmap.Dataset) -> None:
    rows = [(9, "Alfa", "IQ", 43.14, 36.35, 5000, ()), (10, "Alfa", "SY", 37.0, 36.0, 5000, ())]
    gazetteer = gazetteer_from_sources(mini, geonames=rows)
    ids = [c.entry.id for c in geocode(gazetteer, "Alfa")]
    assert ids[0] == "alpha"
    assert "geonames:9" not in ids
    assert "geonames:10" in ids


def test_the_shipped_geonames_cover_the_region() -> None:
    rows = geonames_rows()
    countries = {row[2] for row in rows}
    assert {"IQ", "SY"} <= countries
    assert all(34.0 <= row[3] <= 49.5 and 29.0 <= row[4] <= 38.5 for row in rows)
