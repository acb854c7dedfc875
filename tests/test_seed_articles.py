"""The two seed articles the project grew from: every place found and geocoded, the main claims dated.

The articles are read from ``../shared/seeds`` beside the repository (`conftest.SEEDS`); they are not copied
into it, and these tests skip, naming that path, where it is absent.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING

import pytest

from conftest import GEODATA, SEEDS
from controlmap.articles.extraction import Extraction, extraction_from_text
from controlmap.articles.files import article_from_file
from controlmap.cli import main

if TYPE_CHECKING:
    from pathlib import Path

    from controlmap.articles.gazetteer import Gazetteer


pytestmark = pytest.mark.skipif(
    not SEEDS.is_dir() or not list(SEEDS.glob("*.txt")), reason=f"the seed articles are not at {SEEDS}"
)


def _seed(word: str) -> Path:
    for path in sorted(SEEDS.glob("*.txt")):
        if word in path.read_text("utf-8"):
            return path
    pytest.skip(f"no seed article in {SEEDS} mentions {word!r}")


@pytest.fixture(scope="module")
def first(shipped_gazetteer: Gazetteer) -> Extraction:
    """The article of 24 March 2016 (its date is read from its "Last update" line)."""
    return extraction_from_text(article_from_file(_seed("Manbij")), shipped_gazetteer)


@pytest.fixture(scope="module")
def second(shipped_gazetteer: Gazetteer) -> Extraction:
    """The article of 16 March 2017 (it states no date; the reviewer gives it)."""
    return extraction_from_text(article_from_file(_seed("al-Nuri")), shipped_gazetteer, published=dt.date(2017, 3, 16))


def _found(extraction: Extraction) -> set[str]:
    return {m.best.entry.id for m in extraction.places if m.best is not None}


@pytest.mark.parametrize(
    "place",
    ["mosul", "al-nuri-mosque", "palmyra", "khabur-river", "manbij-pocket", "raqqa", "fallujah", "ramadi", "aleppo"],
)
def test_every_place_is_found_and_geocoded(first: Extraction, second: Extraction, place: str) -> None:
    assert place in _found(first) | _found(second)
    mention = next(m for m in [*first.places, *second.places] if m.best and m.best.entry.id == place)
    assert mention.best is not None
    assert 34.0 <= mention.best.entry.lon <= 49.5
    assert 29.0 <= mention.best.entry.lat <= 38.5


def test_the_euphrates_is_found(first: Extraction) -> None:
    assert _found(first) & {"euphrates-river", "basemap:euphrates"}


def test_no_place_is_made_up(first: Extraction, second: Extraction) -> None:
    for extraction in (first, second):
        assert all(m.best is not None and m.best.entry.is_project for m in extraction.places)


def test_the_first_article_is_dated_from_its_text(first: Extraction) -> None:
    assert (first.published, first.published_from) == (dt.date(2016, 3, 24), "text")


def _claim(extraction: Extraction, place: str, controller: str) -> tuple[str, dt.date | None, str, str]:
    for claim in extraction.claims:
        if claim.place.best and claim.place.best.entry.id == place and claim.controller == controller:
            assert claim.date is not None
            return claim.kind, claim.date.start, claim.date.precision, claim.status
    pytest.fail(f"no claim that {controller} holds {place}: {[c.place.text for c in extraction.claims]}")


def test_mosul_taken_by_the_islamic_state_in_june_2014(first: Extraction) -> None:
    assert _claim(first, "mosul", "isis") == ("captured", dt.date(2014, 6, 1), "month", "controlled")


def test_the_manbij_pocket_held_by_the_islamic_state_as_of_the_article(first: Extraction) -> None:
    assert _claim(first, "manbij-pocket", "isis") == ("holds", dt.date(2016, 3, 24), "day", "controlled")


def test_eastern_mosul_retaken_by_iraqi_forces_in_january_2017(second: Extraction) -> None:
    assert _claim(second, "mosul-east", "iraq_gov") == ("retaken", dt.date(2017, 1, 1), "month", "controlled")


def test_without_a_date_the_second_article_is_dated_by_its_latest_full_date(shipped_gazetteer: Gazetteer) -> None:
    extraction = extraction_from_text(article_from_file(_seed("al-Nuri")), shipped_gazetteer)
    assert (extraction.published, extraction.published_from) == (dt.date(2017, 3, 16), "inferred")
    assert any("latest full date" in note for note in extraction.notes)


def test_extract_then_ingest_a_seed_into_a_copy(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import shutil  # noqa: PLC0415

    data = tmp_path / "geodata"
    shutil.copytree(GEODATA, data, ignore=shutil.ignore_patterns("*.bak"))
    review = tmp_path / "review.json"
    argv = ["extract", str(_seed("Manbij")), "--outlet", "Test", "--title", "Seed", "-o", str(review)]
    assert main([*argv, "--data", str(data)]) == 0
    document = json.loads(review.read_text("utf-8"))
    for claim in document["claims"]:
        claim["decision"] = "accepted"
    review.write_text(json.dumps(document), "utf-8")
    capsys.readouterr()
    assert main(["ingest", str(review), "--data", str(data)]) == 0
    out = capsys.readouterr().out
    assert "manbij-pocket" in out
    assert main(["validate", str(data)]) == 0
