"""The view in the session: restored from the URL, kept valid, changed by widgets, written back to the URL.

The canonical state is ``date``, ``compare_on``, ``compare_date``, ``place`` (selected), ``focus`` (zoomed
to) and ``palette``. Widgets have their own keys (``w_*``) and callbacks that write the canonical state;
before the widgets are drawn, `sync_view_widgets` and `sync_sidebar_widgets` copy the canonical state into
them, so a button, a table, the map or the player can move the date and every widget follows.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

import streamlit as st

import controlmap
from controlmap.style import DEFAULT_PALETTE
from controlmap.web import popups, search, viewstate

if TYPE_CHECKING:
    import datetime as dt

    import pandas as pd

ss = st.session_state
FOUND_SHOWN = 8
"""Matches of a search listed to choose from."""


@dataclass
class Shown:
    """What the map shows: kept current by the view on every run, read by downloads when pressed."""

    date: dt.date
    palette: str
    compare: dt.date | None = None


def shown() -> Shown:
    """The session's `Shown`, brought up to date with the view."""
    current = ss.get("shown")
    if not isinstance(current, Shown):
        current = ss.shown = Shown(date=ss.date, palette=ss.palette)
    current.date, current.palette, current.compare = ss.date, ss.palette, current_compare()
    return current


def start_session(dataset: controlmap.Dataset) -> None:
    """Restore the view from the URL on the first run of a session; keep a sentence for each bad value."""
    if "date" in ss:
        return
    query = {key: st.query_params.get_all(key) for key in st.query_params}
    view, problems = viewstate.view_from_query(dataset, query)
    ss.date = view.date
    ss.compare_on = view.compare is not None
    ss.compare_date = view.compare or dataset.coverage_start
    ss.place = view.place
    ss.focus = view.place
    ss.palette = view.palette or DEFAULT_PALETTE
    ss.url_problems = problems
    ss.last_click = 0


def keep_view_valid(dataset: controlmap.Dataset) -> None:
    """Keep the view inside the data, which may change under a running session."""
    low, high = dataset.coverage_start, dataset.coverage_end
    ss.date = min(max(ss.date, low), high)
    ss.compare_date = min(max(ss.compare_date, low), high)
    ids = {p.id for p in dataset.places}
    if ss.place not in ids:
        ss.place = None
    if ss.focus not in ids and ss.focus not in search.place_groups(dataset):
        ss.focus = None
    if ss.palette not in {p.id for p in dataset.palettes}:
        ss.palette = DEFAULT_PALETTE


def _sync(pairs: tuple[tuple[str, object], ...]) -> None:
    # Written only where they differ, so a value the user has just set is not sent back to the browser.
    for key, value in pairs:
        if ss.get(key) != value:
            ss[key] = value


def sync_view_widgets() -> None:
    """Show the date in the date widgets (before they are drawn)."""
    _sync((("w_slider", ss.date), ("w_typed", ss.date)))


def sync_sidebar_widgets() -> None:
    """Show the compared date in the sidebar's widget (before it is drawn)."""
    _sync((("w_compare", ss.compare_date),))


def current_compare() -> dt.date | None:
    """The date compared with, or None when not comparing."""
    return ss.compare_date if ss.compare_on else None


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


def on_find(dataset: controlmap.Dataset) -> None:
    """A name was typed in the search box: keep its matches, best first, and go to the best."""
    ss.found = search.find_places(dataset, ss.w_find or "", limit=FOUND_SHOWN)
    ss.w_found = 0
    if ss.found:
        go_to(ss.found[0])


def on_found() -> None:
    """Another of the matches was chosen."""
    go_to(ss.found[ss.w_found])


def go_to(found: search.Found) -> None:
    """Zoom to a place (and select it) or to a whole group (its parts stay unselected)."""
    ss.focus = found.id
    if not found.group:
        ss.place = found.id


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


def on_map_report(dataset: controlmap.Dataset, clicks: object, tooltip: object) -> None:
    """What the map reported: how many clicks on places so far (0 once it is drawn) and the last one's tooltip.

    The map reports the same values on every run until the next click, so only a new count selects the
    place clicked.
    """
    if not isinstance(clicks, int):
        return
    if not ss.get("map_reported"):
        # The map is drawn: now the whole page, with the parts that waited for it (this ran in the view).
        ss.map_reported = True
        ss.last_click = clicks
        st.rerun()
    if clicks == ss.last_click:
        return
    ss.last_click = clicks
    place = popups.place_from_text(tooltip)
    if place is not None and place in {p.id for p in dataset.places}:
        ss.place = place


def map_ready() -> bool:
    """Whether the page has more than its first run, or the map has reported that it is drawn."""
    return bool(ss.get("map_reported")) or ss.get("runs", 0) > 1


def count_run() -> None:
    """Count the runs of this session's page (see `map_ready`)."""
    ss.runs = ss.get("runs", 0) + 1


def on_play() -> None:
    """Play was switched on or off, or its speed changed: rerun the whole page to (re)start its timer."""
    ss.last_tick = 0.0
    st.rerun()


def play_tick(dataset: controlmap.Dataset, seconds: float) -> None:
    """While playing, move to the next change date when a tick is due; stop after the last one.

    Called at the start of every run of the view; it moves the date only when ``seconds`` have passed since
    the last move (the view also reruns for other reasons). Stopping reruns the whole page, which stops
    the timer.
    """
    if not ss.get("playing"):
        return
    now = time.monotonic()
    if now - ss.get("last_tick", 0.0) < 0.8 * seconds:
        return
    ss.last_tick = now
    following = controlmap.next_change(dataset, ss.date)
    if following is None:
        ss.playing = False
        st.rerun()
    ss.date = following


def write_url() -> None:
    """Put the view in the URL so it can be shared."""
    view = viewstate.View(date=ss.date, compare=current_compare(), place=ss.place, palette=ss.palette)
    query = viewstate.view_to_query(view, default_palette=DEFAULT_PALETTE)
    if {key: st.query_params.get(key) for key in st.query_params} != query:
        st.query_params.from_dict(query)
