"""The data exports: a snapshot as CSV and the whole history as GeoJSON, with the map's colours."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import TYPE_CHECKING

import pyogrio
import shapely

import controlmap
from controlmap.codec import document_to_text
from controlmap.export.tables import CSV_COLUMNS, history_to_geojson, snapshot_to_csv
from controlmap.records import snapshot_to_geojson

if TYPE_CHECKING:
    from pathlib import Path

DAY = dt.date(2016, 3, 24)


def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_the_csv_has_one_row_per_place_with_the_state(mini: controlmap.Dataset) -> None:
    text = snapshot_to_csv(controlmap.snapshot(mini, DAY))
    assert text.splitlines()[0] == ",".join(CSV_COLUMNS)
    rows = read_csv(text)
    assert [row["id"] for row in rows] == ["alpha", "beta", "gamma"]
    alpha, beta, gamma = rows
    assert alpha["controller"] == "isis"
    assert alpha["controller_label"] == "Islamic State"
    assert alpha["status"] == "controlled"
    assert (alpha["since"], alpha["since_precision"]) == ("2014-06-10", "day")
    assert (alpha["until"], alpha["until_precision"]) == ("2016-11-01", "month")
    assert alpha["source_ids"] == "report-a"
    assert alpha["source_urls"] == "https://example.org/a"
    assert beta["source_urls"] == ""  # a print-only source has no URL
    assert gamma["name"] == "Gamma <b>Pocket</b>"  # data, written as it is
    assert gamma["status"] == "besieged"
    assert gamma["opponents"] == "sdf;turkey"


def test_an_unknown_place_has_empty_cells(mini: controlmap.Dataset) -> None:
    rows = read_csv(snapshot_to_csv(controlmap.snapshot(mini, dt.date(2018, 6, 1))))
    beta = rows[1]
    assert beta["status"] == "unknown"
    assert beta["controller"] == beta["since"] == beta["source_ids"] == ""
    assert beta["fill"] == "#c8c8c8"


def test_the_csv_colours_are_the_maps(mini: controlmap.Dataset) -> None:
    for day in (DAY, dt.date(2018, 6, 1)):
        for palette in ("default", "colorblind"):
            snap = controlmap.snapshot(mini, day)
            fills = [row["fill"] for row in read_csv(snapshot_to_csv(snap, palette=palette))]
            assert fills == [f["properties"]["fill"] for f in snapshot_to_geojson(snap, palette=palette)["features"]]


def test_the_csv_is_the_same_every_time(mini: controlmap.Dataset) -> None:
    snap = controlmap.snapshot(mini, DAY)
    assert snapshot_to_csv(snap) == snapshot_to_csv(snap)
    assert snapshot_to_csv(snap).endswith("\r\n")


def test_the_history_has_every_period_with_resolved_sources(mini: controlmap.Dataset) -> None:
    history = history_to_geojson(mini)
    assert history["type"] == "FeatureCollection"
    assert history["coverage"] == {"start": "2013-01-01", "end": "2019-12-31"}
    assert [f["id"] for f in history["features"]] == ["alpha", "beta", "gamma"]
    alpha = history["features"][0]
    assert alpha["geometry"] == {"type": "Point", "coordinates": (43.13, 36.34)}
    periods = alpha["properties"]["history"]
    assert len(periods) == 4
    assert periods[1]["end_label"] == "November 2016"
    assert periods[2]["opponent_labels"] == ["Iraqi government"]
    assert periods[0]["sources"] == [
        {
            "id": "report-a",
            "title": "Report A",
            "outlet": "Test Wire",
            "published": "2014-06-11",
            "url": "https://example.org/a",
        }
    ]
    assert [f["id"] for f in history["factions"]] == [f.id for f in mini.factions]


def test_the_history_colours_are_the_maps_at_every_date(mini: controlmap.Dataset) -> None:
    history = history_to_geojson(mini, palette="colorblind")
    for feature in history["features"]:
        for period in feature["properties"]["history"]:
            start = dt.date.fromisoformat(period["start"])
            snap = controlmap.snapshot(mini, start)
            position = mini.place_position(feature["id"])
            expected = snapshot_to_geojson(snap, palette="colorblind")["features"][position]["properties"]
            assert (period["fill"], period["stroke"]) == (expected["fill"], expected["stroke"])


def test_the_history_is_written_the_same_every_time(mini: controlmap.Dataset) -> None:
    assert document_to_text(history_to_geojson(mini)) == document_to_text(history_to_geojson(mini))


def test_the_csv_carries_each_places_position_for_a_spreadsheet_and_a_gis(
    mini: controlmap.Dataset, tmp_path: Path
) -> None:
    """``lon``/``lat`` lie on the place and ``geometry`` is its WKT: GDAL (as QGIS does) and shapely read them back."""
    text = snapshot_to_csv(controlmap.snapshot(mini, DAY))
    rows = read_csv(text)
    for row, place in zip(rows, mini.places, strict=True):
        geometry = shapely.from_wkt(row["geometry"])
        assert geometry.geom_type == place.geometry.geom_type
        assert geometry.equals_exact(place.geometry, tolerance=1e-6)
        point = shapely.Point(float(row["lon"]), float(row["lat"]))
        assert place.geometry.distance(point) < 1e-6, f"{place.id}: the point is off the place"
        if place.geometry.geom_type in {"Polygon", "MultiPolygon"}:
            assert place.geometry.contains(point)
    path = tmp_path / "state.csv"
    path.write_text(text, "utf-8", newline="")
    # GDAL's CSV driver, as QGIS opens a delimited text layer: geometry from the WKT column, or from lon/lat.
    by_wkt = pyogrio.read_dataframe(path, GEOM_POSSIBLE_NAMES="geometry", KEEP_GEOM_COLUMNS="NO")
    assert list(by_wkt["id"]) == [p.id for p in mini.places]
    assert all(a.equals_exact(p.geometry, 1e-6) for a, p in zip(by_wkt.geometry, mini.places, strict=True))
    by_point = pyogrio.read_dataframe(path, X_POSSIBLE_NAMES="lon", Y_POSSIBLE_NAMES="lat", KEEP_GEOM_COLUMNS="NO")
    assert [g.geom_type for g in by_point.geometry] == ["Point"] * len(mini.places)
    assert [round(g.x, 6) for g in by_point.geometry] == [float(row["lon"]) for row in rows]
