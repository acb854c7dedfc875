"""Claims of control from news text: who took, held, attacked or besieged which place, and when (pure).

Rules, not a model: a sentence is cut into clauses; a clause with a trigger ("swept into", "retook",
"remains under ... control", "are attacking", "besieged") and a place becomes a claim. The agent is
the actor before an active trigger (or after a passive one: "fell to", "held by"); the defender of an
attacked or besieged place is the actor after the trigger. The date is the one nearest the trigger in
the clause; a present-tense claim without one holds as of the publication date, a past event without
one happened before it. Hypotheticals ("would", "plans to") are skipped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from controlmap.articles.roles import _agent, _defender, _targets, _targets_elsewhere
from controlmap.articles.rules import (
    _AREA_AFTER,
    _INTENT,
    _MODAL,
    _NEGATED,
    _PAST_FRAME,
    _PAST_HOLD,
    _TRIGGERS,
    ClaimKind,
    clauses_from_sentence,
    sentences_from_text,
)

if TYPE_CHECKING:
    import datetime as dt
    import re
    from collections.abc import Sequence

    from controlmap.articles.actors import ActorMention
    from controlmap.articles.dates import DateMention
    from controlmap.articles.mentions import PlaceMention
    from controlmap.articles.rules import _Trigger
    from controlmap.dates import Precision
    from controlmap.model import Status

DateRelation = Literal["on", "as-of", "before"]
STATUS_BY_KIND: dict[ClaimKind, Status] = {
    "captured": "controlled",
    "retaken": "controlled",
    "holds": "controlled",
    "under attack": "contested",
    "besieged": "besieged",
}


@dataclass(frozen=True)
class ClaimDate:
    """When a claim holds: ``on`` a date, ``as-of`` the publication date, or ``before`` it (start unknown)."""

    start: dt.date | None
    precision: Precision
    relation: DateRelation
    end: dt.date | None = None
    text: str = ""
    span: tuple[int, int] | None = None
    relative: bool = False


@dataclass(frozen=True)
class Claim:
    """A proposed claim of control, read from one sentence.

    Parameters
    ----------
    place
        The place mention it is about (its best candidate is the proposed place).
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


def claims_from_text(
    text: str,
    *,
    places: Sequence[PlaceMention],
    actors: Sequence[ActorMention],
    dates: Sequence[DateMention],
    published: dt.date | None,
    country: str | None = None,
) -> list[Claim]:
    """Every claim of control the rules find in a text, one per place and trigger, duplicates merged.

    Parameters
    ----------
    text
        The article.
    places, actors, dates
        What `places_from_text`, `actors_from_text` and `dates_from_text` found in it.
    published
        The publication date, for claims without a date of their own.
    country
        The country the article is about, for actors named by role ("government forces").
    """
    claims: list[Claim] = []
    previous_actors: list[ActorMention] = []
    for sentence in sentences_from_text(text):
        in_sentence = [a for a in actors if sentence[0] <= a.start < sentence[1]]
        for clause in clauses_from_sentence(text, sentence):
            context = _Clause(
                text=text,
                span=clause,
                sentence=sentence,
                places=[p for p in places if clause[0] <= p.start < clause[1] and p.best is not None],
                earlier=[p for p in places if p.end <= clause[0] and p.best is not None],
                actors=in_sentence,
                inherited=previous_actors,
                dates=[d for d in dates if clause[0] <= d.start < clause[1]],
                published=published,
                country=country,
            )
            claims.extend(_clause_claims(context))
        if in_sentence:
            previous_actors = in_sentence
    return _deduplicated(claims)


@dataclass(frozen=True)
class _Clause:
    """A clause and what the rules read around it: its sentence, the places, actors and dates in reach."""

    text: str
    span: tuple[int, int]
    sentence: tuple[int, int]
    places: list[PlaceMention]
    earlier: list[PlaceMention]
    actors: list[ActorMention]
    inherited: list[ActorMention]
    dates: list[DateMention]
    published: dt.date | None
    country: str | None


def _clause_claims(context: _Clause) -> list[Claim]:
    if not context.places and not context.earlier:
        return []
    text, clause = context.text, context.span
    claims = []
    taken: list[tuple[int, int]] = []
    for trigger in _TRIGGERS:
        for match in trigger.pattern.finditer(text, clause[0], clause[1]):
            if any(match.start() < b and a < match.end() for a, b in taken):
                continue
            if any(a.start <= match.start() < a.end for a in context.actors):
                continue  # "IS-held" is read as an actor; "forces" in a name is no trigger
            taken.append(match.span())
            claims.extend(_claims_for_trigger(context, trigger, match))
    return claims


def _asserted(text: str, match: re.Match[str], clause: tuple[int, int], sentence: tuple[int, int]) -> bool:
    """Whether the clause asserts what its trigger says: not a hypothesis, an aim, a question or a lifted siege."""
    lead = text[clause[0] : match.start()]
    if _MODAL.search(text[clause[0] : clause[1]]) or _NEGATED.search(lead):
        return False
    if _PAST_FRAME.search(lead) or _INTENT.search(lead):
        return False
    return not text[sentence[0] : sentence[1]].rstrip().endswith("?")  # a question asserts nothing


def _claims_for_trigger(context: _Clause, trigger: _Trigger, match: re.Match[str]) -> list[Claim]:
    text, clause, sentence = context.text, context.span, context.sentence
    places, actors, country = context.places, context.actors, context.country
    if not _asserted(text, match, clause, sentence):
        return []
    kind = trigger.kind
    why = [f"{kind}: {match[0]!r}"]
    aim = text[max(clause[0], match.start() - 3) : match.start()].casefold() == "to "
    if aim and kind in ("captured", "retaken"):
        kind = "under attack"  # "battle to drive out": the aim, not the result
        why.append("an aim ('to ...'), read as an attack")
    targets = _targets(text, trigger, match, clause, places, aim=aim)
    if not targets:
        targets, note = _targets_elsewhere(text, match, clause, sentence, kind, places=places, earlier=context.earlier)
        why.extend(note)
    claims = []
    for place in targets:
        best = place.best
        if best is None or best.entry.origin == "basemap" or _AREA_AFTER.match(text, place.end):
            continue  # a basemap river has no history to hold; a province is not its capital
        place_country = best.entry.country or country
        agent, agent_note = _agent(
            text=text,
            trigger=(trigger, match),
            clause=clause,
            sentence=sentence,
            actors=actors,
            inherited=context.inherited,
            kind=kind,
            country=place_country,
        )
        if agent is None:
            continue
        confidence = 0.9 - (0.2 if agent_note.startswith("from the previous") else 0.0)
        reasons = [*why, agent_note]
        if agent.generic:
            confidence -= 0.1
        controller = agent.faction_in(place_country)
        if controller is None:
            continue
        opponents: tuple[str, ...] = ()
        if kind in ("under attack", "besieged"):
            defender, defender_note = _defender(match, sentence, actors, controller, place_country)
            if defender is None:
                continue
            reasons.append(defender_note)
            if defender_note.startswith("assumed"):
                confidence -= 0.15
            opponents = (controller,)
            controller = defender
        date, date_note = _claim_date(match, context.dates, kind, context.published)
        if (
            kind == "holds"
            and _PAST_HOLD.fullmatch(match[0])
            and (date is None or date.span is None or date.span[0] < match.end())
        ):
            continue  # "the village the group held": some time before; only "held ... since 2013" dates it
        penalty, notes = _doubts(place, date)
        reasons += [date_note, *notes]
        confidence -= penalty
        claims.append(
            Claim(
                place=place,
                controller=controller,
                status=STATUS_BY_KIND[kind],
                opponents=opponents,
                kind=kind,
                date=date,
                confidence=round(max(0.05, min(1.0, confidence)), 2),
                sentence=sentence,
                trigger=(match[0], match.start(), match.end()),
                why=tuple(reasons),
            )
        )
    return claims


def _doubts(place: PlaceMention, date: ClaimDate | None) -> tuple[float, list[str]]:
    """What lowers the confidence in a claim beyond its agent: no own date, a new or ambiguous place."""
    penalty, notes = 0.0, []
    if date is None or date.relation == "before":
        penalty += 0.2
    if place.best is not None and not place.best.entry.is_project:
        penalty += 0.1
        notes.append("a new place (not yet in the project)")
    if place.ambiguous:
        penalty += 0.1
        notes.append("the place name is ambiguous: check the candidates")
    return penalty, notes


def _claim_date(
    match: re.Match[str], dates: list[DateMention], kind: ClaimKind, published: dt.date | None
) -> tuple[ClaimDate | None, str]:
    usable = [d for d in dates if d.day is not None]
    if usable:
        after = [d for d in usable if d.start >= match.end()]
        chosen = after[0] if after else usable[-1]
        return (
            ClaimDate(
                chosen.day,
                chosen.precision,
                "on",
                text=chosen.text,
                span=(chosen.start, chosen.end),
                relative=chosen.relative,
            ),
            f"date {chosen.text!r}" + (" (relative to the publication date)" if chosen.relative else ""),
        )
    if published is None:
        return None, "no date, and the publication date is unknown"
    if kind in ("holds", "under attack", "besieged"):
        return ClaimDate(published, "day", "as-of"), "no date in the clause: as of the publication date"
    return ClaimDate(None, "day", "before", end=published), "no date in the clause: before the publication date"


def _deduplicated(claims: list[Claim]) -> list[Claim]:
    best: dict[tuple[object, ...], Claim] = {}
    for claim in claims:
        entry = claim.place.best.entry.id if claim.place.best else claim.place.text
        date = None if claim.date is None else (claim.date.start, claim.date.precision, claim.date.relation)
        key = (entry, claim.controller, claim.status, claim.opponents, date)
        if key not in best or claim.confidence > best[key].confidence:
            best[key] = claim
    return sorted(best.values(), key=lambda c: (c.sentence[0], c.place.start))
