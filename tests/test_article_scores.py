"""The extractor on real news articles an analyst labelled (the development set beside the repository).

The articles are read from ``../shared/articles`` (`conftest.ARTICLES`), never copied into the project; these
tests skip, naming that path, where it is absent. The floors are the targets: claim precision and recall at
least 0.8, place recall at least 0.95.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from conftest import ARTICLES
from controlmap.articles.causes import CAUSES
from controlmap.articles.evaluation_articles import (
    ArticleScores,
    ExpectedClaim,
    labelled_articles_from_documents,
    score_articles,
)
from controlmap.articles.extraction import Extraction, extraction_from_text
from controlmap.articles.files import labelled_articles_from_dir

if TYPE_CHECKING:
    from controlmap.articles.evaluation_articles import LabelledArticle
    from controlmap.articles.gazetteer import Gazetteer

CLAIM_PRECISION = 0.8
CLAIM_RECALL = 0.8
PLACE_RECALL = 0.95

needs_articles = pytest.mark.skipif(
    not (ARTICLES / "expected.json").is_file(), reason=f"the labelled articles are not at {ARTICLES}"
)


@pytest.fixture(scope="module")
def scores(shipped_gazetteer: Gazetteer) -> ArticleScores:
    def extract(article: LabelledArticle) -> Extraction:
        return extraction_from_text(article.text, shipped_gazetteer, published=article.published)

    return score_articles(labelled_articles_from_dir(ARTICLES), extract, shipped_gazetteer)


@needs_articles
def test_claim_precision(scores: ArticleScores) -> None:
    assert scores.total.claims.precision >= CLAIM_PRECISION, "\n".join(scores.total.claims.misses)


@needs_articles
def test_claim_recall(scores: ArticleScores) -> None:
    assert scores.total.claims.recall >= CLAIM_RECALL, "\n".join(scores.total.claims.misses)


@needs_articles
def test_place_recall(scores: ArticleScores) -> None:
    assert scores.total.places.recall >= PLACE_RECALL, "\n".join(scores.total.places.misses)


@needs_articles
def test_every_article_and_cause_is_scored(scores: ArticleScores) -> None:
    assert len(scores.articles) == scores.total.items >= 30
    table = scores.table()
    assert all(name in table for name in scores.articles)
    assert all(cause in table for cause in CAUSES)
    expected = sum(s.expected.true + s.expected.false_negative for s in scores.causes.values())
    assert expected >= scores.total.claims.true + scores.total.claims.false_negative  # a claim shows >= 1 cause


SEIZED = "Islamic State fighters seized Ramadi on Sunday."
LEAD = "Aid reaches Anbar.\n\n" + " ".join(["Convoys of trucks reached the province this week, officials said."] * 3)


def _article(claims: list[dict[str, str | None]], text: str = SEIZED) -> tuple[dict[str, Any], dict[str, str]]:
    return {"x.txt": {"published": "2015-05-18", "places": ["Ramadi"], "claims": claims}}, {"x.txt": text}


@pytest.mark.parametrize(
    ("expected", "right"),
    [
        ({"place": "Ramadi", "controller": "isis", "status": "controlled", "date": "2015-05-17"}, True),
        ({"place": "Ramadi", "controller": "isis", "status": "controlled", "date": "2015-05"}, True),
        ({"place": "Ramadi", "controller": "isis|iraq_gov", "date": "2015"}, True),
        ({"place": "Ramadi", "controller": "isis", "status": "controlled", "date": "2015-05-18"}, False),
        ({"place": "Ramadi", "controller": "isis", "status": "contested", "date": "2015-05-17"}, False),
        ({"place": "Ramadi", "controller": "iraq_gov", "status": "controlled", "date": "2015-05-17"}, False),
        ({"place": "Ramadi", "controller": "isis", "status": "controlled", "date": None}, False),
        ({"place": "Ar-Ramadi", "controller": "isis", "status": "controlled", "date": "2015-05-17"}, True),
    ],
)
def test_the_matching_rule(shipped_gazetteer: Gazetteer, expected: dict[str, str | None], right: bool) -> None:
    articles = labelled_articles_from_documents(*_article([{**expected, "evidence": "seized Ramadi"}]))

    def extract(article: LabelledArticle) -> Extraction:
        return extraction_from_text(article.text, shipped_gazetteer, published=article.published)

    scores = score_articles(articles, extract, shipped_gazetteer)
    assert (scores.total.claims.true == 1) is right
    assert scores.total.places.recall == 1.0


def test_an_undated_expectation_needs_a_claim_before_the_article(shipped_gazetteer: Gazetteer) -> None:
    claim = {"place": "Mosul", "controller": "isis", "status": "controlled", "date": None, "evidence": "had held"}
    document, texts = _article([claim])
    texts["x.txt"] = f"{LEAD}\n\nThe militants had long held Mosul."
    document["x.txt"]["places"] = ["Mosul"]
    (article,) = labelled_articles_from_documents(document, texts)
    scores = score_articles(
        [article], lambda a: extraction_from_text(a.text, shipped_gazetteer, published=a.published), shipped_gazetteer
    )
    assert scores.total.claims.true == 1, scores.total.claims.misses


def test_a_place_the_gazetteer_lacks_matches_by_its_name(shipped_gazetteer: Gazetteer) -> None:
    document, texts = _article([], "Islamic State fighters seized the village of Qarqoosh Ulya on Sunday.")
    document["x.txt"]["places"] = ["Qarqoosh Ulya"]
    (article,) = labelled_articles_from_documents(document, texts)
    scores = score_articles(
        [article], lambda a: extraction_from_text(a.text, shipped_gazetteer, published=a.published), shipped_gazetteer
    )
    assert scores.total.places.true == 1, scores.total.places.misses


def test_expected_claims_read_either_controller() -> None:
    document, texts = _article([{"place": "Ramadi", "controller": "isis|iraq_gov", "date": None}])
    (article,) = labelled_articles_from_documents(document, texts)
    assert article.claims == (ExpectedClaim("Ramadi", ("isis", "iraq_gov"), None, None, ""),)
