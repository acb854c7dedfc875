"""The command line, run as a user runs it: a real process, real files."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from controlmap.cli import main

if TYPE_CHECKING:
    from pathlib import Path


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "controlmap", *args], capture_output=True, text=True, cwd=cwd, check=False, timeout=120
    )


def test_validate_a_valid_dataset_exits_zero(mini_dir: Path) -> None:
    result = run("validate", str(mini_dir))
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""


def test_validate_prints_one_line_per_problem_and_exits_non_zero(mini_copy: Path) -> None:
    places = mini_copy / "places" / "test.geojson"
    content = json.loads(places.read_text("utf-8"))
    content["features"][0]["properties"]["history"][0]["controller"] = "martians"
    content["features"][1]["properties"]["history"][0]["sources"] = ["nowhere"]
    places.write_text(json.dumps(content), "utf-8")
    result = run("validate", str(mini_copy))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"{places}: feature 'alpha' (#0): history[0].controller: unknown faction 'martians'")
    assert lines[1] == f"{places}: feature 'beta' (#1): history[0].sources: unknown source id 'nowhere'"
    assert "Traceback" not in result.stderr


def test_validate_a_truncated_file_is_one_clear_line(mini_copy: Path) -> None:
    places = mini_copy / "places" / "test.geojson"
    places.write_text(places.read_text("utf-8")[:200], "utf-8")
    result = run("validate", str(places))
    assert result.returncode == 1
    assert result.stdout.splitlines() == [f"{places}: invalid JSON at line 9, column 1: Expecting ',' delimiter"] or (
        len(result.stdout.splitlines()) == 1 and "invalid JSON at line" in result.stdout
    )
    assert "Traceback" not in result.stderr


def test_snapshot_writes_geojson_with_the_state_at_the_date(mini_dir: Path, tmp_path: Path) -> None:
    output = tmp_path / "snap.geojson"
    result = run(
        "snapshot", "--data", str(mini_dir), "--date", "2016-03-24", "--format", "geojson", "--output", str(output)
    )
    assert result.returncode == 0, result.stderr
    collection = json.loads(output.read_text("utf-8"))
    assert collection["type"] == "FeatureCollection"
    by_id = {f["id"]: f for f in collection["features"]}
    alpha = by_id["alpha"]["properties"]
    assert alpha["controller"] == "isis"
    assert alpha["status"] == "controlled"
    assert alpha["since"] == "2014-06-10"
    assert alpha["sources"][0]["title"] == "Report A"
    assert alpha["sources"][0]["url"] == "https://example.org/a"
    assert by_id["alpha"]["geometry"] == {"type": "Point", "coordinates": [43.13, 36.34]}
    assert by_id["gamma"]["properties"]["status"] == "besieged"
    assert by_id["gamma"]["properties"]["opponents"] == ["sdf", "turkey"]
    for feature in collection["features"]:
        assert {"id", "name", "kind", "controller", "status", "since", "sources"} <= set(feature["properties"])


def test_snapshot_to_stdout_is_deterministic(mini_dir: Path) -> None:
    first = run("snapshot", "--data", str(mini_dir), "--date", "2018-06-01", "--output", "-")
    second = run("snapshot", "--data", str(mini_dir), "--date", "2018-06-01")
    assert first.returncode == 0
    assert first.stdout == second.stdout
    beta = next(f for f in json.loads(first.stdout)["features"] if f["id"] == "beta")
    assert beta["properties"]["controller"] is None
    assert beta["properties"]["status"] == "unknown"
    assert beta["properties"]["sources"] == []


@pytest.mark.parametrize(
    ("date", "message"),
    [
        ("2021-01-01", "date 2021-01-01 is outside the data's range 2013-01-01 to 2019-12-31"),
        ("24/03/2016", "--date: '24/03/2016' is not a date in the form YYYY-MM-DD"),
        ("2016-02-30", "--date: '2016-02-30' is not a date in the form YYYY-MM-DD"),
    ],
)
def test_snapshot_bad_dates_are_clear_errors(mini_dir: Path, date: str, message: str) -> None:
    result = run("snapshot", "--data", str(mini_dir), "--date", date)
    assert result.returncode == 2
    assert result.stderr.strip() == f"controlmap: error: {message}"
    assert result.stdout == ""


def test_snapshot_refuses_to_overwrite_without_force(mini_dir: Path, tmp_path: Path) -> None:
    output = tmp_path / "snap.geojson"
    output.write_text("keep me", "utf-8")
    result = run("snapshot", "--data", str(mini_dir), "--date", "2016-03-24", "--output", str(output))
    assert result.returncode == 2
    assert "exists; pass --force to overwrite it" in result.stderr
    assert output.read_text("utf-8") == "keep me"
    forced = run("snapshot", "--data", str(mini_dir), "--date", "2016-03-24", "--output", str(output), "--force")
    assert forced.returncode == 0
    assert json.loads(output.read_text("utf-8"))["date"] == "2016-03-24"


def test_snapshot_of_broken_data_lists_the_problems(mini_copy: Path) -> None:
    (mini_copy / "sources.json").write_text("{", "utf-8")
    result = run("snapshot", "--data", str(mini_copy), "--date", "2016-03-24")
    assert result.returncode == 1
    assert "sources.json: invalid JSON at line 1" in result.stderr
    assert "Traceback" not in result.stderr


def test_timeline_shows_periods_with_their_precision(mini_dir: Path) -> None:
    result = run("timeline", "--data", str(mini_dir), "--place", "alpha")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["place", "from", "until", "holder", "status", "against", "sources"]
    assert len(lines) == 5
    assert "November 2016" in lines[2]
    assert lines[3].split()[:9] == ["alpha", "November", "2016", "10", "July", "2017", "IS", "contested", "Iraq"]


def test_timeline_of_an_unknown_place_is_a_clear_error(mini_dir: Path) -> None:
    result = run("timeline", "--data", str(mini_dir), "--place", "atlantis")
    assert result.returncode == 2
    assert result.stderr.startswith("controlmap: error: no place with id 'atlantis'")


def test_main_returns_the_exit_status(mini_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(mini_dir)]) == 0
    assert main(["snapshot", "--data", str(mini_dir), "--date", "2099-01-01"]) == 2
    assert "outside the data's range" in capsys.readouterr().err


def test_commands_find_the_project_geodata_from_any_directory(tmp_path: Path) -> None:
    result = run("snapshot", "--date", "2016-03-24", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    ids = {f["id"] for f in json.loads(result.stdout)["features"]}
    assert {"mosul", "raqqa", "palmyra", "fallujah", "ramadi"} <= ids
