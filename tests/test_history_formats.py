"""The whole history for people who work at scale: GeoParquet and Linked Places, from the service and the CLI.

The GeoParquet file is read back as its users would: geopandas (CRS, geometry, one row per period) and
DuckDB (SQL over the file). The Linked Places file is checked against the format's required parts and the
data's periods. The CSV of a snapshot, made from the packed periods at once, is held to the place-by-place
reading it replaced.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING

import duckdb
import geopandas
import pandas
import pytest
import shapely
import shapely.geometry

import controlmap
from controlmap.cli import main
from controlmap.export import FORMATS, export
from controlmap.export.tables import CSV_COLUMNS, LIST_SEPARATOR, snapshot_to_rows
from controlmap.records import geometry_mappings, place_properties, representative_point
from controlmap.style import palette_colours

if TYPE_CHECKING:
    from pathlib import Path


def periods_of(dataset: controlmap.Dataset) -> list[tuple[str, controlmap.Period]]:
    return [(p.id, period) for p in dataset.places for period in sorted(p.history, key=lambda q: q.start)]


@pytest.fixture(scope="module")
def parquet_file(tmp_path_factory: pytest.TempPathFactory, shipped: controlmap.Dataset) -> Path:
    path = tmp_path_factory.mktemp("parquet") / "history.parquet"
    path.write_bytes(export(shipped, "geoparquet", palette="colorblind").data)
    return path


def test_geopandas_reads_one_row_per_period_with_the_crs(parquet_file: Path, shipped: controlmap.Dataset) -> None:
    frame = geopandas.read_parquet(parquet_file)
    assert frame.crs is not None
    assert frame.crs.equals("OGC:CRS84")
    expected = periods_of(shipped)
    assert len(frame) == len(expected)
    colours = palette_colours(shipped, "colorblind")
    for row, (place_id, period) in zip(frame.itertuples(), expected, strict=True):
        assert row.place_id == place_id
        assert row.start == period.start
        assert (None if pandas.isna(row.end) else row.end) == period.end
        assert row.start_precision == period.start_precision
        assert (None if pandas.isna(row.end_precision) else row.end_precision) == period.end_precision
        assert row.controller == period.controller
        assert row.status == period.status
        assert list(row.opponents) == list(period.opponents)
        assert list(row.source_ids) == list(period.sources)
        assert row.fill == colours[period.controller]
        assert row.geometry.equals_exact(shipped.place(place_id).geometry, 0)


def test_duckdb_queries_the_file(parquet_file: Path, shipped: controlmap.Dataset) -> None:
    day = dt.date(2016, 3, 24)
    relation = duckdb.sql(
        f"""select controller, count(*) from read_parquet('{parquet_file}')
            where start <= DATE '{day}' and ("end" is null or "end" > DATE '{day}')
            group by controller"""
    )
    assert relation is not None
    held = relation.fetchall()
    assert dict(held) == controlmap.snapshot(shipped, day).faction_counts()
    metadata = duckdb.sql(f"select decode(value) from parquet_kv_metadata('{parquet_file}') where key = 'geo'")
    assert metadata is not None
    geo = json.loads(metadata.fetchall()[0][0])
    column = geo["columns"]["geometry"]
    assert geo["primary_column"] == "geometry"
    assert column["encoding"] == "WKB"
    assert column["crs"]["id"] == {"authority": "OGC", "code": "CRS84"}
    assert set(column["geometry_types"]) == {p.geometry.geom_type for p in shipped.places}
    west, south, east, north = column["bbox"]
    assert shapely.box(west, south, east, north).covers(shapely.union_all([p.geometry for p in shipped.places]))


def test_linked_places_carries_every_period_with_dated_timespans_and_citations(shipped: controlmap.Dataset) -> None:
    collection = json.loads(export(shipped, "lpf").data)
    assert collection["type"] == "FeatureCollection"
    assert collection["@context"].endswith("linkedplaces-context-v1.1.jsonld")
    features = {f["@id"]: f for f in collection["features"]}
    assert len(features) == len(shipped.places)
    for place in shipped.places:
        feature = features[f"urn:controlmap:place:{place.id}"]
        assert feature["type"] == "Feature"
        assert feature["properties"] == {"title": place.name, "ccodes": [place.country]}
        assert feature["names"][0]["toponym"] == place.name
        assert feature["names"][0]["citations"]
        assert feature["geometry"]["type"] == "GeometryCollection"
        assert shapely.geometry.shape(feature["geometry"]["geometries"][0]).equals(place.geometry)
        relations = feature["relations"]
        assert len(relations) == len(place.history)
        for relation, period in zip(relations, sorted(place.history, key=lambda p: p.start), strict=True):
            assert relation["relationTo"] == f"urn:controlmap:faction:{period.controller}"
            (span,) = relation["when"]["timespans"]
            written = {"day": 10, "month": 7, "year": 4}[period.start_precision]
            assert span["start"]["in"] == period.start.isoformat()[:written]
            if period.end is None:
                assert span["end"] == {"earliest": (shipped.coverage_end + dt.timedelta(days=1)).isoformat()}
            else:
                assert (
                    span["end"]["in"]
                    == period.end.isoformat()[: {"day": 10, "month": 7, "year": 4}[period.end_precision or "day"]]
                )
            assert len(relation["citations"]) == len(period.sources)
        assert feature["when"]["timespans"]


def test_a_month_precision_is_written_as_the_month(mini: controlmap.Dataset) -> None:
    collection = json.loads(export(mini, "lpf").data)
    spans = [s for f in collection["features"] for r in f["relations"] for s in r["when"]["timespans"]]
    starts = {len(s["start"]["in"]) for s in spans}
    assert starts <= {4, 7, 10}


@pytest.mark.parametrize("fmt", ["geoparquet", "lpf"])
def test_the_cli_writes_the_whole_history_without_a_date(mini_dir: Path, tmp_path: Path, fmt: str) -> None:
    output = tmp_path / f"history{FORMATS[fmt].suffix}"
    assert main(["snapshot", "--data", str(mini_dir), "--output", str(output)]) == 0
    assert output.read_bytes() == export(controlmap.dataset_from_dir(mini_dir), fmt).data


def test_a_snapshot_format_without_a_date_is_one_clear_error(
    mini_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["snapshot", "--data", str(mini_dir), "--format", "csv", "-o", str(tmp_path / "x.csv")]) == 2
    assert "--date is needed" in capsys.readouterr().err
    assert not (tmp_path / "x.csv").exists()


@pytest.mark.parametrize(
    "day", [dt.date(2013, 1, 1), dt.date(2014, 6, 10), dt.date(2016, 3, 24), dt.date(2019, 12, 31)]
)
def test_the_csv_rows_are_place_properties_flattened(shipped: controlmap.Dataset, day: dt.date) -> None:
    snap = controlmap.snapshot(shipped, day)
    colours = palette_colours(shipped, "colorblind")
    expected = []
    for position, place in enumerate(shipped.places):
        props = place_properties(shipped, place, snap.period(position), colours)
        row = {c: "" if props.get(c) is None else str(props[c]) for c in CSV_COLUMNS if c in props}
        row["opponents"] = LIST_SEPARATOR.join(props["opponents"])
        row["source_ids"] = LIST_SEPARATOR.join(s["id"] for s in props["sources"])
        row["source_urls"] = LIST_SEPARATOR.join(s["url"] for s in props["sources"] if s["url"])
        lon, lat = representative_point(place.geometry)
        row["lon"], row["lat"] = f"{lon:.6f}", f"{lat:.6f}"
        row["geometry"] = shapely.to_wkt(place.geometry, rounding_precision=6, trim=True)
        expected.append({c: row[c] for c in CSV_COLUMNS})
    assert snapshot_to_rows(snap, palette="colorblind") == expected


def test_geometry_mappings_are_shapelys(shipped: controlmap.Dataset) -> None:
    geometries = [p.geometry for p in shipped.places] + [
        shapely.LineString([(40.0, 35.0), (40.5, 35.5), (41.0, 35.2)]),
        shapely.Point(40, 35),
        shapely.MultiLineString([[(40.0, 35.0), (40.5, 35.5)], [(41.0, 35.0), (41.5, 35.5)]]),
    ]
    assert geometry_mappings(geometries) == [shapely.geometry.mapping(g) for g in geometries]
    assert geometry_mappings([]) == []
