"""Naive baselines for the time queries: what the vectorised code replaces, run in the same process."""

from __future__ import annotations

from typing import TYPE_CHECKING

from controlmap.model import UNKNOWN

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
