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
    r"allowing|prompting|forcing)\b)|\s+and\s+(?=(?:has|have|had|is|are|was|were|then)\b)|\s+(?=who\s)|"
    r",\s+(?=(?:said|says|told|added|reported|announced|confirmed)\b)"
)
_MODAL = re.compile(
    r"\b(?:would|could|might|(?-i:may)|if|unless|whether|plans?\s+to|planning\s+to|prepared\s+to|preparing\s+to|"
    r"aims?\s+to|aiming\s+to|vowed\s+to|vows\s+to|threatens?\s+to|expected\s+to|intends?\s+to|seeks?\s+to|"
    r"wants?\s+to|ready\s+to|not\s+yet|did\s+not|failed\s+to|never|expects?\s+to|expected\s+to|hopes?\s+to|hoped\s+to)\b",
    re.IGNORECASE,
)
_LOCATIVE = re.compile(
    r"\b(?:between|near|nearby|toward|towards|east\s+of|west\s+of|north\s+of|south\s+of|outside(?:\s+of)?|beyond|"
    r"across|around|via|to|from|fled|retreat(?:ed)?\s+to|headed|stronghold\s+of)\s+(?:the\s+)?"
    r"(?:[\w'\u2019-]+\s+){0,3}$|\bon\s+the\s+(?:[\w'\u2019-]+\s+)?$",
    re.IGNORECASE,
)
_LIST_JOINER = re.compile(r"^(?:,\s*|\s+and\s+|,\s+and\s+|\s+or\s+|,\s+or\s+)(?:the\s+)?(?:nearby\s+)?$")
_AND = re.compile(
    r"(?:\s+(?:[A-Z]\w+\s+)?(?:refugee\s+)?(?:camp|neighbou?rhood|district|village|town))?"
    r"(?:,\s*|\s+and\s+|,\s+and\s+)(?:the\s+)?(?:nearby\s+|neighbou?ring\s+|adjacent\s+)?"
    r"(?:(?:a\s+)?(?:part|parts|most)\s+of\s+(?:the\s+)?)?"
)
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
_NEGATED = re.compile(
    r"\b(?:broke|broken|break|breaking|lifted|lift|lifting|ended|end|ending)\s+(?:the\s+)?(?:[\w-]+\s+){0,3}$", re.I
)
# "seized the town": the last town named before.
_ANAPHORA = re.compile(
    r"\b(?:the|this|that)\s+(?:[\w-]+\s+){0,2}?(?P<noun>town|city|village|dam|camp)\b(?!['\u2019]s|\s+(?:of|stadium|centre|"
    r"center))|"
    r"(?<=\s)(?P<there>there)\b",
    re.IGNORECASE,
)


Effect = Literal["plain", "lost", "leaving", "retreat", "relief", "fell"]
"""What a trigger says beyond its kind: ``lost`` (the agent gave the place up: its opponent took it), ``leaving``
(the agent is leaving: the place is contested), ``retreat`` (the agent fell back to the place: it holds it),
``relief`` (a siege was broken: the agent holds the place), ``fell`` (no agent: the side taking places in the
article took it)."""


@dataclass(frozen=True)
class _Trigger:
    pattern: re.Pattern[str]
    kind: ClaimKind
    passive: bool = False
    target_after_from: bool = False
    needs_place_after: bool = False
    effect: Effect = "plain"


def _t(pattern: str, kind: ClaimKind, *, effect: Effect = "plain", **options: bool) -> _Trigger:
    return _Trigger(re.compile(rf"\b(?:{pattern})\b", re.IGNORECASE), kind, effect=effect, **options)


_CONTROL = r"(?:(?:full|complete|total|effective|almost\s+full|near-total|near\s+total)\s+)?control"
_WHEN = (
    r"(?:\s+(?:early|late|on|overnight|yesterday|today|monday|tuesday|wednesday|thursday|friday|saturday|sunday)){0,3}"
)
_TRIGGERS: tuple[_Trigger, ...] = (
    _t(r"(?:broke|broken|breaking|break)\s+through\s+to", "holds", effect="relief"),
    _t(r"(?:was|were|had\s+been|has\s+been)\s+(?:retaken|recaptured|liberated|freed)\s+by", "retaken", passive=True),
    _t(r"(?:was|were|had\s+been|has\s+been)\s+(?:captured|seized|overrun|taken)\s+by", "captured", passive=True),
    _t(
        r"fell\s+to|fallen\s+to|falls\s+to|fall\s+to|(?:fell|fall|falls|fallen)\s+(?:into\s+(?:the\s+hands\s+of|[\w\s'-]{1,30}?hands)|"
        r"under\s+the\s+control\s+of)",
        "captured",
        passive=True,
    ),
    _t(
        r"(?:pulled|pulling|pulls|pull)\s+out|withdr[eaw]+n?\s+from|withdrawing\s+from|retreated\s+from|abandoned|"
        r"were\s+forced\s+out\s+of|was\s+forced\s+out\s+of|(?:forcing|forced)\s+[\w\s'-]{1,40}?\s+to\s+(?:withdraw|retreat|flee|pull\s+out)",
        "captured",
        effect="lost",
    ),
    _t(
        r"(?:began|begun|started|starting|begin)\s+(?:leaving|fleeing|withdrawing\s+from|pulling\s+out\s+of)|departure\s+of",
        "under attack",
        effect="leaving",
    ),
    _t(r"(?:pulled|pulling|fell|falling)\s+back\s+to|retreated\s+to|withdr[eaw]+n?\s+to", "holds", effect="retreat"),
    _t(
        r"retook|retaken|retaking|retakes|retake|recaptured|recapturing|recaptures|recapture|liberated|liberating|liberates|"
        r"regained|regaining|regain|took\s+back|taken\s+back|taking\s+back|won\s+back|reclaimed|wrested|declared\s+victory\s+"
        r"(?:over\s+[\w\s'-]{1,30}?\s+)?in|declares?\s+victory\s+(?:over\s+[\w\s'-]{1,30}?\s+)?in",
        "retaken",
    ),
    _t(
        r"drove|driven|drive\s+out|drove\s+out|ousted|ousting|expelled|expelling|pushed\s+out|cleared|kick(?:ed)?|forced",
        "retaken",
        target_after_from=True,
    ),
    _t(
        r"swept\s+into|sweeping\s+into|seized|seizing|seizes|seize|captured|capturing|captures|capture|"
        rf"(?:took|taken|taking|takes|gained|gains|seized|seizing|seize|seizes|regained|assumed|won)\s+{_CONTROL}{_WHEN}\s+of|"
        r"took\s+over|taken\s+over|taking\s+over|takes\s+over|overran|overrun|overrunning|conquered|"
        r"occupied|stormed\s+into|stormed|secured|raised\s+(?:their|its|the)\s+(?:\w+\s+)?flags?\s+(?:over|in|above)",
        "captured",
    ),
    _t(r"took|taken|taking|takes|take", "captured", needs_place_after=True),
    _t(
        r"fell|fallen|falls(?!\s+(?:to|into|back|under|apart|short|silent|victim|ill))",
        "captured",
        passive=True,
        effect="fell",
    ),
    _t(
        r"besieged|besieging|besiege[sd]?|under\s+siege|laid\s+siege\s+to|siege\s+of|encircled|encircling|surrounded",
        "besieged",
    ),
    # "under an IS siege since 2015": the actor inside is the besieger, the place before it the besieged
    _t(r"under\s+(?:an?\s+|the\s+)?(?:[\w'-]+\s+){1,3}?siege", "besieged", passive=True),
    _t(r"(?:held|controlled|run)\s+by|in\s+the\s+hands\s+of", "holds", passive=True),
    _t(
        r"under\s+(?:the\s+)?(?:full\s+|complete\s+|total\s+|firm\s+)?(?:[\w'\u2019-]+\s+){0,4}?control",
        "holds",
        passive=True,
    ),
    _t(
        rf"(?:in|had|has|have|with|retain(?:s|ed)?|maintain(?:s|ed)?)\s+{_CONTROL}\s+(?:over|of)|held\s+out\s+(?:against|in)|"
        r"holding\s+out",
        "holds",
    ),
    _t(r"(?:still\s+)?(?:holds|controls|held|controlled)|(?:now|still|fully|firmly)\s+(?:hold|control)", "holds"),
    _t(
        r"attacking|attacked|attack\s+on|attacks\s+on|assault\s+on|assaulting|assaulted|"
        r"advancing\s+(?:into|in)|advanced\s+into|advances?\s+into|offensive\s+(?:on|against|to)|pushing\s+into|pushed\s+into|"
        r"push(?:es)?\s+(?:into|against)|battling|battled|battle\s+(?:for|to|over)|fighting\s+(?:for|in|inside|around)|"
        r"fighting\s+(?:\w+\s+){0,2}?(?:continued|continues|raged|rages|under\s+way)|fought\s+(?:for|in)|clashes\s+(?:in|inside)|"
        r"storming|drive\s+into|depriving|deprived|shelling|shelled|entered|re-entered|entering|broke\s+into|"
        r"confined\s+to|holed\s+up|dug\s+(?:in|into)",
        "under attack",
    ),
)
# "its recapture", "the capture of": a noun, not a verb of this clause.
_NOUN_USE = re.compile(r"\b(?:the|its|their|his|her|a|an|this|that|whose)\s+(?:[\w-]+\s+)?$", re.IGNORECASE)
_BARE_VERBS = frozenset({"capture", "recapture", "retake", "seize", "take", "regain", "fall", "fallen", "falls"})


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
