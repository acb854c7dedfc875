"""A naive Streamlit map app, the baseline of the app's slider-to-repaint benchmark.

Every date change builds a new folium map with a per-feature ``style_function`` and hands it to
``st_folium`` whole (no ``feature_group_to_add``), so the browser rebuilds the map and every place.
It reads ``$CONTROLMAP_DATA`` and ``?date=`` and labels its slider as the app does, so
``scripts/measure_app.py --app benchmarks/naive_app.py`` measures it the same way. Run it from the
repository's root with ``python -m streamlit run benchmarks/naive_app.py`` (``-m`` puts the root on the path).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import streamlit as st
from streamlit_folium import st_folium

import controlmap
from appui import data
from benchmarks.queries import naive_map
from controlmap.io import default_data_dir


@st.cache_resource
def load(path: str) -> controlmap.Dataset:
    """The dataset, read once (a naive app still caches this)."""
    return controlmap.dataset_from_dir(path)


def main() -> None:
    """The page: a slider and the map at its date."""
    st.set_page_config(page_title="naive map", layout="wide")
    dataset = load(str(default_data_dir()))
    if "w_slider" not in st.session_state:
        wanted = st.query_params.get("date")
        st.session_state.w_slider = dt.date.fromisoformat(wanted) if wanted else dataset.coverage_end
    day = st.slider(
        "Date on the map", min_value=dataset.coverage_start, max_value=dataset.coverage_end,
        step=dt.timedelta(days=1), format="D MMM YYYY", key="w_slider", label_visibility="collapsed",
    )  # fmt: skip
    fmap = naive_map(dataset, day)
    # Leaflet from this server (./static beside this script), as the app has it: folium's come from CDNs.
    js_url, css_url = data.leaflet_urls(Path(__file__).resolve().parent / "static")
    fmap.default_js = [("leaflet", js_url)]
    fmap.default_css = [("leaflet_css", css_url)]
    st_folium(fmap, key="map", height=620, use_container_width=True, returned_objects=[])


main()
