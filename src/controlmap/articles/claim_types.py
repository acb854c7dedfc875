"""The claim of control as the rules propose it, and the clause it is read from (pure types and helpers)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from controlmap.articles.rules import _AREA_AFTER

if TYPE_CHECKING:
    import datetime as dt

    from controlmap.articles.actors import ActorMention
    from controlmap.articles.claim_dates import ClaimDate
    from controlmap.articles.dates import DateMention
    from controlmap.articles.mentions import PlaceMention
    from controlmap.articles.rules import ClaimKind
    from controlmap.model import Status

_ALONG = re.compile(r"\b(?:on|along|across|of|in|near|by|over)\s+(?:the\s+)?(?:banks\s+of\s+the\s+)?$", re.IGNORECASE)
STATUS_BY_KIND: dict[ClaimKind, Status] = {
    "captured": "controlled",
    "retaken": "controlled",
    "holds": "controlled",
    "under attack": "contested",
    "besieged": "besieged",
}


@dataclass(frozen=True)
class Claim:
    """A proposed claim of control, read from one sentence.

    Parameters
    ----------
    place
        The place mention it is about (its best candidate is the proposed place; none for a place to locate).
    controller
        The faction that holds (or, for captured/retaken, took) the place.
    status
        ``controlled``, ``contested`` or ``besieged``.
    opponents
        Who attacks or besieges it (contested and besieged only).
    kind
        What the sentence says happened.
    date
        When, or None when it cannot be dated (no publication date known).
    confidence
        0-1, from the rules that fired (see ``why``).
    sentence
        The character span of the sentence.
    trigger
        The words that made it a claim, and their span.
    why
        How each part was decided, for the reviewer.
    """

    place: PlaceMention
    controller: str
    status: Status
    opponents: tuple[str, ...]
    kind: ClaimKind
    date: ClaimDate | None
    confidence: float
    sentence: tuple[int, int]
    trigger: tuple[str, int, int]
    why: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class ClauseContext:
    """A clause and what the rules read around it: its sentence, the places, actors and dates in reach."""

    text: str
    span: tuple[int, int]
    sentence: tuple[int, int]
    places: list[PlaceMention]
    earlier: list[PlaceMention]
    actors: list[ActorMention]
    inherited: list[ActorMention]
    dates: tuple[DateMention, ...]
    published: dt.date | None
    country: str | None
    news: bool = False
    sides: tuple[str, ...] = ()
    later: list[PlaceMention] = field(default_factory=list)


def opponent(faction: str, context: ClauseContext, country: str | None) -> str | None:
    """The other side: another faction named in the sentence, else the Islamic State, else the article's other side."""
    clause = [a for a in context.actors if context.span[0] <= a.start < context.span[1]]
    for actors in (clause, context.actors):
        named = [a.faction_in(country) for a in actors if a.faction_in(country) not in (None, faction)]
        if named:
            return named[0]
    if faction != "isis":
        return "isis"
    return next((s for s in context.sides if s != faction), None)


def doubts(place: PlaceMention) -> tuple[float, list[str]]:
    """What lowers the confidence in a claim beyond its agent and date: a new, unlocated or ambiguous place."""
    if place.best is None:
        return 0.15, [f"{place.text!r} is not in the gazetteer: locate it before accepting"]
    penalty, notes = 0.0, []
    if not place.best.entry.is_project:
        penalty += 0.1
        notes.append("a new place (not yet in the project)")
    if place.ambiguous:
        penalty += 0.1
        notes.append("the place name is ambiguous: check the candidates")
    return penalty, notes


def claimable(text: str, place: PlaceMention) -> bool:
    """Whether a place can be the place of a claim: no dateline, basemap river, river named in passing or province."""
    if place.role == "dateline":
        return False
    best = place.best
    if best is not None and best.entry.origin == "basemap":
        return False  # a basemap river has no history to hold
    if best is not None and best.entry.kind in ("river", "lake") and _ALONG.search(text[: place.start]):
        return False  # "the last village the group held on the Euphrates": the village, not the river
    return _AREA_AFTER.match(text, place.end) is None  # a province is not its capital
