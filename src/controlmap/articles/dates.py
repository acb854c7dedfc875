"""Dates in news text: absolute ("16 March 2017"), partial ("June 2014") and relative ("on Thursday") (pure).

Relative dates are resolved against the article's publication date: the most recent such day or
month on or before it. Every date comes with the precision the text gives (day, month or year) and
with its character span, so that a reviewer can see where it was read.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from controlmap.dates import Precision

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "a": 1}
_MONTH = r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|December|" + (
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_YEAR = r"(?P<year>(?:19|20)\d{2})(?!\d|,\d)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
# A month alone ("in January") is a date only after one of these words: "may" alone is a verb.
_PREPOSITION = (
    "(?:"
    + "|".join(
        rf"(?<=\b{word} )"
        for word in (
            "[Ii]n",
            "[Bb]y",
            "[Ss]ince",
            "[Uu]ntil",
            "[Oo]f",
            "[Ff]rom",
            "[Ll]ast",
            "[Tt]his",
            "[Ee]arly",
            "[Ll]ate",
            "[Dd]uring",
            "[Tt]hrough",
        )
    )
    + r"|(?<=\bmid-))"
)
PUBLICATION_LABEL = re.compile(
    r"\b(?:last update[d]?|updated|published|posted|first published|date)\s*(?:on)?\s*:?\s*"
    r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s*)?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DateMention:
    """A date read from text.

    Parameters
    ----------
    start, end
        The character span in the text.
    text
        The words as written.
    day
        The first day of the date (the 1st of a month for month precision); None when a relative date
        cannot be resolved because the publication date is unknown.
    precision
        ``day``, ``month`` or ``year``.
    relative
        Whether the date was read relative to the publication date.
    """

    start: int
    end: int
    text: str
    day: dt.date | None
    precision: Precision
    relative: bool = False


def _month(match: re.Match[str]) -> int:
    return _MONTHS[match["month"].rstrip(".").casefold()]


def _safe(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _full(match: re.Match[str], _: dt.date | None) -> tuple[dt.date | None, Precision] | None:
    day = _safe(int(match["year"]), _month(match), int(match["day"]))
    return None if day is None else (day, "day")


def _numeric(match: re.Match[str], _: dt.date | None) -> tuple[dt.date | None, Precision] | None:
    first, second, year = int(match["a"]), int(match["b"]), int(match["year"])
    day = _safe(year, second, first) or _safe(year, first, second)  # day/month first, as outside the US
    return None if day is None else (day, "day")


def _iso(match: re.Match[str], _: dt.date | None) -> tuple[dt.date | None, Precision] | None:
    day = _safe(int(match["year"]), int(match["m"]), int(match["d"]))
    return None if day is None else (day, "day")


def _month_year(match: re.Match[str], _: dt.date | None) -> tuple[dt.date | None, Precision] | None:
    return dt.date(int(match["year"]), _month(match), 1), "month"


def _year(match: re.Match[str], _: dt.date | None) -> tuple[dt.date | None, Precision] | None:
    return dt.date(int(match["year"]), 1, 1), "year"


def _day_no_year(match: re.Match[str], published: dt.date | None) -> tuple[dt.date | None, Precision] | None:
    if published is None:
        return None, "day"
    for year in (published.year, published.year - 1):
        day = _safe(year, _month(match), int(match["day"]))
        if day is not None and day <= published:
            return day, "day"
    return None


def _month_alone(match: re.Match[str], published: dt.date | None) -> tuple[dt.date | None, Precision] | None:
    if published is None:
        return None, "month"
    month = _month(match)
    year = published.year if month <= published.month else published.year - 1
    if (match["last"] or "").casefold() == "last" and month == published.month:
        year -= 1
    return dt.date(year, month, 1), "month"


def _weekday(match: re.Match[str], published: dt.date | None) -> tuple[dt.date | None, Precision] | None:
    if published is None:
        return None, "day"
    back = (published.weekday() - _WEEKDAYS.index(match["weekday"].casefold())) % 7
    if back == 0 and (match["last"] or "").casefold() == "last":
        back = 7
    return published - dt.timedelta(days=back), "day"


def _relative_word(  # noqa: PLR0911 - one return per kind of word
    match: re.Match[str], published: dt.date | None
) -> tuple[dt.date | None, Precision] | None:
    word = " ".join(match[0].casefold().split())
    if published is None:
        return None, "year" if word.endswith("year") else "month" if word.endswith("month") else "day"
    if word in ("today", "this morning", "tonight"):
        return published, "day"
    if word in ("yesterday", "last night"):
        return published - dt.timedelta(days=1), "day"
    if word.endswith("this year"):
        return dt.date(published.year, 1, 1), "year"
    if word == "last year":
        return dt.date(published.year - 1, 1, 1), "year"
    if word.endswith("this month"):
        return published.replace(day=1), "month"
    if word in ("last week", "last weekend"):
        day = published - dt.timedelta(days=7 if word == "last week" else published.weekday() + 2)
        return day.replace(day=1), "month"  # which day of that week the text does not say
    if word == "last month":
        first = published.replace(day=1) - dt.timedelta(days=1)
        return first.replace(day=1), "month"
    return None


def _days_ago(match: re.Match[str], published: dt.date | None) -> tuple[dt.date | None, Precision] | None:
    count = int(match["n"]) if match["n"].isdigit() else _NUMBERS[match["n"].casefold()]
    days = count * (7 if match["unit"].casefold().startswith("week") else 1)
    return (None if published is None else published - dt.timedelta(days=days)), "day"


def _month_last_year(match: re.Match[str], published: dt.date | None) -> tuple[dt.date | None, Precision] | None:
    if published is None:
        return None, "month"
    return dt.date(published.year - 1, _month(match), 1), "month"


_PATTERNS: tuple[tuple[re.Pattern[str], Callable[..., tuple[dt.date | None, Precision] | None], bool], ...] = (
    (re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}"), _full, False),
    (re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}"), _full, False),
    (re.compile(r"\b(?P<a>[0-3]?\d)/(?P<b>[01]?\d)/(?P<year>(?:19|20)\d{2})\b"), _numeric, False),
    (re.compile(r"\b(?P<year>(?:19|20)\d{2})-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b"), _iso, False),
    (re.compile(rf"\b{_MONTH},?\s+(?:of\s+)?{_YEAR}"), _month_year, False),
    (re.compile(rf"\b{_MONTH}\s+(?:of\s+)?last\s+year\b"), _month_last_year, True),
    (re.compile(rf"\b{_MONTH}\s+{_DAY}\b(?!,?\s*\d)"), _day_no_year, True),
    (re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}(?![\w,]*\s+\d)"), _day_no_year, True),
    (
        re.compile(
            r"\b(?:today|yesterday|last night|this morning|tonight|(?:earlier |later )?this (?:year|month)|"
            r"last (?:year|month|weekend|week))\b",
            re.IGNORECASE,
        ),
        _relative_word,
        True,
    ),
    (
        re.compile(r"\b(?P<n>\d+|one|two|three|four|five|six|seven|a)\s+(?P<unit>days?|weeks?)\s+ago\b", re.I),
        _days_ago,
        True,
    ),
    (
        re.compile(
            r"(?:\b(?P<last>[Ll]ast|[Tt]his|[Oo]n)\s+)?\b(?P<weekday>Monday|Tuesday|Wednesday|Thursday|"
            r"Friday|Saturday|Sunday)\b"
        ),
        _weekday,
        True,
    ),
    (re.compile(rf"(?:\b(?P<last>[Ll]ast|[Tt]his)\s+)?{_PREPOSITION}{_MONTH}(?!\w)"), _month_alone, True),
    (
        re.compile(rf"\b{_YEAR}(?!\s*(?:-|\u2013)?\s*(?:million|people|years|km|kilometres|miles|men|fighters))"),
        _year,
        False,
    ),
)


def dates_from_text(text: str, *, published: dt.date | None = None) -> list[DateMention]:
    """Every date in the text, in order.

    Parameters
    ----------
    text
        The text.
    published
        The publication date, to resolve relative dates against.

    Returns
    -------
    The dates found; a relative date has ``day=None`` when ``published`` is None.
    """
    taken: list[tuple[int, int]] = []
    found: list[DateMention] = []
    for pattern, resolve, relative in _PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < b and a < end for a, b in taken):
                continue
            resolved = resolve(match, published)
            if resolved is None:
                continue
            day, precision = resolved
            taken.append((start, end))
            found.append(DateMention(start, end, match[0], day, precision, relative))
    return sorted(found, key=lambda d: d.start)


def publication_date_from_text(text: str) -> DateMention | None:
    """The publication date when the text states it ("Last update: Mon, 04/07/2016 - 09:15", "Published: ...")."""
    for label in PUBLICATION_LABEL.finditer(text):
        window = text[label.end() : label.end() + 40]
        for mention in dates_from_text(window):
            if mention.start == 0 and mention.precision == "day" and not mention.relative and mention.day:
                offset = label.end()
                return DateMention(
                    mention.start + offset, mention.end + offset, mention.text, mention.day, "day", relative=False
                )
    return None


def latest_full_date(text: str) -> DateMention | None:
    """The latest day-precise date written out in full: a fallback guess for an undated article."""
    full = [d for d in dates_from_text(text) if d.precision == "day" and not d.relative and d.day is not None]
    return max(full, key=lambda d: (d.day, d.start)) if full else None
