"""Property tests: the vectorised queries agree with a plain reading of the periods on random data."""

from __future__ import annotations

import datetime as dt

import shapely.geometry
from hypothesis import given, settings
from hypothesis import strategies as st

import controlmap
from controlmap.model import STATUSES, Dataset, Faction, Palette, Period, Place

START = dt.date(2013, 1, 1)
END = dt.date(2019, 12, 31)
SPAN = (END - START).days
FACTIONS = ("isis", "iraq_gov", "sdf", "syria_gov")


@st.composite
def histories(draw: st.DrawFn) -> tuple[Period, ...]:
    """Sorted, non-overlapping periods with random gaps, the last one possibly open."""
    cuts = sorted(draw(st.sets(st.integers(0, SPAN + 30), min_size=0, max_size=12)))
    periods = []
    ends: list[int | None] = [*cuts[1:], None] if cuts else []
    for first, second in zip(cuts, ends, strict=True):
        if draw(st.booleans()):  # leave a gap here
            continue
        status = draw(st.sampled_from(STATUSES))
        controller = draw(st.sampled_from(FACTIONS))
        opponents = () if status == "controlled" else (next(f for f in FACTIONS if f != controller),)
        periods.append(
            Period(
                start=START + dt.timedelta(days=first),
                start_precision="day",
                end=None if second is None else START + dt.timedelta(days=second),
                end_precision=None if second is None else "day",
                controller=controller,
                status=status,
                opponents=opponents,
                sources=("s",),
            )
        )
    return tuple(periods)


def dataset_of(all_histories: list[tuple[Period, ...]]) -> Dataset:
    point = shapely.geometry.Point(40.0, 35.0)
    return Dataset(
        title="random",
        coverage_start=START,
        coverage_end=END,
        places=tuple(
            Place(id=f"p{i}", name=f"P{i}", kind="town", country="SY", geometry=point, history=history)
            for i, history in enumerate(all_histories)
        ),
        factions=tuple(Faction(id=f, label=f, short_label=f, colours={"default": "#000000"}) for f in FACTIONS),
        palettes=(Palette(id="default", label="Default"),),
        unknown_colours={"default": "#cccccc"},
    )


def naive_state(place: Place, day: dt.date) -> tuple[str | None, str]:
    for period in place.history:
        if period.covers(day):
            return period.controller, period.status
    return None, controlmap.UNKNOWN


days = st.integers(0, SPAN).map(lambda n: START + dt.timedelta(days=n))


@settings(max_examples=150)
@given(st.lists(histories(), min_size=1, max_size=8), days)
def test_snapshot_agrees_with_the_naive_reading(all_histories: list[tuple[Period, ...]], day: dt.date) -> None:
    dataset = dataset_of(all_histories)
    snap = controlmap.snapshot(dataset, day)
    for position, place in enumerate(dataset.places):
        assert (snap.controllers[position], snap.statuses[position]) == naive_state(place, day)


@settings(max_examples=100)
@given(st.lists(histories(), min_size=1, max_size=6), days, days)
def test_changes_between_lists_exactly_the_places_whose_state_differs(
    all_histories: list[tuple[Period, ...]], first: dt.date, second: dt.date
) -> None:
    dataset = dataset_of(all_histories)
    expected = [p.id for p in dataset.places if naive_state(p, first) != naive_state(p, second)]
    changes = controlmap.changes_between(dataset, first, second)
    assert list(changes["place_id"]) == expected
    for row in changes.itertuples():
        assert row.changed_on is not None
        assert min(first, second) < row.changed_on <= max(first, second)


@settings(max_examples=100)
@given(st.lists(histories(), min_size=1, max_size=6))
def test_replaying_the_change_events_rebuilds_every_snapshot(all_histories: list[tuple[Period, ...]]) -> None:
    dataset = dataset_of(all_histories)
    state = {p.id: naive_state(p, START) for p in dataset.places}
    events = controlmap.change_events(dataset)
    dates = sorted({START, *events["date"], END})
    for day in dates:
        for event in events[events["date"] == day].itertuples():
            assert state[event.place_id] == (event.from_controller, event.from_status)
            state[event.place_id] = (event.to_controller, event.to_status)
        for place in dataset.places:
            assert state[place.id] == naive_state(place, day), (place.id, day)
    assert list(events["date"]) == sorted(events["date"])


def naive_change_dates(dataset: Dataset) -> list[dt.date]:
    """Days in the data's range on which some place's state differs from the day before.

    Checked only at period boundaries: a state cannot change anywhere else.
    """
    boundaries = {p.start for place in dataset.places for p in place.history}
    boundaries |= {p.end for place in dataset.places for p in place.history if p.end is not None}
    return sorted(
        day
        for day in boundaries
        if dataset.coverage_start < day <= dataset.coverage_end
        and any(naive_state(p, day) != naive_state(p, day - dt.timedelta(days=1)) for p in dataset.places)
    )


@settings(max_examples=100)
@given(st.lists(histories(), min_size=1, max_size=6), days)
def test_change_dates_and_the_jumps_agree_with_the_naive_reading(
    all_histories: list[tuple[Period, ...]], day: dt.date
) -> None:
    dataset = dataset_of(all_histories)
    expected = naive_change_dates(dataset)
    assert controlmap.change_dates(dataset) == expected
    assert controlmap.previous_change(dataset, day) == max((d for d in expected if d < day), default=None)
    assert controlmap.next_change(dataset, day) == min((d for d in expected if d > day), default=None)


def test_property_tests_run_without_a_deadline() -> None:
    # A deadline fails a property test for the machine's load, not for the code (one failed at 569 ms).
    assert settings().deadline is None
