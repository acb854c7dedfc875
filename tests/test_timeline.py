"""Time queries: snapshots, change events, comparisons and histories."""

from __future__ import annotations

import datetime as dt

import pytest

import controlmap
from controlmap import UNKNOWN, DateError, PlaceNotFoundError


def states(snap: controlmap.Snapshot) -> dict[str, tuple[str | None, str]]:
    return {
        place.id: (controller, status)
        for place, controller, status in zip(snap.dataset.places, snap.controllers, snap.statuses, strict=True)
    }


def test_snapshot_on_the_day_of_a_change_shows_the_new_holder(mini: controlmap.Dataset) -> None:
    assert states(controlmap.snapshot(mini, dt.date(2014, 6, 9)))["alpha"] == ("iraq_gov", "controlled")
    assert states(controlmap.snapshot(mini, dt.date(2014, 6, 10)))["alpha"] == ("isis", "controlled")


def test_snapshot_of_a_gap_is_unknown(mini: controlmap.Dataset) -> None:
    before = states(controlmap.snapshot(mini, dt.date(2013, 6, 1)))
    after = states(controlmap.snapshot(mini, dt.date(2018, 1, 1)))
    assert before["beta"] == (None, UNKNOWN)
    assert after["beta"] == (None, UNKNOWN)
    assert states(controlmap.snapshot(mini, dt.date(2017, 12, 31)))["beta"] == ("sdf", "controlled")


def test_snapshot_reports_status_and_opponents(mini: controlmap.Dataset) -> None:
    snap = controlmap.snapshot(mini, dt.date(2016, 12, 1))
    frame = snap.to_frame().set_index("id")
    assert frame.loc["alpha", "status"] == "contested"
    assert frame.loc["alpha", "opponents"] == ("iraq_gov",)
    assert frame.loc["alpha", "since"] == dt.date(2016, 11, 1)
    assert frame.loc["alpha", "since_precision"] == "month"
    assert frame.loc["gamma", "controller"] == "turkey"
    assert frame.loc["beta", "sources"] == ("report-c",)


def test_faction_counts_list_only_factions_present_in_legend_order(mini: controlmap.Dataset) -> None:
    snap = controlmap.snapshot(mini, dt.date(2015, 6, 1))
    assert snap.faction_counts() == {"isis": 3}
    snap = controlmap.snapshot(mini, dt.date(2013, 6, 1))
    assert snap.faction_counts() == {"iraq_gov": 1, "rebels": 1}
    assert snap.unknown_count() == 1


@pytest.mark.parametrize("day", [dt.date(2012, 12, 31), dt.date(2020, 1, 1)])
def test_snapshot_outside_the_data_range_is_a_clear_error(mini: controlmap.Dataset, day: dt.date) -> None:
    with pytest.raises(DateError, match=r"outside the data's range 2013-01-01 to 2019-12-31"):
        controlmap.snapshot(mini, day)


def test_change_events_list_every_change_of_hands_and_of_status(mini: controlmap.Dataset) -> None:
    events = controlmap.change_events(mini)
    rows = [
        (e.date.isoformat(), e.place_id, e.from_controller, e.from_status, e.to_controller, e.to_status)
        for e in events.itertuples()
    ]
    assert rows == [
        ("2014-01-01", "beta", None, UNKNOWN, "isis", "controlled"),
        ("2014-06-10", "alpha", "iraq_gov", "controlled", "isis", "controlled"),
        ("2015-01-01", "gamma", "rebels", "controlled", "isis", "besieged"),
        ("2016-02-19", "beta", "isis", "controlled", "sdf", "controlled"),
        ("2016-09-01", "gamma", "isis", "besieged", "turkey", "controlled"),
        ("2016-11-01", "alpha", "isis", "controlled", "isis", "contested"),
        ("2017-07-10", "alpha", "isis", "contested", "iraq_gov", "controlled"),
        ("2018-01-01", "beta", "sdf", "controlled", None, UNKNOWN),
    ]
    # A new period with the same holder and status (gamma on 2016-08-12: one besieger fewer) is no change.
    assert dt.date(2016, 8, 12) not in controlmap.change_dates(mini)
    assert events.loc[1, "sources"] == ("report-a",)
    assert events.loc[5, "precision"] == "month"


def test_previous_and_next_change(mini: controlmap.Dataset) -> None:
    assert controlmap.previous_change(mini, dt.date(2016, 2, 19)) == dt.date(2015, 1, 1)
    assert controlmap.next_change(mini, dt.date(2016, 2, 19)) == dt.date(2016, 9, 1)
    assert controlmap.previous_change(mini, dt.date(2014, 1, 1)) is None
    assert controlmap.next_change(mini, dt.date(2018, 1, 1)) is None


def test_changes_between_lists_what_changed_hands(mini: controlmap.Dataset) -> None:
    changes = controlmap.changes_between(mini, dt.date(2016, 3, 24), dt.date(2017, 3, 16))
    assert list(changes["place_id"]) == ["alpha", "gamma"]
    alpha = changes.set_index("place_id").loc["alpha"]
    assert (alpha["from_controller"], alpha["from_status"]) == ("isis", "controlled")
    assert (alpha["to_controller"], alpha["to_status"]) == ("isis", "contested")
    assert alpha["changed_on"] == dt.date(2016, 11, 1)
    assert alpha["sources"] == ("report-b",)


def test_changes_between_the_same_date_is_empty(mini: controlmap.Dataset) -> None:
    assert controlmap.changes_between(mini, dt.date(2016, 3, 24), dt.date(2016, 3, 24)).empty


def test_changes_between_works_in_either_order(mini: controlmap.Dataset) -> None:
    forward = controlmap.changes_between(mini, dt.date(2014, 1, 1), dt.date(2019, 1, 1))
    backward = controlmap.changes_between(mini, dt.date(2019, 1, 1), dt.date(2014, 1, 1))
    assert list(forward["place_id"]) == list(backward["place_id"])
    assert list(forward["from_controller"]) == list(backward["to_controller"])
    assert list(forward["changed_on"]) == list(backward["changed_on"])


def test_place_history_fills_gaps_with_unknown(mini: controlmap.Dataset) -> None:
    history = controlmap.place_history(mini, "beta")
    assert list(history["status"]) == [UNKNOWN, "controlled", "controlled", UNKNOWN]
    assert history.iloc[0]["start"] == dt.date(2013, 1, 1)
    assert history.iloc[0]["end"] == dt.date(2014, 1, 1)
    assert history.iloc[-1]["start"] == dt.date(2018, 1, 1)
    assert history.iloc[-1]["end"] is None


def test_place_history_of_an_unknown_place_names_it(mini: controlmap.Dataset) -> None:
    with pytest.raises(PlaceNotFoundError, match="'atlantis'"):
        controlmap.place_history(mini, "atlantis")
