"""Claims of control from news text: who took, held, attacked or besieged which place, and when (pure).

Rules, not a model. A sentence is cut into clauses; in each, a trigger ("swept into", "retook", "pulled out
of", "remains under ... control", "are attacking", "besieged") and the place it is about make a claim, and
so do noun phrases that state control ("the IS-held town of X", "their stronghold of X"; see
`controlmap.articles.phrases`). For each claim, in turn:

* the place: the one the trigger governs (`controlmap.articles.roles.gap_extent` reads the words between
  them: "retook the town of X" is all of X, "drove IS out of the centre of X" a part of it: fighting in X,
  so contested), or the town "the town" stands for, or what a relative clause hangs on;
* the agent: the subject before an active trigger, the actor after a passive one ("fell to"), the subject of
  a relative clause ("which Iraqi forces recaptured"), never an object ("drove IS out"); an agentless
  sentence borrows the previous sentence's subject;
* the roles: the defender of an attacked place, the side that took a place another side gave up ("pulled
  out of"), the side leaving a place (contested) or falling back to one (holds);
* the date (`controlmap.articles.claim_dates`).

Claims that say the same are merged; an undated "before" claim that a dated capture implies is dropped, and
so are the states of the day a place changed hands that only describe its fall ("the last town IS held"
on the day it was taken). Hypotheticals ("would", "plans to") are skipped.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from controlmap.articles.claim_dates import ClaimDate, DateContext, DateRelation, claim_date
from controlmap.articles.claim_filters import filtered
from controlmap.articles.claim_types import STATUS_BY_KIND, Claim, ClauseContext, claimable, doubts, opponent
from controlmap.articles.phrases import phrase_claims
from controlmap.articles.roles import _agent, _defender, _targets, _targets_elsewhere
from controlmap.articles.rules import (
    _BARE_VERBS,
    _INTENT,
    _MODAL,
    _NEGATED,
    _NOUN_USE,
    _PAST_FRAME,
    _TRIGGERS,
    ClaimKind,
    clauses_from_sentence,
    sentences_from_text,
)

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Sequence

    from controlmap.articles.actors import ActorMention
    from controlmap.articles.dates import DateMention
    from controlmap.articles.extent import Extent
    from controlmap.articles.mentions import PlaceMention
    from controlmap.articles.rules import _Trigger
    from controlmap.model import Status

__all__ = ["STATUS_BY_KIND", "Claim", "ClaimDate", "DateRelation", "claims_from_text"]

_RELIEF = re.compile(r"\b(?:broke|broken|break|breaking)\s+(?:through|the\s+siege)", re.IGNORECASE)
"""A siege broken in the same sentence makes "entered" a relief, not an attack."""
_BY_AGREEMENT = re.compile(r"\b(?:invited|handed\s+over|handover|hand\s+over|deal|agreement|allowed\s+them)\b", re.I)
LEAD_SENTENCES = 3
"""The headline and this many full sentences after it are the report's lead: an undated event there is its news."""
LEAD_WORDS = 8
"""A line of fewer words is a byline, a dateline or a caption, not a sentence of the lead."""


@dataclass(frozen=True)
class _Roles:
    controller: str
    status: Status
    opponents: tuple[str, ...]
    kind: ClaimKind
    notes: tuple[str, ...] = ()
    penalty: float = 0.0


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
    claimable = [p for p in places if p.role != "dateline"]
    sentences = sentences_from_text(text)
    sides = _sides(actors, country)
    claims: list[Claim] = []
    previous_actors: list[ActorMention] = []
    news_end = _lead_end(text, sentences)
    for number, sentence in enumerate(sentences):
        in_sentence = [a for a in actors if sentence[0] <= a.start < sentence[1]]
        for clause in clauses_from_sentence(text, sentence):
            context = ClauseContext(
                text=text,
                span=clause,
                sentence=sentence,
                places=[p for p in claimable if clause[0] <= p.start < clause[1]],
                earlier=[p for p in claimable if p.end <= clause[0]],
                later=[p for p in claimable if p.start >= clause[1]][:6],
                actors=in_sentence,
                inherited=previous_actors,
                dates=tuple(dates),
                published=published,
                country=country,
                news=number == 0 or sentence[0] < news_end,
                sides=sides,
            )
            claims.extend(_clause_claims(context))
            claims.extend(phrase_claims(context))
        if in_sentence:
            previous_actors = in_sentence
    return filtered(claims)


def _lead_end(text: str, sentences: list[tuple[int, int]]) -> int:
    """Where the lead ends: after the headline and `LEAD_SENTENCES` full sentences (bylines and datelines skipped)."""
    full = [s for s in sentences[1:] if len(text[s[0] : s[1]].split()) >= LEAD_WORDS]
    return full[LEAD_SENTENCES - 1][1] if len(full) >= LEAD_SENTENCES else len(text)


def _sides(actors: Sequence[ActorMention], country: str | None) -> tuple[str, ...]:
    """The factions an article names, most named first: who "the other side" is when a sentence does not say."""
    counts = Counter(a.faction_in(country) for a in actors if a.faction_in(country) is not None)
    return tuple(str(f) for f, _ in counts.most_common())


def _clause_claims(context: ClauseContext) -> list[Claim]:
    if not context.places and not context.earlier:
        return []
    text, clause = context.text, context.span
    claims = []
    taken: list[tuple[int, int]] = []
    for trigger in _TRIGGERS:
        for match in trigger.pattern.finditer(text, clause[0], clause[1]):
            if any(match.start() < b and a < match.end() for a, b in taken):
                continue
            if _not_a_trigger(context, match):
                continue
            taken.append(match.span())
            claims.extend(_claims_for_trigger(context, trigger, match))
    return claims


def _not_a_trigger(context: ClauseContext, match: re.Match[str]) -> bool:
    """Words that look like a trigger but are not one here.

    Inside an actor's name ("forces"), part of a compound adjective ("jihadist-besieged", read as a noun
    phrase), "held" right after its holder ("the Islamic-State controlled town": a noun phrase too), or a noun
    ("its recapture").
    """
    text, start = context.text, match.start()
    if any(a.start <= start < a.end for a in context.actors):
        return True
    if start > 0 and text[start - 1] == "-":
        return True
    if (
        match[0].casefold() in ("held", "controlled")
        and any(0 <= start - a.end <= 1 for a in context.actors)
        and not re.match(r"\s+(?:the|a|an|most|all|much|parts?|large)\b", text[match.end() :], re.IGNORECASE)
    ):
        return True
    if match[0].casefold() not in _BARE_VERBS:
        return False
    return _NOUN_USE.search(text[max(0, start - 30) : start]) is not None or text.startswith(" of ", match.end())


def _asserted(text: str, match: re.Match[str], clause: tuple[int, int], sentence: tuple[int, int]) -> bool:
    """Whether the clause asserts what its trigger says: not a hypothesis, an aim, a question or a lifted siege."""
    lead = text[clause[0] : match.start()]
    comma = text.find(",", match.end(), clause[1])
    reach = text[clause[0] : clause[1] if comma == -1 else comma]  # "..., a claim that could not be verified"
    if _MODAL.search(reach) or _NEGATED.search(lead):
        return False
    if _PAST_FRAME.search(lead) or _INTENT.search(lead):
        return False
    return not text[sentence[0] : sentence[1]].rstrip().endswith("?")  # a question asserts nothing


def _claims_for_trigger(context: ClauseContext, trigger: _Trigger, match: re.Match[str]) -> list[Claim]:
    text, clause = context.text, context.span
    if not _asserted(text, match, clause, context.sentence):
        return []
    kind = trigger.kind
    why = [f"{kind}: {match[0]!r}"]
    aim = text[max(clause[0], match.start() - 3) : match.start()].casefold() == "to "
    aim = aim or text[max(clause[0], match.start() - 10) : match.start()].casefold().endswith("trying to ")
    if (
        kind == "under attack"
        and "enter" in match[0].casefold()
        and _BY_AGREEMENT.search(text, context.sentence[0], context.sentence[1])
    ):
        kind = "captured"
        why.append("entered by agreement: taken over")
    if aim:
        return []  # "the operation to retake Mosul", "trying to oust": an aim, not what happened
    if "enter" in match[0].casefold() and _RELIEF.search(text, context.sentence[0], context.sentence[1]):
        return []  # "entered Amerli and broke the siege": the relief, read from its own words
    targets = _targets(text, trigger, match, clause, context.places, actors=context.actors, aim=aim)
    if not targets:
        targets, note = _targets_elsewhere(
            text,
            match,
            clause,
            context.sentence,
            places=context.places,
            earlier=context.earlier,
            actors=context.actors,
            places_after=context.later,
        )
        why.extend(note)
    claims = []
    for place, extent in targets:
        claim = _claim(context, (trigger, match), kind, place, extent, why)
        if claim is not None:
            claims.append(claim)
    return claims


def _claim(
    context: ClauseContext,
    trigger: tuple[_Trigger, re.Match[str]],
    kind: ClaimKind,
    place: PlaceMention,
    extent: Extent,
    why: list[str],
) -> Claim | None:
    rule, match = trigger
    if not claimable(context.text, place):
        return None
    country = (place.best.entry.country if place.best else None) or context.country
    agent, agent_note = _agent(
        text=context.text,
        trigger=trigger,
        clause=context.span,
        sentence=context.sentence,
        actors=context.actors,
        inherited=context.inherited,
        kind=kind,
        country=country,
    )
    faction = None if agent is None else agent.faction_in(country)
    penalty = 0.0
    if faction is None:
        if rule.effect != "fell" and kind != "besieged":
            return None
        # "Mosul, which fell on Tuesday"; "the town was now encircled": the side the article tells of.
        faction = context.sides[0] if rule.effect == "fell" else next((s for s in context.sides if s != "isis"), None)
        if faction is None:
            return None
        agent_note, penalty = f"no agent in the sentence: taken to be {faction}, the side the article names most", 0.3
    elif agent_note.startswith("from the previous"):
        penalty = 0.2
    if agent is not None and agent.generic:
        penalty += 0.1
    roles = _roles(context, rule, match, kind, faction, extent, country)
    if roles is None:
        return None
    date, date_note, date_penalty = claim_date(
        DateContext(
            text=context.text,
            trigger=match.span(),
            clause=context.span,
            sentence=context.sentence,
            dates=context.dates,
            published=context.published,
            news=context.news,
        ),
        roles.kind,
        state=roles.kind in ("holds", "under attack", "besieged"),
    )
    doubt, notes = doubts(place)
    confidence = 0.9 - penalty - roles.penalty - date_penalty - doubt
    return Claim(
        place=place,
        controller=roles.controller,
        status=roles.status,
        opponents=roles.opponents,
        kind=roles.kind,
        date=date,
        confidence=round(max(0.05, min(1.0, confidence)), 2),
        sentence=context.sentence,
        trigger=(match[0], match.start(), match.end()),
        why=(*why, agent_note, *roles.notes, date_note, *notes),
    )


def _roles(
    context: ClauseContext,
    rule: _Trigger,
    match: re.Match[str],
    kind: ClaimKind,
    faction: str,
    extent: Extent,
    country: str | None,
) -> _Roles | None:
    other = opponent(faction, context, country)
    if rule.effect not in ("plain", "fell"):
        return _effect_roles(rule.effect, faction, other, extent)
    if extent == "part" and kind in ("captured", "retaken", "holds"):
        if other is None:
            return None
        holder, taker = (faction, other) if kind == "holds" else (other, faction)
        return _Roles(holder, "contested", (taker,), "under attack", ("only a part of the place: contested",))
    if kind in ("under attack", "besieged"):
        defender, note = _defender(match, context.sentence, context.actors, faction, country)
        if defender is None:
            defender, note = other, f"assumed defender: {other}"
        if defender is None:
            return None
        penalty = 0.15 if note.startswith("assumed") else 0.0
        return _Roles(defender, STATUS_BY_KIND[kind], (faction,), kind, (note,), penalty)
    return _Roles(faction, STATUS_BY_KIND[kind], (), kind)


def _effect_roles(effect: str, faction: str, other: str | None, extent: Extent) -> _Roles | None:
    """The roles a trigger fixes beyond its kind: a place given up, being left, fallen back to, or relieved."""
    if effect == "lost":
        if other is None:
            return None
        if extent == "part":
            return _Roles(faction, "contested", (other,), "under attack", (f"{faction} gave up a part of it",), 0.1)
        return _Roles(other, "controlled", (), "captured", (f"{faction} gave the place up: {other} took it",), 0.1)
    if effect == "leaving":
        opponents = () if other is None else (other,)
        return _Roles(faction, "contested", opponents, "under attack", (f"{faction} is leaving: contested",), 0.1)
    return _Roles(faction, "controlled", (), "holds", (f"{faction} holds the place ({effect})",), 0.1)
