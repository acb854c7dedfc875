"""Naive baselines: what the vectorised queries and the app's per-date map layer replace."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import folium

import controlmap
from controlmap.model import UNKNOWN
from controlmap.records import snapshot_to_geojson
from controlmap.style import feature_style, palette_colours

if TYPE_CHECKING:
    import datetime as dt

    from controlmap.model import Dataset


def naive_snapshot(dataset: Dataset, day: dt.date) -> list[tuple[str | None, str]]:
    """(controller, status) of every place at ``day``: a Python loop over places and their periods."""
    states: list[tuple[str | None, str]] = []
    for place in dataset.places:
        state: tuple[str | None, str] = (None, UNKNOWN)
        for period in place.history:
            if period.covers(day):
                state = (period.controller, period.status)
                break
        states.append(state)
    return states


def naive_changes_between(dataset: Dataset, first: dt.date, second: dt.date) -> list[str]:
    """Ids of the places whose state differs between two dates, by two naive snapshots."""
    before = naive_snapshot(dataset, first)
    after = naive_snapshot(dataset, second)
    return [place.id for place, a, b in zip(dataset.places, before, after, strict=True) if a != b]


def naive_map(dataset: Dataset, day: dt.date) -> folium.Map:
    """What a naive app builds per date: a new folium map, one GeoJson layer with a per-feature style_function.

    Places get the class ``cm-place`` (as the app's do), so the same browser measurements find them.
    """
    colours = palette_colours(dataset)
    collection = snapshot_to_geojson(controlmap.snapshot(dataset, day))

    def style(feature: dict[str, Any]) -> dict[str, Any]:
        props = feature["properties"]
        look = feature_style(props["controller"], props["status"], props["opponents"], colours)
        return {
            "fill": True, "fillColor": look.fill, "fillOpacity": look.fill_opacity, "color": look.stroke,
            "weight": look.stroke_width, "className": "cm-place",
        }  # fmt: skip

    fmap = folium.Map(tiles=None, location=[35.0, 41.0], zoom_start=6)
    tooltip = folium.GeoJsonTooltip(fields=["name", "controller_label", "status"], aliases=["", "held by", "status"])
    # Points as circles (folium's default markers need images from a CDN).
    marker = folium.CircleMarker(radius=5)
    folium.GeoJson(collection, style_function=style, tooltip=tooltip, marker=marker).add_to(fmap)
    return fmap
