"""Who is named in news text: the armed forces and governments, mapped to faction ids (pure).

Some names depend on where the fighting is: "government forces" and "Kurdish forces" are Iraqi
(``iraq_gov``, ``krg``) in Iraq and Syrian (``syria_gov``, ``sdf``) in Syria. Such mentions carry a
faction per country, resolved by `ActorMention.faction_in`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

FACTION_IDS: tuple[str, ...] = ("isis", "iraq_gov", "krg", "syria_gov", "sdf", "turkey", "rebels", "nusra")

_ISIS = (
    r"(?:the\s+)?(?:so-called\s+)?(?:Islamic\s+State(?:\s+of\s+Iraq\s+and\s+(?:the\s+Levant|al-Sham|Syria))?"
    r"(?:\s+group)?(?:'s)?|ISIS|ISIL|Isis|Isil|IS|Daesh|Daish|Da'esh)(?:\s+(?:group|militants|fighters|jihadists|extremists|"
    r"insurgents|members|forces))?(?![\w-])(?!-(?:held|controlled|led|run|besieged))|"
    r"(?:an\s+|the\s+)?(?:IS|ISIS|ISIL|Daesh)-(?:affiliated|linked|allied|loyal)\s+(?:faction|group|militants|fighters)|"
    r"(?:the\s+)?Islamic-State(?=\s+(?:held|controlled|run)\b)"
)
# (pattern, faction or None, {country: faction} when it depends on the country, generic?)
_ACTORS: tuple[tuple[str, str | None, dict[str, str], bool], ...] = (
    (_ISIS, "isis", {}, False),
    (r"\b(?:IS|ISIS|ISIL|Daesh)(?=-(?:held|controlled|run))", "isis", {}, False),
    (
        r"\b(?:[Tt]he\s+)?(?:[Jj]ihadists|[Jj]ihadis|[Mm]ilitants|[Ee]xtremists|[Ii]nsurgents|[Gg]unmen|"
        r"(?:[Ee]xtremist|[Mm]ilitant|[Jj]ihadist)\s+(?:group|fighters)|group)\b",
        "isis",
        {},
        True,
    ),
    (
        r"\b(?:the\s+)?(?:Nusra\s+Front|al-Nusra(?:\s+Front)?|Jabhat\s+al-Nusra|Jabhat\s+Fateh\s+al-Sham|"
        r"Hayat\s+Tahrir\s+al-Sham|Hay'at\s+Tahrir\s+al-Sham|HTS)\b",
        "nusra",
        {},
        False,
    ),
    (
        r"\b(?:the\s+)?(?:Syrian\s+Democratic\s+Forces|(?:Kurdish\s+)?(?:SDF|YPG|YPJ)(?:\s+(?:fighters|forces|militia))?|(?:the\s+)?(?:Kurds'\s+)?(?:so-called\s+)?"
        r"People's\s+Protection\s+Units|Kurdish-led(?:\s+and\s+U\.?S\.?-backed)?\s+(?:forces|fighters|alliance|militia)|"
        r"Kurdish(?:\s+and\s+|-)Arab\s+(?:forces|fighters|alliance)|"
        r"U\.?S\.?-backed\s+(?:Kurdish\s+)?(?:forces|fighters|militias?))\b",
        "sdf",
        {},
        False,
    ),
    (
        r"\b(?:the\s+)?(?:Kurdish\s+)?(?:Peshmerga|peshmerga)(?:\s+forces|\s+fighters)?\b|\bKRG\b|"
        r"\bKurdistan\s+Regional\s+Government\b",
        "krg",
        {},
        False,
    ),
    (
        r"\b(?:the\s+)?(?:Iraqi|Iraq's)\s+(?:Kurdish\s+forces|Kurds)\b",
        "krg",
        {},
        False,
    ),
    (
        r"\b(?:the\s+)?(?:Turkish(?:-backed)?|Turkey-backed|Ankara-backed|Turkey's)\s+(?:army|troops|forces|military|soldiers|"
        r"(?:Syrian\s+)?rebels|(?:Syrian\s+)?opposition(?:\s+fighters)?|fighters|tanks)\b|"
        r"\b(?:Turkey|Ankara)(?=(?:'s|\u2019s)?\s+(?:says?|said|has|have|is|was|will|forces|troops|army|military|launched|"
        r"sent|began|archfoes|allies|jets|artillery)\b)",
        "turkey",
        {},
        False,
    ),
    (
        r"\b(?:the\s+)?(?:Syrian\s+(?:government|army|regime|troops|forces|military|soldiers|Arab\s+Army)|"
        r"(?:Russian|Russia)-backed\s+(?:Syrian\s+)?(?:army|troops|forces|government\s+forces)|"
        r"pro-(?:regime|Assad)\s+(?:forces|troops|militias|fighters)|regime\s+(?:forces|troops)|"
        r"Assad's\s+(?:forces|troops|army)|Russian\s+(?:airstrikes|air\s+strikes|jets|forces|troops|warplanes)|"
        r"SAA|Syria(?:'s|\u2019s)?\s+(?:army|military|troops|forces)|(?:Bashar\s+)?(?:al-)?Assad(?:'s|\u2019s)?\s+"
        r"(?:forces|troops|army|regime|government)|the\s+regime|Damascus(?=(?:'s|\u2019s)?\s+(?:says?|said|has|have|"
        r"government|regime|forces|troops)\b))\b",
        "syria_gov",
        {},
        False,
    ),
    (
        r"\b(?:the\s+)?(?:Iraqi\s+(?:army|troops|forces|government|soldiers|security\s+forces|federal\s+police|"
        r"police|special\s+forces|counter-?terrorism\s+(?:service|forces|units)|units|military|Army)|"
        r"(?:Iraqi\s+)?(?:Federal\s+Police|Counter[\s-]Terrorism\s+Service|Popular\s+Mobili[sz]ation\s+(?:Forces|Units)|"
        r"rapid\s+response\s+units|Iraqi\s+(?:commanders|officers|generals|command|PM|prime\s+minister|Prime\s+Minister))|"
        r"(?:Iran-backed\s+)?Shi'?ite\s+(?:militias|militiamen)|Hashd(?:\s+al-Shaabi)?|Baghdad's\s+forces|"
        r"Prime\s+Minister\s+(?:[A-Z][\w-]+\s+){1,3}of\s+Iraq|(?:Haider\s+|Haidar\s+)?al-Abadi|"
        r"(?:Iraq|Baghdad)(?=\s+(?:says?|said|declares?|declared|announces?|announced|forces|troops|army)\b))\b",
        "iraq_gov",
        {},
        False,
    ),
    (
        r"\b(?:the\s+)?(?:Free\s+Syrian\s+Army|FSA|(?:Syrian\s+)?rebels|rebel\s+(?:groups|fighters|forces)|"
        r"opposition\s+(?:fighters|forces|groups))\b",
        "rebels",
        {},
        False,
    ),
    (
        r"\b(?:the\s+)?(?:Kurdish\s+(?:forces|fighters|troops|militia|militias)|Kurds)\b",
        None,
        {"IQ": "krg", "SY": "sdf"},
        False,
    ),
    (
        r"\b(?:the\s+)?(?:government(?:'s)?(?:\s+ground)?\s+(?:forces|troops|soldiers|army)|government\s+"
        r"(?:forces|troops)|the\s+army|army\s+(?:troops|units)|"
        r"security\s+forces|troops|soldiers|pro-government\s+(?:forces|troops|militias|fighters))\b",
        None,
        {"IQ": "iraq_gov", "SY": "syria_gov"},
        True,
    ),
    (
        r"\b(?:the\s+)?(?:(?:U\.?S\.?|United\s+States|American)-led\s+)?coalition(?:\s+forces|\s+troops)?\b",
        None,
        {"IQ": "iraq_gov", "SY": "sdf"},
        True,
    ),
)
# Only the Islamic State's names depend on case ("IS" is not "is"); "Regime forces" opens a sentence.
_COMPILED = tuple((re.compile(p, 0 if i < 2 else re.IGNORECASE), f, c, g) for i, (p, f, c, g) in enumerate(_ACTORS))
_TURKISH_OPERATION = re.compile(
    r"Turk(?:ey|ish)(?:'s|\u2019s)?\s+(?:military\s+)?(?:[Oo]peration|offensive|incursion)|Turkish-backed|"
    r"Turkey-backed|Ankara-backed|backed\s+by\s+(?:the\s+)?(?:(?:United\s+States|U\.?S\.?)\s+and\s+)?(?:Turkey|Ankara)\b|"
    r"Turkish\s+(?:armor|armour|artillery|jets|troops|tanks|special\s+forces)[^.]{0,60}\bsupport"
)
"""Where an article tells of a Turkish operation, the Syrian rebels in it are the Turkish-backed faction."""


@dataclass(frozen=True)
class ActorMention:
    """An armed force or government named in text.

    Parameters
    ----------
    start, end
        The character span.
    text
        The words as written.
    faction
        The faction id, or None when it depends on the country (see ``by_country``).
    by_country
        Country code to faction id, for names such as "government forces".
    generic
        A vague name ("militants", "troops"): a claim built on it gets a lower confidence.
    """

    start: int
    end: int
    text: str
    faction: str | None
    by_country: dict[str, str] = field(default_factory=dict)
    generic: bool = False

    def faction_in(self, country: str | None) -> str | None:
        """The faction this mention names when the fighting is in ``country``."""
        if self.faction is not None:
            return self.faction
        return self.by_country.get(country or "")


def actors_from_text(text: str) -> list[ActorMention]:
    """Every actor named in the text, in order; where names overlap the longest (then first-listed) wins."""
    found: list[ActorMention] = []
    for pattern, faction, by_country, generic in _COMPILED:
        for match in pattern.finditer(text):
            start, end = match.span()
            if start == end or match[0].strip() == "":
                continue
            found.append(ActorMention(start, end, match[0], faction, dict(by_country), generic))
    found.sort(key=lambda a: (a.start, -(a.end - a.start)))
    kept: list[ActorMention] = []
    for mention in found:
        if kept and mention.start < kept[-1].end:
            continue
        kept.append(mention)
    if _TURKISH_OPERATION.search(text):
        kept = [
            ActorMention(a.start, a.end, a.text, "turkey", {}, a.generic) if a.faction == "rebels" else a for a in kept
        ]
    return kept


def countries_from_text(text: str) -> dict[str, float]:
    """The share of mentions of Iraq and of Syria in a text (0-1 each): a hint for ambiguous names."""
    counts = {
        "IQ": len(re.findall(r"\bIraq(?:i|is|'s)?\b", text)),
        "SY": len(re.findall(r"\bSyria(?:n|ns|'s)?\b", text)),
    }
    total = sum(counts.values())
    return {code: count / total for code, count in counts.items()} if total else {}
