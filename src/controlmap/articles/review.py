"""The review file: proposed claims as JSON for a person to accept or reject, and back (pure).

The format is described by ``schema/review.schema.json`` and in the README. A claim is proposed with
``"decision": "pending"``; the reviewer sets ``accepted`` or ``rejected``, may correct any field (the
place id, the controller, the date), and sets ``"apply_conflict": true`` to apply a claim that
contradicts the data.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urlsplit

import jsonschema

from controlmap.articles.names import strip_diacritics
from controlmap.errors import ReviewError
from controlmap.validate import schema

if TYPE_CHECKING:
    from controlmap.articles.claims import DateRelation
    from controlmap.articles.extraction import Extraction
    from controlmap.articles.gazetteer import Candidate
    from controlmap.articles.rules import ClaimKind
    from controlmap.dates import Precision
    from controlmap.model import Status

FORMAT = "controlmap-review"
_UNLOCATED = (
    "{name!r} is not in the gazetteer: before accepting, set place.id to a place of the project "
    "(controlmap geocode finds it by any name) or give place.new_place with its coordinates"
)
VERSION = 1
DECISIONS = ("pending", "accepted", "rejected")


@dataclass(frozen=True)
class NewPlace:
    """A place the project does not have yet, proposed from the gazetteer."""

    id: str
    name: str
    kind: str
    country: str
    lon: float
    lat: float
    aliases: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class ReviewClaim:
    """One claim as the reviewer left it."""

    id: str
    decision: str
    place_id: str | None
    place_text: str
    new_place: NewPlace | None
    controller: str
    status: Status
    opponents: tuple[str, ...]
    kind: ClaimKind
    start: dt.date | None
    end: dt.date | None
    precision: Precision
    relation: DateRelation | None
    apply_conflict: bool = False


@dataclass(frozen=True)
class Review:
    """A parsed review file: the article as a source, and its claims."""

    source_id: str
    title: str
    outlet: str
    published: dt.date | None
    url: str | None
    claims: tuple[ReviewClaim, ...]

    @property
    def accepted(self) -> tuple[ReviewClaim, ...]:
        """The claims the reviewer accepted."""
        return tuple(c for c in self.claims if c.decision == "accepted")


def slug(text: str, *, words: int = 6) -> str:
    """A lower-case id fragment: ``Why Mosul matters!`` -> ``why-mosul-matters``."""
    plain = re.sub(r"[^a-z0-9]+", "-", strip_diacritics(text).casefold()).strip("-")
    return "-".join(plain.split("-")[:words])


_HOST_PREFIXES = ("www.", "m.", "mobile.", "english.", "en.", "amp.")


def outlet_from_url(url: str | None) -> str | None:
    """The outlet an address names: its host without ``www.`` and the like; None when there is no host.

    ``https://www.reuters.com/article/x`` gives ``reuters.com``.
    """
    if not url:
        return None
    host = (urlsplit(url.strip()).hostname or "").casefold()
    for prefix in _HOST_PREFIXES:
        host = host.removeprefix(prefix)
    return host or None


def resolved_outlet(outlet: str | None, url: str | None) -> str:
    """The outlet as given, else the host of the article's address.

    Raises
    ------
    ReviewError
        When neither is given: a source needs an outlet.
    """
    given = (outlet or "").strip()
    found = given or outlet_from_url(url)
    if not found:
        raise ReviewError("article", ["outlet: give the outlet, or the article's address to take it from"])
    return found


def source_id_for(*, title: str, outlet: str, published: dt.date | None) -> str:
    """The source id for an article, a readable slug: outlet, date and the first words of the title.

    ``source_id_for(title="Iraqi forces retake Mosul", outlet="reuters.com", published=2017-07-10)`` is
    ``reuters-2017-07-10-iraqi-forces-retake-mosul``.
    """
    outlet_words = slug(
        re.sub(r"\.(?:com|org|net|co|gov|int|news|info)(?:\.[a-z]{2})?$|\.[a-z]{2}$", "", outlet), words=2
    )
    parts = [outlet_words, published.isoformat() if published else "undated", slug(title, words=5)]
    return "-".join(p for p in parts if p)[:80].strip("-")


def _candidate_record(candidate: Candidate) -> dict[str, Any]:
    entry = candidate.entry
    record: dict[str, Any] = {
        "id": entry.id,
        "name": entry.name,
        "origin": entry.origin,
        "kind": entry.kind,
        "country": entry.country,
        "lon": entry.lon,
        "lat": entry.lat,
        "score": candidate.score,
    }
    if entry.members:
        record["members"] = list(entry.members)
    record["reasons"] = list(candidate.reasons)
    return record


def _place_record(candidate: Candidate, text: str, span: tuple[int, int], others: list[str]) -> dict[str, Any]:
    entry = candidate.entry
    record: dict[str, Any] = {
        "text": text,
        "span": list(span),
        "id": entry.id if entry.is_project else None,
        "name": entry.name,
        "origin": entry.origin,
        "lon": entry.lon,
        "lat": entry.lat,
    }
    if entry.members:
        record["members"] = list(entry.members)
    if not entry.is_project and entry.country and entry.origin == "geonames":
        record["new_place"] = {
            "id": slug(entry.name, words=4) or "new-place",
            "name": entry.name,
            "kind": "city" if entry.population >= 100_000 else "town",
            "country": entry.country,
            "lon": entry.lon,
            "lat": entry.lat,
            "aliases": [text] if text != entry.name else [],
            "note": f"Location from GeoNames ({entry.id}).",
        }
    record["candidates"] = others
    return record


def review_from_extraction(
    extraction: Extraction,
    *,
    title: str,
    outlet: str,
    url: str | None = None,
    file: str | None = None,
    sha256: str | None = None,
) -> dict[str, Any]:
    """The review document for an extraction, every claim pending.

    Parameters
    ----------
    extraction
        What `extraction_from_text` found.
    title, outlet, url
        The article's title, outlet and address, for the source registry.
    file, sha256
        Where the text was read from and its digest, to tell later which text the spans refer to.
    """
    text = extraction.text
    article: dict[str, Any] = {
        "source_id": source_id_for(title=title, outlet=outlet, published=extraction.published),
        "title": title,
        "outlet": outlet,
        "published": None if extraction.published is None else extraction.published.isoformat(),
        "published_from": extraction.published_from,
        "url": url,
    }
    if file is not None:
        article["file"] = file
    if sha256 is not None:
        article["sha256"] = sha256
    article["characters"] = len(text)
    claims = []
    for number, claim in enumerate(extraction.claims, start=1):
        best = claim.place.best
        others = [c.entry.id for c in claim.place.candidates]
        span = (claim.place.start, claim.place.end)
        date = None
        if claim.date is not None:
            date = {
                "start": None if claim.date.start is None else claim.date.start.isoformat(),
                "end": None if claim.date.end is None else claim.date.end.isoformat(),
                "precision": claim.date.precision,
                "relation": claim.date.relation,
                "text": claim.date.text,
                "span": None if claim.date.span is None else list(claim.date.span),
                "relative": claim.date.relative,
            }
        claims.append(
            {
                "id": f"c{number}",
                "decision": "pending",
                "apply_conflict": False,
                "place": _place_record(best, claim.place.text, span, others)
                if best is not None
                else {"text": claim.place.text, "span": list(span), "id": None, "candidates": []},
                "controller": claim.controller,
                "status": claim.status,
                "opponents": list(claim.opponents),
                "kind": claim.kind,
                "date": date,
                "confidence": claim.confidence,
                "sentence": {"span": list(claim.sentence), "text": text[claim.sentence[0] : claim.sentence[1]]},
                "trigger": {"text": claim.trigger[0], "span": [claim.trigger[1], claim.trigger[2]]},
                "why": list(claim.why),
                **({} if best is not None else {"note": _UNLOCATED.format(name=claim.place.text)}),
            }
        )
    return {
        "format": FORMAT,
        "version": VERSION,
        "article": article,
        "notes": list(extraction.notes),
        "places": [
            {
                "text": m.text,
                "span": [m.start, m.end],
                "ambiguous": m.ambiguous,
                "candidates": [_candidate_record(c) for c in m.candidates],
            }
            for m in extraction.places
        ],
        "claims": claims,
    }


def review_from_document(document: Any, *, name: str = "review") -> Review:
    """Parse a review document, checking it against the schema and for claims that cannot be saved.

    Parameters
    ----------
    document
        The parsed JSON.
    name
        The file name, for messages.

    Raises
    ------
    ReviewError
        Listing every problem.
    """
    validator = jsonschema.Draft202012Validator(schema("review"))
    problems = [
        _where(document, list(e.absolute_path)) + f": {e.message}"
        for e in sorted(validator.iter_errors(document), key=lambda e: list(map(str, e.absolute_path)))
    ]
    if problems:
        raise ReviewError(name, problems)
    article = document["article"]
    claims = []
    seen: set[str] = set()
    for index, entry in enumerate(document["claims"]):
        where = f"claim {entry['id']} (claims/{index})"
        if entry["id"] in seen:
            problems.append(f"{where}: duplicate claim id")
        seen.add(entry["id"])
        claim = _claim_from_entry(entry)
        if claim.decision == "accepted":
            problems.extend(f"{where}: {p}" for p in _unsaveable(claim))
        claims.append(claim)
    if problems:
        raise ReviewError(name, problems)
    published = article["published"]
    return Review(
        source_id=article["source_id"],
        title=article["title"],
        outlet=article["outlet"],
        published=None if published is None else _date(published),
        url=article["url"],
        claims=tuple(claims),
    )


def _where(document: Any, path: list[Any]) -> str:
    """Where a schema problem is: "claim c3: decision", "article: outlet", or the JSON path."""
    if len(path) >= 2 and path[0] == "claims" and isinstance(path[1], int):
        claims = document.get("claims") if isinstance(document, dict) else None
        entry = claims[path[1]] if isinstance(claims, list) and path[1] < len(claims) else None
        name = entry.get("id") if isinstance(entry, dict) else None
        field_path = ".".join(map(str, path[2:])) or "claim"
        return f"claim {name or '#' + str(path[1] + 1)} (claims/{path[1]}): {field_path}"
    return "/".join(map(str, path)) or "document"


def _date(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _claim_from_entry(entry: dict[str, Any]) -> ReviewClaim:
    place = entry["place"]
    new = place.get("new_place")
    date = entry["date"] or {}
    return ReviewClaim(
        id=entry["id"],
        decision=entry["decision"],
        place_id=place["id"],
        place_text=place["text"],
        new_place=None
        if new is None
        else NewPlace(
            id=new["id"],
            name=new["name"],
            kind=new["kind"],
            country=new["country"],
            lon=float(new["lon"]),
            lat=float(new["lat"]),
            aliases=tuple(new.get("aliases", ())),
            note=new.get("note", ""),
        ),
        controller=entry["controller"],
        status=entry["status"],
        opponents=tuple(entry["opponents"]),
        kind=entry["kind"],
        start=_date(date.get("start")),
        end=_date(date.get("end")),
        precision=cast("Precision", date.get("precision", "day")),
        relation=date.get("relation"),
        apply_conflict=bool(entry.get("apply_conflict", False)),
    )


def _unsaveable(claim: ReviewClaim) -> list[str]:
    problems = []
    if claim.place_id is None and claim.new_place is None:
        problems.append(f"place {claim.place_text!r} has no id and no new_place: choose one before accepting")
    if claim.relation is None:
        problems.append("no date: set date.start (and precision) before accepting")
    elif claim.relation == "before" and claim.end is None:
        problems.append("date.relation 'before' needs date.end")
    elif claim.relation != "before" and claim.start is None:
        problems.append(f"date.relation {claim.relation!r} needs date.start")
    if claim.status == "controlled" and claim.opponents:
        problems.append("a controlled claim has no opponents")
    if claim.status != "controlled" and not claim.opponents:
        problems.append(f"a {claim.status} claim must name its opponents")
    return problems
