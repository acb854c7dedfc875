"""Commands killed with SIGKILL in the middle of writing: every file is the old or the new version, never a mix.

Each command runs in its own process group, with ``os.fsync`` and ``os.replace`` announcing themselves on
stdout and pausing, so the test can kill it at a chosen point of its write: after the temporary file is
written, just before it replaces the target, or between the files of an ingest. One more run is killed at
a random moment. test_atomic_write.py does the same to `write_bytes_atomic` alone; here it is the commands
a person runs: ``snapshot --force`` over an existing PNG, ``animate`` over an existing GIF, and ``ingest``.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from typing import TYPE_CHECKING

import pytest

import controlmap
from controlmap.cli import main

if TYPE_CHECKING:
    from pathlib import Path

PAUSE_S = 0.5
SMALL = ["--width", "320", "--height", "240", "--dpi", "40"]
# `controlmap ARGS`, with every fsync and replace announced on stdout and paused.
ANNOUNCED = """
import os, sys, time
pause = float(sys.argv[1])
real_fsync, real_replace = os.fsync, os.replace
def fsync(fd):
    print("fsync", flush=True)
    time.sleep(pause)
    real_fsync(fd)
def replace(source, target, **kwargs):
    print("replace", os.fspath(target), flush=True)
    time.sleep(pause)
    real_replace(source, target, **kwargs)
    print("replaced", os.fspath(target), flush=True)
os.fsync, os.replace = fsync, replace
from controlmap.cli import main
sys.exit(main(sys.argv[2:]))
"""


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def killed_at(args: list[str], marker: str, *, occurrence: int = 1) -> list[str]:
    """Run ``controlmap ARGS`` and SIGKILL its process group at a marked line of its output.

    The kill comes when the ``occurrence``-th stdout line starting with ``marker`` appears. Returns the lines
    seen; fails if the command ends first.
    """
    command = [sys.executable, "-c", ANNOUNCED, str(PAUSE_S), *args]
    seen: list[str] = []
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, start_new_session=True) as run:
        assert run.stdout is not None
        try:
            for raw in run.stdout:
                seen.append(raw.decode().strip())
                if sum(line.startswith(marker) for line in seen) == occurrence:
                    os.killpg(run.pid, signal.SIGKILL)
                    break
        finally:
            with_status = run.poll() is not None
            if not with_status:
                os.killpg(run.pid, signal.SIGKILL)
            run.wait(timeout=30)
        assert run.returncode == -signal.SIGKILL, f"the command ended before {marker!r}: {seen}"
    return seen


def killed_after(args: list[str], seconds: float) -> None:
    """Run ``controlmap ARGS`` (unannounced) and SIGKILL its process group after ``seconds``, if still running."""
    with subprocess.Popen(
        [sys.executable, "-m", "controlmap", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    ) as run:
        try:
            run.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            os.killpg(run.pid, signal.SIGKILL)
            run.wait(timeout=30)


def leftovers(directory: Path, *names: str) -> list[str]:
    """Files other than ``names`` and the temporary files a killed write may leave (never a target)."""
    return [
        p.name
        for p in directory.iterdir()
        if p.name not in names and not (p.name.startswith(".") and p.name.endswith(".tmp"))
    ]


@pytest.mark.parametrize(
    ("kind", "first", "second"),
    [
        ("snapshot", ["--date", "2014-07-01"], ["--date", "2017-08-01"]),
        ("animate", ["--start", "2014-01-01", "--end", "2014-03-01"], ["--start", "2016-01-01", "--end", "2016-03-01"]),
    ],
)
def test_a_killed_export_leaves_the_old_file_or_the_new_one(
    mini_dir: Path, tmp_path: Path, kind: str, first: list[str], second: list[str]
) -> None:
    suffix = "png" if kind == "snapshot" else "gif"
    step = [] if kind == "snapshot" else ["--step", "month"]
    output = tmp_path / f"map.{suffix}"
    complete = tmp_path / "complete" / f"map.{suffix}"
    complete.parent.mkdir()
    base = [kind, "--data", str(mini_dir), *SMALL, *step]
    assert main([*base, *first, "--output", str(output)]) == 0
    assert main([*base, *second, "--output", str(complete)]) == 0
    old, new = digest(output), digest(complete)
    assert old != new
    again = [*base, *second, "--output", str(output), "--force"]
    # Killed with the new image in its temporary file, then just before it replaces the old one.
    for marker in ("fsync", "replace"):
        killed_at(again, marker)
        assert digest(output) == old, f"killed at {marker}"
    # A complete run writes the new file; then one writing the old image back is killed at a random moment.
    started = time.monotonic()
    assert main(again) == 0
    assert digest(output) == new
    seconds = time.monotonic() - started + 1.5  # the subprocess imports the library too
    killed_after([*base, *first, "--output", str(output), "--force"], random.Random(kind).uniform(0.5, seconds))
    assert digest(output) in (old, new)
    assert leftovers(tmp_path, output.name, "complete") == []


def review_document() -> dict[str, object]:
    """A review of one article whose claim cuts Alpha's open period, as the reviewer asked (see test_ingest.py)."""
    return {
        "format": "controlmap-review",
        "version": 1,
        "article": {
            "source_id": "test-2018-03-02-report",
            "title": "Report",
            "outlet": "Test",
            "published": "2018-03-02",
            "url": None,
        },
        "claims": [
            {
                "id": "c1",
                "decision": "accepted",
                "apply_conflict": True,  # it contradicts the sourced period: applied only when asked
                "place": {"text": "Alfa", "id": "alpha"},
                "controller": "isis",
                "status": "controlled",
                "opponents": [],
                "kind": "captured",
                "date": {"start": "2018-03-01", "end": None, "precision": "day", "relation": "on"},
                "confidence": 0.9,
            }
        ],
    }


@pytest.fixture
def ingest_case(mini_dir: Path, tmp_path: Path) -> tuple[Path, Path, dict[str, str], dict[str, str]]:
    """A copy to ingest into, the review file, and each data file's hash before and after a complete ingest."""
    review = tmp_path / "review.json"
    review.write_text(json.dumps(review_document()), "utf-8")
    data = tmp_path / "geodata"
    shutil.copytree(mini_dir, data)
    done = tmp_path / "done"
    shutil.copytree(mini_dir, done)
    assert main(["ingest", str(review), "--data", str(done)]) == 0
    files = [p.relative_to(data) for p in data.rglob("*") if p.is_file()]
    old = {str(f): digest(data / f) for f in files}
    new = {str(f): digest(done / f) for f in files}
    assert old != new
    return data, review, old, new


def test_an_ingest_killed_before_any_file_is_replaced_changes_nothing(
    ingest_case: tuple[Path, Path, dict[str, str], dict[str, str]],
) -> None:
    data, review, old, _ = ingest_case
    killed_at(["ingest", str(review), "--data", str(data)], "replace")
    assert {f: digest(data / f) for f in old} == old
    assert controlmap.check_paths([data]) == []


def test_an_ingest_killed_between_its_files_leaves_each_file_whole_and_the_data_valid(
    ingest_case: tuple[Path, Path, dict[str, str], dict[str, str]],
) -> None:
    data, review, old, new = ingest_case
    seen = killed_at(["ingest", str(review), "--data", str(data)], "replaced")
    assert any(line.startswith("replace") for line in seen)
    for name in old:
        assert digest(data / name) in (old[name], new[name]), f"{name} is neither the old nor the new version"
    assert {f: digest(data / f) for f in old} != old, "the kill came after the first file was replaced"
    assert [str(p) for p in controlmap.check_paths([data])] == []
