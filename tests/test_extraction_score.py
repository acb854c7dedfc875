"""The labelled extraction set meets its targets: place recall >= 0.9, claim precision >= 0.8."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from controlmap.articles.evaluation import Scores, score_items
from controlmap.articles.extraction import Extraction, extraction_from_text

if TYPE_CHECKING:
    from controlmap.articles.gazetteer import Gazetteer

ITEMS = Path(__file__).parent / "data" / "extraction" / "items.json"


@pytest.fixture(scope="module")
def scores(shipped_gazetteer: Gazetteer) -> Scores:
    items: list[dict[str, Any]] = json.loads(ITEMS.read_text("utf-8"))

    def extract(item: dict[str, Any]) -> Extraction:
        published = None if item["published"] is None else dt.date.fromisoformat(item["published"])
        return extraction_from_text(item["text"], shipped_gazetteer, published=published)

    return score_items(items, extract)


def test_the_set_is_large_enough(scores: Scores) -> None:
    assert 25 <= scores.items <= 40


def test_place_recall(scores: Scores) -> None:
    assert scores.places.recall >= 0.9, "\n".join(scores.places.misses)


def test_claim_precision(scores: Scores) -> None:
    assert scores.claims.precision >= 0.8, "\n".join(scores.claims.misses)


def test_items_are_well_formed() -> None:
    items: list[dict[str, Any]] = json.loads(ITEMS.read_text("utf-8"))
    assert len({item["id"] for item in items}) == len(items)
    for item in items:
        assert item["text"].strip()
        for claim in item["claims"]:
            assert claim["status"] in {"controlled", "contested", "besieged"}
            assert claim["precision"] in {"day", "month", "year"}
