"""The app's logic through Streamlit's AppTest: URL views, the map's data, comparison, search, errors.

AppTest runs no browser: the map component's script does not run here (tests/browser/test_app.py drives it),
so what the map reports is played by calling the callbacks the component calls.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

import pytest
from streamlit.testing.v1 import AppTest

import controlmap
from appui import state
from appui.data import markdown_escape
from appui.state import Keys
from controlmap.export import FORMATS

if TYPE_CHECKING:
    from collections.abc import Callable

APP = Path(__file__).parent.parent / "app.py"
WEBAPP = Path(__file__).parent / "data" / "webapp"
GEODATA = Path(__file__).parent.parent / "geodata"
TIMEOUT = 60


@pytest.fixture
def app(monkeypatch: pytest.MonkeyPatch) -> Callable[..., AppTest]:
    """Run the app on the web app test dataset (or another directory), with a URL query."""

    def run(data: Path = WEBAPP, **query: str) -> AppTest:
        monkeypatch.setenv("CONTROLMAP_DATA", str(data))
        at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
        for key, value in query.items():
            at.query_params[key] = value
        at.session_state[state.MAP_DRAWN] = True  # as the map reports once it is on the screen
        return at.run()

    return run


def test_on_a_first_visit_the_table_and_the_sidebar_wait_for_the_map(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONTROLMAP_DATA", str(WEBAPP))
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    assert not at.exception
    assert map_data(at)["date"]  # the map is sent at once
    assert [c.value for c in at.caption if "appears once the map is drawn" in c.value]
    assert not at.text_input, "the sidebar's controls wait"
    assert not at.dataframe
    at.session_state[state.MAP_DRAWN] = True  # the map reports it is drawn
    at.run()
    assert at.text_input(key=Keys.FIND) is not None
    assert at.dataframe(key=Keys.CHANGES) is not None


def _warnings(at: AppTest) -> list[str]:
    return [str(w.value) for w in at.warning]


def map_data(at: AppTest) -> dict[str, Any]:
    """What the app sent the map component on its last run."""
    (component,) = at.get("bidi_component")
    data: dict[str, Any] = json.loads(component.proto.json)
    return data


def view(at: AppTest) -> state.View:
    return at.session_state[state.VIEW]  # type: ignore[no-any-return]


def call(at: AppTest, callback: Any, *args: object, **widgets: object) -> AppTest:
    """Play a widget or the map: set its value in the app's session, run its callback, rerun the page."""
    for key, value in widgets.items():
        at.session_state[key] = value
    original = state.ss
    state.ss = at.session_state  # type: ignore[assignment]  # the callback reads the app's session state
    try:
        callback(*args)
    finally:
        state.ss = original
    return at.run()


def test_opens_on_the_day_the_islamic_state_held_most_with_no_problems(app: Callable[..., AppTest]) -> None:
    at = app()
    assert not at.exception
    assert not at.error
    assert _warnings(at) == []
    peak = controlmap.timeline.peak_date(controlmap.dataset_from_dir(WEBAPP), "isis")
    assert view(at).date == peak == dt.date(2015, 5, 20)
    assert map_data(at)["date"] == "2015-05-20"
    assert at.date_input(key=Keys.TYPED).value == peak
    assert at.query_params["date"] == "2015-05-20"
    assert "Web app test dataset" in [c.value for c in at.sidebar.caption]


def test_a_date_named_by_the_data_wins_over_the_peak(app: Callable[..., AppTest], tmp_path: Path) -> None:
    data = tmp_path / "geodata"
    shutil.copytree(WEBAPP, data)
    meta = json.loads((data / "dataset.json").read_text("utf-8"))
    (data / "dataset.json").write_text(json.dumps({**meta, "default_date": "2017-01-01"}), "utf-8")
    assert view(app(data=data)).date == dt.date(2017, 1, 1)
    assert view(app(data=data, date="2014-02-02")).date == dt.date(2014, 2, 2)  # and the URL's over both


def test_the_map_is_sent_its_assets_once_and_only_the_view_per_run(app: Callable[..., AppTest]) -> None:
    at = app(date="2016-03-24")
    sent = map_data(at)
    assets = {"leaflet_js", "leaflet_css", "engine_js", "engine_css", "payload", "basemap", "map_id", "key", "height"}
    assert set(sent) == assets | {"date", "date_seq", "compare", "place", "focus", "focus_seq", "palette", "shade"}
    # Geometry and histories are files the browser fetches once, not part of what a rerun sends.
    assert all(str(sent[k]).startswith("/app/static/") for k in ("engine_js", "payload", "basemap"))
    assert len(at.get("bidi_component")[0].proto.json) < 1500
    at.date_input(key=Keys.TYPED).set_value(dt.date(2017, 8, 1)).run()
    again = map_data(at)
    assert {k: again[k] for k in assets} == {k: sent[k] for k in assets}
    assert (again["date"], again["date_seq"]) == ("2017-08-01", sent["date_seq"] + 1)


def test_a_shared_url_restores_the_view(app: Callable[..., AppTest]) -> None:
    at = app(date="2016-03-24", compare="2015-01-01", place="delta", palette="colorblind")
    assert not at.exception
    assert _warnings(at) == []
    shown = view(at)
    assert (shown.date, shown.compare, shown.place, shown.palette) == (
        dt.date(2016, 3, 24), dt.date(2015, 1, 1), "delta", "colorblind",
    )  # fmt: skip
    assert at.date_input(key=Keys.TYPED).value == dt.date(2016, 3, 24)
    assert at.toggle(key=Keys.COMPARE_ON).value is True
    assert at.date_input(key=Keys.COMPARE).value == dt.date(2015, 1, 1)
    assert at.radio(key=Keys.PALETTE).value == "colorblind"
    sent = map_data(at)
    assert (sent["date"], sent["compare"], sent["place"], sent["palette"]) == (
        "2016-03-24", "2015-01-01", "delta", "colorblind",
    )  # fmt: skip
    assert sent["focus_seq"] == 1, "the map zooms to a place named in the URL"
    assert dict(at.query_params) == {
        "date": "2016-03-24", "compare": "2015-01-01", "place": "delta", "palette": "colorblind",
    }  # fmt: skip


def test_a_place_can_be_named_instead_of_its_id(app: Callable[..., AppTest]) -> None:
    at = app(place="Delta")
    assert _warnings(at) == []
    assert view(at).place == "delta"


@pytest.mark.parametrize(
    ("query", "fragment"),
    [
        ({"date": "2016-02-30"}, "date='2016-02-30' ignored"),
        ({"date": "2031-01-01"}, "outside the data's range"),
        ({"compare": "soon"}, "compare='soon' ignored"),
        ({"place": "<script>alert(1)</script>"}, "no place has this id"),
        ({"palette": "neon"}, "palette='neon' ignored"),
    ],
)
def test_bad_url_values_warn_and_use_the_default(
    app: Callable[..., AppTest], query: dict[str, str], fragment: str
) -> None:
    at = app(**query)
    assert not at.exception
    warnings = _warnings(at)
    assert len(warnings) == 1
    assert fragment in warnings[0]
    assert view(at).date == dt.date(2015, 5, 20) or "date" not in query
    assert view(at).place is None
    # The URL now shows the view actually shown.
    assert at.query_params["date"] == view(at).date.isoformat()
    assert "place" not in at.query_params


def test_a_date_the_map_reports_moves_the_page_but_not_the_map(app: Callable[..., AppTest]) -> None:
    at = app(date="2016-03-24")
    before = map_data(at)["date_seq"]
    at = call(at, state.on_map_date, **{Keys.MAP: SimpleNamespace(date="2017-08-01", place=None, shade=None)})
    assert view(at).date == dt.date(2017, 8, 1)
    assert at.query_params["date"] == "2017-08-01"
    assert at.date_input(key=Keys.TYPED).value == dt.date(2017, 8, 1)
    # The map already shows that date: the counter that would move it again stays.
    assert (map_data(at)["date"], map_data(at)["date_seq"]) == ("2017-08-01", before)


def test_a_typed_date_moves_the_map(app: Callable[..., AppTest]) -> None:
    at = app(date="2016-03-24")
    before = map_data(at)["date_seq"]
    at.date_input(key=Keys.TYPED).set_value(dt.date(2017, 8, 1)).run()
    assert view(at).date == dt.date(2017, 8, 1)
    assert map_data(at)["date_seq"] == before + 1
    assert at.query_params["date"] == "2017-08-01"


def test_a_place_clicked_on_the_map_shows_its_card(app: Callable[..., AppTest]) -> None:
    at = app(date="2016-08-20")
    at = call(
        at, state.on_map_place, controlmap.dataset_from_dir(WEBAPP),
        **{Keys.MAP: SimpleNamespace(date=None, place="delta", shade=None)},
    )  # fmt: skip
    assert view(at).place == "delta"
    assert map_data(at)["focus_seq"] == 0, "a click selects; it does not move the map"
    card = next(h.proto.body for h in at.get("html") if "cm-popup" in h.proto.body)
    assert "besieged by Islamic State" in card


def test_compare_lists_what_changed(app: Callable[..., AppTest]) -> None:
    at = app(date="2016-08-20")
    at.toggle(key=Keys.COMPARE_ON).set_value(True).run()
    at.date_input(key=Keys.COMPARE).set_value(dt.date(2015, 1, 1)).run()
    assert at.query_params["compare"] == "2015-01-01"
    assert map_data(at)["compare"] == "2015-01-01"
    table = at.dataframe(key=Keys.COMPARE_ROWS).value
    assert sorted(table["place_id"]) == ["beta", "delta", "evil"]
    at.toggle(key=Keys.COMPARE_ON).set_value(False).run()
    assert "compare" not in at.query_params
    assert map_data(at)["compare"] is None


def test_search_selects_the_place_and_zooms_the_map_to_it(app: Callable[..., AppTest]) -> None:
    at = app(date="2016-08-20")
    at.text_input(key=Keys.FIND).set_value("dayr delta").run()
    assert (view(at).place, view(at).focus_target) == ("delta", "delta")
    assert (map_data(at)["place"], map_data(at)["focus"], map_data(at)["focus_seq"]) == ("delta", "delta", 1)
    assert at.query_params["place"] == "delta"
    card = next(h.proto.body for h in at.get("html") if "cm-popup" in h.proto.body)
    assert "besieged by Islamic State" in card
    assert "Report B" in card


def test_search_ranks_the_city_first_and_offers_a_group_with_its_parts(app: Callable[..., AppTest]) -> None:
    at = app(data=GEODATA, date="2016-08-20")
    at.text_input(key=Keys.FIND).set_value("الرقة").run()
    assert not at.exception
    assert (view(at).place, view(at).focus_target) == ("raqqa", "raqqa")
    matches = at.radio(key=Keys.FOUND)
    assert matches.options[0] == markdown_escape("Raqqa (الرقة)")
    assert [f.id for f in at.session_state[Keys.MATCHES]][1:] == [
        "euphrates-raqqa-deir-ez-zor",
        "euphrates-tabqa-raqqa",
    ]

    at.text_input(key=Keys.FIND).set_value("Manbij pocket").run()
    assert view(at).focus_target == "manbij-pocket"  # the whole group
    assert map_data(at)["focus"] == "manbij-pocket"
    assert view(at).place == "raqqa"  # a group selects no single place
    matches = at.radio(key=Keys.FOUND)
    assert matches.options[0] == markdown_escape("Manbij pocket (all 7 parts)")
    found = [f.id for f in at.session_state[Keys.MATCHES]]
    assert sorted(found[1:]) == sorted(
        p.id for p in controlmap.dataset_from_dir(GEODATA).places if p.group == "manbij-pocket"
    )
    matches.set_value(found.index("manbij-pocket-tishrin-dam")).run()
    assert view(at).place == view(at).focus_target == "manbij-pocket-tishrin-dam"
    assert at.query_params["place"] == "manbij-pocket-tishrin-dam"

    at.text_input(key=Keys.FIND).set_value("raqqa city").run()
    assert view(at).place == "raqqa"
    at.text_input(key=Keys.FIND).set_value("Xqzzy").run()
    assert "No place or group has a name like that." in [c.value for c in at.sidebar.caption]
    assert view(at).place == "raqqa"  # nothing found: the view stays


def test_a_hostile_place_name_is_shown_as_text(app: Callable[..., AppTest]) -> None:
    at = app(date="2016-08-20", place="evil")
    card = next(h.proto.body for h in at.get("html") if "cm-popup" in h.proto.body)
    assert "<img src=x" not in card
    assert "&lt;img src=x onerror=alert(1)&gt;" in card
    assert "<script>" not in card


def test_palette_switch_keeps_the_view(app: Callable[..., AppTest]) -> None:
    at = app(date="2016-08-20", place="alpha")
    key = map_data(at)["key"]
    at.radio(key=Keys.PALETTE).set_value("colorblind").run()
    assert at.query_params["palette"] == "colorblind"
    assert view(at).date == dt.date(2016, 8, 20)
    assert map_data(at)["palette"] == "colorblind"
    assert map_data(at)["key"] == key, "the map is restyled, not rebuilt"


def test_online_tiles_rebuild_the_base_map(app: Callable[..., AppTest]) -> None:
    at = app(date="2016-08-20")
    key = map_data(at)["key"]
    at.toggle(key=Keys.TILES).set_value(True).run()
    assert map_data(at)["key"] != key


def test_choosing_a_change_moves_the_map_to_its_date(app: Callable[..., AppTest]) -> None:
    at = app(date="2013-06-01")
    table = at.dataframe(key=Keys.CHANGES).value
    row = int(table.index[table["place_id"] == "delta"][0])
    before = map_data(at)["date_seq"]
    at = call(at, state.on_change_pick, table, **{Keys.CHANGES: SimpleNamespace(selection=SimpleNamespace(rows=[row]))})
    assert view(at).date == dt.date(2015, 1, 15)
    assert view(at).place == "delta"
    assert map_data(at)["date_seq"] == before + 1


def test_a_broken_dataset_shows_its_problems(app: Callable[..., AppTest], tmp_path: Path) -> None:
    broken = tmp_path / "geodata"
    shutil.copytree(WEBAPP, broken)
    places = broken / "places" / "webapp.geojson"
    document = json.loads(places.read_text("utf-8"))
    document["features"][0]["properties"]["history"][0]["controller"] = "martians"
    document["features"][1]["properties"]["kind"] = "volcano"
    places.write_text(json.dumps(document), "utf-8")
    at = app(data=broken)
    assert not at.exception
    assert len(at.error) == 1
    message = str(at.error[0].value)
    assert "problems" in message
    assert "martians" in message
    assert "volcano" in message
    assert not at.get("bidi_component")


def test_a_missing_dataset_directory_is_an_error_not_a_traceback(app: Callable[..., AppTest], tmp_path: Path) -> None:
    at = app(data=tmp_path / "nowhere")
    assert not at.exception
    assert len(at.error) == 1
    assert "nowhere" in str(at.error[0].value)


def test_invalid_json_is_reported(app: Callable[..., AppTest], tmp_path: Path) -> None:
    broken = tmp_path / "geodata"
    shutil.copytree(WEBAPP, broken)
    (broken / "sources.json").write_text('{"sources": [', "utf-8")
    at = app(data=broken)
    assert not at.exception
    assert "invalid JSON" in str(at.error[0].value)


def test_fixed_data_is_picked_up_without_a_restart(app: Callable[..., AppTest], tmp_path: Path) -> None:
    data = tmp_path / "geodata"
    shutil.copytree(WEBAPP, data)
    (data / "sources.json").write_text("not json", "utf-8")
    assert app(data=data).error
    shutil.copy(WEBAPP / "sources.json", data / "sources.json")
    at = app(data=data)
    assert not at.error
    assert map_data(at)["date"] == "2015-05-20"


def test_downloads_offer_every_export(app: Callable[..., AppTest]) -> None:
    at = app(date="2016-08-20")
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == [
        "Image (PNG)", "Interactive map (HTML, works offline)", "GeoJSON", "CSV", "Whole history (GeoJSON)",
        "GeoParquet", "Linked Places",
    ]  # fmt: skip


def test_a_timelapse_is_made_with_progress_and_offered(app: Callable[..., AppTest]) -> None:
    at = app(date="2016-09-01", compare="2016-01-01")
    at.button(key="b_timelapse").click().run()
    assert not at.exception
    made = at.session_state[Keys.TIMELAPSE]
    assert made[1].data[:6] in (b"GIF87a", b"GIF89a")
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Download timelapse (GIF)" in labels


def test_download_files_hold_the_map_at_the_date() -> None:
    from appui import data, downloads, state  # noqa: PLC0415 - the app's helpers, used here without a page

    dataset = controlmap.dataset_from_dir(WEBAPP)
    loaded = data.Loaded(dataset=dataset, path=str(WEBAPP.resolve()), stamp=0)
    shown = state.Shown(date=dt.date(2016, 8, 20), palette="default")
    make_geojson = downloads.file_maker(loaded, shown, "geojson")
    assert json.loads(make_geojson())["date"] == "2016-08-20"
    shown.date = dt.date(2014, 1, 1)  # the date moved after the button was drawn: the file follows it
    geojson = json.loads(make_geojson())
    assert geojson["date"] == "2014-01-01"
    assert {f["id"] for f in geojson["features"]} == {p.id for p in dataset.places}
    assert b"Delta" in downloads.file_maker(loaded, shown, "csv")()
    assert b"<!DOCTYPE html>" in downloads.file_maker(loaded, shown, "html")()
    assert downloads.file_maker(loaded, shown, "png")()[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(json.loads(downloads.file_maker(loaded, shown, "history")())["features"]) == len(dataset.places)
    assert downloads.file_maker(loaded, shown, "geoparquet")()[:4] == b"PAR1"
    assert len(json.loads(downloads.file_maker(loaded, shown, "lpf")())["features"]) == len(dataset.places)


@pytest.mark.parametrize("fmt", ["geojson", "csv", "history", "geoparquet", "lpf", "png", "svg", "pdf", "html"])
def test_a_download_and_the_command_line_give_the_same_bytes(fmt: str, tmp_path: Path) -> None:
    from appui import data, downloads, state  # noqa: PLC0415 - the app's helpers, used here without a page
    from controlmap.cli import main  # noqa: PLC0415

    loaded = data.Loaded(dataset=controlmap.dataset_from_dir(WEBAPP), path=str(WEBAPP.resolve()), stamp=0)
    shown = state.Shown(date=dt.date(2016, 8, 20), palette="colorblind")
    output = tmp_path / f"out{FORMATS[fmt].suffix}"
    argv = ["snapshot", "--data", str(WEBAPP), "--date", "2016-08-20", "--palette", "colorblind"]
    assert main([*argv, "--format", fmt, "--output", str(output)]) == 0
    assert downloads.file_maker(loaded, shown, fmt)() == output.read_bytes()
