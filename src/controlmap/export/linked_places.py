"""The whole history in the Linked Places Format: the World Historical Gazetteer's GeoJSON-LD (pure).

Linked Places (LPF 1.1, https://github.com/LinkedPasts/linked-places-format) is how historical gazetteers
(the World Historical Gazetteer, Pelagios) exchange places. Each place is a feature with its names (Arabic
and aliases too), its type (a Getty AAT concept where one fits), its geometry, and its control periods as
``relations`` to the faction that held it, each with ``when`` timespans written as precisely as the sources
date them (``2014``, ``2014-06``, ``2014-06-10``) and citations of its sources. The feature's own ``when``
spans the times its periods cover; a gap between them is a time for which nothing is known.

A period's end is the day the place changed hands (the data's periods are ``[start, end)``); a period still
running at the end of the data ends no earlier than the day after it (``"earliest"``).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import orjson
import shapely.geometry

from controlmap.style import DEFAULT_PALETTE, palette_colours

if TYPE_CHECKING:
    from controlmap.dates import Precision
    from controlmap.model import Dataset, Period, Place

__all__ = ["LPF_CONTEXT", "history_to_linked_places", "place_uri"]

LPF_CONTEXT = "https://raw.githubusercontent.com/LinkedPasts/linked-places/master/linkedplaces-context-v1.1.jsonld"
URI_PREFIX = "urn:controlmap:"
"""Places and factions are named by URNs (``urn:controlmap:place:mosul``): the data has no web addresses."""
_AAT = {
    "city": "aat:300008389",
    "town": "aat:300008375",
    "village": "aat:300008372",
    "river": "aat:300008707",
    "region": "aat:300182722",
}
_RELATION = "gvp:tgn3000_related_to"
_STATUS_WORDS = {"controlled": "held by", "contested": "contested, held by", "besieged": "besieged, held by"}


def place_uri(place_id: str) -> str:
    """The URI of a place in the export."""
    return f"{URI_PREFIX}place:{place_id}"


def history_to_linked_places(dataset: Dataset, *, palette: str = DEFAULT_PALETTE) -> bytes:
    """Every place with its control periods as a Linked Places FeatureCollection (UTF-8 JSON bytes).

    Parameters
    ----------
    dataset
        The places and their histories.
    palette
        Recorded with each faction, so that a reader can colour the relations as the map does.
    """
    colours = palette_colours(dataset, palette)
    after_end = dataset.coverage_end + dt.timedelta(days=1)
    collection = {
        "type": "FeatureCollection",
        "@context": LPF_CONTEXT,
        "title": dataset.title,
        "when": {"timespans": [_timespan(dataset.coverage_start, "day", after_end, "day", after_end)]},
        "factions": [
            {"@id": f"{URI_PREFIX}faction:{f.id}", "id": f.id, "label": f.label, "colour": colours[f.id]}
            for f in dataset.factions
        ],
        "features": [_feature(dataset, place, after_end) for place in dataset.places],
    }
    return orjson.dumps(collection, option=orjson.OPT_INDENT_2) + b"\n"


def _feature(dataset: Dataset, place: Place, after_end: dt.date) -> dict[str, Any]:
    periods = sorted(place.history, key=lambda p: p.start)
    first_citation = [
        _citation(dataset, s) for s in (*place.geometry_sources, *(periods[0].sources if periods else ()))
    ]
    names: list[dict[str, Any]] = [{"toponym": place.name, "lang": "en", "citations": first_citation[:1]}]
    if place.name_ar:
        names.append({"toponym": place.name_ar, "lang": "ar"})
    names.extend({"toponym": alias} for alias in place.aliases)
    kind: dict[str, Any] = {"label": place.kind, "sourceLabels": [{"label": place.kind, "lang": "en"}]}
    if place.kind in _AAT:
        kind = {"identifier": _AAT[place.kind], **kind}
    geometry: dict[str, Any] = dict(shapely.geometry.mapping(place.geometry))
    if place.geometry_sources:
        geometry["citations"] = [_citation(dataset, s) for s in place.geometry_sources]
    feature: dict[str, Any] = {
        "@id": place_uri(place.id),
        "type": "Feature",
        "properties": {"title": place.name, "ccodes": [place.country]},
        "when": {"timespans": _covered(periods, after_end)},
        "names": names,
        "types": [kind],
        "geometry": {"type": "GeometryCollection", "geometries": [geometry]},
        "relations": [_relation(dataset, period, after_end) for period in periods],
    }
    if place.note:
        feature["descriptions"] = [{"value": place.note, "lang": "en"}]
    return feature


def _relation(dataset: Dataset, period: Period, after_end: dt.date) -> dict[str, Any]:
    holder = dataset.faction(period.controller).label
    label = f"{_STATUS_WORDS[period.status]} {holder}"
    if period.opponents:
        label += f" against {', '.join(dataset.faction(o).label for o in period.opponents)}"
    relation: dict[str, Any] = {
        "relationType": _RELATION,
        "relationTo": f"{URI_PREFIX}faction:{period.controller}",
        "label": label,
        "status": period.status,
        "opponents": [f"{URI_PREFIX}faction:{o}" for o in period.opponents],
        "when": {
            "timespans": [_timespan(period.start, period.start_precision, period.end, period.end_precision, after_end)]
        },
        "citations": [_citation(dataset, s) for s in period.sources],
        "certainty": "certain",
    }
    if period.note:
        relation["note"] = period.note
    return relation


def _covered(periods: list[Period], after_end: dt.date) -> list[dict[str, Any]]:
    """The timespans a place's periods cover, back-to-back periods joined."""
    spans: list[dict[str, Any]] = []
    run_start: Period | None = None
    for index, period in enumerate(periods):
        run_start = run_start or period
        following = periods[index + 1] if index + 1 < len(periods) else None
        if following is None or following.start != period.end:
            spans.append(
                _timespan(run_start.start, run_start.start_precision, period.end, period.end_precision, after_end)
            )
            run_start = None
    return spans


def _timespan(
    start: dt.date, start_precision: Precision, end: dt.date | None, end_precision: Precision | None, after_end: dt.date
) -> dict[str, Any]:
    span: dict[str, Any] = {"start": {"in": _iso(start, start_precision)}}
    if end is None:
        span["end"] = {"earliest": after_end.isoformat()}
    else:
        span["end"] = {"in": _iso(end, end_precision or "day")}
    return span


def _iso(day: dt.date, precision: Precision) -> str:
    """A date as precisely as it is known: ``2014``, ``2014-06`` or ``2014-06-10``."""
    return {"year": f"{day.year:04d}", "month": f"{day.year:04d}-{day.month:02d}"}.get(precision, day.isoformat())


def _citation(dataset: Dataset, source_id: str) -> dict[str, Any]:
    source = dataset.source(source_id)
    citation: dict[str, Any] = {"label": source.citation()}
    if source.url:
        citation["@id"] = source.url
    return citation
