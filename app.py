"""controlmap in the browser: ``streamlit run app.py [-- --data GEODATA_DIR]``.

A thin client of the library: widgets, session state and cache wrappers. The map, its HTML, the URL view
state and the history views all come from `controlmap`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import streamlit as st
from streamlit_folium import st_folium

import controlmap
from controlmap import history, popups, viewstate, webassets, webmap
from controlmap.basemap import BASEMAP_DIR, load_basemap
from controlmap.io import default_data_dir
from controlmap.style import DEFAULT_PALETTE

if TYPE_CHECKING:
    import pandas as pd

APP_DIR = Path(__file__).resolve().parent
STATIC_DIR = APP_DIR / "static"
MAP_KEY = "map"
MAP_HEIGHT = 620
PLAY_SPEEDS = {"slow": 2.0, "normal": 1.0, "fast": 0.5}
"""Seconds per change date when playing."""
FINGERPRINT = tuple[tuple[str, int, int], ...]

ss = st.session_state


# --- data, cached -----------------------------------------------------------------------------------------


def data_dir() -> Path:
    """The geodata directory: ``--data`` after ``--`` on the command line, else $CONTROLMAP_DATA, else geodata."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--data")
    known, _ = parser.parse_known_args(sys.argv[1:])
    return Path(known.data) if known.data else default_data_dir()


def fingerprint(directory: Path) -> FINGERPRINT:
    """Names, sizes and modification times of the data files: a new value reloads the data."""
    files = [*directory.glob("*.json"), *directory.glob("places/*.geojson"), *directory.glob(f"{BASEMAP_DIR}/*")]
    stats = []
    for path in sorted(files):
        try:
            stat = path.stat()
        except OSError:
            continue
        stats.append((str(path.relative_to(directory)), stat.st_size, stat.st_mtime_ns))
    return tuple(stats)


@st.cache_resource(show_spinner="Loading the geodata…", max_entries=4)
def load_dataset(path: str, stamp_key: int) -> controlmap.Dataset:
    """The dataset (validated), kept until its files change."""
    return controlmap.dataset_from_dir(path)


@st.cache_resource(max_entries=4)
def basemap_layers(path: str, stamp_key: int) -> dict[str, str]:
    """The basemap layers as script text, serialised once."""
    return webmap.basemap_js(load_basemap(path))


@st.cache_resource(max_entries=512)
def layer_text(_dataset: controlmap.Dataset, path: str, stamp_key: int, day: dt.date, palette: str) -> str:
    """The places at a date as script text: computed once per date and palette."""
    return webmap.features_js(webmap.layer_features(controlmap.snapshot(_dataset, day), palette=palette))


@st.cache_resource(max_entries=4)
def timeline_frame(_dataset: controlmap.Dataset, path: str, stamp_key: int) -> pd.DataFrame:
    """Every period of every place, for the timeline chart."""
    return history.timeline_frame(_dataset)


@st.cache_resource(max_entries=4)
def changes_frame(_dataset: controlmap.Dataset, path: str, stamp_key: int) -> pd.DataFrame:
    """Every change, for the table of changes."""
    return history.changes_table(_dataset)


@st.cache_resource
def leaflet_urls() -> tuple[str, str]:
    """Leaflet's script and stylesheet, served by this Streamlit server (or inlined when static serving is off)."""
    if st.get_option("server.enableStaticServing"):
        script, sheet = webassets.leaflet_to_dir(STATIC_DIR)
        base = "/" + str(st.get_option("server.baseUrlPath") or "").strip("/")
        prefix = f"{base.rstrip('/')}/app/static/"
        return prefix + script.relative_to(STATIC_DIR).as_posix(), prefix + sheet.relative_to(STATIC_DIR).as_posix()
    return (
        webassets.data_uri(webassets.leaflet_js(), "text/javascript"),
        webassets.data_uri(webassets.leaflet_css(), "text/css"),
    )


def markdown_escape(text: str) -> str:
    """Text shown literally in Streamlit's markdown (problem messages quote file contents)."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~$])", r"\\\1", text)


def show_data_problems(path: Path, error: controlmap.DataError) -> None:
    """Name every problem in the geodata, then stop the script."""
    count = len(error.problems)
    lines = "\n".join(f"- {markdown_escape(str(problem))}" for problem in error.problems[:200])
    more = f"\n- … and {count - 200} more" if count > 200 else ""
    st.error(
        f"The geodata in `{markdown_escape(str(path))}` has {count} problem{'s' if count != 1 else ''}, "
        f"so the map cannot be shown. Fix them (`controlmap validate {path}` lists them too):\n\n{lines}{more}",
        icon="🚫",
    )
    st.stop()


# --- session state ----------------------------------------------------------------------------------------


def start_session(dataset: controlmap.Dataset) -> None:
    """Restore the view from the URL on the first run of a session; note bad values to warn about."""
    if "date" in ss:
        return
    query = {key: st.query_params.get_all(key) for key in st.query_params}
    view, problems = viewstate.view_from_query(dataset, query)
    if view.place is None and isinstance(query.get(viewstate.PLACE_KEY), list):
        # A name instead of an id (?place=Mosul) still finds the place.
        wanted = query[viewstate.PLACE_KEY][-1]
        found = viewstate.find_places(dataset, wanted, limit=1)
        if found and dataset.place(found[0]).name.casefold() == wanted.strip().casefold():
            view = viewstate.View(view.date, view.compare, found[0], view.palette)
            problems = [p for p in problems if not p.startswith(f"URL parameter {viewstate.PLACE_KEY}=")]
    ss.date = view.date
    ss.compare_on = view.compare is not None
    ss.compare_date = view.compare or dataset.coverage_start
    ss.place = view.place
    ss.focus = view.place
    ss.palette = view.palette or DEFAULT_PALETTE
    ss.url_problems = problems
    ss.last_click = None


def keep_state_valid(dataset: controlmap.Dataset) -> None:
    """Keep the view inside the data when the data changes under a running session."""
    low, high = dataset.coverage_start, dataset.coverage_end
    ss.date = min(max(ss.date, low), high)
    ss.compare_date = min(max(ss.compare_date, low), high)
    ids = {p.id for p in dataset.places}
    if ss.place not in ids:
        ss.place = None
    if ss.focus not in ids:
        ss.focus = None
    if ss.palette not in {p.id for p in dataset.palettes}:
        ss.palette = DEFAULT_PALETTE
    # Widgets show the canonical state; written only when they differ so a value the user just set stays.
    synced = (("w_slider", ss.date), ("w_typed", ss.date), ("w_find", ss.place), ("w_compare", ss.compare_date))
    for key, value in synced:
        if ss.get(key) != value:
            ss[key] = value
    if ss.pop("stop_playing", False):
        ss.playing = False


def set_date(day: dt.date | None) -> None:
    """Move the map to a date (from a button, a table or the player)."""
    if day is not None:
        ss.date = day


def on_slider() -> None:
    """The slider moved."""
    set_date(ss.w_slider)


def on_typed() -> None:
    """A date was typed."""
    set_date(ss.w_typed)


def on_compare_date() -> None:
    """The date to compare with was changed."""
    if ss.w_compare is not None:
        ss.compare_date = ss.w_compare


def on_find() -> None:
    """A place was chosen in the search box: select it and zoom to it."""
    ss.place = ss.w_find
    ss.focus = ss.w_find


def on_change_pick(table: pd.DataFrame) -> None:
    """A row of the table of changes was chosen: show the map at its date, with its place selected."""
    rows = ss.w_changes.selection.rows
    if rows:
        row = table.iloc[rows[0]]
        set_date(row["date"])
        ss.place = row["place_id"]


def on_compare_pick(table: pd.DataFrame) -> None:
    """A row of the comparison was chosen: select its place and zoom to it."""
    rows = ss.w_compare_rows.selection.rows
    if rows:
        ss.place = ss.focus = table.iloc[rows[0]]["place_id"]


# --- page parts -------------------------------------------------------------------------------------------


def date_controls(dataset: controlmap.Dataset) -> None:
    """Previous/next change, the typed date, play, and the day slider over the data's whole range."""
    low, high = dataset.coverage_start, dataset.coverage_end
    previous = controlmap.previous_change(dataset, ss.date)
    following = controlmap.next_change(dataset, ss.date)
    prev_col, next_col, typed_col, play_col, speed_col = st.columns(
        [1.3, 1.3, 1.6, 1.2, 1.4], vertical_alignment="bottom"
    )
    prev_col.button(
        "◀ Previous change", key="b_prev", on_click=set_date, args=(previous,), disabled=previous is None,
        help=None if previous is None else f"Go to {controlmap.format_date(previous)}", width="stretch",
    )  # fmt: skip
    next_col.button(
        "Next change ▶", key="b_next", on_click=set_date, args=(following,), disabled=following is None,
        help=None if following is None else f"Go to {controlmap.format_date(following)}", width="stretch",
    )  # fmt: skip
    typed_col.date_input("Date", key="w_typed", min_value=low, max_value=high, format="YYYY-MM-DD", on_change=on_typed)
    play_col.toggle("Play changes", key="playing", help="Step through the change dates one after another")
    speed_col.select_slider("Speed", options=list(PLAY_SPEEDS), key="play_speed", value="normal")
    st.slider(
        "Date", min_value=low, max_value=high, step=dt.timedelta(days=1), format="D MMM YYYY",
        key="w_slider", on_change=on_slider, label_visibility="collapsed",
    )  # fmt: skip


def player(dataset: controlmap.Dataset, seconds: float) -> None:
    """While playing, move to the next change date on every tick; stop at the last one.

    The fragment also runs with every full run of the page; only a tick that comes after ``seconds`` moves.
    """
    now = time.monotonic()
    if not ss.get("playing") or now - ss.get("last_tick", 0.0) < 0.8 * seconds:
        return
    ss.last_tick = now
    following = controlmap.next_change(dataset, ss.date)
    if following is None:
        ss.stop_playing = True
    else:
        ss.date = following
    st.rerun(scope="app")


def sidebar(dataset: controlmap.Dataset) -> None:
    """Palette, search, comparison and the basemap option."""
    with st.sidebar:
        st.title("controlmap")
        st.caption(dataset.title)
        st.selectbox(
            "Find a place", options=[p.id for p in dataset.places], key="w_find", index=None,
            format_func=lambda place_id: viewstate.place_label(dataset, place_id), on_change=on_find,
            placeholder="Name, Arabic name or other name", help="Type any of its names; the map zooms to it.",
        )  # fmt: skip
        st.toggle("Compare with another date", key="compare_on")
        if ss.compare_on:
            st.date_input(
                "Compared with",
                key="w_compare",
                on_change=on_compare_date,
                min_value=dataset.coverage_start,
                max_value=dataset.coverage_end,
                format="YYYY-MM-DD",
            )
        palettes = {p.id: p.label for p in dataset.palettes}
        st.radio("Colours", options=list(palettes), format_func=palettes.__getitem__, key="palette")
        st.toggle(
            "Online map tiles", key="online_tiles", value=False,
            help="Draws OpenStreetMap tiles under the map: this loads images from tile.openstreetmap.org.",
        )  # fmt: skip


def show_map(dataset: controlmap.Dataset, path: str, stamp_key: int, changed: list[str]) -> None:
    """The base map (the same object every run, so zoom and pan survive) and the places at the date."""
    js_url, css_url = leaflet_urls()
    base = webmap.build_base_map(
        basemap_layers(path, stamp_key),
        bounds=webmap.places_bounds(dataset),
        leaflet_js_url=js_url,
        leaflet_css_url=css_url,
        online_tiles=bool(ss.get("online_tiles")),
        height=MAP_HEIGHT,
    )
    layer = webmap.dated_layer(layer_text(dataset, path, stamp_key, ss.date, ss.palette), changed=changed)
    centre, zoom = viewstate.place_focus(dataset, ss.focus) if ss.focus else (None, None)
    result = st_folium(
        base,
        key=MAP_KEY,
        feature_group_to_add=layer,
        returned_objects=["last_object_clicked", "last_object_clicked_tooltip"],
        height=MAP_HEIGHT,
        use_container_width=True,
        center=centre,
        zoom=zoom,
    )
    click = (str((result or {}).get("last_object_clicked")), (result or {}).get("last_object_clicked_tooltip"))
    if click != ss.last_click:
        ss.last_click = click
        clicked = popups.place_from_text(click[1])
        if clicked is not None and clicked in {p.id for p in dataset.places}:
            ss.place = clicked


def legend(dataset: controlmap.Dataset, snap: controlmap.Snapshot) -> None:
    """Who held how many places on the date, and how status is drawn."""
    st.markdown(f"**{controlmap.format_date(ss.date)}**")
    entries = controlmap.legend_entries(dataset, snap.faction_counts(), ss.palette)
    unknown = controlmap.palette_colours(dataset, ss.palette)[controlmap.UNKNOWN]
    st.html(popups.legend_html(entries, unknown_count=snap.unknown_count(), unknown_colour=unknown))
    st.caption("Dashed ring: contested, in the attacker's colour · thick ring: besieged · pale, dotted: unknown")


def place_panel(dataset: controlmap.Dataset, snap: controlmap.Snapshot) -> None:
    """The selected place: its state on the date with sources, and its whole history."""
    if ss.place is None:
        st.caption("Hover over a place for who held it; click it (or find it by name) for its sources.")
        return
    place = dataset.place(ss.place)
    colours = controlmap.palette_colours(dataset, ss.palette)
    props = controlmap.place_properties(dataset, place, snap.period(dataset.place_position(place.id)), colours)
    st.html(popups.popup_html(props))
    frame = controlmap.place_history(dataset, place.id)
    with st.expander("Whole history"):
        st.dataframe(
            history.place_history_table(dataset, frame),
            hide_index=True,
            width="stretch",
        )


def history_tabs(dataset: controlmap.Dataset, path: str, stamp_key: int, compare: dt.date | None) -> None:
    """The timeline chart, the table of changes, and the comparison."""
    timeline_tab, changes_tab, compare_tab = st.tabs(["Timeline", "Changes", "Compare dates"])
    with timeline_tab:
        chart = history.timeline_chart(
            dataset, timeline_frame(dataset, path, stamp_key), day=ss.date, compare=compare, palette=ss.palette
        )
        rows = len(dataset.places)
        st.altair_chart(chart, width="stretch", height=history.timeline_height(rows) + 40, key="timeline")
    with changes_tab:
        table = changes_frame(dataset, path, stamp_key)
        st.caption("Choose a change to show the map at its date.")
        st.dataframe(
            table, key="w_changes", on_select=lambda: on_change_pick(table), selection_mode="single-row",
            hide_index=True, column_order=["date", "place", "from", "to", "sources"], width="stretch", height=320,
        )  # fmt: skip
    with compare_tab:
        if compare is None:
            st.caption("Turn on “Compare with another date” in the sidebar to list what changed hands.")
        else:
            compared = history.compare_table(dataset, compare, ss.date)
            st.caption(
                f"{len(compared)} place{'s' if len(compared) != 1 else ''} changed between "
                f"{controlmap.format_date(compare)} and {controlmap.format_date(ss.date)} (ringed on the map)."
            )
            st.dataframe(
                compared, key="w_compare_rows", on_select=lambda: on_compare_pick(compared),
                selection_mode="single-row", hide_index=True, width="stretch",
                column_order=[c for c in compared.columns if c != "place_id"],
            )  # fmt: skip


def write_url(dataset: controlmap.Dataset, compare: dt.date | None) -> None:
    """Put the view in the URL so it can be shared."""
    view = viewstate.View(date=ss.date, compare=compare, place=ss.place, palette=ss.palette)
    query = viewstate.view_to_query(view, default_palette=DEFAULT_PALETTE)
    if {key: st.query_params.get(key) for key in st.query_params} != query:
        st.query_params.from_dict(query)


# --- the page ---------------------------------------------------------------------------------------------


def main() -> None:
    """The page."""
    st.set_page_config(page_title="controlmap", page_icon="🗺️", layout="wide")
    directory = data_dir()
    stamp = fingerprint(directory)
    stamp_key = hash(stamp)
    path = str(directory.resolve())
    try:
        dataset = load_dataset(path, stamp_key)
    except controlmap.DataError as error:
        show_data_problems(directory, error)
    start_session(dataset)
    keep_state_valid(dataset)
    st.html(f"<style>{popups.POPUP_CSS}</style>")
    for problem in ss.url_problems:
        st.warning(problem, icon="⚠️")

    sidebar(dataset)
    date_controls(dataset)
    speed = PLAY_SPEEDS.get(str(ss.get("play_speed")), 1.0)
    st.fragment(player, run_every=speed if ss.get("playing") else None)(dataset, speed)

    compare = ss.compare_date if ss.compare_on else None
    changed = [] if compare is None else list(controlmap.changes_between(dataset, compare, ss.date)["place_id"])
    snap = controlmap.snapshot(dataset, ss.date)
    map_col, side_col = st.columns([3, 1])
    with map_col:
        show_map(dataset, path, stamp_key, changed)
    with side_col:
        legend(dataset, snap)
        if compare is not None:
            st.markdown(f"**{len(changed)}** changed since {controlmap.format_date(compare)} (magenta rings)")
        place_panel(dataset, snap)
    history_tabs(dataset, path, stamp_key, compare)
    write_url(dataset, compare)


if __name__ == "__main__":
    main()
