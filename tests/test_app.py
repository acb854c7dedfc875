"""The app's logic through Streamlit's AppTest: URL views, jumps, comparison, search, errors (no browser)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING

import pytest
from streamlit.testing.v1 import AppTest

import controlmap
from appui.data import markdown_escape
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
        # The second run is the one the map's first report causes in a browser (AppTest has no map).
        return at.run().run()

    return run


def _warnings(at: AppTest) -> list[str]:
    return [str(w.value) for w in at.warning]


def test_opens_at_the_last_change_with_no_problems(app: Callable[..., AppTest]) -> None:
    at = app()
    assert not at.exception
    assert not at.error
    assert _warnings(at) == []
    assert at.session_state["date"] == dt.date(2018, 1, 1)  # the last change in the test data
    assert at.slider(key="w_slider").value == dt.date(2018, 1, 1)
    assert at.query_params["date"] == "2018-01-01"
    assert "Web app test dataset" in [c.value for c in at.sidebar.caption]


def test_a_shared_url_restores_the_view(app: Callable[..., AppTest]) -> None:
    at = app(date="2016-03-24", compare="2015-01-01", place="delta", palette="colorblind")
    assert not at.exception
    assert _warnings(at) == []
    assert at.session_state["date"] == dt.date(2016, 3, 24)
    assert at.date_input(key="w_typed").value == dt.date(2016, 3, 24)
    assert at.toggle(key="compare_on").value is True
    assert at.date_input(key="w_compare").value == dt.date(2015, 1, 1)
    assert at.session_state["place"] == "delta"
    assert at.radio(key="palette").value == "colorblind"
    assert dict(at.query_params) == {
        "date": "2016-03-24", "compare": "2015-01-01", "place": "delta", "palette": "colorblind",
    }  # fmt: skip


def test_a_place_can_be_named_instead_of_its_id(app: Callable[..., AppTest]) -> None:
    at = app(place="Delta")
    assert _warnings(at) == []
    assert at.session_state["place"] == "delta"


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
    assert at.session_state["date"] == dt.date(2018, 1, 1) or "date" not in query
    assert at.session_state["place"] is None
    # The URL now shows the view actually shown.
    assert at.query_params["date"] == at.session_state["date"].isoformat()
    assert "place" not in at.query_params


def test_jump_buttons_move_between_change_dates(app: Callable[..., AppTest]) -> None:
    at = app(date="2016-03-24")
    at.button(key="b_next").click().run()
    assert at.session_state["date"] == dt.date(2016, 9, 1)
    assert at.slider(key="w_slider").value == dt.date(2016, 9, 1)
    assert at.query_params["date"] == "2016-09-01"
    at.button(key="b_prev").click().run()
    assert at.session_state["date"] == dt.date(2016, 2, 19)
    at.button(key="b_prev").click().run()
    assert at.session_state["date"] == dt.date(2015, 5, 20)


def test_jump_buttons_stop_at_the_ends(app: Callable[..., AppTest]) -> None:
    at = app(date="2013-01-01")
    assert at.button(key="b_prev").disabled
    assert not at.button(key="b_next").disabled
    at = app(date="2019-12-31")
    assert at.button(key="b_next").disabled


def test_slider_and_typed_date_move_the_map(app: Callable[..., AppTest]) -> None:
    at = app(date="2016-03-24")
    at.slider(key="w_slider").set_value(dt.date(2014, 7, 1)).run()
    assert at.session_state["date"] == dt.date(2014, 7, 1)
    assert at.date_input(key="w_typed").value == dt.date(2014, 7, 1)
    at.date_input(key="w_typed").set_value(dt.date(2017, 8, 1)).run()
    assert at.session_state["date"] == dt.date(2017, 8, 1)
    assert at.slider(key="w_slider").value == dt.date(2017, 8, 1)
    assert at.query_params["date"] == "2017-08-01"


def test_legend_counts_the_factions_on_the_date(app: Callable[..., AppTest]) -> None:
    at = app(date="2016-08-20")
    legend = next(h.proto.body for h in at.get("html") if "cm-legend" in h.proto.body)
    assert 'data-faction="isis"' in legend
    assert 'data-faction="sdf"' in legend
    assert 'data-faction="syria_gov"' in legend
    assert 'data-faction="iraq_gov"' not in legend


def test_compare_lists_what_changed(app: Callable[..., AppTest]) -> None:
    at = app(date="2016-08-20")
    at.toggle(key="compare_on").set_value(True).run()
    at.date_input(key="w_compare").set_value(dt.date(2015, 1, 1)).run()
    assert at.query_params["compare"] == "2015-01-01"
    table = at.dataframe(key="w_compare_rows").value
    assert sorted(table["place_id"]) == ["beta", "delta", "evil"]
    legend = next(h.proto.body for h in at.get("html") if "cm-legend" in h.proto.body)
    assert "3 places changed since 1 January 2015" in legend
    at.toggle(key="compare_on").set_value(False).run()
    assert "compare" not in at.query_params


def test_search_selects_and_shows_the_place(app: Callable[..., AppTest]) -> None:
    at = app(date="2016-08-20")
    at.text_input(key="w_find").set_value("dayr delta").run()
    assert at.session_state["place"] == "delta"
    assert at.session_state["focus"] == "delta"
    assert at.query_params["place"] == "delta"
    card = next(h.proto.body for h in at.get("html") if "cm-popup" in h.proto.body)
    assert "besieged by Islamic State" in card
    assert "Report B" in card


def test_search_ranks_the_city_first_and_offers_a_group_with_its_parts(app: Callable[..., AppTest]) -> None:
    at = app(data=GEODATA, date="2016-08-20")
    at.text_input(key="w_find").set_value("الرقة").run()
    assert not at.exception
    assert (at.session_state["place"], at.session_state["focus"]) == ("raqqa", "raqqa")
    matches = at.radio(key="w_found")
    assert matches.options[0] == markdown_escape("Raqqa (الرقة)")
    assert [f.id for f in at.session_state["found"]][1:] == ["euphrates-raqqa-deir-ez-zor", "euphrates-tabqa-raqqa"]

    at.text_input(key="w_find").set_value("Manbij pocket").run()
    assert at.session_state["focus"] == "manbij-pocket"  # the whole group
    assert at.session_state["place"] == "raqqa"  # a group selects no single place
    matches = at.radio(key="w_found")
    assert matches.options[0] == markdown_escape("Manbij pocket (all 7 parts)")
    found = [f.id for f in at.session_state["found"]]
    assert sorted(found[1:]) == sorted(
        p.id for p in controlmap.dataset_from_dir(GEODATA).places if p.group == "manbij-pocket"
    )
    matches.set_value(found.index("manbij-pocket-tishrin-dam")).run()
    assert at.session_state["place"] == at.session_state["focus"] == "manbij-pocket-tishrin-dam"
    assert at.query_params["place"] == "manbij-pocket-tishrin-dam"

    at.text_input(key="w_find").set_value("raqqa city").run()
    assert at.session_state["place"] == "raqqa"
    at.text_input(key="w_find").set_value("Xqzzy").run()
    assert "No place or group has a name like that." in [c.value for c in at.sidebar.caption]
    assert at.session_state["place"] == "raqqa"  # nothing found: the view stays


def test_a_hostile_place_name_is_shown_as_text(app: Callable[..., AppTest]) -> None:
    at = app(date="2016-08-20", place="evil")
    card = next(h.proto.body for h in at.get("html") if "cm-popup" in h.proto.body)
    assert "<img src=x" not in card
    assert "&lt;img src=x onerror=alert(1)&gt;" in card
    assert "<script>" not in card


def test_palette_switch_keeps_the_view(app: Callable[..., AppTest]) -> None:
    at = app(date="2016-08-20", place="alpha")
    at.radio(key="palette").set_value("colorblind").run()
    assert at.query_params["palette"] == "colorblind"
    assert at.session_state["date"] == dt.date(2016, 8, 20)
    legend = next(h.proto.body for h in at.get("html") if "cm-legend" in h.proto.body)
    assert "#000000" in legend  # Islamic State in the colour-blind-safe palette


def test_choosing_a_change_moves_the_map_to_its_date(app: Callable[..., AppTest]) -> None:
    from appui import state  # noqa: PLC0415 - the callback the table's selection calls

    at = app(date="2013-06-01")
    table = at.dataframe(key="w_changes").value
    row = int(table.index[table["place_id"] == "delta"][0])

    at.session_state["w_changes"] = SimpleNamespace(selection=SimpleNamespace(rows=[row]))
    original = state.ss
    state.ss = at.session_state  # type: ignore[assignment]  # the callback reads the app's session state
    try:
        state.on_change_pick(table)
    finally:
        state.ss = original
    assert at.session_state["date"] == dt.date(2015, 1, 15)
    assert at.session_state["place"] == "delta"


def test_the_history_waits_for_the_map_on_the_first_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONTROLMAP_DATA", str(WEBAPP))
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    assert not at.tabs
    assert any("once the map is drawn" in str(c.value) for c in at.caption)
    at.run()
    assert [t.label for t in at.tabs] == ["Timeline", "Changes", "Compare dates"]


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
    assert not at.slider


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
    assert at.slider(key="w_slider").value == dt.date(2018, 1, 1)


def test_play_moves_to_the_next_change_and_stops_at_the_last(app: Callable[..., AppTest]) -> None:
    at = app(date="2017-07-09")
    at.toggle(key="playing").set_value(True).run()
    assert at.session_state["date"] == dt.date(2017, 7, 10)  # starting moves at once
    at.run()
    assert at.session_state["date"] == dt.date(2017, 7, 10), "no tick is due yet"
    at.session_state["last_tick"] = 0.0
    at.run()
    assert at.session_state["date"] == dt.date(2017, 9, 5)
    at.session_state["last_tick"] = 0.0
    at.run()
    assert at.session_state["date"] == dt.date(2018, 1, 1)  # the last change
    at.session_state["last_tick"] = 0.0
    at.run()
    assert at.toggle(key="playing").value is False
    assert at.session_state["date"] == dt.date(2018, 1, 1)


def test_downloads_offer_every_export(app: Callable[..., AppTest]) -> None:
    at = app(date="2016-08-20")
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == [
        "Image (PNG)", "Interactive map (HTML, works offline)", "GeoJSON", "CSV", "Whole history (GeoJSON)",
    ]  # fmt: skip


def test_a_timelapse_is_made_with_progress_and_offered(app: Callable[..., AppTest]) -> None:
    at = app(date="2016-09-01", compare="2016-01-01")
    at.button(key="b_timelapse").click().run()
    assert not at.exception
    made = at.session_state["timelapse"]
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


@pytest.mark.parametrize("fmt", ["geojson", "csv", "history", "png", "svg", "pdf", "html"])
def test_a_download_and_the_command_line_give_the_same_bytes(fmt: str, tmp_path: Path) -> None:
    from appui import data, downloads, state  # noqa: PLC0415 - the app's helpers, used here without a page
    from controlmap.cli import main  # noqa: PLC0415

    loaded = data.Loaded(dataset=controlmap.dataset_from_dir(WEBAPP), path=str(WEBAPP.resolve()), stamp=0)
    shown = state.Shown(date=dt.date(2016, 8, 20), palette="colorblind")
    output = tmp_path / f"out{FORMATS[fmt].suffix}"
    argv = ["snapshot", "--data", str(WEBAPP), "--date", "2016-08-20", "--palette", "colorblind"]
    assert main([*argv, "--format", fmt, "--output", str(output)]) == 0
    assert downloads.file_maker(loaded, shown, fmt)() == output.read_bytes()
