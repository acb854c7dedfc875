"""Files the commands write stay the user's: a new export gets the umask's mode, ingest keeps each file's mode.

End to end: ``python -m controlmap`` in a child process with its own umask, as a user's shell runs it (the
unit tests of `controlmap._fs` are in test_atomic_write.py).
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from exporthelpers import GEODATA

if TYPE_CHECKING:
    from pathlib import Path


def run_with_umask(umask: int, *argv: str) -> subprocess.CompletedProcess[str]:
    """``controlmap ARGV`` in a child process whose umask is ``umask``."""

    def set_umask() -> None:
        os.umask(umask)

    return subprocess.run(
        [sys.executable, "-m", "controlmap", *argv],
        capture_output=True,
        text=True,
        preexec_fn=set_umask,  # only sets the umask, before the child imports anything
        check=False,
    )


def mode(path: Path) -> str:
    return stat.filemode(path.stat().st_mode)


@pytest.mark.parametrize("name", ["state.csv", "state.geojson", "map.png", "map.svg", "map.html"])
def test_a_cli_export_under_umask_022_is_readable_by_all(mini_dir: Path, tmp_path: Path, name: str) -> None:
    output = tmp_path / name
    done = run_with_umask(0o022, "snapshot", "--date", "2016-03-24", "--data", str(mini_dir), "-o", str(output))
    assert done.returncode == 0, done.stderr
    assert mode(output) == "-rw-r--r--"


def test_a_cli_export_follows_a_stricter_umask_and_force_keeps_the_mode_it_replaces(
    mini_dir: Path, tmp_path: Path
) -> None:
    output = tmp_path / "state.csv"
    argv = ("snapshot", "--date", "2016-03-24", "--data", str(mini_dir), "-o", str(output))
    assert run_with_umask(0o077, *argv).returncode == 0
    assert mode(output) == "-rw-------"
    output.chmod(0o664)
    assert run_with_umask(0o077, *argv, "--force").returncode == 0
    assert mode(output) == "-rw-rw-r--"


@pytest.fixture
def geodata_copy(tmp_path: Path) -> Path:
    """The shipped geodata, copied with the modes a checkout gives it (0644)."""
    target = tmp_path / "geodata"
    shutil.copytree(GEODATA, target)
    for path in target.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    return target


def test_ingest_keeps_the_mode_and_owner_of_the_files_it_replaces(geodata_copy: Path, tmp_path: Path) -> None:
    syria, sources = geodata_copy / "places" / "syria.geojson", geodata_copy / "sources.json"
    other_owner = os.geteuid() == 0  # only root can give a file away, and only root can have it kept
    if other_owner:
        os.chown(syria, 65534, 65534)
    before = {path: (path.stat().st_uid, path.stat().st_gid) for path in (syria, sources)}
    review = tmp_path / "review.json"
    claim = {
        "id": "c1", "decision": "accepted", "place": {"text": "Raqqa", "id": "raqqa"}, "controller": "sdf",
        "status": "controlled", "opponents": [], "kind": "captured", "confidence": 0.9,
        "date": {"start": "2017-10-17", "end": None, "precision": "day", "relation": "on"},
    }  # fmt: skip
    article = {
        "source_id": "test-2017-10-18-raqqa", "title": "Raqqa taken", "outlet": "Test Wire",
        "published": "2017-10-18", "url": None,
    }  # fmt: skip
    review.write_text(json.dumps({"format": "controlmap-review", "version": 1, "article": article, "claims": [claim]}))
    # A strict umask: the files must keep their own mode, not take the umask's.
    done = run_with_umask(0o077, "ingest", str(review), "--data", str(geodata_copy))
    assert done.returncode == 0, done.stderr
    assert "written:" in done.stderr
    assert "test-2017-10-18-raqqa" in sources.read_text("utf-8")
    assert "test-2017-10-18-raqqa" in syria.read_text("utf-8")
    assert (mode(syria), mode(sources)) == ("-rw-r--r--", "-rw-r--r--")
    assert {path: (path.stat().st_uid, path.stat().st_gid) for path in (syria, sources)} == before
