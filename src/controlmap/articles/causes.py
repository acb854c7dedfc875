"""The causes of difficulty a claim of control involves, as a reader can tell from its words (pure).

Used to read extraction scores cause by cause: each expected claim (from its evidence) and each proposed
claim (from the words between its trigger and its place) is tagged with every cause whose sign it shows.
The tags are heuristic signs, not a parse: a claim may carry several, or none (``plain``).
"""

from __future__ import annotations

import re
from typing import Literal

from controlmap.articles.names import name_key

Cause = Literal[
    "reference", "place names", "noun phrase", "dates", "roles", "actors", "triggers", "part or whole", "plain"
]
CAUSES: tuple[Cause, ...] = (
    "reference",
    "place names",
    "noun phrase",
    "dates",
    "roles",
    "actors",
    "triggers",
    "part or whole",
    "plain",
)
CAUSE_HELP: dict[Cause, str] = {
    "reference": "the place is referred to ('the town') or named elsewhere (the headline)",
    "place names": "a spelling, diacritics or a village the gazetteer lacks",
    "noun phrase": "control stated by a noun phrase ('the IS-held town of', 'the fall of')",
    "dates": "no date in the words: the publication day, a weekday, 'the previous day', or undated",
    "roles": "a siege, an agentless passive or a relative clause decides who is who",
    "actors": "no actor named outright ('government forces', 'the militants', 'they')",
    "triggers": "a less common verb of taking ('driven out of', 'cleared', 'fully liberated')",
    "part or whole": "a part of a place, or fighting inside it (contested)",
    "plain": "none of the above",
}

_NOUN_PHRASE = re.compile(
    r"-(?:held|controlled|run|besieged)\b|\bstronghold|\bcapital\b|\bbastion|\bredoubt|\bhub\b|"
    r"\b(?:liberation|fall|capture|recapture|seizure|loss)\s+of\b|\bin\s+(?:the\s+)?hands\b|\bunder\s+[\w\s'-]*control\b|"
    r"\bvictory\s+(?:in|over)\b|\benclave\b",
    re.IGNORECASE,
)
_DATE_WORD = re.compile(
    r"\b(?:19|20)\d\d\b|\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d|"
    r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|yesterday|today)\b",
    re.IGNORECASE,
)
_RELATIVE_DATE = re.compile(r"\b(?:previous|last|later|earlier|ago|since)\b", re.IGNORECASE)
_ROLES = re.compile(
    r"\bsiege|besieg|encircl|surround|\b(?:which|who|that)\b|\b(?:was|were|been|being)\s+\w+(?:ed|en)\b(?!\s+by)",
    re.IGNORECASE,
)
_TRIGGERS = re.compile(
    r"\bforc\w*\s+out|\bdriv\w*\s+(?:\w+\s+){0,4}?out|\bdrove\b|\bkick\w*|\bexpel|\bflags?\b|\bliberat|\bclear|"
    r"\bsecur|\bregain|\bouste?d?\b|\brout|\bfully\b|\bcomplete|\bfull\s+control|\bentered|\bslipped|\bwrest|"
    r"\bstorm",
    re.IGNORECASE,
)
# A faction named outright (not "the militants", "government forces", "they"); kept apart from the extractor's
# own lexicon so that the tags do not move when the extractor changes.
_NAMED_ACTOR = re.compile(
    r"\b(?:Islamic[\s-]State|IS|ISIS|ISIL|Isis|Isil|Daesh|SDF|YPG|Syrian\s+Democratic\s+Forces|Peshmerga|peshmerga|KRG|"
    r"Iraqi\s+(?:forces|army|troops|government|security\s+forces)|Syrian\s+(?:army|government|regime|forces|troops)|"
    r"Syria\s+army|Turkish|Turkey|Free\s+Syrian\s+Army|FSA|Nusra|Hezbollah|Kurdish(?:-led)?\s+(?:forces|fighters))\b"
)
_PART = re.compile(
    r"\bneighbou?rhoods?|\bdistricts?\b|\bhalf\b|\bthird\b|\bparts?\s+of\b|\bpockets?\b|\bcent(?:er|re)\b|"
    r"\bold\s+city\b|\bsides?\b|\bbank\b|\bsector\b|\bsections?\b|\bedges?\b|\bquarters?\b|\bmost\s+of\b",
    re.IGNORECASE,
)


def claim_causes(
    evidence: str, *, place: str, status: str | None, date: str | None, name_as_known: bool = True
) -> frozenset[Cause]:
    """The causes of difficulty a claim shows.

    Parameters
    ----------
    evidence
        The words that state the claim.
    place
        The place as the text names it.
    status
        The claimed status, if one is stated.
    date
        The claimed date (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``), or None for an undated past event.
    name_as_known
        Whether the gazetteer knows the place by the name as written (False adds ``place names``).

    Returns
    -------
    The causes; ``{"plain"}`` when none applies.
    """
    causes: set[Cause] = set()
    if name_key(place) not in name_key(evidence):
        causes.add("reference")
    if not name_as_known:
        causes.add("place names")
    if _NOUN_PHRASE.search(evidence):
        causes.add("noun phrase")
    if date is None or not _DATE_WORD.search(evidence) or _RELATIVE_DATE.search(evidence):
        causes.add("dates")
    if _ROLES.search(evidence):
        causes.add("roles")
    if not _NAMED_ACTOR.search(evidence):
        causes.add("actors")
    if _TRIGGERS.search(evidence):
        causes.add("triggers")
    if status == "contested" or _PART.search(evidence):
        causes.add("part or whole")
    return frozenset(causes or {"plain"})
