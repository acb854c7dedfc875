"""The export commands: ``snapshot`` in every format and ``animate``, run in process (fast) and as a user would."""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest
from PIL import Image

import controlmap
from controlmap.cli import main
from controlmap.export.tables import snapshot_to_csv

if TYPE_CHECKING:
    from pathlib import Path

SMALL = ["--width", "320", "--height", "240", "--dpi", "40"]
MAGIC = {
    "png": b"\x89PNG",
    "svg": b"<?xml",
    "pdf": b"%PDF",
    "html": b"<!DOCTYPE html>",
    "csv": b"id,name,kind,",
    "geojson": b"{",
}


def snapshot_command(mini_dir: Path, *extra: str) -> list[str]:
    return ["snapshot", "--data", str(mini_dir), "--date", "2016-03-24", *SMALL, *extra]


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf", "html", "csv", "geojson"])
def test_snapshot_writes_each_format_named_by_the_extension(mini_dir: Path, tmp_path: Path, fmt: str) -> None:
    output = tmp_path / f"map.{fmt}"
    assert main(snapshot_command(mini_dir, "--output", str(output))) == 0
    assert output.read_bytes().startswith(MAGIC[fmt])
    assert [p.name for p in tmp_path.iterdir()] == [output.name]  # no temporary file left behind


def test_snapshot_png_has_the_size_asked_for(mini_dir: Path, tmp_path: Path) -> None:
    output = tmp_path / "map.png"
    assert main(snapshot_command(mini_dir, "--format", "png", "--output", str(output))) == 0
    with Image.open(output) as image:
        assert image.size == (320, 240)


def test_snapshot_csv_and_history(mini_dir: Path, mini: controlmap.Dataset, tmp_path: Path) -> None:
    table = tmp_path / "state.csv"
    history = tmp_path / "history.geojson"
    assert main(snapshot_command(mini_dir, "--output", str(table), "--palette", "colorblind")) == 0
    assert main(snapshot_command(mini_dir, "--format", "history", "--output", str(history))) == 0
    expected = snapshot_to_csv(controlmap.snapshot(mini, dt.date(2016, 3, 24)), palette="colorblind")
    assert table.read_bytes().decode("utf-8") == expected
    document = json.loads(history.read_text("utf-8"))
    assert [len(f["properties"]["history"]) for f in document["features"]] == [4, 2, 4]


def test_snapshot_image_to_standard_output(mini_dir: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    assert main(snapshot_command(mini_dir, "--format", "png")) == 0
    with Image.open(io.BytesIO(capsysbinary.readouterr().out)) as image:
        assert image.size == (320, 240)


@pytest.mark.parametrize(
    "case",
    [
        (["--format", "png", "--output", "map.jpg"], "--output: a png file should end in .png; received"),
        (["--output", "map.jpg"], "--output: cannot tell the format from"),
        (["--output", "map.png", "--palette", "sepia"], "--palette: 'sepia' is not one of: default, colorblind"),
        (["--output", "map.png", "--width", "5"], "--width: 5 pixels is outside 64 to 8192"),
        (["--output", "missing/map.png"], "--output: directory missing does not exist"),
    ],
)
def test_snapshot_bad_options_are_one_clear_line(
    mini_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    case: tuple[list[str], str],
) -> None:
    extra, message = case
    monkeypatch.chdir(tmp_path)
    assert main(snapshot_command(mini_dir, *extra)) == 2
    error = capsys.readouterr().err
    assert error.startswith(f"controlmap: error: {message}")
    assert error.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def test_snapshot_refuses_to_overwrite_without_force(
    mini_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "map.png"
    output.write_bytes(b"keep me")
    assert main(snapshot_command(mini_dir, "--output", str(output))) == 2
    assert "exists; pass --force to overwrite it" in capsys.readouterr().err
    assert output.read_bytes() == b"keep me"
    assert main(snapshot_command(mini_dir, "--output", str(output), "--force")) == 0
    assert output.read_bytes().startswith(MAGIC["png"])


def test_a_failed_write_leaves_the_old_file_whole(
    mini_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "map.png"
    output.write_bytes(b"keep me")

    def full_disk(_descriptor: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("controlmap.io.os.fsync", full_disk)
    assert main(snapshot_command(mini_dir, "--output", str(output), "--force")) == 2
    assert capsys.readouterr().err == f"controlmap: error: --output: cannot write {output}: No space left on device\n"
    assert output.read_bytes() == b"keep me"
    assert [p.name for p in tmp_path.iterdir()] == ["map.png"]


def test_animate_writes_a_gif_with_a_frame_per_date(
    mini_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "film.gif"
    command = ["animate", "--data", str(mini_dir), "--start", "2016-01-01", "--end", "2016-04-01", "--step", "month"]
    assert main([*command, "--output", str(output), *SMALL]) == 0
    with Image.open(output) as image:
        assert getattr(image, "n_frames", 1) == 4
        assert image.size == (320, 240)
    error = capsys.readouterr().err
    assert "4/4" in error  # the progress bar
    assert f"wrote {output}: 4 frames" in error
    assert main([*command, "--output", str(output), *SMALL]) == 2
    assert "exists; pass --force to overwrite it" in capsys.readouterr().err


def test_animate_mp4(mini_dir: Path, tmp_path: Path) -> None:
    output = tmp_path / "film.mp4"
    command = ["animate", "--data", str(mini_dir), "--start", "2016-01-01", "--end", "2016-03-01", "--fps", "2"]
    assert main([*command, "--output", str(output), *SMALL]) == 0
    assert output.read_bytes()[4:8] == b"ftyp"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--output", "film.avi"], "--output: cannot tell the format from 'film.avi'; use one of .gif, .mp4"),
        (["--output", "film.mp4", "--width", "321"], "an MP4 needs an even width and height; received 321 x 240"),
        (["--output", "film.gif", "--end", "2015-01-01"], "start 2016-01-01 is after end 2015-01-01"),
        (["--output", "film.gif", "--fps", "0"], "fps: 0 is outside 0.1 to 60"),
    ],
)
def test_animate_bad_options_are_one_clear_line(mini_dir: Path, tmp_path: Path, extra: list[str], message: str) -> None:
    command = [sys.executable, "-m", "controlmap", "animate", "--data", str(mini_dir), "--start", "2016-01-01"]
    command += ["--end", "2016-03-01", "--width", "320", "--height", "240"]
    # Later options win: the parametrised ones override the defaults above.
    result = subprocess.run([*command, *extra], capture_output=True, text=True, cwd=tmp_path, check=False, timeout=120)
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == f"controlmap: error: {message}"
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []
