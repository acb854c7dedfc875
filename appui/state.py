"""The view in the session, in one typed place: restored from the URL, changed by widgets and the map, written back.

`View` is the canonical state (the date, the compared date, the selected place, the palette, the shading);
it lives in the session state under `VIEW`. Widgets have their own keys (`Keys`) and callbacks that write the
view; before they are drawn, `sync_widgets` copies the view into them, so the map, a table or a typed date can
move the date and every widget follows. Two counters tell the map what Streamlit changed: ``date_seq`` moves
when a Streamlit control sets the date (the map then moves to it), ``focus_seq`` when Streamlit asks to show
a place (the map zooms to it). A date the map reported moves neither: the map already shows it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, cast

import streamlit as st

from controlmap.style import DEFAULT_PALETTE
from controlmap.web import search, viewstate

if TYPE_CHECKING:
    import pandas as pd

    import controlmap

ss = st.session_state
VIEW = "view"
FOUND_SHOWN = 8
"""Matches of a search listed to choose from."""


class Keys(StrEnum):
    """The session-state keys of the widgets and of what the page keeps between runs."""

    MAP = "map"
    TYPED = "w_typed"
    FIND = "w_find"
    FOUND = "w_found"
    MATCHES = "found"
    COMPARE_ON = "w_compare_on"
    COMPARE = "w_compare"
    PALETTE = "w_palette"
    TILES = "w_online_tiles"
    CHANGES = "w_changes"
    COMPARE_ROWS = "w_compare_rows"
    TIMELAPSE = "timelapse"


@dataclass
class View:
    """What the page shows; the one state the widgets, the map and the URL follow."""

    date: dt.date
    compare_date: dt.date
    compare_on: bool = False
    place: str | None = None
    focus_target: str | None = None
    """What the map last zoomed to: a place, or a group of places (its parts stay unselected)."""
    palette: str = DEFAULT_PALETTE
    shade: bool = True
    online_tiles: bool = False
    date_seq: int = 0
    """Moves each time Streamlit (not the map) sets the date."""
    focus_seq: int = 0
    """Moves each time Streamlit asks the map to zoom to ``place``."""
    url_problems: list[str] = field(default_factory=list)

    @property
    def compare(self) -> dt.date | None:
        """The date compared with, or None when not comparing."""
        return self.compare_date if self.compare_on else None

    def set_date(self, day: dt.date | None) -> None:
        """Move to a date from a Streamlit control: the map follows."""
        if day is not None and day != self.date:
            self.date = day
            self.date_seq += 1

    def focus(self, target: str | None, *, group: bool = False) -> None:
        """Have the map zoom to a place (selecting it) or to a group of places (selecting none of them)."""
        if not group:
            self.place = target
        self.focus_target = target
        self.focus_seq += 1


def view() -> View:
    """The session's view (`start_session` makes it)."""
    return cast("View", ss[VIEW])


def start_session(dataset: controlmap.Dataset) -> View:
    """Restore the view from the URL on the first run of a session; keep a sentence for each bad value."""
    if VIEW in ss:
        return view()
    query = {key: st.query_params.get_all(key) for key in st.query_params}
    restored, problems = viewstate.view_from_query(dataset, query)
    place = restored.place
    ss[VIEW] = View(
        date=restored.date,
        compare_date=restored.compare or dataset.coverage_start,
        compare_on=restored.compare is not None,
        place=place,
        focus_target=place,
        palette=restored.palette or DEFAULT_PALETTE,
        focus_seq=1 if place is not None else 0,
        url_problems=problems,
    )
    return view()


def keep_view_valid(dataset: controlmap.Dataset) -> None:
    """Keep the view inside the data, which may change under a running session."""
    shown = view()
    low, high = dataset.coverage_start, dataset.coverage_end
    if not low <= shown.date <= high:
        shown.set_date(min(max(shown.date, low), high))
    shown.compare_date = min(max(shown.compare_date, low), high)
    ids = {p.id for p in dataset.places}
    if shown.place is not None and shown.place not in ids:
        shown.place = None
    if shown.focus_target not in ids and shown.focus_target not in search.place_groups(dataset):
        shown.focus_target = None
    if shown.palette not in {p.id for p in dataset.palettes}:
        shown.palette = DEFAULT_PALETTE


def sync_widgets() -> None:
    """Show the view in the widgets, before they are drawn (only where they differ: a value just set stays)."""
    shown = view()
    for key, value in (
        (Keys.TYPED, shown.date),
        (Keys.COMPARE_ON, shown.compare_on),
        (Keys.COMPARE, shown.compare_date),
        (Keys.PALETTE, shown.palette),
        (Keys.TILES, shown.online_tiles),
    ):
        if ss.get(key) != value:
            ss[key] = value


def on_typed() -> None:
    """A date was typed."""
    view().set_date(ss[Keys.TYPED])


def on_find(dataset: controlmap.Dataset) -> None:
    """A name was typed in the search box: keep its matches, best first, and go to the best."""
    found = search.find_places(dataset, ss[Keys.FIND] or "", limit=FOUND_SHOWN)
    ss[Keys.MATCHES] = found
    ss[Keys.FOUND] = 0
    if found:
        go_to(found[0])


def on_found() -> None:
    """Another of the matches was chosen."""
    go_to(matches()[ss[Keys.FOUND]])


def matches() -> list[search.Found]:
    """The matches of the last search (none before the first)."""
    return list(ss.get(Keys.MATCHES) or [])


def go_to(found: search.Found) -> None:
    """Zoom to a place (and select it) or to a whole group (its parts stay unselected)."""
    view().focus(found.id, group=found.group)


def on_compare_on() -> None:
    """Comparing was switched on or off."""
    view().compare_on = bool(ss[Keys.COMPARE_ON])


def on_compare_date() -> None:
    """The date to compare with was changed."""
    if ss[Keys.COMPARE] is not None:
        view().compare_date = ss[Keys.COMPARE]


def on_palette() -> None:
    """Another palette was chosen."""
    view().palette = str(ss[Keys.PALETTE])


def on_tiles() -> None:
    """Online tiles were switched on or off (the map is rebuilt, keeping its view)."""
    view().online_tiles = bool(ss[Keys.TILES])


def on_change_pick(table: pd.DataFrame) -> None:
    """A row of the table of changes was chosen: show the map at its date, with its place selected."""
    rows = ss[Keys.CHANGES].selection.rows
    if rows:
        row = table.iloc[rows[0]]
        shown = view()
        shown.set_date(row["date"])
        shown.place = row["place_id"]


def on_compare_pick(table: pd.DataFrame) -> None:
    """A row of the comparison was chosen: select its place and zoom to it."""
    rows = ss[Keys.COMPARE_ROWS].selection.rows
    if rows:
        view().focus(str(table.iloc[rows[0]]["place_id"]))


def on_map_date() -> None:
    """The map reported a date (a drag ended, a key step, play): the page follows; the map already shows it."""
    reported = ss[Keys.MAP].date
    if reported:
        day = dt.date.fromisoformat(str(reported))
        view().date = day


def on_map_place(dataset: controlmap.Dataset) -> None:
    """A place was clicked on the map: select it (the map has ringed it already)."""
    reported = ss[Keys.MAP].place
    if reported in {p.id for p in dataset.places}:
        view().place = str(reported)


MAP_DRAWN = "map_drawn"


def on_map_drawn() -> None:
    """The map is on the screen: the rest of the page may follow (see `page_complete`)."""
    ss[MAP_DRAWN] = bool(ss[Keys.MAP].drawn)


def page_complete() -> bool:
    """Whether to draw the parts that wait for the map: the sidebar's controls and the table of changes.

    On a session's first run they wait until the map reports it is drawn, so the browser builds the map
    before it lays out the table and the widgets; any later run of the page draws them anyway.
    """
    return bool(ss.get(MAP_DRAWN)) or ss.get(PAGE_RUNS, 0) > 1


PAGE_RUNS = "page_runs"


def count_page_run() -> None:
    """Count the runs of the whole page in this session (not of its fragment)."""
    ss[PAGE_RUNS] = ss.get(PAGE_RUNS, 0) + 1


def complete_the_page() -> None:
    """From the fragment: once the map is drawn on a first run, rerun the whole page to draw the rest."""
    if ss.get(MAP_DRAWN) and ss.get(PAGE_RUNS, 0) == 1:
        ss[PAGE_RUNS] = 2
        st.rerun()


def on_map_shade() -> None:
    """The shading was switched on the map."""
    reported = ss[Keys.MAP].shade
    if reported is not None:
        view().shade = bool(reported)


@dataclass
class Shown:
    """What the map shows: kept current by the view on every run, read by downloads when pressed."""

    date: dt.date
    palette: str
    compare: dt.date | None = None


def shown() -> Shown:
    """The session's `Shown`, brought up to date with the view."""
    current = ss.get("shown")
    state = view()
    if not isinstance(current, Shown):
        current = ss["shown"] = Shown(date=state.date, palette=state.palette)
    current.date, current.palette, current.compare = state.date, state.palette, state.compare
    return current


def write_url() -> None:
    """Put the view in the URL so it can be shared."""
    state = view()
    query = viewstate.view_to_query(
        viewstate.View(date=state.date, compare=state.compare, place=state.place, palette=state.palette),
        default_palette=DEFAULT_PALETTE,
    )
    if {key: st.query_params.get(key) for key in st.query_params} != query:
        st.query_params.from_dict(query)
