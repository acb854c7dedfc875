"""The app's tables of history: every change, what changed between two dates, one place's periods (pure).

The timeline itself is drawn in the browser by the map's engine (``engine_timeline.js``), beside the slider.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pandas as pd

from controlmap.dates import format_date
from controlmap.model import UNKNOWN
from controlmap.timeline import change_events, changes_between

if TYPE_CHECKING:
    from controlmap.model import Dataset

UNKNOWN_LABEL = "Unknown"


def _holder_label(dataset: Dataset, faction_id: object) -> str:
    return UNKNOWN_LABEL if faction_id is None else dataset.faction(str(faction_id)).label


def _source_titles(dataset: Dataset, source_ids: object) -> str:
    ids = source_ids if isinstance(source_ids, tuple | list) else ()
    return "; ".join(dataset.source(s).title for s in ids if s in dataset.sources)


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
