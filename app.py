"""controlmap in the browser: ``streamlit run app.py [-- --data GEODATA_DIR]``.

A thin client of the library: the page's layout and widgets. Cached loaders, the session's view state and
the download buttons are in `appui`; the map, its HTML, the URL view state and the history views come
from `controlmap`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import streamlit as st
from streamlit_folium import st_folium

import controlmap
from appui import data, state
from controlmap.web import folium_map as webmap
from controlmap.web import history_tabs as history
from controlmap.web import popups, search, viewstate

if TYPE_CHECKING:
    from collections.abc import Sequence

    from streamlit.delta_generator import DeltaGenerator

STATIC_DIR = Path(__file__).resolve().parent / "static"
PAGE_KEY, ARTICLE_PAGE = "page", "article"
ARTICLE_SCRIPT = Path(__file__).resolve().parent / "pages" / "1_From_article_to_map.py"
MAP_KEY = "map"
MAP_HEIGHT = 620
# Seconds per change date when playing.
PLAY_SPEEDS = {"slow": 2.0, "normal": 1.0, "fast": 0.5}

ss = st.session_state


def date_controls(dataset: controlmap.Dataset) -> None:
    """Previous/next change, the typed date, play, and the day slider over the data's whole range."""
    low, high = dataset.coverage_start, dataset.coverage_end
    previous = controlmap.previous_change(dataset, ss.date)
    following = controlmap.next_change(dataset, ss.date)
    prev_col, next_col, typed_col, play_col, speed_col = st.columns(
        [1.3, 1.3, 1.6, 1.2, 1.4], vertical_alignment="bottom"
    )
    prev_col.button(
        "◀ Previous change", key="b_prev", on_click=state.set_date, args=(previous,), disabled=previous is None,
        help=None if previous is None else f"Go to {controlmap.format_date(previous)}", width="stretch",
    )  # fmt: skip
    next_col.button(
        "Next change ▶", key="b_next", on_click=state.set_date, args=(following,), disabled=following is None,
        help=None if following is None else f"Go to {controlmap.format_date(following)}", width="stretch",
    )  # fmt: skip
    typed_col.date_input(
        "Date", key="w_typed", min_value=low, max_value=high, format="YYYY-MM-DD", on_change=state.on_typed
    )
    play_col.toggle(
        "Play changes", key="playing", on_change=state.on_play, help="Step through the change dates one after another"
    )
    speed_col.select_slider(
        "Speed", options=list(PLAY_SPEEDS), key="play_speed", value="normal", on_change=state.on_play
    )
    st.slider(
        "Date on the map", min_value=low, max_value=high, step=dt.timedelta(days=1), format="D MMM YYYY",
        key="w_slider", on_change=state.on_slider, label_visibility="collapsed",
    )  # fmt: skip


def sidebar_head(dataset: controlmap.Dataset) -> None:
    """The sidebar's title and the link to the article page, from the first run: the map keeps its width."""
    with st.sidebar:
        st.title("controlmap")
        st.caption(dataset.title)
        st.markdown(f"[From article to map](?{PAGE_KEY}={ARTICLE_PAGE}): read an article's claims into the data")


def sidebar(loaded: data.Loaded) -> None:
    """Search, comparison, palette, the basemap option and the downloads."""
    dataset = loaded.dataset
    with st.sidebar:
        find_place(dataset)
        st.toggle("Compare with another date", key="compare_on")
        if ss.compare_on:
            st.date_input(
                "Compared with", key="w_compare", min_value=dataset.coverage_start,
                max_value=dataset.coverage_end, format="YYYY-MM-DD", on_change=state.on_compare_date,
            )  # fmt: skip
        palettes = {p.id: p.label for p in dataset.palettes}
        st.radio("Colours", options=list(palettes), format_func=palettes.__getitem__, key="palette")
        st.toggle(
            "Online map tiles", key="online_tiles", value=False,
            help="Draws OpenStreetMap tiles under the map: this loads images from tile.openstreetmap.org.",
        )  # fmt: skip
        with st.expander("Download"):
            from appui import downloads  # noqa: PLC0415 - the exporters import slowly; not needed for the map

            downloads.downloads(loaded, state.shown())


def find_place(dataset: controlmap.Dataset) -> None:
    """The search box: Enter zooms to the best match; the other matches (a group and its parts) stay to choose."""
    st.text_input(
        "Find a place", key="w_find", on_change=state.on_find, args=(dataset,),
        placeholder="Name, Arabic name or other name",
        help="Any of its names, in any spelling the data knows; a group (the Manbij pocket) shows all its parts.",
    )  # fmt: skip
    found: list[search.Found] = ss.get("found") or []
    if found:
        st.radio(
            "Matches", options=list(range(len(found))), key="w_found", on_change=state.on_found,
            format_func=lambda i: data.markdown_escape(found[i].label()), label_visibility="collapsed",
        )  # fmt: skip
    elif ss.get("w_find") and not found:
        st.caption("No place or group has a name like that.")


def show_map(loaded: data.Loaded, changed: list[str]) -> None:
    """The base map (the same script every run, so the browser keeps its zoom and pan) and the places at the date."""
    dataset = loaded.dataset
    js_url, css_url = data.leaflet_urls(STATIC_DIR)
    served = data.static_serving()
    base = webmap.build_base_map(
        None if served else data.basemap_layers(loaded),
        layer_urls=data.basemap_urls(loaded, STATIC_DIR) if served else None,
        bounds=webmap.places_bounds(dataset),
        leaflet_js_url=js_url,
        leaflet_css_url=css_url,
        online_tiles=bool(ss.get("online_tiles")),
        height=MAP_HEIGHT,
    )
    layer = webmap.dated_layer(data.layer_text(loaded, ss.date, ss.palette), changed=changed)
    centre, zoom = viewstate.place_focus(dataset, ss.focus) if ss.focus else (None, None)
    result = st_folium(
        base,
        key=MAP_KEY,
        feature_group_to_add=layer,
        # Only clicks on places come back (and, once, the count of clicks, 0, when the map is ready):
        # panning, zooming and hovering do not rerun the page.
        returned_objects=["last_object_clicked_tooltip", "last_object_clicked_count"],
        height=MAP_HEIGHT,
        use_container_width=True,
        center=centre,
        zoom=zoom,
    )
    result = result or {}
    state.on_map_report(dataset, result.get("last_object_clicked_count"), result.get("last_object_clicked_tooltip"))


def legend(dataset: controlmap.Dataset, snap: controlmap.Snapshot, compare: dt.date | None, changed: int) -> None:
    """Who held how many places on the date, how status is drawn and, when comparing, how many changed."""
    entries = controlmap.legend_entries(dataset, snap.faction_counts(), ss.palette)
    unknown = controlmap.palette_colours(dataset, ss.palette)[controlmap.UNKNOWN]
    notes = ["Dashed ring: contested, in the attacker's colour · thick ring: besieged · pale, dotted: unknown"]
    if compare is not None:
        notes.append(
            f"{changed} place{'s' if changed != 1 else ''} changed since {controlmap.format_date(compare)} "
            "(ringed in magenta)"
        )
    title = controlmap.format_date(ss.date)
    st.html(
        popups.legend_html(
            entries, unknown_count=snap.unknown_count(), unknown_colour=unknown, title=title, notes=notes
        )
    )


def place_panel(dataset: controlmap.Dataset, snap: controlmap.Snapshot) -> None:
    """The selected place: its state on the date with its sources (its whole history is under the map)."""
    if ss.place is None:
        st.caption("Hover over a place to see who held it; click it (or find it by name) for its sources.")
        return
    place = dataset.place(ss.place)
    colours = controlmap.palette_colours(dataset, ss.palette)
    props = controlmap.place_properties(dataset, place, snap.period(dataset.place_position(place.id)), colours)
    st.html(popups.popup_html(props))


def place_history(dataset: controlmap.Dataset) -> None:
    """The selected place's whole history, across the page's width so every column shows, sources wrapped."""
    if ss.place is None:
        return
    with st.expander("Whole history"):
        table = history.place_history_table(dataset, controlmap.place_history(dataset, ss.place))
        st.table(table, hide_index=True, border="horizontal")


def timeline(loaded: data.Loaded, compare: dt.date | None) -> None:
    """The timeline chart, with rules at the date shown and the date compared with."""
    spec = history.timeline_at(data.timeline_spec(loaded, ss.palette), day=ss.date, compare=compare)
    height = history.timeline_height(len(loaded.dataset.places)) + 40
    st.vega_lite_chart(spec, width="stretch", height=height, key="timeline")


def changes(loaded: data.Loaded) -> None:
    """The table of every change; choosing one moves the map to its date."""
    table = data.changes_frame(loaded)
    st.caption("Choose a change to show the map at its date.")
    st.dataframe(
        table, key="w_changes", on_select=lambda: state.on_change_pick(table), selection_mode="single-row",
        hide_index=True, column_order=["date", "place", "from", "to", "sources"], width="stretch", height=320,
    )  # fmt: skip


def comparison(dataset: controlmap.Dataset, compare: dt.date | None) -> None:
    """What changed between the compared date and the date shown."""
    if compare is None:
        st.caption("Turn on “Compare with another date” in the sidebar to list what changed hands.")
        return
    compared = history.compare_table(dataset, compare, ss.date)
    st.caption(
        f"{len(compared)} place{'s' if len(compared) != 1 else ''} changed between "
        f"{controlmap.format_date(compare)} and {controlmap.format_date(ss.date)}. Choose one to zoom to it."
    )
    st.dataframe(
        compared, key="w_compare_rows", on_select=lambda: state.on_compare_pick(compared),
        selection_mode="single-row", hide_index=True, width="stretch",
        column_order=[c for c in compared.columns if c != "place_id"],
    )  # fmt: skip


def view(loaded: data.Loaded, seconds: float, tabs: Sequence[DeltaGenerator] | None) -> None:
    """Everything that follows the date: the controls, the map, the legend, the place, the timeline.

    A fragment: moving the date reruns only this, not the sidebar nor the table of changes. While playing
    it also reruns every ``seconds``, moving to the next change date. ``tabs`` (timeline, changes,
    comparison) are drawn outside it; it fills the first and the last, after the map.
    """
    dataset = loaded.dataset
    state.play_tick(dataset, seconds)
    state.sync_view_widgets()
    # The map is sent first (its place on the page is fixed by the containers), so the browser can start
    # drawing it while the rest of the page is still being computed.
    controls = st.container()
    map_col, side_col = st.columns([3, 1])
    compare = state.current_compare()
    changed = [] if compare is None else list(controlmap.changes_between(dataset, compare, ss.date)["place_id"])
    with map_col:
        show_map(loaded, changed)
    with controls:
        date_controls(dataset)
    snap = controlmap.snapshot(dataset, ss.date)
    with side_col:
        legend(dataset, snap, compare, len(changed))
        place_panel(dataset, snap)
    place_history(dataset)
    if tabs is not None:
        with tabs[0]:
            timeline(loaded, compare)
        with tabs[2]:
            comparison(dataset, compare)
    state.shown()
    state.write_url()


def map_page() -> None:
    """The map's page."""
    st.set_page_config(page_title="controlmap", page_icon="🗺️", layout="wide")
    directory = data.data_dir()
    try:
        loaded = data.load(directory)
    except controlmap.DataError as error:
        data.show_data_problems(directory, error)
        st.stop()
    dataset = loaded.dataset
    state.start_session(dataset)
    state.count_run()
    state.keep_view_valid(dataset)
    st.html(f"<style>{popups.popup_css()}</style>")
    sidebar_head(dataset)
    for problem in ss.url_problems:
        st.warning(problem, icon="⚠️")
    seconds = PLAY_SPEEDS.get(str(ss.get("play_speed")), 1.0)
    view_box = st.container()
    # The history waits for the map on a page's first run (the map's first report reruns the page): the
    # browser then builds the map before it loads and lays out the chart and the tables.
    tabs = st.tabs(["Timeline", "Changes", "Compare dates"]) if state.map_ready() else None
    if tabs is None:
        st.caption("The timeline and the tables of changes appear once the map is drawn…")
    with view_box:
        st.fragment(view, key="view", run_every=seconds if ss.get("playing") else None)(loaded, seconds, tabs)
    if tabs is not None:
        with tabs[1]:
            changes(loaded)
    if state.map_ready():
        state.sync_sidebar_widgets()
        sidebar(loaded)


def main() -> None:
    """The map, or the article page with ``?page=article``: each at the server's root URL.

    Not Streamlit's own page paths (``/From_article_to_map``): a page opened at such a path makes Streamlit's
    frontend look for its server under that path first, two requests that fail with 404.
    """
    if st.query_params.get(PAGE_KEY) == ARTICLE_PAGE:
        page = st.Page(ARTICLE_SCRIPT, title="From article to map")
    else:
        page = st.Page(map_page, title="Map")
    st.navigation([page], position="hidden").run()


main()
