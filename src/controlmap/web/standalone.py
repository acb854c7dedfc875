"""The interactive map as one self-contained HTML file: works opened from disk, with no server and no network.

The file carries Leaflet (from the installed package, `controlmap.web.assets`), the whole history as JSON,
and our own script (``web/controlmap.js``), which restyles the places in the browser when the date
changes. Each period carries its style from `controlmap.style`, so the browser computes no colour of its
own. A Content-Security-Policy allows only the page's own scripts and ``data:`` images: the page cannot
load anything from anywhere.
"""

from __future__ import annotations

import base64
import hashlib
import string
from dataclasses import asdict
from html import escape
from typing import TYPE_CHECKING, Any

from controlmap._resources import packaged_text
from controlmap.basemap import CREDIT, LAYERS, Basemap
from controlmap.errors import ControlmapError
from controlmap.model import UNKNOWN, places_bounds
from controlmap.records import period_record, place_identity, source_to_entry
from controlmap.style import (
    DEFAULT_PALETTE,
    STATUS_PATTERNS,
    check_palette,
    display_spec,
    feature_style,
    palette_colours,
    style_spec,
)
from controlmap.timeline import change_dates, check_in_coverage
from controlmap.web._script import json_for_script
from controlmap.web.assets import leaflet_css, leaflet_js
from controlmap.web.popups import holder_text, since_text

if TYPE_CHECKING:
    import datetime as dt

    import shapely.geometry.base

    from controlmap.model import Dataset, Period, Place

__all__ = ["dataset_to_html", "dataset_to_page_data"]


def _style_record(
    controller: str | None, status: str, opponents: tuple[str, ...], colours: dict[str, str]
) -> dict[str, Any]:
    pattern = STATUS_PATTERNS[status if controller is not None else UNKNOWN]
    return {
        **asdict(feature_style(controller, status, opponents, colours)),
        "ring": pattern.ring,
        "label": pattern.label,
    }


def _period_record(dataset: Dataset, period: Period, colours: dict[str, str]) -> dict[str, Any]:
    record = period_record(dataset, period, colours)
    # The sentences of the app's tooltips (controlmap.web.popups), so the page reads exactly like the app.
    named = {"since_label": record["start_label"], "until_label": record["end_label"], **record}
    return {
        **{key: record[key] for key in ("start", "start_label", "end", "end_label", "controller", "status")},
        "opponents": record["opponents"],
        "sources": [source["id"] for source in record["sources"]],
        "note": record["note"],
        "holder": holder_text(named),
        "since": since_text(named),
        "style": _style_record(period.controller, period.status, period.opponents, colours),
    }


def _place_record(dataset: Dataset, place: Place, colours: dict[str, str]) -> dict[str, Any]:
    geometry: shapely.geometry.base.BaseGeometry = place.geometry
    return {
        **place_identity(place),
        "note": place.note,
        "geometry": geometry.__geo_interface__,
        "periods": [_period_record(dataset, p, colours) for p in sorted(place.history, key=lambda p: p.start)],
    }


def dataset_to_page_data(
    dataset: Dataset, *, date: dt.date | None = None, palette: str = DEFAULT_PALETTE, basemap: Basemap | None = None
) -> dict[str, Any]:
    """Everything the page's script needs, as JSON-ready data.

    Parameters
    ----------
    dataset
        The places, factions and sources.
    date
        The date the page opens at (default: the last date of the data).
    palette
        A palette id of the dataset.
    basemap
        The layers under the places; None draws none.
    """
    check_palette(dataset, palette)
    day = dataset.coverage_end if date is None else date
    check_in_coverage(dataset, day)
    colours = palette_colours(dataset, palette)
    basemap = basemap if basemap is not None else Basemap(layers={})
    return {
        "title": dataset.title,
        "coverage": {"start": dataset.coverage_start.isoformat(), "end": dataset.coverage_end.isoformat()},
        "date": day.isoformat(),
        "factions": [{"id": f.id, "label": f.label, "short_label": f.short_label} for f in dataset.factions],
        "style": style_spec(dataset, palette),
        "unknown_style": _style_record(None, UNKNOWN, (), colours),
        "unknown_holder": holder_text({"controller": None, "status": UNKNOWN}),
        "display": display_spec(),
        "sources": {source_id: source_to_entry(source) for source_id, source in sorted(dataset.sources.items())},
        "places": [_place_record(dataset, place, colours) for place in dataset.places],
        "changes": [d.isoformat() for d in change_dates(dataset)],
        "bounds": list(places_bounds(dataset.places)),
        "basemap": {name: basemap.layer(name) for name in LAYERS},
        "credit": f"{CREDIT} · sources for each place in its tooltip",
    }


def _web_text(name: str) -> str:
    return packaged_text("web", name)


def _inline(text: str, tag: str) -> str:
    """Refuse text that would end its element early (a packaged asset never should)."""
    if f"</{tag}" in text.lower():
        msg = f"cannot inline an asset that contains '</{tag}'"
        raise ControlmapError(msg)
    return text


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def dataset_to_html(
    dataset: Dataset, *, date: dt.date | None = None, palette: str = DEFAULT_PALETTE, basemap: Basemap | None = None
) -> str:
    """The interactive map as one HTML document: a date slider, play, previous/next change, tooltips, legend.

    Parameters
    ----------
    dataset
        The places, factions and sources; the whole history goes in the file.
    date
        The date the page opens at (default: the last date of the data).
    palette
        A palette id of the dataset.
    basemap
        Countries, lakes, rivers and labels (`controlmap.basemap.load_basemap`); None draws none.

    Returns
    -------
    The HTML text, the same for the same input.
    """
    data = dataset_to_page_data(dataset, date=date, palette=palette, basemap=basemap)
    scripts = [_inline(leaflet_js(), "script"), _inline(_web_text("controlmap.js"), "script")]
    csp = "; ".join(
        [
            "default-src 'none'",
            "script-src " + " ".join(_sha256(s) for s in scripts),
            "style-src 'unsafe-inline'",
            "img-src data:",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )
    template = string.Template(_web_text("page.html"))
    return template.substitute(
        csp=csp,
        title=escape(dataset.title),
        leaflet_css=_inline(leaflet_css(), "style"),
        page_css=_inline(_web_text("controlmap.css"), "style"),
        data=json_for_script(data),
        leaflet_js=scripts[0],
        app_js=scripts[1],
    )
