"""When a claim holds: the date read for it from its clause, its sentence or the report around it (pure).

In order:

1. a date in the clause, the one nearest after the trigger (else the nearest before it);
2. a date counted from an earlier one: "the previous day", "hours later", "six months later";
3. a date elsewhere in the sentence ("That ended Wednesday, when ... stormed the city"; "said on Tuesday they
   had captured ...": reported speech is dated by its report);
4. "for three years, IS controlled ...": the state began that long before the publication date;
5. no date: a state told in the present holds *as of* the publication date; an event told in the past
   perfect, or as a former state ("ever controlled", "during their control") was *before* it; any other
   event is the report's news when it is in the headline or the lead, and is then dated to the publication
   day (with a lower confidence and the reason shown); elsewhere it was *before* the publication date.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from controlmap.articles.dates import DateMention
    from controlmap.articles.rules import ClaimKind
    from controlmap.dates import Precision

DateRelation = Literal["on", "as-of", "before"]
_NUMBER = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}
_COUNT = r"(?P<n>\d+|one|two|three|four|five|six|seven|eight|nine|a|an)"
_FROM_EARLIER = re.compile(
    rf"\b(?:the\s+(?P<prev>previous|next|following)\s+day|the\s+day\s+(?P<before>before)|(?P<later>hours\s+(?:later|earlier)|"
    rf"(?:later|earlier)\s+that\s+day|that\s+day|the\s+same\s+day)|{_COUNT}\s+(?P<unit>days?|weeks?|months?|years?)\s+"
    r"(?P<dir>later|after|earlier|before))\b",
    re.IGNORECASE,
)
_FOR_SPAN = re.compile(rf"\bfor\s+(?:the\s+(?:past|last)\s+)?{_COUNT}\s+(?P<unit>years?|months?)\b", re.I)
_PAST = re.compile(
    r"\b(?:had|ever|former|formerly|once|previously|one-time|during|used\s+to)\b|\bhad\s+been\b|\bwas\s+once\b", re.I
)
_PAST_NEAR = re.compile(
    r"\b(?:had|had\s+been|ever|once|formerly|previously|used\s+to|during\s+(?:their|its|the)|former|one-time)\s+"
    r"(?:[\w-]+\s+){0,2}$",
    re.IGNORECASE,
)
_LONG_AGO = re.compile(r"\b(?:months|weeks|years|long)\s+ago\b|\bago\b(?<!days ago)", re.IGNORECASE)
_RELATIVE_CLAUSE = re.compile(r"\s*(?:which|that|who|where)\b", re.IGNORECASE)
_NOW = re.compile(r"\b(?:is|are|remains?|still|now)\b", re.IGNORECASE)
_PRESENT = re.compile(r"\b(?:is|are|now|still|remains?|continues?|has|have)\b", re.IGNORECASE)


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
class DateContext:
    """What the dating of one claim looks at.

    Parameters
    ----------
    text
        The article.
    trigger
        The span of the words that made the claim.
    clause, sentence
        The spans of the claim's clause and sentence.
    dates
        Every date in the article.
    published
        The publication date, if known.
    news
        Whether the sentence is the headline or the lead (its undated events are the report's news).
    """

    text: str
    trigger: tuple[int, int]
    clause: tuple[int, int]
    sentence: tuple[int, int]
    dates: tuple[DateMention, ...]
    published: dt.date | None
    news: bool = False


def _mention_date(mention: DateMention, note: str) -> tuple[ClaimDate, str]:
    relative = " (relative to the publication date)" if mention.relative else ""
    return (
        ClaimDate(mention.day, mention.precision, "on", text=mention.text, span=(mention.start, mention.end),
                  relative=mention.relative),
        f"date {mention.text!r}{relative}{note}",
    )  # fmt: skip


def _shifted(day: dt.date, count: int, unit: str) -> tuple[dt.date, Precision]:
    if unit.startswith("day"):
        return day + dt.timedelta(days=count), "day"
    if unit.startswith("week"):
        return day + dt.timedelta(weeks=count), "day"
    months = day.year * 12 + day.month - 1 + count * (12 if unit.startswith("year") else 1)
    return dt.date(months // 12, months % 12 + 1, 1), "month" if unit.startswith("month") else "year"


def _counted(context: DateContext) -> tuple[ClaimDate, str] | None:
    """A date counted from the last one before the clause ("the previous day", "six months later")."""
    text, clause = context.text, context.clause
    match = _FROM_EARLIER.search(text, clause[0], clause[1])
    if match is None:
        return None
    anchors = [d for d in context.dates if d.end <= match.start() and d.day is not None]
    if not anchors:
        return None
    anchor = anchors[-1]
    assert anchor.day is not None
    if match["prev"] or match["before"]:
        step = -1 if (match["prev"] or "").casefold() == "previous" or match["before"] else 1
        day, precision = anchor.day + dt.timedelta(days=step), anchor.precision
    elif match["later"]:
        day, precision = anchor.day, anchor.precision
    else:
        word = match["n"].casefold()
        count = int(word) if word.isdigit() else _NUMBER.get(word, 1)
        sign = 1 if match["dir"].casefold() in ("later", "after") else -1
        day, precision = _shifted(anchor.day, sign * count, match["unit"].casefold())
    return (
        ClaimDate(day, precision, "on", text=match[0], span=match.span(), relative=True),
        f"date {match[0]!r}, counted from {anchor.text!r}",
    )


def _span_back(context: DateContext, kind: ClaimKind) -> tuple[ClaimDate, str] | None:
    """A state held "for three years": since that long before the publication date."""
    if kind != "holds" or context.published is None:
        return None
    match = _FOR_SPAN.search(context.text, context.sentence[0], context.trigger[0])
    if match is None:
        return None
    word = match["n"].casefold()
    count = int(word) if word.isdigit() else _NUMBER.get(word, 1)
    day, precision = _shifted(context.published, -count, match["unit"].casefold())
    day = day.replace(day=1) if precision == "month" else dt.date(day.year, 1, 1)
    return (
        ClaimDate(day, precision, "on", text=match[0], span=match.span(), relative=True),
        f"{match[0]!r} before the publication date",
    )


def claim_date(context: DateContext, kind: ClaimKind, *, state: bool) -> tuple[ClaimDate | None, str, float]:
    """The date of a claim, why, and how much it lowers the confidence.

    Parameters
    ----------
    context
        Where the claim was read.
    kind
        What it says happened.
    state
        Whether it states a state (holds, under attack, besieged) rather than an event.
    """
    start, end = context.trigger
    usable = [d for d in context.dates if d.day is not None]
    in_clause = [d for d in usable if context.clause[0] <= d.start < context.clause[1]]
    if in_clause:
        after = [d for d in in_clause if d.start >= end]
        before = [d for d in in_clause if d.end <= start]
        chosen = after[0] if after else before[-1] if before else in_clause[0]
        date, note = _mention_date(chosen, "")
        return date, note, 0.0
    counted = _counted(context) or _span_back(context, kind)
    if counted is not None:
        return (*counted, 0.05)
    words = context.text[context.clause[0] : context.clause[1]]
    if state and context.published is not None and _NOW.search(words) and not _PAST.search(words):
        # "which remains under IS control": as the report finds it, whatever else the sentence dates
        return ClaimDate(context.published, "day", "as-of"), "told in the present: as of the publication date", 0.1
    if _RELATIVE_CLAUSE.match(words) and _PAST_NEAR.search(context.text[context.clause[0] : start]):
        return _undated(context, state=state)  # "which had been out of control": not the sentence's date
    in_sentence = [d for d in usable if context.sentence[0] <= d.start < context.sentence[1]]
    if in_sentence:
        before = [d for d in in_sentence if d.end <= start]
        chosen = before[-1] if before else in_sentence[0]
        date, note = _mention_date(chosen, ", elsewhere in the sentence")
        return date, note, 0.1
    return _undated(context, state=state)


def _undated(context: DateContext, *, state: bool) -> tuple[ClaimDate | None, str, float]:
    published = context.published
    if published is None:
        return None, "no date, and the publication date is unknown", 0.2
    lead = context.text[max(context.clause[0], context.trigger[0] - 40) : context.trigger[0]]
    words = context.text[context.clause[0] : context.clause[1]]
    if (
        _PAST_NEAR.search(lead)
        or _PAST.search(context.text[context.trigger[0] : context.trigger[1]])
        or _LONG_AGO.search(words)
    ):
        return (
            ClaimDate(None, "day", "before", end=published),
            "no date, told as past: before the publication date",
            0.2,
        )
    progressive = context.text[context.trigger[0] : context.trigger[1]].casefold().endswith("ing")
    if state and (_PRESENT.search(words) or progressive or not re.search(r"\b(?:was|were)\b", words)):
        return ClaimDate(published, "day", "as-of"), "no date: as of the publication date", 0.1
    if context.news:
        return (
            ClaimDate(published, "day", "on"),
            "no date: the report's news (headline or lead), dated to its publication day",
            0.2,
        )
    return ClaimDate(None, "day", "before", end=published), "no date: before the publication date", 0.2
