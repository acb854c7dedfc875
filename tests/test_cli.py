"""The command line, run as a user runs it: a real process, real files."""

from __future__ import annotations

import contextlib
import json
import os
import pty
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from controlmap.cli import main

if TYPE_CHECKING:
    from pathlib import Path

    import controlmap


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
    assert result.stderr.startswith("controlmap: error: no place or group has the name 'atlantis'")
    assert "Traceback" not in result.stderr


def timeline_places(capsys: pytest.CaptureFixture[str], *argv: str) -> list[str]:
    """The places ``controlmap timeline ARGV`` shows, in order."""
    assert main(["timeline", *argv]) == 0
    return list(dict.fromkeys(line.split()[0] for line in capsys.readouterr().out.splitlines()[1:]))


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("mosul", ["mosul"]),
        ("Mosul", ["mosul"]),
        ("الرقة", ["raqqa"]),
        ("Raqqah", ["raqqa"]),
        ("raqqa city", ["raqqa"]),
        ("Kobane", ["kobani"]),
        ("Furat", ["euphrates-deir-ez-zor-abu-kamal", "euphrates-raqqa-deir-ez-zor", "euphrates-tabqa-raqqa"]),
    ],
)
def test_timeline_takes_any_name_of_a_place_or_group(
    capsys: pytest.CaptureFixture[str], name: str, expected: list[str]
) -> None:
    assert sorted(timeline_places(capsys, "--place", name)) == expected


def test_timeline_of_a_group_shows_every_part(capsys: pytest.CaptureFixture[str], shipped: controlmap.Dataset) -> None:
    parts = [p.id for p in shipped.places if p.group == "manbij-pocket"]
    assert len(parts) == 7
    assert timeline_places(capsys, "--place", "manbij-pocket") == parts
    assert timeline_places(capsys, "--place", "Manbij pocket") == parts


@pytest.mark.parametrize(
    ("name", "listed", "message"),
    [
        ("Mosel", ["mosul (Mosul)"], "no place or group has the name 'Mosel'; the closest: "),
        ("mos", ["mosul (Mosul)", "mosul-east (East Mosul)"], "no place or group has the name 'mos'; the closest: "),
        ("Maskaneh", ["maskanah (", "manbij-pocket-maskanah ("], "'Maskaneh' may be any of: "),
    ],
)
def test_an_unknown_or_ambiguous_place_lists_the_closest_not_every_id(
    capsys: pytest.CaptureFixture[str], name: str, listed: list[str], message: str
) -> None:
    assert main(["timeline", "--place", name]) == 2
    error = capsys.readouterr().err
    assert error.startswith(f"controlmap: error: {message}")
    assert all(candidate in error for candidate in listed)
    assert "palmyra" not in error
    assert error.count("(") <= 12


def test_validate_takes_data_like_every_command(mini_dir: Path, mini_copy: Path) -> None:
    result = run("validate", "--data", str(mini_dir))
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == f"ok: {mini_dir}"
    (mini_copy / "sources.json").write_text("{", "utf-8")
    result = run("validate", "--data", str(mini_copy))
    assert result.returncode == 1
    assert result.stdout.startswith(f"{mini_copy / 'sources.json'}: invalid JSON")


def test_validate_reads_controlmap_data_when_given_no_path(mini_copy: Path) -> None:
    (mini_copy / "sources.json").write_text("{", "utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "controlmap", "validate"], capture_output=True, text=True, check=False, timeout=120,
        env={**os.environ, "CONTROLMAP_DATA": str(mini_copy)},
    )  # fmt: skip
    assert result.returncode == 1
    assert "sources.json: invalid JSON" in result.stdout


def run_in_terminal(*args: str) -> tuple[int, bytes, str]:
    """``controlmap ARGS`` with its standard output on a pseudo-terminal: exit status, what reached it, stderr."""
    leader, follower = pty.openpty()
    with subprocess.Popen(
        [sys.executable, "-m", "controlmap", *args], stdout=follower, stderr=subprocess.PIPE, text=True
    ) as process:
        os.close(follower)
        shown = b""
        with contextlib.suppress(OSError):  # the terminal closes (EIO) when the command ends
            while chunk := os.read(leader, 65536):
                shown += chunk
        _, error = process.communicate(timeout=120)
    os.close(leader)
    return process.returncode, shown, error


@pytest.mark.parametrize("argv", [["--format", "png"], ["--format", "pdf", "--dpi", "300"]])
def test_an_image_is_not_written_to_a_terminal(mini_dir: Path, argv: list[str]) -> None:
    status, shown, error = run_in_terminal("snapshot", "--date", "2016-03-24", *argv, "--data", str(mini_dir))
    assert status == 2
    assert shown == b""
    fmt = argv[1]
    assert f"a {fmt} file is binary and standard output is a terminal; write it to a file:" in error
    suggested = error.splitlines()[-1].strip()
    assert suggested.startswith(f"controlmap snapshot --date 2016-03-24 --format {fmt}")
    assert suggested.endswith(f"--output map-2016-03-24.{fmt}")
    assert "Traceback" not in error


def test_text_formats_and_pipes_still_go_to_standard_output(mini_dir: Path) -> None:
    status, shown, _ = run_in_terminal("snapshot", "--date", "2016-03-24", "--format", "csv", "--data", str(mini_dir))
    assert status == 0
    assert shown.startswith(b"id,name,kind,")
    piped = subprocess.run(
        [sys.executable, "-m", "controlmap", "snapshot", "--date", "2016-03-24", "--format", "png", "--data",
         str(mini_dir)], capture_output=True, check=False, timeout=120,
    )  # fmt: skip
    assert piped.returncode == 0
    assert piped.stdout.startswith(b"\x89PNG")


def test_main_returns_the_exit_status(mini_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(mini_dir)]) == 0
    assert main(["snapshot", "--data", str(mini_dir), "--date", "2099-01-01"]) == 2
    assert "outside the data's range" in capsys.readouterr().err


def test_commands_find_the_project_geodata_from_any_directory(tmp_path: Path) -> None:
    result = run("snapshot", "--date", "2016-03-24", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    ids = {f["id"] for f in json.loads(result.stdout)["features"]}
    assert {"mosul", "raqqa", "palmyra", "fallujah", "ramadi"} <= ids
