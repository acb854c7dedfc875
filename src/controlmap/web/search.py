"""Finding a place, or a group of places, by any of its names: the one search of the app and the command line (pure).

A query is compared with every name of every place (its name, Arabic name, aliases and id) and of every group
(its id in words, the start its parts' names share, the aliases they all have). The best comparison counts:

- the whole name, case and accents aside (``mosul``, ``الرقة``, ``manbij-pocket``): exact;
- every word of the query in the name, and nothing else in it (``raqqa city``: the word ``city`` is Raqqa's
  kind, so it counts as found): nearly exact;
- the start of a name (``mos``), or every word of the query somewhere in a longer name (the Euphrates reach
  ``Tabqa Dam - Raqqa`` for ``raqqa``): below those;
- some words of the query (extra words are tolerated), a part of a name, a near spelling: lowest.

So a city comes before the parts named after it, and a group before its parts when the name fits both as
well. A group stands for all its parts (the map zooms to the whole).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from controlmap.errors import PlaceNotFoundError

if TYPE_CHECKING:
    from controlmap.model import Dataset, Place

EXACT = 100.0
ALL_WORDS = 90.0
"""Every word of the query found, and the name has no other word."""
ALL_WORDS_FOUND = 80.0
"""Every word of the query found in the name (or the query starts the name); below: a partial match."""
CONFIDENT = ALL_WORDS
"""A best match scoring at least this, and alone at that score, is what the query means."""
NEAR_SPELLING = 80.0
"""Lowest rapidfuzz ratio (0-100) of two names that still counts as a spelling of the same name."""
MIN_WORD_PREFIX = 3
"""A query word this long or longer matches the words it starts (``raqq`` finds Raqqa)."""
MATCH_KIND_ORDER = {"city": 0, "town": 1, "region": 2, "river": 3, "village": 4, "landmark": 5, "infrastructure": 6}
"""Equal matches in this order: a town before an area part named after it (unlike the map's `KIND_PRIORITY`)."""
_COUNTRY_WORDS = {"IQ": ("iraq", "iq"), "SY": ("syria", "sy")}
_NON_WORD = re.compile(r"[^\w]+|_")
_LINK_WORDS = frozenset({"al", "el", "ar", "as", "az", "ad", "an", "ash", "the", "of", "and"})
"""Articles and links: a name that shares only these with a query does not match it."""


@dataclass(frozen=True)
class Found:
    """A place or a group that a query may mean, with how well it matched."""

    id: str
    """A place id, or a group id."""
    name: str
    kind: str
    members: tuple[str, ...]
    """The places it stands for: the place itself, or every part of the group."""
    score: float
    """0-100: `EXACT` for a whole name, `ALL_WORDS` for every word; lower for a partial match."""
    matched: str
    """The name that matched best."""
    group: bool = False

    def label(self) -> str:
        """How it reads in a list of results."""
        if self.group:
            return f"{self.name} (all {len(self.members)} parts)"
        return self.name if self.matched in {self.name, self.id} else f"{self.name} ({self.matched})"


@dataclass(frozen=True)
class _Name:
    """A name as written, folded, and its folded words: compared with every query, so folded once."""

    text: str
    folded: str
    words: tuple[str, ...]

    @classmethod
    def of(cls, text: str) -> _Name:
        folded = fold(text)
        return cls(text, folded, _words(folded))


@dataclass(frozen=True)
class _Searchable:
    id: str
    name: str
    kind: str
    country: str | None
    names: tuple[_Name, ...]
    members: tuple[str, ...]
    group: bool
    order: int


def fold(text: str) -> str:
    """Case- and accent-insensitive form for matching names (Ḥasakah ~ hasakah, al-Raqqah ~ AL-RAQQAH)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip()


def _words(folded: str) -> tuple[str, ...]:
    return tuple(w for w in _NON_WORD.split(folded) if w)


def place_groups(dataset: Dataset) -> dict[str, tuple[Place, ...]]:
    """Every group of the dataset (``place.group``) with its places, in the dataset's order."""
    groups: dict[str, list[Place]] = {}
    for place in dataset.places:
        if place.group:
            groups.setdefault(place.group, []).append(place)
    return {group: tuple(members) for group, members in groups.items()}


def group_name(group: str, members: tuple[Place, ...]) -> str:
    """A group's name: the start its parts' names share (``Manbij pocket``), else its id in words."""
    shared = _common_start([m.name for m in members])
    return shared if len(shared) >= 4 else group.replace("-", " ").replace("_", " ").title()


def _common_start(names: list[str]) -> str:
    if len(names) < 2:
        return ""
    common = []
    for column in zip(*(n.split() for n in names), strict=False):
        if len(set(column)) != 1:
            break
        common.append(column[0])
    return " ".join(common).strip(" ,(-\u2013\u2014:")


def _searchables(dataset: Dataset) -> tuple[_Searchable, ...]:
    cached = dataset.cache.get("search_entries")
    if isinstance(cached, tuple):
        return cached
    entries = [
        _Searchable(p.id, p.name, p.kind, p.country, _names(*p.all_names, p.id), (p.id,), group=False, order=i)
        for i, p in enumerate(dataset.places)
    ]
    for group, members in place_groups(dataset).items():
        shared = set.intersection(*(set(m.aliases) for m in members)) if len(members) > 1 else set()
        name = group_name(group, members)
        kinds = {m.kind for m in members}
        countries = {m.country for m in members}
        entries.append(
            _Searchable(
                id=group,
                name=name,
                kind=kinds.pop() if len(kinds) == 1 else "region",
                country=countries.pop() if len(countries) == 1 else None,
                names=_names(name, group, group.replace("-", " "), *sorted(shared)),
                members=tuple(m.id for m in members),
                group=True,
                order=len(dataset.places) + len(entries),
            )
        )
    found = tuple(entries)
    dataset.cache["search_entries"] = found
    return found


def _names(*texts: str) -> tuple[_Name, ...]:
    return tuple(_Name.of(text) for text in dict.fromkeys(texts))


def _name_score(query: str, words: tuple[str, ...], name: _Name, ignorable: set[str]) -> float:
    """How well a name matches a query (0: not at all); see the module's description."""
    folded, name_words = name.folded, name.words
    if not name_words:
        return 0.0
    if query == folded or words == name_words:
        return EXACT
    whole = [w for w in words if w in name_words]
    started = [
        w for w in words if w not in whole and len(w) >= MIN_WORD_PREFIX and any(n.startswith(w) for n in name_words)
    ]
    spare = [w for w in words if w not in whole and w not in started and (w in ignorable or w in _LINK_WORDS)]
    found = whole + started
    # The share of the name's words the query accounts for; its kind or country ("Khabur River") need not be typed.
    covered = sum(n in ignorable or any(n.startswith(w) for w in found) for n in name_words) / len(name_words)
    if found and len(found) + len(spare) == len(words):
        return (ALL_WORDS if not started else ALL_WORDS - 5.0) - 10.0 * (1.0 - covered)
    if folded.startswith(query):
        return ALL_WORDS_FOUND + 5.0 * len(query) / len(folded)
    if any(w not in _LINK_WORDS for w in found):
        return 40.0 * len(found) / len(words) + 10.0 * covered
    return _loose_score(query, words, folded, name_words)


def _loose_score(query: str, words: tuple[str, ...], folded: str, name_words: tuple[str, ...]) -> float:
    """A part of a name, or a near spelling of the name or (for one word) of one of its words."""
    if len(query) >= MIN_WORD_PREFIX and query in folded:
        return 35.0
    ratio = fuzz.ratio(query, folded)
    if ratio >= NEAR_SPELLING:
        return 30.0 * ratio / 100.0
    word_ratio = max((fuzz.ratio(query, n) for n in name_words), default=0.0) if len(words) == 1 else 0.0
    return 25.0 * word_ratio / 100.0 if word_ratio >= NEAR_SPELLING else 0.0


def _ignorable(entry: _Searchable) -> set[str]:
    """Words a query may add to a name without missing it: the kind and the country (and `_LINK_WORDS`)."""
    return {entry.kind, *_COUNTRY_WORDS.get(entry.country or "", ())}


def find_places(dataset: Dataset, text: str, *, limit: int = 20) -> list[Found]:
    """The places and groups a text may mean, best first.

    Parameters
    ----------
    dataset
        Its places and groups.
    text
        Any of their names, Arabic names, aliases or ids, in any case, with or without accents and extra words.
    limit
        At most this many.

    Returns
    -------
    The matches; ties go to a group before a place (its parts), then to cities before towns, regions and rivers.
    """
    query = fold(text)
    words = _words(query)
    if not words:
        return []
    found = []
    for entry in _searchables(dataset):
        ignorable = _ignorable(entry)
        # The first of the names that match best: the place's own name before its other names.
        score, matched = max(((_name_score(query, words, n, ignorable), n) for n in entry.names), key=lambda s: s[0])
        if score > 0:
            found.append((entry, score, matched.text))
    found.sort(key=lambda f: (-f[1], not f[0].group, MATCH_KIND_ORDER.get(f[0].kind, 9), f[0].order))
    # Far weaker matches than the best are noise beside it ("raqqa city": Raqqa, not every city).
    found = [f for f in found if f[1] >= found[0][1] / 2] if found else []
    return [
        Found(e.id, e.name, e.kind, e.members, round(score, 2), matched, group=e.group)
        for e, score, matched in found[:limit]
    ]


def resolve_place(dataset: Dataset, text: str) -> Found:
    """The one place or group a text means.

    Raises
    ------
    PlaceNotFoundError
        When nothing matches it well, or several match it equally well: the message lists the closest.
    """
    found = find_places(dataset, text, limit=6)
    best = [f for f in found if found and f.score == found[0].score]
    # A group tied with its own parts is what the query means ("Furat": the whole Euphrates).
    groups = {member for f in best if f.group for member in f.members}
    best = [f for f in best if f.id not in groups]
    if len(best) == 1 and (best[0].score >= CONFIDENT or (len(found) == 1 and best[0].score >= ALL_WORDS_FOUND)):
        return best[0]
    if found and found[0].score >= CONFIDENT:
        msg = f"{text!r} may be any of: {_listed(best)}; give one of these ids"
    else:
        closest = found[:5] or _nearest_spellings(dataset, text)
        near = f"; the closest: {_listed(closest)}" if closest else ""
        msg = f"no place or group has the name {text!r}{near}"
    raise PlaceNotFoundError(msg)


def _nearest_spellings(dataset: Dataset, text: str, *, limit: int = 3) -> list[Found]:
    """The entries whose names look most like a text that matched none (for a message, not a result)."""
    query = fold(text)
    scored = []
    for entry in _searchables(dataset):
        ratio, matched = max(((fuzz.ratio(query, n.folded), n.text) for n in entry.names), key=lambda s: s[0])
        if ratio >= 50:
            scored.append((ratio, entry, matched))
    scored.sort(key=lambda s: (-s[0], s[1].order))
    return [Found(e.id, e.name, e.kind, e.members, 0.0, matched, group=e.group) for _, e, matched in scored[:limit]]


def _listed(found: list[Found]) -> str:
    return ", ".join(f"{f.id} ({f.label()})" for f in found)
