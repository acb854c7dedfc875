"""Scoring extraction against labelled sets: precision and recall of places and claims (pure).

Two kinds of labelled set are scored: the project's own items here, real articles in
`controlmap.articles.evaluation_articles`.

*Items* (the project's short texts) name their places as project place or group ids (``"ramadi"``), or as
towns the project does not have, ``{"name", "lon", "lat"}``, matched to a proposed place within `MATCH_KM`.
Their claims are ``{"place", "controller", "status", "start", "precision"}``; ``"start": null`` stands for an
undated past event, which the extractor dates "before" the article.

*Labelled articles* (real news excerpts, `LabelledArticle`) name their places as the text names them, and
their claims as ``{"place", "controller" ("a|b": either), "status" (optional), "date" ("YYYY-MM-DD",
"YYYY-MM", "YYYY" or null), "evidence"}``. A proposed place is the expected one when the gazetteer resolves
the expected name to the entry the extractor chose, or, for a place the gazetteer does not have, when the
mention is written with the same name key. A date agrees at the expected precision; null needs a claim
dated "before" the article. Each expected claim and place is matched at most once; opponents and kinds
of claim are not scored. Every expected and proposed claim is also tagged with the causes of difficulty
it involves (`controlmap.articles.causes`), so that the scores can be read cause by cause.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from controlmap.articles.gazetteer import distance_km

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from controlmap.articles.claims import Claim
    from controlmap.articles.extraction import Extraction
    from controlmap.articles.gazetteer import GazetteerEntry

MATCH_KM = 25.0


@dataclass
class Tally:
    """True positives, false positives and false negatives, with the misses listed."""

    true: int = 0
    false_positive: int = 0
    false_negative: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        """Share of what was proposed that is right (1.0 when nothing was proposed)."""
        proposed = self.true + self.false_positive
        return self.true / proposed if proposed else 1.0

    @property
    def recall(self) -> float:
        """Share of what is right that was proposed (1.0 when nothing was expected)."""
        expected = self.true + self.false_negative
        return self.true / expected if expected else 1.0


@dataclass
class Scores:
    """Place and claim tallies over a labelled set."""

    places: Tally = field(default_factory=Tally)
    claims: Tally = field(default_factory=Tally)
    items: int = 0

    def summary(self) -> str:
        """The scores in a few lines."""
        return "\n".join(
            [
                f"items: {self.items}",
                f"places: precision {self.places.precision:.3f}  recall {self.places.recall:.3f}  "
                f"({self.places.true} right, {self.places.false_positive} wrong, {self.places.false_negative} missed)",
                f"claims: precision {self.claims.precision:.3f}  recall {self.claims.recall:.3f}  "
                f"({self.claims.true} right, {self.claims.false_positive} wrong, {self.claims.false_negative} missed)",
            ]
        )


def _matches(expected: Any, entry: GazetteerEntry) -> bool:
    if isinstance(expected, str):
        return entry.id == expected
    return distance_km((float(expected["lon"]), float(expected["lat"])), (entry.lon, entry.lat)) <= MATCH_KM


def _label(expected: Any) -> str:
    return expected if isinstance(expected, str) else str(expected["name"])


def score_item(item: dict[str, Any], extraction: Extraction, scores: Scores) -> None:
    """Add one item's places and claims to the tallies."""
    scores.items += 1
    found = {m.best.entry.id: m.best.entry for m in extraction.places if m.best is not None}
    unmatched = dict(found)
    for expected in item["places"]:
        hit = next((i for i, e in unmatched.items() if _matches(expected, e)), None)
        if hit is None:
            scores.places.false_negative += 1
            scores.places.misses.append(f"{item['id']}: place {_label(expected)} missed")
        else:
            scores.places.true += 1
            del unmatched[hit]
    scores.places.false_positive += len(unmatched)
    scores.places.misses.extend(f"{item['id']}: place {i} ({e.name}) not expected" for i, e in unmatched.items())
    proposed = list(extraction.claims)
    for expected in item["claims"]:
        matching = next((c for c in proposed if _claim_matches(expected, c)), None)
        if matching is None:
            scores.claims.false_negative += 1
            scores.claims.misses.append(f"{item['id']}: claim {_claim_label(expected)} missed")
        else:
            scores.claims.true += 1
            proposed.remove(matching)
    scores.claims.false_positive += len(proposed)
    for claim in proposed:
        entry = claim.place.best.entry.id if claim.place.best else claim.place.text
        when = None if claim.date is None else (claim.date.start, claim.date.precision)
        scores.claims.misses.append(
            f"{item['id']}: claim {entry} {claim.controller} {claim.status} {when} not expected"
        )


def _claim_label(expected: dict[str, Any]) -> str:
    return f"{_label(expected['place'])} {expected['controller']} {expected['status']} {expected['start']}"


def _claim_matches(expected: dict[str, Any], claim: Claim) -> bool:
    best = claim.place.best
    if best is None or not _matches(expected["place"], best.entry):
        return False
    if (claim.controller, claim.status) != (expected["controller"], expected["status"]):
        return False
    if claim.date is None:
        return False
    if expected["start"] is None:
        return bool(claim.date.relation == "before")
    return (
        claim.date.start == dt.date.fromisoformat(expected["start"]) and claim.date.precision == expected["precision"]
    )


def score_items(items: Sequence[dict[str, Any]], extract: Callable[[dict[str, Any]], Extraction]) -> Scores:
    """Run the extractor on every item and score it.

    Parameters
    ----------
    items
        The labelled items.
    extract
        Turns an item (its ``text`` and ``published``) into an extraction.
    """
    scores = Scores()
    for item in items:
        score_item(item, extract(item), scores)
    return scores
