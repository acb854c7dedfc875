"""controlmap in the browser: ``streamlit run app.py [-- --data GEODATA_DIR]``.

A thin client of the library: the page's layout and widgets. Cached loaders, the session's view state, the
map component and the download buttons are in `appui`; the map's engine, its HTML, the URL view state and the
history views come from `controlmap`.

The map is a component that draws in the browser: its slider recolours the map as it is dragged and reports
the date when the drag ends; the card, the comparison and the URL then follow. ``?page=article`` opens the
article page (``pages/1_From_article_to_map.py``) at the same address.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import streamlit as st

import controlmap
from appui import data, map_component, state
from appui.state import Keys
from controlmap.web import history_tabs as history
from controlmap.web import popups

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Sequence

    from streamlit.delta_generator import DeltaGenerator

STATIC_DIR = Path(__file__).resolve().parent / "static"
PAGE_KEY, ARTICLE_PAGE = "page", "article"
ARTICLE_SCRIPT = Path(__file__).resolve().parent / "pages" / "1_From_article_to_map.py"
MAP_HEIGHT = 600


def sidebar_head(dataset: controlmap.Dataset) -> None:
    """The sidebar's title and the link to the article page."""
    with st.sidebar:
        st.title("controlmap")
        st.caption(dataset.title)
        st.markdown(f"[From article to map](?{PAGE_KEY}={ARTICLE_PAGE}): read an article's claims into the data")


def sidebar(loaded: data.Loaded) -> None:
    """Search, comparison, palette, the basemap option and the downloads."""
    dataset = loaded.dataset
    with st.sidebar:
        find_place(dataset)
        st.toggle("Compare with another date", key=Keys.COMPARE_ON, on_change=state.on_compare_on)
        if state.view().compare_on:
            st.date_input(
                "Compared with", key=Keys.COMPARE, min_value=dataset.coverage_start,
                max_value=dataset.coverage_end, format="YYYY-MM-DD", on_change=state.on_compare_date,
            )  # fmt: skip
        palettes = {p.id: p.label for p in dataset.palettes}
        st.radio(
            "Colours", options=list(palettes), format_func=palettes.__getitem__, key=Keys.PALETTE,
            on_change=state.on_palette,
        )  # fmt: skip
        st.toggle(
            "Online map tiles", key=Keys.TILES, on_change=state.on_tiles,
            help="Draws OpenStreetMap tiles under the map: this loads images from tile.openstreetmap.org.",
        )  # fmt: skip
        with st.expander("Download"):
            from appui import downloads  # noqa: PLC0415 - the exporters import slowly; not needed for the map

            downloads.downloads(loaded, state.shown())


def find_place(dataset: controlmap.Dataset) -> None:
    """The search box: Enter zooms to the best match; the other matches (a group and its parts) stay to choose."""
    st.text_input(
        "Find a place", key=Keys.FIND, on_change=state.on_find, args=(dataset,),
        placeholder="Name, Arabic name or other name",
        help="Any of its names, in any spelling the data knows; a group (the Manbij pocket) shows all its parts.",
    )  # fmt: skip
    found = state.matches()
    if found:
        st.radio(
            "Matches", options=list(range(len(found))), key=Keys.FOUND, on_change=state.on_found,
            format_func=lambda i: data.markdown_escape(found[i].label()), label_visibility="collapsed",
        )  # fmt: skip
    elif st.session_state.get(Keys.FIND):
        st.caption("No place or group has a name like that.")


def show_map(loaded: data.Loaded) -> None:
    """The map, its slider and its legend: built once in the browser, then only told what changed."""
    view = state.view()
    assets = data.map_assets(loaded, STATIC_DIR, view.online_tiles, MAP_HEIGHT)
    compare = view.compare
    map_component.live_map(
        {
            **assets,
            "date": view.date.isoformat(),
            "date_seq": view.date_seq,
            "compare": None if compare is None else compare.isoformat(),
            "place": view.place,
            "focus": view.focus_target,
            "focus_seq": view.focus_seq,
            "palette": view.palette,
            "shade": view.shade,
        },
        key=Keys.MAP,
        on_date=state.on_map_date,
        on_place=lambda: state.on_map_place(loaded.dataset),
        on_shade=state.on_map_shade,
        on_drawn=state.on_map_drawn,
    )
    state.complete_the_page()


def date_box(dataset: controlmap.Dataset) -> None:
    """The date typed, under the map (on a phone, the map comes first)."""
    st.date_input(
        "Date", key=Keys.TYPED, min_value=dataset.coverage_start, max_value=dataset.coverage_end,
        format="YYYY-MM-DD", on_change=state.on_typed,
        help="Or drag the slider under the map; arrow keys step a day, Page Up / Page Down a change.",
    )  # fmt: skip


def place_panel(dataset: controlmap.Dataset, snap: controlmap.Snapshot) -> None:
    """The selected place: its state on the date with its sources, and its whole history."""
    view = state.view()
    if view.place is None:
        st.caption("Hover over a place to see who held it; click it (or find it by name) for its sources.")
        return
    place = dataset.place(view.place)
    colours = controlmap.palette_colours(dataset, view.palette)
    props = controlmap.place_properties(dataset, place, snap.period(dataset.place_position(place.id)), colours)
    st.html(popups.popup_html(props))


def place_history(dataset: controlmap.Dataset) -> None:
    """The selected place's whole history, across the page's width so every column shows, sources wrapped."""
    place = state.view().place
    if place is None:
        return
    with st.expander("Whole history"):
        table = history.place_history_table(dataset, controlmap.place_history(dataset, place))
        st.table(table, hide_index=True, border="horizontal")


def changes(loaded: data.Loaded) -> None:
    """The table of every change; choosing one moves the map to its date."""
    table = data.changes_frame(loaded)
    st.caption("Choose a change to show the map at its date.")
    st.dataframe(
        table, key=Keys.CHANGES, on_select=lambda: state.on_change_pick(table), selection_mode="single-row",
        hide_index=True, column_order=["date", "place", "from", "to", "sources"], width="stretch", height=320,
    )  # fmt: skip


def comparison(dataset: controlmap.Dataset, compare: dt.date | None) -> None:
    """What changed between the compared date and the date shown."""
    view = state.view()
    if compare is None:
        st.caption("Turn on “Compare with another date” in the sidebar to list what changed hands.")
        return
    compared = history.compare_table(dataset, compare, view.date)
    st.caption(
        f"{len(compared)} place{'s' if len(compared) != 1 else ''} changed between "
        f"{controlmap.format_date(compare)} and {controlmap.format_date(view.date)}: ringed with a dotted line "
        "on the map. Choose one to zoom to it."
    )
    st.dataframe(
        compared, key=Keys.COMPARE_ROWS, on_select=lambda: state.on_compare_pick(compared),
        selection_mode="single-row", hide_index=True, width="stretch",
        column_order=[c for c in compared.columns if c != "place_id"],
    )  # fmt: skip


def view(loaded: data.Loaded, tabs: Sequence[DeltaGenerator]) -> None:
    """Everything that follows the date: the map and its timeline, the typed date, the place, the comparison.

    A fragment: the map reporting a date reruns only this, not the sidebar nor the table of changes; the
    tabs (changes, comparison) are drawn outside it and this fills the second.
    """
    dataset = loaded.dataset
    state.sync_widgets()
    map_col, side_col = st.columns([3, 1])
    with map_col:
        show_map(loaded)
        date_box(dataset)
    shown = state.view()
    snap = controlmap.snapshot(dataset, shown.date)
    with side_col:
        place_panel(dataset, snap)
    place_history(dataset)
    with tabs[1]:
        comparison(dataset, shown.compare)
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
    shown = state.start_session(dataset)
    state.count_page_run()
    state.keep_view_valid(dataset)
    st.html(f"<style>{popups.popup_css()}</style>")
    sidebar_head(dataset)
    for problem in shown.url_problems:
        st.warning(problem, icon="⚠️")
    view_box = st.container()
    tabs = st.tabs(["Changes", "Compare dates"])
    with view_box:
        st.fragment(view, key="view")(loaded, tabs)
    # On a first visit the table of changes and the sidebar's controls wait for the map to be drawn: the
    # browser then builds the map first (a table of every change is the page's largest element).
    if state.page_complete():
        with tabs[0]:
            changes(loaded)
        sidebar(loaded)
    else:
        tabs[0].caption("The table of changes appears once the map is drawn…")


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
