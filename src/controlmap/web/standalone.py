"""The interactive map as one self-contained HTML file: works opened from disk, with no server and no network.

The page is the app's map without the app: the same folium base map (basemap layers, panes, scale) and the
same time engine (`controlmap.web.engine`), with the whole history in the file. Leaflet comes from the
installed package (`controlmap.web.assets`). A Content-Security-Policy allows only the page's own scripts,
inline styles and ``data:`` images: the page cannot load anything from anywhere.
"""

from __future__ import annotations

import base64
import hashlib
import string
from html import escape
from typing import TYPE_CHECKING, Any

from controlmap._resources import packaged_text
from controlmap.basemap import Basemap, country_outlines
from controlmap.dates import day_number
from controlmap.errors import ControlmapError
from controlmap.style import DEFAULT_PALETTE, check_palette
from controlmap.timeline import check_in_coverage
from controlmap.web._script import json_for_script
from controlmap.web.assets import leaflet_css, leaflet_js
from controlmap.web.engine import engine_css, engine_payload, engine_script
from controlmap.web.folium_map import basemap_js, build_base_map, map_css, map_parts, places_bounds

if TYPE_CHECKING:
    import datetime as dt

    from controlmap.model import Dataset

__all__ = ["dataset_to_html", "dataset_to_page_data"]


def dataset_to_page_data(
    dataset: Dataset, *, date: dt.date | None = None, palette: str = DEFAULT_PALETTE, basemap: Basemap | None = None
) -> dict[str, Any]:
    """The engine's payload for a page: the whole history, opening at ``date`` in ``palette``.

    Parameters
    ----------
    dataset
        The places, factions and sources.
    date
        The date the page opens at (default: the data's default date, `controlmap.web.viewstate.default_date`).
    palette
        A palette id of the dataset: the colours the page opens with (every palette is in the page).
    basemap
        Its countries clip the shaded areas around places; None clips them to their radius only.
    """
    check_palette(dataset, palette)
    if date is not None:
        check_in_coverage(dataset, date)
    countries = None if basemap is None else country_outlines(basemap)
    payload = engine_payload(dataset, countries=countries)
    if date is not None:
        payload["opening"] = day_number(date)
    payload["palette"] = palette
    return payload


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
    """The interactive map as one HTML document, working offline.

    It has the date slider, play, previous/next change, names, tooltips, popups with the sources, the shaded
    areas and the legend.

    Parameters
    ----------
    dataset
        The places, factions and sources; the whole history goes in the file.
    date
        The date the page opens at (default: the data's default date).
    palette
        A palette id of the dataset (the page can switch to the others).
    basemap
        Countries, lakes, rivers and labels (`controlmap.basemap.load_basemap`); None draws none.

    Returns
    -------
    The HTML text, the same for the same input.
    """
    data = dataset_to_page_data(dataset, date=date, palette=palette, basemap=basemap)
    base = map_parts(
        build_base_map(
            basemap_js(basemap or Basemap(layers={})),
            bounds=places_bounds(dataset),
            leaflet_js_url="",
            leaflet_css_url="",
            height="100%",
        )
    )
    boot = f"ControlmapEngine.page({json_for_script(base.name)});"
    scripts = [_inline(text, "script") for text in (leaflet_js(), engine_script(), base.script, boot)]
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
    styles = "\n".join([map_css(), engine_css(), packaged_text("web", "controlmap.css")])
    template = string.Template(packaged_text("web", "page.html"))
    return template.substitute(
        csp=csp,
        title=escape(dataset.title),
        leaflet_css=_inline(leaflet_css(), "style"),
        styles=_inline(styles, "style"),
        map_name=escape(base.name),
        data=json_for_script(data),
        leaflet_js=scripts[0],
        engine_js=scripts[1],
        map_js=scripts[2],
        boot_js=scripts[3],
    )
