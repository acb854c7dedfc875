"""The rules behind claim extraction: sentence and clause spans, trigger words, the frames that cancel them.

Pure; kept apart from `controlmap.articles.claims` so that the lexicon can be read, and grown, on its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

ClaimKind = Literal["captured", "retaken", "holds", "under attack", "besieged"]
CLAIM_KINDS: tuple[ClaimKind, ...] = ("captured", "retaken", "holds", "under attack", "besieged")

_ABBREVIATIONS = re.compile(r"(?:\b[A-Z]\.)+$|\b(?:Gen|Maj|Col|Lt|Capt|Sgt|Mr|Mrs|Ms|Dr|St|No|Jr|Sr|vs|approx)\.$")
_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)]*(?=\s+[\"\u201c'\u2018(]?[A-Z0-9])|\n\s*\n|\n")
_CLAUSE_BREAK = re.compile(
    r";|,\s+(?=(?:where|which|who|while|whereas|but|leaving|although|though|as|after|before|when|"
    r"allowing|prompting|forcing)\b)|\s+and\s+(?=(?:has|have|had|is|are|was|were|then)\b)|\s+(?=who\s)"
)
_MODAL = re.compile(
    r"\b(?:would|could|might|(?-i:may)|if|unless|whether|plans?\s+to|planning\s+to|prepared\s+to|preparing\s+to|"
    r"aims?\s+to|aiming\s+to|vowed\s+to|vows\s+to|threatens?\s+to|expected\s+to|intends?\s+to|seeks?\s+to|"
    r"wants?\s+to|ready\s+to|not\s+yet|did\s+not|failed\s+to|never)\b",
    re.IGNORECASE,
)
_LOCATIVE = re.compile(
    r"\b(?:between|near|nearby|toward|towards|east\s+of|west\s+of|north\s+of|south\s+of|outside(?:\s+of)?|beyond|"
    r"across|around|via|to|from|fled|retreat(?:ed)?\s+to|headed|stronghold\s+of)\s+(?:the\s+)?"
    r"(?:[\w'\u2019-]+\s+){0,3}$|\bon\s+the\s+(?:[\w'\u2019-]+\s+)?$",
    re.IGNORECASE,
)
_LIST_JOINER = re.compile(r"^(?:,\s*|\s+and\s+|,\s+and\s+|\s+or\s+|,\s+or\s+)(?:the\s+)?(?:nearby\s+)?$")
_AND = re.compile(r"(?:,\s*|\s+and\s+|,\s+and\s+)(?:the\s+)?(?:nearby\s+|neighbou?ring\s+)?")
# What stands between two actors of one subject: "Turkish troops and allied Syrian rebels".
_COORDINATION = re.compile(
    r"\s*(?:,|and|as\s+well\s+as|along\s+with|together\s+with|backed\s+by|supported\s+by)?\s*"
    r"(?:(?:their|its|some|allied|other)\s+)*",
    re.IGNORECASE,
)
_OBJECT_OF = re.compile(r"\b(?:against|from|of|with|over|on|by|to|known\s+as|called)\s+(?:the\s+)?$", re.IGNORECASE)
# "after a four-month battle for the town": an earlier event named in passing, not a claim.
# "for an attack on the dam": what is prepared, not what happened.
_INTENT = re.compile(r"\bfor\s+(?:a|an|the)\s+(?:[\w'-]+\s+){0,2}$", re.IGNORECASE)
# "Deir al-Zor province": the province, not the city the place stands for.
_AREA_AFTER = re.compile(r"\s+(?:province|governorate|countryside|region)\b", re.IGNORECASE)
_RELATIVE = re.compile(r"\s*(?:which|where)\s", re.IGNORECASE)
_PAST_HOLD = re.compile(r"(?:still\s+)?(?:held|controlled)", re.IGNORECASE)
_PAST_FRAME = re.compile(
    r"\b(?:after|before|since|during|following)\s+(?:a|an|the|its|their|they|it|he|we)\s+(?:[\w'-]+\s+){0,3}$",
    re.IGNORECASE,
)
_NEGATED = re.compile(r"\b(?:broke|broken|break|breaking|lifted|lift|lifting|ended|end|ending)\s+(?:the\s+)?$", re.I)
# "seized the town": the last town named before.
_ANAPHORA = re.compile(r"\s+(?:the|this)\s+(?:border\s+)?(?:town|city|village)\b", re.IGNORECASE)


@dataclass(frozen=True)
class _Trigger:
    pattern: re.Pattern[str]
    kind: ClaimKind
    passive: bool = False
    target_after_from: bool = False
    needs_place_after: bool = False


def _t(pattern: str, kind: ClaimKind, **options: bool) -> _Trigger:
    return _Trigger(re.compile(rf"\b(?:{pattern})\b", re.IGNORECASE), kind, **options)


_TRIGGERS: tuple[_Trigger, ...] = (
    _t(r"(?:was|were|had\s+been|has\s+been)\s+(?:retaken|recaptured|liberated|freed)\s+by", "retaken", passive=True),
    _t(r"(?:was|were|had\s+been|has\s+been)\s+(?:captured|seized|overrun|taken)\s+by", "captured", passive=True),
    _t(
        r"fell\s+to|fallen\s+to|falls\s+to|fell\s+(?:into\s+the\s+hands|under\s+the\s+control)\s+of",
        "captured",
        passive=True,
    ),
    _t(
        r"retook|retaken|retaking|retakes|recaptured|recapturing|recaptures|liberated|liberating|liberates|regained|"
        r"regaining|took\s+back|taken\s+back|taking\s+back|won\s+back|reclaimed|wrested",
        "retaken",
    ),
    _t(
        r"drove|driven|drive\s+out|drove\s+out|ousted|ousting|expelled|expelling|pushed\s+out|cleared",
        "retaken",
        target_after_from=True,
    ),
    _t(
        r"swept\s+into|sweeping\s+into|seized|seizing|seizes|captured|capturing|captures|took\s+(?:full\s+|complete\s+|total\s+)?control\s+of|"
        r"taken\s+(?:full\s+)?control\s+of|taking\s+(?:full\s+)?control\s+of|took\s+over|taken\s+over|overran|overrun|overrunning|conquered|"
        r"occupied|stormed\s+into",
        "captured",
    ),
    _t(r"took|taken|taking", "captured", needs_place_after=True),
    _t(
        r"besieged|besieging|besiege[sd]?|under\s+siege|laid\s+siege\s+to|siege\s+of|encircled|encircling|surrounded",
        "besieged",
    ),
    _t(r"(?:held|controlled|run)\s+by|in\s+the\s+hands\s+of", "holds", passive=True),
    _t(
        r"under\s+(?:the\s+)?(?:full\s+|complete\s+|total\s+|firm\s+)?(?:[\w'\u2019-]+\s+){0,4}?control",
        "holds",
        passive=True,
    ),
    _t(r"(?:still\s+)?(?:holds|controls|held|controlled)|(?:now|still|fully|firmly)\s+(?:hold|control)", "holds"),
    _t(
        r"attacking|attacked|attack\s+on|attacks\s+on|assault\s+on|assaulting|assaulted|advanced|advancing|"
        r"advances?\s+(?:on|into|toward|towards)|offensive\s+(?:on|against|to)|pushing|pushed|push(?:es)?\s+"
        r"(?:into|against)|battling|battled|battle\s+(?:for|to|over)|fighting\s+(?:for|in)|fought\s+(?:for|in)|"
        r"closing\s+in\s+on|nearing|storming|stormed|drive\s+into|depriving|deprived|shelling|shelled|entered|"
        r"entering|broke\s+into",
        "under attack",
    ),
)


def sentences_from_text(text: str) -> list[tuple[int, int]]:
    """The character spans of the sentences (and headlines) of a text, without surrounding space."""
    spans = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if match[0].startswith(".") and _ABBREVIATIONS.search(text[start : match.start() + 1]):
            continue
        spans.append((start, match.end()))
        start = match.end()
    spans.append((start, len(text)))
    out = []
    for a, b in spans:
        piece = text[a:b]
        stripped = piece.strip()
        if stripped:
            lead = len(piece) - len(piece.lstrip())
            out.append((a + lead, a + lead + len(stripped)))
    return out


def clauses_from_sentence(text: str, sentence: tuple[int, int]) -> list[tuple[int, int]]:
    """The clauses of a sentence, cut at semicolons, relative and subordinate clauses, and "and has ..."."""
    start, end = sentence
    spans = []
    cursor = start
    for match in _CLAUSE_BREAK.finditer(text, start, end):
        spans.append((cursor, match.start()))
        cursor = match.end()
    spans.append((cursor, end))
    return [(a, b) for a, b in spans if b > a]
