"""The time engine's payload: histories as columns, the styling source's colours and words, areas once.

The columns must say what the queries say; each place's geometry and area are sent once.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest
import shapely.geometry

import controlmap
from controlmap.basemap import country_outlines, load_basemap
from controlmap.dates import PRECISIONS, date_from_day_number, day_number
from controlmap.style import STATUS_PATTERNS, TERRITORY_RADIUS_KM, palette_colours
from controlmap.territory import BORDER_TOLERANCE, KM_PER_DEGREE, radius_km, territory_cells
from controlmap.timeline import change_dates, peak_date
from controlmap.web.engine import ENGINE_SCRIPTS, engine_css, engine_payload, engine_script
from controlmap.web.popups import WORDING, holder_text, since_text

from exporthelpers import GEODATA


@pytest.fixture(scope="module")
def payload(shipped: controlmap.Dataset) -> dict[str, object]:
    return engine_payload(shipped, countries=country_outlines(load_basemap(GEODATA)))


def _period_at(payload: dict, place: int, day: int) -> int:  # type: ignore[type-arg]
    periods = payload["periods"]
    for p in range(periods["offset"][place], periods["offset"][place + 1]):
        if periods["start"][p] <= day < periods["end"][p]:
            return p
    return -1


@pytest.mark.parametrize(
    "day", [dt.date(2013, 6, 1), dt.date(2014, 6, 10), dt.date(2016, 3, 24), dt.date(2019, 12, 31)]
)
def test_the_columns_give_the_snapshot_of_every_date(shipped: controlmap.Dataset, payload: dict, day: dt.date) -> None:  # type: ignore[type-arg]
    snap = controlmap.snapshot(shipped, day)
    periods = payload["periods"]
    factions = [f["id"] for f in payload["factions"]]
    for i, place in enumerate(shipped.places):
        p = _period_at(payload, i, day_number(day))
        expected = snap.period(i)
        if expected is None:
            assert p == -1, place.id
            continue
        assert factions[periods["controller"][p]] == expected.controller, place.id
        assert payload["statuses"][periods["status"][p]] == expected.status, place.id
        assert [factions[o] for o in periods["opponents"][p]] == list(expected.opponents), place.id
        assert PRECISIONS[periods["start_precision"][p]] == expected.start_precision
        assert [payload["sources"]["id"][s] for s in periods["sources"][p]] == list(expected.sources)
        assert periods["open"][p] == (expected.end is None)


def test_colours_patterns_and_words_come_from_the_styling_source(shipped: controlmap.Dataset, payload: dict) -> None:  # type: ignore[type-arg]
    for palette in shipped.palettes:
        colours = palette_colours(shipped, palette.id)
        sent = payload["palettes"][palette.id]
        assert sent["colours"] == [colours[f.id] for f in shipped.factions]
        assert sent["unknown"] == colours["unknown"]
    assert set(payload["patterns"]) == set(STATUS_PATTERNS)
    assert payload["wording"] == WORDING
    assert payload["months"][2] == "March"


def test_the_wording_templates_say_what_the_cards_say() -> None:
    props = {"controller": "isis", "controller_label": "IS", "status": "besieged", "opponent_labels": ["Iraq"]}
    assert holder_text(props) == WORDING["besieged"].format(holder="IS", opponents="Iraq") == "IS, besieged by Iraq"
    assert holder_text({**props, "opponent_labels": []}) == "IS, besieged"
    assert since_text({"since_label": "June 2014", "until_label": "2016"}) == "since June 2014, until 2016"


def test_the_changes_are_the_change_dates_with_counts(shipped: controlmap.Dataset, payload: dict) -> None:  # type: ignore[type-arg]
    assert [date_from_day_number(day) for day, _ in payload["changes"]] == change_dates(shipped)
    assert all(count >= 1 for _, count in payload["changes"])


def test_it_opens_on_the_day_the_islamic_state_held_most(shipped: controlmap.Dataset, payload: dict) -> None:  # type: ignore[type-arg]
    peak = peak_date(shipped, "isis")
    assert peak is not None
    assert payload["opening"] == day_number(peak)
    held = controlmap.snapshot(shipped, peak).faction_counts()["isis"]
    for day in change_dates(shipped):
        assert controlmap.snapshot(shipped, day).faction_counts().get("isis", 0) <= held


def test_towns_and_cities_get_an_area_in_their_country_within_their_reach(
    shipped: controlmap.Dataset,
    payload: dict,  # type: ignore[type-arg]
) -> None:
    countries = country_outlines(load_basemap(GEODATA))
    cells = payload["places"]["territory"]
    for i, place in enumerate(shipped.places):
        if place.kind not in TERRITORY_RADIUS_KM or place.geometry.geom_type != "Point":
            assert cells[i] is None, place.id
            continue
        assert cells[i] is not None, place.id
        area = shapely.geometry.shape(cells[i])
        assert area.buffer(0.003).contains(place.geometry), place.id
        reach = radius_km(place)
        assert reach is not None
        # Within the radius (in degrees of latitude; longitude is shorter, so this bound is loose) ...
        assert area.bounds[3] - place.geometry.y <= reach / KM_PER_DEGREE * 1.05, place.id
        # ... and inside the country, give or take the simplification.
        assert countries[place.country].buffer(BORDER_TOLERANCE + 0.005).contains(area), place.id


def test_areas_do_not_overlap(shipped: controlmap.Dataset) -> None:
    cells = [c for c in territory_cells(shipped.places, country_outlines(load_basemap(GEODATA))) if c is not None]
    total = sum(c.area for c in cells)
    assert shapely.union_all(cells).area == pytest.approx(total, rel=0.01)


def test_a_population_sizes_the_area(shipped: controlmap.Dataset) -> None:
    town = next(p for p in shipped.places if p.kind == "town")
    small = dataclasses.replace(town, population=2_000, population_source="x")
    large = dataclasses.replace(town, population=500_000, population_source="x")
    default, low, high = TERRITORY_RADIUS_KM["town"]
    assert radius_km(small) == low
    assert radius_km(large) == high
    assert radius_km(dataclasses.replace(town, population=None)) == default


def test_the_payload_is_plain_json_and_small(payload: dict) -> None:  # type: ignore[type-arg]
    text = json.dumps(payload, allow_nan=False)
    assert len(text) < 2_000_000  # geometry once, histories as columns


def test_the_engine_script_is_one_closure_defining_one_global() -> None:
    script = engine_script()
    assert script.startswith("(function () {")
    assert script.rstrip().endswith("}());")
    assert script.count("window.ControlmapEngine =") == 1
    assert len(ENGINE_SCRIPTS) == 7
    assert "innerHTML" not in script  # text goes in through textContent only
    assert ".cm-place-label" in engine_css()
