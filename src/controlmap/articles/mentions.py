"""Finding the places a news text names, and geocoding each with the text as context (pure).

The text is scanned for the longest run of words whose normalised key is a name in the gazetteer.
A run must start with a capital letter (or an article before one: al-Raqqa), must not be part of a
longer proper name (al-Baghdadi in Abu Bakr al-Baghdadi is a man, not the town) and must not be part
of an actor's name (the Syrian Democratic Forces). Directions make a part of a city when the
gazetteer has one: "eastern Mosul", "the western part of Mosul", "the eastern half of the city".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal

from controlmap.articles.actors import ActorMention, countries_from_text
from controlmap.articles.gazetteer import Candidate, Gazetteer, GeoContext, geocode
from controlmap.articles.names import ARTICLES, is_arabic, name_key, name_words, word_set
from controlmap.articles.places_more import datelines, near_spellings, site_extent, unknown_names

if TYPE_CHECKING:
    from collections.abc import Sequence


MAX_WORDS = 7
TOWN_POPULATION = 20_000
"""A GeoNames town at least this large is found in text by any spelling; a smaller one by its own letters."""
AMBIGUITY_MARGIN = 0.05
"""Candidates within this score of the best make a mention ambiguous: the reviewer must choose."""
_TOKEN = re.compile(r"[^\W\d_]+")
_JOINERS = frozenset({" ", "-", "\u2013", " \u2013 ", "\u00a0"})
_STOP = word_set(
    """a an and as at before but by during for from he her his however if in into it its last many meanwhile more
    most now of on or our over since some such that the their these they this those through to under until we
    when where while with after also both each every few other yesterday today"""
)
_CALENDAR = word_set(
    """january february march april may june july august september october november december monday tuesday
    wednesday thursday friday saturday sunday"""
)
_NOT_PLACES = word_set(
    """iraq syria turkey iran jordan lebanon israel kuwait arabia kurdistan levant arab arabs kurd kurds kurdish
    sunni sunnis shiite shiites shia muslim muslims christian christians islamic state iraqi iraqis syrian
    syrians turkish russian russia american americans us coalition caliphate god allah reuters president
    general major police army forces federal units minister spokesman media internet mosque city river town
    village province east west north south europe asia union nations"""
)
GENERIC_WORDS = word_set(
    """river dam city town village province governorate district region area pocket countryside mosque minaret
    airport airbase base desert valley bridge refinery border crossing old centre center outskirts suburbs
    lake plain plains mountains mountain highway road basin airbase camp oilfield prison"""
)
DIRECTIONS = {
    "east": "Eastern",
    "eastern": "Eastern",
    "west": "Western",
    "western": "Western",
    "north": "Northern",
    "northern": "Northern",
    "south": "Southern",
    "southern": "Southern",
}
_ADJECTIVES = word_set("iraqi syrian kurdish turkish arab assyrian yazidi sunni christian ancient historic")
_PART_OF = re.compile(
    r"\b(?:the\s+)?(?P<dir>east|west|north|south)(?:ern)?\s+(?:half|part|side|bank|districts|neighbou?rhoods|sector|"
    r"section|quarters?)\s+of\s+(?:(?P<city>the\s+city)|(?P<name>[A-Z][\w'-]+))",
    re.IGNORECASE,
)


PlaceRole = Literal["place", "dateline", "site", "unknown"]
"""How a place is named: by a name the gazetteer has, as a dateline (where the report was filed: never the
place of a claim), as a site named after a town ("the Baiji refinery": not the town), or by a name the
gazetteer lacks (to be located by the reviewer)."""
_PROVINCES = word_set(
    """anbar nineveh ninawa ninewa salahuddin salaheddin salahaddin diyala babil babylon wasit maysan muthanna
    qadisiyah qadisiya karbala najaf dhi qar"""
)
"""Governorates that no town of the region is named after: "in Anbar" is the province."""
_NOT_AFTER = re.compile(r"\s+(?:news|agency|TV|television|radio|newspaper|channel)\b|\s+(?:al|bin|ibn|el)[-\s][A-Z]")


@dataclass(frozen=True)
class PlaceMention:
    """A place named in a text, with every gazetteer entry it may be, best first (none for a site or unknown place)."""

    start: int
    end: int
    text: str
    candidates: tuple[Candidate, ...]
    lookup: str = ""
    role: PlaceRole = "place"

    @property
    def best(self) -> Candidate | None:
        """The best-scored candidate, if any."""
        return self.candidates[0] if self.candidates else None

    @property
    def ambiguous(self) -> bool:
        """Whether another candidate scores within `AMBIGUITY_MARGIN` of the best."""
        return len(self.candidates) > 1 and self.candidates[1].score >= self.candidates[0].score - AMBIGUITY_MARGIN


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    word: str

    @property
    def capitalised(self) -> bool:
        return self.word[0].isupper() or is_arabic(self.word)

    @property
    def article(self) -> bool:
        return self.word.casefold() in ARTICLES


def _tokens(text: str) -> list[_Token]:
    tokens = []
    for match in _TOKEN.finditer(text):
        # The "s" of a possessive (Mosul's) is not a word of the name.
        if match[0] == "s" and match.start() > 0 and text[match.start() - 1] in "'\u2019":
            continue
        tokens.append(_Token(match.start(), match.end(), match[0]))
    return tokens


def _joined(text: str, tokens: Sequence[_Token], first: int, last: int) -> bool:
    return all(text[tokens[k].end : tokens[k + 1].start] in _JOINERS for k in range(first, last))


def _starts_name(text: str, tokens: Sequence[_Token], i: int) -> bool:
    token = tokens[i]
    if token.article and i + 1 < len(tokens):
        # al-Raqqa, as-Sukhnah; but "as Fallujah" is English, so only al/el stand apart from their noun.
        hyphen = text[token.end : tokens[i + 1].start] == "-"
        return tokens[i + 1].capitalised and (hyphen or token.word.casefold() in ("al", "el"))
    return token.capitalised and token.word.casefold() not in _STOP | _CALENDAR


def _in_chunk(token: _Token) -> bool:
    # Arabic script has no capitals, so it gives no sign of where a proper name ends.
    return token.word[0].isupper() and token.word.casefold() not in _STOP | _CALENDAR


def places_from_text(
    text: str, gazetteer: Gazetteer, *, actors: Sequence[ActorMention] = (), country: str | None = None
) -> list[PlaceMention]:
    """Every place the text names, geocoded with the text's countries and other places as context.

    Parameters
    ----------
    text
        The article.
    gazetteer
        Where to look names up.
    actors
        Actor mentions; a place inside one (the Syrian Democratic Forces) is not a place.
    country
        A country code to prefer for every place (None: read from the text).

    Returns
    -------
    The mentions in text order, each with all its candidates.
    """
    tokens = _tokens(text)
    blocked = [(a.start, a.end) for a in actors]
    found = _parts_of_cities(text, gazetteer)
    blocked += [(m.start, m.end) for m in found]
    persons: set[str] = set()
    i = 0
    while i < len(tokens):
        hit = _longest_match(text=text, tokens=tokens, i=i, gazetteer=gazetteer, blocked=blocked, persons=persons)
        if hit is None:
            i += 1
            continue
        last, mention = hit
        found.append(mention)
        i = last + 1
    found = [m for m in found if not _not_a_place(text, m)]
    found.sort(key=lambda m: m.start)
    resolved = _as_sites(text, _with_context(text, found, gazetteer, country=country))
    filed = datelines(text)
    resolved = [replace(m, role="dateline") if (m.start, m.end) in filed else m for m in resolved]
    context = GeoContext(countries=countries_from_text(text))
    unknown = [
        PlaceMention(start, end, name, near_spellings(gazetteer, name, context), name, role="unknown")
        for start, end, name in unknown_names(text, taken=[(m.start, m.end) for m in resolved], actors=actors)
    ]
    return sorted([*resolved, *unknown], key=lambda m: m.start)


def _not_a_place(text: str, mention: PlaceMention) -> bool:
    """An acronym (SANA), an outlet (Sana news agency), a person (Ahmed al-Krayim) or a province (Anbar)."""
    if mention.text.isupper() and len(mention.text) > 2 and (mention.start, mention.end) not in datelines(text):
        return True
    if _NOT_AFTER.match(text, mention.end):
        return True
    return name_key(mention.text) in {name_key(p) for p in _PROVINCES}


def _as_sites(text: str, mentions: list[PlaceMention]) -> list[PlaceMention]:
    """A town's name followed by "refinery", "airport", "dam" ... that the gazetteer lacks names a site of its own."""
    out = []
    for mention in mentions:
        extent = site_extent(text, mention.end)
        if extent is None:
            out.append(mention)
            continue
        end, _ = extent
        out.append(PlaceMention(mention.start, end, text[mention.start : end], (), text[mention.start : end], "site"))
    return out


def _longest_match(
    *,
    text: str,
    tokens: Sequence[_Token],
    i: int,
    gazetteer: Gazetteer,
    blocked: Sequence[tuple[int, int]],
    persons: set[str],
) -> tuple[int, PlaceMention] | None:
    if not _starts_name(text, tokens, i):
        return None
    for last in range(min(len(tokens), i + MAX_WORDS) - 1, i - 1, -1):
        start, end = tokens[i].start, tokens[last].end
        if any(start < b and a < end for a, b in blocked) or not _joined(text, tokens, i, last):
            continue
        phrase = text[start:end]
        key = name_key(phrase)
        if key in persons or phrase.casefold() in _NOT_PLACES:
            continue
        hits = [
            (entry, matched)
            for entry, matched in gazetteer.exact(phrase)
            if entry.is_project or _town_ok(phrase, matched, entry.population)
        ]
        if not hits:
            continue
        if not any(entry.is_project for entry, _ in hits) and _before_province(text, end):
            continue  # Anbar province is no town
        leftover = _leftover(text, tokens, i, last)
        if leftover:
            if tokens[i].article or (tokens[i].word.casefold() in ARTICLES):
                persons.add(key)  # a nisba: Abu Bakr al-Baghdadi
            return None
        mention = PlaceMention(start, end, phrase, (), lookup=phrase)
        return last, _with_direction(text, tokens, i, mention, gazetteer)
    return None


def _before_province(text: str, end: int) -> bool:
    return re.match(r"\s+(?:province|governorate|region)\b", text[end : end + 16], re.IGNORECASE) is not None


def _town_ok(phrase: str, matched: str, population: int) -> bool:
    """Whether a GeoNames town may be read into a run of words.

    Stricter than a lookup, because its many alternate names collide with English words once normalised
    (There, China).
    """
    words = phrase.replace("-", " ").split()
    same_letters = name_words(phrase) == name_words(matched)
    return (
        (same_letters or population >= TOWN_POPULATION)
        and len(name_key(phrase)) >= 4
        and all(w[0].isupper() or w.casefold() in ARTICLES or is_arabic(w) for w in words)
        and not any(w.casefold() in _NOT_PLACES for w in words)
    )


def _leftover(text: str, tokens: Sequence[_Token], first: int, last: int) -> list[str]:
    """Words of a longer proper name around a match that are not generic (River, Province, Eastern)."""
    words = []
    j = first - 1
    while j >= 0 and _in_chunk(tokens[j]) and _joined(text, tokens, j, j + 1):
        words.append(tokens[j].word)
        j -= 1
    k = last + 1
    while k < len(tokens) and _in_chunk(tokens[k]) and _joined(text, tokens, k - 1, k):
        if text[tokens[k - 1].end : tokens[k].start] != " " and k == last + 1 and text[tokens[k].start - 1] == "-":
            break  # Mosul-based, IS-held
        words.append(tokens[k].word)
        k += 1
    allowed = GENERIC_WORDS | set(DIRECTIONS) | _ADJECTIVES
    return [w for w in words if w.casefold() not in allowed]


def _with_direction(
    text: str, tokens: Sequence[_Token], i: int, mention: PlaceMention, gazetteer: Gazetteer
) -> PlaceMention:
    if i == 0 or not _joined(text, tokens, i - 1, i):
        return mention
    word = tokens[i - 1].word.casefold()
    if word not in DIRECTIONS:
        return mention
    lookup = f"{DIRECTIONS[word]} {mention.text}"
    if gazetteer.exact(lookup):
        return PlaceMention(tokens[i - 1].start, mention.end, text[tokens[i - 1].start : mention.end], (), lookup)
    return mention


def _parts_of_cities(text: str, gazetteer: Gazetteer) -> list[PlaceMention]:
    """The part of a city named as a part ("the eastern half of the city"), when the gazetteer has it."""
    found = []
    for match in _PART_OF.finditer(text):
        name = match["name"]
        if match["city"]:
            name = _last_city_before(text[: match.start()], gazetteer)
        if not name:
            continue
        lookup = f"{DIRECTIONS[match['dir'].casefold()]} {name}"
        if any(entry.is_project for entry, _ in gazetteer.exact(lookup)):
            found.append(PlaceMention(match.start(), match.end(), match[0], (), lookup))
    return found


def _last_city_before(text: str, gazetteer: Gazetteer) -> str | None:
    tokens = _tokens(text)
    for i in range(len(tokens) - 1, -1, -1):
        if tokens[i].capitalised:
            for entry, matched in gazetteer.exact(tokens[i].word):
                if entry.origin == "project" and entry.kind == "city":
                    return matched
    return None


def _with_context(
    text: str, mentions: list[PlaceMention], gazetteer: Gazetteer, *, country: str | None
) -> list[PlaceMention]:
    first = [geocode(gazetteer, m.lookup, country=country, fuzzy=False) for m in mentions]
    anchors = tuple(
        (cands[0].entry.lon, cands[0].entry.lat)
        for cands in first
        if cands and cands[0].entry.is_project and (len(cands) == 1 or cands[1].score < cands[0].score - 0.1)
    )
    context = GeoContext(countries=countries_from_text(text), anchors=anchors)
    return [
        PlaceMention(
            m.start,
            m.end,
            m.text,
            tuple(geocode(gazetteer, m.lookup, country=country, context=context, fuzzy=False)),
            m.lookup,
        )
        for m in mentions
    ]
