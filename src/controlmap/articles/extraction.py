"""From article text to proposed places and claims, in one call (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from controlmap.articles.actors import actors_from_text
from controlmap.articles.claims import claims_from_text
from controlmap.articles.dates import dates_from_text, latest_full_date, publication_date_from_text
from controlmap.articles.mentions import places_from_text

if TYPE_CHECKING:
    import datetime as dt

    from controlmap.articles.actors import ActorMention
    from controlmap.articles.claims import Claim
    from controlmap.articles.dates import DateMention
    from controlmap.articles.gazetteer import Gazetteer
    from controlmap.articles.mentions import PlaceMention

PublishedFrom = Literal["given", "text", "inferred", "unknown"]


@dataclass(frozen=True)
class Extraction:
    """What was read from one article.

    Parameters
    ----------
    text
        The article as given.
    published
        The publication date used for relative dates, if any.
    published_from
        ``given`` (by the caller), ``text`` (a "Last update:" line), ``inferred`` (the latest full date in
        the text: check it) or ``unknown``.
    places, actors, dates
        Everything found, in text order.
    claims
        The proposed claims.
    notes
        Warnings for the reviewer.
    """

    text: str
    published: dt.date | None
    published_from: PublishedFrom
    places: tuple[PlaceMention, ...]
    actors: tuple[ActorMention, ...]
    dates: tuple[DateMention, ...]
    claims: tuple[Claim, ...]
    notes: tuple[str, ...] = ()


def extraction_from_text(
    text: str, gazetteer: Gazetteer, *, published: dt.date | None = None, country: str | None = None
) -> Extraction:
    """Find the places, actors, dates and claims of control in an article.

    Parameters
    ----------
    text
        The article as plain text.
    gazetteer
        The gazetteer to geocode with.
    published
        The publication date; when None it is read from the text ("Last update: ...") or, failing that,
        taken to be the latest full date in the text (and said so in ``notes``).
    country
        ``IQ`` or ``SY`` to prefer for places and role names (None: read from the text).

    Returns
    -------
    The extraction.
    """
    notes: list[str] = []
    published_from: PublishedFrom = "given"
    if published is None:
        stated = publication_date_from_text(text)
        if stated is not None:
            published, published_from = stated.day, "text"
        else:
            latest = latest_full_date(text)
            if latest is not None:
                published, published_from = latest.day, "inferred"
                notes.append(
                    f"no publication date given or stated; using the latest full date in the text, {latest.text!r} "
                    f"({published}): check it, or give the date"
                )
            else:
                published_from = "unknown"
                notes.append("no publication date: relative dates ('on Thursday') are left unresolved")
    actors = actors_from_text(text)
    places = places_from_text(text, gazetteer, actors=actors, country=country)
    dates = dates_from_text(text, published=published)
    claims = claims_from_text(
        text, places=places, actors=actors, dates=dates, published=published, country=country or _main_country(places)
    )
    if not places:
        notes.append("no places found in the text")
    return Extraction(
        text=text,
        published=published,
        published_from=published_from,
        places=tuple(places),
        actors=tuple(actors),
        dates=tuple(dates),
        claims=tuple(claims),
        notes=tuple(notes),
    )


def _main_country(places: list[PlaceMention]) -> str | None:
    counts: dict[str, int] = {}
    for place in places:
        if place.best is not None and place.best.entry.country:
            counts[place.best.entry.country] = counts.get(place.best.entry.country, 0) + 1
    return max(counts, key=lambda c: counts[c]) if counts else None
