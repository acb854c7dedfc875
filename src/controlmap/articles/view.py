"""What the "From article to map" page shows (pure; the page itself is a thin Streamlit client).

The article with its places marked, the claims as markers for a small map, and the review document with the
reviewer's decisions.
"""

from __future__ import annotations

import copy
import datetime as dt
import html
from typing import TYPE_CHECKING, Any

from controlmap._resources import packaged_text
from controlmap.dates import format_date
from controlmap.style import Marker

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from controlmap.articles.merge import Outcome

UNSET_COLOUR = "#7f7f7f"


def highlight_html(text: str, places: list[dict[str, Any]]) -> str:
    """The article as HTML, every character escaped, with each place mention in a ``<mark>``.

    Parameters
    ----------
    text
        The article.
    places
        The ``places`` of a review document (``span``, ``candidates``, ``ambiguous``).

    Returns
    -------
    A ``<div>`` with the text; a mention's title names what it was resolved to.
    """
    parts = []
    cursor = 0
    for place in sorted(places, key=lambda p: p["span"][0]):
        start, end = place["span"]
        if start < cursor or end > len(text) or start >= end:
            continue
        candidates = place.get("candidates") or []
        best = candidates[0] if candidates else None
        kind = "cm-place"
        if best is None or best["origin"] not in ("project", "group"):
            kind += " cm-new"
        if place.get("ambiguous"):
            kind += " cm-ambiguous"
        title = "not found" if best is None else f"{best['name']} ({best['id']}, score {best['score']:.2f})"
        parts.append(html.escape(text[cursor:start]))
        parts.append(
            f'<mark class="{kind}" title="{html.escape(title, quote=True)}">{html.escape(text[start:end])}</mark>'
        )
        cursor = end
    parts.append(html.escape(text[cursor:]))
    return f'<style>{packaged_text("articles", "article.css")}</style><div class="cm-article">{"".join(parts)}</div>'


def claim_label(claim: dict[str, Any], labels: Mapping[str, str] | None = None) -> str:
    """One line for a claim: who, what, where, when (plain text, for a widget label)."""
    labels = labels or {}
    who = labels.get(claim["controller"], claim["controller"])
    place = claim["place"].get("name") or claim["place"]["text"]
    opponents = ", ".join(labels.get(o, o) for o in claim["opponents"])
    what = {
        "captured": f"{who} captured {place}",
        "retaken": f"{who} retook {place}",
        "holds": f"{who} holds {place}",
        "under attack": f"{place} ({who}) under attack by {opponents}",
        "besieged": f"{place} ({who}) besieged by {opponents}",
    }[claim["kind"]]
    return f"{what}, {_when(claim['date'])}"


def _when(date: dict[str, Any] | None) -> str:
    if date is None:
        return "date unknown"
    if date["relation"] == "before":
        end = date.get("end")
        return f"before {format_date(dt.date.fromisoformat(end))}" if end else "date unknown"
    day = dt.date.fromisoformat(date["start"])
    text = format_date(day, date["precision"])
    return f"as of {text}" if date["relation"] == "as-of" else text


def with_decisions(
    document: dict[str, Any], decisions: Mapping[str, str], apply_conflicts: Mapping[str, bool] | None = None
) -> dict[str, Any]:
    """A copy of a review document with the reviewer's decisions (and conflict choices) set."""
    out = copy.deepcopy(document)
    for claim in out["claims"]:
        claim["decision"] = decisions.get(claim["id"], claim["decision"])
        if apply_conflicts is not None:
            claim["apply_conflict"] = bool(apply_conflicts.get(claim["id"], False))
    return out


def claim_markers(
    document: dict[str, Any], *, colours: Mapping[str, str], decisions: Mapping[str, str] | None = None
) -> list[Marker]:
    """One marker per claim with a location, in the colour of the faction it names; rejected claims left off.

    Accepted claims are filled, undecided ones hollow (`controlmap.web.folium_map.marker_map` draws them).
    """
    decisions = decisions or {}
    markers = []
    for claim in document["claims"]:
        place = claim["place"]
        decision = decisions.get(claim["id"], claim["decision"])
        if "lon" in place and "lat" in place and decision != "rejected":
            markers.append(
                Marker(
                    lat=float(place["lat"]),
                    lon=float(place["lon"]),
                    colour=colours.get(claim["controller"], UNSET_COLOUR),
                    filled=decision == "accepted",
                    label=f"{claim['id']}: {claim_label(claim)}",
                )
            )
    return markers


def outcome_rows(outcomes: Sequence[Outcome]) -> list[dict[str, str]]:
    """The outcomes of an ingest as table rows."""
    return [
        {
            "claim": o.claim_id,
            "place": o.place_id,
            "result": o.action,
            "why": o.message,
            "data sources": ", ".join(o.data_sources),
            "article": o.claim_source,
        }
        for o in outcomes
    ]
