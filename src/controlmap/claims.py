"""Claims of control from news text: who took, held, attacked or besieged which place, and when (pure).

Rules, not a model: a sentence is cut into clauses; a clause with a trigger ("swept into", "retook",
"remains under ... control", "are attacking", "besieged") and a place becomes a claim. The agent is
the actor before an active trigger (or after a passive one: "fell to", "held by"); the defender of an
attacked or besieged place is the actor after the trigger. The date is the one nearest the trigger in
the clause; a present-tense claim without one holds as of the publication date, a past event without
one happened before it. Hypotheticals ("would", "plans to") are skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Sequence

    from controlmap.actors import ActorMention
    from controlmap.article_dates import DateMention
    from controlmap.dates import Precision
    from controlmap.mentions import PlaceMention
    from controlmap.model import Status

ClaimKind = Literal["captured", "retaken", "holds", "under attack", "besieged"]
CLAIM_KINDS: tuple[ClaimKind, ...] = ("captured", "retaken", "holds", "under attack", "besieged")
DateRelation = Literal["on", "as-of", "before"]
STATUS_BY_KIND: dict[ClaimKind, Status] = {
    "captured": "controlled",
    "retaken": "controlled",
    "holds": "controlled",
    "under attack": "contested",
    "besieged": "besieged",
}

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


@dataclass(frozen=True)
class ClaimDate:
    """When a claim holds: ``on`` a date, ``as-of`` the publication date, or ``before`` it (start unknown)."""

    start: dt.date | None
    precision: Precision
    relation: DateRelation
    end: dt.date | None = None
    text: str = ""
    span: tuple[int, int] | None = None
    relative: bool = False


@dataclass(frozen=True)
class Claim:
    """A proposed claim of control, read from one sentence.

    Parameters
    ----------
    place
        The place mention it is about (its best candidate is the proposed place).
    controller
        The faction that holds (or, for captured/retaken, took) the place.
    status
        ``controlled``, ``contested`` or ``besieged``.
    opponents
        Who attacks or besieges it (contested and besieged only).
    kind
        What the sentence says happened.
    date
        When, or None when it cannot be dated (no publication date known).
    confidence
        0-1, from the rules that fired (see ``why``).
    sentence
        The character span of the sentence.
    trigger
        The words that made it a claim, and their span.
    why
        How each part was decided, for the reviewer.
    """

    place: PlaceMention
    controller: str
    status: Status
    opponents: tuple[str, ...]
    kind: ClaimKind
    date: ClaimDate | None
    confidence: float
    sentence: tuple[int, int]
    trigger: tuple[str, int, int]
    why: tuple[str, ...] = field(default=())


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


def _clauses(text: str, sentence: tuple[int, int]) -> list[tuple[int, int]]:
    start, end = sentence
    spans = []
    cursor = start
    for match in _CLAUSE_BREAK.finditer(text, start, end):
        spans.append((cursor, match.start()))
        cursor = match.end()
    spans.append((cursor, end))
    return [(a, b) for a, b in spans if b > a]


def claims_from_text(
    text: str,
    *,
    places: Sequence[PlaceMention],
    actors: Sequence[ActorMention],
    dates: Sequence[DateMention],
    published: dt.date | None,
    country: str | None = None,
) -> list[Claim]:
    """Every claim of control the rules find in a text, one per place and trigger, duplicates merged.

    Parameters
    ----------
    text
        The article.
    places, actors, dates
        What `places_from_text`, `actors_from_text` and `dates_from_text` found in it.
    published
        The publication date, for claims without a date of their own.
    country
        The country the article is about, for actors named by role ("government forces").
    """
    claims: list[Claim] = []
    previous_actors: list[ActorMention] = []
    for sentence in sentences_from_text(text):
        in_sentence = [a for a in actors if sentence[0] <= a.start < sentence[1]]
        for clause in _clauses(text, sentence):
            claims.extend(
                _clause_claims(
                    text,
                    clause,
                    sentence,
                    places=[p for p in places if clause[0] <= p.start < clause[1] and p.best is not None],
                    earlier=[p for p in places if p.end <= clause[0] and p.best is not None],
                    actors=in_sentence,
                    inherited=previous_actors,
                    dates=[d for d in dates if clause[0] <= d.start < clause[1]],
                    published=published,
                    country=country,
                )
            )
        if in_sentence:
            previous_actors = in_sentence
    return _deduplicated(claims)


def _clause_claims(
    text: str,
    clause: tuple[int, int],
    sentence: tuple[int, int],
    *,
    places: list[PlaceMention],
    earlier: list[PlaceMention],
    actors: list[ActorMention],
    inherited: list[ActorMention],
    dates: list[DateMention],
    published: dt.date | None,
    country: str | None,
) -> list[Claim]:
    if not places and not earlier:
        return []
    claims = []
    taken: list[tuple[int, int]] = []
    for trigger in _TRIGGERS:
        for match in trigger.pattern.finditer(text, clause[0], clause[1]):
            if any(match.start() < b and a < match.end() for a, b in taken):
                continue
            if any(a.start <= match.start() < a.end for a in actors):
                continue  # "IS-held" is read as an actor; "forces" in a name is no trigger
            taken.append(match.span())
            claims.extend(
                _claims_for_trigger(
                    text,
                    trigger,
                    match,
                    clause,
                    sentence,
                    places=places,
                    earlier=earlier,
                    actors=actors,
                    inherited=inherited,
                    dates=dates,
                    published=published,
                    country=country,
                )
            )
    return claims


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


def _claims_for_trigger(
    text: str,
    trigger: _Trigger,
    match: re.Match[str],
    clause: tuple[int, int],
    sentence: tuple[int, int],
    *,
    places: list[PlaceMention],
    earlier: list[PlaceMention],
    actors: list[ActorMention],
    inherited: list[ActorMention],
    dates: list[DateMention],
    published: dt.date | None,
    country: str | None,
) -> list[Claim]:
    clause_text = text[clause[0] : clause[1]]
    lead = text[clause[0] : match.start()]
    if _MODAL.search(clause_text) or _NEGATED.search(lead) or _PAST_FRAME.search(lead):
        return []
    kind = trigger.kind
    why = [f"{kind}: {match[0]!r}"]
    aim = text[max(clause[0], match.start() - 3) : match.start()].casefold() == "to "
    if aim and kind in ("captured", "retaken"):
        kind = "under attack"  # "battle to drive out": the aim, not the result
        why.append("an aim ('to ...'), read as an attack")
    targets = _targets(text, trigger, match, clause, places, aim=aim)
    if not targets and kind in ("captured", "retaken", "holds") and _ANAPHORA.match(text, match.end()):
        targets = _antecedent([*earlier, *places], match.start())
        why.append("the place is 'the town'/'the city' of an earlier sentence")
    claims = []
    for place in targets:
        best = place.best
        if best is None or best.entry.origin == "basemap":
            continue  # a basemap river has no geometry of the project's to hold a history
        place_country = best.entry.country or country
        agent, agent_note = _agent(
            text=text,
            trigger=trigger,
            match=match,
            clause=clause,
            sentence=sentence,
            actors=actors,
            inherited=inherited,
            kind=kind,
            country=place_country,
        )
        if agent is None:
            continue
        confidence = 0.9 - (0.2 if agent_note.startswith("from the previous") else 0.0)
        reasons = [*why, agent_note]
        if agent.generic:
            confidence -= 0.1
        controller = agent.faction_in(place_country)
        if controller is None:
            continue
        opponents: tuple[str, ...] = ()
        if kind in ("under attack", "besieged"):
            defender, defender_note = _defender(match, sentence, actors, controller, place_country)
            if defender is None:
                continue
            reasons.append(defender_note)
            if defender_note.startswith("assumed"):
                confidence -= 0.15
            opponents = (controller,)
            controller = defender
        date, date_note = _claim_date(match, dates, kind, published)
        if (
            kind == "holds"
            and _PAST_HOLD.fullmatch(match[0])
            and (date is None or date.span is None or date.span[0] < match.end())
        ):
            continue  # "the village the group held": some time before; only "held ... since 2013" dates it
        penalty, notes = _doubts(place, date)
        reasons += [date_note, *notes]
        confidence -= penalty
        claims.append(
            Claim(
                place=place,
                controller=controller,
                status=STATUS_BY_KIND[kind],
                opponents=opponents,
                kind=kind,
                date=date,
                confidence=round(max(0.05, min(1.0, confidence)), 2),
                sentence=sentence,
                trigger=(match[0], match.start(), match.end()),
                why=tuple(reasons),
            )
        )
    return claims


def _doubts(place: PlaceMention, date: ClaimDate | None) -> tuple[float, list[str]]:
    """What lowers the confidence in a claim beyond its agent: no own date, a new or ambiguous place."""
    penalty, notes = 0.0, []
    if date is None or date.relation == "before":
        penalty += 0.2
    if place.best is not None and not place.best.entry.is_project:
        penalty += 0.1
        notes.append("a new place (not yet in the project)")
    if place.ambiguous:
        penalty += 0.1
        notes.append("the place name is ambiguous: check the candidates")
    return penalty, notes


def _agent(
    *,
    text: str,
    trigger: _Trigger,
    match: re.Match[str],
    clause: tuple[int, int],
    sentence: tuple[int, int],
    actors: list[ActorMention],
    inherited: list[ActorMention],
    kind: ClaimKind,
    country: str | None,
) -> tuple[ActorMention | None, str]:
    usable = [a for a in actors if a.faction_in(country) is not None]
    if trigger.passive:
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


def _claim_date(
    match: re.Match[str], dates: list[DateMention], kind: ClaimKind, published: dt.date | None
) -> tuple[ClaimDate | None, str]:
    usable = [d for d in dates if d.day is not None]
    if usable:
        after = [d for d in usable if d.start >= match.end()]
        chosen = after[0] if after else usable[-1]
        return (
            ClaimDate(
                chosen.day,
                chosen.precision,
                "on",
                text=chosen.text,
                span=(chosen.start, chosen.end),
                relative=chosen.relative,
            ),
            f"date {chosen.text!r}" + (" (relative to the publication date)" if chosen.relative else ""),
        )
    if published is None:
        return None, "no date, and the publication date is unknown"
    if kind in ("holds", "under attack", "besieged"):
        return ClaimDate(published, "day", "as-of"), "no date in the clause: as of the publication date"
    return ClaimDate(None, "day", "before", end=published), "no date in the clause: before the publication date"


def _deduplicated(claims: list[Claim]) -> list[Claim]:
    best: dict[tuple[object, ...], Claim] = {}
    for claim in claims:
        entry = claim.place.best.entry.id if claim.place.best else claim.place.text
        date = None if claim.date is None else (claim.date.start, claim.date.precision, claim.date.relation)
        key = (entry, claim.controller, claim.status, claim.opponents, date)
        if key not in best or claim.confidence > best[key].confidence:
            best[key] = claim
    return sorted(best.values(), key=lambda c: (c.sentence[0], c.place.start))
