"""Score the article extraction: precision and recall of places and claims on a labelled set.

Usage::

    python scripts/score_extraction.py                       # tests/data/extraction/items.json, ./geodata
    python scripts/score_extraction.py --items FILE --data DIR --verbose
    python scripts/score_extraction.py --articles DIR -v     # real articles: expected.json and the texts

With ``--articles`` the directory holds news excerpts with the places and claims an analyst took from them
(``expected.json``); the scores are printed in all, per article and per cause, and ``--verbose`` lists every
miss with the causes it shows.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from controlmap.articles.causes import CAUSE_HELP
from controlmap.articles.evaluation import score_items
from controlmap.articles.evaluation_articles import score_articles
from controlmap.articles.extraction import Extraction, extraction_from_text
from controlmap.articles.files import gazetteer_from_dir, labelled_articles_from_dir

if TYPE_CHECKING:
    from controlmap.articles.evaluation_articles import LabelledArticle
    from controlmap.articles.gazetteer import Gazetteer

ROOT = Path(__file__).resolve().parent.parent
ITEMS = ROOT / "tests" / "data" / "extraction" / "items.json"


def _score_items(path: Path, gazetteer: Gazetteer, *, verbose: bool) -> None:
    items: list[dict[str, Any]] = json.loads(path.read_text("utf-8"))

    def extract(item: dict[str, Any]) -> Extraction:
        published = None if item["published"] is None else dt.date.fromisoformat(item["published"])
        return extraction_from_text(item["text"], gazetteer, published=published)

    scores = score_items(items, extract)
    print(scores.summary())
    if verbose:
        for miss in [*scores.places.misses, *scores.claims.misses]:
            print(f"  {miss}")


def _score_articles(directory: Path, gazetteer: Gazetteer, *, verbose: bool) -> None:
    def extract(article: LabelledArticle) -> Extraction:
        return extraction_from_text(article.text, gazetteer, published=article.published)

    scores = score_articles(labelled_articles_from_dir(directory), extract, gazetteer)
    print(scores.total.summary())
    print()
    print(scores.table())
    print()
    for cause, help_text in CAUSE_HELP.items():
        print(f"  {cause}: {help_text}")
    if verbose:
        print()
        for miss in [*scores.total.places.misses, *scores.total.claims.misses]:
            print(f"  {miss}")


def main() -> None:
    """Print the scores (and, with --verbose, every miss)."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--items", type=Path, default=ITEMS, help=f"the labelled set (default {ITEMS})")
    parser.add_argument("--articles", type=Path, help="a directory of labelled articles (expected.json and texts)")
    parser.add_argument("--data", type=Path, default=ROOT / "geodata", help="the geodata directory")
    parser.add_argument("--verbose", "-v", action="store_true", help="list every miss")
    args = parser.parse_args()
    gazetteer = gazetteer_from_dir(args.data)
    if args.articles is not None:
        _score_articles(args.articles, gazetteer, verbose=args.verbose)
    else:
        _score_items(args.items, gazetteer, verbose=args.verbose)


if __name__ == "__main__":
    main()
