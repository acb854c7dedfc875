"""Places a gazetteer lookup alone misses or misreads: datelines, sites, and villages it does not have (pure).

* A *dateline* ("BEIRUT (Reuters) -", "BAGHDAD, Iraq", "Tikrit - ") says where the report was filed, not where
  the news happened: it is kept as a place mention but never made the place of a claim.
* A *site* ("the Baiji refinery", "Deir al-Zor's military airport", "the Sinjar mountains") is named after a
  town but is not the town: it is a place of its own, to be located by the reviewer.
* An *unknown place* is a name the text presents as a place ("the villages of A and B", "Zanjali, a
  district of", "the X neighbourhood", "from X" ...) that the gazetteer does not have. It is proposed with
  no location (or with near spellings as candidates) for the reviewer to locate.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from controlmap.articles.gazetteer import geocode
from controlmap.articles.names import name_key, word_set

if TYPE_CHECKING:
    from collections.abc import Sequence

    from controlmap.articles.actors import ActorMention
    from controlmap.articles.gazetteer import Candidate, Gazetteer, GeoContext

_WORD = r"[A-Z][\w'\u2019\u2018`-]*[\w]"
_ARTICLE = r"(?:(?:[Aa]l|[Ee]l)[-\s]|(?:[Aa][dnrstz]|[Aa]sh|a)-)"
NAME = rf"(?:{_ARTICLE}?{_WORD}(?:[ -](?:{_ARTICLE})?{_WORD}){{0,2}})"
_NAMES = rf"{NAME}(?:(?:,\s+|\s+and\s+|,\s+and\s+){NAME}){{0,4}}"
_PLACE_NOUN = r"(?:towns?|villages?|city|cities|districts?|neighbou?rhoods?|suburbs?|camps?|areas?|hamlets?)"
_CONTEXTS = (
    # the villages of A, B and C; the town of A
    re.compile(rf"\b{_PLACE_NOUN}\s+of\s+(?P<names>{_NAMES})"),
    # A, a nearby village; A and B, the other two villages; A, a district on the west side
    re.compile(
        rf"(?P<names>{_NAMES}),\s+(?:a|an|the)\s+(?:[\w-]+\s+){{0,4}}?(?:towns?|villages?|districts?|neighbou?rhoods?|"
        r"suburbs?)\b"
    ),
    # the A neighbourhood; A district; the A refugee camp
    re.compile(rf"(?P<names>{NAME})\s+(?:(?:Palestinian\s+)?refugee\s+camp|neighbou?rhood|district|village)\b"),
    # from A; in A; on al A; near A (a name the text treats as somewhere)
    re.compile(
        rf"\b(?:from|in|into|to|near|toward|towards|on|at|around|outside|of)\s+(?:the\s+)?(?P<names>{NAME}"
        rf"(?:(?:,\s+|\s+and\s+){NAME})?)(?=\s*(?:[,.;:)\u2019\u201d'\"]|\s[a-z]|$))"
    ),
)
SITE_WORDS = (
    r"(?:military\s+)?(?:airport|air\s*base|airbase|base)|(?:oil\s+)?refinery|dam|basin|mountains?|oil\s*field|"
    r"(?:refugee\s+)?camp|valley|prison"
)
_SITE_AFTER = re.compile(rf"(?:['\u2019]s)?\s+(?P<site>{SITE_WORDS})\b", re.IGNORECASE)
_DATELINE = re.compile(
    r"(?m)^[ \t]*(?P<name>[A-Z][A-Za-z'\u2019-]+(?:[ ][A-Z][A-Za-z'\u2019-]+){0,2})"
    r"(?:,[ ]+[A-Z][\w ]{1,30}?)?(?:[ ]*\([A-Za-z .]{2,20}\))?[ \t]*(?:[-\u2013\u2014]\s|$)"
)
NOT_NAMES = frozenset(
    name_key(w)
    for w in word_set(
        """Iraq Syria Turkey Iran Jordan Lebanon Israel Kuwait Russia Britain America Europe Kurdistan Islamic State
    Reuters AFP AP Associated Press Facebook Twitter Telegram YouTube God Allah Observatory Human Rights
    Coalition Army Forces Units Police Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February
    March April May June July August September October November December Shiite Sunni Kurdish Kurds Arab Arabs
    Iraqi Syrian Turkish Russian American Yazidi Yazidis Christian Christians Muslim Muslims Operation Inherent
    Resolve Euphrates Shield Tigris Anbar Nineveh Ninawa Ninewa Diyala Salahuddin Salaheddin Babil Wasit Maysan
    Muthanna Qadisiyah Baath Daesh ISIS ISIL Hezbollah Peshmerga Nusra SDF YPG FSA Washington Moscow London
    Paris Geneva Ankara Tehran Riyadh Beirut Amman Cairo Brussels UN NATO TV Internet Prime Minister President
    General Gen Col Lt Brig United Nations Brigade Brigades Front Council Party Division Battalion Regiment
    Command Ministry Abdel Abdul Abd Qaeda Maj Sheikh Mr Mrs Ms Dr Levant Assad Abadi Maliki Trump Obama Erdogan
    Putin The This That These Those It He She They We I You His Her Their Its Our"""
    )
)
"""Capitalised words that are never the name of an unknown place: countries, provinces, groups, months, titles."""
_LEADS = word_set("""in from to near on at of the into around outside toward towards and""")
_NOT_BEFORE = re.compile(r"\s+(?:news|agency|TV|television|radio|newspaper|channel|media|said|says|told)\b")


def datelines(text: str) -> list[tuple[int, int]]:
    """The spans of the place names that open a report as its dateline ("BAGHDAD (AFP) -", "AZAZ, Syria")."""
    spans = []
    for match in _DATELINE.finditer(text):
        name = match["name"]
        line_end = text.find("\n", match.end())
        rest = text[match.end() : line_end if line_end != -1 else len(text)]
        shouting = name.isupper() and len(name) > 2
        dashed = match[0].rstrip().endswith(("-", "\u2013", "\u2014"))
        if (shouting and (dashed or not rest.strip())) or (dashed and len(name.split()) <= 2):
            spans.append(match.span("name"))
    return spans


def site_extent(text: str, end: int) -> tuple[int, str] | None:
    """Where a site named after a place ends ("Baiji| refinery", "Deir al-Zor|'s military airport"), and its word."""
    match = _SITE_AFTER.match(text, end)
    if match is None:
        return None
    return match.end(), match["site"]


def _plausible(name: str, text: str, start: int, end: int) -> bool:
    """Whether a capitalised name the text presents as a place can be one (see the reasons below)."""
    words = [w for w in re.split(r"[\s-]+", name) if w]
    refused = (
        not words
        or bool(re.search(r"['\u2019]s?$", name))  # a possessive (Syria's): a country, a group or a person
        or any(name_key(w) in NOT_NAMES for w in words if w[0].isupper())
        or len(name_key(name).replace(" ", "")) < MIN_NAME_LETTERS  # initials and acronyms
        or (name.isupper() and len(name) > 1)  # an acronym (SANA, CTS)
        or bool(_NOT_BEFORE.match(text, end))  # an outlet, or a person who speaks
        or bool(re.search(rf"[A-Z][\w]+\s+(?:al|el)-{re.escape(name)}\b", text))  # a family name (al-Baghdadi)
    )
    return not refused and not _in_longer_name(text, start) and not _in_title_case(text, start)


MIN_NAME_LETTERS = 4


def _in_longer_name(text: str, start: int) -> bool:
    """Whether a name follows another capitalised word ("head Rami Abdel Rahman"): part of a longer name."""
    previous = re.search(r"([A-Za-z]+)[ ]+$", text[max(0, start - 30) : start])
    return previous is not None and previous[1][0].isupper() and previous[1].casefold() not in _LEADS


def _in_title_case(text: str, start: int) -> bool:
    """Whether a name is in a headline written in Title Case, where capitals say nothing."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    line = text[line_start : line_end if line_end != -1 else len(text)]
    words = re.findall(r"[A-Za-z]{4,}", line)
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.8 * len(words)


def unknown_names(
    text: str, *, taken: Sequence[tuple[int, int]], actors: Sequence[ActorMention]
) -> list[tuple[int, int, str]]:
    """Names the text presents as places, outside the spans already taken: (start, end, name)."""
    blocked = [*taken, *((a.start, a.end) for a in actors)]
    found: dict[int, tuple[int, int, str]] = {}
    for pattern in _CONTEXTS:
        for match in pattern.finditer(text):
            names_start = match.start("names")
            block = match["names"]
            for part in re.finditer(NAME, block):
                start, end = names_start + part.start(), names_start + part.end()
                name = part[0]
                if any(start < b and a < end for a, b in blocked) or start in found:
                    continue
                if _plausible(name, text, start, end):
                    found[start] = (start, end, name)
    return sorted(found.values())


def near_spellings(gazetteer: Gazetteer, name: str, context: GeoContext) -> tuple[Candidate, ...]:
    """Entries in Iraq or Syria whose name is spelt nearly like ``name`` (for an unknown place; may be empty)."""
    found = geocode(gazetteer, name, context=context, fuzzy=True, limit=5)
    return tuple(c for c in found if c.entry.country in ("IQ", "SY") and c.entry.origin != "basemap")
