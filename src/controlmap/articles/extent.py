"""How much of a place a sentence's words make it about: all of it, a part (fighting inside it), or nothing (pure).

`gap_extent` reads the words between a trigger and a place after it ("retook the strategic northern town of"
is all of the town; "drove IS out of the centre of" a part; "took an oilfield near it and blocked the two
roads out of" not the place at all); `extent_before` the words before a place ("parts of the city");
`object_after` what follows an active trigger as its object.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Literal

from controlmap.articles.names import word_set

if TYPE_CHECKING:
    from collections.abc import Sequence

    from controlmap.articles.actors import ActorMention
    from controlmap.articles.mentions import PlaceMention

Extent = Literal["whole", "part"]
_GAP_WORD = re.compile(r"[A-Za-z][\w'\u2019-]*|\d+")
_WHOLE_WORDS = word_set(
    """the a an of control full complete total almost entire entirely most all much back out from over into early
    late overnight morning evening night afternoon dawn day on in at strategic key important historic ancient
    main major large largest big biggest small mixed predominantly nearby neighbouring neighboring provincial
    border town towns city cities village villages capital hometown stronghold strongholds redoubt bastion hub
    its their his her city's remaining last also just finally fully now quickly swiftly government military
    police army security municipal national joint second third-largest second-largest largest families held
    controlled largely effectively oil-rich industrial desert rural northern southern eastern western central
    northeastern northwestern southeastern southwestern north south east west de facto self-declared
    self-proclaimed so-called besieged embattled restive symbolic symbolically key"""
)
_PLACE_NOUNS = frozenset({"town", "city", "village", "camp"})
_ADJECTIVES = ("-besieged", "-held", "-controlled", "-run", "-majority", "-dominated")
_PART_NOUNS = word_set(
    """neighbourhood neighbourhoods neighborhood neighborhoods district districts part parts section sections
    sector sectors third half quarter quarters center centre middle edges edge outskirts suburbs suburb pocket
    pockets positions position headquarters hospital stadium complex building buildings airport square
    roundabout bridge bridges side bank areas area"""
)
_WEEKDAYS_MONTHS = word_set(
    """monday tuesday wednesday thursday friday saturday sunday january february march april may june july august
    september october november december"""
)
_PART_BEFORE = re.compile(
    r"(?:parts?|neighbou?rhoods?|districts?|sections?|sectors?|(?:a|one)\s+third|half|the\s+(?:cent(?:er|re)|edges?|"
    r"old\s+city|outskirts)|pockets?|areas?)\s+(?:of|in)\s+(?:the\s+)?(?:[\w'\u2019-]+\s+){0,2}$",
    re.IGNORECASE,
)
_WHOLE_BEFORE = re.compile(r"(?:most|all|almost\s+all|nearly\s+all|much)\s+of\s+(?:the\s+)?(?:[\w-]+\s+){0,3}$", re.I)
_PASSIVE_BEFORE = re.compile(r"\b(?:was|were|been|being|is|are)\s+(?:\w+ly\s+)?$", re.IGNORECASE)
"""A form of "to be" before a verb makes it passive: "Dabiq and Soran were cleared", "was retaken on Monday"."""
MAX_GAP_WORDS = 14


def gap_extent(text: str, start: int, end: int, actors: Sequence[ActorMention]) -> Extent | None:
    """What the words between a trigger and a place after it make of the place: all of it, a part, or nothing.

    "retook the strategic northern town of" (whole), "drove IS out of the center of" (part), "took an oilfield
    near it and blocked the two roads out of" (not the place the trigger is about).
    """
    gap = text[start:end]
    apposition = bool(re.search(r",\s*$", gap)) and not re.search(r"[,;:]", gap.rstrip()[:-1])
    if apposition:
        gap = gap.rstrip()[:-1]  # "overran the Syrian side, al-Bukamal": an apposition names the place
    if re.search(r"[,;:\u2013\u2014]|\s-\s", gap):
        return None
    gap = re.sub(r"\([^)]*\)", " ", gap)
    spans = [(a.start - start, a.end - start) for a in actors if start <= a.start < end]
    words = [m for m in _GAP_WORD.finditer(gap) if not any(a <= m.start() < b for a, b in spans)]
    if len(words) > MAX_GAP_WORDS:
        return None
    extent: Extent = "whole"
    for index, match in enumerate(words):
        word = match[0].casefold().removesuffix("'s").removesuffix("\u2019s")
        following = words[index + 1][0].casefold() if index + 1 < len(words) else ""
        if word == "old" and following == "city":
            extent = "part"  # "the old city of Mosul": fighting in a part of it
            continue
        if (
            word in _PLACE_NOUNS
            and index > 0
            and words[index - 1][0].casefold() in ("the", "this")
            and following != "of"
        ):
            return None  # "pockets of the city west of Baghdad": "the city" is the place, named before
        if word in _WHOLE_WORDS or word in _WEEKDAYS_MONTHS or word.isdigit() or word.endswith(("ern", *_ADJECTIVES)):
            continue
        if match[0][0].isupper() or any(part[:1].isupper() for part in match[0].split("-")):
            continue  # Iraqi, Syrian, Kurdish, regime-Kurdish ...: adjectives of the place
        if word in _PART_NOUNS and following in ("of", "in", "there", ""):
            extent = "whole" if apposition and not following else "part"
            continue
        if word in ("than", "more", "less", "least", "some", "several", "two", "three", "four", "five", "much"):
            continue
        return None
    return extent


def extent_before(text: str, place: PlaceMention) -> Extent:
    """Whether the words just before a place make it a part ("parts of the city", "the centre of Ramadi")."""
    lead = text[max(0, place.start - 60) : place.start]
    if _WHOLE_BEFORE.search(lead):
        return "whole"
    return "part" if _PART_BEFORE.search(lead) else "whole"


_OBJECT_STOP = word_set("""on in at by from to with after before as and but while since until near""")


ObjectKind = Literal["none", "actor", "part", "other"]
_COUNTING = word_set("least one some several more than")


def object_after(text: str, end: int, clause_end: int, actors: Sequence[ActorMention]) -> ObjectKind:
    """What follows an active trigger as its object.

    ``none`` (nothing of its own: the place named before is what it is about), ``actor`` ("drove IS out"),
    ``part`` ("capturing at least one neighbourhood": a part of the place named before) or ``other`` ("retook
    swathes of territory": something else).
    """
    spans = [(a.start, a.end) for a in actors]
    for match in _GAP_WORD.finditer(text, end, min(clause_end, end + 80)):
        if any(a <= match.start() < b for a, b in spans):
            return "actor"
        word = match[0].casefold()
        if word == "at" and text[match.end() : match.end() + 6].strip().casefold().startswith("least"):
            continue  # "capturing at least one neighborhood"
        if word in _OBJECT_STOP or word in _WEEKDAYS_MONTHS or word.isdigit() or word in ("both", "whole"):
            return "none"  # "now control both sides of the frontier": all of the place named before
        if word in _PART_NOUNS:
            return "part"
        if word in _WHOLE_WORDS or word in _COUNTING:
            continue
        return "none" if match[0][0].isupper() and word not in _PLACE_NOUNS else "other"
    return "none"
