"""HTML for a place on the web map: its tooltip, its popup and the legend (pure).

Every string that comes from the data (names, notes, source titles, outlets, URLs, colours) is escaped
here, so the browser shows a place called ``<img src=x onerror=alert(1)>`` as text. A URL becomes a link
only when it is ``http`` or ``https``.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from controlmap._resources import packaged_text
from controlmap.model import UNKNOWN
from controlmap.style import STATUS_PATTERNS

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

PLACE_REF = re.compile(r"\[place:([a-z0-9]+(?:-[a-z0-9]+)*)\]")
"""The hidden marker a tooltip carries, so a click on the map tells the app which place it was."""


_COLOUR = re.compile(r"^#[0-9a-fA-F]{3,8}$")
_FALLBACK_COLOUR = "#999999"


def _e(text: object) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def safe_url(url: object) -> str | None:
    """The URL if it is an absolute ``http``/``https`` URL with a host, else None (never a link)."""
    if not isinstance(url, str):
        return None
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in {"http", "https"} or not parts.netloc:
        return None
    return url.strip()


def safe_colour(colour: object) -> str:
    """A CSS hex colour, or a neutral grey when the value is anything else."""
    return colour if isinstance(colour, str) and _COLOUR.match(colour) else _FALLBACK_COLOUR


def place_ref(place_id: str) -> str:
    """The marker a tooltip's text carries for `place_from_text`."""
    return f"[place:{place_id}]"


def place_from_text(text: object) -> str | None:
    """The place id in the text of a clicked tooltip, or None."""
    if not isinstance(text, str):
        return None
    match = PLACE_REF.search(text)
    return match.group(1) if match else None


def _swatch(colour: object) -> str:
    return f'<span class="cm-swatch" style="background:{safe_colour(colour)}"></span>'


def _names(props: Mapping[str, Any]) -> str:
    parts = [f'<b class="cm-name">{_e(props.get("name"))}</b>']
    if props.get("name_ar"):
        parts.append(f' <span class="cm-ar" lang="ar" dir="rtl">{_e(props["name_ar"])}</span>')
    aliases = [a for a in props.get("aliases") or () if a]
    if aliases:
        parts.append(f'<br><span class="cm-aliases">also {_e(", ".join(aliases))}</span>')
    return "".join(parts)


def holder_text(props: Mapping[str, Any]) -> str:
    """Who holds the place and how, in words (plain text, not escaped)."""
    status = props.get("status") or UNKNOWN
    if props.get("controller") is None or status == UNKNOWN:
        return "Unknown: no sourced claim for this date"
    holder = str(props.get("controller_label") or props.get("controller"))
    opponents = ", ".join(str(o) for o in props.get("opponent_labels") or ())
    if status == "contested":
        return f"{holder}, contested by {opponents}" if opponents else f"{holder}, contested"
    if status == "besieged":
        return f"{holder}, besieged by {opponents}" if opponents else f"{holder}, besieged"
    return holder


def since_text(props: Mapping[str, Any]) -> str:
    """Since when (and until when) the state holds, as precisely as the sources date it (plain text)."""
    since = props.get("since_label")
    if not since:
        return ""
    until = props.get("until_label")
    return f"since {since}" + (f", until {until}" if until else "")


def _source_citation(source: Mapping[str, Any], *, link: bool) -> str:
    title = _e(source.get("title") or source.get("id"))
    url = safe_url(source.get("url"))
    if link and url is not None:
        title = f'<a href="{_e(url)}" target="_blank" rel="noopener noreferrer">{title}</a>'
    details = [_e(source["outlet"])] if source.get("outlet") else []
    if source.get("published"):
        details.append(_e(source["published"]))
    return title + (f" <span class='cm-src-meta'>({', '.join(details)})</span>" if details else "")


def tooltip_html(props: Mapping[str, Any]) -> str:
    """The hover text of a place: names, holder, status, since when, and the sources' titles.

    Parameters
    ----------
    props
        The place's properties from `controlmap.records.place_properties`.
    """
    sources = props.get("sources") or ()
    lines = [
        _names(props),
        f"{_swatch(props.get('fill'))} {_e(holder_text(props))}",
    ]
    since = since_text(props)
    if since:
        lines.append(f'<span class="cm-since">{_e(since)}</span>')
    if sources:
        cited = "; ".join(_source_citation(s, link=False) for s in sources)
        lines.append(f'<span class="cm-sources">Sources: {cited}</span>')
    lines.append(f"<span hidden>{_e(place_ref(str(props.get('id'))))}</span>")
    return f'<div class="cm-tip">{"<br>".join(lines)}</div>'


def popup_html(props: Mapping[str, Any]) -> str:
    """The click-through card of a place: everything in the tooltip, the note, and sources as links.

    Parameters
    ----------
    props
        The place's properties from `controlmap.records.place_properties`.
    """
    status = props.get("status") or UNKNOWN
    pattern = STATUS_PATTERNS.get(status, STATUS_PATTERNS[UNKNOWN])
    parts = [
        f'<div class="cm-popup">{_names(props)}',
        f'<div class="cm-holder">{_swatch(props.get("fill"))} {_e(holder_text(props))}</div>',
        f'<div class="cm-status">Status: {_e(pattern.label)}</div>',
    ]
    since = since_text(props)
    if since:
        parts.append(f'<div class="cm-since">{_e(since[0].upper() + since[1:])}</div>')
    if props.get("note"):
        parts.append(f'<div class="cm-note">{_e(props["note"])}</div>')
    sources = props.get("sources") or ()
    if sources:
        items = "".join(f"<li>{_source_citation(s, link=True)}</li>" for s in sources)
        parts.append(f'<div class="cm-sources">Sources:<ul>{items}</ul></div>')
    parts.append("</div>")
    return "".join(parts)


def legend_html(
    entries: Sequence[Mapping[str, Any]],
    *,
    unknown_count: int,
    unknown_colour: str,
    title: str = "",
    notes: Sequence[str] = (),
) -> str:
    """The legend for a date: one row per faction present, with its colour and how many places it holds.

    Parameters
    ----------
    entries
        From `controlmap.style.legend_entries`.
    unknown_count
        How many places no period covers at the date.
    unknown_colour
        The palette's colour for unknown.
    title
        A heading above the rows (the date), as text.
    notes
        Lines of text under the rows.
    """
    rows = [
        f'<li data-faction="{_e(e["id"])}">{_swatch(e["colour"])} {_e(e["label"])} '
        f'<span class="cm-count">{int(e["count"])}</span></li>'
        for e in entries
    ]
    if unknown_count:
        rows.append(
            f'<li data-faction="{UNKNOWN}">{_swatch(unknown_colour)} Unknown '
            f'<span class="cm-count">{int(unknown_count)}</span></li>'
        )

    heading = f'<div class="cm-legend-title">{_e(title)}</div>' if title else ""
    below = "".join(f'<div class="cm-legend-note">{_e(note)}</div>' for note in notes)
    return f'<div class="cm-legend-box">{heading}<ul class="cm-legend">{"".join(rows)}</ul>{below}</div>'


def popup_css() -> str:
    """Styles for the tooltip, popup and legend HTML, in the map frame and on the app's page (``popups.css``)."""
    return packaged_text("web", "popups.css")
