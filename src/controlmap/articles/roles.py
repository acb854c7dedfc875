"""Who and where a claim is about: its places, its agent and the defender of an attacked place (pure)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from controlmap.articles.rules import (
    _ANAPHORA,
    _AND,
    _COORDINATION,
    _LIST_JOINER,
    _LOCATIVE,
    _OBJECT_OF,
    _RELATIVE,
)

if TYPE_CHECKING:
    from controlmap.articles.actors import ActorMention
    from controlmap.articles.mentions import PlaceMention
    from controlmap.articles.rules import ClaimKind, _Trigger


def _targets(
    text: str,
    trigger: _Trigger,
    match: re.Match[str],
    clause: tuple[int, int],
    places: list[PlaceMention],
    *,
    aim: bool = False,
) -> list[PlaceMention]:
    free: list[PlaceMention] = []
    previous: PlaceMention | None = None
    previous_free = False
    for place in places:
        if previous is not None and _LIST_JOINER.match(text[previous.end : place.start]):
            is_free = previous_free
        else:
            # Words of the trigger itself ("assault on") do not make the place a mere location.
            start = match.end() if place.start >= match.end() else clause[0]
            locative = _LOCATIVE.search(text[start : place.start])
            is_free = locative is None or (
                trigger.target_after_from and locative[0].casefold().startswith("from") and place.start > match.end()
            )
        if is_free:
            free.append(place)
        previous, previous_free = place, is_free
    after = [p for p in free if p.start >= match.end()]
    nearest_before = [p for p in free if p.end <= match.start()][-1:]
    if trigger.needs_place_after:
        # "took Manbij": the place must follow at once ("the positions we took" is no capture).
        return _first_list(text, [p for p in after if p.start - match.end() <= 12])
    if aim:
        return _first_list(text, after)  # "the operation to retake Mosul"; not the place named before
    if trigger.passive:
        return _first_list(text, nearest_before) or _first_list(text, after)
    return _first_list(text, after) or _first_list(text, nearest_before)


def _first_list(text: str, places: list[PlaceMention]) -> list[PlaceMention]:
    """The first place and those listed with it (Fallujah and Ramadi)."""
    if not places:
        return []
    chosen = [places[0]]
    for place in places[1:]:
        if place.start > chosen[-1].end and _AND.fullmatch(text[chosen[-1].end : place.start]):
            chosen.append(place)
        else:
            break
    return chosen


def _targets_elsewhere(
    text: str,
    match: re.Match[str],
    clause: tuple[int, int],
    sentence: tuple[int, int],
    kind: ClaimKind,
    *,
    places: list[PlaceMention],
    earlier: list[PlaceMention],
) -> tuple[list[PlaceMention], list[str]]:
    """A place named outside the clause.

    "seized the town" (an earlier sentence's town), or the place a relative clause hangs on ("Hawija, which
    Iraqi forces recaptured in October").
    """
    if kind in ("captured", "retaken", "holds") and _ANAPHORA.match(text, match.end()):
        found = _antecedent([*earlier, *places], match.start())
        return found, ["the place is 'the town'/'the city' of an earlier sentence"]
    if not places and _RELATIVE.match(text, clause[0]):
        found = [p for p in earlier if p.end <= clause[0] and p.start >= sentence[0]][-1:]
        return found, ["the place the relative clause ('which ...') is about"]
    return [], []


def _agent(
    *,
    text: str,
    trigger: tuple[_Trigger, re.Match[str]],
    clause: tuple[int, int],
    sentence: tuple[int, int],
    actors: list[ActorMention],
    inherited: list[ActorMention],
    kind: ClaimKind,
    country: str | None,
) -> tuple[ActorMention | None, str]:
    rule, match = trigger
    usable = [a for a in actors if a.faction_in(country) is not None]
    if rule.passive:
        inside = [a for a in usable if match.start() <= a.start < match.end()]
        after = [a for a in usable if a.start >= match.end() and a.start < clause[1]]
        found = inside or after
        return (found[0], f"agent {found[0].text!r} (after the trigger)") if found else (None, "no agent")
    before = [a for a in usable if a.end <= match.start() and a.start >= clause[0]]
    if not before:
        before = [a for a in usable if a.end <= match.start() and a.start >= sentence[0]]
    if re.match(r"\s*(?:who|which|that)\s", text[clause[0] : clause[1]]):
        # A relative clause: its subject is what it hangs on ("the jihadists who had held the town").
        antecedent = [a for a in usable if sentence[0] <= a.start and a.end <= clause[0]]
        if antecedent:
            return antecedent[-1], f"agent {antecedent[-1].text!r} (the relative clause's antecedent)"
    subjects = [a for a in before if not _OBJECT_OF.search(text[max(0, a.start - 12) : a.start])] or before
    if subjects:
        chosen = _head_of_coordination(text, subjects)
        return chosen, f"agent {chosen.text!r} (before the trigger)"
    candidates = [a for a in inherited if a.faction_in(country) is not None]
    if kind in ("retaken", "under attack", "besieged"):
        candidates = [a for a in candidates if a.faction_in(country) != "isis"]
    if candidates:
        return candidates[0], f"from the previous sentence: agent {candidates[0].text!r}"
    return None, "no agent"


def _head_of_coordination(text: str, before: list[ActorMention]) -> ActorMention:
    """The first of the actors that together make the subject nearest the trigger."""
    index = len(before) - 1
    while index > 0 and _COORDINATION.fullmatch(text[before[index - 1].end : before[index].start]):
        index -= 1
    return before[index]


def _antecedent(places: list[PlaceMention], position: int) -> list[PlaceMention]:
    earlier = [
        p
        for p in places
        if p.end <= position and p.best is not None and p.best.entry.kind in ("city", "town", "populated place")
    ]
    return earlier[-1:]


def _defender(
    match: re.Match[str],
    sentence: tuple[int, int],
    actors: list[ActorMention],
    attacker: str,
    country: str | None,
) -> tuple[str | None, str]:
    others = [
        a for a in actors if sentence[0] <= a.start < sentence[1] and a.faction_in(country) not in (None, attacker)
    ]
    after = [a for a in others if a.start >= match.end()] or others
    if after:
        return after[0].faction_in(country), f"defender {after[0].text!r}"
    if attacker != "isis":
        return "isis", "assumed defender: the Islamic State"
    return None, "no defender"
