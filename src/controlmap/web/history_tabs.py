"""History at a glance: the timeline chart and the tables of changes, for the app (pure).

The chart is a Vega-Lite specification (built with Altair): one row per place, one bar per period in the
holder's colour from the same palette as the map, and a rule at the current date. Vega-Lite renders it in
the browser from the bundle the app already ships; the specification references no remote data.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

import pandas as pd

from controlmap.dates import format_date
from controlmap.model import UNKNOWN
from controlmap.style import DEFAULT_PALETTE, OUTLINE, STATUS_PATTERNS, palette_colours
from controlmap.timeline import change_events, changes_between, place_history

if TYPE_CHECKING:
    from controlmap.model import Dataset

UNKNOWN_LABEL = "Unknown"
NO_OPPONENT = "none"
ROW_HEIGHT = 20
"""Pixels per place in the timeline chart."""

TIMELINE_COLUMNS = [
    "place_id", "place", "start", "end", "holder", "status", "opponent", "from_label", "to_label", "sources",
]  # fmt: skip


def _place_labels(dataset: Dataset) -> dict[str, str]:
    """A unique row label per place: its name, with its id where two places share a name."""
    counts: dict[str, int] = {}
    for place in dataset.places:
        counts[place.name] = counts.get(place.name, 0) + 1
    return {p.id: p.name if counts[p.name] == 1 else f"{p.name} ({p.id})" for p in dataset.places}


def _holder_label(dataset: Dataset, faction_id: object) -> str:
    return UNKNOWN_LABEL if faction_id is None else dataset.faction(str(faction_id)).label


def _source_titles(dataset: Dataset, source_ids: object) -> str:
    ids = source_ids if isinstance(source_ids, tuple | list) else ()
    return "; ".join(dataset.source(s).title for s in ids if s in dataset.sources)


def timeline_frame(dataset: Dataset) -> pd.DataFrame:
    """One row per period (and per unknown gap) of every place, in the dataset's order.

    ``end`` is exclusive; an open end is the day after the data's range.
    """
    labels = _place_labels(dataset)
    after_end = dataset.coverage_end + dt.timedelta(days=1)
    rows: list[dict[str, Any]] = []
    for place in dataset.places:
        for row in place_history(dataset, place.id).itertuples(index=False):
            status = str(row.status)
            rows.append(
                {
                    "place_id": place.id,
                    "place": labels[place.id],
                    "start": pd.Timestamp(row.start),
                    "end": pd.Timestamp(after_end if row.end is None else row.end),
                    "holder": _holder_label(dataset, row.controller),
                    "status": STATUS_PATTERNS[status].label if status in STATUS_PATTERNS else status,
                    "opponent": _holder_label(dataset, row.opponents[0]) if row.opponents else NO_OPPONENT,
                    "from_label": format_date(row.start, row.start_precision),
                    "to_label": "" if row.end is None else format_date(row.end, row.end_precision),
                    "sources": _source_titles(dataset, row.sources),
                }
            )
    return pd.DataFrame(rows, columns=TIMELINE_COLUMNS)


def holder_scale(dataset: Dataset, palette: str = DEFAULT_PALETTE) -> tuple[list[str], list[str]]:
    """The colour scale of the chart: faction labels (legend order, then Unknown) and their palette colours."""
    colours = palette_colours(dataset, palette)
    domain = [f.label for f in dataset.factions] + [UNKNOWN_LABEL]
    return domain, [colours[f.id] for f in dataset.factions] + [colours[UNKNOWN]]


SHOWN_DATA = "shown_date"
COMPARED_DATA = "compared_date"
"""Names of the one-row datasets that place the rules: only they change when the date does. Neither is ever
empty: Vega warns of an infinite extent for a field with no value, so a rule not to be drawn gets the date
shown and ``visible`` 0."""
VISIBLE = "visible"


def timeline_spec(dataset: Dataset, frame: pd.DataFrame, *, palette: str = DEFAULT_PALETTE) -> dict[str, Any]:
    """The timeline as a Vega-Lite specification with no date marked yet (see `timeline_at`).

    A bar per period coloured by its holder, outlined like the map draws its status; a solid rule at the
    date shown and a dashed one at the date compared with, placed by two small named datasets so that
    moving the date changes data, not the chart.

    Parameters
    ----------
    dataset
        For the palette and the order of the rows.
    frame
        From `timeline_frame`.
    palette
        The palette id.
    """
    import altair as alt  # noqa: PLC0415 - a sixth of a second to import; only the chart needs it

    domain, colours = holder_scale(dataset, palette)
    patterns = list(STATUS_PATTERNS.values())
    status_domain = [p.label for p in patterns]
    order = list(dict.fromkeys(frame["place"]))
    x_axis = alt.Axis(format="%Y", orient="top", tickCount={"interval": "year", "step": 1}, grid=True)
    # Inline values, not a DataFrame: altair refuses DataFrames over 5,000 rows, and a dataset of a few
    # hundred places has more periods than that. Dates go as ISO text, which Vega-Lite parses for ":T".
    records = json.loads(frame.to_json(orient="records", date_format="iso"))
    bars = (
        alt.Chart(alt.InlineData(values=records))
        .mark_bar()
        .encode(
            x=alt.X("start:T", title=None, axis=x_axis),
            x2="end:T",
            y=alt.Y("place:N", sort=order, title=None, axis=alt.Axis(labelLimit=220, labelOverlap=False)),
            color=alt.Color("holder:N", scale=alt.Scale(domain=domain, range=colours), legend=None),
            # Status as on the map: a dashed (contested) or thick (besieged) outline in the opponent's colour.
            stroke=alt.Stroke(
                "opponent:N", scale=alt.Scale(domain=[*domain, NO_OPPONENT], range=[*colours, "#ffffff"]), legend=None
            ),
            strokeDash=alt.StrokeDash(
                "status:N", scale=alt.Scale(domain=status_domain, range=[_dash(p.dash) for p in patterns]), legend=None
            ),
            strokeWidth=alt.StrokeWidth(
                "status:O", scale=alt.Scale(domain=status_domain, range=[p.stroke_width for p in patterns]), legend=None
            ),
            tooltip=[
                alt.Tooltip("place:N", title="Place"),
                alt.Tooltip("holder:N", title="Held by"),
                alt.Tooltip("status:N", title="Status"),
                alt.Tooltip("from_label:N", title="From"),
                alt.Tooltip("to_label:N", title="Until"),
                alt.Tooltip("sources:N", title="Sources"),
            ],
        )
    )
    rules = [
        alt.Chart(alt.NamedData(name=name))
        .mark_rule(color=OUTLINE, strokeWidth=2, strokeDash=dash)
        .encode(
            x="date:T",
            opacity=alt.Opacity(f"{VISIBLE}:Q", scale=None),
            tooltip=[alt.Tooltip("date:T", title="Date", format="%-d %B %Y")],
        )
        for name, dash in ((SHOWN_DATA, [1, 0]), (COMPARED_DATA, [5, 3]))
    ]
    chart = alt.LayerChart(layer=[bars, *rules]).properties(height=timeline_height(len(order)))
    spec = chart.to_dict()
    spec["datasets"].update({SHOWN_DATA: [], COMPARED_DATA: []})
    return spec


def timeline_at(spec: dict[str, Any], *, day: dt.date, compare: dt.date | None = None) -> dict[str, Any]:
    """The timeline specification with its rules at ``day`` (and ``compare``): a shallow copy, cheap per date."""
    datasets = dict(spec["datasets"])
    datasets[SHOWN_DATA] = [{"date": day.isoformat(), VISIBLE: 1}]
    datasets[COMPARED_DATA] = [{"date": (compare or day).isoformat(), VISIBLE: 0 if compare is None else 1}]
    return {**spec, "datasets": datasets}


def timeline_chart(
    dataset: Dataset,
    frame: pd.DataFrame,
    *,
    day: dt.date,
    compare: dt.date | None = None,
    palette: str = DEFAULT_PALETTE,
) -> dict[str, Any]:
    """The timeline specification with the date shown (and the date compared with) marked.

    Parameters
    ----------
    dataset
        For the palette and the order of the rows.
    frame
        From `timeline_frame`.
    day
        The date the map shows.
    compare
        The date compared with, if any.
    palette
        The palette id.
    """
    return timeline_at(timeline_spec(dataset, frame, palette=palette), day=day, compare=compare)


def _dash(dash: str | None) -> list[float]:
    return [1.0, 0.0] if dash is None else [float(part) for part in dash.split()]


def timeline_height(rows: int) -> int:
    """The chart's height in pixels for this many places."""
    return max(80, ROW_HEIGHT * rows)


def changes_table(dataset: Dataset) -> pd.DataFrame:
    """Every change of hands or status, for a person to read: date, place, from, to, sources."""
    events = change_events(dataset)
    return pd.DataFrame(
        {
            "date": list(events["date"]),
            "place_id": list(events["place_id"]),
            "place": list(events["name"]),
            "from": _state_labels(dataset, events["from_controller"], events["from_status"]),
            "to": _state_labels(dataset, events["to_controller"], events["to_status"]),
            "precision": list(events["precision"]),
            "sources": [_source_titles(dataset, s) for s in events["sources"]],
        },
        columns=["date", "place_id", "place", "from", "to", "precision", "sources"],
    )


def compare_table(dataset: Dataset, first: dt.date, second: dt.date) -> pd.DataFrame:
    """What changed between two dates: place, the state at each date, when it last changed, and the sources."""
    changes = changes_between(dataset, first, second)
    return pd.DataFrame(
        {
            "place_id": list(changes["place_id"]),
            "place": list(changes["name"]),
            f"at {first.isoformat()}": _state_labels(dataset, changes["from_controller"], changes["from_status"]),
            f"at {second.isoformat()}": _state_labels(dataset, changes["to_controller"], changes["to_status"]),
            "changed on": [
                "" if not isinstance(d, dt.date) else format_date(d, p)
                for d, p in zip(changes["changed_on"], changes["precision"], strict=True)
            ],
            "sources": [_source_titles(dataset, s) for s in changes["sources"]],
        }
    )  # fmt: skip


def _state_labels(dataset: Dataset, controllers: pd.Series, statuses: pd.Series) -> list[str]:
    return [_state_label(dataset, c, s) for c, s in zip(controllers, statuses, strict=True)]


def _state_label(dataset: Dataset, controller: object, status: object) -> str:
    if controller is None or status == UNKNOWN:
        return UNKNOWN_LABEL
    holder = _holder_label(dataset, controller)
    return holder if status == "controlled" else f"{holder} ({status})"


def place_history_table(dataset: Dataset, frame: pd.DataFrame) -> pd.DataFrame:
    """A place's history (from `controlmap.place_history`) for a person to read: from, until, held by, sources."""
    return pd.DataFrame(
        {
            "from": [format_date(d, p) for d, p in zip(frame["start"], frame["start_precision"], strict=True)],
            "until": [
                "" if d is None else format_date(d, p)
                for d, p in zip(frame["end"], frame["end_precision"], strict=True)
            ],
            "held by": _state_labels(dataset, frame["controller"], frame["status"]),
            "sources": [_source_titles(dataset, s) for s in frame["sources"]],
        },
        columns=["from", "until", "held by", "sources"],
    )
