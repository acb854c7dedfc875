"""Correcting a proposed claim and seeing what accepting it would do (pure; the page and the CLI's file share it).

* `ClaimEdit` is what a reviewer changed: the place (any gazetteer entry, found by any of its names), the
  controller, the status and opponents, the date and its precision.
* `edited_claim` applies an edit to a claim of a review document.
* `claim_preview` tells what accepting the claim would do to its place's history: the periods around its date
  before and after, and in plain words whether it agrees, fills a gap or is a conflict (and with what).
* `sentence_html` shows the sentence with the trigger and the place marked.
"""

from __future__ import annotations

import copy
import datetime as dt
import html
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from controlmap.articles.merge import ClaimChange, merge_change
from controlmap.articles.review import slug
from controlmap.dates import format_date
from controlmap.model import Place

if TYPE_CHECKING:
    from controlmap.articles.gazetteer import GazetteerEntry
    from controlmap.articles.rules import ClaimKind
    from controlmap.dates import Precision
    from controlmap.model import Dataset, Period, Status

KIND_BY_STATUS = {"controlled": "holds", "contested": "under attack", "besieged": "besieged"}


@dataclass(frozen=True)
class ClaimEdit:
    """What a reviewer changed in one claim (None: left as proposed)."""

    entry: GazetteerEntry | None = None
    controller: str | None = None
    status: Status | None = None
    opponents: tuple[str, ...] | None = None
    start: dt.date | None = None
    precision: Precision | None = None
    before_article: bool | None = None


def place_record(entry: GazetteerEntry, text: str) -> dict[str, Any]:
    """A review claim's ``place`` for a gazetteer entry: its id for the project's places, else a new place."""
    record: dict[str, Any] = {"text": text, "id": entry.id if entry.is_project else None, "name": entry.name}
    record |= {"origin": entry.origin, "lon": entry.lon, "lat": entry.lat}
    if entry.members:
        record["members"] = list(entry.members)
    if not entry.is_project and entry.country:
        kind = "city" if entry.population >= 100_000 else "town"  # a GeoNames city
        record["new_place"] = {
            "id": slug(entry.name, words=4) or "new-place",
            "name": entry.name,
            "kind": kind,
            "country": entry.country,
            "lon": entry.lon,
            "lat": entry.lat,
            "aliases": [text] if text != entry.name else [],
            "note": f"Location from the gazetteer ({entry.id}).",
        }
    return record


def edited_claim(claim: dict[str, Any], edit: ClaimEdit, *, published: dt.date | None) -> dict[str, Any]:
    """A copy of a review claim with a reviewer's corrections applied (the claim's kind follows its status)."""
    out = copy.deepcopy(claim)
    if edit.entry is not None:
        out["place"] = place_record(edit.entry, claim["place"]["text"]) | {"span": claim["place"].get("span")}
        if out["place"]["span"] is None:
            del out["place"]["span"]
    if edit.controller is not None:
        out["controller"] = edit.controller
    if edit.status is not None and edit.status != claim["status"]:
        out["status"] = edit.status
        out["kind"] = KIND_BY_STATUS[edit.status]
    if edit.opponents is not None:
        out["opponents"] = list(edit.opponents)
    if out["status"] == "controlled":
        out["opponents"] = []
    if edit.before_article and published is not None:
        out["date"] = {"start": None, "end": published.isoformat(), "precision": "day", "relation": "before"}
    elif edit.start is not None or edit.precision is not None or edit.before_article is False:
        date = dict(out.get("date") or {})
        start = edit.start or _day(date.get("start")) or published
        precision = edit.precision or date.get("precision") or "day"
        relation = "on" if date.get("relation") in (None, "before") else date["relation"]
        out["date"] = {
            "start": None if start is None else _first_day(start, precision).isoformat(),
            "end": None,
            "precision": precision,
            "relation": relation,
        }
    return out


def _day(text: str | None) -> dt.date | None:
    return None if not text else dt.date.fromisoformat(text)


def _first_day(day: dt.date, precision: Precision) -> dt.date:
    return dt.date(day.year, 1, 1) if precision == "year" else day.replace(day=1) if precision == "month" else day


@dataclass(frozen=True)
class Preview:
    """What accepting one claim would do to one place."""

    place_id: str
    place_name: str
    action: str
    message: str
    before: tuple[str, ...]
    after: tuple[str, ...]


def _period_line(period: Period) -> str:
    when = f"{format_date(period.start, period.start_precision)} to "
    when += "the end of the data" if period.end is None else format_date(period.end, period.end_precision)
    against = f" against {', '.join(period.opponents)}" if period.opponents else ""
    return f"{when}: {period.controller} {period.status}{against} [{', '.join(period.sources) or 'no source'}]"


_PLAIN = {
    "agrees": "Agrees with the data: the article is added to its sources.",
    "applied": "Fills a gap in the data.",
    "conflict": "Conflict: not applied unless you tick 'Apply even if it contradicts the data'.",
    "forced": "Conflict, applied as you asked.",
}


def claim_preview(
    claim: dict[str, Any], dataset: Dataset, *, source_id: str, published: dt.date | None, window_days: int = 400
) -> list[Preview]:
    """What accepting a review claim would do, place by place (a group's members each), or [] when it cannot say.

    Parameters
    ----------
    claim
        The claim as the reviewer left it (``decision`` is not looked at).
    dataset
        The data it would be merged into.
    source_id, published
        The article's source id and date.
    window_days
        Periods this far around the claim's date are shown.
    """
    change = _change(claim, source_id=source_id, published=published)
    if change is None:
        return []
    previews = []
    for place in _places(claim, dataset):
        after, outcome = merge_change(place, change)
        low, high = change.day - dt.timedelta(days=window_days), change.day + dt.timedelta(days=window_days)

        def near(period: Period, low: dt.date = low, high: dt.date = high) -> bool:
            return period.start <= high and (period.end is None or period.end >= low)

        previews.append(
            Preview(
                place_id=place.id,
                place_name=place.name,
                action=outcome.action,
                message=f"{_PLAIN[outcome.action]} {outcome.message[0].upper()}{outcome.message[1:]}.",
                before=tuple(_period_line(p) for p in place.history if near(p)) or ("unknown: no period",),
                after=tuple(_period_line(p) for p in after.history if near(p)) or ("unknown: no period",),
            )
        )
    return previews


def _change(claim: dict[str, Any], *, source_id: str, published: dt.date | None) -> ClaimChange | None:
    date = claim.get("date") or {}
    kind: ClaimKind = claim["kind"]
    precision: Precision = date.get("precision", "day")
    if date.get("relation") == "before":
        day, precision, kind = _day(date.get("end")), "day", "holds"
    else:
        day = _day(date.get("start"))
    if day is None:
        return None
    return ClaimChange(
        claim_id=claim["id"],
        controller=claim["controller"],
        status=claim["status"],
        opponents=tuple(claim.get("opponents", ())),
        kind=kind,
        day=day,
        precision=precision,
        source_id=source_id,
        published=published,
        apply_conflict=bool(claim.get("apply_conflict", False)),
    )


def _places(claim: dict[str, Any], dataset: Dataset) -> list[Place]:
    place = claim["place"]
    known = {p.id: p for p in dataset.places}
    if place.get("id") in known:
        return [known[place["id"]]]
    members = [p for p in dataset.places if place.get("id") and p.group == place["id"]]
    if members:
        return members
    new = place.get("new_place")
    if new is None:
        return []
    import shapely.geometry  # noqa: PLC0415 - only a new place needs a geometry

    point = shapely.geometry.Point(float(new["lon"]), float(new["lat"]))
    return [Place(new["id"], new["name"], "town", new["country"], point, ())]


def sentence_html(text: str, claim: dict[str, Any]) -> str:
    """The claim's sentence as HTML, every character escaped, with the trigger and the place marked."""
    start, end = claim["sentence"]["span"]
    marks = []
    trigger = claim.get("trigger", {}).get("span")
    if trigger:
        marks.append((trigger[0], trigger[1], "cm-trigger"))
    place = claim["place"].get("span")
    if place:
        marks.append((place[0], place[1], "cm-place"))
    parts, cursor = [], start
    for a, b, css in sorted(marks):
        if a < cursor or b > end:
            continue
        parts += [html.escape(text[cursor:a]), f'<mark class="{css}">{html.escape(text[a:b])}</mark>']
        cursor = b
    parts.append(html.escape(text[cursor:end]))
    return f'<div class="cm-sentence">{"".join(parts)}</div>'
