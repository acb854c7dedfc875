"""Scoring extraction against real articles labelled by an analyst, per article and per cause (pure).

A labelled article (`LabelledArticle`) names its places as the text names them, and its claims as
``{"place", "controller" ("a|b": either), "status" (optional), "date" ("YYYY-MM-DD", "YYYY-MM", "YYYY" or
null), "evidence"}``. A proposed place is the expected one when the gazetteer resolves the expected name to
the entry the extractor chose, or, for a place the gazetteer does not have, when the mention is written with
the same name key. A date agrees at the expected precision; null needs a claim dated "before" the article.
Each expected claim and place is matched at most once (a maximum matching); opponents and kinds of claim
are not scored. Every expected and proposed claim is also tagged with the causes of difficulty it shows
(`controlmap.articles.causes`), so that the scores can be read cause by cause.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from controlmap.articles.actors import countries_from_text
from controlmap.articles.causes import CAUSES, Cause, claim_causes
from controlmap.articles.evaluation import Scores, Tally
from controlmap.articles.gazetteer import GeoContext, geocode
from controlmap.articles.names import compact_key, name_key

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from controlmap.articles.claims import Claim, ClaimDate
    from controlmap.articles.extraction import Extraction
    from controlmap.articles.gazetteer import Gazetteer, GazetteerEntry
    from controlmap.articles.mentions import PlaceMention


@dataclass(frozen=True)
class ExpectedClaim:
    """A claim of control a careful reader takes from a labelled article.

    Parameters
    ----------
    place
        The place as the text names it.
    controllers
        The faction ids that are acceptable (``"a|b"`` in the file: either).
    status
        ``controlled``, ``contested`` or ``besieged``; None when the text does not say (any status matches).
    date
        ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``; None for an undated event or state before publication.
    evidence
        A short quote from the sentence that states it.
    """

    place: str
    controllers: tuple[str, ...]
    status: str | None
    date: str | None
    evidence: str = ""

    def label(self) -> str:
        """One line: place, controller, status, date."""
        return f"{self.place} {'|'.join(self.controllers)} {self.status or 'any status'} {self.date or 'before'}"


@dataclass(frozen=True)
class LabelledArticle:
    """A real news excerpt with the places it names and the claims it makes."""

    name: str
    text: str
    published: dt.date | None
    places: tuple[str, ...]
    claims: tuple[ExpectedClaim, ...]


def labelled_articles_from_documents(expected: dict[str, Any], texts: dict[str, str]) -> list[LabelledArticle]:
    """The labelled articles of an ``expected.json`` document, with their texts by file name.

    Raises
    ------
    KeyError
        When a labelled file has no text.
    """
    articles = []
    for name, entry in sorted(expected.items()):
        published = entry.get("published")
        articles.append(
            LabelledArticle(
                name=name,
                text=texts[name],
                published=None if published is None else dt.date.fromisoformat(published),
                places=tuple(entry["places"]),
                claims=tuple(
                    ExpectedClaim(
                        place=claim["place"],
                        controllers=tuple(claim["controller"].split("|")),
                        status=claim.get("status"),
                        date=claim.get("date"),
                        evidence=claim.get("evidence", ""),
                    )
                    for claim in entry["claims"]
                ),
            )
        )
    return articles


@dataclass
class CauseScore:
    """How the claims showing one cause fared: recall over the expected ones, precision over the proposed."""

    expected: Tally = field(default_factory=Tally)
    proposed: Tally = field(default_factory=Tally)


@dataclass
class ArticleScores:
    """Scores over a set of labelled articles: in all, article by article and cause by cause."""

    total: Scores = field(default_factory=Scores)
    articles: dict[str, Scores] = field(default_factory=dict)
    causes: dict[Cause, CauseScore] = field(default_factory=lambda: {c: CauseScore() for c in CAUSES})

    def table(self) -> str:
        """Per article and per cause, as aligned text."""
        lines = [f"{'article':<28} {'P places':>8} {'R places':>8} {'P claims':>8} {'R claims':>8}"]
        for name, s in self.articles.items():
            lines.append(
                f"{name:<28} {s.places.precision:>8.2f} {s.places.recall:>8.2f} "
                f"{s.claims.precision:>8.2f} {s.claims.recall:>8.2f}"
            )
        lines.append("")
        lines.append(f"{'cause':<16} {'expected':>8} {'recall':>7} {'proposed':>8} {'precision':>9}")
        for cause, score in self.causes.items():
            e, p = score.expected, score.proposed
            lines.append(
                f"{cause:<16} {e.true + e.false_negative:>8} {e.recall:>7.2f} "
                f"{p.true + p.false_positive:>8} {p.precision:>9.2f}"
            )
        return "\n".join(lines)


class _PlaceJudge:
    """Whether a proposed place is an expected one: the same gazetteer entry, or the same name key."""

    def __init__(self, gazetteer: Gazetteer, text: str) -> None:
        self.gazetteer = gazetteer
        self.context = GeoContext(countries=countries_from_text(text))
        self._resolved: dict[str, GazetteerEntry | None] = {}

    def entry(self, name: str) -> GazetteerEntry | None:
        if name not in self._resolved:
            found = geocode(self.gazetteer, name, context=self.context, fuzzy=False, limit=1)
            self._resolved[name] = found[0].entry if found else None
        return self._resolved[name]

    def known_as_written(self, name: str) -> bool:
        entry = self.entry(name)
        return entry is not None and name.casefold() in {n.casefold() for n in entry.names}

    def same(self, expected: str, mention: PlaceMention) -> bool:
        entry = self.entry(expected)
        if entry is not None and mention.best is not None and mention.best.entry.id == entry.id:
            return True
        keys = {name_key(mention.text), name_key(mention.lookup), compact_key(mention.text)}
        return bool({name_key(expected), compact_key(expected)} & keys)


def _date_agrees(expected: str | None, date: ClaimDate | None) -> bool:
    if date is None:
        return False
    if expected is None:
        return date.relation == "before"
    if date.start is None:
        return False
    parts = [int(p) for p in expected.split("-")]
    if len(parts) == 3:
        return date.precision == "day" and date.start == dt.date(*parts)
    if len(parts) == 2:
        return date.precision != "year" and (date.start.year, date.start.month) == (parts[0], parts[1])
    return date.start.year == parts[0]


def _claim_agrees(expected: ExpectedClaim, claim: Claim, judge: _PlaceJudge) -> bool:
    return (
        judge.same(expected.place, claim.place)
        and claim.controller in expected.controllers
        and (expected.status is None or claim.status == expected.status)
        and _date_agrees(expected.date, claim.date)
    )


def _matching(pairs: list[list[int]], right_count: int) -> dict[int, int]:
    """A maximum matching of left items to right items (Kuhn's algorithm): left index -> right index."""
    owner: dict[int, int] = {}

    def augment(left: int, seen: set[int]) -> bool:
        for right in pairs[left]:
            if right in seen:
                continue
            seen.add(right)
            if right not in owner or augment(owner[right], seen):
                owner[right] = left
                return True
        return False

    for left in range(len(pairs)):
        augment(left, set())
    del right_count
    return {left: right for right, left in owner.items()}


_REFERENCES = ("named before", "named in what follows", "relative clause")


def _claim_evidence(text: str, claim: Claim) -> str:
    start = min(claim.trigger[1], claim.place.start)
    end = max(claim.trigger[2], claim.place.end)
    return text[start:end]


def _claim_date_label(claim: Claim) -> str | None:
    date = claim.date
    if date is None or date.start is None or date.relation == "before":
        return None
    return {"day": date.start.isoformat(), "month": date.start.isoformat()[:7], "year": str(date.start.year)}[
        date.precision
    ]


def score_article(article: LabelledArticle, extraction: Extraction, gazetteer: Gazetteer, into: ArticleScores) -> None:
    """Score one labelled article, adding to ``into`` (its total, its article and the causes)."""
    judge = _PlaceJudge(gazetteer, article.text)
    scores = Scores(items=1)
    _score_places(article, extraction, judge, scores)
    _score_claims(article, extraction, judge, scores, into)
    into.articles[article.name] = scores
    for mine, total in ((scores.places, into.total.places), (scores.claims, into.total.claims)):
        total.true += mine.true
        total.false_positive += mine.false_positive
        total.false_negative += mine.false_negative
        total.misses += mine.misses
    into.total.items += 1


def _score_places(article: LabelledArticle, extraction: Extraction, judge: _PlaceJudge, scores: Scores) -> None:
    mentions: dict[str, PlaceMention] = {}
    for mention in extraction.places:
        key = mention.best.entry.id if mention.best is not None else name_key(mention.text)
        mentions.setdefault(key, mention)
    distinct = list(mentions.values())
    pairs = [[j for j, m in enumerate(distinct) if judge.same(name, m)] for name in article.places]
    matched = _matching(pairs, len(distinct))
    scores.places.true = len(matched)
    scores.places.false_negative = len(article.places) - len(matched)
    scores.places.false_positive = len(distinct) - len(matched)
    scores.places.misses += [
        f"{article.name}: place {name!r} missed" for i, name in enumerate(article.places) if i not in matched
    ]
    used = set(matched.values())
    scores.places.misses += [
        f"{article.name}: place {m.text!r} ({m.best.entry.id if m.best else 'not in the gazetteer'}) not expected"
        for j, m in enumerate(distinct)
        if j not in used
    ]


def _score_claims(
    article: LabelledArticle, extraction: Extraction, judge: _PlaceJudge, scores: Scores, into: ArticleScores
) -> None:
    proposed = list(extraction.claims)
    pairs = [[j for j, c in enumerate(proposed) if _claim_agrees(e, c, judge)] for e in article.claims]
    matched = _matching(pairs, len(proposed))
    scores.claims.true = len(matched)
    scores.claims.false_negative = len(article.claims) - len(matched)
    scores.claims.false_positive = len(proposed) - len(matched)
    for i, expected in enumerate(article.claims):
        causes = claim_causes(
            expected.evidence,
            place=expected.place,
            status=expected.status,
            date=expected.date,
            name_as_known=judge.known_as_written(expected.place),
        )
        _tally(into, causes, right=i in matched, expected=True)
        if i not in matched:
            scores.claims.misses.append(
                f"{article.name}: claim {expected.label()} missed [{', '.join(sorted(causes))}]: {expected.evidence!r}"
            )
    right = set(matched.values())
    for j, claim in enumerate(proposed):
        _tally(into, _proposed_causes(extraction.text, claim), right=j in right, expected=False)
        if j not in right:
            where = claim.place.best.entry.id if claim.place.best else claim.place.text
            scores.claims.misses.append(
                f"{article.name}: claim {where} {claim.controller} {claim.status} "
                f"{_claim_date_label(claim) or 'before'} not expected ({claim.kind} {claim.trigger[0]!r})"
            )


def _proposed_causes(text: str, claim: Claim) -> frozenset[Cause]:
    causes = claim_causes(
        _claim_evidence(text, claim),
        place=claim.place.text,
        status=claim.status,
        date=_claim_date_label(claim),
        name_as_known=claim.place.best is not None and claim.place.best.entry.is_project,
    )
    if any(marker in reason for reason in claim.why for marker in _REFERENCES):
        causes = (causes - {"plain"}) | {"reference"}  # the place was found by what the words refer to
    return causes


def _tally(into: ArticleScores, causes: frozenset[Cause], *, right: bool, expected: bool) -> None:
    for cause in causes:
        tally = into.causes[cause].expected if expected else into.causes[cause].proposed
        if right:
            tally.true += 1
        elif expected:
            tally.false_negative += 1
        else:
            tally.false_positive += 1


def score_articles(
    articles: Sequence[LabelledArticle], extract: Callable[[LabelledArticle], Extraction], gazetteer: Gazetteer
) -> ArticleScores:
    """Run the extractor on every labelled article and score it, per article and per cause.

    Parameters
    ----------
    articles
        The labelled articles.
    extract
        Turns an article (its ``text`` and ``published``) into an extraction.
    gazetteer
        The gazetteer the extractor used, to resolve the expected place names with.
    """
    scores = ArticleScores()
    for article in articles:
        score_article(article, extract(article), gazetteer, scores)
    return scores
