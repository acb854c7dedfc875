"""Merging claims into histories (pure): cuts, gaps, agreement, conflicts; properties with hypothesis."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import shapely.geometry
from hypothesis import given
from hypothesis import strategies as st

from controlmap.articles.merge import ClaimChange, merge_change, merge_changes, unit_end
from controlmap.dates import precision_fits
from controlmap.model import Period, Place

if TYPE_CHECKING:
    from controlmap.articles.rules import ClaimKind
    from controlmap.dates import Precision
    from controlmap.model import Status

D = dt.date


def period(start: dt.date, end: dt.date | None, controller: str, status: Status = "controlled") -> Period:
    opponents: tuple[str, ...] = ("sdf",) if status != "controlled" else ()
    return Period(start, "day", end, None if end is None else "day", controller, status, ("old",), opponents)


def place(*history: Period) -> Place:
    return Place("p", "P", "town", "SY", shapely.geometry.Point(38.0, 36.0), tuple(history))


def change(
    kind: ClaimKind,
    day: dt.date,
    controller: str,
    status: Status = "controlled",
    *,
    precision: Precision = "day",
    conflict: bool = False,
    published: dt.date | None = None,
) -> ClaimChange:
    opponents: tuple[str, ...] = ("sdf",) if status != "controlled" else ()
    return ClaimChange("c1", controller, status, opponents, kind, day, precision, "new", published, conflict)


def test_a_capture_over_a_sourced_period_is_a_conflict_by_controller() -> None:
    before = place(period(D(2014, 1, 1), D(2017, 1, 1), "isis"))
    after, outcome = merge_change(before, change("retaken", D(2016, 6, 26), "iraq_gov"))
    assert outcome.action == "conflict"
    assert after == before  # nothing changes until the reviewer asks
    assert (outcome.data_sources, outcome.claim_source) == (("old",), "new")  # both sides' sources
    assert "isis holding it" in outcome.message


def test_a_retaking_where_the_data_has_the_same_side_contesting_is_a_conflict_by_status() -> None:
    # "IS retook Raqqa on Tuesday" where the sourced data has IS holding a contested Raqqa.
    before = place(period(D(2017, 6, 6), D(2017, 10, 17), "isis", "contested"))
    after, outcome = merge_change(before, change("retaken", D(2017, 8, 1), "isis"))
    assert outcome.action == "conflict"
    assert after == before
    assert "contested by sdf" in outcome.message
    assert "not controlled" in outcome.message
    assert outcome.data_sources == ("old",)


def test_a_state_of_another_status_is_a_conflict() -> None:
    before = place(period(D(2014, 1, 1), D(2017, 1, 1), "isis"))
    after, outcome = merge_change(before, change("under attack", D(2016, 3, 24), "isis", "contested"))
    assert outcome.action == "conflict"
    assert after == before


def test_a_capture_cuts_the_period_covering_its_date_when_asked() -> None:
    before = place(period(D(2014, 1, 1), D(2017, 1, 1), "isis"))
    after, outcome = merge_change(before, change("retaken", D(2016, 6, 26), "iraq_gov", conflict=True))
    assert outcome.action == "forced"
    assert [(p.start, p.end, p.controller) for p in after.history] == [
        (D(2014, 1, 1), D(2016, 6, 26), "isis"),
        (D(2016, 6, 26), D(2017, 1, 1), "iraq_gov"),
    ]
    assert after.history[1].sources == ("new",)
    assert after.history[0].sources == ("old",)


def test_an_open_period_is_cut_and_the_new_one_stays_open_when_asked() -> None:
    after, _ = merge_change(
        place(period(D(2014, 1, 1), None, "isis")), change("captured", D(2016, 8, 12), "sdf", conflict=True)
    )
    assert [(p.start, p.end, p.end_precision) for p in after.history] == [
        (D(2014, 1, 1), D(2016, 8, 12), "day"),
        (D(2016, 8, 12), None, None),
    ]


def test_a_month_precise_capture_keeps_its_precision() -> None:
    after, _ = merge_change(
        place(period(D(2013, 1, 1), None, "iraq_gov")),
        change("captured", D(2014, 6, 1), "isis", precision="month", conflict=True),
    )
    assert (after.history[0].end_precision, after.history[1].start_precision) == ("month", "month")


def test_an_unsourced_period_is_replaced() -> None:
    unsourced = Period(D(2014, 1, 1), "day", None, None, "isis", "controlled", ())
    after, outcome = merge_change(place(unsourced), change("captured", D(2016, 8, 12), "sdf"))
    assert outcome.action == "applied"
    assert [p.controller for p in after.history] == ["isis", "sdf"]


def test_a_change_the_data_has_within_the_claims_precision_agrees() -> None:
    history = (period(D(2013, 1, 1), D(2014, 6, 10), "iraq_gov"), period(D(2014, 6, 10), None, "isis"))
    after, outcome = merge_change(place(*history), change("captured", D(2014, 6, 1), "isis", precision="month"))
    assert outcome.action == "agrees"
    assert [p.start for p in after.history] == [D(2013, 1, 1), D(2014, 6, 10)]
    assert after.history[1].sources == ("old", "new")


def test_a_change_the_data_dates_later_is_a_conflict() -> None:
    history = (period(D(2014, 6, 10), D(2017, 7, 10), "isis"), period(D(2017, 7, 10), None, "iraq_gov"))
    before = place(*history)
    after, outcome = merge_change(before, change("retaken", D(2017, 1, 1), "iraq_gov", precision="month"))
    assert outcome.action == "conflict"
    assert "2017-07-10" in outcome.message
    assert after == before


def test_a_conflict_is_applied_when_asked() -> None:
    history = (period(D(2014, 6, 10), D(2017, 7, 10), "isis"), period(D(2017, 7, 10), None, "iraq_gov"))
    after, outcome = merge_change(
        place(*history), change("retaken", D(2017, 1, 1), "iraq_gov", precision="month", conflict=True)
    )
    assert outcome.action == "forced"
    assert [(p.start, p.controller) for p in after.history] == [
        (D(2014, 6, 10), "isis"),
        (D(2017, 1, 1), "iraq_gov"),
        (D(2017, 7, 10), "iraq_gov"),
    ]


def test_a_state_contradicting_the_data_is_a_conflict() -> None:
    before = place(period(D(2015, 1, 1), None, "sdf"))
    after, outcome = merge_change(before, change("holds", D(2016, 3, 24), "isis"))
    assert outcome.action == "conflict"
    assert after == before


def test_a_state_the_data_has_agrees() -> None:
    after, outcome = merge_change(place(period(D(2014, 1, 1), None, "isis")), change("holds", D(2016, 3, 24), "isis"))
    assert outcome.action == "agrees"
    assert after.history[0].sources == ("old", "new")


def test_an_attack_on_a_held_place_changes_its_status_for_the_claims_date_only_when_asked() -> None:
    before = place(period(D(2014, 1, 1), D(2017, 1, 1), "isis"))
    after, outcome = merge_change(before, change("under attack", D(2016, 3, 24), "isis", "contested", conflict=True))
    assert outcome.action == "forced"
    assert [(p.start, p.end, p.status) for p in after.history] == [
        (D(2014, 1, 1), D(2016, 3, 24), "controlled"),
        (D(2016, 3, 24), D(2016, 3, 25), "contested"),
        (D(2016, 3, 25), D(2017, 1, 1), "controlled"),
    ]
    assert after.history[1].opponents == ("sdf",)


def test_a_capture_in_a_gap_runs_to_the_next_period() -> None:
    before = place(period(D(2013, 1, 1), D(2014, 1, 1), "rebels"), period(D(2016, 1, 1), None, "sdf"))
    after, outcome = merge_change(before, change("captured", D(2014, 6, 1), "isis", precision="month"))
    assert outcome.action == "applied"
    assert [(p.start, p.end, p.controller) for p in after.history] == [
        (D(2013, 1, 1), D(2014, 1, 1), "rebels"),
        (D(2014, 6, 1), D(2016, 1, 1), "isis"),
        (D(2016, 1, 1), None, "sdf"),
    ]


def test_a_capture_of_a_new_place_runs_to_the_articles_date() -> None:
    after, _ = merge_change(
        place(), change("captured", D(2014, 6, 1), "isis", precision="month", published=D(2016, 3, 24))
    )
    assert [(p.start, p.end, p.end_precision) for p in after.history] == [(D(2014, 6, 1), D(2016, 3, 24), "day")]


def test_a_state_in_a_gap_fills_one_unit() -> None:
    after, _ = merge_change(place(), change("holds", D(2016, 3, 1), "isis", precision="month"))
    assert [(p.start, p.end) for p in after.history] == [(D(2016, 3, 1), D(2016, 4, 1))]


def test_merge_changes_keeps_untouched_places() -> None:
    other = Place("q", "Q", "town", "SY", shapely.geometry.Point(38.0, 36.0), ())
    places = {"p": place(period(D(2014, 1, 1), None, "isis")), "q": other}
    merged, outcomes = merge_changes(places, [("p", change("captured", D(2016, 1, 1), "sdf", conflict=True))])
    assert merged["q"] is other
    assert [o.place_id for o in outcomes] == ["p"]


# Properties: any sorted, non-overlapping history and any claim.

FACTIONS = ["isis", "iraq_gov", "sdf"]
KINDS: list[ClaimKind] = ["captured", "retaken", "holds", "under attack", "besieged"]
STATUS_OF: dict[str, Status] = {
    "captured": "controlled",
    "retaken": "controlled",
    "holds": "controlled",
    "under attack": "contested",
    "besieged": "besieged",
}


@st.composite
def histories(draw: st.DrawFn) -> tuple[Period, ...]:
    days = sorted(set(draw(st.lists(st.integers(0, 2500), min_size=0, max_size=8))))
    base = D(2013, 1, 1)
    periods = []
    for start, end in zip(days, [*days[1:], None], strict=False):
        if draw(st.booleans()):  # leave a gap
            continue
        open_end = end is None and draw(st.booleans())
        last = None if open_end else base + dt.timedelta(days=end if end is not None else start + 30)
        periods.append(period(base + dt.timedelta(days=start), last, draw(st.sampled_from(["isis", "iraq_gov"]))))
    return tuple(periods)


@st.composite
def changes(draw: st.DrawFn) -> ClaimChange:
    kind = draw(st.sampled_from(KINDS))
    precision: Precision = draw(st.sampled_from(["day", "month", "year"]))
    day = D(2013, 1, 1) + dt.timedelta(days=draw(st.integers(0, 2600)))
    if precision == "month":
        day = day.replace(day=1)
    elif precision == "year":
        day = D(day.year, 1, 1)
    status = STATUS_OF[kind]
    controller = draw(st.sampled_from(FACTIONS[:2] if status == "controlled" else ["isis", "iraq_gov"]))
    return change(
        kind, day, controller, status, precision=precision, conflict=draw(st.booleans()), published=D(2020, 1, 1)
    )


def _state_at(history: tuple[Period, ...], day: dt.date) -> tuple[str, str] | None:
    for p in history:
        if p.covers(day):
            return p.controller, p.status
    return None


@given(histories(), changes())
def test_merged_histories_stay_sorted_and_non_overlapping(history: tuple[Period, ...], claim: ClaimChange) -> None:
    after, _ = merge_change(place(*history), claim)
    for first, second in zip(after.history, after.history[1:], strict=False):
        assert first.end is not None
        assert first.start < first.end <= second.start
    for p in after.history:
        assert p.end is None or p.start < p.end
        assert precision_fits(p.start, p.start_precision)
        assert (p.end is None) == (p.end_precision is None)


@given(histories(), changes())
def test_what_is_applied_holds_at_the_claims_date(history: tuple[Period, ...], claim: ClaimChange) -> None:
    after, outcome = merge_change(place(*history), claim)
    if outcome.action in ("applied", "forced"):
        assert _state_at(after.history, claim.day) == (claim.controller, claim.status)


@given(histories(), changes())
def test_nothing_before_the_claim_changes(history: tuple[Period, ...], claim: ClaimChange) -> None:
    after, _ = merge_change(place(*history), claim)
    for offset in range(0, 2600, 97):
        day = D(2013, 1, 1) + dt.timedelta(days=offset)
        if day < claim.day:
            assert _state_at(after.history, day) == _state_at(history, day)


@given(histories(), changes())
def test_conflicts_and_agreements_change_no_state(history: tuple[Period, ...], claim: ClaimChange) -> None:
    after, outcome = merge_change(place(*history), claim)
    if outcome.action in ("agrees", "conflict"):
        assert [(p.start, p.end, p.controller, p.status) for p in after.history] == [
            (p.start, p.end, p.controller, p.status) for p in history
        ]
        if outcome.action == "conflict":
            assert after.history == history


@given(histories(), changes())
def test_a_state_claim_touches_one_unit_at_most(history: tuple[Period, ...], claim: ClaimChange) -> None:
    if claim.is_change:
        return
    after, _ = merge_change(place(*history), claim)
    end = unit_end(claim.day, claim.precision)
    for offset in range(0, 2600, 31):
        day = D(2013, 1, 1) + dt.timedelta(days=offset)
        if day >= end:
            assert _state_at(after.history, day) == _state_at(history, day)
