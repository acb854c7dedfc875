"""The app's map as a bidirectional Streamlit component (components v2, in the page, no iframe).

The component's own script is a small loader: it brings Leaflet and the time engine (``controlmap/web``) into
the page once, and hands the engine what Streamlit sends. The heavy parts never travel with a rerun: the
engine's payload (geometry and histories) and folium's base map are files this server serves from
``./static`` under names made from their content, fetched once by the browser. A rerun sends only the view:
the date (with a counter that moves only when Streamlit changes it), the compared date, the selected place,
the palette and the shading.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

import streamlit as st

if TYPE_CHECKING:
    from collections.abc import Callable

    from streamlit.components.v2.bidi_component import ComponentResult

LOADER_JS: Final = """
export default function (component) {
  const data = component.data;
  const assets = window.__controlmapAssets || (window.__controlmapAssets = {});
  function load(url, kind) {
    if (!assets[url]) {
      assets[url] = new Promise(function (resolve, reject) {
        const node = document.createElement(kind === "css" ? "link" : "script");
        if (kind === "css") {
          node.rel = "stylesheet";
          node.href = url;
        } else {
          node.async = false;  // fetched together, run in the order added: Leaflet, then the engine
          node.src = url;
        }
        node.onload = resolve;
        node.onerror = function () { reject(new Error("controlmap: cannot load " + url)); };
        document.head.appendChild(node);
      });
    }
    return assets[url];
  }
  // Everything is asked for at once; the engine's data and base map too (the engine takes these promises).
  const fetches = window.__controlmapFetches || (window.__controlmapFetches = {});
  [[data.payload, "json"], [data.basemap, "text"]].forEach(function (pair) {
    if (!fetches[pair[0]]) {
      fetches[pair[0]] = fetch(pair[0]).then(function (response) {
        if (!response.ok) { throw new Error("controlmap: " + pair[0] + " answered " + response.status); }
        return pair[1] === "json" ? response.json() : response.text();
      });
    }
  });
  return Promise.all([
    load(data.leaflet_css, "css"), load(data.engine_css, "css"), load(data.leaflet_js, "js"),
    load(data.engine_js, "js"),
  ]).then(function () {
    return window.ControlmapEngine.mountInStreamlit(component.parentElement, data, component.setStateValue);
  });
}
"""
"""Loads the assets once per page, all at once (they persist across reruns), then mounts or updates the engine."""

_COMPONENT = st.components.v2.component("controlmap.map", js=LOADER_JS, isolate_styles=False)


def live_map(
    data: dict[str, Any],
    *,
    key: str,
    on_date: Callable[[], None],
    on_place: Callable[[], None],
    on_shade: Callable[[], None],
    on_drawn: Callable[[], None],
) -> ComponentResult:
    """Mount the map with ``data`` (assets' URLs and the view); the callbacks run when the map reports.

    The map reports ``date`` (the end of a drag, a key step after a pause, a step of play), ``place`` (a
    click on a place), ``shade`` (the shading toggle) and, once, ``drawn`` (the map is on the screen).
    """
    return _COMPONENT(
        key=key,
        data=data,
        default={"date": None, "place": None, "shade": None, "drawn": None},
        on_date_change=on_date,
        on_place_change=on_place,
        on_shade_change=on_shade,
        on_drawn_change=on_drawn,
    )
