"""Control stated by a noun phrase rather than a verb (pure).

* "the IS-held town of X", "the Islamic-State controlled town of X": the actor holds X;
* "the jihadist-besieged town of X": X is besieged by them, held by the other side;
* "their Syrian stronghold of X", "X, the jihadist group's de facto capital", "X - IS' last stronghold": held;
* "X, which had been out of government control": held by the government's opponent.

Such a phrase tells the state as the report finds it (as of the publication date), unless the sentence tells
the place's capture, relief or loss, when it is the state before (an undated "before" claim).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from controlmap.articles.actors import actors_from_text
from controlmap.articles.claim_dates import ClaimDate, DateContext, claim_date
from controlmap.articles.claim_filters import PHRASE
from controlmap.articles.claim_types import Claim, ClauseContext, claimable, doubts, opponent
from controlmap.articles.extent import gap_extent
from controlmap.articles.roles import _antecedent
from controlmap.articles.rules import _BARE_VERBS, _NOUN_USE, _TRIGGERS

if TYPE_CHECKING:
    from controlmap.articles.mentions import PlaceMention
    from controlmap.articles.rules import ClaimKind
    from controlmap.model import Status

_HELD = re.compile(
    r"-(?:held|controlled|run|dominated)\b|\s(?:held|controlled)(?=\s+(?:[\w-]+\s+){0,2}(?:towns?|city|village|district|"
    r"neighbou?rhood|areas?)\b)",
    re.IGNORECASE,
)
_BESIEGED = re.compile(r"\b(?P<who>[A-Za-z]+)-besieged\b")
_STRONGHOLD = re.compile(r"\b(?:stronghold|capital|bastion|redoubt)\b", re.IGNORECASE)
_FORMER = re.compile(r"\b(?:former|one-time|onetime|ex-|erstwhile|old)\b", re.IGNORECASE)
_POSSESSOR = re.compile(r"(?:'s|\u2019s|'|\u2019)\s+(?:[\w-]+\s+){0,4}$|\b(?:their|its)\s+(?:[\w-]+\s+){0,3}$", re.I)
_OUT_OF = re.compile(r"\bout\s+of\s+(?:the\s+)?(?P<who>[\w-]+)\s+(?:control|hands)\b", re.IGNORECASE)
_CHANGE_KINDS = ("captured", "retaken")


def phrase_claims(context: ClauseContext) -> list[Claim]:
    """The claims of the noun phrases in one clause."""
    return [
        *_held(context),
        *_besieged(context),
        *_strongholds(context),
        *_out_of_control(context),
        *_their_control(context),
    ]


_THEIR_CONTROL = re.compile(
    r"\b(?P<during>during\s+|under\s+)?(?:their|its)\s+(?:[\w-]+\s+){0,2}?(?:control|rule|occupation)\s+(?:of|over)\s+",
    re.IGNORECASE,
)


def _their_control(context: ClauseContext) -> list[Claim]:
    """A place held under an actor's "control of": "during their control of the town" (then)."""
    text, claims = context.text, []
    for match in _THEIR_CONTROL.finditer(text, context.span[0], context.span[1]):
        before = [a for a in [*context.inherited, *context.actors] if a.end <= match.start()]
        faction = next((a.faction_in(context.country) for a in reversed(before) if a.faction_in(context.country)), None)
        if faction is None:
            continue
        place = next((p for p in context.places if p.start == match.end()), None)
        if place is None and re.match(r"the\s+(?:town|city|village)\b", text[match.end() :], re.IGNORECASE):
            found = _antecedent([*context.earlier, *context.places], match.end())
            place = found[0] if found else None
        if place is None:
            continue
        during = bool(match["during"])
        claim = _make(context, place, (faction, "controlled", ()), match.span(), f"held by {faction}", during=during)
        if claim is not None:
            claims.append(claim)
    return claims


def _after(context: ClauseContext, position: int) -> PlaceMention | None:
    """The place a phrase ending at ``position`` is about: the first after it, with nothing else between."""
    following = [p for p in context.places if p.start >= position]
    if not following:
        return None
    place = following[0]
    return place if gap_extent(context.text, position, place.start, context.actors) == "whole" else None


def _tells_change(context: ClauseContext, place: PlaceMention, phrase_start: int) -> bool:
    """Whether the sentence tells the capture, relief or loss of the place ("recapture IS-held town of Hit")."""
    text, (start, end) = context.text, context.sentence
    for trigger in _TRIGGERS:
        if trigger.kind not in _CHANGE_KINDS and trigger.effect != "relief":
            continue
        for match in trigger.pattern.finditer(text, start, end):
            if match[0].casefold() in _BARE_VERBS and _NOUN_USE.search(
                text[max(0, match.start() - 30) : match.start()]
            ):
                continue  # "its recapture": a noun
            if 0 <= phrase_start - match.end() <= 40:
                return True
            if place.start >= match.end() and gap_extent(text, match.end(), place.start, context.actors) is not None:
                return True
    return False


def _make(
    context: ClauseContext,
    place: PlaceMention,
    state: tuple[str, Status, tuple[str, ...]],
    span: tuple[int, int],
    note: str,
    confidence: float = 0.75,
    *,
    during: bool = False,
) -> Claim | None:
    if not claimable(context.text, place):
        return None
    controller, status, opponents = state
    kind: ClaimKind = "holds" if status == "controlled" else "under attack" if status == "contested" else "besieged"
    if _tells_change(context, place, span[0]) and context.published is not None:
        date: ClaimDate | None = ClaimDate(None, "day", "before", end=context.published)
        date_note, penalty = "the sentence tells how this state ended: before the publication date", 0.1
    elif during:
        date, date_note, penalty = ClaimDate(None, "day", "before", end=context.published), "a past state: before", 0.1
    else:
        date, date_note, penalty = claim_date(
            DateContext(context.text, span, context.span, context.sentence, context.dates, context.published),
            kind,
            state=True,
        )
        if date is not None and date.relation == "before" and context.published is not None:
            date = ClaimDate(context.published, "day", "as-of")  # a noun phrase tells the state as the report finds it
            date_note = "a noun phrase: as of the publication date"
    doubt, notes = doubts(place)
    return Claim(
        place=place,
        controller=controller,
        status=status,
        opponents=opponents,
        kind=kind,
        date=date,
        confidence=round(max(0.05, confidence - penalty - doubt), 2),
        sentence=context.sentence,
        trigger=(context.text[span[0] : span[1]], span[0], span[1]),
        why=(f"{PHRASE}: {context.text[span[0] : span[1]]!r}", note, date_note, *notes),
    )


def _held(context: ClauseContext) -> list[Claim]:
    text, claims = context.text, []
    for actor in context.actors:
        if not context.span[0] <= actor.start < context.span[1]:
            continue
        adjective = _HELD.match(text, actor.end)
        faction = actor.faction_in(context.country)
        if adjective is None or faction is None:
            continue
        place = _after(context, adjective.end())
        if place is None:
            continue
        claim = _make(context, place, (faction, "controlled", ()), (actor.start, adjective.end()), f"held by {faction}")
        if claim is not None:
            claims.append(claim)
    return claims


def _faction_of_word(word: str, country: str | None) -> str | None:
    for candidate in (word, f"{word}s", f"the {word}s"):
        found = actors_from_text(candidate)
        if found and found[0].faction_in(country) is not None:
            return found[0].faction_in(country)
    if word.casefold() in ("government", "regime", "army"):
        return {"IQ": "iraq_gov", "SY": "syria_gov"}.get(country or "")
    return None


def _besieged(context: ClauseContext) -> list[Claim]:
    claims = []
    for match in _BESIEGED.finditer(context.text, context.span[0], context.span[1]):
        place = _after(context, match.end())
        besieger = _faction_of_word(match["who"], context.country)
        if place is None or besieger is None:
            continue
        holder = opponent(besieger, context, context.country)
        if holder is None:
            continue
        claim = _make(context, place, (holder, "besieged", (besieger,)), match.span(), f"besieged by {besieger}")
        if claim is not None:
            claims.append(claim)
    return claims


def _possessor(context: ClauseContext, noun_start: int) -> str | None:
    text = context.text
    lead = text[max(context.sentence[0], noun_start - 60) : noun_start]
    if _FORMER.search(lead[-30:]) or not _POSSESSOR.search(lead):
        return None
    before = [a for a in context.actors if a.end <= noun_start and a.start >= noun_start - 80]
    if not before:
        before = list(context.inherited)
    for actor in reversed(before):
        faction = actor.faction_in(context.country)
        if faction is not None:
            return faction
    return None


def _strongholds(context: ClauseContext) -> list[Claim]:
    text, claims = context.text, []
    for match in _STRONGHOLD.finditer(text, context.span[0], context.span[1]):
        faction = _possessor(context, match.start())
        if faction is None:
            continue
        after = re.match(r"\s+(?:of\s+)?", text[match.end() : match.end() + 6])
        place = next((p for p in context.places if after and p.start == match.end() + after.end()), None)
        if place is None:
            # "Raqa, the jihadist group's de facto capital"; "Mosul - IS' last major urban stronghold"
            place = next(
                (
                    p
                    for p in reversed(context.places)
                    if p.end <= match.start()
                    and re.fullmatch(r"\s*(?:,|-|\u2013|\u2014)\s*(?:the\s+)?[^,;.]{0,60}", text[p.end : match.start()])
                ),
                None,
            )
        if place is None:
            continue
        claim = _make(context, place, (faction, "controlled", ()), match.span(), f"a stronghold of {faction}")
        if claim is not None:
            claims.append(claim)
    return claims


def _out_of_control(context: ClauseContext) -> list[Claim]:
    text, claims = context.text, []
    for match in _OUT_OF.finditer(text, context.span[0], context.span[1]):
        loser = _faction_of_word(match["who"], context.country)
        if loser is None:
            continue
        holder = opponent(loser, context, context.country)
        before = [p for p in [*context.earlier, *context.places] if context.sentence[0] <= p.start < match.start()]
        if holder is None or not before:
            continue
        claim = _make(context, before[-1], (holder, "controlled", ()), match.span(), f"out of {loser}'s control")
        if claim is not None:
            claims.append(claim)
    return claims
