"""Who and where a claim is about: its places, its agent and the defender of an attacked place (pure)."""

from __future__ import annotations

import itertools
import re
from typing import TYPE_CHECKING

from controlmap.articles.extent import (
    _GAP_WORD,
    _PASSIVE_BEFORE,
    Extent,
    extent_before,
    gap_extent,
    object_after,
)
from controlmap.articles.names import word_set
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
    from collections.abc import Sequence

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
    actors: Sequence[ActorMention] = (),
    aim: bool = False,
) -> list[tuple[PlaceMention, Extent]]:
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
            is_free = (
                locative is None
                or (
                    trigger.target_after_from
                    and locative[0].casefold().startswith("from")
                    and place.start > match.end()
                )
                or (trigger.effect == "lost" and place.start > match.end())
            )
        if is_free:
            free.append(place)
        previous, previous_free = place, is_free
    found_after = _after_trigger(text, match, [p for p in places if p.start >= match.end()], actors)
    if trigger.needs_place_after or aim:
        return found_after  # "took Manbij", "the operation to retake Mosul": the place follows
    before = [p for p in free if p.end <= match.start()][-1:]
    if before and _ANAPHORA.search(text, before[0].end, match.start()):
        before = []  # "Qayyarah and Mosul ..., said the town was encircled": "the town" is the subject
    found_before = [(p, extent_before(text, p)) for p in _backward_list(text, before, places)]
    passive = trigger.passive or _passive_form(text, match, clause)
    if not (passive or trigger.effect in ("lost", "fell")) and found_before:
        found_before = _as_subject(text, match, clause, found_before[0][0], actors)
    if passive or (trigger.effect == "lost" and not found_after):
        return found_before or found_after
    return found_after or found_before


_REDUCED_RELATIVE = re.compile(
    r",\s+the\s+(?:[\w-]+\s+){0,3}?(?:city|town|village|stronghold)\s+(?:that\s+|which\s+)?(?:the\s+)?(?:[\w-]+\s+){1,3}?"
    r"(?:ever\s+|had\s+|once\s+)?$",
    re.IGNORECASE,
)
_PREPOSITION_BEFORE = re.compile(r"\b(?:in|at|near|from|to|inside|into|of|on|around|outside|toward|towards)\s+$", re.I)


def _as_subject(
    text: str, match: re.Match[str], clause: tuple[int, int], place: PlaceMention, actors: Sequence[ActorMention]
) -> list[tuple[PlaceMention, Extent]]:
    """A place before an active trigger, when it can be what the trigger is about.

    "In Ayadiya ..., fighting continued" and "Tal Afar, which ... declared liberated" can; "fighters sheltering in
    Neshwa then attacked the ... forces" cannot (a place after a preposition, inside the clause), and
    neither can "Al-Hasakah city, capturing at least one neighbourhood" unless as a part.
    """
    lead = text[clause[0] : place.start]
    topical = lead.strip(" ,\n\"'").casefold() in ("in", "and in", "but in")  # "In Ayadiya, fighting continued"
    named = re.search(r"\b(?:towns?|villages?|city|cities|districts?)\s+of\s+$", lead, re.IGNORECASE)
    reduced = _REDUCED_RELATIVE.match(text[place.end : match.start()])  # "Mosul, the largest city IS ever held"
    if _PREPOSITION_BEFORE.search(lead) and not (topical or named or reduced):
        return []
    object_kind = object_after(text, match.end(), clause[1], actors)
    if object_kind == "other":
        return []  # the trigger has an object of its own ("retook swathes of territory")
    return [(place, "part" if object_kind == "part" else extent_before(text, place))]


def _after_trigger(
    text: str, match: re.Match[str], after: list[PlaceMention], actors: Sequence[ActorMention]
) -> list[tuple[PlaceMention, Extent]]:
    """The places a trigger governs after it.

    The first place the words between allow, those listed with it, and one coordinated later ("pulled back to
    positions east of Hajin and to Sousa and Al-Shaafa").
    """
    for index, place in enumerate(after):
        extent = gap_extent(text, match.end(), place.start, actors)
        coordinated = index > 0 and re.search(r"\band\s+(?:to|into|from|in|on)\s+(?:the\s+)?$", text[: place.start])
        if extent is None and coordinated and not re.search(r"[;.]", text[match.end() : place.start]):
            extent = "whole"
        if extent is None:
            if index == 0 or not coordinated:
                continue
            break
        listed = _first_list(text, after[index:])
        extents = [extent] + [_list_extent(text, a, b) for a, b in itertools.pairwise(listed)]
        return list(zip(listed, extents, strict=False))
    return []


def _list_extent(text: str, previous: PlaceMention, place: PlaceMention) -> Extent:
    between = text[previous.end : place.start]
    return "part" if re.search(r"\b(?:part|parts|most)\s+of\b", between, re.IGNORECASE) else "whole"


def _backward_list(text: str, nearest: list[PlaceMention], places: list[PlaceMention]) -> list[PlaceMention]:
    """The place nearest before a trigger and those listed before it ("Dabiq and Soran were cleared")."""
    if not nearest:
        return []
    chosen = [nearest[0]]
    earlier = [p for p in places if p.end <= nearest[0].start]
    for place in reversed(earlier):
        joiner = text[place.end : chosen[0].start]
        if _AND.fullmatch(joiner) and (len(chosen) > 1 or re.search(r"\band\b", joiner)):
            chosen.insert(0, place)
        else:
            break
    return chosen


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
    *,
    places: list[PlaceMention],
    earlier: list[PlaceMention],
    actors: Sequence[ActorMention] = (),
    places_after: Sequence[PlaceMention] = (),
) -> tuple[list[tuple[PlaceMention, Extent]], list[str]]:
    """A place named outside the clause.

    "seized the town" (an earlier sentence's town), "fighting in the city", "the complex there", or the place a
    relative clause hangs on ("Hawija, which Iraqi forces recaptured in October").
    """
    anaphor = _ANAPHORA.search(text, match.end(), clause[1])
    if anaphor is not None:
        extent = gap_extent(text, match.end(), anaphor.start(), actors)
        if extent is not None and re.search(r"\bold\s+city\b", anaphor[0], re.IGNORECASE):
            extent = "part"  # "the old city" of the town named before
        if extent is not None:
            found = _antecedent([*earlier, *places], match.start(), anaphor["noun"] or "town")
            return [(p, extent) for p in found], [f"the place is {anaphor[0].strip()!r}, named before"]
    subject = _SUBJECT_ANAPHOR.search(text, clause[0], match.start())
    if subject is not None and subject.end() == match.start():
        found = _antecedent([*earlier, *places], subject.start(), subject["noun"])
        return [(p, "whole") for p in found], [f"the place is {subject[0].split()[1]!r}, named before"]
    relative = _RELATIVE.match(text, clause[0])
    if not places and relative is not None and _bare_relative(text, relative.end(), match.start(), actors):
        found = [p for p in earlier if p.end <= clause[0] and p.start >= sentence[0]][-1:]
        governs = not re.search(r"\b(?:against|in|on|to|of|out|by|control|hands)$", match[0], re.IGNORECASE)
        if found and (not governs or object_after(text, match.end(), clause[1], actors) != "other"):
            return [(p, "whole") for p in found], ["the place the relative clause ('which ...') is about"]
    held_part = _PART_HELD.search(text, max(clause[0], match.start() - 60), match.start())
    if held_part is not None and held_part.end() == match.start():
        found = [p for p in earlier if p.start >= sentence[0]][-1:]
        return [(p, "part") for p in found], ["a part of the place named before ('a pocket they still control')"]
    indefinite = _INDEFINITE.match(text, match.end())
    if indefinite is not None:
        following = [p for p in places_after if p.start >= clause[1] and p.role in ("unknown", "place")][:1]
        return [(p, "whole") for p in following], [f"{indefinite[0].strip()!r} is named in what follows"]
    return [], []


_SUBJECT_ANAPHOR = re.compile(
    r"\b(?:the|this)\s+(?P<noun>town|city|village|dam|camp)\s+(?:(?:was|were|is|has|had|been|now|fully|declared|"
    r"completely|also)\s+)*",
    re.IGNORECASE,
)
_PART_HELD = re.compile(
    r"\b(?:pockets?|neighbou?rhoods?|parts?|areas?|districts?|enclaves?)\s+(?:that\s+|which\s+)?(?:they|it|the\s+\w+)\s+"
    r"(?:still\s+|now\s+)?",
    re.IGNORECASE,
)
_INDEFINITE = re.compile(r"\s+(?:of\s+)?an?\s+(?:[\w-]+\s+){0,2}?(?:town|city|village)\b", re.IGNORECASE)
_BARE_WORDS = word_set(
    """had has have been was were is are now still later also already it they declared announced remains remained
    stays"""
)


def _bare_relative(text: str, start: int, end: int, actors: Sequence[ActorMention]) -> bool:
    """Whether only a subject and auxiliaries stand between a relative pronoun and its verb ("which IS had")."""
    spans = [(a.start, a.end) for a in actors]
    words = [m for m in _GAP_WORD.finditer(text, start, end) if not any(a <= m.start() < b for a, b in spans)]
    return all(m[0].casefold() in _BARE_WORDS for m in words) or bool(spans and len(words) <= 5)


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
    if not rule.passive and _passive_form(text, match, clause):
        # "was retaken on Thursday by Iraqi forces"; "was recaptured on Monday": never the last actor seen
        return _passive_agent(text, match, clause, sentence, usable, inherited, kind, country)
    if rule.passive:
        inside = [a for a in usable if match.start() <= a.start < match.end()]
        after = [a for a in usable if a.start >= match.end() and a.start < clause[1]]
        found = inside or after
        return (found[0], f"agent {found[0].text!r} (after the trigger)") if found else (None, "no agent")
    named = _named_agent(text, match, clause, sentence, usable, [*inherited])
    if named is not None:
        return named
    before = [a for a in usable if a.end <= match.start() and a.start >= clause[0]]
    if not before:
        before = [a for a in usable if a.end <= match.start() and a.start >= sentence[0]]
    subjects = [a for a in before if not _is_object(text, a, sentence)]
    if subjects:
        chosen = _head_of_coordination(text, subjects)
        return chosen, f"agent {chosen.text!r} (before the trigger)"
    candidates = [a for a in inherited if a.faction_in(country) is not None]
    if kind in ("retaken", "under attack", "besieged"):
        candidates = [a for a in candidates if a.faction_in(country) != "isis"] or (candidates if rule.passive else [])
    if candidates:
        return candidates[0], f"from the previous sentence's subject: agent {candidates[0].text!r}"
    return None, "no agent"


_VERB_BEFORE = re.compile(
    r"\b(?:drove|driven|drive|expel|expelled|expelling|oust|ousted|ousting|attacked|attacking|fought|fighting|against|from|"
    r"with|of|over|on|by|to|known\s+as|called|kick(?:ed)?|forced|forcing|defeated|defeating|routing|routed)\s+"
    r"(?:the\s+)?(?:[\w-]+\s+){0,1}$",
    re.IGNORECASE,
)


def _passive_form(text: str, match: re.Match[str], clause: tuple[int, int]) -> bool:
    """Whether a participle trigger is passive: "was retaken on Thursday", "were cleared"."""
    participle = re.match(r"\w+(?:ed|en|un|wn|ld)\b", match[0]) is not None
    return participle and bool(_PASSIVE_BEFORE.search(text[max(clause[0], match.start() - 30) : match.start()]))


def _passive_agent(
    text: str,
    match: re.Match[str],
    clause: tuple[int, int],
    sentence: tuple[int, int],
    usable: list[ActorMention],
    inherited: list[ActorMention],
    kind: ClaimKind,
    country: str | None,
) -> tuple[ActorMention | None, str]:
    """The agent of a passive: after "by", else who reports it, else the previous sentence's subject.

    "The SDF announced that Raqqa had been liberated": the SDF; never merely the last actor seen.
    """
    by = re.search(r"\bby\s+", text[match.end() : clause[1]])
    after = [a for a in usable if by is not None and match.end() + by.end() <= a.start < clause[1]]
    if after:
        return after[0], f"agent {after[0].text!r} (after 'by')"
    reporters = [
        a for a in usable if sentence[0] <= a.start and a.end <= match.start() and not _is_object(text, a, sentence)
    ]
    earlier = [a for a in inherited if a.faction_in(country) is not None]
    for candidates, note in ((reporters, "the sentence's subject"), (earlier, "the previous sentence's subject")):
        fitting = [a for a in candidates if kind == "captured" or a.faction_in(country) != "isis"]
        if kind in ("retaken", "captured") and fitting:
            return fitting[0], f"agent {fitting[0].text!r} ({note}; a passive without 'by')"
    return None, "no agent (a passive without 'by')"


def _named_agent(
    text: str,
    match: re.Match[str],
    clause: tuple[int, int],
    sentence: tuple[int, int],
    usable: list[ActorMention],
    inherited: list[ActorMention],
) -> tuple[ActorMention, str] | None:
    """The agent a construction names: the side forced out, a relative clause's subject, what "they" stands for."""
    if match[0].casefold().startswith(("forcing", "forced")):
        inside = [a for a in usable if match.start() <= a.start < match.end()]
        if inside:
            return inside[0], f"{inside[0].text!r} was forced out"
    relative = re.match(r"\s*(?:who|which|that)\s+", text[clause[0] : clause[1]])
    if relative is not None:
        # "which Iraqi forces recaptured": the actor after the pronoun is the subject; "who had held": the antecedent.
        own = [a for a in usable if clause[0] + relative.end() - 2 <= a.start and a.end <= match.start()]
        if own:
            return own[0], f"agent {own[0].text!r} (subject of the relative clause)"
        antecedent = [a for a in usable if sentence[0] <= a.start and a.end <= clause[0]]
        if antecedent:
            return antecedent[-1], f"agent {antecedent[-1].text!r} (the relative clause's antecedent)"
    pronoun = _PRONOUN.search(text[clause[0] : match.start()])
    if pronoun is not None:
        # "a small pocket they still control": "they" is the last actor named before it
        named = [a for a in [*inherited, *usable] if a.end <= clause[0] + pronoun.start()]
        if named:
            return named[-1], f"agent {named[-1].text!r} ('{pronoun[0].split()[0]}')"
    return None


_PRONOUN = re.compile(r"\b(?:they|it)\s+(?:\w+ly\s+|still\s+|now\s+|had\s+|have\s+|has\s+)*$")


_AFFILIATION = re.compile(
    r"\b(?:militants|fighters|gunmen|insurgents|jihadists|members|forces|troops|units)\s+(?:from|of|loyal\s+to|"
    r"belonging\s+to|with)\s+(?:the\s+)?$",
    re.IGNORECASE,
)


_QUANTITY = re.compile(
    r"\b(?:hundreds|thousands|dozens|scores|members|some|many|most|units|contingent|group|elements)\s+of\s+(?:the\s+)?"
    r"(?:[A-Z][\w-]+\s+)?$",
    re.IGNORECASE,
)


def _is_object(text: str, actor: ActorMention, sentence: tuple[int, int]) -> bool:
    """Whether an actor is the object of a verb or a preposition ("drove IS out", "from the Nusra Front")."""
    lead = text[max(sentence[0], actor.start - 30) : actor.start]
    if _AFFILIATION.search(lead) or _QUANTITY.search(lead):
        return False  # "militants from the Islamic State", "hundreds of Syrian rebels": who they are, not an object
    return bool(_OBJECT_OF.search(lead[-12:]) or _VERB_BEFORE.search(lead))


def _head_of_coordination(text: str, before: list[ActorMention]) -> ActorMention:
    """The first of the actors that together make the subject nearest the trigger."""
    index = len(before) - 1
    while index > 0 and _COORDINATION.fullmatch(text[before[index - 1].end : before[index].start]):
        index -= 1
    return before[index]


_TOWN_KINDS = frozenset({"city", "town", "village", "populated place"})


def _antecedent(places: list[PlaceMention], position: int, noun: str = "town") -> list[PlaceMention]:
    """What "the town" ("the dam", "the camp") before ``position`` stands for.

    Of the last three places it can be, the one the article has named most (a place named in the headline or
    as "the town of X" counts once more); on a tie, the last named.
    """
    noun = noun.casefold()
    fitting = []
    for place in [p for p in places if p.end <= position and p.role != "dateline"]:
        if noun in ("dam", "camp"):
            if place.role == "site" or (place.best is not None and noun in place.best.entry.name.casefold()):
                fitting.append(place)
        elif place.role == "unknown" or (
            place.best is not None
            and place.best.entry.kind in _TOWN_KINDS
            and place.best.entry.name.split()[0].casefold() not in _DIRECTION_WORDS  # "East Mosul" is no "city"
        ):
            fitting.append(place)
    if not fitting:
        return []
    keys = [_key(p) for p in fitting]
    recent = list(dict.fromkeys(reversed(keys)))[:3]
    weight = {k: keys.count(k) + sum(_salience(p, noun) for p in fitting if _key(p) == k) for k in recent}
    best = max(recent, key=lambda k: (weight[k], -recent.index(k)))
    return [next(p for p in reversed(fitting) if _key(p) == best)]


_DIRECTION_WORDS = word_set("""east eastern west western north northern south southern old""")
HEADLINE_CHARS = 160
"""Places named this near the start of an article are in its headline: its subject."""


def _salience(place: PlaceMention, noun: str) -> int:
    """What makes a mention the likelier subject of "the town": the headline, and being a town when "the town"."""
    kind = place.best.entry.kind if place.best is not None else "town"
    fits = (noun == "city") == (kind == "city")
    return (place.start < HEADLINE_CHARS) + 2 * fits


def _key(place: PlaceMention) -> str:
    return place.best.entry.id if place.best is not None else place.text.casefold()


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
