"""Score the article extraction on the labelled set: precision and recall of places and claims.

Usage::

    python scripts/score_extraction.py                       # tests/data/extraction/items.json, ./geodata
    python scripts/score_extraction.py --items FILE --data DIR --verbose
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path
from typing import Any

from controlmap.articles.evaluation import score_items
from controlmap.articles.extraction import Extraction, extraction_from_text
from controlmap.articles.files import gazetteer_from_dir

ROOT = Path(__file__).resolve().parent.parent
ITEMS = ROOT / "tests" / "data" / "extraction" / "items.json"


def main() -> None:
    """Print the scores (and, with --verbose, every miss)."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--items", type=Path, default=ITEMS, help=f"the labelled set (default {ITEMS})")
    parser.add_argument("--data", type=Path, default=ROOT / "geodata", help="the geodata directory")
    parser.add_argument("--verbose", "-v", action="store_true", help="list every miss")
    args = parser.parse_args()
    items: list[dict[str, Any]] = json.loads(args.items.read_text("utf-8"))
    gazetteer = gazetteer_from_dir(args.data)

    def extract(item: dict[str, Any]) -> Extraction:
        published = None if item["published"] is None else dt.date.fromisoformat(item["published"])
        return extraction_from_text(item["text"], gazetteer, published=published)

    scores = score_items(items, extract)
    print(scores.summary())
    if args.verbose:
        for miss in [*scores.places.misses, *scores.claims.misses]:
            print(f"  {miss}")


if __name__ == "__main__":
    main()
